/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-sip-guard"

#include "config.h"

#include "dd-sip-guard.h"

#include <string.h>

#include <re.h>
#define DEBUG_MODULE "dd-sip-guard"
#define DEBUG_LEVEL  0
#include <re_dbg.h>

/*
 * libre 1.1 and a hostile peer, from our side (libre itself is not patched):
 *
 * - Its INVITE client transaction matches a response by Via branch and CSeq method only: a 2xx
 *   without Call-ID, or with another CSeq number, is taken for the answer. Its transaction
 *   layer is the first of the SIP stack's listeners (sip_alloc() adds it), so no sip_listen()
 *   of ours comes before it. What does come before it is a helper on the UDP socket
 *   (udp_register_helper()): it sees every datagram before libre decodes it. libre does not
 *   hand out its transport's socket, but every message it receives carries it (msg->sock):
 *   at start we send ourselves one datagram (a probe) and take the socket from it. Our own
 *   requests are known from the trace handler (their branch, Call-ID, CSeq, From tag).
 * - A forked INVITE answered twice or more: libre takes the first 2xx (the transaction is
 *   over then) and its sessions' listener swallows every later 2xx of another To tag without
 *   a word — not acknowledged, the callee retransmits it for 32 s and its phone stays
 *   "connected". A listener of ours before the sessions' acknowledges each such 2xx and hangs
 *   it up with a BYE (RFC 3261 13.2.2.4), by hand from the 2xx itself: sip_dialog_fork()
 *   cannot be used, it refuses a dialog that is already established.
 * - libre prints "sip: msg decode err" (UDP) and "unhandeled request/response" on stderr with
 *   re_fprintf(), not through its debug API. The UDP helper drops (and counts) a datagram that
 *   does not decode before libre sees it; listeners of ours after everyone else's take what
 *   nobody took. Its debug output (dbg_printf) goes to a handler of ours (dbg_handler_set).
 *   Over TCP libre closes a connection that sends what does not decode, silently.
 */

#define MEMORY_US  (40 * G_TIME_SPAN_SECOND)   /* 64 × T1 (32 s), and a margin */
#define PRUNE_US   G_TIME_SPAN_SECOND

struct _DdSipGuard
{
  struct sip      *sip;
  GMutex          *stats_lock;
  DdSipCoreStats  *stats;
  char            *probe_call_id;
  gboolean         udp_guarded;
  struct sip_lsnr *first_resp;
  struct sip_lsnr *first_req;
  struct sip_lsnr *last_resp;
  struct sip_lsnr *last_req;
  GHashTable      *sent;       /* "branch method" → Sent: our requests, a while (a CANCEL
                                * has its INVITE's branch) */
  GHashTable      *answered;   /* Call-ID → Answered: our INVITEs answered, a while */
  gint64           next_prune_us;
};

typedef struct
{
  char    *call_id;
  char    *from_tag;
  char    *method;
  guint32  cseq;
  gint64   until_us;
} Sent;

typedef struct
{
  char       *from_tag;
  char       *to_tag;     /* the answer libre took */
  GHashTable *refused;    /* To tags we acknowledged and hung up */
  gint64      until_us;
} Answered;

typedef enum
{
  COUNT_MALFORMED,
  COUNT_IGNORED,
  COUNT_FORK,
} Count;

static void
sent_free (Sent *sent)
{
  g_free (sent->call_id);
  g_free (sent->from_tag);
  g_free (sent->method);
  g_free (sent);
}

static void
answered_free (Answered *answered)
{
  g_free (answered->from_tag);
  g_free (answered->to_tag);
  g_hash_table_unref (answered->refused);
  g_free (answered);
}

static void
count (DdSipGuard *guard,
       Count       what)
{
  g_mutex_lock (guard->stats_lock);
  switch (what)
    {
    case COUNT_MALFORMED:
      guard->stats->sip_malformed++;
      break;
    case COUNT_IGNORED:
      guard->stats->sip_ignored++;
      break;
    case COUNT_FORK:
      guard->stats->forks_refused++;
      break;
    }
  g_mutex_unlock (guard->stats_lock);
}

static char *
pl_text (const struct pl *pl)
{
  return g_strndup (pl->p != NULL ? pl->p : "", pl->p != NULL ? pl->l : 0);
}

/* "address:port" of @sa, for the debug log. */
static char *
address_of (const struct sa *sa)
{
  char buf[128];

  if (re_snprintf (buf, sizeof buf, "%J", sa) < 0)
    return g_strdup ("?");
  return g_strdup (buf);
}

static void
prune (DdSipGuard *guard)
{
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer value;

  if (now < guard->next_prune_us)
    return;
  guard->next_prune_us = now + PRUNE_US;
  g_hash_table_iter_init (&iter, guard->sent);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Sent *) value)->until_us < now)
      g_hash_table_iter_remove (&iter);
  g_hash_table_iter_init (&iter, guard->answered);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Answered *) value)->until_us < now)
      g_hash_table_iter_remove (&iter);
}

/* libre's debug output */

static void
on_debug (int         level,
          const char *p,
          size_t      len,
          void       *arg)
{
  while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r'))
    len--;
  if (len > 0)
    g_debug ("libre (%s): %.*s", dbg_level_str (level), (int) len, p);
}

void
dd_sip_guard_route_debug (void)
{
  dbg_init (DBG_INFO, DBG_NONE);
  dbg_handler_set (on_debug, NULL);
}

/* Before libre: every datagram on the SIP socket */

/* Whether a response to one of our requests is one libre must not see: no Call-ID (every SIP
 * message has one), or the Call-ID, CSeq number or From tag of another request than the one
 * of its branch (libre's transaction compares the branch and the method only). */
static const char *
response_fault (DdSipGuard           *guard,
                const struct sip_msg *msg)
{
  g_autofree char *key = NULL;
  Sent *sent;

  if (!pl_isset (&msg->callid))
    return "no Call-ID";
  if (!pl_isset (&msg->cseq.met))
    return "no CSeq";
  if (!pl_isset (&msg->via.branch))
    return NULL;   /* no transaction of libre's takes it */
  key = g_strdup_printf ("%.*s %.*s", (int) msg->via.branch.l, msg->via.branch.p,
                         (int) msg->cseq.met.l, msg->cseq.met.p);
  sent = g_hash_table_lookup (guard->sent, key);
  if (sent == NULL)
    return NULL;   /* not ours: no transaction of libre's takes it either */
  if (msg->cseq.num != sent->cseq)
    return "the CSeq number of another request";
  if (pl_strcmp (&msg->callid, sent->call_id) != 0)
    return "the Call-ID of another call";
  if (pl_strcmp (&msg->from.tag, sent->from_tag) != 0)
    return "the From tag of another call";
  return NULL;
}

static bool
on_udp_datagram (struct sa   *src,
                 struct mbuf *mb,
                 void        *arg)
{
  DdSipGuard *guard = arg;
  size_t pos = mb->pos;
  struct stun_msg *stun = NULL;
  struct stun_unknown_attr ua;
  struct sip_msg *msg = NULL;
  const char *fault = NULL;
  int err;

  if (mbuf_get_left (mb) <= 4)
    return false;   /* libre drops it without a word */
  if (stun_msg_decode (&stun, mb, &ua) == 0)
    {
      /* a STUN keep-alive: libre's */
      mem_deref (stun);
      mb->pos = pos;
      return false;
    }
  mb->pos = pos;
  err = sip_msg_decode (&msg, mb);
  mb->pos = pos;
  if (err != 0)
    {
      g_autofree char *from = address_of (src);

      count (guard, COUNT_MALFORMED);
      g_debug ("Dropped %zu bytes from %s: no SIP message (%s)", mbuf_get_left (mb), from,
               g_strerror (err));
      return true;
    }
  if (!msg->req)
    fault = response_fault (guard, msg);
  if (fault != NULL)
    {
      g_autofree char *from = address_of (src);

      count (guard, COUNT_IGNORED);
      g_debug ("Ignored a %u response from %s: %s", msg->scode, from, fault);
    }
  mem_deref (msg);
  return fault != NULL;
}

/* The probe that gives us libre's UDP socket: a datagram to ourselves. */
static int
send_probe (DdSipGuard      *guard,
            const struct sa *laddr)
{
  struct udp_sock *us = NULL;
  struct mbuf *mb = NULL;
  struct sa local, dst = *laddr;
  int err;

  if (sa_is_any (&dst))
    err = sa_set_str (&dst, sa_af (laddr) == AF_INET6 ? "::1" : "127.0.0.1", sa_port (laddr));
  else
    err = 0;
  sa_init (&local, sa_af (&dst));
  if (err == 0)
    err = udp_listen (&us, &local, NULL, NULL);
  mb = mbuf_alloc (512);
  if (err == 0 && mb == NULL)
    err = ENOMEM;
  if (err == 0)
    err = mbuf_printf (mb,
                       "OPTIONS sip:probe@%J SIP/2.0\r\n"
                       "Via: SIP/2.0/UDP %J;branch=z9hG4bK%s\r\n"
                       "From: <sip:probe@%J>;tag=%s\r\n"
                       "To: <sip:probe@%J>\r\n"
                       "Call-ID: %s\r\n"
                       "CSeq: 1 OPTIONS\r\n"
                       "Max-Forwards: 0\r\n"
                       "Content-Length: 0\r\n\r\n",
                       &dst, &dst, guard->probe_call_id, &dst, guard->probe_call_id, &dst,
                       guard->probe_call_id);
  if (err == 0)
    {
      mb->pos = 0;
      err = udp_send (us, &dst, mb);
    }
  mem_deref (mb);
  mem_deref (us);
  return err;
}

/* Before the sessions: forks, and the probe */

typedef struct
{
  struct mbuf *routes;
  struct uri   next;
  gboolean     have_next;
} RouteSet;

static bool
on_record_route (const struct sip_hdr *hdr,
                 const struct sip_msg *msg,
                 void                 *arg)
{
  RouteSet *set = arg;
  struct sip_addr addr;

  if (!set->have_next && sip_addr_decode (&addr, &hdr->val) == 0)
    {
      set->next = addr.uri;
      set->have_next = TRUE;
    }
  (void) mbuf_printf (set->routes, "Route: %r\r\n", &hdr->val);
  return false;
}

/* A request in the dialog a 2xx of ours set up (RFC 3261 12.2.1.1): to its Contact, by its
 * Record-Route in reverse, our From, its To, the INVITE's Call-ID. */
static int
send_in_dialog_of (DdSipGuard           *guard,
                   const struct sip_msg *msg,
                   const char           *method,
                   guint32               cseq)
{
  const struct sip_hdr *contact = sip_msg_hdr (msg, SIP_HDR_CONTACT);
  struct sip_addr addr;
  RouteSet set = { 0 };
  char *target = NULL;
  int err;

  if (contact != NULL && sip_addr_decode (&addr, &contact->val) == 0)
    err = pl_strdup (&target, &addr.auri);
  else
    err = re_sdprintf (&target, "sip:%J", &msg->src);   /* no Contact: where it came from */
  set.routes = mbuf_alloc (256);
  if (err == 0 && set.routes == NULL)
    err = ENOMEM;
  if (err == 0)
    (void) sip_msg_hdr_apply (msg, false, SIP_HDR_RECORD_ROUTE, on_record_route, &set);
  if (err == 0)
    err = sip_requestf (NULL, guard->sip, strcmp (method, "ACK") != 0, method, target,
                        set.have_next ? &set.next : NULL, NULL, NULL, NULL, NULL,
                        "%bTo: %r\r\nFrom: %r\r\nCall-ID: %r\r\nCSeq: %u %s\r\n"
                        "Content-Length: 0\r\n\r\n",
                        set.routes->buf, set.routes->end, &msg->to.val, &msg->from.val,
                        &msg->callid, cseq, method);
  mem_deref (set.routes);
  mem_deref (target);
  return err;
}

static bool
on_response_first (const struct sip_msg *msg,
                   void                 *arg)
{
  DdSipGuard *guard = arg;
  g_autofree char *call_id = NULL;
  g_autofree char *to_tag = NULL;
  g_autofree char *from = NULL;
  Answered *answered;
  gboolean again;
  int err;

  if (msg->scode < 200 || msg->scode > 299 || pl_strcmp (&msg->cseq.met, "INVITE") != 0)
    return false;
  call_id = pl_text (&msg->callid);
  answered = g_hash_table_lookup (guard->answered, call_id);
  if (answered == NULL || pl_strcmp (&msg->from.tag, answered->from_tag) != 0
      || pl_strcmp (&msg->to.tag, answered->to_tag) == 0)
    return false;   /* not ours, or the answer we took again: libre acknowledges it again */

  /* another fork answered: acknowledge it (each time it comes), hang it up (once) */
  to_tag = pl_text (&msg->to.tag);
  again = g_hash_table_contains (answered->refused, to_tag);
  from = address_of (&msg->src);
  err = send_in_dialog_of (guard, msg, "ACK", msg->cseq.num);
  if (!again)
    {
      count (guard, COUNT_FORK);
      err |= send_in_dialog_of (guard, msg, "BYE", msg->cseq.num + 1);
      g_hash_table_add (answered->refused, g_steal_pointer (&to_tag));
    }
  g_debug ("A second answer (%u, To tag %.*s) from %s to a call already answered: "
           "acknowledged%s%s%s", msg->scode, (int) msg->to.tag.l, msg->to.tag.p, from,
           again ? " again" : " and hung up", err != 0 ? ": " : "",
           err != 0 ? g_strerror (err) : "");
  answered->until_us = g_get_monotonic_time () + MEMORY_US;
  return true;
}

static bool
on_request_first (const struct sip_msg *msg,
                  void                 *arg)
{
  DdSipGuard *guard = arg;

  if (pl_strcmp (&msg->callid, guard->probe_call_id) != 0)
    return false;
  if (msg->tp == SIP_TRANSP_UDP && !guard->udp_guarded)
    {
      int err = udp_register_helper (NULL, msg->sock, 0, NULL, on_udp_datagram, guard);

      guard->udp_guarded = err == 0;
      if (err != 0)
        g_debug ("The SIP socket cannot be guarded: %s", g_strerror (err));
    }
  return true;
}

/* After everyone else: what nobody took */

static bool
on_response_last (const struct sip_msg *msg,
                  void                 *arg)
{
  g_autofree char *from = address_of (&msg->src);

  g_debug ("A %u response from %s that nobody waits for (%.*s)", msg->scode, from,
           (int) msg->cseq.met.l, msg->cseq.met.p);
  return true;
}

static bool
on_request_last (const struct sip_msg *msg,
                 void                 *arg)
{
  DdSipGuard *guard = arg;
  g_autofree char *from = address_of (&msg->src);

  g_debug ("A %.*s request from %s outside any call", (int) msg->met.l, msg->met.p, from);
  if (pl_strcmp (&msg->met, "ACK") == 0)
    return true;
  if (pl_strcmp (&msg->met, "CANCEL") == 0)
    (void) sip_reply (guard->sip, msg, 481, "Transaction Does Not Exist");
  else
    (void) sip_reply (guard->sip, msg, 501, "Not Implemented");
  return true;
}

/* Our requests, from the trace */

void
dd_sip_guard_trace (DdSipGuard    *guard,
                    bool           tx,
                    const uint8_t *pkt,
                    size_t         len)
{
  struct mbuf *mb;
  struct sip_msg *msg = NULL;

  if (guard == NULL || !tx || len <= 4)
    return;
  mb = mbuf_alloc (len);
  if (mb == NULL)
    return;
  (void) mbuf_write_mem (mb, pkt, len);
  mb->pos = 0;
  if (sip_msg_decode (&msg, mb) == 0 && msg->req && pl_strcmp (&msg->met, "ACK") != 0
      && pl_isset (&msg->via.branch))
    {
      Sent *sent = g_new0 (Sent, 1);

      sent->call_id = pl_text (&msg->callid);
      sent->from_tag = pl_text (&msg->from.tag);
      sent->method = pl_text (&msg->met);
      sent->cseq = msg->cseq.num;
      sent->until_us = g_get_monotonic_time () + MEMORY_US;
      g_hash_table_replace (guard->sent,
                            g_strdup_printf ("%.*s %s", (int) msg->via.branch.l,
                                             msg->via.branch.p, sent->method),
                            sent);
    }
  mem_deref (msg);
  mem_deref (mb);
  prune (guard);
}

void
dd_sip_guard_note_answer (DdSipGuard           *guard,
                          const struct sip_msg *msg)
{
  Answered *answered;

  if (guard == NULL || msg == NULL || msg->req || msg->scode < 200 || msg->scode > 299
      || !pl_isset (&msg->callid))
    return;
  answered = g_new0 (Answered, 1);
  answered->from_tag = pl_text (&msg->from.tag);
  answered->to_tag = pl_text (&msg->to.tag);
  answered->refused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  answered->until_us = g_get_monotonic_time () + MEMORY_US;
  g_hash_table_replace (guard->answered, pl_text (&msg->callid), answered);
  prune (guard);
}

DdSipGuard *
dd_sip_guard_new (struct sip      *sip,
                  const struct sa *udp_laddr,
                  GMutex          *stats_lock,
                  DdSipCoreStats  *stats)
{
  DdSipGuard *guard = g_new0 (DdSipGuard, 1);
  int err;

  guard->sip = sip;
  guard->stats_lock = stats_lock;
  guard->stats = stats;
  guard->probe_call_id = g_strdup_printf ("dd-probe-%08x%08x", g_random_int (), g_random_int ());
  guard->sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) sent_free);
  guard->answered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) answered_free);
  err = sip_listen (&guard->first_resp, sip, false, on_response_first, guard);
  if (err == 0)
    err = sip_listen (&guard->first_req, sip, true, on_request_first, guard);
  if (err == 0 && udp_laddr != NULL)
    err = send_probe (guard, udp_laddr);
  if (err != 0)
    g_debug ("The SIP stack is not fully guarded: %s", g_strerror (err));
  return guard;
}

int
dd_sip_guard_add_last (DdSipGuard *guard)
{
  int err = sip_listen (&guard->last_resp, guard->sip, false, on_response_last, guard);

  if (err == 0)
    err = sip_listen (&guard->last_req, guard->sip, true, on_request_last, guard);
  return err;
}

void
dd_sip_guard_free (DdSipGuard *guard)
{
  if (guard == NULL)
    return;
  /* the UDP helper is the socket's (freed with it, never called again: re_main is over) */
  mem_deref (guard->first_resp);
  mem_deref (guard->first_req);
  mem_deref (guard->last_resp);
  mem_deref (guard->last_req);
  g_hash_table_unref (guard->sent);
  g_hash_table_unref (guard->answered);
  g_free (guard->probe_call_id);
  g_free (guard);
}
