/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dunning-desk-cli"

#include "config.h"

#include "dd-cli-private.h"

#include "dd-money.h"
#include "dd-payment-csv.h"
#include "dd-payment-store.h"

/* payments import | list | assign | unassign | ignore */

static char *opt_format;
static char *opt_currency;
static char **opt_maps;
static gboolean opt_dry_run;
static gboolean opt_unmatched;
static gboolean opt_ignored;
static gint64 opt_agent;

static GOptionEntry import_entries[] = {
  { "format", 'f', 0, G_OPTION_ARG_STRING, &opt_format,
    N_("mt940, 1c or csv; guessed from the file when not given"), N_("FORMAT") },
  { "encoding", 'e', 0, G_OPTION_ARG_STRING, &dd_cli_encoding,
    N_("Text encoding of the file (UTF-8, windows-1250, windows-1251, CP866 or DOS for a 1C "
       "file); detected when not given"), N_("ENCODING") },
  { "currency", 0, 0, G_OPTION_ARG_STRING, &opt_currency,
    N_("CSV: currency of amounts that do not name one"), N_("CODE") },
  { "map", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &opt_maps,
    N_("CSV: map a field (date, amount, currency, title, payer-name, payer-account, tax-id, "
       "reference) to a column number, e.g. amount=3"), N_("FIELD=N") },
  { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &opt_dry_run,
    N_("Check the file and report what would be matched, but save nothing"), NULL },
  { "agent", 0, 0, G_OPTION_ARG_INT64, &opt_agent,
    N_("Who does it (an agent id); the system when not given"), N_("ID") },
  DD_CLI_JSON_ENTRY,
  { NULL }
};

static GOptionEntry list_entries[] = {
  { "unmatched", 'u', 0, G_OPTION_ARG_NONE, &opt_unmatched,
    N_("Only the payments waiting to be assigned"), NULL },
  { "ignored", 0, 0, G_OPTION_ARG_NONE, &opt_ignored, N_("Only the ignored payments"), NULL },
  DD_CLI_JSON_ENTRY,
  { NULL }
};

static GOptionEntry change_entries[] = {
  { "agent", 0, 0, G_OPTION_ARG_INT64, &opt_agent,
    N_("Who does it (an agent id); the system when not given"), N_("ID") },
  { NULL }
};

/* The payments of @database, with the office's days of grace. */
static DdPaymentStore *
new_store (DdDatabase *database)
{
  DdPaymentStore *store = dd_payment_store_new (database);

  dd_payment_store_set_grace_days (store, dd_cli_office_setting_uint ("payment-grace-days", 3));
  return store;
}

static char *
totals_text (GPtrArray *totals)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < totals->len; i++)
    {
      DdPaymentTotal *total = g_ptr_array_index (totals, i);
      g_autofree char *amount = dd_money_format (total->minor, total->currency,
                                                 g_get_language_names ()[0]);

      if (i > 0)
        g_string_append (text, "; ");
      g_string_append (text, amount);
    }
  if (text->len == 0)
    g_string_append (text, "0");
  return g_string_free (text, FALSE);
}

static void
add_totals (JsonBuilder *builder,
            const char  *name,
            GPtrArray   *totals)
{
  dd_json_begin_object_member (builder, name);
  for (guint i = 0; i < totals->len; i++)
    {
      DdPaymentTotal *total = g_ptr_array_index (totals, i);

      dd_json_add_int (builder, total->currency, total->minor);
    }
  json_builder_end_object (builder);
}

static gboolean
parse_maps (DdPaymentCsvMap *map)
{
  for (guint f = 0; f < DD_N_PAYMENT_FIELDS; f++)
    map->columns[f] = -1;
  for (guint i = 0; opt_maps[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (opt_maps[i], "=", 2);
      gboolean known = FALSE;
      gint64 column = 0;

      for (guint f = 0; parts[0] != NULL && parts[1] != NULL && f < DD_N_PAYMENT_FIELDS; f++)
        if (g_str_equal (parts[0], dd_payment_field_to_key (f)) &&
            g_ascii_string_to_signed (parts[1], 10, 1, 1000, &column, NULL))
          {
            map->columns[f] = column - 1;
            known = TRUE;
          }
      if (!known)
        {
          g_autofree char *message = g_strdup_printf (_("Cannot use --map “%s”: give a field "
                                                        "and a column number, e.g. amount=3."),
                                                      opt_maps[i]);
          dd_cli_print_error (message);
          return FALSE;
        }
    }
  return TRUE;
}

static int
payments_import (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdPaymentStore) store = NULL;
  g_autoptr(DdPaymentStatement) statement = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *base = NULL;
  DdPaymentFormat format = DD_PAYMENT_FORMAT_AUTO;
  DdPaymentImportSummary summary;
  gsize len = 0;

  context = g_option_context_new (_("FILE — import a bank statement or a payments CSV and "
                                    "match the payments to cases"));
  if (!dd_cli_parse_options (context, import_entries, &argc, &argv))
    return 2;
  if (argc != 2)
    return dd_cli_usage_error (_("payments import needs one file"));
  if (opt_format != NULL &&
      (!dd_payment_format_from_string (opt_format, &format) || format == DD_PAYMENT_FORMAT_AUTO))
    {
      g_autofree char *message = g_strdup_printf (_("Unknown format “%s”: use mt940, 1c or csv."),
                                                  opt_format);
      dd_cli_print_error (message);
      return 2;
    }
  if (!g_file_get_contents (argv[1], &contents, &len, &error))
    return dd_cli_fail (error);
  if (format == DD_PAYMENT_FORMAT_AUTO)
    format = dd_payment_format_guess ((const guint8 *) contents, len);

  if (format == DD_PAYMENT_FORMAT_CSV)
    {
      g_autofree char *currency = opt_currency ? g_strdup (opt_currency)
                                               : dd_cli_office_setting ("default-currency", "PLN");
      DdPaymentCsvMap map;

      if (opt_maps != NULL && !parse_maps (&map))
        return 2;
      statement = dd_payment_csv_parse ((const guint8 *) contents, len,
                                        opt_maps != NULL ? &map : NULL, currency,
                                        dd_cli_encoding, &error);
    }
  else
    {
      g_autofree char *encoding = dd_cli_encoding ? g_ascii_strup (dd_cli_encoding, -1) : NULL;

      statement = dd_payment_statement_parse ((const guint8 *) contents, len, format, encoding,
                                              &error);
    }
  if (statement == NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s: %s", argv[1], error->message);

      dd_cli_print_error (message);
      return 1;
    }

  if ((database = dd_cli_open_database ()) == NULL)
    return 1;
  store = new_store (database);
  base = g_path_get_basename (argv[1]);
  dd_payment_import_summary_init (&summary);
  if (!dd_payment_store_import (store, statement, base, opt_dry_run, opt_agent, &summary, &error))
    {
      dd_payment_import_summary_clear (&summary);
      dd_cli_print_error (error->message);
      return 1;
    }

  if (dd_cli_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      dd_json_add_string (builder, "file", argv[1]);
      dd_json_add_string (builder, "format", dd_payment_format_to_string (format));
      dd_json_add_string (builder, "encoding", statement->encoding);
      dd_json_add_boolean (builder, "dry_run", opt_dry_run);
      dd_json_begin_object_member (builder, "lines");
      dd_json_add_int (builder, "read", summary.n_read);
      dd_json_add_int (builder, "outgoing", summary.n_debits);
      dd_json_add_int (builder, "repeats", summary.n_repeats);
      dd_json_add_int (builder, "new", summary.n_read - summary.n_repeats);
      json_builder_end_object (builder);
      dd_json_begin_object_member (builder, "matched");
      dd_json_add_int (builder, "total", summary.n_matched);
      for (guint m = DD_PAYMENT_MATCH_INVOICE; m < DD_PAYMENT_MATCH_MANUAL; m++)
        dd_json_add_int (builder, dd_payment_match_to_string (m), summary.n_by[m]);
      json_builder_end_object (builder);
      dd_json_add_int (builder, "unmatched", summary.n_unmatched);
      dd_json_add_int (builder, "partial", summary.n_partial);
      dd_json_add_int (builder, "over", summary.n_over);
      dd_json_add_int (builder, "cases_closed", summary.n_closed);
      dd_json_begin_object_member (builder, "declarations");
      dd_json_add_int (builder, "kept", summary.n_kept);
      dd_json_add_int (builder, "broken", summary.n_broken);
      json_builder_end_object (builder);
      dd_json_begin_object_member (builder, "amounts");
      add_totals (builder, "read", summary.read_totals);
      add_totals (builder, "matched", summary.matched_totals);
      add_totals (builder, "unmatched", summary.unmatched_totals);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      dd_cli_print_json (builder);
    }
  else
    {
      g_autofree char *read = totals_text (summary.read_totals);
      g_autofree char *matched = totals_text (summary.matched_totals);
      g_autofree char *unmatched = totals_text (summary.unmatched_totals);

      g_print (_("Statement: %1$s (%2$s, %3$s)\n"), argv[1], dd_payment_format_to_string (format),
               statement->encoding);
      g_print (_("Payments read: %1$u (outgoing lines skipped: %2$u; imported before, "
                 "skipped: %3$u)\n"), summary.n_read, summary.n_debits, summary.n_repeats);
      g_print (_("Matched: %1$u — invoice number %2$u, tax ID %3$u, account %4$u, name and "
                 "amount %5$u\n"), summary.n_matched, summary.n_by[DD_PAYMENT_MATCH_INVOICE],
               summary.n_by[DD_PAYMENT_MATCH_TAX_ID], summary.n_by[DD_PAYMENT_MATCH_ACCOUNT],
               summary.n_by[DD_PAYMENT_MATCH_NAME_AMOUNT]);
      g_print (_("Unmatched, waiting to be assigned: %u\n"), summary.n_unmatched);
      g_print (_("Amounts: read %1$s; matched %2$s; unmatched %3$s\n"), read, matched, unmatched);
      g_print (_("Partial payments: %1$u; over-payments: %2$u; cases closed as paid: %3$u\n"),
               summary.n_partial, summary.n_over, summary.n_closed);
      g_print (_("Payment declarations kept: %1$u; broken (paid late): %2$u\n"), summary.n_kept,
               summary.n_broken);
      if (opt_dry_run)
        g_print ("%s\n", _("Dry run: nothing was saved."));
    }
  dd_payment_import_summary_clear (&summary);
  return 0;
}

static int
payments_list (DdDatabase  *database,
               int          argc,
               char       **argv)
{
  g_autoptr(DdPaymentStore) store = new_store (database);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  records = dd_payment_store_list (store, opt_unmatched ? "unmatched"
                                          : opt_ignored ? "ignored" : NULL, 0, &error);
  if (records == NULL)
    return dd_cli_fail (error);

  if (dd_cli_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < records->len; i++)
        {
          DdPaymentRecord *r = g_ptr_array_index (records, i);
          const struct { const char *name; const char *value; } texts[] = {
            { "state", r->state }, { "paid_on", r->paid_on }, { "currency", r->currency },
            { "source", r->source }, { "title", r->title }, { "payer_name", r->payer_name },
            { "payer_account", r->payer_account }, { "payer_tax_id", r->payer_tax_id },
            { "reference", r->bank_reference }, { "file", r->file_name },
          };

          json_builder_begin_object (builder);
          dd_json_add_int (builder, "id", r->id);
          dd_json_add_int (builder, "amount_minor", r->amount_minor);
          for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
            {
              dd_json_add_string (builder, texts[t].name, texts[t].value);
            }
          dd_json_add_int (builder, "line", r->line_no);
          json_builder_set_member_name (builder, "case_id");
          if (r->case_id > 0)
            json_builder_add_int_value (builder, r->case_id);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "match");
          if (r->match != DD_PAYMENT_MATCH_NONE)
            json_builder_add_string_value (builder, dd_payment_match_to_string (r->match));
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      dd_cli_print_json (builder);
      return 0;
    }

  for (guint i = 0; i < records->len; i++)
    {
      DdPaymentRecord *r = g_ptr_array_index (records, i);
      g_autofree char *amount = dd_money_format (r->amount_minor, r->currency,
                                                 g_get_language_names ()[0]);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\n", r->id, r->paid_on, amount,
               r->payer_name ? r->payer_name : "", r->title ? r->title : "",
               r->case_id > 0 ? r->debtor_name : r->state);
    }
  return 0;
}

static gboolean
parse_id (const char *text,
          gint64     *out_id)
{
  if (text != NULL && g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, out_id, NULL))
    return TRUE;
  {
    g_autofree char *message = g_strdup_printf (_("“%s” is not an id."), text ? text : "");
    dd_cli_print_error (message);
  }
  return FALSE;
}

/* payments assign, unassign and ignore: the ids, read before the database is opened */
static gint64 change_payment_id, change_case_id;

static int
check_change (int    argc,
              char **argv)
{
  gboolean assign = g_str_equal (argv[0], "assign");

  if (argc != (assign ? 3 : 2))
    return dd_cli_usage_error (assign ? _("payments assign needs a payment id and a case id")
                                      : _("this command needs a payment id"));
  if (!parse_id (argv[1], &change_payment_id) || (assign && !parse_id (argv[2], &change_case_id)))
    return 2;
  return 0;
}

static int
payments_change (DdDatabase  *database,
                 int          argc,
                 char       **argv)
{
  g_autoptr(DdPaymentStore) store = new_store (database);
  g_autoptr(GError) error = NULL;
  gboolean assign = g_str_equal (argv[0], "assign");
  gboolean ok;

  if (assign)
    ok = dd_payment_store_assign (store, opt_agent, change_payment_id, change_case_id, &error);
  else if (g_str_equal (argv[0], "unassign"))
    ok = dd_payment_store_unassign (store, opt_agent, change_payment_id, &error);
  else
    ok = dd_payment_store_ignore (store, opt_agent, change_payment_id, &error);
  if (!ok)
    return dd_cli_fail (error);
  return 0;
}

int
dd_cli_payments (int    argc,
                 char **argv)
{
  static const DdCliSubcommand subcommands[] = {
    { "import", payments_import },
    { "list", NULL, N_("— list the payments"), list_entries, NULL, payments_list },
    { "assign", NULL, N_("PAYMENT CASE — assign a payment to a case"), change_entries,
      check_change, payments_change },
    { "unassign", NULL, N_("PAYMENT — take a payment off its case"), change_entries,
      check_change, payments_change },
    { "ignore", NULL, N_("PAYMENT — ignore an unmatched payment"), change_entries,
      check_change, payments_change },
    { NULL },
  };
  static const char * const usage =
    N_("Usage: dunning-desk-cli payments import FILE [--format mt940|1c|csv] [--dry-run] [--json]\n"
       "       dunning-desk-cli payments list [--unmatched|--ignored] [--json]\n"
       "       dunning-desk-cli payments assign PAYMENT CASE\n"
       "       dunning-desk-cli payments unassign PAYMENT\n"
       "       dunning-desk-cli payments ignore PAYMENT");

  return dd_cli_run_subcommand (subcommands, _(usage),
                                _("Unknown payments command “%s”"), argc, argv);
}
