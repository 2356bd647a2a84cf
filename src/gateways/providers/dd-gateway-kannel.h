/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-http-gateway.h"

G_BEGIN_DECLS

/*
 * An office's own gateway speaking Kannel's smsbox "sendsms" HTTP interface (Kannel itself,
 * or any gateway compatible with it):
 *   GET {base}/cgi-bin/sendsms?username&password&from&to&text&charset=UTF-8&coding=(0|2)
 *       [&dlr-mask=31&dlr-url=…]
 * answered 202 "0: Accepted for delivery" / "3: Queued for later delivery", 403 for a wrong
 * user or password, 4xx with a reason for refused requests, 5xx when it cannot take messages.
 * Kannel gives no message id: the idempotency key stands for it, and delivery reports come only
 * through the dlr-url callback (dd_gateway_kannel_parse_dlr()); nothing can be looked up.
 */

#define DD_TYPE_GATEWAY_KANNEL (dd_gateway_kannel_get_type ())
G_DECLARE_FINAL_TYPE (DdGatewayKannel, dd_gateway_kannel, DD, GATEWAY_KANNEL, DdHttpGateway)

DdGatewayKannel *dd_gateway_kannel_new           (const char       *base_url,
                                                  const char       *username,
                                                  const char       *password);

/* A dlr-url callback's query ("key=…&type=1…", as sent for a message with a status URL):
 * the message's idempotency key and its state. FALSE if it is not one of ours. */
gboolean         dd_gateway_kannel_parse_dlr     (const char       *query,
                                                  char            **out_key,
                                                  DdSmsStatus     **out_status);

G_END_DECLS
