/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-ivr-simulator"

#include "config.h"

#include "dd-ivr-simulator.h"

#include "dd-money.h"

#include <glib/gi18n.h>

struct _DdIvrSimulator
{
  GObject        parent_instance;

  DdIvrMachine  *machine;
  GHashTable    *timers;          /* machine timer id → GSource id */
  guint          playback_id;     /* simulated playback */
  guint          speech_rate;     /* ms per character */
  gboolean       simulate_playback;
  gboolean       playing;
  GPtrArray     *path;
  char          *last_node;
};

G_DEFINE_FINAL_TYPE (DdIvrSimulator, dd_ivr_simulator, G_TYPE_OBJECT)

enum {
  NODE_ENTERED,
  SAID,
  PLAYBACK_STOPPED,
  EVENT,
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void run_actions (DdIvrSimulator *self,
                         GPtrArray      *actions);

typedef struct
{
  DdIvrSimulator *self;
  guint           timer_id;
} TimerData;

static gboolean
on_timer (gpointer user_data)
{
  TimerData *data = user_data;
  DdIvrSimulator *self = data->self;
  guint timer_id = data->timer_id;

  g_hash_table_remove (self->timers, GUINT_TO_POINTER (timer_id));   /* frees data */
  run_actions (self, dd_ivr_machine_timeout (self->machine, timer_id));
  return G_SOURCE_REMOVE;
}

static void
stop_timer (DdIvrSimulator *self,
            guint           timer_id)
{
  gpointer source_id;

  if (g_hash_table_lookup_extended (self->timers, GUINT_TO_POINTER (timer_id), NULL, &source_id))
    {
      g_source_remove (GPOINTER_TO_UINT (source_id));
      g_hash_table_remove (self->timers, GUINT_TO_POINTER (timer_id));
    }
}

static gboolean
on_playback_done (gpointer user_data)
{
  DdIvrSimulator *self = DD_IVR_SIMULATOR (user_data);

  self->playback_id = 0;
  dd_ivr_simulator_playback_finished (self);
  return G_SOURCE_REMOVE;
}

static void
note_node (DdIvrSimulator *self)
{
  const char *node = dd_ivr_machine_get_current_node (self->machine);

  if (node == NULL || g_strcmp0 (node, self->last_node) == 0)
    return;
  g_free (self->last_node);
  self->last_node = g_strdup (node);
  g_ptr_array_add (self->path, g_strdup (node));
  g_signal_emit (self, signals[NODE_ENTERED], 0, node);
}

static void
event (DdIvrSimulator *self,
       const char     *kind,
       const char     *text)
{
  g_signal_emit (self, signals[EVENT], 0, kind, text);
}

static void
run_action (DdIvrSimulator    *self,
            const DdIvrAction *action)
{
  g_autofree char *text = NULL;

  switch (action->type)
    {
    case DD_IVR_ACTION_PLAY:
      {
        const char *said = action->text != NULL ? action->text : action->file;
        guint length = said != NULL ? (guint) g_utf8_strlen (said, -1) : 0;

        self->playing = TRUE;
        g_signal_emit (self, signals[SAID], 0, action->text, action->file, action->language);
        event (self, "play", said);
        if (self->simulate_playback)
          {
            g_clear_handle_id (&self->playback_id, g_source_remove);
            self->playback_id = g_timeout_add (MAX (1, length * self->speech_rate),
                                               on_playback_done, self);
          }
      }
      break;

    case DD_IVR_ACTION_STOP_PLAYBACK:
      g_clear_handle_id (&self->playback_id, g_source_remove);
      self->playing = FALSE;
      g_signal_emit (self, signals[PLAYBACK_STOPPED], 0);
      break;

    case DD_IVR_ACTION_START_TIMER:
      {
        TimerData *data = g_new0 (TimerData, 1);
        guint source_id;

        stop_timer (self, action->timer_id);
        data->self = self;
        data->timer_id = action->timer_id;
        source_id = g_timeout_add_full (G_PRIORITY_DEFAULT, action->timeout_ms, on_timer, data,
                                        g_free);
        g_hash_table_insert (self->timers, GUINT_TO_POINTER (action->timer_id),
                             GUINT_TO_POINTER (source_id));
      }
      break;

    case DD_IVR_ACTION_STOP_TIMER:
      stop_timer (self, action->timer_id);
      break;

    case DD_IVR_ACTION_COLLECT:
      break;

    case DD_IVR_ACTION_TRANSFER:
      /* Translators: simulator transcript; %s is a queue name */
      text = g_strdup_printf (_("Transfer to the consultants of “%s”"), action->queue);
      event (self, "transfer", text);
      break;

    case DD_IVR_ACTION_SEND_SMS:
      /* Translators: simulator transcript; %s is the text message */
      text = g_strdup_printf (_("An SMS would be sent: %s"), action->text);
      event (self, "sms", text);
      break;

    case DD_IVR_ACTION_RECORD_DECLARATION:
      {
        g_autofree char *amount = dd_money_format (action->amount_minor, action->currency, NULL);
        char date[16] = "";

        if (g_date_valid (&action->date))
          g_date_strftime (date, sizeof date, "%Y-%m-%d", &action->date);
        /* Translators: simulator transcript; an amount and a date */
        text = g_strdup_printf (_("A payment declaration would be recorded: %s on %s"), amount,
                                date);
        event (self, "declaration", text);
      }
      break;

    case DD_IVR_ACTION_SET_STATUS:
      /* Translators: simulator transcript; %s is a case status */
      text = g_strdup_printf (_("The case status would become “%s”"), action->status);
      event (self, "status", text);
      break;

    case DD_IVR_ACTION_HANG_UP:
      event (self, "hang-up", _("The call ends"));
      break;

    default:
      break;
    }
}

/* Stops the timers and the playback still running. */
static void
stop_all (DdIvrSimulator *self)
{
  if (self->timers != NULL)
    {
      GHashTableIter iter;
      gpointer source_id;

      g_hash_table_iter_init (&iter, self->timers);
      while (g_hash_table_iter_next (&iter, NULL, &source_id))
        g_source_remove (GPOINTER_TO_UINT (source_id));
      g_hash_table_remove_all (self->timers);
    }
  g_clear_handle_id (&self->playback_id, g_source_remove);
}

static void
run_actions (DdIvrSimulator *self,
             GPtrArray      *actions)
{
  g_autoptr(GPtrArray) owned = actions;

  note_node (self);
  for (guint i = 0; owned != NULL && i < owned->len; i++)
    {
      run_action (self, g_ptr_array_index (owned, i));
      note_node (self);
    }
  if (dd_ivr_machine_get_state (self->machine) == DD_IVR_MACHINE_FINISHED)
    {
      stop_all (self);
      g_signal_emit (self, signals[FINISHED], 0);
    }
}

/* GObject */

static void
dd_ivr_simulator_dispose (GObject *object)
{
  DdIvrSimulator *self = DD_IVR_SIMULATOR (object);

  stop_all (self);
  g_clear_object (&self->machine);

  G_OBJECT_CLASS (dd_ivr_simulator_parent_class)->dispose (object);
}

static void
dd_ivr_simulator_finalize (GObject *object)
{
  DdIvrSimulator *self = DD_IVR_SIMULATOR (object);

  g_clear_pointer (&self->timers, g_hash_table_unref);
  g_clear_pointer (&self->path, g_ptr_array_unref);
  g_free (self->last_node);

  G_OBJECT_CLASS (dd_ivr_simulator_parent_class)->finalize (object);
}

static void
dd_ivr_simulator_class_init (DdIvrSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dd_ivr_simulator_dispose;
  object_class->finalize = dd_ivr_simulator_finalize;

  /**
   * DdIvrSimulator::node-entered:
   * @node_id: the node the call is at now
   */
  signals[NODE_ENTERED] =
    g_signal_new ("node-entered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * DdIvrSimulator::said:
   * @text: (nullable): the prompt, as spoken text
   * @file: (nullable): or the audio file to play
   * @language: the voice ("pl", "ru", "en")
   */
  signals[SAID] =
    g_signal_new ("said", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * DdIvrSimulator::playback-stopped:
   *
   * A key was pressed during a prompt that allows it (barge-in): stop speaking.
   */
  signals[PLAYBACK_STOPPED] =
    g_signal_new ("playback-stopped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
  /**
   * DdIvrSimulator::event:
   * @kind: "play", "transfer", "sms", "declaration", "status", "hang-up"
   * @text: translated, for the transcript
   */
  signals[EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * DdIvrSimulator::finished:
   *
   * The call ended (by the flow or by hanging up).
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
dd_ivr_simulator_init (DdIvrSimulator *self)
{
  self->timers = g_hash_table_new (NULL, NULL);
  self->path = g_ptr_array_new_with_free_func (g_free);
  self->speech_rate = 60;
  self->simulate_playback = TRUE;
}

DdIvrSimulator *
dd_ivr_simulator_new (DdIvrFlow           *flow,
                      const DdIvrCaseInfo *info)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  DdIvrSimulator *self;

  g_return_val_if_fail (DD_IS_IVR_FLOW (flow), NULL);
  g_return_val_if_fail (info != NULL, NULL);

  self = g_object_new (DD_TYPE_IVR_SIMULATOR, NULL);
  self->machine = dd_ivr_machine_new (flow, info, now);
  return self;
}

void
dd_ivr_simulator_set_speech_rate (DdIvrSimulator *self,
                                  guint           ms_per_character)
{
  g_return_if_fail (DD_IS_IVR_SIMULATOR (self));

  self->speech_rate = ms_per_character;
}

void
dd_ivr_simulator_set_simulate_playback (DdIvrSimulator *self,
                                        gboolean        simulate)
{
  g_return_if_fail (DD_IS_IVR_SIMULATOR (self));

  self->simulate_playback = simulate;
}

void
dd_ivr_simulator_start (DdIvrSimulator *self)
{
  g_return_if_fail (DD_IS_IVR_SIMULATOR (self));

  run_actions (self, dd_ivr_machine_answered (self->machine));
}

void
dd_ivr_simulator_press (DdIvrSimulator *self,
                        char            key)
{
  g_return_if_fail (DD_IS_IVR_SIMULATOR (self));

  if (!dd_ivr_simulator_is_running (self))
    return;
  run_actions (self, dd_ivr_machine_dtmf (self->machine, key));
}

void
dd_ivr_simulator_playback_finished (DdIvrSimulator *self)
{
  g_return_if_fail (DD_IS_IVR_SIMULATOR (self));

  g_clear_handle_id (&self->playback_id, g_source_remove);
  if (!self->playing || !dd_ivr_simulator_is_running (self))
    return;
  self->playing = FALSE;
  run_actions (self, dd_ivr_machine_playback_done (self->machine));
}

void
dd_ivr_simulator_transfer_result (DdIvrSimulator *self,
                                  gboolean        answered)
{
  g_return_if_fail (DD_IS_IVR_SIMULATOR (self));

  run_actions (self, dd_ivr_machine_transfer_result (self->machine, answered));
}

void
dd_ivr_simulator_hang_up (DdIvrSimulator *self)
{
  g_return_if_fail (DD_IS_IVR_SIMULATOR (self));

  if (dd_ivr_machine_get_state (self->machine) == DD_IVR_MACHINE_FINISHED)
    return;
  run_actions (self, dd_ivr_machine_hung_up (self->machine));
}

gboolean
dd_ivr_simulator_is_running (DdIvrSimulator *self)
{
  DdIvrMachineState state;

  g_return_val_if_fail (DD_IS_IVR_SIMULATOR (self), FALSE);

  state = dd_ivr_machine_get_state (self->machine);
  return state == DD_IVR_MACHINE_RUNNING || state == DD_IVR_MACHINE_TRANSFERRING;
}

gboolean
dd_ivr_simulator_is_transferring (DdIvrSimulator *self)
{
  g_return_val_if_fail (DD_IS_IVR_SIMULATOR (self), FALSE);

  return dd_ivr_machine_get_state (self->machine) == DD_IVR_MACHINE_TRANSFERRING;
}

const char *
dd_ivr_simulator_get_current_node (DdIvrSimulator *self)
{
  g_return_val_if_fail (DD_IS_IVR_SIMULATOR (self), NULL);

  return dd_ivr_machine_get_current_node (self->machine);
}

GPtrArray *
dd_ivr_simulator_get_path (DdIvrSimulator *self)
{
  g_return_val_if_fail (DD_IS_IVR_SIMULATOR (self), NULL);

  return self->path;
}

char *
dd_ivr_simulator_get_trace_string (DdIvrSimulator *self)
{
  g_return_val_if_fail (DD_IS_IVR_SIMULATOR (self), NULL);

  return dd_ivr_machine_get_trace_string (self->machine);
}
