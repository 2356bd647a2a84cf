/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-context.h"

G_BEGIN_DECLS

/*
 * Preferences › Consultants: the people who take the dialer's and the queues' calls, and
 * where each one takes them: the headset at this desk, or a desk phone or softphone at its
 * SIP address (agent.sip_uri). Add (a name and an address), edit (name and address, each
 * applied on its own), remove (the user is deactivated: cases and calls keep their name).
 * A wrong address is shown at its row as it is typed and never stored. Only a manager edits.
 *
 * The same page holds the office's inbound line (the SIP account that takes calls, the
 * inbound call flow) and its queues (up to three: name, ring strategy, hold music file,
 * announcements every N seconds, longest wait, then voicemail or a callback request), kept in
 * DdInboundStore; a setting out of its limits is said at the queue and not stored.
 *
 * Signals:
 *   ::consultants-changed ()   a consultant was added, renamed or removed
 */
#define DD_TYPE_CONSULTANTS_PAGE (dd_consultants_page_get_type ())
G_DECLARE_FINAL_TYPE (DdConsultantsPage, dd_consultants_page, DD, CONSULTANTS_PAGE,
                      AdwPreferencesPage)

GtkWidget *dd_consultants_page_new     (DdContext         *context);
/* Reads the consultants again. */
void       dd_consultants_page_reload  (DdConsultantsPage *self);

/* For tests. The consultants' rows (AdwExpanderRow) in the order shown; each carries its
 * agent id ("dd-agent-id"), its name and SIP address entry rows ("dd-name-row",
 * "dd-uri-row"), its inline error label ("dd-error-label") and its Remove button
 * ("dd-remove-button") as object data. */
GPtrArray *_dd_consultants_page_get_rows (DdConsultantsPage *self);
/* Adds a consultant as the Add dialog does; FALSE with the reason shown in the dialog's
 * error label (returned in @out_error_text, owned by the page) when refused. */
gboolean   _dd_consultants_page_add      (DdConsultantsPage *self,
                                          const char        *name,
                                          const char        *sip_uri,
                                          const char       **out_error_text);

/* The queues' rows (AdwExpanderRow) in their order; each carries its queue id
 * ("dd-queue-id", a gint64 *), its name entry ("dd-name-row"), ring and then combo rows
 * ("dd-strategy-row", "dd-on-max-wait-row"), spin buttons ("dd-announce-spin",
 * "dd-max-wait-spin"), inline error label ("dd-error-label") and Remove button
 * ("dd-remove-button") as object data. */
GPtrArray *_dd_consultants_page_get_queue_rows (DdConsultantsPage *self);
/* What the hold music chooser does with a file chosen (@path NULL: the default tune). */
void       _dd_consultants_page_set_hold_music (DdConsultantsPage *self,
                                                GtkWidget         *queue_row,
                                                const char        *path);

G_END_DECLS
