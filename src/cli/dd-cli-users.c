/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-cli"

#include "config.h"

#include "dd-cli-private.h"

#include "dd-agent-store.h"
#include "dd-password.h"
#include "dd-users.h"

/* The users: users list, users add, users passwd. Passwords come from the terminal (without
 * echo) or one line of standard input, never from the command line. */

static char *opt_role = NULL;
static gboolean opt_no_password = FALSE;
static gboolean opt_remove = FALSE;

static GOptionEntry add_entries[] = {
  { "role", 'r', 0, G_OPTION_ARG_STRING, &opt_role,
    N_("consultant (the default) or manager"), N_("ROLE") },
  { "no-password", 0, 0, G_OPTION_ARG_NONE, &opt_no_password,
    N_("Add the user without a password"), NULL },
  { NULL }
};

static GOptionEntry passwd_entries[] = {
  { "remove", 0, 0, G_OPTION_ARG_NONE, &opt_remove,
    N_("Remove the password: the user signs in without one"), NULL },
  { NULL }
};

/* The new password, typed twice on a terminal; one line of standard input otherwise. */
static char *
read_new_password (GError **error)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  first = dd_password_read (STDIN_FILENO, _("New password: "), error);
  if (first == NULL)
    return NULL;
  if (!isatty (STDIN_FILENO))
    return g_steal_pointer (&first);
  second = dd_password_read (STDIN_FILENO, _("Repeat the password: "), error);
  if (second == NULL)
    return NULL;
  if (!g_str_equal (first, second))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The passwords do not match."));
      return NULL;
    }
  return g_steal_pointer (&first);
}

DD_CLI_DEFINE_ENUM_TEXT (agent_role, DdAgent, role, dd_agent_role)

static int
users_list (DdDatabase  *database,
            int          argc,
            char       **argv)
{
  /* a user, for --json */
  static const DdCliField agent_fields[] = {
    DD_CLI_FIELD (DdAgent, id),
    DD_CLI_FIELD (DdAgent, name),
    DD_CLI_FIELD_TEXT ("role", agent_role),
    DD_CLI_FIELD_BOOLEAN (DdAgent, active),
    DD_CLI_FIELD_BOOLEAN_AS (DdAgent, has_password, "password"),
    { NULL }
  };
  g_autoptr(DdAgentStore) agents = dd_agent_store_new (database);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  if ((list = dd_agent_store_list (agents, TRUE, &error)) == NULL)
    return dd_cli_fail (error);

  if (dd_cli_json)
    {
      dd_cli_print_json_array (list, agent_fields);
      return 0;
    }

  for (guint i = 0; i < list->len; i++)
    {
      const DdAgent *agent = g_ptr_array_index (list, i);

      g_print ("%s\t%s\t%s%s\n", agent->name, dd_agent_role_get_label (agent->role),
               agent->has_password ? _("password") : _("no password"),
               agent->active ? "" : _(", inactive"));
    }
  return 0;
}

/* users add: the new user's role, read before the database is opened */
static DdAgentRole add_role = DD_AGENT_ROLE_CONSULTANT;

static int
check_add (int    argc,
           char **argv)
{
  if (argc != 2)
    return dd_cli_usage_error (_("Give the name of the new user (in quotes when it has spaces)."));
  if (opt_role != NULL && !dd_agent_role_from_string (opt_role, &add_role))
    {
      g_autofree char *message = g_strdup_printf (_("Unknown role “%s”: consultant or manager"),
                                                  opt_role);

      dd_cli_print_error (message);
      return 2;
    }
  return 0;
}

static int
users_add (DdDatabase  *database,
           int          argc,
           char       **argv)
{
  g_autoptr(DdAgentStore) agents = dd_agent_store_new (database);
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  gint64 id = 0;

  if (!opt_no_password && (password = read_new_password (&error)) == NULL)
    return dd_cli_fail (error);

  if (!dd_database_begin (database, &error))
    return dd_cli_fail (error);
  if (!dd_database_finish (database,
                           dd_agent_store_add (agents, argv[1], add_role, &id, &error)
                           && dd_users_set_password (agents, id, password, &error),
                           &error))
    {
      if (password != NULL)
        explicit_bzero (password, strlen (password));
      return dd_cli_fail (error);
    }
  if (password != NULL)
    explicit_bzero (password, strlen (password));
  /* Translators: after "users add"; %s is the name, the second %s the role */
  g_print (_("Added %s (%s).\n"), g_strstrip (argv[1]), dd_agent_role_get_label (add_role));
  return 0;
}

static int
check_passwd (int    argc,
              char **argv)
{
  return argc != 2 ? dd_cli_usage_error (_("Give the name of the user.")) : 0;
}

static int
users_passwd (DdDatabase  *database,
              int          argc,
              char       **argv)
{
  g_autoptr(DdAgentStore) agents = dd_agent_store_new (database);
  g_autoptr(DdAgent) agent = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  gboolean ok;

  if ((agent = dd_agent_store_find_by_name (agents, argv[1], &error)) == NULL)
    return dd_cli_fail (error);
  if (!opt_remove && (password = read_new_password (&error)) == NULL)
    return dd_cli_fail (error);

  ok = dd_users_set_password (agents, agent->id, password, &error);
  if (password != NULL)
    explicit_bzero (password, strlen (password));
  if (!ok)
    return dd_cli_fail (error);
  g_print (opt_remove ? _("%s signs in without a password now.\n")
                      : _("The password of %s is set.\n"), agent->name);
  return 0;
}

int
dd_cli_users (int    argc,
              char **argv)
{
  static const DdCliSubcommand subcommands[] = {
    { "list", NULL, N_("— list the users"), dd_cli_json_entries, NULL, users_list },
    { "add", NULL, N_("NAME — add a user"), add_entries, check_add, users_add },
    { "passwd", NULL, N_("NAME — set a user’s password"), passwd_entries, check_passwd,
      users_passwd },
    { NULL },
  };
  static const char * const usage =
    N_("Usage: dunning-desk-cli users list [--json]\n"
       "       dunning-desk-cli users add NAME [--role consultant|manager] [--no-password]\n"
       "       dunning-desk-cli users passwd NAME [--remove]\n"
       "The password is read from the terminal without echo, or as one line of standard input.");

  return dd_cli_run_subcommand (subcommands, _(usage),
                                _("Unknown users command “%s”"), argc, argv);
}
