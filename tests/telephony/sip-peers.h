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

G_END_DECLS
