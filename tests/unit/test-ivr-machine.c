/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-ivr-machine"

#include "config.h"

#include "dd-ivr-machine.h"
#include "dd-money.h"

#include <glib.h>

#include <string.h>

/* Drives a machine and writes the actions of each event as one line:
 *   "play:TEXT" (no barge-in) / "play*:TEXT" (barge-in) / "file:PATH" / "timer:MS" /
 *   "stop-timer" / "stop-play" / "collect:MIN-MAX" / "transfer:QUEUE" / "sms:TEXT" /
 *   "declare:MINOR CUR YYYY-MM-DD" / "status:S" / "hang-up", joined by " | ".
 * Timer ids are checked here: a stop is for the running timer, a start gets a fresh id. */
typedef struct
{
  DdIvrMachine *machine;
  guint         timer;        /* the running timer, 0 if none */
  guint         last_timer;
  gboolean      playing;
} Call;

static char *
describe (Call      *call,
          GPtrArray *actions)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < actions->len; i++)
    {
      const DdIvrAction *a = g_ptr_array_index (actions, i);

      if (out->len > 0)
        g_string_append (out, " | ");
      /* Only the hang-up of a flow without a start comes from no node. */
      g_assert_true (a->node_id != NULL || a->type == DD_IVR_ACTION_HANG_UP);

      switch (a->type)
        {
        case DD_IVR_ACTION_PLAY:
          if (a->file != NULL)
            g_string_append_printf (out, "file:%s", a->file);
          else
            g_string_append_printf (out, "play%s:%s", a->barge_in ? "*" : "", a->text);
          g_assert_false (call->playing);
          call->playing = TRUE;
          break;
        case DD_IVR_ACTION_STOP_PLAYBACK:
          g_string_append (out, "stop-play");
          g_assert_true (call->playing);
          call->playing = FALSE;
          break;
        case DD_IVR_ACTION_START_TIMER:
          g_string_append_printf (out, "timer:%u", a->timeout_ms);
          g_assert_cmpuint (call->timer, ==, 0);
          g_assert_cmpuint (a->timer_id, >, call->last_timer);
          call->timer = call->last_timer = a->timer_id;
          break;
        case DD_IVR_ACTION_STOP_TIMER:
          g_string_append (out, "stop-timer");
          g_assert_cmpuint (a->timer_id, ==, call->timer);
          call->timer = 0;
          break;
        case DD_IVR_ACTION_COLLECT:
          g_string_append_printf (out, "collect:%u-%u", a->min_digits, a->max_digits);
          break;
        case DD_IVR_ACTION_TRANSFER:
          g_string_append_printf (out, "transfer:%s", a->queue);
          break;
        case DD_IVR_ACTION_SEND_SMS:
          g_string_append_printf (out, "sms:%s", a->text);
          break;
        case DD_IVR_ACTION_RECORD_DECLARATION:
          {
            char date[16];

            g_date_strftime (date, sizeof date, "%Y-%m-%d", &a->date);
            g_string_append_printf (out, "declare:%" G_GINT64_FORMAT " %s %s", a->amount_minor,
                                    a->currency, date);
          }
          break;
        case DD_IVR_ACTION_SET_STATUS:
          g_string_append_printf (out, "status:%s", a->status);
          break;
        case DD_IVR_ACTION_HANG_UP:
          g_string_append (out, "hang-up");
          break;
        default:
          g_assert_not_reached ();
        }
    }

  return g_strdup (out->str);
}

static char *
answered (Call *call)
{
  g_autoptr(GPtrArray) actions = dd_ivr_machine_answered (call->machine);

  return describe (call, actions);
}

static char *
done (Call *call)
{
  g_autoptr(GPtrArray) actions = dd_ivr_machine_playback_done (call->machine);

  /* The host reports the end of what it played. */
  if (call->playing)
    call->playing = FALSE;

  return describe (call, actions);
}

static char *
press (Call       *call,
       const char *keys)
{
  g_autoptr(GString) all = g_string_new (NULL);

  for (const char *k = keys; *k != '\0'; k++)
    {
      g_autoptr(GPtrArray) actions = dd_ivr_machine_dtmf (call->machine, *k);
      g_autofree char *line = describe (call, actions);

      if (line[0] != '\0')
        g_string_append_printf (all, "%s%s", all->len > 0 ? " || " : "", line);
    }

  return g_strdup (all->str);
}

static char *
timeout (Call *call)
{
  g_autoptr(GPtrArray) actions = NULL;
  guint timer = call->timer;

  g_assert_cmpuint (timer, !=, 0);
  call->timer = 0;
  actions = dd_ivr_machine_timeout (call->machine, timer);

  return describe (call, actions);
}

static char *
transfer_result (Call     *call,
                 gboolean  answered_by_agent)
{
  g_autoptr(GPtrArray) actions = dd_ivr_machine_transfer_result (call->machine,
                                                                 answered_by_agent);

  return describe (call, actions);
}

#define CHECK(expr, expected)                          \
  G_STMT_START {                                       \
    g_autofree char *_line = (expr);                   \
    g_assert_cmpstr (_line, ==, (expected));           \
  } G_STMT_END

static DdIvrCaseInfo *
case_info (const char *language)
{
  DdIvrCaseInfo *info = dd_ivr_case_info_new ();

  g_free (info->language);
  info->language = g_strdup (language);
  info->name = g_strdup ("Jan Kowalski");
  info->creditor = g_strdup ("Acme");
  info->invoice = g_strdup ("FV/1");
  info->amount_minor = 123456;
  info->balance_minor = 200;
  g_date_set_dmy (&info->due_date, 15, G_DATE_MARCH, 2026);
  info->payment_link = g_strdup ("https://pay.example/x");
  info->agent_phone = g_strdup ("+48 22");

  return info;
}

static GDateTime *
warsaw (int year,
        int month,
        int day,
        int hour,
        int minute)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Warsaw");

  return g_date_time_new (zone, year, month, day, hour, minute, 0);
}

static void
call_init (Call       *call,
           DdIvrFlow  *flow,
           const char *language,
           GDateTime  *now)
{
  g_autoptr(DdIvrCaseInfo) info = case_info (language);

  memset (call, 0, sizeof *call);
  call->machine = dd_ivr_machine_new (flow, info, now);
  g_assert_cmpint (dd_ivr_machine_get_state (call->machine), ==, DD_IVR_MACHINE_IDLE);
}

static void
call_clear (Call *call)
{
  g_assert_finalize_object (call->machine);
}

static char *
trace (Call *call)
{
  return dd_ivr_machine_get_trace_string (call->machine);
}

#define GREETING "play*:Hello Jan Kowalski. This is a message from Acme about an unpaid invoice."
#define DETAILS "play*:Invoice FV slash one for one thousand two hundred thirty-four zlotys " \
                "and fifty-six groszy was due on March fifteenth, twenty twenty-six."
#define MENU "To hear the details again, press 1. To talk to a consultant, press 2. To tell " \
             "us when you will pay, press 3."

static DdIvrFlow *
template (const char *name)
{
  g_autoptr(GError) error = NULL;
  DdIvrFlow *flow = dd_ivr_flow_new_from_template (name, &error);

  g_assert_no_error (error);

  return flow;
}

static void
test_reminder_transfer (void)
{
  g_autoptr(DdIvrFlow) flow = template ("payment-reminder");
  g_autoptr(GDateTime) now = warsaw (2026, 3, 20, 10, 0);
  Call call;

  call_init (&call, flow, "en", now);

  /* Events before the answer are ignored. */
  CHECK (press (&call, "1"), "");
  CHECK (done (&call), "");

  CHECK (answered (&call), GREETING);
  g_assert_cmpint (dd_ivr_machine_get_state (call.machine), ==, DD_IVR_MACHINE_RUNNING);
  /* The messages before the menu may be cut short (see test_barge_in). */
  CHECK (done (&call), DETAILS);
  CHECK (done (&call), "play*:" MENU);
  CHECK (done (&call), "timer:5000");
  CHECK (press (&call, "1"), "stop-timer | " DETAILS);
  CHECK (done (&call), "play*:" MENU);
  /* Barge-in: a key stops the prompt. */
  CHECK (press (&call, "2"), "stop-play | transfer:collections");
  g_assert_cmpint (dd_ivr_machine_get_state (call.machine), ==, DD_IVR_MACHINE_TRANSFERRING);
  /* A late "done" of the stopped prompt is ignored. */
  CHECK (done (&call), "");
  CHECK (transfer_result (&call, TRUE), "");
  g_assert_cmpint (dd_ivr_machine_get_state (call.machine), ==, DD_IVR_MACHINE_FINISHED);
  CHECK (trace (&call), "greeting:done details:done menu:1 details:done menu:2 "
                        "consultant:answered");
  g_assert_cmpstr (dd_ivr_machine_get_current_node (call.machine), ==, "consultant");

  /* Nothing happens after the end. */
  CHECK (press (&call, "1"), "");
  CHECK (answered (&call), "");
  call_clear (&call);
}

static void
test_transfer_failed (void)
{
  g_autoptr(DdIvrFlow) flow = template ("payment-reminder");
  g_autoptr(GDateTime) now = warsaw (2026, 3, 20, 10, 0);
  Call call;

  call_init (&call, flow, "en", now);
  g_free (answered (&call));
  g_free (done (&call));
  g_free (done (&call));
  CHECK (done (&call), "timer:5000");
  CHECK (press (&call, "2"), "stop-timer | transfer:collections");
  CHECK (transfer_result (&call, FALSE),
         "play:All our consultants are busy. We will call you back. Goodbye.");
  CHECK (done (&call), "hang-up");
  CHECK (trace (&call), "greeting:done details:done menu:2 consultant:failed busy:done "
                        "hang-up");
  call_clear (&call);
}

static void
test_menu_timeouts (void)
{
  g_autoptr(DdIvrFlow) flow = template ("payment-reminder");
  g_autoptr(GDateTime) now = warsaw (2026, 3, 20, 10, 0);
  g_autoptr(GPtrArray) stale = NULL;
  guint first_timer;
  Call call;

  call_init (&call, flow, "en", now);
  g_free (answered (&call));
  g_free (done (&call));
  g_free (done (&call));
  CHECK (done (&call), "timer:5000");
  first_timer = call.timer;
  CHECK (timeout (&call), "play*:We did not hear a key. " MENU);
  CHECK (done (&call), "timer:5000");

  /* The first timer is gone: its timeout is ignored. */
  stale = dd_ivr_machine_timeout (call.machine, first_timer);
  g_assert_cmpuint (stale->len, ==, 0);

  CHECK (timeout (&call), "play*:We did not hear a key. " MENU);
  CHECK (done (&call), "timer:5000");
  /* max_retries 2: the third silence leaves by "timeout". */
  CHECK (timeout (&call), "hang-up");
  CHECK (trace (&call), "greeting:done details:done menu:timeout hang-up");
  g_assert_cmpint (dd_ivr_machine_get_state (call.machine), ==, DD_IVR_MACHINE_FINISHED);
  call_clear (&call);
}

static void
test_menu_invalid (void)
{
  g_autoptr(DdIvrFlow) flow = template ("payment-reminder");
  g_autoptr(GDateTime) now = warsaw (2026, 3, 20, 10, 0);
  Call call;

  call_init (&call, flow, "en", now);
  g_free (answered (&call));
  g_free (done (&call));
  CHECK (done (&call), "play*:" MENU);
  CHECK (press (&call, "9"), "stop-play | play*:Sorry, that key is not an option. " MENU);
  CHECK (done (&call), "timer:5000");
  /* Retries are shared between silence and wrong keys. */
  CHECK (timeout (&call), "play*:We did not hear a key. " MENU);
  CHECK (done (&call), "timer:5000");
  CHECK (press (&call, "#"), "stop-timer | hang-up");
  CHECK (trace (&call), "greeting:done details:done menu:invalid hang-up");
  call_clear (&call);
}

static void
test_nested_menus (void)
{
  g_autoptr(DdIvrFlow) flow = dd_ivr_flow_new ("Nested");
  g_autoptr(GDateTime) now = warsaw (2026, 3, 20, 10, 0);
  g_autoptr(GPtrArray) issues = NULL;
  Call call;

  g_assert_nonnull (dd_ivr_flow_add_node (flow, DD_IVR_NODE_MENU, "main", 0, 0, NULL));
  g_assert_nonnull (dd_ivr_flow_add_node (flow, DD_IVR_NODE_MENU, "sub", 0, 0, NULL));
  g_assert_nonnull (dd_ivr_flow_add_node (flow, DD_IVR_NODE_PLAY, "info", 0, 0, NULL));
  g_assert_nonnull (dd_ivr_flow_add_node (flow, DD_IVR_NODE_HANG_UP, "end", 0, 0, NULL));
  dd_ivr_flow_set_param_string (flow, "main", "prompt", "Main.", NULL);
  dd_ivr_flow_set_param_int (flow, "main", "timeout_ms", 3000, NULL);
  dd_ivr_flow_set_param_string (flow, "sub", "prompt", "Sub.", NULL);
  dd_ivr_flow_set_param_int (flow, "sub", "max_retries", 0, NULL);
  dd_ivr_flow_set_param_string (flow, "info", "text", "Info for {name}.", NULL);
  dd_ivr_flow_connect (flow, "main", "1", "sub", NULL);
  dd_ivr_flow_connect (flow, "main", "timeout", "end", NULL);
  dd_ivr_flow_connect (flow, "main", "invalid", "end", NULL);
  dd_ivr_flow_connect (flow, "sub", "1", "info", NULL);
  dd_ivr_flow_connect (flow, "sub", "*", "main", NULL);
  dd_ivr_flow_connect (flow, "sub", "timeout", "main", NULL);
  dd_ivr_flow_connect (flow, "sub", "invalid", "end", NULL);
  dd_ivr_flow_connect (flow, "info", "done", "sub", NULL);
  issues = dd_ivr_flow_validate (flow);
  g_assert_cmpuint (issues->len, ==, 0);

  call_init (&call, flow, "en", now);
  CHECK (answered (&call), "play*:Main.");
  CHECK (done (&call), "timer:3000");
  CHECK (press (&call, "1"), "stop-timer | play*:Sub.");
  CHECK (press (&call, "1"), "stop-play | play*:Info for Jan Kowalski.");
  CHECK (done (&call), "play*:Sub.");
  CHECK (done (&call), "timer:5000");
  CHECK (press (&call, "*"), "stop-timer | play*:Main.");
  /* Coming back resets the retries of the menu. */
  CHECK (press (&call, "1"), "stop-play | play*:Sub.");
  CHECK (done (&call), "timer:5000");
  /* max_retries 0: the first silence leaves at once. */
  CHECK (timeout (&call), "play*:Main.");
  CHECK (press (&call, "5"), "stop-play | play*:Main.");
  CHECK (press (&call, "5"), "stop-play | play*:Main.");
  CHECK (press (&call, "5"), "stop-play | hang-up");
  CHECK (trace (&call), "main:1 sub:1 info:done sub:* main:1 sub:timeout main:invalid end");
  call_clear (&call);
}

static void
test_declaration (void)
{
  g_autoptr(DdIvrFlow) flow = template ("payment-reminder");
  g_autoptr(GDateTime) now = warsaw (2026, 3, 20, 10, 0);
  Call call;

  call_init (&call, flow, "en", now);
  g_free (answered (&call));
  g_free (done (&call));
  g_free (done (&call));
  CHECK (done (&call), "timer:5000");
  CHECK (press (&call, "3"),
         "stop-timer | collect:4-8 | play*:Enter the day and month when you will pay, then "
         "press the hash key.");
  CHECK (done (&call), "timer:7000");
  /* DDMM, then the amount with * before the cents. */
  CHECK (press (&call, "1004"), "stop-timer | timer:7000 || stop-timer | timer:7000 || "
                                "stop-timer | timer:7000 || stop-timer | timer:7000");
  CHECK (press (&call, "#"), "stop-timer | play*:Enter the amount you will pay. Press the "
                             "star key before the cents, and the hash key at the end.");
  CHECK (press (&call, "2"), "stop-play | timer:7000");
  CHECK (press (&call, "50*5#"),
         "stop-timer | timer:7000 || stop-timer | timer:7000 || stop-timer | timer:7000 || "
         "stop-timer | timer:7000 || stop-timer | play*:You will pay two hundred fifty zlotys "
         "and fifty groszy on April tenth, twenty twenty-six. Press 1 to confirm, or 2 to "
         "enter it again.");
  /* 2: enter it again, this time DDMMYYYY (complete at eight digits). */
  CHECK (press (&call, "2"), "stop-play | play*:Enter the day and month when you will pay, "
                             "then press the hash key.");
  CHECK (done (&call), "timer:7000");
  g_free (press (&call, "1504202"));
  CHECK (press (&call, "6"), "stop-timer | play*:Enter the amount you will pay. Press the "
                             "star key before the cents, and the hash key at the end.");
  CHECK (done (&call), "timer:7000");
  g_free (press (&call, "300"));
  /* A timeout after digits submits them. */
  CHECK (timeout (&call), "play*:You will pay three hundred zlotys and zero groszy on April "
                          "fifteenth, twenty twenty-six. Press 1 to confirm, or 2 to enter it "
                          "again.");
  CHECK (done (&call), "timer:7000");
  CHECK (press (&call, "1"), "stop-timer | declare:30000 PLN 2026-04-15 | "
                             "status:payment-declaration | play:Thank you. We have recorded "
                             "your declaration. Goodbye.");
  CHECK (done (&call), "hang-up");
  CHECK (trace (&call), "greeting:done details:done menu:3 declaration:done declared:done "
                        "thanks:done hang-up");
  call_clear (&call);
}

static char *
declare_date (const char *keys,
              GDateTime  *now)
{
  g_autoptr(DdIvrFlow) flow = dd_ivr_flow_new ("Declare");
  g_autoptr(GPtrArray) actions = NULL;
  /* Eight digits complete a date without the hash key. */
  g_autofree char *amount_keys = g_strconcat (keys, strlen (keys) == 8 ? "" : "#", "1#", NULL);
  Call call;
  char *result = NULL;

  dd_ivr_flow_add_node (flow, DD_IVR_NODE_DECLARE_PAYMENT, "d", 0, 0, NULL);
  dd_ivr_flow_set_param_int (flow, "d", "max_retries", 0, NULL);
  call_init (&call, flow, "pl", now);
  g_free (answered (&call));
  g_free (press (&call, amount_keys));
  actions = dd_ivr_machine_dtmf (call.machine, '1');
  for (guint i = 0; i < actions->len; i++)
    {
      const DdIvrAction *a = g_ptr_array_index (actions, i);

      if (a->type == DD_IVR_ACTION_RECORD_DECLARATION)
        {
          g_assert_cmpint (a->amount_minor, ==, 100);
          g_assert_cmpstr (a->currency, ==, "PLN");
          result = g_malloc (16);
          g_date_strftime (result, 16, "%Y-%m-%d", &a->date);
        }
    }
  call_clear (&call);

  return result != NULL ? result : g_strdup ("failed");
}

static void
test_declaration_dates (void)
{
  g_autoptr(GDateTime) now = warsaw (2026, 3, 20, 10, 0);
  g_autoptr(GDateTime) new_year = warsaw (2026, 12, 31, 23, 0);

  CHECK (declare_date ("2003", now), "2026-03-20");       /* today */
  CHECK (declare_date ("1903", now), "2027-03-19");       /* past: next year */
  CHECK (declare_date ("0101", new_year), "2027-01-01");
  CHECK (declare_date ("2902", now), "2028-02-29");       /* next leap year */
  CHECK (declare_date ("01042026", now), "2026-04-01");
  CHECK (declare_date ("01012026", now), "failed");       /* in the past */
  CHECK (declare_date ("3102", now), "failed");           /* no such day */
  CHECK (declare_date ("1313", now), "failed");
  CHECK (declare_date ("123", now), "failed");
}

static void
test_declaration_invalid (void)
{
  g_autoptr(DdIvrFlow) flow = template ("payment-reminder");
  g_autoptr(GDateTime) now = warsaw (2026, 3, 20, 10, 0);
  Call call;

  call_init (&call, flow, "pl", now);
  g_free (answered (&call));
  g_free (done (&call));
  g_free (done (&call));
  g_free (done (&call));
  g_free (press (&call, "3"));
  g_free (done (&call));
  /* A wrong date, then a wrong amount (three decimals), then a wrong key: max_retries 2. */
  CHECK (press (&call, "3102#"), "stop-timer | timer:7000 || stop-timer | timer:7000 || "
                                 "stop-timer | timer:7000 || stop-timer | timer:7000 || "
                                 "stop-timer | play*:Sorry, that was not valid. Enter the day "
                                 "and month when you will pay, then press the hash key.");
  g_free (done (&call));
  g_free (press (&call, "0104#"));
  g_free (done (&call));
  CHECK (press (&call, "1*234#"), "stop-timer | timer:7000 || stop-timer | timer:7000 || "
                                  "stop-timer | timer:7000 || stop-timer | timer:7000 || "
                                  "stop-timer | timer:7000 || stop-timer | play*:Sorry, that "
                                  "was not valid. Enter the amount you will pay. Press the "
                                  "star key before the cents, and the hash key at the end.");
  g_free (done (&call));
  CHECK (press (&call, "*#"), "stop-timer | timer:7000 || stop-timer | hang-up");
  CHECK (trace (&call), "greeting:done details:done menu:3 declaration:failed hang-up");
  call_clear (&call);
}

static DdIvrFlow *
collect_flow (void)
{
  DdIvrFlow *flow = dd_ivr_flow_new ("Collect");

  dd_ivr_flow_add_node (flow, DD_IVR_NODE_COLLECT_DIGITS, "c", 0, 0, NULL);
  dd_ivr_flow_set_param_string (flow, "c", "prompt", "Enter your PIN.", NULL);
  dd_ivr_flow_set_param_int (flow, "c", "min_digits", 3, NULL);
  dd_ivr_flow_set_param_int (flow, "c", "max_digits", 5, NULL);
  dd_ivr_flow_set_param_int (flow, "c", "timeout_ms", 4000, NULL);
  dd_ivr_flow_set_param_string (flow, "c", "variable", "pin", NULL);
  for (guint i = 0; i < 3; i++)
    {
      const char *outcome = (const char *[]) { "done", "timeout", "invalid" }[i];

      dd_ivr_flow_add_node (flow, DD_IVR_NODE_PLAY, outcome, 0, 0, NULL);
      dd_ivr_flow_set_param_string (flow, outcome, "text", outcome, NULL);
      dd_ivr_flow_connect (flow, "c", outcome, outcome, NULL);
    }

  return flow;
}

static char *
collect (const char *keys,
         gboolean    then_timeout)
{
  g_autoptr(DdIvrFlow) flow = collect_flow ();
  g_autoptr(GDateTime) now = warsaw (2026, 3, 20, 10, 0);
  g_autofree char *path = NULL;
  Call call;
  char *result;

  call_init (&call, flow, "en", now);
  CHECK (answered (&call), "collect:3-5 | play*:Enter your PIN.");
  g_free (done (&call));
  g_free (press (&call, keys));
  if (then_timeout)
    g_free (timeout (&call));
  path = dd_ivr_machine_get_trace_string (call.machine);
  result = g_strdup_printf ("%s %s", path, dd_ivr_machine_get_variable (call.machine, "pin"));
  call_clear (&call);

  return result;
}

static void
test_collect_digits (void)
{
  g_autofree char *a = collect ("123#", FALSE);
  g_autofree char *b = collect ("12#", FALSE);
  g_autofree char *c = collect ("12345", FALSE);
  g_autofree char *d = collect ("", TRUE);
  g_autofree char *e = collect ("12", TRUE);
  g_autofree char *f = collect ("1234", TRUE);
  g_autofree char *g = collect ("#", FALSE);
  g_autofree char *h = collect ("1*", FALSE);

  g_assert_true (g_str_has_prefix (a, "c:done done "));
  g_assert_true (g_str_has_suffix (a, " 123"));
  g_assert_true (g_str_has_prefix (b, "c:invalid invalid "));
  g_assert_true (g_str_has_suffix (c, " 12345"));
  g_assert_true (g_str_has_prefix (d, "c:timeout timeout "));
  g_assert_true (g_str_has_prefix (e, "c:invalid invalid "));
  g_assert_true (g_str_has_suffix (f, " 1234"));
  g_assert_true (g_str_has_prefix (g, "c:invalid "));
  g_assert_true (g_str_has_prefix (h, "c:invalid "));
}

static void
test_node_types (void)
{
  g_autoptr(DdIvrFlow) flow = dd_ivr_flow_new ("All");
  g_autoptr(GDateTime) now = warsaw (2026, 7, 4, 9, 0);
  g_autofree char *amount_text = dd_money_format (123456, "PLN", "pl");
  g_autofree char *sms = NULL;
  Call call;

  dd_ivr_flow_add_node (flow, DD_IVR_NODE_PLAY, "file", 0, 0, NULL);
  dd_ivr_flow_set_param_string (flow, "file", "file", "/usr/share/sounds/hello.wav", NULL);
  dd_ivr_flow_add_node (flow, DD_IVR_NODE_SAY_AMOUNT, "balance", 0, 0, NULL);
  dd_ivr_flow_set_param_string (flow, "balance", "source", "balance", NULL);
  dd_ivr_flow_set_param_string (flow, "balance", "prefix", "Saldo {name}:", NULL);
  dd_ivr_flow_add_node (flow, DD_IVR_NODE_SAY_AMOUNT, "amount", 0, 0, NULL);
  dd_ivr_flow_add_node (flow, DD_IVR_NODE_SAY_DATE, "today", 0, 0, NULL);
  dd_ivr_flow_set_param_string (flow, "today", "source", "today", NULL);
  dd_ivr_flow_set_param_string (flow, "today", "prefix", "Dziś jest", NULL);
  dd_ivr_flow_add_node (flow, DD_IVR_NODE_SAY_DATE, "due", 0, 0, NULL);
  dd_ivr_flow_add_node (flow, DD_IVR_NODE_SAY_INVOICE, "invoice", 0, 0, NULL);
  dd_ivr_flow_add_node (flow, DD_IVR_NODE_SEND_SMS, "sms", 0, 0, NULL);
  dd_ivr_flow_set_param_string (flow, "sms", "text",
                                "{name}: {amount} do {due_date}, {payment_link} {x}", NULL);
  dd_ivr_flow_add_node (flow, DD_IVR_NODE_SET_STATUS, "status", 0, 0, NULL);
  dd_ivr_flow_set_param_string (flow, "status", "status", "call-later", NULL);
  dd_ivr_flow_add_node (flow, DD_IVR_NODE_TIME_SWITCH, "hours", 0, 0, NULL);
  dd_ivr_flow_add_node (flow, DD_IVR_NODE_TRANSFER, "open", 0, 0, NULL);
  dd_ivr_flow_set_param_string (flow, "open", "queue", "q", NULL);
  dd_ivr_flow_add_node (flow, DD_IVR_NODE_HANG_UP, "closed", 0, 0, NULL);
  dd_ivr_flow_connect (flow, "file", "done", "balance", NULL);
  dd_ivr_flow_connect (flow, "balance", "done", "amount", NULL);
  dd_ivr_flow_connect (flow, "amount", "done", "today", NULL);
  dd_ivr_flow_connect (flow, "today", "done", "due", NULL);
  dd_ivr_flow_connect (flow, "due", "done", "invoice", NULL);
  dd_ivr_flow_connect (flow, "invoice", "done", "sms", NULL);
  dd_ivr_flow_connect (flow, "sms", "done", "status", NULL);
  dd_ivr_flow_connect (flow, "status", "done", "hours", NULL);
  dd_ivr_flow_connect (flow, "hours", "open", "open", NULL);
  dd_ivr_flow_connect (flow, "hours", "closed", "closed", NULL);
  dd_ivr_flow_connect (flow, "open", "failed", "closed", NULL);

  call_init (&call, flow, "pl", now);
  CHECK (answered (&call), "file:/usr/share/sounds/hello.wav");
  CHECK (done (&call), "play:Saldo Jan Kowalski: dwa złote zero groszy");
  CHECK (done (&call), "play:tysiąc dwieście trzydzieści cztery złote pięćdziesiąt sześć "
                       "groszy");
  CHECK (done (&call), "play:Dziś jest czwartego lipca dwa tysiące dwudziestego szóstego roku");
  CHECK (done (&call), "play:piętnastego marca dwa tysiące dwudziestego szóstego roku");
  CHECK (done (&call), "play:Faktura numer FV łamane przez jeden na kwotę tysiąc dwieście "
                       "trzydzieści cztery złote pięćdziesiąt sześć groszy, termin płatności "
                       "piętnastego marca dwa tysiące dwudziestego szóstego roku.");
  /* 4 July 2026 is a Saturday: closed. */
  sms = g_strdup_printf ("sms:Jan Kowalski: %s do 15.03.2026, https://pay.example/x {x} | "
                         "status:call-later | hang-up", amount_text);
  CHECK (done (&call), sms);
  CHECK (trace (&call), "file:done balance:done amount:done today:done due:done invoice:done "
                        "sms:done status:done hours:closed closed");
  call_clear (&call);

  /* On a weekday morning the time switch is open. */
  {
    g_autoptr(GDateTime) monday = warsaw (2026, 7, 6, 9, 0);

    dd_ivr_flow_set_start (flow, "hours");
    call_init (&call, flow, "pl", monday);
    CHECK (answered (&call), "transfer:q");
    CHECK (transfer_result (&call, FALSE), "hang-up");
    CHECK (trace (&call), "hours:open open:failed closed");
    call_clear (&call);
  }
}

static void
test_time_switch_dst (void)
{
  g_autoptr(DdIvrFlow) flow = template ("inbound-hotline");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  static const struct {
    const char *zone;
    int         year, month, day, hour, minute;
    const char *first;
  } cases[] = {
    /* Friday before the change to summer time: Warsaw is UTC+1 */
    { "UTC", 2026, 3, 27, 6, 30, "closed" },
    { "UTC", 2026, 3, 27, 7, 30, "open" },
    { "UTC", 2026, 3, 27, 14, 30, "open" },
    /* Monday after it: UTC+2 */
    { "UTC", 2026, 3, 30, 5, 30, "closed" },
    { "UTC", 2026, 3, 30, 6, 30, "open" },
    { "UTC", 2026, 3, 30, 14, 30, "closed" },
    /* The same instants given in New York time (still/already on its own summer time) */
    { "America/New_York", 2026, 3, 30, 2, 30, "open" },       /* 08:30 Warsaw */
    { "America/New_York", 2026, 3, 30, 9, 59, "open" },       /* 15:59 Warsaw */
    { "America/New_York", 2026, 3, 30, 10, 0, "closed" },     /* 16:00 Warsaw */
    /* Monday after the change back (25 October): UTC+1 again */
    { "UTC", 2026, 10, 26, 6, 30, "closed" },
    { "UTC", 2026, 10, 26, 7, 30, "open" },
    { "UTC", 2026, 10, 26, 15, 0, "closed" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (cases[i].zone);
      g_autoptr(GDateTime) now = g_date_time_new (zone, cases[i].year, cases[i].month,
                                                  cases[i].day, cases[i].hour,
                                                  cases[i].minute, 0);
      g_autofree char *expected = g_strdup_printf ("office-hours:%s", cases[i].first);
      g_autofree char *path = NULL;
      Call call;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      call_init (&call, flow, "en", now);
      g_free (answered (&call));
      path = trace (&call);
      g_assert_true (g_str_has_prefix (path, expected));
      call_clear (&call);
    }

  /* The clock can be moved between events: the machine reads no clock of its own. */
  {
    g_autoptr(GDateTime) before = g_date_time_new (utc, 2026, 3, 27, 6, 30, 0);
    g_autoptr(GDateTime) later = g_date_time_new (utc, 2026, 3, 27, 8, 0, 0);
    Call call;

    call_init (&call, flow, "en", before);
    dd_ivr_machine_set_now (call.machine, later);
    g_free (answered (&call));
    CHECK (trace (&call), "office-hours:open topics");
    CHECK (press (&call, "1"), "stop-play | transfer:invoices");
    call_clear (&call);
  }

  /* A holiday closes the office. */
  {
    g_autoptr(GDateTime) monday = g_date_time_new (utc, 2026, 4, 6, 8, 0, 0);
    g_autoptr(JsonNode) holidays = json_from_string ("[\"2026-04-06\"]", NULL);
    Call call;

    dd_ivr_flow_set_param (flow, "office-hours", "holidays", holidays, NULL);
    call_init (&call, flow, "en", monday);
    g_free (answered (&call));
    CHECK (trace (&call), "office-hours:closed closed");
    call_clear (&call);
  }
}

static void
test_hung_up (void)
{
  g_autoptr(DdIvrFlow) flow = template ("payment-reminder");
  g_autoptr(GDateTime) now = warsaw (2026, 3, 20, 10, 0);
  g_autoptr(GPtrArray) actions = NULL;
  Call call;

  call_init (&call, flow, "en", now);
  g_free (answered (&call));
  g_free (done (&call));
  g_free (done (&call));
  CHECK (done (&call), "timer:5000");
  actions = dd_ivr_machine_hung_up (call.machine);
  CHECK (describe (&call, actions), "stop-timer");
  g_assert_cmpint (dd_ivr_machine_get_state (call.machine), ==, DD_IVR_MACHINE_FINISHED);
  CHECK (trace (&call), "greeting:done details:done menu:hung-up");
  CHECK (press (&call, "1"), "");
  call_clear (&call);
}

static void
test_broken_flows (void)
{
  g_autoptr(GDateTime) now = warsaw (2026, 3, 20, 10, 0);
  Call call;

  /* No start. */
  {
    g_autoptr(DdIvrFlow) flow = template ("empty");

    call_init (&call, flow, "en", now);
    CHECK (answered (&call), "hang-up");
    CHECK (trace (&call), "");
    call_clear (&call);
  }

  /* A missing exit ends the call. */
  {
    g_autoptr(DdIvrFlow) flow = dd_ivr_flow_new ("x");

    dd_ivr_flow_add_node (flow, DD_IVR_NODE_PLAY, "p", 0, 0, NULL);
    dd_ivr_flow_set_param_string (flow, "p", "text", "Hi.", NULL);
    call_init (&call, flow, "en", now);
    CHECK (answered (&call), "play:Hi.");
    CHECK (done (&call), "hang-up");
    CHECK (trace (&call), "p:done");
    call_clear (&call);
  }

  /* A loop of instant nodes is cut off. */
  {
    g_autoptr(DdIvrFlow) flow = dd_ivr_flow_new ("loop");
    g_autoptr(GPtrArray) actions = NULL;

    dd_ivr_flow_add_node (flow, DD_IVR_NODE_SET_STATUS, "a", 0, 0, NULL);
    dd_ivr_flow_set_param_string (flow, "a", "status", "x", NULL);
    dd_ivr_flow_add_node (flow, DD_IVR_NODE_SEND_SMS, "b", 0, 0, NULL);
    dd_ivr_flow_set_param_string (flow, "b", "text", "y", NULL);
    dd_ivr_flow_connect (flow, "a", "done", "b", NULL);
    dd_ivr_flow_connect (flow, "b", "done", "a", NULL);
    call_init (&call, flow, "en", now);
    actions = dd_ivr_machine_answered (call.machine);
    g_assert_cmpuint (actions->len, <=, 101);
    g_assert_cmpint (((DdIvrAction *) actions->pdata[actions->len - 1])->type, ==,
                     DD_IVR_ACTION_HANG_UP);
    g_assert_cmpint (dd_ivr_machine_get_state (call.machine), ==, DD_IVR_MACHINE_FINISHED);
    call_clear (&call);
  }
}

static void
test_render (void)
{
  g_autoptr(DdIvrCaseInfo) info = case_info ("ru");
  g_autoptr(DdIvrCaseInfo) copy = dd_ivr_case_info_copy (info);
  g_autoptr(GHashTable) extra = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *speech = NULL;
  g_autofree char *text = NULL;
  g_autofree char *odd = NULL;

  g_hash_table_insert (extra, "declared_amount", "EXTRA");
  speech = dd_ivr_render ("{name}, {balance}; {invoice}; {agent_phone}; {declared_amount}",
                          copy, DD_IVR_RENDER_SPEECH, extra);
  g_assert_cmpstr (speech, ==, "Jan Kowalski, два злотых ноль грошей; FV дробь один; плюс "
                               "четыре восемь два два; EXTRA");
  text = dd_ivr_render ("{due_date} {creditor} {agent_phone}", copy, DD_IVR_RENDER_TEXT, NULL);
  g_assert_cmpstr (text, ==, "15.03.2026 Acme +48 22");
  odd = dd_ivr_render ("{ {} {unknown} {name", copy, DD_IVR_RENDER_SPEECH, NULL);
  g_assert_cmpstr (odd, ==, "{ {} {unknown} {name");

  /* Missing values become empty. */
  g_clear_pointer (&copy->name, g_free);
  g_date_clear (&copy->due_date, 1);
  g_clear_pointer (&speech, g_free);
  speech = dd_ivr_render ("[{name}] [{due_date}]", copy, DD_IVR_RENDER_SPEECH, NULL);
  g_assert_cmpstr (speech, ==, "[] []");
}

/* Everything a call of the payment reminder in @flow_language says to a debtor whose own
 * language is @debtor_language, through the menu, a declaration and the goodbye. */
static char *
reminder_call (const char *flow_language,
               const char *debtor_language)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdIvrFlow) flow = dd_ivr_flow_new_from_template_in ("payment-reminder",
                                                                flow_language, &error);
  g_autoptr(GDateTime) now = warsaw (2026, 3, 20, 10, 0);
  g_autoptr(GString) said = g_string_new (NULL);
  const char *steps[] = { "answered", "done", "done", "done", "3", "done", "1504#", "done",
                          "250*5#", "1", "done", NULL };
  Call call;

  g_assert_no_error (error);
  g_assert_cmpstr (dd_ivr_flow_get_language (flow), ==, flow_language);
  call_init (&call, flow, debtor_language, now);
  for (guint i = 0; steps[i] != NULL; i++)
    {
      g_autofree char *line = strcmp (steps[i], "answered") == 0 ? answered (&call)
                              : strcmp (steps[i], "done") == 0 ? done (&call)
                              : press (&call, steps[i]);

      g_string_append_printf (said, "%s\n", line);
    }
  CHECK (trace (&call), "greeting:done details:done menu:3 declaration:done declared:done "
                        "thanks:done hang-up");
  call_clear (&call);
  return g_string_free (g_steal_pointer (&said), FALSE);
}

static void
assert_none_of (const char         *said,
                const char * const *words)
{
  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (said, words[i]) != NULL)
      g_error ("“%s” is said in a call in another language:\n%s", words[i], said);
}

/* Issue 12, item 11: a flow has one language; amounts, dates and invoice numbers are said in
 * it, whatever the debtor's language (and the prompts of the templates are written in it). */
static void
test_flow_language (void)
{
  const char * const english[] = { "Invoice", " for ", "was due", "zloty", "slash", "press",
                                   "Press", "Enter", "hash", "Hello", "March", "April",
                                   "twenty", "hundred", "thousand", "Thank", NULL };
  const char * const polish[] = { "Faktura", "złot", "łamane", "tysiąc", "marca",
                                  "kwietnia", "naciśnij", "Naciśnij", "Dzień", "dwieście",
                                  "Dziękujemy", NULL };
  const char * const russian[] = { "Счёт", "рубл", "руб", "дробь", "тысяча", "марта",
                                   "апреля", "нажмите", "Нажмите", "Здравствуйте", "Спасибо",
                                   NULL };
  g_autofree char *pl = reminder_call ("pl", "en");
  g_autofree char *en = reminder_call ("en", "pl");
  g_autofree char *ru = reminder_call ("ru", "pl");
  g_autofree char *pl_for_ru = reminder_call ("pl", "ru");

  g_test_message ("Polish flow, English debtor:\n%s", pl);
  g_test_message ("English flow, Polish debtor:\n%s", en);
  g_test_message ("Russian flow, Polish debtor:\n%s", ru);

  g_assert_nonnull (strstr (pl, "Faktura numer FV łamane przez jeden na kwotę tysiąc dwieście "
                                "trzydzieści cztery złote pięćdziesiąt sześć groszy, termin "
                                "płatności piętnastego marca dwa tysiące dwudziestego szóstego "
                                "roku."));
  g_assert_nonnull (strstr (pl, "Wpłacisz dwieście pięćdziesiąt złotych pięćdziesiąt groszy w "
                                "dniu piętnastego kwietnia"));
  assert_none_of (pl, english);
  assert_none_of (pl, russian);
  g_assert_cmpstr (pl, ==, pl_for_ru);

  g_assert_nonnull (strstr (en, "Invoice FV slash one for one thousand two hundred thirty-four "
                                "zlotys and fifty-six groszy was due on March fifteenth, twenty "
                                "twenty-six."));
  assert_none_of (en, polish);
  assert_none_of (en, russian);

  g_assert_nonnull (strstr (ru, "Счёт номер"));
  assert_none_of (ru, english);
  assert_none_of (ru, polish);
}

/* Issue 12, item 11: a key pressed during the messages before the menu is the answer to the
 * menu (barge-in), not lost; during a goodbye it changes nothing. */
static void
test_barge_in (void)
{
  g_autoptr(DdIvrFlow) flow = template ("payment-reminder");
  g_autoptr(GDateTime) now = warsaw (2026, 3, 20, 10, 0);
  Call call;

  /* during the greeting: the details are skipped, the menu takes the key */
  call_init (&call, flow, "en", now);
  CHECK (answered (&call), GREETING);
  CHECK (press (&call, "2"), "stop-play | transfer:collections");
  CHECK (trace (&call), "greeting:done details:done menu:2 consultant");
  /* the goodbye that leads to no menu is not cut short */
  CHECK (transfer_result (&call, FALSE),
         "play:All our consultants are busy. We will call you back. Goodbye.");
  CHECK (press (&call, "1"), "");
  CHECK (done (&call), "hang-up");
  call_clear (&call);

  /* during the details: 1 (hear them again) plays them again */
  call_init (&call, flow, "en", now);
  g_free (answered (&call));
  CHECK (done (&call), DETAILS);
  CHECK (press (&call, "1"), "stop-play | " DETAILS);
  CHECK (trace (&call), "greeting:done details:done menu:1 details");
  call_clear (&call);

  /* keys typed ahead go on to the next node that listens: 3, then the date */
  call_init (&call, flow, "en", now);
  g_free (answered (&call));
  CHECK (press (&call, "3"), "stop-play | collect:4-8 | play*:Enter the day and month when "
                             "you will pay, then press the hash key.");
  CHECK (press (&call, "1504#"), "stop-play | timer:7000 || stop-timer | timer:7000 || "
                                 "stop-timer | timer:7000 || stop-timer | timer:7000 || "
                                 "stop-timer | play*:Enter the amount you will pay. Press the "
                                 "star key before the cents, and the hash key at the end.");
  CHECK (trace (&call), "greeting:done details:done menu:3 declaration");
  call_clear (&call);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/ivr-machine/reminder-transfer", test_reminder_transfer);
  g_test_add_func ("/dd/ivr-machine/transfer-failed", test_transfer_failed);
  g_test_add_func ("/dd/ivr-machine/menu-timeouts", test_menu_timeouts);
  g_test_add_func ("/dd/ivr-machine/menu-invalid", test_menu_invalid);
  g_test_add_func ("/dd/ivr-machine/nested-menus", test_nested_menus);
  g_test_add_func ("/dd/ivr-machine/declaration", test_declaration);
  g_test_add_func ("/dd/ivr-machine/declaration-dates", test_declaration_dates);
  g_test_add_func ("/dd/ivr-machine/declaration-invalid", test_declaration_invalid);
  g_test_add_func ("/dd/ivr-machine/collect-digits", test_collect_digits);
  g_test_add_func ("/dd/ivr-machine/node-types", test_node_types);
  g_test_add_func ("/dd/ivr-machine/time-switch-dst", test_time_switch_dst);
  g_test_add_func ("/dd/ivr-machine/hung-up", test_hung_up);
  g_test_add_func ("/dd/ivr-machine/broken-flows", test_broken_flows);
  g_test_add_func ("/dd/ivr-machine/render", test_render);
  g_test_add_func ("/dd/ivr-machine/flow-language", test_flow_language);
  g_test_add_func ("/dd/ivr-machine/barge-in", test_barge_in);

  return g_test_run ();
}
