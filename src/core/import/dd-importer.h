/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dd-column-map.h"
#include "dd-database.h"
#include "dd-import-preset.h"
#include "dd-import-summary.h"

G_BEGIN_DECLS

#define DD_IMPORT_ERROR (dd_import_error_quark ())
typedef enum
{
  DD_IMPORT_ERROR_EMPTY_FILE,
  DD_IMPORT_ERROR_NO_HEADER,
  DD_IMPORT_ERROR_MAPPING,
  DD_IMPORT_ERROR_PRESET,
  DD_IMPORT_ERROR_READ,
  DD_IMPORT_ERROR_DATABASE,
} DdImportError;
GQuark dd_import_error_quark (void);

typedef struct
{
  const char        *encoding;           /* NULL: detect; else "UTF-8", "windows-1250"… */
  char               delimiter;          /* 0: detect */
  int                has_header;         /* -1: detect, 0 no, 1 yes */
  const char        *country;            /* the office's country, for phones without a prefix;
                                          * NULL when it has none yet: the country the file
                                          * looks like (dd_csv_sniff_country()), else "PL" */
  const char        *currency;           /* default currency; if NULL: the preset's, else the
                                          * one the debt column's label names, else the
                                          * country's */
  const char        *creditor;           /* creditor of rows without a creditor column */
  const DdColumnMap *mapping;            /* NULL: guessed from the header (or the preset) */
  const char        *preset;             /* name of a saved mapping preset, or NULL */
  const char        *save_preset;        /* save the mapping used under this name, or NULL,
                                          * with the date order and the currency given */
  gboolean           dry_run;            /* do everything, then roll back */
  gboolean           mark_missing_paid;  /* open invoices of the file's creditors that the
                                          * file no longer lists are marked paid */
  GOutputStream     *rejects;            /* if set, rejected and doubtful rows are written
                                          * here as CSV (UTF-8, the file's delimiter) */
  int                date_order;         /* slash dates: 0 the preset's, else detect (day
                                          * first unless the file shows otherwise), -1 day
                                          * first (DD/MM/YYYY), 1 month first (MM/DD/YYYY) */
  int                bulk;               /* 0: the bulk path for a file large next to the
                                          * office; 1: always; -1: never (tests compare) */
} DdImportOptions;

void dd_import_options_init (DdImportOptions *options);

/* Called about every 1,000 rows, in the thread that runs the import. */
typedef void (*DdImportProgressFunc) (guint64  bytes_read,
                                      guint64  bytes_total,
                                      guint64  rows,
                                      gpointer user_data);

/* The first rows of a file as the importer sees them, for the mapping step. */
typedef struct
{
  char        *encoding;
  char         delimiter;
  guint        skip_records;  /* a report's title before the table, passed over */
  gboolean     has_header;
  guint        n_columns;
  GStrv        headers;       /* NULL without a header row */
  GPtrArray   *rows;          /* of GStrv: the first data rows */
  DdColumnMap  guessed;       /* from the headers */
  char        *country;       /* the country the file looks like, or NULL */
  gboolean     slash_dates;   /* the file writes dates with slashes ("03/10/2026") */
  gboolean     month_first;   /* …month first, as far as the file shows (MM/DD/YYYY) */
  gboolean     dates_ambiguous; /* every slash date fits both orders: read day first unless
                                 * DdImportOptions.date_order says otherwise */
} DdImportPreview;

void             dd_import_preview_free (DdImportPreview *preview);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdImportPreview, dd_import_preview_free)

/* Reads the start of @file with the detected (or given, when non-NULL/non-zero/>= 0)
 * encoding, delimiter and header setting. */
DdImportPreview *dd_import_preview_file (GFile          *file,
                                         const char     *encoding,
                                         char            delimiter,
                                         int             has_header,
                                         guint           max_rows,
                                         GCancellable   *cancellable,
                                         GError        **error);

/* The currency that @label, the header of a money column, names ("Amount due (EUR)",
 * "Сумма долга, руб.", "Kwota [EUR]"): TRUE with its ISO code in @out_code. */
gboolean         dd_import_label_currency (const char  *label,
                                           char         out_code[4]);
/* The currency the import takes for the amounts that name none when the options give no
 * currency: the one the label of @map's debt column (the amount due, else the invoice total)
 * names in @preview's header. FALSE when it names none. A currency column still gives each
 * of its rows their own. */
gboolean         dd_import_preview_debt_currency (const DdImportPreview *preview,
                                                  const DdColumnMap     *map,
                                                  char                   out_code[4]);

/* Reads @text (a trimmed field) as the import reads a date: slash dates month first when
 * @month_first, spreadsheet serial numbers too. */
gboolean         dd_import_read_date    (const char    *text,
                                         gboolean       month_first,
                                         GDate         *out_date);

#define DD_TYPE_IMPORTER (dd_importer_get_type ())
G_DECLARE_FINAL_TYPE (DdImporter, dd_importer, DD, IMPORTER, GObject)

DdImporter      *dd_importer_new    (DdDatabase            *database);

/* Imports @file in one transaction: on error or cancellation nothing is changed. Runs in
 * the calling thread with the importer's database connection. */
DdImportSummary *dd_importer_run    (DdImporter            *self,
                                     GFile                 *file,
                                     const DdImportOptions *options,
                                     GCancellable          *cancellable,
                                     DdImportProgressFunc   progress,
                                     gpointer               progress_data,
                                     GError               **error);

/* The same in a worker thread with its own database connection (DESIGN.md §3). @progress
 * is called on the thread-default main context of the caller; the options are copied. */
void             dd_importer_run_async  (DdImporter            *self,
                                         GFile                 *file,
                                         const DdImportOptions *options,
                                         GCancellable          *cancellable,
                                         DdImportProgressFunc   progress,
                                         gpointer               progress_data,
                                         GDestroyNotify         progress_data_destroy,
                                         GAsyncReadyCallback    callback,
                                         gpointer               user_data);
DdImportSummary *dd_importer_run_finish (DdImporter            *self,
                                         GAsyncResult          *result,
                                         GError               **error);

G_END_DECLS
