/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * DdCampaignFlow: the steps of the campaign wizard as a plain struct with pure transition
 * functions (STYLE.md, "Wizard"), tested without widgets in tests/unit/test-campaign-flow.c.
 * The wizard tells the flow what the user did and what the checks found; the flow says
 * which step shows, whether Next is allowed and why not.
 *
 *   audience → channel → message (SMS) / call flow (voice) → schedule → review → started
 */

typedef enum
{
  DD_CAMPAIGN_STEP_AUDIENCE,
  DD_CAMPAIGN_STEP_CHANNEL,
  DD_CAMPAIGN_STEP_MESSAGE,
  DD_CAMPAIGN_STEP_SCHEDULE,
  DD_CAMPAIGN_STEP_REVIEW,
  DD_CAMPAIGN_STEP_STARTED,
  DD_N_CAMPAIGN_STEPS
} DdCampaignStep;

typedef enum
{
  DD_CAMPAIGN_CHANNEL_NONE,
  DD_CAMPAIGN_CHANNEL_SMS,
  DD_CAMPAIGN_CHANNEL_VOICE,     /* needs a SIP line (voice_available) */
} DdCampaignChannel;

typedef enum
{
  DD_CAMPAIGN_PROBLEM_NONE,
  DD_CAMPAIGN_PROBLEM_NO_NAME,
  DD_CAMPAIGN_PROBLEM_NO_RECIPIENTS,
  DD_CAMPAIGN_PROBLEM_COUNTING,        /* the audience is still being counted */
  DD_CAMPAIGN_PROBLEM_NO_CHANNEL,
  DD_CAMPAIGN_PROBLEM_CHANNEL_UNAVAILABLE,
  DD_CAMPAIGN_PROBLEM_EMPTY_MESSAGE,
  DD_CAMPAIGN_PROBLEM_TEMPLATE,        /* the template does not compile */
  DD_CAMPAIGN_PROBLEM_TOO_LONG,        /* more segments than allowed */
  DD_CAMPAIGN_PROBLEM_BAD_SENDER,
  DD_CAMPAIGN_PROBLEM_PAST_TIME,       /* a scheduled time that has passed */
  DD_CAMPAIGN_PROBLEM_BAD_WINDOW,      /* sending window ends before it starts */
  DD_CAMPAIGN_PROBLEM_STARTING,        /* the campaign is being created */
  DD_CAMPAIGN_PROBLEM_NO_FLOW,         /* voice: no call flow chosen */
  DD_CAMPAIGN_PROBLEM_FLOW_INVALID,    /* voice: the flow has errors */
  DD_CAMPAIGN_PROBLEM_NO_LINE,         /* voice: no line chosen */
  DD_CAMPAIGN_PROBLEM_TOO_MANY_CALLS,  /* voice: more calls at once than the lines allow */
} DdCampaignProblem;

typedef struct
{
  DdCampaignStep    step;

  /* audience */
  char             *name;
  gboolean          counting;
  guint             n_recipients;

  /* channel */
  DdCampaignChannel channel;

  gboolean          voice_available;   /* a SIP line is configured */

  /* message (SMS) */
  char             *template_text;
  gboolean          template_ok;
  guint             max_segments;      /* of the longest rendered message */
  guint             segment_limit;     /* refused above (default 6) */
  char             *sender;            /* NULL or "" = the provider's default */

  /* call flow (voice; the step of the message) */
  gint64            flow_id;           /* ivr_flow row, 0: none chosen */
  guint             flow_errors;       /* errors dd_ivr_flow_validate() found */
  guint             n_lines;           /* lines chosen */
  guint             line_limit;        /* calls at once the chosen lines allow, 0: no limit */
  guint             concurrency;       /* calls at once (default 1) */

  /* schedule: start_at NULL = now; window in minutes after midnight, local time */
  gint64            start_at;          /* unix seconds, 0 = now */
  gint64            now;               /* unix seconds, set by the wizard (tests inject) */
  guint             window_start;
  guint             window_end;

  /* review */
  gboolean          starting;
} DdCampaignFlow;

void               dd_campaign_flow_init          (DdCampaignFlow       *flow);
void               dd_campaign_flow_clear         (DdCampaignFlow       *flow);

/* Why Next cannot be taken from the current step (NONE: it can). */
DdCampaignProblem  dd_campaign_flow_problem       (const DdCampaignFlow *flow);
/* A translated sentence for a problem (empty for NONE). */
const char        *dd_campaign_problem_to_string  (DdCampaignProblem     problem);
gboolean           dd_campaign_flow_can_go_back   (const DdCampaignFlow *flow);
gboolean           dd_campaign_flow_can_go_next   (const DdCampaignFlow *flow);
/* The step after this one creates the campaign ("Start"/"Schedule" instead of "Next"). */
gboolean           dd_campaign_flow_next_starts   (const DdCampaignFlow *flow);

gboolean           dd_campaign_flow_next          (DdCampaignFlow       *flow);
gboolean           dd_campaign_flow_back          (DdCampaignFlow       *flow);

/* The review's dry run of a voice campaign: first calls to @n_numbers numbers, @concurrency
 * at once, each taking @minutes_per_call, in a calling window of the schedule's hours. */
typedef struct
{
  guint per_day;       /* numbers called in one day's window */
  guint days;          /* days until every number had its first call */
  guint last_day;      /* numbers called on the last of them */
  guint minutes;       /* calling time in all, in minutes */
} DdCampaignVoicePlan;

void               dd_campaign_flow_voice_plan    (const DdCampaignFlow *flow,
                                                   guint                 n_numbers,
                                                   guint                 minutes_per_call,
                                                   DdCampaignVoicePlan  *out_plan);

/* Sender names: 3–11 letters, digits, spaces, '.', '-' (alphanumeric sender IDs), or a
 * number in international form. */
gboolean           dd_campaign_flow_sender_is_valid (const char         *sender);

G_END_DECLS
