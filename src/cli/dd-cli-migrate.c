/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-cli-private.h"
#include "dd-database-copy.h"
#include "dd-pg-database.h"

/* migrate --to postgresql://…: the office of --database, copied into a shared database */

static char *opt_to;

static GOptionEntry migrate_entries[] = {
  { "to", 0, 0, G_OPTION_ARG_STRING, &opt_to,
    N_("The shared office database to copy the office into"), N_("postgresql://USER@HOST/DB") },
  { "json", 0, 0, G_OPTION_ARG_NONE, &dd_cli_json, N_("Print the result as JSON"), NULL },
  { NULL }
};

static void
on_progress (const char *table,
             gint64      rows,
             guint       done,
             guint       total,
             gpointer    user_data)
{
  if (!dd_cli_json)
    /* Translators: progress of copying an office: "[3/24] debtor: 300 rows" */
    g_printerr (_("[%u/%u] %s: %" PRId64 " rows\n"), done, total, table, rows);
}

int
dd_cli_migrate (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DdDatabase) from = NULL;
  g_autoptr(DdDatabase) to = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;
  DdCopyTotals totals = { 0 };

  context = g_option_context_new (_("--to postgresql://… — copy this office into a shared "
                                    "office database"));
  g_option_context_set_description (context,
    _("The shared database must be empty; it gets the schema first. The copy is one "
      "transaction: at the end the number of rows of every table and the totals of the "
      "balances and payments are compared, and on any difference nothing is copied."));
  if (!dd_cli_parse_options (context, migrate_entries, &argc, &argv))
    return 2;
  if (opt_to == NULL || !dd_pg_database_is_uri (opt_to))
    return dd_cli_usage_error (_("--to needs the address of a PostgreSQL database "
                               "(postgresql://USER@HOST/DATABASE)"));

  from = dd_cli_open_database ();
  if (from == NULL)
    return 1;
  to = dd_database_open (opt_to, &error);
  if (to == NULL)
    return dd_cli_fail (error);
  if (!dd_database_copy (from, to, on_progress, NULL, &totals, &error))
    return dd_cli_fail (error);

  shown = dd_pg_database_redact_uri (opt_to);
  if (dd_cli_json)
    g_print ("{\"to\": \"%s\", \"rows\": %" PRId64 ", \"cases\": %" PRId64
             ", \"balance_minor\": %" PRId64 ", \"payments_minor\": %"
             PRId64 "}\n", shown, totals.rows, totals.cases, totals.balance_minor,
             totals.payments_minor);
  else
    g_print (_("Copied the office into %s: %" PRId64 " rows, %" PRId64
               " cases; the counts and totals agree.\n"), shown, totals.rows, totals.cases);
  return 0;
}
