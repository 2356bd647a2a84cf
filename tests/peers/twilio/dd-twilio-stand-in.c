/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "dd-twilio-stand-in.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

#include "dd-campaign-messages.h"

typedef struct
{
  char *sid;
  char *from;
  char *to;
  char *body;
  char *status;
  char *direction;
  char *date;
} Message;

struct _DdTwilioStandIn
{
  SoupServer *server;
  char       *url;
  char       *account_sid;
  char       *auth_token;
  char       *own_number;
  GQueue      faults;
  GPtrArray  *accepted;     /* DdTwilioAccepted */
  GPtrArray  *messages;     /* Message, outbound and inbound */
  GPtrArray  *stalled;
  GHashTable *stopped;
  GHashTable *landlines;
  char       *last_query;
  guint       next_id;
};

static void
message_free (Message *m)
{
  g_free (m->sid);
  g_free (m->from);
  g_free (m->to);
  g_free (m->body);
  g_free (m->status);
  g_free (m->direction);
  g_free (m->date);
  g_free (m);
}

static void
accepted_free (DdTwilioAccepted *a)
{
  g_free (a->sid);
  g_free (a->to);
  g_free (a->from);
  g_free (a->body);
  g_free (a->status_callback);
  g_free (a);
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text,
                                    strlen (text));
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               int                code,
               const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *more = g_strdup_printf ("https://www.twilio.com/docs/errors/%d", code);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_int_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "more_info");
  json_builder_add_string_value (b, more);
  json_builder_set_member_name (b, "status");
  json_builder_add_int_value (b, status);
  json_builder_end_object (b);
  respond_json (msg, status, b);
}

static void
add_message (JsonBuilder *b,
             const char  *account_sid,
             Message     *m)
{
  DdSmsMeasure measure = { 0 };
  g_autofree char *segments = NULL;

  dd_campaign_messages_measure_text (m->body, &measure);
  segments = g_strdup_printf ("%u", measure.segments);
  dd_sms_measure_clear (&measure);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "account_sid");
  json_builder_add_string_value (b, account_sid);
  json_builder_set_member_name (b, "api_version");
  json_builder_add_string_value (b, "2010-04-01");
  json_builder_set_member_name (b, "body");
  json_builder_add_string_value (b, m->body);
  json_builder_set_member_name (b, "date_created");
  json_builder_add_string_value (b, m->date);
  json_builder_set_member_name (b, "date_sent");
  json_builder_add_string_value (b, m->date);
  json_builder_set_member_name (b, "date_updated");
  json_builder_add_string_value (b, m->date);
  json_builder_set_member_name (b, "direction");
  json_builder_add_string_value (b, m->direction);
  json_builder_set_member_name (b, "error_code");
  if (g_str_equal (m->status, "undelivered"))
    json_builder_add_int_value (b, 30003);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "from");
  json_builder_add_string_value (b, m->from);
  json_builder_set_member_name (b, "num_segments");
  json_builder_add_string_value (b, segments);
  json_builder_set_member_name (b, "price");
  if (g_str_equal (m->direction, "inbound") || g_str_equal (m->status, "queued"))
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, "-0.07900");
  json_builder_set_member_name (b, "price_unit");
  json_builder_add_string_value (b, "USD");
  json_builder_set_member_name (b, "sid");
  json_builder_add_string_value (b, m->sid);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, m->status);
  json_builder_set_member_name (b, "to");
  json_builder_add_string_value (b, m->to);
  json_builder_end_object (b);
}

static gboolean
is_e164 (const char *text)
{
  gsize n;

  if (text == NULL || text[0] != '+' || text[1] < '1' || text[1] > '9')
    return FALSE;
  n = strlen (text + 1);
  if (n < 2 || n > 15)
    return FALSE;
  for (const char *p = text + 1; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static char *
now_rfc2822 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%a, %d %b %Y %H:%M:%S +0000");
}

static void
handle_create (DdTwilioStandIn   *self,
               SoupServerMessage *msg)
{
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  const char *type = soup_message_headers_get_content_type (
    soup_server_message_get_request_headers (msg), NULL);
  g_autoptr(GHashTable) form = NULL;
  const char *to, *from, *service, *body;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  DdTwilioAccepted *accepted;
  Message *m;

  if (g_strcmp0 (type, "application/x-www-form-urlencoded") != 0)
    {
      respond_error (msg, 400, 20001, "Invalid content type");
      return;
    }
  form = soup_form_decode (request->data != NULL ? request->data : "");
  to = g_hash_table_lookup (form, "To");
  from = g_hash_table_lookup (form, "From");
  service = g_hash_table_lookup (form, "MessagingServiceSid");
  body = g_hash_table_lookup (form, "Body");
  if (to == NULL || *to == '\0')
    {
      respond_error (msg, 400, 21604, "A 'To' phone number is required.");
      return;
    }
  if (!is_e164 (to))
    {
      g_autofree char *text = g_strdup_printf ("The 'To' number %s is not a valid phone number.",
                                               to);

      respond_error (msg, 400, 21211, text);
      return;
    }
  if ((from == NULL || *from == '\0') && (service == NULL || *service == '\0'))
    {
      respond_error (msg, 400, 21603, "A 'From' phone number is required.");
      return;
    }
  if (service == NULL && g_strcmp0 (from, self->own_number) != 0)
    {
      g_autofree char *text = g_strdup_printf ("The From phone number %s is not a valid, "
                                               "SMS-capable inbound phone number or short code "
                                               "for your account.", from);

      respond_error (msg, 400, 21606, text);
      return;
    }
  if (service != NULL && (strlen (service) != 34 || !g_str_has_prefix (service, "MG")))
    {
      respond_error (msg, 400, 21701, "The Messaging Service Sid is invalid.");
      return;
    }
  if (body == NULL || *body == '\0')
    {
      respond_error (msg, 400, 21602, "Message body is required.");
      return;
    }
  if (g_utf8_strlen (body, -1) > 1600)
    {
      respond_error (msg, 400, 21617, "The concatenated message body exceeds the 1600 character limit.");
      return;
    }
  if (g_hash_table_contains (self->stopped, to))
    {
      respond_error (msg, 400, 21610, "Attempt to send to unsubscribed recipient");
      return;
    }

  m = g_new0 (Message, 1);
  m->sid = g_strdup_printf ("SM%032x", ++self->next_id);
  m->from = g_strdup (service != NULL ? self->own_number : from);
  m->to = g_strdup (to);
  m->body = g_strdup (body);
  m->status = g_strdup ("queued");
  m->direction = g_strdup ("outbound-api");
  m->date = now_rfc2822 ();
  g_ptr_array_add (self->messages, m);
  accepted = g_new0 (DdTwilioAccepted, 1);
  accepted->sid = g_strdup (m->sid);
  accepted->to = g_strdup (to);
  accepted->from = g_strdup (from != NULL ? from : service);
  accepted->body = g_strdup (body);
  accepted->status_callback = g_strdup (g_hash_table_lookup (form, "StatusCallback"));
  g_ptr_array_add (self->accepted, accepted);
  add_message (b, self->account_sid, m);
  respond_json (msg, SOUP_STATUS_CREATED, b);
}

static Message *
find_message (DdTwilioStandIn *self,
              const char      *sid)
{
  for (guint i = 0; i < self->messages->len; i++)
    {
      Message *m = g_ptr_array_index (self->messages, i);

      if (g_str_equal (m->sid, sid))
        return m;
    }
  return NULL;
}

static void
handle_list (DdTwilioStandIn   *self,
             SoupServerMessage *msg,
             GHashTable        *query)
{
  const char *to = query != NULL ? g_hash_table_lookup (query, "To") : NULL;
  const char *after = query != NULL ? g_hash_table_lookup (query, "DateSent>") : NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "messages");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->messages->len; i++)
    {
      Message *m = g_ptr_array_index (self->messages, i);

      if (to != NULL && g_strcmp0 (m->to, to) != 0)
        continue;
      if (after != NULL)
        {
          /* DateSent>=YYYY-MM-DD: compare the day of the RFC 2822 date */
          g_autoptr(GDateTime) day = NULL;
          g_autofree char *iso = g_strconcat (after, "T00:00:00Z", NULL);
          int d, y;
          char mon[4] = { 0 };
          static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
          const char *found;
          g_autofree char *mine = NULL;

          day = g_date_time_new_from_iso8601 (iso, NULL);
          if (day == NULL)
            {
              respond_error (msg, 400, 20001, "Invalid DateSent");
              return;
            }
          if (sscanf (m->date, "%*3s, %d %3s %d", &d, mon, &y) == 3 &&
              (found = strstr (months, mon)) != NULL)
            {
              mine = g_strdup_printf ("%04d-%02d-%02d", y, (int) (found - months) / 3 + 1, d);
              if (strcmp (mine, after) < 0)
                continue;
            }
        }
      add_message (b, self->account_sid, m);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "page");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "page_size");
  json_builder_add_int_value (b, 100);
  json_builder_set_member_name (b, "next_page_uri");
  json_builder_add_null_value (b);
  json_builder_end_object (b);
  respond_json (msg, SOUP_STATUS_OK, b);
}

static void
handle_lookup (DdTwilioStandIn   *self,
               SoupServerMessage *msg,
               const char        *number,
               GHashTable        *query)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gboolean valid = is_e164 (number) && strlen (number) >= 10;
  const char *fields = query != NULL ? g_hash_table_lookup (query, "Fields") : NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "phone_number");
  json_builder_add_string_value (b, number);
  json_builder_set_member_name (b, "valid");
  json_builder_add_boolean_value (b, valid);
  json_builder_set_member_name (b, "validation_errors");
  json_builder_begin_array (b);
  if (!valid)
    json_builder_add_string_value (b, "TOO_SHORT");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "country_code");
  if (valid && g_str_has_prefix (number, "+48"))
    json_builder_add_string_value (b, "PL");
  else if (valid && g_str_has_prefix (number, "+7"))
    json_builder_add_string_value (b, "RU");
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "line_type_intelligence");
  if (valid && fields != NULL && strstr (fields, "line_type_intelligence") != NULL)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, g_hash_table_contains (self->landlines, number)
                                        ? "landline" : "mobile");
      json_builder_set_member_name (b, "carrier_name");
      json_builder_add_string_value (b, "Stand-in Mobile");
      json_builder_set_member_name (b, "error_code");
      json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  respond_json (msg, SOUP_STATUS_OK, b);
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  DdTwilioStandIn *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *authorization;
  g_autofree char *pair = g_strconcat (self->account_sid, ":", self->auth_token, NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  g_autofree char *expected = g_strconcat ("Basic ", encoded, NULL);
  g_autofree char *prefix = g_strconcat ("/2010-04-01/Accounts/", self->account_sid, "/", NULL);
  g_autofree char *fault = g_queue_pop_head (&self->faults);
  GUri *uri = soup_server_message_get_uri (msg);

  g_free (self->last_query);
  self->last_query = g_strdup (g_uri_get_query (uri));

  if (fault != NULL && g_str_has_prefix (fault, "redirect:"))
    {
      g_auto(GStrv) parts = g_strsplit (fault, ":", 3);

      soup_server_message_set_status (msg, (guint) g_ascii_strtoull (parts[1], NULL, 10), NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                    parts[2]);
      return;
    }
  if (fault != NULL && !g_str_has_prefix (fault, "accept-"))
    {
      if (g_str_equal (fault, "stall"))
        {
          soup_server_message_pause (msg);
          g_ptr_array_add (self->stalled, g_object_ref (msg));
          return;
        }
      if (g_str_equal (fault, "garbage"))
        {
          soup_server_message_set_status (msg, 201, NULL);
          soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                            "{\"sid\":", 7);
          return;
        }
      if (g_str_has_prefix (fault, "error:"))
        {
          g_auto(GStrv) parts = g_strsplit (fault, ":", 3);

          respond_error (msg, (guint) g_ascii_strtoull (parts[1], NULL, 10),
                         (int) g_ascii_strtoll (parts[2] != NULL ? parts[2] : "0", NULL, 10),
                         "Fault asked for by the test");
          return;
        }
      if (g_str_has_prefix (fault, "http:"))
        {
          g_auto(GStrv) parts = g_strsplit (fault, ":", 3);
          guint status = (guint) g_ascii_strtoull (parts[1], NULL, 10);

          if (parts[2] != NULL)
            soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                          "Retry-After", parts[2]);
          if (status == 429)
            respond_error (msg, 429, 20429, "Too Many Requests");
          else
            {
              soup_server_message_set_status (msg, status, NULL);
              soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                                "<html></html>", 13);
            }
          return;
        }
    }

  authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                "Authorization");
  if (g_strcmp0 (authorization, expected) != 0)
    {
      respond_error (msg, 401, 20003, "Authenticate");
      return;
    }
  if (g_str_has_prefix (path, "/v2/PhoneNumbers/") && g_str_equal (method, "GET"))
    {
      handle_lookup (self, msg, path + strlen ("/v2/PhoneNumbers/"), query);
      return;
    }
  if (!g_str_has_prefix (path, prefix))
    {
      respond_error (msg, 404, 20404, "The requested resource was not found");
      return;
    }
  path += strlen (prefix);
  if (g_str_equal (path, "Messages.json") && g_str_equal (method, "POST"))
    {
      handle_create (self, msg);
      /* the message is taken, then its answer is lost */
      if (g_strcmp0 (fault, "accept-stall") == 0)
        {
          soup_server_message_pause (msg);
          g_ptr_array_add (self->stalled, g_object_ref (msg));
        }
      else if (g_strcmp0 (fault, "accept-reset") == 0)
        {
          g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

          g_io_stream_close (stream, NULL, NULL);
        }
      else if (g_strcmp0 (fault, "accept-garbage") == 0)
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                          "{\"sid\": \"SM", 11);
      else if (g_strcmp0 (fault, "accept-200-html") == 0)
        {
          soup_server_message_set_status (msg, 200, NULL);
          soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                            "<html>OK</html>", 15);
        }
    }
  else if (g_str_equal (path, "Messages.json") && g_str_equal (method, "GET"))
    handle_list (self, msg, query);
  else if (g_str_has_prefix (path, "Messages/") && g_str_has_suffix (path, ".json") &&
           g_str_equal (method, "GET"))
    {
      g_autofree char *sid = g_strndup (path + 9, strlen (path) - 9 - 5);
      Message *m = find_message (self, sid);
      g_autoptr(JsonBuilder) b = json_builder_new ();

      if (m == NULL)
        {
          respond_error (msg, 404, 20404, "The requested resource was not found");
          return;
        }
      add_message (b, self->account_sid, m);
      respond_json (msg, SOUP_STATUS_OK, b);
    }
  else
    respond_error (msg, 405, 20004, "Method not allowed");
}

DdTwilioStandIn *
dd_twilio_stand_in_new (const char  *account_sid,
                        const char  *auth_token,
                        const char  *own_number,
                        GError     **error)
{
  DdTwilioStandIn *self = g_new0 (DdTwilioStandIn, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  GSList *uris;

  self->account_sid = g_strdup (account_sid);
  self->auth_token = g_strdup (auth_token);
  self->own_number = g_strdup (own_number);
  g_queue_init (&self->faults);
  self->accepted = g_ptr_array_new_with_free_func ((GDestroyNotify) accepted_free);
  self->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) message_free);
  self->stalled = g_ptr_array_new_with_free_func (g_object_unref);
  self->stopped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->landlines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->server = soup_server_new ("server-header", "twilio-stand-in", NULL);
  soup_server_add_handler (self->server, NULL, handle, self, NULL);
  if (!soup_server_listen (self->server, address, 0, error))
    {
      dd_twilio_stand_in_free (self);
      return NULL;
    }
  uris = soup_server_get_uris (self->server);
  self->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return self;
}

void
dd_twilio_stand_in_free (DdTwilioStandIn *self)
{
  if (self == NULL)
    return;
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_queue_clear_full (&self->faults, g_free);
  g_ptr_array_unref (self->stalled);
  g_ptr_array_unref (self->accepted);
  g_ptr_array_unref (self->messages);
  g_hash_table_unref (self->stopped);
  g_hash_table_unref (self->landlines);
  g_free (self->last_query);
  g_free (self->account_sid);
  g_free (self->auth_token);
  g_free (self->own_number);
  g_free (self->url);
  g_free (self);
}

const char *
dd_twilio_stand_in_get_url (DdTwilioStandIn *self)
{
  return self->url;
}

void
dd_twilio_stand_in_push_fault (DdTwilioStandIn *self,
                               const char      *fault)
{
  g_queue_push_tail (&self->faults, g_strdup (fault));
}

void
dd_twilio_stand_in_add_stopped (DdTwilioStandIn *self,
                                const char      *e164)
{
  g_hash_table_add (self->stopped, g_strdup (e164));
}

void
dd_twilio_stand_in_add_landline (DdTwilioStandIn *self,
                                 const char      *e164)
{
  g_hash_table_add (self->landlines, g_strdup (e164));
}

void
dd_twilio_stand_in_add_inbound (DdTwilioStandIn *self,
                                const char      *from,
                                const char      *body,
                                const char      *date_sent)
{
  Message *m = g_new0 (Message, 1);

  m->sid = g_strdup_printf ("SM%032x", ++self->next_id);
  m->from = g_strdup (from);
  m->to = g_strdup (self->own_number);
  m->body = g_strdup (body);
  m->status = g_strdup ("received");
  m->direction = g_strdup ("inbound");
  m->date = g_strdup (date_sent);
  g_ptr_array_add (self->messages, m);
}

GPtrArray *
dd_twilio_stand_in_get_accepted (DdTwilioStandIn *self)
{
  return self->accepted;
}

void
dd_twilio_stand_in_deliver (DdTwilioStandIn *self,
                            const char      *sid,
                            const char      *status)
{
  Message *m = find_message (self, sid);

  if (m != NULL)
    {
      g_free (m->status);
      m->status = g_strdup (status);
    }
}

const char *
dd_twilio_stand_in_get_last_query (DdTwilioStandIn *self)
{
  return self->last_query;
}
