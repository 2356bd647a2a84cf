/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "amd-samples.h"

#include "dd-test-util.h"

#include <math.h>

gboolean
dd_amd_samples_available (void)
{
  return dd_test_have_program ("espeak-ng") && dd_test_have_program ("sox");
}

static gboolean
run (const char * const  *argv,
     GError             **error)
{
  int wait_status = 0;

  return g_spawn_sync (NULL, (char **) argv, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                       &wait_status, error)
         && g_spawn_check_wait_status (wait_status, error);
}

/* espeak-ng's 22 kHz speech as the phone carries it: 300–3400 Hz, 8 kHz mono S16. */
static GBytes *
speak (const char  *dir,
       const char  *voice,
       const char  *text,
       GError     **error)
{
  g_autofree char *wav = g_build_filename (dir, "speech.wav", NULL);
  g_autofree char *raw = g_build_filename (dir, "speech.raw", NULL);
  const char *espeak[] = { "espeak-ng", "-v", voice, "-w", wav, text, NULL };
  const char *sox[] = { "sox", wav, "-t", "raw", "-r", "8000", "-c", "1", "-b", "16",
                        "-e", "signed-integer", "-L", raw, "sinc", "300-3400", NULL };
  char *data = NULL;
  gsize size = 0;

  if (!run (espeak, error) || !run (sox, error) ||
      !g_file_get_contents (raw, &data, &size, error))
    return NULL;
  return g_bytes_new_take (data, size);
}

GBytes *
dd_amd_sample_make (const char  *voice,
                    const char  *text,
                    guint        lead_ms,
                    guint        tail_ms,
                    double       noise,
                    guint32      seed,
                    GError     **error)
{
  g_autoptr(GBytes) speech = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree char *dir = NULL;
  gsize n_speech = 0, n_lead = 8 * lead_ms, n_tail = 8 * tail_ms, n;
  const guint8 *bytes;
  gint16 *pcm;

  if (text != NULL)
    {
      dir = g_dir_make_tmp ("dd-amd-sample-XXXXXX", error);
      if (dir == NULL)
        return NULL;
      speech = speak (dir, voice, text, error);
      dd_test_remove_tree (dir);
      if (speech == NULL)
        return NULL;
      n_speech = g_bytes_get_size (speech) / 2;
    }
  n = n_lead + n_speech + n_tail;
  pcm = g_new0 (gint16, n);
  bytes = speech != NULL ? g_bytes_get_data (speech, NULL) : NULL;
  for (gsize i = 0; i < n_speech; i++)   /* sox wrote little-endian */
    pcm[n_lead + i] = (gint16) (bytes[2 * i] | (bytes[2 * i + 1] << 8));
  /* uniform white noise of mean amplitude @noise spans ±2 @noise */
  for (gsize i = 0; noise > 0 && i < n; i++)
    {
      double sample = pcm[i] + g_rand_double_range (rand, -2 * noise, 2 * noise);

      pcm[i] = (gint16) CLAMP (lround (sample), G_MININT16, G_MAXINT16);
    }
  return g_bytes_new_take (pcm, n * sizeof (gint16));
}
