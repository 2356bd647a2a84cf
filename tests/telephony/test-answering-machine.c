/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The answering-machine detector: each rule on made-up sound (tone bursts for words), its
 * parameters, chunking and reset; then on speech made at test time with espeak-ng and sox
 * ("Halo?", a 6-second voicemail greeting, silence, "Tak, słucham" after a second). */
#include "config.h"

#include "amd-samples.h"
#include "dd-answering-machine.h"

#include <math.h>

/* Sound made of pieces: silence or a 400 Hz tone (a "word"), with optional white noise. */
typedef struct
{
  GArray *pcm;
  GRand  *rand;
  double  noise;
} Sound;

static void
sound_init (Sound  *sound,
            double  noise)
{
  sound->pcm = g_array_new (FALSE, FALSE, sizeof (gint16));
  sound->rand = g_rand_new_with_seed (42);
  sound->noise = noise;
}

static void
sound_clear (Sound *sound)
{
  g_array_unref (sound->pcm);
  g_rand_free (sound->rand);
}

static void
add (Sound    *sound,
     gboolean  tone,
     guint     ms)
{
  for (guint i = 0; i < 8 * ms; i++)
    {
      double sample = tone ? 4000 * sin (2 * G_PI * 400 * i / 8000.0) : 0;
      gint16 value;

      if (sound->noise > 0)
        sample += g_rand_double_range (sound->rand, -2 * sound->noise, 2 * sound->noise);
      value = (gint16) lround (sample);
      g_array_append_val (sound->pcm, value);
    }
}

/* Feeds all of @sound in chunks of @chunk samples; the verdict. */
static DdAnsweringMachineVerdict
feed (DdAnsweringMachine *amd,
      Sound              *sound,
      gsize               chunk)
{
  DdAnsweringMachineVerdict verdict = DD_ANSWERING_MACHINE_VERDICT_UNDECIDED;

  for (gsize at = 0; at < sound->pcm->len; at += chunk)
    verdict = dd_answering_machine_feed (amd, &g_array_index (sound->pcm, gint16, at),
                                         MIN (chunk, sound->pcm->len - at));
  return verdict;
}

static void
assert_verdict (DdAnsweringMachine        *amd,
                DdAnsweringMachineVerdict  verdict,
                DdAnsweringMachineReason   reason,
                guint                      elapsed_ms)
{
  g_test_message ("%s (%s) after %u ms",
                  dd_answering_machine_verdict_to_string (dd_answering_machine_get_verdict (amd)),
                  dd_answering_machine_reason_to_string (dd_answering_machine_get_reason (amd)),
                  dd_answering_machine_get_elapsed_ms (amd));
  g_assert_cmpint (dd_answering_machine_get_verdict (amd), ==, verdict);
  g_assert_cmpint (dd_answering_machine_get_reason (amd), ==, reason);
  if (elapsed_ms > 0)
    g_assert_cmpuint (dd_answering_machine_get_elapsed_ms (amd), ==, elapsed_ms);
}

/* Nothing said: a machine once initial-silence has passed (2.5 s, or as set). */
static void
test_initial_silence (void)
{
  g_autoptr(DdAnsweringMachine) amd = dd_answering_machine_new ();
  Sound sound;

  sound_init (&sound, 0);
  add (&sound, FALSE, 2480);
  g_assert_cmpint (feed (amd, &sound, 160), ==, DD_ANSWERING_MACHINE_VERDICT_UNDECIDED);
  add (&sound, FALSE, 1000);
  dd_answering_machine_reset (amd);
  g_assert_cmpint (feed (amd, &sound, 160), ==, DD_ANSWERING_MACHINE_VERDICT_MACHINE);
  assert_verdict (amd, DD_ANSWERING_MACHINE_VERDICT_MACHINE,
                  DD_ANSWERING_MACHINE_REASON_INITIAL_SILENCE, 2500);

  g_object_set (amd, "initial-silence", 1000, NULL);
  dd_answering_machine_reset (amd);
  feed (amd, &sound, 160);
  assert_verdict (amd, DD_ANSWERING_MACHINE_VERDICT_MACHINE,
                  DD_ANSWERING_MACHINE_REASON_INITIAL_SILENCE, 1000);
  sound_clear (&sound);
}

/* "Halo?" and then waiting for us: a person, once after-greeting-silence has passed. */
static void
test_short_greeting (void)
{
  g_autoptr(DdAnsweringMachine) amd = dd_answering_machine_new ();
  Sound sound;

  sound_init (&sound, 0);
  add (&sound, FALSE, 300);
  add (&sound, TRUE, 600);
  add (&sound, FALSE, 2000);
  feed (amd, &sound, 160);
  assert_verdict (amd, DD_ANSWERING_MACHINE_VERDICT_HUMAN,
                  DD_ANSWERING_MACHINE_REASON_SHORT_GREETING, 300 + 600 + 800);
  g_assert_cmpuint (dd_answering_machine_get_words (amd), ==, 1);

  /* the same with a longer pause allowed: still listening when the sound ends */
  g_object_set (amd, "after-greeting-silence", 2500, NULL);
  dd_answering_machine_reset (amd);
  g_assert_cmpint (feed (amd, &sound, 160), ==, DD_ANSWERING_MACHINE_VERDICT_UNDECIDED);
  sound_clear (&sound);
}

/* Speaking on and on: a machine once the greeting has lasted 1.5 s (or as set). */
static void
test_long_greeting (void)
{
  g_autoptr(DdAnsweringMachine) amd = dd_answering_machine_new ();
  Sound sound;

  sound_init (&sound, 0);
  add (&sound, FALSE, 300);
  add (&sound, TRUE, 3000);
  feed (amd, &sound, 160);
  assert_verdict (amd, DD_ANSWERING_MACHINE_VERDICT_MACHINE,
                  DD_ANSWERING_MACHINE_REASON_LONG_GREETING, 300 + 1500);

  g_object_set (amd, "greeting", 2000, NULL);
  dd_answering_machine_reset (amd);
  feed (amd, &sound, 160);
  assert_verdict (amd, DD_ANSWERING_MACHINE_VERDICT_MACHINE,
                  DD_ANSWERING_MACHINE_REASON_LONG_GREETING, 300 + 2000);

  /* one word longer than maximum-word-length, when the greeting may be longer */
  g_object_set (amd, "greeting", 10000, "maximum-word-length", 1200, NULL);
  dd_answering_machine_reset (amd);
  feed (amd, &sound, 160);
  assert_verdict (amd, DD_ANSWERING_MACHINE_VERDICT_MACHINE,
                  DD_ANSWERING_MACHINE_REASON_LONG_WORD, 300 + 1200);
  sound_clear (&sound);
}

/* Words of 200 ms with 100 ms pauses: the third word is one too many (maximum-words 2);
 * pauses shorter than between-words-silence do not end a word. */
static void
test_words (void)
{
  g_autoptr(DdAnsweringMachine) amd = dd_answering_machine_new ();
  Sound sound;

  sound_init (&sound, 0);
  add (&sound, FALSE, 300);
  for (guint i = 0; i < 5; i++)
    {
      add (&sound, TRUE, 200);
      add (&sound, FALSE, 100);
    }
  add (&sound, FALSE, 2000);
  feed (amd, &sound, 160);
  /* the third word starts at 900 ms and is one after minimum-word-length (100 ms) */
  assert_verdict (amd, DD_ANSWERING_MACHINE_VERDICT_MACHINE,
                  DD_ANSWERING_MACHINE_REASON_TOO_MANY_WORDS, 1000);
  g_assert_cmpuint (dd_answering_machine_get_words (amd), ==, 3);

  /* five words allowed: the pause after them decides (a person who spoke a little longer) */
  g_object_set (amd, "maximum-words", 5, NULL);
  dd_answering_machine_reset (amd);
  feed (amd, &sound, 160);
  assert_verdict (amd, DD_ANSWERING_MACHINE_VERDICT_HUMAN,
                  DD_ANSWERING_MACHINE_REASON_SHORT_GREETING, 300 + 1500 + 800 - 100);
  g_assert_cmpuint (dd_answering_machine_get_words (amd), ==, 5);

  /* with pauses shorter than between-words-silence, the five are one word */
  g_object_set (amd, "maximum-words", 2, "between-words-silence", 150, NULL);
  dd_answering_machine_reset (amd);
  feed (amd, &sound, 160);
  g_assert_cmpuint (dd_answering_machine_get_words (amd), ==, 1);
  sound_clear (&sound);
}

/* Nothing decides within total-analysis-time: not sure. */
static void
test_time_up (void)
{
  g_autoptr(DdAnsweringMachine) amd = g_object_new (DD_TYPE_ANSWERING_MACHINE,
                                                    "greeting", 20000,
                                                    "maximum-words", 100, NULL);
  Sound sound;

  sound_init (&sound, 0);
  for (guint i = 0; i < 30; i++)
    {
      add (&sound, TRUE, 200);
      add (&sound, FALSE, 100);
    }
  feed (amd, &sound, 160);
  assert_verdict (amd, DD_ANSWERING_MACHINE_VERDICT_NOT_SURE,
                  DD_ANSWERING_MACHINE_REASON_TIME_UP, 5000);
  sound_clear (&sound);
}

/* A line that brings no sound at all (a peer that sends no RTP, as sipp callees): not sure
 * after no-audio-time, whatever initial-silence says; sound that stops: the total analysis
 * time still runs out. */
static void
test_no_audio (void)
{
  g_autoptr(DdAnsweringMachine) amd = dd_answering_machine_new ();
  Sound sound;
  guint ticks = 0;

  while (dd_answering_machine_hear_nothing (amd, 20) == DD_ANSWERING_MACHINE_VERDICT_UNDECIDED)
    g_assert_cmpuint (++ticks, <, 1000);
  g_assert_cmpuint (ticks, ==, 1000 / 20 - 1);
  g_assert_cmpint (dd_answering_machine_get_verdict (amd), ==,
                   DD_ANSWERING_MACHINE_VERDICT_NOT_SURE);
  g_assert_cmpint (dd_answering_machine_get_reason (amd), ==,
                   DD_ANSWERING_MACHINE_REASON_NO_AUDIO);
  /* decided: later sound changes nothing */
  sound_init (&sound, 0);
  add (&sound, FALSE, 3000);
  feed (amd, &sound, 160);
  g_assert_cmpint (dd_answering_machine_get_reason (amd), ==,
                   DD_ANSWERING_MACHINE_REASON_NO_AUDIO);
  sound_clear (&sound);

  /* a word, then the stream stops: not sure when the 5 s are over, never stuck */
  dd_answering_machine_reset (amd);
  sound_init (&sound, 0);
  add (&sound, TRUE, 400);
  feed (amd, &sound, 160);
  g_assert_cmpint (dd_answering_machine_get_verdict (amd), ==,
                   DD_ANSWERING_MACHINE_VERDICT_UNDECIDED);
  ticks = 0;
  while (dd_answering_machine_hear_nothing (amd, 20) == DD_ANSWERING_MACHINE_VERDICT_UNDECIDED)
    g_assert_cmpuint (++ticks, <, 1000);
  g_assert_cmpuint (ticks, ==, (5000 - 400) / 20 - 1);
  g_assert_cmpint (dd_answering_machine_get_reason (amd), ==,
                   DD_ANSWERING_MACHINE_REASON_TIME_UP);
  sound_clear (&sound);
}

static void
on_decided (DdAnsweringMachine        *amd,
            DdAnsweringMachineVerdict  verdict,
            DdAnsweringMachineReason   reason,
            GString                   *log)
{
  g_string_append_printf (log, "%s/%s;", dd_answering_machine_verdict_to_string (verdict),
                          dd_answering_machine_reason_to_string (reason));
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

/* Any chunk size gives the same verdict at the same moment; the signal comes once; what comes
 * after the verdict is ignored; reset starts over. */
static void
test_chunks_and_signal (void)
{
  static const gsize chunks[] = { 1, 7, 160, 161, 1000, 100000 };
  g_autoptr(DdAnsweringMachine) amd = dd_answering_machine_new ();
  g_autoptr(GString) log = g_string_new (NULL);
  guint notified = 0;
  Sound sound;

  sound_init (&sound, 30);
  add (&sound, FALSE, 500);
  add (&sound, TRUE, 700);
  add (&sound, FALSE, 3000);
  g_signal_connect (amd, "decided", G_CALLBACK (on_decided), log);
  g_signal_connect (amd, "notify::verdict", G_CALLBACK (on_notify), &notified);
  for (guint i = 0; i < G_N_ELEMENTS (chunks); i++)
    {
      dd_answering_machine_reset (amd);
      g_string_truncate (log, 0);
      feed (amd, &sound, chunks[i]);
      assert_verdict (amd, DD_ANSWERING_MACHINE_VERDICT_HUMAN,
                      DD_ANSWERING_MACHINE_REASON_SHORT_GREETING, 500 + 700 + 800);
      g_assert_cmpstr (log->str, ==, "human/short greeting;");
      /* more sound changes nothing */
      feed (amd, &sound, 160);
      assert_verdict (amd, DD_ANSWERING_MACHINE_VERDICT_HUMAN,
                      DD_ANSWERING_MACHINE_REASON_SHORT_GREETING, 500 + 700 + 800);
      g_assert_cmpstr (log->str, ==, "human/short greeting;");
    }
  /* notified when decided, and when a reset took the verdict back */
  g_assert_cmpuint (notified, ==, 2 * G_N_ELEMENTS (chunks) - 1);
  dd_answering_machine_reset (amd);
  assert_verdict (amd, DD_ANSWERING_MACHINE_VERDICT_UNDECIDED,
                  DD_ANSWERING_MACHINE_REASON_NONE, 0);
  g_assert_cmpuint (dd_answering_machine_get_elapsed_ms (amd), ==, 0);
  g_assert_cmpuint (dd_answering_machine_get_words (amd), ==, 0);
  sound_clear (&sound);
}

/* A noisy line (mean noise 400, above the fixed threshold of 256): the threshold rises with the
 * noise, so silence stays silence and a short greeting is one; the fixed threshold alone hears
 * the noise as a greeting that never ends. */
static void
test_noisy_line (void)
{
  g_autoptr(DdAnsweringMachine) amd = dd_answering_machine_new ();
  Sound silence, hello;

  sound_init (&silence, 400);
  add (&silence, FALSE, 4000);
  sound_init (&hello, 400);
  add (&hello, FALSE, 400);
  add (&hello, TRUE, 500);
  add (&hello, FALSE, 3000);

  feed (amd, &silence, 160);
  assert_verdict (amd, DD_ANSWERING_MACHINE_VERDICT_MACHINE,
                  DD_ANSWERING_MACHINE_REASON_INITIAL_SILENCE, 2500);
  dd_answering_machine_reset (amd);
  feed (amd, &hello, 160);
  assert_verdict (amd, DD_ANSWERING_MACHINE_VERDICT_HUMAN,
                  DD_ANSWERING_MACHINE_REASON_SHORT_GREETING, 400 + 500 + 800);

  g_object_set (amd, "adapt-to-noise", FALSE, NULL);
  dd_answering_machine_reset (amd);
  feed (amd, &silence, 160);
  assert_verdict (amd, DD_ANSWERING_MACHINE_VERDICT_MACHINE,
                  DD_ANSWERING_MACHINE_REASON_LONG_GREETING, 1500);
  sound_clear (&silence);
  sound_clear (&hello);
}

/* Speech made here with espeak-ng and sox, as the phone carries it, under light noise. */
static DdAnsweringMachineVerdict
hear (const char               *voice,
      const char               *text,
      guint                     lead_ms,
      guint                     tail_ms,
      guint                     min_length_ms,
      DdAnsweringMachineReason *reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdAnsweringMachine) amd = dd_answering_machine_new ();
  g_autoptr(GBytes) pcm = dd_amd_sample_make (voice, text, lead_ms, tail_ms, 40, 7, &error);
  DdAnsweringMachineVerdict verdict = DD_ANSWERING_MACHINE_VERDICT_UNDECIDED;
  const gint16 *samples;
  gsize size = 0;

  g_assert_no_error (error);
  samples = g_bytes_get_data (pcm, &size);
  g_assert_cmpuint (size / 16, >=, min_length_ms);   /* 8 samples of 2 bytes a millisecond */
  for (gsize at = 0; at < size / 2 && verdict == DD_ANSWERING_MACHINE_VERDICT_UNDECIDED;
       at += 160)
    verdict = dd_answering_machine_feed (amd, samples + at, MIN (160, size / 2 - at));
  g_test_message ("%s \"%s\": %s (%s) after %u ms, %u words", voice, text ? text : "",
                  dd_answering_machine_verdict_to_string (verdict),
                  dd_answering_machine_reason_to_string (dd_answering_machine_get_reason (amd)),
                  dd_answering_machine_get_elapsed_ms (amd),
                  dd_answering_machine_get_words (amd));
  *reason = dd_answering_machine_get_reason (amd);
  return verdict;
}

static void
test_espeak (void)
{
  DdAnsweringMachineReason reason;

  if (!dd_amd_samples_available ())
    {
      g_test_skip ("espeak-ng or sox is not installed");
      return;
    }
  g_assert_cmpint (hear ("pl", "Halo?", 300, 3000, 3300, &reason), ==,
                   DD_ANSWERING_MACHINE_VERDICT_HUMAN);
  g_assert_cmpint (reason, ==, DD_ANSWERING_MACHINE_REASON_SHORT_GREETING);

  /* a 6-second greeting (the recording is at least that long) */
  g_assert_cmpint (hear ("pl", "Dzień dobry, dodzwoniłeś się do poczty głosowej Jana "
                         "Kowalskiego, proszę zostawić wiadomość po sygnale", 300, 1000,
                         300 + 6000 + 1000, &reason), ==, DD_ANSWERING_MACHINE_VERDICT_MACHINE);
  g_assert_true (reason == DD_ANSWERING_MACHINE_REASON_LONG_GREETING ||
                 reason == DD_ANSWERING_MACHINE_REASON_TOO_MANY_WORDS);

  g_assert_cmpint (hear ("pl", NULL, 0, 6000, 6000, &reason), ==,
                   DD_ANSWERING_MACHINE_VERDICT_MACHINE);
  g_assert_cmpint (reason, ==, DD_ANSWERING_MACHINE_REASON_INITIAL_SILENCE);

  g_assert_cmpint (hear ("pl", "Tak, słucham", 1000, 3000, 5000, &reason), ==,
                   DD_ANSWERING_MACHINE_VERDICT_HUMAN);
  g_assert_cmpint (reason, ==, DD_ANSWERING_MACHINE_REASON_SHORT_GREETING);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/answering-machine/initial-silence", test_initial_silence);
  g_test_add_func ("/dd/answering-machine/short-greeting", test_short_greeting);
  g_test_add_func ("/dd/answering-machine/long-greeting", test_long_greeting);
  g_test_add_func ("/dd/answering-machine/words", test_words);
  g_test_add_func ("/dd/answering-machine/time-up", test_time_up);
  g_test_add_func ("/dd/answering-machine/no-audio", test_no_audio);
  g_test_add_func ("/dd/answering-machine/chunks-and-signal", test_chunks_and_signal);
  g_test_add_func ("/dd/answering-machine/noisy-line", test_noisy_line);
  g_test_add_func ("/dd/answering-machine/espeak", test_espeak);

  return g_test_run ();
}
