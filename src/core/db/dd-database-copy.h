/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-database.h"

G_BEGIN_DECLS

/* Called after each table: its name, the rows copied, and how many tables are done of all. */
typedef void (*DdCopyProgress) (const char *table,
                                gint64      rows,
                                guint       done,
                                guint       total,
                                gpointer    user_data);

/* What was checked at the end of a copy: both sides hold the same. */
typedef struct
{
  gint64 rows;            /* all rows of all tables */
  gint64 cases;
  gint64 balance_minor;   /* the sum of the cases' balances, all currencies together */
  gint64 payments_minor;  /* the sum of the payments */
} DdCopyTotals;

/*
 * Copies an office from @from (SQLite) to @to (an empty PostgreSQL database at the same
 * schema version): every table, row by row with its ids, in one transaction of @to. At the
 * end, counts of every table and the totals of money are compared; on any difference or
 * error @to is rolled back, so nothing is ever half-copied.
 */
gboolean dd_database_copy (DdDatabase      *from,
                           DdDatabase      *to,
                           DdCopyProgress   progress,
                           gpointer         user_data,
                           DdCopyTotals    *out_totals,
                           GError         **error);

G_END_DECLS
