/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A small office shared by the tests of the cases list (test-case-*.c, test-saved-filter.c). */
#pragma once

#include "dd-case-store.h"
#include "dd-database.h"
#include "dd-test-db.h"

#include <stdlib.h>

typedef struct
{
  char        *dir;
  DdDatabase  *db;
  DdCaseStore *cases;
} CaseFixture;

#define FIXTURE_TODAY "2026-11-23"
#define FIXTURE_NOW   "2026-11-23T12:00:00Z"

static const char fixture_sql[] =
  "INSERT INTO creditor (id, name, created_at) VALUES"
  " (1, 'Alfa Bank', 'x'), (2, 'Beta Energia', 'x');"
  "INSERT INTO agent (id, name, role, created_at) VALUES"
  " (1, 'Anna Konsultant', 'consultant', 'x'), (2, 'Marek Manager', 'manager', 'x'),"
  " (3, 'Old Agent', 'consultant', 'x');"
  "UPDATE agent SET active = 0 WHERE id = 3;"
  "INSERT INTO debtor (id, dedup_key, name, tax_id, email, address, birthday, created_at,"
  " updated_at) VALUES"
  " (1, 'k1', 'Łukasz Żółkiewski', '5260250274', 'lukasz@example.pl', 'ul. Długa 1, Gdańsk',"
  "  '1980-11-23', 'x', 'x'),"
  " (2, 'k2', 'Иван Петров', '7707083893', NULL, 'Москва', '1976-02-29', 'x', 'x'),"
  " (3, 'k3', 'Anna Nowak', NULL, 'anna@example.com', NULL, '1990-05-01', 'x', 'x'),"
  " (4, 'k4', 'Jan Kowalski-Nowak', NULL, 'jan@example.com', NULL, NULL, 'x', 'x'),"
  " (5, 'k5', 'Quote \"Evil\" NEAR Ltd', NULL, NULL, NULL, NULL, 'x', 'x');"
  "INSERT INTO phone (debtor_id, e164, kind, position, hlr_status, valid, created_at) VALUES"
  " (1, '+48601234567', 'mobile', 0, 'active', 1, 'x'),"
  " (1, '+48587654321', 'landline', 1, NULL, 0, 'x'),"
  " (2, '+79161234567', 'mobile', 0, 'absent', 1, 'x'),"
  " (3, '+48221234567', 'landline', 0, NULL, 1, 'x');"
  "INSERT INTO debt_case (id, debtor_id, creditor_id, status, agent_id, next_contact_at,"
  " balance_minor, currency, last_contact_at, created_at, updated_at) VALUES"
  " (1, 1, 1, 'new', 1, NULL, 150000, 'PLN', '2026-11-20T10:00:00Z', 'x', 'x'),"
  " (2, 1, 2, 'call-later', NULL, '2026-11-24T09:00:00Z', 5000, 'PLN', NULL, 'x', 'x'),"
  " (3, 2, 1, 'no-answer', 1, NULL, 990000, 'RUB', '2026-11-01T10:00:00Z', 'x', 'x'),"
  " (4, 3, 2, 'payment-declaration', 2, NULL, 20000, 'PLN', '2026-11-22T08:00:00Z', 'x', 'x'),"
  " (5, 4, 1, 'closed', NULL, NULL, 0, 'PLN', NULL, 'x', 'x'),"
  " (6, 5, 1, 'new', NULL, NULL, 100, 'PLN', '2026-10-01T00:00:00Z', 'x', 'x');"
  "INSERT INTO liability (case_id, invoice_no, issued_on, due_on, amount_minor, currency,"
  " created_at, updated_at) VALUES"
  " (1, 'FV/2026/01/0001', '2025-12-10', '2026-01-10', 100000, 'PLN', 'x', 'x'),"
  " (1, 'FV/2026/03/0007', '2026-02-10', '2026-03-10', 50000, 'PLN', 'x', 'x'),"
  " (2, 'FV/2026/02/0002', '2026-01-15', '2026-02-15', 5000, 'PLN', 'x', 'x'),"
  " (3, 'СЧ-123/45', '2026-04-01', '2026-05-01', 990000, 'RUB', 'x', 'x'),"
  " (4, 'E-77-2026', '2026-06-01', '2026-07-01', 20000, 'PLN', 'x', 'x'),"
  " (6, 'X-1', '2026-08-01', '2026-09-01', 100, 'PLN', 'x', 'x');"
  "INSERT INTO declaration (case_id, amount_minor, currency, promised_on, channel, state,"
  " created_at) VALUES (4, 10000, 'PLN', '2026-11-20', 'ivr', 'pending', '2026-11-10T10:00:00Z'),"
  " (1, 10000, 'PLN', '2026-11-30', 'ivr', 'pending', '2026-11-10T10:00:00Z'),"
  " (3, 10000, 'RUB', '2026-10-30', 'ivr', 'kept', '2026-10-10T10:00:00Z');"
  "INSERT INTO campaign (id, name, kind, created_at, updated_at) VALUES (1, 'Nov SMS', 'sms',"
  " 'x', 'x'), (2, 'Nov calls', 'voice', 'x', 'x');"
  "INSERT INTO message (campaign_id, case_id, e164, idempotency_key, body, created_at,"
  " updated_at) VALUES (1, 3, '+79161234567', 'm1', 'Pay', 'x', 'x'),"
  " (1, 6, '+48600000006', 'm2', 'Pay', 'x', 'x');"
  "INSERT INTO call_attempt (campaign_id, case_id) VALUES (1, 4), (2, 1);"
  "UPDATE debt_case SET"
  " debtor_name = (SELECT d.name FROM debtor d WHERE d.id = debt_case.debtor_id),"
  " oldest_due_on = (SELECT MIN(l.due_on) FROM liability l"
  "                  WHERE l.case_id = debt_case.id AND l.paid_at IS NULL);";

static inline void
case_fixture_setup (CaseFixture   *f,
                    gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("dd-test-cases-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "office.db", NULL);
  f->db = dd_test_database_open (path, &error);
  g_assert_no_error (error);
  f->cases = dd_case_store_new (f->db);
  dd_case_store_set_clock (f->cases, FIXTURE_NOW, FIXTURE_TODAY);
  if (data == NULL)
    {
      g_assert_true (dd_database_exec (f->db, fixture_sql, &error));
      g_assert_no_error (error);
      g_assert_true (dd_case_store_rebuild_search (f->cases, &error));
      g_assert_no_error (error);
    }
}

static inline void
case_fixture_teardown (CaseFixture   *f,
                       gconstpointer  data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_assert_finalize_object (f->cases);
  g_assert_finalize_object (f->db);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

static inline gint64
case_fixture_int (CaseFixture *f,
                  const char  *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 value = -1;

  g_assert_true (dd_database_query_int64 (f->db, sql, &value, &error));
  g_assert_no_error (error);
  return value;
}
