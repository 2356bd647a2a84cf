/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-database"

#include "config.h"

#include "dd-database-copy.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#define ROWS_PER_INSERT 100

typedef struct
{
  char   *name;
  char   *columns;     /* comma-separated, as the target has them */
  guint   n_columns;
  GPtrArray *parents;  /* tables it references */
} Table;

static void
table_free (gpointer data)
{
  Table *table = data;

  g_free (table->name);
  g_free (table->columns);
  g_ptr_array_unref (table->parents);
  g_free (table);
}

static void
read_table (DdStatement *stmt,
            gpointer     user_data)
{
  Table *table = g_new0 (Table, 1);

  table->name = dd_statement_dup_text (stmt, 0);
  table->columns = dd_statement_dup_text (stmt, 1);
  table->n_columns = 1;
  for (const char *p = table->columns; *p; p++)
    table->n_columns += *p == ',';
  table->parents = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (user_data, table);
}

static Table *
find_table (GPtrArray  *tables,
            const char *name)
{
  for (guint i = 0; i < tables->len; i++)
    if (g_str_equal (((Table *) g_ptr_array_index (tables, i))->name, name))
      return g_ptr_array_index (tables, i);
  return NULL;
}

static void
read_reference (DdStatement *stmt,
                gpointer     user_data)
{
  Table *child = find_table (user_data, dd_statement_get_text (stmt, 0));
  const char *parent = dd_statement_get_text (stmt, 1);

  if (child != NULL && parent != NULL && !g_str_equal (parent, child->name))
    g_ptr_array_add (child->parents, g_strdup (parent));
}

/* The target's tables, each after the tables it references. */
static GPtrArray *
list_tables (DdDatabase  *to,
             GError     **error)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (table_free);
  g_autoptr(GPtrArray) ordered = g_ptr_array_new_with_free_func (table_free);

  if (!dd_database_query_each (to, read_table, tables, error,
                               "SELECT c.table_name,"
                               " string_agg(c.column_name, ',' ORDER BY c.ordinal_position)"
                               " FROM information_schema.columns c"
                               " JOIN information_schema.tables t ON t.table_name = c.table_name"
                               "  AND t.table_schema = c.table_schema"
                               " WHERE c.table_schema = current_schema()"
                               "  AND t.table_type = 'BASE TABLE'"
                               "  AND c.is_generated = 'NEVER' AND c.table_name <> 'dd_schema'"
                               /* columns the target's triggers keep (schema 29) */
                               "  AND COALESCE(col_description(format('%I.%I', c.table_schema,"
                               "   c.table_name)::regclass, c.ordinal_position::int), '')"
                               "   NOT LIKE 'dd: kept by triggers%'"
                               " GROUP BY c.table_name ORDER BY c.table_name", DD_END) ||
      !dd_database_query_each (to, read_reference, tables, error,
                               "SELECT tc.table_name, ccu.table_name"
                               " FROM information_schema.table_constraints tc"
                               " JOIN information_schema.constraint_column_usage ccu"
                               "  ON ccu.constraint_name = tc.constraint_name"
                               "  AND ccu.constraint_schema = tc.constraint_schema"
                               " WHERE tc.constraint_type = 'FOREIGN KEY'"
                               "  AND tc.table_schema = current_schema()", DD_END))
    return NULL;

  /* each pass moves the tables whose parents have all been placed */
  while (tables->len > 0)
    {
      guint before = tables->len;

      for (guint i = 0; i < tables->len;)
        {
          Table *table = g_ptr_array_index (tables, i);
          gboolean ready = TRUE;

          for (guint p = 0; p < table->parents->len && ready; p++)
            ready = find_table (tables, g_ptr_array_index (table->parents, p)) == NULL;
          if (ready)
            g_ptr_array_add (ordered, g_ptr_array_steal_index (tables, i));
          else
            i++;
        }
      if (tables->len == before)
        {
          g_set_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_SQL,
                       "tables reference each other in a cycle (%s)",
                       ((Table *) g_ptr_array_index (tables, 0))->name);
          return NULL;
        }
    }
  return g_steal_pointer (&ordered);
}

static char *
insert_sql (const Table *table,
            guint        n_rows)
{
  GString *sql = g_string_new (NULL);

  g_string_append_printf (sql, "INSERT INTO %s (%s) VALUES ", table->name, table->columns);
  for (guint r = 0; r < n_rows; r++)
    {
      g_string_append (sql, r > 0 ? ", (" : "(");
      for (guint c = 0; c < table->n_columns; c++)
        g_string_append (sql, c > 0 ? ", ?" : "?");
      g_string_append_c (sql, ')');
    }
  return g_string_free (sql, FALSE);
}

static gint64
count_rows (DdDatabase  *database,
            const char  *table,
            GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM %s", table);
  gint64 n = -1;

  if (!dd_database_query_int64 (database, sql, &n, error))
    return -1;
  return n;
}

/* Inserts the rows whose values @values holds (NULL for NULL), then empties it. */
static gboolean
flush_rows (DdDatabase   *to,
            const Table  *table,
            GPtrArray    *values,
            GError      **error)
{
  guint n_rows = values->len / table->n_columns;
  g_autofree char *sql = NULL;
  g_autoptr(DdStatement) short_batch = NULL;
  DdStatement *stmt;
  gboolean ok;

  if (n_rows == 0)
    return TRUE;
  sql = insert_sql (table, n_rows);
  /* full batches share one prepared statement; the last, short one has its own */
  stmt = n_rows == ROWS_PER_INSERT ? dd_database_cached (to, sql, error)
                                   : (short_batch = dd_database_prepare (to, sql, error));
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < values->len; i++)
    {
      const char *value = g_ptr_array_index (values, i);

      if (value == NULL)
        dd_statement_bind_null (stmt, i + 1);
      else
        dd_statement_bind_text (stmt, i + 1, value);
    }
  ok = dd_statement_run (stmt, error);
  dd_statement_reset (stmt);
  g_ptr_array_set_size (values, 0);
  return ok;
}

static gboolean
copy_table (DdDatabase   *from,
            DdDatabase   *to,
            const Table  *table,
            gint64       *out_rows,
            GError      **error)
{
  g_autofree char *select = g_strdup_printf ("SELECT %s FROM %s", table->columns, table->name);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(DdStatement) read = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 rows = 0;

  read = dd_database_prepare (from, select, error);
  if (read == NULL)
    return FALSE;

  while (dd_statement_step (read, &local_error))
    {
      for (guint c = 0; c < table->n_columns; c++)
        g_ptr_array_add (values, dd_statement_dup_text (read, c));
      rows++;
      if (values->len == ROWS_PER_INSERT * table->n_columns &&
          !flush_rows (to, table, values, error))
        return FALSE;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!flush_rows (to, table, values, error))
    return FALSE;
  *out_rows = rows;
  return TRUE;
}

static gboolean
sum_of (DdDatabase  *database,
        const char  *sql,
        gint64      *out_sum,
        GError     **error)
{
  return dd_database_query_int64 (database, sql, out_sum, error);
}

static gboolean
compare_totals (DdDatabase    *from,
                DdDatabase    *to,
                GPtrArray     *tables,
                DdCopyTotals  *totals,
                GError       **error)
{
  static const char * const sums[] = {
    "SELECT COUNT(*) FROM debt_case",
    "SELECT COALESCE(SUM(balance_minor), 0) FROM debt_case",
    "SELECT COALESCE(SUM(amount_minor), 0) FROM payment",
  };
  gint64 *fields[] = { &totals->cases, &totals->balance_minor, &totals->payments_minor };

  for (guint i = 0; i < tables->len; i++)
    {
      const Table *table = g_ptr_array_index (tables, i);
      gint64 a = count_rows (from, table->name, error), b;

      if (a < 0 || (b = count_rows (to, table->name, error)) < 0)
        return FALSE;
      if (a != b)
        {
          g_set_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_SQL,
                       _("The copy of “%s” holds %" PRId64 " rows, the office "
                         "%" PRId64 ": nothing was copied"), table->name, b, a);
          return FALSE;
        }
      totals->rows += a;
    }
  for (guint i = 0; i < G_N_ELEMENTS (sums); i++)
    {
      gint64 a = 0, b = 0;

      if (!sum_of (from, sums[i], &a, error) || !sum_of (to, sums[i], &b, error))
        return FALSE;
      if (a != b)
        {
          g_set_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_SQL,
                       _("The totals of the copy differ from the office’s (%s: %"
                         PRId64 " against %" PRId64 "): nothing was copied"),
                       sums[i], b, a);
          return FALSE;
        }
      *fields[i] = a;
    }
  return TRUE;
}

static gboolean
copy_all (DdDatabase      *from,
          DdDatabase      *to,
          GPtrArray       *tables,
          DdCopyProgress   progress,
          gpointer         user_data,
          DdCopyTotals    *totals,
          GError         **error)
{
  for (guint i = 0; i < tables->len; i++)
    {
      const Table *table = g_ptr_array_index (tables, i);
      gint64 n = count_rows (to, table->name, error);

      if (n < 0)
        return FALSE;
      /* the office row the migrations made is replaced by the office's own */
      if (n > 0 && !g_str_equal (table->name, "office"))
        {
          g_set_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_SQL,
                       _("The shared database already holds an office (table “%s” is not "
                         "empty): an office is copied only into an empty database"),
                       table->name);
          return FALSE;
        }
    }
  if (!dd_database_exec (to, "DELETE FROM office", error) ||
      /* other desks hear of the office when it is there, not row by row */
      !dd_database_exec (to, "SET LOCAL dd.copying = 'on'", error))
    return FALSE;

  for (guint i = 0; i < tables->len; i++)
    {
      const Table *table = g_ptr_array_index (tables, i);
      gint64 rows = 0;

      if (!copy_table (from, to, table, &rows, error))
        return FALSE;
      if (progress != NULL)
        progress (table->name, rows, i + 1, tables->len, user_data);
    }
  return dd_database_exec (to, "SELECT dd_sync_sequences ()", error) &&
         compare_totals (from, to, tables, totals, error);
}

gboolean
dd_database_copy (DdDatabase      *from,
                  DdDatabase      *to,
                  DdCopyProgress   progress,
                  gpointer         user_data,
                  DdCopyTotals    *out_totals,
                  GError         **error)
{
  g_autoptr(GPtrArray) tables = NULL;
  DdCopyTotals totals = { 0 };
  gboolean ok;

  g_return_val_if_fail (DD_IS_DATABASE (from), FALSE);
  g_return_val_if_fail (DD_IS_DATABASE (to), FALSE);

  if (!g_str_equal (dd_database_get_driver_name (to), "postgresql"))
    {
      g_set_error_literal (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_OPEN,
                           _("An office is copied into a shared PostgreSQL database only"));
      return FALSE;
    }
  if (dd_database_get_schema_version (from) != dd_database_get_schema_version (to))
    {
      g_set_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_MIGRATION,
                   _("The office (schema %u) and the shared database (schema %u) are of "
                     "different versions of Dunning Desk"),
                   dd_database_get_schema_version (from), dd_database_get_schema_version (to));
      return FALSE;
    }
  tables = list_tables (to, error);
  if (tables == NULL)
    return FALSE;

  /* one transaction: the copy is whole, or there is none */
  if (!dd_database_begin (to, error))
    return FALSE;
  ok = copy_all (from, to, tables, progress, user_data, &totals, error);
  if (!dd_database_finish (to, ok, error))
    return FALSE;
  if (out_totals != NULL)
    *out_totals = totals;
  return TRUE;
}
