/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-database.h"
#include "dd-sms-gateway.h"

G_BEGIN_DECLS

/*
 * Number look-ups (HLR) through the provider, recorded on the phones and in the cases'
 * timelines (dd_case_store_record_hlr): invalid numbers are marked not valid, so campaigns and
 * calls skip them. At most four look-ups at once; cancellable; progress after each number.
 */

typedef void (*DdNumberChecksProgress) (guint    done,
                                        guint    total,
                                        gpointer user_data);

typedef struct
{
  guint checked;
  guint dead;          /* invalid or unreachable */
  guint failed;        /* the look-up itself failed */
} DdNumberChecksResult;

void     dd_number_checks_run_async  (DdDatabase             *database,
                                      DdSmsGateway           *gateway,
                                      const char *const      *numbers,
                                      gint64                  agent_id,
                                      DdNumberChecksProgress  progress,
                                      gpointer                progress_data,
                                      GCancellable           *cancellable,
                                      GAsyncReadyCallback     callback,
                                      gpointer                user_data);
gboolean dd_number_checks_run_finish (GAsyncResult           *result,
                                      DdNumberChecksResult   *out_result,
                                      GError                **error);

G_END_DECLS
