/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-sip-core"

#include "config.h"

#include "dd-sip-core.h"

#include "dd-answering-machine.h"
#include "dd-media-dtmf.h"
#include "dd-media-jbuf.h"
#include "dd-media-link.h"
#include "dd-secret-store.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <netinet/in.h>
#include <string.h>

#include <re.h>
#include <rem.h>
#include <openssl/ssl.h>

#include "dd-sip-guard.h"

/*
 * Everything libre happens in the engine's thread: it owns every libre object. The main
 * thread only pushes commands (mqueue_push copies nothing: the command is ours and freed by
 * the handler); events go back as idle sources attached to the main context.
 */

#define SAMPLES_PER_PACKET 160            /* 20 ms at 8 kHz */
#define PACKET_US          20000
#define RTP_PT_CN          13               /* comfort noise (RFC 3389) */
#define TICK_MS            5
#define JITTER_DEPTH       3              /* frames held before play-out: 60 ms */
#define WATCH_MS           200            /* how often an answered call's limits are checked */
#define DEFAULT_RTP_TIMEOUT_MS  60000
#define DEFAULT_MAX_CALL_MS     (60 * 60 * 1000)
#define DEFAULT_RING_MS         60000
/* After a CANCEL, the callee's 200 may already be on its way: on quitting, libre is given this
 * long to acknowledge and hang it up (BYE) — the debtor's phone is not left connected. */
#define CANCEL_GRACE_US         (1500 * G_TIME_SPAN_MILLISECOND)

typedef enum
{
  CMD_QUIT,
  CMD_DIAL,
  CMD_HANGUP,
  CMD_ANSWER,
  CMD_PLAY,
  CMD_STOP_PLAYBACK,
  CMD_SEND_DTMF,
  CMD_RECORD,
  CMD_ATTACH_AUDIO,
  CMD_REGISTER,
  CMD_UNREGISTER,
  CMD_DETECT_MACHINE,
} CommandKind;

typedef struct
{
  CommandKind  kind;
  guint        call_id;
  char        *to_uri;
  char        *from_name;
  char        *from_uri;
  char        *contact_user;
  guint        ring_timeout_ms;
  guint        status;
  GBytes      *pcm;
  guint        play_id;
  gboolean     barge_in;
  char        *digits;
  DdWavWriter *writer;
  DdMediaLink *link;
  char        *key;
  char        *registrar;
  char        *auth_user;
  char        *password;
  char        *proxy;        /* outbound proxy: a route */
  guint        expires;
  DdAnsweringMachine *detector;
} Command;

/* Frees @cmd with what it holds (the password wiped first); the WAV writer is the call's. */
static void
command_free (Command *cmd)
{
  g_free (cmd->to_uri);
  g_free (cmd->from_name);
  g_free (cmd->from_uri);
  g_free (cmd->contact_user);
  g_free (cmd->digits);
  g_free (cmd->key);
  g_free (cmd->registrar);
  g_free (cmd->auth_user);
  g_free (cmd->proxy);
  dd_secret_free (cmd->password);
  g_clear_pointer (&cmd->pcm, g_bytes_unref);
  g_clear_pointer (&cmd->link, dd_media_link_unref);
  g_clear_object (&cmd->detector);
  g_free (cmd);
}

/* Shared between the threads: whether events may still be delivered. */
typedef struct
{
  gint           ref_count;
  GMutex         lock;
  gboolean       alive;
  DdSipEventFunc func;
  gpointer       user_data;
} Sink;

typedef struct _Call Call;

struct _DdSipCore
{
  GThread      *thread;
  GMainContext *context;
  Sink         *sink;
  char         *address;
  guint16       port;
  guint         next_call_id;
  gint          rtp_timeout_ms;   /* 0: no limit */
  gint          max_call_ms;      /* 0: no limit */
  gint          inbound_ring_ms;
  gint          accept_inbound;   /* FALSE: every incoming call is refused busy */

  GMutex        start_lock;
  GCond         start_cond;
  gboolean      started;
  int           start_error;

  /* the libre thread's */
  struct mqueue       *mq;
  struct sip          *sip;
  struct sipsess_sock *sock;
  DdSipGuard          *guard;       /* what libre lets through from a hostile peer */
  struct dnsc         *dnsc;
  struct tls          *tls;
  char                *ca_file;     /* trusted besides the system's authorities, or NULL */
  guint16              tls_port;
  GHashTable          *calls;       /* call id → Call */
  gint64               cancelled_us; /* when we last cancelled a call that rang, or 0 */
  struct tmr           quit_tmr;
  GHashTable          *registrations; /* key → Registration */

  /* statistics, under stats_lock */
  GMutex         stats_lock;
  DdSipCoreStats stats;
};

typedef struct
{
  DdSipCore      *core;
  char           *key;
  char           *credentials[2];   /* digest user and password */
  struct sipreg  *reg;
  gboolean        reported_ok;
} Registration;

struct _Call
{
  char                *credentials[2];   /* digest user and password, or NULL */
  guint                challenges;        /* digest challenges answered in this call */
  DdSipCore           *core;
  guint                id;
  struct sipsess      *sess;
  struct sdp_session  *sdp;
  struct sdp_media    *media;
  struct rtp_sock     *rtp;
  struct telev        *telev;
  struct tmr           ring_tmr;
  struct tmr           media_tmr;
  struct tmr           watch_tmr;   /* the limits of an answered call */
  struct sa            raddr;
  int                  pt;          /* -1 until the answer */
  int                  pt_tel;
  gboolean             alaw;
  gboolean             media_up;
  gboolean             answered;
  gboolean             accepted;    /* inbound: our 200 went out (its ACK may not come) */
  gboolean             inbound;
  gboolean             offered;     /* inbound: the INVITE carried their offer */
  gboolean             ringing_sent;
  gboolean             early_sent;
  gboolean             local_hangup;
  guint                last_status;
  char                *last_reason;
  DdSipCause           fail_cause;  /* why we refused the peer's answer, or NONE */
  gint64               answered_us;
  guint32              ts;
  gint64               next_send_us;
  gint64               last_rx_us;
  gboolean             marker;
  GBytes              *pcm;
  gsize                pcm_pos;
  guint                play_id;
  gboolean             barge_in;
  GQueue               digits_out;
  guint32              last_dtmf_ts;
  gboolean             dtmf_seen;
  DdWavWriter         *writer;
  DdDtmfDetector      *detector;    /* in-band digits, while no RFC 4733 event came */
  DdJitterBuffer      *jbuf;        /* received audio, in order, one frame per 20 ms */
  DdMediaLink         *link;        /* the desk's headset, or NULL */
  DdAnsweringMachine  *detector_am; /* listening for an answering machine, until it decides */
  gboolean             rtcp_started;
  guint32              peer_ssrc;
  gboolean             peer_ssrc_set;
  guint64              rtp_sent;
  guint64              rtp_received;
  guint64              rtcp_received;
  guint                heard_ms;    /* the callee's audio after the answer (agreed codec) */
  guint                sound_ms;    /* of it, frames above the silence threshold */
};

/* Digest authentication: libre asks for the credentials of a realm. */
static int
on_auth (char       **username,
         char       **password,
         const char  *realm,
         void        *arg)
{
  const char *const *credentials = arg;

  if (credentials[0] == NULL || credentials[1] == NULL)
    return EAUTH;
  return str_dup (username, credentials[0]) || str_dup (password, credentials[1]) ? ENOMEM : 0;
}

/* A call answers a few challenges, not an endless loop of them: a peer that asks again and
 * again (each time another realm) gets a burst of INVITEs otherwise, dozens in milliseconds,
 * before libre gives up. The second challenge of a realm is already a refusal (libre ends the
 * call itself then); two realms (a proxy's and the callee's) are the most a real path asks. */
#define MAX_CALL_CHALLENGES 2

static int
on_call_auth (char       **username,
              char       **password,
              const char  *realm,
              void        *arg)
{
  Call *call = arg;

  if (++call->challenges > MAX_CALL_CHALLENGES)
    return EAUTH;
  return on_auth (username, password, realm, call->credentials);
}

/* Events */

static Sink *
sink_ref (Sink *sink)
{
  g_atomic_int_inc (&sink->ref_count);
  return sink;
}

static void
sink_unref (Sink *sink)
{
  if (g_atomic_int_dec_and_test (&sink->ref_count))
    {
      g_mutex_clear (&sink->lock);
      g_free (sink);
    }
}

typedef struct
{
  Sink       *sink;
  DdSipEvent  event;
} Delivery;

static void
delivery_free (Delivery *delivery)
{
  g_free (delivery->event.reason);
  g_free (delivery->event.text);
  g_free (delivery->event.text2);
  g_free (delivery->event.name);
  sink_unref (delivery->sink);
  g_free (delivery);
}

static gboolean
deliver (gpointer user_data)
{
  Delivery *delivery = user_data;
  DdSipEventFunc func = NULL;
  gpointer data = NULL;

  g_mutex_lock (&delivery->sink->lock);
  if (delivery->sink->alive)
    {
      func = delivery->sink->func;
      data = delivery->sink->user_data;
    }
  g_mutex_unlock (&delivery->sink->lock);
  if (func != NULL)
    func (&delivery->event, data);
  return G_SOURCE_REMOVE;
}

static void
emit (DdSipCore        *core,
      const DdSipEvent *event)
{
  Delivery *delivery = g_new0 (Delivery, 1);
  GSource *source;

  delivery->sink = sink_ref (core->sink);
  delivery->event = *event;
  delivery->event.reason = g_strdup (event->reason);
  delivery->event.text = g_strdup (event->text);
  delivery->event.text2 = g_strdup (event->text2);
  delivery->event.name = g_strdup (event->name);
  /* Always through a source on the main context, never called here: g_main_context_invoke()
   * would run it in this thread whenever it can acquire the main context (this thread has no
   * context of its own, so the global default counts as its thread-default one). */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver, delivery, (GDestroyNotify) delivery_free);
  g_source_set_static_name (source, "[dd-sip-core] event");
  g_source_attach (source, core->context);
  g_source_unref (source);
}

/* Calls */

static void
call_free (Call *call)
{
  tmr_cancel (&call->ring_tmr);
  tmr_cancel (&call->media_tmr);
  tmr_cancel (&call->watch_tmr);
  call->sess = mem_deref (call->sess);
  call->rtp = mem_deref (call->rtp);
  call->telev = mem_deref (call->telev);
  call->media = NULL;
  call->sdp = mem_deref (call->sdp);
  g_clear_pointer (&call->pcm, g_bytes_unref);
  g_clear_pointer (&call->detector, dd_dtmf_detector_free);
  g_clear_pointer (&call->jbuf, dd_jitter_buffer_free);
  g_clear_pointer (&call->link, dd_media_link_unref);
  g_clear_object (&call->detector_am);
  g_queue_clear_full (&call->digits_out, g_free);
  g_free (call->last_reason);
  g_free (call->credentials[0]);
  dd_secret_free (call->credentials[1]);
  g_free (call);
}

const char *
dd_sip_cause_to_string (DdSipCause cause)
{
  static const char *const names[] = {
    "none", "completed", "busy", "no-answer", "rejected", "invalid-number", "unreachable",
    "cancelled", "network-error", "failed", "no-media", "max-length",
    "no-codec", "redirected",
  };

  return (guint) cause < G_N_ELEMENTS (names) ? names[cause] : "failed";
}

static const char *
status_reason (guint status)
{
  switch (status)
    {
    case 480:
      return "Temporarily Unavailable";
    case 486:
      return "Busy Here";
    case 603:
      return "Decline";
    default:
      return "Not Available";
    }
}

static DdSipCause
cause_for_status (guint status)
{
  switch (status)
    {
    case 486:
    case 600:
      return DD_SIP_CAUSE_BUSY;
    case 408:
    case 480:
    case 487:
      return DD_SIP_CAUSE_NO_ANSWER;
    case 603:
      return DD_SIP_CAUSE_REJECTED;
    case 404:
    case 484:
    case 604:
      return DD_SIP_CAUSE_INVALID_NUMBER;
    case 503:
    case 502:
    case 504:
      return DD_SIP_CAUSE_UNREACHABLE;
    default:
      /* libre follows a redirect: a 3xx that ends the call looped or led nowhere */
      if (status >= 300 && status < 400)
        return DD_SIP_CAUSE_REDIRECTED;
      return status >= 400 ? DD_SIP_CAUSE_FAILED : DD_SIP_CAUSE_NONE;
    }
}

/* The call is no longer active: out of the statistics and freed. */
static void
forget_call (Call *call)
{
  DdSipCore *core = call->core;

  g_mutex_lock (&core->stats_lock);
  if (core->stats.calls_active > 0)
    core->stats.calls_active--;
  g_mutex_unlock (&core->stats_lock);
  g_hash_table_remove (core->calls, GUINT_TO_POINTER (call->id));
}

/* Ends the call once: the ENDED event, then it is forgotten. */
static void
end_call (Call       *call,
          DdSipCause  cause,
          gboolean    local)
{
  DdSipCore *core = call->core;
  DdSipEvent event = { 0 };

  event.kind = DD_SIP_EVENT_ENDED;
  event.call_id = call->id;
  event.cause = cause;
  event.local = local;
  event.status = call->last_status;
  event.reason = call->last_reason;
  event.rtp_sent = call->rtp_sent;
  event.rtp_received = call->rtp_received;
  event.rtcp_received = call->rtcp_received;
  event.heard_ms = call->heard_ms;
  event.sound_ms = call->sound_ms;
  if (call->jbuf != NULL)
    {
      DdJitterBufferStats jstats;

      dd_jitter_buffer_get_stats (call->jbuf, &jstats);
      event.rtp_lost = jstats.lost;
      event.rtp_late = jstats.late + jstats.duplicate;
    }
  if (call->rtp != NULL && call->peer_ssrc_set)
    {
      struct rtcp_stats rstats;

      if (rtcp_stats (call->rtp, call->peer_ssrc, &rstats) == 0)
        {
          event.rx_jitter_us = rstats.rx.jit;
          event.peer_reported_lost = rstats.tx.lost;
          event.peer_reported_jitter_us = rstats.tx.jit;
        }
    }
  emit (core, &event);
  forget_call (call);
}

static void
take_status (Call                 *call,
             const struct sip_msg *msg)
{
  if (msg == NULL || msg->scode == 0)
    return;
  call->last_status = msg->scode;
  g_free (call->last_reason);
  call->last_reason = g_strndup (msg->reason.p, msg->reason.l);
}

/* Media */

static void
finish_playback (Call     *call,
                 gboolean  interrupted)
{
  DdSipEvent event = { 0 };

  if (call->pcm == NULL)
    return;
  g_clear_pointer (&call->pcm, g_bytes_unref);
  event.kind = DD_SIP_EVENT_PLAYBACK_FINISHED;
  event.call_id = call->id;
  event.play_id = call->play_id;
  event.interrupted = interrupted;
  emit (call->core, &event);
}

static void
send_packet (Call *call)
{
  struct mbuf *mb = mbuf_alloc (RTP_HEADER_SIZE + SAMPLES_PER_PACKET);
  gint16 samples[SAMPLES_PER_PACKET] = { 0 };
  bool marker = false;

  if (mb == NULL)
    return;
  mb->pos = RTP_HEADER_SIZE;
  mb->end = RTP_HEADER_SIZE;

  /* an RFC 4733 event has the slot when one is being sent */
  if (call->telev != NULL && call->pt_tel >= 0)
    {
      if (telev_poll (call->telev, &marker, mb) == 0 && mb->end > RTP_HEADER_SIZE)
        {
          mb->pos = RTP_HEADER_SIZE;
          rtp_send (call->rtp, &call->raddr, false, marker, (uint8_t) call->pt_tel, call->ts, mb);
          call->rtp_sent++;
          mem_deref (mb);
          /* the audio clock runs on */
          call->ts += SAMPLES_PER_PACKET;
          return;
        }
      mb->pos = RTP_HEADER_SIZE;
      mb->end = RTP_HEADER_SIZE;
    }

  if (call->link != NULL)
    dd_media_link_take_microphone (call->link, samples, SAMPLES_PER_PACKET);
  if (call->pcm != NULL)
    {
      gsize size = 0;
      const gint16 *pcm = g_bytes_get_data (call->pcm, &size);
      gsize n_total = size / sizeof (gint16);
      gsize n = MIN ((gsize) SAMPLES_PER_PACKET, n_total - call->pcm_pos);

      /* a prompt over the desk's voice: both heard */
      for (gsize i = 0; i < n; i++)
        samples[i] = (gint16) CLAMP ((gint) samples[i] + pcm[call->pcm_pos + i], G_MININT16,
                                     G_MAXINT16);
      call->pcm_pos += n;
      if (call->pcm_pos >= n_total)
        finish_playback (call, FALSE);
    }
  for (guint i = 0; i < SAMPLES_PER_PACKET; i++)
    mbuf_write_u8 (mb, call->alaw ? g711_pcm2alaw (samples[i]) : g711_pcm2ulaw (samples[i]));
  mb->pos = RTP_HEADER_SIZE;
  rtp_send (call->rtp, &call->raddr, false, call->marker, (uint8_t) call->pt, call->ts, mb);
  call->marker = false;
  call->ts += SAMPLES_PER_PACKET;
  call->rtp_sent++;
  mem_deref (mb);
}

static void take_frame (Call *call);
static void start_rtcp (Call *call);

static void
on_media_tick (void *arg)
{
  Call *call = arg;
  DdSipCore *core = call->core;
  gint64 now = g_get_monotonic_time ();

  tmr_start (&call->media_tmr, TICK_MS, on_media_tick, call);

  /* what the clock asks for, however late the timer was: steady 20 ms, no drift */
  while (now >= call->next_send_us)
    {
      guint late = (guint) MIN (now - call->next_send_us, (gint64) G_MAXUINT);

      g_mutex_lock (&core->stats_lock);
      core->stats.max_send_late_us = MAX (core->stats.max_send_late_us, late);
      core->stats.send_late_sum_us += late;
      core->stats.rtp_sent++;
      g_mutex_unlock (&core->stats_lock);

      if (call->telev != NULL && !g_queue_is_empty (&call->digits_out))
        {
          g_autofree char *digit = g_queue_pop_head (&call->digits_out);
          int code = telev_digit2code (digit[0]);

          if (code >= 0)
            {
              telev_send (call->telev, code, false);
              telev_send (call->telev, code, true);
            }
        }
      send_packet (call);
      take_frame (call);
      call->next_send_us += PACKET_US;
    }
}

/* Whether the peer takes our sound: an address (not c=0.0.0.0, the old way to hold) and a
 * direction that lets it receive (not a=sendonly or a=inactive). */
static gboolean
peer_listens (Call *call)
{
  return sa_isset (&call->raddr, SA_ALL) && (sdp_media_rdir (call->media) & SDP_RECVONLY) != 0;
}

static void
start_media (Call *call)
{
  if (call->media_up || call->pt < 0 || !peer_listens (call))
    return;
  call->media_up = TRUE;
  call->marker = true;
  call->next_send_us = g_get_monotonic_time ();
  tmr_start (&call->media_tmr, TICK_MS, on_media_tick, call);
  if (!call->rtcp_started)
    start_rtcp (call);
}

/* After a new offer or answer in the call: on hold, our sound (and a prompt) pauses; taken
 * off hold, it starts (again). */
static void
follow_media (Call *call)
{
  if (call->media_up && (call->pt < 0 || !peer_listens (call)))
    {
      tmr_cancel (&call->media_tmr);
      call->media_up = FALSE;
    }
  else
    start_media (call);
}

/* An answered call ends by itself whatever the peer does: after the maximum call length, and
 * when no RTP came for too long (counted from the answer, so a call whose media never
 * started ends too). */
static void
on_watch (void *arg)
{
  Call *call = arg;
  DdSipCore *core = call->core;
  gint64 now = g_get_monotonic_time ();
  gint64 max_call_ms = g_atomic_int_get (&core->max_call_ms);
  gint64 rtp_timeout_ms = g_atomic_int_get (&core->rtp_timeout_ms);

  if (max_call_ms > 0 && now - call->answered_us >= max_call_ms * 1000)
    {
      call->local_hangup = TRUE;
      call->sess = mem_deref (call->sess);   /* BYE */
      end_call (call, DD_SIP_CAUSE_MAX_LENGTH, TRUE);
      return;
    }
  /* the peer vanished: no RTP for too long */
  if (rtp_timeout_ms > 0 &&
      now - MAX (call->last_rx_us, call->answered_us) >= rtp_timeout_ms * 1000)
    {
      call->sess = mem_deref (call->sess);   /* BYE */
      end_call (call, DD_SIP_CAUSE_NETWORK_ERROR, FALSE);
      return;
    }
  tmr_start (&call->watch_tmr, WATCH_MS, on_watch, call);
}

/* RTCP sender and receiver reports every 5 s, to the peer's a=rtcp address or its RTP
 * port + 1 */
static void
start_rtcp (Call *call)
{
  struct sa peer;
  g_autofree char *cname = g_strdup_printf ("dunning-desk@%s", call->core->address);

  sdp_media_raddr_rtcp (call->media, &peer);
  rtcp_set_srate (call->rtp, 8000, 8000);
  rtcp_start (call->rtp, cname, &peer);
  call->rtcp_started = TRUE;
}

static void
on_rtp (const struct sa           *src,
        const struct rtp_header   *hdr,
        struct mbuf               *mb,
        void                      *arg)
{
  Call *call = arg;

  call->rtp_received++;
  /* the peer is alive while it sends what we agreed on (comfort noise too): packets of any
   * other payload type carry nothing we can hear — dead air for the RTP timeout */
  if ((call->pt >= 0 && hdr->pt == call->pt) || (call->pt_tel >= 0 && hdr->pt == call->pt_tel) ||
      hdr->pt == RTP_PT_CN)
    call->last_rx_us = g_get_monotonic_time ();
  if (call->pt_tel >= 0 && hdr->pt == call->pt_tel)
    {
      int event = -1;
      bool end = false;

      if (telev_recv (call->telev, mb, &event, &end) == 0 && end &&
          !(call->dtmf_seen && hdr->ts == call->last_dtmf_ts))
        {
          int digit = telev_code2digit (event);

          /* the end packet is repeated three times: one digit per event (timestamp) */
          call->dtmf_seen = TRUE;
          call->last_dtmf_ts = hdr->ts;
          if (digit > 0)
            {
              DdSipEvent ev = { 0 };

              ev.kind = DD_SIP_EVENT_DTMF;
              ev.call_id = call->id;
              ev.digit = (char) digit;
              emit (call->core, &ev);
              if (call->barge_in)
                finish_playback (call, TRUE);
            }
        }
      return;
    }
  if (call->pt >= 0 && hdr->pt == call->pt)
    {
      if (!call->peer_ssrc_set)
        {
          call->peer_ssrc = hdr->ssrc;
          call->peer_ssrc_set = TRUE;
        }
      /* in order and on time at the next ticks (take_frame) */
      dd_jitter_buffer_put (call->jbuf, hdr->seq, mbuf_buf (mb), mbuf_get_left (mb));
    }
}

static void
on_rtcp (const struct sa  *src,
         struct rtcp_msg  *msg,
         void             *arg)
{
  Call *call = arg;

  call->rtcp_received++;
}

/* The answering-machine detector hears what came after the answer (@samples), or that
 * nothing came for a tick (NULL: a peer that sends no sound still gets a verdict in bounded
 * time); its verdict goes back once, then it is dropped. */
static void
listen_for_machine (Call         *call,
                    const gint16 *samples,
                    gsize         n)
{
  DdAnsweringMachineVerdict verdict;
  DdSipEvent event = { 0 };

  verdict = samples != NULL ? dd_answering_machine_feed (call->detector_am, samples, n)
                            : dd_answering_machine_hear_nothing (call->detector_am,
                                                                 PACKET_US / 1000);

  if (verdict == DD_ANSWERING_MACHINE_VERDICT_UNDECIDED)
    return;
  event.kind = DD_SIP_EVENT_ANSWERED_BY;
  event.call_id = call->id;
  event.verdict = verdict;
  event.verdict_reason = dd_answering_machine_get_reason (call->detector_am);
  event.verdict_ms = dd_answering_machine_get_elapsed_ms (call->detector_am);
  g_clear_object (&call->detector_am);
  emit (call->core, &event);
}

/* What the far end said, one 20 ms frame, in order: to the recording and the tone detector. */
static void
take_frame (Call *call)
{
  guint8 payload[SAMPLES_PER_PACKET * 2];
  gint16 samples[SAMPLES_PER_PACKET * 2];
  gsize n = 0;

  switch (dd_jitter_buffer_get (call->jbuf, payload, &n))
    {
    case DD_JITTER_EMPTY:
      if (call->detector_am != NULL && call->answered)
        listen_for_machine (call, NULL, 0);
      return;
    case DD_JITTER_LOST:
      /* concealed by silence, so the recording keeps its time */
      n = SAMPLES_PER_PACKET;
      memset (samples, 0, n * sizeof (gint16));
      break;
    case DD_JITTER_FRAME:
      for (gsize i = 0; i < n; i++)
        samples[i] = call->alaw ? g711_alaw2pcm (payload[i]) : g711_ulaw2pcm (payload[i]);
      /* what the callee sent after the answer, and how much of it was sound by the answering-
       * machine detector's measure (louder than its silence threshold): the call's heard and
       * sound times, by which a voice campaign tells dead air */
      if (call->answered)
        {
          guint ms = (guint) (n * 1000 / 8000);

          call->heard_ms += ms;
          if (dd_answering_machine_level (samples, n) > DD_ANSWERING_MACHINE_SILENCE_THRESHOLD)
            call->sound_ms += ms;
        }
      break;
    }
  if (call->writer != NULL)
    dd_wav_writer_write (call->writer, samples, n);
  if (call->link != NULL)
    dd_media_link_speak (call->link, samples, n);
  if (call->detector_am != NULL && call->answered)
    listen_for_machine (call, samples, n);
  /* a phone that sends its keys as tones: the Goertzel detector hears them */
  if (!call->dtmf_seen)
    {
      char digits[4];
      gsize found;

      if (call->detector == NULL)
        call->detector = dd_dtmf_detector_new (8000);
      found = dd_dtmf_detector_feed (call->detector, samples, n, digits, sizeof digits);
      for (gsize i = 0; i < found; i++)
        {
          DdSipEvent ev = { 0 };

          ev.kind = DD_SIP_EVENT_DTMF;
          ev.call_id = call->id;
          ev.digit = digits[i];
          ev.in_band = TRUE;
          emit (call->core, &ev);
          if (call->barge_in)
            finish_playback (call, TRUE);
        }
    }
}

/* The G.711 law a format of the peer's stands for: 0 (PCMU), 8 (PCMA) or -1 (not audio we
 * speak). A static payload type is known by its number (its a=rtpmap may be left out), a
 * dynamic one by its name and rate. */
static int
audio_codec (const struct sdp_format *format)
{
  if (format->pt == 0 || format->pt == 8)
    return format->pt;
  if (format->pt < 96 || format->pt > 127 || format->name == NULL || format->srate != 8000)
    return -1;
  if (g_ascii_strcasecmp (format->name, "PCMU") == 0)
    return 0;
  if (g_ascii_strcasecmp (format->name, "PCMA") == 0)
    return 8;
  return -1;
}

/* Reads the peer's SDP: codec, telephone-event, address. The codec is the first audio one
 * both sides have, in the peer's order (telephone-event is none, even listed first). An
 * error says why in @why: an SDP we cannot read (NO_MEDIA), or no audio codec (NO_CODEC). */
static int
take_sdp (Call        *call,
          struct mbuf *body,
          gboolean     offer,
          DdSipCause  *why)
{
  const struct sdp_format *format = NULL;
  const struct sdp_format *tel;
  int err;

  *why = DD_SIP_CAUSE_NONE;
  if (body == NULL || mbuf_get_left (body) == 0)
    return 0;
  err = sdp_decode (call->sdp, body, offer);
  if (err != 0)
    {
      *why = DD_SIP_CAUSE_NO_MEDIA;
      return err;
    }
  /* a port of 0 (or no audio line): the peer refused our audio */
  if (sa_port (sdp_media_raddr (call->media)) != 0)
    for (struct le *le = list_head (sdp_media_format_lst (call->media, false));
         le != NULL && format == NULL; le = le->next)
      {
        const struct sdp_format *candidate = le->data;

        if (candidate->sup && audio_codec (candidate) >= 0)
          format = candidate;
      }
  if (format == NULL)
    {
      *why = DD_SIP_CAUSE_NO_CODEC;
      return EPROTO;
    }
  call->alaw = audio_codec (format) == 8;
  call->pt = format->pt;
  tel = sdp_media_rformat (call->media, "telephone-event");
  call->pt_tel = tel != NULL && tel->pt >= 96 && tel->pt <= 127 && tel->pt != call->pt
                 ? tel->pt : -1;
  call->raddr = *sdp_media_raddr (call->media);
  return 0;
}

/* An offer in the call (a re-INVITE: the peer moved its media, held, or changed codec): the
 * new address and codec take effect at once, the reports follow the media. */
static int
on_offer (struct mbuf          **descp,
          const struct sip_msg  *msg,
          void                  *arg)
{
  Call *call = arg;
  DdSipCause why;
  int err = take_sdp (call, msg->mb, TRUE, &why);

  /* the peer is there: its silence is counted anew */
  call->last_rx_us = g_get_monotonic_time ();
  if (err == 0)
    err = sdp_encode (descp, call->sdp, false);
  if (err == 0 && call->rtcp_started)
    start_rtcp (call);
  if (err == 0 && call->answered)
    follow_media (call);
  return err;
}

/* The answer to our offer (in the 200 OK; in the ACK when the peer called us without one).
 * An error makes libre acknowledge and hang up (BYE): an answer without SDP, unless the
 * answer came with early media already, or an SDP we cannot use. */
static int
on_answer (const struct sip_msg *msg,
           void                 *arg)
{
  Call *call = arg;
  DdSipCause why;
  int err;

  /* the 2xx libre took for our call: another To tag after it is a fork to hang up */
  if (!call->inbound)
    dd_sip_guard_note_answer (call->core->guard, msg);
  if (msg->mb == NULL || mbuf_get_left (msg->mb) == 0)
    {
      if (call->pt >= 0)
        return 0;
      call->fail_cause = DD_SIP_CAUSE_NO_MEDIA;
      return EPROTO;
    }
  err = take_sdp (call, msg->mb, FALSE, &why);
  if (err != 0)
    call->fail_cause = why;
  return err;
}

static void
on_progress (const struct sip_msg *msg,
             void                 *arg)
{
  Call *call = arg;
  DdSipEvent event = { 0 };

  take_status (call, msg);
  event.call_id = call->id;
  event.status = msg->scode;
  if ((msg->scode == 180 || msg->scode == 183) && !call->ringing_sent)
    {
      call->ringing_sent = TRUE;
      event.kind = DD_SIP_EVENT_RINGING;
      emit (call->core, &event);
    }
  if (msg->scode == 183 && mbuf_get_left (msg->mb) > 0 && !call->early_sent)
    {
      /* early media: the answer came with the progress */
      DdSipCause why;

      if (take_sdp (call, msg->mb, FALSE, &why) == 0)
        {
          call->early_sent = TRUE;
          event.kind = DD_SIP_EVENT_EARLY_MEDIA;
          emit (call->core, &event);
          start_media (call);
        }
    }
}

static void
on_established (const struct sip_msg *msg,
                void                 *arg)
{
  Call *call = arg;
  DdSipEvent event = { 0 };

  take_status (call, msg);
  tmr_cancel (&call->ring_tmr);
  call->answered = TRUE;
  call->answered_us = g_get_monotonic_time ();
  tmr_start (&call->watch_tmr, WATCH_MS, on_watch, call);
  event.kind = DD_SIP_EVENT_ANSWERED;
  event.call_id = call->id;
  event.status = call->last_status;
  event.text = (char *) (call->alaw ? "PCMA" : "PCMU");
  emit (call->core, &event);
  follow_media (call);
}

static void
on_info (struct sip           *sip,
         const struct sip_msg *msg,
         void                 *arg)
{
  (void) sip_treply (NULL, sip, msg, 200, "OK");
}

static void
on_close (int                   err,
          const struct sip_msg *msg,
          void                 *arg)
{
  Call *call = arg;
  DdSipCause cause;

  take_status (call, msg);
  if (call->fail_cause != DD_SIP_CAUSE_NONE)
    {
      /* we refused what the peer answered: libre acknowledged it and hung up */
      end_call (call, call->fail_cause, TRUE);
      return;
    }
  if (msg != NULL && msg->scode >= 300)
    cause = cause_for_status (msg->scode);
  else if (err == ECONNRESET)
    /* a caller's BYE can overtake its ACK (or the ACK was lost): we had answered all the same */
    cause = call->answered || call->accepted ? DD_SIP_CAUSE_COMPLETED : DD_SIP_CAUSE_CANCELLED;
  else if (err == ETIMEDOUT)
    cause = DD_SIP_CAUSE_UNREACHABLE;
  else if (err != 0)
    cause = DD_SIP_CAUSE_NETWORK_ERROR;
  else
    cause = call->answered ? DD_SIP_CAUSE_COMPLETED : DD_SIP_CAUSE_FAILED;
  end_call (call, cause, FALSE);
}

/* We cancel an outbound call that was not answered: its 200 can still cross the CANCEL. */
static void
note_cancel (Call *call)
{
  if (!call->inbound && !call->answered && call->sess != NULL)
    call->core->cancelled_us = g_get_monotonic_time ();
}

static void
on_ring_timeout (void *arg)
{
  Call *call = arg;

  note_cancel (call);
  /* no answer in time: CANCEL */
  call->sess = mem_deref (call->sess);
  end_call (call, DD_SIP_CAUSE_NO_ANSWER, TRUE);
}

/* The outbound proxy as a loose route ("<sip:proxy;lr>"), or NULL. */
static char *
proxy_route (const char *proxy)
{
  if (proxy == NULL || *proxy == '\0')
    return NULL;
  if (strstr (proxy, ";lr") != NULL)
    return g_strdup_printf ("<%s>", proxy);
  return g_strdup_printf ("<%s;lr>", proxy);
}

/* A call's engine side, registered under @id; media set up (RTP socket, our SDP). */
static Call *
call_new (DdSipCore  *core,
          guint       id,
          int        *errp)
{
  Call *call = g_new0 (Call, 1);
  struct sa laddr;
  int err;

  call->core = core;
  call->id = id;
  call->pt = -1;
  call->pt_tel = -1;
  tmr_init (&call->ring_tmr);
  tmr_init (&call->media_tmr);
  tmr_init (&call->watch_tmr);
  g_queue_init (&call->digits_out);
  g_hash_table_insert (core->calls, GUINT_TO_POINTER (call->id), call);
  g_mutex_lock (&core->stats_lock);
  core->stats.calls_started++;
  core->stats.calls_active++;
  g_mutex_unlock (&core->stats_lock);

  sa_set_str (&laddr, core->address, 0);
  call->jbuf = dd_jitter_buffer_new (JITTER_DEPTH, SAMPLES_PER_PACKET * 2);
  err = rtp_listen (&call->rtp, IPPROTO_UDP, &laddr, 10000, 60000, true, on_rtp, on_rtcp, call);
  if (err == 0)
    err = telev_alloc (&call->telev, 20);
  if (err == 0)
    err = sdp_session_alloc (&call->sdp, &laddr);
  if (err == 0)
    err = sdp_media_add (&call->media, call->sdp, "audio", sa_port (rtp_local (call->rtp)),
                         "RTP/AVP");
  if (err == 0)
    err = sdp_format_add (NULL, call->media, false, "0", "PCMU", 8000, 1, NULL, NULL, NULL,
                          false, NULL);
  if (err == 0)
    err = sdp_format_add (NULL, call->media, false, "8", "PCMA", 8000, 1, NULL, NULL, NULL,
                          false, NULL);
  if (err == 0)
    err = sdp_format_add (NULL, call->media, false, "101", "telephone-event", 8000, 1, NULL,
                          NULL, NULL, false, "0-15");
  if (err == 0)
    err = sdp_media_set_lattr (call->media, true, "ptime", "20");
  *errp = err;
  return call;
}

static void
dial (DdSipCore *core,
      Command   *cmd)
{
  struct mbuf *desc = NULL;
  int err;
  Call *call = call_new (core, cmd->call_id, &err);

  call->credentials[0] = g_strdup (cmd->auth_user);
  call->credentials[1] = g_strdup (cmd->password);
  if (err == 0)
    err = sdp_encode (&desc, call->sdp, true);
  if (err == 0)
    {
      g_autofree char *route = proxy_route (cmd->proxy);
      const char *routev[] = { route };

      err = sipsess_connect (&call->sess, core->sock, cmd->to_uri, cmd->from_name,
                           cmd->from_uri, cmd->contact_user, routev, route != NULL ? 1 : 0,
                           "application/sdp", desc,
                           on_call_auth, call, false, on_offer, on_answer, on_progress,
                           on_established,
                           on_info, NULL, on_close, call, NULL);
    }
  mem_deref (desc);
  if (err != 0)
    {
      g_warning ("Could not place a call to %s: %s", cmd->to_uri, g_strerror (err));
      end_call (call, err == EINVAL ? DD_SIP_CAUSE_INVALID_NUMBER : DD_SIP_CAUSE_NETWORK_ERROR,
                TRUE);
      return;
    }
  tmr_start (&call->ring_tmr, cmd->ring_timeout_ms > 0 ? cmd->ring_timeout_ms : DEFAULT_RING_MS,
             on_ring_timeout, call);
}

/* Inbound */

static void
on_inbound_ring_timeout (void *arg)
{
  Call *call = arg;

  /* nobody took it */
  (void) sipsess_reject (call->sess, 480, "Temporarily Unavailable", NULL);
  call->sess = mem_deref (call->sess);
  call->last_status = 480;
  end_call (call, DD_SIP_CAUSE_NO_ANSWER, TRUE);
}

static void
on_incoming (const struct sip_msg *msg,
             void                 *arg)
{
  DdSipCore *core = arg;
  DdSipEvent event = { 0 };
  g_autofree char *from = g_strndup (msg->from.auri.p, msg->from.auri.l);
  g_autofree char *to = g_strndup (msg->to.auri.p, msg->to.auri.l);
  g_autofree char *name = g_strndup (msg->from.dname.p, msg->from.dname.l);
  guint id = dd_sip_core_new_call_id (core);
  gboolean offered = mbuf_get_left (msg->mb) > 0;
  DdSipCause why;
  Call *call;
  int err;

  if (!g_atomic_int_get (&core->accept_inbound))
    {
      (void) sip_treply (NULL, core->sip, msg, 486, "Busy Here");
      return;
    }
  call = call_new (core, id, &err);
  call->inbound = TRUE;
  call->offered = offered;
  if (err == 0 && offered && take_sdp (call, msg->mb, TRUE, &why) != 0)
    {
      /* no codec in common */
      (void) sip_treply (NULL, core->sip, msg, 488, "Not Acceptable Here");
      forget_call (call);
      return;
    }
  if (err == 0)
    err = sipsess_accept (&call->sess, core->sock, msg, 180, "Ringing", "dunning-desk",
                          "application/sdp", NULL, NULL, NULL, false, on_offer, on_answer,
                          on_established, on_info, NULL, on_close, call, NULL);
  if (err != 0)
    {
      g_warning ("Could not take an incoming call from %s: %s", from, g_strerror (err));
      (void) sip_treply (NULL, core->sip, msg, 500, "Server Internal Error");
      forget_call (call);
      return;
    }
  tmr_start (&call->ring_tmr, (guint) g_atomic_int_get (&core->inbound_ring_ms),
             on_inbound_ring_timeout, call);
  event.kind = DD_SIP_EVENT_INCOMING;
  event.call_id = id;
  event.text = from;
  event.text2 = to;
  event.name = name;
  emit (core, &event);
}

static void
answer_call (Call *call)
{
  struct mbuf *desc = NULL;
  int err;

  if (!call->inbound || call->answered || call->sess == NULL)
    return;
  /* our answer to their offer, or our offer when they made none (theirs comes in the ACK) */
  err = sdp_encode (&desc, call->sdp, !call->offered);
  if (err == 0)
    err = sipsess_answer (call->sess, 200, "OK", desc, NULL);
  mem_deref (desc);
  if (err != 0)
    {
      g_warning ("Could not answer a call: %s", g_strerror (err));
      call->sess = mem_deref (call->sess);
      end_call (call, DD_SIP_CAUSE_NETWORK_ERROR, TRUE);
      return;
    }
  tmr_cancel (&call->ring_tmr);
  call->accepted = TRUE;
  call->last_status = 200;
}

static void
registration_free (Registration *registration)
{
  registration->reg = mem_deref (registration->reg);   /* unregisters */
  g_free (registration->key);
  g_free (registration->credentials[0]);
  dd_secret_free (registration->credentials[1]);
  g_free (registration);
}

static void
on_register_response (int                   err,
                      const struct sip_msg *msg,
                      void                 *arg)
{
  Registration *registration = arg;
  DdSipEvent event = { 0 };
  g_autofree char *reason = NULL;

  event.kind = DD_SIP_EVENT_REGISTRATION;
  event.text = registration->key;
  if (err != 0)
    {
      event.local = FALSE;
      event.cause = err == ETIMEDOUT ? DD_SIP_CAUSE_UNREACHABLE : DD_SIP_CAUSE_NETWORK_ERROR;
      reason = g_strdup (g_strerror (err));
    }
  else if (msg->scode >= 200 && msg->scode < 300)
    {
      event.local = TRUE;
      event.status = msg->scode;
      reason = g_strndup (msg->reason.p, msg->reason.l);
    }
  else if (msg->scode >= 300)
    {
      event.local = FALSE;
      event.status = msg->scode;
      event.cause = cause_for_status (msg->scode);
      reason = g_strndup (msg->reason.p, msg->reason.l);
    }
  else
    return;
  /* a refresh that succeeds again is not news */
  if (event.local && registration->reported_ok)
    return;
  registration->reported_ok = event.local;
  event.reason = reason;
  emit (registration->core, &event);
}

static void
register_account (DdSipCore *core,
                  Command   *cmd)
{
  Registration *registration = g_new0 (Registration, 1);
  int err;

  registration->core = core;
  registration->key = g_strdup (cmd->key);
  registration->credentials[0] = g_strdup (cmd->auth_user);
  if (registration->credentials[0] == NULL && g_str_has_prefix (cmd->to_uri, "sip:"))
    {
      /* the address of record's user: sip:user@domain */
      const char *at = strchr (cmd->to_uri, '@');

      if (at != NULL)
        registration->credentials[0] = g_strndup (cmd->to_uri + 4, at - cmd->to_uri - 4);
    }
  registration->credentials[1] = g_strdup (cmd->password);
  g_hash_table_replace (core->registrations, g_strdup (cmd->key), registration);
  {
    g_autofree char *route = proxy_route (cmd->proxy);
    const char *routev[] = { route };

    err = sipreg_register (&registration->reg, core->sip, cmd->registrar, cmd->to_uri,
                           cmd->from_name, cmd->to_uri, cmd->expires > 0 ? cmd->expires : 600,
                           cmd->contact_user, routev, route != NULL ? 1 : 0, 0, on_auth,
                           registration->credentials, false, on_register_response,
                           registration, NULL, NULL);
  }
  if (err != 0)
    {
      DdSipEvent event = { 0 };

      event.kind = DD_SIP_EVENT_REGISTRATION;
      event.text = registration->key;
      event.cause = err == EINVAL ? DD_SIP_CAUSE_INVALID_NUMBER : DD_SIP_CAUSE_NETWORK_ERROR;
      event.reason = (char *) g_strerror (err);
      emit (core, &event);
      g_hash_table_remove (core->registrations, cmd->key);
    }
}

static void
on_quit_grace (void *arg)
{
  re_cancel ();
}

static void
on_command (int   id,
            void *data,
            void *arg)
{
  DdSipCore *core = arg;
  Command *cmd = data;
  Call *call = g_hash_table_lookup (core->calls, GUINT_TO_POINTER (cmd->call_id));

  switch (cmd->kind)
    {
    case CMD_QUIT:
      {
        GHashTableIter iter;
        gpointer value;
        gint64 grace_us;

        g_hash_table_iter_init (&iter, core->calls);
        while (g_hash_table_iter_next (&iter, NULL, &value))
          note_cancel (value);
        g_hash_table_remove_all (core->calls);
        g_hash_table_remove_all (core->registrations);
        grace_us = core->cancelled_us > 0
                   ? core->cancelled_us + CANCEL_GRACE_US - g_get_monotonic_time () : 0;
        if (grace_us > 0)
          tmr_start (&core->quit_tmr, (uint64_t) (grace_us / 1000) + 1, on_quit_grace, core);
        else
          re_cancel ();
      }
      break;
    case CMD_DIAL:
      dial (core, cmd);
      break;
    case CMD_HANGUP:
      if (call != NULL && call->inbound && !call->answered)
        {
          /* refused: busy, declined… as asked */
          guint status = cmd->status >= 400 ? cmd->status : 486;

          call->local_hangup = TRUE;
          (void) sipsess_reject (call->sess, (uint16_t) status, status_reason (status), NULL);
          call->sess = mem_deref (call->sess);
          call->last_status = status;
          end_call (call, DD_SIP_CAUSE_REJECTED, TRUE);
        }
      else if (call != NULL)
        {
          gboolean answered = call->answered;

          call->local_hangup = TRUE;
          note_cancel (call);
          call->sess = mem_deref (call->sess);   /* BYE, or CANCEL before the answer */
          end_call (call, answered ? DD_SIP_CAUSE_COMPLETED : DD_SIP_CAUSE_CANCELLED, TRUE);
        }
      break;
    case CMD_ANSWER:
      if (call != NULL)
        answer_call (call);
      break;
    case CMD_PLAY:
      if (call != NULL)
        {
          finish_playback (call, TRUE);
          call->pcm = g_steal_pointer (&cmd->pcm);
          call->pcm_pos = 0;
          call->play_id = cmd->play_id;
          call->barge_in = cmd->barge_in;
        }
      break;
    case CMD_STOP_PLAYBACK:
      if (call != NULL)
        finish_playback (call, TRUE);
      break;
    case CMD_SEND_DTMF:
      for (const char *p = cmd->digits; call != NULL && p != NULL && *p; p++)
        g_queue_push_tail (&call->digits_out, g_strndup (p, 1));
      break;
    case CMD_RECORD:
      if (call != NULL)
        call->writer = cmd->writer;
      break;
    case CMD_ATTACH_AUDIO:
      if (call != NULL)
        {
          g_clear_pointer (&call->link, dd_media_link_unref);
          call->link = g_steal_pointer (&cmd->link);
        }
      break;
    case CMD_REGISTER:
      register_account (core, cmd);
      break;
    case CMD_UNREGISTER:
      g_hash_table_remove (core->registrations, cmd->key);
      break;
    case CMD_DETECT_MACHINE:
      if (call != NULL)
        {
          g_clear_object (&call->detector_am);
          call->detector_am = g_steal_pointer (&cmd->detector);
        }
      break;
    }
  command_free (cmd);
}

static void
on_sip_exit (void *arg)
{
}

static void
on_sip_trace (bool             tx,
              enum sip_transp  tp,
              const struct sa *src,
              const struct sa *dst,
              const uint8_t   *pkt,
              size_t           len,
              void            *arg)
{
  DdSipCore *core = arg;

  dd_sip_guard_trace (core->guard, tx, pkt, len);
}

/* SIP over TLS, where libre was built with it, for connections we open (to a registrar, a
 * proxy or a callee; calls from a trunk we registered with come back over the same
 * connection): the server's certificate must chain to an authority the system trusts (or the
 * one given). libre 1.1 does not check the host name against the certificate. We have no
 * certificate of our own, so nobody can open a TLS connection to us. */
static void
start_tls (DdSipCore       *core,
           const struct sa *laddr)
{
  struct sa taddr = *laddr;
  SSL_CTX *ctx;
  int err = tls_alloc (&core->tls, TLS_METHOD_SSLV23, NULL, NULL);

  if (err != 0)
    {
      g_warning ("SIP over TLS is not available: %s", g_strerror (err));
      return;
    }
  ctx = tls_openssl_context (core->tls);
  SSL_CTX_set_verify (ctx, SSL_VERIFY_PEER, NULL);
  SSL_CTX_set_verify_depth (ctx, 8);
  if (SSL_CTX_set_default_verify_paths (ctx) != 1)
    g_warning ("The system's certificate authorities cannot be read");
  if (core->ca_file != NULL && SSL_CTX_load_verify_locations (ctx, core->ca_file, NULL) != 1)
    g_warning ("The certificate authority in %s cannot be read", core->ca_file);
  sa_set_port (&taddr, 0);
  err = sip_transp_add (core->sip, SIP_TRANSP_TLS, &taddr, core->tls);
  if (err == 0 && sip_transp_laddr (core->sip, &taddr, SIP_TRANSP_TLS, NULL) == 0)
    core->tls_port = sa_port (&taddr);
  if (err != 0)
    {
      g_warning ("SIP over TLS is not available: %s", g_strerror (err));
      core->tls = mem_deref (core->tls);
    }
}

static gpointer
thread_main (gpointer user_data)
{
  DdSipCore *core = user_data;
  struct sa laddr, bound, ns;
  int err;

  dd_sip_guard_route_debug ();
  err = libre_init ();
  if (err == 0)
    {
      sa_set_str (&ns, "127.0.0.1", 53);
      err = dnsc_alloc (&core->dnsc, NULL, &ns, 1);
    }
  if (err == 0)
    err = sip_alloc (&core->sip, core->dnsc, 32, 32, 32, "Dunning Desk " PACKAGE_VERSION,
                     on_sip_exit, core);
  if (err == 0)
    err = sa_set_str (&laddr, core->address, core->port);
  if (err == 0)
    err = sip_transp_add (core->sip, SIP_TRANSP_UDP, &laddr);
  if (err == 0 && sip_transp_laddr (core->sip, &bound, SIP_TRANSP_UDP, NULL) == 0)
    {
      /* TCP on the same port as UDP, as a SIP client expects (any port if that one is taken) */
      if (sip_transp_add (core->sip, SIP_TRANSP_TCP, &bound) != 0)
        {
          sa_set_port (&bound, 0);
          if (sip_transp_add (core->sip, SIP_TRANSP_TCP, &bound) != 0)
            g_warning ("SIP over TCP is not available");
        }
    }
  if (err == 0)
    start_tls (core, &laddr);
  if (err == 0 && sip_transp_laddr (core->sip, &bound, SIP_TRANSP_UDP, NULL) == 0)
    {
      /* its listeners come before the sessions' */
      core->guard = dd_sip_guard_new (core->sip, &bound, &core->stats_lock, &core->stats);
      sip_set_trace_handler (core->sip, on_sip_trace);
    }
  if (err == 0)
    err = sipsess_listen (&core->sock, core->sip, 32, on_incoming, core);
  if (err == 0 && core->guard != NULL)
    err = dd_sip_guard_add_last (core->guard);
  if (err == 0)
    err = mqueue_alloc (&core->mq, on_command, core);
  if (err == 0 && sip_transp_laddr (core->sip, &bound, SIP_TRANSP_UDP, NULL) == 0)
    core->port = sa_port (&bound);

  g_mutex_lock (&core->start_lock);
  core->started = TRUE;
  core->start_error = err;
  g_cond_signal (&core->start_cond);
  g_mutex_unlock (&core->start_lock);

  tmr_init (&core->quit_tmr);
  if (err == 0)
    re_main (NULL);

  tmr_cancel (&core->quit_tmr);
  g_hash_table_remove_all (core->calls);
  g_hash_table_remove_all (core->registrations);
  core->sock = mem_deref (core->sock);
  if (core->sip != NULL)
    sip_set_trace_handler (core->sip, NULL);
  g_clear_pointer (&core->guard, dd_sip_guard_free);
  if (core->sip != NULL)
    sip_close (core->sip, true);
  core->sip = mem_deref (core->sip);
  core->tls = mem_deref (core->tls);
  core->dnsc = mem_deref (core->dnsc);
  core->mq = mem_deref (core->mq);
  libre_close ();
  return NULL;
}

static void
push (DdSipCore *core,
      Command   *cmd)
{
  if (core->mq == NULL || mqueue_push (core->mq, 0, cmd) != 0)
    {
      command_free (cmd);
    }
}

/* A command for the libre thread about @call_id (0: none). */
static Command *
command_new (CommandKind kind,
             guint       call_id)
{
  Command *cmd = g_new0 (Command, 1);

  cmd->kind = kind;
  cmd->call_id = call_id;
  return cmd;
}

/* Whom a dial or a registration is addressed to (@to_uri: the callee, or the address of
 * record), and how it presents itself and logs in. */
static void
command_set_login (Command    *cmd,
                   const char *to_uri,
                   const char *display_name,
                   const char *contact_user,
                   const char *auth_user,
                   const char *password,
                   const char *outbound_proxy)
{
  cmd->to_uri = g_strdup (to_uri);
  cmd->from_name = g_strdup (display_name);
  cmd->contact_user = g_strdup (contact_user != NULL ? contact_user : "dd");
  cmd->auth_user = g_strdup (auth_user);
  cmd->password = g_strdup (password);
  cmd->proxy = g_strdup (outbound_proxy);
}

DdSipCore *
dd_sip_core_start (const char      *address,
                   guint16          port,
                   const char      *ca_file,
                   GMainContext    *context,
                   DdSipEventFunc   func,
                   gpointer         user_data,
                   GError         **error)
{
  DdSipCore *core = g_new0 (DdSipCore, 1);

  core->address = g_strdup (address != NULL ? address : "127.0.0.1");
  core->port = port;
  core->ca_file = g_strdup (ca_file);
  core->inbound_ring_ms = 60000;
  core->accept_inbound = TRUE;
  core->rtp_timeout_ms = DEFAULT_RTP_TIMEOUT_MS;
  core->max_call_ms = DEFAULT_MAX_CALL_MS;
  core->context = context != NULL ? g_main_context_ref (context)
                                  : g_main_context_ref_thread_default ();
  core->sink = g_new0 (Sink, 1);
  core->sink->ref_count = 1;
  core->sink->alive = TRUE;
  core->sink->func = func;
  core->sink->user_data = user_data;
  g_mutex_init (&core->sink->lock);
  g_mutex_init (&core->start_lock);
  g_cond_init (&core->start_cond);
  g_mutex_init (&core->stats_lock);
  core->calls = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                       (GDestroyNotify) call_free);
  core->registrations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) registration_free);
  core->thread = g_thread_new ("dd-sip", thread_main, core);

  g_mutex_lock (&core->start_lock);
  while (!core->started)
    g_cond_wait (&core->start_cond, &core->start_lock);
  g_mutex_unlock (&core->start_lock);
  if (core->start_error != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (core->start_error),
                   _("Could not start SIP on %s:%u: %s"), core->address, port,
                   g_strerror (core->start_error));
      g_thread_join (core->thread);
      core->thread = NULL;
      dd_sip_core_stop (core);
      return NULL;
    }
  return core;
}

void
dd_sip_core_stop (DdSipCore *core)
{
  if (core == NULL)
    return;
  if (core->thread != NULL)
    {
      push (core, command_new (CMD_QUIT, 0));
      g_thread_join (core->thread);
    }
  g_mutex_lock (&core->sink->lock);
  core->sink->alive = FALSE;
  g_mutex_unlock (&core->sink->lock);
  sink_unref (core->sink);
  g_hash_table_unref (core->calls);
  g_hash_table_unref (core->registrations);
  g_mutex_clear (&core->start_lock);
  g_cond_clear (&core->start_cond);
  g_mutex_clear (&core->stats_lock);
  g_main_context_unref (core->context);
  g_free (core->address);
  g_free (core->ca_file);
  g_free (core);
}

guint16
dd_sip_core_get_port (DdSipCore *core)
{
  return core->port;
}

const char *
dd_sip_core_get_address (DdSipCore *core)
{
  return core->address;
}

guint
dd_sip_core_new_call_id (DdSipCore *core)
{
  return (guint) g_atomic_int_add (&core->next_call_id, 1) + 1;
}

void
dd_sip_core_set_rtp_timeout (DdSipCore *core,
                             guint      ms)
{
  g_atomic_int_set (&core->rtp_timeout_ms, (gint) MIN (ms, (guint) G_MAXINT));
}

void
dd_sip_core_set_max_call_length (DdSipCore *core,
                                 guint      ms)
{
  g_atomic_int_set (&core->max_call_ms, (gint) MIN (ms, (guint) G_MAXINT));
}

void
dd_sip_core_get_stats (DdSipCore      *core,
                       DdSipCoreStats *stats)
{
  g_mutex_lock (&core->stats_lock);
  *stats = core->stats;
  g_mutex_unlock (&core->stats_lock);
}

void
dd_sip_core_dial (DdSipCore             *core,
                  guint                  call_id,
                  const DdSipDialParams *params)
{
  Command *cmd = command_new (CMD_DIAL, call_id);

  cmd->from_uri = g_strdup (params->from_uri);
  command_set_login (cmd, params->to_uri, params->from_name, params->contact_user,
                     params->auth_user, params->password, params->outbound_proxy);
  cmd->ring_timeout_ms = params->ring_timeout_ms;
  push (core, cmd);
}

void
dd_sip_core_hangup (DdSipCore *core,
                    guint      call_id,
                    guint      status)
{
  Command *cmd = command_new (CMD_HANGUP, call_id);

  cmd->status = status;
  push (core, cmd);
}

void
dd_sip_core_play (DdSipCore *core,
                  guint      call_id,
                  GBytes    *pcm,
                  guint      play_id,
                  gboolean   barge_in)
{
  Command *cmd = command_new (CMD_PLAY, call_id);

  cmd->pcm = g_bytes_ref (pcm);
  cmd->play_id = play_id;
  cmd->barge_in = barge_in;
  push (core, cmd);
}

void
dd_sip_core_stop_playback (DdSipCore *core,
                           guint      call_id)
{
  push (core, command_new (CMD_STOP_PLAYBACK, call_id));
}

void
dd_sip_core_send_dtmf (DdSipCore  *core,
                       guint       call_id,
                       const char *digits)
{
  Command *cmd = command_new (CMD_SEND_DTMF, call_id);

  cmd->digits = g_strdup (digits);
  push (core, cmd);
}

void
dd_sip_core_record (DdSipCore   *core,
                    guint        call_id,
                    DdWavWriter *writer)
{
  Command *cmd = command_new (CMD_RECORD, call_id);

  cmd->writer = writer;
  push (core, cmd);
}

void
dd_sip_core_register (DdSipCore                 *core,
                      const DdSipRegisterParams *params)
{
  Command *cmd;

  g_return_if_fail (params->key != NULL && params->registrar_uri != NULL && params->aor != NULL);

  cmd = command_new (CMD_REGISTER, 0);
  cmd->key = g_strdup (params->key);
  cmd->registrar = g_strdup (params->registrar_uri);
  command_set_login (cmd, params->aor, params->display_name, params->contact_user,
                     params->auth_user, params->password, params->outbound_proxy);
  cmd->expires = params->expires;
  push (core, cmd);
}

void
dd_sip_core_unregister (DdSipCore  *core,
                        const char *key)
{
  Command *cmd = command_new (CMD_UNREGISTER, 0);

  cmd->key = g_strdup (key);
  push (core, cmd);
}

void
dd_sip_core_answer (DdSipCore *core,
                    guint      call_id)
{
  push (core, command_new (CMD_ANSWER, call_id));
}

void
dd_sip_core_set_inbound (DdSipCore *core,
                         gboolean   accept,
                         guint      ring_timeout_ms)
{
  g_atomic_int_set (&core->accept_inbound, accept ? TRUE : FALSE);
  g_atomic_int_set (&core->inbound_ring_ms, ring_timeout_ms > 0 ? (gint) ring_timeout_ms : 60000);
}

void
dd_sip_core_detect_machine (DdSipCore          *core,
                            guint               call_id,
                            DdAnsweringMachine *detector)
{
  Command *cmd;

  g_return_if_fail (DD_IS_ANSWERING_MACHINE (detector));

  cmd = command_new (CMD_DETECT_MACHINE, call_id);
  cmd->detector = g_object_ref (detector);
  push (core, cmd);
}

void
dd_sip_core_attach_audio (DdSipCore   *core,
                          guint        call_id,
                          DdMediaLink *link)
{
  Command *cmd = command_new (CMD_ATTACH_AUDIO, call_id);

  cmd->link = link != NULL ? dd_media_link_ref (link) : NULL;
  push (core, cmd);
}

guint16
dd_sip_core_get_tls_port (DdSipCore *core)
{
  return core->tls_port;
}
