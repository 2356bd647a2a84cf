/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dunning-desk-cli"

#include "config.h"

#include "dd-cli-private.h"

#include "dd-report-pdf.h"
#include "dd-report-table.h"
#include "dd-reports.h"

#include <math.h>

/* report campaign|effect|promises|ageing|work [--from D --to D] [--creditor X]
 * [--campaign ID] [--csv FILE | --pdf FILE | --json] */

static char *opt_from;
static char *opt_to;
static char *opt_creditor;
static gint64 opt_campaign;
static char *opt_csv;
static char *opt_pdf;

static GOptionEntry report_entries[] = {
  { "from", 0, 0, G_OPTION_ARG_STRING, &opt_from, N_("The first day of the period"),
    N_("YYYY-MM-DD") },
  { "to", 0, 0, G_OPTION_ARG_STRING, &opt_to, N_("The last day of the period"),
    N_("YYYY-MM-DD") },
  { "creditor", 0, 0, G_OPTION_ARG_STRING, &opt_creditor,
    N_("Only this creditor’s cases (its name or ID)"), N_("CREDITOR") },
  { "campaign", 0, 0, G_OPTION_ARG_INT64, &opt_campaign, N_("Only this campaign"), N_("ID") },
  { "csv", 0, 0, G_OPTION_ARG_FILENAME, &opt_csv, N_("Write the report as CSV"), N_("FILE") },
  { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &opt_pdf, N_("Write the report as PDF"), N_("FILE") },
  DD_CLI_JSON_ENTRY,
  { NULL }
};

static void
clear_options (void)
{
  g_clear_pointer (&opt_from, g_free);
  g_clear_pointer (&opt_to, g_free);
  g_clear_pointer (&opt_creditor, g_free);
  g_clear_pointer (&opt_csv, g_free);
  g_clear_pointer (&opt_pdf, g_free);
  opt_campaign = 0;
}

static gboolean
valid_day (const char *text)
{
  int y, m, d;

  return text != NULL && strlen (text) == 10 && text[4] == '-' && text[7] == '-' &&
         sscanf (text, "%d-%d-%d", &y, &m, &d) == 3 && g_date_valid_dmy (d, m, y);
}

/* The ageing buckets of the office (GSettings report-ageing-buckets), else 30, 60, 90. */
static GArray *
office_buckets (void)
{
  g_autoptr(GSettings) settings = dd_cli_office_settings ("report-ageing-buckets");
  g_autoptr(GVariant) value = NULL;
  GArray *bounds = g_array_new (FALSE, FALSE, sizeof (guint));
  static const guint fallback[] = { 30, 60, 90 };

  if (settings != NULL)
    {
      GVariantIter iter;
      guint32 bound;

      value = g_settings_get_value (settings, "report-ageing-buckets");
      g_variant_iter_init (&iter, value);
      while (g_variant_iter_next (&iter, "u", &bound))
        g_array_append_val (bounds, bound);
    }
  if (bounds->len == 0)
    g_array_append_vals (bounds, fallback, G_N_ELEMENTS (fallback));
  return bounds;
}

static gboolean
resolve_creditor (DdDatabase  *database,
                  gint64      *out_id,
                  GError     **error)
{
  gboolean found = FALSE;
  char *end = NULL;
  gint64 id;

  *out_id = 0;
  if (opt_creditor == NULL)
    return TRUE;
  id = g_ascii_strtoll (opt_creditor, &end, 10);
  if (end != NULL && *end == '\0' && id > 0)
    {
      if (!dd_database_fetch_int64 (database, out_id, &found, error,
                                    "SELECT id FROM creditor WHERE id = ?", DD_INT (id), DD_END))
        return FALSE;
    }
  else if (!dd_database_fetch_int64 (database, out_id, &found, error,
                                     "SELECT id FROM creditor WHERE name = ?",
                                     DD_TEXT (opt_creditor), DD_END))
    return FALSE;
  if (!found)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No creditor “%s”"),
                   opt_creditor);
      return FALSE;
    }
  return TRUE;
}

static char *
period_text (void)
{
  if (opt_from != NULL && opt_to != NULL)
    /* Translators: the period of a report */
    return g_strdup_printf (_("Period: %1$s – %2$s"), opt_from, opt_to);
  if (opt_from != NULL)
    return g_strdup_printf (_("Period: from %s"), opt_from);
  if (opt_to != NULL)
    return g_strdup_printf (_("Period: until %s"), opt_to);
  return g_strdup (_("Period: all time"));
}

static void
print_json (const char            *name,
            const DdReportFilter  *filter,
            const DdReportEffect  *effect,
            GPtrArray             *tables)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  dd_json_add_string (b, "report", name);
  json_builder_set_member_name (b, "from");
  if (filter->from != NULL)
    json_builder_add_string_value (b, filter->from);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "to");
  if (filter->to != NULL)
    json_builder_add_string_value (b, filter->to);
  else
    json_builder_add_null_value (b);
  dd_json_add_int (b, "creditor_id", filter->creditor_id);
  dd_json_add_int (b, "campaign_id", filter->campaign_id);
  if (effect != NULL)
    dd_json_add_boolean (b, "payments_imported", effect->payments_imported);
  for (guint t = 0; t < tables->len; t++)
    {
      const DdReportTable *table = g_ptr_array_index (tables, t);

      dd_json_begin_array_member (b, table->key);
      for (guint r = 0; r < table->rows->len; r++)
        {
          json_builder_begin_object (b);
          for (guint c = 0; c < table->columns->len; c++)
            {
              const DdReportColumn *column = &g_array_index (table->columns, DdReportColumn, c);
              const DdReportCell *cell = dd_report_table_cell (table, r, c);

              if (cell->kind == DD_REPORT_CELL_MONEY)
                {
                  g_autofree char *key = g_strconcat (column->key, "_minor", NULL);

                  json_builder_set_member_name (b, key);
                }
              else
                json_builder_set_member_name (b, column->key);
              switch (cell->kind)
                {
                case DD_REPORT_CELL_TEXT:
                  json_builder_add_string_value (b, cell->text);
                  break;
                case DD_REPORT_CELL_SHARE:
                  if (isnan (cell->share))
                    json_builder_add_null_value (b);
                  else
                    json_builder_add_double_value (b, cell->share);
                  break;
                case DD_REPORT_CELL_INT:
                case DD_REPORT_CELL_MONEY:
                default:
                  json_builder_add_int_value (b, cell->value);
                  break;
                }
            }
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  dd_cli_print_json (b);
}

static void
print_text (GPtrArray *tables)
{
  for (guint t = 0; t < tables->len; t++)
    {
      const DdReportTable *table = g_ptr_array_index (tables, t);

      g_print ("%s%s\n", t > 0 ? "\n" : "", table->title);
      if (table->note != NULL)
        g_print ("%s\n", table->note);
      for (guint c = 0; c < table->columns->len; c++)
        g_print ("%s%s", c > 0 ? "\t" : "",
                 g_array_index (table->columns, DdReportColumn, c).title);
      g_print ("\n");
      for (guint r = 0; r < table->rows->len; r++)
        {
          for (guint c = 0; c < table->columns->len; c++)
            {
              g_autofree char *text = dd_report_cell_format (dd_report_table_cell (table, r, c));

              g_print ("%s%s", c > 0 ? "\t" : "", text);
            }
          g_print ("\n");
        }
    }
}

static const char * const report_names[] = { "campaign", "effect", "promises", "ageing",
                                             "work" };

static const char *
report_title (guint index)
{
  switch (index)
    {
    case 0:
      return _("Campaign results");
    case 1:
      return _("Effect of the campaigns on payments");
    case 2:
      return _("Payment declarations");
    case 3:
      return _("Ageing of the receivables");
    case 4:
    default:
      return _("Work per consultant");
    }
}

int
dd_cli_report (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  g_autoptr(GError) error = NULL;
  DdReportFilter filter = { 0 };
  DdReportEffect effect;
  gboolean have_effect = FALSE;
  guint which = G_N_ELEMENTS (report_names);
  int status = 0;

  if (argc >= 2)
    for (guint i = 0; i < G_N_ELEMENTS (report_names); i++)
      if (g_str_equal (argv[1], report_names[i]))
        which = i;
  if (which == G_N_ELEMENTS (report_names))
    {
      g_printerr ("%s\n", _("Usage: dunning-desk-cli report campaign|effect|promises|ageing|work "
                            "[--from D --to D] [--creditor X] [--campaign ID] "
                            "[--csv FILE | --pdf FILE | --json]"));
      return 2;
    }
  argc--;
  argv++;
  context = g_option_context_new (_("— a report"));
  if (!dd_cli_parse_options (context, report_entries, &argc, &argv))
    {
      clear_options ();
      return 2;
    }
  if ((opt_from != NULL && !valid_day (opt_from)) || (opt_to != NULL && !valid_day (opt_to)))
    {
      dd_cli_print_error (_("Dates are written YYYY-MM-DD"));
      clear_options ();
      return 2;
    }
  if ((opt_csv != NULL) + (opt_pdf != NULL) + (dd_cli_json != FALSE) > 1)
    {
      dd_cli_print_error (_("Give only one of --csv, --pdf and --json"));
      clear_options ();
      return 2;
    }

  database = dd_cli_open_database ();
  if (database == NULL)
    {
      clear_options ();
      return 1;
    }
  filter.from = opt_from;
  filter.to = opt_to;
  filter.campaign_id = opt_campaign;
  if (!resolve_creditor (database, &filter.creditor_id, &error))
    goto out;

  switch (which)
    {
    case 0:
      {
        g_autoptr(GPtrArray) rows = dd_report_campaigns (database, &filter, &error);

        if (rows != NULL)
          tables = dd_report_campaigns_tables (rows);
      }
      break;
    case 1:
      if (dd_report_effect (database, &filter, &effect, &error))
        {
          tables = dd_report_effect_tables (&effect);
          have_effect = TRUE;
        }
      break;
    case 2:
      {
        g_autoptr(GPtrArray) rows = dd_report_promises (database, &filter, &error);

        if (rows != NULL)
          tables = dd_report_promises_tables (rows);
      }
      break;
    case 3:
      {
        g_autoptr(GArray) bounds = office_buckets ();
        g_autoptr(DdReportAgeing) ageing = dd_report_ageing (database, &filter,
                                                             (guint *) bounds->data,
                                                             bounds->len, &error);

        if (ageing != NULL)
          tables = dd_report_ageing_tables (ageing);
      }
      break;
    case 4:
    default:
      {
        g_autoptr(GPtrArray) rows = dd_report_work (database, &filter, &error);

        if (rows != NULL)
          tables = dd_report_work_tables (rows);
      }
      break;
    }
  if (tables == NULL)
    goto out;

  if (opt_csv != NULL)
    {
      g_autofree char *csv = dd_report_tables_to_csv (tables);

      g_file_set_contents (opt_csv, csv, -1, &error);
    }
  else if (opt_pdf != NULL)
    {
      g_autofree char *office = dd_cli_office_setting ("office-name", "");
      g_autofree char *period = period_text ();

      dd_report_pdf_write (opt_pdf, report_title (which), office, period, tables, &error);
    }
  else if (dd_cli_json)
    print_json (report_names[which], &filter, have_effect ? &effect : NULL, tables);
  else
    print_text (tables);

out:
  if (error != NULL)
    status = dd_cli_fail (error);
  clear_options ();
  return status;
}
