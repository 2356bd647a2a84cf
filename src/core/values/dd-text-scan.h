/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Scanning the blanks that exports put into numbers, dates and phone numbers: ASCII white
 * space, the no-break space (U+00A0), the spaces U+2000..U+200A (thin, figure, …) and the
 * narrow no-break space (U+202F) that Polish and Russian programs write as thousands
 * separators. UTF-8 in, byte counts out; no allocation. Inline: the importer calls these for
 * every field of every row.
 */

/* Bytes taken by a blank at @p, or 0. @p must be NUL-terminated. */
static inline guint
dd_text_blank_len (const char *p)
{
  const guchar *u = (const guchar *) p;

  if (u[0] == ' ' || u[0] == '\t' || u[0] == '\n' || u[0] == '\r' || u[0] == '\v'
      || u[0] == '\f')
    return 1;
  if (u[0] == 0xc2 && u[1] == 0xa0)
    return 2;
  if (u[0] == 0xe2 && u[1] == 0x80 && ((u[2] >= 0x80 && u[2] <= 0x8a) || u[2] == 0xaf))
    return 3;
  return 0;
}

/* Bytes taken by a blank that ends just before @end (not before @start), or 0. */
static inline guint
dd_text_blank_len_before (const char *start,
                          const char *end)
{
  if (end - start >= 3 && dd_text_blank_len (end - 3) == 3)
    return 3;
  if (end - start >= 2 && dd_text_blank_len (end - 2) == 2)
    return 2;
  if (end - start >= 1 && dd_text_blank_len (end - 1) == 1)
    return 1;
  return 0;
}

/* The first byte at or after @p that is not part of a blank. */
static inline const char *
dd_text_skip_blanks (const char *p)
{
  guint len;

  while ((len = dd_text_blank_len (p)) > 0)
    p += len;
  return p;
}

/* Moves *@start past leading blanks and *@end back before trailing ones. */
static inline void
dd_text_trim_blanks (const char **start,
                     const char **end)
{
  guint len;

  while (*start < *end && (len = dd_text_blank_len (*start)) > 0)
    *start += len;
  while (*end > *start && (len = dd_text_blank_len_before (*start, *end)) > 0)
    *end -= len;
}

/* Bytes taken by a Unicode dash (U+2010..U+2015) or the minus sign (U+2212) at @p, or 0. */
static inline guint
dd_text_dash_len (const char *p)
{
  const guchar *u = (const guchar *) p;

  if (u[0] == 0xe2 && u[1] == 0x80 && u[2] >= 0x90 && u[2] <= 0x95)
    return 3;
  if (u[0] == 0xe2 && u[1] == 0x88 && u[2] == 0x92)
    return 3;
  return 0;
}

/* The words of @text, case-folded: its runs of letters and digits, in order (an empty
 * vector when it has none). For matching what people type or write in any case and with
 * any punctuation ("STOP!", "Żółkiewski, Łukasz"). */
GStrv dd_text_fold_words (const char *text);

G_END_DECLS
