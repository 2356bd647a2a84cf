/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-queues-report"

#include "config.h"

#include "dd-queues-report.h"

#include "dd-inbound-store.h"
#include "dd-report-table.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

/* Local midnight of "YYYY-MM-DD" (+ @days) as Unix seconds; @fallback when NULL or bad. */
static gint64
day_start (const char *day,
           int         days,
           gint64      fallback)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) later = NULL;
  int y, m, d;

  if (day == NULL || sscanf (day, "%d-%d-%d", &y, &m, &d) != 3)
    return fallback;
  start = g_date_time_new_local (y, m, d, 0, 0, 0);
  if (start == NULL)
    return fallback;
  later = g_date_time_add_days (start, days);
  return g_date_time_to_unix (later);
}

static void
add_columns (DdReportTable *table,
             gboolean       with_hour)
{
  dd_report_table_add_column (table, "queue", _("Queue"), DD_REPORT_CELL_TEXT);
  if (with_hour)
    dd_report_table_add_column (table, "hour", _("Hour"), DD_REPORT_CELL_TEXT);
  dd_report_table_add_column (table, "offered", _("Calls"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (table, "answered", _("Answered"), DD_REPORT_CELL_INT);
  /* Translators: the service level: the share of calls answered within 20 seconds */
  dd_report_table_add_column (table, "service_level", _("Within 20 s"), DD_REPORT_CELL_SHARE);
  dd_report_table_add_column (table, "abandoned", _("Abandoned"), DD_REPORT_CELL_INT);
  dd_report_table_add_column (table, "abandoned_rate", _("Abandoned %"), DD_REPORT_CELL_SHARE);
  dd_report_table_add_column (table, "average_wait_s", _("Average wait (s)"),
                              DD_REPORT_CELL_INT);
  /* Translators: calls answered busy because too many callers were waiting already (they
   * reach no queue: counted on the "All queues" rows) */
  dd_report_table_add_column (table, "refused", _("Refused: line full"), DD_REPORT_CELL_INT);
}

static void
add_row (DdReportTable          *table,
         const char             *queue,
         const DdInboundFigures *f,
         gboolean                with_hour)
{
  dd_report_table_begin_row (table);
  dd_report_table_add_text (table, queue);
  if (with_hour)
    {
      g_autofree char *hour = g_strdup_printf ("%02d:00", f->hour);

      dd_report_table_add_text (table, hour);
    }
  dd_report_table_add_int (table, f->offered);
  dd_report_table_add_int (table, f->answered);
  dd_report_table_add_share (table, f->offered > 0 ? f->service_level : NAN);
  dd_report_table_add_int (table, f->abandoned);
  dd_report_table_add_share (table, f->offered > 0 ? f->abandoned_rate : NAN);
  dd_report_table_add_int (table, (gint64) (f->average_wait_s + 0.5));
  dd_report_table_add_int (table, f->refused);
}

GPtrArray *
dd_queues_report_tables (DdDatabase  *database,
                         const char  *from,
                         const char  *to,
                         guint       *out_calls,
                         GError     **error)
{
  g_autoptr(DdInboundStore) store = dd_inbound_store_new (database);
  g_autoptr(GPtrArray) queues = NULL;
  g_autoptr(GPtrArray) figures = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new (g_int64_hash, g_int64_equal);
  GPtrArray *tables;
  DdReportTable *summary, *hours;

  queues = dd_inbound_store_list_queues (store, error);
  if (queues == NULL)
    return NULL;
  /* open ends: from the first calls on, until tomorrow */
  figures = dd_inbound_store_figures (store, day_start (from, 0, 0),
                                      day_start (to, 1, g_get_real_time () / G_USEC_PER_SEC
                                                        + 24 * 3600),
                                      NULL, error);
  if (figures == NULL)
    return NULL;
  for (guint i = 0; i < queues->len; i++)
    {
      DdInboundQueue *queue = g_ptr_array_index (queues, i);

      g_hash_table_insert (names, &queue->id, queue->name);
    }

  summary = dd_report_table_new ("queues", _("Queues"));
  summary->note = g_strdup (_("Service level: calls answered within 20 seconds of entering "
                              "the queue, of all calls offered."));
  add_columns (summary, FALSE);
  summary->chart_column = 3;   /* the service level */
  hours = dd_report_table_new ("queue-hours", _("Queues by hour"));
  add_columns (hours, TRUE);
  if (out_calls != NULL)
    *out_calls = 0;
  for (guint i = 0; i < figures->len; i++)
    {
      const DdInboundFigures *f = g_ptr_array_index (figures, i);
      const char *name = f->queue_id == 0 ? _("All queues")
                                          : g_hash_table_lookup (names, &f->queue_id);

      if (name == NULL)
        continue;
      if (f->queue_id == 0 && f->hour < 0 && out_calls != NULL)
        *out_calls = f->offered;
      add_row (f->hour < 0 ? summary : hours, name, f, f->hour >= 0);
    }
  tables = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_report_table_free);
  g_ptr_array_add (tables, summary);
  g_ptr_array_add (tables, hours);
  return tables;
}
