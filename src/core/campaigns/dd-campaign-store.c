/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-campaign-store"

#include "config.h"

#include "dd-campaign-store.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <inttypes.h>
#include <string.h>

DD_DEFINE_STORE (DdCampaignStore, dd_campaign_store)

G_DEFINE_QUARK (dd-campaign-store-error-quark, dd_campaign_store_error)

static const char * const state_names[] = {
  "draft", "scheduled", "running", "paused", "completed", "cancelled",
};

G_STATIC_ASSERT (G_N_ELEMENTS (state_names) == DD_CAMPAIGN_N_STATES);

DD_DEFINE_ENUM_NAMES (DdCampaignState, dd_campaign_state, state_names)

gboolean
dd_campaign_reason_is_account (const char *reason)
{
  return g_strcmp0 (reason, "auth") == 0 || g_strcmp0 (reason, "no-credit") == 0 ||
         g_strcmp0 (reason, "bad-sender") == 0 || g_strcmp0 (reason, "account-blocked") == 0 ||
         g_strcmp0 (reason, "redirected") == 0 || g_strcmp0 (reason, "tls") == 0 ||
         g_strcmp0 (reason, "outcome-unknown") == 0 ||
         g_strcmp0 (reason, "sip-auth") == 0;
}

const char *
dd_campaign_reason_to_label (const char *reason)
{
  if (g_strcmp0 (reason, "auth") == 0)
    return _("The SMS provider refused the token or password, or this computer’s address");
  if (g_strcmp0 (reason, "no-credit") == 0)
    return _("The SMS provider account has no credit left");
  if (g_strcmp0 (reason, "bad-sender") == 0)
    return _("The SMS provider refused the sender name or number");
  if (g_strcmp0 (reason, "account-blocked") == 0)
    return _("The SMS provider account is blocked or suspended");
  if (g_strcmp0 (reason, "redirected") == 0)
    return _("The SMS provider’s address redirects elsewhere: check the address in the settings");
  if (g_strcmp0 (reason, "outcome-unknown") == 0)
    return _("The SMS provider took messages without answering: check in its panel whether "
             "they arrived, then resume");
  if (g_strcmp0 (reason, "tls") == 0)
    return _("The SMS provider’s certificate is not trusted: check the address in the settings");
  if (g_strcmp0 (reason, "sip-auth") == 0)
    return _("The phone line refused its user name or password");
  return NULL;
}

const char *
dd_campaign_state_to_label (DdCampaignState state)
{
  switch (state)
    {
    case DD_CAMPAIGN_DRAFT:
      /* Translators: campaign state */
      return C_("campaign", "Draft");
    case DD_CAMPAIGN_SCHEDULED:
      /* Translators: campaign state */
      return C_("campaign", "Scheduled");
    case DD_CAMPAIGN_RUNNING:
      /* Translators: campaign state */
      return C_("campaign", "Sending");
    case DD_CAMPAIGN_PAUSED:
      /* Translators: campaign state */
      return C_("campaign", "Paused");
    case DD_CAMPAIGN_COMPLETED:
      /* Translators: campaign state */
      return C_("campaign", "Completed");
    case DD_CAMPAIGN_CANCELLED:
      /* Translators: campaign state */
      return C_("campaign", "Cancelled");
    case DD_CAMPAIGN_N_STATES:
    default:
      g_return_val_if_reached (NULL);
    }
}

#define CAMPAIGN_COLUMNS \
  "id, name, kind, state, state_reason, audience_filter, template, sender, gateway," \
  " schedule_at, windows, COALESCE(throttle_per_minute, 0), started_at, finished_at," \
  " created_at, COALESCE(agent_id, 0)"

static const DdField campaign_fields[] = {
  DD_FIELD (DdCampaign, id, INT64),
  DD_FIELD (DdCampaign, name, TEXT),
  DD_FIELD (DdCampaign, kind, TEXT),
  DD_FIELD_NAMED (DdCampaign, state, state_names, DD_CAMPAIGN_DRAFT),
  DD_FIELD (DdCampaign, state_reason, TEXT),
  DD_FIELD (DdCampaign, audience_filter, TEXT),
  DD_FIELD (DdCampaign, template_text, TEXT),
  DD_FIELD (DdCampaign, sender, TEXT),
  DD_FIELD (DdCampaign, gateway, TEXT),
  DD_FIELD (DdCampaign, schedule_at, TEXT),
  DD_FIELD (DdCampaign, windows, TEXT),
  DD_FIELD (DdCampaign, throttle_per_minute, INT),
  DD_FIELD (DdCampaign, started_at, TEXT),
  DD_FIELD (DdCampaign, finished_at, TEXT),
  DD_FIELD (DdCampaign, created_at, TEXT),
  DD_FIELD (DdCampaign, agent_id, INT64),
};
static const DdRowType campaign_row = DD_ROW_TYPE (DdCampaign, campaign_fields);

DD_DEFINE_ROW_FREE_FUNC (DdCampaign, dd_campaign_free, campaign_row)

/* Which moves the state machine allows. */
static gboolean
may_move (DdCampaignState from,
          DdCampaignState to)
{
  switch (to)
    {
    case DD_CAMPAIGN_SCHEDULED:
      return from == DD_CAMPAIGN_DRAFT;
    case DD_CAMPAIGN_RUNNING:
      return from == DD_CAMPAIGN_DRAFT || from == DD_CAMPAIGN_SCHEDULED ||
             from == DD_CAMPAIGN_PAUSED;
    case DD_CAMPAIGN_PAUSED:
      return from == DD_CAMPAIGN_RUNNING || from == DD_CAMPAIGN_SCHEDULED;
    case DD_CAMPAIGN_COMPLETED:
      return from == DD_CAMPAIGN_RUNNING;
    case DD_CAMPAIGN_CANCELLED:
      return from == DD_CAMPAIGN_DRAFT || from == DD_CAMPAIGN_SCHEDULED ||
             from == DD_CAMPAIGN_RUNNING || from == DD_CAMPAIGN_PAUSED;
    case DD_CAMPAIGN_DRAFT:
    case DD_CAMPAIGN_N_STATES:
    default:
      return FALSE;
    }
}

static gboolean
audit (DdCampaignStore  *self,
       gint64            campaign_id,
       const char       *action,
       const char       *details,
       gint64            agent_id,
       const char       *now,
       GError          **error)
{
  return dd_database_execute (dd_store_db (self), error,
                              "INSERT INTO audit_log (at, agent_id, action, entity, entity_id,"
                              " details) VALUES (?, ?, ?, 'campaign', ?, ?)",
                              DD_TEXT (now), DD_INT_IF (agent_id > 0, agent_id), DD_TEXT (action),
                              DD_INT (campaign_id), DD_TEXT (details), DD_END);
}

/* GObject */

gboolean
dd_campaign_store_lock_making (DdCampaignStore  *self,
                               GError          **error)
{
  DdDatabase *db = dd_store_db (self);

  g_return_val_if_fail (dd_database_in_transaction (db), FALSE);
  if (!g_str_equal (dd_database_get_driver_name (db), "postgresql"))
    return TRUE;
  /* a transaction-level advisory lock: released by the commit or rollback */
  return dd_database_execute (db, error, "SELECT pg_advisory_xact_lock(7202612070001)", DD_END);
}

gboolean
dd_campaign_store_create (DdCampaignStore   *self,
                          const DdCampaign  *campaign,
                          gint64             agent_id,
                          gint64            *out_id,
                          GError           **error)
{
  g_autofree char *now = dd_timestamp_now ();
  gint64 id = 0;
  gboolean ok;

  g_return_val_if_fail (DD_IS_CAMPAIGN_STORE (self), FALSE);
  g_return_val_if_fail (campaign != NULL, FALSE);

  if (campaign->name == NULL || *campaign->name == '\0')
    {
      g_set_error_literal (error, DD_CAMPAIGN_STORE_ERROR, DD_CAMPAIGN_STORE_ERROR_INVALID,
                           _("The campaign needs a name."));
      return FALSE;
    }
  if (g_strcmp0 (campaign->kind, "sms") != 0 && g_strcmp0 (campaign->kind, "voice") != 0)
    {
      g_set_error_literal (error, DD_CAMPAIGN_STORE_ERROR, DD_CAMPAIGN_STORE_ERROR_INVALID,
                           _("Unknown campaign channel."));
      return FALSE;
    }

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  ok = dd_database_insert (dd_store_db (self), &id, error,
                           "INSERT INTO campaign (name, kind, audience_filter, template, sender,"
                           " gateway, schedule_at, windows, throttle_per_minute, agent_id, state,"
                           " created_at, updated_at)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?)",
                           DD_TEXT (campaign->name), DD_TEXT (campaign->kind),
                           DD_TEXT (campaign->audience_filter), DD_TEXT (campaign->template_text),
                           DD_TEXT (campaign->sender), DD_TEXT (campaign->gateway),
                           DD_TEXT (campaign->schedule_at), DD_TEXT (campaign->windows),
                           DD_INT_IF (campaign->throttle_per_minute > 0,
                                      campaign->throttle_per_minute),
                           DD_INT_IF (agent_id > 0, agent_id), DD_TEXT (now), DD_TEXT (now),
                           DD_END);
  ok = ok && audit (self, id, "campaign.create", NULL, agent_id, now, error);
  if (!dd_database_finish (dd_store_db (self), ok, error))
    return FALSE;
  if (out_id != NULL)
    *out_id = id;
  return TRUE;
}

DdCampaign *
dd_campaign_store_get (DdCampaignStore  *self,
                       gint64            campaign_id,
                       GError          **error)
{
  DdCampaign *campaign = NULL;

  g_return_val_if_fail (DD_IS_CAMPAIGN_STORE (self), NULL);

  if (!dd_database_fetch_row (dd_store_db (self), (gpointer *) &campaign, dd_statement_read_row, &campaign_row,
                              error,
                              "SELECT " CAMPAIGN_COLUMNS " FROM campaign WHERE id = ?",
                              DD_INT (campaign_id), DD_END))
    return NULL;
  if (campaign == NULL)
    g_set_error (error, DD_CAMPAIGN_STORE_ERROR, DD_CAMPAIGN_STORE_ERROR_NOT_FOUND,
                 _("There is no campaign %" PRId64 "."), campaign_id);
  return campaign;
}

GPtrArray *
dd_campaign_store_list (DdCampaignStore  *self,
                        GError          **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_campaign_free);

  g_return_val_if_fail (DD_IS_CAMPAIGN_STORE (self), NULL);

  if (!dd_database_fetch_all (dd_store_db (self), list, dd_statement_read_row, &campaign_row, error,
                              "SELECT " CAMPAIGN_COLUMNS " FROM campaign ORDER BY id DESC",
                              DD_END))
    return NULL;
  return g_steal_pointer (&list);
}

static gboolean
move (DdCampaignStore  *self,
      gint64            campaign_id,
      DdCampaignState   state,
      const char       *reason,
      gint64            agent_id,
      const char       *now,
      GError          **error)
{
  g_autoptr(DdCampaign) campaign = dd_campaign_store_get (self, campaign_id, error);
  g_autofree char *details = NULL;

  if (campaign == NULL)
    return FALSE;
  if (!may_move (campaign->state, state))
    {
      g_set_error (error, DD_CAMPAIGN_STORE_ERROR, DD_CAMPAIGN_STORE_ERROR_STATE,
                   /* Translators: the first %s is a campaign state, the second another */
                   _("A campaign that is “%s” cannot become “%s”."),
                   dd_campaign_state_to_label (campaign->state),
                   dd_campaign_state_to_label (state));
      return FALSE;
    }

  if (!dd_database_execute (dd_store_db (self), error,
                            "UPDATE campaign SET state = ?, state_reason = ?, updated_at = ?,"
                            " started_at = CASE WHEN ? = 'running' THEN COALESCE(started_at, ?)"
                            "              ELSE started_at END,"
                            " finished_at = CASE WHEN ? IN ('completed', 'cancelled') THEN ?"
                            "               ELSE NULL END"
                            " WHERE id = ?",
                            DD_TEXT (state_names[state]), DD_TEXT (reason), DD_TEXT (now),
                            DD_TEXT (state_names[state]), DD_TEXT (now),
                            DD_TEXT (state_names[state]), DD_TEXT (now), DD_INT (campaign_id),
                            DD_END))
    return FALSE;

  /* what it still had to send or to call goes with it; a call on the line ends as it ends */
  if (state == DD_CAMPAIGN_CANCELLED
      && (!dd_database_execute (dd_store_db (self), error,
                                "UPDATE message SET state = 'cancelled', updated_at = ?"
                                " WHERE campaign_id = ? AND state = 'queued'",
                                DD_TEXT (now), DD_INT (campaign_id), DD_END)
          || !dd_database_execute (dd_store_db (self), error,
                                   "UPDATE call_attempt SET state = 'cancelled',"
                                   " result = 'cancelled', updated_at = ?"
                                   " WHERE campaign_id = ? AND state = 'scheduled'",
                                   DD_TEXT (now), DD_INT (campaign_id), DD_END)))
    return FALSE;

  details = g_strdup_printf ("{\"from\":\"%s\",\"to\":\"%s\"%s%s%s}",
                             state_names[campaign->state], state_names[state],
                             reason != NULL ? ",\"reason\":\"" : "",
                             reason != NULL ? reason : "", reason != NULL ? "\"" : "");
  return audit (self, campaign_id, "campaign.state", details, agent_id, now, error);
}

gboolean
dd_campaign_store_set_state (DdCampaignStore  *self,
                             gint64            campaign_id,
                             DdCampaignState   state,
                             const char       *reason,
                             gint64            agent_id,
                             GError          **error)
{
  g_autofree char *now = dd_timestamp_now ();

  g_return_val_if_fail (DD_IS_CAMPAIGN_STORE (self), FALSE);
  g_return_val_if_fail (reason == NULL || strchr (reason, '"') == NULL, FALSE);

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  return dd_database_finish (dd_store_db (self),
                             move (self, campaign_id, state, reason, agent_id, now, error),
                             error);
}

typedef struct
{
  GArray    *due;
  GArray    *late;
  GDateTime *now;
  gint       grace_seconds;
} DueCampaigns;

static void
add_due_campaign (DdStatement *stmt,
                  gpointer     data)
{
  DueCampaigns *found = data;
  gint64 id = dd_statement_get_int64 (stmt, 0);
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (dd_statement_get_text (stmt, 1), NULL);

  g_array_append_val (found->due, id);
  if (at != NULL && g_date_time_difference (found->now, at)
                    > (GTimeSpan) found->grace_seconds * G_TIME_SPAN_SECOND)
    g_array_append_val (found->late, id);
}

GArray *
dd_campaign_store_start_due (DdCampaignStore  *self,
                             const char       *now,
                             gint              grace_seconds,
                             GArray          **out_late,
                             GError          **error)
{
  g_autoptr(GArray) due = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) late = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GDateTime) now_time = g_date_time_new_from_iso8601 (now, NULL);
  g_autofree char *stamp = dd_timestamp_now ();
  DueCampaigns found = { due, late, now_time, grace_seconds };
  gboolean ok;

  g_return_val_if_fail (DD_IS_CAMPAIGN_STORE (self), NULL);
  g_return_val_if_fail (now_time != NULL, NULL);

  if (!dd_database_begin (dd_store_db (self), error))
    return NULL;
  ok = dd_database_query_each (dd_store_db (self), add_due_campaign, &found, error,
                               "SELECT id, COALESCE(schedule_at, '') FROM campaign"
                               " WHERE state = 'scheduled' AND COALESCE(schedule_at, '') <= ?"
                               " ORDER BY schedule_at, id",
                               DD_TEXT (now), DD_END);
  for (guint i = 0; ok && i < due->len; i++)
    {
      gint64 id = g_array_index (due, gint64, i);
      gboolean was_late = FALSE;

      for (guint j = 0; j < late->len; j++)
        was_late = was_late || g_array_index (late, gint64, j) == id;
      ok = move (self, id, DD_CAMPAIGN_RUNNING, was_late ? "started-late" : NULL, 0, stamp,
                 error);
    }
  if (!dd_database_finish (dd_store_db (self), ok, error))
    return NULL;
  if (out_late != NULL)
    *out_late = g_steal_pointer (&late);
  return g_steal_pointer (&due);
}

guint
dd_campaign_store_complete_finished (DdCampaignStore  *self,
                                     GError          **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *now = dd_timestamp_now ();
  gboolean ok;

  g_return_val_if_fail (DD_IS_CAMPAIGN_STORE (self), 0);

  if (!dd_database_begin (dd_store_db (self), error))
    return 0;
  ok = dd_database_fetch_ids (dd_store_db (self), ids, error,
                              "SELECT id FROM campaign c WHERE state = 'running' AND kind = 'sms'"
                              " AND NOT EXISTS (SELECT 1 FROM message m WHERE m.campaign_id = c.id"
                              "                 AND m.state IN ('queued', 'sending'))",
                              DD_END);
  for (guint i = 0; ok && i < ids->len; i++)
    ok = move (self, g_array_index (ids, gint64, i), DD_CAMPAIGN_COMPLETED, NULL, 0, now, error);
  if (!dd_database_finish (dd_store_db (self), ok, error))
    return 0;
  return ids->len;
}

gboolean
dd_campaign_window_is_open (const char  *windows_json,
                            GDateTime   *now,
                            GTimeZone   *tz,
                            char       **out_next_open)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) next = NULL;
  g_autoptr(GDateTime) next_utc = NULL;
  JsonObject *object;
  gint64 start, end, minute;

  if (out_next_open != NULL)
    *out_next_open = NULL;
  if (windows_json == NULL || !json_parser_load_from_data (parser, windows_json, -1, NULL) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return TRUE;
  object = json_node_get_object (json_parser_get_root (parser));
  start = json_object_get_int_member_with_default (object, "start", 0);
  end = json_object_get_int_member_with_default (object, "end", 24 * 60);
  if (start <= 0 && end >= 24 * 60)
    return TRUE;

  local = g_date_time_to_timezone (now, tz);
  minute = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
  if (minute >= start && minute < end)
    return TRUE;

  /* today's opening if still ahead, else tomorrow's */
  midnight = g_date_time_new (tz, g_date_time_get_year (local), g_date_time_get_month (local),
                              g_date_time_get_day_of_month (local), 0, 0, 0);
  if (minute >= end)
    {
      GDateTime *tomorrow = g_date_time_add_days (midnight, 1);

      g_date_time_unref (midnight);
      midnight = g_date_time_new (tz, g_date_time_get_year (tomorrow),
                                  g_date_time_get_month (tomorrow),
                                  g_date_time_get_day_of_month (tomorrow), 0, 0, 0);
      g_date_time_unref (tomorrow);
    }
  next = g_date_time_new (tz, g_date_time_get_year (midnight), g_date_time_get_month (midnight),
                          g_date_time_get_day_of_month (midnight), (int) (start / 60),
                          (int) (start % 60), 0);
  next_utc = g_date_time_to_utc (next);
  if (out_next_open != NULL)
    *out_next_open = g_date_time_format (next_utc, "%Y-%m-%dT%H:%M:%SZ");
  return FALSE;
}

/* Voice settings */

DdVoiceSettings *
dd_voice_settings_new (void)
{
  DdVoiceSettings *settings = g_new0 (DdVoiceSettings, 1);

  settings->concurrency = 1;
  settings->attempts_per_day = 2;
  settings->interval_s = 4 * 3600;
  settings->max_attempts = 3;
  settings->machine = DD_MACHINE_HANGUP_RETRY;
  return settings;
}

void
dd_voice_settings_free (DdVoiceSettings *settings)
{
  if (settings == NULL)
    return;
  g_strfreev (settings->lines);
  g_strfreev (settings->caller_ids);
  g_free (settings->confirm_sms);
  g_free (settings);
}

const char *
dd_machine_policy_to_string (DdMachinePolicy policy)
{
  return policy == DD_MACHINE_VOICEMAIL ? "voicemail" : "hangup-retry";
}

gboolean
dd_machine_policy_from_string (const char      *text,
                               DdMachinePolicy *out_policy)
{
  if (g_strcmp0 (text, "voicemail") == 0)
    *out_policy = DD_MACHINE_VOICEMAIL;
  else if (g_strcmp0 (text, "hangup-retry") == 0)
    *out_policy = DD_MACHINE_HANGUP_RETRY;
  else
    return FALSE;
  return TRUE;
}

static char *
strv_to_json (char **strv)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  if (strv == NULL || strv[0] == NULL)
    return NULL;
  json_builder_begin_array (builder);
  for (guint i = 0; strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static char **
strv_from_json (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    return NULL;
  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *text = json_array_get_string_element (array, i);

      if (text != NULL && *text != '\0')
        g_strv_builder_add (builder, text);
    }
  return g_strv_builder_end (builder);
}

gboolean
dd_campaign_store_set_voice (DdCampaignStore        *self,
                             gint64                  campaign_id,
                             const DdVoiceSettings  *settings,
                             GError                **error)
{
  g_autoptr(DdCampaign) campaign = NULL;
  g_autofree char *lines = NULL;
  g_autofree char *caller_ids = NULL;
  g_autofree char *now = dd_timestamp_now ();
  DdStatement *stmt;

  g_return_val_if_fail (DD_IS_CAMPAIGN_STORE (self), FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);

  if (settings->concurrency == 0 || settings->max_attempts == 0)
    {
      g_set_error_literal (error, DD_CAMPAIGN_STORE_ERROR, DD_CAMPAIGN_STORE_ERROR_INVALID,
                           _("A voice campaign makes at least one call at a time and at least "
                             "one attempt per number."));
      return FALSE;
    }
  campaign = dd_campaign_store_get (self, campaign_id, error);
  if (campaign == NULL)
    return FALSE;
  if (g_strcmp0 (campaign->kind, "voice") != 0)
    {
      g_set_error_literal (error, DD_CAMPAIGN_STORE_ERROR, DD_CAMPAIGN_STORE_ERROR_INVALID,
                           _("Only a voice campaign has call settings."));
      return FALSE;
    }
  lines = strv_to_json (settings->lines);
  caller_ids = strv_to_json (settings->caller_ids);
  stmt = dd_database_cached (dd_store_db (self),
                             "UPDATE campaign SET ivr_flow_id = ?, lines = ?, caller_id_pool = ?,"
                             " concurrency = ?, attempts_per_day = ?, attempt_interval_s = ?,"
                             " max_attempts = ?, machine_policy = ?, confirm_sms = ?,"
                             " ring_timeout_s = ?, updated_at = ? WHERE id = ?",
                             error);
  if (stmt == NULL)
    return FALSE;
  if (settings->flow_id > 0)
    dd_statement_bind_int64 (stmt, 1, settings->flow_id);
  dd_statement_bind_text (stmt, 2, lines);
  dd_statement_bind_text (stmt, 3, caller_ids);
  dd_statement_bind_int64 (stmt, 4, settings->concurrency);
  dd_statement_bind_int64 (stmt, 5, settings->attempts_per_day);
  dd_statement_bind_int64 (stmt, 6, settings->interval_s);
  dd_statement_bind_int64 (stmt, 7, settings->max_attempts);
  dd_statement_bind_text (stmt, 8, dd_machine_policy_to_string (settings->machine));
  dd_statement_bind_text (stmt, 9, settings->confirm_sms);
  dd_statement_bind_int64 (stmt, 10, settings->ring_timeout_s);
  dd_statement_bind_text (stmt, 11, now);
  dd_statement_bind_int64 (stmt, 12, campaign_id);
  return dd_statement_run (stmt, error);
}

DdVoiceSettings *
dd_campaign_store_get_voice (DdCampaignStore  *self,
                             gint64            campaign_id,
                             GError          **error)
{
  g_autoptr(DdVoiceSettings) settings = NULL;
  g_autoptr(GError) local_error = NULL;
  DdStatement *stmt;

  g_return_val_if_fail (DD_IS_CAMPAIGN_STORE (self), NULL);

  stmt = dd_database_cached (dd_store_db (self),
                             "SELECT COALESCE(ivr_flow_id, 0), lines, caller_id_pool, concurrency,"
                             " attempts_per_day, attempt_interval_s, max_attempts, machine_policy,"
                             " confirm_sms, ring_timeout_s FROM campaign WHERE id = ?",
                             error);
  if (stmt == NULL)
    return NULL;
  dd_statement_bind_int64 (stmt, 1, campaign_id);
  if (dd_statement_step (stmt, &local_error))
    {
      settings = dd_voice_settings_new ();
      settings->flow_id = dd_statement_get_int64 (stmt, 0);
      settings->lines = strv_from_json (dd_statement_get_text (stmt, 1));
      settings->caller_ids = strv_from_json (dd_statement_get_text (stmt, 2));
      settings->concurrency = (guint) MAX (dd_statement_get_int64 (stmt, 3), 1);
      if (!dd_statement_is_null (stmt, 4))
        settings->attempts_per_day = (guint) MAX (dd_statement_get_int64 (stmt, 4), 0);
      if (!dd_statement_is_null (stmt, 5))
        settings->interval_s = (guint) MAX (dd_statement_get_int64 (stmt, 5), 0);
      if (!dd_statement_is_null (stmt, 6))
        settings->max_attempts = (guint) MAX (dd_statement_get_int64 (stmt, 6), 1);
      dd_machine_policy_from_string (dd_statement_get_text (stmt, 7), &settings->machine);
      settings->confirm_sms = g_strdup (dd_statement_get_text (stmt, 8));
      settings->ring_timeout_s = (guint) MAX (dd_statement_get_int64 (stmt, 9), 0);
    }
  dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (settings == NULL)
    g_set_error (error, DD_CAMPAIGN_STORE_ERROR, DD_CAMPAIGN_STORE_ERROR_NOT_FOUND,
                 _("There is no campaign %" PRId64 "."), campaign_id);
  return g_steal_pointer (&settings);
}
