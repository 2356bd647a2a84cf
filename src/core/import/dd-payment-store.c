/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-payments"

#include "config.h"

#include "dd-payment-store.h"

#include "dd-money.h"
#include "dd-text-scan.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct _DdPaymentStore
{
  DdStore     parent_instance;
  guint       grace_days;
  char       *clock_now;
  char       *clock_today;
};

G_DEFINE_FINAL_TYPE (DdPaymentStore, dd_payment_store, DD_TYPE_STORE)

static const char * const match_names[] = {
  [DD_PAYMENT_MATCH_NONE] = "none",
  [DD_PAYMENT_MATCH_INVOICE] = "invoice",
  [DD_PAYMENT_MATCH_TAX_ID] = "tax-id",
  [DD_PAYMENT_MATCH_ACCOUNT] = "account",
  [DD_PAYMENT_MATCH_NAME_AMOUNT] = "name-amount",
  [DD_PAYMENT_MATCH_MANUAL] = "manual",
};

DD_DEFINE_ENUM_NAMES (DdPaymentMatch, dd_payment_match, match_names)

const char *
dd_payment_match_to_label (DdPaymentMatch match)
{
  switch (match)
    {
    case DD_PAYMENT_MATCH_NONE: return _("Not matched");
    case DD_PAYMENT_MATCH_INVOICE: return _("Invoice number in the title");
    case DD_PAYMENT_MATCH_TAX_ID: return _("Tax ID");
    case DD_PAYMENT_MATCH_ACCOUNT: return _("Debtor’s account number");
    case DD_PAYMENT_MATCH_NAME_AMOUNT: return _("Name and amount");
    case DD_PAYMENT_MATCH_MANUAL: return _("Assigned by hand");
    case DD_N_PAYMENT_MATCHES:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Summary */

static void
total_free (gpointer data)
{
  DdPaymentTotal *total = data;

  g_free (total->currency);
  g_free (total);
}

static void
add_total (GPtrArray  *totals,
           const char *currency,
           gint64      minor)
{
  DdPaymentTotal *total;

  for (guint i = 0; i < totals->len; i++)
    {
      total = g_ptr_array_index (totals, i);
      if (g_str_equal (total->currency, currency))
        {
          total->minor += minor;
          return;
        }
    }
  total = g_new0 (DdPaymentTotal, 1);
  total->currency = g_strdup (currency);
  total->minor = minor;
  g_ptr_array_add (totals, total);
}

void
dd_payment_import_summary_init (DdPaymentImportSummary *summary)
{
  memset (summary, 0, sizeof *summary);
  summary->read_totals = g_ptr_array_new_with_free_func (total_free);
  summary->matched_totals = g_ptr_array_new_with_free_func (total_free);
  summary->unmatched_totals = g_ptr_array_new_with_free_func (total_free);
}

void
dd_payment_import_summary_clear (DdPaymentImportSummary *summary)
{
  g_clear_pointer (&summary->read_totals, g_ptr_array_unref);
  g_clear_pointer (&summary->matched_totals, g_ptr_array_unref);
  g_clear_pointer (&summary->unmatched_totals, g_ptr_array_unref);
}

/* The matching index: what the office's cases are known by, in memory for one import. */

typedef struct
{
  gint64  id;
  gint64  debtor_id;
  char   *currency;
  gint64  balance;
  gint64  booked;           /* booked_unmatched_minor (020-payments-booked.sql) */
  char   *booked_on;
  gboolean open;
  char   *status;
} CaseInfo;

typedef struct
{
  GHashTable *cases;        /* id → CaseInfo */
  GHashTable *debtor_cases; /* debtor id → GArray of case ids, by id */
  GHashTable *invoices;     /* normalized invoice no → case id (-1: several) */
  GHashTable *compact_invoices; /* its letters and digits only ("FV2026010001") → case id */
  GHashTable *tax_ids;      /* digits → debtor id (-1: several) */
  GHashTable *accounts;     /* account → debtor id */
  GHashTable *names;        /* normalized name → debtor id (-1: several) */
  GHashTable *amounts;      /* "case:amount" of open liabilities */
  GHashTable *pending;      /* case ids with pending declarations */
  DdDatabase *database;     /* for the names, read when a line first needs them */
  gboolean    names_loaded;
  GError     *names_error;
} Index;

static void
case_info_free (gpointer data)
{
  CaseInfo *info = data;

  g_free (info->currency);
  g_free (info->status);
  g_free (info->booked_on);
  g_free (info);
}

static void
index_clear (Index *index)
{
  g_clear_pointer (&index->cases, g_hash_table_unref);
  g_clear_pointer (&index->debtor_cases, g_hash_table_unref);
  g_clear_pointer (&index->invoices, g_hash_table_unref);
  g_clear_pointer (&index->compact_invoices, g_hash_table_unref);
  g_clear_pointer (&index->tax_ids, g_hash_table_unref);
  g_clear_pointer (&index->accounts, g_hash_table_unref);
  g_clear_pointer (&index->names, g_hash_table_unref);
  g_clear_pointer (&index->amounts, g_hash_table_unref);
  g_clear_pointer (&index->pending, g_hash_table_unref);
  g_clear_error (&index->names_error);
}

static void
put_unique (GHashTable *table,
            char       *key,      /* taken */
            gint64      value)
{
  gpointer old;

  if (key == NULL || *key == '\0')
    {
      g_free (key);
      return;
    }
  if (g_hash_table_lookup_extended (table, key, NULL, &old))
    {
      if (GPOINTER_TO_SIZE (old) != (gsize) value)
        g_hash_table_replace (table, key, GSIZE_TO_POINTER ((gsize) -1));
      else
        g_free (key);
      return;
    }
  g_hash_table_insert (table, key, GSIZE_TO_POINTER ((gsize) value));
}

static gint64
get_unique (GHashTable *table,
            const char *key)
{
  gpointer value;

  if (key == NULL || !g_hash_table_lookup_extended (table, key, NULL, &value))
    return 0;
  return (gssize) GPOINTER_TO_SIZE (value);
}

/* Invoice numbers: upper case, without the punctuation that ends a word in a title. */
static char *
normalize_token (const char *token)
{
  g_autofree char *up = g_utf8_strup (token, -1);
  char *start = up;
  gsize len;

  while (*start != '\0' && strchr ("#№:.,;(\"'«»„”", *start) != NULL)
    start++;
  if (g_str_has_prefix (start, "№"))
    start += strlen ("№");
  len = strlen (start);
  while (len > 0 && strchr (".,;:)\"'»”", start[len - 1]) != NULL)
    len--;
  return g_strndup (start, len);
}

/* An invoice number's letters and digits only, upper case ("FV 2026/01/0001", "fv-2026-01-0001"
 * → "FV2026010001"), for titles that write it another way; NULL unless it has both letters and
 * digits (a number alone, "12/11/2026", would be taken for a date written in a title). */
static char *
compact_invoice (const char *text)
{
  g_autofree char *up = NULL;
  GString *s;
  gboolean letter = FALSE, digit = FALSE;

  if (text == NULL)
    return NULL;
  up = g_utf8_strup (text, -1);
  s = g_string_new (NULL);
  for (const char *p = up; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isdigit (c))
        digit = TRUE;
      else if (g_unichar_isalpha (c))
        letter = TRUE;
      else
        continue;
      g_string_append_unichar (s, c);
    }
  if (!letter || !digit || s->len < 4)
    {
      g_string_free (s, TRUE);
      return NULL;
    }
  return g_string_free (s, FALSE);
}

static gboolean
is_letters (const char *text)
{
  glong n = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), n++)
    if (!g_unichar_isalpha (g_utf8_get_char (p)))
      return FALSE;
  return n > 0 && n <= 4;
}

static char *
digits_of (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

static int
compare_words (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Names: case and punctuation ignored, words in any order ("ŻÓŁKIEWSKI ŁUKASZ"). */
static char *
normalize_name (const char *name)
{
  g_auto(GStrv) words = NULL;

  if (name == NULL)
    return NULL;
  words = dd_text_fold_words (name);
  if (words[0] == NULL)
    return NULL;
  qsort (words, g_strv_length (words), sizeof (char *), compare_words);
  return g_strjoinv (" ", words);
}

static gboolean
index_build (DdPaymentStore  *self,
             Index           *index,
             GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  DdStatement *stmt;

  index->cases = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, case_info_free);
  index->debtor_cases = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                               (GDestroyNotify) g_array_unref);
  index->invoices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  index->compact_invoices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  index->tax_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  index->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  index->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  index->amounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  index->pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  index->database = dd_store_db (self);

  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT id, debtor_id, currency, balance_minor, status <> 'closed',"
                            " status, booked_unmatched_minor, booked_unmatched_on"
                            " FROM debt_case ORDER BY id", DD_END);
  if (stmt == NULL)
    return FALSE;
  while (dd_statement_step (stmt, &local_error))
    {
      CaseInfo *info = g_new0 (CaseInfo, 1);
      GArray *list;

      info->id = dd_statement_get_int64 (stmt, 0);
      info->debtor_id = dd_statement_get_int64 (stmt, 1);
      info->currency = g_strdup (dd_statement_get_text (stmt, 2));
      info->balance = dd_statement_get_int64 (stmt, 3);
      info->open = dd_statement_get_int64 (stmt, 4) != 0;
      info->status = g_strdup (dd_statement_get_text (stmt, 5));
      info->booked = dd_statement_get_int64 (stmt, 6);
      info->booked_on = info->booked > 0 ? g_strdup (dd_statement_get_text (stmt, 7)) : NULL;
      g_hash_table_insert (index->cases, &info->id, info);
      list = g_hash_table_lookup (index->debtor_cases, &info->debtor_id);
      if (list == NULL)
        {
          list = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_hash_table_insert (index->debtor_cases, g_memdup2 (&info->debtor_id, sizeof (gint64)),
                               list);
        }
      g_array_append_val (list, info->id);
    }
  dd_statement_reset (stmt);
  if (local_error != NULL)
    goto fail;

  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT invoice_no, case_id, amount_minor, paid_at IS NULL"
                            " FROM liability", DD_END);
  if (stmt == NULL)
    return FALSE;
  while (dd_statement_step (stmt, &local_error))
    {
      gint64 case_id = dd_statement_get_int64 (stmt, 1);

      put_unique (index->invoices, normalize_token (dd_statement_get_text (stmt, 0)), case_id);
      put_unique (index->compact_invoices, compact_invoice (dd_statement_get_text (stmt, 0)),
                  case_id);
      if (dd_statement_get_int64 (stmt, 3))
        g_hash_table_add (index->amounts,
                          g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, case_id,
                                           dd_statement_get_int64 (stmt, 2)));
    }
  dd_statement_reset (stmt);
  if (local_error != NULL)
    goto fail;

  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT id, tax_id FROM debtor WHERE tax_id IS NOT NULL", DD_END);
  if (stmt == NULL)
    return FALSE;
  while (dd_statement_step (stmt, &local_error))
    {
      gint64 id = dd_statement_get_int64 (stmt, 0);

      put_unique (index->tax_ids, digits_of (dd_statement_get_text (stmt, 1)), id);
    }
  dd_statement_reset (stmt);
  if (local_error != NULL)
    goto fail;

  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT DISTINCT case_id FROM declaration WHERE state = 'pending'",
                            DD_END);
  if (stmt == NULL)
    return FALSE;
  while (dd_statement_step (stmt, &local_error))
    {
      gint64 case_id = dd_statement_get_int64 (stmt, 0);

      g_hash_table_add (index->pending, g_memdup2 (&case_id, sizeof case_id));
    }
  dd_statement_reset (stmt);
  if (local_error != NULL)
    goto fail;

  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT account, debtor_id FROM debtor_account", DD_END);
  if (stmt == NULL)
    return FALSE;
  while (dd_statement_step (stmt, &local_error))
    put_unique (index->accounts, g_strdup (dd_statement_get_text (stmt, 0)),
                dd_statement_get_int64 (stmt, 1));
  dd_statement_reset (stmt);
  if (local_error != NULL)
    goto fail;

  /* An account the payments of several debtors came from (a payment service's, a bank's
   * transit account, a family's) tells nobody apart: the first debtor learnt must not take
   * the others' payments. */
  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT p.payer_account FROM payment p"
                            " JOIN debt_case c ON c.id = p.case_id"
                            " WHERE p.state = 'matched' AND p.payer_account IN"
                            " (SELECT account FROM debtor_account)"
                            " GROUP BY p.payer_account HAVING COUNT(DISTINCT c.debtor_id) > 1",
                            DD_END);
  if (stmt == NULL)
    return FALSE;
  while (dd_statement_step (stmt, &local_error))
    g_hash_table_replace (index->accounts, g_strdup (dd_statement_get_text (stmt, 0)),
                          GSIZE_TO_POINTER ((gsize) -1));
  dd_statement_reset (stmt);
  if (local_error != NULL)
    goto fail;
  return TRUE;

fail:
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* The names (normalising 100,000 of them is a tenth of an import): only when a line gets as far
 * as the fourth rule. */
static gboolean
index_load_names (Index *index)
{
  g_autoptr(GError) local_error = NULL;
  DdStatement *stmt;

  if (index->names_loaded)
    return index->names_error == NULL;
  index->names_loaded = TRUE;
  stmt = dd_database_query (index->database, &index->names_error,
                            "SELECT id, name FROM debtor", DD_END);
  if (stmt == NULL)
    return FALSE;
  while (dd_statement_step (stmt, &local_error))
    put_unique (index->names, normalize_name (dd_statement_get_text (stmt, 1)),
                dd_statement_get_int64 (stmt, 0));
  dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      index->names_error = g_steal_pointer (&local_error);
      return FALSE;
    }
  return TRUE;
}

/* The debtor's case a payment in @currency goes to: an open one that still owes money, else
 * any open one in that currency. */
static CaseInfo *
case_of_debtor (Index      *index,
                gint64      debtor_id,
                const char *currency)
{
  GArray *list;
  CaseInfo *fallback = NULL;

  if (debtor_id <= 0)
    return NULL;
  list = g_hash_table_lookup (index->debtor_cases, &debtor_id);
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      CaseInfo *info = g_hash_table_lookup (index->cases, &g_array_index (list, gint64, i));

      if (!info->open || g_strcmp0 (info->currency, currency) != 0)
        continue;
      if (info->balance > 0)
        return info;
      if (fallback == NULL)
        fallback = info;
    }
  return fallback;
}

static CaseInfo *
match_line (Index               *index,
            const DdPaymentLine *line,
            DdPaymentMatch      *out_match)
{
  g_auto(GStrv) tokens = NULL;
  CaseInfo *info;

  tokens = g_strsplit_set (line->title ? line->title : "", " \t\n,;", -1);

  /* 1. an invoice number in the title */
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      g_autofree char *token = normalize_token (tokens[i]);
      gint64 case_id = get_unique (index->invoices, token);

      if (case_id > 0)
        {
          info = g_hash_table_lookup (index->cases, &case_id);
          if (info != NULL && g_strcmp0 (info->currency, line->currency) == 0)
            {
              *out_match = DD_PAYMENT_MATCH_INVOICE;
              return info;
            }
        }
    }

  /* 1b. written another way: "FV 2026/01/0001", "fv-2026-01-0001", "N123" for "№123" */
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      g_autofree char *compact = compact_invoice (tokens[i]);
      g_autofree char *joined = NULL;
      g_autofree char *numbered = NULL;
      gint64 case_id = get_unique (index->compact_invoices, compact);

      if (case_id <= 0 && is_letters (tokens[i]) && tokens[i + 1] != NULL)
        {
          g_autofree char *pair = g_strconcat (tokens[i], tokens[i + 1], NULL);

          joined = compact_invoice (pair);
          case_id = get_unique (index->compact_invoices, joined);
        }
      if (case_id <= 0 && (tokens[i][0] == 'N' || tokens[i][0] == 'n') &&
          g_ascii_isdigit (tokens[i][1]))
        {
          numbered = normalize_token (tokens[i] + 1);
          case_id = get_unique (index->invoices, numbered);
        }
      /* a word glued to the number where a bank cut the title into subfields
       * ("fakturę~21FV/2026/01/0001" → "fakturęFV/2026/01/0001"): from a lower-case letter
       * to an upper-case one or a digit */
      for (const char *p = tokens[i], *next; case_id <= 0 && *p != '\0'; p = next)
        {
          gunichar c = g_utf8_get_char (p);
          gunichar d;

          next = g_utf8_next_char (p);
          d = g_utf8_get_char (next);
          if (g_unichar_islower (c) && (g_unichar_isupper (d) || g_unichar_isdigit (d)))
            {
              g_autofree char *rest = normalize_token (next);
              g_autofree char *rest_compact = compact_invoice (next);

              case_id = get_unique (index->invoices, rest);
              if (case_id <= 0)
                case_id = get_unique (index->compact_invoices, rest_compact);
            }
        }
      if (case_id > 0)
        {
          info = g_hash_table_lookup (index->cases, &case_id);
          if (info != NULL && g_strcmp0 (info->currency, line->currency) == 0)
            {
              *out_match = DD_PAYMENT_MATCH_INVOICE;
              return info;
            }
        }
    }

  /* 2. the tax ID: the payer's, or one written in the title */
  {
    g_autofree char *digits = digits_of (line->payer_tax_id);

    info = case_of_debtor (index, get_unique (index->tax_ids, digits), line->currency);
    for (guint i = 0; info == NULL && tokens[i] != NULL; i++)
      {
        g_autofree char *more = NULL;
        gsize len;

        more = digits_of (tokens[i]);
        len = strlen (more);
        if (len >= 10 && len <= 12 && len + 3 >= strlen (tokens[i]))
          info = case_of_debtor (index, get_unique (index->tax_ids, more), line->currency);
      }
    if (info != NULL)
      {
        *out_match = DD_PAYMENT_MATCH_TAX_ID;
        return info;
      }
  }

  /* 3. the debtor's account, learnt from earlier payments */
  info = case_of_debtor (index, get_unique (index->accounts, line->payer_account),
                         line->currency);
  if (info != NULL)
    {
      *out_match = DD_PAYMENT_MATCH_ACCOUNT;
      return info;
    }

  /* 4. the name, with the amount of the balance or of an open invoice; banks write the
   * address after the name ("ANNA NOWAK UL. KWIATOWA 1 00-001 WARSZAWA") and the patronymic
   * ("ПЕТРОВ ИВАН ИВАНОВИЧ"): then its first words, four down to two, are tried */
  if (line->payer_name != NULL && index_load_names (index))
  {
    g_auto(GStrv) words = dd_text_fold_words (line->payer_name);
    guint n_words = g_strv_length (words);

    for (guint k = n_words; k > 0; k = k == n_words ? MIN (n_words - 1, 4) : k - 1)
      {
        g_autofree char *name = NULL;
        gint64 debtor_id;
        GArray *list;

        if (k < 2 && k < n_words)
          break;
        {
          g_autofree char **first = g_new0 (char *, k + 1);

          memcpy (first, words, k * sizeof (char *));
          qsort (first, k, sizeof (char *), compare_words);
          name = g_strjoinv (" ", first);
        }
        debtor_id = get_unique (index->names, name);
        list = debtor_id > 0 ? g_hash_table_lookup (index->debtor_cases, &debtor_id) : NULL;
        for (guint i = 0; list != NULL && i < list->len; i++)
          {
            g_autofree char *key = NULL;

            info = g_hash_table_lookup (index->cases, &g_array_index (list, gint64, i));
            if (!info->open || g_strcmp0 (info->currency, line->currency) != 0)
              continue;
            key = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, info->id,
                                   line->amount_minor);
            if (info->balance == line->amount_minor ||
                g_hash_table_contains (index->amounts, key))
              {
                *out_match = DD_PAYMENT_MATCH_NAME_AMOUNT;
                return info;
              }
          }
        if (debtor_id != 0)
          break;   /* a name that is someone's (or several people's): no shorter one */
      }
  }

  *out_match = DD_PAYMENT_MATCH_NONE;
  return NULL;
}

/* Clock */

static char *
now_text (DdPaymentStore *self)
{
  return self->clock_now ? g_strdup (self->clock_now) : dd_timestamp_now ();
}

static char *
today_text (DdPaymentStore *self)
{
  g_autoptr(GDateTime) now = NULL;

  if (self->clock_today != NULL)
    return g_strdup (self->clock_today);
  now = g_date_time_new_now_local ();
  return g_date_time_format (now, "%Y-%m-%d");
}

static char *
add_days (const char *iso,
          guint       days)
{
  GDate date;
  int y, m, d;

  if (sscanf (iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    return g_strdup (iso);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  g_date_add_days (&date, days);
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&date), g_date_get_month (&date),
                          g_date_get_day (&date));
}

/* Writes */

static char *
object_to_json (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static gboolean
audit (DdPaymentStore  *self,
       gint64           agent_id,
       const char      *action,
       const char      *entity,
       gint64           entity_id,
       JsonObject      *details,
       const char      *now,
       GError         **error)
{
  g_autofree char *json = details ? object_to_json (details) : NULL;

  return dd_database_execute (dd_store_db (self), error,
                              "INSERT INTO audit_log (at, agent_id, action, entity, entity_id,"
                              " details) VALUES (?, NULLIF(?, 0), ?, ?, ?, ?)",
                              DD_TEXT (now), DD_INT (agent_id),
                              DD_TEXT (action), DD_TEXT (entity), DD_INT (entity_id),
                              DD_TEXT (json), DD_END);
}

/* A timeline row and its audit row. */
static gboolean
record_activity (DdPaymentStore  *self,
                 gint64           case_id,
                 const char      *kind,
                 JsonObject      *refs,
                 gint64           agent_id,
                 const char      *now,
                 GError         **error)
{
  g_autofree char *json = object_to_json (refs);
  g_autofree char *action = g_strconcat ("case.", kind, NULL);

  return dd_database_execute (dd_store_db (self), error,
                              "INSERT INTO activity (case_id, kind, channel, body, refs, agent_id,"
                              " created_at) VALUES (?, ?, NULL, NULL, ?, NULLIF(?, 0), ?)",
                              DD_INT (case_id), DD_TEXT (kind), DD_TEXT (json),
                              DD_INT (agent_id), DD_TEXT (now),
                              DD_END) &&
         dd_database_execute (dd_store_db (self), error,
                              "UPDATE debt_case SET last_activity_at = ?, updated_at = ?"
                              " WHERE id = ?",
                              DD_TEXT (now), DD_TEXT (now), DD_INT (case_id), DD_END) &&
         audit (self, agent_id, action, "debt_case", case_id, refs, now, error);
}

static gboolean
settle_declaration (DdPaymentStore  *self,
                    gint64           case_id,
                    gint64           declaration_id,
                    const char      *from,
                    const char      *to,
                    const char      *reason,
                    gint64           payment_id,
                    gint64           agent_id,
                    const char      *now,
                    GError         **error)
{
  g_autoptr(JsonObject) refs = json_object_new ();

  if (!dd_database_execute (dd_store_db (self), error,
                            "UPDATE declaration SET state = ? WHERE id = ?",
                            DD_TEXT (to), DD_INT (declaration_id), DD_END))
    return FALSE;
  json_object_set_int_member (refs, "declaration_id", declaration_id);
  json_object_set_string_member (refs, "from", from);
  json_object_set_string_member (refs, "to", to);
  json_object_set_string_member (refs, "reason", reason);
  json_object_set_int_member (refs, "payment_id", payment_id);
  return record_activity (self, case_id, "declaration-settled", refs, agent_id, now, error);
}

typedef struct
{
  gint64 id;
  gint64 amount;
  char  *promised_on;
  char  *created_on;
} Pending;

static void
pending_clear (gpointer data)
{
  Pending *pending = data;

  g_free (pending->promised_on);
  g_free (pending->created_on);
}

typedef struct
{
  gint64   balance;       /* after the payment */
  gint64   booked;        /* the case's booked_unmatched_minor after the payment */
  gboolean closed;
  guint    n_kept;
  guint    n_broken;
} Effects;

/* What an import already knows of a payment and its case (from its index), so that the
 * database is not asked again for each line. */
typedef struct
{
  gint64      amount;
  const char *currency;
  const char *paid_on;
  const char *payer_account;
  const char *status;             /* the case's */
  gint64      balance;            /* the case's, before the payment */
  gint64      booked;             /* its booked_unmatched_minor and _on */
  const char *booked_on;
  gint64      debtor_id;
  gboolean    has_pending;        /* the case may have pending declarations */
} MatchInput;

/* A payment (already stored) goes to @case_id: the heart of matching, of assigning by hand and
 * of recording by hand. @input NULL: read the payment and the case from the database; else
 * (an import) the payment row was inserted matched already, and the import writes one audit
 * row for all its matches instead of one each. */
static gboolean
apply_match (DdPaymentStore    *self,
             gint64             payment_id,
             gint64             case_id,
             DdPaymentMatch     match,
             gint64             agent_id,
             const char        *now,
             const MatchInput  *input,
             Effects           *out_effects,
             GError           **error)
{
  g_autoptr(GArray) pending = g_array_new (FALSE, TRUE, sizeof (Pending));
  g_autoptr(GString) settled = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *status = NULL, *case_currency = NULL;
  g_autofree char *currency = NULL, *paid_on = NULL, *payer_account = NULL;
  g_autofree char *booked_on = NULL;
  gint64 amount = 0, balance = 0, debtor_id = 0, booked = 0, unbooked;
  gboolean closes;
  DdStatement *stmt;
  Effects effects = { 0 };

  g_array_set_clear_func (pending, pending_clear);

  if (input != NULL)
    {
      amount = input->amount;
      currency = g_strdup (input->currency);
      paid_on = g_strdup (input->paid_on);
      payer_account = g_strdup (input->payer_account);
      status = g_strdup (input->status);
      balance = input->balance;
      case_currency = g_strdup (input->currency);
      debtor_id = input->debtor_id;
      booked = input->booked;
      booked_on = g_strdup (input->booked_on);
      goto known;
    }

  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT amount_minor, currency, paid_on, payer_account FROM payment"
                            " WHERE id = ?", DD_INT (payment_id), DD_END);
  if (stmt == NULL)
    return FALSE;
  if (dd_statement_step (stmt, &local_error))
    {
      amount = dd_statement_get_int64 (stmt, 0);
      currency = g_strdup (dd_statement_get_text (stmt, 1));
      paid_on = g_strdup (dd_statement_get_text (stmt, 2));
      payer_account = g_strdup (dd_statement_get_text (stmt, 3));
    }
  dd_statement_reset (stmt);

  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT status, balance_minor, currency, debtor_id,"
                            " booked_unmatched_minor, booked_unmatched_on FROM debt_case"
                            " WHERE id = ?", DD_INT (case_id), DD_END);
  if (stmt == NULL)
    return FALSE;
  if (local_error == NULL && dd_statement_step (stmt, &local_error))
    {
      status = g_strdup (dd_statement_get_text (stmt, 0));
      balance = dd_statement_get_int64 (stmt, 1);
      case_currency = g_strdup (dd_statement_get_text (stmt, 2));
      debtor_id = dd_statement_get_int64 (stmt, 3);
      booked = dd_statement_get_int64 (stmt, 4);
      booked_on = g_strdup (dd_statement_get_text (stmt, 5));
    }
  dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (status == NULL)
    {
      g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_NOT_FOUND,
                   _("There is no case %lld."), (long long) case_id);
      return FALSE;
    }
  if (currency == NULL)
    {
      g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_NOT_FOUND,
                   _("There is no payment %lld."), (long long) payment_id);
      return FALSE;
    }
  if (g_strcmp0 (currency, case_currency) != 0)
    {
      g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_INVALID,
                   _("The payment is in %1$s but the case is in %2$s."), currency,
                   case_currency);
      return FALSE;
    }

known:

  /* A receivables export lowered the case's invoices by an amount no payment here had
   * covered (booked in the accounting system first): a payment made by the day of that
   * import is in it already and lowers the balance only by what is beyond it. The rest of
   * the payment counts until an export shows it (dd_case_store_finish_import()). */
  unbooked = amount;
  if (booked > 0 && amount > 0 && booked_on != NULL && strcmp (paid_on, booked_on) <= 0)
    unbooked = amount - MIN (amount, booked);
  booked -= amount - unbooked;
  balance -= unbooked;
  closes = balance <= 0 && g_strcmp0 (status, "closed") != 0;
  /* the payment itself is the timeline's row (payment table): last_activity_at stays that of
   * the activity rows, as for every other kind */
  if (!dd_database_execute (dd_store_db (self), error,
                            "UPDATE debt_case SET balance_minor = ?, booked_unmatched_minor = ?,"
                            " updated_at = ? WHERE id = ?",
                            DD_INT (balance), DD_INT (booked), DD_TEXT (now), DD_INT (case_id),
                            DD_END) ||
      !dd_database_execute (dd_store_db (self), error,
                            "INSERT INTO balance_history (case_id, balance_minor, currency,"
                            " reason, recorded_at) VALUES (?, ?, ?, 'payment', ?)",
                            DD_INT (case_id), DD_INT (balance), DD_TEXT (currency),
                            DD_TEXT (now), DD_END))
    return FALSE;

  /* Pending declarations: kept when what was paid from the day of the promise up to the
   * promised date plus the grace days covers the promised amount; a payment after that
   * breaks them. */
  stmt = input != NULL && !input->has_pending
         ? NULL
         : dd_database_query (dd_store_db (self), error,
                              "SELECT id, amount_minor, promised_on, substr(created_at, 1, 10)"
                              " FROM declaration WHERE case_id = ? AND state = 'pending'"
                              " ORDER BY promised_on, id", DD_INT (case_id), DD_END);
  if (stmt == NULL && (input == NULL || input->has_pending))
    return FALSE;
  while (stmt != NULL && dd_statement_step (stmt, &local_error))
    {
      Pending p = { 0 };

      p.id = dd_statement_get_int64 (stmt, 0);
      p.amount = dd_statement_get_int64 (stmt, 1);
      p.promised_on = g_strdup (dd_statement_get_text (stmt, 2));
      p.created_on = g_strdup (dd_statement_get_text (stmt, 3));
      g_array_append_val (pending, p);
    }
  if (stmt != NULL)
    dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  for (guint i = 0; i < pending->len; i++)
    {
      Pending *p = &g_array_index (pending, Pending, i);
      g_autofree char *deadline = add_days (p->promised_on, self->grace_days);
      const char *to = NULL, *reason = NULL;

      if (strcmp (paid_on, deadline) > 0)
        {
          to = "broken";
          reason = "late-payment";
        }
      else if (strcmp (paid_on, p->created_on) >= 0)
        {
          gint64 paid = 0;

          if (!dd_database_fetch_int64 (dd_store_db (self), &paid, NULL, error,
                                        "SELECT COALESCE(SUM(amount_minor), 0) FROM payment"
                                        " WHERE case_id = ? AND state = 'matched'"
                                        " AND paid_on >= ? AND paid_on <= ? AND id <> ?",
                                        DD_INT (case_id), DD_TEXT (p->created_on),
                                        DD_TEXT (deadline), DD_INT (payment_id), DD_END))
            return FALSE;
          if (paid + amount >= p->amount)
            {
              to = "kept";
              reason = "payment";
            }
        }
      if (to == NULL && closes)
        {
          /* nothing is owed any more: the promise is fulfilled */
          to = "kept";
          reason = "payment";
        }
      if (to == NULL)
        continue;
      if (!settle_declaration (self, case_id, p->id, "pending", to, reason, payment_id, agent_id,
                               now, error))
        return FALSE;
      g_string_append_printf (settled, "%s%" G_GINT64_FORMAT ":%s", settled->len ? "," : "",
                              p->id, to);
      if (g_str_equal (to, "kept"))
        effects.n_kept++;
      else
        effects.n_broken++;
    }

  if (closes)
    {
      g_autoptr(JsonObject) refs = json_object_new ();

      if (!dd_database_execute (dd_store_db (self), error,
                                "UPDATE debt_case SET status = 'closed', closed_at = ?"
                                " WHERE id = ?", DD_TEXT (now), DD_INT (case_id), DD_END))
        return FALSE;
      json_object_set_string_member (refs, "from", status);
      json_object_set_string_member (refs, "to", "closed");
      json_object_set_string_member (refs, "reason", "paid");
      json_object_set_int_member (refs, "payment_id", payment_id);
      /* closed by the system, not by the agent who matched */
      if (!record_activity (self, case_id, "status", refs, 0, now, error))
        return FALSE;
      effects.closed = TRUE;
    }

  /* an import inserts its rows matched, with the whole amount not yet booked */
  if ((input == NULL || closes || settled->len > 0 || unbooked != amount) &&
      !dd_database_execute (dd_store_db (self), error,
                            "UPDATE payment SET case_id = ?, state = 'matched', match_method = ?,"
                            " assigned_by = NULLIF(?, 0), assigned_at = ?, closed_case = ?, prev_status = ?,"
                            " settled = ?, unbooked_minor = ? WHERE id = ?",
                            DD_INT (case_id), DD_TEXT (dd_payment_match_to_string (match)),
                            DD_INT (agent_id), DD_TEXT (now),
                            DD_INT (closes), DD_TEXT (closes ? status : NULL),
                            DD_TEXT (settled->len ? settled->str : NULL), DD_INT (unbooked),
                            DD_INT (payment_id), DD_END))
    return FALSE;

  if (payer_account != NULL && *payer_account != '\0' &&
      !dd_database_execute (dd_store_db (self), error,
                            "INSERT INTO debtor_account (account, debtor_id, payment_id,"
                            " learned_at) VALUES (?, ?, ?, ?) ON CONFLICT (account) DO NOTHING",
                            DD_TEXT (payer_account), DD_INT (debtor_id), DD_INT (payment_id),
                            DD_TEXT (now), DD_END))
    return FALSE;

  if (input == NULL)
  {
    g_autoptr(JsonObject) details = json_object_new ();

    json_object_set_int_member (details, "case_id", case_id);
    json_object_set_string_member (details, "method", dd_payment_match_to_string (match));
    json_object_set_int_member (details, "amount_minor", amount);
    json_object_set_string_member (details, "currency", currency);
    json_object_set_int_member (details, "balance_minor", balance);
    if (!audit (self, agent_id, "payment.match", "payment", payment_id, details, now, error))
      return FALSE;
  }

  effects.balance = balance;
  effects.booked = booked;
  if (out_effects != NULL)
    *out_effects = effects;
  return TRUE;
}

/* GObject */

static void
dd_payment_store_finalize (GObject *object)
{
  DdPaymentStore *self = DD_PAYMENT_STORE (object);

  g_free (self->clock_now);
  g_free (self->clock_today);
  G_OBJECT_CLASS (dd_payment_store_parent_class)->finalize (object);
}

static void
dd_payment_store_class_init (DdPaymentStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dd_payment_store_finalize;
}

static void
dd_payment_store_init (DdPaymentStore *self)
{
  self->grace_days = 3;
}

DdPaymentStore *
dd_payment_store_new (DdDatabase *database)
{
  return dd_store_new (DD_TYPE_PAYMENT_STORE, database);
}

void
dd_payment_store_set_grace_days (DdPaymentStore *self,
                                 guint           days)
{
  g_return_if_fail (DD_IS_PAYMENT_STORE (self));
  self->grace_days = days;
}

void
dd_payment_store_set_clock (DdPaymentStore *self,
                            const char     *now,
                            const char     *today)
{
  g_return_if_fail (DD_IS_PAYMENT_STORE (self));
  g_free (self->clock_now);
  self->clock_now = g_strdup (now);
  g_free (self->clock_today);
  self->clock_today = g_strdup (today);
}

/* Import */

static gboolean
import_lines (DdPaymentStore            *self,
              const DdPaymentStatement  *statement,
              const char                *file_name,
              gint64                     agent_id,
              const char                *now,
              DdPaymentImportSummary    *summary,
              GError                   **error)
{
  Index index = { 0 };
  const char *source = dd_payment_format_to_string (statement->format);
  gboolean ok = FALSE;

  if (!index_build (self, &index, error))
    goto out;

  summary->n_debits += statement->n_debits;
  for (guint i = 0; i < statement->lines->len; i++)
    {
      const DdPaymentLine *line = g_ptr_array_index (statement->lines, i);
      DdPaymentMatch match = DD_PAYMENT_MATCH_NONE;
      CaseInfo *info;
      DdStatement *stmt;
      gint64 payment_id = 0;

      summary->n_read++;
      add_total (summary->read_totals, line->currency, line->amount_minor);

      /* matched in memory first; the row goes in matched or waiting, or not at all when
       * its key was imported before */
      info = match_line (&index, line, &match);
      if (index.names_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&index.names_error));
          goto out;
        }
      stmt = dd_database_cached (dd_store_db (self),
                                 "INSERT INTO payment (amount_minor, currency, paid_on, source,"
                                 " created_at, statement_key, bank_reference, office_account,"
                                 " file_name, line_no, raw_line, title, payer_name, payer_account,"
                                 " payer_tax_id, state, case_id, match_method, assigned_by,"
                                 " assigned_at, unbooked_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                                 " ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?)"
                                 " ON CONFLICT (statement_key) DO NOTHING",
                                 error);
      if (stmt == NULL)
        goto out;
      dd_statement_bind_int64 (stmt, 1, line->amount_minor);
      dd_statement_bind_text (stmt, 2, line->currency);
      dd_statement_bind_text (stmt, 3, line->value_date);
      dd_statement_bind_text (stmt, 4, source);
      dd_statement_bind_text (stmt, 5, now);
      dd_statement_bind_text (stmt, 6, line->key);
      dd_statement_bind_text (stmt, 7, line->reference);
      dd_statement_bind_text (stmt, 8, line->account);
      dd_statement_bind_text (stmt, 9, file_name);
      dd_statement_bind_int64 (stmt, 10, line->line_no);
      dd_statement_bind_text (stmt, 11, line->raw);
      dd_statement_bind_text (stmt, 12, line->title);
      dd_statement_bind_text (stmt, 13, line->payer_name);
      dd_statement_bind_text (stmt, 14, line->payer_account);
      dd_statement_bind_text (stmt, 15, line->payer_tax_id);
      dd_statement_bind_text (stmt, 16, info != NULL ? "matched" : "unmatched");
      if (info != NULL)
        {
          dd_statement_bind_int64 (stmt, 17, info->id);
          dd_statement_bind_text (stmt, 18, dd_payment_match_to_string (match));
          dd_statement_bind_text (stmt, 20, now);
        }
      dd_statement_bind_int64 (stmt, 21, info != NULL ? line->amount_minor : 0);
      dd_statement_bind_int64 (stmt, 19, agent_id);
      if (!dd_statement_run_insert (stmt, &payment_id, error))
        goto out;
      if (dd_database_changes (dd_store_db (self)) == 0)
        {
          summary->n_repeats++;
          continue;
        }

      if (info == NULL)
        {
          summary->n_unmatched++;
          add_total (summary->unmatched_totals, line->currency, line->amount_minor);
          continue;
        }
      {
        Effects effects;
        gint64 before = info->balance;
        MatchInput input = {
          .amount = line->amount_minor,
          .currency = line->currency,
          .paid_on = line->value_date,
          .payer_account = line->payer_account,
          .status = info->status,
          .balance = info->balance,
          .booked = info->booked,
          .booked_on = info->booked_on,
          .debtor_id = info->debtor_id,
          .has_pending = g_hash_table_contains (index.pending, &info->id),
        };

        if (!apply_match (self, payment_id, info->id, match, agent_id, now, &input, &effects,
                          error))
          goto out;
        info->balance = effects.balance;
        info->booked = effects.booked;
        if (effects.closed)
          {
            info->open = FALSE;
            g_free (info->status);
            info->status = g_strdup ("closed");
          }
        if (effects.closed || effects.n_kept + effects.n_broken > 0)
          g_hash_table_remove (index.pending, &info->id);
        summary->n_matched++;
        summary->n_by[match]++;
        add_total (summary->matched_totals, line->currency, line->amount_minor);
        if (effects.balance > 0)
          summary->n_partial++;
        else if (effects.balance < 0 && before < line->amount_minor)
          summary->n_over++;
        summary->n_closed += effects.closed;
        summary->n_kept += effects.n_kept;
        summary->n_broken += effects.n_broken;
        if (line->payer_account != NULL && info->debtor_id > 0 &&
            get_unique (index.accounts, line->payer_account) == 0)
          g_hash_table_insert (index.accounts, g_strdup (line->payer_account),
                               GSIZE_TO_POINTER ((gsize) info->debtor_id));
      }
    }

  /* one audit row for the import: who, which file, what it matched (the rows say the rest) */
  {
    g_autoptr(JsonObject) details = json_object_new ();

    json_object_set_string_member (details, "file", file_name);
    json_object_set_string_member (details, "format", source);
    json_object_set_int_member (details, "read", summary->n_read);
    json_object_set_int_member (details, "repeats", summary->n_repeats);
    json_object_set_int_member (details, "matched", summary->n_matched);
    json_object_set_int_member (details, "unmatched", summary->n_unmatched);
    json_object_set_int_member (details, "closed", summary->n_closed);
    if (!audit (self, agent_id, "payment.import", "payment", 0, details, now, error))
      goto out;
  }
  ok = TRUE;

out:
  index_clear (&index);
  return ok;
}

gboolean
dd_payment_store_import (DdPaymentStore            *self,
                         const DdPaymentStatement  *statement,
                         const char                *file_name,
                         gboolean                   dry_run,
                         gint64                     agent_id,
                         DdPaymentImportSummary    *out_summary,
                         GError                   **error)
{
  g_autofree char *now = now_text (self);
  gboolean ok;

  g_return_val_if_fail (DD_IS_PAYMENT_STORE (self), FALSE);
  g_return_val_if_fail (statement != NULL, FALSE);
  g_return_val_if_fail (out_summary != NULL, FALSE);

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  /* the values the CHECK constraints look at (a payment's state and match method, a case's
   * status) come from the code, not from the statement */
  ok = dd_database_set_trusted_writes (dd_store_db (self), TRUE, error) &&
       import_lines (self, statement, file_name, agent_id, now, out_summary, error);
  if (!dd_database_set_trusted_writes (dd_store_db (self), FALSE, ok ? error : NULL))
    ok = FALSE;
  if (ok && dry_run)
    return dd_database_rollback (dd_store_db (self), error);
  return dd_database_finish (dd_store_db (self), ok, error);
}

/* Listing */

/* The columns of RECORD_SELECT; a match method that is NULL or unknown reads as none. */
static const DdField record_fields[] = {
  DD_FIELD (DdPaymentRecord, id, INT64),
  DD_FIELD (DdPaymentRecord, case_id, INT64),
  DD_FIELD (DdPaymentRecord, state, TEXT),
  DD_FIELD_NAMED (DdPaymentRecord, match, match_names, DD_PAYMENT_MATCH_NONE),
  DD_FIELD (DdPaymentRecord, paid_on, TEXT),
  DD_FIELD (DdPaymentRecord, amount_minor, INT64),
  DD_FIELD (DdPaymentRecord, currency, TEXT),
  DD_FIELD (DdPaymentRecord, source, TEXT),
  DD_FIELD (DdPaymentRecord, title, TEXT),
  DD_FIELD (DdPaymentRecord, payer_name, TEXT),
  DD_FIELD (DdPaymentRecord, payer_account, TEXT),
  DD_FIELD (DdPaymentRecord, payer_tax_id, TEXT),
  DD_FIELD (DdPaymentRecord, bank_reference, TEXT),
  DD_FIELD (DdPaymentRecord, file_name, TEXT),
  DD_FIELD (DdPaymentRecord, line_no, UINT),
  DD_FIELD (DdPaymentRecord, debtor_name, TEXT),
};
static const DdRowType record_row = DD_ROW_TYPE (DdPaymentRecord, record_fields);

DD_DEFINE_ROW_FREE_FUNC (DdPaymentRecord, dd_payment_record_free, record_row)

#define RECORD_SELECT \
  "SELECT p.id, COALESCE(p.case_id, 0), p.state, p.match_method, p.paid_on, p.amount_minor," \
  " p.currency, p.source, p.title, p.payer_name, p.payer_account, p.payer_tax_id," \
  " p.bank_reference, p.file_name, COALESCE(p.line_no, 0), c.debtor_name FROM payment p" \
  " LEFT JOIN debt_case c ON c.id = p.case_id"

GPtrArray *
dd_payment_store_list (DdPaymentStore  *self,
                       const char      *state,
                       gint64           case_id,
                       GError         **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_payment_record_free);
  gboolean ok;

  g_return_val_if_fail (DD_IS_PAYMENT_STORE (self), NULL);

  if (g_strcmp0 (state, "unmatched") == 0 && case_id == 0)
    /* the waiting list, served by its partial index */
    ok = dd_database_fetch_all (dd_store_db (self), records, dd_statement_read_row, &record_row,
                                error,
                                RECORD_SELECT " WHERE p.state = 'unmatched'"
                                " ORDER BY p.paid_on DESC, p.id DESC", DD_END);
  else
    ok = dd_database_fetch_all (dd_store_db (self), records, dd_statement_read_row, &record_row,
                                error,
                                RECORD_SELECT
                                " WHERE (? IS NULL OR p.state = ?) AND (? = 0 OR p.case_id = ?)"
                                " ORDER BY p.paid_on DESC, p.id DESC",
                                DD_TEXT (state), DD_TEXT (state), DD_INT (case_id),
                                DD_INT (case_id), DD_END);
  return ok ? g_steal_pointer (&records) : NULL;
}

DdPaymentRecord *
dd_payment_store_get (DdPaymentStore  *self,
                      gint64           payment_id,
                      GError         **error)
{
  DdPaymentRecord *record = NULL;

  if (!dd_database_fetch_row (dd_store_db (self), (gpointer *) &record, dd_statement_read_row,
                              &record_row, error, RECORD_SELECT " WHERE p.id = ?",
                              DD_INT (payment_id), DD_END))
    return NULL;
  if (record == NULL)
    g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_NOT_FOUND,
                 _("There is no payment %lld."), (long long) payment_id);
  return record;
}

/* By hand */

gboolean
dd_payment_store_assign (DdPaymentStore  *self,
                         gint64           agent_id,
                         gint64           payment_id,
                         gint64           case_id,
                         GError         **error)
{
  g_autoptr(DdPaymentRecord) record = NULL;
  g_autofree char *now = now_text (self);

  g_return_val_if_fail (DD_IS_PAYMENT_STORE (self), FALSE);

  record = dd_payment_store_get (self, payment_id, error);
  if (record == NULL)
    return FALSE;
  if (g_str_equal (record->state, "matched"))
    {
      g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_STATE,
                   _("The payment is already assigned to case %lld; unassign it first."),
                   (long long) record->case_id);
      return FALSE;
    }
  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  return dd_database_finish (dd_store_db (self), apply_match (self, payment_id, case_id, DD_PAYMENT_MATCH_MANUAL, agent_id,
                                    now, NULL, NULL, error), error);
}

gboolean
dd_payment_store_ignore (DdPaymentStore  *self,
                         gint64           agent_id,
                         gint64           payment_id,
                         GError         **error)
{
  g_autoptr(DdPaymentRecord) record = NULL;
  g_autofree char *now = now_text (self);
  gboolean ok;

  g_return_val_if_fail (DD_IS_PAYMENT_STORE (self), FALSE);

  record = dd_payment_store_get (self, payment_id, error);
  if (record == NULL)
    return FALSE;
  if (!g_str_equal (record->state, "unmatched"))
    {
      g_set_error_literal (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_STATE,
                           _("Only an unmatched payment can be ignored."));
      return FALSE;
    }
  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  ok = dd_database_execute (dd_store_db (self), error,
                            "UPDATE payment SET state = 'ignored', assigned_by = NULLIF(?, 0),"
                            " assigned_at = ? WHERE id = ?",
                            DD_INT (agent_id), DD_TEXT (now),
                            DD_INT (payment_id), DD_END) &&
       audit (self, agent_id, "payment.ignore", "payment", payment_id, NULL, now, error);
  return dd_database_finish (dd_store_db (self), ok, error);
}

static gboolean
unassign (DdPaymentStore  *self,
          gint64           agent_id,
          gint64           payment_id,
          const char      *now,
          GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *state = NULL, *currency = NULL, *prev_status = NULL, *settled = NULL;
  g_autofree char *status = NULL;
  gint64 case_id = 0, amount = 0, balance = 0, unbooked = 0;
  gboolean closed_case = FALSE;
  DdStatement *stmt;

  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT p.state, COALESCE(p.case_id, 0), p.amount_minor, p.currency,"
                            " p.closed_case, p.prev_status, p.settled, c.status, c.balance_minor,"
                            " p.unbooked_minor"
                            " FROM payment p LEFT JOIN debt_case c ON c.id = p.case_id"
                            " WHERE p.id = ?", DD_INT (payment_id), DD_END);
  if (stmt == NULL)
    return FALSE;
  if (dd_statement_step (stmt, &local_error))
    {
      state = g_strdup (dd_statement_get_text (stmt, 0));
      case_id = dd_statement_get_int64 (stmt, 1);
      amount = dd_statement_get_int64 (stmt, 2);
      currency = g_strdup (dd_statement_get_text (stmt, 3));
      closed_case = dd_statement_get_int64 (stmt, 4) != 0;
      prev_status = g_strdup (dd_statement_get_text (stmt, 5));
      settled = g_strdup (dd_statement_get_text (stmt, 6));
      status = g_strdup (dd_statement_get_text (stmt, 7));
      balance = dd_statement_get_int64 (stmt, 8);
      unbooked = dd_statement_get_int64 (stmt, 9);
    }
  dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (state == NULL)
    {
      g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_NOT_FOUND,
                   _("There is no payment %lld."), (long long) payment_id);
      return FALSE;
    }
  if (!g_str_equal (state, "matched") || case_id == 0)
    {
      g_set_error_literal (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_STATE,
                           _("The payment is not assigned to a case."));
      return FALSE;
    }

  /* only what the payment still took off the balance comes back; the part a receivables
   * export has shown as paid is booked in the accounting system, and waits again for a
   * payment (booked_unmatched_minor) */
  balance += unbooked;
  if (!dd_database_execute (dd_store_db (self), error,
                            "UPDATE debt_case SET balance_minor = ?, updated_at = ?,"
                            " booked_unmatched_minor = booked_unmatched_minor + ?"
                            " WHERE id = ?",
                            DD_INT (balance), DD_TEXT (now), DD_INT (amount - unbooked),
                            DD_INT (case_id), DD_END) ||
      !dd_database_execute (dd_store_db (self), error,
                            "INSERT INTO balance_history (case_id, balance_minor, currency,"
                            " reason, recorded_at) VALUES (?, ?, ?, 'payment-undone', ?)",
                            DD_INT (case_id), DD_INT (balance), DD_TEXT (currency),
                            DD_TEXT (now), DD_END))
    return FALSE;

  if (settled != NULL)
    {
      g_auto(GStrv) items = g_strsplit (settled, ",", -1);

      for (guint i = 0; items[i] != NULL; i++)
        {
          const char *colon = strchr (items[i], ':');
          gint64 id = g_ascii_strtoll (items[i], NULL, 10);

          if (colon == NULL)
            continue;
          if (!settle_declaration (self, case_id, id, colon + 1, "pending", "payment-undone",
                                   payment_id, agent_id, now, error))
            return FALSE;
        }
    }

  if (closed_case && g_strcmp0 (status, "closed") == 0 && balance > 0)
    {
      g_autoptr(JsonObject) refs = json_object_new ();
      const char *back = prev_status ? prev_status : "new";

      if (!dd_database_execute (dd_store_db (self), error,
                                "UPDATE debt_case SET status = ?, closed_at = NULL WHERE id = ?",
                                DD_TEXT (back), DD_INT (case_id), DD_END))
        return FALSE;
      json_object_set_string_member (refs, "from", "closed");
      json_object_set_string_member (refs, "to", back);
      json_object_set_string_member (refs, "reason", "payment-undone");
      json_object_set_int_member (refs, "payment_id", payment_id);
      if (!record_activity (self, case_id, "status", refs, agent_id, now, error))
        return FALSE;
    }

  {
    g_autoptr(JsonObject) refs = json_object_new ();

    json_object_set_int_member (refs, "payment_id", payment_id);
    json_object_set_int_member (refs, "amount_minor", amount);
    json_object_set_string_member (refs, "currency", currency);
    if (!dd_database_execute (dd_store_db (self), error,
                              "DELETE FROM debtor_account WHERE payment_id = ?",
                              DD_INT (payment_id), DD_END) ||
        !dd_database_execute (dd_store_db (self), error,
                              "UPDATE payment SET case_id = NULL, state = 'unmatched',"
                              " match_method = NULL, assigned_by = NULL, assigned_at = NULL,"
                              " closed_case = 0, prev_status = NULL, settled = NULL,"
                              " unbooked_minor = 0 WHERE id = ?", DD_INT (payment_id), DD_END) ||
        !record_activity (self, case_id, "payment-unassigned", refs, agent_id, now, error))
      return FALSE;
    json_object_set_int_member (refs, "case_id", case_id);
    return audit (self, agent_id, "payment.unassign", "payment", payment_id, refs, now, error);
  }
}

gboolean
dd_payment_store_unassign (DdPaymentStore  *self,
                           gint64           agent_id,
                           gint64           payment_id,
                           GError         **error)
{
  g_autofree char *now = now_text (self);

  g_return_val_if_fail (DD_IS_PAYMENT_STORE (self), FALSE);

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  return dd_database_finish (dd_store_db (self), unassign (self, agent_id, payment_id, now, error), error);
}

gboolean
dd_payment_store_check_amount (DdPaymentStore  *self,
                               gint64           amount_minor,
                               GError         **error)
{
  if (amount_minor <= 0)
    {
      g_set_error_literal (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_INVALID,
                           _("A payment needs an amount above zero."));
      return FALSE;
    }
  return TRUE;
}

gboolean
dd_payment_store_check_paid_on (DdPaymentStore  *self,
                                const char      *paid_on,
                                GError         **error)
{
  g_autofree char *today = today_text (self);
  int y, m, d;
  char tail;

  if (paid_on == NULL || *paid_on == '\0')
    {
      g_set_error_literal (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_INVALID,
                           _("A payment needs the date it was paid."));
      return FALSE;
    }
  if (strlen (paid_on) != 10 || sscanf (paid_on, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
      !g_date_valid_dmy (d, m, y))
    {
      g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_INVALID,
                   _("“%s” is not a date (YYYY-MM-DD)."), paid_on);
      return FALSE;
    }
  if (strcmp (paid_on, today) > 0)
    {
      g_set_error_literal (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_INVALID,
                           _("A payment cannot be dated in the future."));
      return FALSE;
    }
  return TRUE;
}

gboolean
dd_payment_store_record (DdPaymentStore  *self,
                         gint64           agent_id,
                         gint64           case_id,
                         gint64           amount_minor,
                         const char      *currency,
                         const char      *paid_on,
                         const char      *note,
                         gint64          *out_payment_id,
                         GError         **error)
{
  g_autofree char *now = now_text (self);
  g_autofree char *case_currency = NULL;
  gint64 payment_id = 0;
  gboolean found = FALSE;
  DdStatement *stmt;
  gboolean ok;

  g_return_val_if_fail (DD_IS_PAYMENT_STORE (self), FALSE);

  if (!dd_payment_store_check_amount (self, amount_minor, error) ||
      !dd_payment_store_check_paid_on (self, paid_on, error))
    return FALSE;

  stmt = dd_database_query (dd_store_db (self), error, "SELECT currency FROM debt_case WHERE id = ?",
                            DD_INT (case_id), DD_END);
  if (stmt == NULL)
    return FALSE;
  if (dd_statement_step (stmt, error))
    {
      found = TRUE;
      case_currency = g_strdup (dd_statement_get_text (stmt, 0));
    }
  dd_statement_reset (stmt);
  if (error != NULL && *error != NULL)
    return FALSE;
  if (!found)
    {
      g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_NOT_FOUND,
                   _("There is no case %lld."), (long long) case_id);
      return FALSE;
    }

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  stmt = dd_database_query (dd_store_db (self), error,
                            "INSERT INTO payment (amount_minor, currency, paid_on, source,"
                            " created_at, title, state, note) VALUES (?, ?, ?, 'manual', ?, ?,"
                            " 'unmatched', ?)",
                            DD_INT (amount_minor),
                            DD_TEXT (currency ? currency : case_currency), DD_TEXT (paid_on),
                            DD_TEXT (now), DD_TEXT (note), DD_TEXT (note), DD_END);
  ok = stmt != NULL && dd_statement_run_insert (stmt, &payment_id, error);
  if (stmt != NULL)
    dd_statement_reset (stmt);
  ok = ok && apply_match (self, payment_id, case_id, DD_PAYMENT_MATCH_MANUAL, agent_id, now, NULL,
                          NULL, error);
  if (!dd_database_finish (dd_store_db (self), ok, error))
    return FALSE;
  if (out_payment_id != NULL)
    *out_payment_id = payment_id;
  return TRUE;
}

gboolean
dd_payment_store_outstanding (DdPaymentStore  *self,
                              GPtrArray      **out_totals,
                              gint64          *out_open_cases,
                              GError         **error)
{
  g_autoptr(GPtrArray) totals = g_ptr_array_new_with_free_func (total_free);
  g_autoptr(GError) local_error = NULL;
  gint64 open = 0;
  DdStatement *stmt;

  stmt = dd_database_query (dd_store_db (self), error,
                            "SELECT currency, SUM(balance_minor), COUNT(*) FROM debt_case"
                            " WHERE status <> 'closed' GROUP BY currency ORDER BY currency",
                            DD_END);
  if (stmt == NULL)
    return FALSE;
  while (dd_statement_step (stmt, &local_error))
    {
      add_total (totals, dd_statement_get_text (stmt, 0), dd_statement_get_int64 (stmt, 1));
      open += dd_statement_get_int64 (stmt, 2);
    }
  dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (out_totals != NULL)
    *out_totals = g_steal_pointer (&totals);
  if (out_open_cases != NULL)
    *out_open_cases = open;
  return TRUE;
}
