/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The dialer's pacing on a fake clock (issue 18): 1,000 debtors, answer rate 30 %, 5 and 10
 * consultants, each mode; the means of DD_BENCH_SEEDS runs (default 20). Prints the table of
 * docs/PERFORMANCE.md and fails when a predictive run abandons more than the cap. */

#include "dd-dialer-sim.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

int
main (int   argc,
      char *argv[])
{
  const char *env = g_getenv ("DD_BENCH_SEEDS");
  guint seeds = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : 20;
  const guint teams[] = { 5, 10 };
  const DdDialMode modes[] = { DD_DIAL_MODE_PREVIEW, DD_DIAL_MODE_PROGRESSIVE,
                               DD_DIAL_MODE_PREDICTIVE };
  gboolean ok = TRUE;
  gint64 start = g_get_monotonic_time ();

  setlocale (LC_ALL, "C.UTF-8");
  seeds = MAX (seeds, 1);

  printf ("| consultants | mode | abandoned (mean / worst run) | idle | talking | calls/h |"
          " connects/h | dial level | campaign |\n");
  printf ("|---|---|---|---|---|---|---|---|---|\n");
  for (guint t = 0; t < G_N_ELEMENTS (teams); t++)
    for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
      {
        DdDialerSimResult sum = { 0 };
        double worst = 0.0;
        double abandoned = 0, answered = 0;

        for (guint32 seed = 1; seed <= seeds; seed++)
          {
            DdDialerSimConfig config = {
              .mode = modes[m],
              .n_debtors = 1000,
              .n_consultants = teams[t],
              .answer_rate = 0.3,
              .seed = seed,
            };
            DdDialerSimResult r;

            dd_dialer_sim_run (&config, &r);
            abandoned += r.abandoned;
            answered += r.answered;
            worst = MAX (worst, r.abandon_rate);
            sum.idle_share += r.idle_share;
            sum.talk_share += r.talk_share;
            sum.calls_per_hour += r.calls_per_hour;
            sum.connects_per_hour += r.connects_per_hour;
            sum.mean_level += r.mean_level;
            sum.hours += r.hours;
            if (r.abandon_rate > DD_DIALER_DEFAULT_CAP)
              ok = FALSE;
          }
        printf ("| %u | %s | %.2f %% / %.2f %% | %.1f %% | %.1f %% | %.0f | %.0f | %.2f |"
                " %.2f h |\n",
                teams[t], dd_dial_mode_to_string (modes[m]),
                answered > 0 ? 100.0 * abandoned / answered : 0.0, 100.0 * worst,
                100.0 * sum.idle_share / seeds, 100.0 * sum.talk_share / seeds,
                sum.calls_per_hour / seeds, sum.connects_per_hour / seeds,
                sum.mean_level / seeds, sum.hours / seeds);
      }
  printf ("\n%u runs per row in %.2f s; cap %.0f %%: %s\n", seeds,
          (g_get_monotonic_time () - start) / 1e6, 100 * DD_DIALER_DEFAULT_CAP,
          ok ? "kept in every run" : "EXCEEDED");
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
