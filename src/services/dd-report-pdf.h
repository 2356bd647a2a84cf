/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-report-table.h"

#include <cairo.h>

G_BEGIN_DECLS

/*
 * A report's tables as a PDF (cairo + Pango; A4 landscape): every page is headed by the
 * office's name, the period and the date the report was made; a table with a chart column
 * is followed by a bar chart of it. Shared by the CLI and the window's Reports view.
 */
gboolean dd_report_pdf_write (const char  *path,
                              const char  *title,
                              const char  *office_name,
                              const char  *period,
                              GPtrArray   *tables,
                              GError     **error);

/* The size of a page of dd_report_pdf_draw_page(), in points (A4 landscape). */
#define DD_REPORT_PAGE_WIDTH  841.89
#define DD_REPORT_PAGE_HEIGHT 595.28

/* Printing: draws page @page (1-based) of the report into @cr, a page of
 * DD_REPORT_PAGE_WIDTH × DD_REPORT_PAGE_HEIGHT (scale @cr to the paper first); @made is the
 * date shown at the foot. With @page 0 it draws nothing. Returns the number of pages. */
guint    dd_report_pdf_draw_page (cairo_t     *cr,
                                  guint        page,
                                  const char  *title,
                                  const char  *office_name,
                                  const char  *made,
                                  const char  *period,
                                  GPtrArray   *tables);

/* The bar chart of @table's chart column (and of its second series, chart_column_b, beside
 * it): a legend, then a label and a bar with its value per row, drawn from (0, 0) in the
 * source colour of @cr (the bars in their own colours). One drawing for the window, the print
 * and the PDF. dd_report_chart_height() is the height it takes (0: no chart). */
double   dd_report_chart_height  (const DdReportTable *table,
                                  double               row_height);
void     dd_report_chart_draw    (cairo_t             *cr,
                                  const DdReportTable *table,
                                  double               width,
                                  double               row_height,
                                  double               font_size);

G_END_DECLS
