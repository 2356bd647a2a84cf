/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "dd-test-util.h"

G_BEGIN_DECLS

/* Real windows under Xvfb: wait until one is on screen; destroy one and wait until it is gone. */
void       dd_test_wait_until_mapped (GtkWidget  *widget);
void       dd_test_destroy_window    (GtkWindow  *window);
/* What DdApplication does for its windows: its icons and its style sheet (after adw_init). */
void       dd_test_use_app_style     (void);
/* Presents @window and waits until it is on screen; returns it. */
gpointer   dd_test_show_window       (gpointer    window);

/* The widget @name of the template of @widget's class @type (asserting it is one). */
GtkWidget *dd_test_template_child    (gpointer    widget,
                                      GType       type,
                                      const char *name);

/* The first widget at or under @root (depth first) that @match accepts. */
GtkWidget *dd_test_find_widget       (GtkWidget  *root,
                                      gboolean  (*match) (GtkWidget *widget,
                                                          gpointer   data),
                                      gpointer    data);
/* The first widget of @type at or under @root. */
GtkWidget *dd_test_find_descendant   (GtkWidget  *root,
                                      GType       type);
/* The first button at or under @root whose label is @label. */
GtkWidget *dd_test_find_button       (GtkWidget  *root,
                                      const char *label);
/* A toplevel window of @type other than @except (nullable), or NULL. */
GtkWindow *dd_test_find_toplevel     (GType       type,
                                      GtkWindow  *except);

/* A throw-away office (dd_test_office_new) with a DdContext on its database, and memory-backed
 * settings when @with_settings (else the context has none). */
DdTestOffice *dd_test_office_new_with_context (const char *name,
                                               gboolean    with_settings);
/* Switches the messages to @language ("pl", "ru") with this build's catalogs; FALSE when they
 * are not there. */
gboolean   dd_test_use_language      (const char *language);
/* Appends the mapped labels under @widget that are cut off ("Пул номеров отправи…"), one a
 * line; with @skip_lists not those in the rows of list and column views (data cut on purpose). */
void       dd_test_collect_cut_labels (GtkWidget *widget,
                                       gboolean   skip_lists,
                                       GString   *cut);
/* The position of the GtkStringObject @text in @model (asserting that it is there). */
guint      dd_test_find_string       (GListModel *model,
                                      const char *text);

G_END_DECLS
