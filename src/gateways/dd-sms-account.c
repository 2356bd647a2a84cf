/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-sms-account"

#include "config.h"

#include "dd-sms-account.h"

#include <glib/gi18n-lib.h>

#include "dd-secret-store.h"
#include "dd-gateway-kannel.h"
#include "dd-gateway-smsapi.h"
#include "dd-gateway-test.h"
#include "dd-gateway-twilio.h"

static char *
nonempty (const char *text)
{
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

DdSmsAccount *
dd_sms_account_new (const char *provider,
                    const char *url,
                    const char *username,
                    const char *sender)
{
  DdSmsAccount *self = g_new0 (DdSmsAccount, 1);

  self->provider = g_strdup (provider != NULL && *provider != '\0' ? provider : "test");
  self->url = nonempty (url);
  self->username = nonempty (username);
  self->sender = nonempty (sender);
  return self;
}

DdSmsAccount *
dd_sms_account_new_from_settings (GSettings *settings)
{
  g_autofree char *provider = g_settings_get_string (settings, "sms-gateway");
  g_autofree char *url = g_settings_get_string (settings, "sms-api-url");
  g_autofree char *username = g_settings_get_string (settings, "sms-api-user");
  g_autofree char *sender = g_settings_get_string (settings, "sms-sender");

  return dd_sms_account_new (provider, url, username, sender);
}

void
dd_sms_account_save (const DdSmsAccount *self,
                     GSettings          *settings)
{
  g_settings_delay (settings);
  g_settings_set_string (settings, "sms-gateway", self->provider);
  g_settings_set_string (settings, "sms-api-url", self->url ? self->url : "");
  g_settings_set_string (settings, "sms-api-user", self->username ? self->username : "");
  g_settings_set_string (settings, "sms-sender", self->sender ? self->sender : "");
  g_settings_apply (settings);
}

void
dd_sms_account_free (DdSmsAccount *self)
{
  if (self == NULL)
    return;
  g_free (self->provider);
  g_free (self->url);
  g_free (self->username);
  g_free (self->sender);
  g_free (self);
}

const char *
dd_sms_account_provider_title (const char *provider)
{
  if (g_strcmp0 (provider, "smsapi") == 0)
    return _("SMSAPI");
  if (g_strcmp0 (provider, "twilio") == 0)
    return _("Twilio");
  if (g_strcmp0 (provider, "kannel") == 0)
    return _("Own gateway (Kannel)");
  return _("Test inbox (sends nothing)");
}

gboolean
dd_sms_account_needs_secret (const char *provider)
{
  return g_strcmp0 (provider, "test") != 0 && provider != NULL;
}

gboolean
dd_sms_account_needs_username (const char *provider)
{
  return g_strcmp0 (provider, "twilio") == 0 || g_strcmp0 (provider, "kannel") == 0;
}

void
dd_sms_account_store_secret (const DdSmsAccount  *self,
                             const char          *secret,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  const char *attributes[] = {
    "provider", self->provider, "url", self->url, "username", self->username, NULL
  };
  /* Translators: the keyring entry's name; %s is the provider ("SMSAPI"…) */
  g_autofree char *label = g_strdup_printf (_("Dunning Desk: %s access"),
                                            dd_sms_account_provider_title (self->provider));

  dd_secret_store (DD_SECRET_SMS_PROVIDER, attributes, label, secret, cancellable, callback,
                   user_data);
}

gboolean
dd_sms_account_store_secret_finish (GAsyncResult  *result,
                                    GError       **error)
{
  return dd_secret_store_finish (result, error);
}

void
dd_sms_account_lookup_secret (const DdSmsAccount  *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  const char *attributes[] = {
    "provider", self->provider, "url", self->url, "username", self->username, NULL
  };

  dd_secret_lookup (DD_SECRET_SMS_PROVIDER, attributes, cancellable, callback, user_data);
}

char *
dd_sms_account_lookup_secret_finish (GAsyncResult  *result,
                                     GError       **error)
{
  return dd_secret_lookup_finish (result, error);
}

DdSmsGateway *
dd_sms_account_create_gateway (const DdSmsAccount  *self,
                               const char          *secret,
                               GError             **error)
{
  if (g_str_equal (self->provider, "test"))
    return DD_SMS_GATEWAY (dd_gateway_test_new ());

  if (dd_sms_account_needs_secret (self->provider) && (secret == NULL || *secret == '\0'))
    {
      g_set_error (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_AUTH,
                   _("The %s token or password is missing: enter it in Preferences."),
                   dd_sms_account_provider_title (self->provider));
      return NULL;
    }
  if (g_str_equal (self->provider, "smsapi"))
    {
      DdGatewaySmsapi *gateway = dd_gateway_smsapi_new (self->url, secret);

      dd_http_gateway_set_sender (DD_HTTP_GATEWAY (gateway), self->sender);
      return DD_SMS_GATEWAY (gateway);
    }
  if (g_str_equal (self->provider, "kannel"))
    {
      DdGatewayKannel *gateway;

      if (self->url == NULL || self->username == NULL)
        {
          g_set_error_literal (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_BAD_REQUEST,
                               _("Your gateway’s address and user are missing: enter them in "
                                 "Preferences."));
          return NULL;
        }
      gateway = dd_gateway_kannel_new (self->url, self->username, secret);
      dd_http_gateway_set_sender (DD_HTTP_GATEWAY (gateway), self->sender);
      return DD_SMS_GATEWAY (gateway);
    }
  if (g_str_equal (self->provider, "twilio"))
    {
      DdGatewayTwilio *gateway;

      if (self->username == NULL || !g_str_has_prefix (self->username, "AC"))
        {
          g_set_error_literal (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_AUTH,
                               _("The Twilio account SID (it starts with AC) is missing: enter "
                                 "it in Preferences."));
          return NULL;
        }
      gateway = dd_gateway_twilio_new (self->url, NULL, self->username, secret);
      dd_http_gateway_set_sender (DD_HTTP_GATEWAY (gateway), self->sender);
      return DD_SMS_GATEWAY (gateway);
    }
  g_set_error (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_NOT_SUPPORTED,
               _("This version cannot send through %s yet."),
               dd_sms_account_provider_title (self->provider));
  return NULL;
}
