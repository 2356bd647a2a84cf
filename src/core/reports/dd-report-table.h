/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-reports.h"

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A report as tables of typed cells: what the CSV, the JSON and the PDF (and a GtkColumnView)
 * show. Each column has a machine key (JSON, CSV header) and a translated title (PDF, window).
 */

typedef enum
{
  DD_REPORT_CELL_TEXT,
  DD_REPORT_CELL_INT,
  DD_REPORT_CELL_MONEY,   /* minor units */
  DD_REPORT_CELL_SHARE,   /* 0…1 (or a difference −1…1); NaN: none */
} DdReportCellKind;

typedef struct
{
  char             *key;
  char             *title;
  DdReportCellKind  kind;
} DdReportColumn;

typedef struct
{
  DdReportCellKind kind;
  gint64           value;   /* INT, MONEY */
  double           share;   /* SHARE */
  char            *text;    /* TEXT; MONEY: its currency code, or NULL */
} DdReportCell;

typedef struct
{
  char      *key;       /* "campaigns", "effect", … */
  char      *title;     /* translated */
  char      *note;      /* translated, or NULL (e.g. "No payments imported yet") */
  GArray    *columns;   /* DdReportColumn */
  GPtrArray *rows;      /* GArray of DdReportCell, one per column */
  guint      chart_column; /* the column a bar chart shows, G_MAXUINT: none */
  guint      chart_column_b; /* a second series beside it (e.g. the held out), or G_MAXUINT */
} DdReportTable;

DdReportTable *dd_report_table_new        (const char          *key,
                                           const char          *title);
void           dd_report_table_free       (DdReportTable       *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdReportTable, dd_report_table_free)
void           dd_report_table_add_column (DdReportTable       *table,
                                           const char          *key,
                                           const char          *title,
                                           DdReportCellKind     kind);
/* Starts a row; then add its cells in the order of the columns. */
void           dd_report_table_begin_row  (DdReportTable       *table);
void           dd_report_table_add_text   (DdReportTable       *table,
                                           const char          *text);
void           dd_report_table_add_int    (DdReportTable       *table,
                                           gint64               value);
void           dd_report_table_add_money  (DdReportTable       *table,
                                           gint64               minor);
/* An amount in its currency: never summed with another currency's (shown "12.50 PLN"). */
void           dd_report_table_add_amount (DdReportTable       *table,
                                           gint64               minor,
                                           const char          *currency);
void           dd_report_table_add_share  (DdReportTable       *table,
                                           double               share);
const DdReportCell *dd_report_table_cell  (const DdReportTable *table,
                                           guint                row,
                                           guint                column);

/* "pl" or "ru" when the user reads Polish or Russian (LANGUAGE, LC_MESSAGES…): amounts are then
 * written with a decimal comma; else NULL. */
const char    *dd_report_decimal_comma_language (void);
/* A cell for people (PDF, window): money "1 234.56" (with its currency "1 234.56 PLN"),
 * shares "30.0 %". */
char          *dd_report_cell_format      (const DdReportCell  *cell);
/* A cell for machines (CSV): money "1234.56", shares "0.3000", empty for none. */
char          *dd_report_cell_plain       (const DdReportCell  *cell);
/* Whether a spreadsheet would read text @text as a formula: it opens with "=", "+", "-", "@",
 * a tab or a carriage return. The CSV writers put an apostrophe in front of such text. */
gboolean       dd_csv_text_is_formula     (const char          *text);
/* RFC 4180 CSV of the tables: each table a header line (the keys) and its rows; tables
 * after the first follow an empty line and a "# key" line. Text that a spreadsheet would take
 * for a formula (dd_csv_text_is_formula()) gets an apostrophe in front ("'=HYPERLINK(…)"). */
char          *dd_report_tables_to_csv    (GPtrArray           *tables);
/* The same for a spreadsheet opened by a double click (what Export CSV… in the window
 * writes): a UTF-8 byte order mark (without it Excel garbles "Łódź"), and for a
 * Polish or Russian reader ";" between the fields and decimal commas ("1234,56", "0,3000"),
 * as their spreadsheets read numbers; else "," and decimal points. */
char          *dd_report_tables_to_csv_for_spreadsheet (GPtrArray *tables);

/* The ageing buckets' bounds (guint) of @settings' report-ageing-buckets (an "au" key), or
 * 30, 60, 90 when @settings is NULL or the list is empty. */
GArray        *dd_report_ageing_bounds    (GSettings           *settings);
/* A day ("2026-11-30") as the reader writes it: "30.11.2026" in Polish and Russian, else as
 * it is. */
char          *dd_report_date_text        (const char          *iso);
/* When a report was made, the same way: "07.12.2026 14:05", else "2026-12-07 14:05". */
char          *dd_report_made_text        (GDateTime           *when);
/* "Period: 2026-11-01 – 2026-11-30" (dates by dd_report_date_text()), "Period: from …",
 * "Period: until …", "Period: all time". */
char          *dd_report_period_text      (const char          *from,
                                           const char          *to);
/* The title of report @which: 0 campaign results, 1 effect, 2 promises, 3 ageing, 4 work,
 * 5 inbound queues. */
const char    *dd_report_title            (guint                which);

/* The tables of each report (GPtrArray of DdReportTable). */
GPtrArray     *dd_report_campaigns_tables (GPtrArray             *rows);
GPtrArray     *dd_report_effect_tables    (const DdReportEffect  *effect);
GPtrArray     *dd_report_promises_tables  (GPtrArray             *rows);
GPtrArray     *dd_report_ageing_tables    (const DdReportAgeing  *ageing);
GPtrArray     *dd_report_work_tables      (GPtrArray             *rows);

/* Runs report @which (0 campaign results, 1 effect, 2 promises, 3 ageing with @bounds, a GArray
 * of guint as dd_report_ageing() takes them, 4 work, as dd_report_title()) for @filter and
 * gives its tables; @out_effect (nullable) receives the effect of the effect report;
 * @out_empty (nullable) says that there was nothing to report (no campaign, no payment or
 * nobody contacted, no declaration, no open balance, no work).
 * NULL with @error when the database fails. Run it in a worker thread. */
GPtrArray     *dd_report_make_tables      (DdDatabase            *database,
                                           guint                  which,
                                           const DdReportFilter  *filter,
                                           GArray                *bounds,
                                           DdReportEffect        *out_effect,
                                           gboolean              *out_empty,
                                           GError               **error);

G_END_DECLS
