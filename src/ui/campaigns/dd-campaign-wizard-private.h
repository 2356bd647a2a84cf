/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-campaign-flow.h"
#include "dd-campaign-wizard.h"
#include "dd-outbox.h"

G_BEGIN_DECLS

/* For the tests: the flow, and waiting for the audience count to finish. */
const DdCampaignFlow *_dd_campaign_wizard_get_flow     (DdCampaignWizard *self);
gboolean              _dd_campaign_wizard_is_counting  (DdCampaignWizard *self);
/* Sets the message text as if typed. */
void                  _dd_campaign_wizard_set_template (DdCampaignWizard *self,
                                                        const char       *text);
/* The id of the campaign created by Start (0 before). */
gint64                _dd_campaign_wizard_get_campaign_id (DdCampaignWizard *self);
/* The review step's dry run of the contact policy. */
void                  _dd_campaign_wizard_get_plan (DdCampaignWizard    *self,
                                                    DdContactPlanCounts *out_plan);

/* The review step's dry run of a voice campaign. */
void                  _dd_campaign_wizard_get_voice_plan (DdCampaignWizard    *self,
                                                          DdCampaignVoicePlan *out_plan);

/* What choosing a recording for the prompt of node @node_id does (NULL: speak it again). */
void                  _dd_campaign_wizard_set_recording  (DdCampaignWizard    *self,
                                                          const char          *node_id,
                                                          const char          *path);
/* The test call to the user's phone while it is on the line (Call Me), or NULL. */
DdCall               *_dd_campaign_wizard_get_test_call  (DdCampaignWizard    *self);

G_END_DECLS
