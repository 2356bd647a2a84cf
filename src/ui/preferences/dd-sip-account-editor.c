/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-sip-account-editor"

#include "config.h"

#include "dd-sip-account-editor.h"
#include "dd-sip-account-editor-private.h"

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

  /* Try the Line */
  AdwEntryRow       *try_number_row;
  GtkWidget         *try_button;
  AdwActionRow      *try_result_row;
  DdCall            *try_call;
  GString           *try_digits;
};

G_DEFINE_FINAL_TYPE (DdSipAccountEditor, dd_sip_account_editor, ADW_TYPE_WINDOW)

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
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Remove the Account?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Calls will no longer go out through “%s”, and its "
                                    "password is deleted from the keyring."),
                                  self->original_name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
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
  g_autofree char *password = dd_sip_account_lookup_password_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->has_password = password != NULL;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password_row),
                                 self->has_password ? _("Password (stored; type to change)")
                                                    : _("Password"));
  if (password != NULL)
    memset (password, 0, strlen (password));
}

static AdwEntryRow *
add_entry (DdSipAccountEditor  *self,
           AdwPreferencesGroup *group,
           const char          *title,
           const char          *text,
           gboolean             password)
{
  GtkWidget *row = password ? adw_password_entry_row_new () : adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  if (text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_connect (row, "changed", G_CALLBACK (on_row_changed), self);
  adw_preferences_group_add (group, row);
  return ADW_ENTRY_ROW (row);
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
  G_OBJECT_CLASS (dd_sip_account_editor_parent_class)->dispose (object);
}

static void
dd_sip_account_editor_class_init (DdSipAccountEditorClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = dd_sip_account_editor_dispose;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dd_sip_account_editor_init (DdSipAccountEditor *self)
{
  self->cancellable = g_cancellable_new ();
  self->try_digits = g_string_new (NULL);
}

GtkWidget *
dd_sip_account_editor_new (DdContext  *context,
                           const char *name)
{
  DdSipAccountEditor *self = g_object_new (DD_TYPE_SIP_ACCOUNT_EDITOR, "modal", TRUE,
                                           "default-width", 520, "default-height", 700,
                                           NULL);
  GSettings *settings = dd_context_get_settings (context);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *label;
  AdwPreferencesGroup *group;
  GtkWidget *row;
  GtkStringList *transports;
  const DdSipAccountInfo *info;
  static const DdSipAccountInfo blank = { NULL, NULL, NULL, NULL, NULL, NULL,
                                          DD_SIP_TRANSPORT_UDP, 0, TRUE };

  self->context = g_object_ref (context);
  self->accounts = settings != NULL
                   ? dd_sip_accounts_load (settings)
                   : g_ptr_array_new_with_free_func ((GDestroyNotify) dd_sip_account_info_free);
  info = find (self, name, NULL);
  if (info != NULL)
    self->original_name = g_strdup (name);
  else
    info = &blank;
  gtk_window_set_title (GTK_WINDOW (self), self->original_name != NULL
                                           ? _("SIP Account") : _("New SIP Account"));

  self->save_button = gtk_button_new_with_mnemonic (self->original_name != NULL ? _("_Save")
                                                                                : _("_Add"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  g_signal_connect (self->save_button, "clicked", G_CALLBACK (on_save_clicked), self);
  g_signal_connect (cancel, "clicked", G_CALLBACK (on_cancel_clicked), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_box_append (GTK_BOX (box), header);
  /* what is wrong, once Save finds it: under the header bar, whatever is scrolled */
  label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_margin_start (label, 18);
  gtk_widget_set_margin_end (label, 18);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_add_css_class (label, "error");
  self->error_label = GTK_LABEL (label);
  self->error_group = gtk_revealer_new ();
  gtk_revealer_set_child (GTK_REVEALER (self->error_group), label);
  gtk_box_append (GTK_BOX (box), self->error_group);
  self->page = page;
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (self), box);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->save_button);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Line"));
  adw_preferences_group_set_description (group,
    _("From your telephone operator or your office’s telephone system (PBX)."));
  self->name_row = add_entry (self, group, _("_Name"), info->name, FALSE);
  self->aor_row = add_entry (self, group, _("SIP _Address"), info->aor, FALSE);
  self->display_name_row = add_entry (self, group, _("Caller _Name Shown"), info->display_name,
                                      FALSE);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Server"));
  adw_preferences_group_set_description (group,
    _("Leave the registrar empty when the operator knows this computer by its address."));
  self->registrar_row = add_entry (self, group, _("_Registrar"), info->registrar, FALSE);
  self->proxy_row = add_entry (self, group, _("Outbound _Proxy"), info->outbound_proxy, FALSE);
  transports = gtk_string_list_new ((const char *const[]) { "UDP", "TCP", "TLS", NULL });
  row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("_Transport"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (transports));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row),
                              info->transport == DD_SIP_TRANSPORT_TLS ? 2
                              : info->transport == DD_SIP_TRANSPORT_TCP ? 1 : 0);
  g_object_unref (transports);
  self->transport_row = ADW_COMBO_ROW (row);
  adw_preferences_group_add (group, row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Sign-in"));
  adw_preferences_group_set_description (group,
    _("The password is kept in your keyring, never in Dunning Desk’s files."));
  self->auth_user_row = add_entry (self, group, _("_User Name (if not the address’s)"),
                                   info->auth_user, FALSE);
  self->password_row = add_entry (self, group, _("Pass_word"), NULL, TRUE);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Calls"));
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Calls at _Once"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("As many as the line carries; 0 means no limit."));
  self->max_calls_spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, 500, 1));
  gtk_spin_button_set_value (self->max_calls_spin, info->max_calls);
  gtk_widget_set_valign (GTK_WIDGET (self->max_calls_spin), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->max_calls_spin));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row),
                                         GTK_WIDGET (self->max_calls_spin));
  adw_preferences_group_add (group, row);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("_Use This Line"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  self->enabled_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_switch_set_active (self->enabled_switch, info->enabled);
  gtk_widget_set_valign (GTK_WIDGET (self->enabled_switch), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->enabled_switch));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row),
                                         GTK_WIDGET (self->enabled_switch));
  adw_preferences_group_add (group, row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);

  if (self->original_name != NULL)
    {
      group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      adw_preferences_group_set_title (group, _("Try the Line"));
      adw_preferences_group_set_description (group,
        _("Dunning Desk calls the number through this line as saved, says a short test "
          "message and tells you how the call went."));
      self->try_number_row = add_entry (self, group, _("Number to _Call"), NULL, FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->try_number_row), "");
      self->try_button = gtk_button_new_with_mnemonic (_("_Call"));
      gtk_widget_set_valign (self->try_button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (self->try_button, "suggested-action");
      g_signal_connect (self->try_button, "clicked", G_CALLBACK (on_try_clicked), self);
      adw_entry_row_add_suffix (self->try_number_row, self->try_button);
      self->try_result_row = ADW_ACTION_ROW (adw_action_row_new ());
      gtk_widget_add_css_class (GTK_WIDGET (self->try_result_row), "property");
      gtk_widget_set_visible (GTK_WIDGET (self->try_result_row), FALSE);
      adw_preferences_group_add (group, GTK_WIDGET (self->try_result_row));
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);
    }

  if (self->original_name != NULL)
    {
      GtkWidget *remove = gtk_button_new_with_mnemonic (_("_Remove Account…"));

      group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      gtk_widget_add_css_class (remove, "destructive-action");
      gtk_widget_set_halign (remove, GTK_ALIGN_CENTER);
      g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked), self);
      adw_preferences_group_add (group, remove);
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);
      dd_sip_account_lookup_password (info, self->cancellable, on_password_known, self);
    }
  return GTK_WIDGET (self);
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
