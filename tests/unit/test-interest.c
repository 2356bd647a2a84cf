/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-interest.h"

#include "dd-dates.h"

#include <glib/gstdio.h>

/* Every expected figure below was computed by hand:
 *   interest = principal × rate × days / year_days, rounded half up per period. */

typedef struct
{
  const char *from;
  const char *to;
  guint       days;
  guint       year_days;
  gint64      principal;
  const char *rate;
  gint64      interest;
} Period;

typedef struct
{
  const char *name;
  DdInterestKind kind;
  gint64      principal;
  const char *due;
  const char *to;
  const char *paid_on;   /* one payment, or NULL */
  gint64      paid;
  gint64      total;
  Period      periods[4];
} Case;

static const Case cases[] = {
  /* statutory: reference 5.00 / 6.00 / 7.00 from 1 Jan / 1 Mar / 1 May 2023 (+5.5 pp);
   * 10,000.00 due 14 Feb: 14 d × 10.5 % = 40.27; 61 d × 11.5 % = 192.19; 10 d × 12.5 % = 34.25 */
  { "three-periods", DD_INTEREST_STATUTORY, 1000000, "2023-02-14", "2023-05-10", NULL, 0, 26671,
    { { "2023-02-15", "2023-02-28", 14, 365, 1000000, "10.50", 4027 },
      { "2023-03-01", "2023-04-30", 61, 365, 1000000, "11.50", 19219 },
      { "2023-05-01", "2023-05-10", 10, 365, 1000000, "12.50", 3425 } } },
  /* art. 395: key 16 % across New Year 2024: 11 d / 365 = 482.19; 10 d / 366 = 437.16 */
  { "ru-leap-year", DD_INTEREST_RU_395, 10000000, "2023-12-20", "2024-01-10", NULL, 0, 91935,
    { { "2023-12-21", "2023-12-31", 11, 365, 10000000, "16.00", 48219 },
      { "2024-01-01", "2024-01-10", 10, 366, 10000000, "16.00", 43716 } } },
  /* statutory in a leap year still divides by 365: 1,000.00 × 11.25 % × 2 / 365 = 0.6164 */
  { "pl-leap-year", DD_INTEREST_STATUTORY, 100000, "2024-02-28", "2024-03-01", NULL, 0, 62,
    { { "2024-02-29", "2024-03-01", 2, 365, 100000, "11.25", 62 } } },
  /* 10,000.00 at 11.25 %, 4,000.00 paid on 29 Feb 2024: 29 d on 10,000 = 89.38 (the day of
   * payment included), then 14 d on 6,000 = 25.89, and from 15 March (reference 5.00) 17 d at
   * 10.5 % on 6,000 = 29.34 */
  { "payment-in-the-middle", DD_INTEREST_STATUTORY, 1000000, "2024-01-31", "2024-03-31",
    "2024-02-29", 400000, 14461,
    { { "2024-02-01", "2024-02-29", 29, 365, 1000000, "11.25", 8938 },
      { "2024-03-01", "2024-03-14", 14, 365, 600000, "11.25", 2589 },
      { "2024-03-15", "2024-03-31", 17, 365, 600000, "10.50", 2934 } } },
  /* commercial: the reference of 1 Jan (5.75) holds to 30 June although it fell to 5.00 on
   * 15 March; 1 July takes 5.00: 10 d × 15.75 % = 43.15; 10 d × 15 % = 41.10 */
  { "commercial-half-years", DD_INTEREST_COMMERCIAL, 1000000, "2024-06-20", "2024-07-10", NULL,
    0, 8425,
    { { "2024-06-21", "2024-06-30", 10, 365, 1000000, "15.75", 4315 },
      { "2024-07-01", "2024-07-10", 10, 365, 1000000, "15.00", 4110 } } },
  /* the same days at the statutory rate: 5.00 + 5.5 throughout, 20 d = 57.53 */
  { "statutory-same-days", DD_INTEREST_STATUTORY, 1000000, "2024-06-20", "2024-07-10", NULL, 0,
    5753,
    { { "2024-06-21", "2024-07-10", 20, 365, 1000000, "10.50", 5753 } } },
  /* paid in full before the end: interest stops on the day of payment (3 d × 11.25 % on
   * 1,000.00 = 0.9247) */
  { "paid-in-full", DD_INTEREST_STATUTORY, 100000, "2024-02-01", "2024-03-31", "2024-02-04",
    100000, 92,
    { { "2024-02-02", "2024-02-04", 3, 365, 100000, "11.25", 92 } } },
  /* not yet due: nothing */
  { "not-due", DD_INTEREST_STATUTORY, 100000, "2024-02-01", "2024-02-01", NULL, 0, 0, { { 0 } } },
};

static DdRateTable *
test_rates (void)
{
  static const struct { const char *series, *from, *rate; } rows[] = {
    { "nbp-reference", "2023-01-01", "5.00" },
    { "nbp-reference", "2023-03-01", "6.00" },
    { "nbp-reference", "2023-05-01", "7.00" },
    { "nbp-reference", "2023-10-05", "5.75" },
    { "nbp-reference", "2024-03-15", "5.00" },
    { "cbr-key", "2023-12-18", "16.00" },
    { "cbr-key", "2024-07-29", "18.00" },
    { "eur-pln", "2024-05-31", "4.3000" },
  };
  DdRateTable *rates = dd_rate_table_new ();

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      GDate from;
      gint64 rate;

      g_assert_true (dd_date_from_iso (rows[i].from, &from));
      g_assert_true (dd_rate_parse (rows[i].rate, &rate));
      dd_rate_table_set (rates, rows[i].series, &from, rate);
    }
  return rates;
}

static void
test_cases (void)
{
  g_autoptr(DdRateTable) rates = test_rates ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autoptr(DdInterestResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) payments = g_array_new (FALSE, FALSE, sizeof (DdInterestPayment));
      DdInterestPayment payment;
      GDate due, to;
      guint n_periods = 0;

      g_test_message ("case %s", c->name);
      g_assert_true (dd_date_from_iso (c->due, &due));
      g_assert_true (dd_date_from_iso (c->to, &to));
      if (c->paid_on != NULL)
        {
          g_assert_true (dd_date_from_iso (c->paid_on, &payment.paid_on));
          payment.amount_minor = c->paid;
          g_array_append_val (payments, payment);
        }
      result = dd_interest_compute (rates, c->kind, c->principal, &due, &to, payments, &error);
      g_assert_no_error (error);
      g_assert_nonnull (result);
      while (n_periods < G_N_ELEMENTS (c->periods) && c->periods[n_periods].from != NULL)
        n_periods++;
      g_assert_cmpuint (result->periods->len, ==, n_periods);
      for (guint j = 0; j < n_periods; j++)
        {
          const DdInterestPeriod *p = &g_array_index (result->periods, DdInterestPeriod, j);
          g_autofree char *from = dd_date_to_iso (&p->from);
          g_autofree char *until = dd_date_to_iso (&p->to);
          g_autofree char *rate = dd_rate_format (p->rate);

          g_assert_cmpstr (from, ==, c->periods[j].from);
          g_assert_cmpstr (until, ==, c->periods[j].to);
          g_assert_cmpuint (p->days, ==, c->periods[j].days);
          g_assert_cmpuint (p->year_days, ==, c->periods[j].year_days);
          g_assert_cmpint (p->principal_minor, ==, c->periods[j].principal);
          g_assert_cmpstr (rate, ==, c->periods[j].rate);
          g_assert_cmpint (p->interest_minor, ==, c->periods[j].interest);
        }
      g_assert_cmpint (result->interest_minor, ==, c->total);
      g_assert_cmpint (result->paid_minor, ==, c->paid);
    }
}

static void
test_no_rate (void)
{
  g_autoptr(DdRateTable) rates = test_rates ();
  g_autoptr(GError) error = NULL;
  DdInterestResult *result;
  GDate due, to;

  g_assert_true (dd_date_from_iso ("2019-01-01", &due));
  g_assert_true (dd_date_from_iso ("2019-02-01", &to));
  result = dd_interest_compute (rates, DD_INTEREST_RU_395, 100, &due, &to, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, DD_INTEREST_ERROR, DD_INTEREST_ERROR_NO_RATE);
}

static void
test_compensation (void)
{
  static const struct { gint64 claim; gint64 eur; gint64 pln; } rows[] = {
    { 500000, 4000, 17200 },    /* 5,000.00 PLN: 40 EUR × 4.30 */
    { 500001, 7000, 30100 },    /* above 5,000: 70 EUR */
    { 4999999, 7000, 30100 },
    { 5000000, 10000, 43000 },  /* from 50,000: 100 EUR */
  };
  g_autoptr(DdRateTable) rates = test_rates ();
  GDate due, early;

  /* due in June 2024: the rate of the last business day of May */
  g_assert_true (dd_date_from_iso ("2024-06-17", &due));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      gint64 eur, pln, rate;

      g_assert_true (dd_interest_compensation (rates, rows[i].claim, &due, &eur, &pln, &rate,
                                               NULL));
      g_assert_cmpint (eur, ==, rows[i].eur);
      g_assert_cmpint (pln, ==, rows[i].pln);
      g_assert_cmpint (rate, ==, 43000);
    }
  /* due in May 2024: no rate of April known */
  g_assert_true (dd_date_from_iso ("2024-05-31", &early));
  {
    gint64 eur, pln, rate;
    g_autoptr(GError) error = NULL;

    g_assert_false (dd_interest_compensation (rates, 100, &early, &eur, &pln, &rate, &error));
    g_assert_error (error, DD_INTEREST_ERROR, DD_INTEREST_ERROR_NO_RATE);
  }
}

/* The shipped tables: known published rates on known days. */
static void
test_builtin (void)
{
  static const struct { DdInterestKind kind; const char *day; const char *rate; } rows[] = {
    { DD_INTEREST_STATUTORY, "2024-06-01", "11.25" },
    { DD_INTEREST_STATUTORY, "2022-10-01", "12.25" },
    { DD_INTEREST_COMMERCIAL, "2024-06-01", "15.75" },
    { DD_INTEREST_COMMERCIAL, "2025-08-01", "15.25" },
    { DD_INTEREST_RU_395, "2024-11-01", "21.00" },
    { DD_INTEREST_RU_395, "2022-03-01", "20.00" },
    /* 2026: the reference rate fell to 3.75 % on 5 March; the commercial rate keeps the
     * half-year's (1 January: 4.00 % + 10 points) */
    { DD_INTEREST_STATUTORY, "2026-04-01", "9.25" },
    { DD_INTEREST_COMMERCIAL, "2026-04-01", "14.00" },
    { DD_INTEREST_RU_395, "2026-01-10", "16.00" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DdRateTable) rates = dd_rate_table_new_builtin (&error);

  g_assert_no_error (error);
  g_assert_nonnull (dd_rate_table_get_checked_on (rates, "nbp-reference"));
  g_assert_nonnull (dd_rate_table_get_checked_on (rates, "cbr-key"));
  g_assert_nonnull (dd_rate_table_get_checked_on (rates, "eur-pln"));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(DdInterestResult) result = NULL;
      g_autofree char *rate = NULL;
      GDate day, due;

      g_assert_true (dd_date_from_iso (rows[i].day, &day));
      due = day;
      g_date_subtract_days (&due, 1);
      result = dd_interest_compute (rates, rows[i].kind, 100000, &due, &day, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (result->periods->len, ==, 1);
      rate = dd_rate_format (g_array_index (result->periods, DdInterestPeriod, 0).rate);
      g_assert_cmpstr (rate, ==, rows[i].rate);
    }
}

static void
test_parse (void)
{
  gint64 rate;
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  g_assert_true (dd_rate_parse ("11.25", &rate));
  g_assert_cmpint (rate, ==, 112500);
  g_assert_true (dd_rate_parse ("4.3480", &rate));
  g_assert_cmpint (rate, ==, 43480);
  g_assert_true (dd_rate_parse ("7", &rate));
  g_assert_cmpint (rate, ==, 70000);
  g_assert_false (dd_rate_parse ("1.23456", &rate));
  g_assert_false (dd_rate_parse ("-1", &rate));
  g_assert_false (dd_rate_parse ("1,5", &rate));
  g_assert_false (dd_rate_parse ("", &rate));
  a = dd_rate_format (112500);
  b = dd_rate_format (43480);
  c = dd_rate_format (70000);
  g_assert_cmpstr (a, ==, "11.25");
  g_assert_cmpstr (b, ==, "4.348");
  g_assert_cmpstr (c, ==, "7.00");
}

/* The office's changes in rate_table (schema 14) laid over the shipped series: a rate added,
 * a shipped rate hidden, a bad row refused. */
static void
test_overrides (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dd-interest-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "office.db", NULL);
  g_autoptr(DdDatabase) db = dd_database_open (path, &error);
  g_autoptr(DdRateTable) rates = NULL;
  GDate day, from;
  gint64 rate;

  g_assert_no_error (error);
  /* a cut the shipped table does not know yet */
  g_assert_true (dd_rate_table_store_override (db, "nbp-reference", "2026-01-15", "3.75",
                                               &error));
  /* hide the shipped change of 8 May 2025 (5.25 %) */
  g_assert_true (dd_rate_table_store_override (db, "nbp-reference", "2025-05-08", NULL,
                                               &error));
  /* stored again: replaces its first row */
  g_assert_true (dd_rate_table_store_override (db, "nbp-reference", "2026-01-15", "3.50",
                                               &error));
  g_assert_no_error (error);
  g_assert_false (dd_rate_table_store_override (db, "nbp-reference", "2026-02-30", "3.50",
                                                &error));
  g_assert_error (error, DD_INTEREST_ERROR, DD_INTEREST_ERROR_INVALID);
  g_clear_error (&error);

  rates = dd_rate_table_new_builtin (&error);
  g_assert_no_error (error);
  g_assert_true (dd_rate_table_load_overrides (rates, db, &error));
  g_assert_no_error (error);

  g_assert_true (dd_date_from_iso ("2026-02-01", &day));
  g_assert_true (dd_rate_table_lookup (rates, "nbp-reference", &day, &rate, &from));
  g_assert_cmpint (rate, ==, 35000);
  g_assert_true (dd_date_from_iso ("2025-06-01", &day));
  g_assert_true (dd_rate_table_lookup (rates, "nbp-reference", &day, &rate, &from));
  g_assert_cmpint (rate, ==, 57500);  /* 5.75 % of 5 October 2023 holds on */

  g_clear_object (&db);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_assert_cmpint (g_unlink (path), ==, 0);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dd/interest/cases", test_cases);
  g_test_add_func ("/dd/interest/no-rate", test_no_rate);
  g_test_add_func ("/dd/interest/compensation", test_compensation);
  g_test_add_func ("/dd/interest/builtin", test_builtin);
  g_test_add_func ("/dd/interest/parse", test_parse);
  g_test_add_func ("/dd/interest/overrides", test_overrides);
  return g_test_run ();
}
