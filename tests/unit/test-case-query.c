/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-case-query.h"
#include "dd-core-resources.h"
#include "dd-pg-database.h"
#include "case-fixture.h"

#include <string.h>

/* How the ids are selected: the portable SQL (SQLite's FTS5 search, mapped by the
 * PostgreSQL driver to the document's GIN index), the database's own (PostgreSQL: the
 * search words of schema 30), the cases list's walk of it. */
typedef enum { BUILD, BUILD_FOR, BUILD_WALK_FOR } Build;

/* The ids the query selects, in its order: "1,3,4". */
static char *
run_ids_built (CaseFixture       *f,
               const DdCaseQuery *query,
               Build              build)
{
  g_autoptr(DdCaseQuerySql) sql = build == BUILD ? dd_case_query_build (query, "c.id", TRUE)
                                  : build == BUILD_FOR
                                  ? dd_case_query_build_for (query, f->db, "c.id", TRUE)
                                  : dd_case_query_build_walk_for (query, f->db, "c.id");
  g_autoptr(DdStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) ids = g_string_new (NULL);

  stmt = dd_case_query_sql_prepare (sql, f->db, &error);
  g_assert_no_error (error);
  while (dd_statement_step (stmt, &error))
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, ids->len ? "," : "",
                            dd_statement_get_int64 (stmt, 0));
  g_assert_no_error (error);
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static char *
run_ids (CaseFixture       *f,
         const DdCaseQuery *query)
{
  return run_ids_built (f, query, BUILD);
}

static DdCaseQuery *
new_query (void)
{
  DdCaseQuery *query = dd_case_query_new ();

  query->sort = DD_CASE_SORT_ID;
  query->today = g_strdup (FIXTURE_TODAY);
  query->now = g_strdup (FIXTURE_NOW);
  return query;
}

static void
assert_search (CaseFixture *f,
               const char  *text,
               const char  *expected)
{
  g_autoptr(DdCaseQuery) query = new_query ();
  g_autofree char *ids = NULL;

  dd_case_query_set_search (query, text);
  ids = run_ids (f, query);
  if (g_strcmp0 (ids, expected) != 0)
    g_error ("search “%s”: got “%s”, expected “%s”", text, ids, expected);

  /* the same cases whichever way the SQL is written for the database, and counted so */
  for (Build build = BUILD_FOR; build <= BUILD_WALK_FOR; build++)
    {
      g_autofree char *built = run_ids_built (f, query, build);

      if (g_strcmp0 (built, expected) != 0)
        g_error ("search “%s” (%s): got “%s”, expected “%s”", text,
                 build == BUILD_FOR ? "for the database" : "walked", built, expected);
    }
  {
    g_autoptr(DdCaseQuerySql) count = dd_case_query_build_count_for (query, f->db);
    g_autoptr(DdStatement) stmt = dd_case_query_sql_prepare (count, f->db, NULL);
    g_auto(GStrv) listed = g_strsplit (expected, ",", -1);

    g_assert_nonnull (stmt);
    g_assert_true (dd_statement_step (stmt, NULL));
    g_assert_cmpint (dd_statement_get_int64 (stmt, 0), ==,
                     *expected ? g_strv_length (listed) : 0);
  }
}

static void
test_fts_expression (void)
{
  struct { const char *in, *out; } cases[] = {
    { "kowal", "\"kowal\"*" },
    { "Jan Kowal", "\"Jan\"* \"Kowal\"*" },
    { "+48 601 234 567", "\"48601234567\"*" },
    { "0048 601-234-567", "\"48601234567\"*" },
    { "(22) 123 45 67 nowak", "\"221234567\"* \"nowak\"*" },
    { "FV/2026/01", "\"FV/2026/01\"*" },
    { "say \"hi\"", "\"say\"* \"\"\"hi\"\"\"*" },
    { "a NEAR b", "\"a\"* \"NEAR\"* \"b\"*" },
    { "-", NULL },
    { "\" * ( ) :", NULL },
    { "   ", NULL },
    { "", NULL },
    { "Łukasz\tŻół", "\"Łukasz\"* \"Żół\"*" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *expr = dd_case_query_fts_expression (cases[i].in);

      g_assert_cmpstr (expr, ==, cases[i].out);
    }
  g_assert_null (dd_case_query_fts_expression (NULL));
}

static void
test_search (CaseFixture   *f,
             gconstpointer  data)
{
  /* names, prefixes, case and diacritics (Polish, Russian) */
  assert_search (f, "łukasz", "1,2");
  assert_search (f, "ŁUK", "1,2");
  assert_search (f, "lukasz", "1,2");     /* ł is indexed as l too */
  assert_search (f, "Lukasz Zolkiewski", "1,2");
  assert_search (f, "zółk", "1,2");
  assert_search (f, "żółk", "1,2");
  assert_search (f, "Иван", "3");
  assert_search (f, "петр", "3");
  assert_search (f, "nowak", "4,5");
  assert_search (f, "anna nowak", "4");
  assert_search (f, "kowalski-nowak", "5");
  /* phones: international, national, with spaces, 00 */
  assert_search (f, "+48 601 234 567", "1,2");
  assert_search (f, "601234", "1,2");
  assert_search (f, "0048601234567", "1,2");
  assert_search (f, "8 916 123", "");
  assert_search (f, "916 123 45 67", "3");
  assert_search (f, "+7 916 1234567", "3");
  assert_search (f, "587 654 321", "1,2");
  /* tax ids, with and without separators */
  assert_search (f, "5260250274", "1,2");
  assert_search (f, "526-025-02-74", "1,2");
  assert_search (f, "770708", "3");
  /* invoice numbers (the search finds debtors: all their cases are listed) */
  assert_search (f, "FV/2026/03/0007", "1,2");
  assert_search (f, "FV/2026/02", "1,2");
  assert_search (f, "FV/2026/04", "");
  assert_search (f, "fv/2026", "1,2");
  assert_search (f, "СЧ-123/45", "3");
  assert_search (f, "E-77", "4");
  /* e-mail */
  assert_search (f, "jan@example.com", "5");
  assert_search (f, "anna@example", "4");
  /* tricky input never breaks the query */
  assert_search (f, "\"Evil\"", "6");
  assert_search (f, "NEAR", "6");
  assert_search (f, "quote NEAR evil", "6");
  assert_search (f, "-", "1,2,3,4,5,6");
  assert_search (f, "\"", "1,2,3,4,5,6");
  assert_search (f, "nowak -anna", "4");
  assert_search (f, "a OR b", "");
  assert_search (f, "x AND (y", "");
  assert_search (f, "*", "1,2,3,4,5,6");
  assert_search (f, "name:kow", "");
  assert_search (f, "^nowak", "4,5");
  assert_search (f, "'; DROP TABLE debt_case; --", "");
  g_assert_cmpint (case_fixture_int (f, "SELECT COUNT(*) FROM debt_case"), ==, 6);
  assert_search (f, "nobody", "");
}

static void
assert_filter (CaseFixture       *f,
               const DdCaseQuery *query,
               const char        *expected)
{
  g_autofree char *ids = run_ids (f, query);
  g_autoptr(DdCaseQuerySql) count = dd_case_query_build_count_for (query, f->db);
  g_autoptr(DdStatement) stmt = dd_case_query_sql_prepare (count, f->db, NULL);
  g_auto(GStrv) listed = g_strsplit (expected, ",", -1);

  g_assert_cmpstr (ids, ==, expected);
  for (Build build = BUILD_FOR; build <= BUILD_WALK_FOR; build++)
    {
      g_autofree char *built = run_ids_built (f, query, build);

      g_assert_cmpstr (built, ==, expected);
    }
  g_assert_nonnull (stmt);
  g_assert_true (dd_statement_step (stmt, NULL));
  g_assert_cmpint (dd_statement_get_int64 (stmt, 0), ==, *expected ? g_strv_length (listed) : 0);
}

/* Issue 12, item 8: the number of filters on, for the filter button. */
static void
test_n_filters (void)
{
  g_autoptr(DdCaseQuery) q = dd_case_query_new ();

  g_assert_cmpuint (dd_case_query_get_n_filters (q), ==, 0);
  dd_case_query_set_search (q, "Kowalski");
  g_assert_cmpuint (dd_case_query_get_n_filters (q), ==, 0);
  dd_case_query_add_status (q, DD_CASE_STATUS_NEW);
  dd_case_query_add_status (q, DD_CASE_STATUS_CLOSED);
  g_assert_cmpuint (dd_case_query_get_n_filters (q), ==, 1);
  q->has_balance_min = TRUE;
  q->has_balance_max = TRUE;
  g_assert_cmpuint (dd_case_query_get_n_filters (q), ==, 2);
  q->overdue_declarations = TRUE;
  q->birthdays_today = TRUE;
  q->no_contact_days = 30;
  q->creditor_id = 1;
  q->campaign_id = 2;
  q->agent_id = DD_CASE_QUERY_UNASSIGNED;
  g_assert_cmpuint (dd_case_query_get_n_filters (q), ==, 8);
}

static void
test_filters (CaseFixture   *f,
              gconstpointer  data)
{
  g_autoptr(DdCaseQuery) q = new_query ();

  assert_filter (f, q, "1,2,3,4,5,6");
  g_assert_false (dd_case_query_is_filtered (q));

  dd_case_query_add_status (q, DD_CASE_STATUS_NEW);
  g_assert_true (dd_case_query_is_filtered (q));
  assert_filter (f, q, "1,6");
  dd_case_query_add_status (q, DD_CASE_STATUS_CLOSED);
  assert_filter (f, q, "1,5,6");
  q->statuses = 0;

  q->creditor_id = 2;
  assert_filter (f, q, "2,4");
  q->creditor_id = 0;

  q->campaign_id = 1;
  assert_filter (f, q, "3,4,6");
  q->campaign_id = 2;
  assert_filter (f, q, "1");
  q->campaign_id = 0;

  q->agent_id = 1;
  assert_filter (f, q, "1,3");
  q->agent_id = DD_CASE_QUERY_UNASSIGNED;
  assert_filter (f, q, "2,5,6");
  q->agent_id = 0;

  q->has_balance_min = TRUE;
  q->balance_min = 5000;
  assert_filter (f, q, "1,2,3,4");
  q->has_balance_max = TRUE;
  q->balance_max = 20000;
  assert_filter (f, q, "2,4");
  q->has_balance_min = FALSE;
  assert_filter (f, q, "2,4,5,6");
  q->has_balance_max = FALSE;

  q->overdue_declarations = TRUE;
  assert_filter (f, q, "4");
  g_free (q->today);
  q->today = g_strdup ("2026-12-01");
  assert_filter (f, q, "1,4");
  q->overdue_declarations = FALSE;

  /* birthdays, in the office's today; 29 February on 28 February of a common year */
  q->birthdays_today = TRUE;
  g_free (q->today);
  q->today = g_strdup ("2026-11-23");
  assert_filter (f, q, "1,2");
  g_free (q->today);
  q->today = g_strdup ("2027-02-28");
  assert_filter (f, q, "3");
  g_free (q->today);
  q->today = g_strdup ("2028-02-28");
  assert_filter (f, q, "");
  g_free (q->today);
  q->today = g_strdup ("2028-02-29");
  assert_filter (f, q, "3");
  g_free (q->today);
  q->today = g_strdup (FIXTURE_TODAY);
  q->birthdays_today = FALSE;

  /* no contact: last contact before now - N days, or never */
  q->no_contact_days = 2;
  assert_filter (f, q, "1,2,3,5,6");
  q->no_contact_days = 30;
  assert_filter (f, q, "2,5,6");
  q->no_contact_days = 60;
  assert_filter (f, q, "2,5");

  /* combinations */
  q->no_contact_days = 2;
  q->creditor_id = 1;
  dd_case_query_add_status (q, DD_CASE_STATUS_NEW);
  dd_case_query_add_status (q, DD_CASE_STATUS_NO_ANSWER);
  assert_filter (f, q, "1,3,6");
  dd_case_query_set_search (q, "łukasz");
  assert_filter (f, q, "1");
  q->has_balance_min = TRUE;
  q->balance_min = 200000;
  assert_filter (f, q, "");
  q->has_balance_min = FALSE;
  q->agent_id = 1;
  dd_case_query_set_search (q, "+7916");
  assert_filter (f, q, "3");
  q->campaign_id = 1;
  assert_filter (f, q, "3");
  q->campaign_id = 2;
  assert_filter (f, q, "");
}

static void
test_sort (CaseFixture   *f,
           gconstpointer  data)
{
  g_autoptr(DdCaseQuery) q = new_query ();
  struct { DdCaseSortColumn sort; const char *asc, *desc; } cases[] = {
    { DD_CASE_SORT_ID, "1,2,3,4,5,6", "6,5,4,3,2,1" },
    { DD_CASE_SORT_DEBTOR, "4,5,6,1,2,3", "3,2,1,6,5,4" },
    { DD_CASE_SORT_CREDITOR, "1,3,5,6,2,4", "4,2,6,5,3,1" },
    { DD_CASE_SORT_BALANCE, "5,6,2,4,1,3", "3,1,4,2,6,5" },
    { DD_CASE_SORT_OLDEST_DUE, "5,1,2,3,4,6", "6,4,3,2,1,5" },
    { DD_CASE_SORT_STATUS, "2,5,1,6,3,4", "4,3,6,1,5,2" },
    { DD_CASE_SORT_NEXT_CONTACT, "1,3,4,5,6,2", "2,6,5,4,3,1" },
    /* issue 12, item 9: most days overdue first when descending; 5 has nothing unpaid */
    { DD_CASE_SORT_DAYS_OVERDUE, "5,6,4,3,2,1", "1,2,3,4,6,5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      q->sort = cases[i].sort;
      q->descending = FALSE;
      assert_filter (f, q, cases[i].asc);
      q->descending = TRUE;
      assert_filter (f, q, cases[i].desc);
    }
  /* sort and filter together */
  q->sort = DD_CASE_SORT_BALANCE;
  q->descending = TRUE;
  q->creditor_id = 1;
  assert_filter (f, q, "3,1,6,5");
}

static void
test_json (void)
{
  g_autoptr(DdCaseQuery) q = dd_case_query_new ();
  g_autoptr(DdCaseQuery) back = NULL;
  g_autoptr(DdCaseQuery) empty = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  const char *bad[] = {
    "", "[]", "nonsense", "{\"statuses\": [\"bogus\"]}", "{\"statuses\": \"new\"}",
    "{\"creditor_id\": \"7\"}", "{\"descending\": 1}",
  };

  dd_case_query_set_search (q, "Łukasz \"quoted\" Петров");
  dd_case_query_add_status (q, DD_CASE_STATUS_CALL_LATER);
  dd_case_query_add_status (q, DD_CASE_STATUS_PAYMENT_DECLARATION);
  q->creditor_id = 7;
  q->campaign_id = 3;
  q->agent_id = DD_CASE_QUERY_UNASSIGNED;
  q->has_balance_min = TRUE;
  q->balance_min = -5;
  q->has_balance_max = TRUE;
  q->balance_max = G_GINT64_CONSTANT (9000000000000);
  q->overdue_declarations = TRUE;
  q->birthdays_today = TRUE;
  q->no_contact_days = 30;
  q->sort = DD_CASE_SORT_LAST_ACTIVITY;
  q->descending = TRUE;
  q->today = g_strdup ("2026-01-01");

  json = dd_case_query_to_json (q);
  g_assert_null (strstr (json, "2026-01-01"));
  back = dd_case_query_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_true (dd_case_query_equal (q, back));
  g_assert_null (back->today);
  g_assert_cmpstr (back->search, ==, q->search);

  empty = dd_case_query_from_json ("{\"future_key\": 1, \"sort\": \"future-column\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (empty->sort, ==, DD_CASE_SORT_DEBTOR);
  g_assert_false (dd_case_query_is_filtered (empty));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(DdCaseQuery) none = dd_case_query_from_json (bad[i], &error);

      g_assert_null (none);
      g_assert_error (error, DD_CASE_QUERY_ERROR, DD_CASE_QUERY_ERROR_INVALID);
      g_clear_error (&error);
    }
}

static void
test_sql_parameters (void)
{
  g_autoptr(DdCaseQuery) q = dd_case_query_new ();
  g_autoptr(DdCaseQuerySql) sql = NULL;

  dd_case_query_set_search (q, "'; DROP TABLE debtor; --");
  dd_case_query_add_status (q, DD_CASE_STATUS_NEW);
  q->creditor_id = 42;
  q->has_balance_min = TRUE;
  q->balance_min = 1234567;
  sql = dd_case_query_build (q, "c.id", TRUE);
  /* values are bound, never in the text */
  g_assert_null (strstr (dd_case_query_sql_get_text (sql), "DROP"));
  g_assert_null (strstr (dd_case_query_sql_get_text (sql), "42"));
  g_assert_null (strstr (dd_case_query_sql_get_text (sql), "1234567"));
  g_assert_cmpuint (dd_case_query_sql_get_n_params (sql), ==, 4);
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* The phones of the search rows, debtor by debtor, each row's forms sorted (their order in a
 * row is the database's): "1:48587654321 48601234567 …|2:…". */
static void
read_phones_row (DdStatement *stmt,
                 gpointer     user_data)
{
  GString *out = user_data;
  const char *phones = dd_statement_get_text (stmt, 1);
  g_auto(GStrv) forms = g_strsplit (phones ? phones : "", " ", -1);
  g_autofree char *joined = NULL;

  qsort (forms, g_strv_length (forms), sizeof (char *), compare_strings);
  joined = g_strjoinv (" ", forms);
  g_string_append_printf (out, "%s%" G_GINT64_FORMAT ":%s", out->len ? "|" : "",
                          dd_statement_get_int64 (stmt, 0), joined);
}

static char *
search_phones (CaseFixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_true (dd_database_query_each (f->db, read_phones_row, out, &error,
                                         "SELECT rowid, phones FROM debtor_search ORDER BY rowid",
                                         DD_END));
  g_assert_no_error (error);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Issue 14, speed (schema 27): a phone is in the search rows as its digits and its national
 * number, the country code one, two or three digits long; what people type still finds it,
 * and the migration writes the rows the stores write. */
static void
test_search_phone_forms (CaseFixture   *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) migration = NULL;
  g_autofree char *stored = NULL, *migrated = NULL;

  g_assert_true (dd_database_exec (f->db,
    "INSERT INTO phone (debtor_id, e164, kind, position, valid, created_at) VALUES"
    " (3, '+380441234567', 'landline', 1, 1, 'x'), (4, '+12125551234', 'mobile', 0, 1, 'x'),"
    " (4, '+420601111222', 'mobile', 1, 1, 'x');", &error));
  g_assert_no_error (error);
  g_assert_true (dd_case_store_rebuild_search (f->cases, &error));
  g_assert_no_error (error);

  stored = search_phones (f);
  g_assert_cmpstr (stored, ==,
                   "1:48587654321 48601234567 587654321 601234567|2:79161234567 9161234567|"
                   "3:0441234567 221234567 380441234567 441234567 48221234567|"
                   "4:0601111222 12125551234 2125551234 420601111222 601111222|5:");

  assert_search (f, "+380 44 123 45 67", "4");
  assert_search (f, "044 123", "4");         /* written at home in Kyiv */
  assert_search (f, "44 123 45 67", "4");
  assert_search (f, "+1 212 555 1234", "5");
  assert_search (f, "212-555-1234", "5");
  assert_search (f, "+420 601 111 222", "5");
  assert_search (f, "601 111", "5");
  assert_search (f, "601", "1,2,5");
  assert_search (f, "22 123 45 67", "4");
  assert_search (f, "916", "3");
  /* a tail cut where the national number does not start is no longer indexed */
  assert_search (f, "8601234567", "");
  assert_search (f, "16 123", "");

  /* the migration's rows are the stores' */
  g_assert_true (dd_database_exec (f->db, "DELETE FROM debtor_search", &error));
  g_assert_no_error (error);
  migration = g_resource_lookup_data (dd_core_get_resource (),
                                      DD_IS_PG_DATABASE (f->db)
                                      ? "/io/github/dunningdesk/DunningDesk/core/sql/postgresql/"
                                        "027-search-phones.sql"
                                      : "/io/github/dunningdesk/DunningDesk/core/sql/sqlite/"
                                        "027-search-phones.sql",
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (dd_database_exec (f->db, g_bytes_get_data (migration, NULL), &error));
  g_assert_no_error (error);
  migrated = search_phones (f);
  g_assert_cmpstr (migrated, ==, stored);
  assert_search (f, "44 123 45 67", "4");
  assert_search (f, "lukasz", "1,2");
  assert_search (f, "FV/2026/03/0007", "1,2");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/case-query/fts-expression", test_fts_expression);
  g_test_add_func ("/dd/case-query/json", test_json);
  g_test_add_func ("/dd/case-query/n-filters", test_n_filters);
  g_test_add_func ("/dd/case-query/sql-parameters", test_sql_parameters);
  g_test_add ("/dd/case-query/search", CaseFixture, NULL,
              case_fixture_setup, test_search, case_fixture_teardown);
  g_test_add ("/dd/case-query/search-phone-forms", CaseFixture, NULL,
              case_fixture_setup, test_search_phone_forms, case_fixture_teardown);
  g_test_add ("/dd/case-query/filters", CaseFixture, NULL,
              case_fixture_setup, test_filters, case_fixture_teardown);
  g_test_add ("/dd/case-query/sort", CaseFixture, NULL,
              case_fixture_setup, test_sort, case_fixture_teardown);

  return g_test_run ();
}
