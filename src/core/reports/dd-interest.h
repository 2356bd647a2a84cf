/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * Interest for late payment from dated rate tables, day by day, with the calculation kept
 * for the demand letter.
 *
 * Rates are fixed-point integers in units of 1/10000 (11.25 % is 112500; 4.3480 PLN per EUR
 * is 43480). The series shipped as data/rates/<series>.json in the core resource:
 *   "nbp-reference"  the NBP reference rate (percent)
 *   "cbr-key"        the Bank of Russia key rate (percent)
 *   "eur-pln"        the NBP EUR mid rate of the last business day of a month (PLN per EUR)
 * The office's changes (table rate_table, schema 14) are laid over them.
 *
 * The kinds of interest:
 *   STATUTORY   Poland, odsetki ustawowe za opóźnienie (art. 481 § 2 KC): the reference rate
 *               in force on each day + 5.5 pp.
 *   COMMERCIAL  Poland, odsetki za opóźnienie w transakcjach handlowych (art. 4 pkt 3 of the
 *               Act of 8 March 2013): the reference rate in force on 1 January for the first
 *               half-year and on 1 July for the second, + 10 pp.
 *   RU_395      Russia, art. 395 of the Civil Code: the key rate in force on each day.
 *
 * Days: interest runs from the day after the due date to @to, both counted. A partial payment
 * still bears interest on its day (interest runs "to the day of payment") and reduces the
 * principal from the next day; payments before the first day of interest reduce it from the
 * start, payments after @to are ignored. @payments: a GArray of DdInterestPayment, in any
 * order, or NULL.
 * Year: Polish interest divides by 365 in every year, leap years too (the practice of the
 * courts' calculators); art. 395 divides by the actual days of the year (366 in a leap year,
 * as the Bank of Russia's and the courts' calculators do), so periods are split on 1 January.
 * Each period's interest is rounded half up to the minor unit; the total is their sum, as the
 * letter shows it.
 */

#include <glib.h>
#include <json-glib/json-glib.h>

#include "dd-database.h"

G_BEGIN_DECLS

#define DD_INTEREST_ERROR (dd_interest_error_quark ())

typedef enum
{
  DD_INTEREST_ERROR_NO_RATE,     /* no rate known for a day of the period */
  DD_INTEREST_ERROR_INVALID,     /* bad input: dates in the wrong order, bad rate table */
} DdInterestError;

GQuark dd_interest_error_quark (void);

typedef enum
{
  DD_INTEREST_STATUTORY,
  DD_INTEREST_COMMERCIAL,
  DD_INTEREST_RU_395,
} DdInterestKind;

#define DD_RATE_SCALE 10000

DD_DECLARE_ENUM_NAMES (DdInterestKind, dd_interest_kind);

/* A set of dated rate series. */
typedef struct _DdRateTable DdRateTable;

DdRateTable *dd_rate_table_new            (void);
/* The series shipped in the core resource. */
DdRateTable *dd_rate_table_new_builtin    (GError        **error);
DdRateTable *dd_rate_table_ref            (DdRateTable    *self);
void         dd_rate_table_unref          (DdRateTable    *self);
/* Loads one series from JSON text ({"series", "checked_on", "rates": [{"from", "rate"}]}). */
gboolean     dd_rate_table_load_json      (DdRateTable    *self,
                                           const char     *json,
                                           gssize          length,
                                           GError        **error);
/* Lays the office's rows of rate_table over the series. */
gboolean     dd_rate_table_load_overrides (DdRateTable    *self,
                                           DdDatabase     *database,
                                           GError        **error);
/* The office's rates: the built-in series with @database's overrides laid over them. */
DdRateTable *dd_rate_table_new_for_database (DdDatabase   *database,
                                             GError      **error);
/* Sets (or with @rate < 0 removes) the rate of @series from @from. */
void         dd_rate_table_set            (DdRateTable    *self,
                                           const char     *series,
                                           const GDate    *from,
                                           gint64          rate);
/* The rate of @series in force on @day; FALSE when the series has none that early. */
gboolean     dd_rate_table_lookup         (DdRateTable    *self,
                                           const char     *series,
                                           const GDate    *day,
                                           gint64         *out_rate,
                                           GDate          *out_from);
/* The "checked_on" date of a shipped series, or NULL. */
const char  *dd_rate_table_get_checked_on (DdRateTable    *self,
                                           const char     *series);
/* The "title" and "source" of a shipped series, or NULL. */
const char  *dd_rate_table_get_title      (DdRateTable    *self,
                                           const char     *series);
const char  *dd_rate_table_get_source     (DdRateTable    *self,
                                           const char     *series);

typedef struct
{
  GDate   from;
  gint64  rate;
} DdRateEntry;

/* The rates of @series (DdRateEntry), oldest first. */
GArray      *dd_rate_table_list           (DdRateTable    *self,
                                           const char     *series);
/* Whether the office's rate_table has a row for @series from @from ("YYYY-MM-DD"). */
gboolean     dd_rate_table_is_override    (DdDatabase     *database,
                                           const char     *series,
                                           const char     *from,
                                           gboolean       *out_is,
                                           GError        **error);
/* Parses "11.25" into 112500; FALSE on anything else than digits with up to 4 decimals. */
gboolean     dd_rate_parse                (const char     *text,
                                           gint64         *out_rate);
/* "11.25" from 112500 (at least two decimals). */
char        *dd_rate_format               (gint64          rate);

/* Office change to the rate table: stores (@rate NULL: hides) the rate of @series from @from. */
gboolean     dd_rate_table_store_override (DdDatabase     *database,
                                           const char     *series,
                                           const char     *from,
                                           const char     *rate,
                                           GError        **error);

/* Takes the office's row of @series from @from away (the shipped rate, if any, holds again). */
gboolean     dd_rate_table_remove_override (DdDatabase    *database,
                                           const char     *series,
                                           const char     *from,
                                           GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdRateTable, dd_rate_table_unref)

typedef struct
{
  GDate   paid_on;
  gint64  amount_minor;
} DdInterestPayment;

/* One line of the calculation: the days from..to (both counted) at one rate on one principal. */
typedef struct
{
  GDate   from;
  GDate   to;
  guint   days;
  guint   year_days;
  gint64  principal_minor;
  gint64  rate;              /* percent × DD_RATE_SCALE */
  gint64  interest_minor;
} DdInterestPeriod;

typedef struct
{
  DdInterestKind  kind;
  gint64          principal_minor;  /* the amount due on the due date */
  GDate           due;
  GDate           to;
  GArray         *periods;          /* of DdInterestPeriod */
  gint64          interest_minor;   /* the sum of the periods' interest */
  gint64          paid_minor;       /* payments counted up to @to */
} DdInterestResult;

DdInterestResult *dd_interest_compute     (DdRateTable             *rates,
                                           DdInterestKind           kind,
                                           gint64                   principal_minor,
                                           const GDate             *due,
                                           const GDate             *to,
                                           GArray                  *payments,
                                           GError                 **error);
void              dd_interest_result_free (DdInterestResult        *result);
/* {"kind", "principal", "due", "to", "paid", "interest", "periods": [{"from", "to", "days",
 * "year_days", "principal", "rate", "interest"}]}; amounts in minor units, rates as text. */
JsonNode         *dd_interest_result_to_json (const DdInterestResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdInterestResult, dd_interest_result_free)

/* The flat compensation for recovery costs between businesses (art. 10 of the Act of
 * 8 March 2013): 40 EUR for a claim up to 5,000 PLN, 70 EUR above that and below 50,000 PLN,
 * 100 EUR from 50,000 PLN; converted into PLN at the "eur-pln" rate of the last entry dated
 * before the month the payment fell due. Amounts in grosze / euro cents. */
gboolean     dd_interest_compensation     (DdRateTable    *rates,
                                           gint64          claim_minor,
                                           const GDate    *due,
                                           gint64         *out_eur_cents,
                                           gint64         *out_pln_minor,
                                           gint64         *out_eur_rate,
                                           GError        **error);

G_END_DECLS
