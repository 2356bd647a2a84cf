/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How many leading bytes of a file the sniffer should be given. */
#define DD_CSV_SNIFF_SIZE (64 * 1024)

typedef enum
{
  DD_CSV_ENCODING_UTF8,
  DD_CSV_ENCODING_WINDOWS_1250,
  DD_CSV_ENCODING_WINDOWS_1251,
  DD_CSV_ENCODING_ISO_8859_2,
  /* Excel's "Unicode Text" (UTF-16LE, with a byte order mark, tab-separated) and its
   * big-endian sibling: converted to UTF-8 while reading */
  DD_CSV_ENCODING_UTF16LE,
  DD_CSV_ENCODING_UTF16BE,
} DdCsvEncoding;

#define DD_CSV_ENCODING_LAST DD_CSV_ENCODING_UTF16BE
#define DD_CSV_ENCODING_IS_UTF16(e) ((e) == DD_CSV_ENCODING_UTF16LE || \
                                     (e) == DD_CSV_ENCODING_UTF16BE)

typedef struct
{
  DdCsvEncoding encoding;
  gboolean      has_bom;
  char          delimiter;      /* ';' ',' '\t' '|' */
  gboolean      has_header;
  guint         skip_records;   /* a report's title before the table: records to pass over */
  guint         n_columns;      /* columns of the first record of the table */
  char          country[3];     /* "RU", "PL", or "" when the text does not tell */
  gboolean      month_first;    /* slash dates are MM/DD/YYYY (dd_csv_sniff_month_first()) */
  gboolean      dates_ambiguous; /* every slash date of the sample fits both orders */
} DdCsvDialect;

const char *dd_csv_encoding_to_string   (DdCsvEncoding  encoding);
gboolean    dd_csv_encoding_from_string (const char    *name,
                                         DdCsvEncoding *out_encoding);
gunichar    dd_csv_encoding_to_unichar  (DdCsvEncoding  encoding,
                                         guint8         byte);
char       *dd_csv_utf16_sample_to_utf8 (const guint8  *data,
                                         gsize          len,
                                         DdCsvEncoding  encoding,
                                         gsize         *out_len);

gboolean    dd_csv_sniff_month_first    (const guint8  *data,
                                         gsize          len,
                                         DdCsvEncoding  encoding,
                                         char           delimiter,
                                         guint          skip_records,
                                         gboolean      *out_ambiguous);
gboolean    dd_csv_sniff                (const guint8  *data,
                                         gsize          len,
                                         DdCsvDialect  *out_dialect,
                                         GError       **error);
gboolean    dd_csv_sniff_with_encoding  (const guint8  *data,
                                         gsize          len,
                                         DdCsvEncoding  encoding,
                                         DdCsvDialect  *out_dialect,
                                         GError       **error);

/* The country an export comes from, by what it contains: Cyrillic headers, ИНН/КПП, +7 and
 * 8 9xx numbers, "руб." for Russia; NIP/REGON/PESEL, +48, Polish letters, "zł" for Poland.
 * Returns "RU", "PL" or NULL. */
const char *dd_csv_sniff_country        (const guint8  *data,
                                         gsize          len,
                                         DdCsvEncoding  encoding);

G_END_DECLS
