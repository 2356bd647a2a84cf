/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-ivr-canvas"

#include "config.h"

#include "dd-ivr-canvas.h"
#include "dd-ivr-canvas-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

/* A press that moves less than this (in pixels) is a click. */
#define CLICK_SLOP 4.0
/* How near (in pixels) a connection must be dropped to a card to land on it. */
#define CONNECT_REACH 16.0
#define HEADER_HEIGHT 26.0
#define CARD_RADIUS 8.0

typedef enum
{
  DRAG_NONE,
  DRAG_NODE,
  DRAG_PORT,
  DRAG_PAN,
} DragMode;

/* The texts drawn on a card, laid out once and kept while they stay the same. */
typedef struct
{
  char        *title;
  char        *summary;
  PangoLayout *title_layout;
  PangoLayout *id_layout;
  PangoLayout *summary_layout;
} CardText;

/* Accessible children: one per node, at its card (a group named after the node, described
 * by what it says or does), holding one per exit, at its port (a button named after the exit
 * and where it leads). A screen reader walks the flow through them, a magnifier follows the
 * selected one. They draw nothing and take neither the pointer nor the focus: the canvas
 * keeps both, and its keyboard moves the selection that they report. */
#define DD_TYPE_IVR_CANVAS_ITEM (dd_ivr_canvas_item_get_type ())
G_DECLARE_FINAL_TYPE (DdIvrCanvasItem, dd_ivr_canvas_item, DD, IVR_CANVAS_ITEM, GtkWidget)

struct _DdIvrCanvasItem
{
  GtkWidget     parent_instance;
  GtkAllocation rect;   /* where its parent item places it */
};

G_DEFINE_FINAL_TYPE (DdIvrCanvasItem, dd_ivr_canvas_item, GTK_TYPE_WIDGET)

static void
place_item (GtkWidget           *item,
            const GtkAllocation *rect)
{
  int minimum, natural;

  gtk_widget_measure (item, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  gtk_widget_measure (item, GTK_ORIENTATION_VERTICAL, -1, &minimum, &natural, NULL, NULL);
  gtk_widget_size_allocate (item, rect, -1);
}

static void
dd_ivr_canvas_item_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    place_item (child, &DD_IVR_CANVAS_ITEM (child)->rect);
}

static void
dd_ivr_canvas_item_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (dd_ivr_canvas_item_parent_class)->dispose (object);
}

static void
dd_ivr_canvas_item_class_init (DdIvrCanvasItemClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dd_ivr_canvas_item_dispose;
  GTK_WIDGET_CLASS (klass)->size_allocate = dd_ivr_canvas_item_size_allocate;
}

static void
dd_ivr_canvas_item_init (DdIvrCanvasItem *self)
{
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
}

static GtkWidget *
item_new (GtkAccessibleRole role)
{
  return g_object_new (DD_TYPE_IVR_CANVAS_ITEM, "accessible-role", role, NULL);
}

struct _DdIvrCanvas
{
  GtkWidget         parent_instance;

  DdIvrEditorState *state;
  gulong            changed_id;
  GHashTable       *cards;          /* node id → CardText */
  GHashTable       *port_labels;    /* label text → PangoLayout */
  PangoLayout      *start_layout;
  PangoLayout      *banner_layout;
  PangoLayout      *empty_layout;

  char             *highlight;
  GHashTable       *visited;        /* node id set */

  /* what the last notification told */
  char             *last_selected;

  /* the accessible children (node id → DdIvrCanvasItem, owned by the widget tree) and the
   * view they were placed for */
  GHashTable       *items;
  double            items_zoom;
  double            items_pan_x;
  double            items_pan_y;
  guint             items_source;

  /* the mouse */
  DragMode          drag_mode;
  char             *drag_node;
  char             *drag_outcome;
  double            drag_start_x;
  double            drag_start_y;
  double            node_start_x;
  double            node_start_y;
  double            pan_start_x;
  double            pan_start_y;
  double            pointer_x;
  double            pointer_y;
  gboolean          drag_moved;
  char             *hover_target;
  char             *last_press_node;   /* for double clicks */
  guint32           last_press_time;

  /* keyboard connect mode */
  gboolean          connecting;
  char             *connect_from;
  char             *connect_outcome;
  char             *connect_target;

  /* a node type dragged over the canvas */
  gboolean          drop_hover;
  double            drop_x;
  double            drop_y;

  gboolean          pending_fit;
  /* the view the last fit made, while nobody has zoomed or panned since: a canvas that
   * changes size (a panel folds, the window is resized) fits the flow again */
  gboolean          fitted;
  double            fit_zoom;
  double            fit_pan_x;
  double            fit_pan_y;
};

G_DEFINE_FINAL_TYPE (DdIvrCanvas, dd_ivr_canvas, GTK_TYPE_WIDGET)

enum {
  SELECTION_CHANGED,
  HISTORY_CHANGED,
  NODE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Colours */

typedef enum
{
  CATEGORY_SPEECH,
  CATEGORY_INPUT,
  CATEGORY_ACTION,
  CATEGORY_CONTROL,
  CATEGORY_END,
} Category;

static Category
type_category (DdIvrNodeType type)
{
  switch (type)
    {
    case DD_IVR_NODE_PLAY:
    case DD_IVR_NODE_SAY_AMOUNT:
    case DD_IVR_NODE_SAY_DATE:
    case DD_IVR_NODE_SAY_INVOICE:
      return CATEGORY_SPEECH;
    case DD_IVR_NODE_MENU:
    case DD_IVR_NODE_COLLECT_DIGITS:
    case DD_IVR_NODE_DECLARE_PAYMENT:
      return CATEGORY_INPUT;
    case DD_IVR_NODE_TRANSFER:
    case DD_IVR_NODE_SEND_SMS:
    case DD_IVR_NODE_SET_STATUS:
      return CATEGORY_ACTION;
    case DD_IVR_NODE_TIME_SWITCH:
      return CATEGORY_CONTROL;
    case DD_IVR_NODE_HANG_UP:
    default:
      return CATEGORY_END;
    }
}

/* The GNOME palette: blue, purple, green, orange, red (dark enough for white text). */
static const GdkRGBA category_colors[] = {
  [CATEGORY_SPEECH] = { 0.110, 0.443, 0.847, 1 },
  [CATEGORY_INPUT] = { 0.506, 0.239, 0.612, 1 },
  [CATEGORY_ACTION] = { 0.149, 0.635, 0.412, 1 },
  [CATEGORY_CONTROL] = { 0.776, 0.275, 0.000, 1 },
  [CATEGORY_END] = { 0.647, 0.114, 0.176, 1 },
};

typedef struct
{
  GdkRGBA background;
  GdkRGBA grid;
  GdkRGBA card;
  GdkRGBA card_border;
  GdkRGBA text;
  GdkRGBA dim_text;
  GdkRGBA edge;
  GdkRGBA accent;
  GdkRGBA current;
  GdkRGBA visited;
  GdkRGBA warning;
  GdkRGBA header_text;
} Palette;

static void
get_palette (GtkWidget *widget,
             Palette   *palette)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (style);

  if (dark)
    {
      palette->background = (GdkRGBA) { 0.14, 0.14, 0.14, 1 };
      palette->grid = (GdkRGBA) { 1, 1, 1, 0.05 };
      palette->card = (GdkRGBA) { 0.22, 0.22, 0.22, 1 };
      palette->card_border = (GdkRGBA) { 1, 1, 1, 0.15 };
      palette->text = (GdkRGBA) { 1, 1, 1, 0.92 };
      palette->dim_text = (GdkRGBA) { 1, 1, 1, 0.6 };
      palette->edge = (GdkRGBA) { 1, 1, 1, 0.45 };
      palette->accent = (GdkRGBA) { 0.47, 0.68, 0.93, 1 };
    }
  else
    {
      palette->background = (GdkRGBA) { 0.96, 0.96, 0.95, 1 };
      palette->grid = (GdkRGBA) { 0, 0, 0, 0.05 };
      palette->card = (GdkRGBA) { 1, 1, 1, 1 };
      palette->card_border = (GdkRGBA) { 0, 0, 0, 0.18 };
      palette->text = (GdkRGBA) { 0, 0, 0, 0.85 };
      palette->dim_text = (GdkRGBA) { 0, 0, 0, 0.55 };
      palette->edge = (GdkRGBA) { 0, 0, 0, 0.42 };
      palette->accent = (GdkRGBA) { 0.11, 0.44, 0.85, 1 };
    }
  palette->current = (GdkRGBA) { 0.18, 0.76, 0.49, 1 };
  palette->visited = (GdkRGBA) { 0.18, 0.76, 0.49, 0.55 };
  palette->warning = (GdkRGBA) { 0.90, 0.38, 0.0, 1 };
  palette->header_text = (GdkRGBA) { 1, 1, 1, 1 };

  /* high contrast: the lines and texts in the theme's own foreground, at full strength (the
   * translucent greys above fade into the background) */
  if (adw_style_manager_get_high_contrast (style))
    {
      GdkRGBA fg;

      gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
      fg.alpha = 1;
      palette->text = fg;
      palette->dim_text = fg;
      palette->edge = fg;
      palette->card_border = fg;
      palette->grid = fg;
      palette->grid.alpha = 0.12;
    }
}

/* Texts */

static void
card_text_free (CardText *text)
{
  g_free (text->title);
  g_free (text->summary);
  g_clear_object (&text->title_layout);
  g_clear_object (&text->id_layout);
  g_clear_object (&text->summary_layout);
  g_free (text);
}

static char *
node_summary (const DdIvrNode *node)
{
  const char *text = NULL;

  switch (node->type)
    {
    case DD_IVR_NODE_PLAY:
      text = dd_ivr_node_get_string (node, "text", NULL);
      if (text == NULL || *text == '\0')
        {
          const char *file = dd_ivr_node_get_string (node, "file", NULL);

          if (file != NULL && *file != '\0')
            {
              g_autofree char *base = g_path_get_basename (file);

              /* Translators: a card on the call flow canvas: the audio file it plays */
              return g_strdup_printf (_("Audio file: %s"), base);
            }
        }
      break;
    case DD_IVR_NODE_MENU:
    case DD_IVR_NODE_COLLECT_DIGITS:
      text = dd_ivr_node_get_string (node, "prompt", NULL);
      break;
    case DD_IVR_NODE_SAY_AMOUNT:
      return g_strdup_printf ("%s {%s}", dd_ivr_node_get_string (node, "prefix", ""),
                              dd_ivr_node_get_string (node, "source", "amount"));
    case DD_IVR_NODE_SAY_DATE:
      return g_strdup_printf ("%s {%s}", dd_ivr_node_get_string (node, "prefix", ""),
                              dd_ivr_node_get_string (node, "source", "due_date"));
    case DD_IVR_NODE_SAY_INVOICE:
      text = dd_ivr_node_get_string (node, "text", NULL);
      if (text == NULL || *text == '\0')
        return g_strdup (_("The invoice number, amount and due date"));
      break;
    case DD_IVR_NODE_DECLARE_PAYMENT:
      text = dd_ivr_node_get_string (node, "date_prompt", NULL);
      if (text == NULL || *text == '\0')
        return g_strdup (_("Asks for a date and an amount"));
      break;
    case DD_IVR_NODE_TRANSFER:
      /* Translators: a card on the call flow canvas: the consultants' queue */
      return g_strdup_printf (_("Queue: %s"), dd_ivr_node_get_string (node, "queue", ""));
    case DD_IVR_NODE_SEND_SMS:
      text = dd_ivr_node_get_string (node, "text", NULL);
      break;
    case DD_IVR_NODE_TIME_SWITCH:
      return g_strdup (dd_ivr_node_get_string (node, "timezone", "Europe/Warsaw"));
    case DD_IVR_NODE_SET_STATUS:
      text = dd_ivr_node_get_string (node, "status", NULL);
      break;
    case DD_IVR_NODE_HANG_UP:
      return g_strdup (_("Ends the call"));
    default:
      break;
    }
  if (text == NULL || *text == '\0')
    return g_strdup (_("Not set up yet"));
  return g_strdup (text);
}

static PangoLayout *
make_layout (DdIvrCanvas *self,
             const char  *text,
             int          points,
             gboolean     bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoFontDescription *font = pango_font_description_copy (
    pango_context_get_font_description (pango_layout_get_context (layout)));

  pango_font_description_set_size (font, points * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  return layout;
}

static CardText *
card_text (DdIvrCanvas     *self,
           const DdIvrNode *node)
{
  CardText *text = g_hash_table_lookup (self->cards, node->id);
  const char *title = dd_ivr_node_type_get_display_name (node->type);
  g_autofree char *summary = node_summary (node);

  if (text != NULL && g_strcmp0 (text->title, title) == 0
      && g_strcmp0 (text->summary, summary) == 0)
    return text;

  text = g_new0 (CardText, 1);
  text->title = g_strdup (title);
  text->summary = g_steal_pointer (&summary);
  text->title_layout = make_layout (self, title, 9, TRUE);
  pango_layout_set_width (text->title_layout, (int) (DD_IVR_CARD_WIDTH * 0.62) * PANGO_SCALE);
  pango_layout_set_ellipsize (text->title_layout, PANGO_ELLIPSIZE_END);
  text->id_layout = make_layout (self, node->id, 7, FALSE);
  pango_layout_set_width (text->id_layout, (int) (DD_IVR_CARD_WIDTH * 0.32) * PANGO_SCALE);
  pango_layout_set_ellipsize (text->id_layout, PANGO_ELLIPSIZE_START);
  pango_layout_set_alignment (text->id_layout, PANGO_ALIGN_RIGHT);
  text->summary_layout = make_layout (self, text->summary, 8, FALSE);
  pango_layout_set_width (text->summary_layout, (int) (DD_IVR_CARD_WIDTH - 20) * PANGO_SCALE);
  pango_layout_set_height (text->summary_layout, -2);
  pango_layout_set_wrap (text->summary_layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_ellipsize (text->summary_layout, PANGO_ELLIPSIZE_END);
  g_hash_table_replace (self->cards, g_strdup (node->id), text);
  return text;
}

/* The label under a port: nothing for a lone "done", the display name while there is room,
 * else a character. */
static const char *
port_label (const DdIvrNode *node,
            const char      *outcome,
            guint            n_ports)
{
  if (n_ports == 1 && g_strcmp0 (outcome, "done") == 0)
    return NULL;
  if (n_ports <= 4)
    return dd_ivr_exit_get_display_name (outcome);
  if (strlen (outcome) == 1)
    return outcome;
  if (g_strcmp0 (outcome, "timeout") == 0)
    return "…";
  if (g_strcmp0 (outcome, "invalid") == 0)
    return "!";
  return "?";
}

static PangoLayout *
port_label_layout (DdIvrCanvas *self,
                   const char  *label)
{
  PangoLayout *layout = g_hash_table_lookup (self->port_labels, label);

  if (layout == NULL)
    {
      layout = make_layout (self, label, 7, FALSE);
      g_hash_table_insert (self->port_labels, g_strdup (label), layout);
    }
  return layout;
}

static void
forget_layouts (DdIvrCanvas *self)
{
  g_hash_table_remove_all (self->cards);
  g_hash_table_remove_all (self->port_labels);
  g_clear_object (&self->start_layout);
  g_clear_object (&self->banner_layout);
  g_clear_object (&self->empty_layout);
}

/* Accessible children */

static void
sync_items (DdIvrCanvas *self)
{
  DdIvrFlow *flow = dd_ivr_editor_state_get_flow (self->state);
  const char *selected = dd_ivr_editor_state_get_selected (self->state);
  const char *start = dd_ivr_flow_get_start (flow);
  g_autoptr(GPtrArray) ids = dd_ivr_flow_get_node_ids (flow);
  GHashTableIter iter;
  gpointer key, value;

  /* the nodes gone */
  g_hash_table_iter_init (&iter, self->items);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (dd_ivr_flow_get_node (flow, key) == NULL)
      {
        gtk_widget_unparent (value);
        g_hash_table_iter_remove (&iter);
      }

  for (guint i = 0; i < ids->len; i++)
    {
      const DdIvrNode *node = dd_ivr_flow_get_node (flow, g_ptr_array_index (ids, i));
      const char * const *exits = dd_ivr_node_type_get_exits (node->type);
      guint n_ports = dd_ivr_node_n_ports (node);
      GtkWidget *item = g_hash_table_lookup (self->items, node->id);
      g_autofree char *summary = node_summary (node);
      g_autofree char *label = NULL;
      GtkWidget *port;
      guint n_children = 0;

      if (item == NULL)
        {
          item = item_new (GTK_ACCESSIBLE_ROLE_GROUP);
          gtk_widget_set_parent (item, GTK_WIDGET (self));
          g_hash_table_insert (self->items, g_strdup (node->id), item);
        }
      if (g_strcmp0 (node->id, start) == 0)
        /* Translators: a node of the call flow as a screen reader names it: its type, its
         * name, and that the call starts there */
        label = g_strdup_printf (_("%s %s, where the call starts"),
                                 dd_ivr_node_type_get_display_name (node->type), node->id);
      else
        label = g_strdup_printf ("%s %s", dd_ivr_node_type_get_display_name (node->type),
                                 node->id);
      gtk_accessible_update_property (GTK_ACCESSIBLE (item),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary,
                                      -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_STATE_SELECTED,
                                   g_strcmp0 (node->id, selected) == 0, -1);

      /* one child per exit, in the order of the ports */
      for (GtkWidget *child = gtk_widget_get_first_child (item); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        n_children++;
      if (n_children != n_ports)
        {
          while ((port = gtk_widget_get_first_child (item)) != NULL)
            gtk_widget_unparent (port);
          for (guint j = 0; j < n_ports; j++)
            gtk_widget_set_parent (item_new (GTK_ACCESSIBLE_ROLE_BUTTON), item);
        }
      port = gtk_widget_get_first_child (item);
      for (guint j = 0; j < n_ports && port != NULL; j++, port = gtk_widget_get_next_sibling (port))
        {
          const char *target = dd_ivr_node_get_exit (node, exits[j]);
          g_autofree char *name = NULL;

          if (target != NULL)
            /* Translators: an exit (a port) of a call flow node, for screen readers: the
             * exit, its node and the node it leads to */
            name = g_strdup_printf (_("Exit “%s” of %s, to %s"),
                                    dd_ivr_exit_get_display_name (exits[j]), node->id, target);
          else
            /* Translators: an exit (a port) of a call flow node that leads nowhere yet */
            name = g_strdup_printf (_("Exit “%s” of %s, not connected"),
                                    dd_ivr_exit_get_display_name (exits[j]), node->id);
          gtk_accessible_update_property (GTK_ACCESSIBLE (port),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
        }
    }
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* Places the accessible children where the cards and ports are drawn now. */
static void
place_items (DdIvrCanvas *self)
{
  DdIvrFlow *flow = dd_ivr_editor_state_get_flow (self->state);
  double zoom = dd_ivr_editor_state_get_zoom (self->state);
  double radius = MAX (DD_IVR_PORT_RADIUS * zoom, 4);
  GHashTableIter iter;
  gpointer key, value;

  self->items_zoom = zoom;
  dd_ivr_editor_state_get_pan (self->state, &self->items_pan_x, &self->items_pan_y);
  g_hash_table_iter_init (&iter, self->items);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const DdIvrNode *node = dd_ivr_flow_get_node (flow, key);
      DdIvrPoint origin;
      GtkAllocation card;
      guint i = 0;

      if (node == NULL)
        continue;
      origin = dd_ivr_editor_state_to_view (self->state, node->x, node->y);
      card = (GtkAllocation) { floor (origin.x), floor (origin.y),
                               MAX (1, ceil (DD_IVR_CARD_WIDTH * zoom)),
                               MAX (1, ceil (DD_IVR_CARD_HEIGHT * zoom)) };
      for (GtkWidget *port = gtk_widget_get_first_child (value); port != NULL;
           port = gtk_widget_get_next_sibling (port), i++)
        {
          DdIvrPoint point = dd_ivr_node_port_at (node, i);

          DD_IVR_CANVAS_ITEM (port)->rect =
            (GtkAllocation) { floor ((point.x - node->x) * zoom - radius),
                              floor ((point.y - node->y) * zoom - radius),
                              ceil (2 * radius), ceil (2 * radius) };
        }
      place_item (value, &card);
    }
}

static gboolean
replace_items (gpointer data)
{
  DdIvrCanvas *self = data;

  self->items_source = 0;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

/* After a pan or a zoom (drawn, not allocated): the children follow, soon. */
static void
follow_view (DdIvrCanvas *self)
{
  double pan_x, pan_y;

  dd_ivr_editor_state_get_pan (self->state, &pan_x, &pan_y);
  if (self->items_source == 0
      && (dd_ivr_editor_state_get_zoom (self->state) != self->items_zoom
          || pan_x != self->items_pan_x || pan_y != self->items_pan_y))
    self->items_source = g_idle_add (replace_items, self);
}

/* Notifications */

static void
update_accessible (DdIvrCanvas *self)
{
  DdIvrFlow *flow = dd_ivr_editor_state_get_flow (self->state);
  const char *selected = dd_ivr_editor_state_get_selected (self->state);
  const DdIvrNode *node = dd_ivr_flow_get_node (flow, selected);
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->connecting)
    {
      const DdIvrNode *from = dd_ivr_flow_get_node (flow, self->connect_from);

      g_string_append_printf (text,
                              /* Translators: read by screen readers in connect mode */
                              _("Connecting the exit “%s” of %s to %s. Arrow keys choose "
                                "the node, Enter connects, Delete disconnects, Escape "
                                "cancels."),
                              dd_ivr_exit_get_display_name (self->connect_outcome),
                              from ? from->id : "",
                              self->connect_target ? self->connect_target : "");
    }
  else if (node != NULL)
    {
      g_autofree char *summary = node_summary (node);
      const char * const *exits = dd_ivr_node_type_get_exits (node->type);

      g_string_append_printf (text, "%s %s: %s.", dd_ivr_node_type_get_display_name (node->type),
                              node->id, summary);
      for (guint i = 0; exits[i] != NULL; i++)
        {
          const char *target = dd_ivr_node_get_exit (node, exits[i]);

          if (target != NULL)
            g_string_append_printf (text, " %s → %s.", dd_ivr_exit_get_display_name (exits[i]),
                                    target);
        }
    }
  else
    {
      g_string_append_printf (text,
                              ngettext ("%u node. Arrow keys or Tab select a node.",
                                        "%u nodes. Arrow keys or Tab select a node.",
                                        dd_ivr_flow_get_n_nodes (flow)),
                              dd_ivr_flow_get_n_nodes (flow));
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str,
                                  -1);
}

static void
notify (DdIvrCanvas *self,
        gboolean     history)
{
  const char *selected = dd_ivr_editor_state_get_selected (self->state);

  gtk_widget_queue_draw (GTK_WIDGET (self));
  sync_items (self);
  if (g_strcmp0 (selected, self->last_selected) != 0)
    {
      g_free (self->last_selected);
      self->last_selected = g_strdup (selected);
      update_accessible (self);
      g_signal_emit (self, signals[SELECTION_CHANGED], 0);
    }
  if (history)
    {
      update_accessible (self);
      g_signal_emit (self, signals[HISTORY_CHANGED], 0);
    }
}

static void
on_flow_changed (DdIvrCanvas *self)
{
  /* the flow the last fit showed is not the one being edited: leave the view alone */
  self->fitted = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  sync_items (self);
}

static void
on_dark_changed (DdIvrCanvas *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Keeps a node in sight after the keyboard chose it. */
static void
reveal_node (DdIvrCanvas *self,
             const char  *node_id)
{
  const DdIvrNode *node = dd_ivr_flow_get_node (dd_ivr_editor_state_get_flow (self->state),
                                                node_id);
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  DdIvrPoint a, b;

  if (node == NULL || width <= 0 || height <= 0)
    return;
  a = dd_ivr_editor_state_to_view (self->state, node->x, node->y);
  b = dd_ivr_editor_state_to_view (self->state, node->x + DD_IVR_CARD_WIDTH,
                                   node->y + DD_IVR_CARD_HEIGHT);
  if (a.x < 0 || a.y < 0 || b.x > width || b.y > height)
    dd_ivr_editor_state_center_on (self->state, node_id, width, height);
}

/* Drawing */

static gboolean
rect_visible (double x0,
              double y0,
              double x1,
              double y1,
              double width,
              double height)
{
  return x1 >= 0 && y1 >= 0 && x0 <= width && y0 <= height;
}

static void
append_outline (GtkSnapshot   *snapshot,
                double         x,
                double         y,
                double         width,
                double         height,
                double         radius,
                double         line,
                const GdkRGBA *color)
{
  GskRoundedRect rect;
  float widths[4] = { line, line, line, line };
  GdkRGBA colors[4] = { *color, *color, *color, *color };

  gsk_rounded_rect_init_from_rect (&rect, &GRAPHENE_RECT_INIT (x, y, width, height), radius);
  gtk_snapshot_append_border (snapshot, &rect, widths, colors);
}

/* A circle's outline: the square around it, rounded all the way. */
static void
append_circle (GtkSnapshot   *snapshot,
               double         cx,
               double         cy,
               double         radius,
               double         line,
               const GdkRGBA *color)
{
  append_outline (snapshot, cx - radius, cy - radius, 2 * radius, 2 * radius, radius, line,
                  color);
}

static void
draw_grid (DdIvrCanvas   *self,
           GtkSnapshot   *snapshot,
           double         width,
           double         height,
           const Palette *palette)
{
  double zoom = dd_ivr_editor_state_get_zoom (self->state);
  double step = 40 * zoom;
  double pan_x, pan_y;

  if (step < 12)
    return;
  dd_ivr_editor_state_get_pan (self->state, &pan_x, &pan_y);
  for (double x = fmod (pan_x, step); x < width; x += step)
    gtk_snapshot_append_color (snapshot, &palette->grid, &GRAPHENE_RECT_INIT (x, 0, 1, height));
  for (double y = fmod (pan_y, step); y < height; y += step)
    gtk_snapshot_append_color (snapshot, &palette->grid, &GRAPHENE_RECT_INIT (0, y, width, 1));
}

static void
cairo_curve (cairo_t          *cr,
             DdIvrEditorState *state,
             const DdIvrCurve *curve)
{
  DdIvrPoint p0 = dd_ivr_editor_state_to_view (state, curve->p0.x, curve->p0.y);
  DdIvrPoint p1 = dd_ivr_editor_state_to_view (state, curve->p1.x, curve->p1.y);
  DdIvrPoint p2 = dd_ivr_editor_state_to_view (state, curve->p2.x, curve->p2.y);
  DdIvrPoint p3 = dd_ivr_editor_state_to_view (state, curve->p3.x, curve->p3.y);

  cairo_move_to (cr, p0.x, p0.y);
  cairo_curve_to (cr, p1.x, p1.y, p2.x, p2.y, p3.x, p3.y);
}

static void
cairo_arrow (cairo_t          *cr,
             DdIvrEditorState *state,
             DdIvrPoint        tip)
{
  double zoom = dd_ivr_editor_state_get_zoom (state);
  DdIvrPoint p = dd_ivr_editor_state_to_view (state, tip.x, tip.y);
  double size = 6 * zoom;

  cairo_move_to (cr, p.x, p.y);
  cairo_line_to (cr, p.x - size, p.y - 1.6 * size);
  cairo_line_to (cr, p.x + size, p.y - 1.6 * size);
  cairo_close_path (cr);
}

static gboolean
curve_visible (DdIvrEditorState *state,
               DdIvrCurve       *curve,
               double            width,
               double            height)
{
  DdIvrPoint a = dd_ivr_editor_state_to_view (state,
                                              MIN (MIN (curve->p0.x, curve->p1.x),
                                                   MIN (curve->p2.x, curve->p3.x)),
                                              MIN (MIN (curve->p0.y, curve->p1.y),
                                                   MIN (curve->p2.y, curve->p3.y)));
  DdIvrPoint b = dd_ivr_editor_state_to_view (state,
                                              MAX (MAX (curve->p0.x, curve->p1.x),
                                                   MAX (curve->p2.x, curve->p3.x)),
                                              MAX (MAX (curve->p0.y, curve->p1.y),
                                                   MAX (curve->p2.y, curve->p3.y)));

  return rect_visible (a.x, a.y, b.x, b.y, width, height);
}

static void
set_source (cairo_t       *cr,
            const GdkRGBA *color)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
}

/* All edges in one cairo node, in widget coordinates so that they stay sharp when zoomed. */
/* The edge the user is making (dragged out of a port, or chosen with the keyboard): dashed. */
static void
draw_new_edge (DdIvrCanvas      *self,
               cairo_t          *cr,
               const DdIvrCurve *curve,
               const Palette    *palette)
{
  static const double dashes[] = { 6, 4 };

  set_source (cr, &palette->accent);
  cairo_set_line_width (cr, 2.5);
  cairo_set_dash (cr, dashes, 2, 0);
  cairo_curve (cr, self->state, curve);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

static void
draw_edges (DdIvrCanvas   *self,
            GtkSnapshot   *snapshot,
            GPtrArray     *ids,
            double         width,
            double         height,
            const Palette *palette)
{
  DdIvrFlow *flow = dd_ivr_editor_state_get_flow (self->state);
  const char *selected = dd_ivr_editor_state_get_selected (self->state);
  double zoom = dd_ivr_editor_state_get_zoom (self->state);
  cairo_t *cr;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_width (cr, MAX (1.0, 2.0 * zoom));
  /* a quarter pixel off the exact curve does not show, and flattens it much faster */
  cairo_set_tolerance (cr, 0.25);
  set_source (cr, &palette->edge);

  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < ids->len; i++)
        {
          const DdIvrNode *node = dd_ivr_flow_get_node (flow, g_ptr_array_index (ids, i));
          const char * const *exits = dd_ivr_node_type_get_exits (node->type);

          for (guint j = 0; exits[j] != NULL; j++)
            {
              const DdIvrNode *target = dd_ivr_flow_get_node (flow,
                                                              dd_ivr_node_get_exit (node,
                                                                                    exits[j]));
              gboolean is_strong;
              DdIvrCurve curve;

              if (target == NULL)
                continue;
              is_strong = (selected != NULL && (g_strcmp0 (node->id, selected) == 0
                                                || g_strcmp0 (target->id, selected) == 0))
                          || (self->visited != NULL
                              && g_hash_table_contains (self->visited, node->id)
                              && (g_hash_table_contains (self->visited, target->id)
                                  || g_strcmp0 (target->id, self->highlight) == 0));
              /* the plain ones first, the highlighted over them */
              if (is_strong != (pass == 1))
                continue;
              curve = dd_ivr_edge_curve (dd_ivr_node_port_at (node, j),
                                         dd_ivr_node_input (target));
              if (!curve_visible (self->state, &curve, width, height))
                continue;
              if (pass == 1)
                {
                  const GdkRGBA *color = (selected != NULL
                                          && (g_strcmp0 (node->id, selected) == 0
                                              || g_strcmp0 (target->id, selected) == 0))
                                         ? &palette->accent : &palette->current;

                  set_source (cr, color);
                  cairo_set_line_width (cr, MAX (1.5, 3.0 * zoom));
                }
              cairo_curve (cr, self->state, &curve);
              cairo_stroke (cr);
              cairo_arrow (cr, self->state, curve.p3);
              cairo_fill (cr);
            }
        }

    }

  /* the connection being dragged out of a port */
  if (self->drag_mode == DRAG_PORT && self->drag_moved)
    {
      const DdIvrNode *node = dd_ivr_flow_get_node (flow, self->drag_node);
      DdIvrPoint port, end;

      if (node != NULL && dd_ivr_node_port (node, self->drag_outcome, &port))
        {
          const DdIvrNode *target = dd_ivr_flow_get_node (flow, self->hover_target);
          DdIvrCurve curve;

          end = target != NULL ? dd_ivr_node_input (target)
                               : dd_ivr_editor_state_to_model (self->state, self->pointer_x,
                                                               self->pointer_y);
          curve = dd_ivr_edge_curve (port, end);
          draw_new_edge (self, cr, &curve, palette);
        }
    }

  /* keyboard connect mode: the edge it would make */
  if (self->connecting)
    {
      const DdIvrNode *node = dd_ivr_flow_get_node (flow, self->connect_from);
      const DdIvrNode *target = dd_ivr_flow_get_node (flow, self->connect_target);
      DdIvrPoint port;

      if (node != NULL && target != NULL && dd_ivr_node_port (node, self->connect_outcome, &port))
        {
          DdIvrCurve curve = dd_ivr_edge_curve (port, dd_ivr_node_input (target));

          draw_new_edge (self, cr, &curve, palette);
        }
    }

  cairo_destroy (cr);
}

/* Where the call is and has been (the simulator): outlines around the card. */
static void
draw_trail (DdIvrCanvas     *self,
            GtkSnapshot     *snapshot,
            const DdIvrNode *node,
            const Palette   *palette)
{
  if (g_strcmp0 (node->id, self->highlight) == 0)
    append_outline (snapshot, -6, -6, DD_IVR_CARD_WIDTH + 12, DD_IVR_CARD_HEIGHT + 12,
                    CARD_RADIUS + 6, 4, &palette->current);
  else if (self->visited != NULL && g_hash_table_contains (self->visited, node->id))
    append_outline (snapshot, -4, -4, DD_IVR_CARD_WIDTH + 8, DD_IVR_CARD_HEIGHT + 8,
                    CARD_RADIUS + 4, 2, &palette->visited);
}

/* Zoomed far out, where corners are a pixel or two: square cards draw much faster. */
static void
draw_card_coarse (GtkSnapshot     *snapshot,
                  const DdIvrNode *node,
                  gboolean         is_start,
                  gboolean         is_selected,
                  const GdkRGBA   *category,
                  const Palette   *palette)
{
  const char * const *exits = dd_ivr_node_type_get_exits (node->type);
  guint n_ports = dd_ivr_node_n_ports (node);

  gtk_snapshot_append_color (snapshot, &palette->card_border,
                             &GRAPHENE_RECT_INIT (-1, -1, DD_IVR_CARD_WIDTH + 2,
                                                  DD_IVR_CARD_HEIGHT + 2));
  gtk_snapshot_append_color (snapshot, &palette->card,
                             &GRAPHENE_RECT_INIT (0, 0, DD_IVR_CARD_WIDTH, DD_IVR_CARD_HEIGHT));
  gtk_snapshot_append_color (snapshot, category,
                             &GRAPHENE_RECT_INIT (0, 0, DD_IVR_CARD_WIDTH, HEADER_HEIGHT));
  if (is_selected)
    append_outline (snapshot, -3, -3, DD_IVR_CARD_WIDTH + 6, DD_IVR_CARD_HEIGHT + 6, 0, 6,
                    &palette->accent);
  if (is_start)
    gtk_snapshot_append_color (snapshot, &palette->current,
                               &GRAPHENE_RECT_INIT (0, -14, DD_IVR_CARD_WIDTH / 3, 8));
  for (guint i = 0; i < n_ports; i++)
    {
      DdIvrPoint port = dd_ivr_node_port_at (node, i);

      gtk_snapshot_append_color (snapshot,
                                 dd_ivr_node_get_exit (node, exits[i]) != NULL
                                 ? category : &palette->card_border,
                                 &GRAPHENE_RECT_INIT (port.x - node->x - DD_IVR_PORT_RADIUS,
                                                      DD_IVR_CARD_HEIGHT - DD_IVR_PORT_RADIUS,
                                                      2 * DD_IVR_PORT_RADIUS,
                                                      2 * DD_IVR_PORT_RADIUS));
    }
}

/* The rounded card with its coloured header and its border (the accent when selected). */
static void
draw_card_body (GtkSnapshot   *snapshot,
                gboolean       is_selected,
                const GdkRGBA *category,
                const Palette *palette)
{
  GskRoundedRect card;

  gsk_rounded_rect_init_from_rect (&card,
                                   &GRAPHENE_RECT_INIT (0, 0, DD_IVR_CARD_WIDTH,
                                                        DD_IVR_CARD_HEIGHT),
                                   CARD_RADIUS);
  gtk_snapshot_push_rounded_clip (snapshot, &card);
  gtk_snapshot_append_color (snapshot, &palette->card,
                             &GRAPHENE_RECT_INIT (0, 0, DD_IVR_CARD_WIDTH, DD_IVR_CARD_HEIGHT));
  gtk_snapshot_append_color (snapshot, category,
                             &GRAPHENE_RECT_INIT (0, 0, DD_IVR_CARD_WIDTH, HEADER_HEIGHT));
  gtk_snapshot_pop (snapshot);
  if (is_selected)
    append_outline (snapshot, -1.5, -1.5, DD_IVR_CARD_WIDTH + 3, DD_IVR_CARD_HEIGHT + 3,
                    CARD_RADIUS + 1.5, 3, &palette->accent);
  else
    append_outline (snapshot, 0, 0, DD_IVR_CARD_WIDTH, DD_IVR_CARD_HEIGHT, CARD_RADIUS, 1,
                    &palette->card_border);
}

static void
append_layout_at (GtkSnapshot   *snapshot,
                  PangoLayout   *layout,
                  double         x,
                  double         y,
                  const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

/* The card's title, id and summary, and the Start badge of the node where calls begin. */
static void
draw_card_text (DdIvrCanvas     *self,
                GtkSnapshot     *snapshot,
                const DdIvrNode *node,
                gboolean         is_start,
                const Palette   *palette)
{
  CardText *text = card_text (self, node);

  append_layout_at (snapshot, text->title_layout, 10, 5, &palette->header_text);
  append_layout_at (snapshot, text->id_layout, DD_IVR_CARD_WIDTH * 0.68 - 10, 7,
                    &palette->header_text);
  append_layout_at (snapshot, text->summary_layout, 10, HEADER_HEIGHT + 4, &palette->text);
  if (is_start)
    {
      if (self->start_layout == NULL)
        /* Translators: the badge above the node where calls begin */
        self->start_layout = make_layout (self, _("Start"), 8, TRUE);
      append_layout_at (snapshot, self->start_layout, 4, -17, &palette->current);
    }
}

/* The input point and the ports, with their labels. */
static void
draw_ports (DdIvrCanvas     *self,
            GtkSnapshot     *snapshot,
            const DdIvrNode *node,
            gboolean         is_selected,
            const GdkRGBA   *category,
            const Palette   *palette)
{
  const char * const *exits = dd_ivr_node_type_get_exits (node->type);
  guint n_ports = dd_ivr_node_n_ports (node);

  append_circle (snapshot, DD_IVR_CARD_WIDTH / 2, 0, 3.5, 3.5, &palette->card_border);
  for (guint i = 0; i < n_ports; i++)
    {
      DdIvrPoint port = dd_ivr_node_port_at (node, i);
      gboolean connected = dd_ivr_node_get_exit (node, exits[i]) != NULL;
      gboolean active = (self->connecting && is_selected
                         && g_strcmp0 (exits[i], self->connect_outcome) == 0)
                        || (self->drag_mode == DRAG_PORT
                            && g_strcmp0 (node->id, self->drag_node) == 0
                            && g_strcmp0 (exits[i], self->drag_outcome) == 0);
      const GdkRGBA *color = category;
      const char *label;

      port.x -= node->x;
      port.y -= node->y;
      if (active)
        color = &palette->accent;
      else if (!connected && dd_ivr_node_type_exit_is_required (node->type, exits[i]))
        color = &palette->warning;
      append_circle (snapshot, port.x, port.y, DD_IVR_PORT_RADIUS + (active ? 2 : 0),
                     connected || active ? DD_IVR_PORT_RADIUS + (active ? 2 : 0) : 2, color);
      if (!connected && !active)
        append_circle (snapshot, port.x, port.y, DD_IVR_PORT_RADIUS - 2, DD_IVR_PORT_RADIUS - 2,
                       &palette->card);

      label = port_label (node, exits[i], n_ports);
      if (label != NULL)
        {
          PangoLayout *layout = port_label_layout (self, label);
          int label_width, label_height;

          pango_layout_get_pixel_size (layout, &label_width, &label_height);
          append_layout_at (snapshot, layout, port.x - label_width / 2.0,
                            port.y - DD_IVR_PORT_RADIUS - 3 - label_height, &palette->dim_text);
        }
    }
}

static void
draw_card (DdIvrCanvas     *self,
           GtkSnapshot     *snapshot,
           const DdIvrNode *node,
           gboolean         is_start,
           const Palette   *palette)
{
  double zoom = dd_ivr_editor_state_get_zoom (self->state);
  DdIvrPoint origin = dd_ivr_editor_state_to_view (self->state, node->x, node->y);
  const GdkRGBA *category = &category_colors[type_category (node->type)];
  const char *selected = dd_ivr_editor_state_get_selected (self->state);
  gboolean is_selected = g_strcmp0 (node->id, selected) == 0;
  gboolean detailed = zoom >= 0.4;

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (origin.x, origin.y));
  gtk_snapshot_scale (snapshot, zoom, zoom);

  draw_trail (self, snapshot, node, palette);
  if (!detailed)
    draw_card_coarse (snapshot, node, is_start, is_selected, category, palette);
  else
    {
      draw_card_body (snapshot, is_selected, category, palette);
      draw_card_text (self, snapshot, node, is_start, palette);
      draw_ports (self, snapshot, node, is_selected, category, palette);
    }

  gtk_snapshot_restore (snapshot);
}

static void
draw_banner (DdIvrCanvas   *self,
             GtkSnapshot   *snapshot,
             double         width,
             const Palette *palette)
{
  g_autofree char *text = NULL;
  int text_width, text_height;
  GskRoundedRect box;

  text = g_strdup_printf (_("Connecting “%s” of %s: arrow keys choose, Enter connects, "
                            "Delete disconnects, Escape cancels"),
                          dd_ivr_exit_get_display_name (self->connect_outcome),
                          self->connect_from);
  g_clear_object (&self->banner_layout);
  self->banner_layout = make_layout (self, text, 10, FALSE);
  pango_layout_set_width (self->banner_layout, (int) MAX (100, width - 40) * PANGO_SCALE);
  pango_layout_set_ellipsize (self->banner_layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (self->banner_layout, &text_width, &text_height);
  gsk_rounded_rect_init_from_rect (&box,
                                   &GRAPHENE_RECT_INIT (10, 10, text_width + 20, text_height + 12),
                                   6);
  gtk_snapshot_push_rounded_clip (snapshot, &box);
  gtk_snapshot_append_color (snapshot, &palette->accent, &box.bounds);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (20, 16));
  gtk_snapshot_append_layout (snapshot, self->banner_layout, &palette->header_text);
  gtk_snapshot_restore (snapshot);
}

static void
dd_ivr_canvas_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  DdIvrCanvas *self = DD_IVR_CANVAS (widget);
  DdIvrFlow *flow = dd_ivr_editor_state_get_flow (self->state);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double zoom = dd_ivr_editor_state_get_zoom (self->state);
  const char *start = dd_ivr_flow_get_start (flow);
  const char *selected = dd_ivr_editor_state_get_selected (self->state);
  g_autoptr(GPtrArray) ids = dd_ivr_flow_get_node_ids (flow);
  const DdIvrNode *selected_node = NULL;
  Palette palette;

  get_palette (widget, &palette);
  follow_view (self);
  gtk_snapshot_append_color (snapshot, &palette.background,
                             &GRAPHENE_RECT_INIT (0, 0, width, height));
  draw_grid (self, snapshot, width, height, &palette);
  draw_edges (self, snapshot, ids, width, height, &palette);

  for (guint i = 0; i < ids->len; i++)
    {
      const DdIvrNode *node = dd_ivr_flow_get_node (flow, g_ptr_array_index (ids, i));
      DdIvrPoint a = dd_ivr_editor_state_to_view (self->state, node->x, node->y - 20);
      DdIvrPoint b = dd_ivr_editor_state_to_view (self->state, node->x + DD_IVR_CARD_WIDTH,
                                                  node->y + DD_IVR_CARD_HEIGHT + 10);

      if (!rect_visible (a.x, a.y, b.x, b.y, width, height))
        continue;
      /* the selected card on top of the others */
      if (g_strcmp0 (node->id, selected) == 0)
        {
          selected_node = node;
          continue;
        }
      draw_card (self, snapshot, node, g_strcmp0 (node->id, start) == 0, &palette);
    }
  if (selected_node != NULL)
    draw_card (self, snapshot, selected_node, g_strcmp0 (selected_node->id, start) == 0,
               &palette);

  /* targets: of a connection being dragged, of keyboard connect mode */
  {
    const char *target_id = self->connecting ? self->connect_target
                            : self->drag_mode == DRAG_PORT ? self->hover_target : NULL;
    const DdIvrNode *target = dd_ivr_flow_get_node (flow, target_id);

    if (target != NULL)
      {
        DdIvrPoint a = dd_ivr_editor_state_to_view (self->state, target->x, target->y);

        append_outline (snapshot, a.x - 5, a.y - 5, DD_IVR_CARD_WIDTH * zoom + 10,
                        DD_IVR_CARD_HEIGHT * zoom + 10, CARD_RADIUS * zoom + 5, 3,
                        &palette.accent);
      }
  }

  /* where a dragged node type would land */
  if (self->drop_hover)
    {
      GdkRGBA ghost = palette.accent;

      ghost.alpha = 0.6;
      append_outline (snapshot, self->drop_x - DD_IVR_CARD_WIDTH * zoom / 2,
                      self->drop_y - DD_IVR_CARD_HEIGHT * zoom / 2,
                      DD_IVR_CARD_WIDTH * zoom, DD_IVR_CARD_HEIGHT * zoom,
                      CARD_RADIUS * zoom, 2, &ghost);
    }

  if (self->connecting)
    draw_banner (self, snapshot, width, &palette);

  /* an empty flow says how to begin */
  if (ids->len == 0 && !self->drop_hover)
    {
      int text_width, text_height;

      if (self->empty_layout == NULL)
        {
          self->empty_layout = make_layout (self, _("Drag a step here from the list, "
                                                    "or select it there and press Enter"),
                                            11, FALSE);
          pango_layout_set_alignment (self->empty_layout, PANGO_ALIGN_CENTER);
        }
      pango_layout_set_width (self->empty_layout, (int) MAX (100, width - 60) * PANGO_SCALE);
      pango_layout_set_wrap (self->empty_layout, PANGO_WRAP_WORD);
      pango_layout_get_pixel_size (self->empty_layout, &text_width, &text_height);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((width - MAX (100, width - 60)) / 2,
                                                              (height - text_height) / 2));
      gtk_snapshot_append_layout (snapshot, self->empty_layout, &palette.dim_text);
      gtk_snapshot_restore (snapshot);
    }

  /* the keyboard is here */
  if (gtk_widget_has_visible_focus (widget))
    {
      GdkRGBA ring = palette.accent;

      ring.alpha = 0.5;
      append_outline (snapshot, 1, 1, width - 2, height - 2, 0, 2, &ring);
    }
}

/* Editing helpers */

static void
cancel_connect (DdIvrCanvas *self)
{
  if (!self->connecting)
    return;
  self->connecting = FALSE;
  g_clear_pointer (&self->connect_from, g_free);
  g_clear_pointer (&self->connect_outcome, g_free);
  g_clear_pointer (&self->connect_target, g_free);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* C: the first exit of the selected node, then the next ones in turn. */
static gboolean
start_or_cycle_connect (DdIvrCanvas *self)
{
  DdIvrFlow *flow = dd_ivr_editor_state_get_flow (self->state);
  const DdIvrNode *node = dd_ivr_flow_get_node (flow,
                                                dd_ivr_editor_state_get_selected (self->state));
  const char * const *exits;
  guint n, next = 0;

  if (node == NULL || (n = dd_ivr_node_n_ports (node)) == 0)
    return FALSE;
  exits = dd_ivr_node_type_get_exits (node->type);
  if (self->connecting && g_strcmp0 (self->connect_from, node->id) == 0)
    {
      for (guint i = 0; i < n; i++)
        if (g_strcmp0 (exits[i], self->connect_outcome) == 0)
          next = (i + 1) % n;
    }
  else
    {
      /* the first exit not yet connected, if any */
      for (guint i = n; i > 0; i--)
        if (dd_ivr_node_get_exit (node, exits[i - 1]) == NULL)
          next = i - 1;
    }
  self->connecting = TRUE;
  g_free (self->connect_from);
  self->connect_from = g_strdup (node->id);
  g_free (self->connect_outcome);
  self->connect_outcome = g_strdup (exits[next]);
  g_free (self->connect_target);
  self->connect_target = g_strdup (dd_ivr_node_get_exit (node, exits[next]));
  if (self->connect_target == NULL)
    self->connect_target = g_strdup (dd_ivr_editor_state_neighbour (self->state, node->id,
                                                                    DD_IVR_DIRECTION_DOWN));
  if (self->connect_target == NULL)
    self->connect_target = g_strdup (dd_ivr_editor_state_next_node (self->state, node->id,
                                                                    FALSE));
  if (self->connect_target == NULL)
    self->connect_target = g_strdup (node->id);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

static void
report_error (DdIvrCanvas *self,
              GError      *error)
{
  if (error != NULL)
    {
      g_message ("Call flow edit refused: %s", error->message);
      gtk_widget_error_bell (GTK_WIDGET (self));
    }
}

static gboolean
connect_exit (DdIvrCanvas *self,
              const char  *from_id,
              const char  *outcome,
              const char  *to_id)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (to_id != NULL)
    ok = dd_ivr_editor_state_connect (self->state, from_id, outcome, to_id, &error);
  else
    ok = dd_ivr_editor_state_disconnect (self->state, from_id, outcome, &error);
  report_error (self, error);
  notify (self, ok);
  return ok;
}

static void
nudge (DdIvrCanvas *self,
       double       dx,
       double       dy)
{
  const char *selected = dd_ivr_editor_state_get_selected (self->state);
  const DdIvrNode *node = dd_ivr_flow_get_node (dd_ivr_editor_state_get_flow (self->state),
                                                selected);
  g_autoptr(GError) error = NULL;

  if (node == NULL)
    return;
  if (dd_ivr_editor_state_move_node (self->state, selected, node->x + dx, node->y + dy, &error))
    {
      reveal_node (self, selected);
      notify (self, TRUE);
    }
  report_error (self, error);
}

static void
zoom_by (DdIvrCanvas *self,
         double       factor,
         double       vx,
         double       vy)
{
  dd_ivr_editor_state_zoom_at (self->state, dd_ivr_editor_state_get_zoom (self->state) * factor,
                               vx, vy);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Zooms about the middle of the view. */
static void
zoom_centered (DdIvrCanvas *self,
               double       factor)
{
  zoom_by (self, factor, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

static gboolean
select_by_keyboard (DdIvrCanvas *self,
                    const char  *node_id)
{
  if (node_id == NULL)
    return FALSE;
  dd_ivr_editor_state_select (self->state, node_id);
  reveal_node (self, node_id);
  notify (self, FALSE);
  return TRUE;
}

static gboolean
direction_for_key (guint           keyval,
                   DdIvrDirection *direction)
{
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      *direction = DD_IVR_DIRECTION_LEFT;
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      *direction = DD_IVR_DIRECTION_RIGHT;
      return TRUE;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      *direction = DD_IVR_DIRECTION_UP;
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      *direction = DD_IVR_DIRECTION_DOWN;
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
handle_connect_key (DdIvrCanvas     *self,
                    guint            keyval,
                    GdkModifierType  modifiers)
{
  DdIvrDirection direction;

  if (direction_for_key (keyval, &direction))
    {
      const char *next = dd_ivr_editor_state_neighbour (self->state, self->connect_target,
                                                        direction);

      if (next != NULL)
        {
          g_free (self->connect_target);
          self->connect_target = g_strdup (next);
          reveal_node (self, next);
          update_accessible (self);
          gtk_widget_queue_draw (GTK_WIDGET (self));
        }
      else
        gtk_widget_error_bell (GTK_WIDGET (self));
      return TRUE;
    }

  switch (keyval)
    {
    case GDK_KEY_Tab:
    case GDK_KEY_ISO_Left_Tab:
    case GDK_KEY_KP_Tab:
      {
        gboolean back = keyval == GDK_KEY_ISO_Left_Tab || (modifiers & GDK_SHIFT_MASK);
        const char *next = dd_ivr_editor_state_next_node (self->state, self->connect_target,
                                                          back);

        if (next == NULL)
          next = dd_ivr_editor_state_next_node (self->state, NULL, back);
        g_free (self->connect_target);
        self->connect_target = g_strdup (next);
        reveal_node (self, next);
        update_accessible (self);
        gtk_widget_queue_draw (GTK_WIDGET (self));
        return TRUE;
      }
    case GDK_KEY_Escape:
      cancel_connect (self);
      return TRUE;
    case GDK_KEY_c:
    case GDK_KEY_C:
      start_or_cycle_connect (self);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
    case GDK_KEY_space:
      {
        g_autofree char *from = g_strdup (self->connect_from);
        g_autofree char *outcome = g_strdup (self->connect_outcome);
        g_autofree char *target = g_strdup (self->connect_target);

        cancel_connect (self);
        if (target != NULL)
          connect_exit (self, from, outcome, target);
        return TRUE;
      }
    case GDK_KEY_Delete:
    case GDK_KEY_KP_Delete:
    case GDK_KEY_BackSpace:
      {
        g_autofree char *from = g_strdup (self->connect_from);
        g_autofree char *outcome = g_strdup (self->connect_outcome);

        cancel_connect (self);
        connect_exit (self, from, outcome, NULL);
        return TRUE;
      }
    default:
      return FALSE;
    }
}

static gboolean
handle_key (DdIvrCanvas     *self,
            guint            keyval,
            GdkModifierType  modifiers)
{
  const char *selected = dd_ivr_editor_state_get_selected (self->state);
  gboolean control = (modifiers & GDK_CONTROL_MASK) != 0;
  gboolean shift = (modifiers & GDK_SHIFT_MASK) != 0;
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  DdIvrDirection direction;

  modifiers &= gtk_accelerator_get_default_mod_mask ();
  if (self->connecting && !control)
    return handle_connect_key (self, keyval, modifiers);

  if (control && (keyval == GDK_KEY_z || keyval == GDK_KEY_Z))
    {
      if (!(shift ? dd_ivr_canvas_redo (self) : dd_ivr_canvas_undo (self)))
        gtk_widget_error_bell (GTK_WIDGET (self));
      return TRUE;
    }
  if (control && (keyval == GDK_KEY_y || keyval == GDK_KEY_Y))
    {
      if (!dd_ivr_canvas_redo (self))
        gtk_widget_error_bell (GTK_WIDGET (self));
      return TRUE;
    }

  if (direction_for_key (keyval, &direction))
    {
      static const double steps[][2] = { { -1, 0 }, { 1, 0 }, { 0, -1 }, { 0, 1 } };

      if (control)
        {
          dd_ivr_editor_state_pan_by (self->state, -steps[direction][0] * 60,
                                      -steps[direction][1] * 60);
          gtk_widget_queue_draw (GTK_WIDGET (self));
        }
      else if (shift)
        nudge (self, steps[direction][0] * DD_IVR_NUDGE, steps[direction][1] * DD_IVR_NUDGE);
      else if (selected == NULL)
        select_by_keyboard (self, dd_ivr_editor_state_next_node (self->state, NULL, FALSE));
      else if (!select_by_keyboard (self, dd_ivr_editor_state_neighbour (self->state, selected,
                                                                          direction)))
        gtk_widget_error_bell (GTK_WIDGET (self));
      return TRUE;
    }

  if (control)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Tab:
    case GDK_KEY_ISO_Left_Tab:
    case GDK_KEY_KP_Tab:
      /* after the last node the focus moves on */
      return select_by_keyboard (self,
                                 dd_ivr_editor_state_next_node (self->state, selected,
                                                                keyval == GDK_KEY_ISO_Left_Tab
                                                                || shift));
    case GDK_KEY_Delete:
    case GDK_KEY_KP_Delete:
    case GDK_KEY_BackSpace:
      return dd_ivr_canvas_delete_selected (self);
    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      zoom_by (self, 1.25, width / 2, height / 2);
      return TRUE;
    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      zoom_by (self, 0.8, width / 2, height / 2);
      return TRUE;
    case GDK_KEY_0:
    case GDK_KEY_KP_0:
      dd_ivr_canvas_zoom_fit (self);
      return TRUE;
    case GDK_KEY_c:
    case GDK_KEY_C:
      if (!start_or_cycle_connect (self))
        gtk_widget_error_bell (GTK_WIDGET (self));
      return TRUE;
    case GDK_KEY_s:
    case GDK_KEY_S:
      if (selected != NULL)
        {
          g_autoptr(GError) error = NULL;

          notify (self, dd_ivr_editor_state_set_start (self->state, selected, &error));
          report_error (self, error);
        }
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
    case GDK_KEY_space:
      if (selected == NULL)
        return FALSE;
      g_signal_emit (self, signals[NODE_ACTIVATED], 0, selected);
      return TRUE;
    case GDK_KEY_Escape:
      if (selected == NULL)
        return FALSE;
      dd_ivr_editor_state_select (self->state, NULL);
      notify (self, FALSE);
      return TRUE;
    default:
      return FALSE;
    }
}

/* Event handlers */

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                DdIvrCanvas           *self)
{
  return handle_key (self, keyval, state);
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               DdIvrCanvas    *self)
{
  DdIvrPoint m = dd_ivr_editor_state_to_model (self->state, x, y);
  DdIvrHit hit = dd_ivr_editor_state_hit_test (self->state, m.x, m.y);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  cancel_connect (self);
  self->drag_start_x = self->pointer_x = x;
  self->drag_start_y = self->pointer_y = y;
  self->drag_moved = FALSE;
  g_clear_pointer (&self->hover_target, g_free);
  g_free (self->drag_node);
  self->drag_node = g_strdup (hit.node_id);
  g_free (self->drag_outcome);
  self->drag_outcome = g_strdup (hit.outcome);

  switch (hit.kind)
    {
    case DD_IVR_HIT_PORT:
      self->drag_mode = DRAG_PORT;
      break;
    case DD_IVR_HIT_NODE:
      {
        const DdIvrNode *node = dd_ivr_flow_get_node (dd_ivr_editor_state_get_flow (self->state),
                                                      hit.node_id);
        guint32 time = gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (gesture));
        int double_click_time = 400;

        g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-double-click-time",
                      &double_click_time, NULL);
        if (g_strcmp0 (self->last_press_node, hit.node_id) == 0
            && time - self->last_press_time <= (guint32) double_click_time)
          {
            g_autofree char *id = g_strdup (hit.node_id);

            self->drag_mode = DRAG_NONE;
            g_clear_pointer (&self->last_press_node, g_free);
            g_signal_emit (self, signals[NODE_ACTIVATED], 0, id);
            return;
          }
        g_free (self->last_press_node);
        self->last_press_node = g_strdup (hit.node_id);
        self->last_press_time = time;

        self->drag_mode = DRAG_NODE;
        self->node_start_x = node->x;
        self->node_start_y = node->y;
        dd_ivr_editor_state_select (self->state, hit.node_id);
        dd_ivr_editor_state_begin_drag (self->state, hit.node_id);
        notify (self, FALSE);
      }
      break;
    case DD_IVR_HIT_NONE:
    default:
      self->drag_mode = DRAG_PAN;
      dd_ivr_editor_state_get_pan (self->state, &self->pan_start_x, &self->pan_start_y);
      break;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                DdIvrCanvas    *self)
{
  double zoom = dd_ivr_editor_state_get_zoom (self->state);

  if (fabs (dx) + fabs (dy) >= CLICK_SLOP)
    self->drag_moved = TRUE;
  if (!self->drag_moved)
    return;
  self->pointer_x = self->drag_start_x + dx;
  self->pointer_y = self->drag_start_y + dy;

  switch (self->drag_mode)
    {
    case DRAG_NODE:
      dd_ivr_editor_state_drag_to (self->state, self->node_start_x + dx / zoom,
                                   self->node_start_y + dy / zoom);
      break;
    case DRAG_PORT:
      {
        DdIvrPoint m = dd_ivr_editor_state_to_model (self->state, self->pointer_x,
                                                     self->pointer_y);

        g_free (self->hover_target);
        self->hover_target = g_strdup (dd_ivr_editor_state_nearest_node (self->state, m.x, m.y,
                                                                         CONNECT_REACH / zoom,
                                                                         NULL));
        gtk_widget_queue_draw (GTK_WIDGET (self));
      }
      break;
    case DRAG_PAN:
      dd_ivr_editor_state_set_pan (self->state, self->pan_start_x + dx, self->pan_start_y + dy);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case DRAG_NONE:
    default:
      break;
    }
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             DdIvrCanvas    *self)
{
  DragMode mode = self->drag_mode;
  g_autofree char *node_id = g_steal_pointer (&self->drag_node);
  g_autofree char *outcome = g_steal_pointer (&self->drag_outcome);

  self->drag_mode = DRAG_NONE;
  g_clear_pointer (&self->hover_target, g_free);

  switch (mode)
    {
    case DRAG_NODE:
      dd_ivr_editor_state_end_drag (self->state);
      notify (self, self->drag_moved);
      break;
    case DRAG_PORT:
      if (self->drag_moved)
        _dd_ivr_canvas_drag_port (self, node_id, outcome, self->drag_start_x + dx,
                                  self->drag_start_y + dy);
      else
        {
          /* a click on a port selects its node */
          dd_ivr_editor_state_select (self->state, node_id);
          notify (self, FALSE);
        }
      break;
    case DRAG_PAN:
      if (!self->drag_moved)
        {
          dd_ivr_editor_state_select (self->state, NULL);
          notify (self, FALSE);
        }
      break;
    case DRAG_NONE:
    default:
      break;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           DdIvrCanvas              *self)
{
  if (self->drag_mode == DRAG_NONE)
    {
      self->pointer_x = x;
      self->pointer_y = y;
    }
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           DdIvrCanvas              *self)
{
  GdkModifierType modifiers = gtk_event_controller_get_current_event_state (
    GTK_EVENT_CONTROLLER (controller));

  if (modifiers & GDK_CONTROL_MASK)
    {
      zoom_by (self, pow (1.1, -dy), self->pointer_x, self->pointer_y);
      return TRUE;
    }
  if (modifiers & GDK_SHIFT_MASK)
    {
      double t = dx;

      dx = dy;
      dy = t;
    }
  dd_ivr_editor_state_pan_by (self->state, -dx * 32, -dy * 32);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

static GdkDragAction
on_drop_motion (GtkDropTarget *target,
                double         x,
                double         y,
                DdIvrCanvas   *self)
{
  self->drop_hover = TRUE;
  self->drop_x = x;
  self->drop_y = y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return GDK_ACTION_COPY;
}

static void
on_drop_leave (GtkDropTarget *target,
               DdIvrCanvas   *self)
{
  self->drop_hover = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         DdIvrCanvas   *self)
{
  self->drop_hover = FALSE;
  if (!G_VALUE_HOLDS_STRING (value))
    return FALSE;
  if (_dd_ivr_canvas_drop_type (self, g_value_get_string (value), x, y) == NULL)
    return FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (self));
  return TRUE;
}

static gboolean
dd_ivr_canvas_query_tooltip (GtkWidget  *widget,
                             int         x,
                             int         y,
                             gboolean    keyboard_mode,
                             GtkTooltip *tooltip)
{
  DdIvrCanvas *self = DD_IVR_CANVAS (widget);
  DdIvrFlow *flow = dd_ivr_editor_state_get_flow (self->state);
  DdIvrPoint m = dd_ivr_editor_state_to_model (self->state, x, y);
  DdIvrHit hit = dd_ivr_editor_state_hit_test (self->state, m.x, m.y);
  const DdIvrNode *node = dd_ivr_flow_get_node (flow, hit.node_id);
  g_autofree char *text = NULL;

  if (keyboard_mode || node == NULL || self->drag_mode != DRAG_NONE)
    return FALSE;
  if (hit.kind == DD_IVR_HIT_PORT)
    {
      const char *target = dd_ivr_node_get_exit (node, hit.outcome);

      if (target != NULL)
        /* Translators: tooltip of an exit port: “Key 1 → menu-2” */
        text = g_strdup_printf (_("%s → %s"), dd_ivr_exit_get_display_name (hit.outcome), target);
      else
        /* Translators: tooltip of an exit port that leads nowhere yet */
        text = g_strdup_printf (_("%s: drag to a node to connect"),
                                dd_ivr_exit_get_display_name (hit.outcome));
    }
  else
    {
      g_autofree char *summary = node_summary (node);

      text = g_strdup_printf ("%s (%s)\n%s", dd_ivr_node_type_get_display_name (node->type),
                              node->id, summary);
    }
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* GtkWidget */

static void
dd_ivr_canvas_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  *minimum = 160;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 480;
}

static void
fit (DdIvrCanvas *self,
     int          width,
     int          height)
{
  dd_ivr_editor_state_fit (self->state, width, height);
  self->fitted = TRUE;
  self->fit_zoom = dd_ivr_editor_state_get_zoom (self->state);
  dd_ivr_editor_state_get_pan (self->state, &self->fit_pan_x, &self->fit_pan_y);
}

static gboolean
still_fitted (DdIvrCanvas *self)
{
  double pan_x, pan_y;

  if (!self->fitted)
    return FALSE;
  dd_ivr_editor_state_get_pan (self->state, &pan_x, &pan_y);
  return dd_ivr_editor_state_get_zoom (self->state) == self->fit_zoom
         && pan_x == self->fit_pan_x && pan_y == self->fit_pan_y;
}

static void
dd_ivr_canvas_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  DdIvrCanvas *self = DD_IVR_CANVAS (widget);

  if (width <= 0 || height <= 0)
    return;
  if (self->pending_fit || still_fitted (self))
    {
      self->pending_fit = FALSE;
      fit (self, width, height);
    }
  place_items (self);
}

static void
dd_ivr_canvas_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (dd_ivr_canvas_parent_class)->css_changed (widget, change);
  /* the font may have changed */
  forget_layouts (DD_IVR_CANVAS (widget));
  gtk_widget_queue_draw (widget);
}

/* GObject */

static void
dd_ivr_canvas_dispose (GObject *object)
{
  DdIvrCanvas *self = DD_IVR_CANVAS (object);

  if (self->state != NULL)
    g_clear_signal_handler (&self->changed_id, dd_ivr_editor_state_get_flow (self->state));
  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  g_clear_handle_id (&self->items_source, g_source_remove);
  if (self->items != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->items);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        gtk_widget_unparent (value);
      g_hash_table_remove_all (self->items);
    }

  G_OBJECT_CLASS (dd_ivr_canvas_parent_class)->dispose (object);
}

static void
dd_ivr_canvas_finalize (GObject *object)
{
  DdIvrCanvas *self = DD_IVR_CANVAS (object);

  g_clear_pointer (&self->state, dd_ivr_editor_state_free);
  g_clear_pointer (&self->cards, g_hash_table_unref);
  g_clear_pointer (&self->port_labels, g_hash_table_unref);
  g_clear_pointer (&self->items, g_hash_table_unref);
  g_clear_object (&self->start_layout);
  g_clear_object (&self->banner_layout);
  g_clear_object (&self->empty_layout);
  g_free (self->highlight);
  g_clear_pointer (&self->visited, g_hash_table_unref);
  g_free (self->last_selected);
  g_free (self->drag_node);
  g_free (self->drag_outcome);
  g_free (self->hover_target);
  g_free (self->last_press_node);
  g_free (self->connect_from);
  g_free (self->connect_outcome);
  g_free (self->connect_target);

  G_OBJECT_CLASS (dd_ivr_canvas_parent_class)->finalize (object);
}

static void
dd_ivr_canvas_class_init (DdIvrCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dd_ivr_canvas_dispose;
  object_class->finalize = dd_ivr_canvas_finalize;

  widget_class->snapshot = dd_ivr_canvas_snapshot;
  widget_class->measure = dd_ivr_canvas_measure;
  widget_class->size_allocate = dd_ivr_canvas_size_allocate;
  widget_class->query_tooltip = dd_ivr_canvas_query_tooltip;
  widget_class->css_changed = dd_ivr_canvas_css_changed;

  /**
   * DdIvrCanvas::selection-changed:
   *
   * Another node (or none) is selected.
   */
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * DdIvrCanvas::history-changed:
   *
   * A command was done, undone or redone (the flow changed through the editing state).
   */
  signals[HISTORY_CHANGED] =
    g_signal_new ("history-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * DdIvrCanvas::node-activated:
   * @node_id: the node
   *
   * The user double-clicked a node or pressed Enter on it.
   */
  signals[NODE_ACTIVATED] =
    g_signal_new ("node-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "ivr-canvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
dd_ivr_canvas_init (DdIvrCanvas *self)
{
  g_autoptr(DdIvrFlow) flow = dd_ivr_flow_new (NULL);
  GtkEventController *controller;
  GtkGesture *gesture;
  GtkDropTarget *drop;

  self->state = dd_ivr_editor_state_new (flow);
  self->changed_id = g_signal_connect_swapped (flow, "changed", G_CALLBACK (on_flow_changed),
                                               self);
  self->cards = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) card_text_free);
  self->port_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pending_fit = TRUE;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (controller, "enter", G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (gtk_widget_queue_draw), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY);
  g_signal_connect (drop, "motion", G_CALLBACK (on_drop_motion), self);
  g_signal_connect (drop, "enter", G_CALLBACK (on_drop_motion), self);
  g_signal_connect (drop, "leave", G_CALLBACK (on_drop_leave), self);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::high-contrast",
                           G_CALLBACK (on_dark_changed), self, G_CONNECT_SWAPPED);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Call flow"),
                                  -1);
  update_accessible (self);
  sync_items (self);
}

/* Public API */

GtkWidget *
dd_ivr_canvas_new (void)
{
  return g_object_new (DD_TYPE_IVR_CANVAS, NULL);
}

void
dd_ivr_canvas_set_flow (DdIvrCanvas *self,
                        DdIvrFlow   *flow)
{
  g_return_if_fail (DD_IS_IVR_CANVAS (self));
  g_return_if_fail (DD_IS_IVR_FLOW (flow));

  cancel_connect (self);
  self->drag_mode = DRAG_NONE;
  g_clear_signal_handler (&self->changed_id, dd_ivr_editor_state_get_flow (self->state));
  dd_ivr_editor_state_set_flow (self->state, flow);
  self->changed_id = g_signal_connect_swapped (flow, "changed", G_CALLBACK (on_flow_changed),
                                               self);
  g_hash_table_remove_all (self->cards);
  dd_ivr_canvas_set_highlight (self, NULL, NULL);
  if (gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    dd_ivr_canvas_zoom_fit (self);
  else
    self->pending_fit = TRUE;
  notify (self, TRUE);
}

DdIvrFlow *
dd_ivr_canvas_get_flow (DdIvrCanvas *self)
{
  g_return_val_if_fail (DD_IS_IVR_CANVAS (self), NULL);

  return dd_ivr_editor_state_get_flow (self->state);
}

DdIvrEditorState *
dd_ivr_canvas_get_state (DdIvrCanvas *self)
{
  g_return_val_if_fail (DD_IS_IVR_CANVAS (self), NULL);

  return self->state;
}

void
dd_ivr_canvas_state_changed (DdIvrCanvas *self)
{
  g_return_if_fail (DD_IS_IVR_CANVAS (self));

  notify (self, TRUE);
}

const char *
dd_ivr_canvas_get_selected (DdIvrCanvas *self)
{
  g_return_val_if_fail (DD_IS_IVR_CANVAS (self), NULL);

  return dd_ivr_editor_state_get_selected (self->state);
}

void
dd_ivr_canvas_select (DdIvrCanvas *self,
                      const char  *node_id)
{
  g_return_if_fail (DD_IS_IVR_CANVAS (self));

  dd_ivr_editor_state_select (self->state, node_id);
  notify (self, FALSE);
}

void
dd_ivr_canvas_focus_node (DdIvrCanvas *self,
                          const char  *node_id)
{
  g_return_if_fail (DD_IS_IVR_CANVAS (self));

  if (!dd_ivr_editor_state_select (self->state, node_id))
    return;
  dd_ivr_editor_state_center_on (self->state, node_id, gtk_widget_get_width (GTK_WIDGET (self)),
                                 gtk_widget_get_height (GTK_WIDGET (self)));
  notify (self, FALSE);
}

const char *
dd_ivr_canvas_add_node (DdIvrCanvas   *self,
                        DdIvrNodeType  type)
{
  double width, height;

  g_return_val_if_fail (DD_IS_IVR_CANVAS (self), NULL);

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  /* a little off the middle each time, so that several additions do not hide each other */
  return _dd_ivr_canvas_drop_type (self, dd_ivr_node_type_to_string (type),
                                   width / 2 + (dd_ivr_flow_get_n_nodes (
                                                  dd_ivr_editor_state_get_flow (self->state))
                                                % 5) * 16,
                                   height / 2 + (dd_ivr_flow_get_n_nodes (
                                                   dd_ivr_editor_state_get_flow (self->state))
                                                 % 5) * 16);
}

gboolean
dd_ivr_canvas_delete_selected (DdIvrCanvas *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *selected = NULL;
  const char *next;
  gboolean ok;

  g_return_val_if_fail (DD_IS_IVR_CANVAS (self), FALSE);

  selected = g_strdup (dd_ivr_editor_state_get_selected (self->state));
  if (selected == NULL)
    return FALSE;
  cancel_connect (self);
  /* the keyboard goes on from a neighbour */
  next = dd_ivr_editor_state_next_node (self->state, selected, FALSE);
  if (next == NULL)
    next = dd_ivr_editor_state_next_node (self->state, selected, TRUE);
  ok = dd_ivr_editor_state_delete_node (self->state, selected, &error);
  report_error (self, error);
  if (ok && next != NULL)
    dd_ivr_editor_state_select (self->state, next);
  notify (self, ok);
  return ok;
}

/* Undoes or redoes (@step) one change. */
static gboolean
step_history (DdIvrCanvas *self,
              gboolean   (*step) (DdIvrEditorState *state))
{
  gboolean ok;

  cancel_connect (self);
  ok = step (self->state);
  notify (self, ok);
  return ok;
}

gboolean
dd_ivr_canvas_undo (DdIvrCanvas *self)
{
  g_return_val_if_fail (DD_IS_IVR_CANVAS (self), FALSE);

  return step_history (self, dd_ivr_editor_state_undo);
}

gboolean
dd_ivr_canvas_redo (DdIvrCanvas *self)
{
  g_return_val_if_fail (DD_IS_IVR_CANVAS (self), FALSE);

  return step_history (self, dd_ivr_editor_state_redo);
}

void
dd_ivr_canvas_zoom_in (DdIvrCanvas *self)
{
  g_return_if_fail (DD_IS_IVR_CANVAS (self));

  zoom_centered (self, 1.25);
}

void
dd_ivr_canvas_zoom_out (DdIvrCanvas *self)
{
  g_return_if_fail (DD_IS_IVR_CANVAS (self));

  zoom_centered (self, 0.8);
}

void
dd_ivr_canvas_zoom_fit (DdIvrCanvas *self)
{
  g_return_if_fail (DD_IS_IVR_CANVAS (self));

  fit (self, gtk_widget_get_width (GTK_WIDGET (self)),
       gtk_widget_get_height (GTK_WIDGET (self)));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
dd_ivr_canvas_set_highlight (DdIvrCanvas        *self,
                             const char         *node_id,
                             const char * const *visited_ids)
{
  g_return_if_fail (DD_IS_IVR_CANVAS (self));

  g_free (self->highlight);
  self->highlight = g_strdup (node_id);
  g_clear_pointer (&self->visited, g_hash_table_unref);
  if (visited_ids != NULL)
    {
      self->visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; visited_ids[i] != NULL; i++)
        g_hash_table_add (self->visited, g_strdup (visited_ids[i]));
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Private API */

const char *
_dd_ivr_canvas_drop_type (DdIvrCanvas *self,
                          const char  *type_name,
                          double       x,
                          double       y)
{
  g_autoptr(GError) error = NULL;
  DdIvrNodeType type;
  DdIvrPoint m;
  const char *id;

  g_return_val_if_fail (DD_IS_IVR_CANVAS (self), NULL);

  if (!dd_ivr_node_type_from_string (type_name, &type))
    {
      g_message ("Dropped something that is not a node type: %s", type_name);
      return NULL;
    }
  cancel_connect (self);
  m = dd_ivr_editor_state_to_model (self->state, x, y);
  /* the card's middle where it was dropped, on a 10-unit grid */
  id = dd_ivr_editor_state_add_node (self->state, type,
                                     round ((m.x - DD_IVR_CARD_WIDTH / 2) / 10) * 10,
                                     round ((m.y - DD_IVR_CARD_HEIGHT / 2) / 10) * 10, &error);
  report_error (self, error);
  notify (self, id != NULL);
  return id;
}

gboolean
_dd_ivr_canvas_drag_port (DdIvrCanvas *self,
                          const char  *node_id,
                          const char  *outcome,
                          double       x,
                          double       y)
{
  DdIvrPoint m;
  const char *target;

  g_return_val_if_fail (DD_IS_IVR_CANVAS (self), FALSE);

  m = dd_ivr_editor_state_to_model (self->state, x, y);
  target = dd_ivr_editor_state_nearest_node (self->state, m.x, m.y,
                                             CONNECT_REACH / dd_ivr_editor_state_get_zoom (self->state),
                                             NULL);
  dd_ivr_editor_state_select (self->state, node_id);
  /* dropped on nothing: the exit leads nowhere any more */
  return connect_exit (self, node_id, outcome, target);
}

gboolean
_dd_ivr_canvas_press_key (DdIvrCanvas     *self,
                          guint            keyval,
                          GdkModifierType  modifiers)
{
  g_return_val_if_fail (DD_IS_IVR_CANVAS (self), FALSE);

  return handle_key (self, keyval, modifiers);
}

gboolean
_dd_ivr_canvas_get_point (DdIvrCanvas *self,
                          const char  *node_id,
                          const char  *outcome,
                          double      *x,
                          double      *y)
{
  const DdIvrNode *node;
  DdIvrPoint point, view;

  g_return_val_if_fail (DD_IS_IVR_CANVAS (self), FALSE);

  node = dd_ivr_flow_get_node (dd_ivr_editor_state_get_flow (self->state), node_id);
  if (node == NULL)
    return FALSE;
  if (outcome != NULL)
    {
      if (!dd_ivr_node_port (node, outcome, &point))
        return FALSE;
    }
  else
    {
      point.x = node->x + DD_IVR_CARD_WIDTH / 2;
      point.y = node->y + DD_IVR_CARD_HEIGHT / 2;
    }
  view = dd_ivr_editor_state_to_view (self->state, point.x, point.y);
  *x = view.x;
  *y = view.y;
  return TRUE;
}

const char *
_dd_ivr_canvas_get_connect_target (DdIvrCanvas *self)
{
  g_return_val_if_fail (DD_IS_IVR_CANVAS (self), NULL);

  return self->connecting ? self->connect_target : NULL;
}
