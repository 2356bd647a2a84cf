/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dunning-desk-cli"

#include "config.h"

#include "dd-cli-private.h"
#include "dd-region.h"

#include <locale.h>

/* The commands that read exports: import, presets. */

/* import */

static char *opt_preset;
static char *opt_save_preset;
static char *opt_delimiter;
static char *opt_country;
static char *opt_currency;
static char *opt_creditor;
static char *opt_rejects;
static char **opt_maps;
static gboolean opt_no_header;
static char *opt_dates;
static gboolean opt_dry_run;
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
  { "encoding", 'e', 0, G_OPTION_ARG_STRING, &dd_cli_encoding,
    N_("Text encoding of the file (UTF-8, windows-1250, windows-1251, ISO-8859-2, UTF-16LE, "
       "UTF-16BE); detected when not given"), N_("ENCODING") },
  { "delimiter", 0, 0, G_OPTION_ARG_STRING, &opt_delimiter,
    N_("Field delimiter (; , tab |); detected when not given"), N_("CHAR") },
  { "no-header", 0, 0, G_OPTION_ARG_NONE, &opt_no_header,
    N_("The first row is data, not column names"), NULL },
  { "dates", 0, 0, G_OPTION_ARG_STRING, &opt_dates,
    N_("Order of dates written with slashes: day-first (31/10/2026) or month-first "
       "(10/31/2026); detected when not given"), N_("ORDER") },
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
  { "json", 0, 0, G_OPTION_ARG_NONE, &dd_cli_json,
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

/* The office's country: the one chosen (in the preferences, or from the desktop's language at
 * the first start), else the desktop's language's, else none: the file's is then used. */
static char *
office_country (void)
{
  g_autoptr(GSettings) settings = dd_cli_office_settings ("default-country");
  DdRegion region;

  if (settings != NULL)
    {
      char *country = dd_region_settings_dup_country (settings);

      if (country != NULL)
        return country;
    }
  if (dd_region_for_locale (setlocale (LC_MESSAGES, NULL), &region))
    return g_strdup (region.country);
  return NULL;
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

int
dd_cli_import (int    argc,
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
  g_option_context_set_summary (context,
                                _("Reads a CSV export of overdue invoices, merges debtors, cases "
                                  "and invoices into the office database in one transaction, and "
                                  "reports every rejected or doubtful row."));
  if (!dd_cli_parse_options (context, import_entries, &argc, &argv))
    return 2;
  if (argc != 2)
    return dd_cli_usage_error (_("Give exactly one CSV file to import"));

  file = g_file_new_for_commandline_arg (argv[1]);
  dd_import_options_init (&options);
  country = opt_country ? g_ascii_strup (opt_country, -1) : office_country ();
  creditor = opt_creditor ? g_strdup (opt_creditor) : dd_cli_office_setting ("office-name", NULL);
  options.country = country;
  options.currency = opt_currency;
  options.creditor = creditor;
  options.encoding = dd_cli_encoding;
  options.preset = opt_preset;
  options.save_preset = opt_save_preset;
  options.dry_run = opt_dry_run;
  options.mark_missing_paid = opt_mark_paid;
  options.has_header = opt_no_header ? 0 : -1;
  if (opt_dates != NULL)
    {
      if (g_str_equal (opt_dates, "day-first"))
        options.date_order = -1;
      else if (g_str_equal (opt_dates, "month-first"))
        options.date_order = 1;
      else
        /* Translators: keep day-first and month-first as they are: they are option values */
        return dd_cli_usage_error (_("The order of dates must be day-first or month-first"));
    }

  if (opt_delimiter != NULL)
    {
      if (g_str_equal (opt_delimiter, "tab") || g_str_equal (opt_delimiter, "\\t"))
        options.delimiter = '\t';
      else if (strlen (opt_delimiter) == 1 && strchr (";,\t|", opt_delimiter[0]))
        options.delimiter = opt_delimiter[0];
      else
        return dd_cli_usage_error (_("The delimiter must be one of ; , tab |"));
    }

  if (opt_maps != NULL)
    {
      dd_column_map_init (&map);
      if (!apply_map_options (&map, file, dd_cli_encoding, options.delimiter, &error))
        return dd_cli_fail (error);
      options.mapping = &map;
    }

  if (opt_rejects != NULL)
    {
      g_autoptr(GFile) rejects_file = g_file_new_for_commandline_arg (opt_rejects);

      rejects = g_file_replace (rejects_file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, &error);
      if (rejects == NULL)
        return dd_cli_fail (error);
      options.rejects = G_OUTPUT_STREAM (rejects);
    }

  database = dd_cli_open_database ();
  if (database == NULL)
    return 1;

  importer = dd_importer_new (database);
  show_progress = !opt_quiet && !dd_cli_json && isatty (STDERR_FILENO);
  summary = dd_importer_run (importer, file, &options, NULL,
                             show_progress ? on_import_progress : NULL, NULL, &error);
  if (show_progress)
    g_printerr ("\n");

  if (rejects != NULL &&
      !g_output_stream_close (G_OUTPUT_STREAM (rejects), NULL, error ? NULL : &error))
    {
      if (summary != NULL)
        return dd_cli_fail (error);
    }

  if (summary == NULL)
    return dd_cli_fail (error);

  if (!dd_cli_print_summary_json (summary))
    {
      g_autofree char *text = dd_import_summary_to_text (summary, 50);
      g_print ("%s", text);
      if (summary->dates_ambiguous)
        g_print ("%s\n", _("To read them month first, import the file again with "
                            "--dates=month-first"));
    }
  return 0;
}

/* presets */

int
dd_cli_presets (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdImportStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  context = g_option_context_new (_("[list | show NAME | delete NAME] — saved column mappings"));
  if (!dd_cli_parse_options (context, NULL, &argc, &argv))
    return 2;

  database = dd_cli_open_database ();
  if (database == NULL)
    return 1;
  store = dd_import_store_new (database);

  if (argc < 2 || g_str_equal (argv[1], "list"))
    {
      names = dd_import_store_list_presets (store, &error);
      if (names == NULL)
        return dd_cli_fail (error);
      for (guint i = 0; names[i]; i++)
        g_print ("%s\n", names[i]);
      return 0;
    }
  if (argc == 3 && g_str_equal (argv[1], "show"))
    {
      g_autofree char *json = dd_import_store_load_preset (store, argv[2], &error);
      if (json == NULL)
        {
          dd_cli_print_error (error ? error->message : _("No such column mapping"));
          return 1;
        }
      g_print ("%s\n", json);
      return 0;
    }
  if (argc == 3 && g_str_equal (argv[1], "delete"))
    {
      if (!dd_import_store_delete_preset (store, argv[2], &error))
        return dd_cli_fail (error);
      return 0;
    }
  dd_cli_print_error (_("Use: presets [list | show NAME | delete NAME]"));
  return 2;
}
