/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-window"

#include "config.h"

#include "dd-window.h"
#include "dd-window-private.h"

#include "dd-agent-store.h"
#include "dd-background.h"
#include "dd-mail-scheduler.h"
#include "dd-campaign-store.h"
#include "dd-gateway-test.h"
#include "dd-sending.h"
#include "dd-campaigns-view.h"
#include "dd-payments-view.h"
#include "dd-ivr-flows-view.h"
#include "dd-ladder-view.h"
#include "dd-reports-view.h"
#include "dd-console-view.h"
#include "dd-case-store.h"
#include "dd-cases-view.h"
#include "dd-context.h"
#include "dd-fold-bin.h"
#include "dd-saved-filter-store.h"

#include <glib/gi18n.h>
#include <string.h>


G_DEFINE_FINAL_TYPE (DdWindow, dd_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_DATABASE,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The sections of the sidebar: the name of the page in "sections" and its title. */
typedef struct
{
  const char *name;
  const char *title;
  gsize       row_offset;
  const char *help_page;   /* of help/C; NULL: the help's start page */
} Section;

static const Section section_table[] = {
  { "cases", N_("Cases"), G_STRUCT_OFFSET (DdWindow, cases_row), "cases" },
  { "campaigns", N_("Campaigns"), G_STRUCT_OFFSET (DdWindow, campaigns_row), "campaigns" },
  { "payments", N_("Payments"), G_STRUCT_OFFSET (DdWindow, payments_row), "payments" },
  { "ladder", N_("Ladder"), G_STRUCT_OFFSET (DdWindow, ladder_row), "ladder" },
  { "call-flows", N_("Call Flows"), G_STRUCT_OFFSET (DdWindow, call_flows_row), "call-flows" },
  { "agent-console", N_("Agent Console"), G_STRUCT_OFFSET (DdWindow, agent_console_row), NULL },
  { "reports", N_("Reports"), G_STRUCT_OFFSET (DdWindow, reports_row), "reports" },
};

#define SECTION_ROW(self, section) \
  (*(GtkListBoxRow **) G_STRUCT_MEMBER_P ((self), (section)->row_offset))

static const Section *
find_section (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (section_table); i++)
    if (g_strcmp0 (section_table[i].name, name) == 0)
      return &section_table[i];
  return NULL;
}

static char *
format_count (gint64 n)
{
  /* %' groups the digits as the locale does: "1,234", "1 234", "1.234" */
  return g_strdup_printf ("%'" G_GINT64_FORMAT, n);
}

static char *
get_office_name (DdWindow *self)
{
  if (self->settings == NULL)
    return NULL;
  return g_settings_get_string (self->settings, "office-name");
}

/* Live, from the cases view: the cases its list shows (@shown) or the office's open ones. */
static gint64
cases_count (DdWindow *self,
             gboolean  shown)
{
  if (shown)
    return self->view_shown >= 0 ? self->view_shown : self->total;
  return self->view_open >= 0 ? self->view_open : self->open;
}

/* The content header: the counts of the cases on the Cases page, the section's name on the
 * others; the office name, when set, takes the second line. */
static void
update_title (DdWindow *self)
{
  g_autofree char *office_name = get_office_name (self);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  const Section *section;

  section = find_section (gtk_stack_get_visible_child_name (self->sections));
  if (section == NULL)
    section = &section_table[0];

  if (g_str_equal (section->name, "cases") && self->counted && self->total > 0)
    {
      gint64 shown = cases_count (self, TRUE);
      gint64 open = cases_count (self, FALSE);
      g_autofree char *total_text = format_count (shown);
      g_autofree char *open_text = format_count (open);
      g_autofree char *file_name = NULL;
      const char *location = dd_database_get_location (self->database);

      /* a shared database: its name, without the connection's options ("?host=…") */
      {
        g_autofree char *path = g_strndup (location != NULL ? location : "",
                                           strcspn (location != NULL ? location : "", "?"));

        file_name = g_path_get_basename (path);
      }
      /* Translators: the title of the main window's overview; %s is the number of debtor
       * cases in the office database, already formatted ("1,234"). */
      title = g_strdup_printf (ngettext ("%s case", "%s cases",
                                         (gulong) MIN (shown, G_MAXLONG)),
                               total_text);
      if (office_name == NULL || *office_name == '\0')
        /* Translators: below the number of cases; the first %s is the number of cases that
         * are not closed ("980"), the second the name of the database file ("office.db"). */
        /* plain text: the subtitle is not markup ("&" would show as "&amp;") */
        subtitle = g_strdup_printf (ngettext ("%s open, in %s", "%s open, in %s",
                                              (gulong) MIN (open, G_MAXLONG)),
                                    open_text, file_name);
    }
  else
    title = g_strdup (_(section->title));

  if (subtitle == NULL)
    subtitle = g_steal_pointer (&office_name);

  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
on_cases_view_counts_changed (DdWindow    *self,
                              DdCasesView *view)
{
  dd_cases_view_get_counts (view, &self->view_shown, &self->view_open);
  update_title (self);
}

static void
show_counts (DdWindow *self,
             gint64    total,
             gint64    open)
{
  self->counted = TRUE;
  self->total = total;
  self->open = open;
  gtk_stack_set_visible_child_name (self->stack, total == 0 ? "empty" : "cases");
  update_title (self);
}

static void
show_error (DdWindow     *self,
            const GError *error)
{
  g_autofree char *description = NULL;

  self->counted = FALSE;
  description = g_markup_escape_text (error->message, -1);
  adw_status_page_set_description (self->error_page, description);
  gtk_stack_set_visible_child_name (self->stack, "error");
  update_title (self);
}

static void
on_settings_office_name_changed (DdWindow   *self,
                                 const char *key,
                                 GSettings  *settings)
{
  update_title (self);
}

void
_dd_window_show_toast (DdWindow   *self,
            const char *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         DdWindow      *self)
{
  GFile *file = NULL;

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);

      if (files != NULL)
        file = files->data;
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    file = g_value_get_object (value);

  if (file == NULL)
    return FALSE;

  if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY)
    {
      _dd_window_show_toast (self, _("Drop a CSV file, not a folder"));
      return FALSE;
    }

  _dd_window_open_import (self, file);
  return TRUE;
}

static void
on_sidebar_header (GtkListBoxRow *row,
                   GtkListBoxRow *before,
                   gpointer       user_data)
{
  gboolean is_filter = g_object_get_data (G_OBJECT (row), "dd-filter-id") != NULL;
  gboolean after_filter = before != NULL
                          && g_object_get_data (G_OBJECT (before), "dd-filter-id") != NULL;
  GtkWidget *header = gtk_list_box_row_get_header (row);

  if (is_filter && !after_filter)
    {
      if (header == NULL)
        {
          header = gtk_label_new (_("Saved Filters"));
          gtk_label_set_xalign (GTK_LABEL (header), 0.0);
          gtk_widget_set_margin_start (header, 18);
          gtk_widget_set_margin_top (header, 6);
          gtk_widget_set_margin_bottom (header, 3);
          gtk_widget_add_css_class (header, "caption-heading");
          gtk_widget_add_css_class (header, "dim-label");
          gtk_list_box_row_set_header (row, header);
        }
    }
  else if (!is_filter && after_filter)
    {
      /* a little air between the filters and the next section */
      if (header == NULL)
        {
          header = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
          gtk_widget_add_css_class (header, "spacer");
          gtk_widget_set_margin_top (header, 6);
          gtk_list_box_row_set_header (row, header);
        }
    }
  else if (header != NULL)
    gtk_list_box_row_set_header (row, NULL);
}

static void
apply_saved_filter (DdWindow *self,
                    gint64    filter_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSavedFilter) filter = NULL;

  filter = dd_saved_filter_store_get (self->filter_store, filter_id, &error);
  if (filter == NULL)
    {
      _dd_window_show_toast (self, error->message);
      dd_window_reload_saved_filters (self);
      return;
    }
  if (DD_IS_CASES_VIEW (self->cases_view))
    dd_cases_view_set_query (DD_CASES_VIEW (self->cases_view), filter->query);
}

static void
show_row (DdWindow      *self,
          GtkListBoxRow *row)
{
  gpointer filter_id = g_object_get_data (G_OBJECT (row), "dd-filter-id");

  if (filter_id != NULL)
    {
      gtk_stack_set_visible_child_name (self->sections, "cases");
      apply_saved_filter (self, (gint64) GPOINTER_TO_SIZE (filter_id));
    }
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (section_table); i++)
        if (SECTION_ROW (self, &section_table[i]) == row)
          gtk_stack_set_visible_child_name (self->sections, section_table[i].name);
    }
  update_title (self);
}

static void
on_sidebar_row_selected (DdWindow      *self,
                         GtkListBoxRow *row,
                         GtkListBox    *list)
{
  if (row != NULL)
    show_row (self, row);
}

static void
on_sidebar_row_activated (DdWindow      *self,
                          GtkListBoxRow *row,
                          GtkListBox    *list)
{
  /* a click selects the row first, which showed it already */
  if (gtk_list_box_get_selection_mode (list) == GTK_SELECTION_NONE)
    show_row (self, row);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* The reports' "Import Payments…": the Payments section, where statements are imported. */
static void
on_payments_import_requested (DdWindow *self)
{
  if (gtk_list_box_get_selection_mode (self->sidebar_list) != GTK_SELECTION_NONE)
    gtk_list_box_select_row (self->sidebar_list, self->payments_row);
  show_row (self, self->payments_row);
}

static void
on_leaflet_folded_changed (DdWindow   *self,
                           GParamSpec *pspec,
                           AdwLeaflet *leaflet)
{
  /* Folded, the sidebar is a list to pick from, not a selection to keep. */
  if (adw_leaflet_get_folded (leaflet))
    gtk_list_box_set_selection_mode (self->sidebar_list, GTK_SELECTION_NONE);
  else
    {
      const Section *section = find_section (gtk_stack_get_visible_child_name (self->sections));

      gtk_list_box_set_selection_mode (self->sidebar_list, GTK_SELECTION_BROWSE);
      if (section != NULL)
        gtk_list_box_select_row (self->sidebar_list, SECTION_ROW (self, section));
    }
}

static void
on_cases_view_filter_saved (DdWindow    *self,
                            gint64       filter_id,
                            DdCasesView *view)
{
  dd_window_reload_saved_filters (self);
}

/* The banner is bound to the connection; its coming back is said once. */
static void
on_database_connected_changed (DdWindow *self)
{
  if (dd_context_get_database_connected (self->context))
    _dd_window_show_toast (self, _("Connected to the office database again"));
}

static void
on_context_agent_changed (DdWindow   *self,
                          GParamSpec *pspec,
                          DdContext  *context)
{
  _dd_window_update_user (self);
}

static void
on_cases_changed (DdWindow  *self,
                  DdContext *context)
{
  dd_window_reload (self);
}

static void
load_window_state (DdWindow *self)
{
  int width;
  int height;

  if (self->settings == NULL)
    return;

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (DdWindow *self)
{
  int width;
  int height;
  gboolean maximized;

  if (self->settings == NULL)
    return;

  maximized = gtk_window_is_maximized (GTK_WINDOW (self));
  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  /* The default size is the unmaximized size. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

/* Sending */

static void
refresh_campaigns (DdWindow *self)
{
  GtkWidget *page = _dd_window_get_campaigns_view (self);

  if (page != NULL && DD_IS_CAMPAIGNS_VIEW (page))
    dd_campaigns_view_reload (DD_CAMPAIGNS_VIEW (page));
}

static void
on_sending_campaign_paused (GObject    *sending_or_voice,
                            gint64      campaign_id,
                            const char *reason,
                            const char *detail,
                            DdWindow   *self)
{
  const char *label = dd_campaign_reason_to_label (reason);
  g_autofree char *text = NULL;
  AdwToast *toast;

  /* the campaigns page shows why in a banner, with the way to fix it */
  refresh_campaigns (self);
  if (label == NULL)
    return;
  /* Translators: %s says why, e.g. "The SMS provider account has no credit left" */
  text = g_strdup_printf (_("A campaign is paused: %s"), label);
  toast = adw_toast_new (text);
  adw_toast_set_button_label (toast, _("_Preferences"));
  adw_toast_set_action_name (toast, "win.preferences");
  dd_window_add_toast (self, toast);
}

static void
on_sending_campaign_started (DdSending *sending,
                             gint64     campaign_id,
                             gboolean   late,
                             DdWindow  *self)
{
  g_autoptr(DdCampaignStore) store = dd_campaign_store_new (self->database);
  g_autoptr(DdCampaign) campaign = dd_campaign_store_get (store, campaign_id, NULL);
  g_autofree char *text = NULL;

  refresh_campaigns (self);
  if (campaign == NULL)
    return;
  text = late
         /* Translators: %s is a campaign name */
         ? g_strdup_printf (_("“%s” was due while Dunning Desk was closed: it starts now"),
                            campaign->name)
         /* Translators: %s is a campaign name */
         : g_strdup_printf (_("“%s” starts now"), campaign->name);
  dd_window_add_toast (self, adw_toast_new (text));
}

static void
withdraw_sending_notice (DdWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (app != NULL)
    g_application_withdraw_notification (G_APPLICATION (app), "sending");
}

static gboolean
destroy_when_idle (gpointer user_data)
{
  gtk_window_destroy (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

static void
on_sending_idle (DdSending *sending,
                 DdWindow  *self)
{
  refresh_campaigns (self);
  /* opened again from the notification or the launcher: a window like any other */
  if (self->sending_hidden && gtk_widget_get_visible (GTK_WIDGET (self)))
    {
      withdraw_sending_notice (self);
      self->sending_hidden = FALSE;
    }
  /* closed during a campaign: gone once there is nothing left to send */
  if (self->sending_hidden && !dd_sending_has_campaigns (self->sending))
    {
      withdraw_sending_notice (self);
      self->sending_hidden = FALSE;
      /* not from inside the dispatcher's own signal */
      g_idle_add_full (G_PRIORITY_DEFAULT, destroy_when_idle, g_object_ref (self), g_object_unref);
    }
}

static void
on_campaigns_changed (DdWindow *self)
{
  DdVoiceCampaign *voice = self->telephony_started
                           ? dd_context_get_voice_campaign (self->context, NULL) : NULL;

  dd_sending_wake (self->sending);
  if (voice != NULL)
    dd_voice_campaign_wake (voice);
}

static void
stop_sending (DdWindow *self)
{
  if (self->sending != NULL)
    dd_sending_stop (self->sending);
}

/* A problem the preferences fix: a toast that stays, with the button that opens them. */
static void
show_problem_with_preferences (DdWindow   *self,
                               const char *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_button_label (toast, _("_Preferences"));
  adw_toast_set_action_name (toast, "win.preferences");
  adw_toast_set_timeout (toast, 0);
  dd_window_add_toast (self, toast);
}

/* Sending cannot start: say so, with the way to fix it. */
static void
on_sending_failed (DdSending  *sending,
                   const char *why,
                   DdWindow   *self)
{
  /* Translators: %s says why, e.g. "The SMSAPI token or password is missing: …" */
  g_autofree char *text = g_strdup_printf (_("Campaigns cannot be sent: %s"), why);

  show_problem_with_preferences (self, text);
}

static void
on_contact_policy_changed (DdWindow *self)
{
  g_autoptr(DdContactPolicy) policy = dd_context_get_contact_policy (self->context);

  dd_sending_set_contact_policy (self->sending, policy);
}

/* Connects to the office's SMS provider: its settings, its token from the keyring (without
 * settings, the built-in Test gateway). */
static void
start_sending (DdWindow *self)
{
  g_autoptr(DdContactPolicy) policy = dd_context_get_contact_policy (self->context);

  if (self->settings != NULL)
    dd_sending_start_for_office (self->sending, self->settings, policy);
  else
    {
      g_autoptr(DdSmsGateway) gateway = DD_SMS_GATEWAY (dd_gateway_test_new ());

      dd_sending_start (self->sending, gateway, policy);
    }
}

/* A line that refuses its password needs the user: say so once, with the way to fix it. */
static void
on_sip_account_changed (DdSipEngine *engine,
                        const char  *name,
                        DdWindow    *self)
{
  guint status = 0;
  g_autofree char *text = NULL;

  if (dd_sip_engine_get_account_state (engine, name, &status, NULL) != DD_SIP_ACCOUNT_FAILED ||
      (status != 401 && status != 403 && status != 407))
    return;
  /* Translators: %s is the name of a SIP account (a telephone line) */
  text = g_strdup_printf (_("The telephone line “%s” refused its password"), name);
  show_problem_with_preferences (self, text);
}

/* With SIP accounts set up, the engine starts with the window and keeps the lines signed in. */
static void
start_telephony (DdWindow *self)
{
  DdTelephonyService *telephony = dd_context_get_telephony (self->context);
  g_autoptr(GError) error = NULL;
  DdSipEngine *engine;

  if (self->telephony_started || !dd_telephony_service_has_accounts (telephony))
    return;
  engine = dd_telephony_service_get_engine (telephony, &error);
  if (engine == NULL)
    {
      /* Translators: %s is the system's reason (an address in use…) */
      g_autofree char *text = g_strdup_printf (_("Calls cannot be made: %s"), error->message);
      AdwToast *toast = adw_toast_new (text);

      g_warning ("%s", text);
      adw_toast_set_timeout (toast, 0);
      dd_window_add_toast (self, toast);
      return;
    }
  self->telephony_started = TRUE;
  g_signal_connect_object (engine, "account-changed", G_CALLBACK (on_sip_account_changed), self,
                           0);
  /* voice campaigns call through the office's lines from now on */
  {
    DdVoiceCampaign *voice = dd_context_get_voice_campaign (self->context, NULL);
    g_autoptr(GError) voice_error = NULL;

    if (voice != NULL)
      {
        _dd_window_take_transfers (self, voice);
        /* a line that refuses its login pauses the campaign: said like an SMS account's */
        g_signal_connect_object (voice, "campaign-paused",
                                 G_CALLBACK (on_sending_campaign_paused), self, 0);
      }
    if (voice != NULL && !dd_voice_campaign_start (voice, &voice_error))
      g_message ("Voice campaigns cannot start: %s", voice_error->message);
  }
  /* and the office's inbound line takes calls */
  _dd_window_take_inbound (self);
}

/* Says where the sending goes on and how to come back: a notification, kept for the tests. */
static void
send_sending_notice (DdWindow   *self,
                     const char *body)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  g_free (self->last_notice);
  self->last_notice = g_strdup (body);
  if (app != NULL)
    {
      g_autoptr(GNotification) notification =
        g_notification_new (_("Dunning Desk Keeps Sending in the Background"));

      g_notification_set_body (notification, body);
      /* a click on the notification opens the window again (the application is activated) */
      g_notification_add_button (notification, _("Stop Sending and Quit"), "app.quit");
      g_application_send_notification (G_APPLICATION (app), "sending", notification);
    }
}

static void
on_background_answered (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(DdWindow) self = user_data;
  DdBackgroundAnswer answer = dd_background_request_finish (result);

  if (self->background_cancellable == NULL
      || g_cancellable_is_cancelled (self->background_cancellable))
    return;
  g_clear_object (&self->background_cancellable);
  if (!self->sending_hidden)
    return;   /* opened again meanwhile */

  switch (answer)
    {
    case DD_BACKGROUND_ALLOWED:
      send_sending_notice (self, _("The campaign goes on sending from this computer, with no "
                                   "window open. Keep the computer on and stay logged in. To "
                                   "follow it, click here or open Dunning Desk again; it quits "
                                   "by itself once the last message is sent."));
      break;

    case DD_BACKGROUND_NO_PORTAL:
      send_sending_notice (self, _("The campaign goes on sending from this computer, with no "
                                   "window open. This desktop has no background service to ask, "
                                   "so Dunning Desk simply keeps running as long as you stay "
                                   "logged in. To follow it, click here or open Dunning Desk "
                                   "again; it quits by itself once the last message is sent."));
      break;

    case DD_BACKGROUND_REFUSED:
    default:
      /* not allowed to run unseen: back in sight, still sending */
      self->sending_hidden = FALSE;
      gtk_window_present (GTK_WINDOW (self));
      {
        AdwToast *toast = adw_toast_new (_("The desktop does not allow Dunning Desk to run in "
                                           "the background: the window stays open while the "
                                           "campaign sends"));

        adw_toast_set_timeout (toast, 0);
        dd_window_add_toast (self, toast);
      }
      break;
    }
}

static void
keep_sending_in_background (DdWindow *self)
{
  save_window_state (self);
  self->sending_hidden = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);

  g_cancellable_cancel (self->background_cancellable);
  g_clear_object (&self->background_cancellable);
  self->background_cancellable = g_cancellable_new ();
  dd_background_request_async (_("Dunning Desk sends the messages of a campaign that is "
                                 "still running"),
                               self->background_cancellable, on_background_answered,
                               g_object_ref (self));
}

static gboolean
stop_and_quit_when_idle (gpointer user_data)
{
  DdWindow *self = user_data;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (app != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  else
    dd_window_quit (self);
  return G_SOURCE_REMOVE;
}

static void
on_close_dialog_response (AdwMessageDialog *dialog,
                          const char       *response,
                          DdWindow         *self)
{
  self->close_dialog = NULL;
  if (g_strcmp0 (response, "background") == 0)
    keep_sending_in_background (self);
  else if (g_strcmp0 (response, "quit") == 0)
    /* once the dialog, transient for the window, has closed */
    g_idle_add_full (G_PRIORITY_DEFAULT, stop_and_quit_when_idle, g_object_ref (self),
                     g_object_unref);
}

static gboolean
dd_window_close_request (GtkWindow *window)
{
  DdWindow *self = DD_WINDOW (window);
  AdwMessageDialog *dialog;

  /* Closing the window while a campaign sends asks whether to keep sending without it. */
  if (dd_sending_is_running (self->sending) && dd_sending_has_campaigns (self->sending))
    {
      if (self->close_dialog != NULL)
        {
          gtk_window_present (GTK_WINDOW (self->close_dialog));
          return TRUE;
        }
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window,
                                                           _("Keep Sending in the Background?"),
                                                           NULL));
      adw_message_dialog_set_body (dialog,
                                   _("A campaign is still sending its messages. Dunning Desk can "
                                     "go on sending from this computer with no window open, and "
                                     "quit by itself once the last message is sent. If you stop, "
                                     "the messages not yet sent wait until Dunning Desk is opened "
                                     "again."));
      adw_message_dialog_add_responses (dialog,
                                        "cancel", _("_Cancel"),
                                        "quit", _("_Stop and Quit"),
                                        "background", _("_Keep Sending in the Background"),
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "background",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "background");
      adw_message_dialog_set_close_response (dialog, "cancel");
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_close_dialog_response), self,
                               0);
      self->close_dialog = dialog;
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }

  save_window_state (self);
  return GTK_WINDOW_CLASS (dd_window_parent_class)->close_request (window);
}

static void
dd_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  DdWindow *self = DD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_value_set_object (value, self->database);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  DdWindow *self = DD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_assert (self->database == NULL);
      self->database = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      g_assert (self->settings == NULL);
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_window_constructed (GObject *object)
{
  DdWindow *self = DD_WINDOW (object);
  GtkDropTarget *drop;
  GType drop_types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  G_OBJECT_CLASS (dd_window_parent_class)->constructed (object);

  g_return_if_fail (DD_IS_DATABASE (self->database));

  self->case_store = dd_case_store_new (self->database);
  self->agent_store = dd_agent_store_new (self->database);
  self->filter_store = dd_saved_filter_store_new (self->database);
  self->context = dd_context_new (self->database, self->settings);
  self->sending = dd_context_get_sending (self->context);
  self->mail_scheduler = G_OBJECT (dd_mail_scheduler_new (self->context));
  g_signal_connect_object (self->sending, "campaign-paused",
                           G_CALLBACK (on_sending_campaign_paused), self, 0);
  g_signal_connect_object (self->sending, "campaign-started",
                           G_CALLBACK (on_sending_campaign_started), self, 0);
  g_signal_connect_object (self->sending, "idle", G_CALLBACK (on_sending_idle), self, 0);
  g_signal_connect_object (self->sending, "failed", G_CALLBACK (on_sending_failed), self, 0);
  g_signal_connect_object (self->context, "notify::agent-name",
                           G_CALLBACK (on_context_agent_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::is-manager",
                           G_CALLBACK (on_context_agent_changed), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->context, "database-connected",
                          gtk_widget_get_template_child (GTK_WIDGET (self), DD_TYPE_WINDOW,
                                                         "database_banner"),
                          "reveal-child", G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_signal_connect_object (self->context, "notify::database-connected",
                           G_CALLBACK (on_database_connected_changed), self, G_CONNECT_SWAPPED);
  _dd_window_choose_agent (self);
  _dd_window_update_user (self);
  g_signal_connect_object (self->context, "cases-changed", G_CALLBACK (on_cases_changed), self,
                           G_CONNECT_SWAPPED);

  dd_window_set_cases_view (self, dd_cases_view_new (self->context));
  adw_bin_set_child (ADW_BIN (gtk_widget_get_template_child (GTK_WIDGET (self), DD_TYPE_WINDOW,
                                                             "campaigns_page")),
                     dd_campaigns_view_new (self->context));
  g_signal_connect_object (_dd_window_get_campaigns_view (self), "new-campaign-requested",
                           G_CALLBACK (_dd_window_on_new_campaign_requested), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "campaigns-changed", G_CALLBACK (on_campaigns_changed),
                           self, G_CONNECT_SWAPPED);
  adw_bin_set_child (ADW_BIN (gtk_widget_get_template_child (GTK_WIDGET (self), DD_TYPE_WINDOW,
                                                             "payments_page")),
                     dd_payments_view_new (self->context));
  g_signal_connect_object (self->context, "sms-account-changed", G_CALLBACK (start_sending),
                           self, G_CONNECT_SWAPPED);
  /* the escalation ladder: its page, and its daily run */
  adw_bin_set_child (ADW_BIN (gtk_widget_get_template_child (GTK_WIDGET (self), DD_TYPE_WINDOW,
                                                             "ladder_page")),
                     dd_ladder_view_new (self->context));
  /* the reports: their page; "Import Payments…" of its empty effect report opens Payments */
  {
    GtkWidget *reports = dd_reports_view_new (self->context);

    adw_bin_set_child (ADW_BIN (gtk_widget_get_template_child (GTK_WIDGET (self), DD_TYPE_WINDOW,
                                                               "reports_page")), reports);
    g_signal_connect_object (reports, "payments-import-requested",
                             G_CALLBACK (on_payments_import_requested), self, G_CONNECT_SWAPPED);
  }
  /* the Agent Console */
  adw_bin_set_child (ADW_BIN (gtk_widget_get_template_child (GTK_WIDGET (self), DD_TYPE_WINDOW,
                                                             "agent_console_page")),
                     dd_console_view_new (self->context));
  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::contact-policy",
                               G_CALLBACK (on_contact_policy_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::default-country",
                               G_CALLBACK (on_contact_policy_changed), self, G_CONNECT_SWAPPED);
    }
  start_sending (self);
  start_telephony (self);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::sip-accounts",
                             G_CALLBACK (start_telephony), self, G_CONNECT_SWAPPED);
  {
    /* the editor's panels are wide: scroll them in a narrow window rather than fold the
     * sidebar away for every section */
    GtkWidget *scroller = gtk_scrolled_window_new ();

    gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC,
                                    GTK_POLICY_NEVER);
    gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller),
                                   dd_ivr_flows_view_new (self->context));
    adw_bin_set_child (ADW_BIN (gtk_widget_get_template_child (GTK_WIDGET (self), DD_TYPE_WINDOW,
                                                               "call_flows_page")),
                       scroller);
  }

  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, drop_types, G_N_ELEMENTS (drop_types));
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::office-name",
                             G_CALLBACK (on_settings_office_name_changed), self,
                             G_CONNECT_SWAPPED);
  load_window_state (self);

  gtk_list_box_set_header_func (self->sidebar_list, on_sidebar_header, NULL, NULL);
  dd_window_reload_saved_filters (self);
  gtk_list_box_select_row (self->sidebar_list, self->cases_row);
  /* folded, the window opens on the cases, not on the list of sections */
  adw_leaflet_set_visible_child_name (self->leaflet, "content");

  dd_window_reload (self);
}

static void
dd_window_dispose (GObject *object)
{
  DdWindow *self = DD_WINDOW (object);

  stop_sending (self);
  g_clear_object (&self->mail_scheduler);
  g_cancellable_cancel (self->background_cancellable);
  g_clear_object (&self->background_cancellable);
  if (self->sending_hidden)
    withdraw_sending_notice (self);
  if (self->close_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->close_dialog)));
  _dd_window_drop_transfers (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), DD_TYPE_WINDOW);

  g_clear_pointer (&self->filter_rows, g_ptr_array_unref);
  g_clear_object (&self->case_store);
  g_clear_object (&self->agent_store);
  g_clear_object (&self->filter_store);
  self->sending = NULL;
  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  g_clear_object (&self->database);
  g_clear_pointer (&self->last_toast, g_free);
  g_clear_pointer (&self->last_notice, g_free);

  G_OBJECT_CLASS (dd_window_parent_class)->dispose (object);
}

static void
dd_window_class_init (DdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->get_property = dd_window_get_property;
  object_class->set_property = dd_window_set_property;
  object_class->constructed = dd_window_constructed;
  object_class->dispose = dd_window_dispose;

  window_class->close_request = dd_window_close_request;

  /**
   * DdWindow:database:
   *
   * The office database whose cases the window shows.
   */
  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL,
                         DD_TYPE_DATABASE,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * DdWindow:settings:
   *
   * The application settings (office name, window size), or %NULL.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DD_TYPE_FOLD_BIN);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/dunningdesk/DunningDesk/dd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DdWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, cases_row);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, campaigns_row);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, payments_row);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, call_flows_row);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, ladder_row);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, agent_console_row);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, reports_row);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, user_button);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, user_avatar);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, user_popover_avatar);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, user_name_label);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, user_role_label);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, sections);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, cases_bin);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DdWindow, error_page);
  /* no field, but reachable with gtk_widget_get_template_child() */
  gtk_widget_class_bind_template_child_full (widget_class, "campaigns_page", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "payments_page", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "call_flows_page", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "ladder_page", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "agent_console_page", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "reports_page", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "back_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "content_bin", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "database_banner", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_folded_changed);

  _dd_window_class_install_actions (widget_class);

  /* also set as application accelerators, so that the menu shows them */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "win.import", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK,
                                       "win.preferences", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.switch-user", NULL);
}

static void
dd_window_init (DdWindow *self)
{
  self->view_shown = self->view_open = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
}

DdWindow *
dd_window_new (GtkApplication *application,
               DdDatabase     *database,
               GSettings      *settings)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (DD_TYPE_WINDOW,
                       "application", application,
                       "database", database,
                       "settings", settings,
                       NULL);
}

DdContext *
dd_window_get_context (DdWindow *self)
{
  g_return_val_if_fail (DD_IS_WINDOW (self), NULL);

  return self->context;
}

DdDatabase *
dd_window_get_database (DdWindow *self)
{
  g_return_val_if_fail (DD_IS_WINDOW (self), NULL);

  return self->database;
}

GSettings *
dd_window_get_settings (DdWindow *self)
{
  g_return_val_if_fail (DD_IS_WINDOW (self), NULL);

  return self->settings;
}

void
dd_window_reload (DdWindow *self)
{
  g_autoptr(GError) error = NULL;
  gint64 total = 0;
  gint64 open = 0;

  g_return_if_fail (DD_IS_WINDOW (self));

  if (!dd_case_store_count (self->case_store, &total, &open, &error))
    {
      g_warning ("Could not count the cases in %s: %s",
                 dd_database_get_location (self->database), error->message);
      show_error (self, error);
      return;
    }

  /* counted just now: fresher than the cases view's count, until it counts again */
  self->view_open = -1;
  show_counts (self, total, open);
}

/**
 * dd_window_set_cases_view:
 * @view: the widget that shows the cases
 *
 * Puts @view on the Cases page (shown when the office has cases; the empty state and the
 * error state stay the window's own).
 */
void
dd_window_set_cases_view (DdWindow  *self,
                          GtkWidget *view)
{
  g_return_if_fail (DD_IS_WINDOW (self));
  g_return_if_fail (GTK_IS_WIDGET (view));

  if (self->cases_view != NULL && DD_IS_CASES_VIEW (self->cases_view))
    {
      g_signal_handlers_disconnect_by_func (self->cases_view, on_cases_view_filter_saved, self);
      g_signal_handlers_disconnect_by_func (self->cases_view, on_cases_view_counts_changed,
                                            self);
    }
  self->cases_view = view;
  self->view_shown = self->view_open = -1;
  adw_bin_set_child (self->cases_bin, view);
  if (DD_IS_CASES_VIEW (view))
    {
      g_signal_connect_object (view, "filter-saved", G_CALLBACK (on_cases_view_filter_saved),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (view, "counts-changed",
                               G_CALLBACK (on_cases_view_counts_changed), self,
                               G_CONNECT_SWAPPED);
      on_cases_view_counts_changed (self, DD_CASES_VIEW (view));
    }
}

/**
 * dd_window_reload_saved_filters:
 *
 * Lists the saved filters under Cases in the sidebar again.
 */
void
dd_window_reload_saved_filters (DdWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) filters = NULL;
  int position;

  g_return_if_fail (DD_IS_WINDOW (self));

  if (self->filter_rows != NULL)
    for (guint i = 0; i < self->filter_rows->len; i++)
      gtk_list_box_remove (self->sidebar_list, g_ptr_array_index (self->filter_rows, i));
  g_clear_pointer (&self->filter_rows, g_ptr_array_unref);
  self->filter_rows = g_ptr_array_new ();

  filters = dd_saved_filter_store_list (self->filter_store, &error);
  if (filters == NULL)
    {
      g_warning ("Could not read the saved filters: %s", error->message);
      return;
    }

  position = gtk_list_box_row_get_index (self->cases_row) + 1;
  for (guint i = 0; i < filters->len; i++)
    {
      const DdSavedFilter *filter = g_ptr_array_index (filters, i);
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *label = gtk_label_new (filter->name);

      gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("folder-saved-search-symbolic"));
      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_box_append (GTK_BOX (box), label);
      gtk_widget_set_margin_start (box, 12);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_widget_set_tooltip_text (row, filter->name);
      g_object_set_data (G_OBJECT (row), "dd-filter-id", GSIZE_TO_POINTER ((gsize) filter->id));
      gtk_list_box_insert (self->sidebar_list, row, position + (int) i);
      g_ptr_array_add (self->filter_rows, row);
    }
  gtk_list_box_invalidate_headers (self->sidebar_list);
}

/**
 * dd_window_add_toast:
 * @toast: (transfer full): a toast
 *
 * Shows @toast over the content of the window.
 */
void
dd_window_add_toast (DdWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (DD_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  g_free (self->last_toast);
  self->last_toast = g_strdup (adw_toast_get_title (toast));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

const char *
_dd_window_get_last_toast (DdWindow *self)
{
  g_return_val_if_fail (DD_IS_WINDOW (self), NULL);
  return self->last_toast;
}

const char *
_dd_window_get_last_notice (DdWindow *self)
{
  g_return_val_if_fail (DD_IS_WINDOW (self), NULL);
  return self->last_notice;
}

/**
 * dd_window_quit:
 *
 * Saves the window's size and destroys it, at once, even while a campaign sends: sending
 * stops, the messages not yet sent stay in the outbox, and those on their way are reconciled
 * with the provider when the office is opened again.
 */
void
dd_window_quit (DdWindow *self)
{
  g_return_if_fail (DD_IS_WINDOW (self));

  save_window_state (self);
  stop_sending (self);
  gtk_window_destroy (GTK_WINDOW (self));
}

const char *
dd_window_get_help_page (DdWindow *self)
{
  const Section *section;

  g_return_val_if_fail (DD_IS_WINDOW (self), NULL);

  section = find_section (gtk_stack_get_visible_child_name (self->sections));
  if (section == NULL)
    return NULL;
  /* an office without cases yet: how to import them */
  if (g_str_equal (section->name, "cases")
      && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") == 0)
    return "import";
  return section->help_page;
}
