/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What libre 1.1 lets through from a hostile peer, or prints on stderr, handled from our side
 * with libre's public API only. Internal to dd-sip-core.c: everything runs in its libre
 * thread. */

#include "dd-sip-core.h"

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

struct sa;
struct sip;
struct sip_msg;

typedef struct _DdSipGuard DdSipGuard;

/* libre's debug output (dbg_printf) to g_debug() instead of stderr; before libre_init(). */
void        dd_sip_guard_route_debug (void);

/* After the UDP transport was added to @sip (bound to @udp_laddr) and BEFORE sipsess_listen():
 * the guard's listeners must come before the sessions'. @stats is counted under @stats_lock. */
DdSipGuard *dd_sip_guard_new         (struct sip           *sip,
                                      const struct sa      *udp_laddr,
                                      GMutex               *stats_lock,
                                      DdSipCoreStats       *stats);
/* After sipsess_listen(): what nobody took goes to g_debug(), not to stderr. */
int         dd_sip_guard_add_last    (DdSipGuard           *guard);
/* Every message libre sends or receives (sip_set_trace_handler's). */
void        dd_sip_guard_trace       (DdSipGuard           *guard,
                                      bool                  tx,
                                      const uint8_t        *pkt,
                                      size_t                len);
/* The 2xx answer to our INVITE that libre took for the call: any other To tag is a fork. */
void        dd_sip_guard_note_answer (DdSipGuard           *guard,
                                      const struct sip_msg *msg);
/* Before the SIP stack is freed. */
void        dd_sip_guard_free        (DdSipGuard           *guard);

G_END_DECLS
