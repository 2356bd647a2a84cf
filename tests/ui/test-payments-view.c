/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-payments-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dd-test-ui.h"
#include "dd-case-page.h"
#include "dd-case-page-private.h"
#include "dd-case-store.h"
#include "dd-context.h"
#include "dd-database.h"
#include "dd-payments-view-private.h"

/* A bank's CSV of payments: one pays an invoice (matched by itself), one names nothing the
 * office knows (waits in the list). */
static const char statement_csv[] =
  "Data;Kwota;Waluta;Tytuł;Nadawca;Rachunek nadawcy;Referencja\n"
  "20.11.2026;50,00;PLN;Rata E-77-2026;Anna Nowak;;R-1\n"
  "21.11.2026;150,00;PLN;Przelew środków;NOWAK I SYN SP.J.;PL27114020040000300201355387;R-2\n";

typedef struct
{
  DdTestOffice *office;
  DdContext    *context;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->office = dd_test_office_new ("payments-view");
  g_assert_true (dd_database_exec (f->office->database,
    "INSERT INTO agent (id, name, role, created_at) VALUES (1, 'Anna Konsultant', 'consultant', 'x');"
    "INSERT INTO creditor (id, name, created_at) VALUES (1, 'Alfa Bank', 'x');"
    "INSERT INTO debtor (id, dedup_key, name, created_at, updated_at) VALUES"
    " (1, 'k1', 'Anna Nowak', 'x', 'x'), (2, 'k2', 'Jan Kowalski', 'x', 'x');"
    "INSERT INTO debt_case (id, debtor_id, creditor_id, balance_minor, currency, debtor_name,"
    " created_at, updated_at) VALUES (1, 1, 1, 20000, 'PLN', 'Anna Nowak', 'x', 'x'),"
    " (2, 2, 1, 5000, 'PLN', 'Jan Kowalski', 'x', 'x');"
    "INSERT INTO liability (case_id, invoice_no, amount_minor, currency, created_at, updated_at)"
    " VALUES (1, 'E-77-2026', 20000, 'PLN', 'x', 'x'), (2, 'K-1', 5000, 'PLN', 'x', 'x');",
    &error));
  g_assert_no_error (error);
  {
    g_autoptr(DdCaseStore) cases = dd_case_store_new (f->office->database);

    g_assert_true (dd_case_store_rebuild_search (cases, &error));
    g_assert_no_error (error);
  }
  f->context = dd_context_new (f->office->database, NULL);
  dd_context_set_agent (f->context, 1, "Anna Konsultant", FALSE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->context);
  dd_test_office_free (f->office);
}

static gint64
sql_int (Fixture    *f,
         const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 value = -1;

  g_assert_true (dd_database_query_int64 (f->office->database, sql, &value, &error));
  g_assert_no_error (error);
  return value;
}

static GtkWindow *
show (GtkWidget *child)
{
  GtkWidget *window = adw_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  adw_window_set_content (ADW_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  dd_test_wait_until_mapped (child);
  return GTK_WINDOW (window);
}

static void
on_ready (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static gboolean
has_results (gpointer data)
{
  GtkWidget *first = gtk_widget_get_first_child (GTK_WIDGET (data));

  return first != NULL && ADW_IS_ACTION_ROW (first);
}

/* Import a statement: the payment nobody matched is listed; the user opens Assign…, searches
 * the debtor, picks the case: the payment is matched by hand, the list empties. */
static void
test_assign_unmatched (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->office->dir, "wyciag.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  DdPaymentsView *view = DD_PAYMENTS_VIEW (dd_payments_view_new (f->context));
  GtkWindow *window = show (GTK_WIDGET (view));
  GtkWidget *row, *assign, *search;
  GtkListBox *results;
  GtkWidget *result;

  g_assert_true (g_file_set_contents (path, statement_csv, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (_dd_payments_view_get_rows (view)->len, ==, 0);

  /* as Import Statement… does it: in a thread, on its own connection */
  {
    g_autoptr(GAsyncResult) done = NULL;

    dd_payments_view_import_file_async (view, file, NULL, on_ready, &done);
    g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (view)));
    g_assert_true (dd_test_wait_until (has_result, &done, 20000));
    summary = dd_payments_view_import_file_finish (view, done, &error);
  }
  g_assert_no_error (error);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (view)));
  g_assert_nonnull (strstr (summary, "Matched: 1 — invoice number 1"));
  g_assert_nonnull (strstr (summary, "Unmatched, waiting to be assigned: 1"));
  g_assert_cmpint (sql_int (f, "SELECT balance_minor FROM debt_case WHERE id = 1"), ==, 15000);

  g_assert_cmpuint (_dd_payments_view_get_rows (view)->len, ==, 1);
  row = g_ptr_array_index (_dd_payments_view_get_rows (view), 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "PLN\u00a0150.00 — NOWAK I SYN SP.J.");
  dd_test_save_screenshot ("payments-view", "unmatched");

  assign = _dd_payments_view_get_assign_button (row);
  search = _dd_payments_view_get_search_entry (row);
  results = _dd_payments_view_get_results (row);
  gtk_menu_button_popup (GTK_MENU_BUTTON (assign));
  gtk_editable_set_text (GTK_EDITABLE (search), "Nowak");
  g_assert_true (dd_test_wait_until (has_results, results, 5000));
  result = gtk_widget_get_first_child (GTK_WIDGET (results));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (result)), ==, "Anna Nowak");
  g_assert_null (gtk_widget_get_next_sibling (result));
  dd_test_save_screenshot ("payments-view", "assign-search");

  g_signal_emit_by_name (result, "activate");
  dd_test_iterate_for (100);

  /* matched by hand, by the agent at the desk; the balance reached zero: closed as paid */
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM payment WHERE case_id = 1"
                               " AND match_method = 'manual' AND assigned_by = 1"), ==, 1);
  g_assert_cmpint (sql_int (f, "SELECT balance_minor FROM debt_case WHERE id = 1"), ==, 0);
  g_assert_cmpint (sql_int (f, "SELECT status = 'closed' FROM debt_case WHERE id = 1"), ==, 1);
  g_assert_cmpstr (_dd_payments_view_get_last_toast (view), ==, "Payment assigned to Anna Nowak");
  g_assert_cmpuint (_dd_payments_view_get_rows (view)->len, ==, 0);
  dd_test_save_screenshot ("payments-view", "assigned");

  dd_test_destroy_window (window);
}

/* An unmatched payment ignored from the list. */
static void
test_ignore (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->office->dir, "wyciag.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  DdPaymentsView *view = DD_PAYMENTS_VIEW (dd_payments_view_new (f->context));
  GtkWindow *window = show (GTK_WIDGET (view));

  g_assert_true (g_file_set_contents (path, statement_csv, -1, &error));
  summary = dd_payments_view_import_file (view, file, &error);
  g_assert_no_error (error);
  g_signal_emit_by_name (_dd_payments_view_get_ignore_button (
                           g_ptr_array_index (_dd_payments_view_get_rows (view), 0)),
                         "clicked");
  g_assert_cmpuint (_dd_payments_view_get_rows (view)->len, ==, 0);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM payment WHERE state = 'ignored'"), ==, 1);
  dd_test_destroy_window (window);
}

static AdwMessageDialog *
wait_for_dialog (void)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;

  while (g_get_monotonic_time () < deadline)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();

      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

          if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (window))
            return ADW_MESSAGE_DIALOG (window);
        }
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (G_TIME_SPAN_MILLISECOND);
    }
  g_assert_not_reached ();
}

static GtkWidget *
find_entry (GtkWidget  *widget,
            const char *placeholder)
{
  if (GTK_IS_ENTRY (widget)
      && g_strcmp0 (gtk_entry_get_placeholder_text (GTK_ENTRY (widget)), placeholder) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_entry (c, placeholder);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *
entry_message (GtkWidget *entry)
{
  GtkWidget *label = gtk_widget_get_next_sibling (entry);

  g_assert_true (GTK_IS_LABEL (label));
  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

/* Record Payment… on the case page: the amount and the date are checked while typed; Record
 * lowers the balance through the same code as a matched bank payment. */
static void
test_record_payment (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *page = dd_case_page_new (f->context);
  GtkWindow *window = show (page);
  AdwMessageDialog *dialog;
  GtkWidget *amount, *paid_on;

  dd_case_page_set_case_id (DD_CASE_PAGE (page), 2);
  g_signal_emit_by_name (find_button (page, "Record _Payment…"), "clicked");
  dialog = wait_for_dialog ();
  amount = find_entry (GTK_WIDGET (dialog), "Amount paid (PLN)");
  paid_on = find_entry (GTK_WIDGET (dialog), "Paid on (YYYY-MM-DD)");
  g_assert_nonnull (amount);
  g_assert_nonnull (paid_on);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "ok"));

  gtk_editable_set_text (GTK_EDITABLE (amount), "2O,00");
  g_assert_nonnull (entry_message (amount));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "ok"));
  gtk_editable_set_text (GTK_EDITABLE (amount), "20,00");
  g_assert_null (entry_message (amount));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "ok"));
  gtk_editable_set_text (GTK_EDITABLE (paid_on), "2999-01-01");
  g_assert_cmpstr (entry_message (paid_on), ==, "A payment cannot be dated in the future.");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "ok"));
  gtk_editable_set_text (GTK_EDITABLE (paid_on), "2026-11-20");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "ok"));
  dd_test_save_screenshot ("payments-view", "record-payment");

  adw_message_dialog_response (dialog, "ok");
  dd_test_iterate_for (100);
  g_assert_cmpint (sql_int (f, "SELECT balance_minor FROM debt_case WHERE id = 2"), ==, 3000);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM payment WHERE case_id = 2"
                               " AND source = 'manual' AND paid_on = '2026-11-20'"), ==, 1);
  dd_test_destroy_window (window);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LANGUAGE", "C", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/dd/payments-view/assign-unmatched", Fixture, NULL, fixture_setup,
              test_assign_unmatched, fixture_teardown);
  g_test_add ("/dd/payments-view/ignore", Fixture, NULL, fixture_setup, test_ignore,
              fixture_teardown);
  g_test_add ("/dd/payments-view/record-payment", Fixture, NULL, fixture_setup,
              test_record_payment, fixture_teardown);

  return g_test_run ();
}
