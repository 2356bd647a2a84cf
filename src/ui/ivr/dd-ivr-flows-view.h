/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-context.h"
#include "dd-ivr-editor.h"

G_BEGIN_DECLS

/*
 * DdIvrFlowsView: the "Call Flows" section: the stored flows (latest version of each, with
 * a New Flow menu of templates) next to the editor, in an AdwLeaflet that folds on narrow
 * windows. Activating a flow opens its latest version in the editor; saving refreshes the
 * list.
 */
#define DD_TYPE_IVR_FLOWS_VIEW (dd_ivr_flows_view_get_type ())
G_DECLARE_FINAL_TYPE (DdIvrFlowsView, dd_ivr_flows_view, DD, IVR_FLOWS_VIEW, AdwBin)

GtkWidget   *dd_ivr_flows_view_new        (DdContext      *context);
DdIvrEditor *dd_ivr_flows_view_get_editor (DdIvrFlowsView *self);
/* Reads the list of stored flows again. */
void         dd_ivr_flows_view_reload     (DdIvrFlowsView *self);

G_END_DECLS
