/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-ladder-store"

#include "config.h"

#include "dd-ladder-store.h"

#include "dd-claim.h"

#include <glib/gi18n-lib.h>
#include <string.h>

DD_DEFINE_STORE (DdLadderStore, dd_ladder_store)

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static gint64
days_from_civil (gint64 y,
                 guint  m,
                 guint  d)
{
  gint64 era;
  guint yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = (guint) (y - era * 400);
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (gint64) doe - 719468;
}

#define JULIAN_OF_EPOCH 719163   /* GDate's Julian day of 1970-01-01 */

guint32
dd_ladder_day_from_iso (const char *iso)
{
  guint v[8];

  if (iso == NULL || strlen (iso) < 10 || iso[4] != '-' || iso[7] != '-')
    return 0;
  for (guint i = 0, k = 0; i < 10; i++)
    {
      if (i == 4 || i == 7)
        continue;
      if (iso[i] < '0' || iso[i] > '9')
        return 0;
      v[k++] = (guint) (iso[i] - '0');
    }
  {
    guint y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
    guint m = v[4] * 10 + v[5];
    guint d = v[6] * 10 + v[7];

    if (y == 0 || m < 1 || m > 12 || d < 1 || d > g_date_get_days_in_month ((GDateMonth) m,
                                                                           (GDateYear) y))
      return 0;
    return (guint32) (days_from_civil (y, m, d) + JULIAN_OF_EPOCH);
  }
}

char *
dd_ladder_day_to_iso (guint32 day)
{
  GDate date;

  g_date_clear (&date, 1);
  if (!g_date_valid_julian (day))
    return NULL;
  g_date_set_julian (&date, day);
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&date), g_date_get_month (&date),
                          g_date_get_day (&date));
}

void
dd_ladder_cases_free (DdLadderCases *cases)
{
  if (cases == NULL)
    return;
  g_array_unref (cases->cases);
  g_string_chunk_free (cases->zones);
  g_free (cases);
}

static gboolean
finish (DdStatement  *stmt,
        GError       *local_error,
        GError      **error)
{
  dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
dd_ladder_store_load_policies (DdLadderStore  *self,
                               GError        **error)
{
  g_autoptr(GPtrArray) policies = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_ladder_policy_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  GError *local_error = NULL;
  DdStatement *stmt;
  gboolean have_default = FALSE;

  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT id, COALESCE(creditor_id, 0), name FROM ladder_policy"
                            " ORDER BY creditor_id IS NOT NULL, creditor_id", DD_END);
  if (stmt == NULL)
    return NULL;
  while (dd_statement_step (stmt, &local_error))
    {
      DdLadderPolicy *p = dd_ladder_policy_new (dd_statement_get_text (stmt, 2));

      p->id = dd_statement_get_int64 (stmt, 0);
      p->creditor_id = dd_statement_get_int64 (stmt, 1);
      have_default |= p->creditor_id == 0;
      g_ptr_array_add (policies, p);
      g_hash_table_insert (by_id, &p->id, p);
    }
  if (!finish (stmt, local_error, error))
    return NULL;

  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT policy_id, offset_days, channel, body, flow FROM ladder_step"
                            " ORDER BY policy_id, position", DD_END);
  if (stmt == NULL)
    return NULL;
  while (dd_statement_step (stmt, &local_error))
    {
      gint64 policy_id = dd_statement_get_int64 (stmt, 0);
      DdLadderPolicy *p = g_hash_table_lookup (by_id, &policy_id);
      DdLadderChannel channel;

      if (p == NULL || !dd_ladder_channel_from_string (dd_statement_get_text (stmt, 2), &channel))
        continue;
      dd_ladder_policy_add_step (p, (gint) dd_statement_get_int64 (stmt, 1), channel,
                                 dd_statement_get_text (stmt, 3),
                                 dd_statement_get_text (stmt, 4));
    }
  if (!finish (stmt, local_error, error))
    return NULL;

  /* a policy left without steps falls back to the default */
  for (guint i = policies->len; i > 0; i--)
    {
      DdLadderPolicy *p = g_ptr_array_index (policies, i - 1);

      if (p->steps->len == 0)
        {
          have_default &= p->creditor_id != 0;
          g_ptr_array_remove_index (policies, i - 1);
        }
    }
  if (!have_default)
    g_ptr_array_insert (policies, 0, dd_ladder_policy_new_default ());
  return g_steal_pointer (&policies);
}

gboolean
dd_ladder_store_save_policy (DdLadderStore         *self,
                             const DdLadderPolicy  *policy,
                             GError               **error)
{
  g_autofree char *now = dd_timestamp_now ();
  gint64 id = 0;
  gboolean found = FALSE;
  gboolean ok;

  if (!dd_ladder_policy_validate (policy, error))
    return FALSE;
  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;

  if (policy->creditor_id != 0)
    ok = dd_database_fetch_int64 (dd_store_db (self), &id, &found, error,
                                  "SELECT id FROM ladder_policy WHERE creditor_id = ?",
                                  DD_INT (policy->creditor_id), DD_END);
  else
    ok = dd_database_fetch_int64 (dd_store_db (self), &id, &found, error,
                                  "SELECT id FROM ladder_policy WHERE creditor_id IS NULL",
                                  DD_END);
  if (ok && found)
    ok = dd_database_execute (dd_store_db (self), error,
                              "UPDATE ladder_policy SET name = ?, updated_at = ? WHERE id = ?",
                              DD_TEXT (policy->name), DD_TEXT (now), DD_INT (id), DD_END) &&
         dd_database_execute (dd_store_db (self), error,
                              "DELETE FROM ladder_step WHERE policy_id = ?", DD_INT (id), DD_END);
  else if (ok)
    {
      DdStatement *stmt = dd_database_cached (dd_store_db (self),
                                              "INSERT INTO ladder_policy (creditor_id, name,"
                                              " updated_at) VALUES (?, ?, ?)", error);

      ok = stmt != NULL;
      if (ok)
        {
          if (policy->creditor_id != 0)
            dd_statement_bind_int64 (stmt, 1, policy->creditor_id);
          else
            dd_statement_bind_null (stmt, 1);
          dd_statement_bind_text (stmt, 2, policy->name != NULL ? policy->name : "");
          dd_statement_bind_text (stmt, 3, now);
          ok = dd_statement_run_insert (stmt, &id, error);
        }
    }
  for (guint i = 0; ok && i < policy->steps->len; i++)
    {
      const DdLadderStep *s = &g_array_index (policy->steps, DdLadderStep, i);

      ok = dd_database_execute (dd_store_db (self), error,
                                "INSERT INTO ladder_step (policy_id, position, offset_days,"
                                " channel, body, flow) VALUES (?, ?, ?, ?, ?, ?)",
                                DD_INT (id), DD_INT (i), DD_INT (s->offset_days),
                                DD_TEXT (dd_ladder_channel_to_string (s->channel)),
                                DD_TEXT (s->text), DD_TEXT (s->flow), DD_END);
    }
  if (ok)
    ok = dd_database_execute (dd_store_db (self), error,
                              "INSERT INTO audit_log (at, action, entity, entity_id, details)"
                              " VALUES (?, 'ladder-policy', 'ladder_policy', ?, NULL)",
                              DD_TEXT (now), DD_INT (id), DD_END);
  if (ok)
    return dd_database_commit (dd_store_db (self), error);
  dd_database_rollback (dd_store_db (self), NULL);
  return FALSE;
}

typedef struct
{
  gboolean    opt_out;
  gboolean    has_phone;
  const char *zone;
} DebtorInfo;

static DebtorInfo *
debtor_info (DebtorInfo *dense,
             GHashTable *sparse,
             gint64      max_id,
             gint64      id,
             gboolean    create)
{
  DebtorInfo *info;

  if (dense != NULL)
    return id >= 0 && id <= max_id ? &dense[id] : NULL;
  info = g_hash_table_lookup (sparse, &id);
  if (info == NULL && create)
    {
      info = g_new0 (DebtorInfo, 1);
      g_hash_table_insert (sparse, g_memdup2 (&id, sizeof id), info);
    }
  return info;
}

DdLadderCases *
dd_ladder_store_load_cases (DdLadderStore  *self,
                            guint32         day,
                            gint            max_ahead_days,
                            GError        **error)
{
  g_autoptr(DdLadderCases) out = g_new0 (DdLadderCases, 1);
  g_autoptr(GHashTable) declarations = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                              NULL, g_free);
  g_autofree char *horizon = dd_ladder_day_to_iso (day + (guint32) MAX (max_ahead_days, 0));
  g_autofree DebtorInfo *debtors = NULL;
  g_autoptr(GHashTable) sparse = NULL;
  gint64 max_debtor = 0, n_debtors = 0;
  gboolean dense;
  GError *local_error = NULL;
  DdStatement *stmt;

  out->cases = g_array_new (FALSE, TRUE, sizeof (DdLadderCase));
  out->zones = g_string_chunk_new (256);

  /* the newest declaration of each case that has one (few cases have any) */
  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT case_id, id, state, promised_on FROM declaration"
                            " ORDER BY id", DD_END);
  if (stmt == NULL)
    return NULL;
  while (dd_statement_step (stmt, &local_error))
    {
      DdLadderCase *d = g_new0 (DdLadderCase, 1);
      const char *state = dd_statement_get_text (stmt, 2);

      d->case_id = dd_statement_get_int64 (stmt, 0);
      d->declaration_id = dd_statement_get_int64 (stmt, 1);
      d->declaration_state = g_strcmp0 (state, "pending") == 0 ? DD_LADDER_DECLARATION_PENDING
                             : g_strcmp0 (state, "kept") == 0 ? DD_LADDER_DECLARATION_KEPT
                             : DD_LADDER_DECLARATION_BROKEN;
      d->promised_day = dd_ladder_day_from_iso (dd_statement_get_text (stmt, 3));
      g_hash_table_replace (declarations, &d->case_id, d);
    }
  if (!finish (stmt, local_error, error))
    return NULL;

  /* The debtors, their numbers and the steps reached are read table by table, in their own
   * order, and joined here: a million random look-ups in SQL cost ten times more. */
  if (!dd_database_fetch_int64 (dd_store_db (self), &max_debtor, NULL, error,
                                "SELECT COALESCE(MAX(id), 0) FROM debtor", DD_END) ||
      !dd_database_fetch_int64 (dd_store_db (self), &n_debtors, NULL, error,
                                "SELECT COUNT(*) FROM debtor", DD_END))
    return NULL;
  dense = max_debtor <= 8 * n_debtors + 1024;
  if (dense)
    debtors = g_new0 (DebtorInfo, max_debtor + 1);
  else
    sparse = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT id, opt_out, time_zone FROM debtor", DD_END);
  if (stmt == NULL)
    return NULL;
  while (dd_statement_step (stmt, &local_error))
    {
      gint64 id = dd_statement_get_int64 (stmt, 0);
      DebtorInfo *info = debtor_info (debtors, sparse, max_debtor, id, TRUE);
      const char *zone = dd_statement_get_text (stmt, 2);

      if (info == NULL)
        continue;
      info->opt_out = dd_statement_get_int64 (stmt, 1) != 0;
      if (zone != NULL && *zone != '\0')
        info->zone = g_string_chunk_insert_const (out->zones, zone);
    }
  if (!finish (stmt, local_error, error))
    return NULL;

  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT debtor_id FROM phone WHERE valid = 1", DD_END);
  if (stmt == NULL)
    return NULL;
  while (dd_statement_step (stmt, &local_error))
    {
      DebtorInfo *info = debtor_info (debtors, sparse, max_debtor,
                                      dd_statement_get_int64 (stmt, 0), FALSE);

      if (info != NULL)
        info->has_phone = TRUE;
    }
  if (!finish (stmt, local_error, error))
    return NULL;

  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT c.id, c.debtor_id, c.creditor_id, c.oldest_due_on,"
                            " c.ladder_excluded IS NOT NULL, c.ladder_paused_until"
                            " FROM debt_case c"
                            " WHERE c.status <> 'closed' AND c.balance_minor > 0"
                            " AND c.oldest_due_on <= ?"
                            " ORDER BY c.id",
                            DD_TEXT (horizon), DD_END);
  if (stmt == NULL)
    return NULL;
  while (dd_statement_step (stmt, &local_error))
    {
      DdLadderCase c = { 0 };
      const DdLadderCase *d;
      const DebtorInfo *info;

      c.case_id = dd_statement_get_int64 (stmt, 0);
      c.debtor_id = dd_statement_get_int64 (stmt, 1);
      c.creditor_id = dd_statement_get_int64 (stmt, 2);
      c.due_day = dd_ladder_day_from_iso (dd_statement_get_text (stmt, 3));
      c.reached = -1;
      c.excluded = dd_statement_get_int64 (stmt, 4) != 0;
      if (!dd_statement_is_null (stmt, 5))
        c.paused_until = dd_ladder_day_from_iso (dd_statement_get_text (stmt, 5));
      info = debtor_info (debtors, sparse, max_debtor, c.debtor_id, FALSE);
      if (info != NULL)
        {
          c.opt_out = info->opt_out;
          c.has_phone = info->has_phone;
          c.zone = info->zone;
        }
      d = g_hash_table_size (declarations) > 0 ? g_hash_table_lookup (declarations, &c.case_id)
                                               : NULL;
      if (d != NULL)
        {
          c.declaration_id = d->declaration_id;
          c.declaration_state = d->declaration_state;
          c.promised_day = d->promised_day;
        }
      g_array_append_val (out->cases, c);
    }
  if (!finish (stmt, local_error, error))
    return NULL;

  /* the steps reached, merged by case id (both in case order) */
  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT case_id, step, day, shift_days, declaration_id,"
                            " offset_days FROM ladder_run ORDER BY case_id", DD_END);
  if (stmt == NULL)
    return NULL;
  {
    guint k = 0;

    while (dd_statement_step (stmt, &local_error))
      {
        gint64 case_id = dd_statement_get_int64 (stmt, 0);
        DdLadderCase *c;

        while (k < out->cases->len &&
               g_array_index (out->cases, DdLadderCase, k).case_id < case_id)
          k++;
        if (k >= out->cases->len)
          break;
        c = &g_array_index (out->cases, DdLadderCase, k);
        if (c->case_id != case_id)
          continue;
        c->reached = (gint) dd_statement_get_int64 (stmt, 1);
        c->reached_day = dd_ladder_day_from_iso (dd_statement_get_text (stmt, 2));
        c->shift_days = (gint) dd_statement_get_int64 (stmt, 3);
        c->handled_declaration_id = dd_statement_get_int64 (stmt, 4);
        c->reached_offset = (gint) dd_statement_get_int64 (stmt, 5);
      }
  }
  if (!finish (stmt, local_error, error))
    return NULL;
  return g_steal_pointer (&out);
}

static void
array_unref (gpointer data)
{
  g_array_unref (data);
}

GHashTable *
dd_ladder_store_load_history (DdLadderStore  *self,
                              gint64          since,
                              GError        **error)
{
  g_autoptr(GHashTable) history = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                         array_unref);
  g_autoptr(GDateTime) from = g_date_time_new_from_unix_utc (since);
  g_autofree char *since_text = g_date_time_format (from, "%Y-%m-%dT%H:%M:%SZ");
  GError *local_error = NULL;
  DdStatement *stmt;

  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT c.debtor_id, m.sent_at, 0 FROM message m"
                            " JOIN debt_case c ON c.id = m.case_id"
                            " WHERE m.sent_at >= ?1"
                            " UNION ALL"
                            " SELECT c.debtor_id, a.started_at, 1 FROM call_attempt a"
                            " JOIN debt_case c ON c.id = a.case_id"
                            " WHERE a.started_at >= ?1",
                            DD_TEXT (since_text), DD_END);
  if (stmt == NULL)
    return NULL;
  while (dd_statement_step (stmt, &local_error))
    {
      gint64 debtor_id = dd_statement_get_int64 (stmt, 0);
      g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (dd_statement_get_text (stmt, 1),
                                                              NULL);
      GArray *events;
      DdContactEvent event;

      if (at == NULL)
        continue;
      events = g_hash_table_lookup (history, &debtor_id);
      if (events == NULL)
        {
          events = g_array_new (FALSE, FALSE, sizeof (DdContactEvent));
          g_hash_table_insert (history, g_memdup2 (&debtor_id, sizeof debtor_id), events);
        }
      event.channel = dd_statement_get_int64 (stmt, 2) != 0 ? DD_CONTACT_CALL : DD_CONTACT_SMS;
      event.at = g_date_time_to_unix (at);
      g_array_append_val (events, event);
    }
  if (!finish (stmt, local_error, error))
    return NULL;
  return g_steal_pointer (&history);
}

static gboolean
audit (DdLadderStore  *self,
       const char     *action,
       gint64          case_id,
       const char     *details,
       GError        **error)
{
  g_autofree char *now = dd_timestamp_now ();

  return dd_database_execute (dd_store_db (self), error,
                              "INSERT INTO audit_log (at, action, entity, entity_id, details)"
                              " VALUES (?, ?, 'case', ?, ?)",
                              DD_TEXT (now), DD_TEXT (action), DD_INT (case_id), DD_TEXT (details),
                              DD_END);
}

gboolean
dd_ladder_store_set_excluded (DdLadderStore  *self,
                              gint64          case_id,
                              const char     *reason,
                              GError        **error)
{
  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  if (dd_database_execute (dd_store_db (self), error,
                           "UPDATE debt_case SET ladder_excluded = ? WHERE id = ?",
                           DD_TEXT (reason), DD_INT (case_id), DD_END) &&
      audit (self, reason != NULL ? "ladder-exclude" : "ladder-include", case_id, reason, error))
    return dd_database_commit (dd_store_db (self), error);
  dd_database_rollback (dd_store_db (self), NULL);
  return FALSE;
}

gboolean
dd_ladder_store_set_paused (DdLadderStore  *self,
                            gint64          case_id,
                            const char     *until,
                            GError        **error)
{
  if (until != NULL && dd_ladder_day_from_iso (until) == 0)
    {
      g_set_error (error, DD_LADDER_POLICY_ERROR, DD_LADDER_POLICY_ERROR_INVALID,
                   _("“%s” is not a date (YYYY-MM-DD)."), until);
      return FALSE;
    }
  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  if (dd_database_execute (dd_store_db (self), error,
                           "UPDATE debt_case SET ladder_paused_until = ? WHERE id = ?",
                           DD_TEXT (until), DD_INT (case_id), DD_END) &&
      audit (self, "ladder-pause", case_id, until, error))
    return dd_database_commit (dd_store_db (self), error);
  dd_database_rollback (dd_store_db (self), NULL);
  return FALSE;
}

gboolean
dd_ladder_store_claim (DdLadderStore           *self,
                       const DdLadderPlanCase  *step,
                       DdLadderChannel          channel,
                       gint64                   lead_case_id,
                       guint32                  day,
                       gboolean                *out_claimed,
                       GError                 **error)
{
  g_autofree char *now = dd_timestamp_now ();
  g_autofree char *day_text = dd_ladder_day_to_iso (day);

  /* never back to a step passed, never the same step twice */
  if (!dd_database_execute (dd_store_db (self), error,
                            "INSERT INTO ladder_run (case_id, step, offset_days, channel, state,"
                            " day, lead_case_id, shift_days, promise_broken, declaration_id,"
                            " claimed_at, claimed_by)"
                            " VALUES (?1, ?2, ?3, ?4, 'claimed', ?5, ?6, ?7, ?8, NULLIF(?9, 0),"
                            " ?10, ?11)"
                            " ON CONFLICT (case_id) DO UPDATE SET step = excluded.step,"
                            " offset_days = excluded.offset_days, channel = excluded.channel,"
                            " state = 'claimed', day = excluded.day,"
                            " lead_case_id = excluded.lead_case_id,"
                            " shift_days = excluded.shift_days,"
                            " promise_broken = excluded.promise_broken,"
                            " declaration_id = COALESCE(excluded.declaration_id,"
                            "                           ladder_run.declaration_id),"
                            " claimed_at = excluded.claimed_at,"
                            " claimed_by = excluded.claimed_by, done_at = NULL"
                            " WHERE ladder_run.offset_days < excluded.offset_days"
                            " AND ladder_run.day < excluded.day",
                            DD_INT (step->case_id), DD_INT (step->step), DD_INT (step->offset_days),
                            DD_TEXT (dd_ladder_channel_to_string (channel)), DD_TEXT (day_text),
                            DD_INT (lead_case_id), DD_INT (step->shift_days),
                            DD_INT (step->promise_broken),
                            DD_INT (step->declaration_id),
                            DD_TEXT (now), DD_TEXT (dd_claim_owner ()), DD_END))
    return FALSE;
  *out_claimed = dd_database_changes (dd_store_db (self)) > 0;
  return TRUE;
}

gboolean
dd_ladder_store_mark_done (DdLadderStore  *self,
                           gint64          case_id,
                           GError        **error)
{
  g_autofree char *now = dd_timestamp_now ();

  return dd_database_execute (dd_store_db (self), error,
                              "UPDATE ladder_run SET state = 'done', done_at = ?"
                              " WHERE case_id = ? AND state = 'claimed'",
                              DD_TEXT (now), DD_INT (case_id), DD_END);
}

GArray *
dd_ladder_store_list_claimed (DdLadderStore  *self,
                              GError        **error)
{
  g_autoptr(GArray) claims = g_array_new (FALSE, TRUE, sizeof (DdLadderClaim));
  g_autoptr(GPtrArray) owners = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *now = dd_timestamp_now ();
  gint64 now_unix = g_get_real_time () / G_USEC_PER_SEC;
  GError *local_error = NULL;
  DdStatement *stmt;
  gboolean ok;

  /* On a shared database another desk may be carrying out its claims right now: only those no
   * live desk holds are resumed (dd_claim_is_abandoned(); the claim's time stands for its
   * holder's heartbeat), each taken over first, so that two desks never both resume one. */
  if (!dd_database_begin (dd_store_db (self), error))
    return NULL;
  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT case_id, lead_case_id, step, offset_days, channel, day,"
                            " promise_broken, claimed_by, claimed_at FROM ladder_run"
                            " WHERE state = 'claimed'"
                            " ORDER BY lead_case_id, case_id" DD_SQL_CLAIM ("ladder_run"),
                            DD_END);
  if (stmt == NULL)
    {
      dd_database_rollback (dd_store_db (self), NULL);
      return NULL;
    }
  while (dd_statement_step (stmt, &local_error))
    {
      DdLadderClaim c = { 0 };

      if (!dd_claim_is_abandoned (dd_statement_get_text (stmt, 7),
                                  dd_statement_get_text (stmt, 8), now_unix,
                                  DD_CLAIM_LEASE_SECONDS))
        continue;
      c.case_id = dd_statement_get_int64 (stmt, 0);
      c.lead_case_id = dd_statement_get_int64 (stmt, 1);
      c.step = (gint) dd_statement_get_int64 (stmt, 2);
      c.offset_days = (gint) dd_statement_get_int64 (stmt, 3);
      if (!dd_ladder_channel_from_string (dd_statement_get_text (stmt, 4), &c.channel))
        continue;
      c.day = dd_ladder_day_from_iso (dd_statement_get_text (stmt, 5));
      c.promise_broken = dd_statement_get_int64 (stmt, 6) != 0;
      g_array_append_val (claims, c);
      g_ptr_array_add (owners, dd_statement_dup_text (stmt, 7));
    }
  ok = finish (stmt, local_error, error);
  for (guint i = 0; ok && i < claims->len;)
    {
      gboolean taken = FALSE;

      ok = dd_claim_take_over (dd_store_db (self),
                               "UPDATE ladder_run SET claimed_by = ?, claimed_at = ?"
                               " WHERE case_id = ? AND state = 'claimed'"
                               " AND coalesce (claimed_by, '') = ?",
                               now, g_array_index (claims, DdLadderClaim, i).case_id,
                               g_ptr_array_index (owners, i), &taken, error);
      if (ok && !taken)
        {
          g_array_remove_index (claims, i);
          g_ptr_array_remove_index (owners, i);
        }
      else
        i++;
    }
  if (!dd_database_finish (dd_store_db (self), ok, error))
    return NULL;
  return g_steal_pointer (&claims);
}

gboolean
dd_ladder_store_get_reached (DdLadderStore  *self,
                             gint64          case_id,
                             gint           *out_step,
                             char          **out_state,
                             gboolean       *out_promise_broken,
                             GError        **error)
{
  GError *local_error = NULL;
  DdStatement *stmt;

  *out_step = -1;
  if (out_state != NULL)
    *out_state = NULL;
  if (out_promise_broken != NULL)
    *out_promise_broken = FALSE;
  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT step, state, promise_broken FROM ladder_run WHERE case_id = ?",
                            DD_INT (case_id), DD_END);
  if (stmt == NULL)
    return FALSE;
  if (dd_statement_step (stmt, &local_error))
    {
      *out_step = (gint) dd_statement_get_int64 (stmt, 0);
      if (out_state != NULL)
        *out_state = g_strdup (dd_statement_get_text (stmt, 1));
      if (out_promise_broken != NULL)
        *out_promise_broken = dd_statement_get_int64 (stmt, 2) != 0;
    }
  return finish (stmt, local_error, error);
}

gboolean
dd_ladder_store_record_day (DdLadderStore  *self,
                            const char     *day,
                            guint           items,
                            GError        **error)
{
  g_autofree char *now = dd_timestamp_now ();

  return dd_database_execute (dd_store_db (self), error,
                              "INSERT INTO ladder_day (day, ran_at, items) VALUES (?1, ?2, ?3)"
                              " ON CONFLICT (day) DO UPDATE SET ran_at = ?2,"
                              " items = ladder_day.items + ?3",
                              DD_TEXT (day), DD_TEXT (now), DD_INT (items), DD_END);
}

char *
dd_ladder_store_get_last_day (DdLadderStore  *self,
                              GError        **error)
{
  char *day = NULL;

  dd_database_fetch_text (dd_store_db (self), &day, error, "SELECT MAX(day) FROM ladder_day",
                          DD_END);
  return day;
}

typedef struct
{
  gint64 debtor_id;
  gint64 creditor_id;
} CaseParties;

static const DdField case_parties_fields[] = {
  DD_FIELD (CaseParties, debtor_id, INT64),
  DD_FIELD (CaseParties, creditor_id, INT64),
};
static const DdRowType case_parties_row = DD_ROW_TYPE (CaseParties, case_parties_fields);

gboolean
dd_ladder_store_case_parties (DdLadderStore  *self,
                              gint64          case_id,
                              gint64         *out_debtor_id,
                              gint64         *out_creditor_id,
                              gboolean       *out_found,
                              GError        **error)
{
  CaseParties parties = { 0, 0 };
  gboolean ok;

  ok = dd_database_fetch_fields (dd_store_db (self), &case_parties_row, &parties, out_found,
                                 error, "SELECT debtor_id, creditor_id FROM debt_case WHERE id = ?",
                                 DD_INT (case_id), DD_END);
  if (ok && *out_found)
    {
      *out_debtor_id = parties.debtor_id;
      *out_creditor_id = parties.creditor_id;
    }
  return ok;
}

/* What a step's message tells of a case (the recipient of its lead case). */
static const DdField recipient_fields[] = {
  DD_FIELD (DdRecipient, debtor_id, INT64),
  DD_FIELD (DdRecipient, name, TEXT),
  DD_FIELD (DdRecipient, language, TEXT),
  DD_FIELD (DdRecipient, creditor, TEXT),
  DD_FIELD (DdRecipient, balance_minor, INT64),
  DD_FIELD (DdRecipient, currency, TEXT),
  DD_FIELD (DdRecipient, phone_id, INT64),
  DD_FIELD (DdRecipient, e164, TEXT),
};
static const DdRowType recipient_row = DD_ROW_TYPE (DdRecipient, recipient_fields);

DdRecipient *
dd_ladder_store_recipient (DdLadderStore  *self,
                           const gint64   *case_ids,
                           guint           n_cases,
                           GError        **error)
{
  g_autoptr(DdRecipient) r = g_new0 (DdRecipient, 1);

  g_return_val_if_fail (n_cases > 0, NULL);
  r->case_id = case_ids[0];
  if (!dd_database_fetch_fields (dd_store_db (self), &recipient_row, r, NULL, error,
                                 "SELECT c.debtor_id, d.name, d.language, cr.name, c.balance_minor,"
                                 " c.currency,"
                                 " (SELECT p.id FROM phone p WHERE p.debtor_id = c.debtor_id"
                                 "  AND p.valid = 1 ORDER BY p.position, p.id LIMIT 1),"
                                 " (SELECT p.e164 FROM phone p WHERE p.debtor_id = c.debtor_id"
                                 "  AND p.valid = 1 ORDER BY p.position, p.id LIMIT 1)"
                                 " FROM debt_case c JOIN debtor d ON d.id = c.debtor_id"
                                 " JOIN creditor cr ON cr.id = c.creditor_id WHERE c.id = ?",
                                 DD_INT (case_ids[0]), DD_END)
      || r->e164 == NULL)   /* no such case, or no valid phone */
    return NULL;

  for (guint i = 1; i < n_cases; i++)
    {
      gint64 balance = 0;
      gboolean same = FALSE;

      if (!dd_database_fetch_int64 (dd_store_db (self), &balance, &same, error,
                                    "SELECT balance_minor FROM debt_case WHERE id = ?"
                                    " AND currency = ?",
                                    DD_INT (case_ids[i]), DD_TEXT (r->currency), DD_END))
        return NULL;
      r->balance_minor += balance;
    }

  if (!dd_recipient_read_invoice (dd_store_db (self), r, error))
    return NULL;
  return g_steal_pointer (&r);
}

gboolean
dd_ladder_store_add_task (DdLadderStore    *self,
                          gint64            case_id,
                          DdLadderChannel   channel,
                          const char       *text,
                          const char       *refs_json,
                          const char       *next_contact_at,
                          GError          **error)
{
  g_autofree char *now = dd_timestamp_now ();

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  if (dd_database_execute (dd_store_db (self), error,
                           "INSERT INTO activity (case_id, kind, channel, body, refs, created_at)"
                           " VALUES (?, 'task', ?, ?, ?, ?)",
                           DD_INT (case_id), DD_TEXT (dd_ladder_channel_to_string (channel)),
                           DD_TEXT (text), DD_TEXT (refs_json), DD_TEXT (now), DD_END) &&
      dd_database_execute (dd_store_db (self), error,
                           "UPDATE debt_case SET last_activity_at = ?1, updated_at = ?1,"
                           " next_contact_at = COALESCE(?2, next_contact_at) WHERE id = ?3",
                           DD_TEXT (now), DD_TEXT (next_contact_at), DD_INT (case_id), DD_END))
    return dd_database_commit (dd_store_db (self), error);
  dd_database_rollback (dd_store_db (self), NULL);
  return FALSE;
}

GHashTable *
dd_ladder_store_describe_cases (DdLadderStore  *self,
                                const gint64   *case_ids,
                                guint           n_cases,
                                GError        **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                       g_free);

  for (guint i = 0; i < n_cases; i++)
    {
      GError *local_error = NULL;
      DdStatement *stmt;

      stmt = dd_database_query (dd_store_db (self), error,
                                "SELECT COALESCE(c.debtor_name, d.name),"
                                " (SELECT l.invoice_no FROM liability l WHERE l.case_id = c.id"
                                "  AND l.paid_at IS NULL ORDER BY COALESCE(l.due_on, '9999'), l.id"
                                "  LIMIT 1)"
                                " FROM debt_case c JOIN debtor d ON d.id = c.debtor_id"
                                " WHERE c.id = ?", DD_INT (case_ids[i]), DD_END);
      if (stmt == NULL)
        return NULL;
      if (dd_statement_step (stmt, &local_error))
        {
          const char *invoice = dd_statement_get_text (stmt, 1);

          g_hash_table_insert (names, g_memdup2 (&case_ids[i], sizeof (gint64)),
                               invoice != NULL
                               ? g_strdup_printf ("%s — %s", dd_statement_get_text (stmt, 0),
                                                  invoice)
                               : g_strdup (dd_statement_get_text (stmt, 0)));
        }
      if (!finish (stmt, local_error, error))
        return NULL;
    }
  return g_steal_pointer (&names);
}
