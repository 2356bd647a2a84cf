/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-report-pdf"

#include "config.h"

#include "dd-report-pdf.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pangocairo.h>

#define PAGE_W    841.89   /* A4 landscape, points */
#define PAGE_H    595.28
#define MARGIN    36.0
#define ROW_H     15.0

/* The bar chart of a table: shared by the PDF, the print-out and the window's chart widget. */

static const double series_rgb[2][3] = { { 0.21, 0.52, 0.89 }, { 0.90, 0.57, 0.12 } };

typedef enum
{
  TEXT_PLAIN     = 0,
  TEXT_BOLD      = 1 << 0,
  TEXT_ELLIPSIZE = 1 << 1,   /* within its width: cut short with an ellipsis, not wrapped */
  TEXT_RIGHT     = 1 << 2,   /* within its width: aligned right */
  TEXT_MEASURE   = 1 << 3,   /* only measured, not drawn */
  TEXT_SHRINK    = 1 << 4,   /* within its width: one line, in a smaller size when too wide
                              * (a figure is never cut short) */
  TEXT_FIT_WORDS = 1 << 5,   /* wrapped within its width, in a smaller size when its longest
                              * word is wider (a header is not broken inside a word) */
} TextStyle;

/* Shows @text at (@x, @y) in DejaVu Sans of @size points; within @width (when > 0) it wraps,
 * or is cut short as @style says; returns its height, its width in @out_width. */
static double
show_text (cairo_t    *cr,
           const char *text,
           double      x,
           double      y,
           double      width,
           double      size,
           TextStyle   style,
           int        *out_width)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("DejaVu Sans");
  int w, h;

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  if (style & TEXT_BOLD)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  if (width > 0 && (style & TEXT_FIT_WORDS))
    {
      g_auto(GStrv) words = g_strsplit_set (text, " \n", -1);
      int widest = 0;

      for (guint i = 0; words[i] != NULL; i++)
        {
          int word_w;

          pango_layout_set_text (layout, words[i], -1);
          pango_layout_get_pixel_size (layout, &word_w, NULL);
          widest = MAX (widest, word_w);
        }
      if (widest > width)
        {
          /* a little under: the smaller size's hinting may widen it again */
          pango_font_description_set_absolute_size (font, MAX (0.92 * size * width / widest,
                                                               4.0) * PANGO_SCALE);
          pango_layout_set_font_description (layout, font);
        }
    }
  pango_layout_set_text (layout, text, -1);
  if (width > 0 && (style & TEXT_SHRINK))
    {
      int natural;

      pango_layout_get_pixel_size (layout, &natural, NULL);
      if (natural > width)
        {
          pango_font_description_set_absolute_size (font, MAX (size * width / natural, 3.0)
                                                          * PANGO_SCALE);
          pango_layout_set_font_description (layout, font);
        }
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      if (style & TEXT_RIGHT)
        pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
    }
  else if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      if (style & TEXT_ELLIPSIZE)
        pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      else
        pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      if (style & TEXT_RIGHT)
        pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  if (!(style & TEXT_MEASURE))
    {
      cairo_move_to (cr, x, y);
      pango_cairo_show_layout (cr, layout);
    }
  if (out_width != NULL)
    *out_width = w;
  pango_font_description_free (font);
  g_object_unref (layout);
  return h;
}

static double
chart_value (const DdReportCell *cell)
{
  if (cell->kind == DD_REPORT_CELL_SHARE)
    return isnan (cell->share) ? 0 : cell->share;
  return (double) cell->value;
}

/* The rows the chart shows: a row whose label repeats the one before (the same bucket or
 * window in another currency) is skipped when the chart's column is no amount. */
static gboolean
chart_row_shown (const DdReportTable *t,
                 guint                label_col,
                 guint                row)
{
  g_autofree char *label = NULL;
  g_autofree char *before = NULL;

  if (row == 0 || g_array_index (t->columns, DdReportColumn, t->chart_column).kind ==
                  DD_REPORT_CELL_MONEY)
    return TRUE;
  label = dd_report_cell_plain (dd_report_table_cell (t, row, label_col));
  before = dd_report_cell_plain (dd_report_table_cell (t, row - 1, label_col));
  return g_strcmp0 (label, before) != 0;
}

/* The first text column before the bars' (else the first column) labels them. */
static guint
chart_label_column (const DdReportTable *t)
{
  for (guint c = 0; c < t->chart_column && c < t->columns->len; c++)
    if (g_array_index (t->columns, DdReportColumn, c).kind == DD_REPORT_CELL_TEXT)
      return c;
  return 0;
}

/* Bars of amounts are scaled per currency (a euro bar is never measured against a złoty
 * one), and the currencies' groups are set apart. */
static const char *
chart_currency (const DdReportTable *t,
                guint                row)
{
  const DdReportCell *cell = dd_report_table_cell (t, row, t->chart_column);

  return cell->kind == DD_REPORT_CELL_MONEY ? cell->text : NULL;
}

static gboolean
chart_new_group (const DdReportTable *t,
                 guint                row)
{
  return row > 0 && g_strcmp0 (chart_currency (t, row), chart_currency (t, row - 1)) != 0;
}

static guint
chart_n_series (const DdReportTable *t)
{
  return t->chart_column_b < t->columns->len ? 2 : 1;
}

double
dd_report_chart_height (const DdReportTable *t,
                        double               row_height)
{
  guint label_col;
  double n = 0;

  if (t == NULL || t->chart_column >= t->columns->len || t->rows->len == 0)
    return 0;
  label_col = chart_label_column (t);
  for (guint r = 0; r < t->rows->len; r++)
    n += chart_row_shown (t, label_col, r) + (chart_new_group (t, r) ? 0.5 : 0);
  return 2 * row_height + n * row_height * chart_n_series (t) + row_height / 2;
}

void
dd_report_chart_draw (cairo_t             *cr,
                      const DdReportTable *t,
                      double               width,
                      double               row_height,
                      double               font_size)
{
  guint cols[2] = { t->chart_column, t->chart_column_b };
  guint n_series = chart_n_series (t);
  guint label_col = chart_label_column (t);
  double label_w = MIN (150, width / 4);
  double max = 0, y = 0, x0 = label_w + 6, bar_max = (width - x0) * 0.8;
  cairo_pattern_t *fg = cairo_pattern_reference (cairo_get_source (cr));
  double lx = 0;

  if (t->chart_column >= t->columns->len)
    {
      cairo_pattern_destroy (fg);
      return;
    }

  /* the legend: a square of each series' colour and its column's title */
  for (guint s = 0; s < n_series; s++)
    {
      int w = 0;

      cairo_set_source_rgb (cr, series_rgb[s][0], series_rgb[s][1], series_rgb[s][2]);
      cairo_rectangle (cr, lx, y + row_height * 0.2, row_height * 0.6, row_height * 0.6);
      cairo_fill (cr);
      cairo_set_source (cr, fg);
      show_text (cr, g_array_index (t->columns, DdReportColumn, cols[s]).title,
                 lx + row_height, y, 0, font_size + 1, TEXT_BOLD | TEXT_ELLIPSIZE, &w);
      lx += row_height + w + 2 * row_height;
    }
  y += 1.5 * row_height;

  for (guint r = 0; r < t->rows->len; r++)
    {
      g_autofree char *label = NULL;

      if (!chart_row_shown (t, label_col, r))
        continue;
      if (r == 0 || chart_new_group (t, r))
        {
          /* the largest bar of this currency (of all rows where there is none) */
          if (r > 0)
            y += row_height / 2;
          max = 0;
          for (guint o = 0; o < t->rows->len; o++)
            if (g_strcmp0 (chart_currency (t, o), chart_currency (t, r)) == 0)
              for (guint s = 0; s < n_series; s++)
                max = MAX (max, chart_value (dd_report_table_cell (t, o, cols[s])));
        }
      label = dd_report_cell_format (dd_report_table_cell (t, r, label_col));
      cairo_set_source (cr, fg);
      show_text (cr, label, 0, y + (n_series - 1) * row_height / 2, label_w, font_size,
                 TEXT_ELLIPSIZE, NULL);
      for (guint s = 0; s < n_series; s++)
        {
          const DdReportCell *cell = dd_report_table_cell (t, r, cols[s]);
          g_autofree char *value = dd_report_cell_format (cell);
          double len = max > 0 ? bar_max * chart_value (cell) / max : 0;

          cairo_set_source_rgb (cr, series_rgb[s][0], series_rgb[s][1], series_rgb[s][2]);
          cairo_rectangle (cr, x0, y + 1, MAX (len, 0.5), row_height - 3);
          cairo_fill (cr);
          cairo_set_source (cr, fg);
          show_text (cr, value, x0 + len + 4, y, 0, font_size, TEXT_ELLIPSIZE, NULL);
          y += row_height;
        }
    }
  cairo_set_source (cr, fg);
  cairo_pattern_destroy (fg);
}

typedef struct
{
  cairo_t    *cr;
  const char *title;
  const char *office;
  const char *period;
  char       *made;
  double      y;
  guint       page;
  guint       target;   /* printing: the one page (1-based) to draw; 0: every page (PDF) */
  GArray     *widths;   /* of double: the columns of the table being drawn */
} Pdf;

/* The columns' widths: a figure's one share of the page, a text column up to three, as long
 * as its longest text (a campaign's name: three; a currency code: one). */
static void
measure_columns (Pdf                 *pdf,
                 const DdReportTable *t)
{
  guint n = t->columns->len;
  g_autofree double *weights = g_new0 (double, MAX (n, 1));
  double sum = 0;

  g_array_set_size (pdf->widths, 0);
  for (guint c = 0; c < n; c++)
    {
      weights[c] = 1;
      if (g_array_index (t->columns, DdReportColumn, c).kind != DD_REPORT_CELL_TEXT)
        {
          sum += 1;
          continue;
        }
      for (guint r = 0; r < t->rows->len && weights[c] < 3; r++)
        {
          const DdReportCell *cell = dd_report_table_cell (t, r, c);
          glong chars = cell->text != NULL ? g_utf8_strlen (cell->text, -1) : 0;

          weights[c] = MAX (weights[c], MIN (chars / 10.0, 3.0));
        }
      sum += weights[c];
    }
  for (guint c = 0; c < n; c++)
    {
      double w = (PAGE_W - 2 * MARGIN) * weights[c] / MAX (sum, 1);

      g_array_append_val (pdf->widths, w);
    }
}

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
  TextStyle style = (bold ? TEXT_BOLD : TEXT_PLAIN) |
                    (size < 9 || right ? TEXT_ELLIPSIZE : TEXT_PLAIN) |
                    (right ? TEXT_RIGHT : TEXT_PLAIN);

  return show_text (pdf->cr, text, x, y, width, size, style, NULL);
}

static void
new_page (Pdf *pdf)
{
  g_autofree char *page = NULL;

  if (pdf->page > 0 && pdf->target == 0)
    cairo_show_page (pdf->cr);
  pdf->page++;
  if (pdf->target > 0)
    {
      /* printing one page: the others are laid out (to know where it starts) but clipped */
      cairo_reset_clip (pdf->cr);
      if (pdf->page != pdf->target)
        {
          cairo_rectangle (pdf->cr, 0, 0, 0, 0);
          cairo_clip (pdf->cr);
        }
    }
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
  double height = dd_report_chart_height (t, ROW_H);

  if (height <= 0)
    return;
  ensure_room (pdf, height + 10);
  cairo_save (pdf->cr);
  cairo_translate (pdf->cr, MARGIN, pdf->y);
  dd_report_chart_draw (pdf->cr, t, PAGE_W - 2 * MARGIN, ROW_H, 8);
  cairo_restore (pdf->cr);
  pdf->y += height + 10;
}

/* One row of @t (its header when @row is -1), drawn at the top of the page's room or only
 * measured (@measure); returns its height. The headers and the text (names, campaigns) wrap
 * within their column, however long in Polish or Russian; the figures keep to one line. */
static double
draw_row_full (Pdf                 *pdf,
               const DdReportTable *t,
               gint                 row,
               gboolean             measure)
{
  guint n = MIN (t->columns->len, pdf->widths->len);
  double x = MARGIN;
  double height = ROW_H;

  for (guint c = 0; c < n; c++)
    {
      const DdReportColumn *column = &g_array_index (t->columns, DdReportColumn, c);
      gboolean figure = column->kind != DD_REPORT_CELL_TEXT;
      g_autofree char *text = row < 0
                              ? g_strdup (column->title)
                              : dd_report_cell_format (dd_report_table_cell (t, row, c));
      TextStyle style = (row < 0 ? TEXT_BOLD | TEXT_FIT_WORDS : TEXT_PLAIN) |
                        (figure ? TEXT_RIGHT : TEXT_PLAIN) |
                        (figure && row >= 0 ? TEXT_SHRINK : TEXT_PLAIN) |
                        (measure ? TEXT_MEASURE : TEXT_PLAIN);
      double col_w = g_array_index (pdf->widths, double, c);
      double h = show_text (pdf->cr, text, x, pdf->y, col_w - 4, 7.5, style, NULL);

      x += col_w;

      height = MAX (height, h + 4);
    }
  return row < 0 ? height + 4 : height;
}

static void
draw_row (Pdf                 *pdf,
          const DdReportTable *t,
          gint                 row)
{
  pdf->y += draw_row_full (pdf, t, row, FALSE);
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
  measure_columns (pdf, t);
  /* the title, the header and a row or two together */
  ensure_room (pdf, draw_row_full (pdf, t, -1, TRUE) + 2 * ROW_H + 20);
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
      if (pdf->y + draw_row_full (pdf, t, (gint) r, TRUE) > PAGE_H - MARGIN - 4)
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

guint
dd_report_pdf_draw_page (cairo_t     *cr,
                         guint        page,
                         const char  *title,
                         const char  *office_name,
                         const char  *made,
                         const char  *period,
                         GPtrArray   *tables)
{
  Pdf pdf = { 0 };

  pdf.widths = g_array_new (FALSE, FALSE, sizeof (double));
  pdf.cr = cr;
  pdf.title = title;
  pdf.office = office_name != NULL ? office_name : "";
  pdf.period = period;
  pdf.made = (char *) made;
  pdf.target = page > 0 ? page : G_MAXUINT;
  cairo_save (cr);
  new_page (&pdf);
  for (guint i = 0; i < tables->len; i++)
    draw_table (&pdf, g_ptr_array_index (tables, i));
  cairo_restore (cr);
  g_array_unref (pdf.widths);
  return pdf.page;
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

  pdf.widths = g_array_new (FALSE, FALSE, sizeof (double));
  pdf.title = title;
  pdf.office = office_name != NULL ? office_name : "";
  pdf.period = period;
  pdf.made = dd_report_made_text (now);
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
  g_array_unref (pdf.widths);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write “%s”: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
