/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-campaign-audience.h"
#include "case-fixture.h"

static void
test_counts (CaseFixture   *f,
             gconstpointer  data)
{
  g_autoptr(DdCaseQuery) query = dd_case_query_new ();
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(GError) error = NULL;
  DdAudienceCounts counts;
  DdRecipient *r;

  /* Fixture: case 1 has a live mobile (and an invalid landline); case 2 is the same debtor
   * and number for another creditor; case 3's mobile is "absent" by HLR; case 4 has only a
   * landline; case 5 is closed; case 6 has no phone. */
  recipients = dd_campaign_audience_collect (f->db, query, DD_AUDIENCE_MOBILE_ONLY, TRUE, &counts,
                                             &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counts.cases, ==, 6);
  g_assert_cmpuint (counts.recipients, ==, 1);
  g_assert_cmpuint (counts.closed, ==, 1);
  g_assert_cmpuint (counts.duplicate, ==, 1);
  g_assert_cmpuint (counts.invalid, ==, 1);
  g_assert_cmpuint (counts.not_mobile, ==, 1);
  g_assert_cmpuint (counts.no_phone, ==, 1);
  g_assert_cmpuint (counts.opted_out, ==, 0);
  g_assert_cmpuint (counts.paid, ==, 0);
  g_assert_cmpuint (recipients->len, ==, 1);
  r = g_ptr_array_index (recipients, 0);
  g_assert_cmpint (r->case_id, ==, 1);
  g_assert_cmpstr (r->e164, ==, "+48601234567");
  g_assert_cmpstr (r->name, ==, "Łukasz Żółkiewski");
  g_assert_cmpstr (r->creditor, ==, "Alfa Bank");
  g_assert_cmpint (r->balance_minor, ==, 150000);
  g_assert_cmpstr (r->currency, ==, "PLN");
  g_assert_cmpstr (r->invoice, ==, "FV/2026/01/0001");
  g_assert_cmpstr (r->due_on, ==, "2026-01-10");
  g_assert_cmpint (r->invoice_minor, ==, 100000);
  g_clear_pointer (&recipients, g_ptr_array_unref);

  /* a case that owes nothing (its invoices gone from the export) gets no demand; the same
   * number's other case does */
  g_assert_true (dd_database_exec (f->db, "UPDATE debt_case SET balance_minor = 0 WHERE id = 1",
                                   &error));
  recipients = dd_campaign_audience_collect (f->db, query, DD_AUDIENCE_MOBILE_ONLY, TRUE, &counts,
                                             &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counts.paid, ==, 1);
  g_assert_cmpuint (counts.duplicate, ==, 0);
  g_assert_cmpuint (recipients->len, ==, 1);
  g_assert_cmpint (((DdRecipient *) g_ptr_array_index (recipients, 0))->case_id, ==, 2);
  g_clear_pointer (&recipients, g_ptr_array_unref);
  g_assert_true (dd_database_exec (f->db, "UPDATE debt_case SET balance_minor = 150000 "
                                   "WHERE id = 1", &error));

  /* landlines allowed: Anna's number too; opted-out debtors never */
  g_assert_true (dd_database_exec (f->db, "UPDATE debtor SET opt_out = 1 WHERE id = 1", &error));
  recipients = dd_campaign_audience_collect (f->db, query, 0, FALSE, &counts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recipients->len, ==, 0);   /* counts only */
  g_assert_cmpuint (counts.recipients, ==, 1);
  g_assert_cmpuint (counts.opted_out, ==, 2);
  g_assert_cmpuint (counts.not_mobile, ==, 0);
  g_clear_pointer (&recipients, g_ptr_array_unref);

  /* the query filters first */
  dd_case_query_add_status (query, DD_CASE_STATUS_PAYMENT_DECLARATION);
  recipients = dd_campaign_audience_collect (f->db, query, 0, TRUE, &counts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counts.cases, ==, 1);
  g_assert_cmpuint (recipients->len, ==, 1);
  g_assert_cmpstr (((DdRecipient *) g_ptr_array_index (recipients, 0))->e164, ==, "+48221234567");

  g_assert_true (dd_hlr_status_is_dead ("unreachable"));
  g_assert_false (dd_hlr_status_is_dead ("ported"));
  g_assert_false (dd_hlr_status_is_dead (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/dd/campaign-audience/counts", CaseFixture, NULL, case_fixture_setup, test_counts,
              case_fixture_teardown);

  return g_test_run ();
}
