/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-number-look-up"

#include "config.h"

#include "dd-number-look-up.h"

#include <glib/gi18n-lib.h>

typedef struct
{
  DdNumberLookUp *look_up;   /* in the owner */
  GtkWidget      *owner;     /* held until the end */
} Running;

static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  DdNumberLookUp *look_up = user_data;
  /* Translators: progress of the number look-ups: done / total */
  g_autofree char *text = g_strdup_printf (_("%u of %u"), done, total);

  if (look_up->progress == NULL)
    return;
  gtk_progress_bar_set_fraction (look_up->progress, total > 0 ? (double) done / total : 1);
  gtk_progress_bar_set_text (look_up->progress, text);
}

static void
on_looked_up (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Running *running = user_data;
  DdNumberLookUp *look_up = running->look_up;
  g_autoptr(GError) error = NULL;
  DdNumberChecksResult outcome = { 0 };
  gboolean ok = dd_number_checks_run_finish (result, &outcome, &error);

  /* cancelled: the owner is going away */
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_object (&look_up->running);
      if (look_up->progress != NULL)
        gtk_widget_set_visible (GTK_WIDGET (look_up->progress), FALSE);
      gtk_widget_set_sensitive (look_up->button, TRUE);
      look_up->done (running->owner, ok ? &outcome : NULL, error);
    }
  g_object_unref (running->owner);
  g_free (running);
}

gboolean
dd_number_look_up_start (DdNumberLookUp     *look_up,
                         GtkWidget          *owner,
                         DdContext          *context,
                         const char * const *numbers,
                         GError            **error)
{
  Running *running;

  g_return_val_if_fail (look_up != NULL && look_up->running == NULL, FALSE);
  g_return_val_if_fail (GTK_IS_WIDGET (owner), FALSE);

  if (!dd_context_can_check_numbers (context, error))
    return FALSE;
  running = g_new0 (Running, 1);
  running->look_up = look_up;
  running->owner = g_object_ref (owner);
  look_up->running = g_cancellable_new ();
  gtk_widget_set_sensitive (look_up->button, FALSE);
  if (look_up->progress != NULL)
    {
      gtk_progress_bar_set_fraction (look_up->progress, 0);
      gtk_widget_set_visible (GTK_WIDGET (look_up->progress), TRUE);
    }
  dd_context_check_numbers_async (context, numbers, on_progress, look_up, look_up->running,
                                  on_looked_up, running);
  return TRUE;
}

void
dd_number_look_up_cancel (DdNumberLookUp *look_up)
{
  g_return_if_fail (look_up != NULL);

  g_cancellable_cancel (look_up->running);
  g_clear_object (&look_up->running);
}
