/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-import-flow"

#include "config.h"

#include "dd-import-flow.h"

/* A file given up front: straight to the preview, which must load before Next. */
static void
test_flow_with_file (void)
{
  DdImportFlow flow;

  dd_import_flow_init (&flow, TRUE);
  g_assert_cmpint (flow.step, ==, DD_IMPORT_STEP_PREVIEW);
  g_assert_false (dd_import_flow_can_go_next (&flow));
  g_assert_true (dd_import_flow_can_go_back (&flow));

  dd_import_flow_preview_started (&flow);
  g_assert_false (dd_import_flow_can_go_next (&flow));
  g_assert_false (dd_import_flow_can_go_back (&flow));
  g_assert_false (dd_import_flow_accepts_file (&flow));
  dd_import_flow_preview_finished (&flow, TRUE);
  g_assert_true (dd_import_flow_can_go_next (&flow));
  g_assert_false (dd_import_flow_next_is_import (&flow));
}

static void
test_flow_without_file (void)
{
  DdImportFlow flow;

  dd_import_flow_init (&flow, FALSE);
  g_assert_cmpint (flow.step, ==, DD_IMPORT_STEP_FILE);
  g_assert_false (dd_import_flow_can_go_next (&flow));
  g_assert_false (dd_import_flow_can_go_back (&flow));
  g_assert_false (dd_import_flow_next (&flow));
  g_assert_false (dd_import_flow_back (&flow));
  g_assert_true (dd_import_flow_accepts_file (&flow));

  g_assert_true (dd_import_flow_file_chosen (&flow));
  g_assert_cmpint (flow.step, ==, DD_IMPORT_STEP_PREVIEW);
  dd_import_flow_preview_started (&flow);
  dd_import_flow_preview_finished (&flow, TRUE);

  /* back to the file page, and Next returns to the loaded preview */
  g_assert_true (dd_import_flow_back (&flow));
  g_assert_cmpint (flow.step, ==, DD_IMPORT_STEP_FILE);
  g_assert_true (dd_import_flow_can_go_next (&flow));
  g_assert_true (dd_import_flow_next (&flow));
  g_assert_cmpint (flow.step, ==, DD_IMPORT_STEP_PREVIEW);
}

static void
test_flow_preview_fails (void)
{
  DdImportFlow flow;

  dd_import_flow_init (&flow, TRUE);
  dd_import_flow_preview_started (&flow);
  dd_import_flow_preview_finished (&flow, FALSE);
  g_assert_true (dd_import_flow_shows_problem (&flow));
  g_assert_false (dd_import_flow_can_go_next (&flow));
  /* the way back */
  g_assert_true (dd_import_flow_back (&flow));
  g_assert_cmpint (flow.step, ==, DD_IMPORT_STEP_FILE);
  g_assert_false (dd_import_flow_can_go_next (&flow));
  g_assert_false (dd_import_flow_shows_problem (&flow));
}

/* Walks to the check step with a complete mapping. */
static void
walk_to_check (DdImportFlow *flow)
{
  dd_import_flow_init (flow, TRUE);
  dd_import_flow_preview_started (flow);
  dd_import_flow_preview_finished (flow, TRUE);
  g_assert_true (dd_import_flow_next (flow));
  g_assert_cmpint (flow->step, ==, DD_IMPORT_STEP_COLUMNS);
  dd_import_flow_mapping_changed (flow, 0);
  g_assert_true (dd_import_flow_next (flow));
  g_assert_cmpint (flow->step, ==, DD_IMPORT_STEP_CHECK);
}

static void
test_flow_mapping_gates_next (void)
{
  DdImportFlow flow;

  dd_import_flow_init (&flow, TRUE);
  dd_import_flow_preview_started (&flow);
  dd_import_flow_preview_finished (&flow, TRUE);
  g_assert_true (dd_import_flow_next (&flow));
  dd_import_flow_mapping_changed (&flow, 2);
  g_assert_false (dd_import_flow_can_go_next (&flow));
  g_assert_false (dd_import_flow_next (&flow));
  g_assert_cmpint (flow.step, ==, DD_IMPORT_STEP_COLUMNS);
  dd_import_flow_mapping_changed (&flow, 0);
  g_assert_true (dd_import_flow_can_go_next (&flow));
}

static void
test_flow_check (void)
{
  DdImportFlow flow;

  walk_to_check (&flow);
  g_assert_true (dd_import_flow_needs_check (&flow));
  g_assert_true (dd_import_flow_next_is_import (&flow));
  g_assert_false (dd_import_flow_can_go_next (&flow));

  dd_import_flow_check_started (&flow);
  g_assert_false (dd_import_flow_needs_check (&flow));
  g_assert_true (dd_import_flow_is_busy (&flow));
  g_assert_false (dd_import_flow_can_go_next (&flow));
  g_assert_false (dd_import_flow_accepts_file (&flow));

  dd_import_flow_check_finished (&flow, DD_IMPORT_TASK_DONE, 0);
  g_assert_false (dd_import_flow_is_busy (&flow));
  /* nothing to import: no Import */
  g_assert_false (dd_import_flow_can_go_next (&flow));

  /* an option changes: check again */
  dd_import_flow_options_changed (&flow);
  g_assert_true (dd_import_flow_needs_check (&flow));
  dd_import_flow_check_started (&flow);
  dd_import_flow_check_finished (&flow, DD_IMPORT_TASK_DONE, 12);
  g_assert_true (dd_import_flow_can_go_next (&flow));

  /* back and forth without changes keeps the result */
  g_assert_true (dd_import_flow_back (&flow));
  g_assert_true (dd_import_flow_next (&flow));
  g_assert_false (dd_import_flow_needs_check (&flow));

  /* a changed mapping does not */
  g_assert_true (dd_import_flow_back (&flow));
  dd_import_flow_mapping_changed (&flow, 0);
  g_assert_true (dd_import_flow_next (&flow));
  g_assert_true (dd_import_flow_needs_check (&flow));
}

static void
test_flow_check_fails_or_is_left (void)
{
  DdImportFlow flow;

  walk_to_check (&flow);
  dd_import_flow_check_started (&flow);
  dd_import_flow_check_finished (&flow, DD_IMPORT_TASK_FAILED, 0);
  g_assert_true (dd_import_flow_shows_problem (&flow));
  g_assert_false (dd_import_flow_can_go_next (&flow));
  g_assert_true (dd_import_flow_back (&flow));
  g_assert_cmpint (flow.step, ==, DD_IMPORT_STEP_COLUMNS);
  g_assert_cmpint (flow.check, ==, DD_IMPORT_TASK_IDLE);

  /* leaving while the dry run runs forgets it */
  g_assert_true (dd_import_flow_next (&flow));
  dd_import_flow_check_started (&flow);
  g_assert_true (dd_import_flow_can_go_back (&flow));
  g_assert_true (dd_import_flow_back (&flow));
  g_assert_cmpint (flow.check, ==, DD_IMPORT_TASK_IDLE);
  g_assert_false (dd_import_flow_is_busy (&flow));
}

static void
test_flow_import (void)
{
  DdImportFlow flow;

  walk_to_check (&flow);
  dd_import_flow_check_started (&flow);
  dd_import_flow_check_finished (&flow, DD_IMPORT_TASK_DONE, 3);
  g_assert_true (dd_import_flow_next (&flow));
  g_assert_cmpint (flow.step, ==, DD_IMPORT_STEP_IMPORT);
  dd_import_flow_import_started (&flow);
  g_assert_true (dd_import_flow_is_busy (&flow));
  g_assert_false (dd_import_flow_can_go_back (&flow));
  g_assert_false (dd_import_flow_can_go_next (&flow));
  g_assert_false (dd_import_flow_accepts_file (&flow));

  g_assert_true (dd_import_flow_import_finished (&flow, DD_IMPORT_TASK_DONE));
  g_assert_cmpint (flow.step, ==, DD_IMPORT_STEP_DONE);
  g_assert_false (dd_import_flow_is_busy (&flow));
  g_assert_false (dd_import_flow_can_go_back (&flow));
  g_assert_false (dd_import_flow_can_go_next (&flow));
  g_assert_false (dd_import_flow_accepts_file (&flow));
}

static void
test_flow_import_cancelled (void)
{
  DdImportFlow flow;

  walk_to_check (&flow);
  dd_import_flow_check_started (&flow);
  dd_import_flow_check_finished (&flow, DD_IMPORT_TASK_DONE, 3);
  g_assert_true (dd_import_flow_next (&flow));
  dd_import_flow_import_started (&flow);
  g_assert_false (dd_import_flow_import_finished (&flow, DD_IMPORT_TASK_CANCELLED));
  g_assert_cmpint (flow.step, ==, DD_IMPORT_STEP_IMPORT);
  g_assert_true (dd_import_flow_shows_problem (&flow));
  g_assert_false (dd_import_flow_is_busy (&flow));

  /* back to the (still valid) check, and the import can start again */
  g_assert_true (dd_import_flow_back (&flow));
  g_assert_cmpint (flow.step, ==, DD_IMPORT_STEP_CHECK);
  g_assert_false (dd_import_flow_needs_check (&flow));
  g_assert_true (dd_import_flow_can_go_next (&flow));
}

static void
test_flow_new_file_resets (void)
{
  DdImportFlow flow;

  walk_to_check (&flow);
  dd_import_flow_check_started (&flow);
  dd_import_flow_check_finished (&flow, DD_IMPORT_TASK_DONE, 3);
  g_assert_true (dd_import_flow_file_chosen (&flow));
  g_assert_cmpint (flow.step, ==, DD_IMPORT_STEP_PREVIEW);
  g_assert_cmpint (flow.check, ==, DD_IMPORT_TASK_IDLE);
  g_assert_cmpint (flow.preview, ==, DD_IMPORT_TASK_IDLE);
  g_assert_false (dd_import_flow_can_go_next (&flow));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/import-flow/with-file", test_flow_with_file);
  g_test_add_func ("/dd/import-flow/without-file", test_flow_without_file);
  g_test_add_func ("/dd/import-flow/preview-fails", test_flow_preview_fails);
  g_test_add_func ("/dd/import-flow/mapping-gates-next", test_flow_mapping_gates_next);
  g_test_add_func ("/dd/import-flow/check", test_flow_check);
  g_test_add_func ("/dd/import-flow/check-fails-or-is-left", test_flow_check_fails_or_is_left);
  g_test_add_func ("/dd/import-flow/import", test_flow_import);
  g_test_add_func ("/dd/import-flow/import-cancelled", test_flow_import_cancelled);
  g_test_add_func ("/dd/import-flow/new-file-resets", test_flow_new_file_resets);

  return g_test_run ();
}
