/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * The SIP peers the telephony tests call and are called by, on 127.0.0.1: sipp started on a
 * scenario file (output silenced, or kept in a log file for the test to read on failure).
 */

/* Starts sipp on 127.0.0.1:@port (signalling and media) with the scenario file
 * @scenario_path and the further arguments @extra (NULL-terminated; nullable), without stdin.
 * @log: a file for sipp's output, or NULL to silence it. */
GSubprocess *dd_sipp_spawn (guint                port,
                            const char          *scenario_path,
                            const char          *log,
                            const char * const  *extra,
                            GError             **error);

/* A sipp scenario for the debtors of a voice campaign (tests/telephony/test-voice-campaign.c, the
 * crash test, the benchmark): what the callee does depends on the last digit of the number
 * called. 0, 1, 2: answers, listens 0.8 s, keys @declare_keys (menu 1, a date, an amount,
 * confirm) and waits for our hang-up; 3: answers and keys 2 (a consultant); 4: rings and never
 * answers (until cancelled); 5: busy (486); 6: declines (603); 7: answers and hangs up after
 * 1.2 s, in the middle of the first prompt; 8, 9: answers and listens until we hang up. */
gboolean     dd_sipp_write_debtor_callee (const char  *path,
                                          const char  *declare_keys,
                                          GError     **error);
/* Keys of a payment declaration in the flow of the tests: "1DDMM#250#1", a date a few days
 * ahead. */
char        *dd_sipp_declare_keys        (void);

G_END_DECLS
