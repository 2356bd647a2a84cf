/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-http-gateway.h"

G_BEGIN_DECLS

/*
 * SMSAPI.pl (and its .com twin): the REST "sms.do" API with a bearer token (OAuth token
 * generated in the customer panel).
 *
 * - Sending: POST {base}/sms.do, form-encoded: to, message, from, encoding=utf-8, format=json,
 *   idx (our idempotency key) with check_idx=1, so that the API refuses a key it has seen
 *   (error 53) and a message left unsettled by a crash can be sent again safely; notify_url
 *   when a reachable status URL is configured.
 * - Answers come as HTTP 200 with {"count":1,"list":[{"id","points","parts","status",…}]} or
 *   {"error":N,"message":"…"}; HTTP 401/429/5xx are honoured too.
 * - Delivery reports are polled: GET {base}/sms.do?status=ID&format=json.
 * - The API cannot look a message up by idx: lookup answers NOT_SUPPORTED and the dispatcher
 *   relies on check_idx instead (dd_sms_gateway_get_refuses_duplicates() is TRUE).
 */

#define DD_TYPE_GATEWAY_SMSAPI (dd_gateway_smsapi_get_type ())
G_DECLARE_FINAL_TYPE (DdGatewaySmsapi, dd_gateway_smsapi, DD, GATEWAY_SMSAPI, DdHttpGateway)

#define DD_GATEWAY_SMSAPI_DEFAULT_URL "https://api.smsapi.pl/"

/* @base_url: NULL for DD_GATEWAY_SMSAPI_DEFAULT_URL. */
DdGatewaySmsapi *dd_gateway_smsapi_new                 (const char      *base_url,
                                                        const char      *token);
/* SMSAPI's test=1: requests are checked and answered, nothing is sent. */
void             dd_gateway_smsapi_set_test_mode       (DdGatewaySmsapi *self,
                                                        gboolean         test_mode);

/* The status word of the API ("DELIVERED", "QUEUE", …) as a DdSmsState. */
DdSmsState       dd_gateway_smsapi_parse_state         (const char      *status);

G_END_DECLS
