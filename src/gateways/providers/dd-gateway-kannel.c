/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-gateway-kannel"

#include "config.h"

#include "dd-gateway-kannel.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "dd-campaign-messages.h"

struct _DdGatewayKannel
{
  DdHttpGateway parent_instance;
};

DD_DEFINE_HTTP_GATEWAY_WITHOUT_INIT (DdGatewayKannel, dd_gateway_kannel)

#define HTTP(self) DD_HTTP_GATEWAY (self)

static void
append_param (GString    *query,
              const char *name,
              const char *value)
{
  if (query->len > 0)
    g_string_append_c (query, '&');
  g_string_append (query, name);
  g_string_append_c (query, '=');
  g_string_append_uri_escaped (query, value, NULL, FALSE);
}

/* Kannel answers in plain text: the first line, trimmed, without the password. */
static char *
answer_text (GBytes     *body,
             const char *password)
{
  g_autofree char *text = body != NULL ? g_strndup (g_bytes_get_data (body, NULL),
                                                    MIN (g_bytes_get_size (body), 200)) : g_strdup ("");
  char *newline = strchr (text, '\n');
  g_autoptr(GString) clean = NULL;

  if (newline != NULL)
    *newline = '\0';
  g_strstrip (text);
  if (!g_utf8_validate (text, -1, NULL))
    return g_strdup ("?");
  clean = g_string_new (text);
  if (password != NULL && *password != '\0')
    g_string_replace (clean, password, "…", 0);
  return g_string_free (g_steal_pointer (&clean), FALSE);
}

static void
on_send_answer (DdHttpGateway *gateway,
                GTask         *task,
                SoupMessage   *message,
                GBytes        *body)
{
  DdGatewayKannel *self = DD_GATEWAY_KANNEL (gateway);
  g_autofree char *text = NULL;
  g_autofree char *lower = NULL;
  guint status;

  status = soup_message_get_status (message);
  text = answer_text (body, dd_http_gateway_get_secret (HTTP (self)));
  lower = g_ascii_strdown (text, -1);

  if (status == 202 || status == 200)
    {
      if (g_str_has_prefix (text, "0:") || g_str_has_prefix (text, "3:"))
        {
          const char *key = g_object_get_data (G_OBJECT (message), "dd-key");

          dd_http_gateway_return_sent (task, dd_sms_send_result_new (key, 0, -1, NULL));
          return;
        }
      g_task_return_new_error (task, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_MALFORMED_RESPONSE,
                               _("The SMS gateway answered “%s”"), text);
      return;
    }
  if (status == 429)
    {
      g_autoptr(GError) limited = NULL;

      dd_sms_gateway_set_error_retry_after (&limited, DD_SMS_GATEWAY_ERROR_RATE_LIMITED,
                                            dd_http_gateway_retry_after (message),
                                            _("The SMS gateway asks to slow down (HTTP 429)"));
      g_task_return_error (task, g_steal_pointer (&limited));
      return;
    }
  if (status >= 500)
    {
      g_task_return_new_error (task, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_SERVER,
                               _("The SMS gateway cannot take messages now (HTTP %u: %s)"),
                               status, text);
      return;
    }
  if (status == 401 || (status == 403 && (strstr (lower, "authori") != NULL ||
                                          strstr (lower, "password") != NULL ||
                                          strstr (lower, "user") != NULL)))
    {
      g_task_return_new_error (task, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_AUTH,
                               _("The SMS gateway refused the user name or password: %s"), text);
      return;
    }
  /* sendsms-allow-ip / sendsms-deny-ip: smsbox answers a bare "Denied" */
  if (status == 403 && g_str_has_prefix (lower, "denied"))
    {
      g_task_return_new_error (task, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_AUTH,
                               _("The SMS gateway refuses requests from this computer’s "
                                 "address (its sendsms-allow-ip list): %s"), text);
      return;
    }
  if (strstr (lower, "receiver") != NULL || strstr (lower, "black") != NULL ||
      strstr (lower, "white") != NULL || strstr (lower, "denied") != NULL)
    g_task_return_new_error (task, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_INVALID_NUMBER,
                             _("The SMS gateway will not send to this number: %s"), text);
  else if (strstr (lower, "sender") != NULL)
    g_task_return_new_error (task, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_BAD_SENDER,
                             _("The SMS gateway refused the sender: %s"), text);
  else
    g_task_return_new_error (task, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_BAD_REQUEST,
                             _("The SMS gateway refused the message (HTTP %u: %s)"), status, text);
}

static void
send (DdHttpGateway *gateway,
      GTask         *task,
      const DdSmsRequest *request)
{
  g_autoptr(GString) query = g_string_new (NULL);
  g_autofree char *url = NULL;
  const char *sender = dd_http_gateway_sender_for (gateway, request);
  DdSmsMeasure measure = { 0 };
  g_autoptr(SoupMessage) message = NULL;

  dd_campaign_messages_measure_text (request->text, &measure);
  append_param (query, "username", dd_http_gateway_get_account (gateway));
  append_param (query, "password", dd_http_gateway_get_secret (gateway));
  if (sender != NULL && *sender != '\0')
    append_param (query, "from", sender);
  append_param (query, "to", request->to);
  append_param (query, "text", request->text);
  append_param (query, "charset", "UTF-8");
  /* 0: GSM 7-bit; 2: UCS-2 for what GSM-7 cannot carry */
  append_param (query, "coding", measure.ucs2 ? "2" : "0");
  dd_sms_measure_clear (&measure);
  if (request->status_url != NULL && request->idempotency_key != NULL)
    {
      g_autofree char *escaped_key = g_uri_escape_string (request->idempotency_key, NULL, FALSE);
      /* %d: the report's type; Kannel fills it in */
      g_autofree char *dlr = g_strdup_printf ("%s%skey=%s&type=%%d", request->status_url,
                                              strchr (request->status_url, '?') ? "&" : "?",
                                              escaped_key);

      append_param (query, "dlr-mask", "31");
      append_param (query, "dlr-url", dlr);
    }
  url = g_strconcat (dd_http_gateway_get_base_url (gateway), "cgi-bin/sendsms?", query->str,
                     NULL);
  message = soup_message_new (SOUP_METHOD_GET, url);
  memset (url, 0, strlen (url));
  if (message == NULL)
    {
      g_task_return_new_error (task, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_BAD_REQUEST,
                               _("The SMS gateway address “%s” is not valid"),
                               dd_http_gateway_get_base_url (gateway));
      return;
    }
  g_object_set_data_full (G_OBJECT (message), "dd-key",
                          g_strdup (request->idempotency_key ? request->idempotency_key : ""),
                          g_free);
  /* a GET may be repeated by libsoup on a kept-alive connection that broke; Kannel would send
   * the SMS twice: each message gets a connection of its own */
  soup_message_add_flags (message, SOUP_MESSAGE_NEW_CONNECTION);
  dd_http_gateway_send (gateway, task, message, on_send_answer);
}

gboolean
dd_gateway_kannel_parse_dlr (const char   *query,
                             char        **out_key,
                             DdSmsStatus **out_status)
{
  g_autoptr(GHashTable) form = NULL;
  const char *key, *type;
  DdSmsState state;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

  if (query == NULL)
    return FALSE;
  form = soup_form_decode (query);
  key = g_hash_table_lookup (form, "key");
  type = g_hash_table_lookup (form, "type");
  if (key == NULL || *key == '\0' || type == NULL)
    return FALSE;
  switch (g_ascii_strtoll (type, NULL, 10))
    {
    case 1:   /* delivered to the phone */
      state = DD_SMS_STATE_DELIVERED;
      break;
    case 2:   /* delivery failed */
    case 16:  /* the SMSC rejected it */
      state = DD_SMS_STATE_FAILED;
      break;
    case 4:   /* buffered */
    case 8:   /* the SMSC accepted it */
      state = DD_SMS_STATE_SENT;
      break;
    default:
      return FALSE;
    }
  if (out_key != NULL)
    *out_key = g_strdup (key);
  if (out_status != NULL)
    *out_status = dd_sms_status_new (state, at, state == DD_SMS_STATE_FAILED ? type : NULL);
  return TRUE;
}

static void
dd_gateway_kannel_class_init (DdGatewayKannelClass *klass)
{
  DdHttpGatewayClass *http_class = DD_HTTP_GATEWAY_CLASS (klass);

  dd_http_gateway_class_set_provider (http_class, "kannel", N_("Own gateway (Kannel)"), NULL);
  /* Translators: the provider's name in "%s did not answer in time" */
  http_class->transport_name = N_("The SMS gateway");
  http_class->default_rate = 20;
  http_class->send = send;
}

DdGatewayKannel *
dd_gateway_kannel_new (const char *base_url,
                       const char *username,
                       const char *password)
{
  g_return_val_if_fail (base_url != NULL && username != NULL && password != NULL, NULL);

  return g_object_new (DD_TYPE_GATEWAY_KANNEL, "base-url", base_url, "account", username,
                       "secret", password, NULL);
}
