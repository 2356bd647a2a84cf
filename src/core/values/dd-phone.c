/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "dd-phone"

#include "config.h"

#include "dd-phone.h"

#include "dd-text-scan.h"
#include "dd-phone-shim.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* Phone numbers as accounting exports write them, normalised to E.164 with libphonenumber.
 *
 * libphonenumber's Parse() runs a dozen ICU regular expressions (about 10 µs a number) and
 * GetNumberType() another few (about 3 µs). An import normalises up to a million numbers, so
 * the common spellings take a fast path:
 *
 *  1. scan_text() reads the text once, without allocating: an optional label ("tel.",
 *     "тел."), an optional "+", digits with the usual punctuation, an optional extension
 *     ("wew. 12", "ext. 12", "доб. 12", "x12").
 *  2. split_international() and split_national() split the digits into country code and
 *     national number, for "+CC" numbers of the countries in fast_countries[] and for
 *     national numbers of the regions in fast_regions[], with the rules libphonenumber
 *     applies to them.
 *  3. Only GetNumberType() is asked of libphonenumber, through a small per-thread cache
 *     (exports repeat a debtor's number on every overdue invoice).
 *
 * Anything else (other countries, unusual characters, a number the fast path finds invalid)
 * goes through libphonenumber's full Parse(), which has the last word on every error. The
 * unit tests compare both paths on generated numbers.
 *
 * One deliberate difference from libphonenumber: Polish numbers written with the old trunk
 * prefix "0" ("(0-22) 123 45 67", "+48 (0) 601 234 567") are accepted without it.
 */

G_DEFINE_QUARK (dd-phone-error-quark, dd_phone_error)

/* Digits the scanner collects: international prefix, country code, national number, and a
 * little slack so that libphonenumber, not the scanner, reports numbers that are too long. */
#define MAX_SCAN_DIGITS  (4 + DD_PHONE_SHIM_MAX_COUNTRY_CODE + DD_PHONE_SHIM_MAX_NATIONAL)
#define MAX_KEY_DIGITS   (DD_PHONE_SHIM_MAX_COUNTRY_CODE + DD_PHONE_SHIM_MAX_NATIONAL)

/* A cache of GetNumberType() per thread: 4096 sets of two 24-byte slots (192 KiB), the most
 * recently used slot of a set first. */
#define CACHE_SETS       4096
#define CACHE_WAYS       2

typedef enum
{
  SCAN_SIMPLE,
  SCAN_COMPLEX,
  SCAN_EMPTY,
  SCAN_NO_DIGITS,
} ScanResult;

typedef struct
{
  char        digits[MAX_SCAN_DIGITS + 1];
  guint       n_digits;
  gboolean    plus;
  const char *number_end;                             /* the text before the extension */
  char        extension[DD_PHONE_SHIM_MAX_EXTENSION + 1];
} Scan;

typedef struct
{
  const char *region;         /* main region of the calling code */
  const char *code;           /* calling code, as digits */
  guint       code_len;
  int         country_code;
  const char *trunk_prefix;   /* libphonenumber's national prefix of the region (a unit test
                               * checks them against its metadata) */
  /* National numbers of this length never lose a leading trunk prefix in libphonenumber:
   * what would remain is shorter than any number of the plan. Russia's numbers are all ten
   * digits, and many of them start with 8 (812 Saint Petersburg, 800 toll free...). */
  guint       keeps_prefix_len;
} FastCountry;

static const FastCountry fast_countries[] = {
  { "US", "1",   1, 1,   "1", 0  },
  { "RU", "7",   1, 7,   "8", 10 },
  { "FR", "33",  2, 33,  "0", 0  },
  { "AT", "43",  2, 43,  "0", 0  },
  { "GB", "44",  2, 44,  "0", 0  },
  { "PL", "48",  2, 48,  "",  0  },
  { "DE", "49",  2, 49,  "0", 0  },
  { "LT", "370", 3, 370, "8", 0  },
  { "LV", "371", 3, 371, "",  0  },
  { "EE", "372", 3, 372, "",  0  },
  { "BY", "375", 3, 375, "8", 0  },
  { "UA", "380", 3, 380, "0", 0  },
  { "CZ", "420", 3, 420, "",  0  },
  { "SK", "421", 3, 421, "0", 0  },
};

typedef struct
{
  const char *region;
  const char *code;           /* its calling code, in fast_countries[] */
  const char *idd;            /* international call prefix */
  guint       national_len;   /* every national significant number has this many digits */
} FastRegion;

static const FastRegion fast_regions[] = {
  { "PL", "48", "00",  9  },
  { "RU", "7",  "810", 10 },
};

typedef struct
{
  char   key[MAX_KEY_DIGITS + 2];
  guint8 len;                 /* 0: empty slot */
  gint8  type;
} CacheSlot;

G_STATIC_ASSERT (G_N_ELEMENTS (((CacheSlot *) NULL)->key) > MAX_KEY_DIGITS);

static GPrivate type_cache = G_PRIVATE_INIT (g_free);

static gboolean
has_prefix_ascii_ci (const char *p,
                     const char *prefix,
                     guint      *len)
{
  guint n = (guint) strlen (prefix);

  if (g_ascii_strncasecmp (p, prefix, n) != 0)
    return FALSE;
  *len = n;
  return TRUE;
}

/* Length of an extension marker at @p: "ext", "extn", "extension", "x", "wew", "w.", "#",
 * "доб" (any case of the first letter), or 0. */
static guint
extension_marker_len (const char *p)
{
  guint n = 0;

  if (has_prefix_ascii_ci (p, "extension", &n)
      || has_prefix_ascii_ci (p, "extn", &n)
      || has_prefix_ascii_ci (p, "ext", &n)
      || has_prefix_ascii_ci (p, "wew", &n)
      || has_prefix_ascii_ci (p, "w.", &n)
      || has_prefix_ascii_ci (p, "x", &n)
      || has_prefix_ascii_ci (p, "#", &n))
    return n;
  if (strncmp (p, "доб", strlen ("доб")) == 0 || strncmp (p, "Доб", strlen ("Доб")) == 0
      || strncmp (p, "ДОБ", strlen ("ДОБ")) == 0)
    return strlen ("доб");
  return 0;
}

/* Reads an extension after its marker: optional "." or ":", blanks, 1..20 digits, blanks,
 * the end of the text. */
static gboolean
scan_extension (const char *p,
                Scan       *scan)
{
  guint n = 0;
  guint len;

  if (*p == '.' || *p == ':')
    p++;
  while ((len = dd_text_blank_len (p)) > 0)
    p += len;

  while (g_ascii_isdigit (*p))
    {
      if (n == DD_PHONE_SHIM_MAX_EXTENSION)
        return FALSE;
      scan->extension[n++] = *p++;
    }
  scan->extension[n] = '\0';

  while ((len = dd_text_blank_len (p)) > 0)
    p += len;

  return n > 0 && *p == '\0';
}

static ScanResult
scan_text (const char *text,
           Scan       *scan)
{
  const char *p = text;
  gboolean label = FALSE;
  guint len;

  scan->n_digits = 0;
  scan->plus = FALSE;
  scan->number_end = NULL;
  scan->extension[0] = '\0';

  while ((len = dd_text_blank_len (p)) > 0)
    p += len;
  if (*p == '\0')
    return SCAN_EMPTY;

  /* A label such as "tel.", "tel. kom.:", "тел." before the number. */
  while (*p != '\0' && !g_ascii_isdigit (*p) && *p != '+' && *p != '(')
    {
      if (g_ascii_isalpha (*p) || *p == '.' || *p == ':')
        p++;
      else if ((len = dd_text_blank_len (p)) > 0)
        p += len;
      else if ((guchar) *p >= 0x80)
        {
          gunichar c = g_utf8_get_char_validated (p, -1);

          if (c == (gunichar) -1 || c == (gunichar) -2 || !g_unichar_isalpha (c))
            return SCAN_COMPLEX;
          p = g_utf8_next_char (p);
        }
      else
        return SCAN_COMPLEX;
      label = TRUE;
    }
  if (*p == '\0')
    return label ? SCAN_NO_DIGITS : SCAN_COMPLEX;

  if (*p == '+')
    {
      scan->plus = TRUE;
      p++;
    }

  while (*p != '\0')
    {
      if (g_ascii_isdigit (*p))
        {
          if (scan->n_digits == MAX_SCAN_DIGITS)
            return SCAN_COMPLEX;
          scan->digits[scan->n_digits++] = *p++;
        }
      else if (*p == ' ' || *p == '-' || *p == '.' || *p == '(' || *p == ')' || *p == '/')
        p++;
      else if ((len = dd_text_blank_len (p)) > 0 || (len = dd_text_dash_len (p)) > 0)
        p += len;
      else if (scan->n_digits > 0 && (len = extension_marker_len (p)) > 0)
        {
          scan->number_end = p;
          if (!scan_extension (p + len, scan))
            return SCAN_COMPLEX;
          break;
        }
      else
        return SCAN_COMPLEX;
    }

  scan->digits[scan->n_digits] = '\0';
  if (scan->n_digits == 0)
    return SCAN_NO_DIGITS;

  return SCAN_SIMPLE;
}

static gboolean
region_upper (const char *region,
              char        out[4])
{
  guint i;

  if (region == NULL)
    return FALSE;

  for (i = 0; region[i] != '\0'; i++)
    {
      if (i == 3 || !g_ascii_isalnum (region[i]))
        return FALSE;
      out[i] = g_ascii_toupper (region[i]);
    }
  out[i] = '\0';
  return i > 0;
}

static const FastCountry *
find_fast_country (const char *digits)
{
  for (guint i = 0; i < G_N_ELEMENTS (fast_countries); i++)
    {
      const FastCountry *c = &fast_countries[i];

      if (strncmp (digits, c->code, c->code_len) == 0)
        return c;
    }
  return NULL;
}

/* Splits "+CC national" for the countries of fast_countries[]. */
static gboolean
split_international (const char         *digits,
                     guint               n_digits,
                     const FastCountry **out_country,
                     const char        **out_national,
                     guint              *out_national_len)
{
  const FastCountry *country = find_fast_country (digits);
  const char *national;
  const char *prefix;
  guint len;

  if (country == NULL || n_digits <= country->code_len)
    return FALSE;

  national = digits + country->code_len;
  len = n_digits - country->code_len;
  prefix = country->trunk_prefix;

  if (country->country_code == 48 && len == 10 && national[0] == '0')
    {
      /* "+48 (0) 22 123 45 67": the old Polish trunk prefix. */
      national++;
      len--;
    }
  else if (prefix[0] != '\0' && g_str_has_prefix (national, prefix)
           && len != country->keeps_prefix_len)
    {
      /* libphonenumber may strip a trunk prefix after the country code: let it decide. */
      return FALSE;
    }

  *out_country = country;
  *out_national = national;
  *out_national_len = len;
  return TRUE;
}

/* Splits a number written the national way in a region of fast_regions[]. */
static gboolean
split_national (const char         *digits,
                guint               n_digits,
                const char         *region,
                const FastCountry **out_country,
                const char        **out_national,
                guint              *out_national_len)
{
  const FastRegion *r = NULL;
  const FastCountry *country;
  const char *prefix;

  for (guint i = 0; i < G_N_ELEMENTS (fast_regions); i++)
    {
      if (strcmp (region, fast_regions[i].region) == 0)
        {
          r = &fast_regions[i];
          break;
        }
    }
  if (r == NULL)
    return FALSE;

  if (g_str_has_prefix (digits, r->idd))
    {
      /* "0048 601 234 567" from Poland. The IDD of Russia, "810", has variants: leave it to
       * libphonenumber. */
      if (strcmp (r->idd, "00") != 0)
        return FALSE;
      return split_international (digits + 2, n_digits - 2,
                                  out_country, out_national, out_national_len);
    }

  country = find_fast_country (r->code);
  if (G_UNLIKELY (country == NULL))
    return FALSE;
  prefix = country->trunk_prefix;
  *out_country = country;

  if (n_digits == country->code_len + r->national_len
      && strncmp (digits, country->code, country->code_len) == 0)
    {
      /* "48 601 234 567", "7 916 123 45 67": the country code without its "+". */
      *out_national = digits + country->code_len;
      *out_national_len = r->national_len;
    }
  else if (prefix[0] != '\0' && n_digits == strlen (prefix) + r->national_len
           && g_str_has_prefix (digits, prefix))
    {
      /* "8 (916) 123-45-67" */
      *out_national = digits + strlen (prefix);
      *out_national_len = r->national_len;
    }
  else if (country->country_code == 48 && n_digits == 10 && digits[0] == '0')
    {
      /* "(0-22) 123 45 67": the old Polish trunk prefix. */
      *out_national = digits + 1;
      *out_national_len = 9;
    }
  else
    {
      *out_national = digits;
      *out_national_len = n_digits;
    }

  return TRUE;
}

static DdPhoneShimType
lookup_number_type (const char *key,
                    guint       key_len,
                    int         country_code,
                    guint       code_len)
{
  CacheSlot *cache = g_private_get (&type_cache);
  CacheSlot *slot;
  guint64 hash = 0xcbf29ce484222325u;
  DdPhoneShimType type;

  if (G_UNLIKELY (cache == NULL))
    {
      cache = g_new0 (CacheSlot, CACHE_SETS * CACHE_WAYS);
      g_private_set (&type_cache, cache);
    }

  /* FNV-1a */
  for (guint i = 0; i < key_len; i++)
    {
      hash ^= (guchar) key[i];
      hash *= 0x100000001b3u;
    }
  slot = &cache[((hash ^ (hash >> 32)) & (CACHE_SETS - 1)) * CACHE_WAYS];

  if (slot[0].len == key_len && memcmp (slot[0].key, key, key_len) == 0)
    return (DdPhoneShimType) slot[0].type;

  if (slot[1].len == key_len && memcmp (slot[1].key, key, key_len) == 0)
    {
      CacheSlot hit = slot[1];

      slot[1] = slot[0];
      slot[0] = hit;
      return (DdPhoneShimType) hit.type;
    }

  type = dd_phone_shim_number_type (country_code, key + code_len, key_len - code_len);

  slot[1] = slot[0];
  memcpy (slot[0].key, key, key_len);
  slot[0].len = (guint8) key_len;
  slot[0].type = (gint8) type;
  return type;
}

static DdPhoneKind
kind_from_type (DdPhoneShimType type)
{
  switch (type)
    {
    case DD_PHONE_SHIM_TYPE_MOBILE:
      return DD_PHONE_KIND_MOBILE;
    case DD_PHONE_SHIM_TYPE_FIXED_LINE:
      return DD_PHONE_KIND_LANDLINE;
    case DD_PHONE_SHIM_TYPE_FIXED_LINE_OR_MOBILE:
    case DD_PHONE_SHIM_TYPE_UNKNOWN:
      return DD_PHONE_KIND_UNKNOWN;
    case DD_PHONE_SHIM_TYPE_TOLL_FREE:
    case DD_PHONE_SHIM_TYPE_PREMIUM_RATE:
    case DD_PHONE_SHIM_TYPE_SHARED_COST:
    case DD_PHONE_SHIM_TYPE_VOIP:
    case DD_PHONE_SHIM_TYPE_PERSONAL_NUMBER:
    case DD_PHONE_SHIM_TYPE_PAGER:
    case DD_PHONE_SHIM_TYPE_UAN:
    case DD_PHONE_SHIM_TYPE_VOICEMAIL:
    default:
      return DD_PHONE_KIND_OTHER;
    }
}

/* The fast path. Returns FALSE when libphonenumber's full parse must decide. */
static gboolean
normalize_fast (const Scan   *scan,
                const char   *region,
                char         *e164,
                DdPhoneKind  *out_kind)
{
  const FastCountry *country = NULL;
  const char *national = NULL;
  guint national_len = 0;
  DdPhoneShimType type;

  if (scan->plus)
    {
      if (!split_international (scan->digits, scan->n_digits,
                                &country, &national, &national_len))
        return FALSE;
    }
  else if (region == NULL
           || !split_national (scan->digits, scan->n_digits, region,
                               &country, &national, &national_len))
    return FALSE;

  if (national_len < 2 || national_len > DD_PHONE_SHIM_MAX_NATIONAL)
    return FALSE;

  /* e164 is "+", the country code, the national number: the cache key is what follows "+". */
  e164[0] = '+';
  memcpy (e164 + 1, country->code, country->code_len);
  memcpy (e164 + 1 + country->code_len, national, national_len);
  e164[1 + country->code_len + national_len] = '\0';

  type = lookup_number_type (e164 + 1, country->code_len + national_len,
                             country->country_code, country->code_len);
  if (type == DD_PHONE_SHIM_TYPE_UNKNOWN)
    return FALSE;

  *out_kind = kind_from_type (type);
  return TRUE;
}

static void
set_error_from_status (GError            **error,
                       DdPhoneShimStatus   status,
                       const char         *text,
                       const char         *region,
                       gboolean            region_known)
{
  switch (status)
    {
    case DD_PHONE_SHIM_NOT_A_NUMBER:
      g_set_error_literal (error, DD_PHONE_ERROR, DD_PHONE_ERROR_NOT_A_NUMBER,
                           _("This is not a phone number"));
      break;

    case DD_PHONE_SHIM_INVALID_COUNTRY_CODE:
      if (!region_known && strchr (text, '+') == NULL)
        {
          if (region == NULL)
            g_set_error_literal (error, DD_PHONE_ERROR, DD_PHONE_ERROR_UNKNOWN_REGION,
                                 _("The phone number has no country code (such as +48) "
                                   "and no default country is set"));
          else
            g_set_error (error, DD_PHONE_ERROR, DD_PHONE_ERROR_UNKNOWN_REGION,
                         _("The phone number has no country code (such as +48) and the "
                           "default country “%s” is unknown"), region);
        }
      else
        g_set_error_literal (error, DD_PHONE_ERROR, DD_PHONE_ERROR_INVALID,
                             _("The phone number starts with a country code that does "
                               "not exist"));
      break;

    case DD_PHONE_SHIM_TOO_SHORT:
      g_set_error_literal (error, DD_PHONE_ERROR, DD_PHONE_ERROR_TOO_SHORT,
                           _("The phone number is too short"));
      break;

    case DD_PHONE_SHIM_LOCAL_ONLY:
      g_set_error_literal (error, DD_PHONE_ERROR, DD_PHONE_ERROR_TOO_SHORT,
                           _("The phone number is too short: is the area code missing?"));
      break;

    case DD_PHONE_SHIM_TOO_LONG:
      g_set_error_literal (error, DD_PHONE_ERROR, DD_PHONE_ERROR_TOO_LONG,
                           _("The phone number is too long"));
      break;

    case DD_PHONE_SHIM_INVALID_LENGTH:
      g_set_error_literal (error, DD_PHONE_ERROR, DD_PHONE_ERROR_INVALID,
                           _("The phone number has the wrong number of digits"));
      break;

    case DD_PHONE_SHIM_FAILED:
      g_warning ("libphonenumber failed on a number (out of memory?)");
      G_GNUC_FALLTHROUGH;
    case DD_PHONE_SHIM_INVALID:
    case DD_PHONE_SHIM_OK:
    default:
      g_set_error_literal (error, DD_PHONE_ERROR, DD_PHONE_ERROR_INVALID,
                           _("This phone number does not exist: please check the digits"));
      break;
    }
}

/* For the unit tests (declared in dd-phone-shim.h): the table of the fast path. */
gboolean
_dd_phone_get_fast_country (guint        i,
                            const char **region,
                            const char **trunk_prefix)
{
  if (i >= G_N_ELEMENTS (fast_countries))
    return FALSE;

  *region = fast_countries[i].region;
  *trunk_prefix = fast_countries[i].trunk_prefix;
  return TRUE;
}

/**
 * dd_phone_kind_to_string:
 * @kind: a #DdPhoneKind
 *
 * Returns: "unknown", "mobile", "landline" or "other": the form stored in the database
 */
const char *
dd_phone_kind_to_string (DdPhoneKind kind)
{
  switch (kind)
    {
    case DD_PHONE_KIND_MOBILE:
      return "mobile";
    case DD_PHONE_KIND_LANDLINE:
      return "landline";
    case DD_PHONE_KIND_OTHER:
      return "other";
    case DD_PHONE_KIND_UNKNOWN:
    default:
      return "unknown";
    }
}

/**
 * dd_phone_kind_from_string:
 * @text: a string from dd_phone_kind_to_string()
 * @out_kind: (out): the kind
 *
 * Returns: FALSE when @text is not one of the four strings (@out_kind is then UNKNOWN)
 */
gboolean
dd_phone_kind_from_string (const char  *text,
                           DdPhoneKind *out_kind)
{
  static const DdPhoneKind kinds[] = {
    DD_PHONE_KIND_UNKNOWN, DD_PHONE_KIND_MOBILE, DD_PHONE_KIND_LANDLINE, DD_PHONE_KIND_OTHER,
  };

  g_return_val_if_fail (out_kind != NULL, FALSE);

  *out_kind = DD_PHONE_KIND_UNKNOWN;
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      if (strcmp (text, dd_phone_kind_to_string (kinds[i])) == 0)
        {
          *out_kind = kinds[i];
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * dd_phone_normalize_with_extension:
 * @text: (nullable): a phone number as an export writes it; NULL counts as empty
 * @default_region: (nullable): ISO 3166 region ("PL", "RU"; any case) for numbers without
 *   a "+" country code
 * @out_e164: (out) (optional): the number in E.164 form, "+48601234567"
 * @out_extension: (out) (optional) (nullable): the extension digits ("wew. 12", "доб. 12",
 *   "ext. 12", "x12"), or NULL when there is none
 * @out_kind: (out) (optional): mobile, landline...
 * @error: a #DD_PHONE_ERROR
 *
 * Checks a phone number against the numbering plan of its country with libphonenumber.
 * Thread-safe.
 *
 * Returns: TRUE for a valid number
 */
gboolean
dd_phone_normalize_with_extension (const char   *text,
                                   const char   *default_region,
                                   char        **out_e164,
                                   char        **out_extension,
                                   DdPhoneKind  *out_kind,
                                   GError      **error)
{
  Scan scan;
  ScanResult result;
  char region[4];
  gboolean has_region;
  char e164[2 + MAX_KEY_DIGITS];
  DdPhoneKind kind = DD_PHONE_KIND_UNKNOWN;
  DdPhoneShimNumber number;
  DdPhoneShimStatus status;
  g_autofree char *number_text = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_e164 != NULL)
    *out_e164 = NULL;
  if (out_extension != NULL)
    *out_extension = NULL;
  if (out_kind != NULL)
    *out_kind = DD_PHONE_KIND_UNKNOWN;

  if (text == NULL)
    text = "";

  has_region = region_upper (default_region, region);

  result = scan_text (text, &scan);
  switch (result)
    {
    case SCAN_EMPTY:
      g_set_error_literal (error, DD_PHONE_ERROR, DD_PHONE_ERROR_EMPTY,
                           _("The phone number is empty"));
      return FALSE;

    case SCAN_NO_DIGITS:
      set_error_from_status (error, DD_PHONE_SHIM_NOT_A_NUMBER, text, default_region, FALSE);
      return FALSE;

    case SCAN_SIMPLE:
      if (normalize_fast (&scan, has_region ? region : NULL, e164, &kind))
        {
          if (out_e164 != NULL)
            *out_e164 = g_strdup (e164);
          if (out_extension != NULL && scan.extension[0] != '\0')
            *out_extension = g_strdup (scan.extension);
          if (out_kind != NULL)
            *out_kind = kind;
          return TRUE;
        }
      break;

    case SCAN_COMPLEX:
    default:
      break;
    }

  /* The slow path: libphonenumber's own parser. */
  if (!g_utf8_validate (text, -1, NULL))
    {
      set_error_from_status (error, DD_PHONE_SHIM_NOT_A_NUMBER, text, default_region, FALSE);
      return FALSE;
    }

  /* libphonenumber does not know "wew." and "w.": hand it the number without them. */
  if (result == SCAN_SIMPLE && scan.number_end != NULL)
    number_text = g_strndup (text, scan.number_end - text);

  status = dd_phone_shim_parse (number_text != NULL ? number_text : text,
                                has_region ? region : NULL, &number);
  if (status != DD_PHONE_SHIM_OK)
    {
      gboolean region_known = has_region && dd_phone_shim_country_code_for_region (region) != 0;

      set_error_from_status (error, status, text, default_region, region_known);
      return FALSE;
    }

  if (out_e164 != NULL)
    *out_e164 = g_strdup_printf ("+%d%s", number.country_code, number.national);
  if (out_extension != NULL)
    {
      if (result == SCAN_SIMPLE && scan.extension[0] != '\0')
        *out_extension = g_strdup (scan.extension);
      else if (number.extension[0] != '\0')
        *out_extension = g_strdup (number.extension);
    }
  if (out_kind != NULL)
    *out_kind = kind_from_type (number.type);

  return TRUE;
}

/**
 * dd_phone_normalize:
 * @text: (nullable): a phone number as an export writes it: "+48 601 234 567",
 *   "601-234-567", "0048601234567", "(22) 123 45 67", "8 (916) 123-45-67", "tel. 601234567"...
 * @default_region: (nullable): ISO 3166 region ("PL", "RU") for numbers without "+"
 * @out_e164: (out) (optional): "+48601234567"
 * @out_kind: (out) (optional): the kind of line
 * @error: a #DD_PHONE_ERROR
 *
 * Like dd_phone_normalize_with_extension(), dropping the extension. Thread-safe.
 *
 * Returns: TRUE for a valid number
 */
gboolean
dd_phone_normalize (const char   *text,
                    const char   *default_region,
                    char        **out_e164,
                    DdPhoneKind  *out_kind,
                    GError      **error)
{
  return dd_phone_normalize_with_extension (text, default_region, out_e164, NULL, out_kind,
                                            error);
}

/**
 * dd_phone_region_is_supported:
 * @region: (nullable): an ISO 3166 region code, any case
 *
 * Returns: TRUE when libphonenumber has a numbering plan for @region
 */
gboolean
dd_phone_region_is_supported (const char *region)
{
  char upper[4];

  if (!region_upper (region, upper) || strlen (upper) != 2
      || !g_ascii_isalpha (upper[0]) || !g_ascii_isalpha (upper[1]))
    return FALSE;

  return dd_phone_shim_country_code_for_region (upper) != 0;
}

/**
 * dd_phone_format_international:
 * @e164: a number from dd_phone_normalize(), "+48601234567"
 *
 * Returns: (transfer full) (nullable): the number grouped for display, "+48 601 234 567",
 *   or NULL when @e164 is not an E.164 number
 */
char *
dd_phone_format_international (const char *e164)
{
  char buf[64];
  guint len;
  int country_code = 0;

  if (e164 == NULL || e164[0] != '+' || e164[1] == '0')
    return NULL;

  len = (guint) strlen (e164 + 1);
  if (len < 3 || len > MAX_KEY_DIGITS)
    return NULL;
  for (guint i = 1; i <= len; i++)
    if (!g_ascii_isdigit (e164[i]))
      return NULL;

  /* Calling codes are a prefix code: the first known one is the one. */
  for (guint code_len = 1; code_len <= DD_PHONE_SHIM_MAX_COUNTRY_CODE; code_len++)
    {
      country_code = country_code * 10 + (e164[code_len] - '0');
      if (dd_phone_shim_is_country_code (country_code))
        {
          if (len - code_len > DD_PHONE_SHIM_MAX_NATIONAL
              || !dd_phone_shim_format_international (country_code, e164 + 1 + code_len,
                                                      len - code_len, buf, sizeof buf))
            return NULL;
          return g_strdup (buf);
        }
    }

  return NULL;
}
