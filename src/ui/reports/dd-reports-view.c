/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-reports-view"

#include "config.h"

#include "dd-reports-view.h"
#include "dd-queues-report.h"
#include "dd-question.h"
#include "dd-reports-view-private.h"

#include "dd-report-chart.h"
#include "dd-report-pdf.h"
#include "dd-report-table.h"
#include "dd-reports.h"

#include <glib/gi18n.h>

struct _DdReportsView
{
  AdwBin        parent_instance;

  DdContext    *context;
  GCancellable *cancellable;
  GPtrArray    *tables;        /* shown, or NULL */
  GArray       *creditor_ids;  /* gint64 per creditor drop-down item (0: all) */
  GArray       *campaign_ids;  /* gint64 per campaign drop-down item (0: all) */
  char         *from;          /* the period shown */
  char         *to;
  gboolean      period_fixed;  /* set by _dd_reports_view_set_period() */
  gboolean      filling;       /* the drop-downs are being filled: no reload */
  gboolean      made;          /* a report was asked for once */
  guint         empty_action;  /* what the empty page's button does */

  GtkDropDown  *report_dropdown;
  GtkDropDown  *period_dropdown;
  GtkDropDown  *creditor_dropdown;
  GtkDropDown  *campaign_dropdown;
  GtkStringList *creditor_names;
  GtkStringList *campaign_names;
  GtkStack     *stack;
  GtkSpinner   *spinner;
  AdwStatusPage *empty_page;
  GtkButton    *empty_button;
  AdwStatusPage *error_page;
  GtkBox       *report_box;
};

G_DEFINE_FINAL_TYPE (DdReportsView, dd_reports_view, ADW_TYPE_BIN)

enum
{
  REPORT_SHOWN,
  PAYMENTS_IMPORT_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum
{
  EMPTY_NONE,
  EMPTY_IMPORT_PAYMENTS,
  EMPTY_IMPORT_CASES,
  EMPTY_NEW_CAMPAIGN,
};

/* The worker: the report added up on a connection of its own. */
typedef struct
{
  DdDatabase          *database;
  DdReportsViewReport  report;
  DdReportFilter       filter;
  GArray              *bounds;     /* guint: the ageing buckets */
} Job;

typedef struct
{
  GPtrArray *tables;
  guint      empty;                /* 0: something to show; else why not (EMPTY_…+1) */
} Result;

enum
{
  WHY_NOT_NOTHING = 0,
  WHY_NO_CAMPAIGNS,
  WHY_NO_PAYMENTS,
  WHY_NOBODY_CONTACTED,
  WHY_NO_PROMISES,
  WHY_NO_BALANCE,
  WHY_NO_WORK,
  WHY_NO_QUEUE_CALLS,
};

static void
job_free (Job *job)
{
  g_clear_object (&job->database);
  g_free (job->filter.from);
  g_free (job->filter.to);
  g_clear_pointer (&job->bounds, g_array_unref);
  g_free (job);
}

static void
result_free (Result *result)
{
  g_clear_pointer (&result->tables, g_ptr_array_unref);
  g_free (result);
}

static void
make_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  Result *result = g_new0 (Result, 1);

  /* why a report is empty, by report */
  static const int why_empty[] = {
    [DD_REPORTS_VIEW_CAMPAIGNS] = WHY_NO_CAMPAIGNS,
    [DD_REPORTS_VIEW_EFFECT] = WHY_NOBODY_CONTACTED,
    [DD_REPORTS_VIEW_PROMISES] = WHY_NO_PROMISES,
    [DD_REPORTS_VIEW_AGEING] = WHY_NO_BALANCE,
    [DD_REPORTS_VIEW_WORK] = WHY_NO_WORK,
  };
  guint which = MIN ((guint) job->report, (guint) DD_REPORTS_VIEW_WORK);
  DdReportEffect effect;
  gboolean empty = FALSE;

  if (job->report == DD_REPORTS_VIEW_QUEUES)
    {
      guint calls = 0;

      /* the inbound queues' figures (dd-queues-report.h) */
      result->tables = dd_queues_report_tables (job->database, job->filter.from,
                                                job->filter.to, &calls, &error);
      if (result->tables != NULL && calls == 0)
        result->empty = WHY_NO_QUEUE_CALLS;
    }
  else
    {
      result->tables = dd_report_make_tables (job->database, which, &job->filter, job->bounds,
                                              &effect, &empty, &error);
      if (result->tables != NULL && empty)
        result->empty = which == DD_REPORTS_VIEW_EFFECT && !effect.payments_imported
                        ? WHY_NO_PAYMENTS : why_empty[which];
    }
  if (result->tables == NULL)
    {
      result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) result_free);
}

/* Helpers */

static const char *
report_title (DdReportsViewReport report)
{
  return dd_report_title (report);
}

static char *
day_text (GDate *date)
{
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

/* The period the drop-down names, from today. */
static void
update_period (DdReportsView *self)
{
  guint which = gtk_drop_down_get_selected (self->period_dropdown);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  int y = g_date_time_get_year (now);
  int m = g_date_time_get_month (now);
  int q = (m - 1) / 3;
  GDate from, to;

  if (self->period_fixed)
    return;
  g_clear_pointer (&self->from, g_free);
  g_clear_pointer (&self->to, g_free);
  g_date_clear (&from, 1);
  g_date_clear (&to, 1);
  switch (which)
    {
    case 1: /* this month */
      g_date_set_dmy (&from, 1, m, y);
      break;
    case 2: /* last month */
      g_date_set_dmy (&from, 1, m, y);
      g_date_subtract_months (&from, 1);
      break;
    case 3: /* this quarter */
      g_date_set_dmy (&from, 1, q * 3 + 1, y);
      break;
    case 4: /* last quarter */
      g_date_set_dmy (&from, 1, q * 3 + 1, y);
      g_date_subtract_months (&from, 3);
      break;
    case 5: /* this year */
      g_date_set_dmy (&from, 1, 1, y);
      break;
    case 6: /* last year */
      g_date_set_dmy (&from, 1, 1, y - 1);
      break;
    default: /* all time */
      return;
    }
  to = from;
  if (which == 1 || which == 2)
    g_date_add_months (&to, 1);
  else if (which == 3 || which == 4)
    g_date_add_months (&to, 3);
  else
    g_date_add_years (&to, 1);
  g_date_subtract_days (&to, 1);
  self->from = day_text (&from);
  self->to = day_text (&to);
}

static char *
period_text (DdReportsView *self)
{
  return dd_report_period_text (self->from, self->to);
}

static char *
office_name (DdReportsView *self)
{
  GSettings *settings = dd_context_get_settings (self->context);

  return settings != NULL ? g_settings_get_string (settings, "office-name") : g_strdup ("");
}

static GArray *
ageing_bounds (DdReportsView *self)
{
  return dd_report_ageing_bounds (dd_context_get_settings (self->context));
}

static void
read_choice (DdStatement *stmt,
             gpointer     user_data)
{
  gpointer *out = user_data;
  gint64 id = dd_statement_get_int64 (stmt, 0);

  g_array_append_val ((GArray *) out[0], id);
  gtk_string_list_append (out[1], dd_statement_get_text (stmt, 1));
}

/* Fills a drop-down with "All …" and the rows of @sql (id, name), keeping its choice. */
static void
fill_choices (DdReportsView *self,
              GtkDropDown   *dropdown,
              GtkStringList *names,
              GArray        *ids,
              const char    *all,
              const char    *sql)
{
  g_autoptr(GError) error = NULL;
  guint selected = gtk_drop_down_get_selected (dropdown);
  gint64 kept = selected < ids->len ? g_array_index (ids, gint64, selected) : 0;
  gint64 zero = 0;

  self->filling = TRUE;
  g_array_set_size (ids, 0);
  gtk_string_list_splice (names, 0, g_list_model_get_n_items (G_LIST_MODEL (names)), NULL);
  g_array_append_val (ids, zero);
  gtk_string_list_append (names, all);
  if (!dd_database_query_each (dd_context_get_database (self->context), read_choice,
                               (gpointer[]) { ids, names }, &error, sql, DD_END))
    g_warning ("Could not list the report's choices: %s", error->message);
  gtk_drop_down_set_selected (dropdown, 0);
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == kept)
      gtk_drop_down_set_selected (dropdown, i);
  self->filling = FALSE;
}

static void
fill_filters (DdReportsView *self)
{
  fill_choices (self, self->creditor_dropdown, self->creditor_names, self->creditor_ids,
                _("All creditors"), "SELECT id, name FROM creditor ORDER BY name");
  fill_choices (self, self->campaign_dropdown, self->campaign_names, self->campaign_ids,
                _("All campaigns"), "SELECT id, name FROM campaign ORDER BY id DESC");
}

static void
update_actions (DdReportsView *self)
{
  gboolean shown = self->tables != NULL &&
                   g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "report") == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.print", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.export-pdf", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.export-csv", shown);
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

/* One table as a grid of labels: a header row, then the rows; numbers to the right. */
static GtkWidget *
table_grid (const DdReportTable *t)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_widget_add_css_class (grid, "report-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (grid), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  t->title, -1);
  for (guint c = 0; c < t->columns->len; c++)
    {
      const DdReportColumn *column = &g_array_index (t->columns, DdReportColumn, c);
      GtkWidget *label = gtk_label_new (column->title);

      gtk_label_set_xalign (GTK_LABEL (label), column->kind == DD_REPORT_CELL_TEXT ? 0 : 1);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 14);
      gtk_widget_set_valign (label, GTK_ALIGN_END);
      gtk_widget_add_css_class (label, "heading");
      gtk_grid_attach (GTK_GRID (grid), label, (int) c, 0, 1, 1);
    }
  for (guint r = 0; r < t->rows->len; r++)
    for (guint c = 0; c < t->columns->len; c++)
      {
        const DdReportCell *cell = dd_report_table_cell (t, r, c);
        g_autofree char *text = dd_report_cell_format (cell);
        GtkWidget *label = gtk_label_new (text);

        gtk_label_set_xalign (GTK_LABEL (label), cell->kind == DD_REPORT_CELL_TEXT ? 0 : 1);
        gtk_label_set_selectable (GTK_LABEL (label), TRUE);
        if (cell->kind != DD_REPORT_CELL_TEXT)
          gtk_widget_add_css_class (label, "numeric");
        gtk_grid_attach (GTK_GRID (grid), label, (int) c, (int) r + 1, 1, 1);
      }
  return grid;
}

static void
show_tables (DdReportsView *self)
{
  GtkWidget *heading, *period;
  g_autofree char *period_line = period_text (self);

  clear_box (self->report_box);
  heading = gtk_label_new (report_title (gtk_drop_down_get_selected (self->report_dropdown)));
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "title-2");
  gtk_box_append (self->report_box, heading);
  period = gtk_label_new (period_line);
  gtk_label_set_xalign (GTK_LABEL (period), 0);
  gtk_widget_add_css_class (period, "dim-label");
  gtk_box_append (self->report_box, period);

  for (guint i = 0; i < self->tables->len; i++)
    {
      const DdReportTable *t = g_ptr_array_index (self->tables, i);
      GtkWidget *title, *chart, *scroller;

      if (t->rows->len == 0 && i > 0)
        continue;   /* e.g. no keys pressed, no roll rate yet */
      title = gtk_label_new (t->title);
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_widget_add_css_class (title, "title-4");
      gtk_widget_set_margin_top (title, 12);
      gtk_box_append (self->report_box, title);
      if (t->note != NULL)
        {
          GtkWidget *note = gtk_label_new (t->note);

          gtk_label_set_xalign (GTK_LABEL (note), 0);
          gtk_label_set_wrap (GTK_LABEL (note), TRUE);
          gtk_box_append (self->report_box, note);
        }
      chart = dd_report_chart_new ();
      dd_report_chart_set_table (DD_REPORT_CHART (chart), t);
      gtk_box_append (self->report_box, chart);
      scroller = gtk_scrolled_window_new ();
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC,
                                      GTK_POLICY_NEVER);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), table_grid (t));
      gtk_box_append (self->report_box, scroller);
    }
}

static void
show_empty (DdReportsView *self,
            guint          why)
{
  const char *title = NULL, *description = NULL, *button = NULL;

  self->empty_action = EMPTY_NONE;
  switch (why)
    {
    case WHY_NO_CAMPAIGNS:
      title = _("No Campaigns Yet");
      description = _("Campaign results appear here once a campaign has been created. "
                      "Start one in Campaigns.");
      button = _("_New Campaign…");
      self->empty_action = EMPTY_NEW_CAMPAIGN;
      break;
    case WHY_NO_PAYMENTS:
      title = _("No Payments Imported");
      description = _("The effect of the campaigns is measured on the payments that came in. "
                      "Import the bank statements in Payments first.");
      button = _("_Import Payments…");
      self->empty_action = EMPTY_IMPORT_PAYMENTS;
      break;
    case WHY_NOBODY_CONTACTED:
      title = _("Nobody Contacted in This Period");
      description = _("No campaign sent a message, made a call or held a debtor out in this "
                      "period. Pick a longer period or another campaign.");
      break;
    case WHY_NO_PROMISES:
      title = _("No Payment Declarations");
      description = _("Nobody declared a payment in this period. Declarations are recorded in "
                      "calls, from SMS replies and on a case’s page; pick a longer period to "
                      "see earlier ones.");
      break;
    case WHY_NO_BALANCE:
      title = _("Nothing Is Owed");
      description = _("No open case has a balance. Import the receivables from your "
                      "accounting system to see how old they are.");
      button = _("_Import Receivables…");
      self->empty_action = EMPTY_IMPORT_CASES;
      break;
    case WHY_NO_QUEUE_CALLS:
      title = _("No Calls in the Queues");
      description = _("No caller reached an inbound queue in this period. The line and its "
                      "queues are set up in Preferences › Consultants.");
      break;
    case WHY_NO_WORK:
    default:
      title = _("No Consultant Work in This Period");
      description = _("No consultant called, recorded a declaration or changed a case in this "
                      "period. Pick a longer period to see earlier work.");
      break;
    }
  adw_status_page_set_title (self->empty_page, title);
  adw_status_page_set_description (self->empty_page, description);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_button), button != NULL);
  if (button != NULL)
    gtk_button_set_label (self->empty_button, button);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
on_made (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  Result *result = g_task_propagate_pointer (G_TASK (res), &error);
  DdReportsView *self;

  /* a cancelled report's view may be gone: touch nothing */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (res))))
    {
      g_clear_pointer (&result, result_free);
      return;
    }
  self = DD_REPORTS_VIEW (user_data);
  gtk_spinner_stop (self->spinner);
  if (result == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else
    {
      self->tables = g_steal_pointer (&result->tables);
      if (result->empty != WHY_NOT_NOTHING)
        show_empty (self, result->empty);
      else
        {
          show_tables (self);
          gtk_stack_set_visible_child_name (self->stack, "report");
        }
      result_free (result);
    }
  update_actions (self);
  g_signal_emit (self, signals[REPORT_SHOWN], 0);
}

/* Callbacks */

static void
on_filter_changed (DdReportsView *self)
{
  if (self->filling || !self->made)
    return;
  dd_reports_view_reload (self);
}

static void
on_empty_button_clicked (DdReportsView *self)
{
  switch (self->empty_action)
    {
    case EMPTY_IMPORT_PAYMENTS:
      g_signal_emit (self, signals[PAYMENTS_IMPORT_REQUESTED], 0);
      break;
    case EMPTY_IMPORT_CASES:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.import", NULL);
      break;
    case EMPTY_NEW_CAMPAIGN:
      gtk_widget_activate_action (GTK_WIDGET (self), "win.new-campaign", NULL);
      break;
    default:
      break;
    }
}

static void
on_campaigns_changed (DdReportsView *self)
{
  fill_filters (self);
}

static void show_error (DdReportsView *self,
                        GError        *error);

/* Printing: the PDF's pages, drawn page by page into the printer's cairo context. */

typedef struct
{
  GPtrArray *tables;
  char      *title;
  char      *office;
  char      *made;
  char      *period;
} PrintJob;

static void
print_job_free (PrintJob *job)
{
  g_ptr_array_unref (job->tables);
  g_free (job->title);
  g_free (job->office);
  g_free (job->made);
  g_free (job->period);
  g_free (job);
}

static void
scale_to_page (GtkPrintContext *context,
               cairo_t         *cr)
{
  double sx = gtk_print_context_get_width (context) / DD_REPORT_PAGE_WIDTH;
  double sy = gtk_print_context_get_height (context) / DD_REPORT_PAGE_HEIGHT;

  cairo_scale (cr, MIN (sx, sy), MIN (sx, sy));
}

static void
on_begin_print (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                PrintJob          *job)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  guint pages;

  cairo_save (cr);
  scale_to_page (context, cr);
  pages = dd_report_pdf_draw_page (cr, 0, job->title, job->office, job->made, job->period,
                                   job->tables);
  cairo_restore (cr);
  gtk_print_operation_set_n_pages (operation, (int) MAX (pages, 1));
}

static void
on_draw_page (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              PrintJob          *job)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);

  cairo_save (cr);
  scale_to_page (context, cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  dd_report_pdf_draw_page (cr, (guint) page_nr + 1, job->title, job->office, job->made,
                           job->period, job->tables);
  cairo_restore (cr);
}

static GtkPrintOperation *
print_operation_new (DdReportsView *self)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  PrintJob *job = g_new0 (PrintJob, 1);

  job->tables = g_ptr_array_ref (self->tables);
  job->title = g_strdup (report_title (gtk_drop_down_get_selected (self->report_dropdown)));
  job->office = office_name (self);
  job->made = dd_report_made_text (now);
  job->period = period_text (self);
  gtk_page_setup_set_paper_size (setup, a4);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_LANDSCAPE);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_job_name (operation, job->title);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print), job);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page), job);
  g_object_set_data_full (G_OBJECT (operation), "dd-print-job", job,
                          (GDestroyNotify) print_job_free);
  return operation;
}

static void
on_print_done (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               DdReportsView           *self)
{
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      show_error (self, error);
    }
  g_object_unref (operation);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  DdReportsView *self = DD_REPORTS_VIEW (widget);
  GtkPrintOperation *operation;
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->tables == NULL)
    return;
  operation = print_operation_new (self);
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect (operation, "done", G_CALLBACK (on_print_done), self);
  /* the print dialog offers the preview */
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                               &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    show_error (self, error);
}

/* Export */

static void
show_error (DdReportsView *self,
            GError        *error)
{
  dd_notice_show (GTK_WIDGET (self), _("The Report Could Not Be Saved"), error->message);
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    DdReportsView   *self)
{
  gboolean pdf = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "dd-pdf"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      g_autoptr(GError) error = NULL;

      if (path != NULL &&
          !(pdf ? _dd_reports_view_write_pdf (self, path, &error)
                : _dd_reports_view_write_csv (self, path, &error)))
        show_error (self, error);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DdReportsView *self = DD_REPORTS_VIEW (widget);
  gboolean pdf = g_str_equal (action_name, "reports.export-pdf");
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  if (self->tables == NULL)
    return;
  dialog = gtk_file_chooser_native_new (pdf ? _("Export the Report as PDF")
                                            : _("Export the Report as CSV"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_filter_set_name (filter, pdf ? _("PDF documents") : _("CSV files"));
  gtk_file_filter_add_suffix (filter, pdf ? "pdf" : "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  /* Translators: the file name a report is exported to; %s is its key, e.g. "ageing" */
  name = g_strdup_printf (_("report-%s.%s"),
                          ((DdReportTable *) g_ptr_array_index (self->tables, 0))->key,
                          pdf ? "pdf" : "csv");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_object_set_data (G_OBJECT (dialog), "dd-pdf", GINT_TO_POINTER (pdf));
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* GObject */

static void
dd_reports_view_map (GtkWidget *widget)
{
  DdReportsView *self = DD_REPORTS_VIEW (widget);

  GTK_WIDGET_CLASS (dd_reports_view_parent_class)->map (widget);
  if (!self->made)
    {
      fill_filters (self);
      dd_reports_view_reload (self);
    }
}

static void
dd_reports_view_constructed (GObject *object)
{
  DdReportsView *self = DD_REPORTS_VIEW (object);

  G_OBJECT_CLASS (dd_reports_view_parent_class)->constructed (object);
  g_signal_connect_object (self->context, "campaigns-changed",
                           G_CALLBACK (on_campaigns_changed), self, G_CONNECT_SWAPPED);
}

static void
dd_reports_view_dispose (GObject *object)
{
  DdReportsView *self = DD_REPORTS_VIEW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_REPORTS_VIEW);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (dd_reports_view_parent_class)->dispose (object);
}

static void
dd_reports_view_finalize (GObject *object)
{
  DdReportsView *self = DD_REPORTS_VIEW (object);

  g_clear_pointer (&self->tables, g_ptr_array_unref);
  g_clear_pointer (&self->creditor_ids, g_array_unref);
  g_clear_pointer (&self->campaign_ids, g_array_unref);
  g_free (self->from);
  g_free (self->to);
  G_OBJECT_CLASS (dd_reports_view_parent_class)->finalize (object);
}

static void
dd_reports_view_class_init (DdReportsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dd_reports_view_constructed;
  object_class->dispose = dd_reports_view_dispose;
  object_class->finalize = dd_reports_view_finalize;
  widget_class->map = dd_reports_view_map;

  dd_context_install_property (object_class, G_STRUCT_OFFSET (DdReportsView, context), 0);

  signals[REPORT_SHOWN] =
    g_signal_new ("report-shown", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  signals[PAYMENTS_IMPORT_REQUESTED] =
    g_signal_new ("payments-import-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dunningdesk/DunningDesk/"
                                               "dd-reports-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DdReportsView, report_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DdReportsView, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DdReportsView, creditor_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DdReportsView, campaign_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DdReportsView, creditor_names);
  gtk_widget_class_bind_template_child (widget_class, DdReportsView, campaign_names);
  gtk_widget_class_bind_template_child (widget_class, DdReportsView, stack);
  gtk_widget_class_bind_template_child (widget_class, DdReportsView, spinner);
  gtk_widget_class_bind_template_child (widget_class, DdReportsView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DdReportsView, empty_button);
  gtk_widget_class_bind_template_child (widget_class, DdReportsView, error_page);
  gtk_widget_class_bind_template_child (widget_class, DdReportsView, report_box);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_empty_button_clicked);

  gtk_widget_class_install_action (widget_class, "reports.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "reports.export-pdf", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "reports.export-csv", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "reports.print", NULL);

  g_type_ensure (DD_TYPE_REPORT_CHART);
}

static void
dd_reports_view_init (DdReportsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->creditor_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->campaign_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  update_actions (self);
}

GtkWidget *
dd_reports_view_new (DdContext *context)
{
  g_return_val_if_fail (DD_IS_CONTEXT (context), NULL);

  return g_object_new (DD_TYPE_REPORTS_VIEW, "context", context, NULL);
}

void
dd_reports_view_set_report (DdReportsView       *self,
                            DdReportsViewReport  report)
{
  g_return_if_fail (DD_IS_REPORTS_VIEW (self));

  gtk_drop_down_set_selected (self->report_dropdown, report);
}

void
dd_reports_view_reload (DdReportsView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  guint creditor = gtk_drop_down_get_selected (self->creditor_dropdown);
  guint campaign = gtk_drop_down_get_selected (self->campaign_dropdown);
  Job *job;

  g_return_if_fail (DD_IS_REPORTS_VIEW (self));

  self->made = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->tables, g_ptr_array_unref);
  clear_box (self->report_box);
  update_period (self);

  job = g_new0 (Job, 1);
  job->database = dd_database_open_another (dd_context_get_database (self->context), &error);
  if (job->database == NULL)
    {
      job_free (job);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      update_actions (self);
      g_signal_emit (self, signals[REPORT_SHOWN], 0);
      return;
    }
  job->report = gtk_drop_down_get_selected (self->report_dropdown);
  job->filter.from = g_strdup (self->from);
  job->filter.to = g_strdup (self->to);
  job->filter.creditor_id = creditor < self->creditor_ids->len
                            ? g_array_index (self->creditor_ids, gint64, creditor) : 0;
  job->filter.campaign_id = campaign < self->campaign_ids->len
                            ? g_array_index (self->campaign_ids, gint64, campaign) : 0;
  job->bounds = ageing_bounds (self);

  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_spinner_start (self->spinner);
  update_actions (self);

  task = g_task_new (NULL, self->cancellable, on_made, self);
  g_task_set_source_tag (task, dd_reports_view_reload);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, make_in_thread);
}

/* For the tests */

GPtrArray *
_dd_reports_view_get_tables (DdReportsView *self)
{
  return self->tables;
}

const char *
_dd_reports_view_get_state (DdReportsView *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

void
_dd_reports_view_set_period (DdReportsView *self,
                             const char    *from,
                             const char    *to)
{
  self->period_fixed = TRUE;
  g_free (self->from);
  g_free (self->to);
  self->from = g_strdup (from);
  self->to = g_strdup (to);
  dd_reports_view_reload (self);
}

gboolean
_dd_reports_view_write_csv (DdReportsView  *self,
                            const char     *path,
                            GError        **error)
{
  g_autofree char *csv = NULL;

  g_return_val_if_fail (self->tables != NULL, FALSE);
  csv = dd_report_tables_to_csv_for_spreadsheet (self->tables);
  return g_file_set_contents (path, csv, -1, error);
}

gboolean
_dd_reports_view_write_pdf (DdReportsView  *self,
                            const char     *path,
                            GError        **error)
{
  g_autofree char *office = office_name (self);
  g_autofree char *period = period_text (self);

  g_return_val_if_fail (self->tables != NULL, FALSE);
  return dd_report_pdf_write (path,
                              report_title (gtk_drop_down_get_selected (self->report_dropdown)),
                              office, period, self->tables, error);
}

gboolean
_dd_reports_view_print_to_file (DdReportsView  *self,
                                const char     *path,
                                GError        **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;

  g_return_val_if_fail (self->tables != NULL, FALSE);
  operation = print_operation_new (self);
  gtk_print_operation_set_export_filename (operation, path);
  return gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, error) !=
         GTK_PRINT_OPERATION_RESULT_ERROR;
}
