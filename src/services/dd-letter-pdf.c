/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-letter-pdf"

#include "config.h"

#include "dd-letter-pdf.h"

#include "dd-dates.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

G_DEFINE_QUARK (dd-letter-pdf-error-quark, dd_letter_pdf_error)

#define MM(x) ((x) * 72.0 / 25.4)
#define PAGE_W MM (210.0)
#define PAGE_H MM (297.0)
#define LEFT MM (25.0)
#define RIGHT MM (20.0)
#define TOP MM (20.0)
#define BOTTOM MM (15.0)
#define TEXT_W (PAGE_W - LEFT - RIGHT)

/* DIN 5008 form B address field */
#define ADDR_X MM (20.0)
#define ADDR_Y MM (45.0)
#define ADDR_W MM (85.0)
#define ADDR_H MM (45.0)

typedef struct
{
  cairo_t  *cr;
  double    y;
  guint     page;
} Pen;

static PangoLayout *
make_layout (cairo_t    *cr,
             const char *font,
             double      width)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  return layout;
}

static double
draw_text_at (cairo_t    *cr,
              double      x,
              double      y,
              double      width,
              const char *font,
              PangoAlignment align,
              const char *text)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, font, width);
  int w, h;

  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  pango_layout_get_size (layout, &w, &h);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  return (double) h / PANGO_SCALE;
}

static void
page_marks (cairo_t *cr)
{
  /* folding marks (105, 210 mm) and the punch mark (148.5 mm) */
  static const double marks[] = { 105.0, 210.0, 148.5 };

  cairo_save (cr);
  cairo_set_line_width (cr, 0.4);
  for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
    {
      cairo_move_to (cr, MM (3.0), MM (marks[i]));
      cairo_line_to (cr, MM (i == 2 ? 9.0 : 7.0), MM (marks[i]));
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
new_page (Pen *pen)
{
  cairo_show_page (pen->cr);
  pen->page++;
  pen->y = TOP;
  page_marks (pen->cr);
}

/* A block of text in the flow, on a new page when it does not fit. */
static void
flow (Pen        *pen,
      const char *font,
      const char *text,
      double      space_after)
{
  g_autoptr(PangoLayout) layout = make_layout (pen->cr, font, TEXT_W);
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, &w, &h);
  if (pen->y + (double) h / PANGO_SCALE > PAGE_H - BOTTOM)
    new_page (pen);
  cairo_move_to (pen->cr, LEFT, pen->y);
  pango_cairo_show_layout (pen->cr, layout);
  pen->y += (double) h / PANGO_SCALE + space_after;
}

/* A row of cells (widths in fractions of the text width; numbers right-aligned). */
static void
row (Pen                *pen,
     const char         *font,
     const char * const *cells,
     const double       *widths,
     const gboolean     *numeric,
     guint               n,
     gboolean            rule)
{
  double x = LEFT, height = 0;

  if (pen->y + MM (6.0) > PAGE_H - BOTTOM)
    new_page (pen);
  for (guint i = 0; i < n; i++)
    {
      double w = widths[i] * TEXT_W;
      double h = draw_text_at (pen->cr, x + MM (1.0), pen->y, w - MM (2.0), font,
                               numeric[i] ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT, cells[i]);

      height = MAX (height, h);
      x += w;
    }
  pen->y += height + MM (1.0);
  if (rule)
    {
      cairo_save (pen->cr);
      cairo_set_line_width (pen->cr, 0.5);
      cairo_move_to (pen->cr, LEFT, pen->y - MM (0.5));
      cairo_line_to (pen->cr, LEFT + TEXT_W, pen->y - MM (0.5));
      cairo_stroke (pen->cr);
      cairo_restore (pen->cr);
      pen->y += MM (1.0);
    }
}

static char *
party_text (const DdLetter      *letter,
            const DdLetterParty *party)
{
  GString *s = g_string_new (party->name);

  if (party->address != NULL && *party->address != '\0')
    g_string_append_printf (s, "\n%s", party->address);
  if (party->tax_id != NULL && *party->tax_id != '\0')
    g_string_append_printf (s, "\n%s: %s", dd_letter_text (letter, DD_LETTER_TAX_ID),
                            party->tax_id);
  return g_string_free (s, FALSE);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

static void
draw_letter (Pen            *pen,
             const DdLetter *letter)
{
  cairo_t *cr = pen->cr;
  g_autofree char *date = dd_letter_format_date (letter, &letter->date);
  g_autofree char *deadline = dd_letter_format_date (letter, &letter->deadline);
  g_autofree char *place_date = g_strdup_printf (dd_letter_text (letter, DD_LETTER_PLACE_DATE),
                                                 date);
  g_autofree char *sender = NULL, *return_line = NULL, *recipient = NULL;
  g_autofree char *creditor = party_text (letter, &letter->creditor);
  g_autofree char *debtor = party_text (letter, &letter->debtor);
  g_autofree char *intro = g_strdup_printf (dd_letter_text (letter, DD_LETTER_INTRO),
                                            letter->creditor.name);
  g_autofree char *total = dd_letter_format_money (letter, letter->total_minor);
  g_autofree char *demand = g_strdup_printf (dd_letter_text (letter, DD_LETTER_DEMAND), total,
                                             deadline, letter->days);
  g_autofree char *calc_title = g_strdup_printf (dd_letter_text (letter, DD_LETTER_CALCULATION),
                                                 dd_letter_text (letter, DD_LETTER_KIND_NAME));
  g_autoptr(GString) calc = g_string_new (NULL);
  g_autoptr(GString) parties = g_string_new (NULL);
  static const double widths[] = { 0.24, 0.16, 0.20, 0.20, 0.20 };
  static const gboolean numeric[] = { FALSE, FALSE, TRUE, TRUE, TRUE };
  static const double sum_widths[] = { 0.64, 0.36 };
  static const gboolean sum_numeric[] = { FALSE, TRUE };
  const char *header[5];

  page_marks (cr);

  /* sender, top left; date and reference, top right */
  {
    GString *text = g_string_new (letter->office_name);

    if (letter->office_address != NULL && *letter->office_address != '\0')
      g_string_append_printf (text, "\n%s", letter->office_address);
    if (letter->office_tax_id != NULL && *letter->office_tax_id != '\0')
      g_string_append_printf (text, "\n%s: %s", dd_letter_text (letter, DD_LETTER_TAX_ID),
                              letter->office_tax_id);
    sender = g_string_free (text, FALSE);
  }
  draw_text_at (cr, LEFT, TOP, MM (90.0), "Sans Bold 9", PANGO_ALIGN_LEFT, sender);
  {
    g_autofree char *top_right = g_strdup_printf ("%s\n%s", place_date, letter->reference);

    draw_text_at (cr, PAGE_W - RIGHT - MM (70.0), TOP, MM (70.0), "Sans 9", PANGO_ALIGN_RIGHT,
                  top_right);
  }

  /* the address field: the sender in one small line, then the addressee */
  {
    g_autofree char *one_line = g_strdup_printf ("%s, %s",
                                                 letter->office_name ? letter->office_name : "",
                                                 letter->office_address ? letter->office_address
                                                                        : "");
    g_auto(GStrv) lines = g_strsplit (one_line, "\n", -1);

    return_line = g_strjoinv (", ", lines);
  }
  draw_text_at (cr, ADDR_X + MM (5.0), ADDR_Y + MM (2.0), ADDR_W - MM (5.0), "Sans 6",
                PANGO_ALIGN_LEFT, return_line);
  recipient = g_strdup_printf ("%s%s%s", letter->debtor.name,
                               letter->debtor.address ? "\n" : "",
                               letter->debtor.address ? letter->debtor.address : "");
  draw_text_at (cr, ADDR_X + MM (5.0), ADDR_Y + MM (8.0), ADDR_W - MM (5.0), "Sans 10",
                PANGO_ALIGN_LEFT, recipient);

  pen->y = ADDR_Y + ADDR_H + MM (3.0);
  flow (pen, "Sans Bold 12", dd_letter_text (letter, DD_LETTER_TITLE), MM (2.5));

  g_string_append_printf (parties, "%s:\n%s", dd_letter_text (letter, DD_LETTER_CREDITOR),
                          creditor);
  if (g_strcmp0 (letter->creditor.name, letter->office_name) != 0 && letter->office_name != NULL)
    {
      g_autofree char *behalf = g_strdup_printf (dd_letter_text (letter, DD_LETTER_ON_BEHALF),
                                                 letter->office_name, letter->creditor.name);

      g_string_append_printf (parties, "\n(%s)", behalf);
    }
  {
    double y0 = pen->y;
    double h1 = draw_text_at (cr, LEFT, y0, TEXT_W / 2 - MM (3.0), "Sans 8.5", PANGO_ALIGN_LEFT,
                              parties->str);
    g_autofree char *d = g_strdup_printf ("%s:\n%s", dd_letter_text (letter, DD_LETTER_DEBTOR),
                                          debtor);
    double h2 = draw_text_at (cr, LEFT + TEXT_W / 2, y0, TEXT_W / 2, "Sans 8.5", PANGO_ALIGN_LEFT,
                              d);

    pen->y += MAX (h1, h2) + MM (3.0);
  }

  flow (pen, "Sans 9.5", intro, MM (2.0));

  header[0] = dd_letter_text (letter, DD_LETTER_COL_INVOICE);
  header[1] = dd_letter_text (letter, DD_LETTER_COL_DUE);
  header[2] = dd_letter_text (letter, DD_LETTER_COL_AMOUNT);
  header[3] = dd_letter_text (letter, DD_LETTER_COL_OUTSTANDING);
  header[4] = dd_letter_text (letter, DD_LETTER_COL_INTEREST);
  row (pen, "Sans Bold 8.5", header, widths, numeric, 5, TRUE);
  for (guint i = 0; i < letter->invoices->len; i++)
    {
      const DdLetterInvoice *inv = letter->invoices->pdata[i];
      g_autofree char *due = NULL;
      g_autofree char *amount = dd_letter_format_money (letter, inv->amount_minor);
      g_autofree char *outstanding = dd_letter_format_money (letter, inv->outstanding_minor);
      g_autofree char *interest = dd_letter_format_money (letter, inv->interest->interest_minor);
      const char *cells[5];
      GDate d;

      if (inv->due_on != NULL && dd_date_from_iso (inv->due_on, &d))
        due = dd_letter_format_date (letter, &d);
      cells[0] = inv->invoice_no;
      cells[1] = due != NULL ? due : "—";
      cells[2] = amount;
      cells[3] = outstanding;
      cells[4] = interest;
      row (pen, "Sans 8.5", cells, widths, numeric, 5, FALSE);

      for (guint j = 0; j < inv->interest->periods->len; j++)
        {
          const DdInterestPeriod *p = &g_array_index (inv->interest->periods, DdInterestPeriod, j);
          g_autofree char *from = dd_letter_format_date (letter, &p->from);
          g_autofree char *to = dd_letter_format_date (letter, &p->to);
          g_autofree char *base = dd_letter_format_money (letter, p->principal_minor);
          g_autofree char *rate = dd_rate_format (p->rate);
          g_autofree char *amount_p = dd_letter_format_money (letter, p->interest_minor);

          /* the decimal comma of Polish and Russian */
          if (!g_str_equal (letter->language, "en"))
            g_strdelimit (rate, ".", ',');

          g_string_append_printf (calc, dd_letter_text (letter, DD_LETTER_CALC_LINE),
                                  inv->invoice_no, from, to, p->days, base, rate, p->year_days,
                                  amount_p);
          g_string_append_c (calc, '\n');
        }
    }
  pen->y += MM (2.0);

  {
    g_autofree char *principal = dd_letter_format_money (letter, letter->principal_minor);
    g_autofree char *interest = dd_letter_format_money (letter, letter->interest_minor);
    g_autofree char *interest_label = g_strdup_printf (dd_letter_text (letter,
                                                                       DD_LETTER_INTEREST_TOTAL),
                                                       date);
    const char *cells[2];

    cells[0] = dd_letter_text (letter, DD_LETTER_PRINCIPAL);
    cells[1] = principal;
    row (pen, "Sans 9", cells, sum_widths, sum_numeric, 2, FALSE);
    cells[0] = interest_label;
    cells[1] = interest;
    row (pen, "Sans 9", cells, sum_widths, sum_numeric, 2, FALSE);
    if (letter->compensation_minor > 0)
      {
        g_autofree char *comp = dd_letter_format_money (letter, letter->compensation_minor);

        cells[0] = dd_letter_text (letter, DD_LETTER_COMPENSATION);
        cells[1] = comp;
        row (pen, "Sans 9", cells, sum_widths, sum_numeric, 2, FALSE);
      }
    cells[0] = dd_letter_text (letter, DD_LETTER_TOTAL);
    cells[1] = total;
    row (pen, "Sans Bold 10", cells, sum_widths, sum_numeric, 2, FALSE);
  }
  pen->y += MM (2.0);

  if (calc->len > 0)
    {
      flow (pen, "Sans Bold 7.5", calc_title, MM (0.5));
      flow (pen, "Sans 7.5", calc->str, MM (2.0));
    }

  flow (pen, "Sans Bold 9.5", demand, MM (1.5));
  if (letter->bank_account != NULL && *letter->bank_account != '\0')
    {
      g_autofree char *account = g_strdup_printf (dd_letter_text (letter, DD_LETTER_ACCOUNT),
                                                  letter->bank_account);

      flow (pen, "Sans 9", account, MM (1.5));
    }
  flow (pen, "Sans 9", dd_letter_text (letter, DD_LETTER_CONSEQUENCE), MM (2.5));

  {
    g_autofree char *closing = g_strdup_printf ("%s\n%s%s%s",
                                                dd_letter_text (letter, DD_LETTER_CLOSING),
                                                letter->signature != NULL ? letter->signature : "",
                                                letter->signature != NULL ? "\n" : "",
                                                letter->office_name ? letter->office_name : "");
    flow (pen, "Sans 9.5", closing, 0);
  }
}

#pragma GCC diagnostic pop

gboolean
dd_letter_pdf_write (GPtrArray   *letters,
                     const char  *path,
                     GArray      *out_pages,
                     GError     **error)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, PAGE_W, PAGE_H);
  cairo_status_t status;
  Pen pen = { NULL, TOP, 1 };

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Dunning Desk");
  pen.cr = cairo_create (surface);
  for (guint i = 0; i < letters->len; i++)
    {
      guint first;

      if (i > 0)
        {
          cairo_show_page (pen.cr);
          pen.page++;
        }
      first = pen.page;
      if (out_pages != NULL)
        g_array_append_val (out_pages, first);
      cairo_set_source_rgb (pen.cr, 0, 0, 0);
      draw_letter (&pen, letters->pdata[i]);
    }
  cairo_destroy (pen.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, DD_LETTER_PDF_ERROR, DD_LETTER_PDF_ERROR_WRITE, "%s: %s", path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
