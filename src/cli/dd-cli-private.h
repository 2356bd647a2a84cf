/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * dunning-desk-cli: the headless front of the office. dd-cli.c dispatches the command and
 * takes the global options (before or after the command); one file per group of commands.
 */

#include "dd-campaign-audience.h"
#include "dd-campaign-messages.h"
#include "dd-campaign-store.h"
#include "dd-case-query.h"
#include "dd-case-store.h"
#include "dd-column-map.h"
#include "dd-contact-policy.h"
#include "dd-database.h"
#include "dd-debtor-store.h"
#include "dd-demo-office.h"
#include "dd-http-gateway.h"
#include "dd-import-store.h"
#include "dd-importer.h"
#include "dd-json.h"
#include "dd-outbox.h"
#include "dd-sip-core.h"
#include "dd-sms-account.h"
#include "dd-sending.h"
#include "dd-sms-dispatcher.h"
#include "dd-tts.h"

#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

G_BEGIN_DECLS

/* Options several commands take (--json, --encoding). */
extern gboolean  dd_cli_json;
extern char     *dd_cli_encoding;

/* The --json option, for a command's GOptionEntry table; its text is marked for translation
 * where dd-cli.c defines dd_cli_json_entries (a gettext call in a macro is not extracted). */
#define DD_CLI_JSON_ENTRY \
  { "json", 0, 0, G_OPTION_ARG_NONE, &dd_cli_json, "Print as JSON", NULL }
/* The options of a command that has only --json. */
extern GOptionEntry dd_cli_json_entries[];

/* "dunning-desk-cli: MESSAGE" on stderr. */
void        dd_cli_print_error    (const char       *message);
/* Prints @message as the error of a command used wrongly; its exit status, 2. */
int         dd_cli_usage_error    (const char       *message);
/* Says @error's message and gives the exit status of a failed command (1). */
int         dd_cli_fail           (const GError     *error);
/* The office database of --database (or the default one); NULL after saying why. */
DdDatabase *dd_cli_open_database  (void);
/* Prints @summary as JSON when --json was given; FALSE when it was not. */
gboolean    dd_cli_print_summary_json (const DdImportSummary *summary);
/* @node (or the root that @builder built) as indented JSON and a newline on stdout. */
void        dd_cli_print_json_node (JsonNode        *node);
void        dd_cli_print_json     (JsonBuilder      *builder);
/* A member that --json writes of a struct: its JSON name, its C type (from the member's own, by
 * DD_CLI_FIELD) and where it is; or a text made from the struct (DD_CLI_FIELD_TEXT: an enum's
 * name, a formatted time). A gboolean is an int to C: booleans are DD_CLI_FIELD_BOOLEAN.
 * A table of them ends with { NULL }. */
typedef enum
{
  DD_CLI_FIELD_INT64,
  DD_CLI_FIELD_INT,
  DD_CLI_FIELD_UINT,
  DD_CLI_FIELD_DOUBLE,
  DD_CLI_FIELD_STRING,
  DD_CLI_FIELD_BOOLEAN,
  DD_CLI_FIELD_MADE,
} DdCliFieldType;

typedef struct
{
  const char     *name;
  DdCliFieldType  type;
  gsize           offset;
  char         *(*text) (gconstpointer item);   /* DD_CLI_FIELD_MADE: newly allocated, or NULL */
} DdCliField;

/* The member @member of @Struct as the JSON member @name. */
#define DD_CLI_FIELD_AS(Struct, member, name) \
  { name, \
    _Generic (((Struct *) NULL)->member, \
              gint64: DD_CLI_FIELD_INT64, \
              int: DD_CLI_FIELD_INT, \
              guint: DD_CLI_FIELD_UINT, \
              double: DD_CLI_FIELD_DOUBLE, \
              char *: DD_CLI_FIELD_STRING, \
              const char *: DD_CLI_FIELD_STRING), \
    G_STRUCT_OFFSET (Struct, member), NULL }
/* The member @member of @Struct under its own name. */
#define DD_CLI_FIELD(Struct, member) DD_CLI_FIELD_AS (Struct, member, #member)
/* The gboolean @member of @Struct as true or false, named @name, or its own name. */
#define DD_CLI_FIELD_BOOLEAN_AS(Struct, member, name) \
  { name, _Generic (((Struct *) NULL)->member, gboolean: DD_CLI_FIELD_BOOLEAN), \
    G_STRUCT_OFFSET (Struct, member), NULL }
#define DD_CLI_FIELD_BOOLEAN(Struct, member) DD_CLI_FIELD_BOOLEAN_AS (Struct, member, #member)
/* The string member @name that @text (char *(*) (gconstpointer item)) makes of the struct. */
#define DD_CLI_FIELD_TEXT(name, text) { name, DD_CLI_FIELD_MADE, 0, text }
/* Defines @text for DD_CLI_FIELD_TEXT: the name of @Struct's enum @member, which
 * @prefix_to_string() gives (DD_DECLARE_ENUM_NAMES). */
#define DD_CLI_DEFINE_ENUM_TEXT(text, Struct, member, prefix) \
  static char * \
  text (gconstpointer item) \
  { \
    return g_strdup (prefix##_to_string (((const Struct *) item)->member)); \
  }

/* Adds the members @fields of the struct @item to @builder's open object. */
void        dd_cli_add_json_fields (JsonBuilder      *builder,
                                    gconstpointer     item,
                                    const DdCliField *fields);
/* @items (structs) as an array of objects of their @fields, into @builder where a value goes. */
void        dd_cli_add_json_array (JsonBuilder      *builder,
                                   GPtrArray        *items,
                                   const DdCliField *fields);
/* The same on stdout, as dd_cli_print_json() prints. */
void        dd_cli_print_json_array (GPtrArray        *items,
                                     const DdCliField *fields);
/* The office's contact policy: its setting (Preferences), else the preset of its country;
 * NULL after setting @error when the setting is not a policy. */
DdContactPolicy *dd_cli_office_contact_policy (GError **error);
/* The app's GSettings when its schema is installed and has @key, else NULL. */
GSettings  *dd_cli_office_settings (const char      *key);
/* An office setting from GSettings when the schema is installed, else @fallback. */
char       *dd_cli_office_setting (const char       *key,
                                   const char       *fallback);
/* An unsigned office setting (the app's GSettings), or @fallback without the schema. */
guint       dd_cli_office_setting_uint (const char  *key,
                                        guint        fallback);
/* Parses a command's options (@entries, or NULL) with the global ones added; FALSE after
 * saying why. */
gboolean    dd_cli_parse_options  (GOptionContext   *context,
                                   GOptionEntry     *entries,
                                   int              *argc,
                                   char           ***argv);

/* A subcommand of a command (queue list, users add…): argv[0] is its name. Either @run does it
 * all, or it works on the office database: dd_cli_run_subcommand() parses its options
 * (@entries, or NULL, with the global ones; @parameter, marked for translation, is what
 * --help shows after the name), runs @check when given (before the database is opened; an
 * exit status other than 0 ends there), opens the database and runs @run_on with it. */
typedef struct
{
  const char    *name;
  int          (*run)    (int argc, char **argv);
  const char    *parameter;
  GOptionEntry  *entries;
  int          (*check)  (int argc, char **argv);
  int          (*run_on) (DdDatabase *database, int argc, char **argv);
} DdCliSubcommand;

/* Runs the subcommand that argv[1] names among @subcommands (ended by a NULL name), with
 * argv[0] its name. Without one (or with an option first) prints @usage: exit status 0 for
 * --help and -h, else 2; an unknown one is said with @unknown (its one %s the name given),
 * then @usage, exit status 2. @usage and @unknown are translated. */
int         dd_cli_run_subcommand (const DdCliSubcommand *subcommands,
                                   const char            *usage,
                                   const char            *unknown,
                                   int                    argc,
                                   char                 **argv);

/* The commands: argv[0] is the command's name. They return the exit status. */
int         dd_cli_import         (int argc, char **argv);
int         dd_cli_presets        (int argc, char **argv);
int         dd_cli_demo_office    (int argc, char **argv);
int         dd_cli_stats          (int argc, char **argv);
int         dd_cli_migrate        (int argc, char **argv);
int         dd_cli_campaigns      (int argc, char **argv);
int         dd_cli_campaign       (int argc, char **argv);
int         dd_cli_call           (int argc, char **argv);
int         dd_cli_payments       (int argc, char **argv);
int         dd_cli_ladder         (int argc, char **argv);
int         dd_cli_flow           (int argc, char **argv);
int         dd_cli_interest       (int argc, char **argv);
int         dd_cli_letters        (int argc, char **argv);
int         dd_cli_users          (int argc, char **argv);
int         dd_cli_queue          (int argc, char **argv);
int         dd_cli_report         (int argc, char **argv);

G_END_DECLS
