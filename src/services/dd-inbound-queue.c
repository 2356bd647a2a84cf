/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-inbound-queue"

#include "config.h"

#include "dd-inbound-queue.h"

#include "dd-call-bridge.h"
#include "dd-ivr-call.h"
#include "dd-ivr-flow-store.h"
#include "dd-phone.h"
#include "dd-tts.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#define TICK_MS            250
#define RING_MIN_S         5
#define RING_DEFAULT_S     20
#define VOICEMAIL_DEFAULT_S 120
#define SILENCE_BYTES      320   /* 20 ms */
#define REFUSED_RECORDED_PER_MINUTE 20   /* refused calls (line full) recorded at most */

typedef enum
{
  STAGE_ANSWERING,   /* answered by us, waiting for the media */
  STAGE_FLOW,        /* in the inbound call flow */
  STAGE_QUEUED,      /* waiting; consultants may be ringing */
  STAGE_CONNECTED,   /* talking to a consultant */
  STAGE_OVERFLOW,    /* longest wait reached: the voicemail or callback message */
  STAGE_RECORDING,   /* the voicemail is recorded */
} Stage;

typedef enum
{
  PLAY_PROMPT = DD_IVR_PLAY_PROMPT,     /* the flow's */
  PLAY_SILENCE = DD_IVR_PLAY_SILENCE,   /* stops what plays */
  PLAY_MUSIC = DD_IVR_PLAY_OWN,
  PLAY_ANNOUNCE,
  PLAY_MESSAGE,    /* voicemail prompt, callback message */
} PlayKind;

typedef struct _Caller Caller;

typedef struct
{
  Caller  *caller;
  gint64   agent_id;
  DdCall  *call;      /* NULL: the headset */
} Offer;

struct _Caller
{
  DdInboundRunner *self;
  DdCall          *call;
  gint64           call_id;
  gint64           case_id;
  gint64           queue_id;
  char            *caller;
  char            *e164;
  Stage            stage;
  DdIvrCall       *ivr;           /* the flow, and what plays (PlayKind) */
  gint64           queued_us;     /* monotonic, when queued */
  guint            announce_id;
  guint            max_wait_id;
  guint            overflow_id;   /* the voicemail's length */
  GPtrArray       *offers;        /* Offer */
  GArray          *tried;         /* agent ids rung without answer in this round */
  gint64           round_us;      /* monotonic, when this round of ringing began */
  gint64           agent_id;
  DdCall          *agent_call;
  DdCallBridge    *bridge;        /* the caller and the consultant's phone */
  gboolean         on_headset;
  gboolean         closed;
  DdInboundOutcome outcome;       /* decided at the longest wait */
  char            *voicemail_path;
};

struct _DdInboundRunner
{
  GObject            parent_instance;

  DdDatabase        *database;
  DdSipEngine       *engine;
  DdInboundStore    *store;
  DdAgentStateStore *states;
  DdHeadset         *headset;
  gint64             desk_agent_id;
  char              *line_uri;
  char              *line_user;
  char              *language;
  char              *region;
  char              *voicemail_dir;
  guint              ring_timeout_s;
  guint              voicemail_s;
  guint              wrap_up_s;

  gboolean           running;
  gulong             incoming_id;
  guint              tick_id;
  DdIvrFlow         *flow;
  GPtrArray         *queues;      /* DdInboundQueue, as at start */
  GHashTable        *music;       /* file path → GBytes (8 kHz PCM) */
  GPtrArray         *callers;     /* Caller, in the order they came */
  gint64             refused_at[REFUSED_RECORDED_PER_MINUTE];   /* ring: monotonic µs of the
                                                                 * refusals recorded lately */
  guint              refused_next;
  guint              refused_unrecorded;
};

G_DEFINE_FINAL_TYPE (DdInboundRunner, dd_inbound_runner, G_TYPE_OBJECT)

enum
{
  SIGNAL_QUEUE_CHANGED,
  SIGNAL_CALL_OFFERED,
  SIGNAL_CALL_CONNECTED,
  SIGNAL_CALL_ENDED,
  SIGNAL_MISSED_CHANGED,
  SIGNAL_ANNOUNCED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void enter_queue (Caller *c, const char *queue_name);

void
dd_inbound_caller_free (DdInboundCaller *caller)
{
  if (caller == NULL)
    return;
  g_free (caller->caller);
  g_free (caller);
}

/* --- messages --- */

char *
dd_inbound_default_hold_music (void)
{
  const char *dir = g_getenv ("DD_SOUNDS_DIR");

  if (dir != NULL && *dir != '\0')
    return g_build_filename (dir, "hold-music.ogg", NULL);
  return g_build_filename (PKGDATADIR, "sounds", "hold-music.ogg", NULL);
}

/* Spoken to callers in the office's language, which need not be the desk's: the sentences
 * are the office's, in the three languages the speech knows. */
char *
dd_inbound_position_message (const char *language,
                             guint       position,
                             guint       wait_s)
{
  guint minutes = MAX ((wait_s + 59) / 60, 1);

  if (g_strcmp0 (language, "pl") == 0)
    return g_strdup_printf ("Jesteś %u. w kolejce. Przewidywany czas oczekiwania to około %u %s.",
                            position, minutes,
                            minutes == 1 ? "minuty" : "minut");
  if (g_strcmp0 (language, "ru") == 0)
    return g_strdup_printf ("Вы %u-й в очереди. Ожидаемое время ожидания около %u %s.",
                            position, minutes,
                            minutes % 10 == 1 && minutes % 100 != 11 ? "минуты" : "минут");
  return g_strdup_printf ("You are number %u in the queue. The expected wait is about %u %s.",
                          position, minutes, minutes == 1 ? "minute" : "minutes");
}

const char *
dd_inbound_voicemail_message (const char *language)
{
  if (g_strcmp0 (language, "pl") == 0)
    return "Wszyscy konsultanci są zajęci. Prosimy zostawić wiadomość po sygnale.";
  if (g_strcmp0 (language, "ru") == 0)
    return "Все консультанты заняты. Пожалуйста, оставьте сообщение после сигнала.";
  return "All our consultants are busy. Please leave a message after the tone.";
}

const char *
dd_inbound_callback_message (const char *language)
{
  if (g_strcmp0 (language, "pl") == 0)
    return "Wszyscy konsultanci są zajęci. Oddzwonimy na ten numer. Dziękujemy.";
  if (g_strcmp0 (language, "ru") == 0)
    return "Все консультанты заняты. Мы перезвоним вам на этот номер. Спасибо.";
  return "All our consultants are busy. We will call you back at this number. Thank you.";
}

/* --- plays --- */

static void
play (Caller   *c,
      GBytes   *pcm,
      PlayKind  kind)
{
  dd_ivr_call_play (c->ivr, pcm, kind, FALSE);
}

static void
play_silence (Caller *c)
{
  g_autoptr(GBytes) silence = g_bytes_new_take (g_malloc0 (SILENCE_BYTES), SILENCE_BYTES);

  play (c, silence, PLAY_SILENCE);
}

static GBytes *
speech (DdInboundRunner *self,
        const char      *text)
{
  g_autoptr(GError) error = NULL;
  GBytes *pcm = dd_tts_prompt (text, self->language, &error);

  if (pcm == NULL || g_bytes_get_size (pcm) == 0)
    {
      g_message ("Cannot say “%s”: %s", text, error != NULL ? error->message : "empty");
      g_clear_pointer (&pcm, g_bytes_unref);
      pcm = g_bytes_new_take (g_malloc0 (SILENCE_BYTES), SILENCE_BYTES);
    }
  return pcm;
}

static const DdInboundQueue *
find_queue (DdInboundRunner *self,
            gint64           queue_id)
{
  for (guint i = 0; self->queues != NULL && i < self->queues->len; i++)
    {
      const DdInboundQueue *queue = g_ptr_array_index (self->queues, i);

      if (queue->id == queue_id)
        return queue;
    }
  return NULL;
}

static GBytes *
hold_music (DdInboundRunner      *self,
            const DdInboundQueue *queue)
{
  g_autofree char *fallback = dd_inbound_default_hold_music ();
  const char *path = queue != NULL && queue->hold_music != NULL ? queue->hold_music : fallback;
  GBytes *pcm = g_hash_table_lookup (self->music, path);

  if (pcm == NULL)
    {
      g_autoptr(GError) error = NULL;

      pcm = dd_audio_decode_file (path, &error);
      if (pcm == NULL && g_strcmp0 (path, fallback) != 0)
        {
          g_message ("The hold music %s cannot be played (%s): the default one instead", path,
                     error->message);
          g_clear_error (&error);
          return hold_music (self, NULL);
        }
      if (pcm == NULL || g_bytes_get_size (pcm) == 0)
        {
          g_warning ("No hold music (%s): silence", error != NULL ? error->message : "empty");
          g_clear_pointer (&pcm, g_bytes_unref);
          /* a second of silence, looped */
          pcm = g_bytes_new_take (g_malloc0 (16000), 16000);
        }
      g_hash_table_insert (self->music, g_strdup (path), pcm);
    }
  return pcm;
}

static void
play_music (Caller *c)
{
  play (c, hold_music (c->self, find_queue (c->self, c->queue_id)), PLAY_MUSIC);
}

/* --- callers --- */

static void
offer_free (Offer *offer)
{
  if (offer->call != NULL)
    {
      g_signal_handlers_disconnect_by_data (offer->call, offer);
      if (dd_call_get_state (offer->call) != DD_CALL_STATE_ENDED)
        dd_call_hangup (offer->call);
      g_object_unref (offer->call);
    }
  g_free (offer);
}

static void
caller_free (Caller *c)
{
  DdInboundRunner *self = c->self;

  g_clear_handle_id (&c->announce_id, g_source_remove);
  g_clear_handle_id (&c->max_wait_id, g_source_remove);
  g_clear_handle_id (&c->overflow_id, g_source_remove);
  g_clear_pointer (&c->ivr, dd_ivr_call_free);
  g_ptr_array_unref (c->offers);
  g_array_unref (c->tried);
  g_clear_pointer (&c->bridge, dd_call_bridge_free);
  if (c->agent_call != NULL)
    {
      g_signal_handlers_disconnect_by_data (c->agent_call, c);
      if (dd_call_get_state (c->agent_call) != DD_CALL_STATE_ENDED)
        dd_call_hangup (c->agent_call);
      g_clear_object (&c->agent_call);
    }
  if (c->on_headset && self->headset != NULL && dd_headset_get_call (self->headset) == c->call)
    dd_headset_release (self->headset);
  g_signal_handlers_disconnect_by_data (c->call, c);
  g_clear_object (&c->call);
  g_free (c->caller);
  g_free (c->e164);
  g_free (c->voicemail_path);
  g_free (c);
}

static void
queue_changed (DdInboundRunner *self)
{
  g_signal_emit (self, signals[SIGNAL_QUEUE_CHANGED], 0);
}

static guint
position_of (Caller *c)
{
  DdInboundRunner *self = c->self;
  guint position = 0;

  if (c->stage != STAGE_QUEUED)
    return 0;
  for (guint i = 0; i < self->callers->len; i++)
    {
      Caller *other = g_ptr_array_index (self->callers, i);

      if (other->stage == STAGE_QUEUED && other->queue_id == c->queue_id)
        position++;
      if (other == c)
        break;
    }
  return position;
}

static gboolean
agent_is_offered (DdInboundRunner *self,
                  gint64           agent_id)
{
  for (guint i = 0; i < self->callers->len; i++)
    {
      Caller *c = g_ptr_array_index (self->callers, i);

      for (guint j = 0; j < c->offers->len; j++)
        if (((Offer *) g_ptr_array_index (c->offers, j))->agent_id == agent_id)
          return TRUE;
    }
  return FALSE;
}

static void
on_agent_call_state (DdCall     *call,
                     GParamSpec *pspec,
                     Caller     *c)
{
  if (dd_call_get_state (call) == DD_CALL_STATE_ENDED
      && dd_call_get_state (c->call) != DD_CALL_STATE_ENDED)
    {
      g_debug ("The consultant's call ended: hanging up the caller");
      dd_call_hangup (c->call);
    }
}

/* @offer's consultant took the call. */
static void
connect_consultant (Caller *c,
                    Offer  *offer)
{
  DdInboundRunner *self = c->self;
  g_autoptr(GError) error = NULL;

  c->stage = STAGE_CONNECTED;
  c->agent_id = offer->agent_id;
  g_clear_handle_id (&c->announce_id, g_source_remove);
  g_clear_handle_id (&c->max_wait_id, g_source_remove);
  play_silence (c);
  if (offer->call != NULL)
    {
      c->agent_call = g_steal_pointer (&offer->call);
      g_signal_handlers_disconnect_by_data (c->agent_call, offer);
      g_signal_connect (c->agent_call, "notify::state", G_CALLBACK (on_agent_call_state), c);
      c->bridge = dd_call_bridge_new (c->call, c->agent_call);
    }
  else if (self->headset != NULL)
    {
      if (dd_headset_take_call (self->headset, c->call, &error))
        c->on_headset = TRUE;
      else
        g_warning ("The headset cannot take the call: %s", error->message);
      g_clear_error (&error);
    }
  /* the other consultants rung stop ringing */
  g_ptr_array_set_size (c->offers, 0);

  if (!dd_agent_state_store_start_call (self->states, c->agent_id, c->case_id, &error))
    {
      g_message ("Agent %" G_GINT64_FORMAT " took an inbound call outside the ready state: %s",
                 c->agent_id, error->message);
      g_clear_error (&error);
    }
  if (!dd_inbound_store_call_answered (self->store, c->call_id, c->agent_id, &error))
    g_warning ("Cannot record the answer of inbound call %" G_GINT64_FORMAT ": %s",
               c->call_id, error->message);
  g_signal_emit (self, signals[SIGNAL_CALL_CONNECTED], 0, c->case_id, c->agent_id);
  queue_changed (self);
}

static void
on_offer_state (DdCall     *call,
                GParamSpec *pspec,
                Offer      *offer)
{
  Caller *c = offer->caller;
  DdCallState state = dd_call_get_state (call);

  if (state == DD_CALL_STATE_ANSWERED && c->stage == STAGE_QUEUED)
    connect_consultant (c, offer);
  else if (state == DD_CALL_STATE_ENDED)
    {
      /* not answered: the next consultant on the next tick */
      g_array_append_val (c->tried, offer->agent_id);
      g_ptr_array_remove (c->offers, offer);
    }
}

/* Rings the free consultants for @c by its queue's strategy. */
static void
offer_call (Caller *c)
{
  DdInboundRunner *self = c->self;
  const DdInboundQueue *queue = find_queue (self, c->queue_id);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) free_ids = NULL;
  gboolean ring_all = queue == NULL || queue->strategy == DD_INBOUND_RING_ALL;
  guint n_new = 0;

  if (c->offers->len > 0 && !ring_all)
    return;
  free_ids = dd_agent_state_store_list_free (self->states, &error);
  if (free_ids == NULL)
    {
      g_warning ("Cannot read the consultants' states: %s", error->message);
      return;
    }
  for (int pass = 0; pass < 2; pass++)
    {
      if (pass == 1)
        {
          /* everyone free was tried: round again, but not sooner than a ring's time after
           * the last round began (a consultant whose phone refuses at once is not rung in a
           * loop) */
          if (n_new > 0 || c->offers->len > 0 || c->tried->len == 0
              || g_get_monotonic_time () - c->round_us
                 < (gint64) self->ring_timeout_s * G_USEC_PER_SEC)
            break;
          g_array_set_size (c->tried, 0);
          c->round_us = g_get_monotonic_time ();
        }
      for (guint i = 0; i < free_ids->len; i++)
        {
          gint64 agent_id = g_array_index (free_ids, gint64, i);
          g_autofree char *uri = NULL;
          gboolean tried = FALSE;
          Offer *offer;

          for (guint j = 0; j < c->tried->len; j++)
            tried = tried || g_array_index (c->tried, gint64, j) == agent_id;
          if (tried || agent_is_offered (self, agent_id))
            continue;
          uri = dd_agent_state_store_get_sip_uri (self->states, agent_id, NULL);
          if (uri == NULL && (agent_id != self->desk_agent_id || self->headset == NULL))
            continue;   /* at another desk, which takes no calls of this line */

          offer = g_new0 (Offer, 1);
          offer->caller = c;
          offer->agent_id = agent_id;
          g_signal_emit (self, signals[SIGNAL_CALL_OFFERED], 0, c->case_id, agent_id);
          if (uri == NULL)
            {
              /* the consultant at this desk takes it on the headset */
              connect_consultant (c, offer);
              g_free (offer);
              return;
            }
          {
            DdCallOptions options = { 0 };

            options.from_uri = self->line_uri;
            options.ring_timeout_s = self->ring_timeout_s;
            offer->call = g_object_ref (dd_sip_engine_dial (self->engine, uri, &options));
          }
          g_signal_connect (offer->call, "notify::state", G_CALLBACK (on_offer_state), offer);
          g_ptr_array_add (c->offers, offer);
          n_new++;
          if (!ring_all)
            return;
        }
    }
}

static gboolean
on_tick (gpointer user_data)
{
  DdInboundRunner *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean waiting = FALSE;

  for (guint i = 0; i < self->callers->len; i++)
    waiting = waiting || ((Caller *) g_ptr_array_index (self->callers, i))->stage == STAGE_QUEUED;
  if (!waiting)
    return G_SOURCE_CONTINUE;
  if (!dd_agent_state_store_expire (self->states, NULL, &error))
    g_warning ("Cannot end the wrap-ups: %s", error->message);
  for (guint i = 0; i < self->callers->len; i++)
    {
      Caller *c = g_ptr_array_index (self->callers, i);

      if (c->stage == STAGE_QUEUED)
        offer_call (c);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_announce (gpointer user_data)
{
  Caller *c = user_data;
  DdInboundRunner *self = c->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pcm = NULL;
  g_autofree char *text = NULL;
  guint position = position_of (c), wait_s = 0;

  if (c->stage != STAGE_QUEUED || position == 0)
    return G_SOURCE_CONTINUE;
  /* with no answer in the last hour to go by: a minute per caller */
  if (!dd_inbound_store_expected_wait (self->store, c->queue_id, position, 60, &wait_s, &error))
    {
      g_warning ("Cannot estimate the wait: %s", error->message);
      wait_s = 60 * position;
    }
  text = dd_inbound_position_message (self->language, position, wait_s);
  pcm = speech (self, text);
  play (c, pcm, PLAY_ANNOUNCE);
  g_signal_emit (self, signals[SIGNAL_ANNOUNCED], 0, c->call_id, position, wait_s);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_voicemail_over (gpointer user_data)
{
  Caller *c = user_data;

  c->overflow_id = 0;
  dd_call_hangup (c->call);
  return G_SOURCE_REMOVE;
}

static gboolean
on_max_wait (gpointer user_data)
{
  Caller *c = user_data;
  DdInboundRunner *self = c->self;
  const DdInboundQueue *queue = find_queue (self, c->queue_id);
  g_autoptr(GBytes) pcm = NULL;

  c->max_wait_id = 0;
  if (c->stage != STAGE_QUEUED)
    return G_SOURCE_REMOVE;
  c->stage = STAGE_OVERFLOW;
  g_clear_handle_id (&c->announce_id, g_source_remove);
  g_ptr_array_set_size (c->offers, 0);
  if (queue != NULL && queue->on_max_wait == DD_INBOUND_ON_MAX_WAIT_VOICEMAIL)
    {
      c->outcome = DD_INBOUND_OUTCOME_VOICEMAIL;
      pcm = speech (self, dd_inbound_voicemail_message (self->language));
    }
  else
    {
      c->outcome = DD_INBOUND_OUTCOME_CALLBACK_REQUESTED;
      pcm = speech (self, dd_inbound_callback_message (self->language));
    }
  play (c, pcm, PLAY_MESSAGE);
  queue_changed (self);
  return G_SOURCE_REMOVE;
}

static void
start_recording (Caller *c)
{
  DdInboundRunner *self = c->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("inbound-%" G_GINT64_FORMAT ".wav", c->call_id);
  /* a short beep: 0.4 s of 1 kHz */
  gsize n = 3200;
  gint16 *beep = g_new (gint16, n);

  for (gsize i = 0; i < n; i++)
    beep[i] = (gint16) (6000 * ((i / 4) % 2 == 0 ? 1 : -1));
  {
    g_autoptr(GBytes) pcm = g_bytes_new_take (beep, n * sizeof (gint16));

    play (c, pcm, PLAY_SILENCE);
  }
  c->stage = STAGE_RECORDING;
  if (g_mkdir_with_parents (self->voicemail_dir, 0700) != 0)
    g_warning ("Cannot make the voicemail folder %s", self->voicemail_dir);
  c->voicemail_path = g_build_filename (self->voicemail_dir, name, NULL);
  if (!dd_call_record_to (c->call, c->voicemail_path, &error))
    {
      g_warning ("Cannot record the voicemail: %s", error->message);
      g_clear_pointer (&c->voicemail_path, g_free);
      c->outcome = DD_INBOUND_OUTCOME_CALLBACK_REQUESTED;
    }
  c->overflow_id = g_timeout_add_seconds (self->voicemail_s, on_voicemail_over, c);
}

static void
on_playback_finished (DdCall   *call,
                      gboolean  interrupted,
                      Caller   *c)
{
  Stage stage = c->stage;
  /* a prompt's end reaches the flow */
  int kind = dd_ivr_call_playback_done (c->ivr);
  gboolean idle = dd_ivr_call_is_quiet (c->ivr);

  switch (stage)
    {
    case STAGE_FLOW:
      break;
    case STAGE_QUEUED:
      /* the music again after it ends or after an announcement */
      if (idle && (kind == PLAY_MUSIC || kind == PLAY_ANNOUNCE || kind == PLAY_PROMPT))
        play_music (c);
      break;
    case STAGE_OVERFLOW:
      if (kind != PLAY_MESSAGE || interrupted)
        break;
      if (c->outcome == DD_INBOUND_OUTCOME_VOICEMAIL)
        start_recording (c);
      else
        dd_call_hangup (c->call);
      break;
    case STAGE_ANSWERING:
    case STAGE_CONNECTED:
    case STAGE_RECORDING:
    default:
      break;
    }
}

static gboolean
went_closed (DdInboundRunner *self,
             DdIvrMachine    *machine)
{
  GPtrArray *trace = dd_ivr_machine_get_trace (machine);

  for (guint i = 0; trace != NULL && i < trace->len; i++)
    {
      const DdIvrStep *step = g_ptr_array_index (trace, i);
      const DdIvrNode *node = dd_ivr_flow_get_node (self->flow, step->node_id);

      if (node != NULL && node->type == DD_IVR_NODE_TIME_SWITCH
          && g_strcmp0 (step->outcome, "closed") == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
in_flow (gpointer data)
{
  Caller *c = data;

  return c->stage == STAGE_FLOW;
}

static gboolean
on_action (const DdIvrAction *action,
           gpointer           data)
{
  Caller *c = data;

  switch (action->type)
    {
    case DD_IVR_ACTION_TRANSFER:
      enter_queue (c, action->queue);
      break;
    case DD_IVR_ACTION_HANG_UP:
      c->closed = went_closed (c->self, dd_ivr_call_get_machine (c->ivr));
      dd_call_hangup (c->call);
      return FALSE;
    case DD_IVR_ACTION_PLAY:
    case DD_IVR_ACTION_STOP_PLAYBACK:
    case DD_IVR_ACTION_START_TIMER:
    case DD_IVR_ACTION_STOP_TIMER:
    case DD_IVR_ACTION_COLLECT:
    case DD_IVR_ACTION_SEND_SMS:
    case DD_IVR_ACTION_RECORD_DECLARATION:
    case DD_IVR_ACTION_SET_STATUS:
    default:
      /* an inbound flow collects no payments: the consultants do */
      g_debug ("Inbound flow action %d left out", action->type);
      break;
    }
  return TRUE;
}

static const DdIvrCallHooks flow_hooks = {
  .in_flow = in_flow,
  .action = on_action,
};

static const DdInboundQueue *
queue_named (DdInboundRunner *self,
             const char      *name)
{
  gint64 id;
  char *end = NULL;

  if (self->queues == NULL || self->queues->len == 0)
    return NULL;
  if (name != NULL && *name != '\0')
    {
      id = g_ascii_strtoll (name, &end, 10);
      if (end != NULL && *end == '\0' && find_queue (self, id) != NULL)
        return find_queue (self, id);
      for (guint i = 0; i < self->queues->len; i++)
        {
          const DdInboundQueue *queue = g_ptr_array_index (self->queues, i);
          g_autofree char *a = g_utf8_casefold (queue->name, -1);
          g_autofree char *b = g_utf8_casefold (name, -1);

          if (g_strcmp0 (a, b) == 0)
            return queue;
        }
      g_message ("The inbound flow names no queue of the office (“%s”): the first one", name);
    }
  return g_ptr_array_index (self->queues, 0);
}

static void
enter_queue (Caller     *c,
             const char *queue_name)
{
  DdInboundRunner *self = c->self;
  const DdInboundQueue *queue = queue_named (self, queue_name);
  g_autoptr(GError) error = NULL;

  dd_ivr_call_stop_timers (c->ivr);
  c->stage = STAGE_QUEUED;
  c->queue_id = queue->id;
  c->queued_us = g_get_monotonic_time ();
  c->round_us = c->queued_us;
  if (!dd_inbound_store_call_queued (self->store, c->call_id, c->queue_id, &error))
    g_warning ("Cannot record the queuing of inbound call %" G_GINT64_FORMAT ": %s",
               c->call_id, error->message);
  play_music (c);
  if (queue->announce_every_s > 0)
    c->announce_id = g_timeout_add_seconds (queue->announce_every_s, on_announce, c);
  c->max_wait_id = g_timeout_add_seconds (queue->max_wait_s, on_max_wait, c);
  queue_changed (self);
  offer_call (c);
}

static void
start_flow (Caller *c)
{
  DdInboundRunner *self = c->self;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(DdIvrCaseInfo) info = dd_ivr_case_info_new ();
  g_autoptr(GError) error = NULL;

  if (self->flow == NULL)
    {
      c->stage = STAGE_FLOW;
      enter_queue (c, NULL);
      return;
    }
  if (c->case_id > 0
      && !dd_database_fetch_text (self->database, &info->name, &error,
                                  "SELECT debtor_name FROM debt_case WHERE id = ?",
                                  DD_INT (c->case_id), DD_END))
    g_message ("Cannot read the caller's case: %s", error->message);
  g_free (info->language);
  info->language = g_strdup (self->language);
  c->stage = STAGE_FLOW;
  dd_ivr_call_start (c->ivr, self->flow, info, now);
}

static void
on_caller_state (DdCall     *call,
                 GParamSpec *pspec,
                 Caller     *c)
{
  if (dd_call_get_state (call) == DD_CALL_STATE_ANSWERED && c->stage == STAGE_ANSWERING)
    start_flow (c);
}

static void
on_caller_dtmf (DdCall   *call,
                char      digit,
                gboolean  in_band,
                Caller   *c)
{
  dd_ivr_call_dtmf (c->ivr, digit);
}

static void
on_caller_ended (DdCall *call,
                 Caller *c)
{
  DdInboundRunner *self = c->self;
  g_autoptr(GError) error = NULL;
  DdInboundOutcome outcome;
  gint64 call_id = c->call_id;

  switch (c->stage)
    {
    case STAGE_CONNECTED:
      outcome = DD_INBOUND_OUTCOME_ANSWERED;
      break;
    case STAGE_OVERFLOW:
    case STAGE_RECORDING:
      outcome = c->outcome;
      /* a caller who hangs up before the tone left no message */
      if (outcome == DD_INBOUND_OUTCOME_VOICEMAIL && c->stage == STAGE_OVERFLOW)
        outcome = DD_INBOUND_OUTCOME_CALLBACK_REQUESTED;
      break;
    case STAGE_FLOW:
      outcome = c->closed ? DD_INBOUND_OUTCOME_CLOSED_HOURS : DD_INBOUND_OUTCOME_ABANDONED;
      break;
    case STAGE_ANSWERING:
    case STAGE_QUEUED:
    default:
      outcome = DD_INBOUND_OUTCOME_ABANDONED;
      break;
    }
  dd_ivr_call_hung_up (c->ivr);
  if (c->agent_id > 0 && c->stage == STAGE_CONNECTED
      && !dd_agent_state_store_wrap_up (self->states, c->agent_id, self->wrap_up_s, &error))
    {
      g_warning ("Cannot start the wrap-up: %s", error->message);
      g_clear_error (&error);
    }
  if (!dd_inbound_store_call_ended (self->store, call_id, outcome,
                                    outcome == DD_INBOUND_OUTCOME_VOICEMAIL
                                    ? c->voicemail_path : NULL, &error))
    g_warning ("Cannot record the end of inbound call %" G_GINT64_FORMAT ": %s", call_id,
               error->message);
  g_ptr_array_remove (self->callers, c);
  g_signal_emit (self, signals[SIGNAL_CALL_ENDED], 0, call_id, (gint) outcome);
  if (outcome != DD_INBOUND_OUTCOME_ANSWERED)
    g_signal_emit (self, signals[SIGNAL_MISSED_CHANGED], 0);
  queue_changed (self);
}

static gboolean
is_for_line (DdInboundRunner *self,
             DdCall          *call)
{
  const char *local = dd_call_get_local_uri (call);
  const char *user, *at;

  if (self->line_user == NULL)
    return TRUE;
  if (local == NULL)
    return FALSE;
  user = strchr (local, ':');
  user = user != NULL ? user + 1 : local;
  at = strchr (user, '@');
  return at != NULL && (gsize) (at - user) == strlen (self->line_user)
         && strncmp (user, self->line_user, (gsize) (at - user)) == 0;
}

/* The user part of a SIP URI: the caller's number as received. */
static char *
caller_of (DdCall *call)
{
  const char *uri = dd_call_get_uri (call);
  const char *user, *end;

  if (uri == NULL)
    return g_strdup ("anonymous");
  user = strchr (uri, ':');
  user = user != NULL ? user + 1 : uri;
  end = user + strcspn (user, "@;>");
  return g_strndup (user, end - user);
}

/* Whether one more refused call may be recorded now: at most REFUSED_RECORDED_PER_MINUTE in
 * any minute, so that a flood of INVITEs over the cap does not grow the missed list (and the
 * database) without limit; the calls over it are refused all the same, and counted in the
 * log. */
static gboolean
may_record_refusal (DdInboundRunner *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 *oldest = &self->refused_at[self->refused_next];

  if (*oldest != 0 && now - *oldest < 60 * G_USEC_PER_SEC)
    {
      if (self->refused_unrecorded++ % 100 == 0)
        g_message ("Refused inbound calls over %u a minute are not recorded (%u so far)",
                   (guint) REFUSED_RECORDED_PER_MINUTE, self->refused_unrecorded);
      return FALSE;
    }
  *oldest = now;
  self->refused_next = (self->refused_next + 1) % REFUSED_RECORDED_PER_MINUTE;
  return TRUE;
}

/* Callers not yet with a consultant: answering, in the flow, in a queue. */
static guint
n_waiting (DdInboundRunner *self)
{
  guint n = 0;

  for (guint i = 0; i < self->callers->len; i++)
    {
      Caller *c = g_ptr_array_index (self->callers, i);

      if (c->stage == STAGE_ANSWERING || c->stage == STAGE_FLOW || c->stage == STAGE_QUEUED)
        n++;
    }
  return n;
}

/* Too many callers wait already: @c's call is refused with 486 Busy Here and recorded
 * ("queue-full", a missed call to call back). 486, not 480 Temporarily Unavailable (RFC 3261
 * §21.4.24, §21.4.18): the office was reached and cannot take one more call now, which a
 * caller's phone or the operator's gateway turns into a busy tone (ISDN cause 17, user
 * busy); 480 says the callee is absent (not registered, not answering), and would be heard
 * as "the number cannot be reached". Frees @c. */
static void
refuse_full (DdInboundRunner *self,
             Caller          *c,
             guint            max)
{
  g_autoptr(GError) error = NULL;
  gint64 call_id = 0;

  g_debug ("Inbound call from %s refused: %u callers wait already", c->caller, max);
  if (may_record_refusal (self)
      && !dd_inbound_store_call_refused (self->store, c->caller, c->e164, c->case_id, &call_id,
                                      &error))
    g_warning ("Cannot record a refused inbound call: %s", error->message);
  dd_call_reject (c->call, 486);
  caller_free (c);
  if (call_id > 0)
    {
      g_signal_emit (self, signals[SIGNAL_CALL_ENDED], 0, call_id,
                     (gint) DD_INBOUND_OUTCOME_QUEUE_FULL);
      g_signal_emit (self, signals[SIGNAL_MISSED_CHANGED], 0);
    }
}

static void
on_incoming_call (DdSipEngine     *engine,
                  DdCall          *call,
                  DdInboundRunner *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  guint max_waiting = DD_INBOUND_DEFAULT_MAX_WAITING;
  Caller *c;

  if (!self->running || !is_for_line (self, call))
    return;
  if (!dd_inbound_store_get_max_waiting (self->store, &max_waiting, &error))
    {
      g_warning ("Cannot read the cap on waiting callers: %s", error->message);
      g_clear_error (&error);
    }
  c = g_new0 (Caller, 1);
  c->self = self;
  c->call = g_object_ref (call);
  c->ivr = dd_ivr_call_new (call, &flow_hooks, c);
  c->offers = g_ptr_array_new_with_free_func ((GDestroyNotify) offer_free);
  c->tried = g_array_new (FALSE, FALSE, sizeof (gint64));
  c->caller = caller_of (call);
  c->stage = STAGE_ANSWERING;

  /* a number without "+" in the office's region; digits with the country code first
   * ("48601…") as many trunks send them */
  number = g_strdup (c->caller);
  if (!dd_phone_normalize (number, self->region, &c->e164, NULL, NULL))
    {
      g_autofree char *plus = g_strconcat ("+", number, NULL);

      dd_phone_normalize (plus, self->region, &c->e164, NULL, NULL);
    }
  else if (c->e164 != NULL && number[0] != '+' && number[0] != '0')
    {
      /* "48601234567" read as national digits is not the number: prefer the "+" form when
       * it matches a case */
      g_autofree char *plus = g_strconcat ("+", number, NULL);
      g_autofree char *with_plus = NULL;
      gint64 found = 0;

      if (dd_phone_normalize (plus, self->region, &with_plus, NULL, NULL)
          && dd_inbound_store_match_case (self->store, with_plus, &found, NULL) && found > 0)
        {
          g_free (c->e164);
          c->e164 = g_steal_pointer (&with_plus);
        }
    }
  if (!dd_inbound_store_match_case (self->store, c->e164, &c->case_id, &error))
    {
      g_warning ("Cannot look the caller up: %s", error->message);
      g_clear_error (&error);
    }
  if (n_waiting (self) >= max_waiting)
    {
      refuse_full (self, c, max_waiting);
      return;
    }
  if (!dd_inbound_store_call_arrived (self->store, c->caller, c->e164, c->case_id,
                                      &c->call_id, &error))
    {
      g_warning ("Cannot record an inbound call: %s", error->message);
      caller_free (c);
      dd_call_reject (call, 480);
      return;
    }
  g_ptr_array_add (self->callers, c);
  g_signal_connect (call, "notify::state", G_CALLBACK (on_caller_state), c);
  g_signal_connect (call, "dtmf", G_CALLBACK (on_caller_dtmf), c);
  g_signal_connect (call, "playback-finished", G_CALLBACK (on_playback_finished), c);
  g_signal_connect (call, "ended", G_CALLBACK (on_caller_ended), c);
  dd_call_answer (call);
  queue_changed (self);
}

/* --- the object --- */

static void
dd_inbound_runner_dispose (GObject *object)
{
  DdInboundRunner *self = DD_INBOUND_RUNNER (object);

  dd_inbound_runner_stop (self);
  /* the callers still on the line are hung up, and their calls recorded as they stand */
  while (self->callers != NULL && self->callers->len > 0)
    {
      Caller *c = g_ptr_array_index (self->callers, self->callers->len - 1);

      if (dd_call_get_state (c->call) != DD_CALL_STATE_ENDED)
        dd_call_hangup (c->call);
      on_caller_ended (c->call, c);
    }
  g_clear_object (&self->headset);
  g_clear_object (&self->store);
  g_clear_object (&self->states);
  g_clear_object (&self->engine);
  g_clear_object (&self->database);
  g_clear_object (&self->flow);

  G_OBJECT_CLASS (dd_inbound_runner_parent_class)->dispose (object);
}

static void
dd_inbound_runner_finalize (GObject *object)
{
  DdInboundRunner *self = DD_INBOUND_RUNNER (object);

  g_clear_pointer (&self->callers, g_ptr_array_unref);
  g_clear_pointer (&self->queues, g_ptr_array_unref);
  g_clear_pointer (&self->music, g_hash_table_unref);
  g_free (self->line_uri);
  g_free (self->line_user);
  g_free (self->language);
  g_free (self->region);
  g_free (self->voicemail_dir);

  G_OBJECT_CLASS (dd_inbound_runner_parent_class)->finalize (object);
}

static void
dd_inbound_runner_class_init (DdInboundRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dd_inbound_runner_dispose;
  object_class->finalize = dd_inbound_runner_finalize;

  signals[SIGNAL_QUEUE_CHANGED] =
    g_signal_new ("queue-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_CALL_OFFERED] =
    g_signal_new ("call-offered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
  signals[SIGNAL_CALL_CONNECTED] =
    g_signal_new ("call-connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
  signals[SIGNAL_CALL_ENDED] =
    g_signal_new ("call-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT);
  signals[SIGNAL_MISSED_CHANGED] =
    g_signal_new ("missed-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_ANNOUNCED] =
    g_signal_new ("announced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_UINT, G_TYPE_UINT);
}

static void
dd_inbound_runner_init (DdInboundRunner *self)
{
  self->callers = g_ptr_array_new_with_free_func ((GDestroyNotify) caller_free);
  self->music = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_bytes_unref);
  self->language = g_strdup ("pl");
  self->region = g_strdup ("PL");
  self->voicemail_dir = g_build_filename (g_get_user_data_dir (), "dunning-desk", "voicemail",
                                          NULL);
  self->ring_timeout_s = RING_DEFAULT_S;
  self->voicemail_s = VOICEMAIL_DEFAULT_S;
}

DdInboundRunner *
dd_inbound_runner_new (DdDatabase  *database,
                       DdSipEngine *engine)
{
  DdInboundRunner *self;

  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);
  g_return_val_if_fail (DD_IS_SIP_ENGINE (engine), NULL);

  self = g_object_new (DD_TYPE_INBOUND_RUNNER, NULL);
  self->database = g_object_ref (database);
  self->engine = g_object_ref (engine);
  self->store = dd_inbound_store_new (database);
  self->states = dd_agent_state_store_new (database);
  return self;
}

DdInboundStore *
dd_inbound_runner_get_store (DdInboundRunner *self)
{
  g_return_val_if_fail (DD_IS_INBOUND_RUNNER (self), NULL);
  return self->store;
}

DdAgentStateStore *
dd_inbound_runner_get_states (DdInboundRunner *self)
{
  g_return_val_if_fail (DD_IS_INBOUND_RUNNER (self), NULL);
  return self->states;
}

void
dd_inbound_runner_set_line_uri (DdInboundRunner *self,
                                const char      *uri)
{
  const char *user, *at;

  g_return_if_fail (DD_IS_INBOUND_RUNNER (self));

  g_clear_pointer (&self->line_uri, g_free);
  g_clear_pointer (&self->line_user, g_free);
  if (uri == NULL || *uri == '\0')
    return;
  self->line_uri = g_strdup (uri);
  user = strchr (uri, ':');
  user = user != NULL ? user + 1 : uri;
  at = strchr (user, '@');
  self->line_user = at != NULL ? g_strndup (user, at - user) : g_strdup (user);
}

void
dd_inbound_runner_set_office (DdInboundRunner *self,
                              const char      *language,
                              const char      *region)
{
  g_return_if_fail (DD_IS_INBOUND_RUNNER (self));

  g_free (self->language);
  self->language = g_strdup (language != NULL ? language : "en");
  g_free (self->region);
  self->region = g_strdup (region != NULL ? region : "PL");
}

void
dd_inbound_runner_set_desk (DdInboundRunner *self,
                            gint64           agent_id,
                            DdHeadset       *headset)
{
  g_return_if_fail (DD_IS_INBOUND_RUNNER (self));

  self->desk_agent_id = agent_id;
  g_set_object (&self->headset, headset);
}

void
dd_inbound_runner_set_voicemail_dir (DdInboundRunner *self,
                                     const char      *dir)
{
  g_return_if_fail (DD_IS_INBOUND_RUNNER (self));
  g_return_if_fail (dir != NULL);

  g_free (self->voicemail_dir);
  self->voicemail_dir = g_strdup (dir);
}

void
dd_inbound_runner_set_ring_timeout (DdInboundRunner *self,
                                    guint            seconds)
{
  g_return_if_fail (DD_IS_INBOUND_RUNNER (self));
  self->ring_timeout_s = MAX (seconds, RING_MIN_S);
}

void
dd_inbound_runner_set_voicemail_length (DdInboundRunner *self,
                                        guint            seconds)
{
  g_return_if_fail (DD_IS_INBOUND_RUNNER (self));
  self->voicemail_s = MAX (seconds, 1);
}

void
dd_inbound_runner_set_wrap_up (DdInboundRunner *self,
                               guint            seconds)
{
  g_return_if_fail (DD_IS_INBOUND_RUNNER (self));
  self->wrap_up_s = seconds;
}

gboolean
dd_inbound_runner_start (DdInboundRunner  *self,
                         GError          **error)
{
  g_autoptr(GPtrArray) queues = NULL;
  g_autoptr(DdIvrFlow) flow = NULL;
  gint64 flow_id = 0;

  g_return_val_if_fail (DD_IS_INBOUND_RUNNER (self), FALSE);

  if (!dd_inbound_store_get_line (self->store, NULL, &flow_id, error))
    return FALSE;
  queues = dd_inbound_store_list_queues (self->store, error);
  if (queues == NULL)
    return FALSE;
  if (queues->len == 0)
    {
      g_set_error_literal (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_NOT_FOUND,
                           _("Add a queue before the line takes calls."));
      return FALSE;
    }
  if (flow_id > 0)
    {
      g_autoptr(DdIvrFlowStore) flows = dd_ivr_flow_store_new (self->database);
      g_autoptr(DdIvrFlowRecord) record = dd_ivr_flow_store_get (flows, flow_id, error);

      if (record == NULL)
        return FALSE;
      flow = dd_ivr_flow_new_from_data (record->json, -1, error);
      if (flow == NULL)
        return FALSE;
    }
  g_clear_pointer (&self->queues, g_ptr_array_unref);
  self->queues = g_steal_pointer (&queues);
  g_set_object (&self->flow, flow);
  if (!self->running)
    {
      self->running = TRUE;
      self->incoming_id = g_signal_connect (self->engine, "incoming-call",
                                            G_CALLBACK (on_incoming_call), self);
      dd_sip_engine_set_inbound (self->engine, TRUE, 0);
      self->tick_id = g_timeout_add (TICK_MS, on_tick, self);
    }
  return TRUE;
}

gboolean
dd_inbound_runner_start_with_accounts (DdInboundRunner  *self,
                                       GPtrArray        *accounts,
                                       GError          **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (DD_IS_INBOUND_RUNNER (self), FALSE);
  g_return_val_if_fail (accounts != NULL, FALSE);

  if (!dd_inbound_store_get_line (self->store, &name, NULL, error))
    return FALSE;
  if (name == NULL)
    {
      g_set_error_literal (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_NOT_FOUND,
                           _("No telephone line takes calls: choose one in the queue settings."));
      return FALSE;
    }
  for (guint i = 0; i < accounts->len; i++)
    {
      const DdSipAccountInfo *account = g_ptr_array_index (accounts, i);

      if (g_strcmp0 (account->name, name) != 0)
        continue;
      if (!account->enabled)
        break;
      dd_inbound_runner_set_line_uri (self, account->aor);
      return dd_inbound_runner_start (self, error);
    }
  g_set_error (error, DD_INBOUND_ERROR, DD_INBOUND_ERROR_NOT_FOUND,
               /* Translators: %s is the name of a SIP account (a telephone line) */
               _("The line “%s” that takes calls is gone or switched off."), name);
  return FALSE;
}

void
dd_inbound_runner_stop (DdInboundRunner *self)
{
  g_return_if_fail (DD_IS_INBOUND_RUNNER (self));

  if (!self->running)
    return;
  self->running = FALSE;
  g_clear_signal_handler (&self->incoming_id, self->engine);
  g_clear_handle_id (&self->tick_id, g_source_remove);
}

gboolean
dd_inbound_runner_is_running (DdInboundRunner *self)
{
  g_return_val_if_fail (DD_IS_INBOUND_RUNNER (self), FALSE);
  return self->running;
}

GPtrArray *
dd_inbound_runner_list_callers (DdInboundRunner *self)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_inbound_caller_free);
  gint64 now = g_get_monotonic_time ();

  g_return_val_if_fail (DD_IS_INBOUND_RUNNER (self), list);

  for (guint i = 0; i < self->callers->len; i++)
    {
      Caller *c = g_ptr_array_index (self->callers, i);
      DdInboundCaller *item = g_new0 (DdInboundCaller, 1);

      item->call_id = c->call_id;
      item->case_id = c->case_id;
      item->queue_id = c->queue_id;
      item->caller = g_strdup (c->caller);
      item->position = position_of (c);
      item->waited_s = c->queued_us > 0 ? (guint) ((now - c->queued_us) / G_USEC_PER_SEC) : 0;
      item->agent_id = c->agent_id;
      g_ptr_array_add (list, item);
    }
  return list;
}

void
dd_inbound_runner_hang_up (DdInboundRunner *self,
                           gint64           agent_id)
{
  g_return_if_fail (DD_IS_INBOUND_RUNNER (self));

  for (guint i = 0; i < self->callers->len; i++)
    {
      Caller *c = g_ptr_array_index (self->callers, i);

      if (c->agent_id == agent_id && agent_id > 0)
        {
          dd_call_hangup (c->call);
          return;
        }
    }
}
