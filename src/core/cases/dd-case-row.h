/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * DdCaseRow: one row of the cases list (DdCaseList), immutable. Every field is a
 * read-only property, so that list-item factories can bind them with GtkExpressions.
 * Text fields are NULL when unknown; dates are "YYYY-MM-DD", times UTC ISO 8601.
 */

#define DD_TYPE_CASE_ROW (dd_case_row_get_type ())
G_DECLARE_FINAL_TYPE (DdCaseRow, dd_case_row, DD, CASE_ROW, GObject)

gint64       dd_case_row_get_id                (DdCaseRow *self);
gint64       dd_case_row_get_debtor_id         (DdCaseRow *self);
const char  *dd_case_row_get_debtor_name       (DdCaseRow *self);
gint64       dd_case_row_get_creditor_id       (DdCaseRow *self);
const char  *dd_case_row_get_creditor_name     (DdCaseRow *self);
gint64       dd_case_row_get_balance_minor     (DdCaseRow *self);
const char  *dd_case_row_get_currency          (DdCaseRow *self);
const char  *dd_case_row_get_oldest_due_on     (DdCaseRow *self);
/* Days from the oldest unpaid due date to @today ("YYYY-MM-DD"; NULL: today in local time);
 * 0 when nothing is unpaid or not due yet. */
guint        dd_case_row_get_days_overdue      (DdCaseRow  *self,
                                                const char *today);
/* "new", "call-later", "no-answer", "payment-declaration", "closed" (DdCaseStatus names) */
const char  *dd_case_row_get_status            (DdCaseRow *self);
const char  *dd_case_row_get_next_contact_at   (DdCaseRow *self);
const char  *dd_case_row_get_last_activity_at  (DdCaseRow *self);
gint64       dd_case_row_get_agent_id          (DdCaseRow *self);
const char  *dd_case_row_get_agent_name        (DdCaseRow *self);
/* FALSE for the placeholder of a case deleted since the list was loaded. */
gboolean     dd_case_row_get_loaded            (DdCaseRow *self);

G_END_DECLS
