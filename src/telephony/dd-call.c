/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-call"

#include "config.h"

#include "dd-call.h"

#include "dd-media-wav.h"
#include "dd-sip-core.h"

struct _DdCall
{
  GObject         parent_instance;

  DdSipEngine    *engine;          /* weak: the engine outlives its calls' events */
  guint           id;
  char           *uri;
  DdCallOptions   options;         /* strings owned below */
  char           *from_uri;
  char           *from_name;
  char           *auth_user;
  char           *password;
  DdCallState     state;
  DdCallEndCause  end_cause;
  guint           sip_status;
  char           *sip_reason;
  GString        *digits;
  DdWavWriter    *writer;
  guint           next_play_id;
  gboolean        queued;          /* waiting for a free place */
  gboolean        inbound;
  char           *remote_name;     /* inbound: the caller's display name */
  char           *local_uri;       /* inbound: the number they called */
};

struct _DdSipEngine
{
  GObject      parent_instance;

  DdSipCore   *core;
  GHashTable  *calls;      /* id → DdCall (a reference while not ended) */
  GQueue       waiting;    /* DdCall, not yet dialled */
  guint        max_calls;
  guint        n_dialled;
  GStrv        caller_ids;
  guint        next_caller_id;
  gboolean     accept_inbound;
};

enum {
  ENGINE_SIGNAL_INCOMING_CALL,
  ENGINE_N_SIGNALS
};

static guint engine_signals[ENGINE_N_SIGNALS];

G_DEFINE_FINAL_TYPE (DdCall, dd_call, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (DdSipEngine, dd_sip_engine, G_TYPE_OBJECT)

enum {
  CALL_PROP_0,
  CALL_PROP_STATE,
  CALL_N_PROPS
};

static GParamSpec *call_properties[CALL_N_PROPS];

enum {
  SIGNAL_DTMF,
  SIGNAL_PLAYBACK_FINISHED,
  SIGNAL_ENDED,
  CALL_N_SIGNALS
};

static guint call_signals[CALL_N_SIGNALS];

/* DdCall */

static void
dd_call_finalize (GObject *object)
{
  DdCall *self = DD_CALL (object);

  if (self->writer != NULL)
    dd_wav_writer_close (self->writer, NULL);
  g_free (self->uri);
  g_free (self->remote_name);
  g_free (self->local_uri);
  g_free (self->from_uri);
  g_free (self->from_name);
  g_free (self->auth_user);
  g_free (self->password);
  g_free (self->sip_reason);
  g_string_free (self->digits, TRUE);
  G_OBJECT_CLASS (dd_call_parent_class)->finalize (object);
}

static void
dd_call_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  DdCall *self = DD_CALL (object);

  switch (prop_id)
    {
    case CALL_PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_call_class_init (DdCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dd_call_finalize;
  object_class->get_property = dd_call_get_property;

  /**
   * DdCall:state:
   *
   * A DdCallState: dialing, ringing, early media, answered, ended.
   */
  call_properties[CALL_PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, DD_CALL_STATE_DIALING, DD_CALL_STATE_ENDED,
                      DD_CALL_STATE_DIALING,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, CALL_N_PROPS, call_properties);

  /**
   * DdCall::dtmf:
   * @digit: the key ('0'–'9', '*', '#', 'A'–'D')
   * @in_band: heard as tones rather than received as an RFC 4733 event
   */
  call_signals[SIGNAL_DTMF] =
    g_signal_new ("dtmf", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_CHAR, G_TYPE_BOOLEAN);
  /**
   * DdCall::playback-finished:
   * @interrupted: stopped by a key or a new prompt rather than played to its end
   */
  call_signals[SIGNAL_PLAYBACK_FINISHED] =
    g_signal_new ("playback-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  /**
   * DdCall::ended:
   *
   * The call is over; dd_call_get_end_cause() says why.
   */
  call_signals[SIGNAL_ENDED] =
    g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
dd_call_init (DdCall *self)
{
  self->digits = g_string_new (NULL);
}

static void
set_state (DdCall      *self,
           DdCallState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), call_properties[CALL_PROP_STATE]);
}

/* DdSipEngine */

static void
dial_now (DdSipEngine *self,
          DdCall      *call)
{
  DdSipDialParams params = { 0 };

  params.to_uri = call->uri;
  params.from_uri = call->from_uri;
  params.from_name = call->from_name;
  params.contact_user = "dunning-desk";
  params.auth_user = call->auth_user;
  params.password = call->password;
  params.ring_timeout_ms = (call->options.ring_timeout_s > 0 ? call->options.ring_timeout_s : 30)
                           * 1000;
  call->queued = FALSE;
  self->n_dialled++;
  dd_sip_core_dial (self->core, call->id, &params);
}

static void
dial_waiting (DdSipEngine *self)
{
  while (!g_queue_is_empty (&self->waiting) &&
         (self->max_calls == 0 || self->n_dialled < self->max_calls))
    dial_now (self, g_queue_pop_head (&self->waiting));
}

/* An incoming call: a DdCall ringing here, offered to whoever listens; with nobody to take it
 * (no handler, or the limit reached) it is refused busy at once. */
static void
incoming (DdSipEngine      *self,
          const DdSipEvent *event)
{
  g_autoptr(DdCall) call = g_object_new (DD_TYPE_CALL, NULL);

  call->engine = self;
  call->id = event->call_id;
  call->inbound = TRUE;
  call->uri = g_strdup (event->text);
  call->remote_name = g_strdup (event->name != NULL && *event->name ? event->name : NULL);
  call->local_uri = g_strdup (event->text2);
  call->state = DD_CALL_STATE_RINGING;
  if (!g_signal_has_handler_pending (self, engine_signals[ENGINE_SIGNAL_INCOMING_CALL], 0,
                                     FALSE) ||
      (self->max_calls > 0 && self->n_dialled >= self->max_calls))
    {
      dd_sip_core_hangup (self->core, call->id, 486);
      return;
    }
  self->n_dialled++;
  g_hash_table_insert (self->calls, GUINT_TO_POINTER (call->id), g_object_ref (call));
  g_signal_emit (self, engine_signals[ENGINE_SIGNAL_INCOMING_CALL], 0, call);
}

static void
on_core_event (const DdSipEvent *event,
               gpointer          user_data)
{
  DdSipEngine *self = user_data;
  g_autoptr(DdCall) call = NULL;

  if (event->kind == DD_SIP_EVENT_INCOMING)
    {
      incoming (self, event);
      return;
    }
  call = g_hash_table_lookup (self->calls, GUINT_TO_POINTER (event->call_id));
  if (call == NULL)
    return;
  g_object_ref (call);
  switch (event->kind)
    {
    case DD_SIP_EVENT_RINGING:
      set_state (call, DD_CALL_STATE_RINGING);
      break;
    case DD_SIP_EVENT_EARLY_MEDIA:
      set_state (call, DD_CALL_STATE_EARLY_MEDIA);
      break;
    case DD_SIP_EVENT_ANSWERED:
      call->sip_status = event->status;
      set_state (call, DD_CALL_STATE_ANSWERED);
      break;
    case DD_SIP_EVENT_DTMF:
      g_string_append_c (call->digits, event->digit);
      g_signal_emit (call, call_signals[SIGNAL_DTMF], 0, event->digit, event->in_band);
      break;
    case DD_SIP_EVENT_PLAYBACK_FINISHED:
      g_signal_emit (call, call_signals[SIGNAL_PLAYBACK_FINISHED], 0, event->interrupted);
      break;
    case DD_SIP_EVENT_ENDED:
      call->end_cause = (DdCallEndCause) event->cause;
      call->sip_status = event->status;
      g_free (call->sip_reason);
      call->sip_reason = g_strdup (event->reason);
      if (self->n_dialled > 0)
        self->n_dialled--;
      g_hash_table_remove (self->calls, GUINT_TO_POINTER (event->call_id));
      if (call->writer != NULL)
        {
          dd_wav_writer_close (call->writer, NULL);
          call->writer = NULL;
        }
      set_state (call, DD_CALL_STATE_ENDED);
      g_signal_emit (call, call_signals[SIGNAL_ENDED], 0);
      dial_waiting (self);
      break;
    default:
      break;
    }
}

static void
dd_sip_engine_dispose (GObject *object)
{
  DdSipEngine *self = DD_SIP_ENGINE (object);

  g_clear_pointer (&self->core, dd_sip_core_stop);
  g_queue_clear (&self->waiting);
  g_clear_pointer (&self->calls, g_hash_table_unref);
  g_clear_pointer (&self->caller_ids, g_strfreev);
  G_OBJECT_CLASS (dd_sip_engine_parent_class)->dispose (object);
}

static void
dd_sip_engine_class_init (DdSipEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dd_sip_engine_dispose;

  /**
   * DdSipEngine::incoming-call:
   * @call: a DdCall ringing here (dd_call_is_inbound())
   *
   * Someone calls: answer with dd_call_answer(), refuse with dd_call_reject(), or let it
   * ring (it ends when the caller gives up, or unanswered after the ring timeout). Only
   * after dd_sip_engine_set_inbound(); a call with no handler is refused busy.
   */
  engine_signals[ENGINE_SIGNAL_INCOMING_CALL] =
    g_signal_new ("incoming-call", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, DD_TYPE_CALL);
}

static void
dd_sip_engine_init (DdSipEngine *self)
{
  self->calls = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_object_unref);
  g_queue_init (&self->waiting);
}

DdSipEngine *
dd_sip_engine_new (const char  *address,
                   guint16      port,
                   GError     **error)
{
  g_autoptr(DdSipEngine) self = g_object_new (DD_TYPE_SIP_ENGINE, NULL);

  self->core = dd_sip_core_start (address, port, FALSE, NULL, on_core_event, self, error);
  if (self->core == NULL)
    return NULL;
  dd_sip_core_set_inbound (self->core, FALSE, 0);
  return g_steal_pointer (&self);
}

guint16
dd_sip_engine_get_port (DdSipEngine *self)
{
  g_return_val_if_fail (DD_IS_SIP_ENGINE (self), 0);

  return dd_sip_core_get_port (self->core);
}

void
dd_sip_engine_set_max_calls (DdSipEngine *self,
                             guint        max)
{
  g_return_if_fail (DD_IS_SIP_ENGINE (self));

  self->max_calls = max;
  dial_waiting (self);
}

DdCall *
dd_sip_engine_dial (DdSipEngine         *self,
                    const char          *uri,
                    const DdCallOptions *options)
{
  DdCall *call;

  g_return_val_if_fail (DD_IS_SIP_ENGINE (self), NULL);
  g_return_val_if_fail (uri != NULL && options != NULL, NULL);
  g_return_val_if_fail (options->from_uri != NULL ||
                        (self->caller_ids != NULL && self->caller_ids[0] != NULL), NULL);

  call = g_object_new (DD_TYPE_CALL, NULL);
  call->engine = self;
  call->id = dd_sip_core_new_call_id (self->core);
  call->uri = g_strdup (uri);
  call->options = *options;
  if (options->from_uri != NULL)
    call->from_uri = g_strdup (options->from_uri);
  else
    {
      /* rotation: each call the next caller ID of the pool */
      call->from_uri = g_strdup (self->caller_ids[self->next_caller_id]);
      self->next_caller_id = (self->next_caller_id + 1) % g_strv_length (self->caller_ids);
    }
  call->options.from_uri = NULL;
  call->from_name = g_strdup (options->from_name);
  call->auth_user = g_strdup (options->auth_user);
  call->password = g_strdup (options->password);
  g_hash_table_insert (self->calls, GUINT_TO_POINTER (call->id), g_object_ref (call));
  call->queued = TRUE;
  g_queue_push_tail (&self->waiting, call);
  dial_waiting (self);
  return call;
}

void
dd_sip_engine_set_caller_ids (DdSipEngine       *self,
                              const char *const *from_uris)
{
  g_return_if_fail (DD_IS_SIP_ENGINE (self));

  g_clear_pointer (&self->caller_ids, g_strfreev);
  self->next_caller_id = 0;
  if (from_uris != NULL && from_uris[0] != NULL)
    self->caller_ids = g_strdupv ((char **) from_uris);
}

guint
dd_sip_engine_get_n_active (DdSipEngine *self)
{
  g_return_val_if_fail (DD_IS_SIP_ENGINE (self), 0);

  return g_hash_table_size (self->calls);
}

DdCallState
dd_call_get_state (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), DD_CALL_STATE_ENDED);
  return self->state;
}

DdCallEndCause
dd_call_get_end_cause (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), DD_CALL_END_NONE);
  return self->end_cause;
}

guint
dd_call_get_sip_status (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), 0);
  return self->sip_status;
}

const char *
dd_call_get_sip_reason (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), NULL);
  return self->sip_reason;
}

const char *
dd_call_get_uri (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), NULL);
  return self->uri;
}

const char *
dd_call_get_digits (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), NULL);
  return self->digits->str;
}

void
dd_call_hangup (DdCall *self)
{
  g_return_if_fail (DD_IS_CALL (self));

  if (self->state == DD_CALL_STATE_ENDED)
    return;
  if (self->queued)
    {
      /* never dialled: it simply ends */
      g_queue_remove (&self->engine->waiting, self);
      self->queued = FALSE;
      self->end_cause = DD_CALL_END_CANCELLED;
      g_object_ref (self);
      g_hash_table_remove (self->engine->calls, GUINT_TO_POINTER (self->id));
      set_state (self, DD_CALL_STATE_ENDED);
      g_signal_emit (self, call_signals[SIGNAL_ENDED], 0);
      g_object_unref (self);
      return;
    }
  dd_sip_core_hangup (self->engine->core, self->id, 0);
}

void
dd_call_play_pcm (DdCall   *self,
                  GBytes   *pcm,
                  gboolean  barge_in)
{
  g_return_if_fail (DD_IS_CALL (self));
  g_return_if_fail (pcm != NULL);

  if (self->state == DD_CALL_STATE_ENDED || self->queued)
    return;
  dd_sip_core_play (self->engine->core, self->id, pcm, ++self->next_play_id, barge_in);
}

void
dd_call_send_dtmf (DdCall     *self,
                   const char *digits)
{
  g_return_if_fail (DD_IS_CALL (self));

  if (self->state == DD_CALL_STATE_ENDED || self->queued)
    return;
  dd_sip_core_send_dtmf (self->engine->core, self->id, digits);
}

gboolean
dd_call_record_to (DdCall      *self,
                   const char  *path,
                   GError     **error)
{
  g_return_val_if_fail (DD_IS_CALL (self), FALSE);
  g_return_val_if_fail (self->writer == NULL, FALSE);

  self->writer = dd_wav_writer_open (path, 8000, 1, error);
  if (self->writer == NULL)
    return FALSE;
  dd_sip_core_record (self->engine->core, self->id, self->writer);
  return TRUE;
}

gboolean
dd_call_is_inbound (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), FALSE);
  return self->inbound;
}

const char *
dd_call_get_remote_name (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), NULL);
  return self->remote_name;
}

const char *
dd_call_get_local_uri (DdCall *self)
{
  g_return_val_if_fail (DD_IS_CALL (self), NULL);
  return self->local_uri;
}

void
dd_call_answer (DdCall *self)
{
  g_return_if_fail (DD_IS_CALL (self));
  g_return_if_fail (self->inbound);

  if (self->state != DD_CALL_STATE_RINGING)
    return;
  dd_sip_core_answer (self->engine->core, self->id);
}

void
dd_call_reject (DdCall *self,
                guint   status)
{
  g_return_if_fail (DD_IS_CALL (self));
  g_return_if_fail (self->inbound);
  g_return_if_fail (status == 0 || (status >= 400 && status < 700));

  if (self->state != DD_CALL_STATE_RINGING)
    return;
  dd_sip_core_hangup (self->engine->core, self->id, status);
}

void
dd_sip_engine_set_inbound (DdSipEngine *self,
                           gboolean     accept,
                           guint        ring_timeout_s)
{
  g_return_if_fail (DD_IS_SIP_ENGINE (self));
  dd_sip_core_set_inbound (self->core, accept, ring_timeout_s * 1000);
}
