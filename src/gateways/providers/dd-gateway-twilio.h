/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-http-gateway.h"

G_BEGIN_DECLS

/*
 * Twilio Programmable Messaging (REST API 2010-04-01) and Twilio Lookup v2.
 *
 * - Basic authentication with the account SID and auth token.
 * - Sending: POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded To, From (or
 *   MessagingServiceSid when the sender starts with "MG"), Body, StatusCallback when a
 *   reachable URL is configured. 201 with the Message resource; errors as
 *   {"code","message","more_info","status"}.
 * - Delivery reports: GET …/Messages/{Sid}.json. Replies: GET …/Messages.json?To={our number}
 *   &DateSent>=… (inbound ones).
 * - Twilio keeps no key of ours, so a message whose answer was lost cannot be looked up: the
 *   dispatcher marks it as of unknown outcome instead of sending it twice.
 * - Number check: GET https://lookups.twilio.com/v2/PhoneNumbers/{E.164}
 *   ?Fields=line_type_intelligence.
 */

#define DD_TYPE_GATEWAY_TWILIO (dd_gateway_twilio_get_type ())
G_DECLARE_FINAL_TYPE (DdGatewayTwilio, dd_gateway_twilio, DD, GATEWAY_TWILIO, DdHttpGateway)

#define DD_GATEWAY_TWILIO_DEFAULT_URL        "https://api.twilio.com/"
#define DD_GATEWAY_TWILIO_DEFAULT_LOOKUP_URL "https://lookups.twilio.com/"

/* @base_url and @lookup_url: NULL for Twilio's own. */
DdGatewayTwilio *dd_gateway_twilio_new          (const char      *base_url,
                                                 const char      *lookup_url,
                                                 const char      *account_sid,
                                                 const char      *auth_token);
DdSmsState       dd_gateway_twilio_parse_state  (const char      *status);

G_END_DECLS
