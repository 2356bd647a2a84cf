/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "dd-media-dtmf"

#include "config.h"

#include "dd-media-dtmf.h"

#include <math.h>

#define BLOCK_SAMPLES_8K 205
#define N_ROWS 4
#define N_COLS 4

static const double row_freqs[N_ROWS] = { 697.0, 770.0, 852.0, 941.0 };
static const double col_freqs[N_COLS] = { 1209.0, 1336.0, 1477.0, 1633.0 };
static const char keypad[N_ROWS][N_COLS] = {
  { '1', '2', '3', 'A' },
  { '4', '5', '6', 'B' },
  { '7', '8', '9', 'C' },
  { '*', '0', '#', 'D' },
};

/* Minimum mean square of a block: about -44 dBFS. */
#define MIN_MEAN_SQUARE 20000.0
/* The two tones must hold this share of the block energy (0.5 for a perfect pair). */
#define MIN_TONE_SHARE 0.33
/* Twist: row/column power ratio limits (about 8 dB either way). */
#define MAX_TWIST 6.3
/* The strongest tone of a group must beat the next one by this power ratio (6 dB). */
#define MIN_DOMINANCE 4.0

struct _DdDtmfDetector
{
  guint   sample_rate;
  guint   block_size;
  double  row_coef[N_ROWS];
  double  col_coef[N_COLS];
  gint16 *block;
  guint   fill;
  char    candidate;     /* digit seen in the previous block, or 0 */
  char    reported;      /* digit reported and still held, or 0 */
  guint   absent_blocks; /* blocks without the reported digit */
};

static double
goertzel_power (const gint16 *x,
                guint         n,
                double        coef)
{
  double s1 = 0.0, s2 = 0.0;

  for (guint i = 0; i < n; i++)
    {
      double s0 = x[i] + coef * s1 - s2;
      s2 = s1;
      s1 = s0;
    }

  return s1 * s1 + s2 * s2 - coef * s1 * s2;
}

static int
strongest (const double *power,
           guint         n,
           double       *second)
{
  int best = 0;

  for (guint i = 1; i < n; i++)
    if (power[i] > power[best])
      best = i;

  *second = 0.0;
  for (guint i = 0; i < n; i++)
    if ((int) i != best && power[i] > *second)
      *second = power[i];

  return best;
}

static char
classify_block (DdDtmfDetector *self)
{
  double row_power[N_ROWS], col_power[N_COLS];
  double energy = 0.0, row_second, col_second, r, c;
  guint n = self->block_size;
  int row, col;

  for (guint i = 0; i < n; i++)
    energy += (double) self->block[i] * self->block[i];

  if (energy / n < MIN_MEAN_SQUARE)
    return 0;

  for (guint i = 0; i < N_ROWS; i++)
    row_power[i] = goertzel_power (self->block, n, self->row_coef[i]);
  for (guint i = 0; i < N_COLS; i++)
    col_power[i] = goertzel_power (self->block, n, self->col_coef[i]);

  row = strongest (row_power, N_ROWS, &row_second);
  col = strongest (col_power, N_COLS, &col_second);
  r = row_power[row];
  c = col_power[col];

  if ((r + c) / (n * energy) < MIN_TONE_SHARE)
    return 0;
  if (r > c * MAX_TWIST || c > r * MAX_TWIST)
    return 0;
  if (r < row_second * MIN_DOMINANCE || c < col_second * MIN_DOMINANCE)
    return 0;

  return keypad[row][col];
}

DdDtmfDetector *
dd_dtmf_detector_new (guint sample_rate)
{
  DdDtmfDetector *self;

  g_return_val_if_fail (sample_rate >= 4000, NULL);

  self = g_new0 (DdDtmfDetector, 1);
  self->sample_rate = sample_rate;
  self->block_size = BLOCK_SAMPLES_8K * sample_rate / 8000;
  self->block = g_new0 (gint16, self->block_size);

  for (guint i = 0; i < N_ROWS; i++)
    self->row_coef[i] = 2.0 * cos (2.0 * G_PI * row_freqs[i] / sample_rate);
  for (guint i = 0; i < N_COLS; i++)
    self->col_coef[i] = 2.0 * cos (2.0 * G_PI * col_freqs[i] / sample_rate);

  return self;
}

void
dd_dtmf_detector_free (DdDtmfDetector *self)
{
  if (self == NULL)
    return;

  g_free (self->block);
  g_free (self);
}

void
dd_dtmf_detector_reset (DdDtmfDetector *self)
{
  g_return_if_fail (self != NULL);

  self->fill = 0;
  self->candidate = 0;
  self->reported = 0;
  self->absent_blocks = 0;
}

/**
 * dd_dtmf_detector_feed:
 * @digits: (out caller-allocates): room for @max_digits characters (not NUL-terminated)
 *
 * Feeds PCM samples. Returns how many new key presses were recognised in them.
 */
gsize
dd_dtmf_detector_feed (DdDtmfDetector *self,
                       const gint16   *samples,
                       gsize           n_samples,
                       char           *digits,
                       gsize           max_digits)
{
  gsize found = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (samples != NULL || n_samples == 0, 0);

  for (gsize i = 0; i < n_samples; i++)
    {
      char digit;

      self->block[self->fill++] = samples[i];
      if (self->fill < self->block_size)
        continue;
      self->fill = 0;

      digit = classify_block (self);

      if (self->reported != 0)
        {
          if (digit == self->reported)
            self->absent_blocks = 0;
          else if (++self->absent_blocks >= 2)
            self->reported = 0;
        }

      if (digit != 0 && digit == self->candidate && self->reported == 0)
        {
          self->reported = digit;
          self->absent_blocks = 0;
          if (found < max_digits)
            digits[found++] = digit;
        }

      self->candidate = digit;
    }

  return found;
}

/**
 * dd_dtmf_synthesize:
 * @amplitude: peak amplitude of each of the two tones, 0.0 to 0.5 of full scale
 *
 * Writes the dual tone of @digit. Returns %FALSE if @digit is not a keypad digit.
 */
gboolean
dd_dtmf_synthesize (char    digit,
                    guint   sample_rate,
                    double  amplitude,
                    gint16 *samples,
                    gsize   n_samples)
{
  double fr = 0.0, fc = 0.0;
  gboolean known = FALSE;

  g_return_val_if_fail (sample_rate > 0, FALSE);
  g_return_val_if_fail (amplitude >= 0.0 && amplitude <= 0.5, FALSE);

  for (guint r = 0; r < N_ROWS && !known; r++)
    for (guint c = 0; c < N_COLS && !known; c++)
      if (keypad[r][c] == g_ascii_toupper (digit))
        {
          fr = row_freqs[r];
          fc = col_freqs[c];
          known = TRUE;
        }

  if (!known)
    return FALSE;

  for (gsize i = 0; i < n_samples; i++)
    {
      double t = (double) i / sample_rate;
      double v = amplitude * (sin (2.0 * G_PI * fr * t) + sin (2.0 * G_PI * fc * t));
      samples[i] = (gint16) lrint (v * 32767.0);
    }

  return TRUE;
}
