/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "dd-database.h"

G_BEGIN_DECLS

/*
 * Who holds work on its way (issue 19): a message being sent, a call being dialed. On a
 * shared database several desks send and dial at once; a desk that starts settles only the
 * work no live desk holds (schema 25: claimed_by, heartbeat_at).
 */

/* A holder not heard of for this long is taken to be gone. */
#define DD_CLAIM_LEASE_SECONDS     120
/* How often a live desk says so for the work it holds. */
#define DD_CLAIM_HEARTBEAT_SECONDS 30

/* This process as a holder: "host boot-id pid start-time". */
const char *dd_claim_owner          (void);

/* Whether work held by @owner, last heard of at @heartbeat_at (UTC ISO 8601, or NULL), is
 * left behind at @now (Unix seconds): no holder (work of before schema 25); this very process
 * (a dispatcher that stopped: the one that asks is its successor); a process of this computer
 * that is no longer running; or a holder elsewhere not heard of for @lease_seconds. */
gboolean    dd_claim_is_abandoned   (const char *owner,
                                     const char *heartbeat_at,
                                     gint64      now,
                                     guint       lease_seconds);

/* Takes over, as this desk's claim, the row @id that @previous_owner (NULL or "": nobody) held
 * and left: runs @update, "UPDATE … SET claimed_by = ?[, <time column> = ?] WHERE <key> = ?
 * AND <the claimed state> AND coalesce (claimed_by, '') = ?", with @now as the time where it
 * is not NULL. *@out_taken: whether the row is this desk's now (FALSE: another desk took it
 * over first). The caller holds the transaction. */
gboolean    dd_claim_take_over      (DdDatabase  *database,
                                     const char  *update,
                                     const char  *now,
                                     gint64       id,
                                     const char  *previous_owner,
                                     gboolean    *out_taken,
                                     GError     **error);

G_END_DECLS
