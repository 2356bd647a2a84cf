/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SMSAPI client against a local stand-in of its REST API (tests/peers/smsapi). */
#include "config.h"

#include "dd-test-util.h"
#include "dd-campaign-store.h"
#include "dd-gateway-smsapi.h"
#include "dd-outbox.h"
#include "dd-sms-dispatcher.h"
#include "dd-smsapi-stand-in.h"
#include "case-fixture.h"

#include <stdlib.h>
#include <string.h>

#define TOKEN "s3cr3t-Token-4711"

typedef struct
{
  DdSmsapiStandIn *stand_in;
  DdGatewaySmsapi *gateway;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->stand_in = dd_smsapi_stand_in_new (TOKEN, 0, &error);
  g_assert_no_error (error);
  dd_smsapi_stand_in_add_sender (f->stand_in, "Windykacja");
  f->gateway = dd_gateway_smsapi_new (dd_smsapi_stand_in_get_url (f->stand_in), TOKEN);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->gateway);
  dd_smsapi_stand_in_free (f->stand_in);
}

static DdSmsSendResult *
send_sync (DdGatewaySmsapi *gateway,
           const char      *key,
           const char      *to,
           const char      *text,
           const char      *sender,
           GError         **error)
{
  DdSmsRequest request = { key, to, text, sender, NULL };
  g_autoptr(GAsyncResult) result = NULL;

  dd_sms_gateway_send_async (DD_SMS_GATEWAY (gateway), &request, NULL, dd_test_keep_result,
                             &result);
  return dd_sms_gateway_send_finish (DD_SMS_GATEWAY (gateway), dd_test_wait_result (&result),
                                     error);
}

static DdSmsStatus *
status_sync (DdGatewaySmsapi *gateway,
             const char      *id,
             GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dd_sms_gateway_query_status_async (DD_SMS_GATEWAY (gateway), id, NULL, dd_test_keep_result,
                                     &result);
  return dd_sms_gateway_query_status_finish (DD_SMS_GATEWAY (gateway),
                                             dd_test_wait_result (&result), error);
}

static void
test_send (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSmsSendResult) sent = NULL;
  GHashTable *form;
  DdSmsapiAccepted *accepted;

  sent = send_sync (f->gateway, "dd-1-42", "+48601000111",
                    "Jan Łęcki, faktura FV/1 na 120,00 zł jest po terminie.", "Windykacja",
                    &error);
  g_assert_no_error (error);
  g_assert_nonnull (sent);
  g_assert_cmpuint (dd_smsapi_stand_in_get_accepted (f->stand_in)->len, ==, 1);
  accepted = g_ptr_array_index (dd_smsapi_stand_in_get_accepted (f->stand_in), 0);
  g_assert_cmpstr (sent->provider_id, ==, accepted->id);
  g_assert_cmpuint (sent->parts, ==, 1);
  g_assert_cmpint (sent->cost_minor, ==, 16);
  g_assert_cmpstr (sent->cost_currency, ==, "PLN");

  /* what went over the wire, field by field */
  form = dd_smsapi_stand_in_get_last_form (f->stand_in);
  g_assert_cmpstr (g_hash_table_lookup (form, "to"), ==, "48601000111");
  g_assert_cmpstr (g_hash_table_lookup (form, "message"), ==,
                   "Jan Łęcki, faktura FV/1 na 120,00 zł jest po terminie.");
  g_assert_cmpstr (g_hash_table_lookup (form, "from"), ==, "Windykacja");
  g_assert_cmpstr (g_hash_table_lookup (form, "encoding"), ==, "utf-8");
  g_assert_cmpstr (g_hash_table_lookup (form, "format"), ==, "json");
  g_assert_cmpstr (g_hash_table_lookup (form, "idx"), ==, "dd-1-42");
  g_assert_cmpstr (g_hash_table_lookup (form, "check_idx"), ==, "1");
  g_assert_false (g_hash_table_contains (form, "notify_url"));
  g_assert_false (g_hash_table_contains (form, "test"));
}

static void
test_long_message_parts (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSmsSendResult) sent = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  /* 71 UCS-2 characters: two parts of 67 */
  for (guint i = 0; i < 71; i++)
    g_string_append (text, "ż");
  sent = send_sync (f->gateway, "dd-long", "+48601000112", text->str, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sent->parts, ==, 2);
  g_assert_cmpint (sent->cost_minor, ==, 32);
}

static void
assert_error (GError            *error,
              DdSmsGatewayError  code,
              gboolean           retryable)
{
  g_assert_error (error, DD_SMS_GATEWAY_ERROR, (int) code);
  g_assert_cmpint (dd_sms_gateway_error_is_retryable (error), ==, retryable);
  /* the token never shows */
  g_assert_null (strstr (error->message, TOKEN));
}

static void
test_bad_token (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdGatewaySmsapi) wrong = dd_gateway_smsapi_new (dd_smsapi_stand_in_get_url (f->stand_in),
                                                            "not-the-token");
  g_autoptr(DdSmsSendResult) sent = send_sync (wrong, "k", "+48601000111", "x", NULL, &error);

  g_assert_null (sent);
  assert_error (error, DD_SMS_GATEWAY_ERROR_AUTH, FALSE);
  g_assert_true (dd_sms_gateway_error_is_account_wide (error));
  g_assert_null (strstr (error->message, "not-the-token"));
  g_assert_cmpuint (dd_smsapi_stand_in_get_accepted (f->stand_in)->len, ==, 0);

  /* the same refusal, its message in ISO-8859-2: still told as a wrong token, in Polish */
  {
    g_autoptr(GError) latin2 = NULL;
    g_autoptr(DdSmsSendResult) none = NULL;

    dd_smsapi_stand_in_push_fault (f->stand_in, "latin2-error:101");
    none = send_sync (f->gateway, "k", "+48601000111", "x", NULL, &latin2);
    g_assert_null (none);
    assert_error (latin2, DD_SMS_GATEWAY_ERROR_AUTH, FALSE);
    g_assert_true (dd_sms_gateway_error_is_account_wide (latin2));
    g_assert_nonnull (strstr (latin2->message, "Błędny token"));
  }
}

static void
test_final_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSmsSendResult) sent = NULL;

  sent = send_sync (f->gateway, "k1", "+4860", "Tekst", NULL, &error);
  g_assert_null (sent);
  assert_error (error, DD_SMS_GATEWAY_ERROR_INVALID_NUMBER, FALSE);
  g_clear_error (&error);

  sent = send_sync (f->gateway, "k2", "+48601000111", "Tekst", "NotRegistered", &error);
  g_assert_null (sent);
  assert_error (error, DD_SMS_GATEWAY_ERROR_BAD_SENDER, FALSE);
  g_clear_error (&error);

  sent = send_sync (f->gateway, "k3", "+48601000111", "", NULL, &error);
  g_assert_null (sent);
  assert_error (error, DD_SMS_GATEWAY_ERROR_BAD_REQUEST, FALSE);
  g_clear_error (&error);

  dd_smsapi_stand_in_set_points (f->stand_in, 0.10);
  sent = send_sync (f->gateway, "k4", "+48601000111", "Tekst", NULL, &error);
  g_assert_null (sent);
  assert_error (error, DD_SMS_GATEWAY_ERROR_NO_CREDIT, FALSE);
  g_clear_error (&error);
  g_assert_cmpuint (dd_smsapi_stand_in_get_accepted (f->stand_in)->len, ==, 0);
}

/* SMSAPI's documented codes for the account itself: each pauses a campaign, none fails a
 * message. */
static void
test_account_errors (Fixture       *f,
                     gconstpointer  data)
{
  static const struct { const char *fault; DdSmsGatewayError code; } cases[] = {
    { "error:101", DD_SMS_GATEWAY_ERROR_AUTH },              /* bad authorisation */
    { "error:102", DD_SMS_GATEWAY_ERROR_AUTH },              /* bad user name or password */
    { "error:105", DD_SMS_GATEWAY_ERROR_AUTH },              /* IP filter */
    { "error:103", DD_SMS_GATEWAY_ERROR_NO_CREDIT },         /* no points */
    { "error:14", DD_SMS_GATEWAY_ERROR_BAD_SENDER },         /* sender not registered */
    { "error:110", DD_SMS_GATEWAY_ERROR_ACCOUNT_BLOCKED },   /* not allowed for the account */
    { "http:401", DD_SMS_GATEWAY_ERROR_AUTH },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DdSmsSendResult) sent = NULL;

      dd_smsapi_stand_in_push_fault (f->stand_in, cases[i].fault);
      sent = send_sync (f->gateway, "k", "+48601000111", "Tekst", NULL, &error);
      g_assert_null (sent);
      assert_error (error, cases[i].code, FALSE);
      g_assert_true (dd_sms_gateway_error_is_account_wide (error));
      if (g_str_equal (cases[i].fault, "error:105"))
        g_assert_nonnull (strstr (error->message, "IP"));
    }
  /* one number's refusal is not the account's */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DdSmsSendResult) sent = NULL;

    dd_smsapi_stand_in_push_fault (f->stand_in, "error:13");
    sent = send_sync (f->gateway, "k", "+48601000111", "Tekst", NULL, &error);
    assert_error (error, DD_SMS_GATEWAY_ERROR_INVALID_NUMBER, FALSE);
    g_assert_false (dd_sms_gateway_error_is_account_wide (error));
  }
}

static void
test_duplicate_idx (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSmsSendResult) first = send_sync (f->gateway, "same", "+48601000111", "A", NULL,
                                                &error);
  g_autoptr(DdSmsSendResult) second = NULL;

  g_assert_no_error (error);
  second = send_sync (f->gateway, "same", "+48601000111", "A", NULL, &error);
  g_assert_null (second);
  assert_error (error, DD_SMS_GATEWAY_ERROR_DUPLICATE, FALSE);
  g_assert_cmpuint (dd_smsapi_stand_in_get_accepted (f->stand_in)->len, ==, 1);
  g_assert_cmpuint (dd_smsapi_stand_in_get_n_duplicates (f->stand_in), ==, 1);
  /* one kept-alive connection for both */
  g_assert_cmpuint (dd_smsapi_stand_in_get_n_connections (f->stand_in), ==, 1);
  g_assert_true (dd_sms_gateway_get_refuses_duplicates (DD_SMS_GATEWAY (f->gateway)));
}

static void
test_retryable_errors (Fixture       *f,
                       gconstpointer  data)
{
  static const struct { const char *fault; DdSmsGatewayError code; gint64 retry_after; } cases[] = {
    { "http:429:7", DD_SMS_GATEWAY_ERROR_RATE_LIMITED, 7 },
    { "http:500", DD_SMS_GATEWAY_ERROR_SERVER, 0 },
    { "http:503", DD_SMS_GATEWAY_ERROR_SERVER, 0 },
    { "error:202", DD_SMS_GATEWAY_ERROR_RATE_LIMITED, 0 },
    { "error:52", DD_SMS_GATEWAY_ERROR_RATE_LIMITED, 60 },
    { "error:201", DD_SMS_GATEWAY_ERROR_SERVER, 0 },
    { "error:999", DD_SMS_GATEWAY_ERROR_SERVER, 0 },
    { "error:8", DD_SMS_GATEWAY_ERROR_SERVER, 0 },      /* "error in request": temporary */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DdSmsSendResult) sent = NULL;

      dd_smsapi_stand_in_push_fault (f->stand_in, cases[i].fault);
      sent = send_sync (f->gateway, "k", "+48601000111", "Tekst", NULL, &error);
      g_assert_null (sent);
      assert_error (error, cases[i].code, TRUE);
      g_assert_cmpint (dd_sms_gateway_error_get_retry_after (error), ==, cases[i].retry_after);
    }
  /* after all that the same key still goes through once */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DdSmsSendResult) sent = send_sync (f->gateway, "k", "+48601000111", "Tekst", NULL,
                                                 &error);

    g_assert_no_error (error);
    g_assert_cmpuint (dd_smsapi_stand_in_get_accepted (f->stand_in)->len, ==, 1);
  }
}

static void
test_malformed_and_timeout (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSmsSendResult) sent = NULL;

  dd_smsapi_stand_in_push_fault (f->stand_in, "garbage");
  sent = send_sync (f->gateway, "k", "+48601000111", "Tekst", NULL, &error);
  g_assert_null (sent);
  assert_error (error, DD_SMS_GATEWAY_ERROR_MALFORMED_RESPONSE, TRUE);
  g_clear_error (&error);

  dd_http_gateway_set_timeout (DD_HTTP_GATEWAY (f->gateway), 1);
  dd_smsapi_stand_in_push_fault (f->stand_in, "stall");
  sent = send_sync (f->gateway, "k", "+48601000111", "Tekst", NULL, &error);
  g_assert_null (sent);
  assert_error (error, DD_SMS_GATEWAY_ERROR_TIMEOUT, TRUE);
  g_clear_error (&error);

  /* a lost answer: the message was accepted, the connection closed */
  dd_smsapi_stand_in_push_fault (f->stand_in, "drop");
  sent = send_sync (f->gateway, "k-drop", "+48601000111", "Tekst", NULL, &error);
  g_assert_null (sent);
  g_assert_true (dd_sms_gateway_error_is_retryable (error));
  g_clear_error (&error);
  sent = send_sync (f->gateway, "k-drop", "+48601000111", "Tekst", NULL, &error);
  assert_error (error, DD_SMS_GATEWAY_ERROR_DUPLICATE, FALSE);
}

static void
test_unreachable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSmsapiStandIn) stand_in = dd_smsapi_stand_in_new (TOKEN, 0, &error);
  g_autofree char *url = g_strdup (dd_smsapi_stand_in_get_url (stand_in));
  g_autoptr(DdGatewaySmsapi) gateway = NULL;
  g_autoptr(DdSmsSendResult) sent = NULL;

  g_clear_pointer (&stand_in, dd_smsapi_stand_in_free);
  gateway = dd_gateway_smsapi_new (url, TOKEN);
  sent = send_sync (gateway, "k", "+48601000111", "Tekst", NULL, &error);
  g_assert_null (sent);
  assert_error (error, DD_SMS_GATEWAY_ERROR_NETWORK, TRUE);
}

static void
test_status (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSmsSendResult) ok = NULL;
  g_autoptr(DdSmsSendResult) bad = NULL;
  g_autoptr(DdSmsStatus) status = NULL;

  dd_smsapi_stand_in_set_delays (f->stand_in, 0, 1500);
  ok = send_sync (f->gateway, "a", "+48601000111", "Tekst", NULL, &error);
  bad = send_sync (f->gateway, "b", "+48601000000", "Tekst", NULL, &error);
  g_assert_no_error (error);

  status = status_sync (f->gateway, ok->provider_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status->state, ==, DD_SMS_STATE_QUEUED);
  g_clear_pointer (&status, dd_sms_status_free);
  g_usleep (1600 * 1000);
  status = status_sync (f->gateway, ok->provider_id, &error);
  g_assert_cmpint (status->state, ==, DD_SMS_STATE_DELIVERED);
  g_assert_nonnull (status->at);
  g_clear_pointer (&status, dd_sms_status_free);
  status = status_sync (f->gateway, bad->provider_id, &error);
  g_assert_cmpint (status->state, ==, DD_SMS_STATE_FAILED);
  g_assert_cmpstr (status->error_code, ==, "UNDELIVERED");
  g_clear_pointer (&status, dd_sms_status_free);

  status = status_sync (f->gateway, "NOSUCHID", &error);
  g_assert_null (status);
  assert_error (error, DD_SMS_GATEWAY_ERROR_BAD_REQUEST, FALSE);

  g_assert_cmpint (dd_gateway_smsapi_parse_state ("SENT"), ==, DD_SMS_STATE_SENT);
  g_assert_cmpint (dd_gateway_smsapi_parse_state ("EXPIRED"), ==, DD_SMS_STATE_EXPIRED);
  g_assert_cmpint (dd_gateway_smsapi_parse_state ("WHATEVER"), ==, DD_SMS_STATE_UNKNOWN);
}

/* The dispatcher with SMSAPI: lost answers and a crash's unsettled messages end up sent once. */

typedef struct
{
  CaseFixture      base;
  DdSmsapiStandIn *stand_in;
  DdGatewaySmsapi *gateway;
  gint64           campaign_id;
} DispatchFixture;

#define N_MESSAGES 30

static void
dispatch_setup (DispatchFixture *f,
                gconstpointer    data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (DdOutboxNew));
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(DdOutbox) outbox = NULL;
  g_autoptr(DdCampaignStore) campaigns = NULL;
  DdCampaign campaign = { .name = (char *) "Test", .kind = (char *) "sms" };

  case_fixture_setup (&f->base, data);
  outbox = dd_outbox_new (f->base.db);
  campaigns = dd_campaign_store_new (f->base.db);
  f->stand_in = dd_smsapi_stand_in_new (TOKEN, 0, &error);
  g_assert_no_error (error);
  dd_smsapi_stand_in_add_sender (f->stand_in, "Windykacja");
  f->gateway = dd_gateway_smsapi_new (dd_smsapi_stand_in_get_url (f->stand_in), TOKEN);
  g_assert_true (dd_campaign_store_create (campaigns, &campaign, 2, &f->campaign_id, &error));
  for (guint i = 0; i < N_MESSAGES; i++)
    {
      DdOutboxNew item = { 0 };
      char *e164 = g_strdup_printf ("+4860100%04u", i);
      char *key = g_strdup_printf ("c1-m%u", i);

      g_ptr_array_add (strings, e164);
      g_ptr_array_add (strings, key);
      item.e164 = e164;
      item.idempotency_key = key;
      item.body = "Prosimy o zapłatę";
      g_array_append_val (items, item);
    }
  g_assert_true (dd_outbox_enqueue (outbox, f->campaign_id, "Windykacja",
                                    (const DdOutboxNew *) items->data, items->len, NULL, &error));
  g_assert_true (dd_campaign_store_set_state (campaigns, f->campaign_id, DD_CAMPAIGN_RUNNING,
                                              NULL, 2, &error));
  g_assert_no_error (error);
}

static void
dispatch_teardown (DispatchFixture *f,
                   gconstpointer    data)
{
  g_assert_finalize_object (f->gateway);
  dd_smsapi_stand_in_free (f->stand_in);
  case_fixture_teardown (&f->base, data);
}

static void
run_until (DispatchFixture *f,
           const char      *sql,
           gint64           expected)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  while (case_fixture_int (&f->base, sql) != expected && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (case_fixture_int (&f->base, sql), ==, expected);
}

static void
assert_each_once (DispatchFixture *f)
{
  GPtrArray *accepted = dd_smsapi_stand_in_get_accepted (f->stand_in);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (accepted->len, ==, N_MESSAGES);
  for (guint i = 0; i < accepted->len; i++)
    {
      DdSmsapiAccepted *a = g_ptr_array_index (accepted, i);

      g_assert_false (g_hash_table_contains (seen, a->idx));
      g_hash_table_add (seen, a->idx);
      g_assert_cmpstr (a->from, ==, "Windykacja");
    }
}

static void
test_dispatch_lost_answers (DispatchFixture *f,
                            gconstpointer    data)
{
  g_autoptr(DdSmsDispatcher) dispatcher = dd_sms_dispatcher_new (f->base.db,
                                                                 DD_SMS_GATEWAY (f->gateway));

  /* three answers are lost after the API accepted the message */
  dd_smsapi_stand_in_push_fault (f->stand_in, "drop");
  dd_smsapi_stand_in_push_fault (f->stand_in, "drop");
  dd_smsapi_stand_in_push_fault (f->stand_in, "drop");
  dd_smsapi_stand_in_set_delays (f->stand_in, 5, 0);
  dd_sms_dispatcher_start (dispatcher);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')",
             N_MESSAGES - 3);
  /* their back-off is seconds: let them go now */
  g_assert_true (dd_database_exec (f->base.db, "UPDATE message SET not_before = NULL"
                                               " WHERE state = 'queued'", NULL));
  dd_sms_dispatcher_wake (dispatcher);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')", N_MESSAGES);
  dd_sms_dispatcher_stop (dispatcher);
  assert_each_once (f);
  g_assert_cmpuint (dd_smsapi_stand_in_get_n_duplicates (f->stand_in), ==, 3);
  /* the three whose ids are unknown are not polled for reports */
  g_assert_cmpint (case_fixture_int (&f->base, "SELECT COUNT(*) FROM message"
                                              " WHERE provider_id IS NULL"
                                              " AND idempotency_key LIKE 'c1-%'"), ==, 3);
  g_assert_cmpuint (dd_smsapi_stand_in_get_max_connections (f->stand_in), <=, 4);
  /* kept alive: four, and one more after each of the three dropped */
  g_assert_cmpuint (dd_smsapi_stand_in_get_n_connections (f->stand_in), <=, 4 + 3);
}

static void
test_dispatch_after_crash (DispatchFixture *f,
                           gconstpointer    data)
{
  g_autoptr(DdSmsDispatcher) dispatcher = NULL;
  g_autoptr(DdSmsSendResult) sent = NULL;
  g_autoptr(GError) error = NULL;

  /* a crash left two messages "sending": one had reached the API, one had not */
  g_assert_true (dd_database_exec (f->base.db, "UPDATE message SET state = 'sending',"
                                               " attempts = 1 WHERE idempotency_key IN"
                                               " ('c1-m0', 'c1-m1')", NULL));
  sent = send_sync (f->gateway, "c1-m0", "+48601000000", "Prosimy o zapłatę", "Windykacja",
                    &error);
  g_assert_no_error (error);

  dispatcher = dd_sms_dispatcher_new (f->base.db, DD_SMS_GATEWAY (f->gateway));
  dd_sms_dispatcher_start (dispatcher);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')", N_MESSAGES);
  dd_sms_dispatcher_stop (dispatcher);
  assert_each_once (f);
  g_assert_cmpuint (dd_smsapi_stand_in_get_n_duplicates (f->stand_in), ==, 1);
}

static void
on_paused (DdSmsDispatcher *dispatcher,
           gint64           campaign_id,
           const char      *reason,
           const char      *detail,
           GPtrArray       *pauses)
{
  g_ptr_array_add (pauses, g_strdup_printf ("%" G_GINT64_FORMAT " %s %s", campaign_id, reason,
                                            detail));
}

/* A refused token pauses the campaign with the reason, puts the claimed messages back and
 * fails none; with the right token the same campaign resumes and every message goes once. */
/* A number SMSAPI finds no valid number in (error 13): failed once, never tried again, and the
 * phone marked invalid so that later campaigns skip it; the rest of the campaign goes. */
static void
test_dispatch_invalid_number (DispatchFixture *f,
                              gconstpointer    data)
{
  g_autoptr(DdSmsDispatcher) dispatcher = NULL;

  g_assert_true (dd_database_exec (f->base.db,
    "UPDATE message SET e164 = '+4860' WHERE idempotency_key = 'c1-m3';"
    "INSERT INTO phone (debtor_id, e164, kind, position, valid, created_at)"
    " VALUES (2, '+4860', 'mobile', 7, 1, 'x')", NULL));
  dispatcher = dd_sms_dispatcher_new (f->base.db, DD_SMS_GATEWAY (f->gateway));
  dd_sms_dispatcher_start (dispatcher);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state = 'sent'", N_MESSAGES - 1);
  dd_sms_dispatcher_stop (dispatcher);
  g_assert_cmpint (case_fixture_int (&f->base, "SELECT COUNT(*) FROM message"
                                              " WHERE idempotency_key = 'c1-m3' AND state = 'failed'"
                                              " AND error_code = 'invalid-number'"
                                              " AND attempts = 1"), ==, 1);
  g_assert_cmpint (case_fixture_int (&f->base, "SELECT COUNT(*) FROM phone WHERE e164 = '+4860'"
                                              " AND valid = 0 AND hlr_status = 'invalid'"), ==, 1);
  g_assert_cmpuint (dd_smsapi_stand_in_get_accepted (f->stand_in)->len, ==, N_MESSAGES - 1);
}

static void
test_dispatch_wrong_token (DispatchFixture *f,
                           gconstpointer    data)
{
  g_autoptr(DdGatewaySmsapi) wrong = dd_gateway_smsapi_new (dd_smsapi_stand_in_get_url (f->stand_in),
                                                            "not-the-token");
  g_autoptr(DdSmsDispatcher) dispatcher = NULL;
  g_autoptr(DdCampaignStore) campaigns = dd_campaign_store_new (f->base.db);
  g_autoptr(GPtrArray) pauses = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  dispatcher = dd_sms_dispatcher_new (f->base.db, DD_SMS_GATEWAY (wrong));
  g_signal_connect (dispatcher, "campaign-paused", G_CALLBACK (on_paused), pauses);
  dd_sms_dispatcher_start (dispatcher);
  run_until (f, "SELECT COUNT(*) FROM campaign WHERE state = 'paused' AND state_reason = 'auth'",
             1);
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

    while (!dd_sms_dispatcher_is_idle (dispatcher) && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  dd_sms_dispatcher_stop (dispatcher);
  g_clear_object (&dispatcher);

  g_assert_cmpuint (pauses->len, ==, 1);
  {
    g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT " auth SMSAPI refused the token",
                                                 f->campaign_id);

    g_assert_true (g_str_has_prefix (g_ptr_array_index (pauses, 0), expected));
  }
  g_assert_null (strstr (g_ptr_array_index (pauses, 0), "not-the-token"));
  g_assert_cmpint (case_fixture_int (&f->base, "SELECT COUNT(*) FROM message WHERE state = 'queued'"
                                              " AND attempts = 0 AND idempotency_key LIKE 'c1-%'"), ==, N_MESSAGES);
  g_assert_cmpint (case_fixture_int (&f->base, "SELECT COUNT(*) FROM message"
                                              " WHERE error_code = 'auth'"), >=, 1);
  g_assert_cmpuint (dd_smsapi_stand_in_get_accepted (f->stand_in)->len, ==, 0);

  /* fixed: resumed with the right token */
  g_assert_true (dd_campaign_store_set_state (campaigns, f->campaign_id, DD_CAMPAIGN_RUNNING,
                                              NULL, 2, &error));
  g_assert_no_error (error);
  dispatcher = dd_sms_dispatcher_new (f->base.db, DD_SMS_GATEWAY (f->gateway));
  dd_sms_dispatcher_start (dispatcher);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')", N_MESSAGES);
  run_until (f, "SELECT COUNT(*) FROM campaign WHERE state = 'completed'", 1);
  dd_sms_dispatcher_stop (dispatcher);
  assert_each_once (f);
  g_assert_cmpuint (dd_smsapi_stand_in_get_n_duplicates (f->stand_in), ==, 0);
  g_assert_cmpint (case_fixture_int (&f->base, "SELECT COUNT(*) FROM message WHERE attempts = 1"
                                              " AND error_code IS NULL AND idempotency_key LIKE 'c1-%'"), ==, N_MESSAGES);
}

/* A fresh office database with one running campaign of @n messages, keys made by the outbox. */
static DdDatabase *
new_office (const char *dir,
            const char *name,
            guint       n)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DdDatabase) db = dd_database_open (path, &error);
  g_autoptr(DdOutbox) outbox = NULL;
  g_autoptr(DdCampaignStore) campaigns = NULL;
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (DdOutboxNew));
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  DdCampaign campaign = { .name = (char *) "Grudzień", .kind = (char *) "sms" };
  gint64 id = 0;

  g_assert_no_error (error);
  outbox = dd_outbox_new (db);
  campaigns = dd_campaign_store_new (db);
  g_assert_true (dd_campaign_store_create (campaigns, &campaign, 0, &id, &error));
  for (guint i = 0; i < n; i++)
    {
      DdOutboxNew item = { 0 };
      char *e164 = g_strdup_printf ("+4860100%04u", i);

      g_ptr_array_add (strings, e164);
      item.e164 = e164;
      item.body = "Prosimy o zapłatę";
      g_array_append_val (items, item);
    }
  g_assert_true (dd_outbox_enqueue (outbox, id, NULL, (const DdOutboxNew *) items->data, items->len,
                                    NULL, &error));
  g_assert_true (dd_campaign_store_set_state (campaigns, id, DD_CAMPAIGN_RUNNING, NULL, 0, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&db);
}

static gint64
office_int (DdDatabase *db,
            const char *sql)
{
  gint64 value = -1;

  g_assert_true (dd_database_query_int64 (db, sql, &value, NULL));
  return value;
}

/* Two office databases (a second desk, a database made anew) on one SMSAPI account: the
 * campaign and phone numbers match, the keys do not, and every message of both is accepted. */
static void
test_two_offices (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dd-test-two-offices-XXXXXX", &error);
  g_autoptr(DdSmsapiStandIn) stand_in = dd_smsapi_stand_in_new (TOKEN, 0, &error);
  g_autoptr(DdGatewaySmsapi) gateway = NULL;
  g_autofree char *cmd = NULL;
  DdDatabase *offices[2];

  g_assert_no_error (error);
  gateway = dd_gateway_smsapi_new (dd_smsapi_stand_in_get_url (stand_in), TOKEN);
  offices[0] = new_office (dir, "desk-1.db", 10);
  offices[1] = new_office (dir, "desk-2.db", 10);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(DdSmsDispatcher) dispatcher = dd_sms_dispatcher_new (offices[i],
                                                                     DD_SMS_GATEWAY (gateway));
      gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

      dd_sms_dispatcher_start (dispatcher);
      while ((office_int (offices[i], "SELECT COUNT(*) FROM campaign WHERE state = 'completed'") != 1 ||
              !dd_sms_dispatcher_is_idle (dispatcher)) && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      dd_sms_dispatcher_stop (dispatcher);
      g_assert_cmpint (office_int (offices[i], "SELECT COUNT(*) FROM message WHERE state = 'sent'"),
                       ==, 10);
    }
  g_assert_cmpuint (dd_smsapi_stand_in_get_accepted (stand_in)->len, ==, 20);
  g_assert_cmpuint (dd_smsapi_stand_in_get_n_duplicates (stand_in), ==, 0);
  g_assert_finalize_object (offices[0]);
  g_assert_finalize_object (offices[1]);
  cmd = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (cmd), ==, 0);
}

/* A "repeat" answer for a key this office never sent is an error, not a sent message. */
static void
test_dispatch_foreign_duplicate (DispatchFixture *f,
                                 gconstpointer    data)
{
  g_autoptr(DdSmsDispatcher) dispatcher = dd_sms_dispatcher_new (f->base.db,
                                                                 DD_SMS_GATEWAY (f->gateway));

  dd_smsapi_stand_in_push_fault (f->stand_in, "error:53");
  dd_sms_dispatcher_start (dispatcher);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')"
                " AND idempotency_key LIKE 'c1-%'", N_MESSAGES - 1);
  run_until (f, "SELECT COUNT(*) FROM message WHERE state = 'failed'"
                " AND error_code = 'duplicate-key' AND attempts = 1", 1);
  dd_sms_dispatcher_stop (dispatcher);
  g_assert_cmpuint (dd_smsapi_stand_in_get_accepted (f->stand_in)->len, ==, N_MESSAGES - 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/gateway-smsapi/send", test_send);
  ADD ("/gateway-smsapi/long-message-parts", test_long_message_parts);
  ADD ("/gateway-smsapi/bad-token", test_bad_token);
  ADD ("/gateway-smsapi/final-errors", test_final_errors);
  ADD ("/gateway-smsapi/account-errors", test_account_errors);
  ADD ("/gateway-smsapi/duplicate-idx", test_duplicate_idx);
  ADD ("/gateway-smsapi/retryable-errors", test_retryable_errors);
  ADD ("/gateway-smsapi/malformed-and-timeout", test_malformed_and_timeout);
  ADD ("/gateway-smsapi/status", test_status);
#undef ADD
  g_test_add_func ("/dd/gateway-smsapi/unreachable", test_unreachable);
  g_test_add ("/dd/gateway-smsapi/dispatch/lost-answers", DispatchFixture, NULL, dispatch_setup,
              test_dispatch_lost_answers, dispatch_teardown);
  g_test_add ("/dd/gateway-smsapi/dispatch/after-crash", DispatchFixture, NULL, dispatch_setup,
              test_dispatch_after_crash, dispatch_teardown);
  g_test_add ("/dd/gateway-smsapi/dispatch/invalid-number", DispatchFixture, NULL, dispatch_setup,
              test_dispatch_invalid_number, dispatch_teardown);
  g_test_add ("/dd/gateway-smsapi/dispatch/wrong-token", DispatchFixture, NULL, dispatch_setup,
              test_dispatch_wrong_token, dispatch_teardown);
  g_test_add ("/dd/gateway-smsapi/dispatch/foreign-duplicate", DispatchFixture, NULL, dispatch_setup,
              test_dispatch_foreign_duplicate, dispatch_teardown);
  g_test_add_func ("/dd/gateway-smsapi/two-offices", test_two_offices);

  return g_test_run ();
}
