/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "dd-media-wav"

#include "config.h"

#include "dd-media-wav.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#define HEADER_SIZE 44

struct _DdWavWriter
{
  FILE   *file;
  char   *path;
  guint   sample_rate;
  guint   channels;
  guint64 data_bytes;
  gboolean failed;
};

static void
put_le32 (guint8 *p, guint32 v)
{
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
  p[2] = (v >> 16) & 0xff;
  p[3] = (v >> 24) & 0xff;
}

static void
put_le16 (guint8 *p, guint16 v)
{
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
}

static guint32
get_le32 (const guint8 *p)
{
  return p[0] | (p[1] << 8) | (p[2] << 16) | ((guint32) p[3] << 24);
}

static guint16
get_le16 (const guint8 *p)
{
  return p[0] | (p[1] << 8);
}

static void
fill_header (guint8  *h,
             guint    rate,
             guint    channels,
             guint32  data_bytes)
{
  memcpy (h, "RIFF", 4);
  put_le32 (h + 4, 36 + data_bytes);
  memcpy (h + 8, "WAVEfmt ", 8);
  put_le32 (h + 16, 16);
  put_le16 (h + 20, 1);
  put_le16 (h + 22, channels);
  put_le32 (h + 24, rate);
  put_le32 (h + 28, rate * channels * 2);
  put_le16 (h + 32, channels * 2);
  put_le16 (h + 34, 16);
  memcpy (h + 36, "data", 4);
  put_le32 (h + 40, data_bytes);
}

static void
set_errno_error (GError     **error,
                 int          errsv,
                 const char  *path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
               "%s: %s", path, g_strerror (errsv));
}

DdWavWriter *
dd_wav_writer_open (const char  *path,
                    guint        sample_rate,
                    guint        channels,
                    GError     **error)
{
  guint8 header[HEADER_SIZE];
  DdWavWriter *self;
  FILE *file;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (sample_rate > 0 && channels > 0, NULL);

  file = g_fopen (path, "wb");
  if (file == NULL)
    {
      set_errno_error (error, errno, path);
      return NULL;
    }

  fill_header (header, sample_rate, channels, 0);
  if (fwrite (header, 1, sizeof header, file) != sizeof header)
    {
      int errsv = errno;
      fclose (file);
      set_errno_error (error, errsv, path);
      return NULL;
    }

  self = g_new0 (DdWavWriter, 1);
  self->file = file;
  self->path = g_strdup (path);
  self->sample_rate = sample_rate;
  self->channels = channels;

  return self;
}

gboolean
dd_wav_writer_write (DdWavWriter  *self,
                     const gint16 *samples,
                     gsize         n_samples)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->failed)
    return FALSE;

  for (gsize i = 0; i < n_samples; i++)
    {
      guint8 le[2];

      put_le16 (le, (guint16) samples[i]);
      if (fwrite (le, 1, 2, self->file) != 2)
        {
          self->failed = TRUE;
          return FALSE;
        }
    }
  self->data_bytes += n_samples * 2;

  return TRUE;
}

guint64
dd_wav_writer_get_frames (DdWavWriter *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->data_bytes / 2 / self->channels;
}

/**
 * dd_wav_writer_close:
 *
 * Completes the header and frees @self, also on failure.
 */
gboolean
dd_wav_writer_close (DdWavWriter  *self,
                     GError      **error)
{
  guint8 header[HEADER_SIZE];
  gboolean ok;
  int errsv = EIO;

  g_return_val_if_fail (self != NULL, FALSE);

  ok = !self->failed;

  fill_header (header, self->sample_rate, self->channels,
               (guint32) MIN (self->data_bytes, G_MAXUINT32 - 36));
  if (ok && (fseek (self->file, 0, SEEK_SET) != 0 ||
             fwrite (header, 1, sizeof header, self->file) != sizeof header))
    {
      errsv = errno;
      ok = FALSE;
    }
  if (fclose (self->file) != 0 && ok)
    {
      errsv = errno;
      ok = FALSE;
    }
  if (!ok)
    set_errno_error (error, errsv, self->path);

  g_free (self->path);
  g_free (self);

  return ok;
}

/**
 * dd_wav_read:
 *
 * Reads a 16-bit PCM WAV file. Returns the samples (S16LE, interleaved) or %NULL.
 */
GBytes *
dd_wav_read (const char  *path,
             guint       *sample_rate,
             guint       *channels,
             GError     **error)
{
  g_autofree char *contents = NULL;
  const guint8 *p, *end;
  gsize length;
  guint rate = 0, ch = 0, bits = 0, format = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  p = (const guint8 *) contents;
  end = p + length;
  if (length < 12 || memcmp (p, "RIFF", 4) != 0 || memcmp (p + 8, "WAVE", 4) != 0)
    goto invalid;
  p += 12;

  while (end - p >= 8)
    {
      guint32 size = get_le32 (p + 4);
      const guint8 *body = p + 8;

      if ((gsize) (end - body) < size && memcmp (p, "data", 4) != 0)
        goto invalid;

      if (memcmp (p, "fmt ", 4) == 0 && size >= 16)
        {
          format = get_le16 (body);
          ch = get_le16 (body + 2);
          rate = get_le32 (body + 4);
          bits = get_le16 (body + 14);
        }
      else if (memcmp (p, "data", 4) == 0)
        {
          gsize avail = MIN ((gsize) size, (gsize) (end - body));

          if (format != 1 || bits != 16 || ch == 0 || rate == 0)
            goto invalid;
          if (sample_rate != NULL)
            *sample_rate = rate;
          if (channels != NULL)
            *channels = ch;
          return g_bytes_new (body, avail - avail % (2 * ch));
        }

      p = body + size + (size & 1);
    }

invalid:
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
               "%s: not a 16-bit PCM WAV file", path);
  return NULL;
}
