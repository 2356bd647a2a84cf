/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-phone"

#include "config.h"

#include "dd-phone.h"
#include "dd-phone-shim.h"

#include <glib.h>

#include <string.h>

typedef struct
{
  const char  *text;
  const char  *region;
  const char  *e164;
  DdPhoneKind  kind;
  const char  *extension;
} Case;

static void
check_cases (const Case *cases,
             gsize       n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      const Case *c = &cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *e164 = NULL;
      g_autofree char *extension = NULL;
      DdPhoneKind kind = -1;

      g_test_message ("“%s” in %s", c->text, c->region ? c->region : "(no region)");
      g_assert_true (dd_phone_normalize_with_extension (c->text, c->region, &e164, &extension,
                                                        &kind, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (e164, ==, c->e164);
      g_assert_cmpint (kind, ==, c->kind);
      g_assert_cmpstr (extension, ==, c->extension);
    }
}

static void
test_polish_formats (void)
{
  static const Case cases[] = {
    { "+48 601 234 567", "PL", "+48601234567", DD_PHONE_KIND_MOBILE, NULL },
    { "601-234-567", "PL", "+48601234567", DD_PHONE_KIND_MOBILE, NULL },
    { "601234567", "PL", "+48601234567", DD_PHONE_KIND_MOBILE, NULL },
    { "0048601234567", "PL", "+48601234567", DD_PHONE_KIND_MOBILE, NULL },
    { "00 48 601 234 567", "PL", "+48601234567", DD_PHONE_KIND_MOBILE, NULL },
    { "48 601 234 567", "PL", "+48601234567", DD_PHONE_KIND_MOBILE, NULL },
    { "(22) 123 45 67", "PL", "+48221234567", DD_PHONE_KIND_LANDLINE, NULL },
    { "22 123-45-67", "PL", "+48221234567", DD_PHONE_KIND_LANDLINE, NULL },
    { "(0-22) 123 45 67", "PL", "+48221234567", DD_PHONE_KIND_LANDLINE, NULL },
    { "+48 (0) 22 123 45 67", "PL", "+48221234567", DD_PHONE_KIND_LANDLINE, NULL },
    { "tel. 601234567", "PL", "+48601234567", DD_PHONE_KIND_MOBILE, NULL },
    { "Tel. kom.: 601 234 567", "PL", "+48601234567", DD_PHONE_KIND_MOBILE, NULL },
    { "tel: +48 601 234 567", "PL", "+48601234567", DD_PHONE_KIND_MOBILE, NULL },
    { "  601 234 567  ", "PL", "+48601234567", DD_PHONE_KIND_MOBILE, NULL },
    /* no-break space, narrow no-break space, en dash */
    { "601\u00a0234\u202f567", "PL", "+48601234567", DD_PHONE_KIND_MOBILE, NULL },
    { "601\u2013234\u2013567", "PL", "+48601234567", DD_PHONE_KIND_MOBILE, NULL },
    { "+48.601.234.567", "PL", "+48601234567", DD_PHONE_KIND_MOBILE, NULL },
    { "+48601234567", NULL, "+48601234567", DD_PHONE_KIND_MOBILE, NULL },
    { "601234567", "pl", "+48601234567", DD_PHONE_KIND_MOBILE, NULL },
    { "800 123 456", "PL", "+48800123456", DD_PHONE_KIND_OTHER, NULL },      /* toll free */
    { "701 123 456", "PL", "+48701123456", DD_PHONE_KIND_OTHER, NULL },      /* premium */
    { "39 123 45 67", "PL", "+48391234567", DD_PHONE_KIND_OTHER, NULL },     /* VoIP */
    { "12 345 67 89", "PL", "+48123456789", DD_PHONE_KIND_LANDLINE, NULL },  /* Kraków */
    { "512 345 678", "PL", "+48512345678", DD_PHONE_KIND_MOBILE, NULL },
    { "789 123 456", "PL", "+48789123456", DD_PHONE_KIND_MOBILE, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_russian_formats (void)
{
  static const Case cases[] = {
    { "8 (916) 123-45-67", "RU", "+79161234567", DD_PHONE_KIND_MOBILE, NULL },
    { "+7 916 123 45 67", "RU", "+79161234567", DD_PHONE_KIND_MOBILE, NULL },
    { "+7 (916) 123-45-67", "PL", "+79161234567", DD_PHONE_KIND_MOBILE, NULL },
    { "79161234567", "RU", "+79161234567", DD_PHONE_KIND_MOBILE, NULL },
    { "89161234567", "RU", "+79161234567", DD_PHONE_KIND_MOBILE, NULL },
    { "916 123 45 67", "RU", "+79161234567", DD_PHONE_KIND_MOBILE, NULL },
    { "тел. 8-916-123-45-67", "RU", "+79161234567", DD_PHONE_KIND_MOBILE, NULL },
    { "Тел.: +7 916 123-45-67", "RU", "+79161234567", DD_PHONE_KIND_MOBILE, NULL },
    { "+7 (495) 123-45-67", "RU", "+74951234567", DD_PHONE_KIND_LANDLINE, NULL },
    { "8 (495) 123-45-67", "RU", "+74951234567", DD_PHONE_KIND_LANDLINE, NULL },
    { "8 (812) 123-45-67", "RU", "+78121234567", DD_PHONE_KIND_LANDLINE, NULL },
    { "+7 812 123 45 67", "RU", "+78121234567", DD_PHONE_KIND_LANDLINE, NULL },
    { "8 800 123 45 67", "RU", "+78001234567", DD_PHONE_KIND_OTHER, NULL },
    { "+7 800 123-45-67", "RU", "+78001234567", DD_PHONE_KIND_OTHER, NULL },
    /* libphonenumber strips a trunk prefix written after the country code */
    { "+7 8 916 123 45 67", "RU", "+79161234567", DD_PHONE_KIND_MOBILE, NULL },
    /* Russia's international prefix 810 */
    { "8 10 48 601 234 567", "RU", "+48601234567", DD_PHONE_KIND_MOBILE, NULL },
    /* Kazakhstan shares +7 */
    { "+7 701 123 45 67", "RU", "+77011234567", DD_PHONE_KIND_MOBILE, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_other_countries (void)
{
  static const Case cases[] = {
    { "+49 30 123456", "PL", "+4930123456", DD_PHONE_KIND_LANDLINE, NULL },
    { "030 123456", "DE", "+4930123456", DD_PHONE_KIND_LANDLINE, NULL },
    { "+380 50 123 4567", "PL", "+380501234567", DD_PHONE_KIND_MOBILE, NULL },
    { "+375 29 123 45 67", "RU", "+375291234567", DD_PHONE_KIND_MOBILE, NULL },
    { "+420 601 123 456", "PL", "+420601123456", DD_PHONE_KIND_MOBILE, NULL },
    /* the USA cannot tell mobile from fixed line */
    { "+1 201 555 0123", "PL", "+12015550123", DD_PHONE_KIND_UNKNOWN, NULL },
    { "+39 06 1234 5678", "PL", "+390612345678", DD_PHONE_KIND_LANDLINE, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_extensions (void)
{
  static const Case cases[] = {
    { "22 123 45 67 wew. 12", "PL", "+48221234567", DD_PHONE_KIND_LANDLINE, "12" },
    { "(22) 123-45-67 w. 305", "PL", "+48221234567", DD_PHONE_KIND_LANDLINE, "305" },
    { "22 123 45 67 WEW 7", "PL", "+48221234567", DD_PHONE_KIND_LANDLINE, "7" },
    { "+48 22 123 45 67 ext. 12", NULL, "+48221234567", DD_PHONE_KIND_LANDLINE, "12" },
    { "22 123 45 67 x12", "PL", "+48221234567", DD_PHONE_KIND_LANDLINE, "12" },
    { "22 123 45 67 #12", "PL", "+48221234567", DD_PHONE_KIND_LANDLINE, "12" },
    { "(495) 123-45-67 доб. 123", "RU", "+74951234567", DD_PHONE_KIND_LANDLINE, "123" },
    { "8 495 123 45 67 Доб.123", "RU", "+74951234567", DD_PHONE_KIND_LANDLINE, "123" },
    /* the slow path: libphonenumber finds the extension itself */
    { "+49 30 123456 ext. 99", "PL", "+4930123456", DD_PHONE_KIND_LANDLINE, "99" },
    { "+39 06 1234 5678 wew. 4", "PL", "+390612345678", DD_PHONE_KIND_LANDLINE, "4" },
  };
  g_autofree char *e164 = NULL;

  check_cases (cases, G_N_ELEMENTS (cases));

  /* dd_phone_normalize() drops the extension */
  g_assert_true (dd_phone_normalize ("22 123 45 67 wew. 12", "PL", &e164, NULL, NULL));
  g_assert_cmpstr (e164, ==, "+48221234567");
}

typedef struct
{
  const char   *text;
  const char   *region;
  DdPhoneError  code;
} ErrorCase;

static void
test_errors (void)
{
  static const ErrorCase cases[] = {
    { "", "PL", DD_PHONE_ERROR_EMPTY },
    { NULL, "PL", DD_PHONE_ERROR_EMPTY },
    { "   ", "PL", DD_PHONE_ERROR_EMPTY },
    { "\u00a0\t ", "RU", DD_PHONE_ERROR_EMPTY },
    { "abc", "PL", DD_PHONE_ERROR_NOT_A_NUMBER },
    { "tel: brak", "PL", DD_PHONE_ERROR_NOT_A_NUMBER },
    { "нет", "RU", DD_PHONE_ERROR_NOT_A_NUMBER },
    { "+", "PL", DD_PHONE_ERROR_NOT_A_NUMBER },
    { "-", "PL", DD_PHONE_ERROR_NOT_A_NUMBER },
    { "601 234 567, 602 345 678", "PL", DD_PHONE_ERROR_NOT_A_NUMBER },
    { "\xff\xfe" "601234567", "PL", DD_PHONE_ERROR_NOT_A_NUMBER },
    { "12", "PL", DD_PHONE_ERROR_TOO_SHORT },
    { "12-34-56", "RU", DD_PHONE_ERROR_TOO_SHORT },
    { "123-45-67", "RU", DD_PHONE_ERROR_TOO_SHORT },       /* no area code */
    { "+48 60", NULL, DD_PHONE_ERROR_TOO_SHORT },
    { "6012345678901234567", "PL", DD_PHONE_ERROR_TOO_LONG },
    { "+48 22 123 45 67 89", "PL", DD_PHONE_ERROR_TOO_LONG },
    { "+999 123 456", "PL", DD_PHONE_ERROR_INVALID },      /* no such country code */
    { "+7 123 456 78 90", "RU", DD_PHONE_ERROR_INVALID },   /* no such area code */
    { "0601234567", "RU", DD_PHONE_ERROR_INVALID },
    { "601234567", NULL, DD_PHONE_ERROR_UNKNOWN_REGION },
    { "601234567", "XX", DD_PHONE_ERROR_UNKNOWN_REGION },
    { "601234567", "Poland", DD_PHONE_ERROR_UNKNOWN_REGION },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ErrorCase *c = &cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *escaped = c->text ? g_strescape (c->text, NULL) : NULL;
      char *e164 = (char *) "untouched";
      char *extension = (char *) "untouched";
      DdPhoneKind kind = DD_PHONE_KIND_OTHER;

      g_test_message ("“%s” in %s", escaped, c->region);
      g_assert_false (dd_phone_normalize_with_extension (c->text, c->region, &e164, &extension,
                                                         &kind, &error));
      g_assert_error (error, DD_PHONE_ERROR, (gint) c->code);
      g_assert_nonnull (error->message);
      g_assert_cmpstr (error->message, !=, "");
      g_assert_null (e164);
      g_assert_null (extension);
      g_assert_cmpint (kind, ==, DD_PHONE_KIND_UNKNOWN);
    }
}

static void
test_error_messages (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (dd_phone_normalize ("12", "PL", NULL, NULL, &error));
  g_assert_error (error, DD_PHONE_ERROR, DD_PHONE_ERROR_TOO_SHORT);
  g_assert_cmpstr (error->message, ==, "The phone number is too short");
  g_clear_error (&error);

  g_assert_false (dd_phone_normalize ("601234567", "XX", NULL, NULL, &error));
  g_assert_error (error, DD_PHONE_ERROR, DD_PHONE_ERROR_UNKNOWN_REGION);
  g_assert_nonnull (strstr (error->message, "“XX”"));
  g_clear_error (&error);

  g_assert_false (dd_phone_normalize ("", "PL", NULL, NULL, &error));
  g_assert_cmpstr (error->message, ==, "The phone number is empty");
}

static void
test_kind_strings (void)
{
  static const struct { DdPhoneKind kind; const char *text; } kinds[] = {
    { DD_PHONE_KIND_UNKNOWN, "unknown" },
    { DD_PHONE_KIND_MOBILE, "mobile" },
    { DD_PHONE_KIND_LANDLINE, "landline" },
    { DD_PHONE_KIND_OTHER, "other" },
  };
  DdPhoneKind kind;

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_assert_cmpstr (dd_phone_kind_to_string (kinds[i].kind), ==, kinds[i].text);
      g_assert_true (dd_phone_kind_from_string (kinds[i].text, &kind));
      g_assert_cmpint (kind, ==, kinds[i].kind);
    }

  g_assert_false (dd_phone_kind_from_string ("Mobile", &kind));
  g_assert_cmpint (kind, ==, DD_PHONE_KIND_UNKNOWN);
  g_assert_false (dd_phone_kind_from_string (NULL, &kind));
}

static void
test_regions (void)
{
  g_assert_true (dd_phone_region_is_supported ("PL"));
  g_assert_true (dd_phone_region_is_supported ("RU"));
  g_assert_true (dd_phone_region_is_supported ("de"));
  g_assert_true (dd_phone_region_is_supported ("KZ"));
  g_assert_false (dd_phone_region_is_supported ("XX"));
  g_assert_false (dd_phone_region_is_supported ("ZZ"));
  g_assert_false (dd_phone_region_is_supported ("001"));
  g_assert_false (dd_phone_region_is_supported ("POL"));
  g_assert_false (dd_phone_region_is_supported (""));
  g_assert_false (dd_phone_region_is_supported (NULL));
}

static void
test_format_international (void)
{
  static const struct { const char *e164; const char *display; } cases[] = {
    { "+48601234567", "+48 601 234 567" },
    { "+48221234567", "+48 22 123 45 67" },
    { "+79161234567", "+7 916 123-45-67" },
    { "+4930123456", "+49 30 123456" },
    { "+390612345678", "+39 06 1234 5678" },
  };
  static const char *bad[] = {
    NULL, "", "+", "48601234567", "+48 601", "+0123456", "+4860123456789012345678", "+48abc",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *display = dd_phone_format_international (cases[i].e164);

      g_assert_cmpstr (display, ==, cases[i].display);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_null (dd_phone_format_international (bad[i]));
}

static void
test_round_trip (void)
{
  static const char *numbers[] = {
    "+48 601 234 567", "(22) 123 45 67", "8 (916) 123-45-67", "+7 495 123 45 67",
    "+49 30 123456", "+39 06 1234 5678",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autofree char *e164 = NULL;
      g_autofree char *display = NULL;
      g_autofree char *again = NULL;
      DdPhoneKind kind, kind_again;

      g_assert_true (dd_phone_normalize (numbers[i], i < 2 ? "PL" : "RU", &e164, &kind, NULL));
      display = dd_phone_format_international (e164);
      g_assert_nonnull (display);
      /* what we display parses back to the same number, from any region */
      g_assert_true (dd_phone_normalize (display, "US", &again, &kind_again, NULL));
      g_assert_cmpstr (again, ==, e164);
      g_assert_cmpint (kind_again, ==, kind);
      g_clear_pointer (&again, g_free);
      g_assert_true (dd_phone_normalize (e164, NULL, &again, NULL, NULL));
      g_assert_cmpstr (again, ==, e164);
    }
}

/* The fast path must answer exactly what libphonenumber's own Parse() answers. */
static void
compare_with_libphonenumber (const char *text,
                             const char *region,
                             guint      *n_valid)
{
  DdPhoneShimNumber reference;
  DdPhoneShimStatus status;
  g_autoptr(GError) error = NULL;
  g_autofree char *e164 = NULL;
  g_autofree char *expected = NULL;
  DdPhoneKind kind;
  gboolean ok;

  status = dd_phone_shim_parse (text, region, &reference);
  ok = dd_phone_normalize (text, region, &e164, &kind, &error);

  if (status != DD_PHONE_SHIM_OK)
    {
      if (ok)
        g_error ("“%s” in %s: libphonenumber says %d, dd_phone_normalize() says %s",
                 text, region, status, e164);
      return;
    }

  if (!ok)
    g_error ("“%s” in %s: libphonenumber accepts it, dd_phone_normalize() says %s",
             text, region, error->message);

  expected = g_strdup_printf ("+%d%s", reference.country_code, reference.national);
  if (g_strcmp0 (e164, expected) != 0)
    g_error ("“%s” in %s: libphonenumber says %s, dd_phone_normalize() says %s",
             text, region, expected, e164);
  if (reference.type == DD_PHONE_SHIM_TYPE_MOBILE)
    g_assert_cmpint (kind, ==, DD_PHONE_KIND_MOBILE);
  else if (reference.type == DD_PHONE_SHIM_TYPE_FIXED_LINE)
    g_assert_cmpint (kind, ==, DD_PHONE_KIND_LANDLINE);
  else if (reference.type == DD_PHONE_SHIM_TYPE_FIXED_LINE_OR_MOBILE)
    g_assert_cmpint (kind, ==, DD_PHONE_KIND_UNKNOWN);
  else
    g_assert_cmpint (kind, ==, DD_PHONE_KIND_OTHER);

  (*n_valid)++;
}

static void
random_digits (GRand *rand,
               char  *buf,
               guint  len)
{
  for (guint i = 0; i < len; i++)
    buf[i] = '0' + g_rand_int_range (rand, 0, 10);
  buf[len] = '\0';
}

static void
test_fast_path_agrees (void)
{
  /* calling code and the usual length of its national numbers */
  static const struct { const char *code; guint len; } countries[] = {
    { "1", 10 }, { "7", 10 }, { "33", 9 }, { "43", 10 }, { "44", 10 }, { "48", 9 },
    { "49", 10 }, { "370", 8 }, { "371", 8 }, { "372", 8 }, { "375", 9 }, { "380", 9 },
    { "420", 9 }, { "421", 9 },
  };
  static const struct { const char *region; guint len; } regions[] = {
    { "PL", 9 }, { "RU", 10 },
  };
  static const char *prefixes[] = { "", "", "", "", "0", "8", "00", "810", "48", "7" };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240501);
  guint n_valid = 0;
  guint n_tried = 0;
  char national[24];

  /* "+CC" numbers of every country the fast path knows, of the usual length and of wrong
   * ones, some starting with a trunk prefix */
  for (gsize c = 0; c < G_N_ELEMENTS (countries); c++)
    {
      for (guint i = 0; i < 1500; i++)
        {
          g_autofree char *text = NULL;
          guint len = countries[c].len + (i % 4 == 0 ? g_rand_int_range (rand, -3, 4) : 0);

          random_digits (rand, national, len);
          /* our one deliberate difference: the old Polish trunk prefix 0 */
          if (strcmp (countries[c].code, "48") == 0 && national[0] == '0' && len == 10)
            continue;
          text = g_strdup_printf ("+%s %s", countries[c].code, national);
          compare_with_libphonenumber (text, "PL", &n_valid);
          n_tried++;
        }
    }

  /* numbers written the national way in Poland and Russia, with or without trunk prefixes,
   * international prefixes and the country code */
  for (gsize r = 0; r < G_N_ELEMENTS (regions); r++)
    {
      for (guint i = 0; i < 6000; i++)
        {
          g_autofree char *text = NULL;
          const char *prefix = prefixes[g_rand_int_range (rand, 0, G_N_ELEMENTS (prefixes))];
          guint len = regions[r].len + (i % 4 == 0 ? g_rand_int_range (rand, -3, 4) : 0);

          random_digits (rand, national, len);
          text = g_strdup_printf ("%s%s", prefix, national);
          if (strcmp (regions[r].region, "PL") == 0 && text[0] == '0' && strlen (text) == 10)
            continue;
          compare_with_libphonenumber (text, regions[r].region, &n_valid);
          n_tried++;
        }
    }

  g_test_message ("%u of %u random numbers were valid", n_valid, n_tried);
  /* the comparison means something only if a good share of the numbers is valid */
  g_assert_cmpuint (n_valid, >, n_tried / 4);
}

static void
test_fast_path_tables (void)
{
  const char *region;
  const char *trunk_prefix;
  guint i;

  for (i = 0; _dd_phone_get_fast_country (i, &region, &trunk_prefix); i++)
    {
      char expected[8];

      dd_phone_shim_national_prefix (region, expected, sizeof expected);
      g_test_message ("%s: %s", region, expected);
      g_assert_cmpstr (trunk_prefix, ==, expected);
      g_assert_true (dd_phone_region_is_supported (region));
    }
  g_assert_cmpuint (i, >=, 2);
}

static void
test_repeated_numbers (void)
{
  /* The per-thread cache: the same numbers again and again, interleaved, give the same
   * answers as the first time. */
  static const Case cases[] = {
    { "601 234 567", "PL", "+48601234567", DD_PHONE_KIND_MOBILE, NULL },
    { "22 123 45 67", "PL", "+48221234567", DD_PHONE_KIND_LANDLINE, NULL },
    { "8 916 123 45 67", "RU", "+79161234567", DD_PHONE_KIND_MOBILE, NULL },
    { "+7 800 123 45 67", "PL", "+78001234567", DD_PHONE_KIND_OTHER, NULL },
  };

  for (guint round = 0; round < 50; round++)
    check_cases (cases, G_N_ELEMENTS (cases));
}

#define N_THREADS 4
#define N_PER_THREAD 3000

static gpointer
normalize_in_thread (gpointer data)
{
  guint seed = GPOINTER_TO_UINT (data);
  guint n_errors = 0;

  for (guint i = 0; i < N_PER_THREAD; i++)
    {
      g_autofree char *text = NULL;
      g_autofree char *e164 = NULL;
      g_autofree char *expected = NULL;
      guint n = (seed * 7919 + i) % 1000000;
      DdPhoneKind kind;

      if (i % 2 == 0)
        {
          text = g_strdup_printf ("601 %03u %03u", n / 1000, n % 1000);
          expected = g_strdup_printf ("+48601%06u", n);
          if (!dd_phone_normalize (text, "PL", &e164, &kind, NULL)
              || strcmp (e164, expected) != 0 || kind != DD_PHONE_KIND_MOBILE)
            n_errors++;
        }
      else
        {
          text = g_strdup_printf ("8 (495) %03u-%02u-%02u", n / 10000, n / 100 % 100, n % 100);
          expected = g_strdup_printf ("+7495%03u%02u%02u", n / 10000, n / 100 % 100, n % 100);
          if (!dd_phone_normalize (text, "RU", &e164, &kind, NULL)
              || strcmp (e164, expected) != 0 || kind != DD_PHONE_KIND_LANDLINE)
            n_errors++;
        }
    }

  return GUINT_TO_POINTER (n_errors);
}

static void
test_threads (void)
{
  GThread *threads[N_THREADS];

  for (guint i = 0; i < N_THREADS; i++)
    threads[i] = g_thread_new ("phone", normalize_in_thread, GUINT_TO_POINTER (i + 1));

  for (guint i = 0; i < N_THREADS; i++)
    g_assert_cmpuint (GPOINTER_TO_UINT (g_thread_join (threads[i])), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/phone/formats/polish", test_polish_formats);
  g_test_add_func ("/dd/phone/formats/russian", test_russian_formats);
  g_test_add_func ("/dd/phone/formats/other-countries", test_other_countries);
  g_test_add_func ("/dd/phone/extensions", test_extensions);
  g_test_add_func ("/dd/phone/errors/codes", test_errors);
  g_test_add_func ("/dd/phone/errors/messages", test_error_messages);
  g_test_add_func ("/dd/phone/kind-strings", test_kind_strings);
  g_test_add_func ("/dd/phone/regions", test_regions);
  g_test_add_func ("/dd/phone/format-international", test_format_international);
  g_test_add_func ("/dd/phone/round-trip", test_round_trip);
  g_test_add_func ("/dd/phone/fast-path/agrees", test_fast_path_agrees);
  g_test_add_func ("/dd/phone/fast-path/tables", test_fast_path_tables);
  g_test_add_func ("/dd/phone/repeated-numbers", test_repeated_numbers);
  g_test_add_func ("/dd/phone/threads", test_threads);

  return g_test_run ();
}
