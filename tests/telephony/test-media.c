/* SPDX-License-Identifier: GPL-3.0-or-later */
/* In-band DTMF (Goertzel) and WAV files of the telephony engine. */
#include "config.h"

#include "dd-media-dtmf.h"
#include "dd-media-jbuf.h"
#include "dd-media-link.h"
#include "dd-media-wav.h"
#include "dd-tts.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

static void
test_dtmf_roundtrip (void)
{
  const char *sequence = "0123456789*#ABCD";
  g_autoptr(DdDtmfDetector) detector = dd_dtmf_detector_new (8000);
  g_autoptr(GString) heard = g_string_new (NULL);
  gint16 tone[800];      /* 100 ms */
  gint16 gap[800] = { 0 };

  for (const char *p = sequence; *p; p++)
    {
      char digits[8];
      gsize n;

      g_assert_true (dd_dtmf_synthesize (*p, 8000, 0.3, tone, G_N_ELEMENTS (tone)));
      /* a little noise on top, as a phone line has */
      for (guint i = 0; i < G_N_ELEMENTS (tone); i++)
        tone[i] = (gint16) CLAMP (tone[i] + (gint) ((i * 7919) % 601) - 300, -32768, 32767);
      n = dd_dtmf_detector_feed (detector, tone, G_N_ELEMENTS (tone), digits, sizeof digits);
      g_string_append_len (heard, digits, n);
      n = dd_dtmf_detector_feed (detector, gap, G_N_ELEMENTS (gap), digits, sizeof digits);
      g_string_append_len (heard, digits, n);
    }
  g_assert_cmpstr (heard->str, ==, sequence);
  g_assert_false (dd_dtmf_synthesize ('x', 8000, 0.3, tone, G_N_ELEMENTS (tone)));
}

static void
test_speech_is_not_dtmf (void)
{
  g_autoptr(DdDtmfDetector) detector = dd_dtmf_detector_new (8000);
  gint16 samples[8000];
  char digits[8];

  /* a voice-like mix of a few harmonics: no digit */
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    samples[i] = (gint16) (4000 * sin (2 * G_PI * 180 * i / 8000.0) +
                           3000 * sin (2 * G_PI * 360 * i / 8000.0) +
                           2000 * sin (2 * G_PI * 540 * i / 8000.0));
  g_assert_cmpuint (dd_dtmf_detector_feed (detector, samples, G_N_ELEMENTS (samples), digits,
                                           sizeof digits), ==, 0);
}

static void
test_wav_roundtrip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dd-wav-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "rec.wav", NULL);
  DdWavWriter *writer = dd_wav_writer_open (path, 8000, 1, &error);
  gint16 samples[1600];
  g_autoptr(GBytes) back = NULL;
  guint rate = 0, channels = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    samples[i] = (gint16) (i * 13);
  g_assert_true (dd_wav_writer_write (writer, samples, 1000));
  g_assert_true (dd_wav_writer_write (writer, samples + 1000, 600));
  g_assert_cmpuint (dd_wav_writer_get_frames (writer), ==, 1600);
  g_assert_true (dd_wav_writer_close (writer, &error));
  back = dd_wav_read (path, &rate, &channels, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rate, ==, 8000);
  g_assert_cmpuint (channels, ==, 1);
  g_assert_cmpuint (g_bytes_get_size (back), ==, sizeof samples);
  g_assert_cmpmem (g_bytes_get_data (back, NULL), sizeof samples, samples, sizeof samples);

  /* not a WAV file: a clear error */
  g_assert_true (g_file_set_contents (path, "RIFF....WAVEjunk", -1, NULL));
  g_clear_pointer (&back, g_bytes_unref);
  back = dd_wav_read (path, &rate, &channels, &error);
  g_assert_null (back);
  g_assert_nonnull (error);
  g_unlink (path);
  g_rmdir (dir);
}

static double
rms (GBytes *pcm)
{
  gsize size = 0;
  const gint16 *samples = g_bytes_get_data (pcm, &size);
  gsize n = size / sizeof (gint16);
  double sum = 0;

  for (gsize i = 0; i < n; i++)
    sum += (double) samples[i] * samples[i];
  return n > 0 ? sqrt (sum / n) : 0;
}

static void
test_tts_prompt (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pl = dd_tts_prompt ("Dzień dobry, Jan Kowalski. Faktura FV/1 na 120 złotych "
                                        "jest po terminie.", "pl", &error);
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GBytes) ru = NULL;
  double seconds;

  g_assert_no_error (error);
  seconds = g_bytes_get_size (pl) / 2.0 / 8000.0;
  /* a sentence of ten words: a few seconds of 8 kHz speech, not silence */
  g_assert_cmpfloat (seconds, >, 2.0);
  g_assert_cmpfloat (seconds, <, 12.0);
  g_assert_cmpfloat (rms (pl), >, 300);
  /* cached: the same prompt, not synthesised again */
  again = dd_tts_prompt ("Dzień dobry, Jan Kowalski. Faktura FV/1 na 120 złotych jest po "
                         "terminie.", "pl", &error);
  g_assert_true (again == pl);
  ru = dd_tts_prompt ("Здравствуйте, счёт просрочен.", "ru", &error);
  g_assert_no_error (error);
  g_assert_true (ru != pl);
  g_assert_cmpfloat (g_bytes_get_size (ru) / 2.0 / 8000.0, >, 1.0);
  dd_tts_clear_cache ();
}

static void
test_decode_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dd-audio-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "hold.wav", NULL);
  g_autofree char *cmd = g_strdup_printf ("sox -n -r 44100 -c 2 -b 16 '%s' synth 1.5 sine 440 "
                                          "2>/dev/null", path);
  g_autoptr(GBytes) pcm = NULL;
  g_autoptr(GBytes) missing = NULL;
  g_autofree char *nothing = g_build_filename (dir, "nothing.ogg", NULL);

  if (system (cmd) != 0)
    {
      g_test_skip ("sox is not installed");
      return;
    }
  pcm = dd_audio_decode_file (path, &error);
  g_assert_no_error (error);
  /* 1.5 s at 44.1 kHz stereo becomes 1.5 s at 8 kHz mono */
  g_assert_cmpint (ABS ((gssize) g_bytes_get_size (pcm) - 24000), <, 400);
  g_assert_cmpfloat (rms (pcm), >, 1000);

  missing = dd_audio_decode_file (nothing, &error);
  g_assert_null (missing);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (nothing, "not audio at all", -1, NULL));
  missing = dd_audio_decode_file (nothing, &error);
  g_assert_null (missing);
  g_assert_nonnull (error);
  g_unlink (nothing);
  g_unlink (path);
  g_rmdir (dir);
}

/* Feeds frames whose one byte is their number; returns what play-out gives, one char per tick:
 * the frame's number as a letter from 'a', '.' for lost, '-' for nothing. */
static char *
play_out (DdJitterBuffer *jbuf,
          guint           ticks)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < ticks; i++)
    {
      guint8 frame[4];
      gsize len = 0;

      switch (dd_jitter_buffer_get (jbuf, frame, &len))
        {
        case DD_JITTER_FRAME:
          g_assert_cmpuint (len, ==, 1);
          g_string_append_c (out, (char) ('a' + frame[0]));
          break;
        case DD_JITTER_LOST:
          g_string_append_c (out, '.');
          break;
        case DD_JITTER_EMPTY:
          g_string_append_c (out, '-');
          break;
        }
    }
  return g_string_free (out, FALSE);
}

static void
put (DdJitterBuffer *jbuf,
     guint16         seq,
     guint8          value)
{
  dd_jitter_buffer_put (jbuf, seq, &value, 1);
}

static void
test_jitter_reorder (void)
{
  g_autoptr(DdJitterBuffer) jbuf = dd_jitter_buffer_new (3, 4);
  static const guint8 order[] = { 1, 0, 2, 4, 3, 6, 5, 7 };
  g_autofree char *first = NULL;
  g_autofree char *rest = NULL;
  DdJitterBufferStats stats;

  /* nothing plays before three frames are held */
  g_assert_cmpint (dd_jitter_buffer_get (jbuf, (guint8[4]) { 0 }, &(gsize) { 0 }), ==,
                   DD_JITTER_EMPTY);
  put (jbuf, 1000 + order[0], order[0]);
  put (jbuf, 1000 + order[1], order[1]);
  first = play_out (jbuf, 1);
  g_assert_cmpstr (first, ==, "-");
  /* swapped pairs come out in order; the first packet seen was not the first frame, yet the
   * earlier one still found its place because play-out had not begun */
  for (guint i = 2; i < G_N_ELEMENTS (order); i++)
    put (jbuf, 1000 + order[i], order[i]);
  rest = play_out (jbuf, 10);
  g_assert_cmpstr (rest, ==, "abcdefgh--");
  dd_jitter_buffer_get_stats (jbuf, &stats);
  g_assert_cmpuint (stats.played, ==, 8);
  g_assert_cmpuint (stats.lost, ==, 0);
}

static void
test_jitter_loss_late_duplicate (void)
{
  g_autoptr(DdJitterBuffer) jbuf = dd_jitter_buffer_new (2, 4);
  g_autofree char *out1 = NULL;
  g_autofree char *out2 = NULL;
  DdJitterBufferStats stats;

  put (jbuf, 10, 0);
  put (jbuf, 11, 1);
  g_assert_false (dd_jitter_buffer_put (jbuf, 11, (guint8[]) { 1 }, 1));  /* duplicate */
  put (jbuf, 13, 3);                                                      /* 12 is lost */
  put (jbuf, 14, 4);
  out1 = play_out (jbuf, 3);
  g_assert_cmpstr (out1, ==, "ab.");
  /* 12 arrives after its turn: too late */
  g_assert_false (dd_jitter_buffer_put (jbuf, 12, (guint8[]) { 2 }, 1));
  g_assert_false (dd_jitter_buffer_put (jbuf, 15, (guint8[]) { 5 }, 9));  /* too big */
  out2 = play_out (jbuf, 3);
  /* runs dry after 14, then waits to fill up again */
  g_assert_cmpstr (out2, ==, "de-");
  /* while it waits, a frame older than those played is still late, not replayed */
  g_assert_false (dd_jitter_buffer_put (jbuf, 13, (guint8[]) { 3 }, 1));
  dd_jitter_buffer_get_stats (jbuf, &stats);
  g_assert_cmpuint (stats.lost, ==, 1);
  g_assert_cmpuint (stats.late, ==, 2);
  g_assert_cmpuint (stats.duplicate, ==, 1);
  g_assert_cmpuint (stats.played, ==, 4);
}

static void
test_jitter_wrap_and_restart (void)
{
  g_autoptr(DdJitterBuffer) jbuf = dd_jitter_buffer_new (2, 4);
  g_autofree char *out1 = NULL;
  g_autofree char *out2 = NULL;
  DdJitterBufferStats stats;

  /* across 65535 → 0, out of order */
  put (jbuf, 65534, 0);
  put (jbuf, 0, 2);
  put (jbuf, 65535, 1);
  put (jbuf, 1, 3);
  out1 = play_out (jbuf, 4);
  g_assert_cmpstr (out1, ==, "abcd");
  /* a new stream far away: starts over, no storm of losses */
  put (jbuf, 30000, 7);
  put (jbuf, 30001, 8);
  out2 = play_out (jbuf, 2);
  g_assert_cmpstr (out2, ==, "hi");
  dd_jitter_buffer_get_stats (jbuf, &stats);
  g_assert_cmpuint (stats.restarts, ==, 1);
  g_assert_cmpuint (stats.lost, ==, 0);
  g_assert_cmpuint (dd_jitter_buffer_get_level (jbuf), ==, 0);
}

static void
test_jitter_overflow (void)
{
  g_autoptr(DdJitterBuffer) jbuf = dd_jitter_buffer_new (1, 4);   /* a ring of 4 */
  g_autofree char *out = NULL;
  DdJitterBufferStats stats;

  /* nobody plays for a while: the newest frames push the oldest out */
  for (guint i = 0; i < 6; i++)
    put (jbuf, (guint16) i, (guint8) i);
  g_assert_cmpuint (dd_jitter_buffer_get_level (jbuf), ==, 4);
  out = play_out (jbuf, 5);
  g_assert_cmpstr (out, ==, "cdef-");
  dd_jitter_buffer_get_stats (jbuf, &stats);
  g_assert_cmpuint (stats.lost, ==, 2);
}

static void
on_speaker (const gint16 *samples,
            gsize         n,
            gpointer      user_data)
{
  g_array_append_vals (user_data, samples, n);
}

static void
test_media_link (void)
{
  g_autoptr(DdMediaLink) link = dd_media_link_new ();
  g_autoptr(GArray) spoken = g_array_new (FALSE, FALSE, sizeof (gint16));
  gint16 in[2000], out[160];

  for (guint i = 0; i < G_N_ELEMENTS (in); i++)
    in[i] = (gint16) (i + 1);
  /* nothing from the microphone yet: silence */
  g_assert_cmpuint (dd_media_link_take_microphone (link, out, 160), ==, 0);
  g_assert_cmpint (out[0], ==, 0);
  g_assert_cmpint (out[159], ==, 0);
  /* in order, and what is short is silence */
  dd_media_link_put_microphone (link, in, 100);
  g_assert_cmpuint (dd_media_link_take_microphone (link, out, 160), ==, 100);
  g_assert_cmpint (out[0], ==, 1);
  g_assert_cmpint (out[99], ==, 100);
  g_assert_cmpint (out[100], ==, 0);
  /* a microphone that runs ahead keeps only the newest 200 ms */
  dd_media_link_put_microphone (link, in, 1000);
  dd_media_link_put_microphone (link, in + 1000, 1000);
  g_assert_cmpuint (dd_media_link_get_microphone_level (link), ==, 1600);
  g_assert_cmpuint (dd_media_link_take_microphone (link, out, 160), ==, 160);
  g_assert_cmpint (out[0], ==, 401);
  dd_media_link_put_microphone (link, in, G_N_ELEMENTS (in));   /* more than fits at once */
  g_assert_cmpuint (dd_media_link_get_microphone_level (link), ==, 1600);
  g_assert_cmpuint (dd_media_link_take_microphone (link, out, 160), ==, 160);
  g_assert_cmpint (out[0], ==, 401);
  /* the speaker side: to whoever listens, and to nobody after */
  dd_media_link_speak (link, in, 10);
  dd_media_link_set_speaker (link, on_speaker, spoken);
  dd_media_link_speak (link, in, 10);
  dd_media_link_set_speaker (link, NULL, NULL);
  dd_media_link_speak (link, in, 10);
  g_assert_cmpuint (spoken->len, ==, 10);
  g_assert_cmpint (g_array_index (spoken, gint16, 9), ==, 10);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dd/media/dtmf-roundtrip", test_dtmf_roundtrip);
  g_test_add_func ("/dd/media/speech-is-not-dtmf", test_speech_is_not_dtmf);
  g_test_add_func ("/dd/media/wav-roundtrip", test_wav_roundtrip);
  g_test_add_func ("/dd/media/link", test_media_link);
  g_test_add_func ("/dd/media/jitter/reorder", test_jitter_reorder);
  g_test_add_func ("/dd/media/jitter/loss-late-duplicate", test_jitter_loss_late_duplicate);
  g_test_add_func ("/dd/media/jitter/wrap-and-restart", test_jitter_wrap_and_restart);
  g_test_add_func ("/dd/media/jitter/overflow", test_jitter_overflow);
  g_test_add_func ("/dd/media/tts-prompt", test_tts_prompt);
  g_test_add_func ("/dd/media/decode-file", test_decode_file);
  return g_test_run ();
}
