/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-speaker.h"

static void
test_synthesize (void)
{
  g_autoptr(GError) error = NULL;
  guint rate = 0;
  g_autoptr(GBytes) pl = dd_speaker_synthesize ("Dzień dobry, tu biuro windykacji.", "pl", &rate,
                                                &error);
  g_autoptr(GBytes) ru = NULL;
  double seconds;

  g_assert_no_error (error);
  g_assert_cmpuint (rate, >=, 8000);
  seconds = g_bytes_get_size (pl) / 2.0 / rate;
  /* a short sentence: a second or three of speech, not silence and not noise */
  g_assert_cmpfloat (seconds, >, 0.8);
  g_assert_cmpfloat (seconds, <, 6.0);
  {
    gsize n;
    const gint16 *samples = g_bytes_get_data (pl, &n);
    double energy = 0;

    n /= 2;
    for (gsize i = 0; i < n; i++)
      energy += (double) samples[i] * samples[i];
    g_assert_cmpfloat (energy / n, >, 1e4);
  }
  ru = dd_speaker_synthesize ("Добрый день", "ru", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (ru), >, 0);
}

static void
on_said (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GError **out = user_data;
  GError *error = NULL;

  if (!dd_speaker_say_finish (DD_SPEAKER (source), result, &error) && error == NULL)
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "FALSE without an error");
  *out = error != NULL ? error : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "done");
}

static void
wait_for (GError **slot)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  while (*slot == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*slot);
}

static void
test_say_and_stop (void)
{
  DdSpeaker *speaker = dd_speaker_get_default ();
  GError *first = NULL;
  GError *second = NULL;
  gint64 start = g_get_monotonic_time ();

  /* played to its end (through the sound card, or silently without one, just as long) */
  dd_speaker_say_async (speaker, "Hello.", "en", NULL, on_said, &first);
  wait_for (&first);
  g_assert_error (first, G_IO_ERROR, G_IO_ERROR_EXISTS);   /* = finished, see on_said */
  g_assert_cmpint (g_get_monotonic_time () - start, >, 200 * G_TIME_SPAN_MILLISECOND);
  g_clear_error (&first);

  /* a new sentence stops the one playing */
  dd_speaker_say_async (speaker, "This is a long sentence that will not be heard to its end.",
                        "en", NULL, on_said, &first);
  dd_speaker_say_async (speaker, "Stop.", "en", NULL, on_said, &second);
  wait_for (&first);
  g_assert_error (first, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  wait_for (&second);
  g_assert_error (second, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&first);
  g_clear_error (&second);
  g_object_unref (speaker);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/ui/speaker/synthesize", test_synthesize);
  g_test_add_func ("/dd/ui/speaker/say-and-stop", test_say_and_stop);

  return g_test_run ();
}
