/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-context.h"
#include "dd-ivr-flow.h"
#include "dd-ivr-simulator.h"

G_BEGIN_DECLS

#define DD_TYPE_IVR_TEST_CALL (dd_ivr_test_call_get_type ())
G_DECLARE_FINAL_TYPE (DdIvrTestCall, dd_ivr_test_call, DD, IVR_TEST_CALL, AdwWindow)

/* "Test Call": runs @flow for a debtor chosen from the office, with an on-screen keypad
 * (and the keyboard's digits, * and #), a transcript of what is said and what the call would
 * do, and "node-entered" / "finished" signals for the editor to highlight the path. */
DdIvrTestCall  *dd_ivr_test_call_new           (GtkWindow     *parent,
                                                DdContext     *context,
                                                DdIvrFlow     *flow);
/* The running simulation, or NULL before Call and after the end. */
DdIvrSimulator *dd_ivr_test_call_get_simulator (DdIvrTestCall *self);
/* Starts the call for the debtor selected (tests call it instead of the Call button). */
void            dd_ivr_test_call_start         (DdIvrTestCall *self);
/* Whether prompts are spoken through the speakers (default) or only timed (tests). */
void            dd_ivr_test_call_set_speak     (DdIvrTestCall *self,
                                                gboolean       speak);
/* The transcript lines so far. */
GPtrArray      *dd_ivr_test_call_get_transcript (DdIvrTestCall *self);

G_END_DECLS
