/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-report-table.h"

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

G_END_DECLS
