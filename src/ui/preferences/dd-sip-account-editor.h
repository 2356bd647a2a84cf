/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-context.h"
#include "dd-sip-accounts.h"

G_BEGIN_DECLS

/*
 * The editor of one SIP account (a telephone line): a modal window with the account's
 * address, server, sign-in and call limit. Save checks the account, writes the sip-accounts
 * setting and the password into the keyring, and tells the context; Remove asks first.
 */
#define DD_TYPE_SIP_ACCOUNT_EDITOR (dd_sip_account_editor_get_type ())
G_DECLARE_FINAL_TYPE (DdSipAccountEditor, dd_sip_account_editor, DD, SIP_ACCOUNT_EDITOR,
                      AdwWindow)

/* @name: the account to edit, or NULL for a new one. */
GtkWidget *dd_sip_account_editor_new (DdContext  *context,
                                      const char *name);

G_END_DECLS
