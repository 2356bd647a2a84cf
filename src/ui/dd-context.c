/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-context"

#include "config.h"

#include "dd-context.h"

#include "dd-headset.h"
#include "dd-dialer.h"
#include "dd-inbound-queue.h"

#include "dd-number-checks.h"
#include "dd-pg-database.h"
#include "dd-sending.h"
#include "dd-sip-accounts.h"
#include "dd-voice-campaign.h"

#include <glib/gi18n-lib.h>
#include <string.h>

struct _DdContext
{
  GObject     parent_instance;

  DdDatabase *database;
  GSettings  *settings;
  DdSmsGateway *sms_gateway;
  DdSending   *sending;
  DdTelephonyService *telephony;  /* the SIP engine and the office's lines, made when needed */
  DdVoiceCampaign *voice;         /* the voice campaigns' runner, made when needed */
  DdHeadset  *headset;            /* the desk's headset, made when needed */
  DdDialer   *dialer;             /* the outbound dialer, made when needed */
  DdInboundRunner *inbound;       /* the office's inbound line, started when it has one */
  gint64      agent_id;
  char       *agent_name;
  gboolean    is_manager;
  guint       cases_changed_source;      /* another desk's changes, gathered for a moment */
  guint       campaigns_changed_source;
  gboolean    database_connected;        /* FALSE while a lost shared database comes back */
};

G_DEFINE_FINAL_TYPE (DdContext, dd_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATABASE,
  PROP_SETTINGS,
  PROP_AGENT_ID,
  PROP_AGENT_NAME,
  PROP_IS_MANAGER,
  PROP_DATABASE_CONNECTED,
  N_PROPS
};

enum {
  CASES_CHANGED,
  CAMPAIGNS_CHANGED,
  SMS_ACCOUNT_CHANGED,
  CAMPAIGN_COMPLETED,
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
    case PROP_DATABASE_CONNECTED:
      g_value_set_boolean (value, self->database_connected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
emit_cases_changed (gpointer user_data)
{
  DdContext *self = user_data;

  self->cases_changed_source = 0;
  dd_context_cases_changed (self);
  return G_SOURCE_REMOVE;
}

static gboolean
emit_campaigns_changed (gpointer user_data)
{
  DdContext *self = user_data;

  self->campaigns_changed_source = 0;
  dd_context_campaigns_changed (self);
  return G_SOURCE_REMOVE;
}

/* A shared database announced a change (this desk's or another's): what shows it is read
 * again, once for all the changes of the next 150 ms. */
static void
on_database_changed (DdContext  *self,
                     const char *table,
                     const char *ids)
{
  static const char * const case_tables[] = { "debt_case", "activity", "declaration",
                                              "payment", NULL };
  static const char * const campaign_tables[] = { "campaign", "message", "call_attempt", NULL };

  if (g_strv_contains (case_tables, table) && self->cases_changed_source == 0)
    self->cases_changed_source = g_timeout_add (150, emit_cases_changed, self);
  if (g_strv_contains (campaign_tables, table) && self->campaigns_changed_source == 0)
    self->campaigns_changed_source = g_timeout_add (150, emit_campaigns_changed, self);
}

static void
on_database_connection_lost (DdContext  *self,
                             const char *message)
{
  if (!self->database_connected)
    return;
  self->database_connected = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATABASE_CONNECTED]);
}

/* Back after a lost connection: what the desk shows may have changed meanwhile (other desks
 * went on working), so it is all read again. */
static void
on_database_reconnected (DdContext *self)
{
  self->database_connected = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATABASE_CONNECTED]);
  dd_context_cases_changed (self);
  dd_context_campaigns_changed (self);
}

static void
listen_to_other_desks (DdContext *self)
{
  g_autoptr(GError) error = NULL;

  if (!DD_IS_PG_DATABASE (self->database))
    return;
  if (!dd_pg_database_listen (DD_PG_DATABASE (self->database), &error))
    {
      g_warning ("Other desks' changes will not show until reopened: %s", error->message);
      return;
    }
  g_signal_connect_object (self->database, "changed", G_CALLBACK (on_database_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->database, "connection-lost",
                           G_CALLBACK (on_database_connection_lost), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->database, "reconnected", G_CALLBACK (on_database_reconnected),
                           self, G_CONNECT_SWAPPED);
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
      listen_to_other_desks (self);
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

  g_clear_handle_id (&self->cases_changed_source, g_source_remove);
  g_clear_handle_id (&self->campaigns_changed_source, g_source_remove);
  g_clear_object (&self->database);
  g_clear_object (&self->settings);
  g_clear_object (&self->sms_gateway);
  if (self->sending != NULL)
    dd_sending_stop (self->sending);
  g_clear_object (&self->sending);
  if (self->voice != NULL)
    dd_voice_campaign_stop (self->voice);
  g_clear_object (&self->voice);
  if (self->headset != NULL)
    dd_headset_release (self->headset);
  g_clear_object (&self->headset);
  if (self->dialer != NULL)
    dd_dialer_stop (self->dialer);
  g_clear_object (&self->dialer);
  if (self->inbound != NULL)
    dd_inbound_runner_stop (self->inbound);
  g_clear_object (&self->inbound);
  g_clear_object (&self->telephony);

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
  /**
   * DdContext:database-connected:
   *
   * FALSE while the shared office database cannot be reached (the desk reconnects by itself);
   * always TRUE for a database on this computer.
   */
  properties[PROP_DATABASE_CONNECTED] =
    g_param_spec_boolean ("database-connected", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
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
  signals[CAMPAIGN_COMPLETED] =
    g_signal_new ("campaign-completed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dd_context_init (DdContext *self)
{
  self->database_connected = TRUE;
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
dd_context_get_database_connected (DdContext *self)
{
  g_return_val_if_fail (DD_IS_CONTEXT (self), TRUE);
  return self->database_connected;
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
  /* the inbound line rings the consultant now at this desk */
  if (self->inbound != NULL)
    dd_inbound_runner_set_desk (self->inbound, self->agent_id, self->headset);
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

/* The SMS sending or the voice runner saw a campaign end: its e-mail summary follows. */
static void
on_sending_completed (DdSending *sending,
                      DdContext *self)
{
  g_signal_emit (self, signals[CAMPAIGN_COMPLETED], 0);
}

static void
on_voice_finished (DdVoiceCampaign *voice,
                   gint64           campaign_id,
                   DdContext       *self)
{
  g_signal_emit (self, signals[CAMPAIGN_COMPLETED], 0);
}

DdSending *
dd_context_get_sending (DdContext *self)
{
  g_return_val_if_fail (DD_IS_CONTEXT (self), NULL);

  if (self->sending == NULL)
    {
      self->sending = dd_sending_new (self->database);
      g_signal_connect_object (self->sending, "campaign-completed",
                               G_CALLBACK (on_sending_completed), self, 0);
    }
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

static DdTelephonyService *
telephony (DdContext *self)
{
  if (self->telephony == NULL)
    self->telephony = dd_telephony_service_new (self->settings);
  return self->telephony;
}

DdTelephonyService *
dd_context_get_telephony (DdContext *self)
{
  g_return_val_if_fail (DD_IS_CONTEXT (self), NULL);
  return telephony (self);
}

DdSipEngine *
dd_context_get_sip_engine (DdContext  *self,
                           GError    **error)
{
  g_return_val_if_fail (DD_IS_CONTEXT (self), NULL);
  return dd_telephony_service_get_engine (telephony (self), error);
}

DdSipEngine *
dd_context_peek_sip_engine (DdContext *self)
{
  g_return_val_if_fail (DD_IS_CONTEXT (self), NULL);
  return self->telephony != NULL ? dd_telephony_service_peek_engine (self->telephony) : NULL;
}

void
dd_context_sip_accounts_changed (DdContext *self)
{
  g_return_if_fail (DD_IS_CONTEXT (self));
  if (self->telephony != NULL)
    dd_telephony_service_accounts_changed (self->telephony);
}

gboolean
dd_context_can_check_numbers (DdContext  *self,
                              GError    **error)
{
  DdSmsGateway *gateway;

  g_return_val_if_fail (DD_IS_CONTEXT (self), FALSE);

  gateway = dd_context_get_sms_gateway (self);
  if (gateway == NULL || !dd_sms_gateway_can_check_numbers (gateway))
    {
      g_set_error_literal (error, DD_SMS_GATEWAY_ERROR, DD_SMS_GATEWAY_ERROR_NOT_SUPPORTED,
                           _("The SMS provider in use cannot look numbers up (Twilio and the "
                             "test inbox can)"));
      return FALSE;
    }
  return TRUE;
}

void
dd_context_check_numbers_async (DdContext              *self,
                                const char * const     *numbers,
                                DdNumberChecksProgress  progress,
                                gpointer                progress_data,
                                GCancellable           *cancellable,
                                GAsyncReadyCallback     callback,
                                gpointer                user_data)
{
  g_return_if_fail (DD_IS_CONTEXT (self));

  dd_number_checks_run_async (self->database, dd_context_get_sms_gateway (self), numbers,
                              self->agent_id, progress, progress_data, cancellable, callback,
                              user_data);
}

/* The "context" property of the widgets that are handed one */

static GQuark
context_offset_quark (void)
{
  return g_quark_from_static_string ("dd-context-property-offset");
}

static GQuark
context_weak_quark (void)
{
  return g_quark_from_static_string ("dd-context-property-weak");
}

enum
{
  PROP_HOLDER_0,
  PROP_HOLDER_CONTEXT,
};

static DdContext **
context_slot (GObject    *object,
              GParamSpec *pspec)
{
  gsize offset = GPOINTER_TO_SIZE (g_type_get_qdata (pspec->owner_type, context_offset_quark ()));

  return G_STRUCT_MEMBER_P (object, offset);
}

static void
holder_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  if (prop_id == PROP_HOLDER_CONTEXT)
    g_value_set_object (value, *context_slot (object, pspec));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
holder_set_property (GObject      *object,
                     guint         prop_id,
                     const GValue *value,
                     GParamSpec   *pspec)
{
  if (prop_id != PROP_HOLDER_CONTEXT)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else if (g_type_get_qdata (pspec->owner_type, context_weak_quark ()) != NULL)
    g_set_weak_pointer (context_slot (object, pspec), g_value_get_object (value));
  else
    *context_slot (object, pspec) = g_value_dup_object (value);
}

static void
install_property (GObjectClass *object_class,
                  gsize         offset,
                  gboolean      weak,
                  GParamFlags   extra_flags)
{
  g_return_if_fail (G_IS_OBJECT_CLASS (object_class));
  g_return_if_fail (offset >= sizeof (GObject));

  g_type_set_qdata (G_OBJECT_CLASS_TYPE (object_class), context_offset_quark (),
                    GSIZE_TO_POINTER (offset));
  g_type_set_qdata (G_OBJECT_CLASS_TYPE (object_class), context_weak_quark (),
                    GINT_TO_POINTER (weak));
  object_class->get_property = holder_get_property;
  object_class->set_property = holder_set_property;
  g_object_class_install_property (object_class, PROP_HOLDER_CONTEXT,
                                   dd_context_param_spec (extra_flags));
}

void
dd_context_install_property (GObjectClass *object_class,
                             gsize         offset,
                             GParamFlags   extra_flags)
{
  install_property (object_class, offset, FALSE, extra_flags);
}

void
dd_context_install_weak_property (GObjectClass *object_class,
                                  gsize         offset)
{
  install_property (object_class, offset, TRUE, 0);
}

GParamSpec *
dd_context_param_spec (GParamFlags extra_flags)
{
  return g_param_spec_object ("context", NULL, NULL, DD_TYPE_CONTEXT,
                              G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS |
                              extra_flags);
}

DdVoiceCampaign *
dd_context_peek_voice_campaign (DdContext *self)
{
  g_return_val_if_fail (DD_IS_CONTEXT (self), NULL);

  return self->voice;
}

DdVoiceCampaign *
dd_context_get_voice_campaign (DdContext  *self,
                               GError    **error)
{
  g_autoptr(DdContactPolicy) policy = NULL;
  DdSipEngine *engine;

  g_return_val_if_fail (DD_IS_CONTEXT (self), NULL);

  if (self->voice != NULL)
    return self->voice;
  engine = dd_context_get_sip_engine (self, error);
  if (engine == NULL)
    return NULL;
  self->voice = dd_voice_campaign_new (self->database, engine);
  g_signal_connect_object (self->voice, "campaign-finished",
                           G_CALLBACK (on_voice_finished), self, 0);
  /* the office's lines: the SIP accounts the engine has (their passwords are the engine's) */
  if (self->settings != NULL)
    {
      g_autoptr(GPtrArray) accounts = dd_sip_accounts_load (self->settings);

      for (guint i = 0; i < accounts->len; i++)
        {
          DdSipAccountInfo *info = g_ptr_array_index (accounts, i);

          if (info->enabled && info->aor != NULL && g_str_has_prefix (info->aor, "sip:"))
            dd_voice_campaign_add_line (self->voice, info->aor, info->name, NULL);
        }
    }
  policy = dd_context_get_contact_policy (self);
  dd_voice_campaign_set_contact_policy (self->voice, policy);
  return self->voice;
}

DdHeadset *
dd_context_get_headset (DdContext  *self,
                        GError    **error)
{
  g_return_val_if_fail (DD_IS_CONTEXT (self), NULL);

  if (self->headset == NULL)
    self->headset = dd_headset_new (NULL, NULL, error);
  return self->headset;
}

void
dd_context_set_headset (DdContext *self,
                        DdHeadset *headset)
{
  g_return_if_fail (DD_IS_CONTEXT (self));
  g_return_if_fail (headset == NULL || DD_IS_HEADSET (headset));

  g_set_object (&self->headset, headset);
  if (self->inbound != NULL)
    dd_inbound_runner_set_desk (self->inbound, self->agent_id, self->headset);
}

DdDialer *
dd_context_peek_dialer (DdContext *self)
{
  g_return_val_if_fail (DD_IS_CONTEXT (self), NULL);

  return self->dialer;
}

DdDialer *
dd_context_get_dialer (DdContext  *self,
                       GError    **error)
{
  DdSipEngine *engine;
  DdDialMode mode = DD_DIAL_MODE_PROGRESSIVE;
  double cap = DD_DIALER_DEFAULT_CAP;
  gint64 window_s = DD_DIALER_WINDOW_30_DAYS_S;

  g_return_val_if_fail (DD_IS_CONTEXT (self), NULL);

  if (self->dialer != NULL)
    return self->dialer;
  engine = dd_context_get_sip_engine (self, error);
  if (engine == NULL)
    return NULL;
  self->dialer = dd_dialer_new (self->database, engine);
  if (self->settings != NULL)
    {
      g_autoptr(GPtrArray) accounts = dd_sip_accounts_load (self->settings);
      g_autofree char *mode_text = g_settings_get_string (self->settings, "dialer-mode");
      g_autofree char *window = g_settings_get_string (self->settings, "dialer-abandon-window");
      g_autofree char *name = g_settings_get_string (self->settings, "office-name");
      g_autofree char *phone = g_settings_get_string (self->settings, "office-phone");
      g_autofree char *language = g_settings_get_string (self->settings, "office-language");

      /* the line: the first SIP account in use ("auto" pacing: one desk, progressive) */
      for (guint i = 0; i < accounts->len; i++)
        {
          DdSipAccountInfo *info = g_ptr_array_index (accounts, i);

          if (info->enabled && info->aor != NULL && g_str_has_prefix (info->aor, "sip:"))
            {
              dd_dialer_set_line (self->dialer, info->aor);
              break;
            }
        }
      if (!dd_dial_mode_from_string (mode_text, &mode))
        mode = dd_dial_mode_default_for (1);
      cap = g_settings_get_double (self->settings, "dialer-abandon-cap");
      if (g_strcmp0 (window, "24-hours") == 0)
        window_s = DD_DIALER_WINDOW_24_HOURS_S;
      dd_dialer_set_office (self->dialer, name, *phone != '\0' ? phone : NULL,
                            *language != '\0' ? language : NULL);
      dd_dialer_set_wrap_up (self->dialer, g_settings_get_uint (self->settings,
                                                                "wrap-up-seconds"));
      {
        g_autofree char *machines = g_settings_get_string (self->settings, "dialer-machines");
        DdDialerMachinePolicy policy = DD_DIALER_MACHINES_LEAVE_MESSAGE;

        if (dd_dialer_machine_policy_from_string (machines, &policy))
          dd_dialer_set_machine_policy (self->dialer, policy);
      }
    }
  dd_dialer_set_pacing (self->dialer, mode, cap, window_s, 0.3);
  return self->dialer;
}

DdInboundRunner *
dd_context_peek_inbound (DdContext *self)
{
  g_return_val_if_fail (DD_IS_CONTEXT (self), NULL);

  return self->inbound;
}

gboolean
dd_context_has_inbound_line (DdContext *self)
{
  g_autoptr(DdInboundStore) store = NULL;
  g_autofree char *account = NULL;
  gint64 flow_id = 0;

  g_return_val_if_fail (DD_IS_CONTEXT (self), FALSE);

  store = dd_inbound_store_new (self->database);
  return dd_inbound_store_get_line (store, &account, &flow_id, NULL) &&
         account != NULL && *account != '\0';
}

DdInboundRunner *
dd_context_start_inbound (DdContext  *self,
                          GError    **error)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(DdInboundRunner) runner = NULL;
  DdSipEngine *engine;

  g_return_val_if_fail (DD_IS_CONTEXT (self), NULL);

  if (self->inbound != NULL && dd_inbound_runner_is_running (self->inbound))
    return self->inbound;
  engine = dd_context_get_sip_engine (self, error);
  if (engine == NULL)
    return NULL;
  runner = self->inbound != NULL ? g_object_ref (self->inbound)
                                 : dd_inbound_runner_new (self->database, engine);
  if (self->settings != NULL)
    {
      g_autofree char *language = g_settings_get_string (self->settings, "office-language");
      g_autofree char *country = g_settings_get_string (self->settings, "default-country");

      dd_inbound_runner_set_office (runner, *language != '\0' ? language : NULL,
                                    *country != '\0' ? country : NULL);
      dd_inbound_runner_set_ring_timeout (runner, g_settings_get_uint (self->settings,
                                                                       "transfer-ring-seconds"));
      dd_inbound_runner_set_wrap_up (runner, g_settings_get_uint (self->settings,
                                                                  "wrap-up-seconds"));
      accounts = dd_sip_accounts_load (self->settings);
    }
  else
    accounts = g_ptr_array_new ();
  /* the person at this desk takes calls on the headset, when there is a sound card */
  if (self->agent_id > 0)
    dd_context_get_headset (self, NULL);
  dd_inbound_runner_set_desk (runner, self->agent_id, self->headset);
  if (!dd_inbound_runner_start_with_accounts (runner, accounts, error))
    return NULL;
  g_set_object (&self->inbound, runner);
  return self->inbound;
}
