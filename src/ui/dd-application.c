/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-application"

#include "config.h"

#include "dd-application.h"

#include "dd-campaign-wizard.h"
#include "dd-database.h"
#include "dd-import-assistant.h"
#include "dd-ivr-test-call.h"
#include "dd-pg-database.h"
#include "dd-secret-store.h"
#include "dd-agent-store.h"
#include "dd-database.h"
#include "dd-onboarding.h"
#include "dd-paths.h"
#include "dd-preferences-window.h"
#include "dd-region.h"
#include "dd-sip-account-editor.h"
#include "dd-sign-in-window.h"
#include "dd-users.h"
#include "dd-window.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

/* The name of the help document installed by help/meson.build. */
#define HELP_ID "dunning-desk"
/* The same help online, for a computer without a help viewer (as in the metainfo). */
#define ONLINE_HELP_URL "https://github.com/dunningdesk/dunning-desk/tree/main/help/C"
#define ONLINE_HELP_PAGE_URL "https://github.com/dunningdesk/dunning-desk/blob/main/help/C/%s.page"

struct _DdApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (DdApplication, dd_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "database", 'd', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the office database in FILE (or the shared one at postgresql://USER@HOST/DB) "
       "instead of the default one"), N_("FILE") },
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Show the version of the application"), NULL },
  { NULL }
};

typedef struct
{
  DdApplication *application;
  GtkWindow     *parent;
  char          *page;
  char          *online_url;
  gboolean       tried_html;
} HelpRequest;

static void
help_request_free (HelpRequest *request)
{
  g_application_release (G_APPLICATION (request->application));
  g_clear_object (&request->application);
  g_clear_object (&request->parent);
  g_free (request->page);
  g_free (request->online_url);
  g_free (request);
}

static GSettings *
load_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);

  if (schema == NULL)
    {
      g_message ("The settings schema %s is not installed: settings will not be kept",
                 APPLICATION_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static void
on_online_help_shown (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    g_warning ("Could not open the online help: %s", error->message);
}

static void
on_no_help_viewer_response (AdwMessageDialog *dialog,
                            const char       *response,
                            gpointer          user_data)
{
  const char *url = g_object_get_data (G_OBJECT (dialog), "dd-online-help-url");

  if (g_strcmp0 (response, "open") == 0)
    gtk_show_uri_full (gtk_window_get_transient_for (GTK_WINDOW (dialog)), url, GDK_CURRENT_TIME,
                       NULL, on_online_help_shown, NULL);
  else if (g_strcmp0 (response, "copy") == 0)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (dialog)), url);
}

/* No help viewer (or one that failed): say so in words, and give the same help online. */
static void
show_online_help_offer (HelpRequest  *request,
                        const GError *error)
{
  g_autoptr(GAppInfo) viewer = g_app_info_get_default_for_uri_scheme ("help");
  g_autofree char *body = NULL;
  g_autofree char *link = NULL;
  AdwMessageDialog *dialog;

  link = g_markup_printf_escaped ("<a href=\"%s\">%s</a>", request->online_url,
                                  request->online_url);
  if (viewer == NULL)
    /* Translators: %s is the web address of the help, as a link */
    body = g_strdup_printf (_("No help viewer is installed on this computer (for example "
                              "the “yelp” package). The same help can be read online at %s."),
                            link);
  else
    {
      g_autofree char *reason = g_markup_escape_text (error->message, -1);

      /* Translators: the first %s is the system's reason, the second the web address of the
       * help, as a link */
      body = g_strdup_printf (_("The help viewer could not be started (%1$s). The same help "
                                "can be read online at %2$s."),
                              reason, link);
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (request->parent,
                                                       viewer == NULL
                                                       ? _("No Help Viewer Installed")
                                                       : _("Could Not Open the Help"),
                                                       NULL));
  adw_message_dialog_set_body_use_markup (dialog, TRUE);
  adw_message_dialog_set_body (dialog, body);
  adw_message_dialog_add_responses (dialog,
                                    "close", _("_Close"),
                                    "copy", _("C_opy Address"),
                                    "open", _("_Open Online Help"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "open", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "open");
  adw_message_dialog_set_close_response (dialog, "close");
  g_object_set_data_full (G_OBJECT (dialog), "dd-online-help-url",
                          g_strdup (request->online_url), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_no_help_viewer_response), NULL);
  /* Without a parent the dialog keeps the application running until it is closed. */
  if (request->parent == NULL)
    gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (request->application));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The help as HTML installed with the app (help/build-html.sh), in the user's language if
 * it is translated: PKGDATADIR/help/LANG/PAGE.html, or under $DD_HELP_HTML_DIR (tests, a
 * build tree). NULL when it is not there. */
static char *
find_help_html (const char *page)
{
  const char *dir = g_getenv ("DD_HELP_HTML_DIR");
  const char * const *languages = g_get_language_names ();
  g_autofree char *file_name = g_strconcat (page != NULL && page[0] != '\0' ? page : "index",
                                            ".html", NULL);

  if (dir == NULL || dir[0] == '\0')
    dir = PKGDATADIR G_DIR_SEPARATOR_S "help";

  for (guint i = 0; languages[i] != NULL; i++)
    {
      g_autofree char *path = NULL;

      /* "C" is the English original; languages with a region ("pl_PL") come with their
       * short form later in the list */
      if (strchr (languages[i], '.') != NULL || strchr (languages[i], '@') != NULL)
        continue;
      path = g_build_filename (dir, languages[i], file_name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_filename_to_uri (path, NULL, NULL);
    }
  return NULL;
}

static void on_help_shown (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data);

/* No help viewer: the same pages as HTML in the web browser, else the online copy. */
static void
show_help_fallback (HelpRequest  *request,
                    const GError *error)
{
  g_autofree char *html = NULL;

  if (!request->tried_html)
    {
      request->tried_html = TRUE;
      html = find_help_html (request->page);
    }
  if (html == NULL)
    {
      show_online_help_offer (request, error);
      help_request_free (request);
      return;
    }
  g_debug ("Opening the help in the browser: %s", html);
  gtk_show_uri_full (request->parent, html, GDK_CURRENT_TIME, NULL, on_help_shown, request);
}

static void
on_help_shown (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  HelpRequest *request = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    {
      g_message ("Could not show the help: %s", error->message);
      show_help_fallback (request, error);
      return;
    }
  help_request_free (request);
}

/* The help page about what @window shows: its section, its assistant or its dialog's. */
static const char *
help_page_for_window (GtkWindow *window)
{
  for (; window != NULL; window = gtk_window_get_transient_for (window))
    {
      if (DD_IS_WINDOW (window))
        return dd_window_get_help_page (DD_WINDOW (window));
      if (DD_IS_CAMPAIGN_WIZARD (window))
        return dd_campaign_wizard_get_help_page (DD_CAMPAIGN_WIZARD (window));
      if (DD_IS_IMPORT_ASSISTANT (window))
        return "import";
      if (DD_IS_SIP_ACCOUNT_EDITOR (window))
        return "phone-lines";
      if (DD_IS_PREFERENCES_WINDOW (window))
        return "preferences";
      if (DD_IS_IVR_TEST_CALL (window))
        return "call-flows";
    }
  return NULL;
}

static void
show_help (DdApplication *self,
           GtkWindow     *parent,
           const char    *page)
{
  g_autofree char *uri = NULL;
  HelpRequest *request;

  request = g_new0 (HelpRequest, 1);
  request->page = g_strdup (page);
  if (page != NULL && page[0] != '\0')
    {
      uri = g_strdup_printf ("help:%s/%s", HELP_ID, page);
      request->online_url = g_strdup_printf (ONLINE_HELP_PAGE_URL, page);
    }
  else
    {
      uri = g_strdup ("help:" HELP_ID);
      request->online_url = g_strdup (ONLINE_HELP_URL);
    }

  request->application = g_object_ref (self);
  request->parent = parent;
  if (request->parent != NULL)
    g_object_ref (request->parent);

  /* Keep running until the help browser was started, even if the last window closes. */
  g_application_hold (G_APPLICATION (self));
  gtk_show_uri_full (request->parent, uri, GDK_CURRENT_TIME, NULL, on_help_shown, request);
}

static void
on_open_error_response (AdwMessageDialog *dialog,
                        const char       *response,
                        DdApplication    *self)
{
  if (g_strcmp0 (response, "help") == 0)
    show_help (self, gtk_application_get_active_window (GTK_APPLICATION (self)), "data");
}

static void
show_open_error (DdApplication *self,
                 const char    *path,
                 const GError  *error)
{
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  /* The messages of the database usually name the file already. */
  if (strstr (error->message, path) != NULL)
    body = g_strdup (error->message);
  else
    /* Translators: the first %s is the path of a file, the second the reason */
    body = g_strdup_printf (_("The office database “%s” could not be opened: %s"),
                            path, error->message);

  dialog = adw_message_dialog_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                   _("Could Not Open the Office Database"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "help", _("_Help"),
                                    "close", _("_Close"),
                                    NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_open_error_response), self, 0);
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The path given, else the one in the settings, else the default one. */
static char *
resolve_database_path (DdApplication *self,
                       const char    *path)
{
  g_autofree char *configured = NULL;

  if (path != NULL && path[0] != '\0')
    return g_strdup (path);

  if (self->settings != NULL)
    configured = g_settings_get_string (self->settings, "database-path");
  if (configured != NULL && configured[0] != '\0')
    return g_steal_pointer (&configured);

  return dd_paths_get_default_database ();
}

static DdWindow *
find_window (DdApplication *self,
             const char    *path)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      DdDatabase *database;

      if (!DD_IS_WINDOW (l->data))
        continue;

      database = dd_window_get_database (l->data);
      if (g_strcmp0 (dd_database_get_location (database), path) == 0)
        return l->data;
    }

  return NULL;
}

static void on_demo_created (DdApplication  *self,
                             const char     *path);
static void on_signed_in    (DdSignInWindow *sign_in,
                             gint64          agent_id,
                             DdApplication  *self);
static void present_office  (DdApplication  *self,
                             DdDatabase     *database,
                             gint64          agent_id);

/* The office window of @database, after the sign-in of a user where users have passwords. */
static void
open_office (DdApplication *self,
             DdDatabase    *database)
{
  g_autoptr(DdAgentStore) agents = dd_agent_store_new (database);

  if (dd_users_sign_in_needed (agents))
    {
      DdSignInWindow *sign_in = dd_sign_in_window_new (GTK_APPLICATION (self), database,
                                                       self->settings);

      g_signal_connect_object (sign_in, "signed-in", G_CALLBACK (on_signed_in), self, 0);
      gtk_window_present (GTK_WINDOW (sign_in));
      return;
    }
  present_office (self, database, 0);
}

typedef struct
{
  DdApplication *self;
  char          *path;
} Opening;

static void
on_shared_database_opened (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  Opening *opening = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DdDatabase) database = dd_pg_database_open_finish (result, &error);

  if (database == NULL)
    {
      g_autofree char *shown = dd_pg_database_redact_uri (opening->path);

      g_warning ("Could not open the office database %s: %s", shown, error->message);
      show_open_error (opening->self, shown, error);
    }
  else
    open_office (opening->self, database);
  g_application_release (G_APPLICATION (opening->self));
  g_object_unref (opening->self);
  g_free (opening->path);
  g_free (opening);
}

static void
on_shared_password (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Opening *opening = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = dd_secret_lookup_finish (result, &error);
  g_autoptr(GUri) uri = g_uri_parse (opening->path, G_URI_FLAGS_HAS_PASSWORD, NULL);
  g_autofree char *with_password = NULL;

  if (error != NULL)
    g_message ("No password for the shared database in the keyring: %s", error->message);
  if (password != NULL && uri != NULL && g_uri_get_password (uri) == NULL)
    {
      g_autoptr(GUri) full = g_uri_build_with_user (G_URI_FLAGS_HAS_PASSWORD,
                                                    g_uri_get_scheme (uri),
                                                    g_uri_get_user (uri), password, NULL,
                                                    g_uri_get_host (uri), g_uri_get_port (uri),
                                                    g_uri_get_path (uri), g_uri_get_query (uri),
                                                    NULL);

      with_password = g_uri_to_string (full);
    }
  if (password != NULL)
    dd_secret_free (g_steal_pointer (&password));
  dd_pg_database_open_async (with_password != NULL ? with_password : opening->path, NULL,
                             on_shared_database_opened, opening);
  if (with_password != NULL)
    memset (with_password, 0, strlen (with_password));
}

static void
open_database (DdApplication *self,
               const char    *requested_path)
{
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  DdWindow *window;

  path = resolve_database_path (self, requested_path);

  window = find_window (self, path);
  if (window != NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      return;
    }

  /* a shared database is reached over the network: the window comes when it answers, the
   * application meanwhile stays responsive */
  if (dd_pg_database_is_uri (path))
    {
      Opening *opening = g_new0 (Opening, 1);

      const char *attributes[] = { "uri", path, NULL };

      opening->self = g_object_ref (self);
      opening->path = g_steal_pointer (&path);
      attributes[1] = opening->path;
      g_application_hold (G_APPLICATION (self));
      /* the password of Preferences › Database is in the keyring */
      dd_secret_lookup (DD_SECRET_SHARED_DATABASE, attributes, NULL, on_shared_password,
                        opening);
      return;
    }

  database = dd_database_open (path, &error);
  if (database == NULL)
    {
      g_warning ("Could not open the office database %s: %s", path, error->message);
      show_open_error (self, path, error);
      return;
    }

  open_office (self, database);
}

/* The office's window, as user @agent_id (0: as the window chooses). */
static void
present_office (DdApplication *self,
                DdDatabase    *database,
                gint64         agent_id)
{
  DdWindow *window;

  window = dd_window_new (GTK_APPLICATION (self), database, self->settings);
  if (agent_id > 0)
    {
      g_autoptr(DdAgentStore) agents = dd_agent_store_new (database);
      g_autoptr(DdAgent) agent = dd_agent_store_get (agents, agent_id, NULL);

      if (agent != NULL)
        dd_context_set_agent (dd_window_get_context (window), agent->id, agent->name,
                              agent->role == DD_AGENT_ROLE_MANAGER);
    }
  gtk_window_present (GTK_WINDOW (window));

  /* a new office: the first start assistant, over its window */
  if (dd_onboarding_is_needed (dd_window_get_context (window)))
    {
      DdOnboarding *onboarding = dd_onboarding_new (GTK_WINDOW (window),
                                                    dd_window_get_context (window));

      g_signal_connect_object (onboarding, "demo-created", G_CALLBACK (on_demo_created), self,
                               G_CONNECT_SWAPPED);
      gtk_window_present (GTK_WINDOW (onboarding));
    }
}

static void
on_signed_in (DdSignInWindow *sign_in,
              gint64          agent_id,
              DdApplication  *self)
{
  present_office (self, dd_sign_in_window_get_database (sign_in), agent_id);
  gtk_window_destroy (GTK_WINDOW (sign_in));
}

/* The first start assistant made a demo office: it opens in a window of its own. */
static void
on_demo_created (DdApplication *self,
                 const char    *path)
{
  open_database (self, path);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  DdApplication *self = user_data;
  g_autoptr(GList) windows = NULL;

  /* Quit quits, even while a campaign sends (closing a window is what asks whether to keep
   * sending): each office window saves its state and stops sending, leaving the messages on
   * their way to be reconciled at the next start. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  g_list_foreach (windows, (GFunc) (void (*) (void)) g_object_ref, NULL);
  for (GList *l = windows; l; l = l->next)
    {
      if (DD_IS_WINDOW (l->data))
        dd_window_quit (l->data);
      else
        gtk_window_destroy (l->data);
    }
  g_list_free_full (g_steal_pointer (&windows), g_object_unref);
  /* nothing keeps the application: not a hidden window, not a help browser being started */
  g_application_quit (G_APPLICATION (self));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  DdApplication *self = user_data;
  const char *developers[] = {
    "Dunning Desk developers https://github.com/dunningdesk/dunning-desk",
    NULL
  };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for",
                        gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", PACKAGE_NAME,
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "comments", _("Get overdue invoices paid with text messages and phone calls."),
                        "developer-name", _("Dunning Desk developers"),
                        "developers", developers,
                        /* Translators: put your names here, one per line, for example
                         * "Jan Kowalski <jan@example.com>" */
                        "translator-credits", _("translator-credits"),
                        "copyright", _("© 2026 Dunning Desk developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", "https://github.com/dunningdesk/dunning-desk",
                        "issue-url", "https://github.com/dunningdesk/dunning-desk/issues",
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
help_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  DdApplication *self = DD_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* F1 and Help in the main menu: the page about what is on the screen */
  show_help (self, window, help_page_for_window (window));
}

static void
help_page_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  DdApplication *self = DD_APPLICATION (user_data);

  show_help (self, gtk_application_get_active_window (GTK_APPLICATION (self)),
             g_variant_get_string (parameter, NULL));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
  { "help", help_activated },
  { "help-page", help_page_activated, "s" },
};

static int
dd_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  return G_APPLICATION_CLASS (dd_application_parent_class)->handle_local_options (application,
                                                                                  options);
}

static int
dd_application_command_line (GApplication            *application,
                             GApplicationCommandLine *command_line)
{
  DdApplication *self = DD_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree char *path = NULL;
  const char *argument = NULL;

  if (g_variant_dict_lookup (options, "database", "^&ay", &argument) &&
      dd_pg_database_is_uri (argument))
    path = g_strdup (argument);
  else if (argument != NULL && argument[0] != '\0')
    {
      /* relative to the directory of the command that was run, not of this instance */
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line,
                                                                              argument);

      path = g_file_get_path (file);
    }

  open_database (self, path);

  return 0;
}

static void
dd_application_activate (GApplication *application)
{
  DdApplication *self = DD_APPLICATION (application);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window != NULL)
    gtk_window_present (window);
  else
    open_database (self, NULL);
}

static void
dd_application_startup (GApplication *application)
{
  DdApplication *self = DD_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *help_accels[] = { "F1", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *import_accels[] = { "<Control>i", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *switch_user_accels[] = { "<Control><Shift>u", NULL };

  G_APPLICATION_CLASS (dd_application_parent_class)->startup (application);

  /* once a process (the tests run the application more than once) */
  if (g_strcmp0 (g_get_application_name (), PACKAGE_NAME) != 0)
    g_set_application_name (PACKAGE_NAME);
  gtk_window_set_default_icon_name (APPLICATION_ID);

  self->settings = load_settings ();
  /* a new office speaks the desktop's language: country, currency and language from it */
  if (self->settings != NULL)
    dd_region_settings_init (self->settings, setlocale (LC_MESSAGES, NULL));

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  /* the window binds these too; set here, the menus show them */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.import", import_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.switch-user",
                                         switch_user_accels);
}

static void
dd_application_dispose (GObject *object)
{
  DdApplication *self = DD_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dd_application_parent_class)->dispose (object);
}

static void
dd_application_class_init (DdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = dd_application_dispose;

  application_class->handle_local_options = dd_application_handle_local_options;
  application_class->command_line = dd_application_command_line;
  application_class->activate = dd_application_activate;
  application_class->startup = dd_application_startup;
}

static void
dd_application_init (DdApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
}

DdApplication *
dd_application_new (void)
{
  return g_object_new (DD_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/dunningdesk/DunningDesk",
                       NULL);
}

static void
help_action_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GApplication *application = g_application_get_default ();

  if (DD_IS_APPLICATION (application))
    show_help (DD_APPLICATION (application), GTK_WINDOW (widget),
               help_page_for_window (GTK_WINDOW (widget)));
}

void
dd_application_install_help_action (GtkWidgetClass *widget_class)
{
  g_return_if_fail (g_type_is_a (G_TYPE_FROM_CLASS (widget_class), GTK_TYPE_WINDOW));

  gtk_widget_class_install_action (widget_class, "dd-help.show", NULL, help_action_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F1, 0, "dd-help.show", NULL);
}
