/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-import"

#include "config.h"

#include "dd-importer.h"
#include "dd-case-store.h"
#include "dd-csv-reader.h"
#include "dd-csv-sniffer.h"
#include "dd-dates.h"
#include "dd-debtor-store.h"
#include "dd-import-store.h"
#include "dd-money.h"
#include "dd-phone.h"
#include "dd-region.h"
#include "dd-sqlite-database.h"
#include "dd-tax-id.h"
#include "dd-text-scan.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#define SNIFF_BYTES (64 * 1024)
#define PROGRESS_EVERY 1000

struct _DdImporter
{
  GObject        parent_instance;

  DdDatabase    *database;
  DdCaseStore   *cases;
  DdDebtorStore *debtors;
  DdImportStore *imports;
};

G_DEFINE_FINAL_TYPE (DdImporter, dd_importer, G_TYPE_OBJECT)

G_DEFINE_QUARK (dd-import-error-quark, dd_import_error)

/* A phone cell and what dd_phone_normalize() made of it: the number, or why not. */
typedef struct
{
  char        *text;
  char        *e164;       /* NULL when the cell is not a phone number */
  DdPhoneKind  kind;
  char        *message;    /* why not */
} PhoneMemo;

/* The phone numbers the office holds, as a Bloom filter: a number it says is not there is
 * surely not there, so a new number needs no look-up for another owner. */
typedef struct
{
  guint64 *bits;           /* NULL: no filter, every new number is looked up */
  guint64  mask;           /* number of bits - 1 */
} PhoneFilter;

/* Per-run state. */
typedef struct
{
  DdImporter            *importer;
  const DdImportOptions *options;
  DdImportSummary       *summary;
  DdCsvReader           *reader;
  guint                  n_columns;
  gint64                 run_id;
  const char            *country;
  const char            *currency;
  char                   header_currency[4];  /* named by the debt column's label */
  gboolean               currency_given;   /* by the options or the preset */
  DdImportPresetSettings kept;             /* what the preset used keeps */
  GHashTable            *creditors;        /* name → id (gint64 in a pointer) */
  GArray                *creditor_ids;     /* creditors seen in this run */
  GString               *scratch;
  /* Rows of one debtor usually follow each other: what the previous row stored. */
  char                  *prev_debtor_sig;
  gint64                 prev_debtor_id;
  GPtrArray             *prev_phones;      /* E.164 numbers known for prev_debtor_id */
  PhoneFilter            phones;           /* the writer: numbers of the office and the run */
  gint64                 prev_case_debtor;
  gint64                 prev_case_creditor;
  gint64                 prev_case_id;
  /* issues of the current row */
  GArray                *row_issues;       /* of DdImportIssue (details owned) */
  gboolean               row_rejected;
  /* the row being written, when it was read by the parsing thread (reader NULL) */
  guint64                record;
  guint64                line;
  GStrv                  fields;
  /* the parsing thread: each phone column of the previous row as libphonenumber read it
   * (rows of one debtor follow each other and repeat the debtor's numbers) */
  PhoneMemo              phone_memo[DD_IMPORT_N_PHONES];
} ImportRun;

static void
phone_memo_clear (PhoneMemo *memo)
{
  g_clear_pointer (&memo->text, g_free);
  g_clear_pointer (&memo->e164, g_free);
  g_clear_pointer (&memo->message, g_free);
}

static void
dd_importer_finalize (GObject *object)
{
  DdImporter *self = DD_IMPORTER (object);

  g_clear_object (&self->cases);
  g_clear_object (&self->debtors);
  g_clear_object (&self->imports);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (dd_importer_parent_class)->finalize (object);
}

static void
dd_importer_class_init (DdImporterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dd_importer_finalize;
}

static void
dd_importer_init (DdImporter *self)
{
}

DdImporter *
dd_importer_new (DdDatabase *database)
{
  DdImporter *self;

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);

  self = g_object_new (DD_TYPE_IMPORTER, NULL);
  self->database = g_object_ref (database);
  self->cases = dd_case_store_new (database);
  self->debtors = dd_debtor_store_new (database);
  self->imports = dd_import_store_new (database);
  return self;
}

void
dd_import_options_init (DdImportOptions *options)
{
  memset (options, 0, sizeof *options);
  options->has_header = -1;
}

/* Issues */

static void
row_issue (ImportRun      *run,
           int             column,
           DdImportReason  reason,
           char           *detail)
{
  DdImportIssue issue = {
    run->reader ? dd_csv_reader_get_record_number (run->reader) : run->record,
    run->reader ? dd_csv_reader_get_line_number (run->reader) : run->line,
    column, reason, detail,
  };

  g_array_append_val (run->row_issues, issue);
  if (dd_import_reason_get_severity (reason) == DD_IMPORT_SEVERITY_REJECTED)
    run->row_rejected = TRUE;
}

/* "The phone number is too short: “12 34”" */
static char *
detail_with_value (const char *message,
                   const char *value)
{
  if (value == NULL || *value == '\0')
    return g_strdup (message);
  /* Translators: an explanation, then the value found in the file */
  return g_strdup_printf (_("%s: “%s”"), message, value);
}

/* CSV output of rejected rows */

static void
append_csv_field (GString    *out,
                  const char *value,
                  char        delimiter)
{
  gboolean quote = strchr (value, delimiter) != NULL || strpbrk (value, "\"\r\n") != NULL;

  if (!quote)
    {
      g_string_append (out, value);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static gboolean
write_rejects_header (ImportRun  *run,
                      GError    **error)
{
  GString *out = run->scratch;
  char d = run->summary->delimiter;

  g_string_truncate (out, 0);
  append_csv_field (out, _("Row"), d);
  g_string_append_c (out, d);
  append_csv_field (out, _("Line"), d);
  g_string_append_c (out, d);
  append_csv_field (out, _("Result"), d);
  g_string_append_c (out, d);
  append_csv_field (out, _("Column"), d);
  g_string_append_c (out, d);
  append_csv_field (out, _("Problem"), d);
  for (guint i = 0; run->summary->headers && run->summary->headers[i]; i++)
    {
      g_string_append_c (out, d);
      append_csv_field (out, run->summary->headers[i], d);
    }
  g_string_append (out, "\r\n");
  return g_output_stream_write_all (run->options->rejects, out->str, out->len, NULL, NULL, error);
}

static gboolean
write_rejected_row (ImportRun  *run,
                    GError    **error)
{
  GString *out = run->scratch;
  char d = run->summary->delimiter;
  guint n = run->fields ? g_strv_length (run->fields) : 0;
  g_autofree char *row = NULL, *line = NULL;
  GString *columns = g_string_new (NULL);
  GString *problems = g_string_new (NULL);

  for (guint i = 0; i < run->row_issues->len; i++)
    {
      const DdImportIssue *issue = &g_array_index (run->row_issues, DdImportIssue, i);
      g_autofree char *column = NULL;

      /* "Kwota (column 11)" when two columns have that header */
      if (issue->column >= 0 && run->summary->headers &&
          (guint) issue->column < g_strv_length (run->summary->headers))
        column = dd_import_summary_get_column_label (run->summary, issue->column, TRUE);
      else if (issue->column >= 0)
        column = g_strdup ("?");

      if (i > 0)
        {
          g_string_append (columns, "; ");
          g_string_append (problems, "; ");
        }
      g_string_append (columns, column != NULL ? column : "");
      g_string_append (problems, issue->detail ? issue->detail
                                               : dd_import_reason_get_label (issue->reason));
    }

  row = g_strdup_printf ("%" G_GUINT64_FORMAT, run->record);
  line = g_strdup_printf ("%" G_GUINT64_FORMAT, run->line);

  g_string_truncate (out, 0);
  append_csv_field (out, row, d);
  g_string_append_c (out, d);
  append_csv_field (out, line, d);
  g_string_append_c (out, d);
  append_csv_field (out, run->row_rejected ? _("rejected") : _("imported with warnings"), d);
  g_string_append_c (out, d);
  append_csv_field (out, columns->str, d);
  g_string_append_c (out, d);
  append_csv_field (out, problems->str, d);
  for (guint i = 0; i < n; i++)
    {
      g_string_append_c (out, d);
      append_csv_field (out, run->fields[i], d);
    }
  g_string_append (out, "\r\n");

  g_string_free (columns, TRUE);
  g_string_free (problems, TRUE);
  return g_output_stream_write_all (run->options->rejects, out->str, out->len, NULL, NULL, error);
}

/* Values */

static const char *
field_value (ImportRun     *run,
             DdImportField  field)
{
  int column = run->summary->mapping.column[field];
  const char *value;

  if (column < 0)
    return NULL;
  value = dd_csv_reader_get_field (run->reader, column);
  return value;
}

/* A trimmed copy in @buf, or NULL when empty. */
static char *
trimmed (const char *value)
{
  char *copy;

  if (value == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (value));
  if (*copy == '\0')
    {
      g_free (copy);
      return NULL;
    }
  return copy;
}

static gboolean
email_looks_valid (const char *email)
{
  const char *at = strchr (email, '@');

  if (at == NULL || at == email || strchr (at + 1, '@') != NULL)
    return FALSE;
  if (strpbrk (email, " \t,;<>") != NULL)
    return FALSE;
  return strchr (at + 1, '.') != NULL && at[1] != '.' &&
         email[strlen (email) - 1] != '.';
}

static gboolean
currency_code_valid (const char *code)
{
  return strlen (code) == 3 &&
         g_ascii_isalpha (code[0]) && g_ascii_isalpha (code[1]) && g_ascii_isalpha (code[2]);
}

static gboolean
lookup_creditor (ImportRun   *run,
                 const char  *name,
                 gint64      *out_id,
                 GError     **error)
{
  gpointer value;
  gint64 id;

  if (g_hash_table_lookup_extended (run->creditors, name, NULL, &value))
    {
      *out_id = GPOINTER_TO_SIZE (value);
      return TRUE;
    }
  if (!dd_case_store_ensure_creditor (run->importer->cases, name, &id, error))
    return FALSE;
  g_hash_table_insert (run->creditors, g_strdup (name), GSIZE_TO_POINTER ((gsize) id));
  *out_id = id;
  return TRUE;
}

/* Remembers that the file speaks for @creditor_id (for "mark missing as paid"). */
static void
note_creditor (ImportRun *run,
               gint64     creditor_id)
{
  for (guint i = 0; i < run->creditor_ids->len; i++)
    if (g_array_index (run->creditor_ids, gint64, i) == creditor_id)
      return;
  g_array_append_val (run->creditor_ids, creditor_id);
}

typedef struct
{
  char        *e164;
  DdPhoneKind  kind;
} RowPhone;

/* One data row, read and normalised. */
typedef struct
{
  char       *name;
  char       *invoice;
  char       *due_iso;
  char       *issued_iso;
  char       *birthday_iso;
  char       *tax_id;
  const char *tax_kind;
  char       *email;
  char       *address;
  char       *creditor;
  char       *dedup_key;
  char       *debtor_sig;  /* all the debtor's values: equal in consecutive rows of one debtor */
  char        currency[4];
  gint64      amount;
  /* the other money columns, for their totals */
  gint64      money[DD_N_IMPORT_FIELDS];
  gboolean    has_money[DD_N_IMPORT_FIELDS];
  RowPhone    phones[DD_IMPORT_N_PHONES];
  guint       n_phones;
} Row;

static void
row_clear (Row *row)
{
  g_free (row->name);
  g_free (row->invoice);
  g_free (row->due_iso);
  g_free (row->issued_iso);
  g_free (row->birthday_iso);
  g_free (row->tax_id);
  g_free (row->email);
  g_free (row->address);
  g_free (row->creditor);
  g_free (row->dedup_key);
  g_free (row->debtor_sig);
  for (guint p = 0; p < row->n_phones; p++)
    g_free (row->phones[p].e164);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Row, row_clear)

static int
column_of (ImportRun     *run,
           DdImportField  field)
{
  return run->summary->mapping.column[field];
}

/* The record as the reader saw it: its encoding, quotes and number of columns. Returns FALSE
 * when the row cannot be read field by field. */
static gboolean
check_record (ImportRun *run)
{
  DdCsvRecordFlags flags = dd_csv_reader_get_record_flags (run->reader);
  guint n_fields = dd_csv_reader_get_n_fields (run->reader);

  if (flags & DD_CSV_RECORD_INVALID_ENCODING)
    row_issue (run, -1, DD_IMPORT_REASON_INVALID_ENCODING, NULL);
  if (flags & DD_CSV_RECORD_STRAY_QUOTE)
    row_issue (run, -1, DD_IMPORT_REASON_STRAY_QUOTE, NULL);
  if (run->n_columns > 0 && n_fields != run->n_columns)
    {
      row_issue (run, -1, DD_IMPORT_REASON_RAGGED_ROW,
                 g_strdup_printf (_("The row has %u columns, the header has %u"),
                                  n_fields, run->n_columns));
      return FALSE;
    }
  return !run->row_rejected;
}

gboolean
dd_import_label_currency (const char *label,
                          char        out_code[4])
{
  g_autofree char *text = NULL;
  g_auto(GStrv) words = NULL;

  if (label == NULL)
    return FALSE;
  text = g_strdup (label);
  g_strdelimit (text, ",;:()[]/", ' ');
  words = g_strsplit (text, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *money = NULL;
      char currency[4] = { 0 };
      DdMoneyParseFlags flags = 0;
      gint64 minor;

      if (words[i][0] == '\0')
        continue;
      money = g_strconcat ("1 ", words[i], NULL);
      if (dd_money_parse (money, "XXX", &minor, currency, &flags, NULL) &&
          !(flags & DD_MONEY_PARSE_DEFAULT_CURRENCY) && dd_money_currency_is_known (currency))
        {
          memcpy (out_code, currency, 4);
          return TRUE;
        }
    }
  return FALSE;
}

/* The column whose label can name the debt's currency: the amount due, else the total. */
static int
debt_column (const DdColumnMap *map)
{
  return map->column[DD_IMPORT_FIELD_AMOUNT] >= 0 ? map->column[DD_IMPORT_FIELD_AMOUNT]
                                                  : map->column[DD_IMPORT_FIELD_TOTAL];
}

gboolean
dd_import_preview_debt_currency (const DdImportPreview *preview,
                                 const DdColumnMap     *map,
                                 char                   out_code[4])
{
  int column = debt_column (map);

  if (preview->headers == NULL || column < 0 ||
      (guint) column >= g_strv_length (preview->headers))
    return FALSE;
  return dd_import_label_currency (preview->headers[column], out_code);
}

/* The currency that the label of the debt's column names ("Сумма долга, руб.", "Amount
 * due (EUR)", "Pozostało, zł"): the amounts of a file that names none in its cells are in
 * it, unless the user said which. */
static void
take_currency_from_header (ImportRun *run)
{
  GStrv headers = run->summary->headers;
  int column = debt_column (&run->summary->mapping);

  if (headers == NULL || column < 0 || (guint) column >= g_strv_length (headers) ||
      run->currency_given)
    return;
  if (dd_import_label_currency (headers[column], run->header_currency))
    run->currency = run->header_currency;
}

/* The currency column, when there is one. */
static void
read_currency (ImportRun *run,
               Row       *row)
{
  g_autofree char *text = trimmed (field_value (run, DD_IMPORT_FIELD_CURRENCY));
  g_autofree char *upper = NULL;

  if (text == NULL)
    return;
  upper = g_ascii_strup (text, -1);
  if (!currency_code_valid (upper))
    {
      /* a symbol or an abbreviation ("zł", "руб.", "€") as the exports write it */
      g_autofree char *money = g_strconcat ("1 ", text, NULL);
      char code[4] = { 0 };
      gint64 minor;
      DdMoneyParseFlags flags = 0;

      if (dd_money_parse (money, run->currency, &minor, code, &flags, NULL) &&
          !(flags & DD_MONEY_PARSE_DEFAULT_CURRENCY))
        {
          g_free (upper);
          upper = g_strdup (code);
        }
    }
  if (!currency_code_valid (upper))
    row_issue (run, column_of (run, DD_IMPORT_FIELD_CURRENCY), DD_IMPORT_REASON_INVALID_CURRENCY,
               detail_with_value (dd_import_reason_get_label (DD_IMPORT_REASON_INVALID_CURRENCY),
                                  text));
  else
    memcpy (row->currency, upper, 4);
}

/* A money cell of @field, in the currency it names, the currency column's or the office's.
 * A cell that is part of the debt (@debt) must be a sum of money; an empty one is missing
 * unless @empty_is_zero. Other money cells are only counted when they are sums. */
static gboolean
read_money (ImportRun     *run,
            Row           *row,
            DdImportField  field,
            gboolean       debt,
            gboolean       empty_is_zero,
            gint64        *out_minor)
{
  int column = column_of (run, field);
  g_autofree char *text = trimmed (field_value (run, field));
  g_autoptr(GError) local_error = NULL;
  DdMoneyParseFlags money_flags = 0;
  char parsed_currency[4] = { 0 };
  const char *fallback = row->currency[0] ? row->currency : run->currency;

  *out_minor = 0;
  if (text == NULL)
    {
      if (empty_is_zero)
        return TRUE;
      if (debt)
        row_issue (run, column, DD_IMPORT_REASON_MISSING_AMOUNT, NULL);
      return FALSE;
    }
  /* a spreadsheet's accounting format writes nothing as a dash */
  if (g_str_equal (text, "-") || g_str_equal (text, "–") || g_str_equal (text, "—"))
    {
      if (debt && !row->currency[0])
        g_strlcpy (row->currency, fallback, sizeof row->currency);
      return TRUE;
    }
  if (!dd_money_parse (text, fallback, out_minor, parsed_currency, &money_flags,
                       &local_error))
    {
      if (debt)
        row_issue (run, column, DD_IMPORT_REASON_INVALID_AMOUNT,
                   detail_with_value (local_error->message, text));
      return FALSE;
    }
  if (!debt)
    return g_ascii_strcasecmp (parsed_currency, fallback) == 0;

  if (row->currency[0] && g_ascii_strcasecmp (parsed_currency, row->currency) != 0)
    row_issue (run, column, DD_IMPORT_REASON_INVALID_CURRENCY,
               g_strdup_printf (_("The amount is in %s but the currency column says %s"),
                                parsed_currency, row->currency));
  memcpy (row->currency, parsed_currency, 4);
  if (money_flags & DD_MONEY_PARSE_AMBIGUOUS)
    row_issue (run, column, DD_IMPORT_REASON_AMBIGUOUS_AMOUNT,
               detail_with_value (dd_import_reason_get_label (DD_IMPORT_REASON_AMBIGUOUS_AMOUNT),
                                  text));
  return TRUE;
}

/* The debt of the row: the amount-due column, else the invoice total less what was paid. */
static void
read_amount (ImportRun *run,
             Row       *row)
{
  DdDebtSource source = dd_column_map_get_debt_source (&run->summary->mapping);
  DdImportField debt_field = source == DD_DEBT_SOURCE_REMAINING ? DD_IMPORT_FIELD_AMOUNT
                                                                 : DD_IMPORT_FIELD_TOTAL;
  gboolean ok;

  ok = read_money (run, row, debt_field, TRUE, FALSE, &row->money[debt_field]);
  row->has_money[debt_field] = ok;
  row->amount = row->money[debt_field];
  if (ok && source == DD_DEBT_SOURCE_TOTAL_MINUS_PAID)
    {
      ok = read_money (run, row, DD_IMPORT_FIELD_PAID, TRUE, TRUE,
                       &row->money[DD_IMPORT_FIELD_PAID]);
      row->has_money[DD_IMPORT_FIELD_PAID] = ok;
      row->amount -= row->money[DD_IMPORT_FIELD_PAID];
    }
  if (!ok)
    return;

  for (guint f = 0; f < DD_N_IMPORT_FIELDS; f++)
    if (dd_import_field_is_money (f) && column_of (run, f) >= 0 && !row->has_money[f])
      row->has_money[f] = read_money (run, row, f, FALSE, FALSE, &row->money[f]);

  if (row->amount < 0)
    {
      g_autofree char *text = trimmed (field_value (run, debt_field));

      row_issue (run, column_of (run, debt_field), DD_IMPORT_REASON_NEGATIVE_AMOUNT,
                 detail_with_value (dd_import_reason_get_label (DD_IMPORT_REASON_NEGATIVE_AMOUNT),
                                    source == DD_DEBT_SOURCE_TOTAL_MINUS_PAID ? NULL : text));
    }
}

/* "M/D/YYYY…" as "D/M/YYYY…"; NULL when @text does not start with two numbers and slashes. */
static char *
swap_month_first (const char *text)
{
  const char *slash1 = strchr (text, '/');
  const char *slash2 = slash1 != NULL ? strchr (slash1 + 1, '/') : NULL;

  if (slash2 == NULL || slash1 == text || slash2 == slash1 + 1 ||
      strspn (text, "0123456789") != (gsize) (slash1 - text) ||
      strspn (slash1 + 1, "0123456789") != (gsize) (slash2 - slash1 - 1))
    return NULL;
  return g_strdup_printf ("%.*s/%.*s%s", (int) (slash2 - slash1 - 1), slash1 + 1,
                          (int) (slash1 - text), text, slash2);
}

/* A date cell that a spreadsheet saved as its serial number (days since 30.12.1899, what
 * Excel and LibreOffice write for a date cell formatted as a number): five digits, 1970 to
 * 2099. */
static gboolean
excel_serial_date (const char *text,
                   GDate      *out_date)
{
  guint64 serial;

  if (strlen (text) != 5 || strspn (text, "0123456789") != 5)
    return FALSE;
  serial = g_ascii_strtoull (text, NULL, 10);
  if (serial < 25569 || serial > 73050)
    return FALSE;
  g_date_clear (out_date, 1);
  g_date_set_dmy (out_date, 30, G_DATE_DECEMBER, 1899);
  g_date_add_days (out_date, (guint) serial);
  return TRUE;
}

/**
 * dd_import_read_date:
 * @text: a trimmed field of the file
 * @month_first: slash dates are MM/DD/YYYY ("10/31/2026"), as American exports write them
 * @out_date: (out caller-allocates): the date; cleared (invalid) on failure
 *
 * Reads @text as the import reads a date with that order of slash dates (the preview shows
 * dates as they will be imported).
 *
 * Returns: TRUE when @text is a date
 */
gboolean
dd_import_read_date (const char *text,
                     gboolean    month_first,
                     GDate      *out_date)
{
  g_return_val_if_fail (out_date != NULL, FALSE);

  if (text == NULL)
    {
      g_date_clear (out_date, 1);
      return FALSE;
    }
  if (month_first)
    {
      /* "10/31/2026" as "31/10/2026" */
      g_autofree char *swapped = swap_month_first (text);

      if (swapped != NULL && dd_date_parse (swapped, out_date, NULL))
        return TRUE;
    }
  if (dd_date_parse (text, out_date, NULL))
    return TRUE;
  return excel_serial_date (text, out_date);
}

/* Whether @text is a date written with slashes that reads as a date in one order or the
 * other ("31/10/2026", "10/31/2026"). */
static gboolean
is_slash_date (const char *text)
{
  g_autofree char *trimmed_text = g_strstrip (g_strdup (text));
  g_autofree char *swapped = swap_month_first (trimmed_text);

  return swapped != NULL && strchr (trimmed_text, '/') != NULL &&
         (dd_date_parse (trimmed_text, NULL, NULL) || dd_date_parse (swapped, NULL, NULL));
}

/* @text (a trimmed field, nullable) as an ISO 8601 date; NULL when empty or not a date
 * (then @reason is raised on the field's column). */
static char *
parse_date (ImportRun      *run,
            DdImportField   field,
            const char     *text,
            DdImportReason  reason)
{
  g_autoptr(GError) local_error = NULL;
  GDate date;

  if (text == NULL)
    return NULL;
  if (dd_import_read_date (text, run->summary->month_first, &date))
    return dd_date_to_iso (&date);
  /* not a date either way: dd_date_parse() says why */
  dd_date_parse (text, NULL, &local_error);
  row_issue (run, column_of (run, field), reason,
             detail_with_value (local_error != NULL ? local_error->message : NULL, text));
  return NULL;
}

/* An optional date field, as parse_date(). */
static char *
read_date (ImportRun      *run,
           DdImportField   field,
           DdImportReason  reason)
{
  g_autofree char *text = trimmed (field_value (run, field));

  return parse_date (run, field, text, reason);
}

/* Words that open the totals row under a report's table ("Razem", "Итого"…), casefolded. */
static const char * const totals_words[] = {
  "razem", "suma", "ogółem", "łącznie", "podsumowanie",
  "итого", "всего", "итог",
  "total", "totals", "grand total", "sum",
};

/* Whether @text (trimmed) is a totals word, with or without a colon or a dot. */
static gboolean
is_totals_word (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  gsize len = strlen (folded);

  while (len > 0 && (folded[len - 1] == ':' || folded[len - 1] == '.'))
    folded[--len] = '\0';
  for (guint k = 0; k < G_N_ELEMENTS (totals_words); k++)
    if (g_str_equal (folded, totals_words[k]))
      return TRUE;
  return FALSE;
}

/* Whether the row is the report's totals line: its first filled field a totals word, and no
 * debtor, invoice or due date but that word (reports put it under the name, the invoice or
 * the column left of the sums). */
static gboolean
is_totals_row (ImportRun *run)
{
  static const DdImportField own[] = {
    DD_IMPORT_FIELD_DEBTOR_NAME, DD_IMPORT_FIELD_INVOICE, DD_IMPORT_FIELD_DUE_ON,
  };
  guint n_fields = dd_csv_reader_get_n_fields (run->reader);
  g_autofree char *label = NULL;

  for (guint i = 0; i < n_fields && label == NULL; i++)
    label = trimmed (dd_csv_reader_get_field (run->reader, i));
  if (label == NULL || !is_totals_word (label))
    return FALSE;
  for (guint k = 0; k < G_N_ELEMENTS (own); k++)
    {
      g_autofree char *text = trimmed (field_value (run, own[k]));

      if (text != NULL && !g_str_equal (text, label))
        return FALSE;
    }
  return TRUE;
}

/* The values a row cannot do without: name, invoice, amount, due date. */
static void
read_required (ImportRun *run,
               Row       *row)
{
  g_autofree char *due_text = NULL;

  row->name = trimmed (field_value (run, DD_IMPORT_FIELD_DEBTOR_NAME));
  if (row->name == NULL)
    row_issue (run, column_of (run, DD_IMPORT_FIELD_DEBTOR_NAME), DD_IMPORT_REASON_MISSING_NAME,
               NULL);

  row->invoice = trimmed (field_value (run, DD_IMPORT_FIELD_INVOICE));
  if (row->invoice == NULL)
    row_issue (run, column_of (run, DD_IMPORT_FIELD_INVOICE), DD_IMPORT_REASON_MISSING_INVOICE,
               NULL);

  read_currency (run, row);
  read_amount (run, row);

  due_text = trimmed (field_value (run, DD_IMPORT_FIELD_DUE_ON));
  if (due_text == NULL)
    row_issue (run, column_of (run, DD_IMPORT_FIELD_DUE_ON), DD_IMPORT_REASON_MISSING_DUE_DATE,
               NULL);
  else
    row->due_iso = parse_date (run, DD_IMPORT_FIELD_DUE_ON, due_text,
                               DD_IMPORT_REASON_INVALID_DUE_DATE);
}

static const char *
tax_kind_name (DdTaxIdKind kind)
{
  switch (kind)
    {
    case DD_TAX_ID_NIP: return "nip";
    case DD_TAX_ID_PESEL: return "pesel";
    case DD_TAX_ID_INN_LEGAL:
    case DD_TAX_ID_INN_PERSON: return "inn";
    case DD_TAX_ID_UNKNOWN:
    default: return NULL;
    }
}

static void
read_tax_id (ImportRun *run,
             Row       *row)
{
  g_autofree char *text = trimmed (field_value (run, DD_IMPORT_FIELD_TAX_ID));
  g_autoptr(GError) local_error = NULL;
  DdTaxIdKind kind = DD_TAX_ID_UNKNOWN;

  if (text == NULL)
    return;
  row->tax_id = dd_tax_id_normalize (text, run->country, &kind, &local_error);
  if (row->tax_id == NULL)
    {
      g_autoptr(GError) any_error = NULL;

      /* A Russian INN in a Polish office (or the reverse) is still a valid id. */
      row->tax_id = dd_tax_id_normalize (text, NULL, &kind, &any_error);
    }
  if (row->tax_id == NULL)
    row_issue (run, column_of (run, DD_IMPORT_FIELD_TAX_ID), DD_IMPORT_REASON_INVALID_TAX_ID,
               detail_with_value (local_error->message, text));
  else
    row->tax_kind = tax_kind_name (kind);
}

/* Optional values: a bad one is left out with a warning (checked on rejected rows too, so
 * the clerk sees every problem of a row at once). */
static void
read_optional (ImportRun *run,
               Row       *row)
{
  row->issued_iso = read_date (run, DD_IMPORT_FIELD_ISSUED_ON, DD_IMPORT_REASON_INVALID_ISSUE_DATE);
  row->birthday_iso = read_date (run, DD_IMPORT_FIELD_BIRTHDAY, DD_IMPORT_REASON_INVALID_BIRTHDAY);
  read_tax_id (run, row);

  row->email = trimmed (field_value (run, DD_IMPORT_FIELD_EMAIL));
  if (row->email != NULL && !email_looks_valid (row->email))
    {
      row_issue (run, column_of (run, DD_IMPORT_FIELD_EMAIL), DD_IMPORT_REASON_INVALID_EMAIL,
                 detail_with_value (dd_import_reason_get_label (DD_IMPORT_REASON_INVALID_EMAIL),
                                    row->email));
      g_clear_pointer (&row->email, g_free);
    }
  row->address = trimmed (field_value (run, DD_IMPORT_FIELD_ADDRESS));
  row->creditor = trimmed (field_value (run, DD_IMPORT_FIELD_CREDITOR));
}

/* The phone columns, in E.164, each number once; a row needs one. */
static void
read_phones (ImportRun *run,
             Row       *row)
{
  for (guint p = 0; p < DD_IMPORT_N_PHONES; p++)
    {
      g_autofree char *text = trimmed (field_value (run, DD_IMPORT_FIELD_PHONE_1 + p));
      PhoneMemo *memo = &run->phone_memo[p];
      char *e164 = NULL;
      DdPhoneKind kind = DD_PHONE_KIND_UNKNOWN;
      gboolean duplicate = FALSE;

      if (text == NULL)
        continue;
      if (g_strcmp0 (memo->text, text) != 0)
        {
          g_autoptr(GError) local_error = NULL;

          phone_memo_clear (memo);
          memo->text = g_strdup (text);
          if (!dd_phone_normalize (text, run->country, &memo->e164, &memo->kind, &local_error))
            {
              g_clear_pointer (&memo->e164, g_free);
              memo->message = g_strdup (local_error->message);
            }
        }
      if (memo->e164 == NULL)
        {
          row_issue (run, column_of (run, DD_IMPORT_FIELD_PHONE_1 + p),
                     DD_IMPORT_REASON_INVALID_PHONE, detail_with_value (memo->message, text));
          continue;
        }
      e164 = g_strdup (memo->e164);
      kind = memo->kind;
      for (guint q = 0; q < row->n_phones; q++)
        duplicate |= g_str_equal (row->phones[q].e164, e164);
      if (duplicate)
        {
          g_free (e164);
          continue;
        }
      row->phones[row->n_phones].e164 = e164;
      row->phones[row->n_phones].kind = kind;
      row->n_phones++;
    }
  if (row->n_phones == 0)
    row_issue (run, -1, DD_IMPORT_REASON_NO_PHONE, NULL);
}

/* One debtor per tax id, or per name and phone. */
static char *
debtor_key (const Row *row)
{
  g_autofree char *folded = NULL;
  g_autofree char *normalized = NULL;
  const char *second;

  if (row->tax_id != NULL)
    return g_strconcat ("tax:", row->tax_id, NULL);

  folded = g_utf8_casefold (row->name, -1);
  normalized = g_utf8_normalize (folded, -1, G_NORMALIZE_NFC);
  second = row->n_phones > 0 ? row->phones[0].e164
                             : (row->email ? row->email : (row->address ? row->address : ""));
  return g_strconcat ("name:", normalized, "|", second, NULL);
}

/* The debtor, merged with what the database knows; rows of the same debtor in a row (the
 * usual order of an export) are written once. */
static gboolean
store_debtor (ImportRun  *run,
              Row        *row,
              gint64     *out_debtor_id,
              GError    **error)
{
  DdDebtorRecord debtor = {
    .dedup_key = row->dedup_key, .name = row->name, .tax_id = row->tax_id,
    .tax_id_kind = row->tax_kind, .email = row->email, .address = row->address,
    .birthday = row->birthday_iso,
  };
  DdUpsertResult result;
  gint64 debtor_id;

  if (run->prev_debtor_sig != NULL && g_str_equal (row->debtor_sig, run->prev_debtor_sig))
    {
      *out_debtor_id = run->prev_debtor_id;
      return TRUE;
    }

  if (!dd_debtor_store_upsert (run->importer->debtors, &debtor, run->run_id, &debtor_id,
                               &result, error))
    return FALSE;
  if (result == DD_UPSERT_NEW)
    run->summary->debtors_new++;
  else if (result == DD_UPSERT_UPDATED || result == DD_UPSERT_UNCHANGED)
    run->summary->debtors_updated++;
  if (debtor_id != run->prev_debtor_id)
    g_ptr_array_set_size (run->prev_phones, 0);
  g_free (run->prev_debtor_sig);
  run->prev_debtor_sig = g_steal_pointer (&row->debtor_sig);
  run->prev_debtor_id = debtor_id;
  *out_debtor_id = debtor_id;
  return TRUE;
}

#define PHONE_FILTER_PROBES 4

static guint64
phone_hash (const char *e164)
{
  guint64 h = G_GUINT64_CONSTANT (14695981039346656037);

  for (const guchar *p = (const guchar *) e164; *p; p++)
    h = (h ^ *p) * G_GUINT64_CONSTANT (1099511628211);
  /* spread the bits (a SplitMix64 finaliser): the probes take the two halves */
  h ^= h >> 30;
  h *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  h ^= h >> 27;
  h *= G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return h ^ (h >> 31);
}

static void
phone_filter_add (PhoneFilter *filter,
                  const char  *e164)
{
  guint64 h = phone_hash (e164), step = (h >> 32) | 1;

  for (guint i = 0; i < PHONE_FILTER_PROBES; i++, h += step)
    filter->bits[(h & filter->mask) / 64] |= G_GUINT64_CONSTANT (1) << (h & 63);
}

static gboolean
phone_filter_may_hold (const PhoneFilter *filter,
                       const char        *e164)
{
  guint64 h = phone_hash (e164), step = (h >> 32) | 1;

  for (guint i = 0; i < PHONE_FILTER_PROBES; i++, h += step)
    if (!(filter->bits[(h & filter->mask) / 64] & (G_GUINT64_CONSTANT (1) << (h & 63))))
      return FALSE;
  return TRUE;
}

static void
add_phone_row (DdStatement *stmt,
               gpointer     user_data)
{
  const char *e164 = dd_statement_get_text (stmt, 0);

  if (e164 != NULL)
    phone_filter_add (user_data, e164);
}

/* A file of @rows rows (estimated) that is large next to the office's phone book: its new
 * numbers are checked against a filter of the office's numbers first (16 bits a number, 4 MiB
 * for 2,000,000 numbers) instead of one look-up each. */
static gboolean
begin_phone_filter (ImportRun  *run,
                    guint64     rows,
                    GError    **error)
{
  DdDatabase *db = run->importer->database;
  gint64 phones = 0;
  guint64 wanted, bits = 1 << 16;

  if (rows < 1000)
    return TRUE;
  if (!dd_database_query_int64 (db, "SELECT COUNT(*) FROM phone", &phones, error))
    return FALSE;
  if ((guint64) phones > rows * 4)
    return TRUE;
  wanted = ((guint64) phones + rows * 2) * 16;
  while (bits < wanted && bits < (G_GUINT64_CONSTANT (1) << 27))
    bits <<= 1;
  run->phones.bits = g_new0 (guint64, bits / 64);
  run->phones.mask = bits - 1;
  return dd_database_query_each (db, add_phone_row, &run->phones, error,
                                 "SELECT e164 FROM phone", DD_END);
}

/* The row's phones for the debtor; a number another debtor has too is worth a warning. */
static gboolean
store_phones (ImportRun  *run,
              const Row  *row,
              gint64      debtor_id,
              GError    **error)
{
  for (guint p = 0; p < row->n_phones; p++)
    {
      const char *e164 = row->phones[p].e164;
      gboolean added, known = FALSE;
      gint64 other = 0;

      for (guint q = 0; q < run->prev_phones->len && !known; q++)
        known = g_str_equal (run->prev_phones->pdata[q], e164);
      if (known)
        continue;
      g_ptr_array_add (run->prev_phones, g_strdup (e164));

      if (!dd_debtor_store_add_phone (run->importer->debtors, debtor_id, e164,
                                      dd_phone_kind_to_string (row->phones[p].kind), p, &added,
                                      error))
        return FALSE;
      if (!added)
        continue;
      run->summary->phones_new++;
      if (run->phones.bits != NULL)
        {
          gboolean maybe_known = phone_filter_may_hold (&run->phones, e164);

          phone_filter_add (&run->phones, e164);
          if (!maybe_known)
            continue;
        }
      if (!dd_debtor_store_phone_owner (run->importer->debtors, e164, debtor_id, &other, error))
        return FALSE;
      if (other != 0)
        row_issue (run, -1, DD_IMPORT_REASON_SHARED_PHONE,
                   detail_with_value (dd_import_reason_get_label (DD_IMPORT_REASON_SHARED_PHONE),
                                      e164));
    }
  return TRUE;
}

/* The row's creditor; rows without one belong to the office itself (or the one given). */
static gboolean
find_creditor (ImportRun   *run,
               const Row   *row,
               gint64      *out_creditor_id,
               GError     **error)
{
  const char *name = row->creditor;

  if (name != NULL)
    {
      /* the own receivables as an export names them, in the user's language */
      if (g_strcmp0 (name, dd_creditor_display_name (DD_CREDITOR_OWN_RECEIVABLES)) == 0)
        name = DD_CREDITOR_OWN_RECEIVABLES;
    }
  else
    {
      /* stored under the same key in every language, shown translated */
      name = run->options->creditor;
      if (name == NULL || *name == '\0')
        name = DD_CREDITOR_OWN_RECEIVABLES;
    }
  if (!lookup_creditor (run, name, out_creditor_id, error))
    return FALSE;
  note_creditor (run, *out_creditor_id);
  return TRUE;
}

/* One case per debtor and creditor; consecutive rows of one case look it up once. */
static gboolean
store_case (ImportRun  *run,
            const Row  *row,
            gint64      debtor_id,
            gint64      creditor_id,
            gint64     *out_case_id,
            GError    **error)
{
  DdUpsertResult result;

  if (debtor_id == run->prev_case_debtor && creditor_id == run->prev_case_creditor)
    {
      *out_case_id = run->prev_case_id;
      return TRUE;
    }
  if (!dd_case_store_upsert_case (run->importer->cases, debtor_id, creditor_id, row->currency,
                                  run->run_id, out_case_id, &result, error))
    return FALSE;
  if (result == DD_UPSERT_NEW)
    run->summary->cases_new++;
  else if (result == DD_UPSERT_UPDATED)
    run->summary->cases_updated++;
  run->prev_case_debtor = debtor_id;
  run->prev_case_creditor = creditor_id;
  run->prev_case_id = *out_case_id;
  return TRUE;
}

/* The invoice of the row; an invoice seen twice in one file is rejected the second time. */
static gboolean
store_liability (ImportRun  *run,
                 const Row  *row,
                 gint64      case_id,
                 GError    **error)
{
  DdLiabilityRecord liability = {
    .invoice_no = row->invoice, .issued_on = row->issued_iso, .due_on = row->due_iso,
    .amount_minor = row->amount, .currency = row->currency,
  };
  DdImportSummary *summary = run->summary;
  DdUpsertResult result;

  if (!dd_case_store_upsert_liability (run->importer->cases, case_id, &liability, run->run_id,
                                       &result, error))
    return FALSE;
  switch (result)
    {
    case DD_UPSERT_NEW:
      summary->liabilities_new++;
      break;
    case DD_UPSERT_UPDATED:
      summary->liabilities_updated++;
      break;
    case DD_UPSERT_UNCHANGED:
      summary->liabilities_unchanged++;
      break;
    case DD_UPSERT_SEEN:
    default:
      row_issue (run, column_of (run, DD_IMPORT_FIELD_INVOICE), DD_IMPORT_REASON_DUPLICATE_INVOICE,
                 detail_with_value (dd_import_reason_get_label (DD_IMPORT_REASON_DUPLICATE_INVOICE),
                                    row->invoice));
      break;
    }
  if (!run->row_rejected)
    {
      dd_import_summary_add_total (summary, row->currency, row->amount);
      for (guint f = 0; f < DD_N_IMPORT_FIELDS; f++)
        if (row->has_money[f])
          dd_import_summary_add_column_total (summary, f, row->currency, row->money[f]);
    }
  return TRUE;
}

/* Whether every field of the record is empty or blanks. */
static gboolean
record_is_blank (DdCsvReader *reader)
{
  for (guint i = 0; i < dd_csv_reader_get_n_fields (reader); i++)
    {
      const char *field = dd_csv_reader_get_field (reader, i);

      if (field != NULL && *dd_text_skip_blanks (field) != '\0')
        return FALSE;
    }
  return TRUE;
}

/* Reads and checks one data row (the parsing thread): everything that needs only the row. */
static void
parse_row (ImportRun *run,
           Row       *row)
{
  if (!check_record (run))
    return;

  /* the totals under a report's table: said once, not as a debtor without an invoice */
  if (is_totals_row (run))
    {
      row_issue (run, -1, DD_IMPORT_REASON_TOTALS_ROW, NULL);
      return;
    }
  read_required (run, row);
  read_optional (run, row);
  read_phones (run, row);
  if (!run->row_rejected)
    {
      row->dedup_key = debtor_key (row);
      row->debtor_sig = g_strjoin ("\x1f", row->dedup_key, row->name,
                                   row->tax_id ? row->tax_id : "",
                                   row->email ? row->email : "",
                                   row->address ? row->address : "",
                                   row->birthday_iso ? row->birthday_iso : "", NULL);
    }
}

/* Stores one checked row (the writing thread). Returns FALSE only on a database error. */
static gboolean
store_row (ImportRun  *run,
           Row        *row,
           GError    **error)
{
  gint64 debtor_id, creditor_id, case_id;

  return store_debtor (run, row, &debtor_id, error)
         && store_phones (run, row, debtor_id, error)
         && find_creditor (run, row, &creditor_id, error)
         && store_case (run, row, debtor_id, creditor_id, &case_id, error)
         && store_liability (run, row, case_id, error);
}

/* Reading */

static gboolean
read_head (GFile         *file,
           guint8       **out_data,
           gsize         *out_len,
           guint64       *out_size,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree guint8 *data = g_malloc (SNIFF_BYTES);
  gsize len = 0;

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return FALSE;
  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);
  *out_size = info ? (guint64) g_file_info_get_size (info) : 0;

  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), data, SNIFF_BYTES, &len,
                                cancellable, error))
    return FALSE;

  *out_data = g_steal_pointer (&data);
  *out_len = len;
  return TRUE;
}

static gboolean
resolve_mapping (ImportRun  *run,
                 GError    **error)
{
  const DdImportOptions *options = run->options;
  DdImportSummary *summary = run->summary;
  const char * const *headers = (const char * const *) summary->headers;
  guint n_headers = headers ? g_strv_length (summary->headers) : 0;
  g_autofree DdImportField *missing = NULL;
  guint n_missing = 0;

  if (options->mapping != NULL)
    summary->mapping = *options->mapping;
  else if (options->preset != NULL)
    {
      g_autofree char *json = NULL;
      g_autoptr(GError) local_error = NULL;

      json = dd_import_store_load_preset (run->importer->imports, options->preset, error);
      if (json == NULL)
        {
          if (error == NULL || *error == NULL)
            g_set_error (error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_PRESET,
                         _("There is no saved column mapping called “%s”"), options->preset);
          return FALSE;
        }
      if (!dd_column_map_from_json (&summary->mapping, json, headers, n_headers, &local_error))
        {
          g_set_error (error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_PRESET,
                       _("The column mapping “%s” does not fit this file: %s"),
                       options->preset, local_error->message);
          return FALSE;
        }
    }
  else if (n_headers > 0)
    dd_column_map_guess (&summary->mapping, headers, n_headers);
  else
    {
      g_set_error_literal (error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_NO_HEADER,
                           _("The file has no header row, so its columns cannot be recognised. "
                             "Please say which column holds what."));
      return FALSE;
    }

  for (guint i = 0; i < DD_N_IMPORT_FIELDS; i++)
    if (summary->mapping.column[i] >= 0 && run->n_columns > 0 &&
        (guint) summary->mapping.column[i] >= run->n_columns)
      {
        g_set_error (error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_MAPPING,
                     _("Column %d for “%s” does not exist: the file has %u columns"),
                     summary->mapping.column[i] + 1, dd_import_field_get_label (i), run->n_columns);
        return FALSE;
      }

  missing = dd_column_map_missing (&summary->mapping, &n_missing);
  if (n_missing > 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < n_missing; i++)
        {
          if (i > 0)
            /* Translators: separates the items of a list ("“Due date”, “Amount”") */
            g_string_append (names, _(", "));
          /* Translators: a name quoted in a sentence; use your language's quotation marks */
          g_string_append_printf (names, C_("quoted", "“%s”"),
                                  dd_import_field_get_label (missing[i]));
        }
      g_set_error (error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_MAPPING,
                   ngettext ("No column was found for %s. Please map it by hand.",
                             "No columns were found for %s. Please map them by hand.",
                             n_missing),
                   names->str);
      return FALSE;
    }

  if (options->save_preset != NULL && n_headers > 0)
    {
      DdImportPresetSettings settings = run->kept;
      g_autofree char *json = NULL;

      /* the date order given, else the one the file shows when it is month first */
      if (options->date_order != 0)
        settings.date_order = options->date_order;
      else if (settings.date_order == 0 && summary->month_first && !summary->dates_ambiguous)
        settings.date_order = 1;
      if (options->currency != NULL && *options->currency != '\0')
        {
          g_autofree char *upper = g_ascii_strup (options->currency, -1);

          g_strlcpy (settings.currency, upper, sizeof settings.currency);
        }
      json = dd_import_preset_to_json (&summary->mapping, &settings, headers, n_headers);
      if (!dd_import_store_save_preset (run->importer->imports, options->save_preset, json, error))
        return FALSE;
    }

  return TRUE;
}

static void
flush_row_issues (ImportRun *run)
{
  DdImportSummary *summary = run->summary;

  for (guint i = 0; i < run->row_issues->len; i++)
    {
      DdImportIssue *issue = &g_array_index (run->row_issues, DdImportIssue, i);

      dd_import_summary_add_issue (summary, issue->row, issue->line, issue->column,
                                   issue->reason, g_steal_pointer (&issue->detail));
    }
  g_array_set_size (run->row_issues, 0);
}

static void
wrap_database_error (GError **error)
{
  if (error != NULL && *error != NULL && (*error)->domain == DD_DATABASE_ERROR)
    {
      GError *wrapped = g_error_new (DD_IMPORT_ERROR, DD_IMPORT_ERROR_DATABASE,
                                     _("The office database could not be updated; nothing was "
                                       "imported (%s)"),
                                     (*error)->message);
      g_clear_error (error);
      *error = wrapped;
    }
}

/* The pipeline: a second thread reads, decodes and checks the rows (money, dates, tax ids,
 * phones through libphonenumber) while this one merges them into the database. Batches of rows
 * go back and forth between the two through queues; MAX_BATCHES of them exist, so memory stays
 * flat whatever the size of the file. */

#define BATCH_ROWS 512
#define MAX_BATCHES 8

static GStrv record_strv (DdCsvReader *reader,
                          gboolean     strip);

/* One row as the parsing thread read and checked it. */
typedef struct
{
  Row       row;
  GArray   *issues;       /* of DdImportIssue (details owned), NULL without any */
  gboolean  rejected;
  guint64   record;
  guint64   line;
  guint64   bytes_read;
  GStrv     fields;       /* the raw fields, kept when rejected rows are written out */
} ParsedRow;

typedef struct
{
  ParsedRow  rows[BATCH_ROWS];
  guint      n_rows;
  gboolean   last;
  GError    *error;       /* on the last batch, when the file could not be read to its end */
} Batch;

typedef struct
{
  ImportRun     parse;    /* the run as the parsing thread sees it: the reader, its own issues */
  GAsyncQueue  *full;     /* Batch *, filled, for the writer */
  GAsyncQueue  *empty;    /* Batch *, to fill */
  GCancellable *cancellable;
  gint          stop;     /* the writer failed: stop reading */
} Pipeline;

static void
parsed_row_clear (ParsedRow *parsed)
{
  row_clear (&parsed->row);
  if (parsed->issues != NULL)
    {
      for (guint i = 0; i < parsed->issues->len; i++)
        g_free (g_array_index (parsed->issues, DdImportIssue, i).detail);
      g_array_unref (parsed->issues);
    }
  g_strfreev (parsed->fields);
  memset (parsed, 0, sizeof *parsed);
}

static gpointer
parse_thread (gpointer data)
{
  Pipeline *pipeline = data;
  ImportRun *run = &pipeline->parse;
  g_autoptr(GError) local_error = NULL;
  Batch *batch = g_async_queue_pop (pipeline->empty);

  while (!g_atomic_int_get (&pipeline->stop) &&
         dd_csv_reader_next (run->reader, pipeline->cancellable, &local_error))
    {
      ParsedRow *parsed;

      /* a spreadsheet's empty row (";;;;"): passed over like an empty line */
      if (record_is_blank (run->reader))
        continue;
      parsed = &batch->rows[batch->n_rows++];

      run->row_rejected = FALSE;
      parse_row (run, &parsed->row);
      parsed->rejected = run->row_rejected;
      parsed->record = dd_csv_reader_get_record_number (run->reader);
      parsed->line = dd_csv_reader_get_line_number (run->reader);
      parsed->bytes_read = dd_csv_reader_get_bytes_read (run->reader);
      if (run->row_issues->len > 0)
        {
          parsed->issues = run->row_issues;
          run->row_issues = g_array_new (FALSE, TRUE, sizeof (DdImportIssue));
        }
      if (run->options->rejects != NULL)
        parsed->fields = record_strv (run->reader, FALSE);

      if (batch->n_rows == BATCH_ROWS)
        {
          g_async_queue_push (pipeline->full, batch);
          batch = g_async_queue_pop (pipeline->empty);
        }
    }

  if (local_error != NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        batch->error = g_steal_pointer (&local_error);
      else
        batch->error = g_error_new (DD_IMPORT_ERROR, DD_IMPORT_ERROR_READ,
                                    _("The file could not be read past line %" PRIu64
                                      "; nothing was imported: %s"),
                                    dd_csv_reader_get_line_number (run->reader),
                                    local_error->message);
    }
  batch->last = TRUE;
  g_async_queue_push (pipeline->full, batch);
  return NULL;
}

/* Merges one parsed row and accounts for it. Returns FALSE on a database error or when the
 * import was cancelled. */
static gboolean
write_row (ImportRun            *run,
           ParsedRow            *parsed,
           GCancellable         *cancellable,
           guint64               bytes_total,
           DdImportProgressFunc  progress,
           gpointer              progress_data,
           GError              **error)
{
  DdImportSummary *summary = run->summary;

  summary->rows_read++;
  run->record = parsed->record;
  run->line = parsed->line;
  run->fields = parsed->fields;
  run->row_rejected = parsed->rejected;
  if (parsed->issues != NULL)
    {
      /* the details change hands */
      g_array_append_vals (run->row_issues, parsed->issues->data, parsed->issues->len);
      g_array_set_size (parsed->issues, 0);
    }

  if (!run->row_rejected && !store_row (run, &parsed->row, error))
    return FALSE;

  if (run->row_rejected)
    summary->rows_rejected++;
  else
    {
      summary->rows_imported++;
      if (run->row_issues->len > 0)
        summary->rows_with_warnings++;
    }
  if (run->row_issues->len > 0 && run->options->rejects != NULL &&
      !write_rejected_row (run, error))
    return FALSE;
  flush_row_issues (run);
  run->fields = NULL;

  if (summary->rows_read % PROGRESS_EVERY == 0)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (progress)
        progress (parsed->bytes_read, bytes_total, summary->rows_read, progress_data);
    }
  return TRUE;
}

static gboolean
import_records (ImportRun     *run,
                GCancellable  *cancellable,
                guint64        bytes_total,
                DdImportProgressFunc progress,
                gpointer       progress_data,
                GError       **error)
{
  Pipeline pipeline = { 0 };
  Batch *batches[MAX_BATCHES];
  GThread *thread;
  guint64 bytes_read = 0;
  gboolean ok = TRUE, done = FALSE;

  pipeline.parse = *run;
  pipeline.parse.row_issues = g_array_new (FALSE, TRUE, sizeof (DdImportIssue));
  pipeline.cancellable = cancellable;
  pipeline.full = g_async_queue_new ();
  pipeline.empty = g_async_queue_new ();
  for (guint i = 0; i < MAX_BATCHES; i++)
    {
      batches[i] = g_new0 (Batch, 1);
      g_async_queue_push (pipeline.empty, batches[i]);
    }
  /* from here on the reader belongs to the parsing thread */
  run->reader = NULL;

  thread = g_thread_new ("dd-import-parse", parse_thread, &pipeline);
  while (!done)
    {
      Batch *batch = g_async_queue_pop (pipeline.full);

      for (guint i = 0; i < batch->n_rows; i++)
        {
          ParsedRow *parsed = &batch->rows[i];

          if (ok)
            {
              ok = write_row (run, parsed, cancellable, bytes_total, progress, progress_data,
                              error);
              bytes_read = parsed->bytes_read;
            }
          parsed_row_clear (parsed);
        }
      batch->n_rows = 0;
      done = batch->last;
      if (done && batch->error != NULL)
        {
          if (ok)
            g_propagate_error (error, g_steal_pointer (&batch->error));
          g_clear_error (&batch->error);
          ok = FALSE;
        }
      if (!ok)
        g_atomic_int_set (&pipeline.stop, 1);
      if (!done)
        g_async_queue_push (pipeline.empty, batch);
    }
  g_thread_join (thread);
  for (guint i = 0; i < DD_IMPORT_N_PHONES; i++)
    phone_memo_clear (&pipeline.parse.phone_memo[i]);

  for (guint i = 0; i < pipeline.parse.row_issues->len; i++)
    g_free (g_array_index (pipeline.parse.row_issues, DdImportIssue, i).detail);
  g_array_unref (pipeline.parse.row_issues);
  g_async_queue_unref (pipeline.full);
  g_async_queue_unref (pipeline.empty);
  for (guint i = 0; i < MAX_BATCHES; i++)
    g_free (batches[i]);

  if (ok && progress)
    progress (bytes_read, bytes_total, run->summary->rows_read, progress_data);
  return ok;
}

/* A file that brings at least 10,000 rows and a quarter of the office's cases: the cases
 * list's indexes are built once at the end instead of row by row. The rows are estimated from
 * the size of the file (an accounting export's row is 150–250 bytes). */
#define ESTIMATED_ROW_BYTES 200

static gboolean
begin_bulk_if_large (ImportRun  *run,
                     guint64     bytes_total,
                     GError    **error)
{
  guint64 rows = bytes_total / ESTIMATED_ROW_BYTES;
  gint64 cases = 0;

  if (run->options->bulk != 0)
    return run->options->bulk < 0
           || dd_case_store_begin_bulk_import (run->importer->cases, error);
  if (rows < 10000)
    return TRUE;
  if (!dd_case_store_count (run->importer->cases, &cases, NULL, error))
    return FALSE;
  if ((gint64) rows * 4 < cases + (gint64) rows)
    return TRUE;
  g_debug ("about %" G_GUINT64_FORMAT " rows into %" G_GINT64_FORMAT " cases: the list's "
           "indexes are built at the end", rows, cases);
  return dd_case_store_begin_bulk_import (run->importer->cases, error);
}

static gboolean
detect_dialect (GFile          *file,
                const char     *encoding_name,
                char            delimiter,
                int             has_header,
                DdCsvDialect   *dialect,
                guint64        *out_size,
                GCancellable   *cancellable,
                GError        **error)
{
  g_autofree guint8 *head = NULL;
  gsize head_len = 0;

  if (!read_head (file, &head, &head_len, out_size, cancellable, error))
    return FALSE;
  if (head_len == 0)
    {
      g_autofree char *basename = g_file_get_basename (file);
      g_set_error (error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_EMPTY_FILE,
                   _("The file “%s” is empty"), basename);
      return FALSE;
    }
  if (encoding_name != NULL)
    {
      DdCsvEncoding encoding;

      if (!dd_csv_encoding_from_string (encoding_name, &encoding))
        {
          g_set_error (error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_READ,
                       _("Unknown encoding “%s”; use UTF-8, windows-1250, windows-1251, "
                         "ISO-8859-2, UTF-16LE or UTF-16BE"),
                       encoding_name);
          return FALSE;
        }
      if (!dd_csv_sniff_with_encoding (head, head_len, encoding, dialect, error))
        return FALSE;
    }
  else if (!dd_csv_sniff (head, head_len, dialect, error))
    return FALSE;

  if (delimiter != 0)
    dialect->delimiter = delimiter;
  if (has_header >= 0)
    dialect->has_header = has_header != 0;
  dialect->month_first = dd_csv_sniff_month_first (head, head_len, dialect->encoding,
                                                   dialect->delimiter, dialect->skip_records,
                                                   &dialect->dates_ambiguous);
  return TRUE;
}

static GStrv
record_strv (DdCsvReader *reader,
             gboolean     strip)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < dd_csv_reader_get_n_fields (reader); i++)
    {
      g_autofree char *value = g_strdup (dd_csv_reader_get_field (reader, i));
      g_strv_builder_add (builder, strip ? g_strstrip (value) : value);
    }
  return g_strv_builder_end (builder);
}

void
dd_import_preview_free (DdImportPreview *preview)
{
  if (preview == NULL)
    return;
  g_free (preview->encoding);
  g_free (preview->country);
  g_strfreev (preview->headers);
  g_clear_pointer (&preview->rows, g_ptr_array_unref);
  g_free (preview);
}

DdImportPreview *
dd_import_preview_file (GFile         *file,
                        const char    *encoding,
                        char           delimiter,
                        int            has_header,
                        guint          max_rows,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(DdImportPreview) preview = g_new0 (DdImportPreview, 1);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(DdCsvReader) reader = NULL;
  g_autoptr(GError) local_error = NULL;
  DdCsvDialect dialect;
  guint64 size;

  if (!detect_dialect (file, encoding, delimiter, has_header, &dialect, &size, cancellable, error))
    return NULL;

  preview->encoding = g_strdup (dd_csv_encoding_to_string (dialect.encoding));
  preview->delimiter = dialect.delimiter;
  preview->has_header = dialect.has_header;
  preview->n_columns = dialect.n_columns;
  preview->country = dialect.country[0] ? g_strdup (dialect.country) : NULL;
  preview->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  dd_column_map_init (&preview->guessed);

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;
  reader = dd_csv_reader_new (G_INPUT_STREAM (stream), dialect.encoding, dialect.delimiter);
  /* a report's title before the table: not a row (a read error is seen by the loop) */
  preview->skip_records = dialect.skip_records;
  dd_csv_reader_skip_records (reader, dialect.skip_records, cancellable, NULL);

  while (preview->rows->len < max_rows || (dialect.has_header && preview->headers == NULL))
    {
      if (!dd_csv_reader_next (reader, cancellable, &local_error))
        {
          if (local_error == NULL)
            break;
          if (preview->headers == NULL && preview->rows->len == 0)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          break;   /* the import will report where the file breaks */
        }
      if (dialect.has_header && preview->headers == NULL)
        {
          preview->headers = record_strv (reader, TRUE);
          preview->n_columns = g_strv_length (preview->headers);
          dd_column_map_guess (&preview->guessed, (const char * const *) preview->headers,
                               preview->n_columns);
        }
      else
        g_ptr_array_add (preview->rows, record_strv (reader, FALSE));
    }

  /* the order of slash dates, as the import will read them unless told */
  preview->month_first = dialect.month_first;
  preview->dates_ambiguous = dialect.dates_ambiguous;
  preview->slash_dates = dialect.month_first || dialect.dates_ambiguous;
  for (guint r = 0; r < preview->rows->len && !preview->slash_dates; r++)
    {
      char **cells = g_ptr_array_index (preview->rows, r);

      for (guint c = 0; cells[c] != NULL && !preview->slash_dates; c++)
        preview->slash_dates = is_slash_date (cells[c]);
    }

  return g_steal_pointer (&preview);
}

/* SQLite looks up the parent row of every foreign key each row of the import writes (the
 * debtor of a phone, the case and the run of an invoice, the debtor, creditor and run of a
 * case): 17 of the 53 steps of an invoice's INSERT, a tenth of the rows' time. The import
 * writes only ids it has just read or made in its own transaction, so SQLite's checks are
 * off for that transaction and on again after it (PRAGMA foreign_keys does nothing inside a
 * transaction: it is set before BEGIN). Inside a caller's transaction, or with PostgreSQL,
 * nothing changes. Returns whether the checks were turned off. */
static gboolean
foreign_keys_off (DdDatabase *database)
{
  gint64 on = 0;

  if (!DD_IS_SQLITE_DATABASE (database) || dd_database_in_transaction (database)
      || !dd_database_query_int64 (database, "PRAGMA foreign_keys", &on, NULL) || on == 0)
    return FALSE;
  return dd_database_exec (database, "PRAGMA foreign_keys = OFF", NULL);
}

static void
foreign_keys_on (DdDatabase *database,
                 gboolean    were_off)
{
  g_autoptr(GError) local_error = NULL;

  if (were_off && !dd_database_exec (database, "PRAGMA foreign_keys = ON", &local_error))
    g_warning ("Foreign keys could not be checked again after the import: %s",
               local_error->message);
}

DdImportSummary *
dd_importer_run (DdImporter            *self,
                 GFile                 *file,
                 const DdImportOptions *options,
                 GCancellable          *cancellable,
                 DdImportProgressFunc   progress,
                 gpointer               progress_data,
                 GError               **error)
{
  g_autoptr(DdImportSummary) summary = dd_import_summary_new ();
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(DdCsvReader) reader = NULL;
  g_autoptr(GHashTable) creditors = NULL;
  g_autoptr(GArray) creditor_ids = NULL;
  g_autoptr(GArray) row_issues = NULL;
  g_autoptr(GString) scratch = NULL;
  g_autoptr(GPtrArray) prev_phones = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *summary_json = NULL;
  g_autofree guint64 *phone_filter_bits = NULL;
  DdImportOptions default_options;
  DdCsvDialect dialect;
  ImportRun run = { 0 };
  guint64 bytes_total = 0;
  guint64 text_bytes;
  gint64 started;
  char delimiter_text[2] = { 0 };
  gint64 marked_paid = 0;
  gboolean filtered, keys_off;
  int date_order;

  g_return_val_if_fail (DD_IS_IMPORTER (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (options == NULL)
    {
      dd_import_options_init (&default_options);
      options = &default_options;
    }

  if (!detect_dialect (file, options->encoding, options->delimiter, options->has_header,
                       &dialect, &bytes_total, cancellable, error))
    return NULL;
  text_bytes = DD_CSV_ENCODING_IS_UTF16 (dialect.encoding) ? bytes_total / 2 : bytes_total;

  summary->file_name = g_file_get_basename (file);
  summary->encoding = g_strdup (dd_csv_encoding_to_string (dialect.encoding));
  summary->delimiter = dialect.delimiter;
  summary->has_header = dialect.has_header;
  /* what the preset keeps, under what the options say (its columns: resolve_mapping()) */
  dd_import_preset_settings_init (&run.kept);
  if (options->mapping == NULL && options->preset != NULL)
    {
      g_autofree char *json = dd_import_store_load_preset (self->imports, options->preset, NULL);

      dd_import_preset_read_settings (json, &run.kept);
    }
  /* the preset's order is for a file that does not show its own */
  date_order = options->date_order != 0 ? options->date_order
             : dialect.dates_ambiguous ? run.kept.date_order : 0;
  if (date_order != 0)
    {
      /* the user said which order the file writes: nothing is left to guess */
      dialect.month_first = date_order > 0;
      dialect.dates_ambiguous = FALSE;
    }
  summary->month_first = dialect.month_first;
  summary->dates_ambiguous = dialect.dates_ambiguous;
  summary->dry_run = options->dry_run;

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;
  reader = dd_csv_reader_new (G_INPUT_STREAM (stream), dialect.encoding, dialect.delimiter);

  run.importer = self;
  run.options = options;
  run.summary = summary;
  run.reader = reader;
  /* the office's country; a new office without one takes the file's */
  summary->file_country = dialect.country[0] ? g_strdup (dialect.country) : NULL;
  if (options->country != NULL && *options->country != '\0')
    summary->country = g_ascii_strup (options->country, -1);
  else if (summary->file_country != NULL)
    {
      summary->country = g_strdup (summary->file_country);
      summary->country_from_file = TRUE;
    }
  else
    summary->country = g_strdup ("PL");
  run.country = summary->country;
  run.currency_given = TRUE;
  if (options->currency != NULL && *options->currency != '\0')
    run.currency = options->currency;
  else if (run.kept.currency[0] != '\0')
    run.currency = run.kept.currency;
  else
    {
      run.currency = dd_region_currency_for_country (run.country);
      run.currency_given = FALSE;
    }
  run.creditors = creditors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run.creditor_ids = creditor_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  run.row_issues = row_issues = g_array_new (FALSE, TRUE, sizeof (DdImportIssue));
  run.scratch = scratch = g_string_new (NULL);
  run.prev_phones = prev_phones = g_ptr_array_new_with_free_func (g_free);

  /* a report's title before the table: passed over, not rows */
  summary->skip_records = dialect.skip_records;
  if (dialect.skip_records > 0 &&
      !dd_csv_reader_skip_records (reader, dialect.skip_records, cancellable, &local_error))
    {
      if (local_error != NULL)
        g_set_error (error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_READ,
                     _("The header row could not be read: %s"), local_error->message);
      else
        g_set_error (error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_EMPTY_FILE,
                     _("The file “%s” has no rows"), summary->file_name);
      return NULL;
    }
  summary->table_line = dd_csv_reader_get_line_number (reader) + 1;
  if (dialect.has_header)
    {
      if (!dd_csv_reader_next (reader, cancellable, &local_error))
        {
          if (local_error != NULL)
            g_set_error (error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_READ,
                         _("The header row could not be read: %s"), local_error->message);
          else
            g_set_error (error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_EMPTY_FILE,
                         _("The file “%s” has no rows"), summary->file_name);
          return NULL;
        }
      summary->headers = record_strv (reader, TRUE);
      summary->table_line = dd_csv_reader_get_line_number (reader);
      run.n_columns = g_strv_length (summary->headers);
    }
  else
    run.n_columns = dialect.n_columns;

  keys_off = foreign_keys_off (self->database);
  if (!dd_database_begin (self->database, error))
    {
      foreign_keys_on (self->database, keys_off);
      wrap_database_error (error);
      return NULL;
    }

  delimiter_text[0] = dialect.delimiter;
  /* every value a CHECK constraint looks at (a phone's kind, a case's status) comes from
   * the code, not from the file */
  if (!dd_database_set_trusted_writes (self->database, TRUE, error) ||
      !resolve_mapping (&run, error) ||
      !dd_import_store_begin_run (self->imports, summary->file_name, summary->encoding,
                                  delimiter_text, &run.run_id, error))
    goto fail;
  take_currency_from_header (&run);
  summary->run_id = run.run_id;

  if (options->rejects != NULL && !write_rejects_header (&run, error))
    goto fail;
  /* the rows are guessed from the size of the text: UTF-16 takes two bytes for each of the
   * (mostly ASCII) characters that UTF-8 writes in one */
  if (!begin_bulk_if_large (&run, text_bytes, error))
    goto fail;
  filtered = begin_phone_filter (&run, text_bytes / ESTIMATED_ROW_BYTES, error);
  phone_filter_bits = run.phones.bits;
  if (!filtered)
    goto fail;

  started = g_get_monotonic_time ();
  if (!import_records (&run, cancellable, bytes_total, progress, progress_data, error))
    goto fail;
  g_debug ("%" G_GUINT64_FORMAT " rows stored in %.2f s", summary->rows_read,
           (g_get_monotonic_time () - started) / 1e6);
  started = g_get_monotonic_time ();

  if (!dd_case_store_finish_import (self->cases, run.run_id,
                                    (const gint64 *) run.creditor_ids->data,
                                    run.creditor_ids->len, options->mark_missing_paid,
                                    &marked_paid, error))
    goto fail;
  summary->liabilities_marked_paid = marked_paid;
  g_debug ("balances recomputed in %.2f s", (g_get_monotonic_time () - started) / 1e6);
  started = g_get_monotonic_time ();

  summary_json = dd_import_summary_to_json (summary, FALSE);
  if (!dd_import_store_finish_run (self->imports, run.run_id, summary_json, error))
    goto fail;

  if (options->dry_run)
    {
      if (!dd_database_rollback (self->database, error))
        goto fail;
    }
  else if (!dd_database_commit (self->database, error))
    {
      foreign_keys_on (self->database, keys_off);
      dd_database_set_trusted_writes (self->database, FALSE, NULL);
      dd_case_store_forget_bulk_import (self->cases);
      g_free (run.prev_debtor_sig);
      wrap_database_error (error);
      return NULL;
    }

  g_debug ("committed in %.2f s", (g_get_monotonic_time () - started) / 1e6);
  foreign_keys_on (self->database, keys_off);
  g_free (run.prev_debtor_sig);
  if (!dd_database_set_trusted_writes (self->database, FALSE, error))
    {
      wrap_database_error (error);
      return NULL;
    }
  return g_steal_pointer (&summary);

fail:
  dd_database_set_trusted_writes (self->database, FALSE, NULL);
  dd_case_store_forget_bulk_import (self->cases);
  g_free (run.prev_debtor_sig);
  for (guint i = 0; i < run.row_issues->len; i++)
    g_free (g_array_index (run.row_issues, DdImportIssue, i).detail);
  g_array_set_size (run.row_issues, 0);
  dd_database_rollback (self->database, NULL);
  foreign_keys_on (self->database, keys_off);
  wrap_database_error (error);
  return NULL;
}

/* Asynchronous import */

typedef struct
{
  GFile                *file;
  DdImportOptions       options;
  DdColumnMap           mapping;
  char                 *encoding, *country, *currency, *creditor, *preset, *save_preset;
  GOutputStream        *rejects;
  DdImportProgressFunc  progress;
  gpointer              progress_data;
  GDestroyNotify        progress_data_destroy;
  GMainContext         *context;
  /* latest progress, handed to the main context */
  GMutex                mutex;
  guint64               bytes_read, bytes_total, rows;
  gboolean              progress_pending;
} AsyncImport;

static void
async_import_free (gpointer data)
{
  AsyncImport *a = data;

  g_clear_object (&a->file);
  g_clear_object (&a->rejects);
  g_free (a->encoding);
  g_free (a->country);
  g_free (a->currency);
  g_free (a->creditor);
  g_free (a->preset);
  g_free (a->save_preset);
  if (a->progress_data_destroy)
    a->progress_data_destroy (a->progress_data);
  g_clear_pointer (&a->context, g_main_context_unref);
  g_mutex_clear (&a->mutex);
  g_free (a);
}

static gboolean
deliver_progress (gpointer data)
{
  AsyncImport *a = g_task_get_task_data (G_TASK (data));
  guint64 bytes_read, bytes_total, rows;

  g_mutex_lock (&a->mutex);
  bytes_read = a->bytes_read;
  bytes_total = a->bytes_total;
  rows = a->rows;
  a->progress_pending = FALSE;
  g_mutex_unlock (&a->mutex);

  a->progress (bytes_read, bytes_total, rows, a->progress_data);
  return G_SOURCE_REMOVE;
}

static void
on_thread_progress (guint64  bytes_read,
                    guint64  bytes_total,
                    guint64  rows,
                    gpointer user_data)
{
  GTask *task = user_data;
  AsyncImport *a = g_task_get_task_data (task);
  gboolean schedule;

  g_mutex_lock (&a->mutex);
  a->bytes_read = bytes_read;
  a->bytes_total = bytes_total;
  a->rows = rows;
  schedule = !a->progress_pending;
  a->progress_pending = TRUE;
  g_mutex_unlock (&a->mutex);

  /* The idle holds a reference on the task, so @a lives until it is delivered. A source, not
   * g_main_context_invoke(): that would call it right here, in the worker, whenever the
   * worker can acquire the default context (a pool thread has no context of its own). */
  if (schedule)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, deliver_progress, g_object_ref (task), g_object_unref);
      g_source_set_static_name (source, "[dd-importer] progress");
      g_source_attach (source, a->context);
      g_source_unref (source);
    }
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DdImporter *self = source_object;
  AsyncImport *a = task_data;
  g_autoptr(DdDatabase) connection = NULL;
  g_autoptr(DdImporter) worker = NULL;
  g_autoptr(GError) error = NULL;
  DdImportSummary *summary;

  connection = dd_database_open_another (self->database, &error);
  if (connection == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  worker = dd_importer_new (connection);
  summary = dd_importer_run (worker, a->file, &a->options, cancellable,
                             a->progress ? on_thread_progress : NULL, task, &error);
  if (summary == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, summary, (GDestroyNotify) dd_import_summary_free);
}

void
dd_importer_run_async (DdImporter            *self,
                       GFile                 *file,
                       const DdImportOptions *options,
                       GCancellable          *cancellable,
                       DdImportProgressFunc   progress,
                       gpointer               progress_data,
                       GDestroyNotify         progress_data_destroy,
                       GAsyncReadyCallback    callback,
                       gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncImport *a;

  g_return_if_fail (DD_IS_IMPORTER (self));
  g_return_if_fail (G_IS_FILE (file));

  a = g_new0 (AsyncImport, 1);
  g_mutex_init (&a->mutex);
  a->file = g_object_ref (file);
  if (options != NULL)
    a->options = *options;
  else
    dd_import_options_init (&a->options);
  a->options.encoding = a->encoding = g_strdup (a->options.encoding);
  a->options.country = a->country = g_strdup (a->options.country);
  a->options.currency = a->currency = g_strdup (a->options.currency);
  a->options.creditor = a->creditor = g_strdup (a->options.creditor);
  a->options.preset = a->preset = g_strdup (a->options.preset);
  a->options.save_preset = a->save_preset = g_strdup (a->options.save_preset);
  if (a->options.mapping != NULL)
    {
      a->mapping = *a->options.mapping;
      a->options.mapping = &a->mapping;
    }
  if (a->options.rejects != NULL)
    a->options.rejects = a->rejects = g_object_ref (a->options.rejects);
  a->progress = progress;
  a->progress_data = progress_data;
  a->progress_data_destroy = progress_data_destroy;
  a->context = g_main_context_ref_thread_default ();

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dd_importer_run_async);
  g_task_set_task_data (task, a, async_import_free);
  g_task_run_in_thread (task, import_thread);
}

DdImportSummary *
dd_importer_run_finish (DdImporter    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dd_importer_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
