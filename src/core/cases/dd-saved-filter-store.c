/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-saved-filter-store"

#include "config.h"

#include "dd-saved-filter-store.h"

#include <glib/gi18n-lib.h>

DD_DEFINE_STORE (DdSavedFilterStore, dd_saved_filter_store)

G_DEFINE_QUARK (dd-saved-filter-error-quark, dd_saved_filter_error)

void
dd_saved_filter_free (DdSavedFilter *filter)
{
  if (filter == NULL)
    return;
  g_free (filter->name);
  g_clear_pointer (&filter->query, dd_case_query_free);
  g_free (filter->created_at);
  g_free (filter);
}

static gpointer
read_filter (DdStatement   *stmt,
             gconstpointer  user_data)
{
  DdSavedFilter *filter = g_new0 (DdSavedFilter, 1);
  g_autoptr(GError) error = NULL;

  filter->id = dd_statement_get_int64 (stmt, 0);
  filter->name = g_strdup (dd_statement_get_text (stmt, 1));
  filter->query = dd_case_query_from_json (dd_statement_get_text (stmt, 2), &error);
  if (filter->query == NULL)
    {
      g_message ("Saved filter %" G_GINT64_FORMAT " unreadable: %s", filter->id, error->message);
      filter->query = dd_case_query_new ();
    }
  filter->created_at = g_strdup (dd_statement_get_text (stmt, 3));
  return filter;
}

GPtrArray *
dd_saved_filter_store_list (DdSavedFilterStore  *self,
                            GError             **error)
{
  g_autoptr(GPtrArray) filters = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_saved_filter_free);

  g_return_val_if_fail (DD_IS_SAVED_FILTER_STORE (self), NULL);

  if (!dd_database_fetch_all (dd_store_db (self), filters, read_filter, NULL, error,
                              "SELECT id, name, filter, created_at FROM saved_filter"
                              " ORDER BY name, id",
                              DD_END))
    return NULL;
  return g_steal_pointer (&filters);
}

DdSavedFilter *
dd_saved_filter_store_get (DdSavedFilterStore  *self,
                           gint64               id,
                           GError             **error)
{
  DdSavedFilter *filter = NULL;

  g_return_val_if_fail (DD_IS_SAVED_FILTER_STORE (self), NULL);

  if (!dd_database_fetch_row (dd_store_db (self), (gpointer *) &filter, read_filter, NULL, error,
                              "SELECT id, name, filter, created_at FROM saved_filter WHERE id = ?",
                              DD_INT (id), DD_END))
    return NULL;
  if (filter == NULL)
    g_set_error_literal (error, DD_SAVED_FILTER_ERROR, DD_SAVED_FILTER_ERROR_NOT_FOUND,
                         _("The saved filter no longer exists."));
  return filter;
}

static const DdNaming filter_naming = {
  dd_saved_filter_error_quark,
  DD_SAVED_FILTER_ERROR_INVALID_NAME, N_("A saved filter needs a name."),
  "SELECT id FROM saved_filter WHERE name = ? AND id <> ?",
  DD_SAVED_FILTER_ERROR_EXISTS, N_("A saved filter called “%s” already exists."),
};

static gboolean
check_changed (DdSavedFilterStore  *self,
               GError             **error)
{
  if (dd_database_changes (dd_store_db (self)) > 0)
    return TRUE;
  g_set_error_literal (error, DD_SAVED_FILTER_ERROR, DD_SAVED_FILTER_ERROR_NOT_FOUND,
                       _("The saved filter no longer exists."));
  return FALSE;
}

gboolean
dd_saved_filter_store_save (DdSavedFilterStore  *self,
                            const char          *name,
                            const DdCaseQuery   *query,
                            gint64              *out_id,
                            GError             **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *json = NULL;
  g_autofree char *now = NULL;
  gint64 id;

  g_return_val_if_fail (DD_IS_SAVED_FILTER_STORE (self), FALSE);
  g_return_val_if_fail (query != NULL, FALSE);

  if ((clean = dd_database_check_name (dd_store_db (self), &filter_naming, name, 0, error)) == NULL)
    return FALSE;
  json = dd_case_query_to_json (query);
  now = dd_timestamp_now ();
  if (!dd_database_insert (dd_store_db (self), &id, error,
                           "INSERT INTO saved_filter (name, filter, created_at) VALUES (?, ?, ?)",
                           DD_TEXT (clean), DD_TEXT (json), DD_TEXT (now), DD_END))
    return FALSE;
  if (out_id)
    *out_id = id;
  return TRUE;
}

gboolean
dd_saved_filter_store_update (DdSavedFilterStore  *self,
                              gint64               id,
                              const DdCaseQuery   *query,
                              GError             **error)
{
  g_autofree char *json = NULL;

  g_return_val_if_fail (DD_IS_SAVED_FILTER_STORE (self), FALSE);
  g_return_val_if_fail (query != NULL, FALSE);

  json = dd_case_query_to_json (query);
  return dd_database_execute (dd_store_db (self), error,
                              "UPDATE saved_filter SET filter = ? WHERE id = ?",
                              DD_TEXT (json), DD_INT (id), DD_END)
         && check_changed (self, error);
}

gboolean
dd_saved_filter_store_rename (DdSavedFilterStore  *self,
                              gint64               id,
                              const char          *name,
                              GError             **error)
{
  g_autofree char *clean = NULL;

  g_return_val_if_fail (DD_IS_SAVED_FILTER_STORE (self), FALSE);

  clean = dd_database_check_name (dd_store_db (self), &filter_naming, name, id, error);
  if (clean == NULL)
    return FALSE;
  return dd_database_execute (dd_store_db (self), error,
                              "UPDATE saved_filter SET name = ? WHERE id = ?",
                              DD_TEXT (clean), DD_INT (id), DD_END)
         && check_changed (self, error);
}

gboolean
dd_saved_filter_store_delete (DdSavedFilterStore  *self,
                              gint64               id,
                              GError             **error)
{
  g_return_val_if_fail (DD_IS_SAVED_FILTER_STORE (self), FALSE);

  return dd_database_execute (dd_store_db (self), error, "DELETE FROM saved_filter WHERE id = ?",
                              DD_INT (id), DD_END)
         && check_changed (self, error);
}
