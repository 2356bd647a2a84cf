/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-test-util.h"

#include "dd-demo-office.h"
#include "dd-test-db.h"
#include "dd-importer.h"

#include <glib/gstdio.h>

void
dd_test_iterate_for (guint milliseconds)
{
  gint64 end = g_get_monotonic_time () + milliseconds * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (G_TIME_SPAN_MILLISECOND);
    }
}

gboolean
dd_test_wait_until (gboolean (*done) (gpointer data),
                    gpointer   data,
                    guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;

  while (!done (data))
    {
      if (g_get_monotonic_time () >= end)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (G_TIME_SPAN_MILLISECOND);
    }
  return TRUE;
}

void
dd_test_keep_result (GObject      *source,
                     GAsyncResult *result,
                     gpointer      slot)
{
  *(GAsyncResult **) slot = g_object_ref (result);
}

GAsyncResult *
dd_test_wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

guint
dd_test_free_port (GSocketProtocol protocol)
{
  gboolean udp = protocol == G_SOCKET_PROTOCOL_UDP;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4,
                                            udp ? G_SOCKET_TYPE_DATAGRAM : G_SOCKET_TYPE_STREAM,
                                            protocol, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_nonnull (socket);
  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

gboolean
dd_test_have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  return path != NULL;
}

void
dd_test_save_screenshot (const char *prefix,
                         const char *name)
{
  g_autofree char *import = g_find_program_in_path ("import");
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  if (import == NULL || g_getenv ("DISPLAY") == NULL)
    return;

  /* let the window draw its first frames */
  dd_test_iterate_for (500);
  file_name = g_strdup_printf ("%s-%s.png", prefix, name);
  path = g_test_build_filename (G_TEST_BUILT, file_name, NULL);
  {
    const char *argv[] = { import, "-window", "root", path, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                       NULL, NULL, &wait_status, &error)
        || !g_spawn_check_wait_status (wait_status, &error))
      g_test_message ("no screenshot: %s", error->message);
    else
      g_test_message ("screenshot: %s", path);
  }
}

DdTestOffice *
dd_test_office_new (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("dd-test-%s-XXXXXX", name);
  DdTestOffice *office = g_new0 (DdTestOffice, 1);

  office->dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  office->path = g_build_filename (office->dir, "office.db", NULL);
  office->database = dd_test_database_open (office->path, &error);
  g_assert_no_error (error);
  return office;
}

void
dd_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, entry, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        dd_test_remove_tree (child);
      else
        g_assert_cmpint (g_unlink (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

void
dd_test_office_free (DdTestOffice *office)
{
  if (office->context != NULL)
    g_assert_finalize_object (office->context);
  g_clear_object (&office->settings);
  g_clear_object (&office->backend);
  if (office->database != NULL)
    g_assert_finalize_object (office->database);
  dd_test_remove_tree (office->dir);
  g_free (office->path);
  g_free (office->dir);
  g_free (office);
}

void
dd_test_office_import_demo (DdTestOffice *office,
                            guint         n_debtors,
                            const char   *locale,
                            guint         seed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv_path = g_build_filename (office->dir, "export.csv", NULL);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(DdImporter) importer = NULL;
  g_autoptr(DdImportSummary) summary = NULL;
  DdDemoOfficeOptions options = { 0 };

  out = g_file_replace (csv, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  options.n_debtors = n_debtors;
  options.locale = locale;
  options.seed = seed;
  g_assert_true (dd_demo_office_write_csv (G_OUTPUT_STREAM (out), &options, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error));
  g_assert_no_error (error);

  importer = dd_importer_new (office->database);
  summary = dd_importer_run (importer, csv, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (summary);
}

gint64
dd_test_query_int (DdDatabase *database,
                   const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 value = -1;

  g_assert_true (dd_database_query_int64 (database, sql, &value, &error));
  g_assert_no_error (error);
  return value;
}

char *
dd_test_query_text (DdDatabase *database,
                    const char *sql)
{
  g_autoptr(GError) error = NULL;
  DdStatement *stmt = dd_database_cached (database, sql, &error);
  char *result = NULL;

  g_assert_no_error (error);
  if (dd_statement_step (stmt, &error))
    result = g_strdup (dd_statement_get_text (stmt, 0));
  g_assert_no_error (error);
  dd_statement_reset (stmt);
  return result;
}
