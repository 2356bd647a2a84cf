/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Twilio client against a local stand-in of its Messages and Lookup APIs. */
#include "config.h"

#include "dd-test-util.h"
#include "dd-gateway-twilio.h"
#include "dd-twilio-stand-in.h"

#include <string.h>

#define SID    "AC0123456789abcdef0123456789abcdef"
#define TOKEN  "auth-token-4711"
#define NUMBER "+48221234567"

typedef struct
{
  DdTwilioStandIn *stand_in;
  DdGatewayTwilio *gateway;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->stand_in = dd_twilio_stand_in_new (SID, TOKEN, NUMBER, &error);
  g_assert_no_error (error);
  f->gateway = dd_gateway_twilio_new (dd_twilio_stand_in_get_url (f->stand_in),
                                      dd_twilio_stand_in_get_url (f->stand_in), SID, TOKEN);
  dd_http_gateway_set_sender (DD_HTTP_GATEWAY (f->gateway), NUMBER);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->gateway);
  dd_twilio_stand_in_free (f->stand_in);
}

static DdSmsSendResult *
send_sync (DdGatewayTwilio *gateway,
           const char      *to,
           const char      *text,
           GError         **error)
{
  DdSmsRequest request = { "key-1", to, text, NULL, NULL };
  g_autoptr(GAsyncResult) result = NULL;

  dd_sms_gateway_send_async (DD_SMS_GATEWAY (gateway), &request, NULL, dd_test_keep_result,
                             &result);
  return dd_sms_gateway_send_finish (DD_SMS_GATEWAY (gateway), dd_test_wait_result (&result),
                                     error);
}

static void
assert_error (GError            *error,
              DdSmsGatewayError  code,
              gboolean           retryable)
{
  g_assert_error (error, DD_SMS_GATEWAY_ERROR, (int) code);
  g_assert_cmpint (dd_sms_gateway_error_is_retryable (error), ==, retryable);
  g_assert_null (strstr (error->message, TOKEN));
}

static void
test_send_and_status (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSmsSendResult) sent = send_sync (f->gateway, "+48601000111",
                                               "Jan, faktura FV/1 na 120,00 zł czeka.", &error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DdSmsStatus) status = NULL;
  DdTwilioAccepted *accepted;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (sent->provider_id, "SM"));
  g_assert_cmpuint (sent->parts, ==, 1);
  g_assert_cmpuint (dd_twilio_stand_in_get_accepted (f->stand_in)->len, ==, 1);
  accepted = g_ptr_array_index (dd_twilio_stand_in_get_accepted (f->stand_in), 0);
  g_assert_cmpstr (accepted->to, ==, "+48601000111");
  g_assert_cmpstr (accepted->from, ==, NUMBER);
  g_assert_cmpstr (accepted->body, ==, "Jan, faktura FV/1 na 120,00 zł czeka.");
  g_assert_null (accepted->status_callback);

  dd_sms_gateway_query_status_async (DD_SMS_GATEWAY (f->gateway), sent->provider_id, NULL,
                                     dd_test_keep_result, &result);
  status = dd_sms_gateway_query_status_finish (DD_SMS_GATEWAY (f->gateway),
                                               dd_test_wait_result (&result),
                                               &error);
  g_assert_no_error (error);
  g_assert_cmpint (status->state, ==, DD_SMS_STATE_QUEUED);
  g_clear_object (&result);
  g_clear_pointer (&status, dd_sms_status_free);

  dd_twilio_stand_in_deliver (f->stand_in, sent->provider_id, "undelivered");
  dd_sms_gateway_query_status_async (DD_SMS_GATEWAY (f->gateway), sent->provider_id, NULL,
                                     dd_test_keep_result, &result);
  status = dd_sms_gateway_query_status_finish (DD_SMS_GATEWAY (f->gateway),
                                               dd_test_wait_result (&result),
                                               &error);
  g_assert_cmpint (status->state, ==, DD_SMS_STATE_FAILED);
  g_assert_cmpstr (status->error_code, ==, "30003");
  g_assert_nonnull (status->at);
  g_clear_object (&result);
  g_clear_pointer (&status, dd_sms_status_free);

  dd_sms_gateway_query_status_async (DD_SMS_GATEWAY (f->gateway), "SMnope", NULL,
                                     dd_test_keep_result,
                                     &result);
  status = dd_sms_gateway_query_status_finish (DD_SMS_GATEWAY (f->gateway),
                                               dd_test_wait_result (&result),
                                               &error);
  g_assert_null (status);
  assert_error (error, DD_SMS_GATEWAY_ERROR_BAD_REQUEST, FALSE);
}

static void
test_messaging_service (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSmsSendResult) sent = NULL;

  dd_http_gateway_set_sender (DD_HTTP_GATEWAY (f->gateway), "MG0123456789abcdef0123456789abcdef");
  sent = send_sync (f->gateway, "+48601000111", "Tekst", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((DdTwilioAccepted *) g_ptr_array_index (dd_twilio_stand_in_get_accepted (f->stand_in), 0))->from,
                   ==, "MG0123456789abcdef0123456789abcdef");
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  struct { const char *to; const char *text; const char *sender; DdSmsGatewayError code; } cases[] = {
    { "+48-601", "x", NUMBER, DD_SMS_GATEWAY_ERROR_INVALID_NUMBER },       /* 21211 */
    { "+48601000222", "x", NUMBER, DD_SMS_GATEWAY_ERROR_OPTED_OUT },       /* 21610 STOP */
    { "+48601000111", "x", "+48229999999", DD_SMS_GATEWAY_ERROR_BAD_SENDER },   /* 21606 */
    { "+48601000111", "", NUMBER, DD_SMS_GATEWAY_ERROR_BAD_REQUEST },     /* 21602 */
  };

  dd_twilio_stand_in_add_stopped (f->stand_in, "+48601000222");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DdSmsSendResult) sent = NULL;

      dd_http_gateway_set_sender (DD_HTTP_GATEWAY (f->gateway), cases[i].sender);
      sent = send_sync (f->gateway, cases[i].to, cases[i].text, &error);
      g_assert_null (sent);
      assert_error (error, cases[i].code, FALSE);
      /* only a number that is no number (21211) is marked invalid: not a STOP, not a list */
      g_assert_cmpint (dd_sms_gateway_error_is_number_unusable (error), ==,
                       g_str_equal (cases[i].to, "+48-601"));
      /* a 'From' the account may not use meets every message: the campaign pauses */
      g_assert_cmpint (dd_sms_gateway_error_is_account_wide (error), ==,
                       cases[i].code == DD_SMS_GATEWAY_ERROR_BAD_SENDER);
    }
  g_assert_cmpuint (dd_twilio_stand_in_get_accepted (f->stand_in)->len, ==, 0);

  /* the account's own state, as Twilio's documented codes say it */
  {
    static const struct { const char *fault; DdSmsGatewayError code; } account[] = {
      { "error:401:20005", DD_SMS_GATEWAY_ERROR_ACCOUNT_BLOCKED },   /* account not active */
      { "error:400:21212", DD_SMS_GATEWAY_ERROR_BAD_SENDER },        /* invalid 'From' */
      { "error:400:21603", DD_SMS_GATEWAY_ERROR_BAD_SENDER },        /* 'From' missing */
      { "error:403:20003", DD_SMS_GATEWAY_ERROR_AUTH },
    };

    dd_http_gateway_set_sender (DD_HTTP_GATEWAY (f->gateway), NUMBER);
    for (guint i = 0; i < G_N_ELEMENTS (account); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(DdSmsSendResult) sent = NULL;

        dd_twilio_stand_in_push_fault (f->stand_in, account[i].fault);
        sent = send_sync (f->gateway, "+48601000111", "x", &error);
        g_assert_null (sent);
        assert_error (error, account[i].code, FALSE);
        g_assert_true (dd_sms_gateway_error_is_account_wide (error));
      }
  }

  /* a wrong token */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DdGatewayTwilio) wrong = dd_gateway_twilio_new (dd_twilio_stand_in_get_url (f->stand_in),
                                                              NULL, SID, "wrong-token");
    g_autoptr(DdSmsSendResult) sent = NULL;

    dd_http_gateway_set_sender (DD_HTTP_GATEWAY (wrong), NUMBER);
    sent = send_sync (wrong, "+48601000111", "x", &error);
    g_assert_null (sent);
    assert_error (error, DD_SMS_GATEWAY_ERROR_AUTH, FALSE);
    g_assert_true (dd_sms_gateway_error_is_account_wide (error));
    g_assert_null (strstr (error->message, "wrong-token"));
  }
}

static void
test_retryable (Fixture       *f,
                gconstpointer  data)
{
  static const struct { const char *fault; DdSmsGatewayError code; gint64 retry_after; } cases[] = {
    { "http:429:3", DD_SMS_GATEWAY_ERROR_RATE_LIMITED, 3 },
    { "http:500", DD_SMS_GATEWAY_ERROR_SERVER, 0 },
    { "http:503", DD_SMS_GATEWAY_ERROR_SERVER, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DdSmsSendResult) sent = NULL;

      dd_twilio_stand_in_push_fault (f->stand_in, cases[i].fault);
      sent = send_sync (f->gateway, "+48601000111", "x", &error);
      g_assert_null (sent);
      assert_error (error, cases[i].code, TRUE);
      g_assert_cmpint (dd_sms_gateway_error_get_retry_after (error), ==, cases[i].retry_after);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DdSmsSendResult) sent = NULL;

    dd_http_gateway_set_timeout (DD_HTTP_GATEWAY (f->gateway), 1);
    dd_twilio_stand_in_push_fault (f->stand_in, "stall");
    sent = send_sync (f->gateway, "+48601000111", "x", &error);
    /* the request went out whole: Twilio may have it, it is not sent again */
    assert_error (error, DD_SMS_GATEWAY_ERROR_OUTCOME_UNKNOWN, FALSE);
  }
  /* no key to look a lost message up by: the dispatcher will not send it twice */
  g_assert_false (dd_sms_gateway_get_refuses_duplicates (DD_SMS_GATEWAY (f->gateway)));
}

/* Twilio took the message, then its answer was lost: never "retry" it into a second SMS. */
static void
test_lost_answers (Fixture       *f,
                   gconstpointer  data)
{
  static const struct { const char *fault; gboolean sent; } cases[] = {
    { "accept-stall", FALSE },     /* answers after the time-out */
    { "accept-reset", FALSE },     /* the connection reset after the request */
    { "accept-200-html", FALSE },  /* a 200 page, not Twilio's 201 */
    { "accept-garbage", TRUE },    /* 201 Created, cut off: it is Twilio's, SID unknown */
    { "garbage", TRUE },
  };
  GPtrArray *accepted = dd_twilio_stand_in_get_accepted (f->stand_in);

  dd_http_gateway_set_timeout (DD_HTTP_GATEWAY (f->gateway), 1);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DdSmsSendResult) sent = NULL;

      g_test_message ("fault %s", cases[i].fault);
      dd_twilio_stand_in_push_fault (f->stand_in, cases[i].fault);
      sent = send_sync (f->gateway, "+48601000111", "x", &error);
      if (cases[i].sent)
        {
          g_assert_no_error (error);
          g_assert_nonnull (sent);
          g_assert_null (sent->provider_id);
        }
      else
        {
          g_assert_null (sent);
          assert_error (error, DD_SMS_GATEWAY_ERROR_OUTCOME_UNKNOWN, FALSE);
          g_assert_false (dd_sms_gateway_error_is_account_wide (error));
          g_assert_cmpstr (dd_sms_gateway_error_to_code (error), ==, "outcome-unknown");
        }
    }
  /* the stall before "garbage" did not create one */
  g_assert_cmpuint (accepted->len, ==, 4);
}

/* A dead address is retried; a redirect (to another host, or a POST turned into a GET) is
 * not followed: the token stays here, the campaign pauses with a clear reason. */
static void
test_dead_and_redirected (Fixture       *f,
                          gconstpointer  data)
{
  static const char * const statuses[] = { "301", "302", "307", "308" };
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSmsSendResult) sent = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_autofree char *dead_url = NULL;
  g_autoptr(DdGatewayTwilio) dead = NULL;

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  dead_url = g_strdup_printf ("http://127.0.0.1:%u/", port);
  dead = dd_gateway_twilio_new (dead_url, NULL, SID, TOKEN);
  dd_http_gateway_set_sender (DD_HTTP_GATEWAY (dead), NUMBER);
  sent = send_sync (dead, "+48601000111", "x", &error);
  g_assert_null (sent);
  assert_error (error, DD_SMS_GATEWAY_ERROR_NETWORK, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autofree char *fault = g_strdup_printf ("redirect:%s:http://elsewhere.invalid/2010-04-01/",
                                                statuses[i]);

      g_clear_error (&error);
      dd_twilio_stand_in_push_fault (f->stand_in, fault);
      sent = send_sync (f->gateway, "+48601000111", "x", &error);
      g_assert_null (sent);
      assert_error (error, DD_SMS_GATEWAY_ERROR_REDIRECTED, FALSE);
      g_assert_true (dd_sms_gateway_error_is_account_wide (error));
      g_assert_nonnull (strstr (error->message, "elsewhere.invalid"));
    }
  g_assert_cmpuint (dd_twilio_stand_in_get_accepted (f->stand_in)->len, ==, 0);
}

static void
test_replies (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(DdSmsSendResult) sent = send_sync (f->gateway, "+48601000111", "Prosimy", &error);
  DdSmsReply *reply;

  dd_twilio_stand_in_add_inbound (f->stand_in, "+48601000111", "Old answer",
                                  "Mon, 16 Nov 2026 09:00:00 +0000");
  dd_twilio_stand_in_add_inbound (f->stand_in, "+48601000111", "STOP",
                                  "Tue, 24 Nov 2026 10:15:30 +0100");
  dd_sms_gateway_fetch_replies_async (DD_SMS_GATEWAY (f->gateway), "2026-11-20T00:00:00Z", NULL,
                                      dd_test_keep_result, &result);
  replies = dd_sms_gateway_fetch_replies_finish (DD_SMS_GATEWAY (f->gateway),
                                                 dd_test_wait_result (&result),
                                                 &error);
  g_assert_no_error (error);
  /* our own outbound message and the older reply are not replies since then */
  g_assert_cmpuint (replies->len, ==, 1);
  reply = g_ptr_array_index (replies, 0);
  g_assert_cmpstr (reply->from, ==, "+48601000111");
  g_assert_cmpstr (reply->text, ==, "STOP");
  g_assert_cmpstr (reply->at, ==, "2026-11-24T09:15:30Z");
  g_assert_true (g_str_has_prefix (reply->provider_id, "SM"));
  g_assert_nonnull (strstr (dd_twilio_stand_in_get_last_query (f->stand_in),
                            "DateSent%3E=2026-11-20"));
}

static void
test_lookup (Fixture       *f,
             gconstpointer  data)
{
  const struct { const char *number; const char *status; const char *type; } cases[] = {
    { "+48601000111", "valid", "mobile" },
    { "+48221234000", "valid", "landline" },
    { "+4860", "invalid", NULL },
  };

  dd_twilio_stand_in_add_landline (f->stand_in, "+48221234000");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(DdNumberCheck) check = NULL;

      g_assert_true (dd_sms_gateway_can_check_numbers (DD_SMS_GATEWAY (f->gateway)));
      dd_sms_gateway_check_number_async (DD_SMS_GATEWAY (f->gateway), cases[i].number, NULL,
                                         dd_test_keep_result, &result);
      check = dd_sms_gateway_check_number_finish (DD_SMS_GATEWAY (f->gateway),
                                                  dd_test_wait_result (&result),
                                                  &error);
      g_assert_no_error (error);
      g_assert_cmpstr (check->status, ==, cases[i].status);
      g_assert_cmpstr (check->line_type, ==, cases[i].type);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/gateway-twilio/send-and-status", test_send_and_status);
  ADD ("/gateway-twilio/messaging-service", test_messaging_service);
  ADD ("/gateway-twilio/errors", test_errors);
  ADD ("/gateway-twilio/retryable", test_retryable);
  ADD ("/gateway-twilio/lost-answers", test_lost_answers);
  ADD ("/gateway-twilio/dead-and-redirected", test_dead_and_redirected);
  ADD ("/gateway-twilio/replies", test_replies);
  ADD ("/gateway-twilio/lookup", test_lookup);
#undef ADD
  return g_test_run ();
}
