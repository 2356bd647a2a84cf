/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-campaign-store.h"
#include "case-fixture.h"

#include <string.h>

static gint64
create (DdCampaignStore *store,
        const char      *name,
        const char      *schedule_at)
{
  g_autoptr(GError) error = NULL;
  DdCampaign campaign = { .name = (char *) name, .kind = (char *) "sms",
                          .template_text = (char *) "{name}", .schedule_at = (char *) schedule_at,
                          .throttle_per_minute = 120 };
  gint64 id = 0;

  g_assert_true (dd_campaign_store_create (store, &campaign, 2, &id, &error));
  g_assert_no_error (error);
  return id;
}

static void
test_states (CaseFixture   *f,
             gconstpointer  data)
{
  g_autoptr(DdCampaignStore) store = dd_campaign_store_new (f->db);
  g_autoptr(GError) error = NULL;
  g_autoptr(DdCampaign) campaign = NULL;
  g_autoptr(GPtrArray) list = NULL;
  DdCampaign bad = { .name = (char *) "", .kind = (char *) "sms" };
  gint64 id = create (store, "Styczeń", NULL);

  g_assert_false (dd_campaign_store_create (store, &bad, 2, NULL, &error));
  g_assert_error (error, DD_CAMPAIGN_STORE_ERROR, DD_CAMPAIGN_STORE_ERROR_INVALID);
  g_clear_error (&error);

  campaign = dd_campaign_store_get (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (campaign->name, ==, "Styczeń");
  g_assert_cmpint (campaign->state, ==, DD_CAMPAIGN_DRAFT);
  g_assert_cmpint (campaign->throttle_per_minute, ==, 120);
  g_assert_cmpint (campaign->agent_id, ==, 2);
  g_clear_pointer (&campaign, dd_campaign_free);

  /* the allowed moves, and a refused one with a translated reason */
  g_assert_false (dd_campaign_store_set_state (store, id, DD_CAMPAIGN_COMPLETED,
                                               NULL, 2, &error));
  g_assert_error (error, DD_CAMPAIGN_STORE_ERROR, DD_CAMPAIGN_STORE_ERROR_STATE);
  g_assert_nonnull (strstr (error->message, "Draft"));
  g_clear_error (&error);
  g_assert_true (dd_campaign_store_set_state (store, id, DD_CAMPAIGN_RUNNING, NULL, 2, &error));
  g_assert_true (dd_campaign_store_set_state (store, id, DD_CAMPAIGN_PAUSED, "no-credit", 0,
                                              &error));
  g_assert_no_error (error);
  campaign = dd_campaign_store_get (store, id, &error);
  g_assert_cmpint (campaign->state, ==, DD_CAMPAIGN_PAUSED);
  g_assert_cmpstr (campaign->state_reason, ==, "no-credit");
  g_assert_nonnull (campaign->started_at);
  g_clear_pointer (&campaign, dd_campaign_free);
  g_assert_true (dd_campaign_store_set_state (store, id, DD_CAMPAIGN_RUNNING, NULL, 2, &error));
  g_assert_no_error (error);

  /* a running campaign with nothing left to send completes */
  g_assert_cmpuint (dd_campaign_store_complete_finished (store, &error), ==, 1);
  g_assert_no_error (error);
  campaign = dd_campaign_store_get (store, id, &error);
  g_assert_cmpint (campaign->state, ==, DD_CAMPAIGN_COMPLETED);
  g_assert_nonnull (campaign->finished_at);
  g_assert_false (dd_campaign_store_set_state (store, id, DD_CAMPAIGN_RUNNING, NULL, 2, &error));
  g_assert_error (error, DD_CAMPAIGN_STORE_ERROR, DD_CAMPAIGN_STORE_ERROR_STATE);
  g_clear_error (&error);

  g_assert_cmpint (case_fixture_int (f, "SELECT COUNT(*) FROM audit_log"
                                        " WHERE entity = 'campaign' AND entity_id = 3"), ==, 5);
  list = dd_campaign_store_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);   /* two from the fixture */
  g_assert_cmpint (((DdCampaign *) g_ptr_array_index (list, 0))->id, ==, id);

  g_assert_null (dd_campaign_store_get (store, 999, &error));
  g_assert_error (error, DD_CAMPAIGN_STORE_ERROR, DD_CAMPAIGN_STORE_ERROR_NOT_FOUND);
}

static void
test_start_due (CaseFixture   *f,
                gconstpointer  data)
{
  g_autoptr(DdCampaignStore) store = dd_campaign_store_new (f->db);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) due = NULL;
  g_autoptr(GArray) late = NULL;
  gint64 on_time = create (store, "On time", "2026-12-01T09:00:00Z");
  gint64 missed = create (store, "Missed while closed", "2026-11-30T09:00:00Z");
  gint64 future = create (store, "Future", "2026-12-24T09:00:00Z");
  gint64 draft = create (store, "Draft", "2026-11-01T09:00:00Z");

  g_assert_true (dd_campaign_store_set_state (store, on_time, DD_CAMPAIGN_SCHEDULED, NULL, 2,
                                              &error));
  g_assert_true (dd_campaign_store_set_state (store, missed, DD_CAMPAIGN_SCHEDULED, NULL, 2,
                                              &error));
  g_assert_true (dd_campaign_store_set_state (store, future, DD_CAMPAIGN_SCHEDULED, NULL, 2,
                                              &error));
  g_assert_no_error (error);

  due = dd_campaign_store_start_due (store, "2026-12-01T09:00:20Z", 60, &late, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 2);
  g_assert_cmpint (g_array_index (due, gint64, 0), ==, missed);
  g_assert_cmpint (g_array_index (due, gint64, 1), ==, on_time);
  g_assert_cmpuint (late->len, ==, 1);
  g_assert_cmpint (g_array_index (late, gint64, 0), ==, missed);
  g_assert_cmpint (case_fixture_int (f, "SELECT COUNT(*) FROM campaign WHERE state = 'running'"
                                        " AND started_at IS NOT NULL"), ==, 2);
  g_assert_cmpint (case_fixture_int (f, "SELECT COUNT(*) FROM campaign WHERE state = 'running'"
                                        " AND state_reason = 'started-late'"), ==, 1);
  g_assert_cmpint (draft, >, 0);
  g_clear_pointer (&due, g_array_unref);
  g_clear_pointer (&late, g_array_unref);

  /* started once only */
  due = dd_campaign_store_start_due (store, "2026-12-01T09:05:00Z", 60, &late, &error);
  g_assert_cmpuint (due->len, ==, 0);
}

static void
test_window (void)
{
  g_autoptr(GTimeZone) warsaw = g_time_zone_new_identifier ("Europe/Warsaw");
  g_autoptr(GDateTime) noon = g_date_time_new_from_iso8601 ("2026-12-01T11:00:00Z", NULL);
  g_autoptr(GDateTime) evening = g_date_time_new_from_iso8601 ("2026-12-01T20:30:00Z", NULL);
  g_autoptr(GDateTime) early = g_date_time_new_from_iso8601 ("2026-12-01T05:00:00Z", NULL);
  g_autoptr(GDateTime) summer = g_date_time_new_from_iso8601 ("2026-07-01T17:30:00Z", NULL);
  const char *hours = "{\"start\":480,\"end\":1200}";   /* 8:00–20:00 */
  g_autofree char *next = NULL;

  g_assert_true (dd_campaign_window_is_open (NULL, noon, warsaw, NULL));
  g_assert_true (dd_campaign_window_is_open (" ", noon, warsaw, NULL));   /* no root */
  g_assert_true (dd_campaign_window_is_open (hours, noon, warsaw, &next));   /* 12:00 */
  g_assert_null (next);
  /* 21:30 local: tomorrow 8:00 local = 07:00 UTC in winter */
  g_assert_false (dd_campaign_window_is_open (hours, evening, warsaw, &next));
  g_assert_cmpstr (next, ==, "2026-12-02T07:00:00Z");
  g_clear_pointer (&next, g_free);
  /* 6:00 local: today 8:00 */
  g_assert_false (dd_campaign_window_is_open (hours, early, warsaw, &next));
  g_assert_cmpstr (next, ==, "2026-12-01T07:00:00Z");
  g_clear_pointer (&next, g_free);
  /* summer time: 17:30 UTC is 19:30 local, still open */
  g_assert_true (dd_campaign_window_is_open (hours, summer, warsaw, &next));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/dd/campaign-store/states", CaseFixture, NULL, case_fixture_setup, test_states,
              case_fixture_teardown);
  g_test_add ("/dd/campaign-store/start-due", CaseFixture, NULL, case_fixture_setup,
              test_start_due, case_fixture_teardown);

  g_test_add_func ("/dd/campaign-store/window", test_window);

  return g_test_run ();
}
