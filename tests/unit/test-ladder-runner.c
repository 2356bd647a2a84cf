/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DdLadderRunner: a day's plan carried out — SMS queued in the day's campaign, tasks on the
 * timeline, voice steps handed to the executor — claimed before, never twice. */

#include "dd-database.h"
#include "dd-test-db.h"
#include "dd-ivr-flow-store.h"
#include "dd-ladder-runner.h"
#include "dd-ladder-calls.h"

#include <stdlib.h>
#include <string.h>

/* A voice executor that records what it is handed, or refuses. */
#define TEST_TYPE_EXECUTOR (test_executor_get_type ())
G_DECLARE_FINAL_TYPE (TestExecutor, test_executor, TEST, EXECUTOR, GObject)

struct _TestExecutor
{
  GObject    parent_instance;
  GPtrArray *keys;      /* char * */
  GPtrArray *works;     /* "flow lead n_cases" */
  gboolean   refuse;
};

static gboolean
test_executor_queue_voice (DdLadderExecutor         *executor,
                           const DdLadderVoiceWork  *work,
                           GError                  **error)
{
  TestExecutor *self = TEST_EXECUTOR (executor);

  g_assert_true (DD_IS_DATABASE (work->database));
  if (self->refuse)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY, "the voice runner is busy");
      return FALSE;
    }
  g_ptr_array_add (self->keys, g_strdup (work->key));
  g_ptr_array_add (self->works, g_strdup_printf ("%s %" G_GINT64_FORMAT " %u %s", work->flow,
                                                 work->lead_case_id, work->n_cases, work->day));
  return TRUE;
}

static void
test_executor_iface_init (DdLadderExecutorInterface *iface)
{
  iface->queue_voice = test_executor_queue_voice;
}

G_DEFINE_TYPE_WITH_CODE (TestExecutor, test_executor, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (DD_TYPE_LADDER_EXECUTOR, test_executor_iface_init))

static void
test_executor_finalize (GObject *object)
{
  TestExecutor *self = TEST_EXECUTOR (object);

  g_ptr_array_unref (self->keys);
  g_ptr_array_unref (self->works);
  G_OBJECT_CLASS (test_executor_parent_class)->finalize (object);
}

static void
test_executor_class_init (TestExecutorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_executor_finalize;
}

static void
test_executor_init (TestExecutor *self)
{
  self->keys = g_ptr_array_new_with_free_func (g_free);
  self->works = g_ptr_array_new_with_free_func (g_free);
}

typedef struct
{
  char           *dir;
  DdDatabase     *db;
  DdLadderRunner *runner;
} Fixture;

/* Debtor 1 (Jan, two cases of two creditors, due 2026-12-10); debtor 2 (Anna, due
 * 2026-12-01); debtor 3 (Olga, due 2026-11-27). */
static const char office_sql[] =
  "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Alfa', 'x'), (2, 'Beta', 'x');"
  "INSERT INTO debtor (id, dedup_key, name, language, created_at, updated_at) VALUES"
  " (1, 'k1', 'Jan Kowalski', 'pl', 'x', 'x'), (2, 'k2', 'Anna Nowak', 'pl', 'x', 'x'),"
  " (3, 'k3', 'Olga Ivanova', 'ru', 'x', 'x');"
  "INSERT INTO phone (debtor_id, e164, valid, created_at) VALUES"
  " (1, '+48601000001', 1, 'x'), (2, '+48601000002', 1, 'x'), (3, '+79161000003', 1, 'x');"
  "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, oldest_due_on,"
  " created_at, updated_at) VALUES"
  " (1, 1, 1, 10000, 'PLN', '2026-12-10', 'x', 'x'), (2, 1, 2, 2550, 'PLN', '2026-12-10', 'x', 'x'),"
  " (3, 2, 1, 5000, 'PLN', '2026-12-01', 'x', 'x'), (4, 3, 1, 7000, 'RUB', '2026-11-27', 'x', 'x');"
  "INSERT INTO liability (case_id, invoice_no, due_on, amount_minor, currency, created_at,"
  " updated_at) VALUES (1, 'FV/1', '2026-12-10', 10000, 'PLN', 'x', 'x'),"
  " (2, 'FV/2', '2026-12-10', 2550, 'PLN', 'x', 'x'), (3, 'FV/3', '2026-12-01', 5000, 'PLN', 'x', 'x'),"
  " (4, 'СЧ/4', '2026-11-27', 7000, 'RUB', 'x', 'x');";

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("dd-test-ladder-runner-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "office.db", NULL);
  f->db = dd_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (dd_database_exec (f->db, office_sql, &error));
  g_assert_no_error (error);
  f->runner = dd_ladder_runner_new (f->db);
  dd_ladder_runner_set_locale (f->runner, "pl");
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_assert_finalize_object (f->runner);
  g_assert_finalize_object (f->db);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 value = -1;

  g_assert_true (dd_database_query_int64 (f->db, sql, &value, &error));
  g_assert_no_error (error);
  return value;
}

static void
run_day (Fixture           *f,
         const char        *day,
         DdLadderRunResult *result)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dd_ladder_runner_run (f->runner, day, 0, result, &error));
  g_assert_no_error (error);
}

/* 2026-12-07: Jan's two cases are at −3 (one SMS for both, in Polish, with both balances),
 * Anna's at +6 (+3 voice: no executor, waits), Olga's at +10 (consultant call task). */
static void
test_day (Fixture       *f,
          gconstpointer  data)
{
  DdLadderRunResult r = { 0 };
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  DdStatement *stmt;

  g_assert_true (dd_ladder_runner_is_due (f->runner, "2026-12-07", NULL));
  run_day (f, "2026-12-07", &r);
  g_assert_cmpuint (r.done[DD_LADDER_SMS], ==, 1);
  g_assert_cmpuint (r.done[DD_LADDER_CONSULTANT_CALL], ==, 1);
  g_assert_cmpuint (r.waiting_voice, ==, 1);
  g_assert_cmpuint (r.cases, ==, 3);
  g_assert_cmpint (r.campaign_id, >, 0);
  g_assert_false (dd_ladder_runner_is_due (f->runner, "2026-12-07", NULL));
  g_assert_true (dd_ladder_runner_is_due (f->runner, "2026-12-08", NULL));

  /* one message for Jan, in the day's running campaign, about both cases */
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM campaign WHERE name = 'Ladder 2026-12-07'"
                             " AND state = 'running' AND kind = 'sms'"), ==, 1);
  stmt = dd_database_query (f->db, &error, "SELECT body, e164 FROM message", DD_END);
  g_assert_true (dd_statement_step (stmt, &error));
  body = g_strdup (dd_statement_get_text (stmt, 0));
  g_assert_cmpstr (dd_statement_get_text (stmt, 1), ==, "+48601000001");
  dd_statement_reset (stmt);
  g_assert_nonnull (strstr (body, "Jan Kowalski"));
  g_assert_nonnull (strstr (body, "125,50"));   /* 100,00 + 25,50 */
  g_assert_nonnull (strstr (body, "10.12.2026"));

  /* Olga's task on her timeline, and her next contact */
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE case_id = 4 AND kind = 'task'"
                             " AND channel = 'consultant-call'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM debt_case WHERE id = 4"
                             " AND next_contact_at = '2026-12-07T08:00:00Z'"), ==, 1);
  /* and her call planned in the day's consultant campaign (a draft: for the console's dialer) */
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt a JOIN campaign c"
                             " ON c.id = a.campaign_id WHERE c.name = 'Consultant calls 2026-12-07'"
                             " AND c.kind = 'voice' AND c.state = 'draft' AND a.case_id = 4"
                             " AND a.state = 'scheduled' AND a.phone_id IS NOT NULL"
                             " AND a.scheduled_at = '2026-12-07T08:00:00Z'"), ==, 1);

  /* Anna's voice step stays claimed for the voice runner */
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM ladder_run WHERE case_id = 3"
                             " AND state = 'claimed' AND channel = 'voice'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM ladder_run WHERE state = 'done'"), ==, 3);

  /* the same day again: nothing new (the voice step still waits) */
  memset (&r, 0, sizeof r);
  run_day (f, "2026-12-07", &r);
  g_assert_cmpuint (r.done[DD_LADDER_SMS] + r.done[DD_LADDER_CONSULTANT_CALL], ==, 0);
  g_assert_cmpuint (r.waiting_voice, ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE kind = 'task'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt"), ==, 1);
}

/* Voice steps go to the executor with their flow and cases; a refusal leaves the step claimed
 * and the next run hands the same work (same key) over again. */
static void
test_voice_executor (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(TestExecutor) executor = g_object_new (TEST_TYPE_EXECUTOR, NULL);
  DdLadderRunResult r = { 0 };

  executor->refuse = TRUE;
  dd_ladder_runner_set_executor (f->runner, DD_LADDER_EXECUTOR (executor));
  run_day (f, "2026-12-07", &r);
  g_assert_cmpuint (r.failed, ==, 1);
  g_assert_cmpuint (executor->keys->len, ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM ladder_run WHERE case_id = 3"
                             " AND state = 'claimed'"), ==, 1);

  /* the next day: the claim left undone is carried out first, not planned again */
  executor->refuse = FALSE;
  memset (&r, 0, sizeof r);
  run_day (f, "2026-12-08", &r);
  g_assert_cmpuint (r.resumed, ==, 1);
  g_assert_cmpuint (r.done[DD_LADDER_VOICE], ==, 1);
  g_assert_cmpuint (executor->keys->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (executor->keys, 0), ==, "ladder-3-d3");
  g_assert_cmpstr (g_ptr_array_index (executor->works, 0), ==, "payment-reminder 3 1 2026-12-07");
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM ladder_run WHERE state = 'claimed'"), ==, 0);

  /* 2026-12-14: Anna +13 → the +10 task; Jan 4 days after due → the +3 voice call (both
   * cases in one call, the lead first) */
  memset (&r, 0, sizeof r);
  run_day (f, "2026-12-14", &r);
  g_assert_cmpuint (r.done[DD_LADDER_VOICE], ==, 1);
  g_assert_cmpuint (executor->works->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (executor->works, 1), ==, "payment-reminder 1 2 2026-12-14");
}

/* The office's flow the default policy's voice steps name. */
static void
save_flow (Fixture    *f,
           const char *name)
{
  g_autoptr(DdIvrFlowStore) flows = dd_ivr_flow_store_new (f->db);
  g_autoptr(GError) error = NULL;

  g_assert_true (dd_ivr_flow_store_save (flows, name,
                                         "{\"format\": 1, \"language\": \"pl\", \"start\": \"bye\","
                                         " \"nodes\": [{\"id\": \"bye\", \"type\": \"hang-up\"}]}",
                                         NULL, NULL, &error));
  g_assert_no_error (error);
}

/* DdLadderCalls, the executor of the window and the CLI: a +3 voice step becomes one call
 * attempt per debtor (all their cases in it) in the day's running ladder voice campaign with
 * the step's flow; a key handed over again plans nothing. */
static void
test_voice_calls (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(DdLadderCalls) voice = dd_ladder_calls_new ();
  g_autoptr(GError) error = NULL;
  DdLadderRunResult r = { 0 };
  gint64 case_ids[] = { 3 };
  DdLadderVoiceWork work = {
    .database = f->db, .day = "2026-12-09", .key = "ladder-3-d3", .flow = "payment-reminder",
    .debtor_id = 2, .lead_case_id = 3, .case_ids = case_ids, .n_cases = 1, .offset_days = 3,
  };

  save_flow (f, "payment-reminder");
  dd_ladder_runner_set_executor (f->runner, DD_LADDER_EXECUTOR (voice));
  /* 2026-12-07: Anna is at +6: the +3 voice call */
  run_day (f, "2026-12-07", &r);
  g_assert_cmpuint (r.done[DD_LADDER_VOICE], ==, 1);
  g_assert_cmpuint (r.waiting_voice, ==, 0);
  g_assert_cmpuint (r.failed, ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt"
                             " WHERE plan_key IS NOT NULL"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt a JOIN campaign c"
                             " ON c.id = a.campaign_id WHERE c.kind = 'voice'"
                             " AND c.state = 'running'"
                             " AND c.name = 'Ladder calls 2026-12-07 (payment-reminder)'"
                             " AND c.ivr_flow_id = (SELECT MAX(id) FROM ivr_flow)"
                             " AND a.debtor_id = 2 AND a.case_id = 3 AND a.e164 = '+48601000002'"
                             " AND a.state = 'scheduled' AND a.attempt_no = 1"
                             " AND a.plan_key = 'ladder-3-d3'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM ladder_run WHERE state = 'claimed'"), ==, 0);

  /* the same key handed over again (a crash before the done mark), even another day: nothing */
  g_assert_true (dd_ladder_executor_queue_voice (DD_LADDER_EXECUTOR (voice), &work, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt"
                             " WHERE plan_key IS NOT NULL"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM campaign WHERE kind = 'voice'"
                             " AND state <> 'draft'"), ==, 1);

  /* the same day again: nothing new */
  memset (&r, 0, sizeof r);
  run_day (f, "2026-12-07", &r);
  g_assert_cmpuint (r.done[DD_LADDER_VOICE], ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt"
                             " WHERE plan_key IS NOT NULL"), ==, 1);

  /* 2026-12-14: Jan's two cases at +4: one call for both (the lead case's) */
  memset (&r, 0, sizeof r);
  run_day (f, "2026-12-14", &r);
  g_assert_cmpuint (r.done[DD_LADDER_VOICE], ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE debtor_id = 1"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE debtor_id = 1"
                             " AND e164 = '+48601000001' AND plan_key LIKE 'ladder-_-d3'"
                             " AND campaign_id = (SELECT id FROM campaign WHERE"
                             " name = 'Ladder calls 2026-12-14 (payment-reminder)')"), ==, 1);
  /* the call speaks of both of Jan's cases (the lead first); Anna's of her one */
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE debtor_id = 1"
                             " AND covers IN ('1 2', '2 1')"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE debtor_id = 2"
                             " AND covers IS NULL AND plan_key IS NOT NULL"), ==, 1);
  /* exactly one voice call per debtor (a consultant call is planned apart) */
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM (SELECT debtor_id FROM call_attempt"
                             " WHERE plan_key IS NOT NULL GROUP BY debtor_id HAVING COUNT(*) > 1)"), ==, 0);
}

/* The office takes the −3 SMS out of its ladder after Anna's +3 call was planned: her +7 call
 * is now the ladder's third step, as the +3 one was. It is still made (its own call attempt),
 * not taken for the +3 one handed over again. */
static void
test_voice_after_edit (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(DdLadderCalls) voice = dd_ladder_calls_new ();
  g_autoptr(DdLadderPolicy) policy = dd_ladder_policy_new ("Edited");
  g_autoptr(GError) error = NULL;
  DdLadderRunResult r = { 0 };

  save_flow (f, "payment-reminder");
  dd_ladder_runner_set_executor (f->runner, DD_LADDER_EXECUTOR (voice));
  run_day (f, "2026-12-04", &r);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE debtor_id = 2"), ==, 1);

  dd_ladder_policy_add_step (policy, 0, DD_LADDER_SMS, NULL, NULL);
  dd_ladder_policy_add_step (policy, 3, DD_LADDER_VOICE, NULL, "payment-reminder");
  dd_ladder_policy_add_step (policy, 7, DD_LADDER_VOICE, NULL, "payment-reminder");
  dd_ladder_policy_add_step (policy, 14, DD_LADDER_DEMAND_LETTER, NULL, NULL);
  g_assert_true (dd_ladder_store_save_policy (dd_ladder_runner_get_store (f->runner), policy,
                                              &error));
  g_assert_no_error (error);

  memset (&r, 0, sizeof r);
  run_day (f, "2026-12-08", &r);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM ladder_run WHERE case_id = 3"
                             " AND offset_days = 7 AND state = 'done'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE debtor_id = 2"), ==, 2);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt a JOIN campaign c"
                             " ON c.id = a.campaign_id WHERE a.debtor_id = 2"
                             " AND c.name = 'Ladder calls 2026-12-08 (payment-reminder)'"), ==, 1);
}

/* A voice step whose flow the office does not have: a clear error, the step stays claimed,
 * no campaign and no call; once the flow exists, the next run calls. */
static void
test_voice_missing_flow (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(DdLadderCalls) voice = dd_ladder_calls_new ();
  g_autoptr(GError) error = NULL;
  DdLadderRunResult r = { 0 };
  gint64 case_ids[] = { 3 };
  DdLadderVoiceWork work = {
    .database = f->db, .day = "2026-12-07", .key = "ladder-3-d3", .flow = "payment-reminder",
    .debtor_id = 2, .lead_case_id = 3, .case_ids = case_ids, .n_cases = 1, .offset_days = 3,
  };

  save_flow (f, "another flow");
  g_assert_false (dd_ladder_executor_queue_voice (DD_LADDER_EXECUTOR (voice), &work, &error));
  g_assert_error (error, DD_LADDER_CALLS_ERROR, DD_LADDER_CALLS_ERROR_NO_FLOW);
  g_assert_nonnull (strstr (error->message, "“payment-reminder”"));
  g_clear_error (&error);

  dd_ladder_runner_set_executor (f->runner, DD_LADDER_EXECUTOR (voice));
  run_day (f, "2026-12-07", &r);
  g_assert_cmpuint (r.failed, ==, 1);
  g_assert_cmpuint (r.done[DD_LADDER_VOICE], ==, 0);
  /* (Olga's consultant call is planned in the day's draft consultant campaign) */
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt"
                             " WHERE plan_key IS NOT NULL"), ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM campaign WHERE kind = 'voice'"
                             " AND state <> 'draft'"), ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM ladder_run WHERE case_id = 3"
                             " AND state = 'claimed'"), ==, 1);

  save_flow (f, "payment-reminder");
  memset (&r, 0, sizeof r);
  run_day (f, "2026-12-08", &r);
  g_assert_cmpuint (r.done[DD_LADDER_VOICE], ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE plan_key = 'ladder-3-d3'"),
                   ==, 1);
}

/* A debtor whose only number is dead (HLR): the voice step is not made, said once on the case,
 * and done — the next day's run neither fails nor tries it again; the next step comes when
 * due. */
static void
test_voice_unreachable (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(DdLadderCalls) voice = dd_ladder_calls_new ();
  g_autoptr(GError) error = NULL;
  DdLadderRunResult r = { 0 };

  save_flow (f, "payment-reminder");
  g_assert_true (dd_database_exec (f->db, "UPDATE phone SET hlr_status = 'dead'"
                                          " WHERE debtor_id = 2", &error));
  g_assert_no_error (error);
  dd_ladder_runner_set_executor (f->runner, DD_LADDER_EXECUTOR (voice));

  /* 2026-12-07: Anna at +6, the +3 call */
  run_day (f, "2026-12-07", &r);
  g_assert_cmpuint (r.failed, ==, 0);
  g_assert_cmpuint (r.unreachable, ==, 1);
  g_assert_cmpuint (r.done[DD_LADDER_VOICE], ==, 0);
  /* no ladder call (a consultant's call of another step is planned apart) */
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE plan_key IS NOT NULL"), ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE case_id = 3"
                             " AND channel = 'voice' AND body LIKE '%+3 days was not made%'"
                             " AND body LIKE '%no phone number that can be called%'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM ladder_run WHERE case_id = 3"
                             " AND state = 'claimed'"), ==, 0);

  /* 2026-12-08 (+7): the +3 call is not tried again; the ladder goes on to the +7 call, not
   * made either, said once */
  memset (&r, 0, sizeof r);
  run_day (f, "2026-12-08", &r);
  g_assert_cmpuint (r.failed, ==, 0);
  g_assert_cmpuint (r.resumed, ==, 0);
  g_assert_cmpuint (r.deferred, ==, 0);
  g_assert_cmpuint (r.unreachable, ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE case_id = 3"
                             " AND body LIKE '%+7 days was not made%'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE case_id = 3"), ==, 2);

  /* 2026-12-09: nothing fails, nothing is tried or said again */
  memset (&r, 0, sizeof r);
  run_day (f, "2026-12-09", &r);
  g_assert_cmpuint (r.failed, ==, 0);
  g_assert_cmpuint (r.resumed, ==, 0);
  g_assert_cmpuint (r.unreachable, ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE case_id = 3"), ==, 2);

  /* 2026-12-11 (+10): the consultant's task */
  memset (&r, 0, sizeof r);
  run_day (f, "2026-12-11", &r);
  g_assert_cmpuint (r.failed, ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE case_id = 3"
                             " AND channel = 'consultant-call'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE case_id = 3"), ==, 3);

  /* the executor's error as such */
  {
    gint64 case_ids[] = { 3 };
    DdLadderVoiceWork work = {
      .database = f->db, .day = "2026-12-12", .key = "ladder-3-s9", .flow = "payment-reminder",
      .debtor_id = 2, .lead_case_id = 3, .case_ids = case_ids, .n_cases = 1, .offset_days = 3,
    };

    g_assert_false (dd_ladder_executor_queue_voice (DD_LADDER_EXECUTOR (voice), &work, &error));
    g_assert_error (error, DD_LADDER_EXECUTOR_ERROR, DD_LADDER_EXECUTOR_ERROR_UNREACHABLE);
  }
}

/* A crash between the claim and the message: the next run queues it once. */
static void
test_resume_sms (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DdLadderStore *store = dd_ladder_runner_get_store (f->runner);
  DdLadderPlanCase step = { .case_id = 1, .step = 0, .offset_days = -3 };
  DdLadderRunResult r = { 0 };
  gboolean claimed = FALSE;

  g_assert_true (dd_ladder_store_claim (store, &step, DD_LADDER_SMS, 1,
                                        dd_ladder_day_from_iso ("2026-12-07"),
                                        &claimed, &error));
  g_assert_true (claimed);
  run_day (f, "2026-12-07", &r);
  g_assert_cmpuint (r.resumed, ==, 1);
  /* case 2 of the same debtor is planned anew today, but Jan got his message with the
   * resumed claim: once a day, case 2 goes tomorrow */
  g_assert_cmpuint (r.deferred, ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE e164 = '+48601000001'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM ladder_run WHERE case_id = 1"
                             " AND state = 'done'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM ladder_run WHERE case_id = 2"), ==, 0);

  memset (&r, 0, sizeof r);
  run_day (f, "2026-12-08", &r);
  g_assert_cmpuint (r.resumed, ==, 0);
  g_assert_cmpuint (r.done[DD_LADDER_SMS], ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE e164 = '+48601000001'"), ==, 2);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM ladder_run WHERE case_id IN (1, 2)"
                             " AND state = 'done'"), ==, 2);
}

/* A run killed after it claimed Olga's consultant call and Anna's SMS; before the next run
 * Olga paid and Anna's case was closed: nothing is done for them (no task, no call, no
 * message), their claims are settled. */
static void
test_resume_settled (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DdLadderStore *store = dd_ladder_runner_get_store (f->runner);
  DdLadderPlanCase olga = { .case_id = 4, .step = 4, .offset_days = 10 };
  DdLadderPlanCase anna = { .case_id = 3, .step = 1, .offset_days = 0 };
  DdLadderRunResult r = { 0 };
  gboolean claimed = FALSE;

  g_assert_true (dd_ladder_store_claim (store, &olga, DD_LADDER_CONSULTANT_CALL, 4,
                                        dd_ladder_day_from_iso ("2026-12-07"), &claimed, &error));
  g_assert_true (claimed);
  g_assert_true (dd_ladder_store_claim (store, &anna, DD_LADDER_SMS, 3,
                                        dd_ladder_day_from_iso ("2026-12-01"), &claimed, &error));
  g_assert_true (claimed);
  g_assert_true (dd_database_exec (f->db, "UPDATE debt_case SET balance_minor = 0 WHERE id = 4;"
                                   "UPDATE debt_case SET status = 'closed' WHERE id = 3;",
                                   &error));
  g_assert_no_error (error);

  run_day (f, "2026-12-08", &r);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE case_id IN (3, 4)"
                             " AND kind = 'task'"), ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE case_id IN (3, 4)"), ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE case_id IN (3, 4)"), ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM ladder_run WHERE case_id IN (3, 4)"
                             " AND state = 'claimed'"), ==, 0);
  /* Jan's cases go on as usual */
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE e164 = '+48601000001'"), ==, 1);
}

/* A step that fails (a template placeholder without a value) undoes its chunk; the others are
 * carried out one by one, the failing one stays claimed. */
static void
test_failing_step (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(DdLadderPolicy) beta = dd_ladder_policy_new ("Beta");
  g_autoptr(GError) error = NULL;
  DdLadderRunResult r = { 0 };

  beta->creditor_id = 2;
  dd_ladder_policy_add_step (beta, 0, DD_LADDER_SMS, "{name}: {payment_link}", NULL);
  g_assert_true (dd_ladder_store_save_policy (dd_ladder_runner_get_store (f->runner), beta,
                                              &error));
  g_assert_no_error (error);
  g_assert_true (dd_database_exec (f->db, "UPDATE debt_case SET creditor_id = 2 WHERE id = 3",
                                   &error));

  run_day (f, "2026-12-07", &r);
  g_assert_cmpuint (r.failed, ==, 1);
  g_assert_cmpuint (r.done[DD_LADDER_SMS], ==, 1);
  g_assert_cmpuint (r.done[DD_LADDER_CONSULTANT_CALL], ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE e164 = '+48601000001'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM ladder_run WHERE case_id = 3"
                             " AND state = 'claimed'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM ladder_run WHERE state = 'done'"), ==, 2);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE kind = 'task'"), ==, 1);
}

/* The office's ladder without a step on the due date: −3 SMS, +7 consultant call. Anna's case
 * was due on 2026-12-01 and the PC was off from 2026-11-27 (before her −3 step) until
 * 2026-12-03: her reminder "is due on 01.12.2026" is past, not sent late; the call task comes
 * on +7. Jan's cases (due 2026-12-10) get their −3 reminder on 2026-12-07. */
static void
test_pre_due_expires (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(DdLadderPolicy) policy = dd_ladder_policy_new ("Short");
  g_autoptr(GError) error = NULL;
  DdLadderRunResult r = { 0 };

  dd_ladder_policy_add_step (policy, -3, DD_LADDER_SMS, NULL, NULL);
  dd_ladder_policy_add_step (policy, 7, DD_LADDER_CONSULTANT_CALL, NULL, NULL);
  g_assert_true (dd_ladder_store_save_policy (dd_ladder_runner_get_store (f->runner), policy,
                                              &error));
  g_assert_no_error (error);

  run_day (f, "2026-12-03", &r);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message"), ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM ladder_run WHERE case_id = 3"), ==, 0);
  g_assert_cmpuint (r.done[DD_LADDER_SMS], ==, 0);

  memset (&r, 0, sizeof r);
  run_day (f, "2026-12-07", &r);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE e164 = '+48601000001'"), ==, 1);

  memset (&r, 0, sizeof r);
  run_day (f, "2026-12-08", &r);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE case_id = 3 AND kind = 'task'"
                             " AND channel = 'consultant-call'"), ==, 1);
}

/* The office edits its ladder while cases are mid-way: a step added in front (−7 SMS) and the
 * +3 call taken out. Steps done stay done (Olga's +10 task is not made again, Jan's −3 SMS not
 * sent again), and the steps after the one reached still come. */
static void
test_policy_edited (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(DdLadderPolicy) policy = dd_ladder_policy_new ("Edited");
  g_autoptr(GError) error = NULL;
  DdLadderRunResult r = { 0 };

  run_day (f, "2026-12-07", &r);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE case_id = 4 AND kind = 'task'"
                             " AND channel = 'consultant-call'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE e164 = '+48601000001'"), ==, 1);

  dd_ladder_policy_add_step (policy, -7, DD_LADDER_SMS, NULL, NULL);
  dd_ladder_policy_add_step (policy, -3, DD_LADDER_SMS, NULL, NULL);
  dd_ladder_policy_add_step (policy, 0, DD_LADDER_SMS, NULL, NULL);
  dd_ladder_policy_add_step (policy, 7, DD_LADDER_VOICE, NULL, "payment-reminder");
  dd_ladder_policy_add_step (policy, 10, DD_LADDER_CONSULTANT_CALL, NULL, NULL);
  dd_ladder_policy_add_step (policy, 14, DD_LADDER_DEMAND_LETTER, NULL, NULL);
  g_assert_true (dd_ladder_store_save_policy (dd_ladder_runner_get_store (f->runner), policy,
                                              &error));
  g_assert_no_error (error);

  /* 2026-12-08: Olga at +11 (her +10 task done), Jan at −2 (his −3 SMS done) */
  memset (&r, 0, sizeof r);
  run_day (f, "2026-12-08", &r);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE case_id = 4 AND kind = 'task'"
                             " AND channel = 'consultant-call'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE e164 = '+48601000001'"), ==, 1);

  /* 2026-12-10: Jan's due-date SMS still comes; 2026-12-11: Olga's letter at +14 */
  memset (&r, 0, sizeof r);
  run_day (f, "2026-12-10", &r);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE e164 = '+48601000001'"), ==, 2);
  memset (&r, 0, sizeof r);
  run_day (f, "2026-12-11", &r);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE case_id = 4 AND kind = 'task'"
                             " AND channel = 'demand-letter'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE case_id = 4 AND kind = 'task'"
                             " AND channel = 'consultant-call'"), ==, 1);
}

/* Two desks of one office (on PostgreSQL under ladder-runner-pg) run the same days at the same
 * time: every step once, and the day's campaigns made once (the dialer offers one consultant
 * campaign a day; two would leave half the calls out). */
typedef struct
{
  DdLadderRunner    *runner;
  const char        *day;
  DdLadderRunResult  result;
} Desk;

static gpointer
desk_run (gpointer data)
{
  Desk *desk = data;
  g_autoptr(GError) error = NULL;

  g_assert_true (dd_ladder_runner_run (desk->runner, desk->day, 0, &desk->result, &error));
  g_assert_no_error (error);
  return NULL;
}

static void
test_two_desks (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "shared.db", NULL);
  g_autoptr(DdDatabase) db_a = NULL;
  g_autoptr(DdDatabase) db_b = NULL;
  g_autoptr(DdLadderCalls) voice_a = dd_ladder_calls_new ();
  g_autoptr(DdLadderCalls) voice_b = dd_ladder_calls_new ();
  g_autoptr(DdLadderRunner) a = NULL;
  g_autoptr(DdLadderRunner) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DdIvrFlowStore) flows = NULL;
  static const char *const days[] = { "2026-12-07", "2026-12-08", "2026-12-11" };
  gint64 n = 0;

  db_a = dd_test_database_open (path, &error);
  g_assert_no_error (error);
  db_b = dd_test_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (dd_database_execute (db_a, &error, "DELETE FROM campaign", DD_END));
  g_assert_true (dd_database_exec (db_a, "INSERT INTO creditor (id, name, created_at)"
                                   " VALUES (1, 'Alfa', 'x')", &error));
  g_assert_no_error (error);
  g_assert_true (dd_database_begin (db_a, &error));
  for (gint64 i = 1; i <= 1200; i++)
    {
      g_autofree char *key = g_strdup_printf ("k%" G_GINT64_FORMAT, i);
      g_autofree char *e164 = g_strdup_printf ("+4860%07" G_GINT64_FORMAT, i);
      g_autofree char *due = dd_ladder_day_to_iso (dd_ladder_day_from_iso ("2026-12-10") -
                                                   (guint32) (i % 40));

      g_assert_true (dd_database_execute (db_a, &error,
                                          "INSERT INTO debtor (id, dedup_key, name, language,"
                                          " created_at, updated_at)"
                                          " VALUES (?, ?, ?, 'pl', 'x', 'x')",
                                          DD_INT (i), DD_TEXT (key), DD_TEXT (key), DD_END));
      g_assert_true (dd_database_execute (db_a, &error,
                                          "INSERT INTO phone (debtor_id, e164, valid, created_at)"
                                          " VALUES (?, ?, 1, 'x')",
                                          DD_INT (i), DD_TEXT (e164), DD_END));
      g_assert_true (dd_database_execute (db_a, &error,
                                          "INSERT INTO debt_case (id, debtor_id, creditor_id,"
                                          " balance_minor, currency, oldest_due_on, created_at,"
                                          " updated_at) VALUES (?, ?, 1, 10000, 'PLN', ?, 'x', 'x')",
                                          DD_INT (i), DD_INT (i), DD_TEXT (due), DD_END));
      g_assert_no_error (error);
    }
  g_assert_true (dd_database_commit (db_a, &error));
  flows = dd_ivr_flow_store_new (db_a);
  g_assert_true (dd_ivr_flow_store_save (flows, "payment-reminder",
                                         "{\"format\": 1, \"language\": \"pl\", \"start\": \"bye\","
                                         " \"nodes\": [{\"id\": \"bye\", \"type\": \"hang-up\"}]}",
                                         NULL, NULL, &error));
  g_assert_no_error (error);

  a = dd_ladder_runner_new (db_a);
  b = dd_ladder_runner_new (db_b);
  dd_ladder_runner_set_executor (a, DD_LADDER_EXECUTOR (voice_a));
  dd_ladder_runner_set_executor (b, DD_LADDER_EXECUTOR (voice_b));
  for (guint d = 0; d < G_N_ELEMENTS (days); d++)
    {
      Desk desk_a = { .runner = a, .day = days[d] };
      Desk desk_b = { .runner = b, .day = days[d] };
      GThread *ta = g_thread_new ("desk-a", desk_run, &desk_a);
      GThread *tb = g_thread_new ("desk-b", desk_run, &desk_b);

      g_thread_join (ta);
      g_thread_join (tb);
      g_assert_cmpuint (desk_a.result.failed + desk_b.result.failed, ==, 0);
    }

  /* each step once */
  g_assert_true (dd_database_query_int64 (db_a, "SELECT COUNT(*) FROM (SELECT case_id FROM message"
                                          " GROUP BY case_id, body HAVING COUNT(*) > 1) x", &n,
                                          &error));
  g_assert_cmpint (n, ==, 0);
  g_assert_true (dd_database_query_int64 (db_a, "SELECT COUNT(*) FROM (SELECT case_id, channel"
                                          " FROM activity WHERE kind = 'task' GROUP BY case_id,"
                                          " channel HAVING COUNT(*) > 1) x", &n, &error));
  g_assert_cmpint (n, ==, 0);
  g_assert_true (dd_database_query_int64 (db_a, "SELECT COUNT(*) FROM ladder_run"
                                          " WHERE state = 'claimed'", &n, &error));
  g_assert_cmpint (n, ==, 0);
  /* each day's campaign once: SMS, consultant calls, ladder calls */
  g_assert_true (dd_database_query_int64 (db_a, "SELECT COUNT(*) FROM campaign", &n, &error));
  g_assert_cmpint (n, ==, 3 * G_N_ELEMENTS (days));
  g_assert_true (dd_database_query_int64 (db_a, "SELECT COUNT(*) FROM (SELECT name FROM campaign"
                                          " GROUP BY name HAVING COUNT(*) > 1) x", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 0);
  g_assert_finalize_object (g_steal_pointer (&a));
  g_assert_finalize_object (g_steal_pointer (&b));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/dd/ladder-runner/day", Fixture, NULL, setup, test_day, teardown);
  g_test_add ("/dd/ladder-runner/voice-executor", Fixture, NULL, setup, test_voice_executor,
              teardown);
  g_test_add ("/dd/ladder-runner/voice-calls", Fixture, NULL, setup, test_voice_calls, teardown);
  g_test_add ("/dd/ladder-runner/voice-after-edit", Fixture, NULL, setup, test_voice_after_edit,
              teardown);
  g_test_add ("/dd/ladder-runner/voice-missing-flow", Fixture, NULL, setup,
              test_voice_missing_flow, teardown);
  g_test_add ("/dd/ladder-runner/voice-unreachable", Fixture, NULL, setup,
              test_voice_unreachable, teardown);
  g_test_add ("/dd/ladder-runner/resume-sms", Fixture, NULL, setup, test_resume_sms, teardown);
  g_test_add ("/dd/ladder-runner/failing-step", Fixture, NULL, setup, test_failing_step,
              teardown);
  g_test_add ("/dd/ladder-runner/pre-due-expires", Fixture, NULL, setup, test_pre_due_expires,
              teardown);
  g_test_add ("/dd/ladder-runner/policy-edited", Fixture, NULL, setup, test_policy_edited,
              teardown);
  g_test_add ("/dd/ladder-runner/resume-settled", Fixture, NULL, setup, test_resume_settled,
              teardown);
  g_test_add ("/dd/ladder-runner/two-desks", Fixture, NULL, setup, test_two_desks, teardown);
  return g_test_run ();
}
