/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Ladder benchmark (issue 15 §2): the plan of one day for DD_BENCH_CASES cases (default
 * 1,000,000), as `dunning-desk-cli ladder plan` makes it: the policies, the open cases with
 * their steps, declarations and pauses, the contact history (for the caps) and the plan with
 * the contact policy. Goal: < 3 s. Results go to docs/PERFORMANCE.md.
 */
#include "config.h"

#include "dd-database.h"
#include "dd-ladder-planner.h"
#include "dd-ladder-store.h"

#include <locale.h>
#include <stdlib.h>
#include <sys/resource.h>

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* CPU time of the process (user + system), in ms: the machine may be shared */
static double
cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

static void
check (gboolean  ok,
       GError   *error)
{
  if (!ok)
    g_error ("%s", error ? error->message : "failed");
}

/* ~0.8 debtors per case (every fifth debtor has two cases), due dates over the 90 days up to
 * 5 days ahead, half of the cases on some step, 1 % with a declaration, 1 % opted out, 1 %
 * excluded, 20,000 messages in the last month. */
static void
generate (DdDatabase *db,
          guint       n,
          const char *today)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  double t0 = now_ms ();

  sql = g_strdup_printf (
    "BEGIN;"
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Alfa', 'x'), (2, 'Beta', 'x');"
    "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < %u)"
    " INSERT INTO debtor (id, dedup_key, name, opt_out, created_at, updated_at)"
    " SELECT i, 'd' || i, 'Debtor ' || i, i %% 100 = 7, 'x', 'x' FROM k;"
    "INSERT INTO phone (debtor_id, e164, created_at)"
    " SELECT id, '+48600' || id, 'x' FROM debtor WHERE id %% 50 <> 3;"
    "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < %u)"
    " INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, oldest_due_on,"
    " ladder_excluded, created_at, updated_at)"
    " SELECT i, CASE WHEN i <= %u THEN i ELSE i - %u END, 1 + (i > %u), 1000 + i %% 5000, 'PLN',"
    " date('%s', printf('%%+d days', 5 - i %% 95)), CASE WHEN i %% 100 = 11 THEN 'dispute' END,"
    " 'x', 'x' FROM k;"
    "INSERT INTO ladder_run (case_id, step, offset_days, channel, state, day, lead_case_id,"
    " claimed_at) SELECT id, id %% 3, CASE id %% 3 WHEN 0 THEN -3 WHEN 1 THEN 0 ELSE 3 END,"
    " CASE id %% 3 WHEN 2 THEN 'voice' ELSE 'sms' END, 'done',"
    " date('%s', '-' || (1 + id %% 20) || ' days'),"
    " id, 'x' FROM debt_case WHERE id %% 2 = 0;"
    "INSERT INTO declaration (case_id, amount_minor, currency, promised_on, channel, created_at)"
    " SELECT id, 100, 'PLN', date('%s', printf('%%+d days', id %% 10 - 6)), 'ivr', 'x'"
    " FROM debt_case WHERE id %% 100 = 13;"
    "INSERT INTO message (case_id, e164, idempotency_key, body, state, created_at, updated_at,"
    " sent_at) SELECT id, 'x', 'k' || id, 'x', 'sent', 'x', 'x',"
    " strftime('%%Y-%%m-%%dT10:00:00Z', '%s', '-' || (id %% 30) || ' days')"
    " FROM debt_case WHERE id %% 50 = 17;"
    "COMMIT;",
    n * 4 / 5, n, n * 4 / 5, n * 4 / 5, n * 4 / 5, today, today, today, today);
  if (!dd_database_exec (db, sql, &error))
    g_error ("%s", error->message);
  g_print ("# generated %u cases in %.1f s\n", n, (now_ms () - t0) / 1000.0);
}

int
main (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *cmd = NULL;
  g_autoptr(DdDatabase) db = NULL;
  g_autoptr(DdLadderStore) store = NULL;
  g_autoptr(GPtrArray) policies = NULL;
  g_autoptr(DdLadderCases) cases = NULL;
  g_autoptr(GHashTable) history = NULL;
  g_autoptr(DdLadderPlan) plan = NULL;
  g_autoptr(DdContactPolicy) contact = dd_contact_policy_new_preset ("pl");
  const char *env = g_getenv ("DD_BENCH_CASES");
  guint n = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : 1000000;
  const char *today = "2026-12-09";  /* a Wednesday */
  guint32 day = dd_ladder_day_from_iso (today);
  DdLadderPlanOptions options = { 3, contact, NULL, 0 };
  double t0, t1, t2, t3, t4, c0, c4;
  guint n_cases = 0;

  setlocale (LC_ALL, "");
  if (g_getenv ("DD_BENCH_LADDER_DB") != NULL)
    {
      /* an office generated before (DD_BENCH_KEEP) */
      path = g_strdup (g_getenv ("DD_BENCH_LADDER_DB"));
      dir = g_path_get_dirname (path);
    }
  else
    {
      dir = g_dir_make_tmp ("dd-bench-ladder-XXXXXX", &error);
      check (dir != NULL, error);
      path = g_build_filename (dir, "office.db", NULL);
      db = dd_database_open (path, &error);
      check (db != NULL, error);
      generate (db, n, today);
      g_clear_object (&db);
    }

  /* as the command line does: open, load, plan */
  t0 = now_ms ();
  c0 = cpu_ms ();
  db = dd_database_open (path, &error);
  check (db != NULL, error);
  store = dd_ladder_store_new (db);
  policies = dd_ladder_store_load_policies (store, &error);
  check (policies != NULL, error);
  t1 = now_ms ();
  cases = dd_ladder_store_load_cases (store, day, 3, &error);
  check (cases != NULL, error);
  t2 = now_ms ();
  history = dd_ladder_store_load_history (store, ((gint64) day - 719163 - 40) * 86400, &error);
  check (history != NULL, error);
  options.history = history;
  t3 = now_ms ();
  plan = dd_ladder_plan_compute (policies, (const DdLadderCase *) (gpointer) cases->cases->data,
                                 cases->cases->len, day, &options);
  t4 = now_ms ();
  c4 = cpu_ms ();

  for (guint i = 0; i < plan->items->len; i++)
    n_cases += g_array_index (plan->items, DdLadderPlanItem, i).n_cases;
  g_print ("# %u open cases loaded, plan: %u contacts and tasks covering %u cases, "
           "%u excluded\n", cases->cases->len, plan->items->len, n_cases, plan->excluded->len);
  g_print ("# open %.0f ms, cases %.0f ms, history %.0f ms, plan %.0f ms\n", t1 - t0, t2 - t1,
           t3 - t2, t4 - t3);
  g_print ("ladder-plan-%u: %.2f s wall, %.2f s CPU (goal < 3 s)\n", n, (t4 - t0) / 1000.0,
           (c4 - c0) / 1000.0);

  g_clear_pointer (&plan, dd_ladder_plan_free);
  g_clear_pointer (&cases, dd_ladder_cases_free);
  g_clear_object (&store);
  g_clear_object (&db);
  if (g_getenv ("DD_BENCH_KEEP") != NULL || g_getenv ("DD_BENCH_LADDER_DB") != NULL)
    {
      g_print ("# kept %s\n", path);
      return 0;
    }
  cmd = g_strdup_printf ("rm -rf '%s'", dir);
  if (system (cmd) != 0)
    return 1;
  return 0;
}
