/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dd-contact-policy.h"
#include "dd-database.h"
#include "dd-sms-gateway.h"

G_BEGIN_DECLS

/*
 * DdSmsDispatcher: drives the outbox (DdOutbox, core) through one SMS gateway, on the main
 * loop. It starts scheduled campaigns when their time comes, claims due messages (committed
 * as "sending" before each request), sends at most the gateway's connection limit at once
 * and at most its rate, retries retryable failures with back-off, records final ones, pauses
 * a campaign when the provider refuses the whole account (token, credit, sender, IP filter)
 * and puts the message back, polls delivery reports and replies, and
 * completes campaigns that have nothing left. At start it first reconciles the messages a
 * crash left "sending" with the provider, by idempotency key, before anything is re-sent.
 */

#define DD_TYPE_SMS_DISPATCHER (dd_sms_dispatcher_get_type ())
G_DECLARE_FINAL_TYPE (DdSmsDispatcher, dd_sms_dispatcher, DD, SMS_DISPATCHER, GObject)

DdSmsDispatcher *dd_sms_dispatcher_new          (DdDatabase      *database,
                                                 DdSmsGateway    *gateway);
void             dd_sms_dispatcher_start        (DdSmsDispatcher *self);
void             dd_sms_dispatcher_stop         (DdSmsDispatcher *self);
/* Looks for due work now (after a campaign was created or resumed). */
void             dd_sms_dispatcher_wake         (DdSmsDispatcher *self);
/* The messages waiting for an unreachable provider (dd_outbox_release_waiting()) are tried
 * again now; a start does the same. */
void             dd_sms_dispatcher_send_waiting (DdSmsDispatcher *self);
/* Nothing in flight, nothing due now (for tests and the CLI's "run until done"). */
gboolean         dd_sms_dispatcher_is_idle      (DdSmsDispatcher *self);
/* Seconds between delivery-report polls (default 60). */
void             dd_sms_dispatcher_set_poll_interval (DdSmsDispatcher *self,
                                                      guint            seconds);

/* Holds each message back until its debtor may be contacted (NULL: no policy). Copied. */
void             dd_sms_dispatcher_set_contact_policy (DdSmsDispatcher       *self,
                                                       const DdContactPolicy *policy);

/* Asks the provider to push delivery reports to @url (see dd-status-receiver); NULL: poll. */
void             dd_sms_dispatcher_set_status_url (DdSmsDispatcher *self,
                                                   const char      *url);

G_END_DECLS
