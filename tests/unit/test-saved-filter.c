/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-saved-filter-store.h"
#include "case-fixture.h"

static void
test_round_trip (CaseFixture   *f,
                 gconstpointer  data)
{
  g_autoptr(DdSavedFilterStore) store = dd_saved_filter_store_new (f->db);
  g_autoptr(DdCaseQuery) query = dd_case_query_new ();
  g_autoptr(DdCaseQuery) other = dd_case_query_new ();
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(DdSavedFilter) filter = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0, id2 = 0;

  list = dd_saved_filter_store_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  dd_case_query_set_search (query, "Żółkiewski \"x\"");
  dd_case_query_add_status (query, DD_CASE_STATUS_NO_ANSWER);
  query->creditor_id = 1;
  query->has_balance_min = TRUE;
  query->balance_min = 100000;
  query->no_contact_days = 30;
  query->birthdays_today = TRUE;
  query->sort = DD_CASE_SORT_BALANCE;
  query->descending = TRUE;
  g_assert_true (dd_saved_filter_store_save (store, "  Big debts, no contact  ", query, &id,
                                             &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  other->overdue_declarations = TRUE;
  g_assert_true (dd_saved_filter_store_save (store, "Broken promises", other, &id2, &error));
  g_assert_no_error (error);

  /* names are unique and not empty */
  g_assert_false (dd_saved_filter_store_save (store, "Big debts, no contact", other, NULL,
                                              &error));
  g_assert_error (error, DD_SAVED_FILTER_ERROR, DD_SAVED_FILTER_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (dd_saved_filter_store_save (store, " ", other, NULL, &error));
  g_assert_error (error, DD_SAVED_FILTER_ERROR, DD_SAVED_FILTER_ERROR_INVALID_NAME);
  g_clear_error (&error);

  list = dd_saved_filter_store_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  filter = g_ptr_array_index (list, 0);
  g_assert_cmpstr (filter->name, ==, "Big debts, no contact");
  g_assert_true (dd_case_query_equal (filter->query, query));
  g_assert_nonnull (filter->created_at);
  filter = NULL;
  g_clear_pointer (&list, g_ptr_array_unref);

  /* rename, update, delete */
  g_assert_false (dd_saved_filter_store_rename (store, id2, "Big debts, no contact", &error));
  g_assert_error (error, DD_SAVED_FILTER_ERROR, DD_SAVED_FILTER_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_true (dd_saved_filter_store_rename (store, id2, "Aaa promises", &error));
  g_assert_no_error (error);
  g_assert_true (dd_saved_filter_store_rename (store, id2, "Aaa promises", &error));
  g_assert_no_error (error);
  other->agent_id = 2;
  g_assert_true (dd_saved_filter_store_update (store, id2, other, &error));
  g_assert_no_error (error);
  filter = dd_saved_filter_store_get (store, id2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (filter->name, ==, "Aaa promises");
  g_assert_true (dd_case_query_equal (filter->query, other));
  g_clear_pointer (&filter, dd_saved_filter_free);

  list = dd_saved_filter_store_list (store, &error);
  g_assert_cmpstr (((DdSavedFilter *) g_ptr_array_index (list, 0))->name, ==, "Aaa promises");
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_true (dd_saved_filter_store_delete (store, id2, &error));
  g_assert_no_error (error);
  g_assert_false (dd_saved_filter_store_delete (store, id2, &error));
  g_assert_error (error, DD_SAVED_FILTER_ERROR, DD_SAVED_FILTER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (dd_saved_filter_store_rename (store, id2, "x", &error));
  g_assert_error (error, DD_SAVED_FILTER_ERROR, DD_SAVED_FILTER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (dd_saved_filter_store_get (store, id2, &error));
  g_assert_error (error, DD_SAVED_FILTER_ERROR, DD_SAVED_FILTER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a damaged row still lists, with the default query */
  g_assert_true (dd_database_exec (f->db, "INSERT INTO saved_filter (name, filter, created_at)"
                                          " VALUES ('Damaged', '{oops', 'x')", &error));
  list = dd_saved_filter_store_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_false (dd_case_query_is_filtered (((DdSavedFilter *) g_ptr_array_index (list, 1))->query));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/dd/saved-filter/round-trip", CaseFixture, NULL,
              case_fixture_setup, test_round_trip, case_fixture_teardown);

  return g_test_run ();
}
