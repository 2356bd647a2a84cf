/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SMS provider account: settings round trip, the token in a real (throw-away) keyring
 * through libsecret, and the gateway it makes. Run by run-with-keyring.sh. */
#include "config.h"

#include "dd-test-util.h"
#include "dd-gateway-smsapi.h"
#include "dd-gateway-test.h"
#include "dd-sms-account.h"

#include <string.h>

static gboolean
store (const DdSmsAccount *account,
       const char         *secret,
       GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dd_sms_account_store_secret (account, secret, NULL, dd_test_keep_result, &result);
  return dd_sms_account_store_secret_finish (dd_test_wait_result (&result), error);
}

static char *
lookup (const DdSmsAccount *account,
        GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dd_sms_account_lookup_secret (account, NULL, dd_test_keep_result, &result);
  return dd_sms_account_lookup_secret_finish (dd_test_wait_result (&result), error);
}

static void
test_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(DdSmsAccount) fresh = dd_sms_account_new_from_settings (settings);
  g_autoptr(DdSmsAccount) account = dd_sms_account_new ("smsapi", "", NULL, "Windykacja");
  g_autoptr(DdSmsAccount) loaded = NULL;
  g_autofree char *in_settings = NULL;

  g_assert_cmpstr (fresh->provider, ==, "test");
  g_assert_null (fresh->url);
  g_assert_null (account->url);   /* empty means the public address */
  dd_sms_account_save (account, settings);
  loaded = dd_sms_account_new_from_settings (settings);
  g_assert_cmpstr (loaded->provider, ==, "smsapi");
  g_assert_cmpstr (loaded->sender, ==, "Windykacja");
  g_assert_null (loaded->username);
  in_settings = g_settings_get_string (settings, "sms-gateway");
  g_assert_cmpstr (in_settings, ==, "smsapi");
  g_settings_reset (settings, "sms-gateway");
  g_settings_reset (settings, "sms-sender");
}

static void
test_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSmsAccount) smsapi = dd_sms_account_new ("smsapi", NULL, NULL, NULL);
  g_autoptr(DdSmsAccount) kannel = dd_sms_account_new ("kannel", "http://127.0.0.1:13013/",
                                                       "office", NULL);
  g_autoptr(DdSmsAccount) other_user = dd_sms_account_new ("kannel", "http://127.0.0.1:13013/",
                                                           "someone", NULL);
  g_autofree char *secret = NULL;

  secret = lookup (smsapi, &error);
  g_assert_no_error (error);
  g_assert_null (secret);

  g_assert_true (store (smsapi, "tok-SMSAPI-1", &error));
  g_assert_no_error (error);
  g_assert_true (store (kannel, "kannel-pass", &error));
  g_assert_no_error (error);

  secret = lookup (smsapi, &error);
  g_assert_cmpstr (secret, ==, "tok-SMSAPI-1");
  g_clear_pointer (&secret, g_free);
  secret = lookup (kannel, &error);
  g_assert_cmpstr (secret, ==, "kannel-pass");
  g_clear_pointer (&secret, g_free);
  secret = lookup (other_user, &error);
  g_assert_null (secret);

  /* replaced, then cleared with an empty secret */
  store (smsapi, "tok-SMSAPI-2", &error);
  g_assert_no_error (error);
  secret = lookup (smsapi, &error);
  g_assert_cmpstr (secret, ==, "tok-SMSAPI-2");
  g_clear_pointer (&secret, g_free);
  g_assert_true (store (smsapi, "", &error));
  g_assert_no_error (error);
  secret = lookup (smsapi, &error);
  g_assert_no_error (error);
  g_assert_null (secret);
}

static void
test_create_gateway (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdSmsAccount) test = dd_sms_account_new (NULL, NULL, NULL, NULL);
  g_autoptr(DdSmsAccount) smsapi = dd_sms_account_new ("smsapi", "http://127.0.0.1:9/", NULL,
                                                       "Windykacja");
  g_autoptr(DdSmsGateway) gateway = dd_sms_account_create_gateway (test, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (DD_IS_GATEWAY_TEST (gateway));
  g_clear_object (&gateway);

  gateway = dd_sms_account_create_gateway (smsapi, NULL, &error);
  g_assert_null (gateway);
  g_assert_error (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "Preferences"));
  g_clear_error (&error);

  gateway = dd_sms_account_create_gateway (smsapi, "tok", &error);
  g_assert_no_error (error);
  g_assert_true (DD_IS_GATEWAY_SMSAPI (gateway));
  g_assert_cmpstr (dd_sms_gateway_get_id (gateway), ==, "smsapi");
  g_clear_object (&gateway);

  /* Twilio needs its account SID as the user */
  {
    g_autoptr(DdSmsAccount) twilio = dd_sms_account_new ("twilio", NULL, "", "+48221234567");
    g_autoptr(DdSmsAccount) twilio_sid = dd_sms_account_new ("twilio", NULL,
                                                             "AC0123456789abcdef0123456789abcdef",
                                                             "+48221234567");

    gateway = dd_sms_account_create_gateway (twilio, "tok", &error);
    g_assert_null (gateway);
    g_assert_error (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_AUTH);
    g_clear_error (&error);
    gateway = dd_sms_account_create_gateway (twilio_sid, "tok", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (dd_sms_gateway_get_id (gateway), ==, "twilio");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dd/sms-account/settings", test_settings);
  g_test_add_func ("/dd/sms-account/keyring", test_keyring);
  g_test_add_func ("/dd/sms-account/create-gateway", test_create_gateway);
  return g_test_run ();
}
