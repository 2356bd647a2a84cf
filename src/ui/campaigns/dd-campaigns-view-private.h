/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-campaign-store.h"
#include "dd-campaigns-view.h"

G_BEGIN_DECLS

/* For the tests: the rows (AdwActionRow, newest campaign first) and the actions of their
 * buttons (Cancel without its confirmation dialog). */
GPtrArray *_dd_campaigns_view_get_rows   (DdCampaignsView  *self);
/* The banner of a campaign the provider's refusal paused (its buttons: "fix_button" opens
 * Preferences on the SMS page, "resume_button"), or NULL when hidden. */
AdwActionRow *_dd_campaigns_view_get_pause_banner (DdCampaignsView *self);
gboolean   _dd_campaigns_view_set_state  (DdCampaignsView  *self,
                                          gint64            campaign_id,
                                          DdCampaignState   state,
                                          GError          **error);

/* The Test Inbox's Reply…: the test provider passes @text on as a reply from @e164. */
gboolean   _dd_campaigns_view_simulate_reply (DdCampaignsView  *self,
                                              const char       *e164,
                                              const char       *text,
                                              GError          **error);

G_END_DECLS
