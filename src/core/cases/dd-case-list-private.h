/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-case-list.h"

G_BEGIN_DECLS

/* Filtered queries with more matches than this are ordered by walking the sort index
 * instead of sorting in memory (default 50,000). For tests of both paths. */
void _dd_case_list_set_sort_threshold (DdCaseList *self,
                                       guint       threshold);

G_END_DECLS
