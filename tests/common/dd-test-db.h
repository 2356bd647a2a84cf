/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * The office database of a test: the SQLite file at @path, or, when the test runs under
 * tests/run-with-postgresql.sh (DD_TEST_POSTGRESQL set), a database of that throw-away
 * cluster named after @path, so that opening the same path again opens the same database.
 * Header-only: store tests link the core alone.
 */

#include <libpq-fe.h>

#include "dd-database.h"

static inline void
dd_test_pg_command (const char *base,
                    const char *sql)
{
  PGconn *conn = PQconnectdb (base);
  PGresult *result;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  PQclear (result);
  PQfinish (conn);
}

static inline gboolean
dd_test_pg_exists (const char *base,
                   const char *name)
{
  PGconn *conn = PQconnectdb (base);
  const char *values[] = { name };
  PGresult *result;
  gboolean exists;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexecParams (conn, "SELECT 1 FROM pg_database WHERE datname = $1", 1, NULL,
                         values, NULL, NULL, 0);
  exists = PQresultStatus (result) == PGRES_TUPLES_OK && PQntuples (result) > 0;
  PQclear (result);
  PQfinish (conn);
  return exists;
}

/* The address of database @name in the cluster whose "postgres" database is @base. */
static inline char *
dd_test_pg_uri (const char *base,
                const char *name)
{
  const char *query = strchr (base, '?');

  g_assert_nonnull (query);
  return g_strdup_printf ("postgresql:///%s%s", name, query);
}

static inline gboolean
dd_test_uses_postgresql (void)
{
  const char *base = g_getenv ("DD_TEST_POSTGRESQL");

  return base != NULL && *base != '\0';
}

/* The location dd_database_open() is given for @path. */
static inline char *
dd_test_database_location (const char *path)
{
  const char *base = g_getenv ("DD_TEST_POSTGRESQL");
  g_autofree char *hash = NULL;
  g_autofree char *name = NULL;
  g_autofree char *sql = NULL;

  if (!dd_test_uses_postgresql ())
    return g_strdup (path);

  /* One migrated template, copied for each database: migrations run once per test run. */
  if (!dd_test_pg_exists (base, "dd_template"))
    {
      g_autofree char *template_uri = dd_test_pg_uri (base, "dd_template");
      g_autoptr(GError) error = NULL;
      g_autoptr(DdDatabase) migrated = NULL;

      dd_test_pg_command (base, "CREATE DATABASE dd_template");
      migrated = dd_database_open (template_uri, &error);
      g_assert_no_error (error);
    }

  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA1, path, -1);
  name = g_strdup_printf ("dd_test_%.16s", hash);
  if (!dd_test_pg_exists (base, name))
    {
      sql = g_strdup_printf ("CREATE DATABASE %s TEMPLATE dd_template", name);
      dd_test_pg_command (base, sql);
    }
  return dd_test_pg_uri (base, name);
}

static inline DdDatabase *
dd_test_database_open (const char  *path,
                       GError     **error)
{
  g_autofree char *location = dd_test_database_location (path);

  return dd_database_open (location, error);
}
