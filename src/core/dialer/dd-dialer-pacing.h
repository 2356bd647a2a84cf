/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "dd-types.h"

G_BEGIN_DECLS

/*
 * How many numbers the dialer rings at once: pure rules, no clock of their own (every call
 * takes the time as Unix seconds), so that a simulation can drive them with a fake clock.
 *
 * - preview: nothing is dialled by itself; the consultant sees the case, then dials it;
 * - progressive: one call per free consultant (the default for fewer than 6);
 * - predictive: more calls than free consultants, as many as the answer rate allows while
 *   the expected share of calls answered with nobody free stays under the abandoned-call
 *   budget; the budget shrinks as the campaign's measured abandoned rate (calls answered by
 *   a person and abandoned / calls answered by a person, over the window: 30 days, or the
 *   UK's 24 hours) nears the cap (3 % by default), and at 90 % of the cap the dialer falls
 *   back to progressive until the rate comes down.
 */

typedef enum
{
  DD_DIAL_MODE_PREVIEW,
  DD_DIAL_MODE_PROGRESSIVE,
  DD_DIAL_MODE_PREDICTIVE,
} DdDialMode;

/* "preview", "progressive", "predictive" */
DD_DECLARE_ENUM_NAMES (DdDialMode, dd_dial_mode);
const char *dd_dial_mode_to_label     (DdDialMode  mode);
/* Progressive below 6 consultants, predictive from 6 on. */
DdDialMode  dd_dial_mode_default_for  (guint       n_consultants);

/* The rules' fixed numbers. */
#define DD_DIALER_DEFAULT_CAP          0.03      /* abandoned / answered by a person */
#define DD_DIALER_WINDOW_30_DAYS_S     (30 * 24 * 3600)
#define DD_DIALER_WINDOW_24_HOURS_S    (24 * 3600)
#define DD_DIALER_MIN_RING_S           15        /* a call rings at least this long */
#define DD_DIALER_DEFAULT_RING_S       25
#define DD_DIALER_ABANDON_MESSAGE_MS   2000      /* the message starts within 2 s of the answer */
#define DD_DIALER_ABANDON_REDIAL_S     (72 * 3600)
#define DD_DIALER_MAX_LEVEL            4.0       /* never more lines than this per free person */

typedef struct _DdPacer DdPacer;

/* @cap: at most this share of calls answered by a person may be abandoned (0 < cap < 1);
 * @window_s: over how long the share is counted; @expected_answer_rate: the campaign's
 * answer rate until calls tell better (0 < rate ≤ 1). */
DdPacer    *dd_pacer_new                 (DdDialMode  mode,
                                          double      cap,
                                          gint64      window_s,
                                          double      expected_answer_rate);
void        dd_pacer_free                (DdPacer    *pacer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdPacer, dd_pacer_free)

DdDialMode  dd_pacer_get_mode            (DdPacer    *pacer);
/* Answered and abandoned calls from before (the campaign's stored ones), at @at each. */
void        dd_pacer_add_history         (DdPacer    *pacer,
                                          gint64      at,
                                          guint       answered,
                                          guint       abandoned);
/* A call ended its ringing at @at: answered by a person or not; an answered one abandoned
 * when nobody was free for it. */
void        dd_pacer_record_call         (DdPacer    *pacer,
                                          gint64      at,
                                          gboolean    answered,
                                          gboolean    abandoned);
/* The answer rate the pacer works with: the calls seen so far, starting from the expected
 * rate (as if 20 calls had shown it). */
double      dd_pacer_get_answer_rate     (DdPacer    *pacer);
/* Abandoned / answered by a person over the window before @now (0 without answers). */
double      dd_pacer_get_abandon_rate    (DdPacer    *pacer,
                                          gint64      now);
/* The last dial level decided: lines rung per free consultant (1 for progressive). */
double      dd_pacer_get_dial_level      (DdPacer    *pacer);
/* A consultant spent @seconds on a call and its wrap-up (the predictive mode counts on the
 * busy ones who will be free by the time a call placed now is answered). */
void        dd_pacer_record_handle_time  (DdPacer    *pacer,
                                          guint       seconds);
/* The mean of those (135 s until calls tell better). */
double      dd_pacer_get_handle_time     (DdPacer    *pacer);
/* How many new calls to start at @now, with @free consultants ready, @ringing calls still
 * ringing that may still be answered (rung less than DD_DIALER_MIN_RING_S, or answered and
 * waiting for a consultant) and @busy consultants on a call or in its wrap-up. Preview:
 * always 0. */
guint       dd_pacer_calls_to_place      (DdPacer    *pacer,
                                          gint64      now,
                                          guint       free,
                                          guint       ringing,
                                          guint       busy);

/* The expected share of answered calls that find nobody free when @lines calls ring for
 * @free consultants and each is answered with @answer_rate (the binomial model the
 * predictive mode uses; the dialer settings' simulator shows it). */
double      dd_pacer_expected_abandon    (guint       lines,
                                          guint       free,
                                          double      answer_rate);
/* The same when @busy more consultants each finish in time with probability @finish_share. */
double      dd_pacer_expected_abandon_with_busy (guint   lines,
                                                 guint   free,
                                                 guint   busy,
                                                 double  finish_share,
                                                 double  answer_rate);

G_END_DECLS
