/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-media-jbuf"

#include "config.h"

#include "dd-media-jbuf.h"

#include <string.h>

/*
 * A ring of slots indexed by seq modulo its size. The size is a power of two, so it divides
 * 65536 and the index stays continuous across the sequence number's wrap-around.
 */

typedef struct
{
  gboolean used;
  guint16  seq;
  gsize    len;
} Slot;

struct _DdJitterBuffer
{
  guint                depth;
  guint                size;        /* slots, a power of two ≥ 4 × depth */
  gsize                frame_bytes;
  Slot                *slots;
  guint8              *data;        /* size × frame_bytes */
  guint                level;       /* frames held */
  gboolean             started;     /* next_seq is set */
  gboolean             playing;     /* the pre-fill is done */
  gboolean             played;      /* a frame went out since the start */
  guint16              next_seq;    /* the frame due next */
  guint16              highest;     /* the newest frame put */
  DdJitterBufferStats  stats;
};

DdJitterBuffer *
dd_jitter_buffer_new (guint depth,
                      gsize frame_bytes)
{
  DdJitterBuffer *self;

  g_return_val_if_fail (depth > 0 && depth <= 64, NULL);
  g_return_val_if_fail (frame_bytes > 0, NULL);

  self = g_new0 (DdJitterBuffer, 1);
  self->depth = depth;
  self->size = 4;
  while (self->size < depth * 4)
    self->size *= 2;
  self->frame_bytes = frame_bytes;
  self->slots = g_new0 (Slot, self->size);
  self->data = g_malloc (self->size * frame_bytes);
  return self;
}

void
dd_jitter_buffer_free (DdJitterBuffer *self)
{
  if (self == NULL)
    return;
  g_free (self->slots);
  g_free (self->data);
  g_free (self);
}

static void
restart (DdJitterBuffer *self,
         guint16         seq)
{
  memset (self->slots, 0, self->size * sizeof (Slot));
  self->level = 0;
  self->playing = FALSE;
  self->played = FALSE;
  self->started = TRUE;
  self->next_seq = seq;
  self->highest = seq;
}

gboolean
dd_jitter_buffer_put (DdJitterBuffer *self,
                      guint16         seq,
                      const guint8   *payload,
                      gsize           len)
{
  gint ahead;
  Slot *slot;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (payload != NULL || len == 0, FALSE);

  if (len > self->frame_bytes)
    return FALSE;
  self->stats.received++;
  if (!self->started)
    restart (self, seq);

  ahead = (gint16) (guint16) (seq - self->next_seq);
  if (ahead < 0 && !self->played &&
      (gint16) (guint16) (self->highest - seq) < (gint) self->size)
    {
      /* before play-out: an earlier frame than the first one seen still has its turn */
      self->next_seq = seq;
      ahead = 0;
    }
  if (ahead < 0 && ahead >= -(gint) self->size * 4)
    {
      self->stats.late++;
      return FALSE;
    }
  if (ahead < 0 || ahead >= (gint) self->size * 4)
    {
      /* far outside the window: the sender started a new stream */
      self->stats.restarts++;
      restart (self, seq);
      ahead = 0;
    }
  /* beyond the ring: the oldest frames are given up (counted lost when they were never
   * played) so that the newest fits */
  while (ahead >= (gint) self->size)
    {
      Slot *oldest = &self->slots[self->next_seq & (self->size - 1)];

      if (oldest->used && oldest->seq == self->next_seq)
        {
          oldest->used = FALSE;
          self->level--;
        }
      self->stats.lost++;
      self->next_seq++;
      ahead--;
    }

  if ((gint16) (guint16) (seq - self->highest) > 0)
    self->highest = seq;
  slot = &self->slots[seq & (self->size - 1)];
  if (slot->used && slot->seq == seq)
    {
      self->stats.duplicate++;
      return FALSE;
    }
  if (slot->used)
    self->level--;       /* cannot happen: every held frame lies within the ring */
  slot->used = TRUE;
  slot->seq = seq;
  slot->len = len;
  if (len > 0)
    memcpy (self->data + (gsize) (seq & (self->size - 1)) * self->frame_bytes, payload, len);
  self->level++;
  if (!self->playing && self->level >= self->depth)
    self->playing = TRUE;
  return TRUE;
}

DdJitterResult
dd_jitter_buffer_get (DdJitterBuffer *self,
                      guint8         *payload,
                      gsize          *len)
{
  guint index;
  Slot *slot;

  g_return_val_if_fail (self != NULL, DD_JITTER_EMPTY);
  g_return_val_if_fail (payload != NULL && len != NULL, DD_JITTER_EMPTY);

  *len = 0;
  if (!self->playing)
    return DD_JITTER_EMPTY;
  if (self->level == 0)
    {
      /* ran dry: fill up again before playing on */
      self->playing = FALSE;
      return DD_JITTER_EMPTY;
    }
  index = self->next_seq & (self->size - 1);
  slot = &self->slots[index];
  self->next_seq++;
  self->played = TRUE;
  if (!slot->used || slot->seq != (guint16) (self->next_seq - 1))
    {
      self->stats.lost++;
      return DD_JITTER_LOST;
    }
  memcpy (payload, self->data + (gsize) index * self->frame_bytes, slot->len);
  *len = slot->len;
  slot->used = FALSE;
  self->level--;
  self->stats.played++;
  return DD_JITTER_FRAME;
}

guint
dd_jitter_buffer_get_level (DdJitterBuffer *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->level;
}

void
dd_jitter_buffer_get_stats (DdJitterBuffer      *self,
                            DdJitterBufferStats *stats)
{
  g_return_if_fail (self != NULL && stats != NULL);
  *stats = self->stats;
}
