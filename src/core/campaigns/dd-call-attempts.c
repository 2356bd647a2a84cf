/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-call-attempts"

#include "config.h"

#include "dd-call-attempts.h"

#include "dd-case-store.h"
#include "dd-claim.h"
#include "dd-json.h"
#include "dd-outbox.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <inttypes.h>
#include <string.h>

struct _DdCallAttempts
{
  DdStore     parent_instance;
  DdCaseStore *cases;
  DdOutbox   *outbox;
  GTimeZone  *zone;
};

G_DEFINE_FINAL_TYPE (DdCallAttempts, dd_call_attempts, DD_TYPE_STORE)

G_DEFINE_QUARK (dd-call-attempts-error-quark, dd_call_attempts_error)

static const char * const state_names[] = {
  "scheduled", "dialing", "answered", "completed", "no-answer", "busy", "rejected", "failed",
  "unreachable", "invalid", "cancelled", "unknown",
};

G_STATIC_ASSERT (G_N_ELEMENTS (state_names) == DD_CALL_ATTEMPT_N_STATES);

/* Calls in the contact policy's history: its caps count per month at most. */
#define HISTORY_DAYS 32

DD_DEFINE_ENUM_NAMES (DdCallAttemptState, dd_call_attempt_state, state_names)

const char *
dd_call_attempt_state_to_label (DdCallAttemptState state)
{
  switch (state)
    {
    case DD_CALL_ATTEMPT_SCHEDULED:
      /* Translators: state of one call of a voice campaign */
      return C_("call", "Scheduled");
    case DD_CALL_ATTEMPT_DIALING:
      /* Translators: state of one call of a voice campaign */
      return C_("call", "Dialing");
    case DD_CALL_ATTEMPT_ANSWERED:
      /* Translators: state of one call of a voice campaign */
      return C_("call", "On the line");
    case DD_CALL_ATTEMPT_COMPLETED:
      /* Translators: state of one call of a voice campaign */
      return C_("call", "Answered");
    case DD_CALL_ATTEMPT_NO_ANSWER:
      /* Translators: state of one call of a voice campaign */
      return C_("call", "No answer");
    case DD_CALL_ATTEMPT_BUSY:
      /* Translators: state of one call of a voice campaign */
      return C_("call", "Busy");
    case DD_CALL_ATTEMPT_REJECTED:
      /* Translators: state of one call of a voice campaign */
      return C_("call", "Rejected");
    case DD_CALL_ATTEMPT_FAILED:
      /* Translators: state of one call of a voice campaign */
      return C_("call", "Failed");
    case DD_CALL_ATTEMPT_UNREACHABLE:
      /* Translators: state of one call of a voice campaign */
      return C_("call", "Unreachable");
    case DD_CALL_ATTEMPT_INVALID:
      /* Translators: state of one call of a voice campaign */
      return C_("call", "Number does not exist");
    case DD_CALL_ATTEMPT_CANCELLED:
      /* Translators: state of one call of a voice campaign */
      return C_("call", "Cancelled");
    case DD_CALL_ATTEMPT_UNKNOWN:
      /* Translators: state of one call of a voice campaign: the program stopped during it */
      return C_("call", "Interrupted");
    case DD_CALL_ATTEMPT_N_STATES:
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
dd_answered_by_to_string (DdAnsweredBy by)
{
  switch (by)
    {
    case DD_ANSWERED_BY_PERSON:
      return "person";
    case DD_ANSWERED_BY_MACHINE:
      return "machine";
    case DD_ANSWERED_BY_UNKNOWN:
      return "unknown";
    case DD_ANSWERED_BY_NONE:
    default:
      return NULL;
    }
}

static DdAnsweredBy
answered_by_from_string (const char *text)
{
  if (g_strcmp0 (text, "person") == 0)
    return DD_ANSWERED_BY_PERSON;
  if (g_strcmp0 (text, "machine") == 0)
    return DD_ANSWERED_BY_MACHINE;
  if (g_strcmp0 (text, "unknown") == 0)
    return DD_ANSWERED_BY_UNKNOWN;
  return DD_ANSWERED_BY_NONE;
}

void
dd_call_attempt_free (DdCallAttempt *attempt)
{
  if (attempt == NULL)
    return;
  g_free (attempt->e164);
  g_free (attempt->line);
  g_free (attempt->caller_id);
  g_free (attempt->scheduled_at);
  g_free (attempt->started_at);
  g_free (attempt->answered_at);
  g_free (attempt->ended_at);
  g_free (attempt->sip_reason);
  g_free (attempt->cause);
  g_free (attempt->ivr_path);
  g_free (attempt->keys);
  g_free (attempt->transfer);
  g_free (attempt->result);
  g_clear_pointer (&attempt->covers, g_array_unref);
  g_free (attempt);
}

char *
dd_call_attempts_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

gint64
dd_call_attempts_parse_time (const char *text)
{
  g_autoptr(GDateTime) time = NULL;

  if (text == NULL || *text == '\0')
    return 0;
  time = g_date_time_new_from_iso8601 (text, NULL);
  return time != NULL ? g_date_time_to_unix (time) : 0;
}

#define ATTEMPT_COLUMNS \
  "a.id, COALESCE(a.campaign_id, 0), COALESCE(a.case_id, 0), COALESCE(a.debtor_id, 0)," \
  " COALESCE(a.phone_id, 0), a.e164, a.attempt_no, a.state, a.line, a.caller_id," \
  " a.scheduled_at, a.started_at, a.answered_at, a.ended_at, COALESCE(a.sip_status, 0)," \
  " a.sip_reason, a.hangup_cause, a.answered_by, a.ivr_path, a.keys, a.heard_to_end," \
  " a.transfer, COALESCE(a.declaration_id, 0), a.result, a.covers"

/* "12 7 9": the ids of @case_ids, the lead first (@lead, when not among them, before them). */
static char *
covers_to_text (gint64        lead,
                const gint64 *case_ids,
                guint         n_cases)
{
  GString *text = g_string_new (NULL);

  if (lead > 0)
    g_string_append_printf (text, "%" G_GINT64_FORMAT, lead);
  for (guint i = 0; i < n_cases; i++)
    if (case_ids[i] != lead && case_ids[i] > 0)
      g_string_append_printf (text, "%s%" G_GINT64_FORMAT, text->len > 0 ? " " : "",
                              case_ids[i]);
  return g_string_free (text, FALSE);
}

static GArray *
covers_from_text (gint64      lead,
                  const char *text)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(GStrv) parts = g_strsplit (text != NULL ? text : "", " ", -1);

  if (lead > 0)
    g_array_append_val (ids, lead);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gint64 id = g_ascii_strtoll (parts[i], NULL, 10);

      if (id > 0 && id != lead)
        g_array_append_val (ids, id);
    }
  return ids;
}

static DdCallAttempt *
read_attempt (DdStatement *stmt)
{
  DdCallAttempt *a = g_new0 (DdCallAttempt, 1);

  a->id = dd_statement_get_int64 (stmt, 0);
  a->campaign_id = dd_statement_get_int64 (stmt, 1);
  a->case_id = dd_statement_get_int64 (stmt, 2);
  a->debtor_id = dd_statement_get_int64 (stmt, 3);
  a->phone_id = dd_statement_get_int64 (stmt, 4);
  a->e164 = g_strdup (dd_statement_get_text (stmt, 5));
  a->attempt_no = (guint) dd_statement_get_int64 (stmt, 6);
  if (!dd_call_attempt_state_from_string (dd_statement_get_text (stmt, 7), &a->state))
    a->state = DD_CALL_ATTEMPT_SCHEDULED;
  a->line = g_strdup (dd_statement_get_text (stmt, 8));
  a->caller_id = g_strdup (dd_statement_get_text (stmt, 9));
  a->scheduled_at = g_strdup (dd_statement_get_text (stmt, 10));
  a->started_at = g_strdup (dd_statement_get_text (stmt, 11));
  a->answered_at = g_strdup (dd_statement_get_text (stmt, 12));
  a->ended_at = g_strdup (dd_statement_get_text (stmt, 13));
  a->sip_status = (guint) dd_statement_get_int64 (stmt, 14);
  a->sip_reason = g_strdup (dd_statement_get_text (stmt, 15));
  a->cause = g_strdup (dd_statement_get_text (stmt, 16));
  a->answered_by = answered_by_from_string (dd_statement_get_text (stmt, 17));
  a->ivr_path = g_strdup (dd_statement_get_text (stmt, 18));
  a->keys = g_strdup (dd_statement_get_text (stmt, 19));
  a->heard_to_end = dd_statement_get_int64 (stmt, 20) != 0;
  a->transfer = g_strdup (dd_statement_get_text (stmt, 21));
  a->declaration_id = dd_statement_get_int64 (stmt, 22);
  a->result = g_strdup (dd_statement_get_text (stmt, 23));
  a->covers = covers_from_text (a->case_id, dd_statement_get_text (stmt, 24));
  return a;
}

/* GObject */

static void
dd_call_attempts_finalize (GObject *object)
{
  DdCallAttempts *self = DD_CALL_ATTEMPTS (object);

  g_clear_object (&self->cases);
  g_clear_object (&self->outbox);
  g_clear_pointer (&self->zone, g_time_zone_unref);

  G_OBJECT_CLASS (dd_call_attempts_parent_class)->finalize (object);
}

static void
dd_call_attempts_class_init (DdCallAttemptsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dd_call_attempts_finalize;
}

static void
dd_call_attempts_init (DdCallAttempts *self)
{
  self->zone = g_time_zone_new_local ();
}

DdCallAttempts *
dd_call_attempts_new (DdDatabase *database)
{
  DdCallAttempts *self;

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);

  self = dd_store_new (DD_TYPE_CALL_ATTEMPTS, database);
  self->cases = dd_case_store_new (database);
  self->outbox = dd_outbox_new (database);
  return self;
}

void
dd_call_attempts_set_time_zone (DdCallAttempts *self,
                                GTimeZone      *zone)
{
  g_return_if_fail (DD_IS_CALL_ATTEMPTS (self));
  g_return_if_fail (zone != NULL);

  g_time_zone_unref (self->zone);
  self->zone = g_time_zone_ref (zone);
}

gboolean
dd_call_attempts_plan (DdCallAttempts  *self,
                       gint64           campaign_id,
                       GPtrArray       *recipients,
                       gint64           not_before,
                       guint           *out_added,
                       GError         **error)
{
  g_autofree char *at = dd_call_attempts_format_time (not_before);
  guint added = 0;
  gboolean ok;

  g_return_val_if_fail (DD_IS_CALL_ATTEMPTS (self), FALSE);
  g_return_val_if_fail (recipients != NULL, FALSE);

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  ok = TRUE;
  for (guint i = 0; ok && i < recipients->len; i++)
    {
      DdRecipient *r = g_ptr_array_index (recipients, i);
      gboolean exists = FALSE;

      ok = dd_database_exists (dd_store_db (self), &exists, error,
                               "SELECT 1 FROM call_attempt WHERE campaign_id = ? AND e164 = ?",
                               DD_INT (campaign_id), DD_TEXT (r->e164), DD_END);
      if (!ok || exists)
        continue;
      ok = dd_database_execute (dd_store_db (self), error,
                                "INSERT INTO call_attempt (campaign_id, case_id, debtor_id,"
                                " phone_id, e164, attempt_no, scheduled_at, state, updated_at)"
                                " VALUES (?, ?, ?, NULLIF(?, 0), ?, 1, ?, 'scheduled', ?)",
                                DD_INT (campaign_id), DD_INT (r->case_id), DD_INT (r->debtor_id),
                                DD_INT (r->phone_id), DD_TEXT (r->e164), DD_TEXT (at),
                                DD_TEXT (at), DD_END);
      if (ok)
        added++;
    }
  if (!dd_database_finish (dd_store_db (self), ok, error))
    return FALSE;
  if (out_added != NULL)
    *out_added = added;
  return TRUE;
}

gboolean
dd_call_attempts_plan_keyed (DdCallAttempts     *self,
                             gint64              campaign_id,
                             const DdRecipient  *recipient,
                             const gint64       *case_ids,
                             guint               n_cases,
                             const char         *key,
                             gint64              not_before,
                             gint64             *out_attempt_id,
                             GError            **error)
{
  g_autofree char *at = dd_call_attempts_format_time (not_before);
  g_autofree char *covers = n_cases > 1 ? covers_to_text (recipient->case_id, case_ids, n_cases)
                                        : NULL;
  gboolean exists = FALSE;
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (DD_IS_CALL_ATTEMPTS (self), FALSE);
  g_return_val_if_fail (recipient != NULL && recipient->e164 != NULL, FALSE);
  g_return_val_if_fail (key != NULL && *key != '\0', FALSE);

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  ok = dd_database_exists (dd_store_db (self), &exists, error,
                           "SELECT 1 FROM call_attempt WHERE plan_key = ?", DD_TEXT (key), DD_END);
  if (ok && !exists)
    ok = dd_database_insert (dd_store_db (self), &id, error,
                             "INSERT INTO call_attempt (campaign_id, case_id, debtor_id,"
                             " phone_id, e164, attempt_no, scheduled_at, state, updated_at,"
                             " plan_key, covers)"
                             " VALUES (?, ?, ?, NULLIF(?, 0), ?, 1, ?, 'scheduled', ?, ?, ?)",
                             DD_INT (campaign_id), DD_INT (recipient->case_id),
                             DD_INT (recipient->debtor_id), DD_INT (recipient->phone_id),
                             DD_TEXT (recipient->e164), DD_TEXT (at), DD_TEXT (at), DD_TEXT (key),
                             DD_TEXT (covers), DD_END);
  if (!dd_database_finish (dd_store_db (self), ok, error))
    return FALSE;
  if (out_attempt_id != NULL)
    *out_attempt_id = id;
  return TRUE;
}

typedef struct
{
  guint attempts_per_day;
  guint interval_s;
  guint max_attempts;
} Retry;

static gboolean
read_retry (DdCallAttempts  *self,
            gint64           campaign_id,
            Retry           *out,
            GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  DdStatement *stmt;

  /* the defaults of dd_voice_settings_new() */
  out->attempts_per_day = 2;
  out->interval_s = 4 * 3600;
  out->max_attempts = 3;
  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT attempts_per_day, attempt_interval_s, max_attempts"
                            " FROM campaign WHERE id = ?",
                            DD_INT (campaign_id), DD_END);
  if (stmt == NULL)
    return FALSE;
  if (dd_statement_step (stmt, &local_error))
    {
      if (!dd_statement_is_null (stmt, 0))
        out->attempts_per_day = (guint) MAX (dd_statement_get_int64 (stmt, 0), 0);
      if (!dd_statement_is_null (stmt, 1))
        out->interval_s = (guint) MAX (dd_statement_get_int64 (stmt, 1), 0);
      if (!dd_statement_is_null (stmt, 2))
        out->max_attempts = (guint) MAX (dd_statement_get_int64 (stmt, 2), 1);
    }
  return dd_statement_done (stmt, g_steal_pointer (&local_error), error);
}

/* The start of the calendar day of @at, @days_after days later, in the store's zone. */
static gint64
midnight (DdCallAttempts *self,
          gint64          at,
          int             days_after)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, self->zone);
  g_autoptr(GDateTime) start = g_date_time_new (self->zone, g_date_time_get_year (local),
                                                g_date_time_get_month (local),
                                                g_date_time_get_day_of_month (local), 0, 0, 0);
  g_autoptr(GDateTime) day = g_date_time_add_days (start, days_after);

  return g_date_time_to_unix (day);
}

static gint64
next_midnight (DdCallAttempts *self,
               gint64          at)
{
  return midnight (self, at, 1);
}

static gint64
this_midnight (DdCallAttempts *self,
               gint64          at)
{
  return midnight (self, at, 0);
}

/* Whether a call that came to @outcome reached its goal (or can never reach it). */
static gboolean
is_final (const DdCallOutcome *outcome)
{
  if (outcome->state == DD_CALL_ATTEMPT_INVALID || outcome->state == DD_CALL_ATTEMPT_CANCELLED)
    return TRUE;
  if (outcome->state != DD_CALL_ATTEMPT_COMPLETED)
    return FALSE;
  if (outcome->declaration_id > 0 || outcome->transfer != NULL)
    return TRUE;
  /* heard to the end: by the debtor, or left on their voicemail */
  return outcome->heard_to_end;
}

/* The next attempt for the number of @attempt (just settled), if the policy gives one. */
static gboolean
schedule_next (DdCallAttempts       *self,
               const DdCallAttempt  *attempt,
               gint64                now,
               gint64               *out_next_id,
               GError              **error)
{
  Retry retry;
  gint64 started = dd_call_attempts_parse_time (attempt->started_at);
  gint64 calls = 0, today = 0, next;
  g_autofree char *midnight = NULL;
  g_autofree char *next_text = NULL;
  g_autofree char *now_text = dd_call_attempts_format_time (now);
  g_autofree char *covers = NULL;

  *out_next_id = 0;
  if (!read_retry (self, attempt->campaign_id, &retry, error))
    return FALSE;
  if (!dd_database_fetch_int64 (dd_store_db (self), &calls, NULL, error,
                                "SELECT COUNT(*) FROM call_attempt WHERE campaign_id = ?"
                                " AND e164 = ? AND started_at IS NOT NULL",
                                DD_INT (attempt->campaign_id), DD_TEXT (attempt->e164), DD_END))
    return FALSE;
  if (calls >= retry.max_attempts)
    return TRUE;

  if (started == 0)
    started = now;
  /* times are whole seconds (the start was up to a second later than stored): one second
   * more makes sure a whole interval passed */
  next = MAX (now, started + (gint64) retry.interval_s + 1);
  if (retry.attempts_per_day > 0)
    {
      midnight = dd_call_attempts_format_time (this_midnight (self, next));
      if (!dd_database_fetch_int64 (dd_store_db (self), &today, NULL, error,
                                    "SELECT COUNT(*) FROM call_attempt WHERE campaign_id = ?"
                                    " AND e164 = ? AND started_at >= ?",
                                    DD_INT (attempt->campaign_id), DD_TEXT (attempt->e164),
                                    DD_TEXT (midnight), DD_END))
        return FALSE;
      if (today >= retry.attempts_per_day)
        next = next_midnight (self, next);
    }
  next_text = dd_call_attempts_format_time (next);
  if (attempt->covers != NULL && attempt->covers->len > 1)
    covers = covers_to_text (attempt->case_id, (const gint64 *) (gpointer) attempt->covers->data,
                             attempt->covers->len);
  if (!dd_database_execute (dd_store_db (self), error,
                            "INSERT INTO call_attempt (campaign_id, case_id, debtor_id,"
                            " phone_id, e164, attempt_no, scheduled_at, state, updated_at, covers)"
                            " VALUES (?, ?, ?, NULLIF(?, 0), ?, ?, ?, 'scheduled', ?, ?)",
                            DD_INT (attempt->campaign_id), DD_INT (attempt->case_id),
                            DD_INT (attempt->debtor_id), DD_INT (attempt->phone_id),
                            DD_TEXT (attempt->e164), DD_INT (calls + 1), DD_TEXT (next_text),
                            DD_TEXT (now_text), DD_TEXT (covers), DD_END))
    return FALSE;
  return dd_database_fetch_int64 (dd_store_db (self), out_next_id, NULL, error,
                                  "SELECT MAX(id) FROM call_attempt WHERE campaign_id = ?"
                                  " AND e164 = ?",
                                  DD_INT (attempt->campaign_id), DD_TEXT (attempt->e164), DD_END);
}

static DdCallAttempt *
get_attempt (DdCallAttempts  *self,
             gint64           attempt_id,
             GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  DdCallAttempt *attempt = NULL;
  DdStatement *stmt;

  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT " ATTEMPT_COLUMNS " FROM call_attempt a WHERE a.id = ?",
                            DD_INT (attempt_id), DD_END);
  if (stmt == NULL)
    return NULL;
  if (dd_statement_step (stmt, &local_error))
    attempt = read_attempt (stmt);
  dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (attempt == NULL)
    g_set_error (error, DD_CALL_ATTEMPTS_ERROR, DD_CALL_ATTEMPTS_ERROR_NOT_FOUND,
                 _("There is no call attempt %" PRId64 "."), attempt_id);
  return attempt;
}

DdCallAttempt *
dd_call_attempts_get (DdCallAttempts  *self,
                      gint64           attempt_id,
                      GError         **error)
{
  g_return_val_if_fail (DD_IS_CALL_ATTEMPTS (self), NULL);

  return get_attempt (self, attempt_id, error);
}

/* The timeline row of a settled attempt. */
static char *
describe (const DdCallAttempt *a,
          const DdCallOutcome *o)
{
  const char *what = dd_call_attempt_state_to_label (o->state);

  if (o->declaration_id > 0)
    /* Translators: a call of a voice campaign on the case timeline: the number called */
    return g_strdup_printf (_("Call to %s: payment declared"), a->e164);
  if (o->state == DD_CALL_ATTEMPT_COMPLETED && o->answered_by == DD_ANSWERED_BY_MACHINE)
    /* Translators: a call of a voice campaign on the case timeline: the number called */
    return g_strdup_printf (o->heard_to_end ? _("Call to %s: voicemail left")
                                            : _("Call to %s: answering machine, hung up"),
                            a->e164);
  if (o->state == DD_CALL_ATTEMPT_COMPLETED && g_strcmp0 (o->result, "declaration-refused") == 0)
    /* Translators: a call of a voice campaign on the case timeline: the number called */
    return g_strdup_printf (_("Call to %s: a payment was promised, but the date or amount was "
                              "refused — check with the debtor"), a->e164);
  if (o->state == DD_CALL_ATTEMPT_COMPLETED && g_strcmp0 (o->transfer, "no-agent") == 0)
    /* Translators: a call of a voice campaign on the case timeline: the number called */
    return g_strdup_printf (_("Call to %s: asked for a consultant, nobody free — call back"),
                            a->e164);
  if (o->state == DD_CALL_ATTEMPT_COMPLETED)
    /* Translators: a call of a voice campaign on the case timeline: the number called */
    return g_strdup_printf (o->heard_to_end ? _("Call to %s: message heard to the end")
                                            : _("Call to %s: hung up during the message"),
                            a->e164);
  if (o->state == DD_CALL_ATTEMPT_NO_ANSWER && g_strcmp0 (o->result, "silent") == 0)
    /* Translators: a call of a voice campaign on the case timeline: the number called. The
     * line was picked up, but the callee sent no sound and pressed no key (dead air) */
    return g_strdup_printf (_("Call to %s: picked up, but the line stayed silent — nobody "
                              "spoke or pressed a key; not counted as heard"), a->e164);
  /* Translators: a call of a voice campaign on the case timeline: the number called, then
   * why it was not answered ("Busy", "No answer"…) */
  return g_strdup_printf (_("Call to %1$s: %2$s"), a->e164, what);
}

static char *
refs_json (const DdCallAttempt *a,
           const DdCallOutcome *o,
           const char          *answered_at)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  dd_json_add_int (b, "campaign_id", a->campaign_id);
  dd_json_add_int (b, "call_attempt_id", a->id);
  dd_json_add_int (b, "attempt_no", a->attempt_no);
  dd_json_add_string (b, "e164", a->e164);
  dd_json_add_string (b, "line", a->line);
  dd_json_add_string (b, "caller_id", a->caller_id);
  dd_json_add_string (b, "state", state_names[o->state]);
  dd_json_add_int (b, "sip_status", o->sip_status);
  dd_json_add_string (b, "started_at", a->started_at);
  dd_json_add_string (b, "answered_at", answered_at);
  dd_json_add_string (b, "answered_by", dd_answered_by_to_string (o->answered_by));
  dd_json_add_string (b, "ivr_path", o->ivr_path);
  dd_json_add_string (b, "keys", o->keys);
  dd_json_add_boolean (b, "heard_to_end", o->heard_to_end);
  dd_json_add_string (b, "transfer", o->transfer);
  if (o->declaration_id > 0)
    dd_json_add_int (b, "declaration_id", o->declaration_id);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static gboolean
settle (DdCallAttempts       *self,
        DdCallAttempt        *attempt,
        const DdCallOutcome  *outcome,
        gint64                now,
        gint64               *out_next_id,
        GError              **error)
{
  g_autofree char *now_text = dd_call_attempts_format_time (now);
  g_autofree char *answered_at = NULL;
  g_autofree char *body = NULL;
  g_autofree char *refs = NULL;
  const char *result = outcome->result != NULL ? outcome->result : state_names[outcome->state];
  gint64 next_id = 0;

  if (outcome->answered_at > 0)
    answered_at = dd_call_attempts_format_time (outcome->answered_at);
  else if (attempt->answered_at != NULL)
    answered_at = g_strdup (attempt->answered_at);
  if (!dd_database_execute (dd_store_db (self), error,
                            "UPDATE call_attempt SET state = ?, answered_at = ?, ended_at = ?,"
                            " sip_status = NULLIF(?, 0), sip_reason = ?, hangup_cause = ?,"
                            " answered_by = ?, ivr_path = ?, keys = ?, heard_to_end = ?,"
                            " transfer = ?, declaration_id = NULLIF(?, 0), result = ?,"
                            " updated_at = ? WHERE id = ?",
                            DD_TEXT (state_names[outcome->state]), DD_TEXT (answered_at),
                            DD_TEXT (now_text), DD_INT (outcome->sip_status),
                            DD_TEXT (outcome->sip_reason), DD_TEXT (outcome->cause),
                            DD_TEXT (dd_answered_by_to_string (outcome->answered_by)),
                            DD_TEXT (outcome->ivr_path), DD_TEXT (outcome->keys),
                            DD_INT (outcome->heard_to_end), DD_TEXT (outcome->transfer),
                            DD_INT (outcome->declaration_id), DD_TEXT (result),
                            DD_TEXT (now_text), DD_INT (attempt->id), DD_END))
    return FALSE;

  if (attempt->case_id > 0 && outcome->state != DD_CALL_ATTEMPT_CANCELLED)
    {
      /* the call is on the timeline of every case it spoke of, not only the lead's */
      guint n_covers = attempt->covers != NULL ? attempt->covers->len : 0;

      body = describe (attempt, outcome);
      refs = refs_json (attempt, outcome, answered_at);
      for (guint i = 0; i < MAX (n_covers, 1); i++)
        {
          gint64 case_id = n_covers > 0 ? g_array_index (attempt->covers, gint64, i)
                                        : attempt->case_id;

          if (!dd_case_store_add_activity (self->cases, case_id, "call", "voice", body, refs, 0,
                                           error))
            return FALSE;
        }
    }
  if (!is_final (outcome) && !schedule_next (self, attempt, now, &next_id, error))
    return FALSE;
  if (out_next_id != NULL)
    *out_next_id = next_id;
  return TRUE;
}

gboolean
dd_call_attempts_recover (DdCallAttempts  *self,
                          gint64           now,
                          guint           *out_n,
                          GError         **error)
{
  g_autoptr(GPtrArray) cut = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_call_attempt_free);
  g_autoptr(GError) local_error = NULL;
  DdStatement *stmt;
  gboolean ok;

  g_return_val_if_fail (DD_IS_CALL_ATTEMPTS (self), FALSE);

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  /* On a shared database another desk may be on a call right now: only the attempts no live
   * desk holds are this one's to settle (dd_claim_is_abandoned()), taken over first so that
   * two desks starting at once do not both settle one. */
  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT " ATTEMPT_COLUMNS ", a.claimed_by, a.heartbeat_at"
                            " FROM call_attempt a"
                            " WHERE a.state IN ('dialing', 'answered') ORDER BY a.id"
                            DD_SQL_CLAIM ("a"),
                            DD_END);
  ok = stmt != NULL;
  if (ok)
    {
      guint n_columns = dd_statement_n_columns (stmt);
      g_autoptr(GPtrArray) owners = g_ptr_array_new_with_free_func (g_free);

      while (dd_statement_step (stmt, &local_error))
        if (dd_claim_is_abandoned (dd_statement_get_text (stmt, n_columns - 2),
                                   dd_statement_get_text (stmt, n_columns - 1), now,
                                   DD_CLAIM_LEASE_SECONDS))
          {
            g_ptr_array_add (cut, read_attempt (stmt));
            g_ptr_array_add (owners, g_strdup (dd_statement_get_text (stmt, n_columns - 2)));
          }
      dd_statement_reset (stmt);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
        }
      for (guint i = 0; ok && i < cut->len;)
        {
          DdCallAttempt *a = g_ptr_array_index (cut, i);
          gboolean taken = FALSE;

          ok = dd_claim_take_over (dd_store_db (self),
                                   "UPDATE call_attempt SET claimed_by = ? WHERE id = ?"
                                   " AND state IN ('dialing', 'answered')"
                                   " AND coalesce (claimed_by, '') = ?",
                                   NULL, a->id, g_ptr_array_index (owners, i), &taken, error);
          if (ok && !taken)
            {
              g_ptr_array_remove_index (cut, i);
              g_ptr_array_remove_index (owners, i);
            }
          else
            i++;
        }
    }
  for (guint i = 0; ok && i < cut->len; i++)
    {
      DdCallAttempt *a = g_ptr_array_index (cut, i);
      DdCallOutcome outcome = {
        .state = DD_CALL_ATTEMPT_UNKNOWN,
        .cause = "interrupted",
        .answered_by = a->answered_at != NULL ? DD_ANSWERED_BY_UNKNOWN : DD_ANSWERED_BY_NONE,
        .result = "interrupted",
      };

      ok = settle (self, a, &outcome, now, NULL, error);
    }
  if (!dd_database_finish (dd_store_db (self), ok, error))
    return FALSE;
  if (out_n != NULL)
    *out_n = cut->len;
  return TRUE;
}

gboolean
dd_call_attempts_heartbeat (DdCallAttempts  *self,
                            gint64           now,
                            GError         **error)
{
  g_autofree char *text = dd_call_attempts_format_time (now);

  g_return_val_if_fail (DD_IS_CALL_ATTEMPTS (self), FALSE);

  return dd_database_execute (dd_store_db (self), error,
                              "UPDATE call_attempt SET heartbeat_at = ?"
                              " WHERE state IN ('dialing', 'answered') AND claimed_by = ?",
                              DD_TEXT (text), DD_TEXT (dd_claim_owner ()), DD_END);
}

/* The latest start of a call of @campaign_id to @e164 or to the debtor @debtor_id (0 if
 * none); @out_on_line: one of them is still on the line. */
static gboolean
last_call (DdCallAttempts  *self,
           gint64           campaign_id,
           gint64           attempt_id,
           const char      *e164,
           gint64           debtor_id,
           gint64          *out_started,
           GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  DdStatement *stmt;

  *out_started = 0;
  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT MAX(started_at) FROM call_attempt WHERE campaign_id = ?"
                            " AND id <> ? AND started_at IS NOT NULL"
                            " AND (e164 = ? OR (debtor_id = ? AND ? <> 0))",
                            DD_INT (campaign_id), DD_INT (attempt_id), DD_TEXT (e164),
                            DD_INT (debtor_id), DD_INT (debtor_id), DD_END);
  if (stmt == NULL)
    return FALSE;
  if (dd_statement_step (stmt, &local_error))
    *out_started = dd_call_attempts_parse_time (dd_statement_get_text (stmt, 0));
  return dd_statement_done (stmt, g_steal_pointer (&local_error), error);
}

static gboolean
reschedule (DdCallAttempts  *self,
            gint64           attempt_id,
            gint64           at,
            GError         **error)
{
  g_autofree char *text = dd_call_attempts_format_time (at);

  return dd_database_execute (dd_store_db (self), error,
                              "UPDATE call_attempt SET scheduled_at = ?, updated_at = ?"
                              " WHERE id = ?",
                              DD_TEXT (text), DD_TEXT (text), DD_INT (attempt_id), DD_END);
}

/* Whether @policy lets the debtor of @a be called at @now; else *@out_later: when (0: never
 * within the horizon). */
static gboolean
policy_allows (DdCallAttempts         *self,
               const DdContactPolicy  *policy,
               const DdCallAttempt    *a,
               gint64                  now,
               gint64                 *out_later,
               GError                **error)
{
  g_autofree char *zone = NULL;
  g_autoptr(GArray) history = NULL;
  DdContactVerdict verdict;

  *out_later = 0;
  if (policy == NULL || a->case_id <= 0)
    return TRUE;
  history = dd_outbox_contact_history (self->outbox, a->case_id, now - HISTORY_DAYS * 86400,
                                       &zone, error);
  if (history == NULL)
    return FALSE;
  verdict = dd_contact_policy_check (policy, DD_CONTACT_CALL, zone, now,
                                     (const DdContactEvent *) (gpointer) history->data,
                                     history->len, DD_CONTACT_PLAN_HORIZON_DAYS, out_later);
  if (verdict == DD_CONTACT_ALLOWED)
    return TRUE;
  if (verdict == DD_CONTACT_SKIP)
    *out_later = 0;
  return FALSE;
}

/* Whether @a's debtor opted out, or every case it speaks of was paid or closed. */
static gboolean
settled_since_planned (DdCallAttempts       *self,
                       const DdCallAttempt  *a,
                       gboolean             *out_settled,
                       GError              **error)
{
  guint n = a->covers != NULL && a->covers->len > 0 ? a->covers->len : 1;
  gboolean open = FALSE;

  *out_settled = FALSE;
  if (a->case_id <= 0)
    return TRUE;
  if (!dd_database_exists (dd_store_db (self), out_settled, error,
                           "SELECT 1 FROM debtor WHERE id = ? AND opt_out <> 0",
                           DD_INT (a->debtor_id), DD_END))
    return FALSE;
  if (*out_settled)
    return TRUE;
  for (guint i = 0; i < n && !open; i++)
    {
      gint64 case_id = a->covers != NULL && a->covers->len > 0
                       ? g_array_index (a->covers, gint64, i) : a->case_id;

      if (!dd_database_exists (dd_store_db (self), &open, error,
                               "SELECT 1 FROM debt_case WHERE id = ? AND status <> 'closed'"
                               " AND balance_minor > 0",
                               DD_INT (case_id), DD_END))
        return FALSE;
    }
  *out_settled = !open;
  return TRUE;
}

DdCallAttempt *
dd_call_attempts_claim_next (DdCallAttempts         *self,
                             gint64                  campaign_id,
                             gint64                  now,
                             const DdContactPolicy  *policy,
                             const char             *line,
                             const char             *caller_id,
                             GError                **error)
{
  g_autofree char *now_text = dd_call_attempts_format_time (now);
  g_autoptr(DdCallAttempt) claimed = NULL;
  gboolean settled = FALSE;
  Retry retry;
  gboolean ok;

  g_return_val_if_fail (DD_IS_CALL_ATTEMPTS (self), NULL);

  if (!dd_database_begin (dd_store_db (self), error))
    return NULL;
  ok = read_retry (self, campaign_id, &retry, error);
  /* each candidate is claimed or moved later: the loop ends */
  while (ok && claimed == NULL)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(DdCallAttempt) a = NULL;
      gint64 last = 0, later = 0;
      DdStatement *stmt;

      stmt = dd_database_query (dd_store_db (self), error,
                                "SELECT " ATTEMPT_COLUMNS " FROM call_attempt a"
                                " JOIN campaign c ON c.id = a.campaign_id"
                                " WHERE a.campaign_id = ? AND a.state = 'scheduled'"
                                " AND c.state = 'running' AND COALESCE(a.scheduled_at, '') <= ?"
                                " ORDER BY a.scheduled_at, a.id LIMIT 1" DD_SQL_CLAIM ("a"),
                                DD_INT (campaign_id), DD_TEXT (now_text), DD_END);
      if (stmt == NULL)
        {
          ok = FALSE;
          break;
        }
      if (dd_statement_step (stmt, &local_error))
        a = read_attempt (stmt);
      dd_statement_reset (stmt);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
          break;
        }
      if (a == NULL)
        break;

      /* not to a debtor who opted out, nor about debts paid or closed, since the call was
       * planned (the outbox does the same with SMS): a call that waited for its window, a line
       * or the next day, or a retry */
      ok = settled_since_planned (self, a, &settled, error);
      if (ok && settled)
        {
          DdCallOutcome outcome = { .state = DD_CALL_ATTEMPT_CANCELLED,
                                    .result = "case-settled" };

          ok = settle (self, a, &outcome, now, NULL, error);
          if (!ok)
            break;
          continue;
        }
      if (!ok)
        break;

      /* never twice inside the interval: the number, nor the debtor on another number */
      ok = last_call (self, campaign_id, a->id, a->e164, a->debtor_id, &last, error);
      if (ok && last > 0 && last + (gint64) retry.interval_s >= now)
        {
          /* the stored start is whole seconds: strictly more than the interval since it */
          ok = reschedule (self, a->id, MAX (last + (gint64) retry.interval_s + 1, now + 1),
                           error);
          continue;
        }
      if (ok && !policy_allows (self, policy, a, now, &later, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              ok = FALSE;
            }
          else if (later > now)
            ok = reschedule (self, a->id, later, error);
          else
            {
              DdCallOutcome outcome = { .state = DD_CALL_ATTEMPT_CANCELLED,
                                        .result = "contact-policy" };

              ok = settle (self, a, &outcome, now, NULL, error);
            }
          continue;
        }
      if (!ok)
        break;
      /* held by this desk (schema 25): no other desk settles it while this one is alive */
      ok = dd_database_execute (dd_store_db (self), error,
                                "UPDATE call_attempt SET state = 'dialing', started_at = ?,"
                                " line = ?, caller_id = ?, updated_at = ?, claimed_by = ?,"
                                " heartbeat_at = ? WHERE id = ?",
                                DD_TEXT (now_text), DD_TEXT (line), DD_TEXT (caller_id),
                                DD_TEXT (now_text), DD_TEXT (dd_claim_owner ()),
                                DD_TEXT (now_text), DD_INT (a->id), DD_END);
      if (ok)
        {
          a->state = DD_CALL_ATTEMPT_DIALING;
          g_free (a->started_at);
          a->started_at = g_strdup (now_text);
          g_free (a->line);
          a->line = g_strdup (line);
          g_free (a->caller_id);
          a->caller_id = g_strdup (caller_id);
          claimed = g_steal_pointer (&a);
        }
    }
  /* committed before the INVITE leaves */
  if (!dd_database_finish (dd_store_db (self), ok, error))
    return NULL;
  return g_steal_pointer (&claimed);
}

gboolean
dd_call_attempts_mark_answered (DdCallAttempts  *self,
                                gint64           attempt_id,
                                gint64           at,
                                GError         **error)
{
  g_autofree char *text = dd_call_attempts_format_time (at);

  g_return_val_if_fail (DD_IS_CALL_ATTEMPTS (self), FALSE);

  return dd_database_execute (dd_store_db (self), error,
                              "UPDATE call_attempt SET state = 'answered', answered_at = ?,"
                              " updated_at = ? WHERE id = ? AND state = 'dialing'",
                              DD_TEXT (text), DD_TEXT (text), DD_INT (attempt_id), DD_END);
}

gboolean
dd_call_attempts_release (DdCallAttempts  *self,
                          gint64           attempt_id,
                          GError         **error)
{
  g_autofree char *now_text = dd_call_attempts_format_time (g_get_real_time () / G_USEC_PER_SEC);

  g_return_val_if_fail (DD_IS_CALL_ATTEMPTS (self), FALSE);

  return dd_database_execute (dd_store_db (self), error,
                              "UPDATE call_attempt SET state = 'scheduled', started_at = NULL,"
                              " answered_at = NULL, line = NULL, caller_id = NULL,"
                              " claimed_by = NULL, heartbeat_at = NULL, updated_at = ?"
                              " WHERE id = ? AND state IN ('dialing', 'answered')",
                              DD_TEXT (now_text), DD_INT (attempt_id), DD_END);
}

gboolean
dd_call_attempts_settle (DdCallAttempts       *self,
                         gint64                attempt_id,
                         const DdCallOutcome  *outcome,
                         gint64                now,
                         gint64               *out_next_id,
                         GError              **error)
{
  g_autoptr(DdCallAttempt) attempt = NULL;
  gboolean ok;

  g_return_val_if_fail (DD_IS_CALL_ATTEMPTS (self), FALSE);
  g_return_val_if_fail (outcome != NULL, FALSE);
  g_return_val_if_fail (outcome->state >= DD_CALL_ATTEMPT_COMPLETED &&
                        outcome->state < DD_CALL_ATTEMPT_N_STATES, FALSE);

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  attempt = get_attempt (self, attempt_id, error);
  ok = attempt != NULL;
  if (ok && attempt->state != DD_CALL_ATTEMPT_DIALING && attempt->state != DD_CALL_ATTEMPT_ANSWERED)
    {
      g_set_error (error, DD_CALL_ATTEMPTS_ERROR, DD_CALL_ATTEMPTS_ERROR_STATE,
                   "call attempt %" G_GINT64_FORMAT " is %s, not on the line", attempt_id,
                   state_names[attempt->state]);
      ok = FALSE;
    }
  ok = ok && settle (self, attempt, outcome, now, out_next_id, error);
  return dd_database_finish (dd_store_db (self), ok, error);
}

gboolean
dd_call_attempts_next_due (DdCallAttempts  *self,
                           gint64           campaign_id,
                           gint64          *out_at,
                           gboolean        *out_any,
                           GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  DdStatement *stmt;

  g_return_val_if_fail (DD_IS_CALL_ATTEMPTS (self), FALSE);

  *out_at = 0;
  *out_any = FALSE;
  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT MIN(COALESCE(scheduled_at, '')), COUNT(*) FROM call_attempt"
                            " WHERE campaign_id = ? AND state = 'scheduled'",
                            DD_INT (campaign_id), DD_END);
  if (stmt == NULL)
    return FALSE;
  if (dd_statement_step (stmt, &local_error) && dd_statement_get_int64 (stmt, 1) > 0)
    {
      *out_any = TRUE;
      *out_at = dd_call_attempts_parse_time (dd_statement_get_text (stmt, 0));
    }
  return dd_statement_done (stmt, g_steal_pointer (&local_error), error);
}

gboolean
dd_call_attempts_get_counts (DdCallAttempts  *self,
                             gint64           campaign_id,
                             DdCallCounts    *out_counts,
                             GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  DdCallCounts counts = { 0 };
  gint64 n = 0;
  DdStatement *stmt;

  g_return_val_if_fail (DD_IS_CALL_ATTEMPTS (self), FALSE);
  g_return_val_if_fail (out_counts != NULL, FALSE);

  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT state, COUNT(*), SUM(declaration_id IS NOT NULL),"
                            " SUM(answered_by = 'machine') FROM call_attempt"
                            " WHERE campaign_id = ? GROUP BY state",
                            DD_INT (campaign_id), DD_END);
  if (stmt == NULL)
    return FALSE;
  while (dd_statement_step (stmt, &local_error))
    {
      DdCallAttemptState state;
      guint count = (guint) dd_statement_get_int64 (stmt, 1);

      if (!dd_call_attempt_state_from_string (dd_statement_get_text (stmt, 0), &state))
        continue;
      counts.declared += (guint) dd_statement_get_int64 (stmt, 2);
      counts.machines += (guint) dd_statement_get_int64 (stmt, 3);
      switch (state)
        {
        case DD_CALL_ATTEMPT_SCHEDULED:
          counts.scheduled += count;
          break;
        case DD_CALL_ATTEMPT_DIALING:
        case DD_CALL_ATTEMPT_ANSWERED:
          counts.dialing += count;
          break;
        case DD_CALL_ATTEMPT_COMPLETED:
          counts.completed += count;
          break;
        case DD_CALL_ATTEMPT_CANCELLED:
          counts.cancelled += count;
          break;
        case DD_CALL_ATTEMPT_NO_ANSWER:
        case DD_CALL_ATTEMPT_BUSY:
        case DD_CALL_ATTEMPT_REJECTED:
        case DD_CALL_ATTEMPT_FAILED:
        case DD_CALL_ATTEMPT_UNREACHABLE:
        case DD_CALL_ATTEMPT_INVALID:
        case DD_CALL_ATTEMPT_UNKNOWN:
        case DD_CALL_ATTEMPT_N_STATES:
        default:
          counts.not_reached += count;
          break;
        }
    }
  dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!dd_database_fetch_int64 (dd_store_db (self), &n, NULL, error,
                                "SELECT COUNT(DISTINCT e164) FROM call_attempt WHERE campaign_id = ?",
                                DD_INT (campaign_id), DD_END))
    return FALSE;
  counts.numbers = (guint) n;
  if (!dd_database_fetch_int64 (dd_store_db (self), &n, NULL, error,
                                "SELECT COUNT(DISTINCT e164) FROM call_attempt WHERE campaign_id = ?"
                                " AND state IN ('scheduled', 'dialing', 'answered')",
                                DD_INT (campaign_id), DD_END))
    return FALSE;
  counts.numbers_done = counts.numbers - (guint) n;
  *out_counts = counts;
  return TRUE;
}

GPtrArray *
dd_call_attempts_list (DdCallAttempts  *self,
                       gint64           campaign_id,
                       GError         **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_call_attempt_free);
  g_autoptr(GError) local_error = NULL;
  DdStatement *stmt;

  g_return_val_if_fail (DD_IS_CALL_ATTEMPTS (self), NULL);

  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT " ATTEMPT_COLUMNS " FROM call_attempt a"
                            " WHERE a.campaign_id = ? ORDER BY a.case_id, a.e164, a.attempt_no, a.id",
                            DD_INT (campaign_id), DD_END);
  if (stmt == NULL)
    return NULL;
  while (dd_statement_step (stmt, &local_error))
    g_ptr_array_add (list, read_attempt (stmt));
  dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&list);
}
