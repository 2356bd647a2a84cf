/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-reports"

#include "config.h"

#include "dd-report-table.h"

#include <glib/gi18n-lib.h>
#include <math.h>
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

char *
dd_report_cell_format (const DdReportCell *cell)
{
  switch (cell->kind)
    {
    case DD_REPORT_CELL_TEXT:
      return g_strdup (cell->text);
    case DD_REPORT_CELL_INT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, cell->value);
    case DD_REPORT_CELL_MONEY:
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
        g_string_append (s, dot);
        return g_string_free (s, FALSE);
      }
    case DD_REPORT_CELL_SHARE:
      if (isnan (cell->share))
        return g_strdup ("—");
      /* Translators: a share in a report, e.g. "30.0 %" */
      return g_strdup_printf (_("%.1f %%"), cell->share * 100.0);
    default:
      g_return_val_if_reached (NULL);
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

static void
csv_field (GString    *out,
           const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

char *
dd_report_tables_to_csv (GPtrArray *tables)
{
  GString *out = g_string_new (NULL);

  for (guint t = 0; t < tables->len; t++)
    {
      const DdReportTable *table = g_ptr_array_index (tables, t);

      if (t > 0)
        g_string_append_printf (out, "\r\n# %s\r\n", table->key);
      for (guint c = 0; c < table->columns->len; c++)
        {
          if (c > 0)
            g_string_append_c (out, ',');
          csv_field (out, g_array_index (table->columns, DdReportColumn, c).key);
        }
      g_string_append (out, "\r\n");
      for (guint r = 0; r < table->rows->len; r++)
        {
          GArray *cells = g_ptr_array_index (table->rows, r);

          for (guint c = 0; c < cells->len; c++)
            {
              g_autofree char *text = dd_report_cell_plain (&g_array_index (cells,
                                                                            DdReportCell, c));

              if (c > 0)
                g_string_append_c (out, ',');
              csv_field (out, text);
            }
          g_string_append (out, "\r\n");
        }
    }
  return g_string_free (out, FALSE);
}

static GPtrArray *
tables_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) dd_report_table_free);
}

/* A column of a table with one row per struct: its text or gint64 member at @offset. */
typedef struct
{
  gsize             offset;
  const char       *key;
  const char       *title;  /* untranslated */
  DdReportCellKind  kind;   /* TEXT (a char *), INT or MONEY (a gint64), SHARE (a double) */
} RowColumn;

#define ROW_COLUMN(StructType, member, key, title, KIND) \
  { G_STRUCT_OFFSET (StructType, member), key, title, DD_REPORT_CELL_##KIND }

/* A table @key of one row per struct of @rows, its cells the members @columns name. */
static DdReportTable *
rows_table (const char      *key,
            const char      *title,
            const RowColumn *columns,
            guint            n_columns,
            guint            chart_column,
            GPtrArray       *rows)
{
  DdReportTable *t = dd_report_table_new (key, title);

  for (guint c = 0; c < n_columns; c++)
    dd_report_table_add_column (t, columns[c].key, _(columns[c].title), columns[c].kind);
  t->chart_column = chart_column;
  for (guint i = 0; i < rows->len; i++)
    {
      gconstpointer r = g_ptr_array_index (rows, i);

      dd_report_table_begin_row (t);
      for (guint c = 0; c < n_columns; c++)
        {
          gconstpointer member = G_STRUCT_MEMBER_P (r, columns[c].offset);

          if (columns[c].kind == DD_REPORT_CELL_TEXT)
            dd_report_table_add_text (t, *(char * const *) member);
          else if (columns[c].kind == DD_REPORT_CELL_MONEY)
            dd_report_table_add_money (t, *(const gint64 *) member);
          else if (columns[c].kind == DD_REPORT_CELL_SHARE)
            dd_report_table_add_share (t, *(const double *) member);
          else
            dd_report_table_add_int (t, *(const gint64 *) member);
        }
    }
  return t;
}

/* The tables of a report that is one such table. */
static GPtrArray *
rows_tables (const char      *key,
             const char      *title,
             const RowColumn *columns,
             guint            n_columns,
             guint            chart_column,
             GPtrArray       *rows)
{
  GPtrArray *tables = tables_new ();

  g_ptr_array_add (tables, rows_table (key, title, columns, n_columns, chart_column, rows));
  return tables;
}

GPtrArray *
dd_report_campaigns_tables (GPtrArray *rows)
{
  GPtrArray *tables = tables_new ();
  DdReportTable *t = dd_report_table_new ("campaigns", _("Campaign results"));
  DdReportTable *keys = dd_report_table_new ("keys", _("Keys pressed in calls"));

  dd_report_table_add_column (t, "campaign_id", _("ID"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "campaign", _("Campaign"), DD_REPORT_CELL_TEXT);
  dd_report_table_add_column (t, "ladder_step", _("Ladder step"), DD_REPORT_CELL_TEXT);
  dd_report_table_add_column (t, "sms_sent", _("SMS sent"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "sms_delivered", _("Delivered"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "sms_failed", _("Failed"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "replies", _("Replies"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "opt_outs", _("Opt-outs"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "cost", _("Cost"), DD_REPORT_CELL_MONEY);
  dd_report_table_add_column (t, "calls", _("Calls"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "answered_person", _("Answered by a person"),
                              DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "heard_to_end", _("Heard to the end"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "transfers", _("Transfers"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "declarations", _("Declarations"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "declared", _("Declared amount"), DD_REPORT_CELL_MONEY);
  t->chart_column = 3;

  dd_report_table_add_column (keys, "campaign_id", _("ID"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (keys, "campaign", _("Campaign"), DD_REPORT_CELL_TEXT);
  dd_report_table_add_column (keys, "key", _("Key"), DD_REPORT_CELL_TEXT);
  dd_report_table_add_column (keys, "calls", _("Calls"), DD_REPORT_CELL_INT);

  for (guint i = 0; i < rows->len; i++)
    {
      const DdReportCampaignRow *r = g_ptr_array_index (rows, i);
      g_autofree char *step = r->ladder_step >= 0
                              ? g_strdup_printf ("%+d %s", r->ladder_step,
                                                 r->kind ? r->kind : "")
                              : g_strdup ("");

      dd_report_table_begin_row (t);
      dd_report_table_add_int (t, r->campaign_id);
      dd_report_table_add_text (t, r->ladder_step >= 0 ? _("Ladder") : r->name);
      dd_report_table_add_text (t, step);
      dd_report_table_add_int (t, r->sms_sent);
      dd_report_table_add_int (t, r->sms_delivered);
      dd_report_table_add_int (t, r->sms_failed);
      dd_report_table_add_int (t, r->replies);
      dd_report_table_add_int (t, r->opt_outs);
      dd_report_table_add_money (t, r->cost_minor);
      dd_report_table_add_int (t, r->calls_attempted);
      dd_report_table_add_int (t, r->calls_answered_person);
      dd_report_table_add_int (t, r->calls_heard_to_end);
      dd_report_table_add_int (t, r->transfers);
      dd_report_table_add_int (t, r->declarations);
      dd_report_table_add_money (t, r->declared_minor);
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
  g_ptr_array_add (tables, keys);
  return tables;
}

GPtrArray *
dd_report_effect_tables (const DdReportEffect *e)
{
  GPtrArray *tables = tables_new ();
  DdReportTable *t = dd_report_table_new ("effect", _("Effect on payments"));

  if (!e->payments_imported)
    t->note = g_strdup (_("No payments have been imported yet: the effect on payments cannot "
                          "be measured. Import bank statements first."));
  else if (e->held_out.n == 0)
    t->note = g_strdup (_("No debtor was held out of these campaigns: there is nothing to "
                          "compare with."));
  dd_report_table_add_column (t, "window_days", _("Paid within (days)"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "contacted", _("Contacted"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "contacted_paid", _("Contacted, paid"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "contacted_share", _("Share"), DD_REPORT_CELL_SHARE);
  dd_report_table_add_column (t, "contacted_amount", _("Amount"), DD_REPORT_CELL_MONEY);
  dd_report_table_add_column (t, "held_out", _("Held out"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "held_out_paid", _("Held out, paid"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "held_out_share", _("Share"), DD_REPORT_CELL_SHARE);
  dd_report_table_add_column (t, "held_out_amount", _("Amount"), DD_REPORT_CELL_MONEY);
  dd_report_table_add_column (t, "difference", _("Difference"), DD_REPORT_CELL_SHARE);
  /* xgettext:no-c-format */
  dd_report_table_add_column (t, "ci_low", _("95 % CI from"), DD_REPORT_CELL_SHARE);
  /* xgettext:no-c-format */
  dd_report_table_add_column (t, "ci_high", _("95 % CI to"), DD_REPORT_CELL_SHARE);
  for (guint w = 0; w < DD_REPORT_N_WINDOWS; w++)
    {
      dd_report_table_begin_row (t);
      dd_report_table_add_int (t, dd_report_window_days (w));
      dd_report_table_add_int (t, e->contacted.n);
      dd_report_table_add_int (t, e->contacted.paid[w]);
      dd_report_table_add_share (t, dd_report_group_share (&e->contacted, w));
      dd_report_table_add_money (t, e->contacted.amount_minor[w]);
      dd_report_table_add_int (t, e->held_out.n);
      dd_report_table_add_int (t, e->held_out.paid[w]);
      dd_report_table_add_share (t, dd_report_group_share (&e->held_out, w));
      dd_report_table_add_money (t, e->held_out.amount_minor[w]);
      dd_report_table_add_share (t, e->difference[w]);
      dd_report_table_add_share (t, e->ci_low[w]);
      dd_report_table_add_share (t, e->ci_high[w]);
    }
  g_ptr_array_add (tables, t);
  return tables;
}

static const RowColumn promise_columns[] = {
  ROW_COLUMN (DdReportPromiseRow, channel, "channel", N_("Channel"), TEXT),
  ROW_COLUMN (DdReportPromiseRow, made, "made", N_("Made"), INT),
  ROW_COLUMN (DdReportPromiseRow, kept, "kept", N_("Kept"), INT),
  ROW_COLUMN (DdReportPromiseRow, broken, "broken", N_("Broken"), INT),
  ROW_COLUMN (DdReportPromiseRow, pending, "pending", N_("Pending"), INT),
  ROW_COLUMN (DdReportPromiseRow, made_minor, "made_amount", N_("Amount made"), MONEY),
  ROW_COLUMN (DdReportPromiseRow, kept_minor, "kept_amount", N_("Amount kept"), MONEY),
  ROW_COLUMN (DdReportPromiseRow, broken_minor, "broken_amount", N_("Amount broken"), MONEY),
  ROW_COLUMN (DdReportPromiseRow, pending_minor, "pending_amount", N_("Amount pending"), MONEY),
};

GPtrArray *
dd_report_promises_tables (GPtrArray *rows)
{
  return rows_tables ("promises", _("Payment declarations"), promise_columns,
                      G_N_ELEMENTS (promise_columns), 1, rows);
}

static const RowColumn roll_columns[] = {
  ROW_COLUMN (DdReportRollRow, month, "month", N_("Month"), TEXT),
  ROW_COLUMN (DdReportRollRow, start_minor, "overdue_before", N_("Overdue at the month’s start"),
              MONEY),
  ROW_COLUMN (DdReportRollRow, rolled_minor, "still_unpaid", N_("Still unpaid at its end"), MONEY),
  ROW_COLUMN (DdReportRollRow, roll_rate, "roll_rate", N_("Roll rate"), SHARE),
};

GPtrArray *
dd_report_ageing_tables (const DdReportAgeing *ageing)
{
  GPtrArray *tables = tables_new ();
  DdReportTable *t = dd_report_table_new ("ageing", _("Ageing of the open balance"));

  dd_report_table_add_column (t, "bucket", _("Days overdue"), DD_REPORT_CELL_TEXT);
  dd_report_table_add_column (t, "cases", _("Cases"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "balance", _("Balance"), DD_REPORT_CELL_MONEY);
  t->chart_column = 2;
  for (guint i = 0; i < ageing->buckets->len; i++)
    {
      const DdReportAgeingBucket *b = &g_array_index (ageing->buckets, DdReportAgeingBucket, i);
      g_autofree char *label = NULL;

      if (i == 0)
        label = g_strdup (_("current"));
      else if (b->max_days == G_MAXINT)
        label = g_strdup_printf ("%d+", b->min_days - 1);
      else
        label = g_strdup_printf ("%d–%d", b->min_days, b->max_days);
      dd_report_table_begin_row (t);
      dd_report_table_add_text (t, label);
      dd_report_table_add_int (t, b->cases);
      dd_report_table_add_money (t, b->balance_minor);
    }
  g_ptr_array_add (tables, t);
  g_ptr_array_add (tables, rows_table ("roll_rate", _("Roll rate month to month"), roll_columns,
                                       G_N_ELEMENTS (roll_columns), G_MAXUINT, ageing->roll));
  return tables;
}

static const RowColumn work_columns[] = {
  ROW_COLUMN (DdReportWorkRow, agent_id, "agent_id", N_("ID"), INT),
  ROW_COLUMN (DdReportWorkRow, name, "agent", N_("Consultant"), TEXT),
  ROW_COLUMN (DdReportWorkRow, cases_touched, "cases_touched", N_("Cases touched"), INT),
  ROW_COLUMN (DdReportWorkRow, calls, "calls", N_("Calls"), INT),
  ROW_COLUMN (DdReportWorkRow, declarations, "declarations", N_("Declarations"), INT),
  ROW_COLUMN (DdReportWorkRow, status_changes, "status_changes", N_("Status changes"), INT),
  ROW_COLUMN (DdReportWorkRow, closed, "closed", N_("Closed"), INT),
};

GPtrArray *
dd_report_work_tables (GPtrArray *rows)
{
  return rows_tables ("work", _("Work per consultant"), work_columns,
                      G_N_ELEMENTS (work_columns), 2, rows);
}
