/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Cases list benchmark (issue: main window). Generates an office of DD_BENCH_CASES cases
 * (default 1,000,000) with direct SQL in one transaction, reopens it, and measures what
 * the cases view needs: time to the first rows, sort changes, search and filter latency,
 * random page fetches, and peak RSS. Goals: first rows < 1 s, search and filter < 200 ms,
 * RSS < 300 MB. Results go to docs/PERFORMANCE.md.
 */
#include "config.h"

#include "dd-case-list.h"
#include "dd-case-query.h"
#include "dd-case-store.h"
#include "dd-database.h"
#include "dd-database-copy.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define FIRST_ROWS 50

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static double
peak_rss_mib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

static void
check (gboolean  ok,
       GError   *error)
{
  if (!ok)
    g_error ("%s", error ? error->message : "failed");
}

static void
generate (DdDatabase *db,
          guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdCaseStore) cases = dd_case_store_new (db);
  g_autofree char *sql = NULL;
  double t0 = now_ms (), t1;

  sql = g_strdup_printf (
    "CREATE TEMP TABLE first_name (id INTEGER PRIMARY KEY, name TEXT);"
    "CREATE TEMP TABLE last_name (id INTEGER PRIMARY KEY, name TEXT);"
    "INSERT INTO first_name (id, name) VALUES (0, 'Anna'), (1, 'Jan'), (2, 'Łukasz'),"
    " (3, 'Małgorzata'), (4, 'Piotr'), (5, 'Katarzyna'), (6, 'Tomasz'), (7, 'Agnieszka'),"
    " (8, 'Иван'), (9, 'Ольга'), (10, 'Paweł'), (11, 'Zofia'), (12, 'Krzysztof'),"
    " (13, 'Ewa'), (14, 'Marek'), (15, 'Дмитрий');"
    "INSERT INTO last_name (id, name) VALUES (0, 'Nowak'), (1, 'Kowalski'), (2, 'Wiśniewski'),"
    " (3, 'Wójcik'), (4, 'Kowalczyk'), (5, 'Kamiński'), (6, 'Lewandowski'), (7, 'Zieliński'),"
    " (8, 'Szymański'), (9, 'Woźniak'), (10, 'Dąbrowski'), (11, 'Kozłowski'), (12, 'Иванов'),"
    " (13, 'Смирнов'), (14, 'Mazur'), (15, 'Krawczyk'), (16, 'Piotrowski'), (17, 'Grabowski'),"
    " (18, 'Nowakowski'), (19, 'Pawłowski'), (20, 'Michalski'), (21, 'Кузнецов'),"
    " (22, 'Zając'), (23, 'Król');"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)"
    " INSERT INTO creditor (id, name, created_at) SELECT i, 'Creditor ' || i, 'x' FROM n;"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)"
    " INSERT INTO agent (id, name, role, created_at) SELECT i, 'Agent ' || i,"
    " CASE WHEN i = 1 THEN 'manager' ELSE 'consultant' END, 'x' FROM n;"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %u)"
    " INSERT INTO debtor (id, dedup_key, name, tax_id, email, birthday, created_at, updated_at)"
    " SELECT i, 'k' || i,"
    "  (SELECT name FROM first_name WHERE id = (i * 7) %% 16) || ' '"
    "  || (SELECT name FROM last_name WHERE id = (i * 13 / 7) %% 24) || ' ' || (i %% 1000),"
    "  CAST(1000000000 + (i * 7919) %% 8999999999 AS TEXT), 'd' || i || '@example.pl',"
    "  (1950 + i %% 50) || '-' || substr('0' || (1 + i %% 12), -2) || '-'"
    "  || substr('0' || (1 + i %% 28), -2), 'x', 'x'"
    " FROM n;"
    "INSERT INTO phone (debtor_id, e164, kind, created_at)"
    " SELECT id, '+48' || (500000000 + (id * 104729) %% 400000000), 'mobile', 'x' FROM debtor;"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, status, agent_id, next_contact_at,"
    " balance_minor, currency, debtor_name, oldest_due_on, last_activity_at, last_contact_at,"
    " created_at, updated_at)"
    " SELECT id, id, 1 + id %% 20,"
    "  CASE id %% 10 WHEN 0 THEN 'closed' WHEN 1 THEN 'call-later' WHEN 2 THEN 'no-answer'"
    "  WHEN 3 THEN 'payment-declaration' WHEN 4 THEN 'no-answer' ELSE 'new' END,"
    "  CASE WHEN id %% 11 = 0 THEN NULL ELSE 1 + id %% 10 END,"
    "  CASE WHEN id %% 10 = 1 THEN '2026-12-' || substr('0' || (1 + id %% 28), -2)"
    "  || 'T09:00:00Z' END,"
    "  (id * 7919) %% 5000000, 'PLN', name,"
    "  '2026-' || substr('0' || (1 + id %% 11), -2) || '-' || substr('0' || (1 + id %% 28), -2),"
    "  CASE WHEN id %% 3 = 0 THEN NULL ELSE '2026-' || substr('0' || (1 + id %% 11), -2)"
    "  || '-' || substr('0' || (1 + id %% 28), -2) || 'T10:00:00Z' END,"
    "  CASE WHEN id %% 3 = 0 THEN NULL ELSE '2026-' || substr('0' || (1 + id %% 11), -2)"
    "  || '-' || substr('0' || (1 + id %% 28), -2) || 'T10:00:00Z' END,"
    "  'x', 'x'"
    " FROM debtor;"
    "INSERT INTO liability (case_id, invoice_no, due_on, amount_minor, currency, created_at,"
    " updated_at)"
    " SELECT id, 'FV/2026/' || (1 + id %% 12) || '/' || id, oldest_due_on, balance_minor, 'PLN',"
    " 'x', 'x' FROM debt_case;"
    "INSERT INTO declaration (case_id, amount_minor, currency, promised_on, channel, created_at)"
    " SELECT id, 10000, 'PLN', '2026-11-' || substr('0' || (1 + id %% 28), -2), 'ivr', 'x'"
    " FROM debt_case WHERE status = 'payment-declaration';",
    n);
  check (dd_database_begin (db, &error), error);
  check (dd_database_exec (db, sql, &error), error);
  check (dd_database_commit (db, &error), error);
  t1 = now_ms ();
  check (dd_case_store_rebuild_search (cases, &error), error);
  check (dd_database_exec (db, "ANALYZE", &error), error);
  g_print ("# generated %u cases in %.1f s (tables) + %.1f s (search index, ANALYZE)\n", n,
           (t1 - t0) / 1000, (now_ms () - t1) / 1000);
}

/* set_query + the first rows, as a view shows them; returns ms. */
static double
run_query (DdCaseList        *list,
           const DdCaseQuery *query)
{
  g_autoptr(GError) error = NULL;
  double t0 = now_ms ();
  guint n;

  check (dd_case_list_set_query (list, query, &error), error);
  n = MIN (FIRST_ROWS, g_list_model_get_n_items (G_LIST_MODEL (list)));
  for (guint i = 0; i < n; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), i));
  return now_ms () - t0;
}

static void
report (DdCaseList        *list,
        const char        *label,
        const DdCaseQuery *query,
        double             goal_ms)
{
  double ms = run_query (list, query);

  g_print ("| %-44s | %9u | %8.1f ms | %s |\n", label,
           g_list_model_get_n_items (G_LIST_MODEL (list)), ms,
           goal_ms <= 0 ? "" : ms < goal_ms ? "met" : "**not met**");
}

/* In a process of its own, so that RSS is what the app would use. */
static int
measure (const char *path,
         guint       n)
{
  g_autoptr(GError) error = NULL;
  double t0, open_ms, first_ms;

  {
    g_autoptr(DdDatabase) db = NULL;
    g_autoptr(DdCaseList) list = NULL;
    g_autoptr(DdCaseQuery) q = dd_case_query_new ();
    g_autoptr(GRand) rand = g_rand_new_with_seed (7);
    struct { DdCaseSortColumn sort; const char *name; } sorts[] = {
      { DD_CASE_SORT_DEBTOR, "debtor" }, { DD_CASE_SORT_CREDITOR, "creditor" },
      { DD_CASE_SORT_BALANCE, "balance" }, { DD_CASE_SORT_OLDEST_DUE, "oldest due" },
      { DD_CASE_SORT_STATUS, "status" }, { DD_CASE_SORT_NEXT_CONTACT, "next contact" },
      { DD_CASE_SORT_LAST_ACTIVITY, "last activity" },
    };
    const char *searches[][2] = {
      { "name prefix “kowal”", "kowal" },
      { "name “Łukasz Nowak”", "Łukasz Nowak" },
      { "Russian name “Иван”", "Иван" },
      { "phone digits “+48 5”", "+48 5" },
      { "full phone", NULL },
      { "national phone with spaces", NULL },
      { "invoice number", NULL },
      { "tax id", NULL },
      { "no match", "zzzzqqq" },
    };
    double total = 0, worst = 0;
    guint pages_before;

    t0 = now_ms ();
    db = dd_database_open (path, &error);
    check (db != NULL, error);
    list = dd_case_list_new (db);
    open_ms = now_ms () - t0;
    first_ms = run_query (list, q);
    g_print ("\n| step | cases | time | goal |\n|---|---:|---:|---|\n");
    g_print ("| %-44s | %9s | %8.1f ms | |\n", "open database (migrations checked)", "", open_ms);
    g_print ("| %-44s | %9u | %8.1f ms | %s |\n", "first 50 rows, default sort (debtor)",
             g_list_model_get_n_items (G_LIST_MODEL (list)), first_ms, "");
    g_print ("| %-44s | %9s | %8.1f ms | %s |\n", "**open + first rows**", "",
             open_ms + first_ms, open_ms + first_ms < 1000 ? "met (< 1 s)" : "**not met**");

    for (guint i = 0; i < G_N_ELEMENTS (sorts); i++)
      for (guint desc = 0; desc < 2; desc++)
        {
          g_autofree char *label = g_strdup_printf ("sort by %s%s", sorts[i].name,
                                                    desc ? " ↓" : " ↑");

          q->sort = sorts[i].sort;
          q->descending = desc;
          report (list, label, q, 1000);
        }
    q->sort = DD_CASE_SORT_DEBTOR;
    q->descending = FALSE;

    for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
      {
        g_autofree char *text = NULL;
        g_autofree char *label = NULL;
        gint64 id = 1 + n / 3;

        switch (i)
          {
          case 4:
            text = g_strdup_printf ("+48%" G_GINT64_FORMAT, 500000000 + (id * 104729) % 400000000);
            break;
          case 5:
            {
              gint64 national = 500000000 + (id * 104729) % 400000000;

              text = g_strdup_printf ("%03d %03d %03d", (int) (national / 1000000),
                                      (int) (national / 1000 % 1000), (int) (national % 1000));
            }
            break;
          case 6:
            text = g_strdup_printf ("FV/2026/%d/%" G_GINT64_FORMAT, (int) (1 + id % 12), id);
            break;
          case 7:
            text = g_strdup_printf ("%" G_GINT64_FORMAT, 1000000000 + (id * 7919) % 8999999999);
            break;
          default:
            text = g_strdup (searches[i][1]);
          }
        label = g_strdup_printf ("search: %s", searches[i][0]);
        dd_case_query_set_search (q, text);
        report (list, label, q, 200);
      }
    dd_case_query_set_search (q, NULL);

    q->today = g_strdup ("2026-11-23");
    q->now = g_strdup ("2026-11-23T12:00:00Z");
    dd_case_query_add_status (q, DD_CASE_STATUS_NEW);
    report (list, "filter: status New", q, 200);
    q->statuses = 0;
    dd_case_query_add_status (q, DD_CASE_STATUS_CALL_LATER);
    dd_case_query_add_status (q, DD_CASE_STATUS_NO_ANSWER);
    report (list, "filter: status Call later or No answer", q, 200);
    q->statuses = 0;
    q->creditor_id = 7;
    report (list, "filter: creditor", q, 200);
    q->creditor_id = 0;
    q->has_balance_min = q->has_balance_max = TRUE;
    q->balance_min = 100000;
    q->balance_max = 500000;
    report (list, "filter: balance 1,000–5,000", q, 200);
    q->has_balance_min = q->has_balance_max = FALSE;
    q->no_contact_days = 30;
    report (list, "filter: no contact for 30 days", q, 200);
    q->no_contact_days = 0;
    q->overdue_declarations = TRUE;
    report (list, "filter: overdue payment declarations", q, 200);
    q->overdue_declarations = FALSE;
    q->birthdays_today = TRUE;
    report (list, "filter: birthdays today", q, 200);
    q->birthdays_today = FALSE;
    q->agent_id = 3;
    report (list, "filter: assigned to an agent", q, 200);
    dd_case_query_add_status (q, DD_CASE_STATUS_NO_ANSWER);
    q->creditor_id = 7;
    q->has_balance_min = TRUE;
    q->balance_min = 100000;
    report (list, "status + creditor + agent + balance", q, 200);
    q->agent_id = 0;
    q->creditor_id = 0;
    q->no_contact_days = 30;
    q->sort = DD_CASE_SORT_BALANCE;
    q->descending = TRUE;
    report (list, "status + balance + no contact, by balance ↓", q, 200);
    dd_case_query_set_search (q, "kowal");
    report (list, "search “kowal” + the filters above", q, 200);

    /* random pages of the unfiltered list (as a fast scroll or jump does) */
    g_clear_pointer (&q, dd_case_query_free);
    q = dd_case_query_new ();
    run_query (list, q);
    pages_before = dd_case_list_get_n_cached_pages (list);
    for (guint i = 0; i < 500; i++)
      {
        guint pos = g_rand_int_range (rand, 0, g_list_model_get_n_items (G_LIST_MODEL (list)));
        double t = now_ms ();
        DdCaseRow *row = g_list_model_get_item (G_LIST_MODEL (list), pos);
        double ms = now_ms () - t;

        g_object_unref (row);
        total += ms;
        worst = MAX (worst, ms);
      }
    g_print ("| %-44s | %9s | %8.2f ms | worst %.2f ms; %u→%u pages cached |\n",
             "random page fetch (500, mean)", "", total / 500, worst, pages_before,
             dd_case_list_get_n_cached_pages (list));
  }

  g_print ("\n# peak RSS of the measuring process: %.1f MiB (goal < 300 MB: %s)\n",
           peak_rss_mib (), peak_rss_mib () * 1048576 < 300e6 ? "met" : "NOT met");
  return 0;
}

static char *
copy_to_postgresql (const char *path)
{
  const char *base = g_getenv ("DD_TEST_POSTGRESQL");
  g_autofree char *shared = g_strdup_printf ("postgresql:///bench%s", strchr (base, '?'));
  g_autoptr(GError) error = NULL;
  g_autoptr(DdDatabase) from = dd_database_open (path, &error);
  g_autoptr(DdDatabase) to = NULL;
  DdCopyTotals totals = { 0 };
  g_autofree char *create = g_strdup_printf ("psql -X -q '%s' -c 'CREATE DATABASE bench'", base);
  double t0;

  check (from != NULL, error);
  /* DD_BENCH_POSTGRESQL_KEEP: a cluster kept between runs (DD_TEST_POSTGRESQL pointing at a
   * server of one's own) already holding the office from an earlier run: measured as it is,
   * without the copy of several minutes. */
  if (g_getenv ("DD_BENCH_POSTGRESQL_KEEP") != NULL)
    {
      g_autoptr(DdDatabase) kept = dd_database_open (shared, NULL);
      gint64 n_cases = 0;

      if (kept != NULL &&
          dd_database_query_int64 (kept, "SELECT COUNT(*) FROM debt_case", &n_cases, NULL) &&
          n_cases > 0)
        {
          g_print ("# reusing the office of %" G_GINT64_FORMAT " cases already in PostgreSQL\n",
                   n_cases);
          return g_steal_pointer (&shared);
        }
    }
  check (system (create) == 0, NULL);
  to = dd_database_open (shared, &error);
  check (to != NULL, error);
  t0 = now_ms ();
  check (dd_database_copy (from, to, NULL, NULL, &totals, &error), error);
  check (dd_database_exec (to, "ANALYZE", &error), error);
  g_print ("# copied %" G_GINT64_FORMAT " rows into PostgreSQL in %.1f s (migrate --to)\n",
           totals.rows, (now_ms () - t0) / 1000);
  return g_steal_pointer (&shared);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *cmd = NULL;
  const char *env = g_getenv ("DD_BENCH_CASES");
  guint n = env ? (guint) g_ascii_strtoull (env, NULL, 10) : 1000000;
  int status = 1;

  setlocale (LC_ALL, "");
  if (argc == 3 && g_str_equal (argv[1], "--measure"))
    return measure (argv[2], n);

  /* DD_BENCH_DB: keep the generated office there, and reuse it when it exists. */
  if (g_getenv ("DD_BENCH_DB") != NULL)
    path = g_strdup (g_getenv ("DD_BENCH_DB"));
  else
    {
      dir = g_dir_make_tmp ("dd-bench-cases-XXXXXX", &error);
      check (dir != NULL, error);
      path = g_build_filename (dir, "office.db", NULL);
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(DdDatabase) db = dd_database_open (path, &error);

      check (db != NULL, error);
      generate (db, n);
      g_print ("# peak RSS while generating: %.1f MiB\n", peak_rss_mib ());
    }

  /* DD_BENCH_POSTGRESQL (tests/run-with-postgresql.sh sets DD_TEST_POSTGRESQL): the office is
   * copied into a shared database of that cluster, as `dunning-desk-cli migrate` does, and the
   * list is measured there. */
  if (g_getenv ("DD_TEST_POSTGRESQL") != NULL && g_getenv ("DD_BENCH_POSTGRESQL") != NULL)
    {
      g_autofree char *shared = copy_to_postgresql (path);

      g_free (path);
      path = g_steal_pointer (&shared);
    }

  {
    const char *child[] = { argv[0], "--measure", path, NULL };

    check (g_spawn_sync (NULL, (char **) child, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL, NULL, &status,
                         &error), error);
  }
  if (dir != NULL)
    {
      cmd = g_strdup_printf ("rm -rf '%s'", dir);
      if (system (cmd) != 0)
        return 1;
    }
  return g_spawn_check_wait_status (status, NULL) ? 0 : 1;
}
