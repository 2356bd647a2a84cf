/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "dd-ivr-editor-state.h"
#include "dd-ivr-flow.h"

G_BEGIN_DECLS

/*
 * DdIvrCanvas: draws a call flow (nodes as cards, exits as ports along their bottom edge,
 * curved edges) and edits it through a DdIvrEditorState it owns.
 *
 * Mouse: drag a card to move it, drag from a port to a card to connect that exit, drag the
 * background to pan, Ctrl+scroll to zoom, scroll to pan; a node type (G_TYPE_STRING, the type
 * name) dropped from the palette adds a node.
 *
 * Keyboard (the canvas is focusable): arrows select the nearest node that way, Tab and
 * Shift+Tab go through the nodes in order (and leave the canvas after the last), Shift+arrows
 * move the node, Ctrl+arrows pan, Delete removes the node, C starts connecting an exit of the
 * node (C again picks the next exit; arrows choose the target; Enter connects; Delete
 * disconnects the exit; Escape cancels), S makes the node the start, Enter activates it (the
 * editor then focuses the inspector), + and - zoom, 0 fits the flow into view, Ctrl+Z undoes,
 * Ctrl+Shift+Z and Ctrl+Y redo.
 */
#define DD_TYPE_IVR_CANVAS (dd_ivr_canvas_get_type ())
G_DECLARE_FINAL_TYPE (DdIvrCanvas, dd_ivr_canvas, DD, IVR_CANVAS, GtkWidget)

GtkWidget        *dd_ivr_canvas_new            (void);

/* Edits @flow from now on (a new history; nothing selected); fits it into view. */
void              dd_ivr_canvas_set_flow       (DdIvrCanvas         *self,
                                                DdIvrFlow           *flow);
DdIvrFlow        *dd_ivr_canvas_get_flow       (DdIvrCanvas         *self);
/* The editing state; after changing it directly call dd_ivr_canvas_state_changed (). */
DdIvrEditorState *dd_ivr_canvas_get_state      (DdIvrCanvas         *self);
/* Redraws and emits "selection-changed" and "history-changed" as needed. */
void              dd_ivr_canvas_state_changed  (DdIvrCanvas         *self);

const char       *dd_ivr_canvas_get_selected   (DdIvrCanvas         *self);
void              dd_ivr_canvas_select         (DdIvrCanvas         *self,
                                                const char          *node_id);
/* Selects the node and pans so that it is in the middle. */
void              dd_ivr_canvas_focus_node     (DdIvrCanvas         *self,
                                                const char          *node_id);
/* Adds a node of @type in the middle of the view (the palette's keyboard path). */
const char       *dd_ivr_canvas_add_node       (DdIvrCanvas         *self,
                                                DdIvrNodeType        type);
gboolean          dd_ivr_canvas_delete_selected (DdIvrCanvas        *self);
gboolean          dd_ivr_canvas_undo           (DdIvrCanvas         *self);
gboolean          dd_ivr_canvas_redo           (DdIvrCanvas         *self);
void              dd_ivr_canvas_zoom_in        (DdIvrCanvas         *self);
void              dd_ivr_canvas_zoom_out       (DdIvrCanvas         *self);
void              dd_ivr_canvas_zoom_fit       (DdIvrCanvas         *self);

/* For the call simulator: @node_id (nullable) is where the call is now, @visited_ids
 * (nullable, NULL-terminated) where it has been. */
void              dd_ivr_canvas_set_highlight  (DdIvrCanvas         *self,
                                                const char          *node_id,
                                                const char * const  *visited_ids);

G_END_DECLS
