/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dd-contact-policy.h"
#include "dd-database.h"
#include "dd-sms-dispatcher.h"
#include "dd-sms-gateway.h"

G_BEGIN_DECLS

/*
 * DdSending: the office sending its SMS campaigns — the provider's gateway, the dispatcher that
 * drives the outbox through it, and the receiver of delivery reports the provider pushes (when
 * the office made an address reachable). The window (through DdContext) and
 * `dunning-desk-cli campaign run` run the same one.
 *
 * Signals (on the main context):
 *   ::started (DdSmsGateway *gateway)          sending runs through @gateway
 *   ::failed (const char *why)                  it cannot start, in words (translated)
 *   ::campaign-paused (gint64 campaign_id, const char *reason, const char *detail)
 *   ::campaign-started (gint64 campaign_id, gboolean late)
 *   ::campaign-completed ()                     one or more campaigns sent their last message
 *   ::idle ()                                   nothing is left to send just now
 */
#define DD_TYPE_SENDING (dd_sending_get_type ())
G_DECLARE_FINAL_TYPE (DdSending, dd_sending, DD, SENDING, GObject)

DdSending       *dd_sending_new                  (DdDatabase      *database);

/* Sends through @gateway from now on (what ran before stops). */
void             dd_sending_start                (DdSending       *self,
                                                  DdSmsGateway    *gateway,
                                                  DdContactPolicy *policy);
/* Sends through the office's provider: the account in @settings (sms-* keys), its secret from
 * the keyring. Without a secret stored yet nothing starts: a state of the settings, which
 * Preferences shows by the provider. Other problems are ::failed. */
void             dd_sending_start_for_office     (DdSending       *self,
                                                  GSettings       *settings,
                                                  DdContactPolicy *policy);
/* Seconds between delivery report polls of the next start (0: the dispatcher's default). */
void             dd_sending_set_poll_interval    (DdSending       *self,
                                                  guint            seconds);
/* Stops: messages on their way stay "sending" and are reconciled by the next start. */
void             dd_sending_stop                 (DdSending       *self);

gboolean         dd_sending_is_running           (DdSending       *self);
DdSmsGateway    *dd_sending_get_gateway          (DdSending       *self);
DdSmsDispatcher *dd_sending_get_dispatcher       (DdSending       *self);
/* Campaigns were created, resumed or changed: look at the outbox again. */
void             dd_sending_wake                 (DdSending       *self);
/* The messages that waited for an unreachable provider are tried again now (the user resumed
 * or asked to send them again; a start does it by itself). */
void             dd_sending_send_waiting         (DdSending       *self);
/* The contact policy changed: messages it held are looked at again. */
void             dd_sending_set_contact_policy   (DdSending       *self,
                                                  DdContactPolicy *policy);
/* Whether an SMS campaign runs or waits for its time. */
gboolean         dd_sending_has_campaigns        (DdSending       *self);

G_END_DECLS
