/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * The one place where tokens and passwords are kept: the desktop's secret store (libsecret),
 * never the database, the settings or a log. Each kind of secret has its schema and the
 * attributes that find it again (an SMS provider's name, address and user; a SIP account's name
 * and address of record). Attributes are given as a NULL-terminated list of name, value pairs.
 */

typedef enum
{
  DD_SECRET_SMS_PROVIDER,   /* attributes: provider, url, username */
  DD_SECRET_SIP_ACCOUNT,    /* attributes: account, aor */
  DD_SECRET_MAIL_ACCOUNT,   /* attributes: server, user */
  DD_SECRET_SHARED_DATABASE, /* attributes: uri (the shared office database, no password) */
} DdSecretKind;

/* Stores @secret under @label; a NULL or empty @secret removes the entry instead. */
void      dd_secret_store         (DdSecretKind         kind,
                                   const char * const  *attributes,
                                   const char          *label,
                                   const char          *secret,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean  dd_secret_store_finish  (GAsyncResult        *result,
                                   GError             **error);

/* Finds a secret: NULL without an error when there is none. */
void      dd_secret_lookup        (DdSecretKind         kind,
                                   const char * const  *attributes,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
char     *dd_secret_lookup_finish (GAsyncResult        *result,
                                   GError             **error);

/* Overwrites @secret's bytes with zeros and frees it. */
void      dd_secret_free          (char                *secret);

G_END_DECLS
