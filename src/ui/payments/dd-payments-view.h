/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-context.h"

G_BEGIN_DECLS

#define DD_TYPE_PAYMENTS_VIEW (dd_payments_view_get_type ())
G_DECLARE_FINAL_TYPE (DdPaymentsView, dd_payments_view, DD, PAYMENTS_VIEW, GtkWidget)

/* The Payments section: the payments no rule could match to a case, each assigned to a case
 * found with the cases search, or ignored; and Import Statement… (MT940, 1C, CSV). Emits
 * "payments-changed" after an import or an assignment (balances changed). */
GtkWidget *dd_payments_view_new         (DdContext       *context);
void       dd_payments_view_reload      (DdPaymentsView  *self);
/* Imports @file (format guessed) and returns the summary as a translated text to show;
 * NULL with @error (nothing imported). The async form parses and imports in a worker thread
 * on its own database connection (what Import Statement… uses); the sync one on the window's. */
char      *dd_payments_view_import_file (DdPaymentsView  *self,
                                         GFile           *file,
                                         GError         **error);
void       dd_payments_view_import_file_async  (DdPaymentsView      *self,
                                                GFile               *file,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
char      *dd_payments_view_import_file_finish (DdPaymentsView      *self,
                                                GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
