/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-payments-view"

#include "config.h"

#include "dd-payments-view.h"
#include "dd-payments-view-private.h"

#include "dd-case-list.h"
#include "dd-case-query.h"
#include "dd-case-row.h"
#include "dd-money.h"
#include "dd-payment-csv.h"
#include "dd-payment-store.h"
#include "dd-question.h"

#include <glib/gi18n.h>

/* How many cases the search of the Assign… popover offers. */
#define MAX_RESULTS 8

struct _DdPaymentsView
{
  GtkWidget        parent_instance;

  DdContext       *context;
  DdPaymentStore  *payments;
  GPtrArray       *rows;          /* AdwActionRow, in list order */
  char            *last_toast;    /* for the tests */
  GtkFileChooserNative *chooser;

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkListBox      *list_box;
};

G_DEFINE_FINAL_TYPE (DdPaymentsView, dd_payments_view, GTK_TYPE_WIDGET)

enum {
  PAYMENTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_toast (DdPaymentsView *self,
            const char     *text)
{
  g_free (self->last_toast);
  self->last_toast = g_strdup (text);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static char *
format_amount (gint64      minor,
               const char *currency)
{
  return dd_money_format (minor, currency, g_get_language_names ()[0]);
}

static void
after_change (DdPaymentsView *self,
              const char     *toast)
{
  show_toast (self, toast);
  dd_payments_view_reload (self);
  g_signal_emit (self, signals[PAYMENTS_CHANGED], 0);
  dd_context_cases_changed (self->context);
}

/* Assign… */

static void
on_result_activated (GtkListBox    *results,
                     GtkListBoxRow *result,
                     GtkWidget     *row)
{
  DdPaymentsView *self = DD_PAYMENTS_VIEW (gtk_widget_get_ancestor (row, DD_TYPE_PAYMENTS_VIEW));
  gint64 payment_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "dd-payment-id"));
  gint64 case_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (result), "dd-case-id"));
  GtkMenuButton *button = GTK_MENU_BUTTON (_dd_payments_view_get_assign_button (row));
  g_autofree char *debtor = g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (result)));
  g_autoptr(GError) error = NULL;

  if (self == NULL || case_id <= 0)
    return;
  gtk_menu_button_popdown (button);
  if (!dd_payment_store_assign (self->payments, dd_context_get_agent_id (self->context),
                                payment_id, case_id, &error))
    {
      show_toast (self, error->message);
      return;
    }
  {
    /* Translators: a toast; %s is the debtor's name */
    g_autofree char *text = g_strdup_printf (_("Payment assigned to %s"), debtor);

    after_change (self, text);
  }
}

static void
on_search_changed (GtkSearchEntry *entry,
                   GtkWidget      *row)
{
  DdPaymentsView *self = DD_PAYMENTS_VIEW (gtk_widget_get_ancestor (row, DD_TYPE_PAYMENTS_VIEW));
  GtkListBox *results = _dd_payments_view_get_results (row);
  const char *currency = g_object_get_data (G_OBJECT (row), "dd-currency");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr(DdCaseQuery) query = dd_case_query_new ();
  g_autoptr(DdCaseList) list = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (results))) != NULL)
    gtk_list_box_remove (results, child);
  if (self == NULL || g_utf8_strlen (text, -1) < 2)
    return;

  /* the same search as the cases list: name, tax ID, phone, invoice number, e-mail */
  dd_case_query_set_search (query, text);
  list = dd_case_list_new (dd_context_get_database (self->context));
  if (!dd_case_list_set_query (list, query, &error))
    {
      show_toast (self, error->message);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)) && shown < MAX_RESULTS; i++)
    {
      g_autoptr(DdCaseRow) found = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_autofree char *balance = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *result;

      if (g_strcmp0 (dd_case_row_get_currency (found), currency) != 0)
        continue;
      balance = format_amount (dd_case_row_get_balance_minor (found),
                               dd_case_row_get_currency (found));
      /* Translators: a case in the search of Assign…: "Case 12 · Alfa Bank · owes 1 500,00 zł" */
      subtitle = g_strdup_printf (_("Case %1$lld · %2$s · owes %3$s"),
                                  (long long) dd_case_row_get_id (found),
                                  dd_case_row_get_creditor_name (found), balance);
      result = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (result), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (result),
                                     dd_case_row_get_debtor_name (found));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (result), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (result), TRUE);
      g_object_set_data (G_OBJECT (result), "dd-case-id",
                         GSIZE_TO_POINTER ((gsize) dd_case_row_get_id (found)));
      gtk_list_box_append (results, result);
      shown++;
    }
  if (shown == 0)
    {
      GtkWidget *none = gtk_label_new (_("No case in this currency matches."));

      gtk_widget_add_css_class (none, "dim-label");
      gtk_widget_set_margin_top (none, 12);
      gtk_widget_set_margin_bottom (none, 12);
      gtk_list_box_append (results, none);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (gtk_widget_get_parent (none)), FALSE);
    }
}

static void
on_ignore_clicked (GtkButton *button,
                   GtkWidget *row)
{
  DdPaymentsView *self = DD_PAYMENTS_VIEW (gtk_widget_get_ancestor (row, DD_TYPE_PAYMENTS_VIEW));
  gint64 payment_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "dd-payment-id"));
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    return;
  if (!dd_payment_store_ignore (self->payments, dd_context_get_agent_id (self->context),
                                payment_id, &error))
    {
      show_toast (self, error->message);
      return;
    }
  after_change (self, _("Payment ignored"));
}

static GtkWidget *
new_payment_row (DdPaymentRecord *record)
{
  g_autofree char *amount = format_amount (record->amount_minor, record->currency);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *popover_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *search = gtk_search_entry_new ();
  GtkWidget *results = gtk_list_box_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *assign = gtk_menu_button_new ();
  GtkWidget *ignore = gtk_button_new_with_mnemonic (_("_Ignore"));

  /* Translators: an unmatched payment: "1 200,00 ₽ — Сидоров Пётр Ильич" */
  title = g_strdup_printf (_("%1$s — %2$s"), amount,
                           record->payer_name ? record->payer_name : _("Unknown payer"));
  /* Translators: under an unmatched payment: its date · its title · the account it came from */
  subtitle = g_strdup_printf (_("%1$s · %2$s · %3$s"), record->paid_on,
                              record->title ? record->title : "",
                              record->payer_account ? record->payer_account : "");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  g_object_set_data (G_OBJECT (row), "dd-payment-id", GSIZE_TO_POINTER ((gsize) record->id));
  g_object_set_data_full (G_OBJECT (row), "dd-currency", g_strdup (record->currency), g_free);

  /* gtk_search_entry_set_placeholder_text() is GTK 4.10; the property is older */
  g_object_set (search, "placeholder-text", _("Debtor, tax ID, phone or invoice"), NULL);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (results), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (results, "boxed-list");
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 360);
  gtk_widget_set_size_request (scroller, 380, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), results);
  gtk_box_append (GTK_BOX (popover_box), search);
  gtk_box_append (GTK_BOX (popover_box), scroller);
  gtk_popover_set_child (GTK_POPOVER (popover), popover_box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (assign), popover);
  gtk_menu_button_set_label (GTK_MENU_BUTTON (assign), _("_Assign…"));
  gtk_menu_button_set_use_underline (GTK_MENU_BUTTON (assign), TRUE);
  gtk_widget_set_tooltip_text (assign, _("Find the case this payment belongs to"));
  gtk_widget_set_valign (assign, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (ignore, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (ignore, _("Not a debtor’s payment: take it off this list"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), ignore);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), assign);

  g_object_set_data (G_OBJECT (row), "dd-assign", assign);
  g_object_set_data (G_OBJECT (row), "dd-ignore", ignore);
  g_object_set_data (G_OBJECT (row), "dd-search", search);
  g_object_set_data (G_OBJECT (row), "dd-results", results);
  g_signal_connect (search, "search-changed", G_CALLBACK (on_search_changed), row);
  g_signal_connect (results, "row-activated", G_CALLBACK (on_result_activated), row);
  g_signal_connect (ignore, "clicked", G_CALLBACK (on_ignore_clicked), row);
  return row;
}

/* Import Statement… */

static char *
summary_text (const DdPaymentImportSummary *summary)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, _("Payments read: %1$u (outgoing lines skipped: %2$u; imported "
                                  "before, skipped: %3$u)\n"),
                          summary->n_read, summary->n_debits, summary->n_repeats);
  g_string_append_printf (text, _("Matched: %1$u — invoice number %2$u, tax ID %3$u, account "
                                  "%4$u, name and amount %5$u\n"),
                          summary->n_matched, summary->n_by[DD_PAYMENT_MATCH_INVOICE],
                          summary->n_by[DD_PAYMENT_MATCH_TAX_ID],
                          summary->n_by[DD_PAYMENT_MATCH_ACCOUNT],
                          summary->n_by[DD_PAYMENT_MATCH_NAME_AMOUNT]);
  g_string_append_printf (text, _("Unmatched, waiting to be assigned: %u\n"),
                          summary->n_unmatched);
  g_string_append_printf (text, _("Partial payments: %1$u; over-payments: %2$u; cases closed as "
                                  "paid: %3$u\n"),
                          summary->n_partial, summary->n_over, summary->n_closed);
  g_string_append_printf (text, _("Payment declarations kept: %1$u; broken (paid late): %2$u\n"),
                          summary->n_kept, summary->n_broken);
  g_strchomp (text->str);
  return g_string_free (text, FALSE);
}

/* The work of an import, on @database (the window's, or a worker thread's own connection). */
static char *
run_import (DdDatabase  *database,
            GBytes      *contents,
            const char  *file_name,
            const char  *currency,
            guint        grace_days,
            gint64       agent_id,
            GError     **error)
{
  g_autoptr(DdPaymentStatement) statement = NULL;
  g_autoptr(DdPaymentStore) payments = dd_payment_store_new (database);
  DdPaymentImportSummary summary;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (contents, &len);
  char *text;

  if (dd_payment_format_guess (data, len) == DD_PAYMENT_FORMAT_CSV)
    statement = dd_payment_csv_parse (data, len, NULL, currency, NULL, error);
  else
    statement = dd_payment_statement_parse (data, len, DD_PAYMENT_FORMAT_AUTO, NULL, error);
  if (statement == NULL)
    return NULL;

  dd_payment_store_set_grace_days (payments, grace_days);
  dd_payment_import_summary_init (&summary);
  if (!dd_payment_store_import (payments, statement, file_name, FALSE, agent_id, &summary, error))
    {
      dd_payment_import_summary_clear (&summary);
      return NULL;
    }
  text = summary_text (&summary);
  dd_payment_import_summary_clear (&summary);
  return text;
}

typedef struct
{
  DdDatabase *database;   /* the worker's own connection */
  GBytes     *contents;
  char       *file_name;
  char       *currency;
  guint       grace_days;
  gint64      agent_id;
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_clear_object (&job->database);
  g_clear_pointer (&job->contents, g_bytes_unref);
  g_free (job->file_name);
  g_free (job->currency);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImportJob, import_job_free)

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportJob *job = task_data;
  GError *error = NULL;
  char *text = run_import (job->database, job->contents, job->file_name, job->currency,
                           job->grace_days, job->agent_id, &error);

  /* the connection belongs to this thread: closed here */
  g_clear_object (&job->database);
  if (text == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, text, g_free);
}

static ImportJob *
import_job_new (DdPaymentsView *self,
                GFile          *file,
                gboolean        own_connection,
                GError        **error)
{
  g_autoptr(ImportJob) job = g_new0 (ImportJob, 1);
  GSettings *settings = dd_context_get_settings (self->context);
  DdDatabase *database = dd_context_get_database (self->context);
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_load_contents (file, NULL, &contents, &len, NULL, error))
    return NULL;
  job->contents = g_bytes_new_take (g_steal_pointer (&contents), len);
  job->file_name = g_file_get_basename (file);
  job->currency = settings ? g_settings_get_string (settings, "default-currency") : NULL;
  if (job->currency == NULL || *job->currency == '\0')
    {
      g_free (job->currency);
      job->currency = g_strdup ("PLN");
    }
  job->grace_days = settings ? g_settings_get_uint (settings, "payment-grace-days") : 3;
  job->agent_id = dd_context_get_agent_id (self->context);
  job->database = own_connection ? dd_database_open_another (database, error)
                                 : g_object_ref (database);
  if (job->database == NULL)
    return NULL;
  return g_steal_pointer (&job);
}

static void
after_import (DdPaymentsView *self)
{
  dd_payments_view_reload (self);
  g_signal_emit (self, signals[PAYMENTS_CHANGED], 0);
  dd_context_cases_changed (self->context);
}

char *
dd_payments_view_import_file (DdPaymentsView  *self,
                              GFile           *file,
                              GError         **error)
{
  g_autoptr(ImportJob) job = NULL;
  char *text;

  g_return_val_if_fail (DD_IS_PAYMENTS_VIEW (self), NULL);

  job = import_job_new (self, file, FALSE, error);
  if (job == NULL)
    return NULL;
  text = run_import (job->database, job->contents, job->file_name, job->currency,
                     job->grace_days, job->agent_id, error);
  if (text != NULL)
    after_import (self);
  return text;
}

void
dd_payments_view_import_file_async (DdPaymentsView      *self,
                                    GFile               *file,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  ImportJob *job;

  g_return_if_fail (DD_IS_PAYMENTS_VIEW (self));
  g_task_set_source_tag (task, dd_payments_view_import_file_async);
  job = import_job_new (self, file, TRUE, &error);
  if (job == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_free);
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  g_task_run_in_thread (task, import_thread);
}

char *
dd_payments_view_import_file_finish (DdPaymentsView  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  char *text;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  text = g_task_propagate_pointer (G_TASK (result), error);
  if (text != NULL)
    after_import (self);
  return text;
}

static void
on_import_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  DdPaymentsView *self = DD_PAYMENTS_VIEW (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = dd_payments_view_import_file_finish (self, result, &error);

  dd_notice_show (GTK_WIDGET (self),
                  summary ? _("Statement Imported") : _("The Statement Was Not Imported"),
                  summary ? summary : error->message);
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     DdPaymentsView  *self)
{
  g_autoptr(GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  /* a statement of 100,000 lines takes seconds: in a thread, the view insensitive meanwhile */
  dd_payments_view_import_file_async (self, file, NULL, on_import_done, NULL);
}

static void
import_statement_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  DdPaymentsView *self = DD_PAYMENTS_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Bank statements and payment lists"));
  gtk_file_filter_add_pattern (filter, "*.sta");
  gtk_file_filter_add_pattern (filter, "*.mt940");
  gtk_file_filter_add_pattern (filter, "*.940");
  gtk_file_filter_add_pattern (filter, "*.txt");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_pattern (filter, "*.STA");
  gtk_file_filter_add_pattern (filter, "*.TXT");
  gtk_file_filter_add_pattern (filter, "*.CSV");
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Import Statement"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), NULL);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* GObject */

static void
dd_payments_view_constructed (GObject *object)
{
  DdPaymentsView *self = DD_PAYMENTS_VIEW (object);
  GSettings *settings = dd_context_get_settings (self->context);

  G_OBJECT_CLASS (dd_payments_view_parent_class)->constructed (object);

  self->payments = dd_payment_store_new (dd_context_get_database (self->context));
  if (settings != NULL)
    dd_payment_store_set_grace_days (self->payments,
                                     g_settings_get_uint (settings, "payment-grace-days"));
  dd_payments_view_reload (self);
}

static void
dd_payments_view_dispose (GObject *object)
{
  DdPaymentsView *self = DD_PAYMENTS_VIEW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_PAYMENTS_VIEW);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->payments);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (dd_payments_view_parent_class)->dispose (object);
}

static void
dd_payments_view_finalize (GObject *object)
{
  DdPaymentsView *self = DD_PAYMENTS_VIEW (object);

  g_free (self->last_toast);
  G_OBJECT_CLASS (dd_payments_view_parent_class)->finalize (object);
}

static void
dd_payments_view_class_init (DdPaymentsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dd_payments_view_constructed;
  object_class->dispose = dd_payments_view_dispose;
  object_class->finalize = dd_payments_view_finalize;

  /**
   * DdPaymentsView:context:
   *
   * The services of the window it belongs to.
   */
  dd_context_install_property (object_class, G_STRUCT_OFFSET (DdPaymentsView, context), 0);

  /**
   * DdPaymentsView::payments-changed:
   *
   * A statement was imported or a payment assigned or ignored: balances may have changed.
   */
  signals[PAYMENTS_CHANGED] =
    g_signal_new ("payments-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "payments.import-statement", NULL,
                                   import_statement_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dunningdesk/DunningDesk/dd-payments-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DdPaymentsView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DdPaymentsView, stack);
  gtk_widget_class_bind_template_child (widget_class, DdPaymentsView, list_box);
  gtk_widget_class_bind_template_child_full (widget_class, "empty_page", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "import_button", FALSE, 0);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
dd_payments_view_init (DdPaymentsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
}

GtkWidget *
dd_payments_view_new (DdContext *context)
{
  g_return_val_if_fail (DD_IS_CONTEXT (context), NULL);

  return g_object_new (DD_TYPE_PAYMENTS_VIEW, "context", context, NULL);
}

void
dd_payments_view_reload (DdPaymentsView *self)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (DD_IS_PAYMENTS_VIEW (self));

  for (guint i = 0; i < self->rows->len; i++)
    gtk_list_box_remove (self->list_box, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  records = dd_payment_store_list (self->payments, "unmatched", 0, &error);
  if (records == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  for (guint i = 0; i < records->len; i++)
    {
      GtkWidget *row = new_payment_row (g_ptr_array_index (records, i));

      gtk_list_box_append (self->list_box, row);
      g_ptr_array_add (self->rows, row);
    }
  gtk_stack_set_visible_child_name (self->stack, records->len > 0 ? "list" : "empty");
}

/* Tests */

GPtrArray *
_dd_payments_view_get_rows (DdPaymentsView *self)
{
  return self->rows;
}

GtkWidget *
_dd_payments_view_get_assign_button (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "dd-assign");
}

GtkWidget *
_dd_payments_view_get_search_entry (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "dd-search");
}

GtkListBox *
_dd_payments_view_get_results (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "dd-results");
}

GtkWidget *
_dd_payments_view_get_ignore_button (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "dd-ignore");
}

const char *
_dd_payments_view_get_last_toast (DdPaymentsView *self)
{
  return self->last_toast;
}
