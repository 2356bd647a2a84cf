/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Agent Console's core: consultants' states, the wrap-up's outcomes, callbacks, the
 * dialer's record of answered and abandoned calls (issue 18). */

#include "case-fixture.h"
#include "dd-agent-state-store.h"
#include "dd-dialer-store.h"
#include "dd-wrap-up.h"

#include <locale.h>

#define T0 1795435200 /* 2026-11-23T12:00:00Z, the fixture's now */

typedef struct
{
  CaseFixture        base;
  DdAgentStateStore *states;
  DdLadderStore     *ladder;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  case_fixture_setup (&f->base, NULL);
  /* a second consultant */
  g_assert_true (dd_database_exec (f->base.db,
                                   "INSERT INTO agent (id, name, role, created_at)"
                                   " VALUES (4, 'Ola Konsultant', 'consultant', 'x')", &error));
  g_assert_no_error (error);
  f->states = dd_agent_state_store_new (f->base.db);
  dd_agent_state_store_set_clock (f->states, T0);
  f->ladder = dd_ladder_store_new (f->base.db);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_assert_finalize_object (f->ladder);
  g_assert_finalize_object (f->states);
  case_fixture_teardown (&f->base, NULL);
}

static DdAgentState
state_of (Fixture *f,
          gint64   agent_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdAgentStatus) status = dd_agent_state_store_get (f->states, agent_id, &error);

  g_assert_no_error (error);
  return status->state;
}

static void
test_states (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(DdAgentStatus) status = NULL;
  const DdAgentState expected[] = {
    DD_AGENT_STATE_READY, DD_AGENT_STATE_PAUSED, DD_AGENT_STATE_READY, DD_AGENT_STATE_ON_CALL,
    DD_AGENT_STATE_WRAP_UP, DD_AGENT_STATE_READY, DD_AGENT_STATE_OFFLINE,
  };

  g_assert_cmpint (state_of (f, 1), ==, DD_AGENT_STATE_OFFLINE);

  /* Not a call while offline; a call needs a ready consultant */
  g_assert_false (dd_agent_state_store_start_call (f->states, 1, 1, &error));
  g_assert_error (error, DD_AGENT_STATE_ERROR, DD_AGENT_STATE_ERROR_WRONG_STATE);
  g_clear_error (&error);

  g_assert_true (dd_agent_state_store_set_ready (f->states, 1, &error));
  g_assert_no_error (error);

  /* A pause needs a reason */
  g_assert_false (dd_agent_state_store_pause (f->states, 1, "  ", &error));
  g_assert_error (error, DD_AGENT_STATE_ERROR, DD_AGENT_STATE_ERROR_NO_REASON);
  g_clear_error (&error);
  dd_agent_state_store_set_clock (f->states, T0 + 10);
  g_assert_true (dd_agent_state_store_pause (f->states, 1, " lunch ", &error));
  g_assert_no_error (error);
  status = dd_agent_state_store_get (f->states, 1, &error);
  g_assert_cmpint (status->state, ==, DD_AGENT_STATE_PAUSED);
  g_assert_cmpstr (status->reason, ==, "lunch");
  g_assert_cmpint (status->since, ==, T0 + 10);
  g_clear_pointer (&status, dd_agent_status_free);

  dd_agent_state_store_set_clock (f->states, T0 + 100);
  g_assert_true (dd_agent_state_store_set_ready (f->states, 1, &error));
  g_assert_true (dd_agent_state_store_start_call (f->states, 1, 3, &error));
  g_assert_no_error (error);

  /* Neither ready nor a pause in the middle of a call */
  g_assert_false (dd_agent_state_store_pause (f->states, 1, "coffee", &error));
  g_assert_error (error, DD_AGENT_STATE_ERROR, DD_AGENT_STATE_ERROR_WRONG_STATE);
  g_clear_error (&error);
  g_assert_false (dd_agent_state_store_set_ready (f->states, 1, &error));
  g_clear_error (&error);

  /* Wrap-up: 15 s by default, keeps the case, then ready by itself */
  dd_agent_state_store_set_clock (f->states, T0 + 200);
  g_assert_true (dd_agent_state_store_wrap_up (f->states, 1, 0, &error));
  g_assert_no_error (error);
  status = dd_agent_state_store_get (f->states, 1, &error);
  g_assert_cmpint (status->state, ==, DD_AGENT_STATE_WRAP_UP);
  g_assert_cmpint (status->case_id, ==, 3);
  g_assert_cmpint (status->wrap_up_until, ==, T0 + 215);
  g_clear_pointer (&status, dd_agent_status_free);

  {
    guint n = 99;

    dd_agent_state_store_set_clock (f->states, T0 + 214);
    g_assert_true (dd_agent_state_store_expire (f->states, &n, &error));
    g_assert_cmpuint (n, ==, 0);
    g_assert_cmpint (state_of (f, 1), ==, DD_AGENT_STATE_WRAP_UP);
    dd_agent_state_store_set_clock (f->states, T0 + 215);
    g_assert_true (dd_agent_state_store_expire (f->states, &n, &error));
    g_assert_cmpuint (n, ==, 1);
    g_assert_cmpint (state_of (f, 1), ==, DD_AGENT_STATE_READY);
  }

  g_assert_true (dd_agent_state_store_sign_out (f->states, 1, &error));
  g_assert_no_error (error);

  /* Every change was recorded, in order */
  history = dd_agent_state_store_history (f->states, 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < history->len; i++)
    {
      DdAgentStateChange *change = g_ptr_array_index (history, i);

      g_assert_cmpint (change->state, ==, expected[i]);
    }
  g_assert_cmpstr (((DdAgentStateChange *) g_ptr_array_index (history, 1))->reason, ==, "lunch");
  g_assert_cmpint (((DdAgentStateChange *) g_ptr_array_index (history, 3))->case_id, ==, 3);

  /* An inactive user cannot sign in */
  g_assert_false (dd_agent_state_store_set_ready (f->states, 3, &error));
  g_assert_error (error, DD_AGENT_STATE_ERROR, DD_AGENT_STATE_ERROR_NOT_FOUND);
}

/* Two desks hand calls to consultants at once on the shared database: the consultant one desk
 * is reserving is passed over by the other (SKIP LOCKED), neither waits nor doubles up. */
static void
test_reserve_two_desks (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdDatabase) other_db = NULL;
  g_autoptr(DdAgentStateStore) other = NULL;
  gint64 first = -1, second = -1;

  if (!g_str_equal (dd_database_get_driver_name (f->base.db), "postgresql"))
    {
      g_test_skip ("two connections writing at once: the shared database only");
      return;
    }
  g_assert_true (dd_agent_state_store_set_ready (f->states, 4, &error));
  dd_agent_state_store_set_clock (f->states, T0 + 5);
  g_assert_true (dd_agent_state_store_set_ready (f->states, 1, &error));
  g_assert_no_error (error);

  other_db = dd_database_open_another (f->base.db, &error);
  g_assert_no_error (error);
  /* before the claim, the second desk would wait for the first one's row: not for long */
  g_assert_true (dd_database_exec (other_db, "SET lock_timeout = '2s'", &error));
  other = dd_agent_state_store_new (other_db);
  dd_agent_state_store_set_clock (other, T0 + 5);

  /* the first desk's reservation is not committed yet when the second desk asks */
  g_assert_true (dd_database_begin (f->base.db, &error));
  g_assert_true (dd_agent_state_store_reserve (f->states, 6, 0, &first, &error));
  g_assert_no_error (error);
  g_assert_true (dd_agent_state_store_reserve (other, 2, 0, &second, &error));
  g_assert_no_error (error);
  g_assert_true (dd_database_commit (f->base.db, &error));
  g_assert_cmpint (first, ==, 4);
  g_assert_cmpint (second, ==, 1);
  g_assert_cmpint (state_of (f, 4), ==, DD_AGENT_STATE_ON_CALL);
  g_assert_cmpint (state_of (f, 1), ==, DD_AGENT_STATE_ON_CALL);
  g_assert_finalize_object (g_steal_pointer (&other));
}

static void
test_reserve (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) free_ids = NULL;
  gint64 agent = -1;

  /* Nobody ready: nobody reserved, no error */
  g_assert_true (dd_agent_state_store_reserve (f->states, 1, 0, &agent, &error));
  g_assert_no_error (error);
  g_assert_cmpint (agent, ==, 0);

  g_assert_true (dd_agent_state_store_set_ready (f->states, 4, &error));
  dd_agent_state_store_set_clock (f->states, T0 + 5);
  g_assert_true (dd_agent_state_store_set_ready (f->states, 1, &error));
  g_assert_no_error (error);

  free_ids = dd_agent_state_store_list_free (f->states, &error);
  g_assert_cmpuint (free_ids->len, ==, 2);
  g_assert_cmpint (g_array_index (free_ids, gint64, 0), ==, 4);

  /* The longest idle first… */
  g_assert_true (dd_agent_state_store_reserve (f->states, 6, 0, &agent, &error));
  g_assert_cmpint (agent, ==, 4);
  g_assert_cmpint (state_of (f, 4), ==, DD_AGENT_STATE_ON_CALL);
  /* …and nobody twice */
  g_assert_true (dd_agent_state_store_reserve (f->states, 2, 4, &agent, &error));
  g_assert_cmpint (agent, ==, 1);
  g_assert_true (dd_agent_state_store_reserve (f->states, 3, 0, &agent, &error));
  g_assert_cmpint (agent, ==, 0);

  /* The preferred one (a callback's consultant) when ready */
  g_assert_true (dd_agent_state_store_wrap_up (f->states, 4, 1, &error));
  g_assert_true (dd_agent_state_store_wrap_up (f->states, 1, 1, &error));
  dd_agent_state_store_set_clock (f->states, T0 + 10);
  g_assert_true (dd_agent_state_store_expire (f->states, NULL, &error));
  g_assert_true (dd_agent_state_store_reserve (f->states, 2, 1, &agent, &error));
  g_assert_no_error (error);
  g_assert_cmpint (agent, ==, 1);
}

static void
test_sip_uri (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *none = NULL;

  g_assert_null (dd_agent_state_store_get_sip_uri (f->states, 1, &error));
  g_assert_no_error (error);
  g_assert_true (dd_agent_state_store_set_sip_uri (f->states, 1, " sip:anna@192.168.1.20:5062 ",
                                                   &error));
  g_assert_no_error (error);
  uri = dd_agent_state_store_get_sip_uri (f->states, 1, &error);
  g_assert_cmpstr (uri, ==, "sip:anna@192.168.1.20:5062");
  g_assert_false (dd_agent_state_store_set_sip_uri (f->states, 1, "anna", &error));
  g_assert_error (error, DD_AGENT_STATE_ERROR, DD_AGENT_STATE_ERROR_BAD_URI);
  g_clear_error (&error);
  g_assert_false (dd_agent_state_store_set_sip_uri (f->states, 1, "sip:@host", &error));
  g_clear_error (&error);
  g_assert_false (dd_agent_state_store_set_sip_uri (f->states, 99, "sip:a@b", &error));
  g_assert_error (error, DD_AGENT_STATE_ERROR, DD_AGENT_STATE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* Empty: back to the headset */
  g_assert_true (dd_agent_state_store_set_sip_uri (f->states, 1, "", &error));
  none = dd_agent_state_store_get_sip_uri (f->states, 1, &error);
  g_assert_null (none);
}

static void
test_outcome_table (void)
{
  DdCaseStatus status;

  for (guint i = 0; i < DD_WRAP_UP_N_OUTCOMES; i++)
    {
      DdWrapUpOutcome back;

      g_assert_true (dd_wrap_up_outcome_from_string (dd_wrap_up_outcome_to_string (i), &back));
      g_assert_cmpint (back, ==, i);
      g_assert_nonnull (dd_wrap_up_outcome_to_label (i));
    }
  g_assert_false (dd_wrap_up_outcome_get_status (DD_WRAP_UP_RIGHT_PARTY, &status));
  g_assert_false (dd_wrap_up_outcome_get_status (DD_WRAP_UP_DISPUTE, &status));
  g_assert_true (dd_wrap_up_outcome_get_status (DD_WRAP_UP_WRONG_NUMBER, &status));
  g_assert_cmpint (status, ==, DD_CASE_STATUS_NO_ANSWER);
  g_assert_true (dd_wrap_up_outcome_get_status (DD_WRAP_UP_PROMISE, &status));
  g_assert_cmpint (status, ==, DD_CASE_STATUS_PAYMENT_DECLARATION);
  g_assert_true (dd_wrap_up_outcome_get_status (DD_WRAP_UP_REFUSED, &status));
  g_assert_cmpint (status, ==, DD_CASE_STATUS_NEW);
  g_assert_true (dd_wrap_up_outcome_get_status (DD_WRAP_UP_CALL_BACK, &status));
  g_assert_cmpint (status, ==, DD_CASE_STATUS_CALL_LATER);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return case_fixture_int (&f->base, sql);
}

static char *
text (Fixture    *f,
      const char *sql)
{
  g_autoptr(GError) error = NULL;
  char *value = NULL;

  g_assert_true (dd_database_fetch_text (f->base.db, &value, &error, sql, DD_END));
  g_assert_no_error (error);
  return value;
}

static void
test_wrap_up (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) callbacks = NULL;
  g_autofree char *status = NULL;
  g_autofree char *excluded = NULL;
  g_autofree char *paused = NULL;
  DdWrapUp wrong = { .outcome = DD_WRAP_UP_WRONG_NUMBER, .e164 = "+48601234567" };
  DdWrapUp promise = { .outcome = DD_WRAP_UP_PROMISE, .amount_minor = 50000,
                       .promised_on = "2026-11-30" };
  DdWrapUp bad_promise = { .outcome = DD_WRAP_UP_PROMISE, .amount_minor = 50000,
                           .promised_on = "2026-11-01" };
  DdWrapUp call_back = { .outcome = DD_WRAP_UP_CALL_BACK,
                         .call_back_at = "2026-11-25T09:30:00Z", .note = "after salary" };
  DdWrapUp dispute = { .outcome = DD_WRAP_UP_DISPUTE };
  DdWrapUp refused = { .outcome = DD_WRAP_UP_REFUSED };
  gint64 activities = count (f, "SELECT COUNT(*) FROM activity WHERE kind = 'call-outcome'");

  g_assert_cmpint (activities, ==, 0);

  /* Wrong number: No answer, the number no longer valid */
  g_assert_true (dd_wrap_up_apply (f->base.cases, f->ladder, 1, 1, &wrong, &error));
  g_assert_no_error (error);
  status = text (f, "SELECT status FROM debt_case WHERE id = 1");
  g_assert_cmpstr (status, ==, "no-answer");
  g_assert_cmpint (count (f, "SELECT valid FROM phone WHERE e164 = '+48601234567'"), ==, 0);

  /* A promise in the past is refused and writes nothing */
  g_assert_false (dd_wrap_up_apply (f->base.cases, f->ladder, 1, 1, &bad_promise, &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PAST);
  g_clear_error (&error);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE kind = 'call-outcome'"), ==, 1);

  /* A promise: Payment declaration with its date and amount */
  g_assert_true (dd_wrap_up_apply (f->base.cases, f->ladder, 1, 1, &promise, &error));
  g_assert_no_error (error);
  g_clear_pointer (&status, g_free);
  status = text (f, "SELECT status FROM debt_case WHERE id = 1");
  g_assert_cmpstr (status, ==, "payment-declaration");
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM declaration WHERE case_id = 1"
                             " AND amount_minor = 50000 AND promised_on = '2026-11-30'"), ==, 1);

  /* Call back: Call later, the case and a callback to the same consultant, ladder paused */
  g_assert_true (dd_wrap_up_apply (f->base.cases, f->ladder, 4, 6, &call_back, &error));
  g_assert_no_error (error);
  g_clear_pointer (&status, g_free);
  status = text (f, "SELECT status FROM debt_case WHERE id = 6");
  g_assert_cmpstr (status, ==, "call-later");
  g_assert_cmpint (count (f, "SELECT agent_id FROM debt_case WHERE id = 6"), ==, 4);
  paused = text (f, "SELECT ladder_paused_until FROM debt_case WHERE id = 6");
  g_assert_cmpstr (paused, ==, "2026-11-25");
  callbacks = dd_callbacks_list (f->base.db, 4, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (callbacks->len, ==, 1);
  g_assert_cmpint (((DdCallback *) callbacks->pdata[0])->case_id, ==, 6);
  g_assert_cmpstr (((DdCallback *) callbacks->pdata[0])->due_at, ==, "2026-11-25T09:30:00Z");
  g_clear_pointer (&callbacks, g_ptr_array_unref);
  /* Not due yet on the 24th; nobody else's */
  callbacks = dd_callbacks_list (f->base.db, 4, "2026-11-24T23:59:59Z", &error);
  g_assert_cmpuint (callbacks->len, ==, 0);
  g_clear_pointer (&callbacks, g_ptr_array_unref);
  callbacks = dd_callbacks_list (f->base.db, 1, NULL, &error);
  g_assert_cmpuint (callbacks->len, ==, 0);
  g_clear_pointer (&callbacks, g_ptr_array_unref);
  callbacks = dd_callbacks_list (f->base.db, 0, "2026-11-25T09:30:00Z", &error);
  g_assert_cmpuint (callbacks->len, ==, 1);
  g_assert_true (dd_callbacks_mark_done (f->base.db, ((DdCallback *) callbacks->pdata[0])->id,
                                         &error));
  g_clear_pointer (&callbacks, g_ptr_array_unref);
  callbacks = dd_callbacks_list (f->base.db, 0, NULL, &error);
  g_assert_cmpuint (callbacks->len, ==, 0);

  /* Refused: New, the ladder's pause lifted */
  g_assert_true (dd_wrap_up_apply (f->base.cases, f->ladder, 4, 6, &refused, &error));
  g_assert_no_error (error);
  g_clear_pointer (&status, g_free);
  status = text (f, "SELECT status FROM debt_case WHERE id = 6");
  g_assert_cmpstr (status, ==, "new");
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM debt_case WHERE id = 6"
                             " AND ladder_paused_until IS NULL"), ==, 1);

  /* Dispute: status kept, off the ladder */
  g_assert_true (dd_wrap_up_apply (f->base.cases, f->ladder, 1, 3, &dispute, &error));
  g_assert_no_error (error);
  g_clear_pointer (&status, g_free);
  status = text (f, "SELECT status FROM debt_case WHERE id = 3");
  g_assert_cmpstr (status, ==, "no-answer");
  excluded = text (f, "SELECT ladder_excluded FROM debt_case WHERE id = 3");
  g_assert_cmpstr (excluded, ==, "dispute");

  /* Each outcome is on the timeline, with who */
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE kind = 'call-outcome'"), ==, 5);
  g_assert_cmpint (count (f, "SELECT agent_id FROM activity WHERE kind = 'call-outcome'"
                             " AND case_id = 3"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE kind = 'call-outcome'"
                             " AND refs LIKE '%\"outcome\":\"dispute\"%'"), ==, 1);
}

static void
test_abandoned (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint answered = 0, abandoned = 0;
  gboolean may = FALSE;
  DdDialerAnswer answer = { .campaign_id = 2, .case_id = 1, .e164 = "+48601234567",
                            .agent_id = 1 };
  DdDialerAnswer lost = { .campaign_id = 2, .case_id = 3, .e164 = "+79161234567",
                          .at = T0 - 3600, .abandoned = TRUE };

  for (guint i = 0; i < 40; i++)
    {
      answer.at = T0 - 3600 * (gint64) i;
      g_assert_true (dd_dialer_record_answer (f->base.db, &answer, &error));
    }
  g_assert_true (dd_dialer_record_answer (f->base.db, &lost, &error));
  /* Older than 30 days: out of the window */
  lost.at = T0 - 31 * 86400;
  g_assert_true (dd_dialer_record_answer (f->base.db, &lost, &error));
  g_assert_no_error (error);

  g_assert_true (dd_dialer_count_answers (f->base.db, 2, T0, DD_DIALER_WINDOW_30_DAYS_S,
                                          &answered, &abandoned, &error));
  g_assert_cmpuint (answered, ==, 41);
  g_assert_cmpuint (abandoned, ==, 1);
  /* The UK's 24 hours */
  g_assert_true (dd_dialer_count_answers (f->base.db, 2, T0, DD_DIALER_WINDOW_24_HOURS_S,
                                          &answered, &abandoned, &error));
  g_assert_cmpuint (answered, ==, 25);   /* 24 of the 40 and the abandoned one */
  g_assert_cmpuint (abandoned, ==, 1);

  /* 72 hours' rest for an abandoned number, unless a consultant is reserved */
  g_assert_true (dd_dialer_may_dial (f->base.db, "+79161234567", T0, FALSE, &may, &error));
  g_assert_false (may);
  g_assert_true (dd_dialer_may_dial (f->base.db, "+79161234567", T0, TRUE, &may, &error));
  g_assert_true (may);
  g_assert_true (dd_dialer_may_dial (f->base.db, "+79161234567", T0 - 3600 + 72 * 3600, FALSE,
                                     &may, &error));
  g_assert_true (may);
  g_assert_true (dd_dialer_may_dial (f->base.db, "+48601234567", T0, FALSE, &may, &error));
  g_assert_true (may);
  g_assert_no_error (error);

  message = dd_dialer_abandon_message ("Windykacja Sp. z o.o.", "+48 22 100 20 30");
  g_assert_nonnull (strstr (message, "Windykacja Sp. z o.o."));
  g_assert_nonnull (strstr (message, "+48 22 100 20 30"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/dd/agent-console/states", Fixture, NULL, setup, test_states, teardown);
  g_test_add ("/dd/agent-console/reserve", Fixture, NULL, setup, test_reserve, teardown);
  g_test_add ("/dd/agent-console/reserve-two-desks", Fixture, NULL, setup,
              test_reserve_two_desks, teardown);
  g_test_add ("/dd/agent-console/sip-uri", Fixture, NULL, setup, test_sip_uri, teardown);
  g_test_add_func ("/dd/agent-console/outcome-table", test_outcome_table);
  g_test_add ("/dd/agent-console/wrap-up", Fixture, NULL, setup, test_wrap_up, teardown);
  g_test_add ("/dd/agent-console/abandoned", Fixture, NULL, setup, test_abandoned, teardown);

  return g_test_run ();
}
