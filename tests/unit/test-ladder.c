/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The escalation ladder: policies, the daily planner and its store, and 45 simulated days. */

#include "dd-claim.h"
#include "dd-database.h"
#include "dd-test-db.h"
#include "dd-ladder-planner.h"
#include "dd-ladder-policy.h"
#include "dd-ladder-store.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* Policies */

static void
test_policy_default (void)
{
  g_autoptr(DdLadderPolicy) p = dd_ladder_policy_new_default ();
  static const struct { gint day; DdLadderChannel channel; } expected[] = {
    { -3, DD_LADDER_SMS }, { 0, DD_LADDER_SMS }, { 3, DD_LADDER_VOICE }, { 7, DD_LADDER_VOICE },
    { 10, DD_LADDER_CONSULTANT_CALL }, { 14, DD_LADDER_DEMAND_LETTER }, { 30, DD_LADDER_HAND_OVER },
  };

  g_assert_cmpuint (dd_ladder_policy_get_n_steps (p), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_cmpint (dd_ladder_policy_get_step (p, i)->offset_days, ==, expected[i].day);
      g_assert_cmpint (dd_ladder_policy_get_step (p, i)->channel, ==, expected[i].channel);
    }
  g_assert_true (dd_ladder_policy_validate (p, NULL));
}

static void
test_policy_json (void)
{
  g_autoptr(DdLadderPolicy) p = dd_ladder_policy_new ("Energia");
  g_autoptr(DdLadderPolicy) back = NULL;
  g_autoptr(DdLadderPolicy) bad = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  /* added out of order: kept sorted by day */
  dd_ladder_policy_add_step (p, 20, DD_LADDER_HAND_OVER, NULL, NULL);
  dd_ladder_policy_add_step (p, 0, DD_LADDER_SMS, "Zapłać {amount}", NULL);
  dd_ladder_policy_add_step (p, 5, DD_LADDER_VOICE, NULL, "payment-reminder");
  json = dd_ladder_policy_to_json (p);
  back = dd_ladder_policy_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->name, ==, "Energia");
  g_assert_cmpuint (dd_ladder_policy_get_n_steps (back), ==, 3);
  g_assert_cmpint (dd_ladder_policy_get_step (back, 0)->offset_days, ==, 0);
  g_assert_cmpstr (dd_ladder_policy_get_step (back, 0)->text, ==, "Zapłać {amount}");
  g_assert_cmpstr (dd_ladder_policy_get_step (back, 1)->flow, ==, "payment-reminder");
  g_assert_cmpint (dd_ladder_policy_get_step (back, 2)->channel, ==, DD_LADDER_HAND_OVER);

  bad = dd_ladder_policy_from_json ("{\"steps\": [{\"day\": 1, \"channel\": \"fax\"}]}", &error);
  g_assert_null (bad);
  g_assert_error (error, DD_LADDER_POLICY_ERROR, DD_LADDER_POLICY_ERROR_PARSE);
  g_clear_error (&error);

  /* a voice step without a flow, two steps on one day */
  dd_ladder_policy_add_step (p, 7, DD_LADDER_VOICE, NULL, NULL);
  g_assert_false (dd_ladder_policy_validate (p, &error));
  g_assert_error (error, DD_LADDER_POLICY_ERROR, DD_LADDER_POLICY_ERROR_INVALID);
  g_clear_error (&error);
  g_array_remove_index (p->steps, 2);
  dd_ladder_policy_add_step (p, 5, DD_LADDER_SMS, "x", NULL);
  g_assert_false (dd_ladder_policy_validate (p, &error));
  g_assert_error (error, DD_LADDER_POLICY_ERROR, DD_LADDER_POLICY_ERROR_INVALID);
}

static void
test_days (void)
{
  static const char *const dates[] = { "1970-01-01", "2024-02-29", "2026-12-31", "2027-03-01",
                                       "2000-01-01", "1999-12-31" };

  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      GDate d;
      g_autofree char *back = NULL;

      g_date_clear (&d, 1);
      g_date_set_parse (&d, dates[i]);
      g_assert_true (g_date_valid (&d));
      g_assert_cmpuint (dd_ladder_day_from_iso (dates[i]), ==, g_date_get_julian (&d));
      back = dd_ladder_day_to_iso (dd_ladder_day_from_iso (dates[i]));
      g_assert_cmpstr (back, ==, dates[i]);
    }
  g_assert_cmpuint (dd_ladder_day_from_iso ("2026-02-29"), ==, 0);
  g_assert_cmpuint (dd_ladder_day_from_iso ("2026-13-01"), ==, 0);
  g_assert_cmpuint (dd_ladder_day_from_iso ("26-1-1"), ==, 0);
  g_assert_cmpuint (dd_ladder_day_from_iso (NULL), ==, 0);
}

/* The office of the simulation */

typedef struct
{
  char          *dir;
  DdDatabase    *db;
  DdLadderStore *store;
} Office;

#define DAY0 "2026-12-01"   /* a Tuesday */

/* Each case is its own debtor, except F and G (debtor 6, two creditors). Due dates are days
 * after DAY0. */
static const struct
{
  const char *name;
  gint64      debtor;
  gint64      creditor;
  gint        due;
} office_cases[] = {
  { "A", 1, 1, 3 },     /* caps: its second SMS falls in the week of the first */
  { "B", 2, 1, 14 },    /* the PC is off on days 20–26: catches up once */
  { "C", 3, 1, 0 },     /* promises to pay, breaks it */
  { "D", 4, 1, 0 },     /* promises to pay, keeps it */
  { "E", 5, 1, 5 },     /* opts out after the first SMS */
  { "F", 6, 1, 13 },    /* F and G: one debtor, two creditors (G's own policy) */
  { "G", 6, 2, 13 },
  { "H", 7, 1, 0 },     /* excluded (dispute) until day 30 */
  { "I", 8, 1, 3 },     /* paused until day 9 */
};

static char *
day_iso (gint n)
{
  return dd_ladder_day_to_iso (dd_ladder_day_from_iso (DAY0) + (guint32) n);
}

static void
office_open (Office *o)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DdLadderPolicy) beta = dd_ladder_policy_new ("Beta");

  o->dir = g_dir_make_tmp ("dd-test-ladder-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (o->dir, "office.db", NULL);
  o->db = dd_test_database_open (path, &error);
  g_assert_no_error (error);
  o->store = dd_ladder_store_new (o->db);

  g_assert_true (dd_database_exec (o->db,
                                   "INSERT INTO creditor (id, name, created_at) VALUES"
                                   " (1, 'Alfa', 'x'), (2, 'Beta', 'x')", &error));
  for (guint i = 0; i < G_N_ELEMENTS (office_cases); i++)
    {
      g_autofree char *due = day_iso (office_cases[i].due);

      g_assert_true (dd_database_execute (o->db, &error,
                                          "INSERT INTO debtor (id, dedup_key, name,"
                                          " created_at, updated_at) VALUES (?, ?, ?, 'x', 'x')"
                                          " ON CONFLICT DO NOTHING",
                                          DD_INT (office_cases[i].debtor),
                                          DD_TEXT (office_cases[i].name),
                                          DD_TEXT (office_cases[i].name), DD_END));
      g_assert_true (dd_database_execute (o->db, &error,
                                          "INSERT INTO phone (debtor_id, e164,"
                                          " created_at) VALUES (?, ?, 'x') ON CONFLICT DO NOTHING",
                                          DD_INT (office_cases[i].debtor),
                                          DD_TEXT (office_cases[i].name), DD_END));
      g_assert_true (dd_database_execute (o->db, &error,
                                          "INSERT INTO debt_case (id, debtor_id, creditor_id,"
                                          " balance_minor, currency, oldest_due_on, created_at,"
                                          " updated_at) VALUES (?, ?, ?, 10000, 'PLN', ?, 'x',"
                                          " 'x')",
                                          DD_INT (i + 1), DD_INT (office_cases[i].debtor),
                                          DD_INT (office_cases[i].creditor), DD_TEXT (due),
                                          DD_END));
      g_assert_no_error (error);
    }

  /* Beta's own ladder: 0 SMS, +5 consultant call, +20 hand-over */
  beta->creditor_id = 2;
  dd_ladder_policy_add_step (beta, 0, DD_LADDER_SMS, "{name}: {amount}", NULL);
  dd_ladder_policy_add_step (beta, 5, DD_LADDER_CONSULTANT_CALL, NULL, NULL);
  dd_ladder_policy_add_step (beta, 20, DD_LADDER_HAND_OVER, NULL, NULL);
  g_assert_true (dd_ladder_store_save_policy (o->store, beta, &error));
  g_assert_no_error (error);
}

static void
office_close (Office *o)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", o->dir);

  g_assert_finalize_object (o->store);
  g_assert_finalize_object (o->db);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (o->dir);
}

static gint64
case_id_of (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (office_cases); i++)
    if (g_str_equal (office_cases[i].name, name))
      return i + 1;
  g_assert_not_reached ();
}

/* What happens before the ladder runs on a day. */
typedef enum
{
  EV_PC_OFF,        /* no run that day */
  EV_DECLARE,       /* a payment declaration, promised on day @arg */
  EV_KEEP,          /* the declaration is kept: paid in full */
  EV_OPT_OUT,
  EV_EXCLUDE,       /* dispute */
  EV_INCLUDE,
  EV_PAUSE,         /* paused through day @arg */
} EventKind;

static const struct
{
  gint        from, to;   /* days */
  EventKind   kind;
  const char *case_name;
  gint        arg;
} events[] = {
  { 0, 0, EV_EXCLUDE, "H", 0 },
  { 0, 0, EV_PAUSE, "I", 9 },
  { 2, 2, EV_DECLARE, "D", 5 },
  { 3, 3, EV_OPT_OUT, "E", 0 },
  { 4, 4, EV_DECLARE, "C", 8 },
  { 5, 5, EV_KEEP, "D", 0 },
  { 20, 26, EV_PC_OFF, NULL, 0 },
  { 30, 30, EV_INCLUDE, "H", 0 },
};

/* What the plan of a day says about a case: "sms-3", "voice+7", "consultant-call+10"…
 * (the case's own step, done that day), "x:REASON" (excluded), "voice+7!" (promise broken).
 * Days and cases not listed: nothing. */
static const struct
{
  gint        from, to;
  const char *case_name;
  const char *expected;
} expected_plan[] = {
  /* A: the 0 SMS is over the cap of one SMS a week until the next week, when the voice step
   * is due: the highest step due wins */
  { 0, 0, "A", "sms-3" },
  { 3, 5, "A", "x:cap-reached" },
  { 6, 6, "A", "voice+3" },
  { 10, 10, "A", "voice+7" },
  { 13, 13, "A", "consultant-call+10" },
  { 17, 17, "A", "demand-letter+14" },
  { 33, 33, "A", "hand-over+30" },
  /* B: +7 voice (day 21) and +10 task (day 24) fall in the week off: day 27 catches up once
   * with the latest step due (the task), the missed voice call is not made */
  { 11, 11, "B", "sms-3" },
  { 14, 14, "B", "sms+0" },
  { 17, 17, "B", "voice+3" },
  { 27, 27, "B", "consultant-call+10" },
  { 28, 28, "B", "demand-letter+14" },
  { 44, 44, "B", "hand-over+30" },
  /* C: due on day 0 (the −3 SMS is past: the latest step due goes); promise on day 4 for
   * day 8, grace 3 days: held through day 11; broken on day 12: back on the step after the
   * one reached, the later ones shifted by 5 days */
  { 0, 0, "C", "sms+0" },
  { 3, 3, "C", "voice+3" },
  { 7, 11, "C", "x:promise-pending" },
  { 12, 12, "C", "voice+7!" },
  { 15, 15, "C", "consultant-call+10" },
  { 19, 19, "C", "demand-letter+14" },
  { 35, 35, "C", "hand-over+30" },
  /* D: promise on day 2 for day 5, kept (paid) on day 5: off the ladder */
  { 0, 0, "D", "sms+0" },
  { 3, 4, "D", "x:promise-pending" },
  /* E: opted out on day 3: no SMS or call; the office's tasks still come */
  { 2, 2, "E", "sms-3" },
  { 5, 14, "E", "x:opt-out" },
  { 15, 15, "E", "consultant-call+10" },
  { 19, 19, "E", "demand-letter+14" },
  { 35, 35, "E", "hand-over+30" },
  /* F and G: one SMS for both on day 13, each case on its own creditor's ladder */
  { 10, 10, "F", "sms-3" },
  { 13, 13, "F", "sms+0" },
  { 13, 13, "G", "sms+0" },
  { 16, 16, "F", "voice+3" },
  { 18, 18, "G", "consultant-call+5" },
  { 27, 27, "F", "demand-letter+14" },
  { 33, 33, "G", "hand-over+20" },
  { 43, 43, "F", "hand-over+30" },
  /* H: excluded until day 30, then the latest step due */
  { 0, 19, "H", "x:dispute" },
  { 27, 29, "H", "x:dispute" },
  { 30, 30, "H", "hand-over+30" },
  /* I: paused through day 9 */
  { 0, 9, "I", "x:paused" },
  { 10, 10, "I", "voice+7" },
  { 13, 13, "I", "consultant-call+10" },
  { 17, 17, "I", "demand-letter+14" },
  { 33, 33, "I", "hand-over+30" },
};

static void
apply_event (Office    *o,
             EventKind  kind,
             gint64     case_id,
             gint       day,
             gint       arg)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *when = day_iso (arg);
  g_autofree char *today = day_iso (day);

  switch (kind)
    {
    case EV_DECLARE:
      g_assert_true (dd_database_execute (o->db, &error,
                                          "INSERT INTO declaration (case_id, amount_minor,"
                                          " currency, promised_on, channel, created_at)"
                                          " VALUES (?, 10000, 'PLN', ?, 'ivr', ?)",
                                          DD_INT (case_id), DD_TEXT (when), DD_TEXT (today),
                                          DD_END));
      break;
    case EV_KEEP:
      g_assert_true (dd_database_execute (o->db, &error,
                                          "UPDATE declaration SET state = 'kept' WHERE case_id = ?",
                                          DD_INT (case_id), DD_END));
      g_assert_true (dd_database_execute (o->db, &error,
                                          "UPDATE debt_case SET balance_minor = 0 WHERE id = ?",
                                          DD_INT (case_id), DD_END));
      break;
    case EV_OPT_OUT:
      g_assert_true (dd_database_execute (o->db, &error,
                                          "UPDATE debtor SET opt_out = 1 WHERE id ="
                                          " (SELECT debtor_id FROM debt_case WHERE id = ?)",
                                          DD_INT (case_id), DD_END));
      break;
    case EV_EXCLUDE:
      g_assert_true (dd_ladder_store_set_excluded (o->store, case_id, "dispute", &error));
      break;
    case EV_INCLUDE:
      g_assert_true (dd_ladder_store_set_excluded (o->store, case_id, NULL, &error));
      break;
    case EV_PAUSE:
      g_assert_true (dd_ladder_store_set_paused (o->store, case_id, when, &error));
      break;
    case EV_PC_OFF:
    default:
      break;
    }
  g_assert_no_error (error);
}

static DdContactPolicy *
one_sms_a_week (void)
{
  DdContactPolicy *policy = dd_contact_policy_new_preset ("pl");

  for (guint k = 0; k < DD_DAY_N_KINDS; k++)
    {
      policy->windows[k].enabled = TRUE;
      policy->windows[k].start_min = 8 * 60;
      policy->windows[k].end_min = 20 * 60;
    }
  memset (policy->caps, 0, sizeof policy->caps);
  memset (&policy->total, 0, sizeof policy->total);
  policy->caps[DD_CONTACT_SMS].per_week = 1;
  g_free (policy->default_zone);
  policy->default_zone = g_strdup ("Europe/Warsaw");
  return policy;
}

static DdLadderPlan *
plan_day (Office                *o,
          const DdContactPolicy *contact,
          guint32                day)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) policies = dd_ladder_store_load_policies (o->store, &error);
  g_autoptr(DdLadderCases) cases = NULL;
  g_autoptr(GHashTable) history = NULL;
  DdLadderPlanOptions options = { 3, contact, NULL, 0 };
  DdLadderPlan *plan;

  g_assert_no_error (error);
  cases = dd_ladder_store_load_cases (o->store, day, 3, &error);
  g_assert_no_error (error);
  history = dd_ladder_store_load_history (o->store, ((gint64) day - 719163 - 40) * 86400, &error);
  g_assert_no_error (error);
  options.history = history;
  plan = dd_ladder_plan_compute (policies, (DdLadderCase *) (gpointer) cases->cases->data,
                                 cases->cases->len, day, &options);
  return plan;
}

/* Does what a run does, as far as the ladder's rows go: claims, records the contact (for
 * the caps), marks done. */
static void
execute_plan (Office             *o,
              const DdLadderPlan *plan)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *day = dd_ladder_day_to_iso (plan->day);
  g_autofree char *sent_at = g_strdup_printf ("%sT10:00:00Z", day);

  for (guint i = 0; i < plan->items->len; i++)
    {
      const DdLadderPlanItem *item = &g_array_index (plan->items, DdLadderPlanItem, i);
      const DdLadderPlanCase *cases = dd_ladder_plan_item_cases (plan, item);
      g_autofree char *key = g_strdup_printf ("ladder-%" G_GINT64_FORMAT "-%s", item->lead_case_id,
                                              day);

      for (guint k = 0; k < item->n_cases; k++)
        {
          gboolean claimed = FALSE;

          g_assert_true (dd_ladder_store_claim (o->store, &cases[k], item->channel,
                                                item->lead_case_id, plan->day, &claimed, &error));
          g_assert_no_error (error);
          g_assert_true (claimed);
        }
      if (item->channel == DD_LADDER_SMS)
        g_assert_true (dd_database_execute (o->db, &error,
                                            "INSERT INTO message (case_id, e164, idempotency_key,"
                                            " body, state, created_at, updated_at, sent_at)"
                                            " VALUES (?, 'x', ?, 'x', 'sent', ?3, ?3, ?3)",
                                            DD_INT (item->lead_case_id), DD_TEXT (key),
                                            DD_TEXT (sent_at), DD_END));
      else if (item->channel == DD_LADDER_VOICE)
        g_assert_true (dd_database_execute (o->db, &error,
                                            "INSERT INTO call_attempt (case_id, started_at)"
                                            " VALUES (?, ?)",
                                            DD_INT (item->lead_case_id), DD_TEXT (sent_at),
                                            DD_END));
      g_assert_no_error (error);
      for (guint k = 0; k < item->n_cases; k++)
        g_assert_true (dd_ladder_store_mark_done (o->store, cases[k].case_id, &error));
      g_assert_no_error (error);
    }
}

/* What the plan says about each case, as in expected_plan. */
static GHashTable *
describe_plan (const DdLadderPlan *plan)
{
  GHashTable *seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  for (guint i = 0; i < plan->items->len; i++)
    {
      const DdLadderPlanItem *item = &g_array_index (plan->items, DdLadderPlanItem, i);
      const DdLadderPlanCase *cases = dd_ladder_plan_item_cases (plan, item);

      for (guint k = 0; k < item->n_cases; k++)
        {
          /* the case's own day, the item's channel (one contact covers the debtor's cases) */
          const char *channel = dd_ladder_channel_to_string (item->channel);
          char *text;

          text = g_strdup_printf ("%s%+d%s", channel, cases[k].offset_days,
                                  cases[k].promise_broken ? "!" : "");
          if (cases[k].offset_days == 0)
            {
              g_free (text);
              text = g_strdup_printf ("%s+0%s", channel, cases[k].promise_broken ? "!" : "");
            }
          g_hash_table_insert (seen, g_memdup2 (&cases[k].case_id, sizeof (gint64)), text);
        }
    }
  for (guint i = 0; i < plan->excluded->len; i++)
    {
      const DdLadderExcludedCase *x = &g_array_index (plan->excluded, DdLadderExcludedCase, i);

      g_assert_false (g_hash_table_contains (seen, &x->case_id));
      g_hash_table_insert (seen, g_memdup2 (&x->case_id, sizeof (gint64)),
                           g_strconcat ("x:", dd_ladder_exclusion_to_string (x->reason), NULL));
    }
  return seen;
}

static void
test_forty_five_days (void)
{
  g_autoptr(DdContactPolicy) contact = one_sms_a_week ();
  guint32 day0 = dd_ladder_day_from_iso (DAY0);
  Office o = { 0 };
  guint n_checked = 0;

  office_open (&o);
  for (gint d = 0; d < 45; d++)
    {
      g_autoptr(DdLadderPlan) plan = NULL;
      g_autoptr(DdLadderPlan) again = NULL;
      g_autoptr(GHashTable) seen = NULL;
      gboolean off = FALSE;

      for (guint e = 0; e < G_N_ELEMENTS (events); e++)
        {
          if (d < events[e].from || d > events[e].to)
            continue;
          if (events[e].kind == EV_PC_OFF)
            off = TRUE;
          else if (d == events[e].from)
            apply_event (&o, events[e].kind, case_id_of (events[e].case_name), d, events[e].arg);
        }
      if (off)
        continue;

      plan = plan_day (&o, contact, day0 + (guint32) d);
      seen = describe_plan (plan);
      for (guint c = 0; c < G_N_ELEMENTS (office_cases); c++)
        {
          gint64 id = (gint64) c + 1;
          const char *expected = NULL;
          const char *got = g_hash_table_lookup (seen, &id);

          for (guint x = 0; x < G_N_ELEMENTS (expected_plan); x++)
            if (d >= expected_plan[x].from && d <= expected_plan[x].to &&
                g_str_equal (expected_plan[x].case_name, office_cases[c].name))
              expected = expected_plan[x].expected;
          if (g_strcmp0 (expected, got) != 0)
            g_error ("day %d, case %s: expected %s, planned %s", d, office_cases[c].name,
                     expected != NULL ? expected : "nothing", got != NULL ? got : "nothing");
          n_checked++;
        }

      /* one debtor, one contact: F and G share one SMS on day 13 */
      if (d == 13)
        for (guint i = 0; i < plan->items->len; i++)
          {
            const DdLadderPlanItem *item = &g_array_index (plan->items, DdLadderPlanItem, i);

            if (item->debtor_id == 6)
              {
                g_assert_cmpuint (item->n_cases, ==, 2);
                g_assert_cmpint (item->channel, ==, DD_LADDER_SMS);
              }
          }

      execute_plan (&o, plan);

      if (d == 12)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *state = NULL;
          gint step = -1;
          gboolean broken = FALSE;

          g_assert_true (dd_ladder_store_get_reached (o.store, case_id_of ("C"), &step, &state,
                                                      &broken, &error));
          g_assert_cmpint (step, ==, 3);
          g_assert_true (broken);
        }

      /* running the day again does nothing more */
      again = plan_day (&o, contact, day0 + (guint32) d);
      g_assert_cmpuint (again->items->len, ==, 0);
    }
  g_assert_cmpuint (n_checked, ==, 38 * G_N_ELEMENTS (office_cases));

  /* A went through the whole ladder */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *state = NULL;
    gint step = -1;
    gboolean broken = TRUE;

    g_assert_true (dd_ladder_store_get_reached (o.store, case_id_of ("A"), &step, &state, &broken,
                                                &error));
    g_assert_cmpint (step, ==, 6);
    g_assert_cmpstr (state, ==, "done");
    g_assert_false (broken);
  }
  office_close (&o);
}

/* A claim never takes a case back, nor twice to the same step; an undone claim is listed. */
static void
test_claims (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) claimed = NULL;
  Office o = { 0 };
  DdLadderPlanCase step = { .case_id = 1, .step = 2, .offset_days = 3 };
  gboolean ok = FALSE;
  gint reached;
  g_autofree char *state = NULL;
  gboolean broken;

  office_open (&o);
  g_assert_true (dd_ladder_store_claim (o.store, &step, DD_LADDER_VOICE, 1, 1000, &ok, &error));
  g_assert_true (ok);
  g_assert_true (dd_ladder_store_claim (o.store, &step, DD_LADDER_VOICE, 1, 1001, &ok, &error));
  g_assert_false (ok);
  step.step = 1;
  g_assert_true (dd_ladder_store_claim (o.store, &step, DD_LADDER_SMS, 1, 1002, &ok, &error));
  g_assert_false (ok);
  claimed = dd_ladder_store_list_claimed (o.store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 1);
  g_assert_cmpint (g_array_index (claimed, DdLadderClaim, 0).step, ==, 2);
  g_assert_cmpint (g_array_index (claimed, DdLadderClaim, 0).channel, ==, DD_LADDER_VOICE);
  g_assert_true (dd_ladder_store_mark_done (o.store, 1, &error));
  g_assert_true (dd_ladder_store_get_reached (o.store, 1, &reached, &state, &broken, &error));
  g_assert_cmpint (reached, ==, 2);
  g_assert_cmpstr (state, ==, "done");
  g_clear_pointer (&claimed, g_array_unref);
  claimed = dd_ladder_store_list_claimed (o.store, &error);
  g_assert_cmpuint (claimed->len, ==, 0);
  office_close (&o);
}

/* On a shared database a desk resumes only the claims no live desk holds: another desk of
 * this computer that is running keeps its own; once it is gone they are resumed, once. */
static void
test_claims_held (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) claimed = NULL;
  g_auto(GStrv) mine = g_strsplit (dd_claim_owner (), " ", 4);
  g_autofree char *stat_path = NULL;
  g_autofree char *stat = NULL;
  g_autofree char *owner = NULL;
  g_auto(GStrv) fields = NULL;
  const char *argv[] = { "sleep", "60", NULL };
  Office o = { 0 };
  DdLadderPlanCase step = { .case_id = 1, .step = 2, .offset_days = 3 };
  gboolean ok = FALSE;
  GPid pid;

  office_open (&o);
  g_assert_true (dd_ladder_store_claim (o.store, &step, DD_LADDER_SMS, 1, 1000, &ok, &error));
  g_assert_true (ok);

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                &pid, &error));
  g_assert_no_error (error);
  stat_path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_assert_true (g_file_get_contents (stat_path, &stat, NULL, NULL));
  fields = g_strsplit (strrchr (stat, ')') + 1, " ", 0);
  owner = g_strdup_printf ("%s %s %d %s", mine[0], mine[1], (int) pid, fields[20]);
  g_assert_true (dd_database_execute (o.db, &error,
                                      "UPDATE ladder_run SET claimed_by = ? WHERE case_id = 1",
                                      DD_TEXT (owner), DD_END));
  g_assert_no_error (error);

  claimed = dd_ladder_store_list_claimed (o.store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 0);
  g_clear_pointer (&claimed, g_array_unref);

  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
  claimed = dd_ladder_store_list_claimed (o.store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 1);
  g_assert_cmpint (g_array_index (claimed, DdLadderClaim, 0).case_id, ==, 1);
  office_close (&o);
}

/* The due-date SMS in the debtor's own time: on the Sundays the clocks change in Warsaw (the
 * weekend window 10:00–16:00 of the Polish preset: 08:00 UTC in March, 09:00 UTC in October),
 * in Moscow the same Sunday (no change: 07:00 UTC), on a working day after the change (08:00
 * CEST), and not at all on a Polish public holiday (11 November) or, under the Russian preset,
 * outside the holiday window of 4 November. */
static void
test_contact_days (void)
{
  static const struct
  {
    const char *day;
    const char *zone;
    const char *preset;
    gint64      not_before;    /* 0: excluded, window closed */
  } rows[] = {
    { "2026-03-29", "Europe/Warsaw", "pl", 1774771200 },
    { "2026-10-25", "Europe/Warsaw", "pl", 1792918800 },
    { "2026-03-29", "Europe/Moscow", "pl", 1774767600 },
    { "2026-03-30", "Europe/Warsaw", "pl", 1774850400 },
    { "2026-10-26", "Europe/Warsaw", "pl", 1792998000 },
    { "2026-11-11", "Europe/Warsaw", "pl", 0 },
    { "2026-11-04", "Europe/Moscow", "ru-230fz", 1793772000 },   /* 09:00 MSK */
  };
  g_autoptr(GPtrArray) policies = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_ladder_policy_free);

  g_ptr_array_add (policies, dd_ladder_policy_new_default ());
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(DdContactPolicy) contact = dd_contact_policy_new_preset (rows[i].preset);
      guint32 day = dd_ladder_day_from_iso (rows[i].day);
      DdLadderCase c = { .case_id = 1, .debtor_id = 1, .creditor_id = 1, .due_day = day,
                         .reached = -1, .has_phone = TRUE, .zone = rows[i].zone };
      DdLadderPlanOptions options = { 3, contact, NULL, 0 };
      DdLadderPlan *plan = dd_ladder_plan_compute (policies, &c, 1, day, &options);

      if (rows[i].not_before == 0)
        {
          g_assert_cmpuint (plan->items->len, ==, 0);
          g_assert_cmpuint (plan->n_excluded[DD_LADDER_EXCLUDED_WINDOW], ==, 1);
        }
      else
        {
          g_assert_cmpuint (plan->items->len, ==, 1);
          g_assert_cmpint (g_array_index (plan->items, DdLadderPlanItem, 0).not_before, ==,
                           rows[i].not_before);
        }
      dd_ladder_plan_free (plan);
    }
}

/* A debtor promised before the first reminder and broke the promise after the due date: the
 * ladder goes on with the due-date step, not the "is due on" reminder of three days before. */
static void
test_broken_before_first_step (void)
{
  g_autoptr(GPtrArray) policies = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_ladder_policy_free);
  guint32 due = dd_ladder_day_from_iso ("2026-12-01");
  guint32 day = dd_ladder_day_from_iso ("2026-12-08");
  DdLadderCase c = { .case_id = 1, .debtor_id = 1, .creditor_id = 1, .due_day = due,
                     .reached = -1, .has_phone = TRUE, .declaration_id = 5,
                     .declaration_state = DD_LADDER_DECLARATION_BROKEN,
                     .promised_day = dd_ladder_day_from_iso ("2026-12-02") };
  DdLadderPlan *plan;
  const DdLadderPlanItem *item;

  g_ptr_array_add (policies, dd_ladder_policy_new_default ());
  plan = dd_ladder_plan_compute (policies, &c, 1, day, NULL);
  g_assert_cmpuint (plan->items->len, ==, 1);
  item = &g_array_index (plan->items, DdLadderPlanItem, 0);
  g_assert_true (item->promise_broken);
  g_assert_cmpint (dd_ladder_policy_get_step (item->policy, item->step)->offset_days, ==, 0);
  g_assert_cmpint (item->channel, ==, DD_LADDER_SMS);
  dd_ladder_plan_free (plan);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dd/ladder/policy-default", test_policy_default);
  g_test_add_func ("/dd/ladder/policy-json", test_policy_json);
  g_test_add_func ("/dd/ladder/days", test_days);
  g_test_add_func ("/dd/ladder/claims", test_claims);
  g_test_add_func ("/dd/ladder/claims-held", test_claims_held);
  g_test_add_func ("/dd/ladder/forty-five-days", test_forty_five_days);
  g_test_add_func ("/dd/ladder/contact-days", test_contact_days);
  g_test_add_func ("/dd/ladder/broken-before-first-step", test_broken_before_first_step);
  return g_test_run ();
}
