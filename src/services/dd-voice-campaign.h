/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dd-call-attempts.h"
#include "dd-call.h"
#include "dd-contact-policy.h"
#include "dd-database.h"
#include "dd-ivr-flow.h"

G_BEGIN_DECLS

/*
 * DdVoiceCampaign: the office calling its voice campaigns (kind "voice", state running) —
 * beside DdSending, held by DdContext in the window and run by `dunning-desk-cli campaign run`
 * headless, on the main loop of either.
 *
 * For each due attempt (DdCallAttempts: claimed "dialing" in the database before the INVITE),
 * up to the campaign's concurrency at once, it dials through one of its lines (in turn, with
 * the campaign's caller IDs in turn), runs the campaign's call flow (DdIvrMachine) with the
 * case's data — amounts, dates and invoice numbers said in the flow's language — plays the
 * prompts (espeak-ng, or the flow's audio files), hands the keys to the flow and writes the
 * result: the attempt, the case's timeline, a payment declaration through the case store's
 * rules (and its SMS confirmation through the outbox when the campaign asks for one), a
 * callback request when the debtor asked for a consultant and nobody took the call. A
 * campaign with no call left to make is completed.
 *
 * At start, attempts a crash left "dialing" are settled "unknown" (dd_call_attempts_recover()).
 *
 * Answering machines: every call is analysed by default (dd_call_detect_answering_machine():
 * the detector hears the first seconds after the answer in the engine's thread), and its
 * verdict is given with dd_voice_campaign_set_answered_by(), which whoever holds the runner
 * may also call itself (after dd_voice_campaign_set_machine_detection (FALSE)). The flow
 * waits for that verdict before it speaks (by default while the detector runs, at most 6 s;
 * dd_voice_campaign_set_machine_wait() changes it): the detector always decides in bounded
 * time — a callee that sends no sound at all is "not sure" after a second — and a key pressed
 * meanwhile is a person, whose flow starts at once. Not sure, the flow goes on as for a
 * person (the attempt says "unknown"). A machine is hung up on and called again later, or
 * hears the flow (a voicemail), as the campaign says; hung up on even mid-flow when the
 * verdict comes late.
 *
 * Consultants: a transfer node asks the transfer function (dd_voice_campaign_set_transfer_func())
 * to ring the desk with the case open; without one, or when it reports nobody, the debtor
 * hears the flow's "failed" branch and the case gets a callback request.
 *
 * Signals (on the main context):
 *   ::counts-changed (gint64 campaign_id)        live counts: dd_voice_campaign_get_counts()
 *   ::call-answered (DdCall *call, gint64 attempt_id)
 *   ::said (gint64 attempt_id, const char *text, const char *language)   a prompt (or file) played;
 *                                                @language: the voice when the prompt has one
 *                                                ("pl+f2")
 *   ::attempt-ended (gint64 campaign_id, gint64 attempt_id)
 *   ::campaign-finished (gint64 campaign_id)     completed: no call left to make
 *   ::campaign-paused (gint64 campaign_id, const char *reason, const char *detail)
 *                                                paused by itself: reason "sip-auth" — the
 *                                                line refused its login (401/407 after our
 *                                                answer to the challenge); detail: the SIP
 *                                                status ("401 Unauthorized"). The attempts
 *                                                that hit it are put back as they were; fix
 *                                                the line, then resume the campaign.
 *   ::failed (const char *why)                   it cannot call, in words (translated)
 *   ::idle ()                                    nothing on the line and nothing due now
 */
#define DD_TYPE_VOICE_CAMPAIGN (dd_voice_campaign_get_type ())
G_DECLARE_FINAL_TYPE (DdVoiceCampaign, dd_voice_campaign, DD, VOICE_CAMPAIGN, GObject)

/* Answers a transfer to consultant queue @queue for @attempt's case: ring the desk, then call
 * dd_voice_campaign_transfer_done() with whether somebody took the call. */
typedef void (*DdVoiceTransferFunc) (DdVoiceCampaign     *runner,
                                     DdCall              *call,
                                     const DdCallAttempt *attempt,
                                     const char          *queue,
                                     gpointer             user_data);

DdVoiceCampaign *dd_voice_campaign_new                (DdDatabase          *database,
                                                       DdSipEngine         *engine);
/* A line calls go out through. @uri: sip:user@host[:port] — a call to +48601234567 goes to
 * sip:48601234567@host[:port]; @account: the name of the engine's SIP account to use (NULL:
 * dialled directly from @uri, authenticating as its user with @password, nullable). A
 * campaign whose settings name lines uses those of them that were added (by URI or account
 * name); one that names none, or none added, uses all. */
void             dd_voice_campaign_add_line           (DdVoiceCampaign     *self,
                                                       const char          *uri,
                                                       const char          *account,
                                                       const char          *password);
/* Caller IDs to use instead of the campaign's (sip: URIs or numbers), in turn, on the lines
 * given by address; an account line calls as its account. */
void             dd_voice_campaign_set_caller_ids     (DdVoiceCampaign     *self,
                                                       const char * const  *caller_ids);
/* The calling windows and caps (NULL: none — tests). */
void             dd_voice_campaign_set_contact_policy (DdVoiceCampaign     *self,
                                                       const DdContactPolicy *policy);
/* Only this campaign (0: every running voice campaign). */
void             dd_voice_campaign_set_only           (DdVoiceCampaign     *self,
                                                       gint64               campaign_id);
void             dd_voice_campaign_set_transfer_func  (DdVoiceCampaign     *self,
                                                       DdVoiceTransferFunc  func,
                                                       gpointer             user_data,
                                                       GDestroyNotify       destroy);
void             dd_voice_campaign_transfer_done      (DdVoiceCampaign     *self,
                                                       DdCall              *call,
                                                       gboolean             answered);
/* The answering-machine detector's verdict on an answered call. */
void             dd_voice_campaign_set_answered_by    (DdVoiceCampaign     *self,
                                                       DdCall              *call,
                                                       DdAnsweredBy         by);
/* How long the flow waits for that verdict after the answer at most (0: it does not; by
 * default 6000 while the detector runs, else 0). */
void             dd_voice_campaign_set_machine_wait   (DdVoiceCampaign     *self,
                                                       guint                milliseconds);
/* Whether each answered call is analysed for an answering machine (TRUE, the default). */
void             dd_voice_campaign_set_machine_detection (DdVoiceCampaign  *self,
                                                       gboolean             enabled);
/* A test call (the campaign wizard's): dials @e164 — the user's own phone — through the line
 * @line_name (an account name or a line's URI; NULL or unknown: the first line) and plays
 * @flow with the data of case @case_id (0: none) as a campaign call would; nothing is written
 * or sent (no attempt, timeline, declaration, SMS or consultant: the flow's "failed" branch).
 * ::said and ::attempt-ended report it with a negative attempt id. Returns the call (owned by
 * the runner until it ends: hang it up to stop), or NULL with @error when there is no line. */
DdCall          *dd_voice_campaign_test_call          (DdVoiceCampaign     *self,
                                                       DdIvrFlow           *flow,
                                                       gint64               case_id,
                                                       const char          *e164,
                                                       const char          *line_name,
                                                       GError             **error);
/* How often due attempts are looked for (default 1000 ms). */
void             dd_voice_campaign_set_tick           (DdVoiceCampaign     *self,
                                                       guint                milliseconds);

/* Settles what a crash left dialing, then calls until stopped. */
gboolean         dd_voice_campaign_start              (DdVoiceCampaign     *self,
                                                       GError             **error);
/* Hangs up the calls on the line (settled "failed", so they are tried again) and stops. */
void             dd_voice_campaign_stop               (DdVoiceCampaign     *self);
gboolean         dd_voice_campaign_is_running         (DdVoiceCampaign     *self);
/* Campaigns were created, resumed or changed: look again now. */
void             dd_voice_campaign_wake               (DdVoiceCampaign     *self);
/* Calls on the line now. */
guint            dd_voice_campaign_get_n_active       (DdVoiceCampaign     *self);
gboolean         dd_voice_campaign_get_counts         (DdVoiceCampaign     *self,
                                                       gint64               campaign_id,
                                                       DdCallCounts        *out_counts,
                                                       GError             **error);
/* Whether a voice campaign runs or waits for its time. */
gboolean         dd_voice_campaign_has_campaigns      (DdVoiceCampaign     *self);

G_END_DECLS
