/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-gateway-smsapi"

#include "config.h"

#include "dd-gateway-smsapi.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <math.h>

struct _DdGatewaySmsapi
{
  DdHttpGateway parent_instance;

  gboolean      test_mode;
};

DD_DEFINE_HTTP_GATEWAY_WITHOUT_INIT (DdGatewaySmsapi, dd_gateway_smsapi)

/* SMSAPI takes numbers as digits with the country code, without "+". */
static const char *
api_number (const char *e164)
{
  return e164[0] == '+' ? e164 + 1 : e164;
}

/* Sends a request to sms.do for @task: a GET with @query, or a POST of @form; @read reads the
 * first entry of the answer's list. */
static void
start_request (DdHttpGateway    *gateway,
               GTask            *task,
               const char       *query,
               GBytes           *form,
               SoupMessageFlags  flags,
               DdHttpJsonFunc    read)
{
  g_autofree char *url = g_strconcat (dd_http_gateway_get_base_url (gateway), "sms.do",
                                      query ? "?" : "", query, NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", dd_http_gateway_get_secret (gateway),
                                                 NULL);
  DdHttpRequest http_request = {
    .url = url, .authorization = authorization, .form = form, .flags = flags,
  };

  dd_http_gateway_request (gateway, task, &http_request, read);
}

/* Errors */

static DdSmsGatewayError
error_for_api_code (int code)
{
  switch (code)
    {
    case 13:   /* no valid phone numbers */
    case 23:   /* a number on the blacklist */
    case 57:   /* a number on this user's blacklist */
      return DD_SMS_GATEWAY_ERROR_INVALID_NUMBER;
    case 14:   /* wrong sender name */
      return DD_SMS_GATEWAY_ERROR_BAD_SENDER;
    case 53:   /* idx already used with check_idx */
      return DD_SMS_GATEWAY_ERROR_DUPLICATE;
    case 101:  /* bad authorisation */
    case 102:  /* bad user name or password */
    case 105:  /* the IP filter refuses this address */
      return DD_SMS_GATEWAY_ERROR_AUTH;
    case 110:  /* the action is not allowed for this account */
      return DD_SMS_GATEWAY_ERROR_ACCOUNT_BLOCKED;
    case 103:  /* not enough points */
      return DD_SMS_GATEWAY_ERROR_NO_CREDIT;
    case 52:   /* too many messages to one number in a minute */
    case 202:  /* too many requests at once */
    case 203:  /* too many requests, try later */
      return DD_SMS_GATEWAY_ERROR_RATE_LIMITED;
    case 8:    /* error in the request: SMSAPI's own, temporary */
    case 200:  /* unsuccessful submission */
    case 201:  /* internal error */
    case 999:  /* internal error */
      return DD_SMS_GATEWAY_ERROR_SERVER;
    default:
      return DD_SMS_GATEWAY_ERROR_BAD_REQUEST;
    }
}

static void
set_api_error (GError     **error,
               int          code,
               const char  *api_message)
{
  DdSmsGatewayError kind = error_for_api_code (code);
  g_autofree char *text = NULL;

  switch (kind)
    {
    case DD_SMS_GATEWAY_ERROR_AUTH:
      if (code == 105)
        text = g_strdup_printf (_("SMSAPI refuses requests from this computer’s address: add it "
                                  "to the account’s IP filter (error %d)"), code);
      else
        text = g_strdup_printf (_("SMSAPI refused the token (error %d): %s"),
                                code, api_message);
      break;
    case DD_SMS_GATEWAY_ERROR_ACCOUNT_BLOCKED:
      text = g_strdup_printf (_("The SMSAPI account may not send messages (error %d): %s"),
                              code, api_message);
      break;
    case DD_SMS_GATEWAY_ERROR_NO_CREDIT:
      text = g_strdup_printf (_("The SMSAPI account has no points left (error %d)"),
                              code);
      break;
    case DD_SMS_GATEWAY_ERROR_INVALID_NUMBER:
      text = g_strdup_printf (_("SMSAPI will not send to this number (error %d): %s"),
                              code, api_message);
      break;
    case DD_SMS_GATEWAY_ERROR_BAD_SENDER:
      text = g_strdup_printf (_("The sender name is not registered with SMSAPI "
                                "(error %d): %s"), code, api_message);
      break;
    default:
      text = g_strdup_printf (_("SMSAPI error %d: %s"), code, api_message);
      break;
    }
  /* 13: no valid number at all (not a blacklist): the phone is marked invalid */
  if (code == 13)
    dd_sms_gateway_set_error_number_unusable (error, text);
  else
    /* "too many messages to one number" asks for a minute's wait */
    dd_sms_gateway_set_error_retry_after (error, kind, code == 52 ? 60 : 0, text);
}

/* Reads the HTTP status and body into a JSON object or an error. */
static JsonObject *
read_answer (SoupMessage  *message,
              GBytes       *body,
              GError      **error)
{
  guint status = soup_message_get_status (message);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;
  JsonObject *object;

  if (status == 429)
    {
      dd_sms_gateway_set_error_retry_after (error, DD_SMS_GATEWAY_ERROR_RATE_LIMITED,
                                            dd_http_gateway_retry_after (message),
                                            _("SMSAPI asks to slow down (HTTP 429)"));
      return NULL;
    }
  if (status >= 500)
    {
      g_set_error (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_SERVER,
                   _("SMSAPI is not working properly (HTTP %u)"), status);
      return NULL;
    }

  if (body != NULL &&
      json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                  (gssize) g_bytes_get_size (body), &parse_error) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      object = json_node_get_object (root);
      if (json_object_has_member (object, "error"))
        {
          JsonNode *code = json_object_get_member (object, "error");
          const char *text = json_object_get_string_member_with_default (object, "message", "");

          if (JSON_NODE_HOLDS_VALUE (code) &&
              (json_node_get_value_type (code) == G_TYPE_INT64 ||
               json_node_get_value_type (code) == G_TYPE_STRING))
            {
              gint64 number = json_node_get_value_type (code) == G_TYPE_INT64
                              ? json_node_get_int (code)
                              : g_ascii_strtoll (json_node_get_string (code), NULL, 10);

              set_api_error (error, (int) CLAMP (number, G_MININT, G_MAXINT), text);
              return NULL;
            }
        }
      else if (status == SOUP_STATUS_OK || status == SOUP_STATUS_CREATED)
        return json_object_ref (object);
    }

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    g_set_error (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_AUTH,
                 _("SMSAPI refused the token (HTTP %u)"), status);
  else if (status != SOUP_STATUS_OK)
    g_set_error (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_BAD_REQUEST,
                 _("SMSAPI refused the request (HTTP %u)"), status);
  else
    g_set_error_literal (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_MALFORMED_RESPONSE,
                         _("SMSAPI answered with something that is not its JSON"));
  return NULL;
}

/* The first entry of "list", or an error. */
static JsonObject *
first_entry (JsonObject  *answer,
             GError     **error)
{
  JsonNode *list = json_object_get_member (answer, "list");
  JsonArray *array;
  JsonNode *entry;

  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list) ||
      json_array_get_length (array = json_node_get_array (list)) == 0 ||
      !JSON_NODE_HOLDS_OBJECT (entry = json_array_get_element (array, 0)))
    {
      g_set_error_literal (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_MALFORMED_RESPONSE,
                           _("SMSAPI answered without the message it accepted"));
      return NULL;
    }
  return json_node_get_object (entry);
}

/* Both calls answer with a list of messages: its first entry, or an error. */
static JsonObject *
parse_answer (DdHttpGateway  *gateway,
              SoupMessage    *message,
              GBytes         *body,
              GError        **error)
{
  g_autoptr(JsonObject) answer = read_answer (message, body, error);
  JsonObject *entry;

  if (answer == NULL || (entry = first_entry (answer, error)) == NULL)
    return NULL;
  return json_object_ref (entry);
}

/* Members may come as numbers or strings depending on the API version. */
static char *
member_as_string (JsonObject *object,
                  const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    default:
      return NULL;
    }
}

static double
member_as_double (JsonObject *object,
                  const char *name,
                  double      fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_DOUBLE:
      return json_node_get_double (node);
    case G_TYPE_INT64:
      return (double) json_node_get_int (node);
    case G_TYPE_STRING:
      return g_ascii_strtod (json_node_get_string (node), NULL);
    default:
      return fallback;
    }
}

/* Sending */

static void
read_send (DdHttpGateway *gateway,
           GTask         *task,
           JsonObject    *entry)
{
  g_autofree char *id = NULL;
  double points, parts;

  id = member_as_string (entry, "id");
  if (id == NULL || *id == '\0')
    {
      g_task_return_new_error (task, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_MALFORMED_RESPONSE,
                               _("SMSAPI accepted the message without giving its id"));
      return;
    }
  points = member_as_double (entry, "points", -1);
  parts = member_as_double (entry, "parts", 0);
  dd_http_gateway_return_sent (task, dd_sms_send_result_new (id, (guint) MAX (0, parts),
                                                             points >= 0
                                                             ? (gint64) llround (points * 100) : -1,
                                                             points >= 0 ? "PLN" : NULL));
}

static void
send (DdHttpGateway *gateway,
      GTask         *task,
      const DdSmsRequest *request)
{
  g_autoptr(GString) form = g_string_new (NULL);
  g_autoptr(GBytes) form_bytes = NULL;
  const char *sender = dd_http_gateway_sender_for (gateway, request);

  g_string_append (form, "to=");
  g_string_append_uri_escaped (form, api_number (request->to), NULL, FALSE);
  g_string_append (form, "&message=");
  g_string_append_uri_escaped (form, request->text, NULL, TRUE);
  if (sender != NULL && *sender != '\0')
    {
      g_string_append (form, "&from=");
      g_string_append_uri_escaped (form, sender, NULL, TRUE);
    }
  g_string_append (form, "&encoding=utf-8&format=json");
  if (request->idempotency_key != NULL)
    {
      g_string_append (form, "&check_idx=1&idx=");
      g_string_append_uri_escaped (form, request->idempotency_key, NULL, FALSE);
    }
  if (request->status_url != NULL)
    {
      g_string_append (form, "&notify_url=");
      g_string_append_uri_escaped (form, request->status_url, NULL, FALSE);
    }
  if (DD_GATEWAY_SMSAPI (gateway)->test_mode)
    g_string_append (form, "&test=1");
  form_bytes = g_string_free_to_bytes (g_steal_pointer (&form));

  /* With idx and check_idx a repeated POST is refused, so it is idempotent: libsoup may then
   * reuse a kept-alive connection for it (it opens a new one for each non-idempotent POST). */
  start_request (gateway, task, NULL, form_bytes,
                 request->idempotency_key != NULL ? SOUP_MESSAGE_IDEMPOTENT : 0, read_send);
}

/* Delivery reports */

DdSmsState
dd_gateway_smsapi_parse_state (const char *status)
{
  static const DdSmsStateWord words[] = {
    { "QUEUE", DD_SMS_STATE_QUEUED },
    { "ACCEPTED", DD_SMS_STATE_QUEUED },
    { "SCHEDULED", DD_SMS_STATE_QUEUED },
    { "RENEWAL", DD_SMS_STATE_QUEUED },
    { "SENT", DD_SMS_STATE_SENT },
    { "DELIVERED", DD_SMS_STATE_DELIVERED },
    { "UNDELIVERED", DD_SMS_STATE_FAILED },
    { "FAILED", DD_SMS_STATE_FAILED },
    { "REJECTED", DD_SMS_STATE_FAILED },
    { "STOP", DD_SMS_STATE_FAILED },
    { "EXPIRED", DD_SMS_STATE_EXPIRED },
  };

  return dd_sms_state_from_word (words, G_N_ELEMENTS (words), status);
}

/* When the message was delivered (or failed): done_date, in Unix seconds, as ISO 8601 UTC;
 * NULL while it is not done. */
static char *
done_at (JsonObject *entry)
{
  g_autofree char *done = member_as_string (entry, "done_date");
  gint64 seconds = done != NULL ? g_ascii_strtoll (done, NULL, 10) : 0;
  g_autoptr(GDateTime) when = seconds > 0 ? g_date_time_new_from_unix_utc (seconds) : NULL;

  return when != NULL ? g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

static void
read_status (DdHttpGateway *gateway,
             GTask         *task,
             JsonObject    *entry)
{
  g_autofree char *status_word = member_as_string (entry, "status");
  g_autofree char *at = done_at (entry);
  DdSmsState state = dd_gateway_smsapi_parse_state (status_word);
  gboolean failed = state == DD_SMS_STATE_FAILED || state == DD_SMS_STATE_EXPIRED;

  dd_http_gateway_return_status (task, dd_sms_status_new (state, at, failed ? status_word : NULL));
}

static void
query_status (DdHttpGateway *gateway,
              GTask         *task,
              const char    *provider_id)
{
  g_autofree char *escaped = g_uri_escape_string (provider_id, NULL, FALSE);
  g_autofree char *query = g_strdup_printf ("status=%s&format=json", escaped);

  start_request (gateway, task, query, NULL, 0, read_status);
}

static void
dd_gateway_smsapi_class_init (DdGatewaySmsapiClass *klass)
{
  DdHttpGatewayClass *http_class = DD_HTTP_GATEWAY_CLASS (klass);

  dd_http_gateway_class_set_provider (http_class, "smsapi", N_("SMSAPI"),
                                      DD_GATEWAY_SMSAPI_DEFAULT_URL);
  http_class->default_rate = 50;
  http_class->refuses_duplicates = TRUE;
  http_class->parse_answer = parse_answer;
  http_class->bad_address = N_("The SMSAPI address “%s” is not valid");
  http_class->send = send;
  http_class->query_status = query_status;
}

DdGatewaySmsapi *
dd_gateway_smsapi_new (const char *base_url,
                       const char *token)
{
  g_return_val_if_fail (token != NULL, NULL);

  return g_object_new (DD_TYPE_GATEWAY_SMSAPI, "base-url", base_url, "secret", token, NULL);
}

void
dd_gateway_smsapi_set_test_mode (DdGatewaySmsapi *self,
                                 gboolean         test_mode)
{
  g_return_if_fail (DD_IS_GATEWAY_SMSAPI (self));

  self->test_mode = test_mode;
}
