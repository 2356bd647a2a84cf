/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-agent-state-store.h"
#include "dd-call.h"
#include "dd-database.h"
#include "dd-dialer-pacing.h"
#include "dd-headset.h"

G_BEGIN_DECLS

/*
 * DdDialer: the outbound dialer of a campaign. It rings the campaign's numbers through one
 * line, as many at once as the pacer says (preview, progressive, predictive: see
 * dd-dialer-pacing.h) for the consultants who are ready (DdAgentStateStore), and hands each
 * call a person answers to a free consultant: the one at this desk through the headset, or
 * one reached at their own SIP URI (called when the debtor answers; the two calls' audio is
 * relayed both ways). When nobody is free the debtor hears the office's short message at once
 * (prepared before the first call) and the call is recorded as abandoned; an abandoned number
 * rests 72 hours. Consultants go to wrap-up when the debtor hangs up.
 *
 * Signals (main context):
 *   ::call-connected (gint64 agent_id, gint64 case_id)   the case card opens
 *   ::call-abandoned (gint64 case_id)
 *   ::call-ended (gint64 agent_id, gint64 case_id)       agent_id 0: nobody took it
 *   ::machine-answered (gint64 case_id)                  an answering machine took the call
 *   ::figures-changed ()                                 dial level, abandoned rate, counts
 *   ::finished ()                                        every number rung, no call left
 */

typedef struct
{
  gint64  case_id;
  char   *e164;
} DdDialerNumber;

DdDialerNumber *dd_dialer_number_new  (gint64          case_id,
                                       const char     *e164);
void            dd_dialer_number_free (DdDialerNumber *number);

/* What the dialer does with a call an answering machine takes (see
 * dd_dialer_set_machine_policy()). */
typedef enum
{
  DD_DIALER_MACHINES_CONNECT,        /* no detection: every answered call goes to a consultant */
  DD_DIALER_MACHINES_HANG_UP,        /* hang up at once */
  DD_DIALER_MACHINES_LEAVE_MESSAGE,  /* leave the office's message (name, number), hang up */
} DdDialerMachinePolicy;

/* "connect", "hang-up", "leave-message" (the settings' values) */
const char *dd_dialer_machine_policy_to_string   (DdDialerMachinePolicy  policy);
gboolean    dd_dialer_machine_policy_from_string (const char            *text,
                                                  DdDialerMachinePolicy *out_policy);

typedef struct
{
  guint dialled;
  guint ringing;
  guint answered;
  guint abandoned;
  guint connected;
  guint left;       /* numbers not rung yet */
  guint machines;   /* answered by an answering machine: neither a person's answer nor
                     * abandoned */
} DdDialerCounts;

#define DD_TYPE_DIALER (dd_dialer_get_type ())
G_DECLARE_FINAL_TYPE (DdDialer, dd_dialer, DD, DIALER, GObject)

DdDialer          *dd_dialer_new               (DdDatabase         *database,
                                                DdSipEngine        *engine);
DdAgentStateStore *dd_dialer_get_states        (DdDialer           *self);
/* The line numbers are called through: sip:user@host[:port]; a number goes out as
 * sip:<digits>@host[:port]. */
void               dd_dialer_set_line          (DdDialer           *self,
                                                const char         *uri);
/* What an abandoned call hears: the office's name and number, in @language ("pl", "en"…). */
void               dd_dialer_set_office        (DdDialer           *self,
                                                const char         *name,
                                                const char         *number,
                                                const char         *language);
void               dd_dialer_set_pacing        (DdDialer           *self,
                                                DdDialMode          mode,
                                                double              cap,
                                                gint64              window_s,
                                                double              expected_answer_rate);
/* The mode set last (preview: dd_dialer_start() rings nothing by itself; the console shows
 * each case and its consultant dials it with dd_dialer_dial_preview()). */
DdDialMode         dd_dialer_get_mode          (DdDialer           *self);
/* With detection (HANG_UP, LEAVE_MESSAGE), a call the dialer rang itself (not a preview
 * call) goes to a consultant only once the answering-machine detector (dd-answering-machine.h,
 * the voice campaigns' one) heard a person or could not tell; a machine's call is hung up or
 * hears the office's message, is counted in DdDialerCounts.machines, and counts neither as an
 * answer by a person nor as abandoned. Default: CONNECT. */
void               dd_dialer_set_machine_policy (DdDialer             *self,
                                                 DdDialerMachinePolicy policy);
/* At least DD_DIALER_MIN_RING_S. */
void               dd_dialer_set_ring_timeout  (DdDialer           *self,
                                                guint               seconds);
/* 0: the default 15 s. */
void               dd_dialer_set_wrap_up       (DdDialer           *self,
                                                guint               seconds);
/* How often the dialer looks at its consultants and lines (ms; default 250). */
void               dd_dialer_set_tick          (DdDialer           *self,
                                                guint               ms);
/* A consultant who takes this campaign's calls: at @sip_uri, or (NULL) on @headset. */
void               dd_dialer_add_consultant    (DdDialer           *self,
                                                gint64              agent_id,
                                                const char         *sip_uri);
gboolean           dd_dialer_has_consultant    (DdDialer           *self,
                                                gint64              agent_id);
void               dd_dialer_set_headset       (DdDialer           *self,
                                                DdHeadset          *headset);

/* Starts ringing @numbers (DdDialerNumber) of @campaign_id; the stored answered calls of the
 * campaign within the window count for the abandoned rate. */
gboolean           dd_dialer_start             (DdDialer           *self,
                                                gint64              campaign_id,
                                                GPtrArray          *numbers,
                                                GError            **error);
/* Preview: @agent_id (ready) dials @e164 of @case_id (0: none) themselves. While no campaign
 * runs (a call back) the call belongs to no campaign and is not in its figures. */
gboolean           dd_dialer_dial_preview      (DdDialer           *self,
                                                gint64              agent_id,
                                                gint64              case_id,
                                                const char         *e164,
                                                GError            **error);
/* Rings no more numbers; the calls on the line go on. */
void               dd_dialer_stop              (DdDialer           *self);
/* Hangs up @agent_id's call (the console's Hang up). */
void               dd_dialer_hang_up           (DdDialer           *self,
                                                gint64              agent_id);

double             dd_dialer_get_dial_level    (DdDialer           *self);
double             dd_dialer_get_abandon_rate  (DdDialer           *self);
void               dd_dialer_get_counts        (DdDialer           *self,
                                                DdDialerCounts     *out_counts);
/* The debtor's call of @agent_id, or NULL. */
DdCall            *dd_dialer_get_call          (DdDialer           *self,
                                                gint64              agent_id);

G_END_DECLS
