/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-debtor-store"

#include "config.h"

#include "dd-debtor-store.h"

DD_DEFINE_STORE (DdDebtorStore, dd_debtor_store)

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

/* What the database knows of a debtor, to tell whether a record changes it. */
typedef struct
{
  gint64  id;
  gint64  last_run;
  char   *name;
  char   *tax_id;
  char   *tax_id_kind;
  char   *email;
  char   *address;
  char   *birthday;
} StoredDebtor;

static const DdField stored_debtor_fields[] = {
  DD_FIELD (StoredDebtor, id, INT64),
  DD_FIELD (StoredDebtor, last_run, INT64),
  DD_FIELD (StoredDebtor, name, TEXT),
  DD_FIELD (StoredDebtor, tax_id, TEXT),
  DD_FIELD (StoredDebtor, tax_id_kind, TEXT),
  DD_FIELD (StoredDebtor, email, TEXT),
  DD_FIELD (StoredDebtor, address, TEXT),
  DD_FIELD (StoredDebtor, birthday, TEXT),
};
static const DdRowType stored_debtor_row = DD_ROW_TYPE (StoredDebtor, stored_debtor_fields);

DD_DEFINE_ROW_AUTO_CLEAR (StoredDebtor, stored_debtor_row)

gboolean
dd_debtor_store_upsert (DdDebtorStore         *self,
                        const DdDebtorRecord  *record,
                        gint64                 run_id,
                        gint64                *out_id,
                        DdUpsertResult        *out_result,
                        GError               **error)
{
  g_auto(StoredDebtor) stored = { 0, };
  g_autofree char *now = NULL;
  const char *tax_id = nonempty (record->tax_id);
  const char *tax_id_kind = nonempty (record->tax_id_kind);
  const char *email = nonempty (record->email);
  const char *address = nonempty (record->address);
  const char *birthday = nonempty (record->birthday);
  gboolean found, changed = FALSE;

  g_return_val_if_fail (DD_IS_DEBTOR_STORE (self), FALSE);
  g_return_val_if_fail (record->dedup_key != NULL && record->name != NULL, FALSE);

  /* Most debtors of a large import are new: the insert is tried first, the look-up only
   * when the debtor exists already. */
  now = dd_timestamp_now ();
  if (!dd_database_insert (dd_store_db (self), out_id, error,
                           "INSERT INTO debtor (dedup_key, name, tax_id, tax_id_kind, email,"
                           " address, birthday, last_import_run_id, created_at, updated_at)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                           " ON CONFLICT (dedup_key) DO NOTHING",
                           DD_TEXT (record->dedup_key), DD_TEXT (record->name),
                           DD_TEXT (tax_id), DD_TEXT (tax_id_kind), DD_TEXT (email),
                           DD_TEXT (address), DD_TEXT (birthday),
                           DD_INT_IF (run_id > 0, run_id), DD_TEXT (now), DD_TEXT (now),
                           DD_END))
    return FALSE;
  if (dd_database_changes (dd_store_db (self)) > 0)
    {
      *out_result = DD_UPSERT_NEW;
      return TRUE;
    }

  if (!dd_database_fetch_fields (dd_store_db (self), &stored_debtor_row, &stored, &found, error,
                                 "SELECT id, last_import_run_id, name, tax_id, tax_id_kind, email,"
                                 " address, birthday FROM debtor WHERE dedup_key = ?",
                                 DD_TEXT (record->dedup_key), DD_END))
    return FALSE;
  if (!found)
    {
      g_set_error_literal (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_SQL,
                           "debtor neither inserted nor found");
      return FALSE;
    }

  changed = g_strcmp0 (stored.name, record->name) != 0 ||
            differs (stored.tax_id, tax_id) ||
            differs (stored.tax_id_kind, tax_id_kind) ||
            differs (stored.email, email) ||
            differs (stored.address, address) ||
            differs (stored.birthday, birthday);
  *out_id = stored.id;
  /* Seen earlier in this file: later rows may still add an e-mail or an address. */
  if (run_id > 0 && stored.last_run == run_id)
    *out_result = DD_UPSERT_SEEN;
  else
    *out_result = changed ? DD_UPSERT_UPDATED : DD_UPSERT_UNCHANGED;

  if (!changed && (run_id <= 0 || stored.last_run == run_id))
    return TRUE;

  return dd_database_execute (dd_store_db (self), error,
                              "UPDATE debtor SET name = ?, tax_id = COALESCE(?, tax_id),"
                              " tax_id_kind = COALESCE(?, tax_id_kind),"
                              " email = COALESCE(?, email), address = COALESCE(?, address),"
                              " birthday = COALESCE(?, birthday),"
                              " last_import_run_id = COALESCE(?, last_import_run_id),"
                              " updated_at = CASE WHEN ? THEN ? ELSE updated_at END"
                              " WHERE id = ?",
                              DD_TEXT (record->name), DD_TEXT (tax_id), DD_TEXT (tax_id_kind),
                              DD_TEXT (email), DD_TEXT (address), DD_TEXT (birthday),
                              DD_INT_IF (run_id > 0, run_id), DD_INT (changed), DD_TEXT (now),
                              DD_INT (stored.id), DD_END);
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

  g_return_val_if_fail (DD_IS_DEBTOR_STORE (self), FALSE);

  now = dd_timestamp_now ();
  if (!dd_database_execute (dd_store_db (self), error,
                            "INSERT INTO phone (debtor_id, e164, kind, position, created_at)"
                            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (debtor_id, e164) DO NOTHING",
                            DD_INT (debtor_id), DD_TEXT (e164), DD_TEXT (kind), DD_INT (position),
                            DD_TEXT (now), DD_END))
    return FALSE;
  if (out_added)
    *out_added = dd_database_changes (dd_store_db (self)) > 0;
  return TRUE;
}

gboolean
dd_debtor_store_phone_owner (DdDebtorStore  *self,
                             const char     *e164,
                             gint64          debtor_id,
                             gint64         *out_other_id,
                             GError        **error)
{
  return dd_database_fetch_int64 (dd_store_db (self), out_other_id, NULL, error,
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

  return dd_database_query_int64 (dd_store_db (self), "SELECT COUNT(*) FROM debtor",
                                  out_debtors ? out_debtors : &dummy, error) &&
         dd_database_query_int64 (dd_store_db (self), "SELECT COUNT(*) FROM phone",
                                  out_phones ? out_phones : &dummy, error);
}
