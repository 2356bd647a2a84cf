/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-campaign-store.h"
#include "dd-gateway-test.h"
#include "dd-outbox.h"
#include "dd-number-checks.h"
#include "dd-sms-dispatcher.h"
#include "case-fixture.h"

#include <string.h>

typedef struct
{
  CaseFixture      base;
  DdOutbox        *outbox;
  DdCampaignStore *campaigns;
  DdGatewayTest   *gateway;
  gint64           campaign_id;
} Fixture;

#define N_MESSAGES 40

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (DdOutboxNew));
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  DdCampaign campaign = { .name = (char *) "Test", .kind = (char *) "sms" };

  case_fixture_setup (&f->base, data);
  f->outbox = dd_outbox_new (f->base.db);
  f->campaigns = dd_campaign_store_new (f->base.db);
  f->gateway = dd_gateway_test_new ();
  dd_gateway_test_set_delays (f->gateway, 2, 0);
  g_assert_true (dd_campaign_store_create (f->campaigns, &campaign, 2, &f->campaign_id, &error));
  for (guint i = 0; i < N_MESSAGES; i++)
    {
      DdOutboxNew item = { 0 };
      char *e164 = g_strdup_printf ("+4860100%04u", i);
      char *key = g_strdup_printf ("k-%u", i);

      g_ptr_array_add (strings, e164);
      g_ptr_array_add (strings, key);
      item.e164 = e164;
      item.idempotency_key = key;
      item.body = "Prosimy o zapłatę";
      item.case_id = i == 0 ? 1 : 0;
      g_array_append_val (items, item);
    }
  g_assert_true (dd_outbox_enqueue (f->outbox, f->campaign_id, "Biuro",
                                    (const DdOutboxNew *) items->data, items->len, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->gateway);
  g_assert_finalize_object (f->outbox);
  g_assert_finalize_object (f->campaigns);
  case_fixture_teardown (&f->base, data);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return case_fixture_int (&f->base, sql);
}

static void
run_until (Fixture    *f,
           const char *sql,
           gint64      expected)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  while (count (f, sql) != expected && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (count (f, sql), ==, expected);
}

static void
start_campaign (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dd_campaign_store_set_state (f->campaigns, f->campaign_id, DD_CAMPAIGN_RUNNING,
                                              NULL, 2, &error));
  g_assert_no_error (error);
}

static void
test_sends_all_once (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(DdSmsDispatcher) dispatcher = dd_sms_dispatcher_new (f->base.db,
                                                                 DD_SMS_GATEWAY (f->gateway));

  start_campaign (f);
  /* two timeouts on the way: retried, not lost */
  dd_gateway_test_fail_next (f->gateway, DD_SMS_GATEWAY_ERROR_TIMEOUT, 2, 0);
  dd_sms_dispatcher_set_poll_interval (dispatcher, 1);
  dd_sms_dispatcher_start (dispatcher);
  /* the back-off of the two failed ones is seconds: let them wait less in this test */
  run_until (f, "SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')", N_MESSAGES - 2);
  g_assert_true (dd_database_exec (f->base.db, "UPDATE message SET not_before = NULL"
                                               " WHERE state = 'queued'", NULL));
  dd_sms_dispatcher_wake (dispatcher);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')", N_MESSAGES);
  g_assert_cmpuint (dd_gateway_test_get_inbox (f->gateway)->len, ==, N_MESSAGES);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE attempts = 2"), ==, 2);

  /* the campaign completes; delivery reports are polled */
  run_until (f, "SELECT COUNT(*) FROM campaign WHERE state = 'completed'", 1);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state = 'delivered'", N_MESSAGES);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE case_id = 1 AND kind = 'sms'"),
                   ==, 2);   /* sent, delivered */
  dd_sms_dispatcher_stop (dispatcher);
}

static void
count_waiting (DdSmsDispatcher *dispatcher,
               gint64           message_id,
               const char      *reason,
               guint           *n)
{
  g_assert_nonnull (reason);
  (*n)++;
}

/* The provider down past the back-off (the test starts at the 7th attempt): the messages wait,
 * none fails, the campaign stays open; the window's next start (or a resume) sends each once,
 * under its own key. */
static void
test_waiting_for_provider (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(DdSmsDispatcher) dispatcher = dd_sms_dispatcher_new (f->base.db,
                                                                 DD_SMS_GATEWAY (f->gateway));
  g_autoptr(DdSmsDispatcher) again = NULL;
  guint waiting = 0;

  start_campaign (f);
  g_assert_true (dd_database_exec (f->base.db, "UPDATE message SET attempts = 7", NULL));
  dd_gateway_test_fail_next (f->gateway, DD_SMS_GATEWAY_ERROR_NETWORK, N_MESSAGES, 0);
  g_signal_connect (dispatcher, "message-waiting", G_CALLBACK (count_waiting), &waiting);
  dd_sms_dispatcher_start (dispatcher);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state = 'queued'"
                " AND error_code = 'provider-unreachable' AND not_before IS NOT NULL",
             N_MESSAGES);
  g_assert_cmpuint (waiting, ==, N_MESSAGES);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE state = 'failed'"), ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM campaign WHERE state = 'running'"), ==, 1);
  g_assert_cmpuint (dd_gateway_test_get_inbox (f->gateway)->len, ==, 0);
  dd_sms_dispatcher_stop (dispatcher);

  /* the provider answers again; the window starts */
  again = dd_sms_dispatcher_new (f->base.db, DD_SMS_GATEWAY (f->gateway));
  dd_sms_dispatcher_start (again);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')", N_MESSAGES);
  run_until (f, "SELECT COUNT(*) FROM campaign WHERE state = 'completed'", 1);
  g_assert_cmpuint (dd_gateway_test_get_inbox (f->gateway)->len, ==, N_MESSAGES);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE attempts = 9"), ==, N_MESSAGES);
  dd_sms_dispatcher_stop (again);
}

/* The provider says the recipient replied STOP (Twilio 21610): failed for good, the number's
 * debtor opted out. Answers lost after the provider took the message: never sent again, and
 * after a few in a row the campaign pauses rather than leave every message unknown. */
static void
test_opted_out_and_lost_answers (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(DdSmsDispatcher) dispatcher = dd_sms_dispatcher_new (f->base.db,
                                                                 DD_SMS_GATEWAY (f->gateway));
  gint64 unknown;

  /* every number of the campaign is also one of debtor 2's */
  g_assert_true (dd_database_exec (f->base.db,
                                   "INSERT OR IGNORE INTO phone (debtor_id, e164, kind, position, valid,"
                                   " created_at) SELECT 2, e164, 'mobile', 10 + id, 1, 'x'"
                                   " FROM message WHERE campaign_id IS NOT NULL", NULL));
  g_assert_cmpint (count (f, "SELECT opt_out FROM debtor WHERE id = 2"), ==, 0);
  start_campaign (f);
  dd_gateway_test_fail_next (f->gateway, DD_SMS_GATEWAY_ERROR_OPTED_OUT, 1, 0);
  dd_sms_dispatcher_start (dispatcher);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state = 'failed'"
                " AND error_code = 'opted-out' AND attempts = 1", 1);
  g_assert_cmpint (count (f, "SELECT opt_out FROM debtor WHERE id = 2"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM debtor WHERE opt_out <> 0"), ==, 1);

  dd_gateway_test_fail_next (f->gateway, DD_SMS_GATEWAY_ERROR_OUTCOME_UNKNOWN, 1000, 0);
  run_until (f, "SELECT COUNT(*) FROM campaign WHERE state = 'paused'"
                " AND state_reason = 'outcome-unknown'", 1);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state = 'sending'", 0);
  dd_gateway_test_fail_next (f->gateway, DD_SMS_GATEWAY_ERROR_OUTCOME_UNKNOWN, 0, 0);
  unknown = count (f, "SELECT COUNT(*) FROM message WHERE state = 'failed'"
                      " AND error_code = 'outcome-unknown'");
  g_assert_cmpint (unknown, >=, 3);
  /* none of them was tried twice, none is queued to be */
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE error_code = 'outcome-unknown'"
                             " AND (attempts <> 1 OR state <> 'failed')"), ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')"),
                   ==, (gint64) dd_gateway_test_get_inbox (f->gateway)->len);
  dd_sms_dispatcher_stop (dispatcher);
}

/* A 429 holds back every new request for the wait the provider asked for, not just the
 * message it answered: a storm of 429s is not met with one request per queued message. */
static void
test_rate_limited_slows_all (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(DdSmsDispatcher) dispatcher = dd_sms_dispatcher_new (f->base.db,
                                                                 DD_SMS_GATEWAY (f->gateway));
  gint64 until;
  guint at_429;

  start_campaign (f);
  dd_gateway_test_fail_next (f->gateway, DD_SMS_GATEWAY_ERROR_RATE_LIMITED, 1, 2);
  dd_sms_dispatcher_start (dispatcher);
  run_until (f, "SELECT COUNT(*) FROM message WHERE error_code = 'rate-limited'", 1);
  at_429 = dd_gateway_test_get_n_requests (f->gateway);
  until = g_get_monotonic_time () + G_TIME_SPAN_SECOND;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  /* at most the requests already on their way when the 429 came */
  g_assert_cmpuint (dd_gateway_test_get_n_requests (f->gateway), <=,
                    at_429 + dd_sms_gateway_get_max_connections (DD_SMS_GATEWAY (f->gateway)));
  g_assert_cmpuint (dd_gateway_test_get_n_requests (f->gateway), <, N_MESSAGES);
  /* then the rest goes, each once */
  run_until (f, "SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')", N_MESSAGES - 1);
  g_assert_true (dd_database_exec (f->base.db, "UPDATE message SET not_before = NULL"
                                               " WHERE state = 'queued'", NULL));
  dd_sms_dispatcher_wake (dispatcher);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')", N_MESSAGES);
  g_assert_cmpuint (dd_gateway_test_get_inbox (f->gateway)->len, ==, N_MESSAGES);
  dd_sms_dispatcher_stop (dispatcher);
}

static void
test_final_errors_and_credit (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(DdSmsDispatcher) dispatcher = dd_sms_dispatcher_new (f->base.db,
                                                                 DD_SMS_GATEWAY (f->gateway));
  g_autoptr(GError) error = NULL;

  start_campaign (f);
  /* a final error is recorded, a missing credit pauses the campaign */
  dd_gateway_test_fail_next (f->gateway, DD_SMS_GATEWAY_ERROR_INVALID_NUMBER, 1, 0);
  dd_sms_dispatcher_start (dispatcher);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state = 'failed'"
                " AND error_code = 'invalid-number'", 1);
  dd_gateway_test_fail_next (f->gateway, DD_SMS_GATEWAY_ERROR_NO_CREDIT, 1000, 0);
  run_until (f, "SELECT COUNT(*) FROM campaign WHERE state = 'paused'"
                " AND state_reason = 'no-credit'", 1);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state = 'sending'", 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE state = 'failed'"), ==, 1);

  /* topped up and resumed: the rest goes, nothing twice */
  dd_gateway_test_fail_next (f->gateway, DD_SMS_GATEWAY_ERROR_NO_CREDIT, 0, 0);
  g_assert_true (dd_campaign_store_set_state (f->campaigns, f->campaign_id, DD_CAMPAIGN_RUNNING,
                                              NULL, 2, &error));
  dd_sms_dispatcher_wake (dispatcher);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')",
             N_MESSAGES - 1);
  g_assert_cmpuint (dd_gateway_test_get_inbox (f->gateway)->len, ==, N_MESSAGES - 1);
  dd_sms_dispatcher_stop (dispatcher);
}

static void
count_pause (DdSmsDispatcher *dispatcher,
             gint64           campaign_id,
             const char      *reason,
             const char      *detail,
             guint           *n)
{
  g_assert_nonnull (detail);
  (*n)++;
}

/* Every account-wide refusal (token, credit, sender, blocked account) pauses the campaign with
 * its reason and puts the message back, uncounted; none fails a message; resumed, all go once. */
static void
test_account_wide_errors (Fixture       *f,
                          gconstpointer  data)
{
  static const struct { DdSmsGatewayError code; const char *reason; } cases[] = {
    { DD_SMS_GATEWAY_ERROR_AUTH, "auth" },
    { DD_SMS_GATEWAY_ERROR_BAD_SENDER, "bad-sender" },
    { DD_SMS_GATEWAY_ERROR_ACCOUNT_BLOCKED, "account-blocked" },
    { DD_SMS_GATEWAY_ERROR_NO_CREDIT, "no-credit" },
    { DD_SMS_GATEWAY_ERROR_REDIRECTED, "redirected" },
    { DD_SMS_GATEWAY_ERROR_TLS, "tls" },
  };
  g_autoptr(DdSmsDispatcher) dispatcher = dd_sms_dispatcher_new (f->base.db,
                                                                 DD_SMS_GATEWAY (f->gateway));
  guint pauses = 0;

  g_signal_connect (dispatcher, "campaign-paused", G_CALLBACK (count_pause), &pauses);
  start_campaign (f);
  dd_sms_dispatcher_start (dispatcher);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *paused = g_strdup_printf ("SELECT COUNT(*) FROM campaign"
                                                 " WHERE state = 'paused' AND state_reason = '%s'",
                                                 cases[i].reason);

      dd_gateway_test_fail_next (f->gateway, cases[i].code, 1000, 0);
      if (i > 0)
        {
          g_assert_true (dd_campaign_store_set_state (f->campaigns, f->campaign_id,
                                                      DD_CAMPAIGN_RUNNING, NULL, 2, &error));
          dd_sms_dispatcher_wake (dispatcher);
        }
      run_until (f, paused, 1);
      run_until (f, "SELECT COUNT(*) FROM message WHERE state = 'sending'", 0);
      g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE state = 'queued'"
                                 " AND attempts = 0 AND idempotency_key LIKE 'k-%'"), ==, N_MESSAGES);
      g_assert_cmpuint (pauses, ==, i + 1);
      g_assert_true (dd_campaign_reason_is_account (cases[i].reason));
      g_assert_nonnull (dd_campaign_reason_to_label (cases[i].reason));
    }
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE state = 'failed'"
                             " AND idempotency_key LIKE 'k-%'"), ==, 0);
  g_assert_cmpuint (dd_gateway_test_get_inbox (f->gateway)->len, ==, 0);

  /* fixed and resumed: every message once, on its first counted attempt */
  dd_gateway_test_fail_next (f->gateway, DD_SMS_GATEWAY_ERROR_AUTH, 0, 0);
  g_assert_true (dd_campaign_store_set_state (f->campaigns, f->campaign_id, DD_CAMPAIGN_RUNNING,
                                              NULL, 2, NULL));
  dd_sms_dispatcher_wake (dispatcher);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')", N_MESSAGES);
  g_assert_cmpuint (dd_gateway_test_get_inbox (f->gateway)->len, ==, N_MESSAGES);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE attempts = 1"
                             " AND idempotency_key LIKE 'k-%'"), ==, N_MESSAGES);
  dd_sms_dispatcher_stop (dispatcher);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSmsSendResult) sent = dd_sms_gateway_send_finish (DD_SMS_GATEWAY (source), result,
                                                                &error);

  g_assert_no_error (error);
  g_assert_nonnull (sent);
}

static void
on_campaign_started (DdSmsDispatcher *dispatcher,
                     gint64           campaign_id,
                     gboolean         late,
                     gboolean        *out_late)
{
  *out_late = late;
}

static void
test_reconcile_after_crash (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(DdSmsDispatcher) dispatcher = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *inbox;
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);

  start_campaign (f);
  /* a crash after the claim: 3 rows "sending"; the provider got 2 of them before it */
  claimed = dd_outbox_claim (f->outbox, 0, "2099-01-01T00:00:00Z", 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 3);
  for (guint i = 0; i < 2; i++)
    {
      DdOutboxMessage *m = g_ptr_array_index (claimed, i);
      DdSmsRequest request = { .idempotency_key = m->idempotency_key, .to = m->e164,
                               .text = m->body };

      dd_sms_gateway_send_async (DD_SMS_GATEWAY (f->gateway), &request, NULL, on_sent, NULL);
    }
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;

    while (dd_gateway_test_get_inbox (f->gateway)->len < 2 && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }

  /* the restart reconciles first: the two are found, the third is sent; nobody twice */
  dispatcher = dd_sms_dispatcher_new (f->base.db, DD_SMS_GATEWAY (f->gateway));
  dd_sms_dispatcher_start (dispatcher);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')", N_MESSAGES);
  inbox = dd_gateway_test_get_inbox (f->gateway);
  g_assert_cmpuint (inbox->len, ==, N_MESSAGES);
  for (guint i = 0; i < inbox->len; i++)
    g_assert_true (g_hash_table_add (keys, ((DdTestSms *) g_ptr_array_index (inbox, i))->idempotency_key));
  /* the one the provider never got was claimed again; the two it had were not */
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE attempts > 1"), ==, 1);
  dd_sms_dispatcher_stop (dispatcher);
}

static void
test_scheduled_start (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(DdSmsDispatcher) dispatcher = dd_sms_dispatcher_new (f->base.db,
                                                                 DD_SMS_GATEWAY (f->gateway));
  gboolean late = FALSE;
  /* a campaign whose time passed while the app was closed starts at once, and says so */
  g_autofree char *sql = g_strdup_printf ("UPDATE campaign SET state = 'scheduled',"
                                          " schedule_at = '2026-01-01T08:00:00Z'"
                                          " WHERE id = %" G_GINT64_FORMAT, f->campaign_id);

  g_assert_true (dd_database_exec (f->base.db, sql, NULL));
  g_signal_connect (dispatcher, "campaign-started", G_CALLBACK (on_campaign_started), &late);
  dd_sms_dispatcher_start (dispatcher);
  run_until (f, "SELECT COUNT(*) FROM campaign WHERE state_reason = 'started-late'", 1);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')", N_MESSAGES);
  g_assert_true (late);
  dd_sms_dispatcher_stop (dispatcher);
}

static void
test_sending_hours (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(DdSmsDispatcher) dispatcher = dd_sms_dispatcher_new (f->base.db,
                                                                 DD_SMS_GATEWAY (f->gateway));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  int minute = g_date_time_get_hour (now) * 60 + g_date_time_get_minute (now);
  int start = (minute + 180) % 1380;
  g_autofree char *sql = g_strdup_printf ("UPDATE campaign SET windows ="
                                          " '{\"start\":%d,\"end\":%d}' WHERE id = %" G_GINT64_FORMAT,
                                          start, start + 30, f->campaign_id);
  gint64 end = g_get_monotonic_time () + G_TIME_SPAN_SECOND;

  /* outside the campaign's sending hours nothing goes: every message waits for the opening */
  g_assert_true (dd_database_exec (f->base.db, sql, NULL));
  start_campaign (f);
  dd_sms_dispatcher_start (dispatcher);
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (dd_gateway_test_get_n_requests (f->gateway), ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE state = 'queued'"
                             " AND not_before > strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                             " AND campaign_id IS NOT NULL AND idempotency_key LIKE 'k-%'"),
                   ==, N_MESSAGES);
  dd_sms_dispatcher_stop (dispatcher);
}

static void
count_reply (DdSmsDispatcher *dispatcher,
             const char      *from,
             gboolean         opt_out,
             guint           *count)
{
  *count += opt_out ? 100 : 1;
}

static void
test_replies (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(DdSmsDispatcher) dispatcher = dd_sms_dispatcher_new (f->base.db,
                                                                 DD_SMS_GATEWAY (f->gateway));
  guint heard = 0;

  start_campaign (f);
  g_signal_connect (dispatcher, "reply-received", G_CALLBACK (count_reply), &heard);
  dd_sms_dispatcher_set_poll_interval (dispatcher, 1);
  dd_sms_dispatcher_start (dispatcher);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')", N_MESSAGES);

  /* the debtor of case 1 (first message) answers, then asks to stop */
  dd_gateway_test_add_reply (f->gateway, "+48601000000", "Zapłacę w piątek");
  dd_gateway_test_add_reply (f->gateway, "+48601000000", "STOP");
  run_until (f, "SELECT COUNT(*) FROM sms_reply", 2);
  run_until (f, "SELECT COUNT(*) FROM activity WHERE case_id = 1 AND kind = 'sms-reply'", 2);
  g_assert_cmpint (heard, ==, 101);
  g_assert_cmpint (count (f, "SELECT opt_out FROM sms_reply WHERE body = 'STOP'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT replies FROM message WHERE e164 = '+48601000000'"), ==, 2);

  /* fetched again at the next polls: recorded once */
  {
    gint64 until = g_get_monotonic_time () + 2500 * G_TIME_SPAN_MILLISECOND;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM sms_reply"), ==, 2);
  g_assert_cmpint (heard, ==, 101);
  dd_sms_dispatcher_stop (dispatcher);
}

static void
test_contact_policy (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(DdSmsDispatcher) dispatcher = dd_sms_dispatcher_new (f->base.db,
                                                                 DD_SMS_GATEWAY (f->gateway));
  g_autoptr(DdContactPolicy) policy = dd_contact_policy_new_preset ("pl");
  g_autofree char *now = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GDateTime) utc = g_date_time_new_now_utc ();
  g_autofree char *not_before = NULL;

  /* any hour of any day, one contact a day: the debtor of case 1 had one today */
  for (guint k = 0; k < DD_DAY_N_KINDS; k++)
    policy->windows[k] = (DdContactWindow) { TRUE, 0, 1440 };
  now = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  sql = g_strdup_printf ("INSERT INTO message (case_id, e164, idempotency_key, body, state,"
                         " sent_at, created_at, updated_at) VALUES (1, '+48601999999', 'earlier',"
                         " 'x', 'sent', '%s', 'x', 'x')", now);
  g_assert_true (dd_database_exec (f->base.db, sql, NULL));

  start_campaign (f);
  dd_sms_dispatcher_set_contact_policy (dispatcher, policy);
  dd_sms_dispatcher_start (dispatcher);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')"
                " AND idempotency_key LIKE 'k-%'", N_MESSAGES - 1);
  /* held back, not lost: queued for the debtor's next day, the attempt not counted */
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE idempotency_key = 'k-0'"
                             " AND state = 'queued' AND error_code = 'policy-cap'"
                             " AND attempts = 0"), ==, 1);
  not_before = g_strdup_printf ("SELECT not_before > '%s' FROM message"
                                " WHERE idempotency_key = 'k-0'", now);
  g_assert_cmpint (count (f, not_before), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM campaign WHERE state = 'completed'"), ==, 0);
  g_assert_cmpuint (dd_gateway_test_get_inbox (f->gateway)->len, ==, N_MESSAGES - 1);
  dd_sms_dispatcher_stop (dispatcher);
}

static void
count_progress (guint    done,
                guint    total,
                gpointer user_data)
{
  guint *last = user_data;

  g_assert_cmpuint (done, >, *last);
  g_assert_cmpuint (done, <=, total);
  *last = done;
}

static void
on_checks_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_number_checks (Fixture       *f,
                    gconstpointer  data)
{
  /* the Test gateway: ...00 is not in service, ...99 unreachable, the rest in service */
  const char *numbers[] = { "+48601234567", "+48587654300", "+79161234599", NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  DdNumberChecksResult outcome = { 0 };
  guint last = 0;

  g_assert_true (dd_database_exec (f->base.db,
                                   "UPDATE phone SET e164 = '+48587654300', valid = 1"
                                   " WHERE e164 = '+48587654321';"
                                   "UPDATE phone SET e164 = '+79161234599'"
                                   " WHERE e164 = '+79161234567'", NULL));
  g_assert_true (dd_sms_gateway_can_check_numbers (DD_SMS_GATEWAY (f->gateway)));
  dd_number_checks_run_async (f->base.db, DD_SMS_GATEWAY (f->gateway), numbers, 1,
                              count_progress, &last, NULL, on_checks_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (dd_number_checks_run_finish (result, &outcome, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (outcome.checked, ==, 3);
  g_assert_cmpuint (outcome.dead, ==, 2);
  g_assert_cmpuint (last, ==, 3);
  /* recorded: the invalid number is no longer valid; the badges' statuses and dates are set */
  g_assert_cmpint (count (f, "SELECT valid FROM phone WHERE e164 = '+48587654300'"), ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM phone WHERE hlr_checked_at IS NOT NULL"), ==, 3);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM phone WHERE hlr_status = 'unreachable'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE kind = 'hlr'"), >=, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/dd/dispatcher/waiting-for-provider", Fixture, NULL, fixture_setup,
              test_waiting_for_provider, fixture_teardown);
  g_test_add ("/dd/dispatcher/sends-all-once", Fixture, NULL, fixture_setup, test_sends_all_once,
              fixture_teardown);
  g_test_add ("/dd/dispatcher/final-errors-and-credit", Fixture, NULL, fixture_setup,
              test_final_errors_and_credit, fixture_teardown);
  g_test_add ("/dd/dispatcher/opted-out-and-lost-answers", Fixture, NULL, fixture_setup,
              test_opted_out_and_lost_answers, fixture_teardown);
  g_test_add ("/dd/dispatcher/rate-limited-slows-all", Fixture, NULL, fixture_setup,
              test_rate_limited_slows_all, fixture_teardown);
  g_test_add ("/dd/dispatcher/account-wide-errors", Fixture, NULL, fixture_setup,
              test_account_wide_errors, fixture_teardown);
  g_test_add ("/dd/dispatcher/reconcile-after-crash", Fixture, NULL, fixture_setup,
              test_reconcile_after_crash, fixture_teardown);
  g_test_add ("/dd/dispatcher/scheduled-start", Fixture, NULL, fixture_setup,
              test_scheduled_start, fixture_teardown);

  g_test_add ("/dd/dispatcher/replies", Fixture, NULL, fixture_setup, test_replies,
              fixture_teardown);
  g_test_add ("/dd/dispatcher/contact-policy", Fixture, NULL, fixture_setup,
              test_contact_policy, fixture_teardown);
  g_test_add ("/dd/dispatcher/number-checks", Fixture, NULL, fixture_setup,
              test_number_checks, fixture_teardown);
  g_test_add ("/dd/dispatcher/sending-hours", Fixture, NULL, fixture_setup, test_sending_hours,
              fixture_teardown);

  return g_test_run ();
}
