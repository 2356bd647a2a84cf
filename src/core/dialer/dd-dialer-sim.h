/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-dialer-pacing.h"

G_BEGIN_DECLS

/*
 * A campaign of the dialer run on a fake clock (one-second steps): debtors answer with a
 * given rate after ringing a few seconds, talk for a while, consultants wrap up; the pacer
 * decides each second how many numbers to ring. An answered call that finds nobody free is
 * abandoned (the debtor hears the office's message). Deterministic for a seed.
 */

typedef struct
{
  DdDialMode  mode;
  guint       n_debtors;
  guint       n_consultants;
  double      answer_rate;      /* share of calls a person answers */
  double      cap;              /* 0: DD_DIALER_DEFAULT_CAP */
  guint       talk_mean_s;      /* 0: 120 s (a minimum of 30 s plus an exponential tail) */
  guint       wrap_up_s;        /* 0: 15 s */
  guint       ring_timeout_s;   /* 0: DD_DIALER_DEFAULT_RING_S */
  guint       preview_s;        /* preview: how long the consultant reads the case (0: 10 s) */
  guint32     seed;
  double      fixed_level;      /* > 0: ring this many lines per free consultant instead of
                                 * what the pacer decides (the dialer settings' simulator) */
} DdDialerSimConfig;

typedef struct
{
  guint   calls;             /* numbers rung */
  guint   answered;          /* answered by a person */
  guint   abandoned;         /* of which nobody was free */
  double  abandon_rate;      /* abandoned / answered */
  double  idle_share;        /* consultants' time waiting for a call (ready, or waiting for
                              * the number they dialled) / their time signed in */
  double  talk_share;        /* their time on calls / their time signed in */
  double  calls_per_hour;    /* numbers rung per hour */
  double  connects_per_hour; /* calls handed to a consultant per hour */
  double  mean_level;        /* mean dial level decided */
  double  hours;             /* length of the campaign */
} DdDialerSimResult;

void dd_dialer_sim_run (const DdDialerSimConfig *config,
                        DdDialerSimResult       *result);

G_END_DECLS
