/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-http-gateway.h"

G_BEGIN_DECLS

/*
 * The built-in Test gateway: "delivers" into an in-app inbox, nothing reaches a real phone.
 * It behaves like a provider — a short delay per request, the idempotency key refused when
 * repeated (DUPLICATE), a delivery report a moment later — so `make run` shows a whole
 * campaign without an account. Tests can make it fail the next requests with a chosen error.
 * It takes the DdSmsGateway plumbing and the limits of DdHttpGateway, and never its session.
 */

#define DD_TYPE_GATEWAY_TEST (dd_gateway_test_get_type ())
G_DECLARE_FINAL_TYPE (DdGatewayTest, dd_gateway_test, DD, GATEWAY_TEST, DdHttpGateway)

typedef struct
{
  char *provider_id;
  char *idempotency_key;
  char *to;
  char *text;
  char *sender;
  gint64 received_at;    /* monotonic µs */
} DdTestSms;

DdGatewayTest *dd_gateway_test_new          (void);
/* Milliseconds a request takes (default 20) and until a message counts as delivered
 * (default 1000). */
void           dd_gateway_test_set_delays   (DdGatewayTest     *self,
                                             guint              request_ms,
                                             guint              delivery_ms);
/* The next @n requests fail with @code (retry-after @retry_after seconds for 429s). */
void           dd_gateway_test_fail_next    (DdGatewayTest     *self,
                                             DdSmsGatewayError  code,
                                             guint              n,
                                             gint64             retry_after);
/* Messages accepted so far (DdTestSms), in order. */
GPtrArray     *dd_gateway_test_get_inbox    (DdGatewayTest     *self);
/* Requests received, including refused ones. */
guint          dd_gateway_test_get_n_requests (DdGatewayTest   *self);

/* A debtor's reply the provider will pass on at the next fetch of replies. */
void           dd_gateway_test_add_reply    (DdGatewayTest     *self,
                                             const char        *from,
                                             const char        *text);

G_END_DECLS
