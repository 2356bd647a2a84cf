/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-context.h"
#include "dd-ivr-canvas.h"
#include "dd-ivr-flow.h"

G_BEGIN_DECLS

/*
 * DdIvrEditor: the call flow editor: a palette of steps, the canvas, an inspector for the
 * selected step's parameters, the list of problems validation finds, and the header actions
 * (undo, redo, validate, save as a new version in the database, import and export JSON, new
 * flow from a template).
 *
 * Signals: "listen-requested" (the text of a prompt to speak; the owner plays it) and
 * "flow-saved" (name, version).
 */
#define DD_TYPE_IVR_EDITOR (dd_ivr_editor_get_type ())
G_DECLARE_FINAL_TYPE (DdIvrEditor, dd_ivr_editor, DD, IVR_EDITOR, AdwBin)

GtkWidget   *dd_ivr_editor_new                (DdContext    *context);
DdIvrCanvas *dd_ivr_editor_get_canvas         (DdIvrEditor  *self);

DdIvrFlow   *dd_ivr_editor_get_flow           (DdIvrEditor  *self);
/* Opens version @version of the stored flow @name (0: the latest). */
gboolean     dd_ivr_editor_load               (DdIvrEditor  *self,
                                               const char   *name,
                                               gint64        version,
                                               GError      **error);
/* Starts a new flow from a template ("payment-reminder", "inbound-hotline", "empty"),
 * without asking about unsaved changes. */
gboolean     dd_ivr_editor_new_from_template  (DdIvrEditor  *self,
                                               const char   *template_name,
                                               GError      **error);
/* Saves the flow as a new version under its name. */
gboolean     dd_ivr_editor_save               (DdIvrEditor  *self,
                                               gint64       *out_version,
                                               GError      **error);
/* The version last loaded or saved, 0 when none. */
gint64       dd_ivr_editor_get_version        (DdIvrEditor  *self);
gboolean     dd_ivr_editor_get_modified       (DdIvrEditor  *self);
/* Runs validation now; returns the issues (GPtrArray of DdIvrIssue). */
GPtrArray   *dd_ivr_editor_validate           (DdIvrEditor  *self);
/* Puts @widget (such as a way back to a list) first in the editor's toolbar. */
void         dd_ivr_editor_add_toolbar_start  (DdIvrEditor  *self,
                                               GtkWidget    *widget);

G_END_DECLS
