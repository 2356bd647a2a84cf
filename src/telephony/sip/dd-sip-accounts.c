/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-sip-accounts"

#include "config.h"

#include "dd-sip-accounts.h"

#include "dd-secret-store.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

static char *
nonempty (const char *text)
{
  if (text == NULL)
    return NULL;
  while (g_ascii_isspace (*text))
    text++;
  return *text != '\0' ? g_strstrip (g_strdup (text)) : NULL;
}

DdSipAccountInfo *
dd_sip_account_info_new (const char *name,
                         const char *aor)
{
  DdSipAccountInfo *self = g_new0 (DdSipAccountInfo, 1);

  self->name = nonempty (name);
  self->aor = nonempty (aor);
  self->enabled = TRUE;
  return self;
}

DdSipAccountInfo *
dd_sip_account_info_copy (const DdSipAccountInfo *self)
{
  DdSipAccountInfo *copy = g_new0 (DdSipAccountInfo, 1);

  *copy = *self;
  copy->name = g_strdup (self->name);
  copy->aor = g_strdup (self->aor);
  copy->display_name = g_strdup (self->display_name);
  copy->registrar = g_strdup (self->registrar);
  copy->outbound_proxy = g_strdup (self->outbound_proxy);
  copy->auth_user = g_strdup (self->auth_user);
  return copy;
}

void
dd_sip_account_info_free (DdSipAccountInfo *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->aor);
  g_free (self->display_name);
  g_free (self->registrar);
  g_free (self->outbound_proxy);
  g_free (self->auth_user);
  g_free (self);
}

const char *
dd_sip_transport_to_string (DdSipTransport transport)
{
  switch (transport)
    {
    case DD_SIP_TRANSPORT_TCP:
      return "TCP";
    case DD_SIP_TRANSPORT_TLS:
      return "TLS";
    case DD_SIP_TRANSPORT_UDP:
    default:
      return "UDP";
    }
}

gboolean
dd_sip_transport_from_string (const char     *text,
                              DdSipTransport *transport)
{
  if (g_ascii_strcasecmp (text, "UDP") == 0)
    *transport = DD_SIP_TRANSPORT_UDP;
  else if (g_ascii_strcasecmp (text, "TCP") == 0)
    *transport = DD_SIP_TRANSPORT_TCP;
  else if (g_ascii_strcasecmp (text, "TLS") == 0)
    *transport = DD_SIP_TRANSPORT_TLS;
  else
    return FALSE;
  return TRUE;
}

/* sip:[user@]host[:port][;params]: enough to catch what users get wrong (a bare number, a
 * web address, spaces). */
static gboolean
looks_like_sip_uri (const char *uri,
                    gboolean    needs_user)
{
  const char *host;

  if (uri == NULL || !g_str_has_prefix (uri, "sip:") || strpbrk (uri, " \t<>\"") != NULL)
    return FALSE;
  host = strchr (uri + 4, '@');
  if (needs_user && (host == NULL || host == uri + 4))
    return FALSE;
  host = host != NULL ? host + 1 : uri + 4;
  return *host != '\0' && *host != ':' && *host != ';';
}

gboolean
dd_sip_account_info_validate (const DdSipAccountInfo  *self,
                              GError                 **error)
{
  if (self->name == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Give the account a name, such as the operator’s or the line’s."));
      return FALSE;
    }
  if (!looks_like_sip_uri (self->aor, TRUE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a SIP address: it should look like sip:user@server."),
                   self->aor != NULL ? self->aor : "");
      return FALSE;
    }
  if (self->registrar != NULL && !looks_like_sip_uri (self->registrar, FALSE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a SIP server address: it should look like sip:server or "
                     "sip:server:port."), self->registrar);
      return FALSE;
    }
  if (self->outbound_proxy != NULL && !looks_like_sip_uri (self->outbound_proxy, FALSE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a SIP proxy address: it should look like sip:proxy or "
                     "sip:proxy:port."), self->outbound_proxy);
      return FALSE;
    }
  return TRUE;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

GPtrArray *
dd_sip_accounts_from_json (const char  *json,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) accounts =
    g_ptr_array_new_with_free_func ((GDestroyNotify) dd_sip_account_info_free);
  JsonNode *root;
  JsonArray *array;

  if (json == NULL || *json == '\0')
    return g_steal_pointer (&accounts);
  if (!json_parser_load_from_data (parser, json, -1, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The SIP accounts are not a list."));
      return NULL;
    }
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      DdSipAccountInfo *info;
      const char *transport;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("SIP account %u is not an object."), i + 1);
          return NULL;
        }
      object = json_node_get_object (node);
      info = dd_sip_account_info_new (member_string (object, "name"),
                                      member_string (object, "aor"));
      g_ptr_array_add (accounts, info);
      info->display_name = nonempty (member_string (object, "display-name"));
      info->registrar = nonempty (member_string (object, "registrar"));
      info->outbound_proxy = nonempty (member_string (object, "outbound-proxy"));
      info->auth_user = nonempty (member_string (object, "auth-user"));
      transport = member_string (object, "transport");
      if (transport != NULL && !dd_sip_transport_from_string (transport, &info->transport))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("SIP account %u has an unknown transport “%s”."), i + 1, transport);
          return NULL;
        }
      if (json_object_has_member (object, "max-calls"))
        info->max_calls = (guint) CLAMP (json_object_get_int_member (object, "max-calls"), 0,
                                         10000);
      if (json_object_has_member (object, "enabled"))
        info->enabled = json_object_get_boolean_member (object, "enabled");
      if (info->name == NULL || info->aor == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("SIP account %u has no name or no address."), i + 1);
          return NULL;
        }
    }
  return g_steal_pointer (&accounts);
}

char *
dd_sip_accounts_to_json (GPtrArray *accounts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      const DdSipAccountInfo *info = g_ptr_array_index (accounts, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, info->name);
      json_builder_set_member_name (builder, "aor");
      json_builder_add_string_value (builder, info->aor);
#define OPTIONAL(member, value) \
      if ((value) != NULL) \
        { \
          json_builder_set_member_name (builder, member); \
          json_builder_add_string_value (builder, value); \
        }
      OPTIONAL ("display-name", info->display_name)
      OPTIONAL ("registrar", info->registrar)
      OPTIONAL ("outbound-proxy", info->outbound_proxy)
      OPTIONAL ("auth-user", info->auth_user)
#undef OPTIONAL
      json_builder_set_member_name (builder, "transport");
      json_builder_add_string_value (builder, dd_sip_transport_to_string (info->transport));
      json_builder_set_member_name (builder, "max-calls");
      json_builder_add_int_value (builder, info->max_calls);
      json_builder_set_member_name (builder, "enabled");
      json_builder_add_boolean_value (builder, info->enabled);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

GPtrArray *
dd_sip_accounts_load (GSettings *settings)
{
  g_autofree char *json = g_settings_get_string (settings, "sip-accounts");
  g_autoptr(GError) error = NULL;
  GPtrArray *accounts = dd_sip_accounts_from_json (json, &error);

  if (accounts == NULL)
    {
      g_warning ("The saved SIP accounts cannot be read (%s); starting without any",
                 error->message);
      accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_sip_account_info_free);
    }
  return accounts;
}

void
dd_sip_accounts_save (GSettings *settings,
                      GPtrArray *accounts)
{
  g_autofree char *json = dd_sip_accounts_to_json (accounts);

  g_settings_set_string (settings, "sip-accounts", json);
}

/* Keyring */

void
dd_sip_account_store_password (const DdSipAccountInfo *self,
                               const char             *password,
                               GCancellable           *cancellable,
                               GAsyncReadyCallback     callback,
                               gpointer                user_data)
{
  const char *attributes[] = { "account", self->name, "aor", self->aor, NULL };
  /* Translators: the name of the SIP password in the user's keyring */
  g_autofree char *label = g_strdup_printf (_("Dunning Desk SIP account “%s”"), self->name);

  dd_secret_store (DD_SECRET_SIP_ACCOUNT, attributes, label, password, cancellable, callback,
                   user_data);
}

gboolean
dd_sip_account_store_password_finish (GAsyncResult  *result,
                                      GError       **error)
{
  return dd_secret_store_finish (result, error);
}

void
dd_sip_account_lookup_password (const DdSipAccountInfo *self,
                                GCancellable           *cancellable,
                                GAsyncReadyCallback     callback,
                                gpointer                user_data)
{
  const char *attributes[] = { "account", self->name, "aor", self->aor, NULL };

  dd_secret_lookup (DD_SECRET_SIP_ACCOUNT, attributes, cancellable, callback, user_data);
}

char *
dd_sip_account_lookup_password_finish (GAsyncResult  *result,
                                       GError       **error)
{
  return dd_secret_lookup_finish (result, error);
}

gboolean
dd_sip_account_info_apply (const DdSipAccountInfo  *self,
                           DdSipEngine             *engine,
                           const char              *password,
                           GError                 **error)
{
  DdSipAccountConfig config = { 0 };

  if (!dd_sip_account_info_validate (self, error))
    return FALSE;
  if (!self->enabled)
    {
      dd_sip_engine_remove_account (engine, self->name);
      return TRUE;
    }
  config.name = self->name;
  config.aor = self->aor;
  config.display_name = self->display_name;
  config.registrar = self->registrar;
  config.outbound_proxy = self->outbound_proxy;
  config.auth_user = self->auth_user;
  config.password = password;
  config.transport = self->transport;
  config.max_calls = self->max_calls;
  return dd_sip_engine_add_account (engine, &config, error);
}

char *
dd_sip_default_local_address (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GInetAddress) far = g_inet_address_new_from_string ("192.0.2.1");
  g_autoptr(GSocketAddress) target = g_inet_socket_address_new (far, 9);
  g_autoptr(GSocketAddress) local = NULL;

  /* connecting a datagram socket sends nothing; it picks the route and so the address */
  if (socket != NULL && g_socket_connect (socket, target, NULL, NULL) &&
      (local = g_socket_get_local_address (socket, NULL)) != NULL)
    return g_inet_address_to_string (
      g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));
  return g_strdup ("127.0.0.1");
}
