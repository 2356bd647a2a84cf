/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a CSV column can mean to the importer. */
typedef enum
{
  DD_IMPORT_FIELD_NONE = -1,
  DD_IMPORT_FIELD_DEBTOR_NAME = 0,
  DD_IMPORT_FIELD_TAX_ID,
  DD_IMPORT_FIELD_ADDRESS,
  DD_IMPORT_FIELD_EMAIL,
  DD_IMPORT_FIELD_BIRTHDAY,
  DD_IMPORT_FIELD_PHONE_1,
  DD_IMPORT_FIELD_PHONE_2,
  DD_IMPORT_FIELD_PHONE_3,
  DD_IMPORT_FIELD_PHONE_4,
  DD_IMPORT_FIELD_CREDITOR,
  DD_IMPORT_FIELD_INVOICE,
  DD_IMPORT_FIELD_ISSUED_ON,
  DD_IMPORT_FIELD_DUE_ON,
  DD_IMPORT_FIELD_AMOUNT,
  DD_IMPORT_FIELD_CURRENCY,
  DD_IMPORT_FIELD_TOTAL,         /* the invoice's total (gross), whatever was paid of it */
  DD_IMPORT_FIELD_PAID,          /* what was paid of the invoice so far */
  DD_N_IMPORT_FIELDS
} DdImportField;

#define DD_IMPORT_N_PHONES 4

/* Stable key used in presets and on the command line ("name", "phone2", "due"…). */
const char    *dd_import_field_to_key      (DdImportField  field);
DdImportField  dd_import_field_from_key    (const char    *key);
/* Translated label for the UI and messages ("Debtor name", "Due date"…). */
const char    *dd_import_field_get_label   (DdImportField  field);
gboolean       dd_import_field_is_required (DdImportField  field);

typedef struct
{
  int column[DD_N_IMPORT_FIELDS];   /* column index for each field, -1 when unmapped */
} DdColumnMap;

void      dd_column_map_init           (DdColumnMap        *map);
/* Guesses the meaning of each column from Polish, Russian and English header names.
 * Each field is taken by at most one column, the best match first. */
void      dd_column_map_guess          (DdColumnMap        *map,
                                        const char * const *headers,
                                        guint               n_headers);
/* Sets @field to the column whose header is @header (compared loosely); FALSE if none. */
gboolean  dd_column_map_set_by_header  (DdColumnMap        *map,
                                        DdImportField       field,
                                        const char * const *headers,
                                        guint               n_headers,
                                        const char         *header);
/* Where the debt of a row comes from. DD_IMPORT_FIELD_AMOUNT is the amount still due; an
 * export that has only the invoice total (and maybe what was paid) gives it indirectly. */
typedef enum
{
  DD_DEBT_SOURCE_NONE,
  DD_DEBT_SOURCE_REMAINING,          /* the amount-due column */
  DD_DEBT_SOURCE_TOTAL,              /* only an invoice-total column: nothing was paid */
  DD_DEBT_SOURCE_TOTAL_MINUS_PAID,   /* invoice total − amount paid */
} DdDebtSource;

DdDebtSource dd_column_map_get_debt_source (const DdColumnMap *map);
/* TRUE for the fields that hold sums of money (amount due, invoice total, amount paid). */
gboolean  dd_import_field_is_money     (DdImportField       field);

/* Required fields that have no column, or NULL when complete (free with g_free). */
DdImportField *dd_column_map_missing   (const DdColumnMap  *map,
                                        guint              *out_n_missing);

/* Presets keep header names, not positions, so a reordered export still maps. */
char     *dd_column_map_to_json        (const DdColumnMap  *map,
                                        const char * const *headers,
                                        guint               n_headers);
gboolean  dd_column_map_from_json      (DdColumnMap        *map,
                                        const char         *json,
                                        const char * const *headers,
                                        guint               n_headers,
                                        GError            **error);

#define DD_COLUMN_MAP_ERROR (dd_column_map_error_quark ())
typedef enum
{
  DD_COLUMN_MAP_ERROR_INVALID_PRESET,
  DD_COLUMN_MAP_ERROR_MISSING_COLUMN,
  DD_COLUMN_MAP_ERROR_UNKNOWN_FIELD,
} DdColumnMapError;
GQuark    dd_column_map_error_quark    (void);

/* Loose form of a header for comparison: casefolded, without diacritics, punctuation or
 * repeated spaces ("Termin płatności:" → "termin platnosci"). */
char     *dd_column_map_normalize_header (const char *header);

/* The name of @column (0-based) for the user: its header; "Kwota (column 11)" when another
 * column has the same header (loosely compared), so that two "Kwota" columns can be told
 * apart; its number ("3") when the file has no header or the header is empty. @translated:
 * in the user's language, or in English for --json and saved presets. */
char     *dd_column_map_column_label   (const char * const *headers,
                                        guint               n_headers,
                                        int                 column,
                                        gboolean            translated);

G_END_DECLS
