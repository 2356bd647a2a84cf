/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* For the tests: the widgets a user works with. */

#include "dd-payments-view.h"

G_BEGIN_DECLS

/* The rows of the unmatched list (AdwActionRow), in list order. */
GPtrArray  *_dd_payments_view_get_rows        (DdPaymentsView *self);
/* The "Assign…" menu button of @row, and the search entry and result list of its popover. */
GtkWidget  *_dd_payments_view_get_assign_button (GtkWidget    *row);
GtkWidget  *_dd_payments_view_get_search_entry  (GtkWidget    *row);
GtkListBox *_dd_payments_view_get_results       (GtkWidget    *row);
GtkWidget  *_dd_payments_view_get_ignore_button (GtkWidget    *row);
const char *_dd_payments_view_get_last_toast    (DdPaymentsView *self);

G_END_DECLS
