/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dd-types.h"

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

/* A driver's vtable, from its statement functions named @prefix_bind_int64 … @prefix_free. */
#define DD_STATEMENT_VTABLE_INIT(prefix) \
  { \
    .bind_int64 = prefix##_bind_int64, .bind_text = prefix##_bind_text, \
    .bind_null = prefix##_bind_null, .step = prefix##_step, .reset = prefix##_reset, \
    .n_columns = prefix##_n_columns, .is_null = prefix##_is_null, \
    .get_int64 = prefix##_get_int64, .get_text = prefix##_get_text, .free = prefix##_free, \
  }

/* Drivers embed this at the start of their own statement struct. */
struct _DdStatement
{
  const DdStatementVTable *vtable;
  DdDatabase              *database;  /* unowned */
  char                    *sql;
  gboolean                 streamed;  /* see dd_statement_set_streamed() */
};

struct _DdDatabaseClass
{
  GObjectClass parent_class;

  const char   *driver_name;            /* "sqlite", "postgresql" */
  /* What opens a transaction ("BEGIN"): the base begins and commits by exec. */
  const char   *begin_sql;

  const char  *(*get_location)          (DdDatabase *self);
  DdStatement *(*prepare)               (DdDatabase *self, const char *sql, GError **error);
  gboolean     (*exec)                  (DdDatabase *self, const char *sql, GError **error);
  gboolean     (*rollback)              (DdDatabase *self, GError **error);
  guint        (*get_schema_version)    (DdDatabase *self);
  DdDatabase  *(*open_another)          (DdDatabase *self, GError **error);
  gint64       (*last_insert_id)        (DdDatabase *self);
  gint64       (*changes)               (DdDatabase *self);
  gboolean     (*set_trusted_writes)    (DdDatabase *self, gboolean trusted, GError **error);

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
/* Ends a transaction: commits when @ok, else rolls back and returns FALSE (the error of what
 * failed is the caller's). */
gboolean     dd_database_finish             (DdDatabase   *self,
                                             gboolean      ok,
                                             GError      **error);
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
  DD_PARAM_INT64_IF,
} DdParamType;

#define DD_INT(value)           DD_PARAM_INT64, ((gint64) (value))
#define DD_TEXT(value)          DD_PARAM_TEXT, ((const char *) (value))
/* @value where @condition holds, else NULL (an optional reference such as an agent id). */
#define DD_INT_IF(condition, value) \
  DD_PARAM_INT64_IF, ((gboolean) (condition)), ((gint64) (value))
#define DD_END                  DD_PARAM_END

/*
 * A claim: work that must happen once across desks (the SMS outbox, call attempts) is read
 * with DD_SQL_CLAIM ("a") at the end of its SELECT, inside the transaction that marks it
 * taken. SQLite reads it as a comment (its write transaction already lets one writer in at a
 * time); the PostgreSQL driver makes it FOR UPDATE OF a SKIP LOCKED: rows another desk is
 * claiming are passed over, not waited for.
 */
#define DD_SQL_SKIP_LOCKED_PREFIX "/*dd:skip-locked"
#define DD_SQL_CLAIM(alias)       " " DD_SQL_SKIP_LOCKED_PREFIX " " alias " */"

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
/* The first column of the first row as a copy (NULL where there is no row or it is NULL). */
gboolean     dd_database_fetch_text         (DdDatabase   *self,
                                             char        **out_text,
                                             GError      **error,
                                             const char   *sql,
                                             ...);
/* Runs an INSERT and gives the id of the new row (see dd_statement_run_insert()). */
gboolean     dd_database_insert             (DdDatabase   *self,
                                             gint64       *out_id,
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

/*
 * Rows. A DdRowFunc is called with the statement on each row (read its columns, do not step
 * it); a DdRowReader makes one item of the row.
 */
typedef void     (*DdRowFunc)   (DdStatement  *stmt,
                                 gpointer      user_data);
typedef gpointer (*DdRowReader) (DdStatement  *stmt,
                                 gconstpointer user_data);

/* Calls @func on every row the query returns. */
gboolean     dd_database_query_each         (DdDatabase   *self,
                                             DdRowFunc     func,
                                             gpointer      user_data,
                                             GError      **error,
                                             const char   *sql,
                                             ...);
/* Adds the item @reader makes of each row to @items. */
gboolean     dd_database_fetch_all          (DdDatabase   *self,
                                             GPtrArray    *items,
                                             DdRowReader   reader,
                                             gconstpointer user_data,
                                             GError      **error,
                                             const char   *sql,
                                             ...);
/* The item @reader makes of the first row, or NULL (and no error) where there is none. */
gboolean     dd_database_fetch_row          (DdDatabase   *self,
                                             gpointer     *out_item,
                                             DdRowReader   reader,
                                             gconstpointer user_data,
                                             GError      **error,
                                             const char   *sql,
                                             ...);
/* Appends the first column of each row to @ids (a GArray of gint64). */
gboolean     dd_database_fetch_ids          (DdDatabase   *self,
                                             GArray       *ids,
                                             GError      **error,
                                             const char   *sql,
                                             ...);
/* The same for a statement already bound (one built at run time): steps through all its
 * rows, then resets it. */
gboolean     dd_statement_each              (DdStatement  *stmt,
                                             DdRowFunc     func,
                                             gpointer      user_data,
                                             GError      **error);
gboolean     dd_statement_collect           (DdStatement  *stmt,
                                             GPtrArray    *items,
                                             DdRowReader   reader,
                                             gconstpointer user_data,
                                             GError      **error);

/*
 * Table-driven rows: a DdRowType describes a struct whose fields take the columns of a row
 * in order, so that a store keeps only its SQL and this mapping. Text fields are copies
 * (NULL for NULL), freed by dd_row_clear()/dd_row_free().
 */
typedef enum
{
  DD_FIELD_SKIP,     /* a column the struct does not keep (or fills itself) */
  DD_FIELD_INT64,    /* gint64 */
  DD_FIELD_INT,      /* gint */
  DD_FIELD_UINT,     /* guint */
  DD_FIELD_BOOLEAN,  /* gboolean: the column is not 0 */
  DD_FIELD_TEXT,     /* char * */
  DD_FIELD_NAME,     /* an enum stored by name: the index of the text in names, else
                      * fallback */
} DdFieldType;

typedef struct
{
  DdFieldType         type;
  gsize               offset;
  const char * const *names;      /* DD_FIELD_NAME */
  guint               n_names;
  gint                fallback;
} DdField;

typedef struct
{
  gsize          size;
  const DdField *fields;
  guint          n_fields;
} DdRowType;

#define DD_FIELD(StructType, member, TYPE) \
  { DD_FIELD_##TYPE, G_STRUCT_OFFSET (StructType, member) }
#define DD_FIELD_SKIPPED { DD_FIELD_SKIP, 0 }
#define DD_FIELD_NAMED(StructType, member, names, fallback) \
  { DD_FIELD_NAME, G_STRUCT_OFFSET (StructType, member), names, G_N_ELEMENTS (names), fallback }
#define DD_ROW_TYPE(StructType, fields) { sizeof (StructType), fields, G_N_ELEMENTS (fields) }

/* Fills the fields of @row that @type names from the current row of @stmt (text fields are
 * overwritten, not freed: @row starts zeroed). */
void         dd_statement_read_fields       (DdStatement     *stmt,
                                             const DdRowType *type,
                                             gpointer         row);
/* Reads the first row of the query into @row (see dd_statement_read_fields()); @out_found
 * (optional) says whether there was one. */
gboolean     dd_database_fetch_fields       (DdDatabase      *self,
                                             const DdRowType *type,
                                             gpointer         row,
                                             gboolean        *out_found,
                                             GError         **error,
                                             const char      *sql,
                                             ...);
/* A DdRowReader: a new zeroed struct of the DdRowType given as @row_type, filled. */
gpointer     dd_statement_read_row          (DdStatement     *stmt,
                                             gconstpointer    row_type);
/* Frees the text fields @type names (and sets them to NULL). */
void         dd_row_clear                   (const DdRowType *type,
                                             gpointer         row);
void         dd_row_free                    (const DdRowType *type,
                                             gpointer         row);

/* Lets g_auto (StructType) free the text fields of a struct that @row_type (a DdRowType
 * variable) describes, at the end of the scope. */
#define DD_DEFINE_ROW_AUTO_CLEAR(StructType, row_type) \
  static inline void \
  _dd_row_auto_clear_##StructType (StructType *row) \
  { \
    dd_row_clear (&(row_type), row); \
  } \
  G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StructType, _dd_row_auto_clear_##StructType)

/* Defines @free_func (StructType *row): frees a struct that @row_type (a DdRowType variable)
 * describes, with its text fields; NULL is ignored. */
#define DD_DEFINE_ROW_FREE_FUNC(StructType, free_func, row_type) \
  void \
  free_func (StructType *row) \
  { \
    dd_row_free (&(row_type), row); \
  }

/* The text of @column, copied; NULL for NULL. */
char        *dd_statement_dup_text          (DdStatement  *stmt,
                                             guint         column);

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
/* For a bulk write whose constrained values all come from the code (enum names, never what a
 * user typed), such as an import: while @trusted, the connection does not evaluate CHECK
 * constraints again (SQLite evaluates a CHECK's IN list through a temporary B-tree opened for
 * every row, ~10 µs an insert). NOT NULL, UNIQUE and foreign keys are still enforced. A
 * driver without that cost does nothing. Set it back to FALSE when the write is done. */
gboolean     dd_database_set_trusted_writes (DdDatabase   *self,
                                             gboolean      trusted,
                                             GError      **error);
void         dd_statement_reset             (DdStatement  *stmt);
/* Marks @stmt as read a few rows at a time, with other statements run on the same database
 * between its steps, and perhaps given up before its last row (a long list's lazy walk): a
 * driver that would read a result whole at its first step (PostgreSQL) reads it a chunk at
 * a time instead. Takes effect at the next first step. */
void         dd_statement_set_streamed      (DdStatement  *stmt,
                                             gboolean      streamed);
/* Resets @stmt once its rows were read; @step_error (taken: the error of its last step, or
 * NULL) goes to @error. TRUE when there was none. */
gboolean     dd_statement_done              (DdStatement  *stmt,
                                             GError       *step_error,
                                             GError      **error);
guint        dd_statement_n_columns         (DdStatement  *stmt);
gboolean     dd_statement_is_null           (DdStatement  *stmt,
                                             guint         column);
gint64       dd_statement_get_int64         (DdStatement  *stmt,
                                             guint         column);
const char  *dd_statement_get_text          (DdStatement  *stmt,
                                             guint         column);
void         dd_statement_free              (DdStatement  *stmt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdStatement, dd_statement_free)

/*
 * Stores of named rows (users, saved filters, call flows) name them by one set of rules: the
 * name is trimmed, must not be blank, and (with @taken_sql) no other row may have it.
 */
typedef struct
{
  GQuark     (*domain) (void);
  gint         blank_code;
  const char  *blank_message;   /* marked for translation, translated when set */
  const char  *taken_sql;       /* "SELECT id FROM t WHERE name = ? AND id <> ?", or NULL */
  gint         taken_code;
  const char  *taken_message;   /* the same, with one %s: the name */
} DdNaming;

/* @name trimmed, when the rules of @naming allow it for the row @except_id (0 for a new
 * row); else NULL and @error. */
char        *dd_database_check_name         (DdDatabase      *self,
                                             const DdNaming  *naming,
                                             const char      *name,
                                             gint64           except_id,
                                             GError         **error);

/* The current time as UTC ISO 8601 text ("2026-11-23T20:04:35Z"), as stored. */
char        *dd_timestamp_now               (void);

/* Opens (creating if needed) the office database at @path, or at the default location
 * ($XDG_DATA_HOME/dunning-desk/office.db) when @path is NULL, and migrates it to the
 * newest schema. */
DdDatabase  *dd_database_open               (const char   *path,
                                             GError      **error);

G_END_DECLS
