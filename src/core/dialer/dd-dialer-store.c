/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-dialer-store"

#include "config.h"

#include "dd-dialer-store.h"

#include "dd-call-attempts.h"

#include <glib/gi18n-lib.h>

gboolean
dd_dialer_record_answer (DdDatabase            *database,
                         const DdDialerAnswer  *answer,
                         GError               **error)
{
  g_autofree char *when = NULL;

  g_return_val_if_fail (DD_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (answer != NULL && answer->e164 != NULL, FALSE);

  when = dd_call_attempts_format_time (answer->at);
  return dd_database_execute (database, error,
                              "INSERT INTO dialer_answer (campaign_id, case_id, e164,"
                              " answered_at, abandoned, agent_id) VALUES (?, ?, ?, ?, ?, ?)",
                              DD_INT (answer->campaign_id),
                              DD_INT_IF (answer->case_id > 0, answer->case_id),
                              DD_TEXT (answer->e164), DD_TEXT (when),
                              DD_INT (answer->abandoned ? 1 : 0),
                              DD_INT_IF (answer->agent_id > 0, answer->agent_id), DD_END);
}

gboolean
dd_dialer_count_answers (DdDatabase  *database,
                         gint64       campaign_id,
                         gint64       now,
                         gint64       window_s,
                         guint       *out_answered,
                         guint       *out_abandoned,
                         GError     **error)
{
  g_autofree char *since = dd_call_attempts_format_time (now - window_s);
  gint64 answered = 0, abandoned = 0;

  g_return_val_if_fail (DD_IS_DATABASE (database), FALSE);

  if (!dd_database_fetch_int64 (database, &answered, NULL, error,
                                "SELECT COUNT(*) FROM dialer_answer"
                                " WHERE campaign_id = ? AND answered_at > ?",
                                DD_INT (campaign_id), DD_TEXT (since), DD_END)
      || !dd_database_fetch_int64 (database, &abandoned, NULL, error,
                                   "SELECT COUNT(*) FROM dialer_answer"
                                   " WHERE campaign_id = ? AND answered_at > ? AND abandoned <> 0",
                                   DD_INT (campaign_id), DD_TEXT (since), DD_END))
    return FALSE;
  if (out_answered != NULL)
    *out_answered = (guint) answered;
  if (out_abandoned != NULL)
    *out_abandoned = (guint) abandoned;
  return TRUE;
}

gboolean
dd_dialer_may_dial (DdDatabase  *database,
                    const char  *e164,
                    gint64       now,
                    gboolean     consultant_reserved,
                    gboolean    *out_may,
                    GError     **error)
{
  g_autofree char *since = dd_call_attempts_format_time (now - DD_DIALER_ABANDON_REDIAL_S);
  gboolean recent = FALSE;

  g_return_val_if_fail (DD_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (out_may != NULL, FALSE);

  if (!consultant_reserved
      && !dd_database_exists (database, &recent, error,
                              "SELECT 1 FROM dialer_answer WHERE e164 = ? AND abandoned <> 0"
                              " AND answered_at > ?",
                              DD_TEXT (e164), DD_TEXT (since), DD_END))
    return FALSE;
  *out_may = consultant_reserved || !recent;
  return TRUE;
}

char *
dd_dialer_abandon_message (const char *office_name,
                           const char *office_number)
{
  if (office_number == NULL || *office_number == '\0')
    /* Translators: what a debtor hears when the dialer reached them and no consultant was
     * free; %s is the office's name */
    return g_strdup_printf (_("This is %s. We are sorry, all our consultants are busy. "
                              "We will call you again."), office_name);
  /* Translators: the same, with the office's telephone number to call back */
  return g_strdup_printf (_("This is %s. We are sorry, all our consultants are busy. "
                            "Please call us back at %s."), office_name, office_number);
}
