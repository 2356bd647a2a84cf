/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-column-map.h"

static void
assert_column (const DdColumnMap *map,
               DdImportField      field,
               int                column)
{
  if (map->column[field] != column)
    g_error ("field %s: expected column %d, got %d", dd_import_field_to_key (field), column,
             map->column[field]);
}

static void
test_normalize (void)
{
  struct { const char *in, *out; } cases[] = {
    { "Termin płatności:", "termin platnosci" },
    { "  NR   FAKTURY ", "nr faktury" },
    { "Срок оплаты", "срок оплаты" },
    { "Номер счёта", "номер счета" },
    { "E-mail", "e mail" },
    { "Tel. 2", "tel 2" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *n = dd_column_map_normalize_header (cases[i].in);
      g_assert_cmpstr (n, ==, cases[i].out);
    }
}

static void
test_guess_polish (void)
{
  const char *headers[] = { "Lp.", "Kontrahent", "NIP", "Adres", "Telefon", "Telefon 2", "E-mail",
                            "Nr faktury", "Data wystawienia", "Termin płatności", "Kwota",
                            "Waluta", "Wierzyciel", "Uwagi" };
  DdColumnMap map;
  guint n_missing = 99;
  g_autofree DdImportField *missing = NULL;

  dd_column_map_guess (&map, headers, G_N_ELEMENTS (headers));
  assert_column (&map, DD_IMPORT_FIELD_DEBTOR_NAME, 1);
  assert_column (&map, DD_IMPORT_FIELD_TAX_ID, 2);
  assert_column (&map, DD_IMPORT_FIELD_ADDRESS, 3);
  assert_column (&map, DD_IMPORT_FIELD_PHONE_1, 4);
  assert_column (&map, DD_IMPORT_FIELD_PHONE_2, 5);
  assert_column (&map, DD_IMPORT_FIELD_PHONE_3, -1);
  assert_column (&map, DD_IMPORT_FIELD_EMAIL, 6);
  assert_column (&map, DD_IMPORT_FIELD_INVOICE, 7);
  assert_column (&map, DD_IMPORT_FIELD_ISSUED_ON, 8);
  assert_column (&map, DD_IMPORT_FIELD_DUE_ON, 9);
  assert_column (&map, DD_IMPORT_FIELD_AMOUNT, 10);
  assert_column (&map, DD_IMPORT_FIELD_CURRENCY, 11);
  assert_column (&map, DD_IMPORT_FIELD_CREDITOR, 12);

  missing = dd_column_map_missing (&map, &n_missing);
  g_assert_cmpuint (n_missing, ==, 0);
  g_assert_null (missing);
}

static void
test_guess_russian (void)
{
  const char *headers[] = { "Контрагент", "ИНН", "Телефон", "Мобильный телефон", "Номер счёта",
                            "Дата выставления", "Срок оплаты", "Сумма долга", "Кредитор" };
  DdColumnMap map;

  dd_column_map_guess (&map, headers, G_N_ELEMENTS (headers));
  assert_column (&map, DD_IMPORT_FIELD_DEBTOR_NAME, 0);
  assert_column (&map, DD_IMPORT_FIELD_TAX_ID, 1);
  assert_column (&map, DD_IMPORT_FIELD_PHONE_1, 2);
  assert_column (&map, DD_IMPORT_FIELD_PHONE_2, 3);
  assert_column (&map, DD_IMPORT_FIELD_INVOICE, 4);
  assert_column (&map, DD_IMPORT_FIELD_ISSUED_ON, 5);
  assert_column (&map, DD_IMPORT_FIELD_DUE_ON, 6);
  assert_column (&map, DD_IMPORT_FIELD_AMOUNT, 7);
  assert_column (&map, DD_IMPORT_FIELD_CREDITOR, 8);
}

static void
test_guess_english_numbered_phones (void)
{
  /* Numbered phones land in their slots even when out of order. */
  const char *headers[] = { "Phone 3", "Customer", "Invoice number", "Due date", "Amount due",
                            "Phone 1", "Mobile" };
  DdColumnMap map;

  dd_column_map_guess (&map, headers, G_N_ELEMENTS (headers));
  assert_column (&map, DD_IMPORT_FIELD_DEBTOR_NAME, 1);
  assert_column (&map, DD_IMPORT_FIELD_INVOICE, 2);
  assert_column (&map, DD_IMPORT_FIELD_DUE_ON, 3);
  assert_column (&map, DD_IMPORT_FIELD_AMOUNT, 4);
  assert_column (&map, DD_IMPORT_FIELD_PHONE_1, 5);
  assert_column (&map, DD_IMPORT_FIELD_PHONE_2, 6);
  assert_column (&map, DD_IMPORT_FIELD_PHONE_3, 0);
}

static void
test_missing_required (void)
{
  const char *headers[] = { "Kontrahent", "Telefon", "Kwota" };
  DdColumnMap map;
  g_autofree DdImportField *missing = NULL;
  guint n = 0;

  dd_column_map_guess (&map, headers, G_N_ELEMENTS (headers));
  missing = dd_column_map_missing (&map, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (missing[0], ==, DD_IMPORT_FIELD_INVOICE);
  g_assert_cmpint (missing[1], ==, DD_IMPORT_FIELD_DUE_ON);
  g_assert_true (dd_import_field_is_required (DD_IMPORT_FIELD_AMOUNT));
  g_assert_false (dd_import_field_is_required (DD_IMPORT_FIELD_PHONE_1));
}

static void
test_preset_round_trip (void)
{
  const char *headers[] = { "Odbiorca", "Nr dok.", "Zapłacić do", "Do zapłaty", "Tel." };
  const char *reordered[] = { "Tel.", "Do zapłaty", "Odbiorca", "Zapłacić do", "Nr dok.", "X" };
  const char *other[] = { "Kontrahent", "Kwota" };
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  DdColumnMap map, loaded;

  /* Headers nobody could guess: mapped by hand. */
  dd_column_map_init (&map);
  g_assert_true (dd_column_map_set_by_header (&map, DD_IMPORT_FIELD_DEBTOR_NAME, headers, 5,
                                              "Odbiorca"));
  g_assert_true (dd_column_map_set_by_header (&map, DD_IMPORT_FIELD_INVOICE, headers, 5, "nr dok"));
  g_assert_true (dd_column_map_set_by_header (&map, DD_IMPORT_FIELD_DUE_ON, headers, 5,
                                              "Zapłacić do"));
  g_assert_true (dd_column_map_set_by_header (&map, DD_IMPORT_FIELD_AMOUNT, headers, 5,
                                              "Do zapłaty"));
  g_assert_true (dd_column_map_set_by_header (&map, DD_IMPORT_FIELD_PHONE_1, headers, 5, "Tel."));
  g_assert_false (dd_column_map_set_by_header (&map, DD_IMPORT_FIELD_EMAIL, headers, 5, "Mail"));
  assert_column (&map, DD_IMPORT_FIELD_INVOICE, 1);

  json = dd_column_map_to_json (&map, headers, 5);
  g_assert_nonnull (strstr (json, "\"due\":\"Zapłacić do\""));

  /* The preset follows the headers, not the positions. */
  g_assert_true (dd_column_map_from_json (&loaded, json, reordered, 6, &error));
  g_assert_no_error (error);
  assert_column (&loaded, DD_IMPORT_FIELD_DEBTOR_NAME, 2);
  assert_column (&loaded, DD_IMPORT_FIELD_INVOICE, 4);
  assert_column (&loaded, DD_IMPORT_FIELD_DUE_ON, 3);
  assert_column (&loaded, DD_IMPORT_FIELD_AMOUNT, 1);
  assert_column (&loaded, DD_IMPORT_FIELD_PHONE_1, 0);
  assert_column (&loaded, DD_IMPORT_FIELD_EMAIL, -1);

  /* A file without those columns is refused with a clear error. */
  g_assert_false (dd_column_map_from_json (&loaded, json, other, 2, &error));
  g_assert_error (error, DD_COLUMN_MAP_ERROR, DD_COLUMN_MAP_ERROR_MISSING_COLUMN);
  g_clear_error (&error);

  g_assert_false (dd_column_map_from_json (&loaded, "{\"fields\": {\"shoe-size\": \"X\"}}",
                                           other, 2, &error));
  g_assert_error (error, DD_COLUMN_MAP_ERROR, DD_COLUMN_MAP_ERROR_UNKNOWN_FIELD);
  g_clear_error (&error);
  g_assert_false (dd_column_map_from_json (&loaded, "not json", other, 2, &error));
  g_assert_error (error, DD_COLUMN_MAP_ERROR, DD_COLUMN_MAP_ERROR_INVALID_PRESET);
}

/* Issue 14: an export with the invoice total and what is still owed. */
static void
test_guess_remaining_over_total (void)
{
  const char *polish[] = { "Kontrahent", "NIP", "Telefon", "Nr faktury", "Termin płatności",
                           "Kwota brutto", "Zapłacono", "Pozostało do zapłaty" };
  const char *russian[] = { "Контрагент", "Документ", "Срок оплаты", "Сумма",
                            "Сумма задолженности", "Оплачено" };
  const char *english[] = { "Customer", "Invoice", "Due date", "Gross amount",
                            "Amount remaining to pay", "Total" };
  DdColumnMap map;

  dd_column_map_guess (&map, polish, G_N_ELEMENTS (polish));
  assert_column (&map, DD_IMPORT_FIELD_AMOUNT, 7);
  assert_column (&map, DD_IMPORT_FIELD_TOTAL, 5);
  assert_column (&map, DD_IMPORT_FIELD_PAID, 6);
  g_assert_cmpint (dd_column_map_get_debt_source (&map), ==, DD_DEBT_SOURCE_REMAINING);

  dd_column_map_guess (&map, russian, G_N_ELEMENTS (russian));
  assert_column (&map, DD_IMPORT_FIELD_AMOUNT, 4);
  assert_column (&map, DD_IMPORT_FIELD_TOTAL, 3);
  assert_column (&map, DD_IMPORT_FIELD_PAID, 5);

  /* "remaining" inside a longer header still outranks "gross" and "total" */
  dd_column_map_guess (&map, english, G_N_ELEMENTS (english));
  assert_column (&map, DD_IMPORT_FIELD_AMOUNT, 4);
  assert_column (&map, DD_IMPORT_FIELD_TOTAL, 3);
}

static void
test_debt_from_total_and_paid (void)
{
  const char *total_paid[] = { "Kontrahent", "Nr faktury", "Termin płatności", "Kwota brutto",
                               "Wpłacono" };
  const char *only_total[] = { "Контрагент", "Документ", "Срок оплаты", "Сумма" };
  const char *nothing[] = { "Контрагент", "Документ", "Срок оплаты", "Оплачено" };
  DdColumnMap map;
  g_autofree DdImportField *missing = NULL;
  guint n = 99;

  dd_column_map_guess (&map, total_paid, G_N_ELEMENTS (total_paid));
  assert_column (&map, DD_IMPORT_FIELD_AMOUNT, -1);
  assert_column (&map, DD_IMPORT_FIELD_TOTAL, 3);
  assert_column (&map, DD_IMPORT_FIELD_PAID, 4);
  g_assert_cmpint (dd_column_map_get_debt_source (&map), ==, DD_DEBT_SOURCE_TOTAL_MINUS_PAID);
  missing = dd_column_map_missing (&map, &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_null (missing);

  /* a lone sum is the debt itself */
  dd_column_map_guess (&map, only_total, G_N_ELEMENTS (only_total));
  assert_column (&map, DD_IMPORT_FIELD_AMOUNT, 3);
  assert_column (&map, DD_IMPORT_FIELD_TOTAL, -1);
  g_assert_cmpint (dd_column_map_get_debt_source (&map), ==, DD_DEBT_SOURCE_REMAINING);

  /* what was paid alone says nothing of what is owed */
  dd_column_map_guess (&map, nothing, G_N_ELEMENTS (nothing));
  g_assert_cmpint (dd_column_map_get_debt_source (&map), ==, DD_DEBT_SOURCE_NONE);
  missing = dd_column_map_missing (&map, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (missing[0], ==, DD_IMPORT_FIELD_AMOUNT);

  g_assert_true (dd_import_field_is_money (DD_IMPORT_FIELD_PAID));
  g_assert_false (dd_import_field_is_money (DD_IMPORT_FIELD_CURRENCY));
}

static void
test_field_keys (void)
{
  for (int f = 0; f < DD_N_IMPORT_FIELDS; f++)
    {
      g_assert_cmpint (dd_import_field_from_key (dd_import_field_to_key (f)), ==, f);
      g_assert_nonnull (dd_import_field_get_label (f));
    }
  g_assert_cmpint (dd_import_field_from_key ("phone"), ==, DD_IMPORT_FIELD_PHONE_1);
  g_assert_cmpint (dd_import_field_from_key ("nonsense"), ==, DD_IMPORT_FIELD_NONE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dd/column-map/normalize", test_normalize);
  g_test_add_func ("/dd/column-map/guess-polish", test_guess_polish);
  g_test_add_func ("/dd/column-map/guess-russian", test_guess_russian);
  g_test_add_func ("/dd/column-map/guess-english-numbered-phones",
                   test_guess_english_numbered_phones);
  g_test_add_func ("/dd/column-map/missing-required", test_missing_required);
  g_test_add_func ("/dd/column-map/preset-round-trip", test_preset_round_trip);
  g_test_add_func ("/dd/column-map/field-keys", test_field_keys);
  g_test_add_func ("/dd/column-map/guess-remaining-over-total", test_guess_remaining_over_total);
  g_test_add_func ("/dd/column-map/debt-from-total-and-paid", test_debt_from_total_and_paid);
  return g_test_run ();
}
