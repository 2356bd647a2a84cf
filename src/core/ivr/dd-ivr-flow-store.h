/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-database.h"
#include "dd-store.h"

G_BEGIN_DECLS

/*
 * Call flows in the database (table ivr_flow): every save of a name adds a new version
 * (1, 2, …); nothing is overwritten, so a campaign keeps the version it was built with.
 * The store keeps the flow's JSON text as given (see dd-ivr-flow.h for its shape) and only
 * checks that it is a JSON object.
 */

#define DD_IVR_FLOW_STORE_ERROR (dd_ivr_flow_store_error_quark ())

typedef enum
{
  DD_IVR_FLOW_STORE_ERROR_NOT_FOUND,
  DD_IVR_FLOW_STORE_ERROR_INVALID_NAME,  /* empty */
  DD_IVR_FLOW_STORE_ERROR_INVALID_JSON,  /* not a JSON object */
} DdIvrFlowStoreError;

GQuark dd_ivr_flow_store_error_quark (void);

typedef struct
{
  gint64  id;          /* the row: one version of one flow */
  char   *name;
  gint64  version;
  char   *json;        /* NULL in the lists, which do not read it */
  char   *created_at;  /* UTC ISO 8601 */
  guint   n_versions;  /* in dd_ivr_flow_store_list () only, else 0 */
} DdIvrFlowRecord;

void dd_ivr_flow_record_free (DdIvrFlowRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdIvrFlowRecord, dd_ivr_flow_record_free)

#define DD_TYPE_IVR_FLOW_STORE (dd_ivr_flow_store_get_type ())
DD_DECLARE_STORE (DdIvrFlowStore, dd_ivr_flow_store, IVR_FLOW_STORE)
/* Saves @json as the next version of the flow @name (leading and trailing spaces dropped):
 * version 1 for a new name, else the highest version + 1. */
gboolean         dd_ivr_flow_store_save          (DdIvrFlowStore  *self,
                                                  const char      *name,
                                                  const char      *json,
                                                  gint64          *out_id,
                                                  gint64          *out_version,
                                                  GError         **error);
/* The latest version of every flow, by name (GPtrArray of DdIvrFlowRecord without json). */
GPtrArray       *dd_ivr_flow_store_list          (DdIvrFlowStore  *self,
                                                  GError         **error);
/* All versions of @name, newest first (GPtrArray of DdIvrFlowRecord without json). */
GPtrArray       *dd_ivr_flow_store_list_versions (DdIvrFlowStore  *self,
                                                  const char      *name,
                                                  GError         **error);
/* Version @version of @name, or its latest version when @version is 0 (with json). */
DdIvrFlowRecord *dd_ivr_flow_store_load          (DdIvrFlowStore  *self,
                                                  const char      *name,
                                                  gint64           version,
                                                  GError         **error);
/* The row @id (with json), as campaigns refer to it. */
DdIvrFlowRecord *dd_ivr_flow_store_get           (DdIvrFlowStore  *self,
                                                  gint64           id,
                                                  GError         **error);
/* Whether a flow called @name exists (any version). */
gboolean         dd_ivr_flow_store_exists        (DdIvrFlowStore  *self,
                                                  const char      *name,
                                                  GError         **error);

G_END_DECLS
