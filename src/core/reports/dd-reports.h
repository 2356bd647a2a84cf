/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-database.h"

G_BEGIN_DECLS

/*
 * The office's reports (issue 16): plain aggregations over the database, each for a period,
 * a creditor and a campaign, giving plain structs and GPtrArrays of rows the window, CSV and
 * PDF all show. Run them in a worker thread with its own connection
 * (dd_database_open_another()); they only read.
 */

typedef struct
{
  char   *from;         /* "YYYY-MM-DD", inclusive; NULL: open */
  char   *to;           /* "YYYY-MM-DD", inclusive; NULL: open (ageing: today) */
  gint64  creditor_id;  /* 0: all */
  gint64  campaign_id;  /* 0: all */
} DdReportFilter;

/* Campaign results: one row per campaign (ladder_step -1), then, where ladder_run data is
 * there, one row per ladder step the contacted cases reached (campaign_id 0). */
#define DD_REPORT_N_KEYS 12   /* 0…9, '*', '#' */

/* The payment declarations of a campaign (or ladder step) in one currency. */
typedef struct
{
  char    currency[8];   /* ISO 4217 code */
  gint64  declarations;
  gint64  minor;
} DdReportDeclared;

/* The SMS of a campaign (or ladder step) billed in one currency. */
typedef struct
{
  char    currency[8];   /* ISO 4217 code; "" for a cost the provider gave without one */
  gint64  billed;        /* messages with a cost in this currency */
  gint64  minor;
} DdReportCost;

typedef struct
{
  gint64  campaign_id;
  char   *name;
  char   *kind;              /* "sms", "voice"; for a ladder row its step's channel */
  gint    ladder_step;       /* -1: a campaign's row; else the step's days after due */
  gint64  sms_sent;          /* left the office: sent, delivered or failed after sending */
  gint64  sms_delivered;
  gint64  sms_failed;        /* failed or expired */
  gint64  replies;
  gint64  opt_outs;
  GArray *costs;             /* DdReportCost: the SMS cost in each currency, in the order of
                              * the codes (never added across them); NULL: none */
  gint64  calls_attempted;
  gint64  calls_answered_person;
  gint64  calls_heard_to_end;
  gint64  keys[DD_REPORT_N_KEYS]; /* calls in which each key was pressed */
  gint64  transfers;
  gint64  declarations;      /* in every currency */
  GArray *declared;          /* DdReportDeclared, one per currency in the order of the codes */
} DdReportCampaignRow;

void        dd_report_campaign_row_free (DdReportCampaignRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdReportCampaignRow, dd_report_campaign_row_free)
/* The key a DdReportCampaignRow.keys index stands for ('0'…'9', '*', '#'). */
char        dd_report_key_char          (guint index);

GPtrArray  *dd_report_campaigns         (DdDatabase            *database,
                                         const DdReportFilter  *filter,
                                         GError               **error);

/* Effect on payments against the hold-out group. */
typedef enum
{
  DD_REPORT_WINDOW_48H,
  DD_REPORT_WINDOW_7D,
  DD_REPORT_WINDOW_30D,
  DD_REPORT_N_WINDOWS,
} DdReportWindow;

typedef struct
{
  gint64  n;                              /* cases in the group */
  gint64  paid[DD_REPORT_N_WINDOWS];      /* cases that paid within the window */
  gint64  amount_minor[DD_REPORT_N_WINDOWS];
} DdReportGroup;

#define DD_REPORT_MAX_CURRENCIES 8

typedef struct
{
  char    currency[8];                      /* ISO 4217 code */
  gint64  contacted_minor[DD_REPORT_N_WINDOWS];
  gint64  held_out_minor[DD_REPORT_N_WINDOWS];
} DdReportAmounts;

typedef struct
{
  gboolean      payments_imported;  /* FALSE: no payment at all yet: say so, not "0 %" */
  DdReportGroup contacted;          /* from the first message sent / call started */
  DdReportGroup held_out;           /* from when the campaign held them out */
  /* Per window: share contacted − share held out, and its 95 % confidence interval
   * (two-proportion normal approximation); NaN where a group is empty. */
  double        difference[DD_REPORT_N_WINDOWS];
  double        ci_low[DD_REPORT_N_WINDOWS];
  double        ci_high[DD_REPORT_N_WINDOWS];
  /* The amounts per currency (the groups' amount_minor add every currency up: show these).
   * Currencies past DD_REPORT_MAX_CURRENCIES are left out (and logged). */
  guint         n_amounts;
  DdReportAmounts amounts[DD_REPORT_MAX_CURRENCIES];
} DdReportEffect;

guint       dd_report_window_days       (DdReportWindow          window);
double      dd_report_group_share       (const DdReportGroup    *group,
                                         DdReportWindow          window);
gboolean    dd_report_effect            (DdDatabase            *database,
                                         const DdReportFilter  *filter,
                                         DdReportEffect        *out_effect,
                                         GError               **error);

/* Promises (payment declarations made in the period), one row per channel. */
typedef struct
{
  char   *channel;
  gint64  made, kept, broken, pending;
  gint64  made_minor, kept_minor, broken_minor, pending_minor;
  char   *currency;   /* of the amounts: a channel has a row per currency */
} DdReportPromiseRow;

void        dd_report_promise_row_free  (DdReportPromiseRow *row);
GPtrArray  *dd_report_promises          (DdDatabase            *database,
                                         const DdReportFilter  *filter,
                                         GError               **error);

/* Ageing of the open cases on filter->to (today when NULL): @bounds are the upper day limits
 * of the buckets after "current" (e.g. {30, 60, 90}: current, 1–30, 31–60, 61–90, 90+). */
typedef struct
{
  gint    min_days;    /* 0 for "current" (not yet due) */
  gint    max_days;    /* G_MAXINT for the last bucket */
  gint64  cases;
  gint64  balance_minor;
  char    currency[8];   /* of the balance; "" when no case has one */
} DdReportAgeingBucket;

/* The roll rate of a month in one currency: of the balance overdue at the end of the month
 * before, the share still unpaid at the end of this one (months where nothing was owed in
 * that currency have no row). */
typedef struct
{
  char   *month;             /* "YYYY-MM" */
  char    currency[8];       /* of the balances (a case's balance history row's) */
  gint64  start_minor;       /* overdue balance at the end of the month before */
  gint64  rolled_minor;      /* of it, still unpaid at the end of this month */
  double  roll_rate;         /* rolled / start; NaN when start is 0 */
} DdReportRollRow;

void        dd_report_roll_row_free     (DdReportRollRow *row);

/* @buckets holds the buckets of each currency in turn (current … 90+ of EUR, then of PLN…),
 * in the order of the currency codes; with no open balance, one set with currency "". */
typedef struct
{
  GArray    *buckets;        /* DdReportAgeingBucket */
  GPtrArray *roll;           /* DdReportRollRow, by currency (in the order of the codes),
                              * then by month */
} DdReportAgeing;

void        dd_report_ageing_free       (DdReportAgeing *ageing);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdReportAgeing, dd_report_ageing_free)
DdReportAgeing *dd_report_ageing        (DdDatabase            *database,
                                         const DdReportFilter  *filter,
                                         const guint           *bounds,
                                         guint                  n_bounds,
                                         GError               **error);

/* Work per consultant in the period (the activity timeline). */
typedef struct
{
  gint64  agent_id;
  char   *name;
  gint64  cases_touched;
  gint64  calls;
  gint64  declarations;
  gint64  status_changes;
  gint64  closed;
} DdReportWorkRow;

void        dd_report_work_row_free     (DdReportWorkRow *row);
GPtrArray  *dd_report_work              (DdDatabase            *database,
                                         const DdReportFilter  *filter,
                                         GError               **error);

/* Hold-out groups: marks round(n × @percent / 100) of the n @case_ids, chosen at random
 * (@rand, or NULL for a new one), as held out by @campaign_id and removes them from @case_ids
 * (a GArray of gint64, order kept), so that the caller contacts only the rest. Voice
 * campaigns call it with their audience as SMS ones do. */
gboolean    dd_report_hold_out          (DdDatabase            *database,
                                         gint64                 campaign_id,
                                         guint                  percent,
                                         GArray                *case_ids,
                                         GRand                 *rand,
                                         GError               **error);
/* The same for a campaign's audience (a GPtrArray of DdRecipient, several numbers of one
 * case go together): records @percent as the campaign's holdout_percent, holds out that
 * share of its cases and removes their recipients. SMS and voice campaigns call it between
 * dd_campaign_store_create() and queueing, in the same transaction. */
gboolean    dd_report_hold_out_recipients (DdDatabase          *database,
                                         gint64                 campaign_id,
                                         guint                  percent,
                                         GPtrArray             *recipients,
                                         GRand                 *rand,
                                         GError               **error);

/* Tests: whether the reports read the summary tables (024-report-summaries.sql) where they
 * give the same result (TRUE, the default), or always compute from the rows. */
void        dd_report_use_summaries     (gboolean               use);

G_END_DECLS
