/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SMS templates (issue: SMS campaigns): personalised reminders rendered per second, and the
 * same with the GSM-7/UCS-2 measurement every campaign message gets. Goal: ≥ 1,000,000
 * renders/s.
 */
#include "config.h"

#include "dd-campaign-messages.h"

#include <locale.h>
#include <string.h>

int
main (int   argc,
      char *argv[])
{
  const char *template_text = "{name}, invoice {invoice} for {amount} was due on {due_date}. "
                              "Please pay it to avoid further steps. {creditor}";
  const char *env = g_getenv ("DD_BENCH_RENDERS");
  guint n = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : 2000000;
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_recipient_free);
  gint64 start;
  double seconds;
  gsize total = 0;

  setlocale (LC_ALL, "");
  for (guint i = 0; i < 1000; i++)
    {
      DdRecipient *r = g_new0 (DdRecipient, 1);

      r->name = g_strdup_printf ("Debtor %u Kowalski", i);
      r->creditor = g_strdup ("Wodociagi Miejskie");
      r->invoice = g_strdup_printf ("FV/%u/2026", i);
      r->invoice_minor = 12345 + i;
      r->balance_minor = 99999 + i;
      r->currency = g_strdup ("PLN");
      r->due_on = g_strdup ("2026-10-15");
      r->language = g_strdup ("en");
      g_ptr_array_add (recipients, r);
    }

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = dd_campaign_messages_render (template_text,
                                                           g_ptr_array_index (recipients, i % 1000),
                                                           "en", NULL, NULL, NULL);
      total += strlen (text);
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_print ("| render | %u | %.2f s | %.0f renders/s | %s |\n", n, seconds, n / seconds,
           n / seconds >= 1e6 ? "met (≥ 1,000,000/s)" : "**not met**");

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n / 4; i++)
    {
      g_autofree char *text = dd_campaign_messages_render (template_text,
                                                           g_ptr_array_index (recipients, i % 1000),
                                                           "en", NULL, NULL, NULL);
      DdSmsMeasure m;

      dd_campaign_messages_measure_text (text, &m);
      total += m.segments;
      dd_sms_measure_clear (&m);
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_print ("| render + measure | %u | %.2f s | %.0f messages/s | |\n", n / 4, seconds,
           n / 4 / seconds);
  return total > 0 ? 0 : 1;
}
