/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-agent-store.h"

G_BEGIN_DECLS

/*
 * Signing in: the users' passwords (hashed by dd-password, kept by the agent store), shared
 * by the window (sign-in, Switch User, the first start assistant) and the command line
 * (users add, users passwd).
 */

#define DD_USERS_ERROR (dd_users_error_quark ())

typedef enum
{
  DD_USERS_ERROR_WRONG_PASSWORD,
  DD_USERS_ERROR_INACTIVE,
  DD_USERS_ERROR_NOT_MANAGER,     /* the password given is not a manager's */
  DD_USERS_ERROR_NO_PASSWORD,     /* no manager has a password to ask for */
} DdUsersError;

GQuark   dd_users_error_quark      (void);

/* Sets @id's password (hashed with yescrypt); NULL or "" removes it. */
gboolean dd_users_set_password     (DdAgentStore  *agents,
                                    gint64         id,
                                    const char    *password,
                                    GError       **error);
/* Whether @password lets @id sign in: an active user, and the password matches (a user
 * without a password signs in without one). Fails with WRONG_PASSWORD or INACTIVE. */
gboolean dd_users_check_password   (DdAgentStore  *agents,
                                    gint64         id,
                                    const char    *password,
                                    GError       **error);
/* Whether the window must ask who signs in: some active user has a password. */
gboolean dd_users_sign_in_needed   (DdAgentStore  *agents);

/*
 * The manager's gate: the manager's actions (closing and reopening cases, the users, the
 * contact policy, the providers) at a desk where a consultant works ask once for a manager's
 * password; the desk remembers it for the session, until the application quits or another
 * user takes the desk (Switch User). A manager at the desk typed their own password to sign
 * in (or to switch), so their session is open from the start.
 */
typedef struct _DdUsersGate DdUsersGate;

DdUsersGate *dd_users_gate_new            (void);
void         dd_users_gate_free           (DdUsersGate   *gate);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdUsersGate, dd_users_gate_free)

/* A new session: @agent_id signed in or was switched to; an earlier unlock is forgotten. */
void         dd_users_gate_start_session  (DdUsersGate   *gate,
                                           gint64         agent_id);
gint64       dd_users_gate_get_agent      (DdUsersGate   *gate);
/* Whether the session may take the manager's actions without asking: its user is an active
 * manager, or a manager's password unlocked it. */
gboolean     dd_users_gate_allows         (DdUsersGate   *gate,
                                           DdAgentStore  *agents);
/* Whether a manager's password was typed to unlock this session (not its own role). */
gboolean     dd_users_gate_is_unlocked    (DdUsersGate   *gate);
/* The manager whose password unlocked this session, or 0. */
gint64       dd_users_gate_get_unlocked_by (DdUsersGate  *gate);
/* The active managers who have a password (DdAgent): whom the unlock can ask. */
GPtrArray   *dd_users_gate_list_managers  (DdAgentStore  *agents,
                                           GError       **error);
/* Unlocks the session with @manager_id's @password, for as long as it lasts. Fails with
 * NOT_MANAGER, NO_PASSWORD (a manager without a password cannot vouch for anyone),
 * WRONG_PASSWORD or INACTIVE. */
gboolean     dd_users_gate_unlock         (DdUsersGate   *gate,
                                           DdAgentStore  *agents,
                                           gint64         manager_id,
                                           const char    *password,
                                           GError       **error);

G_END_DECLS
