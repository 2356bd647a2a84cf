/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The IANA zone names of tzdata ("Europe/Warsaw"), sorted, after "" for the default; @current
 * is included even when tzdata lacks it. */
GPtrArray *dd_time_zone_names (const char *current);

G_END_DECLS
