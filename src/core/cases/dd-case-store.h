/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dd-database.h"
#include "dd-store.h"
#include "dd-types.h"

G_BEGIN_DECLS

#define DD_CASE_STORE_ERROR (dd_case_store_error_quark ())

typedef enum
{
  DD_CASE_STORE_ERROR_NOT_FOUND,    /* no such case (or agent) */
  DD_CASE_STORE_ERROR_PERMISSION,   /* the agent's role may not do this (closing: managers) */
  DD_CASE_STORE_ERROR_INVALID,      /* missing or wrong input (date, amount…) */
  DD_CASE_STORE_ERROR_PAST,         /* a promised date or contact time already gone */
  DD_CASE_STORE_ERROR_TOO_FAR,      /* a promised date beyond the office's limit */
  DD_CASE_STORE_ERROR_ABOVE_BALANCE,/* a declared amount above the balance, not confirmed */
} DdCaseStoreError;

/* Database failures come as DD_DATABASE_ERROR. */

GQuark dd_case_store_error_quark (void);

typedef enum
{
  DD_CASE_STATUS_NEW,
  DD_CASE_STATUS_CALL_LATER,
  DD_CASE_STATUS_NO_ANSWER,
  DD_CASE_STATUS_PAYMENT_DECLARATION,
  DD_CASE_STATUS_CLOSED,
} DdCaseStatus;

DD_DECLARE_ENUM_NAMES (DdCaseStatus, dd_case_status);
/* Translated name for people ("Call later"). */
const char   *dd_case_status_to_label    (DdCaseStatus status);

#define DD_TYPE_CASE_STORE (dd_case_store_get_type ())
DD_DECLARE_STORE (DdCaseStore, dd_case_store, CASE_STORE)

/* How far ahead a payment may be promised, in days from today (the office setting
 * "declaration-max-days"; 90 by default). */
void         dd_case_store_set_max_promise_days (DdCaseStore  *self,
                                                 guint         days);
guint        dd_case_store_get_max_promise_days (DdCaseStore  *self);
/* For tests: the time the checks take as now (UTC ISO 8601) and today ("YYYY-MM-DD");
 * NULL = the real clock (today in local time). */
void         dd_case_store_set_clock            (DdCaseStore  *self,
                                                 const char   *now,
                                                 const char   *today);

/* Number of cases (all statuses) and open ones (not Closed). */
gboolean     dd_case_store_count                (DdCaseStore  *self,
                                                 gint64       *out_total,
                                                 gint64       *out_open,
                                                 GError      **error);

/* The stored name of the creditor of the office's own receivables (rows imported without a
 * creditor): the same key in every language, shown translated by dd_creditor_display_name(). */
#define DD_CREDITOR_OWN_RECEIVABLES "Own receivables"
/* The name of a creditor as the user reads it: @stored_name, or the own receivables in the
 * user's language. */
const char  *dd_creditor_display_name           (const char   *stored_name);

/* Find or create the creditor called @name. */
gboolean     dd_case_store_ensure_creditor      (DdCaseStore  *self,
                                                 const char   *name,
                                                 gint64       *out_id,
                                                 GError      **error);
/* Find or create the case of @debtor_id with @creditor_id, marking it as seen by @run_id. */
gboolean     dd_case_store_upsert_case          (DdCaseStore    *self,
                                                 gint64          debtor_id,
                                                 gint64          creditor_id,
                                                 const char     *currency,
                                                 gint64          run_id,
                                                 gint64         *out_id,
                                                 DdUpsertResult *out_result,
                                                 GError        **error);

typedef struct
{
  const char *invoice_no;
  const char *issued_on;      /* YYYY-MM-DD or NULL */
  const char *due_on;         /* YYYY-MM-DD or NULL */
  gint64      amount_minor;
  const char *currency;
} DdLiabilityRecord;

/* Inserts the liability or updates the one with the same invoice number in the case.
 * DD_UPSERT_SEEN means the invoice was already given earlier in the same run (a
 * duplicate row): nothing is changed then. A liability seen again is no longer paid. */
gboolean     dd_case_store_upsert_liability     (DdCaseStore              *self,
                                                 gint64                    case_id,
                                                 const DdLiabilityRecord  *record,
                                                 gint64                    run_id,
                                                 DdUpsertResult           *out_result,
                                                 GError                  **error);

/* After the rows of run @run_id: optionally marks as paid the open liabilities of the
 * given creditors that the run did not mention, then recomputes the balances of the cases
 * the run touched and records balance history where a balance changed. */
gboolean     dd_case_store_finish_import        (DdCaseStore  *self,
                                                 gint64        run_id,
                                                 const gint64 *creditor_ids,
                                                 guint         n_creditor_ids,
                                                 gboolean      mark_missing_paid,
                                                 gint64       *out_marked_paid,
                                                 GError      **error);

/* In the import's transaction, before its rows: drops the cases list's indexes, which
 * dd_case_store_finish_import() then builds once (for a file that brings most of the office's
 * cases). After a rollback, dd_case_store_forget_bulk_import(): the indexes are back. */
gboolean     dd_case_store_begin_bulk_import    (DdCaseStore  *self,
                                                 GError      **error);
void         dd_case_store_forget_bulk_import   (DdCaseStore  *self);

/* Rewrites the whole search index (debtor_search) from the tables, in one statement. */
gboolean     dd_case_store_rebuild_search       (DdCaseStore  *self,
                                                 GError      **error);
/* Refreshes the search rows of these debtors (after changing their name, phones…). */
gboolean     dd_case_store_refresh_search       (DdCaseStore  *self,
                                                 const gint64 *debtor_ids,
                                                 guint         n_debtor_ids,
                                                 GError      **error);

/* Case page */

typedef struct
{
  gint64  id;
  char   *e164;
  char   *kind;            /* "unknown", "mobile", "landline", "other" */
  char   *label;
  gboolean valid;
  char   *hlr_status;      /* NULL: never checked */
  char   *hlr_checked_at;
} DdCasePhone;

/* The phones of the debtor @debtor_id in their order, in place of what @phones held (a
 * GPtrArray made with dd_case_phones_new()). */
GPtrArray  *dd_case_phones_new   (void);
gboolean    dd_case_phones_read  (DdDatabase  *database,
                                  gint64       debtor_id,
                                  GPtrArray   *phones,
                                  GError     **error);

typedef struct
{
  gint64  id;
  char   *invoice_no;
  char   *issued_on;
  char   *due_on;
  gint64  amount_minor;
  char   *currency;
  char   *paid_at;         /* NULL while open */
} DdCaseLiability;

typedef struct
{
  gint64  id;
  gint64  balance_minor;
  char   *currency;
  char   *reason;          /* "import", … */
  char   *recorded_at;
} DdCaseBalanceEntry;

typedef struct
{
  gint64  id;
  gint64  amount_minor;
  char   *currency;
  char   *promised_on;
  char   *channel;         /* "agent", "ivr", "sms" */
  char   *state;           /* "pending", "kept", "broken" */
  gint64  agent_id;
  char   *created_at;
} DdCaseDeclaration;

/* "Pending", "Kept", "Broken" for a declaration's state; any other @state as it is. */
const char *dd_declaration_state_to_label (const char *state);

typedef struct
{
  gint64  id;              /* activity id; payments (kind "payment") have 0 */
  char   *kind;            /* "note", "status", "assign", "next-contact", "declaration",
                            * "close", "sms", "call", "payment"… */
  char   *channel;
  char   *body;            /* note text, or a short description */
  char   *refs;            /* JSON with the details, or NULL */
  gint64  agent_id;
  char   *agent_name;
  char   *created_at;
  gint64  amount_minor;    /* payments: the amount paid; else 0 */
  char   *currency;        /* payments: its currency; else NULL */
} DdCaseActivity;

typedef struct
{
  gint64     id;
  DdCaseStatus status;
  gint64     creditor_id;
  char      *creditor_name;
  gint64     agent_id;          /* 0: nobody */
  char      *agent_name;
  char      *next_contact_at;
  gint64     balance_minor;
  char      *currency;
  char      *oldest_due_on;
  char      *last_activity_at;
  char      *created_at;
  char      *closed_at;

  /* The debtor card */
  gint64     debtor_id;
  char      *debtor_name;
  char      *tax_id;
  char      *tax_id_kind;
  char      *email;
  char      *address;
  char      *birthday;
  char      *language;
  char      *time_zone;         /* IANA zone, or NULL: the office's */
  gboolean   opt_out;

  GPtrArray *phones;            /* of DdCasePhone, in their position order */
  GPtrArray *liabilities;       /* of DdCaseLiability, by due date */
  GPtrArray *balance_history;   /* of DdCaseBalanceEntry, newest first */
  GPtrArray *declarations;      /* of DdCaseDeclaration, newest first */
  GPtrArray *timeline;          /* of DdCaseActivity: activities and payments, newest first */
} DdCaseDetails;

/* What an activity changed, for its row in the timeline, translated: "Status: New → Call
 * later", "Status: New → Payment declaration, 500,00 zł promised for 2026-12-10", "Undone:
 * status Closed → New", "Payment declaration Pending → Broken: the case was closed"; NULL for
 * kinds without a change to tell (notes, messages…: their body says it). */
char          *dd_case_activity_describe   (const DdCaseActivity *activity);

void           dd_case_details_free        (DdCaseDetails *details);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdCaseDetails, dd_case_details_free)

/* Everything the case page shows; DD_CASE_STORE_ERROR_NOT_FOUND if there is no such case. */
DdCaseDetails *dd_case_store_get_details   (DdCaseStore  *self,
                                            gint64        case_id,
                                            GError      **error);

/* Actions. @agent_id is who acts (an agent row; closing needs role "manager"). Each
 * change writes, in one transaction with it, an activity row (the case timeline) and an
 * audit_log row (who, when, what: details as JSON). The bulk variants do all cases in one
 * transaction: all or nothing. */

typedef struct
{
  DdCaseStatus  status;
  const char   *call_at;        /* call-later: when (UTC ISO 8601), required; it becomes
                                 * the next contact */
  gint64        amount_minor;   /* payment-declaration: amount > 0, required */
  const char   *currency;       /* payment-declaration: NULL = the case's currency */
  const char   *promised_on;    /* payment-declaration: "YYYY-MM-DD", required */
  const char   *note;           /* optional comment stored with the activity */
  gboolean      above_balance_confirmed; /* payment-declaration: the user confirmed an
                                          * amount above the case's balance */
} DdStatusChange;

/* The rules of the status dialog, one input at a time, so that it can show them next to the
 * entry while the user types (translated messages; the actions check them again):
 * - a contact time (call later, next contact) is not in the past (PAST);
 * - a promised payment date is today or later (PAST) and at most the office's maximum of
 *   days ahead (TOO_FAR);
 * - a declared amount is above zero (INVALID) and, unless confirmed, not above the balance of
 *   any of @case_ids in the same currency (ABOVE_BALANCE). */
gboolean     dd_case_store_check_contact_time   (DdCaseStore          *self,
                                                 const char           *at,
                                                 GError              **error);
gboolean     dd_case_store_check_promised_on    (DdCaseStore          *self,
                                                 const char           *promised_on,
                                                 GError              **error);
gboolean     dd_case_store_check_amount         (DdCaseStore          *self,
                                                 const gint64         *case_ids,
                                                 guint                 n_case_ids,
                                                 gint64                amount_minor,
                                                 const char           *currency,
                                                 gboolean              above_balance_confirmed,
                                                 GError              **error);

gboolean     dd_case_store_add_note             (DdCaseStore          *self,
                                                 gint64                agent_id,
                                                 gint64                case_id,
                                                 const char           *text,
                                                 GError              **error);
gboolean     dd_case_store_set_status           (DdCaseStore          *self,
                                                 gint64                agent_id,
                                                 gint64                case_id,
                                                 const DdStatusChange *change,
                                                 GError              **error);
/* Why an agent of @role ("manager", "consultant"; NULL: no active agent) may not move a case
 * from @from to @to (closing and reopening are for managers), translated; NULL if they may.
 * The actions refuse with the same words, so a window can show an action it would refuse as
 * insensitive with this reason in its tooltip. */
const char  *dd_case_store_refusal              (const char           *role,
                                                 DdCaseStatus          from,
                                                 DdCaseStatus          to);
/* Same as set_status with DD_CASE_STATUS_CLOSED: managers only. Closing settles the case's
 * pending payment declarations (kept when nothing is owed any more, else broken), each with
 * a "declaration-settled" activity. */
gboolean     dd_case_store_close                (DdCaseStore          *self,
                                                 gint64                agent_id,
                                                 gint64                case_id,
                                                 const char           *note,
                                                 GError              **error);
/* @assignee_id 0 = nobody. */
gboolean     dd_case_store_assign               (DdCaseStore          *self,
                                                 gint64                agent_id,
                                                 gint64                case_id,
                                                 gint64                assignee_id,
                                                 GError              **error);
/* @at: UTC ISO 8601, or NULL to clear. */
gboolean     dd_case_store_set_next_contact     (DdCaseStore          *self,
                                                 gint64                agent_id,
                                                 gint64                case_id,
                                                 const char           *at,
                                                 GError              **error);
gboolean     dd_case_store_bulk_set_status      (DdCaseStore          *self,
                                                 gint64                agent_id,
                                                 const gint64         *case_ids,
                                                 guint                 n_case_ids,
                                                 const DdStatusChange *change,
                                                 GError              **error);
gboolean     dd_case_store_bulk_assign          (DdCaseStore          *self,
                                                 gint64                agent_id,
                                                 const gint64         *case_ids,
                                                 guint                 n_case_ids,
                                                 gint64                assignee_id,
                                                 GError              **error);
/* Undo of the reversible actions (status, assignment, next contact, a declaration just
 * recorded): take a snapshot of the cases before the change, and hand it to
 * dd_case_store_undo() to put them back. Undo is itself a change: it writes an "undo"
 * activity and an audit row per case, removes the declarations recorded after the snapshot
 * and, like set_status, lets only a manager reopen or re-close a case. */
typedef struct _DdCaseUndo DdCaseUndo;

DdCaseUndo  *dd_case_store_snapshot             (DdCaseStore          *self,
                                                 const gint64         *case_ids,
                                                 guint                 n_case_ids,
                                                 GError              **error);
gboolean     dd_case_store_undo                 (DdCaseStore          *self,
                                                 gint64                agent_id,
                                                 const DdCaseUndo     *undo,
                                                 GError              **error);
guint        dd_case_undo_get_n_cases           (const DdCaseUndo     *undo);
void         dd_case_undo_free                  (DdCaseUndo           *undo);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdCaseUndo, dd_case_undo_free)

/* HLR look-ups. @status: "reachable", "unreachable", "invalid", "ported" or "unknown" (as the
 * gateways report them). Marks every phone row with the number (an invalid number also
 * becomes not valid, so campaigns skip it), and writes an "hlr" activity and an audit row
 * to each case of the debtors who have it; @out_n_cases says how many. */
const char  *dd_hlr_status_to_label              (const char           *status);
gboolean     dd_case_store_record_hlr            (DdCaseStore          *self,
                                                  gint64                agent_id,
                                                  const char           *e164,
                                                  const char           *status,
                                                  const char           *network,
                                                  const char           *checked_at,
                                                  guint                *out_n_cases,
                                                  GError              **error);

/* The debtor of @case_id lives in @zone (IANA, "Asia/Vladivostok"; NULL: the office's): the
 * contact policy's hours are theirs. INVALID error for an unknown zone. */
gboolean     dd_case_store_set_time_zone        (DdCaseStore          *self,
                                                 gint64                case_id,
                                                 const char           *zone,
                                                 gint64                agent_id,
                                                 GError              **error);

/* For other modules (SMS outbox, calls): adds an activity of @kind ("sms", "call"…) to
 * the case and updates its last activity (and last contact for sms, call, email, visit).
 * No audit row: those are written by the module that acts. */
gboolean     dd_case_store_add_activity         (DdCaseStore          *self,
                                                 gint64                case_id,
                                                 const char           *kind,
                                                 const char           *channel,
                                                 const char           *body,
                                                 const char           *refs_json,
                                                 gint64                agent_id,
                                                 GError              **error);

typedef struct _DdCaseQuery DdCaseQuery;

/* Writes the query's cases (in its order) as CSV: UTF-8, ';', RFC 4180 quoting, CRLF,
 * a translated header row, amounts in major units with a '.' ("1234.50"). */
gboolean     dd_case_store_export_csv           (DdCaseStore          *self,
                                                 const DdCaseQuery    *query,
                                                 GOutputStream        *out,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
/* The same, but only the cases among @case_ids (still in the query's order); @case_ids
 * NULL = all of them. */
gboolean     dd_case_store_export_csv_selected  (DdCaseStore          *self,
                                                 const DdCaseQuery    *query,
                                                 const gint64         *case_ids,
                                                 guint                 n_case_ids,
                                                 GOutputStream        *out,
                                                 GCancellable         *cancellable,
                                                 GError              **error);

/* A payment declaration the debtor made without an agent, through @channel ("ivr": keyed in
 * a call flow and confirmed after hearing it read back): the dialog's rules for the date and
 * the amount (an amount above the balance counts as confirmed), the case becomes Payment
 * declaration, with a "declaration" activity and an audit row. PERMISSION error for a
 * closed case. */
gboolean     dd_case_store_record_declaration   (DdCaseStore          *self,
                                                 gint64                case_id,
                                                 const char           *channel,
                                                 gint64                amount_minor,
                                                 const char           *currency,
                                                 const char           *promised_on,
                                                 gint64               *out_declaration_id,
                                                 GError              **error);
/* One declaration that covers several cases of a debtor (a call that spoke of all of them):
 * @amount_minor is spread over the open cases of @case_ids in @currency (the first case's when
 * NULL), the oldest debt first, each case up to its balance; what is above all the balances goes
 * with the oldest. Each case gets its own declaration, status and timeline entry, in one
 * transaction. @out_declaration_ids (optional) gets their ids (gint64), the oldest debt's first. */
gboolean     dd_case_store_record_shared_declaration (DdCaseStore   *self,
                                                      const gint64  *case_ids,
                                                      guint          n_case_ids,
                                                      const char    *channel,
                                                      gint64         amount_minor,
                                                      const char    *currency,
                                                      const char    *promised_on,
                                                      GArray       **out_declaration_ids,
                                                      GError       **error);

/* Creditors: whose receivables the office collects (the first start assistant and
 * Preferences list them). */
typedef struct
{
  gint64  id;
  char   *name;       /* as stored: DD_CREDITOR_OWN_RECEIVABLES for the office's own */
  gint64  n_cases;
} DdCreditor;

void         dd_creditor_free                   (DdCreditor           *creditor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdCreditor, dd_creditor_free)

/* Every creditor (DdCreditor), the office's own first, then by name. */
GPtrArray   *dd_case_store_list_creditors       (DdCaseStore          *self,
                                                 GError              **error);
/* Removes a creditor without cases; PERMISSION error if it has some. */
gboolean     dd_case_store_remove_creditor      (DdCaseStore          *self,
                                                 gint64                id,
                                                 GError              **error);

G_END_DECLS
