/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dd-call.h"

G_BEGIN_DECLS

/*
 * The office's SIP accounts, the telephone lines calls go out through: kept in the GSettings
 * key sip-accounts (a JSON list, in the order the user gave), each account's password in the
 * user's keyring (libsecret), never in the settings, the database, logs or exports.
 */

typedef struct
{
  char           *name;            /* unique; what the user calls the line */
  char           *aor;             /* sip:user@server */
  char           *display_name;    /* nullable */
  char           *registrar;       /* nullable: no registration */
  char           *outbound_proxy;  /* nullable */
  char           *auth_user;       /* nullable: the address's user */
  DdSipTransport  transport;
  guint           max_calls;       /* 0: no limit */
  gboolean        enabled;
} DdSipAccountInfo;

DdSipAccountInfo *dd_sip_account_info_new      (const char              *name,
                                                const char              *aor);
DdSipAccountInfo *dd_sip_account_info_copy     (const DdSipAccountInfo  *self);
void              dd_sip_account_info_free     (DdSipAccountInfo        *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdSipAccountInfo, dd_sip_account_info_free)

/* A translated message for the first thing wrong, for the account's editor. */
gboolean          dd_sip_account_info_validate (const DdSipAccountInfo  *self,
                                                GError                 **error);
/* "UDP", "TCP", "TLS" */
const char       *dd_sip_transport_to_string   (DdSipTransport           transport);
gboolean          dd_sip_transport_from_string (const char              *text,
                                                DdSipTransport          *transport);

/* DdSipAccountInfo list <-> JSON; unknown members are ignored, a broken list is an error. */
GPtrArray        *dd_sip_accounts_from_json    (const char              *json,
                                                GError                 **error);
char             *dd_sip_accounts_to_json      (GPtrArray               *accounts);
/* From / to the sip-accounts key; a broken value loads as no accounts (with a warning). */
GPtrArray        *dd_sip_accounts_load         (GSettings               *settings);
void              dd_sip_accounts_save         (GSettings               *settings,
                                                GPtrArray               *accounts);

/* The password in the keyring, per account name and address. NULL @password clears it. */
void              dd_sip_account_store_password        (const DdSipAccountInfo *self,
                                                        const char             *password,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
gboolean          dd_sip_account_store_password_finish (GAsyncResult           *result,
                                                        GError                **error);
/* NULL without an error when the keyring holds none. */
void              dd_sip_account_lookup_password       (const DdSipAccountInfo *self,
                                                        GCancellable           *cancellable,
                                                        GAsyncReadyCallback     callback,
                                                        gpointer                user_data);
char             *dd_sip_account_lookup_password_finish (GAsyncResult          *result,
                                                        GError                **error);

/* Hands the account to the engine (added, or replaced under its name); registers when it
 * has a registrar. */
gboolean          dd_sip_account_info_apply    (const DdSipAccountInfo  *self,
                                                DdSipEngine             *engine,
                                                const char              *password,
                                                GError                 **error);

/* This computer's IPv4 address towards the default route (127.0.0.1 without a network). */
char             *dd_sip_default_local_address (void);

G_END_DECLS
