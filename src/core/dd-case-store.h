/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-database.h"
#include "dd-types.h"

G_BEGIN_DECLS

typedef enum
{
  DD_CASE_STATUS_NEW,
  DD_CASE_STATUS_CALL_LATER,
  DD_CASE_STATUS_NO_ANSWER,
  DD_CASE_STATUS_PAYMENT_DECLARATION,
  DD_CASE_STATUS_CLOSED,
} DdCaseStatus;

const char   *dd_case_status_to_string   (DdCaseStatus status);
gboolean      dd_case_status_from_string (const char   *text,
                                          DdCaseStatus *out_status);

#define DD_TYPE_CASE_STORE (dd_case_store_get_type ())
G_DECLARE_FINAL_TYPE (DdCaseStore, dd_case_store, DD, CASE_STORE, GObject)

DdCaseStore *dd_case_store_new                  (DdDatabase   *database);
DdDatabase  *dd_case_store_get_database         (DdCaseStore  *self);

/* Number of cases (all statuses) and open ones (not Closed). */
gboolean     dd_case_store_count                (DdCaseStore  *self,
                                                 gint64       *out_total,
                                                 gint64       *out_open,
                                                 GError      **error);

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

G_END_DECLS
