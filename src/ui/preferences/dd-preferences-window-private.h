/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-preferences-window.h"

G_BEGIN_DECLS

/* For the tests: the rows of the users page (AdwActionRow), in the order shown. Each carries
 * its agent id ("dd-agent-id"), role drop-down ("dd-role-drop-down"), active switch
 * ("dd-active-switch") and rename button ("dd-rename-button") as object data. */
GPtrArray *_dd_preferences_window_get_user_rows (DdPreferencesWindow *self);
/* Adds or renames (@agent_id > 0) as the dialogs do; FALSE and a toast on failure. */
gboolean   _dd_preferences_window_save_user     (DdPreferencesWindow *self,
                                                 gint64               agent_id,
                                                 const char          *name);

/* The SIP accounts' group (DdSipAccountsGroup). */
GtkWidget *_dd_preferences_window_get_sip_accounts_group (DdPreferencesWindow *self);
/* SIP Accounts › Calls at This Desk: the ring time for a consultant (GtkSpinButton). */
GtkWidget *_dd_preferences_window_get_ring_spin (DdPreferencesWindow *self);

/* Preferences › Letters (DdLettersPage). */
GtkWidget *_dd_preferences_window_get_letters_page (DdPreferencesWindow *self);
/* Preferences › E-mail (DdMailPage). */
GtkWidget *_dd_preferences_window_get_mail_page (DdPreferencesWindow *self);

G_END_DECLS
