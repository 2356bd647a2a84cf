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

G_END_DECLS
