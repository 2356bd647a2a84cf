/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * DdSpeaker: text spoken through the desk's speakers — the Listen button of the call flow
 * editor and the prompts of a test call. Text-to-speech with espeak-ng (Polish, Russian,
 * English), played with GStreamer. Without an audio device the playback is silent but takes
 * as long as the speech would, so a test call keeps its rhythm.
 *
 * One sentence at a time: a new say() stops the one playing (its finish reports
 * G_IO_ERROR_CANCELLED).
 */

#define DD_TYPE_SPEAKER (dd_speaker_get_type ())
G_DECLARE_FINAL_TYPE (DdSpeaker, dd_speaker, DD, SPEAKER, GObject)

DdSpeaker *dd_speaker_get_default  (void);

/* Synthesises @text in @language ("pl", "ru", "en"; others fall back to English) into
 * mono S16 PCM at *@out_rate Hz. Thread-safe (one synthesis at a time). */
GBytes    *dd_speaker_synthesize   (const char          *text,
                                    const char          *language,
                                    guint               *out_rate,
                                    GError             **error);

void       dd_speaker_say_async    (DdSpeaker           *self,
                                    const char          *text,
                                    const char          *language,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean   dd_speaker_say_finish   (DdSpeaker           *self,
                                    GAsyncResult        *result,
                                    GError             **error);
void       dd_speaker_stop         (DdSpeaker           *self);

G_END_DECLS
