/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dunning-desk-cli"

#include "config.h"

#include "dd-cli-private.h"

#include "dd-dates.h"
#include "dd-demand-letters.h"
#include "dd-interest.h"
#include "dd-letter.h"
#include "dd-money.h"

/* interest: the accountant's quick question */

static char *opt_amount;
static char *opt_due;
static char *opt_to;
static char *opt_kind;

static GOptionEntry interest_entries[] = {
  { "amount", 'a', 0, G_OPTION_ARG_STRING, &opt_amount,
    N_("The amount overdue (e.g. 1234.56 or “1 234,56 PLN”)"), N_("AMOUNT") },
  { "due", 0, 0, G_OPTION_ARG_STRING, &opt_due,
    N_("The due date; interest runs from the next day"), N_("DATE") },
  { "to", 0, 0, G_OPTION_ARG_STRING, &opt_to,
    N_("The last day of interest (today when not given)"), N_("DATE") },
  { "kind", 'k', 0, G_OPTION_ARG_STRING, &opt_kind,
    N_("statutory (Polish statutory interest for delay), commercial (Polish interest in "
       "commercial transactions) or ru-395 (art. 395 of the Russian Civil Code)"), N_("KIND") },
  DD_CLI_JSON_ENTRY,
  { NULL }
};

static void
today (GDate *out)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now),
                  (GDateYear) g_date_time_get_year (now));
}

static gboolean
parse_date_option (const char  *text,
                   GDate       *out,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (dd_date_parse (text, out, &local_error))
    return TRUE;
  /* TRANSLATORS: %1$s is what the user typed, %2$s why it is not a date */
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("Not a date: “%1$s” (%2$s)"),
               text, local_error->message);
  return FALSE;
}

/* The amounts and rates as the reader writes them: "10 000,00 zł", "11,25" in Polish. */
static void
print_interest_text (const DdInterestResult *result,
                     const char             *currency)
{
  const char *language = g_get_language_names ()[0];
  gboolean comma = g_str_has_prefix (language, "pl") || g_str_has_prefix (language, "ru");
  g_autofree char *principal = dd_money_format (result->principal_minor, currency, language);
  g_autofree char *total = dd_money_format (result->interest_minor, currency, language);
  g_autofree char *due = dd_date_to_iso (&result->due);
  g_autofree char *to = dd_date_to_iso (&result->to);

  /* TRANSLATORS: %1$s amount, %2$s due date, %3$s last day of interest */
  g_print (_("Interest on %1$s due %2$s, up to %3$s:"), principal, due, to);
  g_print ("\n");
  for (guint i = 0; i < result->periods->len; i++)
    {
      const DdInterestPeriod *p = &g_array_index (result->periods, DdInterestPeriod, i);
      g_autofree char *from = dd_date_to_iso (&p->from);
      g_autofree char *until = dd_date_to_iso (&p->to);
      g_autofree char *rate = dd_rate_format (p->rate);
      g_autofree char *base = dd_money_format (p->principal_minor, currency, language);
      g_autofree char *amount = dd_money_format (p->interest_minor, currency, language);

      if (comma)
        g_strdelimit (rate, ".", ',');

      /* TRANSLATORS: one period of an interest calculation: %1$s–%2$s dates, %3$u days,
       * %4$s the principal, %5$s the rate in percent, %6$u days of the year, %7$s interest */
      g_print (_("  %1$s – %2$s  %3$u d  %4$s × %5$s %% × %3$u/%6$u = %7$s"),
               from, until, p->days, base, rate, p->year_days, amount);
      g_print ("\n");
    }
  /* TRANSLATORS: %s is the total interest */
  g_print (_("Interest: %s"), total);
  g_print ("\n");
}

static int
interest (int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— interest for late payment, "
                                                              "period by period"));
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdRateTable) rates = NULL;
  g_autoptr(DdInterestResult) result = NULL;
  g_autoptr(GError) error = NULL;
  DdInterestKind kind;
  char currency[4] = "";
  gint64 amount;
  GDate due, to;

  if (!dd_cli_parse_options (context, interest_entries, &argc, &argv))
    return 2;
  if (opt_amount == NULL || opt_due == NULL || opt_kind == NULL)
    return dd_cli_usage_error (_("--amount, --due and --kind are needed"));
  if (!dd_interest_kind_from_string (opt_kind, &kind))
    return dd_cli_usage_error (_("--kind must be statutory, commercial or ru-395"));
  if (!dd_money_parse (opt_amount, kind == DD_INTEREST_RU_395 ? "RUB" : "PLN", &amount,
                       currency, NULL, &error)
      || !parse_date_option (opt_due, &due, &error)
      || (opt_to != NULL && !parse_date_option (opt_to, &to, &error)))
    return dd_cli_fail (error);
  if (opt_to == NULL)
    today (&to);

  database = dd_cli_open_database ();
  if (database == NULL)
    return 1;
  rates = dd_rate_table_new_for_database (database, &error);
  if (rates != NULL)
    result = dd_interest_compute (rates, kind, amount, &due, &to, NULL, &error);
  if (result == NULL)
    return dd_cli_fail (error);

  if (dd_cli_json)
    {
      g_autoptr(JsonNode) node = dd_interest_result_to_json (result);

      json_object_set_string_member (json_node_get_object (node), "currency", currency);
      dd_cli_print_json_node (node);
    }
  else
    print_interest_text (result, currency);
  return 0;
}

int
dd_cli_interest (int    argc,
                 char **argv)
{
  return interest (argc, argv);
}

/* letters: demand letters as one PDF, the posting list, recorded on the cases */

static gint64 opt_case;
static char *opt_creditor;
static char *opt_status;
static char *opt_pdf;
static char *opt_date;
static int opt_days = -1;
static gboolean opt_per_debtor;
static char *opt_posting_list;
static gboolean opt_dry_run;

static GOptionEntry letters_entries[] = {
  { "case", 'c', 0, G_OPTION_ARG_INT64, &opt_case, N_("Only this case"), N_("ID") },
  { "creditor", 0, 0, G_OPTION_ARG_STRING, &opt_creditor,
    N_("Only the cases of this creditor (name or id)"), N_("CREDITOR") },
  { "status", 's', 0, G_OPTION_ARG_STRING, &opt_status,
    N_("Only the cases in this status (new, call-later, no-answer, payment-declaration); "
       "closed cases only when asked for by --case"), N_("STATUS") },
  { "pdf", 'o', 0, G_OPTION_ARG_FILENAME, &opt_pdf, N_("Write the letters to this PDF file"),
    N_("FILE") },
  { "date", 0, 0, G_OPTION_ARG_STRING, &opt_date,
    N_("The letters’ date; interest runs to it (today when not given)"), N_("DATE") },
  { "days", 0, 0, G_OPTION_ARG_INT, &opt_days,
    N_("Days to pay from the letters’ date (the office setting when not given)"), N_("N") },
  { "per-debtor", 0, 0, G_OPTION_ARG_NONE, &opt_per_debtor,
    N_("One letter per debtor covering all their cases"), NULL },
  { "posting-list", 0, 0, G_OPTION_ARG_FILENAME, &opt_posting_list,
    N_("Write the posting list for registered mail (CSV) to this file"), N_("FILE") },
  { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &opt_dry_run,
    N_("Write the files but record nothing on the cases"), NULL },
  DD_CLI_JSON_ENTRY,
  { NULL }
};

static int
letters (int    argc,
         char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— demand letters with interest, "
                                                              "as one PDF"));
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(GPtrArray) built = NULL;
  g_autoptr(GArray) case_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) pages = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = dd_cli_office_setting ("office-name", "");
  g_autofree char *address = dd_cli_office_setting ("office-address", "");
  g_autofree char *tax_id = dd_cli_office_setting ("office-tax-id", "");
  g_autofree char *account = dd_cli_office_setting ("office-bank-account", "");
  g_autofree char *pdf_path = NULL;
  DdLetterOffice office = { name, address, tax_id, account };
  GDate date;

  if (!dd_cli_parse_options (context, letters_entries, &argc, &argv))
    return 2;
  if (opt_pdf == NULL)
    return dd_cli_usage_error (_("--pdf FILE is needed"));
  if (opt_days == 0 || opt_days > 365)
    return dd_cli_usage_error (_("--days must be between 1 and 365"));
  if (opt_date != NULL && !parse_date_option (opt_date, &date, &error))
    return dd_cli_fail (error);
  if (opt_date == NULL)
    today (&date);
  database = dd_cli_open_database ();
  if (database == NULL)
    return 1;
  if (!dd_database_fetch_ids (database, case_ids, &error,
                              "SELECT c.id FROM debt_case c"
                              " JOIN creditor cr ON cr.id = c.creditor_id"
                              " WHERE (?1 = 0 OR c.id = ?1)"
                              " AND (?1 <> 0 OR c.status <> 'closed')"
                              " AND (?2 IS NULL OR cr.name = ?2 OR CAST(cr.id AS TEXT) = ?2)"
                              " AND (?3 IS NULL OR c.status = ?3)"
                              " ORDER BY c.debtor_id, c.id",
                              DD_INT (opt_case), DD_TEXT (opt_creditor), DD_TEXT (opt_status),
                              DD_END))
    return dd_cli_fail (error);
  if (opt_case != 0 && case_ids->len == 0)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, opt_case);
      /* TRANSLATORS: %s is a case number */
      g_autofree char *message = g_strdup_printf (_("No case %s"), id);

      dd_cli_print_error (message);
      return 1;
    }
  {
    g_autofree char *signature = dd_cli_office_setting ("letter-signature", "");
    guint days = opt_days > 0 ? (guint) opt_days
                              : dd_cli_office_setting_uint ("letter-deadline-days", 7);

    built = dd_demand_letters_build (database, &office, case_ids, opt_per_debtor, &date, days,
                                     signature, &error);
  }
  if (built == NULL)
    return dd_cli_fail (error);
  if (built->len == 0)
    {
      /* nothing owed (paid, or no open invoice): no empty PDF to print by mistake */
      if (dd_cli_json)
        g_print ("{\"pdf\": null, \"recorded\": false, \"letters\": []}\n");
      else
        g_print ("%s\n", _("Nothing is owed on these cases: no letter written"));
      return 0;
    }
  if (!dd_demand_letters_write (database, built, opt_pdf, opt_posting_list, !opt_dry_run, pages,
                                &pdf_path, &error))
    return dd_cli_fail (error);

  if (dd_cli_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      dd_json_add_string (b, "pdf", pdf_path);
      dd_json_add_boolean (b, "recorded", !opt_dry_run);
      dd_json_begin_array_member (b, "letters");
      for (guint i = 0; i < built->len; i++)
        {
          JsonNode *node = dd_letter_to_json (built->pdata[i]);

          json_object_set_int_member (json_node_get_object (node), "page",
                                      g_array_index (pages, guint, i));
          json_builder_add_value (b, node);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      dd_cli_print_json_node (root);
    }
  else
    {
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u letter written to %s\n",
                            "%u letters written to %s\n", built->len),
               built->len, pdf_path);
    }
  return 0;
}

int
dd_cli_letters (int    argc,
                char **argv)
{
  return letters (argc, argv);
}
