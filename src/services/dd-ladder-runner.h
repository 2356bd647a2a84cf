/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "dd-contact-policy.h"
#include "dd-database.h"
#include "dd-ladder-planner.h"
#include "dd-ladder-store.h"
#include "dd-ladder-letters.h"
#include "dd-letter.h"
#include "dd-sending.h"

G_BEGIN_DECLS

/*
 * DdLadderExecutor: who places the calls of the ladder's voice steps. The ladder hands over
 * one piece of work per debtor ("voice step, flow X, these cases"); the voice campaign runner
 * implements this interface. queue_voice() returns TRUE once the work is accepted (queued in
 * its own crash-safe store): the ladder then marks the step done. After a crash between the
 * two, the same work (same @key) is handed over again: the executor must accept a key it
 * already has without calling twice.
 *
 * An executor that cannot reach the debtor at all (no number that can be called) fails with
 * DD_LADDER_EXECUTOR_ERROR_UNREACHABLE: the ladder then records the step as not made (an
 * activity on each case, once) and marks it done, so that it goes on with the next step when
 * that is due instead of trying the same step again every day.
 */
#define DD_LADDER_EXECUTOR_ERROR (dd_ladder_executor_error_quark ())

typedef enum
{
  DD_LADDER_EXECUTOR_ERROR_UNREACHABLE,  /* the debtor has no number the step can use */
} DdLadderExecutorError;

GQuark dd_ladder_executor_error_quark (void);

typedef struct
{
  DdDatabase   *database;       /* the runner's connection, of the thread queue_voice() is
                                 * called on (the window runs the ladder in a worker thread):
                                 * write the calls to make with it */
  const char   *day;            /* the ladder's day, "YYYY-MM-DD" */
  const char   *key;            /* "ladder-<lead case>-s<step>": the same for a repeat */
  const char   *flow;           /* the step's call flow (a name in the flow store) */
  gint64        debtor_id;
  gint64        lead_case_id;   /* the case whose step it is (its data are spoken) */
  const gint64 *case_ids;       /* all the cases the call covers, the lead among them */
  guint         n_cases;
  gint          offset_days;    /* the step: days after the due date */
  gboolean      promise_broken; /* the debtor broke a payment promise */
  gint64        not_before;     /* Unix time from which the contact policy allows the call */
} DdLadderVoiceWork;

#define DD_TYPE_LADDER_EXECUTOR (dd_ladder_executor_get_type ())
G_DECLARE_INTERFACE (DdLadderExecutor, dd_ladder_executor, DD, LADDER_EXECUTOR, GObject)

struct _DdLadderExecutorInterface
{
  GTypeInterface parent_iface;

  gboolean (*queue_voice) (DdLadderExecutor        *self,
                           const DdLadderVoiceWork *work,
                           GError                 **error);
};

gboolean dd_ladder_executor_queue_voice (DdLadderExecutor        *self,
                                         const DdLadderVoiceWork *work,
                                         GError                 **error);

/*
 * DdLadderRunner: plans and executes a day of the escalation ladder, for the window (once a
 * day by itself, with catch-up) and `dunning-desk-cli ladder plan|run`.
 *
 * Each step is claimed in the database (committed) before it is carried out, then marked
 * done: SMS steps are queued in the outbox under the day's "Ladder" campaign (in the same
 * transaction as the done mark) and sent by DdSending; tasks (consultant call, demand letter,
 * hand-over) become case activities (kind "task"; a consultant call also the next contact),
 * in the same transaction; voice steps go to the DdLadderExecutor. A run first carries out
 * the claims a crash left undone. Without an executor, voice steps stay claimed and are
 * counted as waiting; the next run with an executor hands them over.
 */

typedef struct
{
  DdLadderPlan *plan;
  GPtrArray    *policies;    /* the plan's items point into them */
} DdLadderDayPlan;

void dd_ladder_day_plan_free (DdLadderDayPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdLadderDayPlan, dd_ladder_day_plan_free)

typedef struct
{
  guint done[DD_LADDER_N_CHANNELS];     /* contacts and tasks carried out (per debtor) */
  guint cases;                          /* cases whose step was marked done */
  guint resumed;                        /* claims a crash had left undone, carried out now */
  guint waiting_voice;                  /* voice steps left claimed: no executor */
  guint unreachable;                    /* voice steps not made: no number to call (recorded
                                         * on the cases, done) */
  guint failed;                         /* items that could not be carried out (logged) */
  guint deferred;                       /* debtors the resumed claims contact today: tomorrow */
  guint excluded;
  gint64 campaign_id;                   /* the day's SMS campaign, 0: none */
  guint letters;                        /* demand letters written (dd_ladder_runner_set_letters) */
  char letters_error[256];              /* why the demand letters could not be written (the
                                         * first reason, for the user), or "" */
  gboolean letters_need_office;         /* because the office has no name yet */
} DdLadderRunResult;

#define DD_TYPE_LADDER_RUNNER (dd_ladder_runner_get_type ())
G_DECLARE_FINAL_TYPE (DdLadderRunner, dd_ladder_runner, DD, LADDER_RUNNER, GObject)

DdLadderRunner  *dd_ladder_runner_new                (DdDatabase        *database);
DdLadderStore   *dd_ladder_runner_get_store          (DdLadderRunner    *self);
void             dd_ladder_runner_set_executor       (DdLadderRunner    *self,
                                                      DdLadderExecutor  *executor);
/* Woken when SMS were queued. */
void             dd_ladder_runner_set_sending        (DdLadderRunner    *self,
                                                      DdSending         *sending);
/* NULL: no windows or caps (tests). */
void             dd_ladder_runner_set_contact_policy (DdLadderRunner    *self,
                                                      const DdContactPolicy *policy);
/* Days after the promised date a pending declaration holds the ladder (default 3). */
void             dd_ladder_runner_set_grace_days     (DdLadderRunner    *self,
                                                      guint              days);
/* Language of the SMS for debtors without one ("pl", "ru", "en"; default "en"). */
void             dd_ladder_runner_set_locale         (DdLadderRunner    *self,
                                                      const char        *locale);

/* Where the demand-letter step's letters go: after each run the day's letters are written
 * into @folder/<day> as one batch (dd-ladder-letters) and recorded on the cases; NULL: the step
 * stays a task on the timeline. */
void             dd_ladder_runner_set_letters        (DdLadderRunner    *self,
                                                      const char        *folder,
                                                      const DdLetterOffice *office,
                                                      guint              deadline_days,
                                                      const char        *signature);

/* Writes the letters of @day still missing as one batch (needs dd_ladder_runner_set_letters());
 * a run does it by itself. */
DdLadderLetterBatch *dd_ladder_runner_write_letters  (DdLadderRunner    *self,
                                                      const char        *day,
                                                      GError           **error);

/* The plan of @day ("YYYY-MM-DD") as it would run at @now (Unix; 0: the day's start). */
DdLadderDayPlan *dd_ladder_runner_plan               (DdLadderRunner    *self,
                                                      const char        *day,
                                                      gint64             now,
                                                      GError           **error);
/* Carries out the claims left undone, then the plan of @day at @now, and records the day. */
gboolean         dd_ladder_runner_run                (DdLadderRunner    *self,
                                                      const char        *day,
                                                      gint64             now,
                                                      DdLadderRunResult *out_result,
                                                      GError           **error);
/* Whether the ladder has not run yet on @day (the window runs it at start-up and daily). */
gboolean         dd_ladder_runner_is_due             (DdLadderRunner    *self,
                                                      const char        *day,
                                                      GError           **error);

G_END_DECLS
