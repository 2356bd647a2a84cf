/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-campaign-audience.h"
#include "dd-contact-policy.h"
#include "dd-store.h"

G_BEGIN_DECLS

/*
 * DdCallAttempts: the calls of voice campaigns (table call_attempt, schema 11), nothing lost
 * and no debtor called twice inside the campaign's interval (DESIGN.md §5):
 *
 *   scheduled ──claim──▶ dialing ──▶ answered ──▶ completed | no-answer (dead air)
 *       ▲                  │  └────────────────▶ no-answer | busy | rejected | failed |
 *       │                  │                      unreachable | invalid | cancelled
 *       │                  └── (crash) ────────▶ unknown
 *       └──────── the retry policy: a new scheduled row for the same number ◀──┘
 *
 * A campaign's audience becomes one scheduled row per number (dd_call_attempts_plan()). A row
 * is claimed ("dialing", its line, caller ID and start written) in a committed transaction
 * BEFORE the INVITE leaves. At the next start, rows still "dialing" were cut off by a crash:
 * dd_call_attempts_recover() settles them "unknown" (the call may have rung) and their
 * number's next attempt waits the campaign's interval from that call's start. Settling an
 * attempt writes its outcome, a "call" activity on the case's timeline and, when the retry
 * policy allows another call, the next scheduled row, in one transaction.
 *
 * The retry policy is the campaign's (dd_campaign_store_set_voice()): at most max_attempts
 * calls to a number, at most attempts_per_day of them on one calendar day (of the store's
 * time zone), more than interval_s between the starts of two calls to one number or debtor
 * (times are whole seconds: the next call waits interval_s + 1 after the stored start);
 * the contact policy (windows, caps) holds a claim back until it allows a call. A call that
 * reached its goal is not repeated: answered and heard to the end, a payment declared, a
 * transfer to a consultant, a voicemail left; nor a number that does not exist. A call picked
 * up on which the callee sent no sound and pressed no key (dead air: the runner's rule in
 * dd-voice-campaign.c) is settled "no-answer" with the result "silent" and its answer time:
 * retried as an unanswered call, not counted as heard.
 *
 * Times are Unix seconds passed in by the caller (no clock is read), so tests drive it with
 * a fake clock.
 */

#define DD_CALL_ATTEMPTS_ERROR (dd_call_attempts_error_quark ())

typedef enum
{
  DD_CALL_ATTEMPTS_ERROR_NOT_FOUND,
  DD_CALL_ATTEMPTS_ERROR_STATE,
} DdCallAttemptsError;

GQuark dd_call_attempts_error_quark (void);

typedef enum
{
  DD_CALL_ATTEMPT_SCHEDULED,
  DD_CALL_ATTEMPT_DIALING,
  DD_CALL_ATTEMPT_ANSWERED,
  DD_CALL_ATTEMPT_COMPLETED,
  DD_CALL_ATTEMPT_NO_ANSWER,
  DD_CALL_ATTEMPT_BUSY,
  DD_CALL_ATTEMPT_REJECTED,
  DD_CALL_ATTEMPT_FAILED,
  DD_CALL_ATTEMPT_UNREACHABLE,
  DD_CALL_ATTEMPT_INVALID,
  DD_CALL_ATTEMPT_CANCELLED,
  DD_CALL_ATTEMPT_UNKNOWN,
  DD_CALL_ATTEMPT_N_STATES
} DdCallAttemptState;

DD_DECLARE_ENUM_NAMES (DdCallAttemptState, dd_call_attempt_state);
/* Translated ("No answer", "Busy"…). */
const char *dd_call_attempt_state_to_label    (DdCallAttemptState  state);

typedef enum
{
  DD_ANSWERED_BY_NONE,       /* not answered */
  DD_ANSWERED_BY_PERSON,
  DD_ANSWERED_BY_MACHINE,    /* an answering machine or voicemail */
  DD_ANSWERED_BY_UNKNOWN,    /* answered; nobody could tell */
} DdAnsweredBy;

const char *dd_answered_by_to_string (DdAnsweredBy by);

typedef struct
{
  gint64              id;
  gint64              campaign_id;
  gint64              case_id;
  gint64              debtor_id;
  gint64              phone_id;
  char               *e164;
  guint               attempt_no;
  DdCallAttemptState  state;
  char               *line;
  char               *caller_id;
  char               *scheduled_at;   /* UTC ISO 8601, as all the times */
  char               *started_at;
  char               *answered_at;
  char               *ended_at;
  guint               sip_status;
  char               *sip_reason;
  char               *cause;          /* how it ended ("busy", "completed"…) */
  DdAnsweredBy        answered_by;
  char               *ivr_path;       /* the flow's trace: "greeting:done menu:1 …" */
  char               *keys;
  gboolean            heard_to_end;
  char               *transfer;       /* NULL, "answered" or "no-agent" */
  gint64              declaration_id;
  char               *result;         /* what the call came to: see DdCallOutcome */
  GArray             *covers;         /* gint64: the cases the call speaks of, its own first
                                       * (a ladder call: all the debtor's cases of the step);
                                       * never NULL, at least @case_id when it has one */
} DdCallAttempt;

void dd_call_attempt_free (DdCallAttempt *attempt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdCallAttempt, dd_call_attempt_free)

/* What a call came to, as the runner saw it. */
typedef struct
{
  DdCallAttemptState  state;          /* final: COMPLETED for an answered call, else why not */
  guint               sip_status;
  const char         *sip_reason;
  const char         *cause;
  gint64              answered_at;    /* Unix; 0: not answered */
  DdAnsweredBy        answered_by;
  const char         *ivr_path;
  const char         *keys;
  gboolean            heard_to_end;   /* the flow ended the call itself, after its messages */
  const char         *transfer;
  gint64              declaration_id; /* 0: none */
  /* "declared", "declaration-refused" (keyed, but the case store's rules refused the date or
   * amount), "heard", "hung-up", "machine", "voicemail", "transferred", "callback",
   * "silent" (state NO_ANSWER after an answer: dead air), …
   * (NULL: the state's name) */
  const char         *result;
} DdCallOutcome;

typedef struct
{
  guint scheduled;      /* waiting, due or not */
  guint dialing;        /* dialing or answered: on the line now */
  guint completed;      /* answered calls that ended */
  guint not_reached;    /* no answer, busy, rejected, failed, unreachable, invalid, unknown */
  guint cancelled;
  guint declared;       /* calls that ended with a payment declaration */
  guint machines;       /* answered by a machine */
  guint numbers;        /* numbers in the campaign */
  guint numbers_done;   /* numbers with no call left to make */
} DdCallCounts;

#define DD_TYPE_CALL_ATTEMPTS (dd_call_attempts_get_type ())
DD_DECLARE_STORE (DdCallAttempts, dd_call_attempts, CALL_ATTEMPTS)
/* The zone whose calendar days attempts_per_day counts (default: local). */
void            dd_call_attempts_set_time_zone   (DdCallAttempts         *self,
                                                  GTimeZone              *zone);

/* One scheduled attempt per recipient (a GPtrArray of DdRecipient) of @campaign_id, not
 * before @not_before; a number the campaign already has is skipped (@out_added counts the
 * new rows). */
gboolean        dd_call_attempts_plan            (DdCallAttempts         *self,
                                                  gint64                  campaign_id,
                                                  GPtrArray              *recipients,
                                                  gint64                  not_before,
                                                  guint                  *out_added,
                                                  GError                **error);
/* One scheduled attempt for @recipient in @campaign_id, not before @not_before, planned under
 * @key (the ladder's "ladder-<case>-s<step>"): a key is planned once, in whatever campaign,
 * so handing the same work over again plans nothing. @case_ids (@n_cases, may be 0): all the
 * cases the call speaks of, @recipient's case among them (see DdCallAttempt.covers).
 * @out_attempt_id: the new attempt, or 0 when @key was planned already. */
gboolean        dd_call_attempts_plan_keyed      (DdCallAttempts         *self,
                                                  gint64                  campaign_id,
                                                  const DdRecipient      *recipient,
                                                  const gint64           *case_ids,
                                                  guint                   n_cases,
                                                  const char             *key,
                                                  gint64                  not_before,
                                                  gint64                 *out_attempt_id,
                                                  GError                **error);
/* Settles the attempts a crash left "dialing" as "unknown" and schedules their numbers'
 * next attempts (no sooner than the interval after their start); @out_n: how many. Only
 * those no live desk holds (dd_claim_is_abandoned(): on a shared database another desk may
 * be on those calls). */
gboolean        dd_call_attempts_recover         (DdCallAttempts         *self,
                                                  gint64                  now,
                                                  guint                  *out_n,
                                                  GError                **error);
/* Says that this process still holds the calls it is on (every DD_CLAIM_HEARTBEAT_SECONDS). */
gboolean        dd_call_attempts_heartbeat       (DdCallAttempts         *self,
                                                  gint64                  now,
                                                  GError                **error);
/* Claims the next due attempt of running campaign @campaign_id (scheduled at or before
 * @now, its number and debtor not called within the interval nor on the line, @policy
 * allowing a call — NULL: no contact policy), commits it "dialing" with @line and
 * @caller_id (nullable), and returns it; NULL without @error when none is due now. Attempts
 * the contact policy holds back are moved to when it allows them. */
DdCallAttempt  *dd_call_attempts_claim_next      (DdCallAttempts         *self,
                                                  gint64                  campaign_id,
                                                  gint64                  now,
                                                  const DdContactPolicy  *policy,
                                                  const char             *line,
                                                  const char             *caller_id,
                                                  GError                **error);
gboolean        dd_call_attempts_mark_answered   (DdCallAttempts         *self,
                                                  gint64                  attempt_id,
                                                  gint64                  at,
                                                  GError                **error);
/* Puts a claimed attempt back as it was before the claim ("scheduled" at its time, no start,
 * no line): a call that never reached the debtor because the line itself failed (its login
 * refused) is not counted against them. */
gboolean        dd_call_attempts_release         (DdCallAttempts         *self,
                                                  gint64                  attempt_id,
                                                  GError                **error);
/* Writes the outcome of a claimed attempt, its activity on the case, and its number's next
 * attempt when the retry policy gives one (@out_next_id: its id, 0 for none). STATE error
 * for an attempt not claimed. */
gboolean        dd_call_attempts_settle          (DdCallAttempts         *self,
                                                  gint64                  attempt_id,
                                                  const DdCallOutcome    *outcome,
                                                  gint64                  now,
                                                  gint64                 *out_next_id,
                                                  GError                **error);
/* When the next scheduled attempt of @campaign_id is due (Unix); FALSE in @out_any when
 * none is scheduled. */
gboolean        dd_call_attempts_next_due        (DdCallAttempts         *self,
                                                  gint64                  campaign_id,
                                                  gint64                 *out_at,
                                                  gboolean               *out_any,
                                                  GError                **error);
gboolean        dd_call_attempts_get_counts      (DdCallAttempts         *self,
                                                  gint64                  campaign_id,
                                                  DdCallCounts           *out_counts,
                                                  GError                **error);
/* Every attempt of @campaign_id (a GPtrArray of DdCallAttempt), by number then attempt. */
GPtrArray      *dd_call_attempts_list            (DdCallAttempts         *self,
                                                  gint64                  campaign_id,
                                                  GError                **error);
DdCallAttempt  *dd_call_attempts_get             (DdCallAttempts         *self,
                                                  gint64                  attempt_id,
                                                  GError                **error);

/* Unix seconds ↔ the stored "YYYY-MM-DDTHH:MM:SSZ". */
char           *dd_call_attempts_format_time     (gint64                  unix_time);
gint64          dd_call_attempts_parse_time      (const char             *text);

G_END_DECLS
