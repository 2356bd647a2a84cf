/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-campaign-store.h"
#include "dd-claim.h"
#include "dd-outbox.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include "case-fixture.h"

typedef struct
{
  CaseFixture      base;
  DdOutbox        *outbox;
  DdCampaignStore *campaigns;
  gint64           campaign_id;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DdCampaign campaign = { .name = (char *) "December reminders", .kind = (char *) "sms",
                          .template_text = (char *) "{name}, pay {amount}",
                          .sender = (char *) "Biuro", .gateway = (char *) "test" };

  case_fixture_setup (&f->base, data);
  f->outbox = dd_outbox_new (f->base.db);
  f->campaigns = dd_campaign_store_new (f->base.db);
  g_assert_true (dd_campaign_store_create (f->campaigns, &campaign, 2, &f->campaign_id, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->outbox);
  g_assert_finalize_object (f->campaigns);
  case_fixture_teardown (&f->base, data);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return case_fixture_int (&f->base, sql);
}

/* Cases 1 (Łukasz, mobile phone 1), 3 (Иван, phone 3), 4 (Anna, landline phone 4). */
static void
enqueue_three (Fixture *f,
               guint   *out_added)
{
  g_autoptr(GError) error = NULL;
  const DdOutboxNew items[] = {
    { .case_id = 1, .phone_id = 1, .e164 = "+48601234567", .body = "Łukasz, zapłać", .parts = 1,
      .encoding = "ucs2" },
    { .case_id = 3, .phone_id = 3, .e164 = "+79161234567", .body = "Иван, оплатите", .parts = 1,
      .encoding = "ucs2" },
    { .case_id = 4, .phone_id = 4, .e164 = "+48221234567", .body = "Anna, pay", .parts = 1,
      .encoding = "gsm7", .not_before = "2099-01-01T08:00:00Z" },
  };

  g_assert_true (dd_outbox_enqueue (f->outbox, f->campaign_id, "Biuro", items,
                                    G_N_ELEMENTS (items), out_added, &error));
  g_assert_no_error (error);
}

static void
test_lifecycle (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) awaiting = NULL;
  DdOutboxMessage *first, *second;
  DdOutboxCounts counts;
  gboolean changed = FALSE;
  guint added = 0;

  enqueue_three (f, &added);
  g_assert_cmpuint (added, ==, 3);
  /* preparing the campaign again (after a crash) adds nothing: one message per phone */
  enqueue_three (f, &added);
  g_assert_cmpuint (added, ==, 0);
  /* keys unique per office (its random id first) and per message */
  {
    g_autofree char *office = dd_outbox_get_office_id (f->outbox, &error);
    g_autofree char *sql = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (strlen (office), ==, 16);
    sql = g_strdup_printf ("SELECT COUNT(DISTINCT idempotency_key) FROM message"
                           " WHERE campaign_id IS NOT NULL AND idempotency_key LIKE 'dd-%s-c%%'",
                           office);
    g_assert_cmpint (count (f, sql), ==, 3);
  }

  /* a draft campaign sends nothing */
  claimed = dd_outbox_claim (f->outbox, 0, "2026-12-01T10:00:00Z", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 0);
  g_clear_pointer (&claimed, g_ptr_array_unref);

  g_assert_true (dd_campaign_store_set_state (f->campaigns, f->campaign_id, DD_CAMPAIGN_RUNNING,
                                              NULL, 2, &error));
  g_assert_no_error (error);

  /* two are due, the third is held back by not_before; the claim is committed as sending */
  claimed = dd_outbox_claim (f->outbox, f->campaign_id, "2026-12-01T10:00:00Z", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 2);
  first = g_ptr_array_index (claimed, 0);
  second = g_ptr_array_index (claimed, 1);
  g_assert_cmpstr (first->e164, ==, "+48601234567");
  g_assert_cmpstr (first->sender, ==, "Biuro");
  g_assert_cmpuint (first->attempts, ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE state = 'sending'"
                             " AND attempts = 1"), ==, 2);
  again = dd_outbox_claim (f->outbox, 0, "2026-12-01T10:00:00Z", 10, &error);
  g_assert_cmpuint (again->len, ==, 0);
  g_clear_pointer (&again, g_ptr_array_unref);

  /* after a crash now, both would be found unsettled */
  again = dd_outbox_list_unsettled (f->outbox, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 2);
  g_assert_cmpstr (((DdOutboxMessage *) g_ptr_array_index (again, 0))->idempotency_key, ==,
                   first->idempotency_key);
  g_clear_pointer (&again, g_ptr_array_unref);

  /* first: accepted; second: a timeout, back to the queue with a back-off */
  g_assert_true (dd_outbox_mark_sent (f->outbox, first->id,
                                      &(DdOutboxSent) { "test", "T-1", 2, 16, "PLN" }, &error));
  g_assert_no_error (error);
  g_assert_true (dd_outbox_mark_retry (f->outbox, second->id, "2026-12-01T10:00:30Z", "timeout",
                                       "The provider did not answer", &error));
  g_assert_no_error (error);
  /* a message can only be marked once */
  g_assert_false (dd_outbox_mark_sent (f->outbox, first->id,
                                       &(DdOutboxSent) { "test", "T-1", 1, -1, NULL }, &error));
  g_assert_error (error, DD_OUTBOX_ERROR, DD_OUTBOX_ERROR_STATE);
  g_clear_error (&error);

  again = dd_outbox_claim (f->outbox, 0, "2026-12-01T10:00:10Z", 10, &error);
  g_assert_cmpuint (again->len, ==, 0);
  g_clear_pointer (&again, g_ptr_array_unref);
  again = dd_outbox_claim (f->outbox, 0, "2026-12-01T10:00:30Z", 10, &error);
  g_assert_cmpuint (again->len, ==, 1);
  g_assert_cmpuint (((DdOutboxMessage *) g_ptr_array_index (again, 0))->attempts, ==, 2);
  g_assert_true (dd_outbox_mark_failed (f->outbox, second->id, "invalid-number",
                                        "The number does not exist", &error));
  g_assert_no_error (error);
  g_clear_pointer (&again, g_ptr_array_unref);

  /* the timeline of the cases says what happened */
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE case_id = 1 AND kind = 'sms'"
                             " AND body = 'SMS sent to +48601234567'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE case_id = 3 AND kind = 'sms'"
                             " AND json_extract(refs, '$.error_code') = 'invalid-number'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM debt_case WHERE id = 1"
                             " AND last_contact_at IS NOT NULL AND last_contact_at <> "
                             "'2026-11-20T10:00:00Z'"), ==, 1);

  /* delivery reports: polled batch, then the report; a repeated report changes nothing */
  awaiting = dd_outbox_take_awaiting_report (f->outbox, "test", "2026-12-01T10:05:00Z",
                                             "2026-12-01T10:05:00Z", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (awaiting->len, ==, 1);
  g_clear_pointer (&awaiting, g_ptr_array_unref);
  awaiting = dd_outbox_take_awaiting_report (f->outbox, "test", "2026-12-01T10:05:00Z",
                                             "2026-12-01T10:05:00Z", 10, &error);
  g_assert_cmpuint (awaiting->len, ==, 0);
  g_assert_true (dd_outbox_mark_report (f->outbox,
                                        &(DdOutboxReport) { "test", "T-1", DD_MESSAGE_DELIVERED,
                                                            "2026-12-01T10:01:00Z", NULL },
                                        &changed, &error));
  g_assert_no_error (error);
  g_assert_true (changed);
  g_assert_true (dd_outbox_mark_report (f->outbox,
                                        &(DdOutboxReport) { "test", "T-1", DD_MESSAGE_FAILED, NULL,
                                                            "late" },
                                        &changed, &error));
  g_assert_false (changed);
  g_assert_false (dd_outbox_mark_report (f->outbox,
                                         &(DdOutboxReport) { "test", "nope", DD_MESSAGE_DELIVERED },
                                         NULL, &error));
  g_assert_error (error, DD_OUTBOX_ERROR, DD_OUTBOX_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE provider_id = 'T-1'"
                             " AND state = 'delivered' AND delivered_at = '2026-12-01T10:01:00Z'"),
                   ==, 1);

  g_assert_true (dd_outbox_get_counts (f->outbox, f->campaign_id, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.queued, ==, 1);
  g_assert_cmpuint (counts.deferred, ==, 1);
  g_assert_cmpuint (counts.delivered, ==, 1);
  g_assert_cmpuint (counts.failed, ==, 1);
  g_assert_cmpuint (counts.sending, ==, 0);
  g_assert_cmpuint (counts.parts, ==, 4);
  g_assert_cmpint (counts.cost_minor, ==, 16);

  /* the test inbox: what the provider accepted, newest first */
  {
    g_autoptr(GPtrArray) recent = dd_outbox_list_recent (f->outbox, "test", 10, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (recent->len, ==, 1);
    g_assert_cmpstr (((DdOutboxMessage *) g_ptr_array_index (recent, 0))->body, ==,
                     "Łukasz, zapłać");
  }

  /* cancelling the campaign cancels what is still queued */
  g_assert_true (dd_campaign_store_set_state (f->campaigns, f->campaign_id,
                                              DD_CAMPAIGN_CANCELLED, NULL, 2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE state = 'cancelled'"), ==, 1);
}

static void
test_replies_and_opt_out (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  gint64 case_id = 0;
  gboolean opt_out = TRUE;

  g_assert_true (dd_outbox_is_opt_out ("STOP"));
  g_assert_true (dd_outbox_is_opt_out ("  stop please"));
  g_assert_true (dd_outbox_is_opt_out ("Nie."));
  g_assert_true (dd_outbox_is_opt_out ("СТОП"));
  g_assert_true (dd_outbox_is_opt_out ("стоп!"));
  g_assert_false (dd_outbox_is_opt_out ("Zapłacę jutro, nie dzwońcie"));
  g_assert_false (dd_outbox_is_opt_out ("Stopień"));
  g_assert_false (dd_outbox_is_opt_out (""));

  enqueue_three (f, NULL);
  g_assert_true (dd_campaign_store_set_state (f->campaigns, f->campaign_id, DD_CAMPAIGN_RUNNING,
                                              NULL, 2, &error));
  claimed = dd_outbox_claim (f->outbox, 0, "2026-12-01T10:00:00Z", 10, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < claimed->len; i++)
    {
      DdOutboxMessage *m = g_ptr_array_index (claimed, i);
      g_autofree char *id = g_strdup_printf ("T-%" G_GINT64_FORMAT, m->id);

      g_assert_true (dd_outbox_mark_sent (f->outbox, m->id,
                                          &(DdOutboxSent) { "test", id, 1, -1, NULL }, &error));
      g_assert_no_error (error);
    }

  /* a plain reply lands in the timeline of the case it answers */
  g_assert_true (dd_outbox_record_reply (f->outbox, "+48601234567", "Zapłacę w piątek", NULL,
                                         &case_id, &opt_out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (case_id, ==, 1);
  g_assert_false (opt_out);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activity WHERE case_id = 1"
                             " AND kind = 'sms-reply' AND body = 'Zapłacę w piątek'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT opt_out FROM debtor WHERE id = 1"), ==, 0);

  /* СТОП sets the opt-out of the number's debtor */
  g_assert_true (dd_outbox_record_reply (f->outbox, "+79161234567", "СТОП", NULL, &case_id,
                                         &opt_out, &error));
  g_assert_no_error (error);
  g_assert_true (opt_out);
  g_assert_cmpint (case_id, ==, 3);
  g_assert_cmpint (count (f, "SELECT opt_out FROM debtor WHERE id = 2"), ==, 1);
  g_assert_cmpint (count (f, "SELECT SUM(replies) FROM message"), ==, 2);

  /* an unknown number: nothing to file it under, but no error */
  g_assert_true (dd_outbox_record_reply (f->outbox, "+48999999999", "STOP", NULL, &case_id,
                                         &opt_out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (case_id, ==, 0);
}

static void
test_plan_contacts (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(DdContactPolicy) ru = dd_contact_policy_new_preset ("ru-230fz");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) history = NULL;
  g_autofree char *zone = NULL;
  g_autoptr(GDateTime) at_time = g_date_time_new_from_iso8601 ("2026-11-24T09:00:00Z", NULL);
  gint64 at = g_date_time_to_unix (at_time);
  const gint64 cases[] = { 1, 2, 3 };
  const gint64 debtors[] = { 1, 1, 2 };
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                     dd_recipient_free);
  DdContactPlanCounts counts = { 0 };

  /* debtor 1 got a message this morning (through case 2); debtor 2 lives in New York */
  g_assert_true (dd_database_exec (f->base.db,
                                   "INSERT INTO message (case_id, e164, idempotency_key, body,"
                                   " state, sent_at, created_at, updated_at) VALUES (2,"
                                   " '+48601999999', 'morning', 'x', 'sent',"
                                   " '2026-11-24T07:00:00Z', 'x', 'x'), (2, '+48601999999',"
                                   " 'long-ago', 'x', 'sent', '2026-09-01T07:00:00Z', 'x', 'x');"
                                   "UPDATE debtor SET time_zone = 'America/New_York' WHERE id = 2",
                                   &error));
  g_assert_no_error (error);

  /* the history is the debtor's, through any case, within the period asked */
  history = dd_outbox_contact_history (f->outbox, 1, at - 38 * 86400, &zone, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 1);
  g_assert_cmpint (g_array_index (history, DdContactEvent, 0).channel, ==, DD_CONTACT_SMS);
  g_assert_null (zone);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DdRecipient *recipient = g_new0 (DdRecipient, 1);

      recipient->case_id = cases[i];
      recipient->debtor_id = debtors[i];
      g_ptr_array_add (recipients, recipient);
    }
  g_assert_true (dd_outbox_plan_contacts (f->outbox, ru, recipients, at, &counts, &error));
  g_assert_no_error (error);
  /* debtor 1: the second message of the day goes, the third waits; New York sleeps at 04:00 */
  g_assert_cmpuint (counts.allowed, ==, 1);
  g_assert_cmpuint (counts.deferred, ==, 2);
  g_assert_cmpuint (counts.skipped, ==, 0);
}

/* "host boot pid start" for the process @pid of this computer (as dd_claim_owner() says it). */
static char *
owner_of (GPid pid)
{
  g_auto(GStrv) mine = g_strsplit (dd_claim_owner (), " ", 4);
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;

  g_assert_true (g_file_get_contents (path, &stat, NULL, NULL));
  fields = g_strsplit (strrchr (stat, ')') + 1, " ", 0);
  return g_strdup_printf ("%s %s %d %s", mine[0], mine[1], (int) pid, fields[20]);
}

static void
set_holder (Fixture    *f,
            gint64      message_id,
            const char *owner,
            const char *heartbeat_at)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dd_database_execute (f->base.db, &error,
                                      "UPDATE message SET claimed_by = ?, heartbeat_at = ?"
                                      " WHERE id = ?",
                                      DD_TEXT (owner), DD_TEXT (heartbeat_at), DD_INT (message_id),
                                      DD_END));
  g_assert_no_error (error);
}

static guint
n_unsettled (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) unsettled = dd_outbox_list_unsettled (f->outbox, &error);

  g_assert_no_error (error);
  return unsettled->len;
}

/* On a shared database a desk that starts settles only the messages no live desk holds. */
static void
test_unsettled_held (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) old = g_date_time_add_minutes (now, -10);
  g_autofree char *now_text = g_date_time_format_iso8601 (now);
  g_autofree char *old_text = g_date_time_format_iso8601 (old);
  g_autofree char *alive = NULL;
  const char *argv[] = { "sleep", "60", NULL };
  GPid pid;
  gint64 a, b;
  guint added = 0;

  enqueue_three (f, &added);
  g_assert_true (dd_campaign_store_set_state (f->campaigns, f->campaign_id, DD_CAMPAIGN_RUNNING,
                                              NULL, 2, &error));
  g_assert_no_error (error);
  claimed = dd_outbox_claim (f->outbox, f->campaign_id, "2026-12-01T10:00:00Z", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 2);
  a = ((DdOutboxMessage *) g_ptr_array_index (claimed, 0))->id;
  b = ((DdOutboxMessage *) g_ptr_array_index (claimed, 1))->id;
  /* the claim names its holder */
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE state = 'sending'"
                             " AND claimed_by IS NOT NULL AND heartbeat_at IS NOT NULL"), ==, 2);

  /* another desk of this computer, running: held; once it is gone, left behind */
  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                &pid, &error));
  g_assert_no_error (error);
  alive = owner_of (pid);
  set_holder (f, a, alive, old_text);
  set_holder (f, b, alive, old_text);
  g_assert_cmpuint (n_unsettled (f), ==, 0);
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
  g_assert_cmpuint (n_unsettled (f), ==, 2);
  /* ...and taken over by the desk that listed them */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM message WHERE state = 'sending'"
                                            " AND claimed_by = '%s'", dd_claim_owner ());

    g_assert_cmpint (count (f, sql), ==, 2);
  }

  /* a desk on another computer: held while it is heard of, left after the lease */
  set_holder (f, a, "reception-pc 9e1a 4242 1234", now_text);
  set_holder (f, b, "reception-pc 9e1a 4242 1234", old_text);
  g_assert_cmpuint (n_unsettled (f), ==, 1);
  /* this process's heartbeat keeps what it holds */
  g_assert_true (dd_outbox_heartbeat (f->outbox, now_text, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE state = 'sending'"
                             " AND heartbeat_at >= (SELECT heartbeat_at FROM message"
                             " WHERE claimed_by LIKE 'reception-pc%')"), ==, 2);

  /* rows of before schema 25: no holder */
  set_holder (f, a, NULL, NULL);
  set_holder (f, b, NULL, NULL);
  g_assert_cmpuint (n_unsettled (f), ==, 2);
}

/* The back-off used up on passing errors: the messages wait (not failed, the campaign not
 * complete); released, they go again under the same key, except to a case closed meanwhile. */
static void
test_waiting_for_provider (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autofree char *key = NULL;
  DdOutboxCounts counts;
  guint released = 0;

  enqueue_three (f, NULL);
  g_assert_true (dd_campaign_store_set_state (f->campaigns, f->campaign_id, DD_CAMPAIGN_RUNNING,
                                              NULL, 2, &error));
  claimed = dd_outbox_claim (f->outbox, 0, "2026-12-01T10:00:00Z", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 2);
  for (guint i = 0; i < claimed->len; i++)
    {
      DdOutboxMessage *m = g_ptr_array_index (claimed, i);

      if (m->case_id == 1)
        key = g_strdup (m->idempotency_key);
      g_assert_true (dd_outbox_mark_waiting (f->outbox, m->id, "2099-06-01T00:00:00Z",
                                             "Could not reach SMSAPI", &error));
      g_assert_no_error (error);
    }
  g_clear_pointer (&claimed, g_ptr_array_unref);
  g_assert_true (dd_outbox_get_counts (f->outbox, f->campaign_id, &counts, &error));
  g_assert_cmpuint (counts.queued, ==, 3);
  g_assert_cmpuint (counts.waiting, ==, 2);
  g_assert_cmpuint (counts.deferred, ==, 1);
  g_assert_cmpuint (counts.failed, ==, 0);
  g_assert_cmpuint (dd_campaign_store_complete_finished (f->campaigns, &error), ==, 0);
  g_assert_no_error (error);
  claimed = dd_outbox_claim (f->outbox, 0, "2026-12-01T11:00:00Z", 10, &error);
  g_assert_cmpuint (claimed->len, ==, 0);
  g_clear_pointer (&claimed, g_ptr_array_unref);

  /* Иван's case closed meanwhile; then the provider answers again */
  g_assert_true (dd_database_exec (f->base.db, "UPDATE debt_case SET status = 'closed'"
                                               " WHERE id = 3", &error));
  g_assert_true (dd_outbox_release_waiting (f->outbox, f->campaign_id, &released, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (released, ==, 2);
  claimed = dd_outbox_claim (f->outbox, 0, "2026-12-01T11:00:00Z", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 1);
  g_assert_cmpint (((DdOutboxMessage *) claimed->pdata[0])->case_id, ==, 1);
  g_assert_cmpstr (((DdOutboxMessage *) claimed->pdata[0])->idempotency_key, ==, key);
  g_assert_cmpuint (((DdOutboxMessage *) claimed->pdata[0])->attempts, ==, 2);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE case_id = 3"
                             " AND state = 'cancelled' AND error_code = 'case-settled'"), ==, 1);

  /* failed on a passing error (an older version gave up): sent again; refused: stays */
  g_assert_true (dd_outbox_mark_failed (f->outbox, ((DdOutboxMessage *) claimed->pdata[0])->id,
                                        "timeout", "SMSAPI did not answer", &error));
  g_assert_true (dd_outbox_get_counts (f->outbox, f->campaign_id, &counts, &error));
  g_assert_cmpuint (counts.failed_passing, ==, 1);
  g_assert_true (dd_outbox_send_failed_again (f->outbox, f->campaign_id, &released, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (released, ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM message WHERE case_id = 1"
                             " AND state = 'queued' AND error_code = 'provider-unreachable'"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/dd/outbox/plan-contacts", Fixture, NULL, fixture_setup, test_plan_contacts,
              fixture_teardown);
  g_test_add ("/dd/outbox/lifecycle", Fixture, NULL, fixture_setup, test_lifecycle,
              fixture_teardown);
  g_test_add ("/dd/outbox/unsettled-held", Fixture, NULL, fixture_setup, test_unsettled_held,
              fixture_teardown);
  g_test_add ("/dd/outbox/replies-opt-out", Fixture, NULL, fixture_setup,
              test_replies_and_opt_out, fixture_teardown);
  g_test_add ("/dd/outbox/waiting-for-provider", Fixture, NULL, fixture_setup,
              test_waiting_for_provider, fixture_teardown);

  return g_test_run ();
}
