/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "dd-column-map.h"

G_BEGIN_DECLS

typedef enum
{
  DD_IMPORT_SEVERITY_REJECTED,   /* the row was not imported */
  DD_IMPORT_SEVERITY_WARNING,    /* imported, but something in it was doubtful or dropped */
} DdImportSeverity;

typedef enum
{
  /* rejections */
  DD_IMPORT_REASON_RAGGED_ROW,
  DD_IMPORT_REASON_INVALID_ENCODING,
  DD_IMPORT_REASON_MISSING_NAME,
  DD_IMPORT_REASON_MISSING_INVOICE,
  DD_IMPORT_REASON_MISSING_AMOUNT,
  DD_IMPORT_REASON_INVALID_AMOUNT,
  DD_IMPORT_REASON_MISSING_DUE_DATE,
  DD_IMPORT_REASON_INVALID_DUE_DATE,
  DD_IMPORT_REASON_INVALID_CURRENCY,
  DD_IMPORT_REASON_DUPLICATE_INVOICE,
  DD_IMPORT_REASON_TOTALS_ROW,
  /* warnings */
  DD_IMPORT_REASON_STRAY_QUOTE,
  DD_IMPORT_REASON_AMBIGUOUS_AMOUNT,
  DD_IMPORT_REASON_NEGATIVE_AMOUNT,
  DD_IMPORT_REASON_INVALID_ISSUE_DATE,
  DD_IMPORT_REASON_INVALID_BIRTHDAY,
  DD_IMPORT_REASON_INVALID_TAX_ID,
  DD_IMPORT_REASON_INVALID_PHONE,
  DD_IMPORT_REASON_NO_PHONE,
  DD_IMPORT_REASON_SHARED_PHONE,
  DD_IMPORT_REASON_INVALID_EMAIL,
  DD_N_IMPORT_REASONS
} DdImportReason;

const char       *dd_import_reason_to_key       (DdImportReason reason);  /* "invalid-phone" */
const char       *dd_import_reason_get_label    (DdImportReason reason);  /* translated */
DdImportSeverity  dd_import_reason_get_severity (DdImportReason reason);

typedef struct
{
  guint64         row;          /* record number in the file, 1-based, header included */
  guint64         line;         /* physical line where the record starts */
  int             column;       /* column index, -1 for the whole row */
  DdImportReason  reason;
  char           *detail;       /* translated explanation with the offending value */
} DdImportIssue;

typedef struct
{
  char       *currency;
  gint64      minor;
} DdImportTotal;

/* The sum of one money column (invoice total, amount paid, amount due) over imported rows. */
typedef struct
{
  DdImportField  field;
  char          *currency;
  gint64         minor;
} DdImportColumnTotal;

#define DD_TYPE_IMPORT_SUMMARY (dd_import_summary_get_type ())

typedef struct
{
  /* what was read */
  char      *file_name;
  char      *encoding;
  char       delimiter;
  guint      skip_records;        /* a report's title before the table, passed over */
  guint64    table_line;          /* the line the table starts on (its header, if any) */
  gboolean   has_header;
  gboolean   month_first;         /* slash dates read as MM/DD/YYYY */
  gboolean   dates_ambiguous;     /* every slash date fitted both orders: read day first */
  GStrv      headers;
  DdColumnMap mapping;
  gboolean   dry_run;

  guint64    rows_read;           /* data records, header excluded */
  guint64    rows_imported;
  guint64    rows_rejected;
  guint64    rows_with_warnings;

  guint64    debtors_new;
  guint64    debtors_updated;
  guint64    cases_new;
  guint64    cases_updated;
  guint64    liabilities_new;
  guint64    liabilities_updated;
  guint64    liabilities_unchanged;
  guint64    liabilities_marked_paid;
  guint64    phones_new;

  guint64    by_reason[DD_N_IMPORT_REASONS];
  GArray    *issues;              /* of DdImportIssue, in file order */
  GArray    *totals;              /* of DdImportTotal: outstanding imported, per currency */
  gint64     run_id;

  /* money columns: each one's total, so a wrong choice of the debt column shows */
  GArray    *column_totals;       /* of DdImportColumnTotal, imported rows only */
  /* the country phone numbers and tax ids were read with, and the one the file looks like */
  char      *country;
  char      *file_country;        /* NULL when the file does not tell */
  gboolean   country_from_file;   /* the office had none: the file's was used */
} DdImportSummary;

GType            dd_import_summary_get_type   (void) G_GNUC_CONST;
DdImportSummary *dd_import_summary_new        (void);
DdImportSummary *dd_import_summary_copy       (const DdImportSummary *self);
void             dd_import_summary_free       (DdImportSummary       *self);

void             dd_import_summary_add_issue  (DdImportSummary       *self,
                                               guint64                row,
                                               guint64                line,
                                               int                    column,
                                               DdImportReason         reason,
                                               char                  *detail);
void             dd_import_summary_add_total  (DdImportSummary       *self,
                                               const char            *currency,
                                               gint64                 minor);
gint64           dd_import_summary_get_total  (const DdImportSummary *self,
                                               const char            *currency);
void             dd_import_summary_add_column_total (DdImportSummary *self,
                                                     DdImportField    field,
                                                     const char      *currency,
                                                     gint64           minor);
/* The total of @field's column in @currency; FALSE if the column has none in it. */
gboolean         dd_import_summary_get_column_total (const DdImportSummary *self,
                                                     DdImportField          field,
                                                     const char            *currency,
                                                     gint64                *out_minor);
/* The translated line that says where the debt comes from, without the amounts:
 * "Debt taken from column “Pozostało do zapłaty”". */
char            *dd_import_summary_describe_debt (const DdImportSummary *self);
/* The name of @column for the user: its header, "Kwota (column 11)" when another column has
 * the same header (@translated: in the user's language, else in English for --json), its
 * number without a header; NULL for a column < 0. */
char            *dd_import_summary_get_column_label (const DdImportSummary *self,
                                                     int                    column,
                                                     gboolean               translated);
/* The translated warning when the file looks like another country's than the office's,
 * else NULL. */
char            *dd_import_summary_country_warning (const DdImportSummary *self);
guint64          dd_import_summary_count_severity (const DdImportSummary *self,
                                                   DdImportSeverity       severity);

/* The machine-readable summary printed by `dunning-desk-cli import --json`. */
char            *dd_import_summary_to_json    (const DdImportSummary *self,
                                               gboolean               pretty);
/* A human-readable, translated multi-line summary. */
char            *dd_import_summary_to_text    (const DdImportSummary *self,
                                               guint                  max_issues);
/* "Row 12 (line 13), column “Telefon”: The phone number is too short" */
char            *dd_import_issue_to_string    (const DdImportSummary *self,
                                               const DdImportIssue   *issue);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdImportSummary, dd_import_summary_free)

G_END_DECLS
