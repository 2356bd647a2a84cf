/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/*
 * Preferences › Database: where the office lives. "This computer only" (the SQLite file) or
 * "Shared office database" (PostgreSQL: host, port, database, user; the password in the
 * keyring; an encrypted connection required unless the server is this computer). "Test
 * Connection" connects without blocking and says the result under the fields; "Use This
 * Database" keeps the address (never the password) in the setting database-path, used at the
 * next start.
 */
#define DD_TYPE_DATABASE_PAGE (dd_database_page_get_type ())
G_DECLARE_FINAL_TYPE (DdDatabasePage, dd_database_page, DD, DATABASE_PAGE, AdwPreferencesPage)

GtkWidget *dd_database_page_new         (GSettings      *settings);
/* Moves the page's groups to the end of @page (the window's General page: one tab fewer); the
 * database page must stay alive as long as they are shown. */
void       dd_database_page_move_to     (DdDatabasePage     *self,
                                         AdwPreferencesPage *page);

/* The address of the shared database the fields describe, with @password when given
 * (percent-encoded), else without. For tests. */
char      *_dd_database_page_build_uri  (DdDatabasePage *self,
                                         const char     *password);
/* Whether @host is this computer (no encryption needed). */
gboolean   _dd_database_host_is_local   (const char     *host);

G_END_DECLS
