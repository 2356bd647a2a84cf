/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dd-answering-machine.h"
#include "dd-media-link.h"

G_BEGIN_DECLS

/*
 * DdSipEngine: the telephony engine for the rest of the app, on the main thread. It owns the
 * libre thread (dd-sip-core, see there for the threading) and hands out DdCall objects that
 * mirror the engine's calls: state, end cause, SIP status, digits and playback as GObject
 * properties and signals. A concurrency limit holds further dials back, in order; incoming
 * calls arrive as DdSipEngine::incoming-call and count against the same limit.
 */

typedef enum
{
  DD_CALL_STATE_DIALING,
  DD_CALL_STATE_RINGING,
  DD_CALL_STATE_EARLY_MEDIA,
  DD_CALL_STATE_ANSWERED,
  DD_CALL_STATE_ENDED,
} DdCallState;

/* The same values as DdSipCause (dd-sip-core.h). */
typedef enum
{
  DD_CALL_END_NONE,
  DD_CALL_END_COMPLETED,
  DD_CALL_END_BUSY,
  DD_CALL_END_NO_ANSWER,
  DD_CALL_END_REJECTED,
  DD_CALL_END_INVALID_NUMBER,
  DD_CALL_END_UNREACHABLE,
  DD_CALL_END_CANCELLED,
  DD_CALL_END_NETWORK_ERROR,
  DD_CALL_END_FAILED,
  DD_CALL_END_NO_MEDIA,        /* answered without a usable audio description: hung up */
  DD_CALL_END_MAX_LENGTH,      /* hung up at the maximum call length */
  DD_CALL_END_NO_CODEC,        /* no audio codec in common: hung up */
  DD_CALL_END_REDIRECTED,      /* redirected in a loop or to nowhere (a final 3xx) */
} DdCallEndCause;

#define DD_TYPE_CALL (dd_call_get_type ())
G_DECLARE_FINAL_TYPE (DdCall, dd_call, DD, CALL, GObject)

#define DD_TYPE_SIP_ENGINE (dd_sip_engine_get_type ())
G_DECLARE_FINAL_TYPE (DdSipEngine, dd_sip_engine, DD, SIP_ENGINE, GObject)

typedef enum
{
  DD_SIP_ACCOUNT_UNKNOWN,
  DD_SIP_ACCOUNT_UNREGISTERED,    /* no registrar: the trunk knows us by address */
  DD_SIP_ACCOUNT_REGISTERING,
  DD_SIP_ACCOUNT_REGISTERED,
  DD_SIP_ACCOUNT_FAILED,          /* refused or unreachable: see the status and reason */
} DdSipAccountState;

typedef enum
{
  DD_SIP_TRANSPORT_UDP,
  DD_SIP_TRANSPORT_TCP,
  DD_SIP_TRANSPORT_TLS,
} DdSipTransport;

typedef struct
{
  const char     *name;            /* the key, shown to the user */
  const char     *aor;             /* sip:user@domain: the caller ID */
  const char     *display_name;    /* nullable */
  const char     *registrar;       /* sip:server[:port], or NULL: no registration */
  const char     *outbound_proxy;  /* nullable */
  const char     *auth_user;       /* nullable: the AOR's user */
  const char     *password;        /* nullable */
  DdSipTransport  transport;
  guint           max_calls;       /* at once through this account; 0: no limit */
  guint           expires;         /* registration, seconds; 0: 600 */
} DdSipAccountConfig;

typedef struct
{
  const char *from_uri;        /* sip:user@domain (the caller ID's account) */
  const char *from_name;       /* display name, nullable */
  const char *auth_user;       /* nullable */
  const char *password;        /* nullable */
  guint       ring_timeout_s;  /* 0: 30 s */
  const char *account;         /* an account's name (dd_sip_engine_add_account()), or NULL */
} DdCallOptions;

/* @address: the local address for SIP and RTP (port 0: any). */
DdSipEngine    *dd_sip_engine_new              (const char          *address,
                                                guint16              port,
                                                GError             **error);
guint16         dd_sip_engine_get_port         (DdSipEngine         *self);
/* At most @max calls at once (0: no limit); the dials beyond wait, first come first served. */
void            dd_sip_engine_set_max_calls    (DdSipEngine         *self,
                                                guint                max);
/* Caller IDs to rotate over (sip:user@domain each, the trunk's numbers): a dial whose options
 * have no from_uri takes the next one, round robin. NULL or empty: no rotation. */
void            dd_sip_engine_set_caller_ids   (DdSipEngine         *self,
                                                const char *const   *from_uris);
/* SIP accounts. Calls go out through the account their options name; a call naming neither
 * an account nor a caller ID takes the accounts in turn, each as it has room. A registrar
 * makes the engine register and keep registered (refreshed; after a failure tried again,
 * sooner first: 5 s, doubling up to 5 minutes), except after a refused password. Adding an
 * account under an existing name replaces it. */
gboolean        dd_sip_engine_add_account      (DdSipEngine         *self,
                                                const DdSipAccountConfig *config,
                                                GError             **error);
void            dd_sip_engine_remove_account   (DdSipEngine         *self,
                                                const char          *name);
DdSipAccountState dd_sip_engine_get_account_state (DdSipEngine      *self,
                                                const char          *name,
                                                guint               *status,
                                                const char         **reason);
/* Calls going out through @name now. */
guint           dd_sip_engine_get_account_calls (DdSipEngine        *self,
                                                const char          *name);
/* The first pause before registering again after a failure (tests shorten it). */
void            dd_sip_engine_set_registration_retry (DdSipEngine   *self,
                                                guint                first_ms);
/* A new call to @uri: dialled now, or when a place is free. */
DdCall         *dd_sip_engine_dial             (DdSipEngine         *self,
                                                const char          *uri,
                                                const DdCallOptions *options);
/* Whether incoming calls are taken (DdSipEngine::incoming-call; they ring until answered, or
 * @ring_timeout_s, 0 for 60 s, then 480) or refused busy at once (the default). */
void            dd_sip_engine_set_inbound      (DdSipEngine         *self,
                                                gboolean             accept,
                                                guint                ring_timeout_s);
/* Every answered call ends after @max_call_ms (0: no limit; 1 hour by default) and when no
 * RTP came for @rtp_timeout_ms (0: no limit; 60 s by default), whatever the peer does. */
void            dd_sip_engine_set_call_limits  (DdSipEngine         *self,
                                                guint                rtp_timeout_ms,
                                                guint                max_call_ms);
/* Calls dialled or waiting that have not ended. */
guint           dd_sip_engine_get_n_active     (DdSipEngine         *self);

DdCallState     dd_call_get_state              (DdCall              *self);
DdCallEndCause  dd_call_get_end_cause          (DdCall              *self);
guint           dd_call_get_sip_status         (DdCall              *self);
const char     *dd_call_get_sip_reason         (DdCall              *self);
/* How the call ended, in words for the user, with the SIP status where one came:
 * "Busy (486 Busy Here)". */
char           *dd_call_describe_end           (DdCall              *self);
const char     *dd_call_get_uri                (DdCall              *self);
/* The account the call goes out through, or NULL. */
const char     *dd_call_get_account            (DdCall              *self);
/* Keys received so far. */
const char     *dd_call_get_digits             (DdCall              *self);
void            dd_call_hangup                 (DdCall              *self);
/* Incoming calls (DdSipEngine::incoming-call): where they come from, and the answer. */
gboolean        dd_call_is_inbound             (DdCall              *self);
/* The caller's display name, or NULL; dd_call_get_uri() is their address. */
const char     *dd_call_get_remote_name        (DdCall              *self);
/* The address they called (ours). */
const char     *dd_call_get_local_uri          (DdCall              *self);
void            dd_call_answer                 (DdCall              *self);
/* Refuses a ringing incoming call with @status: 486 busy (0), 603 decline, 480 … */
void            dd_call_reject                 (DdCall              *self,
                                                guint                status);
/* Plays 8 kHz mono S16 PCM, replacing what plays; a key pressed stops it when @barge_in.
 * "playback-finished" (interrupted or not) follows. */
void            dd_call_play_pcm               (DdCall              *self,
                                                GBytes              *pcm,
                                                gboolean             barge_in);
void            dd_call_send_dtmf              (DdCall              *self,
                                                const char          *digits);
/* Connects the call's audio to the desk (DdHeadset does it); NULL disconnects. */
void            dd_call_set_media_link         (DdCall              *self,
                                                DdMediaLink         *link);
/* Listens for an answering machine: what the callee sends right after the answer goes to
 * @detector (a new DdAnsweringMachine, configured as wished; NULL: one with the classic
 * parameters), which the engine's thread alone uses from then on. Its verdict comes once, on
 * the main context, as DdCall::answered-by (verdict, reason, elapsed ms); a call that ends
 * before it decides says nothing. Call it before the answer (e.g. right after dialling): audio
 * already received is not analysed. */
void            dd_call_detect_answering_machine (DdCall              *self,
                                                  DdAnsweringMachine  *detector);
/* The detector's verdict so far (UNDECIDED until ::answered-by). */
DdAnsweringMachineVerdict dd_call_get_answering_machine_verdict (DdCall *self);
/* Once the call ended: how much audio the callee sent after the answer (ms of 20 ms frames
 * in the agreed codec; 0 when no RTP came, or only of another payload type or comfort noise),
 * and how much of it was sound — frames whose mean amplitude is above the answering-machine
 * detector's silence threshold (DD_ANSWERING_MACHINE_SILENCE_THRESHOLD): a voice, a key's
 * tone, a loud line. A line that sends digital silence, or a quiet room, has heard time and
 * no sound time. */
guint           dd_call_get_heard_ms           (DdCall              *self);
guint           dd_call_get_sound_ms           (DdCall              *self);
/* Records what the far end sends to a WAV file (8 kHz mono), until the call ends. */
gboolean        dd_call_record_to              (DdCall              *self,
                                                const char          *path,
                                                GError             **error);

G_END_DECLS
