/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-case-query"

#include "config.h"

#include "dd-case-query.h"
#include "dd-json.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (dd-case-query-error-quark, dd_case_query_error)

G_DEFINE_BOXED_TYPE (DdCaseQuery, dd_case_query, dd_case_query_copy, dd_case_query_free)

static const char * const sort_names[] = {
  [DD_CASE_SORT_DEBTOR] = "debtor",
  [DD_CASE_SORT_CREDITOR] = "creditor",
  [DD_CASE_SORT_BALANCE] = "balance",
  [DD_CASE_SORT_OLDEST_DUE] = "oldest-due",
  [DD_CASE_SORT_STATUS] = "status",
  [DD_CASE_SORT_NEXT_CONTACT] = "next-contact",
  [DD_CASE_SORT_LAST_ACTIVITY] = "last-activity",
  [DD_CASE_SORT_DAYS_OVERDUE] = "days-overdue",
  [DD_CASE_SORT_ID] = "id",
};

/* Every expression is a column of debt_case with an index (003-cases.sql), except the
 * creditor's name: SQLite walks the few creditors by name and their cases by creditor_id. */
static const char * const sort_exprs[] = {
  [DD_CASE_SORT_DEBTOR] = "c.debtor_name",
  [DD_CASE_SORT_CREDITOR] = "cr.name",
  [DD_CASE_SORT_BALANCE] = "c.balance_minor",
  [DD_CASE_SORT_OLDEST_DUE] = "c.oldest_due_on",
  [DD_CASE_SORT_STATUS] = "c.status",
  [DD_CASE_SORT_NEXT_CONTACT] = "c.next_contact_at",
  [DD_CASE_SORT_LAST_ACTIVITY] = "c.last_activity_at",
  /* the days depend on today, the order does not: the same index, read backwards */
  [DD_CASE_SORT_DAYS_OVERDUE] = "c.oldest_due_on",
  [DD_CASE_SORT_ID] = "c.id",
};

DdCaseQuery *
dd_case_query_new (void)
{
  DdCaseQuery *query = g_new0 (DdCaseQuery, 1);

  query->sort = DD_CASE_SORT_DEBTOR;
  return query;
}

DdCaseQuery *
dd_case_query_copy (const DdCaseQuery *query)
{
  DdCaseQuery *copy;

  g_return_val_if_fail (query != NULL, NULL);

  copy = g_memdup2 (query, sizeof *query);
  copy->search = g_strdup (query->search);
  copy->today = g_strdup (query->today);
  copy->now = g_strdup (query->now);
  return copy;
}

void
dd_case_query_free (DdCaseQuery *query)
{
  if (query == NULL)
    return;
  g_free (query->search);
  g_free (query->today);
  g_free (query->now);
  g_free (query);
}

static const char *
search_or_null (const DdCaseQuery *query)
{
  return (query->search != NULL && *query->search != '\0') ? query->search : NULL;
}

gboolean
dd_case_query_equal (const DdCaseQuery *a,
                     const DdCaseQuery *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_strcmp0 (search_or_null (a), search_or_null (b)) == 0 &&
         a->statuses == b->statuses &&
         a->creditor_id == b->creditor_id &&
         a->campaign_id == b->campaign_id &&
         a->agent_id == b->agent_id &&
         a->has_balance_min == b->has_balance_min &&
         (!a->has_balance_min || a->balance_min == b->balance_min) &&
         a->has_balance_max == b->has_balance_max &&
         (!a->has_balance_max || a->balance_max == b->balance_max) &&
         !a->overdue_declarations == !b->overdue_declarations &&
         !a->birthdays_today == !b->birthdays_today &&
         a->no_contact_days == b->no_contact_days &&
         a->sort == b->sort &&
         !a->descending == !b->descending;
}

void
dd_case_query_set_search (DdCaseQuery *query,
                          const char  *search)
{
  g_return_if_fail (query != NULL);

  if (query->search != search)
    {
      g_free (query->search);
      query->search = g_strdup (search);
    }
}

void
dd_case_query_add_status (DdCaseQuery  *query,
                          DdCaseStatus  status)
{
  g_return_if_fail (query != NULL);
  g_return_if_fail (status <= DD_CASE_STATUS_CLOSED);

  query->statuses |= 1u << status;
}

gboolean
dd_case_query_is_filtered (const DdCaseQuery *query)
{
  g_return_val_if_fail (query != NULL, FALSE);

  return search_or_null (query) != NULL || query->statuses != 0 || query->creditor_id != 0 ||
         query->campaign_id != 0 || query->agent_id != 0 || query->has_balance_min ||
         query->has_balance_max || query->overdue_declarations || query->birthdays_today ||
         query->no_contact_days != 0;
}

guint
dd_case_query_get_n_filters (const DdCaseQuery *query)
{
  g_return_val_if_fail (query != NULL, 0);

  /* a balance range is one filter, whether one or both ends are set */
  return (query->statuses != 0) + (query->creditor_id != 0) + (query->campaign_id != 0) +
         (query->agent_id != 0) + (query->has_balance_min || query->has_balance_max) +
         (query->overdue_declarations != FALSE) + (query->birthdays_today != FALSE) +
         (query->no_contact_days != 0);
}

/* JSON */

char *
dd_case_query_to_json (const DdCaseQuery *query)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (query != NULL, NULL);

  json_builder_begin_object (builder);
  if (search_or_null (query) != NULL)
    dd_json_add_string (builder, "search", query->search);
  if (query->statuses != 0)
    {
      dd_json_begin_array_member (builder, "statuses");
      for (guint s = DD_CASE_STATUS_NEW; s <= DD_CASE_STATUS_CLOSED; s++)
        if (query->statuses & (1u << s))
          json_builder_add_string_value (builder, dd_case_status_to_string (s));
      json_builder_end_array (builder);
    }
#define ADD_INT(key, value)                              \
  G_STMT_START {                                         \
    json_builder_set_member_name (builder, key);         \
    json_builder_add_int_value (builder, value);         \
  } G_STMT_END
  if (query->creditor_id != 0)
    ADD_INT ("creditor_id", query->creditor_id);
  if (query->campaign_id != 0)
    ADD_INT ("campaign_id", query->campaign_id);
  if (query->agent_id != 0)
    ADD_INT ("agent_id", query->agent_id);
  if (query->has_balance_min)
    ADD_INT ("balance_min", query->balance_min);
  if (query->has_balance_max)
    ADD_INT ("balance_max", query->balance_max);
  if (query->no_contact_days != 0)
    ADD_INT ("no_contact_days", query->no_contact_days);
#undef ADD_INT
  if (query->overdue_declarations)
    dd_json_add_boolean (builder, "overdue_declarations", TRUE);
  if (query->birthdays_today)
    dd_json_add_boolean (builder, "birthdays_today", TRUE);
  dd_json_add_string (builder, "sort", sort_names[MIN (query->sort, DD_CASE_SORT_LAST)]);
  dd_json_add_boolean (builder, "descending", query->descending);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static gboolean
member_value (JsonObject  *object,
              const char  *name,
              GType        type,
              JsonNode   **out_node,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *out_node = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != type)
    {
      g_set_error (error, DD_CASE_QUERY_ERROR, DD_CASE_QUERY_ERROR_INVALID,
                   _("The saved filter is damaged: “%s” has the wrong type."), name);
      return FALSE;
    }
  *out_node = node;
  return TRUE;
}

static gboolean
read_int (JsonObject  *object,
          const char  *name,
          gboolean    *out_present,
          gint64      *out_value,
          GError     **error)
{
  JsonNode *node;

  if (!member_value (object, name, G_TYPE_INT64, &node, error))
    return FALSE;
  if (out_present)
    *out_present = node != NULL;
  *out_value = node ? json_node_get_int (node) : 0;
  return TRUE;
}

static gboolean
read_bool (JsonObject  *object,
           const char  *name,
           gboolean    *out_value,
           GError     **error)
{
  JsonNode *node;

  if (!member_value (object, name, G_TYPE_BOOLEAN, &node, error))
    return FALSE;
  *out_value = node ? json_node_get_boolean (node) : FALSE;
  return TRUE;
}

DdCaseQuery *
dd_case_query_from_json (const char  *json,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(DdCaseQuery) query = dd_case_query_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonNode *node;
  gint64 days = 0;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, &local_error) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, DD_CASE_QUERY_ERROR, DD_CASE_QUERY_ERROR_INVALID,
                           _("The saved filter is damaged and cannot be read."));
      return NULL;
    }
  object = json_node_get_object (json_parser_get_root (parser));

  if (!member_value (object, "search", G_TYPE_STRING, &node, error))
    return NULL;
  if (node != NULL)
    dd_case_query_set_search (query, json_node_get_string (node));

  node = json_object_get_member (object, "statuses");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          DdCaseStatus status;

          if (!JSON_NODE_HOLDS_VALUE (element) ||
              json_node_get_value_type (element) != G_TYPE_STRING ||
              !dd_case_status_from_string (json_node_get_string (element), &status))
            array = NULL;
          else
            dd_case_query_add_status (query, status);
        }
      if (array == NULL)
        {
          g_set_error (error, DD_CASE_QUERY_ERROR, DD_CASE_QUERY_ERROR_INVALID,
                       _("The saved filter is damaged: “%s” has the wrong type."), "statuses");
          return NULL;
        }
    }

  if (!read_int (object, "creditor_id", NULL, &query->creditor_id, error) ||
      !read_int (object, "campaign_id", NULL, &query->campaign_id, error) ||
      !read_int (object, "agent_id", NULL, &query->agent_id, error) ||
      !read_int (object, "balance_min", &query->has_balance_min, &query->balance_min, error) ||
      !read_int (object, "balance_max", &query->has_balance_max, &query->balance_max, error) ||
      !read_int (object, "no_contact_days", NULL, &days, error) ||
      !read_bool (object, "overdue_declarations", &query->overdue_declarations, error) ||
      !read_bool (object, "birthdays_today", &query->birthdays_today, error) ||
      !read_bool (object, "descending", &query->descending, error))
    return NULL;
  query->no_contact_days = (guint) CLAMP (days, 0, 36500);

  if (!member_value (object, "sort", G_TYPE_STRING, &node, error))
    return NULL;
  if (node != NULL)
    {
      const char *name = json_node_get_string (node);
      guint s;

      for (s = 0; s <= DD_CASE_SORT_LAST; s++)
        if (g_strcmp0 (name, sort_names[s]) == 0)
          break;
      /* A sort column of a newer version: keep the default. */
      if (s <= DD_CASE_SORT_LAST)
        query->sort = s;
    }

  return g_steal_pointer (&query);
}

/* FTS */

static gboolean
is_numeric_word (const char *word)
{
  gboolean digit = FALSE;

  for (const char *p = word; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        digit = TRUE;
      else if (strchr ("+-().", *p) == NULL)
        return FALSE;
    }
  return digit;
}

static gboolean
has_alnum (const char *word)
{
  for (const char *p = word; *p; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static void
append_phrase (GString    *expr,
               const char *word)
{
  if (!has_alnum (word))
    return;
  if (expr->len > 0)
    g_string_append_c (expr, ' ');
  g_string_append_c (expr, '"');
  for (const char *p = word; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (expr, '"');
      g_string_append_c (expr, *p);
    }
  g_string_append (expr, "\"*");
}

static void
flush_digits (GString *expr,
              GString *digits)
{
  const char *start = digits->str;

  if (digits->len == 0)
    return;
  /* International prefix written as 00. */
  if (g_str_has_prefix (start, "00") && digits->len > 4)
    start += 2;
  append_phrase (expr, start);
  g_string_truncate (digits, 0);
}

char *
dd_case_query_fts_expression (const char *text)
{
  g_autoptr(GString) expr = g_string_new (NULL);
  g_autoptr(GString) digits = g_string_new (NULL);
  g_autofree char *valid = NULL;
  g_auto(GStrv) words = NULL;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  /* Control characters (and NUL-free text) only: tabs and newlines separate words. */
  for (char *p = valid; *p; p++)
    if ((guchar) *p < 0x20)
      *p = ' ';
  words = g_strsplit_set (valid, " ", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];

      if (*word == '\0')
        continue;
      if (is_numeric_word (word))
        {
          /* "+48 601 234 567", "601-234-567", "(22) 123 45 67": one number. */
          for (const char *p = word; *p; p++)
            if (g_ascii_isdigit (*p))
              g_string_append_c (digits, *p);
          continue;
        }
      flush_digits (expr, digits);
      append_phrase (expr, word);
    }
  flush_digits (expr, digits);

  if (expr->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&expr), FALSE);
}

/* SQL */

typedef struct
{
  gboolean  is_text;
  gint64    number;
  char     *text;
} Param;

struct _DdCaseQuerySql
{
  char   *text;
  GArray *params;
};

static void
param_clear (gpointer data)
{
  Param *param = data;

  g_free (param->text);
}

static void
add_int (DdCaseQuerySql *sql,
         gint64          value)
{
  Param param = { FALSE, value, NULL };

  g_array_append_val (sql->params, param);
}

static void
add_text (DdCaseQuerySql *sql,
          char           *owned)
{
  Param param = { TRUE, 0, owned };

  g_array_append_val (sql->params, param);
}

static char *
today_text (const DdCaseQuery *query)
{
  g_autoptr(GDateTime) now = NULL;

  if (query->today != NULL)
    return g_strdup (query->today);
  now = g_date_time_new_now_local ();
  return g_date_time_format (now, "%Y-%m-%d");
}

static char *
cutoff_text (const DdCaseQuery *query,
             guint              days)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) cutoff = NULL;

  if (query->now != NULL)
    now = g_date_time_new_from_iso8601 (query->now, NULL);
  if (now == NULL)
    now = g_date_time_new_now_utc ();
  cutoff = g_date_time_add_days (now, -(gint) days);
  if (cutoff == NULL)
    return g_strdup ("0000-01-01T00:00:00Z");
  {
    g_autoptr(GDateTime) utc = g_date_time_to_utc (cutoff);

    return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  }
}

static gboolean
is_leap_year (int year)
{
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

const char *
dd_case_sort_expression (DdCaseSortColumn  sort,
                         gboolean         *out_is_integer)
{
  sort = MIN (sort, DD_CASE_SORT_LAST);
  if (out_is_integer)
    *out_is_integer = sort == DD_CASE_SORT_BALANCE || sort == DD_CASE_SORT_ID;
  return sort_exprs[sort];
}

gboolean
dd_case_sort_is_reversed (DdCaseSortColumn sort)
{
  return sort == DD_CASE_SORT_DAYS_OVERDUE;
}

/* TRUE if @columns uses "@alias." as a table alias (not as the end of a longer name). */
static gboolean
mentions_alias (const char *columns,
                const char *alias)
{
  gsize len = strlen (alias);

  for (const char *p = strstr (columns, alias); p != NULL; p = strstr (p + 1, alias))
    if (p[len] == '.' && (p == columns || !(g_ascii_isalnum (p[-1]) || p[-1] == '_')))
      return TRUE;
  return FALSE;
}

/* How a search is written */
typedef enum
{
  SEARCH_FTS,        /* debtor_search MATCH (SQLite's FTS5; PostgreSQL's driver maps it) */
  SEARCH_TOKENS,     /* PostgreSQL: the cases of dd_search_cases() (schema 30), joined */
  SEARCH_TOKENS_SET, /* PostgreSQL: the same as a set each row is looked up in (a walk) */
} SearchForm;

static DdCaseQuerySql *build (const DdCaseQuery *query,
                               const char        *columns,
                               gboolean           ordered,
                               gboolean           creditor_on_case,
                               SearchForm         search_form);

static gboolean
is_postgresql (DdDatabase *database)
{
  return g_str_equal (dd_database_get_driver_name (database), "postgresql");
}

DdCaseQuerySql *
dd_case_query_build (const DdCaseQuery *query,
                     const char        *columns,
                     gboolean           ordered)
{
  return build (query, columns, ordered, FALSE, SEARCH_FTS);
}

DdCaseQuerySql *
dd_case_query_build_for (const DdCaseQuery *query,
                         DdDatabase        *database,
                         const char        *columns,
                         gboolean           ordered)
{
  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);

  /* PostgreSQL keeps the creditor's name on the case (schema 29) and each case's search
   * words (schema 30) */
  if (is_postgresql (database))
    return build (query, columns, ordered, TRUE, SEARCH_TOKENS);
  return build (query, columns, ordered, FALSE, SEARCH_FTS);
}

DdCaseQuerySql *
dd_case_query_build_walk_for (const DdCaseQuery *query,
                              DdDatabase        *database,
                              const char        *columns)
{
  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);

  /* PostgreSQL: the search's cases are gathered once into a hashed set, and the sort index
   * is walked with each case looked up in it (an index-only walk: the list's indexes end
   * with the id, schema 28). Joined instead, the planner sorts every match before the
   * first row (0.4–0.9 s for 83,000–253,000 matches at 1,000,000 cases). */
  if (is_postgresql (database))
    return build (query, columns, TRUE, TRUE, SEARCH_TOKENS_SET);
  return build (query, columns, TRUE, FALSE, SEARCH_FTS);
}

DdCaseQuerySql *
dd_case_query_build_search_ids_for (const DdCaseQuery *query,
                                    DdDatabase        *database)
{
  g_autofree char *match = NULL;
  DdCaseQuerySql *sql;

  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);

  match = dd_case_query_fts_expression (query->search);
  if (!is_postgresql (database) || match == NULL)
    return NULL;
  /* with filters: the filters' cases, each looked up in the search's hashed set */
  if (dd_case_query_get_n_filters (query) != 0)
    return build (query, "c.id", FALSE, TRUE, SEARCH_TOKENS_SET);
  sql = g_new0 (DdCaseQuerySql, 1);
  sql->params = g_array_new (FALSE, TRUE, sizeof (Param));
  g_array_set_clear_func (sql->params, param_clear);
  sql->text = g_strdup ("SELECT s.id FROM dd_search_cases(?) AS s(id)");
  add_text (sql, g_steal_pointer (&match));
  return sql;
}

DdCaseQuerySql *
dd_case_query_build_count_for (const DdCaseQuery *query,
                               DdDatabase        *database)
{
  g_autofree char *match = NULL;

  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);

  if (!is_postgresql (database))
    return build (query, "COUNT(*)", FALSE, FALSE, SEARCH_FTS);
  match = dd_case_query_fts_expression (query->search);
  if (match != NULL && dd_case_query_get_n_filters (query) == 0)
    {
      /* a search alone: its cases counted from the search words' index alone, without
       * reading debt_case (the words are kept for existing cases only) */
      DdCaseQuerySql *sql = g_new0 (DdCaseQuerySql, 1);

      sql->params = g_array_new (FALSE, TRUE, sizeof (Param));
      g_array_set_clear_func (sql->params, param_clear);
      sql->text = g_strdup ("SELECT dd_search_count(?)");
      add_text (sql, g_steal_pointer (&match));
      return sql;
    }
  /* with filters: the rows the filters select, each looked up in the search's set (joined
   * instead, each of the search's cases is read from debt_case: 1.1 s for "kowal" and three
   * filters at 1,000,000 cases against 0.4 s) */
  return build (query, "COUNT(*)", FALSE, TRUE, SEARCH_TOKENS_SET);
}

static DdCaseQuerySql *
build (const DdCaseQuery *query,
       const char        *columns,
       gboolean           ordered,
       gboolean           creditor_on_case,
       SearchForm         search_form)
{
  const char *sort_expr;
  g_autoptr(GString) text = g_string_new ("SELECT ");
  g_autoptr(GString) where = g_string_new (NULL);
  DdCaseQuerySql *sql;
  DdCaseSortColumn sort;
  g_autofree char *match = NULL;
  gboolean join_creditor, join_debtor, join_agent;

  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (columns != NULL, NULL);

  sql = g_new0 (DdCaseQuerySql, 1);
  sql->params = g_array_new (FALSE, TRUE, sizeof (Param));
  g_array_set_clear_func (sql->params, param_clear);

  sort = MIN (query->sort, DD_CASE_SORT_LAST);
  sort_expr = sort == DD_CASE_SORT_CREDITOR && creditor_on_case ? "c.creditor_name"
                                                                 : sort_exprs[sort];
  join_creditor = mentions_alias (columns, "cr") || (ordered && g_str_has_prefix (sort_expr, "cr."));
  join_debtor = mentions_alias (columns, "d");
  join_agent = mentions_alias (columns, "a");

  g_string_append (text, columns);
  g_string_append (text, " FROM debt_case c");
  if (join_creditor)
    g_string_append (text, " JOIN creditor cr ON cr.id = c.creditor_id");
  if (join_debtor)
    g_string_append (text, " JOIN debtor d ON d.id = c.debtor_id");
  if (join_agent)
    g_string_append (text, " LEFT JOIN agent a ON a.id = c.agent_id");

#define AND() g_string_append (where, where->len ? " AND " : " WHERE ")
  match = dd_case_query_fts_expression (query->search);
  if (match != NULL)
    {
      AND ();
      if (search_form == SEARCH_TOKENS)
        g_string_append (where, "c.id IN (SELECT dd_search_cases(?))");
      else if (search_form == SEARCH_TOKENS_SET)
        /* not a join: a subplan, hashed (the function's estimate is small) */
        g_string_append (where, "(c.id IN (SELECT dd_search_cases(?))) IS TRUE");
      else
        g_string_append (where, "c.debtor_id IN (SELECT rowid FROM debtor_search"
                                " WHERE debtor_search MATCH ?)");
      add_text (sql, g_steal_pointer (&match));
    }
  if (query->statuses != 0)
    {
      gboolean first = TRUE;

      AND ();
      g_string_append (where, "c.status IN (");
      for (guint s = DD_CASE_STATUS_NEW; s <= DD_CASE_STATUS_CLOSED; s++)
        if (query->statuses & (1u << s))
          {
            g_string_append (where, first ? "?" : ", ?");
            add_text (sql, g_strdup (dd_case_status_to_string (s)));
            first = FALSE;
          }
      g_string_append_c (where, ')');
    }
  if (query->creditor_id != 0)
    {
      AND ();
      g_string_append (where, "c.creditor_id = ?");
      add_int (sql, query->creditor_id);
    }
  if (query->campaign_id != 0)
    {
      AND ();
      g_string_append (where, "c.id IN (SELECT case_id FROM message WHERE campaign_id = ?"
                              " UNION SELECT case_id FROM call_attempt WHERE campaign_id = ?)");
      add_int (sql, query->campaign_id);
      add_int (sql, query->campaign_id);
    }
  if (query->agent_id == DD_CASE_QUERY_UNASSIGNED)
    {
      AND ();
      g_string_append (where, "c.agent_id IS NULL");
    }
  else if (query->agent_id != 0)
    {
      AND ();
      g_string_append (where, "c.agent_id = ?");
      add_int (sql, query->agent_id);
    }
  if (query->has_balance_min)
    {
      AND ();
      g_string_append (where, "c.balance_minor >= ?");
      add_int (sql, query->balance_min);
    }
  if (query->has_balance_max)
    {
      AND ();
      g_string_append (where, "c.balance_minor <= ?");
      add_int (sql, query->balance_max);
    }
  if (query->overdue_declarations)
    {
      AND ();
      g_string_append (where, "c.id IN (SELECT case_id FROM declaration"
                              " WHERE state = 'pending' AND promised_on < ?)");
      add_text (sql, today_text (query));
    }
  if (query->birthdays_today)
    {
      g_autofree char *today = today_text (query);
      const char *md = strlen (today) >= 10 ? today + 5 : "";
      gboolean also_29 = strcmp (md, "02-28") == 0 && !is_leap_year (atoi (today));

      AND ();
      g_string_append (where, "c.debtor_id IN (SELECT id FROM debtor"
                              " WHERE substr(birthday, 6) IN (?, ?))");
      add_text (sql, g_strdup (md));
      add_text (sql, g_strdup (also_29 ? "02-29" : md));
    }
  if (query->no_contact_days != 0)
    {
      AND ();
      /* Never contacted counts as no contact. COALESCE rather than "IS NULL OR": SQLite
       * then scans one covering index instead of merging two index searches (0.05 s
       * against 0.45 s at 1,000,000 cases). */
      g_string_append (where, "COALESCE(c.last_contact_at, '') < ?");
      add_text (sql, cutoff_text (query, query->no_contact_days));
    }
#undef AND

  g_string_append (text, where->str);
  if (ordered)
    {
      gboolean reversed = dd_case_sort_is_reversed (sort);
      gboolean descending = query->descending != reversed;
      const char *dir = descending ? " DESC" : "";
      /* NULL first ascending, as SQLite does by itself (PostgreSQL is told so); a reversed
       * sort keeps NULL at its own start (SQLite 3.30+ still walks the index) */
      const char *nulls = descending == reversed ? " NULLS FIRST" : " NULLS LAST";

      g_string_append_printf (text, " ORDER BY %s%s%s", sort_expr, dir, nulls);
      if (sort != DD_CASE_SORT_ID)
        g_string_append_printf (text, ", c.id%s", dir);
    }

  sql->text = g_string_free (g_steal_pointer (&text), FALSE);
  return sql;
}

void
dd_case_query_sql_set_limit (DdCaseQuerySql *sql,
                             guint           limit)
{
  g_autofree char *text = sql->text;

  sql->text = g_strdup_printf ("%s LIMIT %u", text, limit);
}

const char *
dd_case_query_sql_get_text (DdCaseQuerySql *sql)
{
  return sql->text;
}

guint
dd_case_query_sql_get_n_params (DdCaseQuerySql *sql)
{
  return sql->params->len;
}

void
dd_case_query_sql_bind (DdCaseQuerySql *sql,
                        DdStatement    *stmt)
{
  for (guint i = 0; i < sql->params->len; i++)
    {
      const Param *param = &g_array_index (sql->params, Param, i);

      if (param->is_text)
        dd_statement_bind_text (stmt, i + 1, param->text);
      else
        dd_statement_bind_int64 (stmt, i + 1, param->number);
    }
}

DdStatement *
dd_case_query_sql_prepare (DdCaseQuerySql  *sql,
                           DdDatabase      *database,
                           GError         **error)
{
  DdStatement *stmt = dd_database_prepare (database, sql->text, error);

  if (stmt != NULL)
    dd_case_query_sql_bind (sql, stmt);
  return stmt;
}

void
dd_case_query_sql_free (DdCaseQuerySql *sql)
{
  if (sql == NULL)
    return;
  g_free (sql->text);
  g_array_unref (sql->params);
  g_free (sql);
}
