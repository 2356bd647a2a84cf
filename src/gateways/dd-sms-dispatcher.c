/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-sms-dispatcher"

#include "config.h"

#include "dd-sms-dispatcher.h"

#include "dd-case-store.h"

#include "dd-campaign-store.h"
#include "dd-claim.h"
#include "dd-outbox.h"

#include <glib/gi18n-lib.h>

/* Claim a little ahead of the connections, so a finished request finds the next one. */
#define MAX_ATTEMPTS       8
#define IDLE_RECHECK_S     30
#define WAITING_RECHECK_S  3600   /* a message waiting for an unreachable provider */
#define REPORT_AGE_S       120
#define REPLIES_LOOK_BACK_S (3 * 24 * 3600)   /* the first fetch of a provider's replies */

struct _DdSmsDispatcher
{
  GObject          parent_instance;

  DdDatabase      *database;
  DdSmsGateway    *gateway;
  DdOutbox        *outbox;
  DdCampaignStore *campaigns;
  GCancellable    *cancellable;

  gboolean         running;
  gboolean         reconciling;
  guint            in_flight;
  guint            max_in_flight;
  guint            wake_id;        /* next pump */
  guint            poll_id;        /* delivery reports */
  guint            heartbeat_id;   /* says the messages on their way are still held */
  guint            poll_interval;
  gboolean         polling;
  gboolean         fetching_replies;
  gboolean         reports_unsupported;
  gboolean         replies_unsupported;

  /* token bucket for the gateway's rate */
  double           tokens;
  gint64           tokens_at;

  gint64           campaigns_checked_at;  /* monotonic µs; 0: check at the next pump */
  guint            unknown_in_row;        /* sends whose answer was lost, since the last sent */
  gint64           slow_down_until;       /* monotonic µs: the provider asked to wait (429) */

  DdContactPolicy *policy;                /* NULL: none */
  char            *status_url;            /* where the provider pushes reports, or NULL */
};

/* Sends in a row whose answer was lost (OUTCOME_UNKNOWN) before a campaign pauses: the
 * provider takes messages without answering, each more would be one more the user must check. */
#define UNKNOWN_IN_ROW_PAUSE 3

/* How often a busy pump looks at the campaigns (scheduled starts, sending hours). */
#define CAMPAIGN_CHECK_US (500 * G_TIME_SPAN_MILLISECOND)

G_DEFINE_FINAL_TYPE (DdSmsDispatcher, dd_sms_dispatcher, G_TYPE_OBJECT)

enum {
  MESSAGE_SENT,
  MESSAGE_FAILED,
  CAMPAIGN_PAUSED,
  CAMPAIGN_STARTED,
  CAMPAIGN_COMPLETED,
  IDLE,
  REPLY_RECEIVED,
  MESSAGE_DEFERRED,
  MESSAGE_RETRY,
  MESSAGE_WAITING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void pump (DdSmsDispatcher *self);

static char *
iso_in (gint64 seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, seconds);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

/* Exponential back-off with jitter, at least what the provider asked for. */
static gint64
backoff_seconds (guint  attempts,
                 gint64 retry_after)
{
  gint64 base = MIN ((gint64) 5 << MIN (attempts, 10), 3600);
  gint64 jitter = g_random_int_range (0, (gint32) MAX (base / 4, 1) + 1);

  return MAX (base + jitter, retry_after);
}

static void
schedule_pump (DdSmsDispatcher *self,
               guint            milliseconds);

static gboolean
on_wake (gpointer user_data)
{
  DdSmsDispatcher *self = DD_SMS_DISPATCHER (user_data);

  self->wake_id = 0;
  pump (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_pump (DdSmsDispatcher *self,
               guint            milliseconds)
{
  if (!self->running)
    return;
  g_clear_handle_id (&self->wake_id, g_source_remove);
  self->wake_id = g_timeout_add (milliseconds, on_wake, self);
}

/* Takes one token if the rate allows; else how long to wait (ms). */
static guint
take_token (DdSmsDispatcher *self)
{
  double rate = dd_sms_gateway_get_rate_per_second (self->gateway);
  gint64 now = g_get_monotonic_time ();

  if (rate <= 0)
    return 0;
  self->tokens = MIN (rate, self->tokens + rate * (now - self->tokens_at) / G_USEC_PER_SEC);
  self->tokens_at = now;
  if (self->tokens >= 1)
    {
      self->tokens -= 1;
      return 0;
    }
  return (guint) MAX (1, (1 - self->tokens) / rate * 1000);
}

/* Sending */

typedef struct
{
  DdSmsDispatcher *self;
  DdOutboxMessage *message;
  gboolean         after_duplicate;  /* the provider refused the key as a repeat */
} SendData;

static void
send_data_free (SendData *data)
{
  g_object_unref (data->self);
  dd_outbox_message_free (data->message);
  g_free (data);
}

static void
log_error (const char   *what,
           const GError *error)
{
  if (error == NULL)
    return;
  /* On a shared database another desk may have settled the message first (its own answer,
   * or its reconciling after a restart): nothing is lost, the provider's idempotency key
   * keeps it single */
  if (g_error_matches (error, DD_OUTBOX_ERROR, DD_OUTBOX_ERROR_STATE))
    g_message ("%s: %s (settled by another desk)", what, error->message);
  else
    g_warning ("%s: %s", what, error->message);
}

/* @refused: the error answered the message's own request (so it was not accepted); FALSE
 * for a look-up, which says nothing about an earlier request that may have been. */
static void
handle_send_error (DdSmsDispatcher *self,
                   DdOutboxMessage *message,
                   const GError    *error,
                   gboolean         refused)
{
  g_autoptr(GError) local_error = NULL;
  const char *code = dd_sms_gateway_error_to_code (error);

  if (dd_sms_gateway_error_is_account_wide (error) && message->campaign_id != 0)
    {
      /* not the message's fault, and every other one would meet it too: the message goes back
       * as it was and the campaign waits for the user to fix the account */
      if (refused
          ? !dd_outbox_put_back (self->outbox, message->id, code, error->message, &local_error)
          : !dd_outbox_mark_retry (self->outbox, message->id, NULL, code, error->message,
                                   &local_error))
        log_error ("Could not put a message back", local_error);
      g_clear_error (&local_error);
      if (dd_campaign_store_set_state (self->campaigns, message->campaign_id, DD_CAMPAIGN_PAUSED,
                                       code, 0, &local_error))
        g_signal_emit (self, signals[CAMPAIGN_PAUSED], 0, message->campaign_id, code,
                       error->message);
      else
        g_clear_error (&local_error);   /* paused already, by another message's answer */
      return;
    }

  if (dd_sms_gateway_error_is_retryable (error) && message->attempts < MAX_ATTEMPTS)
    {
      gint64 wait = backoff_seconds (message->attempts,
                                     dd_sms_gateway_error_get_retry_after (error));
      g_autofree char *not_before = iso_in (wait);

      g_debug ("Message %" G_GINT64_FORMAT " to retry in %" G_GINT64_FORMAT " s: %s",
               message->id, wait, error->message);
      /* a 429 is about the account, not this message: nothing new is sent until the wait
       * the provider asked for is over (at least a second), or a storm of 429s would be met
       * with one request per queued message */
      if (g_error_matches (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_RATE_LIMITED))
        self->slow_down_until = MAX (self->slow_down_until,
                                     g_get_monotonic_time () +
                                     MAX (dd_sms_gateway_error_get_retry_after (error), 1) *
                                     G_TIME_SPAN_SECOND);
      if (!dd_outbox_mark_retry (self->outbox, message->id, not_before, code, error->message,
                                 &local_error))
        log_error ("Could not requeue a message", local_error);
      else
        g_signal_emit (self, signals[MESSAGE_RETRY], 0, message->id, wait, error->message);
      return;
    }

  if (dd_sms_gateway_error_is_retryable (error))
    {
      g_autofree char *not_before = iso_in (WAITING_RECHECK_S);

      /* the back-off is used up, but the provider never took the message (unreachable,
       * 5xx, time-outs): not failed, it waits for the provider to answer again; the next
       * start or resume sends it, under the same idempotency key */
      g_debug ("Message %" G_GINT64_FORMAT " waits for the provider: %s", message->id,
               error->message);
      if (!dd_outbox_mark_waiting (self->outbox, message->id, not_before, error->message,
                                   &local_error))
        log_error ("Could not requeue a message", local_error);
      else
        g_signal_emit (self, signals[MESSAGE_WAITING], 0, message->id, error->message);
      return;
    }

  if (g_error_matches (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_OPTED_OUT) &&
      !dd_outbox_opt_out_number (self->outbox, message->e164, &local_error))
    log_error ("Could not record an opt-out", local_error);
  g_clear_error (&local_error);
  if (dd_sms_gateway_error_is_number_unusable (error))
    {
      g_autoptr(DdCaseStore) cases = dd_case_store_new (self->database);

      /* as a look-up that found it invalid: later campaigns skip it, the cases say why */
      if (!dd_case_store_record_hlr (cases, 0, message->e164, "invalid", NULL, NULL, NULL,
                                     &local_error))
        log_error ("Could not mark a number invalid", local_error);
      g_clear_error (&local_error);
    }
  /* outcome unknown: not sent again (the debtor may have it), the user decides */
  if (!dd_outbox_mark_failed (self->outbox, message->id, code, error->message, &local_error))
    log_error ("Could not record a failed message", local_error);
  g_clear_error (&local_error);
  g_signal_emit (self, signals[MESSAGE_FAILED], 0, message->id, error->message);
  if (g_error_matches (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_OUTCOME_UNKNOWN) &&
      ++self->unknown_in_row >= UNKNOWN_IN_ROW_PAUSE && message->campaign_id != 0 &&
      dd_campaign_store_set_state (self->campaigns, message->campaign_id, DD_CAMPAIGN_PAUSED,
                                   code, 0, &local_error))
    g_signal_emit (self, signals[CAMPAIGN_PAUSED], 0, message->campaign_id, code,
                   error->message);
}

/* Messages that waited for an unreachable provider are tried again now. */
static void
release_waiting (DdSmsDispatcher *self)
{
  g_autoptr(GError) error = NULL;
  guint released = 0;

  if (!dd_outbox_release_waiting (self->outbox, 0, &released, &error))
    log_error ("Could not release the messages waiting for the provider", error);
  else if (released > 0)
    g_message ("%u message(s) that waited for the provider are tried again", released);
}

static void
record_sent (DdSmsDispatcher       *self,
             DdOutboxMessage       *message,
             const DdSmsSendResult *result)
{
  g_autoptr(GError) error = NULL;
  DdOutboxSent sent = { dd_sms_gateway_get_id (self->gateway), result->provider_id,
                        result->parts, result->cost_minor, result->cost_currency };

  self->unknown_in_row = 0;
  if (!dd_outbox_mark_sent (self->outbox, message->id, &sent, &error))
    log_error ("Could not record a sent message", error);
  else
    g_signal_emit (self, signals[MESSAGE_SENT], 0, message->id);
}

static void on_lookup_done (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data);

static void
on_send_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SendData *data = user_data;
  DdSmsDispatcher *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSmsSendResult) sent = dd_sms_gateway_send_finish (DD_SMS_GATEWAY (source), result,
                                                                &error);

  if (sent != NULL)
    record_sent (self, data->message, sent);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* stopped: the row stays "sending" and is reconciled at the next start */
    }
  else if (g_error_matches (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_DUPLICATE) &&
           data->message->attempts > 1)
    {
      /* this office sent the key before (a request whose answer was lost, or one a crash left
       * unsettled): the provider has it already, ask for its id */
      data->after_duplicate = TRUE;
      dd_sms_gateway_lookup_async (self->gateway, data->message->idempotency_key,
                                   self->cancellable, on_lookup_done, data);
      return;
    }
  else if (g_error_matches (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_DUPLICATE))
    {
      g_autoptr(GError) local_error = NULL;
      const char *why = _("The SMS provider says it already has a message with this key, but "
                          "this office never sent it (another office database on the same "
                          "account?); the message was not sent");

      /* a key this office never sent: not a success, the debtor got nothing */
      if (!dd_outbox_mark_failed (self->outbox, data->message->id, "duplicate-key", why,
                                  &local_error))
        log_error ("Could not record a failed message", local_error);
      g_signal_emit (self, signals[MESSAGE_FAILED], 0, data->message->id, why);
    }
  else
    handle_send_error (self, data->message, error, TRUE);

  self->in_flight--;
  send_data_free (data);
  pump (self);
}

static void
on_lookup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SendData *data = user_data;
  DdSmsDispatcher *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSmsSendResult) found = dd_sms_gateway_lookup_finish (DD_SMS_GATEWAY (source),
                                                                   result, &error);

  if (found != NULL)
    record_sent (self, data->message, found);
  else if (data->after_duplicate &&
           g_error_matches (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_NOT_SUPPORTED))
    {
      DdSmsSendResult unknown = { NULL, 0, -1, NULL };

      /* it was accepted before; the API cannot say under which id */
      record_sent (self, data->message, &unknown);
    }
  else if (g_error_matches (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_NOT_SUPPORTED) &&
           dd_sms_gateway_get_refuses_duplicates (self->gateway))
    {
      g_autofree char *now = iso_in (0);
      g_autoptr(GError) local_error = NULL;

      /* left unsettled by a crash: sending again is safe, a repeat is refused as DUPLICATE */
      if (!dd_outbox_mark_retry (self->outbox, data->message->id, now, "unsettled", NULL,
                                 &local_error))
        log_error ("Could not requeue a message", local_error);
    }
  else if (g_error_matches (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_NOT_SUPPORTED))
    {
      g_autoptr(GError) local_error = NULL;

      /* the provider cannot tell and would not refuse a repeat: sending again could reach the
       * debtor twice, so the message is left for the user to decide */
      if (!dd_outbox_mark_failed (self->outbox, data->message->id, "outcome-unknown",
                                  _("The program stopped while this message was being sent and "
                                    "the provider cannot tell whether it arrived; it was not sent "
                                    "again"),
                                  &local_error))
        log_error ("Could not record a message", local_error);
    }
  else if (error == NULL)
    {
      g_autofree char *now = iso_in (0);
      g_autoptr(GError) local_error = NULL;

      /* the provider never got it: send it (again) */
      if (!dd_outbox_mark_retry (self->outbox, data->message->id, now, "not-received", NULL,
                                 &local_error))
        log_error ("Could not requeue a message", local_error);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    handle_send_error (self, data->message, error, FALSE);

  self->in_flight--;
  send_data_free (data);
  if (self->in_flight == 0 && self->reconciling)
    self->reconciling = FALSE;
  pump (self);
}

static void
send_one (DdSmsDispatcher *self,
          DdOutboxMessage *message)
{
  SendData *data = g_new0 (SendData, 1);
  DdSmsRequest request = {
    .idempotency_key = message->idempotency_key,
    .to = message->e164,
    .text = message->body,
    .sender = message->sender,
    .status_url = self->status_url,
  };

  data->self = g_object_ref (self);
  data->message = message;
  self->in_flight++;
  dd_sms_gateway_send_async (self->gateway, &request, self->cancellable, on_send_done, data);
}

/* The contact policy for the debtor of a claimed message: TRUE to send it now; otherwise it
 * went back to the queue until its debtor's next allowed moment. */
static gboolean
policy_allows (DdSmsDispatcher *self,
               DdOutboxMessage *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) history = NULL;
  g_autofree char *zone = NULL;
  g_autofree char *not_before = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 next = 0;
  DdContactVerdict verdict;

  if (self->policy == NULL || message->case_id == 0)
    return TRUE;
  history = dd_outbox_contact_history (self->outbox, message->case_id, now - 38 * 86400, &zone,
                                       &error);
  if (history == NULL)
    {
      log_error ("Could not read a debtor's contacts", error);
      return TRUE;
    }
  verdict = dd_contact_policy_check (self->policy, DD_CONTACT_SMS, zone, now,
                                     (const DdContactEvent *) history->data, history->len,
                                     DD_CONTACT_PLAN_HORIZON_DAYS, &next);
  if (verdict == DD_CONTACT_ALLOWED)
    return TRUE;
  /* beyond the horizon: looked at again in a day, never dropped */
  if (verdict == DD_CONTACT_SKIP || next <= now)
    next = now + 86400;
  {
    g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (next);

    not_before = g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ");
  }
  g_debug ("Message %" G_GINT64_FORMAT " waits for %s (contact policy)", message->id, not_before);
  if (!dd_outbox_defer (self->outbox, message->id, not_before,
                        verdict == DD_CONTACT_DEFER_CAP ? "policy-cap" : "policy-window", &error))
    log_error ("Could not defer a message", error);
  g_signal_emit (self, signals[MESSAGE_DEFERRED], 0, message->id, not_before);
  return FALSE;
}

/* Campaigns whose sending hours are closed now: their queued messages wait for the next
 * opening (not_before), so the claim does not pick them. */
static void
hold_closed_campaigns (DdSmsDispatcher *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) campaigns = dd_campaign_store_list (self->campaigns, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();

  if (campaigns == NULL)
    {
      log_error ("Could not read the campaigns", error);
      return;
    }
  for (guint i = 0; i < campaigns->len; i++)
    {
      DdCampaign *campaign = g_ptr_array_index (campaigns, i);
      g_autofree char *next_open = NULL;

      if (campaign->state != DD_CAMPAIGN_RUNNING ||
          dd_campaign_window_is_open (campaign->windows, now, tz, &next_open))
        continue;
      if (!dd_outbox_defer_campaign (self->outbox, campaign->id, next_open, NULL, &error))
        {
          log_error ("Could not hold back a campaign", error);
          g_clear_error (&error);
        }
    }
}

/* Starts due campaigns, sends what may go, completes what is done, and sleeps until the
 * next due message. */
static void
pump (DdSmsDispatcher *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *now = NULL;
  g_autoptr(GArray) started = NULL;
  g_autoptr(GArray) late = NULL;
  guint wait_ms;

  if (!self->running || self->reconciling)
    return;

  now = iso_in (0);
  /* not after every answer: twice a second is enough, and a wake () forces it */
  if (self->campaigns_checked_at != 0 &&
      g_get_monotonic_time () - self->campaigns_checked_at < CAMPAIGN_CHECK_US)
    goto claim;
  self->campaigns_checked_at = g_get_monotonic_time ();
  started = dd_campaign_store_start_due (self->campaigns, now, 300, &late, &error);
  if (started == NULL)
    log_error ("Could not start the scheduled campaigns", error);
  g_clear_error (&error);
  for (guint i = 0; started != NULL && i < started->len; i++)
    {
      gint64 id = g_array_index (started, gint64, i);
      gboolean was_late = FALSE;

      for (guint j = 0; late != NULL && j < late->len; j++)
        was_late = was_late || g_array_index (late, gint64, j) == id;
      g_signal_emit (self, signals[CAMPAIGN_STARTED], 0, id, was_late);
    }

  hold_closed_campaigns (self);

claim:
  while (self->in_flight < self->max_in_flight)
    {
      g_autoptr(GPtrArray) claimed = NULL;
      gint64 slow_down = self->slow_down_until - g_get_monotonic_time ();

      if (slow_down > 0)
        {
          schedule_pump (self, (guint) MIN (slow_down / 1000 + 1, G_MAXUINT));
          return;
        }
      wait_ms = take_token (self);
      if (wait_ms > 0)
        {
          schedule_pump (self, wait_ms);
          return;
        }
      claimed = dd_outbox_claim (self->outbox, 0, now, 1, &error);
      if (claimed == NULL)
        {
          log_error ("Could not claim messages", error);
          schedule_pump (self, IDLE_RECHECK_S * 1000);
          return;
        }
      if (claimed->len == 0)
        {
          self->tokens += 1;   /* not used */
          break;
        }
      if (!policy_allows (self, g_ptr_array_index (claimed, 0)))
        {
          self->tokens += 1;   /* not used */
          continue;
        }
      send_one (self, g_ptr_array_steal_index (claimed, 0));
    }

  if (self->in_flight > 0)
    return;   /* the answers pump again */
  self->campaigns_checked_at = 0;   /* idle: the next pump looks at the campaigns again */

  if (dd_campaign_store_complete_finished (self->campaigns, &error) > 0)
    g_signal_emit (self, signals[CAMPAIGN_COMPLETED], 0);
  log_error ("Could not complete campaigns", error);
  g_clear_error (&error);

  {
    g_autofree char *next = dd_outbox_next_due (self->outbox, &error);
    g_autoptr(GDateTime) next_time = next != NULL && *next != '\0'
                                     ? g_date_time_new_from_iso8601 (next, NULL) : NULL;
    g_autoptr(GDateTime) now_time = g_date_time_new_now_utc ();
    gint64 ms = IDLE_RECHECK_S * 1000;

    if (next_time != NULL)
      ms = CLAMP (g_date_time_difference (next_time, now_time) / 1000 + 50, 50, ms);
    schedule_pump (self, (guint) ms);
  }
  g_signal_emit (self, signals[IDLE], 0);
}

/* Start: reconcile the messages a crash left in "sending" before anything else. */
static void
reconcile (DdSmsDispatcher *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) unsettled = dd_outbox_list_unsettled (self->outbox, &error);

  if (unsettled == NULL)
    {
      log_error ("Could not read the unsettled messages", error);
      return;
    }
  if (unsettled->len == 0)
    return;
  g_message ("Reconciling %u message(s) left unsettled", unsettled->len);
  self->reconciling = TRUE;
  for (guint i = 0; i < unsettled->len; i++)
    {
      SendData *data = g_new0 (SendData, 1);

      data->self = g_object_ref (self);
      data->message = g_ptr_array_index (unsettled, i);
      unsettled->pdata[i] = NULL;
      self->in_flight++;
      dd_sms_gateway_lookup_async (self->gateway, data->message->idempotency_key,
                                   self->cancellable, on_lookup_done, data);
    }
}

/* Delivery reports */

typedef struct
{
  DdSmsDispatcher *self;
  GPtrArray       *messages;
  guint            next;
} PollData;

static void poll_next (PollData *data);

static void
on_status_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  PollData *data = user_data;
  DdOutboxMessage *message = g_ptr_array_index (data->messages, data->next - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSmsStatus) status = dd_sms_gateway_query_status_finish (DD_SMS_GATEWAY (source),
                                                                      result, &error);

  if (status != NULL)
    {
      DdOutboxReport report = { dd_sms_gateway_get_id (data->self->gateway),
                                message->provider_id, DD_MESSAGE_SENT, status->at,
                                status->error_code };

      switch (status->state)
        {
        case DD_SMS_STATE_DELIVERED:
          report.state = DD_MESSAGE_DELIVERED;
          break;
        case DD_SMS_STATE_FAILED:
          report.state = DD_MESSAGE_FAILED;
          break;
        case DD_SMS_STATE_EXPIRED:
          report.state = DD_MESSAGE_EXPIRED;
          break;
        default:
          break;
        }
      if (!dd_outbox_mark_report (data->self->outbox, &report, NULL, &error))
        log_error ("Could not record a delivery report", error);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      data->next = data->messages->len;
    }
  else if (g_error_matches (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_NOT_SUPPORTED))
    {
      /* reports come by callback only (Kannel): polling is pointless */
      data->self->reports_unsupported = TRUE;
      data->next = data->messages->len;
    }
  poll_next (data);
}

static void
poll_next (PollData *data)
{
  if (data->next < data->messages->len && data->self->running)
    {
      DdOutboxMessage *message = g_ptr_array_index (data->messages, data->next++);

      dd_sms_gateway_query_status_async (data->self->gateway, message->provider_id,
                                         data->self->cancellable, on_status_done, data);
      return;
    }
  data->self->polling = FALSE;
  g_object_unref (data->self);
  g_ptr_array_unref (data->messages);
  g_free (data);
}

/* Replies */

static void
on_replies_fetched (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(DdSmsDispatcher) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) replies = dd_sms_gateway_fetch_replies_finish (DD_SMS_GATEWAY (source),
                                                                      result, &error);

  self->fetching_replies = FALSE;
  if (replies == NULL)
    {
      if (g_error_matches (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_NOT_SUPPORTED))
        self->replies_unsupported = TRUE;
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not fetch replies: %s", error->message);
      return;
    }
  for (guint i = 0; i < replies->len; i++)
    {
      DdSmsReply *reply = g_ptr_array_index (replies, i);
      DdOutboxFetchedReply fetched = { dd_sms_gateway_get_id (self->gateway), reply->provider_id,
                                       reply->from, reply->text, reply->at };
      g_autoptr(GError) local_error = NULL;
      gboolean is_new = FALSE;
      gboolean opt_out = FALSE;

      if (reply->provider_id == NULL || reply->from == NULL)
        continue;
      if (!dd_outbox_record_fetched_reply (self->outbox, &fetched, &is_new, &opt_out,
                                           &local_error))
        log_error ("Could not record a reply", local_error);
      else if (is_new)
        g_signal_emit (self, signals[REPLY_RECEIVED], 0, reply->from, opt_out);
    }
}

static void
fetch_replies (DdSmsDispatcher *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *since = NULL;

  if (self->fetching_replies || self->replies_unsupported || !self->running)
    return;
  since = dd_outbox_last_reply_at (self->outbox, dd_sms_gateway_get_id (self->gateway), &error);
  if (since == NULL)
    since = iso_in (-REPLIES_LOOK_BACK_S);
  self->fetching_replies = TRUE;
  dd_sms_gateway_fetch_replies_async (self->gateway, since, self->cancellable,
                                      on_replies_fetched, g_object_ref (self));
}

static gboolean
on_poll (gpointer user_data)
{
  DdSmsDispatcher *self = DD_SMS_DISPATCHER (user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *now = iso_in (0);
  g_autofree char *checked_before = iso_in (-REPORT_AGE_S);
  GPtrArray *messages;
  PollData *data;

  fetch_replies (self);
  if (self->polling || self->reports_unsupported)
    return G_SOURCE_CONTINUE;
  messages = dd_outbox_take_awaiting_report (self->outbox, dd_sms_gateway_get_id (self->gateway),
                                             checked_before, now, 100, &error);
  if (messages == NULL)
    {
      log_error ("Could not read the messages awaiting a report", error);
      return G_SOURCE_CONTINUE;
    }
  if (messages->len == 0)
    {
      g_ptr_array_unref (messages);
      return G_SOURCE_CONTINUE;
    }
  self->polling = TRUE;
  data = g_new0 (PollData, 1);
  data->self = g_object_ref (self);
  data->messages = messages;
  poll_next (data);
  return G_SOURCE_CONTINUE;
}

/* GObject */

static void
dd_sms_dispatcher_dispose (GObject *object)
{
  DdSmsDispatcher *self = DD_SMS_DISPATCHER (object);

  dd_sms_dispatcher_stop (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->campaigns);
  g_clear_object (&self->outbox);
  g_clear_object (&self->gateway);
  g_clear_object (&self->database);
  g_clear_pointer (&self->policy, dd_contact_policy_free);
  g_clear_pointer (&self->status_url, g_free);

  G_OBJECT_CLASS (dd_sms_dispatcher_parent_class)->dispose (object);
}

static void
dd_sms_dispatcher_class_init (DdSmsDispatcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dd_sms_dispatcher_dispose;

  /**
   * DdSmsDispatcher::message-sent:
   * @message_id: the outbox row the provider accepted
   */
  signals[MESSAGE_SENT] =
    g_signal_new ("message-sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * DdSmsDispatcher::message-failed:
   * @message_id: the outbox row
   * @reason: translated, for the user
   */
  signals[MESSAGE_FAILED] =
    g_signal_new ("message-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  /**
   * DdSmsDispatcher::campaign-paused:
   * @campaign_id: the campaign
   * @reason: why, as kept on the campaign: "auth", "no-credit", "bad-sender",
   *   "account-blocked", "redirected", "tls"; "outcome-unknown" after a few sends in a row
   *   whose answers were lost (see dd_campaign_reason_to_label())
   * @detail: the provider's answer, translated, for the user
   *
   * The provider refused a message for a reason every message would meet: the campaign is
   * paused and the message back in the queue, until the user fixes the account and resumes.
   */
  signals[CAMPAIGN_PAUSED] =
    g_signal_new ("campaign-paused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * DdSmsDispatcher::campaign-started:
   * @campaign_id: a scheduled campaign whose time came
   * @late: its time passed while the app was closed
   */
  signals[CAMPAIGN_STARTED] =
    g_signal_new ("campaign-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_BOOLEAN);
  /**
   * DdSmsDispatcher::campaign-completed:
   *
   * One or more campaigns have nothing left to send.
   */
  signals[CAMPAIGN_COMPLETED] =
    g_signal_new ("campaign-completed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
  /**
   * DdSmsDispatcher::idle:
   *
   * Nothing in flight and nothing due now.
   */
  signals[IDLE] =
    g_signal_new ("idle", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * DdSmsDispatcher::reply-received:
   * @from: the number that replied (E.164)
   * @opt_out: whether the reply asked to stop messages
   *
   * A reply fetched from the provider was recorded (in the case's timeline).
   */
  signals[REPLY_RECEIVED] =
    g_signal_new ("reply-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  /**
   * DdSmsDispatcher::message-deferred:
   * @message_id: the message
   * @not_before: when it may go (UTC ISO 8601)
   *
   * The contact policy held a message back for its debtor's next allowed moment.
   */
  signals[MESSAGE_DEFERRED] =
    g_signal_new ("message-deferred", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  /**
   * DdSmsDispatcher::message-retry:
   * @message_id: the message
   * @seconds: how long until it is tried again
   * @reason: the provider's answer or why it could not be reached, translated
   *
   * A message met a passing error (the provider unreachable, busy, slowing down) and waits
   * in the queue for its next attempt.
   */
  signals[MESSAGE_RETRY] =
    g_signal_new ("message-retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_STRING);
  /**
   * DdSmsDispatcher::message-waiting:
   * @message_id: the message
   * @reason: the provider's answer or why it could not be reached, translated
   *
   * A message met passing errors until its back-off was used up: the provider never took it.
   * It is not failed: it waits in the queue (its campaign not complete) and is tried again
   * at the next start or resume (or in an hour), under the same idempotency key.
   */
  signals[MESSAGE_WAITING] =
    g_signal_new ("message-waiting", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
}

static void
dd_sms_dispatcher_init (DdSmsDispatcher *self)
{
  self->poll_interval = 60;
}

DdSmsDispatcher *
dd_sms_dispatcher_new (DdDatabase   *database,
                       DdSmsGateway *gateway)
{
  DdSmsDispatcher *self;

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);
  g_return_val_if_fail (DD_IS_SMS_GATEWAY (gateway), NULL);

  self = g_object_new (DD_TYPE_SMS_DISPATCHER, NULL);
  self->database = g_object_ref (database);
  self->gateway = g_object_ref (gateway);
  self->outbox = dd_outbox_new (database);
  self->campaigns = dd_campaign_store_new (database);
  self->max_in_flight = MAX (1, dd_sms_gateway_get_max_connections (gateway));
  return self;
}

/* On a shared database, a desk that starts settles the messages left "sending" only when no
 * live desk holds them: this one says it is alive for its own. */
static gboolean
on_heartbeat (gpointer user_data)
{
  DdSmsDispatcher *self = DD_SMS_DISPATCHER (user_data);
  g_autofree char *now = NULL;
  g_autoptr(GError) error = NULL;

  if (self->in_flight == 0)
    return G_SOURCE_CONTINUE;
  now = iso_in (0);
  if (!dd_outbox_heartbeat (self->outbox, now, &error))
    g_message ("Could not say the messages on their way are still held: %s", error->message);
  return G_SOURCE_CONTINUE;
}

void
dd_sms_dispatcher_start (DdSmsDispatcher *self)
{
  g_return_if_fail (DD_IS_SMS_DISPATCHER (self));

  if (self->running)
    return;
  self->running = TRUE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->tokens = 1;
  self->tokens_at = g_get_monotonic_time ();
  release_waiting (self);
  reconcile (self);
  self->poll_id = g_timeout_add_seconds (self->poll_interval, on_poll, self);
  self->heartbeat_id = g_timeout_add_seconds (DD_CLAIM_HEARTBEAT_SECONDS, on_heartbeat, self);
  pump (self);
}

void
dd_sms_dispatcher_stop (DdSmsDispatcher *self)
{
  g_return_if_fail (DD_IS_SMS_DISPATCHER (self));

  self->running = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->wake_id, g_source_remove);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_handle_id (&self->heartbeat_id, g_source_remove);
}

void
dd_sms_dispatcher_wake (DdSmsDispatcher *self)
{
  g_return_if_fail (DD_IS_SMS_DISPATCHER (self));

  self->campaigns_checked_at = 0;
  schedule_pump (self, 0);
}

void
dd_sms_dispatcher_send_waiting (DdSmsDispatcher *self)
{
  g_return_if_fail (DD_IS_SMS_DISPATCHER (self));

  release_waiting (self);
  dd_sms_dispatcher_wake (self);
}

gboolean
dd_sms_dispatcher_is_idle (DdSmsDispatcher *self)
{
  g_return_val_if_fail (DD_IS_SMS_DISPATCHER (self), TRUE);

  return self->in_flight == 0 && !self->reconciling;
}

void
dd_sms_dispatcher_set_poll_interval (DdSmsDispatcher *self,
                                     guint            seconds)
{
  g_return_if_fail (DD_IS_SMS_DISPATCHER (self));

  self->poll_interval = MAX (seconds, 1);
  if (self->poll_id != 0)
    {
      g_source_remove (self->poll_id);
      self->poll_id = g_timeout_add_seconds (self->poll_interval, on_poll, self);
    }
}

void
dd_sms_dispatcher_set_contact_policy (DdSmsDispatcher       *self,
                                      const DdContactPolicy *policy)
{
  g_return_if_fail (DD_IS_SMS_DISPATCHER (self));

  g_clear_pointer (&self->policy, dd_contact_policy_free);
  self->policy = dd_contact_policy_copy (policy);
}

void
dd_sms_dispatcher_set_status_url (DdSmsDispatcher *self,
                                  const char      *url)
{
  g_return_if_fail (DD_IS_SMS_DISPATCHER (self));

  g_free (self->status_url);
  self->status_url = g_strdup (url);
}
