/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-region.h"

static void
test_for_locale (void)
{
  DdRegion region;

  g_assert_true (dd_region_for_locale ("ru_RU.UTF-8", &region));
  g_assert_cmpstr (region.country, ==, "RU");
  g_assert_cmpstr (region.currency, ==, "RUB");
  g_assert_cmpstr (region.language, ==, "ru");
  g_assert_true (dd_region_for_locale ("pl", &region));
  g_assert_cmpstr (region.country, ==, "PL");
  g_assert_cmpstr (region.currency, ==, "PLN");
  g_assert_true (dd_region_for_locale ("pl_PL@euro", &region));
  g_assert_cmpstr (region.language, ==, "pl");

  /* not a language the office speaks: the defaults, and FALSE (nothing was chosen) */
  g_assert_false (dd_region_for_locale ("en_GB.UTF-8", &region));
  g_assert_cmpstr (region.country, ==, "PL");
  g_assert_cmpstr (region.currency, ==, "PLN");
  g_assert_false (dd_region_for_locale ("C", &region));
  g_assert_false (dd_region_for_locale ("rue_UA", &region));
  g_assert_false (dd_region_for_locale (NULL, &region));

  g_assert_cmpstr (dd_region_currency_for_country ("ru"), ==, "RUB");
  g_assert_cmpstr (dd_region_currency_for_country ("DE"), ==, "EUR");
}

static GSettings *
fresh_settings (void)
{
  GSettings *settings = g_settings_new (APPLICATION_ID);
  const char *keys[] = { "default-country", "default-currency", "office-language",
                         "region-source" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
  return settings;
}

static void
test_settings_from_locale (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autofree char *currency = NULL, *language = NULL, *source = NULL, *country = NULL;

  g_assert_null (dd_region_settings_dup_country (settings));
  g_assert_true (dd_region_settings_init (settings, "ru_RU.UTF-8"));
  country = dd_region_settings_dup_country (settings);
  currency = g_settings_get_string (settings, "default-currency");
  language = g_settings_get_string (settings, "office-language");
  source = g_settings_get_string (settings, "region-source");
  g_assert_cmpstr (country, ==, "RU");
  g_assert_cmpstr (currency, ==, "RUB");
  g_assert_cmpstr (language, ==, "ru");
  g_assert_cmpstr (source, ==, "locale");

  /* only the first start decides */
  g_assert_false (dd_region_settings_init (settings, "pl_PL.UTF-8"));
  g_clear_pointer (&country, g_free);
  country = dd_region_settings_dup_country (settings);
  g_assert_cmpstr (country, ==, "RU");
}

static void
test_settings_not_chosen (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autofree char *source = NULL, *country = NULL, *stored = NULL;

  g_assert_false (dd_region_settings_init (settings, "en_US.UTF-8"));
  source = g_settings_get_string (settings, "region-source");
  stored = g_settings_get_string (settings, "default-country");
  g_assert_cmpstr (source, ==, "default");
  g_assert_cmpstr (stored, ==, "PL");
  /* the default stands, but nobody chose it: an import may take the file's country */
  g_assert_null (dd_region_settings_dup_country (settings));

  /* chosen later in the preferences */
  g_settings_set_string (settings, "default-country", "CZ");
  country = dd_region_settings_dup_country (settings);
  g_assert_cmpstr (country, ==, "CZ");
}

static void
test_settings_chosen_before (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autofree char *source = NULL, *country = NULL;

  /* an office from before: the user's choice is kept whatever the locale */
  g_settings_set_string (settings, "default-country", "PL");
  g_assert_false (dd_region_settings_init (settings, "ru_RU.UTF-8"));
  source = g_settings_get_string (settings, "region-source");
  country = dd_region_settings_dup_country (settings);
  g_assert_cmpstr (source, ==, "user");
  g_assert_cmpstr (country, ==, "PL");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dd/region/for-locale", test_for_locale);
  g_test_add_func ("/dd/region/settings-from-locale", test_settings_from_locale);
  g_test_add_func ("/dd/region/settings-not-chosen", test_settings_not_chosen);
  g_test_add_func ("/dd/region/settings-chosen-before", test_settings_chosen_before);
  return g_test_run ();
}
