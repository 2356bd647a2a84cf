/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The call attempts of voice campaigns with a fake clock: claimed before the INVITE, settled
 * "unknown" after a crash without a second call inside the interval, the retry policy
 * (interval, attempts per day, maximum), the debtor guard and the contact policy. */
#include "config.h"

#include "dd-call-attempts.h"
#include "dd-claim.h"
#include "dd-campaign-store.h"

#include <string.h>
#include "case-fixture.h"

/* Monday 23 November 2026, 09:00 UTC */
#define T0 G_GINT64_CONSTANT (1795424400)
#define HOUR 3600

typedef struct
{
  CaseFixture      base;
  DdCallAttempts  *attempts;
  DdCampaignStore *campaigns;
  gint64           campaign_id;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(DdVoiceSettings) voice = dd_voice_settings_new ();
  DdCampaign campaign = { .name = (char *) "December calls", .kind = (char *) "voice" };

  case_fixture_setup (&f->base, data);
  f->attempts = dd_call_attempts_new (f->base.db);
  dd_call_attempts_set_time_zone (f->attempts, utc);
  f->campaigns = dd_campaign_store_new (f->base.db);
  g_assert_true (dd_campaign_store_create (f->campaigns, &campaign, 2, &f->campaign_id, &error));
  g_assert_no_error (error);
  voice->concurrency = 2;
  voice->attempts_per_day = 2;
  voice->interval_s = 2 * HOUR;
  voice->max_attempts = 3;
  g_assert_true (dd_campaign_store_set_voice (f->campaigns, f->campaign_id, voice, &error));
  g_assert_no_error (error);
  g_assert_true (dd_campaign_store_set_state (f->campaigns, f->campaign_id, DD_CAMPAIGN_RUNNING,
                                              NULL, 2, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->attempts);
  g_assert_finalize_object (f->campaigns);
  case_fixture_teardown (&f->base, data);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return case_fixture_int (&f->base, sql);
}

static DdRecipient *
recipient (gint64      case_id,
           gint64      debtor_id,
           gint64      phone_id,
           const char *e164)
{
  DdRecipient *r = g_new0 (DdRecipient, 1);

  r->case_id = case_id;
  r->debtor_id = debtor_id;
  r->phone_id = phone_id;
  r->e164 = g_strdup (e164);
  return r;
}

/* Cases 1 (Łukasz), 3 (Иван), 4 (Anna): three numbers. */
static void
plan_three (Fixture *f)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_recipient_free);
  g_autoptr(GError) error = NULL;
  guint added = 0;

  g_ptr_array_add (list, recipient (1, 1, 1, "+48601234567"));
  g_ptr_array_add (list, recipient (3, 2, 3, "+79161234567"));
  g_ptr_array_add (list, recipient (4, 3, 4, "+48221234567"));
  g_assert_true (dd_call_attempts_plan (f->attempts, f->campaign_id, list, T0, &added, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added, ==, 3);
  /* planned again (a crash during the creation): nothing added */
  g_assert_true (dd_call_attempts_plan (f->attempts, f->campaign_id, list, T0, &added, &error));
  g_assert_cmpuint (added, ==, 0);
}

static DdCallAttempt *
claim (Fixture *f,
       gint64   now)
{
  g_autoptr(GError) error = NULL;
  DdCallAttempt *a = dd_call_attempts_claim_next (f->attempts, f->campaign_id, now, NULL,
                                                  "trunk", "sip:48221110001@pbx", &error);

  g_assert_no_error (error);
  return a;
}

static void
settle (Fixture            *f,
        DdCallAttempt      *a,
        DdCallAttemptState  state,
        gboolean            heard,
        gint64              now,
        gint64             *out_next)
{
  g_autoptr(GError) error = NULL;
  DdCallOutcome outcome = { .state = state, .heard_to_end = heard,
                            .answered_by = state == DD_CALL_ATTEMPT_COMPLETED
                                           ? DD_ANSWERED_BY_PERSON : DD_ANSWERED_BY_NONE,
                            .sip_status = state == DD_CALL_ATTEMPT_BUSY ? 486 : 200 };

  g_assert_true (dd_call_attempts_settle (f->attempts, a->id, &outcome, now, out_next, &error));
  g_assert_no_error (error);
}

/* The claim is committed "dialing", with its start, line and caller ID, before any call. */
static void
test_claim (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(DdCallAttempt) a = NULL;
  g_autoptr(DdCallAttempt) b = NULL;
  g_autoptr(DdCallAttempt) c = NULL;
  g_autoptr(DdCallAttempt) none = NULL;

  plan_three (f);
  /* not before its time */
  g_assert_null (claim (f, T0 - 1));
  a = claim (f, T0);
  g_assert_nonnull (a);
  g_assert_cmpint (a->state, ==, DD_CALL_ATTEMPT_DIALING);
  g_assert_cmpint (a->case_id, ==, 1);
  g_assert_cmpstr (a->e164, ==, "+48601234567");
  g_assert_false (dd_database_in_transaction (f->base.db));
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE state = 'dialing'"
                             " AND started_at = '2026-11-23T09:00:00Z' AND line = 'trunk'"
                             " AND caller_id = 'sip:48221110001@pbx'"), ==, 1);
  b = claim (f, T0);
  c = claim (f, T0);
  none = claim (f, T0);
  g_assert_nonnull (b);
  g_assert_nonnull (c);
  g_assert_null (none);
  g_assert_cmpint (b->case_id, ==, 3);
  g_assert_cmpint (c->case_id, ==, 4);
}

/* On a shared database a desk that starts leaves alone the calls another live desk is on:
 * held while that desk says so, settled after the lease. */
static void
test_recover_held (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdCallAttempt) a = NULL;
  g_autoptr(DdCallAttempts) restarted = NULL;
  guint n = 0;

  plan_three (f);
  a = claim (f, T0);
  g_assert_nonnull (a);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE state = 'dialing'"
                             " AND claimed_by IS NOT NULL AND heartbeat_at IS NOT NULL"), ==, 1);

  /* a desk at another computer is on the call, and said so at T0 + 60 */
  g_assert_true (dd_database_execute (f->base.db, &error,
                                      "UPDATE call_attempt SET claimed_by = ?, heartbeat_at = ?"
                                      " WHERE id = ?", DD_TEXT ("reception-pc 9e1a 4242 1234"),
                                      DD_TEXT ("2026-11-23T09:01:00Z"), DD_INT (a->id), DD_END));
  g_assert_no_error (error);
  restarted = dd_call_attempts_new (f->base.db);
  g_assert_true (dd_call_attempts_recover (restarted, T0 + 90, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE state = 'dialing'"), ==, 1);

  /* not heard of for the lease: gone, settled */
  g_assert_true (dd_call_attempts_recover (restarted, T0 + 60 + DD_CLAIM_LEASE_SECONDS + 1, &n,
                                           &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE state = 'unknown'"), ==, 1);
}

/* A crash leaves an attempt "dialing": the next start settles it "unknown" on the case's
 * timeline, and its number is not called again before the interval after that call's start,
 * while the others go on. */
static void
test_recover (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdCallAttempt) a = NULL;
  g_autoptr(DdCallAttempt) b = NULL;
  g_autoptr(DdCallAttempt) again = NULL;
  g_autoptr(DdCallAttempts) restarted = NULL;
  guint n = 0;

  plan_three (f);
  a = claim (f, T0);
  g_assert_nonnull (a);

  /* the process dies; a new one starts 10 minutes later */
  restarted = dd_call_attempts_new (f->base.db);
  g_assert_true (dd_call_attempts_recover (restarted, T0 + 600, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE campaign_id = 3"
                             " AND state = 'unknown' AND case_id = 1 AND ended_at IS NOT NULL"),
                   ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE case_id = 1 AND kind = 'call'"
                             " AND refs LIKE '%\"state\":\"unknown\"%'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE campaign_id = 3"
                             " AND e164 = '+48601234567' AND state = 'scheduled'"
                             " AND attempt_no = 2 AND scheduled_at = '2026-11-23T11:00:01Z'"), ==, 1);
  /* nothing left dialing: a second recovery finds nothing */
  g_assert_true (dd_call_attempts_recover (restarted, T0 + 601, &n, &error));
  g_assert_cmpuint (n, ==, 0);

  /* the others go on; the interrupted number waits for the interval */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(DdCallAttempt) other = claim (f, T0 + 700);

      g_assert_nonnull (other);
      g_assert_cmpint (other->case_id, !=, 1);
    }
  g_assert_null (claim (f, T0 + 2 * HOUR));
  again = claim (f, T0 + 2 * HOUR + 1);
  g_assert_nonnull (again);
  g_assert_cmpint (again->case_id, ==, 1);
  g_assert_cmpuint (again->attempt_no, ==, 2);

  /* settling an attempt twice, or one never claimed, is refused */
  settle (f, again, DD_CALL_ATTEMPT_NO_ANSWER, FALSE, T0 + 2 * HOUR + 30, NULL);
  {
    DdCallOutcome outcome = { .state = DD_CALL_ATTEMPT_COMPLETED };

    g_assert_false (dd_call_attempts_settle (f->attempts, again->id, &outcome, T0, NULL, &error));
    g_assert_error (error, DD_CALL_ATTEMPTS_ERROR, DD_CALL_ATTEMPTS_ERROR_STATE);
  }
  b = dd_call_attempts_get (f->attempts, again->id, NULL);
  g_assert_cmpint (b->state, ==, DD_CALL_ATTEMPT_NO_ANSWER);
}

/* No answer, busy: again after the interval; at most 2 calls a day (the third waits for the
 * next day); at most 3 calls in all. */
static void
test_retry (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(DdCallAttempt) first = NULL;
  g_autoptr(DdCallAttempt) second = NULL;
  g_autoptr(DdCallAttempt) third = NULL;
  gint64 next = -1, now = T0 + 10 * HOUR;   /* 19:00 */

  plan_three (f);
  first = claim (f, now);
  g_assert_cmpint (first->case_id, ==, 1);
  settle (f, first, DD_CALL_ATTEMPT_NO_ANSWER, FALSE, now + 30, &next);
  g_assert_cmpint (next, >, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE state = 'scheduled'"
                             " AND e164 = '+48601234567' AND scheduled_at = '2026-11-23T21:00:01Z'"),
                   ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE case_id = 1 AND kind = 'call'"
                             " AND body LIKE '%No answer%'"), ==, 1);

  /* the other two numbers are claimed now; number 1 only after 21:00 (interval + 1 s) */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(DdCallAttempt) other = claim (f, now + 60);
      DdCallOutcome done = { .state = DD_CALL_ATTEMPT_COMPLETED, .heard_to_end = TRUE,
                             .answered_by = DD_ANSWERED_BY_PERSON };

      g_assert_cmpint (other->case_id, !=, 1);
      /* heard to the end: no further call */
      g_assert_true (dd_call_attempts_settle (f->attempts, other->id, &done, now + 120, &next,
                                              NULL));
      g_assert_cmpint (next, ==, 0);
    }
  g_assert_null (claim (f, T0 + 12 * HOUR));
  second = claim (f, T0 + 12 * HOUR + 1);
  g_assert_nonnull (second);
  g_assert_cmpuint (second->attempt_no, ==, 2);
  settle (f, second, DD_CALL_ATTEMPT_BUSY, FALSE, T0 + 12 * HOUR + 10, &next);
  /* two calls today: the third waits for tomorrow's first minute, not 23:00 */
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE state = 'scheduled'"
                             " AND attempt_no = 3 AND scheduled_at = '2026-11-24T00:00:00Z'"), ==, 1);
  g_assert_null (claim (f, T0 + 14 * HOUR));
  third = claim (f, T0 + 15 * HOUR);
  g_assert_nonnull (third);
  settle (f, third, DD_CALL_ATTEMPT_REJECTED, FALSE, T0 + 15 * HOUR + 5, &next);
  /* the maximum reached: the number is done */
  g_assert_cmpint (next, ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE state = 'scheduled'"
                             " AND campaign_id = 3"), ==, 0);
  {
    DdCallCounts counts;

    g_assert_true (dd_call_attempts_get_counts (f->attempts, f->campaign_id, &counts, NULL));
    g_assert_cmpuint (counts.numbers, ==, 3);
    g_assert_cmpuint (counts.numbers_done, ==, 3);
    g_assert_cmpuint (counts.completed, ==, 2);
    g_assert_cmpuint (counts.not_reached, ==, 3);
    g_assert_cmpuint (counts.scheduled, ==, 0);
  }
}

/* A machine that was hung up on is called again; a voicemail left, a declaration, a transfer
 * and a number that does not exist are not. */
static void
test_goals (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(DdCallAttempt) a = NULL;
  g_autoptr(DdCallAttempt) b = NULL;
  g_autoptr(DdCallAttempt) c = NULL;
  gint64 next = -1;
  DdCallOutcome machine = { .state = DD_CALL_ATTEMPT_COMPLETED,
                            .answered_by = DD_ANSWERED_BY_MACHINE, .result = "machine" };
  DdCallOutcome invalid = { .state = DD_CALL_ATTEMPT_INVALID, .sip_status = 404 };
  DdCallOutcome transfer = { .state = DD_CALL_ATTEMPT_COMPLETED,
                             .answered_by = DD_ANSWERED_BY_PERSON, .transfer = "no-agent" };

  plan_three (f);
  a = claim (f, T0);
  b = claim (f, T0);
  c = claim (f, T0);
  g_assert_true (dd_call_attempts_settle (f->attempts, a->id, &machine, T0 + 20, &next, NULL));
  g_assert_cmpint (next, >, 0);
  g_assert_true (dd_call_attempts_settle (f->attempts, b->id, &invalid, T0 + 20, &next, NULL));
  g_assert_cmpint (next, ==, 0);
  g_assert_true (dd_call_attempts_settle (f->attempts, c->id, &transfer, T0 + 20, &next, NULL));
  g_assert_cmpint (next, ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE case_id = 1 AND campaign_id = 3"
                             " AND answered_by = 'machine' AND result = 'machine'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE case_id = 4"
                             " AND body LIKE '%consultant%'"), ==, 1);

  /* a declaration the case store refused: said on the timeline for a consultant */
  {
    g_autoptr(DdCallAttempt) d = NULL;
    DdCallOutcome refused = { .state = DD_CALL_ATTEMPT_COMPLETED, .heard_to_end = TRUE,
                              .answered_by = DD_ANSWERED_BY_PERSON,
                              .result = "declaration-refused" };

    d = claim (f, T0 + 3 * HOUR);
    g_assert_nonnull (d);
    g_assert_true (dd_call_attempts_settle (f->attempts, d->id, &refused, T0 + 3 * HOUR + 40,
                                            &next, NULL));
    g_assert_cmpint (next, ==, 0);
    g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE kind = 'call'"
                               " AND body LIKE '%refused%'"), ==, 1);
  }
}

/* Dead air (the runner's verdict on a call picked up with no sound and no key from the
 * callee): settled not answered, with its answer time and "silent"; called again as an
 * unanswered call would be; counted among the numbers not reached, not as completed, heard or
 * answered by a person; the timeline says what happened. */
static void
test_dead_air (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdCallAttempt) a = NULL;
  g_autoptr(DdCallAttempt) settled = NULL;
  DdCallOutcome silent = { .state = DD_CALL_ATTEMPT_NO_ANSWER, .sip_status = 200,
                           .cause = "completed", .answered_at = T0 + 5,
                           .answered_by = DD_ANSWERED_BY_UNKNOWN,
                           .ivr_path = "greeting:done bye", .result = "silent" };
  DdCallCounts counts;
  gint64 next = 0;

  plan_three (f);
  a = claim (f, T0);
  g_assert_true (dd_call_attempts_mark_answered (f->attempts, a->id, T0 + 5, &error));
  g_assert_true (dd_call_attempts_settle (f->attempts, a->id, &silent, T0 + 40, &next, &error));
  g_assert_no_error (error);
  /* the next call, after the interval */
  g_assert_cmpint (next, >, 0);
  settled = dd_call_attempts_get (f->attempts, a->id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (settled->state, ==, DD_CALL_ATTEMPT_NO_ANSWER);
  g_assert_cmpstr (settled->result, ==, "silent");
  g_assert_nonnull (settled->answered_at);
  g_assert_false (settled->heard_to_end);
  g_assert_true (dd_call_attempts_get_counts (f->attempts, f->campaign_id, &counts, &error));
  g_assert_cmpuint (counts.completed, ==, 0);
  g_assert_cmpuint (counts.not_reached, ==, 1);
  g_assert_cmpuint (counts.machines, ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE heard_to_end <> 0"
                             " OR answered_by = 'person'"), ==, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE kind = 'call' AND case_id = 1"
                             " AND body LIKE '%stayed silent%'"), ==, 1);
}

/* Two numbers of one debtor: never both inside the interval. */
static void
test_debtor_guard (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_recipient_free);
  g_autoptr(DdCallAttempt) a = NULL;
  g_autoptr(DdCallAttempt) b = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (list, recipient (1, 1, 1, "+48601234567"));
  g_ptr_array_add (list, recipient (2, 1, 2, "+48587654321"));
  g_assert_true (dd_call_attempts_plan (f->attempts, f->campaign_id, list, T0, NULL, &error));
  a = claim (f, T0);
  g_assert_nonnull (a);
  g_assert_null (claim (f, T0 + 60));
  settle (f, a, DD_CALL_ATTEMPT_NO_ANSWER, FALSE, T0 + 90, NULL);
  g_assert_null (claim (f, T0 + 2 * HOUR));
  b = claim (f, T0 + 2 * HOUR + 1);
  g_assert_nonnull (b);
  g_assert_cmpstr (b->e164, ==, "+48587654321");
}

/* The contact policy's calling window holds a claim back until it opens. */
static void
test_contact_policy (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_recipient_free);
  g_autoptr(DdContactPolicy) policy = dd_contact_policy_new_preset ("pl");
  g_autoptr(DdCallAttempt) a = NULL;
  g_autoptr(GError) error = NULL;
  gint64 at = T0 - 7 * HOUR;   /* 02:00 UTC, 03:00 in Warsaw */
  gint64 next_at = 0;
  gboolean any = FALSE;

  g_free (policy->default_zone);
  policy->default_zone = g_strdup ("Europe/Warsaw");
  g_ptr_array_add (list, recipient (1, 1, 1, "+48601234567"));
  g_assert_true (dd_call_attempts_plan (f->attempts, f->campaign_id, list, at, NULL, &error));
  a = dd_call_attempts_claim_next (f->attempts, f->campaign_id, at, policy, "trunk", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (a);
  g_assert_true (dd_call_attempts_next_due (f->attempts, f->campaign_id, &next_at, &any, &error));
  g_assert_true (any);
  g_assert_cmpint (next_at, >, at);
  a = dd_call_attempts_claim_next (f->attempts, f->campaign_id, next_at, policy, "trunk", NULL,
                                   &error);
  g_assert_no_error (error);
  g_assert_nonnull (a);
}

/* A paused campaign's attempts are not claimed. */
static void
test_paused (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdCallAttempt) a = NULL;

  plan_three (f);
  g_assert_true (dd_campaign_store_set_state (f->campaigns, f->campaign_id, DD_CAMPAIGN_PAUSED,
                                              "user", 2, &error));
  g_assert_null (claim (f, T0));
  g_assert_true (dd_campaign_store_set_state (f->campaigns, f->campaign_id, DD_CAMPAIGN_RUNNING,
                                              NULL, 2, &error));
  a = claim (f, T0);
  g_assert_nonnull (a);
}

/* Cancelling a voice campaign cancels the calls it still had to make, as it does the SMS it
 * still had to send: none is claimed, and the counts show none waiting. */
static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdCallAttempt) a = NULL;
  g_autoptr(DdCallAttempt) b = NULL;
  g_autofree char *sql_scheduled = NULL;
  g_autofree char *sql_cancelled = NULL;
  g_autofree char *sql_dialing = NULL;
  DdCallCounts counts;
  gint64 waiting;

  plan_three (f);
  a = claim (f, T0);
  g_assert_nonnull (a);
  sql_scheduled = g_strdup_printf ("SELECT COUNT(*) FROM call_attempt WHERE campaign_id = %"
                                   G_GINT64_FORMAT " AND state = 'scheduled'", f->campaign_id);
  sql_cancelled = g_strdup_printf ("SELECT COUNT(*) FROM call_attempt WHERE campaign_id = %"
                                   G_GINT64_FORMAT " AND state = 'cancelled'"
                                   " AND result = 'cancelled'", f->campaign_id);
  sql_dialing = g_strdup_printf ("SELECT COUNT(*) FROM call_attempt WHERE campaign_id = %"
                                 G_GINT64_FORMAT " AND state = 'dialing'", f->campaign_id);
  waiting = count (f, sql_scheduled);
  g_assert_cmpint (waiting, >, 0);
  g_assert_true (dd_campaign_store_set_state (f->campaigns, f->campaign_id, DD_CAMPAIGN_CANCELLED,
                                              "user", 2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, sql_scheduled), ==, 0);
  g_assert_cmpint (count (f, sql_cancelled), ==, waiting);
  /* the call on the line is left to end and be settled */
  g_assert_cmpint (count (f, sql_dialing), ==, 1);
  b = claim (f, T0 + 24 * HOUR);
  g_assert_null (b);
  g_assert_true (dd_call_attempts_get_counts (f->attempts, f->campaign_id, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.scheduled, ==, 0);
}

/* Calls planned in the morning go out in the calling window, on a free line, or as retries on
 * later days: by then a debtor may have paid, had the case closed, or opted out. Those calls
 * are cancelled, not made; the others go. */
static void
test_settled_since_planned (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdCallAttempt) a = NULL;
  g_autoptr(DdCallAttempt) none = NULL;

  plan_three (f);
  g_assert_true (dd_database_exec (f->base.db,
                                   "UPDATE debt_case SET balance_minor = 0 WHERE id = 1;"
                                   "UPDATE debtor SET opt_out = 1 WHERE id = 2;", &error));
  g_assert_no_error (error);
  a = claim (f, T0);
  g_assert_nonnull (a);
  g_assert_cmpint (a->case_id, ==, 4);
  none = claim (f, T0);
  g_assert_null (none);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE case_id IN (1, 3)"
                             " AND state = 'cancelled' AND result = 'case-settled'"), ==, 2);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE state = 'dialing'"), ==, 1);
}

/* The voice settings are kept as given. */
static void
test_voice_settings (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdVoiceSettings) in = dd_voice_settings_new ();
  g_autoptr(DdVoiceSettings) out = NULL;
  const char *lines[] = { "trunk-a", "sip:office@pbx.example", NULL };
  const char *ids[] = { "sip:48221110001@pbx", "sip:48221110002@pbx", NULL };
  DdCampaign sms = { .name = (char *) "Texts", .kind = (char *) "sms" };
  gint64 sms_id = 0;

  in->lines = g_strdupv ((char **) lines);
  in->caller_ids = g_strdupv ((char **) ids);
  in->concurrency = 30;
  in->attempts_per_day = 1;
  in->interval_s = 600;
  in->max_attempts = 5;
  in->machine = DD_MACHINE_VOICEMAIL;
  in->confirm_sms = g_strdup ("Dziękujemy, {name}.");
  in->ring_timeout_s = 25;
  g_assert_true (dd_campaign_store_set_voice (f->campaigns, f->campaign_id, in, &error));
  out = dd_campaign_store_get_voice (f->campaigns, f->campaign_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (out->lines, lines);
  g_assert_cmpstrv (out->caller_ids, ids);
  g_assert_cmpuint (out->concurrency, ==, 30);
  g_assert_cmpuint (out->attempts_per_day, ==, 1);
  g_assert_cmpuint (out->interval_s, ==, 600);
  g_assert_cmpuint (out->max_attempts, ==, 5);
  g_assert_cmpint (out->machine, ==, DD_MACHINE_VOICEMAIL);
  g_assert_cmpstr (out->confirm_sms, ==, "Dziękujemy, {name}.");
  g_assert_cmpuint (out->ring_timeout_s, ==, 25);

  in->concurrency = 0;
  g_assert_false (dd_campaign_store_set_voice (f->campaigns, f->campaign_id, in, &error));
  g_assert_error (error, DD_CAMPAIGN_STORE_ERROR, DD_CAMPAIGN_STORE_ERROR_INVALID);
  g_clear_error (&error);
  in->concurrency = 1;
  g_assert_true (dd_campaign_store_create (f->campaigns, &sms, 2, &sms_id, &error));
  g_assert_false (dd_campaign_store_set_voice (f->campaigns, sms_id, in, &error));
  g_assert_error (error, DD_CAMPAIGN_STORE_ERROR, DD_CAMPAIGN_STORE_ERROR_INVALID);
}

/* A declaration keyed in a call: the case store's rules, channel "ivr", no agent. */
static void
test_declaration (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_assert_true (dd_case_store_record_declaration (f->base.cases, 1, "ivr", 25000, NULL,
                                                   "2026-12-01", &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM debt_case WHERE id = 1"
                             " AND status = 'payment-declaration'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM declaration WHERE case_id = 1 AND channel = 'ivr'"
                             " AND amount_minor = 25000 AND currency = 'PLN'"
                             " AND promised_on = '2026-12-01' AND agent_id IS NULL"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE case_id = 1"
                             " AND kind = 'declaration' AND channel = 'ivr'"), ==, 1);
  /* in the past, or for a closed case: refused */
  g_assert_false (dd_case_store_record_declaration (f->base.cases, 1, "ivr", 25000, NULL,
                                                    "2026-11-01", NULL, &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PAST);
  g_clear_error (&error);
  g_assert_false (dd_case_store_record_declaration (f->base.cases, 5, "ivr", 100, NULL,
                                                    "2026-12-01", NULL, &error));
  g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PERMISSION);
}

/* A call planned for several cases of one debtor (a ladder step) covers them all, the lead
 * first; the retry policy's next attempt covers them too; a one-case call covers its own. */
static void
test_covers (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(DdRecipient) r = recipient (2, 1, 1, "+48601234567");
  g_autoptr(DdCallAttempt) first = NULL;
  g_autoptr(DdCallAttempt) second = NULL;
  g_autoptr(DdCallAttempt) other = NULL;
  g_autoptr(DdRecipient) single = recipient (3, 2, 3, "+79161234567");
  g_autoptr(GError) error = NULL;
  const gint64 cases[] = { 1, 2 };
  gint64 id = 0, next = 0;

  g_assert_true (dd_call_attempts_plan_keyed (f->attempts, f->campaign_id, r, cases, 2,
                                              "ladder-2-s2", T0, &id, &error));
  g_assert_no_error (error);
  g_assert_true (dd_call_attempts_plan_keyed (f->attempts, f->campaign_id, single, NULL, 0,
                                              "ladder-3-s2", T0, NULL, &error));
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM call_attempt WHERE covers = '2 1'"), ==, 1);
  first = dd_call_attempts_get (f->attempts, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->covers->len, ==, 2);
  g_assert_cmpint (g_array_index (first->covers, gint64, 0), ==, 2);
  g_assert_cmpint (g_array_index (first->covers, gint64, 1), ==, 1);
  g_clear_pointer (&first, dd_call_attempt_free);

  first = claim (f, T0 + 10 * HOUR);
  g_assert_cmpint (first->id, ==, id);
  settle (f, first, DD_CALL_ATTEMPT_NO_ANSWER, FALSE, T0 + 10 * HOUR + 30, &next);
  g_assert_cmpint (next, >, 0);
  second = dd_call_attempts_get (f->attempts, next, &error);
  g_assert_cmpuint (second->attempt_no, ==, 2);
  g_assert_cmpuint (second->covers->len, ==, 2);
  g_assert_cmpint (g_array_index (second->covers, gint64, 1), ==, 1);

  other = claim (f, T0 + 10 * HOUR + 60);
  g_assert_cmpint (other->case_id, ==, 3);
  g_assert_cmpuint (other->covers->len, ==, 1);
  g_assert_cmpint (g_array_index (other->covers, gint64, 0), ==, 3);
}

/* A call that spoke of two cases of the debtor is on both timelines, and the promise the debtor
 * keyed in is spread over both, the oldest debt first (issue 15: it was filed on the lead case
 * only, which left the other case to be called again). */
static void
test_covers_filed (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(DdRecipient) r = recipient (2, 1, 1, "+48601234567");
  g_autoptr(DdCallAttempt) a = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  const gint64 cases[] = { 2, 1 };
  gint64 id = 0;

  g_assert_true (dd_call_attempts_plan_keyed (f->attempts, f->campaign_id, r, cases, 2,
                                              "ladder-2-s2", T0, &id, &error));
  g_assert_no_error (error);
  a = claim (f, T0 + 10 * HOUR);
  g_assert_cmpint (a->id, ==, id);
  settle (f, a, DD_CALL_ATTEMPT_COMPLETED, TRUE, T0 + 10 * HOUR + 90, NULL);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE kind = 'call'"
                             " AND case_id = 1"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE kind = 'call'"
                             " AND case_id = 2"), ==, 1);

  /* 1,520.00 PLN: case 1 (due in January, 1,500.00) first, the rest on case 2 (due in February) */
  g_assert_true (dd_case_store_record_shared_declaration (f->base.cases, cases, 2, "ivr", 152000,
                                                          NULL, "2026-12-01", &ids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM declaration WHERE case_id = 1"
                             " AND amount_minor = 150000 AND promised_on = '2026-12-01'"
                             " AND currency = 'PLN'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM declaration WHERE case_id = 2"
                             " AND amount_minor = 2000 AND promised_on = '2026-12-01'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM debt_case WHERE id IN (1, 2)"
                             " AND status = 'payment-declaration'"), ==, 2);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==,
                   count (f, "SELECT MAX(id) FROM declaration WHERE case_id = 1"));
  g_clear_pointer (&ids, g_array_unref);

  /* less than the oldest debt: all on it */
  g_assert_true (dd_case_store_record_shared_declaration (f->base.cases, cases, 2, "ivr", 40000,
                                                          NULL, "2026-12-02", &ids, &error));
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM declaration WHERE promised_on = '2026-12-02'"
                             " AND case_id = 1 AND amount_minor = 40000"), ==, 1);
  g_clear_pointer (&ids, g_array_unref);

  /* more than both balances: the surplus stays with the oldest debt; nothing is lost */
  g_assert_true (dd_case_store_record_shared_declaration (f->base.cases, cases, 2, "ivr", 160000,
                                                          NULL, "2026-12-03", &ids, &error));
  g_assert_cmpint (count (f, "SELECT SUM(amount_minor) FROM declaration"
                             " WHERE promised_on = '2026-12-03'"), ==, 160000);
  g_assert_cmpint (count (f, "SELECT amount_minor FROM declaration"
                             " WHERE promised_on = '2026-12-03' AND case_id = 2"), ==, 5000);
  g_clear_pointer (&ids, g_array_unref);

  /* a closed case and a case in another currency take no share: the refusal names the
   * currency, not a closed case (case 3 is open, in RUB) */
  {
    const gint64 mixed[] = { 5, 3 };
    const gint64 closed[] = { 5 };

    g_assert_false (dd_case_store_record_shared_declaration (f->base.cases, mixed, 2, "ivr",
                                                             1000, "PLN", "2026-12-04", NULL,
                                                             &error));
    g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==,
                     "No open case of this debtor is in PLN, the currency of the payment"
                     " declaration.");
    g_clear_error (&error);
    /* no currency named: the first case's (closed, PLN) */
    g_assert_false (dd_case_store_record_shared_declaration (f->base.cases, mixed, 2, "ivr",
                                                             1000, NULL, "2026-12-04", NULL,
                                                             &error));
    g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, " PLN,"));
    g_clear_error (&error);
    /* only closed cases: the closed case's refusal */
    g_assert_false (dd_case_store_record_shared_declaration (f->base.cases, closed, 1, "ivr",
                                                             1000, "PLN", "2026-12-04", NULL,
                                                             &error));
    g_assert_error (error, DD_CASE_STORE_ERROR, DD_CASE_STORE_ERROR_PERMISSION);
    g_assert_cmpstr (error->message, ==, "A closed case takes no payment declaration.");
    g_assert_cmpint (count (f, "SELECT COUNT(*) FROM declaration"
                               " WHERE promised_on = '2026-12-04'"), ==, 0);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("TZ", "UTC", TRUE);

#define ADD(path, fn) \
  g_test_add ("/dd/call-attempts/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("claim", test_claim);
  ADD ("settled-since-planned", test_settled_since_planned);
  ADD ("recover", test_recover);
  ADD ("recover-held", test_recover_held);
  ADD ("retry", test_retry);
  ADD ("goals", test_goals);
  ADD ("dead-air", test_dead_air);
  ADD ("debtor-guard", test_debtor_guard);
  ADD ("contact-policy", test_contact_policy);
  ADD ("paused", test_paused);
  ADD ("cancelled", test_cancelled);
  ADD ("voice-settings", test_voice_settings);
  ADD ("declaration", test_declaration);
  ADD ("covers", test_covers);
  ADD ("covers-filed", test_covers_filed);
#undef ADD

  return g_test_run ();
}
