/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "dd-types.h"

G_BEGIN_DECLS

/*
 * A dunning policy: the steps of the escalation ladder, each a number of days relative to the
 * case's due date (its oldest unpaid invoice), a channel and the text (SMS, task) or call flow
 * (voice) it uses. Steps are kept sorted by day; a step's index is its position.
 */

typedef enum
{
  DD_LADDER_SMS,
  DD_LADDER_VOICE,
  DD_LADDER_CONSULTANT_CALL,     /* a task: a consultant calls the debtor */
  DD_LADDER_DEMAND_LETTER,       /* a task: a demand letter is sent */
  DD_LADDER_HAND_OVER,           /* the case goes on the hand-over list */
  DD_LADDER_N_CHANNELS
} DdLadderChannel;

/* "sms", "voice", "consultant-call", "demand-letter", "hand-over" */
DD_DECLARE_ENUM_NAMES (DdLadderChannel, dd_ladder_channel);
/* Translated ("SMS", "Voice call", "Consultant call task"…). */
const char *dd_ladder_channel_to_label    (DdLadderChannel  channel);
/* Whether the step contacts the debtor by itself (SMS, voice): opt-outs and the contact
 * policy apply to it; tasks are work for the office. */
gboolean    dd_ladder_channel_is_contact  (DdLadderChannel  channel);

typedef struct
{
  gint             offset_days;  /* relative to the due date: −3, 0, +3… */
  DdLadderChannel  channel;
  char            *text;         /* SMS template, task text; NULL: the channel's default */
  char            *flow;         /* voice: the call flow's name */
} DdLadderStep;

typedef struct
{
  gint64  id;                    /* 0: not stored (the built-in default) */
  gint64  creditor_id;           /* 0: the office's default policy */
  char   *name;
  GArray *steps;                 /* DdLadderStep, sorted by offset_days */
} DdLadderPolicy;

#define DD_LADDER_POLICY_ERROR (dd_ladder_policy_error_quark ())
GQuark          dd_ladder_policy_error_quark (void);

typedef enum
{
  DD_LADDER_POLICY_ERROR_PARSE,
  DD_LADDER_POLICY_ERROR_INVALID,
} DdLadderPolicyError;

DdLadderPolicy *dd_ladder_policy_new          (const char           *name);
/* −3 SMS, 0 SMS, +3 voice, +7 second voice, +10 consultant call task, +14 demand letter
 * task, +30 hand-over list. */
DdLadderPolicy *dd_ladder_policy_new_default  (void);
DdLadderPolicy *dd_ladder_policy_copy         (const DdLadderPolicy *self);
void            dd_ladder_policy_free         (DdLadderPolicy       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdLadderPolicy, dd_ladder_policy_free)

/* Adds a step and keeps the steps sorted (a step with the same day goes after). */
void            dd_ladder_policy_add_step     (DdLadderPolicy       *self,
                                               gint                  offset_days,
                                               DdLadderChannel       channel,
                                               const char           *text,
                                               const char           *flow);
const DdLadderStep *dd_ladder_policy_get_step (const DdLadderPolicy *self,
                                               guint                 index);
guint           dd_ladder_policy_get_n_steps  (const DdLadderPolicy *self);

/* At least one step, at most one step per day, days within −365…+3650, a voice step names a
 * flow, an SMS step has a text. */
gboolean        dd_ladder_policy_validate     (const DdLadderPolicy *self,
                                               GError              **error);

/* {"name": …, "steps": [{"day": -3, "channel": "sms", "text": …, "flow": …}, …]} */
char           *dd_ladder_policy_to_json      (const DdLadderPolicy *self);
DdLadderPolicy *dd_ladder_policy_from_json    (const char           *json,
                                               GError              **error);

/* The default texts of steps without their own (translated; SMS templates use the campaign
 * placeholders {name}, {balance}, {due_date}, {creditor}; {balance} is the sum of the cases a message covers). */
const char     *dd_ladder_step_default_text   (DdLadderChannel       channel,
                                               gint                  offset_days);

G_END_DECLS
