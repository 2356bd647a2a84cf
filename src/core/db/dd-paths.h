/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* $XDG_DATA_HOME/dunning-desk: the office database, backups, prompts. */
char *dd_paths_get_data_dir         (void);
/* $XDG_DATA_HOME/dunning-desk/office.db */
char *dd_paths_get_default_database (void);

G_END_DECLS
