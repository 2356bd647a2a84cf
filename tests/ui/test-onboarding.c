/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The first start assistant: walked step by step on a new office, it writes the office's
 * settings and the manager's name and password, makes a demo office of its own, opens the
 * editors of Preferences and is not needed again; screenshots of its pages in English, Polish
 * and Russian. And the sign-in screen of an office whose users have passwords. */
#define G_LOG_DOMAIN "test-onboarding"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "dd-agent-store.h"
#include "dd-case-page.h"
#include "dd-case-page-private.h"
#include "dd-case-store.h"
#include "dd-context.h"
#include "dd-creditors-group.h"
#include "dd-database.h"
#include "dd-import-assistant.h"
#include "dd-manager-unlock.h"
#include "dd-onboarding.h"
#include "dd-preferences-window.h"
#include "dd-region.h"
#include "dd-sign-in-window.h"
#include "dd-sip-account-editor.h"
#include "dd-test-ui.h"
#include "dd-users.h"

#define SCREENSHOT_PREFIX "test-onboarding"

static gpointer
child (DdOnboarding *onboarding,
       const char   *name)
{
  return dd_test_template_child (onboarding, DD_TYPE_ONBOARDING, name);
}

static void
assert_setting (GSettings  *settings,
                const char *key,
                const char *expected)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  g_assert_cmpstr (value, ==, expected);
}

static void
next (DdOnboarding *onboarding)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (onboarding), "onboarding.next", NULL));
  dd_test_iterate_for (300);
}

/* The keyboard focus is on the step shown */
static void
assert_focus_on_step (DdOnboarding *onboarding)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (onboarding));
  GtkWidget *page = gtk_stack_get_visible_child (child (onboarding, "stack"));

  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, page));
}

static void
on_demo_created (DdOnboarding *onboarding,
                 const char   *path,
                 char        **out_path)
{
  g_free (*out_path);
  *out_path = g_strdup (path);
}

static gboolean
string_set (gpointer data)
{
  return *(char **) data != NULL;
}

static void
close_toplevel (GType type)
{
  GtkWindow *window = dd_test_find_toplevel (type, NULL);

  g_assert_nonnull (window);
  dd_test_destroy_window (window);
}

static gboolean
is_row_titled (GtkWidget *widget,
               gpointer   title)
{
  return ADW_IS_PREFERENCES_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  return dd_test_find_widget (root, is_row_titled, (gpointer) title);
}

static void
test_walk (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("onboarding", TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *demo_path = g_build_filename (office->dir, "demo.db", NULL);
  g_autofree char *created = NULL;
  g_autoptr(DdDatabase) demo = NULL;
  GSettings *settings = office->settings;
  DdOnboarding *onboarding;
  AdwComboRow *row;
  gint64 manager_id = 0;

  /* a new office in a Polish desktop, with the first manager the window makes */
  dd_region_settings_init (settings, "pl_PL.UTF-8");
  {
    g_autoptr(DdAgentStore) agents = dd_agent_store_new (office->database);

    g_assert_true (dd_agent_store_ensure_first (agents, "first", &manager_id, &error));
    g_assert_no_error (error);
    dd_context_set_agent (office->context, manager_id, "first", TRUE);
  }
  g_assert_true (dd_onboarding_is_needed (office->context));

  onboarding = dd_test_show_window (dd_onboarding_new (NULL, office->context));
  dd_onboarding_set_demo_path (onboarding, demo_path);
  g_signal_connect (onboarding, "demo-created", G_CALLBACK (on_demo_created), &created);

  /* 1. the office: prefilled from the locale, written as chosen */
  g_assert_cmpstr (dd_onboarding_get_step (onboarding), ==, "office");
  g_assert_false (gtk_widget_is_sensitive (child (onboarding, "back_button")));
  assert_focus_on_step (onboarding);
  row = child (onboarding, "country_row");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==,
                    dd_test_find_string (adw_combo_row_get_model (row), "Poland (PL)"));
  row = child (onboarding, "language_row");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==,
                    dd_test_find_string (adw_combo_row_get_model (row), "Polish"));
  gtk_editable_set_text (GTK_EDITABLE (child (onboarding, "office_name_row")), "Windykacja Nowak");
  row = child (onboarding, "country_row");
  adw_combo_row_set_selected (row, dd_test_find_string (adw_combo_row_get_model (row),
                                                        "Russia (RU)"));
  row = child (onboarding, "currency_row");
  adw_combo_row_set_selected (row, dd_test_find_string (adw_combo_row_get_model (row),
                                                "Russian ruble (RUB)"));
  row = child (onboarding, "language_row");
  adw_combo_row_set_selected (row, dd_test_find_string (adw_combo_row_get_model (row),
                                                        "Russian"));
  assert_setting (settings, "office-name", "Windykacja Nowak");
  assert_setting (settings, "default-country", "RU");
  assert_setting (settings, "default-currency", "RUB");
  assert_setting (settings, "office-language", "ru");
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "office");

  /* Enter in the name goes on (Next is the default) */
  gtk_widget_activate_default (GTK_WIDGET (onboarding));
  dd_test_iterate_for (300);
  g_assert_cmpstr (dd_onboarding_get_step (onboarding), ==, "creditors");
  assert_focus_on_step (onboarding);
  g_assert_true (gtk_widget_is_sensitive (child (onboarding, "back_button")));

  /* back and forth keeps what was written */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (onboarding), "onboarding.back", NULL));
  g_assert_cmpstr (dd_onboarding_get_step (onboarding), ==, "office");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (onboarding, "office_name_row"))),
                   ==, "Windykacja Nowak");
  next (onboarding);

  /* 2. the creditors: the office's own under its name, switched on but written only by Next;
   * the clients added by name (the add row's apply), one removed, one typed and left for Next */
  g_assert_cmpstr (dd_onboarding_get_step (onboarding), ==, "creditors");
  {
    GtkWidget *group = dd_test_find_descendant (GTK_WIDGET (onboarding), DD_TYPE_CREDITORS_GROUP);
    GtkWidget *own_row, *own_switch, *add_row, *remove;

    g_assert_nonnull (group);
    own_row = find_row (group, "Windykacja Nowak");
    g_assert_nonnull (own_row);
    own_switch = dd_test_find_descendant (own_row, GTK_TYPE_SWITCH);
    g_assert_true (gtk_switch_get_active (GTK_SWITCH (own_switch)));
    g_assert_cmpint (dd_test_query_int (office->database, "SELECT COUNT(*) FROM creditor"), ==, 0);

    add_row = dd_test_find_descendant (group, ADW_TYPE_ENTRY_ROW);
    gtk_editable_set_text (GTK_EDITABLE (add_row), "  Bank Pekao ");
    g_signal_emit_by_name (add_row, "apply");
    gtk_editable_set_text (GTK_EDITABLE (add_row), "Orange Polska");
    g_signal_emit_by_name (add_row, "apply");
    dd_test_iterate_for (100);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (add_row)), ==, "");
    g_assert_cmpint (dd_test_query_int (office->database, "SELECT COUNT(*) FROM creditor"
                                                          " WHERE name IN ('Bank Pekao',"
                                                          " 'Orange Polska')"), ==, 2);
    remove = dd_test_find_descendant (find_row (group, "Orange Polska"), GTK_TYPE_BUTTON);
    g_assert_nonnull (remove);
    g_signal_emit_by_name (remove, "clicked");
    dd_test_iterate_for (100);
    g_assert_null (find_row (group, "Orange Polska"));
    g_assert_nonnull (find_row (group, "Bank Pekao"));
    gtk_editable_set_text (GTK_EDITABLE (add_row), "Gmina Lublin");
    dd_test_save_screenshot (SCREENSHOT_PREFIX, "creditors");
  }
  next (onboarding);
  g_assert_cmpint (dd_test_query_int (office->database, "SELECT COUNT(*) FROM creditor"), ==, 3);
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT COUNT(*) FROM creditor WHERE name IN"
                                      " ('" DD_CREDITOR_OWN_RECEIVABLES "', 'Bank Pekao',"
                                      "  'Gmina Lublin')"), ==, 3);

  /* 3. the manager: named after the system user, renamed here; passwords that differ stop it */
  g_assert_cmpstr (dd_onboarding_get_step (onboarding), ==, "manager");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (onboarding, "manager_name_row"))),
                   ==, "first");
  gtk_editable_set_text (GTK_EDITABLE (child (onboarding, "manager_name_row")), "Zofia Nowak");
  gtk_editable_set_text (GTK_EDITABLE (child (onboarding, "password_row")), "Kierownik-1");
  gtk_editable_set_text (GTK_EDITABLE (child (onboarding, "repeat_row")), "Kierownik-2");
  next (onboarding);
  g_assert_cmpstr (dd_onboarding_get_step (onboarding), ==, "manager");
  g_assert_true (gtk_widget_get_visible (child (onboarding, "manager_error")));
  g_assert_cmpint (dd_test_query_int (office->database, "SELECT COUNT(*) FROM agent"
                                                        " WHERE password_hash IS NOT NULL"), ==, 0);
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "manager-mismatch");
  gtk_editable_set_text (GTK_EDITABLE (child (onboarding, "repeat_row")), "Kierownik-1");
  gtk_widget_activate_default (GTK_WIDGET (onboarding));
  dd_test_iterate_for (300);
  g_assert_cmpstr (dd_onboarding_get_step (onboarding), ==, "receivables");
  g_assert_cmpstr (dd_context_get_agent_name (office->context), ==, "Zofia Nowak");
  {
    g_autoptr(DdAgentStore) agents = dd_agent_store_new (office->database);

    g_assert_true (dd_users_sign_in_needed (agents));
    g_assert_true (dd_users_check_password (agents, manager_id, "Kierownik-1", &error));
    g_assert_no_error (error);
    g_assert_false (dd_users_check_password (agents, manager_id, "Kierownik-2", NULL));
  }

  /* 4. the receivables: Import opens the import assistant over the assistant, which goes on */
  g_signal_emit_by_name (child (onboarding, "import_row"), "activated");
  dd_test_iterate_for (500);
  {
    GtkWindow *assistant = dd_test_find_toplevel (DD_TYPE_IMPORT_ASSISTANT, NULL);

    g_assert_nonnull (assistant);
    g_assert_true (gtk_window_get_transient_for (assistant) == GTK_WINDOW (onboarding));
    g_assert_cmpstr (dd_onboarding_get_step (onboarding), ==, "sms");
    dd_test_destroy_window (assistant);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (onboarding), "onboarding.back", NULL));
  g_assert_cmpstr (dd_onboarding_get_step (onboarding), ==, "receivables");

  /* or the demo office: a database of its own, with Russian debtors, this one stays empty */
  g_signal_emit_by_name (child (onboarding, "demo_row"), "activated");
  g_assert_true (dd_test_wait_until (string_set, &created, 120000));
  g_assert_cmpstr (created, ==, demo_path);
  g_assert_cmpstr (dd_onboarding_get_step (onboarding), ==, "sms");
  demo = dd_database_open (demo_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dd_test_query_int (demo, "SELECT COUNT(*) FROM debt_case"), >, 50);
  g_assert_cmpint (dd_test_query_int (demo, "SELECT COUNT(*) FROM liability"
                                            " WHERE currency = 'RUB'"), >, 50);
  g_assert_cmpint (dd_test_query_int (office->database, "SELECT COUNT(*) FROM debt_case"), ==, 0);

  /* 5. the SMS provider: Preferences on its page */
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "sms");
  g_signal_emit_by_name (child (onboarding, "sms_row"), "activated");
  dd_test_iterate_for (500);
  {
    GtkWindow *preferences = dd_test_find_toplevel (DD_TYPE_PREFERENCES_WINDOW, NULL);

    g_assert_nonnull (preferences);
    g_assert_cmpstr (adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (preferences)),
                     ==, "sms-providers");
    g_assert_true (gtk_window_get_transient_for (preferences) == GTK_WINDOW (onboarding));
    /* the creditors are in Preferences too, the own under the office's name */
    g_assert_nonnull (find_row (GTK_WIDGET (preferences), "Bank Pekao"));
    g_assert_nonnull (find_row (GTK_WIDGET (preferences), "Gmina Lublin"));
    g_assert_nonnull (find_row (GTK_WIDGET (preferences), "Windykacja Nowak"));
  }
  close_toplevel (DD_TYPE_PREFERENCES_WINDOW);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (onboarding), "onboarding.skip", NULL));
  dd_test_iterate_for (300);

  /* 6. a phone line: the SIP account editor */
  g_assert_cmpstr (dd_onboarding_get_step (onboarding), ==, "phone");
  g_signal_emit_by_name (child (onboarding, "phone_row"), "activated");
  dd_test_iterate_for (500);
  close_toplevel (DD_TYPE_SIP_ACCOUNT_EDITOR);
  next (onboarding);

  /* 7. done: Start Working closes it, and it is not needed again */
  g_assert_cmpstr (dd_onboarding_get_step (onboarding), ==, "done");
  g_assert_false (gtk_widget_get_visible (child (onboarding, "skip_button")));
  g_assert_false (g_settings_get_boolean (settings, "onboarding-done"));
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "done");
  g_object_ref (onboarding);
  next (onboarding);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (onboarding)));
  gtk_window_destroy (GTK_WINDOW (onboarding));
  g_object_unref (onboarding);
  g_assert_true (g_settings_get_boolean (settings, "onboarding-done"));
  g_assert_false (dd_onboarding_is_needed (office->context));
}

/* Escape closes it at any step, and that counts as done; an office with cases never needs it. */
static void
test_escape_and_cases (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("onboarding-escape", TRUE);
  g_autoptr(DdTestOffice) busy = dd_test_office_new_with_context ("onboarding-busy", TRUE);
  DdOnboarding *onboarding;

  onboarding = dd_test_show_window (dd_onboarding_new (NULL, office->context));
  g_object_ref (onboarding);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (onboarding), "window.close", NULL));
  dd_test_iterate_for (200);
  g_assert_true (g_settings_get_boolean (office->settings, "onboarding-done"));
  gtk_window_destroy (GTK_WINDOW (onboarding));
  g_object_unref (onboarding);

  dd_test_office_import_demo (busy, 5, "pl", 3);
  g_assert_false (dd_onboarding_is_needed (busy->context));
}

static gboolean
int64_set (gpointer data)
{
  return *(gint64 *) data != 0;
}

static gboolean
widget_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static void
on_signed_in (DdSignInWindow *window,
              gint64          id,
              gint64         *out_id)
{
  *out_id = id;
}

/* The sign-in screen: a wrong password says so and lets nobody in, the right one does; a user
 * without a password signs in without one. */
static void
test_sign_in (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("sign-in", TRUE);
  g_autoptr(DdAgentStore) agents = dd_agent_store_new (office->database);
  g_autoptr(GError) error = NULL;
  DdSignInWindow *window;
  GtkWidget *password;
  GtkWidget *sign_in_button;
  gint64 manager = 0, consultant = 0, signed_in = 0;

  g_assert_true (dd_agent_store_add (agents, "Zofia Nowak", DD_AGENT_ROLE_MANAGER, &manager,
                                     &error));
  g_assert_true (dd_agent_store_add (agents, "Olena Kowal", DD_AGENT_ROLE_CONSULTANT,
                                     &consultant, &error));
  g_assert_false (dd_users_sign_in_needed (agents));
  g_assert_true (dd_users_set_password (agents, manager, "Kierownik-1", &error));
  g_assert_no_error (error);
  g_assert_true (dd_users_sign_in_needed (agents));

  window = dd_test_show_window (dd_sign_in_window_new (NULL, office->database, office->settings));
  g_signal_connect (window, "signed-in", G_CALLBACK (on_signed_in), &signed_in);
  password = dd_test_template_child (window, DD_TYPE_SIGN_IN_WINDOW, "password_row");
  sign_in_button = dd_test_template_child (window, DD_TYPE_SIGN_IN_WINDOW, "sign_in_button");
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (window)) == sign_in_button);

  g_assert_true (dd_sign_in_window_select_user (window, "Zofia Nowak"));
  g_assert_true (gtk_widget_is_sensitive (password));
  gtk_editable_set_text (GTK_EDITABLE (password), "kierownik-1");
  gtk_widget_activate_default (GTK_WIDGET (window));
  /* a button activated by the keyboard clicks once its press is shown (250 ms) */
  g_assert_true (dd_test_wait_until (widget_visible,
                                     dd_test_template_child (window, DD_TYPE_SIGN_IN_WINDOW,
                                                             "error_label"),
                                     10000));
  g_assert_cmpint (signed_in, ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (password)), ==, "");
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "sign-in-wrong");

  gtk_editable_set_text (GTK_EDITABLE (password), "Kierownik-1");
  gtk_widget_activate (sign_in_button);
  g_assert_true (dd_test_wait_until (int64_set, &signed_in, 10000));
  g_assert_cmpint (signed_in, ==, manager);
  g_assert_cmpint (g_settings_get_int64 (office->settings, "last-agent-id"), ==, manager);

  signed_in = 0;
  g_assert_true (dd_sign_in_window_select_user (window, "Olena Kowal"));
  g_assert_false (gtk_widget_is_sensitive (password));
  dd_test_iterate_for (300);
  gtk_widget_activate (sign_in_button);
  g_assert_true (dd_test_wait_until (int64_set, &signed_in, 10000));
  g_assert_cmpint (signed_in, ==, consultant);
  g_assert_false (dd_sign_in_window_select_user (window, "Nobody"));
  dd_test_destroy_window (GTK_WINDOW (window));
}

static gboolean
is_page_named (GtkWidget *widget,
               gpointer   name)
{
  return ADW_IS_PREFERENCES_PAGE (widget)
         && g_strcmp0 (adw_preferences_page_get_name (ADW_PREFERENCES_PAGE (widget)), name) == 0;
}

static GtkWidget *
find_page (GtkWindow  *preferences,
           const char *name)
{
  GtkWidget *page = dd_test_find_widget (GTK_WIDGET (preferences), is_page_named, (gpointer) name);

  g_assert_nonnull (page);
  return page;
}

/* The message dialog on screen whose heading is @heading, or NULL. */
static AdwMessageDialog *
find_dialog (const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window))
          && g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)), heading) == 0)
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static void
answer (AdwMessageDialog *dialog,
        const char       *response)
{
  /* as a click on its button: the response, then the dialog closes */
  adw_message_dialog_response (dialog, response);
  dd_test_destroy_window (GTK_WINDOW (dialog));
  dd_test_iterate_for (200);
}

/* Types @password in the manager's password dialog and unlocks. */
static void
unlock_with (const char *password)
{
  AdwMessageDialog *dialog = find_dialog ("Manager’s Password");
  GtkWidget *entry;

  g_assert_nonnull (dialog);
  entry = dd_test_find_descendant (GTK_WIDGET (dialog), GTK_TYPE_PASSWORD_ENTRY);
  g_assert_nonnull (entry);
  g_assert_true (gtk_widget_has_focus (entry) || gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (dialog)), entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), password);
  answer (dialog, "unlock");
}

static gboolean
is_error_label (GtkWidget *widget,
                gpointer   data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error")
         && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

/* A consultant's desk: the manager's actions ask for a manager's password once (a wrong one,
 * the consultant's own included, says so and asks again), then not again until another user
 * takes the desk; the manager's own desk never asks. */
static void
test_manager_unlock (void)
{
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("manager-unlock", TRUE);
  g_autoptr(DdAgentStore) agents = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window = adw_window_new ();
  GtkWidget *page;
  GtkWidget *close_button;
  GtkWindow *preferences;
  gint64 manager = 0, consultant = 0;

  dd_test_office_import_demo (office, 5, "pl", 3);
  agents = dd_agent_store_new (office->database);
  g_assert_true (dd_agent_store_add (agents, "Zofia Nowak", DD_AGENT_ROLE_MANAGER, &manager,
                                     &error));
  g_assert_true (dd_agent_store_add (agents, "Olena Kowal", DD_AGENT_ROLE_CONSULTANT,
                                     &consultant, &error));
  g_assert_no_error (error);
  dd_context_set_agent (office->context, consultant, "Olena Kowal", FALSE);

  page = dd_case_page_new (office->context);
  adw_window_set_content (ADW_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  dd_test_show_window (window);
  dd_case_page_set_case_id (DD_CASE_PAGE (page),
                            dd_test_query_int (office->database, "SELECT MIN(id) FROM debt_case"));
  close_button = _dd_case_page_get_close_button (DD_CASE_PAGE (page));

  /* no manager has a password: nothing to ask, the consultant may not close (as before) */
  g_assert_false (dd_manager_unlock_can_ask (office->context));
  g_assert_false (gtk_widget_get_sensitive (close_button));

  /* the manager has one, the consultant too: Close Case is there, and asks */
  g_assert_true (dd_users_set_password (agents, manager, "Kierownik-1", &error));
  g_assert_true (dd_users_set_password (agents, consultant, "Konsultant-1", &error));
  g_assert_no_error (error);
  dd_case_page_refresh (DD_CASE_PAGE (page));
  g_assert_true (gtk_widget_get_sensitive (close_button));
  g_signal_emit_by_name (close_button, "clicked");
  dd_test_iterate_for (300);
  g_assert_null (find_dialog ("Close Case?"));
  g_assert_nonnull (find_dialog ("Manager’s Password"));
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "manager-password");

  /* the consultant's own password is not the manager's: asked again, saying so */
  unlock_with ("Konsultant-1");
  g_assert_false (dd_context_get_is_manager (office->context));
  g_assert_null (find_dialog ("Close Case?"));
  g_assert_nonnull (find_dialog ("Manager’s Password"));
  g_assert_nonnull (dd_test_find_widget (GTK_WIDGET (find_dialog ("Manager’s Password")),
                                         is_error_label, (gpointer) "The password is wrong."));
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "manager-password-wrong");

  /* the manager's: the desk has the manager's rights, and the close goes on */
  unlock_with ("Kierownik-1");
  g_assert_true (dd_context_get_is_manager (office->context));
  g_assert_cmpint (dd_context_get_agent_id (office->context), ==, consultant);
  g_assert_true (dd_users_gate_is_unlocked (dd_manager_unlock_get_gate (office->context)));
  g_assert_null (find_dialog ("Manager’s Password"));
  g_assert_nonnull (find_dialog ("Close Case?"));
  answer (find_dialog ("Close Case?"), "cancel");

  /* once a session: the next manager's action does not ask; the close is done, and it is
   * the manager's who unlocked the desk */
  g_signal_emit_by_name (close_button, "clicked");
  dd_test_iterate_for (300);
  g_assert_null (find_dialog ("Manager’s Password"));
  g_assert_nonnull (find_dialog ("Close Case?"));
  answer (find_dialog ("Close Case?"), "ok");
  dd_test_iterate_for (300);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM debt_case WHERE id = "
                                            "(SELECT MIN(id) FROM debt_case) AND status = 'closed'");
    g_autofree char *who = g_strdup_printf ("SELECT COUNT(*) FROM activity WHERE case_id = "
                                            "(SELECT MIN(id) FROM debt_case) AND agent_id = %"
                                            G_GINT64_FORMAT, manager);

    g_assert_cmpint (dd_test_query_int (office->database, sql), ==, 1);
    g_assert_cmpint (dd_test_query_int (office->database, who), >=, 1);
  }

  /* Preferences: the providers' pages are open, Add User asks nothing */
  preferences = GTK_WINDOW (dd_preferences_window_new (GTK_WINDOW (window), office->context));
  dd_test_show_window (preferences);
  g_assert_true (gtk_widget_get_sensitive (find_page (preferences, "sms-providers")));
  dd_test_destroy_window (preferences);

  /* Switch User: another user, then back; the desk asks again */
  dd_context_set_agent (office->context, manager, "Zofia Nowak", TRUE);
  g_assert_false (dd_users_gate_is_unlocked (dd_manager_unlock_get_gate (office->context)));
  dd_context_set_agent (office->context, consultant, "Olena Kowal", FALSE);
  dd_case_page_refresh (DD_CASE_PAGE (page));
  g_signal_emit_by_name (close_button, "clicked");
  dd_test_iterate_for (300);
  g_assert_nonnull (find_dialog ("Manager’s Password"));
  answer (find_dialog ("Manager’s Password"), "cancel");
  g_assert_null (find_dialog ("Close Case?"));
  g_assert_false (dd_context_get_is_manager (office->context));

  /* Preferences at the locked desk: the providers' page is greyed out and asks when shown */
  preferences = GTK_WINDOW (dd_preferences_window_new (GTK_WINDOW (window), office->context));
  dd_test_show_window (preferences);
  g_assert_false (gtk_widget_get_sensitive (find_page (preferences, "sms-providers")));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences),
                                                "sms-providers");
  dd_test_iterate_for (300);
  unlock_with ("Kierownik-1");
  g_assert_true (gtk_widget_get_sensitive (find_page (preferences, "sms-providers")));
  dd_test_destroy_window (preferences);

  /* the manager's own desk never asks */
  dd_context_set_agent (office->context, manager, "Zofia Nowak", TRUE);
  dd_case_page_refresh (DD_CASE_PAGE (page));
  g_signal_emit_by_name (close_button, "clicked");
  dd_test_iterate_for (300);
  g_assert_null (find_dialog ("Manager’s Password"));
  answer (find_dialog ("Close Case?"), "cancel");

  dd_test_destroy_window (GTK_WINDOW (window));
}

/* Every step in @data's language: nothing cut, a screenshot each. */
static void
test_pages (gconstpointer data)
{
  const char *language = data;
  g_autoptr(DdTestOffice) office = NULL;
  g_autoptr(GString) cut = g_string_new (NULL);
  DdOnboarding *onboarding;
  const char *steps[] = { "office", "creditors", "manager", "receivables", "sms", "phone", "done" };

  /* English is the source language: nothing to switch to */
  if (!g_str_equal (language, "en") && !dd_test_use_language (language))
    {
      g_test_skip ("the catalogs of this build are not there");
      return;
    }
  office = dd_test_office_new_with_context ("onboarding-pages", TRUE);
  onboarding = dd_test_show_window (dd_onboarding_new (NULL, office->context));
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%u-%s", language, i + 1, steps[i]);

      g_assert_cmpstr (dd_onboarding_get_step (onboarding), ==, steps[i]);
      dd_test_iterate_for (400);
      dd_test_collect_cut_labels (GTK_WIDGET (onboarding), FALSE, cut);
      dd_test_save_screenshot (SCREENSHOT_PREFIX, name);
      if (i + 1 < G_N_ELEMENTS (steps))
        next (onboarding);
    }
  g_assert_cmpstr (cut->str, ==, "");
  dd_test_destroy_window (GTK_WINDOW (onboarding));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  adw_init ();
  dd_test_use_app_style ();

  g_test_add_func ("/dd/ui/onboarding/walk", test_walk);
  g_test_add_func ("/dd/ui/onboarding/escape-and-cases", test_escape_and_cases);
  g_test_add_func ("/dd/ui/onboarding/sign-in", test_sign_in);
  g_test_add_func ("/dd/ui/onboarding/manager-unlock", test_manager_unlock);
  g_test_add_data_func ("/dd/ui/onboarding/pages/en", "en", test_pages);
  g_test_add_data_func ("/dd/ui/onboarding/pages/pl", "pl", test_pages);
  g_test_add_data_func ("/dd/ui/onboarding/pages/ru", "ru", test_pages);

  return g_test_run ();
}
