/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-context.h"
#include "dd-users.h"

G_BEGIN_DECLS

/*
 * The manager's actions at a consultant's desk (closing and reopening cases, the users, the
 * contact policy, the providers): the first one asks for a manager's password; the desk then
 * works with the manager's rights (the context's "is-manager") until the application quits or
 * another user takes the desk (Switch User), when it asks again. A manager's own session
 * (signed in with their password) never asks.
 */

/* The gate of @context's desk: made on first use, a new session whenever another user takes
 * the desk. */
DdUsersGate *dd_manager_unlock_get_gate (DdContext  *context);
/* Whether the desk may take the manager's actions now, without asking. */
gboolean     dd_manager_unlock_allows   (DdContext  *context);
/* Whether asking would help: a user at the desk, who is no manager, and a manager with a
 * password to ask for. */
gboolean     dd_manager_unlock_can_ask  (DdContext  *context);

/* Who takes a manager's action at the desk: the manager whose password unlocked it (the
 * action is theirs, and the cases' timelines say so), else the user at the desk. */
gint64       dd_manager_unlock_acting_agent (DdContext *context);

typedef void (*DdManagerUnlockFunc) (GtkWidget *widget);

/* Runs @func (@widget) at once when the desk may; else asks for a manager's password in a
 * dialog over @widget's window and runs it once unlocked (not when cancelled, nor when
 * @widget is gone by then). A wrong password asks again, saying so. */
void         dd_manager_unlock_run      (GtkWidget           *widget,
                                         DdContext           *context,
                                         DdManagerUnlockFunc  func);

G_END_DECLS
