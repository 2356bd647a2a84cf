/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * DdSmsGateway: one SMS provider's API (SMSAPI.pl, Twilio, Kannel, the built-in Test inbox).
 * The dispatcher (dd-sms-dispatcher) drives it; it never touches the database.
 *
 * Errors are DD_SMS_GATEWAY_ERROR: retryable ones (timeouts, 5xx, 429, the network) are
 * tried again with back-off (a 429's Retry-After is kept in the error, see
 * dd_sms_gateway_error_get_retry_after()); final ones (invalid number, bad sender, …) are
 * recorded on the message; account-wide ones (AUTH: a refused token or password, an IP filter;
 * NO_CREDIT; BAD_SENDER: a sender name the account may not use; ACCOUNT_BLOCKED) would meet
 * every message, so they pause the campaign with the reason and put the message back
 * (dd_sms_gateway_error_is_account_wide()); DUPLICATE means the provider already has the
 * idempotency key: a message this office sent before (its answer was lost) is looked up, not
 * sent again; for a key this office never sent it is an error.
 *
 * OUTCOME_UNKNOWN: a request that sends and that the provider would not refuse as a repeat
 * (Twilio, Kannel) was handed over whole, then the answer was lost (a time-out, a reset
 * connection): the provider may have sent it, so it is never sent again on its own; the user
 * decides. REDIRECTED: the API's address answered with a redirect, which is not followed (the
 * token would go to another host, a POST would lose its form): the address is to be fixed.
 * TLS: the provider's certificate was refused (self-signed, expired, another name). Both are
 * account-wide. OPTED_OUT: the recipient asked the provider to stop (Twilio 21610): final, and
 * the number's debtors are marked opted out.
 */

#define DD_SMS_GATEWAY_ERROR (dd_sms_gateway_error_quark ())

typedef enum
{
  DD_SMS_GATEWAY_ERROR_TIMEOUT,
  DD_SMS_GATEWAY_ERROR_SERVER,
  DD_SMS_GATEWAY_ERROR_RATE_LIMITED,
  DD_SMS_GATEWAY_ERROR_NETWORK,
  DD_SMS_GATEWAY_ERROR_AUTH,
  DD_SMS_GATEWAY_ERROR_NO_CREDIT,
  DD_SMS_GATEWAY_ERROR_INVALID_NUMBER,
  DD_SMS_GATEWAY_ERROR_BAD_SENDER,
  DD_SMS_GATEWAY_ERROR_BAD_REQUEST,
  DD_SMS_GATEWAY_ERROR_DUPLICATE,
  DD_SMS_GATEWAY_ERROR_MALFORMED_RESPONSE,
  DD_SMS_GATEWAY_ERROR_NOT_SUPPORTED,
  DD_SMS_GATEWAY_ERROR_ACCOUNT_BLOCKED,
  DD_SMS_GATEWAY_ERROR_OUTCOME_UNKNOWN,
  DD_SMS_GATEWAY_ERROR_REDIRECTED,
  DD_SMS_GATEWAY_ERROR_TLS,
  DD_SMS_GATEWAY_ERROR_OPTED_OUT,
} DdSmsGatewayError;

GQuark       dd_sms_gateway_error_quark           (void);
/* Sets a gateway error that carries the seconds the provider asked to wait (429). */
void         dd_sms_gateway_set_error_retry_after (GError            **error,
                                                   DdSmsGatewayError   code,
                                                   gint64              retry_after,
                                                   const char         *message);
/* Sets an INVALID_NUMBER error for a number that cannot take SMS at all (not a number, not a
 * mobile), as opposed to one refused by a list or a route: the phone is then marked invalid,
 * as a number look-up would, so that later campaigns skip it. */
void         dd_sms_gateway_set_error_number_unusable (GError        **error,
                                                       const char     *message);
gboolean     dd_sms_gateway_error_is_number_unusable  (const GError   *error);
gboolean     dd_sms_gateway_error_is_retryable    (const GError       *error);
/* An error every message of the account would meet: pause, do not fail the message. */
gboolean     dd_sms_gateway_error_is_account_wide (const GError       *error);
/* Seconds to wait before retrying (0: no advice). */
gint64       dd_sms_gateway_error_get_retry_after (const GError       *error);
/* A stable code for the outbox and reports ("timeout", "invalid-number", …). */
const char  *dd_sms_gateway_error_to_code         (const GError       *error);

typedef struct
{
  const char *idempotency_key;   /* our message key: SMSAPI idx, Kannel dlr id… */
  const char *to;                /* E.164 */
  const char *text;              /* UTF-8 */
  const char *sender;            /* NULL: the account's default */
  const char *status_url;        /* NULL: reports are polled */
} DdSmsRequest;

typedef struct
{
  char   *provider_id;
  guint   parts;                 /* 0: unknown */
  gint64  cost_minor;            /* -1: unknown */
  char   *cost_currency;
} DdSmsSendResult;

DdSmsSendResult *dd_sms_send_result_new  (const char      *provider_id,
                                          guint            parts,
                                          gint64           cost_minor,
                                          const char      *cost_currency);
void             dd_sms_send_result_free (DdSmsSendResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdSmsSendResult, dd_sms_send_result_free)

typedef enum
{
  DD_SMS_STATE_UNKNOWN,
  DD_SMS_STATE_QUEUED,
  DD_SMS_STATE_SENT,
  DD_SMS_STATE_DELIVERED,
  DD_SMS_STATE_FAILED,
  DD_SMS_STATE_EXPIRED,
} DdSmsState;

/* A provider's word for a message's state ("DELIVERED", "undelivered"…) and what it means. */
typedef struct
{
  const char *word;
  DdSmsState  state;
} DdSmsStateWord;

/* @word looked up in @words (ASCII, whatever the case); UNKNOWN when not there or NULL. */
DdSmsState   dd_sms_state_from_word (const DdSmsStateWord *words,
                                     gsize                 n_words,
                                     const char           *word);

typedef struct
{
  DdSmsState  state;
  char       *at;                /* UTC ISO 8601 of the report, or NULL */
  char       *error_code;        /* the provider's, or NULL */
} DdSmsStatus;

DdSmsStatus *dd_sms_status_new  (DdSmsState   state,
                                 const char  *at,
                                 const char  *error_code);
void         dd_sms_status_free (DdSmsStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdSmsStatus, dd_sms_status_free)

/* A reply a debtor sent, as fetched from the provider. */
typedef struct
{
  char *provider_id;             /* the provider's id of the inbound message */
  char *from;                    /* E.164 */
  char *text;
  char *at;                      /* UTC ISO 8601 */
} DdSmsReply;

DdSmsReply *dd_sms_reply_new  (const char *provider_id,
                               const char *from,
                               const char *text,
                               const char *at);
void        dd_sms_reply_free (DdSmsReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdSmsReply, dd_sms_reply_free)

/* A number look-up (HLR or the provider's number intelligence). */
typedef struct
{
  char *status;                  /* "valid", "invalid", "unreachable", "ported", "unknown" */
  char *line_type;               /* "mobile", "landline", … or NULL */
  char *carrier;                 /* network name, or NULL */
} DdNumberCheck;

DdNumberCheck *dd_number_check_new  (const char    *status,
                                     const char    *line_type,
                                     const char    *carrier);
void           dd_number_check_free (DdNumberCheck *check);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdNumberCheck, dd_number_check_free)

#define DD_TYPE_SMS_GATEWAY (dd_sms_gateway_get_type ())
G_DECLARE_INTERFACE (DdSmsGateway, dd_sms_gateway, DD, SMS_GATEWAY, GObject)

struct _DdSmsGatewayInterface
{
  GTypeInterface parent_iface;

  /* Each *_finish may be left NULL where the *_async ends a GTask (source object: the
   * gateway) with the result as its pointer. */
  const char      *(*get_id)              (DdSmsGateway        *self);
  const char      *(*get_display_name)    (DdSmsGateway        *self);
  guint            (*get_max_connections) (DdSmsGateway        *self);
  double           (*get_rate_per_second) (DdSmsGateway        *self);

  void             (*send_async)          (DdSmsGateway        *self,
                                           const DdSmsRequest  *request,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  DdSmsSendResult *(*send_finish)         (DdSmsGateway        *self,
                                           GAsyncResult        *result,
                                           GError             **error);
  /* Was the message with this idempotency key accepted? A result if so; NULL without an
   * error if not; NOT_SUPPORTED if the API cannot tell. */
  void             (*lookup_async)        (DdSmsGateway        *self,
                                           const char          *idempotency_key,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  DdSmsSendResult *(*lookup_finish)       (DdSmsGateway        *self,
                                           GAsyncResult        *result,
                                           GError             **error);
  void             (*query_status_async)  (DdSmsGateway        *self,
                                           const char          *provider_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  DdSmsStatus     *(*query_status_finish) (DdSmsGateway        *self,
                                           GAsyncResult        *result,
                                           GError             **error);
  /* TRUE if the API refuses a repeated idempotency key (SMSAPI's check_idx): a message left
   * unsettled by a crash can then simply be sent again. */
  gboolean         (*get_refuses_duplicates) (DdSmsGateway     *self);
  /* Replies received since @since (UTC ISO 8601, NULL: the provider's recent ones): a
   * GPtrArray of DdSmsReply. NULL: the API offers no replies (NOT_SUPPORTED). */
  void             (*fetch_replies_async)  (DdSmsGateway        *self,
                                            const char          *since,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
  GPtrArray       *(*fetch_replies_finish) (DdSmsGateway        *self,
                                            GAsyncResult        *result,
                                            GError             **error);

  /* Looks a number up (NULL: the provider offers no synchronous look-up: NOT_SUPPORTED). */
  void             (*check_number_async)   (DdSmsGateway        *self,
                                            const char          *e164,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
  DdNumberCheck   *(*check_number_finish)  (DdSmsGateway        *self,
                                            GAsyncResult        *result,
                                            GError             **error);

  /* Whether check_number_async() can look numbers up (NULL: whether it is set). */
  gboolean         (*can_check_numbers)    (DdSmsGateway        *self);

  gpointer padding[2];
};

const char      *dd_sms_gateway_get_id              (DdSmsGateway        *self);
const char      *dd_sms_gateway_get_display_name    (DdSmsGateway        *self);
guint            dd_sms_gateway_get_max_connections (DdSmsGateway        *self);
double           dd_sms_gateway_get_rate_per_second (DdSmsGateway        *self);
gboolean         dd_sms_gateway_get_refuses_duplicates (DdSmsGateway     *self);
void             dd_sms_gateway_send_async          (DdSmsGateway        *self,
                                                     const DdSmsRequest  *request,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
DdSmsSendResult *dd_sms_gateway_send_finish         (DdSmsGateway        *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void             dd_sms_gateway_lookup_async        (DdSmsGateway        *self,
                                                     const char          *idempotency_key,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
DdSmsSendResult *dd_sms_gateway_lookup_finish       (DdSmsGateway        *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void             dd_sms_gateway_query_status_async  (DdSmsGateway        *self,
                                                     const char          *provider_id,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
DdSmsStatus     *dd_sms_gateway_query_status_finish (DdSmsGateway        *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

void             dd_sms_gateway_fetch_replies_async (DdSmsGateway        *self,
                                                     const char          *since,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
GPtrArray       *dd_sms_gateway_fetch_replies_finish (DdSmsGateway       *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);

gboolean         dd_sms_gateway_can_check_numbers   (DdSmsGateway        *self);
void             dd_sms_gateway_check_number_async  (DdSmsGateway        *self,
                                                     const char          *e164,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
DdNumberCheck   *dd_sms_gateway_check_number_finish (DdSmsGateway        *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* For the clients: an HTTP session with their limits (libsoup), and a transport failure
 * (cancelled, timed out, unreachable) as a gateway error naming @provider. */
gpointer         dd_sms_gateway_http_session_new    (guint                max_connections,
                                                     guint                timeout);
void             dd_sms_gateway_set_transport_error (GError             **error,
                                                     const GError        *transport,
                                                     const char          *provider);

G_END_DECLS
