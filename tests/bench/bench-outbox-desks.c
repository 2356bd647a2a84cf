/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * Desks claiming one campaign's outbox at once on the shared database (issue 19): DD_BENCH_DESKS
 * processes (default 10), each with its own connection, claim the queued messages of one
 * running campaign in batches of 20 (SELECT … FOR UPDATE SKIP LOCKED) and mark each sent, as
 * the dispatcher does, until none is left. Prints messages per second for one desk and for all
 * of them, and fails when a message was claimed twice or left behind. Runs under
 * tests/run-with-postgresql.sh (DD_TEST_POSTGRESQL); DD_BENCH_MESSAGES sets the size (default
 * 20,000).
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dd-campaign-store.h"
#include "dd-database.h"
#include "dd-outbox.h"
#include "dd-test-db.h"

#define BATCH 20

static void
check (gboolean  ok,
       GError   *error)
{
  if (!ok)
    {
      g_printerr ("bench-outbox-desks: %s\n", error != NULL ? error->message : "failed");
      exit (1);
    }
}

/* One desk: claims and marks sent until the campaign has nothing queued; writes the ids it
 * claimed, one a line, to @path. */
static int
desk (const char *uri,
      gint64      campaign_id,
      const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdDatabase) db = dd_database_open (uri, &error);
  g_autoptr(DdOutbox) outbox = NULL;
  FILE *out = fopen (path, "w");

  check (db != NULL && out != NULL, error);
  outbox = dd_outbox_new (db);
  for (;;)
    {
      g_autofree char *now = dd_timestamp_now ();
      g_autoptr(GPtrArray) claimed = dd_outbox_claim (outbox, campaign_id, now, BATCH, &error);

      check (claimed != NULL, error);
      if (claimed->len == 0)
        break;
      for (guint i = 0; i < claimed->len; i++)
        {
          DdOutboxMessage *m = g_ptr_array_index (claimed, i);
          g_autofree char *provider_id = g_strdup_printf ("B-%" G_GINT64_FORMAT, m->id);

          check (dd_outbox_mark_sent (outbox, m->id,
                                      &(DdOutboxSent) { "bench", provider_id, 1, 16, "PLN" },
                                      &error), error);
          fprintf (out, "%" G_GINT64_FORMAT "\n", m->id);
        }
    }
  fclose (out);
  return 0;
}

/* @n_desks processes send the campaign; returns messages per second. */
static double
run (const char *uri,
     gint64      campaign_id,
     guint       n_desks,
     gint64      n_messages,
     const char *dir)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DdDatabase) db = NULL;
  gint64 started = g_get_monotonic_time (), sent = 0, twice = 0;
  double seconds, rate;

  for (guint d = 0; d < n_desks; d++)
    {
      g_autofree char *path = g_strdup_printf ("%s/desk-%u", dir, d);
      pid_t pid = fork ();

      if (pid == 0)
        _exit (desk (uri, campaign_id, path));
      check (pid > 0, NULL);
    }
  for (guint d = 0; d < n_desks; d++)
    {
      int status = 0;

      check (wait (&status) > 0 && WIFEXITED (status) && WEXITSTATUS (status) == 0, NULL);
    }
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;

  for (guint d = 0; d < n_desks; d++)
    {
      g_autofree char *path = g_strdup_printf ("%s/desk-%u", dir, d);
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;

      check (g_file_get_contents (path, &text, NULL, &error), error);
      lines = g_strsplit (text, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          gint64 *id;

          if (*lines[i] == '\0')
            continue;
          id = g_new (gint64, 1);
          *id = g_ascii_strtoll (lines[i], NULL, 10);
          if (!g_hash_table_add (seen, id))
            twice++;
        }
    }
  db = dd_database_open (uri, &error);
  check (db != NULL, error);
  check (dd_database_fetch_int64 (db, &sent, NULL, &error,
                                  "SELECT COUNT(*) FROM message WHERE campaign_id = ?"
                                  " AND state = 'sent'", DD_INT (campaign_id), DD_END), error);
  rate = n_messages / seconds;
  g_print ("# %u desk(s): %" G_GINT64_FORMAT " messages claimed and marked sent in %.2f s:"
           " %.0f messages/s; %" G_GINT64_FORMAT " claimed twice, %" G_GINT64_FORMAT " sent\n",
           n_desks, (gint64) g_hash_table_size (seen), seconds, rate, twice, sent);
  check (twice == 0 && (gint64) g_hash_table_size (seen) == n_messages && sent == n_messages,
         NULL);
  return rate;
}

static gint64
make_campaign (DdDatabase *db,
               const char *name,
               gint64      n_messages,
               gint64      first_key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdCampaignStore) campaigns = dd_campaign_store_new (db);
  g_autofree char *sql = NULL;
  DdCampaign campaign = { .name = (char *) name, .kind = (char *) "sms",
                          .template_text = (char *) "{name}, zapłać {amount}",
                          .sender = (char *) "Biuro", .gateway = (char *) "test" };
  gint64 campaign_id = 0;

  check (dd_campaign_store_create (campaigns, &campaign, 1, &campaign_id, &error), error);
  sql = g_strdup_printf ("INSERT INTO message (campaign_id, case_id, e164, idempotency_key, body,"
                         " created_at, updated_at)"
                         " SELECT %" G_GINT64_FORMAT ", g, '+4860' || lpad (g::text, 7, '0'),"
                         " 'bench-' || (g + %" G_GINT64_FORMAT "), 'Zapłać, proszę',"
                         " '2026-12-01T08:00:00Z', '2026-12-01T08:00:00Z'"
                         " FROM generate_series (1, %" G_GINT64_FORMAT ") g",
                         campaign_id, first_key, n_messages);
  check (dd_database_exec (db, sql, &error), error);
  check (dd_campaign_store_set_state (campaigns, campaign_id, DD_CAMPAIGN_RUNNING, NULL, 1,
                                      &error), error);
  return campaign_id;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdDatabase) db = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *dir = NULL;
  const char *env_desks = g_getenv ("DD_BENCH_DESKS");
  const char *env_messages = g_getenv ("DD_BENCH_MESSAGES");
  guint n_desks = env_desks != NULL ? (guint) g_ascii_strtoull (env_desks, NULL, 10) : 10;
  gint64 n = env_messages != NULL ? g_ascii_strtoll (env_messages, NULL, 10) : 20000;
  gint64 one, all;
  double one_rate, all_rate;

  if (!dd_test_uses_postgresql ())
    {
      g_print ("1..0 # SKIP needs tests/run-with-postgresql.sh\n");
      return 77;
    }
  uri = dd_test_database_location ("bench-outbox-desks");
  db = dd_database_open (uri, &error);
  check (db != NULL, error);
  sql = g_strdup_printf ("INSERT INTO agent (id, name, role, created_at)"
                         " VALUES (1, 'Zofia Nowak', 'manager', '2026-12-01T08:00:00Z');"
                         "INSERT INTO creditor (id, name, created_at)"
                         " VALUES (1, 'Hurtownia Nowak', '2026-12-01T08:00:00Z');"
                         "INSERT INTO debtor (id, dedup_key, name, created_at, updated_at)"
                         " SELECT g, 'k' || g, 'Dłużnik ' || g, '2026-12-01T08:00:00Z',"
                         " '2026-12-01T08:00:00Z' FROM generate_series (1, %" G_GINT64_FORMAT
                         ") g;"
                         "INSERT INTO debt_case (id, debtor_id, creditor_id, status, currency,"
                         " balance_minor, debtor_name, created_at, updated_at)"
                         " SELECT g, g, 1, 'new', 'PLN', 10000, 'Dłużnik ' || g,"
                         " '2026-12-01T08:00:00Z', '2026-12-01T08:00:00Z'"
                         " FROM generate_series (1, %" G_GINT64_FORMAT ") g", n, n);
  check (dd_database_exec (db, sql, &error), error);
  one = make_campaign (db, "One desk", n, 0);
  all = make_campaign (db, "All desks", n, n);
  g_clear_object (&db);   /* no connection is shared with the children */

  dir = g_dir_make_tmp ("dd-bench-desks-XXXXXX", &error);
  check (dir != NULL, error);
  one_rate = run (uri, one, 1, n, dir);
  all_rate = run (uri, all, n_desks, n, dir);
  g_print ("# %u desks: %.1f times one desk\n", n_desks, all_rate / one_rate);
  for (guint d = 0; d < n_desks; d++)
    {
      g_autofree char *path = g_strdup_printf ("%s/desk-%u", dir, d);

      g_unlink (path);
    }
  g_rmdir (dir);
  g_print ("1..1\nok 1 - %u desks claimed %" G_GINT64_FORMAT " messages, none twice\n",
           n_desks, n);
  return 0;
}
