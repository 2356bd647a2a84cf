/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-pg-reconnect"

/*
 * The shared database's server restarts under a live connection (issue 19): the connection
 * says it is lost, comes back by itself with back-off, listens again to the other desks'
 * changes, and queries succeed after. Runs under tests/run-with-postgresql.sh, whose
 * $DD_TEST_POSTGRESQL_CTL stops and starts the throw-away server.
 */

#include "config.h"

#include "dd-pg-database.h"
#include "dd-test-db.h"

typedef struct
{
  guint  lost;
  guint  reconnected;
  char  *changed_table;
} Events;

static void
on_lost (DdPgDatabase *database,
         const char   *message,
         Events       *events)
{
  g_test_message ("lost: %s", message);
  events->lost++;
}

static void
on_reconnected (DdPgDatabase *database,
                Events       *events)
{
  events->reconnected++;
}

static void
on_changed (DdPgDatabase *database,
            const char   *table,
            const char   *ids,
            Events       *events)
{
  g_free (events->changed_table);
  events->changed_table = g_strdup (table);
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

/* Iterates the main loop until *@counter reaches @value or @seconds pass. */
static void
wait_for (guint *counter,
          guint  value,
          int    seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (*counter < value && g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (5000);
}

static void
test_reconnect (void)
{
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdDatabase) other = NULL;
  g_autoptr(GError) error = NULL;
  Events events = { 0 };
  gint64 value = 0, started;

  if (!dd_test_uses_postgresql () || g_getenv ("DD_TEST_POSTGRESQL_CTL") == NULL)
    {
      g_test_skip ("needs the shared database: run under tests/run-with-postgresql.sh");
      return;
    }

  database = dd_test_database_open ("pg-reconnect", &error);
  g_assert_no_error (error);
  g_assert_true (dd_pg_database_listen (DD_PG_DATABASE (database), &error));
  g_assert_no_error (error);
  g_signal_connect (database, "connection-lost", G_CALLBACK (on_lost), &events);
  g_signal_connect (database, "reconnected", G_CALLBACK (on_reconnected), &events);
  g_signal_connect (database, "changed", G_CALLBACK (on_changed), &events);
  /* a prepared statement from before the restart */
  g_assert_true (dd_database_fetch_int64 (database, &value, NULL, &error,
                                          "SELECT count(*) FROM debt_case WHERE id > ?",
                                          DD_INT (0), DD_END));
  g_assert_no_error (error);
  g_assert_true (dd_pg_database_is_connected (DD_PG_DATABASE (database)));

  /* the server goes: noticed without a query */
  server ("stop");
  wait_for (&events.lost, 1, 10);
  g_assert_cmpuint (events.lost, ==, 1);
  g_assert_false (dd_pg_database_is_connected (DD_PG_DATABASE (database)));

  /* meanwhile a query fails at once, with words a person can read */
  started = g_get_monotonic_time ();
  g_assert_false (dd_database_fetch_int64 (database, &value, NULL, &error,
                                           "SELECT count(*) FROM debt_case WHERE id > ?",
                                           DD_INT (0), DD_END));
  g_assert_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_OPEN);
  g_assert_cmpint (g_get_monotonic_time () - started, <, G_USEC_PER_SEC / 2);
  g_clear_error (&error);

  /* a few attempts fail while it is down (after 1 and 2 s), then it comes back */
  wait_for (&events.reconnected, 1, 4);
  g_assert_cmpuint (events.reconnected, ==, 0);
  server ("start");
  wait_for (&events.reconnected, 1, 40);
  g_assert_cmpuint (events.reconnected, ==, 1);
  g_assert_cmpuint (events.lost, ==, 1);
  g_assert_true (dd_pg_database_is_connected (DD_PG_DATABASE (database)));

  /* the statement prepared on the old connection is prepared again */
  g_assert_true (dd_database_fetch_int64 (database, &value, NULL, &error,
                                          "SELECT count(*) FROM debt_case WHERE id > ?",
                                          DD_INT (0), DD_END));
  g_assert_no_error (error);
  g_assert_cmpint (value, ==, 0);

  /* and another desk's change is heard again */
  other = dd_database_open_another (database, &error);
  g_assert_no_error (error);
  g_assert_true (dd_database_exec (other, "SELECT pg_notify ('dd_changes', 'debt_case 42')",
                                   &error));
  g_assert_no_error (error);
  started = g_get_monotonic_time ();
  while (events.changed_table == NULL && g_get_monotonic_time () - started < 5 * G_USEC_PER_SEC)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (5000);
  g_assert_cmpstr (events.changed_table, ==, "debt_case");

  g_free (events.changed_table);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/pg/reconnect", test_reconnect);

  return g_test_run ();
}
