/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-report-chart"

#include "config.h"

#include "dd-report-chart.h"

#include "dd-report-pdf.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#define ROW_HEIGHT 22.0
#define FONT_SIZE  12.0

struct _DdReportChart
{
  GtkWidget            parent_instance;
  const DdReportTable *table;
};

G_DEFINE_FINAL_TYPE (DdReportChart, dd_report_chart, GTK_TYPE_WIDGET)

static void
dd_report_chart_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  DdReportChart *self = DD_REPORT_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 600;
    }
  else
    *minimum = *natural = (int) dd_report_chart_height (self->table, ROW_HEIGHT);
}

static void
dd_report_chart_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  DdReportChart *self = DD_REPORT_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA color;
  cairo_t *cr;

  if (self->table == NULL || width <= 0 || height <= 0)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  /* high contrast: the texts in the foreground at full strength, not a translucent grey */
  if (adw_style_manager_get_high_contrast (adw_style_manager_get_default ()))
    color.alpha = 1;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_cairo_set_source_rgba (cr, &color);
  dd_report_chart_draw (cr, self->table, width, ROW_HEIGHT, FONT_SIZE);
  cairo_destroy (cr);
}

static void
dd_report_chart_class_init (DdReportChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->measure = dd_report_chart_measure;
  widget_class->snapshot = dd_report_chart_snapshot;
  gtk_widget_class_set_css_name (widget_class, "report-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
dd_report_chart_init (DdReportChart *self)
{
  /* the colours change with high contrast even where the foreground stays the same */
  g_signal_connect_object (adw_style_manager_get_default (), "notify::high-contrast",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}

GtkWidget *
dd_report_chart_new (void)
{
  return g_object_new (DD_TYPE_REPORT_CHART, NULL);
}

/* What a screen reader says of the bars: each label with its value, the first few rows. */
#define DESCRIBED_ROWS 8

static char *
describe_bars (const DdReportTable *table)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint label_col = 0;
  guint n = MIN (table->rows->len, DESCRIBED_ROWS);

  /* the first text column before the bars' labels them (as drawn) */
  for (guint c = 0; c < table->chart_column && c < table->columns->len; c++)
    if (g_array_index (table->columns, DdReportColumn, c).kind == DD_REPORT_CELL_TEXT)
      {
        label_col = c;
        break;
      }
  for (guint r = 0; r < n; r++)
    {
      g_autofree char *label = dd_report_cell_format (dd_report_table_cell (table, r, label_col));
      g_autofree char *value = dd_report_cell_format (dd_report_table_cell (table, r,
                                                                            table->chart_column));

      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append_printf (text, "%s: %s", label, value);
    }
  if (table->rows->len > n)
    /* Translators: the end of a chart's description for screen readers; %u rows are left */
    g_string_append_printf (text, ngettext ("; and %u more row", "; and %u more rows",
                                            table->rows->len - n),
                            table->rows->len - n);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

void
dd_report_chart_set_table (DdReportChart       *self,
                           const DdReportTable *table)
{
  g_return_if_fail (DD_IS_REPORT_CHART (self));

  self->table = table;
  gtk_widget_set_visible (GTK_WIDGET (self), dd_report_chart_height (table, ROW_HEIGHT) > 0);
  if (table != NULL && table->chart_column < table->columns->len)
    {
      g_autofree char *label = NULL;
      g_autofree char *bars = describe_bars (table);

      /* Translators: what a report's bar chart shows, for screen readers: the table's title
       * and the column of the bars */
      label = g_strdup_printf (_("Chart of %1$s: %2$s (the figures are in the table below)"),
                               table->title,
                               g_array_index (table->columns, DdReportColumn,
                                              table->chart_column).title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, bars, -1);
    }
  gtk_widget_queue_resize (GTK_WIDGET (self));
}
