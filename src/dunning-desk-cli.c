/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dunning-desk-cli"

#include "config.h"

#include "dd-campaign-audience.h"
#include "dd-campaign-messages.h"
#include "dd-campaign-store.h"
#include "dd-case-query.h"
#include "dd-http-gateway.h"
#include "dd-sms-account.h"
#include "dd-sip-core.h"
#include "dd-sms-dispatcher.h"
#include "dd-tts.h"
#include "dd-case-store.h"
#include "dd-column-map.h"
#include "dd-database.h"
#include "dd-debtor-store.h"
#include "dd-demo-office.h"
#include "dd-import-store.h"
#include "dd-importer.h"
#include "dd-outbox.h"

#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <inttypes.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Options every command takes. */
static char *opt_database;

static GOptionEntry common_entries[] = {
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, &opt_database,
    N_("Office database to use (default: ~/.local/share/dunning-desk/office.db)"), N_("PATH") },
  { NULL }
};

static void
print_error (const char *message)
{
  /* Translators: prefix of error messages on the command line */
  g_printerr (_("dunning-desk-cli: %s\n"), message);
}

static DdDatabase *
open_database (void)
{
  g_autoptr(GError) error = NULL;
  DdDatabase *database = dd_database_open (opt_database, &error);

  if (database == NULL)
    print_error (error->message);
  return database;
}

/* Office defaults from GSettings when the schema is installed, else sensible ones. */
static char *
office_setting (const char *key,
                const char *fallback)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *value = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, key))
    return g_strdup (fallback);

  settings = g_settings_new_full (schema, NULL, NULL);
  value = g_settings_get_string (settings, key);
  if (value == NULL || *value == '\0')
    return g_strdup (fallback);
  return g_steal_pointer (&value);
}

static gboolean
parse_options (GOptionContext  *context,
               int             *argc,
               char          ***argv)
{
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, common_entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      print_error (error->message);
      return FALSE;
    }
  return TRUE;
}

/* import */

static char *opt_preset;
static char *opt_save_preset;
static char *opt_encoding;
static char *opt_delimiter;
static char *opt_country;
static char *opt_currency;
static char *opt_creditor;
static char *opt_rejects;
static char **opt_maps;
static gboolean opt_no_header;
static gboolean opt_dry_run;
static gboolean opt_json;
static gboolean opt_mark_paid;
static gboolean opt_quiet;

static GOptionEntry import_entries[] = {
  { "preset", 'p', 0, G_OPTION_ARG_STRING, &opt_preset,
    N_("Use the saved column mapping NAME"), N_("NAME") },
  { "save-preset", 0, 0, G_OPTION_ARG_STRING, &opt_save_preset,
    N_("Save the column mapping used as NAME"), N_("NAME") },
  { "map", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &opt_maps,
    N_("Map a field to a column, by header or number (e.g. phone2=\"Tel. 2\" or due=5)"),
    N_("FIELD=COLUMN") },
  { "encoding", 'e', 0, G_OPTION_ARG_STRING, &opt_encoding,
    N_("Text encoding of the file (UTF-8, windows-1250, windows-1251, ISO-8859-2); detected "
       "when not given"), N_("ENCODING") },
  { "delimiter", 0, 0, G_OPTION_ARG_STRING, &opt_delimiter,
    N_("Field delimiter (; , tab |); detected when not given"), N_("CHAR") },
  { "no-header", 0, 0, G_OPTION_ARG_NONE, &opt_no_header,
    N_("The first row is data, not column names"), NULL },
  { "country", 'c', 0, G_OPTION_ARG_STRING, &opt_country,
    N_("Country of phone numbers written without a prefix (PL, RU…)"), N_("CC") },
  { "currency", 0, 0, G_OPTION_ARG_STRING, &opt_currency,
    N_("Currency of amounts that do not name one"), N_("CODE") },
  { "creditor", 0, 0, G_OPTION_ARG_STRING, &opt_creditor,
    N_("Creditor of rows without a creditor column"), N_("NAME") },
  { "mark-missing-paid", 0, 0, G_OPTION_ARG_NONE, &opt_mark_paid,
    N_("Mark open invoices that the file no longer lists as paid"), NULL },
  { "rejects", 'r', 0, G_OPTION_ARG_FILENAME, &opt_rejects,
    N_("Write rejected and doubtful rows, with the reasons, to this CSV file"), N_("FILE") },
  { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &opt_dry_run,
    N_("Check the file and report, but save nothing"), NULL },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json,
    N_("Print the summary as JSON"), NULL },
  { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet,
    N_("Print no progress"), NULL },
  { NULL }
};

static gboolean
apply_map_options (DdColumnMap  *map,
                   GFile        *file,
                   const char   *encoding,
                   char          delimiter,
                   GError      **error)
{
  g_autoptr(DdImportPreview) preview = NULL;
  char **headers;
  guint n_headers;

  preview = dd_import_preview_file (file, encoding, delimiter, opt_no_header ? 0 : -1, 0,
                                    NULL, error);
  if (preview == NULL)
    return FALSE;
  headers = preview->headers;
  *map = preview->guessed;

  n_headers = headers ? g_strv_length (headers) : 0;

  for (guint i = 0; opt_maps && opt_maps[i]; i++)
    {
      g_auto(GStrv) kv = g_strsplit (opt_maps[i], "=", 2);
      DdImportField field;
      char *end = NULL;
      gint64 number;

      if (kv[0] == NULL || kv[1] == NULL)
        {
          g_set_error (error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_MAPPING,
                       _("“%s” is not of the form FIELD=COLUMN"), opt_maps[i]);
          return FALSE;
        }
      field = dd_import_field_from_key (g_strstrip (kv[0]));
      if (field == DD_IMPORT_FIELD_NONE)
        {
          g_autoptr(GString) keys = g_string_new (NULL);
          for (guint f = 0; f < DD_N_IMPORT_FIELDS; f++)
            g_string_append_printf (keys, "%s%s", f ? ", " : "", dd_import_field_to_key (f));
          g_set_error (error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_MAPPING,
                       _("Unknown field “%s”; the fields are: %s"), kv[0], keys->str);
          return FALSE;
        }
      /* A column taken by another field is released. */
      number = g_ascii_strtoll (kv[1], &end, 10);
      if (end != kv[1] && *end == '\0' && number >= 1)
        {
          for (guint f = 0; f < DD_N_IMPORT_FIELDS; f++)
            if (map->column[f] == number - 1)
              map->column[f] = -1;
          map->column[field] = (int) number - 1;
        }
      else if (*kv[1] == '\0' || g_strcmp0 (kv[1], "-") == 0)
        map->column[field] = -1;
      else
        {
          if (!dd_column_map_set_by_header (map, field, (const char * const *) headers, n_headers,
                                            kv[1]))
            {
              g_set_error (error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_MAPPING,
                           _("The file has no column “%s”"), kv[1]);
              return FALSE;
            }
          for (guint f = 0; f < DD_N_IMPORT_FIELDS; f++)
            if (f != (guint) field && map->column[f] == map->column[field])
              map->column[f] = -1;
        }
    }
  return TRUE;
}

static void
on_import_progress (guint64  bytes_read,
                    guint64  bytes_total,
                    guint64  rows,
                    gpointer user_data)
{
  if (bytes_total == 0)
    return;
  g_printerr ("\r");
  /* Translators: progress of an import on the terminal */
  g_printerr (_("Importing… %3.0f%% (%" PRIu64 " rows)"),
                100.0 * (double) bytes_read / (double) bytes_total, rows);
}

static int
cmd_import (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdImporter) importer = NULL;
  g_autoptr(DdImportSummary) summary = NULL;
  g_autoptr(GFileOutputStream) rejects = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *country = NULL;
  g_autofree char *creditor = NULL;
  DdColumnMap map;
  DdImportOptions options;
  gboolean show_progress;

  context = g_option_context_new (_("FILE — import overdue receivables from a CSV export"));
  g_option_context_add_main_entries (context, import_entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Reads a CSV export of overdue invoices, merges debtors, cases "
                                  "and invoices into the office database in one transaction, and "
                                  "reports every rejected or doubtful row."));
  if (!parse_options (context, &argc, &argv))
    return 2;
  if (argc != 2)
    {
      print_error (_("Give exactly one CSV file to import"));
      return 2;
    }

  file = g_file_new_for_commandline_arg (argv[1]);
  dd_import_options_init (&options);
  country = opt_country ? g_ascii_strup (opt_country, -1) : office_setting ("default-country", "PL");
  creditor = opt_creditor ? g_strdup (opt_creditor) : office_setting ("office-name", NULL);
  options.country = country;
  options.currency = opt_currency;
  options.creditor = creditor;
  options.encoding = opt_encoding;
  options.preset = opt_preset;
  options.save_preset = opt_save_preset;
  options.dry_run = opt_dry_run;
  options.mark_missing_paid = opt_mark_paid;
  options.has_header = opt_no_header ? 0 : -1;

  if (opt_delimiter != NULL)
    {
      if (g_str_equal (opt_delimiter, "tab") || g_str_equal (opt_delimiter, "\\t"))
        options.delimiter = '\t';
      else if (strlen (opt_delimiter) == 1 && strchr (";,\t|", opt_delimiter[0]))
        options.delimiter = opt_delimiter[0];
      else
        {
          print_error (_("The delimiter must be one of ; , tab |"));
          return 2;
        }
    }

  if (opt_maps != NULL)
    {
      dd_column_map_init (&map);
      if (!apply_map_options (&map, file, opt_encoding, options.delimiter, &error))
        {
          print_error (error->message);
          return 1;
        }
      options.mapping = &map;
    }

  if (opt_rejects != NULL)
    {
      g_autoptr(GFile) rejects_file = g_file_new_for_commandline_arg (opt_rejects);

      rejects = g_file_replace (rejects_file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, &error);
      if (rejects == NULL)
        {
          print_error (error->message);
          return 1;
        }
      options.rejects = G_OUTPUT_STREAM (rejects);
    }

  database = open_database ();
  if (database == NULL)
    return 1;

  importer = dd_importer_new (database);
  show_progress = !opt_quiet && !opt_json && isatty (STDERR_FILENO);
  summary = dd_importer_run (importer, file, &options, NULL,
                             show_progress ? on_import_progress : NULL, NULL, &error);
  if (show_progress)
    g_printerr ("\n");

  if (rejects != NULL &&
      !g_output_stream_close (G_OUTPUT_STREAM (rejects), NULL, error ? NULL : &error))
    {
      if (summary != NULL)
        {
          print_error (error->message);
          return 1;
        }
    }

  if (summary == NULL)
    {
      print_error (error->message);
      return 1;
    }

  if (opt_json)
    {
      g_autofree char *json = dd_import_summary_to_json (summary, TRUE);
      g_print ("%s\n", json);
    }
  else
    {
      g_autofree char *text = dd_import_summary_to_text (summary, 50);
      g_print ("%s", text);
    }
  return 0;
}

/* demo-office */

static int opt_debtors = 300;
static char *opt_locale;
static int opt_seed = 1;
static char *opt_csv;
static double opt_error_rate = 0.02;
static int opt_rows;

static GOptionEntry demo_entries[] = {
  { "debtors", 'n', 0, G_OPTION_ARG_INT, &opt_debtors, N_("Number of debtors (default 300)"),
    N_("N") },
  { "rows", 0, 0, G_OPTION_ARG_INT, &opt_rows, N_("Stop after exactly N rows"), N_("N") },
  { "locale", 'l', 0, G_OPTION_ARG_STRING, &opt_locale, N_("pl or ru (default pl)"), N_("LANG") },
  { "seed", 's', 0, G_OPTION_ARG_INT, &opt_seed, N_("Random seed (same seed, same office)"),
    N_("N") },
  { "error-rate", 0, 0, G_OPTION_ARG_DOUBLE, &opt_error_rate,
    N_("Fraction of rows with realistic defects (default 0.02)"), N_("R") },
  { "encoding", 'e', 0, G_OPTION_ARG_STRING, &opt_encoding,
    N_("Encoding of the CSV (UTF-8, windows-1250, windows-1251)"), N_("ENCODING") },
  { "csv", 0, 0, G_OPTION_ARG_FILENAME, &opt_csv,
    N_("Only write the accounting export to FILE (“-” for standard output); import nothing"),
    N_("FILE") },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Print the import summary as JSON"), NULL },
  { NULL }
};

static int
cmd_demo_office (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) csv_file = NULL;
  g_autofree char *tmp_path = NULL;
  DdDemoOfficeOptions demo = { 0 };
  const char *locale;

  context = g_option_context_new (_("— create a demo office with plausible debtors"));
  g_option_context_add_main_entries (context, demo_entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv))
    return 2;

  locale = opt_locale ? opt_locale : "pl";
  if (!g_str_equal (locale, "pl") && !g_str_equal (locale, "ru"))
    {
      print_error (_("The demo office speaks pl or ru"));
      return 2;
    }
  if (opt_debtors <= 0 || opt_error_rate < 0 || opt_error_rate > 1)
    {
      print_error (_("The number of debtors must be positive and the error rate between 0 and 1"));
      return 2;
    }

  demo.n_debtors = opt_debtors;
  demo.locale = locale;
  demo.seed = (guint32) opt_seed;
  demo.encoding = opt_encoding;
  demo.error_rate = opt_error_rate;
  demo.max_rows = opt_rows > 0 ? (guint) opt_rows : 0;

  if (opt_csv != NULL && g_str_equal (opt_csv, "-"))
    out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  else
    {
      if (opt_csv != NULL)
        csv_file = g_file_new_for_commandline_arg (opt_csv);
      else
        {
          int fd = g_file_open_tmp ("dunning-desk-demo-XXXXXX.csv", &tmp_path, &error);
          if (fd < 0)
            {
              print_error (error->message);
              return 1;
            }
          close (fd);
          csv_file = g_file_new_for_path (tmp_path);
        }
      out = G_OUTPUT_STREAM (g_file_replace (csv_file, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                             &error));
      if (out == NULL)
        {
          print_error (error->message);
          return 1;
        }
    }

  if (!dd_demo_office_write_csv (out, &demo, NULL, &error) ||
      !g_output_stream_close (out, NULL, &error))
    {
      print_error (error->message);
      if (tmp_path)
        g_unlink (tmp_path);
      return 1;
    }

  if (opt_csv == NULL)
    {
      g_autoptr(DdDatabase) database = open_database ();
      g_autoptr(DdImporter) importer = NULL;
      g_autoptr(DdImportSummary) summary = NULL;
      DdImportOptions options;

      if (database == NULL)
        {
          g_unlink (tmp_path);
          return 1;
        }
      importer = dd_importer_new (database);
      dd_import_options_init (&options);
      options.country = g_str_equal (locale, "ru") ? "RU" : "PL";
      summary = dd_importer_run (importer, csv_file, &options, NULL, NULL, NULL, &error);
      g_unlink (tmp_path);
      if (summary == NULL)
        {
          print_error (error->message);
          return 1;
        }
      if (opt_json)
        {
          g_autofree char *json = dd_import_summary_to_json (summary, TRUE);
          g_print ("%s\n", json);
        }
      else
        g_print (_("Demo office created in %s: %" PRIu64 " debtors, %" PRIu64
                   " cases, %" PRIu64 " invoices (%" PRIu64
                   " rows rejected on purpose, to show the reject report).\n"),
                 dd_database_get_location (database), summary->debtors_new, summary->cases_new,
                 summary->liabilities_new, summary->rows_rejected);
    }
  return 0;
}

/* stats */

static int
cmd_stats (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdCaseStore) cases = NULL;
  g_autoptr(DdDebtorStore) debtors = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_cases = 0, n_open = 0, n_debtors = 0, n_phones = 0, n_liabilities = 0;
  static GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Print as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— show what the office database holds"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv))
    return 2;

  database = open_database ();
  if (database == NULL)
    return 1;
  cases = dd_case_store_new (database);
  debtors = dd_debtor_store_new (database);
  if (!dd_case_store_count (cases, &n_cases, &n_open, &error) ||
      !dd_debtor_store_count (debtors, &n_debtors, &n_phones, &error) ||
      !dd_database_query_int64 (database, "SELECT COUNT(*) FROM liability", &n_liabilities,
                                &error))
    {
      print_error (error->message);
      return 1;
    }

  if (opt_json)
    g_print ("{\"database\": \"%s\", \"schema\": %u, \"debtors\": %" G_GINT64_FORMAT
             ", \"phones\": %" G_GINT64_FORMAT ", \"cases\": %" G_GINT64_FORMAT
             ", \"open_cases\": %" G_GINT64_FORMAT ", \"liabilities\": %" G_GINT64_FORMAT "}\n",
             dd_database_get_location (database), dd_database_get_schema_version (database),
             n_debtors, n_phones, n_cases, n_open, n_liabilities);
  else
    g_print (_("Office database: %s\nDebtors: %" PRId64 " (%" PRId64
               " phones)\nCases: %" PRId64 " (%" PRId64 " open)\nInvoices: %"
               PRId64 "\n"),
             dd_database_get_location (database), n_debtors, n_phones, n_cases, n_open,
             n_liabilities);
  return 0;
}

/* presets */

static int
cmd_presets (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdImportStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  context = g_option_context_new (_("[list | show NAME | delete NAME] — saved column mappings"));
  if (!parse_options (context, &argc, &argv))
    return 2;

  database = open_database ();
  if (database == NULL)
    return 1;
  store = dd_import_store_new (database);

  if (argc < 2 || g_str_equal (argv[1], "list"))
    {
      names = dd_import_store_list_presets (store, &error);
      if (names == NULL)
        {
          print_error (error->message);
          return 1;
        }
      for (guint i = 0; names[i]; i++)
        g_print ("%s\n", names[i]);
      return 0;
    }
  if (argc == 3 && g_str_equal (argv[1], "show"))
    {
      g_autofree char *json = dd_import_store_load_preset (store, argv[2], &error);
      if (json == NULL)
        {
          print_error (error ? error->message : _("No such column mapping"));
          return 1;
        }
      g_print ("%s\n", json);
      return 0;
    }
  if (argc == 3 && g_str_equal (argv[1], "delete"))
    {
      if (!dd_import_store_delete_preset (store, argv[2], &error))
        {
          print_error (error->message);
          return 1;
        }
      return 0;
    }
  print_error (_("Use: presets [list | show NAME | delete NAME]"));
  return 2;
}

/* campaigns */

static int
cmd_campaigns (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdCampaignStore) store = NULL;
  g_autoptr(DdOutbox) outbox = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  static GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Print as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— list the campaigns and their progress"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv))
    return 2;

  database = open_database ();
  if (database == NULL)
    return 1;
  store = dd_campaign_store_new (database);
  outbox = dd_outbox_new (database);
  list = dd_campaign_store_list (store, &error);
  if (list == NULL)
    {
      print_error (error->message);
      return 1;
    }

  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    {
      DdCampaign *c = g_ptr_array_index (list, i);
      DdOutboxCounts n;

      if (!dd_outbox_get_counts (outbox, c->id, &n, &error))
        {
          print_error (error->message);
          return 1;
        }
      if (opt_json)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, c->id);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, c->name);
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (builder, dd_campaign_state_to_string (c->state));
          json_builder_set_member_name (builder, "schedule_at");
          json_builder_add_string_value (builder, c->schedule_at);
#define COUNT(field) \
          json_builder_set_member_name (builder, #field); \
          json_builder_add_int_value (builder, n.field);
          COUNT (queued) COUNT (sending) COUNT (sent) COUNT (delivered) COUNT (failed)
          COUNT (expired) COUNT (cancelled) COUNT (replies) COUNT (parts)
#undef COUNT
          json_builder_end_object (builder);
        }
      else
        /* Translators: one campaign on the command line: id, name, state, then counts */
        g_print (_("%" PRId64 "\t%s\t%s\tqueued %u, sent %u, delivered %u, failed %u, "
                   "replies %u\n"),
                 c->id, c->name, dd_campaign_state_to_label (c->state), n.queued + n.sending,
                 n.sent, n.delivered, n.failed + n.expired, n.replies);
    }
  json_builder_end_array (builder);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      g_autofree char *text = json_to_string (root, TRUE);

      g_print ("%s\n", text);
    }
  return 0;
}

/* campaign: create one and send it (support, scripts and the crash tests) */

static char *opt_name;
static char *opt_text;
static char *opt_sender;
static char *opt_filter;
static char *opt_at;
static char *opt_gateway;
static char *opt_gateway_url;
static char *opt_gateway_user;
static gboolean opt_all_phones;
static gboolean opt_plain;
static int opt_poll = 60;
static int opt_connections;
static gboolean opt_no_policy;
static double opt_rate;

static GOptionEntry campaign_create_entries[] = {
  { "name", 0, 0, G_OPTION_ARG_STRING, &opt_name, N_("Campaign name"), N_("NAME") },
  { "text", 0, 0, G_OPTION_ARG_STRING, &opt_text,
    N_("Message template with placeholders such as {name}, {amount}, {due_date}"), N_("TEXT") },
  { "sender", 0, 0, G_OPTION_ARG_STRING, &opt_sender, N_("Sender name"), N_("NAME") },
  { "filter", 0, 0, G_OPTION_ARG_STRING, &opt_filter,
    N_("The cases to message, as a saved filter's JSON (default: all open cases)"), N_("JSON") },
  { "at", 0, 0, G_OPTION_ARG_STRING, &opt_at,
    N_("Start at this UTC time (ISO 8601) instead of now"), N_("TIME") },
  { "all-phones", 0, 0, G_OPTION_ARG_NONE, &opt_all_phones,
    N_("Message every usable number of a debtor, not only the first"), NULL },
  { "plain", 0, 0, G_OPTION_ARG_NONE, &opt_plain,
    N_("Replace characters outside GSM-7 so that messages stay short"), NULL },
  { NULL }
};

static GOptionEntry campaign_run_entries[] = {
  { "gateway", 0, 0, G_OPTION_ARG_STRING, &opt_gateway,
    N_("SMS provider: test, smsapi, twilio or kannel (default: test); its token or password "
       "in DD_SMS_TOKEN"), N_("PROVIDER") },
  { "gateway-url", 0, 0, G_OPTION_ARG_STRING, &opt_gateway_url,
    N_("The provider's API address (default: its public one)"), N_("URL") },
  { "gateway-user", 0, 0, G_OPTION_ARG_STRING, &opt_gateway_user,
    N_("Twilio's account SID or the Kannel user (default: DD_SMS_USER)"), N_("USER") },
  { "sender", 0, 0, G_OPTION_ARG_STRING, &opt_sender, N_("Default sender name"), N_("NAME") },
  { "connections", 0, 0, G_OPTION_ARG_INT, &opt_connections,
    N_("Requests to the provider at once (default: the provider's limit)"), N_("N") },
  { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &opt_rate,
    N_("Requests per second at most (default: the provider's limit)"), N_("N") },
  { "no-contact-policy", 0, 0, G_OPTION_ARG_NONE, &opt_no_policy,
    N_("Send at any hour and as often as asked (for tests; not for debtors)"), NULL },
  { "poll", 0, 0, G_OPTION_ARG_INT, &opt_poll,
    N_("Seconds between delivery report polls"), N_("SECONDS") },
  { NULL }
};

static int
campaign_create (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— create an SMS campaign and start it"));
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdCampaignStore) store = NULL;
  g_autoptr(DdCaseQuery) query = NULL;
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *locale = NULL;
  g_autofree char *filter = NULL;
  DdCampaign campaign = { 0 };
  DdAudienceCounts counts = { 0 };
  DdCampaignMessagesInfo info = { 0 };
  gint64 id = 0;
  gboolean ok;

  g_option_context_add_main_entries (context, campaign_create_entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv))
    return 2;
  if (opt_name == NULL || opt_text == NULL)
    {
      print_error (_("A campaign needs --name and --text."));
      return 2;
    }
  database = open_database ();
  if (database == NULL)
    return 1;

  if (opt_filter != NULL)
    query = dd_case_query_from_json (opt_filter, &error);
  else
    query = dd_case_query_new ();
  if (query == NULL)
    {
      print_error (error->message);
      return 2;
    }
  filter = dd_case_query_to_json (query);
  recipients = dd_campaign_audience_collect (database, query,
                                             opt_all_phones ? DD_AUDIENCE_ALL_PHONES : 0, TRUE,
                                             &counts, &error);
  if (recipients == NULL)
    {
      print_error (error->message);
      return 1;
    }
  if (recipients->len == 0)
    {
      print_error (_("No debtor of these cases can be messaged."));
      return 1;
    }

  {
    g_autofree char *country = office_setting ("default-country", "PL");

    locale = g_strdup (g_str_equal (country, "RU") ? "ru" : g_str_equal (country, "PL") ? "pl" : "en");
  }
  store = dd_campaign_store_new (database);
  campaign.name = opt_name;
  campaign.kind = (char *) "sms";
  campaign.audience_filter = filter;
  campaign.template_text = opt_text;
  campaign.sender = opt_sender;
  campaign.schedule_at = opt_at;
  if (!dd_database_begin (database, &error))
    {
      print_error (error->message);
      return 1;
    }
  ok = dd_campaign_store_create (store, &campaign, 0, &id, &error) &&
       dd_campaign_messages_enqueue (database, id, opt_text, opt_sender, recipients, locale,
                                     opt_plain ? DD_CAMPAIGN_MESSAGES_PLAIN : 0, opt_at, &info,
                                     &error) &&
       dd_campaign_store_set_state (store, id,
                                    opt_at != NULL ? DD_CAMPAIGN_SCHEDULED : DD_CAMPAIGN_RUNNING,
                                    NULL, 0, &error) &&
       dd_database_commit (database, &error);
  if (!ok)
    {
      dd_database_rollback (database, NULL);
      print_error (error->message);
      return 1;
    }
  /* Translators: after creating a campaign: its id, messages, segments */
  g_print (_("Campaign %" PRId64 ": %u messages, %u segments\n"), id, info.n_messages,
           info.n_segments);
  return 0;
}

typedef struct
{
  GMainLoop       *loop;
  DdCampaignStore *store;
  DdSmsDispatcher *dispatcher;
  int              status;
} RunData;

/* Done when no campaign is running or waiting for its time. */
static gboolean
check_done (gpointer user_data)
{
  RunData *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = dd_campaign_store_list (run->store, &error);

  if (list == NULL)
    {
      print_error (error->message);
      run->status = 1;
      g_main_loop_quit (run->loop);
      return G_SOURCE_CONTINUE;
    }
  for (guint i = 0; i < list->len; i++)
    {
      DdCampaign *c = g_ptr_array_index (list, i);

      if (c->state == DD_CAMPAIGN_RUNNING || c->state == DD_CAMPAIGN_SCHEDULED)
        return G_SOURCE_CONTINUE;
    }
  /* the answers still on their way are recorded before the end */
  if (!dd_sms_dispatcher_is_idle (run->dispatcher))
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (run->loop);
  return G_SOURCE_CONTINUE;
}

static void
on_campaign_paused (DdSmsDispatcher *dispatcher,
                    gint64           campaign_id,
                    const char      *reason,
                    const char      *detail,
                    RunData         *run)
{
  const char *label = dd_campaign_reason_to_label (reason);

  /* Translators: the sending stopped on its own: campaign id, why in words, the provider's
   * answer */
  g_printerr (_("Campaign %1$" PRId64 " paused: %2$s (%3$s). Fix it, then run "
                "“campaign run” again to resume.\n"),
              campaign_id, label != NULL ? label : reason, detail != NULL ? detail : reason);
  run->status = 1;
}

/* Campaigns the sending paused itself because the provider refused the account go on: the
 * user has fixed the account (if not, they pause again at the first answer). */
static gboolean
resume_account_paused (DdCampaignStore  *store,
                       GError          **error)
{
  g_autoptr(GPtrArray) list = dd_campaign_store_list (store, error);

  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    {
      DdCampaign *c = g_ptr_array_index (list, i);

      if (c->state != DD_CAMPAIGN_PAUSED || !dd_campaign_reason_is_account (c->state_reason) ||
          g_strcmp0 (c->kind, "sms") != 0)
        continue;
      if (!dd_campaign_store_set_state (store, c->id, DD_CAMPAIGN_RUNNING, NULL, 0, error))
        return FALSE;
      /* Translators: a campaign the provider had refused is tried again: id, name */
      g_print (_("Campaign %1$" PRId64 " (“%2$s”) resumes\n"), c->id, c->name);
    }
  return TRUE;
}

static gboolean
on_stop_signal (gpointer user_data)
{
  RunData *run = user_data;

  run->status = 130;
  g_main_loop_quit (run->loop);
  return G_SOURCE_CONTINUE;
}

/* The provider's gateway, made by the same code as the window's (DdSmsAccount): the account
 * from the options, its secret from the environment (never from the command line, which
 * other users of the computer can see). */
static DdSmsGateway *
make_gateway (GError **error)
{
  static const char * const providers[] = { "test", "smsapi", "twilio", "kannel", NULL };
  const char *provider = opt_gateway != NULL ? opt_gateway : "test";
  const char *secret = g_getenv ("DD_SMS_TOKEN");
  const char *user = opt_gateway_user != NULL ? opt_gateway_user : g_getenv ("DD_SMS_USER");
  g_autoptr(DdSmsAccount) account = NULL;
  DdSmsGateway *gateway;

  if (!g_strv_contains (providers, provider))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Unknown SMS provider “%s”."), provider);
      return NULL;
    }
  if (dd_sms_account_needs_secret (provider) && (secret == NULL || *secret == '\0'))
    {
      /* Translators: %s is the provider ("SMSAPI", "Twilio"…) */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Set the %s token or password in the DD_SMS_TOKEN environment variable."),
                   dd_sms_account_provider_title (provider));
      return NULL;
    }
  account = dd_sms_account_new (provider, opt_gateway_url, user, opt_sender);
  gateway = dd_sms_account_create_gateway (account, secret, error);
  if (gateway != NULL && DD_IS_HTTP_GATEWAY (gateway) && (opt_connections > 0 || opt_rate > 0))
    dd_http_gateway_set_limits (DD_HTTP_GATEWAY (gateway),
                                opt_connections > 0 ? (guint) opt_connections
                                                    : dd_sms_gateway_get_max_connections (gateway),
                                opt_rate > 0 ? opt_rate
                                             : dd_sms_gateway_get_rate_per_second (gateway));
  return gateway;
}

static int
campaign_run (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— send the running campaigns until they are done"));
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdSmsGateway) gateway = NULL;
  g_autoptr(DdSmsDispatcher) dispatcher = NULL;
  g_autoptr(DdCampaignStore) store = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  RunData run = { 0 };
  guint timer, sigint, sigterm;

  g_option_context_add_main_entries (context, campaign_run_entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv))
    return 2;
  gateway = make_gateway (&error);
  if (gateway == NULL)
    {
      print_error (error->message);
      return 2;
    }
  database = open_database ();
  if (database == NULL)
    return 1;
  store = dd_campaign_store_new (database);
  dispatcher = dd_sms_dispatcher_new (database, gateway);
  dd_sms_dispatcher_set_poll_interval (dispatcher, (guint) CLAMP (opt_poll, 1, 3600));
  if (!opt_no_policy)
    {
      g_autofree char *json = office_setting ("contact-policy", "");
      g_autofree char *country = office_setting ("default-country", "PL");
      g_autoptr(DdContactPolicy) policy = NULL;

      if (*json != '\0')
        {
          policy = dd_contact_policy_from_json (json, &error);
          if (policy == NULL)
            {
              print_error (error->message);
              return 1;
            }
        }
      else
        policy = dd_contact_policy_new_preset (dd_contact_policy_preset_for_country (country));
      dd_sms_dispatcher_set_contact_policy (dispatcher, policy);
    }
  if (!resume_account_paused (store, &error))
    {
      print_error (error->message);
      return 1;
    }
  g_signal_connect (dispatcher, "campaign-paused", G_CALLBACK (on_campaign_paused), &run);

  run.loop = loop;
  run.store = store;
  run.dispatcher = dispatcher;
  timer = g_timeout_add (200, check_done, &run);
  sigint = g_unix_signal_add (SIGINT, on_stop_signal, &run);
  sigterm = g_unix_signal_add (SIGTERM, on_stop_signal, &run);
  dd_sms_dispatcher_start (dispatcher);
  g_main_loop_run (loop);
  dd_sms_dispatcher_stop (dispatcher);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_clear_handle_id (&timer, g_source_remove);
  return run.status;
}

static int
cmd_campaign (int    argc,
              char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "create"))
    return campaign_create (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "run"))
    return campaign_run (argc - 1, argv + 1);
  g_printerr ("%s\n", _("Usage: dunning-desk-cli campaign create|run [OPTIONS…]"));
  return 2;
}

/* call: one call, for tests and support */

static char *opt_say;
static char *opt_voice;
static char *opt_record;
static char *opt_from;
static char *opt_listen;
static int opt_expect_digits;
static int opt_ring_timeout = 30;
static int opt_digit_timeout = 5;

static GOptionEntry call_entries[] = {
  { "say", 0, 0, G_OPTION_ARG_STRING, &opt_say, N_("Text to speak when answered"), N_("TEXT") },
  { "voice", 0, 0, G_OPTION_ARG_STRING, &opt_voice, N_("Voice: pl, ru or en (default: pl)"),
    N_("LANG") },
  { "expect-digits", 0, 0, G_OPTION_ARG_INT, &opt_expect_digits,
    N_("Wait for this many keys pressed, then hang up"), N_("N") },
  { "digit-timeout", 0, 0, G_OPTION_ARG_INT, &opt_digit_timeout,
    N_("Seconds to wait for keys after the prompt (default: 5)"), N_("SECONDS") },
  { "record", 0, 0, G_OPTION_ARG_FILENAME, &opt_record,
    N_("Record what the called party sends to a WAV file"), N_("FILE") },
  { "from", 0, 0, G_OPTION_ARG_STRING, &opt_from,
    N_("Caller URI (default: sip:dunning-desk@ADDRESS)"), N_("URI") },
  { "listen", 0, 0, G_OPTION_ARG_STRING, &opt_listen,
    N_("Local address for SIP and RTP (default: 127.0.0.1)"), N_("ADDRESS") },
  { "ring-timeout", 0, 0, G_OPTION_ARG_INT, &opt_ring_timeout,
    N_("Seconds to let it ring (default: 30)"), N_("SECONDS") },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Print as JSON"), NULL },
  { NULL }
};

typedef struct
{
  GMainLoop   *loop;
  DdSipCore   *core;
  guint        call_id;
  GBytes      *prompt;
  DdWavWriter *writer;
  GString     *digits;
  gboolean     answered;
  char        *codec;
  DdSipCause   cause;
  guint        status;
  char        *reason;
  guint        digit_timer;
} CallRun;

static gboolean
on_digit_timeout (gpointer user_data)
{
  CallRun *run = user_data;

  run->digit_timer = 0;
  dd_sip_core_hangup (run->core, run->call_id, 0);
  return G_SOURCE_REMOVE;
}

static void
on_call_event (const DdSipEvent *event,
               gpointer          user_data)
{
  CallRun *run = user_data;

  if (event->call_id != run->call_id)
    return;
  switch (event->kind)
    {
    case DD_SIP_EVENT_ANSWERED:
      run->answered = TRUE;
      run->codec = g_strdup (event->text);
      if (run->writer != NULL)
        dd_sip_core_record (run->core, run->call_id, run->writer);
      if (run->prompt != NULL)
        dd_sip_core_play (run->core, run->call_id, run->prompt, 1, TRUE);
      else if (opt_expect_digits > 0)
        run->digit_timer = g_timeout_add_seconds ((guint) MAX (opt_digit_timeout, 1),
                                                  on_digit_timeout, run);
      else
        dd_sip_core_hangup (run->core, run->call_id, 0);
      break;
    case DD_SIP_EVENT_DTMF:
      g_string_append_c (run->digits, event->digit);
      if (opt_expect_digits > 0 && run->digits->len >= (gsize) opt_expect_digits)
        dd_sip_core_hangup (run->core, run->call_id, 0);
      break;
    case DD_SIP_EVENT_PLAYBACK_FINISHED:
      if (opt_expect_digits > 0 && run->digits->len < (gsize) opt_expect_digits)
        {
          if (run->digit_timer == 0)
            run->digit_timer = g_timeout_add_seconds ((guint) MAX (opt_digit_timeout, 1),
                                                      on_digit_timeout, run);
        }
      else if (!event->interrupted || opt_expect_digits <= 0)
        dd_sip_core_hangup (run->core, run->call_id, 0);
      break;
    case DD_SIP_EVENT_ENDED:
      run->cause = event->cause;
      run->status = event->status;
      run->reason = g_strdup (event->reason);
      g_main_loop_quit (run->loop);
      break;
    default:
      break;
    }
}

static int
cmd_call (int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("URI — place one call"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *from = NULL;
  CallRun run = { 0 };
  DdSipDialParams params = { 0 };
  int status;

  g_option_context_add_main_entries (context, call_entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv))
    return 2;
  if (argc != 2 || !g_str_has_prefix (argv[1], "sip:"))
    {
      print_error (_("Give the number to call as a SIP URI, such as sip:48601000111@pbx.example."));
      return 2;
    }
  if (opt_say != NULL)
    {
      run.prompt = dd_tts_prompt (opt_say, opt_voice != NULL ? opt_voice : "pl", &error);
      if (run.prompt == NULL)
        {
          print_error (error->message);
          return 1;
        }
    }
  if (opt_record != NULL)
    {
      run.writer = dd_wav_writer_open (opt_record, 8000, 1, &error);
      if (run.writer == NULL)
        {
          print_error (error->message);
          g_clear_pointer (&run.prompt, g_bytes_unref);
          return 1;
        }
    }
  run.loop = loop;
  run.digits = g_string_new (NULL);
  run.core = dd_sip_core_start (opt_listen != NULL ? opt_listen : "127.0.0.1", 0, NULL, NULL,
                                on_call_event, &run, &error);
  if (run.core == NULL)
    {
      print_error (error->message);
      status = 1;
      goto out;
    }
  from = opt_from != NULL ? g_strdup (opt_from)
                          : g_strdup_printf ("sip:dunning-desk@%s",
                                             dd_sip_core_get_address (run.core));
  run.call_id = dd_sip_core_new_call_id (run.core);
  params.to_uri = argv[1];
  params.from_uri = from;
  params.from_name = "Dunning Desk";
  params.contact_user = "dunning-desk";
  params.ring_timeout_ms = (guint) MAX (opt_ring_timeout, 1) * 1000;
  dd_sip_core_dial (run.core, run.call_id, &params);
  g_main_loop_run (loop);
  g_clear_handle_id (&run.digit_timer, g_source_remove);
  dd_sip_core_stop (run.core);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "answered");
      json_builder_add_boolean_value (builder, run.answered);
      json_builder_set_member_name (builder, "cause");
      json_builder_add_string_value (builder, dd_sip_cause_to_string (run.cause));
      json_builder_set_member_name (builder, "status");
      json_builder_add_int_value (builder, run.status);
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, run.reason);
      json_builder_set_member_name (builder, "codec");
      json_builder_add_string_value (builder, run.codec);
      json_builder_set_member_name (builder, "digits");
      json_builder_add_string_value (builder, run.digits->str);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      text = json_to_string (root, TRUE);
      g_print ("%s\n", text);
    }
  else
    /* Translators: the result of one call on the command line: answered or not, why it ended
     * (a code such as "busy"), the SIP status, the keys pressed */
    g_print (_("%s; ended: %s (SIP %u %s); keys: %s\n"),
             run.answered ? _("Answered") : _("Not answered"), dd_sip_cause_to_string (run.cause),
             run.status, run.reason != NULL ? run.reason : "",
             run.digits->len > 0 ? run.digits->str : _("none"));
  status = run.answered ? 0 : 1;

out:
  if (run.writer != NULL && !dd_wav_writer_close (run.writer, &error))
    print_error (error->message);
  g_clear_pointer (&run.prompt, g_bytes_unref);
  g_string_free (run.digits, TRUE);
  g_free (run.codec);
  g_free (run.reason);
  return status;
}

typedef struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *help;   /* N_() */
} Command;

static const Command commands[] = {
  { "import", cmd_import, N_("Import overdue receivables from a CSV export") },
  { "demo-office", cmd_demo_office, N_("Create a demo office with plausible debtors") },
  { "stats", cmd_stats, N_("Show what the office database holds") },
  { "presets", cmd_presets, N_("List, show or delete saved column mappings") },
  { "campaigns", cmd_campaigns, N_("List the campaigns and their progress") },
  { "campaign", cmd_campaign, N_("Create an SMS campaign, or send the running ones") },
  { "call", cmd_call, N_("Place one call: speak a text, collect the keys pressed") },
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
    {
      print_error (_("--database needs a path"));
      return 2;
    }
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

        /* The command sees its own name as argv[0], then the global options given before
         * it (as git does), then its own arguments; its option parser reads both. */
        args[n_args++] = argv[1 + n_global];
        for (int k = 1; k <= n_global; k++)
          args[n_args++] = argv[k];
        for (int k = 2 + n_global; k < argc; k++)
          args[n_args++] = argv[k];
        status = commands[i].run (n_args, args);
        g_clear_pointer (&opt_database, g_free);
        return status;
      }

  {
    g_autofree char *message = g_strdup_printf (_("Unknown command “%s”"), name);
    print_error (message);
  }
  usage ();
  return 2;
}
