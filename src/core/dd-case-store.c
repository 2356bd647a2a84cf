/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-case-store"

#include "config.h"

#include "dd-case-store.h"

struct _DdCaseStore
{
  GObject     parent_instance;

  DdDatabase *database;
};

G_DEFINE_FINAL_TYPE (DdCaseStore, dd_case_store, G_TYPE_OBJECT)

static const char * const status_names[] = {
  [DD_CASE_STATUS_NEW] = "new",
  [DD_CASE_STATUS_CALL_LATER] = "call-later",
  [DD_CASE_STATUS_NO_ANSWER] = "no-answer",
  [DD_CASE_STATUS_PAYMENT_DECLARATION] = "payment-declaration",
  [DD_CASE_STATUS_CLOSED] = "closed",
};

const char *
dd_case_status_to_string (DdCaseStatus status)
{
  g_return_val_if_fail (status <= DD_CASE_STATUS_CLOSED, NULL);

  return status_names[status];
}

gboolean
dd_case_status_from_string (const char   *text,
                            DdCaseStatus *out_status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (g_strcmp0 (text, status_names[i]) == 0)
      {
        *out_status = i;
        return TRUE;
      }
  return FALSE;
}

static void
dd_case_store_finalize (GObject *object)
{
  DdCaseStore *self = DD_CASE_STORE (object);

  g_clear_object (&self->database);

  G_OBJECT_CLASS (dd_case_store_parent_class)->finalize (object);
}

static void
dd_case_store_class_init (DdCaseStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dd_case_store_finalize;
}

static void
dd_case_store_init (DdCaseStore *self)
{
}

DdCaseStore *
dd_case_store_new (DdDatabase *database)
{
  DdCaseStore *self;

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);

  self = g_object_new (DD_TYPE_CASE_STORE, NULL);
  self->database = g_object_ref (database);
  return self;
}

DdDatabase *
dd_case_store_get_database (DdCaseStore *self)
{
  g_return_val_if_fail (DD_IS_CASE_STORE (self), NULL);

  return self->database;
}

gboolean
dd_case_store_count (DdCaseStore  *self,
                     gint64       *out_total,
                     gint64       *out_open,
                     GError      **error)
{
  gint64 dummy;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);

  return dd_database_query_int64 (self->database, "SELECT COUNT(*) FROM debt_case",
                                  out_total ? out_total : &dummy, error) &&
         dd_database_query_int64 (self->database,
                                  "SELECT COUNT(*) FROM debt_case WHERE status <> 'closed'",
                                  out_open ? out_open : &dummy, error);
}

/* Runs @stmt (bound) expecting at most one row with (id, run) columns. */
static gboolean
lookup_id_run (DdStatement  *stmt,
               gboolean     *out_found,
               gint64       *out_id,
               gint64       *out_run,
               GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  *out_found = dd_statement_step (stmt, &local_error);
  if (*out_found)
    {
      *out_id = dd_statement_get_int64 (stmt, 0);
      if (out_run)
        *out_run = dd_statement_get_int64 (stmt, 1);
    }
  dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

gboolean
dd_case_store_ensure_creditor (DdCaseStore  *self,
                               const char   *name,
                               gint64       *out_id,
                               GError      **error)
{
  g_autofree char *now = NULL;
  DdStatement *stmt;
  gboolean found;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  stmt = dd_database_cached (self->database, "SELECT id FROM creditor WHERE name = ?", error);
  if (stmt == NULL)
    return FALSE;
  dd_statement_bind_text (stmt, 1, name);
  if (!lookup_id_run (stmt, &found, out_id, NULL, error))
    return FALSE;
  if (found)
    return TRUE;

  now = dd_timestamp_now ();
  stmt = dd_database_cached (self->database,
                             "INSERT INTO creditor (name, created_at) VALUES (?, ?)",
                             error);
  if (stmt == NULL)
    return FALSE;
  dd_statement_bind_text (stmt, 1, name);
  dd_statement_bind_text (stmt, 2, now);
  return dd_statement_run_insert (stmt, out_id, error);
}

gboolean
dd_case_store_upsert_case (DdCaseStore     *self,
                           gint64           debtor_id,
                           gint64           creditor_id,
                           const char      *currency,
                           gint64           run_id,
                           gint64          *out_id,
                           DdUpsertResult  *out_result,
                           GError         **error)
{
  g_autofree char *now = NULL;
  DdStatement *stmt;
  gint64 last_run = 0;
  gboolean found;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);

  stmt = dd_database_cached (self->database,
                             "SELECT id, last_import_run_id FROM debt_case"
                             " WHERE debtor_id = ? AND creditor_id = ?",
                             error);
  if (stmt == NULL)
    return FALSE;
  dd_statement_bind_int64 (stmt, 1, debtor_id);
  dd_statement_bind_int64 (stmt, 2, creditor_id);
  if (!lookup_id_run (stmt, &found, out_id, &last_run, error))
    return FALSE;

  now = dd_timestamp_now ();
  if (found)
    {
      if (run_id > 0 && last_run == run_id)
        {
          *out_result = DD_UPSERT_SEEN;
          return TRUE;
        }
      *out_result = DD_UPSERT_UPDATED;
      if (run_id <= 0)
        return TRUE;
      stmt = dd_database_cached (self->database,
                                 "UPDATE debt_case SET last_import_run_id = ?, updated_at = ?"
                                 " WHERE id = ?",
                                 error);
      if (stmt == NULL)
        return FALSE;
      dd_statement_bind_int64 (stmt, 1, run_id);
      dd_statement_bind_text (stmt, 2, now);
      dd_statement_bind_int64 (stmt, 3, *out_id);
      return dd_statement_run (stmt, error);
    }

  stmt = dd_database_cached (self->database,
                             "INSERT INTO debt_case (debtor_id, creditor_id, currency,"
                             " last_import_run_id, created_at, updated_at)"
                             " VALUES (?, ?, ?, ?, ?, ?)",
                             error);
  if (stmt == NULL)
    return FALSE;
  dd_statement_bind_int64 (stmt, 1, debtor_id);
  dd_statement_bind_int64 (stmt, 2, creditor_id);
  dd_statement_bind_text (stmt, 3, currency);
  if (run_id > 0)
    dd_statement_bind_int64 (stmt, 4, run_id);
  dd_statement_bind_text (stmt, 5, now);
  dd_statement_bind_text (stmt, 6, now);
  *out_result = DD_UPSERT_NEW;
  return dd_statement_run_insert (stmt, out_id, error);
}

gboolean
dd_case_store_upsert_liability (DdCaseStore              *self,
                                gint64                    case_id,
                                const DdLiabilityRecord  *record,
                                gint64                    run_id,
                                DdUpsertResult           *out_result,
                                GError                  **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = NULL;
  DdStatement *stmt;
  gint64 id = 0, last_run = 0, amount = 0;
  gboolean found, same;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);

  /* Most invoices of an export are new: try the insert first. */
  now = dd_timestamp_now ();
  stmt = dd_database_cached (self->database,
                             "INSERT INTO liability (case_id, invoice_no, issued_on, due_on,"
                             " amount_minor, currency, import_run_id, created_at, updated_at)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                             " ON CONFLICT (case_id, invoice_no) DO NOTHING",
                             error);
  if (stmt == NULL)
    return FALSE;
  dd_statement_bind_int64 (stmt, 1, case_id);
  dd_statement_bind_text (stmt, 2, record->invoice_no);
  dd_statement_bind_text (stmt, 3, record->issued_on);
  dd_statement_bind_text (stmt, 4, record->due_on);
  dd_statement_bind_int64 (stmt, 5, record->amount_minor);
  dd_statement_bind_text (stmt, 6, record->currency);
  if (run_id > 0)
    dd_statement_bind_int64 (stmt, 7, run_id);
  dd_statement_bind_text (stmt, 8, now);
  dd_statement_bind_text (stmt, 9, now);
  if (!dd_statement_run (stmt, error))
    return FALSE;
  if (dd_database_changes (self->database) > 0)
    {
      *out_result = DD_UPSERT_NEW;
      return TRUE;
    }

  stmt = dd_database_cached (self->database,
                             "SELECT id, import_run_id, amount_minor, currency, due_on, issued_on,"
                             " paid_at FROM liability WHERE case_id = ? AND invoice_no = ?",
                             error);
  if (stmt == NULL)
    return FALSE;
  dd_statement_bind_int64 (stmt, 1, case_id);
  dd_statement_bind_text (stmt, 2, record->invoice_no);
  found = dd_statement_step (stmt, &local_error);
  same = FALSE;
  if (found)
    {
      id = dd_statement_get_int64 (stmt, 0);
      last_run = dd_statement_get_int64 (stmt, 1);
      amount = dd_statement_get_int64 (stmt, 2);
      same = amount == record->amount_minor &&
             g_strcmp0 (dd_statement_get_text (stmt, 3), record->currency) == 0 &&
             g_strcmp0 (dd_statement_get_text (stmt, 4), record->due_on) == 0 &&
             g_strcmp0 (dd_statement_get_text (stmt, 5), record->issued_on) == 0 &&
             dd_statement_is_null (stmt, 6);
    }
  dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!found)
    {
      g_set_error_literal (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_SQL,
                           "liability neither inserted nor found");
      return FALSE;
    }

  if (run_id > 0 && last_run == run_id)
    {
      *out_result = DD_UPSERT_SEEN;
      return TRUE;
    }

  *out_result = same ? DD_UPSERT_UNCHANGED : DD_UPSERT_UPDATED;
  if (same)
    stmt = dd_database_cached (self->database,
                               "UPDATE liability SET import_run_id = ? WHERE id = ?", error);
  else
    stmt = dd_database_cached (self->database,
                               "UPDATE liability SET import_run_id = ?, issued_on = ?, due_on = ?,"
                               " amount_minor = ?, currency = ?, paid_at = NULL, updated_at = ?"
                               " WHERE id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  if (run_id > 0)
    dd_statement_bind_int64 (stmt, 1, run_id);
  if (same)
    dd_statement_bind_int64 (stmt, 2, id);
  else
    {
      dd_statement_bind_text (stmt, 2, record->issued_on);
      dd_statement_bind_text (stmt, 3, record->due_on);
      dd_statement_bind_int64 (stmt, 4, record->amount_minor);
      dd_statement_bind_text (stmt, 5, record->currency);
      dd_statement_bind_text (stmt, 6, now);
      dd_statement_bind_int64 (stmt, 7, id);
    }
  return dd_statement_run (stmt, error);
}

static gboolean
run_with_run_id (DdCaseStore  *self,
                 const char   *sql,
                 const char   *now,
                 gint64        run_id,
                 GError      **error)
{
  DdStatement *stmt = dd_database_cached (self->database, sql, error);

  if (stmt == NULL)
    return FALSE;
  dd_statement_bind_text (stmt, 1, now);
  dd_statement_bind_int64 (stmt, 2, run_id);
  return dd_statement_run (stmt, error);
}

gboolean
dd_case_store_finish_import (DdCaseStore  *self,
                             gint64        run_id,
                             const gint64 *creditor_ids,
                             guint         n_creditor_ids,
                             gboolean      mark_missing_paid,
                             gint64       *out_marked_paid,
                             GError      **error)
{
  g_autofree char *now = dd_timestamp_now ();
  gint64 marked = 0;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);

  if (mark_missing_paid)
    {
      for (guint i = 0; i < n_creditor_ids; i++)
        {
          DdStatement *stmt;
          gint64 before, after;

          /* The cases concerned join this run, so their balances are recomputed below. */
          stmt = dd_database_cached (self->database,
                                     "UPDATE debt_case SET last_import_run_id = ?, updated_at = ?"
                                     " WHERE creditor_id = ? AND id IN (SELECT case_id FROM liability"
                                     "  WHERE paid_at IS NULL"
                                     "  AND (import_run_id IS NULL OR import_run_id <> ?))",
                                     error);
          if (stmt == NULL)
            return FALSE;
          dd_statement_bind_int64 (stmt, 1, run_id);
          dd_statement_bind_text (stmt, 2, now);
          dd_statement_bind_int64 (stmt, 3, creditor_ids[i]);
          dd_statement_bind_int64 (stmt, 4, run_id);
          if (!dd_statement_run (stmt, error))
            return FALSE;

          if (!dd_database_query_int64 (self->database,
                                        "SELECT COUNT(*) FROM liability WHERE paid_at IS NOT NULL",
                                        &before, error))
            return FALSE;
          stmt = dd_database_cached (self->database,
                                     "UPDATE liability SET paid_at = ?, updated_at = ?"
                                     " WHERE paid_at IS NULL"
                                     " AND (import_run_id IS NULL OR import_run_id <> ?)"
                                     " AND case_id IN (SELECT id FROM debt_case WHERE creditor_id = ?)",
                                     error);
          if (stmt == NULL)
            return FALSE;
          dd_statement_bind_text (stmt, 1, now);
          dd_statement_bind_text (stmt, 2, now);
          dd_statement_bind_int64 (stmt, 3, run_id);
          dd_statement_bind_int64 (stmt, 4, creditor_ids[i]);
          if (!dd_statement_run (stmt, error))
            return FALSE;
          if (!dd_database_query_int64 (self->database,
                                        "SELECT COUNT(*) FROM liability WHERE paid_at IS NOT NULL",
                                        &after, error))
            return FALSE;
          marked += after - before;
        }
    }

  /* Streams over the cases (no materialised subquery: memory stays flat at 1,000,000 cases). */
  if (!run_with_run_id (self,
                        "INSERT INTO balance_history (case_id, balance_minor, currency, reason,"
                        " recorded_at, import_run_id)"
                        " SELECT c.id, COALESCE((SELECT SUM(l.amount_minor) FROM liability l"
                        "                        WHERE l.case_id = c.id AND l.paid_at IS NULL), 0),"
                        "  c.currency, 'import', ?, c.last_import_run_id"
                        " FROM debt_case c WHERE c.last_import_run_id = ?"
                        " AND COALESCE((SELECT SUM(l.amount_minor) FROM liability l"
                        "               WHERE l.case_id = c.id AND l.paid_at IS NULL), 0)"
                        "     <> c.balance_minor",
                        now, run_id, error))
    return FALSE;

  if (!run_with_run_id (self,
                        "UPDATE debt_case SET updated_at = ?, balance_minor ="
                        " COALESCE((SELECT SUM(l.amount_minor) FROM liability l"
                        "           WHERE l.case_id = debt_case.id AND l.paid_at IS NULL), 0)"
                        " WHERE last_import_run_id = ?",
                        now, run_id, error))
    return FALSE;

  if (out_marked_paid)
    *out_marked_paid = marked;
  return TRUE;
}
