/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Prompts for calls: text to speech with espeak-ng (Polish, Russian, English), and audio files
 * (WAV, MP3, OGG) decoded by GStreamer, as 8 kHz mono 16-bit PCM. Synthesised prompts are
 * cached by text and voice. Callable from any thread (espeak-ng keeps global state: one
 * synthesis at a time).
 */

/* The synthesiser's own output (@out_rate: its sample rate, 22050 Hz). */
GBytes *dd_tts_synthesize     (const char  *text,
                               const char  *language,
                               guint       *out_rate,
                               GError     **error);
/* A prompt for a call: 8 kHz mono S16, cached. @language: "pl", "ru", "en", or one of their
 * espeak-ng voices with a variant ("pl+f3", "ru+m2"). */
GBytes *dd_tts_prompt         (const char  *text,
                               const char  *language,
                               GError     **error);
/* 16-bit mono PCM resampled from @rate to 8 kHz. */
GBytes *dd_audio_resample_8k  (GBytes      *pcm,
                               guint        rate,
                               GError     **error);
/* An uploaded audio file as 8 kHz mono S16. */
GBytes *dd_audio_decode_file  (const char  *path,
                               GError     **error);
/* Forgets the cached prompts. */
void    dd_tts_clear_cache    (void);

G_END_DECLS
