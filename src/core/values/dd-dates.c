/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "dd-dates"

#include "config.h"

#include "dd-dates.h"

#include "dd-text-scan.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* Dates as Polish and Russian accounting exports write them.
 *
 * Accepted: day first "31.12.2024", "1.5.2024", "31/12/2024", "31-12-2024"; year first
 * "2024-12-31", "2024.12.31", "2024/12/31"; the same separator twice; the month by its name
 * in English, Polish or Russian, whole, cut short or in the genitive, as spreadsheets and
 * letters write it: "3-Oct-2026", "03 Oct 2026", "3 października 2026 r.", "3 окт. 2026 г.",
 * "3 октября 2026". After the date: an
 * optional "г." (год) or "r." (roku), then an optional time that is checked and dropped
 * ("2024-05-01 00:00:00", "2024-05-01T13:45:00.000+03:00", "01.05.2024 9:30"). The date is
 * taken as written: a time zone does not move it to another day.
 *
 * Refused: two-digit years ("01.05.24": the century cannot be guessed), days that do not
 * exist ("31.02.2024", "2024-13-01"), anything else.
 *
 * Pure functions: thread-safe, no allocation on success.
 */

G_DEFINE_QUARK (dd-date-error-quark, dd_date_error)

/* Reads up to 9 digits. Returns how many were read. */
static guint
read_number (const char **p,
             guint       *value)
{
  guint n = 0;

  *value = 0;
  while (g_ascii_isdigit (**p) && n < 9)
    {
      *value = *value * 10 + (guint) (**p - '0');
      (*p)++;
      n++;
    }
  return n;
}

/* Reads exactly two digits. */
static gboolean
read_two (const char **p,
          guint       *value)
{
  if (!g_ascii_isdigit ((*p)[0]) || !g_ascii_isdigit ((*p)[1]))
    return FALSE;
  *value = (guint) ((*p)[0] - '0') * 10 + (guint) ((*p)[1] - '0');
  *p += 2;
  return TRUE;
}

/* "г.", "г", "Г.", "r.", "r", "R." after the year. */
static const char *
skip_year_word (const char *p)
{
  const char *q = dd_text_skip_blanks (p);

  if (strncmp (q, "г", strlen ("г")) == 0 || strncmp (q, "Г", strlen ("Г")) == 0)
    q += strlen ("г");
  else if (*q == 'r' || *q == 'R')
    q++;
  else
    return p;

  /* not the start of a longer word */
  if (*q == '.')
    return q + 1;
  if (*q == '\0' || dd_text_blank_len (q) > 0)
    return q;
  return p;
}

/* A time after the date: H:MM, HH:MM:SS, fractions of a second, "Z" or a UTC offset. */
static gboolean
is_time (const char *p)
{
  guint hour, minute, second = 0, len;

  len = read_number (&p, &hour);
  if (len < 1 || len > 2 || hour > 23 || *p++ != ':' || !read_two (&p, &minute) || minute > 59)
    return FALSE;

  if (*p == ':')
    {
      p++;
      if (!read_two (&p, &second) || second > 60)
        return FALSE;
      if (*p == '.' || *p == ',')
        {
          p++;
          if (!g_ascii_isdigit (*p))
            return FALSE;
          while (g_ascii_isdigit (*p))
            p++;
        }
    }

  p = dd_text_skip_blanks (p);
  if (*p == 'Z')
    p++;
  else if (*p == '+' || *p == '-')
    {
      guint offset_h, offset_m;

      p++;
      if (!read_two (&p, &offset_h) || offset_h > 14)
        return FALSE;
      if (*p == ':')
        p++;
      if (g_ascii_isdigit (*p) && (!read_two (&p, &offset_m) || offset_m > 59))
        return FALSE;
    }

  return *dd_text_skip_blanks (p) == '\0';
}

/* The names of the months as exports write them, casefolded: a word names a month when it is
 * one of these or, three letters or more, the start of one. */
static const char * const month_names[12][6] = {
  { "january", "stycznia", "styczeń", "января", "январь", NULL },
  { "february", "lutego", "luty", "февраля", "февраль", NULL },
  { "march", "marca", "marzec", "марта", "март", NULL },
  { "april", "kwietnia", "kwiecień", "апреля", "апрель", NULL },
  { "may", "maja", "maj", "мая", "май", NULL },
  { "june", "czerwca", "czerwiec", "июня", "июнь", NULL },
  { "july", "lipca", "lipiec", "июля", "июль", NULL },
  { "august", "sierpnia", "sierpień", "августа", "август", NULL },
  { "september", "września", "wrzesień", "сентября", "сентябрь", NULL },
  { "october", "października", "październik", "октября", "октябрь", NULL },
  { "november", "listopada", "listopad", "ноября", "ноябрь", NULL },
  { "december", "grudnia", "grudzień", "декабря", "декабрь", NULL },
};

/* Reads a month's name at *@p (letters); 1..12, or 0 with *@p as it was when the word names
 * no month. */
static guint
read_month_name (const char **p)
{
  const char *q = *p;
  g_autofree char *word = NULL;
  gsize n_chars = 0;

  while (*q != '\0' && g_unichar_isalpha (g_utf8_get_char (q)))
    {
      q = g_utf8_next_char (q);
      n_chars++;
    }
  if (n_chars < 3)
    return 0;
  word = g_utf8_casefold (*p, q - *p);
  for (guint m = 0; m < 12; m++)
    for (guint i = 0; month_names[m][i] != NULL; i++)
      if (g_str_has_prefix (month_names[m][i], word))
        {
          *p = q;
          return m + 1;
        }
  return 0;
}

/* "3-Oct-2026", "3 października 2026", "3 окт. 2026": the day @day has been read, *@p is on
 * the separator after it. Fills the month and year and moves *@p past the year. */
static gboolean
read_named_month (const char **p,
                  guint       *out_month,
                  guint       *out_year,
                  guint       *out_n_year)
{
  const char *q = *p;
  char sep = *q;

  if (sep != '-' && sep != ' ' && sep != '.' && sep != '/')
    return FALSE;
  q = sep == ' ' ? dd_text_skip_blanks (q) : q + 1;
  *out_month = read_month_name (&q);
  if (*out_month == 0)
    return FALSE;
  /* the dot of a short name ("окт.", "lut.") or the separator itself ("1.Jan.2026") */
  if (*q == '.')
    q++;
  if (sep == ' ' || *q == ' ')
    q = dd_text_skip_blanks (q);
  else if (*q == sep)
    q++;
  else if (sep != '.' || q[-1] != '.')
    return FALSE;
  *out_n_year = read_number (&q, out_year);
  if (*out_n_year == 0 || g_ascii_isdigit (*q))
    return FALSE;
  *p = q;
  return TRUE;
}

static gboolean
set_invalid (GError **error)
{
  g_set_error_literal (error, DD_DATE_ERROR, DD_DATE_ERROR_INVALID,
                       _("This is not a date: write it as 31.12.2024 or 2024-12-31"));
  return FALSE;
}

/**
 * dd_date_parse:
 * @text: (nullable): a date as an export writes it (see the top of dd-dates.c); NULL counts
 *   as empty
 * @out_date: (out caller-allocates) (optional): the date; cleared (invalid) on failure
 * @error: a #DD_DATE_ERROR
 *
 * Returns: TRUE on success
 */
gboolean
dd_date_parse (const char  *text,
               GDate       *out_date,
               GError     **error)
{
  const char *p;
  guint first, second, third;
  guint n_first, n_second, n_third;
  guint day, month, year;
  char sep;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_date != NULL)
    g_date_clear (out_date, 1);

  p = dd_text_skip_blanks (text != NULL ? text : "");
  if (*p == '\0')
    {
      g_set_error_literal (error, DD_DATE_ERROR, DD_DATE_ERROR_EMPTY, _("The date is empty"));
      return FALSE;
    }

  n_first = read_number (&p, &first);
  sep = *p;
  if (n_first >= 1 && n_first <= 2 && read_named_month (&p, &second, &third, &n_third))
    n_second = 2;   /* day, month by name, year */
  else
    {
      if (n_first == 0 || (sep != '.' && sep != '-' && sep != '/'))
        return set_invalid (error);
      p++;
      n_second = read_number (&p, &second);
      if (n_second == 0 || *p != sep)
        return set_invalid (error);
      p++;
      n_third = read_number (&p, &third);
      if (n_third == 0 || g_ascii_isdigit (*p))
        return set_invalid (error);
    }

  /* What follows the date: nothing, "г."/"r.", a time. */
  p = skip_year_word (p);
  if (*p == 'T')
    {
      if (!is_time (p + 1))
        return set_invalid (error);
    }
  else if (*dd_text_skip_blanks (p) != '\0')
    {
      if (dd_text_blank_len (p) == 0 || !is_time (dd_text_skip_blanks (p)))
        return set_invalid (error);
    }

  if (n_first == 4 && n_second <= 2 && n_third <= 2)
    {
      year = first;
      month = second;
      day = third;
    }
  else if (n_first <= 2 && n_second <= 2 && n_third == 4)
    {
      day = first;
      month = second;
      year = third;
    }
  else if (n_first <= 2 && n_second <= 2 && n_third == 2)
    {
      g_set_error_literal (error, DD_DATE_ERROR, DD_DATE_ERROR_TWO_DIGIT_YEAR,
                           _("The year has only two digits: write all four, as in 2024"));
      return FALSE;
    }
  else
    return set_invalid (error);

  if (month < 1 || month > 12)
    {
      g_set_error (error, DD_DATE_ERROR, DD_DATE_ERROR_IMPOSSIBLE,
                   _("This date does not exist: there is no month %u"), month);
      return FALSE;
    }
  if (year < 1)
    {
      g_set_error_literal (error, DD_DATE_ERROR, DD_DATE_ERROR_IMPOSSIBLE,
                           _("This date does not exist: there is no year 0"));
      return FALSE;
    }
  if (day < 1 || day > g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year))
    {
      guint8 days = g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year);

      g_set_error (error, DD_DATE_ERROR, DD_DATE_ERROR_IMPOSSIBLE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "This date does not exist: that month has only %u day",
                                "This date does not exist: that month has only %u days",
                                days),
                   (guint) days);
      return FALSE;
    }

  if (out_date != NULL)
    g_date_set_dmy (out_date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);

  return TRUE;
}

/**
 * dd_date_to_iso:
 * @date: a valid date
 *
 * Returns: (transfer full): "2024-05-01"
 */
char *
dd_date_to_iso (const GDate *date)
{
  guint year, month, day;
  char *iso;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  year = g_date_get_year (date);
  month = g_date_get_month (date);
  day = g_date_get_day (date);

  if (year > 9999)
    return g_strdup_printf ("%u-%02u-%02u", year, month, day);

  /* By hand: g_strdup_printf() would be most of the cost of an import's dates. */
  iso = g_malloc (11);
  iso[0] = '0' + year / 1000 % 10;
  iso[1] = '0' + year / 100 % 10;
  iso[2] = '0' + year / 10 % 10;
  iso[3] = '0' + year % 10;
  iso[4] = '-';
  iso[5] = '0' + month / 10;
  iso[6] = '0' + month % 10;
  iso[7] = '-';
  iso[8] = '0' + day / 10;
  iso[9] = '0' + day % 10;
  iso[10] = '\0';
  return iso;
}

/**
 * dd_date_from_iso:
 * @iso: (nullable): exactly "YYYY-MM-DD", as dd_date_to_iso() writes it
 * @out_date: (out caller-allocates) (optional): the date; cleared (invalid) on failure
 *
 * The strict reader for dates this program stored itself.
 *
 * Returns: FALSE when @iso is not a valid date in exactly that form
 */
gboolean
dd_date_from_iso (const char *iso,
                  GDate      *out_date)
{
  guint year = 0, month, day;

  if (out_date != NULL)
    g_date_clear (out_date, 1);

  if (iso == NULL || strlen (iso) != 10 || iso[4] != '-' || iso[7] != '-')
    return FALSE;

  for (guint i = 0; i < 4; i++)
    {
      if (!g_ascii_isdigit (iso[i]))
        return FALSE;
      year = year * 10 + (guint) (iso[i] - '0');
    }
  iso += 5;
  if (!read_two (&iso, &month))
    return FALSE;
  iso++;
  if (!read_two (&iso, &day))
    return FALSE;

  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;

  if (out_date != NULL)
    g_date_set_dmy (out_date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}
