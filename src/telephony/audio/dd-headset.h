/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dd-call.h"

G_BEGIN_DECLS

/*
 * DdHeadset: the person at the desk on a call, through the sound card (GStreamer). What the
 * debtor says plays on the speaker side; the microphone goes to the debtor, mixed with any
 * prompt. Mute silences the microphone, the volume scales what the speaker plays. The
 * default devices are the system's (autoaudiosrc, autoaudiosink); other elements can be
 * named (gst-launch syntax), for a chosen device or for tests.
 */
#define DD_TYPE_HEADSET (dd_headset_get_type ())
G_DECLARE_FINAL_TYPE (DdHeadset, dd_headset, DD, HEADSET, GObject)

/* @source, @sink: NULL for the system's devices. */
DdHeadset *dd_headset_new          (const char  *source,
                                    const char  *sink,
                                    GError     **error);
/* Talks on @call (answered, or ringing/early media to hear progress) until it ends or
 * dd_headset_release(); one call at a time. FALSE with @error when the sound card fails. */
gboolean   dd_headset_take_call    (DdHeadset   *self,
                                    DdCall      *call,
                                    GError     **error);
void       dd_headset_release      (DdHeadset   *self);
DdCall    *dd_headset_get_call     (DdHeadset   *self);
void       dd_headset_set_muted    (DdHeadset   *self,
                                    gboolean     muted);
gboolean   dd_headset_get_muted    (DdHeadset   *self);
/* 0.0 (silent) to 2.0; 1.0 as received. */
void       dd_headset_set_volume   (DdHeadset   *self,
                                    double       volume);
double     dd_headset_get_volume   (DdHeadset   *self);
/* Hangs up the call it is on. */
void       dd_headset_hang_up      (DdHeadset   *self);

G_END_DECLS
