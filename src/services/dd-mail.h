/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * The office's e-mail: report summaries (and a test message) sent over SMTP with libcurl,
 * STARTTLS or TLS, the password kept in the keyring (dd-secret-store).
 *
 * A message is composed whole (RFC 5322 + MIME, attachments in base64) and stored in the
 * outbox (table mail_outbox, schema 16) before it is handed to the server; dd_mail_outbox_flush()
 * sends what is due and puts a message that failed back with a later attempt (back-off), so a
 * summary is never lost to a server that was down. A refused login or an unreachable server
 * stops the flush: the rest would fail the same way.
 */

#include <gio/gio.h>

#include "dd-database.h"

G_BEGIN_DECLS

#define DD_MAIL_ERROR (dd_mail_error_quark ())

typedef enum
{
  DD_MAIL_ERROR_NOT_CONFIGURED,     /* no server, sender or recipient */
  DD_MAIL_ERROR_INVALID_ADDRESS,    /* an address that is not one */
  DD_MAIL_ERROR_UNREACHABLE,        /* no connection to the server */
  DD_MAIL_ERROR_LOGIN_REFUSED,      /* the server refused the user name or password */
  DD_MAIL_ERROR_TLS,                /* encryption could not be set up */
  DD_MAIL_ERROR_REFUSED,            /* the server refused the message or a recipient */
  DD_MAIL_ERROR_FAILED,
} DdMailError;

GQuark dd_mail_error_quark (void);

typedef enum
{
  DD_MAIL_SECURITY_STARTTLS,
  DD_MAIL_SECURITY_TLS,
  DD_MAIL_SECURITY_NONE,
} DdMailSecurity;

typedef struct
{
  char           *server;
  guint           port;          /* 0: the usual port of @security */
  DdMailSecurity  security;
  char           *user;          /* NULL or "": no login */
  char           *password;
  char           *from;
  char          **recipients;
  char           *ca_file;       /* NULL: the system's certificates */
} DdMailAccount;

DdMailAccount *dd_mail_account_new          (void);
/* The account of the settings (mail-server, mail-port, …); the password is not there. */
DdMailAccount *dd_mail_account_new_from_settings (GSettings *settings);
DdMailAccount *dd_mail_account_copy         (const DdMailAccount *account);
void           dd_mail_account_free         (DdMailAccount       *account);
guint          dd_mail_account_get_port     (const DdMailAccount *account);
/* Whether the account can send: a server, a valid sender and at least one valid recipient. */
gboolean       dd_mail_account_check        (const DdMailAccount *account,
                                             GError             **error);

const char    *dd_mail_security_to_string   (DdMailSecurity       security);
gboolean       dd_mail_security_from_string (const char          *text,
                                             DdMailSecurity      *out_security);

/* A plain check of an address (local@domain.tld, no spaces, no angle brackets). */
gboolean       dd_mail_address_is_valid     (const char          *address);
/* Splits "a@x.pl, b@y.pl; c@z.pl" into addresses; FALSE with the first bad one in @error. */
char         **dd_mail_parse_addresses      (const char          *text,
                                             GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdMailAccount, dd_mail_account_free)

typedef struct
{
  char   *filename;       /* ASCII */
  char   *content_type;   /* "application/pdf" */
  GBytes *data;
} DdMailAttachment;

DdMailAttachment *dd_mail_attachment_new  (const char *filename,
                                           const char *content_type,
                                           GBytes     *data);
void              dd_mail_attachment_free (DdMailAttachment *attachment);

/* The whole message, lines ended by CRLF; @attachments (DdMailAttachment) may be NULL. */
char          *dd_mail_compose              (const char          *from,
                                             const char * const  *to,
                                             const char          *subject,
                                             const char          *body,
                                             GPtrArray           *attachments,
                                             GDateTime           *date);

/* The test message to the account's recipients. */
char          *dd_mail_compose_test         (const DdMailAccount *account);

/* Hands @message to the server for @recipients (blocking; run it in a thread). */
gboolean       dd_mail_transfer             (const DdMailAccount *account,
                                             const char * const  *recipients,
                                             const char          *message,
                                             GError             **error);

/* A test message to the account's recipients, in a thread; the result is the server's. */
void           dd_mail_send_test_async      (const DdMailAccount *account,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean       dd_mail_send_test_finish     (GAsyncResult        *result,
                                             GError             **error);

/* The password of @account from the keyring (NULL without an error when there is none). */
void           dd_mail_password_lookup      (const DdMailAccount *account,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
char          *dd_mail_password_lookup_finish (GAsyncResult      *result,
                                             GError             **error);
void           dd_mail_password_store       (const DdMailAccount *account,
                                             const char          *password,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean       dd_mail_password_store_finish (GAsyncResult       *result,
                                             GError             **error);

/* Outbox. The wait before attempt @attempts + 1 after @attempts failed ones, in seconds. */
gint64         dd_mail_backoff              (guint                attempts);
gboolean       dd_mail_outbox_add           (DdDatabase          *database,
                                             const char          *kind,
                                             const char          *from,
                                             const char * const  *recipients,
                                             const char          *subject,
                                             const char          *message,
                                             gint64               now,
                                             gint64              *out_id,
                                             GError             **error);
/* Sends the queued messages due at @now. FALSE with the error of the first message that
 * failed (it stays queued for a later attempt); @out_sent and @out_waiting count what was sent
 * and what is still queued. */
gboolean       dd_mail_outbox_flush         (DdDatabase          *database,
                                             const DdMailAccount *account,
                                             gint64               now,
                                             guint               *out_sent,
                                             guint               *out_waiting,
                                             GError             **error);

/* A report's summary as a message: the key figures of @tables in the body, @pdf_path and the
 * tables as CSV attached. */
char          *dd_mail_report_summary       (const DdMailAccount *account,
                                             const char          *title,
                                             const char          *office_name,
                                             const char          *period,
                                             GPtrArray           *tables,
                                             const char          *pdf_path,
                                             const char          *file_stem,
                                             char               **out_subject,
                                             GError             **error);

/* When summaries go out (settings mail-summary-weekly, mail-summary-after-campaign,
 * mail-weekly-sent). */
typedef struct
{
  gboolean    weekly;
  gboolean    after_campaign;
  gint64      weekly_sent;     /* unix time of the last weekly summary, 0: never */
  const char *office_name;
} DdMailSchedule;

/* Queues the summaries due at @now: one per campaign completed in the last seven days that had
 * none yet (kind "campaign-<id>"), and the weekly one (the campaign results of the last seven
 * days) when seven days have passed since @schedule->weekly_sent; @out_weekly_sent gets the
 * new time of the weekly summary (or the old one). */
gboolean       dd_mail_queue_due            (DdDatabase           *database,
                                             const DdMailAccount  *account,
                                             const DdMailSchedule *schedule,
                                             gint64                now,
                                             guint                *out_queued,
                                             gint64               *out_weekly_sent,
                                             GError              **error);

G_END_DECLS
