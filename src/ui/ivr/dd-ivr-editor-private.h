/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-ivr-editor.h"

G_BEGIN_DECLS

/* For the tests. */
gboolean    _dd_ivr_editor_import_file      (DdIvrEditor *self,
                                             GFile       *file,
                                             GError     **error);
gboolean    _dd_ivr_editor_export_file      (DdIvrEditor *self,
                                             GFile       *file,
                                             GError     **error);
/* The inspector's widget for parameter @param of the selected node: a GtkTextView for texts,
 * an AdwEntryRow for short texts, a GtkSpinButton for numbers, an AdwComboRow for choices,
 * NULL when there is none. */
GtkWidget  *_dd_ivr_editor_get_param_widget (DdIvrEditor *self,
                                             const char  *param);
/* The inspector's AdwComboRow choosing the target of exit @outcome of the selected node. */
GtkWidget  *_dd_ivr_editor_get_exit_widget  (DdIvrEditor *self,
                                             const char  *outcome);
GtkListBox *_dd_ivr_editor_get_palette      (DdIvrEditor *self);
GtkListBox *_dd_ivr_editor_get_issues_list  (DdIvrEditor *self);

G_END_DECLS
