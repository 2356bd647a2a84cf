/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-database.h"

G_BEGIN_DECLS

#define DD_TYPE_SQLITE_DATABASE (dd_sqlite_database_get_type ())
G_DECLARE_FINAL_TYPE (DdSqliteDatabase, dd_sqlite_database, DD, SQLITE_DATABASE, DdDatabase)

/* The newest schema version this build knows (the number of the last migration). */
guint       dd_sqlite_database_get_latest_version (void);

/* Opens or creates @path (NULL: the default location) with mode 0600 in WAL mode and
 * applies the migrations up to @version (0: all), each in its own transaction. */
DdDatabase *dd_sqlite_database_open_at_version    (const char  *path,
                                                   guint        version,
                                                   GError     **error);
DdDatabase *dd_sqlite_database_open               (const char  *path,
                                                   GError     **error);

G_END_DECLS
