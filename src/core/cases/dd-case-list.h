/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dd-case-query.h"
#include "dd-case-row.h"
#include "dd-database.h"

G_BEGIN_DECLS

/*
 * DdCaseList: a GListModel of DdCaseRow for a DdCaseQuery, lazy enough for 1,000,000 cases.
 *
 * dd_case_list_set_query() runs the query once and keeps only the ordered case ids (8 bytes
 * a case); rows are read on demand from get_item() in pages of DD_CASE_LIST_PAGE_SIZE by
 * id, and at most DD_CASE_LIST_MAX_PAGES pages are kept (least recently used go first).
 * n_items is exact.
 *
 * Threads: the list uses the DdDatabase it was given, so it lives on that connection's
 * thread — the main thread. Every call is one short query (a page is one indexed look-up
 * of 100 ids; materialising the ids of 1,000,000 cases takes a few hundred ms at most, see
 * docs/PERFORMANCE.md).
 *
 * The list does not watch the database: after changing cases call dd_case_list_reload()
 * (order or membership may have changed) or dd_case_list_invalidate() (only the rows'
 * contents changed; positions are kept).
 */

#define DD_CASE_LIST_PAGE_SIZE 100
#define DD_CASE_LIST_MAX_PAGES 32

#define DD_TYPE_CASE_LIST (dd_case_list_get_type ())
G_DECLARE_FINAL_TYPE (DdCaseList, dd_case_list, DD, CASE_LIST, GObject)

/* An empty list; call dd_case_list_set_query() to fill it. */
DdCaseList        *dd_case_list_new          (DdDatabase         *database);
DdDatabase        *dd_case_list_get_database (DdCaseList         *self);
/* Runs @query (copied) and emits items-changed (0, old n, new n). On error the list keeps
 * its previous query and items. */
gboolean           dd_case_list_set_query    (DdCaseList         *self,
                                              const DdCaseQuery  *query,
                                              GError            **error);
const DdCaseQuery *dd_case_list_get_query    (DdCaseList         *self);
/* Runs the current query again. */
gboolean           dd_case_list_reload       (DdCaseList         *self,
                                              GError            **error);
/* Forgets the cached rows of these cases and emits items-changed (pos, 1, 1) for each
 * one in the list. */
void               dd_case_list_invalidate   (DdCaseList         *self,
                                              const gint64       *case_ids,
                                              guint               n_case_ids);
/* The case id at @position (0 if out of range), without loading the row. */
gint64             dd_case_list_get_case_id  (DdCaseList         *self,
                                              guint               position);
/* All ids in list order (for bulk actions on "select all"); valid until the next query. */
const gint64      *dd_case_list_get_case_ids (DdCaseList         *self,
                                              guint              *out_n_ids);
/* Position of @case_id, or G_MAXUINT. Linear: fine for single look-ups. */
guint              dd_case_list_find         (DdCaseList         *self,
                                              gint64              case_id);
/* Number of pages currently cached (for tests and benchmarks). */
guint              dd_case_list_get_n_cached_pages (DdCaseList   *self);

G_END_DECLS
