/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dd-campaign-store.h"
#include "dd-ladder-runner.h"

G_BEGIN_DECLS

/*
 * DdLadderCalls: the ladder's voice steps as calls of voice campaigns (a DdLadderExecutor).
 * Each piece of work becomes one scheduled call attempt for the debtor (their first usable
 * number; the lead case's data are spoken, the call covers all their cases) in the day's
 * ladder voice campaign of the step's flow — kind "voice", one per day and flow, made running
 * with the office's default voice settings and the latest version of the flow named by the
 * step — which DdVoiceCampaign then calls like any other. The attempt is planned under the
 * work's key (dd_call_attempts_plan_keyed()): the same key handed over again plans nothing.
 * A step naming a flow the office does not have fails with DD_LADDER_CALLS_ERROR_NO_FLOW; a
 * debtor without a number that can be called (none valid and alive) with
 * DD_LADDER_EXECUTOR_ERROR_UNREACHABLE (the ladder records it and goes on).
 */

#define DD_LADDER_CALLS_ERROR (dd_ladder_calls_error_quark ())

typedef enum
{
  DD_LADDER_CALLS_ERROR_NO_FLOW,    /* the step names no flow, or one that does not exist */
} DdLadderCallsError;

GQuark dd_ladder_calls_error_quark (void);

#define DD_TYPE_LADDER_CALLS (dd_ladder_calls_get_type ())
G_DECLARE_FINAL_TYPE (DdLadderCalls, dd_ladder_calls, DD, LADDER_CALLS, GObject)

DdLadderCalls *dd_ladder_calls_new          (void);
/* The voice settings of the campaigns it makes (their flow is the step's); NULL: the
 * defaults of dd_voice_settings_new(). */
void           dd_ladder_calls_set_settings (DdLadderCalls          *self,
                                             const DdVoiceSettings  *settings);

G_END_DECLS
