/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-reports"

#include "config.h"

#include "dd-reports.h"

#include "dd-campaign-audience.h"
#include "dd-pg-database.h"

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

static gboolean
query_each (DdDatabase  *database,
            Query       *q,
            DdRowFunc    func,
            gpointer     user_data,
            GError     **error)
{
  DdStatement *stmt = dd_database_cached (database, q->sql->str, error);

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < q->texts->len; i++)
    {
      const char *text = g_ptr_array_index (q->texts, i);

      if (text != NULL)
        dd_statement_bind_text (stmt, i + 1, text);
      else
        dd_statement_bind_int64 (stmt, i + 1, g_array_index (q->ints, gint64, i));
    }
  return dd_statement_each (stmt, func, user_data, error);
}

static gint64
col_int (DdStatement *stmt,
         guint        column)
{
  return dd_statement_is_null (stmt, column) ? 0 : dd_statement_get_int64 (stmt, column);
}

/* Whether the reports read the summary tables of 024-report-summaries.sql and
 * 026-report-campaign-work.sql where they can (FALSE: always from the rows, as the tests
 * compare). */
static gboolean use_summaries = TRUE;

void
dd_report_use_summaries (gboolean use)
{
  use_summaries = use;
}

/* Whether summary @name (report_roll: "roll", report_work: "work", report_ageing:
 * "ageing", report_sms and its siblings of schema 26: "sms", report_work_month: "work_month")
 * is to be read: summaries in use, that one there and up to date. */
static gboolean
summary_usable (DdDatabase  *database,
                const char  *name,
                gboolean    *out_usable,
                GError     **error)
{
  g_autofree char *table = g_strconcat ("report_", name, NULL);
  gboolean dirty = FALSE, there = FALSE;

  *out_usable = FALSE;
  if (!use_summaries)
    return TRUE;
  /* report_work and report_ageing came in later versions of schema 24: a database migrated
   * by the first has no such tables (and computes from the rows) */
  if (!dd_database_exists (database, &there, error,
                           DD_IS_PG_DATABASE (database)
                           ? "SELECT 1 FROM information_schema.tables"
                             " WHERE table_schema = current_schema() AND table_name = ?"
                           : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                           DD_TEXT (table), DD_END))
    return FALSE;
  if (!there)
    return TRUE;
  if (!dd_database_exists (database, &dirty, error,
                           "SELECT 1 FROM report_summary_dirty WHERE name = ?", DD_TEXT (name),
                           DD_END))
    return FALSE;
  *out_usable = !dirty;
  return TRUE;
}

/* Campaign results */

void
dd_report_campaign_row_free (DdReportCampaignRow *row)
{
  if (row == NULL)
    return;
  g_free (row->name);
  g_free (row->kind);
  g_clear_pointer (&row->costs, g_array_unref);
  g_clear_pointer (&row->declared, g_array_unref);
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

#define ROW_FIELD(member) G_STRUCT_OFFSET (DdReportCampaignRow, member)

/* A ladder step's row is named by the first of its channels (column @channel_col) in every
 * pass. */
static void
read_channel (CampaignAcc         *acc,
              DdReportCampaignRow *row,
              DdStatement         *stmt,
              guint                channel_col)
{
  if (acc->ladder && !dd_statement_is_null (stmt, channel_col) &&
      (row->kind == NULL || strcmp (dd_statement_get_text (stmt, channel_col), row->kind) < 0))
    {
      g_free (row->kind);
      row->kind = dd_statement_dup_text (stmt, channel_col);
    }
}

/* Adds columns 1… of @stmt to the counts of its row at @fields (offsets), in order; a ladder
 * step's row is named by the first of its channels (column @channel_col) in every pass. */
static DdReportCampaignRow *
read_counts (CampaignAcc *acc,
             DdStatement *stmt,
             const glong *fields,
             guint        n_fields,
             guint        channel_col)
{
  DdReportCampaignRow *row = campaign_acc_row (acc, stmt);

  for (guint i = 0; i < n_fields; i++)
    G_STRUCT_MEMBER (gint64, row, fields[i]) += col_int (stmt, i + 1);
  read_channel (acc, row, stmt, channel_col);
  return row;
}

/* Adds @billed messages costing @minor in @currency to @row's costs (kept in the order of
 * the codes). */
static void
add_cost (DdReportCampaignRow *row,
          const char          *currency,
          gint64               billed,
          gint64               minor)
{
  DdReportCost cost = { "", billed, minor };
  guint at;

  if (billed == 0 && minor == 0)
    return;
  if (currency == NULL)
    currency = "";
  if (row->costs == NULL)
    row->costs = g_array_new (FALSE, FALSE, sizeof (DdReportCost));
  for (at = 0; at < row->costs->len; at++)
    {
      DdReportCost *c = &g_array_index (row->costs, DdReportCost, at);
      int cmp = strcmp (c->currency, currency);

      if (cmp == 0)
        {
          c->billed += billed;
          c->minor += minor;
          return;
        }
      if (cmp > 0)
        break;
    }
  g_strlcpy (cost.currency, currency, sizeof cost.currency);
  g_array_insert_val (row->costs, at, cost);
}

/* Rows (key, sent, delivered, failed, replies, cost, currency, channel, billed): one per
 * currency of the cost. */
static void
read_sms (DdStatement *stmt,
          gpointer     user_data)
{
  static const glong fields[] = {
    ROW_FIELD (sms_sent), ROW_FIELD (sms_delivered), ROW_FIELD (sms_failed), ROW_FIELD (replies),
  };
  DdReportCampaignRow *row = read_counts (user_data, stmt, fields, G_N_ELEMENTS (fields), 7);

  add_cost (row, dd_statement_is_null (stmt, 6) ? "" : dd_statement_get_text (stmt, 6),
            col_int (stmt, 8), col_int (stmt, 5));
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
  static const glong fields[] = {
    ROW_FIELD (calls_attempted), ROW_FIELD (calls_answered_person),
    ROW_FIELD (calls_heard_to_end), ROW_FIELD (transfers), ROW_FIELD (declarations),
  };

  read_counts (user_data, stmt, fields, G_N_ELEMENTS (fields), 6);
}

/* Rows (key, currency, declarations, amount), in the order of the keys and the codes. */
static void
read_declared (DdStatement *stmt,
               gpointer     user_data)
{
  DdReportCampaignRow *row = campaign_acc_row (user_data, stmt);
  DdReportDeclared declared = { "", col_int (stmt, 2), col_int (stmt, 3) };

  if (!dd_statement_is_null (stmt, 1))
    g_strlcpy (declared.currency, dd_statement_get_text (stmt, 1), sizeof declared.currency);
  if (row->declared == NULL)
    row->declared = g_array_new (FALSE, FALSE, sizeof (DdReportDeclared));
  g_array_append_val (row->declared, declared);
}

/* The same from report_declared, whose rows also give the calls' declarations (the calls
 * summary has none). */
static void
read_declared_sums (DdStatement *stmt,
                    gpointer     user_data)
{
  read_declared (stmt, user_data);
  campaign_acc_row (user_data, stmt)->declarations += col_int (stmt, 2);
}

static void
read_keys (DdStatement *stmt,
           gpointer     user_data)
{
  DdReportCampaignRow *row = campaign_acc_row (user_data, stmt);
  const char *keys = dd_statement_get_text (stmt, 1);
  gint64 n = col_int (stmt, 2);
  gboolean seen[DD_REPORT_N_KEYS] = { FALSE };

  read_channel (user_data, row, stmt, 3);
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

/* The grouped queries of the campaign report, as data: each a query of table alias "m"
 * (with @GROUP@, the key column, @CHANNEL@, the ladder step's channel, and @JOIN@, what the
 * key needs), the filter's clauses on its time and case columns, its GROUP BY, and what reads
 * its rows. */
static const struct
{
  const char *sql;
  const char *time_col;
  const char *case_col;
  const char *tail;
  DdRowFunc   read;
} campaign_passes[] = {
  { "SELECT @GROUP@,"
    " SUM(CASE WHEN m.state IN ('sent', 'delivered') OR"
    "  (m.state IN ('failed', 'expired') AND m.sent_at IS NOT NULL)"
    "  THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN m.state = 'delivered' THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN m.state IN ('failed', 'expired') THEN 1 ELSE 0 END),"
    " SUM(m.replies), SUM(COALESCE(m.cost_minor, 0)), COALESCE(m.cost_currency, ''),"
    " @CHANNEL@, SUM(CASE WHEN m.cost_currency IS NOT NULL THEN 1 ELSE 0 END)"
    " FROM message m @JOIN@ WHERE m.campaign_id IS NOT NULL",
    "m.created_at", "m.case_id", " GROUP BY 1, 7 ORDER BY 1, 7", read_sms },
  /* opt-outs: replies that opted out, by the campaign of the last message to that case */
  { "SELECT @GROUP@, COUNT(*) FROM sms_reply r"
    " JOIN message m ON m.id = (SELECT MAX(m2.id) FROM message m2"
    "  WHERE m2.case_id = r.case_id AND m2.sent_at <= r.received_at)"
    " @JOIN@ WHERE r.opt_out = 1 AND m.campaign_id IS NOT NULL",
    "r.received_at", "r.case_id", " GROUP BY 1", read_opt_outs },
  { "SELECT @GROUP@, COUNT(*),"
    " SUM(CASE WHEN m.answered_by = 'person' THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN m.heard_to_end <> 0 THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN m.transfer IS NOT NULL AND m.transfer <> ''"
    "  THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN d.id IS NOT NULL THEN 1 ELSE 0 END), @CHANNEL@"
    " FROM call_attempt m LEFT JOIN declaration d ON d.id = m.declaration_id"
    " @JOIN@ WHERE m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL",
    "m.started_at", "m.case_id", " GROUP BY 1", read_calls },
  /* the declarations made in those calls, per currency (never added across codes) */
  { "SELECT @GROUP@, d.currency, COUNT(*), SUM(d.amount_minor)"
    " FROM call_attempt m JOIN declaration d ON d.id = m.declaration_id"
    " @JOIN@ WHERE m.campaign_id IS NOT NULL AND m.started_at IS NOT NULL",
    "m.started_at", "m.case_id", " GROUP BY 1, 2 ORDER BY 1, 2", read_declared },
  { "SELECT @GROUP@, m.keys, COUNT(*), @CHANNEL@ FROM call_attempt m @JOIN@"
    " WHERE m.campaign_id IS NOT NULL AND m.keys IS NOT NULL AND m.keys <> ''",
    "m.started_at", "m.case_id", " GROUP BY 1, 2", read_keys },
};

/* Runs campaign pass @i; @group is the key column ("m.campaign_id", or the ladder step),
 * @join what it needs, @channel the step's channel (or NULL). */
static gboolean
campaign_pass (DdDatabase           *database,
               const DdReportFilter *filter,
               CampaignAcc          *acc,
               guint                 i,
               const char           *group,
               const char           *join,
               const char           *channel,
               GError              **error)
{
  g_autoptr(GString) sql = g_string_new (campaign_passes[i].sql);
  Query q;
  gboolean ok;

  g_string_replace (sql, "@GROUP@", group, 0);
  g_string_replace (sql, "@CHANNEL@", channel, 0);
  g_string_replace (sql, "@JOIN@", join, 0);
  query_init (&q, sql->str);
  query_filter (&q, filter, campaign_passes[i].time_col, campaign_passes[i].case_col,
                "m.campaign_id");
  query_add (&q, campaign_passes[i].tail);
  ok = query_each (database, &q, campaign_passes[i].read, acc, error);
  query_clear (&q);
  return ok;
}

/* Runs the campaign passes over the rows. */
static gboolean
campaign_queries (DdDatabase           *database,
                  const DdReportFilter *filter,
                  CampaignAcc          *acc,
                  const char           *group,
                  const char           *join,
                  const char           *channel,
                  GError              **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (campaign_passes); i++)
    if (!campaign_pass (database, filter, acc, i, group, join, channel, error))
      return FALSE;
  return TRUE;
}

/* Rows (key, attempted, person, heard, transfers, 0, channel, key_0 … key_hash) of
 * report_calls. */
static void
read_call_sums (DdStatement *stmt,
                gpointer     user_data)
{
  static const glong fields[] = {
    ROW_FIELD (calls_attempted), ROW_FIELD (calls_answered_person),
    ROW_FIELD (calls_heard_to_end), ROW_FIELD (transfers),
  };
  DdReportCampaignRow *row = read_counts (user_data, stmt, fields, G_N_ELEMENTS (fields), 6);

  for (guint i = 0; i < DD_REPORT_N_KEYS; i++)
    row->keys[i] += col_int (stmt, 7 + i);
}

/* The same passes over the summaries of 026-report-campaign-work.sql: a row per campaign (or
 * ladder step), creditor, day and currency, kept by triggers, instead of every message and
 * call. The opt-outs still come from the replies (a few thousand rows). */
static const struct
{
  const char *sql;
  const char *tail;
  DdRowFunc   read;
} summary_passes[] = {
  { "SELECT @GROUP@, SUM(s.sent), SUM(s.delivered), SUM(s.failed), SUM(s.replies),"
    " SUM(s.cost_minor), s.currency, MIN(CASE WHEN s.messages > 0 THEN s.channel END),"
    " SUM(s.billed) FROM report_sms s WHERE s.ladder = @LADDER@",
    " GROUP BY 1, s.currency HAVING SUM(s.messages) > 0 ORDER BY 1, s.currency", read_sms },
  { "SELECT @GROUP@, SUM(s.attempted), SUM(s.person), SUM(s.heard), SUM(s.transfers), 0,"
    " MIN(CASE WHEN s.attempted > 0 OR s.keyed > 0 THEN s.channel END),"
    " SUM(s.key_0), SUM(s.key_1), SUM(s.key_2), SUM(s.key_3), SUM(s.key_4), SUM(s.key_5),"
    " SUM(s.key_6), SUM(s.key_7), SUM(s.key_8), SUM(s.key_9), SUM(s.key_star),"
    " SUM(s.key_hash) FROM report_calls s WHERE s.ladder = @LADDER@",
    " GROUP BY 1 HAVING SUM(s.attempted) > 0 OR SUM(s.keyed) > 0", read_call_sums },
  { "SELECT @GROUP@, s.currency, SUM(s.declarations), SUM(s.declared_minor)"
    " FROM report_declared s WHERE s.ladder = @LADDER@",
    " GROUP BY 1, s.currency HAVING SUM(s.declarations) > 0 ORDER BY 1, s.currency",
    read_declared_sums },
};

static gboolean
campaign_summary_queries (DdDatabase           *database,
                          const DdReportFilter *filter,
                          CampaignAcc          *acc,
                          GError              **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (summary_passes); i++)
    {
      g_autoptr(GString) sql = g_string_new (summary_passes[i].sql);
      Query q;
      gboolean ok;

      g_string_replace (sql, "@GROUP@", acc->ladder ? "s.offset_days" : "s.campaign_id", 0);
      g_string_replace (sql, "@LADDER@", acc->ladder ? "1" : "0", 0);
      query_init (&q, sql->str);
      query_filter (&q, filter, "s.day", NULL, "s.campaign_id");
      if (filter->creditor_id > 0)
        query_int (&q, " AND s.creditor_id = ?", filter->creditor_id);
      /* calls never started have no day: they count only without a period */
      if (filter->from != NULL || filter->to != NULL)
        query_add (&q, " AND s.day <> ''");
      query_add (&q, summary_passes[i].tail);
      ok = query_each (database, &q, summary_passes[i].read, acc, error);
      query_clear (&q);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* Whether a filter's period is whole days ("YYYY-MM-DD"), as the summaries count. */
static gboolean
whole_days (const char *day)
{
  return day == NULL || (strlen (day) == 10 && day_number (day) != 0);
}

static int
compare_ladder_rows (gconstpointer a,
                     gconstpointer b)
{
  const DdReportCampaignRow *x = *(DdReportCampaignRow **) a;
  const DdReportCampaignRow *y = *(DdReportCampaignRow **) b;

  return (x->ladder_step > y->ladder_step) - (x->ladder_step < y->ladder_step);
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
  gboolean summed = FALSE;

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  if (whole_days (filter->from) && whole_days (filter->to) &&
      !summary_usable (database, "sms", &summed, error))
    return NULL;

  /* Every campaign in the filter, even one with nothing sent yet (in order of creation). */
  query_init (&q, "SELECT c.id, c.name, c.kind FROM campaign c WHERE 1 = 1");
  query_filter (&q, &(DdReportFilter) { NULL, NULL, 0, filter->campaign_id }, NULL, NULL,
                "c.id");
  query_add (&q, " ORDER BY c.id");
  ok = query_each (database, &q, read_campaign, &acc, error);
  query_clear (&q);
  if (!ok)
    return NULL;
  if (summed)
    {
      /* the opt-outs (the second pass) from the replies, the rest summed */
      static const guint opt_outs = 1;

      if (!campaign_summary_queries (database, filter, &acc, error) ||
          !campaign_pass (database, filter, &acc, opt_outs, "m.campaign_id", "", "NULL", error))
        return NULL;
    }
  else if (!campaign_queries (database, filter, &acc, "m.campaign_id", "", "NULL", error))
    return NULL;
  /* Campaigns that sent nothing in the period (or to the creditor) stay, with zeros. */

  if (!dd_database_exists (database, &has_ladder, error,
                           "SELECT 1 FROM ladder_run LIMIT 1", DD_END))
    return NULL;
  if (has_ladder)
    {
      if (summed)
        {
          if (!campaign_summary_queries (database, filter, &lacc, error) ||
              !campaign_pass (database, filter, &lacc, 1, "lr.offset_days",
                              "JOIN ladder_run lr ON lr.case_id = m.case_id", "MIN(lr.channel)",
                              error))
            return NULL;
        }
      else if (!campaign_queries (database, filter, &lacc, "lr.offset_days",
                                  "JOIN ladder_run lr ON lr.case_id = m.case_id",
                                  "MIN(lr.channel)", error))
        return NULL;
      /* in the order of the steps (a grouping's order is not the same on every database) */
      g_ptr_array_sort (ladder, compare_ladder_rows);
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

/* The amounts of @currency in @effect (added in the order of the codes), NULL past the
 * limit. */
static DdReportAmounts *
effect_amounts (DdReportEffect *effect,
                const char     *currency)
{
  guint i;

  if (currency == NULL)
    currency = "";
  for (i = 0; i < effect->n_amounts; i++)
    if (g_str_equal (effect->amounts[i].currency, currency))
      return &effect->amounts[i];
  if (effect->n_amounts == DD_REPORT_MAX_CURRENCIES)
    {
      g_warning ("The effect report shows %d currencies, not %s", DD_REPORT_MAX_CURRENCIES,
                 currency);
      return NULL;
    }
  for (i = effect->n_amounts; i > 0 && strcmp (effect->amounts[i - 1].currency, currency) > 0;
       i--)
    effect->amounts[i] = effect->amounts[i - 1];
  memset (&effect->amounts[i], 0, sizeof effect->amounts[i]);
  g_strlcpy (effect->amounts[i].currency, currency, sizeof effect->amounts[i].currency);
  effect->n_amounts++;
  return &effect->amounts[i];
}

/* The effect, merged in C over streams ordered by case (a million cases would otherwise
 * make SQLite group 800,000 contacts in temporary B-trees): the first contact of each case
 * from the messages and from the calls (each grouped on its case index), the held out not
 * contacted, then each case's matched payments in order. */
typedef struct
{
  gint64 case_id;
  guint  day;      /* Julian day of the first contact, or of being held out */
  gint   group;    /* 0 contacted, 1 held out */
} EffectCase;

static void
read_effect_case (DdStatement *stmt,
                  gpointer     user_data)
{
  EffectCase c = { dd_statement_get_int64 (stmt, 0),
                   day_number (dd_statement_get_text (stmt, 1)), 0 };

  g_array_append_val ((GArray *) user_data, c);
}

/* Merges two arrays sorted by case into one, a case's earliest day kept. */
static GArray *
merge_cases (GArray *a,
             GArray *b)
{
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (EffectCase), a->len + b->len);
  guint i = 0, j = 0;

  while (i < a->len || j < b->len)
    {
      EffectCase *x = i < a->len ? &g_array_index (a, EffectCase, i) : NULL;
      EffectCase *y = j < b->len ? &g_array_index (b, EffectCase, j) : NULL;

      if (y == NULL || (x != NULL && x->case_id < y->case_id))
        {
          g_array_append_val (out, *x);
          i++;
        }
      else if (x == NULL || y->case_id < x->case_id)
        {
          g_array_append_val (out, *y);
          j++;
        }
      else
        {
          EffectCase c = *x;

          c.day = MIN (x->day, y->day);
          g_array_append_val (out, c);
          i++;
          j++;
        }
    }
  return out;
}

typedef struct
{
  DdReportEffect *effect;
  GArray         *cases;     /* EffectCase, sorted by case */
  guint           at;        /* the case of the last payment read */
  gint64          paid_case; /* the case whose first payment was counted, 0: none yet */
} EffectPay;

static void
read_effect_payment (DdStatement *stmt,
                     gpointer     user_data)
{
  EffectPay *acc = user_data;
  gint64 case_id = dd_statement_get_int64 (stmt, 0);
  guint paid = day_number (dd_statement_get_text (stmt, 1));
  EffectCase *c = NULL;
  DdReportGroup *g;
  DdReportAmounts *amounts;
  gboolean first;

  while (acc->at < acc->cases->len &&
         g_array_index (acc->cases, EffectCase, acc->at).case_id < case_id)
    acc->at++;
  if (acc->at < acc->cases->len &&
      g_array_index (acc->cases, EffectCase, acc->at).case_id == case_id)
    c = &g_array_index (acc->cases, EffectCase, acc->at);
  if (c == NULL || paid == 0 || paid < c->day)
    return;
  g = c->group == 0 ? &acc->effect->contacted : &acc->effect->held_out;
  first = acc->paid_case != case_id;
  acc->paid_case = case_id;
  amounts = effect_amounts (acc->effect, dd_statement_get_text (stmt, 3));
  for (guint w = 0; w < DD_REPORT_N_WINDOWS; w++)
    if (paid - c->day <= dd_report_window_days (w))
      {
        gint64 amount = dd_statement_get_int64 (stmt, 2);

        if (first)
          g->paid[w]++;
        g->amount_minor[w] += amount;
        if (amounts != NULL && c->group == 0)
          amounts->contacted_minor[w] += amount;
        else if (amounts != NULL)
          amounts->held_out_minor[w] += amount;
      }
}

/* Each case's first day by @head (a query of table alias "m" giving case and time, grouped
 * by case after the filter's clauses on m.@time_col), in case order. */
static gboolean
first_days (DdDatabase            *database,
            const DdReportFilter  *filter,
            const char            *head,
            const char            *time_col,
            GArray                *out,
            GError               **error)
{
  g_autofree char *time = g_strconcat ("m.", time_col, NULL);
  Query q;
  gboolean ok;

  query_init (&q, head);
  query_filter (&q, filter, time, "m.case_id", "m.campaign_id");
  query_add (&q, " GROUP BY m.case_id ORDER BY m.case_id");
  ok = query_each (database, &q, read_effect_case, out, error);
  query_clear (&q);
  return ok;
}

static gboolean
effect_streamed (DdDatabase            *database,
                 const DdReportFilter  *filter,
                 DdReportEffect        *effect,
                 GError               **error)
{
  g_autoptr(GArray) sent = g_array_new (FALSE, FALSE, sizeof (EffectCase));
  g_autoptr(GArray) called = g_array_new (FALSE, FALSE, sizeof (EffectCase));
  g_autoptr(GArray) held = g_array_new (FALSE, FALSE, sizeof (EffectCase));
  g_autoptr(GArray) contacted = NULL;
  g_autoptr(GArray) cases = NULL;
  EffectPay pay = { effect, NULL, 0, 0 };
  guint i = 0;

  /* the contacted: the first message sent or call started of a campaign (in the period);
   * the held out: from when their campaign held them out (a case held out by one campaign
   * and contacted by another counts as contacted) */
  if (!first_days (database, filter, "SELECT m.case_id, MIN(m.sent_at) FROM message m"
                   " WHERE m.case_id IS NOT NULL AND m.sent_at IS NOT NULL"
                   " AND m.campaign_id IS NOT NULL", "sent_at", sent, error) ||
      !first_days (database, filter, "SELECT m.case_id, MIN(m.started_at) FROM call_attempt m"
                   " WHERE m.case_id IS NOT NULL AND m.started_at IS NOT NULL"
                   " AND m.campaign_id IS NOT NULL", "started_at", called, error) ||
      !first_days (database, filter, "SELECT m.case_id, MIN(m.held_at) FROM campaign_holdout m"
                   " WHERE 1 = 1", "held_at", held, error))
    return FALSE;
  contacted = merge_cases (sent, called);
  effect->contacted.n = contacted->len;
  for (guint j = 0; j < held->len; j++)
    {
      EffectCase *h = &g_array_index (held, EffectCase, j);

      while (i < contacted->len && g_array_index (contacted, EffectCase, i).case_id < h->case_id)
        i++;
      h->group = (i < contacted->len &&
                  g_array_index (contacted, EffectCase, i).case_id == h->case_id) ? -1 : 1;
      if (h->group == 1)
        effect->held_out.n++;
    }
  /* one sorted array of both groups (a held-out case that was contacted is dropped) */
  for (guint j = 0, k = 0; j < held->len; j++)
    if (g_array_index (held, EffectCase, j).group == 1)
      g_array_index (held, EffectCase, k++) = g_array_index (held, EffectCase, j);
  g_array_set_size (held, effect->held_out.n);
  cases = merge_cases (contacted, held);
  pay.cases = cases;

  /* each case's matched payments, in order: the first on or after the contact counts the
   * case as paid, all of them add to the amounts */
  return dd_database_query_each (database, read_effect_payment, &pay, error,
                                 "SELECT p.case_id, p.paid_on, p.amount_minor, p.currency"
                                 " FROM payment p WHERE p.state = 'matched'"
                                 " AND p.case_id IS NOT NULL ORDER BY p.case_id, p.paid_on",
                                 DD_END);
}

gboolean
dd_report_effect (DdDatabase            *database,
                  const DdReportFilter  *filter,
                  DdReportEffect        *out_effect,
                  GError               **error)
{
  g_return_val_if_fail (DD_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (filter != NULL && out_effect != NULL, FALSE);

  memset (out_effect, 0, sizeof *out_effect);
  if (!dd_database_exists (database, &out_effect->payments_imported, error,
                           "SELECT 1 FROM payment WHERE state = 'matched' LIMIT 1", DD_END))
    return FALSE;

  if (!effect_streamed (database, filter, out_effect, error))
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

void
dd_report_promise_row_free (DdReportPromiseRow *row)
{
  if (row == NULL)
    return;
  g_free (row->channel);
  g_free (row->currency);
  g_free (row);
}

static void
read_promise (DdStatement *stmt,
              gpointer     user_data)
{
  DdReportPromiseRow *row = g_new0 (DdReportPromiseRow, 1);

  row->channel = dd_statement_dup_text (stmt, 0);
  row->made = col_int (stmt, 1);
  row->kept = col_int (stmt, 2);
  row->broken = col_int (stmt, 3);
  row->pending = col_int (stmt, 4);
  row->made_minor = col_int (stmt, 5);
  row->kept_minor = col_int (stmt, 6);
  row->broken_minor = col_int (stmt, 7);
  row->pending_minor = col_int (stmt, 8);
  row->currency = dd_statement_dup_text (stmt, 9);
  g_ptr_array_add (user_data, row);
}

GPtrArray *
dd_report_promises (DdDatabase            *database,
                    const DdReportFilter  *filter,
                    GError               **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               dd_report_promise_row_free);
  Query q;
  gboolean ok;

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  query_init (&q, "SELECT d.channel, COUNT(*),"
                  " SUM(CASE WHEN d.state = 'kept' THEN 1 ELSE 0 END),"
                  " SUM(CASE WHEN d.state = 'broken' THEN 1 ELSE 0 END),"
                  " SUM(CASE WHEN d.state = 'pending' THEN 1 ELSE 0 END),"
                  " SUM(d.amount_minor),"
                  " SUM(CASE WHEN d.state = 'kept' THEN d.amount_minor ELSE 0 END),"
                  " SUM(CASE WHEN d.state = 'broken' THEN d.amount_minor ELSE 0 END),"
                  " SUM(CASE WHEN d.state = 'pending' THEN d.amount_minor ELSE 0 END),"
                  " d.currency"
                  " FROM declaration d WHERE 1 = 1");
  query_filter (&q, filter, "d.created_at", "d.case_id", NULL);
  if (filter->campaign_id > 0)
    query_int (&q, " AND d.id IN (SELECT declaration_id FROM call_attempt"
                   " WHERE campaign_id = ? AND declaration_id IS NOT NULL)",
               filter->campaign_id);
  query_add (&q, " GROUP BY d.channel, d.currency ORDER BY d.channel, d.currency");
  ok = query_each (database, &q, read_promise, rows, error);
  query_clear (&q);
  return ok ? g_steal_pointer (&rows) : NULL;
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
  guint           n_buckets;  /* in each currency's set */
} AgeingAcc;

/* The index of @currency's set of buckets, in the order of the codes: the first currency
 * takes the empty set made before the query, each other one a copy of it. */
static guint
ageing_currency_set (AgeingAcc  *acc,
                     const char *currency)
{
  GArray *buckets = acc->ageing->buckets;
  guint n_sets = buckets->len / acc->n_buckets;
  guint at;

  if (currency == NULL)
    currency = "";
  for (at = 0; at < n_sets; at++)
    {
      const DdReportAgeingBucket *b = &g_array_index (buckets, DdReportAgeingBucket,
                                                      at * acc->n_buckets);
      int cmp = strcmp (b->currency, currency);

      if (cmp == 0)
        return at;
      if (n_sets == 1 && b->currency[0] == '\0')
        break;   /* the empty set: this currency's */
      if (cmp > 0)
        break;
    }
  if (!(n_sets == 1 && g_array_index (buckets, DdReportAgeingBucket, 0).currency[0] == '\0'))
    {
      /* a new set, copied from the first with zero counts, at its place */
      g_autofree DdReportAgeingBucket *set = g_new (DdReportAgeingBucket, acc->n_buckets);

      memcpy (set, buckets->data, acc->n_buckets * sizeof *set);
      for (guint i = 0; i < acc->n_buckets; i++)
        set[i].cases = set[i].balance_minor = 0;
      g_array_insert_vals (buckets, at * acc->n_buckets, set, acc->n_buckets);
    }
  for (guint i = at * acc->n_buckets; i < (at + 1) * acc->n_buckets; i++)
    g_strlcpy (g_array_index (buckets, DdReportAgeingBucket, i).currency, currency,
               sizeof ((DdReportAgeingBucket *) NULL)->currency);
  return at;
}

static void
read_ageing (DdStatement *stmt,
             gpointer     user_data)
{
  AgeingAcc *acc = user_data;
  guint due = day_number (dd_statement_get_text (stmt, 0));
  gint days = due == 0 ? 0 : (gint) acc->today - (gint) due;
  guint set = ageing_currency_set (acc, dd_statement_get_text (stmt, 3));

  for (guint i = set * acc->n_buckets; i < (set + 1) * acc->n_buckets; i++)
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
 * (the balance owed at the end of the month before) and to what rolled (still owed), in the
 * series of the balance's currency (never added across codes). */
typedef struct
{
  char    currency[8];
  gint64 *start;       /* per month of the period */
  gint64 *rolled;
} RollSeries;

typedef struct
{
  gint    first;       /* month numbers (year × 12 + month − 1) of the period's rows */
  gint    last;
  GArray *series;      /* RollSeries, in the order first seen */
  gint64  case_id;     /* the case being read, 0 before the first row */
  gint    month;
  gint64  balance;
  guint   balance_in;  /* the series of its currency */
  gint64  before;      /* its balance at the end of the month before, -1: none */
  guint   before_in;
} RollAcc;

static gint
month_number (const char *text)
{
  if (text == NULL || strlen (text) < 7)
    return -1;
  return atoi (text) * 12 + atoi (text + 5) - 1;
}

static guint
roll_series (RollAcc    *acc,
             const char *currency)
{
  RollSeries series = { "", NULL, NULL };
  guint n = (guint) (acc->last - acc->first + 1);

  if (currency == NULL)
    currency = "";
  for (guint i = 0; i < acc->series->len; i++)
    if (g_str_equal (g_array_index (acc->series, RollSeries, i).currency, currency))
      return i;
  g_strlcpy (series.currency, currency, sizeof series.currency);
  series.start = g_new0 (gint64, n);
  series.rolled = g_new0 (gint64, n);
  g_array_append_val (acc->series, series);
  return acc->series->len - 1;
}

static void
roll_series_clear (gpointer data)
{
  RollSeries *series = data;

  g_free (series->start);
  g_free (series->rolled);
}

static void
roll_add (RollAcc *acc,
          guint    in,
          gint     month,
          gint64   before,
          gint64   after)
{
  RollSeries *series = &g_array_index (acc->series, RollSeries, in);

  if (before <= 0 || month < acc->first || month > acc->last)
    return;
  series->start[month - acc->first] += before;
  series->rolled[month - acc->first] += MIN (before, MAX (after, 0));
}

static void
roll_close_case (RollAcc *acc)
{
  if (acc->case_id == 0)
    return;
  roll_add (acc, acc->before_in, acc->month, acc->before, acc->balance);
  for (gint k = acc->month + 1; k <= acc->last; k++)
    roll_add (acc, acc->balance_in, k, acc->balance, acc->balance);
}

static void
read_roll (DdStatement *stmt,
           gpointer     user_data)
{
  RollAcc *acc = user_data;
  gint64 case_id = dd_statement_get_int64 (stmt, 0);
  gint month = month_number (dd_statement_get_text (stmt, 1));
  gint64 balance = dd_statement_get_int64 (stmt, 2);
  guint in;

  if (month < acc->first || month > acc->last)
    return;
  in = roll_series (acc, dd_statement_get_text (stmt, 3));
  if (case_id != acc->case_id)
    {
      roll_close_case (acc);
      acc->case_id = case_id;
      acc->month = month;
      acc->before = -1;
      acc->before_in = in;
    }
  else if (month != acc->month)
    {
      roll_add (acc, acc->before_in, acc->month, acc->before, acc->balance);
      for (gint k = acc->month + 1; k < month; k++)
        roll_add (acc, acc->balance_in, k, acc->balance, acc->balance);
      acc->before = acc->balance;
      acc->before_in = acc->balance_in;
      acc->month = month;
    }
  acc->balance = balance;
  acc->balance_in = in;
}

static int
compare_roll_series (gconstpointer a,
                     gconstpointer b)
{
  return strcmp (((const RollSeries *) a)->currency, ((const RollSeries *) b)->currency);
}

/* Rows (currency, p, q, start, rolled) of report_roll: the balances of month p (positive)
 * carried through each month up to q, where what was still owed is rolled. */
static void
read_roll_summary (DdStatement *stmt,
                   gpointer     user_data)
{
  RollAcc *acc = user_data;
  guint in = roll_series (acc, dd_statement_get_text (stmt, 0));
  RollSeries *series = &g_array_index (acc->series, RollSeries, in);
  gint64 p = dd_statement_get_int64 (stmt, 1);
  gint64 q = dd_statement_get_int64 (stmt, 2);
  gint64 start = col_int (stmt, 3);
  gint64 rolled = col_int (stmt, 4);

  for (gint64 k = MAX (p + 1, acc->first); k <= MIN (q, acc->last); k++)
    {
      series->start[k - acc->first] += start;
      series->rolled[k - acc->first] += k < q ? start : rolled;
    }
}

/* Whether report_roll gives the roll rate of @filter exactly: it is up to date, the period
 * starts on the first of a month (no case's month cut in two) and ends on a month's last day
 * or after the last row of the history. */
static gboolean
roll_summary_fits (DdDatabase            *database,
                   const DdReportFilter  *filter,
                   gboolean              *out_fits,
                   GError               **error)
{
  gboolean later = FALSE;

  *out_fits = FALSE;
  if (!use_summaries ||
      (filter->from != NULL && (day_number (filter->from) == 0 ||
                                strncmp (filter->from + 8, "01", 2) != 0)))
    return TRUE;
  if (filter->to != NULL)
    {
      g_autofree char *to_next = next_day (filter->to);

      if (day_number (filter->to) == 0)
        return TRUE;
      if (strncmp (to_next + 8, "01", 2) != 0 &&
          !dd_database_exists (database, &later, error,
                               "SELECT 1 FROM balance_history WHERE recorded_at >= ? LIMIT 1",
                               DD_TEXT (to_next), DD_END))
        return FALSE;
      if (later)
        return TRUE;
    }
  return summary_usable (database, "roll", out_fits, error);
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
  gboolean fits = FALSE;

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
  acc.series = g_array_new (FALSE, FALSE, sizeof (RollSeries));
  g_array_set_clear_func (acc.series, roll_series_clear);

  ok = roll_summary_fits (database, filter, &fits, error);
  if (ok && fits)
    {
      /* a few thousand rows: the month pairs of each creditor and currency */
      query_init (&q, "SELECT r.currency, r.from_month, r.to_month, SUM(r.start_minor),"
                      " SUM(r.rolled_minor) FROM report_roll r WHERE 1 = 1");
      query_int (&q, " AND r.from_month < ?", acc.last);
      if (filter->from != NULL)
        query_int (&q, " AND r.from_month >= ?", month_number (filter->from));
      if (filter->creditor_id > 0)
        query_int (&q, " AND r.creditor_id = ?", filter->creditor_id);
      query_add (&q, " GROUP BY r.currency, r.from_month, r.to_month");
      ok = query_each (database, &q, read_roll_summary, &acc, error);
      query_clear (&q);
    }
  else if (ok)
    {
      /* each case's history in order (ties in the order written, as the triggers see it) */
      query_init (&q, "SELECT h.case_id, h.recorded_at, h.balance_minor, h.currency"
                      " FROM balance_history h WHERE 1 = 1");
      query_filter (&q, &period, "h.recorded_at", "h.case_id", NULL);
      query_add (&q, " ORDER BY h.case_id, h.recorded_at, h.id");
      ok = query_each (database, &q, read_roll, &acc, error);
      query_clear (&q);
      if (ok)
        roll_close_case (&acc);
    }
  if (ok)
    {
      g_array_sort (acc.series, compare_roll_series);
      for (guint s = 0; s < acc.series->len; s++)
        {
          const RollSeries *series = &g_array_index (acc.series, RollSeries, s);

          for (gint k = acc.first + 1; k <= acc.last; k++)
            {
              DdReportRollRow *row;

              if (series->start[k - acc.first] == 0)
                continue;   /* nothing was owed: no rate */
              row = g_new0 (DdReportRollRow, 1);
              row->month = g_strdup_printf ("%04d-%02d", k / 12, k % 12 + 1);
              g_strlcpy (row->currency, series->currency, sizeof row->currency);
              row->start_minor = series->start[k - acc.first];
              row->rolled_minor = series->rolled[k - acc.first];
              row->roll_rate = row->start_minor > 0
                               ? (double) row->rolled_minor / (double) row->start_minor : NAN;
              g_ptr_array_add (out, row);
            }
        }
    }
  g_array_unref (acc.series);
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
  DdReportAgeingBucket current = { 0, 0, 0, 0, "" };
  AgeingAcc acc;
  Query q;
  gboolean ok;
  gboolean summed = FALSE;
  guint prev = 0;

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  ageing->buckets = g_array_new (FALSE, TRUE, sizeof (DdReportAgeingBucket));
  ageing->roll = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_report_roll_row_free);
  g_array_append_val (ageing->buckets, current);
  for (guint i = 0; i < n_bounds; i++)
    {
      DdReportAgeingBucket b = { (gint) prev + 1, (gint) bounds[i], 0, 0, "" };

      if (bounds[i] <= prev && i > 0)
        continue;
      g_array_append_val (ageing->buckets, b);
      prev = bounds[i];
    }
  {
    DdReportAgeingBucket last = { (gint) prev + 1, G_MAXINT, 0, 0, "" };

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
  acc.n_buckets = ageing->buckets->len;

  if (filter->campaign_id <= 0 && !summary_usable (database, "ageing", &summed, error))
    return NULL;
  if (summed)
    {
      /* the open balance per due day, creditor and currency (024-report-summaries.sql) */
      query_init (&q, "SELECT a.due_on, SUM(a.cases), SUM(a.balance_minor), a.currency"
                      " FROM report_ageing a WHERE 1 = 1");
      if (filter->creditor_id > 0)
        query_int (&q, " AND a.creditor_id = ?", filter->creditor_id);
      query_add (&q, " GROUP BY a.due_on, a.currency HAVING SUM(a.cases) <> 0");
      ok = query_each (database, &q, read_ageing, &acc, error);
      query_clear (&q);
      if (!ok || !roll_rate (database, filter, ageing->roll, error))
        return NULL;
      return g_steal_pointer (&ageing);
    }

  /* grouped by due day: a few thousand rows over a million cases */
  query_init (&q, "SELECT c.oldest_due_on, COUNT(*), SUM(c.balance_minor), c.currency"
                  " FROM debt_case c"
                  " WHERE c.status <> 'closed' AND c.balance_minor > 0");
  query_filter (&q, &(DdReportFilter) { NULL, NULL, filter->creditor_id, 0 }, NULL, "c.id",
                NULL);
  if (filter->campaign_id > 0)
    query_int (&q, " AND (c.id IN (SELECT case_id FROM message WHERE campaign_id = ?)",
               filter->campaign_id);
  if (filter->campaign_id > 0)
    query_int (&q, " OR c.id IN (SELECT case_id FROM call_attempt WHERE campaign_id = ?))",
               filter->campaign_id);
  query_add (&q, " GROUP BY c.oldest_due_on, c.currency");
  ok = query_each (database, &q, read_ageing, &acc, error);
  query_clear (&q);
  if (!ok)
    return NULL;

  if (!roll_rate (database, filter, ageing->roll, error))
    return NULL;
  return g_steal_pointer (&ageing);
}

/* Work per consultant */

void
dd_report_work_row_free (DdReportWorkRow *row)
{
  if (row == NULL)
    return;
  g_free (row->name);
  g_free (row);
}

typedef struct
{
  GPtrArray  *rows;
  GHashTable *by_agent;   /* agent id → DdReportWorkRow */
} WorkAcc;

static DdReportWorkRow *
work_row (WorkAcc *acc,
          gint64   agent_id)
{
  DdReportWorkRow *row = g_hash_table_lookup (acc->by_agent, &agent_id);

  if (row == NULL)
    {
      row = g_new0 (DdReportWorkRow, 1);
      row->agent_id = agent_id;
      g_ptr_array_add (acc->rows, row);
      g_hash_table_insert (acc->by_agent, &row->agent_id, row);
    }
  return row;
}

/* Rows (agent, count, what): what is 0 for the cases touched, else a kind or "closed". */
static void
read_work (DdStatement *stmt,
           gpointer     user_data)
{
  DdReportWorkRow *row = work_row (user_data, dd_statement_get_int64 (stmt, 0));
  gint64 n = col_int (stmt, 1);
  const char *what = dd_statement_is_null (stmt, 2) ? NULL : dd_statement_get_text (stmt, 2);

  if (what == NULL || g_str_equal (what, "0"))
    row->cases_touched += n;
  else if (g_str_equal (what, "call"))
    row->calls += n;
  else if (g_str_equal (what, "declaration"))
    row->declarations += n;
  else if (g_str_equal (what, "status"))
    row->status_changes += n;
  else if (g_str_equal (what, "closed"))
    row->closed += n;
}

/* Rows (agent, cases touched, calls, declarations, status changes, closed). */
static void
read_work_sums (DdStatement *stmt,
                gpointer     user_data)
{
  DdReportWorkRow *row = work_row (user_data, dd_statement_get_int64 (stmt, 0));

  row->cases_touched += col_int (stmt, 1);
  row->calls += col_int (stmt, 2);
  row->declarations += col_int (stmt, 3);
  row->status_changes += col_int (stmt, 4);
  row->closed += col_int (stmt, 5);
}

static void
read_agent_name (DdStatement *stmt,
                 gpointer     user_data)
{
  WorkAcc *acc = user_data;
  gint64 id = dd_statement_get_int64 (stmt, 0);
  DdReportWorkRow *row = g_hash_table_lookup (acc->by_agent, &id);

  if (row != NULL && row->name == NULL)
    row->name = dd_statement_dup_text (stmt, 1);
}

static int
compare_work_rows (gconstpointer a,
                   gconstpointer b)
{
  const DdReportWorkRow *x = *(DdReportWorkRow **) a;
  const DdReportWorkRow *y = *(DdReportWorkRow **) b;
  int cmp = g_strcmp0 (x->name, y->name);

  return cmp != 0 ? cmp : (x->agent_id > y->agent_id) - (x->agent_id < y->agent_id);
}

/* One pass of the work report: @head, the filter's clauses, @tail; @func reads the rows. */
static gboolean
work_pass (DdDatabase            *database,
           const DdReportFilter  *filter,
           WorkAcc               *acc,
           const char            *head,
           const char            *tail,
           DdRowFunc              func,
           GError               **error)
{
  Query q;
  gboolean ok;

  query_init (&q, head);
  query_filter (&q, filter, "a.created_at", "a.case_id", NULL);
  if (filter->campaign_id > 0)
    query_int (&q, " AND a.case_id IN (SELECT case_id FROM call_attempt WHERE campaign_id = ?)",
               filter->campaign_id);
  query_add (&q, tail);
  ok = query_each (database, &q, func, acc, error);
  query_clear (&q);
  return ok;
}

/* Whether the work report of @filter can be summed by month from report_work_month and
 * report_work_kinds: no campaign, the period whole months (from the 1st of one to the last
 * day of another, either open). */
static gboolean
work_months_fit (const DdReportFilter *filter)
{
  g_autofree char *to_next = NULL;

  if (filter->campaign_id > 0 || !whole_days (filter->from) || !whole_days (filter->to))
    return FALSE;
  if (filter->from != NULL && strcmp (filter->from + 8, "01") != 0)
    return FALSE;
  if (filter->to == NULL)
    return TRUE;
  to_next = next_day (filter->to);
  return strcmp (to_next + 8, "01") == 0;
}

/* The work of whole months: each consultant's cases counted in the months of the period under
 * a month touched before it (so once each), and the kinds of their activities. */
static gboolean
work_months (DdDatabase            *database,
             const DdReportFilter  *filter,
             WorkAcc               *acc,
             GError               **error)
{
  g_autofree char *first = g_strndup (filter->from != NULL ? filter->from : "0000-00", 7);
  g_autofree char *last = g_strndup (filter->to != NULL ? filter->to : "9999-99", 7);
  GPtrArray *rows = acc->rows;

  gboolean any = filter->creditor_id <= 0;

  /* (creditor_id = ? OR ?: every creditor) */
  if (!dd_database_query_each (database, read_work, acc, error,
                               "SELECT w.agent_id, SUM(w.cases), '0' FROM report_work_month w"
                               " WHERE w.month >= ? AND w.month <= ? AND w.prev_month < ?"
                               " AND (w.creditor_id = ? OR ? <> 0) GROUP BY w.agent_id",
                               DD_TEXT (first), DD_TEXT (last), DD_TEXT (first),
                               DD_INT (filter->creditor_id), DD_INT (any), DD_END) ||
      !dd_database_query_each (database, read_work_sums, acc, error,
                               "SELECT k.agent_id, 0, SUM(k.calls), SUM(k.declarations),"
                               " SUM(k.status_changes), SUM(k.closed) FROM report_work_kinds k"
                               " WHERE k.month >= ? AND k.month <= ?"
                               " AND (k.creditor_id = ? OR ? <> 0) GROUP BY k.agent_id",
                               DD_TEXT (first), DD_TEXT (last), DD_INT (filter->creditor_id),
                               DD_INT (any), DD_END))
    return FALSE;
  /* as counted from the activities: a consultant with none in the period has no row */
  for (guint i = rows->len; i > 0; i--)
    {
      DdReportWorkRow *row = g_ptr_array_index (rows, i - 1);

      if (row->cases_touched == 0)
        {
          g_hash_table_remove (acc->by_agent, &row->agent_id);
          g_ptr_array_remove_index_fast (rows, i - 1);
        }
    }
  return TRUE;
}

GPtrArray *
dd_report_work (DdDatabase            *database,
                const DdReportFilter  *filter,
                GError               **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               dd_report_work_row_free);
  g_autoptr(GHashTable) by_agent = g_hash_table_new (g_int64_hash, g_int64_equal);
  WorkAcc acc = { rows, by_agent };
  gboolean ok;
  gboolean all = filter->from == NULL && filter->to == NULL && filter->creditor_id <= 0 &&
                 filter->campaign_id <= 0;
  gboolean summed = FALSE;
  gboolean months = FALSE;

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  if (all && !summary_usable (database, "work", &summed, error))
    return NULL;
  /* whole months, or all time when report_work no longer holds (an activity changed or
   * deleted: the months follow that) */
  if (!summed && work_months_fit (filter) &&
      !summary_usable (database, "work_month", &months, error))
    return NULL;
  if (months)
    {
      /* whole months: summed from the tables of 026-report-campaign-work.sql */
      ok = work_months (database, filter, &acc, error);
    }
  else if (summed)
    {
      /* all time: a row per consultant, kept by the triggers of 024-report-summaries.sql */
      ok = dd_database_query_each (database, read_work_sums, &acc, error,
                                   "SELECT agent_id, cases, calls, declarations,"
                                   " status_changes, closed FROM report_work", DD_END);
    }
  else if (!all)
    {
      /* a part of the activities: one pass on the activity_agent index's time range */
      ok = work_pass (database, filter, &acc,
                      "SELECT a.agent_id, COUNT(DISTINCT a.case_id),"
                      " SUM(CASE WHEN a.kind = 'call' THEN 1 ELSE 0 END),"
                      " SUM(CASE WHEN a.kind = 'declaration' THEN 1 ELSE 0 END),"
                      " SUM(CASE WHEN a.kind = 'status' THEN 1 ELSE 0 END),"
                      " SUM(CASE WHEN a.kind = 'status' AND (a.refs LIKE '%\"to\":\"closed\"%'"
                      "  OR a.refs LIKE '%\"to\": \"closed\"%') THEN 1 ELSE 0 END)"
                      " FROM activity a WHERE a.agent_id IS NOT NULL", " GROUP BY a.agent_id",
                      read_work_sums, error);
    }
  else
    {
      /* all of them: three passes over the covering indexes of 013 and 022 (the distinct
       * cases of a consultant stream in (agent, case) order, no temporary B-tree; the counts
       * per kind are a few groups); the names joined to the few rows after */
      ok = work_pass (database, filter, &acc,
                      "SELECT d.agent_id, COUNT(*), 0 FROM (SELECT DISTINCT a.agent_id, a.case_id"
                      " FROM activity a WHERE a.agent_id IS NOT NULL", ") d GROUP BY d.agent_id",
                      read_work, error) &&
           work_pass (database, filter, &acc,
                      "SELECT a.agent_id, COUNT(*), a.kind FROM activity a"
                      " WHERE a.agent_id IS NOT NULL"
                      " AND a.kind IN ('call', 'declaration', 'status')",
                      " GROUP BY a.agent_id, a.kind", read_work, error) &&
           work_pass (database, filter, &acc,
                      "SELECT a.agent_id, COUNT(*), 'closed' FROM activity a"
                      " WHERE a.agent_id IS NOT NULL AND a.kind = 'status'"
                      " AND (a.refs LIKE '%\"to\":\"closed\"%'"
                      " OR a.refs LIKE '%\"to\": \"closed\"%')",
                      " GROUP BY a.agent_id", read_work, error);
    }
  ok = ok && dd_database_query_each (database, read_agent_name, &acc, error,
                                     "SELECT id, name FROM agent", DD_END);
  if (!ok)
    return NULL;
  /* as a join would: no row for an agent who is not there any more */
  for (guint i = rows->len; i > 0; i--)
    if (((DdReportWorkRow *) g_ptr_array_index (rows, i - 1))->name == NULL)
      g_ptr_array_remove_index_fast (rows, i - 1);
  g_ptr_array_sort (rows, compare_work_rows);
  return g_steal_pointer (&rows);
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
