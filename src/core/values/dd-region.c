/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-region"

#include "config.h"

#include "dd-region.h"

#include <string.h>

static const DdRegion regions[] = {
  { "PL", "PLN", "pl" },
  { "RU", "RUB", "ru" },
};

static const DdRegion fallback_region = { "PL", "PLN", "en" };

gboolean
dd_region_for_locale (const char *locale,
                      DdRegion   *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  *out = fallback_region;
  if (locale == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    {
      gsize n = strlen (regions[i].language);

      /* "ru", "ru_RU", "ru_UA.UTF-8", "pl_PL@euro"; not "rue" */
      if (g_ascii_strncasecmp (locale, regions[i].language, n) == 0 &&
          (locale[n] == '\0' || locale[n] == '_' || locale[n] == '.' || locale[n] == '@'))
        {
          *out = regions[i];
          return TRUE;
        }
    }
  return FALSE;
}

const char *
dd_region_currency_for_country (const char *country)
{
  static const struct { const char *country, *currency; } table[] = {
    { "PL", "PLN" }, { "RU", "RUB" }, { "UA", "UAH" }, { "BY", "BYN" }, { "KZ", "KZT" },
    { "CZ", "CZK" }, { "GB", "GBP" }, { "US", "USD" }, { "CH", "CHF" }, { "SE", "SEK" },
  };

  for (guint i = 0; country != NULL && i < G_N_ELEMENTS (table); i++)
    if (g_ascii_strcasecmp (country, table[i].country) == 0)
      return table[i].currency;
  return "EUR";
}

static gboolean
has_key (GSettings  *settings,
         const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  return schema != NULL && g_settings_schema_has_key (schema, key);
}

gboolean
dd_region_settings_init (GSettings  *settings,
                         const char *locale)
{
  g_autofree char *source = NULL;
  DdRegion region;
  gboolean known;

  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);

  if (!has_key (settings, "region-source"))
    return FALSE;
  source = g_settings_get_string (settings, "region-source");
  if (*source != '\0')
    return FALSE;

  /* an office set up before this key existed keeps what the user chose */
  {
    g_autoptr(GVariant) user_country = g_settings_get_user_value (settings, "default-country");

    if (user_country != NULL)
      {
        g_settings_set_string (settings, "region-source", "user");
        return FALSE;
      }
  }

  known = dd_region_for_locale (locale, &region);
  if (!known)
    {
      /* PL/PLN stay the schema's defaults, not a choice: imports take a file's country */
      g_settings_set_string (settings, "region-source", "default");
      return FALSE;
    }

  g_settings_delay (settings);
  g_settings_set_string (settings, "default-country", region.country);
  g_settings_set_string (settings, "default-currency", region.currency);
  g_settings_set_string (settings, "office-language", region.language);
  g_settings_set_string (settings, "region-source", "locale");
  g_settings_apply (settings);
  return TRUE;
}

char *
dd_region_settings_dup_country (GSettings *settings)
{
  g_autoptr(GVariant) user_country = NULL;
  g_autofree char *country = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  user_country = g_settings_get_user_value (settings, "default-country");
  if (user_country == NULL)
    return NULL;
  country = g_settings_get_string (settings, "default-country");
  if (*country == '\0')
    return NULL;
  return g_steal_pointer (&country);
}
