/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-case-query.h"
#include "dd-case-store.h"
#include "dd-csv-reader.h"
#include "dd-demo-office.h"
#include "dd-import-summary.h"
#include "dd-importer.h"
#include "case-fixture.h"

#include <string.h>

#define CONSULTANT 1
#define MANAGER    2
#define INACTIVE   3

static gint64
count_rows (CaseFixture *f,
            const char  *sql)
{
  return case_fixture_int (f, sql);
}

static char *
text_of (CaseFixture *f,
         const char  *sql)
{
  g_autoptr(GError) error = NULL;
  DdStatement *stmt = dd_database_cached (f->db, sql, &error);
  char *text = NULL;

  g_assert_no_error (error);
  if (dd_statement_step (stmt, &error) && !dd_statement_is_null (stmt, 0))
    text = g_strdup (dd_statement_get_text (stmt, 0));
  g_assert_no_error (error);
  dd_statement_reset (stmt);
  return text;
}

static void
test_details (CaseFixture   *f,
              gconstpointer  data)
{
  g_autoptr(DdCaseDetails) details = NULL;
  g_autoptr(GError) error = NULL;
  DdCasePhone *phone;
  DdCaseLiability *liability;

  g_assert_true (dd_database_exec (f->db,
    "INSERT INTO balance_history (case_id, balance_minor, currency, reason, recorded_at)"
    " VALUES (1, 100000, 'PLN', 'import', '2026-10-01T00:00:00Z'),"
    " (1, 150000, 'PLN', 'import', '2026-11-01T00:00:00Z');"
    "INSERT INTO payment (case_id, amount_minor, currency, paid_on, source, created_at)"
    " VALUES (1, 2500, 'PLN', '2026-11-02', 'bank', '2026-11-02T09:00:00Z');"
    "INSERT INTO activity (case_id, kind, channel, body, created_at) VALUES"
    " (1, 'sms', 'sms', 'Reminder', '2026-11-01T10:00:00Z'),"
    " (1, 'call', 'voice', NULL, '2026-11-03T10:00:00Z');",
    &error));
  g_assert_no_error (error);

  details = dd_case_store_get_details (f->cases, 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (details);
  g_assert_cmpint (details->status, ==, DD_CASE_STATUS_NEW);
  g_assert_cmpstr (details->creditor_name, ==, "Alfa Bank");
  g_assert_cmpstr (details->agent_name, ==, "Anna Konsultant");
  g_assert_cmpint (details->balance_minor, ==, 150000);
  g_assert_cmpstr (details->oldest_due_on, ==, "2026-01-10");
  g_assert_cmpstr (details->debtor_name, ==, "Łukasz Żółkiewski");
  g_assert_cmpstr (details->tax_id, ==, "5260250274");
  g_assert_cmpstr (details->email, ==, "lukasz@example.pl");
  g_assert_cmpstr (details->address, ==, "ul. Długa 1, Gdańsk");
  g_assert_cmpstr (details->birthday, ==, "1980-11-23");

  g_assert_cmpuint (details->phones->len, ==, 2);
  phone = g_ptr_array_index (details->phones, 0);
  g_assert_cmpstr (phone->e164, ==, "+48601234567");
  g_assert_cmpstr (phone->kind, ==, "mobile");
  g_assert_true (phone->valid);
  g_assert_cmpstr (phone->hlr_status, ==, "active");
  phone = g_ptr_array_index (details->phones, 1);
  g_assert_cmpstr (phone->kind, ==, "landline");
  g_assert_false (phone->valid);
  g_assert_null (phone->hlr_status);

  g_assert_cmpuint (details->liabilities->len, ==, 2);
  liability = g_ptr_array_index (details->liabilities, 0);
  g_assert_cmpstr (liability->invoice_no, ==, "FV/2026/01/0001");
  g_assert_cmpint (liability->amount_minor, ==, 100000);

  g_assert_cmpuint (details->balance_history->len, ==, 2);
  g_assert_cmpint (((DdCaseBalanceEntry *) g_ptr_array_index (details->balance_history, 0))->balance_minor,
                   ==, 150000);
  g_assert_cmpuint (details->declarations->len, ==, 1);
  g_assert_cmpstr (((DdCaseDeclaration *) g_ptr_array_index (details->declarations, 0))->promised_on,
                   ==, "2026-11-30");

  /* the timeline: activities and payments, newest first */
  g_assert_cmpuint (details->timeline->len, ==, 3);
  g_assert_cmpstr (((DdCaseActivity *) g_ptr_array_index (details->timeline, 0))->kind, ==, "call");
  g_assert_cmpstr (((DdCaseActivity *) g_ptr_array_index (details->timeline, 1))->kind, ==,
                   "payment");
  g_assert_cmpint (((DdCaseActivity *) g_ptr_array_index (details->timeline, 1))->amount_minor, ==,
                   2500);
  g_assert_cmpstr (((DdCaseActivity *) g_ptr_array_index (details->timeline, 2))->kind, ==, "sms");
  g_clear_pointer (&details, dd_case_details_free);

  /* actions go on top */
  g_assert_true (dd_case_store_add_note (f->cases, CONSULTANT, 1, "Promised to call back",
                                         &error));
  g_assert_no_error (error);
  g_assert_true (dd_case_store_assign (f->cases, MANAGER, 1, MANAGER, &error));
  g_assert_no_error (error);
  details = dd_case_store_get_details (f->cases, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (details->timeline->len, ==, 5);
  g_assert_cmpstr (((DdCaseActivity *) g_ptr_array_index (details->timeline, 0))->kind, ==,
                   "assign");
  g_assert_cmpstr (((DdCaseActivity *) g_ptr_array_index (details->timeline, 0))->agent_name, ==,
                   "Marek Manager");
  g_assert_cmpstr (((DdCaseActivity *) g_ptr_array_index (details->timeline, 1))->body, ==,
                   "Promised to call back");
  for (guint i = 1; i < details->timeline->len; i++)
    g_assert_cmpstr (((DdCaseActivity *) g_ptr_array_index (details->timeline, i - 1))->created_at,
                     >=,
                     ((DdCaseActivity *) g_ptr_array_index (details->timeline, i))->created_at);
  g_assert_cmpstr (details->agent_name, ==, "Marek Manager");
  g_assert_nonnull (details->last_activity_at);
  g_clear_pointer (&details, dd_case_details_free);

  g_assert_null (dd_case_store_get_details (f->cases, 999, &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_NOT_FOUND);
}

static void
test_status (CaseFixture   *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  DdStatusChange change = { 0 };

  /* call later needs a time, which becomes the next contact */
  change.status = DD_CASE_STATUS_CALL_LATER;
  g_assert_false (dd_case_store_set_status (f->cases, CONSULTANT, 1, &change, &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  change.call_at = "2026-11-25T08:30:00Z";
  change.note = "Asked to call on Wednesday";
  g_assert_true (dd_case_store_set_status (f->cases, CONSULTANT, 1, &change, &error));
  g_assert_no_error (error);
  text = text_of (f, "SELECT status || ' ' || next_contact_at FROM debt_case WHERE id = 1");
  g_assert_cmpstr (text, ==, "call-later 2026-11-25T08:30:00Z");
  g_clear_pointer (&text, g_free);
  text = text_of (f, "SELECT refs FROM activity WHERE case_id = 1 AND kind = 'status'");
  g_assert_nonnull (strstr (text, "\"from\":\"new\""));
  g_assert_nonnull (strstr (text, "\"to\":\"call-later\""));
  g_clear_pointer (&text, g_free);

  /* payment declaration needs amount and date, and writes a declaration */
  memset (&change, 0, sizeof change);
  change.status = DD_CASE_STATUS_PAYMENT_DECLARATION;
  change.promised_on = "2026-12-01";
  g_assert_false (dd_case_store_set_status (f->cases, CONSULTANT, 1, &change, &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  change.amount_minor = 50000;
  change.promised_on = "2026-02-30";
  g_assert_false (dd_case_store_set_status (f->cases, CONSULTANT, 1, &change, &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  change.promised_on = "2026-12-01";
  g_assert_true (dd_case_store_set_status (f->cases, CONSULTANT, 1, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM declaration WHERE case_id = 1"
                                  " AND amount_minor = 50000 AND currency = 'PLN'"
                                  " AND promised_on = '2026-12-01' AND state = 'pending'"
                                  " AND agent_id = 1"), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM activity WHERE case_id = 1"
                                  " AND kind = 'declaration'"), ==, 1);

  /* no answer */
  memset (&change, 0, sizeof change);
  change.status = DD_CASE_STATUS_NO_ANSWER;
  g_assert_true (dd_case_store_set_status (f->cases, CONSULTANT, 1, &change, &error));
  g_assert_no_error (error);

  /* next contact */
  g_assert_false (dd_case_store_set_next_contact (f->cases, CONSULTANT, 1, "tomorrow", &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (dd_case_store_set_next_contact (f->cases, CONSULTANT, 1, "2026-12-05T10:00:00Z",
                                                 &error));
  g_assert_no_error (error);
  g_assert_true (dd_case_store_set_next_contact (f->cases, CONSULTANT, 2, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM debt_case WHERE id = 2"
                                  " AND next_contact_at IS NULL"), ==, 1);

  /* every change: one activity and one audit row, same time, same agent */
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM activity"), ==, 5);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM audit_log WHERE entity = 'debt_case'"
                                  " AND agent_id = 1"), ==, 5);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM activity a JOIN audit_log l"
                                  " ON l.entity_id = a.case_id AND l.at = a.created_at"
                                  " AND l.agent_id = a.agent_id"
                                  " AND l.action = 'case.' || a.kind"), >=, 5);
  text = text_of (f, "SELECT group_concat(action, ',') FROM (SELECT action FROM audit_log"
                     " ORDER BY id) AS a");
  g_assert_cmpstr (text, ==, "case.status,case.declaration,case.status,case.next-contact,"
                             "case.next-contact");
  g_clear_pointer (&text, g_free);

  /* empty notes are refused */
  g_assert_false (dd_case_store_add_note (f->cases, CONSULTANT, 1, "  \n", &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  /* unknown cases and inactive agents */
  g_assert_false (dd_case_store_add_note (f->cases, CONSULTANT, 999, "x", &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (dd_case_store_add_note (f->cases, INACTIVE, 1, "x", &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM activity"), ==, 5);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM audit_log"), ==, 5);
}

static void
test_close_permission (CaseFixture   *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DdStatusChange change = { .status = DD_CASE_STATUS_NEW };

  /* a consultant cannot close: checked in core, and nothing is written */
  g_assert_false (dd_case_store_close (f->cases, CONSULTANT, 1, "paid", &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PERMISSION);
  /* the window can say so before: the same words */
  g_assert_cmpstr (dd_case_store_refusal ("consultant", DD_CASE_STATUS_NEW, DD_CASE_STATUS_CLOSED),
                   ==, error->message);
  g_assert_null (dd_case_store_refusal ("manager", DD_CASE_STATUS_NEW, DD_CASE_STATUS_CLOSED));
  g_assert_null (dd_case_store_refusal ("consultant", DD_CASE_STATUS_NEW,
                                        DD_CASE_STATUS_NO_ANSWER));
  g_assert_nonnull (dd_case_store_refusal ("consultant", DD_CASE_STATUS_CLOSED,
                                           DD_CASE_STATUS_NEW));
  g_assert_nonnull (dd_case_store_refusal (NULL, DD_CASE_STATUS_NEW, DD_CASE_STATUS_NEW));
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM debt_case WHERE id = 1"
                                  " AND status = 'new' AND closed_at IS NULL"), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM activity"), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM audit_log"), ==, 0);

  /* nor reopen a closed case */
  g_assert_false (dd_case_store_set_status (f->cases, CONSULTANT, 5, &change, &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PERMISSION);
  g_clear_error (&error);

  /* a manager can */
  g_assert_true (dd_case_store_close (f->cases, MANAGER, 1, "paid in cash", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM debt_case WHERE id = 1"
                                  " AND status = 'closed' AND closed_at IS NOT NULL"), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM activity WHERE agent_id = 2"
                                  " AND body = 'paid in cash'"), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM audit_log WHERE agent_id = 2"
                                  " AND action = 'case.status' AND entity_id = 1"), ==, 1);
  g_assert_true (dd_case_store_set_status (f->cases, MANAGER, 1, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM debt_case WHERE id = 1"
                                  " AND status = 'new' AND closed_at IS NULL"), ==, 1);
}

/* Issue 12: a declaration of PLN 5,000 on a balance of 1,500 promised for 2020-01-01 was
 * accepted as pending; a contact time in the past too. */
static void
test_declaration_rules (CaseFixture   *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DdStatusChange change = { .status = DD_CASE_STATUS_PAYMENT_DECLARATION };
  const gint64 both[] = { 2, 1 };

  /* the date: today (2026-11-23) up to 90 days ahead */
  g_assert_cmpuint (dd_case_store_get_max_promise_days (f->cases), ==, 90);
  g_assert_false (dd_case_store_check_promised_on (f->cases, "2020-01-01", &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PAST);
  g_clear_error (&error);
  g_assert_false (dd_case_store_check_promised_on (f->cases, "2026-11-22", &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PAST);
  g_clear_error (&error);
  g_assert_true (dd_case_store_check_promised_on (f->cases, "2026-11-23", &error));
  g_assert_true (dd_case_store_check_promised_on (f->cases, "2027-02-21", &error));
  g_assert_no_error (error);
  g_assert_false (dd_case_store_check_promised_on (f->cases, "2027-02-22", &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_TOO_FAR);
  g_assert_nonnull (strstr (error->message, "2027-02-21"));
  g_clear_error (&error);
  g_assert_false (dd_case_store_check_promised_on (f->cases, "soon", &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  dd_case_store_set_max_promise_days (f->cases, 14);
  g_assert_false (dd_case_store_check_promised_on (f->cases, "2026-12-08", &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_TOO_FAR);
  g_clear_error (&error);
  g_assert_true (dd_case_store_check_promised_on (f->cases, "2026-12-07", &error));
  dd_case_store_set_max_promise_days (f->cases, 90);

  /* the amount: above zero; above the balance (PLN 1,500.00) only when confirmed */
  g_assert_false (dd_case_store_check_amount (f->cases, both, 2, 0, "PLN", FALSE, &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (dd_case_store_check_amount (f->cases, both, 1, 5000, "PLN", FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (dd_case_store_check_amount (f->cases, both, 2, 5001, "PLN", FALSE, &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_ABOVE_BALANCE);
  g_clear_error (&error);
  g_assert_true (dd_case_store_check_amount (f->cases, both, 2, 5001, "PLN", TRUE, &error));
  g_assert_no_error (error);

  /* the action checks the same */
  change.amount_minor = 500000;
  change.promised_on = "2020-01-01";
  g_assert_false (dd_case_store_set_status (f->cases, CONSULTANT, 1, &change, &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PAST);
  g_clear_error (&error);
  change.promised_on = "2026-12-01";
  g_assert_false (dd_case_store_set_status (f->cases, CONSULTANT, 1, &change, &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_ABOVE_BALANCE);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM declaration WHERE amount_minor = 500000"),
                   ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM activity"), ==, 0);
  change.above_balance_confirmed = TRUE;
  g_assert_true (dd_case_store_set_status (f->cases, CONSULTANT, 1, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM declaration WHERE amount_minor = 500000"
                                  " AND state = 'pending'"), ==, 1);

  /* contact times: not in the past (the current minute is still fine) */
  g_assert_false (dd_case_store_check_contact_time (f->cases, "2026-11-23T11:59:00Z", &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PAST);
  g_clear_error (&error);
  g_assert_true (dd_case_store_check_contact_time (f->cases, "2026-11-23T12:00:00Z", &error));
  g_assert_no_error (error);
  g_assert_false (dd_case_store_set_next_contact (f->cases, CONSULTANT, 1,
                                                  "2026-11-20T10:00:00Z", &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PAST);
  g_clear_error (&error);
  memset (&change, 0, sizeof change);
  change.status = DD_CASE_STATUS_CALL_LATER;
  change.call_at = "2026-11-22T08:00:00Z";
  g_assert_false (dd_case_store_set_status (f->cases, CONSULTANT, 2, &change, &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PAST);
  g_clear_error (&error);
}

/* Issue 12: closing a case left its declaration pending. */
static void
test_close_settles (CaseFixture   *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdCaseUndo) undo = NULL;
  const gint64 four = 4;

  /* case 1 still owes: its pending promise is broken; case 4 paid: kept */
  g_assert_true (dd_case_store_close (f->cases, MANAGER, 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM declaration WHERE case_id = 1"
                                  " AND state = 'broken'"), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM activity WHERE case_id = 1"
                                  " AND kind = 'declaration-settled' AND agent_id = 2"
                                  " AND refs LIKE '%\"to\":\"broken\"%'"), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM audit_log WHERE entity_id = 1"
                                  " AND action = 'case.declaration-settled'"), ==, 1);

  g_assert_true (dd_database_exec (f->db, "UPDATE debt_case SET balance_minor = 0 WHERE id = 4",
                                   &error));
  undo = dd_case_store_snapshot (f->cases, &four, 1, &error);
  g_assert_no_error (error);
  g_assert_true (dd_case_store_close (f->cases, MANAGER, 4, "paid", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM declaration WHERE case_id = 4"
                                  " AND state = 'kept'"), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM declaration WHERE state = 'pending'"),
                   ==, 0);
  /* the kept declaration of case 3 was not touched */
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM declaration WHERE case_id = 3"
                                  " AND state = 'kept'"), ==, 1);

  /* undoing the close makes the promise pending again */
  g_assert_true (dd_case_store_undo (f->cases, MANAGER, undo, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM declaration WHERE case_id = 4"
                                  " AND state = 'pending'"), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM declaration WHERE case_id = 3"
                                  " AND state = 'kept'"), ==, 1);
}

/* Issue 12, item 9: the timeline row of a status change says what changed. */
static void
test_timeline_describes (CaseFixture   *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdCaseDetails) details = NULL;
  g_autoptr(DdCaseUndo) undo = NULL;
  DdStatusChange change = { .status = DD_CASE_STATUS_NO_ANSWER, .note = "Nobody picked up" };
  const gint64 one = 1;
  const char *expected[] = {
    "Undone: status Closed → Payment declaration",
    "Payment declaration Pending → Broken: the case was closed",
    "Status: Payment declaration → Closed",
    "Status: No answer → Payment declaration, PLN\xc2\xa0" "500.00 promised for 2026-12-01",
    "Status: New → No answer",
    NULL,
  };

  g_assert_true (dd_case_store_set_status (f->cases, CONSULTANT, 1, &change, &error));
  g_assert_no_error (error);
  memset (&change, 0, sizeof change);
  change.status = DD_CASE_STATUS_PAYMENT_DECLARATION;
  change.amount_minor = 50000;
  change.promised_on = "2026-12-01";
  g_assert_true (dd_case_store_set_status (f->cases, CONSULTANT, 1, &change, &error));
  g_assert_no_error (error);
  /* the fixture's older promise was settled too: only the new one is pending */
  g_assert_true (dd_database_exec (f->db, "UPDATE declaration SET state = 'kept'"
                                          " WHERE case_id = 1 AND amount_minor = 10000", &error));
  undo = dd_case_store_snapshot (f->cases, &one, 1, &error);
  g_assert_true (dd_case_store_close (f->cases, MANAGER, 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (dd_case_store_undo (f->cases, MANAGER, undo, &error));
  g_assert_no_error (error);
  g_assert_true (dd_case_store_add_note (f->cases, CONSULTANT, 1, "Called back", &error));
  g_assert_no_error (error);

  details = dd_case_store_get_details (f->cases, 1, &error);
  g_assert_no_error (error);
  /* newest first: the note, then the changes (same second: by id) */
  g_assert_null (dd_case_activity_describe (g_ptr_array_index (details->timeline, 0)));
  for (guint i = 0; expected[i] != NULL; i++)
    {
      g_autofree char *text = NULL;
      DdCaseActivity *activity = NULL;

      /* find the row by its kind and position among the changes */
      for (guint j = 1, n = 0; j < details->timeline->len; j++)
        {
          DdCaseActivity *a = g_ptr_array_index (details->timeline, j);

          if (a->refs != NULL && n++ == i)
            {
              activity = a;
              break;
            }
        }
      g_assert_nonnull (activity);
      text = dd_case_activity_describe (activity);
      g_assert_cmpstr (text, ==, expected[i]);
    }
}

static void
test_bulk (CaseFixture   *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DdStatusChange change = { .status = DD_CASE_STATUS_NO_ANSWER };
  const gint64 ids[] = { 1, 2, 3 };
  const gint64 with_closed[] = { 2, 4, 5 };
  const gint64 with_missing[] = { 2, 4, 999 };

  g_assert_true (dd_case_store_bulk_set_status (f->cases, CONSULTANT, ids, G_N_ELEMENTS (ids),
                                                &change, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM debt_case WHERE status = 'no-answer'"),
                   ==, 3);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM activity"), ==, 3);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM audit_log"), ==, 3);

  /* all or nothing: a closed case (consultant) or a missing one undoes the whole bulk */
  change.status = DD_CASE_STATUS_NEW;
  g_assert_false (dd_case_store_bulk_set_status (f->cases, CONSULTANT, with_closed, 3, &change,
                                                 &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (dd_case_store_bulk_assign (f->cases, CONSULTANT, with_missing, 3, MANAGER,
                                             &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM debt_case WHERE status = 'new'"), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM debt_case WHERE agent_id = 2"), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM activity"), ==, 3);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM audit_log"), ==, 3);

  /* bulk assign, then unassign; inactive agents cannot receive cases */
  g_assert_true (dd_case_store_bulk_assign (f->cases, MANAGER, ids, 3, CONSULTANT, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM debt_case WHERE agent_id = 1"), ==, 3);
  g_assert_true (dd_case_store_bulk_assign (f->cases, MANAGER, ids, 2, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM debt_case WHERE agent_id IS NULL"), ==, 4);
  g_assert_false (dd_case_store_assign (f->cases, MANAGER, 1, INACTIVE, &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM activity WHERE kind = 'assign'"), ==, 5);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM audit_log WHERE action = 'case.assign'"),
                   ==, 5);
}

static void
test_activity_contact (CaseFixture   *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 before;

  g_assert_true (dd_case_store_add_activity (f->cases, 2, "call", "voice", "Answered",
                                             "{\"attempt\":1}", 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM debt_case WHERE id = 2"
                                  " AND last_contact_at IS NOT NULL"
                                  " AND last_contact_at = last_activity_at"), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM activity WHERE case_id = 2"
                                  " AND channel = 'voice' AND refs = '{\"attempt\":1}'"), ==, 1);
  /* a note is activity, not contact */
  before = count_rows (f, "SELECT COUNT(*) FROM debt_case WHERE last_contact_at IS NULL");
  g_assert_true (dd_case_store_add_note (f->cases, CONSULTANT, 5, "Called the bank", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM debt_case WHERE last_contact_at IS NULL"),
                   ==, before);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM debt_case WHERE id = 5"
                                  " AND last_activity_at IS NOT NULL"), ==, 1);
}

/* Reads the CSV back with the project's reader. */
static GPtrArray *
read_csv (GBytes *bytes)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(DdCsvReader) reader = dd_csv_reader_new (in, DD_CSV_ENCODING_UTF8, ';');
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  while (dd_csv_reader_next (reader, NULL, &error))
    {
      GStrvBuilder *builder = g_strv_builder_new ();

      g_assert_cmpint (dd_csv_reader_get_record_flags (reader), ==, DD_CSV_RECORD_OK);
      for (guint i = 0; i < dd_csv_reader_get_n_fields (reader); i++)
        g_strv_builder_add (builder, dd_csv_reader_get_field (reader, i));
      g_ptr_array_add (rows, g_strv_builder_end (builder));
      g_strv_builder_unref (builder);
    }
  g_assert_no_error (error);
  return rows;
}

static void
test_export_csv (CaseFixture   *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdCaseQuery) query = dd_case_query_new ();
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GStrv row;

  g_assert_true (dd_database_exec (f->db,
                                   "UPDATE debtor SET name = 'Firma \"Róża\"; sp. z o.o.' || '\n'"
                                   " || 'Oddział' WHERE id = 4;"
                                   "UPDATE debt_case SET debtor_name = (SELECT name FROM debtor"
                                   " WHERE id = 4) WHERE debtor_id = 4;",
                                   &error));
  g_assert_no_error (error);
  query->sort = DD_CASE_SORT_BALANCE;
  query->descending = TRUE;
  g_assert_true (dd_case_store_export_csv (f->cases, query, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, &error));
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_true (g_utf8_validate (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));

  rows = read_csv (bytes);
  g_assert_cmpuint (rows->len, ==, 7);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpuint (g_strv_length (row), ==, 11);
  g_assert_cmpstr (row[0], ==, "Case");
  g_assert_cmpstr (row[1], ==, "Debtor");
  g_assert_cmpstr (row[7], ==, "Status");

  row = g_ptr_array_index (rows, 1);  /* the largest balance: 9,900.00 RUB */
  g_assert_cmpstr (row[0], ==, "3");
  g_assert_cmpstr (row[1], ==, "Иван Петров");
  g_assert_cmpstr (row[2], ==, "7707083893");
  g_assert_cmpstr (row[3], ==, "Alfa Bank");
  g_assert_cmpstr (row[4], ==, "9900.00");
  g_assert_cmpstr (row[5], ==, "RUB");
  g_assert_cmpstr (row[6], ==, "2026-05-01");
  g_assert_cmpstr (row[7], ==, "No answer");
  g_assert_cmpstr (row[10], ==, "Anna Konsultant");

  row = g_ptr_array_index (rows, 5);
  g_assert_cmpstr (row[0], ==, "6");
  g_assert_cmpstr (row[1], ==, "Quote \"Evil\" NEAR Ltd");
  g_assert_cmpstr (row[4], ==, "1.00");
  g_assert_cmpstr (row[10], ==, "");

  row = g_ptr_array_index (rows, 6);
  g_assert_cmpstr (row[0], ==, "5");
  g_assert_cmpstr (row[1], ==, "Firma \"Róża\"; sp. z o.o.\nOddział");
  g_assert_cmpstr (row[4], ==, "0.00");
  g_assert_cmpstr (row[7], ==, "Closed");

  /* a filtered export */
  g_clear_object (&out);
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_pointer (&bytes, g_bytes_unref);
  out = g_memory_output_stream_new_resizable ();
  dd_case_query_set_search (query, "łukasz");
  g_assert_true (dd_case_store_export_csv (f->cases, query, out, NULL, &error));
  g_assert_true (g_output_stream_close (out, NULL, &error));
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  rows = read_csv (bytes);
  g_assert_cmpuint (rows->len, ==, 3);
}

static void
test_import_sync (CaseFixture   *f,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "demo.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(DdImporter) importer = dd_importer_new (f->db);
  g_autoptr(DdImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DdCaseQuery) query = dd_case_query_new ();
  g_autoptr(DdCaseQuerySql) sql = NULL;
  g_autofree char *name = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *invoice = NULL;
  DdDemoOfficeOptions demo = { 0 };
  gint64 n;

  /* enough cases (> 10,000) for finish_import to rebuild the list indexes */
  demo.n_debtors = 7000;
  demo.locale = "pl";
  demo.seed = 3;
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dd_demo_office_write_csv (G_OUTPUT_STREAM (out), &demo, NULL, &error));
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error));
  summary = dd_importer_run (importer, file, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (summary);

  /* every debtor is searchable, every case has its list columns */
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM debtor_search"), ==,
                   count_rows (f, "SELECT COUNT(*) FROM debtor"));
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM debt_case WHERE debtor_name IS NULL"
                                  " OR oldest_due_on IS NULL"), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM debt_case"), >, 10000);
  g_assert_cmpint (count_rows (f, dd_test_uses_postgresql ()
                                  ? "SELECT COUNT(*) FROM pg_indexes WHERE indexname IN"
                                    " ('debt_case_debtor_name', 'debt_case_balance',"
                                    " 'debt_case_oldest_due')"
                                  : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'"
                                    " AND name IN ('debt_case_debtor_name', 'debt_case_balance',"
                                    " 'debt_case_oldest_due')"), ==, 3);

  name = text_of (f, "SELECT name FROM debtor ORDER BY id DESC LIMIT 1");
  phone = text_of (f, "SELECT substr(e164, 4) FROM phone ORDER BY id DESC LIMIT 1");
  invoice = text_of (f, "SELECT invoice_no FROM liability ORDER BY id DESC LIMIT 1");
  for (guint i = 0; i < 3; i++)
    {
      const char *text = (const char *[]) { name, phone, invoice }[i];
      g_autoptr(DdStatement) stmt = NULL;

      dd_case_query_set_search (query, text);
      g_clear_pointer (&sql, dd_case_query_sql_free);
      sql = dd_case_query_build (query, "COUNT(*)", FALSE);
      stmt = dd_case_query_sql_prepare (sql, f->db, &error);
      g_assert_no_error (error);
      g_assert_true (dd_statement_step (stmt, &error));
      n = dd_statement_get_int64 (stmt, 0);
      if (n < 1)
        g_error ("“%s” not found after the import", text);
    }
}

static void
test_undo (CaseFixture   *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdCaseUndo) undo = NULL;
  g_autoptr(DdCaseUndo) undo_close = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const gint64 ids[] = { 1, 2, 3 };
  const char *state_sql = "SELECT group_concat(id || ':' || status || ':' || COALESCE(CAST(agent_id AS TEXT), '-')"
                          " || ':' || COALESCE(next_contact_at, '-') || ':'"
                          " || COALESCE(closed_at, '-'), ',')"
                          " FROM (SELECT * FROM debt_case ORDER BY id) AS c";
  DdStatusChange declare = { .status = DD_CASE_STATUS_PAYMENT_DECLARATION,
                             .amount_minor = 4000, .promised_on = "2026-12-01" };
  gint64 declarations;

  before = text_of (f, state_sql);
  declarations = count_rows (f, "SELECT COUNT(*) FROM declaration");

  /* a bulk declaration and an assignment, undone: the cases are as before, the
   * declarations gone, and the undo is itself in the timeline and the audit log */
  undo = dd_case_store_snapshot (f->cases, ids, G_N_ELEMENTS (ids), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dd_case_undo_get_n_cases (undo), ==, 3);
  g_assert_true (dd_case_store_bulk_set_status (f->cases, CONSULTANT, ids, 3, &declare, &error));
  g_assert_true (dd_case_store_bulk_assign (f->cases, CONSULTANT, ids, 3, MANAGER, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM declaration"), ==, declarations + 3);
  after = text_of (f, state_sql);
  g_assert_cmpstr (after, !=, before);

  g_assert_true (dd_case_store_undo (f->cases, CONSULTANT, undo, &error));
  g_assert_no_error (error);
  g_free (after);
  after = text_of (f, state_sql);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM declaration"), ==, declarations);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM activity WHERE kind = 'undo'"
                                  " AND agent_id = 1"), ==, 3);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM audit_log WHERE action = 'case.undo'"
                                  " AND CAST(json_extract(details, '$.declarations_removed') AS INTEGER) = 1"),
                   ==, 3);

  /* undoing a close reopens the case: a manager's right, refused to a consultant in one
   * transaction (nothing changes) */
  undo_close = dd_case_store_snapshot (f->cases, ids, 1, &error);
  g_assert_no_error (error);
  g_assert_true (dd_case_store_close (f->cases, MANAGER, 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (dd_case_store_undo (f->cases, CONSULTANT, undo_close, &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM debt_case WHERE id = 1"
                                  " AND status = 'closed'"), ==, 1);
  g_assert_true (dd_case_store_undo (f->cases, MANAGER, undo_close, &error));
  g_assert_no_error (error);
  g_free (after);
  after = text_of (f, state_sql);
  g_assert_cmpstr (after, ==, before);
}

static void
test_hlr (CaseFixture   *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n_cases = 0;

  /* Łukasz's mobile belongs to cases 1 and 2 (two creditors) */
  g_assert_true (dd_case_store_record_hlr (f->cases, CONSULTANT, "+48601234567", "unreachable",
                                           "Orange PL", "2026-11-23T10:00:00Z", &n_cases, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_cases, ==, 2);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM phone WHERE e164 = '+48601234567'"
                                  " AND hlr_status = 'unreachable' AND valid = 1"
                                  " AND hlr_checked_at = '2026-11-23T10:00:00Z'"), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM activity WHERE kind = 'hlr'"
                                  " AND body = 'Number +48601234567 checked: Unreachable'"), ==, 2);
  g_assert_cmpint (count_rows (f, "SELECT COUNT(*) FROM audit_log WHERE action = 'case.hlr'"
                                  " AND json_extract(details, '$.network') = 'Orange PL'"), ==, 2);

  /* a number not in service becomes invalid, so campaigns skip it */
  g_assert_true (dd_case_store_record_hlr (f->cases, CONSULTANT, "+79161234567", "invalid", NULL,
                                           NULL, &n_cases, &error));
  g_assert_cmpuint (n_cases, ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT valid FROM phone WHERE e164 = '+79161234567'"), ==, 0);
  g_assert_cmpstr (dd_hlr_status_to_label ("ported"), ==, "Ported");
  g_assert_cmpstr (dd_hlr_status_to_label ("whatever"), ==, "Unknown");
}

static void
test_time_zone (CaseFixture   *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdCaseDetails) details = NULL;

  /* cases 1 and 2 share debtor 1: the zone is the debtor's */
  g_assert_true (dd_case_store_set_time_zone (f->cases, 1, "Asia/Vladivostok", 1, &error));
  g_assert_no_error (error);
  details = dd_case_store_get_details (f->cases, 2, &error);
  g_assert_cmpstr (details->time_zone, ==, "Asia/Vladivostok");
  g_clear_pointer (&details, dd_case_details_free);
  g_assert_cmpint (case_fixture_int (f, "SELECT COUNT(*) FROM audit_log WHERE entity = 'debt_case'"
                                        " AND entity_id = 1"), >=, 1);

  g_assert_false (dd_case_store_set_time_zone (f->cases, 1, "Mars/Olympus", 1, &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (dd_case_store_set_time_zone (f->cases, 999, "Europe/Warsaw", 1, &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* back to the office's */
  g_assert_true (dd_case_store_set_time_zone (f->cases, 1, NULL, 1, &error));
  details = dd_case_store_get_details (f->cases, 1, &error);
  g_assert_null (details->time_zone);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/dd/case-store/time-zone", CaseFixture, NULL,
              case_fixture_setup, test_time_zone, case_fixture_teardown);
  g_test_add ("/dd/case-store/details-timeline", CaseFixture, NULL,
              case_fixture_setup, test_details, case_fixture_teardown);
  g_test_add ("/dd/case-store/status", CaseFixture, NULL,
              case_fixture_setup, test_status, case_fixture_teardown);
  g_test_add ("/dd/case-store/close-permission", CaseFixture, NULL,
              case_fixture_setup, test_close_permission, case_fixture_teardown);
  g_test_add ("/dd/case-store/declaration-rules", CaseFixture, NULL,
              case_fixture_setup, test_declaration_rules, case_fixture_teardown);
  g_test_add ("/dd/case-store/close-settles", CaseFixture, NULL,
              case_fixture_setup, test_close_settles, case_fixture_teardown);
  g_test_add ("/dd/case-store/timeline-describes", CaseFixture, NULL,
              case_fixture_setup, test_timeline_describes, case_fixture_teardown);
  g_test_add ("/dd/case-store/bulk", CaseFixture, NULL,
              case_fixture_setup, test_bulk, case_fixture_teardown);
  g_test_add ("/dd/case-store/hlr", CaseFixture, NULL,
              case_fixture_setup, test_hlr, case_fixture_teardown);
  g_test_add ("/dd/case-store/undo", CaseFixture, NULL,
              case_fixture_setup, test_undo, case_fixture_teardown);
  g_test_add ("/dd/case-store/activity-contact", CaseFixture, NULL,
              case_fixture_setup, test_activity_contact, case_fixture_teardown);
  g_test_add ("/dd/case-store/export-csv", CaseFixture, NULL,
              case_fixture_setup, test_export_csv, case_fixture_teardown);
  g_test_add ("/dd/case-store/import-sync", CaseFixture, "empty",
              case_fixture_setup, test_import_sync, case_fixture_teardown);

  return g_test_run ();
}
