/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-agent-store"

#include "config.h"

#include "dd-agent-store.h"

#include <glib/gi18n-lib.h>

DD_DEFINE_STORE (DdAgentStore, dd_agent_store)

G_DEFINE_QUARK (dd-agent-store-error-quark, dd_agent_store_error)

#define AGENT_COLUMNS "id, name, role, phone, active, password_hash IS NOT NULL"

static const char * const role_names[] = {
  [DD_AGENT_ROLE_CONSULTANT] = "consultant",
  [DD_AGENT_ROLE_MANAGER] = "manager",
};

const char *
dd_agent_role_to_string (DdAgentRole role)
{
  return role == DD_AGENT_ROLE_MANAGER ? role_names[DD_AGENT_ROLE_MANAGER]
                                       : role_names[DD_AGENT_ROLE_CONSULTANT];
}

gboolean
dd_agent_role_from_string (const char  *text,
                           DdAgentRole *out_role)
{
  guint index;

  if (!dd_name_index (role_names, G_N_ELEMENTS (role_names), text, &index))
    return FALSE;
  if (out_role != NULL)
    *out_role = index;
  return TRUE;
}

const char *
dd_agent_role_get_label (DdAgentRole role)
{
  /* Translators: the role of a user of the app */
  return role == DD_AGENT_ROLE_MANAGER ? C_("role", "Manager") : C_("role", "Consultant");
}

DdAgent *
dd_agent_copy (const DdAgent *agent)
{
  DdAgent *copy;

  g_return_val_if_fail (agent != NULL, NULL);

  copy = g_new0 (DdAgent, 1);
  copy->id = agent->id;
  copy->name = g_strdup (agent->name);
  copy->role = agent->role;
  copy->phone = g_strdup (agent->phone);
  copy->active = agent->active;
  copy->has_password = agent->has_password;
  return copy;
}

static const DdField agent_fields[] = {
  DD_FIELD (DdAgent, id, INT64),
  DD_FIELD (DdAgent, name, TEXT),
  DD_FIELD_NAMED (DdAgent, role, role_names, DD_AGENT_ROLE_CONSULTANT),
  DD_FIELD (DdAgent, phone, TEXT),
  DD_FIELD (DdAgent, active, BOOLEAN),
  DD_FIELD (DdAgent, has_password, BOOLEAN),
};
static const DdRowType agent_row = DD_ROW_TYPE (DdAgent, agent_fields);

DD_DEFINE_ROW_FREE_FUNC (DdAgent, dd_agent_free, agent_row)

static void
set_not_found (GError **error)
{
  g_set_error_literal (error, DD_AGENT_STORE_ERROR, DD_AGENT_STORE_ERROR_NOT_FOUND,
                       _("The user no longer exists."));
}

static const DdNaming agent_naming = {
  dd_agent_store_error_quark,
  DD_AGENT_STORE_ERROR_INVALID_NAME, N_("A user needs a name."),
  "SELECT id FROM agent WHERE name = ? AND id <> ?",
  DD_AGENT_STORE_ERROR_EXISTS, N_("A user called “%s” already exists."),
};

/* Active managers other than @except_id */
static gboolean
count_other_managers (DdAgentStore  *self,
                      gint64         except_id,
                      gint64        *out_count,
                      GError       **error)
{
  return dd_database_fetch_int64 (dd_store_db (self), out_count, NULL, error,
                                  "SELECT COUNT(*) FROM agent"
                                  " WHERE role = 'manager' AND active <> 0 AND id <> ?",
                                  DD_INT (except_id), DD_END);
}

/* Fails when @agent is an active manager and no other one is left. */
static gboolean
check_other_manager (DdAgentStore   *self,
                     const DdAgent  *agent,
                     GError        **error)
{
  gint64 others = 0;

  if (agent->role != DD_AGENT_ROLE_MANAGER || !agent->active)
    return TRUE;
  if (!count_other_managers (self, agent->id, &others, error))
    return FALSE;
  if (others > 0)
    return TRUE;

  g_set_error (error, DD_AGENT_STORE_ERROR, DD_AGENT_STORE_ERROR_LAST_MANAGER,
               _("“%s” is the only manager. Make another user a manager first."),
               agent->name);
  return FALSE;
}

static gboolean
run_update (DdAgentStore  *self,
            const char    *sql,
            gint64         id,
            const char    *text,
            gint64         value,
            GError       **error)
{
  DdDatabase *database = dd_store_db (self);

  if (!(text != NULL
        ? dd_database_execute (database, error, sql, DD_TEXT (text), DD_INT (id), DD_END)
        : dd_database_execute (database, error, sql, DD_INT (value), DD_INT (id), DD_END)))
    return FALSE;
  if (dd_database_changes (dd_store_db (self)) == 0)
    {
      set_not_found (error);
      return FALSE;
    }
  return TRUE;
}

/* Runs @update on agent @id inside a transaction, after checking that a manager remains
 * when @needs_other_manager. */
static gboolean
change_agent (DdAgentStore  *self,
              gint64         id,
              gboolean       needs_other_manager,
              const char    *sql,
              const char    *text,
              gint64         value,
              GError       **error)
{
  g_autoptr(DdAgent) agent = NULL;

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;

  agent = dd_agent_store_get (self, id, error);
  return dd_database_finish (dd_store_db (self),
                             agent != NULL
                             && (!needs_other_manager || check_other_manager (self, agent, error))
                             && run_update (self, sql, id, text, value, error),
                             error);
}

GPtrArray *
dd_agent_store_list (DdAgentStore  *self,
                     gboolean       include_inactive,
                     GError       **error)
{
  g_autoptr(GPtrArray) agents = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_agent_free);

  g_return_val_if_fail (DD_IS_AGENT_STORE (self), NULL);

  if (!dd_database_fetch_all (dd_store_db (self), agents, dd_statement_read_row, &agent_row, error,
                              "SELECT " AGENT_COLUMNS " FROM agent"
                              " WHERE active <> 0 OR ? <> 0 ORDER BY name, id",
                              DD_INT (include_inactive ? 1 : 0), DD_END))
    return NULL;
  return g_steal_pointer (&agents);
}

DdAgent *
dd_agent_store_get (DdAgentStore  *self,
                    gint64         id,
                    GError       **error)
{
  DdAgent *agent = NULL;

  g_return_val_if_fail (DD_IS_AGENT_STORE (self), NULL);

  if (!dd_database_fetch_row (dd_store_db (self), (gpointer *) &agent, dd_statement_read_row, &agent_row, error,
                              "SELECT " AGENT_COLUMNS " FROM agent WHERE id = ?",
                              DD_INT (id), DD_END))
    return NULL;
  if (agent == NULL)
    set_not_found (error);
  return agent;
}

gboolean
dd_agent_store_add (DdAgentStore  *self,
                    const char    *name,
                    DdAgentRole    role,
                    gint64        *out_id,
                    GError       **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *now = NULL;
  gint64 id = 0;

  g_return_val_if_fail (DD_IS_AGENT_STORE (self), FALSE);

  if ((clean = dd_database_check_name (dd_store_db (self), &agent_naming, name, 0, error)) == NULL)
    return FALSE;

  now = dd_timestamp_now ();
  if (!dd_database_insert (dd_store_db (self), &id, error,
                           "INSERT INTO agent (name, role, active, created_at)"
                           " VALUES (?, ?, 1, ?)",
                           DD_TEXT (clean), DD_TEXT (dd_agent_role_to_string (role)),
                           DD_TEXT (now), DD_END))
    return FALSE;
  if (out_id != NULL)
    *out_id = id;
  return TRUE;
}

gboolean
dd_agent_store_rename (DdAgentStore  *self,
                       gint64         id,
                       const char    *name,
                       GError       **error)
{
  g_autofree char *clean = NULL;

  g_return_val_if_fail (DD_IS_AGENT_STORE (self), FALSE);

  if ((clean = dd_database_check_name (dd_store_db (self), &agent_naming, name, id, error)) == NULL)
    return FALSE;

  return run_update (self, "UPDATE agent SET name = ? WHERE id = ?", id, clean, 0, error);
}

gboolean
dd_agent_store_set_role (DdAgentStore  *self,
                         gint64         id,
                         DdAgentRole    role,
                         GError       **error)
{
  g_return_val_if_fail (DD_IS_AGENT_STORE (self), FALSE);

  return change_agent (self, id, role != DD_AGENT_ROLE_MANAGER,
                       "UPDATE agent SET role = ? WHERE id = ?",
                       dd_agent_role_to_string (role), 0, error);
}

gboolean
dd_agent_store_set_active (DdAgentStore  *self,
                           gint64         id,
                           gboolean       active,
                           GError       **error)
{
  g_return_val_if_fail (DD_IS_AGENT_STORE (self), FALSE);

  return change_agent (self, id, !active,
                       "UPDATE agent SET active = ? WHERE id = ?",
                       NULL, active ? 1 : 0, error);
}

gint64
dd_agent_store_count_managers (DdAgentStore  *self,
                               GError       **error)
{
  gint64 count = 0;

  g_return_val_if_fail (DD_IS_AGENT_STORE (self), 0);

  if (!count_other_managers (self, 0, &count, error))
    return 0;
  return count;
}

gboolean
dd_agent_store_ensure_first (DdAgentStore  *self,
                             const char    *name,
                             gint64        *out_id,
                             GError       **error)
{
  g_autofree char *clean = NULL;
  gint64 n_agents = 0;
  gint64 id = 0;

  g_return_val_if_fail (DD_IS_AGENT_STORE (self), FALSE);

  if (out_id != NULL)
    *out_id = 0;

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  if (!dd_database_query_int64 (dd_store_db (self), "SELECT COUNT(*) FROM agent", &n_agents, error))
    {
      dd_database_rollback (dd_store_db (self), NULL);
      return FALSE;
    }
  if (n_agents > 0)
    return dd_database_commit (dd_store_db (self), error);

  if (name != NULL)
    name = g_strstrip (clean = g_strdup (name));
  if (name == NULL || *name == '\0')
    {
      /* g_get_real_name() says "Unknown" when the system does not know the real name */
      name = g_get_real_name ();
      if (name == NULL || *name == '\0' || g_strcmp0 (name, "Unknown") == 0)
        name = g_get_user_name ();
      if (name == NULL || *name == '\0')
        /* Translators: the name of the first user when the system has none to offer */
        name = _("Manager");
    }

  if (!dd_agent_store_add (self, name, DD_AGENT_ROLE_MANAGER, &id, error))
    {
      dd_database_rollback (dd_store_db (self), NULL);
      return FALSE;
    }
  if (!dd_database_commit (dd_store_db (self), error))
    return FALSE;

  g_debug ("Created the first user, manager %" G_GINT64_FORMAT, id);
  if (out_id != NULL)
    *out_id = id;
  return TRUE;
}

DdAgent *
dd_agent_store_find_by_name (DdAgentStore  *self,
                             const char    *name,
                             GError       **error)
{
  g_autofree char *clean = NULL;
  DdAgent *agent = NULL;

  g_return_val_if_fail (DD_IS_AGENT_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  clean = g_strstrip (g_strdup (name));
  if (!dd_database_fetch_row (dd_store_db (self), (gpointer *) &agent, dd_statement_read_row,
                              &agent_row, error,
                              "SELECT " AGENT_COLUMNS " FROM agent WHERE name = ?",
                              DD_TEXT (clean), DD_END))
    return NULL;
  if (agent == NULL)
    g_set_error (error, DD_AGENT_STORE_ERROR, DD_AGENT_STORE_ERROR_NOT_FOUND,
                 _("There is no user called “%s”."), clean);
  return agent;
}

gboolean
dd_agent_store_set_password_hash (DdAgentStore  *self,
                                  gint64         id,
                                  const char    *hash,
                                  GError       **error)
{
  DdDatabase *database;

  g_return_val_if_fail (DD_IS_AGENT_STORE (self), FALSE);

  database = dd_store_db (self);
  if (!(hash != NULL
        ? dd_database_execute (database, error, "UPDATE agent SET password_hash = ? WHERE id = ?",
                               DD_TEXT (hash), DD_INT (id), DD_END)
        : dd_database_execute (database, error,
                               "UPDATE agent SET password_hash = NULL WHERE id = ?",
                               DD_INT (id), DD_END)))
    return FALSE;
  if (dd_database_changes (database) == 0)
    {
      set_not_found (error);
      return FALSE;
    }
  return TRUE;
}

char *
dd_agent_store_dup_password_hash (DdAgentStore  *self,
                                  gint64         id,
                                  GError       **error)
{
  g_autofree char *hash = NULL;

  g_return_val_if_fail (DD_IS_AGENT_STORE (self), NULL);

  if (!dd_database_fetch_text (dd_store_db (self), &hash, error,
                               "SELECT password_hash FROM agent WHERE id = ?",
                               DD_INT (id), DD_END))
    return NULL;
  return g_steal_pointer (&hash);
}

gboolean
dd_agent_store_has_passwords (DdAgentStore  *self,
                              gboolean      *out_any,
                              GError       **error)
{
  gint64 count = 0;

  g_return_val_if_fail (DD_IS_AGENT_STORE (self), FALSE);

  if (!dd_database_fetch_int64 (dd_store_db (self), &count, NULL, error,
                                "SELECT COUNT(*) FROM agent"
                                " WHERE active <> 0 AND password_hash IS NOT NULL", DD_END))
    return FALSE;
  if (out_any != NULL)
    *out_any = count > 0;
  return TRUE;
}
