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

/* The manager's gate */

struct _DdUsersGate
{
  gint64 agent_id;      /* the session's user */
  gint64 unlocked_by;   /* the manager whose password unlocked it, or 0 */
};

DdUsersGate *
dd_users_gate_new (void)
{
  return g_new0 (DdUsersGate, 1);
}

void
dd_users_gate_free (DdUsersGate *gate)
{
  g_free (gate);
}

void
dd_users_gate_start_session (DdUsersGate *gate,
                             gint64       agent_id)
{
  g_return_if_fail (gate != NULL);

  gate->agent_id = agent_id;
  gate->unlocked_by = 0;
}

gint64
dd_users_gate_get_agent (DdUsersGate *gate)
{
  g_return_val_if_fail (gate != NULL, 0);

  return gate->agent_id;
}

gint64
dd_users_gate_get_unlocked_by (DdUsersGate *gate)
{
  g_return_val_if_fail (gate != NULL, 0);

  return gate->unlocked_by;
}

gboolean
dd_users_gate_is_unlocked (DdUsersGate *gate)
{
  g_return_val_if_fail (gate != NULL, FALSE);

  return gate->unlocked_by > 0;
}

gboolean
dd_users_gate_allows (DdUsersGate  *gate,
                      DdAgentStore *agents)
{
  g_autoptr(DdAgent) agent = NULL;

  g_return_val_if_fail (gate != NULL, FALSE);
  g_return_val_if_fail (DD_IS_AGENT_STORE (agents), FALSE);

  if (gate->agent_id <= 0)
    return FALSE;
  if (gate->unlocked_by > 0)
    return TRUE;
  agent = dd_agent_store_get (agents, gate->agent_id, NULL);
  return agent != NULL && agent->active && agent->role == DD_AGENT_ROLE_MANAGER;
}

GPtrArray *
dd_users_gate_list_managers (DdAgentStore  *agents,
                             GError       **error)
{
  g_autoptr(GPtrArray) all = NULL;
  GPtrArray *managers;

  g_return_val_if_fail (DD_IS_AGENT_STORE (agents), NULL);

  all = dd_agent_store_list (agents, FALSE, error);
  if (all == NULL)
    return NULL;
  managers = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_agent_free);
  for (guint i = 0; i < all->len; i++)
    {
      const DdAgent *agent = g_ptr_array_index (all, i);

      if (agent->active && agent->role == DD_AGENT_ROLE_MANAGER && agent->has_password)
        g_ptr_array_add (managers, dd_agent_copy (agent));
    }
  return managers;
}

gboolean
dd_users_gate_unlock (DdUsersGate   *gate,
                      DdAgentStore  *agents,
                      gint64         manager_id,
                      const char    *password,
                      GError       **error)
{
  g_autoptr(DdAgent) manager = NULL;

  g_return_val_if_fail (gate != NULL, FALSE);
  g_return_val_if_fail (DD_IS_AGENT_STORE (agents), FALSE);

  manager = dd_agent_store_get (agents, manager_id, error);
  if (manager == NULL)
    return FALSE;
  if (manager->role != DD_AGENT_ROLE_MANAGER)
    {
      g_set_error (error, DD_USERS_ERROR, DD_USERS_ERROR_NOT_MANAGER,
                   _("%s is not a manager."), manager->name);
      return FALSE;
    }
  if (!manager->has_password)
    {
      g_set_error (error, DD_USERS_ERROR, DD_USERS_ERROR_NO_PASSWORD,
                   _("%s has no password yet: set one in Preferences › Users."), manager->name);
      return FALSE;
    }
  if (!dd_users_check_password (agents, manager_id, password, error))
    return FALSE;
  g_debug ("Manager %" G_GINT64_FORMAT " unlocked the session of %" G_GINT64_FORMAT,
           manager_id, gate->agent_id);
  gate->unlocked_by = manager_id;
  return TRUE;
}
