/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "dd-case-store.h"
#include "dd-database.h"

G_BEGIN_DECLS

/*
 * DdCaseQuery: what the cases list shows — search text, filters and sort — as a plain
 * struct. Saved filters store it as JSON (dd_case_query_to_json()). dd_case_query_build()
 * turns it into SQL with bound parameters (no value is ever pasted into the SQL text).
 */

#define DD_CASE_QUERY_ERROR (dd_case_query_error_quark ())

typedef enum
{
  DD_CASE_QUERY_ERROR_INVALID,   /* JSON that is not a case query */
} DdCaseQueryError;

GQuark dd_case_query_error_quark (void);

typedef enum
{
  DD_CASE_SORT_DEBTOR,
  DD_CASE_SORT_CREDITOR,
  DD_CASE_SORT_BALANCE,
  DD_CASE_SORT_OLDEST_DUE,
  DD_CASE_SORT_STATUS,
  DD_CASE_SORT_NEXT_CONTACT,
  DD_CASE_SORT_LAST_ACTIVITY,
  DD_CASE_SORT_DAYS_OVERDUE,   /* today − the oldest unpaid due date: the oldest due date in
                                * reverse; cases with nothing unpaid count as the fewest days */
  DD_CASE_SORT_ID,
} DdCaseSortColumn;

#define DD_CASE_SORT_LAST DD_CASE_SORT_ID

/* agent_id value meaning "cases assigned to nobody". */
#define DD_CASE_QUERY_UNASSIGNED ((gint64) -1)

/* typedef'd in dd-case-store.h */
struct _DdCaseQuery
{
  /* Search: debtor name, tax id, phone, invoice number or e-mail; words are prefixes and
   * all must match. The index is per debtor: every case of a matching debtor is listed
   * (an invoice number finds its debtor's cases). Case and most Polish/Russian diacritics
   * are folded as SQLite's unicode61 tokenizer does (ż → z, ó → o), and names are also
   * indexed with ł as l. NULL or "" = no search. */
  char             *search;

  /* Filters; each is off at its zero value. */
  guint             statuses;              /* bit mask of 1 << DdCaseStatus; 0 = any */
  gint64            creditor_id;           /* 0 = any */
  gint64            campaign_id;           /* 0 = any; else cases the campaign messaged or called */
  gint64            agent_id;              /* 0 = any; DD_CASE_QUERY_UNASSIGNED = nobody */
  gboolean          has_balance_min;
  gint64            balance_min;           /* minor units, inclusive */
  gboolean          has_balance_max;
  gint64            balance_max;           /* minor units, inclusive */
  gboolean          overdue_declarations;  /* a pending declaration promised before today */
  gboolean          birthdays_today;       /* the debtor's birthday is today (29 Feb on 28 Feb
                                            * in common years) */
  guint             no_contact_days;       /* 0 = off; else no contact since now - N days */

  DdCaseSortColumn  sort;                  /* ties are broken by case id, same direction;
                                            * NULL first when ascending; text compared
                                            * bytewise (status: by its name) */
  gboolean          descending;

  /* Context of the evaluation, never saved: NULL = the real today / now. */
  char             *today;                 /* "YYYY-MM-DD" in the office's time zone */
  char             *now;                   /* UTC ISO 8601, "2026-11-23T20:04:35Z" */
};

#define DD_TYPE_CASE_QUERY (dd_case_query_get_type ())
GType        dd_case_query_get_type          (void) G_GNUC_CONST;

/* A query with no search and no filter, sorted by debtor name ascending. */
DdCaseQuery *dd_case_query_new               (void);
DdCaseQuery *dd_case_query_copy              (const DdCaseQuery  *query);
void         dd_case_query_free              (DdCaseQuery        *query);
/* Equal search, filters and sort (the context fields today/now are ignored). */
gboolean     dd_case_query_equal             (const DdCaseQuery  *a,
                                              const DdCaseQuery  *b);
void         dd_case_query_set_search        (DdCaseQuery        *query,
                                              const char         *search);
void         dd_case_query_add_status        (DdCaseQuery        *query,
                                              DdCaseStatus        status);
/* TRUE if any filter or search is set. */
gboolean     dd_case_query_is_filtered       (const DdCaseQuery  *query);
/* How many filters are set, the search not counted (a status set and a balance range are one
 * each): what the window shows on its filter button. */
guint        dd_case_query_get_n_filters     (const DdCaseQuery  *query);

/* JSON object of the search, filters and sort (not today/now). */
char        *dd_case_query_to_json           (const DdCaseQuery  *query);
DdCaseQuery *dd_case_query_from_json         (const char         *json,
                                              GError            **error);

/* The FTS5 MATCH expression for user text, or NULL when the text has nothing to search
 * for. Every word becomes a quoted prefix phrase ("word"*), so quotes, '-', '*', NEAR,
 * AND, OR and brackets are plain text; runs of digit groups ("+48 601 234 567",
 * "123-456-32-18") become one number without spaces, '+' or a leading "00". */
char        *dd_case_query_fts_expression    (const char         *text);

/* The SQL expression a sort column orders by (aliases as in dd_case_query_build()), and
 * whether its values are integers (else text, compared bytewise like SQLite's BINARY). */
const char  *dd_case_sort_expression         (DdCaseSortColumn    sort,
                                              gboolean           *out_is_integer);
/* TRUE if @sort orders by its expression in reverse (days overdue: the older the due date,
 * the more days), ties by case id in that reversed direction too; NULL then counts as the
 * largest value of the expression (the fewest days: first ascending, last descending). */
gboolean     dd_case_sort_is_reversed        (DdCaseSortColumn    sort);

/* The SQL of a query, with its parameters. */
typedef struct _DdCaseQuerySql DdCaseQuerySql;

/* SELECT @columns FROM debt_case c [joins] WHERE … [ORDER BY …]. @columns may use the
 * aliases c (debt_case), d (debtor), cr (creditor) and a (agent, LEFT JOIN). The joins
 * are added only if @columns or the sort need them. */
DdCaseQuerySql *dd_case_query_build          (const DdCaseQuery  *query,
                                              const char         *columns,
                                              gboolean            ordered);
/* The same for @database's dialect: PostgreSQL orders by the creditor's name kept on the
 * case (c.creditor_name, schema 29), SQLite by cr.name. */
DdCaseQuerySql *dd_case_query_build_for      (const DdCaseQuery  *query,
                                              DdDatabase         *database,
                                              const char         *columns,
                                              gboolean            ordered);
/* The same, ordered, for a walk that stops at the first rows it needs (the cases list on
 * PostgreSQL: the search's cases are a set looked up as the sort index is walked). */
DdCaseQuerySql *dd_case_query_build_walk_for (const DdCaseQuery  *query,
                                              DdDatabase         *database,
                                              const char         *columns);
/* PostgreSQL, a search: the ids of its cases, in no order, some more than once; without
 * filters from the search words' index alone (schema 30), with filters the filters' cases
 * looked up in the search's set. NULL elsewhere. */
DdCaseQuerySql *dd_case_query_build_search_ids_for (const DdCaseQuery *query,
                                                    DdDatabase        *database);
/* SELECT COUNT(*) of the cases that match, for @database's dialect (PostgreSQL counts a
 * search alone from its words' index, schema 30). */
DdCaseQuerySql *dd_case_query_build_count_for (const DdCaseQuery *query,
                                               DdDatabase        *database);
/* Appends " LIMIT @limit" to an ordered query. */
void            dd_case_query_sql_set_limit  (DdCaseQuerySql     *sql,
                                              guint               limit);
const char     *dd_case_query_sql_get_text   (DdCaseQuerySql     *sql);
guint           dd_case_query_sql_get_n_params (DdCaseQuerySql   *sql);
/* Binds the parameters (1…n) to @stmt; @sql must outlive the statement's run. */
void            dd_case_query_sql_bind       (DdCaseQuerySql     *sql,
                                              DdStatement        *stmt);
/* Prepares (uncached) and binds in one go. */
DdStatement    *dd_case_query_sql_prepare    (DdCaseQuerySql     *sql,
                                              DdDatabase         *database,
                                              GError            **error);
void            dd_case_query_sql_free       (DdCaseQuerySql     *sql);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdCaseQuery, dd_case_query_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdCaseQuerySql, dd_case_query_sql_free)

G_END_DECLS
