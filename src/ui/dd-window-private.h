/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the files of DdWindow share: dd-window.c (the window, its sections, sending, closing)
 * and dd-window-actions.c (its actions: import, new campaign, export, switch user, preferences,
 * the sidebar). */

#include <adwaita.h>

#include "dd-agent-store.h"
#include "dd-case-store.h"
#include "dd-context.h"
#include "dd-saved-filter-store.h"
#include "dd-sending.h"
#include "dd-window.h"

G_BEGIN_DECLS

typedef struct _DdWindowTransfer DdWindowTransfer;

struct _DdWindow
{
  AdwApplicationWindow  parent_instance;

  DdDatabase           *database;
  GSettings            *settings;
  gboolean              telephony_started;
  char                 *last_toast;     /* for the tests */
  char                 *last_notice;    /* for the tests: the body of the last notification */
  DdCaseStore          *case_store;
  DdAgentStore         *agent_store;
  DdSavedFilterStore   *filter_store;
  DdContext            *context;
  GtkWidget            *cases_view;
  GPtrArray            *filter_rows;    /* GtkListBoxRow, one per saved filter */
  DdSending            *sending;        /* the context's: sends the campaigns */
  gboolean              sending_hidden; /* closed during a campaign: hidden, still sending */
  GCancellable         *background_cancellable;  /* the question to the Background portal */
  GObject              *mail_scheduler; /* DdMailScheduler: the e-mail summaries */
  AdwMessageDialog     *close_dialog;   /* "keep sending?" while it is asked */
  DdWindowTransfer     *transfer;       /* debtors who ask for a consultant ring here */

  /* the last counts of dd_window_reload() */
  gboolean              counted;
  gint64                total;
  gint64                open;
  /* live, from the cases view: its list's count and the open cases; -1 before it says */
  gint64                view_shown;
  gint64                view_open;

  /* template children */
  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar_list;
  GtkListBoxRow        *cases_row;
  GtkListBoxRow        *campaigns_row;
  GtkListBoxRow        *payments_row;
  GtkListBoxRow        *call_flows_row;
  GtkListBoxRow        *ladder_row;
  GtkListBoxRow        *agent_console_row;
  GtkListBoxRow        *reports_row;
  GtkMenuButton        *user_button;
  AdwAvatar            *user_avatar;
  AdwAvatar            *user_popover_avatar;
  GtkLabel             *user_name_label;
  GtkLabel             *user_role_label;
  AdwWindowTitle       *window_title;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *sections;
  GtkStack             *stack;
  AdwBin               *cases_bin;
  AdwStatusPage        *empty_page;
  AdwStatusPage        *error_page;
};

/* dd-window.c */
void       _dd_window_show_toast            (DdWindow       *self,
                                             const char     *text);

/* dd-window-actions.c */
void       _dd_window_class_install_actions (GtkWidgetClass *widget_class);
/* Every way to import (menu, Ctrl+I, the empty state, a dropped file) comes here. */
void       _dd_window_open_import           (DdWindow       *self,
                                             GFile          *file);
GtkWidget *_dd_window_get_campaigns_view    (DdWindow       *self);
void       _dd_window_on_new_campaign_requested (DdWindow   *self);
/* The user at the desk in the header's menu. */
void       _dd_window_update_user           (DdWindow       *self);
/* Runs as the user who was at the desk last time, else as the first active manager. */
void       _dd_window_choose_agent          (DdWindow       *self);

/* dd-window-transfer.c: "Talk to a consultant" in @runner's calls rings at this window (the
 * debtor's case open, the call to the headset when answered). */
void       _dd_window_take_transfers        (DdWindow        *self,
                                             DdVoiceCampaign *runner);
void       _dd_window_drop_transfers        (DdWindow        *self);
/* For the tests: the question "answer?" while a debtor rings, or NULL. */
GtkWindow *_dd_window_get_transfer_dialog   (DdWindow        *self);

/* dd-window-inbound.c: the office's inbound line runs once the lines are up (when the office
 * has one); its callers handed to this desk bring the window forward on their case. */
void       _dd_window_take_inbound          (DdWindow        *self);

G_END_DECLS
