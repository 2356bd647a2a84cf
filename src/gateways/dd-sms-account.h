/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dd-sms-gateway.h"

G_BEGIN_DECLS

/*
 * The office's SMS provider account: which provider, its API address, user and sender name
 * (GSettings keys sms-gateway, sms-api-url, sms-api-user, sms-sender) and its token or
 * password, which lives in the user's keyring (libsecret) and never in the database, the
 * settings, logs or exports.
 */

typedef struct
{
  char *provider;   /* "test", "smsapi", "twilio", "kannel" */
  char *url;        /* the API's address, NULL: the provider's public one */
  char *username;   /* Twilio account SID, Kannel user; NULL where unused */
  char *sender;     /* default sender name or number, NULL: the account's default */
} DdSmsAccount;

DdSmsAccount *dd_sms_account_new           (const char    *provider,
                                            const char    *url,
                                            const char    *username,
                                            const char    *sender);
DdSmsAccount *dd_sms_account_new_from_settings (GSettings *settings);
void          dd_sms_account_save          (const DdSmsAccount *self,
                                            GSettings          *settings);
void          dd_sms_account_free          (DdSmsAccount  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdSmsAccount, dd_sms_account_free)

/* Translated provider name for lists ("SMSAPI", "Own gateway (Kannel)", …). */
const char   *dd_sms_account_provider_title (const char   *provider);
/* Does the provider need a token / password, a user name? */
gboolean      dd_sms_account_needs_secret   (const char   *provider);
gboolean      dd_sms_account_needs_username (const char   *provider);

/* The token or password in the keyring, per provider, address and user. */
void          dd_sms_account_store_secret        (const DdSmsAccount   *self,
                                                  const char           *secret,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean      dd_sms_account_store_secret_finish (GAsyncResult         *result,
                                                  GError              **error);
/* NULL without an error when the keyring holds none. */
void          dd_sms_account_lookup_secret       (const DdSmsAccount   *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
char         *dd_sms_account_lookup_secret_finish (GAsyncResult        *result,
                                                  GError              **error);

/* The provider's client for this account; @secret as looked up. */
DdSmsGateway *dd_sms_account_create_gateway (const DdSmsAccount  *self,
                                             const char          *secret,
                                             GError             **error);

G_END_DECLS
