/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A local stand-in for SMSAPI.pl's "sms.do" REST API (a real HTTP server on 127.0.0.1), strict
 * where the real one is: bearer token (401 + error 101), form fields, format=json (else the
 * old "OK:id:points" text), encoding, numbers (13), registered senders (14), idx length (27),
 * check_idx repeats (53), points (103), status by id (301 when unknown).
 *
 * Faults for the next requests, in order (dd_smsapi_stand_in_push_fault):
 *   "http:CODE"          answer with that HTTP status and an HTML body
 *   "http:429:SECONDS"   429 Too Many Requests with Retry-After
 *   "error:CODE"         HTTP 200 with {"error":CODE,"message":…}
 *   "latin2-error:CODE"  the same, its message in ISO-8859-2 (charset in the Content-Type)
 *   "garbage"            HTTP 200 with a body that is not JSON
 *   "stall"              never answer (until the stand-in is freed)
 *   "drop"               accept and record the message, then close the connection unanswered
 *
 * GET /_stand-in/state answers {"requests":N,"duplicates":N,"max_open_requests":N,
 * "connections":N,"accepted":[{"idx","id","to",
 * "message","from","parts"}…]} for tests in another process.
 */

typedef struct _DdSmsapiStandIn DdSmsapiStandIn;

typedef struct
{
  char  *id;
  char  *idx;
  char  *to;
  char  *message;
  char  *from;
  guint  parts;
} DdSmsapiAccepted;

DdSmsapiStandIn *dd_smsapi_stand_in_new            (const char       *token,
                                                    guint             port,
                                                    GError          **error);
void             dd_smsapi_stand_in_free           (DdSmsapiStandIn  *self);
/* "http://127.0.0.1:PORT/" */
const char      *dd_smsapi_stand_in_get_url        (DdSmsapiStandIn  *self);
void             dd_smsapi_stand_in_add_sender     (DdSmsapiStandIn  *self,
                                                    const char       *sender);
void             dd_smsapi_stand_in_set_points     (DdSmsapiStandIn  *self,
                                                    double            points);
/* Milliseconds before each answer (default 0) and until a message counts as delivered. */
void             dd_smsapi_stand_in_set_delays     (DdSmsapiStandIn  *self,
                                                    guint             answer_ms,
                                                    guint             delivery_ms);
void             dd_smsapi_stand_in_push_fault     (DdSmsapiStandIn  *self,
                                                    const char       *fault);
/* DdSmsapiAccepted, in order (owned by the stand-in). */
GPtrArray       *dd_smsapi_stand_in_get_accepted   (DdSmsapiStandIn  *self);
guint            dd_smsapi_stand_in_get_n_requests (DdSmsapiStandIn  *self);
guint            dd_smsapi_stand_in_get_n_duplicates (DdSmsapiStandIn *self);
/* Most connections open at the same time so far. */
guint            dd_smsapi_stand_in_get_max_connections (DdSmsapiStandIn *self);
/* Client connections opened so far (distinct address and port). */
guint            dd_smsapi_stand_in_get_n_connections (DdSmsapiStandIn *self);
/* The form of the last request, decoded (NULL before any). */
GHashTable      *dd_smsapi_stand_in_get_last_form  (DdSmsapiStandIn  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdSmsapiStandIn, dd_smsapi_stand_in_free)

G_END_DECLS
