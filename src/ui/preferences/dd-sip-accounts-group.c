/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-sip-accounts-group"

#include "config.h"

#include "dd-sip-accounts-group.h"

#include "dd-sip-account-editor.h"
#include "dd-sip-accounts.h"

#include <glib/gi18n.h>

struct _DdSipAccountsGroup
{
  AdwPreferencesGroup  parent_instance;

  DdContext           *context;    /* weak: the window's, which outlives the group */
  DdSipEngine         *engine;     /* weak: the context's */
  GPtrArray           *rows;       /* AdwActionRow */
  GtkWidget           *empty_row;
  char                *engine_error;
};

G_DEFINE_FINAL_TYPE (DdSipAccountsGroup, dd_sip_accounts_group, ADW_TYPE_PREFERENCES_GROUP)

/* What the account is doing, in words. */
static char *
state_text (DdSipAccountsGroup     *self,
            const DdSipAccountInfo *info)
{
  DdSipAccountState state;
  const char *reason = NULL;
  guint status = 0;

  if (!info->enabled)
    return g_strdup (_("Off"));
  if (self->engine == NULL)
    return g_strdup (self->engine_error != NULL ? self->engine_error : _("Not started"));
  state = dd_sip_engine_get_account_state (self->engine, info->name, &status, &reason);
  switch (state)
    {
    case DD_SIP_ACCOUNT_REGISTERING:
      return g_strdup (_("Signing in…"));
    case DD_SIP_ACCOUNT_REGISTERED:
      return g_strdup (_("Signed in"));
    case DD_SIP_ACCOUNT_FAILED:
      if (status == 401 || status == 403 || status == 407)
        /* Translators: %u is a SIP status code, %s its reason phrase */
        return g_strdup_printf (_("The server refused the password (%u %s)"), status,
                                reason != NULL ? reason : "");
      if (status > 0)
        /* Translators: %u is a SIP status code, %s its reason phrase */
        return g_strdup_printf (_("Not signed in: %u %s; trying again"), status,
                                reason != NULL ? reason : "");
      /* Translators: %s says why (a network error) */
      return g_strdup_printf (_("The server cannot be reached (%s); trying again"),
                              reason != NULL ? reason : "");
    case DD_SIP_ACCOUNT_UNREGISTERED:
    case DD_SIP_ACCOUNT_UNKNOWN:
    default:
      return g_strdup (info->registrar == NULL ? _("Ready (no sign-in)") : _("Waiting"));
    }
}

static void
on_row_activated (AdwActionRow       *row,
                  DdSipAccountsGroup *self)
{
  GtkWidget *editor = dd_sip_account_editor_new (self->context,
                                                 g_object_get_data (G_OBJECT (row), "name"));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (editor));
}

static void
on_add_clicked (GtkButton          *button,
                DdSipAccountsGroup *self)
{
  GtkWidget *editor = dd_sip_account_editor_new (self->context, NULL);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (editor));
}

static void
rebuild (DdSipAccountsGroup *self)
{
  GSettings *settings;
  g_autoptr(GPtrArray) accounts = NULL;

  if (self->context == NULL)
    return;
  settings = dd_context_get_settings (self->context);

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self),
                                  g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  accounts = settings != NULL
             ? dd_sip_accounts_load (settings)
             : g_ptr_array_new_with_free_func ((GDestroyNotify) dd_sip_account_info_free);
  gtk_widget_set_visible (self->empty_row, accounts->len == 0);

  /* the accounts' states are the engine's: start it once there is something to run */
  if (accounts->len > 0 && self->engine == NULL)
    {
      g_autoptr(GError) error = NULL;
      DdSipEngine *engine = dd_context_get_sip_engine (self->context, &error);

      g_clear_pointer (&self->engine_error, g_free);
      if (engine != NULL)
        {
          g_set_weak_pointer (&self->engine, engine);
          g_signal_connect_object (engine, "account-changed", G_CALLBACK (rebuild), self,
                                   G_CONNECT_SWAPPED);
        }
      else
        self->engine_error = g_strdup (error->message);
    }

  for (guint i = 0; i < accounts->len; i++)
    {
      const DdSipAccountInfo *info = g_ptr_array_index (accounts, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *state = gtk_label_new (NULL);
      g_autofree char *text = state_text (self, info);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), info->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), info->aor);
      gtk_label_set_text (GTK_LABEL (state), text);
      gtk_label_set_wrap (GTK_LABEL (state), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (state), 28);
      gtk_label_set_xalign (GTK_LABEL (state), 1.0);
      gtk_widget_add_css_class (state, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "name", g_strdup (info->name), g_free);
      g_object_set_data_full (G_OBJECT (row), "state", g_strdup (text), g_free);
      g_signal_connect (row, "activated", G_CALLBACK (on_row_activated), self);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->rows, row);
    }
}

static void
dd_sip_accounts_group_constructed (GObject *object)
{
  DdSipAccountsGroup *self = DD_SIP_ACCOUNTS_GROUP (object);
  GSettings *settings = self->context != NULL ? dd_context_get_settings (self->context) : NULL;

  G_OBJECT_CLASS (dd_sip_accounts_group_parent_class)->constructed (object);

  if (settings != NULL)
    g_signal_connect_object (settings, "changed::sip-accounts", G_CALLBACK (rebuild), self,
                             G_CONNECT_SWAPPED);
  rebuild (self);
}

static void
dd_sip_accounts_group_dispose (GObject *object)
{
  DdSipAccountsGroup *self = DD_SIP_ACCOUNTS_GROUP (object);

  g_clear_weak_pointer (&self->engine);
  g_clear_weak_pointer (&self->context);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->engine_error, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_SIP_ACCOUNTS_GROUP);
  G_OBJECT_CLASS (dd_sip_accounts_group_parent_class)->dispose (object);
}

static void
dd_sip_accounts_group_class_init (DdSipAccountsGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dd_sip_accounts_group_constructed;
  object_class->dispose = dd_sip_accounts_group_dispose;

  /* the window's context, which outlives the group: a weak pointer */
  dd_context_install_weak_property (object_class, G_STRUCT_OFFSET (DdSipAccountsGroup, context));

  gtk_widget_class_set_template_from_resource (widget_class,
    "/io/github/dunningdesk/DunningDesk/dd-sip-accounts-group.ui");
  gtk_widget_class_bind_template_child (widget_class, DdSipAccountsGroup, empty_row);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
}

static void
dd_sip_accounts_group_init (DdSipAccountsGroup *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dd_sip_accounts_group_new (DdContext *context)
{
  return g_object_new (DD_TYPE_SIP_ACCOUNTS_GROUP, "context", context, NULL);
}

char *
dd_sip_accounts_group_describe (DdSipAccountsGroup *self)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      GObject *row = g_ptr_array_index (self->rows, i);

      g_string_append_printf (text, "%s\t%s\n", (const char *) g_object_get_data (row, "name"),
                              (const char *) g_object_get_data (row, "state"));
    }
  return g_string_free (text, FALSE);
}
