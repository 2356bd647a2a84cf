/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-context.h"

G_BEGIN_DECLS

#define DD_TYPE_CAMPAIGNS_VIEW (dd_campaigns_view_get_type ())
G_DECLARE_FINAL_TYPE (DdCampaignsView, dd_campaigns_view, DD, CAMPAIGNS_VIEW, GtkWidget)

/* The Campaigns section: every campaign with its live progress (queued, sent, delivered,
 * failed, replies) and Pause / Resume / Cancel. Emits "new-campaign-requested" for the
 * New Campaign… buttons. */
GtkWidget *dd_campaigns_view_new    (DdContext       *context);
/* Reads the campaigns and their counts again (also done every two seconds while shown). */
void       dd_campaigns_view_reload (DdCampaignsView *self);

G_END_DECLS
