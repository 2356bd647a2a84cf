/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-case-list.h"
#include "dd-case-list-private.h"
#include "case-fixture.h"
#include <string.h>

typedef struct
{
  guint position, removed, added, calls;
  guint total_removed, total_added;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
  changes->total_removed += removed;
  changes->total_added += added;
  changes->calls++;
}

static void
test_rows (CaseFixture   *f,
           gconstpointer  data)
{
  g_autoptr(DdCaseList) list = dd_case_list_new (f->db);
  g_autoptr(DdCaseQuery) query = dd_case_query_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DdCaseRow) row = NULL;
  Changes changes = { 0 };

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == DD_TYPE_CASE_ROW);

  /* default: by debtor name */
  g_assert_true (dd_case_list_set_query (list, query, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, 6);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 6);
  g_assert_cmpint (dd_case_list_get_case_id (list, 0), ==, 4);
  g_assert_cmpuint (dd_case_list_find (list, 3), ==, 5);
  g_assert_cmpuint (dd_case_list_find (list, 99), ==, G_MAXUINT);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 6));

  row = g_list_model_get_item (G_LIST_MODEL (list), 3);
  g_assert_true (dd_case_row_get_loaded (row));
  g_assert_cmpint (dd_case_row_get_id (row), ==, 1);
  g_assert_cmpint (dd_case_row_get_debtor_id (row), ==, 1);
  g_assert_cmpstr (dd_case_row_get_debtor_name (row), ==, "Łukasz Żółkiewski");
  g_assert_cmpstr (dd_case_row_get_creditor_name (row), ==, "Alfa Bank");
  g_assert_cmpint (dd_case_row_get_balance_minor (row), ==, 150000);
  g_assert_cmpstr (dd_case_row_get_currency (row), ==, "PLN");
  g_assert_cmpstr (dd_case_row_get_oldest_due_on (row), ==, "2026-01-10");
  g_assert_cmpuint (dd_case_row_get_days_overdue (row, "2026-01-10"), ==, 0);
  g_assert_cmpuint (dd_case_row_get_days_overdue (row, "2026-01-01"), ==, 0);
  g_assert_cmpuint (dd_case_row_get_days_overdue (row, "2026-02-10"), ==, 31);
  g_assert_cmpuint (dd_case_row_get_days_overdue (row, FIXTURE_TODAY), ==, 317);
  g_assert_cmpstr (dd_case_row_get_status (row), ==, "new");
  g_assert_null (dd_case_row_get_next_contact_at (row));
  g_assert_null (dd_case_row_get_last_activity_at (row));
  g_assert_cmpint (dd_case_row_get_agent_id (row), ==, 1);
  g_assert_cmpstr (dd_case_row_get_agent_name (row), ==, "Anna Konsultant");
  g_clear_object (&row);

  /* properties, for GtkExpressions */
  row = g_list_model_get_item (G_LIST_MODEL (list), 4);
  {
    g_autofree char *name = NULL, *next = NULL;
    gint64 balance = 0;

    g_object_get (row, "debtor-name", &name, "next-contact-at", &next, "balance-minor",
                  &balance, NULL);
    g_assert_cmpstr (name, ==, "Łukasz Żółkiewski");
    g_assert_cmpstr (next, ==, "2026-11-24T09:00:00Z");
    g_assert_cmpint (balance, ==, 5000);
  }
  g_clear_object (&row);

  /* a requery replaces everything */
  dd_case_query_set_search (query, "nowak");
  g_assert_true (dd_case_list_set_query (list, query, &error));
  g_assert_no_error (error);
  /* two signals, empty in between (GTK 4.8 list views would look up every added item) */
  g_assert_cmpuint (changes.calls, ==, 3);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, 2);
  g_assert_cmpuint (changes.total_removed, ==, 6);
  g_assert_cmpuint (changes.total_added, ==, 8);
  g_assert_true (dd_case_query_equal (dd_case_list_get_query (list), query));

  /* contents changed, positions kept; the cached row is shown until invalidated */
  row = g_list_model_get_item (G_LIST_MODEL (list), 1);
  g_assert_cmpint (dd_case_row_get_balance_minor (row), ==, 0);
  g_clear_object (&row);
  g_assert_true (dd_database_exec (f->db, "UPDATE debt_case SET balance_minor = 7 WHERE id = 5",
                                   &error));
  row = g_list_model_get_item (G_LIST_MODEL (list), 1);
  g_assert_cmpint (dd_case_row_get_balance_minor (row), ==, 0);
  g_clear_object (&row);
  dd_case_list_invalidate (list, (gint64[]) { 5, 1 }, 2);
  g_assert_cmpuint (changes.calls, ==, 4);
  g_assert_cmpuint (changes.position, ==, 1);
  g_assert_cmpuint (changes.removed, ==, 1);
  row = g_list_model_get_item (G_LIST_MODEL (list), 1);
  g_assert_cmpint (dd_case_row_get_balance_minor (row), ==, 7);
  g_clear_object (&row);

  /* a case deleted after the ids were read: a placeholder keeps n_items exact */
  dd_case_list_invalidate (list, (gint64[]) { 5 }, 1);
  g_assert_true (dd_database_exec (f->db, "DELETE FROM debt_case WHERE id = 5", &error));
  g_assert_no_error (error);
  row = g_list_model_get_item (G_LIST_MODEL (list), 1);
  g_assert_false (dd_case_row_get_loaded (row));
  g_assert_cmpint (dd_case_row_get_id (row), ==, 5);
  g_clear_object (&row);

  g_assert_true (dd_case_list_reload (list, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_cmpuint (changes.total_removed, ==, 6 + 1 + 1 + 2);
  g_assert_cmpuint (changes.added, ==, 1);

  /* an empty result of an empty list emits nothing */
  dd_case_query_set_search (query, "nobody-at-all");
  g_assert_true (dd_case_list_set_query (list, query, &error));
  changes.calls = 0;
  g_assert_true (dd_case_list_set_query (list, query, &error));
  g_assert_cmpuint (changes.calls, ==, 0);

  g_signal_handlers_disconnect_by_data (list, &changes);
}

#define N_CASES 2345

static void
test_paging (CaseFixture   *f,
             gconstpointer  data)
{
  g_autoptr(DdCaseList) list = dd_case_list_new (f->db);
  g_autoptr(DdCaseQuery) query = dd_case_query_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  DdCaseSortColumn sorts[] = { DD_CASE_SORT_BALANCE, DD_CASE_SORT_DEBTOR, DD_CASE_SORT_CREDITOR,
                               DD_CASE_SORT_STATUS, DD_CASE_SORT_OLDEST_DUE,
                               DD_CASE_SORT_DAYS_OVERDUE };
  /* days overdue grow as the due date gets older; nothing unpaid is the fewest days, ties go
   * by id the way the dates go */
  const char *orders[] = { "c.balance_minor", "c.debtor_name", "cr.name", "c.status",
                           "c.oldest_due_on", "-COALESCE(julianday(c.oldest_due_on), 1e9)" };

  sql = g_strdup_printf (
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Zeta', 'x'), (2, 'Alfa', 'x');"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
    " INSERT INTO debtor (id, dedup_key, name, created_at, updated_at)"
    " SELECT i, 'k' || i, 'Debtor ' || (i * 7919 %% 1000), 'x', 'x' FROM n;"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, status, balance_minor, currency,"
    " debtor_name, oldest_due_on, created_at, updated_at)"
    " SELECT d.id, d.id, 1 + d.id %% 2,"
    "  CASE d.id %% 4 WHEN 0 THEN 'new' WHEN 1 THEN 'no-answer' WHEN 2 THEN 'call-later'"
    "  ELSE 'closed' END, d.id * 104729 %% 5000, 'PLN', d.name,"
    "  CASE WHEN d.id %% 7 = 0 THEN NULL ELSE '2026-0' || (1 + d.id %% 9) || '-15' END, 'x', 'x'"
    " FROM debtor d;", N_CASES);
  g_assert_true (dd_database_exec (f->db, sql, &error));
  g_assert_no_error (error);

  /* threshold 0: filtered lists walk the sort index; else they are sorted in memory */
  for (guint t = 0; t < 4; t++)
  for (guint s = 0; s < G_N_ELEMENTS (sorts); s++)
    for (guint dir = 0; dir < 2; dir++)
      {
        g_autofree char *plain = NULL;
        DdStatement *stmt;

        query->sort = sorts[s];
        query->descending = dir;
        _dd_case_list_set_sort_threshold (list, (guint[]) { 0, 10, 1000, 100000 }[t]);
        query->statuses = s == 3 ? 0 : (1u << DD_CASE_STATUS_NEW | 1u << DD_CASE_STATUS_CLOSED |
                                         1u << DD_CASE_STATUS_NO_ANSWER);
        g_assert_true (dd_case_list_set_query (list, query, &error));
        g_assert_no_error (error);

        plain = g_strdup_printf ("SELECT c.id, c.balance_minor FROM debt_case c"
                                 " JOIN creditor cr ON cr.id = c.creditor_id"
                                 " WHERE %s"
                                 " ORDER BY %s %s %s, c.id %s LIMIT 1 OFFSET ?",
                                 s == 3 ? "1 = 1" : "c.status <> 'call-later'",
                                 orders[s], dir ? "DESC" : "",
                                 dir ? "NULLS LAST" : "NULLS FIRST",
                                 (dir != 0) != (sorts[s] == DD_CASE_SORT_DAYS_OVERDUE)
                                 ? "DESC" : "");
        g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==,
                          s == 3 ? N_CASES : N_CASES - N_CASES / 4);

        for (guint i = 0; i < 100; i++)
          {
            guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
            guint pos = i < 3 ? (guint[]) { 0, n / 2, n - 1 }[i] : (guint) g_test_rand_int_range (0, n);
            g_autoptr(DdCaseRow) row = g_list_model_get_item (G_LIST_MODEL (list), pos);

            stmt = dd_database_cached (f->db, plain, &error);
            g_assert_no_error (error);
            dd_statement_bind_int64 (stmt, 1, pos);
            g_assert_true (dd_statement_step (stmt, &error));
            g_assert_cmpint (dd_case_row_get_id (row), ==, dd_statement_get_int64 (stmt, 0));
            g_assert_cmpint (dd_case_row_get_balance_minor (row), ==,
                             dd_statement_get_int64 (stmt, 1));
            dd_statement_reset (stmt);
            g_assert_cmpuint (dd_case_list_get_n_cached_pages (list), <=, DD_CASE_LIST_MAX_PAGES);
          }
      }

  /* a walked list is completed in the background by the main loop */
  {
    guint n_ids = 0;
    const gint64 *ids;

    _dd_case_list_set_sort_threshold (list, 0);
    query->statuses = 1u << DD_CASE_STATUS_NEW;
    g_assert_true (dd_case_list_set_query (list, query, &error));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_CASES / 4);
    while (g_main_context_iteration (NULL, FALSE))
      ;
    ids = dd_case_list_get_case_ids (list, &n_ids);
    g_assert_cmpuint (n_ids, ==, N_CASES / 4);
    for (guint i = 0; i < n_ids; i++)
      g_assert_cmpint (ids[i] % 4, ==, 0);
    query->statuses = 0;
  }

  /* a full scroll keeps the cache bounded and sees every id once */
  {
    g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
    guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

    for (guint pos = 0; pos < n; pos++)
      {
        g_autoptr(DdCaseRow) row = g_list_model_get_item (G_LIST_MODEL (list), pos);

        g_assert_true (dd_case_row_get_loaded (row));
        g_assert_true (g_hash_table_add (seen, GINT_TO_POINTER (dd_case_row_get_id (row))));
      }
    g_assert_cmpuint (g_hash_table_size (seen), ==, n);
    g_assert_cmpuint (dd_case_list_get_n_cached_pages (list), ==,
                      MIN ((n + DD_CASE_LIST_PAGE_SIZE - 1) / DD_CASE_LIST_PAGE_SIZE,
                           DD_CASE_LIST_MAX_PAGES));
  }
}

/* Sorted by creditor: PostgreSQL walks an index of the creditor's name kept on the case
 * (schema 29) instead of sorting every case; the name follows a renamed creditor and a case
 * moved to another creditor. */
static void
test_creditor_sort (CaseFixture   *f,
                    gconstpointer  data)
{
  g_autoptr(DdCaseList) list = dd_case_list_new (f->db);
  g_autoptr(DdCaseQuery) query = dd_case_query_new ();
  g_autoptr(GError) error = NULL;
  gint64 first_ids[] = { 2, 1, 3 };
  const char *changes[] = {
    NULL,
    /* Zeta becomes the first by name */
    "UPDATE creditor SET name = 'Aaa' WHERE id = 1",
    /* case 3 moves to the creditor now first */
    "UPDATE debt_case SET creditor_id = 1 WHERE id = 3;"
    "UPDATE debt_case SET creditor_id = 2 WHERE id = 1",
  };

  g_assert_true (dd_database_exec (f->db,
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Zeta', 'x'), (2, 'Alfa', 'x');"
    "INSERT INTO debtor (id, dedup_key, name, created_at, updated_at) VALUES"
    " (1, 'k1', 'A', 'x', 'x'), (2, 'k2', 'B', 'x', 'x'), (3, 'k3', 'C', 'x', 'x');"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, status, balance_minor, currency,"
    " debtor_name, created_at, updated_at) VALUES"
    " (1, 1, 1, 'new', 1, 'PLN', 'A', 'x', 'x'), (2, 2, 2, 'new', 2, 'PLN', 'B', 'x', 'x'),"
    " (3, 3, 2, 'new', 3, 'PLN', 'C', 'x', 'x');", &error));
  g_assert_no_error (error);

  query->sort = DD_CASE_SORT_CREDITOR;
  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    {
      g_autoptr(DdCaseRow) row = NULL;

      if (changes[i] != NULL)
        {
          g_assert_true (dd_database_exec (f->db, changes[i], &error));
          g_assert_no_error (error);
        }
      g_assert_true (dd_case_list_set_query (list, query, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
      row = g_list_model_get_item (G_LIST_MODEL (list), 0);
      g_assert_cmpint (dd_case_row_get_id (row), ==, first_ids[i]);
    }

  if (g_str_equal (dd_database_get_driver_name (f->db), "postgresql"))
    for (guint dir = 0; dir < 2; dir++)
      {
        g_autoptr(DdCaseQuerySql) sql = NULL;
        g_autofree char *explain = NULL;
        g_autoptr(GString) plan = g_string_new (NULL);
        g_autoptr(DdStatement) stmt = NULL;

        /* the plan of the list's walk, with a sort made as dear as it is at 1,000,000 cases */
        query->descending = dir;
        sql = dd_case_query_build_for (query, f->db, "c.id", TRUE);
        explain = g_strconcat ("EXPLAIN ", dd_case_query_sql_get_text (sql), NULL);
        g_assert_true (dd_database_exec (f->db, "SET enable_sort = off", &error));
        stmt = dd_database_prepare (f->db, explain, &error);
        g_assert_no_error (error);
        while (dd_statement_step (stmt, &error))
          g_string_append_printf (plan, "%s\n", dd_statement_get_text (stmt, 0));
        g_assert_no_error (error);
        g_assert_true (dd_database_exec (f->db, "RESET enable_sort", &error));
        g_assert_null (strstr (plan->str, "Sort"));
        g_assert_nonnull (strstr (plan->str, "debt_case_walk_creditor_name"));
      }
}

/* The words of the search rows beside each case (PostgreSQL, schema 30) are exactly the
 * lexemes of the case's debtor's document: nothing missing, nothing left over. */
static void
assert_search_tokens_in_step (CaseFixture *f)
{
  if (!g_str_equal (dd_database_get_driver_name (f->db), "postgresql"))
    return;
  g_assert_cmpint (case_fixture_int (f,
    "SELECT COUNT(*) FROM ("
    " (SELECT token, case_id FROM case_search_token"
    "  EXCEPT SELECT w.token, c.id FROM debtor_search s JOIN debt_case c ON c.debtor_id = s.rowid"
    "  CROSS JOIN LATERAL unnest(tsvector_to_array(s.document)) AS w(token))"
    " UNION ALL"
    " (SELECT w.token, c.id FROM debtor_search s JOIN debt_case c ON c.debtor_id = s.rowid"
    "  CROSS JOIN LATERAL unnest(tsvector_to_array(s.document)) AS w(token)"
    "  EXCEPT SELECT token, case_id FROM case_search_token)) AS d"), ==, 0);
}

/* The list of a search, walked and read whole, against the reference query (the search
 * index of schema 3, LIMIT … OFFSET), in two orders and both directions. */
static void
assert_listed (CaseFixture *f,
               DdCaseList  *list,
               const char  *search,
               guint        statuses,
               gint64       expected)
{
  g_autoptr(DdCaseQuery) query = dd_case_query_new ();
  g_autoptr(GError) error = NULL;
  DdCaseSortColumn sorts[] = { DD_CASE_SORT_DEBTOR, DD_CASE_SORT_BALANCE };

  dd_case_query_set_search (query, search);
  query->statuses = statuses;
  {
    g_autoptr(DdCaseQuerySql) count = dd_case_query_build (query, "COUNT(*)", FALSE);
    g_autoptr(DdStatement) stmt = dd_case_query_sql_prepare (count, f->db, &error);

    g_assert_no_error (error);
    g_assert_true (dd_statement_step (stmt, &error));
    if (expected < 0)
      expected = dd_statement_get_int64 (stmt, 0);
    g_assert_cmpint (dd_statement_get_int64 (stmt, 0), ==, expected);
  }
  for (guint t = 0; t < 2; t++)
    for (guint s = 0; s < G_N_ELEMENTS (sorts); s++)
      for (guint dir = 0; dir < 2; dir++)
        {
          g_autoptr(DdCaseQuerySql) reference = NULL;
          g_autofree char *text = NULL;
          guint n;

          query->sort = sorts[s];
          query->descending = dir;
          _dd_case_list_set_sort_threshold (list, t == 0 ? 0 : 100000);
          g_assert_true (dd_case_list_set_query (list, query, &error));
          g_assert_no_error (error);
          n = g_list_model_get_n_items (G_LIST_MODEL (list));
          g_assert_cmpint (n, ==, expected);

          reference = dd_case_query_build (query, "c.id", TRUE);
          text = g_strconcat (dd_case_query_sql_get_text (reference), " LIMIT 1 OFFSET ?", NULL);
          for (guint i = 0; i < MIN (n, 3u); i++)
            {
              guint pos = (guint[]) { 0, n / 2, n - 1 }[i];
              g_autoptr(DdCaseRow) row = g_list_model_get_item (G_LIST_MODEL (list), pos);
              g_autoptr(DdStatement) stmt = dd_database_prepare (f->db, text, &error);

              g_assert_no_error (error);
              dd_case_query_sql_bind (reference, stmt);
              dd_statement_bind_int64 (stmt, dd_case_query_sql_get_n_params (reference) + 1,
                                       pos);
              g_assert_true (dd_statement_step (stmt, &error));
              g_assert_cmpint (dd_case_row_get_id (row), ==, dd_statement_get_int64 (stmt, 0));
            }
        }
}

/* Searches with many matches: on PostgreSQL counted and walked from the words kept beside
 * each case (schema 30), by triggers, in step with the search rows whatever changes (a
 * debtor renamed, a phone or an invoice added, a case moved or deleted, a search row
 * removed); the same lists as the search index gives, on both databases. */
static void
assert_search_listed (CaseFixture *f,
                      DdCaseList  *list,
                      const char  *search,
                      gint64       expected)
{
  assert_listed (f, list, search, 0, expected);
}

static void
exec_ok (CaseFixture *f,
         const char  *sql)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = dd_database_exec (f->db, sql, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
test_search_walk (CaseFixture   *f,
                  gconstpointer  data)
{
  g_autoptr(DdCaseList) list = dd_case_list_new (f->db);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  gint64 ids[] = { 7, 8, 9 };

  sql = g_strdup_printf (
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Zeta', 'x'), (2, 'Eta', 'x'),"
    " (3, 'Theta', 'x');"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
    " INSERT INTO debtor (id, dedup_key, name, created_at, updated_at)"
    " SELECT i, 'k' || i, CASE i %% 3 WHEN 0 THEN 'Łukasz Kowalski' WHEN 1 THEN 'Иван Петров'"
    "  ELSE 'Anna Nowak' END || ' ' || i, 'x', 'x' FROM n;"
    "INSERT INTO phone (debtor_id, e164, created_at)"
    " SELECT id, '+48' || (500000000 + id * 104729 %% 400000000), 'x' FROM debtor;"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, status, balance_minor, currency,"
    " debtor_name, created_at, updated_at)"
    " SELECT d.id, d.id, 1, 'new', d.id * 104729 %% 5000, 'PLN', d.name, 'x', 'x'"
    " FROM debtor d;"
    "INSERT INTO liability (case_id, invoice_no, amount_minor, currency, created_at,"
    " updated_at) SELECT id, 'FV/2026/' || id, 100, 'PLN', 'x', 'x' FROM debt_case;",
    N_CASES);
  exec_ok (f, sql);
  g_assert_true (dd_case_store_rebuild_search (f->cases, &error));
  g_assert_no_error (error);
  assert_search_tokens_in_step (f);

  assert_search_listed (f, list, "kowal", N_CASES / 3);
  assert_search_listed (f, list, "Lukasz", N_CASES / 3);
  assert_search_listed (f, list, "Иван", (N_CASES + 2) / 3);
  assert_search_listed (f, list, "+48 5", -1);
  assert_search_listed (f, list, "lukasz kowalski 12", 1 + 4 + 34); /* 12, 12x, 12xx */
  assert_search_listed (f, list, "FV/2026/1234", 1);
  assert_search_listed (f, list, "kowal petrov", 0);
  /* with a filter: counted from the filter's cases, walked with the search's set */
  exec_ok (f, "UPDATE debt_case SET status = 'closed' WHERE id % 5 = 0");
  assert_listed (f, list, "kowal", 1u << DD_CASE_STATUS_NEW, -1);
  assert_listed (f, list, "Иван", 1u << DD_CASE_STATUS_CLOSED, -1);

  /* a debtor renamed, a phone and an invoice added: the app rebuilds their search rows */
  exec_ok (f,
    "UPDATE debtor SET name = 'Grzegorz Brzęczyszczykiewicz' WHERE id = 7;"
    "INSERT INTO phone (debtor_id, e164, created_at) VALUES (8, '+48777666555', 'x');"
    "INSERT INTO liability (case_id, invoice_no, amount_minor, currency, created_at,"
    " updated_at) VALUES (9, 'ZX-4242', 1, 'PLN', 'x', 'x')");
  g_assert_true (dd_case_store_refresh_search (f->cases, ids, G_N_ELEMENTS (ids), &error));
  g_assert_no_error (error);
  assert_search_tokens_in_step (f);
  assert_search_listed (f, list, "brzeczy", 1);
  assert_search_listed (f, list, "777 666 555", 1);
  assert_search_listed (f, list, "zx 4242", 1);
  assert_search_listed (f, list, "Иван", (N_CASES + 2) / 3 - 1);

  /* a new debtor and case; a case moved to another debtor; a case deleted; a search row
   * removed */
  exec_ok (f,
    "INSERT INTO debtor (id, dedup_key, name, created_at, updated_at)"
    " VALUES (9001, 'k9001', 'Zenon Kowalczyk', 'x', 'x');"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, status, balance_minor, currency,"
    " debtor_name, created_at, updated_at)"
    " VALUES (9001, 9001, 2, 'new', 1, 'PLN', 'Zenon Kowalczyk', 'x', 'x');");
  g_assert_true (dd_case_store_refresh_search (f->cases, (gint64[]) { 9001 }, 1, &error));
  g_assert_no_error (error);
  exec_ok (f,
    "INSERT INTO debt_case (id, debtor_id, creditor_id, status, balance_minor, currency,"
    " debtor_name, created_at, updated_at)"
    " VALUES (9002, 9001, 3, 'new', 2, 'PLN', 'Zenon Kowalczyk', 'x', 'x');"
    "UPDATE debt_case SET debtor_id = 9001 WHERE id = 1;"
    "DELETE FROM liability WHERE case_id = 4;"
    "DELETE FROM debt_case WHERE id = 4;"
    "DELETE FROM debtor_search WHERE rowid = 10;");
  assert_search_tokens_in_step (f);
  assert_search_listed (f, list, "zenon", 3);
  /* case 1 (an Иван's) moved to Zenon Kowalczyk, beside his two own cases */
  assert_search_listed (f, list, "kowal", N_CASES / 3 + 3);
  assert_search_listed (f, list, "Иван", (N_CASES + 2) / 3 - 1 - 3);

  /* the plans on PostgreSQL: a search alone is counted from the words alone; with a
   * filter, the walk looks each case of the sort index up in the hashed set of the
   * search's cases (not debtor_search) */
  if (g_str_equal (dd_database_get_driver_name (f->db), "postgresql"))
    {
      g_autoptr(DdCaseQuery) query = dd_case_query_new ();
      g_autoptr(DdCaseQuerySql) count = NULL;
      g_autoptr(DdCaseQuerySql) walk = NULL;
      g_autofree char *explain = NULL;
      g_autoptr(GString) plan = g_string_new (NULL);
      g_autoptr(DdStatement) stmt = NULL;

      dd_case_query_set_search (query, "kowal");
      count = dd_case_query_build_count_for (query, f->db);
      g_assert_nonnull (strstr (dd_case_query_sql_get_text (count), "dd_search_count"));
      g_assert_null (strstr (dd_case_query_sql_get_text (count), "debt_case"));
      g_assert_null (strstr (dd_case_query_sql_get_text (count), "debtor_search"));
      query->statuses = 1u << DD_CASE_STATUS_NEW;
      walk = dd_case_query_build_walk_for (query, f->db, "c.id");
      /* a sort made as dear as it is at 1,000,000 cases */
      exec_ok (f, "SET enable_sort = off");
      explain = g_strconcat ("EXPLAIN ", dd_case_query_sql_get_text (walk), NULL);
      stmt = dd_database_prepare (f->db, explain, &error);
      g_assert_no_error (error);
      dd_case_query_sql_bind (walk, stmt);
      while (dd_statement_step (stmt, &error))
        g_string_append_printf (plan, "%s\n", dd_statement_get_text (stmt, 0));
      g_assert_no_error (error);
      exec_ok (f, "RESET enable_sort");
      g_test_message ("%s", plan->str);
      g_assert_nonnull (strstr (plan->str, "hashed SubPlan"));
      g_assert_nonnull (strstr (plan->str, "debt_case_walk_debtor_name"));
      g_assert_null (strstr (plan->str, "debtor_search"));
      g_assert_null (strstr (plan->str, "Sort"));
    }
}

/* Birthdays today: on PostgreSQL read first, sorted, without a count (a few hundredth of the
 * debtors as a rule); more than the list reads whole, counted and walked. The same list
 * either way, on both databases. */
static void
test_birthdays (CaseFixture   *f,
                gconstpointer  data)
{
  g_autoptr(DdCaseList) list = dd_case_list_new (f->db);
  g_autoptr(DdCaseQuery) query = dd_case_query_new ();
  g_autoptr(GError) error = NULL;

  query->today = g_strdup (FIXTURE_TODAY);
  query->now = g_strdup (FIXTURE_NOW);
  query->birthdays_today = TRUE;
  query->sort = DD_CASE_SORT_BALANCE;
  for (guint t = 0; t < 3; t++)
    {
      /* 2: read whole at once; 1: more than that, counted and walked; 0: walked */
      if (t > 0)
        _dd_case_list_set_sort_threshold (list, 2 - t);
      g_assert_true (dd_case_list_set_query (list, query, &error));
      g_assert_no_error (error);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
      g_assert_cmpint (dd_case_list_get_case_id (list, 0), ==, 2);
      g_assert_cmpint (dd_case_list_get_case_id (list, 1), ==, 1);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/dd/case-list/rows", CaseFixture, NULL,
              case_fixture_setup, test_rows, case_fixture_teardown);
  g_test_add ("/dd/case-list/paging", CaseFixture, "empty",
              case_fixture_setup, test_paging, case_fixture_teardown);

  g_test_add ("/dd/case-list/creditor-sort", CaseFixture, "empty",
              case_fixture_setup, test_creditor_sort, case_fixture_teardown);
  g_test_add ("/dd/case-list/birthdays", CaseFixture, NULL,
              case_fixture_setup, test_birthdays, case_fixture_teardown);
  g_test_add ("/dd/case-list/search-walk", CaseFixture, "empty",
              case_fixture_setup, test_search_walk, case_fixture_teardown);

  return g_test_run ();
}
