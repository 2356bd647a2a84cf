/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-http-gateway"

#include "config.h"

#include "dd-http-gateway.h"

#include "dd-secret-store.h"

#include <glib/gi18n-lib.h>
#include <string.h>

typedef struct
{
  char        *base_url;       /* always ends with '/' */
  char        *lookup_url;     /* likewise, or NULL for a provider without its own look-up API */
  char        *account;        /* whose the secret is: a user name, an account SID */
  char        *secret;
  char        *sender;
  guint        max_connections;
  double       rate_per_second;
  guint        timeout;
  SoupSession *session;        /* made on first use, after the limits are known */
} DdHttpGatewayPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (DdHttpGateway, dd_http_gateway, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_BASE_URL,
  PROP_LOOKUP_URL,
  PROP_ACCOUNT,
  PROP_SECRET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define CLASS(gateway) DD_HTTP_GATEWAY_GET_CLASS (gateway)

/* The interface, from the provider's class */

static const char *
get_id (DdSmsGateway *gateway)
{
  return CLASS (gateway)->id;
}

static const char *
get_display_name (DdSmsGateway *gateway)
{
  return _(CLASS (gateway)->display_name);
}

static guint
get_max_connections (DdSmsGateway *gateway)
{
  DdHttpGatewayPrivate *priv = dd_http_gateway_get_instance_private (DD_HTTP_GATEWAY (gateway));

  return priv->max_connections;
}

static double
get_rate_per_second (DdSmsGateway *gateway)
{
  DdHttpGatewayPrivate *priv = dd_http_gateway_get_instance_private (DD_HTTP_GATEWAY (gateway));

  return priv->rate_per_second;
}

static gboolean
get_refuses_duplicates (DdSmsGateway *gateway)
{
  return CLASS (gateway)->refuses_duplicates;
}

/* The GTask of a DdSmsGateway call, for the provider's class to end. */
static GTask *
call_task (DdSmsGateway        *gateway,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data,
           gpointer             tag)
{
  GTask *task = g_task_new (gateway, cancellable, callback, user_data);

  g_task_set_source_tag (task, tag);
  return task;
}

/* A call the provider's API does not offer: NOT_SUPPORTED, as dd_sms_gateway_*() say it. */
static void
not_supported (GTask      *task,
               const char *message)
{
  g_task_return_new_error (task, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_NOT_SUPPORTED,
                           "%s", message);
}

static void
send_async (DdSmsGateway        *gateway,
            const DdSmsRequest  *request,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = call_task (gateway, cancellable, callback, user_data, send_async);

  CLASS (gateway)->send (DD_HTTP_GATEWAY (gateway), task, request);
}

typedef void (*StringCall) (DdHttpGateway *self,
                            GTask         *task,
                            const char    *argument);

/* The calls that take one string: the provider's, or NOT_SUPPORTED with @unsupported. */
static void
call_with_string (DdSmsGateway        *gateway,
                  StringCall           call,
                  const char          *argument,
                  const char          *unsupported,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data,
                  gpointer             tag)
{
  g_autoptr(GTask) task = call_task (gateway, cancellable, callback, user_data, tag);

  if (call == NULL)
    not_supported (task, unsupported);
  else
    call (DD_HTTP_GATEWAY (gateway), task, argument);
}

/* The interface's calls that take one string, each its class's @vfunc or NOT_SUPPORTED with
 * @unsupported; the function is the GTask's source tag. */
#define STRING_CALL_ASYNC(vfunc, unsupported) \
  static void \
  vfunc##_async (DdSmsGateway        *gateway, \
                 const char          *argument, \
                 GCancellable        *cancellable, \
                 GAsyncReadyCallback  callback, \
                 gpointer             user_data) \
  { \
    call_with_string (gateway, CLASS (gateway)->vfunc, argument, unsupported, \
                      cancellable, callback, user_data, vfunc##_async); \
  }

STRING_CALL_ASYNC (lookup, _("This provider cannot look a message up"))
STRING_CALL_ASYNC (query_status, _("This provider does not report deliveries when asked"))
STRING_CALL_ASYNC (fetch_replies, _("This provider does not pass replies on"))
STRING_CALL_ASYNC (check_number, _("This provider cannot look numbers up"))

static gboolean
can_check_numbers (DdSmsGateway *gateway)
{
  return CLASS (gateway)->check_number != NULL;
}

void
dd_http_gateway_implement_sms_gateway (DdSmsGatewayInterface *iface)
{
  iface->get_id = get_id;
  iface->get_display_name = get_display_name;
  iface->get_max_connections = get_max_connections;
  iface->get_rate_per_second = get_rate_per_second;
  iface->get_refuses_duplicates = get_refuses_duplicates;
  iface->can_check_numbers = can_check_numbers;
  iface->send_async = send_async;
  iface->lookup_async = lookup_async;
  iface->query_status_async = query_status_async;
  iface->fetch_replies_async = fetch_replies_async;
  iface->check_number_async = check_number_async;
  /* the *_finish: the GTask's pointer (see DdSmsGatewayInterface) */
}

/* Makes *@url (or @fallback where it is empty) end with '/'. */
static void
with_slash (char       **url,
            const char  *fallback)
{
  const char *given = *url != NULL && **url != '\0' ? *url : fallback;
  char *ended = g_str_has_suffix (given, "/") ? g_strdup (given) : g_strconcat (given, "/", NULL);

  g_free (*url);
  *url = ended;
}

static void
dd_http_gateway_constructed (GObject *object)
{
  DdHttpGateway *self = DD_HTTP_GATEWAY (object);
  DdHttpGatewayPrivate *priv = dd_http_gateway_get_instance_private (self);
  DdHttpGatewayClass *klass = CLASS (self);

  G_OBJECT_CLASS (dd_http_gateway_parent_class)->constructed (object);

  with_slash (&priv->base_url, klass->default_url != NULL ? klass->default_url : "");
  if (klass->default_lookup_url != NULL)
    with_slash (&priv->lookup_url, klass->default_lookup_url);
  priv->max_connections = klass->default_connections > 0 ? klass->default_connections : 4;
  priv->rate_per_second = klass->default_rate > 0 ? klass->default_rate
                          : klass->default_rate < 0 ? 0 : 10;
}

static void
dd_http_gateway_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DdHttpGatewayPrivate *priv = dd_http_gateway_get_instance_private (DD_HTTP_GATEWAY (object));

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_free (priv->base_url);
      priv->base_url = g_value_dup_string (value);
      break;
    case PROP_LOOKUP_URL:
      g_free (priv->lookup_url);
      priv->lookup_url = g_value_dup_string (value);
      break;
    case PROP_ACCOUNT:
      g_free (priv->account);
      priv->account = g_value_dup_string (value);
      break;
    case PROP_SECRET:
      g_free (priv->secret);
      priv->secret = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_http_gateway_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DdHttpGatewayPrivate *priv = dd_http_gateway_get_instance_private (DD_HTTP_GATEWAY (object));

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, priv->base_url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_http_gateway_finalize (GObject *object)
{
  DdHttpGatewayPrivate *priv = dd_http_gateway_get_instance_private (DD_HTTP_GATEWAY (object));

  if (priv->session != NULL)
    soup_session_abort (priv->session);
  g_clear_object (&priv->session);
  g_free (priv->base_url);
  g_free (priv->lookup_url);
  g_free (priv->account);
  dd_secret_free (priv->secret);
  g_free (priv->sender);

  G_OBJECT_CLASS (dd_http_gateway_parent_class)->finalize (object);
}

void
dd_http_gateway_class_set_provider (DdHttpGatewayClass *klass,
                                    const char         *id,
                                    const char         *display_name,
                                    const char         *default_url)
{
  klass->id = id;
  klass->display_name = display_name;
  klass->default_url = default_url;
}

static void
dd_http_gateway_class_init (DdHttpGatewayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = dd_http_gateway_constructed;
  object_class->set_property = dd_http_gateway_set_property;
  object_class->get_property = dd_http_gateway_get_property;
  object_class->finalize = dd_http_gateway_finalize;

  /**
   * DdHttpGateway:base-url:
   *
   * The address of the API; empty or NULL for the provider's public one.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * DdHttpGateway:lookup-url:
   *
   * The address of the provider's number look-up API, where it is not the one of the
   * messages; empty or NULL for the provider's public one.
   */
  properties[PROP_LOOKUP_URL] =
    g_param_spec_string ("lookup-url", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * DdHttpGateway:account:
   *
   * Whose the secret is, where the API asks for it too: a user name, an account SID.
   */
  properties[PROP_ACCOUNT] =
    g_param_spec_string ("account", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * DdHttpGateway:secret:
   *
   * The token or password; write-only, wiped from memory when the gateway goes.
   */
  properties[PROP_SECRET] =
    g_param_spec_string ("secret", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dd_http_gateway_init (DdHttpGateway *self)
{
  DdHttpGatewayPrivate *priv = dd_http_gateway_get_instance_private (self);

  priv->timeout = 30;
}

typedef struct
{
  GTask            *task;
  SoupMessage      *message;
  DdHttpAnswerFunc  answer;
  DdHttpJsonFunc    read;          /* for dd_http_gateway_request(): the answer's reader */
  gboolean          unrepeatable;  /* it sends, and the provider would not refuse a repeat */
  gboolean          handed_over;   /* the whole request went out */
} Pending;

/* Where the body is not UTF-8 (a provider or a proxy in ISO-8859-2, Windows-1250…): converted
 * from the charset its Content-Type names, else its bad bytes replaced, so that its JSON (or
 * its first line) can still be read. */
static GBytes *
as_utf8 (SoupMessage *message,
         GBytes      *body)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  g_autoptr(GHashTable) params = NULL;
  const char *charset = NULL;
  char *converted = NULL;

  if (size == 0 || g_utf8_validate_len (data, size, NULL))
    return g_bytes_ref (body);
  soup_message_headers_get_content_type (soup_message_get_response_headers (message), &params);
  if (params != NULL)
    charset = g_hash_table_lookup (params, "charset");
  if (charset != NULL && g_ascii_strcasecmp (charset, "utf-8") != 0)
    converted = g_convert (data, (gssize) size, "UTF-8", charset, NULL, NULL, NULL);
  if (converted == NULL)
    converted = g_utf8_make_valid (data, (gssize) size);
  return g_bytes_new_take (converted, strlen (converted));
}

static void
on_wrote_body (SoupMessage *message,
               gpointer     user_data)
{
  Pending *pending = user_data;

  pending->handed_over = TRUE;
}

/* A redirect is not followed: the token would go to another host, and libsoup turns a
 * redirected POST into a GET without its form. */
static gboolean
refuse_redirect (DdHttpGateway *self,
                 Pending       *pending,
                 const char    *name)
{
  guint status = soup_message_get_status (pending->message);
  const char *header;
  g_autoptr(GUri) where = NULL;
  g_autofree char *location = NULL;

  if (!SOUP_STATUS_IS_REDIRECTION (status) || status == SOUP_STATUS_NOT_MODIFIED)
    return FALSE;
  header = soup_message_headers_get_one (soup_message_get_response_headers (pending->message),
                                         "Location");
  /* shown without its query or user: a redirect of the same address keeps Kannel's password */
  if (header != NULL)
    where = g_uri_parse_relative (soup_message_get_uri (pending->message), header,
                                  G_URI_FLAGS_NONE, NULL);
  if (where != NULL)
    location = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (where), NULL,
                           g_uri_get_host (where), g_uri_get_port (where),
                           g_uri_get_path (where), NULL, NULL);
  g_task_return_new_error (pending->task, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_REDIRECTED,
                           /* Translators: the provider, the HTTP status, the other address */
                           _("%s answered from another address (HTTP %u to “%s”); it is not "
                             "followed, so that the password is not sent elsewhere: check the "
                             "address in the SMS settings"),
                           name, status, location != NULL ? location : "?");
  return TRUE;
}

/* An answer to dd_http_gateway_request(): the class reads it, the request's reader uses it. */
static void
read_json (DdHttpGateway *self,
           Pending       *pending,
           GBytes        *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = CLASS (self)->parse_answer (self, pending->message, body,
                                                             &error);

  if (answer == NULL)
    g_task_return_error (pending->task, g_steal_pointer (&error));
  else
    pending->read (self, pending->task, answer);
}

static void
on_answered (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Pending *pending = user_data;
  DdHttpGateway *self = g_task_get_source_object (pending->task);
  DdHttpGatewayClass *klass = CLASS (self);
  const char *name = _(klass->transport_name != NULL ? klass->transport_name
                                                     : klass->display_name);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) raw = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                             &error);
  g_autoptr(GBytes) body = raw != NULL ? as_utf8 (pending->message, raw) : NULL;

  g_signal_handlers_disconnect_by_func (pending->message, on_wrote_body, pending);
  if (body != NULL && refuse_redirect (self, pending, name))
    ;
  else if (body != NULL && pending->read != NULL)
    read_json (self, pending, body);
  else if (body != NULL)
    pending->answer (self, pending->task, pending->message, body);
  else if (pending->unrepeatable && pending->handed_over &&
           !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* it may have been sent: sending it again could reach the debtor twice */
    g_task_return_new_error (pending->task, DD_SMS_GATEWAY_ERROR,
                             DD_SMS_GATEWAY_ERROR_OUTCOME_UNKNOWN,
                             /* Translators: the provider, then the network's own error */
                             _("%s got the message but its answer was lost (%s); it may have "
                               "been sent, so it was not sent again"),
                             name, error->message);
  else
    {
      g_autoptr(GError) mapped = NULL;

      dd_sms_gateway_set_transport_error (&mapped, error, name);
      g_task_return_error (pending->task, g_steal_pointer (&mapped));
    }
  g_object_unref (pending->task);
  g_object_unref (pending->message);
  g_free (pending);
}

static void
start (DdHttpGateway    *self,
       GTask            *task,
       SoupMessage      *message,
       DdHttpAnswerFunc  answer,
       DdHttpJsonFunc    read)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->task = g_object_ref (task);
  pending->message = g_object_ref (message);
  pending->answer = answer;
  pending->read = read;
  /* a raw message (dd_http_gateway_send()) sends; so does a POST */
  pending->unrepeatable = !soup_message_query_flags (message, SOUP_MESSAGE_IDEMPOTENT) &&
                          (read == NULL ||
                           g_str_equal (soup_message_get_method (message), SOUP_METHOD_POST));
  g_signal_connect (message, "wrote-body", G_CALLBACK (on_wrote_body), pending);
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (dd_http_gateway_get_session (self), message,
                                    G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                    on_answered, pending);
}

void
dd_http_gateway_send (DdHttpGateway    *self,
                      GTask            *task,
                      SoupMessage      *message,
                      DdHttpAnswerFunc  answer)
{
  g_return_if_fail (DD_IS_HTTP_GATEWAY (self));
  g_return_if_fail (G_IS_TASK (task) && SOUP_IS_MESSAGE (message) && answer != NULL);

  start (self, task, message, answer, NULL);
}

void
dd_http_gateway_request (DdHttpGateway       *self,
                         GTask               *task,
                         const DdHttpRequest *request,
                         DdHttpJsonFunc       read)
{
  g_autoptr(SoupMessage) message = NULL;
  SoupMessageHeaders *headers;

  g_return_if_fail (DD_IS_HTTP_GATEWAY (self));
  g_return_if_fail (G_IS_TASK (task) && request != NULL && read != NULL);
  g_return_if_fail (CLASS (self)->parse_answer != NULL && CLASS (self)->bad_address != NULL);

  message = soup_message_new (request->method != NULL ? request->method
                              : request->form != NULL ? SOUP_METHOD_POST : SOUP_METHOD_GET,
                              request->url);
  if (message == NULL)
    {
      g_task_return_new_error (task, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_BAD_REQUEST,
                               _(CLASS (self)->bad_address),
                               request->shown_url != NULL ? request->shown_url
                                                          : dd_http_gateway_get_base_url (self));
      return;
    }
  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Authorization", request->authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (request->form != NULL)
    soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded",
                                              request->form);
  soup_message_add_flags (message, request->flags);
  start (self, task, message, NULL, read);
}

void
dd_http_gateway_return_sent (GTask           *task,
                             DdSmsSendResult *result)
{
  g_task_return_pointer (task, result, (GDestroyNotify) dd_sms_send_result_free);
}

void
dd_http_gateway_return_status (GTask       *task,
                               DdSmsStatus *status)
{
  g_task_return_pointer (task, status, (GDestroyNotify) dd_sms_status_free);
}

void
dd_http_gateway_return_replies (GTask     *task,
                                GPtrArray *replies)
{
  g_task_return_pointer (task, replies, (GDestroyNotify) g_ptr_array_unref);
}

void
dd_http_gateway_return_check (GTask         *task,
                              DdNumberCheck *check)
{
  g_task_return_pointer (task, check, (GDestroyNotify) dd_number_check_free);
}

gint64
dd_http_gateway_retry_after (SoupMessage *message)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                    "Retry-After");

  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  const char *end = NULL;
  gint64 seconds;

  if (value == NULL)
    return 0;
  while (g_ascii_isspace (*value))
    value++;
  /* delay-seconds, or an HTTP-date (RFC 9110 § 10.2.3) */
  seconds = g_ascii_strtoll (value, (char **) &end, 10);
  if (end != value)
    return MAX (seconds, 0);
  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return 0;
  now = g_date_time_new_now_utc ();
  seconds = g_date_time_difference (when, now) / G_TIME_SPAN_SECOND;
  return MAX (seconds, 0);
}

const char *
dd_http_gateway_get_base_url (DdHttpGateway *self)
{
  DdHttpGatewayPrivate *priv = dd_http_gateway_get_instance_private (self);

  g_return_val_if_fail (DD_IS_HTTP_GATEWAY (self), NULL);
  return priv->base_url;
}

const char *
dd_http_gateway_get_lookup_url (DdHttpGateway *self)
{
  DdHttpGatewayPrivate *priv = dd_http_gateway_get_instance_private (self);

  g_return_val_if_fail (DD_IS_HTTP_GATEWAY (self), NULL);
  return priv->lookup_url;
}

const char *
dd_http_gateway_get_account (DdHttpGateway *self)
{
  DdHttpGatewayPrivate *priv = dd_http_gateway_get_instance_private (self);

  g_return_val_if_fail (DD_IS_HTTP_GATEWAY (self), NULL);
  return priv->account != NULL ? priv->account : "";
}

const char *
dd_http_gateway_get_secret (DdHttpGateway *self)
{
  DdHttpGatewayPrivate *priv = dd_http_gateway_get_instance_private (self);

  g_return_val_if_fail (DD_IS_HTTP_GATEWAY (self), NULL);
  return priv->secret != NULL ? priv->secret : "";
}

const char *
dd_http_gateway_get_sender (DdHttpGateway *self)
{
  DdHttpGatewayPrivate *priv = dd_http_gateway_get_instance_private (self);

  g_return_val_if_fail (DD_IS_HTTP_GATEWAY (self), NULL);
  return priv->sender;
}

const char *
dd_http_gateway_sender_for (DdHttpGateway      *self,
                            const DdSmsRequest *request)
{
  return request->sender != NULL ? request->sender : dd_http_gateway_get_sender (self);
}

SoupSession *
dd_http_gateway_get_session (DdHttpGateway *self)
{
  DdHttpGatewayPrivate *priv = dd_http_gateway_get_instance_private (self);

  g_return_val_if_fail (DD_IS_HTTP_GATEWAY (self), NULL);
  if (priv->session == NULL)
    priv->session = dd_sms_gateway_http_session_new (priv->max_connections, priv->timeout);
  return priv->session;
}

void
dd_http_gateway_set_sender (DdHttpGateway *self,
                            const char    *sender)
{
  DdHttpGatewayPrivate *priv = dd_http_gateway_get_instance_private (self);

  g_return_if_fail (DD_IS_HTTP_GATEWAY (self));
  g_free (priv->sender);
  priv->sender = sender != NULL && *sender != '\0' ? g_strdup (sender) : NULL;
}

void
dd_http_gateway_set_limits (DdHttpGateway *self,
                            guint          max_connections,
                            double         rate_per_second)
{
  DdHttpGatewayPrivate *priv = dd_http_gateway_get_instance_private (self);

  g_return_if_fail (DD_IS_HTTP_GATEWAY (self));
  g_return_if_fail (priv->session == NULL);
  priv->max_connections = MAX (max_connections, 1);
  priv->rate_per_second = rate_per_second > 0 ? rate_per_second
                          : CLASS (self)->default_rate < 0 ? 0 : 1;
}

void
dd_http_gateway_set_timeout (DdHttpGateway *self,
                             guint          seconds)
{
  DdHttpGatewayPrivate *priv = dd_http_gateway_get_instance_private (self);

  g_return_if_fail (DD_IS_HTTP_GATEWAY (self));
  priv->timeout = MAX (seconds, 1);
  /* kept-alive connections keep the timeout they were made with: start afresh (requests on
   * their way hold the old session until they end) */
  g_clear_object (&priv->session);
}
