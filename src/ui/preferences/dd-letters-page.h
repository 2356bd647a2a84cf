/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-context.h"

G_BEGIN_DECLS

/*
 * Preferences › Letters: the office as the sender of demand letters (address, tax number,
 * bank account, days to pay, who signs), each checked as it is typed, and the dated interest
 * rate tables (source, checked date, every rate from its date, the office's own rates marked
 * and removable; a new rate added from a date, kept in the database and used by dd-interest).
 */
#define DD_TYPE_LETTERS_PAGE (dd_letters_page_get_type ())
G_DECLARE_FINAL_TYPE (DdLettersPage, dd_letters_page, DD, LETTERS_PAGE, AdwPreferencesPage)

GtkWidget *dd_letters_page_new (DdContext *context);

/* For tests: a widget of the page by its template name ("tax_id_row", "rate_error_label"…), and
 * the rows shown for @series ("from\trate\toffice" per rate, newest first). */
GtkWidget *_dd_letters_page_get_widget (DdLettersPage *self,
                                        const char    *name);
char      *_dd_letters_page_describe_series (DdLettersPage *self,
                                             const char    *series);

G_END_DECLS
