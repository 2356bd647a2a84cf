/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-import"

#include "config.h"

#include "dd-import-summary.h"
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

DdImportSummary *
dd_import_summary_new (void)
{
  DdImportSummary *self = g_new0 (DdImportSummary, 1);

  dd_column_map_init (&self->mapping);
  self->issues = g_array_new (FALSE, TRUE, sizeof (DdImportIssue));
  g_array_set_clear_func (self->issues, issue_clear);
  self->totals = g_array_new (FALSE, TRUE, sizeof (DdImportTotal));
  g_array_set_clear_func (self->totals, total_clear);
  return self;
}

DdImportSummary *
dd_import_summary_copy (const DdImportSummary *self)
{
  DdImportSummary *copy = dd_import_summary_new ();
  GArray *issues = copy->issues, *totals = copy->totals;

  *copy = *self;
  copy->issues = issues;
  copy->totals = totals;
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
      {
        json_builder_set_member_name (builder, reasons[i].key);
        json_builder_add_int_value (builder, (gint64) self->by_reason[i]);
      }
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
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, self->file_name);
  json_builder_set_member_name (builder, "encoding");
  json_builder_add_string_value (builder, self->encoding);
  json_builder_set_member_name (builder, "delimiter");
  json_builder_add_string_value (builder, delimiter_name (self->delimiter));
  json_builder_set_member_name (builder, "header");
  json_builder_add_boolean_value (builder, self->has_header);
  json_builder_set_member_name (builder, "dry_run");
  json_builder_add_boolean_value (builder, self->dry_run);

  json_builder_set_member_name (builder, "mapping");
  json_builder_begin_object (builder);
  for (guint i = 0; i < DD_N_IMPORT_FIELDS; i++)
    if (self->mapping.column[i] >= 0)
      {
        int col = self->mapping.column[i];
        json_builder_set_member_name (builder, dd_import_field_to_key (i));
        if (self->headers != NULL && (guint) col < g_strv_length (self->headers))
          json_builder_add_string_value (builder, self->headers[col]);
        else
          json_builder_add_int_value (builder, col + 1);
      }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "rows");
  json_builder_begin_object (builder);
  ADD_INT ("read", self->rows_read);
  ADD_INT ("imported", self->rows_imported);
  ADD_INT ("rejected", self->rows_rejected);
  ADD_INT ("with_warnings", self->rows_with_warnings);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "debtors");
  json_builder_begin_object (builder);
  ADD_INT ("new", self->debtors_new);
  ADD_INT ("updated", self->debtors_updated);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "cases");
  json_builder_begin_object (builder);
  ADD_INT ("new", self->cases_new);
  ADD_INT ("updated", self->cases_updated);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "liabilities");
  json_builder_begin_object (builder);
  ADD_INT ("new", self->liabilities_new);
  ADD_INT ("updated", self->liabilities_updated);
  ADD_INT ("unchanged", self->liabilities_unchanged);
  ADD_INT ("marked_paid", self->liabilities_marked_paid);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "phones");
  json_builder_begin_object (builder);
  ADD_INT ("new", self->phones_new);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "rejected");
  add_reason_counts (builder, self, DD_IMPORT_SEVERITY_REJECTED);
  json_builder_set_member_name (builder, "warnings");
  add_reason_counts (builder, self, DD_IMPORT_SEVERITY_WARNING);

  json_builder_set_member_name (builder, "outstanding");
  json_builder_begin_object (builder);
  for (guint i = 0; i < self->totals->len; i++)
    {
      const DdImportTotal *t = &g_array_index (self->totals, DdImportTotal, i);
      ADD_INT (t->currency, t->minor);
    }
  json_builder_end_object (builder);

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

      if (self->headers != NULL && (guint) issue->column < g_strv_length (self->headers))
        column = g_strdup (self->headers[issue->column]);
      else
        column = g_strdup_printf ("%d", issue->column + 1);

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
