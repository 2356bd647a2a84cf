/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-ivr-flow-store"

#include "config.h"

#include "dd-ivr-flow-store.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

struct _DdIvrFlowStore
{
  GObject     parent_instance;

  DdDatabase *database;
};

G_DEFINE_FINAL_TYPE (DdIvrFlowStore, dd_ivr_flow_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (dd-ivr-flow-store-error-quark, dd_ivr_flow_store_error)

void
dd_ivr_flow_record_free (DdIvrFlowRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->name);
  g_free (record->json);
  g_free (record->created_at);
  g_free (record);
}

static void
dd_ivr_flow_store_finalize (GObject *object)
{
  DdIvrFlowStore *self = DD_IVR_FLOW_STORE (object);

  g_clear_object (&self->database);

  G_OBJECT_CLASS (dd_ivr_flow_store_parent_class)->finalize (object);
}

static void
dd_ivr_flow_store_class_init (DdIvrFlowStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dd_ivr_flow_store_finalize;
}

static void
dd_ivr_flow_store_init (DdIvrFlowStore *self)
{
}

DdIvrFlowStore *
dd_ivr_flow_store_new (DdDatabase *database)
{
  DdIvrFlowStore *self;

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);

  self = g_object_new (DD_TYPE_IVR_FLOW_STORE, NULL);
  self->database = g_object_ref (database);
  return self;
}

/* Columns: id, name, version, created_at, then json or the number of versions. */
static DdIvrFlowRecord *
read_record (DdStatement *stmt,
             gboolean     with_json,
             gboolean     with_count)
{
  DdIvrFlowRecord *record = g_new0 (DdIvrFlowRecord, 1);

  record->id = dd_statement_get_int64 (stmt, 0);
  record->name = g_strdup (dd_statement_get_text (stmt, 1));
  record->version = dd_statement_get_int64 (stmt, 2);
  record->created_at = g_strdup (dd_statement_get_text (stmt, 3));
  if (with_json)
    record->json = g_strdup (dd_statement_get_text (stmt, 4));
  if (with_count)
    record->n_versions = (guint) dd_statement_get_int64 (stmt, 4);
  return record;
}

static GPtrArray *
read_records (DdStatement  *stmt,
              gboolean      with_count,
              GError      **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_ivr_flow_record_free);
  g_autoptr(GError) local_error = NULL;

  while (dd_statement_step (stmt, &local_error))
    g_ptr_array_add (records, read_record (stmt, FALSE, with_count));
  dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&records);
}

static DdIvrFlowRecord *
read_one (DdStatement  *stmt,
          GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  DdIvrFlowRecord *record = NULL;

  if (dd_statement_step (stmt, &local_error))
    record = read_record (stmt, TRUE, FALSE);
  dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (record == NULL)
    g_set_error_literal (error, DD_IVR_FLOW_STORE_ERROR, DD_IVR_FLOW_STORE_ERROR_NOT_FOUND,
                         _("The call flow does not exist."));
  return record;
}

static char *
clean_name (const char  *name,
            GError     **error)
{
  char *clean = g_strstrip (g_strdup (name ? name : ""));

  if (*clean == '\0')
    {
      g_free (clean);
      g_set_error_literal (error, DD_IVR_FLOW_STORE_ERROR, DD_IVR_FLOW_STORE_ERROR_INVALID_NAME,
                           _("A call flow needs a name."));
      return NULL;
    }
  return clean;
}

static gboolean
check_json (const char  *json,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (json != NULL && json_parser_load_from_data (parser, json, -1, NULL)
      && (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    return TRUE;
  g_set_error_literal (error, DD_IVR_FLOW_STORE_ERROR, DD_IVR_FLOW_STORE_ERROR_INVALID_JSON,
                       _("The call flow is not a valid JSON document."));
  return FALSE;
}

static gboolean
max_version (DdIvrFlowStore  *self,
             const char      *name,
             gint64          *out_version,
             GError         **error)
{
  return dd_database_fetch_int64 (self->database, out_version, NULL, error,
                                  "SELECT COALESCE(MAX(version), 0) FROM ivr_flow WHERE name = ?",
                                  DD_TEXT (name), DD_END);
}

gboolean
dd_ivr_flow_store_save (DdIvrFlowStore  *self,
                        const char      *name,
                        const char      *json,
                        gint64          *out_id,
                        gint64          *out_version,
                        GError         **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *now = NULL;
  DdStatement *stmt;
  gint64 version = 0;
  gint64 id = 0;

  g_return_val_if_fail (DD_IS_IVR_FLOW_STORE (self), FALSE);

  if ((clean = clean_name (name, error)) == NULL || !check_json (json, error))
    return FALSE;
  if (!dd_database_begin (self->database, error))
    return FALSE;
  if (!max_version (self, clean, &version, error))
    goto failed;
  version++;
  now = dd_timestamp_now ();
  stmt = dd_database_cached (self->database,
                             "INSERT INTO ivr_flow (name, version, json, created_at)"
                             " VALUES (?, ?, ?, ?)",
                             error);
  if (stmt == NULL)
    goto failed;
  dd_statement_bind_text (stmt, 1, clean);
  dd_statement_bind_int64 (stmt, 2, version);
  dd_statement_bind_text (stmt, 3, json);
  dd_statement_bind_text (stmt, 4, now);
  if (!dd_statement_run_insert (stmt, &id, error))
    goto failed;
  if (!dd_database_commit (self->database, error))
    return FALSE;
  if (out_id)
    *out_id = id;
  if (out_version)
    *out_version = version;
  return TRUE;

failed:
  dd_database_rollback (self->database, NULL);
  return FALSE;
}

GPtrArray *
dd_ivr_flow_store_list (DdIvrFlowStore  *self,
                        GError         **error)
{
  DdStatement *stmt;

  g_return_val_if_fail (DD_IS_IVR_FLOW_STORE (self), NULL);

  stmt = dd_database_cached (self->database,
                             "SELECT f.id, f.name, f.version, f.created_at, m.n FROM ivr_flow f"
                             " JOIN (SELECT name, MAX(version) AS v, COUNT(*) AS n FROM ivr_flow"
                             "       GROUP BY name) m ON m.name = f.name AND m.v = f.version"
                             " ORDER BY f.name, f.id",
                             error);
  if (stmt == NULL)
    return NULL;
  return read_records (stmt, TRUE, error);
}

GPtrArray *
dd_ivr_flow_store_list_versions (DdIvrFlowStore  *self,
                                 const char      *name,
                                 GError         **error)
{
  DdStatement *stmt;

  g_return_val_if_fail (DD_IS_IVR_FLOW_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  stmt = dd_database_cached (self->database,
                             "SELECT id, name, version, created_at FROM ivr_flow WHERE name = ?"
                             " ORDER BY version DESC",
                             error);
  if (stmt == NULL)
    return NULL;
  dd_statement_bind_text (stmt, 1, name);
  return read_records (stmt, FALSE, error);
}

DdIvrFlowRecord *
dd_ivr_flow_store_load (DdIvrFlowStore  *self,
                        const char      *name,
                        gint64           version,
                        GError         **error)
{
  DdStatement *stmt;

  g_return_val_if_fail (DD_IS_IVR_FLOW_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (version > 0)
    {
      stmt = dd_database_cached (self->database,
                                 "SELECT id, name, version, created_at, json FROM ivr_flow"
                                 " WHERE name = ? AND version = ?",
                                 error);
      if (stmt == NULL)
        return NULL;
      dd_statement_bind_text (stmt, 1, name);
      dd_statement_bind_int64 (stmt, 2, version);
    }
  else
    {
      stmt = dd_database_cached (self->database,
                                 "SELECT id, name, version, created_at, json FROM ivr_flow"
                                 " WHERE name = ? ORDER BY version DESC LIMIT 1",
                                 error);
      if (stmt == NULL)
        return NULL;
      dd_statement_bind_text (stmt, 1, name);
    }
  return read_one (stmt, error);
}

DdIvrFlowRecord *
dd_ivr_flow_store_get (DdIvrFlowStore  *self,
                       gint64           id,
                       GError         **error)
{
  DdStatement *stmt;

  g_return_val_if_fail (DD_IS_IVR_FLOW_STORE (self), NULL);

  stmt = dd_database_cached (self->database,
                             "SELECT id, name, version, created_at, json FROM ivr_flow WHERE id = ?",
                             error);
  if (stmt == NULL)
    return NULL;
  dd_statement_bind_int64 (stmt, 1, id);
  return read_one (stmt, error);
}

gboolean
dd_ivr_flow_store_exists (DdIvrFlowStore  *self,
                          const char      *name,
                          GError         **error)
{
  gint64 version = 0;

  g_return_val_if_fail (DD_IS_IVR_FLOW_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return max_version (self, name, &version, error) && version > 0;
}
