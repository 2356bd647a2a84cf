/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "dd-money"

#include "config.h"

#include "dd-money.h"

#include "dd-text-scan.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* Amounts of money as Polish and Russian accounting exports write them, kept as integer minor
 * units (grosze, kopecks, cents).
 *
 * The text is: an optional "(" ... ")" meaning negative, then in any order an optional sign
 * and an optional currency before the number, the number, an optional trailing "-"
 * (SAP-style negative), an optional currency after it. The number is digits with thousands
 * separators (space, no-break space, narrow no-break space, thin space, apostrophe, "." or
 * ",") and one decimal separator ("." or ",").
 *
 * Which separator is the decimal one:
 *  - the last "." or "," is the decimal separator if it is the only one of its kind:
 *    "1.234,56", "1,234.56", "1 234,56", "1234.56", "12,5";
 *  - a "." or "," that occurs more than once groups thousands: "1.234.567";
 *  - the rule for the ambiguous case: a lone "." or "," with one to three digits before it
 *    (not just "0") and exactly three after it ("1.234", "12,345") groups thousands for
 *    currencies with fewer than three decimals (1234, 12345) and is the decimal separator
 *    for currencies with three (KWD, BHD...). The result carries DD_MONEY_PARSE_AMBIGUOUS.
 * Thousands groups are checked: one to three digits, then groups of exactly three.
 *
 * Nothing allocates on the way to a successful result; the functions keep no state and are
 * thread-safe.
 */

G_DEFINE_QUARK (dd-money-error-quark, dd_money_error)

#define MAX_RUNS       32
#define MAX_TOKEN      24

typedef struct
{
  const char *code;
  guint       digits;
} Currency;

/* ISO 4217 codes we accept, with their minor unit digits. */
static const Currency currencies[] = {
  { "AED", 2 }, { "AMD", 2 }, { "AUD", 2 }, { "AZN", 2 }, { "BGN", 2 }, { "BHD", 3 },
  { "BYN", 2 }, { "CAD", 2 }, { "CHF", 2 }, { "CLP", 0 }, { "CNY", 2 }, { "CZK", 2 },
  { "DKK", 2 }, { "EUR", 2 }, { "GBP", 2 }, { "GEL", 2 }, { "HKD", 2 }, { "HUF", 2 },
  { "ILS", 2 }, { "INR", 2 }, { "IQD", 3 }, { "ISK", 0 }, { "JOD", 3 }, { "JPY", 0 },
  { "KGS", 2 }, { "KRW", 0 }, { "KWD", 3 }, { "KZT", 2 }, { "LYD", 3 }, { "MDL", 2 },
  { "NOK", 2 }, { "NZD", 2 }, { "OMR", 3 }, { "PLN", 2 }, { "RON", 2 }, { "RSD", 2 },
  { "RUB", 2 }, { "SEK", 2 }, { "SGD", 2 }, { "TJS", 2 }, { "TND", 3 }, { "TRY", 2 },
  { "UAH", 2 }, { "USD", 2 }, { "UZS", 2 }, { "VND", 0 },
};

typedef struct
{
  const char *token;          /* lower case, without a final "." */
  const char *code;
} CurrencyWord;

/* Symbols and words, compared in lower case and without a final abbreviation dot. */
static const CurrencyWord currency_words[] = {
  { "zł", "PLN" }, { "zl", "PLN" }, { "złotych", "PLN" },
  { "₽", "RUB" }, { "руб", "RUB" }, { "р", "RUB" }, { "рублей", "RUB" }, { "rur", "RUB" },
  { "€", "EUR" }, { "euro", "EUR" }, { "евро", "EUR" },
  { "$", "USD" }, { "us$", "USD" },
  { "£", "GBP" },
  { "kč", "CZK" },
  { "₴", "UAH" }, { "грн", "UAH" },
  { "₸", "KZT" }, { "тг", "KZT" },
  { "₾", "GEL" },
};

typedef enum
{
  SEP_NONE,
  SEP_DOT,
  SEP_COMMA,
  SEP_SPACE,
  SEP_APOSTROPHE,
} SepKind;

typedef struct
{
  const char *start;
  guint       len;
} Run;

/* The three letters of a code, upper-cased, packed into an integer; 0 if not three ASCII
 * letters. */
static guint32
pack_code (const char *code)
{
  guint32 packed = 0;

  for (guint i = 0; i < 3; i++)
    {
      if (!g_ascii_isalpha (code[i]))
        return 0;
      packed = packed << 8 | (guchar) g_ascii_toupper (code[i]);
    }
  return code[3] == '\0' ? packed : 0;
}

static const Currency *
find_currency (const char *code)
{
  guint32 packed;

  if (code == NULL || (packed = pack_code (code)) == 0)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (currencies); i++)
    {
      const char *c = currencies[i].code;

      if (packed == ((guint32) (guchar) c[0] << 16 | (guint32) (guchar) c[1] << 8
                     | (guchar) c[2]))
        return &currencies[i];
    }

  return NULL;
}

/* A minus or plus sign at @p: returns its length and sets @negative. */
static guint
sign_len (const char *p,
          gboolean   *negative)
{
  const guchar *u = (const guchar *) p;

  if (u[0] == '-' || u[0] == '+')
    {
      *negative = u[0] == '-';
      return 1;
    }
  if (u[0] == 0xe2 && u[1] == 0x88 && u[2] == 0x92)   /* U+2212 MINUS SIGN */
    {
      *negative = TRUE;
      return 3;
    }
  return 0;
}

static SepKind
separator_at (const char *p,
              guint      *len)
{
  const guchar *u = (const guchar *) p;

  *len = 1;
  if (u[0] == '.')
    return SEP_DOT;
  if (u[0] == ',')
    return SEP_COMMA;
  if (u[0] == '\'')
    return SEP_APOSTROPHE;
  if ((u[0] == 0xe2 && u[1] == 0x80 && u[2] == 0x99)     /* U+2019 ’ */
      || (u[0] == 0xca && u[1] == 0xbc))                 /* U+02BC ʼ */
    {
      *len = u[0] == 0xe2 ? 3 : 2;
      return SEP_APOSTROPHE;
    }
  if ((*len = dd_text_blank_len (p)) > 0)
    return SEP_SPACE;
  return SEP_NONE;
}

/* Can this character be part of a currency symbol or word? */
static gboolean
is_token_char (const char *p)
{
  gboolean negative;
  guint len;

  return *p != '\0' && !g_ascii_isdigit (*p) && *p != '.' && *p != ',' && *p != '('
         && *p != ')' && dd_text_blank_len (p) == 0 && sign_len (p, &negative) == 0
         && separator_at (p, &len) == SEP_NONE;
}

/* Looks a currency symbol, word or code up. Returns the ISO code, or NULL. */
static const char *
lookup_currency_token (const char *token,
                       gsize       len)
{
  char folded[MAX_TOKEN * 2 + 8];
  char *out = folded;
  const char *p = token;
  const char *end = token + len;
  const Currency *currency;

  if (len == 0 || len > MAX_TOKEN)
    return NULL;

  /* A final abbreviation dot: "руб.", "р.", "zł." */
  if (end[-1] == '.')
    end--;

  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        return NULL;
      out += g_unichar_to_utf8 (g_unichar_tolower (c), out);
      p = g_utf8_next_char (p);
    }
  *out = '\0';

  for (guint i = 0; i < G_N_ELEMENTS (currency_words); i++)
    if (strcmp (folded, currency_words[i].token) == 0)
      return currency_words[i].code;

  if (end == token + len && (currency = find_currency (folded)) != NULL)
    return currency->code;

  return NULL;
}

/* An unknown currency is reported as such when it looks like one: three capital letters
 * ("XYZ") or a single currency sign ("¥"). Other words make the text "not an amount". */
static gboolean
set_currency_error (GError     **error,
                    const char  *token,
                    gsize        len)
{
  g_autofree char *copy = g_strndup (token, len);
  gboolean code_like = len == 3;

  for (gsize i = 0; i < len; i++)
    code_like = code_like && g_ascii_isupper (token[i]);

  if (!code_like && g_utf8_validate (copy, -1, NULL) && g_utf8_strlen (copy, -1) == 1
      && g_unichar_type (g_utf8_get_char (copy)) == G_UNICODE_CURRENCY_SYMBOL)
    code_like = TRUE;

  if (code_like)
    g_set_error (error, DD_MONEY_ERROR, DD_MONEY_ERROR_UNKNOWN_CURRENCY,
                 _("The currency “%s” is not known"), copy);
  else
    g_set_error_literal (error, DD_MONEY_ERROR, DD_MONEY_ERROR_INVALID,
                         _("This is not an amount of money"));
  return FALSE;
}

static gboolean
set_invalid (GError **error)
{
  g_set_error_literal (error, DD_MONEY_ERROR, DD_MONEY_ERROR_INVALID,
                       _("This is not an amount of money"));
  return FALSE;
}

static gboolean
set_overflow (GError **error)
{
  g_set_error_literal (error, DD_MONEY_ERROR, DD_MONEY_ERROR_OVERFLOW,
                       _("The amount is too large"));
  return FALSE;
}

static gboolean
accumulate (guint64    *value,
            const Run  *run)
{
  for (guint i = 0; i < run->len; i++)
    {
      guint d = run->start[i] - '0';

      if (*value > (G_MAXUINT64 - d) / 10)
        return FALSE;
      *value = *value * 10 + d;
    }
  return TRUE;
}

/* Parses the number between @p and @end into minor units of a currency with @digits
 * decimals. */
static gboolean
parse_number (const char         *p,
              const char         *end,
              guint               digits,
              const char         *code,
              guint64            *out_magnitude,
              DdMoneyParseFlags  *flags,
              GError            **error)
{
  Run runs[MAX_RUNS];
  SepKind seps[MAX_RUNS];
  guint n_runs = 0;
  SepKind leading = SEP_NONE;
  gboolean want_digit = TRUE;
  gboolean has_decimal = FALSE;
  guint n_int_runs;
  SepKind group_sep = SEP_NONE;
  guint64 value = 0;
  guint64 fraction = 0;
  guint len;

  while (p < end)
    {
      if (g_ascii_isdigit (*p))
        {
          if (n_runs == MAX_RUNS)
            return set_invalid (error);
          runs[n_runs].start = p;
          while (p < end && g_ascii_isdigit (*p))
            p++;
          runs[n_runs].len = (guint) (p - runs[n_runs].start);
          seps[n_runs] = SEP_NONE;
          n_runs++;
          want_digit = FALSE;
          continue;
        }

      {
        SepKind sep = separator_at (p, &len);

        if (sep == SEP_NONE || want_digit)
          {
            /* ".50": a decimal separator before any digit */
            if (n_runs == 0 && leading == SEP_NONE && (sep == SEP_DOT || sep == SEP_COMMA))
              leading = sep;
            else
              return set_invalid (error);
          }
        else
          seps[n_runs - 1] = sep;
        want_digit = TRUE;
        p += len;
      }
    }

  if (want_digit || n_runs == 0)
    return set_invalid (error);

  if (leading != SEP_NONE)
    {
      if (n_runs != 1)
        return set_invalid (error);
      has_decimal = TRUE;
    }
  else if (n_runs > 1)
    {
      SepKind last = seps[n_runs - 2];
      guint n_last = 0;

      for (guint i = 0; i + 1 < n_runs; i++)
        n_last += seps[i] == last;

      if ((last == SEP_DOT || last == SEP_COMMA) && n_last == 1)
        {
          if (n_runs == 2 && runs[1].len == 3 && runs[0].len <= 3
              && !(runs[0].len == 1 && runs[0].start[0] == '0'))
            {
              *flags |= DD_MONEY_PARSE_AMBIGUOUS;
              has_decimal = digits >= 3;
            }
          else
            has_decimal = TRUE;
        }
    }

  /* Thousands groups: all the same separator, 1-3 digits then groups of 3. */
  n_int_runs = has_decimal && leading == SEP_NONE ? n_runs - 1 : n_runs;
  if (leading != SEP_NONE)
    n_int_runs = 0;
  if (n_int_runs > 1)
    {
      group_sep = seps[0];
      if (runs[0].len > 3)
        return set_invalid (error);
      for (guint i = 1; i < n_int_runs; i++)
        if (seps[i - 1] != group_sep || runs[i].len != 3)
          return set_invalid (error);
      if (has_decimal && seps[n_int_runs - 1] == group_sep)
        return set_invalid (error);
    }

  for (guint i = 0; i < n_int_runs; i++)
    if (!accumulate (&value, &runs[i]))
      return set_overflow (error);

  if (has_decimal)
    {
      const Run *frac = &runs[n_runs - 1];

      if (frac->len > digits)
        {
          if (digits == 0)
            g_set_error (error, DD_MONEY_ERROR, DD_MONEY_ERROR_TOO_MANY_DECIMALS,
                         _("Amounts in %s have no decimal places"), code);
          else
            g_set_error (error, DD_MONEY_ERROR, DD_MONEY_ERROR_TOO_MANY_DECIMALS,
                         _("The amount has too many decimal places: %s has %u"),
                         code, digits);
          return FALSE;
        }
      if (!accumulate (&fraction, frac))
        return set_overflow (error);
      for (guint i = frac->len; i < digits; i++)
        fraction *= 10;
    }

  for (guint i = 0; i < digits; i++)
    {
      if (value > G_MAXUINT64 / 10)
        return set_overflow (error);
      value *= 10;
    }
  if (value > G_MAXUINT64 - fraction)
    return set_overflow (error);

  *out_magnitude = value + fraction;
  return TRUE;
}

/* An amount's text between its blanks, and what its edges said: sign, currencies. */
typedef struct
{
  const char *p;
  const char *end;
  gboolean    negative;
  gboolean    has_sign;
  const char *prefix_code;
  const char *suffix_code;
} AmountText;

/* Accounting negative: "(1 234,56)". */
static void
strip_parentheses (AmountText *a)
{
  if (*a->p == '(' && a->end[-1] == ')')
    {
      a->negative = a->has_sign = TRUE;
      a->p++;
      a->end--;
      dd_text_trim_blanks (&a->p, &a->end);
    }
}

/* Sign and currency before the number, in either order. */
static gboolean
strip_prefix (AmountText  *a,
              GError     **error)
{
  guint len;

  for (guint round = 0; round < 2 && a->p < a->end; round++)
    {
      gboolean minus = FALSE;

      if ((len = sign_len (a->p, &minus)) > 0)
        {
          if (a->has_sign)
            return set_invalid (error);
          a->has_sign = TRUE;
          a->negative = minus;
          a->p += len;
        }
      else if (a->prefix_code == NULL && is_token_char (a->p))
        {
          const char *start = a->p;

          while (a->p < a->end && is_token_char (a->p))
            a->p = g_utf8_next_char (a->p);
          a->prefix_code = lookup_currency_token (start, a->p - start);
          if (a->prefix_code == NULL)
            return set_currency_error (error, start, a->p - start);
        }
      else
        break;

      a->p = dd_text_skip_blanks (a->p);
    }
  return TRUE;
}

/* Currency after the number (symbols and words, with an optional final dot), then SAP's
 * trailing minus: "1.234,56-". */
static gboolean
strip_suffix (AmountText  *a,
              GError     **error)
{
  guint len;

  if (a->end > a->p)
    {
      const char *token_end = a->end;
      const char *q = a->end;

      if (q[-1] == '.')
        q--;
      while (q > a->p && is_token_char (g_utf8_find_prev_char (a->p, q)))
        q = g_utf8_find_prev_char (a->p, q);

      if (q < token_end && !(q == token_end - 1 && *q == '.'))
        {
          a->suffix_code = lookup_currency_token (q, token_end - q);
          if (a->suffix_code == NULL)
            return set_currency_error (error, q, token_end - q);
          a->end = q;
          while (a->end > a->p && (len = dd_text_blank_len_before (a->p, a->end)) > 0)
            a->end -= len;
        }
    }

  if (a->end > a->p && a->end[-1] == '-' && !a->has_sign)
    {
      a->negative = a->has_sign = TRUE;
      a->end--;
    }
  return TRUE;
}

/* The currency the amount names, or the default one (flagged). */
static const Currency *
resolve_currency (const AmountText   *a,
                  const char         *default_currency,
                  DdMoneyParseFlags  *flags,
                  GError            **error)
{
  const Currency *currency;
  const char *code;

  if (a->prefix_code != NULL && a->suffix_code != NULL
      && strcmp (a->prefix_code, a->suffix_code) != 0)
    {
      g_set_error (error, DD_MONEY_ERROR, DD_MONEY_ERROR_CURRENCY_MISMATCH,
                   _("The amount names two different currencies, %s and %s"),
                   a->prefix_code, a->suffix_code);
      return NULL;
    }

  code = a->prefix_code != NULL ? a->prefix_code : a->suffix_code;
  if (code == NULL)
    {
      if (default_currency == NULL)
        {
          g_set_error_literal (error, DD_MONEY_ERROR, DD_MONEY_ERROR_NO_CURRENCY,
                               _("The amount has no currency and no default currency is set"));
          return NULL;
        }
      code = default_currency;
      *flags |= DD_MONEY_PARSE_DEFAULT_CURRENCY;
    }

  currency = find_currency (code);
  if (currency == NULL)
    set_currency_error (error, code, strlen (code));
  return currency;
}

/**
 * dd_money_parse:
 * @text: (nullable): an amount as an export writes it: "1 234,56", "1.234,56 zł",
 *   "1234.56", "1 234,56 ₽", "1,234.56", "PLN 1 234,56", "-12,00", "12,5", "1234",
 *   "1 234,56 руб.", "(1 234,56)", "1.234,56-"
 * @default_currency: (nullable): ISO 4217 code used when @text names no currency
 * @out_minor: (out) (optional): the amount in minor units (grosze, kopecks)
 * @out_currency: (out) (optional): the ISO 4217 code, NUL-terminated
 * @out_flags: (out) (optional): #DdMoneyParseFlags worth a warning
 * @error: a #DD_MONEY_ERROR
 *
 * See the top of dd-money.c for the rule that tells thousands from decimal separators.
 * Thread-safe.
 *
 * Returns: TRUE on success
 */
gboolean
dd_money_parse (const char         *text,
                const char         *default_currency,
                gint64             *out_minor,
                char                out_currency[4],
                DdMoneyParseFlags  *out_flags,
                GError            **error)
{
  AmountText a = { 0 };
  const Currency *currency;
  DdMoneyParseFlags flags = DD_MONEY_PARSE_OK;
  guint64 magnitude = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_minor != NULL)
    *out_minor = 0;
  if (out_currency != NULL)
    out_currency[0] = '\0';
  if (out_flags != NULL)
    *out_flags = DD_MONEY_PARSE_OK;

  a.p = text != NULL ? text : "";
  a.end = a.p + strlen (a.p);
  dd_text_trim_blanks (&a.p, &a.end);
  if (a.p == a.end)
    {
      g_set_error_literal (error, DD_MONEY_ERROR, DD_MONEY_ERROR_EMPTY,
                           _("The amount is empty"));
      return FALSE;
    }

  strip_parentheses (&a);
  if (!strip_prefix (&a, error) || !strip_suffix (&a, error))
    return FALSE;

  currency = resolve_currency (&a, default_currency, &flags, error);
  if (currency == NULL)
    return FALSE;

  if (a.p == a.end)
    return set_invalid (error);

  if (!parse_number (a.p, a.end, currency->digits, currency->code, &magnitude, &flags, error))
    return FALSE;

  if (magnitude > (guint64) G_MAXINT64 + (a.negative ? 1 : 0))
    return set_overflow (error);

  if (out_minor != NULL)
    {
      if (a.negative && magnitude == (guint64) G_MAXINT64 + 1)
        *out_minor = G_MININT64;
      else
        *out_minor = a.negative ? -(gint64) magnitude : (gint64) magnitude;
    }
  if (out_currency != NULL)
    memcpy (out_currency, currency->code, 4);
  if (out_flags != NULL)
    *out_flags = flags;

  return TRUE;
}

static const char *
currency_symbol (const char *code,
                 const char *language)
{
  static const struct { const char *language; const char *code; const char *symbol; }
  symbols[] = {
    { "pl", "PLN", "zł" }, { "pl", "EUR", "€" },
    { "ru", "RUB", "₽" }, { "ru", "EUR", "€" }, { "ru", "USD", "$" }, { "ru", "GBP", "£" },
    { "ru", "UAH", "₴" }, { "ru", "KZT", "₸" },
    { "en", "USD", "$" }, { "en", "EUR", "€" }, { "en", "GBP", "£" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (symbols); i++)
    if (strcmp (symbols[i].language, language) == 0 && strcmp (symbols[i].code, code) == 0)
      return symbols[i].symbol;

  return NULL;
}

/**
 * dd_money_format:
 * @minor: an amount in minor units
 * @currency: an ISO 4217 code
 * @language: (nullable): "pl", "ru" or "en" (a locale name such as "pl_PL.UTF-8" works too;
 *   anything else is formatted as "en")
 *
 * Formats an amount for display: "1 234,56 zł" (pl), "1 234,56 ₽" (ru), "PLN 1,234.56"
 * and "$1,234.56" (en). The spaces in the pl and ru forms, and between a code and the number
 * in the en form, are no-break spaces (U+00A0) so that an amount never breaks across lines.
 * dd_money_parse() reads every result back.
 *
 * Returns: (transfer full): the text
 */
char *
dd_money_format (gint64      minor,
                 const char *currency,
                 const char *language)
{
  static const char nbsp[] = "\u00a0";
  char lang[3] = "en";
  char code[4];
  const Currency *known;
  const char *symbol;
  const char *group_sep;
  char decimal_sep;
  guint digits;
  guint64 magnitude;
  guint64 scale = 1;
  guint64 integer;
  guint64 fraction;
  char int_digits[24];
  guint n_int;
  GString *out;

  g_return_val_if_fail (currency != NULL, NULL);

  known = find_currency (currency);
  if (known != NULL)
    memcpy (code, known->code, 4);
  else
    g_strlcpy (code, currency, sizeof code);
  digits = dd_money_currency_digits (code);

  if (language != NULL && (g_ascii_strncasecmp (language, "pl", 2) == 0
                           || g_ascii_strncasecmp (language, "ru", 2) == 0)
      && (language[2] == '\0' || language[2] == '_' || language[2] == '-'
          || language[2] == '.'))
    {
      lang[0] = g_ascii_tolower (language[0]);
      lang[1] = g_ascii_tolower (language[1]);
    }

  magnitude = minor < 0 ? (guint64) (-(minor + 1)) + 1 : (guint64) minor;
  for (guint i = 0; i < digits; i++)
    scale *= 10;
  integer = magnitude / scale;
  fraction = magnitude % scale;

  n_int = g_snprintf (int_digits, sizeof int_digits, "%" G_GUINT64_FORMAT, integer);

  if (strcmp (lang, "en") == 0)
    {
      group_sep = ",";
      decimal_sep = '.';
    }
  else
    {
      group_sep = nbsp;
      decimal_sep = ',';
    }

  symbol = currency_symbol (code, lang);
  out = g_string_sized_new (32);

  if (minor < 0)
    g_string_append_c (out, '-');

  if (strcmp (lang, "en") == 0)
    {
      if (symbol != NULL)
        g_string_append (out, symbol);
      else
        {
          g_string_append (out, code);
          g_string_append (out, nbsp);
        }
    }

  for (guint i = 0; i < n_int; i++)
    {
      if (i > 0 && (n_int - i) % 3 == 0)
        g_string_append (out, group_sep);
      g_string_append_c (out, int_digits[i]);
    }

  if (digits > 0)
    {
      g_string_append_c (out, decimal_sep);
      g_string_append_printf (out, "%0*" G_GUINT64_FORMAT, (int) digits, fraction);
    }

  if (strcmp (lang, "en") != 0)
    {
      g_string_append (out, nbsp);
      g_string_append (out, symbol != NULL ? symbol : code);
    }

  return g_string_free (out, FALSE);
}

/**
 * dd_money_currency_digits:
 * @currency: (nullable): an ISO 4217 code
 *
 * Returns: the number of minor unit digits of @currency (2 for PLN, RUB, EUR; 0 for JPY;
 *   3 for KWD), 2 for a currency this program does not know
 */
guint
dd_money_currency_digits (const char *currency)
{
  const Currency *known = find_currency (currency);

  return known != NULL ? known->digits : 2;
}

/**
 * dd_money_currency_is_known:
 * @currency: (nullable): an ISO 4217 code, any case
 *
 * Returns: TRUE when dd_money_parse() accepts @currency
 */
gboolean
dd_money_currency_is_known (const char *currency)
{
  return find_currency (currency) != NULL;
}
