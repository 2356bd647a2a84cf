/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dd-database.h"
#include "dd-sip-core.h"

G_BEGIN_DECLS

/*
 * The SIP peers the telephony tests call and are called by, on 127.0.0.1: sipp started on a
 * scenario file (output silenced, or kept in a log file for the test to read on failure), and
 * the baresip binary as a user agent driven through its control socket; and a log of the
 * engine's events to wait on.
 */

/* Starts sipp on 127.0.0.1:@port (signalling and media) with the scenario file
 * @scenario_path and the further arguments @extra (NULL-terminated; nullable), without stdin.
 * @log: a file for sipp's output, or NULL to silence it. */
GSubprocess *dd_sipp_spawn (guint                port,
                            const char          *scenario_path,
                            const char          *log,
                            const char * const  *extra,
                            GError             **error);

/* How baresip is started; zeroes give the defaults. */
typedef struct
{
  const char *account;       /* its accounts line; NULL: <sip:bob@127.0.0.1>, answering at once */
  guint       tone_hz;       /* what it plays, a sine made with sox: 0 = 300 Hz */
  double      tone_volume;   /* 0 = 0.05 */
  guint       tone_seconds;  /* 0 = 60 s (baresip hangs up at the end of its sound file) */
  gboolean    record;        /* load sndfile: what it hears is written into its folder */
  gboolean    quiet;         /* silence its output instead of keeping it in baresip.log */
  const char *extra_config;  /* more config lines, each ending in a newline; nullable */
  GBytes     *source_pcm;    /* what it plays instead of the tone (8 kHz mono S16, host
                                order; it hangs up at the end, so pad it); nullable */
} DdBaresipOptions;

/* A running baresip on 127.0.0.1; the fields are for reading. */
typedef struct
{
  char              *dir;        /* its config folder (config, accounts, sound, recordings) */
  GSubprocess       *process;
  guint              sip_port;   /* UDP (and TCP); TLS, with a certificate, on the next one */
  guint              ctrl_port;
  GSocketConnection *ctrl;       /* ctrl_tcp, non-blocking */
  GString           *said;       /* everything ctrl_tcp said so far */
} DdBaresip;

/* Writes its config into a new temporary folder, starts it and waits (up to 15 s) until its
 * control socket answers. */
DdBaresip *dd_baresip_start       (const DdBaresipOptions *options,
                                   GError                **error);
/* Stops it (SIGTERM) and removes its folder. */
void       dd_baresip_stop        (DdBaresip              *baresip);
/* Sends a ctrl_tcp command (a JSON netstring), e.g. "dial" "sip:…", "sndcode" "5", "hangup". */
gboolean   dd_baresip_command     (DdBaresip              *baresip,
                                   const char             *command,
                                   const char             *params,
                                   const char             *token);
/* Reads what baresip said until now; whether @needle (e.g. "CALL_ESTABLISHED") is in it. */
gboolean   dd_baresip_said        (DdBaresip              *baresip,
                                   const char             *needle);
/* The same, and how often it was said. */
guint      dd_baresip_count_said  (DdBaresip              *baresip,
                                   const char             *needle);
/* Runs the default main context until baresip said @needle, at most @seconds. */
gboolean   dd_baresip_wait_said   (DdBaresip              *baresip,
                                   const char             *needle,
                                   guint                   seconds);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdBaresip, dd_baresip_stop)

/* One side of a call whose audio a test checks (a debtor, a caller, a consultant's phone):
 * baresip as @user@127.0.0.1, answering at once when @answers, playing a @tone_hz sine loud
 * enough to find (volume 0.2) for @seconds (0: 60 s; it hangs up at the end) and recording
 * what it hears; its output silenced. Asserts that it started. */
DdBaresip *dd_baresip_start_party (const char             *user,
                                   gboolean                answers,
                                   guint                   tone_hz,
                                   guint                   seconds);

/* Copies of the events a DdSipCore reported, to look for and wait on. */
typedef struct
{
  GPtrArray *events;   /* DdSipEvent copies */
} DdSipEventLog;

void              dd_sip_event_log_init       (DdSipEventLog    *log);
/* Inits @log and starts a DdSipCore on 127.0.0.1 (a free port, no TLS) that reports into it. */
DdSipCore        *dd_sip_event_log_start_core (DdSipEventLog    *log);
void              dd_sip_event_log_clear      (DdSipEventLog    *log);
/* A DdSipCore event callback; @user_data is the DdSipEventLog. */
void              dd_sip_event_log_add        (const DdSipEvent *event,
                                               gpointer          user_data);
const DdSipEvent *dd_sip_event_log_find       (DdSipEventLog    *log,
                                               guint             call_id,
                                               DdSipEventKind    kind);
/* Runs the default main context until the event came, at most @ms; NULL if it did not. */
const DdSipEvent *dd_sip_event_log_wait       (DdSipEventLog    *log,
                                               guint             call_id,
                                               DdSipEventKind    kind,
                                               guint             ms);

/* A sipp scenario for the debtors of a voice campaign (tests/telephony/test-voice-campaign.c, the
 * crash test, the benchmark): what the callee does depends on the last digit of the number
 * called. 0, 1, 2: answers, listens 0.8 s, keys @declare_keys (menu 1, a date, an amount,
 * confirm) and waits for our hang-up; 3: answers and keys 2 (a consultant); 4: rings and never
 * answers (until cancelled); 5: busy (486); 6: declines (603); 7: answers and hangs up after
 * 1.2 s, in the middle of the first prompt; 8, 9: answers and listens until we hang up. Every
 * debtor who answers sends sound (a short "Halo?", then quiet; debtor-voice.ul, written beside
 * the scenario): an answered line with no sound at all is dead air, not a debtor listening. */
gboolean     dd_sipp_write_debtor_callee (const char  *path,
                                          const char  *declare_keys,
                                          GError     **error);
/* Keys of a payment declaration in the flow of the tests: "1DDMM#250#1", a date a few days
 * ahead. */
char        *dd_sipp_declare_keys        (void);

/* How many lines of a hostile-peer.py log (@log: "TIME TEXT" a line) have a TEXT that starts
 * with @prefix ("INVITE", "answer 2 INVITE offer"…). */
guint        dd_hostile_peer_count       (const char   *log,
                                          const char   *prefix);
/* An office for voice campaigns: creditor 1 and @n_cases debtors (ids 1…n), each with one
 * mobile number +48600000000 + i, one case (balance 1,000.00 + i grosze, the debtor's name on
 * it) and one invoice due 2026-10-01; every @russian_every-th debtor speaks Russian (0: none),
 * the others Polish. One transaction; asserted. */
void         dd_voice_office_fill        (DdDatabase   *db,
                                          guint         n_cases,
                                          guint         russian_every);

/* The power of @hz in @samples (Goertzel, 8 kHz), per sample. */
double       dd_tone_power               (const gint16 *samples,
                                          gsize         n,
                                          double        hz);
/* 20 ms windows of @path (a WAV file, 8 kHz; asserted) where @hz dominates @other_hz. */
gsize        dd_wav_tone_windows         (const char   *path,
                                          double        hz,
                                          double        other_hz);
/* The recording of what @baresip heard (its sndfile "…-dec.wav", the last one; asserted). */
char        *dd_baresip_heard_path       (DdBaresip    *baresip);
/* dd_wav_tone_windows() of what @baresip heard. */
gsize        dd_baresip_heard_windows    (DdBaresip    *baresip,
                                          double        hz,
                                          double        other_hz);

G_END_DECLS
