/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "dd-smsapi-stand-in.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "dd-campaign-messages.h"

#define PRICE_PER_PART 0.16

typedef struct
{
  char   *id;
  gint64  delivered_at;   /* monotonic µs */
  char   *number;
} Sent;

struct _DdSmsapiStandIn
{
  SoupServer  *server;
  char        *url;
  char        *token;
  GPtrArray   *senders;
  double       points;
  guint        answer_ms;
  guint        delivery_ms;
  GQueue       faults;          /* char* */
  GPtrArray   *accepted;        /* DdSmsapiAccepted */
  GHashTable  *idx_seen;        /* idx → TRUE */
  GHashTable  *sent;            /* id → Sent */
  GPtrArray   *stalled;         /* SoupServerMessage, paused forever */
  GHashTable  *last_form;
  guint        n_requests;
  guint        n_duplicates;
  guint        next_id;
  guint        open_requests;
  guint        max_open_requests;
  GHashTable  *peers;           /* "address:port" of each client connection seen */
};

static void
accepted_free (DdSmsapiAccepted *accepted)
{
  g_free (accepted->id);
  g_free (accepted->idx);
  g_free (accepted->to);
  g_free (accepted->message);
  g_free (accepted->from);
  g_free (accepted);
}

static void
sent_free (Sent *sent)
{
  g_free (sent->id);
  g_free (sent->number);
  g_free (sent);
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *content_type,
         const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               int                code,
               const char        *text)
{
  g_autofree char *body = g_strdup_printf ("{\"error\":%d,\"message\":\"%s\"}", code, text);

  respond (msg, status, "application/json", body);
}

static gboolean
is_digits (const char *text)
{
  if (text == NULL || *text == '\0')
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static gboolean
is_ascii (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p; p++)
    if (*p >= 0x80)
      return FALSE;
  return TRUE;
}

static char *
build_state (DdSmsapiStandIn *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "requests");
  json_builder_add_int_value (builder, self->n_requests);
  json_builder_set_member_name (builder, "duplicates");
  json_builder_add_int_value (builder, self->n_duplicates);
  json_builder_set_member_name (builder, "max_open_requests");
  json_builder_add_int_value (builder, self->max_open_requests);
  json_builder_set_member_name (builder, "connections");
  json_builder_add_int_value (builder, g_hash_table_size (self->peers));
  json_builder_set_member_name (builder, "accepted");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->accepted->len; i++)
    {
      DdSmsapiAccepted *a = g_ptr_array_index (self->accepted, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, a->id);
      json_builder_set_member_name (builder, "idx");
      json_builder_add_string_value (builder, a->idx);
      json_builder_set_member_name (builder, "to");
      json_builder_add_string_value (builder, a->to);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, a->message);
      json_builder_set_member_name (builder, "from");
      json_builder_add_string_value (builder, a->from);
      json_builder_set_member_name (builder, "parts");
      json_builder_add_int_value (builder, a->parts);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
handle_status (DdSmsapiStandIn   *self,
               SoupServerMessage *msg,
               const char        *ids)
{
  g_auto(GStrv) list = g_strsplit (ids, ",", -1);
  g_autoptr(GString) body = g_string_new ("{\"count\":");
  guint n = 0;

  g_string_append_printf (body, "%u,\"list\":[", g_strv_length (list));
  for (guint i = 0; list[i] != NULL; i++)
    {
      Sent *sent = g_hash_table_lookup (self->sent, list[i]);
      const char *status;

      if (sent == NULL)
        {
          respond_error (msg, SOUP_STATUS_OK, 301, "ID of messages doesn't exist");
          return;
        }
      if (g_get_monotonic_time () < sent->delivered_at)
        status = "QUEUE";
      else if (g_str_has_suffix (sent->number, "000"))
        status = "UNDELIVERED";
      else
        status = "DELIVERED";
      g_string_append_printf (body,
                              "%s{\"id\":\"%s\",\"number\":\"%s\",\"status\":\"%s\","
                              "\"points\":%.2f,\"done_date\":%" G_GINT64_FORMAT "}",
                              n++ ? "," : "", sent->id, sent->number, status, PRICE_PER_PART,
                              g_get_real_time () / G_USEC_PER_SEC);
    }
  g_string_append (body, "]}");
  respond (msg, SOUP_STATUS_OK, "application/json", body->str);
}

static void on_request_done (SoupServer        *server,
                             SoupServerMessage *msg,
                             gpointer           user_data);

/* The sending request; answers into @msg. */
static void
handle_send (DdSmsapiStandIn   *self,
             SoupServerMessage *msg,
             GHashTable        *form,
             gboolean           drop)
{
  const char *to = g_hash_table_lookup (form, "to");
  const char *message = g_hash_table_lookup (form, "message");
  const char *from = g_hash_table_lookup (form, "from");
  const char *format = g_hash_table_lookup (form, "format");
  const char *encoding = g_hash_table_lookup (form, "encoding");
  const char *idx = g_hash_table_lookup (form, "idx");
  const char *check_idx = g_hash_table_lookup (form, "check_idx");
  gboolean test = g_strcmp0 (g_hash_table_lookup (form, "test"), "1") == 0;
  DdSmsMeasure measure = { 0 };
  DdSmsapiAccepted *accepted;
  Sent *sent;
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  double cost;

  if (message == NULL || *message == '\0')
    {
      respond_error (msg, SOUP_STATUS_OK, 11, "Message too long or there is no message");
      return;
    }
  if (encoding != NULL && g_ascii_strcasecmp (encoding, "utf-8") != 0 &&
      g_ascii_strcasecmp (encoding, "iso-8859-2") != 0 &&
      g_ascii_strcasecmp (encoding, "windows-1250") != 0)
    {
      respond_error (msg, SOUP_STATUS_OK, 8, "Error in request (encoding)");
      return;
    }
  if (g_ascii_strcasecmp (encoding ? encoding : "windows-1250", "utf-8") != 0 &&
      !is_ascii (message))
    {
      /* the real API would read these bytes as windows-1250 and send mojibake */
      respond_error (msg, SOUP_STATUS_OK, 8, "Error in request (text is not windows-1250)");
      return;
    }
  if (!g_utf8_validate (message, -1, NULL))
    {
      respond_error (msg, SOUP_STATUS_OK, 8, "Error in request (invalid UTF-8)");
      return;
    }
  if (to == NULL || !is_digits (to) || strlen (to) < 9 || strlen (to) > 15)
    {
      respond_error (msg, SOUP_STATUS_OK, 13, "No correct phone numbers");
      return;
    }
  if (from != NULL && !g_ptr_array_find_with_equal_func (self->senders, from, g_str_equal, NULL))
    {
      respond_error (msg, SOUP_STATUS_OK, 14, "Improper sender field");
      return;
    }
  if (idx != NULL && strlen (idx) > 255)
    {
      respond_error (msg, SOUP_STATUS_OK, 27, "Idx parameter too long");
      return;
    }
  if (idx != NULL && g_strcmp0 (check_idx, "1") == 0 &&
      g_hash_table_contains (self->idx_seen, idx))
    {
      self->n_duplicates++;
      respond_error (msg, SOUP_STATUS_OK, 53,
                     "Not unique idx parameter, message with the same idx has been already sent");
      return;
    }
  dd_campaign_messages_measure_text (message, &measure);
  if (measure.segments > 10)
    {
      dd_sms_measure_clear (&measure);
      respond_error (msg, SOUP_STATUS_OK, 11, "Message too long or there is no message");
      return;
    }
  cost = measure.segments * PRICE_PER_PART;
  if (cost > self->points + 1e-9)
    {
      dd_sms_measure_clear (&measure);
      respond_error (msg, SOUP_STATUS_OK, 103, "Insufficient credits on your account");
      return;
    }

  id = g_strdup_printf ("%016X", ++self->next_id + 0x5F000000u);
  if (format == NULL || g_strcmp0 (format, "json") != 0)
    body = g_strdup_printf ("OK:%s:%.2f", id, cost);
  else
    body = g_strdup_printf ("{\"count\":1,\"list\":[{\"id\":\"%s\",\"points\":%.2f,"
                            "\"number\":\"%s\",\"date_sent\":%" G_GINT64_FORMAT ","
                            "\"submitted_number\":\"%s\",\"status\":\"QUEUE\",\"error\":null,"
                            "\"idx\":%s%s%s,\"parts\":%u}]}",
                            id, cost, to, g_get_real_time () / G_USEC_PER_SEC, to,
                            idx ? "\"" : "", idx ? idx : "null", idx ? "\"" : "",
                            measure.segments);

  if (!test)
    {
      self->points -= cost;
      if (idx != NULL)
        g_hash_table_add (self->idx_seen, g_strdup (idx));
      accepted = g_new0 (DdSmsapiAccepted, 1);
      accepted->id = g_strdup (id);
      accepted->idx = g_strdup (idx);
      accepted->to = g_strdup (to);
      accepted->message = g_strdup (message);
      accepted->from = g_strdup (from);
      accepted->parts = measure.segments;
      g_ptr_array_add (self->accepted, accepted);
      sent = g_new0 (Sent, 1);
      sent->id = g_strdup (id);
      sent->number = g_strdup (to);
      sent->delivered_at = g_get_monotonic_time () + (gint64) self->delivery_ms * 1000;
      g_hash_table_insert (self->sent, sent->id, sent);
    }
  dd_sms_measure_clear (&measure);

  if (drop)
    {
      g_autoptr(GIOStream) stream = NULL;

      on_request_done (self->server, msg, self);
      stream = soup_server_message_steal_connection (msg);

      if (stream != NULL)
        g_io_stream_close (stream, NULL, NULL);
      return;
    }
  respond (msg, SOUP_STATUS_OK,
           format != NULL && g_strcmp0 (format, "json") == 0 ? "application/json" : "text/plain",
           body);
}

typedef struct
{
  DdSmsapiStandIn   *self;
  SoupServerMessage *msg;
} Delayed;

static gboolean
on_delayed_answer (gpointer user_data)
{
  Delayed *delayed = user_data;

  soup_server_message_unpause (delayed->msg);
  g_object_unref (delayed->msg);
  g_free (delayed);
  return G_SOURCE_REMOVE;
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  DdSmsapiStandIn *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *authorization;
  g_autofree char *expected = NULL;
  g_autofree char *fault = NULL;
  g_autoptr(GHashTable) form = NULL;
  SoupMessageBody *request_body;
  gboolean drop = FALSE;

  if (g_str_equal (path, "/_stand-in/state"))
    {
      g_autofree char *state = build_state (self);

      respond (msg, SOUP_STATUS_OK, "application/json", state);
      return;
    }

  self->n_requests++;
  fault = g_queue_pop_head (&self->faults);
  if (fault != NULL)
    {
      if (g_str_equal (fault, "stall"))
        {
          soup_server_message_pause (msg);
          g_ptr_array_add (self->stalled, g_object_ref (msg));
          return;
        }
      if (g_str_equal (fault, "garbage"))
        {
          respond (msg, SOUP_STATUS_OK, "application/json", "{\"count\":1,\"list\":[{\"id\":");
          return;
        }
      if (g_str_has_prefix (fault, "http:"))
        {
          g_auto(GStrv) parts = g_strsplit (fault, ":", 3);
          guint status = (guint) g_ascii_strtoull (parts[1], NULL, 10);

          if (parts[2] != NULL)
            soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                          "Retry-After", parts[2]);
          respond (msg, status, "text/html", "<html><body>error</body></html>");
          return;
        }
      if (g_str_has_prefix (fault, "error:"))
        {
          respond_error (msg, SOUP_STATUS_OK, (int) g_ascii_strtoll (fault + 6, NULL, 10),
                         "Injected error");
          return;
        }
      if (g_str_has_prefix (fault, "latin2-error:"))
        {
          /* "Błędny token", in ISO-8859-2 as a proxy may re-encode it */
          g_autofree char *body = g_strdup_printf ("{\"error\":%d,\"message\":\"B\xb3\xea" "dny token\"}",
                                                   (int) g_ascii_strtoll (fault + 13, NULL, 10));

          soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
          soup_server_message_set_response (msg, "application/json; charset=iso-8859-2",
                                            SOUP_MEMORY_COPY, body, strlen (body));
          return;
        }
      drop = g_str_equal (fault, "drop");
    }

  authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                "Authorization");
  expected = g_strconcat ("Bearer ", self->token, NULL);
  if (g_strcmp0 (authorization, expected) != 0)
    {
      respond_error (msg, SOUP_STATUS_UNAUTHORIZED, 101, "Authorization failed");
      return;
    }
  if (!g_str_equal (path, "/sms.do"))
    {
      respond (msg, SOUP_STATUS_NOT_FOUND, "text/html", "<html><body>Not found</body></html>");
      return;
    }

  if (g_str_equal (method, "POST"))
    {
      const char *type = soup_message_headers_get_content_type (
        soup_server_message_get_request_headers (msg), NULL);

      if (g_strcmp0 (type, "application/x-www-form-urlencoded") != 0)
        {
          respond_error (msg, SOUP_STATUS_OK, 8, "Error in request (content type)");
          return;
        }
      request_body = soup_server_message_get_request_body (msg);
      form = soup_form_decode (request_body->data != NULL ? request_body->data : "");
    }
  else if (g_str_equal (method, "GET"))
    form = query != NULL ? g_hash_table_ref (query)
                         : g_hash_table_new (g_str_hash, g_str_equal);
  else
    {
      respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/html", "<html></html>");
      return;
    }
  g_clear_pointer (&self->last_form, g_hash_table_unref);
  self->last_form = g_hash_table_ref (form);

  if (g_hash_table_contains (form, "status"))
    handle_status (self, msg, g_hash_table_lookup (form, "status"));
  else
    handle_send (self, msg, form, drop);

  if (self->answer_ms > 0 && !drop)
    {
      Delayed *delayed = g_new0 (Delayed, 1);

      delayed->self = self;
      delayed->msg = g_object_ref (msg);
      soup_server_message_pause (msg);
      g_timeout_add (self->answer_ms, on_delayed_answer, delayed);
    }
}

static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  DdSmsapiStandIn *self = user_data;

  GSocketAddress *peer = soup_server_message_get_remote_address (msg);

  g_object_set_data (G_OBJECT (msg), "dd-open", GINT_TO_POINTER (1));
  self->open_requests++;
  self->max_open_requests = MAX (self->max_open_requests, self->open_requests);
  if (G_IS_INET_SOCKET_ADDRESS (peer))
    {
      g_autofree char *host = g_inet_address_to_string (
        g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (peer)));

      g_hash_table_add (self->peers,
                        g_strdup_printf ("%s:%u", host,
                                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (peer))));
    }
}

static void
on_request_done (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  DdSmsapiStandIn *self = user_data;

  /* once per request: a dropped one may be reported as finished or aborted, or not at all */
  if (g_object_get_data (G_OBJECT (msg), "dd-open") == NULL)
    return;
  g_object_set_data (G_OBJECT (msg), "dd-open", NULL);
  if (self->open_requests > 0)
    self->open_requests--;
}

DdSmsapiStandIn *
dd_smsapi_stand_in_new (const char  *token,
                        guint        port,
                        GError     **error)
{
  DdSmsapiStandIn *self = g_new0 (DdSmsapiStandIn, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, (guint16) port);
  GSList *uris;

  self->token = g_strdup (token);
  self->senders = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->senders, g_strdup ("Test"));
  self->points = 1000000;
  self->accepted = g_ptr_array_new_with_free_func ((GDestroyNotify) accepted_free);
  self->idx_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sent = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) sent_free);
  self->stalled = g_ptr_array_new_with_free_func (g_object_unref);
  self->peers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->faults);
  self->server = soup_server_new ("server-header", "smsapi-stand-in", NULL);
  soup_server_add_handler (self->server, NULL, handle, self, NULL);
  g_signal_connect (self->server, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect (self->server, "request-finished", G_CALLBACK (on_request_done), self);
  g_signal_connect (self->server, "request-aborted", G_CALLBACK (on_request_done), self);
  if (!soup_server_listen (self->server, address, 0, error))
    {
      dd_smsapi_stand_in_free (self);
      return NULL;
    }
  uris = soup_server_get_uris (self->server);
  self->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return self;
}

void
dd_smsapi_stand_in_free (DdSmsapiStandIn *self)
{
  if (self == NULL)
    return;
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_ptr_array_unref (self->stalled);
  g_queue_clear_full (&self->faults, g_free);
  g_ptr_array_unref (self->accepted);
  g_ptr_array_unref (self->senders);
  g_hash_table_unref (self->idx_seen);
  g_hash_table_unref (self->sent);
  g_hash_table_unref (self->peers);
  g_clear_pointer (&self->last_form, g_hash_table_unref);
  g_free (self->token);
  g_free (self->url);
  g_free (self);
}

const char *
dd_smsapi_stand_in_get_url (DdSmsapiStandIn *self)
{
  return self->url;
}

void
dd_smsapi_stand_in_add_sender (DdSmsapiStandIn *self,
                               const char      *sender)
{
  g_ptr_array_add (self->senders, g_strdup (sender));
}

void
dd_smsapi_stand_in_set_points (DdSmsapiStandIn *self,
                               double           points)
{
  self->points = points;
}

void
dd_smsapi_stand_in_set_delays (DdSmsapiStandIn *self,
                               guint            answer_ms,
                               guint            delivery_ms)
{
  self->answer_ms = answer_ms;
  self->delivery_ms = delivery_ms;
}

void
dd_smsapi_stand_in_push_fault (DdSmsapiStandIn *self,
                               const char      *fault)
{
  g_queue_push_tail (&self->faults, g_strdup (fault));
}

GPtrArray *
dd_smsapi_stand_in_get_accepted (DdSmsapiStandIn *self)
{
  return self->accepted;
}

guint
dd_smsapi_stand_in_get_n_requests (DdSmsapiStandIn *self)
{
  return self->n_requests;
}

guint
dd_smsapi_stand_in_get_n_duplicates (DdSmsapiStandIn *self)
{
  return self->n_duplicates;
}

guint
dd_smsapi_stand_in_get_max_connections (DdSmsapiStandIn *self)
{
  return self->max_open_requests;
}

guint
dd_smsapi_stand_in_get_n_connections (DdSmsapiStandIn *self)
{
  return g_hash_table_size (self->peers);
}

GHashTable *
dd_smsapi_stand_in_get_last_form (DdSmsapiStandIn *self)
{
  return self->last_form;
}
