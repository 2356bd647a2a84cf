/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-gateway-twilio"

#include "config.h"

#include "dd-gateway-twilio.h"
#include "dd-json.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

struct _DdGatewayTwilio
{
  DdHttpGateway parent_instance;
};

DD_DEFINE_HTTP_GATEWAY_WITHOUT_INIT (DdGatewayTwilio, dd_gateway_twilio)

static char *
account_url (DdHttpGateway *gateway,
             const char    *rest)
{
  g_autofree char *sid = g_uri_escape_string (dd_http_gateway_get_account (gateway), NULL, FALSE);

  return g_strconcat (dd_http_gateway_get_base_url (gateway), "2010-04-01/Accounts/", sid, "/",
                      rest, NULL);
}

/* Errors */

static DdSmsGatewayError
error_for_code (gint64 code,
                guint  status)
{
  switch (code)
    {
    case 20003:   /* authenticate */
      return DD_SMS_GATEWAY_ERROR_AUTH;
    case 20005:   /* account not active (suspended or closed) */
    case 30002:   /* account suspended */
      return DD_SMS_GATEWAY_ERROR_ACCOUNT_BLOCKED;
    case 20429:   /* too many requests */
    case 14107:   /* message rate exceeded */
      return DD_SMS_GATEWAY_ERROR_RATE_LIMITED;
    case 21610:   /* the recipient replied STOP */
      return DD_SMS_GATEWAY_ERROR_OPTED_OUT;
    case 21211:   /* invalid 'To' */
    case 21214:   /* 'To' cannot be reached */
    case 21408:   /* region not enabled */
    case 21612:   /* cannot route to this number */
    case 21614:   /* 'To' is not a mobile number */
      return DD_SMS_GATEWAY_ERROR_INVALID_NUMBER;
    case 21212:   /* invalid 'From' */
    case 21603:   /* 'From' is missing */
    case 21606:   /* 'From' is not a number of this account */
    case 21659:   /* 'From' is not a Twilio number */
      return DD_SMS_GATEWAY_ERROR_BAD_SENDER;
    default:
      break;
    }
  if (status == 401 || status == 403)
    return DD_SMS_GATEWAY_ERROR_AUTH;
  if (status == 429)
    return DD_SMS_GATEWAY_ERROR_RATE_LIMITED;
  if (status >= 500)
    return DD_SMS_GATEWAY_ERROR_SERVER;
  return DD_SMS_GATEWAY_ERROR_BAD_REQUEST;
}

/* The answer as a JSON object when its status is the one expected (201 Created for the POST
 * that sends, 200 for the rest), or an error. */
static JsonObject *
parse_answer (DdHttpGateway  *gateway,
              SoupMessage    *message,
              GBytes         *body,
              GError        **error)
{
  guint status = soup_message_get_status (message);
  guint expected = g_str_equal (soup_message_get_method (message), SOUP_METHOD_POST)
                   ? SOUP_STATUS_CREATED : SOUP_STATUS_OK;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = NULL;
  JsonNode *root;

  if (body != NULL &&
      json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                  (gssize) g_bytes_get_size (body), NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    object = json_node_get_object (root);

  if (status == expected && object != NULL)
    return json_object_ref (object);

  /* 201 Created to the POST that sends: Twilio has the message, even if the answer came cut
   * off (its SID is then unknown); any other 2xx to it is no answer Twilio gives: it may have
   * been sent. Either way, sending it again could reach the debtor twice. */
  if (expected == SOUP_STATUS_CREATED && status == expected)
    return json_object_new ();
  if (expected == SOUP_STATUS_CREATED && status >= 200 && status < 300)
    {
      g_set_error (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_OUTCOME_UNKNOWN,
                   _("Twilio answered HTTP %u with something that is not its JSON; the message "
                     "may have been sent, so it was not sent again"), status);
      return NULL;
    }
  if (status == expected || (status >= 200 && status < 300))
    {
      g_set_error_literal (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_MALFORMED_RESPONSE,
                           _("Twilio answered with something that is not its JSON"));
      return NULL;
    }
  {
    gint64 code = object != NULL ? json_object_get_int_member_with_default (object, "code", 0) : 0;
    const char *text = object != NULL
                       ? json_object_get_string_member_with_default (object, "message", "") : "";
    DdSmsGatewayError kind = error_for_code (code, status);
    g_autofree char *message_text = NULL;

    if (kind == DD_SMS_GATEWAY_ERROR_AUTH)
      message_text = g_strdup_printf (_("Twilio refused the account SID or auth token (HTTP %u, "
                                        "error %d)"), status, (int) code);
    else if (kind == DD_SMS_GATEWAY_ERROR_ACCOUNT_BLOCKED)
      message_text = g_strdup_printf (_("The Twilio account is suspended or closed (error %d)"),
                                      (int) code);
    else if (kind == DD_SMS_GATEWAY_ERROR_BAD_SENDER)
      /* Translators: Twilio's error code and its own message */
      message_text = g_strdup_printf (_("Twilio will not send from this number or sender name "
                                        "(error %d): %s"), (int) code,
                                      *text != '\0' ? text : _("no details"));
    else if (kind == DD_SMS_GATEWAY_ERROR_OPTED_OUT)
      message_text = g_strdup_printf (_("The recipient asked Twilio to stop messages (replied "
                                        "STOP, error %d); the debtor is marked as not to be "
                                        "contacted by SMS"), (int) code);
    else if (status >= 500 && code == 0)
      message_text = g_strdup_printf (_("Twilio is not working properly (HTTP %u)"), status);
    else
      /* Translators: Twilio's error code and its own message */
      message_text = g_strdup_printf (_("Twilio error %d: %s"), (int) code,
                                      *text != '\0' ? text : _("no details"));
    /* not a number, or not a mobile one: the phone is marked invalid */
    if (code == 21211 || code == 21614)
      dd_sms_gateway_set_error_number_unusable (error, message_text);
    else
      dd_sms_gateway_set_error_retry_after (error, kind, dd_http_gateway_retry_after (message),
                                            message_text);
    return NULL;
  }
}

/* "Thu, 24 Aug 2023 05:01:45 +0000" → UTC ISO 8601 */
static char *
rfc2822_to_iso (const char *text)
{
  static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  char month[4] = { 0 };
  int day, year, hour, minute, second;
  char zone[8] = { 0 };
  const char *found;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) utc = NULL;

  if (text == NULL ||
      sscanf (text, "%*3s, %d %3s %d %d:%d:%d %7s", &day, month, &year, &hour, &minute,
              &second, zone) != 7 ||
      (found = strstr (months, month)) == NULL || strlen (month) != 3)
    return NULL;
  tz = g_time_zone_new_identifier (zone);
  if (tz == NULL)
    return NULL;
  when = g_date_time_new (tz, year, (int) (found - months) / 3 + 1, day, hour, minute, second);
  if (when == NULL)
    return NULL;
  utc = g_date_time_to_utc (when);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* Sending */

/* Sends for @task a GET of @url, or a POST of @form to it; @read reads the answer. */
static void
start_request (DdHttpGateway  *gateway,
               GTask          *task,
               const char     *url,
               GBytes         *form,
               const char     *shown_url,
               DdHttpJsonFunc  read)
{
  g_autofree char *pair = g_strconcat (dd_http_gateway_get_account (gateway), ":",
                                       dd_http_gateway_get_secret (gateway), NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  g_autofree char *authorization = g_strconcat ("Basic ", encoded, NULL);
  DdHttpRequest request = {
    .url = url, .authorization = authorization, .form = form, .shown_url = shown_url,
  };

  memset (pair, 0, strlen (pair));
  dd_http_gateway_request (gateway, task, &request, read);
}

static void
read_send (DdHttpGateway *gateway,
           GTask         *task,
           JsonObject    *answer)
{
  const char *sid, *segments, *price, *unit;
  guint n_segments;
  gint64 cost = -1;

  sid = dd_json_get_string (answer, "sid");
  if (sid == NULL || *sid == '\0')
    {
      /* 201 Created: Twilio has it (sending it again would send it twice), under a SID its cut
       * off answer did not give */
      g_debug ("Twilio created a message without saying its SID");
      dd_http_gateway_return_sent (task, dd_sms_send_result_new (NULL, 0, -1, NULL));
      return;
    }
  segments = dd_json_get_string (answer, "num_segments");
  price = dd_json_get_string (answer, "price");
  unit = dd_json_get_string (answer, "price_unit");
  if (price != NULL)
    cost = llround (fabs (g_ascii_strtod (price, NULL)) * 100);
  n_segments = segments != NULL ? (guint) g_ascii_strtoull (segments, NULL, 10) : 0;
  dd_http_gateway_return_sent (task, dd_sms_send_result_new (sid, n_segments, cost,
                                                             price != NULL ? unit : NULL));
}

static void
send (DdHttpGateway *gateway,
      GTask         *task,
      const DdSmsRequest *request)
{
  g_autoptr(GString) form = g_string_new ("To=");
  g_autoptr(GBytes) form_bytes = NULL;
  g_autofree char *url = account_url (gateway, "Messages.json");
  const char *sender = dd_http_gateway_sender_for (gateway, request);

  g_string_append_uri_escaped (form, request->to, NULL, FALSE);
  if (sender != NULL && g_str_has_prefix (sender, "MG"))
    g_string_append (form, "&MessagingServiceSid=");
  else
    g_string_append (form, "&From=");
  g_string_append_uri_escaped (form, sender != NULL ? sender : "", NULL, FALSE);
  g_string_append (form, "&Body=");
  g_string_append_uri_escaped (form, request->text, NULL, TRUE);
  if (request->status_url != NULL)
    {
      g_string_append (form, "&StatusCallback=");
      g_string_append_uri_escaped (form, request->status_url, NULL, FALSE);
    }
  form_bytes = g_string_free_to_bytes (g_steal_pointer (&form));
  start_request (gateway, task, url, form_bytes, NULL, read_send);
}

/* Delivery reports */

DdSmsState
dd_gateway_twilio_parse_state (const char *status)
{
  static const DdSmsStateWord words[] = {
    { "accepted", DD_SMS_STATE_QUEUED },
    { "scheduled", DD_SMS_STATE_QUEUED },
    { "queued", DD_SMS_STATE_QUEUED },
    { "sending", DD_SMS_STATE_QUEUED },
    { "sent", DD_SMS_STATE_SENT },
    { "delivered", DD_SMS_STATE_DELIVERED },
    { "read", DD_SMS_STATE_DELIVERED },
    { "undelivered", DD_SMS_STATE_FAILED },
    { "failed", DD_SMS_STATE_FAILED },
    { "canceled", DD_SMS_STATE_FAILED },
  };

  return dd_sms_state_from_word (words, G_N_ELEMENTS (words), status);
}

static void
read_status (DdHttpGateway *gateway,
             GTask         *task,
             JsonObject    *answer)
{
  g_autofree char *at = NULL;
  g_autofree char *code = NULL;
  DdSmsState state;
  JsonNode *error_node;

  state = dd_gateway_twilio_parse_state (dd_json_get_string (answer, "status"));
  at = rfc2822_to_iso (dd_json_get_string (answer, "date_updated"));
  error_node = json_object_get_member (answer, "error_code");
  if (error_node != NULL && JSON_NODE_HOLDS_VALUE (error_node))
    code = json_node_get_value_type (error_node) == G_TYPE_INT64
           ? g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (error_node))
           : g_strdup (json_node_get_string (error_node));
  dd_http_gateway_return_status (task, dd_sms_status_new (state, at, code));
}

static void
query_status (DdHttpGateway *gateway,
              GTask         *task,
              const char    *provider_id)
{
  g_autofree char *sid = g_uri_escape_string (provider_id, NULL, FALSE);
  g_autofree char *rest = g_strconcat ("Messages/", sid, ".json", NULL);
  g_autofree char *url = account_url (gateway, rest);

  start_request (gateway, task, url, NULL, NULL, read_status);
}

/* Replies */

static void
read_replies (DdHttpGateway *gateway,
              GTask         *task,
              JsonObject    *answer)
{
  const char *since = g_task_get_task_data (task);
  g_autoptr(GPtrArray) replies = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_sms_reply_free);
  JsonNode *list;

  list = json_object_get_member (answer, "messages");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_task_return_new_error (task, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_MALFORMED_RESPONSE,
                               _("Twilio answered without the list of messages"));
      return;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (list), i);
      JsonObject *inbound;
      g_autofree char *at = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      inbound = json_node_get_object (node);
      if (g_strcmp0 (dd_json_get_string (inbound, "direction"), "inbound") != 0)
        continue;
      at = rfc2822_to_iso (dd_json_get_string (inbound, "date_sent"));
      if (at == NULL || (since != NULL && strcmp (at, since) < 0))
        continue;
      g_ptr_array_add (replies, dd_sms_reply_new (dd_json_get_string (inbound, "sid"),
                                                  dd_json_get_string (inbound, "from"),
                                                  dd_json_get_string (inbound, "body"), at));
    }
  dd_http_gateway_return_replies (task, g_steal_pointer (&replies));
}

static void
fetch_replies (DdHttpGateway *gateway,
               GTask         *task,
               const char    *since)
{
  g_autoptr(GString) rest = g_string_new ("Messages.json?PageSize=100");
  g_autofree char *url = NULL;
  const char *sender;

  sender = dd_http_gateway_get_sender (gateway);
  if (sender == NULL || g_str_has_prefix (sender, "MG"))
    {
      /* replies to a Messaging Service arrive at its numbers: not listed by one "To" */
      g_task_return_new_error (task, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_NOT_SUPPORTED,
                               _("Replies are fetched for a sender number only"));
      return;
    }
  g_string_append (rest, "&To=");
  g_string_append_uri_escaped (rest, sender, NULL, FALSE);
  if (since != NULL && strlen (since) >= 10)
    {
      g_autofree char *day = g_strndup (since, 10);

      /* whole days only: the exact moment is filtered here */
      g_string_append_printf (rest, "&DateSent%%3E=%s", day);
    }
  url = account_url (gateway, rest->str);
  g_task_set_task_data (task, g_strdup (since), g_free);
  start_request (gateway, task, url, NULL, NULL, read_replies);
}

/* Lookup */

static void
read_lookup (DdHttpGateway *gateway,
             GTask         *task,
             JsonObject    *answer)
{
  DdNumberCheck *check;
  JsonNode *valid, *line;

  valid = json_object_get_member (answer, "valid");
  if (valid == NULL || !JSON_NODE_HOLDS_VALUE (valid) ||
      json_node_get_value_type (valid) != G_TYPE_BOOLEAN)
    {
      g_task_return_new_error (task, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_MALFORMED_RESPONSE,
                               _("Twilio Lookup answered without saying whether the number "
                                 "is valid"));
      return;
    }
  check = dd_number_check_new (json_node_get_boolean (valid) ? "valid" : "invalid", NULL, NULL);
  line = json_object_get_member (answer, "line_type_intelligence");
  if (line != NULL && JSON_NODE_HOLDS_OBJECT (line))
    {
      check->line_type = g_strdup (dd_json_get_string (json_node_get_object (line), "type"));
      check->carrier = g_strdup (dd_json_get_string (json_node_get_object (line), "carrier_name"));
    }
  dd_http_gateway_return_check (task, check);
}

static void
check_number (DdHttpGateway *gateway,
              GTask         *task,
              const char    *e164)
{
  const char *lookup_url = dd_http_gateway_get_lookup_url (gateway);
  g_autofree char *number = g_uri_escape_string (e164, NULL, FALSE);
  g_autofree char *url = g_strconcat (lookup_url, "v2/PhoneNumbers/", number,
                                      "?Fields=line_type_intelligence", NULL);

  start_request (gateway, task, url, NULL, lookup_url, read_lookup);
}

static void
dd_gateway_twilio_class_init (DdGatewayTwilioClass *klass)
{
  DdHttpGatewayClass *http_class = DD_HTTP_GATEWAY_CLASS (klass);

  dd_http_gateway_class_set_provider (http_class, "twilio", N_("Twilio"),
                                      DD_GATEWAY_TWILIO_DEFAULT_URL);
  http_class->default_lookup_url = DD_GATEWAY_TWILIO_DEFAULT_LOOKUP_URL;
  http_class->default_rate = 10;   /* a long code's default throughput is low; raise for MGs */
  http_class->parse_answer = parse_answer;
  http_class->bad_address = N_("The Twilio address “%s” is not valid");
  http_class->send = send;
  http_class->query_status = query_status;
  http_class->fetch_replies = fetch_replies;
  http_class->check_number = check_number;
}

DdGatewayTwilio *
dd_gateway_twilio_new (const char *base_url,
                       const char *lookup_url,
                       const char *account_sid,
                       const char *auth_token)
{
  g_return_val_if_fail (account_sid != NULL && auth_token != NULL, NULL);

  return g_object_new (DD_TYPE_GATEWAY_TWILIO, "base-url", base_url, "lookup-url", lookup_url,
                       "account", account_sid, "secret", auth_token, NULL);
}
