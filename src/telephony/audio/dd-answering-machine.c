/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-answering-machine"

#include "config.h"

#include "dd-answering-machine.h"
#include "dd-telephony-enums.h"

#include <stdlib.h>
#include <string.h>

#define SAMPLE_RATE     8000
#define FRAME_MS        20
#define FRAME_SAMPLES   (SAMPLE_RATE * FRAME_MS / 1000)
/* The line's noise floor: the quietest frame heard so far (this one included); a frame is
 * voice only when it is NOISE_MARGIN times louder than that (and louder than
 * silence-threshold). The floor only falls, so a steady sound (a long tone) stays voice; a line
 * that starts with speech has its first frame as the floor, and the speech counts from its
 * first quieter moment (calls begin with a moment of silence anyway). */
#define NOISE_MARGIN    2.5

struct _DdAnsweringMachine
{
  GObject parent_instance;

  /* parameters (ms; the threshold in mean amplitude) */
  guint initial_silence;
  guint greeting;
  guint after_greeting_silence;
  guint total_analysis_time;
  guint minimum_word_length;
  guint between_words_silence;
  guint maximum_words;
  guint maximum_word_length;
  guint silence_threshold;
  guint no_audio_time;
  gboolean adapt_to_noise;

  /* what it heard */
  gint16   frame[FRAME_SAMPLES];
  guint    frame_fill;
  double   floor;                  /* the quietest frame's level; < 0 before the first */
  guint    elapsed_ms;
  guint    silence_ms;             /* the silence going on now */
  guint    voice_ms;               /* the voice going on now (a word, or one being born) */
  gboolean in_word;
  gboolean greeting_started;
  guint    greeting_start_ms;
  guint    words;
  guint    nothing_ms;             /* time the line brought no audio at all */

  DdAnsweringMachineVerdict verdict;
  DdAnsweringMachineReason  reason;
};

G_DEFINE_FINAL_TYPE (DdAnsweringMachine, dd_answering_machine, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_INITIAL_SILENCE,
  PROP_GREETING,
  PROP_AFTER_GREETING_SILENCE,
  PROP_TOTAL_ANALYSIS_TIME,
  PROP_MINIMUM_WORD_LENGTH,
  PROP_BETWEEN_WORDS_SILENCE,
  PROP_MAXIMUM_WORDS,
  PROP_MAXIMUM_WORD_LENGTH,
  PROP_SILENCE_THRESHOLD,
  PROP_NO_AUDIO_TIME,
  PROP_ADAPT_TO_NOISE,
  PROP_VERDICT,
  PROP_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  DECIDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The parameters by property id: one table for get, set and the specs. */
static guint *
parameter (DdAnsweringMachine *self,
           guint               prop_id)
{
  switch (prop_id)
    {
    case PROP_INITIAL_SILENCE:        return &self->initial_silence;
    case PROP_GREETING:               return &self->greeting;
    case PROP_AFTER_GREETING_SILENCE: return &self->after_greeting_silence;
    case PROP_TOTAL_ANALYSIS_TIME:    return &self->total_analysis_time;
    case PROP_MINIMUM_WORD_LENGTH:    return &self->minimum_word_length;
    case PROP_BETWEEN_WORDS_SILENCE:  return &self->between_words_silence;
    case PROP_MAXIMUM_WORDS:          return &self->maximum_words;
    case PROP_MAXIMUM_WORD_LENGTH:    return &self->maximum_word_length;
    case PROP_SILENCE_THRESHOLD:      return &self->silence_threshold;
    case PROP_NO_AUDIO_TIME:          return &self->no_audio_time;
    default:                          return NULL;
    }
}

static const struct
{
  guint       prop_id;
  const char *name;
  guint       maximum;
  guint       classic;
} parameter_specs[] = {
  { PROP_INITIAL_SILENCE, "initial-silence", 60000, 2500 },
  { PROP_GREETING, "greeting", 60000, 1500 },
  { PROP_AFTER_GREETING_SILENCE, "after-greeting-silence", 60000, 800 },
  { PROP_TOTAL_ANALYSIS_TIME, "total-analysis-time", 60000, 5000 },
  { PROP_MINIMUM_WORD_LENGTH, "minimum-word-length", 60000, 100 },
  { PROP_BETWEEN_WORDS_SILENCE, "between-words-silence", 60000, 50 },
  { PROP_MAXIMUM_WORDS, "maximum-words", 1000, 2 },
  { PROP_MAXIMUM_WORD_LENGTH, "maximum-word-length", 60000, 5000 },
  { PROP_SILENCE_THRESHOLD, "silence-threshold", 32767, DD_ANSWERING_MACHINE_SILENCE_THRESHOLD },
  { PROP_NO_AUDIO_TIME, "no-audio-time", 60000, 1000 },
};

/* Analysis */

static double
frame_level (const gint16 *samples)
{
  return dd_answering_machine_level (samples, FRAME_SAMPLES);
}

/* Voice or silence: louder than the fixed threshold and clearly above the line's noise. */
static gboolean
is_voice (DdAnsweringMachine *self,
          double              level)
{
  if (self->floor < 0 || level < self->floor)
    self->floor = level;
  if (!self->adapt_to_noise)
    return level > self->silence_threshold;
  return level > MAX (self->silence_threshold, self->floor * NOISE_MARGIN);
}

static void
decide (DdAnsweringMachine        *self,
        DdAnsweringMachineVerdict  verdict,
        DdAnsweringMachineReason   reason)
{
  self->verdict = verdict;
  self->reason = reason;
  g_debug ("%s (%s) after %u ms, %u words", dd_answering_machine_verdict_to_string (verdict),
           dd_answering_machine_reason_to_string (reason), self->elapsed_ms, self->words);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERDICT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
  g_signal_emit (self, signals[DECIDED], 0, verdict, reason);
}

static void
on_silent_frame (DdAnsweringMachine *self)
{
  self->silence_ms += FRAME_MS;
  if (self->silence_ms >= self->between_words_silence)
    {
      /* a word (or a noise too short to be one) has ended */
      self->in_word = FALSE;
      self->voice_ms = 0;
    }
  if (!self->greeting_started && self->silence_ms >= self->initial_silence)
    decide (self, DD_ANSWERING_MACHINE_VERDICT_MACHINE,
            DD_ANSWERING_MACHINE_REASON_INITIAL_SILENCE);
  else if (self->greeting_started && self->silence_ms >= self->after_greeting_silence)
    decide (self, DD_ANSWERING_MACHINE_VERDICT_HUMAN,
            DD_ANSWERING_MACHINE_REASON_SHORT_GREETING);
}

static void
on_voice_frame (DdAnsweringMachine *self)
{
  self->silence_ms = 0;
  self->voice_ms += FRAME_MS;
  if (!self->in_word && self->voice_ms >= self->minimum_word_length)
    {
      self->in_word = TRUE;
      self->words++;
      if (!self->greeting_started)
        {
          self->greeting_started = TRUE;
          /* the greeting began where this word did */
          self->greeting_start_ms = self->elapsed_ms - self->voice_ms;
        }
      if (self->words > self->maximum_words)
        {
          decide (self, DD_ANSWERING_MACHINE_VERDICT_MACHINE,
                  DD_ANSWERING_MACHINE_REASON_TOO_MANY_WORDS);
          return;
        }
    }
  if (self->in_word && self->voice_ms >= self->maximum_word_length)
    decide (self, DD_ANSWERING_MACHINE_VERDICT_MACHINE, DD_ANSWERING_MACHINE_REASON_LONG_WORD);
  else if (self->greeting_started &&
           self->elapsed_ms - self->greeting_start_ms >= self->greeting)
    decide (self, DD_ANSWERING_MACHINE_VERDICT_MACHINE,
            DD_ANSWERING_MACHINE_REASON_LONG_GREETING);
}

static void
analyse_frame (DdAnsweringMachine *self,
               const gint16       *samples)
{
  self->elapsed_ms += FRAME_MS;
  if (is_voice (self, frame_level (samples)))
    on_voice_frame (self);
  else
    on_silent_frame (self);
  if (self->verdict == DD_ANSWERING_MACHINE_VERDICT_UNDECIDED &&
      self->elapsed_ms >= self->total_analysis_time)
    decide (self, DD_ANSWERING_MACHINE_VERDICT_NOT_SURE, DD_ANSWERING_MACHINE_REASON_TIME_UP);
}

/* GObject */

static void
dd_answering_machine_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DdAnsweringMachine *self = DD_ANSWERING_MACHINE (object);
  guint *field = parameter (self, prop_id);

  if (field != NULL)
    g_value_set_uint (value, *field);
  else if (prop_id == PROP_ADAPT_TO_NOISE)
    g_value_set_boolean (value, self->adapt_to_noise);
  else if (prop_id == PROP_VERDICT)
    g_value_set_enum (value, self->verdict);
  else if (prop_id == PROP_REASON)
    g_value_set_enum (value, self->reason);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
dd_answering_machine_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  DdAnsweringMachine *self = DD_ANSWERING_MACHINE (object);
  guint *field = parameter (self, prop_id);

  if (prop_id == PROP_ADAPT_TO_NOISE)
    {
      if (self->adapt_to_noise != g_value_get_boolean (value))
        {
          self->adapt_to_noise = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      return;
    }
  if (field == NULL)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  if (*field != g_value_get_uint (value))
    {
      *field = g_value_get_uint (value);
      g_object_notify_by_pspec (object, pspec);
    }
}

static void
dd_answering_machine_class_init (DdAnsweringMachineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = dd_answering_machine_get_property;
  object_class->set_property = dd_answering_machine_set_property;

  for (guint i = 0; i < G_N_ELEMENTS (parameter_specs); i++)
    properties[parameter_specs[i].prop_id] =
      g_param_spec_uint (parameter_specs[i].name, NULL, NULL,
                         0, parameter_specs[i].maximum, parameter_specs[i].classic,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  properties[PROP_ADAPT_TO_NOISE] =
    g_param_spec_boolean ("adapt-to-noise", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);
  properties[PROP_VERDICT] =
    g_param_spec_enum ("verdict", NULL, NULL, DD_TYPE_ANSWERING_MACHINE_VERDICT,
                       DD_ANSWERING_MACHINE_VERDICT_UNDECIDED,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REASON] =
    g_param_spec_enum ("reason", NULL, NULL, DD_TYPE_ANSWERING_MACHINE_REASON,
                       DD_ANSWERING_MACHINE_REASON_NONE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DdAnsweringMachine::decided:
   * @verdict: a #DdAnsweringMachineVerdict
   * @reason: a #DdAnsweringMachineReason
   *
   * Emitted once, from dd_answering_machine_feed(), when the verdict is reached.
   */
  signals[DECIDED] = g_signal_new ("decided", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 2,
                                   DD_TYPE_ANSWERING_MACHINE_VERDICT,
                                   DD_TYPE_ANSWERING_MACHINE_REASON);
}

static void
dd_answering_machine_init (DdAnsweringMachine *self)
{
  self->floor = -1;
}

DdAnsweringMachine *
dd_answering_machine_new (void)
{
  return g_object_new (DD_TYPE_ANSWERING_MACHINE, NULL);
}

DdAnsweringMachineVerdict
dd_answering_machine_feed (DdAnsweringMachine *self,
                           const gint16       *pcm,
                           gsize               n_samples)
{
  g_return_val_if_fail (DD_IS_ANSWERING_MACHINE (self), DD_ANSWERING_MACHINE_VERDICT_UNDECIDED);
  g_return_val_if_fail (pcm != NULL || n_samples == 0, self->verdict);

  for (gsize i = 0; i < n_samples && self->verdict == DD_ANSWERING_MACHINE_VERDICT_UNDECIDED;)
    {
      gsize n = MIN (n_samples - i, (gsize) (FRAME_SAMPLES - self->frame_fill));

      memcpy (self->frame + self->frame_fill, pcm + i, n * sizeof (gint16));
      self->frame_fill += n;
      i += n;
      if (self->frame_fill == FRAME_SAMPLES)
        {
          self->frame_fill = 0;
          analyse_frame (self, self->frame);
        }
    }
  return self->verdict;
}

DdAnsweringMachineVerdict
dd_answering_machine_hear_nothing (DdAnsweringMachine *self,
                                   guint               ms)
{
  g_return_val_if_fail (DD_IS_ANSWERING_MACHINE (self), DD_ANSWERING_MACHINE_VERDICT_UNDECIDED);

  if (self->verdict != DD_ANSWERING_MACHINE_VERDICT_UNDECIDED)
    return self->verdict;
  self->nothing_ms += ms;
  /* no sound ever came: nothing to judge by (a machine speaks, a phone sends its line's
   * noise); sound that stopped: the analysis time still runs out */
  if (self->elapsed_ms == 0 && self->frame_fill == 0 && self->nothing_ms >= self->no_audio_time)
    decide (self, DD_ANSWERING_MACHINE_VERDICT_NOT_SURE, DD_ANSWERING_MACHINE_REASON_NO_AUDIO);
  else if (self->elapsed_ms + self->nothing_ms >= self->total_analysis_time)
    decide (self, DD_ANSWERING_MACHINE_VERDICT_NOT_SURE, DD_ANSWERING_MACHINE_REASON_TIME_UP);
  return self->verdict;
}

double
dd_answering_machine_level (const gint16 *pcm,
                            gsize         n_samples)
{
  guint64 sum = 0;

  if (n_samples == 0)
    return 0;
  for (gsize i = 0; i < n_samples; i++)
    sum += (guint) abs (pcm[i]);
  return (double) sum / (double) n_samples;
}

DdAnsweringMachineVerdict
dd_answering_machine_get_verdict (DdAnsweringMachine *self)
{
  g_return_val_if_fail (DD_IS_ANSWERING_MACHINE (self), DD_ANSWERING_MACHINE_VERDICT_UNDECIDED);

  return self->verdict;
}

DdAnsweringMachineReason
dd_answering_machine_get_reason (DdAnsweringMachine *self)
{
  g_return_val_if_fail (DD_IS_ANSWERING_MACHINE (self), DD_ANSWERING_MACHINE_REASON_NONE);

  return self->reason;
}

guint
dd_answering_machine_get_elapsed_ms (DdAnsweringMachine *self)
{
  g_return_val_if_fail (DD_IS_ANSWERING_MACHINE (self), 0);

  return self->elapsed_ms;
}

guint
dd_answering_machine_get_words (DdAnsweringMachine *self)
{
  g_return_val_if_fail (DD_IS_ANSWERING_MACHINE (self), 0);

  return self->words;
}

void
dd_answering_machine_reset (DdAnsweringMachine *self)
{
  g_return_if_fail (DD_IS_ANSWERING_MACHINE (self));

  self->frame_fill = 0;
  self->floor = -1;
  self->elapsed_ms = 0;
  self->silence_ms = 0;
  self->voice_ms = 0;
  self->in_word = FALSE;
  self->greeting_started = FALSE;
  self->greeting_start_ms = 0;
  self->words = 0;
  self->nothing_ms = 0;
  if (self->verdict != DD_ANSWERING_MACHINE_VERDICT_UNDECIDED)
    {
      self->verdict = DD_ANSWERING_MACHINE_VERDICT_UNDECIDED;
      self->reason = DD_ANSWERING_MACHINE_REASON_NONE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERDICT]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
    }
}

const char *
dd_answering_machine_verdict_to_string (DdAnsweringMachineVerdict verdict)
{
  switch (verdict)
    {
    case DD_ANSWERING_MACHINE_VERDICT_UNDECIDED: return "undecided";
    case DD_ANSWERING_MACHINE_VERDICT_HUMAN:     return "human";
    case DD_ANSWERING_MACHINE_VERDICT_MACHINE:   return "machine";
    case DD_ANSWERING_MACHINE_VERDICT_NOT_SURE:  return "not sure";
    default:                                     return "unknown";
    }
}

const char *
dd_answering_machine_reason_to_string (DdAnsweringMachineReason reason)
{
  switch (reason)
    {
    case DD_ANSWERING_MACHINE_REASON_NONE:            return "none";
    case DD_ANSWERING_MACHINE_REASON_INITIAL_SILENCE: return "initial silence";
    case DD_ANSWERING_MACHINE_REASON_LONG_GREETING:   return "long greeting";
    case DD_ANSWERING_MACHINE_REASON_TOO_MANY_WORDS:  return "too many words";
    case DD_ANSWERING_MACHINE_REASON_LONG_WORD:       return "long word";
    case DD_ANSWERING_MACHINE_REASON_SHORT_GREETING:  return "short greeting";
    case DD_ANSWERING_MACHINE_REASON_TIME_UP:         return "time up";
    case DD_ANSWERING_MACHINE_REASON_NO_AUDIO:        return "no audio";
    default:                                          return "unknown";
    }
}
