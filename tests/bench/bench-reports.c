/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Reports benchmark (issue 16): an office of DD_BENCH_CASES cases (default 1,000,000) with
 * 5 activities each (5,000,000), 50 campaigns sending 600,000 SMS and making 200,000 calls,
 * a 5 % hold-out group, 300,000 payments, 100,000 declarations and 2,000,000 balance history
 * rows, made in SQL (recursive CTEs, one transaction) and kept at DD_BENCH_REPORTS_DB for the
 * next run. Then times each report without filters, for a period and for a creditor and
 * a campaign. Goal: every report < 1 s. Results go to docs/PERFORMANCE.md.
 */
#include "config.h"

#include "dd-database.h"
#include "dd-reports.h"

#include <locale.h>
#include <stdlib.h>
#include <sys/resource.h>

static double
now_s (void)
{
  return g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

/* CPU time of this process (user + system): the figure that depends less on what else the
 * shared machine runs. */
static double
cpu_s (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && atoi (value) > 0 ? (guint) atoi (value) : fallback;
}

static void
generate (DdDatabase *db,
          guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf (
    "BEGIN;"
    "INSERT INTO creditor (id, name, created_at) SELECT value, 'Creditor ' || value, 'x'"
    " FROM (WITH RECURSIVE k(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM k"
    "  WHERE value < 20) SELECT value FROM k);"
    "INSERT INTO agent (id, name, created_at) SELECT value, 'Agent ' || value, 'x'"
    " FROM (WITH RECURSIVE k(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM k"
    "  WHERE value < 30) SELECT value FROM k);"
    "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < %u)"
    " INSERT INTO debtor (id, dedup_key, name, created_at, updated_at)"
    " SELECT i, 'k' || i, 'Debtor ' || i, 'x', 'x' FROM k;"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, status, agent_id, balance_minor,"
    " currency, oldest_due_on, created_at, updated_at)"
    " SELECT id, id, 1 + id %% 20, CASE WHEN id %% 10 = 0 THEN 'closed' ELSE 'new' END,"
    "  1 + id %% 30, 1000 + (id * 7919) %% 500000, 'PLN',"
    "  date('2026-11-30', '-' || ((id * 31) %% 400) || ' days'), 'x', 'x' FROM debtor;"
    "INSERT INTO campaign (id, name, kind, created_at, updated_at)"
    " SELECT value, 'Campaign ' || value, CASE WHEN value %% 5 = 0 THEN 'voice' ELSE 'sms' END,"
    "  'x', 'x' FROM (WITH RECURSIVE k(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM k"
    "  WHERE value < 50) SELECT value FROM k);"
    /* 5 activities per case over 2026 */
    "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < %u * 5 - 1)"
    " INSERT INTO activity (case_id, kind, refs, agent_id, created_at)"
    " SELECT 1 + i / 5, CASE i %% 5 WHEN 0 THEN 'call' WHEN 1 THEN 'note' WHEN 2 THEN 'sms'"
    "  WHEN 3 THEN 'declaration' ELSE 'status' END,"
    "  CASE WHEN i %% 5 = 4 THEN CASE WHEN i %% 50 = 4 THEN '{\"from\":\"new\",\"to\":\"closed\"}'"
    "   ELSE '{\"from\":\"new\",\"to\":\"call-later\"}' END END,"
    "  CASE WHEN i %% 5 = 2 THEN NULL ELSE 1 + (i * 13) %% 30 END,"
    "  strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', '2026-01-01', '+' || ((i * 97) %% 31536000) ||"
    "   ' seconds') FROM k;"
    /* the SMS: 60 %% of the cases, 5 %% held out */
    "INSERT INTO message (campaign_id, case_id, e164, idempotency_key, body, state, cost_minor,"
    " cost_currency, replies, created_at, updated_at, sent_at)"
    " SELECT 1 + id %% 50, id, '+48' || (600000000 + id), 'm' || id, 'x',"
    "  CASE id %% 10 WHEN 1 THEN 'failed' WHEN 2 THEN 'sent' ELSE 'delivered' END, 7, 'PLN',"
    "  CASE WHEN id %% 97 = 0 THEN 1 ELSE 0 END, t, 'x', t"
    " FROM (SELECT id, strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', '2026-01-01', '+' ||"
    "  ((id %% 50) * 7) || ' days') AS t FROM debt_case WHERE id %% 5 IN (1, 2, 3));"
    "INSERT INTO campaign_holdout (campaign_id, case_id, held_at)"
    " SELECT 1 + id %% 50, id, '2026-02-01T09:00:00Z' FROM debt_case WHERE id %% 20 = 4;"
    "INSERT INTO sms_reply (provider, provider_id, e164, body, received_at, case_id, opt_out)"
    " SELECT 't', 'r' || id, '+48' || (600000000 + id), 'STOP', '2026-12-01T00:00:00Z', id, 1"
    " FROM debt_case WHERE id %% 5 = 1 AND id %% 97 = 0;"
    "INSERT INTO declaration (id, case_id, amount_minor, currency, promised_on, channel, state,"
    " agent_id, created_at)"
    " SELECT id / 10, id, 5000, 'PLN', '2026-06-01', CASE WHEN id %% 20 = 0 THEN 'ivr'"
    "  ELSE 'agent' END, CASE id %% 3 WHEN 0 THEN 'kept' WHEN 1 THEN 'broken' ELSE 'pending' END,"
    "  1 + id %% 30, strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', '2026-01-01', '+' || (id %% 330) ||"
    "  ' days') FROM debt_case WHERE id %% 10 = 0;"
    "INSERT INTO call_attempt (campaign_id, case_id, started_at, state, answered_by,"
    " heard_to_end, keys, transfer, declaration_id)"
    " SELECT 5 * (1 + id %% 10), id, strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', '2026-01-01', '+' ||"
    "  (id %% 330) || ' days'), 'completed', CASE WHEN id %% 3 = 0 THEN 'person' END,"
    "  id %% 2, CASE WHEN id %% 4 = 0 THEN '1' WHEN id %% 4 = 1 THEN '2#' END,"
    "  CASE WHEN id %% 11 = 0 THEN 'queue' END, CASE WHEN id %% 10 = 0 THEN id / 10 END"
    " FROM debt_case WHERE id %% 5 = 0;"
    "INSERT INTO payment (case_id, amount_minor, currency, paid_on, source, created_at)"
    " SELECT id, 10000, 'PLN', date('2026-01-03', '+' || ((id %% 50) * 7 + id %% 20) ||"
    "  ' days'), 'bench', 'x' FROM debt_case WHERE id %% 10 IN (1, 4, 7);"
    "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < %u * 2 - 1)"
    " INSERT INTO balance_history (case_id, balance_minor, currency, reason, recorded_at)"
    " SELECT 1 + i / 2, CASE WHEN i %% 2 = 0 THEN 20000 ELSE (i %% 3) * 10000 END, 'PLN', 'x',"
    "  strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', '2026-01-01', '+' || ((i %% 2) * 30 + (i / 2) %% 300)"
    "  || ' days') FROM k;"
    "INSERT INTO ladder_run (case_id, step, offset_days, channel, state, day, lead_case_id,"
    " claimed_at) SELECT id, 1 + id %% 3, (id %% 3) * 7, 'sms', 'done', '2026-06-01', id, 'x'"
    " FROM debt_case WHERE id %% 7 = 0;"
    "COMMIT; ANALYZE;", n, n, n);

  if (!dd_database_exec (db, sql, &error))
    g_error ("generating the office: %s", error->message);
}

typedef struct
{
  const char     *label;
  DdReportFilter  filter;
} Variant;

/* The campaign report and the work report again with the summaries off (as before schema 26),
 * timed; asserts the same figures. Returns the line to print. */
static char *
from_the_rows (DdDatabase           *db,
               const DdReportFilter *f,
               GPtrArray            *campaigns,
               GPtrArray            *work)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows_campaigns = NULL;
  g_autoptr(GPtrArray) rows_work = NULL;
  double t0, c0, t_campaigns, c_campaigns, t_work, c_work;

  dd_report_use_summaries (FALSE);
  c0 = cpu_s ();
  t0 = now_s ();
  rows_campaigns = dd_report_campaigns (db, f, &error);
  t_campaigns = now_s () - t0;
  c_campaigns = cpu_s () - c0;
  g_assert_no_error (error);
  c0 = cpu_s ();
  t0 = now_s ();
  rows_work = dd_report_work (db, f, &error);
  t_work = now_s () - t0;
  c_work = cpu_s () - c0;
  g_assert_no_error (error);
  dd_report_use_summaries (TRUE);

  g_assert_cmpuint (campaigns->len, ==, rows_campaigns->len);
  for (guint i = 0; i < campaigns->len; i++)
    {
      const DdReportCampaignRow *a = g_ptr_array_index (campaigns, i);
      const DdReportCampaignRow *b = g_ptr_array_index (rows_campaigns, i);

      g_assert_cmpint (a->ladder_step, ==, b->ladder_step);
      g_assert_cmpint (a->sms_sent, ==, b->sms_sent);
      g_assert_cmpint (a->sms_delivered, ==, b->sms_delivered);
      g_assert_cmpint (a->opt_outs, ==, b->opt_outs);
      g_assert_cmpint (a->calls_attempted, ==, b->calls_attempted);
      g_assert_cmpint (a->calls_answered_person, ==, b->calls_answered_person);
      g_assert_cmpint (a->keys[1], ==, b->keys[1]);
      g_assert_cmpint (a->declarations, ==, b->declarations);
      g_assert_cmpuint (a->costs != NULL ? a->costs->len : 0, ==,
                        b->costs != NULL ? b->costs->len : 0);
      for (guint c = 0; a->costs != NULL && c < a->costs->len; c++)
        g_assert_cmpint (g_array_index (a->costs, DdReportCost, c).minor, ==,
                         g_array_index (b->costs, DdReportCost, c).minor);
    }
  g_assert_cmpuint (work->len, ==, rows_work->len);
  for (guint i = 0; i < work->len; i++)
    {
      const DdReportWorkRow *a = g_ptr_array_index (work, i);
      const DdReportWorkRow *b = g_ptr_array_index (rows_work, i);

      g_assert_cmpint (a->agent_id, ==, b->agent_id);
      g_assert_cmpint (a->cases_touched, ==, b->cases_touched);
      g_assert_cmpint (a->calls, ==, b->calls);
      g_assert_cmpint (a->closed, ==, b->closed);
    }
  return g_strdup_printf ("%-11s from the rows (before schema 26): campaign %6.3f s (CPU %6.3f s),"
                          " work %6.3f s (CPU %6.3f s), the same", "", t_campaigns, c_campaigns,
                          t_work, c_work);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdDatabase) db = NULL;
  const char *path = g_getenv ("DD_BENCH_REPORTS_DB");
  guint n = env_uint ("DD_BENCH_CASES", 1000000);
  gint64 have = 0;
  double t0, worst = 0;
  static const guint bounds[] = { 30, 60, 90 };
  static const Variant variants[] = {
    { "all", { NULL, NULL, 0, 0 } },
    { "a quarter", { (char *) "2026-04-01", (char *) "2026-06-30", 0, 0 } },
    { "a creditor", { NULL, NULL, 7, 0 } },
    { "a campaign", { NULL, NULL, 0, 10 } },
  };

  setlocale (LC_ALL, "");
  if (path == NULL)
    path = "bench-reports.db";
  {
    double c0 = cpu_s ();

    t0 = now_s ();
    db = dd_database_open (path, &error);
    if (db == NULL)
      g_error ("%s", error->message);
    /* an office of an older schema is migrated here (schema 26 builds its summaries) */
    g_print ("# opened %s in %.1f s (CPU %.1f s), migrations included\n", path, now_s () - t0,
             cpu_s () - c0);
  }
  dd_database_fetch_int64 (db, &have, NULL, NULL, "SELECT COUNT(*) FROM debt_case", DD_END);
  if (have != n)
    {
      g_assert_cmpint (have, ==, 0);
      t0 = now_s ();
      generate (db, n);
      g_print ("# generated %u cases, %u activities in %.1f s (%s)\n", n, n * 5, now_s () - t0,
               path);
    }

  for (guint v = 0; v < G_N_ELEMENTS (variants); v++)
    {
      const DdReportFilter *f = &variants[v].filter;
      g_autofree char *rows_line = NULL;
      g_autofree char *before_26 = NULL;
      g_autoptr(GPtrArray) campaigns = NULL;
      g_autoptr(GPtrArray) work = NULL;
      double times[5], cpu[5], c0;

      c0 = cpu_s ();
      t0 = now_s ();
      campaigns = dd_report_campaigns (db, f, &error);
      times[0] = now_s () - t0;
      cpu[0] = cpu_s () - c0;
      g_assert_no_error (error);
      {
        DdReportEffect effect;

        c0 = cpu_s ();
        t0 = now_s ();
        g_assert_true (dd_report_effect (db, f, &effect, &error));
        times[1] = now_s () - t0;
        cpu[1] = cpu_s () - c0;
        if (v == 0)
          g_print ("# effect (all): contacted %" G_GINT64_FORMAT ", held out %" G_GINT64_FORMAT
                   ", 30-day difference %.3f\n", effect.contacted.n, effect.held_out.n,
                   effect.difference[DD_REPORT_WINDOW_30D]);
      }
      c0 = cpu_s ();
      t0 = now_s ();
      g_ptr_array_unref (dd_report_promises (db, f, &error));
      times[2] = now_s () - t0;
      cpu[2] = cpu_s () - c0;
      c0 = cpu_s ();
      t0 = now_s ();
      dd_report_ageing_free (dd_report_ageing (db, f, bounds, G_N_ELEMENTS (bounds), &error));
      times[3] = now_s () - t0;
      cpu[3] = cpu_s () - c0;
      g_assert_no_error (error);
      c0 = cpu_s ();
      t0 = now_s ();
      work = dd_report_work (db, f, &error);
      times[4] = now_s () - t0;
      cpu[4] = cpu_s () - c0;
      g_assert_no_error (error);
      before_26 = from_the_rows (db, f, campaigns, work);
      {
        /* the ageing as computed before the summary tables of schema 24: every balance
         * history row streamed through C; the roll rates must be the same */
        g_autoptr(DdReportAgeing) summed = dd_report_ageing (db, f, bounds,
                                                             G_N_ELEMENTS (bounds), &error);
        g_autoptr(DdReportAgeing) streamed = NULL;
        double t_rows, c_rows;

        g_assert_no_error (error);
        dd_report_use_summaries (FALSE);
        c0 = cpu_s ();
        t0 = now_s ();
        streamed = dd_report_ageing (db, f, bounds, G_N_ELEMENTS (bounds), &error);
        t_rows = now_s () - t0;
        c_rows = cpu_s () - c0;
        dd_report_use_summaries (TRUE);
        g_assert_no_error (error);
        g_assert_cmpuint (summed->roll->len, ==, streamed->roll->len);
        for (guint i = 0; i < summed->roll->len; i++)
          {
            const DdReportRollRow *a = g_ptr_array_index (summed->roll, i);
            const DdReportRollRow *b = g_ptr_array_index (streamed->roll, i);

            g_assert_cmpstr (a->month, ==, b->month);
            g_assert_cmpint (a->start_minor, ==, b->start_minor);
            g_assert_cmpint (a->rolled_minor, ==, b->rolled_minor);
          }
        rows_line = g_strdup_printf ("%-11s ageing from the rows (before schema 24): %6.3f s"
                                     " (CPU %6.3f s), %u roll rows, the same", "", t_rows,
                                     c_rows, streamed->roll->len);
      }
      g_print ("%-11s campaign %6.3f s  effect %6.3f s  promises %6.3f s  ageing %6.3f s"
               "  work %6.3f s\n", variants[v].label, times[0], times[1], times[2], times[3],
               times[4]);
      g_print ("%-11s (CPU)    %6.3f s         %6.3f s           %6.3f s         %6.3f s"
               "       %6.3f s\n", "", cpu[0], cpu[1], cpu[2], cpu[3], cpu[4]);
      g_print ("%s\n%s\n", rows_line, before_26);
      for (guint i = 0; i < 5; i++)
        worst = MAX (worst, times[i]);
    }
  g_print ("# slowest report: %.3f s (goal < 1 s)\n", worst);
  return 0;
}
