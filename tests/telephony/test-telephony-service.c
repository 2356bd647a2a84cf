/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DdTelephonyService: the engine starts on the configured address with the settings' SIP
 * accounts, takes changed accounts again and lets removed ones go. Run by run-with-keyring.sh
 * (the passwords' look-up). */
#include "config.h"

#include "dd-sip-accounts.h"
#include "dd-telephony-service.h"
#include "dd-test-util.h"

typedef struct
{
  DdSipEngine *engine;
  const char  *name;
  gboolean     known;
} Wait;

static gboolean
state_is (gpointer data)
{
  Wait *w = data;
  DdSipAccountState state = dd_sip_engine_get_account_state (w->engine, w->name, NULL, NULL);

  return w->known ? state == DD_SIP_ACCOUNT_UNREGISTERED : state == DD_SIP_ACCOUNT_UNKNOWN;
}

static void
save_accounts (GSettings  *settings,
               const char *name)
{
  g_autoptr(GPtrArray) accounts =
    g_ptr_array_new_with_free_func ((GDestroyNotify) dd_sip_account_info_free);

  if (name != NULL)
    g_ptr_array_add (accounts, dd_sip_account_info_new (name, "sip:100@127.0.0.1"));
  dd_sip_accounts_save (settings, accounts);
}

static void
test_lines (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(DdTelephonyService) telephony = NULL;
  g_autoptr(GError) error = NULL;
  DdSipEngine *engine;
  Wait wait = { NULL, "Biuro", TRUE };

  g_settings_set_string (settings, "sip-local-address", "127.0.0.1");
  save_accounts (settings, NULL);
  telephony = dd_telephony_service_new (settings);
  g_assert_false (dd_telephony_service_has_accounts (telephony));
  g_assert_null (dd_telephony_service_peek_engine (telephony));

  save_accounts (settings, "Biuro");
  g_assert_true (dd_telephony_service_has_accounts (telephony));
  engine = dd_telephony_service_get_engine (telephony, &error);
  g_assert_no_error (error);
  g_assert_true (DD_IS_SIP_ENGINE (engine));
  g_assert_true (dd_telephony_service_peek_engine (telephony) == engine);
  g_assert_true (dd_telephony_service_get_engine (telephony, NULL) == engine);

  /* the account of the settings, without a registrar: ready at once */
  wait.engine = engine;
  g_assert_true (dd_test_wait_until (state_is, &wait, 10000));

  /* removed from the settings: the engine lets it go */
  save_accounts (settings, NULL);
  dd_telephony_service_accounts_changed (telephony);
  wait.known = FALSE;
  g_assert_true (dd_test_wait_until (state_is, &wait, 10000));

  g_settings_reset (settings, "sip-local-address");
  g_settings_reset (settings, "sip-accounts");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dd/telephony-service/lines", test_lines);
  return g_test_run ();
}
