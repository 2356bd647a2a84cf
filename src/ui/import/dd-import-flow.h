/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * DdImportFlow: the steps of the import assistant as a plain struct with pure transition
 * functions (STYLE.md, "Wizard"). No GTK here: the assistant shows what the flow says and
 * tells the flow what happened; tests/unit/test-import-flow.c walks it without widgets.
 */

typedef enum
{
  DD_IMPORT_STEP_FILE,       /* choose or drop a CSV file */
  DD_IMPORT_STEP_PREVIEW,    /* first rows, encoding, delimiter, header */
  DD_IMPORT_STEP_COLUMNS,    /* which column holds what */
  DD_IMPORT_STEP_CHECK,      /* dry run and its summary */
  DD_IMPORT_STEP_IMPORT,     /* the real run with progress */
  DD_IMPORT_STEP_DONE,       /* result */
  DD_N_IMPORT_STEPS
} DdImportStep;

typedef enum
{
  DD_IMPORT_TASK_IDLE,       /* not started, or its result is out of date */
  DD_IMPORT_TASK_RUNNING,
  DD_IMPORT_TASK_DONE,
  DD_IMPORT_TASK_FAILED,
  DD_IMPORT_TASK_CANCELLED,
} DdImportTaskState;

typedef struct
{
  DdImportStep      step;
  gboolean          has_file;
  DdImportTaskState preview;        /* reading the first rows */
  guint             n_missing;      /* required fields without a column */
  DdImportTaskState check;          /* the dry run */
  guint64           n_importable;   /* rows the dry run would import */
  DdImportTaskState import;         /* the real run */
} DdImportFlow;

void      dd_import_flow_init             (DdImportFlow       *flow,
                                           gboolean            has_file);

/* What the header bar offers. */
gboolean  dd_import_flow_can_go_back      (const DdImportFlow *flow);
gboolean  dd_import_flow_can_go_next      (const DdImportFlow *flow);
/* The step after this one starts the real import ("Import" instead of "Next"). */
gboolean  dd_import_flow_next_is_import   (const DdImportFlow *flow);
/* A dry run or import is under way: closing must cancel it (and ask for the import). */
gboolean  dd_import_flow_is_busy          (const DdImportFlow *flow);
/* A file may be opened or dropped now. */
gboolean  dd_import_flow_accepts_file     (const DdImportFlow *flow);
/* The current step shows a failure (its task failed or was cancelled) instead of content. */
gboolean  dd_import_flow_shows_problem    (const DdImportFlow *flow);
/* The check step is shown and its dry run must be (re)started. */
gboolean  dd_import_flow_needs_check      (const DdImportFlow *flow);

/* Transitions; each returns TRUE when the step changed. */
gboolean  dd_import_flow_next             (DdImportFlow       *flow);
gboolean  dd_import_flow_back             (DdImportFlow       *flow);

/* Events. */
gboolean  dd_import_flow_file_chosen      (DdImportFlow       *flow);
void      dd_import_flow_preview_started  (DdImportFlow       *flow);
void      dd_import_flow_preview_finished (DdImportFlow       *flow,
                                           gboolean            success);
void      dd_import_flow_mapping_changed  (DdImportFlow       *flow,
                                           guint               n_missing);
void      dd_import_flow_options_changed  (DdImportFlow       *flow);
void      dd_import_flow_check_started    (DdImportFlow       *flow);
void      dd_import_flow_check_finished   (DdImportFlow       *flow,
                                           DdImportTaskState   result,
                                           guint64             n_importable);
void      dd_import_flow_import_started   (DdImportFlow       *flow);
gboolean  dd_import_flow_import_finished  (DdImportFlow       *flow,
                                           DdImportTaskState   result);

G_END_DECLS
