/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The secret store: both kinds of secret in a real (throw-away) keyring through libsecret,
 * each found by its own attributes only. Run by run-with-keyring.sh. */
#include "config.h"

#include "dd-test-util.h"
#include "dd-secret-store.h"

#include <string.h>

static gboolean
store (DdSecretKind        kind,
       const char * const *attributes,
       const char         *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  dd_secret_store (kind, attributes, "Dunning Desk test", secret, NULL, dd_test_keep_result,
                   &result);
  ok = dd_secret_store_finish (dd_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return ok;
}

/* The attributes' strings are gone as soon as the call returns: the store must keep copies. */
static gboolean
store_from_copies (DdSecretKind        kind,
                   const char * const *attributes,
                   const char         *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char **copy = g_strdupv ((char **) attributes);
  gboolean ok;

  dd_secret_store (kind, (const char * const *) copy, "Dunning Desk test", secret, NULL,
                   dd_test_keep_result,
                   &result);
  for (guint i = 0; copy[i] != NULL; i++)
    memset (copy[i], 'x', strlen (copy[i]));
  g_strfreev (copy);
  ok = dd_secret_store_finish (dd_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return ok;
}

static char *
lookup (DdSecretKind        kind,
        const char * const *attributes)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  dd_secret_lookup (kind, attributes, NULL, dd_test_keep_result, &result);
  secret = dd_secret_lookup_finish (dd_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return secret;
}

/* Cancelling one request does not cancel another that started after it, even while the
 * connection to the secret service is still being made (the first requests of a process). */
static void
test_cancel_one (void)
{
  const char *line[] = { "account", "Nobody", "aor", "sip:0@pbx.example", NULL };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) first_error = NULL;
  g_autoptr(GError) second_error = NULL;
  char *secret;

  dd_secret_lookup (DD_SECRET_SIP_ACCOUNT, line, cancellable, dd_test_keep_result, &first);
  g_cancellable_cancel (cancellable);
  dd_secret_lookup (DD_SECRET_SIP_ACCOUNT, line, NULL, dd_test_keep_result, &second);

  g_assert_null (dd_secret_lookup_finish (dd_test_wait_result (&first), &first_error));
  g_assert_error (first_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  secret = dd_secret_lookup_finish (dd_test_wait_result (&second), &second_error);
  g_assert_no_error (second_error);
  g_assert_null (secret);
}

static void
test_round_trip (void)
{
  const char *smsapi[] = { "provider", "smsapi", "url", NULL, "username", NULL, NULL };
  const char *twilio[] = { "provider", "twilio", "url", NULL, "username", "AC1", NULL };
  const char *line[] = { "account", "Office", "aor", "sip:100@pbx.example", NULL };
  const char *other_line[] = { "account", "Office", "aor", "sip:101@pbx.example", NULL };
  g_autofree char *found = NULL;

  g_assert_true (store (DD_SECRET_SMS_PROVIDER, smsapi, "token-1"));
  g_assert_true (store (DD_SECRET_SMS_PROVIDER, twilio, "token-2"));
  g_assert_true (store_from_copies (DD_SECRET_SIP_ACCOUNT, line, "sip-password"));

  found = lookup (DD_SECRET_SMS_PROVIDER, smsapi);
  g_assert_cmpstr (found, ==, "token-1");
  g_clear_pointer (&found, dd_secret_free);
  found = lookup (DD_SECRET_SMS_PROVIDER, twilio);
  g_assert_cmpstr (found, ==, "token-2");
  g_clear_pointer (&found, dd_secret_free);
  found = lookup (DD_SECRET_SIP_ACCOUNT, line);
  g_assert_cmpstr (found, ==, "sip-password");
  g_clear_pointer (&found, dd_secret_free);

  /* Another address of record is another secret. */
  g_assert_null (lookup (DD_SECRET_SIP_ACCOUNT, other_line));

  /* Storing nothing removes the entry, and only that one. */
  g_assert_true (store (DD_SECRET_SMS_PROVIDER, smsapi, ""));
  g_assert_null (lookup (DD_SECRET_SMS_PROVIDER, smsapi));
  found = lookup (DD_SECRET_SMS_PROVIDER, twilio);
  g_assert_cmpstr (found, ==, "token-2");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dd/secret-store/cancel-one", test_cancel_one);
  g_test_add_func ("/dd/secret-store/round-trip", test_round_trip);
  return g_test_run ();
}
