/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-ladder-store"

#include "config.h"

#include "dd-ladder-store.h"

#include <glib/gi18n-lib.h>
#include <string.h>

struct _DdLadderStore
{
  GObject     parent_instance;

  DdDatabase *database;
};

G_DEFINE_TYPE (DdLadderStore, dd_ladder_store, G_TYPE_OBJECT)

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

static void
dd_ladder_store_finalize (GObject *object)
{
  DdLadderStore *self = DD_LADDER_STORE (object);

  g_clear_object (&self->database);
  G_OBJECT_CLASS (dd_ladder_store_parent_class)->finalize (object);
}

static void
dd_ladder_store_class_init (DdLadderStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dd_ladder_store_finalize;
}

static void
dd_ladder_store_init (DdLadderStore *self)
{
}

DdLadderStore *
dd_ladder_store_new (DdDatabase *database)
{
  DdLadderStore *self = g_object_new (DD_TYPE_LADDER_STORE, NULL);

  self->database = g_object_ref (database);
  return self;
}

DdDatabase *
dd_ladder_store_get_database (DdLadderStore *self)
{
  return self->database;
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

  stmt = dd_database_query (self->database, error,
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

  stmt = dd_database_query (self->database, error,
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
  if (!dd_database_begin (self->database, error))
    return FALSE;

  if (policy->creditor_id != 0)
    ok = dd_database_fetch_int64 (self->database, &id, &found, error,
                                  "SELECT id FROM ladder_policy WHERE creditor_id = ?",
                                  DD_INT (policy->creditor_id), DD_END);
  else
    ok = dd_database_fetch_int64 (self->database, &id, &found, error,
                                  "SELECT id FROM ladder_policy WHERE creditor_id IS NULL",
                                  DD_END);
  if (ok && found)
    ok = dd_database_execute (self->database, error,
                              "UPDATE ladder_policy SET name = ?, updated_at = ? WHERE id = ?",
                              DD_TEXT (policy->name), DD_TEXT (now), DD_INT (id), DD_END) &&
         dd_database_execute (self->database, error,
                              "DELETE FROM ladder_step WHERE policy_id = ?", DD_INT (id), DD_END);
  else if (ok)
    {
      DdStatement *stmt = dd_database_cached (self->database,
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

      ok = dd_database_execute (self->database, error,
                                "INSERT INTO ladder_step (policy_id, position, offset_days,"
                                " channel, body, flow) VALUES (?, ?, ?, ?, ?, ?)",
                                DD_INT (id), DD_INT (i), DD_INT (s->offset_days),
                                DD_TEXT (dd_ladder_channel_to_string (s->channel)),
                                DD_TEXT (s->text), DD_TEXT (s->flow), DD_END);
    }
  if (ok)
    ok = dd_database_execute (self->database, error,
                              "INSERT INTO audit_log (at, action, entity, entity_id, details)"
                              " VALUES (?, 'ladder-policy', 'ladder_policy', ?, NULL)",
                              DD_TEXT (now), DD_INT (id), DD_END);
  if (ok)
    return dd_database_commit (self->database, error);
  dd_database_rollback (self->database, NULL);
  return FALSE;
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
  GError *local_error = NULL;
  DdStatement *stmt;

  out->cases = g_array_new (FALSE, TRUE, sizeof (DdLadderCase));
  out->zones = g_string_chunk_new (256);

  /* the newest declaration of each case that has one (few cases have any) */
  stmt = dd_database_query (self->database, error,
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

  stmt = dd_database_query (self->database, error,
                            "SELECT c.id, c.debtor_id, c.creditor_id, c.oldest_due_on,"
                            " r.step, r.day, r.shift_days, r.declaration_id,"
                            " c.ladder_excluded IS NOT NULL, c.ladder_paused_until,"
                            " d.opt_out, d.time_zone,"
                            " EXISTS (SELECT 1 FROM phone p WHERE p.debtor_id = c.debtor_id"
                            "         AND p.valid = 1)"
                            " FROM debt_case c"
                            " JOIN debtor d ON d.id = c.debtor_id"
                            " LEFT JOIN ladder_run r ON r.case_id = c.id"
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
      const char *zone;

      c.case_id = dd_statement_get_int64 (stmt, 0);
      c.debtor_id = dd_statement_get_int64 (stmt, 1);
      c.creditor_id = dd_statement_get_int64 (stmt, 2);
      c.due_day = dd_ladder_day_from_iso (dd_statement_get_text (stmt, 3));
      if (dd_statement_is_null (stmt, 4))
        c.reached = -1;
      else
        {
          c.reached = (gint) dd_statement_get_int64 (stmt, 4);
          c.reached_day = dd_ladder_day_from_iso (dd_statement_get_text (stmt, 5));
          c.shift_days = (gint) dd_statement_get_int64 (stmt, 6);
          c.handled_declaration_id = dd_statement_get_int64 (stmt, 7);
        }
      c.excluded = dd_statement_get_int64 (stmt, 8) != 0;
      if (!dd_statement_is_null (stmt, 9))
        c.paused_until = dd_ladder_day_from_iso (dd_statement_get_text (stmt, 9));
      c.opt_out = dd_statement_get_int64 (stmt, 10) != 0;
      zone = dd_statement_get_text (stmt, 11);
      if (zone != NULL && *zone != '\0')
        c.zone = g_string_chunk_insert_const (out->zones, zone);
      c.has_phone = dd_statement_get_int64 (stmt, 12) != 0;
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

  stmt = dd_database_query (self->database, error,
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

  return dd_database_execute (self->database, error,
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
  if (!dd_database_begin (self->database, error))
    return FALSE;
  if (dd_database_execute (self->database, error,
                           "UPDATE debt_case SET ladder_excluded = ? WHERE id = ?",
                           DD_TEXT (reason), DD_INT (case_id), DD_END) &&
      audit (self, reason != NULL ? "ladder-exclude" : "ladder-include", case_id, reason, error))
    return dd_database_commit (self->database, error);
  dd_database_rollback (self->database, NULL);
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
  if (!dd_database_begin (self->database, error))
    return FALSE;
  if (dd_database_execute (self->database, error,
                           "UPDATE debt_case SET ladder_paused_until = ? WHERE id = ?",
                           DD_TEXT (until), DD_INT (case_id), DD_END) &&
      audit (self, "ladder-pause", case_id, until, error))
    return dd_database_commit (self->database, error);
  dd_database_rollback (self->database, NULL);
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
  if (!dd_database_execute (self->database, error,
                            "INSERT INTO ladder_run (case_id, step, offset_days, channel, state,"
                            " day, lead_case_id, shift_days, promise_broken, declaration_id,"
                            " claimed_at)"
                            " VALUES (?1, ?2, ?3, ?4, 'claimed', ?5, ?6, ?7, ?8, NULLIF(?9, 0), ?10)"
                            " ON CONFLICT (case_id) DO UPDATE SET step = excluded.step,"
                            " offset_days = excluded.offset_days, channel = excluded.channel,"
                            " state = 'claimed', day = excluded.day,"
                            " lead_case_id = excluded.lead_case_id,"
                            " shift_days = excluded.shift_days,"
                            " promise_broken = excluded.promise_broken,"
                            " declaration_id = COALESCE(excluded.declaration_id,"
                            "                           ladder_run.declaration_id),"
                            " claimed_at = excluded.claimed_at, done_at = NULL"
                            " WHERE ladder_run.step < excluded.step AND ladder_run.day < excluded.day",
                            DD_INT (step->case_id), DD_INT (step->step), DD_INT (step->offset_days),
                            DD_TEXT (dd_ladder_channel_to_string (channel)), DD_TEXT (day_text),
                            DD_INT (lead_case_id), DD_INT (step->shift_days),
                            DD_INT (step->promise_broken),
                            DD_INT (step->declaration_id),
                            DD_TEXT (now), DD_END))
    return FALSE;
  *out_claimed = dd_database_changes (self->database) > 0;
  return TRUE;
}

gboolean
dd_ladder_store_mark_done (DdLadderStore  *self,
                           gint64          case_id,
                           GError        **error)
{
  g_autofree char *now = dd_timestamp_now ();

  return dd_database_execute (self->database, error,
                              "UPDATE ladder_run SET state = 'done', done_at = ?"
                              " WHERE case_id = ? AND state = 'claimed'",
                              DD_TEXT (now), DD_INT (case_id), DD_END);
}

GArray *
dd_ladder_store_list_claimed (DdLadderStore  *self,
                              GError        **error)
{
  g_autoptr(GArray) claims = g_array_new (FALSE, TRUE, sizeof (DdLadderClaim));
  GError *local_error = NULL;
  DdStatement *stmt;

  stmt = dd_database_query (self->database, error,
                            "SELECT case_id, lead_case_id, step, offset_days, channel, day,"
                            " promise_broken FROM ladder_run WHERE state = 'claimed'"
                            " ORDER BY lead_case_id, case_id", DD_END);
  if (stmt == NULL)
    return NULL;
  while (dd_statement_step (stmt, &local_error))
    {
      DdLadderClaim c = { 0 };

      c.case_id = dd_statement_get_int64 (stmt, 0);
      c.lead_case_id = dd_statement_get_int64 (stmt, 1);
      c.step = (gint) dd_statement_get_int64 (stmt, 2);
      c.offset_days = (gint) dd_statement_get_int64 (stmt, 3);
      if (!dd_ladder_channel_from_string (dd_statement_get_text (stmt, 4), &c.channel))
        continue;
      c.day = dd_ladder_day_from_iso (dd_statement_get_text (stmt, 5));
      c.promise_broken = dd_statement_get_int64 (stmt, 6) != 0;
      g_array_append_val (claims, c);
    }
  if (!finish (stmt, local_error, error))
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
  stmt = dd_database_query (self->database, error,
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

  return dd_database_execute (self->database, error,
                              "INSERT INTO ladder_day (day, ran_at, items) VALUES (?1, ?2, ?3)"
                              " ON CONFLICT (day) DO UPDATE SET ran_at = ?2,"
                              " items = ladder_day.items + ?3",
                              DD_TEXT (day), DD_TEXT (now), DD_INT (items), DD_END);
}

char *
dd_ladder_store_get_last_day (DdLadderStore  *self,
                              GError        **error)
{
  GError *local_error = NULL;
  DdStatement *stmt;
  char *day = NULL;

  stmt = dd_database_query (self->database, error, "SELECT MAX(day) FROM ladder_day", DD_END);
  if (stmt == NULL)
    return NULL;
  if (dd_statement_step (stmt, &local_error) && !dd_statement_is_null (stmt, 0))
    day = g_strdup (dd_statement_get_text (stmt, 0));
  finish (stmt, local_error, error);
  return day;
}
