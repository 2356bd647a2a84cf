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

G_END_DECLS
