/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-sending"

#include "config.h"

#include "dd-sending.h"

#include "dd-outbox.h"
#include "dd-sms-account.h"
#include "dd-status-receiver.h"

#include <glib/gi18n-lib.h>
#include <string.h>

struct _DdSending
{
  GObject           parent_instance;

  DdDatabase       *database;
  DdSmsGateway     *gateway;
  DdSmsDispatcher  *dispatcher;       /* NULL while not sending */
  DdStatusReceiver *status_receiver;  /* pushed delivery reports, when configured */
  GCancellable     *cancellable;      /* the keyring look-up */
  guint             poll_interval;    /* 0: the dispatcher's default */
};

G_DEFINE_FINAL_TYPE (DdSending, dd_sending, G_TYPE_OBJECT)

enum
{
  STARTED,
  FAILED,
  CAMPAIGN_PAUSED,
  CAMPAIGN_STARTED,
  CAMPAIGN_COMPLETED,
  IDLE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
failed (DdSending  *self,
        const char *why)
{
  g_message ("Campaigns cannot be sent: %s", why);
  g_signal_emit (self, signals[FAILED], 0, why);
}

static void
on_campaign_paused (DdSmsDispatcher *dispatcher,
                    gint64           campaign_id,
                    const char      *reason,
                    const char      *detail,
                    DdSending       *self)
{
  g_signal_emit (self, signals[CAMPAIGN_PAUSED], 0, campaign_id, reason, detail);
}

static void
on_campaign_started (DdSmsDispatcher *dispatcher,
                     gint64           campaign_id,
                     gboolean         late,
                     DdSending       *self)
{
  g_signal_emit (self, signals[CAMPAIGN_STARTED], 0, campaign_id, late);
}

static void
on_campaign_completed (DdSmsDispatcher *dispatcher,
                       DdSending       *self)
{
  g_signal_emit (self, signals[CAMPAIGN_COMPLETED], 0);
}

static void
on_idle (DdSmsDispatcher *dispatcher,
         DdSending       *self)
{
  g_signal_emit (self, signals[IDLE], 0);
}

/* When the office made an address reachable from the provider, reports are pushed there;
 * otherwise they are polled. */
static void
start_status_receiver (DdSending  *self,
                       GSettings  *settings,
                       const char *provider,
                       const char *secret)
{
  g_autofree char *url = g_settings_get_string (settings, "sms-callback-url");
  g_autofree char *status_url = NULL;
  g_autoptr(GError) error = NULL;

  if (*url == '\0' || g_str_equal (provider, "test"))
    return;
  self->status_receiver = dd_status_receiver_new (self->database, "0.0.0.0",
                                                  (guint) g_settings_get_int (settings,
                                                                              "sms-callback-port"),
                                                  &error);
  if (self->status_receiver == NULL)
    {
      /* Translators: %s is the system's reason (port in use…) */
      g_autofree char *why = g_strdup_printf (_("delivery reports cannot be received (%s); "
                                                "they are polled instead"), error->message);

      failed (self, why);
      return;
    }
  dd_status_receiver_set_public_url (self->status_receiver, url);
  if (g_str_equal (provider, "twilio"))
    dd_status_receiver_set_twilio_token (self->status_receiver, secret);
  status_url = dd_status_receiver_url_for (self->status_receiver, provider);
  dd_sms_dispatcher_set_status_url (self->dispatcher, status_url);
}

typedef struct
{
  DdSending       *self;      /* owned */
  GSettings       *settings;  /* owned */
  DdContactPolicy *policy;    /* owned, nullable */
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_object_unref (lookup->self);
  g_object_unref (lookup->settings);
  g_clear_pointer (&lookup->policy, dd_contact_policy_free);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lookup, lookup_free)

static void
on_secret_looked_up (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Lookup) lookup = user_data;
  DdSending *self = lookup->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = dd_sms_account_lookup_secret_finish (result, &error);
  g_autoptr(DdSmsAccount) account = NULL;
  DdSmsGateway *gateway;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  if (error != NULL)
    {
      /* Translators: %s is the keyring's own error message */
      g_autofree char *why = g_strdup_printf (_("the keyring could not be read (%s)"),
                                              error->message);

      failed (self, why);
      return;
    }
  account = dd_sms_account_new_from_settings (lookup->settings);
  if (secret == NULL || *secret == '\0')
    {
      g_debug ("No secret stored for %s: not sending", account->provider);
      return;
    }
  gateway = dd_sms_account_create_gateway (account, secret, &error);
  if (gateway == NULL)
    failed (self, error->message);
  else
    {
      dd_sending_start (self, gateway, lookup->policy);
      g_object_unref (gateway);
      start_status_receiver (self, lookup->settings, account->provider, secret);
    }
  explicit_bzero (secret, strlen (secret));
}

static void
dd_sending_dispose (GObject *object)
{
  dd_sending_stop (DD_SENDING (object));

  G_OBJECT_CLASS (dd_sending_parent_class)->dispose (object);
}

static void
dd_sending_finalize (GObject *object)
{
  DdSending *self = DD_SENDING (object);

  g_clear_object (&self->database);

  G_OBJECT_CLASS (dd_sending_parent_class)->finalize (object);
}

static void
dd_sending_class_init (DdSendingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dd_sending_dispose;
  object_class->finalize = dd_sending_finalize;

  signals[STARTED] = g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, DD_TYPE_SMS_GATEWAY);
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CAMPAIGN_PAUSED] = g_signal_new ("campaign-paused", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING,
                                           G_TYPE_STRING);
  signals[CAMPAIGN_STARTED] = g_signal_new ("campaign-started", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_BOOLEAN);
  signals[CAMPAIGN_COMPLETED] = g_signal_new ("campaign-completed", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 0);
  signals[IDLE] = g_signal_new ("idle", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dd_sending_init (DdSending *self)
{
}

DdSending *
dd_sending_new (DdDatabase *database)
{
  DdSending *self;

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);

  self = g_object_new (DD_TYPE_SENDING, NULL);
  self->database = g_object_ref (database);
  return self;
}

void
dd_sending_start (DdSending       *self,
                  DdSmsGateway    *gateway,
                  DdContactPolicy *policy)
{
  g_return_if_fail (DD_IS_SENDING (self));
  g_return_if_fail (DD_IS_SMS_GATEWAY (gateway));

  dd_sending_stop (self);
  self->gateway = g_object_ref (gateway);
  self->dispatcher = dd_sms_dispatcher_new (self->database, gateway);
  if (self->poll_interval > 0)
    dd_sms_dispatcher_set_poll_interval (self->dispatcher, self->poll_interval);
  if (policy != NULL)
    dd_sms_dispatcher_set_contact_policy (self->dispatcher, policy);
  g_signal_connect_object (self->dispatcher, "campaign-paused",
                           G_CALLBACK (on_campaign_paused), self, 0);
  g_signal_connect_object (self->dispatcher, "campaign-started",
                           G_CALLBACK (on_campaign_started), self, 0);
  g_signal_connect_object (self->dispatcher, "campaign-completed",
                           G_CALLBACK (on_campaign_completed), self, 0);
  g_signal_connect_object (self->dispatcher, "idle", G_CALLBACK (on_idle), self, 0);
  g_signal_emit (self, signals[STARTED], 0, gateway);
  dd_sms_dispatcher_start (self->dispatcher);
}

void
dd_sending_start_for_office (DdSending       *self,
                             GSettings       *settings,
                             DdContactPolicy *policy)
{
  g_autoptr(DdSmsAccount) account = NULL;
  Lookup *lookup;

  g_return_if_fail (DD_IS_SENDING (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  dd_sending_stop (self);
  account = dd_sms_account_new_from_settings (settings);
  if (!dd_sms_account_needs_secret (account->provider))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DdSmsGateway) gateway = dd_sms_account_create_gateway (account, NULL, &error);

      if (gateway == NULL)
        failed (self, error->message);
      else
        dd_sending_start (self, gateway, policy);
      return;
    }

  lookup = g_new0 (Lookup, 1);
  lookup->self = g_object_ref (self);
  lookup->settings = g_object_ref (settings);
  lookup->policy = policy != NULL ? dd_contact_policy_copy (policy) : NULL;
  self->cancellable = g_cancellable_new ();
  dd_sms_account_lookup_secret (account, self->cancellable, on_secret_looked_up, lookup);
}

void
dd_sending_set_poll_interval (DdSending *self,
                              guint      seconds)
{
  g_return_if_fail (DD_IS_SENDING (self));

  self->poll_interval = seconds;
}

void
dd_sending_stop (DdSending *self)
{
  g_return_if_fail (DD_IS_SENDING (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->dispatcher != NULL)
    {
      /* messages on their way stay "sending" and are reconciled by the next dispatcher */
      dd_sms_dispatcher_stop (self->dispatcher);
      g_signal_handlers_disconnect_by_data (self->dispatcher, self);
    }
  g_clear_object (&self->dispatcher);
  g_clear_object (&self->gateway);
  g_clear_object (&self->status_receiver);
}

gboolean
dd_sending_is_running (DdSending *self)
{
  g_return_val_if_fail (DD_IS_SENDING (self), FALSE);

  return self->dispatcher != NULL;
}

DdSmsGateway *
dd_sending_get_gateway (DdSending *self)
{
  g_return_val_if_fail (DD_IS_SENDING (self), NULL);

  return self->gateway;
}

DdSmsDispatcher *
dd_sending_get_dispatcher (DdSending *self)
{
  g_return_val_if_fail (DD_IS_SENDING (self), NULL);

  return self->dispatcher;
}

void
dd_sending_wake (DdSending *self)
{
  g_return_if_fail (DD_IS_SENDING (self));

  if (self->dispatcher != NULL)
    dd_sms_dispatcher_wake (self->dispatcher);
}

void
dd_sending_send_waiting (DdSending *self)
{
  g_autoptr(DdOutbox) outbox = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (DD_IS_SENDING (self));

  /* released even while nothing sends: the next start sends them */
  outbox = dd_outbox_new (self->database);
  if (!dd_outbox_release_waiting (outbox, 0, NULL, &error))
    g_message ("Could not release the messages waiting for the provider: %s", error->message);
  if (self->dispatcher != NULL)
    dd_sms_dispatcher_wake (self->dispatcher);
}

void
dd_sending_set_contact_policy (DdSending       *self,
                               DdContactPolicy *policy)
{
  g_autoptr(DdOutbox) outbox = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (DD_IS_SENDING (self));

  if (self->dispatcher == NULL)
    return;
  outbox = dd_outbox_new (self->database);
  if (!dd_outbox_release_policy_holds (outbox, &error))
    g_message ("Could not look at the held messages again: %s", error->message);
  dd_sms_dispatcher_set_contact_policy (self->dispatcher, policy);
  dd_sms_dispatcher_wake (self->dispatcher);
}

gboolean
dd_sending_has_campaigns (DdSending *self)
{
  gint64 n = 0;

  g_return_val_if_fail (DD_IS_SENDING (self), FALSE);

  if (!dd_database_query_int64 (self->database,
                                "SELECT COUNT(*) FROM campaign WHERE state IN ('running', 'scheduled')"
                                " AND kind = 'sms'",
                                &n, NULL))
    return FALSE;
  return n > 0;
}
