/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-csv"

#include "config.h"

#include "dd-csv-sniffer.h"

#include "dd-csv-reader.h"

#include <gio/gio.h>
#include <string.h>

/* Realistic exports of overdue invoices. */
static const char polish_csv[] =
  "Lp;Kontrahent;NIP;Adres;Telefon;Nr faktury;Kwota;Termin płatności\n"
  "1;Wąsowski Józef;5250001234;ul. Źródlana 12, 90-001 Łódź;+48 600 100 200;FV/2024/01/0001;"
  "1 250,00;2024-01-31\n"
  "2;\"Piekarnia \"\"Złoty Kłos\"\" s.c.\";7251234567;ul. Żeromskiego 5/3, 26-600 Radom;"
  "48 601 222 333;FV/2024/01/0002;349,99;2024-02-07\n"
  "3;Ślusarczyk Agnieszka;;os. Kościuszki 7, 31-858 Kraków;512 345 678;FV/2024/01/0003;"
  "89,00;2024-02-14\n"
  "4;Zakład Ogólnobudowlany Jaźwiński;6762468101;ul. Świętokrzyska 30, 00-116 Warszawa;"
  "22 555 01 02;FV/2024/01/0004;12 400,00;2024-02-29\n"
  "5;Gęsicka-Żądło Małgorzata;;ul. Ściegiennego 1, 25-033 Kielce;+48 41 344 55 66;"
  "FV/2024/02/0005;560,10;2024-03-10\n"
  "6;Przedsiębiorstwo Handlowo-Usługowe Ąbecki;9452187623;ul. Łąkowa 3, 87-100 Toruń;"
  "56 622 11 00;FV/2024/02/0006;1 999,99;2024-03-15\n";

static const char russian_csv[] =
  "№;Контрагент;ИНН;Адрес;Телефон;Номер счёта;Сумма;Срок оплаты\r\n"
  "1;ООО «Ромашка»;7701234567;г. Москва, ул. Тверская, д. 7;+7 495 123-45-67;СЧ-2024-0001;"
  "15 000,00;31.01.2024\r\n"
  "2;ИП Иванов Пётр Сергеевич;500100732259;г. Подольск, ул. Ленина, д. 1, кв. 5;"
  "+7 916 000-00-01;СЧ-2024-0002;2 340,50;15.02.2024\r\n"
  "3;АО «Северный ветер»;7812014560;г. Санкт-Петербург, Невский пр., д. 28;+7 812 600-70-80;"
  "СЧ-2024-0003;120 000,00;29.02.2024\r\n"
  "4;Ёлкина Семёна Юрьевна;;г. Екатеринбург, ул. Малышева, д. 36;+7 343 222-33-44;"
  "СЧ-2024-0004;780,00;10.03.2024\r\n";

static GBytes *
encode (const char *utf8,
        const char *charset)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  char *encoded;

  if (charset == NULL)
    return g_bytes_new (utf8, strlen (utf8));

  encoded = g_convert (utf8, -1, charset, "UTF-8", NULL, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (encoded, len);
}

static void
sniff_encoded (const char   *utf8,
               const char   *charset,
               DdCsvDialect *dialect)
{
  g_autoptr(GBytes) bytes = encode (utf8, charset);
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  memset (dialect, 0xAA, sizeof *dialect);
  g_assert_true (dd_csv_sniff (data, len, dialect, &error));
  g_assert_no_error (error);
}

static DdCsvEncoding
sniff_encoding (const char *utf8,
                const char *charset)
{
  DdCsvDialect dialect;

  sniff_encoded (utf8, charset, &dialect);
  return dialect.encoding;
}

static void
assert_dialect (const DdCsvDialect *dialect,
                DdCsvEncoding       encoding,
                gboolean            has_bom,
                char                delimiter,
                gboolean            has_header,
                guint               n_columns)
{
  g_assert_cmpstr (dd_csv_encoding_to_string (dialect->encoding), ==,
                   dd_csv_encoding_to_string (encoding));
  g_assert_cmpint (dialect->has_bom, ==, has_bom);
  g_assert_cmpint (dialect->delimiter, ==, delimiter);
  g_assert_cmpint (dialect->has_header, ==, has_header);
  g_assert_cmpuint (dialect->n_columns, ==, n_columns);
}

static void
assert_sniff_error (const void *data,
                    gsize       len,
                    int         code)
{
  DdCsvDialect dialect;
  g_autoptr(GError) error = NULL;

  g_assert_false (dd_csv_sniff (data, len, &dialect, &error));
  g_assert_error (error, DD_CSV_ERROR, code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpstr (error->message, !=, "");
}

/* Reads all of @data with @dialect and returns the text, fields joined with '|'. */
static char *
read_with_dialect (GBytes             *data,
                   const DdCsvDialect *dialect)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (data);
  g_autoptr(DdCsvReader) reader = dd_csv_reader_new (stream, dialect->encoding,
                                                     dialect->delimiter);
  g_autoptr(GError) error = NULL;
  GString *text = g_string_new (NULL);

  while (dd_csv_reader_next (reader, NULL, &error))
    {
      g_assert_cmpuint (dd_csv_reader_get_record_flags (reader), ==, DD_CSV_RECORD_OK);
      for (guint i = 0; i < dd_csv_reader_get_n_fields (reader); i++)
        {
          if (i > 0)
            g_string_append_c (text, '|');
          g_string_append (text, dd_csv_reader_get_field (reader, i));
        }
      g_string_append_c (text, '\n');
    }
  g_assert_no_error (error);

  return g_string_free (text, FALSE);
}

static void
test_encoding_names (void)
{
  static const struct {
    const char    *name;
    DdCsvEncoding  encoding;
  } names[] = {
    { "UTF-8", DD_CSV_ENCODING_UTF8 },
    { "utf8", DD_CSV_ENCODING_UTF8 },
    { "Utf_8", DD_CSV_ENCODING_UTF8 },
    { "windows-1250", DD_CSV_ENCODING_WINDOWS_1250 },
    { "CP1250", DD_CSV_ENCODING_WINDOWS_1250 },
    { "win1250", DD_CSV_ENCODING_WINDOWS_1250 },
    { "Windows 1250", DD_CSV_ENCODING_WINDOWS_1250 },
    { "x-cp1250", DD_CSV_ENCODING_WINDOWS_1250 },
    { "windows-1251", DD_CSV_ENCODING_WINDOWS_1251 },
    { "cp1251", DD_CSV_ENCODING_WINDOWS_1251 },
    { "WIN1251", DD_CSV_ENCODING_WINDOWS_1251 },
    { "ISO-8859-2", DD_CSV_ENCODING_ISO_8859_2 },
    { "iso8859-2", DD_CSV_ENCODING_ISO_8859_2 },
    { "ISO_8859-2", DD_CSV_ENCODING_ISO_8859_2 },
    { "latin2", DD_CSV_ENCODING_ISO_8859_2 },
    { "Latin-2", DD_CSV_ENCODING_ISO_8859_2 },
    { "l2", DD_CSV_ENCODING_ISO_8859_2 },
  };
  static const char * const unknown[] = {
    "", "utf", "utf-32", "koi8-r", "cp1252", "iso-8859-1", "latin1", "windows-12501",
    "a-very-long-name-that-is-not-an-encoding-at-all",
  };
  static const DdCsvEncoding all[] = {
    DD_CSV_ENCODING_UTF8, DD_CSV_ENCODING_WINDOWS_1250, DD_CSV_ENCODING_WINDOWS_1251,
    DD_CSV_ENCODING_ISO_8859_2, DD_CSV_ENCODING_UTF16LE, DD_CSV_ENCODING_UTF16BE,
  };
  DdCsvEncoding encoding;

  g_assert_cmpstr (dd_csv_encoding_to_string (DD_CSV_ENCODING_UTF8), ==, "UTF-8");
  g_assert_cmpstr (dd_csv_encoding_to_string (DD_CSV_ENCODING_WINDOWS_1250), ==, "windows-1250");
  g_assert_cmpstr (dd_csv_encoding_to_string (DD_CSV_ENCODING_WINDOWS_1251), ==, "windows-1251");
  g_assert_cmpstr (dd_csv_encoding_to_string (DD_CSV_ENCODING_ISO_8859_2), ==, "ISO-8859-2");

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      encoding = 99;
      g_assert_true (dd_csv_encoding_from_string (names[i].name, &encoding));
      g_assert_cmpint (encoding, ==, names[i].encoding);
    }

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      encoding = 99;
      g_assert_false (dd_csv_encoding_from_string (unknown[i], &encoding));
      g_assert_cmpint (encoding, ==, 99);
    }
  g_assert_false (dd_csv_encoding_from_string (NULL, &encoding));

  /* The names are understood by iconv and by us. */
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      const char *name = dd_csv_encoding_to_string (all[i]);
      gsize len = 0;
      g_autofree char *converted = g_convert ("a", -1, name, "UTF-8", NULL, &len, NULL);
      g_autofree char *back = g_convert (converted, (gssize) len, "UTF-8", name, NULL, NULL,
                                         NULL);

      g_assert_cmpstr (back, ==, "a");
      g_assert_true (dd_csv_encoding_from_string (name, &encoding));
      g_assert_cmpint (encoding, ==, all[i]);
    }
}

static void
test_to_unichar (void)
{
  /* The letters that tell the Polish encodings apart, and some Cyrillic. */
  g_assert_cmpuint (dd_csv_encoding_to_unichar (DD_CSV_ENCODING_WINDOWS_1250, 0xB9), ==, 0x0105);
  g_assert_cmpuint (dd_csv_encoding_to_unichar (DD_CSV_ENCODING_ISO_8859_2, 0xB1), ==, 0x0105);
  g_assert_cmpuint (dd_csv_encoding_to_unichar (DD_CSV_ENCODING_WINDOWS_1250, 0x8C), ==, 0x015A);
  g_assert_cmpuint (dd_csv_encoding_to_unichar (DD_CSV_ENCODING_ISO_8859_2, 0xA6), ==, 0x015A);
  g_assert_cmpuint (dd_csv_encoding_to_unichar (DD_CSV_ENCODING_WINDOWS_1250, 0x9F), ==, 0x017A);
  g_assert_cmpuint (dd_csv_encoding_to_unichar (DD_CSV_ENCODING_ISO_8859_2, 0xBC), ==, 0x017A);
  g_assert_cmpuint (dd_csv_encoding_to_unichar (DD_CSV_ENCODING_WINDOWS_1251, 0xC0), ==, 0x0410);
  g_assert_cmpuint (dd_csv_encoding_to_unichar (DD_CSV_ENCODING_WINDOWS_1251, 0xFF), ==, 0x044F);
  g_assert_cmpuint (dd_csv_encoding_to_unichar (DD_CSV_ENCODING_WINDOWS_1251, 0xA8), ==, 0x0401);
  g_assert_cmpuint (dd_csv_encoding_to_unichar (DD_CSV_ENCODING_WINDOWS_1251, 0xB8), ==, 0x0451);
  g_assert_cmpuint (dd_csv_encoding_to_unichar (DD_CSV_ENCODING_WINDOWS_1251, 0x98), ==,
                    (gunichar) -1);
  g_assert_cmpuint (dd_csv_encoding_to_unichar (DD_CSV_ENCODING_WINDOWS_1250, 0x81), ==,
                    (gunichar) -1);
  g_assert_cmpuint (dd_csv_encoding_to_unichar (DD_CSV_ENCODING_UTF8, 'A'), ==, 'A');
  g_assert_cmpuint (dd_csv_encoding_to_unichar (DD_CSV_ENCODING_UTF8, 0xC4), ==, (gunichar) -1);
}

static void
test_utf8 (void)
{
  DdCsvDialect dialect;
  g_autoptr(GString) with_bom = g_string_new ("\357\273\277");

  sniff_encoded (polish_csv, NULL, &dialect);
  assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, FALSE, ';', TRUE, 8);

  sniff_encoded (russian_csv, NULL, &dialect);
  assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, FALSE, ';', TRUE, 8);

  g_string_append (with_bom, polish_csv);
  sniff_encoded (with_bom->str, NULL, &dialect);
  assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, TRUE, ';', TRUE, 8);

  /* Plain ASCII. */
  sniff_encoded ("name,amount\nSmith,12.50\n", NULL, &dialect);
  assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, FALSE, ',', TRUE, 2);
}

/* The sample may end in the middle of a character. */
static void
test_utf8_cut (void)
{
  const char *cut = strstr (polish_csv, "Ąbecki");
  DdCsvDialect dialect;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (cut);
  g_assert_true (dd_csv_sniff ((const guint8 *) polish_csv, (gsize) (cut - polish_csv) + 1,
                               &dialect, &error));
  g_assert_no_error (error);
  assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, FALSE, ';', TRUE, 8);
}

/* A UTF-8 file with a few broken bytes is still UTF-8. */
static void
test_utf8_mostly_valid (void)
{
  g_autoptr(GString) data = g_string_new (polish_csv);
  DdCsvDialect dialect;
  g_autoptr(GError) error = NULL;

  g_string_append (data, "7;Zieliński Bogdan \351;;;;;1,00;2024-04-01\n");
  g_assert_false (g_utf8_validate (data->str, (gssize) data->len, NULL));
  g_assert_true (dd_csv_sniff ((const guint8 *) data->str, data->len, &dialect, &error));
  g_assert_no_error (error);
  assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, FALSE, ';', TRUE, 8);
}

static void
test_polish_encodings (void)
{
  DdCsvDialect dialect;

  sniff_encoded (polish_csv, "CP1250", &dialect);
  assert_dialect (&dialect, DD_CSV_ENCODING_WINDOWS_1250, FALSE, ';', TRUE, 8);

  sniff_encoded (polish_csv, "ISO-8859-2", &dialect);
  assert_dialect (&dialect, DD_CSV_ENCODING_ISO_8859_2, FALSE, ';', TRUE, 8);
}

static void
test_russian_encoding (void)
{
  DdCsvDialect dialect;

  sniff_encoded (russian_csv, "CP1251", &dialect);
  assert_dialect (&dialect, DD_CSV_ENCODING_WINDOWS_1251, FALSE, ';', TRUE, 8);
}

/* Short samples where one or two letters tell the encodings apart. */
static void
test_ambiguous_encodings (void)
{
  static const char * const polish[] = {
    /* only ą */
    "Kwota;Nazwisko\n12,50;Dąbek\n7,00;Wąs\n",
    /* only ś */
    "Nazwisko;Miasto\nKowalski;Środa Śląska\n",
    "Nazwisko;Kwota\nŚwiątek;1,00\n",
    /* only ź / Ź */
    "Miejscowość;Kwota\nŹródła;1,00\n",
    "Jaźwiński;Grodziska\n",
    /* capitals only */
    "KONTRAHENT;MIASTO\nŚWIĄTEK;ŁÓDŹ\nŹRÓDŁOWSKI;GDAŃSK\n",
    /* one letter in the whole sample */
    "imie;kwota\nWąs;5\n",
    "Nazwisko;Kwota\nŚliwa;5\n",
    "Nazwisko;Kwota\nGrzegorz Brzęczyszczykiewicz;100,00\nŹdziebło Jan;5,00\n",
    /* foreign names next to Polish ones */
    "Nazwisko;Miasto\nMüller Jörg;Szczecin\nSchröder;Zgorzelec\nWąsik Hans;Słubice\n",
    /* with punctuation of Windows */
    "Kontrahent;Uwagi\nKowalski;ma zapłacić 15.03 – zadzwoni\nNowak;nie odbiera\n",
  };
  static const char * const russian[] = {
    "Иванов;Москва\n",
    "ФИО;Город;Сумма\nПётр Ёлкин;Орёл;1 000,00\n",
    "Клиент;Телефон\nООО «Вектор»;+7 495 000-00-00\n",
    ("Контрагент;ИНН;Телефон;Сумма;Срок оплаты\n"
     "Щукин Эдуард;7700000000;89161234567;5,00;01.01.2024\n"),
    "Name;City\nSidorov (Сидоров);Moscow (Москва)\n",
    /* Only letters that are Polish letters in windows-1250 too (ж к с у: ć ę ń ó). */
    "Жук;Сук\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (polish); i++)
    {
      g_test_message ("Polish sample %u: %s", i, polish[i]);
      /* The Windows punctuation has no ISO-8859-2 form. */
      if (strstr (polish[i], "–") == NULL)
        g_assert_cmpint (sniff_encoding (polish[i], "ISO-8859-2"), ==, DD_CSV_ENCODING_ISO_8859_2);
      g_assert_cmpint (sniff_encoding (polish[i], "CP1250"), ==, DD_CSV_ENCODING_WINDOWS_1250);
      g_assert_cmpint (sniff_encoding (polish[i], NULL), ==, DD_CSV_ENCODING_UTF8);
    }

  for (guint i = 0; i < G_N_ELEMENTS (russian); i++)
    {
      g_test_message ("Russian sample %u: %s", i, russian[i]);
      g_assert_cmpint (sniff_encoding (russian[i], "CP1251"), ==, DD_CSV_ENCODING_WINDOWS_1251);
      g_assert_cmpint (sniff_encoding (russian[i], NULL), ==, DD_CSV_ENCODING_UTF8);
    }
}

/* ł ó ż ę ć ń are the same bytes in windows-1250 and ISO-8859-2: windows-1250 is reported, and
 * the text is right either way. */
static void
test_indistinguishable_polish (void)
{
  const char utf8[] = "Nazwisko;Miasto;Kwota\n"
                      "Kołodziej Józef;Żyrardów;1,00\n"
                      "Męciński;Gniezno;2,00\n";
  g_autoptr(GBytes) bytes = encode (utf8, "ISO-8859-2");
  g_autoptr(GBytes) bytes_1250 = encode (utf8, "CP1250");
  DdCsvDialect dialect;
  DdCsvDialect other;
  g_autofree char *text = NULL;
  g_autofree char *other_text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_bytes_equal (bytes, bytes_1250));
  g_assert_true (dd_csv_sniff (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &dialect,
                               &error));
  assert_dialect (&dialect, DD_CSV_ENCODING_WINDOWS_1250, FALSE, ';', TRUE, 3);

  other = dialect;
  other.encoding = DD_CSV_ENCODING_ISO_8859_2;
  text = read_with_dialect (bytes, &dialect);
  other_text = read_with_dialect (bytes, &other);
  g_assert_cmpstr (text, ==, other_text);
  g_assert_cmpstr (text, ==,
                   "Nazwisko|Miasto|Kwota\nKołodziej Józef|Żyrardów|1,00\nMęciński|Gniezno|2,00\n");
}

/* What was sniffed reads the file back as it was written. */
static void
test_round_trip (void)
{
  static const struct {
    const char *utf8;
    const char *charset;
  } files[] = {
    { polish_csv, NULL },
    { polish_csv, "CP1250" },
    { polish_csv, "ISO-8859-2" },
    { russian_csv, NULL },
    { russian_csv, "CP1251" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GBytes) bytes = encode (files[i].utf8, files[i].charset);
      g_autoptr(GBytes) utf8 = encode (files[i].utf8, NULL);
      DdCsvDialect dialect;
      DdCsvDialect utf8_dialect = { DD_CSV_ENCODING_UTF8, FALSE, ';', TRUE, 8 };
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      g_autofree char *expected = NULL;

      g_assert_true (dd_csv_sniff (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   &dialect, &error));
      g_assert_no_error (error);
      text = read_with_dialect (bytes, &dialect);
      expected = read_with_dialect (utf8, &utf8_dialect);
      g_assert_cmpstr (text, ==, expected);
      g_assert_nonnull (strstr (text, files[i].utf8 == polish_csv ? "Ąbecki" : "Ёлкина"));
    }
}

static void
test_delimiters (void)
{
  DdCsvDialect dialect;

  /* Commas in the names, addresses and amounts of every row: more of them than semicolons. */
  sniff_encoded ("Nazwisko i imię;Adres;Kwota\n"
                 "Kowalski, Jan;ul. Długa 5, Łódź;1234,56\n"
                 "Nowak, Anna;ul. Krótka 1, Kraków;99,00\n"
                 "Wiśniewski, Piotr;ul. Polna 3, Gdańsk;0,50\n"
                 "Wójcik, Ewa;ul. Lipowa 7, Lublin;12,00\n"
                 "Kamiński, Adam;ul. Leśna 2, Opole;7,77\n"
                 "Lewandowska, Iwona;ul. Słoneczna 9, Tczew;350,00\n"
                 "Zieliński, Marek;ul. Ogrodowa 4, Kutno;1,99\n"
                 "Szymańska, Maria;ul. Kwiatowa 11, Płock;45,10\n"
                 "Woźniak, Karol;ul. Szkolna 6, Elbląg;600,00\n",
                 NULL, &dialect);
  assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, FALSE, ';', TRUE, 3);

  /* Ragged rows (trailing empty fields dropped by the exporting program). */
  sniff_encoded ("Kontrahent;Kwota;Termin;Telefon;Uwagi\n"
                 "Kowalski;1,50;2024-01-01;600100200;pilne\n"
                 "Nowak;2,50;2024-01-02\n"
                 "Zieliński;3,50;2024-01-03;600100201\n"
                 "Wójcik;4,50;2024-01-04;600100202;\n"
                 "Kamiński;5,50;2024-01-05\n",
                 NULL, &dialect);
  assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, FALSE, ';', TRUE, 5);

  /* Commas, with semicolons, commas and line breaks inside quotes. */
  sniff_encoded ("Customer,Address,Amount,Due\n"
                 "\"Smith; John\",\"1 Main St, Springfield\",12.50,2024-01-31\n"
                 "\"Doe, Jane\",\"Flat 2\n5 High St; London\",7.00,2024-02-01\n"
                 "Brown,\"\"\"The Mews\"\"; Bath\",1500.00,2024-02-15\n",
                 NULL, &dialect);
  assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, FALSE, ',', TRUE, 4);

  /* Every field quoted, with semicolons inside. */
  sniff_encoded ("\"Kowalski; Jan\",\"Długa 5; Łódź\"\n"
                 "\"Nowak; Anna\",\"Polna 1; Gdańsk\"\n"
                 "\"Wójcik; Ewa\",\"Lipowa 7; Lublin\"\n",
                 NULL, &dialect);
  assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, FALSE, ',', FALSE, 2);

  /* Tabs, with decimal commas. */
  sniff_encoded ("Kontrahent\tKwota\tTermin\nKowalski, Jan\t1 234,56\t2024-01-31\n"
                 "Nowak\t12,00\t2024-02-01\n",
                 NULL, &dialect);
  assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, FALSE, '\t', TRUE, 3);

  /* Pipes. */
  sniff_encoded ("id|name|amount\n1|Kowalski; Jan|1,50\n2|Nowak, Anna|2,50\n", NULL, &dialect);
  assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, FALSE, '|', TRUE, 3);

  /* One column: the default delimiter. */
  sniff_encoded ("Telefon\n600100200\n600100201\n", NULL, &dialect);
  assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, FALSE, ';', TRUE, 1);

  /* A quote after the only semicolon never closes: the first delimiter that reads a record. */
  sniff_encoded ("x;\"y\n", NULL, &dialect);
  assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, FALSE, ',', FALSE, 1);

  /* Just a header. */
  sniff_encoded ("Kontrahent,NIP,Kwota,Termin płatności\r\n", NULL, &dialect);
  assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, FALSE, ',', TRUE, 4);

  /* A title line above the table. */
  sniff_encoded ("Zestawienie należności przeterminowanych\n"
                 "Kontrahent;Kwota;Termin\n"
                 "Kowalski;1,50;2024-01-01\n"
                 "Nowak;2,50;2024-01-02\n"
                 "Wiśniewski;3,50;2024-01-03\n",
                 NULL, &dialect);
  g_assert_cmpint (dialect.delimiter, ==, ';');
  g_assert_cmpuint (dialect.skip_records, ==, 1);
  g_assert_cmpuint (dialect.n_columns, ==, 3);
  g_assert_true (dialect.has_header);
}

/* The sample is the start of a larger file. */
static void
test_cut_sample (void)
{
  g_autoptr(GString) data = g_string_new ("Kontrahent,Adres,Kwota,Termin\n");
  DdCsvDialect dialect;
  g_autoptr(GError) error = NULL;
  gsize cut_in_record;
  gsize cut_in_quotes;

  for (guint i = 0; data->len < 3 * DD_CSV_SNIFF_SIZE; i++)
    g_string_append_printf (data,
                            "Klient %u,\"ul. Polna %u\n00-%03u Warszawa\",%u.%02u,2024-01-%02u\n",
                            i, i, i % 1000, i * 3, i % 100, i % 28 + 1);

  g_assert_true (dd_csv_sniff ((const guint8 *) data->str, DD_CSV_SNIFF_SIZE, &dialect, &error));
  g_assert_no_error (error);
  assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, FALSE, ',', TRUE, 4);

  /* Cut inside a record, and inside the quotes of a record. */
  cut_in_record = (gsize) (strstr (data->str + 1000, "Klient") - data->str) + 3;
  cut_in_quotes = (gsize) (strstr (data->str + 2000, "Warszawa") - data->str) - 2;
  g_assert_true (dd_csv_sniff ((const guint8 *) data->str, cut_in_record, &dialect, &error));
  assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, FALSE, ',', TRUE, 4);
  g_assert_true (dd_csv_sniff ((const guint8 *) data->str, cut_in_quotes, &dialect, &error));
  assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, FALSE, ',', TRUE, 4);

  /* More than the sniffer reads is fine. */
  g_assert_true (dd_csv_sniff ((const guint8 *) data->str, data->len, &dialect, &error));
  assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, FALSE, ',', TRUE, 4);
}

static void
test_header (void)
{
  static const struct {
    const char *data;
    gboolean    has_header;
  } cases[] = {
    /* Labels over amounts, dates, phone numbers. */
    { "Kontrahent;NIP;Telefon;Kwota;Termin płatności\n"
      "Kowalski Jan;5250001234;600100200;12,50;2024-01-31\n", TRUE },
    { "Foo;Bar;Baz\nabc;1 234,56 zł;def\nghi;99,00 zł;jkl\n", TRUE },
    { "Customer,Due\nSmith,31/01/2024\nDoe,15.02.2024\n", TRUE },
    { "Контрагент;Сумма\nООО «Ромашка»;15 000,00 руб.\n", TRUE },
    /* The first row is data. */
    { "Kowalski Jan;5250001234;600100200;12,50;2024-01-31\n"
      "Nowak Anna;7251234567;600100201;99,00;2024-02-01\n", FALSE },
    { "Kowalski;12,50\nNowak;99,00\n", FALSE },
    /* Only text: labels are recognised by their words. */
    { "Nazwisko;Miasto;Uwagi\nKowalski;Warszawa;brak\nNowak;Kraków;pilne\n", TRUE },
    { "Kowalski;Warszawa;stały klient\nNowak;Kraków;nowy klient\n", FALSE },
    { "Фамилия;Город\nИванов;Москва\n", TRUE },
    /* Not labels: empty, repeated, numbers, dates, long codes. */
    { "Kontrahent;;Kwota\nKowalski;x;1,00\n", FALSE },
    { "Kwota;kwota\n1,00;2,00\n", FALSE },
    { "2023;2024\n1,00;2,00\n", FALSE },
    { "Kontrahent;2024-01-31\nKowalski;1,00\n", FALSE },
    { "Kontrahent;PL61109010140000071219812874\nKowalski;1,00\n", FALSE },
    /* A year in a label is fine. */
    { "Kontrahent;Saldo 2023\nKowalski;1,00\n", TRUE },
    /* A spreadsheet's empty columns right of the table, and a label repeated (the gross
     * and what is left both "Kwota") among labels of receivables. */
    { "Kontrahent;Telefon;Kwota;;\r\nKowalski;600100200;12,50;;\r\n", TRUE },
    { "Lp.;Kontrahent;Nr faktury;Termin płatności;Pozostało;Waluta;;\n"
      "1;Kowalski;FV/1;15.09.2026;1 000,00 zł;PLN;;\n", TRUE },
    { "Kontrahent;Telefon;Nr faktury;Kwota;Kwota\nKowalski;600100200;F1;12,50;10,00\n", TRUE },
    { "Kowalski;Warszawa;Warszawa\nNowak;Kraków;Kraków\n", FALSE },
    { "Kowalski;Jan;;\nNowak;Anna;;\n", FALSE },
    /* A lone record. */
    { "Kontrahent;NIP;Kwota\n", TRUE },
    { "Kowalski;5250001234;12,50\n", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DdCsvDialect dialect;

      g_test_message ("case %u: %s", i, cases[i].data);
      sniff_encoded (cases[i].data, NULL, &dialect);
      g_assert_cmpint (dialect.has_header, ==, cases[i].has_header);
    }
}

/* Accounting programs put a report's title, its date or blank lines above the table: they are
 * passed over, the header below them is found, and the delimiter is that of the table. A file
 * whose header has fewer labels than its rows have fields keeps its header as the first record. */
static void
test_title_lines (void)
{
  static const struct {
    const char *data;
    guint       skip;
    gboolean    has_header;
    char        delimiter;
    guint       n_columns;
  } cases[] = {
    { "Zestawienie należności przeterminowanych\nWygenerowano: 2026-12-01\n\n"
      "Kontrahent;NIP;Telefon;Nr faktury;Termin płatności;Pozostało do zapłaty\n"
      "Kowalski Jan;5260250274;601234567;FV/1/2026;2026-10-15;1 000,00\n"
      "Nowak Anna;;601234568;FV/2/2026;2026-10-16;2 460,00\n", 2, TRUE, ';', 6 },
    /* a spreadsheet's title row keeps the table's delimiters */
    { "Отчёт о дебиторской задолженности;;;;\nна 01.12.2026;;;;\n"
      "Контрагент;ИНН;Телефон;Документ;Сумма задолженности\n"
      "ООО Ромашка;7707083893;89161234567;СЧ-1;15 000,00\n"
      "ИП Иванов;7707083894;89161234568;СЧ-2;7 500,00\n", 2, TRUE, ';', 5 },
    { "Overdue receivables, December 2026\n"
      "Customer,Invoice,Due,Amount,Phone\n"
      "Smith,INV-1,2026-10-01,100.00,+447700900123\n"
      "Doe,INV-2,2026-10-02,200.00,+447700900124\n", 1, TRUE, ',', 5 },
    /* no title */
    { "Kontrahent;NIP;Kwota;Termin;Telefon\nKowalski;5250001234;12,50;2024-01-31;600100200\n"
      "Nowak;5250001235;13,50;2024-02-01;600100201\n", 0, TRUE, ';', 5 },
    /* a header with one label fewer than the rows: still the header, not a title */
    { "Kontrahent;NIP;Kwota;Termin\nKowalski;5250001234;12,50;2024-01-31;600100200\n"
      "Nowak;5250001235;13,50;2024-02-01;600100201\n", 0, TRUE, ';', 4 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DdCsvDialect dialect;

      g_test_message ("case %u: %s", i, cases[i].data);
      sniff_encoded (cases[i].data, NULL, &dialect);
      g_assert_cmpuint (dialect.skip_records, ==, cases[i].skip);
      g_assert_cmpint (dialect.has_header, ==, cases[i].has_header);
      g_assert_cmpint (dialect.delimiter, ==, cases[i].delimiter);
      g_assert_cmpuint (dialect.n_columns, ==, cases[i].n_columns);
    }
}

static void
test_with_encoding (void)
{
  g_autoptr(GBytes) bytes = encode (polish_csv, "CP1250");
  g_autoptr(GString) with_bom = g_string_new ("\357\273\277a;b\n1;2\n");
  DdCsvDialect dialect;
  g_autoptr(GError) error = NULL;

  /* Forcing an encoding keeps it, even a wrong one. */
  g_assert_true (dd_csv_sniff_with_encoding (g_bytes_get_data (bytes, NULL),
                                             g_bytes_get_size (bytes),
                                             DD_CSV_ENCODING_WINDOWS_1251, &dialect, &error));
  g_assert_no_error (error);
  assert_dialect (&dialect, DD_CSV_ENCODING_WINDOWS_1251, FALSE, ';', TRUE, 8);

  g_assert_true (dd_csv_sniff_with_encoding (g_bytes_get_data (bytes, NULL),
                                             g_bytes_get_size (bytes),
                                             DD_CSV_ENCODING_ISO_8859_2, &dialect, &error));
  assert_dialect (&dialect, DD_CSV_ENCODING_ISO_8859_2, FALSE, ';', TRUE, 8);

  g_assert_true (dd_csv_sniff_with_encoding ((const guint8 *) with_bom->str, with_bom->len,
                                             DD_CSV_ENCODING_UTF8, &dialect, &error));
  assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, TRUE, ';', TRUE, 2);

  /* A byte order mark belongs to UTF-8 only. */
  g_assert_true (dd_csv_sniff_with_encoding ((const guint8 *) with_bom->str, with_bom->len,
                                             DD_CSV_ENCODING_WINDOWS_1250, &dialect, &error));
  g_assert_false (dialect.has_bom);
  g_assert_cmpint (dialect.encoding, ==, DD_CSV_ENCODING_WINDOWS_1250);

  /* And wins over the content. */
  g_string_append (with_bom, "Wa\271s;\n");
  g_assert_true (dd_csv_sniff ((const guint8 *) with_bom->str, with_bom->len, &dialect, &error));
  assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, TRUE, ';', TRUE, 2);
}

static void
test_errors (void)
{
  const char utf16[] = "\377\376K\000w\000o\000t\000a\000;\0001\000\n\000";
  const char xlsx[] = "PK\003\004\024\000\006\000\010\000\000\000!\000";
  const char xls[] = "\320\317\021\340\241\261\032\341\000\000\000\000";
  guint8 binary[4096];
  guint32 seed = 1;
  DdCsvDialect dialect;
  g_autoptr(GError) error = NULL;

  assert_sniff_error ("", 0, DD_CSV_ERROR_EMPTY);
  assert_sniff_error ("\n\r\n\n", 4, DD_CSV_ERROR_EMPTY);
  assert_sniff_error ("\357\273\277", 3, DD_CSV_ERROR_EMPTY);
  assert_sniff_error ("\357\273\277\r\n", 5, DD_CSV_ERROR_EMPTY);
  /* UTF-16 is read, not refused */
  g_assert_true (dd_csv_sniff ((const guint8 *) utf16, sizeof utf16 - 1, &dialect, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dialect.encoding, ==, DD_CSV_ENCODING_UTF16LE);
  assert_sniff_error (xlsx, sizeof xlsx - 1, DD_CSV_ERROR_NOT_TEXT);
  assert_sniff_error (xls, sizeof xls - 1, DD_CSV_ERROR_NOT_TEXT);
  /* "Excel" files that are web pages or XML (1C, web banking), renamed .csv */
  {
    static const char * const pages[] = {
      "<html><body><table><tr><td>Kontrahent</td><td>Kwota</td></tr></table></body></html>\n",
      "\357\273\277\r\n  <!DOCTYPE html>\n<html><table><tr><td>Kwota</td></tr></table>\n",
      "<?xml version=\"1.0\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">\n",
      "{\\rtf1\\ansi Kontrahent;Kwota\\par A;100}\n",
    };

    for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
      assert_sniff_error (pages[i], strlen (pages[i]), DD_CSV_ERROR_NOT_TEXT);
  }

  for (guint i = 0; i < sizeof binary; i++)
    {
      seed = seed * 1103515245 + 12345;
      binary[i] = (guint8) (seed >> 16);
    }
  assert_sniff_error (binary, sizeof binary, DD_CSV_ERROR_NOT_TEXT);

  g_assert_false (dd_csv_sniff_with_encoding ((const guint8 *) "", 0, DD_CSV_ENCODING_UTF8,
                                              &dialect, &error));
  g_assert_error (error, DD_CSV_ERROR, DD_CSV_ERROR_EMPTY);
  g_clear_error (&error);

  /* A stray NUL is not binary yet. */
  {
    g_autoptr(GString) text = g_string_new (polish_csv);

    g_string_append_len (text, "7;x\000y;;;;;1,00;2024-04-01\n", 26);
    g_assert_true (dd_csv_sniff ((const guint8 *) text->str, text->len, &dialect, &error));
    g_assert_no_error (error);
    assert_dialect (&dialect, DD_CSV_ENCODING_UTF8, FALSE, ';', TRUE, 8);
  }
}

/* Issue 14: which country an export comes from. */
static void
test_country (void)
{
  static const char one_c[] =
    "Контрагент;ИНН;Телефон;Документ;Срок оплаты;Сумма задолженности\r\n"
    "ООО «Ромашка»;7710123401;8 900 123-45-10;Реализация 00БП-000101 от 01.10.2026;"
    "10.11.2026;12 346,10\r\n"
    "ИП Иванов;7711123404;+7 (911) 345-67-21;Реализация 00БП-000102 от 02.10.2026;"
    "11.11.2026;24 691,80\r\n";
  /* Latin letters only: the tax id column and the phones say it */
  static const char polish_ascii[] =
    "Klient;NIP;Telefon;Faktura;Termin;Kwota\n"
    "Jan Kowalski;5260250995;+48 601 234 567;F/1;2026-10-01;100,00\n"
    "Ewa Nowak;7251234561;+48 602 345 678;F/2;2026-10-02;200,00\n";
  /* Russian phones in a Latin file: "8 9xx" and "+7" are Russian mobiles */
  static const char russian_phones[] =
    "Customer,Phone,Invoice,Due,Amount\n"
    "Ivanov,8 916 123-45-67,A1,2026-10-01,100.00\n"
    "Petrov,+7 (912) 345-67-89,A2,2026-10-01,100.00\n"
    "Sidorov,89261234567,A3,2026-10-01,100.00\n";
  static const char english[] =
    "Customer,Phone,Invoice,Due,Amount\n"
    "John Smith,+44 20 7946 0018,A1,2026-10-01,100.00\n";
  DdCsvDialect dialect;

  sniff_encoded (one_c, "WINDOWS-1251", &dialect);
  g_assert_cmpint (dialect.encoding, ==, DD_CSV_ENCODING_WINDOWS_1251);
  g_assert_cmpstr (dialect.country, ==, "RU");
  sniff_encoded (one_c, NULL, &dialect);
  g_assert_cmpstr (dialect.country, ==, "RU");
  sniff_encoded (russian_csv, NULL, &dialect);
  g_assert_cmpstr (dialect.country, ==, "RU");
  sniff_encoded (polish_csv, "WINDOWS-1250", &dialect);
  g_assert_cmpint (dialect.encoding, ==, DD_CSV_ENCODING_WINDOWS_1250);
  g_assert_cmpstr (dialect.country, ==, "PL");
  sniff_encoded (polish_ascii, NULL, &dialect);
  g_assert_cmpstr (dialect.country, ==, "PL");

  g_assert_cmpstr (dd_csv_sniff_country ((const guint8 *) russian_phones,
                                         strlen (russian_phones), DD_CSV_ENCODING_UTF8), ==, "RU");
  g_assert_null (dd_csv_sniff_country ((const guint8 *) english, strlen (english),
                                       DD_CSV_ENCODING_UTF8));
  sniff_encoded (english, NULL, &dialect);
  g_assert_cmpstr (dialect.country, ==, "");
}

/* What Excel's "Unicode Text (*.txt)" writes: UTF-16LE with a byte order mark, tabs, CRLF,
 * quotes doubled inside quoted fields; and the same in big-endian and without the mark. */
static const char polish_unicode_text[] =
  "Kontrahent\tNIP\tTelefon\tNr faktury\tTermin płatności\tKwota\r\n"
  "\"Piekarnia \"\"Złoty Kłos\"\" s.c.\"\t7251234567\t+48 601 222 333\tFV/2026/01/0002\t"
  "07.02.2026\t349,99\r\n"
  "Wąsowski Józef\t5250001234\t+48 600 100 200\tFV/2026/01/0001\t31.01.2026\t\"1 250,00\"\r\n"
  "Gęsicka-Żądło Małgorzata\t\t+48 41 344 55 66\tFV/2026/02/0005\t10.03.2026\t560,10\r\n"
  "\"Zakład \"\"Ślusarz\"\"\r\nJaźwiński\"\t6762468101\t22 555 01 02\tFV/2026/02/0006\t"
  "15.03.2026\t12 400,00\r\n";

static const char polish_unicode_text_read[] =
  "Kontrahent|NIP|Telefon|Nr faktury|Termin płatności|Kwota\n"
  "Piekarnia \"Złoty Kłos\" s.c.|7251234567|+48 601 222 333|FV/2026/01/0002|07.02.2026|349,99\n"
  "Wąsowski Józef|5250001234|+48 600 100 200|FV/2026/01/0001|31.01.2026|1 250,00\n"
  "Gęsicka-Żądło Małgorzata||+48 41 344 55 66|FV/2026/02/0005|10.03.2026|560,10\n"
  "Zakład \"Ślusarz\"\r\nJaźwiński|6762468101|22 555 01 02|FV/2026/02/0006|15.03.2026|12 400,00\n";

static const char russian_unicode_text[] =
  "Контрагент\tИНН\tТелефон\tДокумент\tСрок оплаты\tСумма задолженности\r\n"
  "ООО «Ромашка»\t7701234567\t+7 (495) 123-45-67\tСчёт № 1\t31.01.2026\t15 000,00\r\n"
  "\"ИП \"\"Иванов\"\" П. С.\"\t500100732259\t8 916 000-00-01\tСчёт № 2\t15.02.2026\t2 340,50\r\n"
  "АО «Северный ветер»\t7812014560\t+7 (812) 600-70-80\tСчёт № 3\t29.02.2026\t120 000,00\r\n"
  "Ёлкина Семёна Юрьевна\t\t8 343 222-33-44\tСчёт № 4\t10.03.2026\t780,00\r\n";

static const char russian_unicode_text_read[] =
  "Контрагент|ИНН|Телефон|Документ|Срок оплаты|Сумма задолженности\n"
  "ООО «Ромашка»|7701234567|+7 (495) 123-45-67|Счёт № 1|31.01.2026|15 000,00\n"
  "ИП \"Иванов\" П. С.|500100732259|8 916 000-00-01|Счёт № 2|15.02.2026|2 340,50\n"
  "АО «Северный ветер»|7812014560|+7 (812) 600-70-80|Счёт № 3|29.02.2026|120 000,00\n"
  "Ёлкина Семёна Юрьевна||8 343 222-33-44|Счёт № 4|10.03.2026|780,00\n";

static GBytes *
unicode_text (const char *utf8,
              gboolean    big_endian,
              gboolean    with_bom)
{
  g_autoptr(GBytes) body = encode (utf8, big_endian ? "UTF-16BE" : "UTF-16LE");
  GByteArray *out = g_byte_array_new ();

  if (with_bom)
    g_byte_array_append (out, (const guint8 *) (big_endian ? "\376\377" : "\377\376"), 2);
  g_byte_array_append (out, g_bytes_get_data (body, NULL), (guint) g_bytes_get_size (body));
  return g_byte_array_free_to_bytes (out);
}

static void
test_utf16 (void)
{
  static const struct {
    const char    *text;
    const char    *read;
    gboolean       big_endian;
    gboolean       with_bom;
    const char    *country;
  } files[] = {
    { polish_unicode_text, polish_unicode_text_read, FALSE, TRUE, "PL" },
    { russian_unicode_text, russian_unicode_text_read, FALSE, TRUE, "RU" },
    { polish_unicode_text, polish_unicode_text_read, TRUE, TRUE, "PL" },
    { russian_unicode_text, russian_unicode_text_read, TRUE, TRUE, "RU" },
    { polish_unicode_text, polish_unicode_text_read, FALSE, FALSE, "PL" },
    { russian_unicode_text, russian_unicode_text_read, FALSE, FALSE, "RU" },
    { polish_unicode_text, polish_unicode_text_read, TRUE, FALSE, "PL" },
    { russian_unicode_text, russian_unicode_text_read, TRUE, FALSE, "RU" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GBytes) bytes = unicode_text (files[i].text, files[i].big_endian,
                                              files[i].with_bom);
      g_autoptr(GError) error = NULL;
      g_autofree char *read = NULL;
      DdCsvEncoding expected = files[i].big_endian ? DD_CSV_ENCODING_UTF16BE
                                                   : DD_CSV_ENCODING_UTF16LE;
      DdCsvDialect dialect;
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);

      g_test_message ("file %u", i);
      g_assert_true (dd_csv_sniff (data, len, &dialect, &error));
      g_assert_no_error (error);
      assert_dialect (&dialect, expected, files[i].with_bom, '\t', TRUE, 6);
      g_assert_cmpstr (dd_csv_encoding_to_string (dialect.encoding), ==,
                       files[i].big_endian ? "UTF-16BE" : "UTF-16LE");
      g_assert_cmpstr (dialect.country, ==, files[i].country);
      g_assert_cmpstr (dd_csv_sniff_country (data, len, dialect.encoding), ==, files[i].country);
      g_assert_false (dd_csv_sniff_month_first (data, len, dialect.encoding, '\t', 0, NULL));
      read = read_with_dialect (bytes, &dialect);
      g_assert_cmpstr (read, ==, files[i].read);
      g_assert_cmpuint (g_bytes_get_size (bytes), ==, len);

      /* a sample cut in the middle of a character still sniffs */
      g_assert_true (dd_csv_sniff (data, len - 3, &dialect, &error));
      g_assert_no_error (error);
      g_assert_cmpint (dialect.encoding, ==, expected);
      g_assert_cmpint (dialect.delimiter, ==, '\t');

      /* the user's choice of another encoding does not turn UTF-16 into garbage, and a
       * UTF-16 choice is understood */
      g_assert_true (dd_csv_sniff_with_encoding (data, len, DD_CSV_ENCODING_WINDOWS_1250,
                                                 &dialect, &error));
      g_assert_no_error (error);
      g_assert_cmpint (dialect.encoding, ==, expected);
      g_assert_true (dd_csv_sniff_with_encoding (data, len, expected, &dialect, &error));
      g_assert_no_error (error);
      g_assert_cmpint (dialect.encoding, ==, expected);
    }

  {
    DdCsvEncoding encoding;

    g_assert_true (dd_csv_encoding_from_string ("UTF-16LE", &encoding));
    g_assert_cmpint (encoding, ==, DD_CSV_ENCODING_UTF16LE);
    g_assert_true (dd_csv_encoding_from_string ("unicode", &encoding));
    g_assert_cmpint (encoding, ==, DD_CSV_ENCODING_UTF16LE);
    g_assert_true (dd_csv_encoding_from_string ("utf-16be", &encoding));
    g_assert_cmpint (encoding, ==, DD_CSV_ENCODING_UTF16BE);
  }
}

/* Reads @bytes as @encoding: the records read (fields joined with '|') and the error. */
static char *
read_utf16 (GBytes         *bytes,
            DdCsvEncoding   encoding,
            GError        **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(DdCsvReader) reader = dd_csv_reader_new (stream, encoding, '\t');
  GString *text = g_string_new (NULL);
  guint64 last = 0;

  while (dd_csv_reader_next (reader, NULL, error))
    {
      g_assert_cmpuint (dd_csv_reader_get_bytes_read (reader), >=, last);
      g_assert_cmpuint (dd_csv_reader_get_bytes_read (reader), <=, g_bytes_get_size (bytes));
      last = dd_csv_reader_get_bytes_read (reader);
      for (guint i = 0; i < dd_csv_reader_get_n_fields (reader); i++)
        {
          if (i > 0)
            g_string_append_c (text, '|');
          g_string_append (text, dd_csv_reader_get_field (reader, i));
        }
      g_string_append_c (text, '\n');
    }
  if (error == NULL || *error == NULL)
    g_assert_cmpuint (dd_csv_reader_get_bytes_read (reader), ==, g_bytes_get_size (bytes));
  return g_string_free (text, FALSE);
}

static void
test_utf16_reader (void)
{
  /* a record much longer than a chunk, characters of 2, 3 and 4 bytes in UTF-8 (a surrogate
   * pair) falling on every chunk boundary */
  {
    g_autoptr(GString) utf8 = g_string_new ("Kontrahent\tUwagi\r\n");
    g_autoptr(GString) expected = g_string_new ("Kontrahent|Uwagi\n");
    g_autoptr(GError) error = NULL;
    g_autofree char *read_le = NULL, *read_be = NULL;

    for (guint i = 0; i < 6000; i++)
      {
        g_autofree char *row = g_strdup_printf ("Łódź %u\t€ ąę 😀 Ж%u\r\n", i, i);
        g_autofree char *row_read = g_strdup_printf ("Łódź %u|€ ąę 😀 Ж%u\n", i, i);

        g_string_append (utf8, row);
        g_string_append (expected, row_read);
      }
    g_string_append (utf8, "\"długie");
    g_string_append (expected, "długie");
    for (guint i = 0; i < 50000; i++)
      {
        g_string_append (utf8, "😀ś");
        g_string_append (expected, "😀ś");
      }
    g_string_append (utf8, "\"\tkoniec\r\n");
    g_string_append (expected, "|koniec\n");

    {
      g_autoptr(GBytes) le = unicode_text (utf8->str, FALSE, TRUE);
      g_autoptr(GBytes) be = unicode_text (utf8->str, TRUE, FALSE);

      read_le = read_utf16 (le, DD_CSV_ENCODING_UTF16LE, &error);
      g_assert_no_error (error);
      read_be = read_utf16 (be, DD_CSV_ENCODING_UTF16BE, &error);
      g_assert_no_error (error);
    }
    g_assert_cmpstr (read_le, ==, expected->str);
    g_assert_cmpstr (read_be, ==, expected->str);
  }

  /* a file cut off after an odd number of bytes, a high surrogate without its low half, a
   * low half alone: an error naming the line, after the records before it */
  {
    g_autoptr(GBytes) whole = unicode_text (polish_unicode_text, FALSE, TRUE);
    g_autoptr(GBytes) cut = g_bytes_new_from_bytes (whole, 0, g_bytes_get_size (whole) - 5);
    g_autoptr(GError) error = NULL;
    g_autofree char *read = read_utf16 (cut, DD_CSV_ENCODING_UTF16LE, &error);

    g_assert_error (error, DD_CSV_ERROR, DD_CSV_ERROR_INVALID_TEXT);
    /* the last record starts on line 5 and ends on line 6 */
    g_assert_nonnull (strstr (error->message, "6"));
    g_assert_cmpuint (strlen (read), >, 0);
    g_assert_null (strstr (read, "12 400"));
  }
  {
    g_autoptr(GByteArray) text = g_byte_array_new ();
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *read = NULL;
    g_autoptr(GBytes) head = unicode_text ("Kontrahent\tKwota\r\nJan\t1,00\r\nAnna\t", FALSE,
                                           TRUE);
    g_autoptr(GBytes) tail = unicode_text ("2,00\r\nPiotr\t3,00\r\n", FALSE, FALSE);

    g_byte_array_append (text, g_bytes_get_data (head, NULL), (guint) g_bytes_get_size (head));
    g_byte_array_append (text, (const guint8 *) "\075\330", 2);   /* U+D83D, no low half */
    g_byte_array_append (text, g_bytes_get_data (tail, NULL), (guint) g_bytes_get_size (tail));
    bytes = g_byte_array_free_to_bytes (g_steal_pointer (&text));
    read = read_utf16 (bytes, DD_CSV_ENCODING_UTF16LE, &error);
    g_assert_error (error, DD_CSV_ERROR, DD_CSV_ERROR_INVALID_TEXT);
    g_assert_nonnull (strstr (error->message, "3"));
    g_assert_cmpstr (read, ==, "Kontrahent|Kwota\nJan|1,00\n");
  }
  {
    g_autoptr(GBytes) head = unicode_text ("Kontrahent\tKwota\r\n", TRUE, TRUE);
    g_autoptr(GByteArray) text = g_byte_array_new ();
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *read = NULL;

    g_byte_array_append (text, g_bytes_get_data (head, NULL), (guint) g_bytes_get_size (head));
    g_byte_array_append (text, (const guint8 *) "\334\000\000A", 4);   /* U+DC00 alone */
    bytes = g_byte_array_free_to_bytes (g_steal_pointer (&text));
    read = read_utf16 (bytes, DD_CSV_ENCODING_UTF16BE, &error);
    g_assert_error (error, DD_CSV_ERROR, DD_CSV_ERROR_INVALID_TEXT);
    g_assert_nonnull (strstr (error->message, "2"));
    g_assert_cmpstr (read, ==, "Kontrahent|Kwota\n");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/csv-sniffer/encoding-names", test_encoding_names);
  g_test_add_func ("/dd/csv-sniffer/to-unichar", test_to_unichar);
  g_test_add_func ("/dd/csv-sniffer/utf8", test_utf8);
  g_test_add_func ("/dd/csv-sniffer/utf8-cut", test_utf8_cut);
  g_test_add_func ("/dd/csv-sniffer/utf8-mostly-valid", test_utf8_mostly_valid);
  g_test_add_func ("/dd/csv-sniffer/polish-encodings", test_polish_encodings);
  g_test_add_func ("/dd/csv-sniffer/russian-encoding", test_russian_encoding);
  g_test_add_func ("/dd/csv-sniffer/ambiguous-encodings", test_ambiguous_encodings);
  g_test_add_func ("/dd/csv-sniffer/indistinguishable-polish", test_indistinguishable_polish);
  g_test_add_func ("/dd/csv-sniffer/round-trip", test_round_trip);
  g_test_add_func ("/dd/csv-sniffer/delimiters", test_delimiters);
  g_test_add_func ("/dd/csv-sniffer/cut-sample", test_cut_sample);
  g_test_add_func ("/dd/csv-sniffer/header", test_header);
  g_test_add_func ("/dd/csv-sniffer/title-lines", test_title_lines);
  g_test_add_func ("/dd/csv-sniffer/with-encoding", test_with_encoding);
  g_test_add_func ("/dd/csv-sniffer/errors", test_errors);
  g_test_add_func ("/dd/csv-sniffer/country", test_country);
  g_test_add_func ("/dd/csv-sniffer/utf16", test_utf16);
  g_test_add_func ("/dd/csv-sniffer/utf16-reader", test_utf16_reader);

  return g_test_run ();
}
