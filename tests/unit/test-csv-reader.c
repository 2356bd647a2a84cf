/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-csv"

#include "config.h"

#include "dd-csv-reader.h"

#include <gio/gio.h>
#include <string.h>

/* A stream that hands out at most @chunk bytes per read and can fail at a given offset. */
#define TEST_TYPE_TRICKLE_STREAM (test_trickle_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestTrickleStream, test_trickle_stream, TEST, TRICKLE_STREAM, GInputStream)

struct _TestTrickleStream
{
  GInputStream  parent_instance;
  GBytes       *bytes;
  gsize         pos;
  gsize         chunk;
  gsize         fail_at;
};

G_DEFINE_TYPE (TestTrickleStream, test_trickle_stream, G_TYPE_INPUT_STREAM)

static gssize
test_trickle_stream_read (GInputStream  *stream,
                          void          *buffer,
                          gsize          count,
                          GCancellable  *cancellable,
                          GError       **error)
{
  TestTrickleStream *self = TEST_TRICKLE_STREAM (stream);
  gsize size;
  const guint8 *data = g_bytes_get_data (self->bytes, &size);
  gsize n;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;

  if (self->pos >= self->fail_at)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The disk is on fire");
      return -1;
    }

  n = MIN (MIN (count, self->chunk), size - self->pos);
  n = MIN (n, self->fail_at - self->pos);
  memcpy (buffer, data + self->pos, n);
  self->pos += n;

  return (gssize) n;
}

static void
test_trickle_stream_finalize (GObject *object)
{
  TestTrickleStream *self = TEST_TRICKLE_STREAM (object);

  g_bytes_unref (self->bytes);

  G_OBJECT_CLASS (test_trickle_stream_parent_class)->finalize (object);
}

static void
test_trickle_stream_class_init (TestTrickleStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = test_trickle_stream_finalize;
  stream_class->read_fn = test_trickle_stream_read;
}

static void
test_trickle_stream_init (TestTrickleStream *self)
{
}

static GInputStream *
trickle_stream_new (const void *data,
                    gsize       len,
                    gsize       chunk,
                    gsize       fail_at)
{
  TestTrickleStream *self = g_object_new (TEST_TYPE_TRICKLE_STREAM, NULL);

  self->bytes = g_bytes_new (data, len);
  self->chunk = chunk;
  self->fail_at = fail_at;

  return G_INPUT_STREAM (self);
}

static GInputStream *
memory_stream_new (const void *data,
                   gssize      len)
{
  if (len < 0)
    len = (gssize) strlen (data);

  return g_memory_input_stream_new_from_bytes (g_bytes_new (data, (gsize) len));
}

/* Reads every record into "line:[field][field]..." strings, with " E" for invalid encoding and
 * " Q" for stray quotes, checking the invariants of every record on the way. */
static GPtrArray *
read_records (GInputStream   *stream,
              DdCsvEncoding   encoding,
              char            delimiter,
              GError        **error)
{
  g_autoptr(DdCsvReader) reader = dd_csv_reader_new (stream, encoding, delimiter);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);
  guint64 last_bytes_read = 0;

  while (dd_csv_reader_next (reader, NULL, error))
    {
      GString *s = g_string_new (NULL);
      DdCsvRecordFlags flags = dd_csv_reader_get_record_flags (reader);
      guint n = dd_csv_reader_get_n_fields (reader);

      g_assert_cmpuint (n, >, 0);
      g_assert_cmpuint (dd_csv_reader_get_record_number (reader), ==, records->len + 1);
      g_assert_cmpuint (dd_csv_reader_get_bytes_read (reader), >=, last_bytes_read);
      last_bytes_read = dd_csv_reader_get_bytes_read (reader);

      g_string_append_printf (s, "%" G_GUINT64_FORMAT ":", dd_csv_reader_get_line_number (reader));
      for (guint i = 0; i < n; i++)
        {
          const char *field = dd_csv_reader_get_field (reader, i);
          gsize len = dd_csv_reader_get_field_length (reader, i);

          g_assert_nonnull (field);
          g_assert_cmpuint (strlen (field), ==, len);
          g_assert_true (g_utf8_validate (field, -1, NULL));
          g_string_append_printf (s, "[%s]", field);
        }
      g_assert_null (dd_csv_reader_get_field (reader, n));
      g_assert_cmpuint (dd_csv_reader_get_field_length (reader, n), ==, 0);

      if (flags & DD_CSV_RECORD_INVALID_ENCODING)
        g_string_append (s, " E");
      if (flags & DD_CSV_RECORD_STRAY_QUOTE)
        g_string_append (s, " Q");

      g_ptr_array_add (records, g_string_free (s, FALSE));
    }

  g_assert_cmpuint (dd_csv_reader_get_n_fields (reader), ==, 0);
  g_assert_null (dd_csv_reader_get_field (reader, 0));

  return g_steal_pointer (&records);
}

static GPtrArray *
read_string (const char    *data,
             gssize         len,
             DdCsvEncoding  encoding,
             char           delimiter,
             GError       **error)
{
  g_autoptr(GInputStream) stream = memory_stream_new (data, len);

  return read_records (stream, encoding, delimiter, error);
}

static void
assert_records (GPtrArray          *records,
                const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  for (guint i = 0; i < MIN (n, records->len); i++)
    g_assert_cmpstr (g_ptr_array_index (records, i), ==, expected[i]);
  g_assert_cmpuint (records->len, ==, n);
}

static void
assert_parses (const char         *data,
               char                delimiter,
               const char * const *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = read_string (data, -1, DD_CSV_ENCODING_UTF8, delimiter, &error);

  g_assert_no_error (error);
  assert_records (records, expected);
}

static void
test_basic (void)
{
  g_autoptr(GInputStream) stream = memory_stream_new ("name;amount;due\n"
                                                      "Kowalski;12,50;2024-01-31\n", -1);
  g_autoptr(DdCsvReader) reader = dd_csv_reader_new (stream, DD_CSV_ENCODING_UTF8, ';');
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (dd_csv_reader_get_record_number (reader), ==, 0);
  g_assert_cmpuint (dd_csv_reader_get_line_number (reader), ==, 0);
  g_assert_cmpuint (dd_csv_reader_get_n_fields (reader), ==, 0);
  g_assert_null (dd_csv_reader_get_field (reader, 0));

  g_assert_true (dd_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dd_csv_reader_get_n_fields (reader), ==, 3);
  g_assert_cmpstr (dd_csv_reader_get_field (reader, 0), ==, "name");
  g_assert_cmpstr (dd_csv_reader_get_field (reader, 1), ==, "amount");
  g_assert_cmpstr (dd_csv_reader_get_field (reader, 2), ==, "due");
  g_assert_cmpuint (dd_csv_reader_get_field_length (reader, 2), ==, 3);
  g_assert_cmpuint (dd_csv_reader_get_record_flags (reader), ==, DD_CSV_RECORD_OK);
  g_assert_cmpuint (dd_csv_reader_get_record_number (reader), ==, 1);
  g_assert_cmpuint (dd_csv_reader_get_line_number (reader), ==, 1);
  g_assert_cmpuint (dd_csv_reader_get_bytes_read (reader), ==, 16);

  g_assert_true (dd_csv_reader_next (reader, NULL, &error));
  g_assert_cmpuint (dd_csv_reader_get_n_fields (reader), ==, 3);
  g_assert_cmpstr (dd_csv_reader_get_field (reader, 0), ==, "Kowalski");
  g_assert_cmpstr (dd_csv_reader_get_field (reader, 1), ==, "12,50");
  g_assert_cmpstr (dd_csv_reader_get_field (reader, 2), ==, "2024-01-31");
  g_assert_cmpuint (dd_csv_reader_get_record_number (reader), ==, 2);
  g_assert_cmpuint (dd_csv_reader_get_line_number (reader), ==, 2);
  g_assert_cmpuint (dd_csv_reader_get_bytes_read (reader), ==, 42);

  g_assert_false (dd_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dd_csv_reader_get_n_fields (reader), ==, 0);
  g_assert_null (dd_csv_reader_get_field (reader, 0));
  g_assert_cmpuint (dd_csv_reader_get_record_number (reader), ==, 2);

  /* The end is sticky. */
  g_assert_false (dd_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);

  g_assert_finalize_object (g_steal_pointer (&reader));
}

static void
test_line_endings (void)
{
  const char * const expected[] = { "1:[a][b]", "2:[c][d]", "3:[e][f]", NULL };
  const char * const expected_mixed[] = { "1:[a]", "2:[b]", "3:[c]", "4:[d]", NULL };

  assert_parses ("a;b\nc;d\ne;f\n", ';', expected);
  assert_parses ("a;b\r\nc;d\r\ne;f\r\n", ';', expected);
  assert_parses ("a;b\rc;d\re;f\r", ';', expected);
  assert_parses ("a;b\r\nc;d\ne;f", ';', expected);
  assert_parses ("a\rb\r\nc\nd", ';', expected_mixed);
}

static void
test_fields (void)
{
  const char * const final_line[] = { "1:[a][b]", "2:[c][d]", NULL };
  const char * const empty_fields[] = { "1:[][][]", "2:[a][][]", "3:[][]", "4:[][b]", NULL };
  const char * const one_field[] = { "1:[only]", NULL };
  const char * const spaces[] = { "1:[ a ][  b]", "2:[ ]", NULL };

  assert_parses ("a;b\nc;d", ';', final_line);
  assert_parses (";;\na;;\n;\n;b", ';', empty_fields);
  assert_parses ("only", ';', one_field);
  assert_parses (" a ;  b\n \n", ';', spaces);
}

static void
test_delimiters (void)
{
  const char * const tab[] = { "1:[a,1][b;2][c|3]", NULL };
  const char * const comma[] = { "1:[a][1;2][\"x\"]", NULL };
  const char * const pipe[] = { "1:[a][b, c][d;e]", NULL };

  assert_parses ("a,1\tb;2\tc|3\n", '\t', tab);
  assert_parses ("a,1;2,\"\"\"x\"\"\"\n", ',', comma);
  assert_parses ("a|b, c|d;e\n", '|', pipe);
}

static void
test_empty_lines (void)
{
  const char * const expected[] = { "3:[a][b]", "6:[c][d]", "9:[e]", NULL };
  const char * const nothing[] = { NULL };

  assert_parses ("\n\na;b\n\n\r\nc;d\r\n\r\r\ne\n\n", ';', expected);
  assert_parses ("", ';', nothing);
  assert_parses ("\n\r\n\r\n", ';', nothing);
}

static void
test_quoted (void)
{
  const char * const expected[] = {
    "1:[a;b][say \"hi\"][]",
    "2:[two\nlines][x]",
    "4:[crlf\r\ninside][cr\rinside]",
    "7:[\"][\"\"][;]",
    "8:[last]",
    NULL
  };
  const char * const at_end[] = { "1:[a][quoted, at end]", NULL };
  const char * const empty_lines_inside[] = { "1:[\n\n][x]", "4:[y]", NULL };

  assert_parses ("\"a;b\";\"say \"\"hi\"\"\";\"\"\n"
                 "\"two\nlines\";x\n"
                 "\"crlf\r\ninside\";\"cr\rinside\"\r\n"
                 "\"\"\"\";\"\"\"\"\"\";\";\"\n"
                 "\"last\"",
                 ';', expected);
  assert_parses ("a,\"quoted, at end\"", ',', at_end);
  assert_parses ("\"\n\n\";x\ny\n", ';', empty_lines_inside);
}

static void
test_stray_quotes (void)
{
  const char * const expected[] = {
    "1:[ab\"c][d] Q",
    "2:[clean][\"quoted\"]",
    "3:[abcdef][g] Q",
    "4:[a ][b] Q",
    "5:[ \"x\"] Q",
    "6:[ab\"c\"] Q",
    "7:[a\"][b] Q",
    "8:[ok]",
    NULL
  };

  assert_parses ("ab\"c;d\n"
                 "clean;\"\"\"quoted\"\"\"\n"
                 "\"abc\"def;g\n"
                 "\"a\" ;b\n"
                 " \"x\"\n"
                 "\"a\"b\"c\"\n"
                 "a\";b\n"
                 "ok\n",
                 ';', expected);
}

static void
test_unterminated_quote (void)
{
  g_autoptr(GInputStream) stream = memory_stream_new ("a;b\n\n\"x\";y\n\"open;\nmore\n", -1);
  g_autoptr(DdCsvReader) reader = dd_csv_reader_new (stream, DD_CSV_ENCODING_UTF8, ';');
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again = NULL;

  g_assert_true (dd_csv_reader_next (reader, NULL, &error));
  g_assert_true (dd_csv_reader_next (reader, NULL, &error));
  g_assert_cmpuint (dd_csv_reader_get_line_number (reader), ==, 3);
  g_assert_no_error (error);

  g_assert_false (dd_csv_reader_next (reader, NULL, &error));
  g_assert_error (error, DD_CSV_ERROR, DD_CSV_ERROR_UNTERMINATED_QUOTE);
  g_assert_nonnull (strstr (error->message, "line 4"));
  g_assert_cmpuint (dd_csv_reader_get_line_number (reader), ==, 4);
  g_assert_cmpuint (dd_csv_reader_get_n_fields (reader), ==, 0);
  g_assert_null (dd_csv_reader_get_field (reader, 0));

  /* Errors are sticky. */
  g_assert_false (dd_csv_reader_next (reader, NULL, &again));
  g_assert_error (again, DD_CSV_ERROR, DD_CSV_ERROR_UNTERMINATED_QUOTE);
  g_assert_cmpstr (again->message, ==, error->message);

  g_clear_error (&error);
  g_clear_pointer (&reader, g_object_unref);
  g_clear_object (&stream);

  /* A doubled quote at the end does not close the field either. */
  stream = memory_stream_new ("\"abc\"\"", -1);
  reader = dd_csv_reader_new (stream, DD_CSV_ENCODING_UTF8, ';');
  g_assert_false (dd_csv_reader_next (reader, NULL, &error));
  g_assert_error (error, DD_CSV_ERROR, DD_CSV_ERROR_UNTERMINATED_QUOTE);
  g_assert_nonnull (strstr (error->message, "line 1"));
}

static void
test_bom (void)
{
  const char * const expected[] = { "1:[a][b]", "2:[ż]", NULL };
  const char * const nothing[] = { NULL };
  const char * const not_at_start[] = { "1:[a]", "2:[\357\273\277b]", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(DdCsvReader) reader = NULL;

  assert_parses ("\357\273\277a;b\nż\n", ';', expected);
  assert_parses ("\357\273\277", ';', nothing);
  assert_parses ("\357\273\277\n\n", ';', nothing);
  assert_parses ("a\n\357\273\277b\n", ';', not_at_start);

  /* The byte order mark comes one byte per read. */
  stream = trickle_stream_new ("\357\273\277a;b\nż\n", 10, 1, G_MAXSIZE);
  records = read_records (stream, DD_CSV_ENCODING_UTF8, ';', &error);
  g_assert_no_error (error);
  assert_records (records, expected);
  g_clear_object (&stream);

  /* Counted in bytes_read. */
  stream = memory_stream_new ("\357\273\277a;b\n", -1);
  reader = dd_csv_reader_new (stream, DD_CSV_ENCODING_UTF8, ';');
  g_assert_true (dd_csv_reader_next (reader, NULL, &error));
  g_assert_cmpstr (dd_csv_reader_get_field (reader, 0), ==, "a");
  g_assert_cmpuint (dd_csv_reader_get_bytes_read (reader), ==, 7);
  g_clear_object (&reader);
  g_clear_object (&stream);

  /* Only UTF-8 has one: in windows-1250 these bytes are text. */
  stream = memory_stream_new ("\357\273\277a\n", -1);
  g_clear_pointer (&records, g_ptr_array_unref);
  records = read_records (stream, DD_CSV_ENCODING_WINDOWS_1250, ';', &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (records, 0), ==, "1:[ď»ża]");
}

static void
test_invalid_utf8 (void)
{
  const char * const expected[] = {
    "1:[Zażółć][gęślą][jaźń]",
    "2:[a\357\277\275b][ok] E",
    "3:[\357\277\275\357\277\275][x] E",
    "4:[fine][Ёлкин]",
    "5:[nul\357\277\275byte] E",
    "6:[overlong \357\277\275\357\277\275][surrogate \357\277\275\357\277\275\357\277\275] E",
    "7:[cut \357\277\275] E",
    NULL
  };
  const char data[] = "Zażółć;gęślą;jaźń\n"
                      "a\377b;ok\n"
                      "\303\303;x\n"
                      "fine;Ёлкин\n"
                      "nul\000byte\n"
                      "overlong \300\257;surrogate \355\240\200\n"
                      "cut \320";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = read_string (data, sizeof data - 1, DD_CSV_ENCODING_UTF8, ';',
                                              &error);

  g_assert_no_error (error);
  assert_records (records, expected);
}

/* Polish and Russian receivables, with every letter that differs between the encodings. */
static const char polish_csv[] =
  "Kontrahent;NIP;Telefon;Kwota;Termin płatności;Uwagi\n"
  "Wąsowski Józef;525-000-12-34;+48 600 100 200;1 250,00;2024-01-31;\n"
  "\"\"\"Źródło\"\" Sp. z o.o.; ul. Śląska 5\";725-001-23-45;42 630 12 34;99,99;2024-02-15;\"dwie\n"
  "linie\"\n"
  "Zażółć gęślą jaźń;ZAŻÓŁĆ GĘŚLĄ JAŹŃ;;0;2024-03-01;ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż\n";

static const char * const polish_records[] = {
  "1:[Kontrahent][NIP][Telefon][Kwota][Termin płatności][Uwagi]",
  "2:[Wąsowski Józef][525-000-12-34][+48 600 100 200][1 250,00][2024-01-31][]",
  "3:[\"Źródło\" Sp. z o.o.; ul. Śląska 5][725-001-23-45][42 630 12 34][99,99][2024-02-15]"
  "[dwie\nlinie]",
  "5:[Zażółć gęślą jaźń][ZAŻÓŁĆ GĘŚLĄ JAŹŃ][][0][2024-03-01][ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż]",
  NULL
};

static const char russian_csv[] =
  "Контрагент;ИНН;Телефон;Сумма;Срок оплаты\r\n"
  "ООО «Ромашка»;7701234567;+7 495 123-45-67;15 000,00;31.01.2024\r\n"
  "Иванов Пётр Сергеевич;500100732259;+7 916 000-00-01;2 340,50;15.02.2024\r\n"
  "\"Ёлкин Семён; ИП\";;;0,00;\r\n"
  "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ;абвгдеёжзийклмнопрстуфхцчшщъыьэюя;№;€;—\r\n";

static const char * const russian_records[] = {
  "1:[Контрагент][ИНН][Телефон][Сумма][Срок оплаты]",
  "2:[ООО «Ромашка»][7701234567][+7 495 123-45-67][15 000,00][31.01.2024]",
  "3:[Иванов Пётр Сергеевич][500100732259][+7 916 000-00-01][2 340,50][15.02.2024]",
  "4:[Ёлкин Семён; ИП][][][0,00][]",
  "5:[АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ][абвгдеёжзийклмнопрстуфхцчшщъыьэюя][№][€][—]",
  NULL
};

static void
assert_encoded_parses (const char         *utf8,
                       const char         *charset,
                       DdCsvEncoding       encoding,
                       const char * const *expected)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *encoded = g_convert (utf8, -1, charset, "UTF-8", NULL, &len, &error);
  g_autoptr(GPtrArray) records = NULL;

  g_assert_no_error (error);
  /* Really single-byte text. */
  g_assert_false (g_utf8_validate (encoded, (gssize) len, NULL));

  records = read_string (encoded, (gssize) len, encoding, ';', &error);
  g_assert_no_error (error);
  assert_records (records, expected);

  /* The same through a stream that returns a few bytes at a time. */
  for (gsize chunk = 1; chunk <= 5; chunk++)
    {
      g_autoptr(GInputStream) stream = trickle_stream_new (encoded, len, chunk, G_MAXSIZE);
      g_autoptr(GPtrArray) trickled = read_records (stream, encoding, ';', &error);

      g_assert_no_error (error);
      assert_records (trickled, expected);
    }
}

static void
test_utf8_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) polish = read_string (polish_csv, -1, DD_CSV_ENCODING_UTF8, ';', &error);
  g_autoptr(GPtrArray) russian = read_string (russian_csv, -1, DD_CSV_ENCODING_UTF8, ';', &error);

  g_assert_no_error (error);
  assert_records (polish, polish_records);
  assert_records (russian, russian_records);
}

static void
test_windows_1250 (void)
{
  assert_encoded_parses (polish_csv, "CP1250", DD_CSV_ENCODING_WINDOWS_1250, polish_records);
}

static void
test_iso_8859_2 (void)
{
  assert_encoded_parses (polish_csv, "ISO-8859-2", DD_CSV_ENCODING_ISO_8859_2, polish_records);
}

static void
test_windows_1251 (void)
{
  assert_encoded_parses (russian_csv, "CP1251", DD_CSV_ENCODING_WINDOWS_1251, russian_records);
}

/* Every byte of every single-byte encoding decodes as iconv decodes it. */
static void
test_encoding_tables (void)
{
  static const struct {
    DdCsvEncoding  encoding;
    const char    *charset;
    guint          n_undefined;
  } encodings[] = {
    { DD_CSV_ENCODING_WINDOWS_1250, "CP1250", 5 },
    { DD_CSV_ENCODING_WINDOWS_1251, "CP1251", 1 },
    { DD_CSV_ENCODING_ISO_8859_2, "ISO-8859-2", 0 },
  };

  for (guint e = 0; e < G_N_ELEMENTS (encodings); e++)
    {
      guint n_undefined = 0;

      for (guint b = 1; b < 256; b++)
        {
          char input[] = { 'x', (char) b, 'y', '\n', '\0' };
          g_autoptr(GError) error = NULL;
          g_autoptr(GPtrArray) records = NULL;
          g_autofree char *converted = NULL;
          g_autofree char *expected = NULL;

          if (b == ';' || b == '"' || b == '\r' || b == '\n')
            continue;

          converted = g_convert (input, 3, "UTF-8", encodings[e].charset, NULL, NULL, NULL);
          if (converted == NULL)
            {
              g_assert_cmpuint (dd_csv_encoding_to_unichar (encodings[e].encoding, (guint8) b),
                                ==, (gunichar) -1);
              expected = g_strdup ("1:[x\357\277\275y] E");
              n_undefined++;
            }
          else
            {
              expected = g_strdup_printf ("1:[%s]", converted);
              g_assert_cmpuint (dd_csv_encoding_to_unichar (encodings[e].encoding, (guint8) b),
                                ==, g_utf8_get_char (converted + 1));
            }

          records = read_string (input, 4, encodings[e].encoding, ';', &error);
          g_assert_no_error (error);
          g_assert_cmpuint (records->len, ==, 1);
          g_assert_cmpstr (g_ptr_array_index (records, 0), ==, expected);
        }

      g_assert_cmpuint (n_undefined, ==, encodings[e].n_undefined);
    }
}

static void
test_nul_single_byte (void)
{
  const char data[] = "a\000b;c\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = read_string (data, sizeof data - 1,
                                              DD_CSV_ENCODING_WINDOWS_1251, ';', &error);

  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (records, 0), ==, "1:[a\357\277\275b][c] E");
}

/* Every split of a tricky input between reads gives the same records. */
static void
test_chunk_boundaries (void)
{
  const char data[] = "\357\273\277\"q\"\"uo\r\nted\";żółw\r\n"
                      "\r\n"
                      "\"\"\"\"\r"
                      "x\"y;\"a\"b\n"
                      "\"\";\"\r\"\r\n"
                      "\"cr\r\"\r"
                      "\360\237\230\200;\377\n"
                      "end";
  const char * const expected[] = {
    "1:[q\"uo\r\nted][żółw]",
    "4:[\"]",
    "5:[x\"y][ab] Q",
    "6:[][\r]",
    "8:[cr\r]",
    "10:[\360\237\230\200][\357\277\275] E",
    "11:[end]",
    NULL
  };

  for (gsize chunk = 1; chunk <= 12; chunk++)
    {
      g_autoptr(GInputStream) stream = trickle_stream_new (data, sizeof data - 1, chunk,
                                                           G_MAXSIZE);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) records = read_records (stream, DD_CSV_ENCODING_UTF8, ';', &error);

      g_test_message ("chunk size %" G_GSIZE_FORMAT, chunk);
      g_assert_no_error (error);
      assert_records (records, expected);
    }
}

static void
test_long_field (void)
{
  const gsize size = 10 * 1024 * 1024;
  g_autofree char *data = g_malloc (size + 16);
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(GError) error = NULL;
  gsize expected_quotes = 0;
  gsize expected_newlines = 0;

  /* Unquoted: x;AAAA...A;y */
  memcpy (data, "x;", 2);
  memset (data + 2, 'A', size);
  memcpy (data + 2 + size, ";y\n", 3);
  {
    g_autoptr(GInputStream) stream = memory_stream_new (data, (gssize) size + 5);
    g_autoptr(DdCsvReader) reader = dd_csv_reader_new (stream, DD_CSV_ENCODING_UTF8, ';');

    g_assert_true (dd_csv_reader_next (reader, NULL, &error));
    g_assert_cmpuint (dd_csv_reader_get_n_fields (reader), ==, 3);
    g_assert_cmpuint (dd_csv_reader_get_field_length (reader, 1), ==, size);
    g_assert_cmpuint (strlen (dd_csv_reader_get_field (reader, 1)), ==, size);
    g_assert_cmpstr (dd_csv_reader_get_field (reader, 2), ==, "y");
    g_assert_false (dd_csv_reader_next (reader, NULL, &error));
    g_assert_no_error (error);
  }

  /* Quoted, in windows-1251, with a doubled quote and a line break every 1000 bytes. */
  data[0] = '"';
  for (gsize i = 1; i <= size; i++)
    data[i] = (i % 1000 == 0) ? '\n' : (i % 1000 == 500) ? '"' : (char) 0xE0;
  for (gsize i = 1; i <= size; i++)
    {
      if (data[i] == '\n')
        expected_newlines++;
      else if (data[i] == '"' && i + 1 <= size)
        {
          data[i + 1] = '"';
          expected_quotes++;
          i++;
        }
    }
  g_assert_cmpuint (expected_quotes, >, 10000);
  g_assert_cmpuint (expected_newlines, >, 10000);
  memcpy (data + size + 1, "\";z\n", 4);
  {
    g_autoptr(GInputStream) stream = memory_stream_new (data, (gssize) size + 5);
    g_autoptr(DdCsvReader) reader = dd_csv_reader_new (stream, DD_CSV_ENCODING_WINDOWS_1251, ';');
    const char *field;
    gsize n_quotes = 0;
    gsize n_newlines = 0;
    gsize n_a = 0;

    g_assert_true (dd_csv_reader_next (reader, NULL, &error));
    g_assert_cmpuint (dd_csv_reader_get_n_fields (reader), ==, 2);
    g_assert_cmpstr (dd_csv_reader_get_field (reader, 1), ==, "z");
    g_assert_cmpuint (dd_csv_reader_get_record_flags (reader), ==, DD_CSV_RECORD_OK);
    field = dd_csv_reader_get_field (reader, 0);
    for (const char *p = field; *p != '\0'; p = g_utf8_next_char (p))
      {
        gunichar c = g_utf8_get_char (p);

        if (c == '"')
          n_quotes++;
        else if (c == '\n')
          n_newlines++;
        else if (c == 0x0430)
          n_a++;
        else
          g_assert_not_reached ();
      }
    g_assert_cmpuint (n_newlines, ==, expected_newlines);
    g_assert_cmpuint (n_quotes, ==, expected_quotes);
    g_assert_cmpuint (n_a + 2 * n_quotes + n_newlines, ==, size);
    g_assert_cmpuint (dd_csv_reader_get_field_length (reader, 0), ==,
                      2 * n_a + n_quotes + n_newlines);
    g_assert_false (dd_csv_reader_next (reader, NULL, &error));
    g_assert_no_error (error);
  }

  /* Linear, not quadratic: 10 MB takes milliseconds; quadratic would take hours. */
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 20.0);
}

static void
test_many_fields (void)
{
  const guint n_fields = 100000;
  g_autoptr(GString) data = g_string_new (NULL);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(DdCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n_fields; i++)
    g_string_append_printf (data, i % 3 == 0 ? "\"%u\"%c" : "%u%c", i,
                            i + 1 < n_fields ? ',' : '\n');
  g_string_append (data, "tail\n");

  stream = memory_stream_new (data->str, (gssize) data->len);
  reader = dd_csv_reader_new (stream, DD_CSV_ENCODING_UTF8, ',');

  g_assert_true (dd_csv_reader_next (reader, NULL, &error));
  g_assert_cmpuint (dd_csv_reader_get_n_fields (reader), ==, n_fields);
  for (guint i = 0; i < n_fields; i++)
    {
      char expected[16];

      g_snprintf (expected, sizeof expected, "%u", i);
      g_assert_cmpstr (dd_csv_reader_get_field (reader, i), ==, expected);
    }
  g_assert_null (dd_csv_reader_get_field (reader, n_fields));

  g_assert_true (dd_csv_reader_next (reader, NULL, &error));
  g_assert_cmpuint (dd_csv_reader_get_n_fields (reader), ==, 1);
  g_assert_cmpstr (dd_csv_reader_get_field (reader, 0), ==, "tail");
  g_assert_cmpuint (dd_csv_reader_get_line_number (reader), ==, 2);
  g_assert_false (dd_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
}

static void
test_bytes_read (void)
{
  const char data[] = "a;b\n\"x\ny\";z\n\nlast";
  const guint64 expected[] = { 4, 12, 17 };
  g_autoptr(GString) big = g_string_new (NULL);
  g_autoptr(GInputStream) stream = memory_stream_new (data, -1);
  g_autoptr(DdCsvReader) reader = dd_csv_reader_new (stream, DD_CSV_ENCODING_UTF8, ';');
  g_autoptr(GError) error = NULL;
  guint64 last = 0;
  guint n_records = 0;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_true (dd_csv_reader_next (reader, NULL, &error));
      g_assert_cmpuint (dd_csv_reader_get_bytes_read (reader), ==, expected[i]);
    }
  g_assert_false (dd_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dd_csv_reader_get_bytes_read (reader), ==, strlen (data));
  g_clear_object (&reader);
  g_clear_object (&stream);

  /* A file of many chunks: strictly growing, always just after a line break, as many values as
   * records: so exactly the end of each line, not the chunks read. */
  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (big, "Kowalski %u;%u,%02u;2024-01-%02u\n", i, i * 7, i % 100,
                            i % 28 + 1);
  stream = memory_stream_new (big->str, (gssize) big->len);
  reader = dd_csv_reader_new (stream, DD_CSV_ENCODING_UTF8, ';');
  while (dd_csv_reader_next (reader, NULL, &error))
    {
      guint64 bytes_read = dd_csv_reader_get_bytes_read (reader);

      g_assert_cmpuint (bytes_read, >, last);
      g_assert_cmpuint (bytes_read, <=, big->len);
      g_assert_cmpint (big->str[bytes_read - 1], ==, '\n');
      last = bytes_read;
      n_records++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n_records, ==, 20000);
  g_assert_cmpuint (dd_csv_reader_get_bytes_read (reader), ==, big->len);
  g_assert_cmpuint (big->len, >, 4 * 64 * 1024);
}

static void
test_max_record_size (void)
{
  g_autoptr(GInputStream) stream = memory_stream_new ("short;one\n\nthis;one;is;far;too;long\n",
                                                      -1);
  g_autoptr(DdCsvReader) reader = dd_csv_reader_new (stream, DD_CSV_ENCODING_UTF8, ';');
  g_autoptr(GError) error = NULL;

  dd_csv_reader_set_max_record_size (reader, 16);
  g_assert_true (dd_csv_reader_next (reader, NULL, &error));
  g_assert_cmpstr (dd_csv_reader_get_field (reader, 1), ==, "one");
  g_assert_false (dd_csv_reader_next (reader, NULL, &error));
  g_assert_error (error, DD_CSV_ERROR, DD_CSV_ERROR_RECORD_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_assert_cmpuint (dd_csv_reader_get_n_fields (reader), ==, 0);
  g_clear_error (&error);
  g_clear_object (&reader);
  g_clear_object (&stream);

  /* A runaway quote is stopped too. */
  {
    g_autofree char *data = g_strnfill (100000, 'q');

    data[0] = '"';
    stream = memory_stream_new (data, -1);
    reader = dd_csv_reader_new (stream, DD_CSV_ENCODING_UTF8, ';');
    dd_csv_reader_set_max_record_size (reader, 1000);
    g_assert_false (dd_csv_reader_next (reader, NULL, &error));
    g_assert_error (error, DD_CSV_ERROR, DD_CSV_ERROR_RECORD_TOO_LONG);
    g_assert_nonnull (strstr (error->message, "line 1"));
  }
}

static void
test_cancelled (void)
{
  g_autoptr(GInputStream) stream = trickle_stream_new ("a;b\nc;d\n", 8, 4, G_MAXSIZE);
  g_autoptr(DdCsvReader) reader = dd_csv_reader_new (stream, DD_CSV_ENCODING_UTF8, ';');
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (dd_csv_reader_next (reader, cancellable, &error));
  g_assert_cmpstr (dd_csv_reader_get_field (reader, 0), ==, "a");
  g_cancellable_cancel (cancellable);
  g_assert_false (dd_csv_reader_next (reader, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (dd_csv_reader_get_n_fields (reader), ==, 0);
}

static void
test_io_error (void)
{
  const char data[] = "first;record\nsecond;record\n";
  g_autoptr(GInputStream) stream = trickle_stream_new (data, sizeof data - 1, 5, 18);
  g_autoptr(DdCsvReader) reader = dd_csv_reader_new (stream, DD_CSV_ENCODING_UTF8, ';');
  g_autoptr(GError) error = NULL;

  g_assert_true (dd_csv_reader_next (reader, NULL, &error));
  g_assert_cmpstr (dd_csv_reader_get_field (reader, 0), ==, "first");
  g_assert_false (dd_csv_reader_next (reader, NULL, &error));
  g_assert_error (error, DD_CSV_ERROR, DD_CSV_ERROR_IO);
  g_assert_cmpuint (dd_csv_reader_get_line_number (reader), ==, 2);
  g_assert_nonnull (strstr (error->message, "The disk is on fire"));
  g_clear_error (&error);
  g_assert_false (dd_csv_reader_next (reader, NULL, &error));
  g_assert_error (error, DD_CSV_ERROR, DD_CSV_ERROR_IO);
}

typedef struct
{
  GBytes             *data;
  DdCsvEncoding       encoding;
  const char * const *expected;
} ThreadJob;

static gpointer
read_in_thread (gpointer user_data)
{
  ThreadJob *job = user_data;

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (job->data);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) records = read_records (stream, job->encoding, ';', &error);

      g_assert_no_error (error);
      assert_records (records, job->expected);
    }

  return NULL;
}

static GBytes *
encode (const char *utf8,
        const char *charset)
{
  gsize len = 0;
  char *encoded = g_convert (utf8, -1, charset, "UTF-8", NULL, &len, NULL);

  g_assert_nonnull (encoded);
  return g_bytes_new_take (encoded, len);
}

static void
test_threads (void)
{
  ThreadJob jobs[] = {
    { encode (russian_csv, "CP1251"), DD_CSV_ENCODING_WINDOWS_1251, russian_records },
    { encode (polish_csv, "CP1250"), DD_CSV_ENCODING_WINDOWS_1250, polish_records },
    { encode (polish_csv, "ISO-8859-2"), DD_CSV_ENCODING_ISO_8859_2, polish_records },
    { g_bytes_new_static (polish_csv, strlen (polish_csv)), DD_CSV_ENCODING_UTF8, polish_records },
    { encode (russian_csv, "CP1251"), DD_CSV_ENCODING_WINDOWS_1251, russian_records },
    { encode (polish_csv, "ISO-8859-2"), DD_CSV_ENCODING_ISO_8859_2, polish_records },
  };
  GThread *threads[G_N_ELEMENTS (jobs)];

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    threads[i] = g_thread_new ("csv-reader", read_in_thread, &jobs[i]);

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      g_thread_join (threads[i]);
      g_bytes_unref (jobs[i].data);
    }
}

/* Run with -m perf: a 1,000,000-row file of about 100 MB. */
static void
test_throughput (void)
{
  const guint n_rows = 1000000;
  g_autoptr(GString) utf8 = g_string_sized_new (110 * 1000 * 1000);
  g_autoptr(GTimer) timer = NULL;
  GBytes *encoded;
  struct {
    DdCsvEncoding  encoding;
    const char    *charset;
  } runs[] = {
    { DD_CSV_ENCODING_UTF8, NULL },
    { DD_CSV_ENCODING_WINDOWS_1250, "CP1250" },
  };

  if (!g_test_perf ())
    {
      g_test_skip ("only with -m perf");
      return;
    }

  g_string_append (utf8, "Kontrahent;NIP;Telefon;Kwota;Termin płatności;Adres\n");
  for (guint i = 1; i < n_rows; i++)
    g_string_append_printf (utf8,
                            "\"Przedsiębiorstwo Wąsowski i Syn nr %u\";%010u;+48 600 %03u %03u;"
                            "%u,%02u;2024-%02u-%02u;\"ul. Źródlana %u, 00-%03u Łódź\"\n",
                            i, i * 37, i % 1000, (i / 1000) % 1000, i % 100000, i % 100,
                            i % 12 + 1, i % 28 + 1, i % 200, i % 1000);

  for (guint r = 0; r < G_N_ELEMENTS (runs); r++)
    {
      g_autoptr(GInputStream) stream = NULL;
      g_autoptr(DdCsvReader) reader = NULL;
      g_autoptr(GError) error = NULL;
      guint n_records = 0;
      gsize total = 0;
      double seconds;

      if (runs[r].charset == NULL)
        encoded = g_bytes_new_static (utf8->str, utf8->len);
      else
        encoded = encode (utf8->str, runs[r].charset);

      stream = g_memory_input_stream_new_from_bytes (encoded);
      reader = dd_csv_reader_new (stream, runs[r].encoding, ';');
      timer = g_timer_new ();
      while (dd_csv_reader_next (reader, NULL, &error))
        {
          total += dd_csv_reader_get_field_length (reader, 0);
          n_records++;
        }
      seconds = g_timer_elapsed (timer, NULL);
      g_clear_pointer (&timer, g_timer_destroy);

      g_assert_no_error (error);
      g_assert_cmpuint (n_records, ==, n_rows);
      g_assert_cmpuint (total, >, 0);
      g_test_minimized_result (seconds, "%s: %u records, %.1f MB in %.3f s (%.0f MB/s)",
                               dd_csv_encoding_to_string (runs[r].encoding), n_records,
                               g_bytes_get_size (encoded) / 1e6, seconds,
                               g_bytes_get_size (encoded) / 1e6 / seconds);
      g_bytes_unref (encoded);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/csv-reader/basic", test_basic);
  g_test_add_func ("/dd/csv-reader/line-endings", test_line_endings);
  g_test_add_func ("/dd/csv-reader/fields", test_fields);
  g_test_add_func ("/dd/csv-reader/delimiters", test_delimiters);
  g_test_add_func ("/dd/csv-reader/empty-lines", test_empty_lines);
  g_test_add_func ("/dd/csv-reader/quoted", test_quoted);
  g_test_add_func ("/dd/csv-reader/stray-quotes", test_stray_quotes);
  g_test_add_func ("/dd/csv-reader/unterminated-quote", test_unterminated_quote);
  g_test_add_func ("/dd/csv-reader/bom", test_bom);
  g_test_add_func ("/dd/csv-reader/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/dd/csv-reader/utf8-text", test_utf8_text);
  g_test_add_func ("/dd/csv-reader/windows-1250", test_windows_1250);
  g_test_add_func ("/dd/csv-reader/iso-8859-2", test_iso_8859_2);
  g_test_add_func ("/dd/csv-reader/windows-1251", test_windows_1251);
  g_test_add_func ("/dd/csv-reader/encoding-tables", test_encoding_tables);
  g_test_add_func ("/dd/csv-reader/nul-single-byte", test_nul_single_byte);
  g_test_add_func ("/dd/csv-reader/chunk-boundaries", test_chunk_boundaries);
  g_test_add_func ("/dd/csv-reader/long-field", test_long_field);
  g_test_add_func ("/dd/csv-reader/many-fields", test_many_fields);
  g_test_add_func ("/dd/csv-reader/bytes-read", test_bytes_read);
  g_test_add_func ("/dd/csv-reader/max-record-size", test_max_record_size);
  g_test_add_func ("/dd/csv-reader/cancelled", test_cancelled);
  g_test_add_func ("/dd/csv-reader/io-error", test_io_error);
  g_test_add_func ("/dd/csv-reader/threads", test_threads);
  g_test_add_func ("/dd/csv-reader/throughput", test_throughput);

  return g_test_run ();
}
