/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-csv"

#include "config.h"

#include "dd-csv-reader.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/*
 * A streaming RFC 4180 reader.
 *
 * The input is read in chunks of CHUNK_SIZE bytes and parsed by a resumable state machine, so
 * a record may span any number of chunks. The current record is kept as UTF-8 in one growing
 * buffer: the fields one after the other, each followed by a NUL, with their offsets in
 * @starts (n_fields + 1 entries, the last one being the end of the record). Buffers grow
 * geometrically and are reused, so memory is bounded by the longest record and the cost of a
 * record is linear in its length.
 *
 * Single-byte encodings are converted while parsing through a 256-entry table of UTF-8
 * sequences; UTF-8 input is copied and validated once the record is complete. Delimiter, quote,
 * CR and LF are ASCII, and ASCII bytes never occur inside a UTF-8 multi-byte sequence, so
 * parsing bytes is safe in every supported encoding.
 *
 * UTF-16 (LE or BE) is converted to UTF-8 chunk by chunk before parsing (fill_utf16()), so the
 * parser only ever sees UTF-8. Its errors (a file that ends inside a character, a broken
 * surrogate pair) are strict: they wait until the parser has read everything before them and
 * then fail with the physical line they are on.
 */

#define CHUNK_SIZE (64 * 1024)

typedef enum
{
  STATE_RECORD_START,   /* between records: empty lines are skipped here */
  STATE_FIELD_START,    /* at the start of a field that is not the first one */
  STATE_UNQUOTED,
  STATE_QUOTED,
  STATE_QUOTED_QUOTE,   /* a quote seen inside a quoted field: doubled or closing? */
} ParseState;

typedef enum
{
  CLASS_PLAIN,          /* copied as is */
  CLASS_DELIMITER,
  CLASS_QUOTE,
  CLASS_CR,
  CLASS_LF,
  CLASS_CONVERT,        /* looked up in the byte mapping */
} ByteClass;

typedef enum
{
  STEP_MORE,
  STEP_RECORD,
  STEP_END,
  STEP_ERROR,
} StepResult;

typedef enum
{
  UTF16_OK,
  UTF16_TRUNCATED,         /* the input ends inside a character */
  UTF16_BROKEN_SURROGATE,  /* a surrogate without its other half */
} DdCsvUtf16Problem;

typedef struct
{
  char   utf8[4];
  guint8 len;
  guint8 invalid;
} ByteMapping;

struct _DdCsvReader
{
  GObject             parent_instance;

  GInputStream       *stream;
  DdCsvEncoding       encoding;
  char                delimiter;
  const ByteMapping  *mapping;        /* NULL for UTF-8 */
  guint8              classes[256];

  guint8             *buf;
  gsize               buf_pos;
  gsize               buf_len;
  guint64             stream_offset;  /* bytes read from the stream so far */
  guint               eof : 1;
  guint               bom_checked : 1;
  guint               after_cr : 1;   /* the last byte was a CR: a LF right after it is skipped */

  /* UTF-16 input: the raw bytes, converted into buf by fill_utf16() */
  guint               utf16_be : 1;
  guint               raw_eof : 1;
  guint8             *raw;            /* NULL unless the input is UTF-16 */
  gsize               raw_pos;
  gsize               raw_len;
  guint64             chunk_raw_start; /* input bytes before the text now in buf */
  guint64             chunk_raw_end;   /* input bytes up to the end of the text now in buf */
  DdCsvUtf16Problem   utf16_problem;  /* found by the converter, raised when buf is used up */
  ParseState          state;
  GError             *error;          /* sticky: every later call fails with it */

  char               *rec;
  gsize               rec_len;
  gsize               rec_alloc;
  gsize              *starts;
  guint               n_fields;       /* fields of the record being read */
  guint               starts_alloc;
  guint               n_ready;        /* fields of the record handed out; 0 when there is none */
  DdCsvRecordFlags    flags;
  guint64             record_number;
  guint64             line;           /* physical line of the parser position */
  guint64             record_line;
  gsize               max_record_size;
};

G_DEFINE_TYPE (DdCsvReader, dd_csv_reader, G_TYPE_OBJECT)

G_DEFINE_QUARK (dd-csv-error-quark, dd_csv_error)

static const char replacement_char[] = "\357\277\275";

static const ByteMapping *
get_byte_mapping (DdCsvEncoding encoding)
{
  static ByteMapping tables[DD_CSV_ENCODING_ISO_8859_2 + 1][256];
  static gsize initialized[DD_CSV_ENCODING_ISO_8859_2 + 1];

  g_assert (encoding >= DD_CSV_ENCODING_WINDOWS_1250 && encoding <= DD_CSV_ENCODING_ISO_8859_2);

  if (g_once_init_enter (&initialized[encoding]))
    {
      ByteMapping *table = tables[encoding];

      for (guint b = 0; b < 256; b++)
        {
          gunichar c = dd_csv_encoding_to_unichar (encoding, (guint8) b);

          if (b == 0 || c == (gunichar) -1)
            {
              memcpy (table[b].utf8, replacement_char, 3);
              table[b].len = 3;
              table[b].invalid = 1;
            }
          else
            {
              table[b].len = (guint8) g_unichar_to_utf8 (c, table[b].utf8);
              table[b].invalid = 0;
            }
        }

      g_once_init_leave (&initialized[encoding], 1);
    }

  return tables[encoding];
}

static void
set_error (DdCsvReader  *self,
           GError      **error,
           GError       *new_error)
{
  /* Between records, the failure is at the record that would have started here. */
  if (self->state == STATE_RECORD_START)
    self->record_line = self->line;

  g_clear_error (&self->error);
  self->error = new_error;
  if (error != NULL)
    *error = g_error_copy (new_error);
}

static gboolean
grow_record (DdCsvReader  *self,
             gsize         extra)
{
  gsize needed;
  gsize alloc;

  if (extra > G_MAXSIZE - self->rec_len)
    return FALSE;

  needed = self->rec_len + extra;
  alloc = MAX (self->rec_alloc, 256);
  while (alloc < needed)
    {
      if (alloc > G_MAXSIZE / 2)
        {
          alloc = needed;
          break;
        }
      alloc *= 2;
    }

  self->rec = g_realloc (self->rec, alloc);
  self->rec_alloc = alloc;

  return TRUE;
}

static inline void
reserve (DdCsvReader *self,
         gsize        extra)
{
  if (G_UNLIKELY (self->rec_alloc - self->rec_len < extra))
    {
      if (!grow_record (self, extra))
        g_error ("CSV record buffer size overflow");
    }
}

static inline void
append_byte (DdCsvReader *self,
             char         c)
{
  reserve (self, 1);
  self->rec[self->rec_len++] = c;
}

static void
begin_record (DdCsvReader *self)
{
  self->rec_len = 0;
  self->n_fields = 0;
  self->flags = DD_CSV_RECORD_OK;
  self->record_line = self->line;

  if (self->starts_alloc == 0)
    {
      self->starts_alloc = 16;
      self->starts = g_new (gsize, self->starts_alloc);
    }
  self->starts[0] = 0;
}

static void
end_field (DdCsvReader *self)
{
  append_byte (self, '\0');

  if (self->n_fields + 2 > self->starts_alloc)
    {
      if (self->starts_alloc > G_MAXUINT / 2)
        g_error ("Too many CSV fields");
      self->starts_alloc *= 2;
      self->starts = g_renew (gsize, self->starts, self->starts_alloc);
    }

  self->n_fields++;
  self->starts[self->n_fields] = self->rec_len;
}

static void
append_repaired_utf8 (GString    *out,
                      const char *s,
                      gsize       len)
{
  while (len > 0)
    {
      const char *bad;
      gsize good;

      if (g_utf8_validate_len (s, len, &bad))
        {
          g_string_append_len (out, s, (gssize) len);
          return;
        }

      good = (gsize) (bad - s);
      g_string_append_len (out, s, (gssize) good);
      g_string_append_len (out, replacement_char, 3);
      s = bad + 1;
      len -= good + 1;
    }
}

/* Replaces every byte of the record that is not part of valid UTF-8 (NUL included). */
static void
validate_utf8_record (DdCsvReader *self)
{
  GString *out;
  guint i;

  for (i = 0; i < self->n_fields; i++)
    {
      gsize start = self->starts[i];
      gsize len = self->starts[i + 1] - start - 1;

      if (!g_utf8_validate_len (self->rec + start, len, NULL))
        break;
    }

  if (i == self->n_fields)
    return;

  self->flags |= DD_CSV_RECORD_INVALID_ENCODING;

  out = g_string_sized_new (self->rec_len + 64);
  for (i = 0; i < self->n_fields; i++)
    {
      gsize start = self->starts[i];
      gsize len = self->starts[i + 1] - start - 1;

      self->starts[i] = out->len;
      append_repaired_utf8 (out, self->rec + start, len);
      g_string_append_len (out, "", 1);
    }
  self->starts[self->n_fields] = out->len;

  g_free (self->rec);
  self->rec_len = out->len;
  self->rec_alloc = out->allocated_len;
  self->rec = g_string_free (out, FALSE);
}

static void
complete_record (DdCsvReader *self)
{
  if (self->mapping == NULL)
    validate_utf8_record (self);

  self->n_ready = self->n_fields;
  self->record_number++;
  self->state = STATE_RECORD_START;
}

/* Reads what the stream has, up to @len bytes, into @dest; @out_n is 0 at its end. */
static gboolean
read_stream (DdCsvReader   *self,
             guint8        *dest,
             gsize          len,
             gsize         *out_n,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize n = g_input_stream_read (self->stream, dest, len, cancellable, &local_error);

  if (n < 0)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_error (self, error, g_steal_pointer (&local_error));
      else
        set_error (self, error,
                   g_error_new (DD_CSV_ERROR, DD_CSV_ERROR_IO,
                                _("Could not read the file: %s"), local_error->message));
      return FALSE;
    }
  self->stream_offset += (guint64) n;
  *out_n = (gsize) n;
  return TRUE;
}

static gboolean
read_raw (DdCsvReader   *self,
          GCancellable  *cancellable,
          GError       **error)
{
  gsize keep = self->raw_len - self->raw_pos;
  gsize n;

  memmove (self->raw, self->raw + self->raw_pos, keep);
  self->raw_pos = 0;
  self->raw_len = keep;

  if (!read_stream (self, self->raw + self->raw_len, CHUNK_SIZE - self->raw_len, &n,
                    cancellable, error))
    return FALSE;
  if (n == 0)
    self->raw_eof = TRUE;
  self->raw_len += n;
  return TRUE;
}

static inline gunichar
utf16_unit (DdCsvReader *self,
            gsize        pos)
{
  const guint8 *p = self->raw + pos;

  return self->utf16_be ? (gunichar) (p[0] << 8 | p[1]) : (gunichar) (p[1] << 8 | p[0]);
}

/* Converts the next piece of UTF-16 input into buf. A problem in the input is raised once the
 * text before it has been parsed, so that its line is known. */
static gboolean
fill_utf16 (DdCsvReader   *self,
            GCancellable  *cancellable,
            GError       **error)
{
  guint8 *out = self->buf;
  guint8 *out_end = self->buf + CHUNK_SIZE - 4;

  self->buf_pos = 0;
  self->buf_len = 0;
  self->chunk_raw_start = self->stream_offset - (self->raw_len - self->raw_pos);

  while (self->utf16_problem == UTF16_OK && out < out_end)
    {
      gsize avail = self->raw_len - self->raw_pos;
      gunichar c;

      if (avail < 4 && !self->raw_eof)
        {
          if (!read_raw (self, cancellable, error))
            return FALSE;
          continue;
        }
      if (avail == 0)
        break;
      if (avail == 1)
        {
          self->utf16_problem = UTF16_TRUNCATED;
          break;
        }

      c = utf16_unit (self, self->raw_pos);
      if (c >= 0xD800 && c < 0xDC00)
        {
          gunichar low;

          if (avail < 4)
            {
              self->utf16_problem = UTF16_TRUNCATED;
              break;
            }
          low = utf16_unit (self, self->raw_pos + 2);
          if (low < 0xDC00 || low >= 0xE000)
            {
              self->utf16_problem = UTF16_BROKEN_SURROGATE;
              break;
            }
          c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
          self->raw_pos += 4;
        }
      else if (c >= 0xDC00 && c < 0xE000)
        {
          self->utf16_problem = UTF16_BROKEN_SURROGATE;
          break;
        }
      else
        self->raw_pos += 2;

      if (!self->bom_checked)
        {
          self->bom_checked = TRUE;
          if (c == 0xFEFF)
            continue;
        }
      /* U+0000 becomes a NUL byte, which the UTF-8 check replaces and flags */
      out += g_unichar_to_utf8 (c, (char *) out);
    }

  self->buf_len = (gsize) (out - self->buf);
  self->chunk_raw_end = self->stream_offset - (self->raw_len - self->raw_pos);
  if (self->buf_len > 0)
    return TRUE;

  if (self->utf16_problem != UTF16_OK)
    {
      g_autofree char *line = g_strdup_printf ("%" G_GUINT64_FORMAT, self->line);

      if (self->utf16_problem == UTF16_TRUNCATED)
        set_error (self, error,
                   g_error_new (DD_CSV_ERROR, DD_CSV_ERROR_INVALID_TEXT,
                                /* Translators: %s is a line number */
                                _("Line %s: the file ends in the middle of a character; it is "
                                  "not complete UTF-16 text. Was it cut off while copying? Save "
                                  "it again from your spreadsheet application."),
                                line));
      else
        set_error (self, error,
                   g_error_new (DD_CSV_ERROR, DD_CSV_ERROR_INVALID_TEXT,
                                /* Translators: %s is a line number */
                                _("Line %s: the text is not valid UTF-16 (half of a character "
                                  "pair is missing). Save the file again from your spreadsheet "
                                  "application."),
                                line));
      return FALSE;
    }

  self->eof = self->raw_eof && self->raw_pos == self->raw_len;
  return TRUE;
}

static gboolean
fill_buffer (DdCsvReader   *self,
             GCancellable  *cancellable,
             GError       **error)
{
  if (self->eof)
    return TRUE;

  /* Only called once the buffer is used up. */
  g_assert (self->buf_pos == self->buf_len);
  if (self->raw != NULL)
    return fill_utf16 (self, cancellable, error);
  self->buf_pos = 0;
  self->buf_len = 0;

  do
    {
      gsize n;

      if (!read_stream (self, self->buf + self->buf_len, CHUNK_SIZE - self->buf_len,
                        &n, cancellable, error))
        return FALSE;
      if (n == 0)
        self->eof = TRUE;
      self->buf_len += n;
    }
  /* A UTF-8 byte order mark needs the first three bytes together. */
  while (!self->bom_checked && !self->eof && self->buf_len < 3);

  if (!self->bom_checked)
    {
      self->bom_checked = TRUE;
      if (self->buf_len >= 3 && memcmp (self->buf, "\357\273\277", 3) == 0)
        self->buf_pos = 3;
    }

  return TRUE;
}

static StepResult
finish_at_eof (DdCsvReader  *self,
               GError      **error)
{
  switch (self->state)
    {
    case STATE_RECORD_START:
      return STEP_END;

    case STATE_QUOTED:
      {
        g_autofree char *line = g_strdup_printf ("%" G_GUINT64_FORMAT, self->record_line);

        set_error (self, error,
                   g_error_new (DD_CSV_ERROR, DD_CSV_ERROR_UNTERMINATED_QUOTE,
                                _("A quoted field in the record starting on line %s is never "
                                  "closed: the file ends inside the quotes"),
                                line));
        return STEP_ERROR;
      }

    case STATE_FIELD_START:
    case STATE_UNQUOTED:
    case STATE_QUOTED_QUOTE:
    default:
      /* The last line has no line break. */
      end_field (self);
      complete_record (self);
      return STEP_RECORD;
    }
}

/* Ends the record at a CR or LF at buf_pos. */
static StepResult
end_record_at_newline (DdCsvReader *self)
{
  guint8 c = self->buf[self->buf_pos++];

  end_field (self);
  self->line++;

  if (c == '\r')
    {
      if (self->buf_pos < self->buf_len)
        {
          if (self->buf[self->buf_pos] == '\n')
            self->buf_pos++;
        }
      else
        self->after_cr = TRUE;
    }

  complete_record (self);
  return STEP_RECORD;
}

/* Consumes unquoted field content up to the next special byte or the end of the buffer. */
static StepResult
step_unquoted (DdCsvReader *self)
{
  const guint8 *classes = self->classes;
  const guint8 *start = self->buf + self->buf_pos;
  const guint8 *end = self->buf + self->buf_len;
  const guint8 *p = start;

  if (self->mapping == NULL)
    {
      while (p < end && classes[*p] == CLASS_PLAIN)
        p++;
      if (p > start)
        {
          reserve (self, (gsize) (p - start));
          memcpy (self->rec + self->rec_len, start, (gsize) (p - start));
          self->rec_len += (gsize) (p - start);
        }
    }
  else
    {
      const ByteMapping *mapping = self->mapping;
      guint8 invalid = 0;
      char *out;

      reserve (self, 3 * (gsize) (end - start) + 4);
      out = self->rec + self->rec_len;
      for (; p < end; p++)
        {
          guint8 k = classes[*p];

          if (k == CLASS_PLAIN)
            {
              *out++ = (char) *p;
            }
          else if (k == CLASS_CONVERT)
            {
              const ByteMapping *m = &mapping[*p];

              memcpy (out, m->utf8, 4);
              out += m->len;
              invalid |= m->invalid;
            }
          else
            {
              break;
            }
        }
      self->rec_len = (gsize) (out - self->rec);
      if (invalid)
        self->flags |= DD_CSV_RECORD_INVALID_ENCODING;
    }

  self->buf_pos = (gsize) (p - self->buf);
  if (p == end)
    return STEP_MORE;

  switch (classes[*p])
    {
    case CLASS_DELIMITER:
      self->buf_pos++;
      end_field (self);
      self->state = STATE_FIELD_START;
      return STEP_MORE;

    case CLASS_QUOTE:
      self->buf_pos++;
      append_byte (self, '"');
      self->flags |= DD_CSV_RECORD_STRAY_QUOTE;
      return STEP_MORE;

    case CLASS_CR:
    case CLASS_LF:
    default:
      return end_record_at_newline (self);
    }
}

/* Consumes quoted field content up to the next quote or the end of the buffer. */
static void
step_quoted (DdCsvReader *self)
{
  const ByteMapping *mapping = self->mapping;
  const guint8 *classes = self->classes;
  const guint8 *start = self->buf + self->buf_pos;
  const guint8 *end = self->buf + self->buf_len;
  const guint8 *p = start;
  guint8 invalid = 0;
  guint64 lines = 0;
  char *out;

  reserve (self, (mapping != NULL ? 3 : 1) * (gsize) (end - start) + 4);
  out = self->rec + self->rec_len;

  while (p < end)
    {
      guint8 c = *p;

      switch (classes[c])
        {
        case CLASS_PLAIN:
        case CLASS_DELIMITER:
          *out++ = (char) c;
          p++;
          break;

        case CLASS_CONVERT:
          memcpy (out, mapping[c].utf8, 4);
          out += mapping[c].len;
          invalid |= mapping[c].invalid;
          p++;
          break;

        case CLASS_LF:
          *out++ = '\n';
          lines++;
          p++;
          break;

        case CLASS_CR:
          *out++ = '\r';
          lines++;
          p++;
          if (p == end)
            self->after_cr = TRUE;
          else if (*p == '\n')
            {
              *out++ = '\n';
              p++;
            }
          break;

        case CLASS_QUOTE:
        default:
          p++;
          self->state = STATE_QUOTED_QUOTE;
          goto out;
        }
    }

out:
  self->rec_len = (gsize) (out - self->rec);
  self->buf_pos = (gsize) (p - self->buf);
  self->line += lines;
  if (invalid)
    self->flags |= DD_CSV_RECORD_INVALID_ENCODING;
}

static gboolean
check_record_size (DdCsvReader  *self,
                   GError      **error)
{
  g_autofree char *line = NULL;
  g_autofree char *size = NULL;

  /* rec_len counts the NUL after each field: a row of empty fields is not free either. */
  if (G_LIKELY (self->rec_len <= self->max_record_size))
    return TRUE;

  self->n_ready = 0;
  line = g_strdup_printf ("%" G_GUINT64_FORMAT, self->record_line);
  size = g_format_size (self->max_record_size);
  set_error (self, error,
             g_error_new (DD_CSV_ERROR, DD_CSV_ERROR_RECORD_TOO_LONG,
                          _("The record starting on line %s is longer than %s; "
                            "is this really a CSV file?"),
                          line, size));
  return FALSE;
}

static StepResult
read_record (DdCsvReader   *self,
             GCancellable  *cancellable,
             GError       **error)
{
  for (;;)
    {
      guint8 c;

      if (!check_record_size (self, error))
        return STEP_ERROR;

      if (self->buf_pos == self->buf_len)
        {
          StepResult result;

          if (!fill_buffer (self, cancellable, error))
            return STEP_ERROR;
          /* A chunk may hold nothing but the byte order mark. */
          if (self->buf_pos != self->buf_len || !self->eof)
            continue;

          result = finish_at_eof (self, error);
          if (result == STEP_RECORD && !check_record_size (self, error))
            return STEP_ERROR;
          return result;
        }

      c = self->buf[self->buf_pos];

      if (self->after_cr)
        {
          self->after_cr = FALSE;
          if (c == '\n')
            {
              if (self->state == STATE_QUOTED)
                append_byte (self, '\n');
              self->buf_pos++;
              continue;
            }
        }

      switch (self->state)
        {
        case STATE_RECORD_START:
          if (c == '\n' || c == '\r')
            {
              /* An empty line. */
              self->line++;
              self->buf_pos++;
              self->after_cr = (c == '\r');
              continue;
            }
          begin_record (self);
          G_GNUC_FALLTHROUGH;

        case STATE_FIELD_START:
          if (c == '"')
            {
              self->buf_pos++;
              self->state = STATE_QUOTED;
              continue;
            }
          self->state = STATE_UNQUOTED;
          G_GNUC_FALLTHROUGH;

        case STATE_UNQUOTED:
          if (step_unquoted (self) == STEP_RECORD)
            return check_record_size (self, error) ? STEP_RECORD : STEP_ERROR;
          break;

        case STATE_QUOTED:
          step_quoted (self);
          break;

        case STATE_QUOTED_QUOTE:
          if (c == '"')
            {
              /* A doubled quote. */
              append_byte (self, '"');
              self->buf_pos++;
              self->state = STATE_QUOTED;
            }
          else
            {
              /* The field is closed; anything but a delimiter or line end is stray text. */
              if (self->classes[c] != CLASS_DELIMITER &&
                  self->classes[c] != CLASS_CR &&
                  self->classes[c] != CLASS_LF)
                self->flags |= DD_CSV_RECORD_STRAY_QUOTE;
              self->state = STATE_UNQUOTED;
            }
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

static void
dd_csv_reader_finalize (GObject *object)
{
  DdCsvReader *self = (DdCsvReader *) object;

  g_clear_object (&self->stream);
  g_clear_error (&self->error);
  g_free (self->buf);
  g_free (self->raw);
  g_free (self->rec);
  g_free (self->starts);

  G_OBJECT_CLASS (dd_csv_reader_parent_class)->finalize (object);
}

static void
dd_csv_reader_class_init (DdCsvReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dd_csv_reader_finalize;
}

static void
dd_csv_reader_init (DdCsvReader *self)
{
  self->line = 1;
  self->record_line = 1;
  self->max_record_size = DD_CSV_READER_DEFAULT_MAX_RECORD_SIZE;
  self->state = STATE_RECORD_START;
}

/**
 * dd_csv_reader_new:
 * @stream: the input; the reader takes a reference and reads it from its current position
 * @encoding: the encoding of @stream
 * @delimiter: the field delimiter, an ASCII character other than a quote, CR or LF
 *
 * Creates a reader of the records of @stream. Different readers may be used in different
 * threads at the same time; one reader belongs to one thread at a time.
 *
 * Returns: (transfer full): a new reader
 */
DdCsvReader *
dd_csv_reader_new (GInputStream  *stream,
                   DdCsvEncoding  encoding,
                   char           delimiter)
{
  DdCsvReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (encoding <= DD_CSV_ENCODING_LAST, NULL);
  g_return_val_if_fail (delimiter != '\0' && (guchar) delimiter < 0x80 && delimiter != '"' &&
                        delimiter != '\r' && delimiter != '\n', NULL);

  self = g_object_new (DD_TYPE_CSV_READER, NULL);
  self->stream = g_object_ref (stream);
  self->encoding = encoding;
  self->delimiter = delimiter;
  self->buf = g_malloc (CHUNK_SIZE);

  if (encoding == DD_CSV_ENCODING_UTF8 || DD_CSV_ENCODING_IS_UTF16 (encoding))
    {
      self->mapping = NULL;
      memset (self->classes, CLASS_PLAIN, sizeof self->classes);
      if (DD_CSV_ENCODING_IS_UTF16 (encoding))
        {
          self->raw = g_malloc (CHUNK_SIZE);
          self->utf16_be = encoding == DD_CSV_ENCODING_UTF16BE;
        }
    }
  else
    {
      self->mapping = get_byte_mapping (encoding);
      self->bom_checked = TRUE;
      memset (self->classes, CLASS_PLAIN, 0x80);
      memset (self->classes + 0x80, CLASS_CONVERT, 0x80);
      self->classes[0] = CLASS_CONVERT;
    }
  self->classes[(guint8) delimiter] = CLASS_DELIMITER;
  self->classes['"'] = CLASS_QUOTE;
  self->classes['\r'] = CLASS_CR;
  self->classes['\n'] = CLASS_LF;

  return self;
}

/**
 * dd_csv_reader_set_max_record_size:
 * @self: a reader
 * @max_size: the largest record, in bytes of UTF-8, that @self accepts
 *
 * Protects against files that are not CSV at all (or have an unterminated quote early on):
 * a longer record fails with %DD_CSV_ERROR_RECORD_TOO_LONG instead of eating memory.
 * The default is %DD_CSV_READER_DEFAULT_MAX_RECORD_SIZE.
 */
void
dd_csv_reader_set_max_record_size (DdCsvReader *self,
                                   gsize        max_size)
{
  g_return_if_fail (DD_IS_CSV_READER (self));

  self->max_record_size = max_size;
}

/**
 * dd_csv_reader_next:
 * @self: a reader
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Reads the next record; empty lines are skipped. Errors are %DD_CSV_ERROR_IO,
 * %DD_CSV_ERROR_UNTERMINATED_QUOTE, %DD_CSV_ERROR_RECORD_TOO_LONG,
 * %DD_CSV_ERROR_INVALID_TEXT (UTF-16 input) and %G_IO_ERROR_CANCELLED. After an error every later call fails with the same error.
 *
 * Returns: %TRUE when a record was read; %FALSE at the end of the input (@error unset) or
 *   on error
 */
gboolean
dd_csv_reader_next (DdCsvReader   *self,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_return_val_if_fail (DD_IS_CSV_READER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self->n_ready = 0;

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }

  return read_record (self, cancellable, error) == STEP_RECORD;
}

guint
dd_csv_reader_get_n_fields (DdCsvReader *self)
{
  g_return_val_if_fail (DD_IS_CSV_READER (self), 0);

  return self->n_ready;
}

/**
 * dd_csv_reader_get_field:
 * @self: a reader
 * @index: a field of the current record
 *
 * Returns: (nullable): the field as valid, NUL-terminated UTF-8 without embedded NULs, valid
 *   until the next call of dd_csv_reader_next(); %NULL if @index is out of range
 */
const char *
dd_csv_reader_get_field (DdCsvReader *self,
                         guint        index)
{
  g_return_val_if_fail (DD_IS_CSV_READER (self), NULL);

  if (index >= self->n_ready)
    return NULL;

  return self->rec + self->starts[index];
}

gsize
dd_csv_reader_get_field_length (DdCsvReader *self,
                                guint        index)
{
  g_return_val_if_fail (DD_IS_CSV_READER (self), 0);

  if (index >= self->n_ready)
    return 0;

  return self->starts[index + 1] - self->starts[index] - 1;
}

DdCsvRecordFlags
dd_csv_reader_get_record_flags (DdCsvReader *self)
{
  g_return_val_if_fail (DD_IS_CSV_READER (self), DD_CSV_RECORD_OK);

  return self->n_ready > 0 ? self->flags : DD_CSV_RECORD_OK;
}

/**
 * dd_csv_reader_get_record_number:
 * @self: a reader
 *
 * Returns: the 1-based number of the last record read (a header counts too), 0 before the
 *   first one
 */
guint64
dd_csv_reader_get_record_number (DdCsvReader *self)
{
  g_return_val_if_fail (DD_IS_CSV_READER (self), 0);

  return self->record_number;
}

/**
 * dd_csv_reader_get_line_number:
 * @self: a reader
 *
 * Returns: the 1-based physical line on which the last record read starts (for an error, the
 *   record that failed); 0 before the first record
 */
guint64
dd_csv_reader_get_line_number (DdCsvReader *self)
{
  g_return_val_if_fail (DD_IS_CSV_READER (self), 0);

  if (self->record_number == 0 && self->error == NULL)
    return 0;

  return self->record_line;
}

/**
 * dd_csv_reader_get_bytes_read:
 * @self: a reader
 *
 * Returns: the bytes of the input consumed so far, byte order mark included: up to the end of
 *   the current record and its line break (the LF of a CRLF may be counted with the next
 *   record when it falls in the next chunk); the size of the input at its end
 */
gboolean
dd_csv_reader_skip_records (DdCsvReader   *self,
                            guint          n_records,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_return_val_if_fail (DD_IS_CSV_READER (self), FALSE);

  for (guint i = 0; i < n_records; i++)
    if (!dd_csv_reader_next (self, cancellable, error))
      return FALSE;
  return TRUE;
}

guint64
dd_csv_reader_get_bytes_read (DdCsvReader *self)
{
  g_return_val_if_fail (DD_IS_CSV_READER (self), 0);

  if (self->raw != NULL)
    {
      guint64 chunk = self->chunk_raw_end - self->chunk_raw_start;

      if (self->buf_len == 0)
        return self->chunk_raw_end;
      return self->chunk_raw_start + chunk * self->buf_pos / self->buf_len;
    }
  return self->stream_offset - (self->buf_len - self->buf_pos);
}
