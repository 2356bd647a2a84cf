/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-campaigns-view"

#include "config.h"

#include <adwaita.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dd-test-ui.h"
#include "dd-campaign-store.h"
#include "dd-campaigns-view-private.h"
#include "dd-context.h"
#include "dd-gateway-test.h"
#include "dd-database.h"
#include "dd-call-attempts.h"
#include "dd-campaign-audience.h"
#include "dd-ivr-flow-store.h"
#include "dd-sip-accounts.h"
#include "dd-voice-campaign.h"
#include "dd-outbox.h"
#include "dd-sms-dispatcher.h"

/* An office with a manager at the desk. */
static DdTestOffice *
office_new (void)
{
  g_autoptr(GError) error = NULL;
  DdTestOffice *office = dd_test_office_new ("campaigns");

  g_assert_true (dd_database_exec (office->database,
                                   "INSERT INTO agent (id, name, role, created_at)"
                                   " VALUES (1, 'Marek Manager', 'manager', 'x')",
                                   &error));
  office->context = dd_context_new (office->database, NULL);
  dd_context_set_agent (office->context, 1, "Marek Manager", TRUE);
  return office;
}

static GtkWindow *
show_view (DdContext        *context,
           DdCampaignsView **out_view)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = dd_campaigns_view_new (context);

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  dd_test_wait_until_mapped (view);
  *out_view = DD_CAMPAIGNS_VIEW (view);
  return GTK_WINDOW (window);
}

static void
count_request (guint *requested)
{
  (*requested)++;
}

static void
test_empty (void)
{
  g_autoptr(DdTestOffice) office = office_new ();
  DdCampaignsView *view;
  GtkWindow *window = show_view (office->context, &view);
  GtkWidget *empty = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (view), DD_TYPE_CAMPAIGNS_VIEW,
                                                    "empty_page");
  guint requested = 0;

  g_assert_true (gtk_widget_get_mapped (empty));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (empty)), ==, "No Campaigns Yet");
  g_signal_connect_swapped (view, "new-campaign-requested", G_CALLBACK (count_request),
                            &requested);
  g_signal_emit_by_name (adw_status_page_get_child (ADW_STATUS_PAGE (empty)), "clicked");
  g_assert_cmpuint (requested, ==, 1);
  dd_test_destroy_window (window);
}

static void
test_progress_and_actions (void)
{
  g_autoptr(DdTestOffice) office = office_new ();
  g_autoptr(DdCampaignStore) store = dd_campaign_store_new (office->database);
  g_autoptr(DdOutbox) outbox = dd_outbox_new (office->database);
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GError) error = NULL;
  DdCampaign december = { .name = (char *) "Grudzień — przypomnienia", .kind = (char *) "sms" };
  DdCampaign later = { .name = (char *) "Styczeń", .kind = (char *) "sms",
                       .schedule_at = (char *) "2027-01-10T08:00:00Z" };
  DdOutboxNew items[4] = { 0 };
  gint64 december_id = 0, later_id = 0;
  DdCampaignsView *view;
  GtkWindow *window;
  GPtrArray *rows;
  const char *subtitle;

  g_assert_true (dd_campaign_store_create (store, &december, 1, &december_id, &error));
  g_assert_true (dd_campaign_store_create (store, &later, 1, &later_id, &error));
  g_assert_true (dd_campaign_store_set_state (store, later_id, DD_CAMPAIGN_SCHEDULED, NULL, 1,
                                              &error));
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      items[i].e164 = (const char *[]) { "+48601000001", "+48601000002", "+48601000003",
                                         "+48601000004" }[i];
      items[i].body = "Prosimy o zapłatę";
      items[i].idempotency_key = (const char *[]) { "k1", "k2", "k3", "k4" }[i];
    }
  g_assert_true (dd_outbox_enqueue (outbox, december_id, "Biuro", items, 4, NULL, &error));
  g_assert_true (dd_campaign_store_set_state (store, december_id, DD_CAMPAIGN_RUNNING, NULL, 1,
                                              &error));
  claimed = dd_outbox_claim (outbox, december_id, "2099-01-01T00:00:00Z", 2, &error);
  g_assert_no_error (error);
  g_assert_true (dd_outbox_mark_sent (outbox, ((DdOutboxMessage *) claimed->pdata[0])->id,
                                      &(DdOutboxSent) { "test", "p1", 1, -1, NULL }, &error));
  g_assert_true (dd_outbox_mark_failed (outbox, ((DdOutboxMessage *) claimed->pdata[1])->id,
                                        "invalid-number", "No such number", &error));
  g_assert_no_error (error);

  window = show_view (office->context, &view);
  rows = _dd_campaigns_view_get_rows (view);
  g_assert_cmpuint (rows->len, ==, 2);
  /* newest first: the scheduled one says when */
  g_assert_cmpstr (adw_preferences_row_get_title (rows->pdata[0]), ==, "Styczeń");
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (rows->pdata[0]),
                                   "Scheduled for 2027-01-10"));
  subtitle = adw_action_row_get_subtitle (rows->pdata[1]);
  g_assert_nonnull (strstr (subtitle, "Sending"));
  /* the failed one is not counted as sent */
  g_assert_nonnull (strstr (subtitle, "1 of 4 messages sent"));
  g_assert_nonnull (strstr (subtitle, "1 failed"));
  dd_test_save_screenshot ("test-campaigns-view", "list");

  /* the test inbox shows what the test provider accepted */
  {
    GtkWidget *button = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (view),
                                                                     DD_TYPE_CAMPAIGNS_VIEW,
                                                                     "inbox_button");
    GListModel *toplevels = gtk_window_get_toplevels ();   /* not owned */
    GtkWindow *inbox = NULL;

    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

        if (g_strcmp0 (gtk_window_get_title (w), "Test Inbox") == 0)
          inbox = w;
      }
    g_assert_nonnull (inbox);
    dd_test_save_screenshot ("test-campaigns-view", "inbox");
    gtk_window_destroy (inbox);
  }

  /* pause, resume, cancel: the store follows, the rows are rebuilt */
  g_assert_true (_dd_campaigns_view_set_state (view, december_id, DD_CAMPAIGN_PAUSED, &error));
  g_assert_no_error (error);
  rows = _dd_campaigns_view_get_rows (view);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (rows->pdata[1]), "Paused"));
  g_assert_true (_dd_campaigns_view_set_state (view, december_id, DD_CAMPAIGN_RUNNING, &error));
  g_assert_true (_dd_campaigns_view_set_state (view, december_id, DD_CAMPAIGN_CANCELLED, &error));
  g_assert_no_error (error);
  {
    g_autoptr(DdCampaign) campaign = dd_campaign_store_get (store, december_id, &error);
    gint64 cancelled = 0;

    g_assert_cmpint (campaign->state, ==, DD_CAMPAIGN_CANCELLED);
    g_assert_true (dd_database_query_int64 (office->database,
                                            "SELECT COUNT(*) FROM message WHERE state = 'cancelled'",
                                            &cancelled, &error));
    g_assert_cmpint (cancelled, ==, 2);
  }
  /* a refused move is an error, not a crash */
  g_assert_false (_dd_campaigns_view_set_state (view, december_id, DD_CAMPAIGN_RUNNING, &error));
  g_assert_error (error, DD_CAMPAIGN_STORE_ERROR, DD_CAMPAIGN_STORE_ERROR_STATE);

  dd_test_destroy_window (window);
}

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_simulate_reply (void)
{
  g_autoptr(DdTestOffice) office = office_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DdGatewayTest) gateway = dd_gateway_test_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  DdCampaignsView *view;
  GtkWindow *window = show_view (office->context, &view);

  /* a real provider (or none): nothing to simulate */
  g_assert_false (_dd_campaigns_view_simulate_reply (view, "+48601000001", "STOP", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  /* the test provider passes the reply on at the next fetch */
  dd_context_set_sms_gateway (office->context, DD_SMS_GATEWAY (gateway));
  g_assert_true (_dd_campaigns_view_simulate_reply (view, "+48601000001", "STOP", &error));
  g_assert_no_error (error);
  dd_sms_gateway_fetch_replies_async (DD_SMS_GATEWAY (gateway), NULL, NULL, on_fetched, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  replies = dd_sms_gateway_fetch_replies_finish (DD_SMS_GATEWAY (gateway), result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (replies->len, ==, 1);
  g_assert_cmpstr (((DdSmsReply *) g_ptr_array_index (replies, 0))->from, ==, "+48601000001");
  g_assert_cmpstr (((DdSmsReply *) g_ptr_array_index (replies, 0))->text, ==, "STOP");
  dd_context_set_sms_gateway (office->context, NULL);
  dd_test_destroy_window (window);
}

/* A refused token pauses the campaign: the page says why in a banner, "Fix in Preferences"
 * opens the SMS page, and Resume sends the rest once the provider takes them. */
static void
test_paused_banner (void)
{
  g_autoptr(DdTestOffice) office = office_new ();
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = g_settings_new_with_backend (APPLICATION_ID, backend);
  g_autoptr(DdContext) context = dd_context_new (office->database, settings);
  g_autoptr(DdCampaignStore) store = dd_campaign_store_new (office->database);
  g_autoptr(DdOutbox) outbox = dd_outbox_new (office->database);
  g_autoptr(DdGatewayTest) gateway = dd_gateway_test_new ();
  g_autoptr(DdSmsDispatcher) dispatcher = NULL;
  g_autoptr(GError) error = NULL;
  DdCampaign campaign = { .name = (char *) "Grudzień", .kind = (char *) "sms" };
  DdOutboxNew items[3] = { 0 };
  gint64 id = 0, sent = 0;
  gint64 deadline;
  DdCampaignsView *view;
  GtkWindow *window;
  AdwActionRow *banner;
  GtkWindow *preferences = NULL;

  dd_context_set_agent (context, 1, "Marek Manager", TRUE);
  g_assert_true (dd_campaign_store_create (store, &campaign, 1, &id, &error));
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      items[i].e164 = (const char *[]) { "+48601000001", "+48601000002", "+48601000003" }[i];
      items[i].body = "Prosimy o zapłatę";
    }
  g_assert_true (dd_outbox_enqueue (outbox, id, "Biuro", items, 3, NULL, &error));
  g_assert_true (dd_campaign_store_set_state (store, id, DD_CAMPAIGN_RUNNING, NULL, 1, &error));
  g_assert_no_error (error);

  window = show_view (context, &view);
  g_assert_null (_dd_campaigns_view_get_pause_banner (view));

  dd_gateway_test_set_delays (gateway, 2, 0);
  dd_gateway_test_fail_next (gateway, DD_SMS_GATEWAY_ERROR_AUTH, 1000, 0);
  dispatcher = dd_sms_dispatcher_new (office->database, DD_SMS_GATEWAY (gateway));
  dd_sms_dispatcher_start (dispatcher);
  deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  while ((_dd_campaigns_view_get_pause_banner (view) == NULL ||
          !dd_sms_dispatcher_is_idle (dispatcher)) && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      dd_campaigns_view_reload (view);
    }
  banner = _dd_campaigns_view_get_pause_banner (view);
  g_assert_nonnull (banner);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (banner)), ==,
                   dd_campaign_reason_to_label ("auth"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (banner), "Grudzień"));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (_dd_campaigns_view_get_rows (view)->pdata[0]),
                                   "Paused: The SMS provider refused the token"));
  dd_test_save_screenshot ("test-campaigns-view", "paused-banner");

  /* Fix in Preferences: the SMS provider page */
  g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (view), DD_TYPE_CAMPAIGNS_VIEW,
                                                        "fix_button"), "clicked");
  {
    GListModel *toplevels = gtk_window_get_toplevels ();   /* not owned */

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

        if (ADW_IS_PREFERENCES_WINDOW (w))
          preferences = w;
      }
  }
  g_assert_nonnull (preferences);
  g_assert_cmpstr (adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (preferences)),
                   ==, "sms-providers");
  dd_test_destroy_window (preferences);

  /* fixed: Resume sends the rest, each once */
  dd_gateway_test_fail_next (gateway, DD_SMS_GATEWAY_ERROR_AUTH, 0, 0);
  g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (view), DD_TYPE_CAMPAIGNS_VIEW,
                                                        "resume_button"), "clicked");
  g_assert_null (_dd_campaigns_view_get_pause_banner (view));
  dd_sms_dispatcher_wake (dispatcher);
  deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  while (sent < 3 && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_assert_true (dd_database_query_int64 (office->database,
                                              "SELECT COUNT(*) FROM message"
                                              " WHERE state IN ('sent', 'delivered')",
                                              &sent, NULL));
    }
  g_assert_cmpint (sent, ==, 3);
  g_assert_cmpuint (dd_gateway_test_get_inbox (gateway)->len, ==, 3);
  dd_sms_dispatcher_stop (dispatcher);
  dd_test_destroy_window (window);
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Messages that waited for an unreachable provider after their retries: the row says so, the
 * campaign is not complete, and Send Now tries them again at once. */
static void
test_waiting_messages (void)
{
  g_autoptr(DdTestOffice) office = office_new ();
  g_autoptr(DdCampaignStore) store = dd_campaign_store_new (office->database);
  g_autoptr(DdOutbox) outbox = dd_outbox_new (office->database);
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GError) error = NULL;
  DdCampaign campaign = { .name = (char *) "Grudzień", .kind = (char *) "sms" };
  DdOutboxNew items[3] = { 0 };
  gint64 id = 0, held = -1;
  DdCampaignsView *view;
  GtkWindow *window;
  GPtrArray *rows;
  GtkWidget *button;

  g_assert_true (dd_campaign_store_create (store, &campaign, 1, &id, &error));
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      items[i].e164 = (const char *[]) { "+48601000001", "+48601000002", "+48601000003" }[i];
      items[i].body = "Prosimy o zapłatę";
    }
  g_assert_true (dd_outbox_enqueue (outbox, id, "Biuro", items, 3, NULL, &error));
  g_assert_true (dd_campaign_store_set_state (store, id, DD_CAMPAIGN_RUNNING, NULL, 1, &error));
  claimed = dd_outbox_claim (outbox, id, "2099-01-01T00:00:00Z", 3, &error);
  g_assert_no_error (error);
  g_assert_true (dd_outbox_mark_sent (outbox, ((DdOutboxMessage *) claimed->pdata[0])->id,
                                      &(DdOutboxSent) { "test", "p1", 1, -1, NULL }, &error));
  for (guint i = 1; i < 3; i++)
    g_assert_true (dd_outbox_mark_waiting (outbox, ((DdOutboxMessage *) claimed->pdata[i])->id,
                                           "2099-01-01T00:00:00Z", "Could not reach SMSAPI",
                                           &error));
  g_assert_cmpuint (dd_campaign_store_complete_finished (store, &error), ==, 0);
  g_assert_no_error (error);

  window = show_view (office->context, &view);
  rows = _dd_campaigns_view_get_rows (view);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (rows->pdata[0]),
                            "2 messages could not be sent because "));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (rows->pdata[0]),
                            "they will be sent when"));
  /* not taken for the contact policy's hold */
  g_assert_null (strstr (adw_action_row_get_subtitle (rows->pdata[0]), "allowed hours"));
  button = find_named (rows->pdata[0], "send_waiting_button");
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Send 2 Now");
  dd_test_save_screenshot ("test-campaigns-view", "waiting-for-provider");

  g_signal_emit_by_name (button, "clicked");
  g_assert_true (dd_database_query_int64 (office->database,
                                          "SELECT COUNT(*) FROM message WHERE state = 'queued'"
                                          " AND not_before IS NOT NULL", &held, NULL));
  g_assert_cmpint (held, ==, 0);
  dd_test_destroy_window (window);
}

/* A completed campaign whose messages failed while the provider could not be reached (by an
 * older version, after its retries): Send Again puts those back, the refused one stays. */
static void
test_send_failed_again (void)
{
  g_autoptr(DdTestOffice) office = office_new ();
  g_autoptr(DdCampaignStore) store = dd_campaign_store_new (office->database);
  g_autoptr(DdOutbox) outbox = dd_outbox_new (office->database);
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DdCampaign) after = NULL;
  DdCampaign campaign = { .name = (char *) "Listopad", .kind = (char *) "sms" };
  DdOutboxNew items[3] = { 0 };
  gint64 id = 0, waiting = -1, refused = -1;
  DdCampaignsView *view;
  GtkWindow *window;
  GtkWidget *button;

  g_assert_true (dd_campaign_store_create (store, &campaign, 1, &id, &error));
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      items[i].e164 = (const char *[]) { "+48601000001", "+48601000002", "+48601000003" }[i];
      items[i].body = "Prosimy o zapłatę";
    }
  g_assert_true (dd_outbox_enqueue (outbox, id, "Biuro", items, 3, NULL, &error));
  g_assert_true (dd_campaign_store_set_state (store, id, DD_CAMPAIGN_RUNNING, NULL, 1, &error));
  claimed = dd_outbox_claim (outbox, id, "2099-01-01T00:00:00Z", 3, &error);
  g_assert_no_error (error);
  g_assert_true (dd_outbox_mark_failed (outbox, ((DdOutboxMessage *) claimed->pdata[0])->id,
                                        "network", "Could not reach SMSAPI", &error));
  g_assert_true (dd_outbox_mark_failed (outbox, ((DdOutboxMessage *) claimed->pdata[1])->id,
                                        "server", "SMSAPI answered 503", &error));
  g_assert_true (dd_outbox_mark_failed (outbox, ((DdOutboxMessage *) claimed->pdata[2])->id,
                                        "invalid-number", "No correct phone numbers", &error));
  g_assert_cmpuint (dd_campaign_store_complete_finished (store, &error), ==, 1);
  g_assert_no_error (error);

  window = show_view (office->context, &view);
  button = find_named (_dd_campaigns_view_get_rows (view)->pdata[0], "send_again_button");
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Send 2 Again");
  dd_test_save_screenshot ("test-campaigns-view", "send-again");
  g_signal_emit_by_name (button, "clicked");

  after = dd_campaign_store_get (store, id, &error);
  g_assert_cmpint (after->state, ==, DD_CAMPAIGN_RUNNING);
  g_assert_true (dd_database_query_int64 (office->database,
                                          "SELECT COUNT(*) FROM message WHERE state = 'queued'"
                                          " AND error_code = 'provider-unreachable'"
                                          " AND not_before IS NULL", &waiting, NULL));
  g_assert_cmpint (waiting, ==, 2);
  g_assert_true (dd_database_query_int64 (office->database,
                                          "SELECT COUNT(*) FROM message WHERE state = 'failed'"
                                          " AND error_code = 'invalid-number'", &refused, NULL));
  g_assert_cmpint (refused, ==, 1);
  g_assert_null (find_named (_dd_campaigns_view_get_rows (view)->pdata[0], "send_again_button"));
  dd_test_destroy_window (window);
}

static void
test_voice_counts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("campaigns-voice", TRUE);
  g_autoptr(DdIvrFlowStore) flows = dd_ivr_flow_store_new (office->database);
  g_autoptr(DdCampaignStore) campaigns = dd_campaign_store_new (office->database);
  g_autoptr(DdCallAttempts) attempts = dd_call_attempts_new (office->database);
  g_autoptr(DdCaseQuery) query = dd_case_query_new ();
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_sip_account_info_free);
  g_autoptr(DdVoiceSettings) voice = dd_voice_settings_new ();
  g_autofree char *json = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "telephony", "voice-flow-pl.json",
                                                 NULL);
  DdCampaign campaign = { .name = (char *) "Telefony", .kind = (char *) "voice" };
  DdCampaignsView *view;
  DdVoiceCampaign *runner;
  GtkWindow *window;
  GtkWidget *row;
  gint64 flow_id = 0, id = 0;

  g_assert_true (dd_database_exec (office->database,
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Wodociągi', 'x');"
    "INSERT INTO debtor (id, dedup_key, name, created_at, updated_at) VALUES"
    " (1, 'k1', 'Anna', 'x', 'x'), (2, 'k2', 'Jan', 'x', 'x'), (3, 'k3', 'Ewa', 'x', 'x');"
    "INSERT INTO phone (debtor_id, e164, created_at) VALUES (1, '+48601000001', 'x'),"
    " (2, '+48601000002', 'x'), (3, '+48601000003', 'x');"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, created_at,"
    " updated_at) VALUES (1, 1, 1, 5000, 'PLN', 'x', 'x'), (2, 2, 1, 5000, 'PLN', 'x', 'x'),"
    " (3, 3, 1, 5000, 'PLN', 'x', 'x');", &error));
  g_assert_true (g_file_get_contents (path, &json, NULL, &error));
  g_assert_true (dd_ivr_flow_store_save (flows, "Przypomnienie", json, &flow_id, NULL, &error));
  recipients = dd_campaign_audience_collect (office->database, query, 0, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dd_campaign_store_create (campaigns, &campaign, 0, &id, &error));
  voice->flow_id = flow_id;
  voice->concurrency = 1;
  voice->max_attempts = 1;
  g_assert_true (dd_campaign_store_set_voice (campaigns, id, voice, &error));
  g_assert_true (dd_call_attempts_plan (attempts, id, recipients,
                                        g_get_real_time () / G_USEC_PER_SEC, NULL, &error));
  g_assert_true (dd_campaign_store_set_state (campaigns, id, DD_CAMPAIGN_RUNNING, NULL, 0,
                                              &error));
  /* Anna answered, Jan did not */
  g_assert_true (dd_database_exec (office->database,
    "UPDATE call_attempt SET state = 'completed' WHERE case_id = 1;"
    "UPDATE call_attempt SET state = 'no-answer' WHERE case_id = 2;", &error));
  g_assert_no_error (error);

  window = show_view (office->context, &view);
  g_assert_cmpuint (_dd_campaigns_view_get_rows (view)->len, ==, 1);
  row = g_ptr_array_index (_dd_campaigns_view_get_rows (view), 0);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Calling · 2 of 3 numbers done · 1 answered · 1 not reached");
  dd_test_save_screenshot ("test-campaigns-view", "voice");

  /* the window's runner (on a line by address): its ::counts-changed updates the row live,
   * without waiting for the page's refresh */
  {
    g_autoptr(DdSipAccountInfo) line = dd_sip_account_info_new ("Biuro", "sip:biuro@127.0.0.1:5099");

    g_ptr_array_add (accounts, g_steal_pointer (&line));
    g_settings_set_string (office->settings, "sip-local-address", "127.0.0.1");
    dd_sip_accounts_save (office->settings, accounts);
  }
  runner = dd_context_get_voice_campaign (office->context, &error);
  g_assert_no_error (error);
  dd_campaigns_view_reload (view);
  row = g_ptr_array_index (_dd_campaigns_view_get_rows (view), 0);
  g_assert_true (dd_database_exec (office->database,
    "UPDATE call_attempt SET state = 'busy' WHERE case_id = 3;", &error));
  g_signal_emit_by_name (runner, "counts-changed", id);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Calling · 3 of 3 numbers done · 1 answered · 2 not reached");

  /* the runner paused it: the line refused its login; the banner says so and leads to the
   * phone lines */
  g_assert_null (_dd_campaigns_view_get_pause_banner (view));
  g_assert_true (dd_campaign_store_set_state (campaigns, id, DD_CAMPAIGN_PAUSED, "sip-auth", 0,
                                              &error));
  g_assert_no_error (error);
  g_signal_emit_by_name (runner, "campaign-paused", id, "sip-auth", "401 Unauthorized");
  dd_campaigns_view_reload (view);
  {
    AdwActionRow *banner = _dd_campaigns_view_get_pause_banner (view);
    GtkWindow *preferences = NULL;
    GListModel *toplevels = gtk_window_get_toplevels ();   /* not owned */

    g_assert_nonnull (banner);
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (banner)), ==,
                     "The phone line refused its user name or password");
    row = g_ptr_array_index (_dd_campaigns_view_get_rows (view), 0);
    g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                     "Paused: The phone line refused"));
    dd_test_save_screenshot ("test-campaigns-view", "voice-paused-line");
    g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (view),
                                                          DD_TYPE_CAMPAIGNS_VIEW, "fix_button"),
                           "clicked");
    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

        if (ADW_IS_PREFERENCES_WINDOW (w))
          preferences = w;
      }
    g_assert_nonnull (preferences);
    g_assert_cmpstr (adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (preferences)),
                     ==, "sip-accounts");
    dd_test_destroy_window (preferences);
  }

  dd_test_destroy_window (window);
}

/* The waiting and the failed-again rows in English, Polish and Russian, at the two window
 * sizes: nothing cut off. */
static void
test_waiting_languages (void)
{
  static const struct { const char *language; int width, height; } cases[] = {
    { "en", 1024, 700 }, { "pl", 1024, 700 }, { "ru", 1024, 700 },
    { "en", 1280, 800 }, { "pl", 1280, 800 }, { "ru", 1280, 800 },
  };
  g_autoptr(DdTestOffice) office = office_new ();
  g_autoptr(DdCampaignStore) store = dd_campaign_store_new (office->database);
  g_autoptr(DdOutbox) outbox = dd_outbox_new (office->database);
  g_autoptr(GError) error = NULL;
  DdCampaign running = { .name = (char *) "Grudzień — przypomnienia", .kind = (char *) "sms" };
  DdCampaign done = { .name = (char *) "Listopad", .kind = (char *) "sms" };
  gint64 ids[2] = { 0 };
  DdCampaign *campaigns[2] = { &done, &running };

  for (guint c = 0; c < 2; c++)
    {
      g_autoptr(GPtrArray) claimed = NULL;
      DdOutboxNew items[3] = { 0 };

      g_assert_true (dd_campaign_store_create (store, campaigns[c], 1, &ids[c], &error));
      for (guint i = 0; i < G_N_ELEMENTS (items); i++)
        {
          items[i].e164 = (const char *[]) { "+48601000001", "+48601000002", "+48601000003" }[i];
          items[i].body = "Prosimy o zapłatę";
        }
      g_assert_true (dd_outbox_enqueue (outbox, ids[c], "Biuro", items, 3, NULL, &error));
      g_assert_true (dd_campaign_store_set_state (store, ids[c], DD_CAMPAIGN_RUNNING, NULL, 1,
                                                  &error));
      claimed = dd_outbox_claim (outbox, ids[c], "2099-01-01T00:00:00Z", 3, &error);
      g_assert_no_error (error);
      g_assert_true (dd_outbox_mark_sent (outbox, ((DdOutboxMessage *) claimed->pdata[0])->id,
                                          &(DdOutboxSent) { "test", "p1", 1, -1, NULL },
                                          &error));
      for (guint i = 1; i < 3; i++)
        g_assert_true (c == 0
                       ? dd_outbox_mark_failed (outbox,
                                                ((DdOutboxMessage *) claimed->pdata[i])->id,
                                                "network", "Could not reach SMSAPI", &error)
                       : dd_outbox_mark_waiting (outbox,
                                                 ((DdOutboxMessage *) claimed->pdata[i])->id,
                                                 "2099-01-01T00:00:00Z",
                                                 "Could not reach SMSAPI", &error));
    }
  g_assert_cmpuint (dd_campaign_store_complete_finished (store, &error), ==, 1);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) cut = g_string_new (NULL);
      g_autofree char *name = NULL;
      DdCampaignsView *view;
      GtkWindow *window;

      if (g_strcmp0 (cases[i].language, "en") != 0 && !dd_test_use_language (cases[i].language))
        {
          g_test_message ("no %s catalog in this build", cases[i].language);
          continue;
        }
      window = show_view (office->context, &view);
      gtk_window_set_default_size (window, cases[i].width, cases[i].height);
      dd_test_iterate_for (300);
      for (guint r = 0; r < _dd_campaigns_view_get_rows (view)->len; r++)
        dd_test_collect_cut_labels (_dd_campaigns_view_get_rows (view)->pdata[r], FALSE, cut);
      name = g_strdup_printf ("waiting-%s-%dx%d", cases[i].language, cases[i].width,
                              cases[i].height);
      dd_test_save_screenshot ("test-campaigns-view", name);
      g_test_message ("%s %d×%d cut: %s", cases[i].language, cases[i].width, cases[i].height,
                      cut->str);
      g_assert_cmpstr (cut->str, ==, "");
      dd_test_destroy_window (window);
    }
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/dd/ui/campaigns-view/empty", test_empty);
  g_test_add_func ("/dd/ui/campaigns-view/progress-and-actions", test_progress_and_actions);
  g_test_add_func ("/dd/ui/campaigns-view/simulate-reply", test_simulate_reply);
  g_test_add_func ("/dd/ui/campaigns-view/paused-banner", test_paused_banner);
  g_test_add_func ("/dd/ui/campaigns-view/voice-counts", test_voice_counts);
  g_test_add_func ("/dd/ui/campaigns-view/waiting-messages", test_waiting_messages);
  g_test_add_func ("/dd/ui/campaigns-view/send-failed-again", test_send_failed_again);
  /* last: it switches the messages' language */
  g_test_add_func ("/dd/ui/campaigns-view/waiting-languages", test_waiting_languages);

  return g_test_run ();
}
