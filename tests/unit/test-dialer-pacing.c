/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The dialer's pacing rules and its simulation on a fake clock (issue 18). */

#include "dd-dialer-pacing.h"
#include "dd-dialer-sim.h"

#include <locale.h>

static void
test_modes (void)
{
  DdDialMode mode;

  g_assert_cmpint (dd_dial_mode_default_for (1), ==, DD_DIAL_MODE_PROGRESSIVE);
  g_assert_cmpint (dd_dial_mode_default_for (5), ==, DD_DIAL_MODE_PROGRESSIVE);
  g_assert_cmpint (dd_dial_mode_default_for (6), ==, DD_DIAL_MODE_PREDICTIVE);
  g_assert_true (dd_dial_mode_from_string ("predictive", &mode));
  g_assert_cmpint (mode, ==, DD_DIAL_MODE_PREDICTIVE);
  g_assert_false (dd_dial_mode_from_string ("turbo", &mode));
  g_assert_cmpstr (dd_dial_mode_to_string (DD_DIAL_MODE_PREVIEW), ==, "preview");
}

static void
test_preview_progressive (void)
{
  g_autoptr(DdPacer) preview = dd_pacer_new (DD_DIAL_MODE_PREVIEW, 0.03, 86400, 0.3);
  g_autoptr(DdPacer) progressive = dd_pacer_new (DD_DIAL_MODE_PROGRESSIVE, 0.03, 86400, 0.3);

  /* Preview never dials by itself */
  g_assert_cmpuint (dd_pacer_calls_to_place (preview, 1, 5, 0, 0), ==, 0);
  /* Progressive: one line per free consultant, counting those still ringing */
  g_assert_cmpuint (dd_pacer_calls_to_place (progressive, 1, 5, 0, 0), ==, 5);
  g_assert_cmpuint (dd_pacer_calls_to_place (progressive, 1, 5, 3, 0), ==, 2);
  g_assert_cmpuint (dd_pacer_calls_to_place (progressive, 1, 2, 3, 0), ==, 0);
  g_assert_cmpfloat (dd_pacer_get_dial_level (progressive), ==, 1.0);
}

static void
test_expected_abandon (void)
{
  /* No more lines than people: nothing abandoned */
  g_assert_cmpfloat (dd_pacer_expected_abandon (5, 5, 0.3), ==, 0.0);
  /* Everyone answers: the lines beyond the people are abandoned */
  g_assert_cmpfloat_with_epsilon (dd_pacer_expected_abandon (10, 5, 1.0), 0.5, 1e-9);
  /* Two lines, one person, p = 0.5: E[max(0, X−1)] = 0.25, E[X] = 1 */
  g_assert_cmpfloat_with_epsilon (dd_pacer_expected_abandon (2, 1, 0.5), 0.25, 1e-9);
  /* More lines, more abandoned */
  g_assert_cmpfloat (dd_pacer_expected_abandon (20, 5, 0.3), >,
                     dd_pacer_expected_abandon (15, 5, 0.3));
}

static void
test_predictive (void)
{
  g_autoptr(DdPacer) pacer = dd_pacer_new (DD_DIAL_MODE_PREDICTIVE, 0.03,
                                           DD_DIALER_WINDOW_30_DAYS_S, 0.3);
  guint n;
  gint64 now = 1000;

  /* A campaign with answers enough behind it (none abandoned): at 30 % answers, more lines
   * than free people, within the cap's model */
  dd_pacer_add_history (pacer, now - 7200, 200, 0);
  n = dd_pacer_calls_to_place (pacer, now, 10, 0, 0);
  g_assert_cmpuint (n, >, 10);
  g_assert_cmpfloat (dd_pacer_expected_abandon (n, 10, 0.3), <=, 0.03);
  g_assert_cmpfloat (dd_pacer_get_dial_level (pacer), >, 1.0);
  /* Nobody free, nothing dialled */
  g_assert_cmpuint (dd_pacer_calls_to_place (pacer, now, 0, 0, 0), ==, 0);

  /* At the cap: back to one line per free consultant */
  dd_pacer_add_history (pacer, now - 3600, 100, 9);
  g_assert_cmpfloat_with_epsilon (dd_pacer_get_abandon_rate (pacer, now), 0.03, 1e-9);
  g_assert_cmpuint (dd_pacer_calls_to_place (pacer, now, 10, 0, 0), ==, 10);
  g_assert_cmpfloat (dd_pacer_get_dial_level (pacer), ==, 1.0);

  /* Thirty days later those calls have left the window; new answers come in */
  now += DD_DIALER_WINDOW_30_DAYS_S;
  g_assert_cmpfloat (dd_pacer_get_abandon_rate (pacer, now), ==, 0.0);
  dd_pacer_add_history (pacer, now, 2000, 0);
  g_assert_cmpuint (dd_pacer_calls_to_place (pacer, now, 10, 0, 0), >, 10);

  /* The answer rate follows the calls: all unanswered → fewer extra lines */
  for (guint i = 0; i < 200; i++)
    dd_pacer_record_call (pacer, now, i % 10 == 0, FALSE);
  g_assert_cmpfloat (dd_pacer_get_answer_rate (pacer), <, 0.15);
  g_assert_cmpuint (dd_pacer_calls_to_place (pacer, now, 10, 0, 0), >, 30);
}

/* A campaign with few answers yet: one abandoned call would be over the cap (1 of 30 is
 * 3.3 %), so the predictive mode dials no more lines above the free consultants than the cap
 * has room for, counting the next answer (seen with 100 real sipp callees: 1 of 30 abandoned). */
static void
test_small_campaign (void)
{
  g_autoptr(DdPacer) pacer = dd_pacer_new (DD_DIAL_MODE_PREDICTIVE, 0.03,
                                           DD_DIALER_WINDOW_30_DAYS_S, 0.3);
  gint64 now = 1000;

  /* nothing answered yet: one line per free consultant */
  g_assert_cmpuint (dd_pacer_calls_to_place (pacer, now, 5, 0, 0), ==, 5);
  /* 32 answers: 3 % of 33 is not one call yet */
  for (guint i = 0; i < 32; i++)
    dd_pacer_record_call (pacer, now, TRUE, FALSE);
  g_assert_cmpuint (dd_pacer_calls_to_place (pacer, now, 5, 0, 0), ==, 5);
  /* 33: room for one abandoned call, so one line more at the most */
  dd_pacer_record_call (pacer, now, TRUE, FALSE);
  g_assert_cmpuint (dd_pacer_calls_to_place (pacer, now, 5, 0, 0), <=, 6);
  /* one abandoned among 40: no room until 66 answers */
  for (guint i = 0; i < 6; i++)
    dd_pacer_record_call (pacer, now, TRUE, FALSE);
  dd_pacer_record_call (pacer, now, TRUE, TRUE);
  g_assert_cmpuint (dd_pacer_calls_to_place (pacer, now, 5, 0, 0), ==, 5);

  /* small campaigns in the simulation stay under the cap on every seed */
  for (guint32 seed = 1; seed <= 30; seed++)
    {
      DdDialerSimConfig config = {
        .mode = DD_DIAL_MODE_PREDICTIVE,
        .n_debtors = 100,
        .n_consultants = 5,
        .answer_rate = 0.3,
        .seed = seed,
      };
      DdDialerSimResult result;

      dd_dialer_sim_run (&config, &result);
      g_assert_cmpuint (result.calls, ==, 100);
      g_assert_cmpfloat (result.abandon_rate, <=, DD_DIALER_DEFAULT_CAP);
    }
}

/* The cap holds in the simulation (1,000 debtors, 30 % answers, 5 and 10 consultants). */
static void
test_simulation_cap (void)
{
  const guint teams[] = { 5, 10 };

  for (guint t = 0; t < G_N_ELEMENTS (teams); t++)
    for (guint32 seed = 1; seed <= 3; seed++)
      {
        DdDialerSimConfig config = {
          .mode = DD_DIAL_MODE_PREDICTIVE,
          .n_debtors = 1000,
          .n_consultants = teams[t],
          .answer_rate = 0.3,
          .seed = seed,
        };
        DdDialerSimConfig progressive = config;
        DdDialerSimResult result, slow;

        dd_dialer_sim_run (&config, &result);
        g_test_message ("%u consultants, seed %u: %u calls, %u answered, %u abandoned "
                        "(%.2f %%), idle %.1f %%, %.0f calls/h, level %.2f",
                        teams[t], seed, result.calls, result.answered, result.abandoned,
                        100 * result.abandon_rate, 100 * result.idle_share,
                        result.calls_per_hour, result.mean_level);
        g_assert_cmpuint (result.calls, ==, 1000);
        g_assert_cmpuint (result.answered, >, 200);
        g_assert_cmpfloat (result.abandon_rate, <=, DD_DIALER_DEFAULT_CAP);

        /* Progressive abandons nothing; with 10 consultants predictive rings more numbers
         * an hour, with less waiting (with 5 it can add few lines: progressive is the
         * default below 6) */
        progressive.mode = DD_DIAL_MODE_PROGRESSIVE;
        dd_dialer_sim_run (&progressive, &slow);
        g_test_message ("  progressive: %.0f calls/h, idle %.1f %%", slow.calls_per_hour,
                        100 * slow.idle_share);
        g_assert_cmpuint (slow.abandoned, ==, 0);
        if (teams[t] >= 10)
          {
            g_assert_cmpfloat (result.calls_per_hour, >, slow.calls_per_hour);
            g_assert_cmpfloat (result.idle_share, <, slow.idle_share);
          }
      }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/dialer-pacing/modes", test_modes);
  g_test_add_func ("/dd/dialer-pacing/preview-progressive", test_preview_progressive);
  g_test_add_func ("/dd/dialer-pacing/expected-abandon", test_expected_abandon);
  g_test_add_func ("/dd/dialer-pacing/predictive", test_predictive);
  g_test_add_func ("/dd/dialer-pacing/simulation-cap", test_simulation_cap);
  g_test_add_func ("/dd/dialer-pacing/small-campaign", test_small_campaign);

  return g_test_run ();
}
