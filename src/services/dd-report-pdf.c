/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-report-pdf"

#include "config.h"

#include "dd-report-pdf.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#define PAGE_W    841.89   /* A4 landscape, points */
#define PAGE_H    595.28
#define MARGIN    36.0
#define ROW_H     15.0
#define CHART_H   140.0

typedef struct
{
  cairo_t    *cr;
  const char *title;
  const char *office;
  const char *period;
  char       *made;
  double      y;
  guint       page;
} Pdf;

static double
draw_text (Pdf        *pdf,
           const char *text,
           double      x,
           double      y,
           double      width,
           gboolean    bold,
           double      size,
           gboolean    right)
{
  PangoLayout *layout = pango_cairo_create_layout (pdf->cr);
  PangoFontDescription *font = pango_font_description_from_string ("DejaVu Sans");
  int w, h;

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      if (size < 9 || right)
        pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      else
        pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
      if (right)
        pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (pdf->cr, x, y);
  pango_cairo_show_layout (pdf->cr, layout);
  pango_font_description_free (font);
  g_object_unref (layout);
  return h;
}

static void
new_page (Pdf *pdf)
{
  g_autofree char *page = NULL;

  if (pdf->page > 0)
    cairo_show_page (pdf->cr);
  pdf->page++;
  cairo_set_source_rgb (pdf->cr, 0, 0, 0);
  draw_text (pdf, pdf->office, MARGIN, MARGIN - 14, 0, TRUE, 10, FALSE);
  draw_text (pdf, pdf->title, MARGIN, MARGIN, 0, TRUE, 14, FALSE);
  draw_text (pdf, pdf->period, MARGIN, MARGIN + 20, 0, FALSE, 9, FALSE);
  /* Translators: the foot of a report's page: when it was made and the page number */
  page = g_strdup_printf (_("Made on %1$s · page %2$u"), pdf->made, pdf->page);
  draw_text (pdf, page, MARGIN, PAGE_H - MARGIN + 6, PAGE_W - 2 * MARGIN, FALSE, 8, TRUE);
  cairo_set_line_width (pdf->cr, 0.5);
  cairo_move_to (pdf->cr, MARGIN, MARGIN + 34);
  cairo_line_to (pdf->cr, PAGE_W - MARGIN, MARGIN + 34);
  cairo_stroke (pdf->cr);
  pdf->y = MARGIN + 42;
}

static void
ensure_room (Pdf    *pdf,
             double  height)
{
  if (pdf->y + height > PAGE_H - MARGIN - 4)
    new_page (pdf);
}

static void
draw_chart (Pdf                 *pdf,
            const DdReportTable *t)
{
  guint col = t->chart_column;
  double max = 0, bar_w, x0 = MARGIN + 150, width = PAGE_W - 2 * MARGIN - 150;
  const DdReportColumn *column = &g_array_index (t->columns, DdReportColumn, col);
  guint label_col = 0;

  for (guint c = 0; c < t->columns->len; c++)
    if (g_array_index (t->columns, DdReportColumn, c).kind == DD_REPORT_CELL_TEXT)
      {
        label_col = c;
        break;
      }
  for (guint r = 0; r < t->rows->len; r++)
    max = MAX (max, (double) dd_report_table_cell (t, r, col)->value);
  if (t->rows->len == 0 || max <= 0)
    return;
  bar_w = MIN (ROW_H, (CHART_H - 20) / t->rows->len);
  ensure_room (pdf, 20 + bar_w * t->rows->len + 10);
  draw_text (pdf, column->title, MARGIN, pdf->y, 0, TRUE, 9, FALSE);
  pdf->y += 16;
  for (guint r = 0; r < t->rows->len; r++)
    {
      const DdReportCell *cell = dd_report_table_cell (t, r, col);
      g_autofree char *label = dd_report_cell_format (dd_report_table_cell (t, r, label_col));
      g_autofree char *value = dd_report_cell_format (cell);
      double len = width * 0.85 * (double) cell->value / max;

      cairo_set_source_rgb (pdf->cr, 0, 0, 0);
      draw_text (pdf, label, MARGIN, pdf->y, 145, FALSE, 8, FALSE);
      cairo_set_source_rgb (pdf->cr, 0.21, 0.52, 0.89);
      cairo_rectangle (pdf->cr, x0, pdf->y + 1, MAX (len, 0.5), bar_w - 3);
      cairo_fill (pdf->cr);
      cairo_set_source_rgb (pdf->cr, 0, 0, 0);
      draw_text (pdf, value, x0 + len + 4, pdf->y, 0, FALSE, 8, FALSE);
      pdf->y += bar_w;
    }
  pdf->y += 10;
}

/* One row of @t: its header when @row is -1. */
static void
draw_row (Pdf                 *pdf,
          const DdReportTable *t,
          gint                 row)
{
  guint n = t->columns->len;
  double col_w = (PAGE_W - 2 * MARGIN) / MAX (n, 1);

  for (guint c = 0; c < n; c++)
    {
      const DdReportColumn *column = &g_array_index (t->columns, DdReportColumn, c);
      g_autofree char *text = row < 0
                              ? g_strdup (column->title)
                              : dd_report_cell_format (dd_report_table_cell (t, row, c));

      draw_text (pdf, text, MARGIN + c * col_w, pdf->y, col_w - 4, row < 0, 7.5,
                 column->kind != DD_REPORT_CELL_TEXT);
    }
  pdf->y += row < 0 ? ROW_H + 4 : ROW_H;
  if (row < 0)
    {
      cairo_set_line_width (pdf->cr, 0.3);
      cairo_move_to (pdf->cr, MARGIN, pdf->y - 3);
      cairo_line_to (pdf->cr, PAGE_W - MARGIN, pdf->y - 3);
      cairo_stroke (pdf->cr);
    }
}

static void
draw_table (Pdf                 *pdf,
            const DdReportTable *t)
{
  ensure_room (pdf, 3 * ROW_H + 20);
  draw_text (pdf, t->title, MARGIN, pdf->y, 0, TRUE, 11, FALSE);
  pdf->y += 18;
  if (t->note != NULL)
    {
      pdf->y += draw_text (pdf, t->note, MARGIN, pdf->y, PAGE_W - 2 * MARGIN, FALSE, 9, FALSE);
      pdf->y += 4;
    }
  draw_row (pdf, t, -1);
  for (guint r = 0; r < t->rows->len; r++)
    {
      if (pdf->y + ROW_H > PAGE_H - MARGIN - 4)
        {
          new_page (pdf);
          draw_row (pdf, t, -1);
        }
      draw_row (pdf, t, (gint) r);
    }
  pdf->y += 12;
  if (t->chart_column < t->columns->len)
    draw_chart (pdf, t);
}

gboolean
dd_report_pdf_write (const char  *path,
                     const char  *title,
                     const char  *office_name,
                     const char  *period,
                     GPtrArray   *tables,
                     GError     **error)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, PAGE_W, PAGE_H);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  cairo_status_t status;
  Pdf pdf = { 0 };

  pdf.title = title;
  pdf.office = office_name != NULL ? office_name : "";
  pdf.period = period;
  pdf.made = g_date_time_format (now, "%Y-%m-%d %H:%M");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  pdf.cr = cairo_create (surface);
  new_page (&pdf);
  for (guint i = 0; i < tables->len; i++)
    draw_table (&pdf, g_ptr_array_index (tables, i));
  cairo_show_page (pdf.cr);
  cairo_destroy (pdf.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  g_free (pdf.made);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write “%s”: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
