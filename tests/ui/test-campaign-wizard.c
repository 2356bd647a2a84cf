/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-campaign-wizard"

#include "config.h"

#include <adwaita.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <string.h>

#include "dd-test-ui.h"
#include "dd-campaign-store.h"
#include "dd-campaign-wizard-private.h"
#include "dd-gateway-test.h"
#include "dd-context.h"
#include "dd-database.h"
#include "dd-ivr-flow-store.h"
#include "dd-ivr-test-call.h"
#include "dd-preferences-window.h"
#include "dd-sip-accounts.h"
#include "dd-voice-campaign.h"
#include "sip-peers.h"

static void
wait_counted (DdCampaignWizard *wizard)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  while (_dd_campaign_wizard_is_counting (wizard) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (_dd_campaign_wizard_is_counting (wizard));
}

static void
next (DdCampaignWizard *wizard,
      DdCampaignStep    expected)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL));
  dd_test_iterate_for (50);
  g_assert_cmpint (_dd_campaign_wizard_get_flow (wizard)->step, ==, expected);
}

static void
test_walk_to_started (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("wizard", TRUE);
  DdDatabase *database = office->database;
  GSettings *settings = office->settings;
  DdContext *context = office->context;
  DdCampaignWizard *wizard;
  GtkWidget *widget;
  const DdCampaignFlow *flow;
  gint64 started_id = 0;

  g_assert_no_error (error);
  g_assert_true (dd_database_exec (database,
    "INSERT INTO agent (id, name, role, created_at) VALUES (1, 'Marek', 'manager', 'x');"
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Wodociągi', 'x');"
    "INSERT INTO debtor (id, dedup_key, name, created_at, updated_at) VALUES"
    " (1, 'k1', 'Anna Nowak', 'x', 'x'), (2, 'k2', 'Jan Żółć', 'x', 'x'),"
    " (3, 'k3', 'Ewa Landline', 'x', 'x'), (4, 'k4', 'Piotr Gone', 'x', 'x');"
    "INSERT INTO phone (debtor_id, e164, kind, created_at) VALUES"
    " (1, '+48601000001', 'mobile', 'x'), (2, '+48601000002', 'mobile', 'x'),"
    " (3, '+48221000003', 'landline', 'x'), (4, '+48601000400', 'mobile', 'x');"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, debtor_name,"
    " created_at, updated_at) VALUES (1, 1, 1, 12000, 'PLN', 'Anna Nowak', 'x', 'x'),"
    " (2, 2, 1, 34050, 'PLN', 'Jan Żółć', 'x', 'x'), (3, 3, 1, 500, 'PLN', 'Ewa Landline', 'x', 'x'),"
    " (4, 4, 1, 700, 'PLN', 'Piotr Gone', 'x', 'x');"
    "INSERT INTO liability (case_id, invoice_no, due_on, amount_minor, currency, created_at,"
    " updated_at) VALUES (1, 'FV/1', '2026-10-01', 12000, 'PLN', 'x', 'x'),"
    " (2, 'FV/2', '2026-09-15', 34050, 'PLN', 'x', 'x'), (3, 'FV/3', '2026-09-15', 500, 'PLN', 'x', 'x');",
    &error));
  g_assert_no_error (error);
  g_settings_set_string (settings, "default-country", "PL");
  /* any hour, one contact a day; Anna (case 1) had hers today */
  g_settings_set_string (settings, "contact-policy",
    "{\"version\":1,\"zone\":\"Europe/Warsaw\",\"holidays\":\"PL\",\"windows\":{"
    "\"working\":{\"enabled\":true,\"start\":\"00:00\",\"end\":\"24:00\"},"
    "\"weekend\":{\"enabled\":true,\"start\":\"00:00\",\"end\":\"24:00\"},"
    "\"holiday\":{\"enabled\":true,\"start\":\"00:00\",\"end\":\"24:00\"}},"
    "\"caps\":{\"total\":{\"day\":1,\"week\":0,\"month\":0}}}");
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
    g_autofree char *sql = g_strdup_printf ("INSERT INTO message (case_id, e164, idempotency_key,"
                                            " body, state, sent_at, created_at, updated_at)"
                                            " VALUES (1, '+48601000001', 'earlier', 'x',"
                                            " 'sent', '%s', 'x', 'x')", at);

    g_assert_true (dd_database_exec (database, sql, &error));
    g_assert_no_error (error);
  }
  dd_context_set_agent (context, 1, "Marek", TRUE);

  wizard = dd_campaign_wizard_new (NULL, context, NULL);
  widget = GTK_WIDGET (wizard);
  g_object_add_weak_pointer (G_OBJECT (wizard), (gpointer *) &widget);
  gtk_window_present (GTK_WINDOW (wizard));
  wait_counted (wizard);
  flow = _dd_campaign_wizard_get_flow (wizard);

  /* audience: mobiles only by default: Anna, Jan and Piotr, not the landline */
  g_assert_cmpuint (flow->n_recipients, ==, 3);
  /* the number check (through the test provider) finds Piotr's number out of service */
  {
    g_autoptr(DdGatewayTest) gateway = dd_gateway_test_new ();
    gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

    dd_context_set_sms_gateway (context, DD_SMS_GATEWAY (gateway));
    gtk_widget_activate (GTK_WIDGET (gtk_widget_get_template_child (widget,
                                                                    DD_TYPE_CAMPAIGN_WIZARD,
                                                                    "check_numbers_button")));
    while ((flow->n_recipients != 2 || flow->counting) && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
    dd_context_set_sms_gateway (context, NULL);
  }
  g_assert_cmpuint (flow->n_recipients, ==, 2);
  g_assert_cmpint (dd_test_query_int (database,
                                      "SELECT valid FROM phone WHERE e164 = '+48601000400'"),
                   ==, 0);
  dd_test_save_screenshot ("test-campaign-wizard", "1-audience");
  next (wizard, DD_CAMPAIGN_STEP_CHANNEL);

  /* channel: nothing chosen yet, so Next waits */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL) &&
                  flow->step != DD_CAMPAIGN_STEP_CHANNEL);
  {
    GtkCheckButton *sms = GTK_CHECK_BUTTON (gtk_widget_get_template_child (widget,
                                                                           DD_TYPE_CAMPAIGN_WIZARD,
                                                                           "sms_check"));

    gtk_check_button_set_active (sms, TRUE);
  }
  next (wizard, DD_CAMPAIGN_STEP_MESSAGE);

  /* message: a broken placeholder is refused, a good template passes; Polish letters
   * make it Unicode, and the button replaces them */
  {
    GtkWidget *ucs2_box = GTK_WIDGET (gtk_widget_get_template_child (widget,
                                                                     DD_TYPE_CAMPAIGN_WIZARD,
                                                                     "ucs2_box"));
    GtkLabel *ucs2_label = GTK_LABEL (gtk_widget_get_template_child (widget,
                                                                     DD_TYPE_CAMPAIGN_WIZARD,
                                                                     "ucs2_label"));

    /* Russian is Unicode by nature: said so, with no offer to replace its letters */
    _dd_campaign_wizard_set_template (wizard, "{name}, оплатите {amount}");
    g_assert_true (flow->template_ok);
    g_assert_true (gtk_widget_get_visible (ucs2_box));
    g_assert_cmpstr (gtk_label_get_text (ucs2_label), ==,
                     "Russian text is sent as Unicode: 70 characters per part");
    g_assert_false (gtk_widget_get_visible (gtk_widget_get_last_child (ucs2_box)));
    /* Polish letters can be replaced */
    _dd_campaign_wizard_set_template (wizard, "{name}, zapłać {amount}");
    g_assert_nonnull (strstr (gtk_label_get_text (ucs2_label), "ł"));
    g_assert_true (gtk_widget_get_visible (gtk_widget_get_last_child (ucs2_box)));
  }
  _dd_campaign_wizard_set_template (wizard, "{name}, zapłać {amont}");
  g_assert_false (flow->template_ok);
  /* a placeholder with no value in this office is not offered, and typed anyway it is flagged
   * in the preview (and the step does not go on) instead of leaving a gap */
  {
    GtkWidget *chips = GTK_WIDGET (gtk_widget_get_template_child (widget, DD_TYPE_CAMPAIGN_WIZARD,
                                                                  "chips_box"));
    GtkLabel *preview = GTK_LABEL (gtk_widget_get_template_child (widget, DD_TYPE_CAMPAIGN_WIZARD,
                                                                  "preview_label"));
    guint n_chips = 0;

    for (GtkWidget *c = gtk_widget_get_first_child (chips); c != NULL;
         c = gtk_widget_get_next_sibling (c))
      {
        GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (c));

        n_chips++;
        g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), !=, "{payment_link}");
        g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), !=, "{agent_phone}");
      }
    g_assert_cmpuint (n_chips, >, 0);
    _dd_campaign_wizard_set_template (wizard, "{name}, zapłać: {payment_link}");
    g_assert_false (flow->template_ok);
    g_assert_nonnull (strstr (gtk_label_get_text (preview), "{payment_link}"));
    g_assert_false (gtk_widget_activate_action (widget, "wizard.next", NULL) &&
                    flow->step != DD_CAMPAIGN_STEP_MESSAGE);
  }
  _dd_campaign_wizard_set_template (wizard, "{name}, zapłać {amount} za fakturę {invoice}");
  g_assert_true (flow->template_ok);
  dd_test_save_screenshot ("test-campaign-wizard", "2-message");
  g_assert_true (gtk_widget_activate_action (widget, "wizard.transliterate", NULL));
  g_assert_null (strstr (flow->template_text, "ł"));
  next (wizard, DD_CAMPAIGN_STEP_SCHEDULE);
  next (wizard, DD_CAMPAIGN_STEP_REVIEW);
  /* the policy's dry run: Jan now, Anna tomorrow */
  {
    DdContactPlanCounts plan;

    _dd_campaign_wizard_get_plan (wizard, &plan);
    g_assert_cmpuint (plan.allowed, ==, 1);
    g_assert_cmpuint (plan.deferred, ==, 1);
    g_assert_cmpuint (plan.skipped, ==, 0);
  }
  dd_test_save_screenshot ("test-campaign-wizard", "3-review");

  /* start: the campaign runs with its two messages queued */
  g_assert_true (gtk_widget_activate_action (widget, "wizard.next", NULL));
  dd_test_iterate_for (50);
  g_assert_cmpint (flow->step, ==, DD_CAMPAIGN_STEP_STARTED);
  started_id = _dd_campaign_wizard_get_campaign_id (wizard);
  g_assert_cmpint (started_id, >, 0);
  g_assert_cmpint (dd_test_query_int (database,
                                      "SELECT COUNT(*) FROM campaign WHERE state = 'running'"
                                                " AND gateway = 'test'"), ==, 1);
  g_assert_cmpint (dd_test_query_int (database,
                                      "SELECT COUNT(*) FROM message WHERE state = 'queued'"
                                                " AND body LIKE 'Anna Nowak, zaplac %'"), ==, 1);
  g_assert_cmpint (dd_test_query_int (database,
                                      "SELECT COUNT(*) FROM message WHERE campaign_id IS NOT NULL"),
                   ==, 2);
  /* after "Replace Special Characters" the names and amounts are plain too: GSM-7 */
  g_assert_cmpint (dd_test_query_int (database,
                                      "SELECT COUNT(*) FROM message WHERE encoding = 'gsm7'"
                                                " AND body LIKE 'Jan Zolc, zaplac 340,50 zl %'"), ==, 1);
  dd_test_save_screenshot ("test-campaign-wizard", "4-started");

  gtk_window_destroy (GTK_WINDOW (wizard));
  while (widget != NULL)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
is_row_titled (GtkWidget *widget,
               gpointer   data)
{
  return ADW_IS_ACTION_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0 &&
         gtk_widget_get_mapped (widget);
}

/* The subtitle of the shown row titled @title. */
static const char *
row_subtitle (GtkWidget  *root,
              const char *title)
{
  GtkWidget *row = dd_test_find_widget (root, is_row_titled, (gpointer) title);

  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static GtkWidget *
child (GtkWidget  *wizard,
       const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (wizard, DD_TYPE_CAMPAIGN_WIZARD, name));
}

static gboolean
is_prompt_row (GtkWidget *widget,
               gpointer   node_id)
{
  return ADW_IS_COMBO_ROW (widget) &&
         g_strcmp0 (g_object_get_data (G_OBJECT (widget), "dd-node-id"), node_id) == 0;
}

/* What the runner said on the test call. */
static void
on_test_said (DdVoiceCampaign *runner,
              gint64           attempt_id,
              const char      *text,
              const char      *language,
              GString         *said)
{
  g_assert_cmpint (attempt_id, <, 0);
  g_string_append_printf (said, "%s|%s\n", language, text);
}

/* A WAV file of @ms of silence (8 kHz mono S16), a recording for a prompt. */
static char *
write_recording (const char *dir,
                 guint       ms)
{
  g_autoptr(GError) error = NULL;
  guint32 n = 8 * ms * 2;
  g_autofree guint8 *wav = g_malloc0 (44 + n);
  char *path = g_build_filename (dir, "dziekujemy.wav", NULL);
  guint32 v;
  guint16 h;

  memcpy (wav, "RIFF", 4);
  v = GUINT32_TO_LE (36 + n); memcpy (wav + 4, &v, 4);
  memcpy (wav + 8, "WAVEfmt ", 8);
  v = GUINT32_TO_LE (16); memcpy (wav + 16, &v, 4);
  h = GUINT16_TO_LE (1); memcpy (wav + 20, &h, 2);
  h = GUINT16_TO_LE (1); memcpy (wav + 22, &h, 2);
  v = GUINT32_TO_LE (8000); memcpy (wav + 24, &v, 4);
  v = GUINT32_TO_LE (16000); memcpy (wav + 28, &v, 4);
  h = GUINT16_TO_LE (2); memcpy (wav + 32, &h, 2);
  h = GUINT16_TO_LE (16); memcpy (wav + 34, &h, 2);
  memcpy (wav + 36, "data", 4);
  v = GUINT32_TO_LE (n); memcpy (wav + 40, &v, 4);
  g_assert_true (g_file_set_contents (path, (const char *) wav, 44 + n, &error));
  g_assert_no_error (error);
  return path;
}

static gboolean
line_ready (gpointer context)
{
  DdSipEngine *engine = dd_context_peek_sip_engine (context);

  return engine != NULL &&
         dd_sip_engine_get_account_state (engine, "Biuro", NULL, NULL) != DD_SIP_ACCOUNT_UNKNOWN;
}

static gboolean
test_call_ended (gpointer data)
{
  return _dd_campaign_wizard_get_test_call (data) == NULL;
}

static void
test_voice_to_review (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("wizard-voice", TRUE);
  g_autoptr(DdIvrFlowStore) flows = dd_ivr_flow_store_new (office->database);
  g_autoptr(DdCampaignStore) campaigns = dd_campaign_store_new (office->database);
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_sip_account_info_free);
  g_autoptr(DdVoiceSettings) voice = NULL;
  g_autofree char *json = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "telephony", "voice-flow-pl.json",
                                                 NULL);
  DdDatabase *database = office->database;
  DdCampaignWizard *wizard;
  GtkWidget *widget;
  const DdCampaignFlow *flow;
  DdCampaignVoicePlan voice_plan;
  DdContactPlanCounts plan;
  DdSipAccountInfo *line;
  gint64 flow_id = 0, id;
  g_autoptr(GSubprocess) sipp = NULL;
  g_autoptr(GString) said = g_string_new (NULL);
  g_autofree char *dir = g_dir_make_tmp ("dd-wizard-voice-XXXXXX", NULL);
  g_autofree char *scenario = g_build_filename (dir, "debtor.xml", NULL);
  g_autofree char *keys = dd_sipp_declare_keys ();
  g_autofree char *media = g_strdup_printf ("%u", dd_test_free_port (G_SOCKET_PROTOCOL_UDP));
  g_autofree char *aor = NULL;
  g_autofree char *recording = write_recording (dir, 300);
  guint port = dd_test_free_port (G_SOCKET_PROTOCOL_UDP);

  g_assert_true (dd_database_exec (database,
    "INSERT INTO agent (id, name, role, created_at) VALUES (1, 'Marek', 'manager', 'x');"
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Wodociągi', 'x');"
    "INSERT INTO debtor (id, dedup_key, name, opt_out, created_at, updated_at) VALUES"
    " (1, 'k1', 'Anna Nowak', 0, 'x', 'x'), (2, 'k2', 'Jan Żółć', 0, 'x', 'x'),"
    " (3, 'k3', 'Ewa Landline', 0, 'x', 'x'), (4, 'k4', 'Olga Nie', 1, 'x', 'x'),"
    " (5, 'k5', 'Piotr Bez', 0, 'x', 'x'), (6, 'k6', 'Maria Obiecała', 0, 'x', 'x');"
    "INSERT INTO phone (debtor_id, e164, kind, created_at) VALUES"
    " (1, '+48601000001', 'mobile', 'x'), (2, '+48601000002', 'mobile', 'x'),"
    " (3, '+48221000003', 'landline', 'x'), (4, '+48601000004', 'mobile', 'x'),"
    " (6, '+48601000006', 'mobile', 'x');"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, debtor_name,"
    " created_at, updated_at) VALUES (1, 1, 1, 12000, 'PLN', 'Anna Nowak', 'x', 'x'),"
    " (2, 2, 1, 34050, 'PLN', 'Jan Żółć', 'x', 'x'), (3, 3, 1, 500, 'PLN', 'Ewa Landline', 'x', 'x'),"
    " (4, 4, 1, 700, 'PLN', 'Olga Nie', 'x', 'x'), (5, 5, 1, 900, 'PLN', 'Piotr Bez', 'x', 'x'),"
    " (6, 6, 1, 800, 'PLN', 'Maria Obiecała', 'x', 'x');"
    /* Maria promised to pay: not called until then; an old broken promise holds nobody */
    "INSERT INTO declaration (case_id, amount_minor, currency, promised_on, channel, state,"
    " created_at) VALUES (6, 800, 'PLN', '2099-01-01', 'ivr', 'pending', 'x'),"
    " (1, 100, 'PLN', '2020-01-01', 'ivr', 'broken', 'x');",
    &error));
  g_assert_no_error (error);
  g_settings_set_string (office->settings, "default-country", "PL");
  /* any hour, one contact a day; Anna (case 1) had hers today */
  g_settings_set_string (office->settings, "contact-policy",
    "{\"version\":1,\"zone\":\"Europe/Warsaw\",\"holidays\":\"PL\",\"windows\":{"
    "\"working\":{\"enabled\":true,\"start\":\"00:00\",\"end\":\"24:00\"},"
    "\"weekend\":{\"enabled\":true,\"start\":\"00:00\",\"end\":\"24:00\"},"
    "\"holiday\":{\"enabled\":true,\"start\":\"00:00\",\"end\":\"24:00\"}},"
    "\"caps\":{\"total\":{\"day\":1,\"week\":0,\"month\":0}}}");
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
    g_autofree char *sql = g_strdup_printf ("INSERT INTO message (case_id, e164, idempotency_key,"
                                            " body, state, sent_at, created_at, updated_at)"
                                            " VALUES (1, '+48601000001', 'earlier', 'x',"
                                            " 'sent', '%s', 'x', 'x')", at);

    g_assert_true (dd_database_exec (database, sql, &error));
    g_assert_no_error (error);
  }
  /* two call flows: one with errors, one good (Polish) */
  g_assert_true (g_file_get_contents (path, &json, NULL, &error));
  g_assert_true (dd_ivr_flow_store_save (flows, "Broken", "{\"format\": 1, \"nodes\": []}",
                                         NULL, NULL, &error));
  g_assert_true (dd_ivr_flow_store_save (flows, "Przypomnienie", json, &flow_id, NULL, &error));
  g_assert_no_error (error);
  dd_context_set_agent (office->context, 1, "Marek", TRUE);

  wizard = dd_campaign_wizard_new (NULL, office->context, NULL);
  widget = GTK_WIDGET (wizard);
  g_object_add_weak_pointer (G_OBJECT (wizard), (gpointer *) &widget);
  gtk_window_present (GTK_WINDOW (wizard));
  wait_counted (wizard);
  flow = _dd_campaign_wizard_get_flow (wizard);
  g_assert_cmpuint (flow->n_recipients, ==, 3);   /* Anna, Jan and Maria */
  next (wizard, DD_CAMPAIGN_STEP_CHANNEL);

  /* no line yet: voice cannot be chosen, the row says why and offers to set one up */
  g_assert_false (flow->voice_available);
  g_assert_false (gtk_widget_get_sensitive (child (widget, "voice_check")));
  g_assert_true (gtk_widget_get_visible (child (widget, "setup_line_button")));
  g_assert_nonnull (strstr (row_subtitle (widget, "Voice Call"), "SIP account"));
  dd_test_save_screenshot ("test-campaign-wizard", "voice-1-no-line");
  /* Set Up a Line… opens Preferences on SIP Accounts */
  g_signal_emit_by_name (child (widget, "setup_line_button"), "clicked");
  dd_test_iterate_for (50);
  {
    GtkWindow *preferences = dd_test_find_toplevel (DD_TYPE_PREFERENCES_WINDOW, GTK_WINDOW (wizard));

    g_assert_nonnull (preferences);
    g_assert_cmpstr (adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (preferences)),
                     ==, "sip-accounts");
    gtk_window_destroy (preferences);
    dd_test_iterate_for (50);
  }

  /* a line in Preferences (no registrar: calls go straight to it), up to 4 calls at once; at
   * its address a sipp callee, the user's own phone for the test call */
  {
    const char *extra[] = { "-mp", media, NULL };

    g_assert_true (dd_sipp_write_debtor_callee (scenario, keys, &error));
    sipp = dd_sipp_spawn (port, scenario, NULL, extra, &error);
    g_assert_no_error (error);
  }
  g_settings_set_string (office->settings, "sip-local-address", "127.0.0.1");
  aor = g_strdup_printf ("sip:biuro@127.0.0.1:%u", port);
  line = dd_sip_account_info_new ("Biuro", aor);
  line->max_calls = 4;
  g_ptr_array_add (accounts, line);
  dd_sip_accounts_save (office->settings, accounts);
  dd_test_iterate_for (20);
  g_assert_true (flow->voice_available);
  g_assert_true (gtk_widget_get_sensitive (child (widget, "voice_check")));
  g_assert_false (gtk_widget_get_visible (child (widget, "setup_line_button")));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (widget, "voice_check")), TRUE);
  dd_test_save_screenshot ("test-campaign-wizard", "voice-2-channel");
  next (wizard, DD_CAMPAIGN_STEP_MESSAGE);

  /* the call step (not the SMS message) */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (widget, "stack"))), ==,
                   "call");
  /* the first flow has errors: shown, and Next waits */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (widget, "flow_row"))), ==, 0);
  g_assert_cmpuint (flow->flow_errors, >, 0);
  g_assert_true (gtk_widget_get_visible (child (widget, "flow_issues_group")));
  g_assert_cmpint (dd_campaign_flow_problem (flow), ==, DD_CAMPAIGN_PROBLEM_FLOW_INVALID);
  dd_test_iterate_for (20);
  dd_test_save_screenshot ("test-campaign-wizard", "voice-3-flow-errors");
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (widget, "flow_row")), 1);
  g_assert_cmpint (flow->flow_id, ==, flow_id);
  g_assert_cmpuint (flow->flow_errors, ==, 0);
  g_assert_false (gtk_widget_get_visible (child (widget, "flow_issues_group")));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (widget, "flow_language_row"))),
                   ==, "Polish");
  g_assert_cmpuint (flow->n_lines, ==, 1);
  g_assert_cmpuint (flow->line_limit, ==, 4);
  g_assert_cmpstr (row_subtitle (widget, "Calls at Once"), ==, "At most 4 with the chosen lines");
  /* more calls at once than the line takes are refused */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (widget, "concurrency_spin")), 5);
  g_assert_cmpint (dd_campaign_flow_problem (flow), ==, DD_CAMPAIGN_PROBLEM_TOO_MANY_CALLS);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (widget, "concurrency_spin")), 2);
  g_assert_cmpint (dd_campaign_flow_problem (flow), ==, DD_CAMPAIGN_PROBLEM_NONE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (widget, "max_attempts_spin")), 4);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (widget, "interval_spin")), 6);
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (widget, "machine_row")), 1);
  gtk_editable_set_text (GTK_EDITABLE (child (widget, "caller_ids_row")), " +48221234567 , ");
  /* the voice of each prompt, a recording for a message: the greeting in a woman's voice, the
   * thanks recorded */
  g_assert_true (gtk_widget_get_visible (child (widget, "prompts_group")));
  {
    GtkWidget *greeting = dd_test_find_widget (child (widget, "prompts_group"), is_prompt_row,
                                               (gpointer) "greeting");
    GtkWidget *thanks = dd_test_find_widget (child (widget, "prompts_group"), is_prompt_row,
                                             (gpointer) "thanks");

    g_assert_nonnull (greeting);
    g_assert_nonnull (thanks);
    g_assert_null (dd_test_find_widget (child (widget, "prompts_group"), is_prompt_row,
                                        (gpointer) "bye"));
    adw_combo_row_set_selected (ADW_COMBO_ROW (greeting), 1);
    _dd_campaign_wizard_set_recording (wizard, "thanks", recording);
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (thanks)), ==,
                     "Recording: dziekujemy.wav");
  }
  dd_test_iterate_for (20);
  dd_test_save_screenshot ("test-campaign-wizard", "voice-4-call");
  /* and its end: attempts, answering machine, SMS confirmation */
  {
    GtkWidget *page = gtk_stack_get_visible_child (GTK_STACK (child (widget, "stack")));
    GtkWidget *scrolled = dd_test_find_descendant (page, GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    dd_test_save_screenshot ("test-campaign-wizard", "voice-4b-call-end");
  }
  next (wizard, DD_CAMPAIGN_STEP_SCHEDULE);
  /* calls keep the contact policy's hours: no sending hours here */
  g_assert_false (gtk_widget_get_visible (child (widget, "hours_group")));
  next (wizard, DD_CAMPAIGN_STEP_REVIEW);

  /* the dry run: both numbers (not Maria's) the first day, in about a minute with 2 calls at once; Anna
   * waits for the daily cap; the opted-out, the landline and the one without a phone are
   * left out, with reasons */
  _dd_campaign_wizard_get_voice_plan (wizard, &voice_plan);
  g_assert_cmpuint (voice_plan.per_day, ==, 2);
  g_assert_cmpuint (voice_plan.days, ==, 1);
  g_assert_cmpuint (voice_plan.minutes, ==, 1);
  _dd_campaign_wizard_get_plan (wizard, &plan);
  g_assert_cmpuint (plan.allowed, ==, 1);
  g_assert_cmpuint (plan.deferred, ==, 1);
  g_assert_cmpstr (row_subtitle (widget, "To Call"), ==, "2 numbers");
  g_assert_cmpstr (row_subtitle (widget, "Calls per Day"), ==, "2 numbers on the first day");
  g_assert_cmpstr (row_subtitle (widget, "Estimated Duration"), ==,
                   "about 1 minute with 2 calls at once (about a minute a call)");
  g_assert_cmpstr (row_subtitle (widget, "Left Out"), ==,
                   "1 asked not to be contacted, 1 without a phone number, "
                   "1 with landlines only, 1 with a payment promised");
  g_assert_nonnull (strstr (row_subtitle (widget, "Contact Policy"), "1 wait"));
  g_assert_cmpstr (row_subtitle (widget, "Calling Hours"), ==,
                   "0:00–24:00 on working days (contact policy)");
  g_assert_cmpstr (row_subtitle (widget, "Call Flow"), ==, "Przypomnienie (Polish)");
  g_assert_true (gtk_widget_get_visible (child (widget, "test_call_group")));
  g_assert_false (gtk_widget_get_visible (child (widget, "test_message_group")));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (child (widget, "next_button"))), ==,
                   "_Start Calling");
  dd_test_save_screenshot ("test-campaign-wizard", "voice-5-review");
  {
    GtkWidget *page = gtk_stack_get_visible_child (GTK_STACK (child (widget, "stack")));
    GtkWidget *scrolled = dd_test_find_descendant (page, GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    dd_test_save_screenshot ("test-campaign-wizard", "voice-5b-review-end");
  }
  /* Call Me: the flow on the user's own phone (the sipp callee, a number that listens), with the
   * first debtor's data and the chosen voice; nothing is written */
  {
    DdVoiceCampaign *runner = dd_context_get_voice_campaign (office->context, &error);

    g_assert_no_error (error);
    g_assert_true (dd_test_wait_until (line_ready, office->context, 10000));
    g_signal_connect (runner, "said", G_CALLBACK (on_test_said), said);
    gtk_editable_set_text (GTK_EDITABLE (child (widget, "test_call_number_row")), "600 000 009");
    g_assert_true (gtk_widget_activate_action (widget, "wizard.dial-test", NULL));
    g_assert_nonnull (_dd_campaign_wizard_get_test_call (wizard));
    g_assert_true (g_str_has_prefix (dd_call_get_uri (_dd_campaign_wizard_get_test_call (wizard)),
                                     "sip:48600000009@127.0.0.1"));
    dd_test_iterate_for (100);
    dd_test_save_screenshot ("test-campaign-wizard", "voice-5c-test-call");
    g_assert_true (dd_test_wait_until (test_call_ended, wizard, 60 * 1000));
    g_signal_handlers_disconnect_by_func (runner, on_test_said, said);
    g_test_message ("test call said: %s", said->str);
    /* the first debtor to call (Maria, who promised, is not one) */
    g_assert_true (g_str_has_prefix (said->str, "pl+f2|Dzień dobry, Anna Nowak.\n") ||
                   g_str_has_prefix (said->str, "pl+f2|Dzień dobry, Jan Żółć.\n"));
    g_assert_nonnull (strstr (said->str, "pl|Do zapłaty"));
    g_assert_cmpint (dd_test_query_int (database, "SELECT COUNT(*) FROM call_attempt"), ==, 0);
    g_assert_cmpint (dd_test_query_int (database, "SELECT COUNT(*) FROM activity"), ==, 0);
  }

  /* Test Call… opens the IVR test call with the chosen flow */
  g_assert_true (gtk_widget_activate_action (widget, "wizard.test-call", NULL));
  dd_test_iterate_for (50);
  {
    GtkWindow *test_call = dd_test_find_toplevel (DD_TYPE_IVR_TEST_CALL, GTK_WINDOW (wizard));

    g_assert_nonnull (test_call);
    gtk_window_destroy (test_call);
    dd_test_iterate_for (50);
  }

  /* start: the campaign runs with its settings and an attempt per number */
  g_assert_true (gtk_widget_activate_action (widget, "wizard.next", NULL));
  dd_test_iterate_for (50);
  g_assert_cmpint (flow->step, ==, DD_CAMPAIGN_STEP_STARTED);
  id = _dd_campaign_wizard_get_campaign_id (wizard);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (dd_test_query_int (database,
                                      "SELECT COUNT(*) FROM campaign WHERE kind = 'voice'"
                                      " AND state = 'running'"), ==, 1);
  g_assert_cmpint (dd_test_query_int (database,
                                      "SELECT COUNT(*) FROM call_attempt WHERE case_id IN (1, 2)"),
                   ==, 2);
  g_assert_cmpint (dd_test_query_int (database, "SELECT COUNT(*) FROM call_attempt"), ==, 2);
  voice = dd_campaign_store_get_voice (campaigns, id, &error);
  g_assert_no_error (error);
  /* the flow's new version, with the voice and the recording chosen */
  g_assert_cmpint (voice->flow_id, >, flow_id);
  {
    g_autoptr(DdIvrFlowRecord) record = dd_ivr_flow_store_get (flows, voice->flow_id, &error);
    g_autoptr(DdIvrFlow) saved = dd_ivr_flow_new_from_data (record->json, -1, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (record->name, ==, "Przypomnienie");
    g_assert_cmpstr (dd_ivr_node_get_string (dd_ivr_flow_get_node (saved, "greeting"), "voice",
                                             NULL), ==, "pl+f2");
    g_assert_cmpstr (dd_ivr_node_get_string (dd_ivr_flow_get_node (saved, "thanks"), "file",
                                             NULL), ==, recording);
    g_assert_null (dd_ivr_node_get_string (dd_ivr_flow_get_node (saved, "amount"), "voice",
                                           NULL));
  }
  g_assert_cmpuint (g_strv_length (voice->lines), ==, 1);
  g_assert_cmpstr (voice->lines[0], ==, "Biuro");
  g_assert_nonnull (voice->caller_ids);
  g_assert_cmpuint (g_strv_length (voice->caller_ids), ==, 1);
  g_assert_cmpstr (voice->caller_ids[0], ==, "+48221234567");
  g_assert_cmpuint (voice->concurrency, ==, 2);
  g_assert_cmpuint (voice->attempts_per_day, ==, 2);
  g_assert_cmpuint (voice->interval_s, ==, 6 * 3600);
  g_assert_cmpuint (voice->max_attempts, ==, 4);
  g_assert_cmpint (voice->machine, ==, DD_MACHINE_HANGUP_RETRY);
  g_assert_nonnull (strstr (voice->confirm_sms, "{declared_date}"));
  dd_test_save_screenshot ("test-campaign-wizard", "voice-6-started");

  gtk_window_destroy (GTK_WINDOW (wizard));
  while (widget != NULL)
    g_main_context_iteration (NULL, FALSE);
  g_subprocess_force_exit (sipp);
  g_subprocess_wait (sipp, NULL, NULL);
  dd_test_remove_tree (dir);
}

/* The hold-out group: the review says how many debtors are held out and why; the campaign
 * leaves exactly those out and records them for the Effect report. */
static void
test_hold_out (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("wizard-hold-out", TRUE);
  DdDatabase *database = office->database;
  DdCampaignWizard *wizard;
  GtkWidget *widget;
  GtkWidget *row;
  const DdCampaignFlow *flow;
  gint64 id;

  g_assert_true (dd_database_exec (database,
    "INSERT INTO agent (id, name, role, created_at) VALUES (1, 'Marek', 'manager', 'x');"
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Wodociągi', 'x');", &error));
  g_assert_no_error (error);
  for (guint i = 1; i <= 40; i++)
    {
      g_autofree char *sql = g_strdup_printf (
        "INSERT INTO debtor (id, dedup_key, name, created_at, updated_at) VALUES"
        " (%u, 'k%u', 'Dłużnik %u', 'x', 'x');"
        "INSERT INTO phone (debtor_id, e164, kind, created_at) VALUES"
        " (%u, '+486010%05u', 'mobile', 'x');"
        "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, debtor_name,"
        " created_at, updated_at) VALUES (%u, %u, 1, 10000, 'PLN', 'Dłużnik %u', 'x', 'x');",
        i, i, i, i, i, i, i, i);

      g_assert_true (dd_database_exec (database, sql, &error));
      g_assert_no_error (error);
    }
  g_settings_set_string (office->settings, "default-country", "PL");
  dd_context_set_agent (office->context, 1, "Marek", TRUE);

  wizard = dd_campaign_wizard_new (NULL, office->context, NULL);
  widget = GTK_WIDGET (wizard);
  g_object_add_weak_pointer (G_OBJECT (wizard), (gpointer *) &widget);
  gtk_window_present (GTK_WINDOW (wizard));
  wait_counted (wizard);
  flow = _dd_campaign_wizard_get_flow (wizard);
  g_assert_cmpuint (flow->n_recipients, ==, 40);
  next (wizard, DD_CAMPAIGN_STEP_CHANNEL);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (widget, "sms_check")), TRUE);
  next (wizard, DD_CAMPAIGN_STEP_MESSAGE);
  _dd_campaign_wizard_set_template (wizard, "{name}, zaplac {amount}");
  next (wizard, DD_CAMPAIGN_STEP_SCHEDULE);
  next (wizard, DD_CAMPAIGN_STEP_REVIEW);

  /* 5 % by default: 2 of the 40 */
  row = child (widget, "hold_out_row");
  g_assert_true (gtk_widget_get_mapped (row));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "2 of 40 debtors are held out, chosen at random, and not contacted");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (widget, "hold_out_spin")), 0);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "Nobody is held out"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (widget, "hold_out_spin")), 25);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "10 of 40 debtors are held out, chosen at random, and not contacted");
  dd_test_save_screenshot ("test-campaign-wizard", "hold-out-review");

  g_assert_true (gtk_widget_activate_action (widget, "wizard.next", NULL));
  dd_test_iterate_for (50);
  g_assert_cmpint (flow->step, ==, DD_CAMPAIGN_STEP_STARTED);
  id = _dd_campaign_wizard_get_campaign_id (wizard);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (dd_test_query_int (database, "SELECT holdout_percent FROM campaign"), ==, 25);
  g_assert_cmpint (dd_test_query_int (database, "SELECT COUNT(*) FROM campaign_holdout"), ==, 10);
  g_assert_cmpint (dd_test_query_int (database,
                                      "SELECT COUNT(*) FROM message WHERE campaign_id IS NOT NULL"),
                   ==, 30);
  /* nobody held out got a message */
  g_assert_cmpint (dd_test_query_int (database,
                                      "SELECT COUNT(*) FROM message m JOIN campaign_holdout h"
                                      " ON h.case_id = m.case_id"), ==, 0);

  gtk_window_destroy (GTK_WINDOW (wizard));
  while (widget != NULL)
    g_main_context_iteration (NULL, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* screenshots of settled pages, not of cross-fades */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/dd/ui/campaign-wizard/walk-to-started", test_walk_to_started);
  g_test_add_func ("/dd/ui/campaign-wizard/voice-to-review", test_voice_to_review);
  g_test_add_func ("/dd/ui/campaign-wizard/hold-out", test_hold_out);

  return g_test_run ();
}
