/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * DdDatabase is the small driver interface every store talks to (DESIGN.md §4).
 * SQL given to it is portable: standard types, `?` parameters (mapped by the
 * driver), `INSERT … ON CONFLICT … DO UPDATE` and `RETURNING`. Schema migrations are
 * the driver's own business (they are DDL, which differs between back-ends).
 */

#define DD_DATABASE_ERROR (dd_database_error_quark ())

typedef enum
{
  DD_DATABASE_ERROR_OPEN,
  DD_DATABASE_ERROR_MIGRATION,
  DD_DATABASE_ERROR_TOO_NEW,
  DD_DATABASE_ERROR_SQL,
  DD_DATABASE_ERROR_CONSTRAINT,
  DD_DATABASE_ERROR_BUSY,
} DdDatabaseError;

GQuark dd_database_error_quark (void);

typedef struct _DdStatement DdStatement;

#define DD_TYPE_DATABASE (dd_database_get_type ())
G_DECLARE_DERIVABLE_TYPE (DdDatabase, dd_database, DD, DATABASE, GObject)

typedef struct
{
  void         (*bind_int64) (DdStatement *stmt, guint index, gint64 value);
  void         (*bind_text)  (DdStatement *stmt, guint index, const char *value, gssize len);
  void         (*bind_null)  (DdStatement *stmt, guint index);
  gboolean     (*step)       (DdStatement *stmt, GError **error);
  void         (*reset)      (DdStatement *stmt);
  guint        (*n_columns)  (DdStatement *stmt);
  gboolean     (*is_null)    (DdStatement *stmt, guint column);
  gint64       (*get_int64)  (DdStatement *stmt, guint column);
  const char  *(*get_text)   (DdStatement *stmt, guint column);
  void         (*free)       (DdStatement *stmt);
} DdStatementVTable;

/* Drivers embed this at the start of their own statement struct. */
struct _DdStatement
{
  const DdStatementVTable *vtable;
  DdDatabase              *database;  /* unowned */
  char                    *sql;
};

struct _DdDatabaseClass
{
  GObjectClass parent_class;

  const char  *(*get_driver_name)       (DdDatabase *self);
  const char  *(*get_location)          (DdDatabase *self);
  DdStatement *(*prepare)               (DdDatabase *self, const char *sql, GError **error);
  gboolean     (*exec)                  (DdDatabase *self, const char *sql, GError **error);
  gboolean     (*begin)                 (DdDatabase *self, GError **error);
  gboolean     (*commit)                (DdDatabase *self, GError **error);
  gboolean     (*rollback)              (DdDatabase *self, GError **error);
  guint        (*get_schema_version)    (DdDatabase *self);
  DdDatabase  *(*open_another)          (DdDatabase *self, GError **error);
  gint64       (*last_insert_id)        (DdDatabase *self);
  gint64       (*changes)               (DdDatabase *self);

  gpointer padding[8];
};

const char  *dd_database_get_driver_name    (DdDatabase   *self);
const char  *dd_database_get_location       (DdDatabase   *self);
guint        dd_database_get_schema_version (DdDatabase   *self);

/* A prepared statement cached by the database under its SQL text; owned by the database,
 * reset and with bindings cleared each time it is handed out. Not thread-safe: one
 * DdDatabase (connection) per thread, see dd_database_open_another(). */
DdStatement *dd_database_cached             (DdDatabase   *self,
                                             const char   *sql,
                                             GError      **error);
DdStatement *dd_database_prepare            (DdDatabase   *self,
                                             const char   *sql,
                                             GError      **error);
gboolean     dd_database_exec               (DdDatabase   *self,
                                             const char   *sql,
                                             GError      **error);
/* Transactions nest: only the outermost begin/commit reach the driver; a rollback at any
 * depth marks the whole transaction for rollback. */
gboolean     dd_database_begin              (DdDatabase   *self,
                                             GError      **error);
gboolean     dd_database_commit             (DdDatabase   *self,
                                             GError      **error);
gboolean     dd_database_rollback           (DdDatabase   *self,
                                             GError      **error);
gboolean     dd_database_in_transaction     (DdDatabase   *self);
DdDatabase  *dd_database_open_another       (DdDatabase   *self,
                                             GError      **error);

/* Convenience: run a query that returns one integer (or @fallback when there is no row). */
gboolean     dd_database_query_int64        (DdDatabase   *self,
                                             const char   *sql,
                                             gint64       *out_value,
                                             GError      **error);

/*
 * One-call queries: the statement is prepared once (cached), bound to the parameters that
 * follow @sql — each DD_INT (value) or DD_TEXT (value; NULL binds NULL), ended by DD_END —
 * run, and reset.
 */
typedef enum
{
  DD_PARAM_END,
  DD_PARAM_INT64,
  DD_PARAM_TEXT,
} DdParamType;

#define DD_INT(value)  DD_PARAM_INT64, ((gint64) (value))
#define DD_TEXT(value) DD_PARAM_TEXT, ((const char *) (value))
#define DD_END         DD_PARAM_END

/* Prepared and bound, for the caller to step through and reset. */
DdStatement *dd_database_query              (DdDatabase   *self,
                                             GError      **error,
                                             const char   *sql,
                                             ...);
/* Runs a statement that returns no rows. */
gboolean     dd_database_execute            (DdDatabase   *self,
                                             GError      **error,
                                             const char   *sql,
                                             ...);
/* Whether the query returns a row. */
gboolean     dd_database_exists             (DdDatabase   *self,
                                             gboolean     *out_exists,
                                             GError      **error,
                                             const char   *sql,
                                             ...);
/* The first column of the first row; @out_found (optional) says whether there was one (else
 * *@out_value is 0). */
gboolean     dd_database_fetch_int64        (DdDatabase   *self,
                                             gint64       *out_value,
                                             gboolean     *out_found,
                                             GError      **error,
                                             const char   *sql,
                                             ...);

void         dd_statement_bind_int64        (DdStatement  *stmt,
                                             guint         index,
                                             gint64        value);
/* Text is not copied: it must stay valid until the statement is run or reset. */
void         dd_statement_bind_text         (DdStatement  *stmt,
                                             guint         index,
                                             const char   *value);
void         dd_statement_bind_text_len     (DdStatement  *stmt,
                                             guint         index,
                                             const char   *value,
                                             gssize        len);
void         dd_statement_bind_null         (DdStatement  *stmt,
                                             guint         index);
gboolean     dd_statement_step              (DdStatement  *stmt,
                                             GError      **error);
gboolean     dd_statement_run               (DdStatement  *stmt,
                                             GError      **error);
/* Runs an INSERT and gives the id of the new row (a driver without last-insert ids, such as
 * PostgreSQL, adds RETURNING id itself). */
gboolean     dd_statement_run_insert        (DdStatement  *stmt,
                                             gint64       *out_id,
                                             GError      **error);
/* Rows inserted, updated or deleted by the last statement run on this connection. */
gint64       dd_database_changes            (DdDatabase   *self);
void         dd_statement_reset             (DdStatement  *stmt);
guint        dd_statement_n_columns         (DdStatement  *stmt);
gboolean     dd_statement_is_null           (DdStatement  *stmt,
                                             guint         column);
gint64       dd_statement_get_int64         (DdStatement  *stmt,
                                             guint         column);
const char  *dd_statement_get_text          (DdStatement  *stmt,
                                             guint         column);
void         dd_statement_free              (DdStatement  *stmt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdStatement, dd_statement_free)

/* The current time as UTC ISO 8601 text ("2026-11-23T20:04:35Z"), as stored. */
char        *dd_timestamp_now               (void);

/* Opens (creating if needed) the office database at @path, or at the default location
 * ($XDG_DATA_HOME/dunning-desk/office.db) when @path is NULL, and migrates it to the
 * newest schema. */
DdDatabase  *dd_database_open               (const char   *path,
                                             GError      **error);

G_END_DECLS
