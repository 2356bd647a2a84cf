/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-import-dates"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "dd-test-ui.h"
#include "dd-context.h"
#include "dd-database.h"
#include "dd-import-assistant.h"
#include "dd-import-assistant-private.h"
#include "dd-import-store.h"
#include "dd-importer.h"

/* An American export whose every date fits both orders: nothing in it tells that 03/10/2026
 * is March 10 (month first, as the accounting program writes it) and not 3 October. */
static const char american_csv[] =
  "Customer,Phone,Invoice,Invoice Date,Due Date,Amount Due\n"
  "Acme Inc,+48 601 234 567,INV-1,02/08/2026,03/10/2026,\"1,234.50\"\n"
  "Bolt LLC,+48 602 345 678,INV-2,03/01/2026,04/11/2026,500.00\n"
  "Cobalt Corp,+48 603 456 789,INV-3,04/02/2026,05/12/2026,75.25\n";

static GFile *
write_file (DdTestOffice *office,
            const char   *name,
            const char   *text)
{
  g_autofree char *path = g_build_filename (office->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static GFile *
write_american_csv (DdTestOffice *office)
{
  return write_file (office, "receivables-us.csv", american_csv);
}

/* An export whose amounts name no currency but whose debt column's label does. */
static const char euro_csv[] =
  "Customer,Phone,Invoice,Due Date,Invoice total,Amount due (EUR)\n"
  "Acme GmbH,+48 601 234 567,INV-1,2026-10-03,150.00,120.50\n"
  "Bolt AG,+48 602 345 678,INV-2,2026-10-04,80.00,80.00\n";

typedef gboolean (*Condition) (DdImportAssistant *assistant);

static void
wait_for (DdImportAssistant *assistant,
          Condition          condition,
          guint              seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_TIME_SPAN_SECOND;

  while (!condition (assistant) && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (G_TIME_SPAN_MILLISECOND);
    }

  g_assert_true (condition (assistant));
}

static GtkWidget *
template_child (DdImportAssistant *assistant,
                const char        *name)
{
  return dd_test_template_child (assistant, DD_TYPE_IMPORT_ASSISTANT, name);
}

static const char *
visible_page (DdImportAssistant *assistant)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (template_child (assistant, "stack")));
}

static void
next (DdImportAssistant *assistant)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.next", NULL));
}

static void
back (DdImportAssistant *assistant)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.back", NULL));
}

static const DdImportSummary *previous_check;

static gboolean
new_check_finished (DdImportAssistant *assistant)
{
  const DdImportSummary *check = _dd_import_assistant_get_check_summary (assistant);

  return (check != NULL && check != previous_check) ||
         g_strcmp0 (visible_page (assistant), "problem") == 0;
}

static gboolean
import_finished (DdImportAssistant *assistant)
{
  return dd_import_assistant_get_step (assistant) == DD_IMPORT_STEP_DONE ||
         g_strcmp0 (visible_page (assistant), "problem") == 0;
}

static DdImportAssistant *
show_assistant (DdTestOffice *office,
                GFile        *file,
                int           width,
                int           height)
{
  DdImportAssistant *assistant = dd_import_assistant_new (NULL, office->context, file);

  gtk_window_set_default_size (GTK_WINDOW (assistant), width, height);
  return dd_test_show_window (assistant);
}

/* The summary row titled @title on the check page, or NULL. */
static AdwActionRow *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_ACTION_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return ADW_ACTION_ROW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwActionRow *row = find_row (child, title);

      if (row != NULL)
        return row;
    }
  return NULL;
}

static gboolean
has_numeric_label (GtkWidget  *widget,
                   const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "numeric") &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_numeric_label (child, text))
      return TRUE;
  return FALSE;
}

static const char *
field_samples (DdImportAssistant *assistant,
               DdImportField      field)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (
           _dd_import_assistant_get_field_row (assistant, field)));
}

/* Scrolls the columns page so that @widget is near its top, for the screenshots. */
static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  double x = 0, y = 0;

  while (gtk_adjustment_get_upper (adjustment) <= gtk_adjustment_get_page_size (adjustment) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (gtk_widget_translate_coordinates (widget, content, 0, 0, &x, &y))
    gtk_adjustment_set_value (adjustment, y - 60);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
}

static char *
imported_due_date (DdTestOffice *office,
                   const char   *invoice)
{
  g_autofree char *sql = g_strdup_printf ("SELECT due_on FROM liability WHERE invoice_no = '%s'",
                                          invoice);

  return dd_test_query_text (office->database, sql);
}

/* Without a choice the ambiguous dates are read day first, and the assistant says so where the
 * columns are checked: the date order is highlighted, the samples show 3 Oct 2026; the import
 * writes 3 October. */
static void
test_ambiguous_default (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("import-dates", FALSE);
  g_autoptr(GFile) file = write_american_csv (office);
  DdImportAssistant *assistant = show_assistant (office, file, 1024, 700);
  GtkWidget *dates_group = template_child (assistant, "dates_group");
  AdwComboRow *order_row = ADW_COMBO_ROW (template_child (assistant, "date_order_row"));
  const DdImportSummary *check;
  g_autofree char *due = NULL;
  g_autofree char *issued = NULL;

  next (assistant);
  g_assert_cmpint (dd_import_assistant_get_step (assistant), ==, DD_IMPORT_STEP_COLUMNS);
  g_assert_true (gtk_widget_get_visible (dates_group));
  g_assert_cmpuint (adw_combo_row_get_selected (order_row), ==, 0);
  g_assert_true (gtk_widget_get_visible (template_child (assistant, "date_order_icon")));
  g_assert_nonnull (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (dates_group)));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (order_row)), ==,
                   "03/10/2026 is read as 3 October 2026");
  g_assert_cmpstr (field_samples (assistant, DD_IMPORT_FIELD_DUE_ON), ==,
                   "3 Oct 2026 · 4 Nov 2026 · 5 Dec 2026");
  g_assert_cmpstr (field_samples (assistant, DD_IMPORT_FIELD_ISSUED_ON), ==,
                   "2 Aug 2026 · 3 Jan 2026 · 4 Feb 2026");
  /* reachable from the keyboard */
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (order_row)));
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (order_row)));

  previous_check = NULL;
  next (assistant);
  wait_for (assistant, new_check_finished, 60);
  check = _dd_import_assistant_get_check_summary (assistant);
  g_assert_nonnull (check);
  g_assert_false (check->month_first);
  g_assert_cmpuint (check->rows_imported, ==, 3);
  g_assert_true (has_numeric_label (GTK_WIDGET (find_row (GTK_WIDGET (assistant),
                                                          "Dates written with slashes")),
                                    "Day first (31/12/2026)"));

  next (assistant);
  wait_for (assistant, import_finished, 60);
  g_assert_cmpint (dd_import_assistant_get_step (assistant), ==, DD_IMPORT_STEP_DONE);
  due = imported_due_date (office, "INV-1");
  g_assert_cmpstr (due, ==, "2026-10-03");
  issued = dd_test_query_text (office->database,
                               "SELECT issued_on FROM liability WHERE invoice_no = 'INV-1'");
  g_assert_cmpstr (issued, ==, "2026-08-02");

  dd_test_destroy_window (GTK_WINDOW (assistant));
}

/* Switching to month first reads the samples again, runs the check again and imports March
 * 10 instead of 3 October. */
static void
test_switch_to_month_first (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("import-dates", FALSE);
  g_autoptr(GFile) file = write_american_csv (office);
  DdImportAssistant *assistant = show_assistant (office, file, 1024, 700);
  AdwComboRow *order_row = ADW_COMBO_ROW (template_child (assistant, "date_order_row"));
  const DdImportSummary *check;
  g_autofree char *due1 = NULL;
  g_autofree char *due3 = NULL;

  next (assistant);
  previous_check = NULL;
  next (assistant);
  wait_for (assistant, new_check_finished, 60);
  check = _dd_import_assistant_get_check_summary (assistant);
  g_assert_false (check->month_first);

  /* back on the columns page, the user says the file writes the month first */
  back (assistant);
  g_assert_cmpint (dd_import_assistant_get_step (assistant), ==, DD_IMPORT_STEP_COLUMNS);
  adw_combo_row_set_selected (order_row, 1);
  g_assert_cmpstr (field_samples (assistant, DD_IMPORT_FIELD_DUE_ON), ==,
                   "10 Mar 2026 · 11 Apr 2026 · 12 May 2026");
  g_assert_cmpstr (field_samples (assistant, DD_IMPORT_FIELD_ISSUED_ON), ==,
                   "8 Feb 2026 · 1 Mar 2026 · 2 Apr 2026");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (order_row)), ==,
                   "03/10/2026 is read as 10 March 2026");
  /* chosen: no more warning, but the explanation stays */
  g_assert_false (gtk_widget_get_visible (template_child (assistant, "date_order_icon")));
  /* the mapping is kept */
  g_assert_cmpuint (adw_combo_row_get_selected (
                      _dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_DUE_ON)),
                    ==, 5);

  /* the check runs again with the new order */
  previous_check = check;
  next (assistant);
  wait_for (assistant, new_check_finished, 60);
  check = _dd_import_assistant_get_check_summary (assistant);
  g_assert_true (check->month_first);
  g_assert_false (check->dates_ambiguous);
  g_assert_cmpuint (check->rows_imported, ==, 3);
  g_assert_true (has_numeric_label (GTK_WIDGET (find_row (GTK_WIDGET (assistant),
                                                          "Dates written with slashes")),
                                    "Month first (12/31/2026)"));

  next (assistant);
  wait_for (assistant, import_finished, 60);
  g_assert_cmpint (dd_import_assistant_get_step (assistant), ==, DD_IMPORT_STEP_DONE);
  g_assert_true (_dd_import_assistant_get_summary (assistant)->month_first);
  due1 = imported_due_date (office, "INV-1");
  g_assert_cmpstr (due1, ==, "2026-03-10");
  due3 = imported_due_date (office, "INV-3");
  g_assert_cmpstr (due3, ==, "2026-05-12");

  dd_test_destroy_window (GTK_WINDOW (assistant));
}

/* An American export that shows its order (10/31/2026): month first is chosen for it, without
 * a warning. */
static void
test_detected_month_first (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("import-dates", FALSE);
  g_autofree char *path = g_build_filename (office->dir, "us-detected.csv", NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  DdImportAssistant *assistant;
  AdwComboRow *order_row;
  const char *description;

  g_assert_true (g_file_set_contents (path,
                                      "Customer,Invoice,Due Date,Amount Due\n"
                                      "Acme Inc,INV-1,10/31/2026,10.00\n"
                                      "Bolt LLC,INV-2,11/03/2026,20.00\n", -1, &error));
  g_assert_no_error (error);
  file = g_file_new_for_path (path);
  assistant = show_assistant (office, file, 1024, 700);
  order_row = ADW_COMBO_ROW (template_child (assistant, "date_order_row"));
  next (assistant);
  g_assert_true (gtk_widget_get_visible (template_child (assistant, "dates_group")));
  g_assert_cmpuint (adw_combo_row_get_selected (order_row), ==, 1);
  g_assert_false (gtk_widget_get_visible (template_child (assistant, "date_order_icon")));
  description = adw_preferences_group_get_description (
                  ADW_PREFERENCES_GROUP (template_child (assistant, "dates_group")));
  g_assert_true (description == NULL || *description == '\0');
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (order_row)), ==,
                   "Recognised from the file\n10/31/2026 is read as 31 October 2026");
  g_assert_cmpstr (field_samples (assistant, DD_IMPORT_FIELD_DUE_ON), ==,
                   "31 Oct 2026 · 3 Nov 2026");
  dd_test_destroy_window (GTK_WINDOW (assistant));
}

/* A file that writes its dates with dots has nothing to choose: the group is not shown. */
static void
test_dotted_dates (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("import-dates", FALSE);
  g_autofree char *path = g_build_filename (office->dir, "naleznosci.csv", NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  DdImportAssistant *assistant;

  g_assert_true (g_file_set_contents (path,
                                      "Kontrahent;Nr faktury;Termin płatności;Kwota\n"
                                      "Anna Nowak;FV/2026/10/003;20.10.2026;99,90\n", -1, &error));
  g_assert_no_error (error);
  file = g_file_new_for_path (path);
  assistant = show_assistant (office, file, 1024, 700);
  next (assistant);
  g_assert_false (gtk_widget_get_visible (template_child (assistant, "dates_group")));
  /* the invoice number's slashes are not a date */
  g_assert_cmpstr (field_samples (assistant, DD_IMPORT_FIELD_INVOICE), ==, "FV/2026/10/003");
  dd_test_destroy_window (GTK_WINDOW (assistant));
}

static const char *
currency_subtitle (DdImportAssistant *assistant)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (template_child (assistant, "currency_row")));
}

static const char *
selected_currency (DdImportAssistant *assistant)
{
  AdwComboRow *row = ADW_COMBO_ROW (template_child (assistant, "currency_row"));
  GtkStringObject *item = GTK_STRING_OBJECT (adw_combo_row_get_selected_item (row));

  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

/* The debt column says "Amount due (EUR)": the assistant picks the euro, says where it comes
 * from, follows the mapping of the debt, and the import books the cases in EUR (not in the
 * office's PLN). */
static void
test_currency_from_label (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("import-dates", FALSE);
  g_autoptr(GFile) file = write_file (office, "receivables-eur.csv", euro_csv);
  DdImportAssistant *assistant = show_assistant (office, file, 1024, 700);
  AdwComboRow *currency_row = ADW_COMBO_ROW (template_child (assistant, "currency_row"));
  AdwComboRow *amount_row;
  const DdImportSummary *check;

  next (assistant);
  g_assert_cmpint (dd_import_assistant_get_step (assistant), ==, DD_IMPORT_STEP_COLUMNS);
  amount_row = _dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_AMOUNT);
  g_assert_cmpuint (adw_combo_row_get_selected (amount_row), ==, 6);
  g_assert_cmpstr (selected_currency (assistant), ==, "Euro (EUR)");
  g_assert_cmpstr (currency_subtitle (assistant), ==,
                   "Recognised from the column “Amount due (EUR)”");

  /* the invoice total as the debt: its label names no currency, the office's is back */
  adw_combo_row_set_selected (amount_row, 0);
  g_assert_cmpstr (selected_currency (assistant), ==, "Polish złoty (PLN)");
  g_assert_cmpstr (currency_subtitle (assistant), ==, "");
  adw_combo_row_set_selected (amount_row, 6);
  g_assert_cmpstr (selected_currency (assistant), ==, "Euro (EUR)");

  previous_check = NULL;
  next (assistant);
  wait_for (assistant, new_check_finished, 60);
  check = _dd_import_assistant_get_check_summary (assistant);
  g_assert_nonnull (check);
  g_assert_cmpint (dd_import_summary_get_total (check, "EUR"), ==, 12050 + 8000);
  g_assert_cmpint (dd_import_summary_get_total (check, "PLN"), ==, 0);

  next (assistant);
  wait_for (assistant, import_finished, 60);
  g_assert_cmpint (dd_import_assistant_get_step (assistant), ==, DD_IMPORT_STEP_DONE);
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT COUNT(*) FROM debt_case WHERE currency = 'EUR'"),
                   ==, 2);
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT amount_minor FROM liability WHERE invoice_no = 'INV-1'"
                                      " AND currency = 'EUR'"),
                   ==, 12050);
  dd_test_destroy_window (GTK_WINDOW (assistant));

  /* the user can still say otherwise: the choice stays when the mapping changes */
  assistant = show_assistant (office, file, 1024, 700);
  currency_row = ADW_COMBO_ROW (template_child (assistant, "currency_row"));
  next (assistant);
  adw_combo_row_set_selected (currency_row, 0);
  g_assert_cmpstr (selected_currency (assistant), ==, "Polish złoty (PLN)");
  g_assert_cmpstr (currency_subtitle (assistant), ==, "");
  adw_combo_row_set_selected (_dd_import_assistant_get_field_row (assistant,
                                                                  DD_IMPORT_FIELD_AMOUNT), 0);
  adw_combo_row_set_selected (_dd_import_assistant_get_field_row (assistant,
                                                                  DD_IMPORT_FIELD_AMOUNT), 6);
  g_assert_cmpstr (selected_currency (assistant), ==, "Polish złoty (PLN)");
  previous_check = NULL;
  next (assistant);
  wait_for (assistant, new_check_finished, 60);
  check = _dd_import_assistant_get_check_summary (assistant);
  g_assert_cmpint (dd_import_summary_get_total (check, "PLN"), ==, 12050 + 8000);
  dd_test_destroy_window (GTK_WINDOW (assistant));
}

/* A currency column gives each row its own; the currency picked is for the rows that leave
 * it empty. */
static void
test_currency_column (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("import-dates", FALSE);
  g_autoptr(GFile) file = write_file (office, "receivables-mixed.csv",
                                      "Customer,Invoice,Due Date,Amount due (EUR),Currency\n"
                                      "Acme Inc,INV-1,2026-10-03,100.00,USD\n"
                                      "Bolt AG,INV-2,2026-10-04,50.00,\n"
                                      "Cobalt sp. z o.o.,INV-3,2026-10-05,20.00,PLN\n");
  DdImportAssistant *assistant = show_assistant (office, file, 1024, 700);

  next (assistant);
  g_assert_cmpuint (adw_combo_row_get_selected (
                      _dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_CURRENCY)),
                    ==, 5);
  g_assert_cmpstr (selected_currency (assistant), ==, "Euro (EUR)");
  g_assert_cmpstr (currency_subtitle (assistant), ==,
                   "Recognised from the column “Amount due (EUR)”\n"
                   "For the rows that leave “Currency” empty");

  previous_check = NULL;
  next (assistant);
  wait_for (assistant, new_check_finished, 60);
  next (assistant);
  wait_for (assistant, import_finished, 60);
  g_assert_cmpint (dd_import_assistant_get_step (assistant), ==, DD_IMPORT_STEP_DONE);
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT COUNT(*) FROM liability WHERE"
                                      " (invoice_no = 'INV-1' AND currency = 'USD') OR"
                                      " (invoice_no = 'INV-2' AND currency = 'EUR') OR"
                                      " (invoice_no = 'INV-3' AND currency = 'PLN')"),
                   ==, 3);
  dd_test_destroy_window (GTK_WINDOW (assistant));
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

/* Month first chosen for one export and saved with its mapping: next month's export, whose
 * dates fit both orders too, is read month first as soon as the mapping is chosen. */
static void
test_preset_keeps_month_first (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("import-dates", FALSE);
  g_autoptr(GFile) file = write_american_csv (office);
  g_autoptr(GFile) next_file = write_file (office, "receivables-us-november.csv",
                                           "Customer,Phone,Invoice,Invoice Date,Due Date,Amount Due\n"
                                           "Delta Ltd,+48 604 567 890,INV-4,05/03/2026,06/04/2026,"
                                           "40.00\n");
  g_autoptr(DdImportStore) store = dd_import_store_new (office->database);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *due = NULL;
  DdImportAssistant *assistant = show_assistant (office, file, 1024, 700);
  AdwMessageDialog *dialog;
  AdwComboRow *order_row;
  const DdImportSummary *check;

  next (assistant);
  adw_combo_row_set_selected (ADW_COMBO_ROW (template_child (assistant, "date_order_row")), 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.save-preset",
                                             NULL));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)),
                         "American export");
  adw_message_dialog_response (dialog, "save");
  json = dd_import_store_load_preset (store, "American export", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (json, "\"dates\":\"month-first\""));
  dd_test_destroy_window (GTK_WINDOW (assistant));

  assistant = show_assistant (office, next_file, 1024, 700);
  order_row = ADW_COMBO_ROW (template_child (assistant, "date_order_row"));
  next (assistant);
  g_assert_cmpuint (adw_combo_row_get_selected (order_row), ==, 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (template_child (assistant, "preset_row")), 1);
  g_assert_cmpuint (adw_combo_row_get_selected (order_row), ==, 1);
  g_assert_false (gtk_widget_get_visible (template_child (assistant, "date_order_icon")));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (order_row)), ==,
                   "From the saved mapping\n06/04/2026 is read as 4 June 2026");
  g_assert_cmpstr (field_samples (assistant, DD_IMPORT_FIELD_DUE_ON), ==, "4 Jun 2026");
  scroll_to (template_child (assistant, "dates_group"));
  dd_test_save_screenshot ("test-import-dates", "en-1024x700-preset");

  previous_check = NULL;
  next (assistant);
  wait_for (assistant, new_check_finished, 60);
  check = _dd_import_assistant_get_check_summary (assistant);
  g_assert_true (check->month_first);
  next (assistant);
  wait_for (assistant, import_finished, 60);
  g_assert_cmpint (dd_import_assistant_get_step (assistant), ==, DD_IMPORT_STEP_DONE);
  due = imported_due_date (office, "INV-4");
  g_assert_cmpstr (due, ==, "2026-06-04");
  dd_test_destroy_window (GTK_WINDOW (assistant));
}

/* The columns page with the date order, in three languages at two sizes. */
static void
test_screenshots (void)
{
  static const char * const languages[] = { "en", "pl", "ru" };
  static const int sizes[][2] = { { 1024, 700 }, { 1280, 800 } };

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      if (l > 0 && !dd_test_use_language (languages[l]))
        {
          g_test_message ("no catalog for %s", languages[l]);
          continue;
        }
      for (guint z = 0; z < G_N_ELEMENTS (sizes); z++)
        {
          g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("import-dates", FALSE);
          g_autoptr(GFile) file = write_american_csv (office);
          DdImportAssistant *assistant = show_assistant (office, file, sizes[z][0], sizes[z][1]);
          g_autofree char *name = NULL;

          next (assistant);
          scroll_to (template_child (assistant, "dates_group"));
          name = g_strdup_printf ("%s-%dx%d-ambiguous", languages[l], sizes[z][0], sizes[z][1]);
          dd_test_save_screenshot ("test-import-dates", name);
          {
            g_autoptr(GString) cut = g_string_new (NULL);

            /* the order and its example fit beside each other */
            dd_test_collect_cut_labels (template_child (assistant, "dates_group"), TRUE, cut);
            g_assert_cmpstr (cut->str, ==, "");
          }

          adw_combo_row_set_selected (ADW_COMBO_ROW (template_child (assistant, "date_order_row")),
                                      1);
          scroll_to (template_child (assistant, "dates_group"));
          g_free (name);
          name = g_strdup_printf ("%s-%dx%d-month-first", languages[l], sizes[z][0], sizes[z][1]);
          dd_test_save_screenshot ("test-import-dates", name);
          {
            g_autoptr(GString) cut = g_string_new (NULL);

            dd_test_collect_cut_labels (template_child (assistant, "dates_group"), TRUE, cut);
            g_assert_cmpstr (cut->str, ==, "");
          }
          /* the dates under their columns, read month first */
          scroll_to (GTK_WIDGET (_dd_import_assistant_get_field_row (assistant,
                                                                     DD_IMPORT_FIELD_ISSUED_ON)));
          g_free (name);
          name = g_strdup_printf ("%s-%dx%d-samples", languages[l], sizes[z][0], sizes[z][1]);
          dd_test_save_screenshot ("test-import-dates", name);

          previous_check = NULL;
          next (assistant);
          wait_for (assistant, new_check_finished, 60);
          g_free (name);
          name = g_strdup_printf ("%s-%dx%d-check", languages[l], sizes[z][0], sizes[z][1]);
          dd_test_save_screenshot ("test-import-dates", name);

          dd_test_destroy_window (GTK_WINDOW (assistant));

          /* the currency the debt column's label names */
          {
            g_autoptr(GFile) euro = write_file (office, "receivables-eur.csv", euro_csv);
            g_autoptr(GString) cut = g_string_new (NULL);

            assistant = show_assistant (office, euro, sizes[z][0], sizes[z][1]);
            next (assistant);
            scroll_to (gtk_widget_get_ancestor (template_child (assistant, "country_row"),
                                                ADW_TYPE_PREFERENCES_GROUP));
            g_free (name);
            name = g_strdup_printf ("%s-%dx%d-currency", languages[l], sizes[z][0], sizes[z][1]);
            dd_test_save_screenshot ("test-import-dates", name);
            dd_test_collect_cut_labels (gtk_widget_get_parent (template_child (assistant,
                                                                               "currency_row")),
                                        TRUE, cut);
            g_assert_cmpstr (cut->str, ==, "");
            dd_test_destroy_window (GTK_WINDOW (assistant));
          }
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  adw_init ();

  dd_test_use_app_style ();

  g_test_add_func ("/dd/ui/import-dates/ambiguous-default", test_ambiguous_default);
  g_test_add_func ("/dd/ui/import-dates/switch-to-month-first", test_switch_to_month_first);
  g_test_add_func ("/dd/ui/import-dates/detected-month-first", test_detected_month_first);
  g_test_add_func ("/dd/ui/import-dates/dotted-dates", test_dotted_dates);
  g_test_add_func ("/dd/ui/import-dates/currency-from-label", test_currency_from_label);
  g_test_add_func ("/dd/ui/import-dates/currency-column", test_currency_column);
  g_test_add_func ("/dd/ui/import-dates/preset-keeps-month-first", test_preset_keeps_month_first);
  g_test_add_func ("/dd/ui/import-dates/screenshots", test_screenshots);

  return g_test_run ();
}
