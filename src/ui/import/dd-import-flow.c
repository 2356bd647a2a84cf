/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-import-flow"

#include "config.h"

#include "dd-import-flow.h"

static gboolean
task_ended_badly (DdImportTaskState state)
{
  return state == DD_IMPORT_TASK_FAILED || state == DD_IMPORT_TASK_CANCELLED;
}

void
dd_import_flow_init (DdImportFlow *flow,
                     gboolean      has_file)
{
  g_return_if_fail (flow != NULL);

  *flow = (DdImportFlow) { 0 };
  flow->step = has_file ? DD_IMPORT_STEP_PREVIEW : DD_IMPORT_STEP_FILE;
  flow->has_file = has_file;
  flow->preview = DD_IMPORT_TASK_IDLE;
  flow->check = DD_IMPORT_TASK_IDLE;
  flow->import = DD_IMPORT_TASK_IDLE;
}

gboolean
dd_import_flow_can_go_back (const DdImportFlow *flow)
{
  switch (flow->step)
    {
    case DD_IMPORT_STEP_PREVIEW:
      return flow->preview != DD_IMPORT_TASK_RUNNING;
    case DD_IMPORT_STEP_COLUMNS:
    case DD_IMPORT_STEP_CHECK:
      return TRUE;
    case DD_IMPORT_STEP_IMPORT:
      return task_ended_badly (flow->import);
    case DD_IMPORT_STEP_FILE:
    case DD_IMPORT_STEP_DONE:
    case DD_N_IMPORT_STEPS:
    default:
      return FALSE;
    }
}

gboolean
dd_import_flow_can_go_next (const DdImportFlow *flow)
{
  switch (flow->step)
    {
    case DD_IMPORT_STEP_FILE:
    case DD_IMPORT_STEP_PREVIEW:
      return flow->has_file && flow->preview == DD_IMPORT_TASK_DONE;
    case DD_IMPORT_STEP_COLUMNS:
      return flow->preview == DD_IMPORT_TASK_DONE && flow->n_missing == 0;
    case DD_IMPORT_STEP_CHECK:
      return flow->check == DD_IMPORT_TASK_DONE && flow->n_importable > 0;
    case DD_IMPORT_STEP_IMPORT:
    case DD_IMPORT_STEP_DONE:
    case DD_N_IMPORT_STEPS:
    default:
      return FALSE;
    }
}

gboolean
dd_import_flow_next_is_import (const DdImportFlow *flow)
{
  return flow->step == DD_IMPORT_STEP_CHECK;
}

gboolean
dd_import_flow_is_busy (const DdImportFlow *flow)
{
  return flow->check == DD_IMPORT_TASK_RUNNING || flow->import == DD_IMPORT_TASK_RUNNING;
}

gboolean
dd_import_flow_accepts_file (const DdImportFlow *flow)
{
  switch (flow->step)
    {
    case DD_IMPORT_STEP_FILE:
    case DD_IMPORT_STEP_PREVIEW:
    case DD_IMPORT_STEP_COLUMNS:
      return flow->preview != DD_IMPORT_TASK_RUNNING;
    case DD_IMPORT_STEP_CHECK:
      return flow->check != DD_IMPORT_TASK_RUNNING;
    case DD_IMPORT_STEP_IMPORT:
    case DD_IMPORT_STEP_DONE:
    case DD_N_IMPORT_STEPS:
    default:
      return FALSE;
    }
}

gboolean
dd_import_flow_shows_problem (const DdImportFlow *flow)
{
  switch (flow->step)
    {
    case DD_IMPORT_STEP_PREVIEW:
      return flow->preview == DD_IMPORT_TASK_FAILED;
    case DD_IMPORT_STEP_CHECK:
      return task_ended_badly (flow->check);
    case DD_IMPORT_STEP_IMPORT:
      return task_ended_badly (flow->import);
    case DD_IMPORT_STEP_FILE:
    case DD_IMPORT_STEP_COLUMNS:
    case DD_IMPORT_STEP_DONE:
    case DD_N_IMPORT_STEPS:
    default:
      return FALSE;
    }
}

gboolean
dd_import_flow_needs_check (const DdImportFlow *flow)
{
  return flow->step == DD_IMPORT_STEP_CHECK && flow->check == DD_IMPORT_TASK_IDLE;
}

gboolean
dd_import_flow_next (DdImportFlow *flow)
{
  g_return_val_if_fail (flow != NULL, FALSE);

  if (!dd_import_flow_can_go_next (flow))
    return FALSE;

  /* the steps follow each other in the enum; the real run starts afresh */
  flow->step++;
  if (flow->step == DD_IMPORT_STEP_IMPORT)
    flow->import = DD_IMPORT_TASK_IDLE;

  return TRUE;
}

gboolean
dd_import_flow_back (DdImportFlow *flow)
{
  g_return_val_if_fail (flow != NULL, FALSE);

  if (!dd_import_flow_can_go_back (flow))
    return FALSE;

  /* a running or failed dry run is forgotten; a finished one stays valid until the mapping
   * or the options change */
  if (flow->step == DD_IMPORT_STEP_CHECK && flow->check != DD_IMPORT_TASK_DONE)
    flow->check = DD_IMPORT_TASK_IDLE;
  /* nothing was changed by leaving the real run: the dry run still describes the database */
  if (flow->step == DD_IMPORT_STEP_IMPORT)
    flow->import = DD_IMPORT_TASK_IDLE;
  flow->step--;

  return TRUE;
}

gboolean
dd_import_flow_file_chosen (DdImportFlow *flow)
{
  g_return_val_if_fail (flow != NULL, FALSE);

  if (!dd_import_flow_accepts_file (flow))
    return FALSE;

  flow->step = DD_IMPORT_STEP_PREVIEW;
  flow->has_file = TRUE;
  flow->preview = DD_IMPORT_TASK_IDLE;
  flow->n_missing = 0;
  flow->check = DD_IMPORT_TASK_IDLE;
  flow->n_importable = 0;
  flow->import = DD_IMPORT_TASK_IDLE;

  return TRUE;
}

void
dd_import_flow_preview_started (DdImportFlow *flow)
{
  g_return_if_fail (flow != NULL && flow->has_file);

  flow->preview = DD_IMPORT_TASK_RUNNING;
  flow->check = DD_IMPORT_TASK_IDLE;
}

void
dd_import_flow_preview_finished (DdImportFlow *flow,
                                 gboolean      success)
{
  g_return_if_fail (flow != NULL);

  flow->preview = success ? DD_IMPORT_TASK_DONE : DD_IMPORT_TASK_FAILED;
  flow->check = DD_IMPORT_TASK_IDLE;
}

void
dd_import_flow_mapping_changed (DdImportFlow *flow,
                                guint         n_missing)
{
  g_return_if_fail (flow != NULL);

  flow->n_missing = n_missing;
  flow->check = DD_IMPORT_TASK_IDLE;
}

void
dd_import_flow_options_changed (DdImportFlow *flow)
{
  g_return_if_fail (flow != NULL);

  flow->check = DD_IMPORT_TASK_IDLE;
}

void
dd_import_flow_check_started (DdImportFlow *flow)
{
  g_return_if_fail (flow != NULL);
  g_return_if_fail (flow->step == DD_IMPORT_STEP_CHECK);

  flow->check = DD_IMPORT_TASK_RUNNING;
  flow->n_importable = 0;
}

void
dd_import_flow_check_finished (DdImportFlow      *flow,
                               DdImportTaskState  result,
                               guint64            n_importable)
{
  g_return_if_fail (flow != NULL);
  g_return_if_fail (result != DD_IMPORT_TASK_RUNNING);

  flow->check = result;
  flow->n_importable = result == DD_IMPORT_TASK_DONE ? n_importable : 0;
}

void
dd_import_flow_import_started (DdImportFlow *flow)
{
  g_return_if_fail (flow != NULL);
  g_return_if_fail (flow->step == DD_IMPORT_STEP_IMPORT);

  flow->import = DD_IMPORT_TASK_RUNNING;
}

gboolean
dd_import_flow_import_finished (DdImportFlow      *flow,
                                DdImportTaskState  result)
{
  g_return_val_if_fail (flow != NULL, FALSE);
  g_return_val_if_fail (result != DD_IMPORT_TASK_RUNNING, FALSE);

  flow->import = result;
  if (result == DD_IMPORT_TASK_DONE && flow->step == DD_IMPORT_STEP_IMPORT)
    {
      flow->step = DD_IMPORT_STEP_DONE;
      return TRUE;
    }

  return FALSE;
}
