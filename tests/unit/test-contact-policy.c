/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-contact-policy.h"

#include <string.h>

/* Unix time of a local time in @zone. */
static gint64
local_time (const char *zone_name,
            int         year,
            int         month,
            int         day,
            int         hour,
            int         minute)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (zone_name);
  g_autoptr(GDateTime) when = g_date_time_new (zone, year, month, day, hour, minute, 0);

  return g_date_time_to_unix (when);
}

static char *
format_local (const char *zone_name,
              gint64      unix_time)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (zone_name);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);

  return g_date_time_format (local, "%Y-%m-%d %H:%M %a");
}

static void
assert_next (const DdContactPolicy *policy,
             DdContactChannel       channel,
             const char            *zone,
             gint64                 at,
             const DdContactEvent  *history,
             gsize                  n_history,
             DdContactVerdict       expected_verdict,
             const char            *expected_local)
{
  gint64 next = -1;
  DdContactVerdict verdict = dd_contact_policy_check (policy, channel, zone, at, history,
                                                      n_history, 62, &next);
  g_autofree char *text = NULL;

  g_assert_cmpint (verdict, ==, expected_verdict);
  if (expected_local == NULL)
    return;
  text = format_local (zone, next);
  g_assert_cmpstr (text, ==, expected_local);
}

static void
test_presets (void)
{
  g_autoptr(DdContactPolicy) ru = dd_contact_policy_new_preset ("ru-230fz");
  g_autoptr(DdContactPolicy) pl = dd_contact_policy_new_preset ("pl");

  g_assert_null (dd_contact_policy_new_preset ("xx"));
  g_assert_cmpuint (ru->caps[DD_CONTACT_SMS].per_day, ==, 2);
  g_assert_cmpuint (ru->caps[DD_CONTACT_SMS].per_week, ==, 4);
  g_assert_cmpuint (ru->caps[DD_CONTACT_SMS].per_month, ==, 16);
  g_assert_cmpuint (ru->caps[DD_CONTACT_CALL].per_day, ==, 1);
  g_assert_cmpuint (ru->caps[DD_CONTACT_CALL].per_week, ==, 2);
  g_assert_cmpuint (ru->caps[DD_CONTACT_CALL].per_month, ==, 8);
  g_assert_cmpuint (ru->windows[DD_DAY_WORKING].start_min, ==, 8 * 60);
  g_assert_cmpuint (ru->windows[DD_DAY_WORKING].end_min, ==, 22 * 60);
  g_assert_cmpuint (ru->windows[DD_DAY_WEEKEND].start_min, ==, 9 * 60);
  g_assert_cmpuint (ru->windows[DD_DAY_HOLIDAY].end_min, ==, 20 * 60);
  g_assert_true (ru->windows[DD_DAY_HOLIDAY].enabled);
  g_assert_false (pl->windows[DD_DAY_HOLIDAY].enabled);
  g_assert_cmpuint (pl->total.per_day, ==, 1);
  g_assert_true (dd_contact_policy_validate (ru, NULL));
  g_assert_true (dd_contact_policy_validate (pl, NULL));
  g_assert_cmpstr (dd_contact_policy_preset_for_country ("RU"), ==, "ru-230fz");
  g_assert_cmpstr (dd_contact_policy_preset_for_country ("PL"), ==, "pl");
}

static gboolean
is_holiday (const char *country,
            int         year,
            int         month,
            int         day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return dd_contact_policy_is_public_holiday (country, &date);
}

static void
test_holidays (void)
{
  /* Easter Sunday and Monday */
  g_assert_true (is_holiday ("PL", 2024, 3, 31));
  g_assert_true (is_holiday ("PL", 2024, 4, 1));
  g_assert_true (is_holiday ("PL", 2025, 4, 20));
  g_assert_true (is_holiday ("PL", 2026, 4, 5));
  g_assert_true (is_holiday ("PL", 2026, 4, 6));
  g_assert_false (is_holiday ("PL", 2026, 4, 7));
  /* Pentecost Sunday and Corpus Christi 2026 */
  g_assert_true (is_holiday ("PL", 2026, 5, 24));
  g_assert_true (is_holiday ("PL", 2026, 6, 4));
  g_assert_false (is_holiday ("PL", 2026, 6, 5));
  /* fixed days; Christmas Eve only from 2025 */
  g_assert_true (is_holiday ("PL", 2026, 11, 11));
  g_assert_true (is_holiday ("PL", 2026, 5, 3));
  g_assert_true (is_holiday ("PL", 2025, 12, 24));
  g_assert_false (is_holiday ("PL", 2024, 12, 24));
  /* Russia */
  g_assert_true (is_holiday ("RU", 2026, 1, 5));
  g_assert_false (is_holiday ("RU", 2026, 1, 9));
  g_assert_true (is_holiday ("RU", 2026, 6, 12));
  g_assert_true (is_holiday ("RU", 2026, 11, 4));
  g_assert_false (is_holiday ("RU", 2026, 4, 5));
  g_assert_false (is_holiday (NULL, 2026, 1, 1));
}

static void
test_windows (void)
{
  g_autoptr(DdContactPolicy) pl = dd_contact_policy_new_preset ("pl");
  const char *w = "Europe/Warsaw";

  /* Tuesday 24 Nov 2026 */
  assert_next (pl, DD_CONTACT_SMS, w, local_time (w, 2026, 11, 24, 10, 0), NULL, 0,
               DD_CONTACT_ALLOWED, "2026-11-24 10:00 Tue");
  assert_next (pl, DD_CONTACT_SMS, w, local_time (w, 2026, 11, 24, 6, 30), NULL, 0,
               DD_CONTACT_DEFER_WINDOW, "2026-11-24 08:00 Tue");
  assert_next (pl, DD_CONTACT_SMS, w, local_time (w, 2026, 11, 24, 20, 0), NULL, 0,
               DD_CONTACT_DEFER_WINDOW, "2026-11-25 08:00 Wed");
  /* Friday evening → Saturday 10:00 (weekend hours) */
  assert_next (pl, DD_CONTACT_SMS, w, local_time (w, 2026, 11, 27, 21, 0), NULL, 0,
               DD_CONTACT_DEFER_WINDOW, "2026-11-28 10:00 Sat");
  /* Saturday 17:00 → Sunday 10:00 */
  assert_next (pl, DD_CONTACT_SMS, w, local_time (w, 2026, 11, 28, 17, 0), NULL, 0,
               DD_CONTACT_DEFER_WINDOW, "2026-11-29 10:00 Sun");
  /* 10 Nov evening: 11 Nov is a holiday (no contact in the Polish preset) → 12 Nov */
  assert_next (pl, DD_CONTACT_SMS, w, local_time (w, 2026, 11, 10, 21, 0), NULL, 0,
               DD_CONTACT_DEFER_WINDOW, "2026-11-12 08:00 Thu");
  /* Easter weekend 2026: Saturday 4 Apr 17:00 → Tuesday 7 Apr 08:00 */
  assert_next (pl, DD_CONTACT_SMS, w, local_time (w, 2026, 4, 4, 17, 0), NULL, 0,
               DD_CONTACT_DEFER_WINDOW, "2026-04-07 08:00 Tue");
}

static void
test_dst_and_zones (void)
{
  g_autoptr(DdContactPolicy) ru = dd_contact_policy_new_preset ("ru-230fz");
  g_autoptr(DdContactPolicy) pl = dd_contact_policy_new_preset ("pl");
  const char *w = "Europe/Warsaw";
  gint64 at;
  gint64 next = 0;

  /* the night clocks go forward (Sunday 29 Mar 2026): Saturday 20:00 → Sunday 10:00 CEST */
  assert_next (pl, DD_CONTACT_SMS, w, local_time (w, 2026, 3, 28, 20, 0), NULL, 0,
               DD_CONTACT_DEFER_WINDOW, "2026-03-29 10:00 Sun");
  /* and back (25 Oct 2026) */
  assert_next (pl, DD_CONTACT_SMS, w, local_time (w, 2026, 10, 24, 20, 0), NULL, 0,
               DD_CONTACT_DEFER_WINDOW, "2026-10-25 10:00 Sun");

  /* one moment, two debtors: 07:30 in Kaliningrad is 14:30 in Vladivostok */
  at = local_time ("Europe/Kaliningrad", 2026, 11, 24, 7, 30);
  g_assert_cmpint (dd_contact_policy_check (ru, DD_CONTACT_CALL, "Europe/Kaliningrad", at, NULL,
                                            0, 30, &next), ==, DD_CONTACT_DEFER_WINDOW);
  g_assert_cmpint (next, ==, local_time ("Europe/Kaliningrad", 2026, 11, 24, 8, 0));
  g_assert_cmpint (dd_contact_policy_check (ru, DD_CONTACT_CALL, "Asia/Vladivostok", at, NULL, 0,
                                            30, &next), ==, DD_CONTACT_ALLOWED);
  g_assert_cmpint (next, ==, at);
  /* 21:30 in Moscow is allowed on a working day, 22:30 is not */
  assert_next (ru, DD_CONTACT_SMS, "Europe/Moscow",
               local_time ("Europe/Moscow", 2026, 11, 24, 21, 30), NULL, 0,
               DD_CONTACT_ALLOWED, NULL);
  assert_next (ru, DD_CONTACT_SMS, "Europe/Moscow",
               local_time ("Europe/Moscow", 2026, 11, 24, 22, 30), NULL, 0,
               DD_CONTACT_DEFER_WINDOW, "2026-11-25 08:00 Wed");
  /* no zone: the policy's own (Moscow) */
  assert_next (ru, DD_CONTACT_SMS, NULL,
               local_time ("Europe/Moscow", 2026, 11, 24, 22, 30), NULL, 0,
               DD_CONTACT_DEFER_WINDOW, NULL);
}

static void
test_caps (void)
{
  g_autoptr(DdContactPolicy) ru = dd_contact_policy_new_preset ("ru-230fz");
  const char *m = "Europe/Moscow";
  DdContactEvent history[16];
  gsize n = 0;

  /* two messages on Tuesday morning: a third waits for Wednesday 08:00 */
  history[n++] = (DdContactEvent) { DD_CONTACT_SMS, local_time (m, 2026, 11, 24, 9, 0) };
  history[n++] = (DdContactEvent) { DD_CONTACT_SMS, local_time (m, 2026, 11, 24, 10, 0) };
  assert_next (ru, DD_CONTACT_SMS, m, local_time (m, 2026, 11, 24, 12, 0), history, n,
               DD_CONTACT_DEFER_CAP, "2026-11-25 08:00 Wed");
  /* a call is another channel: still allowed today */
  assert_next (ru, DD_CONTACT_CALL, m, local_time (m, 2026, 11, 24, 12, 0), history, n,
               DD_CONTACT_ALLOWED, "2026-11-24 12:00 Tue");

  /* four in the ISO week (Mon 23 – Sun 29 Nov): the next on Monday 30 Nov 08:00 */
  history[n++] = (DdContactEvent) { DD_CONTACT_SMS, local_time (m, 2026, 11, 23, 9, 0) };
  history[n++] = (DdContactEvent) { DD_CONTACT_SMS, local_time (m, 2026, 11, 23, 10, 0) };
  assert_next (ru, DD_CONTACT_SMS, m, local_time (m, 2026, 11, 26, 12, 0), history, n,
               DD_CONTACT_DEFER_CAP, "2026-11-30 08:00 Mon");

  /* calls: one a day, two a week */
  n = 0;
  history[n++] = (DdContactEvent) { DD_CONTACT_CALL, local_time (m, 2026, 11, 23, 9, 0) };
  assert_next (ru, DD_CONTACT_CALL, m, local_time (m, 2026, 11, 23, 15, 0), history, n,
               DD_CONTACT_DEFER_CAP, "2026-11-24 08:00 Tue");
  history[n++] = (DdContactEvent) { DD_CONTACT_CALL, local_time (m, 2026, 11, 24, 9, 0) };
  assert_next (ru, DD_CONTACT_CALL, m, local_time (m, 2026, 11, 25, 9, 0), history, n,
               DD_CONTACT_DEFER_CAP, "2026-11-30 08:00 Mon");

  /* eight calls in November: the next in December (Tuesday 1 Dec 08:00) */
  n = 0;
  for (int week = 0; week < 4; week++)
    for (int d = 0; d < 2; d++)
      history[n++] = (DdContactEvent) { DD_CONTACT_CALL,
                                        local_time (m, 2026, 11, 2 + week * 7 + d, 10, 0) };
  assert_next (ru, DD_CONTACT_CALL, m, local_time (m, 2026, 11, 30, 10, 0), history, n,
               DD_CONTACT_DEFER_CAP, "2026-12-01 08:00 Tue");

  /* the Polish total counts every channel */
  {
    g_autoptr(DdContactPolicy) pl = dd_contact_policy_new_preset ("pl");
    const char *w = "Europe/Warsaw";
    DdContactEvent call = { DD_CONTACT_CALL, local_time (w, 2026, 11, 24, 9, 0) };

    assert_next (pl, DD_CONTACT_SMS, w, local_time (w, 2026, 11, 24, 12, 0), &call, 1,
                 DD_CONTACT_DEFER_CAP, "2026-11-25 08:00 Wed");
  }
}

static void
test_skip_beyond_horizon (void)
{
  g_autoptr(DdContactPolicy) ru = dd_contact_policy_new_preset ("ru-230fz");
  const char *m = "Europe/Moscow";
  DdContactEvent history[8];
  gint64 next = -1;

  for (int i = 0; i < 8; i++)
    history[i] = (DdContactEvent) { DD_CONTACT_CALL, local_time (m, 2026, 11, 2 + i, 10, 0) };
  /* the month is used up; 3 days of horizon do not reach December */
  g_assert_cmpint (dd_contact_policy_check (ru, DD_CONTACT_CALL, m,
                                            local_time (m, 2026, 11, 20, 10, 0), history, 8, 3,
                                            &next), ==, DD_CONTACT_SKIP);
  g_assert_cmpint (next, ==, 0);
}

static void
test_json (void)
{
  g_autoptr(DdContactPolicy) ru = dd_contact_policy_new_preset ("ru-230fz");
  g_autoptr(DdContactPolicy) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;
  GDate transfer;

  g_date_clear (&transfer, 1);
  g_date_set_dmy (&transfer, 4, 5, 2026);
  dd_contact_policy_add_holiday (ru, &transfer);
  ru->windows[DD_DAY_WORKING].start_min = 8 * 60 + 30;
  json = dd_contact_policy_to_json (ru);
  g_assert_nonnull (strstr (json, "\"08:30\""));
  g_assert_nonnull (strstr (json, "\"2026-05-04\""));
  back = dd_contact_policy_from_json (json, &error);
  g_assert_no_error (error);
  again = dd_contact_policy_to_json (back);
  g_assert_cmpstr (json, ==, again);
  g_assert_cmpint (dd_contact_policy_classify_day (back, &transfer), ==, DD_DAY_HOLIDAY);
  g_assert_cmpuint (back->caps[DD_CONTACT_CALL].per_month, ==, 8);
}

static void
test_bad_json (void)
{
  static const char *const bad[] = {
    "",
    "[]",
    "{\"version\":2,\"windows\":{}}",
    "{\"version\":1}",
    "{\"version\":1,\"windows\":{\"working\":{\"enabled\":true,\"start\":\"8\",\"end\":\"20:00\"}}}",
    "{\"version\":1,\"windows\":{\"working\":{\"enabled\":true,\"start\":\"20:00\",\"end\":\"08:00\"}}}",
    "{\"version\":1,\"windows\":{\"working\":{\"enabled\":true,\"start\":\"08:00\",\"end\":\"20:00\"}},"
      "\"caps\":{\"sms\":{\"day\":5,\"week\":2}}}",
    "{\"version\":1,\"windows\":{\"working\":{\"enabled\":true,\"start\":\"08:00\",\"end\":\"20:00\"}},"
      "\"caps\":{\"call\":{\"day\":\"one\"}}}",
    "{\"version\":1,\"zone\":\"Mars/Olympus\",\"windows\":{\"working\":{\"enabled\":true,"
      "\"start\":\"08:00\",\"end\":\"20:00\"}}}",
    "{\"version\":1,\"extra_holidays\":[\"2026-02-30\"],\"windows\":{\"working\":{\"enabled\":true,"
      "\"start\":\"08:00\",\"end\":\"20:00\"}}}",
    "{\"version\":1,\"windows\":{\"holiday\":{\"enabled\":true,\"start\":\"08:00\",\"end\":\"20:00\"}}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DdContactPolicy) policy = dd_contact_policy_from_json (bad[i], &error);

      g_test_message ("%s", bad[i]);
      g_assert_null (policy);
      g_assert_true (error != NULL && error->domain == DD_CONTACT_POLICY_ERROR);
      g_assert_cmpuint (strlen (error->message), >, 10);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dd/contact-policy/presets", test_presets);
  g_test_add_func ("/dd/contact-policy/holidays", test_holidays);
  g_test_add_func ("/dd/contact-policy/windows", test_windows);
  g_test_add_func ("/dd/contact-policy/dst-and-zones", test_dst_and_zones);
  g_test_add_func ("/dd/contact-policy/caps", test_caps);
  g_test_add_func ("/dd/contact-policy/skip-beyond-horizon", test_skip_beyond_horizon);
  g_test_add_func ("/dd/contact-policy/json", test_json);
  g_test_add_func ("/dd/contact-policy/bad-json", test_bad_json);
  return g_test_run ();
}
