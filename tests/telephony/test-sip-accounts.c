/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The office's SIP accounts: the settings list (JSON) round trip and its errors, validation
 * messages, passwords in a real throw-away keyring (libsecret), and handing an account to the
 * engine. Run by run-with-keyring.sh. */
#include "config.h"

#include "dd-test-util.h"
#include "dd-sip-accounts.h"

#include <string.h>

static GPtrArray *
two_accounts (void)
{
  GPtrArray *accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_sip_account_info_free);
  DdSipAccountInfo *trunk = dd_sip_account_info_new ("Trunk", "sip:48221110001@sip.example.pl");
  DdSipAccountInfo *pbx = dd_sip_account_info_new (" PBX ", "sip:desk@pbx.office.lan");

  trunk->registrar = g_strdup ("sip:sip.example.pl");
  trunk->auth_user = g_strdup ("u48221110001");
  trunk->display_name = g_strdup ("Biuro Windykacji");
  trunk->transport = DD_SIP_TRANSPORT_TCP;
  trunk->max_calls = 4;
  pbx->outbound_proxy = g_strdup ("sip:10.0.0.1:5060");
  pbx->enabled = FALSE;
  g_ptr_array_add (accounts, trunk);
  g_ptr_array_add (accounts, pbx);
  return accounts;
}

static void
test_json_roundtrip (void)
{
  g_autoptr(GPtrArray) accounts = two_accounts ();
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = dd_sip_accounts_to_json (accounts);
  const DdSipAccountInfo *trunk, *pbx;

  /* no password ever goes into the settings */
  g_assert_null (strstr (json, "password"));
  loaded = dd_sip_accounts_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 2);
  trunk = g_ptr_array_index (loaded, 0);
  pbx = g_ptr_array_index (loaded, 1);
  g_assert_cmpstr (trunk->name, ==, "Trunk");
  g_assert_cmpstr (trunk->aor, ==, "sip:48221110001@sip.example.pl");
  g_assert_cmpstr (trunk->registrar, ==, "sip:sip.example.pl");
  g_assert_cmpstr (trunk->auth_user, ==, "u48221110001");
  g_assert_cmpstr (trunk->display_name, ==, "Biuro Windykacji");
  g_assert_cmpint (trunk->transport, ==, DD_SIP_TRANSPORT_TCP);
  g_assert_cmpuint (trunk->max_calls, ==, 4);
  g_assert_true (trunk->enabled);
  g_assert_cmpstr (pbx->name, ==, "PBX");   /* trimmed */
  g_assert_null (pbx->registrar);
  g_assert_cmpstr (pbx->outbound_proxy, ==, "sip:10.0.0.1:5060");
  g_assert_false (pbx->enabled);
  g_assert_cmpint (pbx->transport, ==, DD_SIP_TRANSPORT_UDP);

  /* empty is no accounts; broken is an error, not a guess */
  g_clear_pointer (&loaded, g_ptr_array_unref);
  loaded = dd_sip_accounts_from_json ("", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 0);
  g_assert_null (dd_sip_accounts_from_json ("{\"name\": \"x\"}", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_null (dd_sip_accounts_from_json ("[{\"name\": \"x\", \"aor\": \"sip:a@b\", "
                                            "\"transport\": \"SCTP\"}]", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "SCTP"));
  g_clear_error (&error);
  g_assert_null (dd_sip_accounts_from_json ("[{\"aor\": \"sip:a@b\"}]", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_null (dd_sip_accounts_from_json ("[1", &error));
  g_assert_nonnull (error);
}

static void
test_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GPtrArray) accounts = two_accounts ();
  g_autoptr(GPtrArray) none = dd_sip_accounts_load (settings);
  g_autoptr(GPtrArray) loaded = NULL;

  g_assert_cmpuint (none->len, ==, 0);
  dd_sip_accounts_save (settings, accounts);
  loaded = dd_sip_accounts_load (settings);
  g_assert_cmpuint (loaded->len, ==, 2);
  g_assert_cmpstr (((DdSipAccountInfo *) g_ptr_array_index (loaded, 1))->name, ==, "PBX");
  g_settings_reset (settings, "sip-accounts");
}

static void
test_validate (void)
{
  static const struct
  {
    const char *name;
    const char *aor;
    const char *registrar;
    const char *proxy;
    DdSipTransport transport;
    const char *complaint;    /* in the message, or NULL: valid */
  } cases[] = {
    { "Trunk", "sip:48221110001@sip.example.pl", "sip:sip.example.pl:5060", NULL,
      DD_SIP_TRANSPORT_UDP, NULL },
    { "Trunk", "sip:desk@10.0.0.5", NULL, "sip:10.0.0.1;lr", DD_SIP_TRANSPORT_TCP, NULL },
    { NULL, "sip:a@b", NULL, NULL, DD_SIP_TRANSPORT_UDP, "name" },
    { "Trunk", "48221110001", NULL, NULL, DD_SIP_TRANSPORT_UDP, "48221110001" },
    { "Trunk", "sip:sip.example.pl", NULL, NULL, DD_SIP_TRANSPORT_UDP, "sip:sip.example.pl" },
    { "Trunk", "sip:a b@c", NULL, NULL, DD_SIP_TRANSPORT_UDP, "sip:a b@c" },
    { "Trunk", "sip:a@b", "https://sip.example.pl", NULL, DD_SIP_TRANSPORT_UDP, "https" },
    { "Trunk", "sip:a@b", NULL, "10.0.0.1", DD_SIP_TRANSPORT_UDP, "10.0.0.1" },
    { "Trunk", "sip:a@b", "sip:b", NULL, DD_SIP_TRANSPORT_TLS, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DdSipAccountInfo) info = dd_sip_account_info_new (cases[i].name, cases[i].aor);
      g_autoptr(GError) error = NULL;

      info->registrar = g_strdup (cases[i].registrar);
      info->outbound_proxy = g_strdup (cases[i].proxy);
      info->transport = cases[i].transport;
      if (cases[i].complaint == NULL)
        {
          g_assert_true (dd_sip_account_info_validate (info, &error));
          g_assert_no_error (error);
        }
      else
        {
          g_assert_false (dd_sip_account_info_validate (info, &error));
          g_assert_nonnull (error);
          g_assert_nonnull (strstr (error->message, cases[i].complaint));
        }
    }
}

static gboolean
store (const DdSipAccountInfo *info,
       const char             *password,
       GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dd_sip_account_store_password (info, password, NULL, dd_test_keep_result, &result);
  return dd_sip_account_store_password_finish (dd_test_wait_result (&result), error);
}

static char *
lookup (const DdSipAccountInfo *info,
        GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dd_sip_account_lookup_password (info, NULL, dd_test_keep_result, &result);
  return dd_sip_account_lookup_password_finish (dd_test_wait_result (&result), error);
}

static void
test_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSipAccountInfo) trunk = dd_sip_account_info_new ("Trunk", "sip:1@sip.example.pl");
  g_autoptr(DdSipAccountInfo) other = dd_sip_account_info_new ("Trunk", "sip:2@sip.example.pl");
  g_autofree char *none = NULL;
  g_autofree char *found = NULL;
  g_autofree char *after_clear = NULL;
  g_autofree char *other_found = NULL;

  none = lookup (trunk, &error);
  g_assert_no_error (error);
  g_assert_null (none);
  g_assert_true (store (trunk, "hasło-ĄĘ-1", &error));
  g_assert_no_error (error);
  g_assert_true (store (other, "second", &error));
  found = lookup (trunk, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "hasło-ĄĘ-1");
  /* an empty password clears it; the other address keeps its own */
  g_assert_true (store (trunk, "", &error));
  after_clear = lookup (trunk, &error);
  g_assert_no_error (error);
  g_assert_null (after_clear);
  other_found = lookup (other, &error);
  g_assert_cmpstr (other_found, ==, "second");
}

static void
test_apply (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSipEngine) engine = dd_sip_engine_new ("127.0.0.1", 0, &error);
  g_autoptr(GPtrArray) accounts = two_accounts ();
  DdSipAccountInfo *trunk = g_ptr_array_index (accounts, 0);
  DdSipAccountInfo *pbx = g_ptr_array_index (accounts, 1);
  g_autoptr(DdSipAccountInfo) broken = dd_sip_account_info_new ("Broken", "12345");

  g_assert_no_error (error);
  /* a registrar nobody answers on: registering, for now */
  g_free (trunk->registrar);
  trunk->registrar = g_strdup ("sip:127.0.0.1:9");
  trunk->transport = DD_SIP_TRANSPORT_UDP;
  g_assert_true (dd_sip_account_info_apply (trunk, engine, "pw", &error));
  g_assert_no_error (error);
  g_assert_cmpint (dd_sip_engine_get_account_state (engine, "Trunk", NULL, NULL), ==,
                   DD_SIP_ACCOUNT_REGISTERING);
  /* a disabled account is not in the engine */
  g_assert_true (dd_sip_account_info_apply (pbx, engine, NULL, &error));
  g_assert_cmpint (dd_sip_engine_get_account_state (engine, "PBX", NULL, NULL), ==,
                   DD_SIP_ACCOUNT_UNKNOWN);
  g_assert_false (dd_sip_account_info_apply (broken, engine, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dd/sip-accounts/json-roundtrip", test_json_roundtrip);
  g_test_add_func ("/dd/sip-accounts/settings", test_settings);
  g_test_add_func ("/dd/sip-accounts/validate", test_validate);
  g_test_add_func ("/dd/sip-accounts/keyring", test_keyring);
  g_test_add_func ("/dd/sip-accounts/apply", test_apply);
  return g_test_run ();
}
