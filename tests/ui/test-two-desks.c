/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-two-desks"

/*
 * Two desks on one shared database (issue 19): two office windows, each with its own
 * connection to the same PostgreSQL database (tests/run-with-postgresql.sh starts a
 * throw-away cluster). A case closed at the first desk shows closed at the second within a
 * second: the change is announced by NOTIFY, heard on the second connection, and its cases
 * list is read again.
 */

#include "config.h"

#include <adwaita.h>

#include "dd-cases-view.h"
#include "dd-cases-view-private.h"
#include "dd-database.h"
#include "dd-pg-database.h"
#include "dd-test-ui.h"
#include "dd-window.h"

#define TIMESTAMP "'2026-11-23T08:00:00Z'"

static DdWindow *
show_window (DdDatabase *database)
{
  DdWindow *window = dd_window_new (NULL, database, NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 600);
  return dd_test_show_window (window);
}

static guint
closed_cases_listed (DdWindow *window)
{
  DdCasesView *view = DD_CASES_VIEW (adw_bin_get_child (ADW_BIN (
    dd_test_template_child (window, DD_TYPE_WINDOW, "cases_bin"))));

  return g_list_model_get_n_items (G_LIST_MODEL (_dd_cases_view_get_list (view)));
}

static void
test_two_desks_see_each_other (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new ("two-desks");
  g_autoptr(DdDatabase) second = NULL;
  g_autoptr(DdCaseQuery) closed = dd_case_query_new ();
  g_autoptr(GError) error = NULL;
  DdWindow *desk_a, *desk_b;
  gint64 started;

  if (!DD_IS_PG_DATABASE (office->database))
    {
      g_test_skip ("needs the shared database: run under tests/run-with-postgresql.sh");
      return;
    }

  g_assert_true (dd_database_exec (office->database,
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Hurtownia Nowak', " TIMESTAMP ");"
    "INSERT INTO debtor (id, dedup_key, name, created_at, updated_at) VALUES"
    " (1, 'k1', 'Anna Nowak', " TIMESTAMP ", " TIMESTAMP "),"
    " (2, 'k2', 'Łukasz Wiśniewski', " TIMESTAMP ", " TIMESTAMP ");"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, status, currency, balance_minor,"
    " debtor_name, created_at, updated_at) VALUES"
    " (1, 1, 1, 'new', 'PLN', 10000, 'Anna Nowak', " TIMESTAMP ", " TIMESTAMP "),"
    " (2, 2, 1, 'new', 'PLN', 20000, 'Łukasz Wiśniewski', " TIMESTAMP ", " TIMESTAMP ");",
    &error));
  g_assert_no_error (error);

  /* each desk has its own connection, as two PCs would */
  second = dd_database_open_another (office->database, &error);
  g_assert_no_error (error);
  desk_a = show_window (office->database);
  desk_b = show_window (second);

  closed->statuses = 1u << DD_CASE_STATUS_CLOSED;
  dd_cases_view_set_query (DD_CASES_VIEW (adw_bin_get_child (ADW_BIN (
    dd_test_template_child (desk_b, DD_TYPE_WINDOW, "cases_bin")))), closed);
  dd_test_iterate_for (300);
  g_assert_cmpuint (closed_cases_listed (desk_b), ==, 0);

  /* desk A closes a case */
  g_assert_true (dd_database_execute (office->database, &error,
                                      "UPDATE debt_case SET status = 'closed', closed_at = ?"
                                      " WHERE id = 2", DD_TEXT ("2026-11-23T09:00:00Z"),
                                      DD_END));
  g_assert_no_error (error);

  started = g_get_monotonic_time ();
  while (closed_cases_listed (desk_b) == 0 &&
         g_get_monotonic_time () - started < 5 * G_USEC_PER_SEC)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_test_message ("desk B listed the closed case after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - started) / 1000);
  g_assert_cmpuint (closed_cases_listed (desk_b), ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - started, <, G_USEC_PER_SEC);
  dd_test_save_screenshot ("test-two-desks", "desk-b");

  dd_test_destroy_window (GTK_WINDOW (desk_a));
  dd_test_destroy_window (GTK_WINDOW (desk_b));
}

static gboolean
banner_shown (DdWindow *window)
{
  return gtk_revealer_get_reveal_child (GTK_REVEALER (
    dd_test_template_child (window, DD_TYPE_WINDOW, "database_banner")));
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

static gint64
wait_for_banner (DdWindow *window,
                 gboolean  shown,
                 int       seconds)
{
  gint64 started = g_get_monotonic_time ();

  while (banner_shown (window) != shown &&
         g_get_monotonic_time () - started < seconds * G_USEC_PER_SEC)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  return (g_get_monotonic_time () - started) / 1000;
}

/* The server restarts under a desk: a banner says so, the desk reconnects by itself, the
 * banner goes, and what changed meanwhile (unheard: the desk was not listening) shows. */
static void
test_two_desks_reconnect (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new ("reconnect");
  g_autoptr(DdDatabase) other = NULL;
  g_autoptr(DdCaseQuery) closed = dd_case_query_new ();
  g_autoptr(GError) error = NULL;
  DdWindow *desk;
  gint64 ms;

  if (!DD_IS_PG_DATABASE (office->database) || g_getenv ("DD_TEST_POSTGRESQL_CTL") == NULL)
    {
      g_test_skip ("needs the shared database: run under tests/run-with-postgresql.sh");
      return;
    }

  g_assert_true (dd_database_exec (office->database,
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Hurtownia Nowak', " TIMESTAMP ");"
    "INSERT INTO debtor (id, dedup_key, name, created_at, updated_at) VALUES"
    " (1, 'k1', 'Anna Nowak', " TIMESTAMP ", " TIMESTAMP ");"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, status, currency, balance_minor,"
    " debtor_name, created_at, updated_at) VALUES"
    " (1, 1, 1, 'new', 'PLN', 10000, 'Anna Nowak', " TIMESTAMP ", " TIMESTAMP ");",
    &error));
  g_assert_no_error (error);

  desk = show_window (office->database);
  if (g_getenv ("DD_TEST_LANGUAGE") != NULL)
    gtk_window_set_default_size (GTK_WINDOW (desk), 1024, 700);
  closed->statuses = 1u << DD_CASE_STATUS_CLOSED;
  dd_cases_view_set_query (DD_CASES_VIEW (adw_bin_get_child (ADW_BIN (
    dd_test_template_child (desk, DD_TYPE_WINDOW, "cases_bin")))), closed);
  dd_test_iterate_for (300);
  g_assert_false (banner_shown (desk));
  g_assert_cmpuint (closed_cases_listed (desk), ==, 0);

  server ("stop");
  ms = wait_for_banner (desk, TRUE, 5);
  g_test_message ("the banner showed %" G_GINT64_FORMAT " ms after the server stopped", ms);
  g_assert_true (banner_shown (desk));
  dd_test_iterate_for (300);
  {
    g_autofree char *name = g_strdup_printf ("reconnecting%s%s",
                                             g_getenv ("DD_TEST_LANGUAGE") != NULL ? "-" : "",
                                             g_getenv ("DD_TEST_LANGUAGE") != NULL
                                             ? g_getenv ("DD_TEST_LANGUAGE") : "");

    dd_test_save_screenshot ("test-two-desks", name);
  }

  /* the server is back, and another desk closes the case before this one reconnects */
  server ("start");
  other = dd_database_open_another (office->database, &error);
  g_assert_no_error (error);
  g_assert_true (dd_database_execute (other, &error,
                                      "UPDATE debt_case SET status = 'closed', closed_at = ?"
                                      " WHERE id = 1", DD_TEXT ("2026-11-23T09:00:00Z"),
                                      DD_END));
  g_assert_no_error (error);

  ms = wait_for_banner (desk, FALSE, 40);
  g_test_message ("the banner went %" G_GINT64_FORMAT " ms after the server started", ms);
  g_assert_false (banner_shown (desk));
  dd_test_iterate_for (500);
  g_assert_cmpuint (closed_cases_listed (desk), ==, 1);

  /* and the desk's own queries work again */
  g_assert_true (dd_database_execute (office->database, &error,
                                      "UPDATE debt_case SET status = 'new' WHERE id = 1",
                                      DD_END));
  g_assert_no_error (error);

  dd_test_destroy_window (GTK_WINDOW (desk));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* DD_TEST_LANGUAGE=pl or ru: the screenshots in that language */
  if (g_getenv ("DD_TEST_LANGUAGE") != NULL)
    dd_test_use_language (g_getenv ("DD_TEST_LANGUAGE"));
  adw_init ();
  dd_test_use_app_style ();

  g_test_add_func ("/two-desks/see-each-other", test_two_desks_see_each_other);
  g_test_add_func ("/two-desks/reconnect", test_two_desks_reconnect);

  return g_test_run ();
}
