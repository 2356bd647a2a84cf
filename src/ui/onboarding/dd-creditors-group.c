/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-creditors-group"

#include "config.h"

#include "dd-creditors-group.h"

#include "dd-case-store.h"
#include "dd-inline-error.h"

#include <glib/gi18n.h>
#include <inttypes.h>

struct _DdCreditorsGroup
{
  AdwPreferencesGroup  parent_instance;

  DdContext           *context;       /* weak: the window's, which outlives the group */
  gint64               own_id;        /* 0: the office has no own receivables yet */
  gint64               own_cases;
  gboolean             loading;
  gboolean             own_prefilled; /* switched on, not written yet */

  AdwActionRow        *own_row;
  GtkSwitch           *own_switch;
  AdwEntryRow         *add_row;
  GtkLabel            *error_label;
  GPtrArray           *rows;          /* the other creditors' AdwActionRow */
};

G_DEFINE_FINAL_TYPE (DdCreditorsGroup, dd_creditors_group, ADW_TYPE_PREFERENCES_GROUP)

/* A store on the office's database for the time of one change (the group holds no reference
 * to the database: the window's context does). */
static DdCaseStore *
case_store (DdCreditorsGroup *self)
{
  return dd_case_store_new (dd_context_get_database (self->context));
}

static void
show_error (DdCreditorsGroup *self,
            const char       *text)
{
  dd_show_message (self->error_label, text);
}

static char *
cases_text (gint64 n_cases)
{
  if (n_cases == 0)
    return g_strdup (_("No cases yet"));
  /* Translators: the number of cases of a creditor */
  return g_strdup_printf (ngettext ("%" PRId64 " case", "%" PRId64 " cases", n_cases), n_cases);
}

/* The own receivables are shown under the office's name. */
static void
update_own_title (DdCreditorsGroup *self)
{
  GSettings *settings = self->context != NULL ? dd_context_get_settings (self->context) : NULL;
  g_autofree char *office = settings != NULL ? g_settings_get_string (settings, "office-name")
                                             : NULL;
  g_autofree char *count = cases_text (self->own_cases);
  g_autofree char *subtitle = NULL;
  gboolean named = office != NULL && *g_strstrip (office) != '\0';

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->own_row),
                                 named ? office
                                       : dd_creditor_display_name (DD_CREDITOR_OWN_RECEIVABLES));
  /* without the office's name, the title says whose they are already */
  if (!named)
    subtitle = g_strdup (self->own_id > 0 ? count : "");
  else if (self->own_id > 0)
    /* Translators: the subtitle of the office's own creditor; %s is its number of cases */
    subtitle = g_strdup_printf (_("The office’s own receivables · %s"), count);
  else
    subtitle = g_strdup (_("The office’s own receivables"));
  adw_action_row_set_subtitle (self->own_row, subtitle);
}

static void on_remove_clicked (GtkButton *button, DdCreditorsGroup *self);

static GtkWidget *
create_row (DdCreditorsGroup *self,
            const DdCreditor *creditor)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *count = cases_text (creditor->n_cases);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), creditor->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), count);
  if (creditor->n_cases == 0)
    {
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      /* Translators: the accessible name of a creditor's remove button; %s is its name */
      g_autofree char *label = g_strdup_printf (_("Remove %s"), creditor->name);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Remove"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
      g_object_set_data (G_OBJECT (button), "dd-creditor-id",
                         GSIZE_TO_POINTER ((gsize) creditor->id));
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_remove_clicked), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  return row;
}

void
dd_creditors_group_reload (DdCreditorsGroup *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) creditors = NULL;
  g_autoptr(DdCaseStore) cases = NULL;

  g_return_if_fail (DD_IS_CREDITORS_GROUP (self));

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self),
                                  g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  self->own_id = 0;
  self->own_cases = 0;

  if (self->context == NULL)
    return;
  cases = case_store (self);
  creditors = dd_case_store_list_creditors (cases, &error);
  if (creditors == NULL)
    {
      show_error (self, error->message);
      return;
    }
  for (guint i = 0; i < creditors->len; i++)
    {
      const DdCreditor *creditor = g_ptr_array_index (creditors, i);
      GtkWidget *row;

      if (g_strcmp0 (creditor->name, DD_CREDITOR_OWN_RECEIVABLES) == 0)
        {
          self->own_id = creditor->id;
          self->own_cases = creditor->n_cases;
          continue;
        }
      row = create_row (self, creditor);
      g_ptr_array_add (self->rows, row);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
    }
  /* the add row stays last, the error under it */
  g_object_ref (self->add_row);
  adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->add_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->add_row));
  g_object_unref (self->add_row);

  self->loading = TRUE;
  if (self->own_id > 0)
    self->own_prefilled = FALSE;
  gtk_switch_set_active (self->own_switch, self->own_id > 0 || self->own_prefilled);
  self->loading = FALSE;
  /* the own receivables' cases keep it */
  gtk_widget_set_sensitive (GTK_WIDGET (self->own_switch), self->own_cases == 0);
  update_own_title (self);
}

static gboolean
add_creditor (DdCreditorsGroup  *self,
              GError           **error)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->add_row))));
  g_autoptr(DdCaseStore) cases = NULL;
  gint64 id = 0;

  if (*name == '\0')
    return TRUE;
  /* the own receivables under their shown name are the own receivables */
  if (g_strcmp0 (name, dd_creditor_display_name (DD_CREDITOR_OWN_RECEIVABLES)) == 0)
    {
      g_free (name);
      name = g_strdup (DD_CREDITOR_OWN_RECEIVABLES);
    }
  cases = case_store (self);
  if (!dd_case_store_ensure_creditor (cases, name, &id, error))
    return FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->add_row), "");
  return TRUE;
}

static void
on_add_row_apply (DdCreditorsGroup *self)
{
  g_autoptr(GError) error = NULL;

  show_error (self, NULL);
  if (!add_creditor (self, &error))
    {
      show_error (self, error->message);
      return;
    }
  dd_creditors_group_reload (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->add_row));
}

static void
on_remove_clicked (GtkButton        *button,
                   DdCreditorsGroup *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdCaseStore) cases = case_store (self);
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "dd-creditor-id"));

  show_error (self, NULL);
  if (!dd_case_store_remove_creditor (cases, id, &error))
    show_error (self, error->message);
  dd_creditors_group_reload (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->add_row));
}

static void
on_own_switch_active (DdCreditorsGroup *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdCaseStore) cases = NULL;
  gint64 id = 0;

  if (self->loading || self->context == NULL)
    return;
  cases = case_store (self);
  self->own_prefilled = FALSE;
  show_error (self, NULL);
  if (gtk_switch_get_active (self->own_switch))
    {
      if (!dd_case_store_ensure_creditor (cases, DD_CREDITOR_OWN_RECEIVABLES, &id, &error))
        show_error (self, error->message);
    }
  else if (self->own_id > 0 && !dd_case_store_remove_creditor (cases, self->own_id, &error))
    show_error (self, error->message);
  dd_creditors_group_reload (self);
}

void
dd_creditors_group_prefill_own (DdCreditorsGroup *self)
{
  g_return_if_fail (DD_IS_CREDITORS_GROUP (self));

  if (self->own_id > 0 || self->rows->len > 0)
    return;
  self->own_prefilled = TRUE;
  self->loading = TRUE;
  gtk_switch_set_active (self->own_switch, TRUE);
  self->loading = FALSE;
}

gboolean
dd_creditors_group_apply (DdCreditorsGroup  *self,
                          GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(DdCaseStore) cases = NULL;
  gint64 id = 0;

  g_return_val_if_fail (DD_IS_CREDITORS_GROUP (self), FALSE);
  g_return_val_if_fail (self->context != NULL, FALSE);

  cases = case_store (self);
  show_error (self, NULL);
  if ((gtk_switch_get_active (self->own_switch) && self->own_id == 0
       && !dd_case_store_ensure_creditor (cases, DD_CREDITOR_OWN_RECEIVABLES, &id,
                                          &local_error))
      || !add_creditor (self, &local_error))
    {
      show_error (self, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  dd_creditors_group_reload (self);
  return TRUE;
}

static void
dd_creditors_group_constructed (GObject *object)
{
  DdCreditorsGroup *self = DD_CREDITORS_GROUP (object);
  GSettings *settings;

  G_OBJECT_CLASS (dd_creditors_group_parent_class)->constructed (object);

  g_return_if_fail (DD_IS_CONTEXT (self->context));

  settings = dd_context_get_settings (self->context);
  if (settings != NULL)
    g_signal_connect_object (settings, "changed::office-name", G_CALLBACK (update_own_title),
                             self, G_CONNECT_SWAPPED);
  dd_creditors_group_reload (self);
}

static void
dd_creditors_group_dispose (GObject *object)
{
  DdCreditorsGroup *self = DD_CREDITORS_GROUP (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_weak_pointer (&self->context);

  G_OBJECT_CLASS (dd_creditors_group_parent_class)->dispose (object);
}

static void
dd_creditors_group_class_init (DdCreditorsGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = dd_creditors_group_constructed;
  object_class->dispose = dd_creditors_group_dispose;
  /* the window's context, which outlives the group: a weak pointer */
  dd_context_install_weak_property (object_class, G_STRUCT_OFFSET (DdCreditorsGroup, context));
}

static void
dd_creditors_group_init (DdCreditorsGroup *self)
{
  GtkWidget *own_switch = gtk_switch_new ();

  self->rows = g_ptr_array_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Creditors"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("Whose receivables the office collects: its own, and "
                                           "those of the clients it works for."));

  self->own_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->own_row), FALSE);
  adw_action_row_set_title_lines (self->own_row, 2);
  self->own_switch = GTK_SWITCH (own_switch);
  gtk_widget_set_valign (own_switch, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (own_switch), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The office collects its own receivables"), -1);
  adw_action_row_add_suffix (self->own_row, own_switch);
  adw_action_row_set_activatable_widget (self->own_row, own_switch);
  g_signal_connect_object (own_switch, "notify::active", G_CALLBACK (on_own_switch_active),
                           self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->own_row));

  self->add_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->add_row), _("_Add a Creditor"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->add_row), TRUE);
  adw_entry_row_set_show_apply_button (self->add_row, TRUE);
  g_signal_connect_object (self->add_row, "apply", G_CALLBACK (on_add_row_apply), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->add_row, "entry-activated", G_CALLBACK (on_add_row_apply), self,
                           G_CONNECT_SWAPPED);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->add_row));

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_widget_set_margin_top (GTK_WIDGET (self->error_label), 6);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->error_label));
}

GtkWidget *
dd_creditors_group_new (DdContext *context)
{
  g_return_val_if_fail (DD_IS_CONTEXT (context), NULL);

  return g_object_new (DD_TYPE_CREDITORS_GROUP, "context", context, NULL);
}
