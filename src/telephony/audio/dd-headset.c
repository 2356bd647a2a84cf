/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-headset"

#include "config.h"

#include "dd-headset.h"

#include "dd-media-link.h"

#include <glib/gi18n-lib.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>

#define CALL_CAPS "audio/x-raw,format=S16LE,rate=8000,channels=1,layout=interleaved"

struct _DdHeadset
{
  GObject       parent_instance;

  char         *source;
  char         *sink;
  GstElement   *speaker;       /* appsrc → … → sink */
  GstElement   *microphone;    /* source → … → appsink */
  GstElement   *appsrc;
  GstElement   *volume;
  GstElement   *mic_volume;
  DdMediaLink  *link;
  DdCall       *call;
  gulong        ended_handler;
  gboolean      muted;
  double        level;
  guint64       speaker_samples;
};

G_DEFINE_FINAL_TYPE (DdHeadset, dd_headset, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MUTED,
  PROP_VOLUME,
  PROP_CALL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The engine's thread: what the debtor said, to the speaker. */
static void
on_speak (const gint16 *samples,
          gsize         n_samples,
          gpointer      user_data)
{
  DdHeadset *self = user_data;
  GstBuffer *buffer = gst_buffer_new_memdup (samples, n_samples * sizeof (gint16));

  GST_BUFFER_PTS (buffer) = gst_util_uint64_scale (self->speaker_samples, GST_SECOND, 8000);
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (n_samples, GST_SECOND, 8000);
  self->speaker_samples += n_samples;
  gst_app_src_push_buffer (GST_APP_SRC (self->appsrc), buffer);
}

/* GStreamer's thread: the microphone, to the debtor. */
static GstFlowReturn
on_microphone (GstAppSink *sink,
               gpointer    user_data)
{
  DdMediaLink *link = user_data;
  GstSample *sample = gst_app_sink_pull_sample (sink);
  GstBuffer *buffer;
  GstMapInfo map;

  if (sample == NULL)
    return GST_FLOW_EOS;
  buffer = gst_sample_get_buffer (sample);
  if (buffer != NULL && gst_buffer_map (buffer, &map, GST_MAP_READ))
    {
      dd_media_link_put_microphone (link, (const gint16 *) map.data, map.size / sizeof (gint16));
      gst_buffer_unmap (buffer, &map);
    }
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  DdHeadset *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *debug = NULL;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ERROR)
    return G_SOURCE_CONTINUE;
  gst_message_parse_error (message, &error, &debug);
  g_warning ("The sound card failed: %s (%s)", error->message, debug != NULL ? debug : "");
  g_signal_emit (self, signals[SIGNAL_ERROR], 0, error->message);
  dd_headset_release (self);
  return G_SOURCE_CONTINUE;
}

static void
stop_pipelines (DdHeadset *self)
{
  if (self->speaker != NULL)
    {
      GstBus *bus = gst_element_get_bus (self->speaker);
      g_autoptr(GstMessage) eos = NULL;

      /* the end of the stream first, so that a file sink finishes its file */
      gst_app_src_end_of_stream (GST_APP_SRC (self->appsrc));
      eos = gst_bus_timed_pop_filtered (bus, GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
      gst_bus_remove_watch (bus);
      gst_object_unref (bus);
      gst_element_set_state (self->speaker, GST_STATE_NULL);
    }
  if (self->microphone != NULL)
    {
      GstBus *bus = gst_element_get_bus (self->microphone);

      gst_bus_remove_watch (bus);
      gst_object_unref (bus);
      gst_element_set_state (self->microphone, GST_STATE_NULL);
    }
  g_clear_object (&self->appsrc);
  g_clear_object (&self->volume);
  g_clear_object (&self->mic_volume);
  g_clear_object (&self->speaker);
  g_clear_object (&self->microphone);
}

void
dd_headset_release (DdHeadset *self)
{
  g_return_if_fail (DD_IS_HEADSET (self));

  if (self->call == NULL)
    return;
  dd_call_set_media_link (self->call, NULL);
  if (self->link != NULL)
    dd_media_link_set_speaker (self->link, NULL, NULL);   /* waits for a frame under way */
  g_clear_pointer (&self->link, dd_media_link_unref);
  g_clear_signal_handler (&self->ended_handler, self->call);
  g_clear_object (&self->call);
  stop_pipelines (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CALL]);
}

static void
on_call_ended (DdCall    *call,
               DdHeadset *self)
{
  dd_headset_release (self);
}

static GstElement *
parse (const char  *description,
       GError     **error)
{
  g_autoptr(GError) parse_error = NULL;
  GstElement *pipeline = gst_parse_launch (description, &parse_error);

  if (pipeline == NULL || parse_error != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The sound card cannot be used: %s"),
                   parse_error != NULL ? parse_error->message : description);
      if (pipeline != NULL)
        gst_object_unref (pipeline);
      return NULL;
    }
  return pipeline;
}

gboolean
dd_headset_take_call (DdHeadset  *self,
                      DdCall     *call,
                      GError    **error)
{
  g_autofree char *speaker = NULL;
  g_autofree char *microphone = NULL;
  GstAppSinkCallbacks callbacks = { 0 };
  GstElement *appsink;
  GstBus *bus;

  callbacks.new_sample = on_microphone;
  g_return_val_if_fail (DD_IS_HEADSET (self), FALSE);
  g_return_val_if_fail (DD_IS_CALL (call), FALSE);

  dd_headset_release (self);
  if (dd_call_get_state (call) == DD_CALL_STATE_ENDED)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The call has ended."));
      return FALSE;
    }
  speaker = g_strdup_printf ("appsrc name=in format=time is-live=true do-timestamp=false "
                             "caps=%s ! queue max-size-time=200000000 leaky=downstream ! "
                             "audioconvert ! audioresample ! volume name=volume ! %s",
                             CALL_CAPS, self->sink);
  microphone = g_strdup_printf ("%s ! audioconvert ! audioresample ! %s ! "
                                "volume name=mic_volume ! appsink name=out sync=false "
                                "max-buffers=8 drop=true",
                                self->source, CALL_CAPS);
  self->speaker = parse (speaker, error);
  if (self->speaker == NULL)
    return FALSE;
  self->microphone = parse (microphone, error);
  if (self->microphone == NULL)
    {
      stop_pipelines (self);
      return FALSE;
    }
  self->appsrc = gst_bin_get_by_name (GST_BIN (self->speaker), "in");
  self->volume = gst_bin_get_by_name (GST_BIN (self->speaker), "volume");
  self->mic_volume = gst_bin_get_by_name (GST_BIN (self->microphone), "mic_volume");
  g_object_set (self->volume, "volume", self->level, NULL);
  g_object_set (self->mic_volume, "mute", self->muted, NULL);
  self->link = dd_media_link_new ();
  appsink = gst_bin_get_by_name (GST_BIN (self->microphone), "out");
  gst_app_sink_set_callbacks (GST_APP_SINK (appsink), &callbacks,
                              dd_media_link_ref (self->link),
                              (GDestroyNotify) dd_media_link_unref);
  gst_object_unref (appsink);
  bus = gst_element_get_bus (self->speaker);
  gst_bus_add_watch (bus, on_bus_message, self);
  gst_object_unref (bus);
  bus = gst_element_get_bus (self->microphone);
  gst_bus_add_watch (bus, on_bus_message, self);
  gst_object_unref (bus);
  self->speaker_samples = 0;
  if (gst_element_set_state (self->speaker, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE ||
      gst_element_set_state (self->microphone, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The sound card cannot be used: it refused to start."));
      g_clear_pointer (&self->link, dd_media_link_unref);
      stop_pipelines (self);
      return FALSE;
    }
  dd_media_link_set_speaker (self->link, on_speak, self);
  self->call = g_object_ref (call);
  self->ended_handler = g_signal_connect (call, "ended", G_CALLBACK (on_call_ended), self);
  dd_call_set_media_link (call, self->link);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CALL]);
  return TRUE;
}

DdCall *
dd_headset_get_call (DdHeadset *self)
{
  g_return_val_if_fail (DD_IS_HEADSET (self), NULL);
  return self->call;
}

void
dd_headset_set_muted (DdHeadset *self,
                      gboolean   muted)
{
  g_return_if_fail (DD_IS_HEADSET (self));

  muted = !!muted;
  if (self->muted == muted)
    return;
  self->muted = muted;
  if (self->mic_volume != NULL)
    g_object_set (self->mic_volume, "mute", muted, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
}

gboolean
dd_headset_get_muted (DdHeadset *self)
{
  g_return_val_if_fail (DD_IS_HEADSET (self), FALSE);
  return self->muted;
}

void
dd_headset_set_volume (DdHeadset *self,
                       double     volume)
{
  g_return_if_fail (DD_IS_HEADSET (self));

  volume = CLAMP (volume, 0.0, 2.0);
  if (self->level == volume)
    return;
  self->level = volume;
  if (self->volume != NULL)
    g_object_set (self->volume, "volume", volume, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOLUME]);
}

double
dd_headset_get_volume (DdHeadset *self)
{
  g_return_val_if_fail (DD_IS_HEADSET (self), 1.0);
  return self->level;
}

void
dd_headset_hang_up (DdHeadset *self)
{
  g_return_if_fail (DD_IS_HEADSET (self));

  if (self->call != NULL)
    dd_call_hangup (self->call);
}

static void
dd_headset_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DdHeadset *self = DD_HEADSET (object);

  switch (prop_id)
    {
    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;
    case PROP_VOLUME:
      g_value_set_double (value, self->level);
      break;
    case PROP_CALL:
      g_value_set_object (value, self->call);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_headset_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  DdHeadset *self = DD_HEADSET (object);

  switch (prop_id)
    {
    case PROP_MUTED:
      dd_headset_set_muted (self, g_value_get_boolean (value));
      break;
    case PROP_VOLUME:
      dd_headset_set_volume (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_headset_dispose (GObject *object)
{
  DdHeadset *self = DD_HEADSET (object);

  dd_headset_release (self);
  G_OBJECT_CLASS (dd_headset_parent_class)->dispose (object);
}

static void
dd_headset_finalize (GObject *object)
{
  DdHeadset *self = DD_HEADSET (object);

  g_free (self->source);
  g_free (self->sink);
  G_OBJECT_CLASS (dd_headset_parent_class)->finalize (object);
}

static void
dd_headset_class_init (DdHeadsetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = dd_headset_get_property;
  object_class->set_property = dd_headset_set_property;
  object_class->dispose = dd_headset_dispose;
  object_class->finalize = dd_headset_finalize;

  properties[PROP_MUTED] =
    g_param_spec_boolean ("muted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VOLUME] =
    g_param_spec_double ("volume", NULL, NULL, 0.0, 2.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CALL] =
    g_param_spec_object ("call", NULL, NULL, DD_TYPE_CALL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DdHeadset::error:
   * @message: what went wrong, translated
   *
   * The sound card failed; the headset has let go of the call (which goes on).
   */
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
dd_headset_init (DdHeadset *self)
{
  self->level = 1.0;
}

DdHeadset *
dd_headset_new (const char  *source,
                const char  *sink,
                GError     **error)
{
  DdHeadset *self;

  if (!gst_init_check (NULL, NULL, error))
    return NULL;
  self = g_object_new (DD_TYPE_HEADSET, NULL);
  self->source = g_strdup (source != NULL && *source ? source : "autoaudiosrc");
  self->sink = g_strdup (sink != NULL && *sink ? sink : "autoaudiosink");
  return self;
}
