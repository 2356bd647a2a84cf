/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-import"

#include "config.h"

#include "dd-import-summary.h"
#include "dd-json.h"
#include "dd-money.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

typedef struct
{
  const char       *key;
  const char       *label;   /* N_() */
  DdImportSeverity  severity;
} ReasonInfo;

static const ReasonInfo reasons[DD_N_IMPORT_REASONS] = {
  [DD_IMPORT_REASON_RAGGED_ROW] =
    { "ragged-row", N_("The row has a different number of columns than the header"),
      DD_IMPORT_SEVERITY_REJECTED },
  [DD_IMPORT_REASON_INVALID_ENCODING] =
    { "invalid-encoding", N_("The row contains characters that are not valid in the file’s encoding"),
      DD_IMPORT_SEVERITY_REJECTED },
  [DD_IMPORT_REASON_MISSING_NAME] =
    { "missing-name", N_("The debtor’s name is empty"), DD_IMPORT_SEVERITY_REJECTED },
  [DD_IMPORT_REASON_MISSING_INVOICE] =
    { "missing-invoice", N_("The invoice number is empty"), DD_IMPORT_SEVERITY_REJECTED },
  [DD_IMPORT_REASON_MISSING_AMOUNT] =
    { "missing-amount", N_("The amount is empty"), DD_IMPORT_SEVERITY_REJECTED },
  [DD_IMPORT_REASON_INVALID_AMOUNT] =
    { "invalid-amount", N_("The amount is not a valid sum of money"), DD_IMPORT_SEVERITY_REJECTED },
  [DD_IMPORT_REASON_MISSING_DUE_DATE] =
    { "missing-due-date", N_("The due date is empty"), DD_IMPORT_SEVERITY_REJECTED },
  [DD_IMPORT_REASON_INVALID_DUE_DATE] =
    { "invalid-due-date", N_("The due date is not a valid date"), DD_IMPORT_SEVERITY_REJECTED },
  [DD_IMPORT_REASON_INVALID_CURRENCY] =
    { "invalid-currency", N_("The currency is not a known currency code"),
      DD_IMPORT_SEVERITY_REJECTED },
  [DD_IMPORT_REASON_DUPLICATE_INVOICE] =
    { "duplicate-invoice", N_("The same invoice of the same debtor appears earlier in the file"),
      DD_IMPORT_SEVERITY_REJECTED },
  [DD_IMPORT_REASON_TOTALS_ROW] =
    { "totals-row", N_("A totals row of the report, not a debt: not imported"),
      DD_IMPORT_SEVERITY_REJECTED },
  [DD_IMPORT_REASON_STRAY_QUOTE] =
    { "stray-quote", N_("A quotation mark is misplaced; the text was kept as written"),
      DD_IMPORT_SEVERITY_WARNING },
  [DD_IMPORT_REASON_AMBIGUOUS_AMOUNT] =
    { "ambiguous-amount", N_("The amount could be read in two ways; please check it"),
      DD_IMPORT_SEVERITY_WARNING },
  [DD_IMPORT_REASON_NEGATIVE_AMOUNT] =
    { "negative-amount", N_("The amount is negative (a credit note?)"), DD_IMPORT_SEVERITY_WARNING },
  [DD_IMPORT_REASON_INVALID_ISSUE_DATE] =
    { "invalid-issue-date", N_("The issue date is not a valid date and was left out"),
      DD_IMPORT_SEVERITY_WARNING },
  [DD_IMPORT_REASON_INVALID_BIRTHDAY] =
    { "invalid-birthday", N_("The date of birth is not a valid date and was left out"),
      DD_IMPORT_SEVERITY_WARNING },
  [DD_IMPORT_REASON_INVALID_TAX_ID] =
    { "invalid-tax-id", N_("The tax ID is not valid; the debtor was matched by name and phone"),
      DD_IMPORT_SEVERITY_WARNING },
  [DD_IMPORT_REASON_INVALID_PHONE] =
    { "invalid-phone", N_("The phone number is not valid and was left out"),
      DD_IMPORT_SEVERITY_WARNING },
  [DD_IMPORT_REASON_NO_PHONE] =
    { "no-phone", N_("The debtor has no usable phone number"), DD_IMPORT_SEVERITY_WARNING },
  [DD_IMPORT_REASON_SHARED_PHONE] =
    { "shared-phone", N_("The phone number also belongs to another debtor"),
      DD_IMPORT_SEVERITY_WARNING },
  [DD_IMPORT_REASON_INVALID_EMAIL] =
    { "invalid-email", N_("The e-mail address is not valid and was left out"),
      DD_IMPORT_SEVERITY_WARNING },
};

const char *
dd_import_reason_to_key (DdImportReason reason)
{
  g_return_val_if_fail (reason < DD_N_IMPORT_REASONS, NULL);
  return reasons[reason].key;
}

const char *
dd_import_reason_get_label (DdImportReason reason)
{
  g_return_val_if_fail (reason < DD_N_IMPORT_REASONS, NULL);
  return _(reasons[reason].label);
}

DdImportSeverity
dd_import_reason_get_severity (DdImportReason reason)
{
  g_return_val_if_fail (reason < DD_N_IMPORT_REASONS, DD_IMPORT_SEVERITY_REJECTED);
  return reasons[reason].severity;
}

static void
issue_clear (gpointer data)
{
  g_free (((DdImportIssue *) data)->detail);
}

static void
total_clear (gpointer data)
{
  g_free (((DdImportTotal *) data)->currency);
}

static void
column_total_clear (gpointer data)
{
  g_free (((DdImportColumnTotal *) data)->currency);
}

DdImportSummary *
dd_import_summary_new (void)
{
  DdImportSummary *self = g_new0 (DdImportSummary, 1);

  dd_column_map_init (&self->mapping);
  self->issues = g_array_new (FALSE, TRUE, sizeof (DdImportIssue));
  g_array_set_clear_func (self->issues, issue_clear);
  self->totals = g_array_new (FALSE, TRUE, sizeof (DdImportTotal));
  g_array_set_clear_func (self->totals, total_clear);
  self->column_totals = g_array_new (FALSE, TRUE, sizeof (DdImportColumnTotal));
  g_array_set_clear_func (self->column_totals, column_total_clear);
  return self;
}

DdImportSummary *
dd_import_summary_copy (const DdImportSummary *self)
{
  DdImportSummary *copy = dd_import_summary_new ();
  GArray *issues = copy->issues, *totals = copy->totals, *column_totals = copy->column_totals;

  *copy = *self;
  copy->issues = issues;
  copy->totals = totals;
  copy->column_totals = column_totals;
  copy->country = g_strdup (self->country);
  copy->file_country = g_strdup (self->file_country);
  copy->file_name = g_strdup (self->file_name);
  copy->encoding = g_strdup (self->encoding);
  copy->headers = g_strdupv (self->headers);
  for (guint i = 0; i < self->issues->len; i++)
    {
      DdImportIssue issue = g_array_index (self->issues, DdImportIssue, i);
      issue.detail = g_strdup (issue.detail);
      g_array_append_val (copy->issues, issue);
    }
  for (guint i = 0; i < self->totals->len; i++)
    {
      DdImportTotal total = g_array_index (self->totals, DdImportTotal, i);
      total.currency = g_strdup (total.currency);
      g_array_append_val (copy->totals, total);
    }
  for (guint i = 0; i < self->column_totals->len; i++)
    {
      DdImportColumnTotal total = g_array_index (self->column_totals, DdImportColumnTotal, i);
      total.currency = g_strdup (total.currency);
      g_array_append_val (copy->column_totals, total);
    }
  return copy;
}

void
dd_import_summary_free (DdImportSummary *self)
{
  if (self == NULL)
    return;
  g_free (self->file_name);
  g_free (self->encoding);
  g_strfreev (self->headers);
  g_array_unref (self->issues);
  g_array_unref (self->totals);
  g_array_unref (self->column_totals);
  g_free (self->country);
  g_free (self->file_country);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (DdImportSummary, dd_import_summary,
                     dd_import_summary_copy, dd_import_summary_free)

void
dd_import_summary_add_issue (DdImportSummary *self,
                             guint64          row,
                             guint64          line,
                             int              column,
                             DdImportReason   reason,
                             char            *detail)
{
  DdImportIssue issue = { row, line, column, reason, detail };

  g_array_append_val (self->issues, issue);
  self->by_reason[reason]++;
}

void
dd_import_summary_add_total (DdImportSummary *self,
                             const char      *currency,
                             gint64           minor)
{
  DdImportTotal total;

  for (guint i = 0; i < self->totals->len; i++)
    {
      DdImportTotal *t = &g_array_index (self->totals, DdImportTotal, i);
      if (g_str_equal (t->currency, currency))
        {
          t->minor += minor;
          return;
        }
    }
  total.currency = g_strdup (currency);
  total.minor = minor;
  g_array_append_val (self->totals, total);
}

gint64
dd_import_summary_get_total (const DdImportSummary *self,
                             const char            *currency)
{
  for (guint i = 0; i < self->totals->len; i++)
    {
      const DdImportTotal *t = &g_array_index (self->totals, DdImportTotal, i);
      if (g_str_equal (t->currency, currency))
        return t->minor;
    }
  return 0;
}

void
dd_import_summary_add_column_total (DdImportSummary *self,
                                    DdImportField    field,
                                    const char      *currency,
                                    gint64           minor)
{
  DdImportColumnTotal total;

  for (guint i = 0; i < self->column_totals->len; i++)
    {
      DdImportColumnTotal *t = &g_array_index (self->column_totals, DdImportColumnTotal, i);
      if (t->field == field && g_str_equal (t->currency, currency))
        {
          t->minor += minor;
          return;
        }
    }
  total.field = field;
  total.currency = g_strdup (currency);
  total.minor = minor;
  g_array_append_val (self->column_totals, total);
}

gboolean
dd_import_summary_get_column_total (const DdImportSummary *self,
                                    DdImportField          field,
                                    const char            *currency,
                                    gint64                *out_minor)
{
  for (guint i = 0; i < self->column_totals->len; i++)
    {
      const DdImportColumnTotal *t = &g_array_index (self->column_totals, DdImportColumnTotal, i);
      if (t->field == field && g_str_equal (t->currency, currency))
        {
          *out_minor = t->minor;
          return TRUE;
        }
    }
  *out_minor = 0;
  return FALSE;
}

char *
dd_import_summary_get_column_label (const DdImportSummary *self,
                                    int                    column,
                                    gboolean               translated)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (column < 0)
    return NULL;
  return dd_column_map_column_label ((const char * const *) self->headers,
                                     self->headers != NULL ? g_strv_length (self->headers) : 0,
                                     column, translated);
}

/* The header of @field's column ("Kwota (column 11)" when two have that header), or its
 * number when the file has no header. */
static char *
column_name (const DdImportSummary *self,
             DdImportField          field)
{
  return dd_import_summary_get_column_label (self, self->mapping.column[field], TRUE);
}

static const char *
debt_source_key (DdDebtSource source)
{
  switch (source)
    {
    case DD_DEBT_SOURCE_REMAINING: return "remaining";
    case DD_DEBT_SOURCE_TOTAL: return "total";
    case DD_DEBT_SOURCE_TOTAL_MINUS_PAID: return "total-minus-paid";
    case DD_DEBT_SOURCE_NONE:
    default: return "none";
    }
}

char *
dd_import_summary_describe_debt (const DdImportSummary *self)
{
  g_autofree char *amount = column_name (self, DD_IMPORT_FIELD_AMOUNT);
  g_autofree char *total = column_name (self, DD_IMPORT_FIELD_TOTAL);
  g_autofree char *paid = column_name (self, DD_IMPORT_FIELD_PAID);

  switch (dd_column_map_get_debt_source (&self->mapping))
    {
    case DD_DEBT_SOURCE_REMAINING:
      return g_strdup_printf (_("Debt taken from column “%s”"), amount);
    case DD_DEBT_SOURCE_TOTAL:
      return g_strdup_printf (_("Debt taken from column “%s” (the invoice total; no column "
                                "says what was paid)"), total);
    case DD_DEBT_SOURCE_TOTAL_MINUS_PAID:
      /* Translators: the invoice-total column, then the amount-paid column */
      return g_strdup_printf (_("Debt computed as column “%1$s” minus column “%2$s”"),
                              total, paid);
    case DD_DEBT_SOURCE_NONE:
    default:
      return g_strdup (_("No column holds the debt"));
    }
}

char *
dd_import_summary_country_warning (const DdImportSummary *self)
{
  if (self->file_country == NULL || self->country == NULL || self->country_from_file ||
      g_ascii_strcasecmp (self->file_country, self->country) == 0)
    return NULL;
  /* Translators: two ISO country codes, e.g. RU and PL */
  return g_strdup_printf (_("The file looks like an export from %1$s, but the office’s country "
                            "is %2$s: phone numbers without a prefix were read as %2$s. If that "
                            "is wrong, import it with the country %1$s."),
                          self->file_country, self->country);
}

guint64
dd_import_summary_count_severity (const DdImportSummary *self,
                                  DdImportSeverity       severity)
{
  guint64 n = 0;

  for (guint i = 0; i < DD_N_IMPORT_REASONS; i++)
    if (reasons[i].severity == severity)
      n += self->by_reason[i];
  return n;
}

static const char *
delimiter_name (char delimiter)
{
  switch (delimiter)
    {
    case ';': return ";";
    case ',': return ",";
    case '\t': return "tab";
    case '|': return "|";
    default: return "?";
    }
}

static void
add_reason_counts (JsonBuilder           *builder,
                   const DdImportSummary *self,
                   DdImportSeverity       severity)
{
  json_builder_begin_object (builder);
  for (guint i = 0; i < DD_N_IMPORT_REASONS; i++)
    if (reasons[i].severity == severity && self->by_reason[i] > 0)
      dd_json_add_int (builder, reasons[i].key, (gint64) self->by_reason[i]);
  json_builder_end_object (builder);
}

#define ADD_INT(name, value) \
  G_STMT_START { json_builder_set_member_name (builder, name); \
                 json_builder_add_int_value (builder, (gint64) (value)); } G_STMT_END

char *
dd_import_summary_to_json (const DdImportSummary *self,
                           gboolean               pretty)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  dd_json_add_string (builder, "file", self->file_name);
  dd_json_add_string (builder, "encoding", self->encoding);
  dd_json_add_string (builder, "delimiter", delimiter_name (self->delimiter));
  dd_json_add_boolean (builder, "header", self->has_header);
  dd_json_add_boolean (builder, "month_first", self->month_first);
  dd_json_add_boolean (builder, "dates_ambiguous", self->dates_ambiguous);
  dd_json_add_int (builder, "title_lines", self->skip_records);
  dd_json_add_int (builder, "table_line", (gint64) self->table_line);
  dd_json_add_boolean (builder, "dry_run", self->dry_run);

  dd_json_begin_object_member (builder, "mapping");
  for (guint i = 0; i < DD_N_IMPORT_FIELDS; i++)
    if (self->mapping.column[i] >= 0)
      {
        int col = self->mapping.column[i];
        json_builder_set_member_name (builder, dd_import_field_to_key (i));
        if (self->headers != NULL && (guint) col < g_strv_length (self->headers))
          {
            /* "Kwota (column 11)" when two columns have that header, in English */
            g_autofree char *label = dd_import_summary_get_column_label (self, col, FALSE);

            json_builder_add_string_value (builder, label);
          }
        else
          json_builder_add_int_value (builder, col + 1);
      }
  json_builder_end_object (builder);

  dd_json_begin_object_member (builder, "rows");
  ADD_INT ("read", self->rows_read);
  ADD_INT ("imported", self->rows_imported);
  ADD_INT ("rejected", self->rows_rejected);
  ADD_INT ("with_warnings", self->rows_with_warnings);
  json_builder_end_object (builder);

  dd_json_begin_object_member (builder, "debtors");
  ADD_INT ("new", self->debtors_new);
  ADD_INT ("updated", self->debtors_updated);
  json_builder_end_object (builder);

  dd_json_begin_object_member (builder, "cases");
  ADD_INT ("new", self->cases_new);
  ADD_INT ("updated", self->cases_updated);
  json_builder_end_object (builder);

  dd_json_begin_object_member (builder, "liabilities");
  ADD_INT ("new", self->liabilities_new);
  ADD_INT ("updated", self->liabilities_updated);
  ADD_INT ("unchanged", self->liabilities_unchanged);
  ADD_INT ("marked_paid", self->liabilities_marked_paid);
  json_builder_end_object (builder);

  dd_json_begin_object_member (builder, "phones");
  ADD_INT ("new", self->phones_new);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "rejected");
  add_reason_counts (builder, self, DD_IMPORT_SEVERITY_REJECTED);
  json_builder_set_member_name (builder, "warnings");
  add_reason_counts (builder, self, DD_IMPORT_SEVERITY_WARNING);

  dd_json_begin_object_member (builder, "outstanding");
  for (guint i = 0; i < self->totals->len; i++)
    {
      const DdImportTotal *t = &g_array_index (self->totals, DdImportTotal, i);
      ADD_INT (t->currency, t->minor);
    }
  json_builder_end_object (builder);

  /* where the debt came from, and the total of every money column next to it */
  dd_json_begin_object_member (builder, "debt");
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder,
                                 debt_source_key (dd_column_map_get_debt_source (&self->mapping)));
  dd_json_begin_array_member (builder, "columns");
  for (guint f = 0; f < DD_N_IMPORT_FIELDS; f++)
    {
      g_autofree char *name = NULL;

      if (!dd_import_field_is_money (f) || self->mapping.column[f] < 0)
        continue;
      name = dd_import_summary_get_column_label (self, self->mapping.column[f], FALSE);
      json_builder_begin_object (builder);
      dd_json_add_string (builder, "field", dd_import_field_to_key (f));
      dd_json_add_string (builder, "column", name);
      dd_json_begin_object_member (builder, "totals");
      for (guint i = 0; i < self->column_totals->len; i++)
        {
          const DdImportColumnTotal *t = &g_array_index (self->column_totals,
                                                         DdImportColumnTotal, i);
          if (t->field == (DdImportField) f)
            ADD_INT (t->currency, t->minor);
        }
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "country");
  if (self->country != NULL)
    json_builder_add_string_value (builder, self->country);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "file_country");
  if (self->file_country != NULL)
    json_builder_add_string_value (builder, self->file_country);
  else
    json_builder_add_null_value (builder);
  dd_json_add_boolean (builder, "country_from_file", self->country_from_file);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, pretty);
  return json_generator_to_data (generator, NULL);
}

char *
dd_import_issue_to_string (const DdImportSummary *self,
                           const DdImportIssue   *issue)
{
  const char *label = dd_import_reason_get_label (issue->reason);
  const char *text = issue->detail ? issue->detail : label;

  if (issue->column >= 0)
    {
      g_autofree char *column = NULL;

      column = dd_import_summary_get_column_label (self, issue->column, TRUE);

      /* Translators: row and line numbers, a column name, then a reason */
      return g_strdup_printf (_("Row %" PRIu64 " (line %" PRIu64
                                "), column “%s”: %s"),
                              issue->row, issue->line, column, text);
    }

  return g_strdup_printf (_("Row %" PRIu64 " (line %" PRIu64 "): %s"),
                          issue->row, issue->line, text);
}

/* "pl", "ru" or "en": the language the messages are shown in, for money formats. */
static const char *
ui_language (void)
{
  for (const char * const *names = g_get_language_names (); *names; names++)
    {
      if (g_str_has_prefix (*names, "pl"))
        return "pl";
      if (g_str_has_prefix (*names, "ru"))
        return "ru";
      if (g_str_has_prefix (*names, "en") || g_str_equal (*names, "C"))
        return "en";
    }
  return "en";
}

/* "Debt taken from column “Pozostało do zapłaty”: 12 100,00 zł" and, under it, the other
 * money columns with their totals, per currency. */
static void
append_money_columns (GString               *s,
                      const DdImportSummary *self)
{
  g_autofree char *debt = dd_import_summary_describe_debt (self);
  DdDebtSource source = dd_column_map_get_debt_source (&self->mapping);
  DdImportField debt_field = source == DD_DEBT_SOURCE_REMAINING ? DD_IMPORT_FIELD_AMOUNT
                                                                 : DD_IMPORT_FIELD_TOTAL;

  for (guint i = 0; i < self->totals->len; i++)
    {
      const DdImportTotal *t = &g_array_index (self->totals, DdImportTotal, i);
      g_autofree char *amount = dd_money_format (t->minor, t->currency, ui_language ());

      /* Translators: where the debt comes from, then its total */
      g_string_append_printf (s, _("%1$s: %2$s\n"), debt, amount);
      for (guint f = 0; f < DD_N_IMPORT_FIELDS; f++)
        {
          g_autofree char *name = NULL;
          g_autofree char *other = NULL;
          gint64 minor;

          if (!dd_import_field_is_money (f) || self->mapping.column[f] < 0 ||
              (source != DD_DEBT_SOURCE_TOTAL_MINUS_PAID && (DdImportField) f == debt_field))
            continue;
          dd_import_summary_get_column_total (self, f, t->currency, &minor);
          name = column_name (self, f);
          other = dd_money_format (minor, t->currency, ui_language ());
          /* Translators: a money column that is not the debt ("Invoice total"), its header,
           * then its total */
          g_string_append_printf (s, _("  %1$s, column “%2$s”: %3$s\n"),
                                  dd_import_field_get_label (f), name, other);
        }
    }
}

char *
dd_import_summary_to_text (const DdImportSummary *self,
                           guint                  max_issues)
{
  GString *s = g_string_new (NULL);
  guint64 n_rejected = dd_import_summary_count_severity (self, DD_IMPORT_SEVERITY_REJECTED);
  guint64 n_warnings = dd_import_summary_count_severity (self, DD_IMPORT_SEVERITY_WARNING);

  if (self->dry_run)
    g_string_append_printf (s, "%s\n", _("Dry run: nothing was saved."));

  g_string_append_printf (s, _("File: %s (%s, delimiter “%s”)\n"),
                          self->file_name, self->encoding, delimiter_name (self->delimiter));
  if (self->skip_records > 0)
    /* Translators: an export with a title (a report's name, its date) above the table */
    g_string_append_printf (s, _("The table starts on line %" PRIu64 "; the title above it "
                                 "is not read as rows\n"), self->table_line);
  g_string_append_printf (s, _("Rows read: %" PRIu64 ", imported: %" PRIu64
                               ", rejected: %" PRIu64 ", with warnings: %"
                               PRIu64 "\n"),
                          self->rows_read, self->rows_imported, self->rows_rejected,
                          self->rows_with_warnings);
  g_string_append_printf (s, _("Debtors: %" PRIu64 " new, %" PRIu64
                               " updated\n"),
                          self->debtors_new, self->debtors_updated);
  g_string_append_printf (s, _("Cases: %" PRIu64 " new, %" PRIu64
                               " updated\n"),
                          self->cases_new, self->cases_updated);
  g_string_append_printf (s, _("Invoices: %" PRIu64 " new, %" PRIu64
                               " updated, %" PRIu64 " unchanged, %" PRIu64
                               " marked as paid\n"),
                          self->liabilities_new, self->liabilities_updated,
                          self->liabilities_unchanged, self->liabilities_marked_paid);
  for (guint i = 0; i < self->totals->len; i++)
    {
      const DdImportTotal *t = &g_array_index (self->totals, DdImportTotal, i);
      g_autofree char *amount = dd_money_format (t->minor, t->currency, ui_language ());

      g_string_append_printf (s, _("Outstanding: %s\n"), amount);
    }
  append_money_columns (s, self);
  if (self->month_first)
    g_string_append (s, _("Dates such as 10/31/2026 were read month first (MM/DD/YYYY), as "
                          "the file writes them\n"));
  else if (self->dates_ambiguous)
    g_string_append (s, _("Dates such as 03/10/2026 fit both orders and nothing in the file "
                          "tells which it uses: they were read day first (3 October 2026)\n"));
  if (self->country != NULL)
    {
      if (self->country_from_file)
        g_string_append_printf (s, _("Country of phone numbers: %s (recognised from the file; "
                                     "the office has none yet)\n"), self->country);
      else
        g_string_append_printf (s, _("Country of phone numbers: %s\n"), self->country);
    }
  {
    g_autofree char *warning = dd_import_summary_country_warning (self);

    if (warning != NULL)
      g_string_append_printf (s, "! %s\n", warning);
  }

  if (n_rejected > 0 || n_warnings > 0)
    {
      g_string_append_printf (s, "\n%s\n", _("Problems by reason:"));
      for (guint i = 0; i < DD_N_IMPORT_REASONS; i++)
        if (self->by_reason[i] > 0)
          g_string_append_printf (s, "  %6" G_GUINT64_FORMAT "  %s (%s)\n", self->by_reason[i],
                                  dd_import_reason_get_label (i),
                                  reasons[i].severity == DD_IMPORT_SEVERITY_REJECTED
                                    ? _("rejected") : _("warning"));

      g_string_append_printf (s, "\n");
      for (guint i = 0; i < self->issues->len && i < max_issues; i++)
        {
          const DdImportIssue *issue = &g_array_index (self->issues, DdImportIssue, i);
          g_autofree char *line = dd_import_issue_to_string (self, issue);

          g_string_append_printf (s, "  %s %s\n",
                                  reasons[issue->reason].severity == DD_IMPORT_SEVERITY_REJECTED
                                    ? "✗" : "!",
                                  line);
        }
      if (self->issues->len > max_issues)
        g_string_append_printf (s, _("  … and %u more (write them all with --rejects FILE)\n"),
                                self->issues->len - max_issues);
    }

  return g_string_free (s, FALSE);
}
