/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dd-context.h"

G_BEGIN_DECLS

/*
 * DdMailScheduler: while the window is open, sends the e-mail summaries the settings ask for
 * (after each completed campaign, weekly) and retries those that failed: a minute after the
 * start, a second after the context's "campaign-completed" (the summary of a campaign this
 * desk completed goes out at once), then every quarter of an hour (campaigns another desk
 * completed, retries), in a worker thread with its own connection
 * (dd_mail_queue_due + dd_mail_outbox_flush). Nothing happens while no server is set up.
 */
#define DD_TYPE_MAIL_SCHEDULER (dd_mail_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (DdMailScheduler, dd_mail_scheduler, DD, MAIL_SCHEDULER, GObject)

DdMailScheduler *dd_mail_scheduler_new   (DdContext       *context);
/* Checks now (tests; the timer does it by itself). */
void             dd_mail_scheduler_check (DdMailScheduler *self);

G_END_DECLS
