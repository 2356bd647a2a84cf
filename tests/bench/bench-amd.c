/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The answering-machine detector (issue 15, "Answering machines") on recordings made here with
 * espeak-ng and sox: 10 people answering briefly ("Halo?", "Tak, słucham" after a second…),
 * 10 voicemail greetings and 5 silent lines, in Polish, Russian and English, under white noise
 * of different strength. Prints each verdict and the confusion table; the detector's classic
 * parameters, unchanged. Exit 1 when fewer than 80 % are right. */
#include "config.h"

#include "amd-samples.h"
#include "dd-answering-machine.h"

#include <stdio.h>

typedef enum { HUMAN, MACHINE, SILENCE, N_CLASSES } Class;

static const char * const class_names[N_CLASSES] = { "person", "voicemail", "silence" };

static const struct
{
  Class       truth;
  const char *voice;
  const char *text;
  guint       lead_ms;
} samples[] = {
  { HUMAN, "pl", "Halo?", 300 },
  { HUMAN, "pl", "Tak, słucham", 1000 },
  { HUMAN, "pl", "Słucham?", 600 },
  { HUMAN, "pl", "Dzień dobry, słucham?", 200 },   /* three words: the classic rules' blind spot */
  { HUMAN, "ru", "Алло?", 400 },
  { HUMAN, "ru", "Да, слушаю", 800 },
  { HUMAN, "ru", "Да?", 1200 },
  { HUMAN, "en", "Hello?", 300 },
  { HUMAN, "en", "Yes, hello?", 700 },
  { HUMAN, "en", "Hi?", 1500 },
  { MACHINE, "pl", "Dzień dobry, dodzwoniłeś się do poczty głosowej Jana Kowalskiego, proszę "
                   "zostawić wiadomość po sygnale.", 400 },
  { MACHINE, "pl", "Abonent jest chwilowo niedostępny. Proszę zostawić wiadomość po usłyszeniu "
                   "sygnału.", 200 },
  { MACHINE, "pl", "Witamy w firmie Nowak. Nie możemy teraz odebrać, prosimy o wiadomość.", 600 },
  { MACHINE, "pl", "Cześć, tu Ania. Nie mogę teraz rozmawiać, nagraj się.", 900 },
  { MACHINE, "ru", "Здравствуйте, вы позвонили Ивану Петрову. Оставьте сообщение после "
                   "сигнала.", 300 },
  { MACHINE, "ru", "Абонент временно недоступен. Пожалуйста, оставьте сообщение.", 500 },
  { MACHINE, "ru", "Привет, это Маша, перезвоню позже.", 800 },
  { MACHINE, "en", "Hi, you have reached John Smith. Please leave a message after the tone.", 300 },
  { MACHINE, "en", "The person you are calling is not available. Please leave a message.", 200 },
  { MACHINE, "en", "Hello, this is Kate, I can't take your call right now.", 700 },
  { SILENCE, NULL, NULL, 0 },
  { SILENCE, NULL, NULL, 0 },
  { SILENCE, NULL, NULL, 0 },
  { SILENCE, NULL, NULL, 0 },
  { SILENCE, NULL, NULL, 0 },
};

/* the white noise's mean amplitude, in turn (the detector's fixed threshold is 256) */
static const double noise_levels[] = { 0, 50, 150, 300, 500 };

static gboolean
is_right (Class                     truth,
          DdAnsweringMachineVerdict verdict)
{
  /* a line that stays silent is a machine by the classic initial-silence rule */
  return verdict == (truth == HUMAN ? DD_ANSWERING_MACHINE_VERDICT_HUMAN
                                    : DD_ANSWERING_MACHINE_VERDICT_MACHINE);
}

/* Runs the detector over every recording; prints each verdict and the table; returns how
 * many were right. */
static guint
run_set (GBytes   **recordings,
         gboolean   adapt_to_noise)
{
  guint table[N_CLASSES][4] = { { 0 } };
  double decided_ms[N_CLASSES] = { 0 };
  guint right = 0;

  printf ("amd: %s\n", adapt_to_noise ? "the threshold rising with the line's noise (default)"
                                       : "the fixed threshold alone (adapt-to-noise FALSE)");
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autoptr(DdAnsweringMachine) amd = g_object_new (DD_TYPE_ANSWERING_MACHINE,
                                                        "adapt-to-noise", adapt_to_noise,
                                                        NULL);
      gsize size = 0;
      const gint16 *data = g_bytes_get_data (recordings[i], &size);
      DdAnsweringMachineVerdict verdict = DD_ANSWERING_MACHINE_VERDICT_UNDECIDED;
      g_autofree char *text = NULL;

      /* as RTP brings it: 20 ms at a time */
      for (gsize at = 0; at < size / 2 && verdict == DD_ANSWERING_MACHINE_VERDICT_UNDECIDED;
           at += 160)
        verdict = dd_answering_machine_feed (amd, data + at, MIN (160, size / 2 - at));
      table[samples[i].truth][verdict]++;
      right += is_right (samples[i].truth, verdict);
      decided_ms[samples[i].truth] += dd_answering_machine_get_elapsed_ms (amd);
      text = g_strdup (samples[i].text ? samples[i].text : "(silence)");
      if (g_utf8_strlen (text, -1) > 36)
        g_utf8_offset_to_pointer (text, 36)[0] = '\0';
      printf ("amd: %-9s %-2s noise %3.0f  %s%*s -> %-9s (%s) after %u ms, %u words\n",
              class_names[samples[i].truth], samples[i].voice ? samples[i].voice : "-",
              noise_levels[i % G_N_ELEMENTS (noise_levels)], text,
              (int) (36 - g_utf8_strlen (text, -1)), "",
              dd_answering_machine_verdict_to_string (verdict),
              dd_answering_machine_reason_to_string (dd_answering_machine_get_reason (amd)),
              dd_answering_machine_get_elapsed_ms (amd), dd_answering_machine_get_words (amd));
    }

  printf ("amd: confusion table (rows: what answered; columns: the verdict)\n");
  printf ("amd: %-10s %6s %8s %9s\n", "", "human", "machine", "not sure");
  for (guint c = 0; c < N_CLASSES; c++)
    {
      guint n = table[c][0] + table[c][1] + table[c][2] + table[c][3];

      g_assert_cmpuint (table[c][DD_ANSWERING_MACHINE_VERDICT_UNDECIDED], ==, 0);
      printf ("amd: %-10s %6u %8u %9u   (decided after %.0f ms on average)\n", class_names[c],
              table[c][DD_ANSWERING_MACHINE_VERDICT_HUMAN],
              table[c][DD_ANSWERING_MACHINE_VERDICT_MACHINE],
              table[c][DD_ANSWERING_MACHINE_VERDICT_NOT_SURE], decided_ms[c] / MAX (n, 1));
    }
  printf ("amd: %u of %u right (%.0f %%)\n\n", right, (guint) G_N_ELEMENTS (samples),
          100.0 * right / G_N_ELEMENTS (samples));
  return right;
}

int
main (int    argc,
      char **argv)
{
  GBytes *recordings[G_N_ELEMENTS (samples)];
  guint right;

  if (!dd_amd_samples_available ())
    {
      printf ("amd: espeak-ng or sox is not installed: skipped\n");
      return 77;
    }
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autoptr(GError) error = NULL;
      guint tail_ms = samples[i].truth == SILENCE ? 6000 : 4000;

      recordings[i] = dd_amd_sample_make (samples[i].voice, samples[i].text, samples[i].lead_ms,
                                          tail_ms, noise_levels[i % G_N_ELEMENTS (noise_levels)],
                                          i + 1, &error);
      if (recordings[i] == NULL)
        {
          g_printerr ("amd: %s\n", error->message);
          return 1;
        }
    }
  right = run_set (recordings, TRUE);
  run_set (recordings, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    g_bytes_unref (recordings[i]);
  return right * 5 >= G_N_ELEMENTS (samples) * 4 ? 0 : 1;
}
