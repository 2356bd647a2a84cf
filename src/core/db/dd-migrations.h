/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The numbered schema migrations a driver finds in the core GResource below @dir
 * ("…/sql/sqlite/", "…/sql/postgresql/"): "NNN-name.sql", sorted by number. Numbers are
 * reserved per feature branch, so one may be missing until its branch is merged. */
typedef struct
{
  guint  version;
  char  *name;
} DdMigration;

GArray *dd_migrations_list   (const char *dir);
guint   dd_migrations_latest (GArray     *migrations);
/* The SQL text of @migration, or NULL and @error. */
char   *dd_migrations_load   (const char         *dir,
                              const DdMigration  *migration,
                              GError            **error);

/* Applies @migration to the driver's database @db; FALSE and @error if it could not. */
typedef gboolean (*DdMigrationApplyFunc) (gpointer            db,
                                          const DdMigration  *migration,
                                          GError            **error);

/* Applies, in order, each of @migrations above @current up to @target (0: up to the latest)
 * with @apply. A database whose @current is above the latest is too new for this version:
 * DD_DATABASE_ERROR_TOO_NEW, and nothing is applied. */
gboolean dd_migrations_run       (GArray                *migrations,
                                  guint                  current,
                                  guint                  target,
                                  DdMigrationApplyFunc   apply,
                                  gpointer               db,
                                  GError               **error);
/* Sets @error (DD_DATABASE_ERROR_MIGRATION) to say that @migration failed with @cause. */
void     dd_migrations_set_error (GError             **error,
                                  const DdMigration   *migration,
                                  const GError        *cause);

G_END_DECLS
