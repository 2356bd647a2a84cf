/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dunning-desk-cli"

#include "config.h"

#include "dd-cli-private.h"

#include "dd-call-attempts.h"
#include "dd-claim.h"
#include "dd-ivr-flow-store.h"
#include "dd-ivr-flow.h"
#include "dd-reports.h"
#include "dd-voice-campaign.h"

/* Campaigns: campaigns (the list), campaign create and campaign run, by SMS and by voice. */

/* campaigns */

int
dd_cli_campaigns (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdCampaignStore) store = NULL;
  g_autoptr(DdOutbox) outbox = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  context = g_option_context_new (_("— list the campaigns and their progress"));
  if (!dd_cli_parse_options (context, dd_cli_json_entries, &argc, &argv))
    return 2;

  database = dd_cli_open_database ();
  if (database == NULL)
    return 1;
  store = dd_campaign_store_new (database);
  outbox = dd_outbox_new (database);
  list = dd_campaign_store_list (store, &error);
  if (list == NULL)
    return dd_cli_fail (error);

  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    {
      DdCampaign *c = g_ptr_array_index (list, i);
      DdOutboxCounts n;

      if (!dd_outbox_get_counts (outbox, c->id, &n, &error))
        return dd_cli_fail (error);
      if (g_strcmp0 (c->kind, "voice") == 0)
        {
          g_autoptr(DdCallAttempts) attempts = dd_call_attempts_new (database);
          DdCallCounts calls;

          if (!dd_call_attempts_get_counts (attempts, c->id, &calls, &error))
            return dd_cli_fail (error);
          if (!dd_cli_json)
            {
              /* Translators: one voice campaign on the command line: id, name, state, then
               * counts */
              g_print (_("%" PRId64 "\t%s\t%s\tnumbers %u, done %u, answered %u, not reached %u, "
                         "declarations %u\n"),
                       c->id, c->name, dd_campaign_state_to_label (c->state), calls.numbers,
                       calls.numbers_done, calls.completed, calls.not_reached, calls.declared);
              continue;
            }
          json_builder_begin_object (builder);
          dd_json_add_int (builder, "id", c->id);
          dd_json_add_string (builder, "name", c->name);
          dd_json_add_string (builder, "kind", c->kind);
          dd_json_add_string (builder, "state", dd_campaign_state_to_string (c->state));
          dd_json_add_string (builder, "state_reason", c->state_reason);
          dd_json_add_string (builder, "schedule_at", c->schedule_at);
#define COUNT(field) dd_json_add_int (builder, "calls_" #field, calls.field);
          COUNT (numbers) COUNT (numbers_done) COUNT (scheduled) COUNT (dialing)
          COUNT (completed) COUNT (not_reached) COUNT (cancelled) COUNT (declared)
          COUNT (machines)
#undef COUNT
          json_builder_end_object (builder);
          continue;
        }
      if (dd_cli_json)
        {
          json_builder_begin_object (builder);
          dd_json_add_int (builder, "id", c->id);
          dd_json_add_string (builder, "name", c->name);
          dd_json_add_string (builder, "state", dd_campaign_state_to_string (c->state));
          dd_json_add_string (builder, "schedule_at", c->schedule_at);
#define COUNT(field) dd_json_add_int (builder, #field, n.field);
          COUNT (queued) COUNT (sending) COUNT (sent) COUNT (delivered) COUNT (failed)
          COUNT (expired) COUNT (cancelled) COUNT (waiting) COUNT (replies) COUNT (parts)
#undef COUNT
          json_builder_end_object (builder);
        }
      else if (n.waiting > 0)
        /* Translators: one campaign on the command line: id, name, state, then counts; the
         * messages "waiting" could not reach the SMS provider and go at the next run; "sent"
         * counts every message the provider took, those it reported delivered among them */
        g_print (_("%" PRId64 "\t%s\t%s\tqueued %u (waiting for the provider %u), sent %u "
                   "(delivered %u of them), failed %u, replies %u\n"),
                 c->id, c->name, dd_campaign_state_to_label (c->state), n.queued + n.sending,
                 n.waiting, n.sent + n.delivered, n.delivered, n.failed + n.expired, n.replies);
      else
        /* Translators: one campaign on the command line: id, name, state, then counts; "sent"
         * counts every message the provider took, those it reported delivered among them */
        g_print (_("%" PRId64 "\t%s\t%s\tqueued %u, sent %u (delivered %u of them), "
                   "failed %u, replies %u\n"),
                 c->id, c->name, dd_campaign_state_to_label (c->state), n.queued + n.sending,
                 n.sent + n.delivered, n.delivered, n.failed + n.expired, n.replies);
    }
  json_builder_end_array (builder);
  if (dd_cli_json)
    dd_cli_print_json (builder);
  return 0;
}

/* campaign: create one and send it (support, scripts and the crash tests) */

static char *opt_name;
static char *opt_text;
static char *opt_sender;
static char *opt_filter;
static char *opt_at;
static char *opt_gateway;
static char *opt_gateway_url;
static char *opt_gateway_user;
static gboolean opt_all_phones;
static gboolean opt_plain;
static int opt_poll = 60;
static int opt_connections;
static gboolean opt_no_policy;
static double opt_rate;
/* voice */
static char *opt_channel;
static char *opt_flow;
static int opt_attempts = 3;
static int opt_per_day = 2;
static int opt_interval = 4 * 3600;
static int opt_concurrency = 1;
static char *opt_machine;
static char *opt_confirm_sms;
static int opt_ring = 30;
static char **opt_caller_ids;
static char **opt_lines;
static char *opt_line;
static char *opt_listen;
static gboolean opt_until_idle;
static int opt_hold_out = 5;

static GOptionEntry campaign_create_entries[] = {
  { "name", 0, 0, G_OPTION_ARG_STRING, &opt_name, N_("Campaign name"), N_("NAME") },
  { "text", 0, 0, G_OPTION_ARG_STRING, &opt_text,
    N_("Message template with placeholders such as {name}, {amount}, {due_date}"), N_("TEXT") },
  { "sender", 0, 0, G_OPTION_ARG_STRING, &opt_sender, N_("Sender name"), N_("NAME") },
  { "filter", 0, 0, G_OPTION_ARG_STRING, &opt_filter,
    N_("The cases to message, as a saved filter's JSON (default: all open cases)"), N_("JSON") },
  { "at", 0, 0, G_OPTION_ARG_STRING, &opt_at,
    N_("Start at this UTC time (ISO 8601) instead of now"), N_("TIME") },
  { "all-phones", 0, 0, G_OPTION_ARG_NONE, &opt_all_phones,
    N_("Message every usable number of a debtor, not only the first"), NULL },
  { "plain", 0, 0, G_OPTION_ARG_NONE, &opt_plain,
    N_("Replace characters outside GSM-7 so that messages stay short"), NULL },
  { "channel", 0, 0, G_OPTION_ARG_STRING, &opt_channel,
    N_("sms (default) or voice"), N_("CHANNEL") },
  { "hold-out", 0, 0, G_OPTION_ARG_INT, &opt_hold_out,
    N_("Keep this percentage of the cases, chosen at random, uncontacted to measure the "
       "campaign’s effect (default: 5)"), N_("PERCENT") },
  { "flow", 0, 0, G_OPTION_ARG_STRING, &opt_flow,
    N_("Voice: the call flow, a JSON file or the name of a saved flow"), N_("FILE|NAME") },
  { "attempts", 0, 0, G_OPTION_ARG_INT, &opt_attempts,
    N_("Voice: calls to one number at most (default: 3)"), N_("N") },
  { "per-day", 0, 0, G_OPTION_ARG_INT, &opt_per_day,
    N_("Voice: calls to one number per day at most, 0 for no limit (default: 2)"), N_("N") },
  { "interval", 0, 0, G_OPTION_ARG_INT, &opt_interval,
    N_("Voice: seconds between two calls to one number at least (default: 14400)"),
    N_("SECONDS") },
  { "concurrency", 0, 0, G_OPTION_ARG_INT, &opt_concurrency,
    N_("Voice: calls at once (default: 1)"), N_("N") },
  { "machine", 0, 0, G_OPTION_ARG_STRING, &opt_machine,
    N_("Voice: on an answering machine, voicemail (leave the message) or hangup-retry "
       "(default)"), N_("POLICY") },
  { "confirm-sms", 0, 0, G_OPTION_ARG_STRING, &opt_confirm_sms,
    N_("Voice: confirm a payment declaration by this SMS ({declared_amount}, "
       "{declared_date}, {name}…)"), N_("TEXT") },
  { "ring-timeout", 0, 0, G_OPTION_ARG_INT, &opt_ring,
    N_("Voice: seconds to let it ring (default: 30)"), N_("SECONDS") },
  { "caller-id", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_caller_ids,
    N_("Voice: a caller ID to use, in turn with the others given (repeatable)"), N_("NUMBER") },
  { "line", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_lines,
    N_("Voice: a SIP account name or sip: URI to call through (repeatable)"), N_("LINE") },
  { NULL }
};

static GOptionEntry campaign_run_entries[] = {
  { "gateway", 0, 0, G_OPTION_ARG_STRING, &opt_gateway,
    N_("SMS provider: test, smsapi, twilio or kannel (default: test); its token or password "
       "in DD_SMS_TOKEN"), N_("PROVIDER") },
  { "gateway-url", 0, 0, G_OPTION_ARG_STRING, &opt_gateway_url,
    N_("The provider's API address (default: its public one)"), N_("URL") },
  { "gateway-user", 0, 0, G_OPTION_ARG_STRING, &opt_gateway_user,
    N_("Twilio's account SID or the Kannel user (default: DD_SMS_USER)"), N_("USER") },
  { "sender", 0, 0, G_OPTION_ARG_STRING, &opt_sender, N_("Default sender name"), N_("NAME") },
  { "connections", 0, 0, G_OPTION_ARG_INT, &opt_connections,
    N_("Requests to the provider at once (default: the provider's limit)"), N_("N") },
  { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &opt_rate,
    N_("Requests per second at most (default: the provider's limit)"), N_("N") },
  { "no-contact-policy", 0, 0, G_OPTION_ARG_NONE, &opt_no_policy,
    N_("Send at any hour and as often as asked (for tests; not for debtors)"), NULL },
  { "poll", 0, 0, G_OPTION_ARG_INT, &opt_poll,
    N_("Seconds between delivery report polls"), N_("SECONDS") },
  { "line", 0, 0, G_OPTION_ARG_STRING, &opt_line,
    N_("Voice: call through this line, sip:user@host[:port]; its password in DD_SIP_PASSWORD"),
    N_("URI") },
  { "caller-id", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_caller_ids,
    N_("Voice: the caller ID instead of the campaign's (repeatable: used in turn)"),
    N_("NUMBER") },
  { "listen", 0, 0, G_OPTION_ARG_STRING, &opt_listen,
    N_("Voice: local address for SIP and RTP (default: 127.0.0.1)"), N_("ADDRESS") },
  { "until-idle", 0, 0, G_OPTION_ARG_NONE, &opt_until_idle,
    N_("Voice: stop when no call is due now (for cron) instead of waiting for the retries"),
    NULL },
  DD_CLI_JSON_ENTRY,
  { NULL }
};

/* The call flow of --flow: a JSON file (saved as a new version under its name) or the name of
 * a saved flow (its latest version). Returns the ivr_flow row. */
static gint64
resolve_flow (DdDatabase  *database,
              GError     **error)
{
  g_autoptr(DdIvrFlowStore) store = dd_ivr_flow_store_new (database);
  g_autoptr(DdIvrFlowRecord) record = NULL;
  g_autoptr(DdIvrFlow) flow = NULL;
  g_autoptr(GPtrArray) issues = NULL;
  g_autofree char *json = NULL;
  gint64 id = 0;

  if (g_file_test (opt_flow, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *base = NULL;
      const char *name;

      if (!g_file_get_contents (opt_flow, &json, NULL, error))
        return 0;
      flow = dd_ivr_flow_new_from_data (json, -1, error);
      if (flow == NULL)
        return 0;
      name = dd_ivr_flow_get_name (flow);
      if (name == NULL || *name == '\0')
        name = base = g_path_get_basename (opt_flow);
      issues = dd_ivr_flow_validate (flow);
      if (dd_ivr_flow_has_errors (issues) ||
          !dd_ivr_flow_store_save (store, name, json, &id, NULL, error))
        {
          if (id == 0 && error != NULL && *error == NULL)
            g_set_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_INVALID,
                         /* Translators: %s: the flow checker's first complaint */
                         _("The call flow has errors: %s"),
                         ((DdIvrIssue *) g_ptr_array_index (issues, 0))->message);
          return 0;
        }
      return id;
    }
  record = dd_ivr_flow_store_load (store, opt_flow, 0, error);
  if (record == NULL)
    return 0;
  flow = dd_ivr_flow_new_from_data (record->json, -1, error);
  if (flow == NULL)
    return 0;
  issues = dd_ivr_flow_validate (flow);
  if (dd_ivr_flow_has_errors (issues))
    {
      g_set_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_INVALID,
                   _("The call flow has errors: %s"),
                   ((DdIvrIssue *) g_ptr_array_index (issues, 0))->message);
      return 0;
    }
  return record->id;
}

/* The recipients of --filter (every open case without it; --all-phones), with the filter as
 * stored by the campaign in @out_filter; NULL after saying why (@none when there is nobody),
 * with the exit status in @out_status. */
static GPtrArray *
collect_audience (DdDatabase        *database,
                  const char        *none,
                  char             **out_filter,
                  DdAudienceCounts  *out_counts,
                  int               *out_status)
{
  g_autoptr(DdCaseQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *recipients;

  query = opt_filter != NULL ? dd_case_query_from_json (opt_filter, &error) : dd_case_query_new ();
  if (query == NULL)
    {
      dd_cli_print_error (error->message);
      *out_status = 2;
      return NULL;
    }
  *out_filter = dd_case_query_to_json (query);
  recipients = dd_campaign_audience_collect (database, query,
                                             opt_all_phones ? DD_AUDIENCE_ALL_PHONES : 0, TRUE,
                                             out_counts, &error);
  if (recipients == NULL)
    *out_status = dd_cli_fail (error);
  else if (recipients->len == 0)
    {
      dd_cli_print_error (none);
      *out_status = 1;
      g_clear_pointer (&recipients, g_ptr_array_unref);
    }
  return recipients;
}

/* What a new campaign's channel adds to it: its messages or its calls. */
typedef gboolean (*FillCampaign) (DdDatabase  *database,
                                  gint64       id,
                                  GPtrArray   *recipients,
                                  gpointer     data,
                                  GError     **error);

/* Creates @campaign (scheduled at --at, else running) with its hold-out group and what @fill
 * adds, in one transaction; @out_id, its id. Without it, says why: exit status 1. */
static int
create_campaign (DdDatabase   *database,
                 DdCampaign   *campaign,
                 GPtrArray    *recipients,
                 FillCampaign  fill,
                 gpointer      data,
                 gint64       *out_id)
{
  g_autoptr(DdCampaignStore) store = dd_campaign_store_new (database);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  campaign->schedule_at = opt_at;
  if (!dd_database_begin (database, &error))
    return dd_cli_fail (error);
  ok = dd_campaign_store_create (store, campaign, 0, out_id, &error) &&
       dd_report_hold_out_recipients (database, *out_id, (guint) CLAMP (opt_hold_out, 0, 100),
                                      recipients, NULL, &error) &&
       fill (database, *out_id, recipients, data, &error) &&
       dd_campaign_store_set_state (store, *out_id,
                                    opt_at != NULL ? DD_CAMPAIGN_SCHEDULED : DD_CAMPAIGN_RUNNING,
                                    NULL, 0, &error) &&
       dd_database_commit (database, &error);
  if (!ok)
    {
      dd_database_rollback (database, NULL);
      return dd_cli_fail (error);
    }
  return 0;
}

/* A voice campaign's part: its settings and the first call of each number. */
typedef struct
{
  DdVoiceSettings *voice;
  gint64           not_before;
  guint            added;
} CallPlan;

static gboolean
plan_calls (DdDatabase  *database,
            gint64       id,
            GPtrArray   *recipients,
            gpointer     data,
            GError     **error)
{
  g_autoptr(DdCampaignStore) store = dd_campaign_store_new (database);
  g_autoptr(DdCallAttempts) attempts = dd_call_attempts_new (database);
  CallPlan *plan = data;

  return dd_campaign_store_set_voice (store, id, plan->voice, error) &&
         dd_call_attempts_plan (attempts, id, recipients, plan->not_before, &plan->added, error);
}

static int
campaign_create_voice (void)
{
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DdVoiceSettings) voice = dd_voice_settings_new ();
  g_autofree char *filter = NULL;
  DdCampaign campaign = { 0 };
  DdAudienceCounts counts = { 0 };
  CallPlan plan = { voice };
  gint64 id = 0, flow_id;
  int status;

  if (opt_name == NULL || opt_flow == NULL)
    return dd_cli_usage_error (_("A voice campaign needs --name and --flow."));
  if (opt_attempts < 1 || opt_concurrency < 1 || opt_per_day < 0 || opt_interval < 0 ||
      opt_ring < 1)
    return dd_cli_usage_error (_("--attempts and --concurrency are at least 1, --per-day and "
                               "--interval not below 0."));
  if (opt_machine != NULL && !dd_machine_policy_from_string (opt_machine, &voice->machine))
    return dd_cli_usage_error (_("--machine is voicemail or hangup-retry."));
  database = dd_cli_open_database ();
  if (database == NULL)
    return 1;
  flow_id = resolve_flow (database, &error);
  if (flow_id == 0)
    return dd_cli_fail (error);
  recipients = collect_audience (database, _("No debtor of these cases can be called."), &filter,
                                 &counts, &status);
  if (recipients == NULL)
    return status;
  if (opt_at != NULL)
    {
      gint64 at = dd_call_attempts_parse_time (opt_at);

      if (at == 0)
        return dd_cli_usage_error (_("--at takes a UTC time such as 2026-12-01T08:00:00Z."));
      plan.not_before = at;
    }
  else
    plan.not_before = g_get_real_time () / G_USEC_PER_SEC;

  voice->flow_id = flow_id;
  voice->lines = g_strdupv (opt_lines);
  voice->caller_ids = g_strdupv (opt_caller_ids);
  voice->concurrency = (guint) opt_concurrency;
  voice->attempts_per_day = (guint) opt_per_day;
  voice->interval_s = (guint) opt_interval;
  voice->max_attempts = (guint) opt_attempts;
  voice->confirm_sms = g_strdup (opt_confirm_sms);
  voice->ring_timeout_s = (guint) opt_ring;

  campaign.name = opt_name;
  campaign.kind = (char *) "voice";
  campaign.audience_filter = filter;
  if ((status = create_campaign (database, &campaign, recipients, plan_calls, &plan, &id)) != 0)
    return status;
  /* Translators: after creating a voice campaign: its id, the numbers it will call */
  g_print (g_dngettext (GETTEXT_PACKAGE, "Campaign %" PRId64 ": %u number to call\n",
                        "Campaign %" PRId64 ": %u numbers to call\n", plan.added),
           id, plan.added);
  return 0;
}

/* An SMS campaign's part: its messages, in the office's language. */
typedef struct
{
  const char             *locale;
  DdCampaignMessagesInfo  info;
} MessagePlan;

static gboolean
enqueue_messages (DdDatabase  *database,
                  gint64       id,
                  GPtrArray   *recipients,
                  gpointer     data,
                  GError     **error)
{
  MessagePlan *plan = data;

  return dd_campaign_messages_enqueue (database, id, opt_text, opt_sender, recipients,
                                       plan->locale, opt_plain ? DD_CAMPAIGN_MESSAGES_PLAIN : 0,
                                       opt_at, &plan->info, error);
}

static int
campaign_create (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— create an SMS campaign and start it"));
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(GPtrArray) recipients = NULL;
  g_autofree char *country = NULL;
  g_autofree char *filter = NULL;
  DdCampaign campaign = { 0 };
  DdAudienceCounts counts = { 0 };
  MessagePlan plan = { 0 };
  gint64 id = 0;
  int status;

  if (!dd_cli_parse_options (context, campaign_create_entries, &argc, &argv))
    return 2;
  if (g_strcmp0 (opt_channel, "voice") == 0)
    return campaign_create_voice ();
  if (opt_channel != NULL && !g_str_equal (opt_channel, "sms"))
    return dd_cli_usage_error (_("The channel is sms or voice."));
  if (opt_name == NULL || opt_text == NULL)
    return dd_cli_usage_error (_("A campaign needs --name and --text."));
  database = dd_cli_open_database ();
  if (database == NULL)
    return 1;

  recipients = collect_audience (database, _("No debtor of these cases can be messaged."),
                                 &filter, &counts, &status);
  if (recipients == NULL)
    return status;

  country = dd_cli_office_setting ("default-country", "PL");
  plan.locale = g_str_equal (country, "RU") ? "ru" : g_str_equal (country, "PL") ? "pl" : "en";
  campaign.name = opt_name;
  campaign.kind = (char *) "sms";
  campaign.audience_filter = filter;
  campaign.template_text = opt_text;
  campaign.sender = opt_sender;
  if ((status = create_campaign (database, &campaign, recipients, enqueue_messages, &plan,
                                 &id)) != 0)
    return status;
  /* Translators: after creating a campaign: its id, messages, segments */
  g_print (_("Campaign %" PRId64 ": %u messages, %u segments\n"), id, plan.info.n_messages,
           plan.info.n_segments);
  return 0;
}

/* The main loop of `campaign run` (SMS or voice): a check every 200 ms; SIGINT and SIGTERM end
 * it with the exit status 130. */
typedef struct
{
  GMainLoop *loop;
  int        status;
  guint      timer;
  guint      sigint;
  guint      sigterm;
} RunLoop;

/* Ends the loop with the exit status @status. */
static void
run_loop_quit (RunLoop *run,
               int      status)
{
  run->status = status;
  g_main_loop_quit (run->loop);
}

static gboolean
on_stop_signal (gpointer user_data)
{
  run_loop_quit (user_data, 130);
  return G_SOURCE_CONTINUE;
}

static void
run_loop_start (RunLoop     *run,
                GSourceFunc  check,
                gpointer     check_data)
{
  run->loop = g_main_loop_new (NULL, FALSE);
  run->timer = g_timeout_add (200, check, check_data);
  run->sigint = g_unix_signal_add (SIGINT, on_stop_signal, run);
  run->sigterm = g_unix_signal_add (SIGTERM, on_stop_signal, run);
}

static void
run_loop_end (RunLoop *run)
{
  g_source_remove (run->sigint);
  g_source_remove (run->sigterm);
  g_clear_handle_id (&run->timer, g_source_remove);
  g_clear_pointer (&run->loop, g_main_loop_unref);
}

/* Says @message and ends the loop with the exit status 1. */
static void
run_loop_fail (RunLoop    *run,
               const char *message)
{
  dd_cli_print_error (message);
  run_loop_quit (run, 1);
}

typedef struct
{
  RunLoop          base;
  DdDatabase      *database;
  DdCampaignStore *store;
  DdSending       *sending;
  DdOutbox        *outbox;
  guint            n_sent;
  guint            n_failed;
  guint            n_waiting;       /* left waiting for an unreachable provider */
  char            *last_retry;      /* the passing error said last */
  gint64           last_retry_at;   /* when (monotonic µs) */
} RunData;

/* A passing error (the provider unreachable, busy, slowing down): said when it is new, and
 * again each minute it lasts, so that a run that waits does not look stuck. */
static void
on_message_retry (DdSmsDispatcher *dispatcher,
                  gint64           message_id,
                  gint64           seconds,
                  const char      *reason,
                  RunData         *run)
{
  gint64 now = g_get_monotonic_time ();

  if (g_strcmp0 (reason, run->last_retry) == 0 &&
      now - run->last_retry_at < 60 * G_TIME_SPAN_SECOND)
    return;
  g_free (run->last_retry);
  run->last_retry = g_strdup (reason);
  run->last_retry_at = now;
  /* Translators: `campaign run` waits: the provider's answer or why it could not be reached,
   * then the seconds until the next attempt */
  g_printerr (_("%1$s; trying again in %2$" PRId64 " s\n"), reason, seconds);
}

static void
on_message_sent (DdSmsDispatcher *dispatcher,
                 gint64           message_id,
                 RunData         *run)
{
  run->n_sent++;
}

/* A message the provider will never take (a number it refuses…): said with the number and
 * the provider's reason, so that a run that sent the rest is not taken for a full success. */
static void
on_message_failed (DdSmsDispatcher *dispatcher,
                   gint64           message_id,
                   const char      *reason,
                   RunData         *run)
{
  g_autofree char *e164 = NULL;

  run->n_failed++;
  dd_database_fetch_text (run->database, &e164, NULL, "SELECT e164 FROM message WHERE id = ?",
                          DD_INT (message_id), DD_END);
  /* Translators: a message of a campaign failed for good: the phone number, the provider's
   * reason */
  g_printerr (_("Not sent to %1$s: %2$s\n"), e164 != NULL ? e164 : "?", reason);
}

/* Done when no SMS campaign is running or waiting for its time (voice campaigns are called
 * by `campaign run ID`, not here). */
static gboolean
check_done (gpointer user_data)
{
  RunData *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = dd_campaign_store_list (run->store, &error);
  gint64 held_elsewhere = 0;
  gint64 waiting = 0;

  if (list == NULL)
    {
      run_loop_fail (&run->base, error->message);
      return G_SOURCE_CONTINUE;
    }

  for (guint i = 0; i < list->len; i++)
    {
      DdCampaign *c = g_ptr_array_index (list, i);
      DdOutboxCounts n = { 0 };

      if (g_strcmp0 (c->kind, "sms") != 0)
        continue;
      if (c->state == DD_CAMPAIGN_SCHEDULED)
        return G_SOURCE_CONTINUE;
      if (c->state != DD_CAMPAIGN_RUNNING)
        continue;
      /* a running campaign with messages still to send is this desk's work; messages being
       * sent that this desk does not hold are another desk's (a shared database), or were
       * left by one that stopped: the next run of that desk reconciles them */
      if (!dd_outbox_get_counts (run->outbox, c->id, &n, &error))
        {
          run_loop_fail (&run->base, error->message);
          return G_SOURCE_CONTINUE;
        }
      /* messages waiting for an unreachable provider go at the next run: this one ends */
      if (n.queued > n.waiting)
        return G_SOURCE_CONTINUE;
      held_elsewhere += n.sending;
      waiting += n.waiting;
    }
  /* the answers still on their way are recorded before the end */
  if (!dd_sms_dispatcher_is_idle (dd_sending_get_dispatcher (run->sending)))
    return G_SOURCE_CONTINUE;
  if (waiting > 0)
    {
      const char *provider = dd_sms_gateway_get_display_name (dd_sending_get_gateway (run->sending));

      /* Translators: the end of `campaign run`: messages that met only passing errors (the
       * provider could not be reached, answered 5xx, timed out) until the back-off was used up;
       * first how many, then the provider ("SMSAPI") */
      g_printerr (ngettext ("%1$" PRId64 " message could not be sent because %2$s was "
                            "unreachable; it waits and will be sent by the next “campaign run” "
                            "once %2$s answers again.\n",
                            "%1$" PRId64 " messages could not be sent because %2$s was "
                            "unreachable; they wait and will be sent by the next “campaign run” "
                            "once %2$s answers again.\n",
                            waiting), waiting, provider);
      run->n_waiting = (guint) waiting;
    }
  if (held_elsewhere > 0)
    /* Translators: the run ends while other messages are still being sent */
    g_printerr (ngettext ("%" PRId64 " message is being sent by another desk, or was left by "
                          "one that stopped; that desk’s next run settles it.\n",
                          "%" PRId64 " messages are being sent by another desk, or were left by "
                          "one that stopped; that desk’s next run settles them.\n",
                          held_elsewhere), held_elsewhere);
  g_main_loop_quit (run->base.loop);
  return G_SOURCE_CONTINUE;
}

static void
on_campaign_paused (DdSending  *sending,
                    gint64      campaign_id,
                    const char *reason,
                    const char *detail,
                    RunData    *run)
{
  const char *label = dd_campaign_reason_to_label (reason);

  /* Translators: the sending stopped on its own: campaign id, why in words, the provider's
   * answer */
  g_printerr (_("Campaign %1$" PRId64 " paused: %2$s (%3$s). Fix it, then run "
                "“campaign run” again to resume.\n"),
              campaign_id, label != NULL ? label : reason, detail != NULL ? detail : reason);
  run->base.status = 1;
}

/* Campaigns the sending paused itself because the provider refused the account go on: the
 * user has fixed the account (if not, they pause again at the first answer). */
static gboolean
resume_account_paused (DdCampaignStore  *store,
                       const char       *kind,
                       gint64            only,
                       GError          **error)
{
  g_autoptr(GPtrArray) list = dd_campaign_store_list (store, error);

  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    {
      DdCampaign *c = g_ptr_array_index (list, i);

      if (c->state != DD_CAMPAIGN_PAUSED || !dd_campaign_reason_is_account (c->state_reason) ||
          g_strcmp0 (c->kind, kind) != 0 || (only > 0 && c->id != only))
        continue;
      if (!dd_campaign_store_set_state (store, c->id, DD_CAMPAIGN_RUNNING, NULL, 0, error))
        return FALSE;
      /* Translators: a campaign the provider had refused is tried again: id, name */
      g_print (_("Campaign %1$" PRId64 " (“%2$s”) resumes\n"), c->id, c->name);
    }
  return TRUE;
}

/* The provider's gateway, made by the same code as the window's (DdSmsAccount): the account
 * from the options, its secret from the environment (never from the command line, which
 * other users of the computer can see). */
static DdSmsGateway *
make_gateway (GError **error)
{
  static const char * const providers[] = { "test", "smsapi", "twilio", "kannel", NULL };
  const char *provider = opt_gateway != NULL ? opt_gateway : "test";
  const char *secret = g_getenv ("DD_SMS_TOKEN");
  const char *user = opt_gateway_user != NULL ? opt_gateway_user : g_getenv ("DD_SMS_USER");
  g_autoptr(DdSmsAccount) account = NULL;
  DdSmsGateway *gateway;

  if (!g_strv_contains (providers, provider))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Unknown SMS provider “%s”."), provider);
      return NULL;
    }
  if (dd_sms_account_needs_secret (provider) && (secret == NULL || *secret == '\0'))
    {
      /* Translators: %s is the provider ("SMSAPI", "Twilio"…) */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Set the %s token or password in the DD_SMS_TOKEN environment variable."),
                   dd_sms_account_provider_title (provider));
      return NULL;
    }
  account = dd_sms_account_new (provider, opt_gateway_url, user, opt_sender);
  gateway = dd_sms_account_create_gateway (account, secret, error);
  if (gateway != NULL && DD_IS_HTTP_GATEWAY (gateway) && (opt_connections > 0 || opt_rate > 0))
    dd_http_gateway_set_limits (DD_HTTP_GATEWAY (gateway),
                                opt_connections > 0 ? (guint) opt_connections
                                                    : dd_sms_gateway_get_max_connections (gateway),
                                opt_rate > 0 ? opt_rate
                                             : dd_sms_gateway_get_rate_per_second (gateway));
  return gateway;
}

/* campaign run ID for a voice campaign (or --line): the calls, until the campaign is done */

typedef struct
{
  RunLoop          base;
  DdCampaignStore *store;
  DdVoiceCampaign *runner;
  gint64           campaign_id;
} VoiceRun;

static gboolean
voice_check_done (gpointer user_data)
{
  VoiceRun *run = user_data;

  if (dd_voice_campaign_get_n_active (run->runner) > 0)
    return G_SOURCE_CONTINUE;
  if (run->campaign_id > 0)
    {
      g_autoptr(DdCampaign) c = dd_campaign_store_get (run->store, run->campaign_id, NULL);

      if (c != NULL && (c->state == DD_CAMPAIGN_RUNNING || c->state == DD_CAMPAIGN_SCHEDULED))
        return G_SOURCE_CONTINUE;
    }
  else if (dd_voice_campaign_has_campaigns (run->runner))
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (run->base.loop);
  return G_SOURCE_CONTINUE;
}

static void
on_voice_idle (DdVoiceCampaign *runner,
               VoiceRun        *run)
{
  if (opt_until_idle)
    g_main_loop_quit (run->base.loop);
}

static void
on_voice_paused (DdVoiceCampaign *runner,
                 gint64           campaign_id,
                 const char      *reason,
                 const char      *detail,
                 VoiceRun        *run)
{
  const char *label = dd_campaign_reason_to_label (reason);

  /* Translators: the calls stopped on their own: campaign id, why in words, the line's SIP
   * answer ("401 Unauthorized") */
  g_printerr (_("Campaign %1$" PRId64 " paused: %2$s (%3$s). Fix the line’s password "
                "(DD_SIP_PASSWORD), then run “campaign run” again to resume.\n"),
              campaign_id, label != NULL ? label : reason, detail != NULL ? detail : reason);
  run->base.status = 1;
  /* the calls already on their way end and are put back (voice_check_done waits for them) */
}

static void
on_voice_failed (DdVoiceCampaign *runner,
                 const char      *why,
                 VoiceRun        *run)
{
  run_loop_fail (&run->base, why);
}

/* A call of a voice campaign, for --json. */

DD_CLI_DEFINE_ENUM_TEXT (attempt_state, DdCallAttempt, state, dd_call_attempt_state)
DD_CLI_DEFINE_ENUM_TEXT (attempt_answered_by, DdCallAttempt, answered_by, dd_answered_by)
static const DdCliField attempt_fields[] = {
  DD_CLI_FIELD (DdCallAttempt, id),
  DD_CLI_FIELD (DdCallAttempt, case_id),
  DD_CLI_FIELD (DdCallAttempt, debtor_id),
  DD_CLI_FIELD (DdCallAttempt, e164),
  DD_CLI_FIELD (DdCallAttempt, attempt_no),
  DD_CLI_FIELD_TEXT ("state", attempt_state),
  DD_CLI_FIELD (DdCallAttempt, result),
  DD_CLI_FIELD (DdCallAttempt, line),
  DD_CLI_FIELD (DdCallAttempt, caller_id),
  DD_CLI_FIELD (DdCallAttempt, scheduled_at),
  DD_CLI_FIELD (DdCallAttempt, started_at),
  DD_CLI_FIELD (DdCallAttempt, answered_at),
  DD_CLI_FIELD (DdCallAttempt, ended_at),
  DD_CLI_FIELD (DdCallAttempt, sip_status),
  DD_CLI_FIELD (DdCallAttempt, sip_reason),
  DD_CLI_FIELD (DdCallAttempt, cause),
  DD_CLI_FIELD_TEXT ("answered_by", attempt_answered_by),
  DD_CLI_FIELD (DdCallAttempt, ivr_path),
  DD_CLI_FIELD (DdCallAttempt, keys),
  DD_CLI_FIELD_BOOLEAN (DdCallAttempt, heard_to_end),
  DD_CLI_FIELD (DdCallAttempt, transfer),
  DD_CLI_FIELD (DdCallAttempt, declaration_id),
  { NULL }
};

static void
print_attempts (DdDatabase *database,
                gint64      campaign_id)
{
  g_autoptr(DdCallAttempts) attempts = dd_call_attempts_new (database);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = dd_call_attempts_list (attempts, campaign_id, &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  DdCallCounts n = { 0 };

  if (list == NULL || !dd_call_attempts_get_counts (attempts, campaign_id, &n, &error))
    {
      dd_cli_print_error (error->message);
      return;
    }
  if (!dd_cli_json)
    {
      /* Translators: a voice campaign on the command line: id, then counts */
      g_print (_("Campaign %" PRId64 ": %u numbers, %u done; %u answered, %u not reached, "
                 "%u declarations, %u waiting\n"),
               campaign_id, n.numbers, n.numbers_done, n.completed, n.not_reached, n.declared,
               n.scheduled);
      return;
    }
  json_builder_begin_object (b);
  dd_json_add_int (b, "campaign_id", campaign_id);
#define COUNT(field) dd_json_add_int (b, #field, n.field);
  COUNT (numbers) COUNT (numbers_done) COUNT (scheduled) COUNT (dialing) COUNT (completed)
  COUNT (not_reached) COUNT (cancelled) COUNT (declared) COUNT (machines)
#undef COUNT
  json_builder_set_member_name (b, "attempts");
  dd_cli_add_json_array (b, list, attempt_fields);
  json_builder_end_object (b);
  dd_cli_print_json (b);
}

static int
campaign_run_voice (DdDatabase *database,
                    gint64      campaign_id)
{
  g_autoptr(DdCampaignStore) store = dd_campaign_store_new (database);
  g_autoptr(DdContactPolicy) policy = NULL;
  g_autoptr(DdSipEngine) engine = NULL;
  g_autoptr(DdVoiceCampaign) runner = NULL;
  g_autoptr(GError) error = NULL;
  VoiceRun run = { 0 };
  gint64 deadline;

  if (opt_line == NULL || !g_str_has_prefix (opt_line, "sip:") || strchr (opt_line, '@') == NULL)
    return dd_cli_usage_error (_("Give the line to call through as --line sip:user@host[:port]."));
  if (!opt_no_policy && (policy = dd_cli_office_contact_policy (&error)) == NULL)
    return dd_cli_fail (error);
  engine = dd_sip_engine_new (opt_listen != NULL ? opt_listen : "127.0.0.1", 0, &error);
  if (engine == NULL)
    return dd_cli_fail (error);
  runner = dd_voice_campaign_new (database, engine);
  /* the password from the environment, never the command line (other users can see it) */
  dd_voice_campaign_add_line (runner, opt_line, NULL, g_getenv ("DD_SIP_PASSWORD"));
  dd_voice_campaign_set_caller_ids (runner, (const char * const *) opt_caller_ids);
  dd_voice_campaign_set_contact_policy (runner, policy);
  dd_voice_campaign_set_only (runner, campaign_id);
  dd_voice_campaign_set_tick (runner, 200);
  /* a campaign the line had refused is tried again: the user has fixed its password (if not,
   * it pauses again at the first call) */
  if (!resume_account_paused (store, "voice", campaign_id, &error))
    return dd_cli_fail (error);

  run.store = store;
  run.runner = runner;
  run.campaign_id = campaign_id;
  g_signal_connect (runner, "idle", G_CALLBACK (on_voice_idle), &run);
  g_signal_connect (runner, "failed", G_CALLBACK (on_voice_failed), &run);
  g_signal_connect (runner, "campaign-paused", G_CALLBACK (on_voice_paused), &run);
  run_loop_start (&run.base, voice_check_done, &run);
  if (!dd_voice_campaign_start (runner, &error))
    run_loop_fail (&run.base, error->message);
  else
    g_main_loop_run (run.base.loop);
  dd_voice_campaign_stop (runner);
  /* the calls hung up end and are recorded; what does not end in time is settled "unknown"
   * at the next start */
  deadline = g_get_monotonic_time () + 3 * G_TIME_SPAN_SECOND;
  while (dd_voice_campaign_get_n_active (runner) > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  run_loop_end (&run.base);
  if (campaign_id > 0)
    print_attempts (database, campaign_id);
  return run.base.status;
}

/* `campaign run` is a process that only sends: each message's pages (its row, the claim's
 * index, its case and debtor, the timeline rows written) are read or written once, then
 * hardly again. With the office database's page cache of 16 MiB those cold pages piled up
 * to its cap (a campaign of 10,000 messages: 43–46 MiB of RSS, 24 MiB of it the libraries'
 * pages), while what the sender does use again (the B-trees' upper pages, the pages being
 * filled) is a small part of it. A cache of 4 MiB bounds the sender whatever the campaign's
 * size, for the same CPU time (docs/PERFORMANCE.md, SMS sending). The window keeps its
 * 16 MiB: its lists read the same pages again and again. */
static gboolean
limit_sender_page_cache (DdDatabase  *database,
                         GError     **error)
{
  if (!g_str_equal (dd_database_get_driver_name (database), "sqlite"))
    return TRUE;
  return dd_database_exec (database, "PRAGMA cache_size = -4096", error);
}

/* What the next `campaign run` has to send: the messages of the SMS campaigns it goes on with
 * (running, scheduled, or paused because the provider refused the account) that are queued
 * (the waiting ones among them), or that this run held on their way when it stopped
 * (@out_on_their_way, settled with the provider first), both in @out_left. Messages another
 * desk holds are that desk's (check_done() says so). */
static gboolean
count_left (DdDatabase       *database,
            DdCampaignStore  *store,
            DdOutbox         *outbox,
            guint            *out_left,
            guint            *out_on_their_way,
            GError          **error)
{
  g_autoptr(GPtrArray) list = dd_campaign_store_list (store, error);

  *out_left = *out_on_their_way = 0;
  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    {
      DdCampaign *c = g_ptr_array_index (list, i);
      DdOutboxCounts n = { 0 };
      gint64 own = 0;

      if (g_strcmp0 (c->kind, "sms") != 0 ||
          !(c->state == DD_CAMPAIGN_RUNNING || c->state == DD_CAMPAIGN_SCHEDULED ||
            (c->state == DD_CAMPAIGN_PAUSED && dd_campaign_reason_is_account (c->state_reason))))
        continue;
      if (!dd_outbox_get_counts (outbox, c->id, &n, error))
        return FALSE;
      if (n.sending > 0 &&
          !dd_database_fetch_int64 (database, &own, NULL, error,
                                    "SELECT COUNT(*) FROM message WHERE campaign_id = ?"
                                    " AND state = 'sending' AND claimed_by = ?",
                                    DD_INT (c->id), DD_TEXT (dd_claim_owner ()), DD_END))
        return FALSE;
      *out_left += n.queued + (guint) own;
      *out_on_their_way += (guint) own;
    }
  return TRUE;
}

static int
campaign_run (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— send the running campaigns until they are done"));
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdSmsGateway) gateway = NULL;
  g_autoptr(DdSending) sending = NULL;
  g_autoptr(DdContactPolicy) policy = NULL;
  g_autoptr(DdCampaignStore) store = NULL;
  g_autoptr(DdOutbox) outbox = NULL;
  g_autoptr(GError) error = NULL;
  RunData run = { 0 };
  guint left = 0;
  guint on_their_way = 0;

  if (!dd_cli_parse_options (context, campaign_run_entries, &argc, &argv))
    return 2;
  if (argc > 2)
    return dd_cli_usage_error (_("Give at most one campaign id."));
  if (argc == 2 || opt_line != NULL)
    {
      g_autoptr(DdCampaign) campaign = NULL;
      gint64 id = 0;

      if (argc == 2 && ((id = g_ascii_strtoll (argv[1], NULL, 10)) <= 0))
        return dd_cli_usage_error (_("A campaign id is a number."));
      database = dd_cli_open_database ();
      if (database == NULL)
        return 1;
      store = dd_campaign_store_new (database);
      if (id > 0 && (campaign = dd_campaign_store_get (store, id, &error)) == NULL)
        return dd_cli_fail (error);
      if (campaign == NULL || g_str_equal (campaign->kind, "voice"))
        return campaign_run_voice (database, id);
      g_clear_object (&store);
      g_clear_object (&database);
    }
  gateway = make_gateway (&error);
  if (gateway == NULL)
    return dd_cli_usage_error (error->message);
  database = dd_cli_open_database ();
  if (database == NULL)
    return 1;
  if (!limit_sender_page_cache (database, &error))
    return dd_cli_fail (error);
  store = dd_campaign_store_new (database);
  if (!opt_no_policy && (policy = dd_cli_office_contact_policy (&error)) == NULL)
    return dd_cli_fail (error);
  if (!resume_account_paused (store, "sms", 0, &error))
    return dd_cli_fail (error);
  /* the same sending as the window's */
  sending = dd_sending_new (database);
  dd_sending_set_poll_interval (sending, (guint) CLAMP (opt_poll, 1, 3600));
  g_signal_connect (sending, "campaign-paused", G_CALLBACK (on_campaign_paused), &run);

  run.database = database;
  run.store = store;
  run.sending = sending;
  run.outbox = outbox = dd_outbox_new (database);
  run_loop_start (&run.base, check_done, &run);
  dd_sending_start (sending, gateway, policy);
  g_signal_connect (dd_sending_get_dispatcher (sending), "message-sent",
                    G_CALLBACK (on_message_sent), &run);
  g_signal_connect (dd_sending_get_dispatcher (sending), "message-failed",
                    G_CALLBACK (on_message_failed), &run);
  g_signal_connect (dd_sending_get_dispatcher (sending), "message-retry",
                    G_CALLBACK (on_message_retry), &run);
  g_main_loop_run (run.base.loop);
  g_signal_handlers_disconnect_by_data (dd_sending_get_dispatcher (sending), &run);
  g_clear_pointer (&run.last_retry, g_free);
  dd_sending_stop (sending);
  run_loop_end (&run.base);
  /* stopped before the end (Ctrl+C, SIGTERM, a paused campaign): what is left is said, so
   * that "not sent: 0" is not taken for all sent */
  if (!count_left (database, store, outbox, &left, &on_their_way, &error))
    return dd_cli_fail (error);
  if (!dd_cli_json && left > run.n_waiting)
    {
      if (on_their_way > 0)
        /* Translators: the end of a `campaign run` stopped before the end: messages whose
         * request had gone out when it stopped; the next run asks the provider whether it took
         * each of them before sending anything, so none goes twice */
        g_printerr (ngettext ("%u message was on its way when the run stopped; the next "
                              "“campaign run” asks the provider whether it arrived before "
                              "sending anything, so it is not sent twice.\n",
                              "%u messages were on their way when the run stopped; the next "
                              "“campaign run” asks the provider whether they arrived before "
                              "sending anything, so none is sent twice.\n",
                              on_their_way), on_their_way);
      /* Translators: the end of a `campaign run` stopped before the end: messages the provider
       * took, those it refused for good (each said above), and those the next run sends */
      g_print (_("Sent: %u, not sent: %u, left for the next run: %u\n"), run.n_sent,
               run.n_failed, left);
    }
  else if (!dd_cli_json && run.n_waiting > 0)
    /* Translators: the end of `campaign run`: messages the provider took, those it refused
     * for good (each said above), and those waiting for it to answer again */
    g_print (_("Sent: %u, not sent: %u, waiting for the provider: %u\n"), run.n_sent,
             run.n_failed, run.n_waiting);
  else if (!dd_cli_json && (run.n_sent > 0 || run.n_failed > 0))
    /* Translators: the end of `campaign run`: messages the provider took, and those it
     * refused for good (each said above) */
    g_print (_("Sent: %u, not sent: %u\n"), run.n_sent, run.n_failed);
  return run.base.status;
}

int
dd_cli_campaign (int    argc,
                 char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "create"))
    return campaign_create (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "run"))
    return campaign_run (argc - 1, argv + 1);
  g_printerr ("%s\n", _("Usage: dunning-desk-cli campaign create|run [ID] [OPTIONS…]"));
  return 2;
}
