/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Delivery reports pushed by the providers, received over real HTTP on loopback. */
#include "config.h"

#include "dd-status-receiver.h"
#include "case-fixture.h"

#include <libsoup/soup.h>
#include <string.h>

#define TOKEN "twilio-auth-token"

typedef struct
{
  CaseFixture       base;
  DdStatusReceiver *receiver;
  SoupSession      *session;
  char             *base_url;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  case_fixture_setup (&f->base, data);
  g_assert_true (dd_database_exec (f->base.db,
    "INSERT INTO message (case_id, e164, idempotency_key, body, state, provider, provider_id,"
    " sent_at, created_at, updated_at) VALUES"
    " (1, '+48601000001', 'r1', 'x', 'sent', 'kannel', 'r1', 'x', 'x', 'x'),"
    " (1, '+48601000001', 'r2', 'x', 'sent', 'twilio', 'SMabc', 'x', 'x', 'x'),"
    " (1, '+48601000001', 'r3', 'x', 'sent', 'smsapi', 'ID77', 'x', 'x', 'x')", &error));
  g_assert_no_error (error);
  f->receiver = dd_status_receiver_new (f->base.db, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  f->base_url = g_strdup_printf ("http://127.0.0.1:%u", dd_status_receiver_get_port (f->receiver));
  dd_status_receiver_set_public_url (f->receiver, "https://office.example:8443/");
  dd_status_receiver_set_twilio_token (f->receiver, TOKEN);
  f->session = soup_session_new ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_object_unref (f->session);
  g_assert_finalize_object (f->receiver);
  g_free (f->base_url);
  case_fixture_teardown (&f->base, data);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static guint
request (Fixture    *f,
         const char *method,
         const char *path,
         const char *form,
         const char *signature)
{
  g_autofree char *url = g_strconcat (f->base_url, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) body = NULL;

  if (form != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

      soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded",
                                                bytes);
    }
  if (signature != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message),
                                  "X-Twilio-Signature", signature);
  {
    /* the server answers on this thread's main loop */
    g_autoptr(GAsyncResult) result = NULL;

    soup_session_send_and_read_async (f->session, message, G_PRIORITY_DEFAULT, NULL, on_sent,
                                      &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    body = soup_session_send_and_read_finish (f->session, result, NULL);
  }
  return soup_message_get_status (message);
}

static char *
state_of (Fixture    *f,
          const char *key)
{
  g_autofree char *sql = g_strdup_printf ("SELECT state = 'delivered' FROM message"
                                          " WHERE idempotency_key = '%s'", key);

  return g_strdup_printf ("%" G_GINT64_FORMAT, case_fixture_int (&f->base, sql));
}

static void
test_kannel_and_smsapi (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *before = state_of (f, "r1");
  g_autofree char *after = NULL;
  g_autofree char *url = dd_status_receiver_url_for (f->receiver, "kannel");

  g_assert_cmpstr (url, ==, "https://office.example:8443/kannel");
  g_assert_cmpstr (before, ==, "0");
  g_assert_cmpuint (request (f, "GET", "/kannel?key=r1&type=8", NULL, NULL), ==, 200);
  g_assert_cmpuint (request (f, "GET", "/kannel?key=r1&type=1", NULL, NULL), ==, 200);
  after = state_of (f, "r1");
  g_assert_cmpstr (after, ==, "1");
  /* a report for no message of ours, and one that is not a report */
  g_assert_cmpuint (request (f, "GET", "/kannel?key=nope&type=1", NULL, NULL), ==, 404);
  g_assert_cmpuint (request (f, "GET", "/kannel?type=1", NULL, NULL), ==, 400);

  g_assert_cmpuint (request (f, "GET", "/smsapi?MsgId=ID77&status=404", NULL, NULL), ==, 200);
  g_free (after);
  after = state_of (f, "r3");
  g_assert_cmpstr (after, ==, "1");
  g_assert_cmpuint (dd_status_receiver_get_n_reports (f->receiver), ==, 3);
  g_assert_cmpuint (request (f, "GET", "/elsewhere", NULL, NULL), ==, 404);
}

/* Reports out of order, repeated, and one that overtook the answer to its message's request. */
static void
test_early_and_repeated (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *early = NULL;
  g_autofree char *r1 = NULL;
  gint64 deadline;

  /* delivered, then a repeat and a late "failed" and "accepted by the SMSC": it stays delivered */
  g_assert_cmpuint (request (f, "GET", "/kannel?key=r1&type=1", NULL, NULL), ==, 200);
  g_assert_cmpuint (request (f, "GET", "/kannel?key=r1&type=1", NULL, NULL), ==, 200);
  g_assert_cmpuint (request (f, "GET", "/kannel?key=r1&type=16", NULL, NULL), ==, 200);
  g_assert_cmpuint (request (f, "GET", "/kannel?key=r1&type=8", NULL, NULL), ==, 200);
  r1 = state_of (f, "r1");
  g_assert_cmpstr (r1, ==, "1");
  g_assert_cmpint (case_fixture_int (&f->base, "SELECT COUNT(*) FROM message"
                                               " WHERE idempotency_key = 'r1'"
                                               " AND error_code IS NOT NULL"), ==, 0);

  /* still "sending" here when Kannel already reports it delivered */
  g_assert_true (dd_database_exec (f->base.db,
    "INSERT INTO message (case_id, e164, idempotency_key, body, state, created_at, updated_at)"
    " VALUES (1, '+48601000001', 'r4', 'x', 'sending', 'x', 'x')", NULL));
  g_assert_cmpuint (request (f, "GET", "/kannel?key=r4&type=1", NULL, NULL), ==, 404);
  /* then the answer to the send is recorded */
  g_assert_true (dd_database_exec (f->base.db,
    "UPDATE message SET state = 'sent', provider = 'kannel', provider_id = 'r4', sent_at = 'x'"
    " WHERE idempotency_key = 'r4'", NULL));
  deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  do
    {
      g_free (early);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
      early = state_of (f, "r4");
    }
  while (!g_str_equal (early, "1") && g_get_monotonic_time () < deadline);
  g_assert_cmpstr (early, ==, "1");

  /* SMSAPI reports two messages in one call */
  g_assert_true (dd_database_exec (f->base.db,
    "INSERT INTO message (case_id, e164, idempotency_key, body, state, provider, provider_id,"
    " sent_at, created_at, updated_at) VALUES"
    " (1, '+48601000001', 'r5', 'x', 'sent', 'smsapi', 'ID78', 'x', 'x', 'x'),"
    " (1, '+48601000001', 'r6', 'x', 'sent', 'smsapi', 'ID79', 'x', 'x', 'x')", NULL));
  g_assert_cmpuint (request (f, "GET", "/smsapi?MsgId=ID78,ID79&status=404,406&idx=r5,r6",
                             NULL, NULL), ==, 200);
  g_assert_cmpint (case_fixture_int (&f->base, "SELECT COUNT(*) FROM message"
                                               " WHERE idempotency_key = 'r5'"
                                               " AND state = 'delivered'"), ==, 1);
  g_assert_cmpint (case_fixture_int (&f->base, "SELECT COUNT(*) FROM message"
                                               " WHERE idempotency_key = 'r6'"
                                               " AND state = 'failed'"), ==, 1);
}

static void
test_twilio_signed (Fixture       *f,
                    gconstpointer  data)
{
  const char *form = "MessageSid=SMabc&MessageStatus=delivered&AccountSid=AC1";
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA1, (const guchar *) TOKEN, strlen (TOKEN));
  guint8 digest[20];
  gsize length = sizeof digest;
  g_autofree char *signature = NULL;
  g_autofree char *state = NULL;
  g_autoptr(GHashTable) params = soup_form_decode (form);
  g_autofree char *computed = NULL;

  /* the URL, then each parameter by name: AccountSid, MessageSid, MessageStatus */
  g_hmac_update (hmac, (const guchar *) "https://office.example:8443/twilioAccountSidAC1"
                                        "MessageSidSMabcMessageStatusdelivered", -1);
  g_hmac_get_digest (hmac, digest, &length);
  signature = g_base64_encode (digest, length);
  computed = dd_status_receiver_twilio_signature (TOKEN, "https://office.example:8443/twilio",
                                                  params);
  g_assert_cmpstr (computed, ==, signature);

  /* forged or unsigned: refused, nothing changes */
  g_assert_cmpuint (request (f, "POST", "/twilio", form, NULL), ==, 403);
  g_assert_cmpuint (request (f, "POST", "/twilio", form, "AAAAAAAAAAAAAAAAAAAAAAAAAAA="), ==, 403);
  state = state_of (f, "r2");
  g_assert_cmpstr (state, ==, "0");
  g_assert_cmpuint (request (f, "POST", "/twilio", form, signature), ==, 200);
  g_free (state);
  state = state_of (f, "r2");
  g_assert_cmpstr (state, ==, "1");
  /* the timeline has the delivery */
  g_assert_cmpint (case_fixture_int (&f->base, "SELECT COUNT(*) FROM activity WHERE case_id = 1"
                                               " AND kind = 'sms'"), >=, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/dd/status-receiver/kannel-and-smsapi", Fixture, NULL, fixture_setup,
              test_kannel_and_smsapi, fixture_teardown);
  g_test_add ("/dd/status-receiver/early-and-repeated", Fixture, NULL, fixture_setup,
              test_early_and_repeated, fixture_teardown);
  g_test_add ("/dd/status-receiver/twilio-signed", Fixture, NULL, fixture_setup, test_twilio_signed,
              fixture_teardown);
  return g_test_run ();
}
