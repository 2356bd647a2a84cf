/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-campaign-flow"

#include "config.h"

#include "dd-campaign-flow.h"

#include <glib/gi18n.h>
#include <string.h>

void
dd_campaign_flow_init (DdCampaignFlow *flow)
{
  memset (flow, 0, sizeof *flow);
  flow->step = DD_CAMPAIGN_STEP_AUDIENCE;
  flow->segment_limit = 6;
  flow->window_start = 8 * 60;
  flow->window_end = 20 * 60;
  flow->concurrency = 1;
}

void
dd_campaign_flow_clear (DdCampaignFlow *flow)
{
  g_clear_pointer (&flow->name, g_free);
  g_clear_pointer (&flow->template_text, g_free);
  g_clear_pointer (&flow->sender, g_free);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

gboolean
dd_campaign_flow_sender_is_valid (const char *sender)
{
  gsize len = 0;
  gboolean digits_only = TRUE;

  if (sender == NULL || *sender == '\0')
    return TRUE;   /* the provider's default */
  if (sender[0] == '+')
    {
      for (const char *p = sender + 1; *p != '\0'; p++, len++)
        if (!g_ascii_isdigit (*p))
          return FALSE;
      return len >= 8 && len <= 15;
    }
  for (const char *p = sender; *p != '\0'; p++, len++)
    {
      if (!g_ascii_isalnum (*p) && *p != ' ' && *p != '.' && *p != '-')
        return FALSE;
      digits_only = digits_only && g_ascii_isdigit (*p);
    }
  return !digits_only && len >= 3 && len <= 11;
}

DdCampaignProblem
dd_campaign_flow_problem (const DdCampaignFlow *flow)
{
  switch (flow->step)
    {
    case DD_CAMPAIGN_STEP_AUDIENCE:
      if (is_blank (flow->name))
        return DD_CAMPAIGN_PROBLEM_NO_NAME;
      if (flow->counting)
        return DD_CAMPAIGN_PROBLEM_COUNTING;
      if (flow->n_recipients == 0)
        return DD_CAMPAIGN_PROBLEM_NO_RECIPIENTS;
      return DD_CAMPAIGN_PROBLEM_NONE;

    case DD_CAMPAIGN_STEP_CHANNEL:
      if (flow->channel == DD_CAMPAIGN_CHANNEL_NONE)
        return DD_CAMPAIGN_PROBLEM_NO_CHANNEL;
      if (flow->channel == DD_CAMPAIGN_CHANNEL_VOICE && !flow->voice_available)
        return DD_CAMPAIGN_PROBLEM_CHANNEL_UNAVAILABLE;
      return DD_CAMPAIGN_PROBLEM_NONE;

    case DD_CAMPAIGN_STEP_MESSAGE:
      if (flow->channel == DD_CAMPAIGN_CHANNEL_VOICE)
        {
          if (flow->flow_id == 0)
            return DD_CAMPAIGN_PROBLEM_NO_FLOW;
          if (flow->flow_errors > 0)
            return DD_CAMPAIGN_PROBLEM_FLOW_INVALID;
          if (flow->n_lines == 0)
            return DD_CAMPAIGN_PROBLEM_NO_LINE;
          if (flow->concurrency == 0 ||
              (flow->line_limit > 0 && flow->concurrency > flow->line_limit))
            return DD_CAMPAIGN_PROBLEM_TOO_MANY_CALLS;
          return DD_CAMPAIGN_PROBLEM_NONE;
        }
      if (is_blank (flow->template_text))
        return DD_CAMPAIGN_PROBLEM_EMPTY_MESSAGE;
      if (!flow->template_ok)
        return DD_CAMPAIGN_PROBLEM_TEMPLATE;
      if (flow->max_segments > flow->segment_limit)
        return DD_CAMPAIGN_PROBLEM_TOO_LONG;
      if (!dd_campaign_flow_sender_is_valid (flow->sender))
        return DD_CAMPAIGN_PROBLEM_BAD_SENDER;
      return DD_CAMPAIGN_PROBLEM_NONE;

    case DD_CAMPAIGN_STEP_SCHEDULE:
      if (flow->start_at != 0 && flow->start_at < flow->now)
        return DD_CAMPAIGN_PROBLEM_PAST_TIME;
      if (flow->window_end <= flow->window_start || flow->window_end > 24 * 60)
        return DD_CAMPAIGN_PROBLEM_BAD_WINDOW;
      return DD_CAMPAIGN_PROBLEM_NONE;

    case DD_CAMPAIGN_STEP_REVIEW:
      return flow->starting ? DD_CAMPAIGN_PROBLEM_STARTING : DD_CAMPAIGN_PROBLEM_NONE;

    case DD_CAMPAIGN_STEP_STARTED:
    case DD_N_CAMPAIGN_STEPS:
    default:
      return DD_CAMPAIGN_PROBLEM_NONE;
    }
}

const char *
dd_campaign_problem_to_string (DdCampaignProblem problem)
{
  switch (problem)
    {
    case DD_CAMPAIGN_PROBLEM_NONE:
      return "";
    case DD_CAMPAIGN_PROBLEM_NO_NAME:
      return _("Give the campaign a name.");
    case DD_CAMPAIGN_PROBLEM_NO_RECIPIENTS:
      return _("No debtor of this selection can receive a message.");
    case DD_CAMPAIGN_PROBLEM_COUNTING:
      return _("Counting the recipients…");
    case DD_CAMPAIGN_PROBLEM_NO_CHANNEL:
      return _("Choose how to reach the debtors.");
    case DD_CAMPAIGN_PROBLEM_CHANNEL_UNAVAILABLE:
      return _("Calling needs a telephone line: set one up in Preferences › SIP Accounts.");
    case DD_CAMPAIGN_PROBLEM_EMPTY_MESSAGE:
      return _("Write the message.");
    case DD_CAMPAIGN_PROBLEM_TEMPLATE:
      return _("The message has a mistake in a placeholder.");
    case DD_CAMPAIGN_PROBLEM_TOO_LONG:
      return _("The message is too long: shorten it or simplify its characters.");
    case DD_CAMPAIGN_PROBLEM_BAD_SENDER:
      return _("A sender name has 3 to 11 letters or digits, or is a phone number.");
    case DD_CAMPAIGN_PROBLEM_PAST_TIME:
      return _("The start time has passed.");
    case DD_CAMPAIGN_PROBLEM_BAD_WINDOW:
      return _("The sending hours end before they start.");
    case DD_CAMPAIGN_PROBLEM_STARTING:
      return _("Preparing the messages…");
    case DD_CAMPAIGN_PROBLEM_NO_FLOW:
      return _("Choose the call flow the debtors hear.");
    case DD_CAMPAIGN_PROBLEM_FLOW_INVALID:
      return _("The call flow has errors: fix them under Call Flows.");
    case DD_CAMPAIGN_PROBLEM_NO_LINE:
      return _("Choose at least one line to call through.");
    case DD_CAMPAIGN_PROBLEM_TOO_MANY_CALLS:
      return _("More calls at once than the chosen lines allow.");
    default:
      g_return_val_if_reached ("");
    }
}

gboolean
dd_campaign_flow_can_go_back (const DdCampaignFlow *flow)
{
  return flow->step > DD_CAMPAIGN_STEP_AUDIENCE && flow->step < DD_CAMPAIGN_STEP_STARTED &&
         !flow->starting;
}

gboolean
dd_campaign_flow_can_go_next (const DdCampaignFlow *flow)
{
  return flow->step < DD_CAMPAIGN_STEP_STARTED &&
         dd_campaign_flow_problem (flow) == DD_CAMPAIGN_PROBLEM_NONE;
}

gboolean
dd_campaign_flow_next_starts (const DdCampaignFlow *flow)
{
  return flow->step == DD_CAMPAIGN_STEP_REVIEW;
}

gboolean
dd_campaign_flow_next (DdCampaignFlow *flow)
{
  if (!dd_campaign_flow_can_go_next (flow))
    return FALSE;
  flow->step++;
  return TRUE;
}

gboolean
dd_campaign_flow_back (DdCampaignFlow *flow)
{
  if (!dd_campaign_flow_can_go_back (flow))
    return FALSE;
  flow->step--;
  return TRUE;
}

void
dd_campaign_flow_voice_plan (const DdCampaignFlow *flow,
                             guint                 n_numbers,
                             guint                 minutes_per_call,
                             DdCampaignVoicePlan  *out_plan)
{
  guint window = flow->window_end > flow->window_start
                 ? flow->window_end - flow->window_start : 0;
  guint concurrency = MAX (flow->concurrency, 1);
  guint64 per_day;

  memset (out_plan, 0, sizeof *out_plan);
  minutes_per_call = MAX (minutes_per_call, 1);
  per_day = (guint64) concurrency * (window / minutes_per_call);
  if (n_numbers == 0 || per_day == 0)
    return;
  out_plan->per_day = (guint) MIN (per_day, (guint64) n_numbers);
  out_plan->days = (guint) ((n_numbers + per_day - 1) / per_day);
  out_plan->last_day = n_numbers - (guint) ((out_plan->days - 1) * per_day);
  out_plan->minutes = ((n_numbers + concurrency - 1) / concurrency) * minutes_per_call;
}
