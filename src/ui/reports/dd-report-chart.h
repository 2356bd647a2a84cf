/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "dd-report-table.h"

G_BEGIN_DECLS

/*
 * DdReportChart: the bar chart of a report's table (its chart column, and a second series
 * beside it), drawn with the same code as the PDF (dd_report_chart_draw()). The figures are
 * also shown as a table next to it: the chart is an image for assistive technologies, with a
 * label that names it.
 */
#define DD_TYPE_REPORT_CHART (dd_report_chart_get_type ())
G_DECLARE_FINAL_TYPE (DdReportChart, dd_report_chart, DD, REPORT_CHART, GtkWidget)

GtkWidget *dd_report_chart_new       (void);
/* @table is borrowed: it must outlive the chart or be replaced (NULL: nothing drawn). */
void       dd_report_chart_set_table (DdReportChart       *self,
                                      const DdReportTable *table);

G_END_DECLS
