/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-payments"

#include "config.h"

#include "dd-1c-exchange.h"
#include "dd-case-store.h"
#include "dd-importer.h"
#include "dd-mt940.h"
#include "dd-payment-store.h"

#include <string.h>

#include "case-fixture.h"
#include "payment-samples.h"

typedef struct
{
  CaseFixture     base;
  DdPaymentStore *payments;
  GPtrArray      *texts;      /* what sql_text() returned, freed at teardown */
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  case_fixture_setup (&f->base, NULL);
  f->payments = dd_payment_store_new (f->base.db);
  f->texts = g_ptr_array_new_with_free_func (g_free);
  dd_payment_store_set_clock (f->payments, FIXTURE_NOW, FIXTURE_TODAY);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_assert_finalize_object (f->payments);
  g_ptr_array_unref (f->texts);
  case_fixture_teardown (&f->base, NULL);
}

static gint64
sql_int (Fixture    *f,
         const char *sql)
{
  return case_fixture_int (&f->base, sql);
}

static const char *
sql_text (Fixture    *f,
          const char *sql)
{
  g_autoptr(GError) error = NULL;
  DdStatement *stmt = dd_database_cached (f->base.db, sql, &error);
  char *text = NULL;

  g_assert_no_error (error);
  if (dd_statement_step (stmt, &error) && !dd_statement_is_null (stmt, 0))
    text = g_strdup (dd_statement_get_text (stmt, 0));
  g_assert_no_error (error);
  dd_statement_reset (stmt);
  g_ptr_array_add (f->texts, text);
  return text;
}

static DdPaymentStatement *
parse_sample (const char *text,
              const char *encoding)
{
  g_autoptr(GBytes) bytes = sample_in (text, encoding);
  g_autoptr(GError) error = NULL;
  DdPaymentStatement *statement;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  statement = dd_payment_statement_parse (data, len, DD_PAYMENT_FORMAT_AUTO, NULL, &error);
  g_assert_no_error (error);
  return statement;
}

static void
import (Fixture                *f,
        DdPaymentStatement     *statement,
        gboolean                dry_run,
        DdPaymentImportSummary *summary)
{
  g_autoptr(GError) error = NULL;

  dd_payment_import_summary_init (summary);
  g_assert_true (dd_payment_store_import (f->payments, statement, "statement.sta", dry_run, 0,
                                          summary, &error));
  g_assert_no_error (error);
}

static void
add_line (DdPaymentStatement *statement,
          GHashTable         *seen,
          const char         *reference,
          gint64              amount,
          const char         *currency,
          const char         *title,
          const char         *name,
          const char         *account,
          const char         *tax_id)
{
  DdPaymentLine *line = g_new0 (DdPaymentLine, 1);

  line->line_no = statement->lines->len + 1;
  line->reference = g_strdup (reference);
  line->account = g_strdup ("PL61109010140000071219812874");
  line->value_date = g_strdup ("2026-11-21");
  line->amount_minor = amount;
  line->currency = g_strdup (currency);
  line->title = g_strdup (title);
  line->payer_name = g_strdup (name);
  line->payer_account = g_strdup (account);
  line->payer_tax_id = g_strdup (tax_id);
  line->raw = g_strdup (reference);
  dd_payment_statement_add (statement, line, seen);
}

/* The MT940 sample: invoice numbers in the titles (one cut between ~20 and ~21) pay case 1
 * in part (its declaration is kept), case 4 in part (its declaration stays pending: not yet
 * the promised amount) and case 6 more than it owed (closed as paid). */
static void
test_import_mt940 (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(DdPaymentStatement) statement = parse_sample (sample_mt940, "WINDOWS-1250");
  g_autoptr(DdCaseDetails) details = NULL;
  g_autoptr(GError) error = NULL;
  DdPaymentImportSummary summary;
  gboolean found_paid = FALSE;

  import (f, statement, FALSE, &summary);
  g_assert_cmpuint (summary.n_read, ==, 3);
  g_assert_cmpuint (summary.n_debits, ==, 1);
  g_assert_cmpuint (summary.n_repeats, ==, 0);
  g_assert_cmpuint (summary.n_matched, ==, 3);
  g_assert_cmpuint (summary.n_by[DD_PAYMENT_MATCH_INVOICE], ==, 3);
  g_assert_cmpuint (summary.n_unmatched, ==, 0);
  g_assert_cmpuint (summary.n_partial, ==, 2);
  g_assert_cmpuint (summary.n_over, ==, 1);
  g_assert_cmpuint (summary.n_closed, ==, 1);
  g_assert_cmpuint (summary.n_kept, ==, 1);
  g_assert_cmpuint (summary.n_broken, ==, 0);
  g_assert_cmpuint (summary.read_totals->len, ==, 1);
  g_assert_cmpint (((DdPaymentTotal *) g_ptr_array_index (summary.read_totals, 0))->minor, ==,
                   108300);
  dd_payment_import_summary_clear (&summary);

  g_assert_cmpint (sql_int (f, "SELECT balance_minor FROM debt_case WHERE id = 1"), ==, 50000);
  g_assert_cmpint (sql_int (f, "SELECT balance_minor FROM debt_case WHERE id = 4"), ==, 15000);
  g_assert_cmpint (sql_int (f, "SELECT balance_minor FROM debt_case WHERE id = 6"), ==, -3200);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM balance_history WHERE reason = 'payment'"),
                   ==, 3);
  g_assert_cmpstr (sql_text (f, "SELECT state FROM declaration WHERE case_id = 1"), ==, "kept");
  g_assert_cmpstr (sql_text (f, "SELECT state FROM declaration WHERE case_id = 4"), ==,
                   "pending");
  g_assert_cmpstr (sql_text (f, "SELECT status FROM debt_case WHERE id = 6"), ==, "closed");
  g_assert_cmpstr (sql_text (f, "SELECT status FROM debt_case WHERE id = 1"), ==, "new");
  /* one audit row for the import; the case closed as paid has its own */
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM audit_log WHERE action = 'payment.import'"
                               " AND details LIKE '%\"matched\":3%'"), ==, 1);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM audit_log WHERE action = 'case.status'"
                               " AND entity_id = 6"), ==, 1);
  /* the payer's account is remembered for the debtor */
  g_assert_cmpint (sql_int (f, "SELECT debtor_id FROM debtor_account"
                               " WHERE account = 'PL61109010140000071219812874'"), ==, 1);

  /* the case page: the payment in the timeline, the declaration kept, the case closed as paid */
  details = dd_case_store_get_details (f->base.cases, 6, &error);
  g_assert_no_error (error);
  g_assert_cmpint (details->status, ==, DD_CASE_STATUS_CLOSED);
  for (guint i = 0; i < details->timeline->len; i++)
    {
      DdCaseActivity *activity = g_ptr_array_index (details->timeline, i);
      g_autofree char *text = dd_case_activity_describe (activity);

      if (g_str_equal (activity->kind, "payment"))
        g_assert_cmpint (activity->amount_minor, ==, 3300);
      if (g_strcmp0 (text, "Status: New → Closed: paid in full") == 0)
        found_paid = TRUE;
    }
  g_assert_true (found_paid);
  g_clear_pointer (&details, dd_case_details_free);
  details = dd_case_store_get_details (f->base.cases, 1, &error);
  g_assert_no_error (error);
  {
    DdCaseActivity *newest = g_ptr_array_index (details->timeline, 0);
    g_autofree char *text = NULL;
    gboolean found_kept = FALSE;

    for (guint i = 0; i < details->timeline->len; i++)
      {
        newest = g_ptr_array_index (details->timeline, i);
        text = (g_free (text), dd_case_activity_describe (newest));
        if (g_strcmp0 (text, "Payment declaration Pending → Kept: the promised amount was paid")
            == 0)
          found_kept = TRUE;
      }
    g_assert_true (found_kept);
  }
}

/* Importing the same statement again adds nothing. */
static void
test_import_twice (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(DdPaymentStatement) statement = parse_sample (sample_mt940, "WINDOWS-1250");
  g_autoptr(DdPaymentStatement) again = parse_sample (sample_mt940, "UTF-8");
  DdPaymentImportSummary summary;
  gint64 history;

  import (f, statement, FALSE, &summary);
  dd_payment_import_summary_clear (&summary);
  history = sql_int (f, "SELECT COUNT(*) FROM balance_history");

  import (f, again, FALSE, &summary);
  g_assert_cmpuint (summary.n_read, ==, 3);
  g_assert_cmpuint (summary.n_repeats, ==, 3);
  g_assert_cmpuint (summary.n_matched, ==, 0);
  g_assert_cmpuint (summary.n_unmatched, ==, 0);
  dd_payment_import_summary_clear (&summary);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM payment"), ==, 3);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM balance_history"), ==, history);
  g_assert_cmpint (sql_int (f, "SELECT balance_minor FROM debt_case WHERE id = 1"), ==, 50000);
}

/* A dry run says what an import would do and changes nothing. */
static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(DdPaymentStatement) statement = parse_sample (sample_mt940, "UTF-8");
  DdPaymentImportSummary summary;

  import (f, statement, TRUE, &summary);
  g_assert_cmpuint (summary.n_matched, ==, 3);
  g_assert_cmpuint (summary.n_closed, ==, 1);
  dd_payment_import_summary_clear (&summary);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM payment"), ==, 0);
  g_assert_cmpint (sql_int (f, "SELECT balance_minor FROM debt_case WHERE id = 1"), ==, 150000);
  g_assert_cmpstr (sql_text (f, "SELECT status FROM debt_case WHERE id = 6"), ==, "new");
}

/* The 1C sample: the invoice number pays case 3; Сидоров waits in the unmatched list, is
 * assigned by hand, unassigned (audited), and ignored. */
static void
test_1c_unmatched_assigned (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(DdPaymentStatement) statement = parse_sample (sample_1c, "WINDOWS-1251");
  g_autoptr(GPtrArray) unmatched = NULL;
  g_autoptr(GError) error = NULL;
  DdPaymentImportSummary summary;
  DdPaymentRecord *record;
  gint64 payment_id;

  import (f, statement, FALSE, &summary);
  g_assert_cmpuint (summary.n_matched, ==, 1);
  g_assert_cmpuint (summary.n_by[DD_PAYMENT_MATCH_INVOICE], ==, 1);
  g_assert_cmpuint (summary.n_unmatched, ==, 1);
  g_assert_cmpint (((DdPaymentTotal *) g_ptr_array_index (summary.unmatched_totals, 0))->minor,
                   ==, 120000);
  dd_payment_import_summary_clear (&summary);
  g_assert_cmpint (sql_int (f, "SELECT balance_minor FROM debt_case WHERE id = 3"), ==, 540000);

  unmatched = dd_payment_store_list (f->payments, "unmatched", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unmatched->len, ==, 1);
  record = g_ptr_array_index (unmatched, 0);
  g_assert_cmpstr (record->payer_name, ==, "Сидоров Пётр Ильич");
  g_assert_cmpint (record->amount_minor, ==, 120000);
  g_assert_cmpstr (record->source, ==, "1c");
  payment_id = record->id;

  /* a payment in RUB does not go to a case in PLN */
  g_assert_false (dd_payment_store_assign (f->payments, 1, payment_id, 1, &error));
  g_assert_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (dd_payment_store_assign (f->payments, 1, payment_id, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (f, "SELECT balance_minor FROM debt_case WHERE id = 3"), ==, 420000);
  g_assert_cmpstr (sql_text (f, "SELECT match_method || ' ' || assigned_by FROM payment"
                                " WHERE state = 'matched' AND source = '1c' AND amount_minor = 120000"),
                   ==, "manual 1");
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM audit_log WHERE action = 'payment.match'"
                               " AND agent_id = 1"), ==, 1);
  /* assigned twice: refused */
  g_assert_false (dd_payment_store_assign (f->payments, 1, payment_id, 3, &error));
  g_assert_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_STATE);
  g_clear_error (&error);

  g_assert_true (dd_payment_store_unassign (f->payments, 2, payment_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (f, "SELECT balance_minor FROM debt_case WHERE id = 3"), ==, 540000);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM audit_log WHERE action = 'payment.unassign'"
                               " AND agent_id = 2 AND entity_id = 2"), ==, 1);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM activity WHERE case_id = 3"
                               " AND kind = 'payment-unassigned'"), ==, 1);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM balance_history WHERE case_id = 3"
                               " AND reason = 'payment-undone' AND balance_minor = 540000"), ==, 1);

  g_assert_true (dd_payment_store_ignore (f->payments, 1, payment_id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&unmatched, g_ptr_array_unref);
  unmatched = dd_payment_store_list (f->payments, "unmatched", 0, &error);
  g_assert_cmpuint (unmatched->len, ==, 0);
  g_assert_cmpstr (sql_text (f, "SELECT state FROM payment WHERE id = 2"), ==, "ignored");
  /* an ignored payment can still be assigned */
  g_assert_true (dd_payment_store_assign (f->payments, 1, payment_id, 3, &error));
  g_assert_no_error (error);
}

/* Case 4 promised 100,00 zł for 2026-11-20; the office's grace is 3 days. */
static void
test_promise_kept (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dd_payment_store_record (f->payments, 1, 4, 10000, NULL, "2026-11-23", NULL,
                                          NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sql_text (f, "SELECT state FROM declaration WHERE case_id = 4"), ==, "kept");
  g_assert_cmpint (sql_int (f, "SELECT balance_minor FROM debt_case WHERE id = 4"), ==, 10000);
  g_assert_cmpstr (sql_text (f, "SELECT status FROM debt_case WHERE id = 4"), ==,
                   "payment-declaration");
}

static void
test_promise_late (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  dd_payment_store_set_clock (f->payments, "2026-11-30T12:00:00Z", "2026-11-30");
  g_assert_true (dd_payment_store_record (f->payments, 1, 4, 10000, NULL, "2026-11-24", NULL,
                                          NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sql_text (f, "SELECT state FROM declaration WHERE case_id = 4"), ==, "broken");
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM activity WHERE case_id = 4"
                               " AND kind = 'declaration-settled'"
                               " AND refs LIKE '%late-payment%'"), ==, 1);
}

/* With no grace days the same payment on 2026-11-21 is late; the setting is honoured. */
static void
test_promise_grace_setting (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  dd_payment_store_set_grace_days (f->payments, 0);
  g_assert_true (dd_payment_store_record (f->payments, 1, 4, 10000, NULL, "2026-11-21", NULL,
                                          NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sql_text (f, "SELECT state FROM declaration WHERE case_id = 4"), ==, "broken");
}

/* A partial payment lowers the balance, keeps the case open and the promise pending. */
static void
test_partial (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dd_payment_store_record (f->payments, 1, 4, 4000, NULL, "2026-11-21", "cash",
                                          NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (f, "SELECT balance_minor FROM debt_case WHERE id = 4"), ==, 16000);
  g_assert_cmpstr (sql_text (f, "SELECT state FROM declaration WHERE case_id = 4"), ==, "pending");
  g_assert_cmpstr (sql_text (f, "SELECT status FROM debt_case WHERE id = 4"), ==,
                   "payment-declaration");
  /* the second part completes the promise */
  g_assert_true (dd_payment_store_record (f->payments, 1, 4, 6000, NULL, "2026-11-22", NULL,
                                          NULL, &error));
  g_assert_cmpstr (sql_text (f, "SELECT state FROM declaration WHERE case_id = 4"), ==, "kept");
}

/* Paid in full: closed by the system; a manager can reopen; unassigning the payment puts the
 * case, its balance and its declaration back. */
static void
test_paid_closes (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DdStatusChange reopen = { .status = DD_CASE_STATUS_NEW };
  gint64 payment_id = 0;

  g_assert_true (dd_payment_store_record (f->payments, 1, 4, 20000, NULL, "2026-11-22", NULL,
                                          &payment_id, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sql_text (f, "SELECT status FROM debt_case WHERE id = 4"), ==, "closed");
  g_assert_cmpint (sql_int (f, "SELECT balance_minor FROM debt_case WHERE id = 4"), ==, 0);
  g_assert_cmpstr (sql_text (f, "SELECT state FROM declaration WHERE case_id = 4"), ==, "kept");
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM activity WHERE case_id = 4 AND kind = 'status'"
                               " AND agent_id IS NULL AND refs LIKE '%\"paid\"%'"), ==, 1);

  g_assert_true (dd_payment_store_unassign (f->payments, 1, payment_id, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sql_text (f, "SELECT status FROM debt_case WHERE id = 4"), ==,
                   "payment-declaration");
  g_assert_cmpint (sql_int (f, "SELECT balance_minor FROM debt_case WHERE id = 4"), ==, 20000);
  g_assert_cmpstr (sql_text (f, "SELECT state FROM declaration WHERE case_id = 4"), ==, "pending");
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM debt_case WHERE id = 4"
                               " AND closed_at IS NULL"), ==, 1);

  /* closed again; only a manager reopens */
  g_assert_true (dd_payment_store_assign (f->payments, 1, payment_id, 4, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sql_text (f, "SELECT status FROM debt_case WHERE id = 4"), ==, "closed");
  g_assert_false (dd_case_store_set_status (f->base.cases, 1, 4, &reopen, &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_true (dd_case_store_set_status (f->base.cases, 2, 4, &reopen, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sql_text (f, "SELECT status FROM debt_case WHERE id = 4"), ==, "new");
}

/* The rules in order: tax ID, the account learnt from an earlier payment, name + amount. */
static void
test_match_rules (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(DdPaymentStatement) first = dd_payment_statement_new (DD_PAYMENT_FORMAT_CSV, "UTF-8");
  g_autoptr(DdPaymentStatement) second = dd_payment_statement_new (DD_PAYMENT_FORMAT_CSV, "UTF-8");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  DdPaymentImportSummary summary;

  add_line (first, seen, "R1", 1000, "PLN", "Spłata długu", "Ł. Ż.", NULL, "526-025-02-74");
  add_line (first, seen, "R2", 2000, "PLN", "przelew", "Someone Else", "PL11222233334444", NULL);
  add_line (first, seen, "R3", 20000, "PLN", "Zwrot", "NOWAK ANNA", NULL, NULL);
  add_line (first, seen, "R4", 12345, "PLN", "Zwrot", "Anna Nowak", NULL, NULL);
  add_line (first, seen, "R5", 500, "RUB", "за Петрова ИНН 7707083893", NULL, NULL, NULL);
  import (f, first, FALSE, &summary);
  g_assert_cmpuint (summary.n_by[DD_PAYMENT_MATCH_TAX_ID], ==, 2);
  g_assert_cmpuint (summary.n_by[DD_PAYMENT_MATCH_NAME_AMOUNT], ==, 1);
  g_assert_cmpuint (summary.n_unmatched, ==, 2);
  dd_payment_import_summary_clear (&summary);
  g_assert_cmpint (sql_int (f, "SELECT case_id FROM payment WHERE bank_reference = 'R1'"), ==, 1);
  g_assert_cmpint (sql_int (f, "SELECT case_id FROM payment WHERE bank_reference = 'R3'"), ==, 4);
  g_assert_cmpint (sql_int (f, "SELECT case_id FROM payment WHERE bank_reference = 'R5'"), ==, 3);

  /* R2 assigned by hand to case 2 (debtor 1): its account is remembered */
  g_assert_true (dd_payment_store_assign (f->payments, 1,
                                          sql_int (f, "SELECT id FROM payment"
                                                      " WHERE bank_reference = 'R2'"),
                                          2, &error));
  g_assert_no_error (error);
  add_line (second, seen, "R6", 3000, "PLN", "przelew", "Someone Else", "PL11222233334444", NULL);
  import (f, second, FALSE, &summary);
  g_assert_cmpuint (summary.n_by[DD_PAYMENT_MATCH_ACCOUNT], ==, 1);
  dd_payment_import_summary_clear (&summary);
  g_assert_cmpint (sql_int (f, "SELECT c.debtor_id FROM payment p JOIN debt_case c"
                               " ON c.id = p.case_id WHERE bank_reference = 'R6'"), ==, 1);

  /* R6 was not debtor 1's: the account is a payment service's that several debtors pay
   * through (PayU, Przelewy24, a bank's transit account). Moved by hand to case 4 (another
   * debtor), the account no longer tells who pays: R7 waits unmatched. */
  {
    g_autoptr(DdPaymentStatement) third = dd_payment_statement_new (DD_PAYMENT_FORMAT_CSV,
                                                                    "UTF-8");
    gint64 r6 = sql_int (f, "SELECT id FROM payment WHERE bank_reference = 'R6'");

    g_assert_true (dd_payment_store_unassign (f->payments, 1, r6, &error));
    g_assert_no_error (error);
    g_assert_true (dd_payment_store_assign (f->payments, 1, r6, 4, &error));
    g_assert_no_error (error);
    add_line (third, seen, "R7", 4000, "PLN", "przelew", "Someone Else", "PL11222233334444",
              NULL);
    import (f, third, FALSE, &summary);
    g_assert_cmpuint (summary.n_by[DD_PAYMENT_MATCH_ACCOUNT], ==, 0);
    g_assert_cmpuint (summary.n_unmatched, ==, 1);
    dd_payment_import_summary_clear (&summary);
    g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM payment WHERE bank_reference = 'R7'"
                                 " AND case_id IS NULL AND state = 'unmatched'"), ==, 1);
  }
}

/* Titles write invoice numbers their own way: spaces or dashes for slashes, the prefix apart,
 * "N" for "№", glued to the word before where a bank cut the title into subfields. A number
 * alone that reads like a date is not taken. */
static void
test_invoice_written_differently (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(DdPaymentStatement) statement = dd_payment_statement_new (DD_PAYMENT_FORMAT_CSV,
                                                                      "UTF-8");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  DdPaymentImportSummary summary;

  g_assert_true (dd_database_execute (f->base.db, &error,
                                      "INSERT INTO liability (case_id, invoice_no, amount_minor,"
                                      " currency, created_at, updated_at) VALUES"
                                      " (2, '21/11/2026', 100, 'PLN', 'x', 'x')", DD_END));
  g_assert_no_error (error);
  add_line (statement, seen, "W1", 700, "PLN", "Zapłata za fv 2026/03/0007", "X", NULL, NULL);
  add_line (statement, seen, "W2", 800, "PLN", "FAKTURA FV-2026-02-0002", "Y", NULL, NULL);
  add_line (statement, seen, "W3", 900, "RUB", "Оплата по счету N СЧ-123/45", NULL, NULL, NULL);
  add_line (statement, seen, "W4", 950, "RUB", "Оплата по сч.СЧ-123/45", NULL, NULL, NULL);
  add_line (statement, seen, "W5", 1000, "PLN", "Wpłata z dnia 21.11.2026", "Z", NULL, NULL);
  add_line (statement, seen, "W6", 1100, "PLN", "Zapłata za fakturęFV/2026/01/0001 dziękuję",
            "Q", NULL, NULL);
  add_line (statement, seen, "W7", 1200, "PLN", "Rata nrE-77-2026", "Q", NULL, NULL);
  import (f, statement, FALSE, &summary);
  g_assert_cmpuint (summary.n_by[DD_PAYMENT_MATCH_INVOICE], ==, 5);
  g_assert_cmpuint (summary.n_unmatched, ==, 2);
  dd_payment_import_summary_clear (&summary);
  g_assert_cmpint (sql_int (f, "SELECT case_id FROM payment WHERE bank_reference = 'W1'"), ==, 1);
  g_assert_cmpint (sql_int (f, "SELECT case_id FROM payment WHERE bank_reference = 'W2'"), ==, 2);
  g_assert_cmpint (sql_int (f, "SELECT case_id FROM payment WHERE bank_reference = 'W3'"), ==, 3);
  g_assert_cmpint (sql_int (f, "SELECT case_id FROM payment WHERE bank_reference = 'W6'"), ==, 1);
  g_assert_cmpint (sql_int (f, "SELECT case_id FROM payment WHERE bank_reference = 'W7'"), ==, 4);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM payment WHERE bank_reference = 'W5'"
                               " AND case_id IS NULL"), ==, 1);
}

/* Names as banks write them: the address after the name, the patronymic; a first name alone
 * is no one. */
static void
test_name_with_address (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(DdPaymentStatement) statement = dd_payment_statement_new (DD_PAYMENT_FORMAT_CSV,
                                                                      "UTF-8");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  DdPaymentImportSummary summary;

  add_line (statement, seen, "N1", 20000, "PLN", "przelew",
            "ANNA NOWAK UL. KWIATOWA 1 00-001 WARSZAWA", NULL, NULL);
  add_line (statement, seen, "N2", 990000, "RUB", "погашение", "ПЕТРОВ ИВАН ИВАНОВИЧ", NULL,
            NULL);
  add_line (statement, seen, "N3", 5000, "PLN", "przelew", "ANNA", NULL, NULL);
  import (f, statement, FALSE, &summary);
  g_assert_cmpuint (summary.n_by[DD_PAYMENT_MATCH_NAME_AMOUNT], ==, 2);
  g_assert_cmpuint (summary.n_unmatched, ==, 1);
  dd_payment_import_summary_clear (&summary);
  g_assert_cmpint (sql_int (f, "SELECT case_id FROM payment WHERE bank_reference = 'N1'"), ==, 4);
  g_assert_cmpint (sql_int (f, "SELECT case_id FROM payment WHERE bank_reference = 'N2'"), ==, 3);
}

/* A failure in the middle of an import leaves nothing behind: one transaction. */
static void
test_all_or_nothing (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(DdPaymentStatement) statement = dd_payment_statement_new (DD_PAYMENT_FORMAT_CSV,
                                                                      "UTF-8");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  DdPaymentImportSummary summary;

  add_line (statement, seen, "A1", 100000, "PLN", "FV/2026/01/0001", NULL, NULL, NULL);
  add_line (statement, seen, "A2", 1000, "PLN", "x", NULL, NULL, NULL);
  /* a line the database refuses (no date) */
  g_clear_pointer (&((DdPaymentLine *) g_ptr_array_index (statement->lines, 1))->value_date,
                   g_free);
  dd_payment_import_summary_init (&summary);
  g_assert_false (dd_payment_store_import (f->payments, statement, "x", FALSE, 0, &summary,
                                           &error));
  g_assert_nonnull (error);
  dd_payment_import_summary_clear (&summary);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM payment"), ==, 0);
  g_assert_cmpint (sql_int (f, "SELECT balance_minor FROM debt_case WHERE id = 1"), ==, 150000);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM balance_history"), ==, 0);
}

static void
test_record_checks (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (dd_payment_store_record (f->payments, 1, 4, 0, NULL, "2026-11-20", NULL, NULL,
                                           &error));
  g_assert_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "A payment needs an amount above zero.");
  g_clear_error (&error);
  g_assert_false (dd_payment_store_record (f->payments, 1, 4, 100, NULL, "2026-11-24", NULL, NULL,
                                           &error));
  g_assert_cmpstr (error->message, ==, "A payment cannot be dated in the future.");
  g_clear_error (&error);
  g_assert_false (dd_payment_store_check_paid_on (f->payments, "2026-02-30", &error));
  g_assert_cmpstr (error->message, ==, "“2026-02-30” is not a date (YYYY-MM-DD).");
  g_clear_error (&error);
  g_assert_false (dd_payment_store_record (f->payments, 1, 99, 100, NULL, "2026-11-20", NULL,
                                           NULL, &error));
  g_assert_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_NOT_FOUND);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM payment"), ==, 0);
}

static void
test_outstanding (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) totals = NULL;
  g_autoptr(GError) error = NULL;
  gint64 open = 0;

  g_assert_true (dd_payment_store_outstanding (f->payments, &totals, &open, &error));
  g_assert_no_error (error);
  g_assert_cmpint (open, ==, 5);
  g_assert_cmpuint (totals->len, ==, 2);
  g_assert_cmpstr (((DdPaymentTotal *) g_ptr_array_index (totals, 0))->currency, ==, "PLN");
  g_assert_cmpint (((DdPaymentTotal *) g_ptr_array_index (totals, 0))->minor, ==, 175100);
  g_assert_cmpint (((DdPaymentTotal *) g_ptr_array_index (totals, 1))->minor, ==, 990000);
}

/* Imports a receivables export (UTF-8, ';') of creditor Alfa Bank into the fixture's office. */
static void
import_receivables (Fixture    *f,
                    const char *name,
                    const char *csv)
{
  g_autofree char *path = g_build_filename (f->base.dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(DdImporter) importer = dd_importer_new (f->base.db);
  g_autoptr(GError) error = NULL;
  DdImportOptions options;
  DdImportSummary *summary;

  g_assert_true (g_file_set_contents (path, csv, -1, &error));
  dd_import_options_init (&options);
  options.country = "PL";
  options.creditor = "Alfa Bank";
  options.mark_missing_paid = TRUE;
  summary = dd_importer_run (importer, file, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (summary);
  dd_import_summary_free (summary);
}

#define RECEIVABLES_HEADER \
  "Kontrahent;Telefon;Nr faktury;Termin płatności;Kwota brutto;Pozostało do zapłaty\n"

static gint64
case_balance (Fixture *f)
{
  return sql_int (f, "SELECT c.balance_minor FROM debt_case c JOIN liability l"
                     " ON l.case_id = c.id WHERE l.invoice_no = 'FV/2026/11/0900'");
}

/* Re-importing the receivables export keeps what was paid: the export's remaining amounts
 * already hold what the accounting system booked; a payment matched here counts until an
 * export shows it (an invoice's remaining amount lowered or the invoice gone), and an amount
 * the accounting system booked first is not taken off twice when the payment arrives. */
static void
test_reimport_keeps_payments (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(DdPaymentStatement) statement = dd_payment_statement_new (DD_PAYMENT_FORMAT_CSV,
                                                                      "UTF-8");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  const char *first =
    RECEIVABLES_HEADER
    "Ewa Zielińska;601999888;FV/2026/11/0900;15.10.2026;1200,00;1000,00\n"
    "Ewa Zielińska;601999888;FV/2026/11/0901;25.10.2026;400,00;400,00\n";
  const char *booked =          /* the accounting system booked the 300.00 on 0900 */
    RECEIVABLES_HEADER
    "Ewa Zielińska;601999888;FV/2026/11/0900;15.10.2026;1200,00;700,00\n"
    "Ewa Zielińska;601999888;FV/2026/11/0901;25.10.2026;400,00;400,00\n";
  const char *booked_first =    /* …and a 100.00 on 0901 that the bank has not told us yet */
    RECEIVABLES_HEADER
    "Ewa Zielińska;601999888;FV/2026/11/0900;15.10.2026;1200,00;700,00\n"
    "Ewa Zielińska;601999888;FV/2026/11/0901;25.10.2026;400,00;300,00\n";
  DdPaymentImportSummary summary;
  gint64 case_id, payment_id = 0;

  import_receivables (f, "first.csv", first);
  case_id = sql_int (f, "SELECT case_id FROM liability WHERE invoice_no = 'FV/2026/11/0900'");
  g_assert_cmpint (case_balance (f), ==, 140000);

  g_assert_true (dd_payment_store_record (f->payments, 1, case_id, 30000, NULL, "2026-11-21",
                                          NULL, &payment_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (case_balance (f), ==, 110000);

  /* the same export again: the payment is not in it, it still counts */
  import_receivables (f, "first.csv", first);
  g_assert_cmpint (case_balance (f), ==, 110000);

  /* the next export has booked it: counted once */
  import_receivables (f, "booked.csv", booked);
  g_assert_cmpint (case_balance (f), ==, 110000);
  import_receivables (f, "booked.csv", booked);
  g_assert_cmpint (case_balance (f), ==, 110000);

  /* booked by the accounting system before the bank statement reaches us: the statement's
   * payment does not lower the balance a second time */
  import_receivables (f, "booked-first.csv", booked_first);
  g_assert_cmpint (case_balance (f), ==, 100000);
  add_line (statement, seen, "B1", 10000, "PLN", "FV/2026/11/0901", "Ewa Zielińska", NULL, NULL);
  import (f, statement, FALSE, &summary);
  g_assert_cmpuint (summary.n_matched, ==, 1);
  dd_payment_import_summary_clear (&summary);
  g_assert_cmpint (case_balance (f), ==, 100000);
  import_receivables (f, "booked-first.csv", booked_first);
  g_assert_cmpint (case_balance (f), ==, 100000);

  /* the debt is settled in the accounting system: the invoices leave the export */
  import_receivables (f, "settled.csv",
                      RECEIVABLES_HEADER
                      "Ewa Zielińska;601999888;FV/2026/11/0902;25.11.2026;50,00;50,00\n");
  g_assert_cmpint (case_balance (f), ==, 5000);
  g_assert_cmpint (sql_int (f, "SELECT SUM(unbooked_minor) FROM payment"), ==, 0);

  /* the accounting system takes back 300.00 it had booked on 0901: it is owed again, and no
   * longer waits for a payment to cover it */
  import_receivables (f, "reversed.csv",
                      RECEIVABLES_HEADER
                      "Ewa Zielińska;601999888;FV/2026/11/0901;25.10.2026;400,00;300,00\n"
                      "Ewa Zielińska;601999888;FV/2026/11/0902;25.11.2026;50,00;50,00\n");
  g_assert_cmpint (case_balance (f), ==, 35000);
  g_assert_cmpint (sql_int (f, "SELECT c.booked_unmatched_minor FROM debt_case c JOIN liability l"
                               " ON l.case_id = c.id WHERE l.invoice_no = 'FV/2026/11/0900'"),
                   ==, 70000);
}

/* An export with invoice totals only (nothing of what was paid): every payment keeps
 * counting across re-imports; unassigning one puts its amount back. */
static void
test_reimport_totals_only (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *csv =
    "Kontrahent;Telefon;Nr faktury;Termin płatności;Kwota brutto\n"
    "Ewa Zielińska;601999888;FV/2026/11/0900;15.10.2026;1000,00\n";
  gint64 case_id, payment_id = 0;

  import_receivables (f, "totals.csv", csv);
  case_id = sql_int (f, "SELECT case_id FROM liability WHERE invoice_no = 'FV/2026/11/0900'");
  g_assert_true (dd_payment_store_record (f->payments, 1, case_id, 25000, NULL, "2026-11-21",
                                          NULL, &payment_id, &error));
  g_assert_no_error (error);
  g_assert_true (dd_payment_store_record (f->payments, 1, case_id, 5000, NULL, "2026-11-22",
                                          NULL, NULL, &error));
  g_assert_no_error (error);
  import_receivables (f, "totals.csv", csv);
  import_receivables (f, "totals.csv", csv);
  g_assert_cmpint (case_balance (f), ==, 70000);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM balance_history h JOIN liability l"
                               " ON l.case_id = h.case_id"
                               " WHERE l.invoice_no = 'FV/2026/11/0900'"
                               " AND h.reason = 'import'"), ==, 1);

  g_assert_true (dd_payment_store_unassign (f->payments, 2, payment_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (case_balance (f), ==, 95000);
  import_receivables (f, "totals.csv", csv);
  g_assert_cmpint (case_balance (f), ==, 95000);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/dd/payment-store/" path, Fixture, NULL, setup, func, teardown)
  ADD ("import-mt940", test_import_mt940);
  ADD ("import-twice", test_import_twice);
  ADD ("dry-run", test_dry_run);
  ADD ("1c-unmatched-assigned", test_1c_unmatched_assigned);
  ADD ("promise-kept", test_promise_kept);
  ADD ("promise-late", test_promise_late);
  ADD ("promise-grace-setting", test_promise_grace_setting);
  ADD ("partial", test_partial);
  ADD ("paid-closes", test_paid_closes);
  ADD ("match-rules", test_match_rules);
  ADD ("invoice-written-differently", test_invoice_written_differently);
  ADD ("name-with-address", test_name_with_address);
  ADD ("all-or-nothing", test_all_or_nothing);
  ADD ("record-checks", test_record_checks);
  ADD ("outstanding", test_outstanding);
  ADD ("reimport-keeps-payments", test_reimport_keeps_payments);
  ADD ("reimport-totals-only", test_reimport_totals_only);
#undef ADD

  return g_test_run ();
}
