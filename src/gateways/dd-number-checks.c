/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-number-checks"

#include "config.h"

#include "dd-number-checks.h"

#include <glib/gi18n-lib.h>

#include "dd-campaign-audience.h"
#include "dd-case-store.h"

#define MAX_AT_ONCE 4

typedef struct
{
  DdDatabase             *database;
  DdCaseStore            *cases;
  DdSmsGateway           *gateway;
  GStrv                   numbers;
  guint                   total;
  guint                   next;
  guint                   in_flight;
  gint64                  agent_id;
  DdNumberChecksProgress  progress;
  gpointer                progress_data;
  DdNumberChecksResult    result;
  GError                 *fatal;     /* a look-up that says the account cannot do this */
} Run;

static void
run_free (Run *run)
{
  g_clear_object (&run->database);
  g_clear_object (&run->cases);
  g_clear_object (&run->gateway);
  g_strfreev (run->numbers);
  g_clear_error (&run->fatal);
  g_free (run);
}

static void start_next (GTask *task);

typedef struct
{
  GTask *task;
  char  *number;
} Lookup;

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(GTask) task = lookup->task;
  g_autofree char *number = lookup->number;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(DdNumberCheck) check = dd_sms_gateway_check_number_finish (DD_SMS_GATEWAY (source),
                                                                       result, &error);

  g_free (lookup);
  run->in_flight--;
  if (check != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
      g_autoptr(GError) record_error = NULL;

      if (!dd_case_store_record_hlr (run->cases, run->agent_id, number, check->status,
                                     check->carrier, at, NULL, &record_error))
        g_warning ("Could not record the look-up of a number: %s", record_error->message);
      run->result.checked++;
      if (dd_hlr_status_is_dead (check->status))
        run->result.dead++;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
           g_error_matches (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_AUTH) ||
           g_error_matches (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_NO_CREDIT) ||
           g_error_matches (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_NOT_SUPPORTED))
    {
      /* no point in going on */
      if (run->fatal == NULL)
        run->fatal = g_steal_pointer (&error);
      run->next = run->total;
    }
  else
    {
      g_debug ("Look-up of a number failed: %s", error->message);
      run->result.failed++;
    }
  if (run->progress != NULL)
    run->progress (run->result.checked + run->result.failed, run->total, run->progress_data);
  start_next (g_steal_pointer (&task));
}

/* Takes its own reference of @task per look-up; returns the caller's. */
static void
start_next (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  while (run->in_flight < MAX_AT_ONCE && run->next < run->total &&
         !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      Lookup *lookup = g_new0 (Lookup, 1);

      lookup->task = g_object_ref (task);
      lookup->number = g_strdup (run->numbers[run->next++]);
      run->in_flight++;
      dd_sms_gateway_check_number_async (run->gateway, lookup->number,
                                         g_task_get_cancellable (task), on_checked, lookup);
    }
  if (run->in_flight == 0 && (run->next >= run->total ||
                              g_cancellable_is_cancelled (g_task_get_cancellable (task))))
    {
      if (run->fatal != NULL)
        g_task_return_error (task, g_steal_pointer (&run->fatal));
      else if (!g_task_return_error_if_cancelled (task))
        g_task_return_boolean (task, TRUE);
    }
  g_object_unref (task);
}

void
dd_number_checks_run_async (DdDatabase             *database,
                            DdSmsGateway           *gateway,
                            const char *const      *numbers,
                            gint64                  agent_id,
                            DdNumberChecksProgress  progress,
                            gpointer                progress_data,
                            GCancellable           *cancellable,
                            GAsyncReadyCallback     callback,
                            gpointer                user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Run *run = g_new0 (Run, 1);

  g_task_set_source_tag (task, dd_number_checks_run_async);
  run->database = g_object_ref (database);
  run->cases = dd_case_store_new (database);
  run->gateway = g_object_ref (gateway);
  run->numbers = g_strdupv ((char **) numbers);
  run->total = run->numbers != NULL ? g_strv_length (run->numbers) : 0;
  run->agent_id = agent_id;
  run->progress = progress;
  run->progress_data = progress_data;
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  start_next (task);
}

gboolean
dd_number_checks_run_finish (GAsyncResult          *result,
                             DdNumberChecksResult  *out_result,
                             GError               **error)
{
  Run *run = g_task_get_task_data (G_TASK (result));

  if (out_result != NULL)
    *out_result = run->result;
  return g_task_propagate_boolean (G_TASK (result), error);
}
