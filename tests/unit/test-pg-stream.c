/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-pg-stream"

/*
 * Streamed statements on the shared database (issue 19, the cases list of 1,000,000 cases):
 * a statement marked with dd_statement_set_streamed() is read a chunk at a time through a
 * server-side cursor, not whole at its first step; other statements run between its steps;
 * one given up before its last row leaves the connection usable; an error in the middle of
 * the rows is reported when the step reaches it. Runs under tests/run-with-postgresql.sh.
 */

#include "config.h"

#include "dd-test-db.h"

/* Rows 1 … @n; the one numbered @bad (0: none) divides by zero. */
#define SERIES_SQL "SELECT i, 100 / (i - ?) FROM generate_series (1, ?) i"

static DdStatement *
series (DdDatabase *database,
        gint64      n,
        gint64      bad)
{
  g_autoptr(GError) error = NULL;
  DdStatement *stmt = dd_database_prepare (database, SERIES_SQL, &error);

  g_assert_no_error (error);
  dd_statement_bind_int64 (stmt, 1, bad);
  dd_statement_bind_int64 (stmt, 2, n);
  dd_statement_set_streamed (stmt, TRUE);
  return stmt;
}

static void
step_expect (DdStatement *stmt,
             gint64       i)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dd_statement_step (stmt, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dd_statement_get_int64 (stmt, 0), ==, i);
}

static gint64
plain_query (DdDatabase *database,
             gint64      value)
{
  g_autoptr(GError) error = NULL;
  gint64 out = 0;

  g_assert_true (dd_database_fetch_int64 (database, &out, NULL, &error, "SELECT ? + 1",
                                          DD_INT (value), DD_END));
  g_assert_no_error (error);
  return out;
}

/* Sessions of this database left inside a transaction (a cursor not closed). */
static gint64
idle_in_transaction (DdDatabase *database)
{
  g_autoptr(GError) error = NULL;
  gint64 n = -1;

  g_assert_true (dd_database_fetch_int64 (database, &n, NULL, &error,
                                          "SELECT count(*) FROM pg_stat_activity"
                                          " WHERE datname = current_database ()"
                                          " AND state LIKE 'idle in transaction%'", DD_END));
  g_assert_no_error (error);
  return n;
}

static DdDatabase *
open_database (void)
{
  g_autoptr(GError) error = NULL;
  DdDatabase *database = dd_test_database_open ("pg-stream", &error);

  g_assert_no_error (error);
  return database;
}

static gboolean
skip_without_postgresql (void)
{
  if (dd_test_uses_postgresql ())
    return FALSE;
  g_test_skip ("needs the shared database: run under tests/run-with-postgresql.sh");
  return TRUE;
}

/* The first rows come before the rest is computed (the row that fails is never reached);
 * other statements run in between; given up early, the connection goes on. */
static void
test_first_rows_then_give_up (void)
{
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdStatement) stmt = NULL;
  g_autoptr(DdStatement) again = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without_postgresql ())
    return;
  database = open_database ();
  stmt = series (database, 100000, 90000);
  for (gint64 i = 1; i <= 10; i++)
    step_expect (stmt, i);
  g_assert_cmpint (plain_query (database, 41), ==, 42);
  for (gint64 i = 11; i <= 20; i++)
    step_expect (stmt, i);

  dd_statement_reset (stmt);
  g_assert_cmpint (plain_query (database, 1), ==, 2);
  g_assert_cmpint (idle_in_transaction (database), ==, 0);

  /* executed again from the start, then freed in the middle */
  dd_statement_bind_int64 (stmt, 1, 90000);
  dd_statement_bind_int64 (stmt, 2, 100000);
  step_expect (stmt, 1);
  again = series (database, 1000, 0);
  step_expect (again, 1);
  g_clear_pointer (&stmt, dd_statement_free);
  step_expect (again, 2);
  g_clear_pointer (&again, dd_statement_free);
  g_assert_cmpint (plain_query (database, 2), ==, 3);
  g_assert_cmpint (idle_in_transaction (database), ==, 0);
}

/* Many chunks: every row once, in order, two streams read side by side with other
 * statements between their steps; nothing left open at the end. */
static void
test_every_row_once (void)
{
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdStatement) a = NULL;
  g_autoptr(DdStatement) b = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n = 0;

  if (skip_without_postgresql ())
    return;
  database = open_database ();
  a = series (database, 54321, 0);
  b = series (database, 23456, 0);
  while (dd_statement_step (a, &error))
    {
      n++;
      g_assert_cmpint (dd_statement_get_int64 (a, 0), ==, n);
      g_assert_cmpint (dd_statement_get_int64 (a, 1), ==, 100 / n);
      if (n <= 23456)
        step_expect (b, n);
      if (n % 5000 == 0)
        g_assert_cmpint (plain_query (database, n), ==, n + 1);
    }
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 54321);
  g_assert_false (dd_statement_step (b, &error));
  g_assert_no_error (error);
  g_assert_false (dd_statement_step (a, &error));
  g_assert_no_error (error);
  g_assert_cmpint (idle_in_transaction (database), ==, 0);

  /* run again with other values */
  n = 0;
  dd_statement_reset (b);
  dd_statement_bind_int64 (b, 1, 0);
  dd_statement_bind_int64 (b, 2, 777);
  while (dd_statement_step (b, &error))
    n += dd_statement_get_int64 (b, 0);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 777 * 778 / 2);
}

/* The row that fails, far after the first chunk: its step says so; a stream open beside it
 * says it was interrupted (not a silent end); the connection goes on. */
static void
test_error_midway (void)
{
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdStatement) stmt = NULL;
  g_autoptr(DdStatement) beside = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n = 0;

  if (skip_without_postgresql ())
    return;
  database = open_database ();
  beside = series (database, 100000, 0);
  step_expect (beside, 1);
  stmt = series (database, 100000, 5000);
  while (dd_statement_step (stmt, &error))
    n++;
  g_assert_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_SQL);
  g_assert_nonnull (strstr (error->message, "division by zero"));
  g_clear_error (&error);
  /* the rows before it were all given, the failing chunk's none */
  g_assert_cmpint (n, <, 5000);
  g_assert_cmpint (n, >=, 100);

  /* the one beside: its fetched rows, then an error, not a silent end */
  for (n = 2; dd_statement_step (beside, &error); n++)
    g_assert_cmpint (dd_statement_get_int64 (beside, 0), ==, n);
  g_assert_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_SQL);
  g_clear_error (&error);

  g_assert_cmpint (plain_query (database, 7), ==, 8);
  dd_statement_reset (stmt);
  dd_statement_bind_int64 (stmt, 1, 0);
  dd_statement_bind_int64 (stmt, 2, 300);
  for (n = 1; n <= 300; n++)
    step_expect (stmt, n);
  g_assert_false (dd_statement_step (stmt, &error));
  g_assert_no_error (error);
  g_clear_pointer (&beside, dd_statement_free);
  g_assert_cmpint (idle_in_transaction (database), ==, 0);
}

/* Inside a transaction of the stores' a streamed query sees its uncommitted writes. */
static void
test_in_transaction (void)
{
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n = 0;

  if (skip_without_postgresql ())
    return;
  database = open_database ();
  g_assert_true (dd_database_exec (database, "CREATE TABLE IF NOT EXISTS stream_t (i BIGINT)",
                                   &error));
  g_assert_no_error (error);
  g_assert_true (dd_database_begin (database, &error));
  g_assert_true (dd_database_exec (database, "INSERT INTO stream_t VALUES (1), (2), (3)",
                                   &error));
  g_assert_no_error (error);
  stmt = dd_database_prepare (database, "SELECT i FROM stream_t ORDER BY i", &error);
  g_assert_no_error (error);
  dd_statement_set_streamed (stmt, TRUE);
  while (dd_statement_step (stmt, &error))
    g_assert_cmpint (dd_statement_get_int64 (stmt, 0), ==, ++n);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 3);
  dd_statement_reset (stmt);
  g_assert_true (dd_database_rollback (database, &error));
  g_assert_no_error (error);

  /* outside it, nothing was committed */
  g_assert_false (dd_statement_step (stmt, &error));
  g_assert_no_error (error);
}

static void
server (const char *command)
{
  g_autofree char *line = g_strdup_printf ("%s %s", g_getenv ("DD_TEST_POSTGRESQL_CTL"),
                                           command);
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_true (g_spawn_command_line_sync (line, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* The server restarts between two streamed reads: the second one works at its first try
 * (the reading connection, idle meanwhile, comes back as the other one does). */
static void
test_after_restart (void)
{
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;

  if (skip_without_postgresql ())
    return;
  if (g_getenv ("DD_TEST_POSTGRESQL_CTL") == NULL)
    {
      g_test_skip ("needs $DD_TEST_POSTGRESQL_CTL (tests/run-with-postgresql.sh)");
      return;
    }
  database = open_database ();
  stmt = series (database, 1000, 0);
  step_expect (stmt, 1);
  dd_statement_reset (stmt);

  server ("stop");
  server ("start");
  dd_statement_bind_int64 (stmt, 1, 0);
  dd_statement_bind_int64 (stmt, 2, 1000);
  for (gint64 i = 1; i <= 1000; i++)
    step_expect (stmt, i);
  g_assert_false (dd_statement_step (stmt, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/pg/stream/first-rows-then-give-up", test_first_rows_then_give_up);
  g_test_add_func ("/dd/pg/stream/every-row-once", test_every_row_once);
  g_test_add_func ("/dd/pg/stream/error-midway", test_error_midway);
  g_test_add_func ("/dd/pg/stream/in-transaction", test_in_transaction);
  g_test_add_func ("/dd/pg/stream/after-restart", test_after_restart);

  return g_test_run ();
}
