/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dd-contact-policy.h"
#include "dd-call.h"
#include "dd-database.h"
#include "dd-headset.h"
#include "dd-dialer.h"
#include "dd-inbound-queue.h"
#include "dd-number-checks.h"
#include "dd-sending.h"
#include "dd-voice-campaign.h"
#include "dd-sms-gateway.h"
#include "dd-telephony-service.h"

G_BEGIN_DECLS

/*
 * DdContext: the services a window hands to its widgets through their construct-only
 * "context" property (STYLE.md): the office database (main-thread connection), settings
 * (may be NULL when the schema is not installed), who is at the desk, the SMS gateway and
 * the telephony engine.
 */
#define DD_TYPE_CONTEXT (dd_context_get_type ())
G_DECLARE_FINAL_TYPE (DdContext, dd_context, DD, CONTEXT, GObject)

DdContext  *dd_context_new               (DdDatabase  *database,
                                          GSettings   *settings);
DdDatabase *dd_context_get_database      (DdContext   *self);
/* FALSE while the shared office database cannot be reached (see DdContext:database-connected). */
gboolean    dd_context_get_database_connected (DdContext *self);
GSettings  *dd_context_get_settings      (DdContext   *self);

/* The user the app runs as (an agent row), 0 when none is chosen yet. */
gint64      dd_context_get_agent_id      (DdContext   *self);
const char *dd_context_get_agent_name    (DdContext   *self);
gboolean    dd_context_get_is_manager    (DdContext   *self);
void        dd_context_set_agent         (DdContext   *self,
                                          gint64       agent_id,
                                          const char  *agent_name,
                                          gboolean     is_manager);

/* Tells every view that cases changed in bulk (after an import): emits "cases-changed". */
void        dd_context_cases_changed     (DdContext   *self);
/* A campaign was created, started, paused or cancelled: emits "campaigns-changed" (the
 * dispatcher wakes up, the campaigns page reads them again). */
void        dd_context_campaigns_changed (DdContext   *self);
/* The SMS provider, its settings or its token changed: emits "sms-account-changed" (the
 * windows connect to the provider again). */
void        dd_context_sms_account_changed (DdContext *self);
/* "campaign-completed" (no arguments) is emitted when the context's SMS sending or voice
 * runner completes a campaign (the e-mail summary after a campaign follows it). */

/* The office's sending (made on first use, stopped with the context). */
DdSending    *dd_context_get_sending       (DdContext    *self);

/* The SMS provider the window sends through (NULL while none is connected): the sending's, or
 * the one set (tests). */
DdSmsGateway *dd_context_get_sms_gateway   (DdContext    *self);
void          dd_context_set_sms_gateway   (DdContext    *self,
                                            DdSmsGateway *gateway);

/* The office's telephone lines (made on first use). */
DdTelephonyService *dd_context_get_telephony (DdContext  *self);

/* The telephony engine with the office's SIP accounts (sip-accounts setting, passwords from
 * the keyring), started on the sip-local-address the first time it is asked for; NULL with
 * @error when SIP cannot start there. */
DdSipEngine  *dd_context_get_sip_engine    (DdContext    *self,
                                            GError      **error);
/* The engine if it runs, without starting it. */
DdSipEngine  *dd_context_peek_sip_engine   (DdContext    *self);
/* The SIP accounts or a password changed: the running engine takes them again. */
void          dd_context_sip_accounts_changed (DdContext *self);

/* Whether the SMS provider in use can look numbers up; if not, FALSE with NOT_SUPPORTED and a
 * message for the user in @error. */
gboolean         dd_context_can_check_numbers   (DdContext              *self,
                                                 GError                **error);
/* Looks @numbers (NULL-terminated) up through the SMS provider in use (check first with
 * dd_context_can_check_numbers()), as the agent at the desk: dd_number_checks_run_async(),
 * finished with dd_number_checks_run_finish(). */
void             dd_context_check_numbers_async (DdContext              *self,
                                                 const char * const     *numbers,
                                                 DdNumberChecksProgress  progress,
                                                 gpointer                progress_data,
                                                 GCancellable           *cancellable,
                                                 GAsyncReadyCallback     callback,
                                                 gpointer                user_data);

/* The construct-only "context" property (READWRITE, CONSTRUCT_ONLY, STATIC_STRINGS and
 * @extra_flags) of a widget that is handed a DdContext. */
GParamSpec      *dd_context_param_spec       (GParamFlags   extra_flags);
/* For a class whose one property is "context": installs it (dd_context_param_spec()) with the
 * class's get_property and set_property, which keep it in the DdContext * field at @offset
 * (G_STRUCT_OFFSET) of the instance (a reference, for the class's dispose to drop). */
void             dd_context_install_property (GObjectClass *object_class,
                                              gsize         offset,
                                              GParamFlags   extra_flags);
/* The same for a widget that lives no longer than the DdContext it is handed, which it keeps
 * as a weak pointer (for the class's dispose to clear with g_clear_weak_pointer()). */
void             dd_context_install_weak_property (GObjectClass *object_class,
                                                   gsize         offset);

/* The office's voice campaigns' runner (made on first use, on the SIP engine, with the SIP
 * accounts as its lines and the office's contact policy; started by its owner with
 * dd_voice_campaign_start(), stopped with the context). NULL with @error when SIP cannot
 * start. */
DdVoiceCampaign *dd_context_get_voice_campaign (DdContext *self,
                                               GError   **error);

/* The runner if it was made, without making it (nullable). */
DdVoiceCampaign *dd_context_peek_voice_campaign (DdContext *self);

/* The headset of the person at the desk (the system's sound devices), made on first use;
 * NULL with @error when the sound card cannot be used. */
DdHeadset       *dd_context_get_headset        (DdContext  *self,
                                                GError    **error);
/* Another headset instead (chosen devices; tests). */
void             dd_context_set_headset        (DdContext  *self,
                                                DdHeadset  *headset);
/* The office's outbound dialer (made on first use, on the SIP engine, calling through the first
 * SIP account in use, paced by the dialer settings; stopped with the context). NULL with
 * @error when SIP cannot start. */
DdDialer        *dd_context_get_dialer         (DdContext *self,
                                               GError   **error);
/* The dialer if it was made, without making it (nullable). */
DdDialer        *dd_context_peek_dialer        (DdContext *self);

/* Whether the office has an inbound line (a SIP account marked as taking calls). */
gboolean         dd_context_has_inbound_line   (DdContext *self);
/* Starts the office's inbound line (issue 18): the queue runner on the SIP engine, for the
 * account that takes calls, ringing the consultant at this desk on the headset (kept up to
 * date as the user changes) and the others at their SIP addresses; stopped with the context.
 * NULL with a translated @error when SIP cannot start or the line is not usable. */
DdInboundRunner *dd_context_start_inbound      (DdContext  *self,
                                               GError    **error);
/* The inbound runner if it was made (nullable). */
DdInboundRunner *dd_context_peek_inbound       (DdContext *self);

/* The office's contact policy: the settings' one, or the preset for the office's country. */
DdContactPolicy *dd_context_get_contact_policy (DdContext *self);

G_END_DECLS
