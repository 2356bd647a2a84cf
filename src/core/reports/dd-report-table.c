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
        if (cell->text != NULL)
          g_string_append_printf (s, "\u00a0%s", cell->text);
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
dd_report_period_text (const char *from,
                       const char *to)
{
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
      dd_report_table_add_amount (t, r->cost_minor, r->cost_currency);
      dd_report_table_add_int (t, r->calls_attempted);
      dd_report_table_add_int (t, r->calls_answered_person);
      dd_report_table_add_int (t, r->calls_heard_to_end);
      dd_report_table_add_int (t, r->transfers);
      dd_report_table_add_int (t, r->declarations);
      dd_report_table_add_amount (t, r->declared_minor, r->declared_currency);
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
  dd_report_table_add_column (t, "contacted_share", _("Contacted, share paid"),
                              DD_REPORT_CELL_SHARE);
  dd_report_table_add_column (t, "contacted_amount", _("Amount"), DD_REPORT_CELL_MONEY);
  dd_report_table_add_column (t, "held_out", _("Held out"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "held_out_paid", _("Held out, paid"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "held_out_share", _("Held out, share paid"),
                              DD_REPORT_CELL_SHARE);
  dd_report_table_add_column (t, "held_out_amount", _("Amount"), DD_REPORT_CELL_MONEY);
  dd_report_table_add_column (t, "difference", _("Difference"), DD_REPORT_CELL_SHARE);
  /* xgettext:no-c-format */
  dd_report_table_add_column (t, "ci_low", _("95 % CI from"), DD_REPORT_CELL_SHARE);
  /* xgettext:no-c-format */
  dd_report_table_add_column (t, "ci_high", _("95 % CI to"), DD_REPORT_CELL_SHARE);
  dd_report_table_add_column (t, "currency", _("Currency"), DD_REPORT_CELL_TEXT);
  /* the counts per window, the amounts of each currency on a row of their own */
  t->chart_column = 3;
  t->chart_column_b = 7;
  for (guint w = 0; w < DD_REPORT_N_WINDOWS; w++)
    for (guint a = 0; a < MAX (e->n_amounts, 1); a++)
      {
        const DdReportAmounts *amounts = a < e->n_amounts ? &e->amounts[a] : NULL;

        dd_report_table_begin_row (t);
        dd_report_table_add_int (t, dd_report_window_days (w));
        dd_report_table_add_int (t, e->contacted.n);
        dd_report_table_add_int (t, e->contacted.paid[w]);
        dd_report_table_add_share (t, dd_report_group_share (&e->contacted, w));
        dd_report_table_add_amount (t, amounts ? amounts->contacted_minor[w] : 0,
                                    amounts ? amounts->currency : NULL);
        dd_report_table_add_int (t, e->held_out.n);
        dd_report_table_add_int (t, e->held_out.paid[w]);
        dd_report_table_add_share (t, dd_report_group_share (&e->held_out, w));
        dd_report_table_add_amount (t, amounts ? amounts->held_out_minor[w] : 0,
                                    amounts ? amounts->currency : NULL);
        dd_report_table_add_share (t, e->difference[w]);
        dd_report_table_add_share (t, e->ci_low[w]);
        dd_report_table_add_share (t, e->ci_high[w]);
        dd_report_table_add_text (t, amounts ? amounts->currency : "");
      }
  g_ptr_array_add (tables, t);
  return tables;
}

GPtrArray *
dd_report_promises_tables (GPtrArray *rows)
{
  GPtrArray *tables = tables_new ();
  DdReportTable *t = dd_report_table_new ("promises", _("Payment declarations"));

  dd_report_table_add_column (t, "channel", _("Channel"), DD_REPORT_CELL_TEXT);
  dd_report_table_add_column (t, "made", _("Made"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "kept", _("Kept"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "broken", _("Broken"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "pending", _("Pending"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "made_amount", _("Amount made"), DD_REPORT_CELL_MONEY);
  dd_report_table_add_column (t, "kept_amount", _("Amount kept"), DD_REPORT_CELL_MONEY);
  dd_report_table_add_column (t, "broken_amount", _("Amount broken"), DD_REPORT_CELL_MONEY);
  dd_report_table_add_column (t, "pending_amount", _("Amount pending"), DD_REPORT_CELL_MONEY);
  dd_report_table_add_column (t, "currency", _("Currency"), DD_REPORT_CELL_TEXT);
  t->chart_column = 5;   /* the amounts made, per currency */
  for (guint i = 0; i < rows->len; i++)
    {
      const DdReportPromiseRow *r = g_ptr_array_index (rows, i);

      dd_report_table_begin_row (t);
      dd_report_table_add_text (t, r->channel);
      dd_report_table_add_int (t, r->made);
      dd_report_table_add_int (t, r->kept);
      dd_report_table_add_int (t, r->broken);
      dd_report_table_add_int (t, r->pending);
      dd_report_table_add_amount (t, r->made_minor, r->currency);
      dd_report_table_add_amount (t, r->kept_minor, r->currency);
      dd_report_table_add_amount (t, r->broken_minor, r->currency);
      dd_report_table_add_amount (t, r->pending_minor, r->currency);
      dd_report_table_add_text (t, r->currency);
    }
  g_ptr_array_add (tables, t);
  return tables;
}

GPtrArray *
dd_report_ageing_tables (const DdReportAgeing *ageing)
{
  GPtrArray *tables = tables_new ();
  DdReportTable *t = dd_report_table_new ("ageing", _("Ageing of the open balance"));
  DdReportTable *roll = dd_report_table_new ("roll_rate", _("Roll rate month to month"));

  dd_report_table_add_column (t, "bucket", _("Days overdue"), DD_REPORT_CELL_TEXT);
  dd_report_table_add_column (t, "cases", _("Cases"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "balance", _("Balance"), DD_REPORT_CELL_MONEY);
  dd_report_table_add_column (t, "currency", _("Currency"), DD_REPORT_CELL_TEXT);
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

  dd_report_table_add_column (roll, "month", _("Month"), DD_REPORT_CELL_TEXT);
  dd_report_table_add_column (roll, "overdue_before", _("Overdue at the month’s start"),
                              DD_REPORT_CELL_MONEY);
  dd_report_table_add_column (roll, "still_unpaid", _("Still unpaid at its end"),
                              DD_REPORT_CELL_MONEY);
  dd_report_table_add_column (roll, "roll_rate", _("Roll rate"), DD_REPORT_CELL_SHARE);
  for (guint i = 0; i < ageing->roll->len; i++)
    {
      const DdReportRollRow *r = g_ptr_array_index (ageing->roll, i);

      dd_report_table_begin_row (roll);
      dd_report_table_add_text (roll, r->month);
      dd_report_table_add_money (roll, r->start_minor);
      dd_report_table_add_money (roll, r->rolled_minor);
      dd_report_table_add_share (roll, r->roll_rate);
    }
  g_ptr_array_add (tables, t);
  g_ptr_array_add (tables, roll);
  return tables;
}

GPtrArray *
dd_report_work_tables (GPtrArray *rows)
{
  GPtrArray *tables = tables_new ();
  DdReportTable *t = dd_report_table_new ("work", _("Work per consultant"));

  dd_report_table_add_column (t, "agent_id", _("ID"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "agent", _("Consultant"), DD_REPORT_CELL_TEXT);
  dd_report_table_add_column (t, "cases_touched", _("Cases touched"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "calls", _("Calls"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "declarations", _("Declarations"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "status_changes", _("Status changes"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (t, "closed", _("Closed"), DD_REPORT_CELL_INT);
  t->chart_column = 2;
  for (guint i = 0; i < rows->len; i++)
    {
      const DdReportWorkRow *r = g_ptr_array_index (rows, i);

      dd_report_table_begin_row (t);
      dd_report_table_add_int (t, r->agent_id);
      dd_report_table_add_text (t, r->name);
      dd_report_table_add_int (t, r->cases_touched);
      dd_report_table_add_int (t, r->calls);
      dd_report_table_add_int (t, r->declarations);
      dd_report_table_add_int (t, r->status_changes);
      dd_report_table_add_int (t, r->closed);
    }
  g_ptr_array_add (tables, t);
  return tables;
}
