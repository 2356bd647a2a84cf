/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-agent-store.h"
#include "dd-test-util.h"
#include "dd-database.h"
#include "dd-paths.h"
#include "dd-sqlite-database.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

static char *tmpdir;

static char *
tmp_db (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static void
test_create_empty (void)
{
  g_autofree char *path = tmp_db ("empty.db");
  g_autoptr(DdDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mode = NULL;
  GStatBuf st;

  db = dd_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (db);

  g_assert_cmpstr (dd_database_get_driver_name (db), ==, "sqlite");
  g_assert_cmpstr (dd_database_get_location (db), ==, path);
  g_assert_cmpuint (dd_database_get_schema_version (db), ==,
                    dd_sqlite_database_get_latest_version ());
  g_assert_cmpuint (dd_sqlite_database_get_latest_version (), >=, 2);

  /* Private to the user, whatever the umask, and in WAL mode. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  mode = dd_test_query_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (dd_test_query_int (db, "PRAGMA foreign_keys"), ==, 1);

  /* Every table of the data model exists and is empty. */
  {
    const char *tables[] = { "creditor", "debtor", "phone", "debt_case", "liability",
                             "balance_history", "payment", "declaration", "activity", "campaign",
                             "message", "call_attempt", "ivr_flow", "saved_filter", "agent",
                             "audit_log", "import_run", "import_preset" };
    for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
      {
        g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM %s", tables[i]);
        g_assert_cmpint (dd_test_query_int (db, sql), ==, 0);
      }
  }
}

static void
test_default_location (void)
{
  g_autoptr(DdDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_build_filename (tmpdir, "xdg-data", "dunning-desk", "office.db",
                                                NULL);
  g_autofree char *dir = g_path_get_dirname (expected);
  g_autofree char *default_path = dd_paths_get_default_database ();
  GStatBuf st;

  g_assert_cmpstr (default_path, ==, expected);
  db = dd_database_open (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dd_database_get_location (db), ==, expected);
  g_assert_true (g_file_test (expected, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
}

static void
test_migrate_older (void)
{
  g_autofree char *path = tmp_db ("older.db");
  g_autoptr(GError) error = NULL;

  /* A database as the first release left it, with data in it. */
  {
    g_autoptr(DdDatabase) v1 = dd_sqlite_database_open_at_version (path, 1, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (dd_database_get_schema_version (v1), ==, 1);
    g_assert_true (dd_database_exec (v1,
      "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Wodociągi', '2026-01-01T00:00:00Z');"
      "INSERT INTO debtor (id, dedup_key, name, created_at, updated_at)"
      " VALUES (1, 'tax:5260250995', 'Jan Kowalski', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
      "INSERT INTO debt_case (id, debtor_id, creditor_id, currency, balance_minor, created_at, updated_at)"
      " VALUES (1, 1, 1, 'PLN', 12345, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
      "INSERT INTO liability (case_id, invoice_no, amount_minor, currency, created_at, updated_at)"
      " VALUES (1, 'FV/1', 12345, 'PLN', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');",
      &error));
    g_assert_no_error (error);
    /* Version 2 objects are not there yet. */
    g_assert_false (dd_database_exec (v1, "SELECT COUNT(*) FROM import_preset", NULL));
  }

  /* Opening it with this build migrates it, keeping the data. */
  {
    g_autoptr(DdDatabase) db = dd_database_open (path, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (dd_database_get_schema_version (db), ==,
                      dd_sqlite_database_get_latest_version ());
    g_assert_cmpint (dd_test_query_int (db, "SELECT balance_minor FROM debt_case WHERE id = 1"), ==,
                     12345);
    g_assert_cmpint (dd_test_query_int (db,
                                        "SELECT COUNT(*) FROM liability WHERE import_run_id IS NULL"),
                     ==, 1);
    g_assert_cmpint (dd_test_query_int (db, "SELECT COUNT(*) FROM import_preset"), ==, 0);
    /* an office made before schema 7 gets its random id (16 hex digits) on migration */
    g_assert_cmpint (dd_test_query_int (db, "SELECT COUNT(*) FROM office WHERE length(id) = 16"
                                    " AND id NOT GLOB '*[^0-9a-f]*'"), ==, 1);
  }

  /* And opening again is a no-op. */
  {
    g_autoptr(DdDatabase) db = dd_database_open (path, &error);
    g_assert_no_error (error);
    g_assert_cmpint (dd_test_query_int (db, "SELECT COUNT(*) FROM debtor"), ==, 1);
    g_assert_cmpint (dd_test_query_int (db, "SELECT COUNT(*) FROM office"), ==, 1);
  }
}

/* Two databases made one after the other are two offices: their ids differ. */
static void
test_office_id (void)
{
  g_autofree char *path_a = tmp_db ("office-a.db");
  g_autofree char *path_b = tmp_db ("office-b.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(DdDatabase) a = dd_database_open (path_a, &error);
  g_autoptr(DdDatabase) b = dd_database_open (path_b, &error);
  g_autofree char *id_a = NULL;
  g_autofree char *id_b = NULL;

  g_assert_no_error (error);
  id_a = dd_test_query_text (a, "SELECT id FROM office");
  id_b = dd_test_query_text (b, "SELECT id FROM office");
  g_assert_cmpuint (strlen (id_a), ==, 16);
  g_assert_cmpuint (strlen (id_b), ==, 16);
  g_assert_cmpstr (id_a, !=, id_b);
}

/* The own receivables, stored in the language of the first import before schema 8, take the
 * key that every language shows translated. */
static void
test_migrate_own_creditor (void)
{
  g_autofree char *path = tmp_db ("own.db");
  g_autofree char *path2 = tmp_db ("own2.db");
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(DdDatabase) v7 = dd_sqlite_database_open_at_version (path, 7, &error);

    g_assert_no_error (error);
    g_assert_true (dd_database_exec (v7,
      "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Wodociągi', 'x');"
      "INSERT INTO creditor (id, name, created_at) VALUES (2, 'Należności własne', 'x');",
      &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(DdDatabase) db = dd_database_open (path, &error);

    g_assert_no_error (error);
    g_assert_cmpint (dd_test_query_int (db, "SELECT COUNT(*) FROM creditor"
                                    " WHERE id = 2 AND name = 'Own receivables'"), ==, 1);
    g_assert_cmpint (dd_test_query_int (db, "SELECT COUNT(*) FROM creditor"
                                    " WHERE id = 1 AND name = 'Wodociągi'"), ==, 1);
  }

  /* a Russian office whose key exists already keeps both (names are unique) */
  {
    g_autoptr(DdDatabase) v7 = dd_sqlite_database_open_at_version (path2, 7, &error);

    g_assert_no_error (error);
    g_assert_true (dd_database_exec (v7,
      "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Own receivables', 'x');"
      "INSERT INTO creditor (id, name, created_at)"
      " VALUES (2, 'Собственная дебиторская задолженность', 'x');",
      &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(DdDatabase) db = dd_database_open (path2, &error);

    g_assert_no_error (error);
    g_assert_cmpint (dd_test_query_int (db, "SELECT COUNT(*) FROM creditor"), ==, 2);
    g_assert_cmpint (dd_test_query_int (db, "SELECT COUNT(*) FROM creditor"
                                    " WHERE id = 1 AND name = 'Own receivables'"), ==, 1);
  }
}

static void
test_too_new (void)
{
  g_autofree char *path = tmp_db ("new.db");
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(DdDatabase) db = dd_database_open (path, &error);
    g_assert_no_error (error);
    g_assert_true (dd_database_exec (db, "PRAGMA user_version = 999", &error));
  }
  {
    g_autoptr(DdDatabase) db = dd_database_open (path, &error);
    g_assert_null (db);
    g_assert_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_TOO_NEW);
  }
}

static void
test_not_a_database (void)
{
  g_autofree char *path = tmp_db ("garbage.db");
  g_autoptr(DdDatabase) db = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "Kontrahent;NIP\nthis is a CSV file, not SQLite\n"
                                      "padding padding padding padding padding padding padding\n",
                                      -1, NULL));
  db = dd_database_open (path, &error);
  g_assert_null (db);
  g_assert_nonnull (error);
  g_assert_true (error->domain == DD_DATABASE_ERROR);
}

static void
test_statements (void)
{
  g_autofree char *path = tmp_db ("stmt.db");
  g_autoptr(DdDatabase) db = dd_database_open (path, NULL);
  g_autoptr(GError) error = NULL;
  DdStatement *insert, *select;

  insert = dd_database_cached (db, "INSERT INTO creditor (name, tax_id, created_at)"
                                   " VALUES (?, ?, ?) RETURNING id", &error);
  g_assert_no_error (error);
  dd_statement_bind_text (insert, 1, "Zakład Gospodarki Komunalnej");
  dd_statement_bind_text (insert, 2, NULL);
  dd_statement_bind_text (insert, 3, "2026-11-23T00:00:00Z");
  g_assert_true (dd_statement_step (insert, &error));
  g_assert_cmpint (dd_statement_get_int64 (insert, 0), ==, 1);
  dd_statement_reset (insert);

  /* The cache hands out the same statement, reset and unbound. */
  g_assert_true (dd_database_cached (db, "INSERT INTO creditor (name, tax_id, created_at)"
                                         " VALUES (?, ?, ?) RETURNING id", &error) == insert);

  /* Constraint violations are reported as such. */
  dd_statement_bind_text (insert, 1, "Zakład Gospodarki Komunalnej");
  dd_statement_bind_text (insert, 3, "2026-11-23T00:00:00Z");
  g_assert_false (dd_statement_step (insert, &error));
  g_assert_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  select = dd_database_cached (db, "SELECT name, tax_id FROM creditor WHERE id = ?", &error);
  dd_statement_bind_int64 (select, 1, 1);
  g_assert_true (dd_statement_step (select, &error));
  g_assert_cmpuint (dd_statement_n_columns (select), ==, 2);
  g_assert_cmpstr (dd_statement_get_text (select, 0), ==, "Zakład Gospodarki Komunalnej");
  g_assert_true (dd_statement_is_null (select, 1));
  g_assert_false (dd_statement_step (select, &error));
  g_assert_no_error (error);

  /* Bad SQL is an error, not a crash. */
  g_assert_null (dd_database_prepare (db, "SELEKT 1", &error));
  g_assert_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_SQL);
}

/* The one-call queries: bound parameters, NULL text, a missing row, errors, and statements
 * left reset so that the next use starts afresh. */
static void
test_one_call_queries (void)
{
  g_autofree char *path = tmp_db ("one-call.db");
  g_autoptr(DdDatabase) db = dd_database_open (path, NULL);
  g_autoptr(GError) error = NULL;
  gboolean exists = TRUE, found = TRUE;
  gint64 value = -1;

  g_assert_true (dd_database_execute (db, &error,
                                      "INSERT INTO creditor (name, tax_id, created_at)"
                                      " VALUES (?, ?, ?)",
                                      DD_TEXT ("ZGK"), DD_TEXT (NULL), DD_TEXT ("x"), DD_END));
  g_assert_no_error (error);
  g_assert_true (dd_database_execute (db, &error,
                                      "INSERT INTO creditor (name, tax_id, created_at)"
                                      " VALUES (?, ?, ?)",
                                      DD_TEXT ("MPO"), DD_TEXT ("5260250274"), DD_TEXT ("x"),
                                      DD_END));

  g_assert_true (dd_database_exists (db, &exists, &error,
                                     "SELECT 1 FROM creditor WHERE name = ? AND tax_id IS NULL",
                                     DD_TEXT ("ZGK"), DD_END));
  g_assert_true (exists);
  g_assert_true (dd_database_exists (db, &exists, &error,
                                     "SELECT 1 FROM creditor WHERE name = ? AND id <> ?",
                                     DD_TEXT ("ZGK"), DD_INT (1), DD_END));
  g_assert_false (exists);

  g_assert_true (dd_database_fetch_int64 (db, &value, &found, &error,
                                          "SELECT id FROM creditor WHERE tax_id = ?",
                                          DD_TEXT ("5260250274"), DD_END));
  g_assert_true (found);
  g_assert_cmpint (value, ==, 2);
  g_assert_true (dd_database_fetch_int64 (db, &value, &found, &error,
                                          "SELECT id FROM creditor WHERE tax_id = ?",
                                          DD_TEXT ("0000000000"), DD_END));
  g_assert_false (found);
  g_assert_cmpint (value, ==, 0);

  /* A constraint violation is an error, and the statement can be used again. */
  g_assert_false (dd_database_execute (db, &error,
                                       "INSERT INTO creditor (name, tax_id, created_at)"
                                       " VALUES (?, ?, ?)",
                                       DD_TEXT ("ZGK"), DD_TEXT (NULL), DD_TEXT ("x"), DD_END));
  g_assert_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_true (dd_database_execute (db, &error,
                                      "INSERT INTO creditor (name, tax_id, created_at)"
                                      " VALUES (?, ?, ?)",
                                      DD_TEXT ("KZN"), DD_TEXT (NULL), DD_TEXT ("x"), DD_END));
  g_assert_no_error (error);
  g_assert_true (dd_database_fetch_int64 (db, &value, NULL, &error,
                                          "SELECT COUNT(*) FROM creditor", DD_END));
  g_assert_cmpint (value, ==, 3);

  /* Bad SQL is an error. */
  g_assert_false (dd_database_exists (db, &exists, &error, "SELEKT 1", DD_END));
  g_assert_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_SQL);
}

typedef struct
{
  gint64    id;
  gint      n;
  guint     u;
  gboolean  flag;
  char     *s;
} Row;

static const DdField row_fields[] = {
  DD_FIELD (Row, id, INT64),
  DD_FIELD (Row, n, INT),
  DD_FIELD (Row, u, UINT),
  DD_FIELD_SKIPPED,
  DD_FIELD (Row, flag, BOOLEAN),
  DD_FIELD (Row, s, TEXT),
};
static const DdRowType row_type = DD_ROW_TYPE (Row, row_fields);

DD_DEFINE_ROW_AUTO_CLEAR (Row, row_type)

static void
row_free (gpointer row)
{
  dd_row_free (&row_type, row);
}

static void
add_n (DdStatement *stmt,
       gpointer     sum)
{
  *(gint64 *) sum += dd_statement_get_int64 (stmt, 0);
}

#define ROW_SQL "SELECT id, n, n, 'skipped', flag, s FROM t"

/* Rows read by a table of columns → fields, optional integers, the one-call row helpers. */
static void
test_rows (void)
{
  g_autofree char *path = tmp_db ("rows.db");
  g_autoptr(DdDatabase) db = dd_database_open (path, NULL);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (row_free);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  g_auto(Row) one = { 0, };
  g_autofree char *text = NULL;
  gpointer item = GINT_TO_POINTER (1);
  gboolean found = FALSE;
  gint64 id = 0, sum = 0;

  g_assert_true (dd_database_exec (db, "CREATE TEMP TABLE t (id INTEGER PRIMARY KEY,"
                                   " n INTEGER, flag INTEGER, s TEXT)", &error));
  for (int i = 1; i <= 3; i++)
    {
      g_assert_true (dd_database_insert (db, &id, &error,
                                         "INSERT INTO t (n, flag, s) VALUES (?, ?, ?)",
                                         DD_INT_IF (i != 2, i * 10), DD_INT (i == 3),
                                         DD_TEXT (i == 1 ? NULL : "x"), DD_END));
      g_assert_no_error (error);
      g_assert_cmpint (id, ==, i);
    }
  g_assert_true (dd_database_exists (db, &found, &error, "SELECT 1 FROM t WHERE id = 2"
                                     " AND n IS NULL", DD_END));
  g_assert_true (found);

  g_assert_true (dd_database_fetch_all (db, rows, dd_statement_read_row, &row_type, &error,
                                        ROW_SQL " ORDER BY id", DD_END));
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpint (((Row *) rows->pdata[0])->n, ==, 10);
  g_assert_cmpuint (((Row *) rows->pdata[0])->u, ==, 10);
  g_assert_null (((Row *) rows->pdata[0])->s);
  g_assert_cmpint (((Row *) rows->pdata[1])->n, ==, 0);
  g_assert_false (((Row *) rows->pdata[1])->flag);
  g_assert_true (((Row *) rows->pdata[2])->flag);
  g_assert_cmpstr (((Row *) rows->pdata[2])->s, ==, "x");

  g_assert_true (dd_database_fetch_fields (db, &row_type, &one, &found, &error,
                                           ROW_SQL " WHERE id = ?", DD_INT (3), DD_END));
  g_assert_true (found);
  g_assert_cmpint (one.id, ==, 3);
  g_assert_cmpstr (one.s, ==, "x");
  g_assert_true (dd_database_fetch_fields (db, &row_type, &one, &found, &error,
                                           ROW_SQL " WHERE id = ?", DD_INT (9), DD_END));
  g_assert_false (found);

  g_assert_true (dd_database_fetch_row (db, &item, dd_statement_read_row, &row_type, &error,
                                        ROW_SQL " WHERE id = ?", DD_INT (9), DD_END));
  g_assert_no_error (error);
  g_assert_null (item);

  g_assert_true (dd_database_fetch_ids (db, ids, &error, "SELECT id FROM t WHERE n IS NOT NULL"
                                        " ORDER BY id DESC", DD_END));
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 3);
  g_assert_true (dd_database_query_each (db, add_n, &sum, &error, "SELECT n FROM t", DD_END));
  g_assert_cmpint (sum, ==, 40);

  g_assert_true (dd_database_fetch_text (db, &text, &error, "SELECT s FROM t WHERE id = ?",
                                         DD_INT (2), DD_END));
  g_assert_cmpstr (text, ==, "x");
  g_clear_pointer (&text, g_free);
  g_assert_true (dd_database_fetch_text (db, &text, &error, "SELECT s FROM t WHERE id = ?",
                                         DD_INT (9), DD_END));
  g_assert_null (text);

  g_assert_false (dd_database_fetch_all (db, rows, dd_statement_read_row, &row_type, &error,
                                         "SELEKT", DD_END));
  g_assert_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_SQL);
  g_assert_cmpuint (rows->len, ==, 3);
}

/* The rules stores of named rows share, and the store base holding the database. */
static void
test_names_and_stores (void)
{
  static const DdNaming naming = {
    dd_database_error_quark, DD_DATABASE_ERROR_SQL, "blank",
    "SELECT id FROM creditor WHERE name = ? AND id <> ?", DD_DATABASE_ERROR_CONSTRAINT,
    "taken: %s",
  };
  g_autofree char *path = tmp_db ("names.db");
  g_autoptr(DdDatabase) db = dd_database_open (path, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  DdAgentStore *store;
  gint64 id = 0;

  g_assert_true (dd_database_insert (db, &id, &error, "INSERT INTO creditor (name, created_at)"
                                     " VALUES (?, ?)", DD_TEXT ("ZGK"), DD_TEXT ("x"), DD_END));
  g_assert_null (dd_database_check_name (db, &naming, "  \t", 0, &error));
  g_assert_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_SQL);
  g_assert_cmpstr (error->message, ==, "blank");
  g_clear_error (&error);
  g_assert_null (dd_database_check_name (db, &naming, " ZGK ", 0, &error));
  g_assert_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_CONSTRAINT);
  g_assert_cmpstr (error->message, ==, "taken: ZGK");
  g_clear_error (&error);
  name = dd_database_check_name (db, &naming, " ZGK ", id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "ZGK");

  store = dd_agent_store_new (db);
  g_assert_true (DD_IS_STORE (store));
  g_assert_true (dd_store_get_database (DD_STORE (store)) == db);
  g_assert_cmpuint (G_OBJECT (db)->ref_count, ==, 2);
  g_assert_finalize_object (store);
  g_assert_cmpuint (G_OBJECT (db)->ref_count, ==, 1);
}

static void
test_transactions (void)
{
  g_autofree char *path = tmp_db ("tx.db");
  g_autoptr(DdDatabase) db = dd_database_open (path, NULL);
  g_autoptr(GError) error = NULL;

  /* Commit. */
  g_assert_true (dd_database_begin (db, &error));
  g_assert_true (dd_database_in_transaction (db));
  g_assert_true (dd_database_exec (db, "INSERT INTO agent (name, created_at) VALUES ('Anna', 'x')",
                                   &error));
  g_assert_true (dd_database_commit (db, &error));
  g_assert_false (dd_database_in_transaction (db));
  g_assert_cmpint (dd_test_query_int (db, "SELECT COUNT(*) FROM agent"), ==, 1);

  /* Rollback. */
  g_assert_true (dd_database_begin (db, &error));
  g_assert_true (dd_database_exec (db, "INSERT INTO agent (name, created_at) VALUES ('Olga', 'x')",
                                   &error));
  g_assert_true (dd_database_rollback (db, &error));
  g_assert_cmpint (dd_test_query_int (db, "SELECT COUNT(*) FROM agent"), ==, 1);

  /* An inner rollback dooms the outer transaction. */
  g_assert_true (dd_database_begin (db, &error));
  g_assert_true (dd_database_exec (db, "INSERT INTO agent (name, created_at) VALUES ('Piotr', 'x')",
                                   &error));
  g_assert_true (dd_database_begin (db, &error));
  g_assert_true (dd_database_rollback (db, &error));
  g_assert_true (dd_database_in_transaction (db));
  g_assert_false (dd_database_commit (db, &error));
  g_assert_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_SQL);
  g_clear_error (&error);
  g_assert_false (dd_database_in_transaction (db));
  g_assert_cmpint (dd_test_query_int (db, "SELECT COUNT(*) FROM agent"), ==, 1);

  /* A second connection (as a worker thread would use) sees committed data only. */
  {
    g_autoptr(DdDatabase) other = dd_database_open_another (db, &error);

    g_assert_no_error (error);
    g_assert_true (dd_database_begin (db, &error));
    g_assert_true (dd_database_exec (db, "INSERT INTO agent (name, created_at) VALUES ('Ivan', 'x')",
                                     &error));
    g_assert_cmpint (dd_test_query_int (other, "SELECT COUNT(*) FROM agent"), ==, 1);
    g_assert_true (dd_database_commit (db, &error));
    g_assert_cmpint (dd_test_query_int (other, "SELECT COUNT(*) FROM agent"), ==, 2);
  }
}

/* Trusted writes skip the CHECK constraints only (and only while on); NOT NULL still holds. */
static void
test_trusted_writes (void)
{
  g_autofree char *path = tmp_db ("trusted.db");
  g_autoptr(DdDatabase) db = dd_database_open (path, NULL);
  g_autoptr(GError) error = NULL;
  static const char bad_kind[] =
    "INSERT INTO phone (debtor_id, e164, kind, created_at) VALUES (1, '+48601234567', 'fax', 'x')";

  g_assert_true (dd_database_exec (db, "INSERT INTO debtor (id, dedup_key, name, created_at,"
                                       " updated_at) VALUES (1, 'k', 'Anna', 'x', 'x')", &error));
  g_assert_false (dd_database_exec (db, bad_kind, &error));
  g_assert_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  g_assert_true (dd_database_set_trusted_writes (db, TRUE, &error));
  g_assert_true (dd_database_exec (db, bad_kind, &error));
  g_assert_no_error (error);
  g_assert_false (dd_database_exec (db, "INSERT INTO phone (debtor_id, e164, kind, created_at)"
                                        " VALUES (1, NULL, 'mobile', 'x')", &error));
  g_assert_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_CONSTRAINT);
  g_clear_error (&error);

  g_assert_true (dd_database_set_trusted_writes (db, FALSE, &error));
  g_assert_false (dd_database_exec (db, "INSERT INTO phone (debtor_id, e164, kind, created_at)"
                                        " VALUES (1, '+48601234568', 'fax', 'x')", &error));
  g_assert_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_CONSTRAINT);
  g_assert_cmpint (dd_test_query_int (db, "SELECT COUNT(*) FROM phone"), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *xdg = NULL;
  int ret;

  tmpdir = g_dir_make_tmp ("dd-test-database-XXXXXX", NULL);
  xdg = g_build_filename (tmpdir, "xdg-data", NULL);
  g_setenv ("XDG_DATA_HOME", xdg, TRUE);
  umask (022);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dd/database/create-empty", test_create_empty);
  g_test_add_func ("/dd/database/default-location", test_default_location);
  g_test_add_func ("/dd/database/migrate-older", test_migrate_older);
  g_test_add_func ("/dd/database/office-id", test_office_id);
  g_test_add_func ("/dd/database/migrate-own-creditor", test_migrate_own_creditor);
  g_test_add_func ("/dd/database/too-new", test_too_new);
  g_test_add_func ("/dd/database/not-a-database", test_not_a_database);
  g_test_add_func ("/dd/database/statements", test_statements);
  g_test_add_func ("/dd/database/transactions", test_transactions);
  g_test_add_func ("/dd/database/trusted-writes", test_trusted_writes);
  g_test_add_func ("/dd/database/one-call-queries", test_one_call_queries);
  g_test_add_func ("/dd/database/rows", test_rows);
  g_test_add_func ("/dd/database/names-and-stores", test_names_and_stores);
  ret = g_test_run ();

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmpdir);
    if (system (cmd) != 0)
      g_warning ("could not remove %s", tmpdir);
  }
  g_free (tmpdir);
  return ret;
}
