/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-csv"

#include "config.h"

#include "dd-csv-reader.h"

#include <gio/gio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * Sniffs the input, then reads every record of it twice: from a GMemoryInputStream, and from a
 * stream that returns a few bytes per read. Both must give the same records, and every record
 * must keep the promises of the API: at least one field, fields of valid UTF-8 without NULs,
 * record numbers counting up, bytes_read ending at the size of the input.
 */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

#define FUZZ_TYPE_TRICKLE_STREAM (fuzz_trickle_stream_get_type ())
G_DECLARE_FINAL_TYPE (FuzzTrickleStream, fuzz_trickle_stream, FUZZ, TRICKLE_STREAM, GInputStream)

struct _FuzzTrickleStream
{
  GInputStream   parent_instance;
  const guint8  *data;
  gsize          size;
  gsize          pos;
  gsize          chunk;
};

G_DEFINE_TYPE (FuzzTrickleStream, fuzz_trickle_stream, G_TYPE_INPUT_STREAM)

static gssize
fuzz_trickle_stream_read (GInputStream  *stream,
                          void          *buffer,
                          gsize          count,
                          GCancellable  *cancellable,
                          GError       **error)
{
  FuzzTrickleStream *self = FUZZ_TRICKLE_STREAM (stream);
  gsize n = MIN (MIN (count, self->chunk), self->size - self->pos);

  if (n > 0)   /* an empty input may have no data at all */
    memcpy (buffer, self->data + self->pos, n);
  self->pos += n;

  return (gssize) n;
}

static void
fuzz_trickle_stream_class_init (FuzzTrickleStreamClass *klass)
{
  G_INPUT_STREAM_CLASS (klass)->read_fn = fuzz_trickle_stream_read;
}

static void
fuzz_trickle_stream_init (FuzzTrickleStream *self)
{
}

#define CHECK(condition)                                                          \
  G_STMT_START {                                                                  \
    if (!(condition))                                                             \
      {                                                                           \
        g_printerr ("%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
        abort ();                                                                 \
      }                                                                           \
  } G_STMT_END

/* Reads all records into a digest that another reading must reproduce. */
static char *
read_all (GInputStream       *stream,
          const DdCsvDialect *dialect,
          gsize               size)
{
  g_autoptr(DdCsvReader) reader = dd_csv_reader_new (stream, dialect->encoding,
                                                     dialect->delimiter);
  g_autoptr(GError) error = NULL;
  GString *digest = g_string_new (NULL);
  guint64 n_records = 0;
  guint64 last_line = 0;
  guint64 last_bytes_read = 0;

  while (dd_csv_reader_next (reader, NULL, &error))
    {
      guint n_fields = dd_csv_reader_get_n_fields (reader);
      guint64 line = dd_csv_reader_get_line_number (reader);
      guint64 bytes_read = dd_csv_reader_get_bytes_read (reader);

      n_records++;
      CHECK (n_fields >= 1);
      CHECK (dd_csv_reader_get_record_number (reader) == n_records);
      CHECK (line > last_line);
      CHECK (bytes_read >= last_bytes_read && bytes_read <= size);
      CHECK ((dd_csv_reader_get_record_flags (reader) &
              ~(DD_CSV_RECORD_INVALID_ENCODING | DD_CSV_RECORD_STRAY_QUOTE)) == 0);
      last_line = line;
      last_bytes_read = bytes_read;

      g_string_append_printf (digest, "%" G_GUINT64_FORMAT " %u %u:", line, n_fields,
                              (guint) dd_csv_reader_get_record_flags (reader));
      for (guint i = 0; i < n_fields; i++)
        {
          const char *field = dd_csv_reader_get_field (reader, i);
          gsize len = dd_csv_reader_get_field_length (reader, i);

          CHECK (field != NULL);
          CHECK (strlen (field) == len);
          CHECK (g_utf8_validate (field, (gssize) len, NULL));
          g_string_append_printf (digest, "%" G_GSIZE_FORMAT ":", len);
          g_string_append_len (digest, field, (gssize) len);
        }
      CHECK (dd_csv_reader_get_field (reader, n_fields) == NULL);
      g_string_append_c (digest, '\n');
    }

  CHECK (dd_csv_reader_get_n_fields (reader) == 0);
  if (error != NULL)
    {
      CHECK (g_error_matches (error, DD_CSV_ERROR, DD_CSV_ERROR_UNTERMINATED_QUOTE) ||
             (DD_CSV_ENCODING_IS_UTF16 (dialect->encoding) &&
              g_error_matches (error, DD_CSV_ERROR, DD_CSV_ERROR_INVALID_TEXT)));
      g_string_append_printf (digest, "error %s", error->message);

      /* Errors are sticky. */
      g_clear_error (&error);
      CHECK (!dd_csv_reader_next (reader, NULL, &error));
      CHECK (g_error_matches (error, DD_CSV_ERROR, DD_CSV_ERROR_UNTERMINATED_QUOTE) ||
             g_error_matches (error, DD_CSV_ERROR, DD_CSV_ERROR_INVALID_TEXT));
    }
  else
    {
      CHECK (dd_csv_reader_get_bytes_read (reader) == size);
      CHECK (!dd_csv_reader_next (reader, NULL, &error));
      CHECK (error == NULL);
    }

  return g_string_free (digest, FALSE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char delimiters[] = { ';', ',', '\t', '|' };
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) memory = NULL;
  g_autoptr(FuzzTrickleStream) trickle = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *trickle_digest = NULL;
  DdCsvDialect dialect;

  if (dd_csv_sniff (data, size, &dialect, &error))
    {
      CHECK (dialect.encoding <= DD_CSV_ENCODING_LAST);
      CHECK (memchr (delimiters, dialect.delimiter, sizeof delimiters) != NULL);
      CHECK (dialect.n_columns >= 1);
      CHECK (!dialect.has_bom || dialect.encoding == DD_CSV_ENCODING_UTF8 ||
             DD_CSV_ENCODING_IS_UTF16 (dialect.encoding));
    }
  else
    {
      CHECK (error != NULL && error->domain == DD_CSV_ERROR);
      CHECK (g_utf8_validate (error->message, -1, NULL));

      /* Read it anyway, as a user forcing a dialect would. */
      dialect.encoding = size > 0 ? data[0] % (DD_CSV_ENCODING_LAST + 1) : DD_CSV_ENCODING_UTF8;
      dialect.delimiter = delimiters[size > 1 ? data[1] % 4 : 0];
    }

  memory = g_memory_input_stream_new_from_data (data, (gssize) size, NULL);
  digest = read_all (memory, &dialect, size);

  trickle = g_object_new (FUZZ_TYPE_TRICKLE_STREAM, NULL);
  trickle->data = data;
  trickle->size = size;
  trickle->chunk = 1 + (size > 0 ? data[size - 1] % 7 : 0);
  trickle_digest = read_all (G_INPUT_STREAM (trickle), &dialect, size);

  CHECK (strcmp (digest, trickle_digest) == 0);

  return 0;
}
