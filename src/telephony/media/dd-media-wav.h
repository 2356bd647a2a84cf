/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * 16-bit PCM WAV files: a writer for call recordings (the header is completed on close) and a
 * reader for tests and prepared prompts. Errors are in the G_FILE_ERROR domain.
 */

typedef struct _DdWavWriter DdWavWriter;

DdWavWriter *dd_wav_writer_open   (const char   *path,
                                   guint         sample_rate,
                                   guint         channels,
                                   GError      **error);
gboolean     dd_wav_writer_write  (DdWavWriter  *self,
                                   const gint16 *samples,
                                   gsize         n_samples);
guint64      dd_wav_writer_get_frames (DdWavWriter *self);
gboolean     dd_wav_writer_close  (DdWavWriter  *self,
                                   GError      **error);

GBytes      *dd_wav_read          (const char   *path,
                                   guint        *sample_rate,
                                   guint        *channels,
                                   GError      **error);

G_END_DECLS
