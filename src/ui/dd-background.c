/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-background"

#include "config.h"

#include "dd-background.h"

#include <string.h>

#define PORTAL_BUS_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_OBJECT_PATH "/org/freedesktop/portal/desktop"
#define PORTAL_REQUEST_INTERFACE "org.freedesktop.portal.Request"
#define BACKGROUND_INTERFACE "org.freedesktop.portal.Background"

/* how long the portal may take to take the request (not to have the user answer it) */
#define CALL_TIMEOUT_MS 10000

typedef struct
{
  GDBusConnection *connection;
  char            *handle;
  guint            response_id;
  gboolean         answered;
} Request;

static void
request_free (Request *request)
{
  if (request->response_id != 0)
    g_dbus_connection_signal_unsubscribe (request->connection, request->response_id);
  g_clear_object (&request->connection);
  g_free (request->handle);
  g_free (request);
}

static void
answer (GTask              *task,
        DdBackgroundAnswer  value)
{
  Request *request = g_task_get_task_data (task);

  if (request->answered)
    return;
  request->answered = TRUE;
  g_task_return_int (task, value);
  /* drops the subscription's reference to the task: last */
  if (request->response_id != 0)
    {
      guint id = request->response_id;

      request->response_id = 0;
      g_dbus_connection_signal_unsubscribe (request->connection, id);
    }
}

static void
on_response (GDBusConnection *connection,
             const char      *sender,
             const char      *object_path,
             const char      *interface,
             const char      *signal,
             GVariant        *parameters,
             gpointer         user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GVariant) results = NULL;
  gboolean background = FALSE;
  guint32 response = 2;

  if (request->answered || g_strcmp0 (object_path, request->handle) != 0
      || !g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ua{sv})")))
    return;

  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  g_variant_lookup (results, "background", "b", &background);
  g_debug ("The Background portal answered %u, background %d", response, background);
  answer (task, response == 0 && background ? DD_BACKGROUND_ALLOWED : DD_BACKGROUND_REFUSED);
}

static void
subscribe (GTask      *task,
           const char *handle)
{
  Request *request = g_task_get_task_data (task);

  if (request->response_id != 0)
    g_dbus_connection_signal_unsubscribe (request->connection, request->response_id);
  g_free (request->handle);
  request->handle = g_strdup (handle);
  /* the subscription keeps the task until the answer (or the lack of a portal) */
  request->response_id = g_dbus_connection_signal_subscribe (request->connection, NULL,
                                                              PORTAL_REQUEST_INTERFACE, "Response",
                                                              handle, NULL,
                                                              G_DBUS_SIGNAL_FLAGS_NONE,
                                                              on_response, g_object_ref (task),
                                                              g_object_unref);
}

static void
on_called (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  const char *handle = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (request->answered)
    return;
  if (reply == NULL)
    {
      g_message ("No Background portal (%s): the application runs on without asking",
                 error->message);
      answer (task, DD_BACKGROUND_NO_PORTAL);
      return;
    }
  g_variant_get (reply, "(&o)", &handle);
  /* older portals made up their own path */
  if (g_strcmp0 (handle, request->handle) != 0)
    subscribe (task, handle);
}

/**
 * dd_background_request_async:
 *
 * Asks the desktop's Background portal to let the application run on without a window.
 * Without a portal on the session bus, the answer is %DD_BACKGROUND_NO_PORTAL.
 */
static void
request_background (const char          *reason,
                    const char * const  *commandline,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data);

void
dd_background_request_async (const char          *reason,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  request_background (reason, NULL, cancellable, callback, user_data);
}

/**
 * dd_background_request_autostart_async:
 *
 * As dd_background_request_async(), and asks to start the application at login with
 * @commandline.
 */
void
dd_background_request_autostart_async (const char          *reason,
                                       const char * const  *commandline,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  request_background (reason, commandline, cancellable, callback, user_data);
}

static void
request_background (const char          *reason,
                    const char * const  *commandline,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *token = NULL;
  g_autofree char *handle = NULL;
  Request *request;
  GVariantBuilder options;

  g_task_set_source_tag (task, dd_background_request_async);
  request = g_new0 (Request, 1);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  request->connection = g_bus_get_sync (G_BUS_TYPE_SESSION, cancellable, &error);
  if (request->connection == NULL)
    {
      g_message ("No session bus (%s): the application runs on without asking",
                 error->message);
      g_task_return_int (task, DD_BACKGROUND_NO_PORTAL);
      return;
    }

  /* the portal answers on /org/freedesktop/portal/desktop/request/SENDER/TOKEN: listen
   * before asking, so that no answer is missed */
  sender = g_strdup (g_dbus_connection_get_unique_name (request->connection) + 1);
  g_strdelimit (sender, ".", '_');
  token = g_strdup_printf ("dd%u", g_random_int ());
  handle = g_strdup_printf (PORTAL_OBJECT_PATH "/request/%s/%s", sender, token);
  subscribe (task, handle);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason", g_variant_new_string (reason));
  g_variant_builder_add (&options, "{sv}", "autostart",
                         g_variant_new_boolean (commandline != NULL));
  if (commandline != NULL)
    g_variant_builder_add (&options, "{sv}", "commandline",
                           g_variant_new_strv (commandline, -1));
  g_dbus_connection_call (request->connection, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH,
                          BACKGROUND_INTERFACE, "RequestBackground",
                          g_variant_new ("(sa{sv})", "", &options),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, CALL_TIMEOUT_MS,
                          cancellable, on_called, g_object_ref (task));
}

DdBackgroundAnswer
dd_background_request_finish (GAsyncResult *result)
{
  g_autoptr(GError) error = NULL;
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, NULL), DD_BACKGROUND_NO_PORTAL);

  value = g_task_propagate_int (G_TASK (result), &error);
  if (error != NULL)
    return DD_BACKGROUND_REFUSED;
  return (DdBackgroundAnswer) value;
}
