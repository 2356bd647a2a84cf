/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-onboarding"

#include "config.h"

#include "dd-onboarding.h"

#include "dd-case-store.h"
#include "dd-creditors-group.h"
#include "dd-demo-office.h"
#include "dd-import-assistant.h"
#include "dd-importer.h"
#include "dd-paths.h"
#include "dd-preferences-window.h"
#include "dd-sip-account-editor.h"
#include "dd-users.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>

struct _DdOnboarding
{
  AdwWindow        parent_instance;

  DdContext       *context;
  char            *demo_path;
  GCancellable    *cancellable;
  gboolean         demo_running;

  /* template children */
  AdwWindowTitle  *window_title;
  GtkButton       *back_button;
  GtkButton       *next_button;
  GtkButton       *skip_button;
  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  AdwEntryRow     *office_name_row;
  AdwComboRow     *country_row;
  AdwComboRow     *currency_row;
  AdwComboRow     *language_row;
  AdwClamp        *creditors_clamp;
  DdCreditorsGroup *creditors_group;
  AdwEntryRow     *manager_name_row;
  AdwEntryRow     *password_row;
  AdwEntryRow     *repeat_row;
  GtkLabel        *manager_error;
  AdwActionRow    *import_row;
  AdwActionRow    *demo_row;
  GtkStack        *demo_suffix;
  GtkSpinner      *demo_spinner;
  GtkLabel        *receivables_error;
  AdwActionRow    *sms_row;
  AdwActionRow    *phone_row;
};

G_DEFINE_FINAL_TYPE (DdOnboarding, dd_onboarding, ADW_TYPE_WINDOW)

enum {
  SIGNAL_DEMO_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The steps, in order */
static const char * const steps[] = { "office", "creditors", "manager", "receivables", "sms", "phone", "done" };

/* The languages the office writes to debtors in (office-language) */
static const struct { const char *code; const char *name; } languages[] = {
  { "pl", N_("Polish") },
  { "ru", N_("Russian") },
  { "en", N_("English") },
};

static guint
step_index (DdOnboarding *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (g_strcmp0 (name, steps[i]) == 0)
      return i;
  return 0;
}

static void
update_buttons (DdOnboarding *self)
{
  guint index = step_index (self);
  gboolean last = index == G_N_ELEMENTS (steps) - 1;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "onboarding.back", index > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->skip_button), !last);
  gtk_button_set_label (self->next_button, last ? _("_Start Working") : _("_Next"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->demo_row), !self->demo_running);
  /* Translators: the subtitle of the first start assistant; %u of %u is the step */
  {
    g_autofree char *subtitle = g_strdup_printf (_("Step %u of %u"), index + 1,
                                                 (guint) G_N_ELEMENTS (steps));

    adw_window_title_set_subtitle (self->window_title, subtitle);
  }
}

static void
show_step (DdOnboarding *self,
           guint         index)
{
  index = MIN (index, G_N_ELEMENTS (steps) - 1);
  gtk_stack_set_visible_child_name (self->stack, steps[index]);
  update_buttons (self);
  /* the keyboard goes on where the page starts */
  gtk_widget_child_focus (gtk_stack_get_visible_child (self->stack), GTK_DIR_TAB_FORWARD);
}

/* On screen, the keyboard starts on the step shown (GtkWindow would pick the header's first
 * button). */
static void
dd_onboarding_map (GtkWidget *widget)
{
  DdOnboarding *self = DD_ONBOARDING (widget);

  GTK_WIDGET_CLASS (dd_onboarding_parent_class)->map (widget);
  gtk_widget_child_focus (gtk_stack_get_visible_child (self->stack), GTK_DIR_TAB_FORWARD);
}

static void
mark_done (DdOnboarding *self)
{
  GSettings *settings = dd_context_get_settings (self->context);

  if (settings != NULL)
    g_settings_set_boolean (settings, "onboarding-done", TRUE);
}

/* Manager page: the user the window runs as (the first manager of a new office) gets the
 * name and the password typed here. */

static void
show_manager_error (DdOnboarding *self,
                    const char   *text,
                    GtkWidget    *focus)
{
  gtk_label_set_label (self->manager_error, text);
  gtk_widget_set_visible (GTK_WIDGET (self->manager_error), TRUE);
  gtk_widget_grab_focus (focus);
}

static gboolean
save_manager (DdOnboarding *self)
{
  g_autoptr(DdAgentStore) agents = dd_agent_store_new (dd_context_get_database (self->context));
  g_autoptr(GError) error = NULL;
  g_autoptr(DdAgent) agent = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->manager_name_row))));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  const char *repeat = gtk_editable_get_text (GTK_EDITABLE (self->repeat_row));
  gint64 id = dd_context_get_agent_id (self->context);

  if (g_strcmp0 (password, repeat) != 0)
    {
      show_manager_error (self, _("The passwords do not match."), GTK_WIDGET (self->repeat_row));
      return FALSE;
    }
  if (id <= 0 || (agent = dd_agent_store_get (agents, id, &error)) == NULL)
    {
      if (error != NULL)
        show_manager_error (self, error->message, GTK_WIDGET (self->manager_name_row));
      return error == NULL;
    }
  if (*name != '\0' && g_strcmp0 (name, agent->name) != 0)
    {
      if (!dd_agent_store_rename (agents, id, name, &error))
        {
          show_manager_error (self, error->message, GTK_WIDGET (self->manager_name_row));
          return FALSE;
        }
      dd_context_set_agent (self->context, id, name, agent->role == DD_AGENT_ROLE_MANAGER);
    }
  if (*password != '\0' && !dd_users_set_password (agents, id, password, &error))
    {
      show_manager_error (self, error->message, GTK_WIDGET (self->password_row));
      return FALSE;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->repeat_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->manager_error), FALSE);
  return TRUE;
}

/* Actions */

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DdOnboarding *self = DD_ONBOARDING (widget);
  guint index = step_index (self);

  if (index > 0)
    show_step (self, index - 1);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DdOnboarding *self = DD_ONBOARDING (widget);
  guint index = step_index (self);

  if (index + 1 >= G_N_ELEMENTS (steps))
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  if (g_str_equal (steps[index], "manager") && !save_manager (self))
    return;
  if (g_str_equal (steps[index], "creditors")
      && !dd_creditors_group_apply (self->creditors_group, NULL))
    return;
  show_step (self, index + 1);
}

static void
skip_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DdOnboarding *self = DD_ONBOARDING (widget);

  /* a skipped step keeps what it had: no password is set from a half-typed form */
  if (g_str_equal (steps[step_index (self)], "manager"))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->repeat_row), "");
      gtk_widget_set_visible (GTK_WIDGET (self->manager_error), FALSE);
    }
  show_step (self, step_index (self) + 1);
}

/* Office page: the language row */

static gboolean
language_to_position (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  const char *code = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (g_strcmp0 (languages[i].code, code) == 0)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  /* not chosen yet (a desktop in another language): English, the last one */
  g_value_set_uint (value, G_N_ELEMENTS (languages) - 1);
  return TRUE;
}

static GVariant *
position_to_language (const GValue       *value,
                      const GVariantType *expected_type,
                      gpointer            user_data)
{
  guint position = g_value_get_uint (value);

  if (position >= G_N_ELEMENTS (languages))
    return NULL;
  return g_variant_new_string (languages[position].code);
}

static void
setup_office (DdOnboarding *self)
{
  GSettings *settings = dd_context_get_settings (self->context);
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    gtk_string_list_append (model, _(languages[i].name));
  adw_combo_row_set_model (self->language_row, G_LIST_MODEL (model));

  dd_preferences_bind_region_rows (self->country_row, self->currency_row, settings);
  if (dd_context_get_agent_name (self->context) != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->manager_name_row),
                           dd_context_get_agent_name (self->context));
  if (settings == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->office_name_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->language_row), FALSE);
      return;
    }
  g_settings_bind (settings, "office-name", self->office_name_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "office-language", self->language_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, language_to_position,
                                position_to_language, NULL, NULL);
}

/* Receivables page */

static void
on_import_row_activated (DdOnboarding *self)
{
  DdImportAssistant *assistant = dd_import_assistant_new (GTK_WINDOW (self), self->context, NULL);

  gtk_window_present (GTK_WINDOW (assistant));
  /* the assistant is on top; behind it, the next step waits */
  show_step (self, step_index (self) + 1);
}

typedef struct
{
  char *path;
  char *locale;
} DemoJob;

static void
demo_job_free (DemoJob *job)
{
  g_free (job->path);
  g_free (job->locale);
  g_free (job);
}

/* In a worker thread: a demo office database of its own at @job->path (kept when it has
 * cases already). */
static void
make_demo_office (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  DemoJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdCaseStore) cases = NULL;
  g_autoptr(DdImporter) importer = NULL;
  g_autoptr(DdImportSummary) summary = NULL;
  g_autoptr(GFile) csv = NULL;
  g_autoptr(GFileIOStream) stream = NULL;
  g_autofree char *dir = g_path_get_dirname (job->path);
  DdDemoOfficeOptions demo = { 0 };
  DdImportOptions options;
  gint64 total = 0;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               /* Translators: %s is a folder, the second %s the reason */
                               _("Could not create the folder %s: %s"), dir,
                               g_strerror (saved));
      return;
    }
  database = dd_database_open (job->path, &error);
  cases = database != NULL ? dd_case_store_new (database) : NULL;
  if (cases == NULL || !dd_case_store_count (cases, &total, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (total > 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  demo.n_debtors = 120;
  demo.locale = job->locale;
  demo.seed = 17;
  demo.error_rate = 0.02;
  csv = g_file_new_tmp ("dunning-desk-demo-XXXXXX.csv", &stream, &error);
  if (csv == NULL
      || !dd_demo_office_write_csv (g_io_stream_get_output_stream (G_IO_STREAM (stream)), &demo,
                                    cancellable, &error)
      || !g_io_stream_close (G_IO_STREAM (stream), cancellable, &error))
    {
      if (csv != NULL)
        g_file_delete (csv, NULL, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  importer = dd_importer_new (database);
  dd_import_options_init (&options);
  options.country = g_str_equal (job->locale, "ru") ? "RU" : "PL";
  summary = dd_importer_run (importer, csv, &options, cancellable, NULL, NULL, &error);
  g_file_delete (csv, NULL, NULL);
  if (summary == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_demo_made (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DdOnboarding) self = user_data;
  g_autoptr(GError) error = NULL;
  DemoJob *job = g_task_get_task_data (G_TASK (result));

  self->demo_running = FALSE;
  gtk_spinner_stop (self->demo_spinner);
  gtk_stack_set_visible_child_name (self->demo_suffix, "arrow");
  update_buttons (self);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not make the demo office %s: %s", job->path, error->message);
      gtk_label_set_label (self->receivables_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->receivables_error), TRUE);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_DEMO_CREATED], 0, job->path);
  show_step (self, step_index (self) + 1);
}

static void
on_demo_row_activated (DdOnboarding *self)
{
  g_autoptr(GTask) task = NULL;
  GSettings *settings = dd_context_get_settings (self->context);
  g_autofree char *language = settings != NULL
                              ? g_settings_get_string (settings, "office-language") : NULL;
  DemoJob *job;

  if (self->demo_running)
    return;

  job = g_new0 (DemoJob, 1);
  if (self->demo_path != NULL)
    job->path = g_strdup (self->demo_path);
  else
    {
      g_autofree char *dir = dd_paths_get_data_dir ();

      job->path = g_build_filename (dir, "demo-office.db", NULL);
    }
  job->locale = g_strdup (g_strcmp0 (language, "ru") == 0 ? "ru" : "pl");

  self->demo_running = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->receivables_error), FALSE);
  gtk_stack_set_visible_child_name (self->demo_suffix, "busy");
  gtk_spinner_start (self->demo_spinner);
  update_buttons (self);

  task = g_task_new (NULL, self->cancellable, on_demo_made, g_object_ref (self));
  g_task_set_source_tag (task, on_demo_row_activated);
  g_task_set_task_data (task, job, (GDestroyNotify) demo_job_free);
  g_task_run_in_thread (task, make_demo_office);
}

/* SMS and phone pages: the editors of Preferences */

static void
on_sms_row_activated (DdOnboarding *self)
{
  DdPreferencesWindow *preferences = dd_preferences_window_new (GTK_WINDOW (self), self->context);

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences),
                                                "sms-providers");
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
on_phone_row_activated (DdOnboarding *self)
{
  GtkWidget *editor = dd_sip_account_editor_new (self->context, NULL);

  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (editor), TRUE);
  gtk_window_present (GTK_WINDOW (editor));
}

/* GObject */

static gboolean
dd_onboarding_close_request (GtkWindow *window)
{
  DdOnboarding *self = DD_ONBOARDING (window);

  /* finished or closed: either way it is not asked again */
  mark_done (self);
  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (dd_onboarding_parent_class)->close_request (window);
}

static void
dd_onboarding_constructed (GObject *object)
{
  DdOnboarding *self = DD_ONBOARDING (object);

  G_OBJECT_CLASS (dd_onboarding_parent_class)->constructed (object);

  g_return_if_fail (DD_IS_CONTEXT (self->context));

  setup_office (self);
  /* the creditors: the office's own prefilled under its name */
  self->creditors_group = DD_CREDITORS_GROUP (dd_creditors_group_new (self->context));
  dd_creditors_group_prefill_own (self->creditors_group);
  /* the page says what the group is */
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->creditors_group), NULL);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->creditors_group), NULL);
  adw_clamp_set_child (self->creditors_clamp, GTK_WIDGET (self->creditors_group));
  show_step (self, 0);
}

static void
dd_onboarding_dispose (GObject *object)
{
  DdOnboarding *self = DD_ONBOARDING (object);
  GSettings *settings = self->context != NULL ? dd_context_get_settings (self->context) : NULL;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  /* before the rows go: their models emptied would write to the settings */
  if (settings != NULL && self->office_name_row != NULL)
    {
      g_settings_unbind (self->office_name_row, "text");
      g_settings_unbind (self->language_row, "selected");
      g_settings_unbind (self->country_row, "selected");
      g_settings_unbind (self->currency_row, "selected");
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_ONBOARDING);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (dd_onboarding_parent_class)->dispose (object);
}

static void
dd_onboarding_finalize (GObject *object)
{
  DdOnboarding *self = DD_ONBOARDING (object);

  g_free (self->demo_path);

  G_OBJECT_CLASS (dd_onboarding_parent_class)->finalize (object);
}

static void
dd_onboarding_class_init (DdOnboardingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = dd_onboarding_constructed;
  object_class->dispose = dd_onboarding_dispose;
  object_class->finalize = dd_onboarding_finalize;
  window_class->close_request = dd_onboarding_close_request;
  widget_class->map = dd_onboarding_map;

  dd_context_install_property (object_class, G_STRUCT_OFFSET (DdOnboarding, context), 0);

  signals[SIGNAL_DEMO_CREATED] =
    g_signal_new ("demo-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dunningdesk/DunningDesk/dd-onboarding.ui");
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, window_title);
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, back_button);
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, next_button);
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, skip_button);
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, stack);
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, office_name_row);
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, country_row);
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, currency_row);
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, language_row);
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, creditors_clamp);
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, manager_name_row);
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, password_row);
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, repeat_row);
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, manager_error);
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, import_row);
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, demo_row);
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, demo_suffix);
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, demo_spinner);
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, receivables_error);
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, sms_row);
  gtk_widget_class_bind_template_child (widget_class, DdOnboarding, phone_row);
  gtk_widget_class_bind_template_callback (widget_class, on_import_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_demo_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_sms_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_phone_row_activated);

  gtk_widget_class_install_action (widget_class, "onboarding.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "onboarding.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "onboarding.skip", NULL, skip_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "onboarding.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK,
                                       "onboarding.next", NULL);
}

static void
dd_onboarding_init (DdOnboarding *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->next_button));
}

gboolean
dd_onboarding_is_needed (DdContext *context)
{
  GSettings *settings;
  g_autoptr(DdCaseStore) cases = NULL;
  g_autoptr(GError) error = NULL;
  gint64 total = 0;

  g_return_val_if_fail (DD_IS_CONTEXT (context), FALSE);

  settings = dd_context_get_settings (context);
  if (settings == NULL || g_settings_get_boolean (settings, "onboarding-done"))
    return FALSE;
  cases = dd_case_store_new (dd_context_get_database (context));
  if (!dd_case_store_count (cases, &total, NULL, &error))
    {
      g_warning ("Could not count the cases: %s", error->message);
      return FALSE;
    }
  return total == 0;
}

DdOnboarding *
dd_onboarding_new (GtkWindow *parent,
                   DdContext *context)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DD_IS_CONTEXT (context), NULL);

  return g_object_new (DD_TYPE_ONBOARDING,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       "context", context,
                       NULL);
}

const char *
dd_onboarding_get_step (DdOnboarding *self)
{
  g_return_val_if_fail (DD_IS_ONBOARDING (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
dd_onboarding_set_demo_path (DdOnboarding *self,
                             const char   *path)
{
  g_return_if_fail (DD_IS_ONBOARDING (self));

  g_free (self->demo_path);
  self->demo_path = g_strdup (path);
}
