/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-csv"

#include "config.h"

#include "dd-csv-sniffer.h"

#include "dd-csv-reader.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

/* Only this much of a longer sample is looked at. */
#define MAX_SAMPLE_SIZE (1024 * 1024)
/* Records looked at for the delimiter and the header. */
#define MAX_SAMPLE_RECORDS 1000
/* An unterminated quote this close to the end of the sample is taken for a cut-off record. */
#define TRUNCATION_ALLOWANCE_LINES 5
/* Reports exported from accounting programs open with a title, the date of the report, the
 * office's name or blank lines before the table: at most this many records. */
#define MAX_TITLE_RECORDS 10

#define UNDEFINED ((gunichar) -1)

typedef enum
{
  KIND_EMPTY,
  KIND_TEXT,
  KIND_NUMBER,
  KIND_DATE,
  KIND_DIGITS,
} FieldKind;

typedef struct
{
  char   delimiter;
  guint  first_n_fields;   /* of the file's first record */
  guint  table_n_fields;   /* of the table's first record (after a title) */
  guint  mode;
  guint  skip_records;     /* title lines before the table */
  double score;
} DelimiterScore;

typedef struct
{
  guint   n_fields;
  guint   n_filled;        /* fields with something other than blanks */
  guint64 line;
  guint   clean : 1;
} RecordInfo;

static const char delimiter_candidates[] = { ';', ',', '\t', '|' };

/* 0x80..0xBF of each single-byte encoding, and 0xC0..0xFF (the letters) where they are not
 * in Unicode's order; 0xFFFF where the byte is undefined. */
static const guint16 windows_1250_low[64] = {
  0x20AC, 0xFFFF, 0x201A, 0xFFFF, 0x201E, 0x2026, 0x2020, 0x2021,  /* 0x80 */
  0xFFFF, 0x2030, 0x0160, 0x2039, 0x015A, 0x0164, 0x017D, 0x0179,  /* 0x88 */
  0xFFFF, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  /* 0x90 */
  0xFFFF, 0x2122, 0x0161, 0x203A, 0x015B, 0x0165, 0x017E, 0x017A,  /* 0x98 */
  0x00A0, 0x02C7, 0x02D8, 0x0141, 0x00A4, 0x0104, 0x00A6, 0x00A7,  /* 0xA0 */
  0x00A8, 0x00A9, 0x015E, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x017B,  /* 0xA8 */
  0x00B0, 0x00B1, 0x02DB, 0x0142, 0x00B4, 0x00B5, 0x00B6, 0x00B7,  /* 0xB0 */
  0x00B8, 0x0105, 0x015F, 0x00BB, 0x013D, 0x02DD, 0x013E, 0x017C,  /* 0xB8 */
};

/* The letters of Windows-1250 and ISO 8859-2 are the same. */
static const guint16 central_european_letters[64] = {
  0x0154, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x0139, 0x0106, 0x00C7,  /* 0xC0 */
  0x010C, 0x00C9, 0x0118, 0x00CB, 0x011A, 0x00CD, 0x00CE, 0x010E,  /* 0xC8 */
  0x0110, 0x0143, 0x0147, 0x00D3, 0x00D4, 0x0150, 0x00D6, 0x00D7,  /* 0xD0 */
  0x0158, 0x016E, 0x00DA, 0x0170, 0x00DC, 0x00DD, 0x0162, 0x00DF,  /* 0xD8 */
  0x0155, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x013A, 0x0107, 0x00E7,  /* 0xE0 */
  0x010D, 0x00E9, 0x0119, 0x00EB, 0x011B, 0x00ED, 0x00EE, 0x010F,  /* 0xE8 */
  0x0111, 0x0144, 0x0148, 0x00F3, 0x00F4, 0x0151, 0x00F6, 0x00F7,  /* 0xF0 */
  0x0159, 0x016F, 0x00FA, 0x0171, 0x00FC, 0x00FD, 0x0163, 0x02D9,  /* 0xF8 */
};

static const guint16 windows_1251_low[64] = {
  0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021,  /* 0x80 */
  0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,  /* 0x88 */
  0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  /* 0x90 */
  0xFFFF, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,  /* 0x98 */
  0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7,  /* 0xA0 */
  0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,  /* 0xA8 */
  0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7,  /* 0xB0 */
  0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,  /* 0xB8 */
};

/* 0x80..0x9F are the C1 control characters. */
static const guint16 iso_8859_2_low[64] = {
  0x0080, 0x0081, 0x0082, 0x0083, 0x0084, 0x0085, 0x0086, 0x0087,  /* 0x80 */
  0x0088, 0x0089, 0x008A, 0x008B, 0x008C, 0x008D, 0x008E, 0x008F,  /* 0x88 */
  0x0090, 0x0091, 0x0092, 0x0093, 0x0094, 0x0095, 0x0096, 0x0097,  /* 0x90 */
  0x0098, 0x0099, 0x009A, 0x009B, 0x009C, 0x009D, 0x009E, 0x009F,  /* 0x98 */
  0x00A0, 0x0104, 0x02D8, 0x0141, 0x00A4, 0x013D, 0x015A, 0x00A7,  /* 0xA0 */
  0x00A8, 0x0160, 0x015E, 0x0164, 0x0179, 0x00AD, 0x017D, 0x017B,  /* 0xA8 */
  0x00B0, 0x0105, 0x02DB, 0x0142, 0x00B4, 0x013E, 0x015B, 0x02C7,  /* 0xB0 */
  0x00B8, 0x0161, 0x015F, 0x0165, 0x017A, 0x02DD, 0x017E, 0x017C,  /* 0xB8 */
};

/* Casefolded words and word stems that label columns of receivables exports. Short ones must
 * match a whole word, longer ones the start of a word. */
static const char * const header_words[] = {
  /* Polish */
  "kontrahent", "nip", "pesel", "regon", "telefon", "tel", "kwota", "termin", "płatn",
  "nazwa", "nazwisk", "imię", "imie", "adres", "ulica", "miasto", "miejscow", "kod", "poczt",
  "faktur", "numer", "nr", "data", "waluta", "saldo", "należn", "dłużnik", "zaległ",
  "odsetk", "mail", "klient", "dokument", "wartość", "brutto", "netto", "uwagi", "lp",
  "pozostało", "zapłac", "wystawien", "kontakt", "komórk",
  /* English */
  "name", "phone", "mobile", "amount", "due", "invoice", "date", "currency", "address",
  "city", "tax", "customer", "debtor", "balance", "number", "zip", "country", "outstanding",
  /* Russian */
  "контрагент", "инн", "кпп", "огрн", "телефон", "тел", "сумм", "срок", "оплат", "наименован",
  "назван", "имя", "фамил", "отчеств", "адрес", "город", "индекс", "счет", "счёт", "номер",
  "дата", "валют", "долг", "должник", "задолж", "клиент", "документ", "примечан", "остат",
  "почт",
};

static const char * const currency_words[] = {
  "zł", "zl", "pln", "eur", "euro", "usd", "gbp", "chf", "czk", "uah", "rub", "руб", "р",
};

static inline gunichar
decode_byte (DdCsvEncoding encoding,
             guint8        byte)
{
  return byte < 0x80 ? byte : dd_csv_encoding_to_unichar (encoding, byte);
}

static gboolean
is_polish_letter (gunichar c)
{
  switch (c)
    {
    case 0x0104: case 0x0105:   /* Ą ą */
    case 0x0106: case 0x0107:   /* Ć ć */
    case 0x0118: case 0x0119:   /* Ę ę */
    case 0x0141: case 0x0142:   /* Ł ł */
    case 0x0143: case 0x0144:   /* Ń ń */
    case 0x00D3: case 0x00F3:   /* Ó ó */
    case 0x015A: case 0x015B:   /* Ś ś */
    case 0x0179: case 0x017A:   /* Ź ź */
    case 0x017B: case 0x017C:   /* Ż ż */
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_russian_letter (gunichar c)
{
  return (c >= 0x0410 && c <= 0x044F) || c == 0x0401 || c == 0x0451;
}

static inline gboolean
is_letter (gunichar c)
{
  return c != UNDEFINED && g_unichar_isalpha (c);
}

static inline gboolean
is_cyrillic (gunichar c)
{
  return g_unichar_get_script (c) == G_UNICODE_SCRIPT_CYRILLIC;
}

/* How much @data reads like Polish, Russian (or at least Latin or Cyrillic) text when decoded
 * with @encoding. Only bytes >= 0x80 are scored, each with its neighbours:
 *  - letters of the language the encoding is used for score well, other letters badly;
 *  - a Cyrillic letter should sit among Cyrillic letters (Russian words are written in one
 *    script), a Latin letter with a diacritic among ASCII letters (Polish words are mostly
 *    ASCII with a few diacritics; runs of them are what misdecoded Cyrillic looks like);
 *  - punctuation glued inside a word, spacing diacritics, C1 controls and undefined bytes
 *    are what misdecoded letters look like. */
static gint64
score_encoding (const guint8  *data,
                gsize          len,
                DdCsvEncoding  encoding)
{
  gint64 score = 0;

  for (gsize i = 0; i < len; i++)
    {
      gunichar c, prev, next;

      if (data[i] < 0x80)
        continue;

      c = decode_byte (encoding, data[i]);
      prev = i > 0 ? decode_byte (encoding, data[i - 1]) : ' ';
      next = i + 1 < len ? decode_byte (encoding, data[i + 1]) : ' ';

      if (c == UNDEFINED || (c >= 0x80 && c < 0xA0))
        {
          score -= 10;
        }
      else if (is_letter (c))
        {
          gunichar neighbours[2] = { prev, next };
          gboolean cyrillic = is_cyrillic (c);

          if (cyrillic)
            score += is_russian_letter (c) ? 2 : 0;
          else
            score += is_polish_letter (c) ? 4 : -1;

          for (guint j = 0; j < G_N_ELEMENTS (neighbours); j++)
            {
              gunichar n = neighbours[j];

              if (!is_letter (n))
                continue;

              if (cyrillic)
                score += (n >= 0x80 && is_cyrillic (n)) ? 2 : -3;
              else
                score += n < 0x80 ? 1 : -1;
            }
        }
      else if (is_letter (prev) && is_letter (next))
        {
          score -= 6;
        }
      else if (g_unichar_type (c) == G_UNICODE_MODIFIER_SYMBOL)
        {
          score -= 3;
        }
    }

  return score;
}

/* Counts well-formed multi-byte sequences and bytes that are not UTF-8. A sequence cut off by
 * the end of the sample counts as neither. */
static void
count_utf8 (const guint8 *data,
            gsize         len,
            guint        *out_valid,
            guint        *out_invalid)
{
  guint valid = 0;
  guint invalid = 0;
  gsize i = 0;

  while (i < len)
    {
      guint8 b = data[i];
      guint n;
      guint8 lo = 0x80;
      guint8 hi = 0xBF;
      gboolean ok = TRUE;

      if (b < 0x80)
        {
          i++;
          continue;
        }

      if (b >= 0xC2 && b <= 0xDF)
        n = 2;
      else if (b >= 0xE0 && b <= 0xEF)
        n = 3;
      else if (b >= 0xF0 && b <= 0xF4)
        n = 4;
      else
        n = 0;

      if (b == 0xE0)
        lo = 0xA0;
      else if (b == 0xED)
        hi = 0x9F;
      else if (b == 0xF0)
        lo = 0x90;
      else if (b == 0xF4)
        hi = 0x8F;

      if (n == 0)
        ok = FALSE;

      for (guint k = 1; ok && k < n; k++)
        {
          guint8 cb;

          if (i + k >= len)
            {
              /* Cut off by the end of the sample. */
              i = len;
              break;
            }

          cb = data[i + k];
          if (cb < (k == 1 ? lo : 0x80) || cb > (k == 1 ? hi : 0xBF))
            ok = FALSE;
        }

      if (i >= len)
        break;

      if (ok)
        {
          valid++;
          i += n;
        }
      else
        {
          invalid++;
          i++;
        }
    }

  *out_valid = valid;
  *out_invalid = invalid;
}

/* UTF-16, by its byte order mark or, without one, by the NUL bytes of mostly ASCII text: at
 * least one code unit in ten has a NUL half, always the same half (digits, delimiters and
 * line breaks are ASCII even in a Russian export). Text in any other encoding has no NUL
 * bytes at all. */
static gboolean
detect_utf16 (const guint8  *data,
              gsize          len,
              DdCsvEncoding *out_encoding,
              gboolean      *out_has_bom)
{
  gsize units = MIN (len, (gsize) 8192) / 2;
  gsize nul_high_le = 0, nul_high_be = 0;

  *out_has_bom = FALSE;
  if (len >= 2 && data[0] == 0xFF && data[1] == 0xFE)
    {
      *out_encoding = DD_CSV_ENCODING_UTF16LE;
      *out_has_bom = TRUE;
      return TRUE;
    }
  if (len >= 2 && data[0] == 0xFE && data[1] == 0xFF)
    {
      *out_encoding = DD_CSV_ENCODING_UTF16BE;
      *out_has_bom = TRUE;
      return TRUE;
    }
  if (units < 2)
    return FALSE;

  for (gsize i = 0; i < units; i++)
    {
      guint8 first = data[2 * i], second = data[2 * i + 1];

      nul_high_le += first != 0 && second == 0;
      nul_high_be += first == 0 && second != 0;
    }
  if (nul_high_le * 10 >= units && nul_high_be * 20 <= nul_high_le)
    {
      *out_encoding = DD_CSV_ENCODING_UTF16LE;
      return TRUE;
    }
  if (nul_high_be * 10 >= units && nul_high_le * 20 <= nul_high_be)
    {
      *out_encoding = DD_CSV_ENCODING_UTF16BE;
      return TRUE;
    }
  return FALSE;
}

/**
 * dd_csv_utf16_sample_to_utf8:
 * @data: the first bytes of a UTF-16 file; may end anywhere
 * @len: the length of @data
 * @encoding: %DD_CSV_ENCODING_UTF16LE or %DD_CSV_ENCODING_UTF16BE
 * @out_len: (out): the length of the result
 *
 * Converts a sample for sniffing: the byte order mark is dropped, so is a character cut by the
 * end of the sample, broken surrogates become U+FFFD and NUL characters stay NUL bytes (they
 * tell binary data). The reader does the strict, streaming conversion of the whole file.
 *
 * Returns: (transfer full): the sample in UTF-8, NUL-terminated
 */
char *
dd_csv_utf16_sample_to_utf8 (const guint8  *data,
                             gsize          len,
                             DdCsvEncoding  encoding,
                             gsize         *out_len)
{
  gboolean be = encoding == DD_CSV_ENCODING_UTF16BE;
  GString *out = g_string_sized_new (len + len / 2 + 1);
  gsize i = 0;

  g_return_val_if_fail (DD_CSV_ENCODING_IS_UTF16 (encoding), NULL);

  while (i + 1 < len)
    {
      gunichar c = be ? (gunichar) (data[i] << 8 | data[i + 1])
                      : (gunichar) (data[i + 1] << 8 | data[i]);

      i += 2;
      if (c >= 0xD800 && c < 0xDC00)
        {
          gunichar low;

          if (i + 1 >= len)
            break;   /* cut by the end of the sample */
          low = be ? (gunichar) (data[i] << 8 | data[i + 1])
                   : (gunichar) (data[i + 1] << 8 | data[i]);
          if (low >= 0xDC00 && low < 0xE000)
            {
              c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
              i += 2;
            }
          else
            c = 0xFFFD;
        }
      else if (c >= 0xDC00 && c < 0xE000)
        c = 0xFFFD;
      if (c == 0xFEFF && out->len == 0 && i == 2)
        continue;
      if (c == 0)
        g_string_append_c (out, '\0');
      else
        g_string_append_unichar (out, c);
    }

  *out_len = out->len;
  return g_string_free (out, FALSE);
}

static DdCsvEncoding
detect_encoding (const guint8 *data,
                 gsize         len)
{
  static const DdCsvEncoding candidates[] = {
    /* In order of preference when the text does not tell them apart. */
    DD_CSV_ENCODING_WINDOWS_1250,
    DD_CSV_ENCODING_ISO_8859_2,
    DD_CSV_ENCODING_WINDOWS_1251,
  };
  DdCsvEncoding best = candidates[0];
  gint64 best_score = G_MININT64;
  guint valid, invalid;

  count_utf8 (data, len, &valid, &invalid);
  /* Single-byte text hardly ever forms valid UTF-8 sequences by chance; a mostly valid
   * UTF-8 file with a few broken bytes is still UTF-8. */
  if (invalid == 0 || (valid >= 8 && valid >= 10 * invalid))
    return DD_CSV_ENCODING_UTF8;

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      gint64 score = score_encoding (data, len, candidates[i]);

      if (score > best_score)
        {
          best_score = score;
          best = candidates[i];
        }
    }

  return best;
}

static gboolean
check_text (const guint8  *data,
            gsize          len,
            GError       **error)
{
  gsize n_control = 0;

  if ((len >= 4 && memcmp (data, "PK\003\004", 4) == 0) ||
      (len >= 8 && memcmp (data, "\320\317\021\340\241\261\032\341", 8) == 0))
    {
      g_set_error_literal (error, DD_CSV_ERROR, DD_CSV_ERROR_NOT_TEXT,
                           _("The file is a spreadsheet workbook, not a CSV file. Open it in "
                             "your spreadsheet application and save it as CSV."));
      return FALSE;
    }

  /* A web page or an XML spreadsheet: what some programs save as "Excel" (1C, web banking),
   * renamed .csv by the user */
  {
    static const char * const markup[] = {
      "<!doctype html", "<html", "<?xml", "<table", "<meta", "<head", "<body", "{\\rtf",
    };
    gsize start = len >= 3 && memcmp (data, "\357\273\277", 3) == 0 ? 3 : 0;

    while (start < len && g_ascii_isspace (data[start]))
      start++;
    for (guint i = 0; i < G_N_ELEMENTS (markup); i++)
      {
        gsize n = strlen (markup[i]);

        if (len - start >= n &&
            g_ascii_strncasecmp ((const char *) data + start, markup[i], n) == 0)
          {
            g_set_error_literal (error, DD_CSV_ERROR, DD_CSV_ERROR_NOT_TEXT,
                                 _("The file is a web page or a document, not a CSV file. "
                                   "Open it in your spreadsheet application and save it as "
                                   "CSV."));
            return FALSE;
          }
      }
  }

  /* Text has hardly any control characters; binary data (compressed data is close to random)
   * has one in nine bytes. */
  for (gsize i = 0; i < len; i++)
    {
      guint8 b = data[i];

      n_control += (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') || b == 0x7F;
    }

  if (n_control > len / 100)
    {
      g_set_error_literal (error, DD_CSV_ERROR, DD_CSV_ERROR_NOT_TEXT,
                           _("The file does not contain text. Choose a CSV file exported "
                             "from your accounting system."));
      return FALSE;
    }

  return TRUE;
}

static guint64
count_lines (const guint8 *data,
             gsize         len)
{
  guint64 lines = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == len || data[i + 1] != '\n')))
        lines++;
    }

  if (len > 0 && data[len - 1] != '\n' && data[len - 1] != '\r')
    lines++;

  return lines;
}

/* How many fields of the reader's record have something other than blanks. */
static guint
count_filled (DdCsvReader *reader)
{
  guint n = 0;

  for (guint i = 0; i < dd_csv_reader_get_n_fields (reader); i++)
    {
      for (const char *p = dd_csv_reader_get_field (reader, i); *p != '\0';
           p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          if (!g_unichar_isspace (c) && c != 0x00A0 && c != 0x202F && c != 0xFEFF)
            {
              n++;
              break;
            }
        }
    }
  return n;
}

/* Whether a record before the table can be a line of a report's title: blank, or one or two
 * filled fields, fewer than half of the table's columns (a column header row fills most of
 * them). */
static gboolean
is_title_record (const RecordInfo *info,
                 guint             mode)
{
  if (info->n_filled == 0)
    return TRUE;
  return mode >= 3 && info->n_filled <= 2 && info->n_filled * 2 < mode;
}

/* log2 (@n), exact at powers of two and linear in between: enough to rank column counts. */
static double
approximate_log2 (guint n)
{
  guint k = g_bit_storage (n) - 1;

  return k + ((double) n / (double) (1u << k) - 1.0);
}

/* Parses the sample with @delimiter and scores how well the result looks like a table:
 * the share of lines in records that have the most frequent column count and clean quoting
 * (soft: other multi-column records count half), times log2 of that column count, halved when
 * the first record has a different count. */
static void
score_delimiter (const guint8   *data,
                 gsize           len,
                 DdCsvEncoding   encoding,
                 char            delimiter,
                 DelimiterScore *out)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, (gssize) len, NULL);
  g_autoptr(DdCsvReader) reader = dd_csv_reader_new (stream, encoding, delimiter);
  g_autoptr(GArray) records = g_array_new (FALSE, FALSE, sizeof (RecordInfo));
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  gboolean ends_with_newline = data[len - 1] == '\n' || data[len - 1] == '\r';
  guint64 total_lines = count_lines (data, len);
  guint64 end_line = total_lines + 1;   /* the first line not scored */
  guint64 tail_lines = 0;               /* lines in an unterminated quote at the end */
  double consistent = 0;
  double weight = 0;
  guint mode = 0;
  guint mode_count = 0;

  memset (out, 0, sizeof *out);
  out->delimiter = delimiter;

  while (records->len < MAX_SAMPLE_RECORDS + 1 && dd_csv_reader_next (reader, NULL, &error))
    {
      RecordInfo info;

      info.n_fields = dd_csv_reader_get_n_fields (reader);
      info.n_filled = count_filled (reader);
      info.line = dd_csv_reader_get_line_number (reader);
      info.clean = (dd_csv_reader_get_record_flags (reader) & DD_CSV_RECORD_STRAY_QUOTE) == 0;
      g_array_append_val (records, info);
    }

  if (records->len == 0)
    return;

  out->first_n_fields = out->table_n_fields = g_array_index (records, RecordInfo, 0).n_fields;

  if (error != NULL)
    {
      guint64 tail_start = dd_csv_reader_get_line_number (reader);

      end_line = tail_start;
      tail_lines = total_lines >= tail_start ? total_lines - tail_start + 1 : 0;
      if (tail_lines <= TRUNCATION_ALLOWANCE_LINES)
        tail_lines = 0;
    }
  else if (records->len > MAX_SAMPLE_RECORDS || (!ends_with_newline && records->len > 1))
    {
      /* Too many, or possibly cut off by the end of the sample. */
      end_line = g_array_index (records, RecordInfo, records->len - 1).line;
      g_array_set_size (records, records->len - 1);
    }

  for (guint i = 0; i < records->len; i++)
    {
      guint n = g_array_index (records, RecordInfo, i).n_fields;
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, GUINT_TO_POINTER (n))) + 1;

      g_hash_table_insert (counts, GUINT_TO_POINTER (n), GUINT_TO_POINTER (count));
      if (count > mode_count || (count == mode_count && n > mode))
        {
          mode = n;
          mode_count = count;
        }
    }

  out->mode = mode;
  if (mode < 2)
    return;

  /* a title before the table: the table starts after it (the title still counts against the
   * delimiter's score below, which keeps a delimiter that splits only the rows, such as the
   * commas of names and amounts, from winning over the one that splits the header too) */
  while (out->skip_records < MIN (records->len - 1, MAX_TITLE_RECORDS) &&
         is_title_record (&g_array_index (records, RecordInfo, out->skip_records), mode))
    out->skip_records++;
  out->table_n_fields = g_array_index (records, RecordInfo, out->skip_records).n_fields;

  for (guint i = 0; i < records->len; i++)
    {
      const RecordInfo *info = &g_array_index (records, RecordInfo, i);
      guint64 next_line = i + 1 < records->len
                          ? g_array_index (records, RecordInfo, i + 1).line
                          : end_line;
      double lines = (double) MAX (next_line, info->line + 1) - (double) info->line;

      weight += lines;
      if (!info->clean)
        continue;
      if (info->n_fields == mode)
        consistent += lines;
      else if (info->n_fields >= 2)
        consistent += lines / 2;
    }
  weight += (double) tail_lines;

  if (weight <= 0)
    return;

  out->score = consistent / weight * approximate_log2 (mode);
  if (out->first_n_fields != mode)
    out->score /= 2;
}

static gunichar
utf8_char (const char *p)
{
  return g_utf8_get_char (p);
}

static gboolean
is_blank (gunichar c)
{
  return g_unichar_isspace (c) || c == 0x00A0 || c == 0x202F || c == 0xFEFF;
}

static char *
trim_field (const char *field)
{
  const char *start = field;
  const char *end = field + strlen (field);

  while (*start != '\0' && is_blank (utf8_char (start)))
    start = g_utf8_next_char (start);

  while (end > start)
    {
      const char *prev = g_utf8_find_prev_char (start, end);

      if (prev == NULL || !is_blank (utf8_char (prev)))
        break;
      end = prev;
    }

  return g_strndup (start, (gsize) (end - start));
}

static gboolean
looks_like_date (const char *s)
{
  guint group_len[3] = { 0, 0, 0 };
  guint group = 0;
  char separator = 0;
  const char *p;

  for (p = s; *p != '\0' && *p != ' ' && *p != 'T'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          group_len[group]++;
        }
      else if ((*p == '.' || *p == '/' || *p == '-') && group < 2 &&
               group_len[group] > 0 && (separator == 0 || separator == *p))
        {
          separator = *p;
          group++;
        }
      else if (*p == '.' && group == 2 && p[1] == '\0')
        {
          /* "15.01.2024." */
          break;
        }
      else
        {
          return FALSE;
        }
    }

  if (group != 2)
    return FALSE;

  if (group_len[0] == 4)
    return group_len[1] >= 1 && group_len[1] <= 2 && group_len[2] >= 1 && group_len[2] <= 2;

  return group_len[0] <= 2 && group_len[1] >= 1 && group_len[1] <= 2 &&
         (group_len[2] == 2 || group_len[2] == 4);
}

static gboolean
is_currency_word (const char *letters)
{
  for (guint i = 0; i < G_N_ELEMENTS (currency_words); i++)
    {
      if (strcmp (letters, currency_words[i]) == 0)
        return TRUE;
    }

  return FALSE;
}

static FieldKind
classify_field (const char *field)
{
  g_autofree char *s = trim_field (field);
  g_autoptr(GString) letters = g_string_new (NULL);
  guint digits = 0;
  guint run = 0;
  guint longest_run = 0;
  gboolean number_chars = TRUE;

  if (*s == '\0')
    return KIND_EMPTY;

  for (const char *p = s; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = utf8_char (p);

      if (c >= '0' && c <= '9')
        {
          digits++;
          run++;
          longest_run = MAX (longest_run, run);
          continue;
        }
      run = 0;

      if (g_unichar_isalpha (c))
        g_string_append_unichar (letters, g_unichar_tolower (c));
      else if (!(is_blank (c) || (c < 0x80 && strchr (".,'+-()%", (int) c) != NULL) ||
                 g_unichar_type (c) == G_UNICODE_CURRENCY_SYMBOL))
        number_chars = FALSE;
    }

  if (digits == 0)
    return KIND_TEXT;

  if (looks_like_date (s))
    return KIND_DATE;

  if (number_chars && (letters->len == 0 || is_currency_word (letters->str)))
    return KIND_NUMBER;

  if (longest_run >= 6)
    return KIND_DIGITS;

  return KIND_TEXT;
}

static gboolean
is_header_word (const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (header_words); i++)
    {
      const char *h = header_words[i];

      if (g_utf8_strlen (h, -1) <= 3 ? strcmp (word, h) == 0 : g_str_has_prefix (word, h))
        return TRUE;
    }

  return FALSE;
}

static gboolean
contains_header_word (const char *field)
{
  g_autofree char *folded = g_utf8_casefold (field, -1);
  g_autoptr(GString) word = g_string_new (NULL);

  for (const char *p = folded; ; p = g_utf8_next_char (p))
    {
      gunichar c = *p != '\0' ? utf8_char (p) : 0;

      if (c != 0 && g_unichar_isalnum (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }

      if (word->len > 0 && is_header_word (word->str))
        return TRUE;
      g_string_truncate (word, 0);

      if (c == 0)
        return FALSE;
    }
}

/* Whether the first record after @skip_records title lines is a row of column labels; see
 * the rules inline. */
static gboolean
detect_header (const guint8  *data,
               gsize          len,
               DdCsvEncoding  encoding,
               char           delimiter,
               guint          skip_records)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, (gssize) len, NULL);
  g_autoptr(DdCsvReader) reader = dd_csv_reader_new (stream, encoding, delimiter);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree guint *typed = NULL;
  g_autofree guint *filled = NULL;
  gboolean ends_with_newline = data[len - 1] == '\n' || data[len - 1] == '\r';
  guint n_columns;
  guint n_header_words = 0;
  gboolean repeated = FALSE;
  guint n_later = 0;
  guint64 later_bytes_end = 0;

  for (guint i = 0; i < skip_records; i++)
    if (!dd_csv_reader_next (reader, NULL, NULL))
      return FALSE;
  if (!dd_csv_reader_next (reader, NULL, NULL))
    return FALSE;

  /* Labels: all present, short, and none of them a number, a date or a code. Spreadsheets
   * save the empty columns right of the table as empty labels at the end: those are passed
   * over. A label repeated ("Kwota" over the gross and over what is left) is still a header
   * when there are at least three different ones and most of them name receivables'
   * columns. */
  n_columns = dd_csv_reader_get_n_fields (reader);
  while (n_columns > 1 &&
         classify_field (dd_csv_reader_get_field (reader, n_columns - 1)) == KIND_EMPTY)
    n_columns--;
  for (guint i = 0; i < n_columns; i++)
    {
      const char *field = dd_csv_reader_get_field (reader, i);
      g_autofree char *trimmed = trim_field (field);
      FieldKind kind = classify_field (field);

      if (kind != KIND_TEXT || g_utf8_strlen (trimmed, -1) > 80)
        return FALSE;

      if (!g_hash_table_add (seen, g_utf8_casefold (trimmed, -1)))
        repeated = TRUE;

      if (contains_header_word (trimmed))
        n_header_words++;
    }
  if (repeated)
    return g_hash_table_size (seen) >= 3 && n_header_words * 2 >= n_columns;

  /* Later records that have numbers, dates or codes where the first one has labels. */
  typed = g_new0 (guint, n_columns);
  filled = g_new0 (guint, n_columns);
  while (n_later < MAX_SAMPLE_RECORDS && dd_csv_reader_next (reader, NULL, NULL))
    {
      guint n = MIN (n_columns, dd_csv_reader_get_n_fields (reader));

      /* The last record of a sample without a final line break may be cut off. */
      later_bytes_end = dd_csv_reader_get_bytes_read (reader);
      if (!ends_with_newline && later_bytes_end >= len && n_later > 0)
        break;

      for (guint i = 0; i < n; i++)
        {
          FieldKind kind = classify_field (dd_csv_reader_get_field (reader, i));

          if (kind == KIND_EMPTY)
            continue;
          filled[i]++;
          if (kind != KIND_TEXT)
            typed[i]++;
        }
      n_later++;
    }

  for (guint i = 0; i < n_columns; i++)
    {
      if (filled[i] > 0 && typed[i] * 2 > filled[i])
        return TRUE;
    }

  /* Otherwise the labels have to name columns of receivables, at least half of them. */
  return n_header_words > 0 && n_header_words * 2 >= n_columns;
}

static gboolean
sniff_dialect (const guint8  *data,
               gsize          len,
               DdCsvEncoding  encoding,
               gboolean       has_bom,
               DdCsvDialect  *out_dialect,
               GError       **error)
{
  DelimiterScore best = { 0, };
  DelimiterScore fallback = { 0, };

  for (guint i = 0; i < G_N_ELEMENTS (delimiter_candidates); i++)
    {
      DelimiterScore score;

      score_delimiter (data, len, encoding, delimiter_candidates[i], &score);
      if (fallback.delimiter == 0 && score.first_n_fields > 0)
        fallback = score;

      if (score.score > best.score + 1e-9)
        best = score;
    }

  if (fallback.delimiter == 0)
    {
      g_set_error_literal (error, DD_CSV_ERROR, DD_CSV_ERROR_EMPTY,
                           _("The file is empty."));
      return FALSE;
    }

  /* One column, or nothing that looks like a table: the first candidate that reads a record,
   * which is the usual delimiter of spreadsheets in Polish and Russian locales unless a quote
   * opened after a semicolon never closes. */
  if (best.delimiter == 0)
    best = fallback;

  out_dialect->encoding = encoding;
  out_dialect->has_bom = has_bom;
  out_dialect->delimiter = best.delimiter;
  out_dialect->n_columns = best.table_n_fields;
  out_dialect->skip_records = best.skip_records;
  out_dialect->has_header = detect_header (data, len, encoding, best.delimiter,
                                           best.skip_records);
  out_dialect->month_first = FALSE;   /* dd_csv_sniff_month_first() tells */
  memset (out_dialect->country, 0, sizeof out_dialect->country);
  {
    const char *country = dd_csv_sniff_country (data, len, encoding);

    if (country != NULL)
      memcpy (out_dialect->country, country, 2);
  }

  g_debug ("Sniffed %s, delimiter 0x%02x (score %.3f), %u title lines, %u columns, %s",
           dd_csv_encoding_to_string (encoding), (guint) best.delimiter, best.score,
           best.skip_records, best.table_n_fields,
           out_dialect->has_header ? "header" : "no header");

  return TRUE;
}

/* Reads "D/D/YYYY" at the start of @text (1 or 2 digits each, then the end, a blank or a
 * time). */
static gboolean
read_slash_date (const char *text,
                 guint      *out_first,
                 guint      *out_second)
{
  const char *p = text;
  guint parts[3] = { 0, };

  while (*p == ' ')
    p++;
  for (guint k = 0; k < 3; k++)
    {
      guint n = 0;

      while (g_ascii_isdigit (*p) && n < 5)
        {
          parts[k] = parts[k] * 10 + (guint) (*p - '0');
          p++;
          n++;
        }
      if (n == 0 || n > (k < 2 ? 2u : 4u) || (k == 2 && n != 4))
        return FALSE;
      if (k < 2 && *p++ != '/')
        return FALSE;
    }
  if (*p != '\0' && *p != ' ' && *p != 'T')
    return FALSE;
  *out_first = parts[0];
  *out_second = parts[1];
  return TRUE;
}

/**
 * dd_csv_sniff_month_first:
 * @data: the start of the file
 * @len: its length
 * @encoding: the file's encoding
 * @delimiter: the field delimiter
 * @skip_records: title records before the table
 * @out_ambiguous: (out) (optional): set to TRUE when the sample has slash dates and every one
 *   of them fits both orders with a different meaning ("03/10/2026": 3 October or March 10),
 *   so that nothing in the file tells which order it writes
 *
 * Whether the slash dates of the sample are written month first, as American exports write
 * them ("10/31/2026"): some of them cannot be day first and none of them cannot be month
 * first. Dates that fit both ways ("03/10/2026") are day first otherwise.
 *
 * Returns: TRUE when the slash dates are MM/DD/YYYY
 */
gboolean
dd_csv_sniff_month_first (const guint8  *data,
                          gsize          len,
                          DdCsvEncoding  encoding,
                          char           delimiter,
                          guint          skip_records,
                          gboolean      *out_ambiguous)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(DdCsvReader) reader = NULL;
  guint day_first = 0, month_first = 0, either = 0;

  if (out_ambiguous != NULL)
    *out_ambiguous = FALSE;
  if (len == 0)
    return FALSE;
  if (DD_CSV_ENCODING_IS_UTF16 (encoding))
    {
      gsize utf8_len;
      g_autofree char *utf8 = dd_csv_utf16_sample_to_utf8 (data, MIN (len, MAX_SAMPLE_SIZE),
                                                           encoding, &utf8_len);

      return dd_csv_sniff_month_first ((const guint8 *) utf8, utf8_len, DD_CSV_ENCODING_UTF8,
                                       delimiter, skip_records, out_ambiguous);
    }
  stream = g_memory_input_stream_new_from_data (data, (gssize) len, NULL);
  reader = dd_csv_reader_new (stream, encoding, delimiter);
  for (guint i = 0; i < skip_records; i++)
    if (!dd_csv_reader_next (reader, NULL, NULL))
      return FALSE;
  for (guint r = 0; r < MAX_SAMPLE_RECORDS && dd_csv_reader_next (reader, NULL, NULL); r++)
    for (guint i = 0; i < dd_csv_reader_get_n_fields (reader); i++)
      {
        guint first, second;

        if (!read_slash_date (dd_csv_reader_get_field (reader, i), &first, &second))
          continue;
        if (first > 12 && second >= 1 && second <= 12)
          day_first++;
        else if (second > 12 && first >= 1 && first <= 12)
          month_first++;
        else if (first != second && first >= 1 && first <= 12 && second >= 1 && second <= 12)
          either++;
      }
  if (out_ambiguous != NULL)
    *out_ambiguous = either > 0 && day_first == 0 && month_first == 0;
  return month_first > 0 && day_first == 0;
}

/* Country */

/* How many characters from @p on are digits of a phone number (digits, spaces, "-", "(",
 * ")"), and how many digits that is. */
static guint
phone_digits (const char *p,
              const char *end)
{
  guint digits = 0;

  for (; p < end; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (*p != ' ' && *p != '-' && *p != '(' && *p != ')')
        break;
    }
  return digits;
}

static void
score_word (const char *word,
            int        *ru,
            int        *pl)
{
  static const char * const russian[] = { "инн", "кпп", "огрн", "бик" };
  static const char * const polish[] = { "nip", "regon", "pesel", "krs" };

  for (guint i = 0; i < G_N_ELEMENTS (russian); i++)
    if (g_str_equal (word, russian[i]))
      *ru += 3;
  for (guint i = 0; i < G_N_ELEMENTS (polish); i++)
    if (g_str_equal (word, polish[i]))
      *pl += 3;
  if (g_str_equal (word, "руб") || g_str_equal (word, "rub"))
    *ru += 1;
  if (g_str_equal (word, "zł") || g_str_equal (word, "pln"))
    *pl += 1;
}

const char *
dd_csv_sniff_country (const guint8  *data,
                      gsize          len,
                      DdCsvEncoding  encoding)
{
  g_autoptr(GString) text = g_string_sized_new (len + len / 2);
  g_autoptr(GString) word = g_string_new (NULL);
  g_autofree char *valid = NULL;
  guint cyrillic = 0, polish_letters = 0, latin = 0;
  guint ru_phones = 0, pl_phones = 0;
  int ru = 0, pl = 0;
  const char *end;

  len = MIN (len, MAX_SAMPLE_SIZE);
  if (DD_CSV_ENCODING_IS_UTF16 (encoding))
    {
      gsize utf8_len;
      g_autofree char *utf8 = dd_csv_utf16_sample_to_utf8 (data, len, encoding, &utf8_len);

      return dd_csv_sniff_country ((const guint8 *) utf8, utf8_len, DD_CSV_ENCODING_UTF8);
    }
  if (encoding == DD_CSV_ENCODING_UTF8)
    valid = g_utf8_make_valid ((const char *) data, len);
  else
    {
      for (gsize i = 0; i < len; i++)
        {
          gunichar c = decode_byte (encoding, data[i]);
          g_string_append_unichar (text, c == UNDEFINED ? 0xFFFD : c);
        }
      valid = g_strdup (text->str);
    }
  end = valid + strlen (valid);

  for (const char *p = valid; p <= end; p = p < end ? g_utf8_next_char (p) : p + 1)
    {
      gunichar c = p < end ? g_utf8_get_char (p) : 0;

      if (c != 0 && g_unichar_isalnum (c))
        {
          gunichar lower = g_unichar_tolower (c);

          if (is_cyrillic (c))
            cyrillic++;
          else if (is_polish_letter (c))
            polish_letters++;
          else if (g_ascii_isalpha (c))
            latin++;
          g_string_append_unichar (word, lower);
          continue;
        }
      if (word->len > 0)
        {
          score_word (word->str, &ru, &pl);
          g_string_truncate (word, 0);
        }
      if (c == 0x20BD)   /* ₽ */
        ru += 1;

      /* +7 (912) 345-67-89, 8 900 123-45-67, +48 600 100 200 */
      if (c == '+' && p + 1 < end && g_ascii_isdigit (p[1]))
        {
          guint digits = phone_digits (p + 1, end);

          if (p[1] == '7' && digits == 11)
            ru_phones++;
          else if (p[1] == '4' && p + 2 < end && p[2] == '8' && digits == 11)
            pl_phones++;
        }
      else if (c != 0 && !g_ascii_isdigit (c) && p + 1 < end && p[1] == '8' &&
               phone_digits (p + 1, end) == 11)
        {
          const char *q = p + 2;

          while (q < end && (*q == ' ' || *q == '(' || *q == '-'))
            q++;
          if (q < end && *q == '9')
            ru_phones++;
        }
    }

  if (cyrillic > 20 && cyrillic > (latin + polish_letters) / 4)
    ru += 3;
  if (polish_letters >= 3 && polish_letters * 4 > cyrillic)
    pl += 3;
  ru += (int) MIN (ru_phones, 5u);
  pl += (int) MIN (pl_phones, 5u);

  g_debug ("Country scores: RU %d (%u phones), PL %d (%u phones)", ru, ru_phones, pl, pl_phones);
  if (ru >= 3 && ru > pl)
    return "RU";
  if (pl >= 3 && pl > ru)
    return "PL";
  return NULL;
}

static gboolean
has_utf8_bom (const guint8 *data,
              gsize         len)
{
  return len >= 3 && memcmp (data, "\357\273\277", 3) == 0;
}

const char *
dd_csv_encoding_to_string (DdCsvEncoding encoding)
{
  switch (encoding)
    {
    case DD_CSV_ENCODING_UTF8:
      return "UTF-8";
    case DD_CSV_ENCODING_WINDOWS_1250:
      return "windows-1250";
    case DD_CSV_ENCODING_WINDOWS_1251:
      return "windows-1251";
    case DD_CSV_ENCODING_ISO_8859_2:
      return "ISO-8859-2";
    case DD_CSV_ENCODING_UTF16LE:
      return "UTF-16LE";
    case DD_CSV_ENCODING_UTF16BE:
      return "UTF-16BE";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * dd_csv_encoding_from_string:
 * @name: an encoding name, as the user or another program spells it
 * @out_encoding: (out): the encoding
 *
 * Understands the usual spellings, case-insensitively and ignoring "-", "_", "." and spaces:
 * "UTF-8", "utf8", "windows-1250", "cp1250", "win1250", "ISO-8859-2", "latin2", "l2",
 * "windows-1251", "cp1251", "win1251", "UTF-16LE", "UTF-16", "Unicode", "UTF-16BE" and a
 * few more.
 *
 * Returns: %TRUE if @name was understood
 */
gboolean
dd_csv_encoding_from_string (const char    *name,
                             DdCsvEncoding *out_encoding)
{
  static const struct {
    const char    *name;
    DdCsvEncoding  encoding;
  } aliases[] = {
    { "utf8", DD_CSV_ENCODING_UTF8 },
    { "unicode11utf8", DD_CSV_ENCODING_UTF8 },
    { "windows1250", DD_CSV_ENCODING_WINDOWS_1250 },
    { "cp1250", DD_CSV_ENCODING_WINDOWS_1250 },
    { "win1250", DD_CSV_ENCODING_WINDOWS_1250 },
    { "xcp1250", DD_CSV_ENCODING_WINDOWS_1250 },
    { "mscp1250", DD_CSV_ENCODING_WINDOWS_1250 },
    { "windows1251", DD_CSV_ENCODING_WINDOWS_1251 },
    { "cp1251", DD_CSV_ENCODING_WINDOWS_1251 },
    { "win1251", DD_CSV_ENCODING_WINDOWS_1251 },
    { "xcp1251", DD_CSV_ENCODING_WINDOWS_1251 },
    { "mscp1251", DD_CSV_ENCODING_WINDOWS_1251 },
    { "iso88592", DD_CSV_ENCODING_ISO_8859_2 },
    { "iso885921987", DD_CSV_ENCODING_ISO_8859_2 },
    { "isoir101", DD_CSV_ENCODING_ISO_8859_2 },
    { "latin2", DD_CSV_ENCODING_ISO_8859_2 },
    { "l2", DD_CSV_ENCODING_ISO_8859_2 },
    { "csisolatin2", DD_CSV_ENCODING_ISO_8859_2 },
    /* Windows calls UTF-16LE "Unicode"; with a byte order mark, the mark decides */
    { "utf16le", DD_CSV_ENCODING_UTF16LE },
    { "utf16", DD_CSV_ENCODING_UTF16LE },
    { "unicode", DD_CSV_ENCODING_UTF16LE },
    { "ucs2", DD_CSV_ENCODING_UTF16LE },
    { "utf16be", DD_CSV_ENCODING_UTF16BE },
    { "unicodefffe", DD_CSV_ENCODING_UTF16BE },
  };
  char normalized[32];
  gsize n = 0;

  g_return_val_if_fail (out_encoding != NULL, FALSE);

  if (name == NULL)
    return FALSE;

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '-' || *p == '_' || *p == '.' || *p == ' ')
        continue;
      if (n + 1 >= sizeof normalized)
        return FALSE;
      normalized[n++] = g_ascii_tolower (*p);
    }
  normalized[n] = '\0';

  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    {
      if (strcmp (normalized, aliases[i].name) == 0)
        {
          *out_encoding = aliases[i].encoding;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * dd_csv_encoding_to_unichar:
 * @encoding: an encoding
 * @byte: a byte
 *
 * Returns: the character @byte stands for in a single-byte @encoding, or (gunichar) -1 if
 *   the byte is undefined there; for UTF-8, ASCII bytes map to themselves and all others
 *   to (gunichar) -1
 */
gunichar
dd_csv_encoding_to_unichar (DdCsvEncoding encoding,
                            guint8        byte)
{
  const guint16 *low;
  guint16 c;

  if (byte < 0x80)
    return byte;

  switch (encoding)
    {
    case DD_CSV_ENCODING_WINDOWS_1250:
      low = windows_1250_low;
      break;
    case DD_CSV_ENCODING_WINDOWS_1251:
      /* its letters are А..я in order */
      if (byte >= 0xC0)
        return 0x0410 + (byte - 0xC0);
      low = windows_1251_low;
      break;
    case DD_CSV_ENCODING_ISO_8859_2:
      low = iso_8859_2_low;
      break;
    case DD_CSV_ENCODING_UTF8:
    case DD_CSV_ENCODING_UTF16LE:
    case DD_CSV_ENCODING_UTF16BE:
    default:
      return UNDEFINED;
    }

  c = byte < 0xC0 ? low[byte - 0x80] : central_european_letters[byte - 0xC0];
  return c == 0xFFFF ? UNDEFINED : c;
}

/**
 * dd_csv_sniff:
 * @data: the first bytes of a file, say %DD_CSV_SNIFF_SIZE; may end anywhere
 * @len: the length of @data
 * @out_dialect: (out): what was found
 * @error: return location for an error
 *
 * Guesses encoding, delimiter and header of a CSV file. Fails with %DD_CSV_ERROR_EMPTY,
 * %DD_CSV_ERROR_NOT_TEXT (binary data, spreadsheet workbooks). UTF-16 (with a byte order
 * mark, or without one when the text is mostly ASCII) is recognised; the reader converts it.
 *
 * Returns: %TRUE on success
 */
gboolean
dd_csv_sniff (const guint8  *data,
              gsize          len,
              DdCsvDialect  *out_dialect,
              GError       **error)
{
  gboolean has_bom;
  DdCsvEncoding encoding;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (out_dialect != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  len = MIN (len, MAX_SAMPLE_SIZE);
  has_bom = has_utf8_bom (data, len);
  if (has_bom)
    encoding = DD_CSV_ENCODING_UTF8;
  else if (!detect_utf16 (data, len, &encoding, &has_bom))
    encoding = detect_encoding (data, len);

  return dd_csv_sniff_with_encoding (data, len, encoding, out_dialect, error);
}

/**
 * dd_csv_sniff_with_encoding:
 * @data: the first bytes of a file, say %DD_CSV_SNIFF_SIZE; may end anywhere
 * @len: the length of @data
 * @encoding: the encoding chosen by the user
 * @out_dialect: (out): what was found
 * @error: return location for an error
 *
 * Like dd_csv_sniff() with a known encoding.
 *
 * Returns: %TRUE on success
 */
gboolean
dd_csv_sniff_with_encoding (const guint8  *data,
                            gsize          len,
                            DdCsvEncoding  encoding,
                            DdCsvDialect  *out_dialect,
                            GError       **error)
{
  gboolean has_bom;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (encoding <= DD_CSV_ENCODING_LAST, FALSE);
  g_return_val_if_fail (out_dialect != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  len = MIN (len, MAX_SAMPLE_SIZE);
  if (len == 0)
    {
      g_set_error_literal (error, DD_CSV_ERROR, DD_CSV_ERROR_EMPTY,
                           _("The file is empty."));
      return FALSE;
    }

  /* UTF-16 is told by the file itself (a byte order mark, NUL halves) better than by a
   * choice of the user, which would only turn it into garbage; a UTF-16 choice for a file
   * with the other mark takes the mark's byte order. */
  {
    DdCsvEncoding utf16;

    if (detect_utf16 (data, len, &utf16, &has_bom) &&
        (has_bom || !DD_CSV_ENCODING_IS_UTF16 (encoding)))
      encoding = utf16;
  }
  if (DD_CSV_ENCODING_IS_UTF16 (encoding))
    {
      gsize utf8_len;
      g_autofree char *utf8 = dd_csv_utf16_sample_to_utf8 (data, len, encoding, &utf8_len);

      has_bom = len >= 2 && (data[0] == 0xFF || data[0] == 0xFE) && (data[0] ^ data[1]) == 0x01;
      if (utf8_len == 0)
        {
          g_set_error_literal (error, DD_CSV_ERROR, DD_CSV_ERROR_EMPTY,
                               _("The file is empty."));
          return FALSE;
        }
      if (!check_text ((const guint8 *) utf8, utf8_len, error) ||
          !sniff_dialect ((const guint8 *) utf8, utf8_len, DD_CSV_ENCODING_UTF8, FALSE,
                          out_dialect, error))
        return FALSE;
      out_dialect->encoding = encoding;
      out_dialect->has_bom = has_bom;
      return TRUE;
    }

  if (!check_text (data, len, error))
    return FALSE;

  has_bom = encoding == DD_CSV_ENCODING_UTF8 && has_utf8_bom (data, len);

  return sniff_dialect (data, len, encoding, has_bom, out_dialect, error);
}
