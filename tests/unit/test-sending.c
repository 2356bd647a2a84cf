/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DdSending, the office's sending that the window and the command line share: a campaign sent
 * through a gateway to the end, the office's own provider from the settings (its token from a
 * throw-away keyring), and what happens without a token. Run by run-with-keyring.sh. */
#include "config.h"

#include "dd-campaign-store.h"
#include "dd-gateway-test.h"
#include "dd-outbox.h"
#include "dd-sending.h"
#include "dd-sms-account.h"
#include "dd-test-util.h"

#define N_MESSAGES 12

typedef struct
{
  DdTestOffice *office;
  DdSending    *sending;
  guint         started;
  guint         failed;
  guint         idle;
  guint         completed;
} Fixture;

static void
on_started (DdSending    *sending,
            DdSmsGateway *gateway,
            Fixture      *f)
{
  g_assert_true (DD_IS_SMS_GATEWAY (gateway));
  f->started++;
}

static void
on_failed (DdSending  *sending,
           const char *why,
           Fixture    *f)
{
  g_test_message ("failed: %s", why);
  f->failed++;
}

static void
on_idle (DdSending *sending,
         Fixture   *f)
{
  f->idle++;
}

static void
on_completed (DdSending *sending,
              Fixture   *f)
{
  f->completed++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(DdCampaignStore) campaigns = NULL;
  g_autoptr(DdOutbox) outbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (DdOutboxNew));
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  DdCampaign campaign = { .name = (char *) "Grudzień", .kind = (char *) "sms" };
  gint64 id = 0;

  f->office = dd_test_office_new ("sending");
  campaigns = dd_campaign_store_new (f->office->database);
  outbox = dd_outbox_new (f->office->database);
  g_assert_true (dd_campaign_store_create (campaigns, &campaign, 0, &id, &error));
  for (guint i = 0; i < N_MESSAGES; i++)
    {
      DdOutboxNew item = { 0 };
      char *e164 = g_strdup_printf ("+4860200%04u", i);

      g_ptr_array_add (strings, e164);
      item.e164 = e164;
      item.body = "Prosimy o zapłatę";
      g_array_append_val (items, item);
    }
  g_assert_true (dd_outbox_enqueue (outbox, id, "Biuro", (const DdOutboxNew *) items->data,
                                    items->len, NULL, &error));
  g_assert_true (dd_campaign_store_set_state (campaigns, id, DD_CAMPAIGN_RUNNING, NULL, 0,
                                              &error));
  g_assert_no_error (error);

  f->sending = dd_sending_new (f->office->database);
  g_signal_connect (f->sending, "started", G_CALLBACK (on_started), f);
  g_signal_connect (f->sending, "failed", G_CALLBACK (on_failed), f);
  g_signal_connect (f->sending, "idle", G_CALLBACK (on_idle), f);
  g_signal_connect (f->sending, "campaign-completed", G_CALLBACK (on_completed), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  dd_sending_stop (f->sending);
  g_assert_finalize_object (f->sending);
  dd_test_office_free (f->office);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  gint64 n = -1;

  g_assert_true (dd_database_query_int64 (f->office->database, sql, &n, NULL));
  return n;
}

static gboolean
all_sent (gpointer data)
{
  Fixture *f = data;

  return count (f, "SELECT COUNT(*) FROM message WHERE state IN ('sent', 'delivered')")
         == N_MESSAGES
         && !dd_sending_has_campaigns (f->sending);
}

static gboolean
has_started (gpointer data)
{
  return ((Fixture *) data)->started > 0;
}

/* A gateway given: the campaign is sent to its end, once. */
static void
test_gateway (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(DdGatewayTest) gateway = dd_gateway_test_new ();

  g_assert_false (dd_sending_is_running (f->sending));
  g_assert_true (dd_sending_has_campaigns (f->sending));
  dd_sending_start (f->sending, DD_SMS_GATEWAY (gateway), NULL);
  g_assert_cmpuint (f->started, ==, 1);
  g_assert_true (dd_sending_is_running (f->sending));
  g_assert_true (dd_sending_get_gateway (f->sending) == DD_SMS_GATEWAY (gateway));
  g_assert_true (dd_test_wait_until (all_sent, f, 20000));
  g_assert_cmpuint (dd_gateway_test_get_inbox (gateway)->len, ==, N_MESSAGES);
  /* its end is said at once (the e-mail summary follows it) */
  g_assert_cmpuint (f->completed, ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM campaign WHERE state = 'completed'"), ==, 1);

  dd_sending_stop (f->sending);
  g_assert_false (dd_sending_is_running (f->sending));
  g_assert_null (dd_sending_get_gateway (f->sending));
  g_assert_cmpuint (f->failed, ==, 0);
}

/* The office's provider from the settings: SMSAPI without a token does not start and is not a
 * failure (Preferences shows it); the Test provider needs none and sends. */
static void
test_office (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

  g_settings_set_string (settings, "sms-gateway", "smsapi");
  dd_sending_start_for_office (f->sending, settings, NULL);
  dd_test_iterate_for (1500);
  g_assert_cmpuint (f->started, ==, 0);
  g_assert_cmpuint (f->failed, ==, 0);
  g_assert_false (dd_sending_is_running (f->sending));

  g_settings_set_string (settings, "sms-gateway", "test");
  dd_sending_start_for_office (f->sending, settings, NULL);
  g_assert_true (dd_test_wait_until (has_started, f, 5000));
  g_assert_cmpstr (dd_sms_gateway_get_id (dd_sending_get_gateway (f->sending)), ==, "test");
  g_assert_true (dd_test_wait_until (all_sent, f, 20000));
  g_settings_reset (settings, "sms-gateway");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/dd/sending/gateway", Fixture, NULL, fixture_setup, test_gateway,
              fixture_teardown);
  g_test_add ("/dd/sending/office", Fixture, NULL, fixture_setup, test_office,
              fixture_teardown);
  return g_test_run ();
}
