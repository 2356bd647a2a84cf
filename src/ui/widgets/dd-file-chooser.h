/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What dd_file_chooser_choose_sound() calls with the sound file the user chose: its @path. */
typedef void (*DdSoundChosenFunc) (gpointer    owner,
                                   const char *path,
                                   gpointer    tag);

/*
 * Asks for a sound file in a modal chooser (@title, its filter @filter_name: audio files) over
 * @owner's window. When the user accepts a local file and @owner is still alive, @chosen gets
 * them with @tag; @tag is freed with @tag_free (may be NULL) either way.
 */
void dd_file_chooser_choose_sound (GtkWidget         *owner,
                                   const char        *title,
                                   const char        *filter_name,
                                   DdSoundChosenFunc  chosen,
                                   gpointer           tag,
                                   GDestroyNotify     tag_free);

G_END_DECLS
