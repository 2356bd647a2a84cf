/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-interest"

#include "config.h"

#include "dd-interest.h"

#include "dd-dates.h"
#include "dd-json.h"
#include "dd-types.h"

#include <gio/gio.h>
#include <string.h>

#define RATES_PATH "/io/github/dunningdesk/DunningDesk/core/rates/"

G_DEFINE_QUARK (dd-interest-error-quark, dd_interest_error)

typedef struct
{
  guint32  from;    /* julian day */
  gint64   rate;
} RateEntry;

typedef struct
{
  GArray  *entries;     /* of RateEntry, sorted by from */
  char    *checked_on;
  char    *title;
  char    *source;
} Series;

struct _DdRateTable
{
  gatomicrefcount  ref_count;
  GHashTable      *series;  /* name -> Series */
};

static const char * const kind_names[] = { "statutory", "commercial", "ru-395" };

DD_DEFINE_ENUM_NAMES (DdInterestKind, dd_interest_kind, kind_names)

static void
series_free (gpointer data)
{
  Series *s = data;

  g_array_unref (s->entries);
  g_free (s->checked_on);
  g_free (s->title);
  g_free (s->source);
  g_free (s);
}

static Series *
get_series (DdRateTable *self,
            const char  *name,
            gboolean     create)
{
  Series *s = g_hash_table_lookup (self->series, name);

  if (s == NULL && create)
    {
      s = g_new0 (Series, 1);
      s->entries = g_array_new (FALSE, FALSE, sizeof (RateEntry));
      g_hash_table_insert (self->series, g_strdup (name), s);
    }
  return s;
}

DdRateTable *
dd_rate_table_new (void)
{
  DdRateTable *self = g_new0 (DdRateTable, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->series = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, series_free);
  return self;
}

DdRateTable *
dd_rate_table_ref (DdRateTable *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
dd_rate_table_unref (DdRateTable *self)
{
  if (self != NULL && g_atomic_ref_count_dec (&self->ref_count))
    {
      g_hash_table_unref (self->series);
      g_free (self);
    }
}

gboolean
dd_rate_parse (const char *text,
               gint64     *out_rate)
{
  gint64 whole = 0, frac = 0;
  guint n_frac = 0;
  const char *p = text;

  if (text == NULL || !g_ascii_isdigit (*p))
    return FALSE;
  for (; g_ascii_isdigit (*p); p++)
    {
      whole = whole * 10 + (*p - '0');
      if (whole > G_GINT64_CONSTANT (100000000))
        return FALSE;
    }
  if (*p == '.')
    {
      p++;
      for (; g_ascii_isdigit (*p); p++)
        {
          if (++n_frac > 4)
            return FALSE;
          frac = frac * 10 + (*p - '0');
        }
      if (n_frac == 0)
        return FALSE;
    }
  if (*p != '\0')
    return FALSE;
  for (; n_frac < 4; n_frac++)
    frac *= 10;
  *out_rate = whole * DD_RATE_SCALE + frac;
  return TRUE;
}

char *
dd_rate_format (gint64 rate)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT ".%04" G_GINT64_FORMAT,
                                           rate / DD_RATE_SCALE, rate % DD_RATE_SCALE);
  gsize len = strlen (text);

  /* keep two decimals at least: 11.2500 -> 11.25, 4.3480 -> 4.348 */
  while (len > 0 && text[len - 1] == '0' && text[len - 3] != '.')
    text[--len] = '\0';
  return g_steal_pointer (&text);
}

void
dd_rate_table_set (DdRateTable *self,
                   const char  *series,
                   const GDate *from,
                   gint64       rate)
{
  Series *s = get_series (self, series, TRUE);
  guint32 julian = g_date_get_julian (from);
  guint i;

  for (i = 0; i < s->entries->len; i++)
    {
      RateEntry *e = &g_array_index (s->entries, RateEntry, i);

      if (e->from == julian)
        {
          if (rate < 0)
            g_array_remove_index (s->entries, i);
          else
            e->rate = rate;
          return;
        }
      if (e->from > julian)
        break;
    }
  if (rate >= 0)
    {
      RateEntry entry = { julian, rate };

      g_array_insert_val (s->entries, i, entry);
    }
}

gboolean
dd_rate_table_lookup (DdRateTable *self,
                      const char  *series,
                      const GDate *day,
                      gint64      *out_rate,
                      GDate       *out_from)
{
  Series *s = get_series (self, series, FALSE);
  guint32 julian = g_date_get_julian (day);
  const RateEntry *found = NULL;

  for (guint i = 0; s != NULL && i < s->entries->len; i++)
    {
      const RateEntry *e = &g_array_index (s->entries, RateEntry, i);

      if (e->from > julian)
        break;
      found = e;
    }
  if (found == NULL)
    return FALSE;
  if (out_rate != NULL)
    *out_rate = found->rate;
  if (out_from != NULL)
    g_date_set_julian (out_from, found->from);
  return TRUE;
}

/* The first change of @series after @day (julian), or G_MAXUINT32. */
static guint32
next_change (DdRateTable *self,
             const char  *series,
             guint32      day)
{
  Series *s = get_series (self, series, FALSE);

  for (guint i = 0; s != NULL && i < s->entries->len; i++)
    {
      const RateEntry *e = &g_array_index (s->entries, RateEntry, i);

      if (e->from > day)
        return e->from;
    }
  return G_MAXUINT32;
}

const char *
dd_rate_table_get_checked_on (DdRateTable *self,
                              const char  *series)
{
  Series *s = get_series (self, series, FALSE);

  return s != NULL ? s->checked_on : NULL;
}

const char *
dd_rate_table_get_title (DdRateTable *self,
                         const char  *series)
{
  Series *s = get_series (self, series, FALSE);

  return s != NULL ? s->title : NULL;
}

const char *
dd_rate_table_get_source (DdRateTable *self,
                          const char  *series)
{
  Series *s = get_series (self, series, FALSE);

  return s != NULL ? s->source : NULL;
}

GArray *
dd_rate_table_list (DdRateTable *self,
                    const char  *series)
{
  Series *s = get_series (self, series, FALSE);
  GArray *list = g_array_new (FALSE, FALSE, sizeof (DdRateEntry));

  for (guint i = 0; s != NULL && i < s->entries->len; i++)
    {
      const RateEntry *e = &g_array_index (s->entries, RateEntry, i);
      DdRateEntry entry = { 0 };

      g_date_clear (&entry.from, 1);
      g_date_set_julian (&entry.from, e->from);
      entry.rate = e->rate;
      g_array_append_val (list, entry);
    }
  return list;
}

gboolean
dd_rate_table_is_override (DdDatabase  *database,
                           const char  *series,
                           const char  *from,
                           gboolean    *out_is,
                           GError     **error)
{
  return dd_database_exists (database, out_is, error,
                             "SELECT 1 FROM rate_table WHERE series = ? AND valid_from = ?",
                             DD_TEXT (series), DD_TEXT (from), DD_END);
}

gboolean
dd_rate_table_load_json (DdRateTable  *self,
                         const char   *json,
                         gssize        length,
                         GError      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *rates;
  const char *name;
  Series *s;

  if (!json_parser_load_from_data (parser, json, length, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto invalid;
  root = json_node_get_object (json_parser_get_root (parser));
  name = json_object_get_string_member_with_default (root, "series", NULL);
  if (name == NULL || !json_object_has_member (root, "rates")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "rates")))
    goto invalid;
  rates = json_object_get_array_member (root, "rates");
  s = get_series (self, name, TRUE);
  g_free (s->checked_on);
  s->checked_on = g_strdup (json_object_get_string_member_with_default (root, "checked_on",
                                                                        NULL));
  g_free (s->title);
  s->title = g_strdup (json_object_get_string_member_with_default (root, "title", NULL));
  g_free (s->source);
  s->source = g_strdup (json_object_get_string_member_with_default (root, "source", NULL));
  for (guint i = 0; i < json_array_get_length (rates); i++)
    {
      JsonNode *node = json_array_get_element (rates, i);
      JsonObject *o;
      GDate from;
      gint64 rate;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        goto invalid;
      o = json_node_get_object (node);
      if (!dd_date_from_iso (json_object_get_string_member_with_default (o, "from", ""), &from)
          || !dd_rate_parse (json_object_get_string_member_with_default (o, "rate", ""), &rate))
        goto invalid;
      dd_rate_table_set (self, name, &from, rate);
    }
  return TRUE;

invalid:
  g_set_error_literal (error, DD_INTEREST_ERROR, DD_INTEREST_ERROR_INVALID,
                       "rate table: not a valid series");
  return FALSE;
}

DdRateTable *
dd_rate_table_new_builtin (GError **error)
{
  g_autoptr(DdRateTable) self = dd_rate_table_new ();
  g_auto(GStrv) names = g_resources_enumerate_children (RATES_PATH, G_RESOURCE_LOOKUP_FLAGS_NONE,
                                                        error);

  if (names == NULL)
    return NULL;
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (RATES_PATH, names[i], NULL);
      g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE,
                                                         error);
      gsize size;
      const char *data;

      if (bytes == NULL)
        return NULL;
      data = g_bytes_get_data (bytes, &size);
      if (!dd_rate_table_load_json (self, data, (gssize) size, error))
        return NULL;
    }
  return g_steal_pointer (&self);
}

DdRateTable *
dd_rate_table_new_for_database (DdDatabase  *database,
                                GError     **error)
{
  g_autoptr(DdRateTable) rates = dd_rate_table_new_builtin (error);

  if (rates == NULL || !dd_rate_table_load_overrides (rates, database, error))
    return NULL;
  return g_steal_pointer (&rates);
}

gboolean
dd_rate_table_load_overrides (DdRateTable  *self,
                              DdDatabase   *database,
                              GError      **error)
{
  GError *local_error = NULL;
  DdStatement *stmt;  /* cached by the database: reset, not freed */

  stmt = dd_database_query (database, error,
                            "SELECT series, valid_from, rate FROM rate_table"
                            " ORDER BY series, valid_from", DD_END);
  if (stmt == NULL)
    return FALSE;
  while (dd_statement_step (stmt, &local_error))
    {
      const char *rate_text = dd_statement_get_text (stmt, 2);
      GDate from;
      gint64 rate = -1;

      if (!dd_date_from_iso (dd_statement_get_text (stmt, 1), &from)
          || (rate_text != NULL && !dd_rate_parse (rate_text, &rate)))
        {
          g_warning ("rate_table: ignoring the bad row %s %s", dd_statement_get_text (stmt, 0),
                     dd_statement_get_text (stmt, 1));
          continue;
        }
      dd_rate_table_set (self, dd_statement_get_text (stmt, 0), &from, rate);
    }
  dd_statement_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

gboolean
dd_rate_table_store_override (DdDatabase  *database,
                              const char  *series,
                              const char  *from,
                              const char  *rate,
                              GError     **error)
{
  GDate date;
  gint64 value;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *now_text = g_date_time_format_iso8601 (now);

  if (!dd_date_from_iso (from, &date) || (rate != NULL && !dd_rate_parse (rate, &value)))
    {
      g_set_error (error, DD_INTEREST_ERROR, DD_INTEREST_ERROR_INVALID,
                   "rate table: bad date or rate (%s, %s)", from, rate ? rate : "none");
      return FALSE;
    }
  return dd_database_execute (database, error,
                              "DELETE FROM rate_table WHERE series = ? AND valid_from = ?",
                              DD_TEXT (series), DD_TEXT (from), DD_END)
      && dd_database_execute (database, error,
                              "INSERT INTO rate_table (series, valid_from, rate, changed_at)"
                              " VALUES (?, ?, ?, ?)",
                              DD_TEXT (series), DD_TEXT (from), DD_TEXT (rate),
                              DD_TEXT (now_text), DD_END);
}

gboolean
dd_rate_table_remove_override (DdDatabase  *database,
                               const char  *series,
                               const char  *from,
                               GError     **error)
{
  return dd_database_execute (database, error,
                              "DELETE FROM rate_table WHERE series = ? AND valid_from = ?",
                              DD_TEXT (series), DD_TEXT (from), DD_END);
}

/* --- the calculation --- */

static const char *
base_series (DdInterestKind kind)
{
  return kind == DD_INTEREST_RU_395 ? "cbr-key" : "nbp-reference";
}

/* The rate of @kind on @day (julian) and the last day it holds unchanged (julian). */
static gboolean
rate_on (DdRateTable    *rates,
         DdInterestKind  kind,
         guint32         day,
         gint64         *out_rate,
         guint32        *out_until,
         GError        **error)
{
  GDate date, fixing;
  gint64 base;
  guint32 until;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, day);
  if (kind == DD_INTEREST_COMMERCIAL)
    {
      /* the reference rate of 1 January or 1 July holds for the half-year */
      GDateMonth month = g_date_get_month (&date) <= G_DATE_JUNE ? G_DATE_JANUARY : G_DATE_JULY;
      GDate next;

      g_date_clear (&fixing, 1);
      g_date_set_dmy (&fixing, 1, month, g_date_get_year (&date));
      next = fixing;
      g_date_add_months (&next, 6);
      until = g_date_get_julian (&next) - 1;
    }
  else
    {
      fixing = date;
      until = next_change (rates, base_series (kind), day);
      if (until != G_MAXUINT32)
        until--;
    }

  if (!dd_rate_table_lookup (rates, base_series (kind), &fixing, &base, NULL))
    {
      g_autofree char *iso = dd_date_to_iso (&fixing);

      g_set_error (error, DD_INTEREST_ERROR, DD_INTEREST_ERROR_NO_RATE,
                   "no %s rate known on %s", base_series (kind), iso);
      return FALSE;
    }

  switch (kind)
    {
    case DD_INTEREST_STATUTORY:
      *out_rate = base + 55000;   /* + 5.5 pp */
      break;
    case DD_INTEREST_COMMERCIAL:
      *out_rate = base + 100000;  /* + 10 pp */
      break;
    case DD_INTEREST_RU_395:
    default:
      *out_rate = base;
      break;
    }
  *out_until = until;
  return TRUE;
}

static gint
compare_payments (gconstpointer a,
                  gconstpointer b)
{
  const DdInterestPayment *pa = a, *pb = b;

  return g_date_compare (&pa->paid_on, &pb->paid_on);
}

static gint64
period_interest (gint64 principal,
                 gint64 rate,
                 guint  days,
                 guint  year_days)
{
  /* principal × rate% × days / year_days, rounded half up; 128-bit against overflow */
  G_GNUC_EXTENSION __int128 num = (__int128) principal * rate * days;
  G_GNUC_EXTENSION __int128 den = (__int128) 100 * DD_RATE_SCALE * year_days;

  return (gint64) ((2 * num + den) / (2 * den));
}

DdInterestResult *
dd_interest_compute (DdRateTable              *rates,
                     DdInterestKind            kind,
                     gint64                    principal_minor,
                     const GDate              *due,
                     const GDate              *to,
                     GArray                   *payments,
                     GError                  **error)
{
  g_autoptr(DdInterestResult) result = g_new0 (DdInterestResult, 1);
  g_autoptr(GArray) sorted = g_array_new (FALSE, FALSE, sizeof (DdInterestPayment));
  guint32 day, last;
  gint64 principal = principal_minor;
  guint next_payment = 0;

  g_return_val_if_fail (g_date_valid (due) && g_date_valid (to), NULL);

  result->kind = kind;
  result->principal_minor = principal_minor;
  result->due = *due;
  result->to = *to;
  result->periods = g_array_new (FALSE, FALSE, sizeof (DdInterestPeriod));

  if (principal_minor < 0)
    {
      g_set_error_literal (error, DD_INTEREST_ERROR, DD_INTEREST_ERROR_INVALID,
                           "the amount is negative");
      return NULL;
    }
  if (payments != NULL)
    g_array_append_vals (sorted, payments->data, payments->len);
  g_array_sort (sorted, compare_payments);

  day = g_date_get_julian (due) + 1;
  last = g_date_get_julian (to);

  /* payments before interest starts reduce the principal from the start */
  while (next_payment < sorted->len
         && g_date_get_julian (&g_array_index (sorted, DdInterestPayment, next_payment).paid_on)
            < day)
    {
      gint64 amount = g_array_index (sorted, DdInterestPayment, next_payment++).amount_minor;

      if (g_date_get_julian (&g_array_index (sorted, DdInterestPayment,
                                             next_payment - 1).paid_on) <= last)
        result->paid_minor += amount;
      principal = MAX (0, principal - amount);
    }

  while (day <= last && principal > 0)
    {
      DdInterestPeriod period = { 0 };
      guint32 end = last, rate_until;
      GDate d;
      GDate year_end;
      gboolean paid_today = FALSE;

      if (!rate_on (rates, kind, day, &period.rate, &rate_until, error))
        return NULL;
      end = MIN (end, rate_until);

      g_date_clear (&d, 1);
      g_date_set_julian (&d, day);
      if (kind == DD_INTEREST_RU_395)
        {
          g_date_clear (&year_end, 1);
          g_date_set_dmy (&year_end, 31, G_DATE_DECEMBER, g_date_get_year (&d));
          end = MIN (end, g_date_get_julian (&year_end));
          period.year_days = g_date_is_leap_year (g_date_get_year (&d)) ? 366 : 365;
        }
      else
        period.year_days = 365;

      /* the next payment: its day still bears interest on the old principal */
      if (next_payment < sorted->len)
        {
          guint32 paid = g_date_get_julian (&g_array_index (sorted, DdInterestPayment,
                                                            next_payment).paid_on);
          if (paid <= end)
            {
              end = paid;
              paid_today = TRUE;
            }
        }

      g_date_clear (&period.from, 1);
      g_date_clear (&period.to, 1);
      g_date_set_julian (&period.from, day);
      g_date_set_julian (&period.to, end);
      period.days = end - day + 1;
      period.principal_minor = principal;
      period.interest_minor = period_interest (principal, period.rate, period.days,
                                               period.year_days);

      /* a change of nothing but the principal's day splits no period the reader sees */
      if (result->periods->len > 0)
        {
          DdInterestPeriod *prev = &g_array_index (result->periods, DdInterestPeriod,
                                                   result->periods->len - 1);

          if (prev->rate == period.rate && prev->principal_minor == period.principal_minor
              && prev->year_days == period.year_days
              && g_date_get_julian (&prev->to) + 1 == day)
            {
              prev->to = period.to;
              prev->days += period.days;
              prev->interest_minor = period_interest (principal, period.rate, prev->days,
                                                      period.year_days);
              period.days = 0;
            }
        }
      if (period.days > 0)
        g_array_append_val (result->periods, period);

      while (paid_today && next_payment < sorted->len
             && g_date_get_julian (&g_array_index (sorted, DdInterestPayment,
                                                   next_payment).paid_on) == end)
        {
          gint64 amount = g_array_index (sorted, DdInterestPayment, next_payment++).amount_minor;

          result->paid_minor += amount;
          principal = MAX (0, principal - amount);
        }
      day = end + 1;
    }

  for (guint i = 0; i < result->periods->len; i++)
    result->interest_minor += g_array_index (result->periods, DdInterestPeriod, i).interest_minor;

  return g_steal_pointer (&result);
}

void
dd_interest_result_free (DdInterestResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->periods, g_array_unref);
  g_free (result);
}

JsonNode *
dd_interest_result_to_json (const DdInterestResult *result)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *due = dd_date_to_iso (&result->due);
  g_autofree char *to = dd_date_to_iso (&result->to);

  json_builder_begin_object (b);
  dd_json_add_string (b, "kind", dd_interest_kind_to_string (result->kind));
  dd_json_add_int (b, "principal", result->principal_minor);
  dd_json_add_string (b, "due", due);
  dd_json_add_string (b, "to", to);
  dd_json_add_int (b, "paid", result->paid_minor);
  dd_json_add_int (b, "interest", result->interest_minor);
  dd_json_begin_array_member (b, "periods");
  for (guint i = 0; i < result->periods->len; i++)
    {
      const DdInterestPeriod *p = &g_array_index (result->periods, DdInterestPeriod, i);
      g_autofree char *from = dd_date_to_iso (&p->from);
      g_autofree char *until = dd_date_to_iso (&p->to);
      g_autofree char *rate = dd_rate_format (p->rate);

      json_builder_begin_object (b);
      dd_json_add_string (b, "from", from);
      dd_json_add_string (b, "to", until);
      dd_json_add_int (b, "days", p->days);
      dd_json_add_int (b, "year_days", p->year_days);
      dd_json_add_int (b, "principal", p->principal_minor);
      dd_json_add_string (b, "rate", rate);
      dd_json_add_int (b, "interest", p->interest_minor);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
dd_interest_compensation (DdRateTable  *rates,
                          gint64        claim_minor,
                          const GDate  *due,
                          gint64       *out_eur_cents,
                          gint64       *out_pln_minor,
                          gint64       *out_eur_rate,
                          GError      **error)
{
  GDate month_before;
  gint64 eur, rate;

  if (claim_minor <= 500000)
    eur = 4000;
  else if (claim_minor < 5000000)
    eur = 7000;
  else
    eur = 10000;

  /* the last entry dated before the first day of the due date's month */
  g_date_clear (&month_before, 1);
  g_date_set_dmy (&month_before, 1, g_date_get_month (due), g_date_get_year (due));
  g_date_subtract_days (&month_before, 1);
  if (!dd_rate_table_lookup (rates, "eur-pln", &month_before, &rate, NULL))
    {
      g_set_error_literal (error, DD_INTEREST_ERROR, DD_INTEREST_ERROR_NO_RATE,
                           "no EUR rate known before the due date");
      return FALSE;
    }
  *out_eur_cents = eur;
  *out_eur_rate = rate;
  /* cents × PLN/EUR (× 10000) -> grosze, rounded half up */
  *out_pln_minor = (eur * rate + DD_RATE_SCALE / 2) / DD_RATE_SCALE;
  return TRUE;
}
