/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-debtor-store"

#include "config.h"

#include "dd-debtor-store.h"

struct _DdDebtorStore
{
  GObject     parent_instance;

  DdDatabase *database;
};

G_DEFINE_FINAL_TYPE (DdDebtorStore, dd_debtor_store, G_TYPE_OBJECT)

static void
dd_debtor_store_finalize (GObject *object)
{
  DdDebtorStore *self = DD_DEBTOR_STORE (object);

  g_clear_object (&self->database);

  G_OBJECT_CLASS (dd_debtor_store_parent_class)->finalize (object);
}

static void
dd_debtor_store_class_init (DdDebtorStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dd_debtor_store_finalize;
}

static void
dd_debtor_store_init (DdDebtorStore *self)
{
}

DdDebtorStore *
dd_debtor_store_new (DdDatabase *database)
{
  DdDebtorStore *self;

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);

  self = g_object_new (DD_TYPE_DEBTOR_STORE, NULL);
  self->database = g_object_ref (database);
  return self;
}

static const char *
nonempty (const char *s)
{
  return (s != NULL && *s != '\0') ? s : NULL;
}

static gboolean
differs (const char *known,
         const char *given)
{
  /* An empty value never erases what is known. */
  return given != NULL && g_strcmp0 (known, given) != 0;
}

gboolean
dd_debtor_store_upsert (DdDebtorStore         *self,
                        const DdDebtorRecord  *record,
                        gint64                 run_id,
                        gint64                *out_id,
                        DdUpsertResult        *out_result,
                        GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = NULL;
  const char *tax_id = nonempty (record->tax_id);
  const char *tax_id_kind = nonempty (record->tax_id_kind);
  const char *email = nonempty (record->email);
  const char *address = nonempty (record->address);
  const char *birthday = nonempty (record->birthday);
  DdStatement *stmt;
  gint64 id = 0, last_run = 0;
  gboolean found, changed = FALSE;

  g_return_val_if_fail (DD_IS_DEBTOR_STORE (self), FALSE);
  g_return_val_if_fail (record->dedup_key != NULL && record->name != NULL, FALSE);

  stmt = dd_database_cached (self->database,
                             "SELECT id, last_import_run_id, name, tax_id, tax_id_kind, email,"
                             " address, birthday FROM debtor WHERE dedup_key = ?",
                             error);
  if (stmt == NULL)
    return FALSE;
  dd_statement_bind_text (stmt, 1, record->dedup_key);
  found = dd_statement_step (stmt, &local_error);
  if (found)
    {
      id = dd_statement_get_int64 (stmt, 0);
      last_run = dd_statement_get_int64 (stmt, 1);
      changed = g_strcmp0 (dd_statement_get_text (stmt, 2), record->name) != 0 ||
                differs (dd_statement_get_text (stmt, 3), tax_id) ||
                differs (dd_statement_get_text (stmt, 4), tax_id_kind) ||
                differs (dd_statement_get_text (stmt, 5), email) ||
                differs (dd_statement_get_text (stmt, 6), address) ||
                differs (dd_statement_get_text (stmt, 7), birthday);
    }
  dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  now = dd_timestamp_now ();
  if (!found)
    {
      stmt = dd_database_cached (self->database,
                                 "INSERT INTO debtor (dedup_key, name, tax_id, tax_id_kind, email,"
                                 " address, birthday, last_import_run_id, created_at, updated_at)"
                                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                 error);
      if (stmt == NULL)
        return FALSE;
      dd_statement_bind_text (stmt, 1, record->dedup_key);
      dd_statement_bind_text (stmt, 2, record->name);
      dd_statement_bind_text (stmt, 3, tax_id);
      dd_statement_bind_text (stmt, 4, tax_id_kind);
      dd_statement_bind_text (stmt, 5, email);
      dd_statement_bind_text (stmt, 6, address);
      dd_statement_bind_text (stmt, 7, birthday);
      if (run_id > 0)
        dd_statement_bind_int64 (stmt, 8, run_id);
      dd_statement_bind_text (stmt, 9, now);
      dd_statement_bind_text (stmt, 10, now);
      *out_result = DD_UPSERT_NEW;
      return dd_statement_run_insert (stmt, out_id, error);
    }

  *out_id = id;
  /* Seen earlier in this file: later rows may still add an e-mail or an address. */
  if (run_id > 0 && last_run == run_id)
    *out_result = DD_UPSERT_SEEN;
  else
    *out_result = changed ? DD_UPSERT_UPDATED : DD_UPSERT_UNCHANGED;

  if (!changed && (run_id <= 0 || last_run == run_id))
    return TRUE;

  stmt = dd_database_cached (self->database,
                             "UPDATE debtor SET name = ?, tax_id = COALESCE(?, tax_id),"
                             " tax_id_kind = COALESCE(?, tax_id_kind), email = COALESCE(?, email),"
                             " address = COALESCE(?, address), birthday = COALESCE(?, birthday),"
                             " last_import_run_id = COALESCE(?, last_import_run_id),"
                             " updated_at = CASE WHEN ? THEN ? ELSE updated_at END"
                             " WHERE id = ?",
                             error);
  if (stmt == NULL)
    return FALSE;
  dd_statement_bind_text (stmt, 1, record->name);
  dd_statement_bind_text (stmt, 2, tax_id);
  dd_statement_bind_text (stmt, 3, tax_id_kind);
  dd_statement_bind_text (stmt, 4, email);
  dd_statement_bind_text (stmt, 5, address);
  dd_statement_bind_text (stmt, 6, birthday);
  if (run_id > 0)
    dd_statement_bind_int64 (stmt, 7, run_id);
  dd_statement_bind_int64 (stmt, 8, changed);
  dd_statement_bind_text (stmt, 9, now);
  dd_statement_bind_int64 (stmt, 10, id);
  return dd_statement_run (stmt, error);
}

gboolean
dd_debtor_store_add_phone (DdDebtorStore  *self,
                           gint64          debtor_id,
                           const char     *e164,
                           const char     *kind,
                           guint           position,
                           gboolean       *out_added,
                           GError        **error)
{
  g_autofree char *now = NULL;
  DdStatement *stmt;

  g_return_val_if_fail (DD_IS_DEBTOR_STORE (self), FALSE);

  now = dd_timestamp_now ();
  stmt = dd_database_cached (self->database,
                             "INSERT INTO phone (debtor_id, e164, kind, position, created_at)"
                             " VALUES (?, ?, ?, ?, ?) ON CONFLICT (debtor_id, e164) DO NOTHING",
                             error);
  if (stmt == NULL)
    return FALSE;
  dd_statement_bind_int64 (stmt, 1, debtor_id);
  dd_statement_bind_text (stmt, 2, e164);
  dd_statement_bind_text (stmt, 3, kind);
  dd_statement_bind_int64 (stmt, 4, position);
  dd_statement_bind_text (stmt, 5, now);
  if (!dd_statement_run (stmt, error))
    return FALSE;
  if (out_added)
    *out_added = dd_database_changes (self->database) > 0;
  return TRUE;
}

gboolean
dd_debtor_store_phone_owner (DdDebtorStore  *self,
                             const char     *e164,
                             gint64          debtor_id,
                             gint64         *out_other_id,
                             GError        **error)
{
  return dd_database_fetch_int64 (self->database, out_other_id, NULL, error,
                                  "SELECT debtor_id FROM phone WHERE e164 = ? AND debtor_id <> ?"
                                  " LIMIT 1",
                                  DD_TEXT (e164), DD_INT (debtor_id), DD_END);
}

gboolean
dd_debtor_store_count (DdDebtorStore  *self,
                       gint64         *out_debtors,
                       gint64         *out_phones,
                       GError        **error)
{
  gint64 dummy;

  return dd_database_query_int64 (self->database, "SELECT COUNT(*) FROM debtor",
                                  out_debtors ? out_debtors : &dummy, error) &&
         dd_database_query_int64 (self->database, "SELECT COUNT(*) FROM phone",
                                  out_phones ? out_phones : &dummy, error);
}
