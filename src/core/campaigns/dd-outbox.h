/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-campaign-audience.h"
#include "dd-contact-policy.h"
#include "dd-database.h"
#include "dd-store.h"

G_BEGIN_DECLS

/*
 * DdOutbox: the SMS outbox of DESIGN.md §5, nothing lost and nothing sent twice.
 *
 *   queued ──claim──▶ sending ──▶ sent ──▶ delivered | failed | expired
 *     ▲  │                │  └──▶ failed (final provider error)
 *     │  └─▶ cancelled    └─────▶ queued (retryable error, with a back-off in not_before;
 *     │                                   an account-wide one, uncounted, campaign paused;
 *     │                                   the back-off used up: waiting, DD_OUTBOX_WAITING)
 *
 * A message that met only passing errors (the provider unreachable, 5xx, time-outs) was never
 * accepted: it is not failed but waits, and the next start or resume sends it under the same
 * idempotency key, unless its case was closed, paid or opted out meanwhile.
 *
 * A message is claimed (state "sending", attempt counted) in a committed transaction
 * BEFORE its request goes out. After a crash the rows still "sending" are handed to the
 * dispatcher (dd_outbox_list_unsettled()), which asks the provider whether it accepted the
 * idempotency key before anything is sent again. Every transition that the debtor would
 * notice also lands in the case timeline (activity kind "sms").
 */

#define DD_OUTBOX_ERROR (dd_outbox_error_quark ())

typedef enum
{
  DD_OUTBOX_ERROR_NOT_FOUND,
  DD_OUTBOX_ERROR_STATE,
} DdOutboxError;

GQuark dd_outbox_error_quark (void);

typedef enum
{
  DD_MESSAGE_QUEUED,
  DD_MESSAGE_SENDING,
  DD_MESSAGE_SENT,
  DD_MESSAGE_DELIVERED,
  DD_MESSAGE_FAILED,
  DD_MESSAGE_EXPIRED,
  DD_MESSAGE_CANCELLED,
  DD_MESSAGE_N_STATES
} DdMessageState;

DD_DECLARE_ENUM_NAMES (DdMessageState, dd_message_state);

/* One message to put in the outbox. */
typedef struct
{
  gint64      case_id;        /* 0: none (a test message) */
  gint64      phone_id;       /* 0: none */
  const char *e164;
  const char *body;
  const char *encoding;       /* "gsm7", "ucs2" or NULL */
  guint       parts;          /* segments; 0 counts as 1 */
  const char *not_before;     /* UTC ISO 8601 or NULL: as soon as the campaign runs */
  const char *idempotency_key;/* NULL: "dd-<office id>-c<campaign>-<random>", unique per office
                               * and message; one message per phone (or case and number) and
                               * campaign */
} DdOutboxNew;

/* A claimed message, as the dispatcher sends it. */
typedef struct
{
  gint64  id;
  gint64  campaign_id;
  gint64  case_id;
  char   *idempotency_key;
  char   *e164;
  char   *sender;
  char   *body;
  char   *provider;         /* set for sent (awaiting report) and unsettled rows */
  char   *provider_id;
  guint   attempts;         /* including the current one */
  guint   parts;
} DdOutboxMessage;

void dd_outbox_message_free (DdOutboxMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdOutboxMessage, dd_outbox_message_free)

typedef struct
{
  guint queued;             /* including deferred ones */
  guint deferred;           /* queued with not_before in the future, except the waiting */
  guint waiting;            /* queued, waiting for an unreachable provider (DD_OUTBOX_WAITING) */
  guint failed_passing;     /* failed (before this state existed) on passing errors only, never
                             * accepted: dd_outbox_send_failed_again() may send them */
  guint sending;
  guint sent;
  guint delivered;
  guint failed;
  guint expired;
  guint cancelled;
  guint replies;            /* inbound replies to the campaign's messages */
  guint parts;              /* segments of all messages */
  gint64 cost_minor;        /* what the provider charged, where it said so */
} DdOutboxCounts;

#define DD_TYPE_OUTBOX (dd_outbox_get_type ())
DD_DECLARE_STORE (DdOutbox, dd_outbox, OUTBOX)

/* The office's random id (schema 7), which prefixes every idempotency key. */
char       *dd_outbox_get_office_id        (DdOutbox          *self,
                                            GError           **error);

/* Queues @items for @campaign_id (0: no campaign, e.g. a test message) in one transaction.
 * An item whose idempotency key is already in the outbox, or (with the default key) whose
 * phone already has a message of the campaign, is skipped (so a campaign can be prepared again
 * after a crash); @out_added counts the new rows. */
gboolean    dd_outbox_enqueue              (DdOutbox          *self,
                                            gint64             campaign_id,
                                            const char        *sender,
                                            const DdOutboxNew *items,
                                            guint              n_items,
                                            guint             *out_added,
                                            GError           **error);

/* Claims up to @limit queued messages that may go now (not_before ≤ @now, campaign
 * running or none), oldest first, and commits them as "sending" with the attempt counted.
 * One whose case was closed or paid, or whose debtor opted out, since it was queued is
 * cancelled instead (error code "case-settled") and not returned.
 * @campaign_id 0: any campaign. Returns a GPtrArray of DdOutboxMessage. */
GPtrArray  *dd_outbox_claim                (DdOutbox          *self,
                                            gint64             campaign_id,
                                            const char        *now,
                                            guint              limit,
                                            GError           **error);

/* What a provider said when it accepted a message. */
typedef struct
{
  const char  *provider;        /* the gateway's id */
  const char  *provider_id;     /* the message's id at the provider */
  guint        parts;           /* 0: as counted when it was queued */
  gint64       cost_minor;      /* < 0: not said */
  const char  *cost_currency;   /* NULL: not said */
} DdOutboxSent;

/* The provider accepted the message. */
gboolean    dd_outbox_mark_sent            (DdOutbox          *self,
                                            gint64             message_id,
                                            const DdOutboxSent *sent,
                                            GError           **error);
/* A retryable failure (timeout, 5xx, 429, reconciliation found nothing): back to queued,
 * not before @not_before. */
gboolean    dd_outbox_mark_retry           (DdOutbox          *self,
                                            gint64             message_id,
                                            const char        *not_before,
                                            const char        *error_code,
                                            const char        *error_text,
                                            GError           **error);
/* An account-wide refusal (token, credit, sender, IP filter): the claimed message goes back to
 * the queue as it was (its attempt uncounted), with the reason kept until it is sent. */
gboolean    dd_outbox_put_back             (DdOutbox          *self,
                                            gint64             message_id,
                                            const char        *error_code,
                                            const char        *error_text,
                                            GError           **error);
/* The provider's words for the newest message of @campaign_id put back or failed with
 * @error_code (*@out_text NULL: none). */
gboolean    dd_outbox_last_error           (DdOutbox          *self,
                                            gint64             campaign_id,
                                            const char        *error_code,
                                            char             **out_text,
                                            GError           **error);
/* The error code of a message that met only passing errors (the provider unreachable, 5xx,
 * time-outs) until its back-off was used up: never accepted, so not failed; it waits in the
 * queue (its campaign is not complete) until the next start of the sending or a resume
 * releases it (dd_outbox_release_waiting()), or its not_before comes. */
#define DD_OUTBOX_WAITING "provider-unreachable"

/* The back-off of @message_id is used up on passing errors: back to queued with
 * DD_OUTBOX_WAITING, not before @not_before, the provider's words in @error_text. */
gboolean    dd_outbox_mark_waiting         (DdOutbox          *self,
                                            gint64             message_id,
                                            const char        *not_before,
                                            const char        *error_text,
                                            GError           **error);
/* The messages waiting for an unreachable provider (@campaign_id 0: of every campaign) may be
 * claimed now; @out_released counts them. Their idempotency keys stay as they were, so one the
 * provider did accept before a lost answer is refused as a repeat, not delivered twice. One
 * whose case was closed, paid or opted out meanwhile is cancelled when it is claimed. */
gboolean    dd_outbox_release_waiting      (DdOutbox          *self,
                                            gint64             campaign_id,
                                            guint             *out_released,
                                            GError           **error);
/* The failed messages of @campaign_id that met only passing errors and were never accepted
 * (counted in failed_passing: given up on by an older version after its retries) wait again
 * as DD_OUTBOX_WAITING, due now, under their own keys; a completed campaign runs again. Those
 * the provider refused for good stay failed. @out_requeued counts them. */
gboolean    dd_outbox_send_failed_again    (DdOutbox          *self,
                                            gint64             campaign_id,
                                            guint             *out_requeued,
                                            GError           **error);
/* A final failure (invalid number, bad sender, a key this office never sent). */
gboolean    dd_outbox_mark_failed          (DdOutbox          *self,
                                            gint64             message_id,
                                            const char        *error_code,
                                            const char        *error_text,
                                            GError           **error);
/* A delivery report (polled or called back) for the message @provider knows as
 * @provider_id: @state is DELIVERED, FAILED or EXPIRED (SENT only records the check time). */
typedef struct
{
  const char      *provider;
  const char      *provider_id;
  DdMessageState   state;
  const char      *at;          /* when, as the provider says; NULL: now */
  const char      *error_code;  /* the provider's, or NULL */
} DdOutboxReport;

/* Records @report. Reports for messages already final are ignored (TRUE, and @out_changed
 * FALSE). */
gboolean    dd_outbox_mark_report          (DdOutbox             *self,
                                            const DdOutboxReport *report,
                                            gboolean             *out_changed,
                                            GError              **error);
/* Postpones a queued or claimed message (contact policy: outside the window or over a cap); a
 * claimed one goes back to the queue without counting the attempt. */
gboolean    dd_outbox_defer                (DdOutbox          *self,
                                            gint64             message_id,
                                            const char        *not_before,
                                            const char        *reason,
                                            GError           **error);

/* The contacts of the debtor of @case_id (any of the debtor's cases) since @since (Unix): sent
 * messages and placed calls, as DdContactEvent; *@out_zone (may be NULL) gets the debtor's
 * time zone, NULL for the office's. */
GArray     *dd_outbox_contact_history      (DdOutbox          *self,
                                            gint64             case_id,
                                            gint64             since,
                                            char             **out_zone,
                                            GError           **error);

#define DD_CONTACT_PLAN_HORIZON_DAYS 92

typedef struct
{
  guint allowed;     /* may go at the start */
  guint deferred;    /* wait for their debtor's window or caps */
  guint skipped;     /* not within DD_CONTACT_PLAN_HORIZON_DAYS */
} DdContactPlanCounts;

/* A dry run of @policy for one SMS per recipient (a GPtrArray of DdRecipient: its case and
 * debtor) at @at (Unix): what goes at once, what waits, what cannot go; several messages to
 * one debtor count against each other. */
gboolean    dd_outbox_plan_contacts        (DdOutbox               *self,
                                            const DdContactPolicy  *policy,
                                            GPtrArray              *recipients,
                                            gint64                  at,
                                            DdContactPlanCounts    *out_counts,
                                            GError                **error);

/* The contact policy changed: the messages it held back are looked at again. */
gboolean    dd_outbox_release_policy_holds (DdOutbox          *self,
                                            GError           **error);

/* Holds back every queued message of @campaign_id until @not_before (the campaign's sending
 * hours are closed); @out_deferred counts them. */
gboolean    dd_outbox_defer_campaign       (DdOutbox          *self,
                                            gint64             campaign_id,
                                            const char        *not_before,
                                            guint             *out_deferred,
                                            GError           **error);

/* Rows left "sending" (a crash between claim and answer): reconcile them first. Only those
 * no live desk holds (dd_claim_is_abandoned(): this process's, a process of this computer
 * that is gone, a desk elsewhere not heard of for DD_CLAIM_LEASE_SECONDS), taken over by
 * this process as they are listed. */
GPtrArray  *dd_outbox_list_unsettled       (DdOutbox          *self,
                                            GError           **error);
/* Says that this process still holds the messages it is sending (every
 * DD_CLAIM_HEARTBEAT_SECONDS while it sends). */
gboolean    dd_outbox_heartbeat            (DdOutbox          *self,
                                            const char        *now,
                                            GError           **error);
/* Sent messages of @provider still waiting for a report whose status was last checked
 * before @checked_before (or never), oldest first; the check time is set to @now. */
GPtrArray  *dd_outbox_take_awaiting_report (DdOutbox          *self,
                                            const char        *provider,
                                            const char        *checked_before,
                                            const char        *now,
                                            guint              limit,
                                            GError           **error);
/* An inbound SMS from @e164: counted as a reply to the newest message sent to that number
 * and written to its case's timeline (kind "sms-reply"); an opt-out keyword (STOP, NIE,
 * СТОП…, see dd_outbox_is_opt_out()) also sets the debtor's opt-out, which every later
 * campaign honours. @out_case_id: the case it was filed under (0: no message matched). */
gboolean    dd_outbox_record_reply         (DdOutbox          *self,
                                            const char        *e164,
                                            const char        *text,
                                            const char        *at,
                                            gint64            *out_case_id,
                                            gboolean          *out_opt_out,
                                            GError           **error);
/* The provider says the owner of @e164 asked it to stop messages (Twilio 21610): every debtor
 * with this number is marked opted out, as a STOP reply would. */
gboolean    dd_outbox_opt_out_number       (DdOutbox          *self,
                                            const char        *e164,
                                            GError           **error);
/* Whether an inbound text asks to stop messages: its first word, case-folded and without
 * punctuation, is one of STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, NIE, NIE CHCĘ,
 * WYPISZ, REZYGNUJĘ, СТОП, ОТПИСАТЬСЯ, ОТПИСКА, НЕТ. */
gboolean    dd_outbox_is_opt_out           (const char        *text);
/* A reply fetched from @provider, known there as @provider_id. */
typedef struct
{
  const char  *provider;
  const char  *provider_id;
  const char  *e164;          /* who wrote it */
  const char  *text;          /* NULL: empty */
  const char  *at;            /* NULL: now */
} DdOutboxFetchedReply;

/* Records @reply as dd_outbox_record_reply() does the first time it is seen, ignores it after
 * (*out_new FALSE). */
gboolean    dd_outbox_record_fetched_reply (DdOutbox                   *self,
                                            const DdOutboxFetchedReply *reply,
                                            gboolean                   *out_new,
                                            gboolean                   *out_opt_out,
                                            GError                    **error);
/* When the newest reply fetched from @provider arrived (UTC ISO 8601), or NULL. */
char       *dd_outbox_last_reply_at        (DdOutbox          *self,
                                            const char        *provider,
                                            GError           **error);

/* The newest messages @provider accepted (sent or delivered), newest first: for the test
 * inbox. A GPtrArray of DdOutboxMessage. */
GPtrArray  *dd_outbox_list_recent          (DdOutbox          *self,
                                            const char        *provider,
                                            guint              limit,
                                            GError           **error);

/* Queued messages of @campaign_id become cancelled. */
gboolean    dd_outbox_cancel_campaign      (DdOutbox          *self,
                                            gint64             campaign_id,
                                            guint             *out_cancelled,
                                            GError           **error);
gboolean    dd_outbox_get_counts           (DdOutbox          *self,
                                            gint64             campaign_id,
                                            DdOutboxCounts    *out_counts,
                                            GError           **error);
/* The earliest not_before of the queued messages of running campaigns (NULL: none, or
 * one is due now: "" ). For the dispatcher's timer. */
char       *dd_outbox_next_due             (DdOutbox          *self,
                                            GError           **error);

G_END_DECLS
