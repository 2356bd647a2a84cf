/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DD_DEMO_OFFICE_ERROR (dd_demo_office_error_quark ())

/**
 * DdDemoOfficeError:
 * @DD_DEMO_OFFICE_ERROR_INVALID_OPTIONS: an unknown locale, an error rate outside 0..1, or
 *   neither debtors nor rows asked for
 * @DD_DEMO_OFFICE_ERROR_ENCODING: the encoding is unknown, or cannot write the locale's
 *   letters (Russian in windows-1250)
 *
 * Errors of the stream itself come as they are (#G_IO_ERROR).
 */
typedef enum
{
  DD_DEMO_OFFICE_ERROR_INVALID_OPTIONS,
  DD_DEMO_OFFICE_ERROR_ENCODING,
} DdDemoOfficeError;

/**
 * DdDemoOfficeOptions:
 * @n_debtors: how many debtors (each with 1–4 overdue invoices, one row each); 0 means as
 *   many as @max_rows needs
 * @locale: "pl" or "ru": language of the headers, names, addresses, formats and currency
 * @seed: the same seed (and options) write the same bytes
 * @encoding: %NULL or "UTF-8", or any encoding iconv knows that can write the locale's
 *   letters ("windows-1250" for pl, "windows-1251" for ru, as old accounting systems write)
 * @today: (nullable): due dates lie 5–180 days before this day; %NULL is today
 * @error_rate: 0.0–1.0, the share of rows with one realistic defect (see
 *   #DdDemoOfficeDefect)
 * @max_rows: 0 for no limit; otherwise stop after exactly this many data rows (fewer only
 *   when @n_debtors runs out first)
 *
 * What dd_demo_office_write_csv() writes. Zero-initialise and set what you need.
 */
typedef struct
{
  guint        n_debtors;
  const char  *locale;
  guint32      seed;
  const char  *encoding;
  const GDate *today;
  double       error_rate;
  guint        max_rows;
} DdDemoOfficeOptions;

/**
 * DdDemoOfficeDefect:
 * @DD_DEMO_OFFICE_DEFECT_PHONE: the first phone lost its last two digits
 * @DD_DEMO_OFFICE_DEFECT_AMOUNT: the amount is a spreadsheet error or a word ("#ARG!",
 *   "#ЗНАЧ!", "brak")
 * @DD_DEMO_OFFICE_DEFECT_INVOICE: the invoice number is empty
 * @DD_DEMO_OFFICE_DEFECT_DUE_DATE: the due date does not exist (30 February, month 13)
 * @DD_DEMO_OFFICE_DEFECT_TAX_ID: the tax ID's last digit is wrong, for the schemes of either
 *   country (only rows of debtors that have one)
 *
 * The defects dd_demo_office_write_csv() puts in a row, one at most per row.
 */
typedef enum
{
  DD_DEMO_OFFICE_DEFECT_PHONE,
  DD_DEMO_OFFICE_DEFECT_AMOUNT,
  DD_DEMO_OFFICE_DEFECT_INVOICE,
  DD_DEMO_OFFICE_DEFECT_DUE_DATE,
  DD_DEMO_OFFICE_DEFECT_TAX_ID,
  DD_DEMO_OFFICE_N_DEFECTS,
} DdDemoOfficeDefect;

/**
 * DdDemoOfficeStats:
 * @n_rows: data rows written (the header not counted)
 * @n_debtors: distinct debtors in them
 * @n_defects: rows with each kind of defect
 *
 * What was written, for tests that check what the importer reports.
 */
typedef struct
{
  guint n_rows;
  guint n_debtors;
  guint n_defects[DD_DEMO_OFFICE_N_DEFECTS];
} DdDemoOfficeStats;

/* Columns of every demo export, in this order. */
#define DD_DEMO_OFFICE_N_COLUMNS 12

GQuark    dd_demo_office_error_quark            (void);

gboolean  dd_demo_office_write_csv              (GOutputStream              *out,
                                                 const DdDemoOfficeOptions  *options,
                                                 GCancellable               *cancellable,
                                                 GError                    **error);
gboolean  dd_demo_office_write_csv_with_stats   (GOutputStream              *out,
                                                 const DdDemoOfficeOptions  *options,
                                                 DdDemoOfficeStats          *out_stats,
                                                 GCancellable               *cancellable,
                                                 GError                    **error);

gboolean  dd_demo_office_is_demo_phone          (const char                 *e164);

G_END_DECLS
