/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-file-chooser"

#include "config.h"

#include "dd-file-chooser.h"

#include <glib/gi18n.h>

typedef struct
{
  GWeakRef           owner;
  DdSoundChosenFunc  chosen;
  gpointer           tag;
  GDestroyNotify     tag_free;
} Choice;

static void
choice_free (gpointer  data,
             GClosure *closure)
{
  Choice *choice = data;

  g_weak_ref_clear (&choice->owner);
  if (choice->tag_free != NULL)
    choice->tag_free (choice->tag);
  g_free (choice);
}

static void
on_response (GtkNativeDialog *chooser,
             int              response,
             Choice          *choice)
{
  g_autoptr(GObject) owner = g_weak_ref_get (&choice->owner);

  if (response == GTK_RESPONSE_ACCEPT && owner != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        choice->chosen (owner, path, choice->tag);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

void
dd_file_chooser_choose_sound (GtkWidget         *owner,
                              const char        *title,
                              const char        *filter_name,
                              DdSoundChosenFunc  chosen,
                              gpointer           tag,
                              GDestroyNotify     tag_free)
{
  GtkRoot *root;
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  Choice *choice;

  g_return_if_fail (GTK_IS_WIDGET (owner));
  g_return_if_fail (chosen != NULL);

  root = gtk_widget_get_root (owner);
  chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), NULL);
  gtk_file_filter_set_name (filter, filter_name);
  gtk_file_filter_add_mime_type (filter, "audio/*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  choice = g_new0 (Choice, 1);
  g_weak_ref_init (&choice->owner, owner);
  choice->chosen = chosen;
  choice->tag = tag;
  choice->tag_free = tag_free;
  g_signal_connect_data (chooser, "response", G_CALLBACK (on_response), choice, choice_free, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
