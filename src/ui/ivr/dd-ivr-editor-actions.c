/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-ivr-editor"

#include "config.h"

#include "dd-ivr-editor-private.h"

#include "dd-ivr-test-call.h"

#include <glib/gi18n.h>
#include <inttypes.h>

static void
new_from_template_now (DdIvrEditor *self,
                       const char  *template_name)
{
  g_autoptr(GError) error = NULL;

  if (!dd_ivr_editor_new_from_template (self, template_name, &error))
    _dd_ivr_editor_show_toast (self, error->message);
}

static void
on_import_response (GtkNativeDialog *dialog,
                    int              response,
                    DdIvrEditor     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;

      if (!_dd_ivr_editor_import_file (self, file, &error))
        _dd_ivr_editor_show_toast (self, error->message);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
import_now (DdIvrEditor *self,
            const char  *unused)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Import a Call Flow"),
                                        GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), NULL);
  gtk_file_filter_set_name (filter, _("Call flows (JSON)"));
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_import_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    DdIvrEditor     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;

      if (!_dd_ivr_editor_export_file (self, file, &error))
        _dd_ivr_editor_show_toast (self, error->message);
      else
        _dd_ivr_editor_show_toast (self, _("Call flow exported"));
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

/* Actions */

static void
undo_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  dd_ivr_canvas_undo (DD_IVR_EDITOR (widget)->canvas);
}

static void
redo_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  dd_ivr_canvas_redo (DD_IVR_EDITOR (widget)->canvas);
}

/* Test call: the simulator in its own window, the path highlighted on the canvas. */

static void
on_test_call_node (DdIvrTestCall *call,
                   const char    *node_id,
                   DdIvrEditor   *self)
{
  DdIvrSimulator *simulator = dd_ivr_test_call_get_simulator (call);
  GPtrArray *path = simulator != NULL ? dd_ivr_simulator_get_path (simulator) : NULL;
  g_autoptr(GPtrArray) visited = g_ptr_array_new ();

  for (guint i = 0; path != NULL && i < path->len; i++)
    g_ptr_array_add (visited, g_ptr_array_index (path, i));
  g_ptr_array_add (visited, NULL);
  dd_ivr_canvas_set_highlight (dd_ivr_editor_get_canvas (self), node_id,
                               (const char * const *) visited->pdata);
}

static void
on_test_call_destroyed (DdIvrTestCall *call,
                        DdIvrEditor   *self)
{
  dd_ivr_canvas_set_highlight (dd_ivr_editor_get_canvas (self), NULL, NULL);
}

static void
test_call_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DdIvrEditor *self = DD_IVR_EDITOR (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  DdIvrTestCall *call;

  call = dd_ivr_test_call_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->context,
                               dd_ivr_editor_get_flow (self));
  g_signal_connect_object (call, "node-entered", G_CALLBACK (on_test_call_node), self, 0);
  g_signal_connect_object (call, "destroy", G_CALLBACK (on_test_call_destroyed), self, 0);
  gtk_window_present (GTK_WINDOW (call));
}

static void
validate_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DdIvrEditor *self = DD_IVR_EDITOR (widget);
  g_autoptr(GPtrArray) issues = dd_ivr_editor_validate (self);
  g_autofree char *text = NULL;
  guint errors = 0;

  for (guint i = 0; i < issues->len; i++)
    if (((DdIvrIssue *) g_ptr_array_index (issues, i))->severity == DD_IVR_SEVERITY_ERROR)
      errors++;
  if (issues->len == 0)
    text = g_strdup (_("No problems found"));
  else if (errors > 0)
    text = g_strdup_printf (ngettext ("%u error: the flow cannot be used for calls yet",
                                      "%u errors: the flow cannot be used for calls yet",
                                      errors), errors);
  else
    text = g_strdup_printf (ngettext ("%u warning", "%u warnings", issues->len), issues->len);
  _dd_ivr_editor_show_toast (self, text);
}

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DdIvrEditor *self = DD_IVR_EDITOR (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 version = 0;

  if (!dd_ivr_editor_save (self, &version, &error))
    {
      _dd_ivr_editor_show_toast (self, error->message);
      return;
    }
  text = g_strdup_printf (_("Saved “%s”, version %" PRId64),
                          dd_ivr_flow_get_name (dd_ivr_editor_get_flow (self)), version);
  _dd_ivr_editor_show_toast (self, text);
}

static void
import_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  _dd_ivr_editor_confirm_discard (DD_IVR_EDITOR (widget), import_now, NULL);
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DdIvrEditor *self = DD_IVR_EDITOR (widget);
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;

  dialog = gtk_file_chooser_native_new (_("Export the Call Flow"),
                                        GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  name = g_strdup_printf ("%s.json", *dd_ivr_flow_get_name (dd_ivr_editor_get_flow (self))
                                     ? dd_ivr_flow_get_name (dd_ivr_editor_get_flow (self))
                                     : _("call-flow"));
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
new_from_template_activated (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  _dd_ivr_editor_confirm_discard (DD_IVR_EDITOR (widget), new_from_template_now,
                   g_variant_get_string (parameter, NULL));
}

static void
zoom_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DdIvrCanvas *canvas = DD_IVR_EDITOR (widget)->canvas;

  if (g_str_equal (action_name, "editor.zoom-in"))
    dd_ivr_canvas_zoom_in (canvas);
  else if (g_str_equal (action_name, "editor.zoom-out"))
    dd_ivr_canvas_zoom_out (canvas);
  else
    dd_ivr_canvas_zoom_fit (canvas);
}

static void
delete_node_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  dd_ivr_canvas_delete_selected (DD_IVR_EDITOR (widget)->canvas);
}

void
_dd_ivr_editor_class_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "editor.undo", NULL, undo_activated);
  gtk_widget_class_install_action (widget_class, "editor.redo", NULL, redo_activated);
  gtk_widget_class_install_action (widget_class, "editor.validate", NULL, validate_activated);
  gtk_widget_class_install_action (widget_class, "editor.test-call", NULL, test_call_activated);
  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "editor.import", NULL, import_activated);
  gtk_widget_class_install_action (widget_class, "editor.export", NULL, export_activated);
  gtk_widget_class_install_action (widget_class, "editor.new-from-template", "s",
                                   new_from_template_activated);
  gtk_widget_class_install_action (widget_class, "editor.zoom-in", NULL, zoom_activated);
  gtk_widget_class_install_action (widget_class, "editor.zoom-out", NULL, zoom_activated);
  gtk_widget_class_install_action (widget_class, "editor.zoom-fit", NULL, zoom_activated);
  gtk_widget_class_install_action (widget_class, "editor.delete-node", NULL,
                                   delete_node_activated);
}
