/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-case-query.h"
#include "dd-context.h"

G_BEGIN_DECLS

/*
 * DdCasesView: the cases list (search, filters, sortable columns, bulk actions) and, in an
 * AdwLeaflet next to it, the page of the case opened from it.
 */
#define DD_TYPE_CASES_VIEW (dd_cases_view_get_type ())
G_DECLARE_FINAL_TYPE (DdCasesView, dd_cases_view, DD, CASES_VIEW, AdwBin)

GtkWidget         *dd_cases_view_new        (DdContext         *context);
DdContext         *dd_cases_view_get_context (DdCasesView      *self);
/* Shows the cases of @query (a saved filter from the sidebar); the widgets follow it. */
void               dd_cases_view_set_query  (DdCasesView       *self,
                                             const DdCaseQuery *query);
const DdCaseQuery *dd_cases_view_get_query  (DdCasesView       *self);
/* Opens case @case_id in the case page. */
void               dd_cases_view_open_case  (DdCasesView       *self,
                                             gint64             case_id);
void               dd_cases_view_export     (DdCasesView       *self,
                                             gboolean           selected_only);
/* What the window's title says: the cases the list shows (after search and filters) and the
 * office's open cases; "counts-changed" is emitted when either changes. */
void               dd_cases_view_get_counts (DdCasesView       *self,
                                             gint64            *out_shown,
                                             gint64            *out_open);

G_END_DECLS
