/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DD_TYPE_FOLD_BIN (dd_fold_bin_get_type ())
G_DECLARE_FINAL_TYPE (DdFoldBin, dd_fold_bin, DD, FOLD_BIN, GtkWidget)

/* A bin whose natural width is DdFoldBin:natural-width (or its child's minimum, if larger),
 * while its minimum stays its child's: in an AdwLeaflet that folds by natural widths, the page it holds
 * folds the leaflet below a chosen width yet can still shrink to its minimum once folded. */
GtkWidget *dd_fold_bin_new (void);

G_END_DECLS
