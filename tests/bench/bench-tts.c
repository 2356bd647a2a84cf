/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text to speech of a 20-word personalised prompt to 8 kHz PCM (issue: telephony): espeak-ng
 * synthesis plus GStreamer resampling, no cache hit (every prompt differs). Goal < 50 ms. */
#include "config.h"

#include "dd-tts.h"

#include <stdio.h>
#include <stdlib.h>

static int
compare (const void *a,
         const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int    argc,
      char **argv)
{
  static const char *const names[] = { "Jan Kowalski", "Anna Nowak", "Piotr Wiśniewski",
                                       "Ewa Wójcik", "Marek Kamiński" };
  static const char *const languages[] = { "pl", "ru" };
  guint rounds = 40;

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      double times[40];
      double seconds_of_audio = 0;

      for (guint i = 0; i < rounds; i++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *text = NULL;
          g_autoptr(GBytes) prompt = NULL;
          gint64 start;

          if (g_str_equal (languages[l], "pl"))
            /* 20 words */
            text = g_strdup_printf ("Dzień dobry, %s. Faktura numer %u na kwotę %u złotych była "
                                    "płatna do piętnastego listopada. Prosimy o pilną wpłatę.",
                                    names[i % G_N_ELEMENTS (names)], 1000 + i, 120 + i);
          else
            text = g_strdup_printf ("Здравствуйте, %s. Счёт номер %u на сумму %u рублей нужно "
                                    "было оплатить до пятнадцатого ноября. Просим оплатить.",
                                    names[i % G_N_ELEMENTS (names)], 1000 + i, 120 + i);
          start = g_get_monotonic_time ();
          prompt = dd_tts_prompt (text, languages[l], &error);
          times[i] = (g_get_monotonic_time () - start) / 1000.0;
          if (prompt == NULL)
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
          seconds_of_audio += g_bytes_get_size (prompt) / 2.0 / 8000.0;
        }
      qsort (times, rounds, sizeof times[0], compare);
      printf ("tts-%s: 20-word prompt to 8 kHz PCM: median %.1f ms, p90 %.1f ms, max %.1f ms "
              "(the first includes start-up); %.1f s of speech each\n",
              languages[l], times[rounds / 2], times[rounds * 9 / 10], times[rounds - 1],
              seconds_of_audio / rounds);
      printf ("GOAL %s: < 50 ms (median)\n", times[rounds / 2] < 50 ? "MET" : "NOT MET");
    }
  return 0;
}
