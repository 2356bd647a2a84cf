/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-campaign-flow.h"

static void
test_walk (void)
{
  DdCampaignFlow flow;

  dd_campaign_flow_init (&flow);
  flow.now = 1000000;
  g_assert_cmpint (flow.step, ==, DD_CAMPAIGN_STEP_AUDIENCE);
  g_assert_false (dd_campaign_flow_can_go_back (&flow));

  /* audience: a name, and someone to write to once counted */
  g_assert_cmpint (dd_campaign_flow_problem (&flow), ==, DD_CAMPAIGN_PROBLEM_NO_NAME);
  flow.name = g_strdup ("  ");
  g_assert_cmpint (dd_campaign_flow_problem (&flow), ==, DD_CAMPAIGN_PROBLEM_NO_NAME);
  g_free (flow.name);
  flow.name = g_strdup ("Grudzień");
  flow.counting = TRUE;
  g_assert_cmpint (dd_campaign_flow_problem (&flow), ==, DD_CAMPAIGN_PROBLEM_COUNTING);
  flow.counting = FALSE;
  g_assert_cmpint (dd_campaign_flow_problem (&flow), ==, DD_CAMPAIGN_PROBLEM_NO_RECIPIENTS);
  g_assert_false (dd_campaign_flow_next (&flow));
  flow.n_recipients = 10000;
  g_assert_true (dd_campaign_flow_next (&flow));

  /* channel: voice without a SIP line is refused with a reason */
  g_assert_cmpint (dd_campaign_flow_problem (&flow), ==, DD_CAMPAIGN_PROBLEM_NO_CHANNEL);
  flow.channel = DD_CAMPAIGN_CHANNEL_VOICE;
  g_assert_cmpint (dd_campaign_flow_problem (&flow), ==, DD_CAMPAIGN_PROBLEM_CHANNEL_UNAVAILABLE);
  g_assert_cmpstr (dd_campaign_problem_to_string (DD_CAMPAIGN_PROBLEM_CHANNEL_UNAVAILABLE), !=, "");
  flow.channel = DD_CAMPAIGN_CHANNEL_SMS;
  g_assert_true (dd_campaign_flow_next (&flow));

  /* message: text, a template that compiles, not too many segments, a valid sender */
  g_assert_cmpint (dd_campaign_flow_problem (&flow), ==, DD_CAMPAIGN_PROBLEM_EMPTY_MESSAGE);
  flow.template_text = g_strdup ("{name}, faktura {invoice}");
  g_assert_cmpint (dd_campaign_flow_problem (&flow), ==, DD_CAMPAIGN_PROBLEM_TEMPLATE);
  flow.template_ok = TRUE;
  flow.max_segments = 7;
  g_assert_cmpint (dd_campaign_flow_problem (&flow), ==, DD_CAMPAIGN_PROBLEM_TOO_LONG);
  flow.max_segments = 2;
  flow.sender = g_strdup ("Biuro Kowalski Sp");
  g_assert_cmpint (dd_campaign_flow_problem (&flow), ==, DD_CAMPAIGN_PROBLEM_BAD_SENDER);
  g_free (flow.sender);
  flow.sender = g_strdup ("Biuro");
  g_assert_true (dd_campaign_flow_back (&flow));
  g_assert_cmpint (flow.step, ==, DD_CAMPAIGN_STEP_CHANNEL);
  g_assert_true (dd_campaign_flow_next (&flow));
  g_assert_true (dd_campaign_flow_next (&flow));

  /* schedule: now, or a future time; sending hours in order */
  g_assert_true (dd_campaign_flow_can_go_next (&flow));
  flow.start_at = flow.now - 60;
  g_assert_cmpint (dd_campaign_flow_problem (&flow), ==, DD_CAMPAIGN_PROBLEM_PAST_TIME);
  flow.start_at = flow.now + 3600;
  flow.window_start = 20 * 60;
  flow.window_end = 8 * 60;
  g_assert_cmpint (dd_campaign_flow_problem (&flow), ==, DD_CAMPAIGN_PROBLEM_BAD_WINDOW);
  flow.window_start = 8 * 60;
  flow.window_end = 20 * 60;
  g_assert_true (dd_campaign_flow_next (&flow));

  /* review: Next starts; while the messages are prepared nothing moves */
  g_assert_true (dd_campaign_flow_next_starts (&flow));
  flow.starting = TRUE;
  g_assert_false (dd_campaign_flow_can_go_next (&flow));
  g_assert_false (dd_campaign_flow_can_go_back (&flow));
  flow.starting = FALSE;
  g_assert_true (dd_campaign_flow_next (&flow));
  g_assert_cmpint (flow.step, ==, DD_CAMPAIGN_STEP_STARTED);
  g_assert_false (dd_campaign_flow_can_go_back (&flow));
  g_assert_false (dd_campaign_flow_next (&flow));

  dd_campaign_flow_clear (&flow);
}

static void
test_voice (void)
{
  DdCampaignFlow flow;
  DdCampaignVoicePlan plan;

  dd_campaign_flow_init (&flow);
  flow.now = 1000000;
  flow.name = g_strdup ("Telefony");
  flow.n_recipients = 250;
  g_assert_true (dd_campaign_flow_next (&flow));

  /* voice needs a line; with one it is taken */
  flow.channel = DD_CAMPAIGN_CHANNEL_VOICE;
  g_assert_cmpint (dd_campaign_flow_problem (&flow), ==, DD_CAMPAIGN_PROBLEM_CHANNEL_UNAVAILABLE);
  g_assert_nonnull (g_strstr_len (dd_campaign_problem_to_string (DD_CAMPAIGN_PROBLEM_CHANNEL_UNAVAILABLE),
                                  -1, "SIP Accounts"));
  flow.voice_available = TRUE;
  g_assert_true (dd_campaign_flow_next (&flow));
  g_assert_cmpint (flow.step, ==, DD_CAMPAIGN_STEP_MESSAGE);

  /* the call flow step: a flow without errors, a line, calls at once within the lines'
   * limits; no SMS template is asked for */
  g_assert_cmpint (dd_campaign_flow_problem (&flow), ==, DD_CAMPAIGN_PROBLEM_NO_FLOW);
  flow.flow_id = 7;
  flow.flow_errors = 2;
  g_assert_cmpint (dd_campaign_flow_problem (&flow), ==, DD_CAMPAIGN_PROBLEM_FLOW_INVALID);
  flow.flow_errors = 0;
  g_assert_cmpint (dd_campaign_flow_problem (&flow), ==, DD_CAMPAIGN_PROBLEM_NO_LINE);
  flow.n_lines = 2;
  flow.line_limit = 4;
  flow.concurrency = 5;
  g_assert_cmpint (dd_campaign_flow_problem (&flow), ==, DD_CAMPAIGN_PROBLEM_TOO_MANY_CALLS);
  flow.line_limit = 0;   /* no limit */
  g_assert_cmpint (dd_campaign_flow_problem (&flow), ==, DD_CAMPAIGN_PROBLEM_NONE);
  flow.line_limit = 4;
  flow.concurrency = 4;
  for (DdCampaignProblem p = DD_CAMPAIGN_PROBLEM_NO_FLOW; p <= DD_CAMPAIGN_PROBLEM_TOO_MANY_CALLS; p++)
    g_assert_cmpstr (dd_campaign_problem_to_string (p), !=, "");
  g_assert_null (flow.template_text);
  g_assert_true (dd_campaign_flow_next (&flow));
  g_assert_true (dd_campaign_flow_next (&flow));
  g_assert_cmpint (flow.step, ==, DD_CAMPAIGN_STEP_REVIEW);

  /* the dry run: 8:00–10:00 is 120 minutes; 4 lines × 120 calls of 1 minute = 480 a day */
  flow.window_start = 8 * 60;
  flow.window_end = 10 * 60;
  dd_campaign_flow_voice_plan (&flow, 1000, 1, &plan);
  g_assert_cmpuint (plan.per_day, ==, 480);
  g_assert_cmpuint (plan.days, ==, 3);
  g_assert_cmpuint (plan.last_day, ==, 40);
  g_assert_cmpuint (plan.minutes, ==, 250);
  /* 2-minute calls: 240 a day; fewer numbers than a day takes */
  dd_campaign_flow_voice_plan (&flow, 100, 2, &plan);
  g_assert_cmpuint (plan.per_day, ==, 100);
  g_assert_cmpuint (plan.days, ==, 1);
  g_assert_cmpuint (plan.last_day, ==, 100);
  g_assert_cmpuint (plan.minutes, ==, 50);
  /* nobody to call */
  dd_campaign_flow_voice_plan (&flow, 0, 1, &plan);
  g_assert_cmpuint (plan.days, ==, 0);

  dd_campaign_flow_clear (&flow);
}

static void
test_sender (void)
{
  g_assert_true (dd_campaign_flow_sender_is_valid (NULL));
  g_assert_true (dd_campaign_flow_sender_is_valid (""));
  g_assert_true (dd_campaign_flow_sender_is_valid ("Biuro"));
  g_assert_true (dd_campaign_flow_sender_is_valid ("EKO-2 Sp."));
  g_assert_true (dd_campaign_flow_sender_is_valid ("+48601234567"));
  g_assert_false (dd_campaign_flow_sender_is_valid ("AB"));
  g_assert_false (dd_campaign_flow_sender_is_valid ("123456"));
  g_assert_false (dd_campaign_flow_sender_is_valid ("Wodociągi"));
  g_assert_false (dd_campaign_flow_sender_is_valid ("+48 601"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/campaign-flow/walk", test_walk);
  g_test_add_func ("/dd/campaign-flow/sender", test_sender);
  g_test_add_func ("/dd/campaign-flow/voice", test_voice);

  return g_test_run ();
}
