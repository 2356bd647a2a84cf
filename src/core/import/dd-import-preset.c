/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-import"

#include "config.h"

#include "dd-import-preset.h"
#include "dd-json.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define DATES_DAY_FIRST   "day-first"
#define DATES_MONTH_FIRST "month-first"

void
dd_import_preset_settings_init (DdImportPresetSettings *settings)
{
  memset (settings, 0, sizeof *settings);
}

static gboolean
currency_code_valid (const char *code)
{
  if (code == NULL || strlen (code) != 3)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    if (!g_ascii_isupper (code[i]))
      return FALSE;
  return TRUE;
}

char *
dd_import_preset_to_json (const DdColumnMap            *map,
                          const DdImportPresetSettings *settings,
                          const char * const           *headers,
                          guint                         n_headers)
{
  g_autofree char *columns = dd_column_map_to_json (map, headers, n_headers);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  /* the columns as version 1 writes them, and beside them what version 2 adds */
  if (!json_parser_load_from_data (parser, columns, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return g_steal_pointer (&columns);
  root = json_node_copy (json_parser_get_root (parser));
  object = json_node_get_object (root);
  json_object_set_int_member (object, "version", 2);
  if (settings != NULL && settings->date_order != 0)
    json_object_set_string_member (object, "dates",
                                   settings->date_order > 0 ? DATES_MONTH_FIRST : DATES_DAY_FIRST);
  if (settings != NULL && currency_code_valid (settings->currency))
    json_object_set_string_member (object, "currency", settings->currency);
  return json_to_string (root, FALSE);
}

gboolean
dd_import_preset_read_settings (const char             *json,
                                DdImportPresetSettings *settings)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  const char *dates, *currency;

  dd_import_preset_settings_init (settings);
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  object = json_node_get_object (json_parser_get_root (parser));

  /* version 1 has neither member: nothing is kept */
  dates = dd_json_get_string (object, "dates");
  if (g_strcmp0 (dates, DATES_MONTH_FIRST) == 0)
    settings->date_order = 1;
  else if (g_strcmp0 (dates, DATES_DAY_FIRST) == 0)
    settings->date_order = -1;
  currency = dd_json_get_string (object, "currency");
  if (currency_code_valid (currency))
    memcpy (settings->currency, currency, 4);
  return TRUE;
}
