/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-ivr-flows-view"

#include "config.h"

#include "dd-ivr-flows-view.h"
#include "dd-ivr-flows-view-private.h"

#include "dd-ivr-flow-store.h"
#include "dd-question.h"

#include <glib/gi18n.h>
#include <inttypes.h>

struct _DdIvrFlowsView
{
  AdwBin          parent_instance;

  DdContext      *context;
  DdIvrFlowStore *store;
  DdIvrEditor    *editor;

  AdwLeaflet     *leaflet;
  GtkStack       *list_stack;
  GtkListBox     *flows_list;
  GtkBox         *editor_box;
  GtkWidget      *back_button;
};

G_DEFINE_FINAL_TYPE (DdIvrFlowsView, dd_ivr_flows_view, ADW_TYPE_BIN)

static void
select_row_of (DdIvrFlowsView *self,
               const char     *name)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->flows_list, i)) != NULL; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "dd-name"), name) == 0)
      {
        gtk_list_box_select_row (self->flows_list, row);
        return;
      }
  gtk_list_box_unselect_all (self->flows_list);
}

static void
open_flow (DdIvrFlowsView *self,
           const char     *name)
{
  g_autoptr(GError) error = NULL;

  if (!dd_ivr_editor_load (self->editor, name, 0, &error))
    {
      dd_notice_show (GTK_WIDGET (self), _("Could Not Open the Call Flow"), error->message);
      return;
    }
  select_row_of (self, name);
  adw_leaflet_set_visible_child_name (self->leaflet, "editor");
}

static void
on_discard_response (AdwMessageDialog *dialog,
                     const char       *response,
                     DdIvrFlowsView   *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "dd-name");

  if (g_strcmp0 (response, "discard") == 0)
    open_flow (self, name);
  else
    select_row_of (self, dd_ivr_flow_get_name (dd_ivr_editor_get_flow (self->editor)));
}

static void
on_flow_activated (GtkListBox     *list,
                   GtkListBoxRow  *row,
                   DdIvrFlowsView *self)
{
  const char *name = g_object_get_data (G_OBJECT (row), "dd-name");
  GtkWidget *dialog;

  if (!dd_ivr_editor_get_modified (self->editor))
    {
      open_flow (self, name);
      return;
    }
  dialog = GTK_WIDGET (dd_question_new (GTK_WIDGET (self), _("Discard Unsaved Changes?"),
                                        _("The changes to the call flow being edited will be "
                                          "lost."),
                                        "discard", _("_Discard"), ADW_RESPONSE_DESTRUCTIVE,
                                        FALSE));
  g_object_set_data_full (G_OBJECT (dialog), "dd-name", g_strdup (name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_back_clicked (DdIvrFlowsView *self)
{
  adw_leaflet_set_visible_child_name (self->leaflet, "list");
}

static void
on_flow_saved (DdIvrFlowsView *self,
               const char     *name,
               gint64          version)
{
  dd_ivr_flows_view_reload (self);
  select_row_of (self, name);
}

static void
new_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DdIvrFlowsView *self = DD_IVR_FLOWS_VIEW (widget);

  /* the editor asks about unsaved changes */
  gtk_widget_activate_action_variant (GTK_WIDGET (self->editor), "editor.new-from-template",
                                      parameter);
  gtk_list_box_unselect_all (self->flows_list);
  adw_leaflet_set_visible_child_name (self->leaflet, "editor");
}

/* GObject */

static void
dd_ivr_flows_view_constructed (GObject *object)
{
  DdIvrFlowsView *self = DD_IVR_FLOWS_VIEW (object);
  GtkListBoxRow *first;

  G_OBJECT_CLASS (dd_ivr_flows_view_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  self->store = dd_ivr_flow_store_new (dd_context_get_database (self->context));
  self->editor = DD_IVR_EDITOR (dd_ivr_editor_new (self->context));
  gtk_widget_set_vexpand (GTK_WIDGET (self->editor), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->editor), TRUE);
  gtk_box_append (self->editor_box, GTK_WIDGET (self->editor));
  /* the way back to the list sits in the editor's toolbar rather than on a row of its own */
  g_object_ref (self->back_button);
  gtk_box_remove (self->editor_box, self->back_button);
  dd_ivr_editor_add_toolbar_start (self->editor, self->back_button);
  g_object_unref (self->back_button);
  g_signal_connect_object (self->editor, "flow-saved", G_CALLBACK (on_flow_saved), self,
                           G_CONNECT_SWAPPED);

  dd_ivr_flows_view_reload (self);
  /* open the first stored flow, else a new one from the payment reminder */
  first = gtk_list_box_get_row_at_index (self->flows_list, 0);
  if (first != NULL)
    open_flow (self, g_object_get_data (G_OBJECT (first), "dd-name"));
  else
    dd_ivr_editor_new_from_template (self->editor, "payment-reminder", NULL);
  adw_leaflet_set_visible_child_name (self->leaflet, "editor");
}

static void
dd_ivr_flows_view_dispose (GObject *object)
{
  DdIvrFlowsView *self = DD_IVR_FLOWS_VIEW (object);

  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_IVR_FLOWS_VIEW);
  self->editor = NULL;
  g_clear_object (&self->store);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (dd_ivr_flows_view_parent_class)->dispose (object);
}

static void
dd_ivr_flows_view_class_init (DdIvrFlowsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dd_ivr_flows_view_constructed;
  object_class->dispose = dd_ivr_flows_view_dispose;

  dd_context_install_property (object_class, G_STRUCT_OFFSET (DdIvrFlowsView, context), 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dunningdesk/DunningDesk/dd-ivr-flows-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DdIvrFlowsView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DdIvrFlowsView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, DdIvrFlowsView, flows_list);
  gtk_widget_class_bind_template_child (widget_class, DdIvrFlowsView, editor_box);
  gtk_widget_class_bind_template_child (widget_class, DdIvrFlowsView, back_button);
  /* for the tests */
  gtk_widget_class_bind_template_child_full (widget_class, "new_button", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, on_flow_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);

  gtk_widget_class_install_action (widget_class, "flows.new", "s", new_activated);
}

static void
dd_ivr_flows_view_init (DdIvrFlowsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dd_ivr_flows_view_new (DdContext *context)
{
  g_return_val_if_fail (DD_IS_CONTEXT (context), NULL);

  return g_object_new (DD_TYPE_IVR_FLOWS_VIEW, "context", context, NULL);
}

DdIvrEditor *
dd_ivr_flows_view_get_editor (DdIvrFlowsView *self)
{
  g_return_val_if_fail (DD_IS_IVR_FLOWS_VIEW (self), NULL);

  return self->editor;
}

void
dd_ivr_flows_view_reload (DdIvrFlowsView *self)
{
  g_autoptr(GPtrArray) flows = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  g_return_if_fail (DD_IS_IVR_FLOWS_VIEW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->flows_list))) != NULL)
    gtk_list_box_remove (self->flows_list, child);

  flows = dd_ivr_flow_store_list (self->store, &error);
  if (flows == NULL)
    {
      g_warning ("Could not list the call flows: %s", error->message);
      gtk_stack_set_visible_child_name (self->list_stack, "empty");
      return;
    }
  for (guint i = 0; i < flows->len; i++)
    {
      DdIvrFlowRecord *record = g_ptr_array_index (flows, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = NULL;
      g_autofree char *day = g_strndup (record->created_at ? record->created_at : "", 10);

      /* Translators: under a call flow's name: its latest version and when it was saved */
      subtitle = g_strdup_printf (_("Version %" PRId64 " · %s"), record->version, day);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), record->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "dd-name", g_strdup (record->name), g_free);
      gtk_list_box_append (self->flows_list, row);
    }
  gtk_stack_set_visible_child_name (self->list_stack, flows->len > 0 ? "flows" : "empty");
}

/* Private API */

GtkListBox *
_dd_ivr_flows_view_get_list (DdIvrFlowsView *self)
{
  return self->flows_list;
}
