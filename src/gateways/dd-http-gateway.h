/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "dd-sms-gateway.h"

G_BEGIN_DECLS

/*
 * DdHttpGateway: what every HTTP provider shares — the address of its API, the account and its
 * secret (token, auth token, password: wiped when the gateway goes), the default sender, the limits
 * (connections at once, messages per second), the time-out, the HTTP session made with them,
 * and the DdSmsGateway plumbing. A provider (providers/dd-gateway-*.c) fills in its class:
 * its id and name, and the requests it makes and the answers it reads.
 */
#define DD_TYPE_HTTP_GATEWAY (dd_http_gateway_get_type ())
/* A default_rate for a gateway without a limit (its rate is then 0, as DdSmsGateway says). */
#define DD_HTTP_GATEWAY_NO_RATE_LIMIT (-1.0)
G_DECLARE_DERIVABLE_TYPE (DdHttpGateway, dd_http_gateway, DD, HTTP_GATEWAY, GObject)

struct _DdHttpGatewayClass
{
  GObjectClass parent_class;

  const char  *id;                   /* "smsapi" */
  const char  *display_name;         /* "SMSAPI", marked for translation */
  const char  *transport_name;       /* in "%s did not answer in time", marked; NULL: the above */
  const char  *default_url;          /* the public API, used when no address is given */
  const char  *default_lookup_url;   /* the number look-up API where it is another; or NULL */
  guint        default_connections;  /* 0: 4 */
  double       default_rate;         /* messages per second (0: 10; NO_RATE_LIMIT: none) */
  gboolean     refuses_duplicates;   /* see DdSmsGatewayInterface */

  /* The provider's calls. Each is given the GTask of the DdSmsGateway call (source object:
   * the gateway; the base holds it for the call, a request started for it keeps its own
   * reference) and ends it, then or later, with the result (send: a DdSmsSendResult; status: a
   * DdSmsStatus; replies: a GPtrArray of DdSmsReply; number: a DdNumberCheck) or an error.
   * NULL where the API does not offer the call: the base answers NOT_SUPPORTED. */
  void (*send)          (DdHttpGateway      *self,
                         GTask              *task,
                         const DdSmsRequest *request);
  void (*lookup)        (DdHttpGateway      *self,
                         GTask              *task,
                         const char         *idempotency_key);
  void (*query_status)  (DdHttpGateway      *self,
                         GTask              *task,
                         const char         *provider_id);
  void (*fetch_replies) (DdHttpGateway      *self,
                         GTask              *task,
                         const char         *since);
  void (*check_number)  (DdHttpGateway      *self,
                         GTask              *task,
                         const char         *e164);

  /* For providers that answer in JSON (dd_http_gateway_request()): the object (a reference) the
   * request's reader is given, or the provider's error, from the answer's status and body. */
  JsonObject *(*parse_answer) (DdHttpGateway  *self,
                               SoupMessage    *message,
                               GBytes         *body,
                               GError        **error);
  /* "The SMSAPI address “%s” is not valid", marked: the request's address was none */
  const char  *bad_address;

  gpointer padding[6];
};

/* For a provider's class_init: who the provider is (@display_name marked for translation;
 * @default_url its public API, or NULL where there is none). */
void         dd_http_gateway_class_set_provider (DdHttpGatewayClass *klass,
                                                 const char         *id,
                                                 const char         *display_name,
                                                 const char         *default_url);

/* The DdSmsGateway plumbing, from the provider's class: the interface's init function of each
 * provider (DD_DEFINE_HTTP_GATEWAY names it), so that what its class leaves NULL stays NULL. */
void         dd_http_gateway_implement_sms_gateway (DdSmsGatewayInterface *iface);

/* Defines a provider's type: a final DdHttpGateway that implements DdSmsGateway through the
 * base. The provider writes its class_init and init. */
#define DD_DEFINE_HTTP_GATEWAY(TypeName, type_name) \
  G_DEFINE_FINAL_TYPE_WITH_CODE (TypeName, type_name, DD_TYPE_HTTP_GATEWAY, \
                                 G_IMPLEMENT_INTERFACE (DD_TYPE_SMS_GATEWAY, \
                                                        dd_http_gateway_implement_sms_gateway))
/* The same for a provider whose instances need no set-up of their own: its init is empty. */
#define DD_DEFINE_HTTP_GATEWAY_WITHOUT_INIT(TypeName, type_name) \
  DD_DEFINE_HTTP_GATEWAY (TypeName, type_name) \
  static void type_name##_init (TypeName *self) { }

/* Reads the answer to a request and ends @task with the result or the provider's error. */
typedef void (*DdHttpAnswerFunc) (DdHttpGateway *self,
                                  GTask         *task,
                                  SoupMessage   *message,
                                  GBytes        *body);

/* Sends @message for @task (kept until the answer); @answer reads what comes back. A time-out or a network
 * failure ends @task with the provider's error instead, and @answer is not called. @message is
 * taken as one that sends an SMS: unless flagged SOUP_MESSAGE_IDEMPOTENT, a time-out or a broken
 * connection after it was handed over whole is OUTCOME_UNKNOWN (as for a POST through
 * dd_http_gateway_request()). Redirects are not followed (REDIRECTED). */
void         dd_http_gateway_send         (DdHttpGateway       *self,
                                           GTask               *task,
                                           SoupMessage         *message,
                                           DdHttpAnswerFunc     answer);

/* A request to a JSON API (see dd_http_gateway_request()). */
typedef struct
{
  const char       *method;         /* NULL: POST with a form, GET without */
  const char       *url;
  const char       *authorization;  /* the Authorization header */
  GBytes           *form;           /* the body, url-encoded, or NULL */
  SoupMessageFlags  flags;
  const char       *shown_url;      /* in the bad_address error; NULL: the API's address */
} DdHttpRequest;

/* Reads what the class's parse_answer made of the answer and ends @task with the result. */
typedef void (*DdHttpJsonFunc) (DdHttpGateway *self,
                                GTask         *task,
                                JsonObject    *answer);

/* Sends @request for @task (kept until the answer), asking for JSON; @read gets the object the class's
 * parse_answer makes of the answer, whose error ends @task instead (as a time-out or a network
 * failure does). A URL that is no address ends @task with the class's bad_address error. */
void         dd_http_gateway_request      (DdHttpGateway       *self,
                                           GTask               *task,
                                           const DdHttpRequest *request,
                                           DdHttpJsonFunc       read);

/* End @task with the answer to a provider's call (taken), as the DdSmsGateway *_finish
 * functions give it back: what was sent (or NULL: a look-up found nothing), a delivery status,
 * the replies (a GPtrArray of DdSmsReply), a number check. */
void         dd_http_gateway_return_sent   (GTask           *task,
                                            DdSmsSendResult *result);
void         dd_http_gateway_return_status (GTask           *task,
                                            DdSmsStatus     *status);
void         dd_http_gateway_return_replies (GTask          *task,
                                             GPtrArray      *replies);
void         dd_http_gateway_return_check  (GTask           *task,
                                            DdNumberCheck   *check);

/* The seconds a Retry-After header of the answer asks for (0: none). */
gint64       dd_http_gateway_retry_after  (SoupMessage *message);

/* The address of the API, always ending with '/'. */
const char  *dd_http_gateway_get_base_url (DdHttpGateway *self);
/* The address of the look-up API, ending with '/' (NULL: the class has no default_lookup_url). */
const char  *dd_http_gateway_get_lookup_url (DdHttpGateway *self);
/* The account ("" when none was given) and the secret that goes with it. */
const char  *dd_http_gateway_get_account  (DdHttpGateway *self);
const char  *dd_http_gateway_get_secret   (DdHttpGateway *self);
const char  *dd_http_gateway_get_sender   (DdHttpGateway *self);
/* The sender of @request, or the gateway's default one (NULL: the account's). */
const char  *dd_http_gateway_sender_for   (DdHttpGateway      *self,
                                           const DdSmsRequest *request);
/* Made on first use, with the limits and time-out set by then. */
SoupSession *dd_http_gateway_get_session  (DdHttpGateway *self);

void         dd_http_gateway_set_sender   (DdHttpGateway *self,
                                           const char    *sender);
/* Before the first request. A rate of 0 is 1 a second, or none for a gateway without a limit. */
void         dd_http_gateway_set_limits   (DdHttpGateway *self,
                                           guint          max_connections,
                                           double         rate_per_second);
void         dd_http_gateway_set_timeout  (DdHttpGateway *self,
                                           guint          seconds);

G_END_DECLS
