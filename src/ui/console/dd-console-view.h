/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-context.h"
#include "dd-dialer.h"

G_BEGIN_DECLS

/*
 * DdConsoleView: the Agent Console of the consultant at this desk. The state switcher
 * (ready, pause with a reason), the case card of the call on the line with the campaign's
 * script and a Hang up, the wrap-up with its outcome codes and its countdown, and the dialer's
 * dial level and abandoned rate, live. In preview mode Start Dialing rings nothing: the card
 * shows each case of the campaign in turn with Call (the dialer rings it for this consultant)
 * and Skip (the case stays planned), the next one once the consultant is ready again.
 * Under the dialing controls, the inbound queues' missed calls and callback requests (number,
 * case, queue, time, what happened) with a one-click Call Back (rung by the dialer for this
 * consultant; the entry is done), and how many callers wait in the queues now, live. The dialer settings (with their simulator) open from
 * its header.
 */
#define DD_TYPE_CONSOLE_VIEW (dd_console_view_get_type ())
G_DECLARE_FINAL_TYPE (DdConsoleView, dd_console_view, DD, CONSOLE_VIEW, AdwBin)

GtkWidget *dd_console_view_new        (DdContext     *context);
/* The dialer whose calls come to this desk (NULL: none); its figures are shown live. */
void       dd_console_view_set_dialer (DdConsoleView *self,
                                       DdDialer      *dialer);
/* A call with @case_id of @campaign_id (0: none) reached the consultant: the case card opens
 * (the dialer's ::call-connected does it). */
void       dd_console_view_open_call  (DdConsoleView *self,
                                       gint64         case_id,
                                       gint64         campaign_id);
/* The call ended: the wrap-up and its countdown (the dialer's ::call-ended does it). */
void       dd_console_view_end_call   (DdConsoleView *self);
/* Records @outcome (a DdWrapUpOutcome) with what the entries say; FALSE when refused (the
 * reason shown under the buttons). */
gboolean   dd_console_view_choose_outcome (DdConsoleView *self,
                                           guint          outcome);
/* Starts dialing the numbers @campaign_id planned to call and has not called yet (its
 * scheduled call attempts) with the context's dialer, the consultant at this desk taking the
 * calls (at their SIP address, else on the headset); FALSE with @error for the user. */
gboolean   dd_console_view_start_dialing (DdConsoleView  *self,
                                          gint64          campaign_id,
                                          GError        **error);
/* Rings no more numbers (the calls on the line go on). */
void       dd_console_view_stop_dialing  (DdConsoleView  *self);
/* Reads the state and the figures again (also done every second). */
void       dd_console_view_refresh    (DdConsoleView *self);

G_END_DECLS
