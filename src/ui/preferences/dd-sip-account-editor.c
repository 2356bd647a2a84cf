/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-sip-account-editor"

#include "config.h"

#include "dd-sip-account-editor.h"
#include "dd-sip-account-editor-private.h"

#include "dd-application.h"
#include "dd-question.h"
#include "dd-secret-store.h"
#include "dd-tts.h"

#include <glib/gi18n.h>
#include <string.h>

struct _DdSipAccountEditor
{
  AdwWindow          parent_instance;

  DdContext         *context;
  char              *original_name;   /* NULL: a new account */
  GPtrArray         *accounts;        /* DdSipAccountInfo, as in the settings */
  GCancellable      *cancellable;
  gboolean           has_password;

  GtkWidget         *page;
  GtkWidget         *error_group;
  GtkLabel          *error_label;
  GtkWidget         *save_button;
  AdwEntryRow       *name_row;
  AdwEntryRow       *aor_row;
  AdwEntryRow       *display_name_row;
  AdwEntryRow       *registrar_row;
  AdwEntryRow       *proxy_row;
  AdwComboRow       *transport_row;
  AdwEntryRow       *auth_user_row;
  AdwEntryRow       *password_row;
  GtkSpinButton     *max_calls_spin;
  GtkSwitch         *enabled_switch;

  GtkWidget         *try_group;
  GtkWidget         *remove_group;

  /* Try the Line */
  AdwEntryRow       *try_number_row;
  GtkWidget         *try_button;
  AdwActionRow      *try_result_row;
  DdCall            *try_call;
  GString           *try_digits;
};

G_DEFINE_FINAL_TYPE (DdSipAccountEditor, dd_sip_account_editor, ADW_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_CONTEXT,
  PROP_ACCOUNT_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static DdSipAccountInfo *
find (DdSipAccountEditor *self,
      const char         *name,
      guint              *index)
{
  for (guint i = 0; name != NULL && i < self->accounts->len; i++)
    {
      DdSipAccountInfo *info = g_ptr_array_index (self->accounts, i);

      if (g_strcmp0 (info->name, name) == 0)
        {
          if (index != NULL)
            *index = i;
          return info;
        }
    }
  return NULL;
}

static char *
row_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  g_strstrip (text);
  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
set_busy (DdSipAccountEditor *self,
          gboolean            busy)
{
  gtk_widget_set_sensitive (self->save_button, !busy);
}

/* The message above the fields (whole, not cut like a toast), the row marked and focused. */
static void
show_error (DdSipAccountEditor *self,
            const char         *message,
            GtkWidget          *row)
{
  gtk_label_set_text (self->error_label, message);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_group), TRUE);
  if (row != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_grab_focus (row);
    }
}

/* Whatever the user changes next: the complaint goes until Save looks again. */
static void
on_row_changed (GtkEditable        *editable,
                DdSipAccountEditor *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
  if (self->error_group != NULL)
    gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_group), FALSE);
}

static void
on_password_stored (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  DdSipAccountEditor *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dd_sip_account_store_password_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      show_error (self, error->message, GTK_WIDGET (self->password_row));
      g_object_unref (self);
      return;
    }
  dd_context_sip_accounts_changed (self->context);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
save (DdSipAccountEditor *self)
{
  g_autoptr(DdSipAccountInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = row_text (self->name_row);
  g_autofree char *aor = row_text (self->aor_row);
  g_autofree char *password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
  DdSipAccountInfo *same_name;
  GSettings *settings = dd_context_get_settings (self->context);
  guint index = 0;

  info = dd_sip_account_info_new (name, aor);
  info->display_name = row_text (self->display_name_row);
  info->registrar = row_text (self->registrar_row);
  info->outbound_proxy = row_text (self->proxy_row);
  info->auth_user = row_text (self->auth_user_row);
  switch (adw_combo_row_get_selected (self->transport_row))
    {
    case 1:
      info->transport = DD_SIP_TRANSPORT_TCP;
      break;
    case 2:
      info->transport = DD_SIP_TRANSPORT_TLS;
      break;
    default:
      info->transport = DD_SIP_TRANSPORT_UDP;
      break;
    }
  info->max_calls = (guint) gtk_spin_button_get_value_as_int (self->max_calls_spin);
  info->enabled = gtk_switch_get_active (self->enabled_switch);

  if (!dd_sip_account_info_validate (info, &error))
    {
      GtkWidget *row = NULL;

      if (info->name == NULL)
        row = GTK_WIDGET (self->name_row);
      else if (error->message != NULL && info->aor != NULL && strstr (error->message, info->aor))
        row = GTK_WIDGET (self->aor_row);
      else if (info->aor == NULL)
        row = GTK_WIDGET (self->aor_row);
      else if (info->registrar != NULL && strstr (error->message, info->registrar))
        row = GTK_WIDGET (self->registrar_row);
      else if (info->outbound_proxy != NULL && strstr (error->message, info->outbound_proxy))
        row = GTK_WIDGET (self->proxy_row);
      show_error (self, error->message, row);
      return;
    }
  same_name = find (self, info->name, NULL);
  if (same_name != NULL && g_strcmp0 (info->name, self->original_name) != 0)
    {
      g_autofree char *message =
        g_strdup_printf (_("There is an account called “%s” already: give this one another "
                           "name."), info->name);

      show_error (self, message, GTK_WIDGET (self->name_row));
      return;
    }

  if (settings == NULL)
    {
      show_error (self, _("The settings cannot be saved on this computer."), NULL);
      return;
    }
  if (self->original_name != NULL && find (self, self->original_name, &index) != NULL)
    {
      g_ptr_array_remove_index (self->accounts, index);
      g_ptr_array_insert (self->accounts, index, dd_sip_account_info_copy (info));
    }
  else
    g_ptr_array_add (self->accounts, dd_sip_account_info_copy (info));
  dd_sip_accounts_save (settings, self->accounts);

  /* an untouched password field keeps the stored one */
  if ((password == NULL || *password == '\0') && self->has_password &&
      g_strcmp0 (info->name, self->original_name) == 0)
    {
      dd_context_sip_accounts_changed (self->context);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  set_busy (self, TRUE);
  dd_sip_account_store_password (info, password, self->cancellable, on_password_stored,
                                 g_object_ref (self));
  memset (password, 0, strlen (password));
}

static void
on_removed_password (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  DdSipAccountEditor *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!dd_sip_account_store_password_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("The password of the removed SIP account stays in the keyring: %s",
               error->message);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      dd_context_sip_accounts_changed (self->context);
      gtk_window_destroy (GTK_WINDOW (self));
    }
  g_object_unref (self);
}

static void
on_remove_response (AdwMessageDialog   *dialog,
                    const char         *response,
                    DdSipAccountEditor *self)
{
  guint index = 0;
  DdSipAccountInfo *info;
  GSettings *settings = dd_context_get_settings (self->context);

  if (g_strcmp0 (response, "remove") != 0 || settings == NULL)
    return;
  info = find (self, self->original_name, &index);
  if (info == NULL)
    return;
  info = dd_sip_account_info_copy (info);
  g_ptr_array_remove_index (self->accounts, index);
  dd_sip_accounts_save (settings, self->accounts);
  set_busy (self, TRUE);
  dd_sip_account_store_password (info, NULL, self->cancellable, on_removed_password,
                                 g_object_ref (self));
  dd_sip_account_info_free (info);
}

static void
on_remove_clicked (GtkButton          *button,
                   DdSipAccountEditor *self)
{
  GtkWidget *dialog;

  /* Translators: %s is the name of a SIP account (a telephone line) */
  dialog = GTK_WIDGET (dd_question_new (GTK_WIDGET (self), _("Remove the Account?"), NULL,
                                        "remove", _("_Remove"), ADW_RESPONSE_DESTRUCTIVE,
                                        FALSE));
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Calls will no longer go out through “%s”, and its "
                                    "password is deleted from the keyring."),
                                  self->original_name);
  g_signal_connect (dialog, "response", G_CALLBACK (on_remove_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_password_known (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DdSipAccountEditor *self = user_data;
  g_autoptr(GError) error = NULL;
  char *password = dd_sip_account_lookup_password_finish (result, &error);
  gboolean found = password != NULL;

  dd_secret_free (password);   /* only whether there is one matters here */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->has_password = found;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password_row),
                                 self->has_password ? _("Password (stored; type to change)")
                                                    : _("Password"));
}

/* Try the Line: a test call through the saved account */

static void
try_show (DdSipAccountEditor *self,
          const char         *text)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->try_result_row), text);
  gtk_widget_set_visible (GTK_WIDGET (self->try_result_row), TRUE);
}

static void
try_set_calling (DdSipAccountEditor *self,
                 gboolean            calling)
{
  gtk_button_set_label (GTK_BUTTON (self->try_button), calling ? _("_Hang Up") : _("_Call"));
  if (calling)
    {
      gtk_widget_remove_css_class (self->try_button, "suggested-action");
      gtk_widget_add_css_class (self->try_button, "destructive-action");
    }
  else
    {
      gtk_widget_remove_css_class (self->try_button, "destructive-action");
      gtk_widget_add_css_class (self->try_button, "suggested-action");
    }
}

/* The voice of the user's language, among the three the app speaks. */
static const char *
ui_voice (void)
{
  const char *const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_has_prefix (names[i], "pl"))
        return "pl";
      if (g_str_has_prefix (names[i], "ru"))
        return "ru";
      if (g_str_has_prefix (names[i], "en"))
        return "en";
    }
  return "en";
}

static void
try_release (DdSipAccountEditor *self)
{
  if (self->try_call == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->try_call, self);
  g_clear_object (&self->try_call);
  try_set_calling (self, FALSE);
}

static void
on_try_state (DdCall             *call,
              GParamSpec         *pspec,
              DdSipAccountEditor *self)
{
  switch (dd_call_get_state (call))
    {
    case DD_CALL_STATE_DIALING:
      try_show (self, _("Calling…"));
      break;
    case DD_CALL_STATE_RINGING:
    case DD_CALL_STATE_EARLY_MEDIA:
      try_show (self, _("Ringing…"));
      break;
    case DD_CALL_STATE_ANSWERED:
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(GBytes) prompt =
          dd_tts_prompt (_("This is a test call from Dunning Desk. If you hear this, the line "
                           "works. Press any key to end the call."), ui_voice (), &error);

        try_show (self, _("Answered: the test message is playing"));
        if (prompt != NULL)
          dd_call_play_pcm (call, prompt, TRUE);
        else
          {
            g_warning ("The test message cannot be spoken: %s", error->message);
            dd_call_hangup (call);
          }
      }
      break;
    case DD_CALL_STATE_ENDED:
    default:
      break;
    }
}

static void
on_try_digit (DdCall             *call,
              char                digit,
              gboolean            in_band,
              DdSipAccountEditor *self)
{
  g_string_append_c (self->try_digits, digit);
}

static void
on_try_played (DdCall             *call,
               gboolean            interrupted,
               DdSipAccountEditor *self)
{
  /* the message was heard to its end, or a key stopped it: enough */
  dd_call_hangup (call);
}

static void
on_try_ended (DdCall             *call,
              DdSipAccountEditor *self)
{
  g_autofree char *how = dd_call_describe_end (call);

  if (self->try_digits->len > 0)
    {
      /* Translators: how the test call ended, then the keys pressed on the phone */
      g_autofree char *text = g_strdup_printf (_("%s — keys pressed: %s"), how,
                                               self->try_digits->str);

      try_show (self, text);
    }
  else
    try_show (self, how);
  try_release (self);
}

/* A number as the user types it, or a SIP address: the address to call through @aor's server. */
static char *
try_uri (const char *number,
         const char *aor)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  const char *host = aor != NULL ? strchr (aor, '@') : NULL;

  if (g_str_has_prefix (number, "sip:"))
    return g_strdup (number);
  for (const char *p = number; *p; p++)
    if (g_ascii_isdigit (*p) || (*p == '+' && digits->len == 0))
      g_string_append_c (digits, *p);
    else if (*p != ' ' && *p != '-' && *p != '(' && *p != ')')
      return NULL;
  if (digits->len < 3 || host == NULL)
    return NULL;
  return g_strdup_printf ("sip:%s@%s", digits->str, host + 1);
}

static void
try_call (DdSipAccountEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = row_text (self->try_number_row);
  g_autofree char *uri = NULL;
  DdCallOptions options = { NULL, NULL, NULL, NULL, 30, NULL };
  const DdSipAccountInfo *info = find (self, self->original_name, NULL);
  DdSipEngine *engine;

  if (self->try_call != NULL)
    {
      dd_call_hangup (self->try_call);
      return;
    }
  if (info == NULL)
    return;
  if (!info->enabled)
    {
      try_show (self, _("Turn “Use This Line” on and save, then try it."));
      return;
    }
  uri = number != NULL ? try_uri (number, info->aor) : NULL;
  if (uri == NULL)
    {
      try_show (self, _("Type the number to call, such as your own mobile."));
      gtk_widget_grab_focus (GTK_WIDGET (self->try_number_row));
      return;
    }
  engine = dd_context_get_sip_engine (self->context, &error);
  if (engine == NULL)
    {
      try_show (self, error->message);
      return;
    }
  if (dd_sip_engine_get_account_state (engine, info->name, NULL, NULL) == DD_SIP_ACCOUNT_UNKNOWN)
    {
      /* its password is still being read from the keyring */
      try_show (self, _("The line is not ready yet: try again in a moment."));
      return;
    }
  options.account = info->name;
  g_string_truncate (self->try_digits, 0);
  self->try_call = g_object_ref (dd_sip_engine_dial (engine, uri, &options));
  g_signal_connect (self->try_call, "notify::state", G_CALLBACK (on_try_state), self);
  g_signal_connect (self->try_call, "dtmf", G_CALLBACK (on_try_digit), self);
  g_signal_connect (self->try_call, "playback-finished", G_CALLBACK (on_try_played), self);
  g_signal_connect (self->try_call, "ended", G_CALLBACK (on_try_ended), self);
  try_set_calling (self, TRUE);
  on_try_state (self->try_call, NULL, self);
}

static void
on_try_clicked (GtkButton          *button,
                DdSipAccountEditor *self)
{
  try_call (self);
}

static void
on_cancel_clicked (GtkButton          *button,
                   DdSipAccountEditor *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_save_clicked (GtkButton          *button,
                 DdSipAccountEditor *self)
{
  save (self);
}

static void
dd_sip_account_editor_dispose (GObject *object)
{
  DdSipAccountEditor *self = DD_SIP_ACCOUNT_EDITOR (object);

  if (self->try_call != NULL)
    {
      dd_call_hangup (self->try_call);
      try_release (self);
    }
  if (self->try_digits != NULL)
    {
      g_string_free (self->try_digits, TRUE);
      self->try_digits = NULL;
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->original_name, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_SIP_ACCOUNT_EDITOR);
  G_OBJECT_CLASS (dd_sip_account_editor_parent_class)->dispose (object);
}

static void
dd_sip_account_editor_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  DdSipAccountEditor *self = DD_SIP_ACCOUNT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_ACCOUNT_NAME:
      self->original_name = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_sip_account_editor_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  DdSipAccountEditor *self = DD_SIP_ACCOUNT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_ACCOUNT_NAME:
      g_value_set_string (value, self->original_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_row_text (AdwEntryRow *row,
              const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

/* The account's values in the rows; a name not among the accounts makes a new one. */
static void
dd_sip_account_editor_constructed (GObject *object)
{
  DdSipAccountEditor *self = DD_SIP_ACCOUNT_EDITOR (object);
  GSettings *settings = self->context != NULL ? dd_context_get_settings (self->context) : NULL;
  const DdSipAccountInfo *info;
  static const DdSipAccountInfo blank = { NULL, NULL, NULL, NULL, NULL, NULL,
                                          DD_SIP_TRANSPORT_UDP, 0, TRUE };

  G_OBJECT_CLASS (dd_sip_account_editor_parent_class)->constructed (object);

  self->accounts = settings != NULL
                   ? dd_sip_accounts_load (settings)
                   : g_ptr_array_new_with_free_func ((GDestroyNotify) dd_sip_account_info_free);
  info = find (self, self->original_name, NULL);
  if (info == NULL)
    {
      g_clear_pointer (&self->original_name, g_free);
      info = &blank;
    }

  gtk_window_set_title (GTK_WINDOW (self), self->original_name != NULL
                                           ? _("SIP Account") : _("New SIP Account"));
  gtk_button_set_label (GTK_BUTTON (self->save_button),
                        self->original_name != NULL ? _("_Save") : _("_Add"));

  set_row_text (self->name_row, info->name);
  set_row_text (self->aor_row, info->aor);
  set_row_text (self->display_name_row, info->display_name);
  set_row_text (self->registrar_row, info->registrar);
  set_row_text (self->proxy_row, info->outbound_proxy);
  set_row_text (self->auth_user_row, info->auth_user);
  adw_combo_row_set_selected (self->transport_row,
                              info->transport == DD_SIP_TRANSPORT_TLS ? 2
                              : info->transport == DD_SIP_TRANSPORT_TCP ? 1 : 0);
  gtk_spin_button_set_value (self->max_calls_spin, info->max_calls);
  gtk_switch_set_active (self->enabled_switch, info->enabled);

  /* Filling the rows is not a change the user made. */
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_group), FALSE);

  if (self->original_name != NULL)
    {
      gtk_widget_set_visible (self->try_group, TRUE);
      gtk_widget_set_visible (self->remove_group, TRUE);
      dd_sip_account_lookup_password (info, self->cancellable, on_password_known, self);
    }
}

static void
dd_sip_account_editor_class_init (DdSipAccountEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = dd_sip_account_editor_set_property;
  object_class->get_property = dd_sip_account_editor_get_property;
  object_class->constructed = dd_sip_account_editor_constructed;
  object_class->dispose = dd_sip_account_editor_dispose;

  /**
   * DdSipAccountEditor:context:
   *
   * The window's services: the settings holding the accounts, the telephony engine.
   */
  properties[PROP_CONTEXT] = dd_context_param_spec (0);
  /**
   * DdSipAccountEditor:account-name:
   *
   * The account edited; NULL (or a name no account has) for a new one.
   */
  properties[PROP_ACCOUNT_NAME] =
    g_param_spec_string ("account-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
    "/io/github/dunningdesk/DunningDesk/dd-sip-account-editor.ui");
  dd_application_install_help_action (widget_class);
  gtk_widget_class_bind_template_child (widget_class, DdSipAccountEditor, page);
  gtk_widget_class_bind_template_child (widget_class, DdSipAccountEditor, error_group);
  gtk_widget_class_bind_template_child (widget_class, DdSipAccountEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, DdSipAccountEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, DdSipAccountEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, DdSipAccountEditor, aor_row);
  gtk_widget_class_bind_template_child (widget_class, DdSipAccountEditor, display_name_row);
  gtk_widget_class_bind_template_child (widget_class, DdSipAccountEditor, registrar_row);
  gtk_widget_class_bind_template_child (widget_class, DdSipAccountEditor, proxy_row);
  gtk_widget_class_bind_template_child (widget_class, DdSipAccountEditor, transport_row);
  gtk_widget_class_bind_template_child (widget_class, DdSipAccountEditor, auth_user_row);
  gtk_widget_class_bind_template_child (widget_class, DdSipAccountEditor, password_row);
  gtk_widget_class_bind_template_child (widget_class, DdSipAccountEditor, max_calls_spin);
  gtk_widget_class_bind_template_child (widget_class, DdSipAccountEditor, enabled_switch);
  gtk_widget_class_bind_template_child (widget_class, DdSipAccountEditor, try_group);
  gtk_widget_class_bind_template_child (widget_class, DdSipAccountEditor, remove_group);
  gtk_widget_class_bind_template_child (widget_class, DdSipAccountEditor, try_number_row);
  gtk_widget_class_bind_template_child (widget_class, DdSipAccountEditor, try_button);
  gtk_widget_class_bind_template_child (widget_class, DdSipAccountEditor, try_result_row);
  gtk_widget_class_bind_template_callback (widget_class, on_row_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_try_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);
}

static void
dd_sip_account_editor_init (DdSipAccountEditor *self)
{
  self->cancellable = g_cancellable_new ();
  self->try_digits = g_string_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dd_sip_account_editor_new (DdContext  *context,
                           const char *name)
{
  return g_object_new (DD_TYPE_SIP_ACCOUNT_EDITOR, "context", context, "account-name", name,
                       NULL);
}

GtkWidget *
_dd_sip_account_editor_get_row (DdSipAccountEditor *self,
                                const char         *field)
{
  const struct { const char *name; AdwEntryRow *row; } rows[] = {
    { "name", self->name_row }, { "aor", self->aor_row },
    { "display-name", self->display_name_row }, { "registrar", self->registrar_row },
    { "proxy", self->proxy_row }, { "auth-user", self->auth_user_row },
    { "password", self->password_row },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (g_strcmp0 (rows[i].name, field) == 0)
      return GTK_WIDGET (rows[i].row);
  g_return_val_if_reached (NULL);
}

void
_dd_sip_account_editor_save (DdSipAccountEditor *self)
{
  save (self);
}

void
_dd_sip_account_editor_remove (DdSipAccountEditor *self)
{
  on_remove_response (NULL, "remove", self);
}

void
_dd_sip_account_editor_try (DdSipAccountEditor *self,
                            const char         *number)
{
  gtk_editable_set_text (GTK_EDITABLE (self->try_number_row), number);
  try_call (self);
}

const char *
_dd_sip_account_editor_get_try_result (DdSipAccountEditor *self)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self->try_result_row)))
    return NULL;
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->try_result_row));
}

gboolean
_dd_sip_account_editor_is_calling (DdSipAccountEditor *self)
{
  return self->try_call != NULL;
}
