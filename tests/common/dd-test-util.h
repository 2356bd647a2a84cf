/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "dd-database.h"

G_BEGIN_DECLS

/*
 * What many tests need: the main loop for a while or until something happened, a free port on
 * 127.0.0.1, a program on the PATH, a screenshot of the (Xvfb) screen, a throw-away office.
 */

/* Runs the default main context for @milliseconds. */
void      dd_test_iterate_for     (guint          milliseconds);
/* Runs the default main context until @done (@data) or @timeout_ms; returns whether @done. */
gboolean  dd_test_wait_until      (gboolean     (*done) (gpointer data),
                                   gpointer       data,
                                   guint          timeout_ms);
/* A GAsyncReadyCallback that keeps a reference to the result in the GAsyncResult * that
 * @slot points to; dd_test_wait_result() runs the default main context until it is there. */
void          dd_test_keep_result (GObject       *source,
                                   GAsyncResult  *result,
                                   gpointer       slot);
GAsyncResult *dd_test_wait_result (GAsyncResult **slot);
/* A port on 127.0.0.1 that nothing listens on just now, for UDP or TCP. */
guint     dd_test_free_port       (GSocketProtocol protocol);
gboolean  dd_test_have_program    (const char    *name);
/* Removes a folder and everything in it (asserting that it can). */
void      dd_test_remove_tree     (const char    *path);
/* Saves the screen as <builddir>/<prefix>-<name>.png when a display and ImageMagick's import
 * are there (after letting the window draw); a test artifact, never a failure. */
void      dd_test_save_screenshot (const char    *prefix,
                                   const char    *name);

/* The single number a query answers (asserting that it does). */
gint64    dd_test_query_int       (DdDatabase    *database,
                                   const char    *sql);
/* The first column of the first row as text (a copy), or NULL when there is no row. */
char     *dd_test_query_text      (DdDatabase    *database,
                                   const char    *sql);

/* DdContext lives in the UI (src/ui); dd_test_office_new_with_context (dd-test-ui.h) fills the
 * last three fields. */
typedef struct _DdContext DdContext;

/* A database file of its own in a temporary folder, removed with it. */
typedef struct
{
  char             *dir;
  char             *path;
  DdDatabase       *database;
  GSettingsBackend *backend;    /* memory settings, or NULL */
  GSettings        *settings;
  DdContext        *context;    /* or NULL */
} DdTestOffice;

DdTestOffice *dd_test_office_new         (const char    *name);
/* Checks that nothing else holds the context and the database any more (when they are still
 * there), then removes the folder. */
void          dd_test_office_free        (DdTestOffice  *office);
/* Imports a demo export of @n_debtors debtors (dd-demo-office, @locale "pl"/"ru"/…, @seed). */
void          dd_test_office_import_demo (DdTestOffice  *office,
                                          guint          n_debtors,
                                          const char    *locale,
                                          guint          seed);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdTestOffice, dd_test_office_free)

G_END_DECLS
