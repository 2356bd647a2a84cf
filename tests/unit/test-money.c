/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-money"

#include "config.h"

#include "dd-money.h"

#include <glib.h>

#include <string.h>

typedef struct
{
  const char        *text;
  const char        *default_currency;
  gint64             minor;
  const char        *currency;
  DdMoneyParseFlags  flags;
} Case;

static void
check_cases (const Case *cases,
             gsize       n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      const Case *c = &cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *escaped = g_strescape (c->text, NULL);
      gint64 minor = -1;
      char currency[4] = "???";
      DdMoneyParseFlags flags = 0xff;

      g_test_message ("'%s'", escaped);
      g_assert_true (dd_money_parse (c->text, c->default_currency, &minor, currency, &flags,
                                     &error));
      g_assert_no_error (error);
      g_assert_cmpint (minor, ==, c->minor);
      g_assert_cmpstr (currency, ==, c->currency);
      g_assert_cmpint (flags, ==, c->flags);
    }
}

#define DEF DD_MONEY_PARSE_DEFAULT_CURRENCY
#define AMB DD_MONEY_PARSE_AMBIGUOUS

static void
test_local_formats (void)
{
  static const Case cases[] = {
    { "1 234,56", "PLN", 123456, "PLN", DEF },
    { "1.234,56 zł", "RUB", 123456, "PLN", 0 },
    { "1234.56", "PLN", 123456, "PLN", DEF },
    { "1 234,56 ₽", "PLN", 123456, "RUB", 0 },
    { "1,234.56", "USD", 123456, "USD", DEF },
    { "PLN 1 234,56", NULL, 123456, "PLN", 0 },
    { "-12,00", "PLN", -1200, "PLN", DEF },
    { "12,5", "PLN", 1250, "PLN", DEF },
    { "1234", "PLN", 123400, "PLN", DEF },
    { "1 234,56 руб.", "PLN", 123456, "RUB", 0 },
    { "0,05", "PLN", 5, "PLN", DEF },
    { "0", "PLN", 0, "PLN", DEF },
    { "-0,00", "PLN", 0, "PLN", DEF },
    { ",50", "PLN", 50, "PLN", DEF },
    { "1.234.567,89", "PLN", 123456789, "PLN", DEF },
    { "1,234,567.89", "USD", 123456789, "USD", DEF },
    { "1.234.567", "PLN", 123456700, "PLN", DEF },
    { "1 234 567", "PLN", 123456700, "PLN", DEF },
    { "1234,5", "PLN", 123450, "PLN", DEF },
    { "  1 234,56 zł  ", NULL, 123456, "PLN", 0 },
    { "+12,00", "PLN", 1200, "PLN", DEF },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_separators (void)
{
  static const Case cases[] = {
    { "1\u00a0234,56", "PLN", 123456, "PLN", DEF },                /* no-break space */
    { "1\u202f234,56", "PLN", 123456, "PLN", DEF },                /* narrow no-break space */
    { "1\u2009234,56", "PLN", 123456, "PLN", DEF },                /* thin space */
    { "1'234.56", "CHF", 123456, "CHF", DEF },                    /* apostrophe */
    { "1\u2019234.56", "CHF", 123456, "CHF", DEF },               /* right single quote */
    { "12'345'678.90", "CHF", 1234567890, "CHF", DEF },
    { "1\u00a0234\u00a0567,00\u00a0zł", NULL, 123456700, "PLN", 0 },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_currencies (void)
{
  static const Case cases[] = {
    { "12,00 zł", NULL, 1200, "PLN", 0 },
    { "12,00 zl", NULL, 1200, "PLN", 0 },
    { "12,00 ZŁ", NULL, 1200, "PLN", 0 },
    { "12,00zł", NULL, 1200, "PLN", 0 },
    { "12,00 PLN", NULL, 1200, "PLN", 0 },
    { "pln 12,00", NULL, 1200, "PLN", 0 },
    { "12,00 ₽", NULL, 1200, "RUB", 0 },
    { "12,00 руб.", NULL, 1200, "RUB", 0 },
    { "12,00 руб", NULL, 1200, "RUB", 0 },
    { "12,00 Руб.", NULL, 1200, "RUB", 0 },
    { "12,00 р.", NULL, 1200, "RUB", 0 },
    { "12,00 р", NULL, 1200, "RUB", 0 },
    { "12,00 RUB", NULL, 1200, "RUB", 0 },
    { "12,00 RUR", NULL, 1200, "RUB", 0 },
    { "12,00 €", NULL, 1200, "EUR", 0 },
    { "€12.00", NULL, 1200, "EUR", 0 },
    { "EUR 12,00", NULL, 1200, "EUR", 0 },
    { "$12.00", NULL, 1200, "USD", 0 },
    { "12.00 USD", NULL, 1200, "USD", 0 },
    { "US$ 12.00", NULL, 1200, "USD", 0 },
    { "£12.00", NULL, 1200, "GBP", 0 },
    { "12,00 грн.", NULL, 1200, "UAH", 0 },
    { "12,00 ₴", NULL, 1200, "UAH", 0 },
    { "12,00 ₸", NULL, 1200, "KZT", 0 },
    { "12,00 Kč", NULL, 1200, "CZK", 0 },
    { "PLN 12,00 zł", NULL, 1200, "PLN", 0 },                     /* the same one twice */
    { "1234", "jpy", 1234, "JPY", DEF },
    { "1.234 KWD", NULL, 1234, "KWD", AMB },                      /* three decimals */
    { "1,5 KWD", NULL, 1500, "KWD", 0 },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_negative (void)
{
  static const Case cases[] = {
    { "-12,00", "PLN", -1200, "PLN", DEF },
    { "\u221212,00", "PLN", -1200, "PLN", DEF },                  /* minus sign */
    { "-12,00 zł", NULL, -1200, "PLN", 0 },
    { "- 12,00 zł", NULL, -1200, "PLN", 0 },
    { "PLN -12,00", NULL, -1200, "PLN", 0 },
    { "-PLN 12,00", NULL, -1200, "PLN", 0 },
    { "-$1,234.56", NULL, -123456, "USD", 0 },
    { "(1 234,56)", "PLN", -123456, "PLN", DEF },                 /* accounting */
    { "(1 234,56 zł)", NULL, -123456, "PLN", 0 },
    { "1.234,56-", "PLN", -123456, "PLN", DEF },                  /* SAP */
    { "1.234,56- zł", NULL, -123456, "PLN", 0 },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_ambiguous (void)
{
  static const Case cases[] = {
    /* a lone separator followed by three digits groups thousands (two-decimal currencies) */
    { "1.234", "PLN", 123400, "PLN", DEF | AMB },
    { "1,234", "PLN", 123400, "PLN", DEF | AMB },
    { "12,345 zł", NULL, 1234500, "PLN", AMB },
    { "123.456", "RUB", 12345600, "RUB", DEF | AMB },
    { "1,234", "JPY", 1234, "JPY", DEF | AMB },
    /* not ambiguous: two digits after, four digits before, a leading zero, other separators */
    { "1,23", "PLN", 123, "PLN", DEF },
    { "1 234,567", "KWD", 1234567, "KWD", DEF },
    { "1.234,5", "PLN", 123450, "PLN", DEF },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

typedef struct
{
  const char   *text;
  const char   *default_currency;
  DdMoneyError  code;
} ErrorCase;

static void
test_errors (void)
{
  static const ErrorCase cases[] = {
    { "", "PLN", DD_MONEY_ERROR_EMPTY },
    { NULL, "PLN", DD_MONEY_ERROR_EMPTY },
    { "   ", "PLN", DD_MONEY_ERROR_EMPTY },
    { "\u00a0\t", "PLN", DD_MONEY_ERROR_EMPTY },
    { "abc", "PLN", DD_MONEY_ERROR_INVALID },
    { "brak", "PLN", DD_MONEY_ERROR_INVALID },
    { "zł", "PLN", DD_MONEY_ERROR_INVALID },
    { "-", "PLN", DD_MONEY_ERROR_INVALID },
    { "()", "PLN", DD_MONEY_ERROR_INVALID },
    { "12.", "PLN", DD_MONEY_ERROR_INVALID },
    { "12,", "PLN", DD_MONEY_ERROR_INVALID },
    { ".", "PLN", DD_MONEY_ERROR_INVALID },
    { "1..2", "PLN", DD_MONEY_ERROR_INVALID },
    { "1,2,3", "PLN", DD_MONEY_ERROR_INVALID },
    { "12 34", "PLN", DD_MONEY_ERROR_INVALID },
    { "1234 567", "PLN", DD_MONEY_ERROR_INVALID },
    { "1  234", "PLN", DD_MONEY_ERROR_INVALID },
    { "1.23.456", "PLN", DD_MONEY_ERROR_INVALID },
    { "1 234.567,89", "PLN", DD_MONEY_ERROR_INVALID },
    { "1.234.56", "PLN", DD_MONEY_ERROR_INVALID },
    { "12a", "PLN", DD_MONEY_ERROR_INVALID },
    { "12 zł 34", "PLN", DD_MONEY_ERROR_INVALID },
    { "--12", "PLN", DD_MONEY_ERROR_INVALID },
    { "-12-", "PLN", DD_MONEY_ERROR_INVALID },
    { "1e5", "PLN", DD_MONEY_ERROR_INVALID },
    { "0x10", "PLN", DD_MONEY_ERROR_INVALID },
    { "12,00 \xff", "PLN", DD_MONEY_ERROR_INVALID },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ErrorCase *c = &cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *escaped = c->text ? g_strescape (c->text, NULL) : NULL;
      gint64 minor = 42;
      char currency[4] = "???";
      DdMoneyParseFlags flags = 0xff;

      g_test_message ("'%s'", escaped);
      g_assert_false (dd_money_parse (c->text, c->default_currency, &minor, currency, &flags,
                                      &error));
      g_assert_error (error, DD_MONEY_ERROR, (gint) c->code);
      g_assert_cmpstr (error->message, !=, "");
      g_assert_cmpint (minor, ==, 0);
      g_assert_cmpstr (currency, ==, "");
      g_assert_cmpint (flags, ==, 0);
    }
}

static void
assert_error (const char   *text,
              const char   *default_currency,
              DdMoneyError  code)
{
  g_autoptr(GError) error = NULL;
  gint64 minor;

  g_test_message ("'%s'", text);
  g_assert_false (dd_money_parse (text, default_currency, &minor, NULL, NULL, &error));
  g_assert_error (error, DD_MONEY_ERROR, (gint) code);
}

static void
test_decimals (void)
{
  g_autoptr(GError) error = NULL;

  assert_error ("1234,567", "PLN", DD_MONEY_ERROR_TOO_MANY_DECIMALS);
  assert_error ("0,123", "PLN", DD_MONEY_ERROR_TOO_MANY_DECIMALS);
  assert_error ("1 234,567", "PLN", DD_MONEY_ERROR_TOO_MANY_DECIMALS);
  assert_error ("1.234,567", "RUB", DD_MONEY_ERROR_TOO_MANY_DECIMALS);
  assert_error ("12,5", "JPY", DD_MONEY_ERROR_TOO_MANY_DECIMALS);
  assert_error ("12,0001", "KWD", DD_MONEY_ERROR_TOO_MANY_DECIMALS);

  g_assert_false (dd_money_parse ("1234,567", "PLN", NULL, NULL, NULL, &error));
  g_assert_cmpstr (error->message, ==,
                   "The amount has too many decimal places: PLN has 2");
  g_clear_error (&error);

  g_assert_false (dd_money_parse ("12,5", "JPY", NULL, NULL, NULL, &error));
  g_assert_cmpstr (error->message, ==, "Amounts in JPY have no decimal places");
}

static void
test_overflow (void)
{
  gint64 minor;
  char currency[4];

  /* the largest amounts that fit */
  g_assert_true (dd_money_parse ("92233720368547758,07", "PLN", &minor, currency, NULL, NULL));
  g_assert_cmpint (minor, ==, G_MAXINT64);
  g_assert_true (dd_money_parse ("-92233720368547758,08", "PLN", &minor, currency, NULL, NULL));
  g_assert_cmpint (minor, ==, G_MININT64);
  g_assert_true (dd_money_parse ("9223372036854775807", "JPY", &minor, NULL, NULL, NULL));
  g_assert_cmpint (minor, ==, G_MAXINT64);

  /* one more */
  assert_error ("92233720368547758,08", "PLN", DD_MONEY_ERROR_OVERFLOW);
  assert_error ("-92233720368547758,09", "PLN", DD_MONEY_ERROR_OVERFLOW);
  assert_error ("92 233 720 368 547 758,08 zł", NULL, DD_MONEY_ERROR_OVERFLOW);
  assert_error ("9223372036854775808", "JPY", DD_MONEY_ERROR_OVERFLOW);
  /* far more: past guint64 in the integer part, in the scaling, in the fraction */
  assert_error ("123456789012345678901234567890", "PLN", DD_MONEY_ERROR_OVERFLOW);
  assert_error ("184467440737095516,16", "PLN", DD_MONEY_ERROR_OVERFLOW);
  assert_error ("1844674407370955161", "PLN", DD_MONEY_ERROR_OVERFLOW);
}

static void
test_currency_errors (void)
{
  g_autoptr(GError) error = NULL;

  assert_error ("12,00 XYZ", "PLN", DD_MONEY_ERROR_UNKNOWN_CURRENCY);
  assert_error ("ABC 12,00", NULL, DD_MONEY_ERROR_UNKNOWN_CURRENCY);
  assert_error ("¥12", NULL, DD_MONEY_ERROR_UNKNOWN_CURRENCY);
  assert_error ("12,00", "XYZ", DD_MONEY_ERROR_UNKNOWN_CURRENCY);
  assert_error ("12,00", NULL, DD_MONEY_ERROR_NO_CURRENCY);
  assert_error ("PLN 12,00 €", NULL, DD_MONEY_ERROR_CURRENCY_MISMATCH);
  assert_error ("$12,00 zł", NULL, DD_MONEY_ERROR_CURRENCY_MISMATCH);

  g_assert_false (dd_money_parse ("12,00 XYZ", NULL, NULL, NULL, NULL, &error));
  g_assert_cmpstr (error->message, ==, "The currency “XYZ” is not known");
}

static void
test_format (void)
{
  static const struct {
    gint64 minor; const char *currency; const char *language; const char *text;
  } cases[] = {
    { 123456, "PLN", "pl", "1\u00a0234,56\u00a0zł" },
    { 123456, "RUB", "ru", "1\u00a0234,56\u00a0₽" },
    { 123456, "PLN", "en", "PLN\u00a01,234.56" },
    { 123456, "USD", "en", "$1,234.56" },
    { 123456, "EUR", "pl", "1\u00a0234,56\u00a0€" },
    { 123456, "USD", "pl", "1\u00a0234,56\u00a0USD" },
    { 123456, "USD", "ru", "1\u00a0234,56\u00a0$" },
    { -123456, "PLN", "pl", "-1\u00a0234,56\u00a0zł" },
    { -123456, "PLN", "en", "-PLN\u00a01,234.56" },
    { -5, "PLN", "pl", "-0,05\u00a0zł" },
    { 0, "RUB", "ru", "0,00\u00a0₽" },
    { 100, "PLN", "pl", "1,00\u00a0zł" },
    { 99999, "PLN", "pl", "999,99\u00a0zł" },
    { 100000000, "PLN", "pl", "1\u00a0000\u00a0000,00\u00a0zł" },
    { 1234, "JPY", "en", "JPY\u00a01,234" },
    { 1234567, "KWD", "en", "KWD\u00a01,234.567" },
    { 123456, "PLN", "pl_PL.UTF-8", "1\u00a0234,56\u00a0zł" },
    { 123456, "PLN", "de", "PLN\u00a01,234.56" },
    { 123456, "PLN", NULL, "PLN\u00a01,234.56" },
    { 123456, "pln", "pl", "1\u00a0234,56\u00a0zł" },
    { G_MAXINT64, "PLN", "en", "PLN\u00a092,233,720,368,547,758.07" },
    { G_MININT64, "PLN", "pl",
      "-92\u00a0233\u00a0720\u00a0368\u00a0547\u00a0758,08\u00a0zł" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = dd_money_format (cases[i].minor, cases[i].currency,
                                               cases[i].language);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_round_trip (void)
{
  static const char *currencies[] = { "PLN", "RUB", "EUR", "USD", "GBP", "CHF", "JPY", "KWD" };
  static const char *languages[] = { "pl", "ru", "en" };
  static const gint64 amounts[] = {
    0, 1, -1, 5, 99, 100, 1000, 12345, 123456, 1000000, -1234567, 999999999,
    G_MAXINT64, G_MININT64, G_MAXINT64 - 1, G_MININT64 + 1,
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (gsize c = 0; c < G_N_ELEMENTS (currencies); c++)
    for (gsize l = 0; l < G_N_ELEMENTS (languages); l++)
      for (gsize a = 0; a < G_N_ELEMENTS (amounts) + 200; a++)
        {
          g_autofree char *text = NULL;
          g_autoptr(GError) error = NULL;
          gint64 amount = amounts[a % G_N_ELEMENTS (amounts)];
          gint64 minor;
          char currency[4];

          if (a >= G_N_ELEMENTS (amounts))
            {
              /* random magnitudes from 1 to 2^63 - 1, either sign */
              guint64 bits = (guint64) g_rand_int (rand) << 32 | g_rand_int (rand);

              amount = (gint64) ((bits >> 1) >> g_rand_int_range (rand, 0, 63));
              if (a % 2 == 1)
                amount = -amount;
            }

          text = dd_money_format (amount, currencies[c], languages[l]);

          if (!dd_money_parse (text, NULL, &minor, currency, NULL, &error))
            g_error ("“%s” does not parse back: %s", text, error->message);
          g_assert_cmpint (minor, ==, amount);
          g_assert_cmpstr (currency, ==, currencies[c]);
        }
}

static void
test_digits (void)
{
  g_assert_cmpuint (dd_money_currency_digits ("PLN"), ==, 2);
  g_assert_cmpuint (dd_money_currency_digits ("RUB"), ==, 2);
  g_assert_cmpuint (dd_money_currency_digits ("eur"), ==, 2);
  g_assert_cmpuint (dd_money_currency_digits ("JPY"), ==, 0);
  g_assert_cmpuint (dd_money_currency_digits ("KWD"), ==, 3);
  g_assert_cmpuint (dd_money_currency_digits ("XYZ"), ==, 2);
  g_assert_cmpuint (dd_money_currency_digits (NULL), ==, 2);

  g_assert_true (dd_money_currency_is_known ("PLN"));
  g_assert_true (dd_money_currency_is_known ("rub"));
  g_assert_false (dd_money_currency_is_known ("XYZ"));
  g_assert_false (dd_money_currency_is_known ("zł"));
  g_assert_false (dd_money_currency_is_known (""));
  g_assert_false (dd_money_currency_is_known (NULL));
}

static void
test_optional_outputs (void)
{
  gint64 minor = 0;

  g_assert_true (dd_money_parse ("1 234,56 zł", NULL, NULL, NULL, NULL, NULL));
  g_assert_true (dd_money_parse ("1 234,56 zł", NULL, &minor, NULL, NULL, NULL));
  g_assert_cmpint (minor, ==, 123456);
  g_assert_false (dd_money_parse ("nic", "PLN", NULL, NULL, NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/money/parse/local-formats", test_local_formats);
  g_test_add_func ("/dd/money/parse/separators", test_separators);
  g_test_add_func ("/dd/money/parse/currencies", test_currencies);
  g_test_add_func ("/dd/money/parse/negative", test_negative);
  g_test_add_func ("/dd/money/parse/ambiguous", test_ambiguous);
  g_test_add_func ("/dd/money/parse/errors", test_errors);
  g_test_add_func ("/dd/money/parse/decimals", test_decimals);
  g_test_add_func ("/dd/money/parse/overflow", test_overflow);
  g_test_add_func ("/dd/money/parse/currency-errors", test_currency_errors);
  g_test_add_func ("/dd/money/parse/optional-outputs", test_optional_outputs);
  g_test_add_func ("/dd/money/format", test_format);
  g_test_add_func ("/dd/money/round-trip", test_round_trip);
  g_test_add_func ("/dd/money/currency-digits", test_digits);

  return g_test_run ();
}
