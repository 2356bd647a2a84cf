/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Recordings for the answering-machine detector, made at test time: what a callee sends after
 * the answer, spoken by espeak-ng, band-limited and resampled to the phone's 8 kHz mono S16 by
 * sox, with silence around it and white noise over it.
 */

/* espeak-ng and sox are both there. */
gboolean dd_amd_samples_available (void);

/* @lead_ms of silence, @text spoken by espeak-ng's @voice ("pl", "ru", "en"…; @text NULL:
 * nothing spoken), @tail_ms of silence; then white noise of mean amplitude @noise (0: none)
 * from @seed added over the whole. 8 kHz mono S16 (host order). */
GBytes  *dd_amd_sample_make       (const char  *voice,
                                   const char  *text,
                                   guint        lead_ms,
                                   guint        tail_ms,
                                   double       noise,
                                   guint32      seed,
                                   GError     **error);

G_END_DECLS
