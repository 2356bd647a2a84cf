/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-mail-page"

#include "config.h"

#include "dd-mail-page.h"
#include "dd-a11y.h"
#include "dd-inline-error.h"

#include "dd-mail.h"
#include "dd-secret-store.h"

#include <glib/gi18n.h>

struct _DdMailPage
{
  AdwPreferencesPage  parent_instance;

  DdContext          *context;
  GCancellable       *cancellable;
  gboolean            loading;
  gboolean            testing;
  gboolean            have_password;

  AdwEntryRow        *server_row;
  AdwComboRow        *security_row;
  AdwActionRow       *port_row;
  GtkSpinButton      *port_spin;
  AdwEntryRow        *user_row;
  AdwPasswordEntryRow *password_row;
  AdwActionRow       *keyring_row;
  AdwEntryRow        *from_row;
  AdwEntryRow        *recipients_row;
  GtkLabel           *address_error_label;
  GtkSwitch          *after_campaign_switch;
  GtkSwitch          *weekly_switch;
  AdwActionRow       *test_row;
  GtkSpinner         *test_spinner;
  GtkButton          *test_button;
  GtkLabel           *test_result_label;
};

G_DEFINE_FINAL_TYPE (DdMailPage, dd_mail_page, ADW_TYPE_PREFERENCES_PAGE)

static GSettings *
settings_of (DdMailPage *self)
{
  return self->context != NULL ? dd_context_get_settings (self->context) : NULL;
}

static void
show_result (DdMailPage *self,
             const char *message,
             gboolean    ok)
{
  gtk_label_set_text (self->test_result_label, message);
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_result_label), ok ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->test_result_label), ok ? "success" : "error");
  gtk_widget_set_visible (GTK_WIDGET (self->test_result_label), TRUE);
}

static void
update_keyring_row (DdMailPage *self)
{
  adw_action_row_set_subtitle (self->keyring_row,
                               self->have_password ? _("A password is saved in the keyring")
                                                   : _("No password saved"));
}

/* Validates the addresses; saves the valid ones. */
static void
check_addresses (DdMailPage *self)
{
  GSettings *settings = settings_of (self);
  const char *from = gtk_editable_get_text (GTK_EDITABLE (self->from_row));
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) recipients = dd_mail_parse_addresses (
    gtk_editable_get_text (GTK_EDITABLE (self->recipients_row)), &error);
  gboolean from_ok = *from == '\0' || dd_mail_address_is_valid (from);

  dd_mark_wrong (GTK_WIDGET (self->from_row), !from_ok);
  dd_mark_wrong (GTK_WIDGET (self->recipients_row), recipients == NULL);
  if (!from_ok)
    {
      g_autofree char *text = g_strdup_printf (_("The sender “%s” is not an e-mail address"),
                                               from);

      dd_show_message (self->address_error_label, text);
    }
  else
    dd_show_message (self->address_error_label, error != NULL ? error->message : NULL);
  if (self->loading || settings == NULL)
    return;
  if (from_ok)
    g_settings_set_string (settings, "mail-from", from);
  if (recipients != NULL)
    g_settings_set_strv (settings, "mail-recipients", (const char * const *) recipients);
}

static void
on_from_changed (DdMailPage *self)
{
  check_addresses (self);
}

static void
on_recipients_changed (DdMailPage *self)
{
  check_addresses (self);
}

static void
on_password_found (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(DdMailPage) self = user_data;
  g_autoptr(GError) error = NULL;
  char *password = dd_mail_password_lookup_finish (result, &error);

  self->have_password = password != NULL;
  dd_secret_free (password);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    adw_action_row_set_subtitle (self->keyring_row, error->message);
  else
    update_keyring_row (self);
}

/* The account of the settings, or NULL while no server is set up. */
static DdMailAccount *
settings_account (DdMailPage *self)
{
  GSettings *settings = settings_of (self);
  g_autoptr(DdMailAccount) account = NULL;

  if (settings == NULL)
    return NULL;
  account = dd_mail_account_new_from_settings (settings);
  if (account->server == NULL || *account->server == '\0')
    return NULL;
  return g_steal_pointer (&account);
}

static void
look_up_password (DdMailPage *self)
{
  g_autoptr(DdMailAccount) account = settings_account (self);

  if (account == NULL)
    {
      self->have_password = FALSE;
      update_keyring_row (self);
      return;
    }
  dd_mail_password_lookup (account, self->cancellable, on_password_found, g_object_ref (self));
}

static void
on_server_changed (DdMailPage *self)
{
  GSettings *settings = settings_of (self);
  g_autofree char *server = g_strstrip (g_strdup (gtk_editable_get_text (
    GTK_EDITABLE (self->server_row))));
  gboolean bad = strpbrk (server, " /:@") != NULL;

  dd_mark_wrong (GTK_WIDGET (self->server_row), bad);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->server_row),
                               bad ? _("Only the server’s name, e.g. smtp.example.com") : NULL);
  if (self->loading || settings == NULL || bad)
    return;
  g_settings_set_string (settings, "mail-server", server);
  look_up_password (self);
}

static void
on_user_changed (DdMailPage *self)
{
  GSettings *settings = settings_of (self);

  if (self->loading || settings == NULL)
    return;
  g_settings_set_string (settings, "mail-user",
                         gtk_editable_get_text (GTK_EDITABLE (self->user_row)));
  look_up_password (self);
}

static void
on_security_changed (DdMailPage *self)
{
  GSettings *settings = settings_of (self);
  guint selected = adw_combo_row_get_selected (self->security_row);

  if (self->loading || settings == NULL || selected > DD_MAIL_SECURITY_NONE)
    return;
  g_settings_set_string (settings, "mail-security",
                         dd_mail_security_to_string ((DdMailSecurity) selected));
}

static void
on_port_changed (DdMailPage *self)
{
  GSettings *settings = settings_of (self);

  if (self->loading || settings == NULL)
    return;
  g_settings_set_uint (settings, "mail-port",
                       (guint) gtk_spin_button_get_value_as_int (self->port_spin));
}

static void
on_password_stored (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(DdMailPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dd_mail_password_store_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          dd_mark_wrong (GTK_WIDGET (self->password_row), TRUE);
          adw_action_row_set_subtitle (self->keyring_row, error->message);
        }
      return;
    }
  dd_mark_wrong (GTK_WIDGET (self->password_row), FALSE);
  look_up_password (self);
}

static void
on_password_apply (DdMailPage *self)
{
  g_autoptr(DdMailAccount) account = settings_account (self);

  if (account == NULL)
    {
      dd_mark_wrong (GTK_WIDGET (self->server_row), TRUE);
      show_result (self, _("Enter the server before the password"), FALSE);
      return;
    }
  dd_mail_password_store (account, gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                          self->cancellable, on_password_stored, g_object_ref (self));
}

static void
set_testing (DdMailPage *self,
             gboolean    testing)
{
  self->testing = testing;
  gtk_spinner_set_spinning (self->test_spinner, testing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), !testing);
}

static void
on_test_sent (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DdMailPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  set_testing (self, FALSE);
  if (dd_mail_send_test_finish (result, &error))
    {
      show_result (self, _("The test e-mail was sent. Check the recipients’ inboxes."), TRUE);
      return;
    }
  /* the rows the failure concerns */
  if (g_error_matches (error, DD_MAIL_ERROR, DD_MAIL_ERROR_LOGIN_REFUSED))
    {
      dd_mark_wrong (GTK_WIDGET (self->user_row), TRUE);
      dd_mark_wrong (GTK_WIDGET (self->password_row), TRUE);
    }
  else if (g_error_matches (error, DD_MAIL_ERROR, DD_MAIL_ERROR_UNREACHABLE) ||
           g_error_matches (error, DD_MAIL_ERROR, DD_MAIL_ERROR_TLS))
    {
      dd_mark_wrong (GTK_WIDGET (self->server_row), TRUE);
      dd_mark_wrong (GTK_WIDGET (self->port_row), TRUE);
    }
  else if (g_error_matches (error, DD_MAIL_ERROR, DD_MAIL_ERROR_NOT_CONFIGURED))
    dd_mark_wrong (GTK_WIDGET (self->server_row),
          *gtk_editable_get_text (GTK_EDITABLE (self->server_row)) == '\0');
  show_result (self, error->message, FALSE);
}

static void
send_test (DdMailPage *self,
           char       *password)
{
  GSettings *settings = settings_of (self);
  g_autoptr(DdMailAccount) account = dd_mail_account_new_from_settings (settings);

  account->password = password;
  dd_mail_send_test_async (account, self->cancellable, on_test_sent, g_object_ref (self));
}

static void
on_test_password_found (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(DdMailPage) self = user_data;
  g_autoptr(GError) error = NULL;
  char *password = dd_mail_password_lookup_finish (result, &error);

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      dd_secret_free (password);
      return;
    }
  if (error != NULL)
    {
      set_testing (self, FALSE);
      show_result (self, error->message, FALSE);
      return;
    }
  send_test (self, password);
}

static void
on_test_clicked (DdMailPage *self)
{
  GSettings *settings = settings_of (self);
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  g_autoptr(DdMailAccount) account = NULL;

  if (settings == NULL || self->testing)
    return;
  dd_mark_wrong (GTK_WIDGET (self->server_row), FALSE);
  dd_mark_wrong (GTK_WIDGET (self->port_row), FALSE);
  dd_mark_wrong (GTK_WIDGET (self->user_row), FALSE);
  dd_mark_wrong (GTK_WIDGET (self->password_row), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->test_result_label), FALSE);
  set_testing (self, TRUE);
  account = dd_mail_account_new_from_settings (settings);
  /* a password typed but not applied yet is the one to test */
  if (*typed != '\0' || account->user == NULL || *account->user == '\0' ||
      account->server == NULL || *account->server == '\0')
    send_test (self, g_strdup (typed));
  else
    dd_mail_password_lookup (account, self->cancellable, on_test_password_found,
                             g_object_ref (self));
}

static void
load (DdMailPage *self)
{
  GSettings *settings = settings_of (self);
  g_autoptr(DdMailAccount) account = NULL;
  g_autofree char *recipients = NULL;

  if (settings == NULL)
    return;
  account = dd_mail_account_new_from_settings (settings);
  recipients = g_strjoinv (", ", account->recipients);
  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), account->server);
  adw_combo_row_set_selected (self->security_row, account->security);
  gtk_spin_button_set_value (self->port_spin, account->port);
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), account->user);
  gtk_editable_set_text (GTK_EDITABLE (self->from_row), account->from);
  gtk_editable_set_text (GTK_EDITABLE (self->recipients_row), recipients);
  self->loading = FALSE;
  g_settings_bind (settings, "mail-summary-weekly", self->weekly_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "mail-summary-after-campaign", self->after_campaign_switch,
                   "active", G_SETTINGS_BIND_DEFAULT);
  update_keyring_row (self);
  look_up_password (self);
}

static void
dd_mail_page_constructed (GObject *object)
{
  DdMailPage *self = DD_MAIL_PAGE (object);

  G_OBJECT_CLASS (dd_mail_page_parent_class)->constructed (object);
  load (self);
}

static void
dd_mail_page_dispose (GObject *object)
{
  DdMailPage *self = DD_MAIL_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_MAIL_PAGE);
  G_OBJECT_CLASS (dd_mail_page_parent_class)->dispose (object);
}

static void
dd_mail_page_class_init (DdMailPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dd_mail_page_constructed;
  object_class->dispose = dd_mail_page_dispose;
  dd_context_install_property (object_class, G_STRUCT_OFFSET (DdMailPage, context), 0);

  gtk_widget_class_set_template_from_resource (widget_class,
    "/io/github/dunningdesk/DunningDesk/dd-mail-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DdMailPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, DdMailPage, security_row);
  gtk_widget_class_bind_template_child (widget_class, DdMailPage, port_row);
  gtk_widget_class_bind_template_child (widget_class, DdMailPage, port_spin);
  gtk_widget_class_bind_template_child (widget_class, DdMailPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, DdMailPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, DdMailPage, keyring_row);
  gtk_widget_class_bind_template_child (widget_class, DdMailPage, from_row);
  gtk_widget_class_bind_template_child (widget_class, DdMailPage, recipients_row);
  gtk_widget_class_bind_template_child (widget_class, DdMailPage, address_error_label);
  gtk_widget_class_bind_template_child (widget_class, DdMailPage, after_campaign_switch);
  gtk_widget_class_bind_template_child (widget_class, DdMailPage, weekly_switch);
  gtk_widget_class_bind_template_child (widget_class, DdMailPage, test_row);
  gtk_widget_class_bind_template_child (widget_class, DdMailPage, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, DdMailPage, test_button);
  gtk_widget_class_bind_template_child (widget_class, DdMailPage, test_result_label);
  gtk_widget_class_bind_template_callback (widget_class, on_server_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_security_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_port_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_user_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_password_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_from_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_recipients_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_test_clicked);
}

static void
dd_mail_page_init (DdMailPage *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  /* the password row's peek button is named after its tooltip */
  dd_a11y_name_buttons_from_tooltips (GTK_WIDGET (self->password_row));
}

GtkWidget *
dd_mail_page_new (DdContext *context)
{
  return g_object_new (DD_TYPE_MAIL_PAGE, "context", context, NULL);
}

GtkWidget *
_dd_mail_page_get_row (DdMailPage *self,
                       const char *name)
{
  if (g_str_equal (name, "server"))
    return GTK_WIDGET (self->server_row);
  if (g_str_equal (name, "port"))
    return GTK_WIDGET (self->port_row);
  if (g_str_equal (name, "user"))
    return GTK_WIDGET (self->user_row);
  if (g_str_equal (name, "password"))
    return GTK_WIDGET (self->password_row);
  if (g_str_equal (name, "from"))
    return GTK_WIDGET (self->from_row);
  if (g_str_equal (name, "recipients"))
    return GTK_WIDGET (self->recipients_row);
  if (g_str_equal (name, "security"))
    return GTK_WIDGET (self->security_row);
  if (g_str_equal (name, "test"))
    return GTK_WIDGET (self->test_button);
  return NULL;
}

GtkLabel *
_dd_mail_page_get_test_result (DdMailPage *self)
{
  return self->test_result_label;
}

gboolean
_dd_mail_page_is_testing (DdMailPage *self)
{
  return self->testing;
}
