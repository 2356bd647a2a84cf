/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-sqlite"

#include "config.h"

#include "dd-sqlite-database.h"
#include "dd-migrations.h"
#include "dd-paths.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#define MIGRATIONS_PATH "/io/github/dunningdesk/DunningDesk/core/sql/sqlite/"

struct _DdSqliteDatabase
{
  DdDatabase  parent_instance;

  sqlite3    *db;
  char       *path;
};

typedef struct
{
  DdStatement    parent;
  sqlite3_stmt  *stmt;
} DdSqliteStatement;

G_DEFINE_FINAL_TYPE (DdSqliteDatabase, dd_sqlite_database, DD_TYPE_DATABASE)

void _dd_database_clear_cache (DdDatabase *self);

static int
error_code_for (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
      return DD_DATABASE_ERROR_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return DD_DATABASE_ERROR_BUSY;
    default:
      return DD_DATABASE_ERROR_SQL;
    }
}

static void
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  int          rc,
                  const char  *what)
{
  /* Technical detail for logs and support; callers wrap it in a user-level message. */
  g_set_error (error, DD_DATABASE_ERROR, error_code_for (rc),
               "%s: %s (%d)", what, db ? sqlite3_errmsg (db) : sqlite3_errstr (rc), rc);
}

/* Statements */

static void
stmt_bind_int64 (DdStatement *stmt,
                 guint        index,
                 gint64       value)
{
  sqlite3_bind_int64 (((DdSqliteStatement *) stmt)->stmt, index, value);
}

static void
stmt_bind_text (DdStatement *stmt,
                guint        index,
                const char  *value,
                gssize       len)
{
  sqlite3_bind_text (((DdSqliteStatement *) stmt)->stmt, index, value, len, SQLITE_STATIC);
}

static void
stmt_bind_null (DdStatement *stmt,
                guint        index)
{
  sqlite3_bind_null (((DdSqliteStatement *) stmt)->stmt, index);
}

static gboolean
stmt_step (DdStatement  *stmt,
           GError      **error)
{
  DdSqliteStatement *self = (DdSqliteStatement *) stmt;
  int rc = sqlite3_step (self->stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    return FALSE;

  set_sqlite_error (error, sqlite3_db_handle (self->stmt), rc, "step");
  sqlite3_reset (self->stmt);
  return FALSE;
}

static void
stmt_reset (DdStatement *stmt)
{
  DdSqliteStatement *self = (DdSqliteStatement *) stmt;

  sqlite3_reset (self->stmt);
  sqlite3_clear_bindings (self->stmt);
}

static guint
stmt_n_columns (DdStatement *stmt)
{
  return sqlite3_column_count (((DdSqliteStatement *) stmt)->stmt);
}

static gboolean
stmt_is_null (DdStatement *stmt,
              guint        column)
{
  return sqlite3_column_type (((DdSqliteStatement *) stmt)->stmt, column) == SQLITE_NULL;
}

static gint64
stmt_get_int64 (DdStatement *stmt,
                guint        column)
{
  return sqlite3_column_int64 (((DdSqliteStatement *) stmt)->stmt, column);
}

static const char *
stmt_get_text (DdStatement *stmt,
               guint        column)
{
  return (const char *) sqlite3_column_text (((DdSqliteStatement *) stmt)->stmt, column);
}

static void
stmt_free (DdStatement *stmt)
{
  DdSqliteStatement *self = (DdSqliteStatement *) stmt;

  sqlite3_finalize (self->stmt);
  g_free (stmt->sql);
  g_free (self);
}

static const DdStatementVTable sqlite_statement_vtable = DD_STATEMENT_VTABLE_INIT (stmt);

/* Driver */

static const char *
dd_sqlite_database_get_location (DdDatabase *database)
{
  return DD_SQLITE_DATABASE (database)->path;
}

static DdStatement *
dd_sqlite_database_prepare (DdDatabase  *database,
                            const char  *sql,
                            GError     **error)
{
  DdSqliteDatabase *self = DD_SQLITE_DATABASE (database);
  DdSqliteStatement *stmt;
  sqlite3_stmt *raw = NULL;
  int rc;

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, rc, "prepare");
      return NULL;
    }

  stmt = g_new0 (DdSqliteStatement, 1);
  stmt->parent.vtable = &sqlite_statement_vtable;
  stmt->parent.database = database;
  stmt->parent.sql = g_strdup (sql);
  stmt->stmt = raw;

  return (DdStatement *) stmt;
}

static gboolean
dd_sqlite_database_exec (DdDatabase  *database,
                         const char  *sql,
                         GError     **error)
{
  DdSqliteDatabase *self = DD_SQLITE_DATABASE (database);
  char *errmsg = NULL;
  int rc;

  rc = sqlite3_exec (self->db, sql, NULL, NULL, &errmsg);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, DD_DATABASE_ERROR, error_code_for (rc),
                   "exec: %s (%d)", errmsg ? errmsg : sqlite3_errstr (rc), rc);
      sqlite3_free (errmsg);
      return FALSE;
    }
  return TRUE;
}

static gboolean
dd_sqlite_database_rollback (DdDatabase  *database,
                             GError     **error)
{
  DdSqliteDatabase *self = DD_SQLITE_DATABASE (database);

  if (sqlite3_get_autocommit (self->db))
    return TRUE;
  return dd_sqlite_database_exec (database, "ROLLBACK", error);
}

static guint
read_user_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  guint version = 0;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static guint
dd_sqlite_database_get_schema_version (DdDatabase *database)
{
  return read_user_version (DD_SQLITE_DATABASE (database)->db);
}

static gint64
dd_sqlite_database_last_insert_id (DdDatabase *database)
{
  return sqlite3_last_insert_rowid (DD_SQLITE_DATABASE (database)->db);
}

static gint64
dd_sqlite_database_changes (DdDatabase *database)
{
  return sqlite3_changes64 (DD_SQLITE_DATABASE (database)->db);
}

/* The CHECK constraints of the schema are IN lists (status, phone kind, payment state):
 * SQLite 3.40 opens a temporary B-tree for such a list on every row it checks. */
static gboolean
dd_sqlite_database_set_trusted_writes (DdDatabase  *database,
                                       gboolean     trusted,
                                       GError     **error)
{
  return dd_sqlite_database_exec (database,
                                  trusted ? "PRAGMA ignore_check_constraints = ON"
                                          : "PRAGMA ignore_check_constraints = OFF",
                                  error);
}

static DdDatabase *open_connection (const char *path, GError **error);

static DdDatabase *
dd_sqlite_database_open_another (DdDatabase  *database,
                                 GError     **error)
{
  return open_connection (DD_SQLITE_DATABASE (database)->path, error);
}

static void
dd_sqlite_database_dispose (GObject *object)
{
  _dd_database_clear_cache (DD_DATABASE (object));

  G_OBJECT_CLASS (dd_sqlite_database_parent_class)->dispose (object);
}

static void
dd_sqlite_database_finalize (GObject *object)
{
  DdSqliteDatabase *self = DD_SQLITE_DATABASE (object);

  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);

  G_OBJECT_CLASS (dd_sqlite_database_parent_class)->finalize (object);
}

static void
dd_sqlite_database_class_init (DdSqliteDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  DdDatabaseClass *database_class = DD_DATABASE_CLASS (klass);

  object_class->dispose = dd_sqlite_database_dispose;
  object_class->finalize = dd_sqlite_database_finalize;

  database_class->driver_name = "sqlite";
  database_class->get_location = dd_sqlite_database_get_location;
  database_class->prepare = dd_sqlite_database_prepare;
  database_class->exec = dd_sqlite_database_exec;
  /* IMMEDIATE: take the write lock now, so two writers never deadlock mid-way. */
  database_class->begin_sql = "BEGIN IMMEDIATE";
  database_class->rollback = dd_sqlite_database_rollback;
  database_class->get_schema_version = dd_sqlite_database_get_schema_version;
  database_class->open_another = dd_sqlite_database_open_another;
  database_class->last_insert_id = dd_sqlite_database_last_insert_id;
  database_class->changes = dd_sqlite_database_changes;
  database_class->set_trusted_writes = dd_sqlite_database_set_trusted_writes;
}

static void
dd_sqlite_database_init (DdSqliteDatabase *self)
{
}

/* Migrations */

guint
dd_sqlite_database_get_latest_version (void)
{
  g_autoptr(GArray) migrations = dd_migrations_list (MIGRATIONS_PATH);

  return dd_migrations_latest (migrations);
}

static gboolean
apply_migration (gpointer            db,
                 const DdMigration  *m,
                 GError            **error)
{
  DdSqliteDatabase *self = db;
  g_autofree char *pragma = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *sql = NULL;

  sql = dd_migrations_load (MIGRATIONS_PATH, m, error);
  if (sql == NULL)
    return FALSE;

  pragma = g_strdup_printf ("PRAGMA user_version = %u", m->version);

  if (!dd_sqlite_database_exec (DD_DATABASE (self), "BEGIN IMMEDIATE", &local_error))
    goto fail;

  if (!dd_sqlite_database_exec (DD_DATABASE (self), sql, &local_error) ||
      !dd_sqlite_database_exec (DD_DATABASE (self), pragma, &local_error) ||
      !dd_sqlite_database_exec (DD_DATABASE (self), "COMMIT", &local_error))
    {
      dd_sqlite_database_exec (DD_DATABASE (self), "ROLLBACK", NULL);
      goto fail;
    }

  g_debug ("Applied migration %s to %s", m->name, self->path);
  return TRUE;

fail:
  dd_migrations_set_error (error, m, local_error);
  return FALSE;
}

static gboolean
migrate (DdSqliteDatabase  *self,
         guint              target,
         GError           **error)
{
  g_autoptr(GArray) migrations = dd_migrations_list (MIGRATIONS_PATH);

  return dd_migrations_run (migrations, read_user_version (self->db), target,
                            apply_migration, self, error);
}

static gboolean
ensure_private_file (const char  *path,
                     GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_OPEN,
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_OPEN,
                   _("Could not open the office database “%s”: %s"), path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  /* Debtors' data: readable by the owner only, whatever the umask. */
  if (fchmod (fd, 0600) != 0)
    g_warning ("Could not restrict permissions of %s: %s", path, g_strerror (errno));
  close (fd);
  return TRUE;
}

/* Once per process, before SQLite initialises itself: no memory statistics. With them on
 * (SQLite's default) every allocation SQLite makes takes a global mutex, a few percent of
 * an import; nothing here reads sqlite3_memory_used(). */
static void
configure_sqlite_once (void)
{
  static gsize configured = 0;

  if (g_once_init_enter (&configured))
    {
      if (sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
        g_debug ("SQLite was initialised already: memory statistics stay on");
      g_once_init_leave (&configured, 1);
    }
}

static DdDatabase *
open_connection (const char  *path,
                 GError     **error)
{
  g_autoptr(DdSqliteDatabase) self = NULL;
  static const char *pragmas =
    "PRAGMA journal_mode = WAL;"
    "PRAGMA synchronous = NORMAL;"
    "PRAGMA foreign_keys = ON;"
    "PRAGMA busy_timeout = 5000;"
    "PRAGMA cache_size = -16000;"
    "PRAGMA temp_store = FILE;";
  g_autoptr(GError) local_error = NULL;
  int rc;

  configure_sqlite_once ();
  self = g_object_new (DD_TYPE_SQLITE_DATABASE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_OPEN,
                   _("Could not open the office database “%s”: %s"), path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);

  if (!dd_sqlite_database_exec (DD_DATABASE (self), pragmas, &local_error))
    {
      g_set_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_OPEN,
                   _("“%s” is not a Dunning Desk office database or is damaged: %s"),
                   path, local_error->message);
      return NULL;
    }

  return DD_DATABASE (g_steal_pointer (&self));
}

DdDatabase *
dd_sqlite_database_open_at_version (const char  *path,
                                    guint        version,
                                    GError     **error)
{
  g_autofree char *default_path = NULL;
  g_autoptr(DdDatabase) database = NULL;

  if (path == NULL)
    path = default_path = dd_paths_get_default_database ();

  if (!ensure_private_file (path, error))
    return NULL;

  database = open_connection (path, error);
  if (database == NULL)
    return NULL;

  if (!migrate (DD_SQLITE_DATABASE (database), version, error))
    return NULL;

  return g_steal_pointer (&database);
}

DdDatabase *
dd_sqlite_database_open (const char  *path,
                         GError     **error)
{
  return dd_sqlite_database_open_at_version (path, 0, error);
}
