/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-ladder-calls"

#include "config.h"

#include "dd-ladder-calls.h"

#include "dd-call-attempts.h"
#include "dd-campaign-audience.h"
#include "dd-ivr-flow-store.h"

#include <glib/gi18n-lib.h>

struct _DdLadderCalls
{
  GObject          parent_instance;

  DdVoiceSettings *settings;   /* the campaigns' defaults */
};

static void dd_ladder_calls_executor_init (DdLadderExecutorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DdLadderCalls, dd_ladder_calls, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DD_TYPE_LADDER_EXECUTOR,
                                                      dd_ladder_calls_executor_init))

G_DEFINE_QUARK (dd-ladder-calls-error-quark, dd_ladder_calls_error)

static DdVoiceSettings *
settings_copy (const DdVoiceSettings *settings)
{
  DdVoiceSettings *copy = dd_voice_settings_new ();

  if (settings == NULL)
    return copy;
  *copy = *settings;
  copy->lines = g_strdupv (settings->lines);
  copy->caller_ids = g_strdupv (settings->caller_ids);
  copy->confirm_sms = g_strdup (settings->confirm_sms);
  return copy;
}

/* The running (or paused) voice campaign of @day's ladder calls with @flow, made (running,
 * with the default settings and @flow_id) when there is none. */
static gboolean
day_campaign (DdLadderCalls  *self,
              DdDatabase     *database,
              const char     *day,
              const char     *flow,
              gint64          flow_id,
              gint64         *out_id,
              GError        **error)
{
  g_autoptr(DdCampaignStore) campaigns = dd_campaign_store_new (database);
  /* Translators: the name of the voice campaign that holds one day's ladder calls with one
   * call flow: "Ladder calls 2026-12-08 (Reminder)" */
  g_autofree char *name = g_strdup_printf (_("Ladder calls %1$s (%2$s)"), day, flow);
  g_autoptr(DdVoiceSettings) settings = NULL;
  DdCampaign campaign = { 0 };

  /* looked for again once no other desk on the office can be making it */
  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(GPtrArray) list = NULL;

      if (pass == 1 && !dd_campaign_store_lock_making (campaigns, error))
        return FALSE;
      list = dd_campaign_store_list (campaigns, error);
      if (list == NULL)
        return FALSE;
      for (guint i = 0; i < list->len; i++)
        {
          DdCampaign *c = g_ptr_array_index (list, i);

          if (g_strcmp0 (c->name, name) == 0 && g_strcmp0 (c->kind, "voice") == 0 &&
              (c->state == DD_CAMPAIGN_RUNNING || c->state == DD_CAMPAIGN_PAUSED))
            {
              *out_id = c->id;
              return TRUE;
            }
        }
    }
  campaign.name = name;
  campaign.kind = (char *) "voice";
  campaign.template_text = (char *) "";
  settings = settings_copy (self->settings);
  settings->flow_id = flow_id;
  return dd_campaign_store_create (campaigns, &campaign, 0, out_id, error) &&
         dd_campaign_store_set_voice (campaigns, *out_id, settings, error) &&
         dd_campaign_store_set_state (campaigns, *out_id, DD_CAMPAIGN_RUNNING, NULL, 0, error);
}

typedef struct
{
  gint64  id;
  char   *e164;
  gint64  valid;
  char   *hlr_status;
} Phone;

static void
phone_clear (Phone *phone)
{
  g_free (phone->e164);
  g_free (phone->hlr_status);
}

static void
add_phone (DdStatement *stmt,
           gpointer     user_data)
{
  GArray *phones = user_data;
  Phone phone = { 0 };

  phone.id = dd_statement_get_int64 (stmt, 0);
  phone.e164 = g_strdup (dd_statement_get_text (stmt, 1));
  phone.valid = dd_statement_get_int64 (stmt, 2);
  phone.hlr_status = g_strdup (dd_statement_get_text (stmt, 3));
  g_array_append_val (phones, phone);
}

/* The debtor's first number that can be called (as a campaign's audience takes it). */
static gboolean
debtor_phone (DdDatabase  *database,
              gint64       debtor_id,
              gint64      *out_phone_id,
              char       **out_e164,
              GError     **error)
{
  g_autoptr(GArray) phones = g_array_new (FALSE, TRUE, sizeof (Phone));

  g_array_set_clear_func (phones, (GDestroyNotify) phone_clear);
  if (!dd_database_query_each (database, add_phone, phones, error,
                               "SELECT id, e164, valid, hlr_status FROM phone"
                               " WHERE debtor_id = ? ORDER BY position, id",
                               DD_INT (debtor_id), DD_END))
    return FALSE;
  for (guint i = 0; i < phones->len; i++)
    {
      Phone *phone = &g_array_index (phones, Phone, i);

      if (phone->e164 == NULL || !phone->valid || dd_hlr_status_is_dead (phone->hlr_status))
        continue;
      *out_phone_id = phone->id;
      *out_e164 = g_strdup (phone->e164);
      return TRUE;
    }
  {
    g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, debtor_id);

    g_set_error (error, DD_LADDER_EXECUTOR_ERROR, DD_LADDER_EXECUTOR_ERROR_UNREACHABLE,
                 /* Translators: a ladder call cannot be made; %s: the debtor's number (id) */
                 _("Debtor %s has no phone number that can be called"), id);
  }
  return FALSE;
}

static gboolean
queue_voice (DdLadderExecutor         *executor,
             const DdLadderVoiceWork  *work,
             GError                  **error)
{
  DdLadderCalls *self = DD_LADDER_CALLS (executor);
  DdDatabase *database = work->database;
  g_autoptr(DdIvrFlowStore) flows = dd_ivr_flow_store_new (database);
  g_autoptr(DdCallAttempts) attempts = dd_call_attempts_new (database);
  g_autoptr(DdIvrFlowRecord) flow = NULL;
  g_autoptr(GError) local_error = NULL;
  DdRecipient recipient = { 0 };
  g_autofree char *e164 = NULL;
  gboolean planned = FALSE;
  gint64 campaign_id = 0;
  gboolean ok;

  /* handed over again after a crash: planned already */
  if (!dd_database_exists (database, &planned, error,
                           "SELECT 1 FROM call_attempt WHERE plan_key = ?",
                           DD_TEXT (work->key), DD_END))
    return FALSE;
  if (planned)
    return TRUE;

  if (work->flow != NULL && *work->flow != '\0')
    flow = dd_ivr_flow_store_load (flows, work->flow, 0, &local_error);
  if (flow == NULL)
    {
      if (local_error != NULL &&
          !g_error_matches (local_error, DD_IVR_FLOW_STORE_ERROR, DD_IVR_FLOW_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (work->flow == NULL || *work->flow == '\0')
        g_set_error (error, DD_LADDER_CALLS_ERROR, DD_LADDER_CALLS_ERROR_NO_FLOW,
                     /* Translators: %d: days after the due date of the ladder's step */
                     _("The ladder's voice step at %+d days names no call flow: choose one in "
                       "the dunning policy"), work->offset_days);
      else
        g_set_error (error, DD_LADDER_CALLS_ERROR, DD_LADDER_CALLS_ERROR_NO_FLOW,
                     /* Translators: %1$s: a call flow's name; %2$d: days after the due date */
                     _("The call flow “%1$s” of the ladder's voice step at %2$+d days does not "
                       "exist: create it in Call Flows or change the step"),
                     work->flow, work->offset_days);
      return FALSE;
    }

  recipient.case_id = work->lead_case_id;
  recipient.debtor_id = work->debtor_id;
  if (!debtor_phone (database, work->debtor_id, &recipient.phone_id, &e164, error))
    return FALSE;
  recipient.e164 = e164;

  /* the campaign and the attempt together, or neither */
  if (!dd_database_begin (database, error))
    return FALSE;
  ok = day_campaign (self, database, work->day, flow->name, flow->id, &campaign_id, error) &&
       dd_call_attempts_plan_keyed (attempts, campaign_id, &recipient, work->case_ids,
                                    work->n_cases, work->key,
                                    work->not_before, NULL, error);
  if (!ok)
    {
      dd_database_rollback (database, NULL);
      return FALSE;
    }
  return dd_database_commit (database, error);
}

static void
dd_ladder_calls_executor_init (DdLadderExecutorInterface *iface)
{
  iface->queue_voice = queue_voice;
}

static void
dd_ladder_calls_finalize (GObject *object)
{
  DdLadderCalls *self = DD_LADDER_CALLS (object);

  dd_voice_settings_free (self->settings);
  G_OBJECT_CLASS (dd_ladder_calls_parent_class)->finalize (object);
}

static void
dd_ladder_calls_class_init (DdLadderCallsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dd_ladder_calls_finalize;
}

static void
dd_ladder_calls_init (DdLadderCalls *self)
{
  self->settings = dd_voice_settings_new ();
}

DdLadderCalls *
dd_ladder_calls_new (void)
{
  return g_object_new (DD_TYPE_LADDER_CALLS, NULL);
}

void
dd_ladder_calls_set_settings (DdLadderCalls         *self,
                              const DdVoiceSettings *settings)
{
  g_return_if_fail (DD_IS_LADDER_CALLS (self));

  dd_voice_settings_free (self->settings);
  self->settings = settings_copy (settings);
}
