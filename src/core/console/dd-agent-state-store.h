/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-database.h"
#include "dd-store.h"

G_BEGIN_DECLS

/*
 * DdAgentStateStore: what each consultant is doing now (schema 18, agent_state) and every
 * change of it (agent_state_log).
 *
 *   offline ──sign in──▶ ready ──a call is handed over──▶ on-call ──hang-up──▶ wrap-up
 *                          ▲  ◀──────────── the wrap-up's time is over (15 s) ──────┘
 *                          └──▶ paused (with a reason) ──▶ ready
 *
 * Whoever hands calls to people (the dialer, later an inbound queue) takes a free consultant
 * with dd_agent_state_store_reserve(): the ready one who has waited longest, moved to on-call
 * in the same transaction, so that two callers never get the same person.
 * Times are Unix seconds; the store's clock can be set for tests.
 */

#define DD_AGENT_STATE_ERROR (dd_agent_state_error_quark ())

typedef enum
{
  DD_AGENT_STATE_ERROR_NOT_FOUND,   /* no such agent */
  DD_AGENT_STATE_ERROR_WRONG_STATE, /* the change does not start from the agent's state */
  DD_AGENT_STATE_ERROR_NO_REASON,   /* a pause needs a reason */
  DD_AGENT_STATE_ERROR_BAD_URI,     /* not a SIP URI (sip:user@host) */
} DdAgentStateError;

GQuark dd_agent_state_error_quark (void);

typedef enum
{
  DD_AGENT_STATE_OFFLINE,
  DD_AGENT_STATE_READY,
  DD_AGENT_STATE_ON_CALL,
  DD_AGENT_STATE_WRAP_UP,
  DD_AGENT_STATE_PAUSED,
} DdAgentState;

/* "offline", "ready", "on-call", "wrap-up", "paused" */
DD_DECLARE_ENUM_NAMES (DdAgentState, dd_agent_state);
/* Translated, for people ("Ready", "On a call"…) */
const char *dd_agent_state_to_label    (DdAgentState  state);

/* The default length of a wrap-up, in seconds. */
#define DD_AGENT_WRAP_UP_DEFAULT_S 15

typedef struct
{
  gint64        agent_id;
  DdAgentState  state;
  char         *reason;         /* paused: why */
  gint64        case_id;        /* on-call, wrap-up: the case; else 0 */
  gint64        since;          /* when the state began */
  gint64        ready_since;    /* ready: since when (the longest idle is picked first) */
  gint64        wrap_up_until;  /* wrap-up: when it ends */
} DdAgentStatus;

void dd_agent_status_free (DdAgentStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdAgentStatus, dd_agent_status_free)

/* One recorded change. */
typedef struct
{
  gint64        agent_id;
  DdAgentState  state;
  char         *reason;
  gint64        case_id;
  gint64        changed_at;
} DdAgentStateChange;

void dd_agent_state_change_free (DdAgentStateChange *change);

#define DD_TYPE_AGENT_STATE_STORE (dd_agent_state_store_get_type ())
DD_DECLARE_STORE (DdAgentStateStore, dd_agent_state_store, AGENT_STATE_STORE)
/* For tests and simulations: the time the store takes as now (Unix seconds); 0: the real
 * clock. */
void               dd_agent_state_store_set_clock  (DdAgentStateStore  *self,
                                                    gint64              now);
gint64             dd_agent_state_store_now        (DdAgentStateStore  *self);

/* The state of @agent_id now (an agent with no row is offline). */
DdAgentStatus     *dd_agent_state_store_get        (DdAgentStateStore  *self,
                                                    gint64              agent_id,
                                                    GError            **error);
/* Everyone who is not offline, by agent id (GPtrArray of DdAgentStatus). */
GPtrArray         *dd_agent_state_store_list       (DdAgentStateStore  *self,
                                                    GError            **error);
/* The ready consultants, longest idle first (GArray of gint64 agent ids). */
GArray            *dd_agent_state_store_list_free  (DdAgentStateStore  *self,
                                                    GError            **error);

/* Sign in, come back from a pause, or end a wrap-up early: ready (from any state). */
gboolean           dd_agent_state_store_set_ready  (DdAgentStateStore  *self,
                                                    gint64              agent_id,
                                                    GError            **error);
/* A pause with @reason ("lunch", "training"…); not while on a call. */
gboolean           dd_agent_state_store_pause      (DdAgentStateStore  *self,
                                                    gint64              agent_id,
                                                    const char         *reason,
                                                    GError            **error);
gboolean           dd_agent_state_store_sign_out   (DdAgentStateStore  *self,
                                                    gint64              agent_id,
                                                    GError            **error);
/* A call with @case_id reaches the agent, who must be ready (a preview call the agent
 * dials, or a reserved agent, also goes through here). */
gboolean           dd_agent_state_store_start_call (DdAgentStateStore  *self,
                                                    gint64              agent_id,
                                                    gint64              case_id,
                                                    GError            **error);
/* Takes the ready agent who has waited longest (or @prefer_agent_id when that one is ready,
 * 0: anyone) and puts them on a call with @case_id, in one transaction. @out_agent_id is 0
 * (and TRUE returned) when nobody is free. */
gboolean           dd_agent_state_store_reserve    (DdAgentStateStore  *self,
                                                    gint64              case_id,
                                                    gint64              prefer_agent_id,
                                                    gint64             *out_agent_id,
                                                    GError            **error);
/* The call ended: wrap-up for @seconds (0: the default). */
gboolean           dd_agent_state_store_wrap_up    (DdAgentStateStore  *self,
                                                    gint64              agent_id,
                                                    guint               seconds,
                                                    GError            **error);
/* Agents whose wrap-up time is over become ready; @out_n (optional) says how many. */
gboolean           dd_agent_state_store_expire     (DdAgentStateStore  *self,
                                                    guint              *out_n,
                                                    GError            **error);
/* The changes of @agent_id since @since (Unix), oldest first (GPtrArray of
 * DdAgentStateChange). */
GPtrArray         *dd_agent_state_store_history    (DdAgentStateStore  *self,
                                                    gint64              agent_id,
                                                    gint64              since,
                                                    GError            **error);

/* Where @agent_id takes the dialer's calls: a SIP URI (sip:user@host[:port], a desk phone or
 * softphone), or NULL: the headset of this desk (agent.sip_uri). */
char              *dd_agent_state_store_get_sip_uri (DdAgentStateStore  *self,
                                                     gint64              agent_id,
                                                     GError            **error);
/* Whether @uri (spaces around dropped) is a SIP address a consultant can take calls at, or
 * empty (the headset); BAD_URI error (translated, for the user) otherwise. */
gboolean           dd_agent_state_store_check_sip_uri (const char       *uri,
                                                       GError          **error);
/* @uri NULL or empty: the headset; BAD_URI error for anything but sip:user@host[:port]. */
gboolean           dd_agent_state_store_set_sip_uri (DdAgentStateStore  *self,
                                                     gint64              agent_id,
                                                     const char         *uri,
                                                     GError            **error);

G_END_DECLS
