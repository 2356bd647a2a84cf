/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-ivr-flow.h"

G_BEGIN_DECLS

/*
 * DdIvrEditorState: what the call flow editor knows besides the flow itself, as a plain
 * struct with transition functions (STYLE.md): no GTK, tested without a display.
 *
 *  - the flow (a DdIvrFlow; every change goes through the commands below),
 *  - the selected node,
 *  - the view transform: view = model × zoom + pan (zoom 0.25–3),
 *  - undo and redo: each command (add node, delete node with the edges that led to it, move,
 *    connect / disconnect an exit, set a parameter, set the start node) keeps what it needs
 *    to be undone and redone,
 *  - geometry in model coordinates: node cards have a fixed size, their input point is the
 *    middle of the top edge, exit ports sit along the bottom edge (one per exit of the node
 *    type, in the type's order), edges are cubic Bézier curves from a port down to the
 *    target's input.
 */

#define DD_IVR_CARD_WIDTH    224.0
#define DD_IVR_CARD_HEIGHT    84.0
#define DD_IVR_PORT_RADIUS     5.0
/* how far from a port's centre a press still grabs it */
#define DD_IVR_PORT_GRAB      10.0
#define DD_IVR_ZOOM_MIN        0.25
#define DD_IVR_ZOOM_MAX        3.0
/* fitting a big flow into a small view may zoom out this far */
#define DD_IVR_FIT_ZOOM_MIN    0.1
/* Shift+arrow moves a node this far */
#define DD_IVR_NUDGE          20.0

typedef struct
{
  double x;
  double y;
} DdIvrPoint;

typedef struct
{
  double x;
  double y;
  double width;
  double height;
} DdIvrRect;

/* p0 = start (a port), p1 and p2 = control points, p3 = end (a node's input) */
typedef struct
{
  DdIvrPoint p0;
  DdIvrPoint p1;
  DdIvrPoint p2;
  DdIvrPoint p3;
} DdIvrCurve;

typedef enum
{
  DD_IVR_HIT_NONE,
  DD_IVR_HIT_NODE,
  DD_IVR_HIT_PORT,
} DdIvrHitKind;

/* node_id and outcome point into the flow: valid until it changes */
typedef struct
{
  DdIvrHitKind  kind;
  const char   *node_id;
  const char   *outcome;   /* DD_IVR_HIT_PORT only */
} DdIvrHit;

typedef enum
{
  DD_IVR_DIRECTION_LEFT,
  DD_IVR_DIRECTION_RIGHT,
  DD_IVR_DIRECTION_UP,
  DD_IVR_DIRECTION_DOWN,
} DdIvrDirection;

typedef struct _DdIvrEditorState DdIvrEditorState;

DdIvrEditorState *dd_ivr_editor_state_new            (DdIvrFlow         *flow);
void              dd_ivr_editor_state_free           (DdIvrEditorState  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdIvrEditorState, dd_ivr_editor_state_free)

DdIvrFlow        *dd_ivr_editor_state_get_flow       (DdIvrEditorState  *self);
/* Edits another flow: forgets the selection and the history; keeps the view. */
void              dd_ivr_editor_state_set_flow       (DdIvrEditorState  *self,
                                                      DdIvrFlow         *flow);

/* Selection (NULL: none). Selecting another node ends the merging of parameter edits. */
const char       *dd_ivr_editor_state_get_selected   (DdIvrEditorState  *self);
gboolean          dd_ivr_editor_state_select         (DdIvrEditorState  *self,
                                                      const char        *node_id);

/* View transform */
double            dd_ivr_editor_state_get_zoom       (DdIvrEditorState  *self);
void              dd_ivr_editor_state_get_pan        (DdIvrEditorState  *self,
                                                      double            *pan_x,
                                                      double            *pan_y);
void              dd_ivr_editor_state_set_pan        (DdIvrEditorState  *self,
                                                      double             pan_x,
                                                      double             pan_y);
void              dd_ivr_editor_state_pan_by         (DdIvrEditorState  *self,
                                                      double             dx,
                                                      double             dy);
/* Zooms to @zoom (clamped) keeping the model point under view point (@vx, @vy) still. */
void              dd_ivr_editor_state_zoom_at        (DdIvrEditorState  *self,
                                                      double             zoom,
                                                      double             vx,
                                                      double             vy);
DdIvrPoint        dd_ivr_editor_state_to_model       (DdIvrEditorState  *self,
                                                      double             vx,
                                                      double             vy);
DdIvrPoint        dd_ivr_editor_state_to_view        (DdIvrEditorState  *self,
                                                      double             mx,
                                                      double             my);
/* Pans so that the node's card is in the middle of a view of that size. */
gboolean          dd_ivr_editor_state_center_on      (DdIvrEditorState  *self,
                                                      const char        *node_id,
                                                      double             view_width,
                                                      double             view_height);
/* Zoom (at most 1, at least DD_IVR_FIT_ZOOM_MIN) and pan so that every node fits a view of
 * that size, or, for a flow too big for it even then, so that its top left corner shows. */
void              dd_ivr_editor_state_fit            (DdIvrEditorState  *self,
                                                      double             view_width,
                                                      double             view_height);

/* Commands: each changes the flow, is recorded for undo and clears redo. */
const char       *dd_ivr_editor_state_add_node       (DdIvrEditorState  *self,
                                                      DdIvrNodeType      type,
                                                      double             x,
                                                      double             y,
                                                      GError           **error);
gboolean          dd_ivr_editor_state_delete_node    (DdIvrEditorState  *self,
                                                      const char        *node_id,
                                                      GError           **error);
gboolean          dd_ivr_editor_state_move_node      (DdIvrEditorState  *self,
                                                      const char        *node_id,
                                                      double             x,
                                                      double             y,
                                                      GError           **error);
/* A drag: begin, any number of live moves (not recorded), end (one move command when the
 * node moved). */
gboolean          dd_ivr_editor_state_begin_drag     (DdIvrEditorState  *self,
                                                      const char        *node_id);
void              dd_ivr_editor_state_drag_to        (DdIvrEditorState  *self,
                                                      double             x,
                                                      double             y);
void              dd_ivr_editor_state_end_drag       (DdIvrEditorState  *self);
gboolean          dd_ivr_editor_state_connect        (DdIvrEditorState  *self,
                                                      const char        *from_id,
                                                      const char        *outcome,
                                                      const char        *to_id,
                                                      GError           **error);
gboolean          dd_ivr_editor_state_disconnect     (DdIvrEditorState  *self,
                                                      const char        *from_id,
                                                      const char        *outcome,
                                                      GError           **error);
/* @value NULL removes the parameter; not taken. Successive edits of the same parameter of
 * the same node merge into one command until something else happens (another command, an
 * undo, another selection, dd_ivr_editor_state_seal ()). */
gboolean          dd_ivr_editor_state_set_param      (DdIvrEditorState  *self,
                                                      const char        *node_id,
                                                      const char        *param,
                                                      JsonNode          *value,
                                                      GError           **error);
gboolean          dd_ivr_editor_state_set_param_string (DdIvrEditorState *self,
                                                      const char        *node_id,
                                                      const char        *param,
                                                      const char        *value,
                                                      GError           **error);
gboolean          dd_ivr_editor_state_set_param_int  (DdIvrEditorState  *self,
                                                      const char        *node_id,
                                                      const char        *param,
                                                      gint64             value,
                                                      GError           **error);
gboolean          dd_ivr_editor_state_set_start      (DdIvrEditorState  *self,
                                                      const char        *node_id,
                                                      GError           **error);
void              dd_ivr_editor_state_seal           (DdIvrEditorState  *self);

gboolean          dd_ivr_editor_state_can_undo       (DdIvrEditorState  *self);
gboolean          dd_ivr_editor_state_can_redo       (DdIvrEditorState  *self);
gboolean          dd_ivr_editor_state_undo           (DdIvrEditorState  *self);
gboolean          dd_ivr_editor_state_redo           (DdIvrEditorState  *self);
/* Whether the flow differs from when it was last marked saved (or set). */
gboolean          dd_ivr_editor_state_is_modified    (DdIvrEditorState  *self);
void              dd_ivr_editor_state_mark_saved     (DdIvrEditorState  *self);

/* Geometry (model coordinates) */
DdIvrRect         dd_ivr_node_rect                   (const DdIvrNode   *node);
DdIvrPoint        dd_ivr_node_input                  (const DdIvrNode   *node);
guint             dd_ivr_node_n_ports                (const DdIvrNode   *node);
/* The port of exit @outcome (FALSE when the type has no such exit). */
gboolean          dd_ivr_node_port                   (const DdIvrNode   *node,
                                                      const char        *outcome,
                                                      DdIvrPoint        *out_point);
DdIvrPoint        dd_ivr_node_port_at                (const DdIvrNode   *node,
                                                      guint              index);
DdIvrCurve        dd_ivr_edge_curve                  (DdIvrPoint         from,
                                                      DdIvrPoint         to);
DdIvrPoint        dd_ivr_curve_point                 (const DdIvrCurve  *curve,
                                                      double             t);

/* What is at model point (@mx, @my): ports first, then the topmost card. */
DdIvrHit          dd_ivr_editor_state_hit_test       (DdIvrEditorState  *self,
                                                      double             mx,
                                                      double             my);
/* The node under (@mx, @my), else the one whose card is nearest within @max_distance;
 * NULL when none. @except_id is never returned. */
const char       *dd_ivr_editor_state_nearest_node   (DdIvrEditorState  *self,
                                                      double             mx,
                                                      double             my,
                                                      double             max_distance,
                                                      const char        *except_id);
/* Keyboard navigation: the nearest node in @direction from @node_id (NULL: none). */
const char       *dd_ivr_editor_state_neighbour      (DdIvrEditorState  *self,
                                                      const char        *node_id,
                                                      DdIvrDirection     direction);
/* Tab order (the flow's node order): the next (or previous) node after @node_id, the first
 * (last) when @node_id is NULL; NULL after the last (before the first). */
const char       *dd_ivr_editor_state_next_node      (DdIvrEditorState  *self,
                                                      const char        *node_id,
                                                      gboolean           backwards);
/* The bounding box of all cards (FALSE when the flow is empty). */
gboolean          dd_ivr_editor_state_get_bounds     (DdIvrEditorState  *self,
                                                      DdIvrRect         *out_rect);

G_END_DECLS
