/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dunning-desk-cli"

#include "config.h"

#include "dd-cli-private.h"

#include "dd-money.h"
#include "dd-payment-store.h"

/* The office as a whole: demo-office, stats. */

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
  { "encoding", 'e', 0, G_OPTION_ARG_STRING, &dd_cli_encoding,
    N_("Encoding of the CSV (UTF-8, windows-1250, windows-1251)"), N_("ENCODING") },
  { "csv", 0, 0, G_OPTION_ARG_FILENAME, &opt_csv,
    N_("Only write the accounting export to FILE (“-” for standard output); import nothing"),
    N_("FILE") },
  { "json", 0, 0, G_OPTION_ARG_NONE, &dd_cli_json, N_("Print the import summary as JSON"), NULL },
  { NULL }
};

int
dd_cli_demo_office (int    argc,
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
  if (!dd_cli_parse_options (context, demo_entries, &argc, &argv))
    return 2;

  locale = opt_locale ? opt_locale : "pl";
  if (!g_str_equal (locale, "pl") && !g_str_equal (locale, "ru"))
    return dd_cli_usage_error (_("The demo office speaks pl or ru"));
  if (opt_debtors <= 0 || opt_error_rate < 0 || opt_error_rate > 1)
    return dd_cli_usage_error (_("The number of debtors must be positive and the error rate between 0 and 1"));

  demo.n_debtors = opt_debtors;
  demo.locale = locale;
  demo.seed = (guint32) opt_seed;
  demo.encoding = dd_cli_encoding;
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
            return dd_cli_fail (error);
          close (fd);
          csv_file = g_file_new_for_path (tmp_path);
        }
      out = G_OUTPUT_STREAM (g_file_replace (csv_file, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                             &error));
      if (out == NULL)
        return dd_cli_fail (error);
    }

  if (!dd_demo_office_write_csv (out, &demo, NULL, &error) ||
      !g_output_stream_close (out, NULL, &error))
    {
      dd_cli_print_error (error->message);
      if (tmp_path)
        g_unlink (tmp_path);
      return 1;
    }

  if (opt_csv == NULL)
    {
      g_autoptr(DdDatabase) database = dd_cli_open_database ();
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
        return dd_cli_fail (error);
      if (!dd_cli_print_summary_json (summary))
        g_print (_("Demo office created in %s: %" PRIu64 " debtors, %" PRIu64
                   " cases, %" PRIu64 " invoices (%" PRIu64
                   " rows rejected on purpose, to show the reject report).\n"),
                 dd_database_get_location (database), summary->debtors_new, summary->cases_new,
                 summary->liabilities_new, summary->rows_rejected);
    }
  return 0;
}

/* stats */

int
dd_cli_stats (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdCaseStore) cases = NULL;
  g_autoptr(DdDebtorStore) debtors = NULL;
  g_autoptr(DdPaymentStore) payments = NULL;
  g_autoptr(GPtrArray) outstanding = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_cases = 0, n_open = 0, n_debtors = 0, n_phones = 0, n_liabilities = 0;

  context = g_option_context_new (_("— show what the office database holds"));
  if (!dd_cli_parse_options (context, dd_cli_json_entries, &argc, &argv))
    return 2;

  database = dd_cli_open_database ();
  if (database == NULL)
    return 1;
  cases = dd_case_store_new (database);
  debtors = dd_debtor_store_new (database);
  if (!dd_case_store_count (cases, &n_cases, &n_open, &error) ||
      !dd_debtor_store_count (debtors, &n_debtors, &n_phones, &error) ||
      !dd_database_query_int64 (database, "SELECT COUNT(*) FROM liability", &n_liabilities,
                                &error))
    return dd_cli_fail (error);

  payments = dd_payment_store_new (database);
  if (!dd_payment_store_outstanding (payments, &outstanding, NULL, &error))
    return dd_cli_fail (error);

  if (dd_cli_json)
    {
      /* outstanding: the balances of the open cases, per currency, in minor units */
      g_autoptr(GString) totals = g_string_new (NULL);

      for (guint i = 0; i < outstanding->len; i++)
        {
          DdPaymentTotal *total = g_ptr_array_index (outstanding, i);

          g_string_append_printf (totals, "%s\"%s\": %" G_GINT64_FORMAT, i > 0 ? ", " : "",
                                  total->currency, total->minor);
        }
      g_print ("{\"database\": \"%s\", \"schema\": %u, \"debtors\": %" G_GINT64_FORMAT
               ", \"phones\": %" G_GINT64_FORMAT ", \"cases\": %" G_GINT64_FORMAT
               ", \"open_cases\": %" G_GINT64_FORMAT ", \"liabilities\": %" G_GINT64_FORMAT
               ", \"outstanding\": {%s}}\n",
               dd_database_get_location (database), dd_database_get_schema_version (database),
               n_debtors, n_phones, n_cases, n_open, n_liabilities, totals->str);
    }
  else
    {
      g_print (_("Office database: %s\nDebtors: %" PRId64 " (%" PRId64
                 " phones)\nCases: %" PRId64 " (%" PRId64 " open)\nInvoices: %"
                 PRId64 "\n"),
               dd_database_get_location (database), n_debtors, n_phones, n_cases, n_open,
               n_liabilities);
      for (guint i = 0; i < outstanding->len; i++)
        {
          DdPaymentTotal *total = g_ptr_array_index (outstanding, i);
          g_autofree char *amount = dd_money_format (total->minor, total->currency,
                                                     g_get_language_names ()[0]);

          /* Translators: what the open cases still owe in one currency ("12 345,00 zł") */
          g_print (_("Outstanding: %s\n"), amount);
        }
    }
  return 0;
}
