/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-call.h"
#include "dd-media-link.h"

G_BEGIN_DECLS

/*
 * Two calls that hear each other: what one side says goes to the other side's microphone
 * (a DdMediaLink on each call, relaying on the engine's thread). The dialer and the inbound
 * queue put the debtor through to a consultant's phone with it.
 */
typedef struct _DdCallBridge DdCallBridge;

/* @a and @b hear each other from now on; they are not referenced and must outlive the
 * bridge. */
DdCallBridge *dd_call_bridge_new  (DdCall       *a,
                                   DdCall       *b);
/* The calls hear each other no more: their links are taken off and both relays cut (it
 * returns once no relay is under way). */
void          dd_call_bridge_free (DdCallBridge *bridge);

G_END_DECLS
