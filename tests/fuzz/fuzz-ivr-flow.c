/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-fuzz"

#include "config.h"

#include "dd-ivr-flow.h"
#include "dd-ivr-machine.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * Loads the input as a call flow. A flow that loads must keep the promises of the API: it
 * saves to text that loads again into an equal flow, its validation gives issues with UTF-8
 * messages, removing a node leaves no exit pointing at it, and the interpreter runs it with
 * events taken from the input's bytes without crashing, always ending or waiting.
 */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

#define CHECK(condition)                                                          \
  G_STMT_START {                                                                  \
    if (!(condition))                                                             \
      {                                                                           \
        g_printerr ("%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
        abort ();                                                                 \
      }                                                                           \
  } G_STMT_END

static void
check_actions (GPtrArray *actions,
               guint     *timer)
{
  CHECK (actions != NULL);
  for (guint i = 0; i < actions->len; i++)
    {
      const DdIvrAction *action = g_ptr_array_index (actions, i);

      CHECK (action->type <= DD_IVR_ACTION_HANG_UP);
      if (action->text != NULL)
        CHECK (g_utf8_validate (action->text, -1, NULL));
      if (action->type == DD_IVR_ACTION_START_TIMER)
        *timer = action->timer_id;
    }
  g_ptr_array_unref (actions);
}

static void
run_machine (DdIvrFlow     *flow,
             const uint8_t *data,
             size_t         size)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) now = g_date_time_new (utc, 2026, 3, 30, 7, 30, 0);
  g_autoptr(DdIvrCaseInfo) info = dd_ivr_case_info_new ();
  g_autoptr(DdIvrMachine) machine = NULL;
  static const char keys[] = "0123456789*#";
  static const char * const languages[] = { "pl", "ru", "en" };
  guint timer = 0;

  info->name = g_strdup ("Jan");
  info->invoice = g_strdup ("FV/1");
  info->amount_minor = 123456;
  g_date_set_dmy (&info->due_date, 15, G_DATE_MARCH, 2026);
  g_free (info->language);
  info->language = g_strdup (languages[size % 3]);

  machine = dd_ivr_machine_new (flow, info, now);
  check_actions (dd_ivr_machine_answered (machine), &timer);

  /* At most 256 events, one per byte from the end of the input. */
  for (size_t i = 0; i < MIN (size, 256); i++)
    {
      guint8 byte = data[size - 1 - i];

      switch (byte % 5)
        {
        case 0:
        case 1:
          check_actions (dd_ivr_machine_dtmf (machine, keys[(byte / 5) % 12]), &timer);
          break;
        case 2:
          check_actions (dd_ivr_machine_playback_done (machine), &timer);
          break;
        case 3:
          check_actions (dd_ivr_machine_timeout (machine, timer), &timer);
          break;
        case 4:
        default:
          check_actions (dd_ivr_machine_transfer_result (machine, byte & 8), &timer);
          break;
        }
    }

  check_actions (dd_ivr_machine_hung_up (machine), &timer);
  CHECK (dd_ivr_machine_get_state (machine) == DD_IVR_MACHINE_FINISHED);
  g_free (dd_ivr_machine_get_trace_string (machine));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DdIvrFlow) flow = dd_ivr_flow_new_from_data ((const char *) data, (gssize) size,
                                                         &error);
  g_autoptr(DdIvrFlow) again = NULL;
  g_autoptr(GPtrArray) issues = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *text = NULL;

  if (flow == NULL)
    {
      CHECK (error != NULL && error->domain == DD_IVR_FLOW_ERROR);
      CHECK (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  CHECK (error == NULL);

  text = dd_ivr_flow_to_data (flow, NULL);
  again = dd_ivr_flow_new_from_data (text, -1, &error);
  CHECK (again != NULL);
  CHECK (dd_ivr_flow_equal (flow, again));

  issues = dd_ivr_flow_validate (flow);
  for (guint i = 0; i < issues->len; i++)
    {
      const DdIvrIssue *issue = g_ptr_array_index (issues, i);

      CHECK (issue->message != NULL && g_utf8_validate (issue->message, -1, NULL));
      CHECK (issue->node_id == NULL || dd_ivr_flow_get_node (flow, issue->node_id) != NULL);
    }

  run_machine (flow, data, size);

  /* Remove the first node: nothing may point at it afterwards. */
  ids = dd_ivr_flow_get_node_ids (again);
  if (ids->len > 0)
    {
      g_autofree char *removed = g_strdup (g_ptr_array_index (ids, 0));
      g_autoptr(GPtrArray) incoming = NULL;

      g_clear_pointer (&ids, g_ptr_array_unref);
      CHECK (dd_ivr_flow_remove_node (again, removed, NULL));
      incoming = dd_ivr_flow_get_incoming (again, removed);
      CHECK (incoming->len == 0);
      CHECK (g_strcmp0 (dd_ivr_flow_get_start (again), removed) != 0);
      g_ptr_array_unref (dd_ivr_flow_validate (again));
    }

  return 0;
}
