/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SIP engine against a hostile peer of our own on 127.0.0.1: a small SIP user agent that
 * answers each INVITE as the callee's name asks (no SDP, on hold, static payload types without
 * a=rtpmap, telephone-event first or alone, redirect loops, broken SDP, lengths and headers)
 * and sends mutated RTP. Every call must end by itself within its limits, with a cause. Tests
 * run with criticals fatal, under the sanitizers. */
#include "config.h"

#include "dd-call.h"
#include "dd-sip-core.h"
#include "sip-peers.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

/* A sanitizer report fails the test: UBSan stops at its first finding as ASan does (the
 * runtime asks for these before main; UBSAN_OPTIONS still adds to them). */
const char *__ubsan_default_options (void);

const char *
__ubsan_default_options (void)
{
  return "halt_on_error=1:print_stacktrace=1";
}

/* The limits the engine runs with here (the defaults are a minute and an hour). */
#define RING_MS        1500
#define RTP_TIMEOUT_MS 1000
#define MAX_CALL_MS    2500
/* time beyond the limits for the ending to arrive (a busy, sanitized build) */
#define SLACK_MS       4000

/* The peer */

typedef enum
{
  RTP_NONE,
  RTP_GOOD,          /* PCMU silence, every 20 ms */
  RTP_BAD_VERSION,
  RTP_CSRC,          /* 15 CSRCs announced, a few bytes there */
  RTP_EXTENSION,     /* a header extension longer than the packet */
  RTP_PADDING,       /* padding beyond the packet */
  RTP_TINY,          /* 0 to 11 bytes */
  RTP_RANDOM,        /* random bytes, random length */
  RTP_DTMF_SHORT,    /* telephone-event with 0 to 4 bytes of payload */
  RTP_MIXED,         /* any of the above, and odd payload types and sizes */
} RtpKind;

enum
{
  NO_TO_TAG            = 1 << 0,   /* the final response has no To tag */
  LENGTH_LONG          = 1 << 1,   /* Content-Length beyond the body */
  LENGTH_SHORT         = 1 << 2,   /* Content-Length cuts the body */
  CONTACT_SELF         = 1 << 3,   /* a 3xx pointing back at the peer: a loop */
  NO_CONTACT           = 1 << 4,
  REPEAT_FINAL         = 1 << 5,   /* the final response three times */
  BYE_SOON             = 1 << 6,   /* the peer hangs up 300 ms after answering */
  RTCP_JUNK            = 1 << 7,   /* random bytes to our RTCP port as well */
  RTP_AFTER_REINVITE   = 1 << 8,   /* RTP only once the re-INVITE is sent */
  STOP_RTP_AT_REINVITE = 1 << 9,
  LF_ONLY              = 1 << 10,  /* SDP lines end in LF alone */
};

typedef struct
{
  const char *name;          /* the callee's user part */
  guint       final;         /* the final status; 0: it rings for ever */
  const char *early_sdp;     /* a 183 with this SDP first, or NULL */
  const char *sdp;           /* the final's body, or NULL (@PORT@: the peer's RTP port) */
  const char *reinvite_sdp;  /* a re-INVITE 300 ms after the answer, or NULL */
  guint       flags;
  RtpKind     rtp;
  int         expect;        /* the DdSipCause the call must end with, or -1: any but none */
} Mutation;

#define SDP_HEAD "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n"
#define SDP_HOLD_HEAD "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 0.0.0.0\nt=0 0\n"
#define SDP_PCMU SDP_HEAD "m=audio @PORT@ RTP/AVP 0 101\na=rtpmap:0 PCMU/8000\n" \
                 "a=rtpmap:101 telephone-event/8000\na=fmtp:101 0-15\n"
#define SDP_RESUME "v=0\no=- 1 2 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n" \
                   "m=audio @PORT@ RTP/AVP 0\na=rtpmap:0 PCMU/8000\n"

static const Mutation mutations[] = {
  /* issue 16: the answer without SDP; on hold, then resumed; on hold for ever; a peer that
   * talks for ever */
  { "no-sdp", 200, NULL, NULL, NULL, 0, RTP_NONE, DD_SIP_CAUSE_NO_MEDIA },
  { "hold-resume", 200, NULL, SDP_HOLD_HEAD "m=audio @PORT@ RTP/AVP 0\na=rtpmap:0 PCMU/8000\n",
    SDP_RESUME, RTP_AFTER_REINVITE, RTP_GOOD, DD_SIP_CAUSE_MAX_LENGTH },
  { "hold-forever", 200, NULL, SDP_HOLD_HEAD "m=audio @PORT@ RTP/AVP 0\na=rtpmap:0 PCMU/8000\n", NULL, 0, RTP_NONE,
    DD_SIP_CAUSE_NETWORK_ERROR },
  { "hold-sendonly", 200, NULL, SDP_HEAD "m=audio @PORT@ RTP/AVP 0\na=sendonly\n", NULL, 0,
    RTP_GOOD, -1 },
  { "silent", 200, NULL, SDP_PCMU, NULL, 0, RTP_NONE, DD_SIP_CAUSE_NETWORK_ERROR },
  { "talking", 200, NULL, SDP_PCMU, NULL, 0, RTP_GOOD, DD_SIP_CAUSE_MAX_LENGTH },
  { "early-then-no-sdp", 200, SDP_PCMU, NULL, NULL, 0, RTP_NONE, DD_SIP_CAUSE_NETWORK_ERROR },
  { "reinvite-hold", 200, NULL, SDP_PCMU,
    SDP_HOLD_HEAD "m=audio @PORT@ RTP/AVP 0\n", STOP_RTP_AT_REINVITE, RTP_GOOD,
    DD_SIP_CAUSE_NETWORK_ERROR },
  { "reinvite-garbage", 200, NULL, SDP_PCMU, "v=0\nm=audio\nc=IN IP4\nx\n", 0, RTP_GOOD, -1 },
  /* issue 17: static payload types are known by number */
  { "static-pcmu", 200, NULL, SDP_HEAD "m=audio @PORT@ RTP/AVP 0\n", NULL, 0, RTP_GOOD,
    DD_SIP_CAUSE_MAX_LENGTH },
  { "static-pcma", 200, NULL, SDP_HEAD "m=audio @PORT@ RTP/AVP 8\n", NULL, 0, RTP_GOOD, -1 },
  { "dynamic-pcma", 200, NULL, SDP_HEAD "m=audio @PORT@ RTP/AVP 97\na=rtpmap:97 PCMA/8000\n",
    NULL, 0, RTP_NONE, -1 },
  /* issue 18: the first audio codec, telephone-event is none */
  { "tel-first", 200, NULL, SDP_HEAD "m=audio @PORT@ RTP/AVP 101 0\n"
    "a=rtpmap:101 telephone-event/8000\na=fmtp:101 0-15\na=rtpmap:0 PCMU/8000\n", NULL, 0,
    RTP_GOOD, -1 },
  { "tel-only", 200, NULL, SDP_HEAD "m=audio @PORT@ RTP/AVP 101\n"
    "a=rtpmap:101 telephone-event/8000\n", NULL, 0, RTP_NONE, DD_SIP_CAUSE_NO_CODEC },
  { "tel-on-pt0", 200, NULL, SDP_HEAD "m=audio @PORT@ RTP/AVP 0\n"
    "a=rtpmap:0 telephone-event/8000\n", NULL, 0, RTP_MIXED, -1 },
  { "video-only", 200, NULL, SDP_HEAD "m=video @PORT@ RTP/AVP 96\na=rtpmap:96 H264/90000\n",
    NULL, 0, RTP_NONE, -1 },
  { "port-zero", 200, NULL, SDP_HEAD "m=audio 0 RTP/AVP 0\n", NULL, 0, RTP_NONE,
    DD_SIP_CAUSE_NO_CODEC },
  /* issue 19: redirects that lead nowhere */
  { "redirect-loop", 302, NULL, NULL, NULL, CONTACT_SELF, RTP_NONE, DD_SIP_CAUSE_REDIRECTED },
  { "redirect-nowhere", 301, NULL, NULL, NULL, NO_CONTACT, RTP_NONE, DD_SIP_CAUSE_REDIRECTED },
  /* broken SDP */
  { "garbage-sdp", 200, NULL, "hello\nthis is not\x01\x02 SDP at all\n", NULL, 0, RTP_NONE, -1 },
  { "truncated-sdp", 200, NULL, SDP_HEAD "m=aud", NULL, 0, RTP_NONE, -1 },
  { "huge-port", 200, NULL, SDP_HEAD "m=audio 99999999 RTP/AVP 0\n", NULL, 0, RTP_GOOD, -1 },
  { "negative-port", 200, NULL, SDP_HEAD "m=audio -5 RTP/AVP 0\n", NULL, 0, RTP_NONE, -1 },
  { "odd-payload-types", 200, NULL, SDP_HEAD "m=audio @PORT@ RTP/AVP 300 -1 00 0\n"
    "a=rtpmap:300 PCMU/8000\na=rtpmap:-1 PCMA/8000\na=rtpmap:00 PCMU/8000\n", NULL, 0,
    RTP_GOOD, -1 },
  { "ipv6-address", 200, NULL, "v=0\no=- 1 1 IN IP6 ::1\ns=-\nc=IN IP6 ::1\nt=0 0\n"
    "m=audio @PORT@ RTP/AVP 0\n", NULL, 0, RTP_GOOD, -1 },
  { "bad-connection", 200, NULL, "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 999.1.-1.x\n"
    "t=0 0\nm=audio @PORT@ RTP/AVP 0\n", NULL, 0, RTP_NONE, -1 },
  { "many-formats", 200, NULL, SDP_HEAD "m=audio @PORT@ RTP/AVP 1 2 3 4 5 6 7 9 10 11 12 13 "
    "14 15 16 17 18 96 97 98 99 100 101 102 103 104 105 106 107 108 109 110 8\n", NULL, 0,
    RTP_GOOD, -1 },
  { "lf-only", 200, NULL, SDP_PCMU, NULL, LF_ONLY, RTP_GOOD, -1 },
  /* broken messages */
  { "length-long", 200, NULL, SDP_PCMU, NULL, LENGTH_LONG, RTP_NONE, -1 },
  { "length-short", 200, NULL, SDP_PCMU, NULL, LENGTH_SHORT, RTP_NONE, -1 },
  { "no-to-tag", 200, NULL, SDP_PCMU, NULL, NO_TO_TAG, RTP_GOOD, -1 },
  { "no-contact", 200, NULL, SDP_PCMU, NULL, NO_CONTACT, RTP_GOOD, -1 },
  { "repeated-200", 200, NULL, SDP_PCMU, NULL, REPEAT_FINAL, RTP_GOOD, -1 },
  { "bye-soon", 200, NULL, SDP_PCMU, NULL, BYE_SOON, RTP_GOOD, DD_SIP_CAUSE_COMPLETED },
  { "rings-forever", 0, NULL, NULL, NULL, 0, RTP_NONE, DD_SIP_CAUSE_NO_ANSWER },
  { "early-forever", 0, SDP_PCMU, NULL, NULL, 0, RTP_MIXED, DD_SIP_CAUSE_NO_ANSWER },
  { "refused-488", 488, NULL, NULL, NULL, 0, RTP_NONE, DD_SIP_CAUSE_FAILED },
  /* mutated RTP */
  { "rtp-version", 200, NULL, SDP_PCMU, NULL, 0, RTP_BAD_VERSION, -1 },
  { "rtp-csrc", 200, NULL, SDP_PCMU, NULL, 0, RTP_CSRC, -1 },
  { "rtp-extension", 200, NULL, SDP_PCMU, NULL, 0, RTP_EXTENSION, -1 },
  { "rtp-padding", 200, NULL, SDP_PCMU, NULL, 0, RTP_PADDING, -1 },
  { "rtp-tiny", 200, NULL, SDP_PCMU, NULL, 0, RTP_TINY, -1 },
  { "rtp-random", 200, NULL, SDP_PCMU, NULL, RTCP_JUNK, RTP_RANDOM, -1 },
  { "rtp-dtmf", 200, NULL, SDP_PCMU, NULL, 0, RTP_DTMF_SHORT, -1 },
  { "rtp-mixed", 200, NULL, SDP_PCMU, NULL, RTCP_JUNK, RTP_MIXED, -1 },
};

typedef struct _Peer Peer;

typedef struct
{
  Peer           *peer;
  const Mutation *m;
  char           *user;         /* the callee's user part: mutation[.n] */
  char           *call_id;
  char           *vias;         /* the INVITE's Via lines, CRLF after each */
  char           *from;         /* the INVITE's From (with the caller's tag) */
  char           *to;           /* the INVITE's To (without a tag) */
  char           *cseq;         /* the INVITE's CSeq value */
  char           *contact;      /* the caller's Contact URI */
  char           *tag;
  char           *final;        /* the last final response, for retransmitted INVITEs */
  GSocketAddress *sip_addr;     /* where the caller's SIP is */
  GSocket        *rtp;
  GSource        *rtp_source;
  GSocketAddress *their_rtp;    /* from the offer */
  GSocketAddress *their_rtcp;
  guint           rtp_timer;
  guint           reinvite_timer;
  guint           bye_timer;
  guint16         seq;
  guint32         ts;
  guint           invites;
  gboolean        reinvited;
  gboolean        got_ack;
  gboolean        got_bye;
  gboolean        got_cancel;
  gboolean        sent_final;
  /* what came from the caller's RTP */
  guint           rtp_before_reinvite;
  guint           rtp_after_reinvite;
  int             first_pt;
  guint8          first_byte;
  gboolean        other_pt;     /* a payload type besides the first one came */
} PeerCall;

struct _Peer
{
  GSocket    *sip;
  GSource    *source;
  guint16     port;
  GHashTable *calls;            /* Call-ID → PeerCall */
  GRand      *rand;
};

static void
peer_call_stop (PeerCall *call)
{
  g_clear_handle_id (&call->rtp_timer, g_source_remove);
  g_clear_handle_id (&call->reinvite_timer, g_source_remove);
  g_clear_handle_id (&call->bye_timer, g_source_remove);
}

static void
peer_call_free (PeerCall *call)
{
  peer_call_stop (call);
  if (call->rtp_source != NULL)
    {
      g_source_destroy (call->rtp_source);
      g_source_unref (call->rtp_source);
    }
  g_clear_object (&call->rtp);
  g_clear_object (&call->sip_addr);
  g_clear_object (&call->their_rtp);
  g_clear_object (&call->their_rtcp);
  g_free (call->user);
  g_free (call->call_id);
  g_free (call->vias);
  g_free (call->from);
  g_free (call->to);
  g_free (call->cseq);
  g_free (call->contact);
  g_free (call->tag);
  g_free (call->final);
  g_free (call);
}

static const Mutation *
find_mutation (const char *user)
{
  g_autofree char *name = g_strdup (user);
  char *dot = strchr (name, '.');

  if (dot != NULL)
    *dot = '\0';
  for (guint i = 0; i < G_N_ELEMENTS (mutations); i++)
    if (strcmp (mutations[i].name, name) == 0)
      return &mutations[i];
  return NULL;
}

static PeerCall *
peer_find (Peer       *peer,
           const char *user)
{
  GHashTableIter iter;
  PeerCall *call;

  g_hash_table_iter_init (&iter, peer->calls);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &call))
    if (strcmp (call->user, user) == 0)
      return call;
  return NULL;
}

/* A header's value (the first one of that name), or NULL. */
static char *
header (const char *head,
        const char *name)
{
  g_auto(GStrv) lines = g_strsplit (head, "\r\n", -1);
  gsize len = strlen (name);

  for (guint i = 1; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], name, len) == 0 && lines[i][len] == ':')
      return g_strstrip (g_strdup (lines[i] + len + 1));
  return NULL;
}

static char *
via_lines (const char *head)
{
  g_auto(GStrv) lines = g_strsplit (head, "\r\n", -1);
  GString *vias = g_string_new (NULL);

  for (guint i = 1; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], "Via:", 4) == 0)
      g_string_append_printf (vias, "%s\r\n", lines[i]);
  return g_string_free (vias, FALSE);
}

static void
peer_send (Peer           *peer,
           GSocketAddress *to,
           const char     *text,
           gsize           len)
{
  /* the engine may be gone already: errors do not matter */
  (void) g_socket_send_to (peer->sip, to, text, len, NULL, NULL);
}

static char *
sdp_body (PeerCall   *call,
          const char *template)
{
  g_autoptr(GString) body = g_string_new (template);
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (call->rtp, NULL);
  g_autofree char *port = g_strdup_printf ("%u", g_inet_socket_address_get_port (
                                                   G_INET_SOCKET_ADDRESS (local)));

  g_string_replace (body, "@PORT@", port, 0);
  if (!(call->m->flags & LF_ONLY))
    g_string_replace (body, "\n", "\r\n", 0);
  return g_strdup (body->str);
}

/* A response to the INVITE (or, with @vias and @cseq, to another request). */
static char *
response (PeerCall   *call,
          guint       status,
          const char *reason,
          const char *vias,
          const char *cseq,
          const char *to,
          gboolean    tag,
          gboolean    contact,
          const char *body)
{
  GString *text = g_string_new (NULL);
  gsize len = body != NULL ? strlen (body) : 0;
  gsize said = len;

  if (body != NULL && (call->m->flags & LENGTH_LONG) && status >= 200)
    said = len + 400;
  if (body != NULL && (call->m->flags & LENGTH_SHORT) && status >= 200)
    said = len / 3;
  g_string_append_printf (text, "SIP/2.0 %u %s\r\n%sFrom: %s\r\nTo: %s", status, reason, vias,
                          call->from, to);
  if (tag && strstr (to, ";tag=") == NULL)
    g_string_append_printf (text, ";tag=%s", call->tag);
  g_string_append_printf (text, "\r\nCall-ID: %s\r\nCSeq: %s\r\n", call->call_id, cseq);
  if (contact)
    g_string_append_printf (text, "Contact: <sip:%s@127.0.0.1:%u>\r\n", call->user,
                            call->peer->port);
  if (body != NULL)
    g_string_append (text, "Content-Type: application/sdp\r\n");
  g_string_append_printf (text, "Content-Length: %zu\r\n\r\n%s", said, body != NULL ? body : "");
  return g_string_free (text, FALSE);
}

/* One RTP packet of @kind into @buf: its length. */
static gsize
make_rtp (PeerCall *call,
          RtpKind   kind,
          guint8   *buf)
{
  GRand *rand = call->peer->rand;
  gsize len = 12 + 160;
  guint8 pt = 0;

  if (kind == RTP_MIXED)
    kind = (RtpKind) g_rand_int_range (rand, RTP_GOOD, RTP_MIXED + 1);
  call->seq++;
  call->ts += 160;
  buf[0] = 0x80;
  switch (kind)
    {
    case RTP_MIXED:
      /* an odd payload type and size */
      pt = (guint8) g_rand_int_range (rand, 0, 128);
      len = 12 + (gsize) g_rand_int_range (rand, 0, 1400);
      for (gsize i = 12; i < len; i++)
        buf[i] = (guint8) g_rand_int_range (rand, 0, 256);
      break;
    case RTP_GOOD:
    case RTP_NONE:
      memset (buf + 12, 0xff, 160);
      break;
    case RTP_BAD_VERSION:
      buf[0] = (guint8) (g_rand_int_range (rand, 0, 2) == 0 ? 0x00 : g_rand_int_range (rand, 0, 2)
                         ? 0x40 : 0xc0);
      memset (buf + 12, 0xff, 160);
      break;
    case RTP_CSRC:
      buf[0] = 0x8f;
      len = 12 + (gsize) g_rand_int_range (rand, 0, 64);
      memset (buf + 12, 0x11, len - 12);
      break;
    case RTP_EXTENSION:
      buf[0] = 0x90;
      len = 16 + (gsize) g_rand_int_range (rand, 0, 24);
      buf[12] = 0xbe;
      buf[13] = 0xde;
      buf[14] = 0xff;
      buf[15] = (guint8) g_rand_int_range (rand, 0, 256);
      memset (buf + 16, 0x22, len - 16);
      break;
    case RTP_PADDING:
      buf[0] = 0xa0;
      len = 12 + (gsize) g_rand_int_range (rand, 1, 40);
      memset (buf + 12, 0xff, len - 12);
      buf[len - 1] = (guint8) g_rand_int_range (rand, (gint) len - 11, 256);
      break;
    case RTP_TINY:
      len = (gsize) g_rand_int_range (rand, 0, 12);
      for (gsize i = 0; i < len; i++)
        buf[i] = (guint8) g_rand_int_range (rand, 0, 256);
      return len;
    case RTP_RANDOM:
      len = (gsize) g_rand_int_range (rand, 0, 400);
      for (gsize i = 0; i < len; i++)
        buf[i] = (guint8) g_rand_int_range (rand, 0, 256);
      if (len > 0 && g_rand_boolean (rand))
        buf[0] = (buf[0] & 0x3f) | 0x80;
      return len;
    case RTP_DTMF_SHORT:
      pt = 101;
      len = 12 + (gsize) g_rand_int_range (rand, 0, 5);
      for (gsize i = 12; i < len; i++)
        buf[i] = (guint8) g_rand_int_range (rand, 0, 256);
      break;
    }
  buf[1] = pt | (g_rand_int_range (rand, 0, 8) == 0 ? 0x80 : 0);
  buf[2] = call->seq >> 8;
  buf[3] = call->seq & 0xff;
  buf[4] = call->ts >> 24;
  buf[5] = (call->ts >> 16) & 0xff;
  buf[6] = (call->ts >> 8) & 0xff;
  buf[7] = call->ts & 0xff;
  memcpy (buf + 8, (guint8[]) { 0xde, 0xad, 0xbe, 0xef }, 4);
  return len;
}

static gboolean
on_peer_rtp_timer (gpointer user_data)
{
  PeerCall *call = user_data;
  guint8 buf[1500];
  gsize len;

  if (call->their_rtp == NULL || call->got_bye || call->got_cancel)
    {
      call->rtp_timer = 0;
      return G_SOURCE_REMOVE;
    }
  len = make_rtp (call, call->m->rtp, buf);
  (void) g_socket_send_to (call->rtp, call->their_rtp, (const char *) buf, len, NULL, NULL);
  if ((call->m->flags & RTCP_JUNK) && call->their_rtcp != NULL)
    {
      len = (gsize) g_rand_int_range (call->peer->rand, 0, 200);
      for (gsize i = 0; i < len; i++)
        buf[i] = (guint8) g_rand_int_range (call->peer->rand, 0, 256);
      if (len > 1 && g_rand_boolean (call->peer->rand))
        {
          buf[0] = 0x80 | (buf[0] & 0x1f);
          buf[1] = (guint8) g_rand_int_range (call->peer->rand, 200, 205);
        }
      (void) g_socket_send_to (call->rtp, call->their_rtcp, (const char *) buf, len, NULL, NULL);
    }
  return G_SOURCE_CONTINUE;
}

static void
start_rtp (PeerCall *call)
{
  if (call->m->rtp != RTP_NONE && call->rtp_timer == 0 && !call->got_bye && !call->got_cancel)
    call->rtp_timer = g_timeout_add (20, on_peer_rtp_timer, call);
}

static gboolean
on_peer_rtp_in (GSocket      *socket,
                GIOCondition  condition,
                gpointer      user_data)
{
  PeerCall *call = user_data;
  guint8 buf[2048];
  gssize n;

  while ((n = g_socket_receive (socket, (char *) buf, sizeof buf, NULL, NULL)) >= 0)
    {
      int pt;

      if (n < 12)
        continue;
      pt = buf[1] & 0x7f;
      if (call->reinvited)
        call->rtp_after_reinvite++;
      else
        call->rtp_before_reinvite++;
      if (call->first_pt < 0)
        {
          call->first_pt = pt;
          call->first_byte = n > 12 ? buf[12] : 0;
        }
      else if (pt != call->first_pt)
        call->other_pt = TRUE;
    }
  return G_SOURCE_CONTINUE;
}

/* An in-dialog request from the peer (re-INVITE, ACK to its 200, BYE). */
static void
peer_request (PeerCall   *call,
              const char *method,
              guint       cseq,
              const char *body)
{
  g_autofree char *text = NULL;
  g_autofree char *branch = g_strdup_printf ("z9hG4bK-dd-%08x", g_rand_int (call->peer->rand));

  text = g_strdup_printf ("%s %s SIP/2.0\r\n"
                          "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=%s;rport\r\n"
                          "From: %s;tag=%s\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: %u %s\r\n"
                          "Contact: <sip:%s@127.0.0.1:%u>\r\nMax-Forwards: 70\r\n"
                          "%sContent-Length: %zu\r\n\r\n%s",
                          method, call->contact, call->peer->port, branch, call->to, call->tag,
                          call->from, call->call_id, cseq, method, call->user, call->peer->port,
                          body != NULL ? "Content-Type: application/sdp\r\n" : "",
                          body != NULL ? strlen (body) : 0, body != NULL ? body : "");
  peer_send (call->peer, call->sip_addr, text, strlen (text));
}

static gboolean
on_reinvite_timer (gpointer user_data)
{
  PeerCall *call = user_data;
  g_autofree char *body = sdp_body (call, call->m->reinvite_sdp);

  call->reinvite_timer = 0;
  if (call->got_bye)
    return G_SOURCE_REMOVE;
  call->reinvited = TRUE;
  peer_request (call, "INVITE", 1, body);
  if (call->m->flags & RTP_AFTER_REINVITE)
    start_rtp (call);
  if (call->m->flags & STOP_RTP_AT_REINVITE)
    g_clear_handle_id (&call->rtp_timer, g_source_remove);
  return G_SOURCE_REMOVE;
}

static gboolean
on_bye_timer (gpointer user_data)
{
  PeerCall *call = user_data;

  call->bye_timer = 0;
  if (!call->got_bye)
    peer_request (call, "BYE", 2, NULL);
  g_clear_handle_id (&call->rtp_timer, g_source_remove);
  return G_SOURCE_REMOVE;
}

/* Where the offer wants our RTP. */
static void
take_offer (PeerCall   *call,
            const char *body)
{
  g_auto(GStrv) lines = g_strsplit (body, "\n", -1);
  g_autofree char *address = NULL;
  guint port = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strchomp (lines[i]);
      if (g_str_has_prefix (lines[i], "c=IN IP4 "))
        {
          g_free (address);
          address = g_strdup (lines[i] + 9);
        }
      else if (g_str_has_prefix (lines[i], "m=audio "))
        port = (guint) g_ascii_strtoull (lines[i] + 8, NULL, 10);
    }
  if (address != NULL && port > 0 && port < 65535 && call->their_rtp == NULL)
    {
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);

      if (inet != NULL)
        {
          call->their_rtp = g_inet_socket_address_new (inet, (guint16) port);
          call->their_rtcp = g_inet_socket_address_new (inet, (guint16) (port + 1));
        }
    }
}

static void
answer_invite (PeerCall *call)
{
  const Mutation *m = call->m;
  gboolean tag = !(m->flags & NO_TO_TAG);
  g_autofree char *ringing = response (call, 180, "Ringing", call->vias, call->cseq, call->to,
                                       TRUE, TRUE, NULL);

  peer_send (call->peer, call->sip_addr, ringing, strlen (ringing));
  if (m->early_sdp != NULL)
    {
      g_autofree char *body = sdp_body (call, m->early_sdp);
      g_autofree char *early = response (call, 183, "Session Progress", call->vias, call->cseq,
                                         call->to, TRUE, TRUE, body);

      peer_send (call->peer, call->sip_addr, early, strlen (early));
      start_rtp (call);
    }
  if (m->final == 0)
    return;
  g_clear_pointer (&call->final, g_free);
  if (m->final >= 300 && m->final < 400)
    call->final = response (call, m->final, "Moved", call->vias, call->cseq, call->to, tag,
                            (m->flags & CONTACT_SELF) != 0, NULL);
  else if (m->final >= 300)
    call->final = response (call, m->final, "Not Acceptable Here", call->vias, call->cseq,
                            call->to, tag, FALSE, NULL);
  else
    {
      g_autofree char *body = m->sdp != NULL ? sdp_body (call, m->sdp) : NULL;

      call->final = response (call, m->final, "OK", call->vias, call->cseq, call->to, tag,
                              !(m->flags & NO_CONTACT), body);
    }
  for (guint i = 0; i < ((m->flags & REPEAT_FINAL) ? 3 : 1); i++)
    peer_send (call->peer, call->sip_addr, call->final, strlen (call->final));
  call->sent_final = TRUE;
  if (m->final >= 300)
    return;
  if (!(m->flags & RTP_AFTER_REINVITE))
    start_rtp (call);
  if (m->reinvite_sdp != NULL)
    call->reinvite_timer = g_timeout_add (300, on_reinvite_timer, call);
  if (m->flags & BYE_SOON)
    call->bye_timer = g_timeout_add (300, on_bye_timer, call);
}

static void
peer_handle (Peer           *peer,
             const char     *data,
             GSocketAddress *from)
{
  const char *split = strstr (data, "\r\n\r\n");
  g_autofree char *head = split != NULL ? g_strndup (data, split - data) : g_strdup (data);
  const char *body = split != NULL ? split + 4 : "";
  g_autofree char *call_id = header (head, "Call-ID");
  g_autofree char *cseq = header (head, "CSeq");
  g_autofree char *vias = via_lines (head);
  PeerCall *call = call_id != NULL ? g_hash_table_lookup (peer->calls, call_id) : NULL;

  if (call_id == NULL || cseq == NULL)
    return;
  if (g_str_has_prefix (data, "SIP/2.0 "))
    {
      /* the answer to the peer's re-INVITE: acknowledged */
      if (call != NULL && g_str_has_prefix (data, "SIP/2.0 2") && strstr (cseq, "INVITE") != NULL)
        peer_request (call, "ACK", 1, NULL);
      return;
    }
  if (g_str_has_prefix (data, "INVITE "))
    {
      g_autofree char *to = header (head, "To");

      if (call != NULL && strstr (to, ";tag=") != NULL)
        return;   /* no re-INVITEs expected from the engine */
      if (call != NULL && g_strcmp0 (call->cseq, cseq) == 0)
        {
          /* a retransmission: the same answer again */
          if (call->final != NULL)
            peer_send (peer, from, call->final, strlen (call->final));
          return;
        }
      if (call == NULL)
        {
          const char *uri = data + 7;
          const char *at = strchr (uri, '@');
          g_autofree char *user = NULL;
          g_autofree char *contact = header (head, "Contact");
          const Mutation *m;

          if (!g_str_has_prefix (uri, "sip:") || at == NULL)
            return;
          user = g_strndup (uri + 4, at - uri - 4);
          m = find_mutation (user);
          g_assert_nonnull (m);
          call = g_new0 (PeerCall, 1);
          call->peer = peer;
          call->m = m;
          call->user = g_steal_pointer (&user);
          call->call_id = g_strdup (call_id);
          call->tag = g_strdup_printf ("peer%08x", g_rand_int (peer->rand));
          call->from = header (head, "From");
          call->first_pt = -1;
          call->sip_addr = g_object_ref (from);
          if (contact != NULL)
            {
              char *lt = strchr (contact, '<');
              char *gt = lt != NULL ? strchr (lt, '>') : NULL;

              call->contact = lt != NULL && gt != NULL ? g_strndup (lt + 1, gt - lt - 1)
                                                       : g_strdup (contact);
            }
          call->rtp = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                    G_SOCKET_PROTOCOL_UDP, NULL);
          {
            g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
            g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);

            g_assert_true (g_socket_bind (call->rtp, any, TRUE, NULL));
          }
          g_socket_set_blocking (call->rtp, FALSE);
          call->rtp_source = g_socket_create_source (call->rtp, G_IO_IN, NULL);
          g_source_set_callback (call->rtp_source, G_SOURCE_FUNC (on_peer_rtp_in), call, NULL);
          g_source_attach (call->rtp_source, NULL);
          g_hash_table_insert (peer->calls, call->call_id, call);
        }
      /* a new INVITE in this call (a redirect followed): answered anew */
      call->invites++;
      g_free (call->vias);
      call->vias = g_steal_pointer (&vias);
      g_free (call->cseq);
      call->cseq = g_strdup (cseq);
      g_free (call->to);
      call->to = g_steal_pointer (&to);
      take_offer (call, body);
      answer_invite (call);
      return;
    }
  if (call == NULL)
    return;
  if (g_str_has_prefix (data, "ACK "))
    call->got_ack = TRUE;
  else if (g_str_has_prefix (data, "BYE "))
    {
      g_autofree char *to = header (head, "To");
      g_autofree char *text = response (call, 200, "OK", vias, cseq, to, FALSE, FALSE, NULL);

      call->got_bye = TRUE;
      peer_call_stop (call);
      peer_send (peer, from, text, strlen (text));
    }
  else if (g_str_has_prefix (data, "CANCEL "))
    {
      g_autofree char *text = response (call, 200, "OK", vias, cseq, call->to, TRUE, FALSE, NULL);
      g_autofree char *terminated = NULL;

      call->got_cancel = TRUE;
      peer_call_stop (call);
      peer_send (peer, from, text, strlen (text));
      terminated = response (call, 487, "Request Terminated", call->vias, call->cseq, call->to,
                             TRUE, FALSE, NULL);
      peer_send (peer, from, terminated, strlen (terminated));
    }
  else
    {
      g_autofree char *to = header (head, "To");
      g_autofree char *text = response (call, 200, "OK", vias, cseq, to, FALSE, FALSE, NULL);

      peer_send (peer, from, text, strlen (text));
    }
}

static gboolean
on_peer_sip (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  Peer *peer = user_data;
  char buf[8192];
  gssize n;

  for (;;)
    {
      g_autoptr(GSocketAddress) from = NULL;

      n = g_socket_receive_from (socket, &from, buf, sizeof buf - 1, NULL, NULL);
      if (n < 0)
        break;
      buf[n] = '\0';
      peer_handle (peer, buf, from);
    }
  return G_SOURCE_CONTINUE;
}

static Peer *
peer_new (guint32 seed)
{
  Peer *peer = g_new0 (Peer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  peer->rand = g_rand_new_with_seed (seed);
  peer->calls = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) peer_call_free);
  peer->sip = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP,
                            NULL);
  g_assert_true (g_socket_bind (peer->sip, any, TRUE, NULL));
  g_socket_set_blocking (peer->sip, FALSE);
  bound = g_socket_get_local_address (peer->sip, NULL);
  peer->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  peer->source = g_socket_create_source (peer->sip, G_IO_IN, NULL);
  g_source_set_callback (peer->source, G_SOURCE_FUNC (on_peer_sip), peer, NULL);
  g_source_attach (peer->source, NULL);
  return peer;
}

static void
peer_free (Peer *peer)
{
  g_source_destroy (peer->source);
  g_source_unref (peer->source);
  g_hash_table_unref (peer->calls);
  g_object_unref (peer->sip);
  g_rand_free (peer->rand);
  g_free (peer);
}

static void
run_for (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
}

typedef struct
{
  DdSipEventLog  collector;
  DdSipCore     *core;
  Peer          *peer;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->core = dd_sip_event_log_start_core (&f->collector);
  dd_sip_core_set_rtp_timeout (f->core, RTP_TIMEOUT_MS);
  dd_sip_core_set_max_call_length (f->core, MAX_CALL_MS);
  f->peer = peer_new (g_test_rand_int ());
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  dd_sip_core_stop (f->core);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  peer_free (f->peer);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  dd_sip_event_log_clear (&f->collector);
}

static guint
dial (Fixture    *f,
      const char *user)
{
  guint id = dd_sip_core_new_call_id (f->core);
  DdSipDialParams params = { 0 };
  g_autofree char *to = g_strdup_printf ("sip:%s@127.0.0.1:%u", user, f->peer->port);

  params.to_uri = to;
  params.from_name = "Biuro Windykacji";
  params.from_uri = "sip:office@127.0.0.1";
  params.contact_user = "office";
  params.ring_timeout_ms = RING_MS;
  dd_sip_core_dial (f->core, id, &params);
  return id;
}

/* Dials @user and waits for the end, which must come within the limits. */
static const DdSipEvent *
call_to_end (Fixture    *f,
             const char *user)
{
  guint id = dial (f, user);
  const DdSipEvent *ended = dd_sip_event_log_wait (&f->collector, id, DD_SIP_EVENT_ENDED,
                                                   RING_MS + MAX_CALL_MS + SLACK_MS);

  if (ended == NULL)
    g_error ("The call to %s did not end by itself", user);
  return ended;
}

/* The peer saw the BYE (within a second of the end). */
static void
assert_peer_got_bye (Fixture    *f,
                     const char *user)
{
  PeerCall *call = peer_find (f->peer, user);
  gint64 deadline = g_get_monotonic_time () + G_TIME_SPAN_SECOND;

  g_assert_nonnull (call);
  while (!call->got_bye && g_get_monotonic_time () < deadline)
    run_for (10);
  g_assert_true (call->got_bye);
}

/* Runs dunning-desk-cli call to @user: its JSON result (the CLI must end within @seconds). */
static JsonObject *
cli_call (Fixture    *f,
          const char *user,
          guint       seconds,
          const char *say,
          int        *exit_status)
{
  const char *cli = g_getenv ("DD_CLI");
  g_autofree char *to = g_strdup_printf ("sip:%s@127.0.0.1:%u", user, f->peer->port);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  gint64 deadline = g_get_monotonic_time () + seconds * G_TIME_SPAN_SECOND;
  const char *argv[] = { cli, "call", to, "--ring-timeout", "5", "--json",
                         say != NULL ? "--say" : NULL, say, NULL };

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  /* the peer lives in this main context: it runs while the CLI calls it */
  while (g_subprocess_get_identifier (process) != NULL && g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (2000);
    }
  if (g_subprocess_get_identifier (process) != NULL)
    {
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
      g_error ("dunning-desk-cli call %s did not end within %u s", user, seconds);
    }
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (process));
  *exit_status = g_subprocess_get_exit_status (process);
  {
    GInputStream *stream = g_subprocess_get_stdout_pipe (process);
    g_autoptr(GBytes) bytes = g_input_stream_read_bytes (stream, 65536, NULL, &error);

    g_assert_no_error (error);
    out = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  }
  g_test_message ("%s", out);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Issue 16 */

/* A 200 OK without an SDP answer to our offer: acknowledged, hung up (BYE), and said why —
 * by the engine and by the command line, at once. */
static void
test_no_sdp_answer (Fixture       *f,
                    gconstpointer  data)
{
  const DdSipEvent *ended;
  PeerCall *peer_call;
  gint64 start = g_get_monotonic_time ();

  ended = call_to_end (f, "no-sdp");
  g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_NO_MEDIA);
  g_assert_cmpstr (dd_sip_cause_to_string (ended->cause), ==, "no-media");
  g_assert_cmpuint (ended->status, ==, 200);
  g_assert_true (ended->local);
  g_assert_null (dd_sip_event_log_find (&f->collector, ended->call_id, DD_SIP_EVENT_ANSWERED));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_TIME_SPAN_SECOND);
  assert_peer_got_bye (f, "no-sdp");
  peer_call = peer_find (f->peer, "no-sdp");
  g_assert_true (peer_call->got_ack);

  if (g_getenv ("DD_CLI") != NULL)
    {
      int status = -1;
      g_autoptr(JsonObject) result = cli_call (f, "no-sdp.cli", 15, NULL, &status);

      g_assert_cmpstr (json_object_get_string_member (result, "cause"), ==, "no-media");
      g_assert_false (json_object_get_boolean_member (result, "answered"));
      g_assert_cmpint (status, ==, 1);
      assert_peer_got_bye (f, "no-sdp.cli");
    }
}

/* An answer that holds us (c=0.0.0.0), then a re-INVITE that resumes: our sound starts with
 * the re-INVITE, not before; the command line's prompt is played and the call completes. */
static void
test_hold_then_resume (Fixture       *f,
                       gconstpointer  data)
{
  const DdSipEvent *ended;
  PeerCall *peer_call;

  ended = call_to_end (f, "hold-resume");
  peer_call = peer_find (f->peer, "hold-resume");
  g_assert_cmpuint (peer_call->rtp_before_reinvite, ==, 0);
  g_assert_cmpuint (peer_call->rtp_after_reinvite, >, 20);
  g_assert_cmpint (peer_call->first_pt, ==, 0);
  /* the peer talks on after resuming: the call ends at its maximum length */
  g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_MAX_LENGTH);
  g_assert_true (ended->local);
  assert_peer_got_bye (f, "hold-resume");

  if (g_getenv ("DD_CLI") != NULL)
    {
      int status = -1;
      g_autoptr(JsonObject) result = cli_call (f, "hold-resume.cli", 20, "Dzień dobry.", &status);

      g_assert_true (json_object_get_boolean_member (result, "answered"));
      g_assert_cmpstr (json_object_get_string_member (result, "cause"), ==, "completed");
      g_assert_cmpint (status, ==, 0);
      peer_call = peer_find (f->peer, "hold-resume.cli");
      g_assert_cmpuint (peer_call->rtp_before_reinvite, ==, 0);
      g_assert_cmpuint (peer_call->rtp_after_reinvite, >, 20);
      assert_peer_got_bye (f, "hold-resume.cli");
    }
}

/* Held from the answer on and never resumed, the peer silent: the RTP timeout ends the call
 * although our media never started. */
static void
test_hold_forever (Fixture       *f,
                   gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();
  const DdSipEvent *ended = call_to_end (f, "hold-forever");
  PeerCall *peer_call = peer_find (f->peer, "hold-forever");

  g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_NETWORK_ERROR);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, RTP_TIMEOUT_MS * 1000);
  g_assert_cmpuint (peer_call->rtp_before_reinvite, ==, 0);
  assert_peer_got_bye (f, "hold-forever");
}

/* A peer that talks for ever: the maximum call length ends the call, with its own cause (the
 * engine's and DdSipEngine's, whose limits are set on it). */
static void
test_max_length (Fixture       *f,
                 gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();
  const DdSipEvent *ended = call_to_end (f, "talking");
  gint64 took = g_get_monotonic_time () - start;

  g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_MAX_LENGTH);
  g_assert_cmpstr (dd_sip_cause_to_string (ended->cause), ==, "max-length");
  g_assert_cmpint (took, >=, MAX_CALL_MS * 1000);
  g_assert_cmpint (took, <, (MAX_CALL_MS + 3000) * 1000);
  assert_peer_got_bye (f, "talking");

  /* the same through DdSipEngine, its limits set there, and said in words */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DdSipEngine) engine = NULL;
    g_autoptr(DdCall) call = NULL;
    g_autofree char *to = NULL;
    g_autofree char *words = NULL;
    DdCallOptions options = { 0 };

    /* one libre per process: the engine's replaces the fixture's */
    g_clear_pointer (&f->core, dd_sip_core_stop);
    engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
    g_assert_no_error (error);
    dd_sip_engine_set_call_limits (engine, RTP_TIMEOUT_MS, MAX_CALL_MS);
    to = g_strdup_printf ("sip:talking.engine@127.0.0.1:%u", f->peer->port);
    options.from_uri = "sip:office@127.0.0.1";
    options.ring_timeout_s = 5;
    call = g_object_ref (dd_sip_engine_dial (engine, to, &options));
    start = g_get_monotonic_time ();
    while (dd_call_get_state (call) != DD_CALL_STATE_ENDED &&
           g_get_monotonic_time () - start < (MAX_CALL_MS + SLACK_MS) * 1000)
      run_for (10);
    g_assert_cmpint (dd_call_get_state (call), ==, DD_CALL_STATE_ENDED);
    g_assert_cmpint (dd_call_get_end_cause (call), ==, DD_CALL_END_MAX_LENGTH);
    words = dd_call_describe_end (call);
    g_assert_cmpstr (words, ==, "Cut off at the maximum call length");
  }
}

/* Issue 17 */

/* After the call to @user ended: what the peer heard from us — the payload type of each packet
 * and the first byte of the first one (our silence: 0xff in µ-law, 0xd5 in A-law). */
static void
assert_heard (Fixture    *f,
              const char *user,
              int         pt,
              guint8      silence)
{
  PeerCall *call = peer_find (f->peer, user);

  g_assert_nonnull (call);
  g_assert_cmpuint (call->rtp_before_reinvite, >, 10);
  g_assert_cmpint (call->first_pt, ==, pt);
  g_assert_false (call->other_pt);
  g_assert_cmpuint (call->first_byte, ==, silence);
}

/* Answers with a static payload type and no a=rtpmap (legal SDP): PCMU for 0, PCMA for 8, by
 * number — no critical, the right law under the right type, the codec reported; a dynamic
 * type goes by its name. */
static void
test_static_payload_type (Fixture       *f,
                          gconstpointer  data)
{
  static const struct { const char *user; int pt; guint8 silence; const char *codec; } cases[] = {
    { "static-pcmu", 0, 0xff, "PCMU" },
    { "static-pcma", 8, 0xd5, "PCMA" },
    { "dynamic-pcma", 97, 0xd5, "PCMA" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const DdSipEvent *ended = call_to_end (f, cases[i].user);
      const DdSipEvent *answered = dd_sip_event_log_find (&f->collector, ended->call_id,
                                               DD_SIP_EVENT_ANSWERED);

      g_test_message ("%s", cases[i].user);
      g_assert_nonnull (answered);
      g_assert_cmpstr (answered->text, ==, cases[i].codec);
      assert_heard (f, cases[i].user, cases[i].pt, cases[i].silence);
    }
}

/* Issue 18 */

/* `m=audio P RTP/AVP 101 0` (telephone-event first): we speak PCMU under 0, and say so; an
 * answer with telephone-event alone, or refusing our audio (port 0), is acknowledged and hung up with
 * a cause of its own. */
static void
test_first_audio_codec (Fixture       *f,
                        gconstpointer  data)
{
  const DdSipEvent *ended = call_to_end (f, "tel-first");
  const DdSipEvent *answered = dd_sip_event_log_find (&f->collector, ended->call_id, DD_SIP_EVENT_ANSWERED);

  g_assert_nonnull (answered);
  g_assert_cmpstr (answered->text, ==, "PCMU");
  assert_heard (f, "tel-first", 0, 0xff);

  for (guint i = 0; i < 2; i++)
    {
      const char *user = (const char *[]) { "tel-only", "port-zero" }[i];

      g_test_message ("%s", user);
      ended = call_to_end (f, user);
      g_assert_cmpint (ended->cause, ==, DD_SIP_CAUSE_NO_CODEC);
      g_assert_cmpstr (dd_sip_cause_to_string (ended->cause), ==, "no-codec");
      g_assert_true (ended->local);
      g_assert_null (dd_sip_event_log_find (&f->collector, ended->call_id, DD_SIP_EVENT_ANSWERED));
      g_assert_true (peer_find (f->peer, user)->got_ack);
      assert_peer_got_bye (f, user);
    }
}

/* Issue 19 */

static void
on_engine_call_ended (DdCall   *call,
                      gpointer  user_data)
{
  gboolean *ended = user_data;

  *ended = TRUE;
}

/* A final 3xx — a redirect loop (each 302 points back at the peer), or one without a Contact —
 * ends the call with a cause and words, in the engine and in DdCall. */
static void
test_redirect (Fixture       *f,
               gconstpointer  data)
{
  static const struct { const char *user; guint status; } cases[] = {
    { "redirect-loop", 302 },
    { "redirect-nowhere", 301 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSipEngine) engine = NULL;
  g_autoptr(DdCall) call = NULL;
  g_autofree char *to = NULL;
  g_autofree char *words = NULL;
  DdCallOptions options = { 0 };
  gboolean ended = FALSE;
  gint64 deadline;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const DdSipEvent *event = call_to_end (f, cases[i].user);

      g_test_message ("%s", cases[i].user);
      g_assert_cmpint (event->cause, ==, DD_SIP_CAUSE_REDIRECTED);
      g_assert_cmpstr (dd_sip_cause_to_string (event->cause), ==, "redirected");
      g_assert_cmpuint (event->status, ==, cases[i].status);
    }
  /* libre follows a redirect: the loop was tried again and again before it gave up */
  g_assert_cmpuint (peer_find (f->peer, "redirect-loop")->invites, >, 2);

  /* one libre per process: the engine's replaces the fixture's */
  g_clear_pointer (&f->core, dd_sip_core_stop);
  engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_assert_no_error (error);
  to = g_strdup_printf ("sip:redirect-loop.engine@127.0.0.1:%u", f->peer->port);
  options.from_uri = "sip:office@127.0.0.1";
  options.ring_timeout_s = 5;
  call = g_object_ref (dd_sip_engine_dial (engine, to, &options));
  g_signal_connect (call, "ended", G_CALLBACK (on_engine_call_ended), &ended);
  deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (!ended && g_get_monotonic_time () < deadline)
    run_for (10);
  g_assert_true (ended);
  g_assert_cmpint (dd_call_get_end_cause (call), ==, DD_CALL_END_REDIRECTED);
  words = dd_call_describe_end (call);
  g_assert_cmpstr (words, ==, "Redirected, but to no reachable destination (302 Moved)");
}

/* The hostile peer: every mutation of the table, the random ones several times (their
 * randomness seeded by the test's seed), calls placed in batches at once. Each call must end
 * by itself within its limits (ring time, then RTP silence or the maximum call length) with
 * a cause; the expected one where the table names it. A critical aborts the test, and so does
 * a sanitizer report. */
#define HOSTILE_REPEATS 4
#define HOSTILE_BATCH   14

static void
test_hostile (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func (g_free);
  guint counts[32] = { 0 };
  DdSipCoreStats stats;

  for (guint i = 0; i < G_N_ELEMENTS (mutations); i++)
    {
      const Mutation *m = &mutations[i];
      gboolean random = m->rtp == RTP_RANDOM || m->rtp == RTP_MIXED || m->rtp == RTP_TINY ||
                        m->rtp == RTP_DTMF_SHORT || m->rtp == RTP_PADDING;

      for (guint r = 0; r < (random ? HOSTILE_REPEATS : 1); r++)
        g_ptr_array_add (users, g_strdup_printf ("%s.h%u", m->name, r));
    }
  g_test_message ("%u calls to the hostile peer", users->len);

  for (guint first = 0; first < users->len; first += HOSTILE_BATCH)
    {
      guint n = MIN (HOSTILE_BATCH, users->len - first);
      guint ids[HOSTILE_BATCH];
      gint64 start = g_get_monotonic_time ();
      gint64 deadline = start + (RING_MS + MAX_CALL_MS + SLACK_MS) * 1000;
      gboolean all_ended = FALSE;

      for (guint i = 0; i < n; i++)
        ids[i] = dial (f, g_ptr_array_index (users, first + i));
      while (!all_ended && g_get_monotonic_time () < deadline)
        {
          run_for (20);
          all_ended = TRUE;
          for (guint i = 0; i < n && all_ended; i++)
            all_ended = dd_sip_event_log_find (&f->collector, ids[i], DD_SIP_EVENT_ENDED) != NULL;
        }
      for (guint i = 0; i < n; i++)
        {
          const char *user = g_ptr_array_index (users, first + i);
          const Mutation *m = find_mutation (user);
          const DdSipEvent *ended = dd_sip_event_log_find (&f->collector, ids[i], DD_SIP_EVENT_ENDED);

          if (ended == NULL)
            g_error ("The call to %s did not end by itself within %u ms", user,
                     RING_MS + MAX_CALL_MS + SLACK_MS);
          g_test_message ("%s: %s (%u %s)", user, dd_sip_cause_to_string (ended->cause),
                          ended->status, ended->reason != NULL ? ended->reason : "");
          g_assert_cmpint (ended->cause, !=, DD_SIP_CAUSE_NONE);
          if (m->expect >= 0)
            g_assert_cmpint (ended->cause, ==, m->expect);
          if ((guint) ended->cause < G_N_ELEMENTS (counts))
            counts[ended->cause]++;
        }
    }
  for (guint c = 0; c < G_N_ELEMENTS (counts); c++)
    if (counts[c] > 0)
      g_test_message ("%-16s %u", dd_sip_cause_to_string ((DdSipCause) c), counts[c]);

  /* every call is over and forgotten by the engine */
  run_for (200);
  dd_sip_core_get_stats (f->core, &stats);
  g_assert_cmpuint (stats.calls_started, ==, users->len);
  g_assert_cmpuint (stats.calls_active, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/dd/sip-peer/no-sdp-answer", Fixture, NULL, fixture_setup, test_no_sdp_answer,
              fixture_teardown);
  g_test_add ("/dd/sip-peer/hold-then-resume", Fixture, NULL, fixture_setup,
              test_hold_then_resume, fixture_teardown);
  g_test_add ("/dd/sip-peer/hold-forever", Fixture, NULL, fixture_setup, test_hold_forever,
              fixture_teardown);
  g_test_add ("/dd/sip-peer/max-length", Fixture, NULL, fixture_setup, test_max_length,
              fixture_teardown);
  g_test_add ("/dd/sip-peer/static-payload-type", Fixture, NULL, fixture_setup,
              test_static_payload_type, fixture_teardown);
  g_test_add ("/dd/sip-peer/first-audio-codec", Fixture, NULL, fixture_setup,
              test_first_audio_codec, fixture_teardown);
  g_test_add ("/dd/sip-peer/redirect", Fixture, NULL, fixture_setup, test_redirect,
              fixture_teardown);
  g_test_add ("/dd/sip-peer/hostile", Fixture, NULL, fixture_setup, test_hostile,
              fixture_teardown);
  return g_test_run ();
}
