/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-payments"

#include "config.h"

#include "dd-mt940.h"

#include <glib/gi18n-lib.h>
#include <string.h>

typedef struct
{
  guint    line_no;
  GString *raw;
  char    *value_date;
  gint64   amount_minor;
  gboolean credit;
  char    *reference;
  char    *details;       /* :86: joined, or NULL */
} Entry;

typedef struct
{
  DdPaymentStatement *statement;
  GHashTable         *seen_keys;
  guint               statement_line;   /* line of :20:, 0 outside a statement */
  char               *account;
  char               *currency;
  Entry              *entry;
  guint               intermediate_line; /* line of a :62M: that no :60M: took up yet */
} Parser;

static void
entry_free (Entry *entry)
{
  if (entry == NULL)
    return;
  g_string_free (entry->raw, TRUE);
  g_free (entry->value_date);
  g_free (entry->reference);
  g_free (entry->details);
  g_free (entry);
}

static gboolean
is_tag_line (const char  *line,
             char       **out_tag,
             const char **out_value)
{
  const char *p = line + 1;

  /* ":NS:" (non-SWIFT): the extension field some Polish banks add after :86: */
  if (g_str_has_prefix (line, ":NS:"))
    {
      *out_tag = g_strdup ("NS");
      *out_value = line + 4;
      return TRUE;
    }
  if (line[0] != ':' || !g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]))
    return FALSE;
  p += 2;
  if (g_ascii_isalpha (*p))
    p++;
  if (*p != ':')
    return FALSE;
  *out_tag = g_strndup (line + 1, p - line - 1);
  *out_value = p + 1;
  return TRUE;
}

static gboolean
is_marker (char c)
{
  return c == '~' || c == '<' || c == '^' || c == '?';
}

/* The subfield marker of :86: text, or '\0' when it is free text. */
static char
find_marker (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (is_marker (*p) && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]))
      return *p;
  return '\0';
}

static char *
trimmed (GString *s)
{
  char *text = g_strstrip (g_strdup (s->str));

  if (*text == '\0')
    {
      g_free (text);
      return NULL;
    }
  return text;
}

/* Fills the title, payer and account of @line from the :86: text. */
static void
parse_details (const char    *details,
               DdPaymentLine *line)
{
  g_autoptr(GString) title = g_string_new (NULL);
  g_autoptr(GString) name_27 = g_string_new (NULL);
  g_autoptr(GString) name_32 = g_string_new (NULL);
  g_autoptr(GString) sort_code = g_string_new (NULL);
  g_autoptr(GString) account = g_string_new (NULL);
  g_autoptr(GString) iban = g_string_new (NULL);
  g_autoptr(GString) code = g_string_new (NULL);
  char marker = find_marker (details);
  const char *p;

  if (marker == '\0')
    {
      line->title = g_strstrip (g_strdup (details));
      return;
    }

  p = strchr (details, marker);
  while (p != NULL)
    {
      const char *value = p + 3;
      const char *end = value;
      int field;
      GString *target = NULL;

      if (!g_ascii_isdigit (p[1]) || !g_ascii_isdigit (p[2]))
        {
          p = strchr (p + 1, marker);
          continue;
        }
      field = (p[1] - '0') * 10 + (p[2] - '0');
      while (*end != '\0' && !(*end == marker && g_ascii_isdigit (end[1]) &&
                               g_ascii_isdigit (end[2])))
        end++;

      if (field >= 20 && field <= 26)
        target = title;
      else if (field == 27 || field == 28)
        target = name_27;
      else if (field == 32 || field == 33)
        target = name_32;
      else if (field == 30)
        target = sort_code;
      else if (field == 31)
        target = account;
      else if (field == 38)
        target = iban;
      else if (field == 0)
        target = code;
      if (target != NULL)
        g_string_append_len (target, value, end - value);

      p = *end != '\0' ? end : NULL;
    }

  line->title = trimmed (title->len > 0 ? title : code);
  line->payer_name = trimmed (name_32->len > 0 ? name_32 : name_27);
  if (iban->len > 0)
    line->payer_account = _dd_payment_normalize_account (iban->str);
  else if (account->len > 0)
    {
      g_string_prepend (account, sort_code->str);
      line->payer_account = _dd_payment_normalize_account (account->str);
    }
}

static void
flush_entry (Parser *parser)
{
  Entry *entry = g_steal_pointer (&parser->entry);
  DdPaymentLine *line;

  if (entry == NULL)
    return;
  if (entry->amount_minor == 0)
    {
      /* a zero entry (a fee waived, a notice): no money moved either way */
      entry_free (entry);
      return;
    }
  if (!entry->credit)
    {
      parser->statement->n_debits++;
      entry_free (entry);
      return;
    }

  line = g_new0 (DdPaymentLine, 1);
  line->line_no = entry->line_no;
  line->reference = g_steal_pointer (&entry->reference);
  line->account = g_strdup (parser->account);
  line->value_date = g_steal_pointer (&entry->value_date);
  line->amount_minor = entry->amount_minor;
  line->currency = g_strdup (parser->currency);
  if (entry->details != NULL)
    parse_details (entry->details, line);
  line->raw = g_strdup (entry->raw->str);
  entry_free (entry);
  dd_payment_statement_add (parser->statement, line, parser->seen_keys);
}

static gboolean
parse_yymmdd (const char *p,
              char      **out_iso)
{
  GDate date;
  int y, m, d;

  for (int i = 0; i < 6; i++)
    if (!g_ascii_isdigit (p[i]))
      return FALSE;
  y = 2000 + (p[0] - '0') * 10 + (p[1] - '0');
  m = (p[2] - '0') * 10 + (p[3] - '0');
  d = (p[4] - '0') * 10 + (p[5] - '0');
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  *out_iso = g_strdup_printf ("%04d-%02d-%02d", y, m, d);
  return TRUE;
}

static gboolean
is_type_code (const char *p)
{
  return (p[0] == 'N' || p[0] == 'F' || p[0] == 'S') &&
         g_ascii_isalnum (p[1]) && g_ascii_isalnum (p[2]) && g_ascii_isalnum (p[3]);
}

/* :61:YYMMDD[MMDD](C|D|RC|RD)[funds code]amount(N|F|S)xxx reference[//bank reference] */
static gboolean
parse_61 (Parser      *parser,
          guint        line_no,
          const char  *value,
          GError     **error)
{
  g_autoptr(GString) first_line = NULL;
  g_autofree char *amount = NULL;
  const char *p, *end;
  Entry *entry;
  gboolean reversal = FALSE;
  const char *nl = strchr (value, '\n');

  first_line = g_string_new_len (value, nl ? nl - value : (gssize) strlen (value));
  p = first_line->str;

  if (parser->statement_line == 0 || parser->currency == NULL)
    {
      g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_FORMAT,
                   _("Line %u: an entry (:61:) comes before the statement’s opening balance "
                     "(:60F:), so its currency is unknown."),
                   line_no);
      return FALSE;
    }

  entry = g_new0 (Entry, 1);
  entry->line_no = line_no;
  entry->raw = g_string_new (":61:");
  g_string_append (entry->raw, value);
  parser->entry = entry;

  if (!parse_yymmdd (p, &entry->value_date))
    {
      g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_DATE,
                   _("Line %1$u: “%2$.6s” is not a value date (YYMMDD)."), line_no, p);
      return FALSE;
    }
  p += 6;
  if (g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]) &&
      g_ascii_isdigit (p[3]))
    p += 4;
  if (*p == 'R')
    {
      reversal = TRUE;
      p++;
    }
  if (*p != 'C' && *p != 'D')
    {
      g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_FORMAT,
                   _("Line %u: the entry (:61:) does not say whether it is a credit (C) or a "
                     "debit (D)."),
                   line_no);
      return FALSE;
    }
  /* a reversed debit (RD) brings money back like a credit; a reversed credit takes it */
  entry->credit = (*p == 'C') != reversal;
  p++;
  if (g_ascii_isalpha (*p) && g_ascii_isdigit (p[1]))
    p++;   /* funds code: the third letter of the currency */

  for (end = p; *end != '\0'; end++)
    if (end > p && is_type_code (end) && (g_ascii_isdigit (end[-1]) || end[-1] == ','))
      break;
  amount = g_strndup (p, end - p);
  /* SWIFT's decimal mark is the comma; some banks' exports write a dot ("200.00") */
  if (*end == '\0' || (strchr (amount, ',') == NULL && strchr (amount, '.') == NULL) ||
      !_dd_payment_parse_amount (amount, strchr (amount, ',') ? ',' : '.',
                                 &entry->amount_minor) ||
      entry->amount_minor < 0)
    {
      if (*end == '\0')
        {
          g_free (amount);
          amount = g_strdup (p);
        }
      g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_AMOUNT,
                   _("Line %1$u: the amount “%2$s” is not a number."), line_no, amount);
      return FALSE;
    }

  p = end + 4;
  {
    const char *slashes = strstr (p, "//");
    g_autofree char *customer = g_strstrip (g_strndup (p, slashes ? slashes - p
                                                                 : (gssize) strlen (p)));
    g_autofree char *bank = slashes ? g_strstrip (g_strdup (slashes + 2)) : NULL;

    if (bank != NULL && *bank != '\0')
      entry->reference = g_steal_pointer (&bank);
    else if (*customer != '\0' && g_ascii_strcasecmp (customer, "NONREF") != 0)
      entry->reference = g_steal_pointer (&customer);
  }
  return TRUE;
}

static gboolean
handle_tag (Parser      *parser,
            const char  *tag,
            guint        line_no,
            const char  *value,
            GError     **error)
{
  if (g_str_equal (tag, "20"))
    {
      flush_entry (parser);
      parser->statement_line = line_no;
      g_clear_pointer (&parser->account, g_free);
      g_clear_pointer (&parser->currency, g_free);
    }
  else if (g_str_equal (tag, "25"))
    {
      g_free (parser->account);
      parser->account = _dd_payment_normalize_account (value);
    }
  else if (g_str_equal (tag, "60F") || g_str_equal (tag, "60M"))
    {
      parser->intermediate_line = 0;
      /* C|D YYMMDD CCC amount */
      if (strlen (value) < 10 || (value[0] != 'C' && value[0] != 'D') ||
          !g_ascii_isalpha (value[7]) || !g_ascii_isalpha (value[8]) ||
          !g_ascii_isalpha (value[9]))
        {
          g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_FORMAT,
                       _("Line %u: the opening balance (:60F:) is not in the form "
                         "C or D, date, currency, amount."),
                       line_no);
          return FALSE;
        }
      g_free (parser->currency);
      parser->currency = g_ascii_strup (value + 7, 3);
    }
  else if (g_str_equal (tag, "61"))
    {
      flush_entry (parser);
      return parse_61 (parser, line_no, value, error);
    }
  else if (g_str_equal (tag, "86"))
    {
      if (parser->entry != NULL && parser->entry->details == NULL)
        {
          GString *joined = g_string_new (NULL);
          char marker = find_marker (value);

          g_string_append (parser->entry->raw, "\n:86:");
          g_string_append (parser->entry->raw, value);
          /* lines are cut at a fixed width: subfields are joined as they were; free text
           * gets a space where the line was cut */
          for (const char *p = value; *p != '\0'; p++)
            if (*p != '\n')
              g_string_append_c (joined, *p);
            else if (marker == '\0')
              g_string_append_c (joined, ' ');
          parser->entry->details = g_string_free (joined, FALSE);
        }
    }
  else if (g_str_equal (tag, "62F") || g_str_equal (tag, "62M"))
    {
      flush_entry (parser);
      parser->statement_line = 0;
      /* an intermediate balance: the statement goes on in the next message */
      parser->intermediate_line = g_str_equal (tag, "62M") ? line_no : 0;
    }
  return TRUE;
}

DdPaymentStatement *
dd_mt940_parse (const guint8  *data,
                gsize          len,
                const char    *encoding,
                GError       **error)
{
  g_autofree char *used = NULL;
  g_autofree char *text = _dd_payment_decode (data, len, encoding, "WINDOWS-1250", &used, error);
  g_autoptr(GPtrArray) line_array = NULL;
  char **lines;
  g_autofree char *tag = NULL;
  g_autoptr(GString) value = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(DdPaymentStatement) statement = NULL;
  Parser parser = { 0 };
  guint tag_line = 0, n_statements = 0, last_line = 0;
  guint envelope_line = 0;            /* line of an open "{4:" message, 0 outside */
  gboolean envelope_has_statement = FALSE;
  gboolean ok = TRUE;

  if (text == NULL)
    return NULL;

  statement = dd_payment_statement_new (DD_PAYMENT_FORMAT_MT940, used);
  parser.statement = statement;
  parser.seen_keys = seen;
  line_array = _dd_payment_split_lines (text);
  lines = (char **) line_array->pdata;

  for (guint i = 0; ok && lines[i] != NULL; i++)
    {
      char *line = lines[i];
      gsize n = strlen (line);
      char *new_tag = NULL;
      const char *rest = NULL;

      if (n > 0 && line[n - 1] == '\r')
        line[--n] = '\0';
      if (n == 0)
        continue;
      last_line = i + 1;

      /* SWIFT envelope: "{1:F01…}{2:…}{4:" opens, "-}" (maybe followed by the trailer
       * "{5:{CHK:…}}") or "-" closes a message */
      if (line[0] == '{' || g_str_has_prefix (line, "-}") || g_str_equal (line, "-"))
        {
          const char *inner = line[0] == '{' ? strstr (line, "{4:") : NULL;

          if (tag != NULL)
            {
              ok = handle_tag (&parser, tag, tag_line, value->str, error);
              g_clear_pointer (&tag, g_free);
            }
          if (line[0] == '-')
            envelope_line = 0;
          else if (inner != NULL)
            {
              envelope_line = i + 1;
              envelope_has_statement = FALSE;
            }
          if (inner == NULL || inner[3] == '\0')
            continue;
          line = (char *) inner + 3;
        }

      if (is_tag_line (line, &new_tag, &rest))
        {
          if (tag != NULL && ok)
            ok = handle_tag (&parser, tag, tag_line, value->str, error);
          g_free (tag);
          tag = new_tag;
          tag_line = i + 1;
          g_string_assign (value, rest);
          if (g_str_equal (tag, "20"))
            {
              n_statements++;
              envelope_has_statement = TRUE;
            }
        }
      else if (tag != NULL)
        {
          g_string_append_c (value, '\n');
          g_string_append (value, line);
        }
    }
  if (ok && tag != NULL)
    {
      g_autoptr(GError) last_error = NULL;

      ok = handle_tag (&parser, tag, tag_line, value->str, &last_error);
      /* the last field cut in the middle (no :62F: follows): say the file is cut short */
      if (!ok && parser.statement_line == 0)
        g_propagate_error (error, g_steal_pointer (&last_error));
      else if (!ok)
        ok = TRUE;
    }

  if (ok && parser.statement_line != 0)
    {
      g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_TRUNCATED,
                   _("Line %1$u: the statement that begins on line %2$u ends without its "
                     "closing balance (:62F:); the file seems to be cut short."),
                   last_line, parser.statement_line);
      ok = FALSE;
    }
  if (ok && parser.intermediate_line != 0)
    {
      g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_TRUNCATED,
                   _("Line %1$u: the statement stops at an intermediate balance (:62M:) on "
                     "line %2$u and its next part is missing; the file seems to be cut short."),
                   last_line, parser.intermediate_line);
      ok = FALSE;
    }
  if (ok && envelope_line != 0 && !envelope_has_statement)
    {
      g_set_error (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_TRUNCATED,
                   _("Line %1$u: the message that begins on line %2$u holds no statement; "
                     "the file seems to be cut short."),
                   MAX (last_line, envelope_line), envelope_line);
      ok = FALSE;
    }
  if (ok && n_statements == 0)
    {
      g_set_error_literal (error, DD_PAYMENT_ERROR, DD_PAYMENT_ERROR_FORMAT,
                           _("The file holds no MT940 statement (no :20: field)."));
      ok = FALSE;
    }

  entry_free (parser.entry);
  g_free (parser.account);
  g_free (parser.currency);
  if (!ok)
    return NULL;
  return g_steal_pointer (&statement);
}
