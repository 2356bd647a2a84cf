/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dunning-desk-cli"

#include "config.h"

#include "dd-cli-private.h"

#include "dd-dates.h"
#include "dd-ivr-flow.h"
#include "dd-ivr-machine.h"
#include "dd-ladder-runner.h"
#include "dd-ladder-calls.h"
#include "dd-ladder-letters.h"

/* The escalation ladder: ladder plan, ladder run, ladder policy show|set, ladder exclude,
 * include, pause; and flow simulate (a call flow's trace for a case, without a call). */

static char *opt_date;
static gboolean opt_list;
static gboolean opt_send;
static gboolean opt_no_policy;
static gint64 opt_creditor;
static char *opt_reason;
static char *opt_until;
static char *opt_letters;

static char *
today_text (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

/* The day of --date (or today) in @out_day, the office database in @out_database and the
 * ladder runner on it as the office set it up; NULL after saying why, with the exit status in
 * @out_status. */
static DdLadderRunner *
open_runner (DdDatabase **out_database,
             char       **out_day,
             int         *out_status)
{
  g_autoptr(DdLadderRunner) runner = NULL;
  g_autoptr(DdLadderCalls) voice = NULL;
  g_autoptr(DdContactPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *country = NULL;

  *out_day = opt_date != NULL ? g_strdup (opt_date) : today_text ();
  *out_database = dd_cli_open_database ();
  if (*out_database == NULL)
    {
      *out_status = 1;
      return NULL;
    }
  runner = dd_ladder_runner_new (*out_database);
  voice = dd_ladder_calls_new ();
  country = dd_cli_office_setting ("default-country", "PL");
  policy = opt_no_policy ? NULL : dd_cli_office_contact_policy (&error);
  if (error != NULL)
    {
      *out_status = dd_cli_fail (error);
      return NULL;
    }
  dd_ladder_runner_set_contact_policy (runner, policy);
  /* voice steps become calls of the day's ladder voice campaign (`campaign run` calls them) */
  dd_ladder_runner_set_executor (runner, DD_LADDER_EXECUTOR (voice));
  dd_ladder_runner_set_grace_days (runner, dd_cli_office_setting_uint ("payment-grace-days", 3));
  dd_ladder_runner_set_locale (runner, g_str_equal (country, "RU") ? "ru"
                                       : g_str_equal (country, "PL") ? "pl" : "en");
  return g_steal_pointer (&runner);
}

/* What ladder plan, run and letters say of @day for --json: an object that begins with "date";
 * the command adds its members, then prints it. */
static JsonBuilder *
begin_day_json (const char *day)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  dd_json_add_string (b, "date", day);
  return b;
}

static void
print_day_json (JsonBuilder *b)
{
  json_builder_end_object (b);
  dd_cli_print_json (b);
}

static void
add_plan_json (JsonBuilder        *b,
               const DdLadderPlan *plan)
{
  guint n_cases = 0;

  dd_json_begin_array_member (b, "items");
  for (guint i = 0; i < plan->items->len; i++)
    {
      const DdLadderPlanItem *item = &g_array_index (plan->items, DdLadderPlanItem, i);
      const DdLadderPlanCase *cases = dd_ladder_plan_item_cases (plan, item);
      const DdLadderStep *step = dd_ladder_policy_get_step (item->policy, item->step);

      n_cases += item->n_cases;
      json_builder_begin_object (b);
      dd_json_add_int (b, "debtor_id", item->debtor_id);
      dd_json_add_int (b, "lead_case_id", item->lead_case_id);
      dd_json_add_string (b, "channel", dd_ladder_channel_to_string (item->channel));
      dd_json_add_int (b, "step_day", step->offset_days);
      if (step->flow != NULL)
        dd_json_add_string (b, "flow", step->flow);
      dd_json_add_boolean (b, "promise_broken", item->promise_broken);
      if (item->not_before > 0)
        {
          g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (item->not_before);
          g_autofree char *text = g_date_time_format (at, "%Y-%m-%dT%H:%M:%SZ");

          dd_json_add_string (b, "not_before", text);
        }
      dd_json_begin_array_member (b, "cases");
      for (guint k = 0; k < item->n_cases; k++)
        {
          json_builder_begin_object (b);
          dd_json_add_int (b, "case_id", cases[k].case_id);
          dd_json_add_int (b, "step_day", cases[k].offset_days);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  dd_json_begin_array_member (b, "excluded");
  for (guint i = 0; i < plan->excluded->len; i++)
    {
      const DdLadderExcludedCase *x = &g_array_index (plan->excluded, DdLadderExcludedCase, i);

      json_builder_begin_object (b);
      dd_json_add_int (b, "case_id", x->case_id);
      dd_json_add_int (b, "debtor_id", x->debtor_id);
      dd_json_add_string (b, "reason", dd_ladder_exclusion_to_string (x->reason));
      dd_json_add_string (b, "channel", dd_ladder_channel_to_string (x->channel));
      if (x->until_day != 0)
        {
          g_autofree char *until = dd_ladder_day_to_iso (x->until_day);

          dd_json_add_string (b, "until", until);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  dd_json_begin_array_member (b, "steps");
  for (guint i = 0; i < plan->steps->len; i++)
    {
      const DdLadderStepCount *s = &g_array_index (plan->steps, DdLadderStepCount, i);

      json_builder_begin_object (b);
      dd_json_add_string (b, "channel", dd_ladder_channel_to_string (s->channel));
      dd_json_add_int (b, "step_day", s->offset_days);
      dd_json_add_int (b, "debtors", s->n_items);
      dd_json_add_int (b, "cases", s->n_cases);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  dd_json_begin_object_member (b, "excluded_by_reason");
  for (guint r = 0; r < DD_LADDER_EXCLUDED_N_REASONS; r++)
    dd_json_add_int (b, dd_ladder_exclusion_to_string (r), plan->n_excluded[r]);
  json_builder_end_object (b);
  dd_json_add_int (b, "contacts", plan->items->len);
  dd_json_add_int (b, "cases", n_cases);
}

static void
print_plan_text (const DdLadderPlan *plan,
                 const char         *day)
{
  guint n_cases = 0;

  for (guint i = 0; i < plan->items->len; i++)
    n_cases += g_array_index (plan->items, DdLadderPlanItem, i).n_cases;
  /* Translators: the ladder's plan on the command line: date, contacts and tasks, cases */
  g_print (_("Ladder plan for %1$s: %2$u contacts and tasks covering %3$u cases\n"), day,
           plan->items->len, n_cases);
  for (guint i = 0; i < plan->steps->len; i++)
    {
      const DdLadderStepCount *s = &g_array_index (plan->steps, DdLadderStepCount, i);

      /* Translators: one step of the plan: day relative to the due date, channel, debtors,
       * cases */
      g_print (_("  %1$+4d  %2$-24s %3$u debtors, %4$u cases\n"), s->offset_days,
               dd_ladder_channel_to_label (s->channel), s->n_items, s->n_cases);
    }
  g_print (g_dngettext (GETTEXT_PACKAGE, "Excluded: %u case\n", "Excluded: %u cases\n",
                        plan->excluded->len), plan->excluded->len);
  for (guint r = 0; r < DD_LADDER_EXCLUDED_N_REASONS; r++)
    if (plan->n_excluded[r] > 0)
      g_print ("  %-32s %u\n", dd_ladder_exclusion_to_label (r), plan->n_excluded[r]);

  if (!opt_list)
    return;
  for (guint i = 0; i < plan->items->len; i++)
    {
      const DdLadderPlanItem *item = &g_array_index (plan->items, DdLadderPlanItem, i);
      const DdLadderStep *step = dd_ladder_policy_get_step (item->policy, item->step);

      /* Translators: one contact of the plan: debtor id, channel, day, case id, cases */
      g_print (_("debtor %1$" PRId64 "\t%2$s %3$+d\tcase %4$" PRId64 " (%5$u cases)%6$s\n"),
               item->debtor_id, dd_ladder_channel_to_label (item->channel), step->offset_days,
               item->lead_case_id, item->n_cases,
               item->promise_broken ? _(", promise broken") : "");
    }
  for (guint i = 0; i < plan->excluded->len; i++)
    {
      const DdLadderExcludedCase *x = &g_array_index (plan->excluded, DdLadderExcludedCase, i);

      /* Translators: an excluded case: case id, why */
      g_print (_("case %1$" PRId64 "\texcluded: %2$s\n"), x->case_id,
               dd_ladder_exclusion_to_label (x->reason));
    }
}

static GOptionEntry plan_entries[] = {
  { "date", 0, 0, G_OPTION_ARG_STRING, &opt_date,
    N_("The day to plan, YYYY-MM-DD (default: today)"), N_("DATE") },
  DD_CLI_JSON_ENTRY,
  { "list", 0, 0, G_OPTION_ARG_NONE, &opt_list, N_("List every contact and exclusion"), NULL },
  { "no-contact-policy", 0, 0, G_OPTION_ARG_NONE, &opt_no_policy,
    N_("Plan without the contact policy's hours and limits (for tests)"), NULL },
  { NULL }
};

static int
ladder_plan (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— the ladder's plan of a day, with reasons (nothing is sent)"));
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdLadderRunner) runner = NULL;
  g_autoptr(DdLadderDayPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *day = NULL;
  int status = 0;

  if (!dd_cli_parse_options (context, plan_entries, &argc, &argv))
    return 2;
  runner = open_runner (&database, &day, &status);
  if (runner == NULL)
    return status;
  plan = dd_ladder_runner_plan (runner, day, 0, &error);
  if (plan == NULL)
    return dd_cli_fail (error);
  if (dd_cli_json)
    {
      g_autoptr(JsonBuilder) b = begin_day_json (day);

      add_plan_json (b, plan->plan);
      print_day_json (b);
    }
  else
    print_plan_text (plan->plan, day);
  return 0;
}

static GOptionEntry run_entries[] = {
  { "date", 0, 0, G_OPTION_ARG_STRING, &opt_date,
    N_("Run as on this day, YYYY-MM-DD (default: today)"), N_("DATE") },
  DD_CLI_JSON_ENTRY,
  { "send", 0, 0, G_OPTION_ARG_NONE, &opt_send,
    N_("Then send the queued SMS as “campaign run” does (its options follow)"), NULL },
  { "no-contact-policy", 0, 0, G_OPTION_ARG_NONE, &opt_no_policy,
    N_("Plan without the contact policy's hours and limits (for tests)"), NULL },
  { "letters", 0, 0, G_OPTION_ARG_FILENAME, &opt_letters,
    N_("Write the demand-letter step's letters into this folder (one folder per day)"),
    N_("FOLDER") },
  { NULL }
};

/* The office's letter details and deadline from the settings. */
static void
set_runner_letters (DdLadderRunner *runner,
                    const char     *folder)
{
  g_autofree char *name = dd_cli_office_setting ("office-name", "");
  g_autofree char *address = dd_cli_office_setting ("office-address", "");
  g_autofree char *tax_id = dd_cli_office_setting ("office-tax-id", "");
  g_autofree char *account = dd_cli_office_setting ("office-bank-account", "");
  g_autofree char *signature = dd_cli_office_setting ("letter-signature", "");
  DdLetterOffice office = { name, address, tax_id, account };

  dd_ladder_runner_set_letters (runner, folder, &office,
                                dd_cli_office_setting_uint ("letter-deadline-days", 7), signature);
}

static int
ladder_run (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— carry out the ladder's steps of today (for cron)"));
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdLadderRunner) runner = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *day = NULL;
  DdLadderRunResult result = { 0 };
  gint64 now;
  int status = 0;

  g_option_context_set_ignore_unknown_options (context, TRUE);
  if (!dd_cli_parse_options (context, run_entries, &argc, &argv))
    return 2;
  if (argc > 1 && !opt_send)
    {
      g_autofree char *message = g_strdup_printf (_("Unknown option “%s”"), argv[1]);

      dd_cli_print_error (message);
      return 2;
    }
  now = opt_date != NULL ? 0 : g_get_real_time () / G_USEC_PER_SEC;
  runner = open_runner (&database, &day, &status);
  if (runner == NULL)
    return status;
  if (opt_letters != NULL)
    set_runner_letters (runner, opt_letters);
  if (!dd_ladder_runner_run (runner, day, now, &result, &error))
    return dd_cli_fail (error);
  if (dd_cli_json)
    {
      /* what the day came to, after "date" and "done" */
      static const DdCliField run_fields[] = {
        DD_CLI_FIELD (DdLadderRunResult, cases),
        DD_CLI_FIELD (DdLadderRunResult, resumed),
        DD_CLI_FIELD (DdLadderRunResult, waiting_voice),
        DD_CLI_FIELD (DdLadderRunResult, unreachable),
        DD_CLI_FIELD (DdLadderRunResult, failed),
        DD_CLI_FIELD (DdLadderRunResult, excluded),
        DD_CLI_FIELD (DdLadderRunResult, campaign_id),
        DD_CLI_FIELD (DdLadderRunResult, letters),
        { NULL }
      };
      g_autoptr(JsonBuilder) b = begin_day_json (day);

      dd_json_begin_object_member (b, "done");
      for (guint c = 0; c < DD_LADDER_N_CHANNELS; c++)
        dd_json_add_int (b, dd_ladder_channel_to_string (c), result.done[c]);
      json_builder_end_object (b);
      dd_cli_add_json_fields (b, &result, run_fields);
      print_day_json (b);
    }
  else
    {
      /* Translators: after a ladder run: date, SMS, calls handed over, tasks, cases */
      g_print (_("Ladder %1$s: %2$u SMS queued, %3$u calls handed over, %4$u tasks; %5$u cases "
                 "moved on\n"),
               day, result.done[DD_LADDER_SMS], result.done[DD_LADDER_VOICE],
               result.done[DD_LADDER_CONSULTANT_CALL] + result.done[DD_LADDER_DEMAND_LETTER] +
               result.done[DD_LADDER_HAND_OVER], result.cases);
      if (result.letters > 0)
        g_print (g_dngettext (GETTEXT_PACKAGE, "%u demand letter written\n",
                              "%u demand letters written\n", result.letters), result.letters);
      if (result.waiting_voice > 0)
        g_print (g_dngettext (GETTEXT_PACKAGE,
                              "%u voice step waits for the voice campaign runner\n",
                              "%u voice steps wait for the voice campaign runner\n",
                              result.waiting_voice), result.waiting_voice);
      if (result.unreachable > 0)
        g_print (g_dngettext (GETTEXT_PACKAGE,
                              "%u call not made: no number that can be called (on the case)\n",
                              "%u calls not made: no number that can be called (on the cases)\n",
                              result.unreachable), result.unreachable);
    }
  if (result.failed > 0)
    return 1;

  if (opt_send)
    {
      g_autofree char **args = g_new0 (char *, argc + 3);
      int n = 0;

      /* the same sending as "campaign run", with the options left over */
      args[n++] = (char *) "campaign";
      args[n++] = (char *) "run";
      for (int k = 1; k < argc; k++)
        args[n++] = argv[k];
      if (opt_no_policy)
        args[n++] = (char *) "--no-contact-policy";
      g_clear_object (&database);
      return dd_cli_campaign (n, args);
    }
  return 0;
}

static GOptionEntry policy_entries[] = {
  { "creditor", 0, 0, G_OPTION_ARG_INT64, &opt_creditor,
    N_("The creditor's own policy (default: the office's)"), N_("ID") },
  { NULL }
};

static int
ladder_policy (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("show|set [FILE.json] — the ladder's steps"));
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdLadderStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (!dd_cli_parse_options (context, policy_entries, &argc, &argv))
    return 2;
  if (argc < 2 || (!g_str_equal (argv[1], "show") && !g_str_equal (argv[1], "set")) ||
      (g_str_equal (argv[1], "set") && argc < 3))
    {
      g_printerr ("%s\n", _("Usage: dunning-desk-cli ladder policy show|set FILE.json [--creditor ID]"));
      return 2;
    }
  database = dd_cli_open_database ();
  if (database == NULL)
    return 1;
  store = dd_ladder_store_new (database);

  if (g_str_equal (argv[1], "show"))
    {
      g_autoptr(GPtrArray) policies = dd_ladder_store_load_policies (store, &error);
      const DdLadderPolicy *found = NULL;
      g_autofree char *json = NULL;

      if (policies == NULL)
        return dd_cli_fail (error);
      for (guint i = 0; i < policies->len; i++)
        {
          const DdLadderPolicy *p = g_ptr_array_index (policies, i);

          if (p->creditor_id == opt_creditor || (found == NULL && p->creditor_id == 0))
            found = p;
        }
      json = dd_ladder_policy_to_json (found);
      g_print ("%s\n", json);
      return 0;
    }
  else
    {
      g_autofree char *text = NULL;
      g_autoptr(DdLadderPolicy) policy = NULL;

      if (!g_file_get_contents (argv[2], &text, NULL, &error) ||
          (policy = dd_ladder_policy_from_json (text, &error)) == NULL)
        return dd_cli_fail (error);
      policy->creditor_id = opt_creditor;
      if (!dd_ladder_store_save_policy (store, policy, &error))
        return dd_cli_fail (error);
      return 0;
    }
}

static GOptionEntry exclude_entries[] = {
  { "reason", 0, 0, G_OPTION_ARG_STRING, &opt_reason,
    N_("Why (default: dispute)"), N_("WORD") },
  { "until", 0, 0, G_OPTION_ARG_STRING, &opt_until,
    N_("pause: the last day off the ladder, YYYY-MM-DD"), N_("DATE") },
  { NULL }
};

/* ladder exclude|include|pause CASE */
static int
ladder_case (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("CASE — keep a case off the ladder, take it back, or pause it"));
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdLadderStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *what = argv[0];
  gint64 case_id;
  gboolean ok;

  if (!dd_cli_parse_options (context, exclude_entries, &argc, &argv))
    return 2;
  if (argc < 2 || (case_id = g_ascii_strtoll (argv[1], NULL, 10)) <= 0 ||
      (g_str_equal (what, "pause") && opt_until == NULL))
    {
      g_printerr ("%s\n", _("Usage: dunning-desk-cli ladder exclude|include CASE, "
                            "ladder pause CASE --until DATE"));
      return 2;
    }
  database = dd_cli_open_database ();
  if (database == NULL)
    return 1;
  store = dd_ladder_store_new (database);
  if (g_str_equal (what, "exclude"))
    ok = dd_ladder_store_set_excluded (store, case_id, opt_reason != NULL ? opt_reason : "dispute",
                                       &error);
  else if (g_str_equal (what, "include"))
    ok = dd_ladder_store_set_excluded (store, case_id, NULL, &error) &&
         dd_ladder_store_set_paused (store, case_id, NULL, &error);
  else
    ok = dd_ladder_store_set_paused (store, case_id, opt_until, &error);
  if (!ok)
    return dd_cli_fail (error);
  return 0;
}

static GOptionEntry letters_entries[] = {
  { "date", 0, 0, G_OPTION_ARG_STRING, &opt_date,
    N_("The ladder day whose letters to write, YYYY-MM-DD (default: today)"), N_("DATE") },
  { "folder", 0, 0, G_OPTION_ARG_FILENAME, &opt_letters,
    N_("The folder of the letters (a folder per day is made in it)"), N_("FOLDER") },
  { "json", 0, 0, G_OPTION_ARG_NONE, &dd_cli_json, N_("Print as JSON"), NULL },
  { NULL }
};

/* ladder letters: the demand-letter step's letters of a day, as one batch (those still
 * missing: a day already written gives none) */
static int
ladder_letters (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— the demand letters of a ladder day, one PDF each and one to print"));
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdLadderLetterBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *day = NULL;
  g_autoptr(DdLadderRunner) runner = NULL;

  if (!dd_cli_parse_options (context, letters_entries, &argc, &argv))
    return 2;
  if (opt_letters == NULL)
    return dd_cli_usage_error (_("--folder FOLDER is needed"));
  day = opt_date != NULL ? g_strdup (opt_date) : today_text ();
  database = dd_cli_open_database ();
  if (database == NULL)
    return 1;
  runner = dd_ladder_runner_new (database);
  set_runner_letters (runner, opt_letters);
  batch = dd_ladder_runner_write_letters (runner, day, &error);
  if (batch == NULL)
    return dd_cli_fail (error);
  if (dd_cli_json)
    {
      static const DdCliField batch_fields[] = {
        DD_CLI_FIELD_AS (DdLadderLetterBatch, n_letters, "letters"),
        DD_CLI_FIELD_AS (DdLadderLetterBatch, n_cases, "cases"),
        DD_CLI_FIELD (DdLadderLetterBatch, combined_pdf),
        DD_CLI_FIELD (DdLadderLetterBatch, posting_list),
        { NULL }
      };
      g_autoptr(JsonBuilder) b = begin_day_json (day);

      dd_cli_add_json_fields (b, batch, batch_fields);
      dd_json_begin_array_member (b, "pdfs");
      for (guint i = 0; i < batch->letter_pdfs->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (batch->letter_pdfs, i));
      json_builder_end_array (b);
      print_day_json (b);
    }
  else if (batch->n_letters == 0)
    /* Translators: %s is a date */
    g_print (_("No demand letters are due from the ladder of %s\n"), day);
  else
    /* Translators: %1$u letters, %2$u cases, %3$s the PDF to print */
    g_print (g_dngettext (GETTEXT_PACKAGE, "%1$u demand letter (%2$u cases): %3$s\n",
                          "%1$u demand letters (%2$u cases): %3$s\n", batch->n_letters),
             batch->n_letters, batch->n_cases, batch->combined_pdf);
  return 0;
}

int
dd_cli_ladder (int    argc,
               char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "plan"))
    return ladder_plan (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "run"))
    return ladder_run (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "policy"))
    return ladder_policy (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "letters"))
    return ladder_letters (argc - 1, argv + 1);
  if (argc >= 2 && (g_str_equal (argv[1], "exclude") || g_str_equal (argv[1], "include") ||
                    g_str_equal (argv[1], "pause")))
    return ladder_case (argc - 1, argv + 1);
  g_printerr ("%s\n", _("Usage: dunning-desk-cli ladder plan|run|letters|policy|exclude|include|pause "
                        "[OPTIONS…]"));
  return 2;
}

/* flow simulate */

static char *opt_keys;
static gint64 opt_case;

static GOptionEntry simulate_entries[] = {
  { "case", 0, 0, G_OPTION_ARG_INT64, &opt_case, N_("The case whose data the flow speaks"),
    N_("ID") },
  { "keys", 0, 0, G_OPTION_ARG_STRING, &opt_keys,
    N_("The keys the debtor presses, in order (“1,3#”: commas and spaces are ignored)"),
    N_("KEYS") },
  DD_CLI_JSON_ENTRY,
  { NULL }
};

static DdIvrCaseInfo *
case_info (DdDatabase  *database,
           gint64       case_id,
           GError     **error)
{
  g_autoptr(DdIvrCaseInfo) info = dd_ivr_case_info_new ();
  GError *local_error = NULL;
  DdStatement *stmt;
  gboolean found = FALSE;

  stmt = dd_database_query (database, error,
                            "SELECT d.name, d.language, cr.name, c.balance_minor, c.currency,"
                            " (SELECT l.invoice_no FROM liability l WHERE l.case_id = c.id"
                            "  AND l.paid_at IS NULL ORDER BY COALESCE(l.due_on, '9999'), l.id"
                            "  LIMIT 1),"
                            " (SELECT l.amount_minor FROM liability l WHERE l.case_id = c.id"
                            "  AND l.paid_at IS NULL ORDER BY COALESCE(l.due_on, '9999'), l.id"
                            "  LIMIT 1),"
                            " c.oldest_due_on"
                            " FROM debt_case c JOIN debtor d ON d.id = c.debtor_id"
                            " JOIN creditor cr ON cr.id = c.creditor_id WHERE c.id = ?",
                            DD_INT (case_id), DD_END);
  if (stmt == NULL)
    return NULL;
  if (dd_statement_step (stmt, &local_error))
    {
      const char *currency = dd_statement_get_text (stmt, 4);

      found = TRUE;
      info->name = g_strdup (dd_statement_get_text (stmt, 0));
      if (dd_statement_get_text (stmt, 1) != NULL)
        {
          g_free (info->language);
          info->language = g_strdup (dd_statement_get_text (stmt, 1));
        }
      info->creditor = g_strdup (dd_statement_get_text (stmt, 2));
      info->balance_minor = dd_statement_get_int64 (stmt, 3);
      if (currency != NULL)
        g_strlcpy (info->currency, currency, sizeof info->currency);
      info->invoice = g_strdup (dd_statement_get_text (stmt, 5));
      info->amount_minor = dd_statement_is_null (stmt, 6) ? info->balance_minor
                                                         : dd_statement_get_int64 (stmt, 6);
      if (dd_statement_get_text (stmt, 7) != NULL)
        g_date_set_parse (&info->due_date, dd_statement_get_text (stmt, 7));
    }
  dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (!found)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no case %" PRId64 "."),
                   case_id);
      return NULL;
    }
  return g_steal_pointer (&info);
}

static const char *
action_name (DdIvrActionType type)
{
  static const char *const names[] = {
    "play", "stop-playback", "start-timer", "stop-timer", "collect", "transfer", "send-sms",
    "record-declaration", "set-status", "hang-up",
  };

  return type < G_N_ELEMENTS (names) ? names[type] : "?";
}

typedef struct
{
  JsonBuilder *json;
  guint        timer;        /* the timer the flow waits for, 0: none */
  guint        playing;      /* plays not yet done */
  gboolean     transfer;     /* a transfer waits for its result */
  gboolean     hung_up;
} Sim;

static void
trace_event (Sim        *sim,
             const char *event,
             char        key)
{
  if (sim->json != NULL)
    {
      json_builder_begin_object (sim->json);
      dd_json_add_string (sim->json, "event", event);
      if (key != 0)
        {
          char k[2] = { key, 0 };

          dd_json_add_string (sim->json, "key", k);
        }
      json_builder_end_object (sim->json);
    }
  else if (key != 0)
    /* Translators: flow simulate: the debtor pressed a key */
    g_print (_("  key %c\n"), key);
  else
    g_print ("  (%s)\n", event);
}

static void
trace_actions (Sim       *sim,
               GPtrArray *actions)
{
  for (guint i = 0; actions != NULL && i < actions->len; i++)
    {
      const DdIvrAction *a = g_ptr_array_index (actions, i);
      g_autofree char *detail = NULL;

      switch (a->type)
        {
        case DD_IVR_ACTION_PLAY:
          sim->playing++;
          detail = g_strdup (a->text != NULL ? a->text : a->file);
          break;
        case DD_IVR_ACTION_STOP_PLAYBACK:
          sim->playing = 0;
          break;
        case DD_IVR_ACTION_START_TIMER:
          sim->timer = a->timer_id;
          detail = g_strdup_printf ("%u ms", a->timeout_ms);
          break;
        case DD_IVR_ACTION_STOP_TIMER:
          if (sim->timer == a->timer_id)
            sim->timer = 0;
          break;
        case DD_IVR_ACTION_COLLECT:
          detail = g_strdup_printf ("%u-%u", a->min_digits, a->max_digits);
          break;
        case DD_IVR_ACTION_TRANSFER:
          sim->transfer = TRUE;
          detail = g_strdup (a->queue);
          break;
        case DD_IVR_ACTION_SEND_SMS:
          detail = g_strdup (a->text);
          break;
        case DD_IVR_ACTION_RECORD_DECLARATION:
          {
            g_autofree char *date = g_date_valid (&a->date) ? dd_date_to_iso (&a->date) : NULL;

            detail = g_strdup_printf ("%" PRId64 " %s %s", a->amount_minor, a->currency,
                                      date != NULL ? date : "");
          }
          break;
        case DD_IVR_ACTION_SET_STATUS:
          detail = g_strdup (a->status);
          break;
        case DD_IVR_ACTION_HANG_UP:
          sim->hung_up = TRUE;
          break;
        default:
          break;
        }
      if (a->type == DD_IVR_ACTION_START_TIMER || a->type == DD_IVR_ACTION_STOP_TIMER ||
          a->type == DD_IVR_ACTION_STOP_PLAYBACK || a->type == DD_IVR_ACTION_COLLECT)
        continue;   /* the host's bookkeeping: not part of what the debtor hears */
      if (sim->json != NULL)
        {
          json_builder_begin_object (sim->json);
          dd_json_add_string (sim->json, "action", action_name (a->type));
          dd_json_add_string (sim->json, "node", a->node_id);
          if (detail != NULL)
            {
              dd_json_add_string (sim->json, "text", detail);
            }
          json_builder_end_object (sim->json);
        }
      else
        g_print ("%-20s %-10s %s\n", action_name (a->type), a->node_id != NULL ? a->node_id : "",
                 detail != NULL ? detail : "");
    }
}

static int
flow_simulate (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FLOW.json — the flow's trace for a case, without a call"));
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdIvrFlow) flow = NULL;
  g_autoptr(DdIvrCaseInfo) info = NULL;
  g_autoptr(DdIvrMachine) machine = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(JsonBuilder) json = NULL;
  g_autofree char *text = NULL;
  const char *keys;
  gsize length = 0;
  Sim sim = { 0 };

  if (!dd_cli_parse_options (context, simulate_entries, &argc, &argv))
    return 2;
  if (argc < 2 || opt_case <= 0)
    {
      g_printerr ("%s\n", _("Usage: dunning-desk-cli flow simulate FLOW.json --case ID "
                            "[--keys KEYS] [--json]"));
      return 2;
    }
  if (!g_file_get_contents (argv[1], &text, &length, &error) ||
      (flow = dd_ivr_flow_new_from_data (text, (gssize) length, &error)) == NULL)
    return dd_cli_fail (error);
  database = dd_cli_open_database ();
  if (database == NULL)
    return 1;
  info = case_info (database, opt_case, &error);
  if (info == NULL)
    return dd_cli_fail (error);

  if (dd_cli_json)
    {
      sim.json = json = json_builder_new ();
      json_builder_begin_object (json);
      dd_json_add_string (json, "flow", dd_ivr_flow_get_name (flow));
      dd_json_add_int (json, "case_id", opt_case);
      dd_json_begin_array_member (json, "trace");
    }
  else
    /* Translators: flow simulate's first line: flow name, case id */
    g_print (_("Flow “%1$s” for case %2$" PRId64 "\n"), dd_ivr_flow_get_name (flow), opt_case);

  machine = dd_ivr_machine_new (flow, info, now);
  trace_event (&sim, "answered", 0);
  actions = dd_ivr_machine_answered (machine);
  keys = opt_keys != NULL ? opt_keys : "";
  for (guint guard = 0; guard < 10000; guard++)
    {
      trace_actions (&sim, actions);
      g_clear_pointer (&actions, g_ptr_array_unref);
      if (dd_ivr_machine_get_state (machine) == DD_IVR_MACHINE_FINISHED || sim.hung_up)
        break;
      while (*keys == ',' || *keys == ' ')
        keys++;
      if (sim.transfer)
        {
          sim.transfer = FALSE;
          trace_event (&sim, "transfer-not-answered", 0);
          actions = dd_ivr_machine_transfer_result (machine, FALSE);
        }
      else if (sim.playing > 0)
        {
          sim.playing--;
          actions = dd_ivr_machine_playback_done (machine);
        }
      else if (*keys != '\0')
        {
          char key = *keys++;

          trace_event (&sim, "key", key);
          actions = dd_ivr_machine_dtmf (machine, key);
        }
      else if (sim.timer != 0)
        {
          guint timer = sim.timer;

          sim.timer = 0;
          trace_event (&sim, "timeout", 0);
          actions = dd_ivr_machine_timeout (machine, timer);
        }
      else
        {
          trace_event (&sim, "hung-up", 0);
          actions = dd_ivr_machine_hung_up (machine);
        }
    }

  {
    g_autofree char *path_text = dd_ivr_machine_get_trace_string (machine);

    if (json != NULL)
      {
        json_builder_end_array (json);
        dd_json_add_string (json, "path", path_text);
        json_builder_end_object (json);
        dd_cli_print_json (json);
      }
    else
      /* Translators: flow simulate: the nodes the call went through */
      g_print (_("Path: %s\n"), path_text);
  }
  return 0;
}

int
dd_cli_flow (int    argc,
             char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "simulate"))
    return flow_simulate (argc - 1, argv + 1);
  g_printerr ("%s\n", _("Usage: dunning-desk-cli flow simulate FLOW.json --case ID [--keys KEYS] "
                        "[--json]"));
  return 2;
}
