/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dunning-desk-cli"

#include "config.h"

#include "dd-cli-private.h"

#include <locale.h>

/* Options every command takes. */
static char *opt_database;

/* Options several commands take. */
gboolean dd_cli_json;
char *dd_cli_encoding;

static GOptionEntry common_entries[] = {
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, &opt_database,
    N_("Office database to use: a file (default: ~/.local/share/dunning-desk/office.db) or a "
       "shared database, postgresql://USER@HOST/DATABASE"), N_("PATH") },
  { NULL }
};

GOptionEntry dd_cli_json_entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &dd_cli_json, N_("Print as JSON"), NULL },
  { NULL }
};

void
dd_cli_print_error (const char *message)
{
  /* Translators: prefix of error messages on the command line */
  g_printerr (_("dunning-desk-cli: %s\n"), message);
}

int
dd_cli_usage_error (const char *message)
{
  dd_cli_print_error (message);
  return 2;
}

int
dd_cli_fail (const GError *error)
{
  dd_cli_print_error (error->message);
  return 1;
}

static int
run_on_database (const DdCliSubcommand  *sub,
                 int                     argc,
                 char                  **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_(sub->parameter));
  g_autoptr(DdDatabase) database = NULL;
  int status;

  if (!dd_cli_parse_options (context, sub->entries, &argc, &argv))
    return 2;
  if (sub->check != NULL && (status = sub->check (argc, argv)) != 0)
    return status;
  if ((database = dd_cli_open_database ()) == NULL)
    return 1;
  return sub->run_on (database, argc, argv);
}

int
dd_cli_run_subcommand (const DdCliSubcommand *subcommands,
                       const char            *usage,
                       const char            *unknown,
                       int                    argc,
                       char                 **argv)
{
  g_autofree char *message = NULL;

  if (argc < 2 || g_str_has_prefix (argv[1], "-"))
    {
      gboolean help = argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"));

      g_print ("%s\n", usage);
      return help ? 0 : 2;
    }
  /* the subcommand becomes argv[0] */
  for (const DdCliSubcommand *sub = subcommands; sub->name != NULL; sub++)
    if (g_str_equal (argv[1], sub->name))
      return sub->run != NULL ? sub->run (argc - 1, argv + 1)
                              : run_on_database (sub, argc - 1, argv + 1);
  message = g_strdup_printf (unknown, argv[1]);
  dd_cli_print_error (message);
  g_print ("%s\n", usage);
  return 2;
}

DdDatabase *
dd_cli_open_database (void)
{
  g_autoptr(GError) error = NULL;
  DdDatabase *database = dd_database_open (opt_database, &error);

  if (database == NULL)
    dd_cli_print_error (error->message);
  return database;
}

gboolean
dd_cli_print_summary_json (const DdImportSummary *summary)
{
  g_autofree char *json = NULL;

  if (!dd_cli_json)
    return FALSE;
  json = dd_import_summary_to_json (summary, TRUE);
  g_print ("%s\n", json);
  return TRUE;
}

void
dd_cli_print_json_node (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, TRUE);

  g_print ("%s\n", text);
}

void
dd_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  dd_cli_print_json_node (root);
}

/* A DD_CLI_FIELD_INT64, _INT or _UINT member at @at. */
static gint64
field_int (DdCliFieldType type,
           gconstpointer  at)
{
  if (type == DD_CLI_FIELD_INT64)
    return *(const gint64 *) at;
  if (type == DD_CLI_FIELD_INT)
    return *(const int *) at;
  return *(const guint *) at;
}

void
dd_cli_add_json_fields (JsonBuilder      *builder,
                        gconstpointer     item,
                        const DdCliField *fields)
{
  for (const DdCliField *field = fields; field->name != NULL; field++)
    {
      gconstpointer at = (const char *) item + field->offset;

      if (field->type == DD_CLI_FIELD_MADE)
        {
          g_autofree char *text = field->text (item);

          dd_json_add_string (builder, field->name, text);
        }
      else if (field->type == DD_CLI_FIELD_STRING)
        dd_json_add_string (builder, field->name, *(const char * const *) at);
      else if (field->type == DD_CLI_FIELD_DOUBLE)
        dd_json_add_double (builder, field->name, *(const double *) at);
      else if (field->type == DD_CLI_FIELD_BOOLEAN)
        dd_json_add_boolean (builder, field->name, *(const gboolean *) at);
      else
        dd_json_add_int (builder, field->name, field_int (field->type, at));
    }
}

void
dd_cli_add_json_array (JsonBuilder      *builder,
                       GPtrArray        *items,
                       const DdCliField *fields)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    {
      json_builder_begin_object (builder);
      dd_cli_add_json_fields (builder, g_ptr_array_index (items, i), fields);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

void
dd_cli_print_json_array (GPtrArray        *items,
                         const DdCliField *fields)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  dd_cli_add_json_array (builder, items, fields);
  dd_cli_print_json (builder);
}

DdContactPolicy *
dd_cli_office_contact_policy (GError **error)
{
  g_autofree char *json = dd_cli_office_setting ("contact-policy", "");
  g_autofree char *country = dd_cli_office_setting ("default-country", "PL");

  if (*json != '\0')
    return dd_contact_policy_from_json (json, error);
  return dd_contact_policy_new_preset (dd_contact_policy_preset_for_country (country));
}

/* Office defaults from GSettings when the schema is installed, else sensible ones. */
GSettings *
dd_cli_office_settings (const char *key)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, key))
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

char *
dd_cli_office_setting (const char *key,
                       const char *fallback)
{
  g_autoptr(GSettings) settings = dd_cli_office_settings (key);
  g_autofree char *value = NULL;

  if (settings == NULL)
    return g_strdup (fallback);
  value = g_settings_get_string (settings, key);
  if (value == NULL || *value == '\0')
    return g_strdup (fallback);
  return g_steal_pointer (&value);
}

guint
dd_cli_office_setting_uint (const char *key,
                            guint       fallback)
{
  g_autoptr(GSettings) settings = dd_cli_office_settings (key);

  return settings != NULL ? g_settings_get_uint (settings, key) : fallback;
}

gboolean
dd_cli_parse_options (GOptionContext  *context,
                      GOptionEntry    *entries,
                      int             *argc,
                      char          ***argv)
{
  g_autoptr(GError) error = NULL;

  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common_entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      dd_cli_print_error (error->message);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *help;   /* N_() */
} Command;

static const Command commands[] = {
  { "import", dd_cli_import, N_("Import overdue receivables from a CSV export") },
  { "demo-office", dd_cli_demo_office, N_("Create a demo office with plausible debtors") },
  { "stats", dd_cli_stats, N_("Show what the office database holds") },
  { "presets", dd_cli_presets, N_("List, show or delete saved column mappings") },
  { "campaigns", dd_cli_campaigns, N_("List the campaigns and their progress") },
  { "campaign", dd_cli_campaign, N_("Create an SMS campaign, or send the running ones") },
  { "call", dd_cli_call, N_("Place one call: speak a text, collect the keys pressed") },
  { "payments", dd_cli_payments, N_("Import bank statements; list, assign or ignore payments") },
  { "ladder", dd_cli_ladder, N_("The escalation ladder: plan a day, run today's steps, policy") },
  { "flow", dd_cli_flow, N_("Simulate a call flow for a case, without a call") },
  { "interest", dd_cli_interest, N_("Interest for late payment, period by period") },
  { "letters", dd_cli_letters, N_("Demand letters with interest as one PDF, and a posting list") },
  { "report", dd_cli_report, N_("Reports: campaign results, effect, promises, ageing, work") },
  { "migrate", dd_cli_migrate, N_("Copy this office into a shared PostgreSQL database") },
  { "users", dd_cli_users, N_("The users: list, add, set a password") },
  { "queue", dd_cli_queue, N_("Inbound queues: list, add, the line, missed calls, figures") },
};

static void
usage (void)
{
  g_print ("%s\n\n", _("Usage: dunning-desk-cli [--database PATH] COMMAND [OPTIONS…]"));
  g_print ("%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-12s %s\n", commands[i].name, _(commands[i].help));
  g_print ("\n%s\n", _("Run “dunning-desk-cli COMMAND --help” for the options of a command."));
}

/* How many of the arguments after the program's name are global options (--database PATH,
 * --database=PATH, -d PATH) given before the command; -1 when one lacks its value. */
static int
count_global_options (int    argc,
                      char **argv)
{
  int k = 1;

  while (k < argc)
    {
      if (g_str_has_prefix (argv[k], "--database="))
        k += 1;
      else if (g_str_equal (argv[k], "--database") || g_str_equal (argv[k], "-d"))
        {
          if (k + 1 >= argc)
            return -1;
          k += 2;
        }
      else
        break;
    }
  return k - 1;
}

int
main (int    argc,
      char **argv)
{
  const char *name;
  int n_global;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      usage ();
      return argc < 2 ? 2 : 0;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("dunning-desk-cli %s\n", PACKAGE_VERSION);
      return 0;
    }

  n_global = count_global_options (argc, argv);
  if (n_global < 0)
    return dd_cli_usage_error (_("--database needs a path"));
  if (1 + n_global >= argc)
    {
      usage ();
      return 2;
    }
  name = argv[1 + n_global];

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (name, commands[i].name))
      {
        g_autofree char **args = g_new0 (char *, argc + 1);
        int n_args = 0;
        int status;

        int end = argc;

        /* The command sees its own name as argv[0], then its own arguments (a subcommand
         * first), then the global options given before it (as git takes them), ahead of a
         * "--" that ends the options; its option parser reads both. */
        for (int k = 2 + n_global; k < argc; k++)
          if (g_str_equal (argv[k], "--"))
            {
              end = k;
              break;
            }
        args[n_args++] = argv[1 + n_global];
        for (int k = 2 + n_global; k < end; k++)
          args[n_args++] = argv[k];
        for (int k = 1; k <= n_global; k++)
          args[n_args++] = argv[k];
        for (int k = end; k < argc; k++)
          args[n_args++] = argv[k];
        status = commands[i].run (n_args, args);
        g_clear_pointer (&opt_database, g_free);
        return status;
      }

  {
    g_autofree char *message = g_strdup_printf (_("Unknown command “%s”"), name);
    dd_cli_print_error (message);
  }
  usage ();
  return 2;
}
