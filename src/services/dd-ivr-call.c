/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-ivr-call"

#include "config.h"

#include "dd-ivr-call.h"

#include "dd-tts.h"

/* 20 ms of silence at 8 kHz: what replaces a stopped prompt or one that cannot be played, so
 * that the flow hears its end */
#define SILENCE_BYTES 320

typedef struct
{
  guint    kind;
  gboolean stopped;  /* the flow stopped it: its end is not reported */
} Play;

struct _DdIvrCall
{
  DdCall         *call;      /* unowned */
  DdIvrCallHooks  hooks;
  gpointer        data;
  DdIvrMachine   *machine;   /* NULL until the flow starts, and after it let go */
  GHashTable     *timers;    /* machine timer id → GSource id */
  GQueue          plays;     /* of Play, in the order they were started */
};

typedef struct
{
  DdIvrCall *ivr;
  guint      timer_id;
} Timer;

DdIvrCall *
dd_ivr_call_new (DdCall               *call,
                 const DdIvrCallHooks *hooks,
                 gpointer              data)
{
  DdIvrCall *ivr;

  g_return_val_if_fail (DD_IS_CALL (call), NULL);

  ivr = g_new0 (DdIvrCall, 1);
  ivr->call = call;
  if (hooks != NULL)
    ivr->hooks = *hooks;
  ivr->data = data;
  ivr->timers = g_hash_table_new (NULL, NULL);
  return ivr;
}

void
dd_ivr_call_free (DdIvrCall *ivr)
{
  if (ivr == NULL)
    return;
  dd_ivr_call_stop_timers (ivr);
  g_hash_table_unref (ivr->timers);
  g_queue_clear_full (&ivr->plays, g_free);
  g_clear_object (&ivr->machine);
  g_free (ivr);
}

/* Whether the owner still lets the flow act on the call. */
static gboolean
owner_in_flow (DdIvrCall *ivr)
{
  return ivr->hooks.in_flow == NULL || ivr->hooks.in_flow (ivr->data);
}

/* Whether what happens on the call reaches the machine. */
static gboolean
in_flow (DdIvrCall *ivr)
{
  return ivr->machine != NULL && owner_in_flow (ivr);
}

void
dd_ivr_call_stop_timers (DdIvrCall *ivr)
{
  GHashTableIter iter;
  gpointer source;

  g_hash_table_iter_init (&iter, ivr->timers);
  while (g_hash_table_iter_next (&iter, NULL, &source))
    g_source_remove (GPOINTER_TO_UINT (source));
  g_hash_table_remove_all (ivr->timers);
}

static gboolean
on_timer (gpointer user_data)
{
  Timer *t = user_data;
  DdIvrCall *ivr = t->ivr;

  g_hash_table_remove (ivr->timers, GUINT_TO_POINTER (t->timer_id));
  if (in_flow (ivr))
    dd_ivr_call_run (ivr, dd_ivr_machine_timeout (ivr->machine, t->timer_id));
  return G_SOURCE_REMOVE;
}

static void
start_timer (DdIvrCall         *ivr,
             const DdIvrAction *action)
{
  Timer *t = g_new0 (Timer, 1);
  guint source;

  t->ivr = ivr;
  t->timer_id = action->timer_id;
  source = g_timeout_add_full (G_PRIORITY_DEFAULT, action->timeout_ms, on_timer, t, g_free);
  g_hash_table_insert (ivr->timers, GUINT_TO_POINTER (action->timer_id),
                       GUINT_TO_POINTER (source));
}

static void
stop_timer (DdIvrCall         *ivr,
            const DdIvrAction *action)
{
  gpointer source;

  if (g_hash_table_steal_extended (ivr->timers, GUINT_TO_POINTER (action->timer_id), NULL,
                                   &source))
    g_source_remove (GPOINTER_TO_UINT (source));
}

void
dd_ivr_call_play (DdIvrCall *ivr,
                  GBytes    *pcm,
                  guint      kind,
                  gboolean   barge_in)
{
  Play *p = g_new0 (Play, 1);

  p->kind = kind;
  g_queue_push_tail (&ivr->plays, p);
  dd_call_play_pcm (ivr->call, pcm, barge_in);
}

static GBytes *
silence (void)
{
  return g_bytes_new_take (g_malloc0 (SILENCE_BYTES), SILENCE_BYTES);
}

static void
play_prompt (DdIvrCall         *ivr,
             const DdIvrAction *action)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pcm = NULL;
  gboolean barge_in = ivr->hooks.prompt != NULL && ivr->hooks.prompt (action, ivr->data);

  if (action->file != NULL)
    pcm = dd_audio_decode_file (action->file, &error);
  else
    pcm = dd_tts_prompt (action->text != NULL ? action->text : "",
                         action->voice != NULL ? action->voice : action->language, &error);
  if (pcm == NULL || g_bytes_get_size (pcm) == 0)
    {
      g_message ("A prompt cannot be played (%s): skipped",
                 error != NULL ? error->message : "empty");
      g_clear_pointer (&pcm, g_bytes_unref);
      pcm = silence ();
    }
  dd_ivr_call_play (ivr, pcm, DD_IVR_PLAY_PROMPT, barge_in);
}

gboolean
dd_ivr_call_stop_prompts (DdIvrCall *ivr)
{
  g_autoptr(GBytes) pcm = NULL;
  gboolean any = FALSE;

  for (GList *l = ivr->plays.head; l != NULL; l = l->next)
    {
      Play *p = l->data;

      if (p->kind == DD_IVR_PLAY_PROMPT && !p->stopped)
        {
          p->stopped = TRUE;
          any = TRUE;
        }
    }
  if (!any)
    return FALSE;
  pcm = silence ();
  dd_ivr_call_play (ivr, pcm, DD_IVR_PLAY_SILENCE, FALSE);
  return TRUE;
}

gboolean
dd_ivr_call_is_quiet (DdIvrCall *ivr)
{
  return g_queue_is_empty (&ivr->plays);
}

void
dd_ivr_call_run (DdIvrCall *ivr,
                 GPtrArray *actions)
{
  g_autoptr(GPtrArray) owned G_GNUC_UNUSED = actions;

  for (guint i = 0; actions != NULL && i < actions->len && owner_in_flow (ivr); i++)
    {
      const DdIvrAction *action = g_ptr_array_index (actions, i);

      switch (action->type)
        {
        case DD_IVR_ACTION_PLAY:
          play_prompt (ivr, action);
          break;
        case DD_IVR_ACTION_STOP_PLAYBACK:
          dd_ivr_call_stop_prompts (ivr);
          break;
        case DD_IVR_ACTION_START_TIMER:
          start_timer (ivr, action);
          break;
        case DD_IVR_ACTION_STOP_TIMER:
          stop_timer (ivr, action);
          break;
        case DD_IVR_ACTION_COLLECT:
        case DD_IVR_ACTION_TRANSFER:
        case DD_IVR_ACTION_SEND_SMS:
        case DD_IVR_ACTION_RECORD_DECLARATION:
        case DD_IVR_ACTION_SET_STATUS:
        case DD_IVR_ACTION_HANG_UP:
        default:
          if (ivr->hooks.action != NULL && !ivr->hooks.action (action, ivr->data))
            return;
          break;
        }
      if (dd_call_get_state (ivr->call) == DD_CALL_STATE_ENDED)
        break;
    }
}

void
dd_ivr_call_start (DdIvrCall     *ivr,
                   DdIvrFlow     *flow,
                   DdIvrCaseInfo *info,
                   GDateTime     *now)
{
  g_return_if_fail (ivr->machine == NULL);

  ivr->machine = dd_ivr_machine_new (flow, info, now);
  dd_ivr_call_run (ivr, dd_ivr_machine_answered (ivr->machine));
}

DdIvrMachine *
dd_ivr_call_get_machine (DdIvrCall *ivr)
{
  return ivr->machine;
}

char *
dd_ivr_call_let_go (DdIvrCall *ivr)
{
  char *path;

  dd_ivr_call_stop_timers (ivr);
  dd_ivr_call_stop_prompts (ivr);
  path = ivr->machine != NULL ? dd_ivr_machine_get_trace_string (ivr->machine) : NULL;
  g_clear_object (&ivr->machine);
  return path;
}

int
dd_ivr_call_playback_done (DdIvrCall *ivr)
{
  g_autofree Play *p = g_queue_pop_head (&ivr->plays);

  if (p == NULL)
    return -1;
  if (p->kind == DD_IVR_PLAY_PROMPT && p->stopped)
    return DD_IVR_PLAY_SILENCE;
  if (p->kind == DD_IVR_PLAY_PROMPT && in_flow (ivr))
    dd_ivr_call_run (ivr, dd_ivr_machine_playback_done (ivr->machine));
  return (int) p->kind;
}

void
dd_ivr_call_dtmf (DdIvrCall *ivr,
                  char       digit)
{
  if (in_flow (ivr))
    dd_ivr_call_run (ivr, dd_ivr_machine_dtmf (ivr->machine, digit));
}

void
dd_ivr_call_hung_up (DdIvrCall *ivr)
{
  if (ivr->machine != NULL)
    {
      g_autoptr(GPtrArray) ignored G_GNUC_UNUSED = dd_ivr_machine_hung_up (ivr->machine);
    }
}
