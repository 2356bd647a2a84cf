/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-speaker"

#include "config.h"

#include "dd-speaker.h"

#include "dd-tts.h"

#include <glib/gi18n.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <string.h>

struct _DdSpeaker
{
  GObject      parent_instance;

  GTask       *current;      /* the sentence playing */
  GstElement  *pipeline;
  guint        bus_watch;
  guint        silent_id;    /* no audio device: the time it would take */
};

G_DEFINE_FINAL_TYPE (DdSpeaker, dd_speaker, G_TYPE_OBJECT)

GBytes *
dd_speaker_synthesize (const char  *text,
                       const char  *language,
                       guint       *out_rate,
                       GError     **error)
{
  return dd_tts_synthesize (text, language, out_rate, error);
}

/* Playback */

typedef struct
{
  char  *text;
  char  *language;
  guint  rate;
} SayData;

static void
say_data_free (SayData *data)
{
  g_free (data->text);
  g_free (data->language);
  g_free (data);
}

static void
teardown (DdSpeaker *self)
{
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  g_clear_handle_id (&self->silent_id, g_source_remove);
  if (self->pipeline != NULL)
    {
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      g_clear_object (&self->pipeline);
    }
}

static void
finish_current (DdSpeaker *self,
                GError    *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->current);

  teardown (self);
  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
on_silent_done (gpointer user_data)
{
  DdSpeaker *self = DD_SPEAKER (user_data);

  self->silent_id = 0;
  finish_current (self, NULL);
  return G_SOURCE_REMOVE;
}

static void
play_silently (DdSpeaker *self,
               guint      duration_ms)
{
  teardown (self);
  self->silent_id = g_timeout_add (MAX (duration_ms, 1), on_silent_done, self);
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  DdSpeaker *self = DD_SPEAKER (user_data);

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_EOS:
      self->bus_watch = 0;
      finish_current (self, NULL);
      return G_SOURCE_REMOVE;

    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;

        gst_message_parse_error (message, &error, NULL);
        g_debug ("No sound (%s): speaking silently", error->message);
        self->bus_watch = 0;
        play_silently (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (self),
                                                                  "dd-duration-ms")));
        return G_SOURCE_REMOVE;
      }

    default:
      return G_SOURCE_CONTINUE;
    }
}

static void
play (DdSpeaker *self,
      GBytes    *pcm,
      guint      rate)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) source = NULL;
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstBus) bus = NULL;
  guint64 n_samples = g_bytes_get_size (pcm) / 2;
  guint duration_ms = (guint) (n_samples * 1000 / MAX (rate, 1));
  GstBuffer *buffer;

  g_object_set_data (G_OBJECT (self), "dd-duration-ms", GUINT_TO_POINTER (duration_ms));
  if (!gst_init_check (NULL, NULL, &error))
    {
      play_silently (self, duration_ms);
      return;
    }
  self->pipeline = gst_parse_launch ("appsrc name=source format=time ! audioconvert ! "
                                     "audioresample ! autoaudiosink", &error);
  if (self->pipeline == NULL)
    {
      g_debug ("No playback pipeline (%s): speaking silently", error->message);
      play_silently (self, duration_ms);
      return;
    }
  gst_object_ref_sink (self->pipeline);
  source = gst_bin_get_by_name (GST_BIN (self->pipeline), "source");
  caps = gst_caps_new_simple ("audio/x-raw",
                              "format", G_TYPE_STRING, "S16LE",
                              "rate", G_TYPE_INT, (int) rate,
                              "channels", G_TYPE_INT, 1,
                              "layout", G_TYPE_STRING, "interleaved",
                              NULL);
  gst_app_src_set_caps (GST_APP_SRC (source), caps);
  buffer = gst_buffer_new_wrapped_bytes (pcm);
  GST_BUFFER_PTS (buffer) = 0;
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (n_samples, GST_SECOND, rate);
  gst_app_src_push_buffer (GST_APP_SRC (source), buffer);
  gst_app_src_end_of_stream (GST_APP_SRC (source));

  bus = gst_element_get_bus (self->pipeline);
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_debug ("No sound device: speaking silently");
      play_silently (self, duration_ms);
    }
}

static void
synthesize_in_thread (GTask        *task,
                      gpointer      source,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  SayData *data = task_data;
  GError *error = NULL;
  GBytes *pcm = dd_speaker_synthesize (data->text, data->language, &data->rate, &error);

  if (pcm == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pcm, (GDestroyNotify) g_bytes_unref);
}

static void
on_synthesized (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  DdSpeaker *self = DD_SPEAKER (source);
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pcm = g_task_propagate_pointer (G_TASK (result), &error);
  SayData *data = g_task_get_task_data (G_TASK (result));

  if (self->current != outer)
    {
      /* stopped, or replaced by a newer sentence, while synthesising */
      return;
    }
  if (pcm == NULL)
    {
      finish_current (self, g_steal_pointer (&error));
      return;
    }
  play (self, pcm, data->rate);
}

/* GObject */

static void
dd_speaker_dispose (GObject *object)
{
  DdSpeaker *self = DD_SPEAKER (object);

  dd_speaker_stop (self);

  G_OBJECT_CLASS (dd_speaker_parent_class)->dispose (object);
}

static void
dd_speaker_class_init (DdSpeakerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dd_speaker_dispose;
}

static void
dd_speaker_init (DdSpeaker *self)
{
}

DdSpeaker *
dd_speaker_get_default (void)
{
  static DdSpeaker *speaker;

  if (speaker == NULL)
    {
      speaker = g_object_new (DD_TYPE_SPEAKER, NULL);
      g_object_add_weak_pointer (G_OBJECT (speaker), (gpointer *) &speaker);
    }
  return speaker;
}

void
dd_speaker_say_async (DdSpeaker           *self,
                      const char          *text,
                      const char          *language,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) synth = NULL;
  SayData *data;

  g_return_if_fail (DD_IS_SPEAKER (self));
  g_return_if_fail (text != NULL);

  dd_speaker_stop (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dd_speaker_say_async);
  self->current = g_object_ref (task);

  data = g_new0 (SayData, 1);
  data->text = g_strdup (text);
  data->language = g_strdup (language);
  synth = g_task_new (self, NULL, on_synthesized, g_object_ref (task));
  g_task_set_task_data (synth, data, (GDestroyNotify) say_data_free);
  g_task_run_in_thread (synth, synthesize_in_thread);
}

gboolean
dd_speaker_say_finish (DdSpeaker     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
dd_speaker_stop (DdSpeaker *self)
{
  g_return_if_fail (DD_IS_SPEAKER (self));

  if (self->current != NULL)
    finish_current (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               _("Stopped")));
  teardown (self);
}
