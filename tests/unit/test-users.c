/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Passwords (yescrypt through libxcrypt) and signing in: hashes, verifying, a wrong password,
 * users without one, inactive users, and the stored column. */
#define G_LOG_DOMAIN "test-users"

#include "config.h"

#include "dd-agent-store.h"
#include "dd-password.h"
#include "dd-test-util.h"
#include "dd-users.h"

#include <string.h>
#include <unistd.h>

static void
test_hash (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = dd_password_hash ("zażółć gęślą jaźń", &error);
  g_autofree char *second = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (first);
  /* yescrypt, never the password itself */
  g_assert_true (g_str_has_prefix (first, "$y$"));
  g_assert_null (strstr (first, "zażółć"));
  g_assert_true (dd_password_verify ("zażółć gęślą jaźń", first));
  g_assert_false (dd_password_verify ("zażółć gęślą jaźn", first));
  g_assert_false (dd_password_verify ("", first));
  g_assert_false (dd_password_verify (NULL, first));

  /* a new salt each time: the same password, another hash, both verify */
  second = dd_password_hash ("zażółć gęślą jaźń", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, !=, second);
  g_assert_true (dd_password_verify ("zażółć gęślą jaźń", second));

  /* broken or missing hashes verify nothing */
  g_assert_false (dd_password_verify ("x", NULL));
  g_assert_false (dd_password_verify ("x", ""));
  g_assert_false (dd_password_verify ("x", "*"));
  g_assert_false (dd_password_verify ("x", "$y$"));
  g_assert_false (dd_password_verify ("x", "plain-text"));

  g_assert_null (dd_password_hash ("", &error));
  g_assert_error (error, DD_PASSWORD_ERROR, DD_PASSWORD_ERROR_EMPTY);
}

static void
test_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  int fds[2];

  g_assert_cmpint (pipe (fds), ==, 0);
  g_assert_cmpint (write (fds[1], "sekret 1\r\nnext\n", 15), ==, 15);
  password = dd_password_read (fds[0], "ignored", &error);
  g_assert_no_error (error);
  /* one line, without its end */
  g_assert_cmpstr (password, ==, "sekret 1");
  close (fds[1]);
  g_free (password);
  password = dd_password_read (fds[0], NULL, &error);
  g_assert_cmpstr (password, ==, "next");
  g_free (password);
  password = dd_password_read (fds[0], NULL, &error);
  g_assert_null (password);
  g_assert_nonnull (error);
  close (fds[0]);
}

static void
test_sign_in (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new ("users");
  g_autoptr(DdAgentStore) agents = dd_agent_store_new (office->database);
  g_autoptr(GError) error = NULL;
  g_autoptr(DdAgent) agent = NULL;
  g_autofree char *hash = NULL;
  gint64 manager = 0, consultant = 0;

  g_assert_true (dd_agent_store_add (agents, "Zofia Nowak", DD_AGENT_ROLE_MANAGER, &manager,
                                     &error));
  g_assert_true (dd_agent_store_add (agents, "Olena Kowal", DD_AGENT_ROLE_CONSULTANT,
                                     &consultant, &error));
  g_assert_no_error (error);

  /* nobody has a password: the app starts as before, anyone signs in without one */
  g_assert_false (dd_users_sign_in_needed (agents));
  g_assert_true (dd_users_check_password (agents, manager, "", &error));
  g_assert_true (dd_users_check_password (agents, consultant, NULL, &error));
  g_assert_no_error (error);

  /* the manager's password: kept as a hash, the right one signs in, a wrong one does not */
  g_assert_true (dd_users_set_password (agents, manager, "Kierownik-2026", &error));
  g_assert_no_error (error);
  g_assert_true (dd_users_sign_in_needed (agents));
  hash = dd_test_query_text (office->database, "SELECT password_hash FROM agent WHERE name = 'Zofia Nowak'");
  g_assert_true (g_str_has_prefix (hash, "$y$"));
  g_assert_null (strstr (hash, "Kierownik"));
  g_assert_true (dd_users_check_password (agents, manager, "Kierownik-2026", &error));
  g_assert_no_error (error);
  g_assert_false (dd_users_check_password (agents, manager, "kierownik-2026", &error));
  g_assert_error (error, DD_USERS_ERROR, DD_USERS_ERROR_WRONG_PASSWORD);
  g_clear_error (&error);
  g_assert_false (dd_users_check_password (agents, manager, "", &error));
  g_assert_error (error, DD_USERS_ERROR, DD_USERS_ERROR_WRONG_PASSWORD);
  g_clear_error (&error);

  /* the rows say who has one; the consultant still signs in without */
  agent = dd_agent_store_get (agents, manager, &error);
  g_assert_true (agent->has_password);
  g_assert_cmpint (agent->role, ==, DD_AGENT_ROLE_MANAGER);
  g_clear_pointer (&agent, dd_agent_free);
  agent = dd_agent_store_find_by_name (agents, "  Olena Kowal ", &error);
  g_assert_no_error (error);
  g_assert_cmpint (agent->id, ==, consultant);
  g_assert_false (agent->has_password);
  g_assert_cmpint (agent->role, ==, DD_AGENT_ROLE_CONSULTANT);
  g_clear_pointer (&agent, dd_agent_free);
  g_assert_null (dd_agent_store_find_by_name (agents, "Nobody", &error));
  g_assert_error (error, DD_AGENT_STORE_ERROR, DD_AGENT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a consultant's own password is not the manager's */
  g_assert_true (dd_users_set_password (agents, consultant, "konsultant", &error));
  g_assert_false (dd_users_check_password (agents, consultant, "Kierownik-2026", &error));
  g_assert_error (error, DD_USERS_ERROR, DD_USERS_ERROR_WRONG_PASSWORD);
  g_clear_error (&error);
  g_assert_false (dd_users_check_password (agents, manager, "konsultant", &error));
  g_clear_error (&error);

  /* an inactive user cannot sign in, even with the right password */
  g_assert_true (dd_agent_store_set_active (agents, consultant, FALSE, &error));
  g_assert_false (dd_users_check_password (agents, consultant, "konsultant", &error));
  g_assert_error (error, DD_USERS_ERROR, DD_USERS_ERROR_INACTIVE);
  g_clear_error (&error);

  /* removing the passwords: no sign-in again */
  g_assert_true (dd_users_set_password (agents, manager, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (dd_users_sign_in_needed (agents));
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT COUNT(*) FROM agent WHERE password_hash IS NULL"),
                   ==, 1);
  g_assert_false (dd_users_set_password (agents, 999, "x", &error));
  g_assert_error (error, DD_AGENT_STORE_ERROR, DD_AGENT_STORE_ERROR_NOT_FOUND);
}

/* The manager's gate: a manager's session is open; a consultant's asks once for a manager's
 * password and keeps it until another session starts (Switch User, a new start). */
static void
test_gate (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new ("users-gate");
  g_autoptr(DdAgentStore) agents = dd_agent_store_new (office->database);
  g_autoptr(DdUsersGate) gate = dd_users_gate_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) managers = NULL;
  gint64 manager = 0, other = 0, consultant = 0;

  g_assert_true (dd_agent_store_add (agents, "Zofia Nowak", DD_AGENT_ROLE_MANAGER, &manager,
                                     &error));
  g_assert_true (dd_agent_store_add (agents, "Adam Lis", DD_AGENT_ROLE_MANAGER, &other, &error));
  g_assert_true (dd_agent_store_add (agents, "Olena Kowal", DD_AGENT_ROLE_CONSULTANT,
                                     &consultant, &error));
  g_assert_no_error (error);

  /* nobody at the desk: nothing is allowed */
  g_assert_false (dd_users_gate_allows (gate, agents));

  /* the manager's own session */
  dd_users_gate_start_session (gate, manager);
  g_assert_true (dd_users_gate_allows (gate, agents));
  g_assert_false (dd_users_gate_is_unlocked (gate));

  /* a consultant: no manager has a password yet, so there is nobody to ask */
  dd_users_gate_start_session (gate, consultant);
  g_assert_false (dd_users_gate_allows (gate, agents));
  managers = dd_users_gate_list_managers (agents, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (managers->len, ==, 0);
  g_clear_pointer (&managers, g_ptr_array_unref);
  g_assert_false (dd_users_gate_unlock (gate, agents, manager, "", &error));
  g_assert_error (error, DD_USERS_ERROR, DD_USERS_ERROR_NO_PASSWORD);
  g_clear_error (&error);
  g_assert_false (dd_users_gate_allows (gate, agents));

  /* the manager sets one; the consultant's own password is no manager's */
  g_assert_true (dd_users_set_password (agents, manager, "Kierownik-1", &error));
  g_assert_true (dd_users_set_password (agents, consultant, "Konsultant-1", &error));
  g_assert_no_error (error);
  managers = dd_users_gate_list_managers (agents, &error);
  g_assert_cmpuint (managers->len, ==, 1);
  g_assert_cmpint (((DdAgent *) g_ptr_array_index (managers, 0))->id, ==, manager);
  g_assert_false (dd_users_gate_unlock (gate, agents, consultant, "Konsultant-1", &error));
  g_assert_error (error, DD_USERS_ERROR, DD_USERS_ERROR_NOT_MANAGER);
  g_clear_error (&error);
  g_assert_false (dd_users_gate_unlock (gate, agents, manager, "Konsultant-1", &error));
  g_assert_error (error, DD_USERS_ERROR, DD_USERS_ERROR_WRONG_PASSWORD);
  g_clear_error (&error);
  g_assert_false (dd_users_gate_unlock (gate, agents, manager, NULL, &error));
  g_assert_error (error, DD_USERS_ERROR, DD_USERS_ERROR_WRONG_PASSWORD);
  g_clear_error (&error);
  g_assert_false (dd_users_gate_allows (gate, agents));

  /* the right one: unlocked once, and it stays so */
  g_assert_true (dd_users_gate_unlock (gate, agents, manager, "Kierownik-1", &error));
  g_assert_no_error (error);
  g_assert_true (dd_users_gate_is_unlocked (gate));
  for (guint i = 0; i < 3; i++)
    g_assert_true (dd_users_gate_allows (gate, agents));

  /* Switch User (even back to the same consultant) forgets it */
  dd_users_gate_start_session (gate, consultant);
  g_assert_false (dd_users_gate_is_unlocked (gate));
  g_assert_false (dd_users_gate_allows (gate, agents));

  /* an inactive manager vouches for nobody; a manager taken off the role neither */
  g_assert_true (dd_agent_store_set_active (agents, manager, FALSE, &error));
  g_assert_false (dd_users_gate_unlock (gate, agents, manager, "Kierownik-1", &error));
  g_assert_error (error, DD_USERS_ERROR, DD_USERS_ERROR_INACTIVE);
  g_clear_error (&error);
  dd_users_gate_start_session (gate, manager);
  g_assert_false (dd_users_gate_allows (gate, agents));
  g_assert_cmpint (dd_users_gate_get_agent (gate), ==, manager);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/users/hash", test_hash);
  g_test_add_func ("/dd/users/read", test_read);
  g_test_add_func ("/dd/users/sign-in", test_sign_in);
  g_test_add_func ("/dd/users/gate", test_gate);

  return g_test_run ();
}
