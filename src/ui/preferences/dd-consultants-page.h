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

G_END_DECLS
