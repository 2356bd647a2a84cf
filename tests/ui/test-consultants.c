/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-consultants"

/* Preferences › Consultants (issue 18): who takes the calls and where. A wrong SIP address is
 * shown at its row as it is typed and never stored; a good one is stored and shown as the
 * row's subtitle; an empty one is the headset at this desk; a consultant is added (a wrong
 * address refused first) and removed (deactivated). The tabs of Preferences whole in English,
 * Polish and Russian at 1024×700 and 1280×800, with screenshots. */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "dd-consultants-page.h"
#include "dd-context.h"
#include "dd-database.h"
#include "dd-inbound-store.h"
#include "dd-sip-accounts.h"
#include "dd-preferences-window-private.h"
#include "dd-test-ui.h"
#include "dd-test-util.h"

static const char office_sql[] =
  "INSERT INTO agent (id, name, role, created_at) VALUES (1, 'Maria Kierownik', 'manager', 'x');"
  "INSERT INTO agent (id, name, role, created_at, sip_uri) VALUES"
  " (2, 'Anna Konsultant', 'consultant', 'x', NULL);";

static GtkWidget *
row_data (GtkWidget  *row,
          const char *key)
{
  GtkWidget *widget = g_object_get_data (G_OBJECT (row), key);

  g_assert_nonnull (widget);
  return widget;
}

static GtkWidget *
row_named (DdConsultantsPage *page,
           const char        *name)
{
  GPtrArray *rows = _dd_consultants_page_get_rows (page);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), name) == 0)
      return rows->pdata[i];
  return NULL;
}

static DdPreferencesWindow *
open_preferences (DdContext *context,
                  int        width,
                  int        height)
{
  DdPreferencesWindow *preferences = dd_preferences_window_new (NULL, context);

  gtk_window_set_default_size (GTK_WINDOW (preferences), width, height);
  gtk_window_present (GTK_WINDOW (preferences));
  dd_test_wait_until_mapped (GTK_WIDGET (preferences));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences),
                                                "consultants");
  dd_test_iterate_for (300);
  return preferences;
}

static void
test_edit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("consultants", FALSE);
  DdPreferencesWindow *preferences;
  DdConsultantsPage *page;
  GtkWidget *anna, *uri_row, *error_label;
  const char *why = NULL;

  g_assert_true (dd_database_exec (office->database, office_sql, &error));
  g_assert_no_error (error);
  dd_context_set_agent (office->context, 1, "Maria Kierownik", TRUE);
  preferences = open_preferences (office->context, 1024, 700);
  page = DD_CONSULTANTS_PAGE (_dd_preferences_window_get_consultants_page (preferences));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));

  /* Both users; Anna on the headset at this desk */
  g_assert_cmpuint (_dd_consultants_page_get_rows (page)->len, ==, 2);
  anna = row_named (page, "Anna Konsultant");
  g_assert_nonnull (anna);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (anna)), ==,
                   "This desk’s headset");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (anna), TRUE);

  /* A wrong address: red as it is typed, the reason under it, nothing stored on apply */
  uri_row = row_data (anna, "dd-uri-row");
  error_label = row_data (anna, "dd-error-label");
  gtk_editable_set_text (GTK_EDITABLE (uri_row), "anna@192.168.1.20");
  g_assert_true (gtk_widget_has_css_class (uri_row, "error"));
  g_assert_true (gtk_widget_get_visible (row_data (anna, "dd-error-row")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==,
                   "“anna@192.168.1.20” is not a SIP address such as sip:anna@192.168.1.20.");
  g_signal_emit_by_name (uri_row, "apply");
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT COUNT(*) FROM agent WHERE sip_uri IS NOT NULL"), ==,
                   0);
  dd_test_save_screenshot ("consultants", "wrong-address");

  /* A good one: stored, the row says where */
  gtk_editable_set_text (GTK_EDITABLE (uri_row), " sip:anna@192.168.1.20:5062 ");
  g_assert_false (gtk_widget_has_css_class (uri_row, "error"));
  g_assert_false (gtk_widget_get_visible (row_data (anna, "dd-error-row")));
  g_signal_emit_by_name (uri_row, "apply");
  {
    g_autofree char *uri = dd_test_query_text (office->database,
                                               "SELECT sip_uri FROM agent WHERE id = 2");

    g_assert_cmpstr (uri, ==, "sip:anna@192.168.1.20:5062");
  }
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (anna)), ==,
                   "sip:anna@192.168.1.20:5062");

  /* Renamed */
  gtk_editable_set_text (GTK_EDITABLE (row_data (anna, "dd-name-row")), "Anna Nowak");
  g_signal_emit_by_name (row_data (anna, "dd-name-row"), "apply");
  {
    g_autofree char *name = dd_test_query_text (office->database,
                                                "SELECT name FROM agent WHERE id = 2");

    g_assert_cmpstr (name, ==, "Anna Nowak");
  }

  /* Added: a wrong address refused (nobody added), then a good one; empty = the headset */
  g_assert_false (_dd_consultants_page_add (page, "Piotr Zieliński", "sip:piotr", &why));
  g_assert_cmpstr (why, ==, "“sip:piotr” is not a SIP address such as sip:anna@192.168.1.20.");
  g_assert_cmpint (dd_test_query_int (office->database, "SELECT COUNT(*) FROM agent"), ==, 2);
  g_assert_false (_dd_consultants_page_add (page, "Anna Nowak", "", &why));
  g_assert_cmpint (dd_test_query_int (office->database, "SELECT COUNT(*) FROM agent"), ==, 2);
  g_assert_true (_dd_consultants_page_add (page, "Piotr Zieliński", "sip:piotr@10.0.0.7", &why));
  g_assert_true (_dd_consultants_page_add (page, "Olga Iwanowa", "", &why));
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT COUNT(*) FROM agent WHERE name = 'Piotr Zieliński'"
                                      " AND role = 'consultant' AND sip_uri = 'sip:piotr@10.0.0.7'"),
                   ==, 1);
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT COUNT(*) FROM agent WHERE name = 'Olga Iwanowa'"
                                      " AND sip_uri IS NULL"), ==, 1);
  g_assert_cmpuint (_dd_consultants_page_get_rows (page)->len, ==, 4);
  dd_test_iterate_for (300);
  dd_test_save_screenshot ("consultants", "list");

  /* Removed: deactivated, gone from the list */
  g_signal_emit_by_name (row_data (row_named (page, "Piotr Zieliński"), "dd-remove-button"),
                         "clicked");
  g_assert_cmpint (dd_test_query_int (office->database,
                                      "SELECT active FROM agent WHERE name = 'Piotr Zieliński'"),
                   ==, 0);
  g_assert_null (row_named (page, "Piotr Zieliński"));
  g_assert_cmpuint (_dd_consultants_page_get_rows (page)->len, ==, 3);

  dd_test_destroy_window (GTK_WINDOW (preferences));
}

/* A consultant sees the list but cannot change it */
static void
test_read_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("consultants-ro", FALSE);
  DdPreferencesWindow *preferences;
  DdConsultantsPage *page;
  GtkWidget *anna;

  g_assert_true (dd_database_exec (office->database, office_sql, &error));
  g_assert_no_error (error);
  dd_context_set_agent (office->context, 2, "Anna Konsultant", FALSE);
  preferences = open_preferences (office->context, 1024, 700);
  page = DD_CONSULTANTS_PAGE (_dd_preferences_window_get_consultants_page (preferences));
  anna = row_named (page, "Anna Konsultant");
  g_assert_false (gtk_widget_get_sensitive (row_data (anna, "dd-uri-row")));
  g_assert_false (gtk_widget_is_sensitive (row_data (anna, "dd-remove-button")));
  dd_test_destroy_window (GTK_WINDOW (preferences));
}

static gpointer
queue_data (DdConsultantsPage *page,
            guint              index,
            const char        *key)
{
  GPtrArray *rows = _dd_consultants_page_get_queue_rows (page);

  g_assert_cmpuint (index, <, rows->len);
  return key != NULL ? row_data (rows->pdata[index], key) : rows->pdata[index];
}

/* The inbound line (the account that takes calls, the flow) and the queues: added (three at
 * most), changed (a setting out of its limits said at the queue, not stored), the hold music
 * chosen and reset, removed. */
static void
test_queues (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("consultants-queues", TRUE);
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_sip_account_info_free);
  g_autoptr(DdInboundStore) inbound = NULL;
  g_autoptr(DdInboundQueue) stored = NULL;
  g_autofree char *account = NULL;
  DdPreferencesWindow *preferences;
  DdConsultantsPage *page;
  GtkWidget *add;
  gint64 flow_id = 0, queue_id;

  g_assert_true (dd_database_exec (office->database, office_sql, &error));
  g_assert_true (dd_database_exec (office->database,
                                   "INSERT INTO ivr_flow (id, name, version, json, created_at)"
                                   " VALUES (7, 'Infolinia', 1, '{}', 'x'),"
                                   " (8, 'Infolinia', 2, '{}', 'x');", &error));
  g_assert_no_error (error);
  g_ptr_array_add (accounts, dd_sip_account_info_new ("Biuro", "sip:biuro@127.0.0.1"));
  g_ptr_array_add (accounts, dd_sip_account_info_new ("Infolinia 800", "sip:800@127.0.0.1"));
  dd_sip_accounts_save (dd_context_get_settings (office->context), accounts);
  dd_context_set_agent (office->context, 1, "Maria Kierownik", TRUE);
  inbound = dd_inbound_store_new (office->database);

  preferences = open_preferences (office->context, 1280, 800);
  page = DD_CONSULTANTS_PAGE (_dd_preferences_window_get_consultants_page (preferences));

  /* The line: the second account, the flow's latest version */
  adw_combo_row_set_selected (ADW_COMBO_ROW (dd_test_template_child (page, DD_TYPE_CONSULTANTS_PAGE,
                                                                     "account_row")), 2);
  adw_combo_row_set_selected (ADW_COMBO_ROW (dd_test_template_child (page, DD_TYPE_CONSULTANTS_PAGE,
                                                                     "flow_row")), 1);
  g_assert_true (dd_inbound_store_get_line (inbound, &account, &flow_id, &error));
  g_assert_cmpstr (account, ==, "Infolinia 800");
  g_assert_cmpint (flow_id, ==, 8);

  /* The cap on waiting callers: 20 until set, kept when the line changes */
  {
    GtkSpinButton *spin = GTK_SPIN_BUTTON (dd_test_template_child (page, DD_TYPE_CONSULTANTS_PAGE,
                                                                   "max_waiting_spin"));
    guint max = 0;

    g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 20);
    gtk_spin_button_set_value (spin, 7);
    g_assert_true (dd_inbound_store_get_max_waiting (inbound, &max, &error));
    g_assert_cmpuint (max, ==, 7);
    adw_combo_row_set_selected (ADW_COMBO_ROW (dd_test_template_child (page, DD_TYPE_CONSULTANTS_PAGE,
                                                                       "flow_row")), 0);
    adw_combo_row_set_selected (ADW_COMBO_ROW (dd_test_template_child (page, DD_TYPE_CONSULTANTS_PAGE,
                                                                       "flow_row")), 1);
    g_assert_true (dd_inbound_store_get_max_waiting (inbound, &max, &error));
    g_assert_cmpuint (max, ==, 7);
  }

  /* Three queues at most */
  add = dd_test_template_child (page, DD_TYPE_CONSULTANTS_PAGE, "add_queue_button");
  for (guint i = 0; i < 3; i++)
    g_signal_emit_by_name (add, "clicked");
  g_assert_cmpuint (_dd_consultants_page_get_queue_rows (page)->len, ==, 3);
  g_assert_false (gtk_widget_get_sensitive (add));
  queue_id = *(gint64 *) queue_data (page, 0, "dd-queue-id");

  /* Renamed, longest idle, announcements every 45 s, 120 s at most, then voicemail */
  gtk_editable_set_text (GTK_EDITABLE (queue_data (page, 0, "dd-name-row")), "Płatności");
  g_signal_emit_by_name (queue_data (page, 0, "dd-name-row"), "apply");
  adw_combo_row_set_selected (queue_data (page, 0, "dd-strategy-row"), 1);
  gtk_spin_button_set_value (queue_data (page, 0, "dd-announce-spin"), 45);
  gtk_spin_button_set_value (queue_data (page, 0, "dd-max-wait-spin"), 120);
  adw_combo_row_set_selected (queue_data (page, 0, "dd-on-max-wait-row"), 1);
  _dd_consultants_page_set_hold_music (page, queue_data (page, 0, NULL), "/srv/muzyka/czekanie.ogg");
  stored = dd_inbound_store_get_queue (inbound, queue_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->name, ==, "Płatności");
  g_assert_cmpint (stored->strategy, ==, DD_INBOUND_RING_LONGEST_IDLE);
  g_assert_cmpuint (stored->announce_every_s, ==, 45);
  g_assert_cmpuint (stored->max_wait_s, ==, 120);
  g_assert_cmpint (stored->on_max_wait, ==, DD_INBOUND_ON_MAX_WAIT_VOICEMAIL);
  g_assert_cmpstr (stored->hold_music, ==, "/srv/muzyka/czekanie.ogg");
  g_clear_pointer (&stored, dd_inbound_queue_free);

  /* Announcements every 5 s are too often: said at the queue, not stored */
  gtk_spin_button_set_value (queue_data (page, 0, "dd-announce-spin"), 5);
  g_assert_true (gtk_widget_get_visible (queue_data (page, 0, "dd-error-row")));
  g_test_message ("announce 5 s: %s",
                  gtk_label_get_text (GTK_LABEL (queue_data (page, 0, "dd-error-label"))));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (queue_data (page, 0, "dd-error-label"))), !=, "");
  stored = dd_inbound_store_get_queue (inbound, queue_id, &error);
  g_assert_cmpuint (stored->announce_every_s, ==, 45);
  g_clear_pointer (&stored, dd_inbound_queue_free);
  gtk_spin_button_set_value (queue_data (page, 0, "dd-announce-spin"), 30);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (queue_data (page, 0, "dd-error-label"))), ==, "");

  /* The default tune again */
  _dd_consultants_page_set_hold_music (page, queue_data (page, 0, NULL), NULL);
  stored = dd_inbound_store_get_queue (inbound, queue_id, &error);
  g_assert_null (stored->hold_music);
  g_clear_pointer (&stored, dd_inbound_queue_free);

  adw_expander_row_set_expanded (queue_data (page, 0, NULL), TRUE);
  dd_test_iterate_for (300);
  dd_test_save_screenshot ("consultants", "queues");

  /* Removed: two left, one more may be added */
  g_signal_emit_by_name (queue_data (page, 2, "dd-remove-button"), "clicked");
  g_assert_cmpuint (_dd_consultants_page_get_queue_rows (page)->len, ==, 2);
  g_assert_true (gtk_widget_get_sensitive (add));
  {
    g_autoptr(GPtrArray) queues = dd_inbound_store_list_queues (inbound, &error);

    g_assert_cmpuint (queues->len, ==, 2);
  }
  dd_test_destroy_window (GTK_WINDOW (preferences));
}

static gboolean
is_mapped_switcher (GtkWidget *widget,
                    gpointer   data)
{
  return ADW_IS_VIEW_SWITCHER (widget) && gtk_widget_get_mapped (widget);
}

/* The tabs whole and the page drawn in three languages at two sizes */
static void
test_languages (void)
{
  static const struct { const char *language; int width, height; } cases[] = {
    { "en", 1024, 700 }, { "en", 1280, 800 }, { "pl", 1024, 700 }, { "pl", 1280, 800 },
    { "ru", 1024, 700 }, { "ru", 1280, 800 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DdTestOffice) office = dd_test_office_new_with_context ("consultants-l10n", FALSE);

  g_assert_true (dd_database_exec (office->database, office_sql, &error));
  g_assert_no_error (error);
  g_assert_true (dd_database_exec (office->database,
                                   "UPDATE agent SET sip_uri = 'sip:anna@192.168.1.20' WHERE id = 2",
                                   &error));
  dd_context_set_agent (office->context, 1, "Maria Kierownik", TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) cut = g_string_new (NULL);
      g_autofree char *name = NULL;
      DdPreferencesWindow *preferences;
      GtkWidget *switcher;

      if (g_strcmp0 (cases[i].language, "en") != 0 && !dd_test_use_language (cases[i].language))
        {
          g_test_message ("no %s catalog in this build", cases[i].language);
          continue;
        }
      preferences = open_preferences (office->context, cases[i].width, cases[i].height);
      switcher = dd_test_find_widget (GTK_WIDGET (preferences), is_mapped_switcher, NULL);
      g_assert_nonnull (switcher);
      dd_test_collect_cut_labels (switcher, FALSE, cut);
      dd_test_collect_cut_labels (_dd_preferences_window_get_consultants_page (preferences),
                                  FALSE, cut);
      g_test_message ("%s %d×%d cut: %s", cases[i].language, cases[i].width, cases[i].height,
                      cut->str);
      g_assert_cmpstr (cut->str, ==, "");
      name = g_strdup_printf ("%s-%dx%d", cases[i].language, cases[i].width, cases[i].height);
      dd_test_save_screenshot ("consultants", name);
      dd_test_destroy_window (GTK_WINDOW (preferences));
    }
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  dd_test_use_app_style ();

  g_test_add_func ("/dd/ui/consultants/edit", test_edit);
  g_test_add_func ("/dd/ui/consultants/read-only", test_read_only);
  g_test_add_func ("/dd/ui/consultants/queues", test_queues);
  g_test_add_func ("/dd/ui/consultants/languages", test_languages);

  return g_test_run ();
}
