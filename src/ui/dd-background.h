/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What the desktop said when asked to let the application run with no window open. */
typedef enum
{
  DD_BACKGROUND_ALLOWED,
  DD_BACKGROUND_REFUSED,
  DD_BACKGROUND_NO_PORTAL,   /* no Background portal on the session bus: nobody to ask */
} DdBackgroundAnswer;

/* Asks the Background portal (org.freedesktop.portal.Background.RequestBackground) to let
 * the application run on without a window; @reason is shown to the user by the portal. */
void               dd_background_request_async  (const char          *reason,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
DdBackgroundAnswer dd_background_request_finish (GAsyncResult        *result);
/* The same, and asks to start the application at login with @commandline (the escalation
 * ladder runs daily); finished with dd_background_request_finish(). */
void               dd_background_request_autostart_async (const char          *reason,
                                                          const char * const  *commandline,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);

G_END_DECLS
