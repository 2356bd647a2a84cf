/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * In-band DTMF: a Goertzel detector over blocks of 205 samples (8 kHz), with energy, twist and
 * dominance checks, and a debounce (a digit must fill two consecutive blocks and is reported once
 * per key press). Plain data, no threads: one detector per call, fed from the media thread.
 */

typedef struct _DdDtmfDetector DdDtmfDetector;

DdDtmfDetector *dd_dtmf_detector_new        (guint           sample_rate);
void            dd_dtmf_detector_free       (DdDtmfDetector *self);
void            dd_dtmf_detector_reset      (DdDtmfDetector *self);
gsize           dd_dtmf_detector_feed       (DdDtmfDetector *self,
                                             const gint16   *samples,
                                             gsize           n_samples,
                                             char           *digits,
                                             gsize           max_digits);

gboolean        dd_dtmf_synthesize          (char            digit,
                                             guint           sample_rate,
                                             double          amplitude,
                                             gint16         *samples,
                                             gsize           n_samples);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdDtmfDetector, dd_dtmf_detector_free)

G_END_DECLS
