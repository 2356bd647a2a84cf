/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-case-list.h"
#include "dd-case-page.h"
#include "dd-cases-view.h"

G_BEGIN_DECLS

/* For the tests. */
DdCaseList *_dd_cases_view_get_list          (DdCasesView *self);
DdCasePage *_dd_cases_view_get_case_page     (DdCasesView *self);
/* What activating the row at @position does (double click, Enter). */
void        _dd_cases_view_activate          (DdCasesView *self,
                                              guint        position);
/* Sets a status filter check button as the popover does. */
void        _dd_cases_view_set_status_filter (DdCasesView *self,
                                              guint        status,
                                              gboolean     active);
/* Writes the CSV export (the current query; only the selected cases if @selected_only)
 * to @file. */
gboolean    _dd_cases_view_export_to_file    (DdCasesView *self,
                                              GFile       *file,
                                              gboolean     selected_only,
                                              GError     **error);
/* What the "Save Filter…" dialog does with the name entered. */
gboolean    _dd_cases_view_save_filter       (DdCasesView *self,
                                              const char  *name,
                                              GError     **error);
/* What the bulk "Assign…" dialog does: assigns the selected cases. */
gboolean    _dd_cases_view_bulk_assign       (DdCasesView *self,
                                              gint64       assignee_id,
                                              GError     **error);

G_END_DECLS
