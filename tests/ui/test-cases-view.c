/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-cases-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "dd-case-list.h"
#include "dd-case-page-private.h"
#include "dd-gateway-test.h"
#include "dd-case-store.h"
#include "dd-cases-view-private.h"
#include "dd-context.h"
#include "dd-database.h"
#include "dd-demo-office.h"
#include "dd-importer.h"
#include "dd-money.h"
#include "dd-test-ui.h"
#include "dd-users.h"

#include <stdlib.h>
#include <string.h>

#define SCREENSHOT_PREFIX "test-cases-view"
#define MANAGER_ID 1
#define CONSULTANT_ID 2

/* An office imported from a demo export of 200 debtors, with a manager and a consultant. */
static DdTestOffice *
office_new (void)
{
  g_autoptr(GError) error = NULL;
  DdTestOffice *office = dd_test_office_new ("cases-view");

  dd_test_office_import_demo (office, 200, "pl", 7);
  g_assert_true (dd_database_exec (office->database,
                                   "INSERT INTO agent (id, name, role, created_at) VALUES"
                                   " (1, 'Marek Manager', 'manager', '2026-11-23T08:00:00Z'),"
                                   " (2, 'Anna Konsultant', 'consultant',"
                                   " '2026-11-23T08:00:00Z')",
                                   &error));
  g_assert_no_error (error);
  g_assert_cmpint (dd_test_query_int (office->database, "SELECT COUNT(*) FROM debt_case"),
                   >=, 150);

  office->context = dd_context_new (office->database, NULL);
  dd_context_set_agent (office->context, MANAGER_ID, "Marek Manager", TRUE);

  return office;
}

static GtkWindow *
show_view (DdContext    *context,
           DdCasesView **out_view)
{
  GtkWindow *window = GTK_WINDOW (adw_window_new ());
  GtkWidget *view = dd_cases_view_new (context);

  adw_window_set_content (ADW_WINDOW (window), view);
  gtk_window_set_default_size (window, 1100, 700);
  gtk_window_present (window);
  dd_test_wait_until_mapped (view);
  *out_view = DD_CASES_VIEW (view);

  return window;
}

static GtkWidget *
template_child (DdCasesView *view,
                const char  *name)
{
  return dd_test_template_child (view, DD_TYPE_CASES_VIEW, name);
}

static guint
n_items (DdCasesView *view)
{
  return g_list_model_get_n_items (G_LIST_MODEL (_dd_cases_view_get_list (view)));
}

/* Lets the search entry's delay pass: iterates until the list has @expected items, or
 * another number than @other when @expected is G_MAXUINT (5 s at most: sanitizer builds are
 * slow). */
static void
wait_for_items (DdCasesView *view,
                guint        expected,
                guint        other)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;

  while (g_get_monotonic_time () < deadline
         && (expected != G_MAXUINT ? n_items (view) != expected : n_items (view) == other))
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (G_TIME_SPAN_MILLISECOND);
    }
}

static char *
first_debtor_name (DdDatabase *database)
{
  g_autoptr(GError) error = NULL;
  DdStatement *stmt = dd_database_cached (database,
                                          "SELECT name FROM debtor ORDER BY id LIMIT 1", &error);
  char *name;

  g_assert_no_error (error);
  g_assert_true (dd_statement_step (stmt, &error));
  name = g_strdup (dd_statement_get_text (stmt, 0));
  dd_statement_reset (stmt);
  return name;
}

/* How many column headers show a sort arrow. */
static guint
count_sort_arrows (GtkWidget *widget)
{
  guint n = 0;

  if (g_strcmp0 (gtk_widget_get_css_name (widget), "sort-indicator") == 0
      && (gtk_widget_has_css_class (widget, "ascending")
          || gtk_widget_has_css_class (widget, "descending")))
    n++;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    n += count_sort_arrows (c);
  return n;
}

static void
test_cases_view_list (void)
{
  g_autoptr(DdTestOffice) office = office_new ();
  gint64 n_cases = dd_test_query_int (office->database, "SELECT COUNT(*) FROM debt_case");
  g_autofree char *name = first_debtor_name (office->database);
  DdCasesView *view;
  GtkWindow *window = show_view (office->context, &view);
  GtkStack *stack = GTK_STACK (template_child (view, "stack"));
  GtkEditable *search = GTK_EDITABLE (template_child (view, "search_entry"));
  guint found;

  g_assert_cmpuint (n_items (view), ==, n_cases);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "list");
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "list");

  /* search, after the debounce */
  gtk_editable_set_text (search, name);
  g_assert_cmpuint (n_items (view), ==, n_cases);
  wait_for_items (view, G_MAXUINT, n_cases);
  found = n_items (view);
  g_assert_cmpuint (found, >=, 1);
  g_assert_cmpuint (found, <, n_cases);
  {
    GListModel *list = G_LIST_MODEL (_dd_cases_view_get_list (view));
    g_autoptr(DdCaseRow) row = g_list_model_get_item (list, 0);

    g_assert_cmpstr (dd_case_row_get_debtor_name (row), ==, name);
  }

  gtk_editable_set_text (search, "zzzzqqqq");
  wait_for_items (view, 0, 0);
  g_assert_cmpuint (n_items (view), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "no-match");

  gtk_editable_set_text (search, "");
  wait_for_items (view, n_cases, 0);
  g_assert_cmpuint (n_items (view), ==, n_cases);

  /* status filter: everything imported is new; the filter button says a filter is on, also
   * with its popover closed (issue 12, item 8) */
  {
    GtkMenuButton *filter_button = GTK_MENU_BUTTON (template_child (view, "filter_button"));
    gint64 shown = 0, open = 0;

    g_assert_cmpstr (gtk_menu_button_get_label (filter_button), ==, "_Filters");
    g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (filter_button), "suggested-action"));
    _dd_cases_view_set_status_filter (view, DD_CASE_STATUS_NO_ANSWER, TRUE);
    g_assert_cmpstr (gtk_menu_button_get_label (filter_button), ==, "_Filters (1)");
    g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (filter_button), "suggested-action"));
    g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (filter_button)), ==,
                     "1 filter is on");
    dd_cases_view_get_counts (view, &shown, &open);
    g_assert_cmpint (shown, ==, 0);
    g_assert_cmpint (open, ==, n_cases);
    _dd_cases_view_set_status_filter (view, DD_CASE_STATUS_NO_ANSWER, FALSE);
    g_assert_cmpstr (gtk_menu_button_get_label (filter_button), ==, "_Filters");
    g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (filter_button), "suggested-action"));
  }
  _dd_cases_view_set_status_filter (view, DD_CASE_STATUS_CLOSED, TRUE);
  g_assert_cmpuint (n_items (view), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "no-match");
  _dd_cases_view_set_status_filter (view, DD_CASE_STATUS_NEW, TRUE);
  g_assert_cmpuint (n_items (view), ==, n_cases);
  _dd_cases_view_set_status_filter (view, DD_CASE_STATUS_CLOSED, FALSE);
  _dd_cases_view_set_status_filter (view, DD_CASE_STATUS_NEW, FALSE);
  g_assert_false (dd_case_query_is_filtered (dd_cases_view_get_query (view)));

  /* sorting by a column header goes to the query */
  {
    GtkColumnView *column_view = GTK_COLUMN_VIEW (template_child (view, "column_view"));
    GListModel *columns = gtk_column_view_get_columns (column_view);
    g_autoptr(GtkColumnViewColumn) balance = g_list_model_get_item (columns,
                                                                   DD_CASE_SORT_BALANCE);
    g_autoptr(DdCaseRow) first = NULL;
    g_autoptr(DdCaseRow) second = NULL;

    g_assert_cmpuint (count_sort_arrows (GTK_WIDGET (column_view)), ==, 1);
    gtk_column_view_sort_by_column (column_view, balance, GTK_SORT_DESCENDING);
    dd_test_iterate_for (50);
    /* one arrow: the list is sorted by one column, not by the ones clicked before */
    g_assert_cmpuint (count_sort_arrows (GTK_WIDGET (column_view)), ==, 1);
    g_assert_cmpint (dd_cases_view_get_query (view)->sort, ==, DD_CASE_SORT_BALANCE);
    g_assert_true (dd_cases_view_get_query (view)->descending);
    first = g_list_model_get_item (G_LIST_MODEL (_dd_cases_view_get_list (view)), 0);
    second = g_list_model_get_item (G_LIST_MODEL (_dd_cases_view_get_list (view)), 1);
    g_assert_cmpint (dd_case_row_get_balance_minor (first), >=,
                     dd_case_row_get_balance_minor (second));
    gtk_column_view_sort_by_column (column_view, balance, GTK_SORT_ASCENDING);
    g_assert_false (dd_cases_view_get_query (view)->descending);
  }

  dd_test_destroy_window (window);
}

static void
test_cases_view_case_page (void)
{
  g_autoptr(DdTestOffice) office = office_new ();
  g_autoptr(GError) error = NULL;
  DdCasesView *view;
  GtkWindow *window = show_view (office->context, &view);
  DdCaseList *list = _dd_cases_view_get_list (view);
  DdCasePage *page = _dd_cases_view_get_case_page (view);
  AdwLeaflet *leaflet = ADW_LEAFLET (template_child (view, "leaflet"));
  gint64 case_id = dd_case_list_get_case_id (list, 0);
  g_autofree char *sql = NULL;
  DdStatusChange change = { 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) soon = g_date_time_add_days (now, 9);
  g_autofree char *promised_on = g_date_time_format (soon, "%Y-%m-%d");

  /* open the first case as a double click would */
  _dd_cases_view_activate (view, 0);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "case");
  g_assert_cmpint (dd_case_page_get_case_id (page), ==, case_id);
  g_assert_nonnull (_dd_case_page_get_debtor_name (page));
  g_assert_true (gtk_widget_get_visible (_dd_case_page_get_close_button (page)));

  /* a payment declaration */
  change.status = DD_CASE_STATUS_PAYMENT_DECLARATION;
  change.amount_minor = 100;
  change.promised_on = promised_on;
  g_assert_true (_dd_case_page_set_status (page, &change, &error));
  g_assert_no_error (error);

  sql = g_strdup_printf ("SELECT COUNT(*) FROM declaration WHERE case_id = %" G_GINT64_FORMAT
                         " AND amount_minor = 100 AND promised_on = '%s'"
                         " AND state = 'pending'", case_id, promised_on);
  g_assert_cmpint (dd_test_query_int (office->database, sql), ==, 1);
  g_free (sql);
  sql = g_strdup_printf ("SELECT COUNT(*) FROM activity WHERE case_id = %" G_GINT64_FORMAT
                         " AND agent_id = 1", case_id);
  g_assert_cmpint (dd_test_query_int (office->database, sql), >=, 1);
  g_free (sql);
  sql = g_strdup_printf ("SELECT COUNT(*) FROM audit_log WHERE entity = 'debt_case'"
                         " AND entity_id = %" G_GINT64_FORMAT " AND agent_id = 1", case_id);
  g_assert_cmpint (dd_test_query_int (office->database, sql), >=, 1);
  g_free (sql);
  sql = g_strdup_printf ("SELECT status = 'payment-declaration' FROM debt_case WHERE id = %"
                         G_GINT64_FORMAT, case_id);
  g_assert_cmpint (dd_test_query_int (office->database, sql), ==, 1);
  g_free (sql);

  /* the list row was refreshed */
  {
    g_autoptr(DdCaseRow) row = g_list_model_get_item (G_LIST_MODEL (list),
                                                      dd_case_list_find (list, case_id));

    g_assert_cmpstr (dd_case_row_get_status (row), ==, "payment-declaration");
  }

  /* Check Numbers: without a provider it says so; through the test provider every number of
   * the debtor gets its look-up badge */
  {
    GtkWidget *check = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                                  DD_TYPE_CASE_PAGE,
                                                                  "check_numbers_button"));
    g_autoptr(DdGatewayTest) gateway = dd_gateway_test_new ();
    gint64 deadline;
    g_autofree char *checked = g_strdup_printf ("SELECT COUNT(*) FROM phone"
                                                " WHERE hlr_checked_at IS NOT NULL AND debtor_id ="
                                                " (SELECT debtor_id FROM debt_case WHERE id = %"
                                                G_GINT64_FORMAT ")", case_id);
    g_assert_cmpint (dd_test_query_int (office->database, checked), ==, 0);
    gtk_widget_activate (check);
    g_assert_cmpint (dd_test_query_int (office->database, checked), ==, 0);
    dd_context_set_sms_gateway (office->context, DD_SMS_GATEWAY (gateway));
    gtk_widget_activate (check);
    deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
    while (dd_test_query_int (office->database, checked) == 0 && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
    g_assert_cmpint (dd_test_query_int (office->database, checked), >=, 1);
    dd_test_iterate_for (200);
    g_assert_true (gtk_widget_get_sensitive (check));
    dd_context_set_sms_gateway (office->context, NULL);
  }

  /* the debtor's time zone: the dialog opens; the choice is kept on the debtor */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "case-page.time-zone", NULL));
  dd_test_iterate_for (100);
  g_assert_true (_dd_case_page_set_time_zone (page, "Asia/Vladivostok", &error));
  g_assert_no_error (error);
  {
    g_autofree char *zone_sql = g_strdup_printf ("SELECT COUNT(*) FROM debtor WHERE time_zone ="
                                                 " 'Asia/Vladivostok' AND id = (SELECT debtor_id"
                                                 " FROM debt_case WHERE id = %" G_GINT64_FORMAT ")",
                                                 case_id);

    g_assert_cmpint (dd_test_query_int (office->database, zone_sql), ==, 1);
  }
  g_assert_false (_dd_case_page_set_time_zone (page, "Nowhere/Else", &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* a note */
  g_assert_true (_dd_case_page_add_note (page, "Obiecał zapłacić w grudniu", &error));
  g_assert_no_error (error);
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "case");

  /* a consultant sees Close Case, off, with the reason; and may not use it */
  dd_context_set_agent (office->context, CONSULTANT_ID, "Anna Konsultant", FALSE);
  dd_case_page_refresh (page);
  g_assert_true (gtk_widget_get_visible (_dd_case_page_get_close_button (page)));
  g_assert_false (gtk_widget_get_sensitive (_dd_case_page_get_close_button (page)));
  g_assert_false (_dd_case_page_close (page, NULL, &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PERMISSION);
  g_clear_error (&error);

  /* a manager closes it */
  dd_context_set_agent (office->context, MANAGER_ID, "Marek Manager", TRUE);
  dd_case_page_refresh (page);
  g_assert_true (gtk_widget_get_visible (_dd_case_page_get_close_button (page)));
  g_assert_true (_dd_case_page_close (page, "Zapłacone", &error));
  g_assert_no_error (error);
  sql = g_strdup_printf ("SELECT status = 'closed' FROM debt_case WHERE id = %" G_GINT64_FORMAT,
                         case_id);
  g_assert_cmpint (dd_test_query_int (office->database, sql), ==, 1);
  g_assert_false (gtk_widget_get_visible (_dd_case_page_get_close_button (page)));

  /* back to the list */
  g_signal_emit_by_name (template_child (view, "back_button"), "clicked");
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "list");

  dd_test_destroy_window (window);
}

static void
test_cases_view_export (void)
{
  g_autoptr(DdTestOffice) office = office_new ();
  gint64 n_cases = dd_test_query_int (office->database, "SELECT COUNT(*) FROM debt_case");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GFile) file = NULL;
  DdCasesView *view;
  GtkWindow *window = show_view (office->context, &view);
  guint n_lines = 0;

  path = g_build_filename (office->dir, "cases.csv", NULL);
  file = g_file_new_for_path (path);
  g_assert_true (_dd_cases_view_export_to_file (view, file, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  for (const char *p = contents; *p != '\0'; p++)
    if (*p == '\n')
      n_lines++;
  g_assert_cmpuint (n_lines, ==, n_cases + 1);

  /* only the selection: the header and the two selected cases, in the list's order */
  {
    GtkColumnView *column_view = GTK_COLUMN_VIEW (template_child (view, "column_view"));
    GtkSelectionModel *selection = gtk_column_view_get_model (column_view);
    g_autoptr(DdCaseRow) second = g_list_model_get_item (G_LIST_MODEL (selection), 1);
    g_autoptr(DdCaseRow) fourth = g_list_model_get_item (G_LIST_MODEL (selection), 3);
    g_auto(GStrv) lines = NULL;
    g_autofree char *second_id = NULL;
    g_autofree char *fourth_id = NULL;

    gtk_selection_model_select_item (selection, 3, TRUE);
    gtk_selection_model_select_item (selection, 1, FALSE);
    g_clear_pointer (&contents, g_free);
    g_assert_true (_dd_cases_view_export_to_file (view, file, TRUE, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
    lines = g_strsplit (contents, "\r\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 4);   /* header, 2 cases, "" after the last */
    second_id = g_strdup_printf ("%" G_GINT64_FORMAT ";", dd_case_row_get_id (second));
    fourth_id = g_strdup_printf ("%" G_GINT64_FORMAT ";", dd_case_row_get_id (fourth));
    g_assert_true (g_str_has_prefix (lines[1], second_id));
    g_assert_true (g_str_has_prefix (lines[2], fourth_id));
  }

  dd_test_destroy_window (window);
}

static void
on_filter_saved (DdCasesView *view,
                 gint64       filter_id,
                 gint64      *out_id)
{
  *out_id = filter_id;
}

static GtkWidget *
wait_for_button (GtkWidget  *widget,
                 const char *label)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  GtkWidget *button;

  while ((button = dd_test_find_button (widget, label)) == NULL &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_nonnull (button);
  return button;
}

static void
test_cases_view_bulk_and_filter (void)
{
  g_autoptr(DdTestOffice) office = office_new ();
  gint64 n_cases = dd_test_query_int (office->database, "SELECT COUNT(*) FROM debt_case");
  g_autoptr(GError) error = NULL;
  DdCasesView *view;
  GtkWindow *window = show_view (office->context, &view);
  GtkColumnView *column_view = GTK_COLUMN_VIEW (template_child (view, "column_view"));
  GtkSelectionModel *selection = gtk_column_view_get_model (column_view);
  GtkActionBar *bar = GTK_ACTION_BAR (template_child (view, "action_bar"));
  gint64 filter_id = 0;

  /* bulk actions appear for more than one selected case */
  g_assert_false (gtk_action_bar_get_revealed (bar));
  gtk_selection_model_select_item (selection, 0, TRUE);
  g_assert_false (gtk_action_bar_get_revealed (bar));
  gtk_selection_model_select_item (selection, 1, FALSE);
  gtk_selection_model_select_item (selection, 2, FALSE);
  g_assert_true (gtk_action_bar_get_revealed (bar));
  g_assert_true (_dd_cases_view_bulk_assign (view, CONSULTANT_ID, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT COUNT(*) FROM debt_case WHERE agent_id = 2"), ==, 3);

  /* the toast offers Undo, which puts the assignment back (and says so in the timeline) */
  gtk_widget_activate (wait_for_button (GTK_WIDGET (window), "_Undo"));
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;

    /* a button activated by the keyboard clicks after its short pressed look */
    while (dd_test_query_int (office->database,
                              "SELECT COUNT(*) FROM activity WHERE kind = 'undo'") == 0
           && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT COUNT(*) FROM debt_case WHERE agent_id = 2"), ==, 0);
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT COUNT(*) FROM activity WHERE kind = 'undo'"), ==, 3);
  g_assert_true (_dd_cases_view_bulk_assign (view, CONSULTANT_ID, &error));
  g_assert_no_error (error);

  /* saving the current filter */
  g_signal_connect (view, "filter-saved", G_CALLBACK (on_filter_saved), &filter_id);
  _dd_cases_view_set_status_filter (view, DD_CASE_STATUS_NO_ANSWER, TRUE);
  g_assert_true (_dd_cases_view_save_filter (view, "Bez odpowiedzi", &error));
  g_assert_no_error (error);
  g_assert_cmpint (filter_id, >, 0);
  g_assert_cmpint (dd_test_query_int (office->database, "SELECT COUNT(*) FROM saved_filter"
                                                        " WHERE name = 'Bez odpowiedzi'"),
                   ==, 1);

  /* a saved filter applied from the sidebar */
  {
    g_autoptr(DdCaseQuery) query = dd_case_query_new ();

    dd_cases_view_set_query (view, query);
    g_assert_cmpuint (n_items (view), ==, n_cases);
    dd_case_query_add_status (query, DD_CASE_STATUS_CLOSED);
    dd_cases_view_set_query (view, query);
    g_assert_cmpuint (n_items (view), ==, 0);
    g_assert_true (gtk_check_button_get_active (
      GTK_CHECK_BUTTON (gtk_widget_get_last_child (template_child (view, "status_box")))));
  }

  dd_test_destroy_window (window);
}

/* The message dialog on screen, after it had time to map. */
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

/* The visible message under @entry (its next sibling), or NULL. */
static const char *
entry_message (GtkWidget *entry)
{
  GtkWidget *label = gtk_widget_get_next_sibling (entry);

  g_assert_true (GTK_IS_LABEL (label));
  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

/* Closes @dialog as its buttons do, and iterates until it is gone. */
static void
close_dialog (AdwMessageDialog *dialog)
{
  GtkWidget *widget = GTK_WIDGET (dialog);
  gint64 deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;

  g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &widget);
  gtk_window_close (GTK_WINDOW (dialog));
  while (widget != NULL && gtk_widget_get_mapped (widget) && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (G_TIME_SPAN_MILLISECOND);
    }
  if (widget != NULL)
    {
      g_assert_false (gtk_widget_get_mapped (widget));
      g_object_remove_weak_pointer (G_OBJECT (widget), (gpointer *) &widget);
    }
}

/* Issue 12, item 5/6: a declaration amount of letters, a promised date in the past, an amount
 * above the balance and a next contact in the past are shown under their entry while the
 * dialog stays open with the input; Set is off until the input is right. */
static void
test_cases_view_inline_validation (void)
{
  g_autoptr(DdTestOffice) office = office_new ();
  g_autoptr(GError) error = NULL;
  DdCasesView *view;
  GtkWindow *window = show_view (office->context, &view);
  DdCasePage *page = _dd_cases_view_get_case_page (view);
  GtkWidget *status_button, *next_button;
  AdwMessageDialog *dialog;
  GtkWidget *amount, *promised_on, *above, *next;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) in_week = g_date_time_add_days (now, 7);
  g_autoptr(GDateTime) in_year = g_date_time_add_days (now, 200);
  g_autofree char *week = g_date_time_format (in_week, "%Y-%m-%d");
  g_autofree char *far = g_date_time_format (in_year, "%Y-%m-%d");
  gint64 case_id = dd_case_list_get_case_id (_dd_cases_view_get_list (view), 0);
  g_autofree char *balance_sql = g_strdup_printf ("SELECT balance_minor FROM debt_case WHERE id = %"
                                                  G_GINT64_FORMAT, case_id);
  gint64 balance = dd_test_query_int (office->database, balance_sql);
  g_autofree char *above_text = g_strdup_printf ("%" G_GINT64_FORMAT, balance / 100 + 1000);
  g_autofree char *count_sql = g_strdup_printf ("SELECT COUNT(*) FROM declaration WHERE case_id = %"
                                                G_GINT64_FORMAT, case_id);

  _dd_cases_view_activate (view, 0);
  status_button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), DD_TYPE_CASE_PAGE,
                                                             "set_status_button"));
  g_signal_emit_by_name (status_button, "clicked");
  dialog = wait_for_dialog ();
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dd_test_find_descendant (GTK_WIDGET (dialog),
                                                           GTK_TYPE_DROP_DOWN)), 3);
  amount = find_entry (GTK_WIDGET (dialog), "Amount declared");
  promised_on = find_entry (GTK_WIDGET (dialog), "Promised payment date");
  above = dd_test_find_descendant (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON);
  g_assert_nonnull (amount);
  g_assert_nonnull (promised_on);
  g_assert_nonnull (above);

  /* letters */
  gtk_editable_set_text (GTK_EDITABLE (amount), "abc");
  g_assert_true (gtk_widget_has_css_class (amount, "error"));
  g_assert_nonnull (entry_message (amount));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "ok"));
  /* Enter does not close it: the input stays */
  gtk_widget_activate (amount);
  dd_test_iterate_for (100);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (amount)), ==, "abc");

  /* an amount the debtor owes */
  gtk_editable_set_text (GTK_EDITABLE (amount), "10");
  g_assert_false (gtk_widget_has_css_class (amount, "error"));
  g_assert_null (entry_message (amount));
  g_assert_false (gtk_widget_get_visible (above));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "ok"));

  /* a date in the past, then too far ahead */
  gtk_editable_set_text (GTK_EDITABLE (promised_on), "2020-01-01");
  g_assert_true (gtk_widget_has_css_class (promised_on, "error"));
  g_assert_nonnull (strstr (entry_message (promised_on), "today or later"));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "ok"));
  gtk_editable_set_text (GTK_EDITABLE (promised_on), far);
  g_assert_true (gtk_widget_has_css_class (promised_on, "error"));
  g_assert_nonnull (strstr (entry_message (promised_on), "90 days"));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "ok"));
  gtk_editable_set_text (GTK_EDITABLE (promised_on), week);
  g_assert_false (gtk_widget_has_css_class (promised_on, "error"));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "ok"));

  /* more than the balance: asks for the confirmation */
  gtk_editable_set_text (GTK_EDITABLE (amount), above_text);
  g_assert_true (gtk_widget_get_visible (above));
  g_assert_true (gtk_widget_has_css_class (amount, "error"));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "ok"));
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "above-balance");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (above), TRUE);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "ok"));
  g_assert_nonnull (entry_message (amount));
  g_assert_cmpint (dd_test_query_int (office->database, count_sql), ==, 0);
  /* as the Set button does: the response, then the dialog closes */
  adw_message_dialog_response (dialog, "ok");
  close_dialog (dialog);
  g_assert_cmpint (dd_test_query_int (office->database, count_sql), ==, 1);

  /* the next contact in the past */
  next_button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), DD_TYPE_CASE_PAGE,
                                                           "next_contact_button"));
  g_test_message ("next contact");
  g_signal_emit_by_name (next_button, "clicked");
  dialog = wait_for_dialog ();
  next = find_entry (GTK_WIDGET (dialog), "YYYY-MM-DD HH:MM (empty: none)");
  gtk_editable_set_text (GTK_EDITABLE (next), "2020-01-01 10:00");
  g_assert_true (gtk_widget_has_css_class (next, "error"));
  g_assert_nonnull (entry_message (next));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "ok"));
  gtk_widget_activate (next);
  dd_test_iterate_for (100);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (next)), ==, "2020-01-01 10:00");
  gtk_editable_set_text (GTK_EDITABLE (next), "");
  g_assert_false (gtk_widget_has_css_class (next, "error"));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "ok"));
  close_dialog (dialog);

  dd_test_destroy_window (window);
}

/* Issue 12, item 7: a consultant saw Close Case… enabled and was refused only after writing
 * the comment. What a role may not do is shown insensitive with the reason, and follows the
 * agent at the desk. */
static void
test_cases_view_role_actions (void)
{
  g_autoptr(DdTestOffice) office = office_new ();
  g_autoptr(GError) error = NULL;
  DdCasesView *view;
  GtkWindow *window;
  DdCasePage *page;
  GtkWidget *close, *status, *note, *bulk_status;
  GtkSelectionModel *selection;

  dd_context_set_agent (office->context, CONSULTANT_ID, "Anna Konsultant", FALSE);
  window = show_view (office->context, &view);
  page = _dd_cases_view_get_case_page (view);
  close = _dd_case_page_get_close_button (page);
  status = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), DD_TYPE_CASE_PAGE,
                                                      "set_status_button"));
  note = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), DD_TYPE_CASE_PAGE,
                                                    "add_note_button"));
  bulk_status = template_child (view, "bulk_status_button");
  selection = gtk_column_view_get_model (GTK_COLUMN_VIEW (template_child (view, "column_view")));

  _dd_cases_view_activate (view, 0);
  g_assert_true (gtk_widget_get_visible (close));
  g_assert_false (gtk_widget_get_sensitive (close));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (close), ==, "Only a manager can close a case.");
  g_assert_true (gtk_widget_get_sensitive (status));
  g_assert_true (gtk_widget_get_sensitive (note));
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "consultant");

  /* the manager sits down: no reload needed */
  dd_context_set_agent (office->context, MANAGER_ID, "Marek Manager", TRUE);
  g_assert_true (gtk_widget_get_sensitive (close));
  g_assert_null (gtk_widget_get_tooltip_text (close));
  g_assert_true (_dd_case_page_close (page, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (gtk_widget_get_visible (close));
  g_assert_true (gtk_widget_get_sensitive (status));

  /* a closed case: setting a status reopens it, which a consultant may not */
  dd_context_set_agent (office->context, CONSULTANT_ID, "Anna Konsultant", FALSE);
  g_assert_false (gtk_widget_get_sensitive (status));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (status), ==,
                   "Only a manager can reopen a closed case.");
  g_assert_true (gtk_widget_get_sensitive (note));

  /* nor in bulk, when the selection holds the closed case */
  gtk_selection_model_select_item (selection, 1, TRUE);
  gtk_selection_model_select_item (selection, 2, FALSE);
  g_assert_true (gtk_widget_get_sensitive (bulk_status));
  gtk_selection_model_select_item (selection, dd_case_list_find (_dd_cases_view_get_list (view),
                                                                 dd_case_page_get_case_id (page)),
                                   FALSE);
  g_assert_false (gtk_widget_get_sensitive (bulk_status));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (bulk_status), ==,
                   "Only a manager can reopen a closed case.");
  dd_context_set_agent (office->context, MANAGER_ID, "Marek Manager", TRUE);
  g_assert_true (gtk_widget_get_sensitive (bulk_status));

  /* once the manager has a password, the consultant may go on: asked for it, not refused */
  {
    g_autoptr(DdAgentStore) agents = dd_agent_store_new (office->database);
    GListModel *toplevels = gtk_window_get_toplevels ();
    gboolean asked = FALSE, status_dialog = FALSE;

    g_assert_true (dd_users_set_password (agents, MANAGER_ID, "Kierownik-1", &error));
    g_assert_no_error (error);
    dd_context_set_agent (office->context, CONSULTANT_ID, "Anna Konsultant", FALSE);
    gtk_selection_model_select_item (selection, 1, TRUE);
    gtk_selection_model_select_item (selection,
                                     dd_case_list_find (_dd_cases_view_get_list (view),
                                                        dd_case_page_get_case_id (page)), FALSE);
    g_assert_true (gtk_widget_get_sensitive (bulk_status));
    g_signal_emit_by_name (bulk_status, "clicked");
    dd_test_iterate_for (300);
    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
        const char *heading;

        if (!ADW_IS_MESSAGE_DIALOG (w) || !gtk_widget_get_visible (GTK_WIDGET (w)))
          continue;
        heading = adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (w));
        asked |= g_strcmp0 (heading, "Manager’s Password") == 0;
        status_dialog |= g_strcmp0 (heading, "Set Status of the Selected Cases") == 0;
        adw_message_dialog_response (ADW_MESSAGE_DIALOG (w), "cancel");
        gtk_window_destroy (GTK_WINDOW (w));
      }
    g_assert_true (asked);
    g_assert_false (status_dialog);
    dd_test_iterate_for (200);
  }

  /* nobody at the desk: nothing to do, and why */
  dd_context_set_agent (office->context, 0, NULL, FALSE);
  g_assert_false (gtk_widget_get_sensitive (note));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (note), ==,
                   "Only an active agent can change cases.");

  dd_test_destroy_window (window);
}

/* The title of the first (newest) row of the case page's timeline. */
static const char *
first_timeline_title (DdCasePage *page)
{
  GtkListBox *timeline = GTK_LIST_BOX (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                                      DD_TYPE_CASE_PAGE,
                                                                      "timeline_list"));
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (timeline, 0);

  g_assert_true (ADW_IS_ACTION_ROW (row));
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

/* Issue 12, item 9: a case opened from the list opened where the previous one was scrolled
 * to; the timeline row of a status change showed only the comment; no days overdue. */
static void
test_cases_view_case_page_details (void)
{
  g_autoptr(DdTestOffice) office = office_new ();
  g_autoptr(GError) error = NULL;
  DdCasesView *view;
  GtkWindow *window = show_view (office->context, &view);
  DdCaseList *list = _dd_cases_view_get_list (view);
  DdCasePage *page = _dd_cases_view_get_case_page (view);
  GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (
    gtk_widget_get_template_child (GTK_WIDGET (page), DD_TYPE_CASE_PAGE, "scrolled_window"));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  DdStatusChange change = { .status = DD_CASE_STATUS_NO_ANSWER, .note = "Nie odbiera" };
  gint64 deadline;

  /* a long first case, scrolled down */
  _dd_cases_view_activate (view, 0);
  /* an empty list says so (its placeholder survives the page's refreshes) */
  {
    GtkListBox *declarations = GTK_LIST_BOX (gtk_widget_get_template_child (
      GTK_WIDGET (page), DD_TYPE_CASE_PAGE, "declarations_list"));
    GtkWidget *placeholder = gtk_widget_get_first_child (GTK_WIDGET (declarations));

    dd_test_iterate_for (100);
    g_assert_true (GTK_IS_LABEL (placeholder));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (placeholder)), ==, "No payment declarations");
    g_assert_true (gtk_widget_get_mapped (placeholder));
  }
  for (guint i = 0; i < 12; i++)
    g_assert_true (_dd_case_page_add_note (page, "Notatka", &error));
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  while (gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) < 200
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment) -
                     gtk_adjustment_get_page_size (adjustment), >=, 200);
  gtk_adjustment_set_value (adjustment, 200);
  dd_test_iterate_for (100);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 200);

  /* the timeline says what changed, the comment under it */
  g_assert_true (_dd_case_page_set_status (page, &change, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (first_timeline_title (page), ==, "Status: New → No answer");

  /* back to the list, another case: at its top */
  g_signal_emit_by_name (template_child (view, "back_button"), "clicked");
  _dd_cases_view_activate (view, 1);
  dd_test_iterate_for (100);
  g_assert_cmpint (dd_case_page_get_case_id (page), ==, dd_case_list_get_case_id (list, 1));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);
  /* the same case refreshed after an action keeps its place */
  _dd_cases_view_activate (view, 0);
  dd_test_iterate_for (100);
  gtk_adjustment_set_value (adjustment, 150);
  g_assert_true (_dd_case_page_add_note (page, "Jeszcze jedna", &error));
  g_assert_no_error (error);
  dd_test_iterate_for (100);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 0);

  /* Days Overdue, next to Oldest Due, sorts the list in the database */
  {
    GtkColumnView *column_view = GTK_COLUMN_VIEW (template_child (view, "column_view"));
    GListModel *columns = gtk_column_view_get_columns (column_view);
    g_autoptr(GtkColumnViewColumn) days = g_list_model_get_item (columns, 4);
    g_autoptr(DdCaseRow) first = NULL;
    g_autoptr(DdCaseRow) second = NULL;
    g_autoptr(DdCaseRow) last = NULL;

    g_assert_cmpuint (g_list_model_get_n_items (columns), ==, 8);
    g_assert_cmpstr (gtk_column_view_column_get_title (days), ==, "Days Overdue");
    gtk_column_view_sort_by_column (column_view, days, GTK_SORT_DESCENDING);
    g_assert_cmpint (dd_cases_view_get_query (view)->sort, ==, DD_CASE_SORT_DAYS_OVERDUE);
    g_assert_true (dd_cases_view_get_query (view)->descending);
    first = g_list_model_get_item (G_LIST_MODEL (list), 0);
    second = g_list_model_get_item (G_LIST_MODEL (list), 1);
    last = g_list_model_get_item (G_LIST_MODEL (list), n_items (view) - 1);
    g_assert_cmpuint (dd_case_row_get_days_overdue (first, NULL), >,
                      dd_case_row_get_days_overdue (last, NULL));
    g_assert_cmpuint (dd_case_row_get_days_overdue (first, NULL), >=,
                      dd_case_row_get_days_overdue (second, NULL));
    g_signal_emit_by_name (template_child (view, "back_button"), "clicked");
    dd_test_save_screenshot (SCREENSHOT_PREFIX, "days-overdue");
  }

  dd_test_destroy_window (window);
}

/* pdftotext's text of @pdf, its no-break spaces as plain ones. */
static char *
letter_pdf_text (const char *pdf)
{
  g_autofree char *txt = g_strconcat (pdf, ".txt", NULL);
  g_autofree char *cmd = g_strdup_printf ("pdftotext '%s' '%s'", pdf, txt);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) a = NULL;
  g_autofree char *b = NULL;
  g_auto(GStrv) c = NULL;

  g_assert_cmpint (system (cmd), ==, 0);
  g_assert_true (g_file_get_contents (txt, &text, NULL, &error));
  g_assert_no_error (error);
  a = g_strsplit (text, "\u00a0", -1);
  b = g_strjoinv (" ", a);
  c = g_strsplit (b, "\u202f", -1);
  return g_strjoinv (" ", c);
}

static char *
plain_spaces (const char *text)
{
  g_auto(GStrv) a = g_strsplit (text, "\u00a0", -1);
  g_autofree char *b = g_strjoinv (" ", a);
  g_auto(GStrv) c = g_strsplit (b, "\u202f", -1);

  return g_strjoinv (" ", c);
}

/* Demand Letter… on the case page, as its button does it; waits for the letter's threads. */
static const char *
make_letter (DdCasePage *page)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "case-page.demand-letter", NULL));
  g_assert_true (_dd_case_page_is_making_letter (page));
  while (_dd_case_page_is_making_letter (page) && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (G_TIME_SPAN_MILLISECOND);
    }
  g_assert_false (_dd_case_page_is_making_letter (page));
  return _dd_case_page_get_letter_message (page);
}

/* Issue: no way to make a demand letter from the case page. The page's Demand Letter… makes
 * the letter of the case as `letters --case N` does, saves it where asked and records it in
 * the timeline; it says why when there is no letter to make. */
static void
test_cases_view_demand_letter (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new ("cases-view");
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("dd-case-letter-XXXXXX", &error);
  g_autofree char *pdf = g_build_filename (folder, "wezwanie.pdf", NULL);
  g_autofree char *nowhere = g_build_filename (folder, "no-such-folder", "wezwanie.pdf", NULL);
  g_autoptr(GFile) pdf_file = g_file_new_for_path (pdf);
  g_autoptr(GFile) nowhere_file = g_file_new_for_path (nowhere);
  g_autofree char *letters_sql = NULL;
  g_autofree char *timeline_sql = NULL;
  DdCasesView *view;
  GtkWindow *window;
  GtkWidget *button;
  DdCasePage *page;
  gint64 case_id;
  const char *message;

  g_assert_no_error (error);
  dd_test_office_import_demo (office, 200, "pl", 7);
  office->backend = g_memory_settings_backend_new ();
  office->settings = g_settings_new_with_backend (APPLICATION_ID, office->backend);
  office->context = dd_context_new (office->database, office->settings);
  window = show_view (office->context, &view);
  page = _dd_cases_view_get_case_page (view);

  /* a case with open invoices */
  case_id = dd_test_query_int (office->database,
                               "SELECT c.id FROM debt_case c WHERE c.status <> 'closed'"
                               " AND EXISTS (SELECT 1 FROM liability l WHERE l.case_id = c.id"
                               " AND l.paid_at IS NULL) ORDER BY c.id LIMIT 1");
  g_assert_cmpint (case_id, >, 0);
  dd_cases_view_open_case (view, case_id);
  dd_test_iterate_for (100);
  letters_sql = g_strdup_printf ("SELECT COUNT(*) FROM letter WHERE case_id = %" G_GINT64_FORMAT,
                                 case_id);
  timeline_sql = g_strdup_printf ("SELECT COUNT(*) FROM activity WHERE kind = 'letter'"
                                  " AND case_id = %" G_GINT64_FORMAT, case_id);

  /* the button is on the page, with its action */
  button = dd_test_find_button (GTK_WIDGET (page), "Demand _Letter…");
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==,
                   "case-page.demand-letter");
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_true (gtk_widget_get_focusable (button));

  /* no office name yet: it says where to enter it, and writes nothing */
  _dd_case_page_set_letter_file (pdf_file);
  message = make_letter (page);
  g_assert_nonnull (strstr (message, "Enter the office’s name first"));
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
  g_assert_cmpint (dd_test_query_int (office->database, letters_sql), ==, 0);
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "letter-no-office");

  /* a file that cannot be written: says so, records nothing */
  g_settings_set_string (office->settings, "office-name", "Kancelaria Windykacyjna Lex");
  g_settings_set_string (office->settings, "office-address", "ul. Długa 1\n00-001 Warszawa");
  _dd_case_page_set_letter_file (nowhere_file);
  message = make_letter (page);
  g_assert_true (g_str_has_prefix (message, "The letter could not be saved: "));
  g_assert_cmpint (dd_test_query_int (office->database, letters_sql), ==, 0);
  g_assert_cmpint (dd_test_query_int (office->database, timeline_sql), ==, 0);

  /* the letter: saved, with the debtor and the amount, and in the timeline */
  _dd_case_page_set_letter_file (pdf_file);
  message = make_letter (page);
  g_assert_cmpstr (message, ==, "Demand letter saved and recorded in the timeline");
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (dd_test_query_int (office->database, letters_sql), ==, 1);
  g_assert_cmpint (dd_test_query_int (office->database, timeline_sql), ==, 1);
  {
    g_autofree char *text = letter_pdf_text (pdf);
    g_autofree char *debtor_sql = g_strdup_printf ("SELECT d.name FROM debtor d JOIN debt_case c"
                                                   " ON c.debtor_id = d.id WHERE c.id = %"
                                                   G_GINT64_FORMAT, case_id);
    g_autofree char *debtor = dd_test_query_text (office->database, debtor_sql);
    g_autofree char *sql = g_strdup_printf ("SELECT pdf_path FROM letter WHERE case_id = %"
                                            G_GINT64_FORMAT, case_id);
    g_autofree char *recorded = dd_test_query_text (office->database, sql);
    g_autofree char *principal_sql = g_strdup_printf ("SELECT principal_minor FROM letter"
                                                      " WHERE case_id = %" G_GINT64_FORMAT,
                                                      case_id);
    gint64 principal = dd_test_query_int (office->database, principal_sql);
    g_autofree char *currency_sql = g_strdup_printf ("SELECT currency FROM debt_case WHERE id = %"
                                                     G_GINT64_FORMAT, case_id);
    g_autofree char *currency = dd_test_query_text (office->database, currency_sql);
    g_autofree char *amount = dd_money_format (principal, currency, "pl");
    g_autofree char *plain_amount = plain_spaces (amount);

    g_assert_cmpint (principal, >, 0);
    g_assert_nonnull (strstr (text, debtor));
    g_assert_nonnull (strstr (text, plain_amount));
    g_assert_nonnull (strstr (text, "Kancelaria Windykacyjna Lex"));
    g_assert_cmpstr (recorded, ==, pdf);
  }
  /* the page shows it in its timeline, at the top */
  g_assert_cmpstr (first_timeline_title (page), !=, NULL);
  {
    GtkListBox *timeline = GTK_LIST_BOX (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                                        DD_TYPE_CASE_PAGE,
                                                                        "timeline_list"));
    GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (timeline, 0));
    GtkWidget *icon = dd_test_find_descendant (row, GTK_TYPE_IMAGE);

    g_assert_nonnull (icon);
    g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (icon)), ==,
                     "x-office-document-symbolic");
  }
  {
    GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (
      gtk_widget_get_template_child (GTK_WIDGET (page), DD_TYPE_CASE_PAGE, "scrolled_window"));
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);

    dd_test_iterate_for (300);
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    dd_test_iterate_for (300);
    dd_test_save_screenshot (SCREENSHOT_PREFIX, "letter-saved");
  }

  /* nothing owed: says so, no file, nothing recorded */
  {
    gint64 paid_id = dd_test_query_int (office->database,
                                        "SELECT id FROM debt_case WHERE status <> 'closed'"
                                        " ORDER BY id DESC LIMIT 1");
    g_autofree char *pay = g_strdup_printf ("UPDATE liability SET paid_at = '2026-12-01'"
                                            " WHERE case_id = %" G_GINT64_FORMAT, paid_id);
    g_autofree char *paid_letters = g_strdup_printf ("SELECT COUNT(*) FROM letter WHERE"
                                                     " case_id = %" G_GINT64_FORMAT, paid_id);

    g_assert_cmpint (paid_id, !=, case_id);
    g_assert_true (dd_database_exec (office->database, pay, &error));
    g_assert_no_error (error);
    g_assert_true (g_remove (pdf) == 0);
    dd_cases_view_open_case (view, paid_id);
    dd_test_iterate_for (100);
    message = make_letter (page);
    g_assert_cmpstr (message, ==, "Nothing is owed on this case: no letter");
    g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
    g_assert_cmpint (dd_test_query_int (office->database, paid_letters), ==, 0);
  }

  _dd_case_page_set_letter_file (NULL);
  dd_test_destroy_window (window);
  {
    g_autofree char *txt = g_strconcat (pdf, ".txt", NULL);

    g_remove (txt);
    g_remove (folder);
  }
}

/* Demand Letter… in English, Polish and Russian at 1024×700 and 1280×800: the page with its
 * button and the no-office toast, then the saved letter in the timeline (screenshots). */
static void
test_cases_view_demand_letter_languages (void)
{
  static const struct { const char *language; int width, height; } cases[] = {
    { "en", 1024, 700 }, { "en", 1280, 800 },
    { "pl", 1024, 700 }, { "pl", 1280, 800 },
    { "ru", 1024, 700 }, { "ru", 1280, 800 },
  };
  g_autoptr(DdTestOffice) office = dd_test_office_new ("cases-view");

  dd_test_office_import_demo (office, 20, "pl", 7);
  office->backend = g_memory_settings_backend_new ();
  office->settings = g_settings_new_with_backend (APPLICATION_ID, office->backend);
  office->context = dd_context_new (office->database, office->settings);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *pdf = g_build_filename (office->dir, "letter.pdf", NULL);
      g_autoptr(GFile) file = g_file_new_for_path (pdf);
      g_autofree char *case_sql = NULL;
      GtkWindow *window;
      DdCasesView *view;
      DdCasePage *page;
      GtkAdjustment *adjustment;
      gint64 case_id;

      /* before the widgets are made: their templates are translated as they are built */
      if (g_strcmp0 (cases[i].language, "en") != 0 && !dd_test_use_language (cases[i].language))
        {
          g_test_message ("no %s catalog in this build", cases[i].language);
          continue;
        }
      window = GTK_WINDOW (adw_window_new ());
      view = DD_CASES_VIEW (dd_cases_view_new (office->context));
      page = _dd_cases_view_get_case_page (view);
      adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (
        gtk_widget_get_template_child (GTK_WIDGET (page), DD_TYPE_CASE_PAGE, "scrolled_window")));
      /* a case of its own each time, so that its timeline shows one letter */
      case_sql = g_strdup_printf ("SELECT c.id FROM debt_case c WHERE c.status <> 'closed'"
                                  " AND EXISTS (SELECT 1 FROM liability l WHERE l.case_id = c.id"
                                  " AND l.paid_at IS NULL) ORDER BY c.id LIMIT 1 OFFSET %u", i);
      case_id = dd_test_query_int (office->database, case_sql);
      g_assert_cmpint (case_id, >, 0);
      adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (view));
      gtk_window_set_default_size (window, cases[i].width, cases[i].height);
      gtk_window_present (window);
      dd_test_wait_until_mapped (GTK_WIDGET (view));
      dd_cases_view_open_case (view, case_id);

      g_settings_set_string (office->settings, "office-name", "");
      _dd_case_page_set_letter_file (file);
      make_letter (page);
      dd_test_iterate_for (300);
      name = g_strdup_printf ("letter-no-office-%s-%dx%d", cases[i].language, cases[i].width,
                              cases[i].height);
      dd_test_save_screenshot (SCREENSHOT_PREFIX, name);

      g_settings_set_string (office->settings, "office-name", "Kancelaria Windykacyjna Lex");
      make_letter (page);
      g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
      dd_test_iterate_for (300);
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      dd_test_iterate_for (300);
      g_free (name);
      name = g_strdup_printf ("letter-saved-%s-%dx%d", cases[i].language, cases[i].width,
                              cases[i].height);
      dd_test_save_screenshot (SCREENSHOT_PREFIX, name);

      _dd_case_page_set_letter_file (NULL);
      dd_test_destroy_window (window);
      g_remove (pdf);
    }
}

static void
test_cases_view_empty (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("cases-view", FALSE);
  DdCasesView *view;
  GtkWindow *window;
  AdwStatusPage *empty;

  window = show_view (office->context, &view);
  empty = ADW_STATUS_PAGE (template_child (view, "empty_page"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (template_child (view, "stack"))),
                   ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (empty), ==, "No Cases Yet");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (empty)));
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "empty");

  dd_test_destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "Europe/Warsaw", TRUE);
  g_test_init (&argc, &argv, NULL);
  adw_init ();

  dd_test_use_app_style ();

  g_test_add_func ("/dd/ui/cases-view/list", test_cases_view_list);
  g_test_add_func ("/dd/ui/cases-view/case-page", test_cases_view_case_page);
  g_test_add_func ("/dd/ui/cases-view/export", test_cases_view_export);
  g_test_add_func ("/dd/ui/cases-view/bulk-and-filter", test_cases_view_bulk_and_filter);
  g_test_add_func ("/dd/ui/cases-view/empty", test_cases_view_empty);
  g_test_add_func ("/dd/ui/cases-view/inline-validation", test_cases_view_inline_validation);
  g_test_add_func ("/dd/ui/cases-view/role-actions", test_cases_view_role_actions);
  g_test_add_func ("/dd/ui/cases-view/case-page-details", test_cases_view_case_page_details);
  g_test_add_func ("/dd/ui/cases-view/demand-letter", test_cases_view_demand_letter);
  /* last: it switches the messages to Polish and Russian */
  g_test_add_func ("/dd/ui/cases-view/demand-letter-languages",
                   test_cases_view_demand_letter_languages);

  return g_test_run ();
}
