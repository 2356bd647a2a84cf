/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-ivr-flows-view.h"

G_BEGIN_DECLS

/* For the tests: the list of stored flows (rows carry the flow's name as "dd-name"). */
GtkListBox *_dd_ivr_flows_view_get_list (DdIvrFlowsView *self);

G_END_DECLS
