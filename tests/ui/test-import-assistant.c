/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-import-assistant"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "dd-test-ui.h"
#include "dd-context.h"
#include "dd-database.h"
#include "dd-demo-office.h"
#include "dd-import-assistant.h"
#include "dd-import-assistant-private.h"
#include "dd-import-store.h"
#include "dd-importer.h"

/* A small export as an old accounting system writes it: Polish headers, windows-1250,
 * semicolons, and three rows that cannot be imported. */
static const char polish_csv[] =
  "Kontrahent;NIP;Adres;Telefon;E-mail;Nr faktury;Data wystawienia;Termin płatności;Kwota\r\n"
  "Przedsiębiorstwo Łąka Sp. z o.o.;5260250995;ul. Żółta 1, 30-001 Kraków;601 234 567;"
  "biuro@example.com;FV/2026/10/001;01.10.2026;15.10.2026;1 234,56\r\n"
  "Przedsiębiorstwo Łąka Sp. z o.o.;5260250995;;601 234 567;;FV/2026/10/002;05.10.2026;"
  "20.10.2026;1000,00\r\n"
  "Anna Nowak;;ul. Lipowa 7, 31-000 Kraków;602 345 678;;FV/2026/10/003;05.10.2026;20.10.2026;"
  "99,90\r\n"
  "Jan Kowalski;;;603 456 789;;FV/2026/10/004;06.10.2026;21.10.2026;brak\r\n"
  "Zofia Wójcik;;;604 567 890;;;06.10.2026;21.10.2026;10,00\r\n"
  "Piotr Zieliński;;;12;;FV/2026/10/006;07.10.2026;22.10.2026;50,00\r\n"
  "Ewa Mazur;;;605 678 901;;FV/2026/10/007;07.10.2026;31.02.2026;20,00\r\n";

static GFile *
write_polish_csv (DdTestOffice *office)
{
  g_autofree char *path = g_build_filename (office->dir, "zaleglosci.csv", NULL);
  g_autofree char *converted = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  converted = g_convert (polish_csv, -1, "windows-1250", "UTF-8", NULL, &len, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, converted, len, &error));
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

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

static gboolean
is_mapped (DdImportAssistant *assistant)
{
  return gtk_widget_get_mapped (GTK_WIDGET (assistant));
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

static const char *
label_text (DdImportAssistant *assistant,
            const char        *name)
{
  return gtk_label_get_text (GTK_LABEL (template_child (assistant, name)));
}

static DdImportAssistant *
show_assistant (DdTestOffice *office,
                GFile  *file)
{
  DdImportAssistant *assistant = dd_import_assistant_new (NULL, office->context, file);

  gtk_window_present (GTK_WINDOW (assistant));
  wait_for (assistant, is_mapped, 20);

  return assistant;
}

static void
destroy_assistant (DdImportAssistant *assistant)
{
  GtkWidget *widget = GTK_WIDGET (assistant);

  g_object_add_weak_pointer (G_OBJECT (assistant), (gpointer *) &widget);
  gtk_window_destroy (GTK_WINDOW (assistant));
  while (widget != NULL)
    g_main_context_iteration (NULL, FALSE);
}

static void
next (DdImportAssistant *assistant)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.next", NULL));
}

static gboolean
check_finished (DdImportAssistant *assistant)
{
  return _dd_import_assistant_get_check_summary (assistant) != NULL ||
         g_strcmp0 (visible_page (assistant), "problem") == 0;
}

static gboolean
import_finished (DdImportAssistant *assistant)
{
  return dd_import_assistant_get_step (assistant) == DD_IMPORT_STEP_DONE ||
         g_strcmp0 (visible_page (assistant), "problem") == 0;
}

static void
on_cases_changed (DdContext *context,
                  guint     *count)
{
  (*count)++;
}

static void
test_import_polish (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("import-assistant", FALSE);
  g_autoptr(GFile) file = write_polish_csv (office);
  g_autoptr(GError) error = NULL;
  DdImportAssistant *assistant = show_assistant (office, file);
  AdwComboRow *encoding_row = ADW_COMBO_ROW (template_child (assistant, "encoding_row"));
  AdwComboRow *delimiter_row = ADW_COMBO_ROW (template_child (assistant, "delimiter_row"));
  GtkWidget *next_button = template_child (assistant, "next_button");
  GtkColumnView *preview_view = GTK_COLUMN_VIEW (template_child (assistant, "preview_view"));
  GtkListView *issues_view = GTK_LIST_VIEW (template_child (assistant, "issues_view"));
  const DdImportSummary *check;
  const DdImportSummary *summary;
  AdwStatusPage *done_page;
  GtkWidget *widget;
  guint n_cases_changed = 0;

  g_signal_connect (office->context, "cases-changed", G_CALLBACK (on_cases_changed),
                    &n_cases_changed);

  /* Preview: detected encoding and delimiter, the header, the first rows */
  g_assert_cmpint (dd_import_assistant_get_step (assistant), ==, DD_IMPORT_STEP_PREVIEW);
  g_assert_cmpstr (visible_page (assistant), ==, "preview");
  g_assert_cmpuint (adw_combo_row_get_selected (encoding_row), ==, 1);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (encoding_row)), ==,
                   "Detected: Windows-1250 (Central European)");
  g_assert_cmpuint (adw_combo_row_get_selected (delimiter_row), ==, 0);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (delimiter_row)), ==,
                   "Detected: Semicolon ( ; )");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (template_child (assistant, "header_switch"))));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (preview_view)), ==, 9);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (preview_view))),
                    ==, 7);
  {
    g_autoptr(GtkColumnViewColumn) column =
      g_list_model_get_item (gtk_column_view_get_columns (preview_view), 7);

    g_assert_cmpstr (gtk_column_view_column_get_title (column), ==, "Termin płatności");
  }
  g_assert_true (gtk_widget_get_sensitive (next_button));
  dd_test_save_screenshot ("test-import-assistant", "1-preview");

  /* Reading it as UTF-8 re-runs the preview: the letters break, the columns stay */
  adw_combo_row_set_selected (encoding_row, 0);
  g_assert_cmpuint (adw_combo_row_get_selected (encoding_row), ==, 0);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (encoding_row)), ==,
                   "Detected: Windows-1250 (Central European)");
  {
    g_autoptr(GtkColumnViewColumn) column =
      g_list_model_get_item (gtk_column_view_get_columns (preview_view), 7);

    g_assert_cmpstr (gtk_column_view_column_get_title (column), !=, "Termin płatności");
  }
  adw_combo_row_set_selected (encoding_row, 1);

  /* Columns: pre-filled by the guesser ("Not in the file" comes first) */
  next (assistant);
  g_assert_cmpint (dd_import_assistant_get_step (assistant), ==, DD_IMPORT_STEP_COLUMNS);
  g_assert_cmpstr (visible_page (assistant), ==, "columns");
  g_assert_cmpuint (adw_combo_row_get_selected (_dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_DEBTOR_NAME)), ==, 1);
  g_assert_cmpuint (adw_combo_row_get_selected (_dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_TAX_ID)), ==, 2);
  g_assert_cmpuint (adw_combo_row_get_selected (_dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_PHONE_1)), ==, 4);
  g_assert_cmpuint (adw_combo_row_get_selected (_dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_INVOICE)), ==, 6);
  g_assert_cmpuint (adw_combo_row_get_selected (_dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_DUE_ON)), ==, 8);
  g_assert_cmpuint (adw_combo_row_get_selected (_dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_AMOUNT)), ==, 9);
  g_assert_cmpuint (adw_combo_row_get_selected (_dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_CREDITOR)), ==, 0);
  g_assert_true (gtk_widget_get_sensitive (next_button));
  g_assert_false (gtk_widget_get_visible (template_child (assistant, "missing_label")));
  dd_test_save_screenshot ("test-import-assistant", "2-columns");

  /* Without a due date there is no Next, and the page says why */
  adw_combo_row_set_selected (_dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_DUE_ON), 0);
  g_assert_false (gtk_widget_get_sensitive (next_button));
  g_assert_true (gtk_widget_get_visible (template_child (assistant, "missing_label")));
  g_assert_nonnull (strstr (label_text (assistant, "missing_label"), "Due date"));
  dd_test_save_screenshot ("test-import-assistant", "2-columns-missing");
  adw_combo_row_set_selected (_dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_DUE_ON), 8);
  g_assert_true (gtk_widget_get_sensitive (next_button));

  /* Check: the dry run, then its summary */
  next (assistant);
  g_assert_cmpint (dd_import_assistant_get_step (assistant), ==, DD_IMPORT_STEP_CHECK);
  wait_for (assistant, check_finished, 60);
  g_assert_cmpstr (visible_page (assistant), ==, "check");
  check = _dd_import_assistant_get_check_summary (assistant);
  g_assert_true (check->dry_run);
  g_assert_cmpuint (check->rows_read, ==, 7);
  g_assert_cmpuint (check->rows_imported, ==, 4);
  g_assert_cmpuint (check->rows_rejected, ==, 3);
  g_assert_cmpstr (label_text (assistant, "rows_read_label"), ==, "7");
  g_assert_cmpstr (label_text (assistant, "rows_imported_label"), ==, "4");
  g_assert_cmpstr (label_text (assistant, "rows_rejected_label"), ==, "3");
  g_assert_cmpstr (label_text (assistant, "debtors_label"), ==, "3 new, 0 updated");
  g_assert_cmpstr (label_text (assistant, "invoices_label"), ==, "4 new, 0 updated");
  g_assert_cmpuint (check->issues->len, >=, 4);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (issues_view))),
                    ==, check->issues->len);
  {
    g_autoptr(GtkStringObject) first =
      g_list_model_get_item (G_LIST_MODEL (gtk_list_view_get_model (issues_view)), 0);

    g_assert_true (g_str_has_prefix (gtk_string_object_get_string (first), "Row "));
  }
  /* nothing was written yet */
  g_assert_cmpint (dd_test_query_int (office->database, "SELECT COUNT(*) FROM liability"), ==, 0);
  g_assert_cmpint (dd_test_query_int (office->database, "SELECT COUNT(*) FROM import_run"), ==, 0);
  dd_test_save_screenshot ("test-import-assistant", "3-check");
  gtk_widget_grab_focus (GTK_WIDGET (issues_view));
  dd_test_save_screenshot ("test-import-assistant", "3-check-problems");

  /* the rejected rows can be exported */
  {
    g_autofree char *path = g_build_filename (office->dir, "problems.csv", NULL);
    g_autoptr(GFile) problems = g_file_new_for_path (path);
    g_autofree char *contents = NULL;

    g_assert_true (dd_import_assistant_export_problems (assistant, problems, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
    g_assert_no_error (error);
    g_assert_nonnull (strstr (contents, "Jan Kowalski"));
    g_assert_nonnull (strstr (contents, "Ewa Mazur"));
    g_assert_null (strstr (contents, "Anna Nowak"));
  }

  /* Import */
  g_assert_true (gtk_widget_get_visible (template_child (assistant, "import_button")));
  g_assert_false (gtk_widget_get_visible (next_button));
  next (assistant);
  wait_for (assistant, import_finished, 60);
  g_assert_cmpint (dd_import_assistant_get_step (assistant), ==, DD_IMPORT_STEP_DONE);
  g_assert_cmpstr (visible_page (assistant), ==, "done");
  summary = _dd_import_assistant_get_summary (assistant);
  g_assert_false (summary->dry_run);
  g_assert_cmpuint (summary->rows_imported, ==, 4);

  g_assert_cmpint (dd_test_query_int (office->database, "SELECT COUNT(*) FROM debtor"), ==, 3);
  g_assert_cmpint (dd_test_query_int (office->database, "SELECT COUNT(*) FROM debt_case"), ==, 3);
  g_assert_cmpint (dd_test_query_int (office->database, "SELECT COUNT(*) FROM liability"), ==, 4);
  g_assert_cmpint (dd_test_query_int (office->database, "SELECT COUNT(*) FROM debtor"
                                                        " WHERE name = 'Przedsiębiorstwo Łąka Sp. z o.o.'"
                                                        " AND tax_id = '5260250995'"), ==, 1);
  g_assert_cmpint (dd_test_query_int (office->database, "SELECT SUM(balance_minor) FROM debt_case"),
                   ==,
                   123456 + 100000 + 9990 + 5000);
  g_assert_cmpint (dd_test_query_int (office->database, "SELECT COUNT(*) FROM liability"
                                                        " WHERE invoice_no = 'FV/2026/10/004'"), ==, 0);

  done_page = ADW_STATUS_PAGE (template_child (assistant, "done_page"));
  g_assert_cmpstr (adw_status_page_get_description (done_page), ==,
                   "4 invoices imported for 3 debtors\n3 rows were rejected.");
  g_assert_false (gtk_widget_get_visible (template_child (assistant, "back_button")));
  dd_test_save_screenshot ("test-import-assistant", "4-done");

  /* Show Cases tells the views and closes */
  widget = GTK_WIDGET (assistant);
  g_object_add_weak_pointer (G_OBJECT (assistant), (gpointer *) &widget);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.show-cases", NULL));
  while (widget != NULL)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (n_cases_changed, ==, 1);

  g_signal_handlers_disconnect_by_func (office->context, on_cases_changed, &n_cases_changed);
}

static void
test_choose_file (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("import-assistant", FALSE);
  g_autoptr(GFile) file = write_polish_csv (office);
  DdImportAssistant *assistant = show_assistant (office, NULL);

  g_assert_cmpint (dd_import_assistant_get_step (assistant), ==, DD_IMPORT_STEP_FILE);
  g_assert_cmpstr (visible_page (assistant), ==, "file");
  g_assert_false (gtk_widget_get_visible (template_child (assistant, "back_button")));
  g_assert_false (gtk_widget_get_visible (template_child (assistant, "next_button")));
  dd_test_save_screenshot ("test-import-assistant", "0-file");

  /* as if dropped or chosen */
  g_assert_true (dd_import_assistant_open_file (assistant, file));
  g_assert_cmpint (dd_import_assistant_get_step (assistant), ==, DD_IMPORT_STEP_PREVIEW);
  g_assert_true (gtk_widget_get_sensitive (template_child (assistant, "next_button")));

  /* a file that is not there: the page says so, with a way back */
  {
    g_autofree char *path = g_build_filename (office->dir, "missing.csv", NULL);
    g_autoptr(GFile) missing = g_file_new_for_path (path);

    g_assert_true (dd_import_assistant_open_file (assistant, missing));
    g_assert_cmpstr (visible_page (assistant), ==, "problem");
    g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (template_child (assistant, "problem_page"))),
                     ==, "Could Not Read the File");
    g_assert_false (gtk_widget_get_sensitive (template_child (assistant, "next_button")));
    dd_test_save_screenshot ("test-import-assistant", "0-problem");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.back", NULL));
    g_assert_cmpstr (visible_page (assistant), ==, "file");
  }

  destroy_assistant (assistant);
}

static void
test_preset (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("import-assistant", FALSE);
  g_autoptr(GFile) file = write_polish_csv (office);
  g_autoptr(DdImportStore) store = dd_import_store_new (office->database);
  g_autoptr(GError) error = NULL;
  const char * const headers[] = { "Kontrahent", "Nr faktury", "Termin płatności", "Kwota" };
  g_autofree char *json = NULL;
  DdImportAssistant *assistant;
  AdwComboRow *preset_row;
  DdColumnMap map;

  /* a mapping saved earlier, without phones */
  dd_column_map_init (&map);
  map.column[DD_IMPORT_FIELD_DEBTOR_NAME] = 0;
  map.column[DD_IMPORT_FIELD_INVOICE] = 1;
  map.column[DD_IMPORT_FIELD_DUE_ON] = 2;
  map.column[DD_IMPORT_FIELD_AMOUNT] = 3;
  json = dd_column_map_to_json (&map, headers, G_N_ELEMENTS (headers));
  g_assert_true (dd_import_store_save_preset (store, "Symfonia", json, &error));
  g_assert_no_error (error);

  assistant = show_assistant (office, file);
  next (assistant);
  g_assert_cmpint (dd_import_assistant_get_step (assistant), ==, DD_IMPORT_STEP_COLUMNS);
  preset_row = ADW_COMBO_ROW (template_child (assistant, "preset_row"));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (preset_row)), ==, 2);
  g_assert_cmpuint (adw_combo_row_get_selected (_dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_PHONE_1)), ==, 4);

  adw_combo_row_set_selected (preset_row, 1);
  g_assert_cmpuint (adw_combo_row_get_selected (_dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_PHONE_1)), ==, 0);
  g_assert_cmpuint (adw_combo_row_get_selected (_dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_DUE_ON)), ==, 8);
  g_assert_cmpuint (adw_combo_row_get_selected (_dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_AMOUNT)), ==, 9);
  g_assert_true (gtk_widget_get_sensitive (template_child (assistant, "next_button")));

  /* back to the guess */
  adw_combo_row_set_selected (preset_row, 0);
  g_assert_cmpuint (adw_combo_row_get_selected (_dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_PHONE_1)), ==, 4);

  destroy_assistant (assistant);
}

static gboolean
import_progressed (DdImportAssistant *assistant)
{
  GtkProgressBar *bar = GTK_PROGRESS_BAR (template_child (assistant, "import_progress"));

  return gtk_progress_bar_get_fraction (bar) > 0.05 ||
         dd_import_assistant_get_step (assistant) != DD_IMPORT_STEP_IMPORT;
}

static gboolean
shows_problem (DdImportAssistant *assistant)
{
  return g_strcmp0 (visible_page (assistant), "problem") == 0;
}

static void
test_cancel_import (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("import-assistant", FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (office->dir, "big.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  DdImportAssistant *assistant;
  GtkWidget *widget;
  gint64 debtors_before;

  /* a previous import that must survive untouched */
  {
    g_autoptr(GFile) small = write_polish_csv (office);
    g_autoptr(DdImportSummary) summary = NULL;
    g_autoptr(DdImporter) importer = dd_importer_new (office->database);

    summary = dd_importer_run (importer, small, NULL, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
  }
  debtors_before = dd_test_query_int (office->database, "SELECT COUNT(*) FROM debtor");
  g_assert_cmpint (debtors_before, ==, 3);

  {
    g_autoptr(GFileOutputStream) out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE,
                                                       NULL, &error);
    DdDemoOfficeOptions options = { 0 };

    g_assert_no_error (error);
    options.locale = "pl";
    options.seed = 42;
    options.encoding = "windows-1250";
    options.error_rate = 0.01;
    options.max_rows = 100000;
    g_assert_true (dd_demo_office_write_csv (G_OUTPUT_STREAM (out), &options, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error));
  }

  assistant = show_assistant (office, file);
  g_assert_cmpstr (visible_page (assistant), ==, "preview");
  next (assistant);
  next (assistant);
  g_assert_cmpint (dd_import_assistant_get_step (assistant), ==, DD_IMPORT_STEP_CHECK);
  dd_test_save_screenshot ("test-import-assistant", "3-checking");
  wait_for (assistant, check_finished, 110);
  g_assert_cmpstr (visible_page (assistant), ==, "check");
  g_assert_cmpuint (_dd_import_assistant_get_check_summary (assistant)->rows_read, ==, 100000);

  next (assistant);
  g_assert_cmpint (dd_import_assistant_get_step (assistant), ==, DD_IMPORT_STEP_IMPORT);
  g_assert_cmpstr (visible_page (assistant), ==, "import");
  wait_for (assistant, import_progressed, 60);
  g_assert_cmpint (dd_import_assistant_get_step (assistant), ==, DD_IMPORT_STEP_IMPORT);
  dd_test_save_screenshot ("test-import-assistant", "5-import");

  /* closing asks first (Escape does the same) */
  gtk_window_close (GTK_WINDOW (assistant));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (assistant)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.cancel-import",
                                             NULL));
  wait_for (assistant, shows_problem, 60);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (template_child (assistant, "problem_page"))),
                   ==, "Import Cancelled");
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (template_child (assistant, "problem_page"))),
                   ==, "Nothing was changed in the office database.");
  dd_test_save_screenshot ("test-import-assistant", "5-cancelled");

  g_assert_cmpint (dd_test_query_int (office->database, "SELECT COUNT(*) FROM debtor"), ==,
                   debtors_before);
  g_assert_cmpint (dd_test_query_int (office->database, "SELECT COUNT(*) FROM liability"), ==, 4);
  g_assert_cmpint (dd_test_query_int (office->database, "SELECT COUNT(*) FROM import_run"), ==, 1);

  /* back to the check, which still holds */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.back", NULL));
  g_assert_cmpint (dd_import_assistant_get_step (assistant), ==, DD_IMPORT_STEP_CHECK);
  g_assert_cmpstr (visible_page (assistant), ==, "check");

  /* the question asked by the close above went away with the import */
  widget = GTK_WIDGET (assistant);
  g_object_add_weak_pointer (G_OBJECT (assistant), (gpointer *) &widget);
  gtk_window_close (GTK_WINDOW (assistant));
  while (widget != NULL)
    g_main_context_iteration (NULL, FALSE);
}

/* The row of a preferences group whose title is @title, or NULL. */
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

/* The value shown at the end of a summary row. */
static const char *
row_value (AdwActionRow *row)
{
  GtkWidget *label = NULL;

  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (row)); w != NULL && label == NULL;
       w = gtk_widget_get_next_sibling (w))
    {
      /* AdwActionRow > GtkBox (header) > … > suffixes box > the label */
      GtkWidget *stack[64];
      guint n = 0;

      stack[n++] = w;
      while (n > 0 && label == NULL)
        {
          GtkWidget *cur = stack[--n];

          if (GTK_IS_LABEL (cur) && gtk_widget_has_css_class (cur, "numeric"))
            label = cur;
          for (GtkWidget *c = gtk_widget_get_first_child (cur); c != NULL && n < 64;
               c = gtk_widget_get_next_sibling (c))
            stack[n++] = c;
        }
    }
  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

static GFile *
copy_export (DdTestOffice *office,
             const char   *name)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "import", name, NULL);
  g_autofree char *path = g_build_filename (office->dir, name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (source, &contents, &len, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, contents, len, &error));
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* Issue 14: an export with the invoice total and what remains; the assistant takes what
 * remains, shows three samples under the columns, and the check puts the totals side by side. */
static void
test_money_columns (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("import-assistant", FALSE);
  g_autoptr(GFile) file = copy_export (office, "naleznosci-cp1250.csv");
  DdImportAssistant *assistant = show_assistant (office, file);
  AdwComboRow *amount_row = NULL;
  AdwComboRow *total_row = NULL;
  AdwComboRow *country_row = ADW_COMBO_ROW (template_child (assistant, "country_row"));
  AdwComboRow *currency_row = ADW_COMBO_ROW (template_child (assistant, "currency_row"));
  const DdImportSummary *check;
  AdwActionRow *row;

  next (assistant);
  g_assert_cmpint (dd_import_assistant_get_step (assistant), ==, DD_IMPORT_STEP_COLUMNS);
  amount_row = _dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_AMOUNT);
  total_row = _dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_TOTAL);
  /* "Not in the file" first: column 9 is "Pozostało do zapłaty", 8 "Kwota brutto" */
  g_assert_cmpuint (adw_combo_row_get_selected (amount_row), ==, 9);
  g_assert_cmpuint (adw_combo_row_get_selected (total_row), ==, 8);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (amount_row)), ==,
                   "12 300,00 · 1 920,00 · 615,00");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (total_row)), ==,
                   "12 300,00 · 4 920,00 · 615,00");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (
                     _dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_DEBTOR_NAME))),
                   ==, "Przedsiębiorstwo Ha… · Zakład Usługowy Żur… · Ślusarczyk Agnieszka");
  /* the country and currency of the file, from the file */
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (country_row)), ==,
                   "Recognised from the file");
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (country_row)),
                   ==, "Poland (PL)");
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (currency_row)),
                   ==, "Polish złoty (PLN)");
  /* scrolled to the money columns for the screenshot */
  {
    GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (amount_row),
                                                   GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
    GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
    double x = 0, y = 0;
    gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

    while (gtk_adjustment_get_upper (adjustment) <= gtk_adjustment_get_page_size (adjustment) &&
           g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (amount_row), content, 0, 0,
                                                     &x, &y));
    gtk_adjustment_set_value (adjustment, y - 120);
    g_test_message ("scrolled to %.0f of %.0f (row at %.0f)", gtk_adjustment_get_value (adjustment), gtk_adjustment_get_upper (adjustment), y);
    for (guint i = 0; i < 20; i++)
      g_main_context_iteration (NULL, FALSE);
  }
  dd_test_save_screenshot ("test-import-assistant", "6-money-columns");

  /* the list of columns shows each column's samples under its name */
  g_assert_nonnull (adw_combo_row_get_list_factory (amount_row));

  /* the check names the debt column and puts the gross beside it */
  next (assistant);
  wait_for (assistant, check_finished, 60);
  check = _dd_import_assistant_get_check_summary (assistant);
  g_assert_cmpuint (check->rows_rejected, ==, 1);
  g_assert_cmpint (dd_import_summary_get_total (check, "PLN"), ==, 1696950);
  row = find_row (GTK_WIDGET (assistant), "Debt taken from column “Pozostało do zapłaty”");
  g_assert_nonnull (row);
  g_assert_cmpstr (row_value (row), ==, "PLN\u00a016,969.50");
  row = find_row (GTK_WIDGET (assistant), "Invoice total, column “Kwota brutto”");
  g_assert_nonnull (row);
  g_assert_cmpstr (row_value (row), ==, "PLN\u00a024,969.00");
  dd_test_save_screenshot ("test-import-assistant", "6-money-check");

  destroy_assistant (assistant);
}

static const DdImportSummary *previous_check;

static gboolean
new_check_finished (DdImportAssistant *assistant)
{
  const DdImportSummary *check = _dd_import_assistant_get_check_summary (assistant);

  return (check != NULL && check != previous_check) ||
         g_strcmp0 (visible_page (assistant), "problem") == 0;
}

/* The 1C export: the assistant proposes Russia and roubles; the check finds every phone. */
static void
test_russian_file (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("import-assistant", FALSE);
  g_autoptr(GFile) file = copy_export (office, "1c-zadolzhennost-cp1251.csv");
  DdImportAssistant *assistant = show_assistant (office, file);
  AdwComboRow *country_row = ADW_COMBO_ROW (template_child (assistant, "country_row"));
  AdwComboRow *currency_row = ADW_COMBO_ROW (template_child (assistant, "currency_row"));
  const DdImportSummary *check;

  next (assistant);
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (country_row)),
                   ==, "Russia (RU)");
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (currency_row)),
                   ==, "Russian ruble (RUB)");
  dd_test_save_screenshot ("test-import-assistant", "7-russian-columns");

  next (assistant);
  wait_for (assistant, check_finished, 60);
  check = _dd_import_assistant_get_check_summary (assistant);
  g_assert_cmpstr (check->country, ==, "RU");
  g_assert_cmpuint (check->rows_imported, ==, 12);
  g_assert_cmpuint (check->by_reason[DD_IMPORT_REASON_INVALID_PHONE], ==, 0);
  g_assert_cmpint (dd_import_summary_get_total (check, "RUB"), ==, 96296770);

  /* picking Poland by hand reads the same phones as Polish: half of them are invalid */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.back", NULL));
  adw_combo_row_set_selected (country_row, 0);
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (currency_row)),
                   ==, "Polish złoty (PLN)");
  previous_check = check;
  next (assistant);
  wait_for (assistant, new_check_finished, 60);
  check = _dd_import_assistant_get_check_summary (assistant);
  g_assert_cmpstr (check->country, ==, "PL");
  g_assert_cmpuint (check->by_reason[DD_IMPORT_REASON_INVALID_PHONE], ==, 6);
  g_assert_nonnull (find_row (GTK_WIDGET (assistant),
                              "The file looks like an export from RU, but the office’s country is "
                              "PL: phone numbers without a prefix were read as PL. If that is "
                              "wrong, import it with the country RU."));
  dd_test_save_screenshot ("test-import-assistant", "7-russian-as-polish");

  destroy_assistant (assistant);
}

/* Excel's "Unicode Text" (UTF-16LE with a byte order mark, tabs, CRLF) with two "Kwota" and two
 * "Telefon" columns: the assistant reads it, says it is UTF-16, and names each of the two
 * columns by its number in the mapping step and in the check. */
static void
test_unicode_repeated_columns (void)
{
  static const char text[] =
    "Lp\tKontrahent\tNIP\tTelefon\tTelefon\tNr faktury\tData wystawienia\tTermin płatności\t"
    "Kwota\tWaluta\tKwota\r\n"
    "1\t\"Piekarnia \"\"Złoty Kłos\"\" s.c.\"\t\t601 234 567\t12\tFV/1\t01.10.2026\t15.10.2026\t"
    "1 230,00\tPLN\t1 500,00\r\n"
    "2\tAnna Nowak\t\t602 345 678\t22 123 45 67\tFV/2\t01.10.2026\t15.10.2026\t615,00\tPLN\t"
    "615,00\r\n"
    "3\tPiotr Wiśniewski\t\t603 456 789\t\tFV/3\t01.10.2026\t15.10.2026\t100,00\tPLN\t250,00\r\n";
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("import-assistant", FALSE);
  g_autofree char *path = g_build_filename (office->dir, "należności.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  DdImportAssistant *assistant;
  AdwComboRow *encoding_row;
  AdwComboRow *delimiter_row;
  AdwComboRow *amount_row;
  AdwComboRow *total_row;
  AdwComboRow *phone2_row;
  const DdImportSummary *check;
  AdwActionRow *row;

  {
    gsize len = 0;
    g_autofree char *utf16 = g_convert (text, -1, "UTF-16LE", "UTF-8", NULL, &len, &error);
    g_autofree char *contents = NULL;

    g_assert_no_error (error);
    contents = g_malloc (len + 2);
    memcpy (contents, "\377\376", 2);
    memcpy (contents + 2, utf16, len);
    g_assert_true (g_file_set_contents (path, contents, (gssize) len + 2, &error));
    g_assert_no_error (error);
  }

  assistant = show_assistant (office, file);
  encoding_row = ADW_COMBO_ROW (template_child (assistant, "encoding_row"));
  delimiter_row = ADW_COMBO_ROW (template_child (assistant, "delimiter_row"));
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (encoding_row)),
                   ==, "UTF-16LE (Unicode text)");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (encoding_row)), ==,
                   "Detected: UTF-16LE (Unicode text)");
  g_assert_cmpuint (adw_combo_row_get_selected (delimiter_row), ==, 2);   /* tab */
  {
    GtkColumnView *preview_view = GTK_COLUMN_VIEW (template_child (assistant, "preview_view"));
    GListModel *columns = gtk_column_view_get_columns (preview_view);
    g_autoptr(GtkColumnViewColumn) last = g_list_model_get_item (columns, 10);
    g_autoptr(GtkColumnViewColumn) name = g_list_model_get_item (columns, 1);

    g_assert_cmpuint (g_list_model_get_n_items (columns), ==, 11);
    g_assert_cmpstr (gtk_column_view_column_get_title (last), ==, "Kwota (column 11)");
    g_assert_cmpstr (gtk_column_view_column_get_title (name), ==, "Kontrahent");
  }
  dd_test_save_screenshot ("test-import-assistant", "7-unicode-text");

  next (assistant);
  g_assert_cmpint (dd_import_assistant_get_step (assistant), ==, DD_IMPORT_STEP_COLUMNS);
  amount_row = _dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_AMOUNT);
  total_row = _dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_TOTAL);
  phone2_row = _dd_import_assistant_get_field_row (assistant, DD_IMPORT_FIELD_PHONE_2);
  /* "Not in the file" comes first */
  g_assert_cmpuint (adw_combo_row_get_selected (amount_row), ==, 9);
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (amount_row)),
                   ==, "Kwota (column 9)");
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (phone2_row)),
                   ==, "Telefon (column 5)");
  adw_combo_row_set_selected (total_row, 11);
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (total_row)),
                   ==, "Kwota (column 11)");
  /* scrolled to the money columns for the screenshot */
  {
    GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (amount_row),
                                                   GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adjustment =
      gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
    GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
    double x = 0, y = 0;
    gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

    while (gtk_adjustment_get_upper (adjustment) <= gtk_adjustment_get_page_size (adjustment) &&
           g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (amount_row), content, 0, 0,
                                                     &x, &y));
    gtk_adjustment_set_value (adjustment, y - 120);
    for (guint i = 0; i < 20; i++)
      g_main_context_iteration (NULL, FALSE);
  }
  dd_test_save_screenshot ("test-import-assistant", "7-repeated-columns");

  next (assistant);
  wait_for (assistant, check_finished, 60);
  check = _dd_import_assistant_get_check_summary (assistant);
  g_assert_nonnull (check);
  g_assert_cmpstr (check->encoding, ==, "UTF-16LE");
  g_assert_cmpuint (check->rows_read, ==, 3);
  g_assert_cmpint (dd_import_summary_get_total (check, "PLN"), ==, 194500);
  row = find_row (GTK_WIDGET (assistant), "Debt taken from column “Kwota (column 9)”");
  g_assert_nonnull (row);
  g_assert_cmpstr (row_value (row), ==, "PLN\u00a01,945.00");
  row = find_row (GTK_WIDGET (assistant), "Invoice total, column “Kwota (column 11)”");
  g_assert_nonnull (row);
  g_assert_cmpstr (row_value (row), ==, "PLN\u00a02,365.00");
  dd_test_save_screenshot ("test-import-assistant", "7-repeated-columns-check");

  destroy_assistant (assistant);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  adw_init ();

  dd_test_use_app_style ();

  g_test_add_func ("/dd/ui/import-assistant/choose-file", test_choose_file);
  g_test_add_func ("/dd/ui/import-assistant/import-polish", test_import_polish);
  g_test_add_func ("/dd/ui/import-assistant/preset", test_preset);
  g_test_add_func ("/dd/ui/import-assistant/cancel-import", test_cancel_import);
  g_test_add_func ("/dd/ui/import-assistant/money-columns", test_money_columns);
  g_test_add_func ("/dd/ui/import-assistant/russian-file", test_russian_file);
  g_test_add_func ("/dd/ui/import-assistant/unicode-repeated-columns",
                   test_unicode_repeated_columns);

  return g_test_run ();
}
