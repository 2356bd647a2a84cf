/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-database.h"
#include "dd-dialer-pacing.h"

G_BEGIN_DECLS

/*
 * The dialer's record of answered calls (schema 18, dialer_answer): the abandoned-call rate
 * of a campaign over a window, and the rule that an abandoned number is not dialled again
 * for 72 hours unless a consultant is reserved for it. Times are Unix seconds.
 */

/* A call of a campaign answered by a person: @agent_id 0 and @abandoned when nobody was free
 * for it. */
typedef struct
{
  gint64       campaign_id;
  gint64       case_id;      /* 0: none */
  const char  *e164;
  gint64       at;           /* when it was answered */
  gint64       agent_id;
  gboolean     abandoned;
} DdDialerAnswer;

gboolean dd_dialer_record_answer   (DdDatabase            *database,
                                    const DdDialerAnswer  *answer,
                                    GError               **error);
/* The answered and abandoned calls of @campaign_id in the @window_s seconds before @now. */
gboolean dd_dialer_count_answers   (DdDatabase  *database,
                                    gint64       campaign_id,
                                    gint64       now,
                                    gint64       window_s,
                                    guint       *out_answered,
                                    guint       *out_abandoned,
                                    GError     **error);
/* Whether @e164 may be dialled at @now: not when one of its calls was abandoned in the last
 * 72 hours, unless @consultant_reserved (a consultant waits for this call). */
gboolean dd_dialer_may_dial        (DdDatabase  *database,
                                    const char  *e164,
                                    gint64       now,
                                    gboolean     consultant_reserved,
                                    gboolean    *out_may,
                                    GError     **error);
/* What an abandoned call hears within 2 s of the answer (translated): the office's name
 * and the number to call back. */
char    *dd_dialer_abandon_message (const char  *office_name,
                                    const char  *office_number);

G_END_DECLS
