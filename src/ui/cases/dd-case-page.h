/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-context.h"

G_BEGIN_DECLS

/*
 * DdCasePage: everything about one case (debtor card, phones, liabilities, balance
 * history, declarations, timeline) and the actions an agent takes on it. After an action
 * the page refreshes itself, shows a toast in the nearest AdwToastOverlay and emits
 * "case-changed" so that the list can refresh the case's row.
 */
#define DD_TYPE_CASE_PAGE (dd_case_page_get_type ())
G_DECLARE_FINAL_TYPE (DdCasePage, dd_case_page, DD, CASE_PAGE, AdwBin)

GtkWidget *dd_case_page_new         (DdContext  *context);
/* Shows case @case_id (0: nothing); errors are shown as a toast. */
void       dd_case_page_set_case_id (DdCasePage *self,
                                     gint64      case_id);
gint64     dd_case_page_get_case_id (DdCasePage *self);
/* Reads the case again from the database. */
void       dd_case_page_refresh     (DdCasePage *self);

G_END_DECLS
