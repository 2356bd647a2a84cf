/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-ivr-flow-store"

#include "config.h"

#include "dd-ivr-flow-store.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

DD_DEFINE_STORE (DdIvrFlowStore, dd_ivr_flow_store)

G_DEFINE_QUARK (dd-ivr-flow-store-error-quark, dd_ivr_flow_store_error)

/* Columns: id, name, version, created_at, then the json (a whole record) or the number of
 * versions (the list); versions_row stops before either. */
static const DdField record_fields[] = {
  DD_FIELD (DdIvrFlowRecord, id, INT64),
  DD_FIELD (DdIvrFlowRecord, name, TEXT),
  DD_FIELD (DdIvrFlowRecord, version, INT64),
  DD_FIELD (DdIvrFlowRecord, created_at, TEXT),
  DD_FIELD (DdIvrFlowRecord, json, TEXT),
};
static const DdField listed_fields[] = {
  DD_FIELD (DdIvrFlowRecord, id, INT64),
  DD_FIELD (DdIvrFlowRecord, name, TEXT),
  DD_FIELD (DdIvrFlowRecord, version, INT64),
  DD_FIELD (DdIvrFlowRecord, created_at, TEXT),
  DD_FIELD (DdIvrFlowRecord, n_versions, UINT),
};
static const DdRowType record_row = DD_ROW_TYPE (DdIvrFlowRecord, record_fields);
static const DdRowType listed_row = DD_ROW_TYPE (DdIvrFlowRecord, listed_fields);
static const DdRowType versions_row = { sizeof (DdIvrFlowRecord), record_fields, 4 };

DD_DEFINE_ROW_FREE_FUNC (DdIvrFlowRecord, dd_ivr_flow_record_free, record_row)

static GPtrArray *
new_record_array (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) dd_ivr_flow_record_free);
}

static const DdNaming flow_naming = {
  dd_ivr_flow_store_error_quark,
  DD_IVR_FLOW_STORE_ERROR_INVALID_NAME, N_("A call flow needs a name."),
  NULL,   /* a name is saved again as its next version */
};

/* The record @found, or NOT_FOUND. */
static DdIvrFlowRecord *
found_record (gboolean          ok,
              DdIvrFlowRecord  *found,
              GError          **error)
{
  if (ok && found == NULL)
    g_set_error_literal (error, DD_IVR_FLOW_STORE_ERROR, DD_IVR_FLOW_STORE_ERROR_NOT_FOUND,
                         _("The call flow does not exist."));
  return found;
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
  return dd_database_fetch_int64 (dd_store_db (self), out_version, NULL, error,
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
  gint64 version = 0;
  gint64 id = 0;

  g_return_val_if_fail (DD_IS_IVR_FLOW_STORE (self), FALSE);

  if ((clean = dd_database_check_name (dd_store_db (self), &flow_naming, name, 0, error)) == NULL
      || !check_json (json, error))
    return FALSE;
  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  now = dd_timestamp_now ();
  if (!dd_database_finish (dd_store_db (self),
                           max_version (self, clean, &version, error)
                           && dd_database_insert (dd_store_db (self), &id, error,
                                                  "INSERT INTO ivr_flow (name, version, json,"
                                                  " created_at) VALUES (?, ?, ?, ?)",
                                                  DD_TEXT (clean), DD_INT (++version),
                                                  DD_TEXT (json), DD_TEXT (now), DD_END),
                           error))
    return FALSE;
  if (out_id)
    *out_id = id;
  if (out_version)
    *out_version = version;
  return TRUE;
}

GPtrArray *
dd_ivr_flow_store_list (DdIvrFlowStore  *self,
                        GError         **error)
{
  g_autoptr(GPtrArray) records = new_record_array ();

  g_return_val_if_fail (DD_IS_IVR_FLOW_STORE (self), NULL);

  if (!dd_database_fetch_all (dd_store_db (self), records, dd_statement_read_row, &listed_row,
                              error,
                              "SELECT f.id, f.name, f.version, f.created_at, m.n FROM ivr_flow f"
                              " JOIN (SELECT name, MAX(version) AS v, COUNT(*) AS n FROM ivr_flow"
                              "       GROUP BY name) m ON m.name = f.name AND m.v = f.version"
                              " ORDER BY f.name, f.id",
                              DD_END))
    return NULL;
  return g_steal_pointer (&records);
}

GPtrArray *
dd_ivr_flow_store_list_versions (DdIvrFlowStore  *self,
                                 const char      *name,
                                 GError         **error)
{
  g_autoptr(GPtrArray) records = new_record_array ();

  g_return_val_if_fail (DD_IS_IVR_FLOW_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!dd_database_fetch_all (dd_store_db (self), records, dd_statement_read_row, &versions_row,
                              error,
                              "SELECT id, name, version, created_at FROM ivr_flow WHERE name = ?"
                              " ORDER BY version DESC",
                              DD_TEXT (name), DD_END))
    return NULL;
  return g_steal_pointer (&records);
}

DdIvrFlowRecord *
dd_ivr_flow_store_load (DdIvrFlowStore  *self,
                        const char      *name,
                        gint64           version,
                        GError         **error)
{
  DdIvrFlowRecord *record = NULL;
  gboolean ok;

  g_return_val_if_fail (DD_IS_IVR_FLOW_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (version > 0)
    ok = dd_database_fetch_row (dd_store_db (self), (gpointer *) &record, dd_statement_read_row,
                                &record_row, error,
                                "SELECT id, name, version, created_at, json FROM ivr_flow"
                                " WHERE name = ? AND version = ?",
                                DD_TEXT (name), DD_INT (version), DD_END);
  else
    ok = dd_database_fetch_row (dd_store_db (self), (gpointer *) &record, dd_statement_read_row,
                                &record_row, error,
                                "SELECT id, name, version, created_at, json FROM ivr_flow"
                                " WHERE name = ? ORDER BY version DESC LIMIT 1",
                                DD_TEXT (name), DD_END);
  return found_record (ok, record, error);
}

DdIvrFlowRecord *
dd_ivr_flow_store_get (DdIvrFlowStore  *self,
                       gint64           id,
                       GError         **error)
{
  DdIvrFlowRecord *record = NULL;
  gboolean ok;

  g_return_val_if_fail (DD_IS_IVR_FLOW_STORE (self), NULL);

  ok = dd_database_fetch_row (dd_store_db (self), (gpointer *) &record, dd_statement_read_row,
                              &record_row, error,
                              "SELECT id, name, version, created_at, json FROM ivr_flow"
                              " WHERE id = ?",
                              DD_INT (id), DD_END);
  return found_record (ok, record, error);
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
