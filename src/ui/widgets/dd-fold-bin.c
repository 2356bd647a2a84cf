/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-fold-bin"

#include "config.h"

#include "dd-fold-bin.h"

struct _DdFoldBin
{
  GtkWidget  parent_instance;

  GtkWidget *child;
  int        natural_width;
};

static void dd_fold_bin_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DdFoldBin, dd_fold_bin, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE,
                                                      dd_fold_bin_buildable_init))

enum {
  PROP_0,
  PROP_CHILD,
  PROP_NATURAL_WIDTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static GtkBuildableIface *parent_buildable_iface;

static void
set_child (DdFoldBin *self,
           GtkWidget *child)
{
  if (self->child == child)
    return;
  g_clear_pointer (&self->child, gtk_widget_unparent);
  if (child != NULL)
    {
      self->child = child;
      gtk_widget_set_parent (child, GTK_WIDGET (self));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}

static void
dd_fold_bin_buildable_add_child (GtkBuildable *buildable,
                                 GtkBuilder   *builder,
                                 GObject      *child,
                                 const char   *type)
{
  if (GTK_IS_WIDGET (child))
    set_child (DD_FOLD_BIN (buildable), GTK_WIDGET (child));
  else
    parent_buildable_iface->add_child (buildable, builder, child, type);
}

static void
dd_fold_bin_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = dd_fold_bin_buildable_add_child;
}

static void
dd_fold_bin_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  DdFoldBin *self = DD_FOLD_BIN (widget);

  *minimum = *natural = 0;
  if (self->child != NULL && gtk_widget_should_layout (self->child))
    gtk_widget_measure (self->child, orientation, for_size, minimum, natural,
                        minimum_baseline, natural_baseline);
  /* the natural width is the one chosen, whatever the child would like */
  if (orientation == GTK_ORIENTATION_HORIZONTAL && self->natural_width > 0)
    *natural = MAX (*minimum, self->natural_width);
}

static void
dd_fold_bin_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  DdFoldBin *self = DD_FOLD_BIN (widget);

  if (self->child != NULL && gtk_widget_should_layout (self->child))
    gtk_widget_allocate (self->child, width, height, baseline, NULL);
}

static void
dd_fold_bin_compute_expand (GtkWidget *widget,
                            gboolean  *hexpand,
                            gboolean  *vexpand)
{
  DdFoldBin *self = DD_FOLD_BIN (widget);

  *hexpand = self->child != NULL && gtk_widget_compute_expand (self->child,
                                                                GTK_ORIENTATION_HORIZONTAL);
  *vexpand = self->child != NULL && gtk_widget_compute_expand (self->child,
                                                                GTK_ORIENTATION_VERTICAL);
}

static void
dd_fold_bin_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DdFoldBin *self = DD_FOLD_BIN (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      g_value_set_object (value, self->child);
      break;
    case PROP_NATURAL_WIDTH:
      g_value_set_int (value, self->natural_width);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_fold_bin_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  DdFoldBin *self = DD_FOLD_BIN (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      set_child (self, g_value_get_object (value));
      break;
    case PROP_NATURAL_WIDTH:
      if (self->natural_width != g_value_get_int (value))
        {
          self->natural_width = g_value_get_int (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_fold_bin_dispose (GObject *object)
{
  DdFoldBin *self = DD_FOLD_BIN (object);

  g_clear_pointer (&self->child, gtk_widget_unparent);

  G_OBJECT_CLASS (dd_fold_bin_parent_class)->dispose (object);
}

static void
dd_fold_bin_class_init (DdFoldBinClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = dd_fold_bin_get_property;
  object_class->set_property = dd_fold_bin_set_property;
  object_class->dispose = dd_fold_bin_dispose;

  widget_class->measure = dd_fold_bin_measure;
  widget_class->size_allocate = dd_fold_bin_size_allocate;
  widget_class->compute_expand = dd_fold_bin_compute_expand;

  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * DdFoldBin:natural-width:
   *
   * The natural width asked for at least, in pixels.
   */
  properties[PROP_NATURAL_WIDTH] =
    g_param_spec_int ("natural-width", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dd_fold_bin_init (DdFoldBin *self)
{
}

GtkWidget *
dd_fold_bin_new (void)
{
  return g_object_new (DD_TYPE_FOLD_BIN, NULL);
}
