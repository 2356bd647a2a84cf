/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-ivr-canvas.h"

G_BEGIN_DECLS

/* For the tests: what the mouse and keyboard paths do, in widget coordinates. */

/* What a drop of node type @type_name at (@x, @y) does; returns the new node's id. */
const char *_dd_ivr_canvas_drop_type   (DdIvrCanvas     *self,
                                        const char      *type_name,
                                        double           x,
                                        double           y);
/* What dragging from the port of @outcome of @node_id to (@x, @y) does. */
gboolean    _dd_ivr_canvas_drag_port   (DdIvrCanvas     *self,
                                        const char      *node_id,
                                        const char      *outcome,
                                        double           x,
                                        double           y);
/* What a key press does. */
gboolean    _dd_ivr_canvas_press_key   (DdIvrCanvas     *self,
                                        guint            keyval,
                                        GdkModifierType  modifiers);
/* Where the middle of a node's card (or one of its ports, when @outcome is set) is drawn. */
gboolean    _dd_ivr_canvas_get_point   (DdIvrCanvas     *self,
                                        const char      *node_id,
                                        const char      *outcome,
                                        double          *x,
                                        double          *y);
/* The target chosen in keyboard connect mode (NULL when not connecting). */
const char *_dd_ivr_canvas_get_connect_target (DdIvrCanvas *self);

G_END_DECLS
