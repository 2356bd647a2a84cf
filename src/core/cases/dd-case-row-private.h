/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-case-row.h"
#include "dd-database.h"

G_BEGIN_DECLS

/* The columns _dd_case_row_new_from_statement() reads, in this order. */
#define _DD_CASE_ROW_COLUMNS                                                        \
  "c.id, c.debtor_id, c.debtor_name, c.creditor_id, cr.name, c.balance_minor,"    \
  " c.currency, c.oldest_due_on, c.status, c.next_contact_at, c.last_activity_at," \
  " c.agent_id, a.name"

DdCaseRow *_dd_case_row_new_from_statement (DdStatement *stmt);
DdCaseRow *_dd_case_row_new_placeholder    (gint64       id);

G_END_DECLS
