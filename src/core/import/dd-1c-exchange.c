/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-payments"

#include "config.h"

#include "dd-1c-exchange.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

typedef struct
{
  char *value;
  guint line_no;
} Field;

static void
field_free (gpointer data)
{
  Field *field = data;

  g_free (field->value);
  g_free (field);
}

static const char *
get (GHashTable *fields,
     const char *key)
{
  Field *field = g_hash_table_lookup (fields, key);

  return field != NULL && field->value[0] != '\0' ? field->value : NULL;
}

/* dd.mm.yyyy → yyyy-mm-dd */
static char *
parse_date (const char *text)
{
  int d, m, y;
  char tail;

  if (text == NULL || sscanf (text, "%2d.%2d.%4d%c", &d, &m, &y, &tail) != 3 ||
      !g_date_valid_dmy (d, m, y))
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02d", y, m, d);
}

/* From the raw bytes: Кодировка=Windows / DOS (the key is not ASCII, the value is). */
static const char *
declared_encoding (const guint8 *data,
                   gsize         len)
{
  gsize n = MIN (len, 2048);

  for (gsize i = 0; i < n; i++)
    if (data[i] == '=' && (i == 0 || data[i - 1] >= 0x80))
      {
        if (n - i > 4 && g_ascii_strncasecmp ((const char *) data + i + 1, "DOS", 3) == 0 &&
            (data[i + 4] == '\r' || data[i + 4] == '\n'))
          return "CP866";
        if (n - i > 8 && g_ascii_strncasecmp ((const char *) data + i + 1, "Windows", 7) == 0)
          return "WINDOWS-1251";
      }
  return "WINDOWS-1251";
}

/* A person's name is written "ФИО//address//" (the Bank of Russia's rule for individuals):
 * the name is what comes before the first "//". */
static char *
name_only (const char *name)
{
  const char *cut = strstr (name, "//");
  char *text = g_strstrip (cut != NULL && cut > name ? g_strndup (name, cut - name)
                                                     : g_strdup (name));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static char *
payer_name (GHashTable *fields)
{
  const char *name = get (fields, "Плательщик1");
  const char *p;

  if (name != NULL)
    return name_only (name);
  name = get (fields, "Плательщик");
  if (name == NULL)
    return NULL;
  /* "ИНН 7707083893 ООО «Ромашка»": the tax id has its own key */
  p = name;
  if (g_str_has_prefix (p, "ИНН"))
    {
      p += strlen ("ИНН");
      while (*p == ' ' || g_ascii_isdigit (*p))
        p++;
    }
  return name_only (p);
}

static char *
title_of (GHashTable *fields)
{
  GString *title = g_string_new (get (fields, "НазначениеПлатежа"));

  for (int i = 1; i <= 6; i++)
    {
      g_autofree char *key = g_strdup_printf ("НазначениеПлатежа%d", i);
      const char *more = get (fields, key);

      if (more != NULL && (title->len == 0 || strstr (title->str, more) == NULL))
        {
          if (title->len > 0)
            g_string_append_c (title, ' ');
          g_string_append (title, more);
        }
    }
  if (title->len == 0)
    {
      g_string_free (title, TRUE);
      return NULL;
    }
  return g_string_free (title, FALSE);
}

static gboolean
finish_document (DdPaymentStatement  *statement,
                 GHashTable          *seen,
                 GPtrArray           *own_accounts,
                 GHashTable          *fields,
                 guint                line_no,
                 GString             *raw,
                 GError             **error)
{
  g_autofree char *receiver = _dd_payment_normalize_account (get (fields, "ПолучательСчет")
                                                             ? get (fields, "ПолучательСчет")
                                                             : get (fields, "ПолучательРасчСчет"));
  const char *payer_account = get (fields, "ПлательщикСчет")
                              ? get (fields, "ПлательщикСчет")
                              : get (fields, "ПлательщикРасчСчет");
  Field *sum = g_hash_table_lookup (fields, "Сумма");
  const char *received = get (fields, "ДатаПоступило");
  g_autofree char *date = NULL;
  gboolean incoming = FALSE;
  DdPaymentLine *line;
  gint64 amount;

  if (sum == NULL || !_dd_payment_parse_amount (sum->value, '\0', &amount) || amount < 0)
    {
      g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_AMOUNT,
                   _("Line %1$u: the amount “%2$s” is not a number."),
                   sum ? sum->line_no : line_no, sum ? sum->value : "");
      return FALSE;
    }
  date = parse_date (received ? received : get (fields, "Дата"));
  if (date == NULL)
    {
      Field *f = g_hash_table_lookup (fields, received ? "ДатаПоступило" : "Дата");

      g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_DATE,
                   _("Line %1$u: “%2$s” is not a date (DD.MM.YYYY)."),
                   f ? f->line_no : line_no, f ? f->value : "");
      return FALSE;
    }

  if (amount == 0)
    return TRUE;   /* a zero document (a notice, a waived fee): no money moved */
  if (own_accounts->len > 0)
    {
      g_autofree char *payer = _dd_payment_normalize_account (payer_account);
      gboolean from_own = FALSE;

      for (guint i = 0; i < own_accounts->len; i++)
        {
          incoming |= g_strcmp0 (receiver, g_ptr_array_index (own_accounts, i)) == 0;
          from_own |= g_strcmp0 (payer, g_ptr_array_index (own_accounts, i)) == 0;
        }
      /* money moved between the office's own accounts is nobody's payment */
      incoming &= !from_own;
    }
  else
    incoming = received != NULL;
  if (!incoming)
    {
      statement->n_debits++;
      return TRUE;
    }

  line = g_new0 (DdPaymentLine, 1);
  line->line_no = line_no;
  line->reference = g_strdup_printf ("%s %s %s", get (fields, "Номер") ? get (fields, "Номер") : "",
                                     get (fields, "Дата") ? get (fields, "Дата") : "",
                                     payer_account ? payer_account : "");
  line->account = g_steal_pointer (&receiver);
  line->value_date = g_steal_pointer (&date);
  line->amount_minor = amount;
  line->currency = g_strdup ("RUB");
  line->title = title_of (fields);
  line->payer_name = payer_name (fields);
  line->payer_account = _dd_payment_normalize_account (payer_account);
  line->payer_tax_id = g_strdup (get (fields, "ПлательщикИНН"));
  line->raw = g_strdup (raw->str);
  dd_payment_statement_add (statement, line, seen);
  return TRUE;
}

DdPaymentStatement *
dd_1c_exchange_parse (const guint8  *data,
                      gsize          len,
                      const char    *encoding,
                      GError       **error)
{
  g_autofree char *used = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) line_array = NULL;
  char **lines;
  g_autoptr(DdPaymentStatement) statement = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(GPtrArray) own_accounts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) raw = g_string_new (NULL);
  guint document_line = 0, first_unknown_line = 0, last_line = 0;
  gboolean known_keys = FALSE, ended = FALSE;

  if (encoding == NULL && !g_utf8_validate_len ((const char *) data, len, NULL))
    encoding = declared_encoding (data, len);
  /* the names the file itself uses (Кодировка=DOS / Windows) */
  else if (encoding != NULL && g_ascii_strcasecmp (encoding, "DOS") == 0)
    encoding = "CP866";
  else if (encoding != NULL && g_ascii_strcasecmp (encoding, "Windows") == 0)
    encoding = "WINDOWS-1251";
  text = _dd_payment_decode (data, len, encoding, "WINDOWS-1251", &used, error);
  if (text == NULL)
    return NULL;

  statement = dd_payment_statement_new (DD_PAYMENT_FORMAT_1C, used);
  line_array = _dd_payment_split_lines (text);
  lines = (char **) line_array->pdata;
  if (lines[0] == NULL || !g_str_has_prefix (lines[0], "1CClientBankExchange"))
    {
      g_set_error_literal (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_FORMAT,
                           _("Line 1: the file does not begin with “1CClientBankExchange”."));
      return NULL;
    }

  for (guint i = 1; lines[i] != NULL && !ended; i++)
    {
      char *line = g_strstrip (lines[i]);
      const char *eq;
      g_autofree char *key = NULL;
      const char *value;

      if (*line == '\0')
        continue;
      last_line = i + 1;
      eq = strchr (line, '=');
      key = eq ? g_strndup (line, eq - line) : g_strdup (line);
      value = eq ? eq + 1 : "";

      if (g_str_equal (key, "ВерсияФормата") || g_str_equal (key, "СекцияДокумент") ||
          g_str_equal (key, "КонецФайла") || g_str_equal (key, "Кодировка"))
        known_keys = TRUE;
      else if (first_unknown_line == 0 && !g_str_is_ascii (key) && !known_keys)
        first_unknown_line = i + 1;

      if (document_line != 0)
        {
          if (g_str_equal (key, "КонецДокумента"))
            {
              if (!finish_document (statement, seen, own_accounts, fields, document_line, raw,
                                    error))
                return NULL;
              document_line = 0;
              g_clear_pointer (&fields, g_hash_table_unref);
            }
          else
            {
              Field *field = g_new0 (Field, 1);

              field->value = g_strdup (value);
              field->line_no = i + 1;
              g_hash_table_replace (fields, g_steal_pointer (&key), field);
              g_string_append_c (raw, '\n');
              g_string_append (raw, line);
            }
          continue;
        }

      if (g_str_equal (key, "СекцияДокумент"))
        {
          document_line = i + 1;
          fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, field_free);
          g_string_assign (raw, line);
        }
      else if (g_str_equal (key, "РасчСчет") && *value != '\0')
        {
          char *account = _dd_payment_normalize_account (value);
          gboolean known = FALSE;

          for (guint j = 0; j < own_accounts->len; j++)
            known |= g_str_equal (g_ptr_array_index (own_accounts, j), account);
          if (known)
            g_free (account);
          else
            g_ptr_array_add (own_accounts, account);
        }
      else if (g_str_equal (key, "КонецФайла"))
        ended = TRUE;
    }

  if (!known_keys)
    {
      g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_ENCODING,
                   _("Line %1$u: the file’s keys cannot be read in %2$s: it is in another "
                     "encoding than the one it says (Кодировка) or was chosen."),
                   first_unknown_line ? first_unknown_line : 2, used);
      return NULL;
    }
  if (document_line != 0)
    {
      g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_TRUNCATED,
                   _("Line %1$u: the document that begins on line %2$u has no end "
                     "(КонецДокумента); the file seems to be cut short."),
                   last_line, document_line);
      return NULL;
    }
  if (!ended)
    {
      g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_TRUNCATED,
                   _("Line %u: the file ends without “КонецФайла”; it seems to be cut short."),
                   last_line);
      return NULL;
    }
  return g_steal_pointer (&statement);
}
