/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "dd-column-map.h"

G_BEGIN_DECLS

/* What a saved column mapping keeps besides the columns (version 2 of the preset:
 * {"version":2,"fields":{…},"dates":"month-first","currency":"EUR"}). A version 1 preset
 * keeps only the columns. */
typedef struct
{
  int  date_order;    /* 0: not kept; -1 day first (DD/MM/YYYY); 1 month first (MM/DD/YYYY) */
  char currency[4];   /* the currency chosen for the amounts that name none; "" when not kept */
} DdImportPresetSettings;

void      dd_import_preset_settings_init (DdImportPresetSettings       *settings);

/* The preset of @map (header names, see dd_column_map_to_json()) with @settings (or none). */
char     *dd_import_preset_to_json       (const DdColumnMap            *map,
                                          const DdImportPresetSettings *settings,
                                          const char * const           *headers,
                                          guint                         n_headers);

/* The settings @json keeps; all unset for a version 1 preset and for values this version
 * does not know. FALSE when @json is not a preset at all. */
gboolean  dd_import_preset_read_settings (const char                   *json,
                                          DdImportPresetSettings       *settings);

G_END_DECLS
