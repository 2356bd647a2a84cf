/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-reports"

#include "config.h"

#include "dd-report-table.h"

#include "dd-money.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static void
cell_clear (gpointer data)
{
  DdReportCell *cell = data;

  g_clear_pointer (&cell->text, g_free);
}

static void
column_clear (gpointer data)
{
  DdReportColumn *column = data;

  g_clear_pointer (&column->key, g_free);
  g_clear_pointer (&column->title, g_free);
}

DdReportTable *
dd_report_table_new (const char *key,
                     const char *title)
{
  DdReportTable *table = g_new0 (DdReportTable, 1);

  table->key = g_strdup (key);
  table->title = g_strdup (title);
  table->columns = g_array_new (FALSE, TRUE, sizeof (DdReportColumn));
  g_array_set_clear_func (table->columns, column_clear);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  table->chart_column = G_MAXUINT;
  table->chart_column_b = G_MAXUINT;
  return table;
}

void
dd_report_table_free (DdReportTable *table)
{
  if (table == NULL)
    return;
  g_free (table->key);
  g_free (table->title);
  g_free (table->note);
  g_array_unref (table->columns);
  g_ptr_array_unref (table->rows);
  g_free (table);
}

void
dd_report_table_add_column (DdReportTable    *table,
                            const char       *key,
                            const char       *title,
                            DdReportCellKind  kind)
{
  DdReportColumn column = { g_strdup (key), g_strdup (title), kind };

  g_array_append_val (table->columns, column);
}

void
dd_report_table_begin_row (DdReportTable *table)
{
  GArray *row = g_array_new (FALSE, TRUE, sizeof (DdReportCell));

  g_array_set_clear_func (row, cell_clear);
  g_ptr_array_add (table->rows, row);
}

static void
add_cell (DdReportTable *table,
          DdReportCell   cell)
{
  g_return_if_fail (table->rows->len > 0);
  g_array_append_val ((GArray *) g_ptr_array_index (table->rows, table->rows->len - 1), cell);
}

void
dd_report_table_add_text (DdReportTable *table,
                          const char    *text)
{
  add_cell (table, (DdReportCell) { DD_REPORT_CELL_TEXT, 0, 0, g_strdup (text ? text : "") });
}

void
dd_report_table_add_int (DdReportTable *table,
                         gint64         value)
{
  add_cell (table, (DdReportCell) { DD_REPORT_CELL_INT, value, 0, NULL });
}

void
dd_report_table_add_money (DdReportTable *table,
                           gint64         minor)
{
  add_cell (table, (DdReportCell) { DD_REPORT_CELL_MONEY, minor, 0, NULL });
}

void
dd_report_table_add_amount (DdReportTable *table,
                            gint64         minor,
                            const char    *currency)
{
  add_cell (table, (DdReportCell) { DD_REPORT_CELL_MONEY, minor, 0,
                                    currency != NULL && *currency != '\0'
                                    ? g_strdup (currency) : NULL });
}

void
dd_report_table_add_share (DdReportTable *table,
                           double         share)
{
  add_cell (table, (DdReportCell) { DD_REPORT_CELL_SHARE, 0, share, NULL });
}

const DdReportCell *
dd_report_table_cell (const DdReportTable *table,
                      guint                row,
                      guint                column)
{
  GArray *cells;

  g_return_val_if_fail (row < table->rows->len, NULL);
  cells = g_ptr_array_index (table->rows, row);
  g_return_val_if_fail (column < cells->len, NULL);
  return &g_array_index (cells, DdReportCell, column);
}

static char *
money_plain (gint64 minor)
{
  return g_strdup_printf ("%s%" G_GINT64_FORMAT ".%02d", minor < 0 ? "-" : "",
                          ABS (minor) / 100, (int) (ABS (minor) % 100));
}

const char *
dd_report_decimal_comma_language (void)
{
  const char *language = g_get_language_names ()[0];

  if (language != NULL && (g_str_has_prefix (language, "pl") || g_str_has_prefix (language, "ru"))
      && strchr ("_.@-", language[2]) != NULL)
    return language[0] == 'p' ? "pl" : "ru";
  return NULL;
}

char *
dd_report_cell_format (const DdReportCell *cell)
{
  const char *comma_language = dd_report_decimal_comma_language ();

  switch (cell->kind)
    {
    case DD_REPORT_CELL_MONEY:
      if (comma_language != NULL && cell->text != NULL)
        return dd_money_format (cell->value, cell->text, comma_language);
      {
        g_autofree char *plain = money_plain (ABS (cell->value));
        GString *s = g_string_new (NULL);
        const char *dot = strchr (plain, '.');
        gsize n_int = (gsize) (dot - plain);

        if (cell->value < 0)
          g_string_append_c (s, '-');
        for (gsize i = 0; i < n_int; i++)
          {
            if (i > 0 && (n_int - i) % 3 == 0)
              g_string_append (s, "\u202f");
            g_string_append_c (s, plain[i]);
          }
        if (comma_language != NULL)
          {
            g_string_append_c (s, ',');
            g_string_append (s, dot + 1);
          }
        else
          g_string_append (s, dot);
        if (cell->text != NULL)
          g_string_append_printf (s, "\u00a0%s", cell->text);
        return g_string_free (s, FALSE);
      }
    case DD_REPORT_CELL_SHARE:
      if (isnan (cell->share))
        return g_strdup ("—");
      {
        /* Translators: a share in a report, e.g. "30.0 %" */
        char *text = g_strdup_printf (_("%.1f %%"), cell->share * 100.0);

        /* "30,0 %" beside "1 234,56 zł", whatever the locale's numbers */
        return comma_language != NULL ? g_strdelimit (text, ".", ',') : text;
      }
    default:
      /* text and whole numbers read the same either way */
      return dd_report_cell_plain (cell);
    }
}

char *
dd_report_cell_plain (const DdReportCell *cell)
{
  switch (cell->kind)
    {
    case DD_REPORT_CELL_TEXT:
      return g_strdup (cell->text);
    case DD_REPORT_CELL_INT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, cell->value);
    case DD_REPORT_CELL_MONEY:
      return money_plain (cell->value);
    case DD_REPORT_CELL_SHARE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        if (isnan (cell->share))
          return g_strdup ("");
        return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.4f", cell->share));
      }
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Whether a spreadsheet would take @text for a formula ("=HYPERLINK(…)", "+48…", "-1+2",
 * "@SUM(…)"; a leading tab or carriage return hides the same). */
gboolean
dd_csv_text_is_formula (const char *text)
{
  return text != NULL && text[0] != '\0' && strchr ("=+-@\t\r", text[0]) != NULL;
}

static void
csv_field (GString    *out,
           const char *text,
           char        separator,
           gboolean    is_text)
{
  char special[] = { separator, '"', '\r', '\n', '\0' };

  /* a name that opens like a formula gets an apostrophe in front: a spreadsheet shows it as
   * text instead of evaluating it (the OWASP advice for CSV injection) */
  gboolean defuse = is_text && dd_csv_text_is_formula (text);

  if (strpbrk (text, special) == NULL)
    {
      if (defuse)
        g_string_append_c (out, '\'');
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  if (defuse)
    g_string_append_c (out, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* @separator between fields; @decimal_comma: amounts and shares "1234,56" */
static char *
tables_to_csv (GPtrArray *tables,
               char       separator,
               gboolean   decimal_comma,
               gboolean   bom)
{
  GString *out = g_string_new (bom ? "\xef\xbb\xbf" : NULL);

  for (guint t = 0; t < tables->len; t++)
    {
      const DdReportTable *table = g_ptr_array_index (tables, t);

      if (t > 0)
        g_string_append_printf (out, "\r\n# %s\r\n", table->key);
      for (guint c = 0; c < table->columns->len; c++)
        {
          if (c > 0)
            g_string_append_c (out, separator);
          csv_field (out, g_array_index (table->columns, DdReportColumn, c).key, separator,
                     FALSE);
        }
      g_string_append (out, "\r\n");
      for (guint r = 0; r < table->rows->len; r++)
        {
          GArray *cells = g_ptr_array_index (table->rows, r);

          for (guint c = 0; c < cells->len; c++)
            {
              const DdReportCell *cell = &g_array_index (cells, DdReportCell, c);
              g_autofree char *text = dd_report_cell_plain (cell);

              if (decimal_comma && (cell->kind == DD_REPORT_CELL_MONEY ||
                                    cell->kind == DD_REPORT_CELL_SHARE))
                g_strdelimit (text, ".", ',');
              if (c > 0)
                g_string_append_c (out, separator);
              csv_field (out, text, separator, cell->kind == DD_REPORT_CELL_TEXT);
            }
          g_string_append (out, "\r\n");
        }
    }
  return g_string_free (out, FALSE);
}

char *
dd_report_tables_to_csv (GPtrArray *tables)
{
  return tables_to_csv (tables, ',', FALSE, FALSE);
}

char *
dd_report_tables_to_csv_for_spreadsheet (GPtrArray *tables)
{
  gboolean comma = dd_report_decimal_comma_language () != NULL;

  return tables_to_csv (tables, comma ? ';' : ',', comma, TRUE);
}

GArray *
dd_report_ageing_bounds (GSettings *settings)
{
  GArray *bounds = g_array_new (FALSE, FALSE, sizeof (guint));
  static const guint fallback[] = { 30, 60, 90 };

  if (settings != NULL)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, "report-ageing-buckets");
      GVariantIter iter;
      guint32 bound;

      g_variant_iter_init (&iter, value);
      while (g_variant_iter_next (&iter, "u", &bound))
        g_array_append_val (bounds, bound);
    }
  if (bounds->len == 0)
    g_array_append_vals (bounds, fallback, G_N_ELEMENTS (fallback));
  return bounds;
}

char *
dd_report_date_text (const char *iso)
{
  int year, month, day;
  char end;

  if (iso == NULL)
    return NULL;
  if (dd_report_decimal_comma_language () == NULL
      || sscanf (iso, "%4d-%2d-%2d%c", &year, &month, &day, &end) != 3)
    return g_strdup (iso);
  return g_strdup_printf ("%02d.%02d.%04d", day, month, year);
}

char *
dd_report_made_text (GDateTime *when)
{
  gboolean comma = dd_report_decimal_comma_language () != NULL;

  return g_date_time_format (when, comma ? "%d.%m.%Y %H:%M" : "%Y-%m-%d %H:%M");
}

char *
dd_report_period_text (const char *from_iso,
                       const char *to_iso)
{
  g_autofree char *from = dd_report_date_text (from_iso);
  g_autofree char *to = dd_report_date_text (to_iso);

  if (from != NULL && to != NULL)
    /* Translators: the period of a report */
    return g_strdup_printf (_("Period: %1$s – %2$s"), from, to);
  if (from != NULL)
    return g_strdup_printf (_("Period: from %s"), from);
  if (to != NULL)
    return g_strdup_printf (_("Period: until %s"), to);
  return g_strdup (_("Period: all time"));
}

const char *
dd_report_title (guint which)
{
  switch (which)
    {
    case 0:
      return _("Campaign results");
    case 1:
      return _("Effect of the campaigns on payments");
    case 2:
      return _("Payment declarations");
    case 3:
      return _("Ageing of the receivables");
    case 5:
      return _("Inbound queues");
    case 4:
    default:
      return _("Work per consultant");
    }
}

static GPtrArray *
tables_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) dd_report_table_free);
}

/* The columns of a table, as data: the titles marked with N_() and translated when added. */
typedef struct
{
  const char       *key;
  const char       *title;
  DdReportCellKind  kind;
} ColumnSpec;

static DdReportTable *
table_with_columns (const char       *key,
                    const char       *title,
                    const ColumnSpec *columns,
                    guint             n_columns)
{
  DdReportTable *t = dd_report_table_new (key, title);

  for (guint i = 0; i < n_columns; i++)
    dd_report_table_add_column (t, columns[i].key, _(columns[i].title), columns[i].kind);
  return t;
}

/* Adds @n integer cells. */
static void
add_ints (DdReportTable *t,
          const gint64  *values,
          guint          n)
{
  for (guint i = 0; i < n; i++)
    dd_report_table_add_int (t, values[i]);
}

#define ADD_INTS(t, ...) \
  add_ints ((t), (const gint64[]) { __VA_ARGS__ }, \
            G_N_ELEMENTS (((const gint64[]) { __VA_ARGS__ })))

/* Adds @n amounts of @currency. */
static void
add_amounts (DdReportTable *t,
             const gint64  *values,
             guint          n,
             const char    *currency)
{
  for (guint i = 0; i < n; i++)
    dd_report_table_add_amount (t, values[i], currency);
}

#define ADD_AMOUNTS(t, currency, ...) \
  add_amounts ((t), (const gint64[]) { __VA_ARGS__ }, \
               G_N_ELEMENTS (((const gint64[]) { __VA_ARGS__ })), (currency))

/* A report of one table: its columns, then a row of cells per row of @rows by @add_row. */
static GPtrArray *
one_table (const char        *key,
           const char        *title,
           const ColumnSpec  *columns,
           guint              n_columns,
           guint              chart_column,
           GPtrArray         *rows,
           void             (*add_row) (DdReportTable *t,
                                        gconstpointer  row))
{
  GPtrArray *tables = tables_new ();
  DdReportTable *t = table_with_columns (key, title, columns, n_columns);

  t->chart_column = chart_column;
  for (guint i = 0; i < rows->len; i++)
    {
      dd_report_table_begin_row (t);
      add_row (t, g_ptr_array_index (rows, i));
    }
  g_ptr_array_add (tables, t);
  return tables;
}

static const ColumnSpec campaign_columns[] = {
  { "campaign_id", N_("ID"), DD_REPORT_CELL_INT },
  { "campaign", N_("Campaign"), DD_REPORT_CELL_TEXT },
  { "ladder_step", N_("Ladder step"), DD_REPORT_CELL_TEXT },
  { "sms_sent", N_("SMS sent"), DD_REPORT_CELL_INT },
  { "sms_delivered", N_("Delivered"), DD_REPORT_CELL_INT },
  { "sms_failed", N_("Failed"), DD_REPORT_CELL_INT },
  { "replies", N_("Replies"), DD_REPORT_CELL_INT },
  { "opt_outs", N_("Opt-outs"), DD_REPORT_CELL_INT },
  { "cost", N_("Cost"), DD_REPORT_CELL_MONEY },
  { "calls", N_("Calls"), DD_REPORT_CELL_INT },
  { "answered_person", N_("Answered by a person"), DD_REPORT_CELL_INT },
  { "heard_to_end", N_("Heard to the end"), DD_REPORT_CELL_INT },
  { "transfers", N_("Transfers"), DD_REPORT_CELL_INT },
  { "declarations", N_("Declarations"), DD_REPORT_CELL_INT },
};

static const ColumnSpec declared_columns[] = {
  { "campaign_id", N_("ID"), DD_REPORT_CELL_INT },
  { "campaign", N_("Campaign"), DD_REPORT_CELL_TEXT },
  { "ladder_step", N_("Ladder step"), DD_REPORT_CELL_TEXT },
  { "declarations", N_("Declarations"), DD_REPORT_CELL_INT },
  { "declared", N_("Declared amount"), DD_REPORT_CELL_MONEY },
  { "currency", N_("Currency"), DD_REPORT_CELL_TEXT },
};

static const ColumnSpec cost_columns[] = {
  { "campaign_id", N_("ID"), DD_REPORT_CELL_INT },
  { "campaign", N_("Campaign"), DD_REPORT_CELL_TEXT },
  { "ladder_step", N_("Ladder step"), DD_REPORT_CELL_TEXT },
  { "billed", N_("SMS billed"), DD_REPORT_CELL_INT },
  { "cost", N_("Cost"), DD_REPORT_CELL_MONEY },
  { "currency", N_("Currency"), DD_REPORT_CELL_TEXT },
};

/* The SMS cost of a campaign's row: the amount in its currency, or, billed in several, each
 * amount with its code in one text ("1.40 PLN, 0.30 EUR"; the "costs" table has them one a
 * row): never a sum across currencies. */
static void
add_cost_cell (DdReportTable             *t,
               const DdReportCampaignRow *r)
{
  g_autoptr(GString) text = NULL;

  if (r->costs == NULL || r->costs->len == 0)
    {
      dd_report_table_add_amount (t, 0, NULL);
      return;
    }
  if (r->costs->len == 1)
    {
      const DdReportCost *c = &g_array_index (r->costs, DdReportCost, 0);

      dd_report_table_add_amount (t, c->minor, c->currency);
      return;
    }
  text = g_string_new (NULL);
  for (guint i = 0; i < r->costs->len; i++)
    {
      const DdReportCost *c = &g_array_index (r->costs, DdReportCost, i);
      DdReportCell cell = { DD_REPORT_CELL_MONEY, c->minor, 0, (char *) c->currency };
      g_autofree char *amount = dd_report_cell_format (&cell);

      g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", amount);
    }
  dd_report_table_add_text (t, text->str);
}

static const ColumnSpec key_columns[] = {
  { "campaign_id", N_("ID"), DD_REPORT_CELL_INT },
  { "campaign", N_("Campaign"), DD_REPORT_CELL_TEXT },
  { "key", N_("Key"), DD_REPORT_CELL_TEXT },
  { "calls", N_("Calls"), DD_REPORT_CELL_INT },
};

GPtrArray *
dd_report_campaigns_tables (GPtrArray *rows)
{
  GPtrArray *tables = tables_new ();
  DdReportTable *t = table_with_columns ("campaigns", _("Campaign results"), campaign_columns,
                                         G_N_ELEMENTS (campaign_columns));
  DdReportTable *keys = table_with_columns ("keys", _("Keys pressed in calls"), key_columns,
                                            G_N_ELEMENTS (key_columns));
  DdReportTable *declared = table_with_columns ("declared", _("Declared amounts per currency"),
                                                declared_columns,
                                                G_N_ELEMENTS (declared_columns));
  DdReportTable *costs = table_with_columns ("costs", _("SMS cost per currency"), cost_columns,
                                             G_N_ELEMENTS (cost_columns));

  t->chart_column = 3;
  for (guint i = 0; i < rows->len; i++)
    {
      const DdReportCampaignRow *r = g_ptr_array_index (rows, i);
      const char *name = r->ladder_step >= 0 ? _("Ladder") : r->name;
      g_autofree char *step = r->ladder_step >= 0
                              ? g_strdup_printf ("%+d %s", r->ladder_step,
                                                 r->kind ? r->kind : "")
                              : g_strdup ("");

      dd_report_table_begin_row (t);
      dd_report_table_add_int (t, r->campaign_id);
      dd_report_table_add_text (t, name);
      dd_report_table_add_text (t, step);
      ADD_INTS (t, r->sms_sent, r->sms_delivered, r->sms_failed, r->replies, r->opt_outs);
      add_cost_cell (t, r);
      ADD_INTS (t, r->calls_attempted, r->calls_answered_person, r->calls_heard_to_end,
                r->transfers, r->declarations);
      for (guint c = 0; r->declared != NULL && c < r->declared->len; c++)
        {
          const DdReportDeclared *d = &g_array_index (r->declared, DdReportDeclared, c);

          dd_report_table_begin_row (declared);
          dd_report_table_add_int (declared, r->campaign_id);
          dd_report_table_add_text (declared, name);
          dd_report_table_add_text (declared, step);
          dd_report_table_add_int (declared, d->declarations);
          dd_report_table_add_amount (declared, d->minor, d->currency);
          dd_report_table_add_text (declared, d->currency);
        }
      for (guint c = 0; r->costs != NULL && c < r->costs->len; c++)
        {
          const DdReportCost *cost = &g_array_index (r->costs, DdReportCost, c);

          dd_report_table_begin_row (costs);
          dd_report_table_add_int (costs, r->campaign_id);
          dd_report_table_add_text (costs, name);
          dd_report_table_add_text (costs, step);
          dd_report_table_add_int (costs, cost->billed);
          dd_report_table_add_amount (costs, cost->minor, cost->currency);
          dd_report_table_add_text (costs, cost->currency);
        }
      if (r->ladder_step >= 0)
        continue;
      for (guint k = 0; k < DD_REPORT_N_KEYS; k++)
        if (r->keys[k] > 0)
          {
            char key[2] = { dd_report_key_char (k), '\0' };

            dd_report_table_begin_row (keys);
            dd_report_table_add_int (keys, r->campaign_id);
            dd_report_table_add_text (keys, r->name);
            dd_report_table_add_text (keys, key);
            dd_report_table_add_int (keys, r->keys[k]);
          }
    }
  g_ptr_array_add (tables, t);
  g_ptr_array_add (tables, costs);
  g_ptr_array_add (tables, declared);
  g_ptr_array_add (tables, keys);
  return tables;
}

static const ColumnSpec effect_columns[] = {
  { "window_days", N_("Paid within (days)"), DD_REPORT_CELL_INT },
  { "contacted", N_("Contacted"), DD_REPORT_CELL_INT },
  { "contacted_paid", N_("Contacted, paid"), DD_REPORT_CELL_INT },
  { "contacted_share", N_("Contacted, share paid"), DD_REPORT_CELL_SHARE },
  { "contacted_amount", N_("Amount"), DD_REPORT_CELL_MONEY },
  { "held_out", N_("Held out"), DD_REPORT_CELL_INT },
  { "held_out_paid", N_("Held out, paid"), DD_REPORT_CELL_INT },
  { "held_out_share", N_("Held out, share paid"), DD_REPORT_CELL_SHARE },
  { "held_out_amount", N_("Amount"), DD_REPORT_CELL_MONEY },
  { "difference", N_("Difference"), DD_REPORT_CELL_SHARE },
  /* xgettext:no-c-format */
  { "ci_low", N_("95 % CI from"), DD_REPORT_CELL_SHARE },
  /* xgettext:no-c-format */
  { "ci_high", N_("95 % CI to"), DD_REPORT_CELL_SHARE },
  { "currency", N_("Currency"), DD_REPORT_CELL_TEXT },
};

/* A group's cells of window @w: its size, paid, share paid and amount. */
static void
add_group (DdReportTable       *t,
           const DdReportGroup *group,
           DdReportWindow       w,
           gint64               amount,
           const char          *currency)
{
  ADD_INTS (t, group->n, group->paid[w]);
  dd_report_table_add_share (t, dd_report_group_share (group, w));
  dd_report_table_add_amount (t, amount, currency);
}

GPtrArray *
dd_report_effect_tables (const DdReportEffect *e)
{
  GPtrArray *tables = tables_new ();
  DdReportTable *t = table_with_columns ("effect", _("Effect on payments"), effect_columns,
                                         G_N_ELEMENTS (effect_columns));

  if (!e->payments_imported)
    t->note = g_strdup (_("No payments have been imported yet: the effect on payments cannot "
                          "be measured. Import bank statements first."));
  else if (e->held_out.n == 0)
    t->note = g_strdup (_("No debtor was held out of these campaigns: there is nothing to "
                          "compare with."));
  /* the counts per window, the amounts of each currency on a row of their own */
  t->chart_column = 3;
  t->chart_column_b = 7;
  for (guint w = 0; w < DD_REPORT_N_WINDOWS; w++)
    for (guint a = 0; a < MAX (e->n_amounts, 1); a++)
      {
        const DdReportAmounts *amounts = a < e->n_amounts ? &e->amounts[a] : NULL;
        const char *currency = amounts ? amounts->currency : NULL;

        dd_report_table_begin_row (t);
        dd_report_table_add_int (t, dd_report_window_days (w));
        add_group (t, &e->contacted, w, amounts ? amounts->contacted_minor[w] : 0, currency);
        add_group (t, &e->held_out, w, amounts ? amounts->held_out_minor[w] : 0, currency);
        dd_report_table_add_share (t, e->difference[w]);
        dd_report_table_add_share (t, e->ci_low[w]);
        dd_report_table_add_share (t, e->ci_high[w]);
        dd_report_table_add_text (t, amounts ? amounts->currency : "");
      }
  g_ptr_array_add (tables, t);
  return tables;
}

static const ColumnSpec promise_columns[] = {
  { "channel", N_("Channel"), DD_REPORT_CELL_TEXT },
  { "made", N_("Made"), DD_REPORT_CELL_INT },
  { "kept", N_("Kept"), DD_REPORT_CELL_INT },
  { "broken", N_("Broken"), DD_REPORT_CELL_INT },
  { "pending", N_("Pending"), DD_REPORT_CELL_INT },
  { "made_amount", N_("Amount made"), DD_REPORT_CELL_MONEY },
  { "kept_amount", N_("Amount kept"), DD_REPORT_CELL_MONEY },
  { "broken_amount", N_("Amount broken"), DD_REPORT_CELL_MONEY },
  { "pending_amount", N_("Amount pending"), DD_REPORT_CELL_MONEY },
  { "currency", N_("Currency"), DD_REPORT_CELL_TEXT },
};

static void
add_promise_row (DdReportTable *t,
                 gconstpointer  row)
{
  const DdReportPromiseRow *r = row;

  dd_report_table_add_text (t, r->channel);
  ADD_INTS (t, r->made, r->kept, r->broken, r->pending);
  ADD_AMOUNTS (t, r->currency, r->made_minor, r->kept_minor, r->broken_minor,
               r->pending_minor);
  dd_report_table_add_text (t, r->currency);
}

GPtrArray *
dd_report_promises_tables (GPtrArray *rows)
{
  /* the chart: the amounts made, per currency */
  return one_table ("promises", _("Payment declarations"), promise_columns,
                    G_N_ELEMENTS (promise_columns), 5, rows, add_promise_row);
}

static const ColumnSpec ageing_columns[] = {
  { "bucket", N_("Days overdue"), DD_REPORT_CELL_TEXT },
  { "cases", N_("Cases"), DD_REPORT_CELL_INT },
  { "balance", N_("Balance"), DD_REPORT_CELL_MONEY },
  { "currency", N_("Currency"), DD_REPORT_CELL_TEXT },
};

static const ColumnSpec roll_columns[] = {
  { "month", N_("Month"), DD_REPORT_CELL_TEXT },
  { "overdue_before", N_("Overdue at the month’s start"), DD_REPORT_CELL_MONEY },
  { "still_unpaid", N_("Still unpaid at its end"), DD_REPORT_CELL_MONEY },
  { "roll_rate", N_("Roll rate"), DD_REPORT_CELL_SHARE },
  { "currency", N_("Currency"), DD_REPORT_CELL_TEXT },
};

GPtrArray *
dd_report_ageing_tables (const DdReportAgeing *ageing)
{
  GPtrArray *tables = tables_new ();
  DdReportTable *t = table_with_columns ("ageing", _("Ageing of the open balance"),
                                         ageing_columns, G_N_ELEMENTS (ageing_columns));
  DdReportTable *roll = table_with_columns ("roll_rate", _("Roll rate month to month"),
                                            roll_columns, G_N_ELEMENTS (roll_columns));

  t->chart_column = 2;
  for (guint i = 0; i < ageing->buckets->len; i++)
    {
      const DdReportAgeingBucket *b = &g_array_index (ageing->buckets, DdReportAgeingBucket, i);
      g_autofree char *label = NULL;

      if (b->min_days == 0)
        label = g_strdup (_("current"));
      else if (b->max_days == G_MAXINT)
        label = g_strdup_printf ("%d+", b->min_days - 1);
      else
        label = g_strdup_printf ("%d–%d", b->min_days, b->max_days);
      dd_report_table_begin_row (t);
      dd_report_table_add_text (t, label);
      dd_report_table_add_int (t, b->cases);
      dd_report_table_add_amount (t, b->balance_minor, b->currency);
      dd_report_table_add_text (t, b->currency);
    }

  for (guint i = 0; i < ageing->roll->len; i++)
    {
      const DdReportRollRow *r = g_ptr_array_index (ageing->roll, i);

      dd_report_table_begin_row (roll);
      dd_report_table_add_text (roll, r->month);
      ADD_AMOUNTS (roll, r->currency, r->start_minor, r->rolled_minor);
      dd_report_table_add_share (roll, r->roll_rate);
      dd_report_table_add_text (roll, r->currency);
    }
  g_ptr_array_add (tables, t);
  g_ptr_array_add (tables, roll);
  return tables;
}

static const ColumnSpec work_columns[] = {
  { "agent_id", N_("ID"), DD_REPORT_CELL_INT },
  { "agent", N_("Consultant"), DD_REPORT_CELL_TEXT },
  { "cases_touched", N_("Cases touched"), DD_REPORT_CELL_INT },
  { "calls", N_("Calls"), DD_REPORT_CELL_INT },
  { "declarations", N_("Declarations"), DD_REPORT_CELL_INT },
  { "status_changes", N_("Status changes"), DD_REPORT_CELL_INT },
  { "closed", N_("Closed"), DD_REPORT_CELL_INT },
};

static void
add_work_row (DdReportTable *t,
              gconstpointer  row)
{
  const DdReportWorkRow *r = row;

  dd_report_table_add_int (t, r->agent_id);
  dd_report_table_add_text (t, r->name);
  ADD_INTS (t, r->cases_touched, r->calls, r->declarations, r->status_changes, r->closed);
}

GPtrArray *
dd_report_work_tables (GPtrArray *rows)
{
  return one_table ("work", _("Work per consultant"), work_columns,
                    G_N_ELEMENTS (work_columns), 2, rows, add_work_row);
}

/* The reports that give rows, and their tables, by report number (NULL: not one of them). */
static const struct
{
  GPtrArray *(*rows)   (DdDatabase *, const DdReportFilter *, GError **);
  GPtrArray *(*tables) (GPtrArray *);
} row_reports[] = {
  { dd_report_campaigns, dd_report_campaigns_tables },
  { NULL, NULL },
  { dd_report_promises, dd_report_promises_tables },
  { NULL, NULL },
  { dd_report_work, dd_report_work_tables },
};

GPtrArray *
dd_report_make_tables (DdDatabase            *database,
                       guint                  which,
                       const DdReportFilter  *filter,
                       GArray                *bounds,
                       DdReportEffect        *out_effect,
                       gboolean              *out_empty,
                       GError               **error)
{
  DdReportEffect own;
  DdReportEffect *effect = out_effect != NULL ? out_effect : &own;
  gboolean empty = FALSE;
  GPtrArray *tables = NULL;

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  which = MIN (which, G_N_ELEMENTS (row_reports) - 1);
  if (row_reports[which].rows != NULL)
    {
      g_autoptr(GPtrArray) rows = row_reports[which].rows (database, filter, error);

      if (rows != NULL)
        {
          tables = row_reports[which].tables (rows);
          empty = rows->len == 0;
        }
    }
  else if (which == 1)
    {
      if (dd_report_effect (database, filter, effect, error))
        {
          tables = dd_report_effect_tables (effect);
          empty = !effect->payments_imported ||
                  (effect->contacted.n == 0 && effect->held_out.n == 0);
        }
    }
  else
    {
      g_autoptr(DdReportAgeing) ageing =
        dd_report_ageing (database, filter, bounds != NULL ? (const guint *) bounds->data : NULL,
                          bounds != NULL ? bounds->len : 0, error);

      if (ageing != NULL)
        {
          empty = TRUE;
          for (guint i = 0; i < ageing->buckets->len; i++)
            if (g_array_index (ageing->buckets, DdReportAgeingBucket, i).cases > 0)
              empty = FALSE;
          tables = dd_report_ageing_tables (ageing);
        }
    }
  if (out_empty != NULL)
    *out_empty = empty;
  return tables;
}
