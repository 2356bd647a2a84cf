/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A call's audio path to the person at the desk, shared by two threads: the engine's (which
 * hands each received 20 ms frame to the speaker and takes the microphone's samples for each
 * frame it sends) and the sound card's (GStreamer's, which fills the microphone side and plays
 * the speaker side). 8 kHz mono S16 both ways. The microphone side is a ring of at most
 * 200 ms: a sound card that runs ahead loses its oldest samples instead of adding delay; one
 * that runs behind leaves silence.
 */

typedef struct _DdMediaLink DdMediaLink;

/* Called in the engine's thread with what the far end said. */
typedef void (*DdMediaLinkSpeakerFunc) (const gint16 *samples,
                                        gsize         n_samples,
                                        gpointer      user_data);

DdMediaLink *dd_media_link_new             (void);
DdMediaLink *dd_media_link_ref             (DdMediaLink            *self);
void         dd_media_link_unref           (DdMediaLink            *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdMediaLink, dd_media_link_unref)

void         dd_media_link_set_speaker     (DdMediaLink            *self,
                                            DdMediaLinkSpeakerFunc  func,
                                            gpointer                user_data);
/* The engine side */
void         dd_media_link_speak           (DdMediaLink            *self,
                                            const gint16           *samples,
                                            gsize                   n_samples);
/* Fills @samples with what the microphone gave (silence where it gave nothing yet); the
 * number of samples that came from the microphone. */
gsize        dd_media_link_take_microphone (DdMediaLink            *self,
                                            gint16                 *samples,
                                            gsize                   n_samples);
/* The sound card side */
void         dd_media_link_put_microphone  (DdMediaLink            *self,
                                            const gint16           *samples,
                                            gsize                   n_samples);
/* Samples waiting on the microphone side. */
gsize        dd_media_link_get_microphone_level (DdMediaLink       *self);

G_END_DECLS
