/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-agent-state"

#include "config.h"

#include "dd-agent-state-store.h"

#include "dd-call-attempts.h"
#include "dd-types.h"

#include <glib/gi18n-lib.h>
#include <string.h>

struct _DdAgentStateStore
{
  DdStore  parent_instance;

  gint64   clock;
};

G_DEFINE_FINAL_TYPE (DdAgentStateStore, dd_agent_state_store, DD_TYPE_STORE)

G_DEFINE_QUARK (dd-agent-state-error-quark, dd_agent_state_error)

static const char * const state_names[] = {
  [DD_AGENT_STATE_OFFLINE] = "offline",
  [DD_AGENT_STATE_READY] = "ready",
  [DD_AGENT_STATE_ON_CALL] = "on-call",
  [DD_AGENT_STATE_WRAP_UP] = "wrap-up",
  [DD_AGENT_STATE_PAUSED] = "paused",
};

DD_DEFINE_ENUM_NAMES (DdAgentState, dd_agent_state, state_names)

const char *
dd_agent_state_to_label (DdAgentState state)
{
  switch (state)
    {
    case DD_AGENT_STATE_READY:
      /* Translators: the state of a consultant at the Agent Console */
      return C_("agent state", "Ready");
    case DD_AGENT_STATE_ON_CALL:
      return C_("agent state", "On a call");
    case DD_AGENT_STATE_WRAP_UP:
      return C_("agent state", "Wrap-up");
    case DD_AGENT_STATE_PAUSED:
      return C_("agent state", "Paused");
    case DD_AGENT_STATE_OFFLINE:
    default:
      return C_("agent state", "Signed out");
    }
}

static gint64
column_time (DdStatement *stmt,
             guint        column)
{
  return MAX (dd_call_attempts_parse_time (dd_statement_get_text (stmt, column)), 0);
}

#define STATUS_COLUMNS "agent_id, state, reason, case_id, since, ready_since, wrap_up_until"

/* The columns a status and a change share (agent_id, state, reason, case_id); the times
 * after them are read by hand (column_time). */
static const DdField status_fields[] = {
  DD_FIELD (DdAgentStatus, agent_id, INT64),
  DD_FIELD_NAMED (DdAgentStatus, state, state_names, DD_AGENT_STATE_OFFLINE),
  DD_FIELD (DdAgentStatus, reason, TEXT),
  DD_FIELD (DdAgentStatus, case_id, INT64),
};
static const DdRowType status_row = DD_ROW_TYPE (DdAgentStatus, status_fields);
DD_DEFINE_ROW_FREE_FUNC (DdAgentStatus, dd_agent_status_free, status_row)

static const DdField change_fields[] = {
  DD_FIELD (DdAgentStateChange, agent_id, INT64),
  DD_FIELD_NAMED (DdAgentStateChange, state, state_names, DD_AGENT_STATE_OFFLINE),
  DD_FIELD (DdAgentStateChange, reason, TEXT),
  DD_FIELD (DdAgentStateChange, case_id, INT64),
};
static const DdRowType change_row = DD_ROW_TYPE (DdAgentStateChange, change_fields);
DD_DEFINE_ROW_FREE_FUNC (DdAgentStateChange, dd_agent_state_change_free, change_row)

static gpointer
read_status (DdStatement   *stmt,
             gconstpointer  user_data)
{
  DdAgentStatus *status = dd_statement_read_row (stmt, &status_row);

  status->since = column_time (stmt, 4);
  status->ready_since = column_time (stmt, 5);
  status->wrap_up_until = column_time (stmt, 6);
  return status;
}

static gpointer
read_change (DdStatement   *stmt,
             gconstpointer  user_data)
{
  DdAgentStateChange *change = dd_statement_read_row (stmt, &change_row);

  change->changed_at = column_time (stmt, 4);
  return change;
}

static void
set_wrong_state (GError      **error,
                 DdAgentState  state)
{
  g_set_error (error, DD_AGENT_STATE_ERROR, DD_AGENT_STATE_ERROR_WRONG_STATE,
               /* Translators: %s is a state such as "On a call" */
               _("Not possible while the consultant’s state is “%s”."),
               dd_agent_state_to_label (state));
}

/* Writes the new state of @agent_id (deletes the row for offline) and its log row; the
 * caller holds the transaction. */
static gboolean
write_state (DdAgentStateStore  *self,
             gint64              agent_id,
             DdAgentState        state,
             const char         *reason,
             gint64              case_id,
             gint64              wrap_up_until,
             GError            **error)
{
  DdDatabase *db = dd_store_db (self);
  g_autofree char *now = dd_call_attempts_format_time (dd_agent_state_store_now (self));
  g_autofree char *until = wrap_up_until > 0 ? dd_call_attempts_format_time (wrap_up_until)
                                              : NULL;
  const char *name = dd_agent_state_to_string (state);

  if (!dd_database_execute (db, error, "DELETE FROM agent_state WHERE agent_id = ?",
                            DD_INT (agent_id), DD_END))
    return FALSE;
  if (state != DD_AGENT_STATE_OFFLINE
      && !dd_database_execute (db, error,
                               "INSERT INTO agent_state (agent_id, state, reason, case_id,"
                               " since, ready_since, wrap_up_until)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?)",
                               DD_INT (agent_id), DD_TEXT (name), DD_TEXT (reason),
                               DD_INT_IF (case_id > 0, case_id), DD_TEXT (now),
                               DD_TEXT (state == DD_AGENT_STATE_READY ? now : NULL),
                               DD_TEXT (until), DD_END))
    return FALSE;

  return dd_database_execute (db, error,
                              "INSERT INTO agent_state_log (agent_id, state, reason, case_id,"
                              " changed_at) VALUES (?, ?, ?, ?, ?)",
                              DD_INT (agent_id), DD_TEXT (name), DD_TEXT (reason),
                              DD_INT_IF (case_id > 0, case_id), DD_TEXT (now), DD_END);
}

static gboolean
check_agent (DdAgentStateStore  *self,
             gint64              agent_id,
             GError            **error)
{
  gboolean exists = FALSE;

  if (!dd_database_exists (dd_store_db (self), &exists, error,
                           "SELECT 1 FROM agent WHERE id = ? AND active <> 0",
                           DD_INT (agent_id), DD_END))
    return FALSE;
  if (!exists)
    g_set_error_literal (error, DD_AGENT_STATE_ERROR, DD_AGENT_STATE_ERROR_NOT_FOUND,
                         _("The consultant no longer exists."));
  return exists;
}

/* Moves @agent_id to @state in one transaction, when its current state is one of
 * @allowed (a bit mask of 1 << DdAgentState). */
static gboolean
change_state (DdAgentStateStore  *self,
              gint64              agent_id,
              guint               allowed,
              DdAgentState        state,
              const char         *reason,
              gint64              case_id,
              gint64              wrap_up_until,
              GError            **error)
{
  DdDatabase *db = dd_store_db (self);
  g_autoptr(DdAgentStatus) current = NULL;
  gboolean ok;

  if (!dd_database_begin (db, error))
    return FALSE;

  ok = check_agent (self, agent_id, error)
       && (current = dd_agent_state_store_get (self, agent_id, error)) != NULL;
  if (ok && (allowed & (1u << current->state)) == 0)
    {
      set_wrong_state (error, current->state);
      ok = FALSE;
    }
  /* A wrap-up keeps the case of the call it follows. */
  if (ok && state == DD_AGENT_STATE_WRAP_UP)
    case_id = current->case_id;
  ok = ok && write_state (self, agent_id, state, reason, case_id, wrap_up_until, error);
  return dd_database_finish (db, ok, error);
}

static void
dd_agent_state_store_class_init (DdAgentStateStoreClass *klass)
{
}

static void
dd_agent_state_store_init (DdAgentStateStore *self)
{
}

DdAgentStateStore *
dd_agent_state_store_new (DdDatabase *database)
{
  return dd_store_new (DD_TYPE_AGENT_STATE_STORE, database);
}

void
dd_agent_state_store_set_clock (DdAgentStateStore *self,
                                gint64             now)
{
  g_return_if_fail (DD_IS_AGENT_STATE_STORE (self));

  self->clock = now;
}

gint64
dd_agent_state_store_now (DdAgentStateStore *self)
{
  g_return_val_if_fail (DD_IS_AGENT_STATE_STORE (self), 0);

  return self->clock > 0 ? self->clock : g_get_real_time () / G_USEC_PER_SEC;
}

DdAgentStatus *
dd_agent_state_store_get (DdAgentStateStore  *self,
                          gint64              agent_id,
                          GError            **error)
{
  DdAgentStatus *status = NULL;

  g_return_val_if_fail (DD_IS_AGENT_STATE_STORE (self), NULL);

  if (!dd_database_fetch_row (dd_store_db (self), (gpointer *) &status, read_status, NULL, error,
                              "SELECT " STATUS_COLUMNS " FROM agent_state WHERE agent_id = ?",
                              DD_INT (agent_id), DD_END))
    return NULL;
  if (status == NULL)
    {
      status = g_new0 (DdAgentStatus, 1);
      status->agent_id = agent_id;
      status->state = DD_AGENT_STATE_OFFLINE;
    }
  return status;
}

GPtrArray *
dd_agent_state_store_list (DdAgentStateStore  *self,
                           GError            **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_agent_status_free);

  g_return_val_if_fail (DD_IS_AGENT_STATE_STORE (self), NULL);

  if (!dd_database_fetch_all (dd_store_db (self), list, read_status, NULL, error,
                              "SELECT " STATUS_COLUMNS " FROM agent_state ORDER BY agent_id",
                              DD_END))
    return NULL;
  return g_steal_pointer (&list);
}

GArray *
dd_agent_state_store_list_free (DdAgentStateStore  *self,
                                GError            **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_return_val_if_fail (DD_IS_AGENT_STATE_STORE (self), NULL);

  if (!dd_database_fetch_ids (dd_store_db (self), ids, error,
                              "SELECT agent_id FROM agent_state WHERE state = 'ready'"
                              " ORDER BY ready_since, agent_id", DD_END))
    return NULL;
  return g_steal_pointer (&ids);
}

#define ANY_STATE ((1u << DD_AGENT_STATE_OFFLINE) | (1u << DD_AGENT_STATE_READY) \
                   | (1u << DD_AGENT_STATE_ON_CALL) | (1u << DD_AGENT_STATE_WRAP_UP) \
                   | (1u << DD_AGENT_STATE_PAUSED))
/* Ready, paused or signed out: from any state but a call, which that would lose (hang up
 * first: the wrap-up follows). */
#define NOT_ON_CALL (ANY_STATE & ~(1u << DD_AGENT_STATE_ON_CALL))

gboolean
dd_agent_state_store_set_ready (DdAgentStateStore  *self,
                                gint64              agent_id,
                                GError            **error)
{
  g_return_val_if_fail (DD_IS_AGENT_STATE_STORE (self), FALSE);

  return change_state (self, agent_id, NOT_ON_CALL, DD_AGENT_STATE_READY, NULL, 0, 0, error);
}

gboolean
dd_agent_state_store_pause (DdAgentStateStore  *self,
                            gint64              agent_id,
                            const char         *reason,
                            GError            **error)
{
  g_autofree char *clean = g_strstrip (g_strdup (reason != NULL ? reason : ""));

  g_return_val_if_fail (DD_IS_AGENT_STATE_STORE (self), FALSE);

  if (*clean == '\0')
    {
      g_set_error_literal (error, DD_AGENT_STATE_ERROR, DD_AGENT_STATE_ERROR_NO_REASON,
                           _("Say why you pause."));
      return FALSE;
    }
  return change_state (self, agent_id, NOT_ON_CALL, DD_AGENT_STATE_PAUSED, clean, 0, 0, error);
}

gboolean
dd_agent_state_store_sign_out (DdAgentStateStore  *self,
                               gint64              agent_id,
                               GError            **error)
{
  g_return_val_if_fail (DD_IS_AGENT_STATE_STORE (self), FALSE);

  return change_state (self, agent_id, NOT_ON_CALL, DD_AGENT_STATE_OFFLINE, NULL, 0, 0, error);
}

gboolean
dd_agent_state_store_start_call (DdAgentStateStore  *self,
                                 gint64              agent_id,
                                 gint64              case_id,
                                 GError            **error)
{
  g_return_val_if_fail (DD_IS_AGENT_STATE_STORE (self), FALSE);

  return change_state (self, agent_id, 1u << DD_AGENT_STATE_READY,
                       DD_AGENT_STATE_ON_CALL, NULL, case_id, 0, error);
}

gboolean
dd_agent_state_store_reserve (DdAgentStateStore  *self,
                              gint64              case_id,
                              gint64              prefer_agent_id,
                              gint64             *out_agent_id,
                              GError            **error)
{
  DdDatabase *db = dd_store_db (self);
  gint64 agent_id = 0;
  gboolean found = FALSE;
  gboolean ok;

  g_return_val_if_fail (DD_IS_AGENT_STATE_STORE (self), FALSE);

  if (!dd_database_begin (db, error))
    return FALSE;

  /* a claim: on a shared database, a consultant another desk is handing a call to right now
   * is passed over, not handed a second call */
  ok = dd_database_fetch_int64 (db, &agent_id, &found, error,
                                "SELECT agent_id FROM agent_state WHERE state = 'ready'"
                                " ORDER BY CASE WHEN agent_id = ? THEN 0 ELSE 1 END,"
                                " ready_since, agent_id LIMIT 1" DD_SQL_CLAIM ("agent_state"),
                                DD_INT (prefer_agent_id), DD_END);
  if (ok && found)
    ok = write_state (self, agent_id, DD_AGENT_STATE_ON_CALL, NULL, case_id, 0, error);
  if (!dd_database_finish (db, ok, error))
    return FALSE;
  if (out_agent_id != NULL)
    *out_agent_id = found ? agent_id : 0;
  return TRUE;
}

gboolean
dd_agent_state_store_wrap_up (DdAgentStateStore  *self,
                              gint64              agent_id,
                              guint               seconds,
                              GError            **error)
{
  g_return_val_if_fail (DD_IS_AGENT_STATE_STORE (self), FALSE);

  if (seconds == 0)
    seconds = DD_AGENT_WRAP_UP_DEFAULT_S;
  return change_state (self, agent_id, 1u << DD_AGENT_STATE_ON_CALL, DD_AGENT_STATE_WRAP_UP,
                       NULL, 0, dd_agent_state_store_now (self) + seconds, error);
}

gboolean
dd_agent_state_store_expire (DdAgentStateStore  *self,
                             guint              *out_n,
                             GError            **error)
{
  DdDatabase *db = dd_store_db (self);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *now = NULL;
  gboolean ok;

  g_return_val_if_fail (DD_IS_AGENT_STATE_STORE (self), FALSE);

  now = dd_call_attempts_format_time (dd_agent_state_store_now (self));
  if (!dd_database_begin (db, error))
    return FALSE;
  ok = dd_database_fetch_ids (db, ids, error,
                              "SELECT agent_id FROM agent_state"
                              " WHERE state = 'wrap-up' AND wrap_up_until <= ?"
                              " ORDER BY agent_id", DD_TEXT (now), DD_END);
  for (guint i = 0; ok && i < ids->len; i++)
    ok = write_state (self, g_array_index (ids, gint64, i), DD_AGENT_STATE_READY, NULL, 0, 0,
                      error);
  if (!dd_database_finish (db, ok, error))
    return FALSE;
  if (out_n != NULL)
    *out_n = ids->len;
  return TRUE;
}

GPtrArray *
dd_agent_state_store_history (DdAgentStateStore  *self,
                              gint64              agent_id,
                              gint64              since,
                              GError            **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_agent_state_change_free);
  g_autofree char *from = NULL;

  g_return_val_if_fail (DD_IS_AGENT_STATE_STORE (self), NULL);

  from = dd_call_attempts_format_time (MAX (since, 0));
  if (!dd_database_fetch_all (dd_store_db (self), list, read_change, NULL, error,
                              "SELECT agent_id, state, reason, case_id, changed_at"
                              " FROM agent_state_log WHERE agent_id = ? AND changed_at >= ?"
                              " ORDER BY changed_at, id",
                              DD_INT (agent_id), DD_TEXT (from), DD_END))
    return NULL;
  return g_steal_pointer (&list);
}

char *
dd_agent_state_store_get_sip_uri (DdAgentStateStore  *self,
                                  gint64              agent_id,
                                  GError            **error)
{
  char *uri = NULL;

  g_return_val_if_fail (DD_IS_AGENT_STATE_STORE (self), NULL);

  dd_database_fetch_text (dd_store_db (self), &uri, error,
                          "SELECT sip_uri FROM agent WHERE id = ?", DD_INT (agent_id), DD_END);
  return uri;
}

static gboolean
looks_like_sip_uri (const char *uri)
{
  const char *rest;
  const char *at;

  if (g_str_has_prefix (uri, "sip:"))
    rest = uri + strlen ("sip:");
  else if (g_str_has_prefix (uri, "sips:"))
    rest = uri + strlen ("sips:");
  else
    return FALSE;
  at = strchr (rest, '@');
  return at != NULL && at > rest && at[1] != '\0' && strpbrk (uri, " \t<>\"") == NULL;
}

gboolean
dd_agent_state_store_check_sip_uri (const char  *uri,
                                    GError     **error)
{
  g_autofree char *clean = g_strstrip (g_strdup (uri != NULL ? uri : ""));

  if (*clean != '\0' && !looks_like_sip_uri (clean))
    {
      g_set_error (error, DD_AGENT_STATE_ERROR, DD_AGENT_STATE_ERROR_BAD_URI,
                   /* Translators: %s is what the user typed */
                   _("“%s” is not a SIP address such as sip:anna@192.168.1.20."), clean);
      return FALSE;
    }
  return TRUE;
}

gboolean
dd_agent_state_store_set_sip_uri (DdAgentStateStore  *self,
                                  gint64              agent_id,
                                  const char         *uri,
                                  GError            **error)
{
  g_autofree char *clean = g_strstrip (g_strdup (uri != NULL ? uri : ""));

  g_return_val_if_fail (DD_IS_AGENT_STATE_STORE (self), FALSE);

  if (!dd_agent_state_store_check_sip_uri (clean, error))
    return FALSE;
  if (!dd_database_execute (dd_store_db (self), error, "UPDATE agent SET sip_uri = ? WHERE id = ?",
                            DD_TEXT (*clean != '\0' ? clean : NULL), DD_INT (agent_id), DD_END))
    return FALSE;
  if (dd_database_changes (dd_store_db (self)) == 0)
    {
      g_set_error_literal (error, DD_AGENT_STATE_ERROR, DD_AGENT_STATE_ERROR_NOT_FOUND,
                           _("The consultant no longer exists."));
      return FALSE;
    }
  return TRUE;
}
