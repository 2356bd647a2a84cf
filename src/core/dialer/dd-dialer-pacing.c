/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-dialer-pacing"

#include "config.h"

#include "dd-dialer-pacing.h"

#include "dd-types.h"

#include <glib/gi18n-lib.h>
#include <math.h>

/* As many calls as the expected rate is worth before the calls seen take over. */
#define PRIOR_CALLS 20.0
/* The share of the cap the predictive mode aims at when nothing was abandoned yet. */
#define AIM 0.8
/* From this share of the cap on, the dialer goes progressive. */
#define BRAKE 0.9
/* A consultant's time per call (talk and wrap-up) until calls tell better, and how long a
 * call placed now takes to be answered: busy consultants who finish within it take calls. */
#define PRIOR_HANDLE_S 135.0
#define ANSWER_WINDOW_S 8.0

typedef struct
{
  gint64 at;
  guint  answered;
  guint  abandoned;
} Answers;

struct _DdPacer
{
  DdDialMode  mode;
  double      cap;
  gint64      window_s;
  double      expected_answer_rate;

  /* All calls seen (for the answer rate) */
  guint64     calls;
  guint64     answered_calls;

  /* Answered calls within the window, oldest first (Answers) */
  GQueue      window;
  guint64     in_window_answered;
  guint64     in_window_abandoned;

  double      level;

  guint64     handled;
  double      handle_s_sum;
};

static const char * const mode_names[] = {
  [DD_DIAL_MODE_PREVIEW] = "preview",
  [DD_DIAL_MODE_PROGRESSIVE] = "progressive",
  [DD_DIAL_MODE_PREDICTIVE] = "predictive",
};

DD_DEFINE_ENUM_NAMES (DdDialMode, dd_dial_mode, mode_names)

const char *
dd_dial_mode_to_label (DdDialMode mode)
{
  switch (mode)
    {
    case DD_DIAL_MODE_PREVIEW:
      /* Translators: a dialing mode of the dialer */
      return C_("dial mode", "Preview");
    case DD_DIAL_MODE_PROGRESSIVE:
      return C_("dial mode", "Progressive");
    case DD_DIAL_MODE_PREDICTIVE:
    default:
      return C_("dial mode", "Predictive");
    }
}

DdDialMode
dd_dial_mode_default_for (guint n_consultants)
{
  return n_consultants < 6 ? DD_DIAL_MODE_PROGRESSIVE : DD_DIAL_MODE_PREDICTIVE;
}

DdPacer *
dd_pacer_new (DdDialMode mode,
              double     cap,
              gint64     window_s,
              double     expected_answer_rate)
{
  DdPacer *pacer;

  g_return_val_if_fail (mode <= DD_DIAL_MODE_PREDICTIVE, NULL);
  g_return_val_if_fail (cap > 0.0 && cap < 1.0, NULL);
  g_return_val_if_fail (window_s > 0, NULL);
  g_return_val_if_fail (expected_answer_rate > 0.0 && expected_answer_rate <= 1.0, NULL);

  pacer = g_new0 (DdPacer, 1);
  pacer->mode = mode;
  pacer->cap = cap;
  pacer->window_s = window_s;
  pacer->expected_answer_rate = expected_answer_rate;
  pacer->level = 1.0;
  g_queue_init (&pacer->window);
  return pacer;
}

void
dd_pacer_free (DdPacer *pacer)
{
  if (pacer == NULL)
    return;
  g_queue_clear_full (&pacer->window, g_free);
  g_free (pacer);
}

DdDialMode
dd_pacer_get_mode (DdPacer *pacer)
{
  g_return_val_if_fail (pacer != NULL, DD_DIAL_MODE_PREVIEW);

  return pacer->mode;
}

static void
push_answers (DdPacer *pacer,
              gint64   at,
              guint    answered,
              guint    abandoned)
{
  Answers *answers = g_new0 (Answers, 1);

  answers->at = at;
  answers->answered = answered;
  answers->abandoned = MIN (abandoned, answered);
  g_queue_push_tail (&pacer->window, answers);
  pacer->in_window_answered += answers->answered;
  pacer->in_window_abandoned += answers->abandoned;
}

static void
prune_window (DdPacer *pacer,
              gint64   now)
{
  Answers *oldest;

  while ((oldest = g_queue_peek_head (&pacer->window)) != NULL
         && oldest->at <= now - pacer->window_s)
    {
      pacer->in_window_answered -= oldest->answered;
      pacer->in_window_abandoned -= oldest->abandoned;
      g_free (g_queue_pop_head (&pacer->window));
    }
}

void
dd_pacer_add_history (DdPacer *pacer,
                      gint64   at,
                      guint    answered,
                      guint    abandoned)
{
  g_return_if_fail (pacer != NULL);

  push_answers (pacer, at, answered, abandoned);
}

void
dd_pacer_record_call (DdPacer  *pacer,
                      gint64    at,
                      gboolean  answered,
                      gboolean  abandoned)
{
  g_return_if_fail (pacer != NULL);

  pacer->calls++;
  if (!answered)
    return;
  pacer->answered_calls++;
  push_answers (pacer, at, 1, abandoned ? 1 : 0);
}

double
dd_pacer_get_answer_rate (DdPacer *pacer)
{
  g_return_val_if_fail (pacer != NULL, 0.0);

  return (pacer->answered_calls + PRIOR_CALLS * pacer->expected_answer_rate)
         / (pacer->calls + PRIOR_CALLS);
}

double
dd_pacer_get_abandon_rate (DdPacer *pacer,
                           gint64   now)
{
  g_return_val_if_fail (pacer != NULL, 0.0);

  prune_window (pacer, now);
  if (pacer->in_window_answered == 0)
    return 0.0;
  return (double) pacer->in_window_abandoned / (double) pacer->in_window_answered;
}

double
dd_pacer_get_dial_level (DdPacer *pacer)
{
  g_return_val_if_fail (pacer != NULL, 0.0);

  return pacer->level;
}

static double
binomial_first (guint  n,
                double p)
{
  return pow (1.0 - p, n);
}

/* P(k + 1) of Binomial(n, p) from P(k) */
static double
binomial_next (double pmf,
               guint  n,
               guint  k,
               double p)
{
  return pmf * (double) (n - k) / (double) (k + 1) * p / (1.0 - p);
}

/* E[max(0, X − capacity)] for X ~ Binomial(lines, p) */
static double
expected_overflow (guint  lines,
                   guint  capacity,
                   double p)
{
  double pmf = binomial_first (lines, p);
  double overflow = 0.0;

  if (lines <= capacity)
    return 0.0;
  for (guint k = 0; k <= lines; k++)
    {
      if (k > capacity)
        overflow += (k - capacity) * pmf;
      pmf = binomial_next (pmf, lines, k, p);
    }
  return overflow;
}

double
dd_pacer_expected_abandon_with_busy (guint  lines,
                                     guint  free,
                                     guint  busy,
                                     double finish_share,
                                     double answer_rate)
{
  double p = CLAMP (answer_rate, 0.0, 1.0);
  double q = CLAMP (finish_share, 0.0, 1.0);
  double pmf;
  double overflow = 0.0;

  if (lines <= free || p <= 0.0)
    return 0.0;
  if (p >= 1.0)
    p = 1.0 - 1e-9;
  if (q >= 1.0)
    q = 1.0 - 1e-9;

  /* The busy ones who finish in time (Y ~ Binomial(busy, q)) add to the free ones. */
  pmf = binomial_first (busy, q);
  for (guint y = 0; y <= busy; y++)
    {
      overflow += pmf * expected_overflow (lines, free + y, p);
      pmf = binomial_next (pmf, busy, y, q);
    }
  return overflow / (lines * p);
}

double
dd_pacer_expected_abandon (guint  lines,
                           guint  free,
                           double answer_rate)
{
  if (answer_rate >= 1.0)
    return lines > free ? (double) (lines - free) / lines : 0.0;
  return dd_pacer_expected_abandon_with_busy (lines, free, 0, 0.0, answer_rate);
}

void
dd_pacer_record_handle_time (DdPacer *pacer,
                             guint    seconds)
{
  g_return_if_fail (pacer != NULL);

  pacer->handled++;
  pacer->handle_s_sum += seconds;
}

double
dd_pacer_get_handle_time (DdPacer *pacer)
{
  g_return_val_if_fail (pacer != NULL, 0.0);

  return (pacer->handle_s_sum + 10 * PRIOR_HANDLE_S) / (pacer->handled + 10);
}

/* The share of answered calls the next decision may expect to abandon. */
static double
budget (DdPacer *pacer,
        gint64   now)
{
  double rate = dd_pacer_get_abandon_rate (pacer, now);
  double brake = pacer->cap * BRAKE;

  if (rate >= brake)
    return 0.0;
  return pacer->cap * AIM * (brake - rate) / brake;
}

guint
dd_pacer_calls_to_place (DdPacer *pacer,
                         gint64   now,
                         guint    free,
                         guint    ringing,
                         guint    busy)
{
  double p;
  double q;
  double allowed;
  guint lines;
  guint max_lines;

  g_return_val_if_fail (pacer != NULL, 0);

  switch (pacer->mode)
    {
    case DD_DIAL_MODE_PREVIEW:
      pacer->level = free > 0 ? 1.0 : 0.0;
      return 0;

    case DD_DIAL_MODE_PROGRESSIVE:
      pacer->level = 1.0;
      return free > ringing ? free - ringing : 0;

    case DD_DIAL_MODE_PREDICTIVE:
    default:
      break;
    }

  if (free == 0)
    return 0;

  p = dd_pacer_get_answer_rate (pacer);
  q = MIN (1.0, ANSWER_WINDOW_S / dd_pacer_get_handle_time (pacer));
  allowed = budget (pacer, now);
  max_lines = (guint) floor (free * DD_DIALER_MAX_LEVEL);
  /* Never more lines above the free consultants than abandoned calls the cap still has room
   * for, counting the next answer: a campaign with few answers yet (fewer than 1 / cap)
   * stays progressive, as one abandoned call would already put it over the cap. */
  {
    double room = floor (pacer->cap * (double) (pacer->in_window_answered + 1) + 1e-9)
                  - (double) pacer->in_window_abandoned;

    max_lines = MIN (max_lines, free + (guint) MAX (room, 0.0));
  }
  lines = MAX (free, ringing);
  /* One line more as long as the expected share abandoned stays within the budget. */
  while (lines < max_lines && dd_pacer_expected_abandon_with_busy (lines + 1, free, busy, q, p) <= allowed)
    lines++;
  pacer->level = (double) lines / free;
  return lines > ringing ? lines - ringing : 0;
}
