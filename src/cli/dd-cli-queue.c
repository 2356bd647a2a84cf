/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-cli"

#include "config.h"

#include "dd-cli-private.h"

#include "dd-call-attempts.h"
#include "dd-inbound-store.h"

/* The inbound queues: queue list, queue add, queue line, queue missed, queue done,
 * queue figures (issue 18). */

static char *opt_strategy = NULL;
static char *opt_on_max_wait = NULL;
static char *opt_hold_music = NULL;
static gint opt_announce = -1;
static gint opt_max_wait = -1;
static gint64 opt_flow = 0;
static gint opt_max_waiting = -1;
static gboolean opt_all = FALSE;
static gint64 opt_agent = 0;
static char *opt_from = NULL;
static char *opt_to = NULL;

static GOptionEntry add_entries[] = {
  { "strategy", 0, 0, G_OPTION_ARG_STRING, &opt_strategy,
    N_("ring-all (the default) or longest-idle"), N_("STRATEGY") },
  { "announce-every", 0, 0, G_OPTION_ARG_INT, &opt_announce,
    N_("Say the caller's position every so many seconds (0: never; default 30)"), N_("S") },
  { "max-wait", 0, 0, G_OPTION_ARG_INT, &opt_max_wait,
    N_("The longest wait in seconds (default 300)"), N_("S") },
  { "on-max-wait", 0, 0, G_OPTION_ARG_STRING, &opt_on_max_wait,
    N_("callback (the default) or voicemail"), N_("ACTION") },
  { "hold-music", 0, 0, G_OPTION_ARG_FILENAME, &opt_hold_music,
    N_("A sound file to play while callers wait"), N_("FILE") },
  { NULL }
};

static GOptionEntry line_entries[] = {
  { "flow", 0, 0, G_OPTION_ARG_INT64, &opt_flow,
    N_("The inbound call flow (its id; 0: none)"), N_("ID") },
  { "max-waiting", 0, 0, G_OPTION_ARG_INT, &opt_max_waiting,
    N_("How many callers may wait at once; one more hears busy (default: 20)"), N_("N") },
  { NULL }
};

static GOptionEntry missed_entries[] = {
  DD_CLI_JSON_ENTRY,
  { "all", 0, 0, G_OPTION_ARG_NONE, &opt_all,
    N_("Also those already called back"), NULL },
  { NULL }
};

static GOptionEntry done_entries[] = {
  { "agent", 0, 0, G_OPTION_ARG_INT64, &opt_agent,
    N_("The user who called back (their id)"), N_("ID") },
  { NULL }
};

static GOptionEntry figures_entries[] = {
  DD_CLI_JSON_ENTRY,
  { "from", 0, 0, G_OPTION_ARG_STRING, &opt_from,
    N_("The first day (YYYY-MM-DD; default: today)"), N_("DATE") },
  { "to", 0, 0, G_OPTION_ARG_STRING, &opt_to,
    N_("The last day (YYYY-MM-DD; default: the first day)"), N_("DATE") },
  { NULL }
};

/* The lists for --json: what each item says. */

DD_CLI_DEFINE_ENUM_TEXT (queue_strategy, DdInboundQueue, strategy, dd_inbound_ring_strategy)
DD_CLI_DEFINE_ENUM_TEXT (queue_on_max_wait, DdInboundQueue, on_max_wait, dd_inbound_on_max_wait)
static const DdCliField queue_fields[] = {
  DD_CLI_FIELD (DdInboundQueue, id),
  DD_CLI_FIELD (DdInboundQueue, name),
  DD_CLI_FIELD_TEXT ("strategy", queue_strategy),
  DD_CLI_FIELD (DdInboundQueue, hold_music),
  DD_CLI_FIELD (DdInboundQueue, announce_every_s),
  DD_CLI_FIELD (DdInboundQueue, max_wait_s),
  DD_CLI_FIELD_TEXT ("on_max_wait", queue_on_max_wait),
  { NULL }
};

DD_CLI_DEFINE_ENUM_TEXT (missed_kind, DdInboundMissed, kind, dd_inbound_outcome)
static char *
missed_arrived_at (gconstpointer item)
{
  return dd_call_attempts_format_time (((const DdInboundMissed *) item)->arrived_at);
}

static const DdCliField missed_fields[] = {
  DD_CLI_FIELD (DdInboundMissed, id),
  DD_CLI_FIELD_TEXT ("kind", missed_kind),
  DD_CLI_FIELD (DdInboundMissed, caller),
  DD_CLI_FIELD (DdInboundMissed, case_id),
  DD_CLI_FIELD_AS (DdInboundMissed, queue_name, "queue"),
  DD_CLI_FIELD_TEXT ("arrived_at", missed_arrived_at),
  DD_CLI_FIELD (DdInboundMissed, waited_s),
  DD_CLI_FIELD_BOOLEAN (DdInboundMissed, done),
  DD_CLI_FIELD_AS (DdInboundMissed, voicemail_path, "voicemail"),
  { NULL }
};

static const DdCliField figures_fields[] = {
  DD_CLI_FIELD (DdInboundFigures, queue_id),
  DD_CLI_FIELD (DdInboundFigures, hour),
  DD_CLI_FIELD (DdInboundFigures, offered),
  DD_CLI_FIELD (DdInboundFigures, answered),
  DD_CLI_FIELD (DdInboundFigures, answered_in_sl),
  DD_CLI_FIELD (DdInboundFigures, abandoned),
  DD_CLI_FIELD (DdInboundFigures, overflowed),
  DD_CLI_FIELD (DdInboundFigures, closed),
  DD_CLI_FIELD (DdInboundFigures, refused),
  DD_CLI_FIELD (DdInboundFigures, service_level),
  DD_CLI_FIELD (DdInboundFigures, abandoned_rate),
  DD_CLI_FIELD (DdInboundFigures, average_wait_s),
  DD_CLI_FIELD (DdInboundFigures, longest_wait_s),
  { NULL }
};

static int
queue_list (DdDatabase  *database,
            int          argc,
            char       **argv)
{
  g_autoptr(DdInboundStore) store = dd_inbound_store_new (database);
  g_autoptr(GPtrArray) queues = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL;
  gint64 flow = 0;
  guint max_waiting = 0;

  if ((queues = dd_inbound_store_list_queues (store, &error)) == NULL
      || !dd_inbound_store_get_line (store, &account, &flow, &error)
      || !dd_inbound_store_get_max_waiting (store, &max_waiting, &error))
    return dd_cli_fail (error);

  if (dd_cli_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      dd_json_add_string (builder, "line", account);
      dd_json_add_int (builder, "flow", flow);
      dd_json_add_int (builder, "max_waiting", max_waiting);
      json_builder_set_member_name (builder, "queues");
      dd_cli_add_json_array (builder, queues, queue_fields);
      json_builder_end_object (builder);
      dd_cli_print_json (builder);
      return 0;
    }

  /* Translators: "queue list": the SIP account that takes the office's calls */
  g_print (_("Line: %s\n"), account != NULL ? account : _("none"));
  /* Translators: "queue list": the cap on callers waiting on the line at once */
  g_print (_("Callers waiting at most: %u\n"), max_waiting);
  for (guint i = 0; i < queues->len; i++)
    {
      const DdInboundQueue *queue = g_ptr_array_index (queues, i);

      g_print ("%" PRId64 "\t%s\t%s\t%u s\t%u s\t%s\n", queue->id, queue->name,
               dd_inbound_ring_strategy_to_label (queue->strategy), queue->announce_every_s,
               queue->max_wait_s, dd_inbound_on_max_wait_to_label (queue->on_max_wait));
    }
  return 0;
}

static int
queue_add (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME — add an inbound queue"));
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdInboundStore) store = NULL;
  g_autoptr(DdInboundQueue) queue = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  if (!dd_cli_parse_options (context, add_entries, &argc, &argv))
    return 2;
  if (argc != 2)
    {
      dd_cli_print_error (_("Give the name of the new queue (in quotes when it has spaces)."));
      return 2;
    }
  queue = dd_inbound_queue_new (argv[1]);
  if ((opt_strategy != NULL
       && !dd_inbound_ring_strategy_from_string (opt_strategy, &queue->strategy))
      || (opt_on_max_wait != NULL
          && !dd_inbound_on_max_wait_from_string (opt_on_max_wait, &queue->on_max_wait)))
    {
      dd_cli_print_error (_("Unknown queue setting."));
      return 2;
    }
  if (opt_announce >= 0)
    queue->announce_every_s = (guint) opt_announce;
  if (opt_max_wait >= 0)
    queue->max_wait_s = (guint) opt_max_wait;
  queue->hold_music = g_strdup (opt_hold_music);
  if ((database = dd_cli_open_database ()) == NULL)
    return 1;
  store = dd_inbound_store_new (database);
  if (!dd_inbound_store_add_queue (store, queue, &id, &error))
    return dd_cli_fail (error);
  /* Translators: after "queue add"; %s is the queue's name, then its number */
  g_print (_("Added the queue %s (%" PRId64 ").\n"), g_strstrip (argv[1]), id);
  return 0;
}

static int
check_line (int    argc,
            char **argv)
{
  if (argc > 2)
    return dd_cli_usage_error (_("Give one account name (in quotes when it has spaces)."));
  return 0;
}

static int
queue_line (DdDatabase  *database,
            int          argc,
            char       **argv)
{
  g_autoptr(DdInboundStore) store = dd_inbound_store_new (database);
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL;
  gint64 flow = 0;
  guint max_waiting = 0;

  if (argc == 2 && !dd_inbound_store_set_line (store, argv[1], opt_flow, &error))
    return dd_cli_fail (error);
  if (opt_max_waiting >= 0
      && !dd_inbound_store_set_max_waiting (store, (guint) opt_max_waiting, &error))
    return dd_cli_usage_error (error->message);
  if (!dd_inbound_store_get_line (store, &account, &flow, &error)
      || !dd_inbound_store_get_max_waiting (store, &max_waiting, &error))
    return dd_cli_fail (error);
  g_print (_("Line: %s\n"), account != NULL ? account : _("none"));
  g_print (_("Callers waiting at most: %u\n"), max_waiting);
  return 0;
}

static int
queue_missed (DdDatabase  *database,
              int          argc,
              char       **argv)
{
  g_autoptr(DdInboundStore) store = dd_inbound_store_new (database);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  if ((list = dd_inbound_store_list_missed (store, !opt_all, &error)) == NULL)
    return dd_cli_fail (error);

  if (dd_cli_json)
    {
      dd_cli_print_json_array (list, missed_fields);
      return 0;
    }

  for (guint i = 0; i < list->len; i++)
    {
      const DdInboundMissed *m = g_ptr_array_index (list, i);
      g_autofree char *at = dd_call_attempts_format_time (m->arrived_at);

      g_print ("%" PRId64 "\t%s\t%s\t%s\t%s\t%s\n", m->id, at, m->e164 != NULL ? m->e164 : m->caller,
               m->debtor_name != NULL ? m->debtor_name : "",
               dd_inbound_outcome_to_label (m->kind),
               m->done ? (m->done_by_name != NULL ? m->done_by_name : "✓") : "");
    }
  return 0;
}

/* queue done: the missed call's id, read before the database is opened */
static gint64 done_id;

static int
check_done (int    argc,
            char **argv)
{
  char *end = NULL;

  if (argc != 2 || (done_id = g_ascii_strtoll (argv[1], &end, 10)) <= 0 || *end != '\0')
    return dd_cli_usage_error (_("Give the number of the missed call (see “queue missed”)."));
  return 0;
}

static int
queue_done (DdDatabase  *database,
            int          argc,
            char       **argv)
{
  g_autoptr(DdInboundStore) store = dd_inbound_store_new (database);
  g_autoptr(GError) error = NULL;

  if (!dd_inbound_store_missed_done (store, done_id, opt_agent, &error))
    return dd_cli_fail (error);
  return 0;
}

static gboolean
parse_day (const char *text,
           gint64     *out_unix)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) day = NULL;
  int y, m, d;

  if (text == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now (local);

      day = g_date_time_new (local, g_date_time_get_year (now), g_date_time_get_month (now),
                             g_date_time_get_day_of_month (now), 0, 0, 0);
    }
  else if (sscanf (text, "%4d-%2d-%2d", &y, &m, &d) == 3)
    day = g_date_time_new (local, y, m, d, 0, 0, 0);
  if (day == NULL)
    return FALSE;
  *out_unix = g_date_time_to_unix (day);
  return TRUE;
}

/* queue figures: the days, read before the database is opened (the end: after the last day) */
static gint64 figures_from, figures_to;

static int
check_figures (int    argc,
               char **argv)
{
  if (!parse_day (opt_from, &figures_from)
      || !parse_day (opt_to != NULL ? opt_to : opt_from, &figures_to))
    return dd_cli_usage_error (_("Give the days as YYYY-MM-DD."));
  figures_to += 24 * 3600;
  return 0;
}

static int
queue_figures (DdDatabase  *database,
               int          argc,
               char       **argv)
{
  g_autoptr(DdInboundStore) store = dd_inbound_store_new (database);
  g_autoptr(GPtrArray) figures = NULL;
  g_autoptr(GPtrArray) queues = NULL;
  g_autoptr(GError) error = NULL;

  if ((figures = dd_inbound_store_figures (store, figures_from, figures_to, NULL, &error)) == NULL
      || (queues = dd_inbound_store_list_queues (store, &error)) == NULL)
    return dd_cli_fail (error);

  if (dd_cli_json)
    {
      dd_cli_print_json_array (figures, figures_fields);
      return 0;
    }

  for (guint i = 0; i < figures->len; i++)
    {
      const DdInboundFigures *f = g_ptr_array_index (figures, i);
      const char *name = _("All queues");
      g_autofree char *hour = f->hour < 0 ? g_strdup (_("all day"))
                                          : g_strdup_printf ("%02d:00", f->hour);

      for (guint j = 0; j < queues->len; j++)
        if (((DdInboundQueue *) g_ptr_array_index (queues, j))->id == f->queue_id)
          name = ((DdInboundQueue *) g_ptr_array_index (queues, j))->name;
      /* Translators: "queue figures": a queue, an hour, calls offered, the service level
       * (answered within 20 s), abandoned calls, the average wait */
      g_print (_("%s\t%s\t%u calls\tservice level %.0f %%\t%u abandoned\taverage wait %.0f s\n"),
               name, hour, f->offered, f->service_level * 100, f->abandoned, f->average_wait_s);
    }
  return 0;
}

int
dd_cli_queue (int    argc,
              char **argv)
{
  static const DdCliSubcommand subcommands[] = {
    { "list", NULL, N_("— list the inbound queues"), dd_cli_json_entries, NULL, queue_list },
    { "add", queue_add },
    { "line", NULL, N_("[ACCOUNT] — the SIP account that takes calls (\"\": none)"),
      line_entries, check_line, queue_line },
    { "missed", NULL, N_("— the missed calls and callback requests"), missed_entries, NULL,
      queue_missed },
    { "done", NULL, N_("ID — mark a missed call as called back"), done_entries, check_done,
      queue_done },
    { "figures", NULL, N_("— service level, abandoned calls and waits per queue and hour"),
      figures_entries, check_figures, queue_figures },
    { NULL },
  };
  static const char * const usage =
    N_("Usage: dunning-desk-cli queue list [--json]\n"
       "       dunning-desk-cli queue add NAME [--strategy ring-all|longest-idle]"
       " [--announce-every S] [--max-wait S] [--on-max-wait callback|voicemail]"
       " [--hold-music FILE]\n"
       "       dunning-desk-cli queue line [ACCOUNT] [--flow ID] [--max-waiting N]\n"
       "       dunning-desk-cli queue missed [--all] [--json]\n"
       "       dunning-desk-cli queue done ID [--agent ID]\n"
       "       dunning-desk-cli queue figures [--from DATE] [--to DATE] [--json]");

  return dd_cli_run_subcommand (subcommands, _(usage),
                                _("Unknown queue command “%s”"), argc, argv);
}
