/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-users"

#include "config.h"

#include "dd-users.h"

#include "dd-password.h"

#include <glib/gi18n-lib.h>

G_DEFINE_QUARK (dd-users-error-quark, dd_users_error)

gboolean
dd_users_set_password (DdAgentStore  *agents,
                       gint64         id,
                       const char    *password,
                       GError       **error)
{
  g_autofree char *hash = NULL;

  g_return_val_if_fail (DD_IS_AGENT_STORE (agents), FALSE);

  if (password != NULL && *password != '\0'
      && (hash = dd_password_hash (password, error)) == NULL)
    return FALSE;
  return dd_agent_store_set_password_hash (agents, id, hash, error);
}

gboolean
dd_users_check_password (DdAgentStore  *agents,
                         gint64         id,
                         const char    *password,
                         GError       **error)
{
  g_autoptr(DdAgent) agent = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (DD_IS_AGENT_STORE (agents), FALSE);

  agent = dd_agent_store_get (agents, id, error);
  if (agent == NULL)
    return FALSE;
  if (!agent->active)
    {
      g_set_error (error, DD_USERS_ERROR, DD_USERS_ERROR_INACTIVE,
                   _("%s can no longer work at the desk."), agent->name);
      return FALSE;
    }
  hash = dd_agent_store_dup_password_hash (agents, id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (hash == NULL || dd_password_verify (password != NULL ? password : "", hash))
    return TRUE;

  g_debug ("Wrong password for user %" G_GINT64_FORMAT, id);
  g_set_error_literal (error, DD_USERS_ERROR, DD_USERS_ERROR_WRONG_PASSWORD,
                       _("The password is wrong."));
  return FALSE;
}

gboolean
dd_users_sign_in_needed (DdAgentStore *agents)
{
  g_autoptr(GError) error = NULL;
  gboolean any = FALSE;

  g_return_val_if_fail (DD_IS_AGENT_STORE (agents), FALSE);

  if (!dd_agent_store_has_passwords (agents, &any, &error))
    {
      /* asking is the safe side */
      g_warning ("Could not read the users: %s", error->message);
      return TRUE;
    }
  return any;
}
