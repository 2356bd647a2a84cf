/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-database"

#include "config.h"

#include "dd-database.h"
#include "dd-pg-database.h"
#include "dd-sqlite-database.h"

#include <glib/gi18n-lib.h>
#include <string.h>

typedef struct
{
  GHashTable *cache;        /* sql → DdStatement */
  GHashTable *by_pointer;   /* the callers' SQL literals → DdStatement, a faster first look */
  guint       depth;        /* transaction nesting */
  gboolean    failed;       /* an inner rollback happened */
} DdDatabasePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (DdDatabase, dd_database, G_TYPE_OBJECT)

G_DEFINE_QUARK (dd-database-error-quark, dd_database_error)

static void
dd_database_finalize (GObject *object)
{
  DdDatabase *self = DD_DATABASE (object);
  DdDatabasePrivate *priv = dd_database_get_instance_private (self);

  g_clear_pointer (&priv->by_pointer, g_hash_table_unref);
  g_clear_pointer (&priv->cache, g_hash_table_unref);

  G_OBJECT_CLASS (dd_database_parent_class)->finalize (object);
}

static void
dd_database_class_init (DdDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dd_database_finalize;
}

static void
dd_database_init (DdDatabase *self)
{
  DdDatabasePrivate *priv = dd_database_get_instance_private (self);

  priv->cache = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) dd_statement_free);
  priv->by_pointer = g_hash_table_new (NULL, NULL);
}

/* Drivers call this from their dispose so statements die before the connection. */
void _dd_database_clear_cache (DdDatabase *self);

void
_dd_database_clear_cache (DdDatabase *self)
{
  DdDatabasePrivate *priv = dd_database_get_instance_private (self);

  g_hash_table_remove_all (priv->by_pointer);
  g_hash_table_remove_all (priv->cache);
}

const char *
dd_database_get_driver_name (DdDatabase *self)
{
  g_return_val_if_fail (DD_IS_DATABASE (self), NULL);

  return DD_DATABASE_GET_CLASS (self)->driver_name;
}

const char *
dd_database_get_location (DdDatabase *self)
{
  g_return_val_if_fail (DD_IS_DATABASE (self), NULL);

  return DD_DATABASE_GET_CLASS (self)->get_location (self);
}

guint
dd_database_get_schema_version (DdDatabase *self)
{
  g_return_val_if_fail (DD_IS_DATABASE (self), 0);

  return DD_DATABASE_GET_CLASS (self)->get_schema_version (self);
}

DdStatement *
dd_database_prepare (DdDatabase  *self,
                     const char  *sql,
                     GError     **error)
{
  g_return_val_if_fail (DD_IS_DATABASE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  return DD_DATABASE_GET_CLASS (self)->prepare (self, sql, error);
}

DdStatement *
dd_database_cached (DdDatabase  *self,
                    const char  *sql,
                    GError     **error)
{
  DdDatabasePrivate *priv = dd_database_get_instance_private (self);
  DdStatement *stmt;

  g_return_val_if_fail (DD_IS_DATABASE (self), NULL);

  /* Callers pass string literals: the address finds the statement without hashing the
   * text; the comparison guards against a freed string whose address was reused. */
  stmt = g_hash_table_lookup (priv->by_pointer, sql);
  if (stmt != NULL && strcmp (stmt->sql, sql) == 0)
    {
      dd_statement_reset (stmt);
      return stmt;
    }

  stmt = g_hash_table_lookup (priv->cache, sql);
  if (stmt == NULL)
    {
      stmt = dd_database_prepare (self, sql, error);
      if (stmt == NULL)
        return NULL;
      g_hash_table_insert (priv->cache, stmt->sql, stmt);
    }
  else
    dd_statement_reset (stmt);

  if (g_hash_table_size (priv->by_pointer) < 4096)
    g_hash_table_replace (priv->by_pointer, (gpointer) sql, stmt);
  return stmt;
}

gboolean
dd_database_exec (DdDatabase  *self,
                  const char  *sql,
                  GError     **error)
{
  g_return_val_if_fail (DD_IS_DATABASE (self), FALSE);

  return DD_DATABASE_GET_CLASS (self)->exec (self, sql, error);
}

gboolean
dd_database_begin (DdDatabase  *self,
                   GError     **error)
{
  DdDatabasePrivate *priv = dd_database_get_instance_private (self);

  g_return_val_if_fail (DD_IS_DATABASE (self), FALSE);

  if (priv->depth == 0)
    {
      if (!dd_database_exec (self, DD_DATABASE_GET_CLASS (self)->begin_sql, error))
        return FALSE;
      priv->failed = FALSE;
    }
  priv->depth++;
  return TRUE;
}

gboolean
dd_database_commit (DdDatabase  *self,
                    GError     **error)
{
  DdDatabasePrivate *priv = dd_database_get_instance_private (self);

  g_return_val_if_fail (DD_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (priv->depth > 0, FALSE);

  if (--priv->depth > 0)
    return TRUE;

  if (priv->failed)
    {
      DD_DATABASE_GET_CLASS (self)->rollback (self, NULL);
      g_set_error_literal (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_SQL,
                           _("The changes were undone because part of them failed"));
      return FALSE;
    }

  if (!dd_database_exec (self, "COMMIT", error))
    {
      DD_DATABASE_GET_CLASS (self)->rollback (self, NULL);
      return FALSE;
    }
  return TRUE;
}

gboolean
dd_database_rollback (DdDatabase  *self,
                      GError     **error)
{
  DdDatabasePrivate *priv = dd_database_get_instance_private (self);

  g_return_val_if_fail (DD_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (priv->depth > 0, FALSE);

  if (--priv->depth > 0)
    {
      priv->failed = TRUE;
      return TRUE;
    }

  priv->failed = FALSE;
  return DD_DATABASE_GET_CLASS (self)->rollback (self, error);
}

gboolean
dd_database_in_transaction (DdDatabase *self)
{
  DdDatabasePrivate *priv = dd_database_get_instance_private (self);

  return priv->depth > 0;
}

gboolean
dd_database_finish (DdDatabase  *self,
                    gboolean     ok,
                    GError     **error)
{
  if (ok)
    return dd_database_commit (self, error);
  dd_database_rollback (self, NULL);
  return FALSE;
}

DdDatabase *
dd_database_open_another (DdDatabase  *self,
                          GError     **error)
{
  g_return_val_if_fail (DD_IS_DATABASE (self), NULL);

  return DD_DATABASE_GET_CLASS (self)->open_another (self, error);
}

/* Steps through the rows of @stmt (at most @max_rows, all when 0), calling @func on each,
 * then resets it in every case. */
static gboolean
step_rows (DdStatement  *stmt,
           guint         max_rows,
           DdRowFunc     func,
           gpointer      user_data,
           gboolean     *out_found,
           GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  guint n = 0;

  while ((max_rows == 0 || n < max_rows) && dd_statement_step (stmt, &local_error))
    {
      if (func != NULL)
        func (stmt, user_data);
      n++;
    }
  dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (out_found != NULL)
    *out_found = n > 0;
  return TRUE;
}

static void
read_first_int64 (DdStatement *stmt,
                  gpointer     out_value)
{
  *(gint64 *) out_value = dd_statement_get_int64 (stmt, 0);
}

gboolean
dd_database_query_int64 (DdDatabase  *self,
                         const char  *sql,
                         gint64      *out_value,
                         GError     **error)
{
  DdStatement *stmt = dd_database_cached (self, sql, error);
  gint64 value = 0;

  if (stmt == NULL || !step_rows (stmt, 1, read_first_int64, &value, NULL, error))
    return FALSE;
  *out_value = value;
  return TRUE;
}

static DdStatement *
query_valist (DdDatabase  *self,
              GError     **error,
              const char  *sql,
              va_list      args)
{
  DdStatement *stmt = dd_database_cached (self, sql, error);
  DdParamType type;
  guint index = 1;

  if (stmt == NULL)
    return NULL;
  while ((type = va_arg (args, DdParamType)) != DD_PARAM_END)
    {
      if (type == DD_PARAM_INT64)
        dd_statement_bind_int64 (stmt, index++, va_arg (args, gint64));
      else if (type == DD_PARAM_TEXT)
        dd_statement_bind_text (stmt, index++, va_arg (args, const char *));
      else if (type == DD_PARAM_INT64_IF)
        {
          gboolean condition = va_arg (args, gboolean);
          gint64 value = va_arg (args, gint64);

          if (condition)
            dd_statement_bind_int64 (stmt, index, value);
          else
            dd_statement_bind_null (stmt, index);
          index++;
        }
      else
        g_return_val_if_reached (NULL);
    }
  return stmt;
}

/* In the one-call queries: @stmt, prepared and bound to the parameters after @sql. */
#define QUERY_FROM_ARGS(stmt) \
  G_STMT_START { \
    va_list args; \
    va_start (args, sql); \
    stmt = query_valist (self, error, sql, args); \
    va_end (args); \
  } G_STMT_END

DdStatement *
dd_database_query (DdDatabase  *self,
                   GError     **error,
                   const char  *sql,
                   ...)
{
  DdStatement *stmt;

  QUERY_FROM_ARGS (stmt);
  return stmt;
}

gboolean
dd_database_execute (DdDatabase  *self,
                     GError     **error,
                     const char  *sql,
                     ...)
{
  DdStatement *stmt;

  QUERY_FROM_ARGS (stmt);
  return stmt != NULL && dd_statement_run (stmt, error);
}

gboolean
dd_database_insert (DdDatabase  *self,
                    gint64      *out_id,
                    GError     **error,
                    const char  *sql,
                    ...)
{
  DdStatement *stmt;

  QUERY_FROM_ARGS (stmt);
  return stmt != NULL && dd_statement_run_insert (stmt, out_id, error);
}

gboolean
dd_database_exists (DdDatabase  *self,
                    gboolean    *out_exists,
                    GError     **error,
                    const char  *sql,
                    ...)
{
  DdStatement *stmt;

  *out_exists = FALSE;
  QUERY_FROM_ARGS (stmt);
  return stmt != NULL && step_rows (stmt, 1, NULL, NULL, out_exists, error);
}

gboolean
dd_database_fetch_int64 (DdDatabase  *self,
                         gint64      *out_value,
                         gboolean    *out_found,
                         GError     **error,
                         const char  *sql,
                         ...)
{
  DdStatement *stmt;

  *out_value = 0;
  if (out_found != NULL)
    *out_found = FALSE;
  QUERY_FROM_ARGS (stmt);
  return stmt != NULL && step_rows (stmt, 1, read_first_int64, out_value, out_found, error);
}

static void
read_first_text (DdStatement *stmt,
                 gpointer     out_text)
{
  *(char **) out_text = dd_statement_dup_text (stmt, 0);
}

gboolean
dd_database_fetch_text (DdDatabase  *self,
                        char       **out_text,
                        GError     **error,
                        const char  *sql,
                        ...)
{
  DdStatement *stmt;

  *out_text = NULL;
  QUERY_FROM_ARGS (stmt);
  return stmt != NULL && step_rows (stmt, 1, read_first_text, out_text, NULL, error);
}

gboolean
dd_statement_each (DdStatement  *stmt,
                   DdRowFunc     func,
                   gpointer      user_data,
                   GError      **error)
{
  return step_rows (stmt, 0, func, user_data, NULL, error);
}

gboolean
dd_database_query_each (DdDatabase  *self,
                        DdRowFunc    func,
                        gpointer     user_data,
                        GError     **error,
                        const char  *sql,
                        ...)
{
  DdStatement *stmt;

  QUERY_FROM_ARGS (stmt);
  return stmt != NULL && step_rows (stmt, 0, func, user_data, NULL, error);
}

static void
append_first_int64 (DdStatement *stmt,
                    gpointer     ids)
{
  gint64 id = dd_statement_get_int64 (stmt, 0);

  g_array_append_val ((GArray *) ids, id);
}

gboolean
dd_database_fetch_ids (DdDatabase  *self,
                       GArray      *ids,
                       GError     **error,
                       const char  *sql,
                       ...)
{
  DdStatement *stmt;

  QUERY_FROM_ARGS (stmt);
  return stmt != NULL && step_rows (stmt, 0, append_first_int64, ids, NULL, error);
}

typedef struct
{
  GPtrArray     *items;      /* where each item goes, or NULL: the last one is kept */
  gpointer       item;
  DdRowReader    reader;
  gconstpointer  user_data;
} Collect;

static void
collect_row (DdStatement *stmt,
             gpointer     data)
{
  Collect *collect = data;

  collect->item = collect->reader (stmt, collect->user_data);
  if (collect->items != NULL)
    g_ptr_array_add (collect->items, g_steal_pointer (&collect->item));
}

gboolean
dd_statement_collect (DdStatement   *stmt,
                      GPtrArray     *items,
                      DdRowReader    reader,
                      gconstpointer  user_data,
                      GError       **error)
{
  Collect collect = { items, NULL, reader, user_data };

  return step_rows (stmt, 0, collect_row, &collect, NULL, error);
}

gboolean
dd_database_fetch_all (DdDatabase    *self,
                       GPtrArray     *items,
                       DdRowReader    reader,
                       gconstpointer  user_data,
                       GError       **error,
                       const char    *sql,
                       ...)
{
  DdStatement *stmt;

  QUERY_FROM_ARGS (stmt);
  return stmt != NULL && dd_statement_collect (stmt, items, reader, user_data, error);
}

gboolean
dd_database_fetch_row (DdDatabase    *self,
                       gpointer      *out_item,
                       DdRowReader    reader,
                       gconstpointer  user_data,
                       GError       **error,
                       const char    *sql,
                       ...)
{
  Collect collect = { NULL, NULL, reader, user_data };
  DdStatement *stmt;

  *out_item = NULL;
  QUERY_FROM_ARGS (stmt);
  if (stmt == NULL || !step_rows (stmt, 1, collect_row, &collect, NULL, error))
    return FALSE;
  *out_item = collect.item;
  return TRUE;
}

void
dd_statement_read_fields (DdStatement     *stmt,
                          const DdRowType *type,
                          gpointer         row)
{
  for (guint i = 0; i < type->n_fields; i++)
    {
      const DdField *field = &type->fields[i];
      gpointer member = G_STRUCT_MEMBER_P (row, field->offset);

      switch (field->type)
        {
        case DD_FIELD_SKIP:
          break;
        case DD_FIELD_INT64:
          *(gint64 *) member = dd_statement_get_int64 (stmt, i);
          break;
        case DD_FIELD_INT:
          *(gint *) member = (gint) dd_statement_get_int64 (stmt, i);
          break;
        case DD_FIELD_UINT:
          *(guint *) member = (guint) dd_statement_get_int64 (stmt, i);
          break;
        case DD_FIELD_BOOLEAN:
          *(gboolean *) member = dd_statement_get_int64 (stmt, i) != 0;
          break;
        case DD_FIELD_TEXT:
          *(char **) member = dd_statement_dup_text (stmt, i);
          break;
        case DD_FIELD_NAME:
          {
            guint index;

            *(gint *) member = dd_name_index (field->names, field->n_names,
                                              dd_statement_get_text (stmt, i), &index)
                               ? (gint) index : field->fallback;
          }
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

typedef struct
{
  const DdRowType *type;
  gpointer         row;
} ReadFields;

static void
read_fields_row (DdStatement *stmt,
                 gpointer     data)
{
  ReadFields *read = data;

  dd_statement_read_fields (stmt, read->type, read->row);
}

gboolean
dd_database_fetch_fields (DdDatabase       *self,
                          const DdRowType  *type,
                          gpointer          row,
                          gboolean         *out_found,
                          GError          **error,
                          const char       *sql,
                          ...)
{
  ReadFields read = { type, row };
  DdStatement *stmt;

  if (out_found != NULL)
    *out_found = FALSE;
  QUERY_FROM_ARGS (stmt);
  return stmt != NULL && step_rows (stmt, 1, read_fields_row, &read, out_found, error);
}

gpointer
dd_statement_read_row (DdStatement   *stmt,
                       gconstpointer  row_type)
{
  const DdRowType *type = row_type;
  gpointer row = g_malloc0 (type->size);

  dd_statement_read_fields (stmt, type, row);
  return row;
}

void
dd_row_clear (const DdRowType *type,
              gpointer         row)
{
  for (guint i = 0; i < type->n_fields; i++)
    if (type->fields[i].type == DD_FIELD_TEXT)
      g_clear_pointer ((char **) G_STRUCT_MEMBER_P (row, type->fields[i].offset), g_free);
}

void
dd_row_free (const DdRowType *type,
             gpointer         row)
{
  if (row == NULL)
    return;
  dd_row_clear (type, row);
  g_free (row);
}

void
dd_statement_bind_int64 (DdStatement *stmt,
                         guint        index,
                         gint64       value)
{
  stmt->vtable->bind_int64 (stmt, index, value);
}

void
dd_statement_bind_text (DdStatement *stmt,
                        guint        index,
                        const char  *value)
{
  if (value == NULL)
    stmt->vtable->bind_null (stmt, index);
  else
    stmt->vtable->bind_text (stmt, index, value, -1);
}

void
dd_statement_bind_text_len (DdStatement *stmt,
                            guint        index,
                            const char  *value,
                            gssize       len)
{
  if (value == NULL)
    stmt->vtable->bind_null (stmt, index);
  else
    stmt->vtable->bind_text (stmt, index, value, len);
}

void
dd_statement_bind_null (DdStatement *stmt,
                        guint        index)
{
  stmt->vtable->bind_null (stmt, index);
}

gboolean
dd_statement_step (DdStatement  *stmt,
                   GError      **error)
{
  return stmt->vtable->step (stmt, error);
}

/* Runs a statement that returns no rows (or ignores them) and resets it. */
gboolean
dd_statement_run (DdStatement  *stmt,
                  GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  while (stmt->vtable->step (stmt, &local_error))
    ;
  stmt->vtable->reset (stmt);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

gboolean
dd_statement_run_insert (DdStatement  *stmt,
                         gint64       *out_id,
                         GError      **error)
{
  if (!dd_statement_run (stmt, error))
    return FALSE;
  *out_id = DD_DATABASE_GET_CLASS (stmt->database)->last_insert_id (stmt->database);
  return TRUE;
}

gint64
dd_database_changes (DdDatabase *self)
{
  g_return_val_if_fail (DD_IS_DATABASE (self), 0);

  return DD_DATABASE_GET_CLASS (self)->changes (self);
}

gboolean
dd_database_set_trusted_writes (DdDatabase  *self,
                                gboolean     trusted,
                                GError     **error)
{
  DdDatabaseClass *klass;

  g_return_val_if_fail (DD_IS_DATABASE (self), FALSE);

  klass = DD_DATABASE_GET_CLASS (self);
  return klass->set_trusted_writes == NULL || klass->set_trusted_writes (self, trusted, error);
}

void
dd_statement_reset (DdStatement *stmt)
{
  stmt->vtable->reset (stmt);
}

void
dd_statement_set_streamed (DdStatement *stmt,
                           gboolean     streamed)
{
  stmt->streamed = streamed;
}

gboolean
dd_statement_done (DdStatement  *stmt,
                   GError       *step_error,
                   GError      **error)
{
  dd_statement_reset (stmt);
  if (step_error == NULL)
    return TRUE;
  g_propagate_error (error, step_error);
  return FALSE;
}

guint
dd_statement_n_columns (DdStatement *stmt)
{
  return stmt->vtable->n_columns (stmt);
}

gboolean
dd_statement_is_null (DdStatement *stmt,
                      guint        column)
{
  return stmt->vtable->is_null (stmt, column);
}

gint64
dd_statement_get_int64 (DdStatement *stmt,
                        guint        column)
{
  return stmt->vtable->get_int64 (stmt, column);
}

const char *
dd_statement_get_text (DdStatement *stmt,
                       guint        column)
{
  return stmt->vtable->get_text (stmt, column);
}

char *
dd_statement_dup_text (DdStatement *stmt,
                       guint        column)
{
  return stmt->vtable->is_null (stmt, column) ? NULL
                                              : g_strdup (stmt->vtable->get_text (stmt, column));
}

void
dd_statement_free (DdStatement *stmt)
{
  if (stmt == NULL)
    return;
  stmt->vtable->free (stmt);
}

char *
dd_database_check_name (DdDatabase      *self,
                        const DdNaming  *naming,
                        const char      *name,
                        gint64           except_id,
                        GError         **error)
{
  g_autofree char *clean = g_strstrip (g_strdup (name != NULL ? name : ""));
  gboolean taken = FALSE;

  if (*clean == '\0')
    {
      g_set_error_literal (error, naming->domain (), naming->blank_code,
                           _(naming->blank_message));
      return NULL;
    }
  if (naming->taken_sql == NULL)
    return g_steal_pointer (&clean);
  if (!dd_database_exists (self, &taken, error, naming->taken_sql, DD_TEXT (clean),
                           DD_INT (except_id), DD_END))
    return NULL;
  if (taken)
    {
      g_set_error (error, naming->domain (), naming->taken_code, _(naming->taken_message), clean);
      return NULL;
    }
  return g_steal_pointer (&clean);
}

DdDatabase *
dd_database_open (const char  *path,
                  GError     **error)
{
  if (dd_pg_database_is_uri (path))
    return dd_pg_database_open (path, error);
  return dd_sqlite_database_open (path, error);
}

char *
dd_timestamp_now (void)
{
  /* Called for every row of an import: format once a second per thread. */
  static GPrivate cache_key = G_PRIVATE_INIT (g_free);
  struct { gint64 second; char text[24]; } *cache = g_private_get (&cache_key);
  gint64 second = g_get_real_time () / G_USEC_PER_SEC;

  if (cache == NULL)
    {
      cache = g_malloc0 (sizeof *cache);
      cache->second = -1;
      g_private_set (&cache_key, cache);
    }
  if (cache->second != second)
    {
      g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (second);
      g_autofree char *text = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

      g_strlcpy (cache->text, text, sizeof cache->text);
      cache->second = second;
    }
  return g_strdup (cache->text);
}
