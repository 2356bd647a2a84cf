/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Kannel client: against the real Kannel (bearerbox + smsbox + its fake SMSC) on loopback,
 * and against a local server for the faults Kannel cannot be made to show. */
#include "config.h"

#include "dd-test-util.h"
#include "dd-gateway-kannel.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#define PASSWORD "kannel-Pass-99"

static DdSmsSendResult *
send_sync (DdGatewayKannel *gateway,
           const char      *key,
           const char      *to,
           const char      *text,
           const char      *status_url,
           GError         **error)
{
  DdSmsRequest request = { key, to, text, "Biuro", status_url };
  g_autoptr(GAsyncResult) result = NULL;

  dd_sms_gateway_send_async (DD_SMS_GATEWAY (gateway), &request, NULL, dd_test_keep_result,
                             &result);
  return dd_sms_gateway_send_finish (DD_SMS_GATEWAY (gateway), dd_test_wait_result (&result),
                                     error);
}

/* A server answering like Kannel's sendsms, with faults on request. */

typedef struct
{
  SoupServer *server;
  char       *url;
  GQueue      faults;
  GPtrArray  *stalled;
  GHashTable *last;
} Fake;

static void
fake_handle (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Fake *fake = user_data;
  g_autofree char *fault = g_queue_pop_head (&fake->faults);
  const char *body = "0: Accepted for delivery";
  guint status = 202;

  g_clear_pointer (&fake->last, g_hash_table_unref);
  fake->last = query != NULL ? g_hash_table_ref (query) : NULL;
  if (g_strcmp0 (fault, "stall") == 0)
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (fake->stalled, g_object_ref (msg));
      return;
    }
  if (g_strcmp0 (fault, "503") == 0)
    {
      status = 503;
      body = "Sending messages is disabled";
    }
  else if (g_strcmp0 (fault, "429") == 0)
    {
      status = 429;
      body = "Too many requests";
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "9");
    }
  else if (g_strcmp0 (fault, "429-date") == 0)
    {
      /* Retry-After as an HTTP-date, as a proxy in front of the gateway may write it */
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 120);
      g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);

      status = 429;
      body = "Too many requests";
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", date);
    }
  else if (g_strcmp0 (fault, "latin2") == 0)
    {
      /* accepted, behind a proxy that speaks ISO-8859-2 ("ł" is 0xb3 there) */
      soup_server_message_set_status (msg, 202, NULL);
      soup_server_message_set_response (msg, "text/plain; charset=iso-8859-2", SOUP_MEMORY_STATIC,
                                        "0: Accepted for delivery (przyj\xeata \xb3)", 37);
      return;
    }
  else if (g_strcmp0 (fault, "reset") == 0)
    {
      g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

      g_io_stream_close (stream, NULL, NULL);
      return;
    }
  else if (g_strcmp0 (fault, "redirect") == 0)
    {
      g_autofree char *location = g_strdup_printf ("https://other-gateway.invalid/cgi-bin/sendsms?%s",
                                                   g_uri_get_query (soup_server_message_get_uri (msg)));

      /* to HTTPS, the query kept: the password with it */
      soup_server_message_set_status (msg, 302, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                    location);
      return;
    }
  else if (g_strcmp0 (fault, "garbage") == 0)
    {
      status = 200;
      body = "<html>proxy says hello</html>";
    }
  else if (g_strcmp0 (fault, "sender") == 0)
    {
      status = 400;
      body = "Sender missing and no global set, rejected";
    }
  else if (g_strcmp0 (fault, "blacklist") == 0)
    {
      status = 403;
      body = "Number(s) has/have been denied by white- and/or black-lists.";
    }
  else if (g_strcmp0 (fault, "auth") == 0)
    {
      status = 403;
      body = "Authorization failed for sendsms";
    }
  else if (g_strcmp0 (fault, "ip") == 0)
    {
      /* smsbox, for a client outside sendsms-allow-ip */
      status = 403;
      body = "Denied";
    }
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
count_request (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  guint *requests = user_data;

  (*requests)++;
  soup_server_message_set_status (msg, 202, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "0: Accepted", 11);
}

static Fake *
fake_new (void)
{
  Fake *fake = g_new0 (Fake, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  GSList *uris;

  g_queue_init (&fake->faults);
  fake->stalled = g_ptr_array_new_with_free_func (g_object_unref);
  fake->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fake->server, "/cgi-bin/sendsms", fake_handle, fake, NULL);
  g_assert_true (soup_server_listen (fake->server, address, 0, NULL));
  uris = soup_server_get_uris (fake->server);
  fake->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return fake;
}

static void
fake_free (Fake *fake)
{
  soup_server_disconnect (fake->server);
  g_object_unref (fake->server);
  g_ptr_array_unref (fake->stalled);
  g_queue_clear_full (&fake->faults, g_free);
  g_clear_pointer (&fake->last, g_hash_table_unref);
  g_free (fake->url);
  g_free (fake);
}

/* A self-signed certificate and its key, made for this test only (CN 127.0.0.1). */
static const char self_signed_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBfzCCASWgAwIBAgIUfhfMjt0r43EWyUuw1RcB8O220nMwCgYIKoZIzj0EAwIw\n"
  "FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTIwNzEzNDkxNloYDzIxMjYxMTEz\n"
  "MTM0OTE2WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO\n"
  "PQMBBwNCAARrd9a57uJjGyb5MR0Fc/Hn9L7kQT5OIZ9JLuKfdyEBx01SWYBEkFQu\n"
  "IaA7wSBLVScOBASnMJC85N9k4AuiAk5Oo1MwUTAdBgNVHQ4EFgQUQXdpbu4oscCT\n"
  "2+6jty6DG47EA+MwHwYDVR0jBBgwFoAUQXdpbu4oscCT2+6jty6DG47EA+MwDwYD\n"
  "VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEAz7OjDQTQCanQkjpLQNA8\n"
  "fCX5FohY0cmr8hDjcNEEOdwCIDX3KMOtRcxufPMS4snksu9wepvg2+0yP3TE0uKY\n"
  "+d/G\n"
  "-----END CERTIFICATE-----\n"
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgFJxKXE7dHjdVNQJh\n"
  "z73RYcVMlKks4c+w5mRujdRkFLWhRANCAARrd9a57uJjGyb5MR0Fc/Hn9L7kQT5O\n"
  "IZ9JLuKfdyEBx01SWYBEkFQuIaA7wSBLVScOBASnMJC85N9k4AuiAk5O\n"
  "-----END PRIVATE KEY-----\n";

/* A gateway behind HTTPS with a certificate nobody signed: told as such, not retried as an
 * unreachable network, and nothing is sent. */
static void
test_self_signed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_pem (self_signed_pem, -1,
                                                                            &error);
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(DdGatewayKannel) gateway = NULL;
  g_autoptr(DdSmsSendResult) sent = NULL;
  g_autofree char *url = NULL;
  guint requests = 0;
  GSList *uris;

  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (server, "/cgi-bin/sendsms",
                           count_request, &requests, NULL);
  g_assert_true (soup_server_listen (server, address, SOUP_SERVER_LISTEN_HTTPS, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_assert_true (g_str_has_prefix (url, "https://"));

  gateway = dd_gateway_kannel_new (url, "office", PASSWORD);
  sent = send_sync (gateway, "k", "+48601000111", "Tekst", NULL, &error);
  g_assert_null (sent);
  g_assert_error (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_TLS);
  g_assert_false (dd_sms_gateway_error_is_retryable (error));
  g_assert_true (dd_sms_gateway_error_is_account_wide (error));
  g_assert_cmpstr (dd_sms_gateway_error_to_code (error), ==, "tls");
  g_assert_nonnull (strstr (error->message, "certificate"));
  g_assert_null (strstr (error->message, PASSWORD));
  g_assert_cmpuint (requests, ==, 0);
  soup_server_disconnect (server);
}

static void
test_faults (void)
{
  static const struct {
    const char *fault; DdSmsGatewayError code; gboolean retryable; gboolean account_wide;
  } cases[] = {
    { "503", DD_SMS_GATEWAY_ERROR_SERVER, TRUE, FALSE },
    { "429", DD_SMS_GATEWAY_ERROR_RATE_LIMITED, TRUE, FALSE },
    { "429-date", DD_SMS_GATEWAY_ERROR_RATE_LIMITED, TRUE, FALSE },
    { "garbage", DD_SMS_GATEWAY_ERROR_MALFORMED_RESPONSE, TRUE, FALSE },
    { "sender", DD_SMS_GATEWAY_ERROR_BAD_SENDER, FALSE, TRUE },
    { "blacklist", DD_SMS_GATEWAY_ERROR_INVALID_NUMBER, FALSE, FALSE },
    { "auth", DD_SMS_GATEWAY_ERROR_AUTH, FALSE, TRUE },
    { "ip", DD_SMS_GATEWAY_ERROR_AUTH, FALSE, TRUE },
  };
  Fake *fake = fake_new ();
  g_autoptr(DdGatewayKannel) gateway = dd_gateway_kannel_new (fake->url, "office", PASSWORD);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DdSmsSendResult) sent = NULL;

      g_queue_push_tail (&fake->faults, g_strdup (cases[i].fault));
      sent = send_sync (gateway, "k", "+48601000111", "Tekst", NULL, &error);
      g_assert_null (sent);
      g_assert_error (error, DD_SMS_GATEWAY_ERROR, (int) cases[i].code);
      g_assert_cmpint (dd_sms_gateway_error_is_retryable (error), ==, cases[i].retryable);
      g_assert_cmpint (dd_sms_gateway_error_is_account_wide (error), ==, cases[i].account_wide);
      g_assert_null (strstr (error->message, PASSWORD));
      if (g_str_equal (cases[i].fault, "429"))
        g_assert_cmpint (dd_sms_gateway_error_get_retry_after (error), ==, 9);
      if (g_str_equal (cases[i].fault, "429-date"))
        {
          g_assert_cmpint (dd_sms_gateway_error_get_retry_after (error), >=, 110);
          g_assert_cmpint (dd_sms_gateway_error_get_retry_after (error), <=, 120);
        }
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DdSmsSendResult) sent = NULL;

    dd_http_gateway_set_timeout (DD_HTTP_GATEWAY (gateway), 1);
    g_queue_push_tail (&fake->faults, g_strdup ("stall"));
    sent = send_sync (gateway, "k", "+48601000111", "Tekst", NULL, &error);
    /* Kannel got the whole request and may have queued it: not sent again */
    g_assert_error (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_OUTCOME_UNKNOWN);
    g_assert_false (dd_sms_gateway_error_is_retryable (error));
    g_assert_null (strstr (error->message, PASSWORD));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DdSmsSendResult) sent = NULL;

    g_queue_push_tail (&fake->faults, g_strdup ("reset"));
    sent = send_sync (gateway, "k", "+48601000111", "Tekst", NULL, &error);
    g_assert_error (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_OUTCOME_UNKNOWN);
    g_assert_false (dd_sms_gateway_error_is_retryable (error));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DdSmsSendResult) sent = NULL;

    /* "0: Accepted" is read whatever charset the rest of the line is in */
    g_queue_push_tail (&fake->faults, g_strdup ("latin2"));
    sent = send_sync (gateway, "k-latin2", "+48601000111", "Tekst", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (sent->provider_id, ==, "k-latin2");
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DdSmsSendResult) sent = NULL;

    /* not followed: the password is in the query */
    g_queue_push_tail (&fake->faults, g_strdup ("redirect"));
    sent = send_sync (gateway, "k", "+48601000111", "Tekst", NULL, &error);
    g_assert_error (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_REDIRECTED);
    g_assert_true (dd_sms_gateway_error_is_account_wide (error));
    g_assert_nonnull (strstr (error->message, "https://other-gateway.invalid/cgi-bin/sendsms"));
    g_assert_null (strstr (error->message, PASSWORD));
  }
  /* the request itself: GSM-7 text as coding 0, Polish as UCS-2 */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DdSmsSendResult) plain = send_sync (gateway, "k1", "+48601000111", "Zaplac", NULL,
                                                  &error);

    g_assert_no_error (error);
    g_assert_cmpstr (plain->provider_id, ==, "k1");
    g_assert_cmpstr (g_hash_table_lookup (fake->last, "coding"), ==, "0");
    g_assert_cmpstr (g_hash_table_lookup (fake->last, "charset"), ==, "UTF-8");
    g_assert_cmpstr (g_hash_table_lookup (fake->last, "username"), ==, "office");
    g_assert_cmpstr (g_hash_table_lookup (fake->last, "password"), ==, PASSWORD);
    g_assert_false (g_hash_table_contains (fake->last, "dlr-url"));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DdSmsSendResult) polish = send_sync (gateway, "k 2", "+48601000111", "Zapłać",
                                                   "http://127.0.0.1:9/dlr", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (g_hash_table_lookup (fake->last, "coding"), ==, "2");
    g_assert_cmpstr (g_hash_table_lookup (fake->last, "text"), ==, "Zapłać");
    g_assert_cmpstr (g_hash_table_lookup (fake->last, "dlr-mask"), ==, "31");
    g_assert_cmpstr (g_hash_table_lookup (fake->last, "dlr-url"), ==,
                     "http://127.0.0.1:9/dlr?key=k%202&type=%d");
  }
  g_assert_false (dd_sms_gateway_get_refuses_duplicates (DD_SMS_GATEWAY (gateway)));
  g_clear_object (&gateway);
  fake_free (fake);
}

static void
test_parse_dlr (void)
{
  g_autofree char *key = NULL;
  g_autoptr(DdSmsStatus) status = NULL;

  g_assert_true (dd_gateway_kannel_parse_dlr ("key=c1-m5&type=1", &key, &status));
  g_assert_cmpstr (key, ==, "c1-m5");
  g_assert_cmpint (status->state, ==, DD_SMS_STATE_DELIVERED);
  g_clear_pointer (&key, g_free);
  g_clear_pointer (&status, dd_sms_status_free);
  g_assert_true (dd_gateway_kannel_parse_dlr ("key=k%202&type=16", &key, &status));
  g_assert_cmpstr (key, ==, "k 2");
  g_assert_cmpint (status->state, ==, DD_SMS_STATE_FAILED);
  g_assert_cmpstr (status->error_code, ==, "16");
  g_assert_false (dd_gateway_kannel_parse_dlr ("type=1", NULL, NULL));
  g_assert_false (dd_gateway_kannel_parse_dlr ("key=x&type=%d", NULL, NULL));
}

/* The real Kannel */

typedef struct
{
  GPtrArray *reports;   /* query strings */
} Dlr;

static void
dlr_handle (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Dlr *dlr = user_data;

  g_ptr_array_add (dlr->reports, g_strdup (g_uri_get_query (soup_server_message_get_uri (msg))));
  soup_server_message_set_status (msg, 200, NULL);
}

static gboolean
reports_cover (Dlr        *dlr,
               const char *key)
{
  for (guint i = 0; i < dlr->reports->len; i++)
    {
      g_autofree char *found = NULL;

      if (dd_gateway_kannel_parse_dlr (g_ptr_array_index (dlr->reports, i), &found, NULL) &&
          g_str_equal (found, key))
        return TRUE;
    }
  return FALSE;
}

static GSubprocess *
spawn (const char  *stdout_path,
       const char *const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_stdout_file_path (launcher, stdout_path);
  g_subprocess_launcher_set_stderr_file_path (launcher, stdout_path);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  return process;
}

static gboolean
port_open (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                                             (guint16) port, NULL,
                                                                             NULL);

  return connection != NULL;
}

static void
test_real_kannel (void)
{
  const char *bearerbox = "/usr/sbin/bearerbox";
  const char *smsbox = "/usr/sbin/smsbox";
  const char *fakesmsc = "/usr/lib/kannel/test/fakesmsc";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *conf_path = NULL;
  g_autofree char *fake_log = NULL;
  g_autofree char *fake_out = NULL;
  g_autofree char *url = NULL;
  g_autofree char *dlr_url = NULL;
  g_autofree char *smsc_port_text = NULL;
  g_autoptr(GSubprocess) bb = NULL;
  g_autoptr(GSubprocess) sb = NULL;
  g_autoptr(GSubprocess) smsc = NULL;
  g_autoptr(DdGatewayKannel) gateway = NULL;
  g_autoptr(DdGatewayKannel) wrong = NULL;
  g_autoptr(SoupServer) dlr_server = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = NULL;
  Dlr dlr = { g_ptr_array_new_with_free_func (g_free) };
  guint admin = dd_test_free_port (G_SOCKET_PROTOCOL_TCP), box = dd_test_free_port (G_SOCKET_PROTOCOL_TCP), smsc_port = dd_test_free_port (G_SOCKET_PROTOCOL_TCP), http = dd_test_free_port (G_SOCKET_PROTOCOL_TCP);
  guint dlr_port = dd_test_free_port (G_SOCKET_PROTOCOL_TCP);
  gint64 deadline;

  if (!g_file_test (bearerbox, G_FILE_TEST_IS_EXECUTABLE) ||
      !g_file_test (fakesmsc, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("Kannel is not installed (Debian packages kannel, kannel-extras)");
      g_ptr_array_unref (dlr.reports);
      return;
    }

  dir = g_dir_make_tmp ("dd-kannel-XXXXXX", &error);
  g_assert_no_error (error);
  conf = g_strdup_printf ("group = core\n"
                          "admin-port = %u\nadmin-password = admin\nadmin-allow-ip = 127.0.0.1\n"
                          "smsbox-port = %u\nbox-allow-ip = 127.0.0.1\ndlr-storage = internal\n"
                          "log-file = \"%s/bearerbox.log\"\nlog-level = 1\n\n"
                          "group = smsc\nsmsc = fake\nsmsc-id = fake\nport = %u\n"
                          "connect-allow-ip = 127.0.0.1\n\n"
                          "group = smsbox\nbearerbox-host = 127.0.0.1\nsendsms-port = %u\n"
                          "log-file = \"%s/smsbox.log\"\nlog-level = 1\n\n"
                          "group = sendsms-user\nusername = office\npassword = %s\n"
                          "max-messages = 10\nconcatenation = true\n\n"
                          "group = sms-service\nkeyword = default\ntext = \"\"\n"
                          "omit-empty = true\ncatch-all = true\n",
                          admin, box, dir, smsc_port, http, dir, PASSWORD);
  conf_path = g_build_filename (dir, "kannel.conf", NULL);
  g_assert_true (g_file_set_contents (conf_path, conf, -1, NULL));
  fake_log = g_build_filename (dir, "fakesmsc.out", NULL);

  /* the delivery reports' receiver */
  dlr_server = soup_server_new (NULL, NULL);
  soup_server_add_handler (dlr_server, "/dlr", dlr_handle, &dlr, NULL);
  address = g_inet_socket_address_new (loopback, (guint16) dlr_port);
  g_assert_true (soup_server_listen (dlr_server, address, 0, &error));
  dlr_url = g_strdup_printf ("http://127.0.0.1:%u/dlr", dlr_port);

  {
    g_autofree char *bb_log = g_build_filename (dir, "bearerbox.out", NULL);
    g_autofree char *sb_log = g_build_filename (dir, "smsbox.out", NULL);
    const char *bb_argv[] = { bearerbox, conf_path, NULL };
    const char *sb_argv[] = { smsbox, conf_path, NULL };

    bb = spawn (bb_log, bb_argv);
    deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
    while (!port_open (box) && g_get_monotonic_time () < deadline)
      g_usleep (100 * 1000);
    sb = spawn (sb_log, sb_argv);
  }
  smsc_port_text = g_strdup_printf ("%u", smsc_port);
  {
    /* one message from the phone side connects it; it then prints what it receives */
    const char *argv[] = { fakesmsc, "-H", "127.0.0.1", "-r", smsc_port_text, "-i", "1000",
                           "-m", "1", "100 200 text hello", NULL };

    deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
    while (!port_open (smsc_port) && g_get_monotonic_time () < deadline)
      g_usleep (100 * 1000);
    smsc = spawn (fake_log, argv);
  }
  deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  while (!port_open (http) && g_get_monotonic_time () < deadline)
    g_usleep (100 * 1000);
  g_assert_true (port_open (http));

  url = g_strdup_printf ("http://127.0.0.1:%u/", http);
  gateway = dd_gateway_kannel_new (url, "office", PASSWORD);
  {
    g_autoptr(DdSmsSendResult) a = send_sync (gateway, "c1-m1", "+48601000111",
                                              "Jan, faktura FV/1 czeka.", dlr_url, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (a->provider_id, ==, "c1-m1");
  }
  {
    g_autoptr(DdSmsSendResult) b = send_sync (gateway, "c1-m2", "+48601000222",
                                              "Zapłać, proszę", dlr_url, &error);
    g_assert_no_error (error);
  }
  wrong = dd_gateway_kannel_new (url, "office", "not-it");
  {
    g_autoptr(DdSmsSendResult) c = send_sync (wrong, "c1-m3", "+48601000333", "x", NULL, &error);

    g_assert_null (c);
    g_assert_error (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_AUTH);
    g_assert_null (strstr (error->message, "not-it"));
    g_clear_error (&error);
  }

  /* the fake SMSC got both, the Polish one as UCS-2; reports came back for both keys */
  deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  while (g_get_monotonic_time () < deadline)
    {
      g_clear_pointer (&fake_out, g_free);
      g_file_get_contents (fake_log, &fake_out, NULL, NULL);
      if (fake_out != NULL && strstr (fake_out, "+48601000222") != NULL &&
          reports_cover (&dlr, "c1-m1") && reports_cover (&dlr, "c1-m2"))
        break;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20 * 1000);
    }
  g_test_message ("fakesmsc: %s", fake_out);
  g_assert_nonnull (strstr (fake_out, "Got message"));
  g_assert_nonnull (strstr (fake_out, "Biuro +48601000111 text Jan, faktura FV/1 czeka."));
  g_assert_nonnull (strstr (fake_out, "Biuro +48601000222 ucs-2"));
  g_assert_null (strstr (fake_out, "+48601000333"));
  g_assert_cmpuint (dlr.reports->len, >=, 2);
  {
    gboolean seen_m1 = FALSE, seen_m2 = FALSE;

    for (guint i = 0; i < dlr.reports->len; i++)
      {
        g_autofree char *key = NULL;
        g_autoptr(DdSmsStatus) status = NULL;

        g_test_message ("report: %s", (char *) g_ptr_array_index (dlr.reports, i));
        g_assert_true (dd_gateway_kannel_parse_dlr (g_ptr_array_index (dlr.reports, i), &key,
                                                    &status));
        g_assert_true (status->state == DD_SMS_STATE_SENT || status->state == DD_SMS_STATE_DELIVERED);
        seen_m1 = seen_m1 || g_str_equal (key, "c1-m1");
        seen_m2 = seen_m2 || g_str_equal (key, "c1-m2");
      }
    g_assert_true (seen_m1 && seen_m2);
  }

  g_subprocess_send_signal (smsc, SIGTERM);
  g_subprocess_send_signal (sb, SIGTERM);
  g_subprocess_send_signal (bb, SIGTERM);
  g_subprocess_wait (smsc, NULL, NULL);
  g_subprocess_wait (sb, NULL, NULL);
  g_subprocess_wait (bb, NULL, NULL);
  soup_server_disconnect (dlr_server);
  g_ptr_array_unref (dlr.reports);
  dd_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dd/gateway-kannel/faults", test_faults);
  g_test_add_func ("/dd/gateway-kannel/self-signed", test_self_signed);
  g_test_add_func ("/dd/gateway-kannel/parse-dlr", test_parse_dlr);
  g_test_add_func ("/dd/gateway-kannel/real-kannel", test_real_kannel);
  return g_test_run ();
}
