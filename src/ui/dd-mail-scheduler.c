/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-mail-scheduler"

#include "config.h"

#include "dd-mail-scheduler.h"

#include "dd-mail.h"
#include "dd-secret-store.h"

#define FIRST_CHECK_SECONDS 60
#define CHECK_SECONDS (15 * 60)

struct _DdMailScheduler
{
  GObject        parent_instance;

  DdContext     *context;
  GCancellable  *cancellable;
  guint          timeout_id;
  guint          soon_id;     /* a check asked for by a completed campaign */
  gboolean       busy;
  gboolean       again;       /* asked for while busy: check once more after */
};

G_DEFINE_FINAL_TYPE (DdMailScheduler, dd_mail_scheduler, G_TYPE_OBJECT)

typedef struct
{
  DdMailScheduler *owner;     /* while the keyring is asked */
  DdDatabase     *database;   /* the worker's own connection */
  DdMailAccount  *account;
  DdMailSchedule  schedule;
  char           *office_name;
  gint64          weekly_sent;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->owner);
  g_clear_object (&job->database);
  g_clear_pointer (&job->account, dd_mail_account_free);
  g_free (job->office_name);
  g_free (job);
}

static void
check_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Job *job = task_data;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GError *error = NULL;

  job->schedule.office_name = job->office_name;
  if (!dd_mail_queue_due (job->database, job->account, &job->schedule, now, NULL,
                          &job->weekly_sent, &error) ||
      !dd_mail_outbox_flush (job->database, job->account, now, NULL, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(DdMailScheduler) self = user_data;
  g_autoptr(GError) error = NULL;
  Job *job = g_task_get_task_data (G_TASK (result));
  GSettings *settings = self->context != NULL ? dd_context_get_settings (self->context) : NULL;

  self->busy = FALSE;
  /* a failed send waits in the outbox for the next check: logged, not shown */
  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("E-mail summaries: %s", error->message);
  if (settings != NULL && job->weekly_sent != job->schedule.weekly_sent)
    g_settings_set_int64 (settings, "mail-weekly-sent", job->weekly_sent);
  if (self->again && !g_cancellable_is_cancelled (self->cancellable))
    {
      self->again = FALSE;
      dd_mail_scheduler_check (self);
    }
}

static void
run_job (DdMailScheduler *self,
         Job             *job)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, on_checked, g_object_ref (self));

  g_task_set_source_tag (task, run_job);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, check_in_thread);
}

static void
on_password_found (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DdMailScheduler) self = g_steal_pointer (&job->owner);

  job->account->password = dd_mail_password_lookup_finish (result, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      self->busy = FALSE;
      job_free (job);
      return;
    }
  run_job (self, job);
}

void
dd_mail_scheduler_check (DdMailScheduler *self)
{
  GSettings *settings;
  g_autoptr(GError) error = NULL;
  Job *job;

  g_return_if_fail (DD_IS_MAIL_SCHEDULER (self));
  settings = self->context != NULL ? dd_context_get_settings (self->context) : NULL;
  if (settings == NULL)
    return;
  if (self->busy)
    {
      self->again = TRUE;   /* e.g. a campaign completed while the last check ran */
      return;
    }
  job = g_new0 (Job, 1);
  job->account = dd_mail_account_new_from_settings (settings);
  if (!dd_mail_account_check (job->account, NULL))
    {
      job_free (job);
      return;   /* not set up: nothing to send */
    }
  job->database = dd_database_open_another (dd_context_get_database (self->context), &error);
  if (job->database == NULL)
    {
      g_message ("E-mail summaries: %s", error->message);
      job_free (job);
      return;
    }
  job->schedule.weekly = g_settings_get_boolean (settings, "mail-summary-weekly");
  job->schedule.after_campaign = g_settings_get_boolean (settings, "mail-summary-after-campaign");
  job->schedule.weekly_sent = g_settings_get_int64 (settings, "mail-weekly-sent");
  job->office_name = g_settings_get_string (settings, "office-name");
  self->busy = TRUE;
  if (job->account->user == NULL || *job->account->user == '\0')
    {
      run_job (self, job);
      return;
    }
  job->owner = g_object_ref (self);
  dd_mail_password_lookup (job->account, NULL, on_password_found, job);
}

static gboolean
on_timeout (gpointer user_data)
{
  DdMailScheduler *self = user_data;

  dd_mail_scheduler_check (self);
  if (self->timeout_id != 0)
    g_source_remove (self->timeout_id);
  self->timeout_id = g_timeout_add_seconds (CHECK_SECONDS, on_timeout, self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_soon (gpointer user_data)
{
  DdMailScheduler *self = user_data;

  self->soon_id = 0;
  dd_mail_scheduler_check (self);
  return G_SOURCE_REMOVE;
}

/* A campaign completed: its summary goes out now, not at the next quarter-hour check (a
 * moment later, so that several campaigns ending together make one check). */
static void
on_campaign_completed (DdContext       *context,
                       DdMailScheduler *self)
{
  if (self->soon_id == 0)
    self->soon_id = g_timeout_add_seconds (1, on_soon, self);
}

static void
dd_mail_scheduler_constructed (GObject *object)
{
  DdMailScheduler *self = DD_MAIL_SCHEDULER (object);

  G_OBJECT_CLASS (dd_mail_scheduler_parent_class)->constructed (object);
  if (self->context != NULL)
    g_signal_connect_object (self->context, "campaign-completed",
                             G_CALLBACK (on_campaign_completed), self, 0);
}

static void
dd_mail_scheduler_dispose (GObject *object)
{
  DdMailScheduler *self = DD_MAIL_SCHEDULER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->soon_id, g_source_remove);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (dd_mail_scheduler_parent_class)->dispose (object);
}

static void
dd_mail_scheduler_finalize (GObject *object)
{
  DdMailScheduler *self = DD_MAIL_SCHEDULER (object);

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (dd_mail_scheduler_parent_class)->finalize (object);
}

static void
dd_mail_scheduler_class_init (DdMailSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = dd_mail_scheduler_constructed;
  object_class->dispose = dd_mail_scheduler_dispose;
  object_class->finalize = dd_mail_scheduler_finalize;
  dd_context_install_property (object_class, G_STRUCT_OFFSET (DdMailScheduler, context), 0);
}

static void
dd_mail_scheduler_init (DdMailScheduler *self)
{
  self->cancellable = g_cancellable_new ();
  self->timeout_id = g_timeout_add_seconds (FIRST_CHECK_SECONDS, on_timeout, self);
}

DdMailScheduler *
dd_mail_scheduler_new (DdContext *context)
{
  return g_object_new (DD_TYPE_MAIL_SCHEDULER, "context", context, NULL);
}
