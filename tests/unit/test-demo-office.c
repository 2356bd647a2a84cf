/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "dd-test-demo-office"

#include "config.h"

#include "dd-demo-office.h"
#include "dd-tax-id.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The demo export is checked with a strict RFC 4180 reader written here (the project's CSV
 * reader is tested on its own) and with checks of every field that do not use the code under
 * test, except the tax ID validator, which has its own tests. */

enum
{
  COL_NAME,
  COL_TAX_ID,
  COL_ADDRESS,
  COL_PHONE_1,
  COL_PHONE_2,
  COL_EMAIL,
  COL_CREDITOR,
  COL_INVOICE,
  COL_ISSUED,
  COL_DUE,
  COL_AMOUNT,
  COL_CURRENCY,
};

static const char pl_header[] =
  "Kontrahent;NIP;Adres;Telefon;Telefon 2;E-mail;Wierzyciel;Nr faktury;Data wystawienia;"
  "Termin płatności;Kwota;Waluta";
static const char ru_header[] =
  "Контрагент;ИНН;Адрес;Телефон;Телефон 2;E-mail;Кредитор;Номер счёта;Дата выставления;"
  "Срок оплаты;Сумма;Валюта";

/* Area codes of the fixed lines the demo writes; "0" must follow them. */
static const char *pl_area_codes[] = {
  "22", "12", "42", "71", "61", "58", "91", "52", "81", "32", "85", "34", "48", "56", "41",
  "17", "89", "77", "68", "95", "33", "18", "24", "55", "76", "94", "62", "14",
};
static const char *ru_area_codes[] = {
  "495", "499", "812", "383", "343", "843", "831", "846", "351", "863", "347", "391", "342",
  "473", "861",
};

static void
today_init (GDate *today)
{
  g_date_clear (today, 1);
  g_date_set_dmy (today, 15, G_DATE_MARCH, 2026);
}

/* Writes an office into memory; returns its bytes. */
static GBytes *
write_office (const DdDemoOfficeOptions *options,
              DdDemoOfficeStats         *stats)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (dd_demo_office_write_csv_with_stats (out, options, stats, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, &error));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* A strict reader for ';'-separated RFC 4180 text with CRLF line ends: every record ends in
 * CRLF, quotes appear only around whole fields, doubled inside them. */
static GPtrArray *
parse_csv (const char *text,
           gsize       len)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  const char *p = text;
  const char *end = text + len;

  while (p < end)
    {
      GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
      gboolean record_done = FALSE;

      while (!record_done)
        {
          GString *field = g_string_new (NULL);

          g_assert_true (p < end);
          if (*p == '"')
            {
              p++;
              for (;;)
                {
                  g_assert_true (p < end);   /* no unterminated quote */
                  if (*p == '"' && p + 1 < end && p[1] == '"')
                    {
                      g_string_append_c (field, '"');
                      p += 2;
                    }
                  else if (*p == '"')
                    {
                      p++;
                      break;
                    }
                  else
                    g_string_append_c (field, *p++);
                }
              /* After the closing quote: a separator or the end of the record. */
              g_assert_true (p < end && (*p == ';' || *p == '\r'));
            }
          else
            {
              while (p < end && *p != ';' && *p != '\r')
                {
                  g_assert_cmpint (*p, !=, '"');
                  g_assert_cmpint (*p, !=, '\n');
                  g_string_append_c (field, *p++);
                }
              g_assert_true (p < end);
              /* Unquoted fields have no spaces at their ends. */
              if (field->len > 0)
                {
                  g_assert_cmpint (field->str[0], !=, ' ');
                  g_assert_cmpint (field->str[field->len - 1], !=, ' ');
                }
            }
          g_ptr_array_add (fields, g_string_free (field, FALSE));

          if (*p == ';')
            p++;
          else
            {
              g_assert_true (p + 1 < end && p[0] == '\r' && p[1] == '\n');
              p += 2;
              record_done = TRUE;
            }
        }
      g_ptr_array_add (records, fields);
    }
  return records;
}

static GPtrArray *
parse_bytes (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_assert_true (g_utf8_validate (data, (gssize) len, NULL));
  return parse_csv (data, len);
}

static const char *
field (GPtrArray *records,
       guint      row,
       guint      column)
{
  GPtrArray *fields = g_ptr_array_index (records, row);

  return g_ptr_array_index (fields, column);
}

/* Digits of a phone as written: 0 when it is not one of the demo ranges, 1 for a mobile,
 * 2 for a fixed line; the E.164 form in @e164. */
static int
classify_phone (const char *text,
                gboolean    polish,
                char       *e164,
                gsize       e164_size)
{
  char digits[32];
  guint n = 0;
  const char *d = digits;
  gboolean plus = strchr (text, '+') != NULL;

  for (const char *p = text; *p != '\0' && n < sizeof digits - 1; p++)
    if (g_ascii_isdigit (*p))
      digits[n++] = *p;
    else
      g_assert_true (strchr (" -()+", *p) != NULL);
  digits[n] = '\0';

  if (polish)
    {
      if (g_str_has_prefix (d, "0048"))
        d += 4;
      else if (plus && g_str_has_prefix (d, "48"))
        d += 2;
      else if (strlen (d) == 10 && d[0] == '0')   /* "(0-22) 012 34 56" */
        d += 1;
      if (strlen (d) != 9)
        return 0;
      g_snprintf (e164, e164_size, "+48%s", d);
      if (g_str_has_prefix (d, "459"))
        return 1;
      for (guint i = 0; i < G_N_ELEMENTS (pl_area_codes); i++)
        if (strncmp (d, pl_area_codes[i], 2) == 0 && d[2] == '0')
          return 2;
      return 0;
    }

  if (strlen (d) == 11 && (d[0] == '7' || d[0] == '8'))
    d += 1;
  if (strlen (d) != 10)
    return 0;
  g_snprintf (e164, e164_size, "+7%s", d);
  if (g_str_has_prefix (d, "974"))
    return 1;
  for (guint i = 0; i < G_N_ELEMENTS (ru_area_codes); i++)
    if (strncmp (d, ru_area_codes[i], 3) == 0 && d[3] == '0')
      return 2;
  return 0;
}

static gboolean
parse_date (const char *text,
            GDate      *date)
{
  guint day, month, year;
  char tail;

  if (sscanf (text, "%4u-%2u-%2u%c", &year, &month, &day, &tail) == 3 && strlen (text) == 10)
    ;
  else if (sscanf (text, "%2u.%2u.%4u%c", &day, &month, &year, &tail) == 3 &&
           strlen (text) == 10)
    ;
  else
    return FALSE;
  if (!g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

/* "1 234,56" (with a space, a no-break space or nothing between thousands): minor units,
 * or -1. */
static gint64
parse_amount (const char *text)
{
  const char *comma = strchr (text, ',');
  gint64 value = 0;
  guint n_int = 0;

  if (comma == NULL || strlen (comma) != 3 || !g_ascii_isdigit (comma[1]) ||
      !g_ascii_isdigit (comma[2]))
    return -1;
  for (const char *p = text; p < comma; p++)
    {
      guint left;

      if (g_ascii_isdigit (*p))
        {
          value = value * 10 + (*p - '0');
          n_int++;
          continue;
        }
      /* A separator sits before a group of exactly three digits, after at least one. */
      if (*p == ' ')
        left = (guint) (comma - p - 1);
      else if ((guchar) p[0] == 0xc2 && (guchar) p[1] == 0xa0)
        left = (guint) (comma - p - 2), p++;
      else
        return -1;
      if (n_int == 0 || left % 3 != 0)
        return -1;
    }
  if (n_int == 0 || (text[0] == '0' && n_int > 1))
    return -1;
  return value * 100 + (comma[1] - '0') * 10 + (comma[2] - '0');
}

/* Checks one data row; returns the defect found in it (DD_DEMO_OFFICE_N_DEFECTS for none).
 * Asserts that a row has at most one defect and is otherwise right. */
static DdDemoOfficeDefect
check_row (GPtrArray   *fields,
           gboolean     polish,
           const GDate *today)
{
  DdDemoOfficeDefect found = DD_DEMO_OFFICE_N_DEFECTS;
  guint n_found = 0;
  const char *tax = g_ptr_array_index (fields, COL_TAX_ID);
  const char *phone1 = g_ptr_array_index (fields, COL_PHONE_1);
  const char *phone2 = g_ptr_array_index (fields, COL_PHONE_2);
  const char *email = g_ptr_array_index (fields, COL_EMAIL);
  const char *invoice = g_ptr_array_index (fields, COL_INVOICE);
  const char *amount = g_ptr_array_index (fields, COL_AMOUNT);
  GDate issued, due;
  char e164[32];
  gboolean due_ok;

  g_assert_cmpuint (fields->len, ==, DD_DEMO_OFFICE_N_COLUMNS);
  g_assert_cmpstr (g_ptr_array_index (fields, COL_NAME), !=, "");
  g_assert_cmpstr (g_ptr_array_index (fields, COL_ADDRESS), !=, "");
  g_assert_cmpstr (g_ptr_array_index (fields, COL_CREDITOR), !=, "");
  g_assert_cmpstr (g_ptr_array_index (fields, COL_CURRENCY), ==, polish ? "PLN" : "RUB");

  if (*tax != '\0')
    {
      g_autoptr(GError) error = NULL;
      DdTaxIdKind kind;
      g_autofree char *digits = dd_tax_id_normalize (tax, polish ? "PL" : "RU", &kind, &error);

      if (digits == NULL)
        {
          g_autofree char *any = dd_tax_id_normalize (tax, NULL, NULL, NULL);

          g_assert_error (error, DD_TAX_ID_ERROR, DD_TAX_ID_ERROR_CHECKSUM);
          /* Not valid in the other country's schemes either. */
          g_assert_null (any);
          found = DD_DEMO_OFFICE_DEFECT_TAX_ID;
          n_found++;
        }
      else if (polish)
        g_assert_true (kind == DD_TAX_ID_NIP || kind == DD_TAX_ID_PESEL);
      else
        g_assert_true (kind == DD_TAX_ID_INN_LEGAL || kind == DD_TAX_ID_INN_PERSON);
    }

  g_assert_cmpstr (phone1, !=, "");
  if (classify_phone (phone1, polish, e164, sizeof e164) == 0)
    {
      found = DD_DEMO_OFFICE_DEFECT_PHONE;
      n_found++;
    }
  else
    g_assert_true (dd_demo_office_is_demo_phone (e164));
  if (*phone2 != '\0')
    {
      g_assert_cmpint (classify_phone (phone2, polish, e164, sizeof e164), !=, 0);
      g_assert_true (dd_demo_office_is_demo_phone (e164));
    }

  if (*email != '\0')
    g_assert_true (g_regex_match_simple ("^[a-z0-9.]+@example\\.(com|org)$", email, 0, 0));

  if (*invoice == '\0')
    {
      found = DD_DEMO_OFFICE_DEFECT_INVOICE;
      n_found++;
    }
  else if (polish)
    g_assert_true (g_regex_match_simple ("^(FV/20[0-9]{2}/[01][0-9]/[0-9]{5,}|"
                                         "FV [0-9]+/[01][0-9]/20[0-9]{2}|"
                                         "F/[0-9]{6,}/[0-9]{2}|R/[0-9]+/20[0-9]{2})$",
                                         invoice, 0, 0));
  else
    g_assert_true (g_regex_match_simple ("^(СЧ-[0-9]{6,}|БП-[0-9]{6,}|[0-9]+/[0-9]{2}|"
                                         "00ЦБ-[0-9]{6,})$", invoice, 0, 0));

  g_assert_true (parse_date (g_ptr_array_index (fields, COL_ISSUED), &issued));
  due_ok = parse_date (g_ptr_array_index (fields, COL_DUE), &due);
  if (!due_ok)
    {
      found = DD_DEMO_OFFICE_DEFECT_DUE_DATE;
      n_found++;
    }
  else
    {
      int overdue = g_date_days_between (&due, today);

      g_assert_cmpint (overdue, >=, 5);
      g_assert_cmpint (overdue, <=, 180);
      g_assert_cmpint (g_date_compare (&issued, &due), <, 0);
    }

  if (parse_amount (amount) < 0)
    {
      found = DD_DEMO_OFFICE_DEFECT_AMOUNT;
      n_found++;
    }
  else
    g_assert_cmpint (parse_amount (amount), >, 0);

  g_assert_cmpuint (n_found, <=, 1);
  return found;
}

static void
check_header (GPtrArray *records,
              gboolean   polish)
{
  GPtrArray *header = g_ptr_array_index (records, 0);
  g_auto(GStrv) expected = g_strsplit (polish ? pl_header : ru_header, ";", -1);

  g_assert_cmpuint (header->len, ==, DD_DEMO_OFFICE_N_COLUMNS);
  g_assert_cmpuint (g_strv_length (expected), ==, DD_DEMO_OFFICE_N_COLUMNS);
  for (guint i = 0; i < header->len; i++)
    g_assert_cmpstr (g_ptr_array_index (header, i), ==, expected[i]);
}

static void
test_header (void)
{
  static const char *locales[] = { "pl", "ru" };

  for (guint l = 0; l < G_N_ELEMENTS (locales); l++)
    {
      DdDemoOfficeOptions options = { .n_debtors = 3, .locale = locales[l], .seed = 1 };
      g_autoptr(GBytes) bytes = write_office (&options, NULL);
      g_autoptr(GPtrArray) records = parse_bytes (bytes);
      const char *data = g_bytes_get_data (bytes, NULL);

      check_header (records, l == 0);
      /* The header is the first line, in the locale's language, with CRLF. */
      g_assert_true (g_str_has_prefix (data, l == 0 ? pl_header : ru_header));
      g_assert_true (g_str_has_prefix (data + strlen (l == 0 ? pl_header : ru_header), "\r\n"));
    }
}

static void
test_deterministic (void)
{
  GDate today, tomorrow;
  DdDemoOfficeOptions options = { .n_debtors = 500, .locale = "pl", .seed = 77,
                                  .error_rate = 0.05 };
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;
  g_autoptr(GBytes) c = NULL;
  g_autoptr(GBytes) d = NULL;

  today_init (&today);
  tomorrow = today;
  g_date_add_days (&tomorrow, 1);
  options.today = &today;

  a = write_office (&options, NULL);
  b = write_office (&options, NULL);
  g_assert_true (g_bytes_equal (a, b));

  options.seed = 78;
  c = write_office (&options, NULL);
  g_assert_false (g_bytes_equal (a, c));

  /* Same seed, another day: the same debtors, other dates. */
  options.seed = 77;
  options.today = &tomorrow;
  d = write_office (&options, NULL);
  g_assert_false (g_bytes_equal (a, d));
  {
    g_autoptr(GPtrArray) ra = parse_bytes (a);
    g_autoptr(GPtrArray) rd = parse_bytes (d);

    g_assert_cmpuint (ra->len, ==, rd->len);
    for (guint i = 1; i < ra->len; i++)
      {
        GDate due_a, due_d;

        g_assert_cmpstr (field (ra, i, COL_NAME), ==, field (rd, i, COL_NAME));
        g_assert_cmpstr (field (ra, i, COL_PHONE_1), ==, field (rd, i, COL_PHONE_1));
        if (parse_date (field (ra, i, COL_DUE), &due_a) &&
            parse_date (field (rd, i, COL_DUE), &due_d))
          g_assert_cmpint (g_date_days_between (&due_a, &due_d), ==, 1);
      }
  }
}

static void
test_row_count (void)
{
  GDate today;
  DdDemoOfficeStats stats;
  DdDemoOfficeOptions options = { .n_debtors = 1000000, .locale = "ru", .seed = 3,
                                  .max_rows = 10000 };

  today_init (&today);
  options.today = &today;

  {
    g_autoptr(GBytes) bytes = write_office (&options, &stats);
    g_autoptr(GPtrArray) records = parse_bytes (bytes);

    g_assert_cmpuint (records->len, ==, 10001);
    g_assert_cmpuint (stats.n_rows, ==, 10000);
    g_assert_cmpuint (stats.n_debtors, >, 2500);
    g_assert_cmpuint (stats.n_debtors, <, 10000);
  }

  /* Without a number of debtors: exactly max_rows too. */
  options.n_debtors = 0;
  options.max_rows = 777;
  {
    g_autoptr(GBytes) bytes = write_office (&options, &stats);
    g_autoptr(GPtrArray) records = parse_bytes (bytes);

    g_assert_cmpuint (records->len, ==, 778);
    g_assert_cmpuint (stats.n_rows, ==, 777);
  }

  /* 300 debtors with 1–4 invoices each, on consecutive rows. */
  options.n_debtors = 300;
  options.max_rows = 0;
  {
    g_autoptr(GBytes) bytes = write_office (&options, &stats);
    g_autoptr(GPtrArray) records = parse_bytes (bytes);
    guint n_debtors = 0, run = 0, max_run = 0, min_run = G_MAXUINT;

    g_assert_cmpuint (stats.n_debtors, ==, 300);
    g_assert_cmpuint (stats.n_rows, ==, records->len - 1);
    g_assert_cmpuint (stats.n_rows, >=, 300);
    g_assert_cmpuint (stats.n_rows, <=, 1200);
    for (guint i = 1; i < records->len; i++)
      {
        gboolean same = i > 1;

        for (guint c = COL_NAME; c <= COL_EMAIL && same; c++)
          same = g_str_equal (field (records, i, c), field (records, i - 1, c));
        if (!same)
          {
            if (run > 0)
              {
                max_run = MAX (max_run, run);
                min_run = MIN (min_run, run);
              }
            n_debtors++;
            run = 0;
          }
        run++;
      }
    max_run = MAX (max_run, run);
    min_run = MIN (min_run, run);
    g_assert_cmpuint (n_debtors, ==, 300);
    g_assert_cmpuint (min_run, ==, 1);
    g_assert_cmpuint (max_run, ==, 4);
  }
}

/* 10,000 rows without defects: every row right, tax ids and phones unique per debtor,
 * invoice numbers unique per creditor, the realistic variety present. */
static void
check_office (const char *locale)
{
  gboolean polish = g_str_equal (locale, "pl");
  GDate today;
  DdDemoOfficeStats stats;
  DdDemoOfficeOptions options = { .locale = locale, .seed = 2026, .max_rows = 10000 };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GHashTable) phone_owner = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             g_free);
  g_autoptr(GHashTable) tax_owner = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           g_free);
  g_autoptr(GHashTable) invoices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) creditors = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_quoted_quotes = 0, n_semicolons = 0, n_mobiles = 0, n_landlines = 0, n_two = 0;
  guint n_no_tax = 0, n_feminine = 0, n_company = 0, n_emails = 0;
  gsize len;
  const char *data;

  today_init (&today);
  options.today = &today;
  bytes = write_office (&options, &stats);
  records = parse_bytes (bytes);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpuint (records->len, ==, 10001);
  check_header (records, polish);
  g_assert_cmpuint (stats.n_rows, ==, 10000);
  for (guint k = 0; k < DD_DEMO_OFFICE_N_DEFECTS; k++)
    g_assert_cmpuint (stats.n_defects[k], ==, 0);

  for (guint i = 1; i < records->len; i++)
    {
      GPtrArray *fields = g_ptr_array_index (records, i);
      const char *name = g_ptr_array_index (fields, COL_NAME);
      const char *tax = g_ptr_array_index (fields, COL_TAX_ID);
      const char *address = g_ptr_array_index (fields, COL_ADDRESS);
      g_autofree char *key = g_strdup_printf ("%s|%s", name, address);
      g_autofree char *invoice_key = g_strdup_printf ("%s|%s",
                                                      (char *) g_ptr_array_index (fields,
                                                                                  COL_CREDITOR),
                                                      (char *) g_ptr_array_index (fields,
                                                                                  COL_INVOICE));

      g_assert_cmpint (check_row (fields, polish, &today), ==, DD_DEMO_OFFICE_N_DEFECTS);

      for (guint c = COL_PHONE_1; c <= COL_PHONE_2; c++)
        {
          char e164[32];
          const char *phone = g_ptr_array_index (fields, c);
          const char *owner;
          int kind;

          if (*phone == '\0')
            continue;
          kind = classify_phone (phone, polish, e164, sizeof e164);
          n_mobiles += kind == 1;
          n_landlines += kind == 2;
          owner = g_hash_table_lookup (phone_owner, e164);
          if (owner != NULL)
            g_assert_cmpstr (owner, ==, key);
          else
            g_hash_table_insert (phone_owner, g_strdup (e164), g_strdup (key));
        }
      n_two += *(const char *) g_ptr_array_index (fields, COL_PHONE_2) != '\0';

      if (*tax != '\0')
        {
          g_autofree char *digits = dd_tax_id_normalize (tax, NULL, NULL, NULL);
          const char *owner = g_hash_table_lookup (tax_owner, digits);

          g_assert_nonnull (digits);
          if (owner != NULL)
            g_assert_cmpstr (owner, ==, key);
          else
            g_hash_table_insert (tax_owner, g_steal_pointer (&digits), g_strdup (key));
        }
      else
        n_no_tax++;

      g_assert_false (g_hash_table_contains (invoices, invoice_key));
      g_hash_table_add (invoices, g_steal_pointer (&invoice_key));
      g_hash_table_add (creditors, g_ptr_array_index (fields, COL_CREDITOR));

      n_quoted_quotes += strchr (name, '"') != NULL;
      n_semicolons += strchr (address, ';') != NULL;
      n_emails += *(const char *) g_ptr_array_index (fields, COL_EMAIL) != '\0';

      if (polish)
        {
          g_assert_true (g_regex_match_simple (" [0-9]{2}-[0-9]{3} [^0-9]+$", address, 0, 0));
          n_feminine += g_regex_match_simple ("(ska|cka|dzka)( |$)", name, 0, 0);
          n_company += strstr (name, "Sp. z o.o.") != NULL || strstr (name, "S.A.") != NULL;
          /* Companies and sole traders have a NIP. */
          if (strstr (name, "Sp. z o.o.") != NULL)
            {
              DdTaxIdKind kind = DD_TAX_ID_UNKNOWN;
              g_autofree char *digits = dd_tax_id_normalize (tax, "PL", &kind, NULL);

              g_assert_cmpint (kind, ==, DD_TAX_ID_NIP);
            }
        }
      else
        {
          g_assert_true (g_regex_match_simple ("^[0-9]{6}[,;] ", address, 0, 0));
          g_assert_nonnull (strstr (address, "г. "));
          n_feminine += g_regex_match_simple ("[оеи]ва [^ ]+ [^ ]+вна$", name, 0, 0);
          n_company += g_str_has_prefix (name, "ООО ") || g_str_has_prefix (name, "АО ");
          if (g_str_has_prefix (name, "ООО "))
            {
              DdTaxIdKind kind = DD_TAX_ID_UNKNOWN;
              g_autofree char *digits = dd_tax_id_normalize (tax, "RU", &kind, NULL);

              g_assert_cmpint (kind, ==, DD_TAX_ID_INN_LEGAL);
            }
          if (g_str_has_prefix (name, "ИП "))
            {
              DdTaxIdKind kind = DD_TAX_ID_UNKNOWN;
              g_autofree char *digits = dd_tax_id_normalize (tax, "RU", &kind, NULL);

              g_assert_cmpint (kind, ==, DD_TAX_ID_INN_PERSON);
            }
        }
    }

  g_test_message ("%s: %u mobiles, %u fixed lines, %u rows with two phones, %u without tax "
                  "id, %u quoted names, %u addresses with ';', %u women, %u companies",
                  locale, n_mobiles, n_landlines, n_two, n_no_tax, n_quoted_quotes,
                  n_semicolons, n_feminine, n_company);

  g_assert_cmpuint (g_hash_table_size (creditors), >=, 2);
  g_assert_cmpuint (g_hash_table_size (creditors), <=, 3);
  /* The variety an importer has to cope with. */
  g_assert_cmpuint (n_quoted_quotes, >, 100);
  g_assert_cmpuint (n_semicolons, >, 100);
  g_assert_cmpuint (n_mobiles, >, n_landlines);
  g_assert_cmpuint (n_landlines, >, 500);
  g_assert_cmpuint (n_two, >, 500);
  g_assert_cmpuint (n_no_tax, >, 1000);
  g_assert_cmpuint (n_no_tax, <, 9000);
  g_assert_cmpuint (n_feminine, >, 500);
  g_assert_cmpuint (n_company, >, 500);
  g_assert_cmpuint (n_emails, >, 3000);
  /* Several ways of writing a phone number. */
  if (polish)
    {
      g_assert_nonnull (g_strstr_len (data, (gssize) len, ";+48"));
      g_assert_nonnull (g_strstr_len (data, (gssize) len, ";0048 "));
      g_assert_nonnull (g_strstr_len (data, (gssize) len, ";(0-"));
      g_assert_nonnull (g_strstr_len (data, (gssize) len, ";PL"));
    }
  else
    {
      g_assert_nonnull (g_strstr_len (data, (gssize) len, ";8 (974) "));
      g_assert_nonnull (g_strstr_len (data, (gssize) len, ";+7974"));
      g_assert_nonnull (g_strstr_len (data, (gssize) len, ";ИНН "));
      g_assert_nonnull (g_strstr_len (data, (gssize) len, "«"));
    }
}

static void
test_content_pl (void)
{
  check_office ("pl");
}

static void
test_content_ru (void)
{
  check_office ("ru");
}

static void
check_encoding (const char *locale,
                const char *encoding)
{
  GDate today;
  DdDemoOfficeOptions options = { .n_debtors = 2000, .locale = locale, .seed = 11,
                                  .error_rate = 0.05 };
  g_autoptr(GBytes) utf8 = NULL;
  g_autoptr(GBytes) legacy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *back = NULL;
  gsize utf8_len, legacy_len, back_len = 0;
  const char *utf8_data, *legacy_data;

  today_init (&today);
  options.today = &today;
  utf8 = write_office (&options, NULL);
  options.encoding = encoding;
  legacy = write_office (&options, NULL);

  utf8_data = g_bytes_get_data (utf8, &utf8_len);
  legacy_data = g_bytes_get_data (legacy, &legacy_len);
  /* One byte a letter: shorter, and not UTF-8. */
  g_assert_cmpuint (legacy_len, <, utf8_len);
  g_assert_false (g_utf8_validate (legacy_data, (gssize) legacy_len, NULL));

  back = g_convert (legacy_data, (gssize) legacy_len, "UTF-8", encoding, NULL, &back_len,
                    &error);
  g_assert_no_error (error);
  g_assert_cmpmem (back, back_len, utf8_data, utf8_len);
}

static void
test_encoding (void)
{
  check_encoding ("pl", "windows-1250");
  check_encoding ("ru", "windows-1251");
  check_encoding ("ru", "CP1251");

  /* Explicit UTF-8 is the default. */
  {
    DdDemoOfficeOptions options = { .n_debtors = 50, .locale = "pl", .seed = 1 };
    g_autoptr(GBytes) a = write_office (&options, NULL);
    g_autoptr(GBytes) b = NULL;

    options.encoding = "utf-8";
    b = write_office (&options, NULL);
    g_assert_true (g_bytes_equal (a, b));
  }
}

static void
test_encoding_errors (void)
{
  DdDemoOfficeOptions options = { .n_debtors = 50, .locale = "pl", .seed = 1,
                                  .encoding = "windows-1251" };
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  /* Polish letters do not exist in the Cyrillic code page. */
  g_assert_false (dd_demo_office_write_csv (out, &options, NULL, &error));
  g_assert_error (error, DD_DEMO_OFFICE_ERROR, DD_DEMO_OFFICE_ERROR_ENCODING);
  g_clear_error (&error);

  options.encoding = "no-such-encoding-1234";
  g_assert_false (dd_demo_office_write_csv (out, &options, NULL, &error));
  g_assert_error (error, DD_DEMO_OFFICE_ERROR, DD_DEMO_OFFICE_ERROR_ENCODING);
}

/* Defects at about the rate asked, each found by the checks above, one per row at most, of
 * every kind, and counted right in the statistics. */
static void
check_error_rate (const char *locale,
                  double      rate)
{
  gboolean polish = g_str_equal (locale, "pl");
  GDate today;
  DdDemoOfficeStats stats;
  DdDemoOfficeOptions options = { .locale = locale, .seed = 99, .max_rows = 10000,
                                  .error_rate = rate };
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) records = NULL;
  guint found[DD_DEMO_OFFICE_N_DEFECTS + 1] = { 0 };
  guint total = 0, stats_total = 0;

  today_init (&today);
  options.today = &today;
  bytes = write_office (&options, &stats);
  records = parse_bytes (bytes);
  g_assert_cmpuint (records->len, ==, 10001);

  for (guint i = 1; i < records->len; i++)
    found[check_row (g_ptr_array_index (records, i), polish, &today)]++;

  for (guint k = 0; k < DD_DEMO_OFFICE_N_DEFECTS; k++)
    {
      g_test_message ("%s at %.2f: defect %u in %u rows", locale, rate, k, found[k]);
      g_assert_cmpuint (found[k], ==, stats.n_defects[k]);
      total += found[k];
      stats_total += stats.n_defects[k];
      if (rate >= 0.05)
        g_assert_cmpuint (found[k], >, 0);
    }
  g_assert_cmpuint (total, ==, stats_total);
  g_assert_cmpuint (total + found[DD_DEMO_OFFICE_N_DEFECTS], ==, 10000);

  /* 10,000 draws: the standard deviation is at most 50 rows. */
  g_assert_cmpfloat (ABS ((double) total - rate * 10000), <=, 250);
}

static void
test_error_rate (void)
{
  check_error_rate ("pl", 0.0);
  check_error_rate ("pl", 0.1);
  check_error_rate ("ru", 0.05);
  check_error_rate ("ru", 0.3);
  check_error_rate ("pl", 1.0);
}

static void
test_invalid_options (void)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  DdDemoOfficeOptions good = { .n_debtors = 10, .locale = "pl", .seed = 1 };
  DdDemoOfficeOptions options;
  GDate invalid;

  options = good;
  options.locale = "de";
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (dd_demo_office_write_csv (out, &options, NULL, &error));
    g_assert_error (error, DD_DEMO_OFFICE_ERROR, DD_DEMO_OFFICE_ERROR_INVALID_OPTIONS);
  }
  options.locale = NULL;
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (dd_demo_office_write_csv (out, &options, NULL, &error));
    g_assert_error (error, DD_DEMO_OFFICE_ERROR, DD_DEMO_OFFICE_ERROR_INVALID_OPTIONS);
  }
  options = good;
  options.error_rate = 1.5;
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (dd_demo_office_write_csv (out, &options, NULL, &error));
    g_assert_error (error, DD_DEMO_OFFICE_ERROR, DD_DEMO_OFFICE_ERROR_INVALID_OPTIONS);
  }
  options.error_rate = NAN;
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (dd_demo_office_write_csv (out, &options, NULL, &error));
    g_assert_error (error, DD_DEMO_OFFICE_ERROR, DD_DEMO_OFFICE_ERROR_INVALID_OPTIONS);
  }
  options = good;
  options.n_debtors = 0;
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (dd_demo_office_write_csv (out, &options, NULL, &error));
    g_assert_error (error, DD_DEMO_OFFICE_ERROR, DD_DEMO_OFFICE_ERROR_INVALID_OPTIONS);
  }
  options = good;
  g_date_clear (&invalid, 1);
  options.today = &invalid;
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (dd_demo_office_write_csv (out, &options, NULL, &error));
    g_assert_error (error, DD_DEMO_OFFICE_ERROR, DD_DEMO_OFFICE_ERROR_INVALID_OPTIONS);
  }
  /* Nothing was written by the failed calls. */
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), ==, 0);
}

static void
test_cancel (void)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  DdDemoOfficeOptions options = { .n_debtors = 100000, .locale = "ru", .seed = 1 };

  g_cancellable_cancel (cancellable);
  g_assert_false (dd_demo_office_write_csv (out, &options, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_stream_error (void)
{
  /* A fixed buffer of 4 KiB that cannot grow. */
  g_autofree char *buffer = g_malloc (4096);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new (buffer, 4096, NULL, NULL);
  g_autoptr(GError) error = NULL;
  DdDemoOfficeOptions options = { .n_debtors = 5000, .locale = "pl", .seed = 1 };

  g_assert_false (dd_demo_office_write_csv (out, &options, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
}

static void
test_is_demo_phone (void)
{
  g_assert_true (dd_demo_office_is_demo_phone ("+48459912345"));
  g_assert_true (dd_demo_office_is_demo_phone ("+48459012345"));
  g_assert_true (dd_demo_office_is_demo_phone ("+48220123456"));
  g_assert_true (dd_demo_office_is_demo_phone ("+48120999999"));
  g_assert_true (dd_demo_office_is_demo_phone ("+79741234567"));
  g_assert_true (dd_demo_office_is_demo_phone ("+74950123456"));
  g_assert_true (dd_demo_office_is_demo_phone ("+74990123456"));
  g_assert_true (dd_demo_office_is_demo_phone ("+78120000000"));

  g_assert_false (dd_demo_office_is_demo_phone (NULL));
  g_assert_false (dd_demo_office_is_demo_phone (""));
  g_assert_false (dd_demo_office_is_demo_phone ("+48601234567"));
  g_assert_false (dd_demo_office_is_demo_phone ("+48221234567"));
  g_assert_false (dd_demo_office_is_demo_phone ("+4845991234"));
  g_assert_false (dd_demo_office_is_demo_phone ("+484599123456"));
  g_assert_false (dd_demo_office_is_demo_phone ("+79161234567"));
  g_assert_false (dd_demo_office_is_demo_phone ("+74951234567"));
  g_assert_false (dd_demo_office_is_demo_phone ("+7974123456"));
  g_assert_false (dd_demo_office_is_demo_phone ("+4420794600000"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/demo-office/header", test_header);
  g_test_add_func ("/dd/demo-office/deterministic", test_deterministic);
  g_test_add_func ("/dd/demo-office/row-count", test_row_count);
  g_test_add_func ("/dd/demo-office/content/pl", test_content_pl);
  g_test_add_func ("/dd/demo-office/content/ru", test_content_ru);
  g_test_add_func ("/dd/demo-office/encoding", test_encoding);
  g_test_add_func ("/dd/demo-office/encoding-errors", test_encoding_errors);
  g_test_add_func ("/dd/demo-office/error-rate", test_error_rate);
  g_test_add_func ("/dd/demo-office/invalid-options", test_invalid_options);
  g_test_add_func ("/dd/demo-office/cancel", test_cancel);
  g_test_add_func ("/dd/demo-office/stream-error", test_stream_error);
  g_test_add_func ("/dd/demo-office/is-demo-phone", test_is_demo_phone);

  return g_test_run ();
}
