/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Errors said where they happen, in a form: the field marked, a line of text under it. */

/* Marks @widget (an entry, a row) as wrong, or as right again when @wrong is FALSE. */
void dd_mark_wrong   (GtkWidget  *widget,
                      gboolean    wrong);
/* Shows @message in @label, or hides the label when @message is NULL. */
void dd_show_message (GtkLabel   *label,
                      const char *message);

G_END_DECLS
