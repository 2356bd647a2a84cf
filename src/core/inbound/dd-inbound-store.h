/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-database.h"
#include "dd-store.h"

G_BEGIN_DECLS

/*
 * DdInboundStore: the office's inbound line and its queues (schema 23, issue 18).
 *
 *   queues       up to DD_INBOUND_MAX_QUEUES topic queues (payments, disputes, other…), each
 *                with a ring strategy, hold music, an announcement of the caller's position
 *                and expected wait every N seconds, a longest wait and what happens then
 *                (voicemail or a callback request)
 *   the line     which SIP account (by its name, see dd-sip-accounts.h) takes the office's
 *                calls, and which inbound call flow (ivr_flow id) they run
 *   calls        every call to the line, as the engine (services/dd-inbound-queue) records
 *                it: arrived → [queued → [answered]] → ended, with how it ended
 *   missed       the calls nobody answered (abandoned, out of hours, voicemail, callback
 *                requested), open until someone calls back: the UI's "Missed calls" list
 *   figures      service level (answered within DD_INBOUND_SERVICE_LEVEL_S of entering the
 *                queue), abandoned calls, average wait, per queue and per hour of the day,
 *                over a period
 *
 * A call's life, in store calls:
 *
 *   dd_inbound_store_call_arrived ()     the caller's number, the case it matches
 *   dd_inbound_store_call_queued ()      the flow put it into a queue
 *   dd_inbound_store_call_answered ()    a consultant took it
 *   dd_inbound_store_call_ended ()       with its outcome; a call that ends abandoned, in
 *                                        voicemail, as a callback request or out of hours
 *                                        also opens an entry in the missed list
 *
 * Times are Unix seconds (stored as ISO 8601 UTC text); the store's clock can be set for
 * tests. Everything works on SQLite and PostgreSQL alike.
 */

#define DD_INBOUND_MAX_QUEUES      3
/* A call answered within this many seconds of entering its queue counts for the service
 * level. */
#define DD_INBOUND_SERVICE_LEVEL_S 20
/* How many callers may wait on the line at once by default (dd_inbound_store_get_max_waiting),
 * and at most. */
#define DD_INBOUND_DEFAULT_MAX_WAITING 20
#define DD_INBOUND_MAX_MAX_WAITING     500
/* The limits a queue's settings must keep. */
#define DD_INBOUND_ANNOUNCE_MIN_S  10    /* announce_every_s: 0 (never) or at least this */
#define DD_INBOUND_MAX_WAIT_MIN_S  10
#define DD_INBOUND_MAX_WAIT_MAX_S  3600

#define DD_INBOUND_ERROR (dd_inbound_error_quark ())

typedef enum
{
  DD_INBOUND_ERROR_NOT_FOUND,    /* no such queue, call or missed-list entry */
  DD_INBOUND_ERROR_TOO_MANY,     /* a fourth queue */
  DD_INBOUND_ERROR_INVALID,      /* an empty name, a setting out of its limits */
  DD_INBOUND_ERROR_WRONG_STATE,  /* e.g. answering a call that has ended */
} DdInboundError;

GQuark dd_inbound_error_quark (void);

typedef enum
{
  DD_INBOUND_RING_ALL,           /* every free consultant rings; the first to answer takes it */
  DD_INBOUND_RING_LONGEST_IDLE,  /* the free consultant who has waited longest, one at a time */
} DdInboundRingStrategy;

typedef enum
{
  DD_INBOUND_ON_MAX_WAIT_CALLBACK,   /* the caller is told they will be called back */
  DD_INBOUND_ON_MAX_WAIT_VOICEMAIL,  /* the caller leaves a message (a sound file) */
} DdInboundOnMaxWait;

typedef enum
{
  DD_INBOUND_OUTCOME_NONE,               /* still going */
  DD_INBOUND_OUTCOME_ANSWERED,
  DD_INBOUND_OUTCOME_ABANDONED,          /* the caller hung up before anyone answered */
  DD_INBOUND_OUTCOME_VOICEMAIL,
  DD_INBOUND_OUTCOME_CALLBACK_REQUESTED,
  DD_INBOUND_OUTCOME_CLOSED_HOURS,       /* the flow's time switch said the office is closed */
  DD_INBOUND_OUTCOME_QUEUE_FULL,         /* refused (486 Busy Here): too many callers waiting */
} DdInboundOutcome;

/* "ring-all", "longest-idle" */
DD_DECLARE_ENUM_NAMES (DdInboundRingStrategy, dd_inbound_ring_strategy);
/* "callback", "voicemail" */
DD_DECLARE_ENUM_NAMES (DdInboundOnMaxWait, dd_inbound_on_max_wait);
/* NULL (none), "answered", "abandoned", "voicemail", "callback-requested", "closed-hours",
 * "queue-full" */
DD_DECLARE_ENUM_NAMES (DdInboundOutcome, dd_inbound_outcome);
/* Translated, for people ("Ring all", "Voicemail", "Hung up while waiting"…) */
const char *dd_inbound_ring_strategy_to_label    (DdInboundRingStrategy  strategy);
const char *dd_inbound_on_max_wait_to_label      (DdInboundOnMaxWait     action);
const char *dd_inbound_outcome_to_label          (DdInboundOutcome       outcome);

/* A queue. */
typedef struct
{
  gint64                 id;
  char                  *name;
  guint                  position;          /* the order in lists and the flow editor */
  DdInboundRingStrategy  strategy;
  char                  *hold_music;        /* a sound file; NULL: the default one shipped */
  guint                  announce_every_s;  /* 0: no announcements */
  guint                  max_wait_s;
  DdInboundOnMaxWait     on_max_wait;
} DdInboundQueue;

/* A queue with the defaults (ring all, default music, every 30 s, 300 s, callback). */
DdInboundQueue *dd_inbound_queue_new  (const char           *name);
DdInboundQueue *dd_inbound_queue_copy (const DdInboundQueue *queue);
void            dd_inbound_queue_free (DdInboundQueue       *queue);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdInboundQueue, dd_inbound_queue_free)
/* Whether the settings keep their limits; INVALID with a translated message if not. */
gboolean        dd_inbound_queue_validate (const DdInboundQueue *queue,
                                           GError              **error);

/* One call to the line. */
typedef struct
{
  gint64            id;
  char             *caller;       /* the number as received (From: user part) */
  char             *e164;         /* normalised, or NULL */
  gint64            case_id;      /* the case recognised by the number; 0: none */
  gint64            queue_id;     /* 0: never reached a queue */
  gint64            arrived_at;
  gint64            queued_at;    /* 0: never queued */
  gint64            answered_at;  /* 0: not answered */
  gint64            ended_at;     /* 0: still going */
  DdInboundOutcome  outcome;
  gint64            agent_id;     /* who answered; 0: nobody */
  char             *voicemail_path;
} DdInboundCall;

void dd_inbound_call_free (DdInboundCall *call);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdInboundCall, dd_inbound_call_free)

/* An entry of the missed calls & callback requests list. */
typedef struct
{
  gint64            id;
  gint64            call_id;
  DdInboundOutcome  kind;            /* ABANDONED, VOICEMAIL, CALLBACK_REQUESTED, CLOSED_HOURS */
  gboolean          done;            /* someone called back */
  gint64            created_at;
  gint64            done_at;         /* 0: open */
  gint64            done_by;         /* the agent who called back; 0: nobody (yet) */
  char             *done_by_name;    /* their name, or NULL */
  /* from the call */
  char             *caller;
  char             *e164;
  gint64            case_id;
  char             *debtor_name;     /* the case's debtor, or NULL */
  gint64            queue_id;
  char             *queue_name;      /* or NULL */
  gint64            arrived_at;
  guint             waited_s;        /* how long the caller waited in the queue */
  char             *voicemail_path;  /* VOICEMAIL: the recording */
} DdInboundMissed;

void dd_inbound_missed_free (DdInboundMissed *missed);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdInboundMissed, dd_inbound_missed_free)

/* Figures of one queue (queue_id 0: all queues) in one hour of the day (hour -1: all hours),
 * over a period. */
typedef struct
{
  gint64  queue_id;
  gint    hour;                /* 0..23 in the time zone asked for; -1: the whole day */
  guint   offered;             /* calls that entered the queue */
  guint   answered;
  guint   answered_in_sl;      /* answered within DD_INBOUND_SERVICE_LEVEL_S */
  guint   abandoned;           /* hung up while waiting */
  guint   overflowed;          /* reached the longest wait: voicemail or callback request */
  guint   closed;              /* out of hours (queue_id 0 only: they reach no queue) */
  guint   refused;             /* refused, too many callers waiting (queue_id 0 only) */
  double  service_level;       /* answered_in_sl / offered, 0..1; 0 when nothing offered */
  double  abandoned_rate;      /* abandoned / offered, 0..1 */
  double  average_wait_s;      /* over the answered calls: entering the queue → answer */
  double  average_abandon_s;   /* over the abandoned calls: entering the queue → hang-up */
  guint   longest_wait_s;      /* of every offered call */
} DdInboundFigures;

#define DD_TYPE_INBOUND_STORE (dd_inbound_store_get_type ())
DD_DECLARE_STORE (DdInboundStore, dd_inbound_store, INBOUND_STORE)
/* For tests: the time the store takes as now (Unix seconds); 0: the real clock. */
void             dd_inbound_store_set_clock      (DdInboundStore        *self,
                                                  gint64                 now);
gint64           dd_inbound_store_now            (DdInboundStore        *self);

/* --- queues --- */

/* The queues in their order (GPtrArray of DdInboundQueue). */
GPtrArray       *dd_inbound_store_list_queues    (DdInboundStore        *self,
                                                  GError               **error);
DdInboundQueue  *dd_inbound_store_get_queue      (DdInboundStore        *self,
                                                  gint64                 queue_id,
                                                  GError               **error);
/* Adds @queue (its id is ignored, its position becomes the last); TOO_MANY beyond
 * DD_INBOUND_MAX_QUEUES, INVALID when dd_inbound_queue_validate() fails. */
gboolean         dd_inbound_store_add_queue      (DdInboundStore        *self,
                                                  const DdInboundQueue  *queue,
                                                  gint64                *out_id,
                                                  GError               **error);
/* Saves the settings of @queue (by its id; position kept unless changed). */
gboolean         dd_inbound_store_update_queue   (DdInboundStore        *self,
                                                  const DdInboundQueue  *queue,
                                                  GError               **error);
/* Removes a queue; its past calls stay (their queue becomes none). */
gboolean         dd_inbound_store_remove_queue   (DdInboundStore        *self,
                                                  gint64                 queue_id,
                                                  GError               **error);

/* --- the line --- */

/* The SIP account that takes calls (NULL: none: the office takes no calls) and the inbound
 * flow (0: none: calls go straight into the first queue). */
gboolean         dd_inbound_store_get_line       (DdInboundStore        *self,
                                                  char                 **out_sip_account,
                                                  gint64                *out_ivr_flow_id,
                                                  GError               **error);
/* @sip_account NULL or empty: no account takes calls; @ivr_flow_id 0: no flow. */
gboolean         dd_inbound_store_set_line       (DdInboundStore        *self,
                                                  const char            *sip_account,
                                                  gint64                 ivr_flow_id,
                                                  GError               **error);

/* How many callers may wait on the line at once — in the call flow or a queue, not yet with a
 * consultant (DD_INBOUND_DEFAULT_MAX_WAITING until set); one more is refused. */
gboolean         dd_inbound_store_get_max_waiting (DdInboundStore       *self,
                                                  guint                 *out_max,
                                                  GError               **error);
/* INVALID (translated) outside 1..DD_INBOUND_MAX_MAX_WAITING. */
gboolean         dd_inbound_store_set_max_waiting (DdInboundStore       *self,
                                                  guint                  max,
                                                  GError               **error);

/* --- calls --- */

/* The case a caller's number belongs to: an open case of the debtor who has the phone
 * @e164, the one with the largest balance; 0 when none. */
gboolean         dd_inbound_store_match_case     (DdInboundStore        *self,
                                                  const char            *e164,
                                                  gint64                *out_case_id,
                                                  GError               **error);
/* A call arrives now from @caller (@e164: its normalised form or NULL; @case_id 0: not
 * recognised). */
gboolean         dd_inbound_store_call_arrived   (DdInboundStore        *self,
                                                  const char            *caller,
                                                  const char            *e164,
                                                  gint64                 case_id,
                                                  gint64                *out_call_id,
                                                  GError               **error);
/* The call enters @queue_id now. */
gboolean         dd_inbound_store_call_queued    (DdInboundStore        *self,
                                                  gint64                 call_id,
                                                  gint64                 queue_id,
                                                  GError               **error);
/* @agent_id (0: someone not in the agents list) answered the call now. */
gboolean         dd_inbound_store_call_answered  (DdInboundStore        *self,
                                                  gint64                 call_id,
                                                  gint64                 agent_id,
                                                  GError               **error);
/* The call ended now with @outcome (NONE is not an outcome; a call answered before ends
 * ANSWERED whatever is passed). ABANDONED, VOICEMAIL (with @voicemail_path),
 * CALLBACK_REQUESTED, CLOSED_HOURS and QUEUE_FULL open an entry in the missed list. Ending a call twice
 * is WRONG_STATE. */
gboolean         dd_inbound_store_call_ended     (DdInboundStore        *self,
                                                  gint64                 call_id,
                                                  DdInboundOutcome       outcome,
                                                  const char            *voicemail_path,
                                                  GError               **error);
/* A call refused at once because too many callers were waiting: recorded as arrived and
 * ended now, QUEUE_FULL, with an entry in the missed list (someone calls back). */
gboolean         dd_inbound_store_call_refused   (DdInboundStore        *self,
                                                  const char            *caller,
                                                  const char            *e164,
                                                  gint64                 case_id,
                                                  gint64                *out_call_id,
                                                  GError               **error);
DdInboundCall   *dd_inbound_store_get_call       (DdInboundStore        *self,
                                                  gint64                 call_id,
                                                  GError               **error);
/* The calls that arrived in [@from, @to), newest first (GPtrArray of DdInboundCall). */
GPtrArray       *dd_inbound_store_list_calls     (DdInboundStore        *self,
                                                  gint64                 from,
                                                  gint64                 to,
                                                  GError               **error);

/* --- missed calls & callback requests --- */

/* The entries, newest first (GPtrArray of DdInboundMissed); @open_only: only those nobody
 * called back yet. */
GPtrArray       *dd_inbound_store_list_missed    (DdInboundStore        *self,
                                                  gboolean               open_only,
                                                  GError               **error);
/* How many entries are open (for a badge). */
gboolean         dd_inbound_store_count_open     (DdInboundStore        *self,
                                                  guint                 *out_n,
                                                  GError               **error);
/* @agent_id (0: unknown) called back: the entry is done, now. Done twice is WRONG_STATE. */
gboolean         dd_inbound_store_missed_done    (DdInboundStore        *self,
                                                  gint64                 missed_id,
                                                  gint64                 agent_id,
                                                  GError               **error);
/* Reopens an entry marked done by mistake. */
gboolean         dd_inbound_store_missed_reopen  (DdInboundStore        *self,
                                                  gint64                 missed_id,
                                                  GError               **error);

/* --- figures --- */

/* The figures of the calls that arrived in [@from, @to), hours counted in @tz (NULL: local
 * time): a GPtrArray of DdInboundFigures (g_free), in this order: all queues all day
 * (queue_id 0, hour -1); each queue of the store all day, in the queues' order; then, for
 * all queues and for each queue, the hours 0..23 in which some call arrived. */
GPtrArray       *dd_inbound_store_figures        (DdInboundStore        *self,
                                                  gint64                 from,
                                                  gint64                 to,
                                                  GTimeZone             *tz,
                                                  GError               **error);
/* The expected wait, in seconds, for a caller at @position (1: next) of @queue_id: the
 * average wait of the calls answered in the last hour times the position, or
 * @fallback_s × position when there were none. */
gboolean         dd_inbound_store_expected_wait  (DdInboundStore        *self,
                                                  gint64                 queue_id,
                                                  guint                  position,
                                                  guint                  fallback_s,
                                                  guint                 *out_wait_s,
                                                  GError               **error);

G_END_DECLS
