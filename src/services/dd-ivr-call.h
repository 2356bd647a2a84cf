/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-call.h"
#include "dd-ivr-machine.h"

G_BEGIN_DECLS

/*
 * The IVR call driver: a call flow (DdIvrMachine) run on one DdCall — its prompts played,
 * stopped and heard to their end, its timers, the keys pressed and the hang-up fed back to
 * the machine. The voice campaign (outbound) and the inbound queue both drive their calls'
 * flows through it; what each does of the other actions (a transfer, an SMS, a declaration,
 * the hang-up) is theirs, through DdIvrCallHooks.
 *
 * The driver keeps the order of what plays on the call, the flow's prompts and the owner's
 * own sounds (kinds from DD_IVR_PLAY_OWN up), so that the end of each is told apart.
 */
typedef struct _DdIvrCall DdIvrCall;

typedef enum
{
  DD_IVR_PLAY_PROMPT,    /* the flow's */
  DD_IVR_PLAY_SILENCE,   /* replaces what plays; a stopped prompt ends as one */
  DD_IVR_PLAY_OWN,       /* the first of the owner's kinds */
} DdIvrPlayKind;

typedef struct
{
  /* Whether the flow still has the call: its actions run, and (while there is a machine)
   * its timers, the keys and its prompts' ends reach the machine. NULL: always. */
  gboolean (*in_flow) (gpointer data);
  /* A PLAY action's prompt is about to play; returns whether a key stops it (barge-in).
   * NULL: keys never stop a prompt. */
  gboolean (*prompt)  (const DdIvrAction *action,
                       gpointer           data);
  /* Every other action than PLAY, STOP_PLAYBACK, START_TIMER and STOP_TIMER; returns FALSE
   * when the actions that follow are left out. */
  gboolean (*action)  (const DdIvrAction *action,
                       gpointer           data);
} DdIvrCallHooks;

/* @call is not referenced: it outlives the driver. */
DdIvrCall    *dd_ivr_call_new              (DdCall               *call,
                                            const DdIvrCallHooks *hooks,
                                            gpointer              data);
/* Stops the timers; the machine goes too. */
void          dd_ivr_call_free             (DdIvrCall            *ivr);

/* The flow starts: a machine of @flow for @info, answered now. */
void          dd_ivr_call_start            (DdIvrCall            *ivr,
                                            DdIvrFlow            *flow,
                                            DdIvrCaseInfo        *info,
                                            GDateTime            *now);
/* NULL before the flow starts and after it let go. */
DdIvrMachine *dd_ivr_call_get_machine      (DdIvrCall            *ivr);
/* Runs @actions (the machine's answer; taken). */
void          dd_ivr_call_run              (DdIvrCall            *ivr,
                                            GPtrArray            *actions);
/* The flow lets go of the call: no timer, no prompt; returns the trace of the path it took. */
char         *dd_ivr_call_let_go           (DdIvrCall            *ivr);

/* Plays @pcm on the call, as @kind (DdIvrPlayKind, or the owner's). */
void          dd_ivr_call_play             (DdIvrCall            *ivr,
                                            GBytes               *pcm,
                                            guint                 kind,
                                            gboolean              barge_in);
/* The flow's prompts that play stop (20 ms of silence replaces them); whether any played. */
gboolean      dd_ivr_call_stop_prompts     (DdIvrCall            *ivr);
void          dd_ivr_call_stop_timers      (DdIvrCall            *ivr);
/* Whether nothing plays on the call. */
gboolean      dd_ivr_call_is_quiet         (DdIvrCall            *ivr);

/* The call's "playback-finished": returns the kind of what ended (a stopped prompt ends as
 * DD_IVR_PLAY_SILENCE), or -1 when nothing played; a prompt's end reaches the flow. */
int           dd_ivr_call_playback_done    (DdIvrCall            *ivr);
/* The call's "dtmf": the key reaches the flow. */
void          dd_ivr_call_dtmf             (DdIvrCall            *ivr,
                                            char                  digit);
/* The call ended: the machine hears it (what it would do is left out). */
void          dd_ivr_call_hung_up          (DdIvrCall            *ivr);

G_END_DECLS
