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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/users/hash", test_hash);
  g_test_add_func ("/dd/users/read", test_read);
  g_test_add_func ("/dd/users/sign-in", test_sign_in);

  return g_test_run ();
}
