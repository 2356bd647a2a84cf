/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The country, currency and language an office works in. */
typedef struct
{
  const char *country;    /* ISO 3166-1 alpha-2: "PL" */
  const char *currency;   /* ISO 4217: "PLN" */
  const char *language;   /* "pl" */
} DdRegion;

/* The region a desktop locale ("ru_RU.UTF-8", "pl", "C") stands for. Only the languages the
 * application speaks to debtors in are known (Polish, Russian); for any other locale @out is
 * set to the application's defaults (PL, PLN, en) and FALSE is returned: nothing was chosen. */
gboolean    dd_region_for_locale              (const char *locale,
                                               DdRegion   *out);
/* The usual currency of @country ("RU" → "RUB"); "EUR" for countries not in the table. */
const char *dd_region_currency_for_country    (const char *country);

/* Office settings (the application's GSettings schema: default-country, default-currency,
 * office-language, region-source). */

/* At the first start, takes country, currency and language from @locale when it names one
 * (ru → RU/RUB/ru, pl → PL/PLN/pl) and records where they came from in "region-source":
 * "locale", or "default" when the locale said nothing and the schema defaults stand
 * unchosen. Later calls change nothing. Returns TRUE when it wrote the region. */
gboolean    dd_region_settings_init           (GSettings  *settings,
                                               const char *locale);
/* The office's country, or NULL when nobody has chosen one yet (neither the locale at the
 * first start nor the user in the preferences): an import then takes the file's. */
char       *dd_region_settings_dup_country    (GSettings  *settings);

G_END_DECLS
