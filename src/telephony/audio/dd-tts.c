/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-tts"

#include "config.h"

#include "dd-tts.h"

#include <espeak-ng/espeak_ng.h>
#include <glib/gi18n-lib.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <string.h>

#define CACHE_SIZE 64

static GMutex synth_lock;
static gboolean synth_ready;
static guint synth_rate;

static GMutex cache_lock;
static GHashTable *cache;        /* "voice\ntext" → GBytes */
static GQueue cache_order;       /* keys, oldest first */

static int
on_synth (short        *wav,
          int           n_samples,
          espeak_EVENT *events)
{
  GByteArray *out = events != NULL ? events->user_data : NULL;

  if (out != NULL && wav != NULL && n_samples > 0)
    g_byte_array_append (out, (const guint8 *) wav, (guint) n_samples * sizeof (short));
  return 0;
}

static const char *
voice_for (const char *language)
{
  /* a voice with its variant ("pl+f3", "ru+m2"): as it is, for one of our languages */
  if (language != NULL && strchr (language, '+') != NULL && strlen (language) < 32 &&
      (g_ascii_strncasecmp (language, "pl+", 3) == 0 ||
       g_ascii_strncasecmp (language, "ru+", 3) == 0 ||
       g_ascii_strncasecmp (language, "en+", 3) == 0))
    return language;
  if (language != NULL && g_ascii_strncasecmp (language, "pl", 2) == 0)
    return "pl";
  if (language != NULL && g_ascii_strncasecmp (language, "ru", 2) == 0)
    return "ru";
  return "en";
}

GBytes *
dd_tts_synthesize (const char  *text,
                   const char  *language,
                   guint       *out_rate,
                   GError     **error)
{
  g_autoptr(GMutexLocker) locker G_GNUC_UNUSED = g_mutex_locker_new (&synth_lock);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  espeak_ERROR status;

  g_return_val_if_fail (text != NULL, NULL);

  if (!synth_ready)
    {
      espeak_ng_InitializePath (NULL);
      if (espeak_ng_Initialize (NULL) != ENS_OK ||
          espeak_ng_InitializeOutput (ENOUTPUT_MODE_SYNCHRONOUS, 0, NULL) != ENS_OK)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The speech synthesizer (espeak-ng) could not start."));
          return NULL;
        }
      espeak_SetSynthCallback (on_synth);
      synth_rate = (guint) espeak_ng_GetSampleRate ();
      synth_ready = TRUE;
    }

  if (espeak_ng_SetVoiceByName (voice_for (language)) != ENS_OK)
    espeak_ng_SetVoiceByName ("en");
  status = espeak_Synth (text, strlen (text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL,
                         out);
  espeak_ng_Synchronize ();
  if (status != EE_OK)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The speech synthesizer could not read this text."));
      return NULL;
    }
  if (out_rate != NULL)
    *out_rate = synth_rate;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* Runs @pipeline (with an appsink named "sink") to its end; the PCM it produced. */
static GBytes *
run_to_sink (GstElement  *pipeline,
             GError     **error)
{
  g_autoptr(GstElement) sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  GstSample *sample;

  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The audio could not be converted."));
      return NULL;
    }
  /* until the end, or an error on the bus (a file that is not audio never reaches the end) */
  for (gint64 deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;
       g_get_monotonic_time () < deadline;)
    {
      g_autoptr(GstMessage) message = NULL;

      sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 20 * GST_MSECOND);
      if (sample != NULL)
        {
          GstBuffer *buffer = gst_sample_get_buffer (sample);
          GstMapInfo map;

          if (buffer != NULL && gst_buffer_map (buffer, &map, GST_MAP_READ))
            {
              g_byte_array_append (out, map.data, (guint) map.size);
              gst_buffer_unmap (buffer, &map);
            }
          gst_sample_unref (sample);
          continue;
        }
      if (gst_app_sink_is_eos (GST_APP_SINK (sink)))
        break;
      message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      if (message != NULL)
        {
          g_autoptr(GError) gst_error = NULL;

          gst_message_parse_error (message, &gst_error, NULL);
          gst_element_set_state (pipeline, GST_STATE_NULL);
          /* Translators: %s is GStreamer's own error message */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("The audio could not be read: %s"), gst_error->message);
          return NULL;
        }
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static gboolean
ensure_gst (GError **error)
{
  if (!gst_init_check (NULL, NULL, error))
    return FALSE;
  return TRUE;
}

GBytes *
dd_audio_resample_8k (GBytes  *pcm,
                      guint    rate,
                      GError **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) source = NULL;
  g_autoptr(GstCaps) caps = NULL;
  GstBuffer *buffer;

  if (rate == 8000)
    return g_bytes_ref (pcm);
  if (!ensure_gst (error))
    return NULL;
  pipeline = gst_parse_launch ("appsrc name=source format=time ! audioconvert ! audioresample ! "
                               "audio/x-raw,format=S16LE,rate=8000,channels=1 ! "
                               "appsink name=sink sync=false", error);
  if (pipeline == NULL)
    return NULL;
  gst_object_ref_sink (pipeline);
  source = gst_bin_get_by_name (GST_BIN (pipeline), "source");
  caps = gst_caps_new_simple ("audio/x-raw", "format", G_TYPE_STRING, "S16LE",
                              "rate", G_TYPE_INT, (int) rate, "channels", G_TYPE_INT, 1,
                              "layout", G_TYPE_STRING, "interleaved", NULL);
  gst_app_src_set_caps (GST_APP_SRC (source), caps);
  buffer = gst_buffer_new_wrapped_bytes (pcm);
  GST_BUFFER_PTS (buffer) = 0;
  gst_app_src_push_buffer (GST_APP_SRC (source), buffer);
  gst_app_src_end_of_stream (GST_APP_SRC (source));
  return run_to_sink (pipeline, error);
}

GBytes *
dd_audio_decode_file (const char  *path,
                      GError     **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) decode = NULL;
  g_autofree char *uri = NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no file “%s”."), path);
      return NULL;
    }
  if (!ensure_gst (error))
    return NULL;
  uri = g_filename_to_uri (path, NULL, error);
  if (uri == NULL)
    return NULL;
  pipeline = gst_parse_launch ("uridecodebin name=decode ! audioconvert ! audioresample ! "
                               "audio/x-raw,format=S16LE,rate=8000,channels=1 ! "
                               "appsink name=sink sync=false", error);
  if (pipeline == NULL)
    return NULL;
  gst_object_ref_sink (pipeline);
  decode = gst_bin_get_by_name (GST_BIN (pipeline), "decode");
  g_object_set (decode, "uri", uri, NULL);
  return run_to_sink (pipeline, error);
}

GBytes *
dd_tts_prompt (const char  *text,
               const char  *language,
               GError     **error)
{
  g_autofree char *key = g_strconcat (voice_for (language), "\n", text, NULL);
  g_autoptr(GBytes) raw = NULL;
  GBytes *prompt;
  guint rate = 0;

  g_mutex_lock (&cache_lock);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) g_bytes_unref);
  prompt = g_hash_table_lookup (cache, key);
  if (prompt != NULL)
    {
      prompt = g_bytes_ref (prompt);
      g_mutex_unlock (&cache_lock);
      return prompt;
    }
  g_mutex_unlock (&cache_lock);

  raw = dd_tts_synthesize (text, language, &rate, error);
  if (raw == NULL)
    return NULL;
  prompt = dd_audio_resample_8k (raw, rate, error);
  if (prompt == NULL)
    return NULL;

  g_mutex_lock (&cache_lock);
  if (!g_hash_table_contains (cache, key))
    {
      char *stored = g_strdup (key);

      g_hash_table_insert (cache, stored, g_bytes_ref (prompt));
      g_queue_push_tail (&cache_order, stored);
      while (g_queue_get_length (&cache_order) > CACHE_SIZE)
        g_hash_table_remove (cache, g_queue_pop_head (&cache_order));
    }
  g_mutex_unlock (&cache_lock);
  return prompt;
}

void
dd_tts_clear_cache (void)
{
  g_mutex_lock (&cache_lock);
  g_queue_clear (&cache_order);
  g_clear_pointer (&cache, g_hash_table_unref);
  g_mutex_unlock (&cache_lock);
}
