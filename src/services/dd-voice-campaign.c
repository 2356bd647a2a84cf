/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-voice-campaign"

#include "config.h"

#include "dd-voice-campaign.h"

#include "dd-campaign-store.h"
#include "dd-case-store.h"
#include "dd-claim.h"
#include "dd-dates.h"
#include "dd-ivr-call.h"
#include "dd-ivr-flow-store.h"
#include "dd-money.h"
#include "dd-outbox.h"
#include "dd-secret-store.h"
#include "dd-tts.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

typedef struct
{
  char *uri;        /* sip:user@host[:port] */
  char *account;    /* the engine's account, or NULL */
  char *password;
  char *host;       /* host[:port] of @uri */
  char *user;
} Line;

typedef struct _Call Call;

struct _DdVoiceCampaign
{
  GObject           parent_instance;

  DdDatabase       *database;
  DdSipEngine      *engine;
  DdCallAttempts   *attempts;
  DdCampaignStore  *campaigns;
  DdCaseStore      *cases;
  DdOutbox         *outbox;
  DdContactPolicy  *policy;
  GPtrArray        *lines;          /* of Line */
  char            **caller_ids;
  guint             next_line;
  guint             next_caller_id;
  gint64            only;
  GHashTable       *flows;          /* flow row id → DdIvrFlow */
  GHashTable       *calls;          /* DdCall → Call */
  DdVoiceTransferFunc transfer_func;
  gpointer          transfer_data;
  GDestroyNotify    transfer_destroy;
  guint             machine_wait_ms;
  gboolean          detect_machines;
  guint             tick_ms;
  guint             tick;
  gint64            heartbeat_at;  /* Unix time the calls on the line were last said held */
  guint             idle_source;
  gboolean          running;
  gboolean          pumping;
  gboolean          was_idle;
  GHashTable       *failed_campaigns; /* campaigns told to be unable to call: said once */
  guint             test_calls;     /* test calls made: their attempts' (negative) ids */
};

G_DEFINE_FINAL_TYPE (DdVoiceCampaign, dd_voice_campaign, G_TYPE_OBJECT)

enum
{
  COUNTS_CHANGED,
  CALL_ANSWERED,
  SAID,
  ATTEMPT_ENDED,
  CAMPAIGN_FINISHED,
  CAMPAIGN_PAUSED,
  FAILED,
  IDLE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _Call
{
  DdVoiceCampaign *self;          /* unowned */
  DdCall          *call;
  DdCallAttempt   *attempt;
  DdVoiceSettings *settings;
  DdIvrCall       *ivr;           /* the flow on the call (no machine until it starts) */
  DdIvrFlow       *flow;
  DdIvrCaseInfo   *info;
  char            *phone;         /* the debtor's number, for SMS */
  GString         *keys;          /* the first KEYS_KEPT keys pressed */
  gboolean         keys_cut;      /* more came: the stored keys end with KEYS_CUT_MARK */
  gint64           answered_at;
  DdAnsweredBy     answered_by;
  guint            verdict_wait;  /* the flow waits for the machine verdict */
  gboolean         flow_started;
  gboolean         flow_hung_up;  /* the flow ended the call */
  gboolean         machine_hung_up;
  gboolean         stopping;      /* the runner stopped: settled as failed */
  char            *transfer;
  char            *handed_path;   /* the flow's trace when it let go (a consultant took it) */
  gint64           declaration_id;
  gboolean         declaration_refused;
  gboolean         test;          /* a test call: nothing is written, nothing is sent */
  guint            sms_sent;
};

/* machine_wait_ms never set: wait for the detector's verdict when it runs (at most the
 * backstop: its total analysis time and a second), else not */
/* A call stores the first 64 keys pressed (a flood of DTMF events during a whole call must not
 * grow the database without limit); more are marked by a trailing "…". The flow still hears
 * every key (its own inputs are at most 64 digits). */
#define KEYS_KEPT      64
#define KEYS_CUT_MARK  "…"

#define MACHINE_WAIT_DEFAULT      G_MAXUINT
#define MACHINE_WAIT_BACKSTOP_MS  6000

static void pump (DdVoiceCampaign *self);

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
line_free (Line *line)
{
  g_free (line->uri);
  g_free (line->account);
  dd_secret_free (line->password);
  g_free (line->host);
  g_free (line->user);
  g_free (line);
}

static void
failed (DdVoiceCampaign *self,
        const char      *why)
{
  g_message ("Voice campaigns cannot call: %s", why);
  g_signal_emit (self, signals[FAILED], 0, why);
}

static void
call_free (Call *c)
{
  g_clear_pointer (&c->ivr, dd_ivr_call_free);
  g_clear_handle_id (&c->verdict_wait, g_source_remove);
  g_signal_handlers_disconnect_by_data (c->call, c);
  g_clear_object (&c->call);
  g_clear_object (&c->flow);
  dd_call_attempt_free (c->attempt);
  dd_voice_settings_free (c->settings);
  dd_ivr_case_info_free (c->info);
  g_string_free (c->keys, TRUE);
  g_free (c->phone);
  g_free (c->transfer);
  g_free (c->handed_path);
  g_free (c);
}

/* What the flow says about the debt of @attempt: for one case its oldest unpaid invoice and
 * its balance; for a call that covers several cases of the debtor (a ladder step), all of
 * them — {creditor} names each creditor, {invoice} each unpaid invoice, {amount} and
 * {balance} are their total and {due_date} the oldest due date (cases in another currency
 * than the first are left out of the sums). */
static DdIvrCaseInfo *
case_info (DdVoiceCampaign     *self,
           const DdCallAttempt *attempt)
{
  g_autoptr(GPtrArray) creditors = g_ptr_array_new ();
  g_autoptr(GPtrArray) invoices = g_ptr_array_new ();
  g_autoptr(GPtrArray) details = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_case_details_free);
  DdIvrCaseInfo *info = dd_ivr_case_info_new ();
  const DdCaseDetails *lead;
  gint64 unpaid_minor = 0;

  for (guint i = 0; i < attempt->covers->len; i++)
    {
      gint64 case_id = g_array_index (attempt->covers, gint64, i);
      g_autoptr(GError) error = NULL;
      DdCaseDetails *d = dd_case_store_get_details (self->cases, case_id, &error);

      if (d == NULL)
        g_warning ("Could not read case %" G_GINT64_FORMAT ": %s", case_id, error->message);
      else if (details->len == 0 || g_strcmp0 (d->currency, ((DdCaseDetails *)
                                                 g_ptr_array_index (details, 0))->currency) == 0)
        g_ptr_array_add (details, d);
      else
        dd_case_details_free (d);
    }
  if (details->len == 0)
    return info;

  lead = g_ptr_array_index (details, 0);
  info->name = g_strdup (lead->debtor_name);
  g_strlcpy (info->currency, lead->currency != NULL ? lead->currency : "PLN",
             sizeof info->currency);
  if (lead->language != NULL)
    {
      g_free (info->language);
      info->language = g_strdup (lead->language);
    }
  for (guint i = 0; i < details->len; i++)
    {
      const DdCaseDetails *d = g_ptr_array_index (details, i);
      const char *creditor = dd_creditor_display_name (d->creditor_name);
      gboolean first_unpaid = TRUE;

      info->balance_minor += d->balance_minor;
      if (creditor != NULL && *creditor != '\0' &&
          !g_ptr_array_find_with_equal_func (creditors, creditor, g_str_equal, NULL))
        g_ptr_array_add (creditors, (gpointer) creditor);
      for (guint k = 0; k < d->liabilities->len; k++)
        {
          DdCaseLiability *l = g_ptr_array_index (d->liabilities, k);
          GDate due;

          if (l->paid_at != NULL)
            continue;
          /* one case: its oldest unpaid invoice; several: every unpaid one */
          if (details->len == 1 && !first_unpaid)
            break;
          first_unpaid = FALSE;
          if (l->invoice_no != NULL && *l->invoice_no != '\0')
            g_ptr_array_add (invoices, l->invoice_no);
          unpaid_minor += l->amount_minor;
          g_date_clear (&due, 1);
          if (l->due_on != NULL && dd_date_from_iso (l->due_on, &due) &&
              (!g_date_valid (&info->due_date) || g_date_compare (&due, &info->due_date) < 0))
            info->due_date = due;
        }
    }
  g_ptr_array_add (creditors, NULL);
  g_ptr_array_add (invoices, NULL);
  info->creditor = g_strjoinv (", ", (char **) creditors->pdata);
  info->invoice = invoices->len > 1 ? g_strjoinv (", ", (char **) invoices->pdata) : NULL;
  /* several cases: the whole debt; one: its oldest unpaid invoice (the balance without one) */
  info->amount_minor = details->len > 1 || unpaid_minor == 0 ? info->balance_minor : unpaid_minor;
  return info;
}

static DdIvrFlow *
flow_for (DdVoiceCampaign  *self,
          gint64            flow_id,
          GError          **error)
{
  g_autoptr(DdIvrFlowStore) store = NULL;
  g_autoptr(DdIvrFlowRecord) record = NULL;
  DdIvrFlow *flow = g_hash_table_lookup (self->flows, &flow_id);
  gint64 *key;

  if (flow != NULL)
    return g_object_ref (flow);
  if (flow_id <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("The voice campaign has no call flow."));
      return NULL;
    }
  store = dd_ivr_flow_store_new (self->database);
  record = dd_ivr_flow_store_get (store, flow_id, error);
  if (record == NULL)
    return NULL;
  flow = dd_ivr_flow_new_from_data (record->json, -1, error);
  if (flow == NULL)
    return NULL;
  key = g_new (gint64, 1);
  *key = flow_id;
  g_hash_table_insert (self->flows, key, g_object_ref (flow));
  return flow;
}

/* Outcome */

static DdCallAttemptState
state_of_end (Call *c)
{
  if (c->answered_at > 0)
    return DD_CALL_ATTEMPT_COMPLETED;
  if (c->stopping)
    return DD_CALL_ATTEMPT_FAILED;
  switch (dd_call_get_end_cause (c->call))
    {
    case DD_CALL_END_BUSY:
      return DD_CALL_ATTEMPT_BUSY;
    case DD_CALL_END_NO_ANSWER:
      return DD_CALL_ATTEMPT_NO_ANSWER;
    case DD_CALL_END_REJECTED:
      return DD_CALL_ATTEMPT_REJECTED;
    case DD_CALL_END_INVALID_NUMBER:
      return DD_CALL_ATTEMPT_INVALID;
    case DD_CALL_END_UNREACHABLE:
      return DD_CALL_ATTEMPT_UNREACHABLE;
    case DD_CALL_END_COMPLETED:
    case DD_CALL_END_MAX_LENGTH:
      return DD_CALL_ATTEMPT_COMPLETED;
    case DD_CALL_END_NONE:
    case DD_CALL_END_CANCELLED:
    case DD_CALL_END_NETWORK_ERROR:
    case DD_CALL_END_FAILED:
    case DD_CALL_END_NO_MEDIA:
    case DD_CALL_END_NO_CODEC:
    case DD_CALL_END_REDIRECTED:
    default:
      return DD_CALL_ATTEMPT_FAILED;
    }
}

static const char *
cause_name (DdCallEndCause cause)
{
  static const char * const names[] = {
    "none", "completed", "busy", "no-answer", "rejected", "invalid-number", "unreachable",
    "cancelled", "network-error", "failed", "no-media", "max-length", "no-codec", "redirected",
  };

  return (guint) cause < G_N_ELEMENTS (names) ? names[cause] : "failed";
}

/* Dead air: the callee answered, but nothing ever came from their side — no key, and no
 * sound. The flow played to nobody we know of, so the call is not "heard" nor "hung up": it is
 * settled as not answered ("no-answer", result "silent"), and the retry policy calls the number
 * again as it would an unanswered call; reports count nobody (answered by "unknown", not heard
 * to the end).
 *
 * What counts as sound is what the answering-machine detector measures: a 20 ms frame of the
 * callee's audio whose mean amplitude is above its silence threshold (256). So dead air is
 *  - no audio at all after the answer: no RTP, RTP of a payload type we did not agree on (the
 *    engine already treats it as nothing heard), or comfort noise only;
 *  - or audio that stayed below the threshold for the whole call: digital silence, a quiet
 *    open line. The detector calls such a line a machine after 2.5 s (its initial-silence
 *    rule), but a machine that never speaks left no greeting and took no message: the whole
 *    call decides, not its first seconds.
 * A steady tone or loud hiss is sound by that measure: such a line is judged by the detector and
 * the campaign's machine policy as before. A person who answers without a word and listens
 * silently to the end is dead air too — there is no telling them from an open line, and
 * calling them again (within the retry policy) is the lesser harm than counting dead air as a
 * message heard. A call the runner itself stopped, or one handed to a consultant, is not
 * judged. */
static gboolean
is_dead_air (Call *c)
{
  return c->answered_at > 0 && !c->stopping && c->keys->len == 0 && c->transfer == NULL &&
         c->declaration_id == 0 && !c->declaration_refused &&
         dd_call_get_sound_ms (c->call) == 0;
}

static void
settle_call (Call *c)
{
  DdVoiceCampaign *self = c->self;
  g_autoptr(GError) error = NULL;
  DdIvrMachine *machine = dd_ivr_call_get_machine (c->ivr);
  g_autofree char *path = machine != NULL ? dd_ivr_machine_get_trace_string (machine)
                                          : g_strdup (c->handed_path);
  DdCallOutcome outcome = { 0 };
  gint64 campaign_id = c->attempt->campaign_id;
  gint64 attempt_id = c->attempt->id;

  outcome.state = state_of_end (c);
  outcome.sip_status = dd_call_get_sip_status (c->call);
  outcome.sip_reason = dd_call_get_sip_reason (c->call);
  outcome.cause = c->stopping ? "stopped" : cause_name (dd_call_get_end_cause (c->call));
  outcome.answered_at = c->answered_at;
  outcome.answered_by = c->answered_at > 0 ? c->answered_by : DD_ANSWERED_BY_NONE;
  if (outcome.answered_by == DD_ANSWERED_BY_UNKNOWN && c->keys->len > 0)
    outcome.answered_by = DD_ANSWERED_BY_PERSON;   /* a machine presses no keys */
  outcome.ivr_path = path;
  if (c->keys_cut)
    g_string_append (c->keys, KEYS_CUT_MARK);
  outcome.keys = c->keys->len > 0 ? c->keys->str : NULL;
  outcome.heard_to_end = c->flow_hung_up && !c->machine_hung_up;
  outcome.transfer = c->transfer;
  outcome.declaration_id = c->declaration_id;
  if (c->declaration_id > 0)
    outcome.result = "declared";
  else if (c->declaration_refused)
    outcome.result = "declaration-refused";
  else if (c->machine_hung_up)
    outcome.result = "machine";
  else if (outcome.state == DD_CALL_ATTEMPT_COMPLETED &&
           outcome.answered_by == DD_ANSWERED_BY_MACHINE)
    outcome.result = outcome.heard_to_end ? "voicemail" : "machine";
  else if (g_strcmp0 (c->transfer, "no-agent") == 0)
    outcome.result = "callback";
  else if (c->transfer != NULL)
    outcome.result = "transferred";
  else if (outcome.state == DD_CALL_ATTEMPT_COMPLETED)
    outcome.result = outcome.heard_to_end ? "heard" : "hung-up";
  if (is_dead_air (c))
    {
      g_debug ("Call attempt %" G_GINT64_FORMAT ": dead air (%u ms of audio, no sound, no keys)",
               attempt_id, dd_call_get_heard_ms (c->call));
      outcome.state = DD_CALL_ATTEMPT_NO_ANSWER;
      outcome.answered_by = DD_ANSWERED_BY_UNKNOWN;
      outcome.heard_to_end = FALSE;
      outcome.result = "silent";
    }

  if (c->test)
    {
      g_signal_emit (self, signals[ATTEMPT_ENDED], 0, campaign_id, attempt_id);
      return;
    }
  if (!dd_call_attempts_settle (self->attempts, attempt_id, &outcome, now_unix (), NULL, &error))
    g_warning ("Could not record call attempt %" G_GINT64_FORMAT ": %s", attempt_id,
               error->message);
  g_signal_emit (self, signals[ATTEMPT_ENDED], 0, campaign_id, attempt_id);
  g_signal_emit (self, signals[COUNTS_CHANGED], 0, campaign_id);
}

/* Flow actions */

/* A prompt is about to play: it is said (the call's log); keys stop it where the flow says. */
static gboolean
on_prompt (const DdIvrAction *action,
           gpointer           data)
{
  Call *c = data;

  g_signal_emit (c->self, signals[SAID], 0, c->attempt->id,
                 action->file != NULL ? action->file : action->text,
                 action->voice != NULL && action->file == NULL ? action->voice
                                                               : action->language);
  return action->barge_in;
}

static void
queue_sms (Call       *c,
           const char *text)
{
  DdVoiceCampaign *self = c->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *office = NULL;
  g_autofree char *key = NULL;
  DdOutboxNew item = { 0 };

  if (c->phone == NULL || text == NULL || *text == '\0')
    return;
  if (c->test)
    {
      g_message ("Test call: the flow would send an SMS: %s", text);
      return;
    }
  office = dd_outbox_get_office_id (self->outbox, &error);
  if (office == NULL)
    {
      g_warning ("No SMS from call attempt %" G_GINT64_FORMAT ": %s", c->attempt->id,
                 error->message);
      return;
    }
  /* one key per message of the attempt: a repeat is refused by the outbox and the provider */
  key = g_strdup_printf ("dd-%s-v%" G_GINT64_FORMAT "-%u", office, c->attempt->id, ++c->sms_sent);
  item.case_id = c->attempt->case_id;
  item.phone_id = c->attempt->phone_id;
  item.e164 = c->phone;
  item.body = text;
  item.idempotency_key = key;
  if (!dd_outbox_enqueue (self->outbox, 0, NULL, &item, 1, NULL, &error))
    g_warning ("No SMS from call attempt %" G_GINT64_FORMAT ": %s", c->attempt->id,
               error->message);
}

static void
record_declaration (Call              *c,
                    const DdIvrAction *action)
{
  DdVoiceCampaign *self = c->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *date = dd_date_to_iso (&action->date);

  if (c->test)
    {
      g_message ("Test call: the flow would record a declaration of %s", date);
      return;
    }
  /* a call that spoke of several cases: the promise covers them all, oldest debt first */
  if (c->attempt->covers != NULL && c->attempt->covers->len > 1)
    {
      g_autoptr(GArray) ids = NULL;

      if (dd_case_store_record_shared_declaration (self->cases,
                                                   (const gint64 *) (gpointer) c->attempt->covers->data,
                                                   c->attempt->covers->len, "ivr",
                                                   action->amount_minor,
                                                   action->currency[0] != '\0' ? action->currency
                                                                                : NULL,
                                                   date, &ids, &error))
        c->declaration_id = ids->len > 0 ? g_array_index (ids, gint64, 0) : 0;
    }
  else
    dd_case_store_record_declaration (self->cases, c->attempt->case_id, "ivr",
                                      action->amount_minor,
                                      action->currency[0] != '\0' ? action->currency : NULL,
                                      date, &c->declaration_id, &error);
  if (error != NULL)
    {
      g_message ("The declaration of call attempt %" G_GINT64_FORMAT " is refused: %s",
                 c->attempt->id, error->message);
      c->declaration_refused = TRUE;
      return;
    }
  if (c->settings->confirm_sms != NULL && *c->settings->confirm_sms != '\0')
    {
      g_autoptr(GHashTable) extra = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      g_autofree char *text = NULL;
      GDate date_value = action->date;

      g_hash_table_insert (extra, "declared_amount",
                           dd_money_format (action->amount_minor, action->currency,
                                            c->info->language));
      g_hash_table_insert (extra, "declared_date", dd_date_to_iso (&date_value));
      text = dd_ivr_render (c->settings->confirm_sms, c->info, DD_IVR_RENDER_TEXT, extra);
      queue_sms (c, text);
    }
}

static void
transfer (Call              *c,
          const DdIvrAction *action)
{
  DdVoiceCampaign *self = c->self;

  if (self->transfer_func != NULL && !c->test)
    {
      self->transfer_func (self, c->call, c->attempt, action->queue, self->transfer_data);
      return;
    }
  /* nobody at the desk */
  dd_voice_campaign_transfer_done (self, c->call, FALSE);
}

static gboolean
on_action (const DdIvrAction *action,
           gpointer           data)
{
  Call *c = data;

  switch (action->type)
    {
    case DD_IVR_ACTION_TRANSFER:
      transfer (c, action);
      break;
    case DD_IVR_ACTION_SEND_SMS:
      queue_sms (c, action->text);
      break;
    case DD_IVR_ACTION_RECORD_DECLARATION:
      record_declaration (c, action);
      break;
    case DD_IVR_ACTION_SET_STATUS:
      /* statuses are an agent's change (the case store's rules); a declaration has its
       * own action */
      g_debug ("Call flow asks for status %s: left to the consultants", action->status);
      break;
    case DD_IVR_ACTION_HANG_UP:
      c->flow_hung_up = TRUE;
      dd_call_hangup (c->call);
      break;
    case DD_IVR_ACTION_COLLECT:
    case DD_IVR_ACTION_PLAY:
    case DD_IVR_ACTION_STOP_PLAYBACK:
    case DD_IVR_ACTION_START_TIMER:
    case DD_IVR_ACTION_STOP_TIMER:
    default:
      break;
    }
  return TRUE;
}

static const DdIvrCallHooks flow_hooks = {
  .prompt = on_prompt,
  .action = on_action,
};

static void
start_flow (Call *c)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_clear_handle_id (&c->verdict_wait, g_source_remove);
  if (c->flow_started || dd_call_get_state (c->call) == DD_CALL_STATE_ENDED)
    return;
  c->flow_started = TRUE;
  if (c->answered_by == DD_ANSWERED_BY_MACHINE && c->settings->machine == DD_MACHINE_HANGUP_RETRY)
    {
      c->machine_hung_up = TRUE;
      dd_call_hangup (c->call);
      return;
    }
  dd_ivr_call_start (c->ivr, c->flow, c->info, now);
}

static gboolean
on_verdict_timeout (gpointer user_data)
{
  Call *c = user_data;

  c->verdict_wait = 0;
  start_flow (c);
  return G_SOURCE_REMOVE;
}

/* DdCall */

static void
on_call_state (DdCall     *call,
               GParamSpec *pspec,
               Call       *c)
{
  DdVoiceCampaign *self = c->self;
  g_autoptr(GError) error = NULL;
  guint wait_ms = self->machine_wait_ms;

  /* by default the flow waits for the detector, which always decides in bounded time (a
   * callee that sends no sound at all within a second: not sure); the timer is the backstop */
  if (wait_ms == MACHINE_WAIT_DEFAULT)
    wait_ms = self->detect_machines ? MACHINE_WAIT_BACKSTOP_MS : 0;
  if (dd_call_get_state (call) != DD_CALL_STATE_ANSWERED || c->answered_at > 0)
    return;
  c->answered_at = now_unix ();
  c->answered_by = DD_ANSWERED_BY_UNKNOWN;
  if (!c->test &&
      !dd_call_attempts_mark_answered (self->attempts, c->attempt->id, c->answered_at, &error))
    g_warning ("Could not record the answer of call attempt %" G_GINT64_FORMAT ": %s",
               c->attempt->id, error->message);
  if (!c->test)
    g_signal_emit (self, signals[COUNTS_CHANGED], 0, c->attempt->campaign_id);
  g_signal_emit (self, signals[CALL_ANSWERED], 0, call, c->attempt->id);
  if (wait_ms > 0 && c->answered_by == DD_ANSWERED_BY_UNKNOWN)
    c->verdict_wait = g_timeout_add (wait_ms, on_verdict_timeout, c);
  else
    start_flow (c);
}

static void
on_call_dtmf (DdCall   *call,
              char      digit,
              gboolean  in_band,
              Call     *c)
{
  if (c->keys->len < KEYS_KEPT)
    g_string_append_c (c->keys, digit);
  else
    c->keys_cut = TRUE;
  if (c->answered_by != DD_ANSWERED_BY_MACHINE)
    c->answered_by = DD_ANSWERED_BY_PERSON;
  /* a key while the flow waits for the detector: a person, who need not wait any longer */
  if (!c->flow_started && c->answered_at > 0)
    start_flow (c);
  dd_ivr_call_dtmf (c->ivr, digit);
}

static void
on_call_playback_finished (DdCall   *call,
                           gboolean  interrupted,
                           Call     *c)
{
  dd_ivr_call_playback_done (c->ivr);
}

/* The line refused its own login: the INVITE was challenged (401/407) and our answer to the
 * challenge was refused again (or we had no password to answer with). No debtor can be called
 * through it until its user name or password is fixed. */
static gboolean
line_refused_login (Call *c)
{
  guint status = dd_call_get_sip_status (c->call);

  return !c->test && !c->stopping && c->answered_at == 0 && (status == 401 || status == 407);
}

/* Such a call did not reach the debtor: its attempt is put back as it was (not counted, same
 * time), and the campaign pauses with the reason "sip-auth" — once, by the first refusal; the
 * calls already on their way are put back too. */
static void
pause_for_login (Call *c)
{
  DdVoiceCampaign *self = c->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(DdCampaign) campaign = NULL;
  g_autofree char *detail = NULL;
  gint64 campaign_id = c->attempt->campaign_id;
  const char *reason = dd_call_get_sip_reason (c->call);

  if (!dd_call_attempts_release (self->attempts, c->attempt->id, &error))
    {
      g_warning ("Could not put back call attempt %" G_GINT64_FORMAT ": %s", c->attempt->id,
                 error->message);
      g_clear_error (&error);
    }
  g_signal_emit (self, signals[ATTEMPT_ENDED], 0, campaign_id, c->attempt->id);
  g_signal_emit (self, signals[COUNTS_CHANGED], 0, campaign_id);

  campaign = dd_campaign_store_get (self->campaigns, campaign_id, &error);
  if (campaign == NULL || campaign->state != DD_CAMPAIGN_RUNNING)
    return;   /* paused already (by a call before this one), or by the user */
  if (!dd_campaign_store_set_state (self->campaigns, campaign_id, DD_CAMPAIGN_PAUSED,
                                    "sip-auth", 0, &error))
    {
      g_warning ("Could not pause campaign %" G_GINT64_FORMAT ": %s", campaign_id,
                 error->message);
      return;
    }
  detail = g_strdup_printf ("%u %s", dd_call_get_sip_status (c->call),
                            reason != NULL ? reason : "");
  g_strchomp (detail);
  g_message ("Voice campaign %" G_GINT64_FORMAT " paused: the line %s refused its login (%s)",
             campaign_id, c->attempt->line != NULL ? c->attempt->line : "", detail);
  g_signal_emit (self, signals[CAMPAIGN_PAUSED], 0, campaign_id, "sip-auth", detail);
}

static void
on_call_ended (DdCall *call,
               Call   *c)
{
  DdVoiceCampaign *self = c->self;

  dd_ivr_call_hung_up (c->ivr);
  if (line_refused_login (c))
    pause_for_login (c);
  else
    settle_call (c);
  /* frees c */
  g_hash_table_remove (self->calls, call);
  pump (self);
}

/* The answering-machine detector on the call decided: a person, a machine (the campaign's
 * policy applies), or not sure (the flow goes on, the attempt says "unknown"). */
static void
on_call_answered_by (DdCall                    *call,
                     DdAnsweringMachineVerdict  verdict,
                     DdAnsweringMachineReason   reason,
                     guint                      elapsed_ms,
                     Call                      *c)
{
  DdAnsweredBy by = DD_ANSWERED_BY_UNKNOWN;

  g_debug ("Call attempt %" G_GINT64_FORMAT ": %s (%s) after %u ms", c->attempt->id,
           dd_answering_machine_verdict_to_string (verdict),
           dd_answering_machine_reason_to_string (reason), elapsed_ms);
  if (verdict == DD_ANSWERING_MACHINE_VERDICT_HUMAN)
    by = DD_ANSWERED_BY_PERSON;
  else if (verdict == DD_ANSWERING_MACHINE_VERDICT_MACHINE)
    by = DD_ANSWERED_BY_MACHINE;
  /* a key pressed already told a person: a machine presses none */
  if (c->keys->len > 0)
    by = DD_ANSWERED_BY_PERSON;
  dd_voice_campaign_set_answered_by (c->self, call, by);
}

/* Dialling */

static char *
number_uri (const Line *line,
            const char *e164)
{
  const char *digits = e164[0] == '+' ? e164 + 1 : e164;

  return g_strdup_printf ("sip:%s@%s", digits, line->host);
}

/* The lines of a campaign: those its settings name, or all. */
static GPtrArray *
campaign_lines (DdVoiceCampaign       *self,
                const DdVoiceSettings *settings)
{
  GPtrArray *chosen = g_ptr_array_new ();

  for (guint i = 0; settings->lines != NULL && i < self->lines->len; i++)
    {
      Line *line = g_ptr_array_index (self->lines, i);

      if (g_strv_contains ((const char * const *) settings->lines, line->uri) ||
          (line->account != NULL &&
           g_strv_contains ((const char * const *) settings->lines, line->account)))
        g_ptr_array_add (chosen, line);
    }
  if (chosen->len == 0)
    for (guint i = 0; i < self->lines->len; i++)
      g_ptr_array_add (chosen, g_ptr_array_index (self->lines, i));
  return chosen;
}

static char *
caller_uri (const Line *line,
            const char *caller_id)
{
  if (caller_id == NULL)
    return NULL;
  if (g_str_has_prefix (caller_id, "sip:"))
    return g_strdup (caller_id);
  /* a number: at the line's host */
  return g_strdup_printf ("sip:%s@%s", caller_id[0] == '+' ? caller_id + 1 : caller_id,
                          line->host);
}

static guint
active_calls (DdVoiceCampaign *self,
              gint64           campaign_id)
{
  GHashTableIter iter;
  Call *c;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->calls);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &c))
    if (c->attempt->campaign_id == campaign_id)
      n++;
  return n;
}

static Call *
dial (DdVoiceCampaign *self,
      DdCallAttempt   *attempt,
      DdVoiceSettings *settings,
      DdIvrFlow       *flow,
      const Line      *line,
      const char      *from)
{
  g_autofree char *uri = number_uri (line, attempt->e164);
  DdCallOptions options = { 0 };
  Call *c = g_new0 (Call, 1);

  c->self = self;
  c->attempt = attempt;
  c->settings = settings;
  c->flow = g_object_ref (flow);
  c->info = case_info (self, attempt);
  /* one language per call, the flow's (as DdIvrMachine speaks), in the SMS it sends too */
  if (dd_ivr_flow_get_language (flow) != NULL)
    {
      g_free (c->info->language);
      c->info->language = g_strdup (dd_ivr_flow_get_language (flow));
    }
  c->phone = g_strdup (attempt->e164);
  c->keys = g_string_new (NULL);
  /* an account line calls as its account (its number, its password); a line given by its
   * address as the caller ID in turn, or its own */
  options.account = line->account;
  options.from_uri = line->account != NULL ? NULL : from != NULL ? from : line->uri;
  options.auth_user = line->account == NULL ? line->user : NULL;
  options.password = line->account == NULL ? line->password : NULL;
  options.ring_timeout_s = settings->ring_timeout_s;
  c->call = g_object_ref (dd_sip_engine_dial (self->engine, uri, &options));
  c->ivr = dd_ivr_call_new (c->call, &flow_hooks, c);
  g_hash_table_insert (self->calls, c->call, c);
  g_signal_connect (c->call, "notify::state", G_CALLBACK (on_call_state), c);
  g_signal_connect (c->call, "dtmf", G_CALLBACK (on_call_dtmf), c);
  g_signal_connect (c->call, "playback-finished", G_CALLBACK (on_call_playback_finished), c);
  g_signal_connect (c->call, "ended", G_CALLBACK (on_call_ended), c);
  if (self->detect_machines)
    {
      g_signal_connect (c->call, "answered-by", G_CALLBACK (on_call_answered_by), c);
      dd_call_detect_answering_machine (c->call, NULL);
    }
  return c;
}

/* Scheduled voice campaigns whose time came start. */
static void
start_due (DdVoiceCampaign *self,
           gint64           now)
{
  g_autoptr(GPtrArray) list = dd_campaign_store_list (self->campaigns, NULL);
  g_autofree char *now_text = dd_call_attempts_format_time (now);

  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      DdCampaign *c = g_ptr_array_index (list, i);
      g_autoptr(GError) error = NULL;

      if (c->state != DD_CAMPAIGN_SCHEDULED || g_strcmp0 (c->kind, "voice") != 0 ||
          (self->only != 0 && c->id != self->only) ||
          g_strcmp0 (c->schedule_at != NULL ? c->schedule_at : "", now_text) > 0)
        continue;
      if (!dd_campaign_store_set_state (self->campaigns, c->id, DD_CAMPAIGN_RUNNING, NULL, 0,
                                        &error))
        g_warning ("Campaign %" G_GINT64_FORMAT " cannot start: %s", c->id, error->message);
    }
}

/* Calls what is due in @campaign, up to its concurrency; TRUE if it has work left. */
static gboolean
pump_campaign (DdVoiceCampaign *self,
               gint64           campaign_id,
               gint64           now,
               gboolean        *out_due)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdVoiceSettings) settings = dd_campaign_store_get_voice (self->campaigns, campaign_id,
                                                                      &error);
  g_autoptr(DdIvrFlow) flow = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  gint64 next_at = 0;
  gboolean any = FALSE;
  guint active;

  if (settings == NULL)
    {
      g_warning ("Campaign %" G_GINT64_FORMAT ": %s", campaign_id, error->message);
      return FALSE;
    }
  active = active_calls (self, campaign_id);
  lines = campaign_lines (self, settings);
  if (lines->len == 0 || (flow = flow_for (self, settings->flow_id, &error)) == NULL)
    {
      gint64 *key = g_new (gint64, 1);

      *key = campaign_id;
      if (g_hash_table_add (self->failed_campaigns, key))
        {
          /* Translators: a voice campaign cannot call: its id, then why */
          g_autofree char *why = g_strdup_printf (_("Campaign %1$" PRId64 " cannot call: %2$s"),
                                                  campaign_id,
                                                  lines->len == 0 ? _("no telephone line is set up")
                                                                  : error->message);

          failed (self, why);
        }
      return FALSE;
    }

  while (active < settings->concurrency)
    {
      Line *line = g_ptr_array_index (lines, self->next_line++ % lines->len);
      char **ids = self->caller_ids != NULL ? self->caller_ids : settings->caller_ids;
      const char *caller_id = ids != NULL && ids[0] != NULL
                              ? ids[self->next_caller_id++ % g_strv_length (ids)] : NULL;
      g_autofree char *from = line->account == NULL ? caller_uri (line, caller_id) : NULL;
      DdCallAttempt *attempt;

      /* an account the engine does not have yet (it is being set up): the next tick */
      if (line->account != NULL &&
          dd_sip_engine_get_account_state (self->engine, line->account, NULL, NULL) ==
          DD_SIP_ACCOUNT_UNKNOWN)
        break;
      attempt = dd_call_attempts_claim_next (self->attempts, campaign_id, now, self->policy,
                                             line->account != NULL ? line->account : line->uri,
                                             from != NULL ? from : line->uri,
                                             &error);
      if (attempt == NULL)
        {
          if (error != NULL)
            g_warning ("Campaign %" G_GINT64_FORMAT ": %s", campaign_id, error->message);
          break;
        }
      dial (self, attempt, g_steal_pointer (&settings), flow, line, from);
      settings = dd_campaign_store_get_voice (self->campaigns, campaign_id, &error);
      if (settings == NULL)
        return TRUE;
      active++;
      g_signal_emit (self, signals[COUNTS_CHANGED], 0, campaign_id);
    }

  if (!dd_call_attempts_next_due (self->attempts, campaign_id, &next_at, &any, &error))
    {
      g_warning ("Campaign %" G_GINT64_FORMAT ": %s", campaign_id, error->message);
      return TRUE;
    }
  if (any && next_at <= now)
    *out_due = TRUE;
  if (!any && active == 0)
    {
      /* no call left to make */
      if (!dd_campaign_store_set_state (self->campaigns, campaign_id, DD_CAMPAIGN_COMPLETED, NULL,
                                        0, &error))
        g_warning ("Campaign %" G_GINT64_FORMAT ": %s", campaign_id, error->message);
      g_signal_emit (self, signals[CAMPAIGN_FINISHED], 0, campaign_id);
      return FALSE;
    }
  return TRUE;
}

static void
pump (DdVoiceCampaign *self)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = now_unix ();
  gboolean due = FALSE;

  if (!self->running || self->pumping)
    return;
  self->pumping = TRUE;
  start_due (self, now);
  list = dd_campaign_store_list (self->campaigns, &error);
  if (list == NULL)
    g_warning ("Voice campaigns cannot be read: %s", error->message);
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      DdCampaign *c = g_ptr_array_index (list, i);

      if (c->state != DD_CAMPAIGN_RUNNING || g_strcmp0 (c->kind, "voice") != 0 ||
          (self->only != 0 && c->id != self->only))
        continue;
      pump_campaign (self, c->id, now, &due);
    }
  self->pumping = FALSE;
  if (g_hash_table_size (self->calls) == 0 && !due)
    {
      if (!self->was_idle)
        {
          self->was_idle = TRUE;
          g_signal_emit (self, signals[IDLE], 0);
        }
    }
  else
    self->was_idle = FALSE;
}

static gboolean
on_tick (gpointer user_data)
{
  DdVoiceCampaign *self = DD_VOICE_CAMPAIGN (user_data);
  gint64 now = now_unix ();

  /* on a shared database, a desk that starts leaves the calls this one is on alone while it
   * says it holds them */
  if (now - self->heartbeat_at >= DD_CLAIM_HEARTBEAT_SECONDS)
    {
      g_autoptr(GError) error = NULL;

      self->heartbeat_at = now;
      if (!dd_call_attempts_heartbeat (self->attempts, now, &error))
        g_message ("Could not say the calls on the line are still held: %s", error->message);
    }
  pump (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_wake (gpointer user_data)
{
  DdVoiceCampaign *self = user_data;

  self->idle_source = 0;
  pump (self);
  return G_SOURCE_REMOVE;
}

/* GObject */

static void
dd_voice_campaign_dispose (GObject *object)
{
  DdVoiceCampaign *self = DD_VOICE_CAMPAIGN (object);

  dd_voice_campaign_stop (self);
  if (self->transfer_destroy != NULL)
    self->transfer_destroy (self->transfer_data);
  self->transfer_destroy = NULL;
  self->transfer_func = NULL;

  G_OBJECT_CLASS (dd_voice_campaign_parent_class)->dispose (object);
}

static void
dd_voice_campaign_finalize (GObject *object)
{
  DdVoiceCampaign *self = DD_VOICE_CAMPAIGN (object);

  g_hash_table_unref (self->calls);
  g_hash_table_unref (self->flows);
  g_hash_table_unref (self->failed_campaigns);
  g_ptr_array_unref (self->lines);
  g_strfreev (self->caller_ids);
  g_clear_pointer (&self->policy, dd_contact_policy_free);
  g_clear_object (&self->attempts);
  g_clear_object (&self->campaigns);
  g_clear_object (&self->cases);
  g_clear_object (&self->outbox);
  g_clear_object (&self->engine);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (dd_voice_campaign_parent_class)->finalize (object);
}

static void
dd_voice_campaign_class_init (DdVoiceCampaignClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dd_voice_campaign_dispose;
  object_class->finalize = dd_voice_campaign_finalize;

  signals[COUNTS_CHANGED] = g_signal_new ("counts-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[CALL_ANSWERED] = g_signal_new ("call-answered", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 2, DD_TYPE_CALL, G_TYPE_INT64);
  signals[SAID] = g_signal_new ("said", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING,
                                G_TYPE_STRING);
  signals[ATTEMPT_ENDED] = g_signal_new ("attempt-ended", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
  signals[CAMPAIGN_FINISHED] = g_signal_new ("campaign-finished", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[CAMPAIGN_PAUSED] = g_signal_new ("campaign-paused", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING,
                                           G_TYPE_STRING);
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[IDLE] = g_signal_new ("idle", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dd_voice_campaign_init (DdVoiceCampaign *self)
{
  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  self->flows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->calls = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) call_free);
  self->failed_campaigns = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->tick_ms = 1000;
  self->detect_machines = TRUE;
  self->machine_wait_ms = MACHINE_WAIT_DEFAULT;
}

DdVoiceCampaign *
dd_voice_campaign_new (DdDatabase  *database,
                       DdSipEngine *engine)
{
  DdVoiceCampaign *self;

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);
  g_return_val_if_fail (DD_IS_SIP_ENGINE (engine), NULL);

  self = g_object_new (DD_TYPE_VOICE_CAMPAIGN, NULL);
  self->database = g_object_ref (database);
  self->engine = g_object_ref (engine);
  self->attempts = dd_call_attempts_new (database);
  self->campaigns = dd_campaign_store_new (database);
  self->cases = dd_case_store_new (database);
  self->outbox = dd_outbox_new (database);
  return self;
}

void
dd_voice_campaign_add_line (DdVoiceCampaign *self,
                            const char      *uri,
                            const char      *account,
                            const char      *password)
{
  Line *line;
  const char *at;
  const char *rest;

  g_return_if_fail (DD_IS_VOICE_CAMPAIGN (self));
  g_return_if_fail (uri != NULL && g_str_has_prefix (uri, "sip:"));

  rest = uri + strlen ("sip:");
  at = strchr (rest, '@');
  line = g_new0 (Line, 1);
  line->uri = g_strdup (uri);
  line->account = g_strdup (account);
  line->password = g_strdup (password);
  line->user = at != NULL ? g_strndup (rest, at - rest) : NULL;
  line->host = g_strdup (at != NULL ? at + 1 : rest);
  /* parameters (;transport=…) stay out of the host */
  if (strchr (line->host, ';') != NULL)
    *strchr (line->host, ';') = '\0';
  g_ptr_array_add (self->lines, line);
}

void
dd_voice_campaign_set_caller_ids (DdVoiceCampaign    *self,
                                  const char * const *caller_ids)
{
  g_return_if_fail (DD_IS_VOICE_CAMPAIGN (self));

  g_clear_pointer (&self->caller_ids, g_strfreev);
  if (caller_ids != NULL && caller_ids[0] != NULL)
    self->caller_ids = g_strdupv ((char **) caller_ids);
}

void
dd_voice_campaign_set_contact_policy (DdVoiceCampaign       *self,
                                      const DdContactPolicy *policy)
{
  g_return_if_fail (DD_IS_VOICE_CAMPAIGN (self));

  g_clear_pointer (&self->policy, dd_contact_policy_free);
  if (policy != NULL)
    self->policy = dd_contact_policy_copy (policy);
}

void
dd_voice_campaign_set_only (DdVoiceCampaign *self,
                            gint64           campaign_id)
{
  g_return_if_fail (DD_IS_VOICE_CAMPAIGN (self));

  self->only = campaign_id;
}

void
dd_voice_campaign_set_transfer_func (DdVoiceCampaign     *self,
                                     DdVoiceTransferFunc  func,
                                     gpointer             user_data,
                                     GDestroyNotify       destroy)
{
  g_return_if_fail (DD_IS_VOICE_CAMPAIGN (self));

  if (self->transfer_destroy != NULL)
    self->transfer_destroy (self->transfer_data);
  self->transfer_func = func;
  self->transfer_data = user_data;
  self->transfer_destroy = destroy;
}

void
dd_voice_campaign_transfer_done (DdVoiceCampaign *self,
                                 DdCall          *call,
                                 gboolean         answered)
{
  Call *c;

  g_return_if_fail (DD_IS_VOICE_CAMPAIGN (self));

  c = g_hash_table_lookup (self->calls, call);
  if (c == NULL || dd_ivr_call_get_machine (c->ivr) == NULL)
    return;
  g_free (c->transfer);
  c->transfer = g_strdup (answered ? "answered" : "no-agent");
  if (answered)
    {
      /* the consultant has the debtor now: the flow lets go of the call (no timer, no prompt,
       * no hang-up of its own); it ends when one of them hangs up */
      c->handed_path = dd_ivr_call_let_go (c->ivr);
      return;
    }
  if (c->attempt->case_id > 0 && !c->test)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *refs = g_strdup_printf ("{\"call_attempt_id\":%" G_GINT64_FORMAT "}",
                                               c->attempt->id);

      /* Translators: on the case timeline: the debtor asked for a consultant during a call of
       * a voice campaign, and nobody was free */
      if (!dd_case_store_add_activity (self->cases, c->attempt->case_id, "callback-request",
                                       "voice", _("Asked to talk to a consultant: call back"),
                                       refs, 0, &error))
        g_warning ("Could not record a callback request: %s", error->message);
    }
  dd_ivr_call_run (c->ivr, dd_ivr_machine_transfer_result (dd_ivr_call_get_machine (c->ivr),
                                                           answered));
}

void
dd_voice_campaign_set_answered_by (DdVoiceCampaign *self,
                                   DdCall          *call,
                                   DdAnsweredBy     by)
{
  Call *c;

  g_return_if_fail (DD_IS_VOICE_CAMPAIGN (self));

  c = g_hash_table_lookup (self->calls, call);
  if (c == NULL || c->answered_at == 0)
    return;
  c->answered_by = by;
  if (!c->flow_started)
    start_flow (c);
  else if (by == DD_ANSWERED_BY_MACHINE && c->settings->machine == DD_MACHINE_HANGUP_RETRY)
    {
      c->machine_hung_up = TRUE;
      dd_call_hangup (c->call);
    }
}

void
dd_voice_campaign_set_machine_wait (DdVoiceCampaign *self,
                                    guint            milliseconds)
{
  g_return_if_fail (DD_IS_VOICE_CAMPAIGN (self));

  self->machine_wait_ms = milliseconds;
}

void
dd_voice_campaign_set_machine_detection (DdVoiceCampaign *self,
                                         gboolean         enabled)
{
  g_return_if_fail (DD_IS_VOICE_CAMPAIGN (self));

  self->detect_machines = enabled;
}

void
dd_voice_campaign_set_tick (DdVoiceCampaign *self,
                            guint            milliseconds)
{
  g_return_if_fail (DD_IS_VOICE_CAMPAIGN (self));

  self->tick_ms = MAX (milliseconds, 10);
}

gboolean
dd_voice_campaign_start (DdVoiceCampaign  *self,
                         GError          **error)
{
  guint n = 0;

  g_return_val_if_fail (DD_IS_VOICE_CAMPAIGN (self), FALSE);

  if (self->running)
    return TRUE;
  if (!dd_call_attempts_recover (self->attempts, now_unix (), &n, error))
    return FALSE;
  if (n > 0)
    g_message ("%u call attempts were cut off by a crash: settled as unknown", n);
  self->running = TRUE;
  self->was_idle = FALSE;
  self->tick = g_timeout_add (self->tick_ms, on_tick, self);
  pump (self);
  return TRUE;
}

void
dd_voice_campaign_stop (DdVoiceCampaign *self)
{
  g_autoptr(GList) calls = NULL;

  g_return_if_fail (DD_IS_VOICE_CAMPAIGN (self));

  self->running = FALSE;
  g_clear_handle_id (&self->tick, g_source_remove);
  g_clear_handle_id (&self->idle_source, g_source_remove);
  /* each hang-up ends its call at once or soon; what is still on the line when the loop stops
   * is settled by the next start's recovery */
  calls = g_hash_table_get_values (self->calls);
  for (GList *l = calls; l != NULL; l = l->next)
    {
      Call *c = l->data;

      c->stopping = TRUE;
      dd_call_hangup (c->call);
    }
}

gboolean
dd_voice_campaign_is_running (DdVoiceCampaign *self)
{
  g_return_val_if_fail (DD_IS_VOICE_CAMPAIGN (self), FALSE);

  return self->running;
}

void
dd_voice_campaign_wake (DdVoiceCampaign *self)
{
  g_return_if_fail (DD_IS_VOICE_CAMPAIGN (self));

  g_hash_table_remove_all (self->failed_campaigns);
  if (self->running && self->idle_source == 0)
    self->idle_source = g_idle_add (on_wake, self);
}

guint
dd_voice_campaign_get_n_active (DdVoiceCampaign *self)
{
  g_return_val_if_fail (DD_IS_VOICE_CAMPAIGN (self), 0);

  return g_hash_table_size (self->calls);
}

gboolean
dd_voice_campaign_get_counts (DdVoiceCampaign  *self,
                              gint64            campaign_id,
                              DdCallCounts     *out_counts,
                              GError          **error)
{
  g_return_val_if_fail (DD_IS_VOICE_CAMPAIGN (self), FALSE);

  return dd_call_attempts_get_counts (self->attempts, campaign_id, out_counts, error);
}

gboolean
dd_voice_campaign_has_campaigns (DdVoiceCampaign *self)
{
  gint64 n = 0;

  g_return_val_if_fail (DD_IS_VOICE_CAMPAIGN (self), FALSE);

  if (!dd_database_query_int64 (self->database,
                                "SELECT COUNT(*) FROM campaign WHERE state IN ('running', 'scheduled')"
                                " AND kind = 'voice'",
                                &n, NULL))
    return FALSE;
  return n > 0;
}

DdCall *
dd_voice_campaign_test_call (DdVoiceCampaign  *self,
                             DdIvrFlow        *flow,
                             gint64            case_id,
                             const char       *e164,
                             const char       *line_name,
                             GError          **error)
{
  const Line *line = NULL;
  DdCallAttempt *attempt;
  DdVoiceSettings *settings;
  Call *c;

  g_return_val_if_fail (DD_IS_VOICE_CAMPAIGN (self), NULL);
  g_return_val_if_fail (DD_IS_IVR_FLOW (flow), NULL);
  g_return_val_if_fail (e164 != NULL && *e164 != '\0', NULL);

  for (guint i = 0; line_name != NULL && line == NULL && i < self->lines->len; i++)
    {
      const Line *l = g_ptr_array_index (self->lines, i);

      if (g_strcmp0 (l->uri, line_name) == 0 || g_strcmp0 (l->account, line_name) == 0)
        line = l;
    }
  if (line == NULL && self->lines->len > 0)
    line = g_ptr_array_index (self->lines, 0);
  if (line == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("There is no telephone line to call through: add one in "
                             "Preferences › SIP Accounts."));
      return NULL;
    }
  if (line->account != NULL &&
      dd_sip_engine_get_account_state (self->engine, line->account, NULL, NULL) ==
      DD_SIP_ACCOUNT_UNKNOWN)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                   /* Translators: %s: a telephone line's name */
                   _("The line “%s” is not ready yet: try again in a moment."), line->account);
      return NULL;
    }
  attempt = g_new0 (DdCallAttempt, 1);
  attempt->id = -(gint64) ++self->test_calls;
  attempt->case_id = case_id;
  attempt->e164 = g_strdup (e164);
  attempt->state = DD_CALL_ATTEMPT_DIALING;
  attempt->covers = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (case_id > 0)
    g_array_append_val (attempt->covers, case_id);
  settings = dd_voice_settings_new ();
  /* the user's own voicemail hears the flow too */
  settings->machine = DD_MACHINE_VOICEMAIL;
  c = dial (self, attempt, settings, flow, line, NULL);
  c->test = TRUE;
  return c->call;
}
