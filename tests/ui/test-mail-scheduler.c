/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DdMailScheduler (issue 16): the summary after a campaign is queued as soon as the desk
 * completes the campaign (the context's "campaign-completed"), not at the first check a minute
 * after the start nor at the quarter-hour one. The campaign is sent to its end through the Test
 * gateway by the context's own sending; the SMTP server is a closed port on 127.0.0.1, so the
 * summary waits in the outbox, where the test finds it. */
#include "config.h"

#include "dd-campaign-store.h"
#include "dd-context.h"
#include "dd-gateway-test.h"
#include "dd-mail-scheduler.h"
#include "dd-outbox.h"
#include "dd-sending.h"
#include "dd-test-ui.h"

#define N_MESSAGES 3

typedef struct
{
  DdDatabase *database;
  char       *kind;       /* the summary's mail_outbox.kind */
  guint       completed;  /* the context's "campaign-completed" */
} Wait;

static gboolean
summary_queued (gpointer data)
{
  Wait *w = data;
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM mail_outbox WHERE kind = '%s'",
                                          w->kind);

  return dd_test_query_int (w->database, sql) > 0;
}

static void
on_completed (DdContext *context,
              Wait      *w)
{
  w->completed++;
}

static void
test_summary_after_campaign (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("mail-scheduler", TRUE);
  g_autoptr(DdCampaignStore) campaigns = dd_campaign_store_new (office->database);
  g_autoptr(DdOutbox) outbox = dd_outbox_new (office->database);
  g_autoptr(DdGatewayTest) gateway = dd_gateway_test_new ();
  g_autoptr(DdMailScheduler) scheduler = NULL;
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (DdOutboxNew));
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char * const recipients[] = { "kierownik@biuro.example", NULL };
  DdCampaign campaign = { .name = (char *) "Grudzień", .kind = (char *) "sms" };
  DdSending *sending;
  gint64 id = 0;
  Wait w = { office->database, NULL, 0 };

  g_assert_true (dd_campaign_store_create (campaigns, &campaign, 0, &id, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < N_MESSAGES; i++)
    {
      DdOutboxNew item = { 0 };
      char *e164 = g_strdup_printf ("+4860300%04u", i);

      g_ptr_array_add (strings, e164);
      item.e164 = e164;
      item.body = "Prosimy o zapłatę";
      g_array_append_val (items, item);
    }
  g_assert_true (dd_outbox_enqueue (outbox, id, "Biuro", (const DdOutboxNew *) items->data,
                                    items->len, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (dd_campaign_store_set_state (campaigns, id, DD_CAMPAIGN_RUNNING, NULL, 0,
                                              &error));
  g_assert_no_error (error);
  w.kind = g_strdup_printf ("campaign-%" G_GINT64_FORMAT, id);

  /* Preferences › E-mail: a server (nothing listens there), summaries after each campaign */
  g_settings_set_string (office->settings, "mail-server", "127.0.0.1");
  g_settings_set_uint (office->settings, "mail-port", dd_test_free_port (G_SOCKET_PROTOCOL_TCP));
  g_settings_set_string (office->settings, "mail-security", "none");
  g_settings_set_string (office->settings, "mail-from", "biuro@biuro.example");
  g_settings_set_strv (office->settings, "mail-recipients", recipients);
  g_settings_set_boolean (office->settings, "mail-summary-after-campaign", TRUE);
  g_settings_set_boolean (office->settings, "mail-summary-weekly", FALSE);

  scheduler = dd_mail_scheduler_new (office->context);
  g_signal_connect (office->context, "campaign-completed", G_CALLBACK (on_completed), &w);
  sending = dd_context_get_sending (office->context);
  dd_sending_start (sending, DD_SMS_GATEWAY (gateway), NULL);

  /* well before the scheduler's first timed check (a minute after its start) */
  g_assert_true (dd_test_wait_until (summary_queued, &w, 30 * 1000));
  g_assert_cmpuint (w.completed, ==, 1);
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT COUNT(*) FROM campaign WHERE state = 'completed'"),
                   ==, 1);
  g_assert_cmpint (dd_test_query_int (office->database, "SELECT COUNT(*) FROM mail_outbox"),
                   ==, 1);

  dd_sending_stop (sending);
  g_signal_handlers_disconnect_by_data (office->context, &w);
  /* the check's worker thread holds the scheduler until it is done */
  g_object_add_weak_pointer (G_OBJECT (scheduler), (gpointer *) &scheduler);
  g_object_unref (scheduler);
  while (scheduler != NULL)
    g_main_context_iteration (NULL, TRUE);
  g_free (w.kind);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mail-scheduler/summary-after-campaign", test_summary_after_campaign);
  return g_test_run ();
}
