/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dunning-desk-cli"

#include "config.h"

#include "dd-cli-private.h"

#include "dd-dates.h"
#include "dd-interest.h"
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
  { "json", 0, 0, G_OPTION_ARG_NONE, &dd_cli_json, N_("Print as JSON"), NULL },
  { NULL }
};

static void
print_json (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, TRUE);

  g_print ("%s\n", text);
}

/* The shipped rate tables with the office's changes. */
static DdRateTable *
load_rates (DdDatabase  *database,
            GError     **error)
{
  g_autoptr(DdRateTable) rates = dd_rate_table_new_builtin (error);

  if (rates == NULL || !dd_rate_table_load_overrides (rates, database, error))
    return NULL;
  return g_steal_pointer (&rates);
}

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

static void
print_interest_text (const DdInterestResult *result,
                     const char             *currency)
{
  g_autofree char *principal = dd_money_format (result->principal_minor, currency, NULL);
  g_autofree char *total = dd_money_format (result->interest_minor, currency, NULL);
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
      g_autofree char *base = dd_money_format (p->principal_minor, currency, NULL);
      g_autofree char *amount = dd_money_format (p->interest_minor, currency, NULL);

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
    {
      dd_cli_print_error (_("--amount, --due and --kind are needed"));
      return 2;
    }
  if (!dd_interest_kind_from_string (opt_kind, &kind))
    {
      dd_cli_print_error (_("--kind must be statutory, commercial or ru-395"));
      return 2;
    }
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
  rates = load_rates (database, &error);
  if (rates != NULL)
    result = dd_interest_compute (rates, kind, amount, &due, &to, NULL, 0, &error);
  if (result == NULL)
    return dd_cli_fail (error);

  if (dd_cli_json)
    {
      g_autoptr(JsonNode) node = dd_interest_result_to_json (result);

      json_object_set_string_member (json_node_get_object (node), "currency", currency);
      print_json (node);
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
