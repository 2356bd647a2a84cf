/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-test-util.h"
#include "dd-case-store.h"
#include "dd-column-map.h"
#include "dd-csv-reader.h"
#include "dd-csv-sniffer.h"
#include "dd-database.h"
#include "dd-debtor-store.h"
#include "dd-demo-office.h"
#include "dd-import-store.h"
#include "dd-importer.h"

#include <json-glib/json-glib.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  DdTestOffice *office;
  char         *dir;     /* the office's */
  DdDatabase   *db;
  DdImporter   *importer;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->office = dd_test_office_new ("importer");
  f->dir = f->office->dir;
  f->db = f->office->database;
  f->importer = dd_importer_new (f->db);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->importer);
  g_clear_pointer (&f->office, dd_test_office_free);
}

/* Writes @text (UTF-8) to a file in @encoding. */
static GFile *
write_csv (Fixture    *f,
           const char *name,
           const char *text,
           const char *encoding)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autofree char *converted = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = strlen (text);

  if (encoding != NULL)
    {
      converted = g_convert (text, -1, encoding, "UTF-8", NULL, &len, &error);
      g_assert_no_error (error);
    }
  g_assert_true (g_file_set_contents (path, converted ? converted : text, len, &error));
  return g_file_new_for_path (path);
}

static DdImportSummary *
import (Fixture               *f,
        GFile                 *file,
        const DdImportOptions *options)
{
  g_autoptr(GError) error = NULL;
  DdImportSummary *summary = dd_importer_run (f->importer, file, options, NULL, NULL, NULL,
                                              &error);
  g_assert_no_error (error);
  g_assert_nonnull (summary);
  return summary;
}

static const DdImportIssue *
find_issue (const DdImportSummary *summary,
            guint64                row,
            DdImportReason         reason)
{
  for (guint i = 0; i < summary->issues->len; i++)
    {
      const DdImportIssue *issue = &g_array_index (summary->issues, DdImportIssue, i);
      if (issue->row == row && issue->reason == reason)
        return issue;
    }
  g_error ("no issue %s at row %" G_GUINT64_FORMAT, dd_import_reason_to_key (reason), row);
  return NULL;
}

/* Two invoices of one company, a person with two phones over two rows, phones written
 * the ways accounting systems write them. */
static const char polish_csv[] =
  "Kontrahent;NIP;Adres;Telefon;Telefon 2;E-mail;Nr faktury;Data wystawienia;Termin płatności;Kwota\r\n"
  "\"Przedsiębiorstwo \"\"Słoneczko\"\" Sp. z o.o.\";526-025-09-95;\"ul. Polna 1; 00-950 Warszawa\";"
  "601 234 567;;biuro@example.com;FV/2026/10/001;01.10.2026;15.10.2026;1 234,56\r\n"
  "\"Przedsiębiorstwo \"\"Słoneczko\"\" Sp. z o.o.\";5260250995;;+48601234567;22 123 45 67;;"
  "FV/2026/10/002;2026-10-05;2026-10-20;\"1.000,00 zł\"\r\n"
  "Anna Nowak;;ul. Lipowa 7, 31-000 Kraków;0048 602 345 678;;;FV/2026/10/003;05/10/2026;"
  "20/10/2026;99,90\r\n"
  "Anna Nowak;;;602-345-678;603 456 789;anna@example.org;FV/2026/10/004;06.10.2026;21.10.2026;"
  "10\r\n";

static void
test_basic_polish (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GFile) file = write_csv (f, "pl.csv", polish_csv, NULL);
  g_autoptr(DdImportSummary) summary = NULL;
  g_autofree char *e164 = NULL, *due = NULL, *name = NULL, *address = NULL;
  DdImportOptions options;

  dd_import_options_init (&options);
  options.country = "PL";
  options.creditor = "Wodociągi Miejskie";
  summary = import (f, file, &options);

  g_assert_cmpstr (summary->encoding, ==, "UTF-8");
  g_assert_cmpint (summary->delimiter, ==, ';');
  g_assert_true (summary->has_header);
  g_assert_cmpuint (summary->rows_read, ==, 4);
  g_assert_cmpuint (summary->rows_imported, ==, 4);
  g_assert_cmpuint (summary->rows_rejected, ==, 0);
  g_assert_cmpuint (summary->debtors_new, ==, 2);
  g_assert_cmpuint (summary->cases_new, ==, 2);
  g_assert_cmpuint (summary->liabilities_new, ==, 4);
  g_assert_cmpuint (summary->phones_new, ==, 4);
  g_assert_cmpint (dd_import_summary_get_total (summary, "PLN"), ==, 123456 + 100000 + 9990 + 1000);

  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM debtor"), ==, 2);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM debt_case"), ==, 2);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM liability"), ==, 4);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM creditor"), ==, 1);

  /* The company: merged by NIP, with its own quoting intact. */
  name = dd_test_query_text (f->db, "SELECT name FROM debtor WHERE tax_id = '5260250995'");
  g_assert_cmpstr (name, ==, "Przedsiębiorstwo \"Słoneczko\" Sp. z o.o.");
  address = dd_test_query_text (f->db, "SELECT address FROM debtor WHERE tax_id = '5260250995'");
  g_assert_cmpstr (address, ==, "ul. Polna 1; 00-950 Warszawa");
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT balance_minor FROM debt_case c JOIN debtor d"
                                     " ON d.id = c.debtor_id WHERE d.tax_id = '5260250995'"),
                   ==, 223456);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM phone p JOIN debtor d"
                                     " ON d.id = p.debtor_id WHERE d.tax_id = '5260250995'"), ==, 2);
  g_assert_cmpint (dd_test_query_int (f->db,
                                      "SELECT COUNT(*) FROM phone WHERE e164 = '+48221234567'"
                                     " AND kind = 'landline'"), ==, 1);

  /* The person: no tax id, merged by name and phone, three distinct phones. */
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM phone p JOIN debtor d"
                                     " ON d.id = p.debtor_id WHERE d.name = 'Anna Nowak'"), ==, 2);
  e164 = dd_test_query_text (f->db, "SELECT e164 FROM phone WHERE e164 LIKE '+4860234%'");
  g_assert_cmpstr (e164, ==, "+48602345678");
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM phone WHERE kind = 'mobile'"),
                   ==, 3);
  due = dd_test_query_text (f->db,
                            "SELECT due_on FROM liability WHERE invoice_no = 'FV/2026/10/003'");
  g_assert_cmpstr (due, ==, "2026-10-20");

  /* History of balances starts with the import. */
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM balance_history"), ==, 2);
  g_assert_cmpint (dd_test_query_int (f->db,
                                      "SELECT COUNT(*) FROM import_run WHERE finished_at IS NOT NULL"),
                   ==, 1);
}

static void
test_russian_cp1251 (Fixture       *f,
                     gconstpointer  data)
{
  const char *csv =
    "Контрагент,ИНН,Телефон,Номер счёта,Дата выставления,Срок оплаты,Сумма,Кредитор\n"
    "ООО \"Ромашка\",7707083893,+7 916 123-45-67,СЧ-000123,01.10.2026,31.10.2026,\"1 234,56 ₽\",ЖКХ Сервис\n"
    "Иванова Мария Петровна,,8 (926) 765-43-21,СЧ-000124,02.10.2026,01.11.2026,\"500,00\",ЖКХ Сервис\n"
    "Иванова Мария Петровна,,8 (926) 765-43-21,СЧ-000125,02.10.2026,01.11.2026,\"250,00\",Страховая\n";
  g_autoptr(GFile) file = NULL;
  g_autoptr(DdImportSummary) summary = NULL;
  g_autofree char *name = NULL;
  DdImportOptions options;

  /* The Ruble sign has no place in windows-1251: write it as "руб." there. */
  g_auto(GStrv) parts = g_strsplit (csv, "₽", -1);
  g_autofree char *cp1251_text = g_strjoinv ("руб.", parts);
  file = write_csv (f, "ru.csv", cp1251_text, "windows-1251");

  dd_import_options_init (&options);
  options.country = "RU";
  summary = import (f, file, &options);

  g_assert_cmpstr (summary->encoding, ==, "windows-1251");
  g_assert_cmpint (summary->delimiter, ==, ',');
  g_assert_cmpuint (summary->rows_imported, ==, 3);
  g_assert_cmpuint (summary->debtors_new, ==, 2);
  g_assert_cmpuint (summary->cases_new, ==, 3);
  g_assert_cmpint (dd_import_summary_get_total (summary, "RUB"), ==, 123456 + 50000 + 25000);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM creditor"), ==, 2);

  name = dd_test_query_text (f->db, "SELECT name FROM debtor WHERE tax_id = '7707083893'");
  g_assert_cmpstr (name, ==, "ООО \"Ромашка\"");
  g_assert_cmpint (dd_test_query_int (f->db,
                                      "SELECT COUNT(*) FROM phone WHERE e164 = '+79267654321'"), ==, 1);
  g_assert_cmpint (dd_test_query_int (f->db,
                                      "SELECT COUNT(*) FROM debt_case WHERE currency = 'RUB'"), ==, 3);
}

static void
test_rejects (Fixture       *f,
              gconstpointer  data)
{
  const char *csv =
    "Kontrahent;NIP;Telefon;Nr faktury;Termin płatności;Kwota\n"
    "Jan Kowalski;;601 234 567;A/1;15.10.2026;100,00\n"        /* row 2: fine */
    "Jan Kowalski;;601 234 567;;15.10.2026;100,00\n"           /* 3: no invoice */
    "Jan Kowalski;;601 234 567;A/3;15.10.2026;sto złotych\n"   /* 4: bad amount */
    "Jan Kowalski;;601 234 567;A/4;31.02.2026;100,00\n"        /* 5: impossible date */
    "Jan Kowalski;;601 234 567;A/5;15.10.2026\n"               /* 6: ragged */
    "Jan Kowalski;;601 234 567;A/1;15.10.2026;100,00\n"        /* 7: duplicate of row 2 */
    ";;601 234 567;A/7;15.10.2026;100,00\n"                    /* 8: no name */
    "Ewa Zielińska;1234567890;12 34;B/1;15.10.2026;50,00\n"    /* 9: bad NIP, bad phone: warnings */
    "Jan Kowalski;;601 234 567;A/9;15.10.2026;-20,00\n";       /* 10: credit note: warning */
  g_autoptr(GFile) file = write_csv (f, "rejects.csv", csv, NULL);
  g_autofree char *rejects_path = g_build_filename (f->dir, "rejects-out.csv", NULL);
  g_autoptr(GFile) rejects_file = g_file_new_for_path (rejects_path);
  g_autoptr(GFileOutputStream) rejects = NULL;
  g_autoptr(DdImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rejects_text = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const DdImportIssue *issue;
  DdImportOptions options;
  JsonObject *root;

  rejects = g_file_replace (rejects_file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  dd_import_options_init (&options);
  options.rejects = G_OUTPUT_STREAM (rejects);
  summary = import (f, file, &options);
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (rejects), NULL, &error));

  g_assert_cmpuint (summary->rows_read, ==, 9);
  g_assert_cmpuint (summary->rows_rejected, ==, 6);
  g_assert_cmpuint (summary->rows_imported, ==, 3);
  g_assert_cmpuint (summary->rows_with_warnings, ==, 2);
  g_assert_cmpuint (summary->by_reason[DD_IMPORT_REASON_MISSING_INVOICE], ==, 1);
  g_assert_cmpuint (summary->by_reason[DD_IMPORT_REASON_INVALID_AMOUNT], ==, 1);
  g_assert_cmpuint (summary->by_reason[DD_IMPORT_REASON_INVALID_DUE_DATE], ==, 1);
  g_assert_cmpuint (summary->by_reason[DD_IMPORT_REASON_RAGGED_ROW], ==, 1);
  g_assert_cmpuint (summary->by_reason[DD_IMPORT_REASON_DUPLICATE_INVOICE], ==, 1);
  g_assert_cmpuint (summary->by_reason[DD_IMPORT_REASON_MISSING_NAME], ==, 1);
  g_assert_cmpuint (summary->by_reason[DD_IMPORT_REASON_INVALID_TAX_ID], ==, 1);
  g_assert_cmpuint (summary->by_reason[DD_IMPORT_REASON_INVALID_PHONE], ==, 1);
  g_assert_cmpuint (summary->by_reason[DD_IMPORT_REASON_NO_PHONE], ==, 1);
  g_assert_cmpuint (summary->by_reason[DD_IMPORT_REASON_NEGATIVE_AMOUNT], ==, 1);

  /* Each issue names its row, line and column. */
  issue = find_issue (summary, 4, DD_IMPORT_REASON_INVALID_AMOUNT);
  g_assert_cmpint (issue->column, ==, 5);
  g_assert_cmpuint (issue->line, ==, 4);
  g_assert_nonnull (strstr (issue->detail, "sto złotych"));
  issue = find_issue (summary, 5, DD_IMPORT_REASON_INVALID_DUE_DATE);
  g_assert_cmpint (issue->column, ==, 4);
  issue = find_issue (summary, 9, DD_IMPORT_REASON_INVALID_PHONE);
  g_assert_cmpint (issue->column, ==, 2);
  {
    g_autofree char *line = dd_import_issue_to_string (summary, issue);
    g_assert_nonnull (strstr (line, "Row 9"));
    g_assert_nonnull (strstr (line, "“Telefon”"));
  }

  /* Only good rows reached the database: A/1, B/1, A/9. */
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM liability"), ==, 3);
  g_assert_cmpint (dd_test_query_int (f->db,
                                      "SELECT amount_minor FROM liability WHERE invoice_no = 'A/1'"),
                   ==, 10000);

  /* The reject file is CSV a clerk can fix and import again: one line per problem row,
   * with the original fields after the explanation. */
  g_assert_true (g_file_get_contents (rejects_path, &rejects_text, NULL, NULL));
  {
    g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (rejects_text, -1, NULL);
    g_autoptr(DdCsvReader) reader = dd_csv_reader_new (in, DD_CSV_ENCODING_UTF8, ';');
    guint n = 0;

    g_assert_true (dd_csv_reader_next (reader, NULL, &error));
    g_assert_cmpstr (dd_csv_reader_get_field (reader, 0), ==, "Row");
    g_assert_cmpstr (dd_csv_reader_get_field (reader, 5), ==, "Kontrahent");
    while (dd_csv_reader_next (reader, NULL, &error))
      {
        n++;
        if (g_str_equal (dd_csv_reader_get_field (reader, 0), "4"))
          {
            g_assert_cmpstr (dd_csv_reader_get_field (reader, 2), ==, "rejected");
            g_assert_cmpstr (dd_csv_reader_get_field (reader, 3), ==, "Kwota");
            g_assert_cmpstr (dd_csv_reader_get_field (reader, 10), ==, "sto złotych");
          }
        if (g_str_equal (dd_csv_reader_get_field (reader, 0), "9"))
          g_assert_cmpstr (dd_csv_reader_get_field (reader, 2), ==, "imported with warnings");
      }
    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 8);   /* 6 rejected + 2 with warnings */
  }

  /* The JSON summary carries the same counts for scripts. */
  json = dd_import_summary_to_json (summary, FALSE);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "rows"),
                                               "rejected"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "rejected"),
                                               "invalid-amount"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "warnings"),
                                               "invalid-phone"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "outstanding"),
                                               "PLN"), ==, 10000 + 5000 - 2000);
  g_assert_cmpstr (json_object_get_string_member (root, "encoding"), ==, "UTF-8");
  g_assert_cmpstr (json_object_get_string_member (root, "delimiter"), ==, ";");
}

static void
test_failure_leaves_database_unchanged (Fixture       *f,
                                        gconstpointer  data)
{
  /* Good rows, then a quote that never closes: the whole import is undone. */
  const char *csv =
    "Kontrahent;Telefon;Nr faktury;Termin płatności;Kwota\n"
    "Jan Kowalski;601234567;A/1;15.10.2026;100,00\n"
    "Anna Nowak;602345678;A/2;15.10.2026;100,00\n"
    "\"Piotr Wiśniewski;603456789;A/3;15.10.2026;100,00\n";
  g_autoptr(GFile) file = write_csv (f, "broken.csv", csv, NULL);
  g_autoptr(GError) error = NULL;
  DdImportSummary *summary;

  summary = dd_importer_run (f->importer, file, NULL, NULL, NULL, NULL, &error);
  g_assert_null (summary);
  g_assert_error (error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_READ);
  g_assert_nonnull (strstr (error->message, "nothing was imported"));

  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM debtor"), ==, 0);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM liability"), ==, 0);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM import_run"), ==, 0);
  g_assert_false (dd_database_in_transaction (f->db));
}

static void
cancel_on_progress (guint64  bytes_read,
                    guint64  bytes_total,
                    guint64  rows,
                    gpointer user_data)
{
  if (rows >= 2000)
    g_cancellable_cancel (user_data);
}

static GFile *
write_demo (Fixture    *f,
            const char *name,
            const char *locale,
            const char *encoding,
            guint       n_debtors,
            guint       max_rows,
            double      error_rate)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  GFile *file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  DdDemoOfficeOptions demo = { 0 };

  demo.n_debtors = n_debtors;
  demo.locale = locale;
  demo.seed = 42;
  demo.encoding = encoding;
  demo.error_rate = error_rate;
  demo.max_rows = max_rows;
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dd_demo_office_write_csv (G_OUTPUT_STREAM (out), &demo, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error));
  return file;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GFile) file = write_demo (f, "cancel.csv", "pl", NULL, 3000, 3000, 0.0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  DdImportSummary *summary;

  summary = dd_importer_run (f->importer, file, NULL, cancellable, cancel_on_progress,
                             cancellable, &error);
  g_assert_null (summary);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM debtor"), ==, 0);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM debt_case"), ==, 0);
}

static void
test_reimport_next_month (Fixture       *f,
                          gconstpointer  data)
{
  const char *october =
    "Kontrahent;NIP;Telefon;Nr faktury;Termin płatności;Kwota\n"
    "Firma A;5260250995;601234567;A/1;15.10.2026;100,00\n"
    "Firma A;5260250995;601234567;A/2;20.10.2026;200,00\n"
    "Firma B;7740001454;602345678;B/1;15.10.2026;300,00\n";
  /* November: A/1 paid (gone), A/2 partly paid, B/1 unchanged, a new invoice for B. */
  const char *november =
    "Kontrahent;NIP;Telefon;Nr faktury;Termin płatności;Kwota\n"
    "Firma A;5260250995;601234567;A/2;20.10.2026;150,00\n"
    "Firma B;7740001454;602345678;B/1;15.10.2026;300,00\n"
    "Firma B;7740001454;602345678;B/2;15.11.2026;50,00\n";
  g_autoptr(GFile) f1 = write_csv (f, "october.csv", october, NULL);
  g_autoptr(GFile) f2 = write_csv (f, "november.csv", november, NULL);
  g_autoptr(DdImportSummary) s1 = NULL;
  g_autoptr(DdImportSummary) s2 = NULL;
  g_autoptr(DdImportSummary) s3 = NULL;
  DdImportOptions options;

  dd_import_options_init (&options);
  s1 = import (f, f1, &options);
  g_assert_cmpuint (s1->liabilities_new, ==, 3);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT SUM(balance_minor) FROM debt_case"), ==,
                   60000);

  options.mark_missing_paid = TRUE;
  s2 = import (f, f2, &options);
  g_assert_cmpuint (s2->debtors_new, ==, 0);
  g_assert_cmpuint (s2->debtors_updated, ==, 2);
  g_assert_cmpuint (s2->cases_new, ==, 0);
  g_assert_cmpuint (s2->cases_updated, ==, 2);
  g_assert_cmpuint (s2->liabilities_new, ==, 1);
  g_assert_cmpuint (s2->liabilities_updated, ==, 1);
  g_assert_cmpuint (s2->liabilities_unchanged, ==, 1);
  g_assert_cmpuint (s2->liabilities_marked_paid, ==, 1);

  /* Nothing duplicated; balances follow the new export; history shows the change. */
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM debtor"), ==, 2);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM debt_case"), ==, 2);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM liability"), ==, 4);
  g_assert_cmpint (dd_test_query_int (f->db,
                                      "SELECT COUNT(*) FROM liability WHERE paid_at IS NOT NULL"
                                     " AND invoice_no = 'A/1'"), ==, 1);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT balance_minor FROM debt_case c JOIN debtor d"
                                     " ON d.id = c.debtor_id WHERE d.name = 'Firma A'"), ==, 15000);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT balance_minor FROM debt_case c JOIN debtor d"
                                     " ON d.id = c.debtor_id WHERE d.name = 'Firma B'"), ==, 35000);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM balance_history"), ==, 4);

  /* The same file again changes nothing. */
  s3 = import (f, f2, &options);
  g_assert_cmpuint (s3->liabilities_new, ==, 0);
  g_assert_cmpuint (s3->liabilities_updated, ==, 0);
  g_assert_cmpuint (s3->liabilities_unchanged, ==, 3);
  g_assert_cmpuint (s3->liabilities_marked_paid, ==, 0);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM balance_history"), ==, 4);
}

static void
test_reimport_without_marking (Fixture       *f,
                               gconstpointer  data)
{
  const char *one =
    "Kontrahent;Telefon;Nr faktury;Termin płatności;Kwota\n"
    "Jan Kowalski;601234567;A/1;15.10.2026;100,00\n"
    "Jan Kowalski;601234567;A/2;15.10.2026;100,00\n";
  const char *two =
    "Kontrahent;Telefon;Nr faktury;Termin płatności;Kwota\n"
    "Jan Kowalski;601234567;A/2;15.10.2026;100,00\n";
  g_autoptr(GFile) f1 = write_csv (f, "one.csv", one, NULL);
  g_autoptr(GFile) f2 = write_csv (f, "two.csv", two, NULL);
  g_autoptr(DdImportSummary) s1 = import (f, f1, NULL);
  g_autoptr(DdImportSummary) s2 = import (f, f2, NULL);

  g_assert_cmpuint (s2->liabilities_marked_paid, ==, 0);
  g_assert_cmpuint (s2->debtors_updated, ==, 1);
  g_assert_cmpint (dd_test_query_int (f->db,
                                      "SELECT COUNT(*) FROM liability WHERE paid_at IS NULL"), ==, 2);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT balance_minor FROM debt_case"), ==, 20000);
}

static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GFile) file = write_csv (f, "dry.csv", polish_csv, NULL);
  g_autoptr(DdImportSummary) summary = NULL;
  DdImportOptions options;

  dd_import_options_init (&options);
  options.dry_run = TRUE;
  summary = import (f, file, &options);
  g_assert_true (summary->dry_run);
  g_assert_cmpuint (summary->liabilities_new, ==, 4);
  g_assert_cmpuint (summary->debtors_new, ==, 2);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM debtor"), ==, 0);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM import_run"), ==, 0);
}

static void
test_presets (Fixture       *f,
              gconstpointer  data)
{
  /* Headers no guesser knows, mapped by hand and saved... */
  const char *csv =
    "Odbiorca;Dok.;Zapłacić do;Do zapłaty;Kom.\n"
    "Jan Kowalski;A/1;15.10.2026;100,00;601234567\n";
  const char *reordered =
    "Kom.;Do zapłaty;Odbiorca;Dok.;Zapłacić do\n"
    "602345678;50,00;Anna Nowak;B/1;15.10.2026\n";
  g_autoptr(GFile) f1 = write_csv (f, "p1.csv", csv, NULL);
  g_autoptr(GFile) f2 = write_csv (f, "p2.csv", reordered, NULL);
  g_autoptr(DdImportSummary) s1 = NULL;
  g_autoptr(DdImportSummary) s2 = NULL;
  g_autoptr(DdImportStore) store = dd_import_store_new (f->db);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  DdImportOptions options;
  DdColumnMap map;

  /* Without a mapping the import refuses, naming what is missing. */
  g_assert_null (dd_importer_run (f->importer, f1, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_MAPPING);
  g_assert_nonnull (strstr (error->message, "Invoice number"));
  g_clear_error (&error);

  dd_column_map_init (&map);
  map.column[DD_IMPORT_FIELD_DEBTOR_NAME] = 0;
  map.column[DD_IMPORT_FIELD_INVOICE] = 1;
  map.column[DD_IMPORT_FIELD_DUE_ON] = 2;
  map.column[DD_IMPORT_FIELD_AMOUNT] = 3;
  map.column[DD_IMPORT_FIELD_PHONE_1] = 4;
  dd_import_options_init (&options);
  options.mapping = &map;
  options.save_preset = "Księgowość XYZ";
  s1 = import (f, f1, &options);
  g_assert_cmpuint (s1->liabilities_new, ==, 1);

  names = dd_import_store_list_presets (store, &error);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "Księgowość XYZ");

  /* ...and applied to next month's export with the columns in another order. */
  dd_import_options_init (&options);
  options.preset = "Księgowość XYZ";
  s2 = import (f, f2, &options);
  g_assert_cmpuint (s2->liabilities_new, ==, 1);
  g_assert_cmpint (dd_test_query_int (f->db,
                                      "SELECT amount_minor FROM liability WHERE invoice_no = 'B/1'"),
                   ==, 5000);
  g_assert_cmpint (dd_test_query_int (f->db,
                                      "SELECT COUNT(*) FROM phone WHERE e164 = '+48602345678'"),
                   ==, 1);

  /* An unknown preset is a clear error. */
  options.preset = "Nie ma";
  g_assert_null (dd_importer_run (f->importer, f2, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_PRESET);
}

static void
test_preview (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GFile) file = write_csv (f, "preview.csv", polish_csv, "windows-1250");
  g_autoptr(DdImportPreview) preview = NULL;
  g_autoptr(GError) error = NULL;

  preview = dd_import_preview_file (file, NULL, 0, -1, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (preview->encoding, ==, "windows-1250");
  g_assert_true (preview->has_header);
  g_assert_cmpuint (preview->n_columns, ==, 10);
  g_assert_cmpstr (preview->headers[8], ==, "Termin płatności");
  g_assert_cmpuint (preview->rows->len, ==, 2);
  g_assert_cmpstr (((char **) preview->rows->pdata[0])[0], ==,
                   "Przedsiębiorstwo \"Słoneczko\" Sp. z o.o.");
  g_assert_cmpint (preview->guessed.column[DD_IMPORT_FIELD_DUE_ON], ==, 8);
}

static void
check_demo_import (Fixture    *f,
                   const char *locale,
                   const char *encoding,
                   const char *expected_encoding)
{
  g_autofree char *name = g_strdup_printf ("demo-%s.csv", locale);
  g_autoptr(GFile) file = write_demo (f, name, locale, encoding, 10000, 10000, 0.02);
  g_autoptr(DdImportSummary) summary = NULL;
  g_autoptr(DdCaseStore) cases = dd_case_store_new (f->db);
  g_autoptr(GError) error = NULL;
  DdImportOptions options;
  gint64 n_cases = 0;
  gint64 total_rows;

  dd_import_options_init (&options);
  options.country = g_str_equal (locale, "ru") ? "RU" : "PL";
  summary = import (f, file, &options);

  g_assert_cmpstr (summary->encoding, ==, expected_encoding);
  total_rows = (gint64) summary->rows_read;
  g_assert_cmpint (total_rows, ==, 10000);
  g_assert_cmpuint (summary->rows_imported + summary->rows_rejected, ==, summary->rows_read);
  /* About 2 % defective rows: rejected or imported with a warning, never silently lost. */
  g_assert_cmpuint (summary->rows_rejected + summary->rows_with_warnings, >, total_rows / 200);
  g_assert_cmpuint (summary->rows_rejected, <, total_rows / 10);
  /* 1–4 invoices per debtor. */
  g_assert_cmpuint (summary->debtors_new, >, 2500);
  g_assert_cmpuint (summary->debtors_new, <, 8000);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM debtor"), ==,
                   (gint64) summary->debtors_new);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM liability"), ==,
                   (gint64) summary->liabilities_new);
  g_assert_cmpuint (summary->liabilities_new, ==, summary->rows_imported);
  g_assert_true (dd_case_store_count (cases, &n_cases, NULL, &error));
  g_assert_cmpint (n_cases, ==, (gint64) summary->cases_new);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT SUM(balance_minor) FROM debt_case"), ==,
                   dd_import_summary_get_total (summary, g_str_equal (locale, "ru") ? "RUB" : "PLN"));
}

static void
test_demo_polish_cp1250 (Fixture       *f,
                         gconstpointer  data)
{
  check_demo_import (f, "pl", "windows-1250", "windows-1250");
}

static void
test_demo_russian_utf8 (Fixture       *f,
                        gconstpointer  data)
{
  check_demo_import (f, "ru", NULL, "UTF-8");
}

static void
test_demo_russian_cp1251 (Fixture       *f,
                          gconstpointer  data)
{
  check_demo_import (f, "ru", "windows-1251", "windows-1251");
}

typedef struct
{
  GMainLoop        *loop;
  DdImportSummary  *summary;
  GError           *error;
  guint             n_progress;
  GThread          *main_thread;
  GCancellable     *cancel_at_2000;
} AsyncState;

static void
on_async_progress (guint64  bytes_read,
                   guint64  bytes_total,
                   guint64  rows,
                   gpointer user_data)
{
  AsyncState *state = user_data;

  /* Progress arrives on the caller's main context, never in the worker thread. */
  g_assert_true (g_thread_self () == state->main_thread);
  g_assert_cmpuint (bytes_read, <=, bytes_total);
  state->n_progress++;
  if (state->cancel_at_2000 != NULL && rows >= 2000)
    g_cancellable_cancel (state->cancel_at_2000);
}

static void
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncState *state = user_data;

  g_assert_true (g_thread_self () == state->main_thread);
  state->summary = dd_importer_run_finish (DD_IMPORTER (source), result, &state->error);
  g_main_loop_quit (state->loop);
}

static void
wait_for_last_reference (gpointer object)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_atomic_int_get (&G_OBJECT (object)->ref_count) > 1 &&
         g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
  g_assert_cmpuint (g_atomic_int_get (&G_OBJECT (object)->ref_count), ==, 1);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GFile) file = write_demo (f, "async.csv", "pl", NULL, 5000, 5000, 0.0);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncState state = { loop, NULL, NULL, 0, g_thread_self (), NULL };
  DdImportOptions options;

  dd_import_options_init (&options);
  options.save_preset = g_strdup ("Eksport miesięczny");
  dd_importer_run_async (f->importer, file, &options, NULL, on_async_progress, &state, NULL,
                         on_async_done, &state);
  /* The options were copied: the caller may free them at once. */
  g_free ((char *) options.save_preset);
  g_main_loop_run (loop);
  /* A last progress report may still be queued, and the worker thread may not have dropped
   * its reference yet: both hold the task, which holds the importer. */
  wait_for_last_reference (f->importer);

  g_assert_no_error (state.error);
  g_assert_nonnull (state.summary);
  g_assert_cmpuint (state.summary->rows_imported, ==, 5000);
  g_assert_cmpuint (state.n_progress, >=, 1);
  /* Written through the worker's own connection, visible through ours. */
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM liability"), ==, 5000);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM import_preset"
                                     " WHERE name = 'Eksport miesięczny'"), ==, 1);
  dd_import_summary_free (state.summary);
}

static void
test_async_cancel (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GFile) file = write_demo (f, "async-cancel.csv", "pl", NULL, 20000, 20000, 0.0);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncState state = { loop, NULL, NULL, 0, g_thread_self (), cancellable };

  dd_importer_run_async (f->importer, file, NULL, cancellable, on_async_progress, &state, NULL,
                         on_async_done, &state);
  g_main_loop_run (loop);
  wait_for_last_reference (f->importer);

  g_assert_null (state.summary);
  g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&state.error);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM liability"), ==, 0);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM debtor"), ==, 0);
}

/* Switches the messages to @language with the catalogs of this build; FALSE when they are
 * not built. */
static gboolean
use_language (const char *language)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *mo = g_build_filename (dir, "pl", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    return FALSE;
  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  if (language != NULL)
    g_setenv ("LANGUAGE", language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "");   /* and forgets the translations looked up so far */
  return TRUE;
}

/* Rows without a creditor belong to the office's own receivables: one creditor, stored under
 * the same key whatever the language of the import, shown in the user's language. */
static void
test_own_receivables_any_language (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GFile) pl = write_csv (f, "pl.csv",
                                   "Dłużnik;Faktura;Termin płatności;Kwota\n"
                                   "Jan Nowak;FV/1/2026;2026-10-01;100,00\n", NULL);
  g_autoptr(GFile) ru = write_csv (f, "ru.csv",
                                   "Должник;Номер счёта;Срок оплаты;Сумма\n"
                                   "Иван Петров;СЧ-1;2026-10-01;100,00\n", NULL);
  g_autoptr(DdImportSummary) first = NULL;
  g_autoptr(DdImportSummary) second = NULL;
  g_autofree char *stored = NULL;
  DdImportOptions options;

  if (!use_language ("pl") || g_strcmp0 (_("Own receivables"), "Own receivables") == 0)
    {
      use_language (NULL);
      g_test_skip ("the Polish catalog of this build is not there");
      return;
    }

  /* the first import in Polish */
  dd_import_options_init (&options);
  options.country = "PL";
  first = import (f, pl, &options);
  g_assert_cmpuint (first->rows_imported, ==, 1);
  stored = dd_test_query_text (f->db, "SELECT name FROM creditor");
  g_assert_cmpstr (stored, ==, DD_CREDITOR_OWN_RECEIVABLES);
  g_assert_cmpstr (dd_creditor_display_name (stored), ==, "Należności własne");

  /* the next in Russian: the same creditor, read in Russian */
  use_language ("ru");
  options.country = "RU";
  second = import (f, ru, &options);
  g_assert_cmpuint (second->rows_imported, ==, 1);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM creditor"), ==, 1);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(DISTINCT creditor_id) FROM debt_case"),
                   ==, 1);
  g_assert_cmpstr (dd_creditor_display_name (stored), ==,
                   "Собственная дебиторская задолженность");
  g_assert_cmpstr (dd_creditor_display_name ("Wodociągi"), ==, "Wodociągi");

  use_language (NULL);
}

/* Issue 14, speed: rows are read and checked in a second thread while this one writes, in
 * batches. Many batches: the rows and their problems come out in file order, each problem
 * with its row and line, and the rejects file lists exactly the rows with problems; a file
 * that breaks after thousands of rows leaves nothing behind. */
static void
test_pipeline_order (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GFile) file = write_demo (f, "pipeline.csv", "pl", NULL, 6000, 6000, 0.03);
  g_autofree char *rejects_path = g_build_filename (f->dir, "rejects.csv", NULL);
  g_autoptr(GFile) rejects_file = g_file_new_for_path (rejects_path);
  g_autoptr(GFileOutputStream) rejects = NULL;
  g_autoptr(DdImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) broken = g_string_new (NULL);
  g_autoptr(GFile) broken_file = NULL;
  DdImportOptions options;
  guint64 previous = 0, rows_with_issues = 0;

  rejects = g_file_replace (rejects_file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  dd_import_options_init (&options);
  options.country = "PL";
  options.rejects = G_OUTPUT_STREAM (rejects);
  summary = import (f, file, &options);
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (rejects), NULL, &error));

  g_assert_cmpuint (summary->rows_read, ==, 6000);
  g_assert_cmpuint (summary->rows_imported + summary->rows_rejected, ==, 6000);
  g_assert_cmpuint (summary->issues->len, >, 60);
  for (guint i = 0; i < summary->issues->len; i++)
    {
      const DdImportIssue *issue = &g_array_index (summary->issues, DdImportIssue, i);

      g_assert_cmpuint (issue->row, >=, previous);
      g_assert_cmpuint (issue->line, >=, issue->row);
      if (issue->row != previous)
        rows_with_issues++;
      previous = issue->row;
    }
  g_assert_cmpuint (rows_with_issues, ==, summary->rows_rejected + summary->rows_with_warnings);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM liability"), ==,
                   (gint64) summary->rows_imported);

  g_assert_true (g_file_get_contents (rejects_path, &contents, NULL, &error));
  lines = g_strsplit (contents, "\r\n", -1);
  /* a header, one line per row with problems, and the empty string after the last CRLF */
  g_assert_cmpuint (g_strv_length (lines), ==, rows_with_issues + 2);
  previous = 0;
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      guint64 row = g_ascii_strtoull (lines[i], NULL, 10);

      g_assert_cmpuint (row, >, previous);
      previous = row;
    }

  /* the same file, cut by a quote that never closes: nothing of it stays */
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_load_contents (file, NULL, &contents, NULL, NULL, &error));
  g_string_append (broken, contents);
  g_string_append (broken, "\"Unterminated;601234567;X/1;15.10.2026;1,00\n");
  broken_file = write_csv (f, "broken-late.csv", broken->str, NULL);
  {
    g_autoptr(DdImporter) importer = dd_importer_new (f->db);
    g_autoptr(GError) broken_error = NULL;
    gint64 before = dd_test_query_int (f->db, "SELECT COUNT(*) FROM liability");
    DdImportSummary *none;

    none = dd_importer_run (importer, broken_file, NULL, NULL, NULL, NULL, &broken_error);
    g_assert_null (none);
    g_assert_error (broken_error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_READ);
    g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM liability"), ==, before);
    g_assert_false (dd_database_in_transaction (f->db));
  }
}

static gint64
count_list_indexes (Fixture *f)
{
  return dd_test_query_int (f->db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'"
                           " AND tbl_name = 'debt_case' AND name LIKE 'debt_case_%'"
                           " AND sql IS NOT NULL");
}

typedef struct
{
  Fixture *f;
  gint64   min_indexes;
} IndexWatch;

/* Called between rows, inside the import's transaction: the indexes as the rows go in. */
static void
watch_indexes (guint64  bytes_read,
               guint64  bytes_total,
               guint64  rows,
               gpointer user_data)
{
  IndexWatch *watch = user_data;

  watch->min_indexes = MIN (watch->min_indexes, count_list_indexes (watch->f));
}

/* Issue 14, speed: a file that brings most of the office's cases goes in without the cases
 * list's indexes, which are built once at the end; a large file that fails keeps them, and
 * the next import (small) still works. */
static void
test_bulk_indexes (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GFile) file = write_demo (f, "bulk.csv", "pl", NULL, 14000, 14000, 0.0);
  g_autoptr(GFile) broken_file = NULL;
  g_autoptr(GFile) small_file = NULL;
  g_autoptr(DdImportSummary) summary = NULL;
  g_autoptr(DdImportSummary) small = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) broken = g_string_new (NULL);
  g_autofree char *contents = NULL;
  gint64 n_indexes = count_list_indexes (f);
  IndexWatch watch = { f, G_MAXINT64 };
  DdImportOptions options;

  g_assert_cmpint (n_indexes, >=, 9);
  g_assert_true (g_file_load_contents (file, NULL, &contents, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (contents), >=, 10000 * 200);
  g_string_append (broken, contents);
  g_string_append (broken, "\"Unterminated;601234567;X/1;15.10.2026;1,00\n");
  broken_file = write_csv (f, "bulk-broken.csv", broken->str, NULL);

  dd_import_options_init (&options);
  options.country = "PL";
  g_assert_null (dd_importer_run (f->importer, broken_file, &options, NULL, watch_indexes, &watch,
                                  &error));
  g_assert_cmpint (watch.min_indexes, ==, 0);
  g_assert_error (error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_READ);
  g_clear_error (&error);
  g_assert_cmpint (count_list_indexes (f), ==, n_indexes);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM debt_case"), ==, 0);

  /* a small import after it: the indexes are not built twice */
  small_file = write_csv (f, "small.csv", polish_csv, NULL);
  watch.min_indexes = G_MAXINT64;
  small = dd_importer_run (f->importer, small_file, &options, NULL, watch_indexes, &watch, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (small->liabilities_new, ==, 4);
  g_assert_cmpint (watch.min_indexes, ==, n_indexes);
  g_assert_cmpint (count_list_indexes (f), ==, n_indexes);

  watch.min_indexes = G_MAXINT64;
  summary = dd_importer_run (f->importer, file, &options, NULL, watch_indexes, &watch, &error);
  g_assert_no_error (error);
  g_assert_cmpint (watch.min_indexes, ==, 0);
  g_assert_cmpuint (summary->rows_imported, ==, 14000);
  g_assert_cmpint (count_list_indexes (f), ==, n_indexes);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM debt_case WHERE balance_minor > 0"), ==,
                   dd_test_query_int (f->db, "SELECT COUNT(*) FROM debt_case"));
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM debt_case INDEXED BY debt_case_balance"
                                     " WHERE balance_minor > 0"), ==,
                   dd_test_query_int (f->db, "SELECT COUNT(*) FROM debt_case"));
}

/* Issue 14, speed: in a large file, a new number another debtor has already (in the office or
 * earlier in the file) is found through a filter of the office's numbers, not one look-up a
 * number; the warnings are exactly those of the look-ups. Phone cells repeated from the row
 * before are read once, a bad one too, and each row still has its own warning. */
static void
test_shared_phones_large (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GFile) small_file = write_csv (f, "small.csv", polish_csv, NULL);
  g_autoptr(GFile) demo_file = write_demo (f, "shared.csv", "pl", NULL, 3000, 3000, 0.0);
  g_autoptr(GFile) file = NULL;
  g_autoptr(DdImportSummary) small = NULL;
  g_autoptr(DdImportSummary) summary = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *sql = NULL;
  const char *eol;
  gint64 phones_before, expected;
  guint shared = 0;
  DdImportOptions options;

  dd_import_options_init (&options);
  options.country = "PL";
  small = import (f, small_file, &options);
  g_assert_cmpuint (small->phones_new, ==, 4);
  phones_before = dd_test_query_int (f->db, "SELECT MAX(id) FROM phone");

  g_assert_true (g_file_load_contents (demo_file, NULL, &contents, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (contents), >=, 1000 * 200);   /* large enough for the filter */
  eol = strstr (contents, "\r\n") != NULL ? "\r\n" : "\n";
  g_string_append (text, contents);
  /* rows 3002 and 3003 (the header is row 1): the first import's numbers, for new debtors */
  g_string_append_printf (text, "Zieliński Tomasz;;ul. Krótka 1, 00-001 Warszawa;601 234 567;;;;"
                          "T/1/2026;2026-10-01;2026-10-31;10,00;PLN%s", eol);
  g_string_append_printf (text, "Wójcik Ewa;;ul. Długa 2, 00-002 Warszawa;;603-456-789;;;"
                          "T/2/2026;2026-10-01;2026-10-31;20,00;PLN%s", eol);
  /* rows 3004 and 3005: one debtor, the same bad number in both rows */
  for (guint i = 0; i < 2; i++)
    g_string_append_printf (text, "Mazur Piotr;;ul. Wąska 3, 00-003 Warszawa;12 34;"
                            "604 111 222;;;T/%u/2026;2026-10-01;2026-10-31;30,00;PLN%s", 3 + i, eol);
  file = write_csv (f, "shared-more.csv", text->str, NULL);

  summary = import (f, file, &options);
  g_assert_cmpuint (summary->rows_read, ==, 3004);
  g_assert_cmpuint (summary->rows_rejected, ==, 0);
  find_issue (summary, 3002, DD_IMPORT_REASON_SHARED_PHONE);
  find_issue (summary, 3003, DD_IMPORT_REASON_SHARED_PHONE);
  g_assert_cmpstr (find_issue (summary, 3004, DD_IMPORT_REASON_INVALID_PHONE)->detail, ==,
                   find_issue (summary, 3005, DD_IMPORT_REASON_INVALID_PHONE)->detail);
  g_assert_nonnull (strstr (find_issue (summary, 3005, DD_IMPORT_REASON_INVALID_PHONE)->detail,
                            "12 34"));

  /* what one look-up a new number finds: a row of another debtor written before it */
  sql = g_strdup_printf ("SELECT COUNT(*) FROM phone p WHERE p.id > %" G_GINT64_FORMAT
                         " AND EXISTS (SELECT 1 FROM phone q WHERE q.e164 = p.e164"
                         "  AND q.debtor_id <> p.debtor_id AND q.id < p.id)", phones_before);
  expected = dd_test_query_int (f->db, sql);
  for (guint i = 0; i < summary->issues->len; i++)
    shared += g_array_index (summary->issues, DdImportIssue, i).reason ==
              DD_IMPORT_REASON_SHARED_PHONE;
  g_assert_cmpint (expected, >=, 2);
  g_assert_cmpint (shared, ==, expected);
}

/* Issue 14: the exports as the accounting systems write them (tests/data/import). */
static GFile *
export_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "import", name, NULL);

  return g_file_new_for_path (path);
}

/* Windows-1250, "Kwota brutto" and "Pozostało do zapłaty": the debt is what remains; the row
 * whose remaining amount is "do ustalenia" is rejected, naming its line and column. */
static void
test_polish_export_remaining (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GFile) file = export_file ("naleznosci-cp1250.csv");
  g_autoptr(DdImportSummary) summary = NULL;
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;
  const DdImportIssue *issue;
  DdImportOptions options;
  gint64 gross = 0;

  dd_import_options_init (&options);
  options.country = "PL";
  summary = import (f, file, &options);

  g_assert_cmpstr (summary->encoding, ==, "windows-1250");
  g_assert_cmpint (summary->mapping.column[DD_IMPORT_FIELD_AMOUNT], ==, 8);
  g_assert_cmpint (summary->mapping.column[DD_IMPORT_FIELD_TOTAL], ==, 7);
  g_assert_cmpuint (summary->rows_read, ==, 8);
  g_assert_cmpuint (summary->rows_imported, ==, 7);
  g_assert_cmpuint (summary->rows_rejected, ==, 1);

  /* 12 300 + 1 920 + 615 + 460 + 230,50 + 369 + 1 075: what is owed, not the gross */
  g_assert_cmpint (dd_import_summary_get_total (summary, "PLN"), ==, 1696950);
  g_assert_true (dd_import_summary_get_column_total (summary, DD_IMPORT_FIELD_TOTAL, "PLN",
                                                    &gross));
  g_assert_cmpint (gross, ==, 2496900);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT SUM(balance_minor) FROM debt_case"), ==, 1696950);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT amount_minor FROM liability "
                                     "WHERE invoice_no = 'FV/2026/09/0006'"), ==, 23050);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM liability "
                                     "WHERE invoice_no = 'FV/2026/09/0005'"), ==, 0);

  issue = find_issue (summary, 6, DD_IMPORT_REASON_INVALID_AMOUNT);
  g_assert_cmpint (issue->line, ==, 6);
  g_assert_cmpint (issue->column, ==, 8);
  message = dd_import_issue_to_string (summary, issue);
  g_assert_nonnull (strstr (message, "line 6"));
  g_assert_nonnull (strstr (message, "Pozostało do zapłaty"));
  g_assert_nonnull (strstr (message, "do ustalenia"));

  text = dd_import_summary_to_text (summary, 10);
  g_assert_nonnull (strstr (text, "Debt taken from column “Pozostało do zapłaty”: PLN"));
  g_assert_nonnull (strstr (text, "16,969.50"));
  g_assert_nonnull (strstr (text, "Invoice total, column “Kwota brutto”: PLN"));
  g_assert_nonnull (strstr (text, "24,969.00"));
}

/* The same export saved from a spreadsheet report: a title, the report's date and a blank row
 * above the table, a totals row under it. The table is found under the title (the mapping and
 * the debt as without it), the lines keep their numbers in the file, and the totals row is
 * reported, not taken as a debtor. */
static void
test_report_title (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GFile) file = export_file ("zestawienie-cp1250.csv");
  g_autoptr(DdImportSummary) summary = NULL;
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;
  const DdImportIssue *issue;
  DdImportOptions options;

  dd_import_options_init (&options);
  options.country = "PL";
  summary = import (f, file, &options);

  g_assert_cmpuint (summary->skip_records, ==, 3);
  g_assert_cmpuint (summary->table_line, ==, 4);
  g_assert_true (summary->has_header);
  g_assert_cmpint (summary->mapping.column[DD_IMPORT_FIELD_AMOUNT], ==, 8);
  g_assert_cmpint (summary->mapping.column[DD_IMPORT_FIELD_TOTAL], ==, 7);
  g_assert_cmpuint (summary->rows_read, ==, 9);
  g_assert_cmpuint (summary->rows_imported, ==, 7);
  g_assert_cmpuint (summary->rows_rejected, ==, 2);
  g_assert_cmpint (dd_import_summary_get_total (summary, "PLN"), ==, 1696950);
  /* the totals row is said to be one, on its line, and nothing else is said of it */
  issue = find_issue (summary, 13, DD_IMPORT_REASON_TOTALS_ROW);
  g_assert_cmpint (issue->line, ==, 13);
  g_assert_cmpuint (dd_import_summary_count_severity (summary, DD_IMPORT_SEVERITY_REJECTED),
                    ==, 2);
  for (guint i = 0; i < summary->issues->len; i++)
    g_assert_true (g_array_index (summary->issues, DdImportIssue, i).row != 13 ||
                   g_array_index (summary->issues, DdImportIssue, i).reason ==
                   DD_IMPORT_REASON_TOTALS_ROW);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM debtor"), ==, 7);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM debtor"
                                     " WHERE name LIKE 'Razem%' OR name LIKE 'Zestawienie%'"),
                   ==, 0);

  /* "do ustalenia": row and line 9 of the file, as the spreadsheet numbers them */
  issue = find_issue (summary, 9, DD_IMPORT_REASON_INVALID_AMOUNT);
  g_assert_cmpint (issue->line, ==, 9);

  text = dd_import_summary_to_text (summary, 10);
  g_assert_nonnull (strstr (text, "The table starts on line 4"));
  json = dd_import_summary_to_json (summary, FALSE);
  g_assert_nonnull (strstr (json, "\"title_lines\":3"));
}

/* Only a total and a paid column: the debt is their difference. */
static void
test_total_minus_paid (Fixture       *f,
                       gconstpointer  data)
{
  const char *csv =
    "Klient;Faktura;Termin;Wartość brutto;Zapłacono\n"
    "Jan Kowalski;F/1;2026-10-01;1 000,00;250,00\n"
    "Jan Kowalski;F/2;2026-10-02;500,00;\n"
    "Ewa Nowak;F/3;2026-10-03;300,00;300,00\n"
    "Ewa Nowak;F/4;2026-10-04;200,00;dwieście\n";
  g_autoptr(GFile) file = write_csv (f, "paid.csv", csv, NULL);
  g_autoptr(DdImportSummary) summary = NULL;
  g_autofree char *text = NULL;
  DdImportOptions options;
  gint64 paid = 0;

  dd_import_options_init (&options);
  options.country = "PL";
  summary = import (f, file, &options);
  g_assert_cmpint (dd_column_map_get_debt_source (&summary->mapping), ==,
                   DD_DEBT_SOURCE_TOTAL_MINUS_PAID);
  g_assert_cmpuint (summary->rows_imported, ==, 3);
  g_assert_cmpuint (summary->rows_rejected, ==, 1);
  find_issue (summary, 5, DD_IMPORT_REASON_INVALID_AMOUNT);
  g_assert_cmpint (dd_import_summary_get_total (summary, "PLN"), ==, 75000 + 50000 + 0);
  g_assert_true (dd_import_summary_get_column_total (summary, DD_IMPORT_FIELD_PAID, "PLN", &paid));
  g_assert_cmpint (paid, ==, 25000 + 30000);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT amount_minor FROM liability WHERE invoice_no = 'F/1'"),
                   ==, 75000);

  text = dd_import_summary_to_text (summary, 10);
  g_assert_nonnull (strstr (text, "Debt computed as column “Wartość brutto” minus column "
                                  "“Zapłacono”"));
}

/* Windows-1251 1C export into a new office (no country yet): the file is Russian, so the
 * amounts are roubles and "8 900 …" and "+7 (9xx) …" are valid mobiles. */
static void
test_russian_1c_new_office (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GFile) file = export_file ("1c-zadolzhennost-cp1251.csv");
  g_autoptr(DdImportSummary) summary = NULL;
  DdImportOptions options;

  dd_import_options_init (&options);
  summary = import (f, file, &options);

  g_assert_cmpstr (summary->encoding, ==, "windows-1251");
  g_assert_cmpstr (summary->file_country, ==, "RU");
  g_assert_cmpstr (summary->country, ==, "RU");
  g_assert_true (summary->country_from_file);
  g_assert_cmpint (summary->mapping.column[DD_IMPORT_FIELD_AMOUNT], ==, 5);
  g_assert_cmpuint (summary->rows_imported, ==, 12);
  g_assert_cmpuint (summary->by_reason[DD_IMPORT_REASON_INVALID_PHONE], ==, 0);
  g_assert_cmpint (dd_import_summary_get_total (summary, "RUB"), ==, 96296770);
  g_assert_cmpint (dd_import_summary_get_total (summary, "PLN"), ==, 0);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM debt_case WHERE currency = 'RUB'"),
                   ==, 12);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM phone WHERE e164 LIKE '+79%'"), ==, 12);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM phone WHERE e164 = '+79001234510'"),
                   ==, 1);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM phone WHERE e164 = '+79113456721'"),
                   ==, 1);
}

/* An office set to Poland keeps its country, and the summary says the file disagrees. */
static void
test_country_disagreement (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GFile) file = export_file ("1c-zadolzhennost-cp1251.csv");
  g_autoptr(DdImportSummary) summary = NULL;
  g_autofree char *warning = NULL;
  g_autofree char *text = NULL;
  DdImportOptions options;

  dd_import_options_init (&options);
  options.country = "PL";
  options.dry_run = TRUE;
  summary = import (f, file, &options);
  g_assert_cmpstr (summary->country, ==, "PL");
  g_assert_false (summary->country_from_file);
  warning = dd_import_summary_country_warning (summary);
  g_assert_nonnull (warning);
  g_assert_nonnull (strstr (warning, "RU"));
  text = dd_import_summary_to_text (summary, 0);
  g_assert_nonnull (strstr (text, warning));

  /* the Polish export in a Polish office: nothing to say */
  g_clear_pointer (&summary, dd_import_summary_free);
  g_clear_object (&file);
  file = export_file ("naleznosci-cp1250.csv");
  summary = import (f, file, &options);
  g_assert_cmpstr (summary->file_country, ==, "PL");
  g_assert_null (dd_import_summary_country_warning (summary));
}

/* A currency column per row: PLN and EUR in one file, totals per currency and column. */
static void
test_mixed_currencies (Fixture       *f,
                       gconstpointer  data)
{
  const char *csv =
    "Kontrahent;Nr faktury;Termin płatności;Kwota brutto;Pozostało do zapłaty;Waluta\n"
    "Jan Kowalski;F/1;2026-10-01;1 000,00;400,00;PLN\n"
    "Jan Kowalski;F/2;2026-10-02;200,00;200,00;EUR\n"
    "Ewa Nowak;F/3;2026-10-03;50,00;25,50;eur\n"
    "Ewa Nowak;F/4;2026-10-04;300,00;300,00;PLN\n";
  g_autoptr(GFile) file = write_csv (f, "mixed.csv", csv, NULL);
  g_autoptr(DdImportSummary) summary = NULL;
  DdImportOptions options;
  gint64 gross = 0;

  dd_import_options_init (&options);
  options.country = "PL";
  options.dry_run = TRUE;
  summary = import (f, file, &options);
  g_assert_cmpuint (summary->rows_imported, ==, 4);
  g_assert_cmpint (dd_import_summary_get_total (summary, "PLN"), ==, 70000);
  g_assert_cmpint (dd_import_summary_get_total (summary, "EUR"), ==, 22550);
  g_assert_true (dd_import_summary_get_column_total (summary, DD_IMPORT_FIELD_TOTAL, "EUR",
                                                    &gross));
  g_assert_cmpint (gross, ==, 25000);
}

/* Imports @file into @db (a second office's) with its own importer, the bulk path as @bulk. */
static DdImportSummary *
import_into (DdDatabase *db,
             GFile      *file,
             int         bulk)
{
  g_autoptr(DdImporter) importer = dd_importer_new (db);
  g_autoptr(GError) error = NULL;
  DdImportSummary *summary;
  DdImportOptions options;

  dd_import_options_init (&options);
  options.country = "PL";
  options.bulk = bulk;
  summary = dd_importer_run (importer, file, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (summary);
  return summary;
}

/* An office with history over three months: the first file imported (summaries kept by the
 * triggers), its history moved back one or two months and replayed through the triggers in
 * time order (a consistent summary), then later balances last month and at the start of this
 * one, for some cases above zero, for some at zero or below. */
static void
office_with_history (DdDatabase *db,
                     GFile      *first)
{
  g_autoptr(DdImportSummary) summary = import_into (db, first, -1);
  g_autoptr(GError) error = NULL;

  g_assert_true (dd_database_exec (db,
    "UPDATE balance_history SET recorded_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now',"
    " 'start of month', CASE WHEN case_id % 3 = 0 THEN '-1 months' ELSE '-2 months' END,"
    " '+' || (case_id % 20) || ' days');"
    "CREATE TEMP TABLE h AS SELECT * FROM balance_history;"
    "DELETE FROM balance_history; DELETE FROM report_roll; DELETE FROM report_roll_case;"
    "DELETE FROM report_summary_dirty;"
    "INSERT INTO balance_history SELECT * FROM h ORDER BY recorded_at, id;"
    "DROP TABLE h;"
    "INSERT INTO balance_history (case_id, balance_minor, currency, reason, recorded_at)"
    " SELECT id, CASE id % 3 WHEN 0 THEN balance_minor / 2 WHEN 1 THEN 0 ELSE -5 END, currency,"
    " 'test', strftime('%Y-%m-%dT%H:%M:%SZ', 'now', 'start of month', '-1 months', '+25 days')"
    " FROM debt_case WHERE id % 4 = 0 ORDER BY id;"
    "INSERT INTO balance_history (case_id, balance_minor, currency, reason, recorded_at)"
    " SELECT id, CASE id % 2 WHEN 0 THEN balance_minor * 2 ELSE 0 END, currency, 'test',"
    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now', 'start of month')"
    " FROM debt_case WHERE id % 5 = 0 ORDER BY id;", &error));
  g_assert_no_error (error);
}

/* The summary tables of schema 24 as text, to compare two offices (report_ageing without the
 * rows that only the triggers leave behind at zero; each case's last time as whether it is
 * that of its last history row, the two offices' imports run a second apart). */
static char *
dump_summaries (DdDatabase *db)
{
  g_autofree char *roll = dd_test_query_text (db,
    "SELECT group_concat(x, ' ') FROM (SELECT creditor_id || ',' || currency || ','"
    " || from_month || ',' || to_month || ',' || start_minor || ',' || rolled_minor AS x"
    " FROM report_roll ORDER BY creditor_id, currency, from_month, to_month)");
  g_autofree char *roll_case = dd_test_query_text (db,
    "SELECT group_concat(x, ' ') FROM (SELECT case_id || ',' || creditor_id || ','"
    " || (last_at = (SELECT MAX(h.recorded_at) FROM balance_history h"
    "                WHERE h.case_id = report_roll_case.case_id))"
    " || ',' || last_month || ',' || last_balance || ',' || last_currency || ','"
    " || COALESCE(prev_month, '-') || ',' || COALESCE(prev_balance, '-') || ','"
    " || COALESCE(prev_currency, '-') AS x FROM report_roll_case ORDER BY case_id)");
  g_autofree char *ageing = dd_test_query_text (db,
    "SELECT group_concat(x, ' ') FROM (SELECT due_on || ',' || creditor_id || ',' || currency"
    " || ',' || cases || ',' || balance_minor AS x FROM report_ageing"
    " WHERE cases <> 0 OR balance_minor <> 0 ORDER BY due_on, creditor_id, currency)");
  g_autofree char *dirty = dd_test_query_text (db,
    "SELECT group_concat(name, ' ') FROM (SELECT name FROM report_summary_dirty ORDER BY 1)");

  return g_strdup_printf ("roll: %s\ncases: %s\nageing: %s\ndirty: %s", roll, roll_case, ageing,
                          dirty ? dirty : "");
}

/* Issue 14, speed: a bulk import sets the summary triggers aside and sums the run's history
 * and the open balances in set statements at the end; the summaries are those the triggers
 * make row by row (the same office, the same files, the bulk path on and off), and the
 * triggers are back afterwards. */
static void
test_bulk_summaries (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(DdTestOffice) ref = dd_test_office_new ("importer-ref");
  g_autoptr(GFile) first = write_demo (f, "first.csv", "pl", NULL, 300, 300, 0.0);
  g_autoptr(GFile) second = write_demo (f, "second.csv", "pl", NULL, 300, 700, 0.0);
  g_autoptr(DdImportSummary) bulk = NULL;
  g_autoptr(DdImportSummary) rows = NULL;
  g_autofree char *bulk_dump = NULL, *rows_dump = NULL, *before = NULL, *ref_before = NULL;
  g_autofree char *triggers_before = NULL, *triggers_after = NULL;
  const char *triggers = "SELECT group_concat(name || sql, ' ') FROM (SELECT name, sql"
                         " FROM sqlite_master WHERE type = 'trigger' ORDER BY name)";

  office_with_history (f->db, first);
  office_with_history (ref->database, first);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM report_roll_case"
                                             " WHERE prev_month IS NOT NULL"), >, 20);
  before = dump_summaries (f->db);
  ref_before = dump_summaries (ref->database);
  g_assert_cmpstr (before, ==, ref_before);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM sqlite_master"
                                             " WHERE type = 'trigger' AND name IN"
                                             " ('report_ageing_insert', 'report_ageing_update',"
                                             " 'report_roll_insert')"), ==, 3);
  triggers_before = dd_test_query_text (f->db, triggers);

  bulk = import_into (f->db, second, 1);
  rows = import_into (ref->database, second, -1);
  g_assert_cmpuint (bulk->cases_new, ==, rows->cases_new);
  g_assert_cmpuint (bulk->liabilities_new, >, 200);
  g_assert_cmpuint (bulk->liabilities_new, ==, rows->liabilities_new);

  bulk_dump = dump_summaries (f->db);
  rows_dump = dump_summaries (ref->database);
  g_assert_cmpstr (bulk_dump, !=, before);
  g_assert_cmpstr (bulk_dump, ==, rows_dump);
  triggers_after = dd_test_query_text (f->db, triggers);
  g_assert_cmpstr (triggers_after, ==, triggers_before);
  g_clear_pointer (&bulk_dump, g_free);
  g_clear_pointer (&rows_dump, g_free);

  /* the triggers go on after it */
  g_assert_true (dd_database_exec (f->db, "UPDATE debt_case SET balance_minor = balance_minor + 1"
                                          " WHERE id % 7 = 0", NULL));
  g_assert_true (dd_database_exec (ref->database, "UPDATE debt_case SET balance_minor ="
                                                  " balance_minor + 1 WHERE id % 7 = 0", NULL));
  bulk_dump = dump_summaries (f->db);
  rows_dump = dump_summaries (ref->database);
  g_assert_cmpstr (bulk_dump, ==, rows_dump);
}

/* The same into new offices (no month-end balances before: the bulk path sums only the run's
 * own). */
static void
test_bulk_summaries_new_office (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(DdTestOffice) ref = dd_test_office_new ("importer-ref");
  g_autoptr(GFile) file = write_demo (f, "first.csv", "pl", NULL, 300, 700, 0.0);
  g_autoptr(DdImportSummary) bulk = import_into (f->db, file, 1);
  g_autoptr(DdImportSummary) rows = import_into (ref->database, file, -1);
  g_autofree char *bulk_dump = dump_summaries (f->db);
  g_autofree char *rows_dump = dump_summaries (ref->database);

  g_assert_cmpuint (bulk->cases_new, >, 200);
  g_assert_cmpuint (bulk->cases_new, ==, rows->cases_new);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM report_roll_case"), ==,
                   (gint64) bulk->cases_new);
  g_assert_cmpstr (bulk_dump, ==, rows_dump);
}

typedef struct
{
  DdDatabase *db;
  gint64      min_keys, max_keys;
} KeysWatch;

static void
watch_foreign_keys (guint64  bytes_read,
                    guint64  bytes_total,
                    guint64  rows,
                    gpointer user_data)
{
  KeysWatch *watch = user_data;
  gint64 on = dd_test_query_int (watch->db, "PRAGMA foreign_keys");

  watch->min_keys = MIN (watch->min_keys, on);
  watch->max_keys = MAX (watch->max_keys, on);
}

static void
assert_foreign_keys_checked (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (dd_test_query_int (f->db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_false (dd_database_exec (f->db, "INSERT INTO phone (debtor_id, e164, created_at)"
                                    " VALUES (987654321, '+48600000001', '2026-12-07')", &error));
  g_assert_nonnull (error);
}

/* Issue 14, speed: SQLite's foreign key checks are off for the import's own transaction (its
 * rows refer only to ids it has just read or made) and on again after it, whether it worked,
 * failed or was given a transaction by its caller (then they stay on); the rows it wrote,
 * row by row or on the bulk path, refer to rows that exist. */
static void
test_foreign_keys (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GFile) file = write_demo (f, "keys.csv", "pl", NULL, 3000, 3000, 0.01);
  g_autoptr(GFile) small_file = write_csv (f, "small.csv", polish_csv, NULL);
  g_autoptr(GFile) broken_file = NULL;
  g_autofree char *broken = g_strconcat (polish_csv, "\"Unterminated;;;601234568;;;A/2;;15.10.2026;1,00\n",
                                         NULL);
  g_autoptr(DdImportSummary) first = NULL;
  g_autoptr(DdImportSummary) bulk = NULL;
  g_autoptr(DdImportSummary) inside = NULL;
  g_autoptr(GError) error = NULL;
  KeysWatch watch = { f->db, G_MAXINT64, G_MININT64 };
  DdImportOptions options;

  broken_file = write_csv (f, "broken.csv", broken, NULL);
  assert_foreign_keys_checked (f);
  dd_import_options_init (&options);
  options.country = "PL";
  options.bulk = -1;
  first = dd_importer_run (f->importer, file, &options, NULL, watch_foreign_keys, &watch, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->rows_imported, >, 2900);
  g_assert_cmpint (watch.max_keys, ==, 0);
  assert_foreign_keys_checked (f);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM pragma_foreign_key_check"), ==, 0);

  /* the same file again on the bulk path, another month's balances */
  options.bulk = 1;
  options.mark_missing_paid = TRUE;
  watch.min_keys = G_MAXINT64;
  watch.max_keys = G_MININT64;
  bulk = dd_importer_run (f->importer, small_file, &options, NULL, watch_foreign_keys, &watch,
                          &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bulk->liabilities_new, ==, 4);
  g_assert_cmpint (watch.max_keys, ==, 0);
  assert_foreign_keys_checked (f);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM pragma_foreign_key_check"), ==, 0);

  /* a failed import */
  g_assert_null (dd_importer_run (f->importer, broken_file, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_READ);
  g_clear_error (&error);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM liability WHERE invoice_no = 'A/2'"),
                   ==, 0);
  assert_foreign_keys_checked (f);

  /* inside the caller's transaction the checks stay on */
  options.bulk = 0;
  options.mark_missing_paid = FALSE;
  watch.min_keys = G_MAXINT64;
  watch.max_keys = G_MININT64;
  g_assert_true (dd_database_begin (f->db, &error));
  inside = dd_importer_run (f->importer, small_file, &options, NULL, watch_foreign_keys, &watch,
                            &error);
  g_assert_no_error (error);
  g_assert_cmpint (watch.min_keys, ==, 1);
  g_assert_true (dd_database_commit (f->db, &error));
  g_assert_no_error (error);
  assert_foreign_keys_checked (f);
}

/* Issue 14, speed: on the bulk path the indexes' keys are sorted in helper threads with a
 * small sort buffer (the page cache's size); the connection gets its page cache and its
 * threads back, and the indexes hold what the table holds. */
static void
test_sort_threads (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GFile) file = write_demo (f, "sort.csv", "pl", NULL, 3000, 3000, 0.0);
  g_autoptr(DdImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *integrity = NULL;
  gint64 cache_size, threads;
  DdImportOptions options;

  g_assert_true (dd_database_exec (f->db, "PRAGMA cache_size = -12345", &error));
  g_assert_no_error (error);
  cache_size = dd_test_query_int (f->db, "PRAGMA cache_size");
  threads = dd_test_query_int (f->db, "PRAGMA threads");
  dd_import_options_init (&options);
  options.country = "PL";
  options.bulk = 1;
  summary = import (f, file, &options);
  g_assert_cmpuint (summary->rows_imported, ==, 3000);
  g_assert_cmpint (dd_test_query_int (f->db, "PRAGMA cache_size"), ==, cache_size);
  g_assert_cmpint (dd_test_query_int (f->db, "PRAGMA threads"), ==, threads);
  integrity = dd_test_query_text (f->db, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM debt_case INDEXED BY debt_case_ageing"
                                     " WHERE oldest_due_on IS NOT NULL"), ==,
                   dd_test_query_int (f->db, "SELECT COUNT(*) FROM debt_case"));
}

/* A spreadsheet that saved its date cells as numbers (Excel's day serials) and named the
 * currency only in the debt column's label: the dates are read as dates, the amounts are in
 * the currency of the label, not the office's. */
static void
test_spreadsheet_export (Fixture       *f,
                         gconstpointer  data)
{
  const char *csv =
    "\xef\xbb\xbf" "Customer;Phone;Invoice;Invoice date;Due date;Amount due (EUR);;\r\n"
    "Jan Kowalski;601234567;F/1;46000;46010;1 234,50;;\r\n"
    "Ewa Nowak;602345678;F/2;2026-10-01;2026-10-15;100,00;;\r\n"
    "Adam Wiśniewski;603456789;F/3;x;12345;50,00;;\r\n";
  g_autoptr(GFile) file = write_csv (f, "excel.csv", csv, NULL);
  g_autoptr(DdImportSummary) summary = NULL;
  g_autofree char *due = NULL;
  g_autofree char *issued = NULL;
  DdImportOptions options;

  dd_import_options_init (&options);
  options.country = "PL";
  summary = import (f, file, &options);
  g_assert_cmpuint (summary->rows_imported, ==, 2);
  g_assert_cmpuint (summary->rows_rejected, ==, 1);
  /* 12345 is 1933: not a date of an invoice */
  find_issue (summary, 4, DD_IMPORT_REASON_INVALID_DUE_DATE);
  g_assert_cmpint (dd_import_summary_get_total (summary, "EUR"), ==, 123450 + 10000);
  g_assert_cmpint (dd_import_summary_get_total (summary, "PLN"), ==, 0);
  due = dd_test_query_text (f->db, "SELECT due_on FROM liability WHERE invoice_no = 'F/1'");
  g_assert_cmpstr (due, ==, "2025-12-19");
  issued = dd_test_query_text (f->db, "SELECT issued_on FROM liability WHERE invoice_no = 'F/1'");
  g_assert_cmpstr (issued, ==, "2025-12-09");

  /* the user's --currency wins over the label */
  g_clear_pointer (&summary, dd_import_summary_free);
  options.currency = "PLN";
  options.dry_run = TRUE;
  summary = import (f, file, &options);
  g_assert_cmpint (dd_import_summary_get_total (summary, "PLN"), ==, 123450 + 10000);
}


/* Cells as accounting programs and spreadsheets write them: nothing owed as a dash (Excel's
 * accounting format), the currency column as a symbol or an abbreviation ("zł", "руб.", "€"),
 * empty rows of only delimiters. */
static void
test_accounting_cells (Fixture       *f,
                       gconstpointer  data)
{
  const char *csv =
    "Kontrahent;Telefon;Nr faktury;Termin płatności;Pozostało;Waluta\n"
    "Jan Kowalski;601234567;F/1;2026-10-03;-;PLN\n"
    "Ewa Nowak;602345678;F/2;2026-10-03;1 234,56;zł\n"
    ";;;;;\n"
    "Adam Wiśniewski;603456789;F/3;2026-10-03;100,00;руб.\n"
    "Anna Zając;604567890;F/4;2026-10-03;50,00;€\n"
    "Piotr Wójcik;605678901;F/5;2026-10-03;10,00;złote polskie\n"
    " ; ;\t; ; ; \n"
    ";;;;;\n";
  g_autoptr(GFile) file = write_csv (f, "cells.csv", csv, NULL);
  g_autoptr(DdImportSummary) summary = NULL;
  DdImportOptions options;

  dd_import_options_init (&options);
  options.country = "PL";
  summary = import (f, file, &options);
  /* the spreadsheet's empty rows are passed over like empty lines */
  g_assert_cmpuint (summary->rows_read, ==, 5);
  g_assert_cmpuint (summary->rows_imported, ==, 4);
  g_assert_cmpuint (summary->rows_rejected, ==, 1);
  find_issue (summary, 7, DD_IMPORT_REASON_INVALID_CURRENCY);
  g_assert_cmpint (dd_import_summary_get_total (summary, "PLN"), ==, 123456);
  g_assert_cmpint (dd_import_summary_get_total (summary, "RUB"), ==, 10000);
  g_assert_cmpint (dd_import_summary_get_total (summary, "EUR"), ==, 5000);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT amount_minor FROM liability "
                                             "WHERE invoice_no = 'F/1'"), ==, 0);
}


/* An American export writes its dates month first: when some of them can only be read so
 * ("10/31/2026"), all of them are ("10/03/2026" is 3 October), and the summary says so. A
 * file whose dates fit both ways keeps them day first. */
static void
test_month_first_dates (Fixture       *f,
                        gconstpointer  data)
{
  const char *csv =
    "Customer,Phone,Invoice,Invoice Date,Due Date,Amount Due\n"
    "Acme Inc,+48 601 234 567,INV-1,09/30/2026,10/03/2026,\"1,234.50\"\n"
    "Bolt LLC,+48 602 345 678,INV-2,10/01/2026,10/31/2026,500.00\n";
  const char *ambiguous =
    "Customer,Phone,Invoice,Due Date,Amount Due\n"
    "Acme Inc,+48 601 234 567,INV-3,03/10/2026,1.00\n";
  g_autoptr(GFile) file = write_csv (f, "us.csv", csv, NULL);
  g_autoptr(GFile) file2 = write_csv (f, "both.csv", ambiguous, NULL);
  g_autoptr(GFile) file3 = write_csv (f, "both3.csv",
                                      "Customer,Phone,Invoice,Due Date,Amount Due\n"
                                      "Acme Inc,+48 601 234 567,INV-4,03/10/2026,1.00\n", NULL);
  g_autoptr(GFile) file4 = write_csv (f, "both4.csv",
                                      "Customer,Phone,Invoice,Due Date,Amount Due\n"
                                      "Acme Inc,+48 601 234 567,INV-5,03/09/2026,1.00\n", NULL);
  g_autoptr(GFile) file5 = write_csv (f, "eu.csv",
                                      "Customer,Phone,Invoice,Due Date,Amount Due\n"
                                      "Acme Inc,+48 601 234 567,INV-6,03/10/2026,1.00\n"
                                      "Acme Inc,+48 601 234 567,INV-7,31/10/2026,1.00\n", NULL);
  g_autoptr(DdImportSummary) summary = NULL;
  g_autoptr(DdImportSummary) summary2 = NULL;
  g_autoptr(DdImportSummary) summary3 = NULL;
  g_autoptr(DdImportSummary) summary4 = NULL;
  g_autoptr(DdImportSummary) summary5 = NULL;
  g_autofree char *text2 = NULL;
  g_autofree char *json2 = NULL;
  g_autofree char *due4 = NULL;
  g_autofree char *due5 = NULL;
  g_autofree char *text = NULL;
  g_autofree char *due = NULL;
  g_autofree char *issued = NULL;
  g_autofree char *due3 = NULL;
  DdImportOptions options;

  dd_import_options_init (&options);
  options.country = "PL";
  options.currency = "USD";
  summary = import (f, file, &options);
  g_assert_cmpuint (summary->rows_imported, ==, 2);
  g_assert_cmpuint (summary->rows_rejected, ==, 0);
  g_assert_true (summary->month_first);
  due = dd_test_query_text (f->db, "SELECT due_on FROM liability WHERE invoice_no = 'INV-1'");
  g_assert_cmpstr (due, ==, "2026-10-03");
  issued = dd_test_query_text (f->db, "SELECT issued_on FROM liability WHERE invoice_no = 'INV-1'");
  g_assert_cmpstr (issued, ==, "2026-09-30");
  text = dd_import_summary_to_text (summary, 10);
  g_assert_nonnull (strstr (text, "MM/DD/YYYY"));

  g_assert_false (summary->dates_ambiguous);
  summary2 = import (f, file2, &options);
  g_assert_false (summary2->month_first);
  due3 = dd_test_query_text (f->db, "SELECT due_on FROM liability WHERE invoice_no = 'INV-3'");
  g_assert_cmpstr (due3, ==, "2026-10-03");
  /* nothing in that file tells the order: the summary says how it was read */
  g_assert_true (summary2->dates_ambiguous);
  text2 = dd_import_summary_to_text (summary2, 10);
  g_assert_nonnull (strstr (text2, "03/10/2026"));
  g_assert_nonnull (strstr (text2, "day first"));
  json2 = dd_import_summary_to_json (summary2, FALSE);
  g_assert_nonnull (strstr (json2, "\"dates_ambiguous\":true"));

  /* told the order, the importer reads it so and has nothing to say about it */
  options.date_order = 1;
  summary3 = import (f, file3, &options);
  g_assert_true (summary3->month_first);
  g_assert_false (summary3->dates_ambiguous);
  due4 = dd_test_query_text (f->db, "SELECT due_on FROM liability WHERE invoice_no = 'INV-4'");
  g_assert_cmpstr (due4, ==, "2026-03-10");
  options.date_order = -1;
  summary4 = import (f, file4, &options);
  g_assert_false (summary4->month_first);
  due5 = dd_test_query_text (f->db, "SELECT due_on FROM liability WHERE invoice_no = 'INV-5'");
  g_assert_cmpstr (due5, ==, "2026-09-03");

  /* a day-first file that shows its order (31/10) is not ambiguous */
  options.date_order = 0;
  summary5 = import (f, file5, &options);
  g_assert_false (summary5->month_first);
  g_assert_false (summary5->dates_ambiguous);
}


/* The totals line under a report's table with its label under the invoice or the due date
 * (the column left of the sums), not under the name: said as a totals row, once. */
static void
test_totals_label_anywhere (Fixture       *f,
                            gconstpointer  data)
{
  const char *csv =
    "Kontrahent;Telefon;Nr faktury;Termin płatności;Pozostało\n"
    "Jan Kowalski;601234567;F/1;2026-10-03;100,00\n"
    "Ewa Nowak;602345678;F/2;2026-10-03;50,00\n"
    ";;Razem:;;150,00\n"
    ";;;Ogółem;150,00\n";
  g_autoptr(GFile) file = write_csv (f, "totals.csv", csv, NULL);
  g_autoptr(DdImportSummary) summary = NULL;
  DdImportOptions options;

  dd_import_options_init (&options);
  options.country = "PL";
  summary = import (f, file, &options);
  g_assert_cmpuint (summary->rows_imported, ==, 2);
  g_assert_cmpuint (summary->rows_rejected, ==, 2);
  find_issue (summary, 4, DD_IMPORT_REASON_TOTALS_ROW);
  find_issue (summary, 5, DD_IMPORT_REASON_TOTALS_ROW);
  /* nothing else is said of them */
  g_assert_cmpuint (summary->issues->len, ==, 2);
}

/* A preset keeps the order of slash dates and the currency it was saved with (version 2): next
 * month's export, whose every date fits both orders, is read month first and in EUR, unless
 * the options say otherwise. A version 1 preset keeps only the columns. */
static void
test_preset_keeps_dates (Fixture       *f,
                         gconstpointer  data)
{
  const char *first =
    "Customer,Invoice,Due Date,Amount\n"
    "Acme Inc,INV-1,03/10/2026,100.00\n";
  const char *second =
    "Customer,Invoice,Due Date,Amount\n"
    "Bolt LLC,INV-2,04/11/2026,50.00\n"
    "Cobalt Corp,INV-3,05/12/2026,25.00\n";
  const char *third =
    "Customer,Invoice,Due Date,Amount\n"
    "Delta Ltd,INV-4,04/11/2026,75.00\n";
  g_autoptr(GFile) f3 = write_csv (f, "us-december.csv", third, NULL);
  g_autoptr(GFile) f1 = write_csv (f, "us-october.csv", first, NULL);
  g_autoptr(GFile) f2 = write_csv (f, "us-november.csv", second, NULL);
  g_autoptr(DdImportStore) store = dd_import_store_new (f->db);
  g_autoptr(DdImportSummary) s1 = NULL;
  g_autoptr(DdImportSummary) s2 = NULL;
  g_autoptr(DdImportSummary) s3 = NULL;
  g_autoptr(DdImportSummary) s4 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *due = NULL;
  DdImportPresetSettings kept;
  DdImportOptions options;

  dd_import_options_init (&options);
  options.country = "PL";
  options.date_order = 1;
  options.currency = "EUR";
  options.save_preset = "US export";
  s1 = import (f, f1, &options);
  g_assert_true (s1->month_first);
  json = dd_import_store_load_preset (store, "US export", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (json, "\"version\":2"));
  g_assert_true (dd_import_preset_read_settings (json, &kept));
  g_assert_cmpint (kept.date_order, ==, 1);
  g_assert_cmpstr (kept.currency, ==, "EUR");

  /* the second file alone would be read day first */
  dd_import_options_init (&options);
  options.country = "PL";
  options.preset = "US export";
  options.dry_run = FALSE;
  s2 = import (f, f2, &options);
  g_assert_true (s2->month_first);
  g_assert_false (s2->dates_ambiguous);
  g_assert_cmpuint (s2->rows_imported, ==, 2);
  due = dd_test_query_text (f->db, "SELECT due_on FROM liability WHERE invoice_no = 'INV-2'");
  g_assert_cmpstr (due, ==, "2026-04-11");
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM debt_case WHERE currency = 'EUR'"),
                   ==, 3);

  /* what the options say wins over the preset */
  options.date_order = -1;
  options.currency = "PLN";
  options.dry_run = TRUE;
  s3 = import (f, f3, &options);
  g_assert_false (s3->month_first);
  g_assert_cmpint (dd_import_summary_get_total (s3, "PLN"), ==, 7500);

  /* a version 1 preset: the columns only, the dates detected as before */
  g_assert_true (dd_import_store_save_preset (store, "Old",
                                              "{\"version\":1,\"fields\":{\"name\":\"Customer\","
                                              "\"invoice\":\"Invoice\",\"due\":\"Due Date\","
                                              "\"amount\":\"Amount\"}}", &error));
  g_assert_no_error (error);
  dd_import_options_init (&options);
  options.country = "PL";
  options.preset = "Old";
  options.dry_run = TRUE;
  s4 = import (f, f3, &options);
  g_assert_false (s4->month_first);
  g_assert_true (s4->dates_ambiguous);
  g_assert_cmpint (dd_import_summary_get_total (s4, "PLN"), ==, 7500);
}

/* The preview says which currency the debt column's label names, for the mapping chosen. */
static void
test_preview_debt_currency (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GFile) file = write_csv (f, "eur.csv",
                                     "Customer;Invoice;Due date;Invoice total;Amount due (EUR)\n"
                                     "Acme;INV-1;2026-10-03;120,00;100,00\n", NULL);
  g_autoptr(DdImportPreview) preview = NULL;
  g_autoptr(GError) error = NULL;
  DdColumnMap map;
  char code[4] = { 0 };

  preview = dd_import_preview_file (file, NULL, 0, -1, 5, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (preview->guessed.column[DD_IMPORT_FIELD_AMOUNT], ==, 4);
  g_assert_true (dd_import_preview_debt_currency (preview, &preview->guessed, code));
  g_assert_cmpstr (code, ==, "EUR");
  /* the invoice total as the debt: its label names none */
  map = preview->guessed;
  map.column[DD_IMPORT_FIELD_AMOUNT] = -1;
  g_assert_false (dd_import_preview_debt_currency (preview, &map, code));

  g_assert_true (dd_import_label_currency ("Сумма долга, руб.", code));
  g_assert_cmpstr (code, ==, "RUB");
  g_assert_true (dd_import_label_currency ("Kwota [EUR]", code));
  g_assert_cmpstr (code, ==, "EUR");
  g_assert_true (dd_import_label_currency ("Pozostało, zł", code));
  g_assert_cmpstr (code, ==, "PLN");
  g_assert_false (dd_import_label_currency ("Amount due 2026", code));
  g_assert_false (dd_import_label_currency ("Kwota", code));
}

/* Writes @text (UTF-8) as Excel's "Unicode Text (*.txt)" writes it: UTF-16LE with a byte
 * order mark; or big-endian, or without the mark; @cut bytes off its end. */
static GFile *
write_unicode_text (Fixture    *f,
                    const char *name,
                    const char *text,
                    gboolean    big_endian,
                    gboolean    with_bom,
                    gsize       cut)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  gsize len = 0;
  g_autofree char *converted = g_convert (text, -1, big_endian ? "UTF-16BE" : "UTF-16LE",
                                          "UTF-8", NULL, &len, &error);

  g_assert_no_error (error);
  if (with_bom)
    g_byte_array_append (bytes, (const guint8 *) (big_endian ? "\376\377" : "\377\376"), 2);
  g_byte_array_append (bytes, (const guint8 *) converted, (guint) len);
  g_assert_cmpuint (bytes->len, >, cut);
  g_assert_true (g_file_set_contents (path, (const char *) bytes->data,
                                      (gssize) (bytes->len - cut), &error));
  return g_file_new_for_path (path);
}

static const char polish_unicode_text[] =
  "Kontrahent\tNIP\tTelefon\tNr faktury\tTermin płatności\tKwota\r\n"
  "\"Piekarnia \"\"Złoty Kłos\"\" s.c.\"\t725-123-45-67\t601 222 333\tFV/2026/10/0002\t"
  "07.10.2026\t349,99\r\n"
  "Wąsowski Józef\t5250001234\t+48 600 100 200\tFV/2026/10/0001\t31.10.2026\t\"1 250,00\"\r\n"
  "Gęsicka-Żądło Małgorzata\t\t41 344 55 66\tFV/2026/10/0005\t10.11.2026\t560,10\r\n";

static const char russian_unicode_text[] =
  "Контрагент\tИНН\tТелефон\tДокумент\tСрок оплаты\tСумма задолженности\r\n"
  "ООО «Ромашка»\t7707083893\t+7 (916) 123-45-67\tСчёт № 1\t31.10.2026\t15 000,00\r\n"
  "\"ИП \"\"Иванов\"\" П. С.\"\t500100732259\t8 926 765-43-21\tСчёт № 2\t15.11.2026\t2 340,50\r\n"
  "Ёлкина Семёна Юрьевна\t\t8 (926) 765-43-22\tСчёт № 3\t10.11.2026\t780,00\r\n";

/* Excel's "Unicode Text": UTF-16 with tabs and CRLF is imported, and the summary says so. */
static void
test_unicode_text (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GFile) polish = write_unicode_text (f, "należności.txt", polish_unicode_text,
                                                FALSE, TRUE, 0);
  g_autoptr(GFile) russian = write_unicode_text (f, "долги.txt", russian_unicode_text, TRUE,
                                                 FALSE, 0);
  g_autoptr(DdImportSummary) summary = NULL;
  g_autoptr(DdImportSummary) russian_summary = NULL;
  g_autoptr(DdImportPreview) preview = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  DdImportOptions options;

  preview = dd_import_preview_file (polish, NULL, 0, -1, 3, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (preview->encoding, ==, "UTF-16LE");
  g_assert_cmpint (preview->delimiter, ==, '\t');
  g_assert_true (preview->has_header);
  g_assert_cmpuint (preview->n_columns, ==, 6);
  g_assert_cmpstr (preview->headers[4], ==, "Termin płatności");
  g_assert_cmpuint (preview->rows->len, ==, 3);
  g_assert_cmpstr (((char **) preview->rows->pdata[0])[0], ==, "Piekarnia \"Złoty Kłos\" s.c.");
  g_assert_cmpstr (((char **) preview->rows->pdata[1])[5], ==, "1 250,00");

  dd_import_options_init (&options);
  options.country = "PL";
  summary = import (f, polish, &options);
  g_assert_cmpstr (summary->encoding, ==, "UTF-16LE");
  g_assert_cmpint (summary->delimiter, ==, '\t');
  g_assert_cmpuint (summary->rows_imported, ==, 3);
  g_assert_cmpuint (summary->rows_rejected, ==, 0);
  g_assert_cmpint (dd_import_summary_get_total (summary, "PLN"), ==, 34999 + 125000 + 56010);
  name = dd_test_query_text (f->db, "SELECT d.name FROM debtor d JOIN debt_case c "
                            "ON c.debtor_id = d.id JOIN liability l ON l.case_id = c.id "
                            "WHERE l.invoice_no = 'FV/2026/10/0002'");
  g_assert_cmpstr (name, ==, "Piekarnia \"Złoty Kłos\" s.c.");
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM phone "
                                     "WHERE e164 = '+48413445566'"), ==, 1);
  text = dd_import_summary_to_text (summary, 10);
  g_assert_nonnull (strstr (text, "UTF-16LE"));

  dd_import_options_init (&options);
  options.country = "RU";
  russian_summary = import (f, russian, &options);
  g_assert_cmpstr (russian_summary->encoding, ==, "UTF-16BE");
  g_assert_cmpuint (russian_summary->rows_imported, ==, 3);
  g_assert_cmpint (dd_import_summary_get_total (russian_summary, "RUB"), ==,
                   1500000 + 234050 + 78000);
  g_clear_pointer (&name, g_free);
  name = dd_test_query_text (f->db, "SELECT name FROM debtor WHERE tax_id = '500100732259'");
  g_assert_cmpstr (name, ==, "ИП \"Иванов\" П. С.");
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM phone "
                                     "WHERE e164 = '+79267654321'"), ==, 1);
}

/* A UTF-16 file cut off in the middle of a character, or with half of a surrogate pair: a
 * message naming the line, and nothing imported. */
static void
test_unicode_text_broken (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GFile) cut = write_unicode_text (f, "cut.txt", polish_unicode_text, FALSE, TRUE, 3);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "surrogate.txt", NULL);
  g_autoptr(GFile) surrogate = g_file_new_for_path (path);
  DdImportSummary *summary;

  summary = dd_importer_run (f->importer, cut, NULL, NULL, NULL, NULL, &error);
  g_assert_null (summary);
  g_assert_error (error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_READ);
  g_assert_nonnull (strstr (error->message, "nothing was imported"));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Line 4:"));
  g_assert_nonnull (strstr (error->message, "UTF-16"));
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM debtor"), ==, 0);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM liability"), ==, 0);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM import_run"), ==, 0);
  g_assert_false (dd_database_in_transaction (f->db));
  g_clear_error (&error);

  /* a lone high surrogate in the name on line 3 */
  {
    g_auto(GStrv) halves = g_strsplit (polish_unicode_text, "Józef", 2);
    g_autofree char *head = g_convert (halves[0], -1, "UTF-16LE", "UTF-8", NULL, NULL, NULL);
    g_autofree char *tail = g_convert (halves[1], -1, "UTF-16LE", "UTF-8", NULL, NULL, NULL);
    gsize head_len = 2 * (gsize) g_utf8_strlen (halves[0], -1);
    gsize tail_len = 2 * (gsize) g_utf8_strlen (halves[1], -1);
    g_autoptr(GByteArray) bytes = g_byte_array_new ();

    g_byte_array_append (bytes, (const guint8 *) "\377\376", 2);
    g_byte_array_append (bytes, (const guint8 *) head, (guint) head_len);
    g_byte_array_append (bytes, (const guint8 *) "J\000\075\330f\000", 6);
    g_byte_array_append (bytes, (const guint8 *) tail, (guint) tail_len);
    g_assert_true (g_file_set_contents (path, (const char *) bytes->data, bytes->len, &error));
  }
  summary = dd_importer_run (f->importer, surrogate, NULL, NULL, NULL, NULL, &error);
  g_assert_null (summary);
  g_assert_error (error, DD_IMPORT_ERROR, DD_IMPORT_ERROR_READ);
  g_assert_nonnull (strstr (error->message, "Line 3:"));
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM debtor"), ==, 0);
  g_assert_cmpint (dd_test_query_int (f->db, "SELECT COUNT(*) FROM import_run"), ==, 0);
}


/* An export with two "Telefon" and two "Kwota" columns: every place that names a column says
 * which one ("Kwota (column 11)"), and a saved mapping keeps them apart. */
static void
test_repeated_headers (Fixture       *f,
                       gconstpointer  data)
{
  const char *csv =
    "Lp;Kontrahent;NIP;Telefon;Telefon;Nr faktury;Data wystawienia;Termin płatności;Kwota;"
    "Waluta;Kwota\r\n"
    "1;Jan Kowalski;;601 234 567;12;FV/1;01.10.2026;15.10.2026;1 230,00;PLN;1 500,00\r\n"
    "2;Anna Nowak;;602 345 678;22 123 45 67;FV/2;01.10.2026;15.10.2026;615,00;PLN;615,00\r\n"
    "3;Piotr Wiśniewski;;603 456 789;;FV/3;01.10.2026;15.10.2026;100,00;PLN;250,00\r\n";
  g_autoptr(GFile) file = write_csv (f, "dwie-kwoty.csv", csv, "windows-1250");
  g_autoptr(DdImportPreview) preview = NULL;
  g_autoptr(DdImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;
  g_autofree char *issue_text = NULL;
  g_autofree char *preset = NULL;
  g_autofree char *label = NULL;
  JsonObject *root, *mapping;
  JsonArray *columns;
  DdImportOptions options;
  DdColumnMap map, loaded;

  preview = dd_import_preview_file (file, NULL, 0, -1, 1, NULL, &error);
  g_assert_no_error (error);
  map = preview->guessed;
  g_assert_cmpint (map.column[DD_IMPORT_FIELD_AMOUNT], ==, 8);
  map.column[DD_IMPORT_FIELD_TOTAL] = 10;

  dd_import_options_init (&options);
  options.country = "PL";
  options.mapping = &map;
  summary = import (f, file, &options);
  g_assert_cmpint (dd_import_summary_get_total (summary, "PLN"), ==, 194500);

  label = dd_import_summary_get_column_label (summary, 10, TRUE);
  g_assert_cmpstr (label, ==, "Kwota (column 11)");
  g_clear_pointer (&label, g_free);
  label = dd_import_summary_get_column_label (summary, 5, TRUE);
  g_assert_cmpstr (label, ==, "Nr faktury");

  text = dd_import_summary_to_text (summary, 10);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Debt taken from column “Kwota (column 9)”: PLN"));
  g_assert_nonnull (strstr (text, "  Invoice total, column “Kwota (column 11)”: PLN"));
  g_assert_nonnull (strstr (text, "2,365.00"));
  g_assert_nonnull (strstr (text, "Row 2 (line 2), column “Telefon (column 5)”: "));
  issue_text = dd_import_issue_to_string (summary,
                                          find_issue (summary, 2, DD_IMPORT_REASON_INVALID_PHONE));
  g_assert_true (g_str_has_prefix (issue_text, "Row 2 (line 2), column “Telefon (column 5)”: "));

  json = dd_import_summary_to_json (summary, FALSE);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  mapping = json_object_get_object_member (root, "mapping");
  g_assert_cmpstr (json_object_get_string_member (mapping, "amount"), ==, "Kwota (column 9)");
  g_assert_cmpstr (json_object_get_string_member (mapping, "total"), ==, "Kwota (column 11)");
  g_assert_cmpstr (json_object_get_string_member (mapping, "phone1"), ==, "Telefon (column 4)");
  g_assert_cmpstr (json_object_get_string_member (mapping, "phone2"), ==, "Telefon (column 5)");
  g_assert_cmpstr (json_object_get_string_member (mapping, "invoice"), ==, "Nr faktury");
  columns = json_object_get_array_member (json_object_get_object_member (root, "debt"),
                                          "columns");
  g_assert_cmpuint (json_array_get_length (columns), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (columns, 1),
                                                  "column"), ==, "Kwota (column 11)");

  /* a saved mapping takes the second "Kwota" back to the second one */
  preset = dd_column_map_to_json (&map, (const char * const *) summary->headers,
                                  g_strv_length (summary->headers));
  g_assert_true (dd_column_map_from_json (&loaded, preset,
                                          (const char * const *) summary->headers,
                                          g_strv_length (summary->headers), &error));
  g_assert_no_error (error);
  g_assert_cmpint (loaded.column[DD_IMPORT_FIELD_AMOUNT], ==, 8);
  g_assert_cmpint (loaded.column[DD_IMPORT_FIELD_TOTAL], ==, 10);
  g_assert_cmpint (loaded.column[DD_IMPORT_FIELD_PHONE_1], ==, 3);
  g_assert_cmpint (loaded.column[DD_IMPORT_FIELD_PHONE_2], ==, 4);

  /* in Polish and Russian */
  if (use_language ("pl"))
    {
      g_autofree char *polish = dd_import_summary_get_column_label (summary, 10, TRUE);
      g_autofree char *polish_json = NULL;
      g_autofree char *russian = NULL;

      g_assert_cmpstr (polish, ==, "Kwota (kolumna 11)");
      polish_json = dd_import_summary_get_column_label (summary, 10, FALSE);
      g_assert_cmpstr (polish_json, ==, "Kwota (column 11)");
      use_language ("ru");
      russian = dd_import_summary_get_column_label (summary, 10, TRUE);
      g_assert_cmpstr (russian, ==, "Kwota (столбец 11)");
      use_language (NULL);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add ("/dd/importer/" path, Fixture, NULL, fixture_setup, func, \
                                    fixture_teardown)
  ADD ("basic-polish", test_basic_polish);
  ADD ("russian-cp1251", test_russian_cp1251);
  ADD ("rejects", test_rejects);
  ADD ("failure-leaves-database-unchanged", test_failure_leaves_database_unchanged);
  ADD ("cancel", test_cancel);
  ADD ("reimport-next-month", test_reimport_next_month);
  ADD ("reimport-without-marking", test_reimport_without_marking);
  ADD ("dry-run", test_dry_run);
  ADD ("presets", test_presets);
  ADD ("preview", test_preview);
  ADD ("demo-polish-cp1250", test_demo_polish_cp1250);
  ADD ("demo-russian-utf8", test_demo_russian_utf8);
  ADD ("demo-russian-cp1251", test_demo_russian_cp1251);
  ADD ("async", test_async);
  ADD ("async-cancel", test_async_cancel);
  ADD ("own-receivables-any-language", test_own_receivables_any_language);
  ADD ("pipeline-order", test_pipeline_order);
  ADD ("bulk-indexes", test_bulk_indexes);
  ADD ("shared-phones-large", test_shared_phones_large);
  ADD ("bulk-summaries", test_bulk_summaries);
  ADD ("bulk-summaries-new-office", test_bulk_summaries_new_office);
  ADD ("polish-export-remaining", test_polish_export_remaining);
  ADD ("total-minus-paid", test_total_minus_paid);
  ADD ("report-title", test_report_title);
  ADD ("russian-1c-new-office", test_russian_1c_new_office);
  ADD ("country-disagreement", test_country_disagreement);
  ADD ("mixed-currencies", test_mixed_currencies);
  ADD ("foreign-keys", test_foreign_keys);
  ADD ("sort-threads", test_sort_threads);
  ADD ("spreadsheet-export", test_spreadsheet_export);
  ADD ("accounting-cells", test_accounting_cells);
  ADD ("month-first-dates", test_month_first_dates);
  ADD ("totals-label-anywhere", test_totals_label_anywhere);
  ADD ("preset-keeps-dates", test_preset_keeps_dates);
  ADD ("preview-debt-currency", test_preview_debt_currency);
  ADD ("unicode-text", test_unicode_text);
  ADD ("unicode-text-broken", test_unicode_text_broken);
  ADD ("repeated-headers", test_repeated_headers);
#undef ADD
  return g_test_run ();
}
