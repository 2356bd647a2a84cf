/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dunning-desk-cli"

#include "config.h"

#include "dd-cli-private.h"

/* SMS campaigns: campaigns (the list), campaign create and campaign run. */

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
      if (dd_cli_json)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, c->id);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, c->name);
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (builder, dd_campaign_state_to_string (c->state));
          json_builder_set_member_name (builder, "schedule_at");
          json_builder_add_string_value (builder, c->schedule_at);
#define COUNT(field) \
          json_builder_set_member_name (builder, #field); \
          json_builder_add_int_value (builder, n.field);
          COUNT (queued) COUNT (sending) COUNT (sent) COUNT (delivered) COUNT (failed)
          COUNT (expired) COUNT (cancelled) COUNT (replies) COUNT (parts)
#undef COUNT
          json_builder_end_object (builder);
        }
      else
        /* Translators: one campaign on the command line: id, name, state, then counts */
        g_print (_("%" PRId64 "\t%s\t%s\tqueued %u, sent %u, delivered %u, failed %u, "
                   "replies %u\n"),
                 c->id, c->name, dd_campaign_state_to_label (c->state), n.queued + n.sending,
                 n.sent, n.delivered, n.failed + n.expired, n.replies);
    }
  json_builder_end_array (builder);
  if (dd_cli_json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      g_autofree char *text = json_to_string (root, TRUE);

      g_print ("%s\n", text);
    }
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
  { NULL }
};

static int
campaign_create (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— create an SMS campaign and start it"));
  g_autoptr(DdDatabase) database = NULL;
  g_autoptr(DdCampaignStore) store = NULL;
  g_autoptr(DdCaseQuery) query = NULL;
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *locale = NULL;
  g_autofree char *filter = NULL;
  DdCampaign campaign = { 0 };
  DdAudienceCounts counts = { 0 };
  DdCampaignMessagesInfo info = { 0 };
  gint64 id = 0;
  gboolean ok;

  if (!dd_cli_parse_options (context, campaign_create_entries, &argc, &argv))
    return 2;
  if (opt_name == NULL || opt_text == NULL)
    {
      dd_cli_print_error (_("A campaign needs --name and --text."));
      return 2;
    }
  database = dd_cli_open_database ();
  if (database == NULL)
    return 1;

  if (opt_filter != NULL)
    query = dd_case_query_from_json (opt_filter, &error);
  else
    query = dd_case_query_new ();
  if (query == NULL)
    {
      dd_cli_print_error (error->message);
      return 2;
    }
  filter = dd_case_query_to_json (query);
  recipients = dd_campaign_audience_collect (database, query,
                                             opt_all_phones ? DD_AUDIENCE_ALL_PHONES : 0, TRUE,
                                             &counts, &error);
  if (recipients == NULL)
    return dd_cli_fail (error);
  if (recipients->len == 0)
    {
      dd_cli_print_error (_("No debtor of these cases can be messaged."));
      return 1;
    }

  {
    g_autofree char *country = dd_cli_office_setting ("default-country", "PL");

    locale = g_strdup (g_str_equal (country, "RU") ? "ru" : g_str_equal (country, "PL") ? "pl" : "en");
  }
  store = dd_campaign_store_new (database);
  campaign.name = opt_name;
  campaign.kind = (char *) "sms";
  campaign.audience_filter = filter;
  campaign.template_text = opt_text;
  campaign.sender = opt_sender;
  campaign.schedule_at = opt_at;
  if (!dd_database_begin (database, &error))
    return dd_cli_fail (error);
  ok = dd_campaign_store_create (store, &campaign, 0, &id, &error) &&
       dd_campaign_messages_enqueue (database, id, opt_text, opt_sender, recipients, locale,
                                     opt_plain ? DD_CAMPAIGN_MESSAGES_PLAIN : 0, opt_at, &info,
                                     &error) &&
       dd_campaign_store_set_state (store, id,
                                    opt_at != NULL ? DD_CAMPAIGN_SCHEDULED : DD_CAMPAIGN_RUNNING,
                                    NULL, 0, &error) &&
       dd_database_commit (database, &error);
  if (!ok)
    {
      dd_database_rollback (database, NULL);
      return dd_cli_fail (error);
    }
  /* Translators: after creating a campaign: its id, messages, segments */
  g_print (_("Campaign %" PRId64 ": %u messages, %u segments\n"), id, info.n_messages,
           info.n_segments);
  return 0;
}

typedef struct
{
  GMainLoop       *loop;
  DdCampaignStore *store;
  DdSending       *sending;
  int              status;
} RunData;

/* Done when no campaign is running or waiting for its time. */
static gboolean
check_done (gpointer user_data)
{
  RunData *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = dd_campaign_store_list (run->store, &error);

  if (list == NULL)
    {
      dd_cli_print_error (error->message);
      run->status = 1;
      g_main_loop_quit (run->loop);
      return G_SOURCE_CONTINUE;
    }
  for (guint i = 0; i < list->len; i++)
    {
      DdCampaign *c = g_ptr_array_index (list, i);

      if (c->state == DD_CAMPAIGN_RUNNING || c->state == DD_CAMPAIGN_SCHEDULED)
        return G_SOURCE_CONTINUE;
    }
  /* the answers still on their way are recorded before the end */
  if (!dd_sms_dispatcher_is_idle (dd_sending_get_dispatcher (run->sending)))
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (run->loop);
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
  run->status = 1;
}

/* Campaigns the sending paused itself because the provider refused the account go on: the
 * user has fixed the account (if not, they pause again at the first answer). */
static gboolean
resume_account_paused (DdCampaignStore  *store,
                       GError          **error)
{
  g_autoptr(GPtrArray) list = dd_campaign_store_list (store, error);

  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    {
      DdCampaign *c = g_ptr_array_index (list, i);

      if (c->state != DD_CAMPAIGN_PAUSED || !dd_campaign_reason_is_account (c->state_reason) ||
          g_strcmp0 (c->kind, "sms") != 0)
        continue;
      if (!dd_campaign_store_set_state (store, c->id, DD_CAMPAIGN_RUNNING, NULL, 0, error))
        return FALSE;
      /* Translators: a campaign the provider had refused is tried again: id, name */
      g_print (_("Campaign %1$" PRId64 " (“%2$s”) resumes\n"), c->id, c->name);
    }
  return TRUE;
}

static gboolean
on_stop_signal (gpointer user_data)
{
  RunData *run = user_data;

  run->status = 130;
  g_main_loop_quit (run->loop);
  return G_SOURCE_CONTINUE;
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
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  RunData run = { 0 };
  guint timer, sigint, sigterm;

  if (!dd_cli_parse_options (context, campaign_run_entries, &argc, &argv))
    return 2;
  gateway = make_gateway (&error);
  if (gateway == NULL)
    {
      dd_cli_print_error (error->message);
      return 2;
    }
  database = dd_cli_open_database ();
  if (database == NULL)
    return 1;
  store = dd_campaign_store_new (database);
  if (!opt_no_policy)
    {
      g_autofree char *json = dd_cli_office_setting ("contact-policy", "");
      g_autofree char *country = dd_cli_office_setting ("default-country", "PL");

      if (*json != '\0')
        {
          policy = dd_contact_policy_from_json (json, &error);
          if (policy == NULL)
            return dd_cli_fail (error);
        }
      else
        policy = dd_contact_policy_new_preset (dd_contact_policy_preset_for_country (country));
    }
  if (!resume_account_paused (store, &error))
    return dd_cli_fail (error);
  /* the same sending as the window's */
  sending = dd_sending_new (database);
  dd_sending_set_poll_interval (sending, (guint) CLAMP (opt_poll, 1, 3600));
  g_signal_connect (sending, "campaign-paused", G_CALLBACK (on_campaign_paused), &run);

  run.loop = loop;
  run.store = store;
  run.sending = sending;
  timer = g_timeout_add (200, check_done, &run);
  sigint = g_unix_signal_add (SIGINT, on_stop_signal, &run);
  sigterm = g_unix_signal_add (SIGTERM, on_stop_signal, &run);
  dd_sending_start (sending, gateway, policy);
  g_main_loop_run (loop);
  dd_sending_stop (sending);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_clear_handle_id (&timer, g_source_remove);
  return run.status;
}

int
dd_cli_campaign (int    argc,
                 char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "create"))
    return campaign_create (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "run"))
    return campaign_run (argc - 1, argv + 1);
  g_printerr ("%s\n", _("Usage: dunning-desk-cli campaign create|run [OPTIONS…]"));
  return 2;
}
