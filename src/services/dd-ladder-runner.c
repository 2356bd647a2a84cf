/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-ladder-runner"

#include "config.h"

#include "dd-ladder-runner.h"

#include "dd-demand-letters.h"

#include "dd-campaign-messages.h"
#include "dd-campaign-store.h"
#include "dd-ladder-letters.h"

#include <glib/gi18n-lib.h>

G_DEFINE_INTERFACE (DdLadderExecutor, dd_ladder_executor, G_TYPE_OBJECT)
G_DEFINE_QUARK (dd-ladder-executor-error-quark, dd_ladder_executor_error)

static void
dd_ladder_executor_default_init (DdLadderExecutorInterface *iface)
{
}

gboolean
dd_ladder_executor_queue_voice (DdLadderExecutor         *self,
                                const DdLadderVoiceWork  *work,
                                GError                  **error)
{
  g_return_val_if_fail (DD_IS_LADDER_EXECUTOR (self), FALSE);
  return DD_LADDER_EXECUTOR_GET_IFACE (self)->queue_voice (self, work, error);
}

struct _DdLadderRunner
{
  GObject          parent_instance;

  DdDatabase      *database;
  DdLadderStore   *store;
  DdCampaignStore *campaigns;
  DdLadderExecutor *executor;
  DdSending       *sending;
  DdContactPolicy *contact_policy;
  guint            grace_days;
  char            *locale;
  char            *letters_folder;
  char            *office_name;
  char            *office_address;
  char            *office_tax_id;
  char            *office_bank_account;
  char            *letter_signature;
  guint            letter_days;
};

G_DEFINE_TYPE (DdLadderRunner, dd_ladder_runner, G_TYPE_OBJECT)

typedef enum
{
  EXECUTED,
  WAITING,
  UNREACHABLE,
  FAILED,
} Outcome;

/* One item to carry out: from the plan or from claims left undone. */
typedef struct
{
  guint32             day;
  gint64              debtor_id;
  gint64              lead_case_id;
  DdLadderChannel     channel;
  guint               step;
  const DdLadderStep *step_def;    /* NULL: the policy changed since the claim */
  gint                offset_days;
  gboolean            promise_broken;
  gint64              not_before;
  GArray             *case_ids;    /* gint64 */
} Work;

void
dd_ladder_day_plan_free (DdLadderDayPlan *plan)
{
  if (plan == NULL)
    return;
  g_clear_pointer (&plan->plan, dd_ladder_plan_free);
  g_clear_pointer (&plan->policies, g_ptr_array_unref);
  g_free (plan);
}

static void
dd_ladder_runner_dispose (GObject *object)
{
  DdLadderRunner *self = DD_LADDER_RUNNER (object);

  g_clear_object (&self->executor);
  g_clear_object (&self->sending);
  g_clear_object (&self->campaigns);
  g_clear_object (&self->store);
  g_clear_object (&self->database);
  G_OBJECT_CLASS (dd_ladder_runner_parent_class)->dispose (object);
}

static void
dd_ladder_runner_finalize (GObject *object)
{
  DdLadderRunner *self = DD_LADDER_RUNNER (object);

  g_clear_pointer (&self->contact_policy, dd_contact_policy_free);
  g_free (self->locale);
  g_free (self->letters_folder);
  g_free (self->office_name);
  g_free (self->office_address);
  g_free (self->office_tax_id);
  g_free (self->office_bank_account);
  g_free (self->letter_signature);
  G_OBJECT_CLASS (dd_ladder_runner_parent_class)->finalize (object);
}

static void
dd_ladder_runner_class_init (DdLadderRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dd_ladder_runner_dispose;
  object_class->finalize = dd_ladder_runner_finalize;
}

static void
dd_ladder_runner_init (DdLadderRunner *self)
{
  self->grace_days = 3;
  self->locale = g_strdup ("en");
}

DdLadderRunner *
dd_ladder_runner_new (DdDatabase *database)
{
  DdLadderRunner *self = g_object_new (DD_TYPE_LADDER_RUNNER, NULL);

  self->database = g_object_ref (database);
  self->store = dd_ladder_store_new (database);
  self->campaigns = dd_campaign_store_new (database);
  return self;
}

DdLadderStore *
dd_ladder_runner_get_store (DdLadderRunner *self)
{
  return self->store;
}

void
dd_ladder_runner_set_executor (DdLadderRunner   *self,
                               DdLadderExecutor *executor)
{
  g_set_object (&self->executor, executor);
}

void
dd_ladder_runner_set_sending (DdLadderRunner *self,
                              DdSending      *sending)
{
  g_set_object (&self->sending, sending);
}

void
dd_ladder_runner_set_contact_policy (DdLadderRunner        *self,
                                     const DdContactPolicy *policy)
{
  g_clear_pointer (&self->contact_policy, dd_contact_policy_free);
  if (policy != NULL)
    self->contact_policy = dd_contact_policy_copy (policy);
}

void
dd_ladder_runner_set_grace_days (DdLadderRunner *self,
                                 guint           days)
{
  self->grace_days = days;
}

void
dd_ladder_runner_set_locale (DdLadderRunner *self,
                             const char     *locale)
{
  g_free (self->locale);
  self->locale = g_strdup (locale != NULL ? locale : "en");
}

static void
replace_text (char       **slot,
              const char  *text)
{
  g_free (*slot);
  *slot = g_strdup (text);
}

void
dd_ladder_runner_set_letters (DdLadderRunner       *self,
                              const char           *folder,
                              const DdLetterOffice *office,
                              guint                 deadline_days,
                              const char           *signature)
{
  replace_text (&self->letters_folder, folder);
  replace_text (&self->office_name, office != NULL ? office->name : NULL);
  replace_text (&self->office_address, office != NULL ? office->address : NULL);
  replace_text (&self->office_tax_id, office != NULL ? office->tax_id : NULL);
  replace_text (&self->office_bank_account, office != NULL ? office->bank_account : NULL);
  replace_text (&self->letter_signature, signature);
  self->letter_days = deadline_days > 0 ? deadline_days : 7;
}

/* The day's demand letters as one batch (after the steps were marked done: a batch that
 * fails is made again by the next run or `ladder letters`, from the day's tasks). */
DdLadderLetterBatch *
dd_ladder_runner_write_letters (DdLadderRunner  *self,
                                const char      *day,
                                GError         **error)
{
  g_autofree char *folder = NULL;
  DdLetterOffice office = { self->office_name, self->office_address, self->office_tax_id,
                            self->office_bank_account };

  g_return_val_if_fail (self->letters_folder != NULL, NULL);
  folder = g_build_filename (self->letters_folder, day, NULL);
  return dd_ladder_letters_make (self->database, &office, day, self->letter_days,
                                 self->letter_signature, folder, error);
}

static void
write_letters (DdLadderRunner    *self,
               const char        *day,
               DdLadderRunResult *result)
{
  g_autoptr(GPtrArray) days = NULL;
  g_autoptr(GError) error = NULL;

  if (self->letters_folder == NULL)
    return;
  /* first the letters of earlier days a killed or failed run left unmade */
  days = dd_ladder_letters_pending_days (self->database, day, &error);
  if (days == NULL)
    {
      g_message ("Ladder: the demand letters left to make could not be read: %s",
                 error->message);
      g_clear_error (&error);
      days = g_ptr_array_new_with_free_func (g_free);
    }
  g_ptr_array_add (days, g_strdup (day));
  for (guint i = 0; i < days->len; i++)
    {
      const char *d = g_ptr_array_index (days, i);
      g_autoptr(DdLadderLetterBatch) batch = dd_ladder_runner_write_letters (self, d, &error);

      if (batch == NULL)
        {
          g_message ("Ladder: the demand letters of %s could not be written, tried again at "
                     "the next run: %s", d, error->message);
          if (result->letters_error[0] == '\0')
            {
              g_strlcpy (result->letters_error, error->message, sizeof result->letters_error);
              result->letters_need_office = g_error_matches (error, DD_DEMAND_LETTERS_ERROR,
                                                             DD_DEMAND_LETTERS_ERROR_NO_OFFICE);
            }
          g_clear_error (&error);
          result->failed++;
          continue;
        }
      result->letters += batch->n_letters;
    }
}

#define EPOCH_JULIAN 719163

static gint64
day_start_utc (guint32 day)
{
  return ((gint64) day - EPOCH_JULIAN) * 86400;
}

DdLadderDayPlan *
dd_ladder_runner_plan (DdLadderRunner  *self,
                       const char      *day_text,
                       gint64           now,
                       GError         **error)
{
  g_autoptr(DdLadderDayPlan) out = g_new0 (DdLadderDayPlan, 1);
  g_autoptr(DdLadderCases) cases = NULL;
  g_autoptr(GHashTable) history = NULL;
  guint32 day = dd_ladder_day_from_iso (day_text);
  DdLadderPlanOptions options = { self->grace_days, self->contact_policy, NULL, now };
  gint ahead = 0;

  if (day == 0)
    {
      g_set_error (error, DD_LADDER_POLICY_ERROR, DD_LADDER_POLICY_ERROR_INVALID,
                   _("“%s” is not a date (YYYY-MM-DD)."), day_text);
      return NULL;
    }
  out->policies = dd_ladder_store_load_policies (self->store, error);
  if (out->policies == NULL)
    return NULL;
  for (guint i = 0; i < out->policies->len; i++)
    {
      const DdLadderPolicy *p = g_ptr_array_index (out->policies, i);

      if (p->steps->len > 0)
        ahead = MAX (ahead, -dd_ladder_policy_get_step (p, 0)->offset_days);
    }
  cases = dd_ladder_store_load_cases (self->store, day, ahead, error);
  if (cases == NULL)
    return NULL;
  if (self->contact_policy != NULL)
    {
      /* the month and the week before the day, for the caps */
      history = dd_ladder_store_load_history (self->store, day_start_utc (day) - 40 * 86400,
                                              error);
      if (history == NULL)
        return NULL;
      options.history = history;
    }
  out->plan = dd_ladder_plan_compute (out->policies,
                                      (const DdLadderCase *) (gpointer) cases->cases->data,
                                      cases->cases->len, day, &options);
  return g_steal_pointer (&out);
}

gboolean
dd_ladder_runner_is_due (DdLadderRunner  *self,
                         const char      *day,
                         GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *last = dd_ladder_store_get_last_day (self->store, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return last == NULL || g_strcmp0 (last, day) < 0;
}

static gboolean
find_campaign (DdLadderRunner  *self,
               const char      *name,
               const char      *kind,
               gboolean         draft,
               gint64          *out_id,
               gboolean        *out_found,
               GError         **error)
{
  g_autoptr(GPtrArray) list = dd_campaign_store_list (self->campaigns, error);

  *out_found = FALSE;
  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    {
      DdCampaign *c = g_ptr_array_index (list, i);

      if (g_strcmp0 (c->name, name) == 0 && g_strcmp0 (c->kind, kind) == 0 &&
          (draft ? c->state == DD_CAMPAIGN_DRAFT
                 : c->state == DD_CAMPAIGN_RUNNING || c->state == DD_CAMPAIGN_PAUSED))
        {
          *out_id = c->id;
          *out_found = TRUE;
          break;
        }
    }
  return TRUE;
}

/* The ladder's campaign named @name of @kind: a running (or paused) one, or with @draft a
 * draft; made when missing (running, unless @draft). In a transaction. */
static gboolean
ladder_campaign (DdLadderRunner  *self,
                 const char      *name,
                 const char      *kind,
                 gboolean         draft,
                 gint64          *out_id,
                 GError         **error)
{
  DdCampaign campaign = { 0 };
  gboolean found = FALSE;

  if (!find_campaign (self, name, kind, draft, out_id, &found, error))
    return FALSE;
  if (found)
    return TRUE;
  /* another desk on the same office may be making it right now: after it, looked for again */
  if (!dd_campaign_store_lock_making (self->campaigns, error) ||
      !find_campaign (self, name, kind, draft, out_id, &found, error))
    return FALSE;
  if (found)
    return TRUE;
  campaign.name = (char *) name;
  campaign.kind = (char *) kind;
  if (g_strcmp0 (kind, "sms") == 0)
    campaign.template_text = (char *) "";
  if (!dd_campaign_store_create (self->campaigns, &campaign, 0, out_id, error))
    return FALSE;
  return draft || dd_campaign_store_set_state (self->campaigns, *out_id, DD_CAMPAIGN_RUNNING,
                                               NULL, 0, error);
}

/* The running SMS campaign of the day's ladder messages, made when the first is queued. */
static gboolean
day_campaign (DdLadderRunner  *self,
              guint32          day,
              gint64          *out_id,
              GError         **error)
{
  g_autofree char *day_text = dd_ladder_day_to_iso (day);
  /* Translators: the name of the SMS campaign that holds one day's ladder messages */
  g_autofree char *name = g_strdup_printf (_("Ladder %s"), day_text);

  return ladder_campaign (self, name, "sms", FALSE, out_id, error);
}

/* The voice campaign of the day's consultant calls, for the Agent Console's dialer: made when
 * the first is planned and left a draft, so that no automated call flow rings its numbers. */
static gboolean
consultant_campaign (DdLadderRunner  *self,
                     guint32          day,
                     gint64          *out_id,
                     GError         **error)
{
  g_autofree char *day_text = dd_ladder_day_to_iso (day);
  /* Translators: the name of the campaign whose calls the dialer hands to consultants, one
   * day's ladder's consultant calls */
  g_autofree char *name = g_strdup_printf (_("Consultant calls %s"), day_text);

  return ladder_campaign (self, name, "voice", TRUE, out_id, error);
}

/* Plans the consultant call of @w's debtor (its lead case, the debtor's usable number) in the
 * day's consultant campaign, where the Agent Console's Start Dialing finds it. */
static gboolean
plan_consultant_call (DdLadderRunner  *self,
                      const Work      *w,
                      const char      *at,
                      GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(DdRecipient) recipient = NULL;
  gint64 campaign_id = 0;

  recipient = dd_ladder_store_recipient (self->store, (const gint64 *) (gpointer) w->case_ids->data,
                                         w->case_ids->len, &local_error);
  if (recipient == NULL)
    {
      if (local_error == NULL)
        return TRUE;  /* no usable number: the task alone */
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return consultant_campaign (self, w->day, &campaign_id, error) &&
         dd_database_execute (self->database, error,
                              "INSERT INTO call_attempt (campaign_id, case_id, debtor_id,"
                              " phone_id, e164, scheduled_at, state)"
                              " VALUES (?, ?, ?, ?, ?, ?, 'scheduled')",
                              DD_INT (campaign_id), DD_INT (recipient->case_id),
                              DD_INT (w->debtor_id), DD_INT (recipient->phone_id),
                              DD_TEXT (recipient->e164), DD_TEXT (at), DD_END);
}

static char *
step_refs (const Work *w)
{
  g_autofree char *day = dd_ladder_day_to_iso (w->day);

  return g_strdup_printf ("{\"ladder_day\": \"%s\", \"step\": %u, \"offset_days\": %d,"
                          " \"lead_case_id\": %" G_GINT64_FORMAT ", \"promise_broken\": %s}",
                          day, w->step, w->offset_days, w->lead_case_id,
                          w->promise_broken ? "true" : "false");
}

static gboolean
mark_all_done (DdLadderRunner  *self,
               const Work      *w,
               GError         **error)
{
  for (guint i = 0; i < w->case_ids->len; i++)
    {
      gint64 case_id = g_array_index (w->case_ids, gint64, i);

      if (!dd_ladder_store_mark_done (self->store, case_id, error))
        return FALSE;
      if (w->promise_broken)
        {
          g_autofree char *refs = step_refs (w);

          /* the timeline says why the ladder goes on */
          if (!dd_ladder_store_add_task (self->store, case_id, w->channel,
                                         _("Payment promise broken: the ladder goes on."), refs,
                                         NULL, error))
            return FALSE;
        }
    }
  return TRUE;
}

static const char *
step_text (const Work *w)
{
  if (w->step_def != NULL && w->step_def->text != NULL)
    return w->step_def->text;
  return dd_ladder_step_default_text (w->channel, w->offset_days);
}

static Outcome
execute_sms (DdLadderRunner     *self,
             const Work         *w,
             DdLadderRunResult  *result,
             GError            **error)
{
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_recipient_free);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *not_before = NULL;
  DdCampaignMessagesInfo info = { 0 };
  DdRecipient *recipient;
  gint64 campaign_id = 0;

  recipient = dd_ladder_store_recipient (self->store, (const gint64 *) (gpointer) w->case_ids->data,
                                         w->case_ids->len, &local_error);
  if (recipient == NULL && local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FAILED;
    }
  if (w->not_before > 0)
    {
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (w->not_before);

      not_before = g_date_time_format (at, "%Y-%m-%dT%H:%M:%SZ");
    }
  if (!dd_database_begin (self->database, error))
    return FAILED;
  if (recipient != NULL)
    {
      g_ptr_array_add (recipients, recipient);
      if (!day_campaign (self, w->day, &campaign_id, error) ||
          !dd_campaign_messages_enqueue (self->database, campaign_id, step_text (w), NULL,
                                         recipients, self->locale, 0, not_before, &info, error))
        goto fail;
      result->campaign_id = campaign_id;
    }
  else
    g_message ("Ladder: debtor %" G_GINT64_FORMAT " has no usable number any more",
               w->debtor_id);
  /* queued and done in one transaction: a crash leaves neither or both */
  if (!mark_all_done (self, w, error) || !dd_database_commit (self->database, error))
    goto fail;
  return EXECUTED;

fail:
  dd_database_rollback (self->database, NULL);
  return FAILED;
}

static Outcome
execute_voice (DdLadderRunner     *self,
               const Work         *w,
               GError            **error)
{
  g_autofree char *day = dd_ladder_day_to_iso (w->day);
  /* the step by its day (its place changes when the office edits the ladder) */
  g_autofree char *key = g_strdup_printf ("ladder-%" G_GINT64_FORMAT "-d%d", w->lead_case_id,
                                          w->offset_days);
  DdLadderVoiceWork work = {
    .database = self->database,
    .day = day,
    .key = key,
    .flow = w->step_def != NULL ? w->step_def->flow : NULL,
    .debtor_id = w->debtor_id,
    .lead_case_id = w->lead_case_id,
    .case_ids = (const gint64 *) (gpointer) w->case_ids->data,
    .n_cases = w->case_ids->len,
    .offset_days = w->offset_days,
    .promise_broken = w->promise_broken,
    .not_before = w->not_before,
  };

  g_autoptr(GError) local_error = NULL;
  g_autofree char *refs = NULL;
  g_autofree char *text = NULL;

  if (self->executor == NULL)
    return WAITING;
  if (dd_ladder_executor_queue_voice (self->executor, &work, &local_error))
    {
      if (!dd_database_begin (self->database, error))
        return FAILED;
      if (mark_all_done (self, w, error) && dd_database_commit (self->database, error))
        return EXECUTED;
      dd_database_rollback (self->database, NULL);
      return FAILED;
    }
  if (!g_error_matches (local_error, DD_LADDER_EXECUTOR_ERROR,
                        DD_LADDER_EXECUTOR_ERROR_UNREACHABLE))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FAILED;
    }

  /* nobody to call: said once on each case's timeline, and the ladder goes on from there */
  refs = step_refs (w);
  /* Translators: on a case's timeline; %1$+d: the ladder step's days after the due date,
   * %2$s: why (e.g. "Debtor 12 has no phone number that can be called") */
  text = g_strdup_printf (_("The ladder's call at %1$+d days was not made: %2$s. Add a number "
                            "or contact the debtor another way."),
                          w->offset_days, local_error->message);
  if (!dd_database_begin (self->database, error))
    return FAILED;
  for (guint i = 0; i < w->case_ids->len; i++)
    if (!dd_ladder_store_add_task (self->store, g_array_index (w->case_ids, gint64, i),
                                   DD_LADDER_VOICE, text, refs, NULL, error))
      goto fail;
  if (mark_all_done (self, w, error) && dd_database_commit (self->database, error))
    {
      g_message ("Ladder: the voice step of case %" G_GINT64_FORMAT " was not made: %s",
                 w->lead_case_id, local_error->message);
      return UNREACHABLE;
    }

fail:
  dd_database_rollback (self->database, NULL);
  return FAILED;
}

static Outcome
execute_task (DdLadderRunner     *self,
              const Work         *w,
              GError            **error)
{
  g_autofree char *refs = step_refs (w);
  g_autofree char *day = dd_ladder_day_to_iso (w->day);
  g_autofree char *next_contact = NULL;

  if (w->channel == DD_LADDER_CONSULTANT_CALL)
    next_contact = g_strdup_printf ("%sT08:00:00Z", day);
  if (!dd_database_begin (self->database, error))
    return FAILED;
  for (guint i = 0; i < w->case_ids->len; i++)
    if (!dd_ladder_store_add_task (self->store, g_array_index (w->case_ids, gint64, i),
                                   w->channel, step_text (w), refs, next_contact, error))
      goto fail;
  if (w->channel == DD_LADDER_CONSULTANT_CALL && !plan_consultant_call (self, w, next_contact, error))
    goto fail;
  if (mark_all_done (self, w, error) && dd_database_commit (self->database, error))
    return EXECUTED;

fail:
  dd_database_rollback (self->database, NULL);
  return FAILED;
}

static void
execute (DdLadderRunner    *self,
         const Work        *w,
         DdLadderRunResult *result)
{
  g_autoptr(GError) error = NULL;
  Outcome outcome;

  switch (w->channel)
    {
    case DD_LADDER_SMS:
      outcome = execute_sms (self, w, result, &error);
      break;
    case DD_LADDER_VOICE:
      outcome = execute_voice (self, w, &error);
      break;
    case DD_LADDER_CONSULTANT_CALL:
    case DD_LADDER_DEMAND_LETTER:
    case DD_LADDER_HAND_OVER:
    case DD_LADDER_N_CHANNELS:
    default:
      outcome = execute_task (self, w, &error);
      break;
    }
  switch (outcome)
    {
    case EXECUTED:
      result->done[w->channel]++;
      result->cases += w->case_ids->len;
      break;
    case WAITING:
      result->waiting_voice++;
      break;
    case UNREACHABLE:
      result->unreachable++;
      result->cases += w->case_ids->len;
      break;
    case FAILED:
    default:
      g_message ("Ladder: the %s step of case %" G_GINT64_FORMAT " failed, tried again at the "
                 "next run: %s",
                 dd_ladder_channel_to_string (w->channel), w->lead_case_id,
                 error != NULL ? error->message : "?");
      result->failed++;
      break;
    }
}

static const DdLadderPolicy *
policy_of (GPtrArray *policies,
           gint64     creditor_id)
{
  const DdLadderPolicy *fallback = g_ptr_array_index (policies, 0);

  for (guint i = 0; i < policies->len; i++)
    {
      const DdLadderPolicy *p = g_ptr_array_index (policies, i);

      if (p->creditor_id == creditor_id)
        return p;
      if (p->creditor_id == 0)
        fallback = p;
    }
  return fallback;
}

/* Carries out the claims a crash left undone, grouped by the item they belonged to. */
static gboolean
resume_claims (DdLadderRunner    *self,
               DdLadderRunResult *result,
               GHashTable        *contacted,
               GError           **error)
{
  g_autoptr(GArray) claims = dd_ladder_store_list_claimed (self->store, error);
  g_autoptr(GPtrArray) policies = NULL;
  guint i = 0;

  if (claims == NULL)
    return FALSE;
  if (claims->len == 0)
    return TRUE;
  policies = dd_ladder_store_load_policies (self->store, error);
  if (policies == NULL)
    return FALSE;

  while (i < claims->len)
    {
      const DdLadderClaim *lead = &g_array_index (claims, DdLadderClaim, i);
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      const DdLadderPolicy *policy;
      gint64 debtor_id = 0, creditor_id = 0;
      gboolean found = FALSE;
      Work w = { 0 };

      for (; i < claims->len &&
             g_array_index (claims, DdLadderClaim, i).lead_case_id == lead->lead_case_id; i++)
        {
          const DdLadderClaim *c = &g_array_index (claims, DdLadderClaim, i);
          gboolean open = FALSE;

          if (c->case_id == lead->lead_case_id)
            lead = c;
          /* paid or closed since the claim (a run killed, the payments came in before the next
           * one): nothing is done for it, the claim is settled */
          if (!dd_database_exists (self->database, &open, error,
                                   "SELECT 1 FROM debt_case WHERE id = ? AND status <> 'closed'"
                                   " AND balance_minor > 0", DD_INT (c->case_id), DD_END))
            return FALSE;
          if (!open)
            {
              if (!dd_ladder_store_mark_done (self->store, c->case_id, error))
                return FALSE;
              continue;
            }
          /* the lead case first: the message speaks of it */
          if (c->case_id == lead->lead_case_id)
            g_array_prepend_val (ids, c->case_id);
          else
            g_array_append_val (ids, c->case_id);
        }
      if (ids->len == 0)
        continue;
      if (!dd_ladder_store_case_parties (self->store, g_array_index (ids, gint64, 0), &debtor_id,
                                         &creditor_id, &found, error))
        return FALSE;
      if (!found)
        continue;
      policy = policy_of (policies, creditor_id);
      w.day = lead->day;
      w.debtor_id = debtor_id;
      w.lead_case_id = g_array_index (ids, gint64, 0);
      w.channel = lead->channel;
      w.step = (guint) lead->step;
      w.offset_days = lead->offset_days;
      w.promise_broken = lead->promise_broken;
      /* the step by its day: the ladder may have been edited since the claim */
      for (guint k = 0; k < policy->steps->len; k++)
        {
          const DdLadderStep *s = dd_ladder_policy_get_step (policy, k);

          if (s->offset_days == lead->offset_days && s->channel == lead->channel)
            w.step_def = s;
        }
      w.case_ids = ids;
      if (lead->channel != DD_LADDER_VOICE || self->executor != NULL)
        {
          result->resumed++;
          if (dd_ladder_channel_is_contact (lead->channel))
            g_hash_table_add (contacted, g_memdup2 (&debtor_id, sizeof debtor_id));
        }
      execute (self, &w, result);
    }
  return TRUE;
}

/* Items claimed and carried out together: one transaction for the claims, one for the SMS and
 * tasks (a commit per item would make a big office's first run take hours). */
#define CHUNK 256

static void
work_clear (gpointer data)
{
  Work *w = data;

  g_clear_pointer (&w->case_ids, g_array_unref);
}

static void
merge_result (DdLadderRunResult       *into,
              const DdLadderRunResult *chunk)
{
  for (guint c = 0; c < DD_LADDER_N_CHANNELS; c++)
    into->done[c] += chunk->done[c];
  into->cases += chunk->cases;
  into->resumed += chunk->resumed;
  into->waiting_voice += chunk->waiting_voice;
  into->unreachable += chunk->unreachable;
  into->failed += chunk->failed;
  into->deferred += chunk->deferred;
  if (chunk->campaign_id != 0)
    into->campaign_id = chunk->campaign_id;
}

gboolean
dd_ladder_runner_run (DdLadderRunner     *self,
                      const char         *day_text,
                      gint64              now,
                      DdLadderRunResult  *out_result,
                      GError            **error)
{
  g_autoptr(DdLadderDayPlan) day_plan = NULL;
  g_autoptr(GHashTable) contacted = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                           NULL);
  DdLadderRunResult result = { 0 };
  DdLadderPlan *plan;

  if (!resume_claims (self, &result, contacted, error))
    return FALSE;
  day_plan = dd_ladder_runner_plan (self, day_text, now, error);
  if (day_plan == NULL)
    return FALSE;
  plan = day_plan->plan;
  result.excluded = plan->excluded->len;

  for (guint first = 0; first < plan->items->len; first += CHUNK)
    {
      guint last = MIN (first + CHUNK, plan->items->len);
      g_autoptr(GArray) works = g_array_new (FALSE, TRUE, sizeof (Work));
      DdLadderRunResult chunk = { 0 };
      gboolean ok;

      g_array_set_clear_func (works, work_clear);

      /* claimed and committed before anything goes out */
      ok = dd_database_begin (self->database, error);
      for (guint i = first; ok && i < last; i++)
        {
          const DdLadderPlanItem *item = &g_array_index (plan->items, DdLadderPlanItem, i);
          const DdLadderPlanCase *cases = dd_ladder_plan_item_cases (plan, item);
          g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
          Work w = { 0 };

          /* a debtor the resumed work contacts today is contacted once: tomorrow's plan has
           * them */
          if (dd_ladder_channel_is_contact (item->channel) &&
              g_hash_table_contains (contacted, &item->debtor_id))
            {
              result.deferred++;
              continue;
            }
          for (guint k = 0; ok && k < item->n_cases; k++)
            {
              gboolean claimed = FALSE;

              ok = dd_ladder_store_claim (self->store, &cases[k], item->channel,
                                          item->lead_case_id, plan->day, &claimed, error);
              if (ok && claimed)
                {
                  if (cases[k].case_id == item->lead_case_id)
                    g_array_prepend_val (ids, cases[k].case_id);
                  else
                    g_array_append_val (ids, cases[k].case_id);
                }
            }
          if (ids->len == 0)
            continue;
          w.day = plan->day;
          w.debtor_id = item->debtor_id;
          w.lead_case_id = item->lead_case_id;
          w.channel = item->channel;
          w.step = item->step;
          w.step_def = dd_ladder_policy_get_step (item->policy, item->step);
          w.offset_days = w.step_def->offset_days;
          w.promise_broken = item->promise_broken;
          w.not_before = item->not_before;
          w.case_ids = g_steal_pointer (&ids);
          g_array_append_val (works, w);
        }
      if (!ok || !dd_database_commit (self->database, error))
        {
          dd_database_rollback (self->database, NULL);
          return FALSE;
        }

      /* SMS and tasks of the chunk in one transaction (each queued or written with its done
       * mark); voice steps one by one, as the executor takes them */
      ok = dd_database_begin (self->database, NULL);
      for (guint i = 0; ok && i < works->len && chunk.failed == 0; i++)
        {
          const Work *w = &g_array_index (works, Work, i);

          if (w->channel != DD_LADDER_VOICE)
            execute (self, w, &chunk);
        }
      if (ok && chunk.failed == 0)
        ok = dd_database_commit (self->database, NULL);
      else if (ok)
        {
          dd_database_rollback (self->database, NULL);
          ok = FALSE;
        }
      if (!ok)
        {
          /* a step failed: the chunk is undone, its claims carried out one by one (the one
           * that fails again stays claimed for the next run) */
          memset (&chunk, 0, sizeof chunk);
          if (!resume_claims (self, &chunk, contacted, error))
            return FALSE;
          chunk.resumed = 0;
          merge_result (&result, &chunk);
          continue;   /* the chunk's voice steps went with them */
        }
      merge_result (&result, &chunk);
      for (guint i = 0; i < works->len; i++)
        {
          const Work *w = &g_array_index (works, Work, i);

          if (w->channel == DD_LADDER_VOICE)
            execute (self, w, &result);
        }
    }

  if (!dd_ladder_store_record_day (self->store, day_text, plan->items->len, error))
    return FALSE;
  write_letters (self, day_text, &result);
  if (self->sending != NULL && result.done[DD_LADDER_SMS] > 0)
    dd_sending_wake (self->sending);
  if (out_result != NULL)
    *out_result = result;
  return TRUE;
}
