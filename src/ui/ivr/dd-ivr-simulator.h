/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "dd-ivr-machine.h"

G_BEGIN_DECLS

/*
 * DdIvrSimulator: a test call in the app. It runs the same interpreter (DdIvrMachine) the
 * real calls use, against one debtor's data, on the main loop: timers are GLib timeouts, the
 * keypad is dd_ivr_simulator_press(), and what a call would do (play, send an SMS, record a
 * declaration, transfer, hang up) is announced by signals for the editor to show and speak.
 *
 * Playback: when nobody plays the prompts aloud (no audio device, or tests), the simulator
 * itself waits as long as the prompt would take (speech-rate ms per character) and then
 * reports it done; a UI that speaks sets simulate-playback FALSE and calls
 * dd_ivr_simulator_playback_finished() when its audio ends.
 *
 * Plain GLib: tested without a display (tests/unit/test-ivr-simulator.c).
 */

#define DD_TYPE_IVR_SIMULATOR (dd_ivr_simulator_get_type ())
G_DECLARE_FINAL_TYPE (DdIvrSimulator, dd_ivr_simulator, DD, IVR_SIMULATOR, GObject)

DdIvrSimulator *dd_ivr_simulator_new                 (DdIvrFlow           *flow,
                                                      const DdIvrCaseInfo *info);
void            dd_ivr_simulator_set_speech_rate     (DdIvrSimulator      *self,
                                                      guint                ms_per_character);
void            dd_ivr_simulator_set_simulate_playback (DdIvrSimulator    *self,
                                                      gboolean             simulate);
/* The call is answered: the flow starts. */
void            dd_ivr_simulator_start               (DdIvrSimulator      *self);
void            dd_ivr_simulator_press               (DdIvrSimulator      *self,
                                                      char                 key);
void            dd_ivr_simulator_playback_finished   (DdIvrSimulator      *self);
void            dd_ivr_simulator_transfer_result     (DdIvrSimulator      *self,
                                                      gboolean             answered);
void            dd_ivr_simulator_hang_up             (DdIvrSimulator      *self);

gboolean        dd_ivr_simulator_is_running          (DdIvrSimulator      *self);
gboolean        dd_ivr_simulator_is_transferring     (DdIvrSimulator      *self);
const char     *dd_ivr_simulator_get_current_node    (DdIvrSimulator      *self);
/* The ids of the nodes passed so far, in order (with repeats). */
GPtrArray      *dd_ivr_simulator_get_path            (DdIvrSimulator      *self);
char           *dd_ivr_simulator_get_trace_string    (DdIvrSimulator      *self);

G_END_DECLS
