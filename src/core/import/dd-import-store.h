/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-store.h"

G_BEGIN_DECLS

#define DD_TYPE_IMPORT_STORE (dd_import_store_get_type ())
DD_DECLARE_STORE (DdImportStore, dd_import_store, IMPORT_STORE)

gboolean       dd_import_store_begin_run    (DdImportStore  *self,
                                             const char     *file_name,
                                             const char     *encoding,
                                             const char     *delimiter,
                                             gint64         *out_run_id,
                                             GError        **error);
gboolean       dd_import_store_finish_run   (DdImportStore  *self,
                                             gint64          run_id,
                                             const char     *summary_json,
                                             GError        **error);

/* Column-mapping presets: @mapping_json is an object {"field": "Column header", …}. */
gboolean       dd_import_store_save_preset  (DdImportStore  *self,
                                             const char     *name,
                                             const char     *mapping_json,
                                             GError        **error);
/* Returns NULL without error when there is no such preset. */
char          *dd_import_store_load_preset  (DdImportStore  *self,
                                             const char     *name,
                                             GError        **error);
GStrv          dd_import_store_list_presets (DdImportStore  *self,
                                             GError        **error);
gboolean       dd_import_store_delete_preset (DdImportStore *self,
                                              const char    *name,
                                              GError       **error);

G_END_DECLS
