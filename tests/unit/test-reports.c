/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reports (issue 16) against a generated office whose counts are known: an SMS campaign
 * to 100 cases with a hold-out group of 100 (60 % of the contacted paid within 30 days, 30 %
 * of the held out), a voice campaign to 10 cases of another creditor, declarations, ageing
 * buckets of 40 cases each, a month's roll rate and two consultants' work. */
#include "config.h"

#include "dd-campaign-audience.h"
#include "dd-core-resources.h"
#include "dd-pg-database.h"
#include "dd-report-table.h"
#include "dd-reports.h"
#include "dd-test-db.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char office_sql[] =
  "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Alfa', 'x'), (2, 'Beta', 'x');"
  "INSERT INTO agent (id, name, created_at) VALUES (1, 'Anna', 'x'), (2, 'Marek', 'x');"
  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 210)"
  " INSERT INTO debtor (id, dedup_key, name, created_at, updated_at)"
  " SELECT i, 'k' || i, 'Debtor ' || i, 'x', 'x' FROM n;"
  "INSERT INTO debt_case (id, debtor_id, creditor_id, status, balance_minor, currency,"
  " oldest_due_on, created_at, updated_at)"
  " SELECT id, id, CASE WHEN id > 200 THEN 2 ELSE 1 END,"
  "  CASE WHEN id > 200 THEN 'closed' ELSE 'new' END, 10000, 'PLN',"
  "  CASE id % 5 WHEN 0 THEN '2026-12-10' WHEN 1 THEN '2026-11-20' WHEN 2 THEN '2026-10-15'"
  "   WHEN 3 THEN '2026-09-15' ELSE '2026-06-01' END, 'x', 'x' FROM debtor;"
  "INSERT INTO campaign (id, name, kind, created_at, updated_at) VALUES"
  " (1, 'November SMS', 'sms', 'x', 'x'), (2, 'November calls', 'voice', 'x', 'x'),"
  " (3, 'Nothing yet', 'sms', 'x', 'x');"
  "INSERT INTO message (campaign_id, case_id, e164, idempotency_key, body, state, cost_minor,"
  " cost_currency, replies, created_at, updated_at, sent_at)"
  " SELECT 1, id, '+4860000' || id, 'm' || id, 'Pay',"
  "  CASE WHEN id <= 80 THEN 'delivered' WHEN id <= 90 THEN 'sent' ELSE 'failed' END,"
  "  7, 'PLN', CASE WHEN id <= 5 THEN 1 ELSE 0 END, '2026-11-02T09:00:00Z', 'x',"
  "  '2026-11-02T09:00:00Z' FROM debt_case WHERE id <= 100;"
  "INSERT INTO sms_reply (provider, provider_id, e164, body, received_at, case_id, opt_out)"
  " VALUES ('t', 'r1', '+486000001', 'STOP', '2026-11-02T10:00:00Z', 1, 1),"
  " ('t', 'r2', '+486000002', 'STOP', '2026-11-02T10:00:00Z', 2, 1),"
  " ('t', 'r3', '+486000003', 'ok', '2026-11-02T10:00:00Z', 3, 0);"
  "INSERT INTO campaign_holdout (campaign_id, case_id, held_at)"
  " SELECT 1, id, '2026-11-02T09:00:00Z' FROM debt_case WHERE id BETWEEN 101 AND 200;"
  "INSERT INTO payment (case_id, amount_minor, currency, paid_on, source, created_at)"
  " SELECT id, CASE WHEN id <= 30 THEN 1000 WHEN id <= 50 THEN 2000 ELSE 3000 END, 'PLN',"
  "  CASE WHEN id <= 30 THEN '2026-11-03' WHEN id <= 50 THEN '2026-11-08'"
  "   ELSE '2026-11-25' END, 'test', 'x' FROM debt_case WHERE id <= 60;"
  "INSERT INTO payment (case_id, amount_minor, currency, paid_on, source, created_at)"
  " SELECT id, 500, 'PLN', CASE WHEN id <= 110 THEN '2026-11-03' WHEN id <= 120"
  "  THEN '2026-11-07' WHEN id <= 130 THEN '2026-11-30' ELSE '2026-12-15' END, 'test', 'x'"
  "  FROM debt_case WHERE id BETWEEN 101 AND 135;"
  "INSERT INTO payment (case_id, amount_minor, currency, paid_on, source, created_at)"
  " VALUES (61, 999, 'PLN', '2026-10-01', 'before the contact', 'x');"
  "INSERT INTO declaration (id, case_id, amount_minor, currency, promised_on, channel, state,"
  " agent_id, created_at) VALUES"
  " (1, 201, 5000, 'PLN', '2026-11-20', 'ivr', 'kept', NULL, '2026-11-05T10:01:00Z'),"
  " (2, 202, 7000, 'PLN', '2026-11-20', 'ivr', 'pending', NULL, '2026-11-05T10:01:00Z'),"
  " (3, 1, 1000, 'PLN', '2026-11-20', 'agent', 'kept', 1, '2026-11-06T10:00:00Z'),"
  " (4, 2, 2000, 'PLN', '2026-11-20', 'agent', 'broken', 1, '2026-11-06T10:00:00Z'),"
  " (5, 3, 3000, 'PLN', '2026-11-20', 'agent', 'pending', 1, '2026-11-06T10:00:00Z'),"
  " (6, 4, 9000, 'PLN', '2026-09-20', 'agent', 'broken', 1, '2026-09-06T10:00:00Z');"
  "INSERT INTO call_attempt (campaign_id, case_id, started_at, state, answered_by,"
  " heard_to_end, keys, transfer, declaration_id)"
  " SELECT 2, id, '2026-11-05T10:00:00Z', 'completed',"
  "  CASE WHEN id <= 206 THEN 'person' WHEN id <= 208 THEN 'machine' ELSE NULL END,"
  "  CASE WHEN id <= 204 THEN 1 ELSE 0 END,"
  "  CASE id WHEN 201 THEN '1' WHEN 202 THEN '1' WHEN 203 THEN '1' WHEN 204 THEN '1,2'"
  "   WHEN 205 THEN '2#' ELSE NULL END,"
  "  CASE WHEN id IN (203, 204) THEN 'queue' ELSE NULL END,"
  "  CASE id WHEN 201 THEN 1 WHEN 202 THEN 2 ELSE NULL END"
  " FROM debt_case WHERE id > 200;"
  "INSERT INTO balance_history (case_id, balance_minor, currency, reason, recorded_at) VALUES"
  " (1, 10000, 'PLN', 'import', '2026-09-10T00:00:00Z'),"
  " (2, 20000, 'PLN', 'import', '2026-09-10T00:00:00Z'),"
  " (1, 0, 'PLN', 'payment', '2026-10-20T00:00:00Z');"
  "INSERT INTO activity (case_id, kind, refs, agent_id, created_at) VALUES"
  " (1, 'call', NULL, 1, '2026-11-03T10:00:00Z'), (1, 'call', NULL, 1, '2026-11-04T10:00:00Z'),"
  " (2, 'declaration', NULL, 1, '2026-11-06T10:00:00Z'),"
  " (3, 'status', '{\"from\":\"new\",\"to\":\"closed\"}', 1, '2026-11-07T10:00:00Z'),"
  " (4, 'status', '{\"from\":\"new\",\"to\":\"call-later\"}', 1, '2026-11-07T10:00:00Z'),"
  " (5, 'call', NULL, 2, '2026-11-10T10:00:00Z'), (6, 'call', NULL, 2, '2026-10-15T10:00:00Z'),"
  " (7, 'sms', NULL, NULL, '2026-11-10T10:00:00Z');"
  "INSERT INTO ladder_run (case_id, step, offset_days, channel, state, day, lead_case_id,"
  " claimed_at) SELECT id, CASE WHEN id <= 10 THEN 1 ELSE 2 END,"
  "  CASE WHEN id <= 10 THEN 0 ELSE 3 END, CASE WHEN id <= 10 THEN 'sms' ELSE 'voice' END,"
  "  'done', '2026-11-02', id, 'x' FROM debt_case WHERE id <= 20;";

typedef struct
{
  char       *dir;
  DdDatabase *db;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("dd-test-reports-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "office.db", NULL);
  f->db = dd_test_database_open (path, &error);
  g_assert_no_error (error);
  if (data == NULL)
    {
      g_assert_true (dd_database_exec (f->db, office_sql, &error));
      g_assert_no_error (error);
    }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_assert_finalize_object (f->db);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

static const DdReportCampaignRow *
find_campaign (GPtrArray *rows,
               gint64     id,
               gint       step)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const DdReportCampaignRow *r = g_ptr_array_index (rows, i);

      if (r->ladder_step == step && (step >= 0 || r->campaign_id == id))
        return r;
    }
  return NULL;
}

/* The declarations of @r in @currency (0 when none), the count in @n. */
static gint64
declared_in (const DdReportCampaignRow *r,
             const char                *currency,
             gint64                    *n)
{
  *n = 0;
  for (guint i = 0; r->declared != NULL && i < r->declared->len; i++)
    {
      const DdReportDeclared *d = &g_array_index (r->declared, DdReportDeclared, i);

      if (g_str_equal (d->currency, currency))
        {
          *n = d->declarations;
          return d->minor;
        }
    }
  return 0;
}

/* The SMS cost of @r in @currency (0 when none), the messages billed in @n. */
static gint64
cost_in (const DdReportCampaignRow *r,
         const char                *currency,
         gint64                    *n)
{
  *n = 0;
  for (guint i = 0; r->costs != NULL && i < r->costs->len; i++)
    {
      const DdReportCost *c = &g_array_index (r->costs, DdReportCost, i);

      if (g_str_equal (c->currency, currency))
        {
          *n = c->billed;
          return c->minor;
        }
    }
  return 0;
}

static void
test_campaigns (Fixture       *f,
                gconstpointer  data)
{
  static const struct
  {
    DdReportFilter filter;
    gint64         id;
    gint           step;
    gint64         sent, delivered, failed, replies, opt_outs, cost;
    gint64         calls, person, heard, key1, key2, hash, transfers, decls, declared;
  } cases[] = {
    { { NULL, NULL, 0, 0 }, 1, -1, 100, 80, 10, 5, 2, 700, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
    { { NULL, NULL, 0, 0 }, 2, -1, 0, 0, 0, 0, 0, 0, 10, 6, 4, 4, 2, 1, 2, 2, 12000 },
    { { NULL, NULL, 0, 0 }, 3, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
    { { NULL, NULL, 0, 0 }, 0, 0, 10, 10, 0, 5, 2, 70, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
    { { NULL, NULL, 0, 0 }, 0, 3, 10, 10, 0, 0, 0, 70, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
    /* a period without the SMS, the calls in it */
    { { (char *) "2026-11-03", (char *) "2026-11-30", 0, 0 }, 1, -1, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0 },
    { { (char *) "2026-11-03", (char *) "2026-11-30", 0, 0 }, 2, -1, 0, 0, 0, 0, 0, 0,
      10, 6, 4, 4, 2, 1, 2, 2, 12000 },
    /* the day of the SMS itself is inside a period that ends on it */
    { { (char *) "2026-11-01", (char *) "2026-11-02", 0, 0 }, 1, -1, 100, 80, 10, 5, 2, 700,
      0, 0, 0, 0, 0, 0, 0, 0, 0 },
    /* creditor 2 received the calls only */
    { { NULL, NULL, 2, 0 }, 1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
    { { NULL, NULL, 2, 0 }, 2, -1, 0, 0, 0, 0, 0, 0, 10, 6, 4, 4, 2, 1, 2, 2, 12000 },
    { { NULL, NULL, 0, 2 }, 2, -1, 0, 0, 0, 0, 0, 0, 10, 6, 4, 4, 2, 1, 2, 2, 12000 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = dd_report_campaigns (f->db, &cases[i].filter, &error);
      const DdReportCampaignRow *r;
      gint64 n_pln, billed;

      g_test_message ("case %u", i);
      g_assert_no_error (error);
      g_assert_nonnull (rows);
      r = find_campaign (rows, cases[i].id, cases[i].step);
      g_assert_nonnull (r);
      g_assert_cmpint (r->sms_sent, ==, cases[i].sent);
      g_assert_cmpint (r->sms_delivered, ==, cases[i].delivered);
      g_assert_cmpint (r->sms_failed, ==, cases[i].failed);
      g_assert_cmpint (r->replies, ==, cases[i].replies);
      g_assert_cmpint (r->opt_outs, ==, cases[i].opt_outs);
      g_assert_cmpint (cost_in (r, "PLN", &billed), ==, cases[i].cost);
      g_assert_cmpint (billed, ==, cases[i].cost / 7);
      g_assert_cmpuint (r->costs != NULL ? r->costs->len : 0, ==, cases[i].cost > 0);
      g_assert_cmpint (r->calls_attempted, ==, cases[i].calls);
      g_assert_cmpint (r->calls_answered_person, ==, cases[i].person);
      g_assert_cmpint (r->calls_heard_to_end, ==, cases[i].heard);
      g_assert_cmpint (r->keys[1], ==, cases[i].key1);
      g_assert_cmpint (r->keys[2], ==, cases[i].key2);
      g_assert_cmpint (r->keys[11], ==, cases[i].hash);
      g_assert_cmpint (r->transfers, ==, cases[i].transfers);
      g_assert_cmpint (r->declarations, ==, cases[i].decls);
      g_assert_cmpint (declared_in (r, "PLN", &n_pln), ==, cases[i].declared);
      g_assert_cmpint (n_pln, ==, cases[i].decls);
      g_assert_cmpuint (r->declared != NULL ? r->declared->len : 0, ==, cases[i].decls > 0);
      if (cases[i].filter.campaign_id > 0)
        g_assert_null (find_campaign (rows, 1, -1));
    }
  g_assert_cmpint (dd_report_key_char (11), ==, '#');
}

static void
test_effect (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DdReportFilter filter = { NULL, NULL, 0, 1 };
  DdReportEffect e;

  g_assert_true (dd_report_effect (f->db, &filter, &e, &error));
  g_assert_no_error (error);
  g_assert_true (e.payments_imported);
  g_assert_cmpint (e.contacted.n, ==, 100);
  g_assert_cmpint (e.held_out.n, ==, 100);
  g_assert_cmpint (e.contacted.paid[DD_REPORT_WINDOW_48H], ==, 30);
  g_assert_cmpint (e.contacted.paid[DD_REPORT_WINDOW_7D], ==, 50);
  g_assert_cmpint (e.contacted.paid[DD_REPORT_WINDOW_30D], ==, 60);
  g_assert_cmpint (e.held_out.paid[DD_REPORT_WINDOW_48H], ==, 10);
  g_assert_cmpint (e.held_out.paid[DD_REPORT_WINDOW_7D], ==, 20);
  g_assert_cmpint (e.held_out.paid[DD_REPORT_WINDOW_30D], ==, 30);
  g_assert_cmpint (e.contacted.amount_minor[DD_REPORT_WINDOW_48H], ==, 30000);
  g_assert_cmpint (e.contacted.amount_minor[DD_REPORT_WINDOW_7D], ==, 70000);
  g_assert_cmpint (e.contacted.amount_minor[DD_REPORT_WINDOW_30D], ==, 100000);
  g_assert_cmpint (e.held_out.amount_minor[DD_REPORT_WINDOW_30D], ==, 15000);
  g_assert_cmpfloat_with_epsilon (e.difference[DD_REPORT_WINDOW_30D], 0.30, 1e-9);
  /* sqrt(.6 × .4 / 100 + .3 × .7 / 100) × 1.96 = 0.13148 */
  g_assert_cmpfloat_with_epsilon (e.ci_low[DD_REPORT_WINDOW_30D], 0.16852, 1e-4);
  g_assert_cmpfloat_with_epsilon (e.ci_high[DD_REPORT_WINDOW_30D], 0.43148, 1e-4);
  g_assert_cmpfloat_with_epsilon (e.difference[DD_REPORT_WINDOW_48H], 0.20, 1e-9);

  /* all campaigns: the 10 called cases join the contacted, none of them paid */
  filter.campaign_id = 0;
  g_assert_true (dd_report_effect (f->db, &filter, &e, &error));
  g_assert_cmpint (e.contacted.n, ==, 110);
  g_assert_cmpint (e.contacted.paid[DD_REPORT_WINDOW_30D], ==, 60);

  /* creditor 2: no hold-out group, so no difference */
  filter.creditor_id = 2;
  g_assert_true (dd_report_effect (f->db, &filter, &e, &error));
  g_assert_cmpint (e.contacted.n, ==, 10);
  g_assert_cmpint (e.held_out.n, ==, 0);
  g_assert_true (isnan (e.difference[DD_REPORT_WINDOW_30D]));

  /* without payments the report says so */
  g_assert_true (dd_database_exec (f->db, "DELETE FROM payment", &error));
  g_assert_true (dd_report_effect (f->db, &filter, &e, &error));
  g_assert_false (e.payments_imported);
}

static void
test_promises (Fixture       *f,
               gconstpointer  data)
{
  static const struct
  {
    DdReportFilter filter;
    const char    *channel;
    gint64         made, kept, broken, pending, made_minor, kept_minor, broken_minor;
    guint          n_rows;
  } cases[] = {
    { { NULL, NULL, 0, 0 }, "agent", 4, 1, 2, 1, 15000, 1000, 11000, 2 },
    { { (char *) "2026-11-01", NULL, 0, 0 }, "agent", 3, 1, 1, 1, 6000, 1000, 2000, 2 },
    { { NULL, NULL, 0, 0 }, "ivr", 2, 1, 0, 1, 12000, 5000, 0, 2 },
    { { NULL, NULL, 0, 2 }, "ivr", 2, 1, 0, 1, 12000, 5000, 0, 1 },
    { { NULL, NULL, 2, 0 }, "ivr", 2, 1, 0, 1, 12000, 5000, 0, 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = dd_report_promises (f->db, &cases[i].filter, &error);
      const DdReportPromiseRow *r = NULL;

      g_test_message ("case %u", i);
      g_assert_no_error (error);
      g_assert_cmpuint (rows->len, ==, cases[i].n_rows);
      for (guint k = 0; k < rows->len; k++)
        if (g_str_equal (((DdReportPromiseRow *) g_ptr_array_index (rows, k))->channel,
                         cases[i].channel))
          r = g_ptr_array_index (rows, k);
      g_assert_nonnull (r);
      g_assert_cmpint (r->made, ==, cases[i].made);
      g_assert_cmpint (r->kept, ==, cases[i].kept);
      g_assert_cmpint (r->broken, ==, cases[i].broken);
      g_assert_cmpint (r->pending, ==, cases[i].pending);
      g_assert_cmpint (r->made_minor, ==, cases[i].made_minor);
      g_assert_cmpint (r->kept_minor, ==, cases[i].kept_minor);
      g_assert_cmpint (r->broken_minor, ==, cases[i].broken_minor);
    }
}

static void
test_ageing (Fixture       *f,
             gconstpointer  data)
{
  static const guint bounds[] = { 30, 60, 90 };
  g_autoptr(GError) error = NULL;
  DdReportFilter filter = { (char *) "2026-09-01", (char *) "2026-11-30", 0, 0 };
  g_autoptr(DdReportAgeing) ageing = NULL;
  const DdReportRollRow *roll;

  ageing = dd_report_ageing (f->db, &filter, bounds, G_N_ELEMENTS (bounds), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ageing->buckets->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      const DdReportAgeingBucket *b = &g_array_index (ageing->buckets, DdReportAgeingBucket, i);

      g_assert_cmpint (b->cases, ==, 40);
      g_assert_cmpint (b->balance_minor, ==, 400000);
    }
  g_assert_cmpint (g_array_index (ageing->buckets, DdReportAgeingBucket, 1).min_days, ==, 1);
  g_assert_cmpint (g_array_index (ageing->buckets, DdReportAgeingBucket, 1).max_days, ==, 30);
  g_assert_cmpint (g_array_index (ageing->buckets, DdReportAgeingBucket, 4).min_days, ==, 91);
  g_assert_cmpuint (ageing->roll->len, ==, 1);
  roll = g_ptr_array_index (ageing->roll, 0);
  g_assert_cmpstr (roll->month, ==, "2026-10");
  g_assert_cmpint (roll->start_minor, ==, 30000);
  g_assert_cmpint (roll->rolled_minor, ==, 20000);
  g_assert_cmpfloat_with_epsilon (roll->roll_rate, 2.0 / 3.0, 1e-9);
  g_clear_pointer (&ageing, dd_report_ageing_free);

  /* creditor 2's cases are closed: nothing is ageing */
  filter.creditor_id = 2;
  ageing = dd_report_ageing (f->db, &filter, bounds, G_N_ELEMENTS (bounds), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < ageing->buckets->len; i++)
    g_assert_cmpint (g_array_index (ageing->buckets, DdReportAgeingBucket, i).cases, ==, 0);
  g_assert_cmpuint (ageing->roll->len, ==, 0);
}

static void
test_work (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DdReportFilter filter = { (char *) "2026-11-01", (char *) "2026-11-30", 0, 0 };
  g_autoptr(GPtrArray) rows = dd_report_work (f->db, &filter, &error);
  const DdReportWorkRow *anna, *marek;

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  anna = g_ptr_array_index (rows, 0);
  marek = g_ptr_array_index (rows, 1);
  g_assert_cmpstr (anna->name, ==, "Anna");
  g_assert_cmpint (anna->cases_touched, ==, 4);
  g_assert_cmpint (anna->calls, ==, 2);
  g_assert_cmpint (anna->declarations, ==, 1);
  g_assert_cmpint (anna->status_changes, ==, 2);
  g_assert_cmpint (anna->closed, ==, 1);
  g_assert_cmpstr (marek->name, ==, "Marek");
  g_assert_cmpint (marek->cases_touched, ==, 1);
  g_assert_cmpint (marek->calls, ==, 1);
}

static void
test_hold_out (Fixture       *f,
               gconstpointer  data)
{
  static const struct { guint n, percent, held; } cases[] = {
    { 200, 5, 10 }, { 200, 0, 0 }, { 10, 5, 1 }, { 9, 5, 0 }, { 100, 50, 50 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GRand) rand = g_rand_new_with_seed (42 + i);
      gint64 held = 0;

      g_assert_true (dd_database_execute (f->db, &error, "DELETE FROM campaign_holdout",
                                          DD_END));
      for (gint64 k = 1; k <= cases[i].n; k++)
        g_array_append_val (ids, k);
      g_assert_true (dd_report_hold_out (f->db, 3, cases[i].percent, ids, rand, &error));
      g_assert_no_error (error);
      g_assert_true (dd_database_fetch_int64 (f->db, &held, NULL, &error,
                                              "SELECT COUNT(*) FROM campaign_holdout"
                                              " WHERE campaign_id = 3", DD_END));
      g_assert_cmpint (held, ==, cases[i].held);
      g_assert_cmpuint (ids->len, ==, cases[i].n - cases[i].held);
      /* none of the rest is held out, and they stay in order */
      for (guint k = 0; k < ids->len; k++)
        {
          gboolean exists = TRUE;

          g_assert_true (dd_database_exists (f->db, &exists, &error,
                                             "SELECT 1 FROM campaign_holdout WHERE case_id = ?",
                                             DD_INT (g_array_index (ids, gint64, k)), DD_END));
          g_assert_false (exists);
          if (k > 0)
            g_assert_cmpint (g_array_index (ids, gint64, k), >,
                             g_array_index (ids, gint64, k - 1));
        }
    }
}

/* Several numbers of one case are held out together; the campaign keeps its percentage. */
static void
test_hold_out_recipients (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                     dd_recipient_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GHashTable) cases = g_hash_table_new (g_int64_hash, g_int64_equal);
  gint64 held = 0, percent = 0;

  for (gint64 c = 1; c <= 40; c++)
    for (guint k = 0; k < 2; k++)
      {
        DdRecipient *r = g_new0 (DdRecipient, 1);

        r->case_id = c;
        r->e164 = g_strdup_printf ("+486000%02" G_GINT64_FORMAT "%u", c, k);
        g_ptr_array_add (recipients, r);
      }
  g_assert_true (dd_report_hold_out_recipients (f->db, 3, 25, recipients, rand, &error));
  g_assert_no_error (error);
  g_assert_true (dd_database_fetch_int64 (f->db, &held, NULL, &error,
                                          "SELECT COUNT(*) FROM campaign_holdout"
                                          " WHERE campaign_id = 3", DD_END));
  g_assert_cmpint (held, ==, 10);
  g_assert_cmpuint (recipients->len, ==, 60);
  for (guint i = 0; i < recipients->len; i++)
    {
      DdRecipient *r = g_ptr_array_index (recipients, i);
      gboolean exists = TRUE;

      g_hash_table_add (cases, &r->case_id);
      g_assert_true (dd_database_exists (f->db, &exists, &error,
                                         "SELECT 1 FROM campaign_holdout WHERE case_id = ?",
                                         DD_INT (r->case_id), DD_END));
      g_assert_false (exists);
    }
  g_assert_cmpuint (g_hash_table_size (cases), ==, 30);
  g_assert_true (dd_database_fetch_int64 (f->db, &percent, NULL, &error,
                                          "SELECT holdout_percent FROM campaign WHERE id = 3",
                                          DD_END));
  g_assert_cmpint (percent, ==, 25);
}

/* An office with PLN and EUR cases: every amount stays in its currency (one row or bucket
 * set per currency), nothing adds the two up, and the tables and CSV say which is which. */
static void
test_currencies (Fixture       *f,
                 gconstpointer  data)
{
  static const guint bounds[] = { 30, 60, 90 };
  g_autoptr(GError) error = NULL;
  DdReportFilter filter = { (char *) "2026-09-01", (char *) "2026-11-30", 0, 0 };
  g_autoptr(DdReportAgeing) ageing = NULL;
  g_autoptr(GPtrArray) promises = NULL;
  g_autoptr(GPtrArray) campaigns = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *shown = NULL;
  DdReportEffect e;
  gint64 eur_cases = 0, pln_cases = 0;

  /* cases 1–20 (4 in each bucket, 8 of them contacted and paying) owe euros */
  g_assert_true (dd_database_exec (f->db,
    "UPDATE debt_case SET currency = 'EUR', balance_minor = 2500 WHERE id <= 20;"
    "UPDATE payment SET currency = 'EUR' WHERE case_id <= 20;"
    "UPDATE declaration SET currency = 'EUR' WHERE id IN (2, 4);"
    "UPDATE balance_history SET currency = 'EUR' WHERE case_id <= 20;"
    "INSERT INTO balance_history (case_id, balance_minor, currency, reason, recorded_at)"
    " VALUES (30, 5000, 'PLN', 'import', '2026-09-10T00:00:00Z'),"
    " (30, 5000, 'PLN', 'reminder', '2026-10-25T00:00:00Z');", &error));
  g_assert_no_error (error);

  /* the voice campaign's two declarations: 70.00 EUR and 50.00 PLN, each in its own row */
  campaigns = dd_report_campaigns (f->db, &(DdReportFilter) { NULL, NULL, 0, 2 }, &error);
  g_assert_no_error (error);
  {
    const DdReportCampaignRow *voice = find_campaign (campaigns, 2, -1);
    gint64 n = 0;

    g_assert_nonnull (voice);
    g_assert_cmpint (voice->declarations, ==, 2);
    g_assert_cmpuint (voice->declared->len, ==, 2);
    g_assert_cmpint (declared_in (voice, "EUR", &n), ==, 7000);
    g_assert_cmpint (n, ==, 1);
    g_assert_cmpint (declared_in (voice, "PLN", &n), ==, 5000);
    g_assert_cmpint (n, ==, 1);
    g_assert_cmpstr (g_array_index (voice->declared, DdReportDeclared, 0).currency, ==, "EUR");
  }
  tables = dd_report_campaigns_tables (campaigns);
  csv = dd_report_tables_to_csv (tables);
  g_assert_nonnull (strstr (csv, "\r\n# declared\r\n"
                                 "campaign_id,campaign,ladder_step,declarations,declared,currency"
                                 "\r\n2,November calls,,1,70.00,EUR\r\n"
                                 "2,November calls,,1,50.00,PLN\r\n"));
  g_clear_pointer (&tables, g_ptr_array_unref);
  g_clear_pointer (&csv, g_free);

  ageing = dd_report_ageing (f->db, &filter, bounds, G_N_ELEMENTS (bounds), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ageing->buckets->len, ==, 10);   /* EUR's five, then PLN's */
  for (guint i = 0; i < 10; i++)
    {
      const DdReportAgeingBucket *b = &g_array_index (ageing->buckets, DdReportAgeingBucket, i);

      g_assert_cmpstr (b->currency, ==, i < 5 ? "EUR" : "PLN");
      g_assert_cmpint (b->min_days, ==, g_array_index (ageing->buckets, DdReportAgeingBucket,
                                                       i % 5).min_days);
      g_assert_cmpint (b->cases, ==, i < 5 ? 4 : 36);
      g_assert_cmpint (b->balance_minor, ==, i < 5 ? 4 * 2500 : 36 * 10000);
      if (i < 5)
        eur_cases += b->cases;
      else
        pln_cases += b->cases;
    }
  g_assert_cmpint (eur_cases, ==, 20);
  g_assert_cmpint (pln_cases, ==, 180);
  tables = dd_report_ageing_tables (ageing);
  shown = dd_report_cell_format (dd_report_table_cell (g_ptr_array_index (tables, 0), 0, 2));
  g_assert_cmpstr (shown, ==, "100.00\u00a0EUR");
  csv = dd_report_tables_to_csv (tables);
  g_assert_nonnull (strstr (csv, "bucket,cases,balance,currency\r\ncurrent,4,100.00,EUR\r\n"));
  g_assert_nonnull (strstr (csv, "\r\ncurrent,36,3600.00,PLN\r\n"));
  /* the roll rate per currency: cases 1 and 2 owed 300.00 EUR at the end of September, 200.00
   * of it still at the end of October; case 30 owed 50.00 PLN and still does */
  g_assert_cmpuint (ageing->roll->len, ==, 2);
  {
    const DdReportRollRow *eur = g_ptr_array_index (ageing->roll, 0);
    const DdReportRollRow *pln = g_ptr_array_index (ageing->roll, 1);

    g_assert_cmpstr (eur->month, ==, "2026-10");
    g_assert_cmpstr (eur->currency, ==, "EUR");
    g_assert_cmpint (eur->start_minor, ==, 30000);
    g_assert_cmpint (eur->rolled_minor, ==, 20000);
    g_assert_cmpstr (pln->month, ==, "2026-10");
    g_assert_cmpstr (pln->currency, ==, "PLN");
    g_assert_cmpint (pln->start_minor, ==, 5000);
    g_assert_cmpint (pln->rolled_minor, ==, 5000);
    g_assert_cmpfloat_with_epsilon (pln->roll_rate, 1.0, 1e-9);
  }
  g_assert_nonnull (strstr (csv, "month,overdue_before,still_unpaid,roll_rate,currency\r\n"
                                 "2026-10,300.00,200.00,0.6667,EUR\r\n"
                                 "2026-10,50.00,50.00,1.0000,PLN\r\n"));
  g_clear_pointer (&tables, g_ptr_array_unref);
  g_clear_pointer (&csv, g_free);

  /* the agent's declarations of November: EUR 2000 broken, PLN 1000 kept and 3000 pending */
  filter.from = (char *) "2026-11-01";
  promises = dd_report_promises (f->db, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (promises->len, ==, 4);   /* agent EUR, agent PLN, ivr EUR, ivr PLN */
  {
    const DdReportPromiseRow *eur = g_ptr_array_index (promises, 0);
    const DdReportPromiseRow *pln = g_ptr_array_index (promises, 1);

    g_assert_cmpstr (eur->channel, ==, "agent");
    g_assert_cmpstr (eur->currency, ==, "EUR");
    g_assert_cmpint (eur->made, ==, 1);
    g_assert_cmpint (eur->broken_minor, ==, 2000);
    g_assert_cmpstr (pln->channel, ==, "agent");
    g_assert_cmpstr (pln->currency, ==, "PLN");
    g_assert_cmpint (pln->made, ==, 2);
    g_assert_cmpint (pln->made_minor, ==, 4000);
  }
  tables = dd_report_promises_tables (promises);
  csv = dd_report_tables_to_csv (tables);
  g_assert_nonnull (strstr (csv, "\r\nagent,1,0,1,0,20.00,0.00,20.00,0.00,EUR\r\n"));
  g_assert_nonnull (strstr (csv, "\r\nagent,2,1,0,1,40.00,10.00,0.00,30.00,PLN\r\n"));
  g_clear_pointer (&tables, g_ptr_array_unref);
  g_clear_pointer (&csv, g_free);

  /* the contacted paid 20 cases × 10 EUR within 48 hours, then PLN */
  filter.from = (char *) "2026-09-01";
  filter.campaign_id = 1;
  g_assert_true (dd_report_effect (f->db, &filter, &e, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (e.n_amounts, ==, 2);
  g_assert_cmpstr (e.amounts[0].currency, ==, "EUR");
  g_assert_cmpstr (e.amounts[1].currency, ==, "PLN");
  g_assert_cmpint (e.amounts[0].contacted_minor[DD_REPORT_WINDOW_48H], ==, 20 * 1000);
  g_assert_cmpint (e.amounts[1].contacted_minor[DD_REPORT_WINDOW_48H], ==, 10 * 1000);
  g_assert_cmpint (e.amounts[0].held_out_minor[DD_REPORT_WINDOW_30D], ==, 0);
  g_assert_cmpint (e.amounts[1].held_out_minor[DD_REPORT_WINDOW_30D], ==, 15000);
  g_assert_cmpint (e.amounts[0].contacted_minor[DD_REPORT_WINDOW_30D] +
                   e.amounts[1].contacted_minor[DD_REPORT_WINDOW_30D], ==,
                   e.contacted.amount_minor[DD_REPORT_WINDOW_30D]);
  tables = dd_report_effect_tables (&e);
  g_assert_cmpuint (((DdReportTable *) g_ptr_array_index (tables, 0))->rows->len, ==, 6);
  csv = dd_report_tables_to_csv (tables);
  g_assert_nonnull (strstr (csv, "\r\n2,100,30,0.3000,200.00,100,10,0.1000,0.00,"));
  g_assert_nonnull (strstr (csv, ",EUR\r\n2,100,30,0.3000,100.00,100,10,0.1000,50.00,"));
}

/* The roll rate from the summary tables (024-report-summaries.sql, kept by triggers) against
 * the same computed from every balance history row, on a randomized office: cases of three
 * creditors in two currencies whose balances change at random times over two years (several
 * times in some months, to zero and below, one case changing currency), in periods that fit
 * the summary and periods that do not. Then the summary rebuilt by the migration's own SQL
 * from the rows gives the same, and a change out of order stops its use. */
static const DdReportFilter roll_filters[] = {
  { NULL, NULL, 0, 0 },
  { (char *) "2025-03-01", NULL, 0, 0 },
  { (char *) "2025-01-01", (char *) "2025-12-31", 0, 0 },
  { (char *) "2025-06-01", (char *) "2026-02-28", 0, 0 },
  { (char *) "2025-06-01", (char *) "2026-02-28", 2, 0 },
  { NULL, NULL, 3, 0 },
  { (char *) "2026-01-01", (char *) "2026-12-31", 1, 0 },
  /* not fitting the summary (a month cut in two): computed from the rows either way */
  { (char *) "2025-03-15", (char *) "2025-11-20", 0, 0 },
  { (char *) "2025-02-01", (char *) "2025-09-17", 2, 0 },
};

static GPtrArray *
roll_of (Fixture              *f,
         const DdReportFilter *filter,
         gboolean              summaries)
{
  static const guint bounds[] = { 30, 60, 90 };
  g_autoptr(GError) error = NULL;
  g_autoptr(DdReportAgeing) ageing = NULL;

  dd_report_use_summaries (summaries);
  ageing = dd_report_ageing (f->db, filter, bounds, G_N_ELEMENTS (bounds), &error);
  dd_report_use_summaries (TRUE);
  g_assert_no_error (error);
  return g_ptr_array_ref (ageing->roll);
}

static void
assert_same_roll (GPtrArray *a,
                  GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const DdReportRollRow *x = g_ptr_array_index (a, i);
      const DdReportRollRow *y = g_ptr_array_index (b, i);

      g_assert_cmpstr (x->month, ==, y->month);
      g_assert_cmpstr (x->currency, ==, y->currency);
      g_assert_cmpint (x->start_minor, ==, y->start_minor);
      g_assert_cmpint (x->rolled_minor, ==, y->rolled_minor);
    }
}

static guint
compare_all_rolls (Fixture *f)
{
  guint rows = 0;

  for (guint i = 0; i < G_N_ELEMENTS (roll_filters); i++)
    {
      g_autoptr(GPtrArray) from_summary = roll_of (f, &roll_filters[i], TRUE);
      g_autoptr(GPtrArray) from_rows = roll_of (f, &roll_filters[i], FALSE);

      g_test_message ("filter %u: %u rows", i, from_rows->len);
      assert_same_roll (from_summary, from_rows);
      rows += from_rows->len;
    }
  return rows;
}

static GPtrArray *
work_of (Fixture  *f,
         gboolean  summaries)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  dd_report_use_summaries (summaries);
  rows = dd_report_work (f->db, &(DdReportFilter) { NULL, NULL, 0, 0 }, &error);
  dd_report_use_summaries (TRUE);
  g_assert_no_error (error);
  return rows;
}

/* The all-time work report from report_work against the same from the activities; the
 * number of consultants in it. */
static guint
compare_work (Fixture *f)
{
  g_autoptr(GPtrArray) summed = work_of (f, TRUE);
  g_autoptr(GPtrArray) counted = work_of (f, FALSE);

  g_assert_cmpuint (summed->len, ==, counted->len);
  for (guint i = 0; i < summed->len; i++)
    {
      const DdReportWorkRow *x = g_ptr_array_index (summed, i);
      const DdReportWorkRow *y = g_ptr_array_index (counted, i);

      g_assert_cmpint (x->agent_id, ==, y->agent_id);
      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpint (x->cases_touched, ==, y->cases_touched);
      g_assert_cmpint (x->calls, ==, y->calls);
      g_assert_cmpint (x->declarations, ==, y->declarations);
      g_assert_cmpint (x->status_changes, ==, y->status_changes);
      g_assert_cmpint (x->closed, ==, y->closed);
    }
  return counted->len;
}

/* Consultants' activities at random: some by nobody, a few closings written either way. */
static void
add_random_activities (Fixture *f,
                       GRand   *rand,
                       guint    n)
{
  static const char * const kinds[] = { "call", "declaration", "status", "sms", "note" };
  static const char * const refs[] = { NULL, "{\"from\":\"new\",\"to\":\"closed\"}",
                                       "{\"from\": \"new\", \"to\": \"closed\"}",
                                       "{\"from\":\"new\",\"to\":\"call-later\"}" };
  g_autoptr(GString) batch = g_string_new ("INSERT INTO activity (case_id, kind, refs, agent_id,"
                                           " created_at) VALUES ");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      gint64 case_id = g_rand_int_range (rand, 1, 41);
      gint64 agent = g_rand_int_range (rand, 0, 5);   /* 0: nobody */
      const char *kind = kinds[g_rand_int_range (rand, 0, G_N_ELEMENTS (kinds))];
      const char *ref = g_str_equal (kind, "status")
                        ? refs[g_rand_int_range (rand, 0, G_N_ELEMENTS (refs))] : NULL;

      if (i % 2 == 0)
        {
          /* one at a time */
          g_assert_true (dd_database_execute (f->db, &error,
                                              "INSERT INTO activity (case_id, kind, refs,"
                                              " agent_id, created_at) VALUES (?, ?, ?, ?,"
                                              " '2026-03-03T10:00:00Z')", DD_INT (case_id),
                                              DD_TEXT (kind), DD_TEXT (ref),
                                              DD_INT_IF (agent > 0, agent), DD_END));
          g_assert_no_error (error);
        }
      else
        {
          /* the others in one statement (several rows of a case and consultant in it) */
          g_autofree char *quoted = ref != NULL ? g_strdup_printf ("'%s'", ref)
                                                : g_strdup ("NULL");
          g_autofree char *agent_text = agent > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, agent)
                                                  : g_strdup ("NULL");

          g_string_append_printf (batch, "%s(%" G_GINT64_FORMAT ", '%s', %s, %s,"
                                  " '2026-03-04T10:00:00Z')", i > 1 ? ", " : "", case_id, kind,
                                  quoted, agent_text);
        }
    }
  g_assert_true (dd_database_exec (f->db, batch->str, &error));
  g_assert_no_error (error);
}

static void
test_roll_summary (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr(GBytes) migration = NULL;
  g_autoptr(GPtrArray) wiped = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autofree char *build = NULL;
  const char *sql, *start, *end;
  gint64 n = 0;
  gint64 at = 0;
  guint rows;

  g_assert_true (dd_database_exec (f->db,
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Alfa', 'x'), (2, 'Beta', 'x'),"
    " (3, 'Gamma', 'x');"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 80)"
    " INSERT INTO debtor (id, dedup_key, name, created_at, updated_at)"
    " SELECT i, 'k' || i, 'Debtor ' || i, 'x', 'x' FROM n;"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, status, balance_minor, currency,"
    " oldest_due_on, created_at, updated_at)"
    " SELECT id, id, id % 3 + 1, 'new', 0, CASE WHEN id % 4 = 0 THEN 'EUR' ELSE 'PLN' END,"
    " '2025-01-01', 'x', 'x' FROM debtor;"
    "INSERT INTO agent (id, name, created_at) VALUES (1, 'Anna', 'x'), (2, 'Marek', 'x'),"
    " (3, 'Olga', 'x'), (4, 'Piotr', 'x');", &error));
  g_assert_no_error (error);
  add_random_activities (f, rand, 400);
  g_assert_cmpuint (compare_work (f), ==, 4);

  /* 700 changes in time order from 2025-01-01 over about two years, a few at the same second */
  for (guint i = 0; i < 700; i++)
    {
      gint64 case_id = g_rand_int_range (rand, 1, 81);
      gint64 balance = g_rand_int_range (rand, 0, 10) == 0 ? 0
                       : g_rand_int_range (rand, 0, 12) == 0 ? -g_rand_int_range (rand, 1, 500)
                       : g_rand_int_range (rand, 1, 50000);
      const char *currency = case_id % 4 == 0 ? "EUR" : "PLN";
      g_autoptr(GDateTime) epoch = g_date_time_new_utc (2025, 1, 1, 0, 0, 0);
      g_autoptr(GDateTime) day = NULL;
      g_autofree char *when = NULL;

      if (case_id == 7 && i > 350)
        currency = "EUR";   /* the case moved to another currency */
      if (g_rand_int_range (rand, 0, 8) != 0)
        at += g_rand_int_range (rand, 1, 2 * 86400);
      day = g_date_time_add_seconds (epoch, (gdouble) at);
      when = g_date_time_format (day, "%Y-%m-%dT%H:%M:%SZ");
      g_assert_true (dd_database_execute (f->db, &error,
                                          "INSERT INTO balance_history (case_id, balance_minor,"
                                          " currency, reason, recorded_at) VALUES (?, ?, ?,"
                                          " 'test', ?)", DD_INT (case_id), DD_INT (balance),
                                          DD_TEXT (currency), DD_TEXT (when), DD_END));
      g_assert_no_error (error);
    }
  g_assert_true (dd_database_fetch_int64 (f->db, &n, NULL, &error,
                                          "SELECT COUNT(*) FROM report_summary_dirty", DD_END));
  g_assert_cmpint (n, ==, 0);
  rows = compare_all_rolls (f);
  g_assert_cmpuint (rows, >, 50);

  /* the summary is what the fitting periods read: without it they have no rate */
  before = roll_of (f, &roll_filters[0], TRUE);
  g_assert_cmpuint (before->len, >, 0);
  g_assert_true (dd_database_exec (f->db, "DELETE FROM report_roll; DELETE FROM report_roll_case;"
                                   " DELETE FROM report_work; DELETE FROM report_ageing", &error));
  wiped = roll_of (f, &roll_filters[0], TRUE);
  g_assert_cmpuint (wiped->len, ==, 0);
  g_clear_pointer (&wiped, g_ptr_array_unref);
  wiped = work_of (f, TRUE);
  g_assert_cmpuint (wiped->len, ==, 0);

  /* the migration's build from the rows (the statements between its two comments) */
  migration = g_resource_lookup_data (dd_core_get_resource (),
                                      DD_IS_PG_DATABASE (f->db)
                                      ? "/io/github/dunningdesk/DunningDesk/core/sql/postgresql/"
                                        "024-report-summaries.sql"
                                      : "/io/github/dunningdesk/DunningDesk/core/sql/sqlite/"
                                        "024-report-summaries.sql",
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  sql = g_bytes_get_data (migration, NULL);
  start = strstr (sql, "-- what the office already has");
  end = strstr (sql, "-- a row of the history in order");
  g_assert_nonnull (start);
  g_assert_nonnull (end);
  build = g_strndup (start, (gsize) (end - start));
  g_assert_true (dd_database_exec (f->db, build, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (compare_all_rolls (f), ==, rows);
  g_assert_cmpuint (compare_work (f), ==, 4);
  add_random_activities (f, rand, 50);
  compare_work (f);

  /* the triggers go on from the rebuilt summary */
  g_assert_true (dd_database_exec (f->db,
    "INSERT INTO balance_history (case_id, balance_minor, currency, reason, recorded_at)"
    " VALUES (1, 777, 'PLN', 'test', '2027-03-01T00:00:00Z'),"
    " (2, 0, 'PLN', 'test', '2027-03-01T00:00:01Z'),"
    " (1, 555, 'PLN', 'test', '2027-04-11T00:00:00Z')", &error));
  g_assert_no_error (error);
  compare_all_rolls (f);

  /* a row written out of order: the report goes back to the rows, still right */
  g_assert_true (dd_database_exec (f->db,
    "INSERT INTO balance_history (case_id, balance_minor, currency, reason, recorded_at)"
    " VALUES (1, 123, 'PLN', 'test', '2025-05-05T00:00:00Z')", &error));
  g_assert_no_error (error);
  g_assert_true (dd_database_fetch_int64 (f->db, &n, NULL, &error,
                                          "SELECT COUNT(*) FROM report_summary_dirty", DD_END));
  g_assert_cmpint (n, ==, 1);
  compare_all_rolls (f);

  /* an activity taken back: the work report counts from the activities again */
  g_assert_true (dd_database_exec (f->db, "DELETE FROM activity WHERE id = 1", &error));
  g_assert_no_error (error);
  g_assert_true (dd_database_fetch_int64 (f->db, &n, NULL, &error,
                                          "SELECT COUNT(*) FROM report_summary_dirty", DD_END));
  g_assert_cmpint (n, ==, 2);
  compare_work (f);

  /* a database migrated by the first version of schema 24 has no report_work */
  g_assert_true (dd_database_exec (f->db, "DELETE FROM report_summary_dirty;"
                                   " DROP TABLE report_work", &error));
  g_assert_no_error (error);
  compare_work (f);
}

/* The ageing buckets from report_ageing (kept by triggers on debt_case) against the same
 * grouped from the cases, on a randomized office: 300 cases of three creditors whose balance,
 * status, due day, currency and creditor change at random, one at a time and in bulk, some
 * deleted; as of today and of an earlier day, per creditor. */
static DdReportAgeing *
ageing_of (Fixture              *f,
           const DdReportFilter *filter,
           gboolean              summaries)
{
  static const guint bounds[] = { 15, 45, 120 };
  g_autoptr(GError) error = NULL;
  DdReportAgeing *ageing;

  dd_report_use_summaries (summaries);
  ageing = dd_report_ageing (f->db, filter, bounds, G_N_ELEMENTS (bounds), &error);
  dd_report_use_summaries (TRUE);
  g_assert_no_error (error);
  return ageing;
}

static gint64
compare_ageing (Fixture *f)
{
  static const DdReportFilter filters[] = {
    { NULL, NULL, 0, 0 },
    { NULL, (char *) "2026-06-30", 0, 0 },
    { NULL, NULL, 1, 0 },
    { NULL, (char *) "2026-02-10", 2, 0 },
    { NULL, NULL, 3, 0 },
  };
  gint64 cases = 0;

  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      g_autoptr(DdReportAgeing) summed = ageing_of (f, &filters[i], TRUE);
      g_autoptr(DdReportAgeing) grouped = ageing_of (f, &filters[i], FALSE);

      g_assert_cmpuint (summed->buckets->len, ==, grouped->buckets->len);
      for (guint b = 0; b < summed->buckets->len; b++)
        {
          const DdReportAgeingBucket *x = &g_array_index (summed->buckets,
                                                          DdReportAgeingBucket, b);
          const DdReportAgeingBucket *y = &g_array_index (grouped->buckets,
                                                          DdReportAgeingBucket, b);

          g_assert_cmpstr (x->currency, ==, y->currency);
          g_assert_cmpint (x->min_days, ==, y->min_days);
          g_assert_cmpint (x->cases, ==, y->cases);
          g_assert_cmpint (x->balance_minor, ==, y->balance_minor);
          if (i == 0)
            cases += y->cases;
        }
    }
  return cases;
}

static void
test_ageing_summary (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const statuses[] = { "new", "call-later", "no-answer",
                                           "payment-declaration", "closed" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr(DdReportAgeing) wiped = NULL;
  g_autoptr(GBytes) migration = NULL;
  g_autofree char *build = NULL;
  const char *sql, *start, *end;
  gint64 cases;

  g_assert_true (dd_database_exec (f->db,
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Alfa', 'x'), (2, 'Beta', 'x'),"
    " (3, 'Gamma', 'x');"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)"
    " INSERT INTO debtor (id, dedup_key, name, created_at, updated_at)"
    " SELECT i, 'k' || i, 'Debtor ' || i, 'x', 'x' FROM n;"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, status, balance_minor, currency,"
    " oldest_due_on, created_at, updated_at)"
    " SELECT id, id, id % 3 + 1, CASE WHEN id % 7 = 0 THEN 'closed' ELSE 'new' END,"
    "  (id * 7919) % 50000 - 2000, CASE WHEN id % 4 = 0 THEN 'EUR' ELSE 'PLN' END,"
    "  CASE WHEN id % 11 = 0 THEN NULL ELSE '2025-' || CASE WHEN id % 12 < 9 THEN '0' ELSE '' END"
    "   || (id % 12 + 1) || '-15' END,"
    "  'x', 'x' FROM debtor;", &error));
  g_assert_no_error (error);
  g_assert_cmpint (compare_ageing (f), >, 100);

  for (guint i = 0; i < 400; i++)
    {
      gint64 id = g_rand_int_range (rand, 1, 301);
      g_autofree char *due = g_strdup_printf ("2026-%02d-%02d", g_rand_int_range (rand, 1, 13),
                                              g_rand_int_range (rand, 1, 29));

      switch (g_rand_int_range (rand, 0, 5))
        {
        case 0:
          g_assert_true (dd_database_execute (f->db, &error,
                                              "UPDATE debt_case SET balance_minor = ? WHERE id = ?",
                                              DD_INT (g_rand_int_range (rand, -500, 60000)),
                                              DD_INT (id), DD_END));
          break;
        case 1:
          g_assert_true (dd_database_execute (f->db, &error,
                                              "UPDATE debt_case SET status = ? WHERE id = ?",
                                              DD_TEXT (statuses[g_rand_int_range (rand, 0, 5)]),
                                              DD_INT (id), DD_END));
          break;
        case 2:
          g_assert_true (dd_database_execute (f->db, &error,
                                              "UPDATE debt_case SET oldest_due_on = ? WHERE id = ?",
                                              DD_TEXT (g_rand_boolean (rand) ? due : NULL),
                                              DD_INT (id), DD_END));
          break;
        case 3:
          g_assert_true (dd_database_execute (f->db, &error,
                                              "UPDATE debt_case SET currency = ?, creditor_id = ?"
                                              " WHERE id = ?",
                                              DD_TEXT (g_rand_boolean (rand) ? "EUR" : "PLN"),
                                              DD_INT (g_rand_int_range (rand, 1, 4)),
                                              DD_INT (id), DD_END));
          break;
        default:
          /* the import's way: many cases at once */
          g_assert_true (dd_database_execute (f->db, &error,
                                              "UPDATE debt_case SET balance_minor ="
                                              " balance_minor + ? WHERE id % 13 = ?",
                                              DD_INT (g_rand_int_range (rand, -3000, 3000)),
                                              DD_INT (id % 13), DD_END));
          break;
        }
      g_assert_no_error (error);
    }
  cases = compare_ageing (f);
  g_assert_cmpint (cases, >, 50);

  /* the summary is what they read: without it nothing is owed */
  g_assert_true (dd_database_exec (f->db, "DELETE FROM report_ageing", &error));
  wiped = ageing_of (f, &(DdReportFilter) { NULL, NULL, 0, 0 }, TRUE);
  for (guint b = 0; b < wiped->buckets->len; b++)
    g_assert_cmpint (g_array_index (wiped->buckets, DdReportAgeingBucket, b).cases, ==, 0);

  /* the migration's build from the cases (the statements between its two comments) */
  g_assert_true (dd_database_exec (f->db, "DELETE FROM report_roll; DELETE FROM report_roll_case;"
                                   " DELETE FROM report_work", &error));
  migration = g_resource_lookup_data (dd_core_get_resource (),
                                      DD_IS_PG_DATABASE (f->db)
                                      ? "/io/github/dunningdesk/DunningDesk/core/sql/postgresql/"
                                        "024-report-summaries.sql"
                                      : "/io/github/dunningdesk/DunningDesk/core/sql/sqlite/"
                                        "024-report-summaries.sql",
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  sql = g_bytes_get_data (migration, NULL);
  start = strstr (sql, "-- what the office already has");
  end = strstr (sql, "-- a row of the history in order");
  build = g_strndup (start, (gsize) (end - start));
  g_assert_true (dd_database_exec (f->db, build, &error));
  g_assert_no_error (error);
  g_assert_cmpint (compare_ageing (f), ==, cases);

  /* cases taken away */
  g_assert_true (dd_database_exec (f->db, "DELETE FROM debt_case WHERE id % 5 = 0", &error));
  g_assert_no_error (error);
  g_assert_cmpint (compare_ageing (f), <, cases);
}

/* A campaign whose SMS were billed in two currencies shows the cost in each (window table,
 * CSV, JSON, PDF all read the tables), never one sum of both. */
static void
test_sms_cost_currencies (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* five more SMS of the November campaign, billed 0.03 EUR each, to cases of the ladder */
  g_assert_true (dd_database_exec (f->db,
    "INSERT INTO message (campaign_id, case_id, e164, idempotency_key, body, state, cost_minor,"
    " cost_currency, replies, created_at, updated_at, sent_at)"
    " SELECT 1, id, '+4870000' || id, 'e' || id, 'Pay', 'delivered', 3, 'EUR', 0,"
    "  '2026-11-03T09:00:00Z', 'x', '2026-11-03T09:00:00Z' FROM debt_case WHERE id <= 5;",
    &error));
  g_assert_no_error (error);

  for (guint summaries = 0; summaries < 2; summaries++)
    {
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(GPtrArray) tables = NULL;
      g_autofree char *csv = NULL;
      g_autofree char *shown = NULL;
      const DdReportCampaignRow *sms, *step;
      const DdReportTable *main_table;
      gint64 n = 0;
      guint cost_col = G_MAXUINT;

      dd_report_use_summaries (summaries);
      rows = dd_report_campaigns (f->db, &(DdReportFilter) { NULL, NULL, 0, 0 }, &error);
      dd_report_use_summaries (TRUE);
      g_assert_no_error (error);
      sms = find_campaign (rows, 1, -1);
      g_assert_cmpint (sms->sms_sent, ==, 105);
      g_assert_cmpuint (sms->costs->len, ==, 2);
      g_assert_cmpstr (g_array_index (sms->costs, DdReportCost, 0).currency, ==, "EUR");
      g_assert_cmpint (cost_in (sms, "EUR", &n), ==, 15);
      g_assert_cmpint (n, ==, 5);
      g_assert_cmpint (cost_in (sms, "PLN", &n), ==, 700);
      g_assert_cmpint (n, ==, 100);
      /* the ladder's first step (cases 1–10) likewise */
      step = find_campaign (rows, 0, 0);
      g_assert_cmpint (cost_in (step, "EUR", &n), ==, 15);
      g_assert_cmpint (cost_in (step, "PLN", &n), ==, 70);
      g_assert_null (find_campaign (rows, 2, -1)->costs);

      tables = dd_report_campaigns_tables (rows);
      csv = dd_report_tables_to_csv (tables);
      g_assert_nonnull (strstr (csv, "\r\n# costs\r\n"
                                     "campaign_id,campaign,ladder_step,billed,cost,currency\r\n"
                                     "1,November SMS,,5,0.15,EUR\r\n"
                                     "1,November SMS,,100,7.00,PLN\r\n"));
      g_assert_null (strstr (csv, "7.15"));
      /* the campaign's row names both amounts, each with its code */
      main_table = g_ptr_array_index (tables, 0);
      for (guint c = 0; c < main_table->columns->len; c++)
        if (g_str_equal (g_array_index (main_table->columns, DdReportColumn, c).key, "cost"))
          cost_col = c;
      g_assert_cmpuint (cost_col, <, main_table->columns->len);
      shown = dd_report_cell_format (dd_report_table_cell (main_table, 0, cost_col));
      g_assert_cmpstr (shown, ==, "0.15\u00a0EUR, 7.00\u00a0PLN");
      g_clear_pointer (&shown, g_free);
      /* one currency (the ladder step +3): an amount, as before */
      shown = dd_report_cell_format (dd_report_table_cell (main_table, 4, cost_col));
      g_assert_cmpint (dd_report_table_cell (main_table, 4, cost_col)->kind, ==,
                       DD_REPORT_CELL_MONEY);
      g_assert_cmpstr (shown, ==, "0.70\u00a0PLN");
    }
}

/* The campaign report from the summaries of schema 26 against the same from the rows, row by
 * row. */
static void
assert_same_campaigns (GPtrArray *a,
                       GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const DdReportCampaignRow *x = g_ptr_array_index (a, i);
      const DdReportCampaignRow *y = g_ptr_array_index (b, i);
      guint nx, ny;

      g_test_message ("row %u: campaign %" G_GINT64_FORMAT ", step %d", i, y->campaign_id,
                      y->ladder_step);
      g_assert_cmpint (x->campaign_id, ==, y->campaign_id);
      g_assert_cmpint (x->ladder_step, ==, y->ladder_step);
      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpstr (x->kind, ==, y->kind);
      g_assert_cmpint (x->sms_sent, ==, y->sms_sent);
      g_assert_cmpint (x->sms_delivered, ==, y->sms_delivered);
      g_assert_cmpint (x->sms_failed, ==, y->sms_failed);
      g_assert_cmpint (x->replies, ==, y->replies);
      g_assert_cmpint (x->opt_outs, ==, y->opt_outs);
      g_assert_cmpint (x->calls_attempted, ==, y->calls_attempted);
      g_assert_cmpint (x->calls_answered_person, ==, y->calls_answered_person);
      g_assert_cmpint (x->calls_heard_to_end, ==, y->calls_heard_to_end);
      g_assert_cmpint (x->transfers, ==, y->transfers);
      g_assert_cmpint (x->declarations, ==, y->declarations);
      for (guint k = 0; k < DD_REPORT_N_KEYS; k++)
        g_assert_cmpint (x->keys[k], ==, y->keys[k]);
      nx = x->costs != NULL ? x->costs->len : 0;
      ny = y->costs != NULL ? y->costs->len : 0;
      g_assert_cmpuint (nx, ==, ny);
      for (guint c = 0; c < nx; c++)
        {
          const DdReportCost *p = &g_array_index (x->costs, DdReportCost, c);
          const DdReportCost *q = &g_array_index (y->costs, DdReportCost, c);

          g_assert_cmpstr (p->currency, ==, q->currency);
          g_assert_cmpint (p->billed, ==, q->billed);
          g_assert_cmpint (p->minor, ==, q->minor);
        }
      nx = x->declared != NULL ? x->declared->len : 0;
      ny = y->declared != NULL ? y->declared->len : 0;
      g_assert_cmpuint (nx, ==, ny);
      for (guint c = 0; c < nx; c++)
        {
          const DdReportDeclared *p = &g_array_index (x->declared, DdReportDeclared, c);
          const DdReportDeclared *q = &g_array_index (y->declared, DdReportDeclared, c);

          g_assert_cmpstr (p->currency, ==, q->currency);
          g_assert_cmpint (p->declarations, ==, q->declarations);
          g_assert_cmpint (p->minor, ==, q->minor);
        }
    }
}

static const DdReportFilter campaign_filters[] = {
  { NULL, NULL, 0, 0 },
  { (char *) "2026-01-01", (char *) "2026-01-31", 0, 0 },
  { (char *) "2026-02-10", NULL, 0, 0 },
  { NULL, (char *) "2026-02-20", 0, 0 },
  { NULL, NULL, 0, 1 },
  { NULL, NULL, 0, 3 },
  { (char *) "2026-01-15", (char *) "2026-03-10", 0, 4 },
  { (char *) "2026-02-01", (char *) "2026-02-01", 0, 0 },
  { NULL, NULL, 2, 0 },
  { (char *) "2026-01-10", (char *) "2026-02-28", 1, 0 },
  { NULL, NULL, 1, 3 },
};

static GPtrArray *
campaigns_of (Fixture              *f,
              const DdReportFilter *filter,
              gboolean              summaries)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  dd_report_use_summaries (summaries);
  rows = dd_report_campaigns (f->db, filter, &error);
  dd_report_use_summaries (TRUE);
  g_assert_no_error (error);
  return rows;
}

/* Every filter's campaign report both ways; the number of rows with anything sent. */
static guint
compare_campaigns (Fixture *f)
{
  guint busy = 0;

  for (guint i = 0; i < G_N_ELEMENTS (campaign_filters); i++)
    {
      g_autoptr(GPtrArray) summed = campaigns_of (f, &campaign_filters[i], TRUE);
      g_autoptr(GPtrArray) counted = campaigns_of (f, &campaign_filters[i], FALSE);

      g_test_message ("filter %u", i);
      assert_same_campaigns (summed, counted);
      for (guint r = 0; r < counted->len; r++)
        {
          const DdReportCampaignRow *row = g_ptr_array_index (counted, r);

          busy += row->sms_sent > 0 || row->calls_attempted > 0;
        }
    }
  return busy;
}

/* A time of 2026-01-01 … 2026-03-31 at random (a few on a day's first and last second). */
static char *
random_time (GRand *rand)
{
  g_autoptr(GDateTime) epoch = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) at = NULL;
  gint day = g_rand_int_range (rand, 0, 90);
  gint second = g_rand_int_range (rand, 0, 4) == 0 ? 0 : g_rand_int_range (rand, 0, 86400);

  if (g_rand_int_range (rand, 0, 8) == 0)
    second = 86399;
  at = g_date_time_add_seconds (epoch, (gdouble) day * 86400 + second);
  return g_date_time_format (at, "%Y-%m-%dT%H:%M:%SZ");
}

static void
exec_ok (Fixture *f,
         const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dd_database_exec (f->db, sql, &error));
  g_assert_no_error (error);
}

/* Rebuilds the summaries of schema 26 by the migration's own statements (between its two
 * comments). */
static void
rebuild_026 (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) migration = NULL;
  g_autofree char *build = NULL;
  const char *sql, *start, *end;

  exec_ok (f, "DELETE FROM report_sms; DELETE FROM report_calls; DELETE FROM report_declared;"
              " DELETE FROM report_work_month; DELETE FROM report_work_kinds");
  migration = g_resource_lookup_data (dd_core_get_resource (),
                                      DD_IS_PG_DATABASE (f->db)
                                      ? "/io/github/dunningdesk/DunningDesk/core/sql/postgresql/"
                                        "026-report-campaign-work.sql"
                                      : "/io/github/dunningdesk/DunningDesk/core/sql/sqlite/"
                                        "026-report-campaign-work.sql",
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  sql = g_bytes_get_data (migration, NULL);
  start = strstr (sql, "-- what the office already has");
  end = strstr (sql, "-- the triggers");
  g_assert_nonnull (start);
  g_assert_nonnull (end);
  build = g_strndup (start, (gsize) (end - start));
  exec_ok (f, build);
}

/* The campaign results from report_sms, report_calls and report_declared (kept by triggers)
 * against the same from the messages and calls, on a randomized office: two SMS and two voice
 * campaigns, 60 cases of two creditors, 40 of them on ladder steps; 900 writes at random —
 * messages queued, sent, delivered, failed, replied to and billed in two currencies, calls
 * started, answered, keyed, transferred, with declarations (changed, deleted), cases moved
 * to other ladder steps and to the other creditor, messages deleted — one at a time; then in
 * bulk; a campaign and cases deleted. Ten filters, whole days, two creditors. */
static void
test_campaign_summary (Fixture       *f,
                       gconstpointer  data)
{
  static const char * const states[] = { "queued", "sending", "sent", "delivered", "failed",
                                         "expired", "cancelled" };
  static const char * const keys[] = { NULL, "", "1", "2#", "1,2", "*9", "0#" };
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr(GError) error = NULL;
  gint64 n_messages = 0, n_calls = 0, n_declarations = 0;
  guint busy;

  exec_ok (f,
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Alfa', 'x'), (2, 'Beta', 'x');"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)"
    " INSERT INTO debtor (id, dedup_key, name, created_at, updated_at)"
    " SELECT i, 'k' || i, 'Debtor ' || i, 'x', 'x' FROM n;"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, status, balance_minor, currency,"
    " oldest_due_on, created_at, updated_at)"
    " SELECT id, id, id % 2 + 1, 'new', 1000, 'PLN', '2025-12-01', 'x', 'x' FROM debtor;"
    "INSERT INTO campaign (id, name, kind, created_at, updated_at) VALUES"
    " (1, 'SMS one', 'sms', 'x', 'x'), (2, 'SMS two', 'sms', 'x', 'x'),"
    " (3, 'Calls one', 'voice', 'x', 'x'), (4, 'Calls two', 'voice', 'x', 'x');"
    "INSERT INTO ladder_run (case_id, step, offset_days, channel, state, day, lead_case_id,"
    " claimed_at) SELECT id, 1 + id % 3, (id % 3) * 7, CASE WHEN id % 2 = 0 THEN 'sms'"
    "  ELSE 'voice' END, 'done', '2026-01-01', id, 'x' FROM debt_case WHERE id <= 40;");

  for (guint i = 0; i < 900; i++)
    {
      g_autofree char *when = random_time (rand);
      gint64 case_id = g_rand_int_range (rand, 1, 61);
      gint64 call_case = g_rand_int_range (rand, 1, 55);   /* 55–60 never called */
      const char *currency = g_rand_boolean (rand) ? "PLN" : "EUR";
      gboolean ok = TRUE;

      switch (g_rand_int_range (rand, 0, 10))
        {
        case 0:
        case 1:
          {
            g_autofree char *key = g_strdup_printf ("r%u", i);
            const char *state = states[g_rand_int_range (rand, 0, G_N_ELEMENTS (states))];

            ok = dd_database_execute (f->db, &error,
                                      "INSERT INTO message (campaign_id, case_id, e164,"
                                      " idempotency_key, body, state, cost_minor, cost_currency,"
                                      " replies, created_at, updated_at, sent_at)"
                                      " VALUES (?, ?, '+48600000000', ?, 'x', ?, ?, ?, ?, ?, 'x',"
                                      " ?)",
                                      DD_INT_IF (g_rand_int_range (rand, 0, 10) > 0,
                                                 g_rand_int_range (rand, 1, 3)),
                                      DD_INT_IF (g_rand_int_range (rand, 0, 10) > 0, case_id),
                                      DD_TEXT (key), DD_TEXT (state),
                                      DD_INT_IF (g_rand_boolean (rand),
                                                 g_rand_int_range (rand, 1, 20)),
                                      DD_TEXT (g_rand_boolean (rand) ? currency : NULL),
                                      DD_INT (g_rand_int_range (rand, 0, 3)), DD_TEXT (when),
                                      DD_TEXT (g_rand_boolean (rand) ? when : NULL), DD_END);
            n_messages++;
            break;
          }
        case 2:
          /* a message's state moves on (a delivery report, a failure) */
          ok = dd_database_execute (f->db, &error,
                                    "UPDATE message SET state = ?, sent_at = COALESCE(sent_at, ?),"
                                    " updated_at = 'y' WHERE id = ?",
                                    DD_TEXT (states[g_rand_int_range (rand, 2, 6)]),
                                    DD_TEXT (g_rand_boolean (rand) ? when : NULL),
                                    DD_INT (g_rand_int_range (rand, 1, n_messages + 2)), DD_END);
          break;
        case 3:
          /* a reply, a cost reported late, an opt-out */
          ok = dd_database_execute (f->db, &error,
                                    "UPDATE message SET replies = replies + 1,"
                                    " cost_minor = COALESCE(cost_minor, 0) + ?,"
                                    " cost_currency = COALESCE(cost_currency, ?) WHERE id = ?",
                                    DD_INT (g_rand_int_range (rand, 0, 3)), DD_TEXT (currency),
                                    DD_INT (g_rand_int_range (rand, 1, n_messages + 2)),
                                    DD_END) &&
               dd_database_execute (f->db, &error,
                                    "INSERT INTO sms_reply (provider, provider_id, e164, body,"
                                    " received_at, case_id, opt_out) VALUES ('t', ?, '+48', 'x',"
                                    " ?, ?, ?)", DD_INT (i), DD_TEXT (when), DD_INT (case_id),
                                    DD_INT (g_rand_boolean (rand)), DD_END);
          break;
        case 4:
          {
            const char *k = keys[g_rand_int_range (rand, 0, G_N_ELEMENTS (keys))];

            ok = dd_database_execute (f->db, &error,
                                      "INSERT INTO call_attempt (campaign_id, case_id,"
                                      " started_at, state, answered_by, heard_to_end, keys,"
                                      " transfer, declaration_id) VALUES (?, ?, ?, 'completed',"
                                      " ?, ?, ?, ?,"
                                      " (SELECT MAX(id) FROM declaration WHERE id <= ?))",
                                      DD_INT_IF (g_rand_int_range (rand, 0, 10) > 0,
                                                 g_rand_int_range (rand, 3, 5)),
                                      DD_INT (call_case),
                                      DD_TEXT (g_rand_int_range (rand, 0, 4) > 0 ? when : NULL),
                                      DD_TEXT (g_rand_boolean (rand) ? "person"
                                               : g_rand_boolean (rand) ? "machine" : NULL),
                                      DD_INT (g_rand_boolean (rand)), DD_TEXT (k),
                                      DD_TEXT (g_rand_int_range (rand, 0, 3) == 0 ? "queue"
                                               : NULL),
                                      /* one made in the call, some */
                                      DD_INT_IF (g_rand_int_range (rand, 0, 3) == 0,
                                                 g_rand_int_range (rand, 1,
                                                                   n_declarations + 2)),
                                      DD_END);
            n_calls++;
            break;
          }
        case 5:
          /* a call goes on: started, answered, keys, a declaration */
          ok = dd_database_execute (f->db, &error,
                                    "UPDATE call_attempt SET started_at = COALESCE(started_at, ?),"
                                    " answered_by = ?, keys = COALESCE(keys, '') || ?,"
                                    " declaration_id = COALESCE((SELECT MAX(id) FROM declaration"
                                    "  WHERE id <= ?), declaration_id)"
                                    " WHERE id = ?",
                                    DD_TEXT (when), DD_TEXT (g_rand_boolean (rand) ? "person"
                                                             : "machine"),
                                    DD_TEXT (keys[g_rand_int_range (rand, 2,
                                                                    G_N_ELEMENTS (keys))]),
                                    DD_INT_IF (g_rand_boolean (rand),
                                               g_rand_int_range (rand, 1, n_declarations + 3)),
                                    DD_INT (g_rand_int_range (rand, 1, n_calls + 2)), DD_END);
          break;
        case 6:
          ok = dd_database_execute (f->db, &error,
                                    "INSERT INTO declaration (id, case_id, amount_minor, currency,"
                                    " promised_on, channel, state, created_at) VALUES (?, ?, ?,"
                                    " ?, '2026-04-01', 'ivr', 'pending', ?)",
                                    DD_INT (n_declarations + 1), DD_INT (call_case),
                                    DD_INT (g_rand_int_range (rand, 100, 9000)),
                                    DD_TEXT (currency), DD_TEXT (when), DD_END);
          n_declarations++;
          break;
        case 7:
          /* a declaration's amount or currency corrected, its state changed */
          ok = dd_database_execute (f->db, &error,
                                    "UPDATE declaration SET amount_minor = amount_minor + ?,"
                                    " currency = ?, state = 'kept' WHERE id = ?",
                                    DD_INT (g_rand_int_range (rand, 0, 2) * 100),
                                    DD_TEXT (currency),
                                    DD_INT (g_rand_int_range (rand, 1, n_declarations + 2)),
                                    DD_END);
          break;
        case 8:
          /* a case reaches its next ladder step (as dd-ladder-store.c writes it) */
          ok = dd_database_execute (f->db, &error,
                                    "INSERT INTO ladder_run (case_id, step, offset_days, channel,"
                                    " state, day, lead_case_id, claimed_at) VALUES (?, 1, ?, ?,"
                                    " 'claimed', '2026-02-01', ?, 'x') ON CONFLICT (case_id) DO"
                                    " UPDATE SET step = ladder_run.step + 1,"
                                    " offset_days = excluded.offset_days,"
                                    " channel = excluded.channel",
                                    DD_INT (case_id), DD_INT (g_rand_int_range (rand, 0, 4) * 7),
                                    DD_TEXT (g_rand_boolean (rand) ? "sms" : "voice"),
                                    DD_INT (case_id), DD_END);
          break;
        default:
          /* taken back: a message, a declaration, a case's ladder step; a case moved to the
           * other creditor */
          switch (g_rand_int_range (rand, 0, 4))
            {
            case 0:
              ok = dd_database_execute (f->db, &error, "DELETE FROM message WHERE id = ?",
                                        DD_INT (g_rand_int_range (rand, 1, n_messages + 2)),
                                        DD_END);
              break;
            case 1:
              ok = dd_database_execute (f->db, &error, "DELETE FROM declaration WHERE id = ?",
                                        DD_INT (g_rand_int_range (rand, 1, n_declarations + 2)),
                                        DD_END);
              break;
            case 2:
              ok = dd_database_execute (f->db, &error, "UPDATE debt_case"
                                        " SET creditor_id = 3 - creditor_id WHERE id = ?",
                                        DD_INT (case_id), DD_END);
              break;
            default:
              ok = dd_database_execute (f->db, &error, "DELETE FROM ladder_run WHERE case_id = ?",
                                        DD_INT (case_id), DD_END);
              break;
            }
          break;
        }
      g_assert_no_error (error);
      g_assert_true (ok);
      if (i % 300 == 299)
        compare_campaigns (f);
    }
  busy = compare_campaigns (f);
  g_assert_cmpuint (busy, >, 20);

  /* in bulk: every queued message sent, every failed one retried */
  exec_ok (f, "UPDATE message SET state = 'sent', sent_at = created_at WHERE state = 'queued';"
              "UPDATE message SET state = 'delivered' WHERE state = 'failed' AND id % 2 = 0;"
              "UPDATE call_attempt SET heard_to_end = 1 - heard_to_end, transfer = NULL"
              " WHERE id % 3 = 0;");
  busy = compare_campaigns (f);

  /* the summaries are what the report reads: wiped, nothing is sent */
  exec_ok (f, "DELETE FROM report_sms; DELETE FROM report_calls; DELETE FROM report_declared");
  {
    g_autoptr(GPtrArray) wiped = campaigns_of (f, &campaign_filters[0], TRUE);

    for (guint r = 0; r < wiped->len; r++)
      g_assert_cmpint (((DdReportCampaignRow *) g_ptr_array_index (wiped, r))->sms_sent, ==, 0);
  }
  /* built again by the migration, the same; the triggers go on from there */
  rebuild_026 (f);
  g_assert_cmpuint (compare_campaigns (f), ==, busy);

  /* a campaign deleted with its messages; a case (never called) deleted: its messages lose
   * it, its ladder step goes */
  exec_ok (f, "DELETE FROM campaign WHERE id = 2;"
              "DELETE FROM debt_case WHERE id IN (56, 58);"
              "UPDATE message SET case_id = 57 WHERE case_id = 59;"
              "UPDATE debt_case SET creditor_id = 1 WHERE id % 4 = 0;");
  compare_campaigns (f);
}

/* Work over whole months from report_work_month and report_work_kinds against the count of
 * distinct cases from the activities: four consultants' activities on 40 cases of two
 * creditors over nine months at random (one at a time and several in one statement, some on
 * one case and month twice in it), then some moved and deleted, one at a time and in bulk,
 * cases moved to the other creditor, one deleted. */
static const DdReportFilter work_filters[] = {
  { (char *) "2026-01-01", (char *) "2026-03-31", 0, 0 },
  { (char *) "2025-10-01", NULL, 0, 0 },
  { NULL, (char *) "2026-02-28", 0, 0 },
  { (char *) "2026-02-01", (char *) "2026-02-28", 0, 0 },
  { (char *) "2025-11-01", (char *) "2026-06-30", 0, 0 },
  { (char *) "2026-06-01", (char *) "2026-12-31", 0, 0 },
  /* all time: report_work (schema 24) until an activity is changed, then the months */
  { NULL, NULL, 0, 0 },
  { (char *) "2026-01-01", (char *) "2026-03-31", 2, 0 },
  { NULL, NULL, 1, 0 },
  /* not whole months, a campaign: counted from the activities either way */
  { (char *) "2026-01-15", (char *) "2026-03-31", 0, 0 },
  { (char *) "2026-01-01", (char *) "2026-03-31", 0, 1 },
};

static guint
compare_work_months (Fixture *f)
{
  guint touched = 0;

  for (guint i = 0; i < G_N_ELEMENTS (work_filters); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) summed = dd_report_work (f->db, &work_filters[i], &error);
      g_autoptr(GPtrArray) counted = NULL;

      g_assert_no_error (error);
      dd_report_use_summaries (FALSE);
      counted = dd_report_work (f->db, &work_filters[i], &error);
      dd_report_use_summaries (TRUE);
      g_assert_no_error (error);
      g_test_message ("filter %u: %u consultants", i, counted->len);
      g_assert_cmpuint (summed->len, ==, counted->len);
      for (guint r = 0; r < summed->len; r++)
        {
          const DdReportWorkRow *x = g_ptr_array_index (summed, r);
          const DdReportWorkRow *y = g_ptr_array_index (counted, r);

          g_assert_cmpint (x->agent_id, ==, y->agent_id);
          g_assert_cmpint (x->cases_touched, ==, y->cases_touched);
          g_assert_cmpint (x->calls, ==, y->calls);
          g_assert_cmpint (x->declarations, ==, y->declarations);
          g_assert_cmpint (x->status_changes, ==, y->status_changes);
          g_assert_cmpint (x->closed, ==, y->closed);
          touched += (guint) y->cases_touched;
        }
    }
  return touched;
}

static void
add_month_activities (Fixture *f,
                      GRand   *rand,
                      guint    n)
{
  static const char * const kinds[] = { "call", "declaration", "status", "sms", "note" };
  g_autoptr(GString) batch = g_string_new ("INSERT INTO activity (case_id, kind, refs, agent_id,"
                                           " created_at) VALUES ");

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GDateTime) epoch = g_date_time_new_utc (2025, 10, 1, 0, 0, 0);
      g_autoptr(GDateTime) at = g_date_time_add_seconds (epoch, (gdouble)
                                                         g_rand_int_range (rand, 0, 273 * 86400));
      g_autofree char *when = g_date_time_format (at, "%Y-%m-%dT%H:%M:%SZ");
      gint64 case_id = g_rand_int_range (rand, 1, 41);
      gint64 agent = g_rand_int_range (rand, 0, 5);
      const char *kind = kinds[g_rand_int_range (rand, 0, G_N_ELEMENTS (kinds))];
      const char *refs = g_str_equal (kind, "status") && g_rand_boolean (rand)
                         ? "{\"from\":\"new\",\"to\":\"closed\"}" : NULL;

      if (i % 2 == 0)
        {
          g_autoptr(GError) error = NULL;

          g_assert_true (dd_database_execute (f->db, &error,
                                              "INSERT INTO activity (case_id, kind, refs,"
                                              " agent_id, created_at) VALUES (?, ?, ?, ?, ?)",
                                              DD_INT (case_id), DD_TEXT (kind), DD_TEXT (refs),
                                              DD_INT_IF (agent > 0, agent), DD_TEXT (when),
                                              DD_END));
          g_assert_no_error (error);
        }
      else
        {
          /* in one statement, twice for some: the same case, consultant and month */
          for (guint twice = 0; twice < (i % 6 == 1 ? 2u : 1u); twice++)
            g_string_append_printf (batch, "%s(%" G_GINT64_FORMAT ", '%s', %s, %s, '%s')",
                                    batch->str[batch->len - 1] == ' ' ? "" : ", ", case_id,
                                    kind, refs != NULL ? "'{\"to\":\"closed\"}'" : "NULL",
                                    agent > 0 ? (twice ? "1" : "2") : "NULL", when);
        }
    }
  exec_ok (f, batch->str);
}

static void
test_work_months (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  guint touched;

  exec_ok (f,
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Alfa', 'x'), (2, 'Beta', 'x');"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)"
    " INSERT INTO debtor (id, dedup_key, name, created_at, updated_at)"
    " SELECT i, 'k' || i, 'Debtor ' || i, 'x', 'x' FROM n;"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, status, balance_minor, currency,"
    " oldest_due_on, created_at, updated_at)"
    " SELECT id, id, id % 2 + 1, 'new', 1000, 'PLN', '2025-12-01', 'x', 'x' FROM debtor;"
    "INSERT INTO agent (id, name, created_at) VALUES (1, 'Anna', 'x'), (2, 'Marek', 'x'),"
    " (3, 'Olga', 'x'), (4, 'Piotr', 'x');");
  add_month_activities (f, rand, 300);
  add_month_activities (f, rand, 300);
  touched = compare_work_months (f);
  g_assert_cmpuint (touched, >, 100);

  /* moved to another month or consultant, one at a time and in bulk; deleted likewise */
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (dd_database_execute (f->db, &error,
                                          "UPDATE activity SET created_at = ?, agent_id = ?"
                                          " WHERE id = ?",
                                          DD_TEXT (i % 2 ? "2026-02-14T12:00:00Z"
                                                         : "2025-12-31T23:59:59Z"),
                                          DD_INT_IF (i % 5 > 0, i % 4 + 1),
                                          DD_INT (g_rand_int_range (rand, 1, 700)), DD_END));
      g_assert_no_error (error);
      g_assert_true (dd_database_execute (f->db, &error, "DELETE FROM activity WHERE id = ?",
                                          DD_INT (g_rand_int_range (rand, 1, 700)), DD_END));
      g_assert_no_error (error);
    }
  compare_work_months (f);
  exec_ok (f, "DELETE FROM activity WHERE id % 7 = 0;"
              "UPDATE activity SET case_id = case_id % 10 + 1 WHERE id % 11 = 0;"
              "UPDATE debt_case SET creditor_id = 3 - creditor_id WHERE id % 3 = 0;");
  compare_work_months (f);
  add_month_activities (f, rand, 100);
  compare_work_months (f);

  /* wiped, the whole months have nobody; built again by the migration, the same */
  exec_ok (f, "DELETE FROM report_work_month; DELETE FROM report_work_kinds");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) wiped = dd_report_work (f->db, &work_filters[0], &error);

    g_assert_no_error (error);
    g_assert_cmpuint (wiped->len, ==, 0);
  }
  rebuild_026 (f);
  compare_work_months (f);
  /* a case deleted with its activities */
  exec_ok (f, "DELETE FROM debt_case WHERE id = 3");
  compare_work_months (f);
}

/* A campaign or a consultant named like a formula ("=HYPERLINK(…)", "+48…") stays text when
 * the CSV is opened in a spreadsheet: an apostrophe goes in front; amounts stay numbers. */
static void
test_csv_formula_text (void)
{
  g_autoptr(DdReportTable) table = dd_report_table_new ("campaigns", "Campaigns");
  g_autoptr(GPtrArray) tables = g_ptr_array_new ();
  g_autofree char *csv = NULL;
  static const char *const names[] = {
    "=HYPERLINK(\"http://evil.example/\",\"Zapłać\")", "+48 600 100 200", "-2+3",
    "@SUM(A1:A9)", "\t=1+1", "Kowalski =1",
  };

  dd_report_table_add_column (table, "campaign", "Campaign", DD_REPORT_CELL_TEXT);
  dd_report_table_add_column (table, "collected", "Collected", DD_REPORT_CELL_MONEY);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      dd_report_table_begin_row (table);
      dd_report_table_add_text (table, names[i]);
      dd_report_table_add_money (table, -1250);
    }
  g_ptr_array_add (tables, table);
  csv = dd_report_tables_to_csv (tables);
  g_assert_cmpstr (csv, ==,
                   "campaign,collected\r\n"
                   "\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"Zapłać\"\")\",-12.50\r\n"
                   "'+48 600 100 200,-12.50\r\n"
                   "'-2+3,-12.50\r\n"
                   "'@SUM(A1:A9),-12.50\r\n"
                   "'\t=1+1,-12.50\r\n"
                   "Kowalski =1,-12.50\r\n");
  g_assert_true (dd_csv_text_is_formula ("=1"));
  g_assert_false (dd_csv_text_is_formula ("2026-11"));
  g_assert_false (dd_csv_text_is_formula (""));
  g_assert_false (dd_csv_text_is_formula (NULL));
}

/* A Polish or Russian reader sees amounts written the local way ("1 234,56 zł"), as on the
 * case page; English keeps "1 234.56 PLN". */
static void
test_format_local_money (void)
{
  DdReportCell pln = { DD_REPORT_CELL_MONEY, 123456, 0, (char *) "PLN" };
  DdReportCell rub = { DD_REPORT_CELL_MONEY, -123456, 0, (char *) "RUB" };
  DdReportCell bare = { DD_REPORT_CELL_MONEY, 123456, 0, NULL };
  DdReportCell third = { DD_REPORT_CELL_SHARE, 0, 0.3, NULL };
  g_autofree char *en = NULL, *pl = NULL, *pl_bare = NULL, *ru = NULL, *share = NULL;

  g_setenv ("LANGUAGE", "en", TRUE);
  en = dd_report_cell_format (&pln);
  g_setenv ("LANGUAGE", "pl", TRUE);
  pl = dd_report_cell_format (&pln);
  pl_bare = dd_report_cell_format (&bare);
  g_setenv ("LANGUAGE", "ru_RU", TRUE);
  ru = dd_report_cell_format (&rub);
  share = dd_report_cell_format (&third);
  g_unsetenv ("LANGUAGE");
  g_assert_cmpstr (en, ==, "1\u202f234.56\u00a0PLN");
  g_assert_cmpstr (pl, ==, "1\u00a0234,56\u00a0zł");
  g_assert_cmpstr (pl_bare, ==, "1\u202f234,56");
  g_assert_cmpstr (ru, ==, "-1\u00a0234,56\u00a0₽");
  g_assert_cmpstr (share, ==, "30,0 %");

  /* the period and the day a report was made, in Polish: day.month.year */
  {
    g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 12, 7, 14, 5, 0);
    g_autofree char *period_en = dd_report_period_text ("2026-11-01", "2026-11-30");
    g_autofree char *made_en = dd_report_made_text (when);
    g_autofree char *period_pl = NULL, *until_pl = NULL, *made_pl = NULL;

    g_setenv ("LANGUAGE", "pl", TRUE);
    period_pl = dd_report_period_text ("2026-11-01", "2026-11-30");
    until_pl = dd_report_period_text (NULL, "2026-11-30");
    made_pl = dd_report_made_text (when);
    g_unsetenv ("LANGUAGE");
    g_assert_cmpstr (period_en, ==, "Period: 2026-11-01 – 2026-11-30");
    g_assert_cmpstr (made_en, ==, "2026-12-07 14:05");
    g_assert_cmpstr (period_pl, ==, "Period: 01.11.2026 – 30.11.2026");
    g_assert_cmpstr (until_pl, ==, "Period: until 30.11.2026");
    g_assert_cmpstr (made_pl, ==, "07.12.2026 14:05");
  }
}

/* Export CSV… for a spreadsheet: a byte order mark; for a Polish reader ";" and decimal
 * commas, so that Excel splits the columns and reads the amounts as numbers. */
static void
test_csv_for_spreadsheet (void)
{
  g_autoptr(DdReportTable) table = dd_report_table_new ("ageing", "Ageing");
  g_autoptr(GPtrArray) tables = g_ptr_array_new ();
  g_autofree char *pl = NULL, *en = NULL, *plain = NULL;

  dd_report_table_add_column (table, "bucket", "Bucket", DD_REPORT_CELL_TEXT);
  dd_report_table_add_column (table, "balance", "Balance", DD_REPORT_CELL_MONEY);
  dd_report_table_add_column (table, "share", "Share", DD_REPORT_CELL_SHARE);
  dd_report_table_add_column (table, "cases", "Cases", DD_REPORT_CELL_INT);
  dd_report_table_begin_row (table);
  dd_report_table_add_text (table, "Łódź; Gdańsk");
  dd_report_table_add_amount (table, -123456, "PLN");
  dd_report_table_add_share (table, 0.3);
  dd_report_table_add_int (table, 1200);
  g_ptr_array_add (tables, table);

  g_setenv ("LANGUAGE", "pl", TRUE);
  pl = dd_report_tables_to_csv_for_spreadsheet (tables);
  plain = dd_report_tables_to_csv (tables);
  g_setenv ("LANGUAGE", "en", TRUE);
  en = dd_report_tables_to_csv_for_spreadsheet (tables);
  g_unsetenv ("LANGUAGE");
  g_assert_cmpstr (pl, ==, "\xef\xbb\xbf" "bucket;balance;share;cases\r\n"
                           "\"Łódź; Gdańsk\";-1234,56;0,3000;1200\r\n");
  g_assert_cmpstr (en, ==, "\xef\xbb\xbf" "bucket,balance,share,cases\r\n"
                           "Łódź; Gdańsk,-1234.56,0.3000,1200\r\n");
  /* for machines (the command line's --csv) nothing changes with the language */
  g_assert_cmpstr (plain, ==, "bucket,balance,share,cases\r\n"
                              "Łódź; Gdańsk,-1234.56,0.3000,1200\r\n");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/reports/campaigns", Fixture, NULL, fixture_setup, test_campaigns,
              fixture_teardown);
  g_test_add ("/reports/effect", Fixture, NULL, fixture_setup, test_effect, fixture_teardown);
  g_test_add ("/reports/promises", Fixture, NULL, fixture_setup, test_promises,
              fixture_teardown);
  g_test_add ("/reports/ageing", Fixture, NULL, fixture_setup, test_ageing, fixture_teardown);
  g_test_add ("/reports/currencies", Fixture, NULL, fixture_setup, test_currencies,
              fixture_teardown);
  g_test_add ("/reports/work", Fixture, NULL, fixture_setup, test_work, fixture_teardown);
  g_test_add ("/reports/roll-summary", Fixture, "empty", fixture_setup, test_roll_summary,
              fixture_teardown);
  g_test_add ("/reports/ageing-summary", Fixture, "empty", fixture_setup, test_ageing_summary,
              fixture_teardown);
  g_test_add ("/reports/sms-cost-currencies", Fixture, NULL, fixture_setup,
              test_sms_cost_currencies, fixture_teardown);
  g_test_add ("/reports/campaign-summary", Fixture, "empty", fixture_setup,
              test_campaign_summary, fixture_teardown);
  g_test_add ("/reports/work-months", Fixture, "empty", fixture_setup, test_work_months,
              fixture_teardown);
  g_test_add ("/reports/hold-out", Fixture, NULL, fixture_setup, test_hold_out,
              fixture_teardown);
  g_test_add ("/reports/hold-out-recipients", Fixture, NULL, fixture_setup,
              test_hold_out_recipients, fixture_teardown);
  g_test_add_func ("/reports/csv-formula-text", test_csv_formula_text);
  g_test_add_func ("/reports/format-local-money", test_format_local_money);
  g_test_add_func ("/reports/csv-for-spreadsheet", test_csv_for_spreadsheet);
  return g_test_run ();
}
