/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-bank-account.h"

static void
test_valid (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "PL61 1090 1014 0000 0712 1981 2874", "PL61109010140000071219812874" },
    { "61 1090 1014 0000 0712 1981 2874", "61109010140000071219812874" },   /* NRB */
    { "gb82 west 1234 5698 7654 32", "GB82WEST12345698765432" },
    { "DE89-3704-0044-0532-0130-00", "DE89370400440532013000" },
    { "40702810900000000001", "40702810900000000001" },                  /* Russian */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *account = dd_bank_account_normalize (cases[i].in, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (account, ==, cases[i].out);
    }
}

static void
test_invalid (void)
{
  static const struct { const char *in; DdBankAccountError code; } cases[] = {
    { "PL62 1090 1014 0000 0712 1981 2874", DD_BANK_ACCOUNT_ERROR_CHECKSUM },
    { "62 1090 1014 0000 0712 1981 2874", DD_BANK_ACCOUNT_ERROR_CHECKSUM },
    { "GB82WEST12345698765433", DD_BANK_ACCOUNT_ERROR_CHECKSUM },
    { "12345", DD_BANK_ACCOUNT_ERROR_FORMAT },
    { "", DD_BANK_ACCOUNT_ERROR_FORMAT },
    { "PL61/1090", DD_BANK_ACCOUNT_ERROR_FORMAT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *account = dd_bank_account_normalize (cases[i].in, &error);

      g_assert_null (account);
      g_assert_error (error, DD_BANK_ACCOUNT_ERROR, (gint) cases[i].code);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dd/bank-account/valid", test_valid);
  g_test_add_func ("/dd/bank-account/invalid", test_invalid);
  return g_test_run ();
}
