/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-pg"

#include "config.h"

#include "dd-pg-database.h"
#include "dd-migrations.h"

#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <libpq-fe.h>
#include <poll.h>
#include <string.h>

#define MIGRATIONS_PATH "/io/github/dunningdesk/DunningDesk/core/sql/postgresql/"
#define BOOLOID 16

/* A streamed statement's cursor is read in chunks that grow from the first (what a list
 * shows at once) to the largest (a few ms of transfer each). */
#define STREAM_FIRST_CHUNK 100
#define STREAM_MAX_CHUNK 10000

struct _DdPgDatabase
{
  DdDatabase   parent_instance;

  PGconn      *conn;
  char        *uri;
  char        *location;      /* the URI without its password */
  guint        generation;    /* +1 on each (re)connection: prepared statements are lost */
  guint        n_statements;
  gint64       changes;
  gint64       last_insert_id;
  GHashTable  *id_tables;     /* tables with an identity "id" column: INSERTs return it */
  guint        notify_watch;
  GMainContext *notify_context;

  /* A listening connection (the app's, on the main loop) that was lost is re-established in
   * the background: attempts after 1, 2, 4 … 30 s, each driven by a GSource on the socket;
   * queries fail at once meanwhile, instead of blocking the window. */
  gboolean     listening;
  gboolean     lost;
  guint        backoff;       /* seconds before the next attempt */
  guint        reconnect_timer;
  guint        reconnect_watch;
  PostgresPollingStatusType reset_polling;

  /* Streamed statements (dd_statement_set_streamed()) are read through server-side cursors,
   * FETCH by FETCH. A cursor lives in a transaction, and this connection's transactions are
   * the stores' (a statement outside one commits at once): the cursors live on a second
   * connection, opened when first needed, in a read-only transaction of its own that ends
   * when its last cursor is closed. Read committed: each cursor sees what was committed when
   * it was declared. */
  DdPgDatabase *reader;
  guint        reader_cursors;  /* open in the reader's transaction */
  guint        reader_epoch;    /* +1 each time the reader's transaction ends */
  guint        n_cursors;       /* for their names */
};

typedef struct
{
  DdStatement  parent;

  char        *name;          /* of the server-side prepared statement */
  char        *pg_sql;        /* with $n parameters */
  guint        generation;    /* of the connection it was prepared on; 0: not yet */
  int          n_params;
  char       **values;        /* copies; NULL for NULL */
  PGresult    *result;
  int          row;           /* the next row step() gives */
  gboolean     executed;
  gboolean     returns_id;    /* "RETURNING id" added by the driver to an INSERT */
  char        *sync_sql;      /* an INSERT that gives ids of its own: the sequence follows */

  /* A streamed execution: self->result holds the last chunk FETCHed from the cursor. */
  gboolean     streaming;
  char        *cursor;        /* while open on the reader */
  guint        cursor_epoch;  /* the reader's transaction it was declared in */
  int          chunk;         /* rows the next FETCH asks for */
} DdPgStatement;

G_DEFINE_FINAL_TYPE (DdPgDatabase, dd_pg_database, DD_TYPE_DATABASE)

enum { SIGNAL_CHANGED, SIGNAL_CONNECTION_LOST, SIGNAL_RECONNECTED, N_SIGNALS };
static guint signals[N_SIGNALS];

void _dd_database_clear_cache (DdDatabase *self);

static gboolean migrate (DdPgDatabase *self, GError **error);
static void connection_lost (DdPgDatabase *self);
static void remove_source (DdPgDatabase *self, guint *id);
static gboolean setup_session (DdPgDatabase *self, GError **error);

/* Errors */

static int
error_code_for_state (const char *state)
{
  if (state == NULL)
    return DD_DATABASE_ERROR_SQL;
  if (g_str_has_prefix (state, "23"))
    return DD_DATABASE_ERROR_CONSTRAINT;
  if (g_str_equal (state, "40001") || g_str_equal (state, "40P01") ||
      g_str_equal (state, "55P03"))
    return DD_DATABASE_ERROR_BUSY;
  return DD_DATABASE_ERROR_SQL;
}

static void
set_result_error (GError         **error,
                  PGconn          *conn,
                  const PGresult  *result,
                  const char      *what)
{
  const char *message = result != NULL ? PQresultErrorMessage (result) : PQerrorMessage (conn);
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  g_autofree char *clean = g_strstrip (g_strdup (message != NULL ? message : ""));

  /* Technical detail for logs and support; callers wrap it in a user-level message. */
  g_set_error (error, DD_DATABASE_ERROR, error_code_for_state (state), "%s: %s (%s)", what,
               clean, state != NULL ? state : "-");
}

/* SQL: the portable dialect the stores write, as PostgreSQL reads it */

static char *
translate_sql (const char *sql,
               int        *out_n_params)
{
  GString *out = g_string_sized_new (strlen (sql) + 16);
  int n = 0;
  const char *p = sql;

  while (*p != '\0')
    {
      if (*p == '\'' || *p == '"')
        {
          char quote = *p;

          g_string_append_c (out, *p++);
          while (*p != '\0')
            {
              g_string_append_c (out, *p);
              if (*p++ == quote)
                {
                  if (*p == quote)
                    {
                      g_string_append_c (out, *p++);
                      continue;
                    }
                  break;
                }
            }
        }
      else if (p[0] == '-' && p[1] == '-')
        {
          while (*p != '\0' && *p != '\n')
            g_string_append_c (out, *p++);
        }
      else if (g_str_has_prefix (p, DD_SQL_SKIP_LOCKED_PREFIX))
        {
          /* DD_SQL_CLAIM (alias): the rows a claim reads are locked for this transaction,
           * and rows another desk holds are passed over, not waited for */
          const char *alias = p + strlen (DD_SQL_SKIP_LOCKED_PREFIX);
          const char *end = strstr (alias, "*/");

          if (end == NULL)
            {
              g_string_append (out, p);
              break;
            }
          while (alias < end && *alias == ' ')
            alias++;
          if (alias < end)
            g_string_append_printf (out, "FOR UPDATE OF %.*s SKIP LOCKED", (int) (end - alias),
                                    alias);
          else
            g_string_append (out, "FOR UPDATE SKIP LOCKED");
          p = end + 2;
        }
      else if (*p == '?' && g_ascii_isdigit (p[1]))
        {
          /* "?NNN": a numbered parameter, which may come more than once */
          char *end = NULL;
          int number = (int) g_ascii_strtoll (p + 1, &end, 10);

          g_string_append_printf (out, "$%d", number);
          n = MAX (n, number);
          p = end;
        }
      else if (*p == '?')
        {
          g_string_append_printf (out, "$%d", ++n);
          p++;
        }
      else if (g_ascii_strncasecmp (p, "debtor_search MATCH ", 20) == 0)
        {
          /* FTS5's MATCH: the folded full-text document of schema 3 */
          g_string_append (out, "document @@ dd_search_query(");
          p += 20;
          if (*p == '?')
            {
              g_string_append_printf (out, "$%d", ++n);
              p++;
            }
          g_string_append_c (out, ')');
        }
      else
        g_string_append_c (out, *p++);
    }

  *out_n_params = n;
  return g_string_free (out, FALSE);
}

static const char *
skip_space (const char *p)
{
  while (g_ascii_isspace (*p))
    p++;
  return p;
}

/* The table an "INSERT INTO table …" writes, or NULL. */
static char *
insert_target (const char *sql)
{
  const char *p = skip_space (sql), *start;

  if (g_ascii_strncasecmp (p, "INSERT", 6) != 0)
    return NULL;
  p = skip_space (p + 6);
  if (g_ascii_strncasecmp (p, "INTO", 4) != 0)
    return NULL;
  p = skip_space (p + 4);
  start = p;
  while (g_ascii_isalnum (*p) || *p == '_')
    p++;
  return p > start ? g_ascii_strdown (start, p - start) : NULL;
}

/* Whether the INSERT names the "id" column itself ("INSERT INTO t (id, …"). */
static gboolean
names_id_column (const char *sql,
                 const char *table)
{
  g_autofree char *lower = g_ascii_strdown (sql, -1);
  const char *p = strstr (lower, table);

  if (p == NULL)
    return FALSE;
  p = skip_space (p + strlen (table));
  if (*p != '(')
    return FALSE;
  p = skip_space (p + 1);
  return g_str_has_prefix (p, "id") && !(g_ascii_isalnum (p[2]) || p[2] == '_');
}

static gboolean
mentions_returning (const char *sql)
{
  g_autofree char *lower = g_ascii_strdown (sql, -1);

  return strstr (lower, "returning") != NULL;
}

/* Connection */

static void
set_unreachable_error (DdPgDatabase  *self,
                       GError       **error)
{
  g_autofree char *message = g_strstrip (g_strdup (PQerrorMessage (self->conn)));

  g_set_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_OPEN,
               _("The shared office database “%s” cannot be reached: %s"), self->location,
               message);
}

static gboolean
connection_ok (DdPgDatabase  *self,
               GError       **error)
{
  if (self->lost)
    {
      set_unreachable_error (self, error);
      return FALSE;
    }
  if (PQstatus (self->conn) == CONNECTION_OK)
    return TRUE;

  /* The app's connection comes back in the background, announced (::connection-lost). */
  if (self->listening)
    {
      connection_lost (self);
      set_unreachable_error (self, error);
      return FALSE;
    }

  /* Any other (a command, a worker thread): one reconnection, blocking; what was prepared
   * on the old one is prepared again. */
  PQreset (self->conn);
  if (PQstatus (self->conn) == CONNECTION_OK && setup_session (self, NULL))
    {
      self->generation++;
      return TRUE;
    }
  set_unreachable_error (self, error);
  return FALSE;
}

/* After a failed query: was it the connection that failed? */
static void
check_connection (DdPgDatabase *self)
{
  if (self->listening && !self->lost && PQstatus (self->conn) == CONNECTION_BAD)
    connection_lost (self);
}

static void dispatch_notifications (DdPgDatabase *self);

static PGresult *
run_simple (DdPgDatabase  *self,
            const char    *sql,
            GError       **error)
{
  PGresult *result;
  ExecStatusType status;

  if (!connection_ok (self, error))
    return NULL;
  result = PQexec (self->conn, sql);
  status = PQresultStatus (result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      set_result_error (error, self->conn, result, "exec");
      PQclear (result);
      check_connection (self);
      return NULL;
    }
  if (self->notify_watch != 0)
    dispatch_notifications (self);
  return result;
}

/* Statements */

static DdPgDatabase *
stmt_database (DdStatement *stmt)
{
  return DD_PG_DATABASE (stmt->database);
}

static void
stmt_set_value (DdPgStatement *self,
                guint          index,
                char          *value)
{
  /* indexes are 1-based, as in SQLite */
  if (index == 0 || (int) index > self->n_params)
    {
      g_free (value);
      return;
    }
  g_free (self->values[index - 1]);
  self->values[index - 1] = value;
}

static void
stmt_bind_int64 (DdStatement *stmt,
                 guint        index,
                 gint64       value)
{
  stmt_set_value ((DdPgStatement *) stmt, index,
                  g_strdup_printf ("%" G_GINT64_FORMAT, value));
}

static void
stmt_bind_text (DdStatement *stmt,
                guint        index,
                const char  *value,
                gssize       len)
{
  stmt_set_value ((DdPgStatement *) stmt, index,
                  value == NULL ? NULL : len < 0 ? g_strdup (value) : g_strndup (value, len));
}

static void
stmt_bind_null (DdStatement *stmt,
                guint        index)
{
  stmt_set_value ((DdPgStatement *) stmt, index, NULL);
}

/* Prepared again on a connection that was re-established. */
static gboolean
stmt_ensure_prepared (DdPgStatement  *self,
                      GError        **error)
{
  DdPgDatabase *db = stmt_database ((DdStatement *) self);
  PGresult *prepared;

  if (self->generation == db->generation)
    return TRUE;
  prepared = PQprepare (db->conn, self->name, self->pg_sql, self->n_params, NULL);
  if (PQresultStatus (prepared) != PGRES_COMMAND_OK)
    {
      set_result_error (error, db->conn, prepared, "prepare");
      PQclear (prepared);
      check_connection (db);
      return FALSE;
    }
  PQclear (prepared);
  self->generation = db->generation;
  return TRUE;
}

static gboolean
stmt_execute (DdPgStatement  *self,
              GError        **error)
{
  DdPgDatabase *db = stmt_database ((DdStatement *) self);
  ExecStatusType status;

  if (!connection_ok (db, error) || !stmt_ensure_prepared (self, error))
    return FALSE;

  g_clear_pointer (&self->result, PQclear);
  self->result = PQexecPrepared (db->conn, self->name, self->n_params,
                                 (const char * const *) self->values, NULL, NULL, 0);
  status = PQresultStatus (self->result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      set_result_error (error, db->conn, self->result, "step");
      g_clear_pointer (&self->result, PQclear);
      check_connection (db);
      return FALSE;
    }

  db->changes = g_ascii_strtoll (PQcmdTuples (self->result), NULL, 10);
  if (self->sync_sql != NULL)
    {
      PGresult *synced = PQexec (db->conn, self->sync_sql);

      if (PQresultStatus (synced) != PGRES_TUPLES_OK)
        {
          set_result_error (error, db->conn, synced, "step");
          PQclear (synced);
          return FALSE;
        }
      PQclear (synced);
    }
  if (self->returns_id)
    {
      int n = PQntuples (self->result);

      if (n > 0)
        db->last_insert_id = g_ascii_strtoll (PQgetvalue (self->result, n - 1, 0), NULL, 10);
    }
  self->executed = TRUE;
  self->row = 0;
  if (db->notify_watch != 0)
    dispatch_notifications (db);
  return TRUE;
}

/* Streaming: cursors on the reader connection */

static DdDatabase *connect_blocking (const char *uri, GError **error);

/* Ends the reader's transaction (and with it every cursor in it). */
static void
reader_end (DdPgDatabase *db,
            const char   *sql)
{
  if (PQstatus (db->reader->conn) == CONNECTION_OK &&
      PQtransactionStatus (db->reader->conn) != PQTRANS_IDLE)
    PQclear (PQexec (db->reader->conn, sql));
  db->reader_cursors = 0;
  db->reader_epoch++;
}

/* The reader connection, in a transaction, for one more cursor. */
static PGconn *
reader_begin (DdPgDatabase  *db,
              GError       **error)
{
  PGconn *conn;

  if (db->reader == NULL)
    {
      DdDatabase *reader = connect_blocking (db->uri, error);

      if (reader == NULL)
        return NULL;
      db->reader = DD_PG_DATABASE (reader);
    }
  if (PQstatus (db->reader->conn) != CONNECTION_OK)
    {
      /* the server went: its cursors with it; one blocking attempt to come back */
      db->reader_cursors = 0;
      db->reader_epoch++;
      if (!connection_ok (db->reader, error))
        return NULL;
    }
  if (PQtransactionStatus (db->reader->conn) == PQTRANS_INERROR)
    reader_end (db, "ROLLBACK");
  if (PQtransactionStatus (db->reader->conn) == PQTRANS_IDLE)
    {
      PGresult *begun = PQexec (db->reader->conn, "BEGIN READ ONLY");

      /* an idle connection learns only now that the server went away (and came back) */
      if (PQresultStatus (begun) != PGRES_COMMAND_OK &&
          PQstatus (db->reader->conn) == CONNECTION_BAD)
        {
          PQclear (begun);
          db->reader_epoch++;
          if (!connection_ok (db->reader, error))
            return NULL;
          begun = PQexec (db->reader->conn, "BEGIN READ ONLY");
        }
      if (PQresultStatus (begun) != PGRES_COMMAND_OK)
        {
          set_result_error (error, db->reader->conn, begun, "step");
          PQclear (begun);
          return NULL;
        }
      PQclear (begun);
      db->reader_cursors = 0;
    }
  conn = db->reader->conn;
  return conn;
}

/* Closes the statement's cursor if it is open; the rows already fetched stay readable. */
static void
stream_close (DdPgStatement *self)
{
  DdPgDatabase *db = self->parent.database != NULL ? stmt_database ((DdStatement *) self) : NULL;

  if (self->cursor == NULL)
    return;
  if (db != NULL && db->reader != NULL && self->cursor_epoch == db->reader_epoch)
    {
      PGconn *conn = db->reader->conn;

      if (PQstatus (conn) != CONNECTION_OK || PQtransactionStatus (conn) != PQTRANS_INTRANS)
        reader_end (db, "ROLLBACK");
      else if (db->reader_cursors <= 1)
        reader_end (db, "COMMIT");  /* the last one: closed with its transaction */
      else
        {
          g_autofree char *close = g_strdup_printf ("CLOSE %s", self->cursor);
          PGresult *closed = PQexec (conn, close);

          if (PQresultStatus (closed) != PGRES_COMMAND_OK)
            reader_end (db, "ROLLBACK");
          else if (--db->reader_cursors == 0)
            reader_end (db, "COMMIT");
          PQclear (closed);
        }
    }
  g_clear_pointer (&self->cursor, g_free);
}

/* The next chunk of rows; the cursor is closed after the last. */
static gboolean
stream_fetch (DdPgStatement  *self,
              GError        **error)
{
  DdPgDatabase *db = stmt_database ((DdStatement *) self);
  g_autofree char *fetch = g_strdup_printf ("FETCH FORWARD %d FROM %s", self->chunk,
                                            self->cursor);
  PGresult *result;

  if (self->cursor_epoch != db->reader_epoch)
    {
      /* its transaction ended under it: an error in another cursor, or a lost connection */
      g_set_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_SQL,
                   "step: the reading of %s was interrupted", self->cursor);
      g_clear_pointer (&self->cursor, g_free);
      g_clear_pointer (&self->result, PQclear);
      return FALSE;
    }
  result = PQexec (db->reader->conn, fetch);
  g_clear_pointer (&self->result, PQclear);
  self->row = 0;
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      set_result_error (error, db->reader->conn, result, "step");
      PQclear (result);
      stream_close (self);
      return FALSE;
    }
  self->result = result;
  if (PQntuples (result) < self->chunk)
    stream_close (self);
  self->chunk = MIN (self->chunk * 4, STREAM_MAX_CHUNK);
  return TRUE;
}

/* Declares the cursor and fetches the first chunk. */
static gboolean
stream_open (DdPgStatement  *self,
             GError        **error)
{
  DdPgDatabase *db = stmt_database ((DdStatement *) self);
  g_autofree char *declare = NULL;
  PGconn *conn = reader_begin (db, error);
  PGresult *declared;

  if (conn == NULL)
    return FALSE;
  self->cursor = g_strdup_printf ("dd_cursor_%u", ++db->n_cursors);
  self->cursor_epoch = db->reader_epoch;
  declare = g_strdup_printf ("DECLARE %s NO SCROLL CURSOR FOR %s", self->cursor, self->pg_sql);
  declared = PQexecParams (conn, declare, self->n_params, NULL,
                           (const char * const *) self->values, NULL, NULL, 0);
  if (PQresultStatus (declared) != PGRES_COMMAND_OK)
    {
      set_result_error (error, conn, declared, "step");
      PQclear (declared);
      g_clear_pointer (&self->cursor, g_free);
      /* the transaction is in error: its other cursors end too (their next step says so) */
      reader_end (db, "ROLLBACK");
      return FALSE;
    }
  PQclear (declared);
  db->reader_cursors++;
  self->executed = TRUE;
  self->streaming = TRUE;
  self->chunk = STREAM_FIRST_CHUNK;
  return stream_fetch (self, error);
}

static gboolean
stmt_step (DdStatement  *stmt,
           GError      **error)
{
  DdPgStatement *self = (DdPgStatement *) stmt;
  DdPgDatabase *db = stmt_database (stmt);

  if (!self->executed)
    {
      /* Within a transaction of the stores' a query must see its uncommitted writes: read
       * whole there, on this connection. */
      if (stmt->streamed && !self->returns_id && self->sync_sql == NULL)
        {
          if (!connection_ok (db, error))
            return FALSE;
          if (PQtransactionStatus (db->conn) == PQTRANS_IDLE)
            {
              if (!stream_open (self, error))
                return FALSE;
            }
          else if (!stmt_execute (self, error))
            return FALSE;
        }
      else if (!stmt_execute (self, error))
        return FALSE;
    }
  if (self->streaming && self->cursor != NULL && self->result != NULL &&
      self->row >= PQntuples (self->result) && !stream_fetch (self, error))
    return FALSE;
  if (self->returns_id || self->result == NULL || self->row >= PQntuples (self->result))
    return FALSE;
  self->row++;
  return TRUE;
}

static void
stmt_reset (DdStatement *stmt)
{
  DdPgStatement *self = (DdPgStatement *) stmt;

  stream_close (self);
  self->streaming = FALSE;
  g_clear_pointer (&self->result, PQclear);
  self->executed = FALSE;
  self->row = 0;
  for (int i = 0; i < self->n_params; i++)
    g_clear_pointer (&self->values[i], g_free);
}

static guint
stmt_n_columns (DdStatement *stmt)
{
  DdPgStatement *self = (DdPgStatement *) stmt;
  DdPgDatabase *db = stmt_database (stmt);
  PGresult *described;
  guint n;

  if (self->result != NULL)
    return PQnfields (self->result);
  if (stmt->streamed && !stmt_ensure_prepared (self, NULL))
    return 0;
  if (self->generation != db->generation && !stmt_execute (self, NULL))
    return 0;
  if (self->result != NULL)
    return PQnfields (self->result);
  described = PQdescribePrepared (db->conn, self->name);
  n = PQresultStatus (described) == PGRES_COMMAND_OK ? (guint) PQnfields (described) : 0;
  PQclear (described);
  return n;
}

static gboolean
stmt_has_row (DdPgStatement *self,
              guint          column)
{
  return self->result != NULL && self->row > 0 && (int) column < PQnfields (self->result);
}

static gboolean
stmt_is_null (DdStatement *stmt,
              guint        column)
{
  DdPgStatement *self = (DdPgStatement *) stmt;

  return !stmt_has_row (self, column) || PQgetisnull (self->result, self->row - 1, column);
}

static const char *
stmt_get_text (DdStatement *stmt,
               guint        column)
{
  DdPgStatement *self = (DdPgStatement *) stmt;
  const char *value;

  if (stmt_is_null (stmt, column))
    return NULL;
  value = PQgetvalue (self->result, self->row - 1, column);
  /* SQLite has no booleans: a comparison is 1 or 0 */
  if (PQftype (self->result, column) == BOOLOID)
    return value[0] == 't' ? "1" : "0";
  return value;
}

static gint64
stmt_get_int64 (DdStatement *stmt,
                guint        column)
{
  const char *value = stmt_get_text (stmt, column);

  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
}

static void
stmt_free (DdStatement *stmt)
{
  DdPgStatement *self = (DdPgStatement *) stmt;
  DdPgDatabase *db = stmt->database != NULL ? stmt_database (stmt) : NULL;

  stream_close (self);
  if (db != NULL && db->conn != NULL && self->generation == db->generation &&
      PQstatus (db->conn) == CONNECTION_OK &&
      PQtransactionStatus (db->conn) != PQTRANS_INERROR)
    {
      g_autofree char *deallocate = g_strdup_printf ("DEALLOCATE %s", self->name);

      PQclear (PQexec (db->conn, deallocate));
    }
  g_clear_pointer (&self->result, PQclear);
  for (int i = 0; i < self->n_params; i++)
    g_free (self->values[i]);
  g_free (self->values);
  g_free (self->name);
  g_free (self->pg_sql);
  g_free (self->sync_sql);
  g_free (self->cursor);
  g_free (stmt->sql);
  g_free (self);
}

static const DdStatementVTable pg_statement_vtable = DD_STATEMENT_VTABLE_INIT (stmt);

/* Driver */

static const char *
dd_pg_database_get_location (DdDatabase *database)
{
  return DD_PG_DATABASE (database)->location;
}

static DdStatement *
dd_pg_database_prepare (DdDatabase  *database,
                        const char  *sql,
                        GError     **error)
{
  DdPgDatabase *self = DD_PG_DATABASE (database);
  DdPgStatement *stmt;
  g_autofree char *target = insert_target (sql);
  g_autofree char *pg_sql = NULL;
  int n_params = 0;

  pg_sql = translate_sql (sql, &n_params);
  stmt = g_new0 (DdPgStatement, 1);
  stmt->parent.vtable = &pg_statement_vtable;
  stmt->parent.database = database;
  stmt->parent.sql = g_strdup (sql);
  stmt->name = g_strdup_printf ("dd_%u", ++self->n_statements);
  stmt->n_params = n_params;
  stmt->values = g_new0 (char *, MAX (n_params, 1));

  /* dd_statement_run_insert() asks for the new row's id: PostgreSQL gives it back */
  if (target != NULL && self->id_tables != NULL &&
      g_hash_table_contains (self->id_tables, target) && !mentions_returning (sql))
    {
      char *with_id = g_strconcat (g_strchomp (pg_sql), " RETURNING id", NULL);

      /* a trailing ";" would end the statement before RETURNING */
      if (g_str_has_suffix (with_id, "; RETURNING id"))
        {
          char *semicolon = strstr (with_id, "; RETURNING id");
          memmove (semicolon, semicolon + 1, strlen (semicolon + 1) + 1);
        }
      g_free (pg_sql);
      pg_sql = with_id;
      stmt->returns_id = TRUE;
      if (names_id_column (sql, target))
        stmt->sync_sql = g_strdup_printf ("SELECT setval(pg_get_serial_sequence('%s', 'id'),"
                                          " (SELECT coalesce(max(id), 0) + 1 FROM %s), false)",
                                          target, target);
    }
  stmt->pg_sql = g_steal_pointer (&pg_sql);

  /* Prepared on the server now, so that an error in the SQL shows where it is written. */
  if (!connection_ok (self, error))
    {
      stmt_free ((DdStatement *) stmt);
      return NULL;
    }
  {
    PGresult *prepared = PQprepare (self->conn, stmt->name, stmt->pg_sql, n_params, NULL);

    if (PQresultStatus (prepared) != PGRES_COMMAND_OK)
      {
        set_result_error (error, self->conn, prepared, "prepare");
        PQclear (prepared);
        check_connection (self);
        stmt->parent.database = NULL;
        stmt_free ((DdStatement *) stmt);
        return NULL;
      }
    PQclear (prepared);
    stmt->generation = self->generation;
  }
  return (DdStatement *) stmt;
}

static gboolean
dd_pg_database_exec (DdDatabase  *database,
                     const char  *sql,
                     GError     **error)
{
  PGresult *result = run_simple (DD_PG_DATABASE (database), sql, error);

  if (result == NULL)
    return FALSE;
  DD_PG_DATABASE (database)->changes = g_ascii_strtoll (PQcmdTuples (result), NULL, 10);
  PQclear (result);

  /* A script given whole may write ids of its own (a fixture, an office copied from
   * SQLite): the identity sequences follow, so that the next row gets a free id. */
  if (DD_PG_DATABASE (database)->id_tables != NULL && g_strstr_len (sql, -1, "INSERT") != NULL)
    {
      result = run_simple (DD_PG_DATABASE (database), "SELECT dd_sync_sequences ()", error);
      if (result == NULL)
        return FALSE;
      PQclear (result);
    }
  return TRUE;
}

static gboolean
dd_pg_database_rollback (DdDatabase  *database,
                         GError     **error)
{
  DdPgDatabase *self = DD_PG_DATABASE (database);

  /* a lost connection's transaction was rolled back by the server */
  if (self->lost || PQstatus (self->conn) != CONNECTION_OK ||
      PQtransactionStatus (self->conn) == PQTRANS_IDLE)
    return TRUE;
  return dd_pg_database_exec (database, "ROLLBACK", error);
}

static guint
read_schema_version (DdPgDatabase *self)
{
  PGresult *result;
  guint version = 0;

  result = PQexec (self->conn, "SELECT version FROM dd_schema");
  if (PQresultStatus (result) == PGRES_TUPLES_OK && PQntuples (result) == 1)
    version = (guint) g_ascii_strtoull (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  return version;
}

static guint
dd_pg_database_get_schema_version (DdDatabase *database)
{
  return read_schema_version (DD_PG_DATABASE (database));
}

static gint64
dd_pg_database_last_insert_id (DdDatabase *database)
{
  return DD_PG_DATABASE (database)->last_insert_id;
}

static gint64
dd_pg_database_changes (DdDatabase *database)
{
  return DD_PG_DATABASE (database)->changes;
}

static DdDatabase *
dd_pg_database_open_another (DdDatabase  *database,
                             GError     **error)
{
  g_autoptr(DdDatabase) another = connect_blocking (DD_PG_DATABASE (database)->uri, error);

  if (another == NULL)
    return NULL;
  DD_PG_DATABASE (another)->id_tables = g_hash_table_ref (DD_PG_DATABASE (database)->id_tables);
  return g_steal_pointer (&another);
}

static void
dd_pg_database_dispose (GObject *object)
{
  DdPgDatabase *self = DD_PG_DATABASE (object);

  if (self->notify_context != NULL)
    {
      remove_source (self, &self->notify_watch);
      remove_source (self, &self->reconnect_watch);
      remove_source (self, &self->reconnect_timer);
    }
  g_clear_pointer (&self->notify_context, g_main_context_unref);
  _dd_database_clear_cache (DD_DATABASE (object));

  G_OBJECT_CLASS (dd_pg_database_parent_class)->dispose (object);
}

static void
dd_pg_database_finalize (GObject *object)
{
  DdPgDatabase *self = DD_PG_DATABASE (object);

  g_clear_object (&self->reader);
  g_clear_pointer (&self->conn, PQfinish);
  g_clear_pointer (&self->id_tables, g_hash_table_unref);
  g_free (self->uri);
  g_free (self->location);

  G_OBJECT_CLASS (dd_pg_database_parent_class)->finalize (object);
}

static void
dd_pg_database_class_init (DdPgDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  DdDatabaseClass *database_class = DD_DATABASE_CLASS (klass);

  object_class->dispose = dd_pg_database_dispose;
  object_class->finalize = dd_pg_database_finalize;

  database_class->driver_name = "postgresql";
  database_class->get_location = dd_pg_database_get_location;
  database_class->prepare = dd_pg_database_prepare;
  database_class->exec = dd_pg_database_exec;
  database_class->begin_sql = "BEGIN";
  database_class->rollback = dd_pg_database_rollback;
  database_class->get_schema_version = dd_pg_database_get_schema_version;
  database_class->open_another = dd_pg_database_open_another;
  database_class->last_insert_id = dd_pg_database_last_insert_id;
  database_class->changes = dd_pg_database_changes;

  /**
   * DdPgDatabase::changed:
   * @table: the table another desk (or this one) changed
   * @ids: the ids of the rows, comma-separated, or "*" for many
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * DdPgDatabase::connection-lost:
   * @message: libpq's words, for the log
   *
   * A listening connection was lost; it is being re-established in the background, and
   * queries fail at once until ::reconnected.
   */
  signals[SIGNAL_CONNECTION_LOST] =
    g_signal_new ("connection-lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * DdPgDatabase::reconnected:
   *
   * The connection is back (and listening again); what was shown may be out of date.
   */
  signals[SIGNAL_RECONNECTED] =
    g_signal_new ("reconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
}

static void
dd_pg_database_init (DdPgDatabase *self)
{
}

/* Notifications */

static void
dispatch_notifications (DdPgDatabase *self)
{
  PGnotify *notify;

  PQconsumeInput (self->conn);
  while ((notify = PQnotifies (self->conn)) != NULL)
    {
      g_autofree char *table = g_strdup (notify->extra);
      char *space = strchr (table, ' ');

      if (space != NULL)
        {
          *space = '\0';
          g_signal_emit (self, signals[SIGNAL_CHANGED], 0, table, space + 1);
        }
      PQfreemem (notify);
    }
}

static void
remove_source (DdPgDatabase *self,
               guint        *id)
{
  GSource *source;

  if (*id == 0)
    return;
  source = g_main_context_find_source_by_id (self->notify_context, *id);
  if (source != NULL)
    g_source_destroy (source);
  *id = 0;
}

static guint
attach_source (DdPgDatabase *self,
               GSource      *source,
               GSourceFunc   func,
               const char   *name)
{
  guint id;

  g_source_set_callback (source, func, self, NULL);
  g_source_set_static_name (source, name);
  id = g_source_attach (source, self->notify_context);
  g_source_unref (source);
  return id;
}

static gboolean
on_notify_readable (int           fd,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  DdPgDatabase *self = user_data;

  dispatch_notifications (self);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      /* the server went away (restarted, the network dropped): it is noticed here even
       * when the desk asks nothing of it */
      self->notify_watch = 0;
      connection_lost (self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
watch_notifications (DdPgDatabase  *self,
                     GError       **error)
{
  PGresult *result = run_simple (self, "LISTEN dd_changes", error);

  if (result == NULL)
    return FALSE;
  PQclear (result);
  self->notify_watch = attach_source (self, g_unix_fd_source_new (PQsocket (self->conn), G_IO_IN),
                                      (GSourceFunc) (GCallback) on_notify_readable,
                                      "[dunning-desk] PostgreSQL notifications");
  return TRUE;
}

gboolean
dd_pg_database_listen (DdPgDatabase  *self,
                       GError       **error)
{
  g_return_val_if_fail (DD_IS_PG_DATABASE (self), FALSE);

  if (self->listening)
    return TRUE;
  if (self->notify_context == NULL)
    self->notify_context = g_main_context_ref_thread_default ();
  if (!watch_notifications (self, error))
    return FALSE;
  self->listening = TRUE;
  return TRUE;
}

gboolean
dd_pg_database_is_connected (DdPgDatabase *self)
{
  g_return_val_if_fail (DD_IS_PG_DATABASE (self), FALSE);

  return !self->lost;
}

/* Reconnecting */

static void schedule_reconnect (DdPgDatabase *self);
static void reset_step (DdPgDatabase *self);

static gboolean
on_reset_socket_ready (int           fd,
                       GIOCondition  condition,
                       gpointer      user_data)
{
  DdPgDatabase *self = user_data;

  self->reconnect_watch = 0;
  self->reset_polling = PQresetPoll (self->conn);
  reset_step (self);
  return G_SOURCE_REMOVE;
}

static void
reset_step (DdPgDatabase *self)
{
  g_autoptr(GError) error = NULL;

  if (self->reset_polling == PGRES_POLLING_FAILED || PQstatus (self->conn) == CONNECTION_BAD)
    {
      g_debug ("Reconnecting to %s failed: %s", self->location, PQerrorMessage (self->conn));
      schedule_reconnect (self);
      return;
    }
  if (self->reset_polling != PGRES_POLLING_OK)
    {
      /* the socket is read again after each step: libpq may have opened another one */
      GIOCondition condition = self->reset_polling == PGRES_POLLING_READING ? G_IO_IN : G_IO_OUT;

      self->reconnect_watch = attach_source (self,
                                             g_unix_fd_source_new (PQsocket (self->conn),
                                                                   condition),
                                             (GSourceFunc) (GCallback) on_reset_socket_ready,
                                             "[dunning-desk] PostgreSQL reconnect");
      return;
    }

  /* back: the session is set up again, prepared statements are prepared again on first use,
   * and the other desks' changes are listened to again */
  self->lost = FALSE;
  self->generation++;
  if (!setup_session (self, &error) || !watch_notifications (self, &error))
    {
      g_debug ("Reconnected to %s, but: %s", self->location, error->message);
      self->lost = TRUE;
      schedule_reconnect (self);
      return;
    }
  g_info ("Reconnected to the shared office database %s", self->location);
  self->backoff = 0;
  g_signal_emit (self, signals[SIGNAL_RECONNECTED], 0);
}

static gboolean
on_reconnect_timer (gpointer user_data)
{
  DdPgDatabase *self = user_data;

  self->reconnect_timer = 0;
  if (!PQresetStart (self->conn))
    {
      schedule_reconnect (self);
      return G_SOURCE_REMOVE;
    }
  self->reset_polling = PGRES_POLLING_WRITING;
  reset_step (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (DdPgDatabase *self)
{
  /* 1, 2, 4 … 30 s between attempts */
  self->backoff = self->backoff == 0 ? 1 : MIN (self->backoff * 2, 30);
  self->reconnect_timer = attach_source (self, g_timeout_source_new_seconds (self->backoff),
                                         on_reconnect_timer,
                                         "[dunning-desk] PostgreSQL reconnect timer");
}

static void
connection_lost (DdPgDatabase *self)
{
  g_autofree char *message = NULL;

  if (self->lost || !self->listening)
    return;
  message = g_strstrip (g_strdup (PQerrorMessage (self->conn)));
  g_message ("Lost the connection to the shared office database %s: %s", self->location,
             message);
  self->lost = TRUE;
  self->backoff = 0;
  remove_source (self, &self->notify_watch);
  remove_source (self, &self->reconnect_watch);
  remove_source (self, &self->reconnect_timer);
  schedule_reconnect (self);
  g_signal_emit (self, signals[SIGNAL_CONNECTION_LOST], 0, message);
}

/* Opening */

static gboolean
setup_session (DdPgDatabase  *self,
               GError       **error)
{
  /* times are stored as UTC text by the stores; warnings are not errors; no JIT: the
   * list's walks are planned for their whole 1,000,000 rows but read a few, and compiling
   * their plan took longer (~0.4 s) than reading the first rows */
  PGresult *result = run_simple (self, "SET client_min_messages = warning; SET TIME ZONE 'UTC';"
                                 " SET jit = off", error);

  if (result == NULL)
    return FALSE;
  PQclear (result);
  return TRUE;
}

gboolean
dd_pg_database_is_uri (const char *location)
{
  return location != NULL && (g_str_has_prefix (location, "postgresql://") ||
                              g_str_has_prefix (location, "postgres://"));
}

char *
dd_pg_database_redact_uri (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED,
                                        NULL);
  g_autoptr(GUri) without = NULL;

  if (parsed == NULL)
    return g_strdup ("postgresql://…");
  without = g_uri_build_with_user (G_URI_FLAGS_ENCODED, g_uri_get_scheme (parsed),
                                   g_uri_get_user (parsed), NULL, NULL,
                                   g_uri_get_host (parsed), g_uri_get_port (parsed),
                                   g_uri_get_path (parsed), g_uri_get_query (parsed), NULL);
  return g_uri_to_string (without);
}

static DdPgDatabase *
new_database (const char *uri,
              PGconn     *conn)
{
  DdPgDatabase *self = g_object_new (DD_TYPE_PG_DATABASE, NULL);

  self->uri = g_strdup (uri);
  self->location = dd_pg_database_redact_uri (uri);
  self->conn = conn;
  self->generation = 1;
  return self;
}

static gboolean
finish_connection (DdPgDatabase  *self,
                   GError       **error)
{
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *message = g_strstrip (g_strdup (PQerrorMessage (self->conn)));

      g_set_error (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_OPEN,
                   _("Could not connect to the shared office database “%s”: %s"),
                   self->location, message);
      return FALSE;
    }
  return setup_session (self, error);
}

static DdDatabase *
connect_blocking (const char  *uri,
                  GError     **error)
{
  g_autoptr(DdPgDatabase) self = new_database (uri, PQconnectStart (uri));
  PostgresPollingStatusType polling = PGRES_POLLING_WRITING;

  if (self->conn == NULL)
    {
      g_set_error_literal (error, DD_DATABASE_ERROR, DD_DATABASE_ERROR_OPEN,
                           _("Out of memory while connecting to the shared office database"));
      return NULL;
    }
  /* libpq's own steps; the socket may change between steps, so it is read each time */
  while (PQstatus (self->conn) != CONNECTION_BAD &&
         polling != PGRES_POLLING_OK && polling != PGRES_POLLING_FAILED)
    {
      struct pollfd fd = { PQsocket (self->conn), 0, 0 };

      fd.events = polling == PGRES_POLLING_READING ? POLLIN : POLLOUT;
      if (fd.fd >= 0 && poll (&fd, 1, 30000) <= 0)
        break;
      polling = PQconnectPoll (self->conn);
    }
  if (!finish_connection (self, error))
    return NULL;
  return DD_DATABASE (g_steal_pointer (&self));
}

static gboolean
load_id_tables (DdPgDatabase  *self,
                GError       **error)
{
  PGresult *result;

  result = run_simple (self,
                       "SELECT table_name FROM information_schema.columns"
                       " WHERE column_name = 'id' AND is_identity = 'YES'"
                       " AND table_schema = current_schema()", error);
  if (result == NULL)
    return FALSE;
  g_clear_pointer (&self->id_tables, g_hash_table_unref);
  self->id_tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (int i = 0; i < PQntuples (result); i++)
    g_hash_table_add (self->id_tables, g_strdup (PQgetvalue (result, i, 0)));
  PQclear (result);
  return TRUE;
}

static gboolean
apply_migration (gpointer            db,
                 const DdMigration  *m,
                 GError            **error)
{
  DdPgDatabase *self = db;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *version = NULL;

  sql = dd_migrations_load (MIGRATIONS_PATH, m, error);
  if (sql == NULL)
    return FALSE;
  version = g_strdup_printf ("UPDATE dd_schema SET version = %u", m->version);

  /* DDL is transactional in PostgreSQL: a migration is applied whole or not at all; the
   * lock keeps two desks that start at once from migrating together. */
  if (!dd_pg_database_exec (DD_DATABASE (self), "BEGIN", &local_error) ||
      !dd_pg_database_exec (DD_DATABASE (self),
                            "LOCK TABLE dd_schema IN ACCESS EXCLUSIVE MODE", &local_error))
    goto fail;
  if (read_schema_version (self) >= m->version)
    return dd_pg_database_exec (DD_DATABASE (self), "COMMIT", error);
  if (!dd_pg_database_exec (DD_DATABASE (self), sql, &local_error) ||
      !dd_pg_database_exec (DD_DATABASE (self), version, &local_error) ||
      !dd_pg_database_exec (DD_DATABASE (self), "COMMIT", &local_error))
    goto fail;

  g_debug ("Applied migration %s to %s", m->name, self->location);
  return TRUE;

fail:
  dd_pg_database_rollback (DD_DATABASE (self), NULL);
  dd_migrations_set_error (error, m, local_error);
  return FALSE;
}

static gboolean
migrate (DdPgDatabase  *self,
         GError       **error)
{
  g_autoptr(GArray) migrations = dd_migrations_list (MIGRATIONS_PATH);

  if (!dd_pg_database_exec (DD_DATABASE (self),
                            "CREATE TABLE IF NOT EXISTS dd_schema (version BIGINT NOT NULL);"
                            "INSERT INTO dd_schema (version) SELECT 0"
                            " WHERE NOT EXISTS (SELECT 1 FROM dd_schema)", error))
    return FALSE;
  return dd_migrations_run (migrations, read_schema_version (self), 0,
                            apply_migration, self, error)
         && load_id_tables (self, error);
}

DdDatabase *
dd_pg_database_open (const char  *uri,
                     GError     **error)
{
  g_autoptr(DdDatabase) database = connect_blocking (uri, error);

  if (database == NULL || !migrate (DD_PG_DATABASE (database), error))
    return NULL;
  return g_steal_pointer (&database);
}

/* Opening without blocking the main loop */

typedef struct
{
  char         *uri;
  PGconn       *conn;
  guint         watch;
  PostgresPollingStatusType polling;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_clear_handle_id (&data->watch, g_source_remove);
  g_clear_pointer (&data->conn, PQfinish);
  g_free (data->uri);
  g_free (data);
}

static void connect_step (GTask *task);

static gboolean
on_socket_ready (int           fd,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  GTask *task = user_data;
  OpenData *data = g_task_get_task_data (task);

  data->watch = 0;
  data->polling = PQconnectPoll (data->conn);
  connect_step (task);
  return G_SOURCE_REMOVE;
}

static void
connect_step (GTask *task)
{
  OpenData *data = g_task_get_task_data (task);
  GSource *source;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  if (data->polling == PGRES_POLLING_OK || data->polling == PGRES_POLLING_FAILED ||
      PQstatus (data->conn) == CONNECTION_BAD)
    {
      g_autoptr(DdPgDatabase) self = new_database (data->uri, g_steal_pointer (&data->conn));
      GError *error = NULL;

      if (finish_connection (self, &error) && migrate (self, &error))
        g_task_return_pointer (task, g_steal_pointer (&self), g_object_unref);
      else
        g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  /* the socket is read again after each step: libpq may have opened another one */
  source = g_unix_fd_source_new (PQsocket (data->conn),
                                 data->polling == PGRES_POLLING_READING ? G_IO_IN : G_IO_OUT);
  g_source_set_callback (source, (GSourceFunc) (GCallback) on_socket_ready, task, NULL);
  g_source_set_static_name (source, "[dunning-desk] PostgreSQL connect");
  data->watch = g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
}

static void
start_connecting (GTask      *task,
                  const char *hostaddr)
{
  OpenData *data = g_task_get_task_data (task);
  PQconninfoOption *options;
  g_autoptr(GPtrArray) keywords = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  char *errmsg = NULL;

  options = PQconninfoParse (data->uri, &errmsg);
  if (options == NULL)
    {
      g_task_return_new_error (task, DD_DATABASE_ERROR, DD_DATABASE_ERROR_OPEN,
                               _("“%s” is not a valid database address: %s"), data->uri,
                               errmsg != NULL ? errmsg : "");
      PQfreemem (errmsg);
      g_object_unref (task);
      return;
    }
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (o->val != NULL && !(hostaddr != NULL && g_str_equal (o->keyword, "hostaddr")))
      {
        g_ptr_array_add (keywords, o->keyword);
        g_ptr_array_add (values, o->val);
      }
  if (hostaddr != NULL)
    {
      g_ptr_array_add (keywords, (gpointer) "hostaddr");
      g_ptr_array_add (values, (gpointer) hostaddr);
    }
  g_ptr_array_add (keywords, NULL);
  g_ptr_array_add (values, NULL);

  data->conn = PQconnectStartParams ((const char * const *) keywords->pdata,
                                     (const char * const *) values->pdata, 0);
  PQconninfoFree (options);
  data->polling = PGRES_POLLING_WRITING;
  connect_step (task);
}

static void
on_resolved (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  GList *addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  g_autofree char *first = NULL;

  if (addresses == NULL)
    {
      g_task_return_new_error (task, DD_DATABASE_ERROR, DD_DATABASE_ERROR_OPEN,
                               _("Could not find the database server: %s"), error->message);
      g_object_unref (task);
      return;
    }
  first = g_inet_address_to_string (addresses->data);
  g_resolver_free_addresses (addresses);
  start_connecting (task, first);
}

void
dd_pg_database_open_async (const char          *uri,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  OpenData *data = g_new0 (OpenData, 1);
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED,
                                        NULL);
  const char *host = parsed != NULL ? g_uri_get_host (parsed) : NULL;

  g_task_set_source_tag (task, dd_pg_database_open_async);
  data->uri = g_strdup (uri);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);

  /* libpq would resolve the name in this thread, blocking the loop: GResolver does it in a
   * worker thread. A Unix socket directory or a numeric address needs no resolving. */
  if (host != NULL && *host != '\0' && *host != '/' && !g_hostname_is_ip_address (host) &&
      !g_str_has_prefix (host, "%2F") && !g_str_has_prefix (host, "%2f"))
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();

      g_resolver_lookup_by_name_async (resolver, host, cancellable, on_resolved, task);
    }
  else
    start_connecting (task, NULL);
}

DdDatabase *
dd_pg_database_open_finish (GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
