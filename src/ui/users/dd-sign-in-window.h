/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-database.h"

G_BEGIN_DECLS

/*
 * DdSignInWindow: what an office whose users have passwords shows first. The user picks
 * their name and types their password; a user without a password signs in without one.
 * "signed-in" (the user's id) tells the application, which opens the office's window as that
 * user. dd_users_sign_in_needed() says when it is needed.
 */
#define DD_TYPE_SIGN_IN_WINDOW (dd_sign_in_window_get_type ())
G_DECLARE_FINAL_TYPE (DdSignInWindow, dd_sign_in_window, DD, SIGN_IN_WINDOW,
                      AdwApplicationWindow)

DdSignInWindow *dd_sign_in_window_new          (GtkApplication *application,
                                                DdDatabase     *database,
                                                GSettings      *settings);
DdDatabase     *dd_sign_in_window_get_database (DdSignInWindow *self);
/* For tests: chooses the user named @name; FALSE when the list has none. */
gboolean        dd_sign_in_window_select_user  (DdSignInWindow *self,
                                                const char     *name);

G_END_DECLS
