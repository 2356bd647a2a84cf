/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-letters-page"

#include "config.h"

#include "dd-letters-page.h"

#include "dd-bank-account.h"
#include "dd-dates.h"
#include "dd-inline-error.h"
#include "dd-interest.h"
#include "dd-tax-id.h"

#include <glib/gi18n.h>

/* The series shown, in this order. */
static const char * const series_names[] = { "nbp-reference", "cbr-key", "eur-pln" };

struct _DdLettersPage
{
  AdwPreferencesPage   parent_instance;

  DdContext           *context;
  gboolean             loading;
  GPtrArray           *series_rows;      /* AdwExpanderRow per series */
  GHashTable          *described;        /* series -> description (tests) */

  GtkTextView         *address_view;
  AdwEntryRow         *tax_id_row;
  AdwEntryRow         *bank_account_row;
  GtkSpinButton       *deadline_spin;
  AdwEntryRow         *signature_row;
  GtkLabel            *office_error_label;
  AdwPreferencesGroup *rates_group;
  AdwComboRow         *series_row;
  AdwEntryRow         *from_row;
  AdwEntryRow         *rate_row;
  GtkButton           *add_rate_button;
  GtkLabel            *rate_error_label;
};

G_DEFINE_FINAL_TYPE (DdLettersPage, dd_letters_page, ADW_TYPE_PREFERENCES_PAGE)

static GSettings *
settings_of (DdLettersPage *self)
{
  return self->context != NULL ? dd_context_get_settings (self->context) : NULL;
}

/* Office details */

static void
check_office (DdLettersPage *self)
{
  GSettings *settings = settings_of (self);
  const char *tax_text = gtk_editable_get_text (GTK_EDITABLE (self->tax_id_row));
  const char *account_text = gtk_editable_get_text (GTK_EDITABLE (self->bank_account_row));
  g_autofree char *country = settings != NULL ? g_settings_get_string (settings, "default-country")
                                              : g_strdup ("PL");
  g_autoptr(GError) tax_error = NULL;
  g_autoptr(GError) account_error = NULL;
  g_autofree char *tax_id = NULL;
  g_autofree char *account = NULL;
  DdTaxIdKind kind = DD_TAX_ID_UNKNOWN;

  if (*tax_text != '\0')
    tax_id = dd_tax_id_normalize (tax_text, country, &kind, &tax_error);
  if (tax_id != NULL && kind != DD_TAX_ID_NIP && kind != DD_TAX_ID_INN_LEGAL &&
      kind != DD_TAX_ID_INN_PERSON)
    {
      g_clear_pointer (&tax_id, g_free);
      g_set_error_literal (&tax_error, DD_TAX_ID_ERROR, DD_TAX_ID_ERROR_FORMAT,
                           _("The office’s tax number is a NIP (10 digits) or an INN (10 or 12 "
                             "digits)"));
    }
  if (*account_text != '\0')
    account = dd_bank_account_normalize (account_text, &account_error);
  dd_mark_wrong (GTK_WIDGET (self->tax_id_row), tax_error != NULL);
  dd_mark_wrong (GTK_WIDGET (self->bank_account_row), account_error != NULL);
  dd_show_message (self->office_error_label,
              tax_error != NULL ? tax_error->message
                                : account_error != NULL ? account_error->message : NULL);
  if (self->loading || settings == NULL)
    return;
  /* only what is right is kept: a letter never shows a mistyped account */
  if (tax_error == NULL)
    g_settings_set_string (settings, "office-tax-id", tax_id != NULL ? tax_text : "");
  if (account_error == NULL)
    g_settings_set_string (settings, "office-bank-account", account != NULL ? account_text : "");
}

static void
on_tax_id_changed (DdLettersPage *self)
{
  check_office (self);
}

static void
on_bank_account_changed (DdLettersPage *self)
{
  check_office (self);
}

static void
on_address_changed (GtkTextBuffer *buffer,
                    DdLettersPage *self)
{
  GSettings *settings = settings_of (self);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  if (self->loading || settings == NULL)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_settings_set_string (settings, "office-address", g_strstrip (text));
}

/* Rates */

static char *
format_rate (const char *series,
             gint64      rate)
{
  g_autofree char *number = dd_rate_format (rate);

  if (g_str_equal (series, "eur-pln"))
    /* Translators: an exchange rate, e.g. "4.3480 PLN per EUR" */
    return g_strdup_printf (_("%s PLN per EUR"), number);
  /* Translators: an interest rate, e.g. "5.75 %" */
  return g_strdup_printf (_("%s %%"), number);
}

static void
on_remove_rate_clicked (GtkButton     *button,
                        DdLettersPage *self);

static void
fill_rates (DdLettersPage *self)
{
  DdDatabase *database = dd_context_get_database (self->context);
  g_autoptr(GError) error = NULL;
  g_autoptr(DdRateTable) rates = dd_rate_table_new_builtin (&error);

  for (guint i = 0; i < self->series_rows->len; i++)
    adw_preferences_group_remove (self->rates_group, g_ptr_array_index (self->series_rows, i));
  g_ptr_array_set_size (self->series_rows, 0);
  g_hash_table_remove_all (self->described);
  if (rates == NULL || !dd_rate_table_load_overrides (rates, database, &error))
    {
      dd_show_message (self->rate_error_label, error->message);
      return;
    }
  for (guint s = 0; s < G_N_ELEMENTS (series_names); s++)
    {
      const char *series = series_names[s];
      const char *title = dd_rate_table_get_title (rates, series);
      const char *checked = dd_rate_table_get_checked_on (rates, series);
      const char *source = dd_rate_table_get_source (rates, series);
      g_autoptr(GArray) list = dd_rate_table_list (rates, series);
      g_autoptr(GString) described = g_string_new (NULL);
      g_autofree char *subtitle = NULL;
      GtkWidget *expander = adw_expander_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander),
                                     title != NULL ? title : series);
      /* Translators: under a rate table: the day it was checked and where from */
      subtitle = g_strdup_printf (_("Checked on %1$s · Source: %2$s"),
                                  checked != NULL ? checked : _("never"),
                                  source != NULL ? source : _("the office"));
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
      gtk_widget_set_tooltip_text (expander, subtitle);
      for (guint k = list->len; k-- > 0;)
        {
          const DdRateEntry *entry = &g_array_index (list, DdRateEntry, k);
          g_autofree char *from = dd_date_to_iso (&entry->from);
          g_autofree char *rate = format_rate (series, entry->rate);
          /* Translators: a rate's row: the day it applies from */
          g_autofree char *row_title = g_strdup_printf (_("From %s"), from);
          GtkWidget *row = adw_action_row_new ();
          gboolean office = FALSE;

          if (!dd_rate_table_is_override (database, series, from, &office, &error))
            {
              dd_show_message (self->rate_error_label, error->message);
              g_clear_error (&error);
            }
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), row_title);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), rate);
          if (office)
            {
              GtkWidget *tag = gtk_label_new (_("Office’s rate"));
              GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

              gtk_widget_add_css_class (tag, "dim-label");
              gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
              gtk_widget_add_css_class (remove, "flat");
              gtk_widget_set_tooltip_text (remove, _("Remove the office’s rate"));
              g_object_set_data_full (G_OBJECT (remove), "dd-series", g_strdup (series), g_free);
              g_object_set_data_full (G_OBJECT (remove), "dd-from", g_strdup (from), g_free);
              g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_rate_clicked),
                                       self, 0);
              adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
              adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
            }
          adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
          g_string_append_printf (described, "%s\t%s\t%s\n", from, rate, office ? "office" : "");
        }
      adw_preferences_group_add (self->rates_group, expander);
      g_ptr_array_add (self->series_rows, expander);
      g_hash_table_insert (self->described, g_strdup (series),
                           g_string_free (g_steal_pointer (&described), FALSE));
    }
}

static void
on_remove_rate_clicked (GtkButton     *button,
                        DdLettersPage *self)
{
  g_autoptr(GError) error = NULL;

  if (!dd_rate_table_remove_override (dd_context_get_database (self->context),
                                      g_object_get_data (G_OBJECT (button), "dd-series"),
                                      g_object_get_data (G_OBJECT (button), "dd-from"), &error))
    {
      dd_show_message (self->rate_error_label, error->message);
      return;
    }
  fill_rates (self);
}

static void
on_add_rate_clicked (DdLettersPage *self)
{
  const char *from = gtk_editable_get_text (GTK_EDITABLE (self->from_row));
  g_autofree char *rate = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->rate_row)));
  guint index = adw_combo_row_get_selected (self->series_row);
  g_autoptr(GError) error = NULL;
  GDate date;
  gint64 value;

  g_strstrip (g_strdelimit (rate, ",", '.'));
  dd_mark_wrong (GTK_WIDGET (self->from_row), FALSE);
  dd_mark_wrong (GTK_WIDGET (self->rate_row), FALSE);
  if (!dd_date_from_iso (from, &date))
    {
      dd_mark_wrong (GTK_WIDGET (self->from_row), TRUE);
      dd_show_message (self->rate_error_label, _("Write the date as YYYY-MM-DD, e.g. 2026-01-08"));
      return;
    }
  if (!dd_rate_parse (rate, &value))
    {
      dd_mark_wrong (GTK_WIDGET (self->rate_row), TRUE);
      dd_show_message (self->rate_error_label,
                  _("Write the rate as a number with up to four decimals, e.g. 5.75"));
      return;
    }
  if (index >= G_N_ELEMENTS (series_names) ||
      !dd_rate_table_store_override (dd_context_get_database (self->context), series_names[index],
                                     from, rate, &error))
    {
      dd_show_message (self->rate_error_label, error != NULL ? error->message : "");
      return;
    }
  dd_show_message (self->rate_error_label, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->from_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->rate_row), "");
  fill_rates (self);
}

static void
load (DdLettersPage *self)
{
  GSettings *settings = settings_of (self);
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DdRateTable) rates = dd_rate_table_new_builtin (&error);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->address_view);

  for (guint s = 0; s < G_N_ELEMENTS (series_names); s++)
    {
      const char *title = rates != NULL ? dd_rate_table_get_title (rates, series_names[s]) : NULL;

      gtk_string_list_append (titles, title != NULL ? title : series_names[s]);
    }
  adw_combo_row_set_model (self->series_row, G_LIST_MODEL (titles));

  self->loading = TRUE;
  if (settings != NULL)
    {
      g_autofree char *address = g_settings_get_string (settings, "office-address");
      g_autofree char *tax_id = g_settings_get_string (settings, "office-tax-id");
      g_autofree char *account = g_settings_get_string (settings, "office-bank-account");

      gtk_text_buffer_set_text (buffer, address, -1);
      gtk_editable_set_text (GTK_EDITABLE (self->tax_id_row), tax_id);
      gtk_editable_set_text (GTK_EDITABLE (self->bank_account_row), account);
      g_settings_bind (settings, "letter-deadline-days", self->deadline_spin, "value",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "letter-signature", self->signature_row, "text",
                       G_SETTINGS_BIND_DEFAULT);
    }
  self->loading = FALSE;
  g_signal_connect_object (buffer, "changed", G_CALLBACK (on_address_changed), self, 0);
  fill_rates (self);
}

static void
dd_letters_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (dd_letters_page_parent_class)->constructed (object);
  load (DD_LETTERS_PAGE (object));
}

static void
dd_letters_page_dispose (GObject *object)
{
  DdLettersPage *self = DD_LETTERS_PAGE (object);

  g_clear_object (&self->context);
  g_clear_pointer (&self->series_rows, g_ptr_array_unref);
  g_clear_pointer (&self->described, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_LETTERS_PAGE);
  G_OBJECT_CLASS (dd_letters_page_parent_class)->dispose (object);
}

static void
dd_letters_page_class_init (DdLettersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dd_letters_page_constructed;
  object_class->dispose = dd_letters_page_dispose;
  dd_context_install_property (object_class, G_STRUCT_OFFSET (DdLettersPage, context), 0);

  gtk_widget_class_set_template_from_resource (widget_class,
    "/io/github/dunningdesk/DunningDesk/dd-letters-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DdLettersPage, address_view);
  gtk_widget_class_bind_template_child (widget_class, DdLettersPage, tax_id_row);
  gtk_widget_class_bind_template_child (widget_class, DdLettersPage, bank_account_row);
  gtk_widget_class_bind_template_child (widget_class, DdLettersPage, deadline_spin);
  gtk_widget_class_bind_template_child (widget_class, DdLettersPage, signature_row);
  gtk_widget_class_bind_template_child (widget_class, DdLettersPage, office_error_label);
  gtk_widget_class_bind_template_child (widget_class, DdLettersPage, rates_group);
  gtk_widget_class_bind_template_child (widget_class, DdLettersPage, series_row);
  gtk_widget_class_bind_template_child (widget_class, DdLettersPage, from_row);
  gtk_widget_class_bind_template_child (widget_class, DdLettersPage, rate_row);
  gtk_widget_class_bind_template_child (widget_class, DdLettersPage, add_rate_button);
  gtk_widget_class_bind_template_child (widget_class, DdLettersPage, rate_error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_tax_id_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_bank_account_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_add_rate_clicked);
}

static void
dd_letters_page_init (DdLettersPage *self)
{
  self->series_rows = g_ptr_array_new ();
  self->described = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dd_letters_page_new (DdContext *context)
{
  return g_object_new (DD_TYPE_LETTERS_PAGE, "context", context, NULL);
}

GtkWidget *
_dd_letters_page_get_widget (DdLettersPage *self,
                             const char    *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self), DD_TYPE_LETTERS_PAGE,
                                                    name));
}

char *
_dd_letters_page_describe_series (DdLettersPage *self,
                                  const char    *series)
{
  return g_strdup (g_hash_table_lookup (self->described, series));
}
