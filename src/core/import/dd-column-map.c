/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-column-map"

#include "config.h"

#include "dd-column-map.h"
#include "dd-json.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (dd-column-map-error-quark, dd_column_map_error)

typedef struct
{
  const char *key;
  const char *label;       /* N_() */
  gboolean    required;
} FieldInfo;

static const FieldInfo fields[DD_N_IMPORT_FIELDS] = {
  [DD_IMPORT_FIELD_DEBTOR_NAME] = { "name", N_("Debtor name"), TRUE },
  [DD_IMPORT_FIELD_TAX_ID] = { "tax-id", N_("Tax ID"), FALSE },
  [DD_IMPORT_FIELD_ADDRESS] = { "address", N_("Address"), FALSE },
  [DD_IMPORT_FIELD_EMAIL] = { "email", N_("E-mail"), FALSE },
  [DD_IMPORT_FIELD_BIRTHDAY] = { "birthday", N_("Date of birth"), FALSE },
  [DD_IMPORT_FIELD_PHONE_1] = { "phone1", N_("Phone 1"), FALSE },
  [DD_IMPORT_FIELD_PHONE_2] = { "phone2", N_("Phone 2"), FALSE },
  [DD_IMPORT_FIELD_PHONE_3] = { "phone3", N_("Phone 3"), FALSE },
  [DD_IMPORT_FIELD_PHONE_4] = { "phone4", N_("Phone 4"), FALSE },
  [DD_IMPORT_FIELD_CREDITOR] = { "creditor", N_("Creditor"), FALSE },
  [DD_IMPORT_FIELD_INVOICE] = { "invoice", N_("Invoice number"), TRUE },
  [DD_IMPORT_FIELD_ISSUED_ON] = { "issued", N_("Issue date"), FALSE },
  [DD_IMPORT_FIELD_DUE_ON] = { "due", N_("Due date"), TRUE },
  [DD_IMPORT_FIELD_AMOUNT] = { "amount", N_("Amount due"), TRUE },
  [DD_IMPORT_FIELD_CURRENCY] = { "currency", N_("Currency"), FALSE },
  [DD_IMPORT_FIELD_TOTAL] = { "total", N_("Invoice total"), FALSE },
  [DD_IMPORT_FIELD_PAID] = { "paid", N_("Amount paid"), FALSE },
};

/* Header names seen in Polish, Russian and English accounting exports, written naturally;
 * compared after dd_column_map_normalize_header(). The phone entries stand for all four
 * phone fields. */
typedef struct
{
  DdImportField  field;
  const char    *names[32];
} Synonyms;

static const Synonyms synonyms[] = {
  { DD_IMPORT_FIELD_DEBTOR_NAME,
    { "Kontrahent", "Nazwa kontrahenta", "Dłużnik", "Nazwa dłużnika", "Klient", "Nazwa klienta",
      "Nabywca", "Odbiorca", "Imię i nazwisko", "Nazwa", "Płatnik",
      "Контрагент", "Наименование контрагента", "Должник", "Клиент", "Покупатель",
      "Плательщик", "ФИО", "Наименование", "Абонент",
      "Name", "Customer", "Debtor", "Client" } },
  { DD_IMPORT_FIELD_TAX_ID,
    { "NIP", "NIP/PESEL", "PESEL", "NIP kontrahenta", "ИНН", "ИНН контрагента",
      "Tax ID", "VAT ID", "VAT number", "TIN", "Tax number" } },
  { DD_IMPORT_FIELD_ADDRESS,
    { "Adres", "Adres kontrahenta", "Adres korespondencyjny", "Адрес", "Адрес контрагента",
      "Юридический адрес", "Address", "Postal address" } },
  { DD_IMPORT_FIELD_EMAIL,
    { "E-mail", "Email", "Adres e-mail", "Mail", "Электронная почта", "Эл. почта",
      "E-mail address" } },
  { DD_IMPORT_FIELD_BIRTHDAY,
    { "Data urodzenia", "Дата рождения", "Date of birth", "Birthday", "Birth date" } },
  { DD_IMPORT_FIELD_PHONE_1,
    { "Telefon", "Tel", "Nr telefonu", "Numer telefonu", "Telefon komórkowy", "Komórka",
      "Tel. kom.", "Телефон", "Тел", "Номер телефона", "Мобильный телефон", "Мобильный",
      "Сотовый", "Phone", "Mobile", "Telephone", "Phone number", "Mobile phone", "Cell" } },
  { DD_IMPORT_FIELD_CREDITOR,
    { "Wierzyciel", "Zleceniodawca", "Spółka", "Кредитор", "Взыскатель", "Организация",
      "Creditor", "Company" } },
  { DD_IMPORT_FIELD_INVOICE,
    { "Nr faktury", "Numer faktury", "Faktura", "Nr dokumentu", "Numer dokumentu", "Dokument",
      "Номер счёта", "Номер счета", "Счёт", "Счет", "Номер документа", "Документ",
      "Счёт-фактура", "Invoice", "Invoice number", "Invoice no", "Document", "Document number" } },
  { DD_IMPORT_FIELD_ISSUED_ON,
    { "Data wystawienia", "Data faktury", "Data dokumentu", "Дата выставления", "Дата счёта",
      "Дата счета", "Дата документа", "Issue date", "Invoice date", "Issued", "Date issued" } },
  { DD_IMPORT_FIELD_DUE_ON,
    { "Termin płatności", "Termin zapłaty", "Data płatności", "Termin", "Срок оплаты",
      "Срок платежа", "Дата оплаты", "Оплатить до", "Due date", "Due", "Payment due",
      "Due on" } },
  /* What is still owed; ranked above the invoice total when a header names both ideas. */
  { DD_IMPORT_FIELD_AMOUNT,
    { "Pozostało do zapłaty", "Pozostało", "Do zapłaty", "Kwota do zapłaty", "Pozostała kwota",
      "Saldo", "Należność", "Zaległość", "Kwota zaległości",
      "Остаток", "Остаток долга", "Задолженность", "Сумма задолженности", "К оплате",
      "Сумма к оплате", "Сумма долга", "Долг", "Сальдо",
      "Amount due", "Balance", "Balance due", "Outstanding", "Outstanding amount", "Remaining",
      "Amount remaining", "To pay", "Open amount" } },
  { DD_IMPORT_FIELD_TOTAL,
    { "Kwota", "Kwota brutto", "Brutto", "Wartość brutto", "Wartość", "Kwota faktury",
      "Wartość faktury", "Suma", "Сумма", "Сумма документа", "Сумма счёта", "Сумма счета",
      "Итого", "Amount", "Total", "Gross", "Gross amount", "Invoice total", "Invoice amount" } },
  { DD_IMPORT_FIELD_PAID,
    { "Zapłacono", "Wpłacono", "Kwota zapłacona", "Zapłacona kwota", "Wpłaty", "Zapłata",
      "Оплачено", "Сумма оплаты", "Оплата", "Paid", "Amount paid", "Payments", "Paid amount" } },
  { DD_IMPORT_FIELD_CURRENCY,
    { "Waluta", "Валюта", "Currency" } },
};

const char *
dd_import_field_to_key (DdImportField field)
{
  g_return_val_if_fail (field >= 0 && field < DD_N_IMPORT_FIELDS, NULL);

  return fields[field].key;
}

DdImportField
dd_import_field_from_key (const char *key)
{
  for (guint i = 0; i < DD_N_IMPORT_FIELDS; i++)
    if (g_strcmp0 (key, fields[i].key) == 0)
      return i;
  if (g_strcmp0 (key, "phone") == 0)
    return DD_IMPORT_FIELD_PHONE_1;
  return DD_IMPORT_FIELD_NONE;
}

const char *
dd_import_field_get_label (DdImportField field)
{
  g_return_val_if_fail (field >= 0 && field < DD_N_IMPORT_FIELDS, NULL);

  return _(fields[field].label);
}

gboolean
dd_import_field_is_required (DdImportField field)
{
  g_return_val_if_fail (field >= 0 && field < DD_N_IMPORT_FIELDS, FALSE);

  return fields[field].required;
}

void
dd_column_map_init (DdColumnMap *map)
{
  for (guint i = 0; i < DD_N_IMPORT_FIELDS; i++)
    map->column[i] = -1;
}

static gboolean
header_is_repeated (const char * const *headers,
                    guint               n_headers,
                    guint               column)
{
  g_autofree char *wanted = dd_column_map_normalize_header (headers[column]);

  if (*wanted == '\0')
    return FALSE;
  for (guint i = 0; i < n_headers; i++)
    {
      g_autofree char *other = NULL;

      if (i == column || headers[i] == NULL)
        continue;
      other = dd_column_map_normalize_header (headers[i]);
      if (g_str_equal (other, wanted))
        return TRUE;
    }
  return FALSE;
}

char *
dd_column_map_column_label (const char * const *headers,
                            guint               n_headers,
                            int                 column,
                            gboolean            translated)
{
  g_return_val_if_fail (column >= 0, NULL);

  if (headers == NULL || (guint) column >= n_headers || headers[column] == NULL ||
      headers[column][0] == '\0')
    return g_strdup_printf ("%d", column + 1);
  if (!header_is_repeated (headers, n_headers, (guint) column))
    return g_strdup (headers[column]);
  if (!translated)
    return g_strdup_printf ("%s (column %d)", headers[column], column + 1);
  /* Translators: a column's header when another column of the file has the same one
   * ("Kwota (column 11)"), then its number, counted from 1 */
  return g_strdup_printf (_("%1$s (column %2$d)"), headers[column], column + 1);
}

char *
dd_column_map_normalize_header (const char *header)
{
  g_autofree char *folded = NULL;
  g_autofree char *decomposed = NULL;
  GString *out;
  gboolean space = FALSE;

  if (header == NULL || !g_utf8_validate (header, -1, NULL))
    return g_strdup ("");

  folded = g_utf8_casefold (header, -1);
  decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_NFD);
  out = g_string_sized_new (strlen (decomposed));

  for (const char *p = decomposed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_ENCLOSING_MARK)
        continue;
      if (c == 0x0142) /* ł has no decomposition */
        c = 'l';
      if (g_unichar_isalnum (c))
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_unichar (out, c);
        }
      else
        space = TRUE;
    }

  return g_string_free (out, FALSE);
}

/* Splits "telefon 2" into ("telefon", 2); returns 0 when there is no trailing number. */
static guint
split_trailing_number (const char *normalized,
                       char      **out_stem)
{
  const char *end = normalized + strlen (normalized);
  const char *p = end;
  guint n;

  while (p > normalized && g_ascii_isdigit (p[-1]))
    p--;
  if (p == end || p == normalized || end - p > 1)
    {
      *out_stem = g_strdup (normalized);
      return 0;
    }
  n = (guint) (*p - '0');
  *out_stem = g_strndup (normalized, p - normalized);
  g_strchomp (*out_stem);
  return n;
}

static gboolean
contains_words (const char *haystack,
                const char *needle)
{
  gsize nlen = strlen (needle);

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    {
      gboolean start_ok = (p == haystack || p[-1] == ' ');
      gboolean end_ok = (p[nlen] == '\0' || p[nlen] == ' ');

      if (start_ok && end_ok)
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  int            column;
  DdImportField  field;
  int            score;
  guint          phone_number;   /* 1..4 when the header names it, 0 otherwise */
} Candidate;

static int
candidate_compare (gconstpointer a,
                   gconstpointer b)
{
  const Candidate *ca = a, *cb = b;

  if (ca->score != cb->score)
    return cb->score - ca->score;
  return ca->column - cb->column;
}

static void
score_header (const char *normalized,
              int         column,
              GArray     *candidates)
{
  g_autofree char *stem = NULL;
  guint number = split_trailing_number (normalized, &stem);

  if (*normalized == '\0')
    return;

  for (guint s = 0; s < G_N_ELEMENTS (synonyms); s++)
    {
      int best = 0;

      for (guint n = 0; n < G_N_ELEMENTS (synonyms[s].names) && synonyms[s].names[n]; n++)
        {
          g_autofree char *syn = dd_column_map_normalize_header (synonyms[s].names[n]);
          int score = 0;

          if (g_str_equal (normalized, syn))
            score = 100;
          else if (synonyms[s].field == DD_IMPORT_FIELD_PHONE_1 && number > 0 &&
                   g_str_equal (stem, syn))
            score = 95;
          else if (contains_words (normalized, syn))
            {
              score = 40 + (int) MIN (strlen (syn), 40);   /* longer phrases are surer */
              /* "Kwota pozostała do zapłaty", "Сумма к оплате": what is owed wins */
              if (synonyms[s].field == DD_IMPORT_FIELD_AMOUNT)
                score += 20;
            }

          best = MAX (best, score);
        }

      if (best > 0)
        {
          Candidate c = { column, synonyms[s].field, best, 0 };

          if (c.field == DD_IMPORT_FIELD_PHONE_1 && number >= 1 && number <= DD_IMPORT_N_PHONES)
            c.phone_number = number;
          g_array_append_val (candidates, c);
        }
    }
}

static int
compare_int (gconstpointer a,
             gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

void
dd_column_map_guess (DdColumnMap        *map,
                     const char * const *headers,
                     guint               n_headers)
{
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  g_autofree gboolean *taken = g_new0 (gboolean, n_headers);
  g_autoptr(GArray) generic_phones = g_array_new (FALSE, FALSE, sizeof (int));

  dd_column_map_init (map);

  for (guint i = 0; i < n_headers; i++)
    {
      g_autofree char *normalized = dd_column_map_normalize_header (headers[i]);
      score_header (normalized, (int) i, candidates);
    }
  g_array_sort (candidates, candidate_compare);

  /* Numbered phones first ("Telefon 2" is phone 2), then the others in column order. */
  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *c = &g_array_index (candidates, Candidate, i);

      if (taken[c->column])
        continue;

      if (c->field == DD_IMPORT_FIELD_PHONE_1)
        {
          if (c->phone_number > 0 &&
              map->column[DD_IMPORT_FIELD_PHONE_1 + c->phone_number - 1] < 0)
            {
              map->column[DD_IMPORT_FIELD_PHONE_1 + c->phone_number - 1] = c->column;
              taken[c->column] = TRUE;
            }
          else if (c->phone_number == 0)
            {
              g_array_append_val (generic_phones, c->column);
              taken[c->column] = TRUE;
            }
          continue;
        }

      if (map->column[c->field] < 0)
        {
          map->column[c->field] = c->column;
          taken[c->column] = TRUE;
        }
    }

  /* Generic phone columns were collected by score; keep the file's order instead. */
  g_array_sort (generic_phones, compare_int);
  for (guint i = 0; i < generic_phones->len; i++)
    {
      int column = g_array_index (generic_phones, int, i);

      for (guint p = 0; p < DD_IMPORT_N_PHONES; p++)
        if (map->column[DD_IMPORT_FIELD_PHONE_1 + p] < 0)
          {
            map->column[DD_IMPORT_FIELD_PHONE_1 + p] = column;
            break;
          }
    }

  /* A lone "Kwota" / "Сумма" / "Amount" is what the export says is owed. */
  if (map->column[DD_IMPORT_FIELD_AMOUNT] < 0 && map->column[DD_IMPORT_FIELD_TOTAL] >= 0 &&
      map->column[DD_IMPORT_FIELD_PAID] < 0)
    {
      map->column[DD_IMPORT_FIELD_AMOUNT] = map->column[DD_IMPORT_FIELD_TOTAL];
      map->column[DD_IMPORT_FIELD_TOTAL] = -1;
    }
}

DdDebtSource
dd_column_map_get_debt_source (const DdColumnMap *map)
{
  if (map->column[DD_IMPORT_FIELD_AMOUNT] >= 0)
    return DD_DEBT_SOURCE_REMAINING;
  if (map->column[DD_IMPORT_FIELD_TOTAL] >= 0 && map->column[DD_IMPORT_FIELD_PAID] >= 0)
    return DD_DEBT_SOURCE_TOTAL_MINUS_PAID;
  if (map->column[DD_IMPORT_FIELD_TOTAL] >= 0)
    return DD_DEBT_SOURCE_TOTAL;
  return DD_DEBT_SOURCE_NONE;
}

gboolean
dd_import_field_is_money (DdImportField field)
{
  return field == DD_IMPORT_FIELD_AMOUNT || field == DD_IMPORT_FIELD_TOTAL ||
         field == DD_IMPORT_FIELD_PAID;
}

gboolean
dd_column_map_set_by_header (DdColumnMap        *map,
                             DdImportField       field,
                             const char * const *headers,
                             guint               n_headers,
                             const char         *header)
{
  g_autofree char *wanted = dd_column_map_normalize_header (header);

  g_return_val_if_fail (field >= 0 && field < DD_N_IMPORT_FIELDS, FALSE);

  /* An exact header first, then one of two columns with the same header as
   * dd_column_map_column_label() names it ("Kwota (column 11)"), then a loose one. */
  for (guint i = 0; i < n_headers; i++)
    if (g_strcmp0 (headers[i], header) == 0)
      {
        map->column[field] = (int) i;
        return TRUE;
      }
  {
    const char *open = g_strrstr (header, " (column ");

    if (open != NULL && g_str_has_suffix (open, ")"))
      {
        char *end = NULL;
        guint64 number = g_ascii_strtoull (open + strlen (" (column "), &end, 10);

        if (number >= 1 && number <= n_headers && end != NULL && g_str_equal (end, ")"))
          {
            g_autofree char *label = g_strndup (header, (gsize) (open - header));
            g_autofree char *loose = dd_column_map_normalize_header (label);
            g_autofree char *there = dd_column_map_normalize_header (headers[number - 1]);

            if (g_str_equal (loose, there))
              {
                map->column[field] = (int) number - 1;
                return TRUE;
              }
          }
      }
  }
  for (guint i = 0; i < n_headers; i++)
    {
      g_autofree char *normalized = dd_column_map_normalize_header (headers[i]);

      if (*wanted != '\0' && g_str_equal (normalized, wanted))
        {
          map->column[field] = (int) i;
          return TRUE;
        }
    }
  return FALSE;
}

DdImportField *
dd_column_map_missing (const DdColumnMap *map,
                       guint             *out_n_missing)
{
  g_autoptr(GArray) missing = g_array_new (FALSE, FALSE, sizeof (DdImportField));

  for (guint i = 0; i < DD_N_IMPORT_FIELDS; i++)
    if (fields[i].required && map->column[i] < 0 &&
        !(i == DD_IMPORT_FIELD_AMOUNT &&
          dd_column_map_get_debt_source (map) != DD_DEBT_SOURCE_NONE))
      {
        DdImportField f = i;
        g_array_append_val (missing, f);
      }

  *out_n_missing = missing->len;
  if (missing->len == 0)
    return NULL;
  return (DdImportField *) g_array_free (g_steal_pointer (&missing), FALSE);
}

char *
dd_column_map_to_json (const DdColumnMap  *map,
                       const char * const *headers,
                       guint               n_headers)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  dd_json_add_int (builder, "version", 1);
  dd_json_begin_object_member (builder, "fields");
  for (guint i = 0; i < DD_N_IMPORT_FIELDS; i++)
    if (map->column[i] >= 0 && (guint) map->column[i] < n_headers)
      {
        const char *header = headers[map->column[i]];
        g_autofree char *label = header != NULL && *header != '\0'
          ? dd_column_map_column_label (headers, n_headers, map->column[i], FALSE) : NULL;

        dd_json_add_string (builder, fields[i].key, label != NULL ? label : header);
      }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

gboolean
dd_column_map_from_json (DdColumnMap        *map,
                         const char         *json,
                         const char * const *headers,
                         guint               n_headers,
                         GError            **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GList) members = NULL;
  JsonObject *root, *mapping;

  if (!json_parser_load_from_data (parser, json, -1, NULL) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, DD_COLUMN_MAP_ERROR, DD_COLUMN_MAP_ERROR_INVALID_PRESET,
                           _("The saved column mapping is damaged"));
      return FALSE;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "fields") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "fields")))
    {
      g_set_error_literal (error, DD_COLUMN_MAP_ERROR, DD_COLUMN_MAP_ERROR_INVALID_PRESET,
                           _("The saved column mapping is damaged"));
      return FALSE;
    }
  mapping = json_object_get_object_member (root, "fields");

  dd_column_map_init (map);
  members = json_object_get_members (mapping);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      DdImportField field = dd_import_field_from_key (key);
      JsonNode *node = json_object_get_member (mapping, key);
      const char *header;

      if (field == DD_IMPORT_FIELD_NONE)
        {
          g_set_error (error, DD_COLUMN_MAP_ERROR, DD_COLUMN_MAP_ERROR_UNKNOWN_FIELD,
                       _("The saved column mapping names an unknown field “%s”"), key);
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_set_error_literal (error, DD_COLUMN_MAP_ERROR, DD_COLUMN_MAP_ERROR_INVALID_PRESET,
                               _("The saved column mapping is damaged"));
          return FALSE;
        }
      header = json_node_get_string (node);
      if (!dd_column_map_set_by_header (map, field, headers, n_headers, header))
        {
          g_set_error (error, DD_COLUMN_MAP_ERROR, DD_COLUMN_MAP_ERROR_MISSING_COLUMN,
                       _("The file has no column “%s” (needed for “%s”)"),
                       header, dd_import_field_get_label (field));
          return FALSE;
        }
    }
  return TRUE;
}
