/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-context.h"
#include "dd-database.h"

G_BEGIN_DECLS

#define DD_TYPE_WINDOW (dd_window_get_type ())
G_DECLARE_FINAL_TYPE (DdWindow, dd_window, DD, WINDOW, AdwApplicationWindow)

/* @settings may be NULL: the window size is then not remembered. */
DdWindow   *dd_window_new          (GtkApplication *application,
                                    DdDatabase     *database,
                                    GSettings      *settings);
DdDatabase *dd_window_get_database (DdWindow       *self);
DdContext  *dd_window_get_context  (DdWindow       *self);
GSettings  *dd_window_get_settings (DdWindow       *self);
/* Counts the cases of the office database again and updates the view. */
void        dd_window_reload       (DdWindow       *self);
/* The widget on the Cases page when the office has cases (a DdCasesView by default). */
void        dd_window_set_cases_view       (DdWindow  *self,
                                            GtkWidget *view);
/* Lists the saved filters under Cases in the sidebar again (after one was saved,
 * renamed or deleted). */
void        dd_window_reload_saved_filters (DdWindow  *self);
/* Shows @toast (transfer full) over the content. */
void        dd_window_add_toast            (DdWindow  *self,
                                            AdwToast  *toast);
/* The page of the help about the section shown (help/C/PAGE.page), or NULL. */
const char *dd_window_get_help_page        (DdWindow  *self);
/* Ends the window now, even while a campaign sends (Quit): sending stops safely. */
void        dd_window_quit                 (DdWindow  *self);
/* For the tests: the title of the last toast shown, or NULL. */
const char *_dd_window_get_last_toast      (DdWindow  *self);
/* For the tests: the body of the last notification about sending in the background. */
const char *_dd_window_get_last_notice     (DdWindow  *self);

G_END_DECLS
