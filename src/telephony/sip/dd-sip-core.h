/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

/*
 * The libre side of the engine (private to src/telephony). One thread runs re_main(); every libre
 * object is created, used and freed there. The functions below are called from the main thread:
 * they only push commands into libre's mqueue. Events come back as DdSipEvent on the main
 * context given at start. No libre type appears here, so a newer libre changes dd-sip-core.c
 * only.
 *
 * Done: UDP, REGISTER with digest authentication, outbound calls (with digest too) (PCMU/PCMA,
 * RFC 4733 both ways, 20 ms pacing, a receive jitter buffer, RTCP reports, ring timeout,
 * RTP timeout), playback with barge-in, recording; inbound calls (INCOMING, answered or
 * refused on command); UDP, TCP and TLS (the transport follows the URIs: ";transport=tcp" or
 * "tls" on the callee, the registrar or the outbound proxy); an outbound proxy as a loose
 * route. Every answered call ends by itself: RTP silence, a maximum call length, an answer
 * without usable SDP or without an audio codec in common (ACK, then BYE).
 */

#include <glib.h>

#include "dd-answering-machine.h"
#include "dd-media-link.h"
#include "dd-media-wav.h"

G_BEGIN_DECLS

typedef struct _DdSipCore DdSipCore;

typedef enum
{
  DD_SIP_EVENT_RINGING,
  DD_SIP_EVENT_EARLY_MEDIA,
  DD_SIP_EVENT_ANSWERED,
  DD_SIP_EVENT_INCOMING,
  DD_SIP_EVENT_ENDED,
  DD_SIP_EVENT_DTMF,
  DD_SIP_EVENT_PLAYBACK_FINISHED,
  DD_SIP_EVENT_REGISTRATION,
  DD_SIP_EVENT_ANSWERED_BY,     /* the answering-machine detector decided (once per call) */
} DdSipEventKind;

/* Mirrors DdCallEndCause (dd-call.h) value for value. */
typedef enum
{
  DD_SIP_CAUSE_NONE,
  DD_SIP_CAUSE_COMPLETED,
  DD_SIP_CAUSE_BUSY,
  DD_SIP_CAUSE_NO_ANSWER,
  DD_SIP_CAUSE_REJECTED,
  DD_SIP_CAUSE_INVALID_NUMBER,
  DD_SIP_CAUSE_UNREACHABLE,
  DD_SIP_CAUSE_CANCELLED,
  DD_SIP_CAUSE_NETWORK_ERROR,
  DD_SIP_CAUSE_FAILED,
  DD_SIP_CAUSE_NO_MEDIA,        /* answered without a usable SDP answer: ACK, then BYE */
  DD_SIP_CAUSE_MAX_LENGTH,      /* hung up at the maximum call length */
  DD_SIP_CAUSE_NO_CODEC,        /* no audio codec in common: ACK, then BYE */
  DD_SIP_CAUSE_REDIRECTED,      /* a final 3xx: redirected in a loop or to nowhere */
} DdSipCause;

/* A stable name for reports and the command line ("busy", "no-answer", …). */
const char *dd_sip_cause_to_string (DdSipCause cause);

typedef struct
{
  DdSipEventKind kind;
  guint          call_id;
  /* ENDED / REGISTRATION / RINGING...: the last SIP status seen and its reason */
  guint          status;
  char          *reason;
  DdSipCause     cause;
  gboolean       local;        /* ENDED: we hung up; REGISTRATION: registered */
  char          *text;         /* INCOMING: remote URI; REGISTRATION: account key;
                                  ANSWERED: codec name */
  char          *text2;        /* INCOMING: local (To) URI */
  char          *name;         /* INCOMING: the caller's display name */
  char           digit;        /* DTMF */
  gboolean       in_band;      /* DTMF: detected in the audio */
  guint          play_id;      /* PLAYBACK_FINISHED */
  gboolean       interrupted;  /* PLAYBACK_FINISHED */
  /* ENDED: media figures */
  guint64        rtp_sent;
  guint64        rtp_received;
  guint64        rtp_lost;              /* frames that never came in time */
  guint64        rtp_late;              /* packets dropped as late or duplicate */
  guint64        rtcp_received;         /* RTCP reports from the peer */
  guint          rx_jitter_us;          /* inter-arrival jitter of what we received */
  gint           peer_reported_lost;    /* of ours, as the peer's RTCP says */
  guint          peer_reported_jitter_us;
  guint          max_send_late_us;
  guint          heard_ms;              /* the callee's audio after the answer, in the
                                         * agreed codec (no RTP, or another payload: 0) */
  guint          sound_ms;              /* of it, 20 ms frames louder than the answering-
                                         * machine detector's silence threshold */
  /* ANSWERED_BY: a DdAnsweringMachineVerdict and DdAnsweringMachineReason, and how much of
   * the callee's audio after the answer decided it */
  guint          verdict;
  guint          verdict_reason;
  guint          verdict_ms;
} DdSipEvent;

typedef void (*DdSipEventFunc) (const DdSipEvent *event,
                                gpointer          user_data);

typedef struct
{
  const char *to_uri;
  const char *from_name;     /* nullable */
  const char *from_uri;      /* sip:user@domain */
  const char *contact_user;
  const char *auth_user;     /* nullable */
  const char *password;      /* nullable */
  const char *outbound_proxy;/* nullable, a SIP URI */
  guint       ring_timeout_ms; /* 0: 60 s */
} DdSipDialParams;


typedef struct
{
  const char *key;           /* the account's name for events */
  const char *registrar_uri; /* sip:host[:port] */
  const char *aor;           /* sip:user@domain */
  const char *display_name;  /* nullable */
  const char *contact_user;
  const char *auth_user;     /* nullable: the AOR's user */
  const char *password;      /* nullable */
  guint       expires;       /* seconds; refreshed before they run out */
  const char *outbound_proxy;/* nullable, a SIP URI */
} DdSipRegisterParams;

typedef struct
{
  guint64 calls_started;
  guint   calls_active;
  guint   max_send_late_us;  /* worst lateness of an RTP send against its 20 ms slot */
  guint64 send_late_sum_us;
  guint64 rtp_sent;
  guint64 sip_malformed;     /* datagrams that are no SIP message we can read: dropped */
  guint64 sip_ignored;       /* responses without a Call-ID, or not matching our request */
  guint64 forks_refused;     /* extra 2xx answers of a forked INVITE: acknowledged, hung up */
} DdSipCoreStats;

/* @ca_file: a certificate authority (PEM) trusted for TLS besides the system's, or NULL. */
DdSipCore *dd_sip_core_start        (const char             *address,
                                     guint16                 port,
                                     const char             *ca_file,
                                     GMainContext           *context,
                                     DdSipEventFunc          func,
                                     gpointer                user_data,
                                     GError                **error);
void       dd_sip_core_stop         (DdSipCore              *core);
guint16    dd_sip_core_get_port     (DdSipCore              *core);
/* The port SIP over TLS listens on, 0 without TLS. */
guint16    dd_sip_core_get_tls_port (DdSipCore              *core);
const char*dd_sip_core_get_address  (DdSipCore              *core);
guint      dd_sip_core_new_call_id  (DdSipCore              *core);
/* Limits of every answered call, so that none lasts for ever whatever the peer does: no RTP
 * for @ms ends it (even when media never started, e.g. held from the start; 60 s by default;
 * a re-INVITE counts as a sign of life), and so does the maximum call length (1 hour by
 * default). 0 switches a limit off. */
void       dd_sip_core_set_rtp_timeout (DdSipCore           *core,
                                     guint                   ms);
void       dd_sip_core_set_max_call_length (DdSipCore       *core,
                                     guint                   ms);
void       dd_sip_core_get_stats    (DdSipCore              *core,
                                     DdSipCoreStats         *stats);

void       dd_sip_core_dial         (DdSipCore              *core,
                                     guint                   call_id,
                                     const DdSipDialParams  *params);
/* Ends a call: BYE when answered, CANCEL while ours rings, and an incoming call not yet
 * answered is refused with @status (486 when 0, 603 to decline, 480…). */
void       dd_sip_core_hangup       (DdSipCore              *core,
                                     guint                   call_id,
                                     guint                   status);
/* Answers an incoming call (an INCOMING event's call id). */
void       dd_sip_core_answer       (DdSipCore              *core,
                                     guint                   call_id);
/* Incoming calls: taken (INCOMING events; they ring until answered, refused, or
 * @ring_timeout_ms pass, then 480) or, when @accept is FALSE, refused busy. */
void       dd_sip_core_set_inbound  (DdSipCore              *core,
                                     gboolean                accept,
                                     guint                   ring_timeout_ms);
void       dd_sip_core_play         (DdSipCore              *core,
                                     guint                   call_id,
                                     GBytes                 *pcm,
                                     guint                   play_id,
                                     gboolean                barge_in);
void       dd_sip_core_stop_playback (DdSipCore             *core,
                                     guint                   call_id);
void       dd_sip_core_send_dtmf    (DdSipCore              *core,
                                     guint                   call_id,
                                     const char             *digits);
/* REGISTER (digest authentication on 401/407), refreshed; REGISTRATION events tell the
 * outcome (local TRUE: registered; else the status that refused it). */
void       dd_sip_core_register     (DdSipCore              *core,
                                     const DdSipRegisterParams *params);
void       dd_sip_core_unregister   (DdSipCore              *core,
                                     const char             *key);
void       dd_sip_core_record       (DdSipCore              *core,
                                     guint                   call_id,
                                     DdWavWriter            *writer);

/* Feeds what the far end sends after the answer (decoded, in order; lost frames as silence)
 * to @detector (a DdAnsweringMachine, which the libre thread alone uses from now on: the
 * reference is taken), and reports its verdict once as an ANSWERED_BY event. Audio before
 * the answer (early media) is not fed. A call that ends undecided reports nothing. */
void       dd_sip_core_detect_machine (DdSipCore            *core,
                                     guint                   call_id,
                                     DdAnsweringMachine     *detector);

/* Connects the call's audio to @link (the desk's headset) both ways; NULL disconnects. */
void       dd_sip_core_attach_audio (DdSipCore              *core,
                                     guint                   call_id,
                                     DdMediaLink            *link);

G_END_DECLS
