/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-agent-state-store.h"
#include "dd-call.h"
#include "dd-database.h"
#include "dd-headset.h"
#include "dd-inbound-store.h"
#include "dd-sip-accounts.h"

G_BEGIN_DECLS

/*
 * DdInboundRunner: the office's inbound line at work (issue 18). It takes the calls that come
 * to the line (the SIP account marked "takes calls", see DdInboundStore's line), recognises
 * the caller by number (the case), answers and runs the inbound call flow: its time switches
 * decide whether the office is open; a closed office's flow says so and hangs up (the call
 * counts as out of hours, in the missed list); an open one ends in a transfer node whose
 * "queue" names one of the office's queues (by name or id; no flow: the first queue).
 *
 * In the queue the caller hears the hold music (the queue's file or the default one,
 * decoded by GStreamer), and every N seconds their position and expected wait (speech in the
 * office's language). Free consultants (DdAgentStateStore: ready) are rung by the queue's
 * strategy: all at once, or the longest idle first, one after the other: the consultant at
 * this desk on the headset, the others at their SIP URI (agent.sip_uri; the two calls' audio
 * is relayed both ways). The first to answer takes the call (on-call, then wrap-up when it
 * ends). At the queue's longest wait the caller leaves a voicemail (recorded to a WAV file)
 * or is told they will be called back (a callback request). A caller who hangs up while
 * waiting is abandoned. Every call is recorded in the store. At most the line's cap of callers
 * wait at once (dd_inbound_store_get_max_waiting(): in the flow or a queue, not yet with a
 * consultant); one more is answered 486 Busy Here and recorded "queue-full", a missed call.
 *
 * Signals (main context):
 *   ::queue-changed ()                          callers came, left, were answered
 *   ::call-offered (gint64 case_id, gint64 agent_id)
 *                                               a consultant is rung for a caller (case 0:
 *                                               not recognised); the console opens the case
 *   ::call-connected (gint64 case_id, gint64 agent_id)
 *   ::call-ended (gint64 call_id, gint outcome) a DdInboundOutcome
 *   ::missed-changed ()                         the missed list has a new entry
 *   ::announced (gint64 call_id, guint position, guint wait_s)
 *                                               a caller was told their place and wait
 */

#define DD_TYPE_INBOUND_RUNNER (dd_inbound_runner_get_type ())
G_DECLARE_FINAL_TYPE (DdInboundRunner, dd_inbound_runner, DD, INBOUND_RUNNER, GObject)

/* One caller now, for a live view of the queues. */
typedef struct
{
  gint64  call_id;
  gint64  case_id;
  gint64  queue_id;      /* 0: still in the flow */
  char   *caller;
  guint   position;      /* in its queue, 1: next; 0: not queued */
  guint   waited_s;      /* in the queue */
  gint64  agent_id;      /* talking to; 0: nobody yet */
} DdInboundCaller;

void dd_inbound_caller_free (DdInboundCaller *caller);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdInboundCaller, dd_inbound_caller_free)

DdInboundRunner   *dd_inbound_runner_new            (DdDatabase       *database,
                                                     DdSipEngine      *engine);
DdInboundStore    *dd_inbound_runner_get_store      (DdInboundRunner  *self);
DdAgentStateStore *dd_inbound_runner_get_states     (DdInboundRunner  *self);
/* The address of the line (the AOR of the account that takes calls, sip:user@host): only
 * calls to its user are taken, and consultants are called from it. NULL: every incoming call
 * of the engine. */
void               dd_inbound_runner_set_line_uri   (DdInboundRunner  *self,
                                                     const char       *uri);
/* The language announcements and messages are spoken in ("pl", "ru", "en"), the region
 * callers' numbers are read in ("PL"). */
void               dd_inbound_runner_set_office     (DdInboundRunner  *self,
                                                     const char       *language,
                                                     const char       *region);
/* The consultant at this desk, who takes calls on @headset (NULL: nobody here). */
void               dd_inbound_runner_set_desk       (DdInboundRunner  *self,
                                                     gint64            agent_id,
                                                     DdHeadset        *headset);
/* Where voicemails are written (default: the user's data folder, voicemail/). */
void               dd_inbound_runner_set_voicemail_dir (DdInboundRunner *self,
                                                     const char       *dir);
/* How long a consultant rings before the next is tried (longest idle), at least 5 s
 * (default 20 s); the longest voicemail (default 120 s). */
void               dd_inbound_runner_set_ring_timeout (DdInboundRunner *self,
                                                     guint             seconds);
void               dd_inbound_runner_set_voicemail_length (DdInboundRunner *self,
                                                     guint             seconds);
/* 0: the default 15 s. */
void               dd_inbound_runner_set_wrap_up    (DdInboundRunner  *self,
                                                     guint             seconds);
/* Starts taking calls: reads the line's flow and the queues from the store (FALSE with
 * @error when the flow cannot be read or the office has no queue). */
gboolean           dd_inbound_runner_start          (DdInboundRunner  *self,
                                                     GError          **error);
/* The same for the office's line as the settings have it: the line's account (the store's
 * dd_inbound_store_get_line()) is looked up in @accounts (DdSipAccountInfo, e.g.
 * dd_sip_accounts_load()) and its address becomes the line's URI. FALSE with a translated
 * @error when no account takes calls or that account is gone or disabled. */
gboolean           dd_inbound_runner_start_with_accounts (DdInboundRunner *self,
                                                     GPtrArray        *accounts,
                                                     GError          **error);
/* Takes no more calls (the calls on the line go on). */
void               dd_inbound_runner_stop           (DdInboundRunner  *self);
gboolean           dd_inbound_runner_is_running     (DdInboundRunner  *self);
/* The callers now, in the order they came (GPtrArray of DdInboundCaller). */
GPtrArray         *dd_inbound_runner_list_callers   (DdInboundRunner  *self);
/* Hangs up the caller talking to @agent_id (the console's Hang up). */
void               dd_inbound_runner_hang_up        (DdInboundRunner  *self,
                                                     gint64            agent_id);

/* The default hold music's file: $DD_SOUNDS_DIR/hold-music.ogg, else the installed one. */
char              *dd_inbound_default_hold_music    (void);
/* What a caller hears, in @language ("pl", "ru", else English): their position and the
 * expected wait (minutes, rounded up); the voicemail prompt; the callback message. */
char              *dd_inbound_position_message      (const char       *language,
                                                     guint             position,
                                                     guint             wait_s);
const char        *dd_inbound_voicemail_message     (const char       *language);
const char        *dd_inbound_callback_message      (const char       *language);

G_END_DECLS
