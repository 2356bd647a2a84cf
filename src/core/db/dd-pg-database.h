/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-database.h"

G_BEGIN_DECLS

/*
 * The PostgreSQL driver (DESIGN.md §4): one libpq connection per DdPgDatabase, the same
 * numbered migrations as SQLite in PostgreSQL's dialect (data/sql/postgresql), `?`
 * parameters mapped to `$n`. Changes to the tables other desks show are announced by
 * triggers with NOTIFY on the channel "dd_changes" (payload "table id"); a connection that
 * listens emits ::changed from the main loop.
 */

#define DD_TYPE_PG_DATABASE (dd_pg_database_get_type ())
G_DECLARE_FINAL_TYPE (DdPgDatabase, dd_pg_database, DD, PG_DATABASE, DdDatabase)

/* Whether @location names a PostgreSQL database ("postgresql://…" or "postgres://…"). */
gboolean    dd_pg_database_is_uri           (const char           *location);

/* Connects (blocking the calling thread) and migrates to the newest schema. */
DdDatabase *dd_pg_database_open             (const char           *uri,
                                             GError              **error);

/* Connects without blocking the main loop: the host name is resolved in a worker thread,
 * the connection's steps are driven by a GSource on the connection's socket (re-read after
 * each step), then the schema is migrated. */
void        dd_pg_database_open_async       (const char           *uri,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
DdDatabase *dd_pg_database_open_finish      (GAsyncResult         *result,
                                             GError              **error);

/* Starts listening for other desks' changes: ::changed (table, id) is emitted in the main
 * context that is the thread-default when this is called. */
gboolean    dd_pg_database_listen           (DdPgDatabase         *self,
                                             GError              **error);

/* Whether the connection is up: FALSE between ::connection-lost and ::reconnected, while a
 * listening connection is re-established in the background (after 1, 2, 4 … 30 s). */
gboolean    dd_pg_database_is_connected     (DdPgDatabase         *self);

/* The URI without its password, to show and to log. */
char       *dd_pg_database_redact_uri       (const char           *uri);

G_END_DECLS
