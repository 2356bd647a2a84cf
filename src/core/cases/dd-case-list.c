/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-case-list"

#include "config.h"

#include "dd-case-list.h"
#include "dd-case-list-private.h"
#include "dd-case-row-private.h"

#include <string.h>

#define DEFAULT_SORT_THRESHOLD 10000
/* PostgreSQL: up to this many matches are read whole, sorted by the server. A walk of a
 * filter's matches far apart in the sort order (birthdays: 11,905 of 1,000,000 cases, whose
 * debtors' names all come late) probes every case it passes (8 s); read whole, 0.3 s.
 * Not for a search (read_ids()). */
#define DEFAULT_READ_WHOLE_THRESHOLD 25000

/* Index entries the background walk reads per main-loop iteration (a few ms). */
#define WALK_CHUNK 20000

typedef struct
{
  guint      index;     /* page number */
  GPtrArray *rows;      /* of DdCaseRow, in list order */
  GList     *lru_link;  /* in DdCaseList.lru, data = this page */
} Page;

struct _DdCaseList
{
  GObject       parent_instance;

  DdDatabase   *database;
  DdCaseQuery  *query;
  GArray       *ids;       /* gint64, in list order: the first ids->len of n_items */
  guint         n_items;
  GHashTable   *pages;     /* page index → Page */

  /* While the ids are still being read from the sort index (see read_ids()). */
  DdStatement    *walk;
  DdCaseQuerySql *walk_sql;
  guint8         *walk_bits;   /* the matches by id; NULL: every case */
  gint64          walk_max_id;
  guint           walk_idle_id;
  GQueue        lru;       /* of Page, most recent first */
  guint         sort_threshold;
  guint         read_whole_threshold;
};

static void dd_case_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DdCaseList, dd_case_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      dd_case_list_model_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The statement that loads one page: a fixed number of placeholders, so it is prepared
 * once and cached; unused ones are bound to 0 (no case has id 0). */
static const char *
page_sql (void)
{
  static char *sql;
  static gsize once;

  if (g_once_init_enter (&once))
    {
      GString *s = g_string_new ("SELECT " _DD_CASE_ROW_COLUMNS
                                 " FROM debt_case c JOIN creditor cr ON cr.id = c.creditor_id"
                                 " LEFT JOIN agent a ON a.id = c.agent_id WHERE c.id IN (");

      for (guint i = 0; i < DD_CASE_LIST_PAGE_SIZE; i++)
        g_string_append (s, i ? ", ?" : "?");
      g_string_append_c (s, ')');
      sql = g_string_free (s, FALSE);
      g_once_init_leave (&once, 1);
    }
  return sql;
}

static gboolean ensure_ids (DdCaseList *self,
                            guint       n,
                            GError    **error);
static void     stop_walk  (DdCaseList *self);

static void
page_free (gpointer data)
{
  Page *page = data;

  g_ptr_array_unref (page->rows);
  g_free (page);
}

static void
drop_page (DdCaseList *self,
           Page       *page)
{
  g_queue_delete_link (&self->lru, page->lru_link);
  g_hash_table_remove (self->pages, GUINT_TO_POINTER (page->index));
}

static void
drop_all_pages (DdCaseList *self)
{
  g_queue_clear (&self->lru);
  g_hash_table_remove_all (self->pages);
}

static void
add_row_by_id (DdStatement *stmt,
               gpointer     by_id)
{
  DdCaseRow *row = _dd_case_row_new_from_statement (stmt);
  gint64 *key = g_new (gint64, 1);

  *key = dd_case_row_get_id (row);
  g_hash_table_replace (by_id, key, row);
}

static Page *
load_page (DdCaseList  *self,
           guint        index,
           GError     **error)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                        g_object_unref);
  guint first = index * DD_CASE_LIST_PAGE_SIZE;
  guint n;
  DdStatement *stmt;
  Page *page;

  if (!ensure_ids (self, MIN (self->n_items, first + DD_CASE_LIST_PAGE_SIZE), error))
    return NULL;
  if (first >= self->ids->len)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "position %u is past the %u ids read",
                   first, self->ids->len);
      return NULL;
    }
  n = MIN (DD_CASE_LIST_PAGE_SIZE, self->ids->len - first);
  stmt = dd_database_cached (self->database, page_sql (), error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < DD_CASE_LIST_PAGE_SIZE; i++)
    dd_statement_bind_int64 (stmt, i + 1,
                             i < n ? g_array_index (self->ids, gint64, first + i) : 0);
  if (!dd_statement_each (stmt, add_row_by_id, by_id, error))
    return NULL;

  page = g_new0 (Page, 1);
  page->index = index;
  page->rows = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      gint64 id = g_array_index (self->ids, gint64, first + i);
      DdCaseRow *row = g_hash_table_lookup (by_id, &id);

      /* A case deleted since the ids were read: a placeholder keeps n_items exact. */
      g_ptr_array_add (page->rows, row ? g_object_ref (row) : _dd_case_row_new_placeholder (id));
    }

  while (g_queue_get_length (&self->lru) >= DD_CASE_LIST_MAX_PAGES)
    drop_page (self, g_queue_peek_tail (&self->lru));
  g_queue_push_head (&self->lru, page);
  page->lru_link = self->lru.head;
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
  return page;
}

/* GListModel */

static GType
dd_case_list_get_item_type (GListModel *model)
{
  return DD_TYPE_CASE_ROW;
}

static guint
dd_case_list_get_n_items (GListModel *model)
{
  return DD_CASE_LIST (model)->n_items;
}

static gpointer
dd_case_list_get_item (GListModel *model,
                       guint       position)
{
  DdCaseList *self = DD_CASE_LIST (model);
  guint index = position / DD_CASE_LIST_PAGE_SIZE;
  Page *page;

  if (position >= self->n_items)
    return NULL;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page != NULL)
    {
      if (page->lru_link != self->lru.head)
        {
          g_queue_unlink (&self->lru, page->lru_link);
          g_queue_push_head_link (&self->lru, page->lru_link);
        }
    }
  else
    {
      g_autoptr(GError) error = NULL;

      page = load_page (self, index, &error);
      if (page == NULL)
        {
          /* get_item cannot fail: show an empty row, say why in the log. */
          g_warning ("Could not load cases %u…: %s", index * DD_CASE_LIST_PAGE_SIZE,
                     error->message);
          return _dd_case_row_new_placeholder (position < self->ids->len
                                               ? g_array_index (self->ids, gint64, position)
                                               : 0);
        }
    }
  return g_object_ref (g_ptr_array_index (page->rows, position % DD_CASE_LIST_PAGE_SIZE));
}

static void
dd_case_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = dd_case_list_get_item_type;
  iface->get_n_items = dd_case_list_get_n_items;
  iface->get_item = dd_case_list_get_item;
}

/* GObject */

static void
dd_case_list_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DdCaseList *self = DD_CASE_LIST (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_case_list_finalize (GObject *object)
{
  DdCaseList *self = DD_CASE_LIST (object);

  stop_walk (self);
  drop_all_pages (self);
  g_hash_table_unref (self->pages);
  g_array_unref (self->ids);
  g_clear_pointer (&self->query, dd_case_query_free);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (dd_case_list_parent_class)->finalize (object);
}

static void
dd_case_list_class_init (DdCaseListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = dd_case_list_get_property;
  object_class->finalize = dd_case_list_finalize;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dd_case_list_init (DdCaseList *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, page_free);
  self->query = dd_case_query_new ();
  self->sort_threshold = DEFAULT_SORT_THRESHOLD;
  self->read_whole_threshold = DEFAULT_READ_WHOLE_THRESHOLD;
}

DdCaseList *
dd_case_list_new (DdDatabase *database)
{
  DdCaseList *self;

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);

  self = g_object_new (DD_TYPE_CASE_LIST, NULL);
  self->database = g_object_ref (database);
  return self;
}

DdDatabase *
dd_case_list_get_database (DdCaseList *self)
{
  g_return_val_if_fail (DD_IS_CASE_LIST (self), NULL);

  return self->database;
}

/*
 * Materialising the ordered ids. SQLite is fast at two things here: walking one index in
 * order (the sort column's index holds the case id: ~100 ms for 1,000,000 cases) and
 * evaluating filters in the order it likes (an index of the filter, or the table front to
 * back). It is slow at doing both in one query: filtering in sort order means one random
 * table look-up per case, and sorting a large filtered set spills to disk (seconds at
 * 1,000,000). So a filtered query runs in two steps:
 *   1. the filter alone, ids only, without ORDER BY (often answered from indexes alone);
 *   2. few matches (≤ sort_threshold): read their sort keys by id and sort here;
 *      many matches: walk the sort index in order and keep the ids that matched (a bitmap).
 */

typedef struct
{
  gint64      id;
  gint64      number;
  const char *text;    /* in the GStringChunk; NULL for SQL NULL (or integer keys) */
  gboolean    is_null;
} SortKey;

typedef struct
{
  gboolean integer;
  gboolean descending;
  gboolean nulls_largest;   /* reversed sorts (dd_case_sort_is_reversed()) */
} SortOrder;

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const SortKey *x = a, *y = b;
  const SortOrder *order = user_data;
  int c;

  /* As SQLite orders: NULL first (last for a reversed sort), then numbers, or text
   * bytewise (BINARY). */
  if (x->is_null != y->is_null)
    c = (x->is_null != order->nulls_largest) ? -1 : 1;
  else if (x->is_null)
    c = 0;
  else if (order->integer)
    c = (x->number > y->number) - (x->number < y->number);
  else
    c = strcmp (x->text, y->text);
  if (c == 0)
    c = (x->id > y->id) - (x->id < y->id);
  return order->descending ? -c : c;
}

typedef struct
{
  GArray   *ids;         /* gint64, while the matches are few */
  guint     threshold;
  guint8   *bits;        /* all matches by id */
  gint64    max_id;
  guint     n_matches;
} Matches;

static void
on_match (DdStatement *stmt,
          gpointer     data)
{
  Matches *m = data;
  gint64 id = dd_statement_get_int64 (stmt, 0);

  /* out of range (a case added since MAX(id) was read), or met already (a search's ids on
   * PostgreSQL may come more than once) */
  if (id < 0 || id > m->max_id || (m->bits[id >> 3] & (1u << (id & 7))))
    return;
  m->n_matches++;
  m->bits[id >> 3] |= 1u << (id & 7);
  if (m->ids != NULL && m->ids->len >= m->threshold)
    g_clear_pointer (&m->ids, g_array_unref);
  if (m->ids != NULL)
    g_array_append_val (m->ids, id);
}

/* Reads every id of @stmt (then freed) into @m: the ids themselves while they are at most
 * @threshold, and a bit for each in any case (ids up to @max_id). */
static gboolean
read_matches (DdStatement  *stmt,
              guint         threshold,
              gint64        max_id,
              Matches      *m,
              GError      **error)
{
  gboolean ok;

  m->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  m->threshold = threshold;
  m->max_id = max_id;
  m->bits = g_malloc0 (max_id / 8 + 1);
  ok = dd_statement_each (stmt, on_match, m, error);
  dd_statement_free (stmt);
  return ok;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

typedef struct
{
  GArray          *keys;
  GStringChunk    *texts;
  const SortOrder *order;
} SortKeys;

static void
add_sort_key (DdStatement *stmt,
              gpointer     data)
{
  SortKeys *reading = data;
  SortKey key = { dd_statement_get_int64 (stmt, 0), 0, NULL, dd_statement_is_null (stmt, 1) };

  if (!key.is_null)
    {
      if (reading->order->integer)
        key.number = dd_statement_get_int64 (stmt, 1);
      else
        key.text = g_string_chunk_insert (reading->texts, dd_statement_get_text (stmt, 1));
    }
  g_array_append_val (reading->keys, key);
}

/* Reads the sort keys of @ids (a few at a time, by primary key) and sorts them. */
static GArray *
sort_ids (DdCaseList         *self,
          const DdCaseQuery  *query,
          GArray             *ids,
          GError            **error)
{
  g_autoptr(GArray) keys = g_array_sized_new (FALSE, FALSE, sizeof (SortKey), ids->len);
  g_autoptr(GStringChunk) texts = g_string_chunk_new (64 * 1024);
  g_autoptr(GString) sql = g_string_new ("SELECT c.id, ");
  SortOrder order = { FALSE, query->descending != dd_case_sort_is_reversed (query->sort),
                      dd_case_sort_is_reversed (query->sort) };
  const char *expr = dd_case_sort_expression (query->sort, &order.integer);
  SortKeys reading = { keys, texts, &order };
  GArray *sorted;

  g_string_append_printf (sql, "%s FROM debt_case c%s WHERE c.id IN (", expr,
                          g_str_has_prefix (expr, "cr.")
                          ? " JOIN creditor cr ON cr.id = c.creditor_id" : "");
  for (guint i = 0; i < DD_CASE_LIST_PAGE_SIZE; i++)
    g_string_append (sql, i ? ", ?" : "?");
  g_string_append_c (sql, ')');

  /* In id order the look-ups walk the table front to back. */
  g_array_sort (ids, compare_ids);
  for (guint first = 0; first < ids->len; first += DD_CASE_LIST_PAGE_SIZE)
    {
      DdStatement *stmt = dd_database_cached (self->database, sql->str, error);

      if (stmt == NULL)
        return NULL;
      for (guint i = 0; i < DD_CASE_LIST_PAGE_SIZE; i++)
        dd_statement_bind_int64 (stmt, i + 1, first + i < ids->len
                                              ? g_array_index (ids, gint64, first + i) : 0);
      if (!dd_statement_each (stmt, add_sort_key, &reading, error))
        return NULL;
    }

  g_array_sort_with_data (keys, compare_keys, &order);
  sorted = g_array_sized_new (FALSE, FALSE, sizeof (gint64), keys->len);
  for (guint i = 0; i < keys->len; i++)
    g_array_append_val (sorted, g_array_index (keys, SortKey, i).id);
  return sorted;
}

/* The walk: the sort column's index read in order, keeping the matches (all cases when
 * unfiltered), only as far as the list is looked at; the rest is read in the background
 * (WALK_CHUNK entries per idle call), so the first rows never wait for the whole index. */

static void
stop_walk (DdCaseList *self)
{
  g_clear_handle_id (&self->walk_idle_id, g_source_remove);
  g_clear_pointer (&self->walk, dd_statement_free);
  g_clear_pointer (&self->walk_sql, dd_case_query_sql_free);
  g_clear_pointer (&self->walk_bits, g_free);
}

static void
finish_walk (DdCaseList *self)
{
  gint64 none = 0;

  stop_walk (self);
  /* cases deleted since the matches were counted: placeholders keep n_items exact */
  while (self->ids->len < self->n_items)
    g_array_append_val (self->ids, none);
}

/* Reads on until @want ids are known, at most @budget index entries (G_MAXUINT: no limit). */
static gboolean
walk_some (DdCaseList  *self,
           guint        want,
           guint        budget,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  guint read = 0;

  while (self->walk != NULL && self->ids->len < want && read < budget)
    {
      gint64 id;

      if (!dd_statement_step (self->walk, &local_error))
        {
          finish_walk (self);
          break;
        }
      read++;
      id = dd_statement_get_int64 (self->walk, 0);
      if (self->walk_bits == NULL ||
          (id >= 0 && id <= self->walk_max_id &&
           (self->walk_bits[id >> 3] & (1u << (id & 7)))))
        g_array_append_val (self->ids, id);
    }
  if (self->walk != NULL && self->ids->len >= self->n_items)
    finish_walk (self);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
ensure_ids (DdCaseList  *self,
            guint        n,
            GError     **error)
{
  return walk_some (self, MIN (n, self->n_items), G_MAXUINT, error);
}

static gboolean
on_walk_idle (gpointer user_data)
{
  DdCaseList *self = DD_CASE_LIST (user_data);
  g_autoptr(GError) error = NULL;

  if (!walk_some (self, G_MAXUINT, WALK_CHUNK, &error))
    {
      g_warning ("Could not read the case list: %s", error->message);
      finish_walk (self);
    }
  if (self->walk != NULL)
    return G_SOURCE_CONTINUE;
  self->walk_idle_id = 0;
  return G_SOURCE_REMOVE;
}

typedef struct
{
  GArray         *ids;        /* complete, or the start of a walk */
  guint           n_items;
  DdStatement    *walk;
  DdCaseQuerySql *walk_sql;
  guint8         *walk_bits;
  gint64          walk_max_id;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->ids, g_array_unref);
  g_clear_pointer (&result->walk, dd_statement_free);
  g_clear_pointer (&result->walk_sql, dd_case_query_sql_free);
  g_clear_pointer (&result->walk_bits, g_free);
}

static void
append_id (DdStatement *stmt,
           gpointer     ids)
{
  gint64 id = dd_statement_get_int64 (stmt, 0);

  g_array_append_val ((GArray *) ids, id);
}

/* Prepares result->walk_sql, for a walk over @n_items. */
static gboolean
start_walk (DdCaseList  *self,
            Result      *result,
            gint64       max_id,
            gint64       n_items,
            GError     **error)
{
  result->walk = dd_case_query_sql_prepare (result->walk_sql, self->database, error);
  if (result->walk == NULL)
    return FALSE;
  /* read as far as it is looked at, with the pages' queries in between */
  dd_statement_set_streamed (result->walk, TRUE);
  result->walk_max_id = max_id;
  result->n_items = (guint) MIN (n_items, G_MAXUINT);
  result->ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                   MIN (result->n_items, 4 * DD_CASE_LIST_PAGE_SIZE));
  return TRUE;
}

static gboolean
read_ids (DdCaseList         *self,
          const DdCaseQuery  *query,
          Result             *result,
          GError            **error)
{
  g_autoptr(DdCaseQuery) unfiltered = NULL;
  g_autoptr(DdStatement) stmt = NULL;
  g_autoptr(DdCaseQuerySql) search_ids = NULL;
  gint64 max_id = 0;
  gint64 n_items = 0;

  if (!dd_database_query_int64 (self->database, "SELECT MAX(id) FROM debt_case", &max_id,
                                error))
    return FALSE;
  max_id = MAX (max_id, 0);

  /* A database that reads a walk a chunk at a time (PostgreSQL) and would send every match
   * whole: the matches are counted where they are; many are walked with the filter in the
   * query, in sort order, only as far as the list is looked at; few are sorted there too
   * (faster than reading their sort keys here a page at a time). */
  search_ids = dd_case_query_build_search_ids_for (query, self->database);
  if (search_ids != NULL)
    {
      Matches m = { 0 };
      gboolean ok;

      /* PostgreSQL, a search: its ids read once (alone, from the search words' index,
       * schema 30; with filters, the filters' cases looked up in the search's set), instead
       * of a count and then the same again for a filtered walk. Few: read whole, sorted
       * there; many: the list's plain walk, each id looked up in their bits here, as
       * SQLite's filtered lists are. */
      stmt = dd_case_query_sql_prepare (search_ids, self->database, error);
      if (stmt == NULL)
        return FALSE;
      ok = read_matches (g_steal_pointer (&stmt), self->sort_threshold, max_id, &m, error);
      if (ok && (m.ids != NULL || m.n_matches == 0))
        {
          g_clear_pointer (&m.ids, g_array_unref);
          g_free (m.bits);
          /* with filters, joined to the search's cases the planner would read each of them
           * from debt_case (it takes them for 1,000): the filters' cases looked up instead */
          result->walk_sql = dd_case_query_get_n_filters (query) == 0
                             ? dd_case_query_build_for (query, self->database, "c.id", TRUE)
                             : dd_case_query_build_walk_for (query, self->database, "c.id");
          stmt = dd_case_query_sql_prepare (result->walk_sql, self->database, error);
          g_clear_pointer (&result->walk_sql, dd_case_query_sql_free);
          if (stmt == NULL)
            return FALSE;
          result->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
          if (!dd_statement_each (stmt, append_id, result->ids, error))
            return FALSE;
          result->n_items = result->ids->len;
          return TRUE;
        }
      g_clear_pointer (&m.ids, g_array_unref);
      if (!ok)
        {
          g_free (m.bits);
          return FALSE;
        }
      result->walk_bits = m.bits;
      n_items = m.n_matches;
    }
  else if (dd_case_query_is_filtered (query) &&
           g_str_equal (dd_database_get_driver_name (self->database), "postgresql"))
    {
      /* PostgreSQL, filters without a search: counted, then walked or read whole */
      g_autoptr(DdCaseQuerySql) count = dd_case_query_build_count_for (query, self->database);

      g_autoptr(GError) step_error = NULL;

      /* Birthdays today are a few hundredth of the debtors at most as a rule: read first,
       * sorted, without a count, which would visit each of their debtor rows once more
       * (11,905 at 1,000,000 cases: 0.2–0.3 s each). More than a list reads whole (an
       * office whose unknown birthdays were imported as 1 January): counted and walked. */
      if (query->birthdays_today)
        {
          g_autoptr(DdCaseQuerySql) first = dd_case_query_build_for (query, self->database,
                                                                     "c.id", TRUE);

          dd_case_query_sql_set_limit (first, self->read_whole_threshold + 1);
          stmt = dd_case_query_sql_prepare (first, self->database, error);
          if (stmt == NULL)
            return FALSE;
          result->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
          if (!dd_statement_each (stmt, append_id, result->ids, error))
            return FALSE;
          g_clear_pointer (&stmt, dd_statement_free);
          if (result->ids->len <= self->read_whole_threshold)
            {
              result->n_items = result->ids->len;
              return TRUE;
            }
          g_clear_pointer (&result->ids, g_array_unref);
        }

      stmt = dd_case_query_sql_prepare (count, self->database, error);
      if (stmt == NULL)
        return FALSE;
      if (dd_statement_step (stmt, &step_error))
        n_items = dd_statement_get_int64 (stmt, 0);
      if (!dd_statement_done (stmt, g_steal_pointer (&step_error), error))
        return FALSE;
      g_clear_pointer (&stmt, dd_statement_free);
      if (n_items > self->read_whole_threshold)
        {
          result->walk_sql = dd_case_query_build_walk_for (query, self->database, "c.id");
          return start_walk (self, result, max_id, n_items, error);
        }

      /* few: read whole, complete at once (one query, not a cursor's five) */
      result->walk_sql = dd_case_query_build_for (query, self->database, "c.id", TRUE);
      stmt = dd_case_query_sql_prepare (result->walk_sql, self->database, error);
      g_clear_pointer (&result->walk_sql, dd_case_query_sql_free);
      if (stmt == NULL)
        return FALSE;
      result->ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), (guint) n_items);
      if (!dd_statement_each (stmt, append_id, result->ids, error))
        return FALSE;
      result->n_items = result->ids->len;
      return TRUE;
    }

  if (search_ids == NULL && dd_case_query_is_filtered (query))
    {
      g_autoptr(DdCaseQuerySql) sql = dd_case_query_build (query, "c.id", FALSE);
      Matches m = { 0 };
      gboolean ok;

      /* Ids only: SQLite can often answer from an index alone. */
      stmt = dd_case_query_sql_prepare (sql, self->database, error);
      if (stmt == NULL)
        return FALSE;
      ok = read_matches (g_steal_pointer (&stmt), self->sort_threshold, max_id, &m, error);

      if (ok && (m.ids != NULL || m.n_matches == 0))
        {
          /* few matches: sorted here, complete */
          result->ids = m.ids != NULL ? sort_ids (self, query, m.ids, error)
                                      : g_array_new (FALSE, FALSE, sizeof (gint64));
          ok = result->ids != NULL;
          if (ok)
            result->n_items = result->ids->len;
          g_clear_pointer (&m.ids, g_array_unref);
          g_free (m.bits);
          return ok;
        }
      g_clear_pointer (&m.ids, g_array_unref);
      if (!ok)
        {
          g_free (m.bits);
          return FALSE;
        }
      result->walk_bits = m.bits;
      n_items = m.n_matches;
    }
  else if (search_ids == NULL &&
           !dd_database_query_int64 (self->database, "SELECT COUNT(*) FROM debt_case",
                                     &n_items, error))
    return FALSE;

  /* Many matches, or none filtered: walk the sort column's index, lazily. */
  unfiltered = dd_case_query_new ();
  unfiltered->sort = query->sort;
  unfiltered->descending = query->descending;
  result->walk_sql = dd_case_query_build_for (unfiltered, self->database, "c.id", TRUE);
  return start_walk (self, result, max_id, n_items, error);
}

static gboolean
run_query (DdCaseList         *self,
           const DdCaseQuery  *query,
           GError            **error)
{
  Result result = { 0 };
  guint old_n;

  if (!read_ids (self, query, &result, error))
    {
      result_clear (&result);
      return FALSE;
    }

  if (query != self->query)
    {
      g_clear_pointer (&self->query, dd_case_query_free);
      self->query = dd_case_query_copy (query);
    }
  stop_walk (self);
  drop_all_pages (self);
  old_n = self->n_items;

  /* Two signals, not one, the list being empty in between: for a (0, removed, added)
   * change GTK 4.8's list views look up every added item to reuse the widgets of removed
   * ones, which would load every page of a large list. */
  if (old_n != 0)
    {
      g_array_set_size (self->ids, 0);
      self->n_items = 0;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
    }

  g_array_unref (self->ids);
  self->ids = g_steal_pointer (&result.ids);
  self->n_items = result.n_items;
  self->walk = g_steal_pointer (&result.walk);
  self->walk_sql = g_steal_pointer (&result.walk_sql);
  self->walk_bits = g_steal_pointer (&result.walk_bits);
  self->walk_max_id = result.walk_max_id;
  if (self->walk != NULL)
    {
      /* the first page right away (most lists are looked at from the top) */
      if (!walk_some (self, DD_CASE_LIST_PAGE_SIZE, G_MAXUINT, error))
        {
          finish_walk (self);
          return FALSE;
        }
      if (self->walk != NULL)
        self->walk_idle_id = g_idle_add_full (G_PRIORITY_LOW, on_walk_idle, self, NULL);
    }

  if (self->n_items != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->n_items);
  if (old_n != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  return TRUE;
}

gboolean
dd_case_list_set_query (DdCaseList         *self,
                        const DdCaseQuery  *query,
                        GError            **error)
{
  g_return_val_if_fail (DD_IS_CASE_LIST (self), FALSE);
  g_return_val_if_fail (query != NULL, FALSE);

  return run_query (self, query, error);
}

const DdCaseQuery *
dd_case_list_get_query (DdCaseList *self)
{
  g_return_val_if_fail (DD_IS_CASE_LIST (self), NULL);

  return self->query;
}

gboolean
dd_case_list_reload (DdCaseList  *self,
                     GError     **error)
{
  g_return_val_if_fail (DD_IS_CASE_LIST (self), FALSE);

  return run_query (self, self->query, error);
}

void
dd_case_list_invalidate (DdCaseList   *self,
                         const gint64 *case_ids,
                         guint         n_case_ids)
{
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_int64_hash, g_int64_equal);

  g_return_if_fail (DD_IS_CASE_LIST (self));

  for (guint i = 0; i < n_case_ids; i++)
    g_hash_table_add (wanted, (gpointer) &case_ids[i]);
  for (guint pos = 0; pos < self->ids->len && g_hash_table_size (wanted) > 0; pos++)
    {
      gint64 *id = &g_array_index (self->ids, gint64, pos);

      if (g_hash_table_remove (wanted, id))
        {
          Page *page = g_hash_table_lookup (self->pages,
                                            GUINT_TO_POINTER (pos / DD_CASE_LIST_PAGE_SIZE));

          if (page != NULL)
            drop_page (self, page);
          g_array_append_val (positions, pos);
        }
    }
  for (guint i = 0; i < positions->len; i++)
    g_list_model_items_changed (G_LIST_MODEL (self), g_array_index (positions, guint, i), 1, 1);
}

gint64
dd_case_list_get_case_id (DdCaseList *self,
                          guint       position)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (DD_IS_CASE_LIST (self), 0);

  if (position >= self->n_items)
    return 0;
  if (!ensure_ids (self, position + 1, &error))
    g_warning ("Could not read the case list: %s", error->message);
  return position < self->ids->len ? g_array_index (self->ids, gint64, position) : 0;
}

const gint64 *
dd_case_list_get_case_ids (DdCaseList *self,
                           guint      *out_n_ids)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (DD_IS_CASE_LIST (self), NULL);

  if (!ensure_ids (self, self->n_items, &error))
    {
      g_warning ("Could not read the case list: %s", error->message);
      finish_walk (self);
    }
  if (out_n_ids)
    *out_n_ids = self->ids->len;
  return (const gint64 *) self->ids->data;
}

guint
dd_case_list_find (DdCaseList *self,
                   gint64      case_id)
{
  g_return_val_if_fail (DD_IS_CASE_LIST (self), G_MAXUINT);

  dd_case_list_get_case_ids (self, NULL);
  for (guint pos = 0; pos < self->ids->len; pos++)
    if (g_array_index (self->ids, gint64, pos) == case_id)
      return pos;
  return G_MAXUINT;
}

guint
dd_case_list_get_n_cached_pages (DdCaseList *self)
{
  g_return_val_if_fail (DD_IS_CASE_LIST (self), 0);

  return g_hash_table_size (self->pages);
}

void
_dd_case_list_set_sort_threshold (DdCaseList *self,
                                  guint       threshold)
{
  g_return_if_fail (DD_IS_CASE_LIST (self));

  self->sort_threshold = threshold;
  self->read_whole_threshold = threshold;
}
