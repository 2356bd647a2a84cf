/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-database.h"
#include "dd-store.h"

G_BEGIN_DECLS

/*
 * Campaigns: what to send to whom and when. State machine:
 *
 *   draft ─▶ scheduled ─▶ running ⇄ paused ─▶ completed
 *                │           │         │
 *                └───────────┴─────────┴────▶ cancelled
 *
 * A scheduled campaign starts at schedule_at (dd_campaign_store_start_due(), at every
 * launch and by the dispatcher's timer): one whose time passed while the app was closed
 * starts at the next launch, and is reported as late so the UI can say so. Every change
 * writes an audit row.
 */

#define DD_CAMPAIGN_STORE_ERROR (dd_campaign_store_error_quark ())

typedef enum
{
  DD_CAMPAIGN_STORE_ERROR_NOT_FOUND,
  DD_CAMPAIGN_STORE_ERROR_STATE,
  DD_CAMPAIGN_STORE_ERROR_INVALID,
} DdCampaignStoreError;

GQuark dd_campaign_store_error_quark (void);

typedef enum
{
  DD_CAMPAIGN_DRAFT,
  DD_CAMPAIGN_SCHEDULED,
  DD_CAMPAIGN_RUNNING,
  DD_CAMPAIGN_PAUSED,
  DD_CAMPAIGN_COMPLETED,
  DD_CAMPAIGN_CANCELLED,
  DD_CAMPAIGN_N_STATES
} DdCampaignState;

DD_DECLARE_ENUM_NAMES (DdCampaignState, dd_campaign_state);
/* Translated, for lists ("Running", "Paused"…). */
const char *dd_campaign_state_to_label    (DdCampaignState  state);

/* A pause the sending made itself because the provider refuses every message of the account
 * ("auth", "no-credit", "bad-sender", "account-blocked",
 * "redirected", "tls"), or a voice campaign's because its SIP
 * line refused its login ("sip-auth"): a setting or the account must be fixed, then the
 * campaign resumes. */
gboolean    dd_campaign_reason_is_account (const char      *reason);
/* Such a reason in words (translated); NULL for other reasons. */
const char *dd_campaign_reason_to_label   (const char      *reason);

typedef struct
{
  gint64           id;
  char            *name;
  char            *kind;              /* "sms" or "voice" */
  DdCampaignState  state;
  char            *state_reason;      /* why paused ("no-credit"…), or NULL */
  char            *audience_filter;   /* DdCaseQuery JSON */
  char            *template_text;
  char            *sender;
  char            *gateway;           /* provider id ("smsapi", "test"…) */
  char            *schedule_at;       /* UTC ISO 8601, NULL = as soon as started */
  char            *windows;           /* contact policy JSON, or NULL for the office's */
  gint             throttle_per_minute;  /* 0 = the gateway's own limit */
  char            *started_at;
  char            *finished_at;
  char            *created_at;
  gint64           agent_id;
} DdCampaign;

void        dd_campaign_free              (DdCampaign *campaign);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdCampaign, dd_campaign_free)

#define DD_TYPE_CAMPAIGN_STORE (dd_campaign_store_get_type ())
DD_DECLARE_STORE (DdCampaignStore, dd_campaign_store, CAMPAIGN_STORE)

/* Creates a draft from @campaign (its id, state and times are ignored). */
/* Inside a transaction: holds the making of campaigns that are found or made by name (the
 * ladder's day campaigns) until the transaction ends, so that two desks on a shared database
 * do not both make one. Look again for the campaign after it. (SQLite: one writer at a time
 * already.) */
gboolean    dd_campaign_store_lock_making  (DdCampaignStore   *self,
                                            GError           **error);
gboolean    dd_campaign_store_create       (DdCampaignStore   *self,
                                            const DdCampaign  *campaign,
                                            gint64             agent_id,
                                            gint64            *out_id,
                                            GError           **error);
DdCampaign *dd_campaign_store_get          (DdCampaignStore   *self,
                                            gint64             campaign_id,
                                            GError           **error);
/* All campaigns, newest first: a GPtrArray of DdCampaign. */
GPtrArray  *dd_campaign_store_list         (DdCampaignStore   *self,
                                            GError           **error);
/* Moves the campaign to @state if the state machine allows it (STATE error otherwise);
 * @reason is kept for paused campaigns ("no-credit", "user"…). */
gboolean    dd_campaign_store_set_state    (DdCampaignStore   *self,
                                            gint64             campaign_id,
                                            DdCampaignState    state,
                                            const char        *reason,
                                            gint64             agent_id,
                                            GError           **error);
/* Starts the scheduled campaigns whose time has come (schedule_at ≤ @now). Returns their
 * ids; @out_late gets those that should have started more than @grace_seconds ago (the
 * app was closed then). */
GArray     *dd_campaign_store_start_due    (DdCampaignStore   *self,
                                            const char        *now,
                                            gint               grace_seconds,
                                            GArray           **out_late,
                                            GError           **error);
/* Marks running campaigns with no queued or sending message left as completed; returns
 * how many it completed. */
guint       dd_campaign_store_complete_finished (DdCampaignStore *self,
                                                 GError         **error);

/* Sending hours: @windows_json is {"start": minutes, "end": minutes} after local midnight
 * (NULL: always open). Returns TRUE if @now is inside; else FALSE and the next opening in
 * @out_next_open (UTC ISO 8601). Times are in @tz (the office's or the debtor's zone). */
gboolean    dd_campaign_window_is_open     (const char        *windows_json,
                                            GDateTime         *now,
                                            GTimeZone         *tz,
                                            char             **out_next_open);

/* Voice campaigns (kind "voice"): how the calls are made. */
typedef enum
{
  DD_MACHINE_VOICEMAIL,       /* an answering machine hears the flow (a voicemail is left) */
  DD_MACHINE_HANGUP_RETRY,    /* hang up on an answering machine and call again later */
} DdMachinePolicy;

typedef struct
{
  gint64           flow_id;           /* ivr_flow row (one version of a flow) */
  char           **lines;             /* SIP account names or sip:user@host URIs, in turn */
  char           **caller_ids;        /* caller IDs in turn (NULL or empty: the line's own) */
  guint            concurrency;       /* calls at once (≥ 1) */
  guint            attempts_per_day;  /* calls to one number per day; 0: no limit */
  guint            interval_s;        /* at least this long between two calls to one number */
  guint            max_attempts;      /* calls to one number in all (≥ 1) */
  DdMachinePolicy  machine;
  char            *confirm_sms;       /* SMS template confirming a declaration, or NULL */
  guint            ring_timeout_s;    /* 0: 30 s */
} DdVoiceSettings;

DdVoiceSettings *dd_voice_settings_new  (void);
void             dd_voice_settings_free (DdVoiceSettings *settings);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdVoiceSettings, dd_voice_settings_free)

DD_DECLARE_ENUM_NAMES (DdMachinePolicy, dd_machine_policy);

/* Stores the voice settings of campaign @campaign_id (INVALID error for a concurrency or a
 * maximum of attempts of 0, or a campaign that is not a voice one). */
gboolean         dd_campaign_store_set_voice (DdCampaignStore        *self,
                                              gint64                  campaign_id,
                                              const DdVoiceSettings  *settings,
                                              GError                **error);
DdVoiceSettings *dd_campaign_store_get_voice (DdCampaignStore        *self,
                                              gint64                  campaign_id,
                                              GError                **error);

G_END_DECLS
