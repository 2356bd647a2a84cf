/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-ivr-canvas.h"
#include "dd-ivr-editor.h"
#include "dd-ivr-flow-store.h"

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

/* What the files of DdIvrEditor share: dd-ivr-editor.c (the editor, its inspector, palette
 * and versions) and dd-ivr-editor-actions.c (its actions: undo, redo, save, import, export,
 * new from a template, test call, zoom, delete). */
struct _DdIvrEditor
{
  AdwBin             parent_instance;

  DdContext         *context;
  DdIvrFlowStore    *store;
  gint64             version;
  char              *inspected;      /* the node the inspector shows */
  GHashTable        *param_widgets;  /* param → GtkWidget (unowned) */
  GHashTable        *exit_widgets;   /* outcome → GtkWidget (unowned) */
  gboolean           editing;        /* the inspector is changing the flow */
  gboolean           updating;       /* widgets are being filled in */
  guint              validate_id;
  GdkFrameClock     *frame_clock;    /* while realized: after each frame, the name's place */
  gulong             after_paint_id;
  gulong             flow_changed_id;

  /* template widgets */
  AdwToastOverlay   *toast_overlay;
  GtkBox            *toolbar;
  GtkWidget         *palette_button;
  GtkEntry          *name_entry;     /* in the toolbar (name_slot), or in name_bar */
  AdwSqueezer       *name_slot;
  GtkWidget         *toolbar_spacer; /* keeps the slot's spacing while the name is away */
  GtkWidget         *name_bar;       /* the name in its own bar when the toolbar is narrow */
  GtkMenuButton     *version_button;
  GtkLabel          *version_label;
  DdIvrCanvas       *canvas;
  GtkListBox        *palette_list;
  GtkBox            *inspector_box;
  GtkListBox        *issues_list;
  AdwFlap           *palette_flap;
  AdwFlap           *inspector_flap;
};

typedef void (*DdIvrDiscardCallback) (DdIvrEditor *self,
                                      const char  *argument);

/* dd-ivr-editor.c */
void        _dd_ivr_editor_show_toast       (DdIvrEditor          *self,
                                             const char           *text);
/* Calls @callback at once, or after asking, when there are unsaved changes. */
void        _dd_ivr_editor_confirm_discard  (DdIvrEditor          *self,
                                             DdIvrDiscardCallback  callback,
                                             const char           *argument);

/* dd-ivr-editor-actions.c */
void        _dd_ivr_editor_class_install_actions (GtkWidgetClass *widget_class);

G_END_DECLS
