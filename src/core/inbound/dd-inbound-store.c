/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-inbound-store"

#include "config.h"

#include "dd-inbound-store.h"

#include "dd-call-attempts.h"
#include "dd-types.h"

#include <glib/gi18n-lib.h>

struct _DdInboundStore
{
  DdStore  parent_instance;

  gint64   clock;
};

G_DEFINE_FINAL_TYPE (DdInboundStore, dd_inbound_store, DD_TYPE_STORE)

G_DEFINE_QUARK (dd-inbound-error-quark, dd_inbound_error)

static const char * const strategy_names[] = {
  [DD_INBOUND_RING_ALL] = "ring-all",
  [DD_INBOUND_RING_LONGEST_IDLE] = "longest-idle",
};

static const char * const on_max_wait_names[] = {
  [DD_INBOUND_ON_MAX_WAIT_CALLBACK] = "callback",
  [DD_INBOUND_ON_MAX_WAIT_VOICEMAIL] = "voicemail",
};

static const char * const outcome_names[] = {
  [DD_INBOUND_OUTCOME_NONE] = "",
  [DD_INBOUND_OUTCOME_ANSWERED] = "answered",
  [DD_INBOUND_OUTCOME_ABANDONED] = "abandoned",
  [DD_INBOUND_OUTCOME_VOICEMAIL] = "voicemail",
  [DD_INBOUND_OUTCOME_CALLBACK_REQUESTED] = "callback-requested",
  [DD_INBOUND_OUTCOME_CLOSED_HOURS] = "closed-hours",
  [DD_INBOUND_OUTCOME_QUEUE_FULL] = "queue-full",
};

DD_DEFINE_ENUM_NAMES (DdInboundRingStrategy, dd_inbound_ring_strategy, strategy_names)

DD_DEFINE_ENUM_NAMES (DdInboundOnMaxWait, dd_inbound_on_max_wait, on_max_wait_names)

const char *
dd_inbound_outcome_to_string (DdInboundOutcome outcome)
{
  g_return_val_if_fail ((guint) outcome < G_N_ELEMENTS (outcome_names), NULL);
  return outcome == DD_INBOUND_OUTCOME_NONE ? NULL : outcome_names[outcome];
}

gboolean
dd_inbound_outcome_from_string (const char       *text,
                                DdInboundOutcome *out_outcome)
{
  guint index;

  if (text == NULL || *text == '\0')
    index = DD_INBOUND_OUTCOME_NONE;
  else if (!dd_name_index (outcome_names, G_N_ELEMENTS (outcome_names), text, &index))
    return FALSE;
  if (out_outcome != NULL)
    *out_outcome = index;
  return TRUE;
}

const char *
dd_inbound_ring_strategy_to_label (DdInboundRingStrategy strategy)
{
  switch (strategy)
    {
    case DD_INBOUND_RING_LONGEST_IDLE:
      /* Translators: a queue's ring strategy: the free consultant who waited longest rings */
      return C_("ring strategy", "Longest idle first");
    case DD_INBOUND_RING_ALL:
    default:
      /* Translators: a queue's ring strategy: every free consultant rings at once */
      return C_("ring strategy", "Ring all");
    }
}

const char *
dd_inbound_on_max_wait_to_label (DdInboundOnMaxWait action)
{
  switch (action)
    {
    case DD_INBOUND_ON_MAX_WAIT_VOICEMAIL:
      /* Translators: what happens when a caller waited the longest time in a queue */
      return C_("max wait", "Voicemail");
    case DD_INBOUND_ON_MAX_WAIT_CALLBACK:
    default:
      return C_("max wait", "Callback request");
    }
}

const char *
dd_inbound_outcome_to_label (DdInboundOutcome outcome)
{
  switch (outcome)
    {
    case DD_INBOUND_OUTCOME_ANSWERED:
      /* Translators: how an inbound call ended */
      return C_("inbound call", "Answered");
    case DD_INBOUND_OUTCOME_ABANDONED:
      return C_("inbound call", "Hung up while waiting");
    case DD_INBOUND_OUTCOME_VOICEMAIL:
      return C_("inbound call", "Voicemail");
    case DD_INBOUND_OUTCOME_CALLBACK_REQUESTED:
      return C_("inbound call", "Callback requested");
    case DD_INBOUND_OUTCOME_CLOSED_HOURS:
      return C_("inbound call", "Out of office hours");
    case DD_INBOUND_OUTCOME_QUEUE_FULL:
      return C_("inbound call", "Refused: too many callers waiting");
    case DD_INBOUND_OUTCOME_NONE:
    default:
      return C_("inbound call", "In progress");
    }
}

/* --- queues --- */

DdInboundQueue *
dd_inbound_queue_new (const char *name)
{
  DdInboundQueue *queue = g_new0 (DdInboundQueue, 1);

  queue->name = g_strdup (name != NULL ? name : "");
  queue->strategy = DD_INBOUND_RING_ALL;
  queue->announce_every_s = 30;
  queue->max_wait_s = 300;
  queue->on_max_wait = DD_INBOUND_ON_MAX_WAIT_CALLBACK;
  return queue;
}

DdInboundQueue *
dd_inbound_queue_copy (const DdInboundQueue *queue)
{
  DdInboundQueue *copy;

  g_return_val_if_fail (queue != NULL, NULL);

  copy = g_memdup2 (queue, sizeof *queue);
  copy->name = g_strdup (queue->name);
  copy->hold_music = g_strdup (queue->hold_music);
  return copy;
}

void
dd_inbound_queue_free (DdInboundQueue *queue)
{
  if (queue == NULL)
    return;
  g_free (queue->name);
  g_free (queue->hold_music);
  g_free (queue);
}

gboolean
dd_inbound_queue_validate (const DdInboundQueue  *queue,
                           GError               **error)
{
  g_autofree char *name = g_strstrip (g_strdup (queue->name != NULL ? queue->name : ""));

  if (*name == '\0')
    {
      g_set_error_literal (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_INVALID,
                           _("A queue needs a name."));
      return FALSE;
    }
  if (queue->announce_every_s != 0 && queue->announce_every_s < DD_INBOUND_ANNOUNCE_MIN_S)
    {
      g_set_error (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_INVALID,
                   /* Translators: %d is a number of seconds */
                   _("Announcements must be at least %d seconds apart."),
                   DD_INBOUND_ANNOUNCE_MIN_S);
      return FALSE;
    }
  if (queue->max_wait_s < DD_INBOUND_MAX_WAIT_MIN_S
      || queue->max_wait_s > DD_INBOUND_MAX_WAIT_MAX_S)
    {
      g_set_error (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_INVALID,
                   /* Translators: the limits of a queue's longest wait, in seconds */
                   _("The longest wait must be between %d and %d seconds."),
                   DD_INBOUND_MAX_WAIT_MIN_S, DD_INBOUND_MAX_WAIT_MAX_S);
      return FALSE;
    }
  if ((guint) queue->strategy >= G_N_ELEMENTS (strategy_names)
      || (guint) queue->on_max_wait >= G_N_ELEMENTS (on_max_wait_names))
    {
      g_set_error_literal (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_INVALID,
                           _("Unknown queue setting."));
      return FALSE;
    }
  return TRUE;
}

void
dd_inbound_call_free (DdInboundCall *call)
{
  if (call == NULL)
    return;
  g_free (call->caller);
  g_free (call->e164);
  g_free (call->voicemail_path);
  g_free (call);
}

void
dd_inbound_missed_free (DdInboundMissed *missed)
{
  if (missed == NULL)
    return;
  g_free (missed->done_by_name);
  g_free (missed->caller);
  g_free (missed->e164);
  g_free (missed->debtor_name);
  g_free (missed->queue_name);
  g_free (missed->voicemail_path);
  g_free (missed);
}

static void
dd_inbound_store_class_init (DdInboundStoreClass *klass)
{
}

static void
dd_inbound_store_init (DdInboundStore *self)
{
}

DdInboundStore *
dd_inbound_store_new (DdDatabase *database)
{
  return dd_store_new (DD_TYPE_INBOUND_STORE, database);
}

void
dd_inbound_store_set_clock (DdInboundStore *self,
                            gint64          now)
{
  g_return_if_fail (DD_IS_INBOUND_STORE (self));
  self->clock = now;
}

gint64
dd_inbound_store_now (DdInboundStore *self)
{
  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), 0);
  return self->clock != 0 ? self->clock : g_get_real_time () / G_USEC_PER_SEC;
}

static char *
now_text (DdInboundStore *self)
{
  return dd_call_attempts_format_time (dd_inbound_store_now (self));
}

static gint64
column_time (DdStatement *stmt,
             guint        column)
{
  if (dd_statement_is_null (stmt, column))
    return 0;
  return MAX (dd_call_attempts_parse_time (dd_statement_get_text (stmt, column)), 0);
}

static gboolean
not_found (GError **error)
{
  g_set_error_literal (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_NOT_FOUND,
                       _("It no longer exists."));
  return FALSE;
}

#define QUEUE_COLUMNS \
  "id, name, position, strategy, hold_music, announce_every_s, max_wait_s, on_max_wait"

static gpointer
read_queue (DdStatement   *stmt,
            gconstpointer  user_data)
{
  DdInboundQueue *queue = g_new0 (DdInboundQueue, 1);

  queue->id = dd_statement_get_int64 (stmt, 0);
  queue->name = dd_statement_dup_text (stmt, 1);
  queue->position = (guint) MAX (dd_statement_get_int64 (stmt, 2), 0);
  dd_inbound_ring_strategy_from_string (dd_statement_get_text (stmt, 3), &queue->strategy);
  queue->hold_music = dd_statement_dup_text (stmt, 4);
  queue->announce_every_s = (guint) MAX (dd_statement_get_int64 (stmt, 5), 0);
  queue->max_wait_s = (guint) MAX (dd_statement_get_int64 (stmt, 6), 0);
  dd_inbound_on_max_wait_from_string (dd_statement_get_text (stmt, 7), &queue->on_max_wait);
  return queue;
}

GPtrArray *
dd_inbound_store_list_queues (DdInboundStore  *self,
                              GError         **error)
{
  g_autoptr(GPtrArray) queues = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_inbound_queue_free);

  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), NULL);

  if (!dd_database_fetch_all (dd_store_db (self), queues, read_queue, NULL, error,
                              "SELECT " QUEUE_COLUMNS " FROM inbound_queue"
                              " ORDER BY position, id", DD_END))
    return NULL;
  return g_steal_pointer (&queues);
}

DdInboundQueue *
dd_inbound_store_get_queue (DdInboundStore  *self,
                            gint64           queue_id,
                            GError         **error)
{
  gpointer queue = NULL;

  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), NULL);

  if (!dd_database_fetch_row (dd_store_db (self), &queue, read_queue, NULL, error,
                              "SELECT " QUEUE_COLUMNS " FROM inbound_queue WHERE id = ?",
                              DD_INT (queue_id), DD_END))
    return NULL;
  if (queue == NULL)
    not_found (error);
  return queue;
}

static const char *
hold_music_or_null (const DdInboundQueue *queue)
{
  return queue->hold_music != NULL && *queue->hold_music != '\0' ? queue->hold_music : NULL;
}

gboolean
dd_inbound_store_add_queue (DdInboundStore        *self,
                            const DdInboundQueue  *queue,
                            gint64                *out_id,
                            GError               **error)
{
  DdDatabase *db;
  g_autofree char *now = NULL;
  g_autofree char *name = NULL;
  gint64 n = 0, last = 0, id = 0;
  gboolean ok;

  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), FALSE);
  g_return_val_if_fail (queue != NULL, FALSE);

  if (!dd_inbound_queue_validate (queue, error))
    return FALSE;
  db = dd_store_db (self);
  now = now_text (self);
  name = g_strstrip (g_strdup (queue->name));
  if (!dd_database_begin (db, error))
    return FALSE;
  ok = dd_database_fetch_int64 (db, &n, NULL, error,
                                "SELECT COUNT(*) FROM inbound_queue", DD_END)
       && dd_database_fetch_int64 (db, &last, NULL, error,
                                   "SELECT COALESCE(MAX(position), -1) FROM inbound_queue",
                                   DD_END);
  if (ok && n >= DD_INBOUND_MAX_QUEUES)
    {
      g_set_error (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_TOO_MANY,
                   /* Translators: %d is the number of queues an office can have (3) */
                   _("An office can have at most %d queues."), DD_INBOUND_MAX_QUEUES);
      ok = FALSE;
    }
  ok = ok && dd_database_insert (db, &id, error,
                                 "INSERT INTO inbound_queue (name, position, strategy,"
                                 " hold_music, announce_every_s, max_wait_s, on_max_wait,"
                                 " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                 DD_TEXT (name), DD_INT (last + 1),
                                 DD_TEXT (strategy_names[queue->strategy]),
                                 DD_TEXT (hold_music_or_null (queue)),
                                 DD_INT (queue->announce_every_s), DD_INT (queue->max_wait_s),
                                 DD_TEXT (on_max_wait_names[queue->on_max_wait]),
                                 DD_TEXT (now), DD_END);
  if (!dd_database_finish (db, ok, error))
    return FALSE;
  if (out_id != NULL)
    *out_id = id;
  return TRUE;
}

gboolean
dd_inbound_store_update_queue (DdInboundStore        *self,
                               const DdInboundQueue  *queue,
                               GError               **error)
{
  DdDatabase *db;
  g_autofree char *name = NULL;

  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), FALSE);
  g_return_val_if_fail (queue != NULL, FALSE);

  if (!dd_inbound_queue_validate (queue, error))
    return FALSE;
  db = dd_store_db (self);
  name = g_strstrip (g_strdup (queue->name));
  if (!dd_database_execute (db, error,
                            "UPDATE inbound_queue SET name = ?, position = ?, strategy = ?,"
                            " hold_music = ?, announce_every_s = ?, max_wait_s = ?,"
                            " on_max_wait = ? WHERE id = ?",
                            DD_TEXT (name), DD_INT (queue->position),
                            DD_TEXT (strategy_names[queue->strategy]),
                            DD_TEXT (hold_music_or_null (queue)),
                            DD_INT (queue->announce_every_s), DD_INT (queue->max_wait_s),
                            DD_TEXT (on_max_wait_names[queue->on_max_wait]),
                            DD_INT (queue->id), DD_END))
    return FALSE;
  if (dd_database_changes (db) == 0)
    return not_found (error);
  return TRUE;
}

gboolean
dd_inbound_store_remove_queue (DdInboundStore  *self,
                               gint64           queue_id,
                               GError         **error)
{
  DdDatabase *db;
  gboolean ok;

  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), FALSE);

  db = dd_store_db (self);
  if (!dd_database_begin (db, error))
    return FALSE;
  ok = dd_database_execute (db, error,
                            "UPDATE inbound_call SET queue_id = NULL WHERE queue_id = ?",
                            DD_INT (queue_id), DD_END)
       && dd_database_execute (db, error, "DELETE FROM inbound_queue WHERE id = ?",
                               DD_INT (queue_id), DD_END);
  if (ok && dd_database_changes (db) == 0)
    ok = not_found (error);
  return dd_database_finish (db, ok, error);
}

/* --- the line --- */

gboolean
dd_inbound_store_get_line (DdInboundStore  *self,
                           char           **out_sip_account,
                           gint64          *out_ivr_flow_id,
                           GError         **error)
{
  DdDatabase *db;
  g_autofree char *account = NULL;
  gint64 flow = 0;

  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), FALSE);

  db = dd_store_db (self);
  if (!dd_database_fetch_text (db, &account, error,
                               "SELECT sip_account FROM inbound_line WHERE id = 1", DD_END)
      || !dd_database_fetch_int64 (db, &flow, NULL, error,
                                   "SELECT COALESCE(ivr_flow_id, 0) FROM inbound_line"
                                   " WHERE id = 1", DD_END))
    return FALSE;
  if (out_sip_account != NULL)
    *out_sip_account = g_steal_pointer (&account);
  if (out_ivr_flow_id != NULL)
    *out_ivr_flow_id = flow;
  return TRUE;
}

gboolean
dd_inbound_store_set_line (DdInboundStore  *self,
                           const char      *sip_account,
                           gint64           ivr_flow_id,
                           GError         **error)
{
  DdDatabase *db;
  g_autofree char *now = NULL;
  const char *account = sip_account != NULL && *sip_account != '\0' ? sip_account : NULL;
  guint max_waiting = DD_INBOUND_DEFAULT_MAX_WAITING;
  gboolean ok;

  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), FALSE);

  db = dd_store_db (self);
  now = now_text (self);
  if (!dd_database_begin (db, error))
    return FALSE;
  /* the cap on waiting callers stays as it was */
  ok = dd_inbound_store_get_max_waiting (self, &max_waiting, error)
       && dd_database_execute (db, error, "DELETE FROM inbound_line WHERE id = 1", DD_END)
       && dd_database_execute (db, error,
                               "INSERT INTO inbound_line (id, sip_account, ivr_flow_id,"
                               " updated_at, max_waiting) VALUES (1, ?, ?, ?, ?)",
                               DD_TEXT (account), DD_INT_IF (ivr_flow_id > 0, ivr_flow_id),
                               DD_TEXT (now), DD_INT (max_waiting), DD_END);
  return dd_database_finish (db, ok, error);
}

gboolean
dd_inbound_store_get_max_waiting (DdInboundStore  *self,
                                  guint           *out_max,
                                  GError         **error)
{
  gint64 max = 0;
  gboolean found = FALSE;

  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), FALSE);
  g_return_val_if_fail (out_max != NULL, FALSE);

  if (!dd_database_fetch_int64 (dd_store_db (self), &max, &found, error,
                                "SELECT max_waiting FROM inbound_line WHERE id = 1", DD_END))
    return FALSE;
  *out_max = found && max > 0 ? (guint) MIN (max, DD_INBOUND_MAX_MAX_WAITING)
                              : DD_INBOUND_DEFAULT_MAX_WAITING;
  return TRUE;
}

gboolean
dd_inbound_store_set_max_waiting (DdInboundStore  *self,
                                  guint            max,
                                  GError         **error)
{
  DdDatabase *db;
  g_autofree char *now = NULL;
  gboolean ok;

  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), FALSE);

  if (max < 1 || max > DD_INBOUND_MAX_MAX_WAITING)
    {
      /* Translators: the cap on callers waiting on the office's line; %u is its maximum */
      g_set_error (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_INVALID,
                   _("Between 1 and %u callers may wait at once."),
                   (guint) DD_INBOUND_MAX_MAX_WAITING);
      return FALSE;
    }
  db = dd_store_db (self);
  now = now_text (self);
  if (!dd_database_begin (db, error))
    return FALSE;
  ok = dd_database_execute (db, error,
                            "UPDATE inbound_line SET max_waiting = ?, updated_at = ? WHERE id = 1",
                            DD_INT (max), DD_TEXT (now), DD_END);
  if (ok && dd_database_changes (db) == 0)
    ok = dd_database_execute (db, error,
                              "INSERT INTO inbound_line (id, updated_at, max_waiting)"
                              " VALUES (1, ?, ?)",
                              DD_TEXT (now), DD_INT (max), DD_END);
  return dd_database_finish (db, ok, error);
}

/* --- calls --- */

gboolean
dd_inbound_store_match_case (DdInboundStore  *self,
                             const char      *e164,
                             gint64          *out_case_id,
                             GError         **error)
{
  gint64 case_id = 0;

  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), FALSE);
  g_return_val_if_fail (out_case_id != NULL, FALSE);

  *out_case_id = 0;
  if (e164 == NULL || *e164 == '\0')
    return TRUE;
  if (!dd_database_fetch_int64 (dd_store_db (self), &case_id, NULL, error,
                                "SELECT c.id FROM debt_case c"
                                " JOIN phone p ON p.debtor_id = c.debtor_id"
                                " WHERE p.e164 = ? AND c.status <> 'closed'"
                                " ORDER BY c.balance_minor DESC, c.id LIMIT 1",
                                DD_TEXT (e164), DD_END))
    return FALSE;
  *out_case_id = case_id;
  return TRUE;
}

gboolean
dd_inbound_store_call_arrived (DdInboundStore  *self,
                               const char      *caller,
                               const char      *e164,
                               gint64           case_id,
                               gint64          *out_call_id,
                               GError         **error)
{
  g_autofree char *now = NULL;

  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), FALSE);
  g_return_val_if_fail (out_call_id != NULL, FALSE);

  now = now_text (self);
  return dd_database_insert (dd_store_db (self), out_call_id, error,
                             "INSERT INTO inbound_call (caller, e164, case_id, arrived_at)"
                             " VALUES (?, ?, ?, ?)",
                             DD_TEXT (caller != NULL && *caller != '\0' ? caller : "anonymous"),
                             DD_TEXT (e164 != NULL && *e164 != '\0' ? e164 : NULL),
                             DD_INT_IF (case_id > 0, case_id), DD_TEXT (now), DD_END);
}

gboolean
dd_inbound_store_call_refused (DdInboundStore  *self,
                               const char      *caller,
                               const char      *e164,
                               gint64           case_id,
                               gint64          *out_call_id,
                               GError         **error)
{
  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), FALSE);
  g_return_val_if_fail (out_call_id != NULL, FALSE);

  return dd_inbound_store_call_arrived (self, caller, e164, case_id, out_call_id, error)
         && dd_inbound_store_call_ended (self, *out_call_id, DD_INBOUND_OUTCOME_QUEUE_FULL,
                                         NULL, error);
}

static gboolean
call_update (DdInboundStore  *self,
             GError         **error,
             const char      *sql,
             gint64           call_id,
             gint64           value)
{
  DdDatabase *db = dd_store_db (self);
  g_autofree char *now = now_text (self);
  gboolean exists = FALSE;

  if (!dd_database_execute (db, error, sql, DD_TEXT (now), DD_INT_IF (value > 0, value),
                            DD_INT (call_id), DD_END))
    return FALSE;
  if (dd_database_changes (db) > 0)
    return TRUE;
  if (!dd_database_exists (db, &exists, error, "SELECT 1 FROM inbound_call WHERE id = ?",
                           DD_INT (call_id), DD_END))
    return FALSE;
  if (!exists)
    return not_found (error);
  g_set_error_literal (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_WRONG_STATE,
                       _("The call has already ended."));
  return FALSE;
}

gboolean
dd_inbound_store_call_queued (DdInboundStore  *self,
                              gint64           call_id,
                              gint64           queue_id,
                              GError         **error)
{
  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), FALSE);

  return call_update (self, error,
                      "UPDATE inbound_call SET queued_at = ?, queue_id = ?"
                      " WHERE id = ? AND ended_at IS NULL AND answered_at IS NULL",
                      call_id, queue_id);
}

gboolean
dd_inbound_store_call_answered (DdInboundStore  *self,
                                gint64           call_id,
                                gint64           agent_id,
                                GError         **error)
{
  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), FALSE);

  return call_update (self, error,
                      "UPDATE inbound_call SET answered_at = ?, agent_id = ?"
                      " WHERE id = ? AND ended_at IS NULL AND answered_at IS NULL",
                      call_id, agent_id);
}

gboolean
dd_inbound_store_call_ended (DdInboundStore    *self,
                             gint64             call_id,
                             DdInboundOutcome   outcome,
                             const char        *voicemail_path,
                             GError           **error)
{
  DdDatabase *db;
  g_autofree char *now = NULL;
  gint64 answered = 0;
  gboolean found = FALSE, ok;

  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), FALSE);
  g_return_val_if_fail (outcome != DD_INBOUND_OUTCOME_NONE, FALSE);
  g_return_val_if_fail ((guint) outcome < G_N_ELEMENTS (outcome_names), FALSE);

  db = dd_store_db (self);
  now = now_text (self);
  if (!dd_database_begin (db, error))
    return FALSE;
  ok = dd_database_fetch_int64 (db, &answered, &found, error,
                                "SELECT CASE WHEN answered_at IS NULL THEN 0 ELSE 1 END"
                                " FROM inbound_call WHERE id = ? AND ended_at IS NULL",
                                DD_INT (call_id), DD_END);
  if (ok && !found)
    {
      gboolean exists = FALSE;

      ok = dd_database_exists (db, &exists, error, "SELECT 1 FROM inbound_call WHERE id = ?",
                               DD_INT (call_id), DD_END);
      if (ok && !exists)
        ok = not_found (error);
      else if (ok)
        {
          g_set_error_literal (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_WRONG_STATE,
                               _("The call has already ended."));
          ok = FALSE;
        }
    }
  if (answered)
    outcome = DD_INBOUND_OUTCOME_ANSWERED;
  ok = ok && dd_database_execute (db, error,
                                  "UPDATE inbound_call SET ended_at = ?, outcome = ?,"
                                  " voicemail_path = ? WHERE id = ?",
                                  DD_TEXT (now), DD_TEXT (outcome_names[outcome]),
                                  DD_TEXT (outcome == DD_INBOUND_OUTCOME_VOICEMAIL
                                           ? voicemail_path : NULL),
                                  DD_INT (call_id), DD_END);
  if (ok && outcome != DD_INBOUND_OUTCOME_ANSWERED)
    ok = dd_database_execute (db, error,
                              "INSERT INTO inbound_missed (call_id, kind, status, created_at)"
                              " VALUES (?, ?, 'open', ?)",
                              DD_INT (call_id), DD_TEXT (outcome_names[outcome]),
                              DD_TEXT (now), DD_END);
  return dd_database_finish (db, ok, error);
}

#define CALL_COLUMNS \
  "id, caller, e164, case_id, queue_id, arrived_at, queued_at, answered_at, ended_at," \
  " outcome, agent_id, voicemail_path"

static gpointer
read_call (DdStatement   *stmt,
           gconstpointer  user_data)
{
  DdInboundCall *call = g_new0 (DdInboundCall, 1);

  call->id = dd_statement_get_int64 (stmt, 0);
  call->caller = dd_statement_dup_text (stmt, 1);
  call->e164 = dd_statement_dup_text (stmt, 2);
  call->case_id = dd_statement_get_int64 (stmt, 3);
  call->queue_id = dd_statement_get_int64 (stmt, 4);
  call->arrived_at = column_time (stmt, 5);
  call->queued_at = column_time (stmt, 6);
  call->answered_at = column_time (stmt, 7);
  call->ended_at = column_time (stmt, 8);
  dd_inbound_outcome_from_string (dd_statement_get_text (stmt, 9), &call->outcome);
  call->agent_id = dd_statement_get_int64 (stmt, 10);
  call->voicemail_path = dd_statement_dup_text (stmt, 11);
  return call;
}

DdInboundCall *
dd_inbound_store_get_call (DdInboundStore  *self,
                           gint64           call_id,
                           GError         **error)
{
  gpointer call = NULL;

  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), NULL);

  if (!dd_database_fetch_row (dd_store_db (self), &call, read_call, NULL, error,
                              "SELECT " CALL_COLUMNS " FROM inbound_call WHERE id = ?",
                              DD_INT (call_id), DD_END))
    return NULL;
  if (call == NULL)
    not_found (error);
  return call;
}

GPtrArray *
dd_inbound_store_list_calls (DdInboundStore  *self,
                             gint64           from,
                             gint64           to,
                             GError         **error)
{
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_inbound_call_free);
  g_autofree char *since = dd_call_attempts_format_time (from);
  g_autofree char *until = dd_call_attempts_format_time (to);

  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), NULL);

  if (!dd_database_fetch_all (dd_store_db (self), calls, read_call, NULL, error,
                              "SELECT " CALL_COLUMNS " FROM inbound_call"
                              " WHERE arrived_at >= ? AND arrived_at < ?"
                              " ORDER BY arrived_at DESC, id DESC",
                              DD_TEXT (since), DD_TEXT (until), DD_END))
    return NULL;
  return g_steal_pointer (&calls);
}

/* --- missed calls --- */

#define MISSED_SELECT \
  "SELECT m.id, m.call_id, m.kind, m.status, m.created_at, m.done_at, m.done_by, a.name," \
  " c.caller, c.e164, c.case_id, d.debtor_name, c.queue_id, q.name, c.arrived_at," \
  " c.queued_at, c.ended_at, c.voicemail_path" \
  " FROM inbound_missed m JOIN inbound_call c ON c.id = m.call_id" \
  " LEFT JOIN agent a ON a.id = m.done_by" \
  " LEFT JOIN debt_case d ON d.id = c.case_id" \
  " LEFT JOIN inbound_queue q ON q.id = c.queue_id"

static gpointer
read_missed (DdStatement   *stmt,
             gconstpointer  user_data)
{
  DdInboundMissed *missed = g_new0 (DdInboundMissed, 1);
  gint64 queued, ended;

  missed->id = dd_statement_get_int64 (stmt, 0);
  missed->call_id = dd_statement_get_int64 (stmt, 1);
  dd_inbound_outcome_from_string (dd_statement_get_text (stmt, 2), &missed->kind);
  missed->done = g_strcmp0 (dd_statement_get_text (stmt, 3), "done") == 0;
  missed->created_at = column_time (stmt, 4);
  missed->done_at = column_time (stmt, 5);
  missed->done_by = dd_statement_get_int64 (stmt, 6);
  missed->done_by_name = dd_statement_dup_text (stmt, 7);
  missed->caller = dd_statement_dup_text (stmt, 8);
  missed->e164 = dd_statement_dup_text (stmt, 9);
  missed->case_id = dd_statement_get_int64 (stmt, 10);
  missed->debtor_name = dd_statement_dup_text (stmt, 11);
  missed->queue_id = dd_statement_get_int64 (stmt, 12);
  missed->queue_name = dd_statement_dup_text (stmt, 13);
  missed->arrived_at = column_time (stmt, 14);
  queued = column_time (stmt, 15);
  ended = column_time (stmt, 16);
  missed->waited_s = queued > 0 && ended >= queued ? (guint) (ended - queued) : 0;
  missed->voicemail_path = dd_statement_dup_text (stmt, 17);
  return missed;
}

GPtrArray *
dd_inbound_store_list_missed (DdInboundStore  *self,
                              gboolean         open_only,
                              GError         **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_inbound_missed_free);
  gboolean ok;

  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), NULL);

  if (open_only)
    ok = dd_database_fetch_all (dd_store_db (self), list, read_missed, NULL, error,
                                MISSED_SELECT " WHERE m.status = 'open'"
                                " ORDER BY m.created_at DESC, m.id DESC", DD_END);
  else
    ok = dd_database_fetch_all (dd_store_db (self), list, read_missed, NULL, error,
                                MISSED_SELECT " ORDER BY m.created_at DESC, m.id DESC",
                                DD_END);
  if (!ok)
    return NULL;
  return g_steal_pointer (&list);
}

gboolean
dd_inbound_store_count_open (DdInboundStore  *self,
                             guint           *out_n,
                             GError         **error)
{
  gint64 n = 0;

  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), FALSE);

  if (!dd_database_fetch_int64 (dd_store_db (self), &n, NULL, error,
                                "SELECT COUNT(*) FROM inbound_missed WHERE status = 'open'",
                                DD_END))
    return FALSE;
  if (out_n != NULL)
    *out_n = (guint) n;
  return TRUE;
}

static gboolean
missed_set (DdInboundStore  *self,
            gint64           missed_id,
            gboolean         done,
            gint64           agent_id,
            GError         **error)
{
  DdDatabase *db = dd_store_db (self);
  g_autofree char *now = now_text (self);
  gboolean exists = FALSE;
  gboolean ok;

  if (done)
    ok = dd_database_execute (db, error,
                              "UPDATE inbound_missed SET status = 'done', done_at = ?,"
                              " done_by = ? WHERE id = ? AND status = 'open'",
                              DD_TEXT (now), DD_INT_IF (agent_id > 0, agent_id),
                              DD_INT (missed_id), DD_END);
  else
    ok = dd_database_execute (db, error,
                              "UPDATE inbound_missed SET status = 'open', done_at = NULL,"
                              " done_by = NULL WHERE id = ? AND status = 'done'",
                              DD_INT (missed_id), DD_END);
  if (!ok)
    return FALSE;
  if (dd_database_changes (db) > 0)
    return TRUE;
  if (!dd_database_exists (db, &exists, error, "SELECT 1 FROM inbound_missed WHERE id = ?",
                           DD_INT (missed_id), DD_END))
    return FALSE;
  if (!exists)
    return not_found (error);
  g_set_error_literal (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_WRONG_STATE,
                       done ? _("Someone has already called back.")
                            : _("Nobody has called back yet."));
  return FALSE;
}

gboolean
dd_inbound_store_missed_done (DdInboundStore  *self,
                              gint64           missed_id,
                              gint64           agent_id,
                              GError         **error)
{
  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), FALSE);
  return missed_set (self, missed_id, TRUE, agent_id, error);
}

gboolean
dd_inbound_store_missed_reopen (DdInboundStore  *self,
                                gint64           missed_id,
                                GError         **error)
{
  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), FALSE);
  return missed_set (self, missed_id, FALSE, 0, error);
}

/* --- figures --- */

typedef struct
{
  DdInboundFigures  figures;
  double            wait_sum;
  double            abandon_sum;
} Tally;

static void
tally_add (Tally               *tally,
           const DdInboundCall *call)
{
  DdInboundFigures *f = &tally->figures;
  gint64 end;
  guint waited;

  if (call->outcome == DD_INBOUND_OUTCOME_CLOSED_HOURS)
    {
      f->closed++;
      return;
    }
  if (call->outcome == DD_INBOUND_OUTCOME_QUEUE_FULL)
    {
      f->refused++;
      return;
    }
  if (call->queued_at == 0)
    return;
  f->offered++;
  end = call->answered_at != 0 ? call->answered_at : call->ended_at;
  waited = end >= call->queued_at ? (guint) (end - call->queued_at) : 0;
  f->longest_wait_s = MAX (f->longest_wait_s, waited);
  if (call->answered_at != 0)
    {
      f->answered++;
      if (waited <= DD_INBOUND_SERVICE_LEVEL_S)
        f->answered_in_sl++;
      tally->wait_sum += waited;
    }
  else if (call->outcome == DD_INBOUND_OUTCOME_ABANDONED)
    {
      f->abandoned++;
      tally->abandon_sum += waited;
    }
  else if (call->outcome == DD_INBOUND_OUTCOME_VOICEMAIL
           || call->outcome == DD_INBOUND_OUTCOME_CALLBACK_REQUESTED)
    f->overflowed++;
}

static DdInboundFigures *
tally_finish (const Tally *tally)
{
  DdInboundFigures *f = g_memdup2 (&tally->figures, sizeof tally->figures);

  if (f->offered > 0)
    {
      f->service_level = (double) f->answered_in_sl / f->offered;
      f->abandoned_rate = (double) f->abandoned / f->offered;
    }
  if (f->answered > 0)
    f->average_wait_s = tally->wait_sum / f->answered;
  if (f->abandoned > 0)
    f->average_abandon_s = tally->abandon_sum / f->abandoned;
  return f;
}

GPtrArray *
dd_inbound_store_figures (DdInboundStore  *self,
                          gint64           from,
                          gint64           to,
                          GTimeZone       *tz,
                          GError         **error)
{
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GPtrArray) queues = NULL;
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GTimeZone) local = NULL;
  g_autofree Tally *day = NULL;      /* [1 + n_queues]: all, then each queue */
  g_autofree Tally *hours = NULL;    /* [(1 + n_queues) × 24] */
  g_autofree gboolean *seen = NULL;
  guint n;

  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), NULL);

  calls = dd_inbound_store_list_calls (self, from, to, error);
  if (calls == NULL)
    return NULL;
  queues = dd_inbound_store_list_queues (self, error);
  if (queues == NULL)
    return NULL;
  if (tz == NULL)
    tz = local = g_time_zone_new_local ();
  n = 1 + queues->len;
  day = g_new0 (Tally, n);
  hours = g_new0 (Tally, n * 24);
  seen = g_new0 (gboolean, n * 24);
  for (guint i = 0; i < n; i++)
    {
      day[i].figures.queue_id = i == 0 ? 0 : ((DdInboundQueue *) queues->pdata[i - 1])->id;
      day[i].figures.hour = -1;
      for (guint h = 0; h < 24; h++)
        {
          hours[i * 24 + h].figures.queue_id = day[i].figures.queue_id;
          hours[i * 24 + h].figures.hour = (gint) h;
        }
    }

  for (guint c = 0; c < calls->len; c++)
    {
      const DdInboundCall *call = calls->pdata[c];
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (call->arrived_at);
      g_autoptr(GDateTime) there = utc != NULL ? g_date_time_to_timezone (utc, tz) : NULL;
      guint h = there != NULL ? (guint) g_date_time_get_hour (there) : 0;
      guint q = 0;

      for (guint i = 1; i < n; i++)
        if (((DdInboundQueue *) queues->pdata[i - 1])->id == call->queue_id
            && call->queue_id != 0)
          q = i;
      tally_add (&day[0], call);
      tally_add (&hours[h], call);
      seen[h] = TRUE;
      if (q != 0)
        {
          tally_add (&day[q], call);
          tally_add (&hours[q * 24 + h], call);
          seen[q * 24 + h] = TRUE;
        }
    }

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (result, tally_finish (&day[i]));
  for (guint i = 0; i < n; i++)
    for (guint h = 0; h < 24; h++)
      if (seen[i * 24 + h])
        g_ptr_array_add (result, tally_finish (&hours[i * 24 + h]));
  return g_steal_pointer (&result);
}

gboolean
dd_inbound_store_expected_wait (DdInboundStore  *self,
                                gint64           queue_id,
                                guint            position,
                                guint            fallback_s,
                                guint           *out_wait_s,
                                GError         **error)
{
  gint64 now;
  g_autoptr(GPtrArray) calls = NULL;
  double sum = 0;
  guint n = 0;

  g_return_val_if_fail (DD_IS_INBOUND_STORE (self), FALSE);
  g_return_val_if_fail (out_wait_s != NULL, FALSE);

  now = dd_inbound_store_now (self);
  calls = dd_inbound_store_list_calls (self, now - 3600, now + 1, error);
  if (calls == NULL)
    return FALSE;
  for (guint i = 0; i < calls->len; i++)
    {
      const DdInboundCall *call = calls->pdata[i];

      if (call->queue_id != queue_id || call->answered_at == 0 || call->queued_at == 0)
        continue;
      sum += MAX (call->answered_at - call->queued_at, 0);
      n++;
    }
  position = MAX (position, 1);
  *out_wait_s = n > 0 ? (guint) (sum / n * position + 0.5) : fallback_s * position;
  return TRUE;
}
