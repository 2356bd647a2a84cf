/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-preferences-window"

#include "config.h"

#include "dd-preferences-window.h"
#include "dd-a11y.h"
#include "dd-database-page.h"
#include "dd-preferences-window-private.h"

#include "dd-application.h"
#include "dd-creditors-group.h"
#include "dd-question.h"
#include "dd-secret-store.h"
#include "dd-letters-page.h"
#include "dd-manager-unlock.h"
#include "dd-mail-page.h"
#include "dd-sip-accounts-group.h"
#include "dd-sms-account.h"
#include "dd-time-zones.h"
#include "dd-users.h"

#include "dd-agent-store.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

typedef struct
{
  const char *code;
  const char *name;
} CodeName;

/* The countries offered first; a code set elsewhere is added to the list as it is. */
static const CodeName countries[] = {
  { "AT", N_("Austria") },
  { "BY", N_("Belarus") },
  { "CZ", N_("Czechia") },
  { "EE", N_("Estonia") },
  { "FR", N_("France") },
  { "DE", N_("Germany") },
  { "HU", N_("Hungary") },
  { "IT", N_("Italy") },
  { "KZ", N_("Kazakhstan") },
  { "LV", N_("Latvia") },
  { "LT", N_("Lithuania") },
  { "NL", N_("Netherlands") },
  { "PL", N_("Poland") },
  { "RU", N_("Russia") },
  { "SK", N_("Slovakia") },
  { "ES", N_("Spain") },
  { "CH", N_("Switzerland") },
  { "UA", N_("Ukraine") },
  { "GB", N_("United Kingdom") },
  { "US", N_("United States") },
};

static const CodeName currencies[] = {
  { "BYN", N_("Belarusian ruble") },
  { "GBP", N_("British pound") },
  { "CZK", N_("Czech koruna") },
  { "EUR", N_("Euro") },
  { "HUF", N_("Hungarian forint") },
  { "KZT", N_("Kazakhstani tenge") },
  { "PLN", N_("Polish złoty") },
  { "RUB", N_("Russian ruble") },
  { "CHF", N_("Swiss franc") },
  { "UAH", N_("Ukrainian hryvnia") },
  { "USD", N_("US dollar") },
};

struct _DdPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  DdContext            *context;
  DdAgentStore         *agent_store;
  AdwPreferencesPage   *general_page;
  GtkWidget            *database_page;    /* its groups are at the end of General */
  GPtrArray            *country_codes;   /* char *, by position in country_row */
  GPtrArray            *currency_codes;
  GPtrArray            *time_zones;      /* char *, "" for the system's */
  GPtrArray            *user_rows;       /* AdwActionRow */
  guint                 rebuild_source;
  gboolean              updating;

  /* template children */
  AdwEntryRow          *office_name_row;
  AdwComboRow          *country_row;
  AdwComboRow          *currency_row;
  GtkDropDown          *time_zone_drop_down;
  GtkSpinButton        *segment_price_spin;
  AdwComboRow          *provider_row;
  AdwEntryRow          *api_url_row;
  AdwEntryRow          *api_user_row;
  AdwEntryRow          *secret_row;
  AdwActionRow         *secret_status_row;
  GtkWidget            *provider_warning_icon;
  GtkWidget            *forget_secret_button;
  AdwEntryRow          *sender_row;
  AdwEntryRow          *callback_row;
  GCancellable         *secret_cancellable;
  gboolean              has_secret;
  gboolean              secret_known;    /* the keyring answered for the provider shown */
  AdwComboRow          *policy_preset_row;
  AdwPreferencesGroup  *policy_hours_group;
  AdwPreferencesGroup  *policy_limits_group;
  AdwComboRow          *policy_holidays_row;
  AdwEntryRow          *policy_extra_days_row;
  DdContactPolicy      *policy;
  GtkWidget            *hour_switches[DD_DAY_N_KINDS];
  GtkWidget            *hour_from[DD_DAY_N_KINDS];
  GtkWidget            *hour_to[DD_DAY_N_KINDS];
  GtkWidget            *limit_spins[DD_CONTACT_N_CHANNELS + 1][3];
  AdwPreferencesGroup  *users_group;
  GtkWidget            *add_user_button;
  AdwPreferencesPage   *sip_accounts_page;
  GtkWidget            *sip_accounts_group;
  GtkWidget            *ring_spin;
  GtkWidget            *mail_page;
  GtkWidget            *letters_page;
};

G_DEFINE_FINAL_TYPE (DdPreferencesWindow, dd_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void rebuild_users (DdPreferencesWindow *self);

static gboolean
rebuild_users_idle (gpointer user_data)
{
  DdPreferencesWindow *self = user_data;

  self->rebuild_source = 0;
  rebuild_users (self);
  return G_SOURCE_REMOVE;
}

/* Rebuilds the list once the control that changed has finished its signal. */
static void
queue_rebuild_users (DdPreferencesWindow *self)
{
  if (self->rebuild_source == 0)
    self->rebuild_source = g_idle_add (rebuild_users_idle, self);
}

static void
show_toast (DdPreferencesWindow *self,
            const char          *text)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

/* General page */

typedef struct
{
  const char *code;
  char       *label;
} Choice;

static int
compare_choices (gconstpointer a,
                 gconstpointer b)
{
  const Choice *ca = a;
  const Choice *cb = b;

  return g_utf8_collate (ca->label, cb->label);
}

/* Fills @row with the translated names of @table (sorted as the language sorts them) and
 * @codes with the codes in the same order; @current is added when the table lacks it. */
static void
fill_code_row (AdwComboRow    *row,
               const CodeName *table,
               guint           n_entries,
               const char     *current,
               GPtrArray      *codes)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  g_autoptr(GArray) choices = g_array_new (FALSE, FALSE, sizeof (Choice));
  gboolean found = FALSE;

  for (guint i = 0; i < n_entries; i++)
    {
      /* Translators: a country or currency in a list; the first %s is its name, the
       * second its code ("Poland (PL)", "Euro (EUR)") */
      Choice choice = { table[i].code,
                        g_strdup_printf (C_("code choice", "%s (%s)"), _(table[i].name),
                                         table[i].code) };

      g_array_append_val (choices, choice);
      found = found || g_strcmp0 (current, table[i].code) == 0;
    }
  g_array_sort (choices, compare_choices);

  for (guint i = 0; i < choices->len; i++)
    {
      Choice *choice = &g_array_index (choices, Choice, i);

      gtk_string_list_append (model, choice->label);
      g_ptr_array_add (codes, g_strdup (choice->code));
      g_free (choice->label);
    }
  if (!found && current != NULL && *current != '\0')
    {
      gtk_string_list_append (model, current);
      g_ptr_array_add (codes, g_strdup (current));
    }

  adw_combo_row_set_model (row, G_LIST_MODEL (model));
}

static gboolean
code_to_position (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  GPtrArray *codes = user_data;
  const char *code = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < codes->len; i++)
    if (g_strcmp0 (g_ptr_array_index (codes, i), code) == 0)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
position_to_code (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  GPtrArray *codes = user_data;
  guint position = g_value_get_uint (value);

  if (position >= codes->len)
    return NULL;
  return g_variant_new_string (g_ptr_array_index (codes, position));
}

static void
setup_general (DdPreferencesWindow *self)
{
  GSettings *settings = dd_context_get_settings (self->context);
  g_autofree char *country = NULL;
  g_autofree char *currency = NULL;
  g_autofree char *zone = NULL;
  g_autoptr(GtkStringList) zone_model = gtk_string_list_new (NULL);
  g_autoptr(GtkExpression) expression = NULL;

  if (settings != NULL)
    {
      country = g_settings_get_string (settings, "default-country");
      currency = g_settings_get_string (settings, "default-currency");
      zone = g_settings_get_string (settings, "time-zone");
    }

  fill_code_row (self->country_row, countries, G_N_ELEMENTS (countries), country,
                 self->country_codes);
  fill_code_row (self->currency_row, currencies, G_N_ELEMENTS (currencies), currency,
                 self->currency_codes);

  self->time_zones = dd_time_zone_names (zone);
  for (guint i = 0; i < self->time_zones->len; i++)
    {
      const char *name = g_ptr_array_index (self->time_zones, i);

      /* Translators: the time zone choice that follows the computer's own setting */
      gtk_string_list_append (zone_model, *name == '\0' ? _("System") : name);
    }
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->time_zone_drop_down, expression);
  gtk_drop_down_set_model (self->time_zone_drop_down, G_LIST_MODEL (zone_model));

  if (settings == NULL)
    {
      /* the schema is not installed: nothing could be kept */
      gtk_widget_set_sensitive (GTK_WIDGET (self->office_name_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->country_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->currency_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->time_zone_drop_down), FALSE);
      return;
    }

  g_settings_bind (settings, "office-name", self->office_name_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "default-country", self->country_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, code_to_position, position_to_code,
                                self->country_codes, NULL);
  g_settings_bind_with_mapping (settings, "default-currency", self->currency_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, code_to_position, position_to_code,
                                self->currency_codes, NULL);
  g_settings_bind_with_mapping (settings, "time-zone", self->time_zone_drop_down, "selected",
                                G_SETTINGS_BIND_DEFAULT, code_to_position, position_to_code,
                                self->time_zones, NULL);
}

static void show_whole_names (AdwComboRow *row);

/* The region rows of the first start assistant: the same lists, bound to the same keys. */
void
dd_preferences_bind_region_rows (AdwComboRow *country_row,
                                 AdwComboRow *currency_row,
                                 GSettings   *settings)
{
  g_autoptr(GPtrArray) country_codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) currency_codes = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *country = NULL;
  g_autofree char *currency = NULL;

  g_return_if_fail (ADW_IS_COMBO_ROW (country_row) && ADW_IS_COMBO_ROW (currency_row));

  if (settings != NULL)
    {
      country = g_settings_get_string (settings, "default-country");
      currency = g_settings_get_string (settings, "default-currency");
    }
  fill_code_row (country_row, countries, G_N_ELEMENTS (countries), country, country_codes);
  fill_code_row (currency_row, currencies, G_N_ELEMENTS (currencies), currency, currency_codes);
  show_whole_names (country_row);
  show_whole_names (currency_row);
  if (settings == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (country_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (currency_row), FALSE);
      return;
    }
  g_settings_bind_with_mapping (settings, "default-country", country_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, code_to_position, position_to_code,
                                g_ptr_array_ref (country_codes),
                                (GDestroyNotify) g_ptr_array_unref);
  g_settings_bind_with_mapping (settings, "default-currency", currency_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, code_to_position, position_to_code,
                                g_ptr_array_ref (currency_codes),
                                (GDestroyNotify) g_ptr_array_unref);
}

/* SMS providers page */

static gboolean
price_to_value (GValue   *value,
                GVariant *variant,
                gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_int64 (variant) / 100.0);
  return TRUE;
}

static GVariant *
value_to_price (const GValue       *value,
                const GVariantType *expected_type,
                gpointer            user_data)
{
  return g_variant_new_int64 ((gint64) (g_value_get_double (value) * 100 + 0.5));
}

/* The providers this version can send through, in the order offered. */
static const char *const sms_providers[] = { "test", "smsapi", "twilio", "kannel" };

static const char *
selected_provider (DdPreferencesWindow *self)
{
  guint i = adw_combo_row_get_selected (self->provider_row);

  return i < G_N_ELEMENTS (sms_providers) ? sms_providers[i] : "test";
}

static DdSmsAccount *
account_from_rows (DdPreferencesWindow *self)
{
  return dd_sms_account_new (selected_provider (self),
                             gtk_editable_get_text (GTK_EDITABLE (self->api_url_row)),
                             gtk_editable_get_text (GTK_EDITABLE (self->api_user_row)),
                             gtk_editable_get_text (GTK_EDITABLE (self->sender_row)));
}

static void
show_secret_status (DdPreferencesWindow *self)
{
  const char *provider = selected_provider (self);
  gboolean twilio = g_str_equal (provider, "twilio");
  gboolean kannel = g_str_equal (provider, "kannel");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_row),
                                 twilio ? _("Auth _Token") : kannel ? _("_Password") : _("_Token"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->api_user_row),
                                 twilio ? _("Account _SID") : _("_User"));
  adw_action_row_set_subtitle (self->secret_status_row,
                               self->has_secret
                               ? _("Stored in your keyring")
                               : _("Nothing stored yet: campaigns cannot be sent"));
  gtk_widget_set_sensitive (self->forget_secret_button, self->has_secret);

  /* a provider without its token is a state of the settings, said where it is chosen */
  if (dd_sms_account_needs_secret (provider) && self->secret_known && !self->has_secret)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->provider_row),
                                   twilio ? _("Auth token needed: enter it below; campaigns are "
                                              "not sent until it is saved")
                                   : kannel ? _("Password needed: enter it below; campaigns are "
                                                "not sent until it is saved")
                                   : _("Token needed: enter it below; campaigns are not sent "
                                       "until it is saved"));
      gtk_widget_set_visible (self->provider_warning_icon, TRUE);
    }
  else
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->provider_row), NULL);
      gtk_widget_set_visible (self->provider_warning_icon, FALSE);
    }
}

static void
on_secret_status (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  DdPreferencesWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  char *secret = dd_sms_account_lookup_secret_finish (result, &error);
  gboolean found = secret != NULL;

  dd_secret_free (secret);   /* only whether there is one matters here */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->has_secret = found;
  self->secret_known = TRUE;
  show_secret_status (self);
  if (error != NULL)
    adw_action_row_set_subtitle (self->secret_status_row, error->message);
}

static void
refresh_sms_rows (DdPreferencesWindow *self)
{
  g_autoptr(DdSmsAccount) account = account_from_rows (self);
  gboolean real = dd_sms_account_needs_secret (account->provider);

  gtk_widget_set_visible (GTK_WIDGET (self->api_url_row), real);
  gtk_widget_set_visible (GTK_WIDGET (self->api_user_row),
                          dd_sms_account_needs_username (account->provider));
  gtk_widget_set_visible (GTK_WIDGET (self->secret_row), real);
  gtk_widget_set_visible (GTK_WIDGET (self->secret_status_row), real);
  gtk_widget_set_visible (GTK_WIDGET (self->sender_row), real);
  gtk_widget_set_visible (GTK_WIDGET (self->callback_row), real);
  self->has_secret = FALSE;
  self->secret_known = FALSE;
  show_secret_status (self);

  g_cancellable_cancel (self->secret_cancellable);
  g_clear_object (&self->secret_cancellable);
  if (real)
    {
      self->secret_cancellable = g_cancellable_new ();
      dd_sms_account_lookup_secret (account, self->secret_cancellable, on_secret_status, self);
    }
}

static void
save_sms_account (DdPreferencesWindow *self)
{
  GSettings *settings = dd_context_get_settings (self->context);
  g_autoptr(DdSmsAccount) account = NULL;

  if (self->updating || settings == NULL)
    return;
  account = account_from_rows (self);
  dd_sms_account_save (account, settings);
  g_settings_set_string (settings, "sms-callback-url",
                         gtk_editable_get_text (GTK_EDITABLE (self->callback_row)));
  refresh_sms_rows (self);
  dd_context_sms_account_changed (self->context);
}

static void
on_secret_stored (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DdPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dd_sms_account_store_secret_finish (result, &error))
    {
      /* Translators: %s is the keyring's error message */
      g_autofree char *text = g_strdup_printf (_("Could not save in the keyring: %s"),
                                               error->message);

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
      return;
    }
  refresh_sms_rows (self);
  dd_context_sms_account_changed (self->context);
}

static void
on_secret_applied (DdPreferencesWindow *self)
{
  g_autoptr(DdSmsAccount) account = account_from_rows (self);
  g_autofree char *secret = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->secret_row)));

  if (*secret == '\0')
    return;
  /* the entry never keeps it */
  gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
  dd_sms_account_store_secret (account, secret, NULL, on_secret_stored, g_object_ref (self));
  memset (secret, 0, strlen (secret));
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("Saved in your keyring")));
}

static void
on_forget_secret_clicked (DdPreferencesWindow *self)
{
  g_autoptr(DdSmsAccount) account = account_from_rows (self);

  dd_sms_account_store_secret (account, NULL, NULL, on_secret_stored, g_object_ref (self));
}

/* The lists of the combo rows show whole names (Polish and Russian ones are long), not cut to
 * twenty characters; the chosen one is shown in full under the row's title. */
static void
show_whole_names (AdwComboRow *row)
{
  static const char ui[] =
    "<interface><template class=\"GtkListItem\"><property name=\"child\">"
    "<object class=\"GtkLabel\"><property name=\"xalign\">0</property>"
    "<binding name=\"label\"><lookup name=\"string\" type=\"GtkStringObject\">"
    "<lookup name=\"item\">GtkListItem</lookup></lookup></binding>"
    "</object></property></template></interface>";
  g_autoptr(GBytes) bytes = g_bytes_new_static (ui, sizeof ui - 1);
  g_autoptr(GtkListItemFactory) factory = gtk_builder_list_item_factory_new_from_bytes (NULL,
                                                                                       bytes);

  adw_combo_row_set_list_factory (row, factory);
  adw_combo_row_set_use_subtitle (row, TRUE);
}

/* SIP Accounts › Calls at This Desk: how long a debtor who asked a call flow for a
 * consultant rings here before the flow takes the call back. */
static void
setup_calls (DdPreferencesWindow *self)
{
  GSettings *settings = dd_context_get_settings (self->context);
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Calls at This Desk"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Ring Time for a Consultant"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("Seconds a debtor who asks for a consultant rings here; then "
                                 "the call flow takes the call back and files a callback request"));
  self->ring_spin = gtk_spin_button_new_with_range (3, 120, 1);
  gtk_widget_set_valign (self->ring_spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->ring_spin),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, row, NULL, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->ring_spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), self->ring_spin);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  adw_preferences_page_add (self->sip_accounts_page, ADW_PREFERENCES_GROUP (group));
  if (settings != NULL)
    g_settings_bind (settings, "transfer-ring-seconds", self->ring_spin, "value",
                     G_SETTINGS_BIND_DEFAULT);
  else
    gtk_widget_set_sensitive (row, FALSE);
}

static void
setup_sms (DdPreferencesWindow *self)
{
  GSettings *settings = dd_context_get_settings (self->context);
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  g_autoptr(DdSmsAccount) account = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (sms_providers); i++)
    gtk_string_list_append (titles, dd_sms_account_provider_title (sms_providers[i]));
  adw_combo_row_set_model (self->provider_row, G_LIST_MODEL (titles));

  if (settings == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->segment_price_spin), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->provider_row), FALSE);
      refresh_sms_rows (self);
      return;
    }
  g_settings_bind_with_mapping (settings, "sms-segment-price", self->segment_price_spin, "value",
                                G_SETTINGS_BIND_DEFAULT, price_to_value, value_to_price, NULL,
                                NULL);

  account = dd_sms_account_new_from_settings (settings);
  self->updating = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (sms_providers); i++)
    if (g_str_equal (account->provider, sms_providers[i]))
      adw_combo_row_set_selected (self->provider_row, i);
  gtk_editable_set_text (GTK_EDITABLE (self->api_url_row), account->url ? account->url : "");
  gtk_editable_set_text (GTK_EDITABLE (self->api_user_row),
                         account->username ? account->username : "");
  gtk_editable_set_text (GTK_EDITABLE (self->sender_row), account->sender ? account->sender : "");
  {
    g_autofree char *callback = g_settings_get_string (settings, "sms-callback-url");

    gtk_editable_set_text (GTK_EDITABLE (self->callback_row), callback);
  }
  self->updating = FALSE;
  refresh_sms_rows (self);

  g_signal_connect_object (self->provider_row, "notify::selected",
                           G_CALLBACK (save_sms_account), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->api_url_row, "apply", G_CALLBACK (save_sms_account), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->api_user_row, "apply", G_CALLBACK (save_sms_account), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sender_row, "apply", G_CALLBACK (save_sms_account), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->callback_row, "apply", G_CALLBACK (save_sms_account), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->secret_row, "apply", G_CALLBACK (on_secret_applied), self,
                           G_CONNECT_SWAPPED);
}

/* Contact policy page */

#define N_TIMES 49   /* 00:00 … 24:00 every half hour */

static const char *const holiday_countries[] = { "PL", "RU", NULL };

static void policy_changed (DdPreferencesWindow *self);

static void
save_policy (DdPreferencesWindow *self)
{
  GSettings *settings = dd_context_get_settings (self->context);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  if (!dd_contact_policy_validate (self->policy, &error))
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (error->message));
      return;
    }
  if (settings == NULL)
    return;
  json = dd_contact_policy_to_json (self->policy);
  g_settings_set_string (settings, "contact-policy", json);
}

/* Shows self->policy in the rows. */
static void
fill_policy_rows (DdPreferencesWindow *self)
{
  const char *const *presets = dd_contact_policy_list_presets ();
  guint preset_index = g_strv_length ((char **) presets);   /* "Custom" */
  guint holidays_index = 2;                                  /* none */
  g_autoptr(GString) extra = g_string_new (NULL);

  self->updating = TRUE;
  for (guint i = 0; presets[i] != NULL; i++)
    if (g_strcmp0 (self->policy->preset, presets[i]) == 0)
      preset_index = i;
  adw_combo_row_set_selected (self->policy_preset_row, preset_index);
  for (guint k = 0; k < DD_DAY_N_KINDS; k++)
    {
      const DdContactWindow *window = &self->policy->windows[k];

      gtk_switch_set_active (GTK_SWITCH (self->hour_switches[k]), window->enabled);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->hour_from[k]),
                                  MIN (window->start_min / 30, N_TIMES - 1));
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->hour_to[k]),
                                  MIN (window->end_min / 30, N_TIMES - 1));
      gtk_widget_set_sensitive (self->hour_from[k], window->enabled);
      gtk_widget_set_sensitive (self->hour_to[k], window->enabled);
    }
  for (guint c = 0; c <= DD_CONTACT_N_CHANNELS; c++)
    {
      const DdContactCap *cap = c < DD_CONTACT_N_CHANNELS ? &self->policy->caps[c]
                                                          : &self->policy->total;

      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->limit_spins[c][0]), cap->per_day);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->limit_spins[c][1]), cap->per_week);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->limit_spins[c][2]), cap->per_month);
    }
  for (guint i = 0; holiday_countries[i] != NULL; i++)
    if (g_strcmp0 (self->policy->holiday_country, holiday_countries[i]) == 0)
      holidays_index = i;
  adw_combo_row_set_selected (self->policy_holidays_row, holidays_index);
  for (guint i = 0; i < self->policy->extra_holidays->len; i++)
    {
      GDate date;
      char text[16];

      g_date_clear (&date, 1);
      g_date_set_julian (&date, g_array_index (self->policy->extra_holidays, guint32, i));
      g_date_strftime (text, sizeof text, "%Y-%m-%d", &date);
      g_string_append_printf (extra, "%s%s", i > 0 ? ", " : "", text);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->policy_extra_days_row), extra->str);
  self->updating = FALSE;
}

/* Reads the rows into self->policy (now a custom one) and saves it. */
static void
policy_changed (DdPreferencesWindow *self)
{
  if (self->updating)
    return;
  for (guint k = 0; k < DD_DAY_N_KINDS; k++)
    {
      DdContactWindow *window = &self->policy->windows[k];

      window->enabled = gtk_switch_get_active (GTK_SWITCH (self->hour_switches[k]));
      window->start_min = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->hour_from[k])) * 30;
      window->end_min = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->hour_to[k])) * 30;
      gtk_widget_set_sensitive (self->hour_from[k], window->enabled);
      gtk_widget_set_sensitive (self->hour_to[k], window->enabled);
    }
  for (guint c = 0; c <= DD_CONTACT_N_CHANNELS; c++)
    {
      DdContactCap *cap = c < DD_CONTACT_N_CHANNELS ? &self->policy->caps[c] : &self->policy->total;

      cap->per_day = (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->limit_spins[c][0]));
      cap->per_week = (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->limit_spins[c][1]));
      cap->per_month = (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->limit_spins[c][2]));
    }
  {
    guint i = adw_combo_row_get_selected (self->policy_holidays_row);

    g_free (self->policy->holiday_country);
    self->policy->holiday_country = g_strdup (i < 2 ? holiday_countries[i] : NULL);
  }
  g_clear_pointer (&self->policy->preset, g_free);
  self->updating = TRUE;
  adw_combo_row_set_selected (self->policy_preset_row,
                              g_strv_length ((char **) dd_contact_policy_list_presets ()));
  self->updating = FALSE;
  save_policy (self);
}

static void
on_extra_days_applied (DdPreferencesWindow *self)
{
  g_auto(GStrv) parts = g_strsplit_set (gtk_editable_get_text (GTK_EDITABLE (self->policy_extra_days_row)),
                                        ", ;", -1);
  g_autoptr(GArray) days = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint y, m, d;
      GDate date;
      guint32 julian;

      if (*parts[i] == '\0')
        continue;
      if (sscanf (parts[i], "%u-%u-%u", &y, &m, &d) != 3 ||
          !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
        {
          /* Translators: %s is what was typed */
          g_autofree char *text = g_strdup_printf (_("“%s” is not a date like 2026-05-04"),
                                                   parts[i]);

          adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
          return;
        }
      g_date_clear (&date, 1);
      g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
      julian = g_date_get_julian (&date);
      g_array_append_val (days, julian);
    }
  g_array_set_size (self->policy->extra_holidays, 0);
  g_array_append_vals (self->policy->extra_holidays, days->data, days->len);
  policy_changed (self);
  fill_policy_rows (self);
}

static void
on_policy_preset_selected (DdPreferencesWindow *self)
{
  const char *const *presets = dd_contact_policy_list_presets ();
  guint i = adw_combo_row_get_selected (self->policy_preset_row);
  DdContactPolicy *preset;

  if (self->updating || i >= g_strv_length ((char **) presets))
    return;
  preset = dd_contact_policy_new_preset (presets[i]);
  if (preset == NULL)
    return;
  g_free (preset->default_zone);
  preset->default_zone = g_strdup (self->policy->default_zone);
  dd_contact_policy_free (self->policy);
  self->policy = preset;
  fill_policy_rows (self);
  save_policy (self);
}

static GtkWidget *
new_time_drop_down (GtkStringList *times)
{
  GtkWidget *drop_down = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (times)), NULL);

  gtk_widget_set_valign (drop_down, GTK_ALIGN_CENTER);
  return drop_down;
}

static void
setup_policy (DdPreferencesWindow *self)
{
  static const char *const day_titles[DD_DAY_N_KINDS] = {
    N_("Working Days"), N_("Weekends"), N_("Public Holidays"),
  };
  static const char *const limit_titles[DD_CONTACT_N_CHANNELS + 1] = {
    N_("Text Messages"), N_("Calls"), N_("All Channels Together"),
  };
  static const char *const period_tips[3] = { N_("Per day"), N_("Per week"), N_("Per month") };
  g_autoptr(GtkStringList) times = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) presets = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) holiday_names = gtk_string_list_new (NULL);
  const char *const *preset_ids = dd_contact_policy_list_presets ();

  self->policy = dd_context_get_contact_policy (self->context);

  for (guint i = 0; preset_ids[i] != NULL; i++)
    gtk_string_list_append (presets, dd_contact_policy_preset_title (preset_ids[i]));
  gtk_string_list_append (presets, _("Custom"));
  adw_combo_row_set_model (self->policy_preset_row, G_LIST_MODEL (presets));
  gtk_string_list_append (holiday_names, _("Poland"));
  gtk_string_list_append (holiday_names, _("Russia"));
  gtk_string_list_append (holiday_names, _("None"));
  adw_combo_row_set_model (self->policy_holidays_row, G_LIST_MODEL (holiday_names));

  for (guint i = 0; i < N_TIMES; i++)
    {
      g_autofree char *text = g_strdup_printf ("%02u:%02u", i / 2, i % 2 * 30);

      gtk_string_list_append (times, text);
    }
  for (guint k = 0; k < DD_DAY_N_KINDS; k++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *dash = gtk_label_new ("–");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(day_titles[k]));
      self->hour_from[k] = new_time_drop_down (times);
      self->hour_to[k] = new_time_drop_down (times);
      /* Translators: accessible names of the two time pickers of a day kind */
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->hour_from[k]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("From"), -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->hour_to[k]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Until"), -1);
      self->hour_switches[k] = gtk_switch_new ();
      gtk_widget_set_valign (self->hour_switches[k], GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (self->hour_switches[k], _("Contact on these days"));
      /* read as "Working Days", the row's title */
      gtk_accessible_update_relation (GTK_ACCESSIBLE (self->hour_switches[k]),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, row, NULL, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->hour_from[k]);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), dash);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->hour_to[k]);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->hour_switches[k]);
      adw_preferences_group_add (self->policy_hours_group, row);
    }
  for (guint c = 0; c <= DD_CONTACT_N_CHANNELS; c++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(limit_titles[c]));
      for (guint p = 0; p < 3; p++)
        {
          GtkWidget *spin = gtk_spin_button_new_with_range (0, 100, 1);

          gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (spin, _(period_tips[p]));
          gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _(period_tips[p]), -1);
          self->limit_spins[c][p] = spin;
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
        }
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Per day · per week · per month"));
      adw_preferences_group_add (self->policy_limits_group, row);
    }

  fill_policy_rows (self);

  for (guint k = 0; k < DD_DAY_N_KINDS; k++)
    {
      g_signal_connect_object (self->hour_switches[k], "notify::active",
                               G_CALLBACK (policy_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->hour_from[k], "notify::selected",
                               G_CALLBACK (policy_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->hour_to[k], "notify::selected",
                               G_CALLBACK (policy_changed), self, G_CONNECT_SWAPPED);
    }
  for (guint c = 0; c <= DD_CONTACT_N_CHANNELS; c++)
    for (guint p = 0; p < 3; p++)
      g_signal_connect_object (self->limit_spins[c][p], "value-changed",
                               G_CALLBACK (policy_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->policy_holidays_row, "notify::selected",
                           G_CALLBACK (policy_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->policy_preset_row, "notify::selected",
                           G_CALLBACK (on_policy_preset_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->policy_extra_days_row, "apply",
                           G_CALLBACK (on_extra_days_applied), self, G_CONNECT_SWAPPED);
}

/* Users page */

static gint64
row_agent_id (GtkWidget *row)
{
  return (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "dd-agent-id"));
}

/* Keeps the context in step when the user at the desk was changed here. */
static void
refresh_context_agent (DdPreferencesWindow *self,
                       gint64               agent_id)
{
  g_autoptr(DdAgent) agent = NULL;

  if (agent_id != dd_context_get_agent_id (self->context))
    return;
  agent = dd_agent_store_get (self->agent_store, agent_id, NULL);
  if (agent != NULL)
    dd_context_set_agent (self->context, agent->id, agent->name,
                          agent->role == DD_AGENT_ROLE_MANAGER);
}

static void
on_role_selected (GtkDropDown         *drop_down,
                  GParamSpec          *pspec,
                  DdPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  gint64 id = row_agent_id (GTK_WIDGET (drop_down));
  DdAgentRole role;

  if (self->updating)
    return;

  role = gtk_drop_down_get_selected (drop_down) == 1 ? DD_AGENT_ROLE_MANAGER
                                                     : DD_AGENT_ROLE_CONSULTANT;
  if (!dd_agent_store_set_role (self->agent_store, id, role, &error))
    show_toast (self, error->message);
  refresh_context_agent (self, id);
  queue_rebuild_users (self);
}

typedef struct
{
  DdPreferencesWindow *self;
  gint64               agent_id;
} UndoData;

static void
undo_data_free (gpointer data)
{
  UndoData *undo = data;

  g_object_unref (undo->self);
  g_free (undo);
}

static void
on_deactivate_undone (AdwToast *toast,
                      UndoData *undo)
{
  g_autoptr(GError) error = NULL;

  if (!dd_agent_store_set_active (undo->self->agent_store, undo->agent_id, TRUE, &error))
    show_toast (undo->self, error->message);
  rebuild_users (undo->self);
}

static void
on_active_changed (GtkSwitch           *active_switch,
                   GParamSpec          *pspec,
                   DdPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdAgent) agent = NULL;
  gint64 id = row_agent_id (GTK_WIDGET (active_switch));
  gboolean active = gtk_switch_get_active (active_switch);

  if (self->updating)
    return;

  if (!dd_agent_store_set_active (self->agent_store, id, active, &error))
    show_toast (self, error->message);
  else if (!active && (agent = dd_agent_store_get (self->agent_store, id, NULL)) != NULL)
    {
      g_autofree char *title = NULL;
      AdwToast *toast;
      UndoData *undo = g_new0 (UndoData, 1);

      /* Translators: a notification after a user was deactivated; %s is the name */
      title = g_strdup_printf (_("%s can no longer work at the desk"), agent->name);
      toast = adw_toast_new (title);
      adw_toast_set_button_label (toast, _("_Undo"));
      undo->self = g_object_ref (self);
      undo->agent_id = id;
      g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_deactivate_undone), undo,
                             (GClosureNotify) (void (*) (void)) undo_data_free, 0);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
    }
  queue_rebuild_users (self);
}

gboolean
_dd_preferences_window_save_user (DdPreferencesWindow *self,
                                  gint64               agent_id,
                                  const char          *name)
{
  g_autoptr(GError) error = NULL;
  gboolean saved;

  g_return_val_if_fail (DD_IS_PREFERENCES_WINDOW (self), FALSE);

  if (!dd_context_get_is_manager (self->context))
    return FALSE;

  if (agent_id > 0)
    saved = dd_agent_store_rename (self->agent_store, agent_id, name, &error);
  else
    saved = dd_agent_store_add (self->agent_store, name, DD_AGENT_ROLE_CONSULTANT, NULL, &error);
  if (!saved)
    show_toast (self, error->message);
  else if (agent_id > 0)
    refresh_context_agent (self, agent_id);
  rebuild_users (self);
  return saved;
}

static void
on_name_dialog_response (AdwMessageDialog    *dialog,
                         const char          *response,
                         DdPreferencesWindow *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));

  if (g_strcmp0 (response, "save") != 0)
    return;
  _dd_preferences_window_save_user (self, row_agent_id (GTK_WIDGET (dialog)),
                                    gtk_editable_get_text (entry));
}

static void
on_name_changed (GtkEditable      *entry,
                 AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "save", *name != '\0');
}

/* Asks for the name of a new user (@agent == NULL) or a new name for @agent. */
static void
ask_name (DdPreferencesWindow *self,
          const DdAgent       *agent)
{
  GtkWidget *dialog;
  GtkWidget *entry = gtk_entry_new ();

  if (agent == NULL)
    dialog = GTK_WIDGET (dd_question_new (GTK_WIDGET (self), _("Add User"),
                                          _("New users are consultants. Make them managers in "
                                            "the list of users."),
                                          "save", _("_Add"), ADW_RESPONSE_SUGGESTED, TRUE));
  else
    dialog = GTK_WIDGET (dd_question_new (GTK_WIDGET (self), _("Rename User"), NULL,
                                          "save", _("_Rename"), ADW_RESPONSE_SUGGESTED, TRUE));

  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Name"), -1);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Name"));
  if (agent != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (entry), agent->name);
      g_object_set_data (G_OBJECT (dialog), "dd-agent-id", GSIZE_TO_POINTER ((gsize) agent->id));
    }
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  g_signal_connect (entry, "changed", G_CALLBACK (on_name_changed), dialog);
  on_name_changed (GTK_EDITABLE (entry), ADW_MESSAGE_DIALOG (dialog));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_name_dialog_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_rename_clicked (GtkButton           *button,
                   DdPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdAgent) agent = NULL;

  agent = dd_agent_store_get (self->agent_store, row_agent_id (GTK_WIDGET (button)), &error);
  if (agent == NULL)
    {
      show_toast (self, error->message);
      rebuild_users (self);
      return;
    }
  ask_name (self, agent);
}

static void
add_user_unlocked (GtkWidget *widget)
{
  ask_name (DD_PREFERENCES_WINDOW (widget), NULL);
}

static void
add_user_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  /* at a consultant's desk, a manager's password first (once a session) */
  dd_manager_unlock_run (widget, DD_PREFERENCES_WINDOW (widget)->context, add_user_unlocked);
}

/* Passwords: the manager sets anyone's, a user their own. */

static void
on_password_dialog_response (AdwMessageDialog    *dialog,
                             const char          *response,
                             DdPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *box = adw_message_dialog_get_extra_child (dialog);
  GtkEditable *first = GTK_EDITABLE (gtk_widget_get_first_child (box));
  GtkEditable *second = GTK_EDITABLE (gtk_widget_get_last_child (box));
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "dd-agent-id"));
  gboolean remove = g_strcmp0 (response, "remove") == 0;

  if (!remove && g_strcmp0 (response, "set") != 0)
    return;
  if (!remove && (g_strcmp0 (gtk_editable_get_text (first), gtk_editable_get_text (second)) != 0
                  || *gtk_editable_get_text (first) == '\0'))
    {
      show_toast (self, *gtk_editable_get_text (first) == '\0'
                        ? _("The password is empty.") : _("The passwords do not match."));
      return;
    }
  if (!dd_users_set_password (self->agent_store, id,
                              remove ? NULL : gtk_editable_get_text (first), &error))
    {
      show_toast (self, error->message);
      return;
    }
  show_toast (self, remove ? _("The password was removed.") : _("The password was set."));
  queue_rebuild_users (self);
}

static void
on_password_clicked (GtkButton           *button,
                     DdPreferencesWindow *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "dd-agent-id"));
  g_autoptr(DdAgent) agent = dd_agent_store_get (self->agent_store, id, NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *dialog;

  if (agent == NULL)
    return;
  for (guint i = 0; i < 2; i++)
    {
      GtkWidget *entry = gtk_password_entry_new ();

      gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
      g_object_set (entry, "activates-default", TRUE,
                    "placeholder-text", i == 0 ? _("New password") : _("Repeat the password"),
                    NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      i == 0 ? _("New password") : _("Repeat the password"), -1);
      gtk_box_append (GTK_BOX (box), entry);
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL,
                                   _("Once a user has a password, the app asks who signs in "
                                     "when it starts, and switching to the user asks for it."));
  /* Translators: the heading of the password dialog; %s is the user's name */
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Password of %s"),
                                     agent->name);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"));
  if (agent->has_password)
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "remove", _("_Remove"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                                  ADW_RESPONSE_DESTRUCTIVE);
    }
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "set", _("_Set Password"));
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "set",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "set");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "dd-agent-id", GSIZE_TO_POINTER ((gsize) id));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_password_dialog_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
create_user_row (DdPreferencesWindow *self,
                 const DdAgent       *agent)
{
  const char *role_names[] = { dd_agent_role_get_label (DD_AGENT_ROLE_CONSULTANT),
                               dd_agent_role_get_label (DD_AGENT_ROLE_MANAGER), NULL };
  gboolean is_manager = dd_context_get_is_manager (self->context);
  gboolean is_self = agent->id == dd_context_get_agent_id (self->context);
  gpointer id = GSIZE_TO_POINTER ((gsize) agent->id);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *role = gtk_drop_down_new_from_strings (role_names);
  GtkWidget *active = gtk_switch_new ();
  GtkWidget *rename = gtk_button_new_from_icon_name ("document-edit-symbolic");
  GtkWidget *password = gtk_button_new_from_icon_name ("dialog-password-symbolic");
  g_autofree char *role_label = NULL;
  g_autofree char *active_label = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), agent->name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (is_self)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("At the desk now"));
  else if (!agent->active)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Inactive"));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), adw_avatar_new (32, agent->name, TRUE));

  /* Translators: accessible names of the controls of a user; %s is the user's name */
  role_label = g_strdup_printf (_("Role of %s"), agent->name);
  active_label = g_strdup_printf (_("%s may work at the desk"), agent->name);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (role), agent->role == DD_AGENT_ROLE_MANAGER);
  gtk_widget_set_valign (role, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (role, is_manager);
  gtk_accessible_update_property (GTK_ACCESSIBLE (role), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  role_label, -1);
  g_object_set_data (G_OBJECT (role), "dd-agent-id", id);
  g_signal_connect_object (role, "notify::selected", G_CALLBACK (on_role_selected), self, 0);

  gtk_switch_set_active (GTK_SWITCH (active), agent->active);
  gtk_widget_set_valign (active, GTK_ALIGN_CENTER);
  /* nobody deactivates the user at the desk: switch first */
  gtk_widget_set_sensitive (active, is_manager && !is_self);
  gtk_widget_set_tooltip_text (active, _("May work at the desk"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (active), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  active_label, -1);
  g_object_set_data (G_OBJECT (active), "dd-agent-id", id);
  g_signal_connect_object (active, "notify::active", G_CALLBACK (on_active_changed), self, 0);

  gtk_widget_set_valign (rename, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (rename, "flat");
  gtk_widget_set_tooltip_text (rename, _("Rename"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (rename), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Rename"), -1);
  gtk_widget_set_visible (rename, is_manager);
  g_object_set_data (G_OBJECT (rename), "dd-agent-id", id);
  g_signal_connect_object (rename, "clicked", G_CALLBACK (on_rename_clicked), self, 0);

  gtk_widget_set_valign (password, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (password, "flat");
  gtk_widget_set_tooltip_text (password, agent->has_password ? _("Change the Password")
                                                             : _("Set a Password"));
  dd_a11y_name_buttons_from_tooltips (password);
  /* the manager sets anyone's, a user their own */
  gtk_widget_set_visible (password, is_manager || is_self);
  g_object_set_data (G_OBJECT (password), "dd-agent-id", id);
  g_signal_connect_object (password, "clicked", G_CALLBACK (on_password_clicked), self, 0);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), role);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), active);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), password);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), rename);

  g_object_set_data (G_OBJECT (row), "dd-agent-id", id);
  g_object_set_data (G_OBJECT (row), "dd-role-drop-down", role);
  g_object_set_data (G_OBJECT (row), "dd-active-switch", active);
  g_object_set_data (G_OBJECT (row), "dd-rename-button", rename);
  g_object_set_data (G_OBJECT (row), "dd-password-button", password);
  return row;
}

/* The providers, the lines and the contact policy are the manager's: at a consultant's desk
 * whose manager has a password, their pages ask for it once a session and stay greyed out
 * until it is typed. */
static const char * const manager_pages[] = {
  "sms-providers", "sip-accounts", "caller-id-pool", "contact-policy", NULL
};

static gboolean
manager_pages_locked (DdPreferencesWindow *self)
{
  return !dd_manager_unlock_allows (self->context) && dd_manager_unlock_can_ask (self->context);
}

/* The page named @name at or under @widget. */
static GtkWidget *
find_page (GtkWidget  *widget,
           const char *name)
{
  if (ADW_IS_PREFERENCES_PAGE (widget))
    return g_strcmp0 (adw_preferences_page_get_name (ADW_PREFERENCES_PAGE (widget)), name) == 0
           ? widget : NULL;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_page (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
update_manager_pages (DdPreferencesWindow *self)
{
  gboolean locked = manager_pages_locked (self);

  for (guint i = 0; manager_pages[i] != NULL; i++)
    {
      GtkWidget *page = find_page (GTK_WIDGET (self), manager_pages[i]);

      if (page != NULL)
        gtk_widget_set_sensitive (page, !locked);
    }
}

static void
on_visible_page_changed (DdPreferencesWindow *self,
                         GParamSpec          *pspec,
                         gpointer             user_data)
{
  const char *name = adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (self));

  if (name != NULL && g_strv_contains (manager_pages, name) && manager_pages_locked (self))
    dd_manager_unlock_run (GTK_WIDGET (self), self->context, NULL);
}

static void
rebuild_users (DdPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) agents = NULL;
  gboolean is_manager = dd_context_get_is_manager (self->context);

  g_clear_handle_id (&self->rebuild_source, g_source_remove);
  self->updating = TRUE;

  for (guint i = 0; i < self->user_rows->len; i++)
    adw_preferences_group_remove (self->users_group, g_ptr_array_index (self->user_rows, i));
  g_ptr_array_set_size (self->user_rows, 0);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.add-user",
                                 is_manager || dd_manager_unlock_can_ask (self->context));
  update_manager_pages (self);
  adw_preferences_group_set_description (self->users_group,
                                         is_manager
                                         ? _("Consultants work the cases; managers also close "
                                             "them, run campaigns and manage the users.")
                                         : _("Only a manager can add users, rename them or "
                                             "change their roles."));

  agents = dd_agent_store_list (self->agent_store, TRUE, &error);
  if (agents == NULL)
    {
      g_warning ("Could not read the users: %s", error->message);
      show_toast (self, error->message);
    }
  for (guint i = 0; agents != NULL && i < agents->len; i++)
    {
      GtkWidget *row = create_user_row (self, g_ptr_array_index (agents, i));

      adw_preferences_group_add (self->users_group, row);
      g_ptr_array_add (self->user_rows, row);
    }

  self->updating = FALSE;
}

static void
on_context_agent_changed (DdPreferencesWindow *self,
                          GParamSpec          *pspec,
                          DdContext           *context)
{
  rebuild_users (self);
}

static void
dd_preferences_window_constructed (GObject *object)
{
  DdPreferencesWindow *self = DD_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (dd_preferences_window_parent_class)->constructed (object);

  g_return_if_fail (DD_IS_CONTEXT (self->context));

  self->agent_store = dd_agent_store_new (dd_context_get_database (self->context));
  /* before the rows are filled and watched */
  show_whole_names (self->provider_row);
  show_whole_names (self->currency_row);
  show_whole_names (self->country_row);
  setup_general (self);
  setup_sms (self);
  setup_policy (self);
  self->sip_accounts_group = dd_sip_accounts_group_new (self->context);
  adw_preferences_page_add (self->sip_accounts_page,
                            ADW_PREFERENCES_GROUP (self->sip_accounts_group));
  setup_calls (self);
  self->letters_page = dd_letters_page_new (self->context);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (self->letters_page));
  self->mail_page = dd_mail_page_new (self->context);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (self->mail_page));
  /* whose receivables: after the region (the first start assistant's step) */
  adw_preferences_page_add (self->general_page,
                            ADW_PREFERENCES_GROUP (dd_creditors_group_new (self->context)));
  /* where the office lives: at the end of General */
  self->database_page = g_object_ref_sink (dd_database_page_new (
    dd_context_get_settings (self->context)));
  dd_database_page_move_to (DD_DATABASE_PAGE (self->database_page),
                            self->general_page);

  g_signal_connect_object (self->context, "notify::is-manager",
                           G_CALLBACK (on_context_agent_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::visible-page", G_CALLBACK (on_visible_page_changed), NULL);
  g_signal_connect_object (self->context, "notify::agent-id",
                           G_CALLBACK (on_context_agent_changed), self, G_CONNECT_SWAPPED);
  rebuild_users (self);
}

static void
dd_preferences_window_dispose (GObject *object)
{
  DdPreferencesWindow *self = DD_PREFERENCES_WINDOW (object);
  GSettings *settings = self->context != NULL ? dd_context_get_settings (self->context) : NULL;

  /* the bindings refer to the code arrays freed below */
  if (settings != NULL)
    {
      g_settings_unbind (self->office_name_row, "text");
      g_settings_unbind (self->country_row, "selected");
      g_settings_unbind (self->currency_row, "selected");
      g_settings_unbind (self->time_zone_drop_down, "selected");
      g_settings_unbind (self->segment_price_spin, "value");
    }

  g_clear_handle_id (&self->rebuild_source, g_source_remove);
  g_cancellable_cancel (self->secret_cancellable);
  g_clear_object (&self->secret_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_PREFERENCES_WINDOW);

  g_clear_object (&self->agent_store);
  g_clear_object (&self->database_page);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (dd_preferences_window_parent_class)->dispose (object);
}

static void
dd_preferences_window_finalize (GObject *object)
{
  DdPreferencesWindow *self = DD_PREFERENCES_WINDOW (object);

  g_clear_pointer (&self->country_codes, g_ptr_array_unref);
  g_clear_pointer (&self->currency_codes, g_ptr_array_unref);
  g_clear_pointer (&self->time_zones, g_ptr_array_unref);
  g_clear_pointer (&self->user_rows, g_ptr_array_unref);
  g_clear_pointer (&self->policy, dd_contact_policy_free);

  G_OBJECT_CLASS (dd_preferences_window_parent_class)->finalize (object);
}

static void
dd_preferences_window_class_init (DdPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dd_preferences_window_constructed;
  object_class->dispose = dd_preferences_window_dispose;
  object_class->finalize = dd_preferences_window_finalize;

  /**
   * DdPreferencesWindow:context:
   *
   * The services of the window it belongs to: settings, database, who is at the desk.
   */
  dd_context_install_property (object_class, G_STRUCT_OFFSET (DdPreferencesWindow, context), G_PARAM_EXPLICIT_NOTIFY);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dunningdesk/DunningDesk/dd-preferences-window.ui");
  dd_application_install_help_action (widget_class);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, office_name_row);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, general_page);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, country_row);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, currency_row);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, time_zone_drop_down);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, segment_price_spin);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, users_group);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, sip_accounts_page);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, provider_row);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, policy_preset_row);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, policy_hours_group);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, policy_limits_group);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, policy_holidays_row);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, policy_extra_days_row);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, api_url_row);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, api_user_row);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, secret_row);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, secret_status_row);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, provider_warning_icon);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, forget_secret_button);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, sender_row);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, callback_row);
  gtk_widget_class_bind_template_callback (widget_class, on_forget_secret_clicked);
  gtk_widget_class_bind_template_child (widget_class, DdPreferencesWindow, add_user_button);

  gtk_widget_class_install_action (widget_class, "preferences.add-user", NULL, add_user_action);
}

/* libadwaita's own search entry has no accessible name: its search button's, in libadwaita's
 * own translation. */
static void
name_search_entry (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_SEARCH_ENTRY (child))
        {
          gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          g_dgettext ("libadwaita", "Search"), -1);
          return;
        }
      name_search_entry (child);
    }
}

static void
dd_preferences_window_init (DdPreferencesWindow *self)
{
  self->country_codes = g_ptr_array_new_with_free_func (g_free);
  self->currency_codes = g_ptr_array_new_with_free_func (g_free);
  self->user_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  name_search_entry (GTK_WIDGET (self));
}

DdPreferencesWindow *
dd_preferences_window_new (GtkWindow *parent,
                           DdContext *context)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DD_IS_CONTEXT (context), NULL);

  return g_object_new (DD_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "context", context,
                       NULL);
}

DdContext *
dd_preferences_window_get_context (DdPreferencesWindow *self)
{
  g_return_val_if_fail (DD_IS_PREFERENCES_WINDOW (self), NULL);

  return self->context;
}

GPtrArray *
_dd_preferences_window_get_user_rows (DdPreferencesWindow *self)
{
  g_return_val_if_fail (DD_IS_PREFERENCES_WINDOW (self), NULL);

  return self->user_rows;
}

GtkWidget *
_dd_preferences_window_get_letters_page (DdPreferencesWindow *self)
{
  return self->letters_page;
}

GtkWidget *
_dd_preferences_window_get_mail_page (DdPreferencesWindow *self)
{
  return self->mail_page;
}

GtkWidget *
_dd_preferences_window_get_sip_accounts_group (DdPreferencesWindow *self)
{
  return self->sip_accounts_group;
}

GtkWidget *
_dd_preferences_window_get_ring_spin (DdPreferencesWindow *self)
{
  return self->ring_spin;
}
