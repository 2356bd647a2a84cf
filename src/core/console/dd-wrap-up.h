/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-case-store.h"
#include "dd-ladder-store.h"

G_BEGIN_DECLS

/*
 * The outcome a consultant gives a call during its wrap-up, and what it does to the case
 * (one transaction: the case's status, a "call-outcome" activity on its timeline, the ladder):
 *
 *   code          case status                    ladder
 *   right-party   unchanged                      unchanged
 *   wrong-number  No answer; the number is       goes on (other numbers, letters)
 *                 marked not valid
 *   promise       Payment declaration (date,     skipped while the promise is pending
 *                 amount)
 *   refused       New                            goes on; a pause is lifted
 *   call-back     Call later at the time given;  paused until that day
 *                 the case and a callback go to
 *                 the same consultant
 *   dispute       unchanged                      off the ladder ("dispute")
 */

typedef enum
{
  DD_WRAP_UP_RIGHT_PARTY,
  DD_WRAP_UP_WRONG_NUMBER,
  DD_WRAP_UP_PROMISE,
  DD_WRAP_UP_REFUSED,
  DD_WRAP_UP_CALL_BACK,
  DD_WRAP_UP_DISPUTE,
} DdWrapUpOutcome;

#define DD_WRAP_UP_N_OUTCOMES (DD_WRAP_UP_DISPUTE + 1)

DD_DECLARE_ENUM_NAMES (DdWrapUpOutcome, dd_wrap_up_outcome);
/* Translated ("Right party", "Promise to pay"…) */
const char *dd_wrap_up_outcome_to_label    (DdWrapUpOutcome  outcome);
/* The status the outcome gives the case; FALSE when the status stays as it is. */
gboolean    dd_wrap_up_outcome_get_status  (DdWrapUpOutcome  outcome,
                                            DdCaseStatus    *out_status);

typedef struct
{
  DdWrapUpOutcome  outcome;
  const char      *e164;          /* the number called (wrong-number marks it not valid) */
  gint64           amount_minor;  /* promise: > 0 */
  const char      *currency;      /* promise: NULL = the case's */
  const char      *promised_on;   /* promise: "YYYY-MM-DD" */
  const char      *call_back_at;  /* call-back: UTC ISO 8601 */
  const char      *note;          /* optional */
} DdWrapUp;

/* Records @wrap_up of @agent_id's call with @case_id (see the table above). The rules of the
 * case store's status dialog apply (a promise's date and amount, a call-back time not in
 * the past): its errors come back unchanged and nothing is written. */
gboolean    dd_wrap_up_apply               (DdCaseStore     *cases,
                                            DdLadderStore   *ladder,
                                            gint64           agent_id,
                                            gint64           case_id,
                                            const DdWrapUp  *wrap_up,
                                            GError         **error);

/* A call back promised to a debtor, for the consultant who promised it. */
typedef struct
{
  gint64  id;
  gint64  case_id;
  gint64  agent_id;
  char   *due_at;    /* UTC ISO 8601 */
  char   *note;
} DdCallback;

void        dd_callback_free               (DdCallback      *callback);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdCallback, dd_callback_free)

/* The callbacks not yet done, due at or before @until (UTC ISO 8601; NULL: all), of
 * @agent_id (0: everyone's), soonest first (GPtrArray of DdCallback). */
GPtrArray  *dd_callbacks_list              (DdDatabase      *database,
                                            gint64           agent_id,
                                            const char      *until,
                                            GError         **error);
gboolean    dd_callbacks_mark_done         (DdDatabase      *database,
                                            gint64           callback_id,
                                            GError         **error);

G_END_DECLS
