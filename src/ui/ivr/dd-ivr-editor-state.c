/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-ivr-editor-state"

#include "config.h"

#include "dd-ivr-editor-state.h"
#include "dd-json.h"

#include <math.h>

typedef enum
{
  COMMAND_ADD,
  COMMAND_DELETE,
  COMMAND_MOVE,
  COMMAND_CONNECT,
  COMMAND_PARAM,
  COMMAND_START,
} CommandKind;

typedef struct
{
  CommandKind  kind;
  guint        serial;
  char        *node_id;
  /* add: the node as added, for redo */
  DdIvrNode   *node;
  /* delete: the whole flow before (the model appends inserted nodes, so this is what puts
   * the node back in its place in the node order, with the edges that led to it and the
   * start) */
  char        *snapshot;
  /* move */
  double       old_x, old_y, new_x, new_y;
  /* connect: NULL target = not connected */
  char        *outcome;
  char        *old_target;
  char        *new_target;
  /* param: NULL value = absent */
  char        *param;
  JsonNode    *old_value;
  JsonNode    *new_value;
  gboolean     open;        /* later edits of the same parameter merge into it */
  /* start */
  char        *old_start;
  char        *new_start;
} Command;

struct _DdIvrEditorState
{
  DdIvrFlow *flow;
  char      *selected;
  double     zoom;
  double     pan_x;
  double     pan_y;
  GPtrArray *undo;      /* Command, oldest first */
  GPtrArray *redo;      /* Command, the next to redo last */
  guint      next_serial;
  guint      saved_serial;
  /* the drag in progress */
  char      *drag_id;
  double     drag_x;
  double     drag_y;
};

static void
command_free (Command *command)
{
  g_free (command->node_id);
  g_clear_pointer (&command->node, dd_ivr_node_free);
  g_free (command->snapshot);
  g_free (command->outcome);
  g_free (command->old_target);
  g_free (command->new_target);
  g_free (command->param);
  g_clear_pointer (&command->old_value, json_node_unref);
  g_clear_pointer (&command->new_value, json_node_unref);
  g_free (command->old_start);
  g_free (command->new_start);
  g_free (command);
}

static Command *
command_new (DdIvrEditorState *self,
             CommandKind       kind,
             const char       *node_id)
{
  Command *command = g_new0 (Command, 1);

  command->kind = kind;
  command->serial = ++self->next_serial;
  command->node_id = g_strdup (node_id);
  return command;
}

static Command *
top_command (DdIvrEditorState *self)
{
  return self->undo->len > 0 ? g_ptr_array_index (self->undo, self->undo->len - 1) : NULL;
}

static guint
top_serial (DdIvrEditorState *self)
{
  Command *top = top_command (self);

  return top != NULL ? top->serial : 0;
}

static void
push_command (DdIvrEditorState *self,
              Command          *command)
{
  dd_ivr_editor_state_seal (self);
  g_ptr_array_add (self->undo, command);
  g_ptr_array_set_size (self->redo, 0);
}

/* Runs @command forwards (redo) or backwards (undo) on the flow. */
static gboolean
command_apply (DdIvrEditorState *self,
               Command          *command,
               gboolean          forward)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;

  switch (command->kind)
    {
    case COMMAND_ADD:
    case COMMAND_DELETE:
      if (command->kind == COMMAND_ADD && forward)
        {
          /* made again as the first time (dd_ivr_flow_insert_node () of a copy would do,
           * but a copy does not keep the order of the parameters, which shows in the JSON);
           * the model makes it the start of a flow without one, as it did */
          ok = dd_ivr_flow_add_node (self->flow, command->node->type, command->node_id,
                                     command->node->x, command->node->y, &error) != NULL;
        }
      else if (command->kind == COMMAND_DELETE && !forward)
        {
          /* the name is not part of the history */
          g_autofree char *name = g_strdup (dd_ivr_flow_get_name (self->flow));

          ok = dd_ivr_flow_load_from_data (self->flow, command->snapshot, -1, &error);
          if (ok)
            dd_ivr_flow_set_name (self->flow, name);
        }
      else
        {
          /* removing a node also drops the edges that led to it and the start if it was */
          ok = dd_ivr_flow_remove_node (self->flow, command->node_id, &error);
        }
      break;

    case COMMAND_MOVE:
      ok = dd_ivr_flow_move_node (self->flow, command->node_id,
                                  forward ? command->new_x : command->old_x,
                                  forward ? command->new_y : command->old_y, &error);
      break;

    case COMMAND_CONNECT:
      {
        const char *target = forward ? command->new_target : command->old_target;

        if (target != NULL)
          ok = dd_ivr_flow_connect (self->flow, command->node_id, command->outcome, target,
                                    &error);
        else
          ok = dd_ivr_flow_disconnect (self->flow, command->node_id, command->outcome, &error);
      }
      break;

    case COMMAND_PARAM:
      {
        JsonNode *value = forward ? command->new_value : command->old_value;

        ok = dd_ivr_flow_set_param (self->flow, command->node_id, command->param, value,
                                    &error);
      }
      break;

    case COMMAND_START:
      dd_ivr_flow_set_start (self->flow, forward ? command->new_start : command->old_start);
      break;

    default:
      g_assert_not_reached ();
    }

  if (!ok)
    g_warning ("Could not %s an editor command: %s", forward ? "redo" : "undo",
               error->message);
  return ok;
}

DdIvrEditorState *
dd_ivr_editor_state_new (DdIvrFlow *flow)
{
  DdIvrEditorState *self = g_new0 (DdIvrEditorState, 1);

  g_return_val_if_fail (DD_IS_IVR_FLOW (flow), NULL);

  self->flow = g_object_ref (flow);
  self->zoom = 1.0;
  self->undo = g_ptr_array_new_with_free_func ((GDestroyNotify) command_free);
  self->redo = g_ptr_array_new_with_free_func ((GDestroyNotify) command_free);
  return self;
}

void
dd_ivr_editor_state_free (DdIvrEditorState *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->flow);
  g_free (self->selected);
  g_free (self->drag_id);
  g_ptr_array_unref (self->undo);
  g_ptr_array_unref (self->redo);
  g_free (self);
}

DdIvrFlow *
dd_ivr_editor_state_get_flow (DdIvrEditorState *self)
{
  return self->flow;
}

void
dd_ivr_editor_state_set_flow (DdIvrEditorState *self,
                              DdIvrFlow        *flow)
{
  g_return_if_fail (DD_IS_IVR_FLOW (flow));

  g_object_ref (flow);
  g_clear_object (&self->flow);
  self->flow = flow;
  g_clear_pointer (&self->selected, g_free);
  g_clear_pointer (&self->drag_id, g_free);
  g_ptr_array_set_size (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
  self->saved_serial = 0;
}

/* Selection */

const char *
dd_ivr_editor_state_get_selected (DdIvrEditorState *self)
{
  return self->selected;
}

gboolean
dd_ivr_editor_state_select (DdIvrEditorState *self,
                            const char       *node_id)
{
  if (node_id != NULL && dd_ivr_flow_get_node (self->flow, node_id) == NULL)
    return FALSE;
  if (g_strcmp0 (node_id, self->selected) != 0)
    {
      dd_ivr_editor_state_seal (self);
      g_free (self->selected);
      self->selected = g_strdup (node_id);
    }
  return TRUE;
}

/* View */

double
dd_ivr_editor_state_get_zoom (DdIvrEditorState *self)
{
  return self->zoom;
}

void
dd_ivr_editor_state_get_pan (DdIvrEditorState *self,
                             double           *pan_x,
                             double           *pan_y)
{
  if (pan_x)
    *pan_x = self->pan_x;
  if (pan_y)
    *pan_y = self->pan_y;
}

void
dd_ivr_editor_state_set_pan (DdIvrEditorState *self,
                             double            pan_x,
                             double            pan_y)
{
  self->pan_x = pan_x;
  self->pan_y = pan_y;
}

void
dd_ivr_editor_state_pan_by (DdIvrEditorState *self,
                            double            dx,
                            double            dy)
{
  self->pan_x += dx;
  self->pan_y += dy;
}

void
dd_ivr_editor_state_zoom_at (DdIvrEditorState *self,
                             double            zoom,
                             double            vx,
                             double            vy)
{
  DdIvrPoint anchor = dd_ivr_editor_state_to_model (self, vx, vy);

  /* a view fitted further out than the smallest zoom can stay there */
  self->zoom = CLAMP (zoom, MIN (DD_IVR_ZOOM_MIN, self->zoom), DD_IVR_ZOOM_MAX);
  self->pan_x = vx - anchor.x * self->zoom;
  self->pan_y = vy - anchor.y * self->zoom;
}

DdIvrPoint
dd_ivr_editor_state_to_model (DdIvrEditorState *self,
                              double            vx,
                              double            vy)
{
  DdIvrPoint point = { (vx - self->pan_x) / self->zoom, (vy - self->pan_y) / self->zoom };

  return point;
}

DdIvrPoint
dd_ivr_editor_state_to_view (DdIvrEditorState *self,
                             double            mx,
                             double            my)
{
  DdIvrPoint point = { mx * self->zoom + self->pan_x, my * self->zoom + self->pan_y };

  return point;
}

gboolean
dd_ivr_editor_state_center_on (DdIvrEditorState *self,
                               const char       *node_id,
                               double            view_width,
                               double            view_height)
{
  const DdIvrNode *node = node_id ? dd_ivr_flow_get_node (self->flow, node_id) : NULL;

  if (node == NULL)
    return FALSE;
  self->pan_x = view_width / 2 - (node->x + DD_IVR_CARD_WIDTH / 2) * self->zoom;
  self->pan_y = view_height / 2 - (node->y + DD_IVR_CARD_HEIGHT / 2) * self->zoom;
  return TRUE;
}

void
dd_ivr_editor_state_fit (DdIvrEditorState *self,
                         double            view_width,
                         double            view_height)
{
  double margin = 32;
  DdIvrRect bounds;
  double zoom;

  if (!dd_ivr_editor_state_get_bounds (self, &bounds))
    {
      self->zoom = 1;
      self->pan_x = self->pan_y = margin;
      return;
    }
  /* a narrow view keeps a smaller margin rather than cut a card */
  margin = MIN (margin, MIN (view_width, view_height) / 16);
  zoom = MIN ((view_width - 2 * margin) / bounds.width, (view_height - 2 * margin) / bounds.height);
  /* the whole flow, even when its cards get too small to read: "fit" must show it all (the
   * user zooms in where they want to read) */
  self->zoom = CLAMP (zoom, DD_IVR_FIT_ZOOM_MIN, 1.0);
  self->pan_x = (view_width - bounds.width * self->zoom) / 2 - bounds.x * self->zoom;
  self->pan_y = (view_height - bounds.height * self->zoom) / 2 - bounds.y * self->zoom;
  if (bounds.height * self->zoom > view_height - 2 * margin)
    self->pan_y = margin - bounds.y * self->zoom;
  if (bounds.width * self->zoom > view_width - 2 * margin)
    self->pan_x = margin - bounds.x * self->zoom;
}

/* Commands */

const char *
dd_ivr_editor_state_add_node (DdIvrEditorState  *self,
                              DdIvrNodeType      type,
                              double             x,
                              double             y,
                              GError           **error)
{
  g_autofree char *id = dd_ivr_flow_make_node_id (self->flow, type);
  const DdIvrNode *node;
  Command *command;

  /* the model makes the node the start of a flow without one */
  node = dd_ivr_flow_add_node (self->flow, type, id, x, y, error);
  if (node == NULL)
    return NULL;
  command = command_new (self, COMMAND_ADD, id);
  command->node = dd_ivr_node_copy (node);
  push_command (self, command);
  dd_ivr_editor_state_select (self, id);
  return self->selected;
}

gboolean
dd_ivr_editor_state_delete_node (DdIvrEditorState  *self,
                                 const char        *node_id,
                                 GError           **error)
{
  const DdIvrNode *node = dd_ivr_flow_get_node (self->flow, node_id);
  g_autofree char *id = g_strdup (node_id);
  Command *command;

  if (node == NULL)
    {
      g_set_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_NOT_FOUND,
                   "No node “%s”", node_id);
      return FALSE;
    }
  command = command_new (self, COMMAND_DELETE, id);
  command->snapshot = dd_ivr_flow_to_data (self->flow, NULL);
  if (!dd_ivr_flow_remove_node (self->flow, id, error))
    {
      command_free (command);
      return FALSE;
    }
  if (g_strcmp0 (self->selected, id) == 0)
    g_clear_pointer (&self->selected, g_free);
  push_command (self, command);
  return TRUE;
}

gboolean
dd_ivr_editor_state_move_node (DdIvrEditorState  *self,
                               const char        *node_id,
                               double             x,
                               double             y,
                               GError           **error)
{
  const DdIvrNode *node = dd_ivr_flow_get_node (self->flow, node_id);
  double old_x, old_y;
  Command *command;

  if (node == NULL)
    {
      g_set_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_NOT_FOUND,
                   "No node “%s”", node_id);
      return FALSE;
    }
  old_x = node->x;
  old_y = node->y;
  if (old_x == x && old_y == y)
    return TRUE;
  if (!dd_ivr_flow_move_node (self->flow, node_id, x, y, error))
    return FALSE;
  command = command_new (self, COMMAND_MOVE, node_id);
  command->old_x = old_x;
  command->old_y = old_y;
  command->new_x = x;
  command->new_y = y;
  push_command (self, command);
  return TRUE;
}

gboolean
dd_ivr_editor_state_begin_drag (DdIvrEditorState *self,
                                const char       *node_id)
{
  const DdIvrNode *node = dd_ivr_flow_get_node (self->flow, node_id);

  if (node == NULL)
    return FALSE;
  g_free (self->drag_id);
  self->drag_id = g_strdup (node_id);
  self->drag_x = node->x;
  self->drag_y = node->y;
  return TRUE;
}

void
dd_ivr_editor_state_drag_to (DdIvrEditorState *self,
                             double            x,
                             double            y)
{
  if (self->drag_id != NULL)
    dd_ivr_flow_move_node (self->flow, self->drag_id, x, y, NULL);
}

void
dd_ivr_editor_state_end_drag (DdIvrEditorState *self)
{
  g_autofree char *id = g_steal_pointer (&self->drag_id);
  const DdIvrNode *node = id ? dd_ivr_flow_get_node (self->flow, id) : NULL;
  Command *command;

  if (node == NULL || (node->x == self->drag_x && node->y == self->drag_y))
    return;
  command = command_new (self, COMMAND_MOVE, id);
  command->old_x = self->drag_x;
  command->old_y = self->drag_y;
  command->new_x = node->x;
  command->new_y = node->y;
  push_command (self, command);
}

static gboolean
record_connect (DdIvrEditorState  *self,
                const char        *from_id,
                const char        *outcome,
                const char        *to_id,
                GError           **error)
{
  const DdIvrNode *node = dd_ivr_flow_get_node (self->flow, from_id);
  g_autofree char *old_target = NULL;
  Command *command;
  gboolean ok;

  if (node == NULL)
    {
      g_set_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_NOT_FOUND,
                   "No node “%s”", from_id);
      return FALSE;
    }
  old_target = g_strdup (dd_ivr_node_get_exit (node, outcome));
  if (g_strcmp0 (old_target, to_id) == 0)
    return TRUE;
  if (to_id != NULL)
    ok = dd_ivr_flow_connect (self->flow, from_id, outcome, to_id, error);
  else
    ok = dd_ivr_flow_disconnect (self->flow, from_id, outcome, error);
  if (!ok)
    return FALSE;
  command = command_new (self, COMMAND_CONNECT, from_id);
  command->outcome = g_strdup (outcome);
  command->old_target = g_steal_pointer (&old_target);
  command->new_target = g_strdup (to_id);
  push_command (self, command);
  return TRUE;
}

gboolean
dd_ivr_editor_state_connect (DdIvrEditorState  *self,
                             const char        *from_id,
                             const char        *outcome,
                             const char        *to_id,
                             GError           **error)
{
  g_return_val_if_fail (to_id != NULL, FALSE);

  return record_connect (self, from_id, outcome, to_id, error);
}

gboolean
dd_ivr_editor_state_disconnect (DdIvrEditorState  *self,
                                const char        *from_id,
                                const char        *outcome,
                                GError           **error)
{
  return record_connect (self, from_id, outcome, NULL, error);
}

static gboolean
json_equal (JsonNode *a,
            JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return json_node_equal (a, b);
}

gboolean
dd_ivr_editor_state_set_param (DdIvrEditorState  *self,
                               const char        *node_id,
                               const char        *param,
                               JsonNode          *value,
                               GError           **error)
{
  const DdIvrNode *node = dd_ivr_flow_get_node (self->flow, node_id);
  JsonNode *old_value;
  Command *top;
  Command *command;

  if (node == NULL)
    {
      g_set_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_NOT_FOUND,
                   "No node “%s”", node_id);
      return FALSE;
    }
  old_value = json_object_get_member (node->params, param);
  if (old_value != NULL)
    old_value = json_node_copy (old_value);
  if (json_equal (old_value, value))
    {
      g_clear_pointer (&old_value, json_node_unref);
      return TRUE;
    }
  if (!dd_ivr_flow_set_param (self->flow, node_id, param, value, error))
    {
      g_clear_pointer (&old_value, json_node_unref);
      return FALSE;
    }

  top = top_command (self);
  if (top != NULL && top->kind == COMMAND_PARAM && top->open
      && g_strcmp0 (top->node_id, node_id) == 0 && g_strcmp0 (top->param, param) == 0)
    {
      /* typing on: one command for the whole edit */
      g_clear_pointer (&old_value, json_node_unref);
      g_clear_pointer (&top->new_value, json_node_unref);
      top->new_value = value != NULL ? json_node_copy (value) : NULL;
      g_ptr_array_set_size (self->redo, 0);
      return TRUE;
    }

  command = command_new (self, COMMAND_PARAM, node_id);
  command->param = g_strdup (param);
  command->old_value = old_value;
  command->new_value = value != NULL ? json_node_copy (value) : NULL;
  push_command (self, command);
  command->open = TRUE;
  return TRUE;
}

gboolean
dd_ivr_editor_state_set_param_string (DdIvrEditorState  *self,
                                      const char        *node_id,
                                      const char        *param,
                                      const char        *value,
                                      GError           **error)
{
  g_autoptr(JsonNode) node = dd_json_string_node (value);

  return dd_ivr_editor_state_set_param (self, node_id, param, node, error);
}

gboolean
dd_ivr_editor_state_set_param_int (DdIvrEditorState  *self,
                                   const char        *node_id,
                                   const char        *param,
                                   gint64             value,
                                   GError           **error)
{
  g_autoptr(JsonNode) node = dd_json_int_node (value);

  return dd_ivr_editor_state_set_param (self, node_id, param, node, error);
}

gboolean
dd_ivr_editor_state_set_start (DdIvrEditorState  *self,
                               const char        *node_id,
                               GError           **error)
{
  const char *old_start = dd_ivr_flow_get_start (self->flow);
  Command *command;

  if (node_id != NULL && dd_ivr_flow_get_node (self->flow, node_id) == NULL)
    {
      g_set_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_NOT_FOUND,
                   "No node “%s”", node_id);
      return FALSE;
    }
  if (g_strcmp0 (old_start, node_id) == 0)
    return TRUE;
  command = command_new (self, COMMAND_START, node_id);
  command->old_start = g_strdup (old_start);
  command->new_start = g_strdup (node_id);
  dd_ivr_flow_set_start (self->flow, node_id);
  push_command (self, command);
  return TRUE;
}

void
dd_ivr_editor_state_seal (DdIvrEditorState *self)
{
  Command *top = top_command (self);

  if (top != NULL)
    top->open = FALSE;
}

gboolean
dd_ivr_editor_state_can_undo (DdIvrEditorState *self)
{
  return self->undo->len > 0;
}

gboolean
dd_ivr_editor_state_can_redo (DdIvrEditorState *self)
{
  return self->redo->len > 0;
}

/* After undo or redo the node concerned is selected, so that the user sees what changed. */
static void
select_after (DdIvrEditorState *self,
              Command          *command)
{
  const char *id = command->node_id;

  if (id == NULL || dd_ivr_flow_get_node (self->flow, id) == NULL)
    id = NULL;
  g_free (self->selected);
  self->selected = g_strdup (id);
}

gboolean
dd_ivr_editor_state_undo (DdIvrEditorState *self)
{
  Command *command;

  if (self->undo->len == 0)
    return FALSE;
  dd_ivr_editor_state_seal (self);
  g_clear_pointer (&self->drag_id, g_free);
  command = g_ptr_array_steal_index (self->undo, self->undo->len - 1);
  g_ptr_array_add (self->redo, command);
  command_apply (self, command, FALSE);
  select_after (self, command);
  return TRUE;
}

gboolean
dd_ivr_editor_state_redo (DdIvrEditorState *self)
{
  Command *command;

  if (self->redo->len == 0)
    return FALSE;
  dd_ivr_editor_state_seal (self);
  g_clear_pointer (&self->drag_id, g_free);
  command = g_ptr_array_steal_index (self->redo, self->redo->len - 1);
  g_ptr_array_add (self->undo, command);
  command_apply (self, command, TRUE);
  select_after (self, command);
  return TRUE;
}

gboolean
dd_ivr_editor_state_is_modified (DdIvrEditorState *self)
{
  return top_serial (self) != self->saved_serial;
}

void
dd_ivr_editor_state_mark_saved (DdIvrEditorState *self)
{
  dd_ivr_editor_state_seal (self);
  self->saved_serial = top_serial (self);
}

/* Geometry */

DdIvrRect
dd_ivr_node_rect (const DdIvrNode *node)
{
  DdIvrRect rect = { node->x, node->y, DD_IVR_CARD_WIDTH, DD_IVR_CARD_HEIGHT };

  return rect;
}

DdIvrPoint
dd_ivr_node_input (const DdIvrNode *node)
{
  DdIvrPoint point = { node->x + DD_IVR_CARD_WIDTH / 2, node->y };

  return point;
}

guint
dd_ivr_node_n_ports (const DdIvrNode *node)
{
  const char * const *exits = dd_ivr_node_type_get_exits (node->type);

  return exits != NULL ? g_strv_length ((char **) exits) : 0;
}

DdIvrPoint
dd_ivr_node_port_at (const DdIvrNode *node,
                     guint            index)
{
  guint n = dd_ivr_node_n_ports (node);
  DdIvrPoint point = { node->x + DD_IVR_CARD_WIDTH * (index + 1) / (n + 1),
                       node->y + DD_IVR_CARD_HEIGHT };

  return point;
}

gboolean
dd_ivr_node_port (const DdIvrNode *node,
                  const char      *outcome,
                  DdIvrPoint      *out_point)
{
  const char * const *exits = dd_ivr_node_type_get_exits (node->type);

  for (guint i = 0; exits != NULL && exits[i] != NULL; i++)
    if (g_strcmp0 (exits[i], outcome) == 0)
      {
        if (out_point)
          *out_point = dd_ivr_node_port_at (node, i);
        return TRUE;
      }
  return FALSE;
}

DdIvrCurve
dd_ivr_edge_curve (DdIvrPoint from,
                   DdIvrPoint to)
{
  DdIvrCurve curve;
  double reach = MAX (48.0, fabs (to.y - from.y) / 2);

  /* a target above the port: swing out wider so that the curve goes around */
  if (to.y < from.y)
    reach = MAX (reach, MIN (160.0, fabs (to.x - from.x) / 2 + 48.0));
  curve.p0 = from;
  curve.p1.x = from.x;
  curve.p1.y = from.y + reach;
  curve.p2.x = to.x;
  curve.p2.y = to.y - reach;
  curve.p3 = to;
  return curve;
}

DdIvrPoint
dd_ivr_curve_point (const DdIvrCurve *curve,
                    double            t)
{
  double u = 1 - t;
  double a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t;
  DdIvrPoint point = {
    a * curve->p0.x + b * curve->p1.x + c * curve->p2.x + d * curve->p3.x,
    a * curve->p0.y + b * curve->p1.y + c * curve->p2.y + d * curve->p3.y,
  };

  return point;
}

static gboolean
rect_contains (const DdIvrRect *rect,
               double           x,
               double           y)
{
  return x >= rect->x && x < rect->x + rect->width && y >= rect->y && y < rect->y + rect->height;
}

static double
rect_distance (const DdIvrRect *rect,
               double           x,
               double           y)
{
  double dx = MAX (MAX (rect->x - x, 0), x - (rect->x + rect->width));
  double dy = MAX (MAX (rect->y - y, 0), y - (rect->y + rect->height));

  return sqrt (dx * dx + dy * dy);
}

DdIvrHit
dd_ivr_editor_state_hit_test (DdIvrEditorState *self,
                              double            mx,
                              double            my)
{
  g_autoptr(GPtrArray) ids = dd_ivr_flow_get_node_ids (self->flow);
  DdIvrHit hit = { DD_IVR_HIT_NONE, NULL, NULL };
  double best = DD_IVR_PORT_GRAB;

  /* ports first: they stick out of the card's bottom edge */
  for (guint i = 0; i < ids->len; i++)
    {
      const DdIvrNode *node = dd_ivr_flow_get_node (self->flow, g_ptr_array_index (ids, i));
      const char * const *exits = dd_ivr_node_type_get_exits (node->type);

      if (fabs (my - (node->y + DD_IVR_CARD_HEIGHT)) > DD_IVR_PORT_GRAB
          || mx < node->x - DD_IVR_PORT_GRAB || mx > node->x + DD_IVR_CARD_WIDTH + DD_IVR_PORT_GRAB)
        continue;
      for (guint j = 0; exits != NULL && exits[j] != NULL; j++)
        {
          DdIvrPoint port = dd_ivr_node_port_at (node, j);
          double d = hypot (mx - port.x, my - port.y);

          if (d <= best)
            {
              best = d;
              hit.kind = DD_IVR_HIT_PORT;
              hit.node_id = node->id;
              hit.outcome = exits[j];
            }
        }
    }
  if (hit.kind == DD_IVR_HIT_PORT)
    return hit;

  /* the last drawn is on top */
  for (guint i = ids->len; i > 0; i--)
    {
      const DdIvrNode *node = dd_ivr_flow_get_node (self->flow, g_ptr_array_index (ids, i - 1));
      DdIvrRect rect = dd_ivr_node_rect (node);

      if (rect_contains (&rect, mx, my))
        {
          hit.kind = DD_IVR_HIT_NODE;
          hit.node_id = node->id;
          return hit;
        }
    }
  return hit;
}

const char *
dd_ivr_editor_state_nearest_node (DdIvrEditorState *self,
                                  double            mx,
                                  double            my,
                                  double            max_distance,
                                  const char       *except_id)
{
  g_autoptr(GPtrArray) ids = dd_ivr_flow_get_node_ids (self->flow);
  const char *nearest = NULL;
  double best = G_MAXDOUBLE;

  for (guint i = ids->len; i > 0; i--)
    {
      const DdIvrNode *node = dd_ivr_flow_get_node (self->flow, g_ptr_array_index (ids, i - 1));
      DdIvrRect rect = dd_ivr_node_rect (node);
      double d;

      if (g_strcmp0 (node->id, except_id) == 0)
        continue;
      d = rect_distance (&rect, mx, my);
      if (d <= max_distance && d < best)
        {
          best = d;
          nearest = node->id;
        }
    }
  return nearest;
}

const char *
dd_ivr_editor_state_neighbour (DdIvrEditorState *self,
                               const char       *node_id,
                               DdIvrDirection    direction)
{
  const DdIvrNode *from = node_id ? dd_ivr_flow_get_node (self->flow, node_id) : NULL;
  g_autoptr(GPtrArray) ids = NULL;
  const char *best_id = NULL;
  double best = G_MAXDOUBLE;

  if (from == NULL)
    return NULL;
  ids = dd_ivr_flow_get_node_ids (self->flow);
  for (guint i = 0; i < ids->len; i++)
    {
      const DdIvrNode *node = dd_ivr_flow_get_node (self->flow, g_ptr_array_index (ids, i));
      double dx = node->x - from->x, dy = node->y - from->y;
      double along, across, score;

      if (node == from)
        continue;
      switch (direction)
        {
        case DD_IVR_DIRECTION_LEFT:  along = -dx; across = dy; break;
        case DD_IVR_DIRECTION_RIGHT: along = dx;  across = dy; break;
        case DD_IVR_DIRECTION_UP:    along = -dy; across = dx; break;
        case DD_IVR_DIRECTION_DOWN:  along = dy;  across = dx; break;
        default: g_assert_not_reached ();
        }
      /* only what lies ahead, in a 45° cone either side */
      if (along <= 0 || fabs (across) > along)
        continue;
      score = along + 2 * fabs (across);
      if (score < best)
        {
          best = score;
          best_id = node->id;
        }
    }
  return best_id;
}

const char *
dd_ivr_editor_state_next_node (DdIvrEditorState *self,
                               const char       *node_id,
                               gboolean          backwards)
{
  g_autoptr(GPtrArray) ids = dd_ivr_flow_get_node_ids (self->flow);
  const char *id = NULL;
  guint n = ids->len;
  gint index = -1;

  if (n == 0)
    return NULL;
  for (guint i = 0; node_id != NULL && i < n; i++)
    if (g_strcmp0 (g_ptr_array_index (ids, i), node_id) == 0)
      index = (gint) i;
  if (index < 0)
    id = g_ptr_array_index (ids, backwards ? n - 1 : 0);
  else if (!backwards && index + 1 < (gint) n)
    id = g_ptr_array_index (ids, index + 1);
  else if (backwards && index > 0)
    id = g_ptr_array_index (ids, index - 1);
  /* hand back the flow's own string, which outlives the array */
  return id != NULL ? dd_ivr_flow_get_node (self->flow, id)->id : NULL;
}

gboolean
dd_ivr_editor_state_get_bounds (DdIvrEditorState *self,
                                DdIvrRect        *out_rect)
{
  g_autoptr(GPtrArray) ids = dd_ivr_flow_get_node_ids (self->flow);
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

  if (ids->len == 0)
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      const DdIvrNode *node = dd_ivr_flow_get_node (self->flow, g_ptr_array_index (ids, i));

      x0 = MIN (x0, node->x);
      y0 = MIN (y0, node->y);
      x1 = MAX (x1, node->x + DD_IVR_CARD_WIDTH);
      y1 = MAX (y1, node->y + DD_IVR_CARD_HEIGHT);
    }
  out_rect->x = x0;
  out_rect->y = y0;
  out_rect->width = x1 - x0;
  out_rect->height = y1 - y0;
  return TRUE;
}
