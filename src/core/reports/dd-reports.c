/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-reports"

#include "config.h"

#include "dd-reports.h"

#include "dd-campaign-audience.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
 * Each report is a few grouped queries. The filter's clauses are added to the SQL only when
 * set (so that the indexes of 013-reports.sql serve them) and bound in order; the creditor is
 * a sub-select on debt_case (its creditor index) rather than a join.
 */

typedef struct
{
  GString   *sql;
  GPtrArray *texts;    /* the text parameters, in order; NULL where an integer */
  GArray    *ints;
  char      *to_next; /* the day after filter->to */
} Query;

static void
query_init (Query      *q,
            const char *sql)
{
  q->sql = g_string_new (sql);
  q->texts = g_ptr_array_new_with_free_func (g_free);
  q->ints = g_array_new (FALSE, TRUE, sizeof (gint64));
  q->to_next = NULL;
}

static void
query_clear (Query *q)
{
  g_string_free (q->sql, TRUE);
  g_ptr_array_unref (q->texts);
  g_array_unref (q->ints);
  g_free (q->to_next);
}

static void
query_add (Query      *q,
           const char *sql)
{
  g_string_append (q->sql, sql);
}

static void
query_text (Query      *q,
            const char *sql,
            const char *value)
{
  gint64 zero = 0;

  g_string_append (q->sql, sql);
  g_ptr_array_add (q->texts, g_strdup (value));
  g_array_append_val (q->ints, zero);
}

static void
query_int (Query      *q,
           const char *sql,
           gint64      value)
{
  g_string_append (q->sql, sql);
  g_ptr_array_add (q->texts, NULL);
  g_array_append_val (q->ints, value);
}

/* The Julian day of "YYYY-MM-DD…", 0 when it is not a date. */
static guint
day_number (const char *text)
{
  GDate date;
  int y, m, d;

  if (text == NULL || strlen (text) < 10)
    return 0;
  y = atoi (text);
  m = atoi (text + 5);
  d = atoi (text + 8);
  if (!g_date_valid_dmy (d, m, y))
    return 0;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  return g_date_get_julian (&date);
}

static char *
next_day (const char *day)
{
  guint julian = day_number (day);
  GDate date;

  if (julian == 0)
    return g_strdup (day);
  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian + 1);
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&date), g_date_get_month (&date),
                          g_date_get_day (&date));
}

/* " AND @time >= from AND @time < to+1 AND @case IN (creditor's) AND @campaign = id";
 * NULL columns skip their clause. */
static void
query_filter (Query                *q,
              const DdReportFilter *f,
              const char           *time_col,
              const char           *case_col,
              const char           *campaign_col)
{
  g_autofree char *clause = NULL;

  if (time_col != NULL && f->from != NULL)
    {
      clause = g_strdup_printf (" AND %s >= ?", time_col);
      query_text (q, clause, f->from);
      g_clear_pointer (&clause, g_free);
    }
  if (time_col != NULL && f->to != NULL)
    {
      g_free (q->to_next);
      q->to_next = next_day (f->to);
      clause = g_strdup_printf (" AND %s < ?", time_col);
      query_text (q, clause, q->to_next);
      g_clear_pointer (&clause, g_free);
    }
  if (case_col != NULL && f->creditor_id > 0)
    {
      clause = g_strdup_printf (" AND %s IN (SELECT id FROM debt_case WHERE creditor_id = ?)",
                                case_col);
      query_int (q, clause, f->creditor_id);
      g_clear_pointer (&clause, g_free);
    }
  if (campaign_col != NULL && f->campaign_id > 0)
    {
      clause = g_strdup_printf (" AND %s = ?", campaign_col);
      query_int (q, clause, f->campaign_id);
    }
}

static DdStatement *
query_statement (DdDatabase  *database,
                 Query       *q,
                 GError     **error)
{
  DdStatement *stmt = dd_database_cached (database, q->sql->str, error);

  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < q->texts->len; i++)
    {
      const char *text = g_ptr_array_index (q->texts, i);

      if (text != NULL)
        dd_statement_bind_text (stmt, i + 1, text);
      else
        dd_statement_bind_int64 (stmt, i + 1, g_array_index (q->ints, gint64, i));
    }
  return stmt;
}

static gboolean
query_each (DdDatabase  *database,
            Query       *q,
            DdRowFunc    func,
            gpointer     user_data,
            GError     **error)
{
  DdStatement *stmt = query_statement (database, q, error);

  return stmt != NULL && dd_statement_each (stmt, func, user_data, error);
}

/* The rows of @q as structs of @row_type (freed with @free_func), NULL on error; clears @q.
 * An integer field reads a NULL sum as 0, as col_int() does. */
static GPtrArray *
query_rows (DdDatabase      *database,
            Query           *q,
            const DdRowType *row_type,
            GDestroyNotify   free_func,
            GError         **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_func);
  DdStatement *stmt = query_statement (database, q, error);
  gboolean ok = stmt != NULL
                && dd_statement_collect (stmt, rows, dd_statement_read_row, row_type, error);

  query_clear (q);
  return ok ? g_steal_pointer (&rows) : NULL;
}

static gint64
col_int (DdStatement *stmt,
         guint        column)
{
  return dd_statement_is_null (stmt, column) ? 0 : dd_statement_get_int64 (stmt, column);
}

/* Campaign results */

void
dd_report_campaign_row_free (DdReportCampaignRow *row)
{
  if (row == NULL)
    return;
  g_free (row->name);
  g_free (row->kind);
  g_free (row->cost_currency);
  g_free (row);
}

char
dd_report_key_char (guint index)
{
  static const char keys[DD_REPORT_N_KEYS] = "0123456789*#";

  g_return_val_if_fail (index < DD_REPORT_N_KEYS, '?');
  return keys[index];
}

typedef struct
{
  GPtrArray  *rows;
  GHashTable *by_key;   /* campaign id or -(step) - 1 → row */
  gboolean    ladder;
} CampaignAcc;

static DdReportCampaignRow *
campaign_acc_row (CampaignAcc *acc,
                  DdStatement *stmt)
{
  gint64 key = dd_statement_get_int64 (stmt, 0);
  DdReportCampaignRow *row = g_hash_table_lookup (acc->by_key, &key);

  if (row == NULL)
    {
      gint64 *k = g_new (gint64, 1);

      row = g_new0 (DdReportCampaignRow, 1);
      if (acc->ladder)
        {
          row->ladder_step = (gint) key;
          row->name = g_strdup_printf ("%+d", (gint) key);
        }
      else
        {
          row->campaign_id = key;
          row->ladder_step = -1;
        }
      *k = key;
      g_hash_table_insert (acc->by_key, k, row);
      g_ptr_array_add (acc->rows, row);
    }
  return row;
}

static void
read_campaign (DdStatement *stmt,
               gpointer     user_data)
{
  DdReportCampaignRow *row = campaign_acc_row (user_data, stmt);

  g_free (row->name);
  row->name = dd_statement_dup_text (stmt, 1);
  row->kind = dd_statement_dup_text (stmt, 2);
}

static void
read_sms (DdStatement *stmt,
          gpointer     user_data)
{
  CampaignAcc *acc = user_data;
  DdReportCampaignRow *row = campaign_acc_row (acc, stmt);

  row->sms_sent += col_int (stmt, 1);
  row->sms_delivered += col_int (stmt, 2);
  row->sms_failed += col_int (stmt, 3);
  row->replies += col_int (stmt, 4);
  row->cost_minor += col_int (stmt, 5);
  if (row->cost_currency == NULL)
    row->cost_currency = dd_statement_dup_text (stmt, 6);
  if (acc->ladder && row->kind == NULL)
    row->kind = dd_statement_dup_text (stmt, 7);
}

static void
read_opt_outs (DdStatement *stmt,
               gpointer     user_data)
{
  campaign_acc_row (user_data, stmt)->opt_outs += col_int (stmt, 1);
}

static void
read_calls (DdStatement *stmt,
            gpointer     user_data)
{
  CampaignAcc *acc = user_data;
  DdReportCampaignRow *row = campaign_acc_row (acc, stmt);

  row->calls_attempted += col_int (stmt, 1);
  row->calls_answered_person += col_int (stmt, 2);
  row->calls_heard_to_end += col_int (stmt, 3);
  row->transfers += col_int (stmt, 4);
  row->declarations += col_int (stmt, 5);
  row->declared_minor += col_int (stmt, 6);
  if (acc->ladder && row->kind == NULL)
    row->kind = dd_statement_dup_text (stmt, 7);
}

static void
read_keys (DdStatement *stmt,
           gpointer     user_data)
{
  DdReportCampaignRow *row = campaign_acc_row (user_data, stmt);
  const char *keys = dd_statement_get_text (stmt, 1);
  gint64 n = col_int (stmt, 2);
  gboolean seen[DD_REPORT_N_KEYS] = { FALSE };

  for (const char *p = keys; p != NULL && *p != '\0'; p++)
    {
      const char *at = strchr ("0123456789*#", *p);

      if (at != NULL && *p != '\0')
        seen[at - "0123456789*#"] = TRUE;
    }
  for (guint i = 0; i < DD_REPORT_N_KEYS; i++)
    if (seen[i])
      row->keys[i] += n;
}

/* The grouped queries of the campaign report; @group is the key column ("m.campaign_id", or
 * the ladder step), @join what it needs. */
static gboolean
campaign_queries (DdDatabase           *database,
                  const DdReportFilter *filter,
                  CampaignAcc          *acc,
                  const char           *group,
                  const char           *join,
                  const char           *channel,
                  GError              **error)
{
  g_autofree char *sql = NULL;
  Query q;
  gboolean ok;

  sql = g_strdup_printf ("SELECT %s,"
                         " SUM(CASE WHEN m.state IN ('sent', 'delivered') OR"
                         "  (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL)"
                         "  THEN 1 ELSE 0 END),"
                         " SUM(CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END),"
                         " SUM(CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END),"
                         " SUM(m.replies), SUM(COALESCE(m.cost_minor, 0)), MIN(m.cost_currency),"
                         " %s"
                         " FROM message m %s WHERE m.campaign_id IS NOT NULL",
                         group, channel, join);
  query_init (&q, sql);
  query_filter (&q, filter, "m.created_at", "m.case_id", "m.campaign_id");
  query_add (&q, " GROUP BY 1");
  ok = query_each (database, &q, read_sms, acc, error);
  query_clear (&q);
  if (!ok)
    return FALSE;

  /* opt-outs: replies that opted out, by the campaign of the last message to that case */
  g_free (sql);
  sql = g_strdup_printf ("SELECT %s, COUNT(*) FROM sms_reply r"
                         " JOIN message m ON m.id = (SELECT MAX(m2.id) FROM message m2"
                         "  WHERE m2.case_id = r.case_id AND m2.sent_at <= r.received_at)"
                         " %s WHERE r.opt_out = 1 AND m.campaign_id IS NOT NULL",
                         group, join);
  query_init (&q, sql);
  query_filter (&q, filter, "r.received_at", "r.case_id", "m.campaign_id");
  query_add (&q, " GROUP BY 1");
  ok = query_each (database, &q, read_opt_outs, acc, error);
  query_clear (&q);
  if (!ok)
    return FALSE;

  g_free (sql);
  sql = g_strdup_printf ("SELECT %s, COUNT(*),"
                         " SUM(CASE WHEN m.answered_by = 'person' THEN 1 ELSE 0 END),"
                         " SUM(CASE WHEN m.heard_to_end <> 0 THEN 1 ELSE 0 END),"
                         " SUM(CASE WHEN m.transfer IS NOT NULL AND m.transfer <> ''"
                         "  THEN 1 ELSE 0 END),"
                         " SUM(CASE WHEN d.id IS NOT NULL THEN 1 ELSE 0 END),"
                         " SUM(COALESCE(d.amount_minor, 0)), %s"
                         " FROM call_attempt m LEFT JOIN declaration d ON d.id = m.declaration_id"
                         " %s WHERE m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL",
                         group, channel, join);
  query_init (&q, sql);
  query_filter (&q, filter, "m.started_at", "m.case_id", "m.campaign_id");
  query_add (&q, " GROUP BY 1");
  ok = query_each (database, &q, read_calls, acc, error);
  query_clear (&q);
  if (!ok)
    return FALSE;

  g_free (sql);
  sql = g_strdup_printf ("SELECT %s, m.keys, COUNT(*) FROM call_attempt m %s"
                         " WHERE m.campaign_id IS NOT NULL AND m.keys IS NOT NULL"
                         " AND m.keys <> ''", group, join);
  query_init (&q, sql);
  query_filter (&q, filter, "m.started_at", "m.case_id", "m.campaign_id");
  query_add (&q, " GROUP BY 1, 2");
  ok = query_each (database, &q, read_keys, acc, error);
  query_clear (&q);
  return ok;
}

GPtrArray *
dd_report_campaigns (DdDatabase            *database,
                     const DdReportFilter  *filter,
                     GError               **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               dd_report_campaign_row_free);
  g_autoptr(GPtrArray) ladder = g_ptr_array_new ();
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                       NULL);
  g_autoptr(GHashTable) by_step = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                         NULL);
  CampaignAcc acc = { rows, by_id, FALSE };
  CampaignAcc lacc = { ladder, by_step, TRUE };
  Query q;
  gboolean ok;
  gboolean has_ladder = FALSE;

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  /* Every campaign in the filter, even one with nothing sent yet (in order of creation). */
  query_init (&q, "SELECT c.id, c.name, c.kind FROM campaign c WHERE 1 = 1");
  query_filter (&q, &(DdReportFilter) { NULL, NULL, 0, filter->campaign_id }, NULL, NULL,
                "c.id");
  query_add (&q, " ORDER BY c.id");
  ok = query_each (database, &q, read_campaign, &acc, error);
  query_clear (&q);
  if (!ok || !campaign_queries (database, filter, &acc, "m.campaign_id", "", "NULL", error))
    return NULL;
  /* Campaigns that sent nothing in the period (or to the creditor) stay, with zeros. */

  if (!dd_database_exists (database, &has_ladder, error,
                           "SELECT 1 FROM ladder_run LIMIT 1", DD_END))
    return NULL;
  if (has_ladder)
    {
      if (!campaign_queries (database, filter, &lacc, "lr.offset_days",
                             "JOIN ladder_run lr ON lr.case_id = m.case_id", "MIN(lr.channel)",
                             error))
        return NULL;
      for (guint i = 0; i < ladder->len; i++)
        g_ptr_array_add (rows, g_ptr_array_index (ladder, i));
    }
  return g_steal_pointer (&rows);
}

/* Effect against the hold-out group */

guint
dd_report_window_days (DdReportWindow window)
{
  static const guint days[DD_REPORT_N_WINDOWS] = { 2, 7, 30 };

  g_return_val_if_fail (window < DD_REPORT_N_WINDOWS, 0);
  return days[window];
}

double
dd_report_group_share (const DdReportGroup *group,
                       DdReportWindow       window)
{
  g_return_val_if_fail (window < DD_REPORT_N_WINDOWS, NAN);
  return group->n > 0 ? (double) group->paid[window] / (double) group->n : NAN;
}

/* Rows of the effect query: (0, group, contact day, first payment day, cases, 0) and
 * (1, group, contact day, payment day, 0, amount). */
static void
read_effect (DdStatement *stmt,
             gpointer     user_data)
{
  DdReportEffect *effect = user_data;
  gint64 kind = dd_statement_get_int64 (stmt, 0);
  DdReportGroup *g = dd_statement_get_int64 (stmt, 1) == 0 ? &effect->contacted
                                                           : &effect->held_out;
  guint day = day_number (dd_statement_get_text (stmt, 2));
  guint paid = day_number (dd_statement_get_text (stmt, 3));

  if (kind == 0)
    g->n += dd_statement_get_int64 (stmt, 4);
  if (paid == 0 || paid < day)
    return;
  for (guint w = 0; w < DD_REPORT_N_WINDOWS; w++)
    if (paid - day <= dd_report_window_days (w))
      {
        if (kind == 0)
          g->paid[w] += dd_statement_get_int64 (stmt, 4);
        else
          g->amount_minor[w] += dd_statement_get_int64 (stmt, 5);
      }
}

gboolean
dd_report_effect (DdDatabase            *database,
                  const DdReportFilter  *filter,
                  DdReportEffect        *out_effect,
                  GError               **error)
{
  Query q;
  gboolean ok;

  g_return_val_if_fail (DD_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (filter != NULL && out_effect != NULL, FALSE);

  memset (out_effect, 0, sizeof *out_effect);
  if (!dd_database_exists (database, &out_effect->payments_imported, error,
                           "SELECT 1 FROM payment WHERE state = 'matched' LIMIT 1", DD_END))
    return FALSE;

  /* The contacted: the first message sent or call started of a campaign (in the period);
   * the held out: from when their campaign held them out. A case held out by one campaign
   * and contacted by another counts as contacted. */
  query_init (&q, "WITH contact (case_id, at) AS MATERIALIZED ("
                  " SELECT m.case_id, m.sent_at FROM message m"
                  " WHERE m.campaign_id IS NOT NULL AND m.sent_at IS NOT NULL"
                  " AND m.case_id IS NOT NULL");
  query_filter (&q, filter, "m.sent_at", "m.case_id", "m.campaign_id");
  query_add (&q, " UNION ALL SELECT a.case_id, a.started_at FROM call_attempt a"
                 " WHERE a.campaign_id IS NOT NULL AND a.started_at IS NOT NULL"
                 " AND a.case_id IS NOT NULL");
  query_filter (&q, filter, "a.started_at", "a.case_id", "a.campaign_id");
  /* MATERIALIZED (SQLite ≥ 3.35, PostgreSQL ≥ 12): each is used twice, computed once */
  query_add (&q, "), first_contact (case_id, at) AS MATERIALIZED ("
                 " SELECT case_id, MIN(at) FROM contact GROUP BY case_id),"
                 " grp (g, case_id, at) AS MATERIALIZED ("
                 " SELECT 0, case_id, at FROM first_contact"
                 " UNION ALL SELECT 1, h.case_id, MIN(h.held_at) FROM campaign_holdout h"
                 " WHERE h.case_id NOT IN (SELECT case_id FROM first_contact)");
  query_filter (&q, filter, "h.held_at", "h.case_id", "h.campaign_id");
  /* aggregated in SQL to a few rows per contact day: the first payment of each case, and
   * the amounts per payment day */
  query_add (&q, " GROUP BY h.case_id),"
                 " pay (g, case_id, day, paid_on, amount_minor) AS MATERIALIZED ("
                 " SELECT grp.g, grp.case_id, substr(grp.at, 1, 10), p.paid_on, p.amount_minor"
                 " FROM grp LEFT JOIN payment p ON p.case_id = grp.case_id"
                 " AND p.state = 'matched' AND p.paid_on >= substr(grp.at, 1, 10))"
                 " SELECT 0, g, day, first_paid, COUNT(*), 0 FROM ("
                 "  SELECT g, case_id, MIN(day) AS day, MIN(paid_on) AS first_paid FROM pay"
                 "  GROUP BY g, case_id) f GROUP BY g, day, first_paid"
                 " UNION ALL SELECT 1, g, day, paid_on, 0, SUM(amount_minor) FROM pay"
                 " WHERE paid_on IS NOT NULL GROUP BY g, day, paid_on");
  ok = query_each (database, &q, read_effect, out_effect, error);
  query_clear (&q);
  if (!ok)
    return FALSE;

  for (guint w = 0; w < DD_REPORT_N_WINDOWS; w++)
    {
      double p1 = dd_report_group_share (&out_effect->contacted, w);
      double p2 = dd_report_group_share (&out_effect->held_out, w);
      double se;

      if (isnan (p1) || isnan (p2))
        {
          out_effect->difference[w] = out_effect->ci_low[w] = out_effect->ci_high[w] = NAN;
          continue;
        }
      se = sqrt (p1 * (1 - p1) / (double) out_effect->contacted.n +
                 p2 * (1 - p2) / (double) out_effect->held_out.n);
      out_effect->difference[w] = p1 - p2;
      out_effect->ci_low[w] = p1 - p2 - 1.959964 * se;
      out_effect->ci_high[w] = p1 - p2 + 1.959964 * se;
    }
  return TRUE;
}

/* Promises */

static const DdField promise_fields[] = {
  DD_FIELD (DdReportPromiseRow, channel, TEXT),
  DD_FIELD (DdReportPromiseRow, made, INT64),
  DD_FIELD (DdReportPromiseRow, kept, INT64),
  DD_FIELD (DdReportPromiseRow, broken, INT64),
  DD_FIELD (DdReportPromiseRow, pending, INT64),
  DD_FIELD (DdReportPromiseRow, made_minor, INT64),
  DD_FIELD (DdReportPromiseRow, kept_minor, INT64),
  DD_FIELD (DdReportPromiseRow, broken_minor, INT64),
  DD_FIELD (DdReportPromiseRow, pending_minor, INT64),
};
static const DdRowType promise_row = DD_ROW_TYPE (DdReportPromiseRow, promise_fields);

void
dd_report_promise_row_free (DdReportPromiseRow *row)
{
  if (row != NULL)
    dd_row_free (&promise_row, row);
}

GPtrArray *
dd_report_promises (DdDatabase            *database,
                    const DdReportFilter  *filter,
                    GError               **error)
{
  Query q;

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  query_init (&q, "SELECT d.channel, COUNT(*),"
                  " SUM(CASE WHEN d.state = 'kept' THEN 1 ELSE 0 END),"
                  " SUM(CASE WHEN d.state = 'broken' THEN 1 ELSE 0 END),"
                  " SUM(CASE WHEN d.state = 'pending' THEN 1 ELSE 0 END),"
                  " SUM(d.amount_minor),"
                  " SUM(CASE WHEN d.state = 'kept' THEN d.amount_minor ELSE 0 END),"
                  " SUM(CASE WHEN d.state = 'broken' THEN d.amount_minor ELSE 0 END),"
                  " SUM(CASE WHEN d.state = 'pending' THEN d.amount_minor ELSE 0 END)"
                  " FROM declaration d WHERE 1 = 1");
  query_filter (&q, filter, "d.created_at", "d.case_id", NULL);
  if (filter->campaign_id > 0)
    query_int (&q, " AND d.id IN (SELECT declaration_id FROM call_attempt"
                   " WHERE campaign_id = ? AND declaration_id IS NOT NULL)",
               filter->campaign_id);
  query_add (&q, " GROUP BY d.channel ORDER BY d.channel");
  return query_rows (database, &q, &promise_row, (GDestroyNotify) dd_report_promise_row_free,
                     error);
}

/* Ageing */

void
dd_report_roll_row_free (DdReportRollRow *row)
{
  if (row == NULL)
    return;
  g_free (row->month);
  g_free (row);
}

void
dd_report_ageing_free (DdReportAgeing *ageing)
{
  if (ageing == NULL)
    return;
  g_clear_pointer (&ageing->buckets, g_array_unref);
  g_clear_pointer (&ageing->roll, g_ptr_array_unref);
  g_free (ageing);
}

typedef struct
{
  DdReportAgeing *ageing;
  guint           today;
} AgeingAcc;

static void
read_ageing (DdStatement *stmt,
             gpointer     user_data)
{
  AgeingAcc *acc = user_data;
  guint due = day_number (dd_statement_get_text (stmt, 0));
  gint days = due == 0 ? 0 : (gint) acc->today - (gint) due;

  for (guint i = 0; i < acc->ageing->buckets->len; i++)
    {
      DdReportAgeingBucket *b = &g_array_index (acc->ageing->buckets, DdReportAgeingBucket, i);

      if (days <= b->max_days)
        {
          b->cases += col_int (stmt, 1);
          b->balance_minor += col_int (stmt, 2);
          return;
        }
    }
}

/* The roll rate, streamed over balance_history in (case, time) order: each case's balance at
 * the end of each month (carried over months without a change) adds to the month's start
 * (the balance owed at the end of the month before) and to what rolled (still owed). */
typedef struct
{
  gint    first;       /* month numbers (year × 12 + month − 1) of the period's rows */
  gint    last;
  gint64 *start;
  gint64 *rolled;
  gint64  case_id;     /* the case being read, 0 before the first row */
  gint    month;
  gint64  balance;
  gint64  before;      /* its balance at the end of the month before, -1: none */
} RollAcc;

static gint
month_number (const char *text)
{
  if (text == NULL || strlen (text) < 7)
    return -1;
  return atoi (text) * 12 + atoi (text + 5) - 1;
}

static void
roll_add (RollAcc *acc,
          gint     month,
          gint64   before,
          gint64   after)
{
  if (before <= 0 || month < acc->first || month > acc->last)
    return;
  acc->start[month - acc->first] += before;
  acc->rolled[month - acc->first] += MIN (before, MAX (after, 0));
}

static void
roll_close_case (RollAcc *acc)
{
  if (acc->case_id == 0)
    return;
  roll_add (acc, acc->month, acc->before, acc->balance);
  for (gint k = acc->month + 1; k <= acc->last; k++)
    roll_add (acc, k, acc->balance, acc->balance);
}

static void
read_roll (DdStatement *stmt,
           gpointer     user_data)
{
  RollAcc *acc = user_data;
  gint64 case_id = dd_statement_get_int64 (stmt, 0);
  gint month = month_number (dd_statement_get_text (stmt, 1));
  gint64 balance = dd_statement_get_int64 (stmt, 2);

  if (month < acc->first || month > acc->last)
    return;
  if (case_id != acc->case_id)
    {
      roll_close_case (acc);
      acc->case_id = case_id;
      acc->month = month;
      acc->before = -1;
    }
  else if (month != acc->month)
    {
      roll_add (acc, acc->month, acc->before, acc->balance);
      for (gint k = acc->month + 1; k < month; k++)
        roll_add (acc, k, acc->balance, acc->balance);
      acc->before = acc->balance;
      acc->month = month;
    }
  acc->balance = balance;
}

static void
read_range (DdStatement *stmt,
            gpointer     user_data)
{
  char ***out = user_data;

  *out[0] = dd_statement_dup_text (stmt, 0);
  *out[1] = dd_statement_dup_text (stmt, 1);
}

static gboolean
roll_rate (DdDatabase            *database,
           const DdReportFilter  *filter,
           GPtrArray             *out,
           GError               **error)
{
  const DdReportFilter period = { filter->from, filter->to, filter->creditor_id, 0 };
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  RollAcc acc = { 0 };
  Query q;
  gboolean ok;

  query_init (&q, "SELECT MIN(h.recorded_at), MAX(h.recorded_at) FROM balance_history h"
                  " WHERE 1 = 1");
  query_filter (&q, &(DdReportFilter) { filter->from, filter->to, 0, 0 }, "h.recorded_at",
                NULL, NULL);
  ok = query_each (database, &q, read_range, (char **[]) { &first, &last }, error);
  query_clear (&q);
  if (!ok || first == NULL || last == NULL)
    return ok;
  acc.first = month_number (first);
  acc.last = month_number (last);
  if (acc.first < 0 || acc.last < acc.first)
    return TRUE;
  acc.start = g_new0 (gint64, acc.last - acc.first + 1);
  acc.rolled = g_new0 (gint64, acc.last - acc.first + 1);

  query_init (&q, "SELECT h.case_id, h.recorded_at, h.balance_minor FROM balance_history h"
                  " WHERE 1 = 1");
  query_filter (&q, &period, "h.recorded_at", "h.case_id", NULL);
  query_add (&q, " ORDER BY h.case_id, h.recorded_at");
  ok = query_each (database, &q, read_roll, &acc, error);
  query_clear (&q);
  if (ok)
    {
      roll_close_case (&acc);
      for (gint k = acc.first + 1; k <= acc.last; k++)
        {
          DdReportRollRow *row;

          if (acc.start[k - acc.first] == 0)
            continue;   /* nothing was owed: no rate */
          row = g_new0 (DdReportRollRow, 1);
          row->month = g_strdup_printf ("%04d-%02d", k / 12, k % 12 + 1);
          row->start_minor = acc.start[k - acc.first];
          row->rolled_minor = acc.rolled[k - acc.first];
          row->roll_rate = row->start_minor > 0
                           ? (double) row->rolled_minor / (double) row->start_minor : NAN;
          g_ptr_array_add (out, row);
        }
    }
  g_free (acc.start);
  g_free (acc.rolled);
  return ok;
}

DdReportAgeing *
dd_report_ageing (DdDatabase            *database,
                  const DdReportFilter  *filter,
                  const guint           *bounds,
                  guint                  n_bounds,
                  GError               **error)
{
  g_autoptr(DdReportAgeing) ageing = g_new0 (DdReportAgeing, 1);
  g_autofree char *today_text = NULL;
  g_autofree char *to_next = NULL;
  DdReportAgeingBucket current = { 0, 0, 0, 0 };
  AgeingAcc acc;
  Query q;
  gboolean ok;
  guint prev = 0;

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  ageing->buckets = g_array_new (FALSE, TRUE, sizeof (DdReportAgeingBucket));
  ageing->roll = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_report_roll_row_free);
  g_array_append_val (ageing->buckets, current);
  for (guint i = 0; i < n_bounds; i++)
    {
      DdReportAgeingBucket b = { (gint) prev + 1, (gint) bounds[i], 0, 0 };

      if (bounds[i] <= prev && i > 0)
        continue;
      g_array_append_val (ageing->buckets, b);
      prev = bounds[i];
    }
  {
    DdReportAgeingBucket last = { (gint) prev + 1, G_MAXINT, 0, 0 };

    g_array_append_val (ageing->buckets, last);
  }

  if (filter->to != NULL)
    today_text = g_strdup (filter->to);
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      today_text = g_date_time_format (now, "%Y-%m-%d");
    }
  acc.ageing = ageing;
  acc.today = day_number (today_text);

  /* grouped by due day: a few thousand rows over a million cases */
  query_init (&q, "SELECT c.oldest_due_on, COUNT(*), SUM(c.balance_minor) FROM debt_case c"
                  " WHERE c.status <> 'closed' AND c.balance_minor > 0");
  query_filter (&q, &(DdReportFilter) { NULL, NULL, filter->creditor_id, 0 }, NULL, "c.id",
                NULL);
  if (filter->campaign_id > 0)
    query_int (&q, " AND (c.id IN (SELECT case_id FROM message WHERE campaign_id = ?)",
               filter->campaign_id);
  if (filter->campaign_id > 0)
    query_int (&q, " OR c.id IN (SELECT case_id FROM call_attempt WHERE campaign_id = ?))",
               filter->campaign_id);
  query_add (&q, " GROUP BY c.oldest_due_on");
  ok = query_each (database, &q, read_ageing, &acc, error);
  query_clear (&q);
  if (!ok)
    return NULL;

  if (!roll_rate (database, filter, ageing->roll, error))
    return NULL;
  return g_steal_pointer (&ageing);
}

/* Work per consultant */

static const DdField work_fields[] = {
  DD_FIELD (DdReportWorkRow, agent_id, INT64),
  DD_FIELD (DdReportWorkRow, name, TEXT),
  DD_FIELD (DdReportWorkRow, cases_touched, INT64),
  DD_FIELD (DdReportWorkRow, calls, INT64),
  DD_FIELD (DdReportWorkRow, declarations, INT64),
  DD_FIELD (DdReportWorkRow, status_changes, INT64),
  DD_FIELD (DdReportWorkRow, closed, INT64),
};
static const DdRowType work_row = DD_ROW_TYPE (DdReportWorkRow, work_fields);

void
dd_report_work_row_free (DdReportWorkRow *row)
{
  if (row != NULL)
    dd_row_free (&work_row, row);
}

GPtrArray *
dd_report_work (DdDatabase            *database,
                const DdReportFilter  *filter,
                GError               **error)
{
  Query q;

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  /* grouped on the activity_agent index first, the names joined to the few groups after */
  query_init (&q, "SELECT s.agent_id, g.name, s.touched, s.calls, s.declarations, s.status,"
                  " s.closed FROM (SELECT a.agent_id, COUNT(DISTINCT a.case_id) AS touched,"
                  " SUM(CASE WHEN a.kind = 'call' THEN 1 ELSE 0 END) AS calls,"
                  " SUM(CASE WHEN a.kind = 'declaration' THEN 1 ELSE 0 END) AS declarations,"
                  " SUM(CASE WHEN a.kind = 'status' THEN 1 ELSE 0 END) AS status,"
                  " SUM(CASE WHEN a.kind = 'status' AND (a.refs LIKE '%\"to\":\"closed\"%'"
                  "  OR a.refs LIKE '%\"to\": \"closed\"%') THEN 1 ELSE 0 END) AS closed"
                  " FROM activity a WHERE a.agent_id IS NOT NULL");
  query_filter (&q, filter, "a.created_at", "a.case_id", NULL);
  if (filter->campaign_id > 0)
    query_int (&q, " AND a.case_id IN (SELECT case_id FROM call_attempt WHERE campaign_id = ?)",
               filter->campaign_id);
  query_add (&q, " GROUP BY a.agent_id) s JOIN agent g ON g.id = s.agent_id ORDER BY g.name");
  return query_rows (database, &q, &work_row, (GDestroyNotify) dd_report_work_row_free, error);
}

/* Hold-out */

gboolean
dd_report_hold_out (DdDatabase  *database,
                    gint64       campaign_id,
                    guint        percent,
                    GArray      *case_ids,
                    GRand       *rand,
                    GError     **error)
{
  g_autoptr(GRand) own = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree gboolean *held = NULL;
  guint n = case_ids->len;
  guint n_hold = (guint) (((guint64) n * MIN (percent, 100) + 50) / 100);
  g_autofree guint *order = NULL;
  guint kept = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (DD_IS_DATABASE (database), FALSE);
  if (n_hold == 0)
    return TRUE;
  if (rand == NULL)
    rand = own = g_rand_new ();

  /* a partial Fisher–Yates shuffle of the indexes picks n_hold at random */
  order = g_new (guint, n);
  held = g_new0 (gboolean, n);
  for (guint i = 0; i < n; i++)
    order[i] = i;
  for (guint i = 0; i < n_hold; i++)
    {
      guint j = i + (guint) g_rand_int_range (rand, 0, (gint32) (n - i));
      guint t = order[i];

      order[i] = order[j];
      order[j] = t;
      held[order[i]] = TRUE;
    }

  if (!dd_database_begin (database, error))
    return FALSE;
  for (guint i = 0; ok && i < n; i++)
    if (held[i])
      ok = dd_database_execute (database, error,
                                "INSERT INTO campaign_holdout (campaign_id, case_id, held_at)"
                                " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                                DD_INT (campaign_id), DD_INT (g_array_index (case_ids, gint64, i)),
                                DD_TEXT (at), DD_END);
  if (!dd_database_finish (database, ok, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!held[i])
      g_array_index (case_ids, gint64, kept++) = g_array_index (case_ids, gint64, i);
  g_array_set_size (case_ids, kept);
  return TRUE;
}

gboolean
dd_report_hold_out_recipients (DdDatabase  *database,
                               gint64       campaign_id,
                               guint        percent,
                               GPtrArray   *recipients,
                               GRand       *rand,
                               GError     **error)
{
  g_autoptr(GArray) cases = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) kept = g_hash_table_new (g_int64_hash, g_int64_equal);
  guint k = 0;

  g_return_val_if_fail (recipients != NULL, FALSE);

  if (!dd_database_execute (database, error,
                            "UPDATE campaign SET holdout_percent = ? WHERE id = ?",
                            DD_INT (MIN (percent, 100)), DD_INT (campaign_id), DD_END))
    return FALSE;
  for (guint i = 0; i < recipients->len; i++)
    {
      DdRecipient *r = g_ptr_array_index (recipients, i);

      if (g_hash_table_add (seen, &r->case_id))
        g_array_append_val (cases, r->case_id);
    }
  if (!dd_report_hold_out (database, campaign_id, percent, cases, rand, error))
    return FALSE;
  for (guint i = 0; i < cases->len; i++)
    g_hash_table_add (kept, &g_array_index (cases, gint64, i));
  /* keep the order; free the held-out recipients with the array's own free function */
  for (guint i = 0; i < recipients->len; i++)
    {
      DdRecipient *r = g_ptr_array_index (recipients, i);

      if (g_hash_table_contains (kept, &r->case_id))
        recipients->pdata[k++] = r;
      else
        dd_recipient_free (r);
    }
  recipients->len = k;
  return TRUE;
}
