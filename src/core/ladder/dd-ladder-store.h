/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-campaign-audience.h"
#include "dd-store.h"
#include "dd-ladder-planner.h"

G_BEGIN_DECLS

/*
 * DdLadderStore: the ladder's rows (schema 12) — policies per creditor, the step each case
 * reached (ladder_run), exclusions and pauses, the days the ladder ran. A step is claimed
 * (committed as "claimed" before anything goes out) and then marked done; a claim never takes
 * a case back to a step it passed, so running a day twice, or catching up, repeats nothing.
 */

typedef struct
{
  GArray       *cases;   /* DdLadderCase */
  GStringChunk *zones;   /* the strings the cases point to */
} DdLadderCases;

void dd_ladder_cases_free (DdLadderCases *cases);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdLadderCases, dd_ladder_cases_free)

/* A claimed step not yet marked done (a crash between claim and done): the runner carries it
 * out again (its effects are keyed, so nothing goes out twice). */
typedef struct
{
  gint64           case_id;
  gint64           lead_case_id;
  gint             step;
  gint             offset_days;
  DdLadderChannel  channel;
  guint32          day;
  gboolean         promise_broken;
} DdLadderClaim;

#define DD_TYPE_LADDER_STORE (dd_ladder_store_get_type ())
DD_DECLARE_STORE (DdLadderStore, dd_ladder_store, LADDER_STORE)

/* The policies: always one with creditor_id 0 (the office's; the built-in default until one
 * is saved), then those of creditors. A GPtrArray of DdLadderPolicy. */
GPtrArray     *dd_ladder_store_load_policies  (DdLadderStore       *self,
                                               GError             **error);
/* Replaces the steps of the policy of @policy->creditor_id (0: the office's). */
gboolean       dd_ladder_store_save_policy    (DdLadderStore       *self,
                                               const DdLadderPolicy *policy,
                                               GError             **error);

/* The open cases with a balance whose due date is at most @max_ahead_days after @day (the
 * earliest step of any policy), in case order (the planner groups them by debtor). */
DdLadderCases *dd_ladder_store_load_cases     (DdLadderStore       *self,
                                               guint32              day,
                                               gint                 max_ahead_days,
                                               GError             **error);
/* Messages sent and calls placed since @since (Unix), by debtor: gint64 * → GArray of
 * DdContactEvent (for the caps). */
GHashTable    *dd_ladder_store_load_history   (DdLadderStore       *self,
                                               gint64               since,
                                               GError             **error);

/* @reason: "dispute" (or another word) keeps the case off the ladder; NULL takes it back. */
gboolean       dd_ladder_store_set_excluded   (DdLadderStore       *self,
                                               gint64               case_id,
                                               const char          *reason,
                                               GError             **error);
/* @until: "YYYY-MM-DD", the last day off the ladder; NULL: not paused. */
gboolean       dd_ladder_store_set_paused     (DdLadderStore       *self,
                                               gint64               case_id,
                                               const char          *until,
                                               GError             **error);

/* Claims the step of @step for its case on @day (committed by the caller's transaction or
 * at once); *@out_claimed FALSE when the case already reached that step or a later one. */
gboolean       dd_ladder_store_claim          (DdLadderStore       *self,
                                               const DdLadderPlanCase *step,
                                               DdLadderChannel      channel,
                                               gint64               lead_case_id,
                                               guint32              day,
                                               gboolean            *out_claimed,
                                               GError             **error);
gboolean       dd_ladder_store_mark_done      (DdLadderStore       *self,
                                               gint64               case_id,
                                               GError             **error);
/* The claims left undone, by lead case: a GArray of DdLadderClaim. Only those no live desk
 * holds (dd_claim_is_abandoned(): on a shared database another desk may be carrying them out
 * now), taken over by this process as they are listed. */
GArray        *dd_ladder_store_list_claimed   (DdLadderStore       *self,
                                               GError             **error);
/* The step @case_id reached (-1: none) and the state of its row ("claimed", "done", NULL). */
gboolean       dd_ladder_store_get_reached    (DdLadderStore       *self,
                                               gint64               case_id,
                                               gint                *out_step,
                                               char               **out_state,
                                               gboolean            *out_promise_broken,
                                               GError             **error);

/* The ladder ran on @day ("YYYY-MM-DD") with @items contacts and tasks. */
gboolean       dd_ladder_store_record_day     (DdLadderStore       *self,
                                               const char          *day,
                                               guint                items,
                                               GError             **error);
/* The last day the ladder ran, "YYYY-MM-DD", or NULL (never). */
char          *dd_ladder_store_get_last_day   (DdLadderStore       *self,
                                               GError             **error);

/* The debtor and creditor of @case_id; *@out_found FALSE if there is no such case. */
gboolean       dd_ladder_store_case_parties   (DdLadderStore       *self,
                                               gint64               case_id,
                                               gint64              *out_debtor_id,
                                               gint64              *out_creditor_id,
                                               gboolean            *out_found,
                                               GError             **error);
/* The recipient of one message covering @case_ids (the first leads: its name, creditor, oldest
 * unpaid invoice; the balance is the sum of the cases' in the lead's currency; the debtor's
 * first valid number). NULL without error when the debtor has no usable number. */
DdRecipient   *dd_ladder_store_recipient      (DdLadderStore       *self,
                                               const gint64        *case_ids,
                                               guint                n_cases,
                                               GError             **error);
/* A task of the ladder on the case's timeline (activity kind "task", channel the step's);
 * @next_contact_at (UTC ISO 8601, may be NULL) becomes the case's next contact. */
gboolean       dd_ladder_store_add_task       (DdLadderStore       *self,
                                               gint64               case_id,
                                               DdLadderChannel      channel,
                                               const char          *text,
                                               const char          *refs_json,
                                               const char          *next_contact_at,
                                               GError             **error);
/* "Name — invoice" of each of @case_ids, for the plan's lists: gint64 * → char *. */
GHashTable    *dd_ladder_store_describe_cases (DdLadderStore       *self,
                                               const gint64        *case_ids,
                                               guint                n_cases,
                                               GError             **error);

/* "YYYY-MM-DD" ↔ Julian day (GDate); 0 for text that is not a date. */
guint32        dd_ladder_day_from_iso         (const char          *iso);
char          *dd_ladder_day_to_iso           (guint32              day);

G_END_DECLS
