/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A local stand-in for Twilio's REST API 2010-04-01 (Messages) and Lookup v2 on 127.0.0.1,
 * strict where the real one is (shared/specs/twilio_*.json): Basic authentication with an
 * AC… SID (401, code 20003), form fields To (21604 missing, 21211 not E.164), From of the
 * account or MessagingServiceSid (21603, 21606), Body (21602, 21617 over 1,600 characters),
 * recipients who replied STOP (21610); 201 with the Message resource; 404 (20404) for unknown
 * SIDs. Faults for the next requests: "http:CODE", "http:429:SECONDS" (code 20429),
 * "error:STATUS:CODE" (Twilio's JSON error, e.g. "error:401:20005" for a suspended account),
 * "garbage", "stall"; "redirect:STATUS:URL"; and after a message was created, its answer lost:
 * "accept-stall" (never answered), "accept-reset" (the connection closed), "accept-garbage"
 * (201 cut off), "accept-200-html" (a 200 with a page instead).
 */

typedef struct _DdTwilioStandIn DdTwilioStandIn;

typedef struct
{
  char *sid;
  char *to;
  char *from;
  char *body;
  char *status_callback;
} DdTwilioAccepted;

DdTwilioStandIn *dd_twilio_stand_in_new          (const char      *account_sid,
                                                  const char      *auth_token,
                                                  const char      *own_number,
                                                  GError         **error);
void             dd_twilio_stand_in_free         (DdTwilioStandIn *self);
const char      *dd_twilio_stand_in_get_url      (DdTwilioStandIn *self);
void             dd_twilio_stand_in_push_fault   (DdTwilioStandIn *self,
                                                  const char      *fault);
/* The number replied STOP: sending to it fails with 21610. */
void             dd_twilio_stand_in_add_stopped  (DdTwilioStandIn *self,
                                                  const char      *e164);
/* An inbound message to the account's number, sent at @date_sent (RFC 2822). */
void             dd_twilio_stand_in_add_inbound  (DdTwilioStandIn *self,
                                                  const char      *from,
                                                  const char      *body,
                                                  const char      *date_sent);
/* Lookup: numbers known as landlines (every other valid one is "mobile"). */
void             dd_twilio_stand_in_add_landline (DdTwilioStandIn *self,
                                                  const char      *e164);
GPtrArray       *dd_twilio_stand_in_get_accepted (DdTwilioStandIn *self);
/* Marks a message delivered (as the carrier would report). */
void             dd_twilio_stand_in_deliver      (DdTwilioStandIn *self,
                                                  const char      *sid,
                                                  const char      *status);
/* The query string of the last request (NULL before any). */
const char      *dd_twilio_stand_in_get_last_query (DdTwilioStandIn *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdTwilioStandIn, dd_twilio_stand_in_free)

G_END_DECLS
