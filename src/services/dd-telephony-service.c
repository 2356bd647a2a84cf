/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-telephony-service"

#include "config.h"

#include "dd-telephony-service.h"

#include "dd-sip-accounts.h"
#include "dd-sip-core.h"

#include <string.h>

struct _DdTelephonyService
{
  GObject       parent_instance;

  GSettings    *settings;      /* nullable */
  DdSipEngine  *engine;        /* NULL until first needed */
  GHashTable   *applied;       /* names of the accounts handed to the engine */
  GCancellable *cancellable;   /* the keyring look-ups */
};

G_DEFINE_FINAL_TYPE (DdTelephonyService, dd_telephony_service, G_TYPE_OBJECT)

typedef struct
{
  DdTelephonyService *self;   /* a reference */
  DdSipAccountInfo   *info;
} PasswordLookup;

static void
on_password (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PasswordLookup *lookup = user_data;
  DdTelephonyService *self = lookup->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = dd_sip_account_lookup_password_finish (result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->engine != NULL)
    {
      g_autoptr(GError) apply_error = NULL;

      /* without the keyring the account still goes in: a trunk that knows us by address
       * needs no password, and a registrar says clearly when it wants one */
      if (error != NULL)
        g_warning ("The password of SIP account “%s” cannot be read: %s", lookup->info->name,
                   error->message);
      if (!dd_sip_account_info_apply (lookup->info, self->engine, password, &apply_error))
        g_warning ("SIP account “%s” is not used: %s", lookup->info->name,
                   apply_error->message);
    }
  if (password != NULL)
    explicit_bzero (password, strlen (password));
  dd_sip_account_info_free (lookup->info);
  g_object_unref (lookup->self);
  g_free (lookup);
}

static void
apply_accounts (DdTelephonyService *self)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GHashTable) now = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  const char *name;

  if (self->engine == NULL || self->settings == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  accounts = dd_sip_accounts_load (self->settings);
  for (guint i = 0; i < accounts->len; i++)
    {
      DdSipAccountInfo *info = g_ptr_array_index (accounts, i);
      PasswordLookup *lookup = g_new0 (PasswordLookup, 1);

      g_hash_table_add (now, info->name);
      g_hash_table_add (self->applied, g_strdup (info->name));
      lookup->self = g_object_ref (self);
      lookup->info = dd_sip_account_info_copy (info);
      dd_sip_account_lookup_password (info, self->cancellable, on_password, lookup);
    }
  /* the ones deleted since */
  g_hash_table_iter_init (&iter, self->applied);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    if (!g_hash_table_contains (now, name))
      {
        dd_sip_engine_remove_account (self->engine, name);
        g_hash_table_iter_remove (&iter);
      }
}

static void
dd_telephony_service_dispose (GObject *object)
{
  DdTelephonyService *self = DD_TELEPHONY_SERVICE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (dd_telephony_service_parent_class)->dispose (object);
}

static void
dd_telephony_service_finalize (GObject *object)
{
  DdTelephonyService *self = DD_TELEPHONY_SERVICE (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->applied, g_hash_table_unref);

  G_OBJECT_CLASS (dd_telephony_service_parent_class)->finalize (object);
}

static void
dd_telephony_service_class_init (DdTelephonyServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dd_telephony_service_dispose;
  object_class->finalize = dd_telephony_service_finalize;
}

static void
dd_telephony_service_init (DdTelephonyService *self)
{
  self->applied = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

DdTelephonyService *
dd_telephony_service_new (GSettings *settings)
{
  DdTelephonyService *self;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (DD_TYPE_TELEPHONY_SERVICE, NULL);
  if (settings != NULL)
    self->settings = g_object_ref (settings);
  return self;
}

gboolean
dd_telephony_service_has_accounts (DdTelephonyService *self)
{
  g_autofree char *accounts = NULL;

  g_return_val_if_fail (DD_IS_TELEPHONY_SERVICE (self), FALSE);

  if (self->settings == NULL)
    return FALSE;
  accounts = g_settings_get_string (self->settings, "sip-accounts");
  return *accounts != '\0' && !g_str_equal (accounts, "[]");
}

DdSipEngine *
dd_telephony_service_get_engine (DdTelephonyService  *self,
                                 GError             **error)
{
  g_autofree char *address = NULL;

  g_return_val_if_fail (DD_IS_TELEPHONY_SERVICE (self), NULL);

  if (self->engine != NULL)
    return self->engine;
  if (self->settings != NULL)
    address = g_settings_get_string (self->settings, "sip-local-address");
  if (address == NULL || *address == '\0')
    {
      g_free (address);
      address = dd_sip_default_local_address ();
    }
  self->engine = dd_sip_engine_new (address, 0, error);
  if (self->engine != NULL)
    apply_accounts (self);
  return self->engine;
}

DdSipEngine *
dd_telephony_service_peek_engine (DdTelephonyService *self)
{
  g_return_val_if_fail (DD_IS_TELEPHONY_SERVICE (self), NULL);

  return self->engine;
}

void
dd_telephony_service_accounts_changed (DdTelephonyService *self)
{
  g_return_if_fail (DD_IS_TELEPHONY_SERVICE (self));

  apply_accounts (self);
}
