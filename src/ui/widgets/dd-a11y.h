/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Gives every icon-only button at or under @root that has no accessible name its tooltip as
 * its name (the peek button of AdwPasswordEntryRow, icon buttons made in code): a screen
 * reader then says what the tooltip says. */
void dd_a11y_name_buttons_from_tooltips (GtkWidget *root);

G_END_DECLS
