/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-dialer"

#include "config.h"

#include "dd-dialer.h"

#include "dd-call-bridge.h"
#include "dd-dialer-store.h"
#include "dd-tts.h"

#include <glib/gi18n-lib.h>

typedef struct
{
  gint64  agent_id;
  char   *sip_uri;   /* NULL: the headset */
} Consultant;

typedef struct _Leg Leg;

struct _Leg
{
  DdDialer    *self;         /* not a reference: the dialer outlives its calls */
  DdCall      *call;         /* the debtor's */
  DdCall      *agent_call;   /* the consultant's, at their SIP URI */
  DdCallBridge *bridge;      /* the debtor and the consultant's phone hear each other */
  gint64       campaign_id;  /* 0: a call outside a campaign (a consultant's call back) */
  gint64       case_id;
  char        *e164;
  gint64       agent_id;
  gint64       dialled_at;
  gint64       answered_at;
  gboolean     answered;
  gboolean     abandoned;
  gboolean     preview;
  gboolean     awaiting_verdict;  /* answered; the machine detector has not decided yet */
  gboolean     machine;           /* an answering machine took it */
};

struct _DdDialer
{
  GObject            parent_instance;

  DdDatabase        *database;
  DdSipEngine       *engine;
  DdAgentStateStore *states;
  DdHeadset         *headset;

  char              *line_uri;
  char              *line_host;
  char              *office_name;
  char              *office_number;
  char              *language;
  GBytes            *abandon_pcm;

  DdDialMode         mode;
  double             cap;
  gint64             window_s;
  double             expected_answer_rate;
  DdPacer           *pacer;
  guint              ring_timeout_s;
  guint              wrap_up_s;
  guint              tick_ms;
  guint              tick_id;
  DdDialerMachinePolicy machine_policy;

  GArray            *consultants;  /* Consultant */
  GPtrArray         *numbers;      /* DdDialerNumber, the ones left to ring */
  GPtrArray         *legs;         /* Leg */
  gint64             campaign_id;
  gboolean           running;
  DdDialerCounts     counts;
};

G_DEFINE_FINAL_TYPE (DdDialer, dd_dialer, G_TYPE_OBJECT)

enum {
  SIGNAL_CALL_CONNECTED,
  SIGNAL_CALL_ABANDONED,
  SIGNAL_MACHINE_ANSWERED,
  SIGNAL_CALL_ENDED,
  SIGNAL_FIGURES_CHANGED,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

DdDialerNumber *
dd_dialer_number_new (gint64      case_id,
                      const char *e164)
{
  DdDialerNumber *number = g_new0 (DdDialerNumber, 1);

  number->case_id = case_id;
  number->e164 = g_strdup (e164);
  return number;
}

void
dd_dialer_number_free (DdDialerNumber *number)
{
  if (number == NULL)
    return;
  g_free (number->e164);
  g_free (number);
}

static const char * const machine_policies[] = {
  [DD_DIALER_MACHINES_CONNECT] = "connect",
  [DD_DIALER_MACHINES_HANG_UP] = "hang-up",
  [DD_DIALER_MACHINES_LEAVE_MESSAGE] = "leave-message",
};

DD_DEFINE_ENUM_NAMES (DdDialerMachinePolicy, dd_dialer_machine_policy, machine_policies)

static gint64
now_s (DdDialer *self)
{
  return dd_agent_state_store_now (self->states);
}

static void
consultant_clear (gpointer data)
{
  Consultant *consultant = data;

  g_free (consultant->sip_uri);
}

static const Consultant *
find_consultant (DdDialer *self,
                 gint64    agent_id)
{
  for (guint i = 0; i < self->consultants->len; i++)
    if (g_array_index (self->consultants, Consultant, i).agent_id == agent_id)
      return &g_array_index (self->consultants, Consultant, i);
  return NULL;
}

static void
leg_free (Leg *leg)
{
  if (leg->call != NULL)
    g_signal_handlers_disconnect_by_data (leg->call, leg);
  if (leg->agent_call != NULL)
    g_signal_handlers_disconnect_by_data (leg->agent_call, leg);
  g_clear_pointer (&leg->bridge, dd_call_bridge_free);
  g_clear_object (&leg->call);
  g_clear_object (&leg->agent_call);
  g_free (leg->e164);
  g_free (leg);
}

static Leg *
find_leg_of_agent (DdDialer *self,
                   gint64    agent_id)
{
  for (guint i = 0; i < self->legs->len; i++)
    {
      Leg *leg = g_ptr_array_index (self->legs, i);

      if (leg->agent_id == agent_id && agent_id > 0)
        return leg;
    }
  return NULL;
}

static char *
number_uri (DdDialer   *self,
            const char *e164)
{
  return g_strdup_printf ("sip:%s@%s", e164[0] == '+' ? e164 + 1 : e164, self->line_host);
}

static void
on_agent_call_state (DdCall     *call,
                     GParamSpec *pspec,
                     Leg        *leg)
{
  DdCallState state = dd_call_get_state (call);

  if (state == DD_CALL_STATE_ANSWERED && leg->bridge == NULL)
    leg->bridge = dd_call_bridge_new (leg->call, leg->agent_call);
  else if (state == DD_CALL_STATE_ENDED && dd_call_get_state (leg->call) != DD_CALL_STATE_ENDED)
    {
      g_debug ("The consultant's call ended (%s): hanging up the debtor",
               dd_call_get_sip_reason (call));
      dd_call_hangup (leg->call);
    }
}

static void
figures_changed (DdDialer *self)
{
  g_signal_emit (self, signals[SIGNAL_FIGURES_CHANGED], 0);
}

static void
record_answer (DdDialer *self,
               Leg      *leg)
{
  g_autoptr(GError) error = NULL;
  DdDialerAnswer answer = { .campaign_id = leg->campaign_id, .case_id = leg->case_id,
                            .e164 = leg->e164, .at = leg->answered_at,
                            .agent_id = leg->agent_id, .abandoned = leg->abandoned };

  if (leg->campaign_id > 0 && !dd_dialer_record_answer (self->database, &answer, &error))
    g_warning ("Cannot record an answered call: %s", error->message);
  dd_pacer_record_call (self->pacer, leg->answered_at, TRUE, leg->abandoned);
}

static void
connect_consultant (DdDialer *self,
                    Leg      *leg)
{
  const Consultant *consultant = find_consultant (self, leg->agent_id);
  g_autoptr(GError) error = NULL;

  self->counts.connected++;
  if (consultant != NULL && consultant->sip_uri != NULL)
    {
      DdCallOptions options = { 0 };

      options.from_uri = self->line_uri;
      options.ring_timeout_s = self->ring_timeout_s;
      leg->agent_call = g_object_ref (dd_sip_engine_dial (self->engine, consultant->sip_uri,
                                                          &options));
      g_signal_connect (leg->agent_call, "notify::state", G_CALLBACK (on_agent_call_state), leg);
    }
  else if (self->headset != NULL && !dd_headset_take_call (self->headset, leg->call, &error))
    g_warning ("The headset cannot take the call: %s", error->message);

  g_signal_emit (self, signals[SIGNAL_CALL_CONNECTED], 0, leg->agent_id, leg->case_id);
}

/* The ready consultant of this campaign who has waited longest, now on a call with
 * @case_id; 0 when nobody is free. */
static gint64
take_consultant (DdDialer *self,
                 gint64    case_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) free_ids = dd_agent_state_store_list_free (self->states, &error);

  for (guint i = 0; free_ids != NULL && i < free_ids->len; i++)
    {
      gint64 agent_id = g_array_index (free_ids, gint64, i);

      if (find_consultant (self, agent_id) == NULL)
        continue;
      if (dd_agent_state_store_start_call (self->states, agent_id, case_id, &error))
        return agent_id;
      g_clear_error (&error);
    }
  if (error != NULL)
    g_warning ("Cannot read the consultants' states: %s", error->message);
  return 0;
}

static void
on_abandon_played (DdCall *call,
                   Leg    *leg)
{
  dd_call_hangup (call);
}

/* A person answered (or the detector could not tell): a consultant, or the office's message
 * when nobody is free. */
static void
hand_over (DdDialer *self,
           Leg      *leg)
{
  self->counts.answered++;

  if (!leg->preview)
    leg->agent_id = take_consultant (self, leg->case_id);
  if (leg->agent_id == 0)
    {
      /* Nobody free: the office's message at once, then hang up */
      leg->abandoned = TRUE;
      self->counts.abandoned++;
      g_signal_connect (leg->call, "playback-finished", G_CALLBACK (on_abandon_played), leg);
      dd_call_play_pcm (leg->call, self->abandon_pcm, FALSE);
      record_answer (self, leg);
      g_signal_emit (self, signals[SIGNAL_CALL_ABANDONED], 0, leg->case_id);
    }
  else
    {
      record_answer (self, leg);
      connect_consultant (self, leg);
    }
  figures_changed (self);
}

static void
on_machine_message_played (DdCall *call,
                           Leg    *leg)
{
  dd_call_hangup (call);
}

/* The detector on a call the dialer rang decided: a person or not sure go to a consultant; a
 * machine is left the office's message or hung up on, and counted apart. */
static void
on_debtor_answered_by (DdCall                    *call,
                       DdAnsweringMachineVerdict  verdict,
                       DdAnsweringMachineReason   reason,
                       guint                      elapsed_ms,
                       Leg                       *leg)
{
  DdDialer *self = leg->self;

  if (!leg->awaiting_verdict || dd_call_get_state (call) == DD_CALL_STATE_ENDED)
    return;
  leg->awaiting_verdict = FALSE;
  g_debug ("%s: %s (%s) after %u ms", leg->e164, dd_answering_machine_verdict_to_string (verdict),
           dd_answering_machine_reason_to_string (reason), elapsed_ms);
  if (verdict != DD_ANSWERING_MACHINE_VERDICT_MACHINE)
    {
      hand_over (self, leg);
      return;
    }
  leg->machine = TRUE;
  self->counts.machines++;
  /* not a person's answer: the pacer counts it as a call nobody took */
  dd_pacer_record_call (self->pacer, now_s (self), FALSE, FALSE);
  if (self->machine_policy == DD_DIALER_MACHINES_LEAVE_MESSAGE && self->abandon_pcm != NULL)
    {
      g_signal_connect (call, "playback-finished", G_CALLBACK (on_machine_message_played), leg);
      dd_call_play_pcm (call, self->abandon_pcm, FALSE);
    }
  else
    dd_call_hangup (call);
  g_signal_emit (self, signals[SIGNAL_MACHINE_ANSWERED], 0, leg->case_id);
  figures_changed (self);
}

static gboolean
detects_machines (DdDialer *self,
                  Leg      *leg)
{
  return self->machine_policy != DD_DIALER_MACHINES_CONNECT && !leg->preview;
}

static void
on_debtor_answered (DdDialer *self,
                    Leg      *leg)
{
  leg->answered = TRUE;
  leg->answered_at = now_s (self);

  /* with detection, nobody is taken before the detector has heard a person */
  if (detects_machines (self, leg)
      && dd_call_get_answering_machine_verdict (leg->call) == DD_ANSWERING_MACHINE_VERDICT_UNDECIDED)
    {
      leg->awaiting_verdict = TRUE;
      figures_changed (self);
      return;
    }
  if (detects_machines (self, leg))
    {
      /* decided before the state change was seen */
      leg->awaiting_verdict = TRUE;
      on_debtor_answered_by (leg->call, dd_call_get_answering_machine_verdict (leg->call),
                             DD_ANSWERING_MACHINE_REASON_NONE, 0, leg);
      return;
    }
  hand_over (self, leg);
}

static void
on_debtor_ended (DdDialer *self,
                 Leg      *leg)
{
  g_autoptr(GError) error = NULL;
  gint64 agent_id = leg->agent_id;
  gint64 case_id = leg->case_id;

  /* not answered by a person (a machine was recorded when it was heard) */
  if (!leg->answered || leg->awaiting_verdict)
    dd_pacer_record_call (self->pacer, now_s (self), FALSE, FALSE);
  if (leg->agent_call != NULL && dd_call_get_state (leg->agent_call) != DD_CALL_STATE_ENDED)
    dd_call_hangup (leg->agent_call);
  if (self->headset != NULL && dd_headset_get_call (self->headset) == leg->call)
    dd_headset_release (self->headset);
  if (agent_id > 0)
    {
      if (leg->answered)
        dd_pacer_record_handle_time (self->pacer,
                                     (guint) (now_s (self) - leg->answered_at) + self->wrap_up_s);
      if (!dd_agent_state_store_wrap_up (self->states, agent_id, self->wrap_up_s, &error))
        g_warning ("Cannot start the wrap-up: %s", error->message);
    }

  g_ptr_array_remove (self->legs, leg);
  g_signal_emit (self, signals[SIGNAL_CALL_ENDED], 0, agent_id, case_id);
  figures_changed (self);
}

static void
on_debtor_state (DdCall     *call,
                 GParamSpec *pspec,
                 Leg        *leg)
{
  DdCallState state = dd_call_get_state (call);

  if (state == DD_CALL_STATE_ANSWERED && !leg->answered)
    on_debtor_answered (leg->self, leg);
  else if (state == DD_CALL_STATE_ENDED)
    on_debtor_ended (leg->self, leg);
}

static Leg *
dial (DdDialer   *self,
      gint64      case_id,
      const char *e164,
      gint64      agent_id)
{
  g_autofree char *uri = number_uri (self, e164);
  DdCallOptions options = { 0 };
  Leg *leg = g_new0 (Leg, 1);

  options.from_uri = self->line_uri;
  options.ring_timeout_s = self->ring_timeout_s;
  leg->self = self;
  leg->case_id = case_id;
  leg->e164 = g_strdup (e164);
  leg->agent_id = agent_id;
  leg->preview = agent_id > 0;
  /* a consultant's own call while no campaign runs belongs to none */
  leg->campaign_id = leg->preview && !self->running ? 0 : self->campaign_id;
  leg->dialled_at = now_s (self);
  leg->call = g_object_ref (dd_sip_engine_dial (self->engine, uri, &options));
  g_ptr_array_add (self->legs, leg);
  self->counts.dialled++;
  g_signal_connect (leg->call, "notify::state", G_CALLBACK (on_debtor_state), leg);
  if (detects_machines (self, leg))
    {
      g_signal_connect (leg->call, "answered-by", G_CALLBACK (on_debtor_answered_by), leg);
      dd_call_detect_answering_machine (leg->call, NULL);
    }
  return leg;
}

/* The next number that may be rung now (an abandoned one rests 72 hours), taken off the
 * list; NULL when none is left. */
static DdDialerNumber *
next_number (DdDialer *self)
{
  while (self->numbers->len > 0)
    {
      DdDialerNumber *number = g_ptr_array_steal_index (self->numbers, 0);
      g_autoptr(GError) error = NULL;
      gboolean may = TRUE;

      if (!dd_dialer_may_dial (self->database, number->e164, now_s (self), FALSE, &may, &error))
        g_warning ("Cannot check a number's rest: %s", error->message);
      if (may)
        return number;
      g_debug ("%s was abandoned less than 72 hours ago: not rung", number->e164);
      dd_dialer_number_free (number);
    }
  return NULL;
}

static gboolean
on_tick (gpointer user_data)
{
  DdDialer *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) states = NULL;
  guint free = 0, busy = 0, live = 0, own = 0;
  gint64 now = now_s (self);
  guint n;

  if (!dd_agent_state_store_expire (self->states, NULL, &error))
    g_warning ("Cannot end the wrap-ups: %s", error->message);
  g_clear_error (&error);

  states = dd_agent_state_store_list (self->states, &error);
  for (guint i = 0; states != NULL && i < states->len; i++)
    {
      DdAgentStatus *status = g_ptr_array_index (states, i);

      if (find_consultant (self, status->agent_id) == NULL)
        continue;
      if (status->state == DD_AGENT_STATE_READY)
        free++;
      else if (status->state == DD_AGENT_STATE_ON_CALL || status->state == DD_AGENT_STATE_WRAP_UP)
        busy++;
    }

  self->counts.ringing = 0;
  for (guint i = 0; i < self->legs->len; i++)
    {
      Leg *leg = g_ptr_array_index (self->legs, i);

      /* a call the detector still listens to may yet want a consultant */
      if (leg->answered && !leg->awaiting_verdict)
        continue;
      self->counts.ringing++;
      /* a consultant's own call (preview, call back) has its consultant, who is not free:
       * it takes no free consultant's place */
      if (leg->preview)
        continue;
      own++;
      if (now - leg->dialled_at < DD_DIALER_MIN_RING_S)
        live++;
    }

  if (self->running)
    {
      /* Progressive keeps one line per person however long it rings; predictive counts on
       * the calls that may still be answered */
      n = dd_pacer_calls_to_place (self->pacer, now, free,
                                   self->mode == DD_DIAL_MODE_PREDICTIVE ? live : own,
                                   busy);
      for (guint i = 0; i < n; i++)
        {
          DdDialerNumber *number = next_number (self);

          if (number == NULL)
            break;
          dial (self, number->case_id, number->e164, 0);
          dd_dialer_number_free (number);
        }
      self->counts.left = self->numbers->len;
      if (n > 0)
        figures_changed (self);
      if (self->numbers->len == 0 && self->legs->len == 0)
        {
          self->running = FALSE;
          g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
        }
    }
  return G_SOURCE_CONTINUE;
}

static void
restart_tick (DdDialer *self)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
  self->tick_id = g_timeout_add (self->tick_ms, on_tick, self);
}

static void
dd_dialer_dispose (GObject *object)
{
  DdDialer *self = DD_DIALER (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  for (guint i = 0; i < self->legs->len; i++)
    {
      Leg *leg = g_ptr_array_index (self->legs, i);

      if (dd_call_get_state (leg->call) != DD_CALL_STATE_ENDED)
        dd_call_hangup (leg->call);
      if (leg->agent_call != NULL && dd_call_get_state (leg->agent_call) != DD_CALL_STATE_ENDED)
        dd_call_hangup (leg->agent_call);
    }
  g_ptr_array_set_size (self->legs, 0);
  g_clear_object (&self->headset);
  g_clear_object (&self->states);
  g_clear_object (&self->engine);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (dd_dialer_parent_class)->dispose (object);
}

static void
dd_dialer_finalize (GObject *object)
{
  DdDialer *self = DD_DIALER (object);

  g_ptr_array_unref (self->legs);
  g_ptr_array_unref (self->numbers);
  g_array_unref (self->consultants);
  g_clear_pointer (&self->pacer, dd_pacer_free);
  g_clear_pointer (&self->abandon_pcm, g_bytes_unref);
  g_free (self->line_uri);
  g_free (self->line_host);
  g_free (self->office_name);
  g_free (self->office_number);
  g_free (self->language);

  G_OBJECT_CLASS (dd_dialer_parent_class)->finalize (object);
}

static void
dd_dialer_class_init (DdDialerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dd_dialer_dispose;
  object_class->finalize = dd_dialer_finalize;

  signals[SIGNAL_CALL_CONNECTED] =
    g_signal_new ("call-connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
  signals[SIGNAL_CALL_ABANDONED] =
    g_signal_new ("call-abandoned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIGNAL_MACHINE_ANSWERED] =
    g_signal_new ("machine-answered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIGNAL_CALL_ENDED] =
    g_signal_new ("call-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
  signals[SIGNAL_FIGURES_CHANGED] =
    g_signal_new ("figures-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
dd_dialer_init (DdDialer *self)
{
  self->consultants = g_array_new (FALSE, TRUE, sizeof (Consultant));
  g_array_set_clear_func (self->consultants, consultant_clear);
  self->numbers = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_dialer_number_free);
  self->legs = g_ptr_array_new_with_free_func ((GDestroyNotify) leg_free);
  self->mode = DD_DIAL_MODE_PROGRESSIVE;
  self->cap = DD_DIALER_DEFAULT_CAP;
  self->window_s = DD_DIALER_WINDOW_30_DAYS_S;
  self->expected_answer_rate = 0.3;
  self->ring_timeout_s = DD_DIALER_DEFAULT_RING_S;
  self->wrap_up_s = DD_AGENT_WRAP_UP_DEFAULT_S;
  self->tick_ms = 250;
  self->language = g_strdup ("en");
  self->office_name = g_strdup ("");
  self->pacer = dd_pacer_new (self->mode, self->cap, self->window_s, self->expected_answer_rate);
}

DdDialer *
dd_dialer_new (DdDatabase  *database,
               DdSipEngine *engine)
{
  DdDialer *self;

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);
  g_return_val_if_fail (DD_IS_SIP_ENGINE (engine), NULL);

  self = g_object_new (DD_TYPE_DIALER, NULL);
  self->database = g_object_ref (database);
  self->engine = g_object_ref (engine);
  self->states = dd_agent_state_store_new (database);
  return self;
}

DdAgentStateStore *
dd_dialer_get_states (DdDialer *self)
{
  g_return_val_if_fail (DD_IS_DIALER (self), NULL);

  return self->states;
}

void
dd_dialer_set_line (DdDialer   *self,
                    const char *uri)
{
  const char *at;

  g_return_if_fail (DD_IS_DIALER (self));
  g_return_if_fail (uri != NULL && g_str_has_prefix (uri, "sip:"));

  g_free (self->line_uri);
  g_free (self->line_host);
  self->line_uri = g_strdup (uri);
  at = strchr (uri, '@');
  self->line_host = g_strdup (at != NULL ? at + 1 : uri + strlen ("sip:"));
  if (strchr (self->line_host, ';') != NULL)
    *strchr (self->line_host, ';') = '\0';
}

void
dd_dialer_set_office (DdDialer   *self,
                      const char *name,
                      const char *number,
                      const char *language)
{
  g_return_if_fail (DD_IS_DIALER (self));

  g_free (self->office_name);
  g_free (self->office_number);
  g_free (self->language);
  self->office_name = g_strdup (name != NULL ? name : "");
  self->office_number = g_strdup (number);
  self->language = g_strdup (language != NULL ? language : "en");
  g_clear_pointer (&self->abandon_pcm, g_bytes_unref);
}

void
dd_dialer_set_pacing (DdDialer   *self,
                      DdDialMode  mode,
                      double      cap,
                      gint64      window_s,
                      double      expected_answer_rate)
{
  g_return_if_fail (DD_IS_DIALER (self));
  g_return_if_fail (cap > 0.0 && cap < 1.0 && window_s > 0);
  g_return_if_fail (expected_answer_rate > 0.0 && expected_answer_rate <= 1.0);

  self->mode = mode;
  self->cap = cap;
  self->window_s = window_s;
  self->expected_answer_rate = expected_answer_rate;
  g_clear_pointer (&self->pacer, dd_pacer_free);
  self->pacer = dd_pacer_new (mode, cap, window_s, expected_answer_rate);
}

DdDialMode
dd_dialer_get_mode (DdDialer *self)
{
  g_return_val_if_fail (DD_IS_DIALER (self), DD_DIAL_MODE_PROGRESSIVE);

  return self->mode;
}

void
dd_dialer_set_machine_policy (DdDialer              *self,
                              DdDialerMachinePolicy  policy)
{
  g_return_if_fail (DD_IS_DIALER (self));
  g_return_if_fail (policy < G_N_ELEMENTS (machine_policies));

  self->machine_policy = policy;
}

void
dd_dialer_set_ring_timeout (DdDialer *self,
                            guint     seconds)
{
  g_return_if_fail (DD_IS_DIALER (self));

  self->ring_timeout_s = MAX (seconds, DD_DIALER_MIN_RING_S);
}

void
dd_dialer_set_wrap_up (DdDialer *self,
                       guint     seconds)
{
  g_return_if_fail (DD_IS_DIALER (self));

  self->wrap_up_s = seconds > 0 ? seconds : DD_AGENT_WRAP_UP_DEFAULT_S;
}

void
dd_dialer_set_tick (DdDialer *self,
                    guint     ms)
{
  g_return_if_fail (DD_IS_DIALER (self));

  self->tick_ms = MAX (ms, 10);
  if (self->tick_id != 0)
    restart_tick (self);
}

void
dd_dialer_add_consultant (DdDialer   *self,
                          gint64      agent_id,
                          const char *sip_uri)
{
  Consultant consultant = { agent_id, NULL };

  g_return_if_fail (DD_IS_DIALER (self));
  g_return_if_fail (find_consultant (self, agent_id) == NULL);

  consultant.sip_uri = g_strdup (sip_uri);
  g_array_append_val (self->consultants, consultant);
}

gboolean
dd_dialer_has_consultant (DdDialer *self,
                          gint64    agent_id)
{
  g_return_val_if_fail (DD_IS_DIALER (self), FALSE);

  return find_consultant (self, agent_id) != NULL;
}

void
dd_dialer_set_headset (DdDialer  *self,
                       DdHeadset *headset)
{
  g_return_if_fail (DD_IS_DIALER (self));

  g_set_object (&self->headset, headset);
}

static gboolean
prepare (DdDialer  *self,
         GError   **error)
{
  g_autofree char *text = NULL;

  if (self->line_uri == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("Choose the telephone line the dialer calls through."));
      return FALSE;
    }
  if (self->abandon_pcm != NULL)
    return TRUE;
  /* Made before the first call, so that an abandoned call hears it at once */
  text = dd_dialer_abandon_message (self->office_name, self->office_number);
  self->abandon_pcm = dd_tts_prompt (text, self->language, error);
  return self->abandon_pcm != NULL;
}

gboolean
dd_dialer_start (DdDialer   *self,
                 gint64      campaign_id,
                 GPtrArray  *numbers,
                 GError    **error)
{
  guint answered = 0, abandoned = 0;

  g_return_val_if_fail (DD_IS_DIALER (self), FALSE);
  g_return_val_if_fail (numbers != NULL, FALSE);

  if (!prepare (self, error))
    return FALSE;
  if (!dd_dialer_count_answers (self->database, campaign_id, now_s (self), self->window_s,
                                &answered, &abandoned, error))
    return FALSE;

  self->campaign_id = campaign_id;
  g_clear_pointer (&self->pacer, dd_pacer_free);
  self->pacer = dd_pacer_new (self->mode, self->cap, self->window_s, self->expected_answer_rate);
  dd_pacer_add_history (self->pacer, now_s (self) - 1, answered, abandoned);
  g_ptr_array_set_size (self->numbers, 0);
  for (guint i = 0; i < numbers->len; i++)
    {
      const DdDialerNumber *number = g_ptr_array_index (numbers, i);

      g_ptr_array_add (self->numbers, dd_dialer_number_new (number->case_id, number->e164));
    }
  memset (&self->counts, 0, sizeof self->counts);
  self->counts.left = self->numbers->len;
  self->running = TRUE;
  restart_tick (self);
  return TRUE;
}

gboolean
dd_dialer_dial_preview (DdDialer    *self,
                        gint64       agent_id,
                        gint64       case_id,
                        const char  *e164,
                        GError     **error)
{
  g_return_val_if_fail (DD_IS_DIALER (self), FALSE);
  g_return_val_if_fail (e164 != NULL, FALSE);

  if (!prepare (self, error)
      || !dd_agent_state_store_start_call (self->states, agent_id, case_id, error))
    return FALSE;
  dial (self, case_id, e164, agent_id);
  if (self->tick_id == 0)
    restart_tick (self);
  figures_changed (self);
  return TRUE;
}

void
dd_dialer_stop (DdDialer *self)
{
  g_return_if_fail (DD_IS_DIALER (self));

  self->running = FALSE;
  g_ptr_array_set_size (self->numbers, 0);
  self->counts.left = 0;
  figures_changed (self);
}

void
dd_dialer_hang_up (DdDialer *self,
                   gint64    agent_id)
{
  Leg *leg;

  g_return_if_fail (DD_IS_DIALER (self));

  leg = find_leg_of_agent (self, agent_id);
  if (leg != NULL)
    dd_call_hangup (leg->call);
}

double
dd_dialer_get_dial_level (DdDialer *self)
{
  g_return_val_if_fail (DD_IS_DIALER (self), 0.0);

  return dd_pacer_get_dial_level (self->pacer);
}

double
dd_dialer_get_abandon_rate (DdDialer *self)
{
  g_return_val_if_fail (DD_IS_DIALER (self), 0.0);

  return dd_pacer_get_abandon_rate (self->pacer, now_s (self));
}

void
dd_dialer_get_counts (DdDialer       *self,
                      DdDialerCounts *out_counts)
{
  g_return_if_fail (DD_IS_DIALER (self));
  g_return_if_fail (out_counts != NULL);

  *out_counts = self->counts;
}

DdCall *
dd_dialer_get_call (DdDialer *self,
                    gint64    agent_id)
{
  Leg *leg;

  g_return_val_if_fail (DD_IS_DIALER (self), NULL);

  leg = find_leg_of_agent (self, agent_id);
  return leg != NULL ? leg->call : NULL;
}
