/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-payments"

#include "config.h"

#include "dd-1c-exchange.h"
#include "dd-mt940.h"
#include "dd-csv-reader.h"
#include "dd-payment-csv.h"
#include "dd-payment-statement.h"

#include <string.h>

#include "payment-samples.h"

static DdPaymentLine *
line_at (DdPaymentStatement *statement,
         guint               i)
{
  g_assert_cmpuint (i, <, statement->lines->len);
  return g_ptr_array_index (statement->lines, i);
}

static void
check_mt940 (const char *encoding,
             const char *expected_encoding)
{
  g_autoptr(GBytes) bytes = sample_in (sample_mt940, encoding);
  g_autoptr(DdPaymentStatement) statement = NULL;
  g_autoptr(GError) error = NULL;
  DdPaymentLine *line;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  g_assert_cmpint (dd_payment_format_guess (data, len), ==, DD_PAYMENT_FORMAT_MT940);
  statement = dd_payment_statement_parse (data, len, DD_PAYMENT_FORMAT_AUTO, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (statement);
  g_assert_cmpstr (statement->encoding, ==, expected_encoding);
  g_assert_cmpuint (statement->lines->len, ==, 3);
  g_assert_cmpuint (statement->n_debits, ==, 1);

  line = line_at (statement, 0);
  g_assert_cmpuint (line->line_no, ==, 6);
  g_assert_cmpstr (line->reference, ==, "CEN2611200123");
  g_assert_cmpstr (line->account, ==, "PL61109010140000071219812874");
  g_assert_cmpstr (line->value_date, ==, "2026-11-20");
  g_assert_cmpint (line->amount_minor, ==, 100000);
  g_assert_cmpstr (line->currency, ==, "PLN");
  /* the invoice number cut between ~20 and ~21 is whole again */
  g_assert_cmpstr (line->title, ==, "Zapłata za FV/2026/01/0001 dziękuję");
  g_assert_cmpstr (line->payer_name, ==, "Łukasz Żółkiewski");
  g_assert_cmpstr (line->payer_account, ==, "PL61109010140000071219812874");
  g_assert_true (g_str_has_prefix (line->raw, ":61:2611201120C"));
  g_assert_nonnull (strstr (line->raw, ":86:020~00TRANSFER"));
  g_assert_cmpstr (line->key, ==,
                   "CEN2611200123|PL61109010140000071219812874|2026-11-20|100000PLN");

  /* funds code N after C; ~27 name; ~30 + ~31 account */
  line = line_at (statement, 1);
  g_assert_cmpint (line->amount_minor, ==, 5000);
  g_assert_cmpstr (line->reference, ==, "CEN2611210001");
  g_assert_cmpstr (line->title, ==, "Rata E-77-2026");
  g_assert_cmpstr (line->payer_name, ==, "Anna Nowak");
  g_assert_cmpstr (line->payer_account, ==, "102010260000042270201111");

  /* free text over two lines; no reference: the key comes from the text */
  line = line_at (statement, 2);
  g_assert_cmpint (line->amount_minor, ==, 3300);
  g_assert_null (line->reference);
  g_assert_cmpstr (line->title, ==, "Wpłata gotówkowa Jan Kowalski-Nowak za fakturę X-1");
  g_assert_null (line->payer_name);
  g_assert_false (g_str_has_prefix (line->key, "NONREF"));
}

static void
test_mt940_utf8 (void)
{
  check_mt940 ("UTF-8", "UTF-8");
}

static void
test_mt940_cp1250 (void)
{
  check_mt940 ("WINDOWS-1250", "WINDOWS-1250");
}

static void
test_mt940_angle_marker (void)
{
  g_autoptr(GBytes) bytes = sample_in (sample_mt940_angle, "WINDOWS-1250");
  g_autoptr(DdPaymentStatement) statement = NULL;
  g_autoptr(GError) error = NULL;
  DdPaymentLine *line;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  statement = dd_mt940_parse (data, len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (statement->lines->len, ==, 1);
  line = line_at (statement, 0);
  g_assert_cmpint (line->amount_minor, ==, 15000);
  g_assert_cmpstr (line->reference, ==, "2611220042");
  g_assert_cmpstr (line->title, ==, "FV/2026/03/0007 część");
  g_assert_cmpstr (line->payer_name, ==, "Łukasz Żółkiewski");
  g_assert_cmpstr (line->payer_account, ==, "PL83101010230000261395100000");
}

/* A Russian bank's MT940 in Windows-1251 is told apart from Windows-1250. */
static void
test_mt940_cp1251 (void)
{
  g_autofree char *text = g_strdup (sample_mt940_angle);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DdPaymentStatement) statement = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data;
  GString *s = g_string_new (text);

  g_string_replace (s, "Łukasz Żółkiewski", "Иван Петров", 0);
  g_string_replace (s, "FV/2026/03/0007 część", "Оплата по счёту СЧ-123/45", 0);
  g_string_replace (s, "PLN", "RUB", 0);
  bytes = sample_in (s->str, "WINDOWS-1251");
  g_string_free (s, TRUE);
  data = g_bytes_get_data (bytes, &len);
  statement = dd_mt940_parse (data, len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (statement->encoding, ==, "WINDOWS-1251");
  g_assert_cmpstr (line_at (statement, 0)->payer_name, ==, "Иван Петров");
  g_assert_cmpstr (line_at (statement, 0)->title, ==, "Оплата по счёту СЧ-123/45");
  g_assert_cmpstr (line_at (statement, 0)->currency, ==, "RUB");
}

static void
check_mt940_error (const char *text,
                   const char *encoding,
                   const char *chosen,
                   int         code,
                   const char *message)
{
  g_autoptr(GBytes) bytes = sample_in (text, encoding);
  g_autoptr(DdPaymentStatement) statement = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  statement = dd_mt940_parse (data, len, chosen, &error);
  g_assert_null (statement);
  g_assert_error (error, DD_PAYMENT_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_mt940_truncated (void)
{
  /* cut in the middle of the second entry's :86: */
  g_autofree char *cut = g_strndup (sample_mt940, strstr (sample_mt940, "0000071219812874~60") -
                                    sample_mt940);

  check_mt940_error (cut, "WINDOWS-1250", NULL, DD_PAYMENT_ERROR_TRUNCATED,
                     "Line 8: the statement that begins on line 2 ends without its closing "
                     "balance (:62F:); the file seems to be cut short.");
}

/* cut inside an entry's :61: line: still "cut short", not a bad amount */
static void
test_mt940_truncated_entry (void)
{
  g_autofree char *cut = g_strndup (sample_mt940, strstr (sample_mt940, "3,00N051") -
                                    sample_mt940);

  check_mt940_error (cut, "WINDOWS-1250", NULL, DD_PAYMENT_ERROR_TRUNCATED,
                     "Line 15: the statement that begins on line 2 ends without its closing "
                     "balance (:62F:); the file seems to be cut short.");
}

/* Two SWIFT messages in one file, the first closed by "-}{5:{CHK:…}}"; the file cut right
 * after the second message's header: cut short, nothing of the first statement kept. */
static void
test_mt940_envelopes (void)
{
  static const char first[] =
    "{1:F01BPKOPLPWAXXX0000000000}{2:I940BPKOPLPWXXXXN}{4:\r\n"
    ":20:MT940\r\n"
    ":25:/PL61102010260000042270201111\r\n"
    ":28C:00231\r\n"
    ":60F:C261119PLN000000012345,67\r\n"
    ":61:2611201120CN000000000330,00N152NONREF//26112000012\r\n"
    ":86:152~00PRZELEW~20FV/2026/03/0007~32ŻÓŁKIEWSKI ŁUKASZ\r\n"
    ":62F:C261120PLN000000012675,67\r\n"
    ":64:C261120PLN000000012675,67\r\n"
    "-}{5:{CHK:1234567890AB}}\r\n";
  static const char second[] =
    "{1:F01BPKOPLPWAXXX0000000000}{2:I940BPKOPLPWXXXXN}{4:\r\n"
    ":20:MT940\r\n"
    ":25:/PL61102010260000042270201111\r\n"
    ":28C:00232\r\n"
    ":60F:C261120PLN000000012675,67\r\n"
    ":61:261121C100,00N152NONREF//26112100001\r\n"
    ":86:152~00PRZELEW~20X-1~32KOWALSKI-NOWAK JAN\r\n"
    ":62F:C261121PLN000000012775,67\r\n"
    "-}";
  g_autofree char *whole = g_strconcat (first, second, NULL);
  g_autofree char *cut = g_strconcat (first, "{1:F01BPKOPLPWAXXX0000000000}{2:I940BPKOPLPWXX",
                                      "XXN}{4:\r\n", NULL);
  g_autoptr(DdPaymentStatement) statement = NULL;
  g_autoptr(GError) error = NULL;

  statement = dd_mt940_parse ((const guint8 *) whole, strlen (whole), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (statement->lines->len, ==, 2);
  g_assert_cmpstr (line_at (statement, 0)->title, ==, "FV/2026/03/0007");
  g_assert_cmpstr (line_at (statement, 1)->value_date, ==, "2026-11-21");
  g_assert_cmpint (line_at (statement, 1)->amount_minor, ==, 10000);

  check_mt940_error (cut, "UTF-8", NULL, DD_PAYMENT_ERROR_TRUNCATED,
                     "Line 11: the message that begins on line 11 holds no statement; the "
                     "file seems to be cut short.");
}

/* The "?" subfield mark (the German layout some banks in Poland keep: ?20 title, ?32 name,
 * ?30 sort code + ?31 account) */
static void
test_mt940_question_marker (void)
{
  static const char text[] =
    ":20:STARTUMS\r\n"
    ":25:10500000/1234567890\r\n"
    ":28C:5/1\r\n"
    ":60F:C261119PLN000000001000,00\r\n"
    ":61:2611201120C150,00NTRFNONREF\r\n"
    ":86:166?00PRZELEW?20FV/2026/03/0007 czesc?21iowa?3010901014?310000071219812874\r\n"
    "?32Lukasz Zolkiewski\r\n"
    ":62F:C261120PLN000000001150,00\r\n";
  g_autoptr(DdPaymentStatement) statement = NULL;
  g_autoptr(GError) error = NULL;
  DdPaymentLine *line;

  statement = dd_mt940_parse ((const guint8 *) text, strlen (text), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (statement->lines->len, ==, 1);
  line = line_at (statement, 0);
  g_assert_cmpstr (line->title, ==, "FV/2026/03/0007 czesciowa");
  g_assert_cmpstr (line->payer_name, ==, "Lukasz Zolkiewski");
  g_assert_cmpstr (line->payer_account, ==, "109010140000071219812874");
}

/* A long statement in two parts (:62M: closes the first, :60M: opens the next): read whole;
 * the file cut after the first part is refused. */
static void
test_mt940_intermediate (void)
{
  static const char first[] =
    ":20:ST1\r\n"
    ":25:/PL61102010260000042270201111\r\n"
    ":28C:00231/1\r\n"
    ":60F:C261119PLN1000,00\r\n"
    ":61:261120C200,00NTRFNONREF//A1\r\n"
    ":86:~20E-77-2026~32ANNA NOWAK\r\n"
    ":62M:C261120PLN1200,00\r\n";
  static const char second[] =
    ":20:ST1\r\n"
    ":25:/PL61102010260000042270201111\r\n"
    ":28C:00231/2\r\n"
    ":60M:C261120PLN1200,00\r\n"
    ":61:261120C1,00NTRFNONREF//A2\r\n"
    ":86:~20X-1\r\n"
    ":62F:C261120PLN1201,00\r\n"
    ":64:C261120PLN1201,00\r\n";
  g_autofree char *whole = g_strconcat (first, second, NULL);
  g_autoptr(DdPaymentStatement) statement = NULL;
  g_autoptr(GError) error = NULL;

  statement = dd_mt940_parse ((const guint8 *) whole, strlen (whole), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (statement->lines->len, ==, 2);

  check_mt940_error (first, "UTF-8", NULL, DD_PAYMENT_ERROR_TRUNCATED,
                     "Line 7: the statement stops at an intermediate balance (:62M:) on line 7 "
                     "and its next part is missing; the file seems to be cut short.");
}

static void
test_mt940_amount_letters (void)
{
  g_autoptr(GString) s = g_string_new (sample_mt940);

  g_string_replace (s, "CN000000000050,00NTRF", "CN0000000000S0,O0NTRF", 0);
  check_mt940_error (s->str, "WINDOWS-1250", NULL, DD_PAYMENT_ERROR_AMOUNT,
                     "Line 12: the amount “0000000000S0,O0” is not a number.");
}

static void
test_mt940_wrong_encoding (void)
{
  /* saved in Windows-1250, opened as UTF-8 */
  check_mt940_error (sample_mt940, "WINDOWS-1250", "UTF-8", DD_PAYMENT_ERROR_ENCODING,
                     "Line 7: the text is not valid UTF-8. Choose the encoding the bank used "
                     "(Windows-1250 or Windows-1251).");
}

static void
test_mt940_utf16 (void)
{
  g_autoptr(GError) error = NULL;
  gsize written;
  g_autofree char *utf16 = g_convert (sample_mt940, -1, "UTF-16LE", "UTF-8", NULL, &written,
                                      &error);
  g_autoptr(DdPaymentStatement) statement = NULL;

  g_assert_no_error (error);
  statement = dd_mt940_parse ((const guint8 *) utf16, written, NULL, &error);
  g_assert_null (statement);
  g_assert_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_ENCODING);
  g_assert_true (g_str_has_prefix (error->message, "Line 1: "));
}

static void
check_1c (const char *encoding)
{
  g_autoptr(GBytes) bytes = sample_in (sample_1c, encoding);
  g_autoptr(DdPaymentStatement) statement = NULL;
  g_autoptr(GError) error = NULL;
  DdPaymentLine *line;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  g_assert_cmpint (dd_payment_format_guess (data, len), ==, DD_PAYMENT_FORMAT_1C);
  statement = dd_payment_statement_parse (data, len, DD_PAYMENT_FORMAT_AUTO, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (statement->encoding, ==, encoding);
  g_assert_cmpuint (statement->lines->len, ==, 2);
  g_assert_cmpuint (statement->n_debits, ==, 1);

  line = line_at (statement, 0);
  g_assert_cmpuint (line->line_no, ==, 21);
  g_assert_cmpstr (line->value_date, ==, "2026-11-21");
  g_assert_cmpint (line->amount_minor, ==, 450000);
  g_assert_cmpstr (line->currency, ==, "RUB");
  g_assert_cmpstr (line->account, ==, "40702810938000012345");
  g_assert_cmpstr (line->payer_name, ==, "Иван Петров");
  g_assert_cmpstr (line->payer_tax_id, ==, "7707083893");
  g_assert_cmpstr (line->payer_account, ==, "40817810099910004312");
  g_assert_cmpstr (line->title, ==, "Оплата по счёту СЧ-123/45 от 01.04.2026. Без НДС");
  g_assert_cmpstr (line->reference, ==, "512 20.11.2026 40817810099910004312");
  g_assert_true (g_str_has_prefix (line->raw, "СекцияДокумент=Платежное поручение"));

  line = line_at (statement, 1);
  g_assert_cmpint (line->amount_minor, ==, 120000);
  g_assert_cmpstr (line->payer_name, ==, "Сидоров Пётр Ильич");
  g_assert_null (line->payer_tax_id);
}

static void
test_1c_cp1251 (void)
{
  check_1c ("WINDOWS-1251");
}

static void
test_1c_utf8 (void)
{
  check_1c ("UTF-8");
}

static void
check_1c_error (const char *text,
                const char *encoding,
                int         code,
                const char *message)
{
  g_autoptr(GBytes) bytes = sample_in (text, encoding);
  g_autoptr(DdPaymentStatement) statement = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  statement = dd_1c_exchange_parse (data, len, NULL, &error);
  g_assert_null (statement);
  g_assert_error (error, DD_PAYMENT_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_1c_errors (void)
{
  g_autoptr(GString) s = g_string_new (sample_1c);
  g_autofree char *cut = g_strndup (sample_1c, strstr (sample_1c, "Номер=77") - sample_1c);

  g_string_replace (s, "Сумма=1200", "Сумма=12OO", 0);
  check_1c_error (s->str, "WINDOWS-1251", DD_PAYMENT_ERROR_AMOUNT,
                  "Line 53: the amount “12OO” is not a number.");
  check_1c_error (cut, "WINDOWS-1251", DD_PAYMENT_ERROR_TRUNCATED,
                  "Line 38: the document that begins on line 38 has no end (КонецДокумента); "
                  "the file seems to be cut short.");

  /* saved in Windows-1251 but saying DOS (CP866): the keys are unreadable */
  g_string_assign (s, sample_1c);
  g_string_replace (s, "Кодировка=Windows", "Кодировка=DOS", 0);
  check_1c_error (s->str, "WINDOWS-1251", DD_PAYMENT_ERROR_ENCODING,
                  "Line 2: the file’s keys cannot be read in CP866: it is in another encoding "
                  "than the one it says (Кодировка) or was chosen.");
}

static void
test_csv (void)
{
  g_autoptr(GBytes) bytes = sample_in (sample_payments_csv, "WINDOWS-1250");
  g_autoptr(DdPaymentStatement) statement = NULL;
  g_autoptr(GError) error = NULL;
  DdPaymentLine *line;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  const char *header[] = { "Data księgowania", "Kwota", "Waluta", "Tytuł", "Nadawca",
                           "Rachunek nadawcy", "NIP", "Referencja" };
  DdPaymentCsvMap map;

  g_assert_true (dd_payment_csv_map_guess (header, G_N_ELEMENTS (header), &map));
  for (guint f = 0; f < DD_N_PAYMENT_FIELDS; f++)
    g_assert_cmpint (map.columns[f], ==, f);

  g_assert_cmpint (dd_payment_format_guess (data, len), ==, DD_PAYMENT_FORMAT_CSV);
  statement = dd_payment_csv_parse (data, len, NULL, "PLN", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (statement->lines->len, ==, 2);
  g_assert_cmpuint (statement->n_debits, ==, 1);
  line = line_at (statement, 0);
  g_assert_cmpuint (line->line_no, ==, 2);
  g_assert_cmpstr (line->value_date, ==, "2026-11-20");
  g_assert_cmpint (line->amount_minor, ==, 100000);
  g_assert_cmpstr (line->title, ==, "Zapłata FV/2026/01/0001");
  g_assert_cmpstr (line->payer_name, ==, "Łukasz Żółkiewski");
  g_assert_cmpstr (line->payer_account, ==, "PL61109010140000071219812874");
  g_assert_cmpstr (line->payer_tax_id, ==, "5260250274");
  g_assert_cmpstr (line->reference, ==, "CSV-1");
  g_assert_cmpstr (line_at (statement, 1)->payer_name, ==, "Anna Nowak");
}

static void
test_csv_amount_letters (void)
{
  g_autoptr(GString) s = g_string_new (sample_payments_csv);
  g_autoptr(DdPaymentStatement) statement = NULL;
  g_autoptr(GError) error = NULL;

  g_string_replace (s, "200,00", "2OO,00", 0);
  statement = dd_payment_csv_parse ((const guint8 *) s->str, s->len, NULL, "PLN", NULL, &error);
  g_assert_null (statement);
  g_assert_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_AMOUNT);
  g_assert_cmpstr (error->message, ==, "Line 4: the amount “2OO,00” is not a number.");
}

/* A payments list saved as Excel's "Unicode Text": UTF-16LE with a byte order mark, tabs,
 * CRLF; the same in big-endian without the mark; cut off inside a character. */
static GBytes *
unicode_text (const char *text,
              gboolean    big_endian,
              gboolean    with_bom,
              gsize       cut)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *converted = g_convert (text, -1, big_endian ? "UTF-16BE" : "UTF-16LE",
                                          "UTF-8", NULL, &len, &error);

  g_assert_no_error (error);
  if (with_bom)
    g_byte_array_append (bytes, (const guint8 *) (big_endian ? "\376\377" : "\377\376"), 2);
  g_byte_array_append (bytes, (const guint8 *) converted, (guint) (len - cut));
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

static void
test_csv_utf16 (void)
{
  g_autoptr(GString) text = g_string_new (sample_payments_csv);

  g_string_replace (text, ";", "\t", 0);
  g_string_append (text, "22.11.2026\t\"1 500,00\"\tRUB\t\"Оплата по счёту \"\"СЧ-123/45\"\"\"\t"
                         "Иван Петров\t40817810500000000777\t7707083893\tCSV-4\r\n");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GBytes) bytes = unicode_text (text->str, i == 1, i == 0, 0);
      g_autoptr(DdPaymentStatement) statement = NULL;
      g_autoptr(GError) error = NULL;
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);
      DdPaymentLine *line;

      g_assert_cmpint (dd_payment_format_guess (data, len), ==, DD_PAYMENT_FORMAT_CSV);
      statement = dd_payment_csv_parse (data, len, NULL, "PLN", NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (statement->encoding, ==, i == 1 ? "UTF-16BE" : "UTF-16LE");
      g_assert_cmpuint (statement->lines->len, ==, 3);
      g_assert_cmpuint (statement->n_debits, ==, 1);
      line = line_at (statement, 0);
      g_assert_cmpuint (line->line_no, ==, 2);
      g_assert_cmpint (line->amount_minor, ==, 100000);
      g_assert_cmpstr (line->title, ==, "Zapłata FV/2026/01/0001");
      g_assert_cmpstr (line->payer_name, ==, "Łukasz Żółkiewski");
      line = line_at (statement, 2);
      g_assert_cmpuint (line->line_no, ==, 5);
      g_assert_cmpint (line->amount_minor, ==, 150000);
      g_assert_cmpstr (line->currency, ==, "RUB");
      g_assert_cmpstr (line->title, ==, "Оплата по счёту \"СЧ-123/45\"");
      g_assert_cmpstr (line->payer_name, ==, "Иван Петров");
    }

  /* cut off inside the last line's CR: the line named, no statement */
  {
    g_autoptr(GBytes) bytes = unicode_text (text->str, FALSE, TRUE, 3);
    g_autoptr(DdPaymentStatement) statement = NULL;
    g_autoptr(GError) error = NULL;
    gsize len;
    const guint8 *data = g_bytes_get_data (bytes, &len);

    statement = dd_payment_csv_parse (data, len, NULL, "PLN", NULL, &error);
    g_assert_null (statement);
    g_assert_error (error, DD_CSV_ERROR, DD_CSV_ERROR_INVALID_TEXT);
    g_assert_true (g_str_has_prefix (error->message, "Line 5: "));
  }
}

/* Non-SWIFT ":NS:" fields (Polish banks' extensions) after :86: are their own fields: they
 * do not run into the payer's name or the title. */
static void
test_mt940_ns_fields (void)
{
  static const char text[] =
    ":20:P261120000000001\r\n"
    ":25:/PL26105014451000002276470461\r\n"
    ":28C:00001\r\n"
    ":60F:C261119PLN000000012345,67\r\n"
    ":61:2611201120C000000000200,00S03400123456789//1234\r\n"
    ":86:034^00VE02^20Rata^27ANNA NOWAK\r\n"
    ":NS:22ANNA NOWAK UL. KWIATOWA 1\r\n"
    ":NS:33Przelew\r\n"
    ":61:2611201120C000000000010,00S03400123456789//1235\r\n"
    ":86:Wplata bez struktury\r\n"
    ":NS:19PL26105014451000002276470461\r\n"
    ":62F:C261120PLN000000012555,67";
  g_autoptr(DdPaymentStatement) statement = NULL;
  g_autoptr(GError) error = NULL;

  statement = dd_mt940_parse ((const guint8 *) text, strlen (text), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (statement->lines->len, ==, 2);
  g_assert_cmpstr (line_at (statement, 0)->title, ==, "Rata");
  g_assert_cmpstr (line_at (statement, 0)->payer_name, ==, "ANNA NOWAK");
  g_assert_cmpstr (line_at (statement, 1)->title, ==, "Wplata bez struktury");
}

/* A bank's CSV export written as the bank writes it (@text in UTF-8, converted to @encoding),
 * parsed with the office's @currency: it reads, with @n_lines payments and @n_debits outgoing
 * rows. */
static DdPaymentStatement *
parse_bank_csv (const char *text,
                const char *encoding,
                const char *currency,
                guint       n_lines,
                guint       n_debits)
{
  g_autofree char *converted = g_convert (text, -1, encoding, "UTF-8", NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  DdPaymentStatement *statement;

  g_assert_nonnull (converted);
  statement = dd_payment_csv_parse ((const guint8 *) converted, strlen (converted), NULL,
                                    currency, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (statement);
  g_assert_cmpuint (statement->lines->len, ==, n_lines);
  g_assert_cmpuint (statement->n_debits, ==, n_debits);
  return statement;
}

/* Bank CSV exports with the money in two columns (credits and debits): the credit column is
 * the amount, a row with only a debit is outgoing, never a payment. */
static void
check_csv_split (const char *text,
                 const char *encoding,
                 gint64      expected_amount,
                 const char *expected_title)
{
  g_autoptr(DdPaymentStatement) statement = parse_bank_csv (text, encoding, "PLN", 1, 2);

  g_assert_cmpint (line_at (statement, 0)->amount_minor, ==, expected_amount);
  g_assert_cmpstr (line_at (statement, 0)->title, ==, expected_title);
}

static void
test_csv_credit_debit_columns (void)
{
  const char *header_uz[] = { "Data operacji", "Kontrahent", "Tytuł", "Obciążenia", "Uznania",
                              "Saldo" };
  const char *header_ru[] = { "Дата проводки", "Счет Дебет", "Счет Кредит", "Сумма по дебету",
                              "Сумма по кредиту", "Назначение платежа" };
  DdPaymentCsvMap map;

  g_assert_true (dd_payment_csv_map_guess (header_uz, G_N_ELEMENTS (header_uz), &map));
  g_assert_cmpint (map.columns[DD_PAYMENT_FIELD_AMOUNT], ==, 4);
  g_assert_true (dd_payment_csv_map_guess (header_ru, G_N_ELEMENTS (header_ru), &map));
  g_assert_cmpint (map.columns[DD_PAYMENT_FIELD_AMOUNT], ==, 4);
  g_assert_cmpint (map.columns[DD_PAYMENT_FIELD_PAYER_ACCOUNT], ==, 1);

  check_csv_split ("Data operacji;Data waluty;Kontrahent;Tytuł;Obciążenia;Uznania;Saldo\r\n"
                   "20.11.2026;20.11.2026;Dostawca Prądu;Czynsz;-1 200,00;;10 000,00\r\n"
                   "21.11.2026;21.11.2026;Anna Nowak;Rata E-77-2026;;200,00;10 200,00\r\n"
                   "22.11.2026;22.11.2026;Bank;Opłata;-5,00;;10 195,00\r\n",
                   "WINDOWS-1250", 20000, "Rata E-77-2026");
  check_csv_split ("Дата проводки;Счет Дебет;Счет Кредит;Сумма по дебету;Сумма по кредиту;"
                   "№ документа;Назначение платежа\r\n"
                   "20.11.2026;40702810938000012345;40702810100000000001;500,00;;77;"
                   "Оплата поставщику\r\n"
                   "21.11.2026;40817810099910004312;40702810938000012345;;9000,00;15;"
                   "Оплата по счету СЧ-123/45\r\n"
                   "21.11.2026;40702810938000012345;40702810100000000002;10,00;;78;"
                   "Комиссия\r\n",
                   "WINDOWS-1251", 900000, "Оплата по счету СЧ-123/45");
  check_csv_split ("Date,Description,Paid out,Paid in,Balance\r\n"
                   "2026-11-20,Rent,1200.00,,10000.00\r\n"
                   "2026-11-21,Anna Nowak E-77-2026,,200.00,10200.00\r\n"
                   "2026-11-22,Card,3.50,,10196.50\r\n",
                   "UTF-8", 20000, "Anna Nowak E-77-2026");
  check_csv_split ("Date,Description,Debit,Credit,Balance\r\n"
                   "2026-11-20,Rent,1200.00,,10000.00\r\n"
                   "2026-11-21,Anna Nowak E-77-2026,,200.00,10200.00\r\n"
                   "2026-11-22,Card,3.50,,10196.50\r\n",
                   "UTF-8", 20000, "Anna Nowak E-77-2026");
}

/* mBank's CSV: the bank's address, the period and the totals before the table; "#Rachunek" is
 * the name of the office's own account, not the payer's account number. */
static void
test_csv_preamble (void)
{
  static const char text[] =
    "mBank S.A. Bankowość Detaliczna;\n"
    "Skrytka Pocztowa 2108;\n"
    "90-959 Łódź 2;\n"
    "\n"
    "#Za okres:;\n"
    "01.11.2026;30.11.2026;\n"
    "\n"
    "#Waluta;#Wpływy;#Wydatki;\n"
    "PLN;700,00;-50,00;\n"
    "\n"
    "#Data operacji;#Opis operacji;#Rachunek;#Kategoria;#Kwota;\n"
    "2026-11-20;\"ANNA NOWAK RATA E-77-2026\";\"eKonto 1234 ... 5678\";\"Wpływy - inne\";"
    "200,00 PLN;\n"
    "2026-11-21;\"ZAKUP PRZY UŻYCIU KARTY\";\"eKonto 1234 ... 5678\";\"Jedzenie\";-50,00 PLN;\n"
    "2026-11-22;\"ŁUKASZ ŻÓŁKIEWSKI FV/2026/03/0007\";\"eKonto 1234 ... 5678\";"
    "\"Wpływy - inne\";500,00 PLN;\n";
  g_autoptr(DdPaymentStatement) statement = parse_bank_csv (text, "WINDOWS-1250", "PLN", 2, 1);

  g_assert_cmpuint (line_at (statement, 0)->line_no, ==, 12);
  g_assert_cmpint (line_at (statement, 0)->amount_minor, ==, 20000);
  g_assert_cmpstr (line_at (statement, 0)->title, ==, "ANNA NOWAK RATA E-77-2026");
  g_assert_null (line_at (statement, 0)->payer_account);
  g_assert_cmpint (line_at (statement, 1)->amount_minor, ==, 50000);
}

/* A person paying through a bank: the payer is "ФИО//address//" (the Bank of Russia's rule
 * for individuals), the bank's transit account; in CP866 as "Кодировка=DOS" says; the
 * office's own payment out is not a payment to us. */
static void
test_1c_person_dos (void)
{
  static const char text[] =
    "1CClientBankExchange\r\n"
    "ВерсияФормата=1.03\r\n"
    "Кодировка=DOS\r\n"
    "Отправитель=Сбербанк Бизнес Онлайн\r\n"
    "ДатаНачала=20.11.2026\r\n"
    "ДатаКонца=21.11.2026\r\n"
    "РасчСчет=40702810938000012345\r\n"
    "СекцияРасчСчет\r\n"
    "ДатаНачала=20.11.2026\r\n"
    "РасчСчет=40702810938000012345\r\n"
    "НачальныйОстаток=1000.00\r\n"
    "КонецРасчСчет\r\n"
    "СекцияДокумент=Платежное поручение\r\n"
    "Номер=77\r\n"
    "Дата=20.11.2026\r\n"
    "Сумма=500.00\r\n"
    "ПлательщикСчет=40702810938000012345\r\n"
    "ДатаСписано=20.11.2026\r\n"
    "Плательщик=ИНН 7701234567 ООО \"Наша Фирма\"\r\n"
    "ПолучательСчет=40702810100000000001\r\n"
    "НазначениеПлатежа=Оплата по счету 15\r\n"
    "КонецДокумента\r\n"
    "СекцияДокумент=Банковский ордер\r\n"
    "Номер=3310\r\n"
    "Дата=21.11.2026\r\n"
    "Сумма=9000.00\r\n"
    "ПлательщикСчет=30232810838000000001\r\n"
    "Плательщик=ПЕТРОВ ИВАН ИВАНОВИЧ//Г. МОСКВА, УЛ. ЛЕНИНА, Д. 1, КВ. 2//\r\n"
    "Плательщик1=ПЕТРОВ ИВАН ИВАНОВИЧ//Г. МОСКВА, УЛ. ЛЕНИНА, Д. 1, КВ. 2//\r\n"
    "ПлательщикИНН=\r\n"
    "ПолучательСчет=40702810938000012345\r\n"
    "ДатаПоступило=21.11.2026\r\n"
    "НазначениеПлатежа=Оплата долга по договору 45\r\n"
    "КонецДокумента\r\n"
    "КонецФайла\r\n";
  g_autofree char *converted = g_convert (text, -1, "CP866", "UTF-8", NULL, NULL, NULL);
  g_autoptr(DdPaymentStatement) statement = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (converted);
  statement = dd_payment_statement_parse ((const guint8 *) converted, strlen (converted),
                                          DD_PAYMENT_FORMAT_AUTO, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (statement->encoding, ==, "CP866");
  g_assert_cmpuint (statement->lines->len, ==, 1);
  g_assert_cmpuint (statement->n_debits, ==, 1);
  g_assert_cmpstr (line_at (statement, 0)->payer_name, ==, "ПЕТРОВ ИВАН ИВАНОВИЧ");
  g_assert_cmpstr (line_at (statement, 0)->value_date, ==, "2026-11-21");
  g_assert_cmpint (line_at (statement, 0)->amount_minor, ==, 900000);
  g_assert_null (line_at (statement, 0)->payer_tax_id);

  /* chosen by the name the file uses, "DOS" */
  {
    g_autoptr(DdPaymentStatement) again = NULL;

    again = dd_1c_exchange_parse ((const guint8 *) converted, strlen (converted), "DOS",
                                  &error);
    g_assert_no_error (error);
    g_assert_cmpstr (again->encoding, ==, "CP866");
    g_assert_cmpuint (again->lines->len, ==, 1);
  }
}

/* ING's CSV: a preamble, account numbers in apostrophes, notes and the closing balance under
 * the table. */
static void
test_csv_ing (void)
{
  static const char text[] =
    "\"Lista transakcji\"\r\n"
    "\r\n"
    "\"Wygenerowany dnia:\";\"22.11.2026, 10:15\"\r\n"
    "\"Wybrany rachunek:\"\r\n"
    "\"Konto Direct\";\"PL12105014451000002276470461\"\r\n"
    "\r\n"
    "\"Data transakcji\";\"Data księgowania\";\"Dane kontrahenta\";\"Tytuł\";\"Nr rachunku\";"
    "\"Nazwa banku\";\"Szczegóły\";\"Nr transakcji\";\"Kwota transakcji (waluta rachunku)\";"
    "\"Waluta\";\"Saldo po transakcji\";\"Waluta\";;\r\n"
    "2026-11-21;2026-11-21;\"ANNA NOWAK\";\"RATA E-77-2026\";"
    "\"'PL61109010140000071219812874'\";\"Santander\";\"PRZELEW\";\"'202632500012345'\";"
    "200,00;PLN;10 200,00;PLN;;\r\n"
    "2026-11-20;2026-11-20;\"ZUS\";\"SKLADKA\";\"'PL83101010230000261395100000'\";\"NBP\";"
    "\"PRZELEW\";\"'202632400011111'\";-800,00;PLN;10 000,00;PLN;;\r\n"
    "\r\n"
    "\"Dokument ma charakter informacyjny, nie stanowi dowodu księgowego\"\r\n"
    "\"Saldo końcowe\";;;;;;;;10 200,00;PLN\r\n";
  g_autoptr(DdPaymentStatement) statement = parse_bank_csv (text, "WINDOWS-1250", "PLN", 1, 1);

  g_assert_cmpint (line_at (statement, 0)->amount_minor, ==, 20000);
  g_assert_cmpstr (line_at (statement, 0)->payer_name, ==, "ANNA NOWAK");
  g_assert_cmpstr (line_at (statement, 0)->title, ==, "RATA E-77-2026");

  /* but a row cut short (the file ends in it) is no note: refused, naming its line */
  {
    g_autofree char *converted = g_convert (text, -1, "WINDOWS-1250", "UTF-8", NULL, NULL, NULL);
    g_autofree char *cut = g_strndup (converted, strstr (converted, "200,00;PLN") - converted);
    g_autoptr(DdPaymentStatement) none = NULL;
    g_autoptr(GError) cut_error = NULL;

    none = dd_payment_csv_parse ((const guint8 *) cut, strlen (cut), NULL, "PLN", NULL,
                                 &cut_error);
    g_assert_null (none);
    g_assert_error (cut_error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_AMOUNT);
    g_assert_true (g_str_has_prefix (cut_error->message, "Line 8: "));
  }

  {
    g_autofree char *account = _dd_payment_normalize_account ("'PL61 1090 1014 0000'");

    g_assert_cmpstr (account, ==, "PL61109010140000");
  }
}

/* A bank that writes the amount with a dot ("200.00") instead of SWIFT's comma; entries of
 * 0,00 (a waived fee) are neither payments nor refused */
static void
test_mt940_dot_amount (void)
{
  static const char text[] =
    ":20:X\r\n"
    ":25:/PL61102010260000042270201111\r\n"
    ":60F:C261119PLN1.00\r\n"
    ":61:2611201120C200.00NTRFNONREF//R1\r\n"
    ":86:~20E-77-2026~32ANNA NOWAK\r\n"
    ":61:2611201120C1.5NTRFNONREF//R2\r\n"
    ":61:2611201120D0,00NMSCNONREF//R3\r\n"
    ":86:~20Opłata za przelew 0,00\r\n"
    ":61:2611201120C0,00NMSCNONREF//R4\r\n"
    ":62F:C261120PLN202.50\r\n";
  g_autoptr(DdPaymentStatement) statement = NULL;
  g_autoptr(GError) error = NULL;

  statement = dd_mt940_parse ((const guint8 *) text, strlen (text), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (statement->lines->len, ==, 2);
  g_assert_cmpint (line_at (statement, 0)->amount_minor, ==, 20000);
  g_assert_cmpint (line_at (statement, 1)->amount_minor, ==, 150);
  g_assert_cmpuint (statement->n_debits, ==, 0);
}

/* Two accounts of the office in one 1C file: money moved from one to the other is not a
 * payment to the office. */
static void
test_1c_own_transfer (void)
{
  static const char text[] =
    "1CClientBankExchange\r\n"
    "ВерсияФормата=1.03\r\n"
    "Кодировка=Windows\r\n"
    "РасчСчет=40702810938000012345\r\n"
    "РасчСчет=40702810938000067890\r\n"
    "СекцияДокумент=Платежное поручение\r\n"
    "Номер=80\r\n"
    "Дата=21.11.2026\r\n"
    "Сумма=100000.00\r\n"
    "ПлательщикСчет=40702810938000012345\r\n"
    "ДатаСписано=21.11.2026\r\n"
    "ПолучательСчет=40702810938000067890\r\n"
    "ДатаПоступило=21.11.2026\r\n"
    "НазначениеПлатежа=Перевод собственных средств\r\n"
    "КонецДокумента\r\n"
    "СекцияДокумент=Банковский ордер\r\n"
    "Номер=81\r\n"
    "Дата=21.11.2026\r\n"
    "Сумма=0.00\r\n"
    "ПлательщикСчет=40702810938000067890\r\n"
    "ПолучательСчет=70601810938000000001\r\n"
    "НазначениеПлатежа=Комиссия за ноябрь (отменена)\r\n"
    "КонецДокумента\r\n"
    "СекцияДокумент=Платежное поручение\r\n"
    "Номер=16\r\n"
    "Дата=21.11.2026\r\n"
    "Сумма=4500.00\r\n"
    "ПлательщикСчет=40817810099910004312\r\n"
    "ПлательщикИНН=7707083893\r\n"
    "Плательщик=Иван Петров\r\n"
    "ПолучательСчет=40702810938000067890\r\n"
    "ДатаПоступило=21.11.2026\r\n"
    "НазначениеПлатежа=Оплата по счету СЧ-123/45\r\n"
    "КонецДокумента\r\n"
    "КонецФайла";
  g_autofree char *converted = g_convert (text, -1, "WINDOWS-1251", "UTF-8", NULL, NULL, NULL);
  g_autoptr(DdPaymentStatement) statement = NULL;
  g_autoptr(GError) error = NULL;

  statement = dd_1c_exchange_parse ((const guint8 *) converted, strlen (converted), NULL,
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (statement->lines->len, ==, 1);
  g_assert_cmpuint (statement->n_debits, ==, 1);
  g_assert_cmpint (line_at (statement, 0)->amount_minor, ==, 450000);
}

/* PKO BP's CSV: the description spread over "Opis transakcji" and unnamed columns after it,
 * each piece labelled; the title, the payer's name and account are read from the labels. */
static void
test_csv_pko (void)
{
  static const char text[] =
    "\"Data operacji\",\"Data waluty\",\"Typ transakcji\",\"Kwota\",\"Waluta\","
    "\"Saldo po transakcji\",\"Opis transakcji\",\"\",\"\",\"\",\"\"\r\n"
    "\"2026-11-21\",\"2026-11-21\",\"Przelew na konto\",\"+200.00\",\"PLN\",\"+10200.00\","
    "\"Rachunek nadawcy: 61 1090 1014 0000 0712 1981 2874\",\"Nazwa nadawcy: ANNA NOWAK\","
    "\"Adres nadawcy: UL. KWIATOWA 1 WARSZAWA\",\"Tytuł: RATA E-77-2026\",\"\"\r\n"
    "\"2026-11-20\",\"2026-11-20\",\"Płatność kartą\",\"-50.00\",\"PLN\",\"+10000.00\","
    "\"Tytuł: 000498849 74230786324000000123456\",\"Lokalizacja: Adres: BIEDRONKA\","
    "\"\",\"\",\"\"\r\n";
  g_autoptr(DdPaymentStatement) statement = parse_bank_csv (text, "WINDOWS-1250", "PLN", 1, 1);
  DdPaymentLine *line;

  line = line_at (statement, 0);
  g_assert_cmpint (line->amount_minor, ==, 20000);
  g_assert_cmpstr (line->title, ==, "RATA E-77-2026");
  g_assert_cmpstr (line->payer_name, ==, "ANNA NOWAK");
  g_assert_cmpstr (line->payer_account, ==, "61109010140000071219812874");
}

/* A Russian business bank's CSV: one unsigned "Сумма" and a column that says which way the
 * money went; "ИНН плательщика" before "Наименование плательщика" is the tax ID, not the name. */
static void
test_csv_direction_column (void)
{
  static const char text[] =
    "Дата операции;Номер документа;Сумма;Валюта;ИНН плательщика;Наименование плательщика;"
    "Счет плательщика;Назначение платежа;Тип операции\r\n"
    "21.11.2026;16;4500,00;RUB;7707083893;Иван Петров;40817810099910004312;"
    "Оплата по счету СЧ-123/45;Кредит\r\n"
    "21.11.2026;80;500,00;RUB;7701234567;ООО Наша Фирма;40702810938000012345;"
    "Аренда за ноябрь;Дебет\r\n"
    "22.11.2026;81;20,00;RUB;7701234567;ООО Наша Фирма;40702810938000012345;"
    "Комиссия банка;Списание\r\n";
  g_autoptr(DdPaymentStatement) statement = parse_bank_csv (text, "WINDOWS-1251", "RUB", 1, 2);
  DdPaymentLine *line;

  line = line_at (statement, 0);
  g_assert_cmpint (line->amount_minor, ==, 450000);
  g_assert_cmpstr (line->payer_name, ==, "Иван Петров");
  g_assert_cmpstr (line->payer_tax_id, ==, "7707083893");
  g_assert_cmpstr (line->payer_account, ==, "40817810099910004312");
  g_assert_cmpstr (line->title, ==, "Оплата по счету СЧ-123/45");
}

static void
test_amounts (void)
{
  gint64 minor = 0;

  g_assert_true (_dd_payment_parse_amount ("1234,56", ',', &minor));
  g_assert_cmpint (minor, ==, 123456);
  g_assert_true (_dd_payment_parse_amount ("000000001000,", ',', &minor));
  g_assert_cmpint (minor, ==, 100000);
  g_assert_true (_dd_payment_parse_amount ("1200", '\0', &minor));
  g_assert_cmpint (minor, ==, 120000);
  g_assert_true (_dd_payment_parse_amount ("4500.5", '\0', &minor));
  g_assert_cmpint (minor, ==, 450050);
  g_assert_false (_dd_payment_parse_amount ("12O0", '\0', &minor));
  g_assert_false (_dd_payment_parse_amount ("1,234", ',', &minor));
  g_assert_false (_dd_payment_parse_amount ("1.5", ',', &minor));
  g_assert_false (_dd_payment_parse_amount ("", ',', &minor));
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/payments/amounts", test_amounts);
  g_test_add_func ("/dd/payments/mt940/utf8", test_mt940_utf8);
  g_test_add_func ("/dd/payments/mt940/cp1250", test_mt940_cp1250);
  g_test_add_func ("/dd/payments/mt940/cp1251", test_mt940_cp1251);
  g_test_add_func ("/dd/payments/mt940/angle-marker", test_mt940_angle_marker);
  g_test_add_func ("/dd/payments/mt940/truncated", test_mt940_truncated);
  g_test_add_func ("/dd/payments/mt940/truncated-entry", test_mt940_truncated_entry);
  g_test_add_func ("/dd/payments/mt940/amount-letters", test_mt940_amount_letters);
  g_test_add_func ("/dd/payments/mt940/wrong-encoding", test_mt940_wrong_encoding);
  g_test_add_func ("/dd/payments/mt940/utf16", test_mt940_utf16);
  g_test_add_func ("/dd/payments/1c/cp1251", test_1c_cp1251);
  g_test_add_func ("/dd/payments/1c/utf8", test_1c_utf8);
  g_test_add_func ("/dd/payments/1c/errors", test_1c_errors);
  g_test_add_func ("/dd/payments/csv/mapped", test_csv);
  g_test_add_func ("/dd/payments/csv/amount-letters", test_csv_amount_letters);
  g_test_add_func ("/dd/payments/csv/utf16", test_csv_utf16);
  g_test_add_func ("/dd/payments/mt940/ns-fields", test_mt940_ns_fields);
  g_test_add_func ("/dd/payments/csv/credit-debit-columns", test_csv_credit_debit_columns);
  g_test_add_func ("/dd/payments/csv/preamble", test_csv_preamble);
  g_test_add_func ("/dd/payments/mt940/envelopes", test_mt940_envelopes);
  g_test_add_func ("/dd/payments/mt940/question-marker", test_mt940_question_marker);
  g_test_add_func ("/dd/payments/1c/person-dos", test_1c_person_dos);
  g_test_add_func ("/dd/payments/csv/ing", test_csv_ing);
  g_test_add_func ("/dd/payments/mt940/dot-amount", test_mt940_dot_amount);
  g_test_add_func ("/dd/payments/1c/own-transfer", test_1c_own_transfer);
  g_test_add_func ("/dd/payments/csv/pko", test_csv_pko);
  g_test_add_func ("/dd/payments/csv/direction-column", test_csv_direction_column);
  g_test_add_func ("/dd/payments/mt940/intermediate", test_mt940_intermediate);

  return g_test_run ();
}
