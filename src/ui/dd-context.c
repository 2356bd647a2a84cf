/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-context"

#include "config.h"

#include "dd-context.h"

#include "dd-sending.h"

#include "dd-sip-accounts.h"

#include <string.h>

struct _DdContext
{
  GObject     parent_instance;

  DdDatabase *database;
  GSettings  *settings;
  DdSmsGateway *sms_gateway;
  DdSending   *sending;
  DdSipEngine *sip_engine;
  GHashTable  *sip_applied;     /* names of the accounts handed to the engine */
  GCancellable *sip_cancellable;
  gint64      agent_id;
  char       *agent_name;
  gboolean    is_manager;
};

G_DEFINE_FINAL_TYPE (DdContext, dd_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATABASE,
  PROP_SETTINGS,
  PROP_AGENT_ID,
  PROP_AGENT_NAME,
  PROP_IS_MANAGER,
  N_PROPS
};

enum {
  CASES_CHANGED,
  CAMPAIGNS_CHANGED,
  SMS_ACCOUNT_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
dd_context_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DdContext *self = DD_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_value_set_object (value, self->database);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_AGENT_ID:
      g_value_set_int64 (value, self->agent_id);
      break;
    case PROP_AGENT_NAME:
      g_value_set_string (value, self->agent_name);
      break;
    case PROP_IS_MANAGER:
      g_value_set_boolean (value, self->is_manager);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_context_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  DdContext *self = DD_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      self->database = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_context_dispose (GObject *object)
{
  DdContext *self = DD_CONTEXT (object);

  g_clear_object (&self->database);
  g_clear_object (&self->settings);
  g_clear_object (&self->sms_gateway);
  if (self->sending != NULL)
    dd_sending_stop (self->sending);
  g_clear_object (&self->sending);
  g_cancellable_cancel (self->sip_cancellable);
  g_clear_object (&self->sip_cancellable);
  g_clear_object (&self->sip_engine);
  g_clear_pointer (&self->sip_applied, g_hash_table_unref);

  G_OBJECT_CLASS (dd_context_parent_class)->dispose (object);
}

static void
dd_context_finalize (GObject *object)
{
  DdContext *self = DD_CONTEXT (object);

  g_free (self->agent_name);

  G_OBJECT_CLASS (dd_context_parent_class)->finalize (object);
}

static void
dd_context_class_init (DdContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = dd_context_get_property;
  object_class->set_property = dd_context_set_property;
  object_class->dispose = dd_context_dispose;
  object_class->finalize = dd_context_finalize;

  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL, DD_TYPE_DATABASE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AGENT_ID] =
    g_param_spec_int64 ("agent-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_AGENT_NAME] =
    g_param_spec_string ("agent-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_MANAGER] =
    g_param_spec_boolean ("is-manager", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CASES_CHANGED] =
    g_signal_new ("cases-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CAMPAIGNS_CHANGED] =
    g_signal_new ("campaigns-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SMS_ACCOUNT_CHANGED] =
    g_signal_new ("sms-account-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dd_context_init (DdContext *self)
{
  self->sip_applied = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

DdContext *
dd_context_new (DdDatabase *database,
                GSettings  *settings)
{
  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (DD_TYPE_CONTEXT, "database", database, "settings", settings, NULL);
}

DdDatabase *
dd_context_get_database (DdContext *self)
{
  g_return_val_if_fail (DD_IS_CONTEXT (self), NULL);
  return self->database;
}

GSettings *
dd_context_get_settings (DdContext *self)
{
  g_return_val_if_fail (DD_IS_CONTEXT (self), NULL);
  return self->settings;
}

gint64
dd_context_get_agent_id (DdContext *self)
{
  g_return_val_if_fail (DD_IS_CONTEXT (self), 0);
  return self->agent_id;
}

const char *
dd_context_get_agent_name (DdContext *self)
{
  g_return_val_if_fail (DD_IS_CONTEXT (self), NULL);
  return self->agent_name;
}

gboolean
dd_context_get_is_manager (DdContext *self)
{
  g_return_val_if_fail (DD_IS_CONTEXT (self), FALSE);
  return self->is_manager;
}

void
dd_context_set_agent (DdContext  *self,
                      gint64      agent_id,
                      const char *agent_name,
                      gboolean    is_manager)
{
  g_return_if_fail (DD_IS_CONTEXT (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->agent_id != agent_id)
    {
      self->agent_id = agent_id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT_ID]);
    }
  if (g_strcmp0 (self->agent_name, agent_name) != 0)
    {
      g_free (self->agent_name);
      self->agent_name = g_strdup (agent_name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT_NAME]);
    }
  if (self->is_manager != !!is_manager)
    {
      self->is_manager = !!is_manager;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_MANAGER]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
dd_context_cases_changed (DdContext *self)
{
  g_return_if_fail (DD_IS_CONTEXT (self));
  g_signal_emit (self, signals[CASES_CHANGED], 0);
}

void
dd_context_campaigns_changed (DdContext *self)
{
  g_return_if_fail (DD_IS_CONTEXT (self));
  g_signal_emit (self, signals[CAMPAIGNS_CHANGED], 0);
}

void
dd_context_sms_account_changed (DdContext *self)
{
  g_return_if_fail (DD_IS_CONTEXT (self));
  g_signal_emit (self, signals[SMS_ACCOUNT_CHANGED], 0);
}

DdContactPolicy *
dd_context_get_contact_policy (DdContext *self)
{
  g_autofree char *json = NULL;
  g_autofree char *country = NULL;
  g_autofree char *zone = NULL;
  DdContactPolicy *policy = NULL;

  g_return_val_if_fail (DD_IS_CONTEXT (self), NULL);

  if (self->settings != NULL)
    {
      g_autoptr(GError) error = NULL;

      json = g_settings_get_string (self->settings, "contact-policy");
      if (json != NULL && *json != '\0')
        {
          policy = dd_contact_policy_from_json (json, &error);
          if (policy == NULL)
            g_warning ("The saved contact policy is ignored: %s", error->message);
        }
      country = g_settings_get_string (self->settings, "default-country");
      zone = g_settings_get_string (self->settings, "time-zone");
    }
  if (policy == NULL)
    {
      policy = dd_contact_policy_new_preset (dd_contact_policy_preset_for_country (country));
      /* debtors without a zone of their own live in the office's */
      if (zone != NULL && *zone != '\0')
        {
          g_free (policy->default_zone);
          policy->default_zone = g_strdup (zone);
        }
    }
  return policy;
}

DdSmsGateway *
dd_context_get_sms_gateway (DdContext *self)
{
  g_return_val_if_fail (DD_IS_CONTEXT (self), NULL);

  if (self->sending != NULL && dd_sending_get_gateway (self->sending) != NULL)
    return dd_sending_get_gateway (self->sending);
  return self->sms_gateway;
}

DdSending *
dd_context_get_sending (DdContext *self)
{
  g_return_val_if_fail (DD_IS_CONTEXT (self), NULL);

  if (self->sending == NULL)
    self->sending = dd_sending_new (self->database);
  return self->sending;
}

void
dd_context_set_sms_gateway (DdContext    *self,
                            DdSmsGateway *gateway)
{
  g_return_if_fail (DD_IS_CONTEXT (self));

  g_set_object (&self->sms_gateway, gateway);
}

/* SIP */

typedef struct
{
  DdContext        *context;   /* a reference */
  DdSipAccountInfo *info;
} PasswordLookup;

static void
on_sip_password (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PasswordLookup *lookup = user_data;
  DdContext *self = lookup->context;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = dd_sip_account_lookup_password_finish (result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->sip_engine != NULL)
    {
      g_autoptr(GError) apply_error = NULL;

      /* without the keyring the account still goes in: a trunk that knows us by address
       * needs no password, and a registrar says clearly when it wants one */
      if (error != NULL)
        g_warning ("The password of SIP account “%s” cannot be read: %s", lookup->info->name,
                   error->message);
      if (!dd_sip_account_info_apply (lookup->info, self->sip_engine, password, &apply_error))
        g_warning ("SIP account “%s” is not used: %s", lookup->info->name,
                   apply_error->message);
    }
  if (password != NULL)
    memset (password, 0, strlen (password));
  dd_sip_account_info_free (lookup->info);
  g_object_unref (lookup->context);
  g_free (lookup);
}

static void
apply_sip_accounts (DdContext *self)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GHashTable) now = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  const char *name;

  if (self->sip_engine == NULL || self->settings == NULL)
    return;
  g_cancellable_cancel (self->sip_cancellable);
  g_clear_object (&self->sip_cancellable);
  self->sip_cancellable = g_cancellable_new ();
  accounts = dd_sip_accounts_load (self->settings);
  for (guint i = 0; i < accounts->len; i++)
    {
      DdSipAccountInfo *info = g_ptr_array_index (accounts, i);
      PasswordLookup *lookup = g_new0 (PasswordLookup, 1);

      g_hash_table_add (now, info->name);
      g_hash_table_add (self->sip_applied, g_strdup (info->name));
      lookup->context = g_object_ref (self);
      lookup->info = dd_sip_account_info_copy (info);
      dd_sip_account_lookup_password (info, self->sip_cancellable, on_sip_password, lookup);
    }
  /* the ones deleted since */
  g_hash_table_iter_init (&iter, self->sip_applied);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    if (!g_hash_table_contains (now, name))
      {
        dd_sip_engine_remove_account (self->sip_engine, name);
        g_hash_table_iter_remove (&iter);
      }
}

DdSipEngine *
dd_context_get_sip_engine (DdContext  *self,
                           GError    **error)
{
  g_autofree char *address = NULL;

  g_return_val_if_fail (DD_IS_CONTEXT (self), NULL);

  if (self->sip_engine != NULL)
    return self->sip_engine;
  if (self->settings != NULL)
    address = g_settings_get_string (self->settings, "sip-local-address");
  if (address == NULL || *address == '\0')
    {
      g_free (address);
      address = dd_sip_default_local_address ();
    }
  self->sip_engine = dd_sip_engine_new (address, 0, error);
  if (self->sip_engine != NULL)
    apply_sip_accounts (self);
  return self->sip_engine;
}

DdSipEngine *
dd_context_peek_sip_engine (DdContext *self)
{
  g_return_val_if_fail (DD_IS_CONTEXT (self), NULL);
  return self->sip_engine;
}

void
dd_context_sip_accounts_changed (DdContext *self)
{
  g_return_if_fail (DD_IS_CONTEXT (self));
  apply_sip_accounts (self);
}
