/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * DdAnsweringMachine: tells a person from an answering machine by the first seconds of what
 * the callee sends after the answer (8 kHz mono S16 PCM, fed as it arrives). The classic
 * energy analysis: 20 ms frames are voice or silence (mean amplitude against a threshold that
 * also rises with the line's noise); runs of voice of at least the minimum word length are
 * words. A machine stays silent too long before it speaks, or speaks a long greeting (or many
 * words); a person says a short "Halo?" and then waits for us. The verdict comes as soon as
 * one of these rules decides, or NOT_SURE when the total analysis time ran out. Pure: no
 * threads, no main loop, no sound card; one per call, used by one thread at a time (the
 * "decided" signal and the notifications come from dd_answering_machine_feed(), in that thread).
 */

typedef enum
{
  DD_ANSWERING_MACHINE_VERDICT_UNDECIDED,   /* still listening */
  DD_ANSWERING_MACHINE_VERDICT_HUMAN,
  DD_ANSWERING_MACHINE_VERDICT_MACHINE,
  DD_ANSWERING_MACHINE_VERDICT_NOT_SURE,
} DdAnsweringMachineVerdict;

/* Why it decided (for the call attempt's record and the logs; the UI words them itself). */
typedef enum
{
  DD_ANSWERING_MACHINE_REASON_NONE,
  DD_ANSWERING_MACHINE_REASON_INITIAL_SILENCE,   /* machine: silent past initial-silence */
  DD_ANSWERING_MACHINE_REASON_LONG_GREETING,     /* machine: spoke longer than greeting */
  DD_ANSWERING_MACHINE_REASON_TOO_MANY_WORDS,    /* machine: more words than maximum-words */
  DD_ANSWERING_MACHINE_REASON_LONG_WORD,         /* machine: one word past maximum-word-length */
  DD_ANSWERING_MACHINE_REASON_SHORT_GREETING,    /* human: a short greeting, then silence */
  DD_ANSWERING_MACHINE_REASON_TIME_UP,           /* not sure: total-analysis-time ran out */
  DD_ANSWERING_MACHINE_REASON_NO_AUDIO,          /* not sure: the line brought no sound at
                                                  * all for no-audio-time */
} DdAnsweringMachineReason;

/* The classic silence threshold: the mean amplitude of a 20 ms frame (S16) at or below which
 * the frame is silence. */
#define DD_ANSWERING_MACHINE_SILENCE_THRESHOLD 256

#define DD_TYPE_ANSWERING_MACHINE (dd_answering_machine_get_type ())
G_DECLARE_FINAL_TYPE (DdAnsweringMachine, dd_answering_machine, DD, ANSWERING_MACHINE, GObject)

/* With the classic parameters (all settable as properties, in milliseconds):
 * initial-silence 2500, greeting 1500, after-greeting-silence 800, total-analysis-time 5000,
 * minimum-word-length 100, between-words-silence 50, maximum-words 2 (a third word is a
 * machine), maximum-word-length 5000, silence-threshold 256 (mean amplitude of a 20 ms frame),
 * no-audio-time 1000 (see dd_answering_machine_hear_nothing());
 * and adapt-to-noise TRUE (the threshold also rises to 2.5 times the line's noise floor, the
 * quietest frame of the last second; FALSE: the fixed threshold alone, as the classic
 * detector has it). */
DdAnsweringMachine        *dd_answering_machine_new             (void);
/* Analyses @n_samples more samples (8 kHz mono S16, any chunk size); returns the verdict so
 * far. Once decided, what follows is ignored and the verdict stays. */
DdAnsweringMachineVerdict  dd_answering_machine_feed            (DdAnsweringMachine *self,
                                                                 const gint16       *pcm,
                                                                 gsize               n_samples);
/* The line brought nothing for @ms more (no RTP: a peer that sends no sound, or a stream that
 * stopped), fed by whoever waits for the packets. A line silent from the start decides NOT_SURE
 * (NO_AUDIO) after no-audio-time — a machine speaks and a phone sends its noise, so there is
 * nothing to judge, and the initial-silence rule (which needs sound) does not apply; otherwise
 * the missing time counts toward total-analysis-time (NOT_SURE, TIME_UP), so that a verdict
 * always comes in bounded time. Returns the verdict so far. */
DdAnsweringMachineVerdict  dd_answering_machine_hear_nothing    (DdAnsweringMachine *self,
                                                                 guint               ms);
DdAnsweringMachineVerdict  dd_answering_machine_get_verdict     (DdAnsweringMachine *self);
DdAnsweringMachineReason   dd_answering_machine_get_reason      (DdAnsweringMachine *self);
/* How much audio decided it (ms from the first sample fed), or what was analysed so far. */
guint                      dd_answering_machine_get_elapsed_ms  (DdAnsweringMachine *self);
/* Words counted so far. */
guint                      dd_answering_machine_get_words       (DdAnsweringMachine *self);
/* Forgets what it heard, for the next call; the parameters stay. */
void                       dd_answering_machine_reset           (DdAnsweringMachine *self);

/* The level the detector judges a frame by: the mean amplitude of @n_samples (8 kHz mono
 * S16), compared with silence-threshold. Pure; any thread. */
double                     dd_answering_machine_level           (const gint16       *pcm,
                                                                 gsize               n_samples);

/* Stable English names ("human", "machine", "not sure"; "initial silence", "long greeting"…)
 * for logs and records. */
const char *dd_answering_machine_verdict_to_string (DdAnsweringMachineVerdict verdict);
const char *dd_answering_machine_reason_to_string  (DdAnsweringMachineReason  reason);

G_END_DECLS
