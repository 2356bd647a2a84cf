/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-media-link"

#include "config.h"

#include "dd-media-link.h"

#include <string.h>

#define RING_SAMPLES 1600    /* 200 ms at 8 kHz */

struct _DdMediaLink
{
  gint                    ref_count;
  GMutex                  lock;
  DdMediaLinkSpeakerFunc  speaker;
  gpointer                speaker_data;
  gint16                  ring[RING_SAMPLES];
  gsize                   head;     /* next sample to read */
  gsize                   level;    /* samples held */
};

DdMediaLink *
dd_media_link_new (void)
{
  DdMediaLink *self = g_new0 (DdMediaLink, 1);

  self->ref_count = 1;
  g_mutex_init (&self->lock);
  return self;
}

DdMediaLink *
dd_media_link_ref (DdMediaLink *self)
{
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
dd_media_link_unref (DdMediaLink *self)
{
  if (self == NULL || !g_atomic_int_dec_and_test (&self->ref_count))
    return;
  g_mutex_clear (&self->lock);
  g_free (self);
}

void
dd_media_link_set_speaker (DdMediaLink            *self,
                           DdMediaLinkSpeakerFunc  func,
                           gpointer                user_data)
{
  g_mutex_lock (&self->lock);
  self->speaker = func;
  self->speaker_data = user_data;
  g_mutex_unlock (&self->lock);
}

void
dd_media_link_speak (DdMediaLink  *self,
                     const gint16 *samples,
                     gsize         n_samples)
{
  /* under the lock, so that set_speaker (NULL) returns only once no call is under way */
  g_mutex_lock (&self->lock);
  if (self->speaker != NULL)
    self->speaker (samples, n_samples, self->speaker_data);
  g_mutex_unlock (&self->lock);
}

gsize
dd_media_link_take_microphone (DdMediaLink *self,
                               gint16      *samples,
                               gsize        n_samples)
{
  gsize n;

  g_mutex_lock (&self->lock);
  n = MIN (n_samples, self->level);
  for (gsize i = 0; i < n; i++)
    samples[i] = self->ring[(self->head + i) % RING_SAMPLES];
  self->head = (self->head + n) % RING_SAMPLES;
  self->level -= n;
  g_mutex_unlock (&self->lock);
  memset (samples + n, 0, (n_samples - n) * sizeof (gint16));
  return n;
}

void
dd_media_link_put_microphone (DdMediaLink  *self,
                              const gint16 *samples,
                              gsize         n_samples)
{
  g_mutex_lock (&self->lock);
  if (n_samples >= RING_SAMPLES)
    {
      /* only the newest fit */
      samples += n_samples - RING_SAMPLES;
      n_samples = RING_SAMPLES;
    }
  if (self->level + n_samples > RING_SAMPLES)
    {
      gsize drop = self->level + n_samples - RING_SAMPLES;

      self->head = (self->head + drop) % RING_SAMPLES;
      self->level -= drop;
    }
  for (gsize i = 0; i < n_samples; i++)
    self->ring[(self->head + self->level + i) % RING_SAMPLES] = samples[i];
  self->level += n_samples;
  g_mutex_unlock (&self->lock);
}

gsize
dd_media_link_get_microphone_level (DdMediaLink *self)
{
  gsize level;

  g_mutex_lock (&self->lock);
  level = self->level;
  g_mutex_unlock (&self->lock);
  return level;
}
