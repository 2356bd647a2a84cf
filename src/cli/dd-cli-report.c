/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dunning-desk-cli"

#include "config.h"

#include "dd-cli-private.h"

#include "dd-mail.h"
#include "dd-report-pdf.h"
#include "dd-report-table.h"
#include "dd-reports.h"
#include "dd-secret-store.h"

#include <math.h>

/* report campaign|effect|promises|ageing|work [--from D --to D] [--creditor X]
 * [--campaign ID] [--csv FILE | --pdf FILE | --json] */

static char *opt_from;
static char *opt_to;
static char *opt_creditor;
static gint64 opt_campaign;
static char *opt_csv;
static char *opt_pdf;
static gboolean opt_spreadsheet;

/* The filter of every report command, before its own options */
static GOptionEntry period_entries[] = {
  { "from", 0, 0, G_OPTION_ARG_STRING, &opt_from, N_("The first day of the period"),
    N_("YYYY-MM-DD") },
  { "to", 0, 0, G_OPTION_ARG_STRING, &opt_to, N_("The last day of the period"),
    N_("YYYY-MM-DD") },
  { "creditor", 0, 0, G_OPTION_ARG_STRING, &opt_creditor,
    N_("Only this creditor’s cases (its name or ID)"), N_("CREDITOR") },
  { "campaign", 0, 0, G_OPTION_ARG_INT64, &opt_campaign, N_("Only this campaign"), N_("ID") },
  { NULL }
};

static GOptionEntry report_entries[] = {
  { "csv", 0, 0, G_OPTION_ARG_FILENAME, &opt_csv, N_("Write the report as CSV"), N_("FILE") },
  { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &opt_pdf, N_("Write the report as PDF"), N_("FILE") },
  { "spreadsheet", 0, 0, G_OPTION_ARG_NONE, &opt_spreadsheet,
    N_("With --csv: for a spreadsheet in your language (Polish and Russian: “;” and decimal "
       "commas)"), NULL },
  DD_CLI_JSON_ENTRY,
  { NULL }
};

static void
clear_options (void)
{
  g_clear_pointer (&opt_from, g_free);
  g_clear_pointer (&opt_to, g_free);
  g_clear_pointer (&opt_creditor, g_free);
  g_clear_pointer (&opt_csv, g_free);
  g_clear_pointer (&opt_pdf, g_free);
  opt_campaign = 0;
  opt_spreadsheet = FALSE;
}

static gboolean
valid_day (const char *text)
{
  int y, m, d;

  return text != NULL && strlen (text) == 10 && text[4] == '-' && text[7] == '-' &&
         sscanf (text, "%d-%d-%d", &y, &m, &d) == 3 && g_date_valid_dmy (d, m, y);
}

/* The ageing buckets of the office (GSettings report-ageing-buckets), else 30, 60, 90. */
static GArray *
office_buckets (void)
{
  g_autoptr(GSettings) settings = dd_cli_office_settings ("report-ageing-buckets");

  return dd_report_ageing_bounds (settings);
}

static gboolean
resolve_creditor (DdDatabase  *database,
                  gint64      *out_id,
                  GError     **error)
{
  gboolean found = FALSE;
  char *end = NULL;
  gint64 id;

  *out_id = 0;
  if (opt_creditor == NULL)
    return TRUE;
  id = g_ascii_strtoll (opt_creditor, &end, 10);
  if (end != NULL && *end == '\0' && id > 0)
    {
      if (!dd_database_fetch_int64 (database, out_id, &found, error,
                                    "SELECT id FROM creditor WHERE id = ?", DD_INT (id), DD_END))
        return FALSE;
    }
  else if (!dd_database_fetch_int64 (database, out_id, &found, error,
                                     "SELECT id FROM creditor WHERE name = ?",
                                     DD_TEXT (opt_creditor), DD_END))
    return FALSE;
  if (!found)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No creditor “%s”"),
                   opt_creditor);
      return FALSE;
    }
  return TRUE;
}

static char *
period_text (void)
{
  return dd_report_period_text (opt_from, opt_to);
}

static void
print_json (const char            *name,
            const DdReportFilter  *filter,
            const DdReportEffect  *effect,
            GPtrArray             *tables)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  dd_json_add_string (b, "report", name);
  dd_json_add_string (b, "from", filter->from);
  dd_json_add_string (b, "to", filter->to);
  dd_json_add_int (b, "creditor_id", filter->creditor_id);
  dd_json_add_int (b, "campaign_id", filter->campaign_id);
  if (effect != NULL)
    dd_json_add_boolean (b, "payments_imported", effect->payments_imported);
  for (guint t = 0; t < tables->len; t++)
    {
      const DdReportTable *table = g_ptr_array_index (tables, t);

      dd_json_begin_array_member (b, table->key);
      for (guint r = 0; r < table->rows->len; r++)
        {
          json_builder_begin_object (b);
          for (guint c = 0; c < table->columns->len; c++)
            {
              const DdReportColumn *column = &g_array_index (table->columns, DdReportColumn, c);
              const DdReportCell *cell = dd_report_table_cell (table, r, c);

              if (cell->kind == DD_REPORT_CELL_MONEY)
                {
                  g_autofree char *key = g_strconcat (column->key, "_minor", NULL);

                  json_builder_set_member_name (b, key);
                }
              else
                json_builder_set_member_name (b, column->key);
              switch (cell->kind)
                {
                case DD_REPORT_CELL_TEXT:
                  json_builder_add_string_value (b, cell->text);
                  break;
                case DD_REPORT_CELL_SHARE:
                  if (isnan (cell->share))
                    json_builder_add_null_value (b);
                  else
                    json_builder_add_double_value (b, cell->share);
                  break;
                case DD_REPORT_CELL_INT:
                case DD_REPORT_CELL_MONEY:
                default:
                  json_builder_add_int_value (b, cell->value);
                  break;
                }
              if (cell->kind == DD_REPORT_CELL_MONEY && cell->text != NULL)
                {
                  /* the amount's currency beside it: amounts of two are never summed */
                  g_autofree char *key = g_strconcat (column->key, "_currency", NULL);

                  dd_json_add_string (b, key, cell->text);
                }
            }
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  dd_cli_print_json (b);
}

static void
print_text (GPtrArray *tables)
{
  for (guint t = 0; t < tables->len; t++)
    {
      const DdReportTable *table = g_ptr_array_index (tables, t);

      g_print ("%s%s\n", t > 0 ? "\n" : "", table->title);
      if (table->note != NULL)
        g_print ("%s\n", table->note);
      for (guint c = 0; c < table->columns->len; c++)
        g_print ("%s%s", c > 0 ? "\t" : "",
                 g_array_index (table->columns, DdReportColumn, c).title);
      g_print ("\n");
      for (guint r = 0; r < table->rows->len; r++)
        {
          for (guint c = 0; c < table->columns->len; c++)
            {
              g_autofree char *text = dd_report_cell_format (dd_report_table_cell (table, r, c));

              g_print ("%s%s", c > 0 ? "\t" : "", text);
            }
          g_print ("\n");
        }
    }
}

static const char * const report_names[] = { "campaign", "effect", "promises", "ageing",
                                             "work" };

static const char *
report_title (guint index)
{
  return dd_report_title (index);
}

/* The tables of report @which for @filter; @out_effect is filled for the effect report. */
static GPtrArray *
build_tables (DdDatabase            *database,
              guint                  which,
              const DdReportFilter  *filter,
              DdReportEffect        *out_effect,
              gboolean              *out_have_effect,
              GError               **error)
{
  g_autoptr(GArray) bounds = office_buckets ();
  GPtrArray *tables = dd_report_make_tables (database, which, filter, bounds, out_effect, NULL,
                                             error);

  *out_have_effect = tables != NULL && which == 1;
  return tables;
}

/* Parses the options of a report command and checks its dates; FALSE (the options cleared by
 * @clear) after saying what is wrong. */
static gboolean
parse_period_options (const char     *summary,
                      GOptionEntry   *entries,
                      void          (*clear) (void),
                      int            *argc,
                      char         ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (summary);

  g_option_context_add_main_entries (context, period_entries, GETTEXT_PACKAGE);
  if (!dd_cli_parse_options (context, entries, argc, argv))
    {
      clear ();
      return FALSE;
    }
  if ((opt_from != NULL && !valid_day (opt_from)) || (opt_to != NULL && !valid_day (opt_to)))
    {
      dd_cli_print_error (_("Dates are written YYYY-MM-DD"));
      clear ();
      return FALSE;
    }
  return TRUE;
}

/* report email REPORT|weekly|test|retry|due: the e-mail summary */

static char *opt_server;
static int opt_port = -1;
static char *opt_security;
static char *opt_user;
static gboolean opt_password_stdin;
static char *opt_sender;
static char **opt_recipients;
static char *opt_ca_file;
static gboolean opt_all;

static GOptionEntry email_entries[] = {
  { "server", 0, 0, G_OPTION_ARG_STRING, &opt_server,
    N_("The SMTP server (default: Preferences › E-mail)"), N_("HOST") },
  { "port", 0, 0, G_OPTION_ARG_INT, &opt_port, N_("The SMTP server’s port"), N_("PORT") },
  { "security", 0, 0, G_OPTION_ARG_STRING, &opt_security,
    N_("starttls, tls or none"), N_("SECURITY") },
  { "user", 0, 0, G_OPTION_ARG_STRING, &opt_user, N_("The user name for the SMTP login"),
    N_("USER") },
  { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &opt_password_stdin,
    N_("Read the password from standard input instead of the keyring"), NULL },
  { "sender", 0, 0, G_OPTION_ARG_STRING, &opt_sender, N_("The sender’s address"),
    N_("ADDRESS") },
  { "recipient", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_recipients,
    N_("A recipient (repeat for more)"), N_("ADDRESS") },
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_ca_file,
    N_("Trust the certificates in this file"), N_("FILE") },
  { "all", 0, 0, G_OPTION_ARG_NONE, &opt_all,
    N_("retry: send every queued e-mail now, without waiting for its next attempt"), NULL },
  { "json", 0, 0, G_OPTION_ARG_NONE, &dd_cli_json, N_("Print as JSON"), NULL },
  { NULL }
};

static void
clear_email_options (void)
{
  clear_options ();
  g_clear_pointer (&opt_server, g_free);
  g_clear_pointer (&opt_security, g_free);
  g_clear_pointer (&opt_user, g_free);
  g_clear_pointer (&opt_sender, g_free);
  g_clear_pointer (&opt_recipients, g_strfreev);
  g_clear_pointer (&opt_ca_file, g_free);
  opt_port = -1;
  opt_password_stdin = FALSE;
  opt_all = FALSE;
}

static void
on_password_found (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  char *password = dd_mail_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, password, (GDestroyNotify) dd_secret_free);
  g_object_unref (task);
}

/* The account of the settings with the options laid over it, its password found. */
static DdMailAccount *
email_account (GError **error)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(DdMailAccount) account = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema != NULL && g_settings_schema_has_key (schema, "mail-server"))
    {
      g_autoptr(GSettings) settings = g_settings_new_full (schema, NULL, NULL);

      account = dd_mail_account_new_from_settings (settings);
    }
  else
    account = dd_mail_account_new ();
  if (opt_server != NULL)
    {
      g_free (account->server);
      account->server = g_strdup (opt_server);
    }
  if (opt_port >= 0)
    account->port = (guint) opt_port;
  if (opt_security != NULL && !dd_mail_security_from_string (opt_security, &account->security))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Unknown security “%s”: give starttls, tls or none"), opt_security);
      return NULL;
    }
  if (opt_user != NULL)
    {
      g_free (account->user);
      account->user = g_strdup (opt_user);
    }
  if (opt_sender != NULL)
    {
      g_free (account->from);
      account->from = g_strdup (opt_sender);
    }
  if (opt_recipients != NULL)
    {
      g_strfreev (account->recipients);
      account->recipients = g_strdupv (opt_recipients);
    }
  account->ca_file = g_strdup (opt_ca_file);

  if (opt_password_stdin)
    {
      char line[1024];

      if (fgets (line, sizeof line, stdin) != NULL)
        {
          line[strcspn (line, "\r\n")] = '\0';
          account->password = g_strdup (line);
        }
      explicit_bzero (line, sizeof line);
    }
  else if (account->user != NULL && *account->user != '\0' && account->server != NULL)
    {
      g_autoptr(GMainContext) context = g_main_context_new ();
      g_autoptr(GTask) task = NULL;

      g_main_context_push_thread_default (context);
      task = g_task_new (NULL, NULL, NULL, NULL);
      dd_mail_password_lookup (account, NULL, on_password_found, g_object_ref (task));
      while (!g_task_get_completed (task))
        g_main_context_iteration (context, TRUE);
      g_main_context_pop_thread_default (context);
      account->password = g_task_propagate_pointer (task, error);
      if (account->password == NULL && error != NULL && *error != NULL)
        return NULL;
    }
  return g_steal_pointer (&account);
}

static int
email_outcome (gboolean      ok,
               guint         sent,
               guint         waiting,
               const GError *error)
{
  if (dd_cli_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (b);
      dd_json_add_int (b, "sent", sent);
      dd_json_add_int (b, "waiting", waiting);
      json_builder_set_member_name (b, "error");
      if (error != NULL)
        json_builder_add_string_value (b, error->message);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      text = json_to_string (root, TRUE);
      g_print ("%s\n", text);
    }
  else
    {
      g_print (ngettext ("%u e-mail sent", "%u e-mails sent", sent), sent);
      g_print ("\n");
      if (waiting > 0)
        {
          g_print (ngettext ("%u e-mail waits to be sent again", "%u e-mails wait to be sent again",
                             waiting), waiting);
          g_print ("\n");
        }
    }
  if (!ok)
    return dd_cli_fail (error);
  return 0;
}

static int
report_email (int    argc,
              char **argv)
{
  static const char * const kinds[] = { "weekly", "test", "retry", "due" };
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdMailAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  guint which = G_N_ELEMENTS (report_names);
  guint special = G_N_ELEMENTS (kinds);
  guint sent = 0, waiting = 0;
  gboolean ok;
  int status;

  if (argc >= 2)
    {
      for (guint i = 0; i < G_N_ELEMENTS (report_names); i++)
        if (g_str_equal (argv[1], report_names[i]))
          which = i;
      for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        if (g_str_equal (argv[1], kinds[i]))
          special = i;
    }
  if (which == G_N_ELEMENTS (report_names) && special == G_N_ELEMENTS (kinds))
    {
      g_printerr ("%s\n", _("Usage: dunning-desk-cli report email "
                            "campaign|effect|promises|ageing|work|weekly|test|retry|due "
                            "[--from D --to D] [--creditor X] [--campaign ID] [--server HOST] "
                            "[--port N] [--security starttls|tls|none] [--user U] "
                            "[--password-stdin] [--sender A] [--recipient A…] [--all] [--json]"));
      return 2;
    }
  argc--;
  argv++;
  if (!parse_period_options (_("— e-mail a report’s summary"), email_entries,
                             clear_email_options, &argc, &argv))
    return 2;
  account = email_account (&error);
  if (account == NULL)
    goto fail;

  if (special == 1) /* test: straight to the server, not through the outbox */
    {
      g_autofree char *message = NULL;

      if (!dd_mail_account_check (account, &error))
        goto fail;
      message = dd_mail_compose_test (account);
      ok = dd_mail_transfer (account, (const char * const *) account->recipients, message,
                             &error);
      status = email_outcome (ok, ok ? 1 : 0, 0, error);
      clear_email_options ();
      return status;
    }

  database = dd_cli_open_database ();
  if (database == NULL)
    {
      clear_email_options ();
      return 1;
    }

  if (special == 3) /* due: what the schedule of the settings asks for */
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr(GSettingsSchema) schema = NULL;
      g_autoptr(GSettings) settings = NULL;
      g_autofree char *office = dd_cli_office_setting ("office-name", "");
      DdMailSchedule schedule = { TRUE, TRUE, 0, office };
      gint64 weekly_sent = 0;
      guint queued = 0;

      if (source != NULL)
        schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
      if (schema != NULL && g_settings_schema_has_key (schema, "mail-weekly-sent"))
        {
          settings = g_settings_new_full (schema, NULL, NULL);
          schedule.weekly = g_settings_get_boolean (settings, "mail-summary-weekly");
          schedule.after_campaign = g_settings_get_boolean (settings,
                                                            "mail-summary-after-campaign");
          schedule.weekly_sent = g_settings_get_int64 (settings, "mail-weekly-sent");
        }
      if (!dd_mail_queue_due (database, account, &schedule, g_get_real_time () / G_USEC_PER_SEC,
                              &queued, &weekly_sent, &error))
        goto fail;
      if (settings != NULL && weekly_sent != schedule.weekly_sent)
        {
          g_settings_set_int64 (settings, "mail-weekly-sent", weekly_sent);
          g_settings_sync ();
        }
    }

  if (special == 0) /* weekly: the campaign results of the last seven days */
    {
      g_autoptr(GDateTime) today = g_date_time_new_now_local ();
      g_autoptr(GDateTime) start = g_date_time_add_days (today, -7);
      g_autoptr(GDateTime) end = g_date_time_add_days (today, -1);

      which = 0;
      if (opt_from == NULL)
        opt_from = g_date_time_format (start, "%Y-%m-%d");
      if (opt_to == NULL)
        opt_to = g_date_time_format (end, "%Y-%m-%d");
    }

  if (which < G_N_ELEMENTS (report_names))
    {
      g_autoptr(GPtrArray) tables = NULL;
      g_autofree char *office = dd_cli_office_setting ("office-name", "");
      g_autofree char *period = period_text ();
      g_autofree char *dir = NULL;
      g_autofree char *pdf = NULL;
      g_autofree char *stem = NULL;
      g_autofree char *subject = NULL;
      g_autofree char *message = NULL;
      g_autoptr(GDateTime) today = g_date_time_new_now_local ();
      g_autofree char *day = g_date_time_format (today, "%Y-%m-%d");
      DdReportFilter filter = { 0 };
      DdReportEffect effect;
      gboolean have_effect = FALSE;

      if (!dd_mail_account_check (account, &error))
        goto fail;
      filter.from = opt_from;
      filter.to = opt_to;
      filter.campaign_id = opt_campaign;
      if (!resolve_creditor (database, &filter.creditor_id, &error))
        goto fail;
      tables = build_tables (database, which, &filter, &effect, &have_effect, &error);
      if (tables == NULL)
        goto fail;
      dir = g_dir_make_tmp ("dd-mail-XXXXXX", &error);
      if (dir == NULL)
        goto fail;
      stem = g_strdup_printf ("report-%s-%s", report_names[which], day);
      pdf = g_build_filename (dir, "report.pdf", NULL);
      ok = dd_report_pdf_write (pdf, report_title (which), office, period, tables, &error);
      if (ok)
        message = dd_mail_report_summary (account, report_title (which), office, period, tables,
                                          pdf, stem, &subject, &error);
      g_unlink (pdf);
      g_rmdir (dir);
      if (message == NULL ||
          !dd_mail_outbox_add (database, report_names[which], account->from,
                               (const char * const *) account->recipients, subject, message,
                               g_get_real_time () / G_USEC_PER_SEC, NULL, &error))
        goto fail;
    }

  /* send what is due: the new summary and any earlier one that failed */
  ok = dd_mail_outbox_flush (database, account,
                             opt_all ? G_MAXINT64 : g_get_real_time () / G_USEC_PER_SEC, &sent,
                             &waiting, &error);
  status = email_outcome (ok, sent, waiting, error);
  clear_email_options ();
  return status;

fail:
  clear_email_options ();
  return dd_cli_fail (error);
}

int
dd_cli_report (int    argc,
               char **argv)
{
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  g_autoptr(GError) error = NULL;
  DdReportFilter filter = { 0 };
  DdReportEffect effect;
  gboolean have_effect = FALSE;
  guint which = G_N_ELEMENTS (report_names);
  int status = 0;

  if (argc >= 2 && g_str_equal (argv[1], "email"))
    return report_email (argc - 1, argv + 1);
  if (argc >= 2)
    for (guint i = 0; i < G_N_ELEMENTS (report_names); i++)
      if (g_str_equal (argv[1], report_names[i]))
        which = i;
  if (which == G_N_ELEMENTS (report_names))
    {
      g_printerr ("%s\n", _("Usage: dunning-desk-cli report campaign|effect|promises|ageing|work "
                            "[--from D --to D] [--creditor X] [--campaign ID] "
                            "[--csv FILE | --pdf FILE | --json]\n"
                            "       dunning-desk-cli report email REPORT|weekly|test|retry …"));
      return 2;
    }
  argc--;
  argv++;
  if (!parse_period_options (_("— a report"), report_entries, clear_options, &argc, &argv))
    return 2;
  if ((opt_csv != NULL) + (opt_pdf != NULL) + (dd_cli_json != FALSE) > 1)
    {
      dd_cli_print_error (_("Give only one of --csv, --pdf and --json"));
      clear_options ();
      return 2;
    }

  database = dd_cli_open_database ();
  if (database == NULL)
    {
      clear_options ();
      return 1;
    }
  filter.from = opt_from;
  filter.to = opt_to;
  filter.campaign_id = opt_campaign;
  if (!resolve_creditor (database, &filter.creditor_id, &error))
    goto out;

  tables = build_tables (database, which, &filter, &effect, &have_effect, &error);
  if (tables == NULL)
    goto out;

  if (opt_csv != NULL)
    {
      g_autofree char *csv = opt_spreadsheet ? dd_report_tables_to_csv_for_spreadsheet (tables)
                                             : dd_report_tables_to_csv (tables);

      g_file_set_contents (opt_csv, csv, -1, &error);
    }
  else if (opt_pdf != NULL)
    {
      g_autofree char *office = dd_cli_office_setting ("office-name", "");
      g_autofree char *period = period_text ();

      dd_report_pdf_write (opt_pdf, report_title (which), office, period, tables, &error);
    }
  else if (dd_cli_json)
    print_json (report_names[which], &filter, have_effect ? &effect : NULL, tables);
  else
    print_text (tables);

out:
  if (error != NULL)
    status = dd_cli_fail (error);
  clear_options ();
  return status;
}
