/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-payments"

#include "config.h"

#include "dd-payment-csv.h"

#include "dd-csv-reader.h"
#include "dd-csv-sniffer.h"
#include "dd-dates.h"
#include "dd-money.h"

#include <glib/gi18n-lib.h>
#include <string.h>

static const char * const field_keys[] = {
  "date", "amount", "currency", "title", "payer-name", "payer-account", "tax-id", "reference",
};

/* Header words, casefolded; the first that a header contains wins (longer, more specific
 * words come first within a field). */
static const char * const field_words[DD_N_PAYMENT_FIELDS][10] = {
  [DD_PAYMENT_FIELD_DATE] = { "data", "date", "дата", NULL },
  [DD_PAYMENT_FIELD_AMOUNT] = { "kwota", "amount", "сумма", "wpłata", "uznanie", NULL },
  [DD_PAYMENT_FIELD_CURRENCY] = { "waluta", "currency", "валюта", NULL },
  [DD_PAYMENT_FIELD_TITLE] = { "tytuł", "tytul", "title", "назначение", "opis", "description",
                               "details", NULL },
  [DD_PAYMENT_FIELD_PAYER_NAME] = { "nadawca", "zleceniodawca", "kontrahent", "payer",
                                    "плательщик", "name", "nazwa", "контрагент", NULL },
  [DD_PAYMENT_FIELD_PAYER_ACCOUNT] = { "rachunek", "konto", "account", "iban", "счет", "счёт",
                                       NULL },
  [DD_PAYMENT_FIELD_TAX_ID] = { "nip", "инн", "tax", "pesel", NULL },
  [DD_PAYMENT_FIELD_REFERENCE] = { "referenc", "ref", "номер", "id", NULL },
};

/* Bank exports that split the money into a credit and a debit column ("Uznania" /
 * "Obciążenia", "Сумма по кредиту" / "Сумма по дебету", "Paid in" / "Paid out"): casefolded
 * words of each side. A header with "account" words ("Счет Кредит") is an account, not money. */
static const char * const credit_words[] = {
  "uznani", "wpływ", "wplyw", "wpłat", "wplat", "przychod", "credit", "paid in", "money in",
  "deposit", "кредит", "приход", "поступ", NULL
};
static const char * const debit_words[] = {
  "obciąż", "obciaz", "wydatk", "wypłat", "wyplat", "rozchod", "debit", "paid out",
  "money out", "withdraw", "дебет", "расход", "списан", NULL
};
static const char * const account_words[] = {
  "rachun", "konto", "account", "iban", "счет", "счёт", NULL
};

static gboolean
has_word (const char         *folded,
          const char * const *words)
{
  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (folded, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* A column that says which way the money went ("Тип операции": Кредит / Дебет, "D/C",
 * "Rodzaj transakcji": PRZELEW WYCHODZĄCY) */
static const char * const direction_headers[] = {
  "тип операции", "вид операции", "направление", "d/c", "dr/cr", "c/d", "cr/dr",
  "debit/credit", "credit/debit", "rodzaj transakcji", "typ transakcji", "typ operacji",
  "rodzaj operacji", "strona", "transaction type", NULL
};
static const char * const debit_values[] = {
  "d", "dr", "д", "w", "wn", "out", NULL
};
static const char * const debit_value_words[] = {
  "debit", "debet", "дебет", "расход", "списан", "wychodz", "obciąż", "obciaz", "outgoing",
  NULL
};

/* Whether @value of a direction column says the money went out. */
static gboolean
is_debit_value (const char *value)
{
  g_autofree char *folded = g_utf8_casefold (value ? value : "", -1);

  g_strstrip (folded);
  for (guint i = 0; debit_values[i] != NULL; i++)
    if (g_str_equal (folded, debit_values[i]))
      return TRUE;
  return has_word (folded, debit_value_words);
}

typedef enum
{
  MONEY_SIDE_NONE,
  MONEY_SIDE_CREDIT,
  MONEY_SIDE_DEBIT,
} MoneySide;

/* Which side of the money a header names, if only one. */
static MoneySide
money_side (const char *header)
{
  g_autofree char *folded = g_utf8_casefold (header ? header : "", -1);
  gboolean credit = has_word (folded, credit_words);
  gboolean debit = has_word (folded, debit_words);

  if (credit == debit || has_word (folded, account_words))
    return MONEY_SIDE_NONE;
  return credit ? MONEY_SIDE_CREDIT : MONEY_SIDE_DEBIT;
}

const char *
dd_payment_field_to_key (DdPaymentField field)
{
  g_return_val_if_fail (field < DD_N_PAYMENT_FIELDS, NULL);
  return field_keys[field];
}

const char *
dd_payment_field_to_label (DdPaymentField field)
{
  switch (field)
    {
    case DD_PAYMENT_FIELD_DATE: return _("Payment date");
    case DD_PAYMENT_FIELD_AMOUNT: return _("Amount");
    case DD_PAYMENT_FIELD_CURRENCY: return _("Currency");
    case DD_PAYMENT_FIELD_TITLE: return _("Transfer title");
    case DD_PAYMENT_FIELD_PAYER_NAME: return _("Payer name");
    case DD_PAYMENT_FIELD_PAYER_ACCOUNT: return _("Payer account");
    case DD_PAYMENT_FIELD_TAX_ID: return _("Payer tax ID");
    case DD_PAYMENT_FIELD_REFERENCE: return _("Bank reference");
    case DD_N_PAYMENT_FIELDS:
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
dd_payment_csv_map_guess (const char * const *header,
                          guint               n_header,
                          DdPaymentCsvMap    *out_map)
{
  gboolean any_debit = FALSE;

  for (guint f = 0; f < DD_N_PAYMENT_FIELDS; f++)
    out_map->columns[f] = -1;

  /* Money in two columns: the credits are the amount; the debit column is never taken. */
  for (guint c = 0; c < n_header; c++)
    any_debit |= money_side (header[c]) == MONEY_SIDE_DEBIT;
  for (guint c = 0; c < n_header && any_debit; c++)
    if (money_side (header[c]) == MONEY_SIDE_CREDIT)
      {
        out_map->columns[DD_PAYMENT_FIELD_AMOUNT] = c;
        break;
      }

  /* In field order: the amount's "kwota" is not taken by a later field, and a column is
   * given to one field only. */
  for (guint f = 0; f < DD_N_PAYMENT_FIELDS; f++)
    for (guint w = 0; field_words[f][w] != NULL && out_map->columns[f] < 0; w++)
      for (guint c = 0; c < n_header && out_map->columns[f] < 0; c++)
        {
          g_autofree char *folded = g_utf8_casefold (header[c], -1);
          gboolean taken = FALSE;

          for (guint g = 0; g < DD_N_PAYMENT_FIELDS; g++)
            taken |= out_map->columns[g] == (int) c;
          if (f == DD_PAYMENT_FIELD_AMOUNT && money_side (header[c]) == MONEY_SIDE_DEBIT)
            taken = TRUE;
          /* "ИНН плательщика", "Счет плательщика" name the payer but are not the name */
          if (f == DD_PAYMENT_FIELD_PAYER_NAME &&
              (has_word (folded, field_words[DD_PAYMENT_FIELD_TAX_ID]) ||
               has_word (folded, account_words)))
            taken = TRUE;
          if (!taken && strstr (folded, field_words[f][w]) != NULL)
            out_map->columns[f] = c;
        }

  return out_map->columns[DD_PAYMENT_FIELD_DATE] >= 0 &&
         out_map->columns[DD_PAYMENT_FIELD_AMOUNT] >= 0;
}

#define MAX_PREAMBLE_RECORDS 40

static char *
field_text (DdCsvReader           *reader,
            const DdPaymentCsvMap *map,
            DdPaymentField         field)
{
  int column = map->columns[field];
  char *text;

  if (column < 0 || (guint) column >= dd_csv_reader_get_n_fields (reader))
    return NULL;
  text = g_strstrip (g_strdup (dd_csv_reader_get_field (reader, column)));
  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

/* The value after @labels[i] ("Tytuł: RATA 7" → "RATA 7"), casefolded comparison; or NULL. */
static char *
labelled (const char         *piece,
          const char * const *labels)
{
  g_autofree char *folded = g_utf8_casefold (piece, -1);

  for (guint i = 0; labels[i] != NULL; i++)
    if (g_str_has_prefix (folded, labels[i]) && strlen (folded) == strlen (piece))
      {
        char *value = g_strstrip (g_strdup (piece + strlen (labels[i])));

        if (*value != '\0')
          return value;
        g_free (value);
      }
  return NULL;
}

static const char * const title_labels[] = { "tytuł:", "tytul:", "title:", NULL };
static const char * const name_labels[] = { "nazwa nadawcy:", "nazwa kontrahenta:",
                                            "nadawca:", "zleceniodawca:", NULL };
static const char * const account_labels[] = { "rachunek nadawcy:", "rachunek kontrahenta:",
                                               "nr rachunku:", NULL };

/* PKO BP writes the description over the title column and the unnamed ones after it, each
 * piece labelled ("Rachunek nadawcy: …", "Nazwa nadawcy: …", "Tytuł: …"): the labelled title,
 * name and account are taken from there. */
static void
read_description (DdCsvReader           *reader,
                  const DdPaymentCsvMap *map,
                  GPtrArray             *header_names,
                  DdPaymentLine         *line)
{
  int column = map->columns[DD_PAYMENT_FIELD_TITLE];
  g_autofree char *title = NULL, *name = NULL, *account = NULL;

  if (column < 0 || header_names == NULL)
    return;
  for (guint i = column; i < dd_csv_reader_get_n_fields (reader); i++)
    {
      const char *piece = dd_csv_reader_get_field (reader, i);
      const char *header = i < header_names->len ? g_ptr_array_index (header_names, i) : "";

      if (i > (guint) column && *header != '\0')
        break;
      if (title == NULL)
        title = labelled (piece, title_labels);
      if (name == NULL)
        name = labelled (piece, name_labels);
      if (account == NULL)
        account = labelled (piece, account_labels);
    }
  if (title != NULL)
    {
      g_free (line->title);
      line->title = g_steal_pointer (&title);
    }
  if (name != NULL && line->payer_name == NULL)
    line->payer_name = g_steal_pointer (&name);
  if (account != NULL && line->payer_account == NULL)
    line->payer_account = _dd_payment_normalize_account (account);
}

DdPaymentStatement *
dd_payment_csv_parse (const guint8           *data,
                      gsize                   len,
                      const DdPaymentCsvMap  *map,
                      const char             *default_currency,
                      const char             *encoding,
                      GError                **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(DdCsvReader) reader = NULL;
  g_autoptr(DdPaymentStatement) statement = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) local_error = NULL;
  DdPaymentCsvMap guessed;
  DdCsvDialect dialect;
  gboolean header_done = FALSE;
  gboolean credit_column = FALSE;
  guint n_preamble = 0;
  guint n_header_fields = 0;
  g_autoptr(GPtrArray) header_names = NULL;
  int direction_column = -1;   /* a column saying credit or debit, -1: none */   /* the amount is the credit side of a split: empty = debit */

  if (encoding != NULL)
    {
      DdCsvEncoding chosen;

      if (!dd_csv_encoding_from_string (encoding, &chosen))
        {
          g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_ENCODING,
                       _("The encoding %s is not supported."), encoding);
          return NULL;
        }
      if (!dd_csv_sniff_with_encoding (data, MIN (len, DD_CSV_SNIFF_SIZE), chosen, &dialect,
                                       error))
        return NULL;
    }
  else if (!dd_csv_sniff (data, MIN (len, DD_CSV_SNIFF_SIZE), &dialect, error))
    return NULL;

  stream = g_memory_input_stream_new_from_data (data, len, NULL);
  reader = dd_csv_reader_new (stream, dialect.encoding, dialect.delimiter);
  /* a bank's report title before the table (read errors are seen by the loop) */
  dd_csv_reader_skip_records (reader, dialect.skip_records, NULL, NULL);
  statement = dd_payment_statement_new (DD_PAYMENT_FORMAT_CSV,
                                        dd_csv_encoding_to_string (dialect.encoding));

  while (dd_csv_reader_next (reader, NULL, &local_error))
    {
      guint line_no = dd_csv_reader_get_line_number (reader);
      g_autofree char *date_text = NULL, *amount_text = NULL, *currency = NULL;
      char parsed_currency[4] = "";
      GDate date;
      gint64 amount;
      DdPaymentLine *line;
      GString *raw;

      if (!header_done)
        {
          gboolean found_later = FALSE;

          if (map == NULL)
            {
              g_autoptr(GPtrArray) header = g_ptr_array_new_with_free_func (g_free);

              for (guint i = 0; i < dd_csv_reader_get_n_fields (reader); i++)
                g_ptr_array_add (header, g_strdup (dd_csv_reader_get_field (reader, i)));
              g_ptr_array_add (header, NULL);
              if (!dd_payment_csv_map_guess ((const char * const *) header->pdata,
                                             header->len - 1, &guessed))
                {
                  /* a bank's preamble (address, period, totals) before the table: the
                   * header is the first record that names a date and an amount */
                  if (++n_preamble < MAX_PREAMBLE_RECORDS)
                    continue;
                  break;
                }
              found_later = n_preamble > 0;
              map = &guessed;
            }
          header_done = TRUE;
          n_header_fields = dd_csv_reader_get_n_fields (reader);
          if (dialect.has_header || found_later)
            {
              for (guint i = 0; i < n_header_fields && direction_column < 0; i++)
                {
                  g_autofree char *folded =
                    g_utf8_casefold (dd_csv_reader_get_field (reader, i), -1);
                  gboolean used = FALSE;

                  for (guint g = 0; g < DD_N_PAYMENT_FIELDS; g++)
                    used |= map->columns[g] == (int) i;
                  if (!used && has_word (folded, direction_headers))
                    direction_column = i;
                }
              header_names = g_ptr_array_new_with_free_func (g_free);
              for (guint i = 0; i < n_header_fields; i++)
                g_ptr_array_add (header_names,
                                 g_strstrip (g_strdup (dd_csv_reader_get_field (reader, i))));
            }
          if (dialect.has_header && map->columns[DD_PAYMENT_FIELD_AMOUNT] >= 0 &&
              (guint) map->columns[DD_PAYMENT_FIELD_AMOUNT] < dd_csv_reader_get_n_fields (reader))
            {
              gboolean any_debit = FALSE;

              for (guint i = 0; i < dd_csv_reader_get_n_fields (reader); i++)
                any_debit |= money_side (dd_csv_reader_get_field (reader, i)) == MONEY_SIDE_DEBIT;
              credit_column = any_debit &&
                              money_side (dd_csv_reader_get_field (
                                reader, map->columns[DD_PAYMENT_FIELD_AMOUNT])) ==
                              MONEY_SIDE_CREDIT;
            }
          if (dialect.has_header || found_later)
            continue;
        }

      if (dd_csv_reader_get_record_flags (reader) & DD_CSV_RECORD_INVALID_ENCODING)
        {
          g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_ENCODING,
                       _("Line %1$u: the text is not valid %2$s. Choose the encoding the "
                         "file was saved in."),
                       line_no, dd_csv_encoding_to_string (dialect.encoding));
          return NULL;
        }

      date_text = field_text (reader, map, DD_PAYMENT_FIELD_DATE);
      amount_text = field_text (reader, map, DD_PAYMENT_FIELD_AMOUNT);
      currency = field_text (reader, map, DD_PAYMENT_FIELD_CURRENCY);
      if (date_text == NULL && amount_text == NULL)
        continue;   /* an empty row */
      /* a bank's notes and totals under the table ("Saldo końcowe;;;10 200,00"): not shaped
       * like the table, and no date where the date is (a row cut short keeps its date and
       * is refused below) */
      if (dd_csv_reader_get_n_fields (reader) != n_header_fields &&
          (date_text == NULL || !dd_date_parse (date_text, &date, NULL)))
        continue;
      if (amount_text == NULL && credit_column)
        {
          statement->n_debits++;   /* money in the debit column only: outgoing */
          continue;
        }

      if (amount_text == NULL ||
          !dd_money_parse (amount_text, currency ? currency : default_currency, &amount,
                           parsed_currency, NULL, NULL))
        {
          g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_AMOUNT,
                       _("Line %1$u: the amount “%2$s” is not a number."), line_no,
                       amount_text ? amount_text : "");
          return NULL;
        }
      if (date_text == NULL || !dd_date_parse (date_text, &date, NULL))
        {
          g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_DATE,
                       _("Line %1$u: “%2$s” is not a date (DD.MM.YYYY)."), line_no,
                       date_text ? date_text : "");
          return NULL;
        }
      if (amount <= 0 ||
          (direction_column >= 0 &&
           (guint) direction_column < dd_csv_reader_get_n_fields (reader) &&
           is_debit_value (dd_csv_reader_get_field (reader, direction_column))))
        {
          statement->n_debits++;
          continue;
        }

      raw = g_string_new (NULL);
      for (guint i = 0; i < dd_csv_reader_get_n_fields (reader); i++)
        {
          if (i > 0)
            g_string_append_c (raw, dialect.delimiter);
          g_string_append (raw, dd_csv_reader_get_field (reader, i));
        }
      line = g_new0 (DdPaymentLine, 1);
      line->line_no = line_no;
      line->reference = field_text (reader, map, DD_PAYMENT_FIELD_REFERENCE);
      line->value_date = dd_date_to_iso (&date);
      line->amount_minor = amount;
      line->currency = g_strdup (parsed_currency);
      line->title = field_text (reader, map, DD_PAYMENT_FIELD_TITLE);
      line->payer_name = field_text (reader, map, DD_PAYMENT_FIELD_PAYER_NAME);
      {
        g_autofree char *account = field_text (reader, map, DD_PAYMENT_FIELD_PAYER_ACCOUNT);

        guint n_digits = 0;

        for (const char *c = account; c != NULL && *c != '\0'; c++)
          n_digits += g_ascii_isdigit (*c) != 0;
        /* an account number, not the name of the office's own account ("eKonto 12…78") */
        if (n_digits >= 10)
          line->payer_account = _dd_payment_normalize_account (account);
      }
      line->payer_tax_id = field_text (reader, map, DD_PAYMENT_FIELD_TAX_ID);
      read_description (reader, map, header_names, line);
      line->raw = g_string_free (raw, FALSE);
      dd_payment_statement_add (statement, line, seen);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!header_done && n_preamble > 0)
    {
      g_set_error_literal (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_FORMAT,
                           _("Line 1: the header names no date and amount "
                             "columns; map the columns by hand."));
      return NULL;
    }
  return g_steal_pointer (&statement);
}
