/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The inbound queue's store: queues, the line, calls, the missed list, figures (issue 18).
 * Runs on SQLite and, as inbound-store-pg, on PostgreSQL. */

#include "case-fixture.h"
#include "dd-inbound-store.h"

#include <locale.h>

#define T0 1795435200 /* 2026-11-23T12:00:00Z */

typedef struct
{
  CaseFixture     base;
  DdInboundStore *store;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  case_fixture_setup (&f->base, NULL);
  f->store = dd_inbound_store_new (f->base.db);
  dd_inbound_store_set_clock (f->store, T0);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_assert_finalize_object (f->store);
  case_fixture_teardown (&f->base, NULL);
}

static gint64
add_queue (Fixture    *f,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdInboundQueue) queue = dd_inbound_queue_new (name);
  gint64 id = 0;

  g_assert_true (dd_inbound_store_add_queue (f->store, queue, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
test_queues (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) queues = NULL;
  g_autoptr(DdInboundQueue) bad = dd_inbound_queue_new ("  ");
  g_autoptr(DdInboundQueue) got = NULL;
  g_autoptr(DdInboundQueue) edited = NULL;
  gint64 payments, disputes, other;

  /* empty name, announcements too often, a longest wait out of limits */
  g_assert_false (dd_inbound_store_add_queue (f->store, bad, NULL, &error));
  g_assert_error (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_INVALID);
  g_clear_error (&error);
  g_free (bad->name);
  bad->name = g_strdup ("Bad");
  bad->announce_every_s = 5;
  g_assert_false (dd_inbound_store_add_queue (f->store, bad, NULL, &error));
  g_assert_error (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_INVALID);
  g_clear_error (&error);
  bad->announce_every_s = 0;
  bad->max_wait_s = 7200;
  g_assert_false (dd_inbound_store_add_queue (f->store, bad, NULL, &error));
  g_assert_error (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_INVALID);
  g_clear_error (&error);

  payments = add_queue (f, " Payments ");
  disputes = add_queue (f, "Disputes");
  other = add_queue (f, "Other");
  /* a fourth is refused */
  bad->max_wait_s = 300;
  g_assert_false (dd_inbound_store_add_queue (f->store, bad, NULL, &error));
  g_assert_error (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_TOO_MANY);
  g_clear_error (&error);

  queues = dd_inbound_store_list_queues (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queues->len, ==, 3);
  got = dd_inbound_queue_copy (queues->pdata[0]);
  g_assert_cmpint (got->id, ==, payments);
  g_assert_cmpstr (got->name, ==, "Payments");
  g_assert_cmpint (got->strategy, ==, DD_INBOUND_RING_ALL);
  g_assert_null (got->hold_music);
  g_assert_cmpuint (got->announce_every_s, ==, 30);
  g_assert_cmpuint (got->max_wait_s, ==, 300);
  g_assert_cmpint (got->on_max_wait, ==, DD_INBOUND_ON_MAX_WAIT_CALLBACK);
  g_assert_cmpuint (((DdInboundQueue *) queues->pdata[2])->position, ==, 2);

  /* every setting is kept */
  got->strategy = DD_INBOUND_RING_LONGEST_IDLE;
  g_free (got->hold_music);
  got->hold_music = g_strdup ("/srv/music/jazz.ogg");
  got->announce_every_s = 0;
  got->max_wait_s = 90;
  got->on_max_wait = DD_INBOUND_ON_MAX_WAIT_VOICEMAIL;
  got->position = 5;
  g_assert_true (dd_inbound_store_update_queue (f->store, got, &error));
  g_assert_no_error (error);
  edited = dd_inbound_store_get_queue (f->store, payments, &error);
  g_assert_no_error (error);
  g_assert_cmpint (edited->strategy, ==, DD_INBOUND_RING_LONGEST_IDLE);
  g_assert_cmpstr (edited->hold_music, ==, "/srv/music/jazz.ogg");
  g_assert_cmpuint (edited->announce_every_s, ==, 0);
  g_assert_cmpuint (edited->max_wait_s, ==, 90);
  g_assert_cmpint (edited->on_max_wait, ==, DD_INBOUND_ON_MAX_WAIT_VOICEMAIL);
  g_clear_pointer (&queues, g_ptr_array_unref);
  queues = dd_inbound_store_list_queues (f->store, &error);
  g_assert_cmpint (((DdInboundQueue *) queues->pdata[2])->id, ==, payments);

  /* removing one makes room; its calls stay */
  g_assert_true (dd_inbound_store_remove_queue (f->store, disputes, &error));
  g_assert_no_error (error);
  g_assert_false (dd_inbound_store_remove_queue (f->store, disputes, &error));
  g_assert_error (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (dd_inbound_store_get_queue (f->store, disputes, &error));
  g_assert_error (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_NOT_FOUND);
  g_clear_error (&error);
  add_queue (f, "Disputes again");
  g_assert_cmpint (other, >, 0);

  g_assert_cmpstr (dd_inbound_ring_strategy_to_string (DD_INBOUND_RING_LONGEST_IDLE), ==,
                   "longest-idle");
  g_assert_cmpstr (dd_inbound_on_max_wait_to_string (DD_INBOUND_ON_MAX_WAIT_VOICEMAIL), ==,
                   "voicemail");
  g_assert_cmpstr (dd_inbound_outcome_to_string (DD_INBOUND_OUTCOME_CLOSED_HOURS), ==,
                   "closed-hours");
  g_assert_null (dd_inbound_outcome_to_string (DD_INBOUND_OUTCOME_NONE));
}

static void
test_line (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL;
  g_autofree char *none = NULL;
  gint64 flow = -1, flow_id = 0;

  /* nothing set: no account takes calls */
  g_assert_true (dd_inbound_store_get_line (f->store, &none, &flow, &error));
  g_assert_no_error (error);
  g_assert_null (none);
  g_assert_cmpint (flow, ==, 0);

  g_assert_true (dd_database_insert (f->base.db, &flow_id, &error,
                                     "INSERT INTO ivr_flow (name, json, created_at)"
                                     " VALUES ('Inbound', '{}', 'x')", DD_END));
  g_assert_no_error (error);
  g_assert_true (dd_inbound_store_set_line (f->store, "Office line", flow_id, &error));
  g_assert_no_error (error);
  g_assert_true (dd_inbound_store_set_line (f->store, "Office line 2", flow_id, &error));
  g_assert_no_error (error);
  g_assert_true (dd_inbound_store_get_line (f->store, &account, &flow, &error));
  g_assert_cmpstr (account, ==, "Office line 2");
  g_assert_cmpint (flow, ==, flow_id);

  g_clear_pointer (&account, g_free);
  g_assert_true (dd_inbound_store_set_line (f->store, "", 0, &error));
  g_assert_true (dd_inbound_store_get_line (f->store, &account, &flow, &error));
  g_assert_no_error (error);
  g_assert_null (account);
  g_assert_cmpint (flow, ==, 0);
}

/* A call's life on the store's clock: arrives at @at, queued @queue_after s later, answered
 * (agent 1) @answer_after s after queuing (< 0: not), ended @end_after s after queuing. */
static gint64
play_call (Fixture          *f,
           const char       *e164,
           gint64            queue_id,
           gint64            at,
           gint              queue_after,
           gint              answer_after,
           gint              end_after,
           DdInboundOutcome  outcome)
{
  g_autoptr(GError) error = NULL;
  gint64 call_id = 0, case_id = 0;

  g_assert_true (dd_inbound_store_match_case (f->store, e164, &case_id, &error));
  g_assert_no_error (error);
  dd_inbound_store_set_clock (f->store, at);
  g_assert_true (dd_inbound_store_call_arrived (f->store, e164, e164, case_id, &call_id,
                                                &error));
  g_assert_no_error (error);
  if (queue_id > 0)
    {
      dd_inbound_store_set_clock (f->store, at + queue_after);
      g_assert_true (dd_inbound_store_call_queued (f->store, call_id, queue_id, &error));
      g_assert_no_error (error);
      if (answer_after >= 0)
        {
          dd_inbound_store_set_clock (f->store, at + queue_after + answer_after);
          g_assert_true (dd_inbound_store_call_answered (f->store, call_id, 1, &error));
          g_assert_no_error (error);
        }
    }
  dd_inbound_store_set_clock (f->store, at + queue_after + end_after);
  g_assert_true (dd_inbound_store_call_ended (f->store, call_id, outcome,
                                              outcome == DD_INBOUND_OUTCOME_VOICEMAIL
                                              ? "/tmp/vm.wav" : NULL, &error));
  g_assert_no_error (error);
  return call_id;
}

static void
test_calls_and_missed (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) missed = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(DdInboundCall) call = NULL;
  gint64 payments = add_queue (f, "Payments");
  gint64 case_id = -1, answered, abandoned, vm, closed;
  guint n = 99;
  const DdInboundMissed *m;

  /* The caller's number finds the open case with the largest balance of its debtor */
  g_assert_true (dd_inbound_store_match_case (f->store, "+48601234567", &case_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (case_id, ==, 1);
  g_assert_true (dd_inbound_store_match_case (f->store, "+48999999999", &case_id, &error));
  g_assert_cmpint (case_id, ==, 0);
  g_assert_true (dd_inbound_store_match_case (f->store, NULL, &case_id, &error));
  g_assert_cmpint (case_id, ==, 0);

  answered = play_call (f, "+48601234567", payments, T0, 3, 12, 100,
                        DD_INBOUND_OUTCOME_ABANDONED /* answered wins */);
  abandoned = play_call (f, "+79161234567", payments, T0 + 200, 2, -1, 40,
                         DD_INBOUND_OUTCOME_ABANDONED);
  vm = play_call (f, "+48500000001", payments, T0 + 300, 2, -1, 300,
                  DD_INBOUND_OUTCOME_VOICEMAIL);
  closed = play_call (f, "+48221234567", 0, T0 + 900, 0, -1, 10,
                      DD_INBOUND_OUTCOME_CLOSED_HOURS);

  call = dd_inbound_store_get_call (f->store, answered, &error);
  g_assert_no_error (error);
  g_assert_cmpint (call->outcome, ==, DD_INBOUND_OUTCOME_ANSWERED);
  g_assert_cmpint (call->case_id, ==, 1);
  g_assert_cmpint (call->queue_id, ==, payments);
  g_assert_cmpint (call->arrived_at, ==, T0);
  g_assert_cmpint (call->queued_at, ==, T0 + 3);
  g_assert_cmpint (call->answered_at, ==, T0 + 15);
  g_assert_cmpint (call->ended_at, ==, T0 + 103);
  g_assert_cmpint (call->agent_id, ==, 1);

  /* an ended call cannot be answered or ended again */
  g_assert_false (dd_inbound_store_call_answered (f->store, abandoned, 1, &error));
  g_assert_error (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_WRONG_STATE);
  g_clear_error (&error);
  g_assert_false (dd_inbound_store_call_ended (f->store, abandoned,
                                               DD_INBOUND_OUTCOME_ABANDONED, NULL, &error));
  g_assert_error (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_WRONG_STATE);
  g_clear_error (&error);
  g_assert_false (dd_inbound_store_call_queued (f->store, 9999, payments, &error));
  g_assert_error (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* the missed list: newest first, with the case's debtor and the queue */
  missed = dd_inbound_store_list_missed (f->store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missed->len, ==, 3);
  m = missed->pdata[0];
  g_assert_cmpint (m->call_id, ==, closed);
  g_assert_cmpint (m->kind, ==, DD_INBOUND_OUTCOME_CLOSED_HOURS);
  g_assert_cmpint (m->case_id, ==, 4);
  g_assert_cmpstr (m->debtor_name, ==, "Anna Nowak");
  g_assert_null (m->queue_name);
  m = missed->pdata[1];
  g_assert_cmpint (m->call_id, ==, vm);
  g_assert_cmpint (m->kind, ==, DD_INBOUND_OUTCOME_VOICEMAIL);
  g_assert_cmpstr (m->voicemail_path, ==, "/tmp/vm.wav");
  g_assert_cmpint (m->case_id, ==, 0);
  g_assert_cmpuint (m->waited_s, ==, 300);
  m = missed->pdata[2];
  g_assert_cmpint (m->call_id, ==, abandoned);
  g_assert_cmpint (m->kind, ==, DD_INBOUND_OUTCOME_ABANDONED);
  g_assert_cmpstr (m->caller, ==, "+79161234567");
  g_assert_cmpstr (m->queue_name, ==, "Payments");
  g_assert_cmpstr (m->debtor_name, ==, "Иван Петров");
  g_assert_false (m->done);
  g_assert_cmpuint (m->waited_s, ==, 40);

  /* someone calls back */
  dd_inbound_store_set_clock (f->store, T0 + 2000);
  g_assert_true (dd_inbound_store_missed_done (f->store, m->id, 1, &error));
  g_assert_no_error (error);
  g_assert_false (dd_inbound_store_missed_done (f->store, m->id, 1, &error));
  g_assert_error (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_WRONG_STATE);
  g_clear_error (&error);
  g_assert_true (dd_inbound_store_count_open (f->store, &n, &error));
  g_assert_cmpuint (n, ==, 2);
  open = dd_inbound_store_list_missed (f->store, TRUE, &error);
  g_assert_cmpuint (open->len, ==, 2);
  g_clear_pointer (&missed, g_ptr_array_unref);
  missed = dd_inbound_store_list_missed (f->store, FALSE, &error);
  m = missed->pdata[2];
  g_assert_true (m->done);
  g_assert_cmpint (m->done_by, ==, 1);
  g_assert_cmpstr (m->done_by_name, ==, "Anna Konsultant");
  g_assert_cmpint (m->done_at, ==, T0 + 2000);
  g_assert_true (dd_inbound_store_missed_reopen (f->store, m->id, &error));
  g_assert_no_error (error);
  g_assert_true (dd_inbound_store_count_open (f->store, &n, &error));
  g_assert_cmpuint (n, ==, 3);
}

static const DdInboundFigures *
find_figures (GPtrArray *figures,
              gint64     queue_id,
              gint       hour)
{
  for (guint i = 0; i < figures->len; i++)
    {
      const DdInboundFigures *f = figures->pdata[i];

      if (f->queue_id == queue_id && f->hour == hour)
        return f;
    }
  return NULL;
}

static void
test_figures (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) figures = NULL;
  g_autoptr(GTimeZone) warsaw = g_time_zone_new_identifier ("Europe/Warsaw");
  gint64 payments = add_queue (f, "Payments");
  gint64 disputes = add_queue (f, "Disputes");
  const DdInboundFigures *all, *pay, *dis, *pay13, *all14;
  guint wait = 0;

  /* Payments at 12:00 UTC (13:00 in Warsaw): answered in 10 s, in 20 s, in 45 s;
   * one abandoned after 30 s, one callback request after 300 s */
  play_call (f, "+48601234567", payments, T0, 2, 10, 60, DD_INBOUND_OUTCOME_ANSWERED);
  play_call (f, "+48601234567", payments, T0 + 100, 2, 20, 60, DD_INBOUND_OUTCOME_ANSWERED);
  play_call (f, "+48601234567", payments, T0 + 200, 2, 45, 60, DD_INBOUND_OUTCOME_ANSWERED);
  play_call (f, "+48601234567", payments, T0 + 400, 2, -1, 30, DD_INBOUND_OUTCOME_ABANDONED);
  play_call (f, "+48601234567", payments, T0 + 500, 2, -1, 300,
             DD_INBOUND_OUTCOME_CALLBACK_REQUESTED);
  /* Disputes at 13:30 UTC: answered in 5 s; one closed-hours call; one outside the period */
  play_call (f, "+48601234567", disputes, T0 + 5400, 1, 5, 60, DD_INBOUND_OUTCOME_ANSWERED);
  play_call (f, "+48601234567", 0, T0 + 5500, 0, -1, 5, DD_INBOUND_OUTCOME_CLOSED_HOURS);
  play_call (f, "+48601234567", disputes, T0 + 86400, 1, 5, 60, DD_INBOUND_OUTCOME_ANSWERED);

  figures = dd_inbound_store_figures (f->store, T0, T0 + 86400, warsaw, &error);
  g_assert_no_error (error);
  /* all + 2 queues, all hours: 13, 14 (Warsaw) for all; 13 payments; 14 disputes */
  g_assert_cmpuint (figures->len, ==, 3 + 2 + 1 + 1);
  all = figures->pdata[0];
  g_assert_cmpint (all->queue_id, ==, 0);
  g_assert_cmpint (all->hour, ==, -1);
  g_assert_cmpuint (all->offered, ==, 6);
  g_assert_cmpuint (all->answered, ==, 4);
  g_assert_cmpuint (all->answered_in_sl, ==, 3);
  g_assert_cmpuint (all->abandoned, ==, 1);
  g_assert_cmpuint (all->overflowed, ==, 1);
  g_assert_cmpuint (all->closed, ==, 1);
  g_assert_cmpfloat_with_epsilon (all->service_level, 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (all->average_wait_s, 80.0 / 4, 1e-9);
  g_assert_cmpuint (all->longest_wait_s, ==, 300);

  pay = figures->pdata[1];
  g_assert_cmpint (pay->queue_id, ==, payments);
  g_assert_cmpuint (pay->offered, ==, 5);
  g_assert_cmpuint (pay->answered_in_sl, ==, 2);
  g_assert_cmpfloat_with_epsilon (pay->service_level, 0.4, 1e-9);
  g_assert_cmpfloat_with_epsilon (pay->abandoned_rate, 0.2, 1e-9);
  g_assert_cmpfloat_with_epsilon (pay->average_wait_s, 25.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (pay->average_abandon_s, 30.0, 1e-9);
  dis = figures->pdata[2];
  g_assert_cmpint (dis->queue_id, ==, disputes);
  g_assert_cmpuint (dis->offered, ==, 1);
  g_assert_cmpfloat_with_epsilon (dis->service_level, 1.0, 1e-9);

  pay13 = find_figures (figures, payments, 13);
  g_assert_nonnull (pay13);
  g_assert_cmpuint (pay13->offered, ==, 5);
  g_assert_null (find_figures (figures, payments, 14));
  all14 = find_figures (figures, 0, 14);
  g_assert_nonnull (all14);
  g_assert_cmpuint (all14->offered, ==, 1);
  g_assert_cmpuint (all14->closed, ==, 1);
  g_assert_nonnull (find_figures (figures, disputes, 14));

  /* the expected wait: the average of the last hour's answers times the position, else the
   * fallback */
  dd_inbound_store_set_clock (f->store, T0 + 1000);
  g_assert_true (dd_inbound_store_expected_wait (f->store, payments, 2, 60, &wait, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wait, ==, 50);
  g_assert_true (dd_inbound_store_expected_wait (f->store, disputes, 3, 60, &wait, &error));
  g_assert_cmpuint (wait, ==, 180);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/inbound-store/queues", Fixture, NULL, setup, test_queues, teardown);
  g_test_add ("/inbound-store/line", Fixture, NULL, setup, test_line, teardown);
  g_test_add ("/inbound-store/calls-and-missed", Fixture, NULL, setup, test_calls_and_missed,
              teardown);
  g_test_add ("/inbound-store/figures", Fixture, NULL, setup, test_figures, teardown);
  return g_test_run ();
}
