/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-preferences"

#include "config.h"

#include <adwaita.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dd-agent-store.h"
#include "dd-context.h"
#include "dd-database.h"
#include "dd-interest.h"
#include "dd-letters-page.h"
#include "dd-mail-page.h"
#include "dd-preferences-window-private.h"
#include "dd-sip-account-editor-private.h"
#include "dd-sip-accounts-group.h"
#include "dd-sip-accounts.h"
#include "dd-sms-account.h"
#include "fake-registrar.h"

#include "dd-preferences-window.h"
#include "dd-test-ui.h"

#define SCREENSHOT_PREFIX "test-preferences"

typedef struct
{
  DdTestOffice     *office;
  DdDatabase       *database;   /* the office's, its settings and its context */
  GSettings        *settings;
  DdContext        *context;
  DdAgentStore     *agents;
  gint64            manager_id;
  gint64            consultant_id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->office = dd_test_office_new_with_context ("preferences", TRUE);
  f->database = f->office->database;
  f->settings = f->office->settings;
  f->context = f->office->context;
  f->agents = dd_agent_store_new (f->database);
  g_assert_true (dd_agent_store_add (f->agents, "Zofia Nowak", DD_AGENT_ROLE_MANAGER,
                                     &f->manager_id, &error));
  g_assert_true (dd_agent_store_add (f->agents, "Olena Kowal", DD_AGENT_ROLE_CONSULTANT,
                                     &f->consultant_id, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->agents);
  g_clear_pointer (&f->office, dd_test_office_free);
}

static gpointer
child (DdPreferencesWindow *window,
       const char          *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (window),
                                                   DD_TYPE_PREFERENCES_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

static guint
find_string (GListModel *model,
             const char *text)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), text))
        return i;
    }
  g_assert_not_reached ();
}

static GtkWidget *
user_row (DdPreferencesWindow *window,
          gint64               agent_id)
{
  GPtrArray *rows = _dd_preferences_window_get_user_rows (window);

  for (guint i = 0; i < rows->len; i++)
    if ((gint64) GPOINTER_TO_SIZE (g_object_get_data (g_ptr_array_index (rows, i),
                                                      "dd-agent-id")) == agent_id)
      return g_ptr_array_index (rows, i);
  return NULL;
}

/* Waits until the users page was rebuilt after a change (in an idle callback). */
static void
wait_for_rebuild (DdPreferencesWindow *window,
                  GtkWidget           *old_row)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  g_autoptr(GtkWidget) row = g_object_ref (old_row);

  while (gtk_widget_get_parent (row) != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (gtk_widget_get_parent (row));
}

/* Asserts that the string key @key holds @expected. */
static void
assert_setting (Fixture    *f,
                const char *key,
                const char *expected)
{
  g_autofree char *value = g_settings_get_string (f->settings, key);

  g_assert_cmpstr (value, ==, expected);
}

static void
test_general_binds_settings (Fixture       *f,
                             gconstpointer  data)
{
  DdPreferencesWindow *window;
  AdwComboRow *country;
  AdwComboRow *currency;
  GtkDropDown *zone;
  guint position;

  g_settings_set_string (f->settings, "default-country", "PL");
  dd_context_set_agent (f->context, f->manager_id, "Zofia Nowak", TRUE);
  window = dd_test_show_window (dd_preferences_window_new (NULL, f->context));
  country = child (window, "country_row");
  currency = child (window, "currency_row");
  zone = child (window, "time_zone_drop_down");

  /* office name: typing writes the key */
  gtk_editable_set_text (GTK_EDITABLE (child (window, "office_name_row")), "Biuro Kowalski");
  assert_setting (f, "office-name", "Biuro Kowalski");

  /* country and currency: shown by name, kept by code, both ways */
  g_assert_cmpuint (adw_combo_row_get_selected (country), ==,
                    find_string (adw_combo_row_get_model (country), "Poland (PL)"));
  adw_combo_row_set_selected (country, find_string (adw_combo_row_get_model (country),
                                                    "Ukraine (UA)"));
  assert_setting (f, "default-country", "UA");
  g_settings_set_string (f->settings, "default-country", "CZ");
  g_assert_cmpuint (adw_combo_row_get_selected (country), ==,
                    find_string (adw_combo_row_get_model (country), "Czechia (CZ)"));
  adw_combo_row_set_selected (currency, find_string (adw_combo_row_get_model (currency),
                                                     "Euro (EUR)"));
  assert_setting (f, "default-currency", "EUR");

  /* time zone: "System" is the empty string, the others their IANA names */
  g_assert_cmpuint (gtk_drop_down_get_selected (zone), ==, 0);
  if (g_file_test ("/usr/share/zoneinfo/tzdata.zi", G_FILE_TEST_EXISTS))
    {
      position = find_string (gtk_drop_down_get_model (zone), "Europe/Warsaw");
      gtk_drop_down_set_selected (zone, position);
      assert_setting (f, "time-zone", "Europe/Warsaw");
    }
  gtk_drop_down_set_selected (zone, 0);
  assert_setting (f, "time-zone", "");
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "general");

  dd_test_destroy_window (GTK_WINDOW (window));

  /* a code the list does not know is kept and shown as it is */
  g_settings_set_string (f->settings, "default-country", "JP");
  window = dd_test_show_window (dd_preferences_window_new (NULL, f->context));
  country = child (window, "country_row");
  g_assert_cmpuint (adw_combo_row_get_selected (country), ==,
                    find_string (adw_combo_row_get_model (country), "JP"));
  dd_test_destroy_window (GTK_WINDOW (window));
}

static void
test_users_manager (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdAgent) agent = NULL;
  g_autoptr(GPtrArray) list = NULL;
  DdPreferencesWindow *window;
  GtkWidget *row;

  dd_context_set_agent (f->context, f->manager_id, "Zofia Nowak", TRUE);
  window = dd_test_show_window (dd_preferences_window_new (NULL, f->context));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "users");
  g_assert_cmpuint (_dd_preferences_window_get_user_rows (window)->len, ==, 2);
  g_assert_true (gtk_widget_is_sensitive (child (window, "add_user_button")));

  /* the manager at the desk cannot be deactivated from here */
  row = user_row (window, f->manager_id);
  g_assert_false (gtk_widget_get_sensitive (g_object_get_data (G_OBJECT (row),
                                                               "dd-active-switch")));
  g_assert_true (gtk_widget_get_sensitive (g_object_get_data (G_OBJECT (row),
                                                              "dd-role-drop-down")));

  /* add and rename */
  g_assert_true (_dd_preferences_window_save_user (window, 0, "Borys Iwanow"));
  g_assert_cmpuint (_dd_preferences_window_get_user_rows (window)->len, ==, 3);
  g_assert_false (_dd_preferences_window_save_user (window, 0, "Borys Iwanow"));
  g_assert_true (_dd_preferences_window_save_user (window, f->manager_id, "Zofia Nowak-Lis"));
  g_assert_cmpstr (dd_context_get_agent_name (f->context), ==, "Zofia Nowak-Lis");

  /* the last manager cannot step down: nothing changes */
  row = user_row (window, f->manager_id);
  gtk_drop_down_set_selected (g_object_get_data (G_OBJECT (row), "dd-role-drop-down"), 0);
  wait_for_rebuild (window, row);
  agent = dd_agent_store_get (f->agents, f->manager_id, &error);
  g_assert_cmpint (agent->role, ==, DD_AGENT_ROLE_MANAGER);
  g_clear_pointer (&agent, dd_agent_free);
  row = user_row (window, f->manager_id);
  g_assert_cmpuint (gtk_drop_down_get_selected (g_object_get_data (G_OBJECT (row),
                                                                   "dd-role-drop-down")), ==, 1);

  /* a consultant is made a manager */
  row = user_row (window, f->consultant_id);
  gtk_drop_down_set_selected (g_object_get_data (G_OBJECT (row), "dd-role-drop-down"), 1);
  wait_for_rebuild (window, row);
  agent = dd_agent_store_get (f->agents, f->consultant_id, &error);
  g_assert_cmpint (agent->role, ==, DD_AGENT_ROLE_MANAGER);
  g_clear_pointer (&agent, dd_agent_free);

  /* and deactivated */
  row = user_row (window, f->consultant_id);
  gtk_switch_set_active (g_object_get_data (G_OBJECT (row), "dd-active-switch"), FALSE);
  wait_for_rebuild (window, row);
  list = dd_agent_store_list (f->agents, FALSE, &error);
  g_assert_cmpuint (list->len, ==, 2);
  row = user_row (window, f->consultant_id);
  g_assert_false (gtk_switch_get_active (g_object_get_data (G_OBJECT (row), "dd-active-switch")));
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "users-manager");

  dd_test_destroy_window (GTK_WINDOW (window));
}

static void
test_users_consultant (Fixture       *f,
                       gconstpointer  data)
{
  DdPreferencesWindow *window;
  GPtrArray *rows;

  dd_context_set_agent (f->context, f->consultant_id, "Olena Kowal", FALSE);
  window = dd_test_show_window (dd_preferences_window_new (NULL, f->context));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "users");

  /* read-only: the users are shown, nothing can be changed */
  g_assert_false (gtk_widget_is_sensitive (child (window, "add_user_button")));
  g_assert_false (_dd_preferences_window_save_user (window, 0, "Someone"));
  rows = _dd_preferences_window_get_user_rows (window);
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < rows->len; i++)
    {
      GObject *row = g_ptr_array_index (rows, i);

      g_assert_false (gtk_widget_get_sensitive (g_object_get_data (row, "dd-role-drop-down")));
      g_assert_false (gtk_widget_get_sensitive (g_object_get_data (row, "dd-active-switch")));
      g_assert_false (gtk_widget_get_visible (g_object_get_data (row, "dd-rename-button")));
    }
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "users-consultant");

  /* switching to a manager opens it up */
  dd_context_set_agent (f->context, f->manager_id, "Zofia Nowak", TRUE);
  g_assert_true (gtk_widget_is_sensitive (child (window, "add_user_button")));

  dd_test_destroy_window (GTK_WINDOW (window));
}

static void
test_later_pages (Fixture       *f,
                  gconstpointer  data)
{
  DdPreferencesWindow *window;
  const char *pages[] = { "sms-providers", "sip-accounts", "caller-id-pool", "contact-policy" };

  dd_context_set_agent (f->context, f->manager_id, "Zofia Nowak", TRUE);
  window = dd_test_show_window (dd_preferences_window_new (NULL, f->context));
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), pages[i]);
      g_assert_cmpstr (adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (window)),
                       ==, pages[i]);
    }
  /* the SMS page keeps the segment price (in hundredths) for the wizard's cost estimate */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (window, "segment_price_spin")), 0.16);
  g_assert_cmpint (g_settings_get_int64 (f->settings, "sms-segment-price"), ==, 16);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "sms-providers");
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "sms-providers");
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "sip-accounts");
  /* the consultant's ring time for a desk transfer: shown, and kept in the settings both ways */
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (
                       _dd_preferences_window_get_ring_spin (window))), ==,
                     g_settings_get_uint (f->settings, "transfer-ring-seconds"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (_dd_preferences_window_get_ring_spin (window)), 35);
  g_assert_cmpuint (g_settings_get_uint (f->settings, "transfer-ring-seconds"), ==, 35);
  g_settings_set_uint (f->settings, "transfer-ring-seconds", 12);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (
                       _dd_preferences_window_get_ring_spin (window))), ==, 12);
  g_assert_true (gtk_widget_is_drawable (_dd_preferences_window_get_ring_spin (window)));
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "sip-accounts");
  dd_test_destroy_window (GTK_WINDOW (window));
}

static void
count_signal (guint *count)
{
  (*count)++;
}

static void
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static char *
keyring_secret (const char *provider)
{
  g_autoptr(DdSmsAccount) account = dd_sms_account_new (provider, NULL, NULL, "Windykacja");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  dd_sms_account_lookup_secret (account, NULL, on_async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  secret = dd_sms_account_lookup_secret_finish (result, &error);
  g_assert_no_error (error);
  return secret;
}

static void
test_sms_provider (Fixture       *f,
                   gconstpointer  data)
{
  DdPreferencesWindow *window;
  GtkWidget *provider_row, *secret_row, *status_row, *sender_row;
  guint changes = 0;
  g_autofree char *secret = NULL;
  g_autofree char *provider = NULL;
  gint64 until;

  dd_context_set_agent (f->context, f->manager_id, "Zofia Nowak", TRUE);
  g_signal_connect_swapped (f->context, "sms-account-changed", G_CALLBACK (count_signal),
                            &changes);
  window = dd_test_show_window (dd_preferences_window_new (NULL, f->context));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "sms-providers");
  provider_row = child (window, "provider_row");
  secret_row = child (window, "secret_row");
  status_row = child (window, "secret_status_row");
  sender_row = child (window, "sender_row");

  /* the test inbox needs nothing */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (provider_row)), ==, 0);
  g_assert_false (gtk_widget_get_visible (secret_row));

  /* SMSAPI: saved at once, asks for its token */
  adw_combo_row_set_selected (ADW_COMBO_ROW (provider_row), 1);
  provider = g_settings_get_string (f->settings, "sms-gateway");
  g_assert_cmpstr (provider, ==, "smsapi");
  g_assert_true (gtk_widget_get_visible (secret_row));
  g_assert_cmpuint (changes, ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (sender_row), "Windykacja");
  g_signal_emit_by_name (sender_row, "apply");
  g_assert_cmpuint (changes, ==, 2);
  dd_test_iterate_for (300);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (status_row)), ==,
                   "Nothing stored yet: campaigns cannot be sent");
  /* the missing token is said where the provider is chosen (once the keyring has answered),
   * not as a warning or a toast */
  until = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (!gtk_widget_get_visible (child (window, "provider_warning_icon")) &&
         g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (provider_row)),
                                   "Token needed"));
  g_assert_true (gtk_widget_get_visible (child (window, "provider_warning_icon")));
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "sms-provider-token-needed");

  /* the token goes to the keyring, never into the settings, and the entry forgets it */
  gtk_editable_set_text (GTK_EDITABLE (secret_row), "tok-4711");
  g_signal_emit_by_name (secret_row, "apply");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (secret_row)), ==, "");
  until = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (changes < 3 && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (changes, ==, 3);
  secret = keyring_secret ("smsapi");
  g_assert_cmpstr (secret, ==, "tok-4711");
  g_clear_pointer (&secret, g_free);
  dd_test_iterate_for (300);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (status_row)), ==,
                   "Stored in your keyring");
  g_assert_false (gtk_widget_get_visible (child (window, "provider_warning_icon")));
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (provider_row)) ?: "",
                         "needed"));
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "sms-provider-smsapi");

  /* forgotten */
  gtk_widget_activate (child (window, "forget_secret_button"));
  until = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (changes < 4 && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  secret = keyring_secret ("smsapi");
  g_assert_null (secret);
  until = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (!gtk_widget_get_visible (child (window, "provider_warning_icon")) &&
         g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_visible (child (window, "provider_warning_icon")));
  dd_test_destroy_window (GTK_WINDOW (window));
}

static GtkWidget *
find_drop_down_in_row (GtkWidget  *group,
                       const char *row_title,
                       guint       nth)
{
  GtkWidget *found = NULL;
  guint n = 0;
  GtkWidget *row = NULL;

  /* the row with this title */
  {
    g_autoptr(GPtrArray) stack = g_ptr_array_new ();

    g_ptr_array_add (stack, group);
    while (stack->len > 0 && row == NULL)
      {
        GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);

        if (ADW_IS_ACTION_ROW (w) &&
            g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)), row_title) == 0)
          row = w;
        for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
          g_ptr_array_add (stack, c);
      }
  }
  g_assert_nonnull (row);
  {
    g_autoptr(GPtrArray) stack = g_ptr_array_new ();
    g_autoptr(GPtrArray) order = g_ptr_array_new ();

    /* depth first, in order */
    g_ptr_array_add (stack, row);
    while (stack->len > 0)
      {
        GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);
        g_autoptr(GPtrArray) kids = g_ptr_array_new ();

        if (GTK_IS_DROP_DOWN (w))
          g_ptr_array_add (order, w);
        for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
          g_ptr_array_add (kids, c);
        for (guint i = kids->len; i > 0; i--)
          g_ptr_array_add (stack, g_ptr_array_index (kids, i - 1));
      }
    for (guint i = 0; i < order->len && found == NULL; i++)
      if (n++ == nth)
        found = g_ptr_array_index (order, i);
  }
  g_assert_nonnull (found);
  return found;
}

static void
test_contact_policy (Fixture       *f,
                     gconstpointer  data)
{
  DdPreferencesWindow *window;
  GtkWidget *preset_row, *hours_group, *until;
  g_autofree char *json = NULL;

  dd_context_set_agent (f->context, f->manager_id, "Zofia Nowak", TRUE);
  window = dd_test_show_window (dd_preferences_window_new (NULL, f->context));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "contact-policy");
  preset_row = child (window, "policy_preset_row");
  hours_group = child (window, "policy_hours_group");

  /* a Polish office starts from the Polish preset, nothing saved yet */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (preset_row)), ==, 0);
  json = g_settings_get_string (f->settings, "contact-policy");
  g_assert_cmpstr (json, ==, "");
  g_clear_pointer (&json, g_free);

  /* working days until 18:00: saved as a custom policy */
  until = find_drop_down_in_row (hours_group, "Working Days", 1);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (until)), ==, 40);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (until), 36);
  json = g_settings_get_string (f->settings, "contact-policy");
  g_assert_nonnull (strstr (json, "\"end\":\"18:00\""));
  g_assert_nonnull (strstr (json, "\"preset\":null"));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (preset_row)), ==, 2);
  g_clear_pointer (&json, g_free);

  /* ending before it starts is refused, the saved policy stays */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (until), 10);
  json = g_settings_get_string (f->settings, "contact-policy");
  g_assert_nonnull (strstr (json, "\"end\":\"18:00\""));
  g_clear_pointer (&json, g_free);

  /* the Russian 230-FZ preset */
  adw_combo_row_set_selected (ADW_COMBO_ROW (preset_row), 1);
  json = g_settings_get_string (f->settings, "contact-policy");
  g_assert_nonnull (strstr (json, "\"preset\":\"ru-230fz\""));
  g_assert_nonnull (strstr (json, "\"call\":{\"day\":1,\"week\":2,\"month\":8}"));
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (until)), ==, 44);
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "contact-policy");
  dd_test_destroy_window (GTK_WINDOW (window));
}

static DdSipAccountEditor *
find_editor (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (DD_IS_SIP_ACCOUNT_EDITOR (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static void
type_into (DdSipAccountEditor *editor,
           const char         *field,
           const char         *text)
{
  gtk_editable_set_text (GTK_EDITABLE (_dd_sip_account_editor_get_row (editor, field)), text);
}

static char *
sip_password (const char *name,
              const char *aor)
{
  g_autoptr(DdSipAccountInfo) info = dd_sip_account_info_new (name, aor);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *password;

  dd_sip_account_lookup_password (info, NULL, on_async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  password = dd_sip_account_lookup_password_finish (result, &error);
  g_assert_no_error (error);
  return password;
}

/* The SIP Accounts page: add a line through the editor (a wrong address is refused with a
 * message, nothing saved), the password goes to the keyring and the rest to the settings, the
 * row shows what the registrar said, and Remove takes both away. */
static void
test_sip_accounts (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) registrar = NULL;
  g_autoptr(GSource) source = NULL;
  g_autoptr(GPtrArray) saved = NULL;
  g_autofree char *registrar_uri = NULL;
  g_autofree char *password = NULL;
  g_autofree char *gone = NULL;
  g_autofree char *described = NULL;
  DdPreferencesWindow *window;
  DdSipAccountEditor *editor;
  DdSipAccountsGroup *group;
  GtkWidget *aor_row;
  guint registers = 0;
  gint64 until;

  source = refusing_registrar_start (&registrar, &registers, &registrar_uri);
  g_settings_set_string (f->settings, "sip-local-address", "127.0.0.1");

  dd_context_set_agent (f->context, f->manager_id, "Zofia Nowak", TRUE);
  window = dd_test_show_window (dd_preferences_window_new (NULL, f->context));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "sip-accounts");
  group = DD_SIP_ACCOUNTS_GROUP (_dd_preferences_window_get_sip_accounts_group (window));
  described = dd_sip_accounts_group_describe (group);
  g_assert_cmpstr (described, ==, "");
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "sip-accounts-empty");

  /* Add…: the editor */
  g_signal_emit_by_name (adw_preferences_group_get_header_suffix (ADW_PREFERENCES_GROUP (group)),
                         "clicked");
  dd_test_iterate_for (100);
  editor = find_editor ();
  g_assert_nonnull (editor);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  type_into (editor, "name", "Operator");
  type_into (editor, "aor", "48221110001");          /* a number, not a SIP address */
  type_into (editor, "registrar", registrar_uri);
  type_into (editor, "password", "tajne-hasło");
  _dd_sip_account_editor_save (editor);
  dd_test_iterate_for (100);
  aor_row = _dd_sip_account_editor_get_row (editor, "aor");
  g_assert_nonnull (aor_row);
  g_assert_true (gtk_widget_has_css_class (aor_row, "error"));
  g_assert_true (find_editor () == editor);          /* still open */
  saved = dd_sip_accounts_load (f->settings);
  g_assert_cmpuint (saved->len, ==, 0);
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "sip-account-editor-error");

  type_into (editor, "aor", "sip:48221110001@127.0.0.1");
  g_assert_false (gtk_widget_has_css_class (aor_row, "error"));   /* fixed: no longer marked */
  _dd_sip_account_editor_save (editor);
  until = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (find_editor () != NULL && g_get_monotonic_time () < until)
    dd_test_iterate_for (20);
  g_assert_null (find_editor ());
  dd_test_iterate_for (50);
  g_assert_null (editor);          /* closed and gone */
  g_clear_pointer (&saved, g_ptr_array_unref);
  saved = dd_sip_accounts_load (f->settings);
  g_assert_cmpuint (saved->len, ==, 1);
  g_assert_cmpstr (((DdSipAccountInfo *) g_ptr_array_index (saved, 0))->aor, ==,
                   "sip:48221110001@127.0.0.1");
  {
    g_autofree char *json = g_settings_get_string (f->settings, "sip-accounts");

    g_assert_null (strstr (json, "tajne"));
  }
  password = sip_password ("Operator", "sip:48221110001@127.0.0.1");
  g_assert_cmpstr (password, ==, "tajne-hasło");

  /* the engine signs in with it; the registrar refuses, and the row says so */
  until = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  do
    {
      dd_test_iterate_for (50);
      g_free (described);
      described = dd_sip_accounts_group_describe (group);
    }
  while (strstr (described, "403") == NULL && g_get_monotonic_time () < until);
  g_assert_cmpuint (registers, >=, 1);
  g_assert_nonnull (strstr (described, "Operator\t"));
  g_assert_nonnull (strstr (described, "403 Forbidden"));
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "sip-accounts");

  /* open it again and remove it */
  {
    GtkWidget *editor_widget = dd_sip_account_editor_new (f->context, "Operator");

    editor = DD_SIP_ACCOUNT_EDITOR (editor_widget);
    g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);

    gtk_window_set_transient_for (GTK_WINDOW (editor_widget), GTK_WINDOW (window));
    gtk_window_present (GTK_WINDOW (editor_widget));
    dd_test_iterate_for (100);
    dd_test_save_screenshot (SCREENSHOT_PREFIX, "sip-account-editor");
    _dd_sip_account_editor_remove (DD_SIP_ACCOUNT_EDITOR (editor_widget));
  }
  until = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (find_editor () != NULL && g_get_monotonic_time () < until)
    dd_test_iterate_for (20);
  g_assert_null (find_editor ());
  dd_test_iterate_for (50);
  g_assert_null (editor);
  g_clear_pointer (&saved, g_ptr_array_unref);
  saved = dd_sip_accounts_load (f->settings);
  g_assert_cmpuint (saved->len, ==, 0);
  gone = sip_password ("Operator", "sip:48221110001@127.0.0.1");
  g_assert_null (gone);
  g_free (described);
  described = dd_sip_accounts_group_describe (group);
  g_assert_cmpstr (described, ==, "");

  g_source_destroy (source);
  dd_test_destroy_window (GTK_WINDOW (window));
}

/* Preferences › Letters */

static GtkWidget *
letters_widget (DdLettersPage *page,
                const char    *name)
{
  GtkWidget *widget = _dd_letters_page_get_widget (page, name);

  g_assert_nonnull (widget);
  return widget;
}

static void
test_letters (Fixture       *f,
              gconstpointer  data)
{
  DdPreferencesWindow *window;
  DdLettersPage *page;
  GtkLabel *office_error;
  GtkLabel *rate_error;
  g_autofree char *shown = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DdRateTable) rates = NULL;
  GDate day;
  gint64 rate = 0;

  g_settings_set_string (f->settings, "default-country", "PL");
  dd_context_set_agent (f->context, f->manager_id, "Zofia Nowak", TRUE);
  window = dd_test_show_window (dd_preferences_window_new (NULL, f->context));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "letters");
  page = DD_LETTERS_PAGE (_dd_preferences_window_get_letters_page (window));
  office_error = GTK_LABEL (letters_widget (page, "office_error_label"));
  rate_error = GTK_LABEL (letters_widget (page, "rate_error_label"));

  /* a NIP with a wrong check digit is refused at its row, a right one kept */
  gtk_editable_set_text (GTK_EDITABLE (letters_widget (page, "tax_id_row")), "526-025-02-75");
  g_assert_true (gtk_widget_has_css_class (letters_widget (page, "tax_id_row"), "error"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (office_error)));
  assert_setting (f, "office-tax-id", "");
  gtk_editable_set_text (GTK_EDITABLE (letters_widget (page, "tax_id_row")), "526-025-02-74");
  g_assert_false (gtk_widget_has_css_class (letters_widget (page, "tax_id_row"), "error"));
  assert_setting (f, "office-tax-id", "526-025-02-74");

  /* an IBAN with a mistyped digit, then the right one */
  gtk_editable_set_text (GTK_EDITABLE (letters_widget (page, "bank_account_row")),
                         "PL61 1090 1014 0000 0712 1981 2875");
  g_assert_true (gtk_widget_has_css_class (letters_widget (page, "bank_account_row"), "error"));
  g_assert_nonnull (strstr (gtk_label_get_text (office_error), "check digits"));
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "letters-bad-iban");
  gtk_editable_set_text (GTK_EDITABLE (letters_widget (page, "bank_account_row")),
                         "PL61 1090 1014 0000 0712 1981 2874");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (office_error)));
  assert_setting (f, "office-bank-account", "PL61 1090 1014 0000 0712 1981 2874");

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (letters_widget (page,
                                                                        "address_view"))),
                            "ul. Długa 1\n80-831 Gdańsk", -1);
  assert_setting (f, "office-address", "ul. Długa 1\n80-831 Gdańsk");
  gtk_editable_set_text (GTK_EDITABLE (letters_widget (page, "signature_row")), "Anna Kowalska");
  assert_setting (f, "letter-signature", "Anna Kowalska");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (letters_widget (page, "deadline_spin")), 14);
  g_assert_cmpuint (g_settings_get_uint (f->settings, "letter-deadline-days"), ==, 14);

  /* the shipped NBP table is shown with its rates */
  shown = _dd_letters_page_describe_series (page, "nbp-reference");
  g_assert_nonnull (strstr (shown, "2015-03-05\t1.50 %\t\n"));
  g_clear_pointer (&shown, g_free);

  /* a new rate from a date: a bad date and a bad rate are refused at their rows */
  adw_combo_row_set_selected (ADW_COMBO_ROW (letters_widget (page, "series_row")), 0);
  gtk_editable_set_text (GTK_EDITABLE (letters_widget (page, "from_row")), "2027-13-01");
  gtk_editable_set_text (GTK_EDITABLE (letters_widget (page, "rate_row")), "3.50");
  g_signal_emit_by_name (letters_widget (page, "add_rate_button"), "clicked");
  g_assert_true (gtk_widget_has_css_class (letters_widget (page, "from_row"), "error"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (rate_error)));
  gtk_editable_set_text (GTK_EDITABLE (letters_widget (page, "from_row")), "2027-01-08");
  gtk_editable_set_text (GTK_EDITABLE (letters_widget (page, "rate_row")), "three");
  g_signal_emit_by_name (letters_widget (page, "add_rate_button"), "clicked");
  g_assert_true (gtk_widget_has_css_class (letters_widget (page, "rate_row"), "error"));
  gtk_editable_set_text (GTK_EDITABLE (letters_widget (page, "rate_row")), "3,50");
  g_signal_emit_by_name (letters_widget (page, "add_rate_button"), "clicked");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (rate_error)));
  g_assert_cmpint (dd_test_query_int (f->database,
                                      "SELECT COUNT(*) FROM rate_table WHERE series ="
                                      " 'nbp-reference' AND valid_from = '2027-01-08'"
                                      " AND rate = '3.50'"), ==, 1);
  shown = _dd_letters_page_describe_series (page, "nbp-reference");
  g_assert_true (g_str_has_prefix (shown, "2027-01-08\t3.50 %\toffice\n"));
  g_clear_pointer (&shown, g_free);
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "letters");

  /* dd-interest uses it */
  rates = dd_rate_table_new_builtin (&error);
  g_assert_no_error (error);
  g_assert_true (dd_rate_table_load_overrides (rates, f->database, &error));
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 15, G_DATE_JANUARY, 2027);
  g_assert_true (dd_rate_table_lookup (rates, "nbp-reference", &day, &rate, NULL));
  g_assert_cmpint (rate, ==, 35000);

  dd_test_destroy_window (GTK_WINDOW (window));
}

/* Preferences › E-mail */

/* A one-connection SMTP server in a thread that offers AUTH PLAIN and refuses every login. */
static gpointer
refusing_smtp_server (gpointer data)
{
  g_autoptr(GSocket) listener = data;
  g_autoptr(GSocket) client = g_socket_accept (listener, NULL, NULL);
  char buffer[1024];
  gssize n;

  if (client == NULL)
    return NULL;
  g_socket_send (client, "220 fake ESMTP\r\n", 16, NULL, NULL);
  while ((n = g_socket_receive (client, buffer, sizeof buffer - 1, NULL, NULL)) > 0)
    {
      const char *answer;

      buffer[n] = '\0';
      if (g_ascii_strncasecmp (buffer, "EHLO", 4) == 0)
        answer = "250-fake\r\n250 AUTH PLAIN LOGIN\r\n";
      else if (g_ascii_strncasecmp (buffer, "AUTH", 4) == 0)
        answer = "535 5.7.8 Authentication credentials invalid\r\n";
      else if (g_ascii_strncasecmp (buffer, "QUIT", 4) == 0)
        {
          g_socket_send (client, "221 bye\r\n", 9, NULL, NULL);
          break;
        }
      else
        answer = "502 not here\r\n";
      g_socket_send (client, answer, strlen (answer), NULL, NULL);
    }
  return NULL;
}

static GSocket *
listen_on_loopback (guint *out_port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, TRUE, &error));
  g_assert_true (g_socket_listen (socket, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *out_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return socket;
}

static gboolean
mail_test_done (gpointer data)
{
  return !_dd_mail_page_is_testing (data);
}

static void
run_mail_test (DdMailPage *page)
{
  g_signal_emit_by_name (_dd_mail_page_get_row (page, "test"), "clicked");
  g_assert_true (_dd_mail_page_is_testing (page));
  g_assert_true (dd_test_wait_until (mail_test_done, page, 60000));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (_dd_mail_page_get_test_result (page))));
}

static void
test_mail (Fixture       *f,
           gconstpointer  data)
{
  DdPreferencesWindow *window;
  DdMailPage *page;
  GtkLabel *result;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = NULL;
  g_auto(GStrv) recipients = NULL;
  GSocket *refusing;
  GThread *thread;
  guint port;

  dd_context_set_agent (f->context, f->manager_id, "Zofia Nowak", TRUE);
  window = dd_test_show_window (dd_preferences_window_new (NULL, f->context));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "mail");
  page = DD_MAIL_PAGE (_dd_preferences_window_get_mail_page (window));
  result = _dd_mail_page_get_test_result (page);

  /* addresses are checked as they are typed; only good ones are kept */
  gtk_editable_set_text (GTK_EDITABLE (_dd_mail_page_get_row (page, "from")),
                         "biuro@kancelaria.pl");
  gtk_editable_set_text (GTK_EDITABLE (_dd_mail_page_get_row (page, "recipients")),
                         "szef@kancelaria.pl, ksiegowa kancelaria.pl");
  g_assert_true (gtk_widget_has_css_class (_dd_mail_page_get_row (page, "recipients"), "error"));
  recipients = g_settings_get_strv (f->settings, "mail-recipients");
  g_assert_cmpuint (g_strv_length (recipients), ==, 0);
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "mail-bad-address");
  gtk_editable_set_text (GTK_EDITABLE (_dd_mail_page_get_row (page, "recipients")),
                         "szef@kancelaria.pl, ksiegowa@kancelaria.pl");
  g_assert_false (gtk_widget_has_css_class (_dd_mail_page_get_row (page, "recipients"), "error"));
  g_clear_pointer (&recipients, g_strfreev);
  recipients = g_settings_get_strv (f->settings, "mail-recipients");
  g_assert_cmpuint (g_strv_length (recipients), ==, 2);
  assert_setting (f, "mail-from", "biuro@kancelaria.pl");

  /* nobody listens: the server's rows are marked, the reason is under the button */
  port = dd_test_free_port (G_SOCKET_PROTOCOL_TCP);
  gtk_editable_set_text (GTK_EDITABLE (_dd_mail_page_get_row (page, "server")), "127.0.0.1");
  adw_combo_row_set_selected (ADW_COMBO_ROW (_dd_mail_page_get_row (page, "security")), 2);
  g_settings_set_uint (f->settings, "mail-port", port);
  assert_setting (f, "mail-server", "127.0.0.1");
  assert_setting (f, "mail-security", "none");
  run_mail_test (page);
  g_assert_nonnull (strstr (gtk_label_get_text (result), "Cannot reach"));
  g_assert_true (gtk_widget_has_css_class (_dd_mail_page_get_row (page, "server"), "error"));
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "mail-unreachable");

  /* a server that refuses the login: the user and password rows are marked */
  refusing = listen_on_loopback (&port);
  thread = g_thread_new ("refusing-smtp", refusing_smtp_server, refusing);
  g_settings_set_uint (f->settings, "mail-port", port);
  gtk_editable_set_text (GTK_EDITABLE (_dd_mail_page_get_row (page, "user")), "biuro");
  gtk_editable_set_text (GTK_EDITABLE (_dd_mail_page_get_row (page, "password")), "wrong");
  run_mail_test (page);
  g_thread_join (thread);
  g_assert_nonnull (strstr (gtk_label_get_text (result), "refused the login"));
  g_assert_true (gtk_widget_has_css_class (_dd_mail_page_get_row (page, "password"), "error"));
  g_assert_false (gtk_widget_has_css_class (_dd_mail_page_get_row (page, "server"), "error"));
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "mail-login-refused");

  /* a real SMTP server (aiosmtpd) takes the test e-mail */
  port = dd_test_free_port (G_SOCKET_PROTOCOL_TCP);
  listen = g_strdup_printf ("127.0.0.1:%u", port);
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                             &error, "/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", listen,
                             NULL);
  g_assert_no_error (error);
  /* until the server listens */
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection =
        g_socket_client_connect_to_host (client, listen, 0, NULL, NULL);

      if (connection != NULL)
        break;
      dd_test_iterate_for (100);
    }
  gtk_editable_set_text (GTK_EDITABLE (_dd_mail_page_get_row (page, "user")), "");
  gtk_editable_set_text (GTK_EDITABLE (_dd_mail_page_get_row (page, "password")), "");
  g_settings_set_uint (f->settings, "mail-port", port);
  run_mail_test (page);
  g_assert_nonnull (strstr (gtk_label_get_text (result), "was sent"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (result), "success"));
  g_assert_false (gtk_widget_has_css_class (_dd_mail_page_get_row (page, "password"), "error"));
  dd_test_save_screenshot (SCREENSHOT_PREFIX, "mail-sent");
  g_subprocess_force_exit (server);
  dd_test_destroy_window (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  adw_init ();

  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/io/github/dunningdesk/DunningDesk/icons");

  g_test_add ("/dd/ui/preferences/general-binds-settings", Fixture, NULL,
              fixture_set_up, test_general_binds_settings, fixture_tear_down);
  g_test_add ("/dd/ui/preferences/users-manager", Fixture, NULL,
              fixture_set_up, test_users_manager, fixture_tear_down);
  g_test_add ("/dd/ui/preferences/users-consultant", Fixture, NULL,
              fixture_set_up, test_users_consultant, fixture_tear_down);
  g_test_add ("/dd/ui/preferences/later-pages", Fixture, NULL,
              fixture_set_up, test_later_pages, fixture_tear_down);
  g_test_add ("/dd/ui/preferences/contact-policy", Fixture, NULL,
              fixture_set_up, test_contact_policy, fixture_tear_down);
  g_test_add ("/dd/ui/preferences/sms-provider", Fixture, NULL,
              fixture_set_up, test_sms_provider, fixture_tear_down);
  g_test_add ("/dd/ui/preferences/sip-accounts", Fixture, NULL,
              fixture_set_up, test_sip_accounts, fixture_tear_down);
  g_test_add ("/dd/ui/preferences/letters", Fixture, NULL,
              fixture_set_up, test_letters, fixture_tear_down);
  g_test_add ("/dd/ui/preferences/mail", Fixture, NULL,
              fixture_set_up, test_mail, fixture_tear_down);

  return g_test_run ();
}
