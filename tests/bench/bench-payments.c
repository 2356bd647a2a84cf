/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Payments benchmark (issue 14, part 4): an office of DD_BENCH_PAYMENT_CASES cases (default
 * 100,000) made with direct SQL, and an MT940 statement of DD_BENCH_PAYMENT_LINES credit lines
 * (default 100,000): 2/5 name an invoice in the title, 1/5 a tax ID, 1/5 pay the balance under
 * the debtor's name, 1/5 match nothing. Measures parsing, importing + matching (one
 * transaction) and a second import of the same statement (all repeats). Goal: the lines
 * matched in < 5 s. Results go to docs/PERFORMANCE.md.
 */
#include "config.h"

#include "dd-database.h"
#include "dd-mt940.h"
#include "dd-payment-store.h"

#include <locale.h>
#include <stdlib.h>
#include <sys/resource.h>

static double
now_s (void)
{
  return g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

/* CPU time of this process (user + system): the figure that does not depend on what else the
 * shared machine runs. */
static double
cpu_s (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double
peak_rss_mib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && atoi (value) > 0 ? (guint) atoi (value) : fallback;
}

static GString *
make_statement (guint n_lines)
{
  GString *s = g_string_new (":20:BENCH\r\n:25:/PL61109010140000071219812874\r\n:28C:1\r\n"
                             ":60F:C261119PLN000000000000,00\r\n");

  for (guint i = 1; i <= n_lines; i++)
    {
      guint kind = i % 5;

      g_string_append_printf (s, ":61:2611201120C%sNTRF//REF%08u\r\n",
                              kind == 3 ? "1000,00" : kind == 4 ? "123,45" : "500,00", i);
      switch (kind)
        {
        case 0:
        case 1:
          g_string_append_printf (s, ":86:020~00PRZELEW~20Zapłata za FV/2026/%u~32Dłużnik %u\r\n",
                                  i, i);
          break;
        case 2:
          g_string_append_printf (s, ":86:020~00PRZELEW~20Spłata NIP %010u~32Firma %u\r\n",
                                  1000000000u + i, i);
          break;
        case 3:
          g_string_append_printf (s, ":86:020~00PRZELEW~20Przelew~32KOWALSKI DŁUŻNIK %u\r\n", i);
          break;
        default:
          g_string_append_printf (s, ":86:020~00PRZELEW~20Inne~32Nieznany %u\r\n", i);
          break;
        }
    }
  g_string_append (s, ":62F:C261120PLN000000000000,00\r\n");
  return s;
}

int
main (int    argc,
      char **argv)
{
  guint n_cases = env_uint ("DD_BENCH_PAYMENT_CASES", 100000);
  guint n_lines = env_uint ("DD_BENCH_PAYMENT_LINES", 100000);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dd-bench-payments-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "office.db", NULL);
  g_autofree char *sql = NULL;
  g_autofree char *cmd = NULL;
  g_autoptr(DdDatabase) db = NULL;
  g_autoptr(DdPaymentStore) store = NULL;
  g_autoptr(DdPaymentStatement) statement = NULL;
  g_autoptr(GString) text = NULL;
  DdPaymentImportSummary summary;
  double t0, t_parse, t_import, t_again, c0, c_parse, c_import;

  setlocale (LC_ALL, "");
  db = dd_database_open (path, &error);
  g_assert_no_error (error);
  sql = g_strdup_printf (
    "BEGIN;"
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Own receivables', 'x');"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %u)"
    " INSERT INTO debtor (id, dedup_key, name, tax_id, created_at, updated_at)"
    " SELECT i, 'k' || i, 'Dłużnik ' || i || ' Kowalski', printf('%%010d', 1000000000 + i),"
    " 'x', 'x' FROM n;"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, debtor_name,"
    " created_at, updated_at) SELECT id, id, 1, 100000, 'PLN', name, 'x', 'x' FROM debtor;"
    "INSERT INTO liability (case_id, invoice_no, amount_minor, currency, created_at, updated_at)"
    " SELECT id, 'FV/2026/' || id, 100000, 'PLN', 'x', 'x' FROM debt_case;"
    "COMMIT;", n_cases);
  g_assert_true (dd_database_exec (db, sql, &error));
  g_assert_no_error (error);
  store = dd_payment_store_new (db);
  text = make_statement (n_lines);

  t0 = now_s ();
  c0 = cpu_s ();
  statement = dd_mt940_parse ((const guint8 *) text->str, text->len, NULL, &error);
  g_assert_no_error (error);
  t_parse = now_s () - t0;
  c_parse = cpu_s () - c0;
  g_assert_cmpuint (statement->lines->len, ==, n_lines);

  dd_payment_import_summary_init (&summary);
  t0 = now_s ();
  c0 = cpu_s ();
  g_assert_true (dd_payment_store_import (store, statement, "bench.sta", FALSE, 0, &summary,
                                          &error));
  g_assert_no_error (error);
  t_import = now_s () - t0;
  c_import = cpu_s () - c0;
  g_print ("# %u cases, %u statement lines (%.1f MiB of MT940)\n", n_cases, n_lines,
           text->len / 1048576.0);
  g_print ("# matched %u (invoice %u, tax ID %u, account %u, name+amount %u), unmatched %u, "
           "closed %u\n", summary.n_matched, summary.n_by[DD_PAYMENT_MATCH_INVOICE],
           summary.n_by[DD_PAYMENT_MATCH_TAX_ID], summary.n_by[DD_PAYMENT_MATCH_ACCOUNT],
           summary.n_by[DD_PAYMENT_MATCH_NAME_AMOUNT], summary.n_unmatched, summary.n_closed);
  dd_payment_import_summary_clear (&summary);

  dd_payment_import_summary_init (&summary);
  t0 = now_s ();
  g_assert_true (dd_payment_store_import (store, statement, "bench.sta", FALSE, 0, &summary,
                                          &error));
  t_again = now_s () - t0;
  g_assert_cmpuint (summary.n_repeats, ==, n_lines);
  dd_payment_import_summary_clear (&summary);

  g_print ("# wall: parse %.2f s, import + match %.2f s (total %.2f s; goal < 5 s: %s), "
           "the same statement again %.2f s\n",
           t_parse, t_import, t_parse + t_import, t_parse + t_import < 5 ? "met" : "NOT met",
           t_again);
  g_print ("# CPU: parse %.2f s, import + match %.2f s (total %.2f s); peak RSS %.1f MiB\n",
           c_parse, c_import, c_parse + c_import, peak_rss_mib ());
  g_print ("1..1\nok 1 payments-100k\n");

  g_clear_object (&store);
  g_clear_object (&db);
  cmd = g_strdup_printf ("rm -rf '%s'", dir);
  return system (cmd) == 0 ? 0 : 1;
}
