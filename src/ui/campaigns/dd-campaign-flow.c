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
      if (flow->channel != DD_CAMPAIGN_CHANNEL_SMS)
        return DD_CAMPAIGN_PROBLEM_CHANNEL_UNAVAILABLE;
      return DD_CAMPAIGN_PROBLEM_NONE;

    case DD_CAMPAIGN_STEP_MESSAGE:
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
      return _("Voice campaigns come with a later version of Dunning Desk.");
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
