/* SPDX-License-Identifier: GPL-3.0-or-later */
/* In-band DTMF (Goertzel) and WAV files of the telephony engine. */
#include "config.h"

#include "dd-media-dtmf.h"
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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/media/dtmf-roundtrip", test_dtmf_roundtrip);
  g_test_add_func ("/media/speech-is-not-dtmf", test_speech_is_not_dtmf);
  g_test_add_func ("/media/wav-roundtrip", test_wav_roundtrip);
  g_test_add_func ("/media/tts-prompt", test_tts_prompt);
  g_test_add_func ("/media/decode-file", test_decode_file);
  return g_test_run ();
}
