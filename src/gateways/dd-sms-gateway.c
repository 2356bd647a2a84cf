/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-sms-gateway"

#include "config.h"

#include "dd-sms-gateway.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

G_DEFINE_INTERFACE (DdSmsGateway, dd_sms_gateway, G_TYPE_OBJECT)

/* The errors carry the provider's Retry-After (GLib's extended errors). */
typedef struct
{
  gint64   retry_after;
  gboolean number_unusable;
} DdSmsGatewayErrorPrivate;

static void
dd_sms_gateway_error_private_init (DdSmsGatewayErrorPrivate *priv)
{
  priv->retry_after = 0;
  priv->number_unusable = FALSE;
}

static void
dd_sms_gateway_error_private_copy (const DdSmsGatewayErrorPrivate *src,
                                   DdSmsGatewayErrorPrivate       *dest)
{
  dest->retry_after = src->retry_after;
  dest->number_unusable = src->number_unusable;
}

static void
dd_sms_gateway_error_private_clear (DdSmsGatewayErrorPrivate *priv)
{
}

/* dd_sms_gateway_error_quark () and dd_sms_gateway_error_get_private () */
G_DEFINE_EXTENDED_ERROR (DdSmsGatewayError, dd_sms_gateway_error)

void
dd_sms_gateway_set_error_retry_after (GError            **error,
                                      DdSmsGatewayError   code,
                                      gint64              retry_after,
                                      const char         *message)
{
  GError *local_error;
  DdSmsGatewayErrorPrivate *priv;

  if (error == NULL)
    return;
  local_error = g_error_new_literal (DD_SMS_GATEWAY_ERROR, code, message);
  priv = dd_sms_gateway_error_get_private (local_error);
  if (priv != NULL)
    priv->retry_after = retry_after;
  g_propagate_error (error, local_error);
}

void
dd_sms_gateway_set_error_number_unusable (GError     **error,
                                          const char  *message)
{
  GError *local_error;
  DdSmsGatewayErrorPrivate *priv;

  if (error == NULL)
    return;
  local_error = g_error_new_literal (DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_INVALID_NUMBER,
                                     message);
  priv = dd_sms_gateway_error_get_private (local_error);
  if (priv != NULL)
    priv->number_unusable = TRUE;
  g_propagate_error (error, local_error);
}

gboolean
dd_sms_gateway_error_is_number_unusable (const GError *error)
{
  DdSmsGatewayErrorPrivate *priv;

  if (!g_error_matches (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_INVALID_NUMBER))
    return FALSE;
  priv = dd_sms_gateway_error_get_private (error);
  return priv != NULL && priv->number_unusable;
}

gboolean
dd_sms_gateway_error_is_retryable (const GError *error)
{
  if (error == NULL)
    return FALSE;
  if (error->domain == G_IO_ERROR)
    return error->code == G_IO_ERROR_TIMED_OUT || error->code == G_IO_ERROR_CONNECTION_REFUSED ||
           error->code == G_IO_ERROR_NETWORK_UNREACHABLE || error->code == G_IO_ERROR_HOST_NOT_FOUND ||
           error->code == G_IO_ERROR_BROKEN_PIPE || error->code == G_IO_ERROR_CONNECTION_CLOSED;
  if (error->domain != DD_SMS_GATEWAY_ERROR)
    return FALSE;
  switch ((DdSmsGatewayError) error->code)
    {
    case DD_SMS_GATEWAY_ERROR_TIMEOUT:
    case DD_SMS_GATEWAY_ERROR_SERVER:
    case DD_SMS_GATEWAY_ERROR_RATE_LIMITED:
    case DD_SMS_GATEWAY_ERROR_NETWORK:
    case DD_SMS_GATEWAY_ERROR_MALFORMED_RESPONSE:
      return TRUE;
    case DD_SMS_GATEWAY_ERROR_AUTH:
    case DD_SMS_GATEWAY_ERROR_NO_CREDIT:
    case DD_SMS_GATEWAY_ERROR_INVALID_NUMBER:
    case DD_SMS_GATEWAY_ERROR_BAD_SENDER:
    case DD_SMS_GATEWAY_ERROR_BAD_REQUEST:
    case DD_SMS_GATEWAY_ERROR_DUPLICATE:
    case DD_SMS_GATEWAY_ERROR_NOT_SUPPORTED:
    case DD_SMS_GATEWAY_ERROR_ACCOUNT_BLOCKED:
    case DD_SMS_GATEWAY_ERROR_OUTCOME_UNKNOWN:
    case DD_SMS_GATEWAY_ERROR_REDIRECTED:
    case DD_SMS_GATEWAY_ERROR_TLS:
    case DD_SMS_GATEWAY_ERROR_OPTED_OUT:
    default:
      return FALSE;
    }
}

gboolean
dd_sms_gateway_error_is_account_wide (const GError *error)
{
  if (error == NULL || error->domain != DD_SMS_GATEWAY_ERROR)
    return FALSE;
  return error->code == DD_SMS_GATEWAY_ERROR_AUTH ||
         error->code == DD_SMS_GATEWAY_ERROR_NO_CREDIT ||
         error->code == DD_SMS_GATEWAY_ERROR_BAD_SENDER ||
         error->code == DD_SMS_GATEWAY_ERROR_ACCOUNT_BLOCKED ||
         error->code == DD_SMS_GATEWAY_ERROR_REDIRECTED ||
         error->code == DD_SMS_GATEWAY_ERROR_TLS;
}

gint64
dd_sms_gateway_error_get_retry_after (const GError *error)
{
  DdSmsGatewayErrorPrivate *priv;

  if (error == NULL || error->domain != DD_SMS_GATEWAY_ERROR)
    return 0;
  priv = dd_sms_gateway_error_get_private (error);
  return priv != NULL ? priv->retry_after : 0;
}

const char *
dd_sms_gateway_error_to_code (const GError *error)
{
  static const char * const codes[] = {
    "timeout", "server", "rate-limited", "network", "auth", "no-credit", "invalid-number",
    "bad-sender", "bad-request", "duplicate", "malformed-response", "not-supported",
    "account-blocked", "outcome-unknown", "redirected", "tls", "opted-out",
  };

  if (error == NULL)
    return NULL;
  if (error->domain == DD_SMS_GATEWAY_ERROR && error->code >= 0 &&
      (guint) error->code < G_N_ELEMENTS (codes))
    return codes[error->code];
  if (error->domain == G_IO_ERROR && error->code == G_IO_ERROR_TIMED_OUT)
    return "timeout";
  return "network";
}

DdSmsSendResult *
dd_sms_send_result_new (const char *provider_id,
                        guint       parts,
                        gint64      cost_minor,
                        const char *cost_currency)
{
  DdSmsSendResult *result = g_new0 (DdSmsSendResult, 1);

  result->provider_id = g_strdup (provider_id);
  result->parts = parts;
  result->cost_minor = cost_minor;
  result->cost_currency = g_strdup (cost_currency);
  return result;
}

void
dd_sms_send_result_free (DdSmsSendResult *result)
{
  if (result == NULL)
    return;
  g_free (result->provider_id);
  g_free (result->cost_currency);
  g_free (result);
}

DdSmsStatus *
dd_sms_status_new (DdSmsState  state,
                   const char *at,
                   const char *error_code)
{
  DdSmsStatus *status = g_new0 (DdSmsStatus, 1);

  status->state = state;
  status->at = g_strdup (at);
  status->error_code = g_strdup (error_code);
  return status;
}

void
dd_sms_status_free (DdSmsStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->at);
  g_free (status->error_code);
  g_free (status);
}

static void
dd_sms_gateway_default_init (DdSmsGatewayInterface *iface)
{
}

typedef gpointer (*FinishFunc) (DdSmsGateway  *self,
                                GAsyncResult  *result,
                                GError       **error);

/* What the implementation's *_finish() returns; where it has none (NULL), the pointer its
 * GTask returned. */
static gpointer
finish_pointer (DdSmsGateway  *self,
                GAsyncResult  *result,
                gpointer       finish,
                GError       **error)
{
  if (finish == NULL)
    return g_task_propagate_pointer (G_TASK (result), error);
  return ((FinishFunc) finish) (self, result, error);
}

typedef void (*OptionalCall) (DdSmsGateway        *self,
                              const char          *argument,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);

/* A call an implementation may leave NULL: then NOT_SUPPORTED with @unsupported, in a task
 * tagged @tag that finish_optional() reads. */
static void
call_optional (DdSmsGateway        *self,
               OptionalCall         call,
               const char          *argument,
               const char          *unsupported,
               gpointer             tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  if (call != NULL)
    {
      call (self, argument, cancellable, callback, user_data);
      return;
    }
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tag);
  g_task_return_new_error (task, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_NOT_SUPPORTED,
                           "%s", unsupported);
}

static gpointer
finish_optional (DdSmsGateway  *self,
                 GAsyncResult  *result,
                 gpointer       tag,
                 gpointer       finish,
                 GError       **error)
{
  /* the NOT_SUPPORTED answer of call_optional() is ours to read */
  if (g_task_is_valid (result, self) && g_task_get_source_tag (G_TASK (result)) == tag)
    return g_task_propagate_pointer (G_TASK (result), error);
  return finish_pointer (self, result, finish, error);
}

const char *
dd_sms_gateway_get_id (DdSmsGateway *self)
{
  g_return_val_if_fail (DD_IS_SMS_GATEWAY (self), NULL);

  return DD_SMS_GATEWAY_GET_IFACE (self)->get_id (self);
}

const char *
dd_sms_gateway_get_display_name (DdSmsGateway *self)
{
  g_return_val_if_fail (DD_IS_SMS_GATEWAY (self), NULL);

  return DD_SMS_GATEWAY_GET_IFACE (self)->get_display_name (self);
}

guint
dd_sms_gateway_get_max_connections (DdSmsGateway *self)
{
  g_return_val_if_fail (DD_IS_SMS_GATEWAY (self), 1);

  return DD_SMS_GATEWAY_GET_IFACE (self)->get_max_connections (self);
}

double
dd_sms_gateway_get_rate_per_second (DdSmsGateway *self)
{
  g_return_val_if_fail (DD_IS_SMS_GATEWAY (self), 1);

  return DD_SMS_GATEWAY_GET_IFACE (self)->get_rate_per_second (self);
}

gboolean
dd_sms_gateway_get_refuses_duplicates (DdSmsGateway *self)
{
  DdSmsGatewayInterface *iface;

  g_return_val_if_fail (DD_IS_SMS_GATEWAY (self), FALSE);

  iface = DD_SMS_GATEWAY_GET_IFACE (self);
  return iface->get_refuses_duplicates != NULL && iface->get_refuses_duplicates (self);
}

void
dd_sms_gateway_send_async (DdSmsGateway        *self,
                           const DdSmsRequest  *request,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (DD_IS_SMS_GATEWAY (self));
  g_return_if_fail (request != NULL && request->to != NULL && request->text != NULL);

  DD_SMS_GATEWAY_GET_IFACE (self)->send_async (self, request, cancellable, callback, user_data);
}

DdSmsSendResult *
dd_sms_gateway_send_finish (DdSmsGateway  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (DD_IS_SMS_GATEWAY (self), NULL);

  return finish_pointer (self, result, DD_SMS_GATEWAY_GET_IFACE (self)->send_finish, error);
}

void
dd_sms_gateway_lookup_async (DdSmsGateway        *self,
                             const char          *idempotency_key,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (DD_IS_SMS_GATEWAY (self));

  DD_SMS_GATEWAY_GET_IFACE (self)->lookup_async (self, idempotency_key, cancellable, callback,
                                                 user_data);
}

DdSmsSendResult *
dd_sms_gateway_lookup_finish (DdSmsGateway  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (DD_IS_SMS_GATEWAY (self), NULL);

  return finish_pointer (self, result, DD_SMS_GATEWAY_GET_IFACE (self)->lookup_finish, error);
}

void
dd_sms_gateway_query_status_async (DdSmsGateway        *self,
                                   const char          *provider_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (DD_IS_SMS_GATEWAY (self));

  DD_SMS_GATEWAY_GET_IFACE (self)->query_status_async (self, provider_id, cancellable, callback,
                                                       user_data);
}

DdSmsStatus *
dd_sms_gateway_query_status_finish (DdSmsGateway  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (DD_IS_SMS_GATEWAY (self), NULL);

  return finish_pointer (self, result, DD_SMS_GATEWAY_GET_IFACE (self)->query_status_finish,
                         error);
}

DdSmsReply *
dd_sms_reply_new (const char *provider_id,
                  const char *from,
                  const char *text,
                  const char *at)
{
  DdSmsReply *reply = g_new0 (DdSmsReply, 1);

  reply->provider_id = g_strdup (provider_id);
  reply->from = g_strdup (from);
  reply->text = g_strdup (text);
  reply->at = g_strdup (at);
  return reply;
}

void
dd_sms_reply_free (DdSmsReply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->provider_id);
  g_free (reply->from);
  g_free (reply->text);
  g_free (reply->at);
  g_free (reply);
}

void
dd_sms_gateway_fetch_replies_async (DdSmsGateway        *self,
                                    const char          *since,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (DD_IS_SMS_GATEWAY (self));

  call_optional (self, DD_SMS_GATEWAY_GET_IFACE (self)->fetch_replies_async, since,
                 _("This provider does not pass replies on"), dd_sms_gateway_fetch_replies_async,
                 cancellable, callback, user_data);
}

GPtrArray *
dd_sms_gateway_fetch_replies_finish (DdSmsGateway  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (DD_IS_SMS_GATEWAY (self), NULL);

  return finish_optional (self, result, dd_sms_gateway_fetch_replies_async,
                          DD_SMS_GATEWAY_GET_IFACE (self)->fetch_replies_finish, error);
}

DdSmsState
dd_sms_state_from_word (const DdSmsStateWord *words,
                        gsize                 n_words,
                        const char           *word)
{
  for (gsize i = 0; word != NULL && i < n_words; i++)
    if (g_ascii_strcasecmp (word, words[i].word) == 0)
      return words[i].state;
  return DD_SMS_STATE_UNKNOWN;
}

DdNumberCheck *
dd_number_check_new (const char *status,
                     const char *line_type,
                     const char *carrier)
{
  DdNumberCheck *check = g_new0 (DdNumberCheck, 1);

  check->status = g_strdup (status);
  check->line_type = g_strdup (line_type);
  check->carrier = g_strdup (carrier);
  return check;
}

void
dd_number_check_free (DdNumberCheck *check)
{
  if (check == NULL)
    return;
  g_free (check->status);
  g_free (check->line_type);
  g_free (check->carrier);
  g_free (check);
}

gboolean
dd_sms_gateway_can_check_numbers (DdSmsGateway *self)
{
  DdSmsGatewayInterface *iface;

  g_return_val_if_fail (DD_IS_SMS_GATEWAY (self), FALSE);

  iface = DD_SMS_GATEWAY_GET_IFACE (self);
  if (iface->can_check_numbers != NULL)
    return iface->can_check_numbers (self);
  return iface->check_number_async != NULL;
}

void
dd_sms_gateway_check_number_async (DdSmsGateway        *self,
                                   const char          *e164,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (DD_IS_SMS_GATEWAY (self));
  g_return_if_fail (e164 != NULL);

  call_optional (self, DD_SMS_GATEWAY_GET_IFACE (self)->check_number_async, e164,
                 _("This provider cannot look numbers up"), dd_sms_gateway_check_number_async,
                 cancellable, callback, user_data);
}

DdNumberCheck *
dd_sms_gateway_check_number_finish (DdSmsGateway  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (DD_IS_SMS_GATEWAY (self), NULL);

  return finish_optional (self, result, dd_sms_gateway_check_number_async,
                          DD_SMS_GATEWAY_GET_IFACE (self)->check_number_finish, error);
}

gpointer
dd_sms_gateway_http_session_new (guint max_connections,
                                 guint timeout)
{
  g_autofree char *user_agent = g_strdup_printf ("DunningDesk/%s", PACKAGE_VERSION);

  return soup_session_new_with_options ("max-conns", (int) max_connections,
                                        "max-conns-per-host", (int) max_connections,
                                        "timeout", timeout,
                                        "user-agent", user_agent,
                                        NULL);
}

void
dd_sms_gateway_set_transport_error (GError       **error,
                                    const GError  *transport,
                                    const char    *provider)
{
  if (g_error_matches (transport, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, transport->message);
  else if (g_error_matches (transport, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    /* Translators: %s is the provider ("SMSAPI", "Twilio", "the SMS gateway") */
    g_set_error (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_TIMEOUT,
                 _("%s did not answer in time"), provider);
  else if (transport->domain == G_TLS_ERROR)
    /* Translators: %s is the provider, then the TLS library's own error message */
    g_set_error (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_TLS,
                 _("The secure connection to %s was refused: its certificate is not trusted "
                   "(self-signed, expired or for another name?): %s"),
                 provider, transport->message);
  else
    /* Translators: %s is the provider, then the network's own error message */
    g_set_error (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_NETWORK,
                 _("Could not reach %s: %s"), provider, transport->message);
}
