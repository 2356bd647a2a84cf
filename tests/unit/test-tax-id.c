/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "dd-test-tax-id"

#include "config.h"

#include "dd-tax-id.h"

#include <string.h>

/* Test vectors: the well-known published examples (NIP 123-456-32-18, PESEL 44051401359, the
 * INN 7707083893, the INN 500100732259) and numbers whose check digits were computed by hand
 * and again with an independent script while writing this file. */

static const char *valid_nips[] = {
  "1234563218", "5260250274", "7740001454", "9512345675", "5260000005", "6770001234",
  "7680002466",
};

static const char *valid_pesels[] = {
  "44051401359",  /* 1944-05-14, male */
  "02070803628",  /* 1902-07-08, female */
  "02270803624",  /* 2002-07-08, female */
  "85831234567",  /* 1885-03-12, female */
  "04222900014",  /* 2004-02-29, male (a leap year) */
  "90090515836",
};

static const char *valid_inns_legal[] = {
  "7707083893", "7736050003", "7728168971", "5001007329", "7811000861",
};

static const char *valid_inns_person[] = {
  "500100732259", "123456789047", "366316608025", "783000229357", "010100000018",
};

static void
test_nip_valid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (valid_nips); i++)
    {
      g_test_message ("NIP %s", valid_nips[i]);
      g_assert_true (dd_tax_id_is_valid (valid_nips[i], DD_TAX_ID_NIP));
      /* A NIP is not an INN of a person nor a PESEL: wrong lengths. */
      g_assert_false (dd_tax_id_is_valid (valid_nips[i], DD_TAX_ID_PESEL));
      g_assert_false (dd_tax_id_is_valid (valid_nips[i], DD_TAX_ID_INN_PERSON));
    }
}

static void
test_nip_invalid (void)
{
  /* Check digit off by one. */
  g_assert_false (dd_tax_id_is_valid ("1234563219", DD_TAX_ID_NIP));
  g_assert_false (dd_tax_id_is_valid ("1234563217", DD_TAX_ID_NIP));
  /* Two digits swapped. */
  g_assert_false (dd_tax_id_is_valid ("2134563218", DD_TAX_ID_NIP));
  /* Wrong length, letters, NULL, empty, all zeros (the sum of zeros "matches"). */
  g_assert_false (dd_tax_id_is_valid ("123456321", DD_TAX_ID_NIP));
  g_assert_false (dd_tax_id_is_valid ("12345632180", DD_TAX_ID_NIP));
  g_assert_false (dd_tax_id_is_valid ("12345b3218", DD_TAX_ID_NIP));
  g_assert_false (dd_tax_id_is_valid ("123-456-32-18", DD_TAX_ID_NIP));
  g_assert_false (dd_tax_id_is_valid (NULL, DD_TAX_ID_NIP));
  g_assert_false (dd_tax_id_is_valid ("", DD_TAX_ID_NIP));
  g_assert_false (dd_tax_id_is_valid ("0000000000", DD_TAX_ID_NIP));
  g_assert_false (dd_tax_id_is_valid ("1234563218", DD_TAX_ID_UNKNOWN));

  /* 100000016: its weighted sum is 10 modulo 11, so no tenth digit makes a NIP. */
  for (char last = '0'; last <= '9'; last++)
    {
      char nip[11] = "100000016?";

      nip[9] = last;
      g_assert_false (dd_tax_id_is_valid (nip, DD_TAX_ID_NIP));
    }
  {
    char nip[11] = "1000000160";

    g_assert_false (dd_tax_id_complete (nip, DD_TAX_ID_NIP));
  }
}

static void
test_pesel (void)
{
  GDate birth;
  gboolean female = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (valid_pesels); i++)
    {
      g_test_message ("PESEL %s", valid_pesels[i]);
      g_assert_true (dd_tax_id_is_valid (valid_pesels[i], DD_TAX_ID_PESEL));
    }

  g_assert_false (dd_tax_id_is_valid ("44051401358", DD_TAX_ID_PESEL));
  g_assert_false (dd_tax_id_is_valid ("02270803628", DD_TAX_ID_PESEL));
  g_assert_false (dd_tax_id_is_valid ("4405140135", DD_TAX_ID_PESEL));
  g_assert_false (dd_tax_id_is_valid ("00000000000", DD_TAX_ID_PESEL));
  /* Right check digit, impossible dates: 30 February 1990, month 13, 29 February 2002. */
  g_assert_false (dd_tax_id_is_valid ("90023012340", DD_TAX_ID_PESEL));
  g_assert_false (dd_tax_id_is_valid ("99130100120", DD_TAX_ID_PESEL));
  g_assert_false (dd_tax_id_is_valid ("02222900010", DD_TAX_ID_PESEL));

  g_date_clear (&birth, 1);
  g_assert_true (dd_tax_id_pesel_decode ("44051401359", &birth, &female));
  g_assert_cmpint (g_date_get_year (&birth), ==, 1944);
  g_assert_cmpint (g_date_get_month (&birth), ==, 5);
  g_assert_cmpint (g_date_get_day (&birth), ==, 14);
  g_assert_false (female);

  g_assert_true (dd_tax_id_pesel_decode ("02270803624", &birth, &female));
  g_assert_cmpint (g_date_get_year (&birth), ==, 2002);
  g_assert_cmpint (g_date_get_month (&birth), ==, 7);
  g_assert_cmpint (g_date_get_day (&birth), ==, 8);
  g_assert_true (female);

  g_assert_true (dd_tax_id_pesel_decode ("85831234567", &birth, NULL));
  g_assert_cmpint (g_date_get_year (&birth), ==, 1885);
  g_assert_cmpint (g_date_get_month (&birth), ==, 3);

  g_assert_false (dd_tax_id_pesel_decode ("90023012340", &birth, &female));
}

static void
test_inn (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (valid_inns_legal); i++)
    {
      g_test_message ("INN %s", valid_inns_legal[i]);
      g_assert_true (dd_tax_id_is_valid (valid_inns_legal[i], DD_TAX_ID_INN_LEGAL));
    }
  for (guint i = 0; i < G_N_ELEMENTS (valid_inns_person); i++)
    {
      g_test_message ("INN %s", valid_inns_person[i]);
      g_assert_true (dd_tax_id_is_valid (valid_inns_person[i], DD_TAX_ID_INN_PERSON));
      g_assert_false (dd_tax_id_is_valid (valid_inns_person[i], DD_TAX_ID_INN_LEGAL));
    }

  g_assert_false (dd_tax_id_is_valid ("7707083894", DD_TAX_ID_INN_LEGAL));
  g_assert_false (dd_tax_id_is_valid ("7707083883", DD_TAX_ID_INN_LEGAL));
  g_assert_false (dd_tax_id_is_valid ("0000000000", DD_TAX_ID_INN_LEGAL));
  /* Each of the two check digits of a person's INN counts. */
  g_assert_false (dd_tax_id_is_valid ("500100732258", DD_TAX_ID_INN_PERSON));
  g_assert_false (dd_tax_id_is_valid ("500100732269", DD_TAX_ID_INN_PERSON));
  g_assert_false (dd_tax_id_is_valid ("000000000000", DD_TAX_ID_INN_PERSON));
}

typedef struct
{
  const char  *text;
  const char  *country;
  const char  *digits;   /* NULL: an error is expected */
  DdTaxIdKind  kind;
  int          code;     /* expected DdTaxIdError when digits is NULL */
} NormalizeCase;

static const NormalizeCase normalize_cases[] = {
  { "1234563218", "PL", "1234563218", DD_TAX_ID_NIP, 0 },
  { "PL 123-456-32-18", "PL", "1234563218", DD_TAX_ID_NIP, 0 },
  { "PL1234563218", NULL, "1234563218", DD_TAX_ID_NIP, 0 },
  { "pl 123 456 32 18", "pl", "1234563218", DD_TAX_ID_NIP, 0 },
  { "NIP: 123-45-63-218", "PL", "1234563218", DD_TAX_ID_NIP, 0 },
  { "  NIP 1234563218  ", NULL, "1234563218", DD_TAX_ID_NIP, 0 },
  { "123.456.32.18", "PL", "1234563218", DD_TAX_ID_NIP, 0 },
  { "123\xc2\xa0" "456\xc2\xa0" "32\xc2\xa0" "18", "PL", "1234563218", DD_TAX_ID_NIP, 0 },
  { "123\xe2\x80\x93" "456\xe2\x80\x93" "32\xe2\x80\x93" "18", "PL", "1234563218", DD_TAX_ID_NIP,
    0 },
  { "'1234563218", "PL", "1234563218", DD_TAX_ID_NIP, 0 },
  { "=\"1234563218\"", "PL", "1234563218", DD_TAX_ID_NIP, 0 },
  { "VAT PL1234563218", NULL, "1234563218", DD_TAX_ID_NIP, 0 },
  { "44051401359", "PL", "44051401359", DD_TAX_ID_PESEL, 0 },
  { "PESEL: 44051401359", NULL, "44051401359", DD_TAX_ID_PESEL, 0 },
  { "ИНН 7707083893", "RU", "7707083893", DD_TAX_ID_INN_LEGAL, 0 },
  { "инн: 7707083893", NULL, "7707083893", DD_TAX_ID_INN_LEGAL, 0 },
  { "INN 7707083893", NULL, "7707083893", DD_TAX_ID_INN_LEGAL, 0 },
  { "7707083893", "RU", "7707083893", DD_TAX_ID_INN_LEGAL, 0 },
  { "7707083893", NULL, "7707083893", DD_TAX_ID_INN_LEGAL, 0 },
  { "7707083893/773601001", "RU", "7707083893", DD_TAX_ID_INN_LEGAL, 0 },
  { "ИНН/КПП 7707083893 / 773601001", NULL, "7707083893", DD_TAX_ID_INN_LEGAL, 0 },
  { "500100732259", "RU", "500100732259", DD_TAX_ID_INN_PERSON, 0 },
  { "ИНН 5001 0073 2259", NULL, "500100732259", DD_TAX_ID_INN_PERSON, 0 },
  { "RU 7707083893", NULL, "7707083893", DD_TAX_ID_INN_LEGAL, 0 },
  /* Valid both as NIP and as INN: the country, a label, or else NIP decides. */
  { "1000000041", "PL", "1000000041", DD_TAX_ID_NIP, 0 },
  { "1000000041", "RU", "1000000041", DD_TAX_ID_INN_LEGAL, 0 },
  { "ИНН 1000000041", NULL, "1000000041", DD_TAX_ID_INN_LEGAL, 0 },
  { "1000000041", NULL, "1000000041", DD_TAX_ID_NIP, 0 },
  /* An INN only. */
  { "1000000002", NULL, "1000000002", DD_TAX_ID_INN_LEGAL, 0 },
  /* An unknown office country tries both schemes. */
  { "1234563218", "DE", "1234563218", DD_TAX_ID_NIP, 0 },

  { "", "PL", NULL, 0, DD_TAX_ID_ERROR_FORMAT },
  { "   ", NULL, NULL, 0, DD_TAX_ID_ERROR_FORMAT },
  { "NIP", "PL", NULL, 0, DD_TAX_ID_ERROR_FORMAT },
  { "brak", "PL", NULL, 0, DD_TAX_ID_ERROR_FORMAT },
  { "123-456-32-1B", "PL", NULL, 0, DD_TAX_ID_ERROR_FORMAT },
  { "7.70708E+09", "RU", NULL, 0, DD_TAX_ID_ERROR_FORMAT },
  { "123456321", "PL", NULL, 0, DD_TAX_ID_ERROR_FORMAT },
  { "500100732259", "PL", NULL, 0, DD_TAX_ID_ERROR_FORMAT },
  { "44051401359", "RU", NULL, 0, DD_TAX_ID_ERROR_FORMAT },
  { "1234567", NULL, NULL, 0, DD_TAX_ID_ERROR_FORMAT },
  { "0000000000", "PL", NULL, 0, DD_TAX_ID_ERROR_FORMAT },
  { "000-000-00-00", NULL, NULL, 0, DD_TAX_ID_ERROR_FORMAT },
  { "ИНН 7707083893", "PL", NULL, 0, DD_TAX_ID_ERROR_FORMAT },
  { "PL 1234563218", "RU", NULL, 0, DD_TAX_ID_ERROR_FORMAT },
  { "1234563218/773601001", "PL", NULL, 0, DD_TAX_ID_ERROR_FORMAT },
  { "7707083893/7736", "RU", NULL, 0, DD_TAX_ID_ERROR_FORMAT },
  { "1234563219", "PL", NULL, 0, DD_TAX_ID_ERROR_CHECKSUM },
  { "PL 123-456-32-19", NULL, NULL, 0, DD_TAX_ID_ERROR_CHECKSUM },
  /* Neither a NIP nor an INN (1234563219 would be a valid INN). */
  { "1234563217", NULL, NULL, 0, DD_TAX_ID_ERROR_CHECKSUM },
  { "1234563219", NULL, "1234563219", DD_TAX_ID_INN_LEGAL, 0 },
  { "44051401358", NULL, NULL, 0, DD_TAX_ID_ERROR_CHECKSUM },
  { "7707083894", "RU", NULL, 0, DD_TAX_ID_ERROR_CHECKSUM },
  { "500100732258", NULL, NULL, 0, DD_TAX_ID_ERROR_CHECKSUM },
  { "90023012340", "PL", NULL, 0, DD_TAX_ID_ERROR_BIRTH_DATE },
};

static void
test_normalize (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (normalize_cases); i++)
    {
      const NormalizeCase *c = &normalize_cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *digits = NULL;
      DdTaxIdKind kind = DD_TAX_ID_NIP;

      g_test_message ("case %u: “%s” in %s", i, c->text, c->country ? c->country : "(any)");
      digits = dd_tax_id_normalize (c->text, c->country, &kind, &error);
      if (c->digits != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (digits, ==, c->digits);
          g_assert_cmpint (kind, ==, c->kind);
          g_assert_true (dd_tax_id_is_valid (digits, kind));
        }
      else
        {
          g_assert_error (error, DD_TAX_ID_ERROR, c->code);
          g_assert_null (digits);
          g_assert_cmpint (kind, ==, DD_TAX_ID_UNKNOWN);
          /* Something a clerk can read, not an empty string. */
          g_assert_cmpuint (strlen (error->message), >, 10);
        }
    }

  /* Without @out_kind, and with invalid UTF-8. */
  {
    g_autofree char *digits = dd_tax_id_normalize ("1234563218", NULL, NULL, NULL);
    g_autoptr(GError) error = NULL;
    g_autofree char *none = dd_tax_id_normalize ("12\xff" "34563218", NULL, NULL, &error);

    g_assert_cmpstr (digits, ==, "1234563218");
    g_assert_error (error, DD_TAX_ID_ERROR, DD_TAX_ID_ERROR_FORMAT);
    g_assert_null (none);
  }
}

static void
test_length_message (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *digits = dd_tax_id_normalize ("123 456 32", "PL", NULL, &error);

  g_assert_error (error, DD_TAX_ID_ERROR, DD_TAX_ID_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "8 digits"));
}

static void
test_format (void)
{
  g_autofree char *nip = dd_tax_id_format ("1234563218", DD_TAX_ID_NIP);
  g_autofree char *inn = dd_tax_id_format ("7707083893", DD_TAX_ID_INN_LEGAL);

  g_assert_cmpstr (nip, ==, "123-456-32-18");
  g_assert_cmpstr (inn, ==, "7707083893");
  g_assert_cmpstr (dd_tax_id_kind_get_country (DD_TAX_ID_PESEL), ==, "PL");
  g_assert_cmpstr (dd_tax_id_kind_get_country (DD_TAX_ID_INN_PERSON), ==, "RU");
  g_assert_null (dd_tax_id_kind_get_country (DD_TAX_ID_UNKNOWN));
  g_assert_cmpstr (dd_tax_id_kind_to_string (DD_TAX_ID_INN_LEGAL), ==, "inn-legal");
}

static void
test_complete (void)
{
  char nip[] = "1234563210";
  char pesel[] = "44051401350";
  char inn10[] = "7707083890";
  char inn12[] = "500100732200";
  char short_one[] = "12345";

  g_assert_true (dd_tax_id_complete (nip, DD_TAX_ID_NIP));
  g_assert_cmpstr (nip, ==, "1234563218");
  g_assert_true (dd_tax_id_complete (pesel, DD_TAX_ID_PESEL));
  g_assert_cmpstr (pesel, ==, "44051401359");
  g_assert_true (dd_tax_id_complete (inn10, DD_TAX_ID_INN_LEGAL));
  g_assert_cmpstr (inn10, ==, "7707083893");
  g_assert_true (dd_tax_id_complete (inn12, DD_TAX_ID_INN_PERSON));
  g_assert_cmpstr (inn12, ==, "500100732259");
  g_assert_false (dd_tax_id_complete (short_one, DD_TAX_ID_NIP));
}

/* Every generated id is valid and survives normalisation; a NIP or PESEL with any single
 * digit changed is caught (their weights are prime to the modulus). */
static void
test_generate (void)
{
  static const DdTaxIdKind kinds[] = {
    DD_TAX_ID_NIP, DD_TAX_ID_PESEL, DD_TAX_ID_INN_LEGAL, DD_TAX_ID_INN_PERSON,
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (guint i = 0; i < 5000; i++)
      {
        g_autofree char *id = dd_tax_id_generate (kinds[k], rand);
        g_autofree char *again = NULL;
        DdTaxIdKind kind = DD_TAX_ID_UNKNOWN;
        const char *country = dd_tax_id_kind_get_country (kinds[k]);

        g_assert_true (dd_tax_id_is_valid (id, kinds[k]));
        again = dd_tax_id_normalize (id, country, &kind, NULL);
        g_assert_cmpstr (again, ==, id);
        g_assert_cmpint (kind, ==, kinds[k]);

        if (kinds[k] == DD_TAX_ID_NIP || kinds[k] == DD_TAX_ID_PESEL)
          {
            gsize len = strlen (id);
            guint pos = (guint) g_rand_int_range (rand, 0, (gint32) len);
            char changed = (char) ('0' + (id[pos] - '0' + g_rand_int_range (rand, 1, 10)) % 10);

            id[pos] = changed;
            g_assert_false (dd_tax_id_is_valid (id, kinds[k]));
          }
      }
}

static void
test_generate_deterministic (void)
{
  g_autoptr(GRand) a = g_rand_new_with_seed (7);
  g_autoptr(GRand) b = g_rand_new_with_seed (7);
  g_autoptr(GRand) c = g_rand_new_with_seed (8);
  guint differ = 0;

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *x = dd_tax_id_generate (DD_TAX_ID_INN_PERSON, a);
      g_autofree char *y = dd_tax_id_generate (DD_TAX_ID_INN_PERSON, b);
      g_autofree char *z = dd_tax_id_generate (DD_TAX_ID_INN_PERSON, c);

      g_assert_cmpstr (x, ==, y);
      differ += g_strcmp0 (x, z) != 0;
    }
  g_assert_cmpuint (differ, >, 90);
}

static void
test_generate_pesel (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  GDate birth, decoded;

  g_date_clear (&birth, 1);
  g_date_clear (&decoded, 1);
  g_date_set_dmy (&birth, 1, G_DATE_JANUARY, 1899);
  for (guint i = 0; i < 3000; i++)
    {
      gboolean female = i % 2 == 0;
      gboolean decoded_female = !female;
      g_autofree char *pesel = dd_tax_id_generate_pesel (&birth, female, rand);

      g_assert_true (dd_tax_id_pesel_decode (pesel, &decoded, &decoded_female));
      g_assert_cmpint (g_date_compare (&birth, &decoded), ==, 0);
      g_assert_cmpint (decoded_female, ==, female);
      /* Through the 1800s, 1900s and 2000s month offsets. */
      g_date_add_days (&birth, 45);
    }
  g_assert_cmpint (g_date_get_year (&birth), >=, 2100);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/tax-id/nip/valid", test_nip_valid);
  g_test_add_func ("/dd/tax-id/nip/invalid", test_nip_invalid);
  g_test_add_func ("/dd/tax-id/pesel", test_pesel);
  g_test_add_func ("/dd/tax-id/inn", test_inn);
  g_test_add_func ("/dd/tax-id/normalize", test_normalize);
  g_test_add_func ("/dd/tax-id/length-message", test_length_message);
  g_test_add_func ("/dd/tax-id/format", test_format);
  g_test_add_func ("/dd/tax-id/complete", test_complete);
  g_test_add_func ("/dd/tax-id/generate", test_generate);
  g_test_add_func ("/dd/tax-id/generate-deterministic", test_generate_deterministic);
  g_test_add_func ("/dd/tax-id/generate-pesel", test_generate_pesel);

  return g_test_run ();
}
