/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-agent-store"

#include "config.h"

#include "dd-test-util.h"
#include "dd-agent-store.h"
#include "dd-test-db.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct
{
  DdTestOffice *office;
  char         *dir;     /* the office's */
  char         *path;
  DdDatabase   *db;
  DdAgentStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->office = dd_test_office_new ("agent-store");
  f->dir = f->office->dir;
  f->path = f->office->path;
  f->db = f->office->database;
  f->store = dd_agent_store_new (f->db);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->store);
  g_clear_pointer (&f->office, dd_test_office_free);
}

static void
test_roles (void)
{
  DdAgentRole role = DD_AGENT_ROLE_MANAGER;

  g_assert_cmpstr (dd_agent_role_to_string (DD_AGENT_ROLE_MANAGER), ==, "manager");
  g_assert_cmpstr (dd_agent_role_to_string (DD_AGENT_ROLE_CONSULTANT), ==, "consultant");
  g_assert_true (dd_agent_role_from_string ("consultant", &role));
  g_assert_cmpint (role, ==, DD_AGENT_ROLE_CONSULTANT);
  g_assert_false (dd_agent_role_from_string ("boss", &role));
  g_assert_cmpstr (dd_agent_role_get_label (DD_AGENT_ROLE_MANAGER), ==, "Manager");
}

static void
test_first_run (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) agents = NULL;
  g_autoptr(DdAgent) agent = NULL;
  g_autoptr(DdAgentStore) again = NULL;
  gint64 id = -1;

  g_assert_true (dd_agent_store_ensure_first (f->store, NULL, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  agent = dd_agent_store_get (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (agent->role, ==, DD_AGENT_ROLE_MANAGER);
  g_assert_true (agent->active);
  g_assert_cmpstr (agent->name, !=, "");
  if (g_strcmp0 (g_get_real_name (), "Unknown") != 0 && g_get_real_name ()[0] != '\0')
    g_assert_cmpstr (agent->name, ==, g_get_real_name ());
  else
    g_assert_cmpstr (agent->name, ==, g_get_user_name ());

  /* the second run, even from another store on a new connection, creates nothing */
  again = dd_agent_store_new (f->db);
  g_assert_true (dd_agent_store_ensure_first (again, "Someone Else", &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, ==, 0);
  agents = dd_agent_store_list (f->store, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (agents->len, ==, 1);
  g_assert_cmpint (dd_agent_store_count_managers (f->store, &error), ==, 1);
  g_assert_no_error (error);
}

static void
test_first_run_named (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdAgent) agent = NULL;
  gint64 id = 0;

  g_assert_true (dd_agent_store_ensure_first (f->store, "  Anna Kowalska ", &id, &error));
  g_assert_no_error (error);
  agent = dd_agent_store_get (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (agent->name, ==, "Anna Kowalska");
}

static void
test_add_rename (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) agents = NULL;
  g_autoptr(DdAgent) agent = NULL;
  DdAgent *listed;
  gint64 anna = 0, borys = 0;

  g_assert_true (dd_agent_store_add (f->store, " Zofia Nowak ", DD_AGENT_ROLE_MANAGER, &anna,
                                     &error));
  g_assert_no_error (error);
  g_assert_true (dd_agent_store_add (f->store, "Borys Iwanow", DD_AGENT_ROLE_CONSULTANT, &borys,
                                     &error));
  g_assert_no_error (error);
  g_assert_cmpint (anna, !=, borys);

  /* names are unique and not empty */
  g_assert_false (dd_agent_store_add (f->store, "Borys Iwanow", DD_AGENT_ROLE_MANAGER, NULL,
                                      &error));
  g_assert_error (error, DD_AGENT_STORE_ERROR, DD_AGENT_STORE_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "Borys Iwanow"));
  g_clear_error (&error);
  g_assert_false (dd_agent_store_add (f->store, "  ", DD_AGENT_ROLE_MANAGER, NULL, &error));
  g_assert_error (error, DD_AGENT_STORE_ERROR, DD_AGENT_STORE_ERROR_INVALID_NAME);
  g_clear_error (&error);

  /* listed by name */
  agents = dd_agent_store_list (f->store, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (agents->len, ==, 2);
  listed = g_ptr_array_index (agents, 0);
  g_assert_cmpstr (listed->name, ==, "Borys Iwanow");
  g_assert_cmpint (listed->role, ==, DD_AGENT_ROLE_CONSULTANT);
  g_assert_null (listed->phone);
  listed = g_ptr_array_index (agents, 1);
  g_assert_cmpstr (listed->name, ==, "Zofia Nowak");
  g_clear_pointer (&agents, g_ptr_array_unref);

  /* rename: to its own name is fine, to another one's is not */
  g_assert_true (dd_agent_store_rename (f->store, borys, "Borys Iwanow", &error));
  g_assert_no_error (error);
  g_assert_false (dd_agent_store_rename (f->store, borys, "Zofia Nowak", &error));
  g_assert_error (error, DD_AGENT_STORE_ERROR, DD_AGENT_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (dd_agent_store_rename (f->store, borys, "", &error));
  g_assert_error (error, DD_AGENT_STORE_ERROR, DD_AGENT_STORE_ERROR_INVALID_NAME);
  g_clear_error (&error);
  g_assert_true (dd_agent_store_rename (f->store, borys, "Borys Iwanowski", &error));
  g_assert_no_error (error);
  agent = dd_agent_store_get (f->store, borys, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (agent->name, ==, "Borys Iwanowski");

  /* missing users */
  g_assert_false (dd_agent_store_rename (f->store, 999, "Nobody", &error));
  g_assert_error (error, DD_AGENT_STORE_ERROR, DD_AGENT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (dd_agent_store_get (f->store, 999, &error));
  g_assert_error (error, DD_AGENT_STORE_ERROR, DD_AGENT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (dd_agent_store_set_role (f->store, 999, DD_AGENT_ROLE_MANAGER, &error));
  g_assert_error (error, DD_AGENT_STORE_ERROR, DD_AGENT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

static void
test_last_manager (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) agents = NULL;
  g_autoptr(DdAgent) agent = NULL;
  gint64 zofia = 0, borys = 0;

  g_assert_true (dd_agent_store_add (f->store, "Zofia Nowak", DD_AGENT_ROLE_MANAGER, &zofia,
                                     &error));
  g_assert_true (dd_agent_store_add (f->store, "Borys Iwanow", DD_AGENT_ROLE_CONSULTANT, &borys,
                                     &error));
  g_assert_no_error (error);

  /* the only manager can neither step down nor go */
  g_assert_false (dd_agent_store_set_role (f->store, zofia, DD_AGENT_ROLE_CONSULTANT, &error));
  g_assert_error (error, DD_AGENT_STORE_ERROR, DD_AGENT_STORE_ERROR_LAST_MANAGER);
  g_assert_nonnull (strstr (error->message, "Zofia Nowak"));
  g_clear_error (&error);
  g_assert_false (dd_agent_store_set_active (f->store, zofia, FALSE, &error));
  g_assert_error (error, DD_AGENT_STORE_ERROR, DD_AGENT_STORE_ERROR_LAST_MANAGER);
  g_clear_error (&error);
  g_assert_false (dd_database_in_transaction (f->db));

  /* consultants come and go freely */
  g_assert_true (dd_agent_store_set_active (f->store, borys, FALSE, &error));
  g_assert_no_error (error);
  agents = dd_agent_store_list (f->store, FALSE, &error);
  g_assert_cmpuint (agents->len, ==, 1);
  g_clear_pointer (&agents, g_ptr_array_unref);
  agents = dd_agent_store_list (f->store, TRUE, &error);
  g_assert_cmpuint (agents->len, ==, 2);
  g_assert_false (((DdAgent *) g_ptr_array_index (agents, 0))->active);
  g_clear_pointer (&agents, g_ptr_array_unref);

  /* an inactive manager does not count */
  g_assert_true (dd_agent_store_set_role (f->store, borys, DD_AGENT_ROLE_MANAGER, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dd_agent_store_count_managers (f->store, NULL), ==, 1);
  g_assert_false (dd_agent_store_set_role (f->store, zofia, DD_AGENT_ROLE_CONSULTANT, &error));
  g_assert_error (error, DD_AGENT_STORE_ERROR, DD_AGENT_STORE_ERROR_LAST_MANAGER);
  g_clear_error (&error);

  /* with a second active manager the first one may step down, then not the second */
  g_assert_true (dd_agent_store_set_active (f->store, borys, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dd_agent_store_count_managers (f->store, NULL), ==, 2);
  g_assert_true (dd_agent_store_set_role (f->store, zofia, DD_AGENT_ROLE_CONSULTANT, &error));
  g_assert_no_error (error);
  agent = dd_agent_store_get (f->store, zofia, &error);
  g_assert_cmpint (agent->role, ==, DD_AGENT_ROLE_CONSULTANT);
  g_assert_false (dd_agent_store_set_active (f->store, borys, FALSE, &error));
  g_assert_error (error, DD_AGENT_STORE_ERROR, DD_AGENT_STORE_ERROR_LAST_MANAGER);
  g_clear_error (&error);
  /* setting the role a user already has is not an error */
  g_assert_true (dd_agent_store_set_role (f->store, zofia, DD_AGENT_ROLE_CONSULTANT, &error));
  g_assert_no_error (error);
}

static void
test_persists (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdDatabase) db = NULL;
  g_autoptr(DdAgentStore) store = NULL;
  g_autoptr(DdAgent) agent = NULL;
  gint64 id = 0;

  g_assert_true (dd_agent_store_add (f->store, "Olena Kowal", DD_AGENT_ROLE_CONSULTANT, &id,
                                     &error));
  g_assert_no_error (error);

  db = dd_test_database_open (f->path, &error);
  g_assert_no_error (error);
  store = dd_agent_store_new (db);
  agent = dd_agent_store_get (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (agent->name, ==, "Olena Kowal");
  g_assert_cmpint (agent->role, ==, DD_AGENT_ROLE_CONSULTANT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/agent-store/roles", test_roles);
  g_test_add ("/dd/agent-store/first-run", Fixture, NULL,
              fixture_set_up, test_first_run, fixture_tear_down);
  g_test_add ("/dd/agent-store/first-run-named", Fixture, NULL,
              fixture_set_up, test_first_run_named, fixture_tear_down);
  g_test_add ("/dd/agent-store/add-rename", Fixture, NULL,
              fixture_set_up, test_add_rename, fixture_tear_down);
  g_test_add ("/dd/agent-store/last-manager", Fixture, NULL,
              fixture_set_up, test_last_manager, fixture_tear_down);
  g_test_add ("/dd/agent-store/persists", Fixture, NULL,
              fixture_set_up, test_persists, fixture_tear_down);

  return g_test_run ();
}
