/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "dd-tax-id"

#include "config.h"

#include "dd-tax-id.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* Tax IDs of Polish and Russian debtors as accounting exports write them: "PL 123-456-32-18",
 * "NIP: 1234563218", "ИНН 7707083893", "7707083893/773601001" (INN/KPP), with spaces, dashes
 * and dots, sometimes behind an Excel text marker ("'1234563218", ="1234563218").
 *
 * Check digits:
 *  - NIP: the weights 6 5 7 2 3 4 5 6 7 on the first nine digits, the sum modulo 11 is the
 *    tenth digit; a sum giving 10 is never issued.
 *  - PESEL: the weights 1 3 7 9 1 3 7 9 1 3 on the first ten digits, (10 − sum mod 10) mod 10
 *    is the eleventh; the first six digits are the date of birth (YYMMDD, with 20, 40, 60 or
 *    80 added to the month for the 2000s, 2100s, 2200s and 1800s).
 *  - INN of an organisation: the weights 2 4 10 3 5 9 4 6 8, sum mod 11 mod 10.
 *  - INN of a person: two check digits, with 7 2 4 10 3 5 9 4 6 8 on the first ten digits and
 *    3 7 2 4 10 3 5 9 4 6 8 on the first eleven, each sum mod 11 mod 10.
 * All-zero numbers pass every sum but are what accounting systems write for "none": they are
 * refused.
 */

G_DEFINE_QUARK (dd-tax-id-error-quark, dd_tax_id_error)

/* More digits than any scheme has, so that the count in the error message is right. */
#define MAX_DIGITS 32

typedef enum
{
  HINT_NONE,
  HINT_PL,
  HINT_RU,
} CountryHint;

/* Labels in front of the number, casefolded; longer ones first where one is a prefix. */
static const struct
{
  const char  *label;
  CountryHint  hint;
} labels[] = {
  { "nip/pesel", HINT_PL },
  { "nip", HINT_PL },
  { "pesel", HINT_PL },
  { "vat-ue", HINT_NONE },
  { "vat", HINT_NONE },
  { "инн/кпп", HINT_RU },
  { "инн", HINT_RU },
  { "inn", HINT_RU },
  { "tin", HINT_NONE },
  { "pl", HINT_PL },
  { "ru", HINT_RU },
};

static const int nip_weights[9] = { 6, 5, 7, 2, 3, 4, 5, 6, 7 };
static const int pesel_weights[10] = { 1, 3, 7, 9, 1, 3, 7, 9, 1, 3 };
static const int inn10_weights[9] = { 2, 4, 10, 3, 5, 9, 4, 6, 8 };
static const int inn11_weights[10] = { 7, 2, 4, 10, 3, 5, 9, 4, 6, 8 };
static const int inn12_weights[11] = { 3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8 };

static int
weighted_sum (const char *digits,
              const int  *weights,
              guint       n)
{
  int sum = 0;

  for (guint i = 0; i < n; i++)
    sum += (digits[i] - '0') * weights[i];
  return sum;
}

/* 0..9, or 10 when no NIP can end the nine digits. */
static int
nip_check_digit (const char *digits)
{
  return weighted_sum (digits, nip_weights, 9) % 11;
}

static int
pesel_check_digit (const char *digits)
{
  return (10 - weighted_sum (digits, pesel_weights, 10) % 10) % 10;
}

static int
inn_check_digit (const char *digits,
                 const int  *weights,
                 guint       n)
{
  return weighted_sum (digits, weights, n) % 11 % 10;
}

static gboolean
all_ascii_digits (const char *text,
                  gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

static gboolean
all_zeros (const char *digits)
{
  for (const char *p = digits; *p != '\0'; p++)
    if (*p != '0')
      return FALSE;
  return TRUE;
}

static gsize
kind_length (DdTaxIdKind kind)
{
  switch (kind)
    {
    case DD_TAX_ID_NIP:
    case DD_TAX_ID_INN_LEGAL:
      return 10;
    case DD_TAX_ID_PESEL:
      return 11;
    case DD_TAX_ID_INN_PERSON:
      return 12;
    case DD_TAX_ID_UNKNOWN:
    default:
      return 0;
    }
}

/* Date of birth in a PESEL whose digits are known to be 11 ASCII digits. */
static gboolean
pesel_birth_date (const char *digits,
                  GDate      *out_birth)
{
  int yy = (digits[0] - '0') * 10 + (digits[1] - '0');
  int mm = (digits[2] - '0') * 10 + (digits[3] - '0');
  int dd = (digits[4] - '0') * 10 + (digits[5] - '0');
  int century;

  switch (mm / 20)
    {
    case 0: century = 1900; break;
    case 1: century = 2000; break;
    case 2: century = 2100; break;
    case 3: century = 2200; break;
    case 4: century = 1800; break;
    default: return FALSE;
    }
  mm %= 20;
  if (mm < 1 || mm > 12 || dd < 1 || !g_date_valid_dmy (dd, mm, century + yy))
    return FALSE;
  if (out_birth != NULL)
    g_date_set_dmy (out_birth, dd, mm, century + yy);
  return TRUE;
}

/* The check digits alone, for digits of the right length. */
static gboolean
check_digits_match (const char  *digits,
                    DdTaxIdKind  kind)
{
  switch (kind)
    {
    case DD_TAX_ID_NIP:
      return nip_check_digit (digits) == digits[9] - '0';
    case DD_TAX_ID_PESEL:
      return pesel_check_digit (digits) == digits[10] - '0';
    case DD_TAX_ID_INN_LEGAL:
      return inn_check_digit (digits, inn10_weights, 9) == digits[9] - '0';
    case DD_TAX_ID_INN_PERSON:
      return inn_check_digit (digits, inn11_weights, 10) == digits[10] - '0' &&
             inn_check_digit (digits, inn12_weights, 11) == digits[11] - '0';
    case DD_TAX_ID_UNKNOWN:
    default:
      return FALSE;
    }
}

static CountryHint
hint_for_country (const char *country)
{
  if (country == NULL)
    return HINT_NONE;
  if (g_ascii_strcasecmp (country, "PL") == 0)
    return HINT_PL;
  if (g_ascii_strcasecmp (country, "RU") == 0)
    return HINT_RU;
  return HINT_NONE;
}

static gboolean
is_separator (gunichar c)
{
  switch (c)
    {
    case ' ':
    case '\t':
    case '-':
    case '.':
    case 0x00A0:  /* no-break space */
    case 0x2007:  /* figure space */
    case 0x2009:  /* thin space */
    case 0x202F:  /* narrow no-break space */
    case 0x2010:  /* hyphen */
    case 0x2011:  /* non-breaking hyphen */
    case 0x2012:  /* figure dash */
    case 0x2013:  /* en dash */
    case 0x2014:  /* em dash */
    case 0x2212:  /* minus sign */
      return TRUE;
    default:
      return FALSE;
    }
}

/* Skips what may stand between a label and the number: white space, ':', '.', '№', '#'. */
static const char *
skip_label_punctuation (const char *p)
{
  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);

      if (!(g_unichar_isspace (c) || c == ':' || c == '.' || c == '#' || c == 0x2116 ||
            c == 0x00A0 || c == 0x202F))
        break;
      p = g_utf8_next_char (p);
    }
  return p;
}

static const char *
skip_labels (const char  *p,
             CountryHint *text_hint)
{
  gboolean again = TRUE;

  while (again)
    {
      again = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
        {
          gsize len = strlen (labels[i].label);

          if (strncmp (p, labels[i].label, len) == 0)
            {
              if (labels[i].hint != HINT_NONE)
                *text_hint = labels[i].hint;
              p = skip_label_punctuation (p + len);
              again = TRUE;
              break;
            }
        }
    }
  return p;
}

static void
set_length_error (GError      **error,
                  CountryHint   hint,
                  guint         n_digits)
{
  switch (hint)
    {
    case HINT_PL:
      g_set_error (error, DD_TAX_ID_ERROR, DD_TAX_ID_ERROR_FORMAT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "A Polish tax ID has 10 digits (NIP) or 11 digits (PESEL); "
                                "this one has %u digit",
                                "A Polish tax ID has 10 digits (NIP) or 11 digits (PESEL); "
                                "this one has %u digits", n_digits),
                   n_digits);
      break;
    case HINT_RU:
      g_set_error (error, DD_TAX_ID_ERROR, DD_TAX_ID_ERROR_FORMAT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "A Russian INN has 10 digits (organisation) or 12 digits "
                                "(person); this one has %u digit",
                                "A Russian INN has 10 digits (organisation) or 12 digits "
                                "(person); this one has %u digits", n_digits),
                   n_digits);
      break;
    case HINT_NONE:
    default:
      g_set_error (error, DD_TAX_ID_ERROR, DD_TAX_ID_ERROR_FORMAT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "A tax ID has 10, 11 or 12 digits; this one has %u digit",
                                "A tax ID has 10, 11 or 12 digits; this one has %u digits",
                                n_digits),
                   n_digits);
      break;
    }
}

static void
set_checksum_error (GError      **error,
                    DdTaxIdKind   kind)
{
  switch (kind)
    {
    case DD_TAX_ID_NIP:
      g_set_error_literal (error, DD_TAX_ID_ERROR, DD_TAX_ID_ERROR_CHECKSUM,
                           _("This NIP does not exist: its last digit does not match the "
                             "others (perhaps a typing error)"));
      break;
    case DD_TAX_ID_PESEL:
      g_set_error_literal (error, DD_TAX_ID_ERROR, DD_TAX_ID_ERROR_CHECKSUM,
                           _("This PESEL does not exist: its last digit does not match the "
                             "others (perhaps a typing error)"));
      break;
    case DD_TAX_ID_INN_LEGAL:
    case DD_TAX_ID_INN_PERSON:
      g_set_error_literal (error, DD_TAX_ID_ERROR, DD_TAX_ID_ERROR_CHECKSUM,
                           _("This INN does not exist: its check digits do not match the "
                             "others (perhaps a typing error)"));
      break;
    case DD_TAX_ID_UNKNOWN:
    default:
      g_set_error_literal (error, DD_TAX_ID_ERROR, DD_TAX_ID_ERROR_CHECKSUM,
                           _("This is neither a valid NIP nor a valid INN: the last digit does "
                             "not match the others (perhaps a typing error)"));
      break;
    }
}

/* Checks @digits (of the right length for @kind) and sets the error a clerk should read. */
static gboolean
validate (const char   *digits,
          DdTaxIdKind   kind,
          GError      **error)
{
  if (!check_digits_match (digits, kind))
    {
      set_checksum_error (error, kind);
      return FALSE;
    }
  if (kind == DD_TAX_ID_PESEL && !pesel_birth_date (digits, NULL))
    {
      g_set_error_literal (error, DD_TAX_ID_ERROR, DD_TAX_ID_ERROR_BIRTH_DATE,
                           _("This PESEL does not exist: the date of birth in it is not a "
                             "real date"));
      return FALSE;
    }
  return TRUE;
}

/* Appends the digit @c to @digits, counting digits past MAX_DIGITS without storing them. */
static void
append_digit (char  *digits,
              guint *n_digits,
              char   c)
{
  if (*n_digits < MAX_DIGITS)
    digits[*n_digits] = c;
  (*n_digits)++;
}

/**
 * dd_tax_id_kind_to_string:
 * @kind: a #DdTaxIdKind
 *
 * Returns: a stable name of @kind ("nip", "pesel", "inn-legal", "inn-person", "unknown"),
 *   not for display
 */
const char *
dd_tax_id_kind_to_string (DdTaxIdKind kind)
{
  switch (kind)
    {
    case DD_TAX_ID_NIP: return "nip";
    case DD_TAX_ID_PESEL: return "pesel";
    case DD_TAX_ID_INN_LEGAL: return "inn-legal";
    case DD_TAX_ID_INN_PERSON: return "inn-person";
    case DD_TAX_ID_UNKNOWN:
    default: return "unknown";
    }
}

/**
 * dd_tax_id_kind_get_country:
 * @kind: a #DdTaxIdKind
 *
 * Returns: "PL", "RU", or %NULL for %DD_TAX_ID_UNKNOWN
 */
const char *
dd_tax_id_kind_get_country (DdTaxIdKind kind)
{
  switch (kind)
    {
    case DD_TAX_ID_NIP:
    case DD_TAX_ID_PESEL:
      return "PL";
    case DD_TAX_ID_INN_LEGAL:
    case DD_TAX_ID_INN_PERSON:
      return "RU";
    case DD_TAX_ID_UNKNOWN:
    default:
      return NULL;
    }
}

/**
 * dd_tax_id_normalize:
 * @text: a tax ID as written in an export
 * @country: (nullable): "PL" or "RU" to check that country's schemes only; %NULL (or any
 *   other country) tries both
 * @out_kind: (out) (optional): the scheme the number belongs to; %DD_TAX_ID_UNKNOWN on error
 * @error: return location for a #DD_TAX_ID_ERROR
 *
 * Reads a tax ID with its usual decorations (a "PL" or "RU" prefix, the labels "NIP",
 * "PESEL", "ИНН", "INN", "VAT", spaces, dashes and dots, the KPP after an INN as in
 * "7707083893/773601001") and checks its check digits. A label of the other country than
 * @country is an error. Without @country, ten digits are a NIP if they are a valid NIP and
 * an INN otherwise, unless a label says which.
 *
 * Returns: (transfer full) (nullable): the digits alone, or %NULL with @error set
 */
char *
dd_tax_id_normalize (const char   *text,
                     const char   *country,
                     DdTaxIdKind  *out_kind,
                     GError      **error)
{
  g_autofree char *folded = NULL;
  g_autofree char *stripped = NULL;
  CountryHint country_hint = hint_for_country (country);
  CountryHint text_hint = HINT_NONE;
  CountryHint hint;
  DdTaxIdKind kind = DD_TAX_ID_UNKNOWN;
  char digits[MAX_DIGITS + 1];
  guint n_digits = 0;
  guint n_after_slash = 0;
  gboolean slash = FALSE;
  const char *p;
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_kind != NULL)
    *out_kind = DD_TAX_ID_UNKNOWN;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, DD_TAX_ID_ERROR, DD_TAX_ID_ERROR_FORMAT,
                           _("The tax ID contains unreadable characters"));
      return NULL;
    }

  stripped = g_strstrip (g_strdup (text));
  /* Excel's text markers: a leading apostrophe, or a formula ="…". */
  p = stripped;
  len = strlen (p);
  if (len >= 3 && p[0] == '=' && p[1] == '"' && p[len - 1] == '"')
    {
      memmove (stripped, p + 2, len - 3);
      stripped[len - 3] = '\0';
    }
  else if (p[0] == '\'')
    memmove (stripped, p + 1, len);

  folded = g_utf8_casefold (stripped, -1);
  p = skip_labels (skip_label_punctuation (folded), &text_hint);

  for (; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= '0' && c <= '9')
        {
          if (slash)
            n_after_slash++;
          else
            append_digit (digits, &n_digits, (char) c);
        }
      else if (is_separator (c))
        continue;
      else if (c == '/' && !slash)
        slash = TRUE;
      else
        {
          g_set_error_literal (error, DD_TAX_ID_ERROR, DD_TAX_ID_ERROR_FORMAT,
                               _("A tax ID may contain only digits, spaces and dashes"));
          return NULL;
        }
    }
  digits[MIN (n_digits, MAX_DIGITS)] = '\0';

  if (n_digits == 0 && !slash)
    {
      g_set_error_literal (error, DD_TAX_ID_ERROR, DD_TAX_ID_ERROR_FORMAT,
                           _("The tax ID is empty"));
      return NULL;
    }

  if (country_hint != HINT_NONE && text_hint != HINT_NONE && country_hint != text_hint)
    {
      g_set_error_literal (error, DD_TAX_ID_ERROR, DD_TAX_ID_ERROR_FORMAT,
                           country_hint == HINT_PL
                           ? _("This is marked as a Russian tax ID, but the office expects "
                               "Polish ones")
                           : _("This is marked as a Polish tax ID, but the office expects "
                               "Russian ones"));
      return NULL;
    }
  hint = country_hint != HINT_NONE ? country_hint : text_hint;

  /* "INN/KPP": ten digits, a slash, the nine digits of the KPP. */
  if (slash)
    {
      if (n_digits != 10 || n_after_slash != 9 || hint == HINT_PL)
        {
          g_set_error_literal (error, DD_TAX_ID_ERROR, DD_TAX_ID_ERROR_FORMAT,
                               _("A tax ID with a slash must be an INN of 10 digits followed by "
                                 "a KPP of 9 digits"));
          return NULL;
        }
      hint = HINT_RU;
    }

  if (n_digits <= MAX_DIGITS && all_zeros (digits))
    {
      g_set_error_literal (error, DD_TAX_ID_ERROR, DD_TAX_ID_ERROR_FORMAT,
                           _("The tax ID is only zeros: the accounting system had none"));
      return NULL;
    }

  switch (n_digits)
    {
    case 10:
      if (hint == HINT_PL)
        kind = DD_TAX_ID_NIP;
      else if (hint == HINT_RU)
        kind = DD_TAX_ID_INN_LEGAL;
      else if (check_digits_match (digits, DD_TAX_ID_NIP))
        kind = DD_TAX_ID_NIP;
      else if (check_digits_match (digits, DD_TAX_ID_INN_LEGAL))
        kind = DD_TAX_ID_INN_LEGAL;
      else
        {
          set_checksum_error (error, DD_TAX_ID_UNKNOWN);
          return NULL;
        }
      break;
    case 11:
      if (hint != HINT_RU)
        kind = DD_TAX_ID_PESEL;
      break;
    case 12:
      if (hint != HINT_PL)
        kind = DD_TAX_ID_INN_PERSON;
      break;
    default:
      break;
    }

  if (kind == DD_TAX_ID_UNKNOWN)
    {
      set_length_error (error, hint, n_digits);
      return NULL;
    }
  if (!validate (digits, kind, error))
    return NULL;

  if (out_kind != NULL)
    *out_kind = kind;
  return g_strdup (digits);
}

/**
 * dd_tax_id_is_valid:
 * @digits: (nullable): the digits alone, as dd_tax_id_normalize() returns them
 * @kind: the scheme to check against
 *
 * Returns: %TRUE when @digits has the length of @kind, only ASCII digits, not only zeros,
 *   matching check digits, and (for a PESEL) a real date of birth
 */
gboolean
dd_tax_id_is_valid (const char  *digits,
                    DdTaxIdKind  kind)
{
  gsize len = kind_length (kind);

  if (digits == NULL || len == 0 || strlen (digits) != len || !all_ascii_digits (digits, len) ||
      all_zeros (digits))
    return FALSE;
  if (!check_digits_match (digits, kind))
    return FALSE;
  if (kind == DD_TAX_ID_PESEL && !pesel_birth_date (digits, NULL))
    return FALSE;
  return TRUE;
}

/**
 * dd_tax_id_format:
 * @digits: a valid tax ID, digits only
 * @kind: its scheme
 *
 * Writes a tax ID the way people read it: a NIP as "123-456-32-18", the others as their
 * digits.
 *
 * Returns: (transfer full): the text to show
 */
char *
dd_tax_id_format (const char  *digits,
                  DdTaxIdKind  kind)
{
  g_return_val_if_fail (digits != NULL, NULL);

  if (kind == DD_TAX_ID_NIP && strlen (digits) == 10)
    return g_strdup_printf ("%.3s-%.3s-%.2s-%.2s", digits, digits + 3, digits + 6, digits + 8);
  return g_strdup (digits);
}

/**
 * dd_tax_id_pesel_decode:
 * @digits: a PESEL, digits only
 * @out_birth: (out caller-allocates) (optional): the date of birth
 * @out_female: (out) (optional): %TRUE for a woman (even tenth digit)
 *
 * Returns: %TRUE when @digits is a valid PESEL
 */
gboolean
dd_tax_id_pesel_decode (const char *digits,
                        GDate      *out_birth,
                        gboolean   *out_female)
{
  if (!dd_tax_id_is_valid (digits, DD_TAX_ID_PESEL))
    return FALSE;
  if (out_birth != NULL)
    pesel_birth_date (digits, out_birth);
  if (out_female != NULL)
    *out_female = (digits[9] - '0') % 2 == 0;
  return TRUE;
}

/**
 * dd_tax_id_complete:
 * @digits: (inout): a buffer holding the digits of a tax ID of @kind, NUL-terminated at
 *   its length; the check digits (the last one, or the last two of an INN of a person) are
 *   overwritten
 * @kind: the scheme
 *
 * Puts the right check digits at the end of @digits, for making up numbers.
 *
 * Returns: %FALSE when no number of @kind starts with these digits (a NIP whose check sum
 *   gives 10), or when @digits does not have the length of @kind
 */
gboolean
dd_tax_id_complete (char        *digits,
                    DdTaxIdKind  kind)
{
  gsize len = kind_length (kind);
  int check;

  g_return_val_if_fail (digits != NULL, FALSE);

  if (len == 0 || strlen (digits) != len || !all_ascii_digits (digits, len))
    return FALSE;

  switch (kind)
    {
    case DD_TAX_ID_NIP:
      check = nip_check_digit (digits);
      if (check == 10)
        return FALSE;
      digits[9] = (char) ('0' + check);
      return TRUE;
    case DD_TAX_ID_PESEL:
      digits[10] = (char) ('0' + pesel_check_digit (digits));
      return TRUE;
    case DD_TAX_ID_INN_LEGAL:
      digits[9] = (char) ('0' + inn_check_digit (digits, inn10_weights, 9));
      return TRUE;
    case DD_TAX_ID_INN_PERSON:
      digits[10] = (char) ('0' + inn_check_digit (digits, inn11_weights, 10));
      digits[11] = (char) ('0' + inn_check_digit (digits, inn12_weights, 11));
      return TRUE;
    case DD_TAX_ID_UNKNOWN:
    default:
      return FALSE;
    }
}

static void
random_digits (char  *out,
               guint  n,
               GRand *rand)
{
  for (guint i = 0; i < n; i++)
    out[i] = (char) ('0' + g_rand_int_range (rand, 0, 10));
}

/**
 * dd_tax_id_generate_pesel:
 * @birth: a valid date between 1800 and 2299
 * @female: whether the person is a woman
 * @rand: the source of randomness
 *
 * Returns: (transfer full): a PESEL with valid check digit for @birth and @female
 */
char *
dd_tax_id_generate_pesel (const GDate *birth,
                          gboolean     female,
                          GRand       *rand)
{
  char digits[12];
  int year, month, sex;

  g_return_val_if_fail (birth != NULL && g_date_valid (birth), NULL);
  g_return_val_if_fail (rand != NULL, NULL);

  year = g_date_get_year (birth);
  g_return_val_if_fail (year >= 1800 && year <= 2299, NULL);

  month = g_date_get_month (birth);
  if (year < 1900)
    month += 80;
  else
    month += 20 * ((year - 1900) / 100);

  g_snprintf (digits, sizeof digits, "%02d%02d%02d", year % 100, month,
              (int) g_date_get_day (birth));
  random_digits (digits + 6, 3, rand);
  sex = 2 * g_rand_int_range (rand, 0, 5) + (female ? 0 : 1);
  digits[9] = (char) ('0' + sex);
  digits[10] = '0';
  digits[11] = '\0';
  dd_tax_id_complete (digits, DD_TAX_ID_PESEL);
  return g_strdup (digits);
}

/**
 * dd_tax_id_generate:
 * @kind: the scheme; not %DD_TAX_ID_UNKNOWN
 * @rand: the source of randomness
 *
 * Makes up a tax ID with valid check digits: a NIP with a plausible tax office prefix, a
 * PESEL of someone born between 1940 and 2005, an INN with a region code 01–89.
 *
 * Returns: (transfer full): the digits
 */
char *
dd_tax_id_generate (DdTaxIdKind  kind,
                    GRand       *rand)
{
  char digits[13] = { 0 };

  g_return_val_if_fail (rand != NULL, NULL);

  switch (kind)
    {
    case DD_TAX_ID_NIP:
      do
        {
          /* The first three digits name a tax office: never a leading zero. */
          digits[0] = (char) ('0' + g_rand_int_range (rand, 1, 10));
          random_digits (digits + 1, 9, rand);
        }
      while (!dd_tax_id_complete (digits, kind));
      break;

    case DD_TAX_ID_PESEL:
      {
        GDate birth;

        g_date_clear (&birth, 1);
        g_date_set_dmy (&birth, 1, G_DATE_JANUARY, 1940);
        g_date_add_days (&birth, g_rand_int_range (rand, 0, 66 * 365));
        return dd_tax_id_generate_pesel (&birth, g_rand_boolean (rand), rand);
      }

    case DD_TAX_ID_INN_LEGAL:
    case DD_TAX_ID_INN_PERSON:
      /* Two digits of a region code (01–89), then the tax office and the serial number. */
      g_snprintf (digits, 3, "%02d", g_rand_int_range (rand, 1, 90));
      random_digits (digits + 2, kind_length (kind) - 2, rand);
      dd_tax_id_complete (digits, kind);
      break;

    case DD_TAX_ID_UNKNOWN:
    default:
      g_return_val_if_reached (NULL);
    }

  return g_strdup (digits);
}
