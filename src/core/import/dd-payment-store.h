/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dd-store.h"
#include "dd-payment-statement.h"

G_BEGIN_DECLS

/*
 * Payments in the office database: statement lines imported once (their key), matched to
 * cases (invoice number in the title, tax ID, the debtor's account learnt from earlier
 * payments, then name + amount), or waiting unmatched until someone assigns or ignores them.
 * A match lowers the case's balance (balance history), keeps or breaks its pending payment
 * declarations (kept when the promised amount has arrived by the promised date plus the
 * grace days; a payment after that breaks it), and closes as paid a case whose balance
 * reaches zero (a manager can reopen it). Unassigning undoes all of it. Errors:
 * DD_PAYMENT_ERROR, DD_DATABASE_ERROR.
 */

typedef enum
{
  DD_PAYMENT_MATCH_NONE,
  DD_PAYMENT_MATCH_INVOICE,
  DD_PAYMENT_MATCH_TAX_ID,
  DD_PAYMENT_MATCH_ACCOUNT,
  DD_PAYMENT_MATCH_NAME_AMOUNT,
  DD_PAYMENT_MATCH_MANUAL,
  DD_N_PAYMENT_MATCHES
} DdPaymentMatch;

/* "invoice", "tax-id"… */
DD_DECLARE_ENUM_NAMES (DdPaymentMatch, dd_payment_match);
const char *dd_payment_match_to_label    (DdPaymentMatch  match);  /* translated */

typedef struct
{
  char   *currency;
  gint64  minor;
} DdPaymentTotal;

typedef struct
{
  guint      n_read;                       /* credit lines in the file */
  guint      n_debits;                     /* outgoing lines, skipped */
  guint      n_repeats;                    /* imported before: skipped */
  guint      n_matched;
  guint      n_by[DD_N_PAYMENT_MATCHES];   /* matched, per rule */
  guint      n_unmatched;
  guint      n_partial;                    /* left a balance on the case */
  guint      n_over;                       /* more than the balance */
  guint      n_closed;                     /* cases closed as paid */
  guint      n_kept;                       /* declarations kept */
  guint      n_broken;                     /* declarations broken (paid late) */
  GPtrArray *read_totals;                  /* of DdPaymentTotal, per currency */
  GPtrArray *matched_totals;
  GPtrArray *unmatched_totals;
} DdPaymentImportSummary;

void dd_payment_import_summary_init  (DdPaymentImportSummary *summary);
void dd_payment_import_summary_clear (DdPaymentImportSummary *summary);

typedef struct
{
  gint64          id;
  gint64          case_id;        /* 0: none */
  char           *state;          /* "matched", "unmatched", "ignored" */
  DdPaymentMatch  match;
  char           *paid_on;
  gint64          amount_minor;
  char           *currency;
  char           *source;         /* "mt940", "1c", "csv", "manual" */
  char           *title;
  char           *payer_name;
  char           *payer_account;
  char           *payer_tax_id;
  char           *bank_reference;
  char           *file_name;
  guint           line_no;
  char           *debtor_name;    /* of the case, when matched */
} DdPaymentRecord;

void dd_payment_record_free (DdPaymentRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdPaymentRecord, dd_payment_record_free)

#define DD_TYPE_PAYMENT_STORE (dd_payment_store_get_type ())
DD_DECLARE_STORE (DdPaymentStore, dd_payment_store, PAYMENT_STORE)
/* The office setting "payment-grace-days" (3 by default). */
void            dd_payment_store_set_grace_days (DdPaymentStore  *self,
                                                 guint            days);
/* For tests: the time taken as now (UTC ISO 8601) and today ("YYYY-MM-DD"); NULL: the clock. */
void            dd_payment_store_set_clock      (DdPaymentStore  *self,
                                                 const char      *now,
                                                 const char      *today);

/* Imports the credit lines of @statement (read from @file_name) in one transaction: new lines
 * are stored and matched, lines imported before are counted as repeats. @dry_run: the same,
 * rolled back. @agent_id: who imports (0: the system). */
gboolean        dd_payment_store_import         (DdPaymentStore            *self,
                                                 const DdPaymentStatement  *statement,
                                                 const char                *file_name,
                                                 gboolean                   dry_run,
                                                 gint64                     agent_id,
                                                 DdPaymentImportSummary    *out_summary,
                                                 GError                   **error);

/* Payments in @state ("unmatched", "ignored", "matched"; NULL: all), newest first; @case_id
 * > 0: only that case's. */
GPtrArray      *dd_payment_store_list           (DdPaymentStore  *self,
                                                 const char      *state,
                                                 gint64           case_id,
                                                 GError         **error);
DdPaymentRecord *dd_payment_store_get           (DdPaymentStore  *self,
                                                 gint64           payment_id,
                                                 GError         **error);

/* By hand: an unmatched or ignored payment to @case_id (same currency). */
gboolean        dd_payment_store_assign         (DdPaymentStore  *self,
                                                 gint64           agent_id,
                                                 gint64           payment_id,
                                                 gint64           case_id,
                                                 GError         **error);
/* An unmatched payment that belongs to no case (a refund, another business). */
gboolean        dd_payment_store_ignore         (DdPaymentStore  *self,
                                                 gint64           agent_id,
                                                 gint64           payment_id,
                                                 GError         **error);
/* Undoes a match: the balance goes back up, declarations it settled are pending again, a
 * case it closed is reopened; the payment waits unmatched. Audited. */
gboolean        dd_payment_store_unassign       (DdPaymentStore  *self,
                                                 gint64           agent_id,
                                                 gint64           payment_id,
                                                 GError         **error);

/* The rules of "Record Payment…", one input at a time (INVALID, translated): an amount above
 * zero; a date that is a date and not in the future. */
gboolean        dd_payment_store_check_amount   (DdPaymentStore  *self,
                                                 gint64           amount_minor,
                                                 GError         **error);
gboolean        dd_payment_store_check_paid_on  (DdPaymentStore  *self,
                                                 const char      *paid_on,
                                                 GError         **error);
/* A payment recorded by hand on a case (the same rules as a matched statement line). */
gboolean        dd_payment_store_record         (DdPaymentStore  *self,
                                                 gint64           agent_id,
                                                 gint64           case_id,
                                                 gint64           amount_minor,
                                                 const char      *currency,
                                                 const char      *paid_on,
                                                 const char      *note,
                                                 gint64          *out_payment_id,
                                                 GError         **error);

/* Outstanding balances of open cases per currency (of DdPaymentTotal) and their number. */
gboolean        dd_payment_store_outstanding    (DdPaymentStore  *self,
                                                 GPtrArray      **out_totals,
                                                 gint64          *out_open_cases,
                                                 GError         **error);

G_END_DECLS
