/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-contact-policy.h"
#include "dd-ladder-policy.h"

G_BEGIN_DECLS

/*
 * The daily planner of the escalation ladder (DESIGN.md §5): pure, it reads no database and
 * no clock. For a day D it takes every open case (its due date, the step it reached, its
 * promise, exclusion and pause) and the policies, and gives
 *
 *   - the items: one per debtor, the highest step due among the debtor's cases, covering all
 *     of them (one message or call for several cases of one debtor);
 *   - the exclusions: every case that has a step due but is not contacted, with the reason.
 *
 * A step is due on due date + its day (+ the case's shift, see below). The step planned for a
 * case is the highest one due after the one it reached: after days without a run (the PC was
 * off) the missed days are caught up once, with the latest step due, and a step already
 * reached is never planned again.
 *
 * A pending payment declaration holds the case until the promised date + grace days; a broken
 * one (or a pending one past its grace) puts the case on the step after the one it reached,
 * marked "promise broken", and shifts its later steps by as many days as it was held, so that
 * the ladder goes on from there instead of jumping to its end.
 */

typedef enum
{
  DD_LADDER_DECLARATION_NONE,
  DD_LADDER_DECLARATION_PENDING,
  DD_LADDER_DECLARATION_KEPT,
  DD_LADDER_DECLARATION_BROKEN,
} DdLadderDeclarationState;

/* One open case as the planner sees it. Days are Julian day numbers (GDate). */
typedef struct
{
  gint64       case_id;
  gint64       debtor_id;
  gint64       creditor_id;
  guint32      due_day;           /* the oldest unpaid due date; 0: none (not on the ladder) */
  gint         reached;           /* index of the step reached, -1: none yet */
  gint         reached_offset;    /* that step's day (what counts when the ladder was edited) */
  guint32      reached_day;       /* when (0: never) */
  gint         shift_days;        /* added to every step's day (after a broken promise) */
  gint64       declaration_id;    /* the newest payment declaration, 0: none */
  DdLadderDeclarationState declaration_state;
  guint32      promised_day;
  gint64       handled_declaration_id;  /* the declaration whose breaking was acted upon */
  gboolean     excluded;          /* kept off the ladder (dispute) */
  guint32      paused_until;      /* 0: not paused; else off the ladder through that day */
  gboolean     opt_out;           /* the debtor asked not to be contacted */
  gboolean     has_phone;         /* the debtor has a usable number */
  const char  *zone;              /* the debtor's time zone, NULL: the contact policy's */
} DdLadderCase;

typedef enum
{
  DD_LADDER_EXCLUDED_DISPUTE,     /* excluded from the ladder (dispute) */
  DD_LADDER_EXCLUDED_PAUSED,      /* paused until a date */
  DD_LADDER_EXCLUDED_PROMISE,     /* a payment declaration is pending */
  DD_LADDER_EXCLUDED_OPT_OUT,     /* the debtor opted out of messages and calls */
  DD_LADDER_EXCLUDED_NO_PHONE,    /* no usable number */
  DD_LADDER_EXCLUDED_WINDOW,      /* the contact policy allows no contact that day */
  DD_LADDER_EXCLUDED_CAP,         /* a frequency cap of the contact policy is reached */
  DD_LADDER_EXCLUDED_N_REASONS
} DdLadderExclusion;

/* "dispute", "paused", "promise-pending", "opt-out", "no-phone", "window-closed",
 * "cap-reached" */
const char *dd_ladder_exclusion_to_string (DdLadderExclusion reason);
/* Translated. */
const char *dd_ladder_exclusion_to_label  (DdLadderExclusion reason);

/* A case covered by an item. */
typedef struct
{
  gint64   case_id;
  gint     step;                  /* the step it reaches (index in its policy) */
  gint     offset_days;
  gint     shift_days;            /* its new shift */
  gboolean promise_broken;
  gint64   declaration_id;        /* the broken declaration acted upon, 0: none */
} DdLadderPlanCase;

/* One contact (or task) of one debtor. */
typedef struct
{
  gint64                debtor_id;
  gint64                lead_case_id;   /* the case whose step it is */
  const DdLadderPolicy *policy;         /* the lead case's; owned by the caller */
  guint                 step;           /* index in @policy */
  DdLadderChannel       channel;
  gboolean              promise_broken; /* the lead case's promise was broken */
  gint64                not_before;     /* Unix time the contact may start (contacts only) */
  guint                 first_case;     /* in the plan's cases */
  guint                 n_cases;
} DdLadderPlanItem;

typedef struct
{
  gint64            case_id;
  gint64            debtor_id;
  DdLadderExclusion reason;
  gint              step;              /* the step that was due */
  DdLadderChannel   channel;
  guint32           until_day;         /* paused / promise: the last day held, else 0 */
} DdLadderExcludedCase;

typedef struct
{
  DdLadderChannel channel;
  gint            offset_days;
  guint           n_items;             /* debtors contacted (or tasks) */
  guint           n_cases;
} DdLadderStepCount;

typedef struct
{
  guint32  day;
  GArray  *items;      /* DdLadderPlanItem, by debtor id */
  GArray  *cases;      /* DdLadderPlanCase */
  GArray  *excluded;   /* DdLadderExcludedCase, by debtor id */
  GArray  *steps;      /* DdLadderStepCount, by channel then day */
  guint    n_excluded[DD_LADDER_EXCLUDED_N_REASONS];
} DdLadderPlan;

void dd_ladder_plan_free (DdLadderPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdLadderPlan, dd_ladder_plan_free)

/* What the debtors' contacts so far are (for the caps): debtor id → GArray of DdContactEvent. */
typedef struct
{
  guint                  grace_days;      /* after the promised date; the setting's default: 3 */
  const DdContactPolicy *contact_policy;  /* NULL: no windows, no caps */
  GHashTable            *history;         /* gint64 * debtor id → GArray *; may be NULL */
  gint64                 now;             /* Unix time the plan runs; 0: the start of the day */
} DdLadderPlanOptions;

/* @policies: GPtrArray of DdLadderPolicy; the one with creditor_id 0 (or the first) is the
 * default for creditors without their own. @cases need not be sorted. */
DdLadderPlan *dd_ladder_plan_compute (const GPtrArray           *policies,
                                      const DdLadderCase        *cases,
                                      gsize                      n_cases,
                                      guint32                    day,
                                      const DdLadderPlanOptions *options);

/* The cases of @item. */
const DdLadderPlanCase *dd_ladder_plan_item_cases (const DdLadderPlan     *plan,
                                                   const DdLadderPlanItem *item);

G_END_DECLS
