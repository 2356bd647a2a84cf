/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dd-database.h"

G_BEGIN_DECLS

/*
 * Delivery reports pushed by the providers, for offices that make an address reachable from
 * the provider (the default is polling): a small HTTP server on @port.
 *   /kannel?key=…&type=%d        Kannel's dlr-url
 *   /twilio   (POST, form)       Twilio's StatusCallback, its X-Twilio-Signature checked with
 *                                the auth token against the public URL
 *   /smsapi?MsgId=…&status=…     SMSAPI's notify_url (several at once: comma-separated lists)
 * Each report updates the message and its case's timeline (dd_outbox_mark_report()); repeated
 * and late ones change nothing (a final state stays). One for a message not known by that id
 * yet (its report came before the answer that sent it) is answered 404 but kept ten minutes
 * and tried again each second, so that it is not lost.
 */

#define DD_TYPE_STATUS_RECEIVER (dd_status_receiver_get_type ())
G_DECLARE_FINAL_TYPE (DdStatusReceiver, dd_status_receiver, DD, STATUS_RECEIVER, GObject)

/* @address: where to listen ("0.0.0.0" for the network); @port 0: any. */
DdStatusReceiver *dd_status_receiver_new          (DdDatabase       *database,
                                                   const char       *address,
                                                   guint             port,
                                                   GError          **error);
guint             dd_status_receiver_get_port     (DdStatusReceiver *self);
/* The address the provider calls, as configured ("https://office.example:8443"), and the Twilio
 * auth token that signs Twilio's requests (NULL: Twilio reports are refused). */
void              dd_status_receiver_set_public_url  (DdStatusReceiver *self,
                                                      const char       *url);
void              dd_status_receiver_set_twilio_token (DdStatusReceiver *self,
                                                       const char       *token);
/* The status URL to give a provider ("kannel", "twilio", "smsapi"), or NULL. */
char             *dd_status_receiver_url_for      (DdStatusReceiver *self,
                                                   const char       *provider);
/* Reports accepted so far. */
guint             dd_status_receiver_get_n_reports (DdStatusReceiver *self);

/* Twilio's signature: base64 (HMAC-SHA1 (token, url + each parameter name and value, sorted
 * by name)). */
char             *dd_status_receiver_twilio_signature (const char *token,
                                                       const char *url,
                                                       GHashTable *params);

G_END_DECLS
