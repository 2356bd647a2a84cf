/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-context.h"

G_BEGIN_DECLS

/*
 * The SIP accounts (telephone lines) in Preferences: one row per account with its address and
 * live registration state, Add… in the header; a row opens the account's editor. Showing it
 * starts the telephony engine when there are accounts, so the states are real.
 */
#define DD_TYPE_SIP_ACCOUNTS_GROUP (dd_sip_accounts_group_get_type ())
G_DECLARE_FINAL_TYPE (DdSipAccountsGroup, dd_sip_accounts_group, DD, SIP_ACCOUNTS_GROUP,
                      AdwPreferencesGroup)

GtkWidget *dd_sip_accounts_group_new (DdContext *context);
/* The rows' state lines, for tests: "name\tstate" per account. */
char      *dd_sip_accounts_group_describe (DdSipAccountsGroup *self);

G_END_DECLS
