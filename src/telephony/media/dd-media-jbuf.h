/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The receive jitter buffer of a call: audio frames of one RTP stream go in by sequence
 * number, in whatever order the network delivers them (16-bit wrap-around included), and come
 * out in order, one per 20 ms tick. Play-out starts once @depth frames are held, so packets
 * up to depth × 20 ms late still find their place; a frame that never came is reported as lost
 * (the caller plays silence), a packet older than the play-out point is dropped as late, a
 * duplicate is dropped, and a jump far beyond the window (a new stream) starts over.
 */

typedef struct _DdJitterBuffer DdJitterBuffer;

typedef enum
{
  DD_JITTER_EMPTY,   /* filling up (at the start or after running dry): nothing to play */
  DD_JITTER_FRAME,   /* a frame */
  DD_JITTER_LOST,    /* the frame due now never arrived */
} DdJitterResult;

typedef struct
{
  guint64 received;
  guint64 played;
  guint64 lost;
  guint64 late;
  guint64 duplicate;
  guint64 restarts;
} DdJitterBufferStats;

DdJitterBuffer *dd_jitter_buffer_new       (guint                depth,
                                            gsize                frame_bytes);
void            dd_jitter_buffer_free      (DdJitterBuffer      *self);
/* FALSE: dropped (late, duplicate or larger than frame_bytes). */
gboolean        dd_jitter_buffer_put       (DdJitterBuffer      *self,
                                            guint16              seq,
                                            const guint8        *payload,
                                            gsize                len);
/* @payload has room for frame_bytes; @len is set for a FRAME. */
DdJitterResult  dd_jitter_buffer_get       (DdJitterBuffer      *self,
                                            guint8              *payload,
                                            gsize               *len);
guint           dd_jitter_buffer_get_level (DdJitterBuffer      *self);
void            dd_jitter_buffer_get_stats (DdJitterBuffer      *self,
                                            DdJitterBufferStats *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdJitterBuffer, dd_jitter_buffer_free)

G_END_DECLS
