/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "dd-csv-sniffer.h"

G_BEGIN_DECLS

#define DD_CSV_ERROR (dd_csv_error_quark ())

typedef enum
{
  DD_CSV_ERROR_IO,
  DD_CSV_ERROR_UNTERMINATED_QUOTE,
  DD_CSV_ERROR_RECORD_TOO_LONG,
  DD_CSV_ERROR_EMPTY,
  DD_CSV_ERROR_NOT_TEXT,
  DD_CSV_ERROR_UNSUPPORTED_ENCODING,
  /* UTF-16 that ends inside a character or has a broken surrogate pair */
  DD_CSV_ERROR_INVALID_TEXT,
} DdCsvError;

typedef enum
{
  DD_CSV_RECORD_OK                = 0,
  /* bytes not valid in the encoding (or NUL bytes): replaced by U+FFFD */
  DD_CSV_RECORD_INVALID_ENCODING  = 1 << 0,
  /* a quote inside an unquoted field or text after a closing quote: kept literally */
  DD_CSV_RECORD_STRAY_QUOTE       = 1 << 1,
} DdCsvRecordFlags;

/* Records longer than this (in UTF-8 bytes) fail with DD_CSV_ERROR_RECORD_TOO_LONG. */
#define DD_CSV_READER_DEFAULT_MAX_RECORD_SIZE ((gsize) 256 * 1024 * 1024)

#define DD_TYPE_CSV_READER (dd_csv_reader_get_type ())

G_DECLARE_FINAL_TYPE (DdCsvReader, dd_csv_reader, DD, CSV_READER, GObject)

GQuark            dd_csv_error_quark                 (void);

DdCsvReader      *dd_csv_reader_new                  (GInputStream  *stream,
                                                      DdCsvEncoding  encoding,
                                                      char           delimiter);
void              dd_csv_reader_set_max_record_size  (DdCsvReader   *self,
                                                      gsize          max_size);
gboolean          dd_csv_reader_next                 (DdCsvReader   *self,
                                                      GCancellable  *cancellable,
                                                      GError       **error);
guint             dd_csv_reader_get_n_fields         (DdCsvReader   *self);
const char       *dd_csv_reader_get_field            (DdCsvReader   *self,
                                                      guint          index);
gsize             dd_csv_reader_get_field_length     (DdCsvReader   *self,
                                                      guint          index);
DdCsvRecordFlags  dd_csv_reader_get_record_flags     (DdCsvReader   *self);
guint64           dd_csv_reader_get_record_number    (DdCsvReader   *self);
guint64           dd_csv_reader_get_line_number      (DdCsvReader   *self);
guint64           dd_csv_reader_get_bytes_read       (DdCsvReader   *self);
/* Reads past @n_records records (a report's title before the table, see
 * DdCsvDialect.skip_records); FALSE at the end of the file (no error) or on an error. */
gboolean          dd_csv_reader_skip_records         (DdCsvReader   *self,
                                                      guint          n_records,
                                                      GCancellable  *cancellable,
                                                      GError       **error);

G_END_DECLS
