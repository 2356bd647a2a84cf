/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-case-query.h"
#include "dd-database.h"
#include "dd-store.h"

G_BEGIN_DECLS

/* Named case filters for the sidebar (table saved_filter; the query as JSON). */

#define DD_SAVED_FILTER_ERROR (dd_saved_filter_error_quark ())

typedef enum
{
  DD_SAVED_FILTER_ERROR_NOT_FOUND,
  DD_SAVED_FILTER_ERROR_EXISTS,       /* another filter has that name */
  DD_SAVED_FILTER_ERROR_INVALID_NAME, /* empty */
} DdSavedFilterError;

GQuark dd_saved_filter_error_quark (void);

typedef struct
{
  gint64       id;
  char        *name;
  DdCaseQuery *query;   /* a filter whose JSON cannot be read comes with the default query */
  char        *created_at;
} DdSavedFilter;

void dd_saved_filter_free (DdSavedFilter *filter);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdSavedFilter, dd_saved_filter_free)

#define DD_TYPE_SAVED_FILTER_STORE (dd_saved_filter_store_get_type ())
DD_DECLARE_STORE (DdSavedFilterStore, dd_saved_filter_store, SAVED_FILTER_STORE)
/* All filters, by name (GPtrArray of DdSavedFilter). */
GPtrArray          *dd_saved_filter_store_list   (DdSavedFilterStore  *self,
                                                  GError             **error);
DdSavedFilter      *dd_saved_filter_store_get    (DdSavedFilterStore  *self,
                                                  gint64               id,
                                                  GError             **error);
/* Adds a filter named @name (leading/trailing spaces dropped). */
gboolean            dd_saved_filter_store_save   (DdSavedFilterStore  *self,
                                                  const char          *name,
                                                  const DdCaseQuery   *query,
                                                  gint64              *out_id,
                                                  GError             **error);
/* Replaces the query of filter @id. */
gboolean            dd_saved_filter_store_update (DdSavedFilterStore  *self,
                                                  gint64               id,
                                                  const DdCaseQuery   *query,
                                                  GError             **error);
gboolean            dd_saved_filter_store_rename (DdSavedFilterStore  *self,
                                                  gint64               id,
                                                  const char          *name,
                                                  GError             **error);
gboolean            dd_saved_filter_store_delete (DdSavedFilterStore  *self,
                                                  gint64               id,
                                                  GError             **error);

G_END_DECLS
