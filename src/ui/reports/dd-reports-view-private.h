/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* For the tests of the view. */

#include "dd-reports-view.h"

G_BEGIN_DECLS

/* The tables shown (GPtrArray of DdReportTable), NULL while a report is made or when none
 * could be. */
GPtrArray  *_dd_reports_view_get_tables     (DdReportsView *self);
/* "loading", "empty", "error" or "report". */
const char *_dd_reports_view_get_state      (DdReportsView *self);
/* The period instead of the drop-down's ("YYYY-MM-DD", inclusive; NULL: open); reloads. */
void        _dd_reports_view_set_period     (DdReportsView *self,
                                             const char    *from,
                                             const char    *to);
/* What Export PDF…, Export CSV… and Print… write, without their dialogs (print: through
 * GtkPrintOperation's export to a PDF file). */
gboolean    _dd_reports_view_write_csv      (DdReportsView *self,
                                             const char    *path,
                                             GError       **error);
gboolean    _dd_reports_view_write_pdf      (DdReportsView *self,
                                             const char    *path,
                                             GError       **error);
gboolean    _dd_reports_view_print_to_file  (DdReportsView *self,
                                             const char    *path,
                                             GError       **error);

G_END_DECLS
