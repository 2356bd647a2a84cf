/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-test-util.h"
#include "dd-ivr-flow-store.h"

#include <stdlib.h>

typedef struct
{
  DdTestOffice   *office;
  char           *dir;     /* the office's */
  DdDatabase     *db;
  DdIvrFlowStore *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->office = dd_test_office_new ("ivr-flow-store");
  f->dir = f->office->dir;
  f->db = f->office->database;
  f->store = dd_ivr_flow_store_new (f->db);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->store);
  g_clear_pointer (&f->office, dd_test_office_free);
}

static void
save_ok (Fixture    *f,
         const char *name,
         const char *json,
         gint64      expected_version)
{
  g_autoptr(GError) error = NULL;
  gint64 id = 0, version = 0;

  g_assert_true (dd_ivr_flow_store_save (f->store, name, json, &id, &version, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (version, ==, expected_version);
}

static void
test_versions (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(DdIvrFlowRecord) record = NULL;
  DdIvrFlowRecord *item;

  list = dd_ivr_flow_store_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_false (dd_ivr_flow_store_exists (f->store, "Reminder", &error));
  g_assert_no_error (error);

  save_ok (f, "  Reminder ", "{\"nodes\":[],\"v\":1}", 1);
  save_ok (f, "Reminder", "{\"nodes\":[],\"v\":2}", 2);
  save_ok (f, "Hotline", "{\"nodes\":[]}", 1);
  save_ok (f, "Reminder", "{\"nodes\":[],\"v\":3}", 3);
  g_assert_true (dd_ivr_flow_store_exists (f->store, "Reminder", &error));

  /* the list has the latest version of each flow, by name */
  list = dd_ivr_flow_store_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  item = g_ptr_array_index (list, 0);
  g_assert_cmpstr (item->name, ==, "Hotline");
  g_assert_cmpint (item->version, ==, 1);
  g_assert_cmpuint (item->n_versions, ==, 1);
  g_assert_null (item->json);
  item = g_ptr_array_index (list, 1);
  g_assert_cmpstr (item->name, ==, "Reminder");
  g_assert_cmpint (item->version, ==, 3);
  g_assert_cmpuint (item->n_versions, ==, 3);
  g_assert_nonnull (item->created_at);
  g_clear_pointer (&list, g_ptr_array_unref);

  list = dd_ivr_flow_store_list_versions (f->store, "Reminder", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpint (((DdIvrFlowRecord *) g_ptr_array_index (list, 0))->version, ==, 3);
  g_assert_cmpint (((DdIvrFlowRecord *) g_ptr_array_index (list, 2))->version, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* latest, a given version, by id */
  record = dd_ivr_flow_store_load (f->store, "Reminder", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->version, ==, 3);
  g_assert_cmpstr (record->json, ==, "{\"nodes\":[],\"v\":3}");
  g_clear_pointer (&record, dd_ivr_flow_record_free);
  record = dd_ivr_flow_store_load (f->store, "Reminder", 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->json, ==, "{\"nodes\":[],\"v\":2}");
  {
    g_autoptr(DdIvrFlowRecord) same = dd_ivr_flow_store_get (f->store, record->id, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (same->name, ==, "Reminder");
    g_assert_cmpint (same->version, ==, 2);
    g_assert_cmpstr (same->json, ==, record->json);
  }
  g_clear_pointer (&record, dd_ivr_flow_record_free);

  /* what is missing */
  g_assert_null (dd_ivr_flow_store_load (f->store, "Reminder", 4, &error));
  g_assert_error (error, DD_IVR_FLOW_STORE_ERROR, DD_IVR_FLOW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (dd_ivr_flow_store_load (f->store, "Nothing", 0, &error));
  g_assert_error (error, DD_IVR_FLOW_STORE_ERROR, DD_IVR_FLOW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (dd_ivr_flow_store_get (f->store, 999, &error));
  g_assert_error (error, DD_IVR_FLOW_STORE_ERROR, DD_IVR_FLOW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  list = dd_ivr_flow_store_list_versions (f->store, "Nothing", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
}

static void
test_invalid (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 rows = -1;

  g_assert_false (dd_ivr_flow_store_save (f->store, "  ", "{}", NULL, NULL, &error));
  g_assert_error (error, DD_IVR_FLOW_STORE_ERROR, DD_IVR_FLOW_STORE_ERROR_INVALID_NAME);
  g_clear_error (&error);
  g_assert_false (dd_ivr_flow_store_save (f->store, "X", "{oops", NULL, NULL, &error));
  g_assert_error (error, DD_IVR_FLOW_STORE_ERROR, DD_IVR_FLOW_STORE_ERROR_INVALID_JSON);
  g_clear_error (&error);
  g_assert_false (dd_ivr_flow_store_save (f->store, "X", "[1, 2]", NULL, NULL, &error));
  g_assert_error (error, DD_IVR_FLOW_STORE_ERROR, DD_IVR_FLOW_STORE_ERROR_INVALID_JSON);
  g_clear_error (&error);
  g_assert_false (dd_ivr_flow_store_save (f->store, "X", NULL, NULL, NULL, &error));
  g_assert_error (error, DD_IVR_FLOW_STORE_ERROR, DD_IVR_FLOW_STORE_ERROR_INVALID_JSON);
  g_clear_error (&error);

  g_assert_true (dd_database_query_int64 (f->db, "SELECT COUNT(*) FROM ivr_flow", &rows, &error));
  g_assert_cmpint (rows, ==, 0);

  /* a failed save leaves no open transaction behind */
  g_assert_false (dd_database_in_transaction (f->db));
  save_ok (f, "X", "{}", 1);
  g_assert_false (dd_database_in_transaction (f->db));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/dd/ivr-flow-store/versions", Fixture, NULL,
              fixture_setup, test_versions, fixture_teardown);
  g_test_add ("/dd/ivr-flow-store/invalid", Fixture, NULL,
              fixture_setup, test_invalid, fixture_teardown);

  return g_test_run ();
}
