/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-case-store"

#include "config.h"

#include "dd-case-store.h"
#include "dd-case-query.h"
#include "dd-dates.h"
#include "dd-money.h"
#include "dd-sqlite-database.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <string.h>

G_DEFINE_QUARK (dd-case-store-error-quark, dd_case_store_error)

/* One FTS row per debtor (003-cases.sql): each phone as all its digits and as its national
 * number (without the country code: 1 digit for +1 and +7, 2 for the codes listed, 3 for all
 * others, as ITU-T E.164 assigns them; a three-digit code ending in 0, +380 say, also keeps
 * its 0 before the national number, as "044 123 45 67" is written at home; schema 27, before
 * it every phone was indexed without its first 1, 2 and 3 digits too; the codes are looked up
 * with instr(), not IN (…), for which SQLite 3.40 builds a temporary B-tree on every call of
 * the correlated subquery); the invoice numbers of all the debtor's cases. The
 * name is also indexed with ł as l: the FTS tokenizer folds ż to z and ó to o, but ł is a
 * letter of its own, and people type "Lukasz". Keep in step with
 * data/sql/sqlite/027-search-phones.sql (and its PostgreSQL twin). */
#define SEARCH_ROW_SELECT                                                                  \
  "SELECT d.id, d.name || CASE WHEN instr(d.name, 'ł') > 0 OR instr(d.name, 'Ł') > 0"     \
  "  THEN ' ' || replace(replace(d.name, 'ł', 'l'), 'Ł', 'L') ELSE '' END, d.tax_id,"      \
  " (SELECT group_concat(replace(p.e164, '+', '') || ' ' ||"                               \
  "   CASE WHEN substr(p.e164, 2, 1) = '1' OR substr(p.e164, 2, 1) = '7'"                 \
  "    THEN substr(p.e164, 3)"                                                               \
  "   WHEN instr(' 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56"   \
  "     57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98 ',"                      \
  "     ' ' || substr(p.e164, 2, 2) || ' ') > 0 THEN substr(p.e164, 4)"                      \
  "   WHEN substr(p.e164, 4, 1) = '0' THEN substr(p.e164, 5) || ' ' || substr(p.e164, 4)"    \
  "   ELSE substr(p.e164, 5) END, ' ')"                                                     \
  "  FROM phone p WHERE p.debtor_id = d.id),"                                              \
  " (SELECT group_concat(l.invoice_no, ' ')"                                               \
  "  FROM debt_case c JOIN liability l ON l.case_id = c.id WHERE c.debtor_id = d.id),"   \
  " d.email FROM debtor d"

struct _DdCaseStore
{
  DdStore     parent_instance;

  guint       max_promise_days;
  char       *clock_now;     /* tests: NULL = the real clock */
  char       *clock_today;
  gboolean    list_indexes_deferred;   /* dropped by dd_case_store_begin_bulk_import() */
  GPtrArray  *bulk_triggers;   /* SQLite: the CREATE TRIGGERs of the summaries set aside by it */
  gboolean    bulk_roll;       /* report_roll_insert is among them: the run's history is summed */
  gboolean    bulk_ageing;     /* report_ageing_insert/_update: report_ageing is summed again */
};

#define DEFAULT_MAX_PROMISE_DAYS 90

G_DEFINE_FINAL_TYPE (DdCaseStore, dd_case_store, DD_TYPE_STORE)

static const char * const status_names[] = {
  [DD_CASE_STATUS_NEW] = "new",
  [DD_CASE_STATUS_CALL_LATER] = "call-later",
  [DD_CASE_STATUS_NO_ANSWER] = "no-answer",
  [DD_CASE_STATUS_PAYMENT_DECLARATION] = "payment-declaration",
  [DD_CASE_STATUS_CLOSED] = "closed",
};

DD_DEFINE_ENUM_NAMES (DdCaseStatus, dd_case_status, status_names)

const char *
dd_case_status_to_label (DdCaseStatus status)
{
  switch (status)
    {
    case DD_CASE_STATUS_NEW:
      return _("New");
    case DD_CASE_STATUS_CALL_LATER:
      return _("Call later");
    case DD_CASE_STATUS_NO_ANSWER:
      return _("No answer");
    case DD_CASE_STATUS_PAYMENT_DECLARATION:
      return _("Payment declaration");
    case DD_CASE_STATUS_CLOSED:
      return _("Closed");
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
dd_case_store_finalize (GObject *object)
{
  DdCaseStore *self = DD_CASE_STORE (object);

  g_free (self->clock_now);
  g_free (self->clock_today);
  g_clear_pointer (&self->bulk_triggers, g_ptr_array_unref);

  G_OBJECT_CLASS (dd_case_store_parent_class)->finalize (object);
}

static void
dd_case_store_class_init (DdCaseStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dd_case_store_finalize;
}

static void
dd_case_store_init (DdCaseStore *self)
{
  self->max_promise_days = DEFAULT_MAX_PROMISE_DAYS;
}

DdCaseStore *
dd_case_store_new (DdDatabase *database)
{
  return dd_store_new (DD_TYPE_CASE_STORE, database);
}

void
dd_case_store_set_max_promise_days (DdCaseStore *self,
                                    guint        days)
{
  g_return_if_fail (DD_IS_CASE_STORE (self));

  self->max_promise_days = days;
}

guint
dd_case_store_get_max_promise_days (DdCaseStore *self)
{
  g_return_val_if_fail (DD_IS_CASE_STORE (self), 0);

  return self->max_promise_days;
}

void
dd_case_store_set_clock (DdCaseStore *self,
                         const char  *now,
                         const char  *today)
{
  g_return_if_fail (DD_IS_CASE_STORE (self));

  g_free (self->clock_now);
  self->clock_now = g_strdup (now);
  g_free (self->clock_today);
  self->clock_today = g_strdup (today);
}

static GDateTime *
clock_now (DdCaseStore *self)
{
  if (self->clock_now != NULL)
    return g_date_time_new_from_iso8601 (self->clock_now, NULL);
  return g_date_time_new_now_utc ();
}

static void
clock_today (DdCaseStore *self,
             GDate       *out_today)
{
  g_autoptr(GDateTime) now = NULL;

  if (self->clock_today != NULL && dd_date_from_iso (self->clock_today, out_today))
    return;
  now = g_date_time_new_now_local ();
  g_date_clear (out_today, 1);
  g_date_set_dmy (out_today, g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now), g_date_time_get_year (now));
}

static char *
today_text (DdCaseStore *self)
{
  GDate today;

  clock_today (self, &today);
  return dd_date_to_iso (&today);
}

gboolean
dd_case_store_count (DdCaseStore  *self,
                     gint64       *out_total,
                     gint64       *out_open,
                     GError      **error)
{
  gint64 dummy;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);

  return dd_database_query_int64 (dd_store_db (self), "SELECT COUNT(*) FROM debt_case",
                                  out_total ? out_total : &dummy, error) &&
         dd_database_query_int64 (dd_store_db (self),
                                  "SELECT COUNT(*) FROM debt_case WHERE status <> 'closed'",
                                  out_open ? out_open : &dummy, error);
}

/* A row of (id, last import run). */
typedef struct
{
  gint64 id;
  gint64 run;
} IdRun;

static const DdField id_run_fields[] = {
  DD_FIELD (IdRun, id, INT64),
  DD_FIELD (IdRun, run, INT64),
};
static const DdRowType id_run_row = DD_ROW_TYPE (IdRun, id_run_fields);

/**
 * dd_creditor_display_name:
 *
 * The own receivables are stored under one key, whatever the language of the import that
 * made them; they are shown in the user's language.
 */
const char *
dd_creditor_display_name (const char *stored_name)
{
  if (g_strcmp0 (stored_name, DD_CREDITOR_OWN_RECEIVABLES) == 0)
    return _("Own receivables");
  return stored_name;
}

gboolean
dd_case_store_ensure_creditor (DdCaseStore  *self,
                               const char   *name,
                               gint64       *out_id,
                               GError      **error)
{
  g_autofree char *now = NULL;
  gboolean found;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!dd_database_fetch_int64 (dd_store_db (self), out_id, &found, error,
                                "SELECT id FROM creditor WHERE name = ?", DD_TEXT (name), DD_END))
    return FALSE;
  if (found)
    return TRUE;

  now = dd_timestamp_now ();
  return dd_database_insert (dd_store_db (self), out_id, error,
                             "INSERT INTO creditor (name, created_at) VALUES (?, ?)",
                             DD_TEXT (name), DD_TEXT (now), DD_END);
}

gboolean
dd_case_store_upsert_case (DdCaseStore     *self,
                           gint64           debtor_id,
                           gint64           creditor_id,
                           const char      *currency,
                           gint64           run_id,
                           gint64          *out_id,
                           DdUpsertResult  *out_result,
                           GError         **error)
{
  g_autofree char *now = NULL;
  IdRun existing = { 0, 0 };
  gboolean found;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);

  /* Most cases of a large import are new: the insert is tried first, the look-up only when
   * the case exists already. */
  now = dd_timestamp_now ();
  if (!dd_database_insert (dd_store_db (self), out_id, error,
                           "INSERT INTO debt_case (debtor_id, creditor_id, currency,"
                           " last_import_run_id, created_at, updated_at)"
                           " VALUES (?, ?, ?, ?, ?, ?)"
                           " ON CONFLICT (debtor_id, creditor_id) DO NOTHING",
                           DD_INT (debtor_id), DD_INT (creditor_id), DD_TEXT (currency),
                           DD_INT_IF (run_id > 0, run_id), DD_TEXT (now), DD_TEXT (now),
                           DD_END))
    return FALSE;
  if (dd_database_changes (dd_store_db (self)) > 0)
    {
      *out_result = DD_UPSERT_NEW;
      return TRUE;
    }

  if (!dd_database_fetch_fields (dd_store_db (self), &id_run_row, &existing, &found, error,
                                 "SELECT id, last_import_run_id FROM debt_case"
                                 " WHERE debtor_id = ? AND creditor_id = ?",
                                 DD_INT (debtor_id), DD_INT (creditor_id), DD_END))
    return FALSE;
  if (found)
    {
      *out_id = existing.id;
      if (run_id > 0 && existing.run == run_id)
        {
          *out_result = DD_UPSERT_SEEN;
          return TRUE;
        }
      *out_result = DD_UPSERT_UPDATED;
      if (run_id <= 0)
        return TRUE;
      return dd_database_execute (dd_store_db (self), error,
                                  "UPDATE debt_case SET last_import_run_id = ?, updated_at = ?"
                                  " WHERE id = ?",
                                  DD_INT (run_id), DD_TEXT (now), DD_INT (*out_id), DD_END);
    }

  g_set_error_literal (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_SQL,
                       "case neither inserted nor found");
  return FALSE;
}

/* What the database holds of an invoice, to tell an unchanged one from an updated one. */
typedef struct
{
  gint64    id;
  gint64    last_run;
  gint64    amount_minor;
  char     *currency;
  char     *due_on;
  char     *issued_on;
  gboolean  paid;
} StoredLiability;

static const DdField stored_liability_fields[] = {
  DD_FIELD (StoredLiability, id, INT64),
  DD_FIELD (StoredLiability, last_run, INT64),
  DD_FIELD (StoredLiability, amount_minor, INT64),
  DD_FIELD (StoredLiability, currency, TEXT),
  DD_FIELD (StoredLiability, due_on, TEXT),
  DD_FIELD (StoredLiability, issued_on, TEXT),
  DD_FIELD (StoredLiability, paid, BOOLEAN),
};
static const DdRowType stored_liability_row =
  DD_ROW_TYPE (StoredLiability, stored_liability_fields);

DD_DEFINE_ROW_AUTO_CLEAR (StoredLiability, stored_liability_row)

gboolean
dd_case_store_upsert_liability (DdCaseStore              *self,
                                gint64                    case_id,
                                const DdLiabilityRecord  *record,
                                gint64                    run_id,
                                DdUpsertResult           *out_result,
                                GError                  **error)
{
  g_autofree char *now = NULL;
  g_auto(StoredLiability) stored = { 0, };
  gboolean found, same, ok;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);

  /* Most invoices of an export are new: try the insert first. */
  now = dd_timestamp_now ();
  if (!dd_database_execute (dd_store_db (self), error,
                            "INSERT INTO liability (case_id, invoice_no, issued_on, due_on,"
                            " amount_minor, currency, import_run_id, created_at, updated_at)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                            " ON CONFLICT (case_id, invoice_no) DO NOTHING",
                            DD_INT (case_id), DD_TEXT (record->invoice_no),
                            DD_TEXT (record->issued_on), DD_TEXT (record->due_on),
                            DD_INT (record->amount_minor), DD_TEXT (record->currency),
                            DD_INT_IF (run_id > 0, run_id), DD_TEXT (now), DD_TEXT (now), DD_END))
    return FALSE;
  if (dd_database_changes (dd_store_db (self)) > 0)
    {
      *out_result = DD_UPSERT_NEW;
      return TRUE;
    }

  if (!dd_database_fetch_fields (dd_store_db (self), &stored_liability_row, &stored, &found, error,
                                 "SELECT id, import_run_id, amount_minor, currency, due_on,"
                                 " issued_on, paid_at IS NOT NULL"
                                 " FROM liability WHERE case_id = ? AND invoice_no = ?",
                                 DD_INT (case_id), DD_TEXT (record->invoice_no), DD_END))
    return FALSE;
  if (!found)
    {
      g_set_error_literal (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_SQL,
                           "liability neither inserted nor found");
      return FALSE;
    }

  if (run_id > 0 && stored.last_run == run_id)
    {
      *out_result = DD_UPSERT_SEEN;
      return TRUE;
    }

  same = stored.amount_minor == record->amount_minor &&
         g_strcmp0 (stored.currency, record->currency) == 0 &&
         g_strcmp0 (stored.due_on, record->due_on) == 0 &&
         g_strcmp0 (stored.issued_on, record->issued_on) == 0 &&
         !stored.paid;
  *out_result = same ? DD_UPSERT_UNCHANGED : DD_UPSERT_UPDATED;
  /* the accounting system lowered what is still owed on the invoice: booked there (see
   * absorb_booked()); raised it again (a booking reversed, a paid invoice listed again): that
   * much of what it had booked no longer waits for a payment */
  if (g_strcmp0 (stored.currency, record->currency) == 0)
    {
      gint64 before = stored.paid ? 0 : stored.amount_minor;

      if (before > record->amount_minor)
        {
          g_autofree char *today = today_text (self);

          if (!dd_database_execute (dd_store_db (self), error,
                                    "UPDATE debt_case SET booked_unmatched_minor ="
                                    " booked_unmatched_minor + ?, booked_unmatched_on = ?"
                                    " WHERE id = ?",
                                    DD_INT (before - record->amount_minor), DD_TEXT (today),
                                    DD_INT (case_id), DD_END))
            return FALSE;
        }
      else if (before < record->amount_minor &&
               !dd_database_execute (dd_store_db (self), error,
                                     "UPDATE debt_case SET booked_unmatched_minor ="
                                     " CASE WHEN booked_unmatched_minor > ?"
                                     "  THEN booked_unmatched_minor - ? ELSE 0 END"
                                     " WHERE id = ? AND booked_unmatched_minor > 0",
                                     DD_INT (record->amount_minor - before),
                                     DD_INT (record->amount_minor - before), DD_INT (case_id),
                                     DD_END))
        return FALSE;
    }
  if (same)
    ok = dd_database_execute (dd_store_db (self), error,
                              "UPDATE liability SET import_run_id = ? WHERE id = ?",
                              DD_INT_IF (run_id > 0, run_id), DD_INT (stored.id), DD_END);
  else
    ok = dd_database_execute (dd_store_db (self), error,
                              "UPDATE liability SET import_run_id = ?, issued_on = ?, due_on = ?,"
                              " amount_minor = ?, currency = ?, paid_at = NULL, updated_at = ?"
                              " WHERE id = ?",
                              DD_INT_IF (run_id > 0, run_id), DD_TEXT (record->issued_on),
                              DD_TEXT (record->due_on), DD_INT (record->amount_minor),
                              DD_TEXT (record->currency), DD_TEXT (now), DD_INT (stored.id),
                              DD_END);
  return ok;
}

/* The indexes of debt_case (003-cases.sql) on the columns finish_import rewrites. */
static const struct
{
  const char *name;
  const char *column;
} list_indexes[] = {
  { "debt_case_debtor_name", "debtor_name" },
  { "debt_case_balance", "balance_minor" },
  { "debt_case_oldest_due", "oldest_due_on" },
};

/* The other indexes of the cases list, on columns set when a case is made: a bulk import
 * (dd_case_store_begin_bulk_import()) builds them at the end too. */
static const struct
{
  const char *name;
  const char *column;
} bulk_indexes[] = {
  { "debt_case_creditor", "creditor_id" },
  { "debt_case_status", "status" },
  { "debt_case_agent", "agent_id" },
  { "debt_case_next_contact", "next_contact_at" },
  { "debt_case_last_activity", "last_activity_at" },
  { "debt_case_last_contact", "last_contact_at" },
  /* 013-reports.sql, with the currency since 022: the ageing report's covering index */
  { "debt_case_ageing", "oldest_due_on, status, balance_minor, creditor_id, currency" },
};

/* The summary triggers of 024-report-summaries.sql that fire for every case and history row
 * an import writes (report_ageing_insert, report_ageing_update, report_roll_insert): a bulk
 * import in SQLite sets them aside (DROP TRIGGER inside the import's transaction: a failed
 * import brings them back with its rollback) and does their work in a few set statements at
 * the end (sum_run_roll(), sum_ageing()), then creates them again from their own SQL.
 * PostgreSQL keeps its triggers. */
static const char * const bulk_trigger_names[] = {
  "report_ageing_insert", "report_ageing_update", "report_roll_insert",
};

static void
read_trigger_sql (DdStatement *stmt,
                  gpointer     user_data)
{
  g_ptr_array_add (user_data, g_strdup (dd_statement_get_text (stmt, 0)));
}

static gboolean
set_summary_triggers_aside (DdCaseStore  *self,
                            GError      **error)
{
  g_autoptr(GPtrArray) sql = g_ptr_array_new_with_free_func (g_free);
  gboolean roll = FALSE, ageing = FALSE;

  if (!DD_IS_SQLITE_DATABASE (dd_store_db (self)))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (bulk_trigger_names); i++)
    {
      guint before = sql->len;

      if (!dd_database_query_each (dd_store_db (self), read_trigger_sql, sql, error,
                                   "SELECT sql FROM sqlite_master WHERE type = 'trigger'"
                                   " AND name = ?", DD_TEXT (bulk_trigger_names[i]), DD_END))
        return FALSE;
      if (sql->len == before)
        continue;
      if (g_str_has_prefix (bulk_trigger_names[i], "report_roll"))
        roll = TRUE;
      else
        ageing = TRUE;
    }
  /* both ageing triggers or neither: the sum below replaces what both do */
  if (ageing && sql->len - (roll ? 1 : 0) != 2)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (bulk_trigger_names); i++)
    {
      g_autofree char *drop = g_strdup_printf ("DROP TRIGGER IF EXISTS %s",
                                               bulk_trigger_names[i]);

      if (!dd_database_exec (dd_store_db (self), drop, error))
        return FALSE;
    }
  self->bulk_triggers = g_steal_pointer (&sql);
  self->bulk_roll = roll;
  self->bulk_ageing = ageing;
  return TRUE;
}

/* The run's balance history rows (ids above @history_before, one a case, all recorded now),
 * summed into report_roll and report_roll_case as report_roll_insert does row by row: the
 * summary is the same (tests/unit/test-importer.c, "bulk-summaries", compares both). The
 * statements read report_roll_case as it was before the run; the last one moves it on. */
#define RUN_HISTORY \
  "WITH r AS (SELECT h.case_id, h.balance_minor AS nb, h.currency AS ncur, h.recorded_at AS at," \
  "  CAST(substr(h.recorded_at, 1, 4) AS INTEGER) * 12" \
  "  + CAST(substr(h.recorded_at, 6, 2) AS INTEGER) - 1 AS m" \
  "  FROM balance_history h WHERE h.id > ?) "

static gboolean
sum_run_roll (DdCaseStore  *self,
              gint64        history_before,
              GError      **error)
{
  DdDatabase *db = dd_store_db (self);
  gboolean earlier = FALSE;

  /* a new office has no month-end balances yet: only the run's own are summed */
  if (!dd_database_exists (db, &earlier, error, "SELECT 1 FROM report_roll_case", DD_END))
    return FALSE;

  return /* out of order: the summary no longer holds */
         (!earlier
          || dd_database_execute (db, error,
                              "INSERT OR IGNORE INTO report_summary_dirty (name)"
                              " SELECT 'roll' WHERE EXISTS (SELECT 1 FROM balance_history h"
                              "  JOIN report_roll_case s ON s.case_id = h.case_id"
                              "  WHERE h.id > ? AND s.last_at > h.recorded_at)",
                              DD_INT (history_before), DD_END))
         /* the same month again: the month before rolls into the new balance instead */
         && (!earlier
             || dd_database_execute (db, error,
                                 RUN_HISTORY ", d AS (SELECT s.creditor_id AS cr,"
                                 "  s.prev_currency AS cur, s.prev_month AS fm,"
                                 "  s.last_month AS tm,"
                                 "  SUM(MIN(s.prev_balance, MAX(r.nb, 0))"
                                 "      - MIN(s.prev_balance, MAX(s.last_balance, 0))) AS dr"
                                 "  FROM r JOIN report_roll_case s ON s.case_id = r.case_id"
                                 "  WHERE s.prev_balance > 0 AND s.last_month = r.m"
                                 "  GROUP BY 1, 2, 3, 4)"
                                 " UPDATE report_roll SET rolled_minor = rolled_minor + d.dr"
                                 " FROM d WHERE report_roll.creditor_id = d.cr"
                                 " AND report_roll.currency = d.cur"
                                 " AND report_roll.from_month = d.fm"
                                 " AND report_roll.to_month = d.tm",
                                 DD_INT (history_before), DD_END))
         /* the last balance is no longer open-ended */
         && (!earlier
             || dd_database_execute (db, error,
                                 RUN_HISTORY ", d AS (SELECT s.creditor_id AS cr,"
                                 "  s.last_currency AS cur, s.last_month AS fm,"
                                 "  SUM(s.last_balance) AS db"
                                 "  FROM r JOIN report_roll_case s ON s.case_id = r.case_id"
                                 "  WHERE s.last_balance > 0 GROUP BY 1, 2, 3)"
                                 " UPDATE report_roll SET start_minor = start_minor - d.db,"
                                 " rolled_minor = rolled_minor - d.db"
                                 " FROM d WHERE report_roll.creditor_id = d.cr"
                                 " AND report_roll.currency = d.cur"
                                 " AND report_roll.from_month = d.fm"
                                 " AND report_roll.to_month = 2147483647",
                                 DD_INT (history_before), DD_END))
         /* a later month: the last balance rolls into this one; the new balance, open-ended */
         && dd_database_execute (db, error,
                                 RUN_HISTORY
                                 "INSERT INTO report_roll (creditor_id, currency, from_month,"
                                 " to_month, start_minor, rolled_minor)"
                                 " SELECT cr, cur, fm, tm, SUM(st), SUM(ro) FROM ("
                                 "  SELECT s.creditor_id AS cr, s.last_currency AS cur,"
                                 "   s.last_month AS fm, r.m AS tm, s.last_balance AS st,"
                                 "   MIN(s.last_balance, MAX(r.nb, 0)) AS ro"
                                 "  FROM r JOIN report_roll_case s ON s.case_id = r.case_id"
                                 "  WHERE s.last_balance > 0 AND s.last_month < r.m"
                                 "  UNION ALL"
                                 "  SELECT COALESCE(s.creditor_id, c.creditor_id), r.ncur, r.m,"
                                 "   2147483647, r.nb, r.nb"
                                 "  FROM r JOIN debt_case c ON c.id = r.case_id"
                                 "  LEFT JOIN report_roll_case s ON s.case_id = r.case_id"
                                 "  WHERE r.nb > 0)"
                                 " WHERE true GROUP BY 1, 2, 3, 4"
                                 " ON CONFLICT (creditor_id, currency, from_month, to_month)"
                                 " DO UPDATE SET start_minor = start_minor + excluded.start_minor,"
                                 " rolled_minor = rolled_minor + excluded.rolled_minor",
                                 DD_INT (history_before), DD_END)
         /* each case's last two month-end balances */
         && dd_database_execute (db, error,
                                 RUN_HISTORY
                                 "INSERT INTO report_roll_case (case_id, creditor_id, last_at,"
                                 " last_month, last_balance, last_currency)"
                                 " SELECT r.case_id, c.creditor_id, r.at, r.m, r.nb, r.ncur"
                                 " FROM r JOIN debt_case c ON c.id = r.case_id WHERE true"
                                 " ON CONFLICT (case_id) DO UPDATE"
                                 " SET prev_month = CASE WHEN excluded.last_month > last_month"
                                 "  THEN last_month ELSE prev_month END,"
                                 " prev_balance = CASE WHEN excluded.last_month > last_month"
                                 "  THEN last_balance ELSE prev_balance END,"
                                 " prev_currency = CASE WHEN excluded.last_month > last_month"
                                 "  THEN last_currency ELSE prev_currency END,"
                                 " last_at = excluded.last_at,"
                                 " last_month = excluded.last_month,"
                                 " last_balance = excluded.last_balance,"
                                 " last_currency = excluded.last_currency",
                                 DD_INT (history_before), DD_END);
}

/* report_ageing summed again from the cases (what 024-report-summaries.sql builds it with):
 * one pass over the cases instead of two upserts for every case the import wrote. The unary
 * + keeps SQLite from reaching the open cases through debt_case_balance (a look-up in the
 * table for each): it reads the covering index debt_case_ageing instead, 4× less CPU. */
static gboolean
sum_ageing (DdCaseStore  *self,
            GError      **error)
{
  return dd_database_exec (dd_store_db (self),
                           "DELETE FROM report_ageing;"
                           "INSERT INTO report_ageing (due_on, creditor_id, currency, cases,"
                           " balance_minor)"
                           " SELECT COALESCE(c.oldest_due_on, ''), c.creditor_id, c.currency,"
                           " COUNT(*), SUM(c.balance_minor)"
                           " FROM debt_case c WHERE c.status <> 'closed' AND +c.balance_minor > 0"
                           " GROUP BY 1, 2, 3",
                           error);
}

static gboolean
restore_summary_triggers (DdCaseStore  *self,
                          GError      **error)
{
  for (guint i = 0; self->bulk_triggers != NULL && i < self->bulk_triggers->len; i++)
    if (!dd_database_exec (dd_store_db (self), g_ptr_array_index (self->bulk_triggers, i),
                           error))
      return FALSE;
  return TRUE;
}

static gboolean
run_with_run_id (DdCaseStore  *self,
                 const char   *sql,
                 const char   *now,
                 gint64        run_id,
                 GError      **error)
{
  return dd_database_execute (dd_store_db (self), error, sql, DD_TEXT (now), DD_INT (run_id),
                              DD_END);
}

/* Marks paid the open invoices of @creditor_id that the run did not list; their cases join
 * the run so that their balances are recomputed. Adds how many were marked to @marked. */
static gboolean
mark_unlisted_paid (DdCaseStore  *self,
                    gint64        run_id,
                    gint64        creditor_id,
                    const char   *now,
                    gint64       *marked,
                    GError      **error)
{
  static const char count_paid[] = "SELECT COUNT(*) FROM liability WHERE paid_at IS NOT NULL";
  g_autofree char *today = today_text (self);
  gint64 before, after;

  /* what the invoices still owed is booked as paid in the accounting system */
  if (!dd_database_execute (dd_store_db (self), error,
                            "UPDATE debt_case SET last_import_run_id = ?, updated_at = ?,"
                            " booked_unmatched_on = ?, booked_unmatched_minor ="
                            " booked_unmatched_minor + (SELECT COALESCE(SUM(l.amount_minor), 0)"
                            "  FROM liability l WHERE l.case_id = debt_case.id"
                            "  AND l.paid_at IS NULL AND l.currency = debt_case.currency"
                            "  AND (l.import_run_id IS NULL OR l.import_run_id <> ?))"
                            " WHERE creditor_id = ? AND id IN (SELECT case_id FROM liability"
                            "  WHERE paid_at IS NULL"
                            "  AND (import_run_id IS NULL OR import_run_id <> ?))",
                            DD_INT (run_id), DD_TEXT (now), DD_TEXT (today), DD_INT (run_id),
                            DD_INT (creditor_id), DD_INT (run_id), DD_END)
      || !dd_database_query_int64 (dd_store_db (self), count_paid, &before, error)
      || !dd_database_execute (dd_store_db (self), error,
                               "UPDATE liability SET paid_at = ?, updated_at = ?"
                               " WHERE paid_at IS NULL"
                               " AND (import_run_id IS NULL OR import_run_id <> ?)"
                               " AND case_id IN (SELECT id FROM debt_case WHERE creditor_id = ?)",
                               DD_TEXT (now), DD_TEXT (now), DD_INT (run_id), DD_INT (creditor_id),
                               DD_END)
      || !dd_database_query_int64 (dd_store_db (self), count_paid, &after, error))
    return FALSE;
  *marked += after - before;
  return TRUE;
}

/* What a case owes after a receivables import, in SQL over the case aliased @c:
 *
 *   the open invoices of the export (their remaining amounts: what the accounting system
 *   says is still owed, payments it has booked already taken off; with an export of invoice
 *   totals only, the totals)
 *   − the payments matched here that no export has shown yet (payment.unbooked_minor).
 *
 * A matched payment counts from the day it is matched until an export lowers the case's
 * invoices by its amount (absorb_booked()); re-importing the same export, or one made before
 * the payment was booked, keeps it counted; an amount the exports lowered first covers a
 * payment that arrives later (dd-payment-store.c), so nothing is counted twice. */
#define CASE_UNBOOKED(c) \
  "COALESCE((SELECT SUM(p.unbooked_minor) FROM payment p" \
  "          WHERE p.case_id = " c ".id AND p.unbooked_minor > 0), 0)"
#define CASE_BALANCE(c) \
  "(COALESCE((SELECT SUM(l.amount_minor) FROM liability l" \
  "           WHERE l.case_id = " c ".id AND l.paid_at IS NULL), 0)" \
  " - " CASE_UNBOOKED (c) ")"

typedef struct
{
  gint64 payment_id;
  gint64 case_id;
  gint64 unbooked;
  gint64 booked;      /* the case's booked_unmatched_minor */
} Unbooked;

static const DdField unbooked_fields[] = {
  DD_FIELD (Unbooked, payment_id, INT64),
  DD_FIELD (Unbooked, case_id, INT64),
  DD_FIELD (Unbooked, unbooked, INT64),
  DD_FIELD (Unbooked, booked, INT64),
};
static const DdRowType unbooked_row = DD_ROW_TYPE (Unbooked, unbooked_fields);

/* The run's exports lowered some cases' invoices (booked_unmatched_minor): that much of the
 * payments matched here, oldest first and paid no later than today, is now in the accounting
 * system's figures and stops lowering the balance. What is left over waits for a payment that
 * arrives later. Only cases with payments not yet booked are read (a partial index). */
static gboolean
absorb_booked (DdCaseStore  *self,
               gint64        run_id,
               GError      **error)
{
  g_autofree char *today = today_text (self);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  gint64 case_id = 0, left = 0;

  if (!dd_database_fetch_all (dd_store_db (self), rows, dd_statement_read_row, &unbooked_row,
                              error,
                              "SELECT p.id, p.case_id, p.unbooked_minor,"
                              " c.booked_unmatched_minor"
                              " FROM payment p JOIN debt_case c ON c.id = p.case_id"
                              " WHERE p.unbooked_minor > 0 AND p.paid_on <= ?"
                              " AND c.last_import_run_id = ? AND c.booked_unmatched_minor > 0"
                              " ORDER BY p.case_id, p.paid_on, p.id",
                              DD_TEXT (today), DD_INT (run_id), DD_END))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      const Unbooked *row = g_ptr_array_index (rows, i);
      gint64 taken;

      if (row->case_id != case_id)
        {
          case_id = row->case_id;
          left = row->booked;
        }
      taken = MIN (left, row->unbooked);
      if (taken <= 0)
        continue;
      left -= taken;
      if (!dd_database_execute (dd_store_db (self), error,
                                "UPDATE payment SET unbooked_minor = unbooked_minor - ?"
                                " WHERE id = ?", DD_INT (taken), DD_INT (row->payment_id), DD_END)
          || !dd_database_execute (dd_store_db (self), error,
                                   "UPDATE debt_case SET booked_unmatched_minor ="
                                   " booked_unmatched_minor - ? WHERE id = ?",
                                   DD_INT (taken), DD_INT (case_id), DD_END))
        return FALSE;
    }
  return TRUE;
}

/* A balance history row for each case of the run whose balance changed. Streams over the cases
 * (no materialised subquery: memory stays flat at 1,000,000 cases). The LIMIT keeps the
 * subquery apart (SQLite would otherwise copy the balance into the outer WHERE and compute it
 * twice a case); SQLite runs it as a co-routine, row by row. */
static gboolean
record_balances (DdCaseStore  *self,
                 gint64        run_id,
                 const char   *now,
                 GError      **error)
{
  return run_with_run_id (self,
                          "INSERT INTO balance_history (case_id, balance_minor, currency, reason,"
                          " recorded_at, import_run_id)"
                          " SELECT b.id, b.balance, b.currency, 'import', ?, b.run"
                          " FROM (SELECT c.id, " CASE_BALANCE ("c") " AS balance,"
                          "  c.balance_minor AS stored, c.currency, c.last_import_run_id AS run"
                          "  FROM debt_case c WHERE c.last_import_run_id = ?"
                          "  LIMIT 9223372036854775807 OFFSET 0) b"
                          " WHERE b.balance <> b.stored",
                          now, run_id, error);
}

/* Whether the run rewrote most cases (a new office, a full re-export): then updating the list
 * indexes row by row costs more than rebuilding them. */
static gboolean
is_large_import (DdCaseStore  *self,
                 gint64        run_id,
                 gboolean     *out_large,
                 GError      **error)
{
  gint64 total = 0, touched = 0;

  if (!dd_database_query_int64 (dd_store_db (self), "SELECT COUNT(*) FROM debt_case", &total, error)
      || !dd_database_fetch_int64 (dd_store_db (self), &touched, NULL, error,
                                   "SELECT COUNT(*) FROM debt_case WHERE last_import_run_id = ?",
                                   DD_INT (run_id), DD_END))
    return FALSE;
  *out_large = touched >= 10000 && touched * 4 >= total;
  return TRUE;
}

static gboolean
drop_list_indexes (DdCaseStore  *self,
                   GError      **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (list_indexes); i++)
    {
      g_autofree char *drop = g_strdup_printf ("DROP INDEX %s", list_indexes[i].name);

      if (!dd_database_exec (dd_store_db (self), drop, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
create_list_indexes (DdCaseStore  *self,
                     GError      **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (list_indexes); i++)
    {
      g_autofree char *create = g_strdup_printf ("CREATE INDEX %s ON debt_case (%s)",
                                                 list_indexes[i].name, list_indexes[i].column);

      if (!dd_database_exec (dd_store_db (self), create, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
create_bulk_indexes (DdCaseStore  *self,
                     GError      **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (bulk_indexes); i++)
    {
      g_autofree char *create = g_strdup_printf ("CREATE INDEX %s ON debt_case (%s)",
                                                 bulk_indexes[i].name, bulk_indexes[i].column);

      if (!dd_database_exec (dd_store_db (self), create, error))
        return FALSE;
    }
  return TRUE;
}

/* SQLite sorts the keys of an index it builds in the writer's own thread as long as they
 * fit in the sort buffer, whose size is the page cache's (16 MiB): every index of the cases
 * list, even at 1,000,000 cases. With a sort buffer of 1 MiB and helper threads, it hands each
 * full buffer to a helper that sorts it and writes it to a temporary file while the writer
 * reads on, and merges them at the end: the writer does a third less (0.72 → 0.47 s of its
 * CPU for the ten indexes of 150,000 cases) on the core that the parsing thread has left
 * idle. The page cache is as small meanwhile and is given back its size afterwards. On a
 * single core nothing changes. */
typedef struct
{
  gint64 cache_size;
  gint64 threads;
  gboolean set;
} SortThreads;

static gboolean
begin_sort_threads (DdCaseStore  *self,
                    SortThreads  *saved,
                    GError      **error)
{
  DdDatabase *db = dd_store_db (self);
  guint helpers = MIN (2, g_get_num_processors () - 1);
  g_autofree char *sql = NULL;
  gint64 granted = 0;

  saved->set = FALSE;
  if (!DD_IS_SQLITE_DATABASE (db) || helpers == 0)
    return TRUE;
  if (!dd_database_query_int64 (db, "PRAGMA cache_size", &saved->cache_size, error)
      || !dd_database_query_int64 (db, "PRAGMA threads", &saved->threads, error))
    return FALSE;
  sql = g_strdup_printf ("PRAGMA threads = %u", helpers);
  if (!dd_database_exec (db, sql, error)
      || !dd_database_query_int64 (db, "PRAGMA threads", &granted, error))
    return FALSE;
  saved->set = TRUE;
  /* an SQLite built without helper threads: a small buffer would only mean more merging */
  return granted == 0 || dd_database_exec (db, "PRAGMA cache_size = -1024", error);
}

static gboolean
end_sort_threads (DdCaseStore        *self,
                  const SortThreads  *saved,
                  GError            **error)
{
  g_autofree char *sql = NULL;

  if (!saved->set)
    return TRUE;
  sql = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT "; PRAGMA threads = %"
                         G_GINT64_FORMAT, saved->cache_size, saved->threads);
  return dd_database_exec (dd_store_db (self), sql, error);
}

/* The list's columns of the run's cases: balance (CASE_BALANCE), oldest due date, debtor's
 * name. The balance and the due date come from one pass over the case's open invoices. */
static gboolean
refresh_list_columns (DdCaseStore  *self,
                      gint64        run_id,
                      const char   *now,
                      GError      **error)
{
  return run_with_run_id (self,
                          "UPDATE debt_case SET updated_at = ?,"
                          " (balance_minor, oldest_due_on) ="
                          " (SELECT COALESCE(SUM(l.amount_minor), 0)"
                          "   - " CASE_UNBOOKED ("debt_case") ", MIN(l.due_on)"
                          "  FROM liability l"
                          "  WHERE l.case_id = debt_case.id AND l.paid_at IS NULL),"
                          " debtor_name = (SELECT d.name FROM debtor d"
                          "                WHERE d.id = debt_case.debtor_id)"
                          " WHERE last_import_run_id = ?",
                          now, run_id, error);
}

/* Search rows of the debtors the run touched: two set statements, nothing per row. Debtors
 * the run made have ids above every search row: nothing of theirs to delete. */
static gboolean
refresh_search_rows (DdCaseStore  *self,
                     gint64        run_id,
                     GError      **error)
{
  return dd_database_execute (dd_store_db (self), error,
                              "DELETE FROM debtor_search WHERE rowid IN"
                              " (SELECT id FROM debtor WHERE last_import_run_id = ?"
                              "  AND id <= (SELECT COALESCE(MAX(rowid), 0) FROM debtor_search))",
                              DD_INT (run_id), DD_END)
         && dd_database_execute (dd_store_db (self), error,
                                 "INSERT INTO debtor_search (rowid, name, tax_id, phones,"
                                 " invoices, email) " SEARCH_ROW_SELECT
                                 " WHERE d.last_import_run_id = ?",
                                 DD_INT (run_id), DD_END);
}

/* The list's indexes after a large import, the bulk path's too, their keys sorted in helper
 * threads. */
static gboolean
create_indexes (DdCaseStore  *self,
                gboolean      large,
                GError      **error)
{
  SortThreads saved;
  gboolean ok;

  if (!large && !self->list_indexes_deferred)
    return TRUE;
  if (!begin_sort_threads (self, &saved, error))
    {
      end_sort_threads (self, &saved, NULL);
      return FALSE;
    }
  ok = create_list_indexes (self, error)
       && (!self->list_indexes_deferred || create_bulk_indexes (self, error));
  return end_sort_threads (self, &saved, ok ? error : NULL) && ok;
}

gboolean
dd_case_store_finish_import (DdCaseStore  *self,
                             gint64        run_id,
                             const gint64 *creditor_ids,
                             guint         n_creditor_ids,
                             gboolean      mark_missing_paid,
                             gint64       *out_marked_paid,
                             GError      **error)
{
  g_autofree char *now = dd_timestamp_now ();
  gint64 marked = 0, history_before = 0;
  gboolean large = FALSE;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);

  for (guint i = 0; mark_missing_paid && i < n_creditor_ids; i++)
    if (!mark_unlisted_paid (self, run_id, creditor_ids[i], now, &marked, error))
      return FALSE;

  if (!absorb_booked (self, run_id, error)
      || (self->bulk_roll
          && !dd_database_query_int64 (dd_store_db (self),
                                       "SELECT COALESCE(MAX(id), 0) FROM balance_history",
                                       &history_before, error))
      || !record_balances (self, run_id, now, error)
      || (self->bulk_roll && !sum_run_roll (self, history_before, error))
      || !is_large_import (self, run_id, &large, error)
      || (large && !self->list_indexes_deferred && !drop_list_indexes (self, error))
      || !refresh_list_columns (self, run_id, now, error)
      || !create_indexes (self, large, error)
      || (self->bulk_ageing && !sum_ageing (self, error))
      || !restore_summary_triggers (self, error)
      || !refresh_search_rows (self, run_id, error))
    return FALSE;
  self->list_indexes_deferred = FALSE;
  self->bulk_roll = FALSE;
  self->bulk_ageing = FALSE;
  g_clear_pointer (&self->bulk_triggers, g_ptr_array_unref);

  if (out_marked_paid)
    *out_marked_paid = marked;
  return TRUE;
}

/* Search index */

gboolean
dd_case_store_rebuild_search (DdCaseStore  *self,
                              GError      **error)
{
  gboolean ok;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  ok = dd_database_exec (dd_store_db (self), "DELETE FROM debtor_search", error)
       && dd_database_exec (dd_store_db (self),
                            "INSERT INTO debtor_search (rowid, name, tax_id, phones, invoices,"
                            " email) " SEARCH_ROW_SELECT,
                            error);
  return dd_database_finish (dd_store_db (self), ok, error);
}

gboolean
dd_case_store_refresh_search (DdCaseStore  *self,
                              const gint64 *debtor_ids,
                              guint         n_debtor_ids,
                              GError      **error)
{
  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  for (guint i = 0; i < n_debtor_ids; i++)
    if (!dd_database_execute (dd_store_db (self), error,
                              "DELETE FROM debtor_search WHERE rowid = ?",
                              DD_INT (debtor_ids[i]), DD_END)
        || !dd_database_execute (dd_store_db (self), error,
                                 "INSERT INTO debtor_search (rowid, name, tax_id, phones,"
                                 " invoices, email) " SEARCH_ROW_SELECT " WHERE d.id = ?",
                                 DD_INT (debtor_ids[i]), DD_END)
        || !dd_database_execute (dd_store_db (self), error,
                                 "UPDATE debt_case SET debtor_name ="
                                 " (SELECT name FROM debtor WHERE id = ?) WHERE debtor_id = ?",
                                 DD_INT (debtor_ids[i]), DD_INT (debtor_ids[i]), DD_END))
      return dd_database_finish (dd_store_db (self), FALSE, error);
  return dd_database_commit (dd_store_db (self), error);
}

/* Case page: each part of it a table of columns → fields */

static const DdField phone_fields[] = {
  DD_FIELD (DdCasePhone, id, INT64),
  DD_FIELD (DdCasePhone, e164, TEXT),
  DD_FIELD (DdCasePhone, kind, TEXT),
  DD_FIELD (DdCasePhone, label, TEXT),
  DD_FIELD (DdCasePhone, valid, BOOLEAN),
  DD_FIELD (DdCasePhone, hlr_status, TEXT),
  DD_FIELD (DdCasePhone, hlr_checked_at, TEXT),
};
static const DdRowType phone_row = DD_ROW_TYPE (DdCasePhone, phone_fields);

static const DdField liability_fields[] = {
  DD_FIELD (DdCaseLiability, id, INT64),
  DD_FIELD (DdCaseLiability, invoice_no, TEXT),
  DD_FIELD (DdCaseLiability, issued_on, TEXT),
  DD_FIELD (DdCaseLiability, due_on, TEXT),
  DD_FIELD (DdCaseLiability, amount_minor, INT64),
  DD_FIELD (DdCaseLiability, currency, TEXT),
  DD_FIELD (DdCaseLiability, paid_at, TEXT),
};
static const DdRowType liability_row = DD_ROW_TYPE (DdCaseLiability, liability_fields);

static const DdField balance_entry_fields[] = {
  DD_FIELD (DdCaseBalanceEntry, id, INT64),
  DD_FIELD (DdCaseBalanceEntry, balance_minor, INT64),
  DD_FIELD (DdCaseBalanceEntry, currency, TEXT),
  DD_FIELD (DdCaseBalanceEntry, reason, TEXT),
  DD_FIELD (DdCaseBalanceEntry, recorded_at, TEXT),
};
static const DdRowType balance_entry_row = DD_ROW_TYPE (DdCaseBalanceEntry, balance_entry_fields);

static const DdField declaration_fields[] = {
  DD_FIELD (DdCaseDeclaration, id, INT64),
  DD_FIELD (DdCaseDeclaration, amount_minor, INT64),
  DD_FIELD (DdCaseDeclaration, currency, TEXT),
  DD_FIELD (DdCaseDeclaration, promised_on, TEXT),
  DD_FIELD (DdCaseDeclaration, channel, TEXT),
  DD_FIELD (DdCaseDeclaration, state, TEXT),
  DD_FIELD (DdCaseDeclaration, agent_id, INT64),
  DD_FIELD (DdCaseDeclaration, created_at, TEXT),
};
static const DdRowType declaration_row = DD_ROW_TYPE (DdCaseDeclaration, declaration_fields);

static const DdField activity_fields[] = {
  DD_FIELD (DdCaseActivity, id, INT64),
  DD_FIELD (DdCaseActivity, kind, TEXT),
  DD_FIELD (DdCaseActivity, channel, TEXT),
  DD_FIELD (DdCaseActivity, body, TEXT),
  DD_FIELD (DdCaseActivity, refs, TEXT),
  DD_FIELD (DdCaseActivity, agent_id, INT64),
  DD_FIELD (DdCaseActivity, agent_name, TEXT),
  DD_FIELD (DdCaseActivity, created_at, TEXT),
  DD_FIELD (DdCaseActivity, amount_minor, INT64),
  DD_FIELD (DdCaseActivity, currency, TEXT),
};
static const DdRowType activity_row = DD_ROW_TYPE (DdCaseActivity, activity_fields);

/* The creditor's name (3) is translated by hand. */
static const DdField details_fields[] = {
  DD_FIELD (DdCaseDetails, id, INT64),
  DD_FIELD_NAMED (DdCaseDetails, status, status_names, DD_CASE_STATUS_NEW),
  DD_FIELD (DdCaseDetails, creditor_id, INT64),
  DD_FIELD_SKIPPED,
  DD_FIELD (DdCaseDetails, agent_id, INT64),
  DD_FIELD (DdCaseDetails, agent_name, TEXT),
  DD_FIELD (DdCaseDetails, next_contact_at, TEXT),
  DD_FIELD (DdCaseDetails, balance_minor, INT64),
  DD_FIELD (DdCaseDetails, currency, TEXT),
  DD_FIELD (DdCaseDetails, oldest_due_on, TEXT),
  DD_FIELD (DdCaseDetails, last_activity_at, TEXT),
  DD_FIELD (DdCaseDetails, created_at, TEXT),
  DD_FIELD (DdCaseDetails, closed_at, TEXT),
  DD_FIELD (DdCaseDetails, debtor_id, INT64),
  DD_FIELD (DdCaseDetails, debtor_name, TEXT),
  DD_FIELD (DdCaseDetails, tax_id, TEXT),
  DD_FIELD (DdCaseDetails, tax_id_kind, TEXT),
  DD_FIELD (DdCaseDetails, email, TEXT),
  DD_FIELD (DdCaseDetails, address, TEXT),
  DD_FIELD (DdCaseDetails, birthday, TEXT),
  DD_FIELD (DdCaseDetails, language, TEXT),
  DD_FIELD (DdCaseDetails, opt_out, BOOLEAN),
  DD_FIELD (DdCaseDetails, time_zone, TEXT),
};
static const DdRowType details_row = DD_ROW_TYPE (DdCaseDetails, details_fields);

static DD_DEFINE_ROW_FREE_FUNC (DdCasePhone, case_phone_free, phone_row)

GPtrArray *
dd_case_phones_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) case_phone_free);
}

gboolean
dd_case_phones_read (DdDatabase  *database,
                     gint64       debtor_id,
                     GPtrArray   *phones,
                     GError     **error)
{
  g_ptr_array_set_size (phones, 0);
  return dd_database_fetch_all (database, phones, dd_statement_read_row, &phone_row, error,
                                "SELECT id, e164, kind, label, valid, hlr_status, hlr_checked_at"
                                " FROM phone WHERE debtor_id = ? ORDER BY position, id",
                                DD_INT (debtor_id), DD_END);
}

static DD_DEFINE_ROW_FREE_FUNC (DdCaseLiability, case_liability_free, liability_row)
static DD_DEFINE_ROW_FREE_FUNC (DdCaseBalanceEntry, case_balance_entry_free, balance_entry_row)
static DD_DEFINE_ROW_FREE_FUNC (DdCaseDeclaration, case_declaration_free, declaration_row)
static DD_DEFINE_ROW_FREE_FUNC (DdCaseActivity, case_activity_free, activity_row)

void
dd_case_details_free (DdCaseDetails *details)
{
  if (details == NULL)
    return;
  g_free (details->creditor_name);
  g_clear_pointer (&details->phones, g_ptr_array_unref);
  g_clear_pointer (&details->liabilities, g_ptr_array_unref);
  g_clear_pointer (&details->balance_history, g_ptr_array_unref);
  g_clear_pointer (&details->declarations, g_ptr_array_unref);
  g_clear_pointer (&details->timeline, g_ptr_array_unref);
  dd_row_free (&details_row, details);
}

static gpointer
read_details (DdStatement   *stmt,
              gconstpointer  user_data)
{
  DdCaseDetails *details = dd_statement_read_row (stmt, &details_row);

  details->creditor_name = g_strdup (dd_creditor_display_name (dd_statement_get_text (stmt, 3)));
  return details;
}

DdCaseDetails *
dd_case_store_get_details (DdCaseStore  *self,
                           gint64        case_id,
                           GError      **error)
{
  g_autoptr(DdCaseDetails) details = NULL;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), NULL);

  if (!dd_database_fetch_row (dd_store_db (self), (gpointer *) &details, read_details, NULL, error,
                              "SELECT c.id, c.status, c.creditor_id, cr.name, c.agent_id, a.name,"
                              " c.next_contact_at, c.balance_minor, c.currency, c.oldest_due_on,"
                              " c.last_activity_at, c.created_at, c.closed_at, d.id, d.name,"
                              " d.tax_id, d.tax_id_kind, d.email, d.address, d.birthday,"
                              " d.language, d.opt_out, d.time_zone"
                              " FROM debt_case c JOIN debtor d ON d.id = c.debtor_id"
                              " JOIN creditor cr ON cr.id = c.creditor_id"
                              " LEFT JOIN agent a ON a.id = c.agent_id WHERE c.id = ?",
                              DD_INT (case_id), DD_END))
    return NULL;
  if (details == NULL)
    {
      g_set_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_NOT_FOUND,
                   _("The case %" PRId64 " does not exist."), case_id);
      return NULL;
    }

  details->phones = dd_case_phones_new ();
  details->liabilities = g_ptr_array_new_with_free_func ((GDestroyNotify) case_liability_free);
  details->balance_history = g_ptr_array_new_with_free_func ((GDestroyNotify) case_balance_entry_free);
  details->declarations = g_ptr_array_new_with_free_func ((GDestroyNotify) case_declaration_free);
  details->timeline = g_ptr_array_new_with_free_func ((GDestroyNotify) case_activity_free);

  if (!dd_case_phones_read (dd_store_db (self), details->debtor_id, details->phones, error) ||
      !dd_database_fetch_all (dd_store_db (self), details->liabilities, dd_statement_read_row,
                              &liability_row, error,
                              "SELECT id, invoice_no, issued_on, due_on, amount_minor, currency,"
                              " paid_at FROM liability WHERE case_id = ?"
                              " ORDER BY due_on, invoice_no",
                              DD_INT (case_id), DD_END) ||
      !dd_database_fetch_all (dd_store_db (self), details->balance_history, dd_statement_read_row,
                              &balance_entry_row, error,
                              "SELECT id, balance_minor, currency, reason, recorded_at"
                              " FROM balance_history WHERE case_id = ?"
                              " ORDER BY recorded_at DESC, id DESC",
                              DD_INT (case_id), DD_END) ||
      !dd_database_fetch_all (dd_store_db (self), details->declarations, dd_statement_read_row,
                              &declaration_row, error,
                              "SELECT id, amount_minor, currency, promised_on, channel, state,"
                              " agent_id, created_at FROM declaration WHERE case_id = ?"
                              " ORDER BY created_at DESC, id DESC",
                              DD_INT (case_id), DD_END) ||
      !dd_database_fetch_all (dd_store_db (self), details->timeline, dd_statement_read_row,
                              &activity_row, error,
                              "SELECT a.id, a.kind, a.channel, a.body, a.refs, a.agent_id, g.name,"
                              " a.created_at, 0, NULL FROM activity a"
                              " LEFT JOIN agent g ON g.id = a.agent_id WHERE a.case_id = ?"
                              " UNION ALL"
                              " SELECT 0, 'payment', p.source, NULL, NULL, 0, NULL, p.created_at,"
                              " p.amount_minor, p.currency FROM payment p WHERE p.case_id = ?"
                              " ORDER BY 8 DESC, 1 DESC",
                              DD_INT (case_id), DD_INT (case_id), DD_END))
    return NULL;

  return g_steal_pointer (&details);
}

/* Timeline */

const char *
dd_declaration_state_to_label (const char *state)
{
  if (g_strcmp0 (state, "pending") == 0)
    return _("Pending");
  if (g_strcmp0 (state, "kept") == 0)
    return _("Kept");
  if (g_strcmp0 (state, "broken") == 0)
    return _("Broken");
  return state;
}

static const char *
status_label_of (const char *name)
{
  DdCaseStatus status;

  if (name != NULL && dd_case_status_from_string (name, &status))
    return dd_case_status_to_label (status);
  return name != NULL ? name : "";
}

char *
dd_case_activity_describe (const DdCaseActivity *activity)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *refs;
  const char *from, *to, *reason;

  g_return_val_if_fail (activity != NULL, NULL);

  if (activity->refs == NULL ||
      !g_strv_contains ((const char * const[]) { "status", "declaration", "undo",
                                                 "declaration-settled", "payment-unassigned",
                                                 NULL },
                        activity->kind))
    return NULL;
  root = json_from_string (activity->refs, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  refs = json_node_get_object (root);
  reason = json_object_get_string_member_with_default (refs, "reason", "");
  if (g_str_equal (activity->kind, "payment-unassigned"))
    {
      g_autofree char *amount = dd_money_format (
        json_object_get_int_member_with_default (refs, "amount_minor", 0),
        json_object_get_string_member_with_default (refs, "currency", NULL),
        g_get_language_names ()[0]);

      /* Translators: a timeline row: a payment was taken off the case ("500,00 zł") */
      return g_strdup_printf (_("Payment of %s unassigned from the case"), amount);
    }
  from = json_object_get_string_member_with_default (refs, "from", NULL);
  to = json_object_get_string_member_with_default (refs, "to", NULL);
  if (from == NULL || to == NULL)
    return NULL;

  if (g_str_equal (activity->kind, "declaration-settled") && g_str_equal (reason, "payment"))
    /* Translators: a timeline row: a payment declaration's state after a payment came in
     * ("Pending → Kept") */
    return g_strdup_printf (_("Payment declaration %1$s → %2$s: the promised amount was paid"),
                            dd_declaration_state_to_label (from),
                            dd_declaration_state_to_label (to));
  if (g_str_equal (activity->kind, "declaration-settled") && g_str_equal (reason, "late-payment"))
    /* Translators: a timeline row: a payment came after the promised date plus the grace days
     * ("Pending → Broken") */
    return g_strdup_printf (_("Payment declaration %1$s → %2$s: the payment came after the "
                              "promised date"),
                            dd_declaration_state_to_label (from),
                            dd_declaration_state_to_label (to));
  if (g_str_equal (activity->kind, "declaration-settled") &&
      g_str_equal (reason, "payment-undone"))
    /* Translators: a timeline row: the payment that settled a declaration was unassigned
     * ("Kept → Pending") */
    return g_strdup_printf (_("Payment declaration %1$s → %2$s: the payment was unassigned"),
                            dd_declaration_state_to_label (from),
                            dd_declaration_state_to_label (to));
  if (g_str_equal (activity->kind, "status") && g_str_equal (reason, "paid"))
    /* Translators: a timeline row: the system closed a case whose balance reached zero
     * ("Payment declaration → Closed") */
    return g_strdup_printf (_("Status: %1$s → %2$s: paid in full"), status_label_of (from),
                            status_label_of (to));
  if (g_str_equal (activity->kind, "status") && g_str_equal (reason, "payment-undone"))
    /* Translators: a timeline row: a case closed as paid was reopened because its payment was
     * unassigned ("Closed → New") */
    return g_strdup_printf (_("Status: %1$s → %2$s: the payment was unassigned"),
                            status_label_of (from), status_label_of (to));
  if (g_str_equal (activity->kind, "declaration-settled"))
    /* Translators: a timeline row: a payment declaration's state when its case was closed
     * ("Pending → Broken") */
    return g_strdup_printf (_("Payment declaration %1$s → %2$s: the case was closed"),
                            dd_declaration_state_to_label (from),
                            dd_declaration_state_to_label (to));
  if (g_str_equal (activity->kind, "undo"))
    /* Translators: a timeline row: an undone change put the status back */
    return g_strdup_printf (_("Undone: status %1$s → %2$s"), status_label_of (from),
                            status_label_of (to));
  if (g_str_equal (activity->kind, "declaration"))
    {
      const char *currency = json_object_get_string_member_with_default (refs, "currency",
                                                                         NULL);
      const char *promised_on = json_object_get_string_member_with_default (refs,
                                                                            "promised_on", "");
      g_autofree char *amount = dd_money_format (json_object_get_int_member_with_default (
                                                   refs, "amount_minor", 0),
                                                 currency, g_get_language_names ()[0]);

      /* Translators: a timeline row: the status change of a payment declaration; %3$s is
       * the amount ("500,00 zł"), %4$s the date promised */
      return g_strdup_printf (_("Status: %1$s → %2$s, %3$s promised for %4$s"),
                              status_label_of (from), status_label_of (to), amount,
                              promised_on);
    }
  if (json_object_has_member (refs, "call_at"))
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (
        json_object_get_string_member_with_default (refs, "call_at", ""), NULL);
      g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
      g_autofree char *when = local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M")
                                            : NULL;

      if (when != NULL)
        /* Translators: a timeline row: "Status: New → Call later, call at 2026-12-10 09:00" */
        return g_strdup_printf (_("Status: %1$s → %2$s, call at %3$s"), status_label_of (from),
                                status_label_of (to), when);
    }
  /* Translators: a timeline row: the status of the case changed ("New → No answer") */
  return g_strdup_printf (_("Status: %1$s → %2$s"), status_label_of (from), status_label_of (to));
}

/* Actions */

static gboolean
is_contact_kind (const char *kind)
{
  return g_strv_contains ((const char * const[]) { "sms", "call", "email", "visit", NULL },
                          kind);
}

/* The role of @agent_id ("consultant", "manager"), or an error. */
static char *
agent_role (DdCaseStore  *self,
            gint64        agent_id,
            GError      **error)
{
  char *role = NULL;

  if (!dd_database_fetch_text (dd_store_db (self), &role, error,
                               "SELECT role FROM agent WHERE id = ? AND active <> 0",
                               DD_INT (agent_id), DD_END))
    return NULL;
  if (role == NULL)
    g_set_error_literal (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PERMISSION,
                         _("Only an active agent can change cases."));
  return role;
}

/* Where a case stands: what the checks of a change read. */
typedef struct
{
  char   *status;
  char   *currency;
  gint64  balance_minor;
} CaseState;

static const DdField case_state_fields[] = {
  DD_FIELD (CaseState, status, TEXT),
  DD_FIELD (CaseState, currency, TEXT),
  DD_FIELD (CaseState, balance_minor, INT64),
};
static const DdRowType case_state_row = DD_ROW_TYPE (CaseState, case_state_fields);

DD_DEFINE_ROW_AUTO_CLEAR (CaseState, case_state_row)

static gboolean
fetch_case_state (DdCaseStore  *self,
                  gint64        case_id,
                  CaseState    *out_state,
                  gboolean     *out_found,
                  GError      **error)
{
  return dd_database_fetch_fields (dd_store_db (self), &case_state_row, out_state, out_found,
                                   error,
                                   "SELECT status, currency, balance_minor FROM debt_case"
                                   " WHERE id = ?",
                                   DD_INT (case_id), DD_END);
}

/* Reads the case's status and currency; NOT_FOUND if it does not exist. */
static gboolean
case_state (DdCaseStore   *self,
            gint64         case_id,
            DdCaseStatus  *out_status,
            char         **out_currency,
            GError       **error)
{
  g_auto(CaseState) state = { NULL, NULL, 0 };
  gboolean found;

  if (!fetch_case_state (self, case_id, &state, &found, error))
    return FALSE;
  if (found)
    {
      if (!dd_case_status_from_string (state.status, out_status))
        *out_status = DD_CASE_STATUS_NEW;
      if (out_currency)
        *out_currency = g_steal_pointer (&state.currency);
    }
  else
    {
      g_set_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_NOT_FOUND,
                   _("The case %" PRId64 " does not exist."), case_id);
      return FALSE;
    }
  return TRUE;
}

static char *
object_to_json (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

/* Writes the activity and the audit row of one change (inside the caller's transaction)
 * and moves the case's last activity (and last contact). */
static gboolean
record_change_full (DdCaseStore  *self,
                    gint64        case_id,
                    const char   *kind,
                    const char   *channel,
                    const char   *body,
                    const char   *json,
                    gint64        agent_id,
                    gboolean      audit,
                    const char   *now,
                    GError      **error)
{
  g_autofree char *action = g_strconcat ("case.", kind, NULL);

  if (!dd_database_execute (dd_store_db (self), error,
                            "INSERT INTO activity (case_id, kind, channel, body, refs, agent_id,"
                            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            DD_INT (case_id), DD_TEXT (kind), DD_TEXT (channel), DD_TEXT (body),
                            DD_TEXT (json), DD_INT_IF (agent_id > 0, agent_id), DD_TEXT (now),
                            DD_END)
      || !dd_database_execute (dd_store_db (self), error,
                               "UPDATE debt_case SET last_activity_at = ?, updated_at = ?,"
                               " last_contact_at = CASE WHEN ? <> 0 THEN ? ELSE last_contact_at"
                               " END WHERE id = ?",
                               DD_TEXT (now), DD_TEXT (now), DD_INT (is_contact_kind (kind)),
                               DD_TEXT (now), DD_INT (case_id), DD_END))
    return FALSE;

  return !audit
         || dd_database_execute (dd_store_db (self), error,
                                 "INSERT INTO audit_log (at, agent_id, action, entity, entity_id,"
                                 " details) VALUES (?, ?, ?, 'debt_case', ?, ?)",
                                 DD_TEXT (now), DD_INT_IF (agent_id > 0, agent_id),
                                 DD_TEXT (action), DD_INT (case_id), DD_TEXT (json), DD_END);
}

static gboolean
record_change (DdCaseStore  *self,
               gint64        case_id,
               const char   *kind,
               const char   *body,
               JsonObject   *details,
               gint64        agent_id,
               gboolean      audit,
               const char   *now,
               GError      **error)
{
  g_autofree char *json = details ? object_to_json (details) : NULL;

  return record_change_full (self, case_id, kind, NULL, body, json, agent_id, audit, now, error);
}

gboolean
dd_case_store_add_activity (DdCaseStore  *self,
                            gint64        case_id,
                            const char   *kind,
                            const char   *channel,
                            const char   *body,
                            const char   *refs_json,
                            gint64        agent_id,
                            GError      **error)
{
  g_autofree char *now = dd_timestamp_now ();
  DdCaseStatus status;
  gboolean ok;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  ok = case_state (self, case_id, &status, NULL, error) &&
       record_change_full (self, case_id, kind, channel, body, refs_json, agent_id, FALSE, now,
                           error);
  return dd_database_finish (dd_store_db (self), ok, error);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

gboolean
dd_case_store_add_note (DdCaseStore  *self,
                        gint64        agent_id,
                        gint64        case_id,
                        const char   *text,
                        GError      **error)
{
  g_autofree char *now = dd_timestamp_now ();
  g_autofree char *role = NULL;
  DdCaseStatus status;
  gboolean ok;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);

  if (is_blank (text))
    {
      g_set_error_literal (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID,
                           _("The note is empty."));
      return FALSE;
    }
  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  ok = (role = agent_role (self, agent_id, error)) != NULL &&
       case_state (self, case_id, &status, NULL, error) &&
       record_change (self, case_id, "note", text, NULL, agent_id, TRUE, now, error);
  return dd_database_finish (dd_store_db (self), ok, error);
}

gboolean
dd_case_store_check_contact_time (DdCaseStore  *self,
                                  const char   *at,
                                  GError      **error)
{
  g_autoptr(GDateTime) parsed = NULL;
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);

  if (at == NULL)
    return TRUE;
  parsed = g_date_time_new_from_iso8601 (at, NULL);
  if (parsed == NULL)
    {
      g_set_error_literal (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID,
                           _("The date and time are not valid."));
      return FALSE;
    }
  now = clock_now (self);
  /* the entries have minutes: the current minute is not the past yet */
  if (now != NULL
      && g_date_time_difference (parsed, now) < -(gint64) (g_date_time_get_second (now)
                                                             * G_TIME_SPAN_SECOND))
    {
      g_set_error_literal (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PAST,
                           _("This time has already passed: choose a time from now on."));
      return FALSE;
    }
  return TRUE;
}

gboolean
dd_case_store_check_promised_on (DdCaseStore  *self,
                                 const char   *promised_on,
                                 GError      **error)
{
  GDate date;
  GDate today;
  GDate last;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);

  if (promised_on == NULL || !dd_date_from_iso (promised_on, &date))
    {
      g_set_error_literal (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID,
                           _("A payment declaration needs the promised payment date."));
      return FALSE;
    }
  clock_today (self, &today);
  if (g_date_compare (&date, &today) < 0)
    {
      g_set_error_literal (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PAST,
                           _("The promised date has passed: a payment can be promised for "
                             "today or later."));
      return FALSE;
    }
  last = today;
  g_date_add_days (&last, self->max_promise_days);
  if (g_date_compare (&date, &last) > 0)
    {
      g_autofree char *last_text = dd_date_to_iso (&last);

      /* Translators: %1$u is a number of days (90), %2$s the last date allowed */
      g_set_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_TOO_FAR,
                   g_dngettext (GETTEXT_PACKAGE,
                                "A payment can be promised at most %1$u day ahead, until %2$s.",
                                "A payment can be promised at most %1$u days ahead, until %2$s.",
                                self->max_promise_days),
                   self->max_promise_days, last_text);
      return FALSE;
    }
  return TRUE;
}

gboolean
dd_case_store_check_amount (DdCaseStore   *self,
                            const gint64  *case_ids,
                            guint          n_case_ids,
                            gint64         amount_minor,
                            const char    *currency,
                            gboolean       above_balance_confirmed,
                            GError       **error)
{
  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);

  if (amount_minor <= 0)
    {
      g_set_error_literal (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID,
                           _("A payment declaration needs an amount above zero."));
      return FALSE;
    }
  if (above_balance_confirmed)
    return TRUE;

  for (guint i = 0; i < n_case_ids; i++)
    {
      g_auto(CaseState) row = { NULL, NULL, 0 };
      g_autofree char *balance = NULL;
      gboolean found;

      if (!fetch_case_state (self, case_ids[i], &row, &found, error))
        return FALSE;
      if (found && (currency == NULL || g_strcmp0 (currency, row.currency) == 0)
          && amount_minor > row.balance_minor)
        balance = dd_money_format (row.balance_minor, row.currency, g_get_language_names ()[0]);
      if (balance != NULL)
        {
          /* Translators: %s is the case's balance ("601,86 zł") */
          g_set_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_ABOVE_BALANCE,
                       _("The amount is more than the balance of %s."), balance);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
validate_change (DdCaseStore           *self,
                 const DdStatusChange  *change,
                 GError               **error)
{
  if (change->status > DD_CASE_STATUS_CLOSED)
    {
      g_set_error_literal (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID,
                           _("Unknown case status."));
      return FALSE;
    }
  if (change->status == DD_CASE_STATUS_CALL_LATER)
    {
      if (change->call_at == NULL)
        {
          g_set_error_literal (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID,
                               _("“Call later” needs the date and time of the call."));
          return FALSE;
        }
      if (!dd_case_store_check_contact_time (self, change->call_at, error))
        return FALSE;
    }
  if (change->status == DD_CASE_STATUS_PAYMENT_DECLARATION)
    {
      if (change->amount_minor <= 0)
        {
          g_set_error_literal (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID,
                               _("A payment declaration needs an amount above zero."));
          return FALSE;
        }
      if (!dd_case_store_check_promised_on (self, change->promised_on, error))
        return FALSE;
    }
  return TRUE;
}

const char *
dd_case_store_refusal (const char   *role,
                       DdCaseStatus  from,
                       DdCaseStatus  to)
{
  if (role == NULL)
    return _("Only an active agent can change cases.");
  if ((to == DD_CASE_STATUS_CLOSED || from == DD_CASE_STATUS_CLOSED) &&
      g_strcmp0 (role, "manager") != 0)
    return to == DD_CASE_STATUS_CLOSED
           ? _("Only a manager can close a case.")
           : _("Only a manager can reopen a closed case.");
  return NULL;
}

static gboolean
check_may_set_status (const char    *role,
                      DdCaseStatus   from,
                      DdCaseStatus   to,
                      GError       **error)
{
  const char *refusal = dd_case_store_refusal (role, from, to);

  if (refusal != NULL)
    {
      g_set_error_literal (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PERMISSION, refusal);
      return FALSE;
    }
  return TRUE;
}

/* Closing a case: its pending declarations are settled, kept if nothing is owed any more,
 * else broken, each with an activity and an audit row. */
typedef struct
{
  GArray *ids;
  gint64  balance;
} PendingDeclarations;

static void
add_pending_declaration (DdStatement *stmt,
                         gpointer     data)
{
  PendingDeclarations *pending = data;
  gint64 id = dd_statement_get_int64 (stmt, 0);

  pending->balance = dd_statement_get_int64 (stmt, 1);
  g_array_append_val (pending->ids, id);
}

static gboolean
settle_declarations (DdCaseStore  *self,
                     gint64        case_id,
                     gint64        agent_id,
                     const char   *now,
                     GError      **error)
{
  PendingDeclarations pending = { g_array_new (FALSE, FALSE, sizeof (gint64)), 0 };
  g_autoptr(GArray) ids = pending.ids;
  const char *state;

  if (!dd_database_query_each (dd_store_db (self), add_pending_declaration, &pending, error,
                               "SELECT d.id, c.balance_minor FROM declaration d"
                               " JOIN debt_case c ON c.id = d.case_id"
                               " WHERE d.case_id = ? AND d.state = 'pending' ORDER BY d.id",
                               DD_INT (case_id), DD_END))
    return FALSE;

  state = pending.balance <= 0 ? "kept" : "broken";
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(JsonObject) details = json_object_new ();
      gint64 id = g_array_index (ids, gint64, i);

      if (!dd_database_execute (dd_store_db (self), error,
                                "UPDATE declaration SET state = ? WHERE id = ?",
                                DD_TEXT (state), DD_INT (id), DD_END))
        return FALSE;
      json_object_set_int_member (details, "declaration_id", id);
      json_object_set_string_member (details, "from", "pending");
      json_object_set_string_member (details, "to", state);
      json_object_set_string_member (details, "reason", "case-closed");
      if (!record_change (self, case_id, "declaration-settled", NULL, details, agent_id, TRUE,
                          now, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
set_status_one (DdCaseStore          *self,
                const char           *role,
                gint64                agent_id,
                gint64                case_id,
                const DdStatusChange *change,
                const char           *now,
                GError              **error)
{
  g_autoptr(JsonObject) details = json_object_new ();
  g_autofree char *case_currency = NULL;
  const char *currency;
  const char *kind = "status";
  DdCaseStatus from;

  if (!case_state (self, case_id, &from, &case_currency, error) ||
      !check_may_set_status (role, from, change->status, error))
    return FALSE;
  currency = change->currency ? change->currency : case_currency;
  if (change->status == DD_CASE_STATUS_PAYMENT_DECLARATION &&
      !dd_case_store_check_amount (self, &case_id, 1, change->amount_minor, currency,
                                   change->above_balance_confirmed, error))
    return FALSE;

  if (!dd_database_execute (dd_store_db (self), error,
                            "UPDATE debt_case SET status = ?, updated_at = ?,"
                            " closed_at = CASE WHEN ? <> 0 THEN ? ELSE NULL END,"
                            " next_contact_at = COALESCE(?, next_contact_at) WHERE id = ?",
                            DD_TEXT (dd_case_status_to_string (change->status)), DD_TEXT (now),
                            DD_INT (change->status == DD_CASE_STATUS_CLOSED), DD_TEXT (now),
                            DD_TEXT (change->status == DD_CASE_STATUS_CALL_LATER
                                     ? change->call_at : NULL),
                            DD_INT (case_id), DD_END))
    return FALSE;

  json_object_set_string_member (details, "from", dd_case_status_to_string (from));
  json_object_set_string_member (details, "to", dd_case_status_to_string (change->status));
  if (change->status == DD_CASE_STATUS_CALL_LATER)
    json_object_set_string_member (details, "call_at", change->call_at);
  if (change->status == DD_CASE_STATUS_PAYMENT_DECLARATION)
    {
      gint64 declaration_id;

      if (!dd_database_insert (dd_store_db (self), &declaration_id, error,
                               "INSERT INTO declaration (case_id, amount_minor, currency,"
                               " promised_on, channel, agent_id, created_at)"
                               " VALUES (?, ?, ?, ?, 'agent', ?, ?)",
                               DD_INT (case_id), DD_INT (change->amount_minor), DD_TEXT (currency),
                               DD_TEXT (change->promised_on), DD_INT_IF (agent_id > 0, agent_id),
                               DD_TEXT (now), DD_END))
        return FALSE;
      kind = "declaration";
      json_object_set_int_member (details, "declaration_id", declaration_id);
      json_object_set_int_member (details, "amount_minor", change->amount_minor);
      json_object_set_string_member (details, "currency", currency);
      json_object_set_string_member (details, "promised_on", change->promised_on);
    }
  if (change->note != NULL && *change->note != '\0')
    json_object_set_string_member (details, "note", change->note);

  if (!record_change (self, case_id, kind, change->note, details, agent_id, TRUE, now, error))
    return FALSE;
  if (change->status == DD_CASE_STATUS_CLOSED && from != DD_CASE_STATUS_CLOSED)
    return settle_declarations (self, case_id, agent_id, now, error);
  return TRUE;
}

gboolean
dd_case_store_bulk_set_status (DdCaseStore          *self,
                               gint64                agent_id,
                               const gint64         *case_ids,
                               guint                 n_case_ids,
                               const DdStatusChange *change,
                               GError              **error)
{
  g_autofree char *now = dd_timestamp_now ();
  g_autofree char *role = NULL;
  gboolean ok;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);
  g_return_val_if_fail (change != NULL, FALSE);

  if (!validate_change (self, change, error))
    return FALSE;
  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  ok = (role = agent_role (self, agent_id, error)) != NULL;
  for (guint i = 0; ok && i < n_case_ids; i++)
    ok = set_status_one (self, role, agent_id, case_ids[i], change, now, error);
  return dd_database_finish (dd_store_db (self), ok, error);
}

gboolean
dd_case_store_set_status (DdCaseStore          *self,
                          gint64                agent_id,
                          gint64                case_id,
                          const DdStatusChange *change,
                          GError              **error)
{
  return dd_case_store_bulk_set_status (self, agent_id, &case_id, 1, change, error);
}

gboolean
dd_case_store_close (DdCaseStore  *self,
                     gint64        agent_id,
                     gint64        case_id,
                     const char   *note,
                     GError      **error)
{
  DdStatusChange change = { .status = DD_CASE_STATUS_CLOSED, .note = note };

  return dd_case_store_set_status (self, agent_id, case_id, &change, error);
}

static gboolean
assign_one (DdCaseStore  *self,
            gint64        agent_id,
            gint64        case_id,
            gint64        assignee_id,
            const char   *now,
            GError      **error)
{
  g_autoptr(JsonObject) details = json_object_new ();
  DdCaseStatus status;

  if (!case_state (self, case_id, &status, NULL, error)
      || !dd_database_execute (dd_store_db (self), error,
                               "UPDATE debt_case SET agent_id = ?, updated_at = ? WHERE id = ?",
                               DD_INT_IF (assignee_id > 0, assignee_id), DD_TEXT (now),
                               DD_INT (case_id), DD_END))
    return FALSE;
  if (assignee_id > 0)
    json_object_set_int_member (details, "agent_id", assignee_id);
  else
    json_object_set_null_member (details, "agent_id");
  return record_change (self, case_id, "assign", NULL, details, agent_id, TRUE, now, error);
}

gboolean
dd_case_store_bulk_assign (DdCaseStore   *self,
                           gint64         agent_id,
                           const gint64  *case_ids,
                           guint          n_case_ids,
                           gint64         assignee_id,
                           GError       **error)
{
  g_autofree char *now = dd_timestamp_now ();
  g_autofree char *role = NULL;
  g_autofree char *assignee_role = NULL;
  gboolean ok;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  ok = (role = agent_role (self, agent_id, error)) != NULL;
  if (ok && assignee_id > 0)
    {
      g_autoptr(GError) local_error = NULL;

      assignee_role = agent_role (self, assignee_id, &local_error);
      if (assignee_role == NULL)
        {
          ok = FALSE;
          if (g_error_matches (local_error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PERMISSION))
            g_set_error_literal (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_NOT_FOUND,
                                 _("Cases can only be assigned to an active agent."));
          else
            g_propagate_error (error, g_steal_pointer (&local_error));
        }
    }
  for (guint i = 0; ok && i < n_case_ids; i++)
    ok = assign_one (self, agent_id, case_ids[i], assignee_id, now, error);
  return dd_database_finish (dd_store_db (self), ok, error);
}

gboolean
dd_case_store_assign (DdCaseStore  *self,
                      gint64        agent_id,
                      gint64        case_id,
                      gint64        assignee_id,
                      GError      **error)
{
  return dd_case_store_bulk_assign (self, agent_id, &case_id, 1, assignee_id, error);
}

/* HLR */

const char *
dd_hlr_status_to_label (const char *status)
{
  if (g_strcmp0 (status, "reachable") == 0 || g_strcmp0 (status, "active") == 0 ||
      g_strcmp0 (status, "valid") == 0)
    /* Translators: result of a look-up of a phone number in the operators' register */
    return C_("hlr", "Reachable");
  if (g_strcmp0 (status, "unreachable") == 0 || g_strcmp0 (status, "absent") == 0)
    /* Translators: result of a look-up of a phone number in the operators' register */
    return C_("hlr", "Unreachable");
  if (g_strcmp0 (status, "invalid") == 0 || g_strcmp0 (status, "dead") == 0)
    /* Translators: result of a look-up of a phone number in the operators' register */
    return C_("hlr", "Not in service");
  if (g_strcmp0 (status, "ported") == 0)
    /* Translators: result of a look-up of a phone number: moved to another operator */
    return C_("hlr", "Ported");
  /* Translators: result of a look-up of a phone number in the operators' register */
  return C_("hlr", "Unknown");
}

gboolean
dd_case_store_record_hlr (DdCaseStore  *self,
                          gint64        agent_id,
                          const char   *e164,
                          const char   *status,
                          const char   *network,
                          const char   *checked_at,
                          guint        *out_n_cases,
                          GError      **error)
{
  g_autofree char *now = dd_timestamp_now ();
  g_autoptr(GArray) cases = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonObject) details = json_object_new ();
  g_autofree char *body = NULL;
  gboolean ok;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);
  g_return_val_if_fail (e164 != NULL && status != NULL, FALSE);

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  ok = dd_database_execute (dd_store_db (self), error,
                            "UPDATE phone SET hlr_status = ?, hlr_checked_at = ?,"
                            " valid = CASE WHEN ? = 'invalid' THEN 0 ELSE valid END"
                            " WHERE e164 = ?",
                            DD_TEXT (status), DD_TEXT (checked_at != NULL ? checked_at : now),
                            DD_TEXT (status), DD_TEXT (e164), DD_END)
       && dd_database_fetch_ids (dd_store_db (self), cases, error,
                                 "SELECT c.id FROM debt_case c JOIN phone p"
                                 " ON p.debtor_id = c.debtor_id WHERE p.e164 = ? ORDER BY c.id",
                                 DD_TEXT (e164), DD_END);

  json_object_set_string_member (details, "e164", e164);
  json_object_set_string_member (details, "status", status);
  if (network != NULL)
    json_object_set_string_member (details, "network", network);
  /* Translators: case timeline; the first %s is a phone number, the second the result of
   * its look-up ("Unreachable") */
  body = g_strdup_printf (_("Number %s checked: %s"), e164, dd_hlr_status_to_label (status));
  for (guint i = 0; ok && i < cases->len; i++)
    ok = record_change (self, g_array_index (cases, gint64, i), "hlr", body, details, agent_id,
                        TRUE, now, error);
  if (!dd_database_finish (dd_store_db (self), ok, error))
    return FALSE;
  if (out_n_cases != NULL)
    *out_n_cases = cases->len;
  return TRUE;
}

/* Undo */

typedef struct
{
  gint64        case_id;
  DdCaseStatus  status;
  char         *next_contact_at;
  char         *closed_at;
  gint64        agent_id;
  gint64        last_declaration_id;
  char         *pending_declarations;   /* ids of the pending ones, "3,7", or NULL */
} CaseSnapshot;

struct _DdCaseUndo
{
  GArray *cases;   /* of CaseSnapshot */
};

static void
case_snapshot_clear (gpointer data)
{
  CaseSnapshot *snapshot = data;

  g_free (snapshot->next_contact_at);
  g_free (snapshot->closed_at);
  g_free (snapshot->pending_declarations);
}

void
dd_case_undo_free (DdCaseUndo *undo)
{
  if (undo == NULL)
    return;
  g_array_unref (undo->cases);
  g_free (undo);
}

guint
dd_case_undo_get_n_cases (const DdCaseUndo *undo)
{
  g_return_val_if_fail (undo != NULL, 0);

  return undo->cases->len;
}

typedef struct
{
  GArray *cases;
  gint64  case_id;
} SnapshotTarget;

static void
add_snapshot (DdStatement *stmt,
              gpointer     data)
{
  SnapshotTarget *target = data;
  CaseSnapshot snapshot = { .case_id = target->case_id };

  if (!dd_case_status_from_string (dd_statement_get_text (stmt, 0), &snapshot.status))
    snapshot.status = DD_CASE_STATUS_NEW;
  snapshot.next_contact_at = dd_statement_dup_text (stmt, 1);
  snapshot.closed_at = dd_statement_dup_text (stmt, 2);
  snapshot.agent_id = dd_statement_get_int64 (stmt, 3);
  snapshot.last_declaration_id = dd_statement_get_int64 (stmt, 4);
  snapshot.pending_declarations = dd_statement_dup_text (stmt, 5);
  g_array_append_val (target->cases, snapshot);
}

DdCaseUndo *
dd_case_store_snapshot (DdCaseStore   *self,
                        const gint64  *case_ids,
                        guint          n_case_ids,
                        GError       **error)
{
  g_autoptr(DdCaseUndo) undo = g_new0 (DdCaseUndo, 1);

  g_return_val_if_fail (DD_IS_CASE_STORE (self), NULL);

  undo->cases = g_array_sized_new (FALSE, TRUE, sizeof (CaseSnapshot), n_case_ids);
  g_array_set_clear_func (undo->cases, case_snapshot_clear);
  for (guint i = 0; i < n_case_ids; i++)
    {
      SnapshotTarget target = { undo->cases, case_ids[i] };

      if (!dd_database_query_each (dd_store_db (self), add_snapshot, &target, error,
                                   "SELECT status, next_contact_at, closed_at, agent_id,"
                                   " (SELECT COALESCE(MAX(id), 0) FROM declaration"
                                   "  WHERE case_id = debt_case.id),"
                                   " (SELECT group_concat(id, ',') FROM declaration"
                                   "  WHERE case_id = debt_case.id AND state = 'pending')"
                                   " FROM debt_case WHERE id = ?",
                                   DD_INT (case_ids[i]), DD_END))
        return NULL;
    }
  return g_steal_pointer (&undo);
}

static gboolean
undo_one (DdCaseStore         *self,
          const char          *role,
          gint64               agent_id,
          const CaseSnapshot  *snapshot,
          const char          *now,
          GError             **error)
{
  g_autoptr(JsonObject) details = json_object_new ();
  DdCaseStatus current;
  gint64 removed;

  if (!case_state (self, snapshot->case_id, &current, NULL, error) ||
      !check_may_set_status (role, current, snapshot->status, error))
    return FALSE;

  if (!dd_database_execute (dd_store_db (self), error,
                            "UPDATE debt_case SET status = ?, next_contact_at = ?, closed_at = ?,"
                            " agent_id = ?, updated_at = ? WHERE id = ?",
                            DD_TEXT (dd_case_status_to_string (snapshot->status)),
                            DD_TEXT (snapshot->next_contact_at), DD_TEXT (snapshot->closed_at),
                            DD_INT_IF (snapshot->agent_id > 0, snapshot->agent_id), DD_TEXT (now),
                            DD_INT (snapshot->case_id), DD_END)
      || !dd_database_execute (dd_store_db (self), error,
                               "DELETE FROM declaration WHERE case_id = ? AND id > ?",
                               DD_INT (snapshot->case_id), DD_INT (snapshot->last_declaration_id),
                               DD_END))
    return FALSE;
  removed = dd_database_changes (dd_store_db (self));

  /* declarations a close settled are pending again */
  if (!dd_database_execute (dd_store_db (self), error,
                            "UPDATE declaration SET state = 'pending' WHERE case_id = ?"
                            " AND state <> 'pending'"
                            " AND instr(',' || ? || ',', ',' || id || ',') > 0",
                            DD_INT (snapshot->case_id),
                            DD_TEXT (snapshot->pending_declarations != NULL
                                     ? snapshot->pending_declarations : ""),
                            DD_END))
    return FALSE;

  json_object_set_string_member (details, "from", dd_case_status_to_string (current));
  json_object_set_string_member (details, "to", dd_case_status_to_string (snapshot->status));
  if (snapshot->agent_id > 0)
    json_object_set_int_member (details, "agent_id", snapshot->agent_id);
  else
    json_object_set_null_member (details, "agent_id");
  json_object_set_string_member (details, "next_contact_at", snapshot->next_contact_at);
  json_object_set_int_member (details, "declarations_removed", removed);
  return record_change (self, snapshot->case_id, "undo", NULL, details, agent_id, TRUE, now,
                        error);
}

gboolean
dd_case_store_undo (DdCaseStore       *self,
                    gint64             agent_id,
                    const DdCaseUndo  *undo,
                    GError           **error)
{
  g_autofree char *now = dd_timestamp_now ();
  g_autofree char *role = NULL;
  gboolean ok;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);
  g_return_val_if_fail (undo != NULL, FALSE);

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  ok = (role = agent_role (self, agent_id, error)) != NULL;
  for (guint i = 0; ok && i < undo->cases->len; i++)
    ok = undo_one (self, role, agent_id, &g_array_index (undo->cases, CaseSnapshot, i), now,
                   error);
  return dd_database_finish (dd_store_db (self), ok, error);
}

gboolean
dd_case_store_set_next_contact (DdCaseStore  *self,
                                gint64        agent_id,
                                gint64        case_id,
                                const char   *at,
                                GError      **error)
{
  g_autofree char *now = dd_timestamp_now ();
  g_autofree char *role = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  DdCaseStatus status;
  gboolean ok;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);

  if (at != NULL)
    {
      if (!dd_case_store_check_contact_time (self, at, error))
        return FALSE;
      json_object_set_string_member (details, "next_contact_at", at);
    }
  else
    json_object_set_null_member (details, "next_contact_at");

  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  ok = (role = agent_role (self, agent_id, error)) != NULL &&
       case_state (self, case_id, &status, NULL, error);
  ok = ok && dd_database_execute (dd_store_db (self), error,
                                  "UPDATE debt_case SET next_contact_at = ?, updated_at = ?"
                                  " WHERE id = ?",
                                  DD_TEXT (at), DD_TEXT (now), DD_INT (case_id), DD_END);
  ok = ok && record_change (self, case_id, "next-contact", NULL, details, agent_id, TRUE, now,
                            error);
  return dd_database_finish (dd_store_db (self), ok, error);
}

/* CSV export */

static void
append_csv_field (GString    *line,
                  gboolean    first,
                  const char *value)
{
  if (!first)
    g_string_append_c (line, ';');
  if (value == NULL)
    return;
  if (strpbrk (value, ";\"\r\n") == NULL)
    {
      g_string_append (line, value);
      return;
    }
  g_string_append_c (line, '"');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

static char *
format_amount (gint64      minor,
               const char *currency)
{
  guint digits = dd_money_currency_digits (currency);
  guint64 scale = 1, magnitude;

  if (digits == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, minor);
  for (guint i = 0; i < digits; i++)
    scale *= 10;
  magnitude = minor < 0 ? -(guint64) minor : (guint64) minor;
  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT, minor < 0 ? "-" : "",
                          magnitude / scale, (int) digits, magnitude % scale);
}

static gboolean
flush_csv (GOutputStream  *out,
           GString        *buffer,
           GCancellable   *cancellable,
           GError        **error)
{
  gboolean ok = g_output_stream_write_all (out, buffer->str, buffer->len, NULL, cancellable,
                                           error);

  g_string_truncate (buffer, 0);
  return ok;
}

gboolean
dd_case_store_export_csv (DdCaseStore        *self,
                          const DdCaseQuery  *query,
                          GOutputStream      *out,
                          GCancellable       *cancellable,
                          GError            **error)
{
  return dd_case_store_export_csv_selected (self, query, NULL, 0, out, cancellable, error);
}

gboolean
dd_case_store_export_csv_selected (DdCaseStore        *self,
                                   const DdCaseQuery  *query,
                                   const gint64       *case_ids,
                                   guint               n_case_ids,
                                   GOutputStream      *out,
                                   GCancellable       *cancellable,
                                   GError            **error)
{
  g_autoptr(GHashTable) wanted = NULL;
  g_autoptr(DdCaseQuerySql) sql = NULL;
  g_autoptr(DdStatement) stmt = NULL;
  g_autoptr(GString) buffer = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  const char *header[] = {
    _("Case"), _("Debtor"), _("Tax ID"), _("Creditor"), _("Balance"), _("Currency"),
    _("Oldest due date"), _("Status"), _("Next contact"), _("Last activity"), _("Agent"),
  };

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);
  g_return_val_if_fail (query != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    append_csv_field (buffer, i == 0, header[i]);
  g_string_append (buffer, "\r\n");

  sql = dd_case_query_build (query,
                             "c.id, c.debtor_name, d.tax_id, cr.name, c.balance_minor,"
                             " c.currency, c.oldest_due_on, c.status, c.next_contact_at,"
                             " c.last_activity_at, a.name",
                             TRUE);
  stmt = dd_case_query_sql_prepare (sql, dd_store_db (self), error);
  if (stmt == NULL)
    return FALSE;
  if (case_ids != NULL)
    {
      wanted = g_hash_table_new (g_int64_hash, g_int64_equal);
      for (guint i = 0; i < n_case_ids; i++)
        g_hash_table_add (wanted, (gpointer) &case_ids[i]);
    }
  while (dd_statement_step (stmt, &local_error))
    {
      gint64 case_id = dd_statement_get_int64 (stmt, 0);
      g_autofree char *id = NULL;
      g_autofree char *amount = NULL;
      DdCaseStatus status;

      /* the selection is filtered here, in the query's order, rather than in SQL: it may
       * hold a million ids, more than a statement takes as parameters */
      if (wanted != NULL && !g_hash_table_contains (wanted, &case_id))
        continue;
      id = g_strdup_printf ("%" G_GINT64_FORMAT, case_id);
      amount = format_amount (dd_statement_get_int64 (stmt, 4), dd_statement_get_text (stmt, 5));

      append_csv_field (buffer, TRUE, id);
      append_csv_field (buffer, FALSE, dd_statement_get_text (stmt, 1));
      append_csv_field (buffer, FALSE, dd_statement_get_text (stmt, 2));
      append_csv_field (buffer, FALSE, dd_creditor_display_name (dd_statement_get_text (stmt, 3)));
      append_csv_field (buffer, FALSE, amount);
      append_csv_field (buffer, FALSE, dd_statement_get_text (stmt, 5));
      append_csv_field (buffer, FALSE, dd_statement_get_text (stmt, 6));
      append_csv_field (buffer, FALSE,
                        dd_case_status_from_string (dd_statement_get_text (stmt, 7), &status)
                        ? dd_case_status_to_label (status) : dd_statement_get_text (stmt, 7));
      append_csv_field (buffer, FALSE, dd_statement_get_text (stmt, 8));
      append_csv_field (buffer, FALSE, dd_statement_get_text (stmt, 9));
      append_csv_field (buffer, FALSE, dd_statement_get_text (stmt, 10));
      g_string_append (buffer, "\r\n");
      if (buffer->len > 64 * 1024 && !flush_csv (out, buffer, cancellable, error))
        return FALSE;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return flush_csv (out, buffer, cancellable, error);
}

gboolean
dd_case_store_set_time_zone (DdCaseStore  *self,
                             gint64        case_id,
                             const char   *zone,
                             gint64        agent_id,
                             GError      **error)
{
  g_autofree char *now = dd_timestamp_now ();
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  gboolean ok;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);

  if (zone != NULL && *zone == '\0')
    zone = NULL;
  if (zone != NULL && ((tz = g_time_zone_new_identifier (zone)) == NULL))
    {
      g_set_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID,
                   _("“%s” is not a known time zone."), zone);
      return FALSE;
    }
  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  ok = dd_database_execute (dd_store_db (self), error,
                            "UPDATE debtor SET time_zone = ?, updated_at = ?"
                            " WHERE id = (SELECT debtor_id FROM debt_case WHERE id = ?)",
                            DD_TEXT (zone), DD_TEXT (now), DD_INT (case_id), DD_END);
  if (ok && dd_database_changes (dd_store_db (self)) == 0)
    {
      g_set_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_NOT_FOUND,
                   _("The case %" PRId64 " does not exist."), case_id);
      ok = FALSE;
    }
  if (ok)
    {
      g_autofree char *body = zone != NULL
                              /* Translators: a timeline entry; %s is a zone such as Asia/Vladivostok */
                              ? g_strdup_printf (_("Time zone set to %s"), zone)
                              : g_strdup (_("Time zone set to the office’s"));

      json_object_set_string_member (details, "time_zone", zone);
      ok = record_change (self, case_id, "note", body, details, agent_id, TRUE, now, error);
    }
  return dd_database_finish (dd_store_db (self), ok, error);
}

/* The dialog's rules for a declaration the debtor made without an agent: they heard the amount
 * read back and confirmed it, so an amount above the balance stands. */
static gboolean
validate_declaration (DdCaseStore  *self,
                      gint64        amount_minor,
                      const char   *currency,
                      const char   *promised_on,
                      GError      **error)
{
  DdStatusChange change = {
    .status = DD_CASE_STATUS_PAYMENT_DECLARATION,
    .amount_minor = amount_minor,
    .currency = currency,
    .promised_on = promised_on,
    .above_balance_confirmed = TRUE,
  };

  return validate_change (self, &change, error);
}

/* Files a declaration of @amount_minor on @case_id inside the caller's transaction. */
static gboolean
declare (DdCaseStore  *self,
         gint64        case_id,
         const char   *channel,
         gint64        amount_minor,
         const char   *currency,
         const char   *promised_on,
         const char   *now,
         gint64       *out_declaration_id,
         GError      **error)
{
  g_autoptr(JsonObject) details = json_object_new ();
  g_autofree char *case_currency = NULL;
  g_autofree char *json = NULL;
  gint64 declaration_id = 0;
  DdCaseStatus from;

  if (!case_state (self, case_id, &from, &case_currency, error))
    return FALSE;
  if (from == DD_CASE_STATUS_CLOSED)
    {
      g_set_error_literal (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PERMISSION,
                           _("A closed case takes no payment declaration."));
      return FALSE;
    }
  if (currency == NULL)
    currency = case_currency;
  if (!dd_case_store_check_amount (self, &case_id, 1, amount_minor, currency, TRUE, error) ||
      !dd_database_execute (dd_store_db (self), error,
                            "UPDATE debt_case SET status = 'payment-declaration',"
                            " updated_at = ? WHERE id = ?",
                            DD_TEXT (now), DD_INT (case_id), DD_END) ||
      !dd_database_execute (dd_store_db (self), error,
                            "INSERT INTO declaration (case_id, amount_minor, currency,"
                            " promised_on, channel, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                            DD_INT (case_id), DD_INT (amount_minor), DD_TEXT (currency),
                            DD_TEXT (promised_on), DD_TEXT (channel), DD_TEXT (now), DD_END) ||
      !dd_database_fetch_int64 (dd_store_db (self), &declaration_id, NULL, error,
                                "SELECT MAX(id) FROM declaration WHERE case_id = ?",
                                DD_INT (case_id), DD_END))
    return FALSE;

  json_object_set_string_member (details, "from", dd_case_status_to_string (from));
  json_object_set_string_member (details, "to",
                                 dd_case_status_to_string (DD_CASE_STATUS_PAYMENT_DECLARATION));
  json_object_set_int_member (details, "declaration_id", declaration_id);
  json_object_set_int_member (details, "amount_minor", amount_minor);
  json_object_set_string_member (details, "currency", currency);
  json_object_set_string_member (details, "promised_on", promised_on);
  json_object_set_string_member (details, "channel", channel);
  json = object_to_json (details);
  if (!record_change_full (self, case_id, "declaration", channel, NULL, json, 0, TRUE, now,
                           error))
    return FALSE;
  if (out_declaration_id != NULL)
    *out_declaration_id = declaration_id;
  return TRUE;
}

gboolean
dd_case_store_record_declaration (DdCaseStore  *self,
                                  gint64        case_id,
                                  const char   *channel,
                                  gint64        amount_minor,
                                  const char   *currency,
                                  const char   *promised_on,
                                  gint64       *out_declaration_id,
                                  GError      **error)
{
  g_autofree char *now = dd_timestamp_now ();
  gint64 declaration_id = 0;
  gboolean ok;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);
  g_return_val_if_fail (channel != NULL, FALSE);

  if (!validate_declaration (self, amount_minor, currency, promised_on, error))
    return FALSE;
  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;
  ok = declare (self, case_id, channel, amount_minor, currency, promised_on, now,
                &declaration_id, error);
  if (!dd_database_finish (dd_store_db (self), ok, error))
    return FALSE;
  if (out_declaration_id != NULL)
    *out_declaration_id = declaration_id;
  return TRUE;
}

typedef struct
{
  gint64  case_id;
  gint64  balance_minor;
  char   *oldest_due;
} Share;

static void
share_clear (gpointer data)
{
  g_free (((Share *) data)->oldest_due);
}

static int
compare_shares (gconstpointer a,
                gconstpointer b)
{
  const Share *x = a, *y = b;

  /* the oldest debt first; a case without a due date after the dated ones */
  if (x->oldest_due == NULL || y->oldest_due == NULL)
    return (x->oldest_due == NULL) - (y->oldest_due == NULL);
  return strcmp (x->oldest_due, y->oldest_due);
}

gboolean
dd_case_store_record_shared_declaration (DdCaseStore   *self,
                                         const gint64  *case_ids,
                                         guint          n_case_ids,
                                         const char    *channel,
                                         gint64         amount_minor,
                                         const char    *currency,
                                         const char    *promised_on,
                                         GArray       **out_declaration_ids,
                                         GError       **error)
{
  g_autoptr(GArray) shares = g_array_new (FALSE, TRUE, sizeof (Share));
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *now = dd_timestamp_now ();
  g_autofree char *lead_currency = NULL;
  gint64 left = amount_minor;
  gboolean other_currency = FALSE;
  gboolean ok = TRUE;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);
  g_return_val_if_fail (case_ids != NULL && n_case_ids > 0, FALSE);
  g_return_val_if_fail (channel != NULL, FALSE);

  g_array_set_clear_func (shares, share_clear);
  if (!validate_declaration (self, amount_minor, currency, promised_on, error))
    return FALSE;
  if (!dd_database_begin (dd_store_db (self), error))
    return FALSE;

  /* the cases that can take a share: open, in the declaration's currency (the lead's when the
   * declaration names none), with something owed */
  for (guint i = 0; ok && i < n_case_ids; i++)
    {
      g_auto(CaseState) row = { NULL, NULL, 0 };
      gboolean found;
      Share share = { case_ids[i], 0, NULL };

      ok = fetch_case_state (self, case_ids[i], &row, &found, error);
      if (!ok || !found)
        continue;
      if (i == 0)
        lead_currency = g_strdup (row.currency);
      if (g_strcmp0 (row.status, dd_case_status_to_string (DD_CASE_STATUS_CLOSED)) == 0)
        continue;
      if (g_strcmp0 (row.currency, currency != NULL ? currency : lead_currency) != 0)
        {
          other_currency = currency != NULL || lead_currency != NULL;
          continue;
        }
      if (row.balance_minor <= 0 && i > 0)
        continue;
      share.balance_minor = row.balance_minor;
      ok = dd_database_fetch_text (dd_store_db (self), &share.oldest_due, error,
                                   "SELECT MIN(due_on) FROM liability"
                                   " WHERE case_id = ? AND paid_at IS NULL",
                                   DD_INT (case_ids[i]), DD_END);
      g_array_append_val (shares, share);
    }
  if (ok && shares->len == 0 && other_currency)
    {
      /* Translators: %s is a currency code such as PLN; the debtor's open cases are all kept
       * in other currencies */
      g_set_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID,
                   _("No open case of this debtor is in %s, the currency of the payment declaration."),
                   currency != NULL ? currency : lead_currency);
      ok = FALSE;
    }
  else if (ok && shares->len == 0)
    {
      g_set_error_literal (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PERMISSION,
                           _("A closed case takes no payment declaration."));
      ok = FALSE;
    }
  if (ok)
    g_array_sort (shares, compare_shares);

  /* the amount pays the oldest debt first; what is above all the balances goes with the
   * first share */
  for (guint i = 0; ok && i < shares->len && left > 0; i++)
    {
      Share *share = &g_array_index (shares, Share, i);
      gint64 part = MIN (left, MAX (share->balance_minor, 0));
      gint64 id = 0;

      if (i == 0)
        {
          gint64 rest = 0;

          for (guint k = 1; k < shares->len; k++)
            rest += MAX (g_array_index (shares, Share, k).balance_minor, 0);
          if (left > part + rest)
            part = left - rest;
        }
      if (part <= 0)
        continue;
      ok = declare (self, share->case_id, channel, part, currency, promised_on, now, &id, error);
      if (ok)
        g_array_append_val (ids, id);
      left -= part;
    }
  if (!dd_database_finish (dd_store_db (self), ok, error))
    return FALSE;
  if (out_declaration_ids != NULL)
    *out_declaration_ids = g_steal_pointer (&ids);
  return TRUE;
}

/* Bulk imports: the indexes of debt_case (the list's and the reports') are dropped before the
 * rows go in, so that a large file does not update them row by row;
 * dd_case_store_finish_import() builds them once. */
gboolean
dd_case_store_begin_bulk_import (DdCaseStore  *self,
                                 GError      **error)
{
  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);

  if (self->list_indexes_deferred)
    return TRUE;
  if (!drop_list_indexes (self, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (bulk_indexes); i++)
    {
      g_autofree char *drop = g_strdup_printf ("DROP INDEX %s", bulk_indexes[i].name);

      if (!dd_database_exec (dd_store_db (self), drop, error))
        return FALSE;
    }
  self->list_indexes_deferred = TRUE;
  return set_summary_triggers_aside (self, error);
}

void
dd_case_store_forget_bulk_import (DdCaseStore *self)
{
  g_return_if_fail (DD_IS_CASE_STORE (self));

  self->list_indexes_deferred = FALSE;
  self->bulk_roll = FALSE;
  self->bulk_ageing = FALSE;
  g_clear_pointer (&self->bulk_triggers, g_ptr_array_unref);
}

/* Creditors */

static const DdField creditor_fields[] = {
  DD_FIELD (DdCreditor, id, INT64),
  DD_FIELD (DdCreditor, name, TEXT),
  DD_FIELD (DdCreditor, n_cases, INT64),
};
static const DdRowType creditor_row = DD_ROW_TYPE (DdCreditor, creditor_fields);

DD_DEFINE_ROW_FREE_FUNC (DdCreditor, dd_creditor_free, creditor_row)

GPtrArray *
dd_case_store_list_creditors (DdCaseStore  *self,
                              GError      **error)
{
  g_autoptr(GPtrArray) creditors = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_creditor_free);

  g_return_val_if_fail (DD_IS_CASE_STORE (self), NULL);

  if (!dd_database_fetch_all (dd_store_db (self), creditors, dd_statement_read_row, &creditor_row,
                              error,
                              "SELECT c.id, c.name,"
                              "       (SELECT COUNT(*) FROM debt_case d WHERE d.creditor_id = c.id)"
                              "  FROM creditor c"
                              " ORDER BY CASE WHEN c.name = ? THEN 0 ELSE 1 END, c.name, c.id",
                              DD_TEXT (DD_CREDITOR_OWN_RECEIVABLES), DD_END))
    return NULL;
  return g_steal_pointer (&creditors);
}

gboolean
dd_case_store_remove_creditor (DdCaseStore  *self,
                               gint64        id,
                               GError      **error)
{
  gboolean used = FALSE;

  g_return_val_if_fail (DD_IS_CASE_STORE (self), FALSE);

  if (!dd_database_exists (dd_store_db (self), &used, error,
                           "SELECT 1 FROM debt_case WHERE creditor_id = ?", DD_INT (id), DD_END))
    return FALSE;
  if (used)
    {
      g_set_error_literal (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PERMISSION,
                           _("The creditor has cases: it stays."));
      return FALSE;
    }
  return dd_database_execute (dd_store_db (self), error, "DELETE FROM creditor WHERE id = ?",
                              DD_INT (id), DD_END);
}
