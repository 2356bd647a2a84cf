/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-status-receiver"

#include "config.h"

#include "dd-status-receiver.h"

#include <libsoup/soup.h>
#include <string.h>

#include "dd-gateway-kannel.h"
#include "dd-gateway-twilio.h"
#include "dd-outbox.h"
#include "dd-secret-store.h"

struct _DdStatusReceiver
{
  GObject     parent_instance;

  DdOutbox   *outbox;
  SoupServer *server;
  guint       port;
  char       *public_url;     /* without a trailing '/' */
  char       *twilio_token;
  guint       n_reports;
  GPtrArray  *held;           /* Held: reports that came before their message was sent */
  guint       held_id;        /* tries them again */
};

/* A report can overtake the answer to the request that sent its message (a fast callback,
 * an answer that was lost and is being reconciled): its message is not known by that id
 * yet. It is kept a while and tried again, rather than lost. */
#define HELD_SECONDS 600
#define HELD_MAX 1000

typedef struct
{
  char           *provider;
  char           *provider_id;
  DdMessageState  state;
  char           *at;
  char           *error_code;
  gint64          until;      /* monotonic µs */
} Held;

static void
held_free (Held *held)
{
  g_free (held->provider);
  g_free (held->provider_id);
  g_free (held->at);
  g_free (held->error_code);
  g_free (held);
}

G_DEFINE_FINAL_TYPE (DdStatusReceiver, dd_status_receiver, G_TYPE_OBJECT)

static DdMessageState
message_state (DdSmsState state)
{
  switch (state)
    {
    case DD_SMS_STATE_DELIVERED:
      return DD_MESSAGE_DELIVERED;
    case DD_SMS_STATE_FAILED:
      return DD_MESSAGE_FAILED;
    case DD_SMS_STATE_EXPIRED:
      return DD_MESSAGE_EXPIRED;
    default:
      return DD_MESSAGE_SENT;
    }
}

static gboolean
on_held_tick (gpointer user_data)
{
  DdStatusReceiver *self = user_data;
  gint64 now = g_get_monotonic_time ();

  /* in the order they came: a later report of the same message stays later */
  for (guint i = 0; i < self->held->len;)
    {
      Held *held = g_ptr_array_index (self->held, i);
      DdOutboxReport report = { held->provider, held->provider_id, held->state, held->at,
                                held->error_code };
      g_autoptr(GError) error = NULL;

      if (dd_outbox_mark_report (self->outbox, &report, NULL, &error))
        {
          self->n_reports++;
          g_ptr_array_remove_index (self->held, i);
        }
      else if (now >= held->until)
        {
          g_message ("A delivery report for %s message “%s” matches no message sent: %s",
                     held->provider, held->provider_id, error->message);
          g_ptr_array_remove_index (self->held, i);
        }
      else
        i++;
    }
  if (self->held->len > 0)
    return G_SOURCE_CONTINUE;
  self->held_id = 0;
  return G_SOURCE_REMOVE;
}

static void
hold (DdStatusReceiver     *self,
      const DdOutboxReport *report)
{
  Held *held;

  if (self->held->len >= HELD_MAX)
    return;
  held = g_new0 (Held, 1);
  held->provider = g_strdup (report->provider);
  held->provider_id = g_strdup (report->provider_id);
  held->state = report->state;
  held->at = g_strdup (report->at);
  held->error_code = g_strdup (report->error_code);
  held->until = g_get_monotonic_time () + HELD_SECONDS * G_TIME_SPAN_SECOND;
  g_ptr_array_add (self->held, held);
  if (self->held_id == 0)
    self->held_id = g_timeout_add_seconds (1, on_held_tick, self);
}

static void
record (DdStatusReceiver  *self,
        SoupServerMessage *msg,
        const char        *provider,
        const char        *provider_id,
        DdSmsState         state,
        const char        *error_code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  DdOutboxReport report = { provider, provider_id, message_state (state), at, error_code };

  if (state == DD_SMS_STATE_UNKNOWN || state == DD_SMS_STATE_QUEUED)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      return;
    }
  if (!dd_outbox_mark_report (self->outbox, &report, NULL, &error))
    {
      g_debug ("Report for %s %s not recorded: %s", provider, provider_id, error->message);
      if (g_error_matches (error, DD_OUTBOX_ERROR, DD_OUTBOX_ERROR_NOT_FOUND))
        hold (self, &report);
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  self->n_reports++;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

char *
dd_status_receiver_twilio_signature (const char *token,
                                     const char *url,
                                     GHashTable *params)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA1, (const guchar *) token, strlen (token));
  g_autoptr(GList) keys = params != NULL ? g_hash_table_get_keys (params) : NULL;
  guint8 digest[20];
  gsize length = sizeof digest;

  g_hmac_update (hmac, (const guchar *) url, -1);
  keys = g_list_sort (keys, (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      g_hmac_update (hmac, (const guchar *) l->data, -1);
      g_hmac_update (hmac, (const guchar *) g_hash_table_lookup (params, l->data), -1);
    }
  g_hmac_get_digest (hmac, digest, &length);
  return g_base64_encode (digest, length);
}

static DdSmsState
smsapi_state (const char *status)
{
  /* SMSAPI's numeric report codes */
  switch (status != NULL ? g_ascii_strtoll (status, NULL, 10) : 0)
    {
    case 402:
      return DD_SMS_STATE_EXPIRED;
    case 403:
      return DD_SMS_STATE_SENT;
    case 404:
      return DD_SMS_STATE_DELIVERED;
    case 405:
    case 406:
    case 407:
      return DD_SMS_STATE_FAILED;
    default:
      return DD_SMS_STATE_UNKNOWN;
    }
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  DdStatusReceiver *self = user_data;

  if (g_str_equal (path, "/kannel"))
    {
      g_autofree char *key = NULL;
      g_autoptr(DdSmsStatus) status = NULL;
      const char *text = g_uri_get_query (soup_server_message_get_uri (msg));

      if (!dd_gateway_kannel_parse_dlr (text, &key, &status))
        {
          soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
          return;
        }
      record (self, msg, "kannel", key, status->state, status->error_code);
      return;
    }
  if (g_str_equal (path, "/smsapi"))
    {
      const char *id = query != NULL ? g_hash_table_lookup (query, "MsgId") : NULL;
      const char *status = query != NULL ? g_hash_table_lookup (query, "status") : NULL;

      if (id == NULL)
        {
          soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
          return;
        }
      /* SMSAPI may report several messages at once, each parameter a comma-separated list
       * in the same order */
      {
        g_auto(GStrv) ids = g_strsplit (id, ",", 0);
        g_auto(GStrv) states = g_strsplit (status != NULL ? status : "", ",", 0);
        guint n_states = g_strv_length (states);

        for (guint i = 0; ids[i] != NULL; i++)
          {
            const char *one = n_states == 1 ? states[0] : i < n_states ? states[i] : NULL;

            g_strstrip (ids[i]);
            if (*ids[i] != '\0')
              record (self, msg, "smsapi", ids[i], smsapi_state (one), one);
          }
      }
      /* SMSAPI expects the body "OK", else it calls again; one it could not match here is
       * kept and tried again (see hold ()) */
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "OK", 2);
      return;
    }
  if (g_str_equal (path, "/twilio") &&
      g_str_equal (soup_server_message_get_method (msg), "POST"))
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(GHashTable) form = soup_form_decode (body->data != NULL ? body->data : "");
      const char *signature = soup_message_headers_get_one (
        soup_server_message_get_request_headers (msg), "X-Twilio-Signature");
      g_autofree char *url = g_strconcat (self->public_url ? self->public_url : "", "/twilio",
                                          NULL);
      g_autofree char *expected = NULL;
      const char *sid = g_hash_table_lookup (form, "MessageSid");

      if (self->twilio_token == NULL || signature == NULL ||
          !g_str_equal (signature,
                        (expected = dd_status_receiver_twilio_signature (self->twilio_token,
                                                                         url, form))))
        {
          /* not Twilio, or not for this account */
          soup_server_message_set_status (msg, SOUP_STATUS_FORBIDDEN, NULL);
          return;
        }
      if (sid == NULL)
        {
          soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
          return;
        }
      record (self, msg, "twilio", sid,
              dd_gateway_twilio_parse_state (g_hash_table_lookup (form, "MessageStatus")),
              g_hash_table_lookup (form, "ErrorCode"));
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
dd_status_receiver_finalize (GObject *object)
{
  DdStatusReceiver *self = DD_STATUS_RECEIVER (object);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_handle_id (&self->held_id, g_source_remove);
  g_ptr_array_unref (self->held);
  g_clear_object (&self->outbox);
  g_free (self->public_url);
  dd_secret_free (self->twilio_token);
  G_OBJECT_CLASS (dd_status_receiver_parent_class)->finalize (object);
}

static void
dd_status_receiver_class_init (DdStatusReceiverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dd_status_receiver_finalize;
}

static void
dd_status_receiver_init (DdStatusReceiver *self)
{
  self->held = g_ptr_array_new_with_free_func ((GDestroyNotify) held_free);
}

DdStatusReceiver *
dd_status_receiver_new (DdDatabase  *database,
                        const char  *address,
                        guint        port,
                        GError     **error)
{
  g_autoptr(DdStatusReceiver) self = g_object_new (DD_TYPE_STATUS_RECEIVER, NULL);
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address ? address : "0.0.0.0");
  g_autoptr(GSocketAddress) where = NULL;
  GSList *uris;

  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s", address);
      return NULL;
    }
  where = g_inet_socket_address_new (inet, (guint16) port);
  self->outbox = dd_outbox_new (database);
  self->server = soup_server_new ("server-header", "DunningDesk", NULL);
  soup_server_add_handler (self->server, NULL, handle, self, NULL);
  if (!soup_server_listen (self->server, where, 0, error))
    return NULL;
  uris = soup_server_get_uris (self->server);
  self->port = uris != NULL ? (guint) g_uri_get_port (uris->data) : port;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return g_steal_pointer (&self);
}

guint
dd_status_receiver_get_port (DdStatusReceiver *self)
{
  return self->port;
}

void
dd_status_receiver_set_public_url (DdStatusReceiver *self,
                                   const char       *url)
{
  g_free (self->public_url);
  self->public_url = url != NULL && *url != '\0' ? g_strdup (url) : NULL;
  if (self->public_url != NULL && g_str_has_suffix (self->public_url, "/"))
    self->public_url[strlen (self->public_url) - 1] = '\0';
}

void
dd_status_receiver_set_twilio_token (DdStatusReceiver *self,
                                     const char       *token)
{
  g_free (self->twilio_token);
  self->twilio_token = g_strdup (token);
}

char *
dd_status_receiver_url_for (DdStatusReceiver *self,
                            const char       *provider)
{
  if (self->public_url == NULL || provider == NULL || g_str_equal (provider, "test"))
    return NULL;
  return g_strconcat (self->public_url, "/", provider, NULL);
}

guint
dd_status_receiver_get_n_reports (DdStatusReceiver *self)
{
  return self->n_reports;
}
