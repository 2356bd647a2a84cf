/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dd-call.h"

G_BEGIN_DECLS

/*
 * DdTelephonyService: the office's telephone lines at work — the SIP engine started on the
 * configured local address (sip-local-address) the first time it is needed, with the SIP
 * accounts of the settings (sip-accounts) and their passwords from the keyring; accounts added,
 * changed or removed are taken again.
 */
#define DD_TYPE_TELEPHONY_SERVICE (dd_telephony_service_get_type ())
G_DECLARE_FINAL_TYPE (DdTelephonyService, dd_telephony_service, DD, TELEPHONY_SERVICE, GObject)

/* @settings: NULL for none (the engine then starts with no accounts). */
DdTelephonyService *dd_telephony_service_new            (GSettings          *settings);
/* Whether the settings have SIP accounts: the window starts the engine only then. */
gboolean            dd_telephony_service_has_accounts   (DdTelephonyService *self);
/* The engine, started on first use; NULL with @error when SIP cannot start there. */
DdSipEngine        *dd_telephony_service_get_engine     (DdTelephonyService *self,
                                                         GError            **error);
/* The engine if it runs, without starting it. */
DdSipEngine        *dd_telephony_service_peek_engine    (DdTelephonyService *self);
/* The SIP accounts or a password changed: the running engine takes them again. */
void                dd_telephony_service_accounts_changed (DdTelephonyService *self);

G_END_DECLS
