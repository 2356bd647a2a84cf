/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-case-query.h"
#include "dd-context.h"

G_BEGIN_DECLS

#define DD_TYPE_CAMPAIGN_WIZARD (dd_campaign_wizard_get_type ())
G_DECLARE_FINAL_TYPE (DdCampaignWizard, dd_campaign_wizard, DD, CAMPAIGN_WIZARD, AdwWindow)

/* The campaign wizard: audience → channel → message → schedule → review. @query (may be
 * NULL) is offered first as "the cases shown in the list". Emits "campaign-started" with
 * the new campaign's id. */
DdCampaignWizard *dd_campaign_wizard_new (GtkWindow         *parent,
                                          DdContext         *context,
                                          const DdCaseQuery *query);
/* The page of the help about the campaign being made: voice or text messages. */
const char       *dd_campaign_wizard_get_help_page (DdCampaignWizard *self);

G_END_DECLS
