/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-payments"

#include "config.h"

#include "dd-payment-statement.h"

#include "dd-1c-exchange.h"
#include "dd-csv-sniffer.h"
#include "dd-mt940.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_QUARK (dd-payment-error-quark, dd_payment_error)

static const char * const format_names[] = {
  [DD_PAYMENT_FORMAT_AUTO] = "auto",
  [DD_PAYMENT_FORMAT_MT940] = "mt940",
  [DD_PAYMENT_FORMAT_1C] = "1c",
  [DD_PAYMENT_FORMAT_CSV] = "csv",
};

const char *
dd_payment_format_to_string (DdPaymentFormat format)
{
  g_return_val_if_fail (format <= DD_PAYMENT_FORMAT_CSV, NULL);
  return format_names[format];
}

gboolean
dd_payment_format_from_string (const char      *text,
                               DdPaymentFormat *out_format)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_ascii_strcasecmp (text, format_names[i]) == 0)
      {
        *out_format = i;
        return TRUE;
      }
  return FALSE;
}

DdPaymentFormat
dd_payment_format_guess (const guint8 *data,
                         gsize         len)
{
  static const char exchange[] = "1CClientBankExchange";
  gsize n = MIN (len, 4096);
  gsize start = 0;

  if (n >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    start = 3;
  if (n - start >= strlen (exchange) &&
      memcmp (data + start, exchange, strlen (exchange)) == 0)
    return DD_PAYMENT_FORMAT_1C;
  /* MT940: a SWIFT block header, or tags :20: and :25: near the start */
  for (gsize i = start; i + 4 <= n; i++)
    if ((i == start || data[i - 1] == '\n' || data[i - 1] == '{' || data[i - 1] == ':') &&
        (memcmp (data + i, ":20:", 4) == 0 || memcmp (data + i, ":25:", 4) == 0))
      return DD_PAYMENT_FORMAT_MT940;
  return DD_PAYMENT_FORMAT_CSV;
}

void
dd_payment_line_free (DdPaymentLine *line)
{
  if (line == NULL)
    return;
  g_free (line->reference);
  g_free (line->account);
  g_free (line->value_date);
  g_free (line->currency);
  g_free (line->title);
  g_free (line->payer_name);
  g_free (line->payer_account);
  g_free (line->payer_tax_id);
  g_free (line->raw);
  g_free (line->key);
  g_free (line);
}

DdPaymentStatement *
dd_payment_statement_new (DdPaymentFormat  format,
                          const char      *encoding)
{
  DdPaymentStatement *statement = g_new0 (DdPaymentStatement, 1);

  statement->format = format;
  statement->encoding = g_strdup (encoding);
  statement->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_payment_line_free);
  return statement;
}

void
dd_payment_statement_free (DdPaymentStatement *statement)
{
  if (statement == NULL)
    return;
  g_free (statement->encoding);
  g_ptr_array_unref (statement->lines);
  g_free (statement);
}

void
dd_payment_statement_add (DdPaymentStatement *statement,
                          DdPaymentLine      *line,
                          GHashTable         *seen_keys)
{
  g_autofree char *base = NULL;
  g_autofree char *reference = NULL;
  guint n;

  /* Without a usable reference ("NONREF"), the entry's own text tells it apart. */
  if (line->reference != NULL && *line->reference != '\0' &&
      g_ascii_strcasecmp (line->reference, "NONREF") != 0)
    reference = g_strdup (line->reference);
  else
    reference = g_compute_checksum_for_string (G_CHECKSUM_SHA1,
                                               line->raw ? line->raw : "", -1);
  base = g_strdup_printf ("%s|%s|%s|%" G_GINT64_FORMAT "%s", reference,
                          line->account ? line->account : "", line->value_date,
                          line->amount_minor, line->currency);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (seen_keys, base)) + 1;
  g_hash_table_replace (seen_keys, g_strdup (base), GUINT_TO_POINTER (n));
  line->key = n == 1 ? g_steal_pointer (&base) : g_strdup_printf ("%s#%u", base, n);
  g_ptr_array_add (statement->lines, line);
}

DdPaymentStatement *
dd_payment_statement_parse (const guint8     *data,
                            gsize             len,
                            DdPaymentFormat   format,
                            const char       *encoding,
                            GError          **error)
{
  if (format == DD_PAYMENT_FORMAT_AUTO)
    format = dd_payment_format_guess (data, len);
  switch (format)
    {
    case DD_PAYMENT_FORMAT_MT940:
      return dd_mt940_parse (data, len, encoding, error);
    case DD_PAYMENT_FORMAT_1C:
      return dd_1c_exchange_parse (data, len, encoding, error);
    case DD_PAYMENT_FORMAT_AUTO:
    case DD_PAYMENT_FORMAT_CSV:
    default:
      g_set_error_literal (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_FORMAT,
                           _("The file is neither an MT940 statement nor a "
                             "1CClientBankExchange file."));
      return NULL;
    }
}

static guint
line_of (const guint8 *data,
         gsize         offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    line += data[i] == '\n';
  return line;
}

static const char *
encoding_label (const char *encoding)
{
  if (g_ascii_strcasecmp (encoding, "UTF-8") == 0)
    return "UTF-8";
  if (g_ascii_strcasecmp (encoding, "WINDOWS-1250") == 0)
    return "Windows-1250";
  if (g_ascii_strcasecmp (encoding, "WINDOWS-1251") == 0)
    return "Windows-1251";
  if (g_ascii_strcasecmp (encoding, "CP866") == 0)
    return "CP866 (DOS)";
  return encoding;
}

char *
_dd_payment_decode (const guint8  *data,
                    gsize          len,
                    const char    *encoding,
                    const char    *fallback,
                    char         **out_encoding,
                    GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *chosen = NULL;
  const char *end;

  /* NUL bytes: UTF-16 or not text at all */
  for (gsize i = 0; i < len; i++)
    if (data[i] == '\0')
      {
        g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_ENCODING,
                     _("Line %u: the file is not text in UTF-8, Windows-1250 or Windows-1251 "
                       "(it contains zero bytes; it may be in UTF-16). Export the statement "
                       "again as text."),
                     line_of (data, i));
        return NULL;
      }

  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0 &&
      (encoding == NULL || g_ascii_strcasecmp (encoding, "UTF-8") == 0))
    {
      data += 3;
      len -= 3;
      encoding = "UTF-8";
    }

  if (encoding == NULL)
    {
      DdCsvDialect dialect;

      if (g_utf8_validate_len ((const char *) data, len, NULL))
        chosen = g_strdup ("UTF-8");
      else if (dd_csv_sniff (data, len, &dialect, NULL) &&
               dialect.encoding != DD_CSV_ENCODING_UTF8)
        chosen = g_strdup (dialect.encoding == DD_CSV_ENCODING_WINDOWS_1251 ? "WINDOWS-1251"
                           : dialect.encoding == DD_CSV_ENCODING_WINDOWS_1250 ? "WINDOWS-1250"
                           : fallback);
      else
        chosen = g_strdup (fallback);
    }
  else
    chosen = g_ascii_strup (encoding, -1);

  if (g_str_equal (chosen, "UTF-8"))
    {
      if (!g_utf8_validate_len ((const char *) data, len, &end))
        {
          g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_ENCODING,
                       _("Line %u: the text is not valid UTF-8. Choose the encoding the bank "
                         "used (Windows-1250 or Windows-1251)."),
                       line_of (data, (const guint8 *) end - data));
          return NULL;
        }
      if (out_encoding != NULL)
        *out_encoding = g_steal_pointer (&chosen);
      return g_strndup ((const char *) data, len);
    }
  else
    {
      gsize bytes_read = 0;
      char *text = g_convert ((const char *) data, len, "UTF-8", chosen, &bytes_read, NULL,
                              &local_error);

      if (text == NULL)
        {
          if (g_error_matches (local_error, G_CONVERT_ERROR, G_CONVERT_ERROR_NO_CONVERSION))
            g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_ENCODING,
                         _("The encoding %s is not supported."), encoding_label (chosen));
          else
            g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_ENCODING,
                         _("Line %1$u: the text is not valid %2$s. Choose the encoding the "
                           "bank used."),
                         line_of (data, bytes_read), encoding_label (chosen));
          return NULL;
        }
      if (out_encoding != NULL)
        *out_encoding = g_steal_pointer (&chosen);
      return text;
    }
}

gboolean
_dd_payment_parse_amount (const char *text,
                          char        decimal,
                          gint64     *out_minor)
{
  gint64 units = 0;
  int decimals = -1;
  gboolean any = FALSE;
  const char *p = text;

  while (*p == ' ')
    p++;
  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (decimals >= 0)
            {
              if (decimals == 2)
                return FALSE;
              decimals++;
            }
          if (units > (G_MAXINT64 / 10) - 10)
            return FALSE;
          units = units * 10 + (*p - '0');
          any = TRUE;
        }
      else if ((*p == ',' || *p == '.') && (decimal == '\0' || *p == decimal) && decimals < 0)
        decimals = 0;
      else if (*p == ' ' && decimals < 0 && g_ascii_isdigit (p[1]))
        continue;
      else if (*p == ' ' || *p == '\r')
        {
          while (*p == ' ' || *p == '\r')
            p++;
          if (*p != '\0')
            return FALSE;
          break;
        }
      else
        return FALSE;
    }
  if (!any)
    return FALSE;
  if (decimals < 0)
    decimals = 0;
  for (; decimals < 2; decimals++)
    units *= 10;
  *out_minor = units;
  return TRUE;
}

GPtrArray *
_dd_payment_split_lines (char *text)
{
  GPtrArray *lines = g_ptr_array_new ();
  gsize len = strlen (text);
  char *end = text + len;
  char *p = text;

  for (;;)
    {
      char *nl = memchr (p, '\n', end - p);

      g_ptr_array_add (lines, p);
      if (nl == NULL)
        break;
      *nl = '\0';
      p = nl + 1;
    }
  g_ptr_array_add (lines, NULL);
  return lines;
}

char *
_dd_payment_normalize_account (const char *account)
{
  GString *s;

  if (account == NULL)
    return NULL;
  s = g_string_new (NULL);
  for (const char *p = account; *p != '\0'; p++)
    if (*p != ' ' && *p != '-' && *p != '/' && *p != '\r' && *p != '\n' && *p != '\'' &&
        *p != '"')
      g_string_append_c (s, g_ascii_toupper (*p));
  if (s->len == 0)
    {
      g_string_free (s, TRUE);
      return NULL;
    }
  return g_string_free (s, FALSE);
}
