/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-wrap-up"

#include "config.h"

#include "dd-wrap-up.h"

#include "dd-types.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

static const char * const outcome_names[] = {
  [DD_WRAP_UP_RIGHT_PARTY] = "right-party",
  [DD_WRAP_UP_WRONG_NUMBER] = "wrong-number",
  [DD_WRAP_UP_PROMISE] = "promise",
  [DD_WRAP_UP_REFUSED] = "refused",
  [DD_WRAP_UP_CALL_BACK] = "call-back",
  [DD_WRAP_UP_DISPUTE] = "dispute",
};

DD_DEFINE_ENUM_NAMES (DdWrapUpOutcome, dd_wrap_up_outcome, outcome_names)

const char *
dd_wrap_up_outcome_to_label (DdWrapUpOutcome outcome)
{
  switch (outcome)
    {
    case DD_WRAP_UP_RIGHT_PARTY:
      /* Translators: the outcome of a call, chosen in its wrap-up */
      return C_("call outcome", "Right party");
    case DD_WRAP_UP_WRONG_NUMBER:
      return C_("call outcome", "Wrong number");
    case DD_WRAP_UP_PROMISE:
      return C_("call outcome", "Promise to pay");
    case DD_WRAP_UP_REFUSED:
      return C_("call outcome", "Refused");
    case DD_WRAP_UP_CALL_BACK:
      return C_("call outcome", "Call back");
    case DD_WRAP_UP_DISPUTE:
    default:
      return C_("call outcome", "Dispute");
    }
}

gboolean
dd_wrap_up_outcome_get_status (DdWrapUpOutcome  outcome,
                               DdCaseStatus    *out_status)
{
  DdCaseStatus status;

  switch (outcome)
    {
    case DD_WRAP_UP_WRONG_NUMBER:
      status = DD_CASE_STATUS_NO_ANSWER;
      break;
    case DD_WRAP_UP_PROMISE:
      status = DD_CASE_STATUS_PAYMENT_DECLARATION;
      break;
    case DD_WRAP_UP_REFUSED:
      status = DD_CASE_STATUS_NEW;
      break;
    case DD_WRAP_UP_CALL_BACK:
      status = DD_CASE_STATUS_CALL_LATER;
      break;
    case DD_WRAP_UP_RIGHT_PARTY:
    case DD_WRAP_UP_DISPUTE:
    default:
      return FALSE;
    }
  if (out_status != NULL)
    *out_status = status;
  return TRUE;
}

static char *
outcome_refs (const DdWrapUp *wrap_up)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder, dd_wrap_up_outcome_to_string (wrap_up->outcome));
  if (wrap_up->e164 != NULL)
    {
      json_builder_set_member_name (builder, "e164");
      json_builder_add_string_value (builder, wrap_up->e164);
    }
  if (wrap_up->outcome == DD_WRAP_UP_CALL_BACK && wrap_up->call_back_at != NULL)
    {
      json_builder_set_member_name (builder, "call_back_at");
      json_builder_add_string_value (builder, wrap_up->call_back_at);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static gboolean
change_status (DdCaseStore     *cases,
               gint64           agent_id,
               gint64           case_id,
               const DdWrapUp  *wrap_up,
               GError         **error)
{
  DdStatusChange change = { 0 };

  if (!dd_wrap_up_outcome_get_status (wrap_up->outcome, &change.status))
    return TRUE;
  change.note = wrap_up->note;
  if (wrap_up->outcome == DD_WRAP_UP_PROMISE)
    {
      change.amount_minor = wrap_up->amount_minor;
      change.currency = wrap_up->currency;
      change.promised_on = wrap_up->promised_on;
    }
  else if (wrap_up->outcome == DD_WRAP_UP_CALL_BACK)
    change.call_at = wrap_up->call_back_at;
  return dd_case_store_set_status (cases, agent_id, case_id, &change, error);
}

static gboolean
schedule_callback (DdDatabase      *db,
                   gint64           agent_id,
                   gint64           case_id,
                   const DdWrapUp  *wrap_up,
                   GError         **error)
{
  g_autofree char *now = dd_timestamp_now ();

  return dd_database_execute (db, error,
                              "UPDATE debt_case SET agent_id = ? WHERE id = ?",
                              DD_INT_IF (agent_id > 0, agent_id), DD_INT (case_id), DD_END)
         && dd_database_execute (db, error,
                                 "INSERT INTO callback (case_id, agent_id, due_at, note,"
                                 " created_at) VALUES (?, ?, ?, ?, ?)",
                                 DD_INT (case_id), DD_INT_IF (agent_id > 0, agent_id),
                                 DD_TEXT (wrap_up->call_back_at), DD_TEXT (wrap_up->note),
                                 DD_TEXT (now), DD_END);
}

static gboolean
apply_ladder (DdLadderStore   *ladder,
              gint64           case_id,
              const DdWrapUp  *wrap_up,
              GError         **error)
{
  g_autofree char *day = NULL;

  switch (wrap_up->outcome)
    {
    case DD_WRAP_UP_REFUSED:
      return dd_ladder_store_set_paused (ladder, case_id, NULL, error);
    case DD_WRAP_UP_CALL_BACK:
      day = g_strndup (wrap_up->call_back_at, 10);
      return dd_ladder_store_set_paused (ladder, case_id, day, error);
    case DD_WRAP_UP_DISPUTE:
      return dd_ladder_store_set_excluded (ladder, case_id, "dispute", error);
    case DD_WRAP_UP_RIGHT_PARTY:
    case DD_WRAP_UP_WRONG_NUMBER:
    case DD_WRAP_UP_PROMISE:
    default:
      return TRUE;
    }
}

gboolean
dd_wrap_up_apply (DdCaseStore     *cases,
                  DdLadderStore   *ladder,
                  gint64           agent_id,
                  gint64           case_id,
                  const DdWrapUp  *wrap_up,
                  GError         **error)
{
  DdDatabase *db;
  g_autofree char *refs = NULL;
  gboolean ok;

  g_return_val_if_fail (DD_IS_CASE_STORE (cases), FALSE);
  g_return_val_if_fail (DD_IS_LADDER_STORE (ladder), FALSE);
  g_return_val_if_fail (wrap_up != NULL, FALSE);
  g_return_val_if_fail (wrap_up->outcome < DD_WRAP_UP_N_OUTCOMES, FALSE);

  db = dd_store_get_database (DD_STORE (cases));
  if (wrap_up->outcome == DD_WRAP_UP_CALL_BACK && wrap_up->call_back_at == NULL)
    {
      g_set_error_literal (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID,
                           _("Choose when to call back."));
      return FALSE;
    }

  refs = outcome_refs (wrap_up);
  if (!dd_database_begin (db, error))
    return FALSE;
  ok = change_status (cases, agent_id, case_id, wrap_up, error)
       && dd_case_store_add_activity (cases, case_id, "call-outcome", "call",
                                      dd_wrap_up_outcome_to_label (wrap_up->outcome), refs,
                                      agent_id, error);
  if (ok && wrap_up->outcome == DD_WRAP_UP_WRONG_NUMBER && wrap_up->e164 != NULL)
    ok = dd_database_execute (db, error,
                              "UPDATE phone SET valid = 0 WHERE e164 = ? AND debtor_id ="
                              " (SELECT debtor_id FROM debt_case WHERE id = ?)",
                              DD_TEXT (wrap_up->e164), DD_INT (case_id), DD_END);
  if (ok && wrap_up->outcome == DD_WRAP_UP_CALL_BACK)
    ok = schedule_callback (db, agent_id, case_id, wrap_up, error);
  ok = ok && apply_ladder (ladder, case_id, wrap_up, error);
  return dd_database_finish (db, ok, error);
}

static const DdField callback_fields[] = {
  DD_FIELD (DdCallback, id, INT64),
  DD_FIELD (DdCallback, case_id, INT64),
  DD_FIELD (DdCallback, agent_id, INT64),
  DD_FIELD (DdCallback, due_at, TEXT),
  DD_FIELD (DdCallback, note, TEXT),
};
static const DdRowType callback_row = DD_ROW_TYPE (DdCallback, callback_fields);
DD_DEFINE_ROW_FREE_FUNC (DdCallback, dd_callback_free, callback_row)

GPtrArray *
dd_callbacks_list (DdDatabase  *database,
                   gint64       agent_id,
                   const char  *until,
                   GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_callback_free);

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);

  if (!dd_database_fetch_all (database, list, dd_statement_read_row, &callback_row, error,
                              "SELECT id, case_id, agent_id, due_at, note FROM callback"
                              " WHERE done_at IS NULL AND (? = 0 OR agent_id = ?)"
                              " AND (CAST (? AS TEXT) IS NULL OR due_at <= ?) ORDER BY due_at, id",
                              DD_INT (agent_id), DD_INT (agent_id), DD_TEXT (until),
                              DD_TEXT (until), DD_END))
    return NULL;
  return g_steal_pointer (&list);
}

gboolean
dd_callbacks_mark_done (DdDatabase  *database,
                        gint64       callback_id,
                        GError     **error)
{
  g_autofree char *now = dd_timestamp_now ();

  g_return_val_if_fail (DD_IS_DATABASE (database), FALSE);

  return dd_database_execute (database, error,
                              "UPDATE callback SET done_at = ? WHERE id = ? AND done_at IS NULL",
                              DD_TEXT (now), DD_INT (callback_id), DD_END);
}
