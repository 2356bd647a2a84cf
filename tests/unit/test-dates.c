/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-dates"

#include "config.h"

#include "dd-dates.h"

#include <glib.h>

typedef struct
{
  const char *text;
  guint       year;
  guint       month;
  guint       day;
} Case;

static void
check_cases (const Case *cases,
             gsize       n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autoptr(GError) error = NULL;
      GDate date;

      g_test_message ("'%s'", cases[i].text);
      g_assert_true (dd_date_parse (cases[i].text, &date, &error));
      g_assert_no_error (error);
      g_assert_true (g_date_valid (&date));
      g_assert_cmpuint (g_date_get_year (&date), ==, cases[i].year);
      g_assert_cmpuint (g_date_get_month (&date), ==, cases[i].month);
      g_assert_cmpuint (g_date_get_day (&date), ==, cases[i].day);
    }
}

static void
test_formats (void)
{
  static const Case cases[] = {
    { "01.05.2024", 2024, 5, 1 },
    { "1.5.2024", 2024, 5, 1 },
    { "31.12.2024", 2024, 12, 31 },
    { "2024-05-01", 2024, 5, 1 },
    { "2024-5-1", 2024, 5, 1 },
    { "01/05/2024", 2024, 5, 1 },                /* day first, never month first */
    { "13/05/2024", 2024, 5, 13 },
    { "01-05-2024", 2024, 5, 1 },
    { "2024.05.01", 2024, 5, 1 },
    { "2024/05/01", 2024, 5, 1 },
    { "2024-05-01 00:00:00", 2024, 5, 1 },
    { "2024-05-01T00:00:00", 2024, 5, 1 },
    { "2024-05-01T23:59:59.999", 2024, 5, 1 },
    { "2024-05-01T23:30:00Z", 2024, 5, 1 },
    { "2024-05-01T23:30:00+03:00", 2024, 5, 1 },   /* the date as written, not moved */
    { "2024-05-01T01:30:00-0500", 2024, 5, 1 },
    { "2024-05-01 13:45", 2024, 5, 1 },
    { "01.05.2024 9:30", 2024, 5, 1 },
    { "01.05.2024 0:00:00", 2024, 5, 1 },
    { "01.05.2024 г.", 2024, 5, 1 },
    { "01.05.2024г.", 2024, 5, 1 },
    { "01.05.2024 г", 2024, 5, 1 },
    { "01.05.2024 r.", 2024, 5, 1 },
    { "01.05.2024 г. 10:00", 2024, 5, 1 },
    { "  01.05.2024  ", 2024, 5, 1 },
    { "\u00a001.05.2024\t", 2024, 5, 1 },
    { "29.02.2024", 2024, 2, 29 },               /* leap year */
    { "29.02.2000", 2000, 2, 29 },
    { "01.01.1900", 1900, 1, 1 },
    { "31.12.9999", 9999, 12, 31 },
    /* the month by its name, as spreadsheets and letters write it */
    { "3-Oct-2026", 2026, 10, 3 },
    { "03-oct-2026", 2026, 10, 3 },
    { "03 Oct 2026", 2026, 10, 3 },
    { "3 October 2026", 2026, 10, 3 },
    { "15-Sept-2026", 2026, 9, 15 },
    { "1 maja 2026 r.", 2026, 5, 1 },
    { "3 października 2026", 2026, 10, 3 },
    { "3 PAŹ 2026", 2026, 10, 3 },
    { "28 lut. 2026", 2026, 2, 28 },
    { "3 окт. 2026 г.", 2026, 10, 3 },
    { "3 октября 2026 г.", 2026, 10, 3 },
    { "31 декабря 2026", 2026, 12, 31 },
    { "1 мая 2026", 2026, 5, 1 },
    { "1.Jan.2026", 2026, 1, 1 },
    { "3-Oct-2026 00:00:00", 2026, 10, 3 },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

typedef struct
{
  const char  *text;
  DdDateError  code;
} ErrorCase;

static void
test_errors (void)
{
  static const ErrorCase cases[] = {
    { "", DD_DATE_ERROR_EMPTY },
    { NULL, DD_DATE_ERROR_EMPTY },
    { "   ", DD_DATE_ERROR_EMPTY },
    { "\u00a0", DD_DATE_ERROR_EMPTY },
    { "01.05.24", DD_DATE_ERROR_TWO_DIGIT_YEAR },
    { "1.5.24", DD_DATE_ERROR_TWO_DIGIT_YEAR },
    { "01/05/24", DD_DATE_ERROR_TWO_DIGIT_YEAR },
    { "24-05-01", DD_DATE_ERROR_TWO_DIGIT_YEAR },
    { "31.02.2024", DD_DATE_ERROR_IMPOSSIBLE },
    { "30.02.2024", DD_DATE_ERROR_IMPOSSIBLE },
    { "29.02.2023", DD_DATE_ERROR_IMPOSSIBLE },   /* not a leap year */
    { "29.02.1900", DD_DATE_ERROR_IMPOSSIBLE },   /* nor is 1900 */
    { "31.04.2024", DD_DATE_ERROR_IMPOSSIBLE },
    { "00.05.2024", DD_DATE_ERROR_IMPOSSIBLE },
    { "01.00.2024", DD_DATE_ERROR_IMPOSSIBLE },
    { "01.13.2024", DD_DATE_ERROR_IMPOSSIBLE },
    { "05/13/2024", DD_DATE_ERROR_IMPOSSIBLE },   /* month first is not accepted */
    { "2024-13-01", DD_DATE_ERROR_IMPOSSIBLE },
    { "2024-02-30", DD_DATE_ERROR_IMPOSSIBLE },
    { "0000-00-00", DD_DATE_ERROR_IMPOSSIBLE },   /* MySQL's zero date */
    { "0000-01-01", DD_DATE_ERROR_IMPOSSIBLE },
    { "abc", DD_DATE_ERROR_INVALID },
    { "brak", DD_DATE_ERROR_INVALID },
    { "2024", DD_DATE_ERROR_INVALID },
    { "01.05", DD_DATE_ERROR_INVALID },
    { "01.05.", DD_DATE_ERROR_INVALID },
    { "01.05-2024", DD_DATE_ERROR_INVALID },      /* two different separators */
    { "01 05 2024", DD_DATE_ERROR_INVALID },
    { "01.05.20245", DD_DATE_ERROR_INVALID },
    { "001.05.2024", DD_DATE_ERROR_INVALID },
    { "01.005.2024", DD_DATE_ERROR_INVALID },
    { "2024-05-001", DD_DATE_ERROR_INVALID },
    { "01.05.2024 abc", DD_DATE_ERROR_INVALID },
    { "01.05.2024x", DD_DATE_ERROR_INVALID },
    { "01.05.2024 rok", DD_DATE_ERROR_INVALID },
    { "2024-05-01T", DD_DATE_ERROR_INVALID },
    { "2024-05-01T25:00:00", DD_DATE_ERROR_INVALID },
    { "2024-05-01 12:60", DD_DATE_ERROR_INVALID },
    { "2024-05-01 12", DD_DATE_ERROR_INVALID },
    { "2024-05-01T12:00:00+3", DD_DATE_ERROR_INVALID },
    { "45413", DD_DATE_ERROR_INVALID },           /* an Excel serial number */
    { "20240501", DD_DATE_ERROR_INVALID },
    { "-01.05.2024", DD_DATE_ERROR_INVALID },
    { "1.5.2024.", DD_DATE_ERROR_INVALID },
    { "2024-05-01\xff", DD_DATE_ERROR_INVALID },
    { "3-Xyz-2026", DD_DATE_ERROR_INVALID },      /* no month by that name */
    { "3 ma 2026", DD_DATE_ERROR_INVALID },       /* too short to tell */
    { "3-Oct-26", DD_DATE_ERROR_TWO_DIGIT_YEAR },
    { "31-Feb-2026", DD_DATE_ERROR_IMPOSSIBLE },
    { "3-Oct/2026", DD_DATE_ERROR_INVALID },      /* two different separators */
    { "Oct 2026", DD_DATE_ERROR_INVALID },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      GDate date;

      g_autofree char *shown = cases[i].text ? g_strescape (cases[i].text, NULL) : g_strdup ("(null)");

      g_date_set_dmy (&date, 1, 1, 2000);
      g_test_message ("'%s'", shown);
      g_assert_false (dd_date_parse (cases[i].text, &date, &error));
      g_assert_error (error, DD_DATE_ERROR, (gint) cases[i].code);
      g_assert_cmpstr (error->message, !=, "");
      g_assert_false (g_date_valid (&date));
    }
}

static void
test_messages (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (dd_date_parse ("31.02.2024", NULL, &error));
  g_assert_cmpstr (error->message, ==, "This date does not exist: that month has only 29 days");
  g_clear_error (&error);

  g_assert_false (dd_date_parse ("01.13.2024", NULL, &error));
  g_assert_cmpstr (error->message, ==, "This date does not exist: there is no month 13");
  g_clear_error (&error);

  g_assert_false (dd_date_parse ("01.05.24", NULL, &error));
  g_assert_cmpstr (error->message, ==,
                   "The year has only two digits: write all four, as in 2024");
}

static void
test_iso (void)
{
  static const char *valid[] = {
    "2024-05-01", "2024-02-29", "0001-01-01", "9999-12-31", "1999-12-31",
  };
  static const char *invalid[] = {
    NULL, "", "2024-5-1", "2024-05-01 ", " 2024-05-01", "2024/05/01", "01.05.2024",
    "2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "0000-01-01", "2024-05-0a",
    "20240-5-01", "2024-05-01T00:00:00",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autofree char *again = NULL;
      GDate date;

      g_assert_true (dd_date_from_iso (valid[i], &date));
      g_assert_true (g_date_valid (&date));
      again = dd_date_to_iso (&date);
      g_assert_cmpstr (again, ==, valid[i]);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      GDate date;

      g_date_set_dmy (&date, 1, 1, 2000);
      g_assert_false (dd_date_from_iso (invalid[i], &date));
      g_assert_false (g_date_valid (&date));
    }

  g_assert_true (dd_date_from_iso ("2024-05-01", NULL));
}

static void
test_to_iso (void)
{
  GDate date;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, 5, 2024);
  a = dd_date_to_iso (&date);
  g_assert_cmpstr (a, ==, "2024-05-01");

  g_date_set_dmy (&date, 9, 1, 987);
  b = dd_date_to_iso (&date);
  g_assert_cmpstr (b, ==, "0987-01-09");
}

static void
test_round_trip (void)
{
  GDate date, parsed;

  /* every day of four years (a leap year among them) through every format */
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, 1, 2023);

  for (guint i = 0; i < 4 * 366; i++)
    {
      guint d = g_date_get_day (&date), m = g_date_get_month (&date), y = g_date_get_year (&date);
      g_autofree char *iso = dd_date_to_iso (&date);
      char *forms[] = {
        g_strdup_printf ("%02u.%02u.%04u", d, m, y),
        g_strdup_printf ("%u.%u.%04u", d, m, y),
        g_strdup_printf ("%02u/%02u/%04u", d, m, y),
        g_strdup_printf ("%02u-%02u-%04u", d, m, y),
        g_strdup_printf ("%04u.%02u.%02u", y, m, d),
        g_strdup_printf ("%sT12:00:00", iso),
        g_strdup_printf ("%02u.%02u.%04u г.", d, m, y),
        g_strdup (iso),
      };

      for (gsize f = 0; f < G_N_ELEMENTS (forms); f++)
        {
          g_assert_true (dd_date_parse (forms[f], &parsed, NULL));
          g_assert_cmpint (g_date_compare (&parsed, &date), ==, 0);
          g_free (forms[f]);
        }

      g_assert_true (dd_date_from_iso (iso, &parsed));
      g_assert_cmpint (g_date_compare (&parsed, &date), ==, 0);

      g_date_add_days (&date, 1);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/dates/parse/formats", test_formats);
  g_test_add_func ("/dd/dates/parse/errors", test_errors);
  g_test_add_func ("/dd/dates/parse/messages", test_messages);
  g_test_add_func ("/dd/dates/iso", test_iso);
  g_test_add_func ("/dd/dates/to-iso", test_to_iso);
  g_test_add_func ("/dd/dates/round-trip", test_round_trip);

  return g_test_run ();
}
