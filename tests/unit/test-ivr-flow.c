/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-ivr-flow"

#include "config.h"

#include "dd-ivr-flow.h"

#include <glib.h>

#include <string.h>

static DdIvrFlow *
load (const char *json)
{
  g_autoptr(GError) error = NULL;
  DdIvrFlow *flow = dd_ivr_flow_new_from_data (json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (flow);

  return flow;
}

/* The issue of @kind at @node_id (NULL: flow-wide), or NULL. */
static const DdIvrIssue *
find_issue (GPtrArray      *issues,
            DdIvrIssueKind  kind,
            const char     *node_id)
{
  for (guint i = 0; i < issues->len; i++)
    {
      const DdIvrIssue *issue = g_ptr_array_index (issues, i);

      if (issue->kind == kind && g_strcmp0 (issue->node_id, node_id) == 0)
        {
          g_assert_nonnull (issue->message);
          g_assert_cmpstr (issue->message, !=, "");
          return issue;
        }
    }

  return NULL;
}

static guint
count_issues (GPtrArray      *issues,
              DdIvrIssueKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < issues->len; i++)
    n += ((DdIvrIssue *) g_ptr_array_index (issues, i))->kind == kind;

  return n;
}

static void
print_issues (GPtrArray *issues)
{
  for (guint i = 0; i < issues->len; i++)
    {
      const DdIvrIssue *issue = g_ptr_array_index (issues, i);

      g_test_message ("issue %d %d %s: %s", issue->severity, issue->kind,
                      issue->node_id != NULL ? issue->node_id : "-", issue->message);
    }
}

static void
test_templates (void)
{
  const char * const *names = dd_ivr_flow_get_template_names ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DdIvrFlow) none = NULL;

  g_assert_cmpuint (g_strv_length ((char **) names), ==, 3);

  for (const char * const *name = names; *name != NULL; name++)
    {
      g_autoptr(DdIvrFlow) flow = dd_ivr_flow_new_from_template (*name, &error);
      g_autoptr(GPtrArray) issues = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (flow);
      g_assert_cmpstr (dd_ivr_flow_get_name (flow), !=, "");

      issues = dd_ivr_flow_validate (flow);
      print_issues (issues);
      if (strcmp (*name, "empty") == 0)
        {
          g_assert_cmpuint (dd_ivr_flow_get_n_nodes (flow), ==, 0);
          g_assert_nonnull (find_issue (issues, DD_IVR_ISSUE_NO_START, NULL));
        }
      else
        {
          g_assert_cmpuint (issues->len, ==, 0);
          g_assert_cmpuint (dd_ivr_flow_get_n_nodes (flow), >=, 8);
        }
      g_assert_finalize_object (g_steal_pointer (&flow));
    }

  {
    g_autoptr(DdIvrFlow) flow = dd_ivr_flow_new_from_template ("payment-reminder", NULL);
    const DdIvrNode *menu = dd_ivr_flow_get_node (flow, "menu");
    const DdIvrNode *transfer = dd_ivr_flow_get_node (flow, "consultant");

    g_assert_cmpstr (dd_ivr_flow_get_start (flow), ==, "greeting");
    g_assert_nonnull (menu);
    g_assert_cmpint (menu->type, ==, DD_IVR_NODE_MENU);
    g_assert_cmpstr (dd_ivr_node_get_exit (menu, "1"), ==, "details");
    g_assert_cmpstr (dd_ivr_node_get_exit (menu, "2"), ==, "consultant");
    g_assert_cmpstr (dd_ivr_node_get_exit (menu, "3"), ==, "declaration");
    g_assert_cmpstr (dd_ivr_node_get_string (transfer, "queue", NULL), ==, "collections");
    g_assert_cmpstr (dd_ivr_node_get_string (dd_ivr_flow_get_node (flow, "declared"), "status",
                                             NULL), ==, "payment-declaration");
  }

  none = dd_ivr_flow_new_from_template ("../../etc/passwd", &error);
  g_assert_null (none);
  g_assert_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_UNKNOWN_TEMPLATE);
}

static void
test_round_trip (void)
{
  for (const char * const *name = dd_ivr_flow_get_template_names (); *name != NULL; name++)
    {
      g_autoptr(DdIvrFlow) flow = dd_ivr_flow_new_from_template (*name, NULL);
      g_autofree char *text = dd_ivr_flow_to_data (flow, NULL);
      g_autoptr(DdIvrFlow) again = load (text);
      g_autofree char *text_again = dd_ivr_flow_to_data (again, NULL);

      g_assert_true (dd_ivr_flow_equal (flow, again));
      g_assert_cmpstr (text, ==, text_again);
    }

  {
    /* Every node type, nested parameters, non-ASCII text, fractional positions. */
    g_autoptr(DdIvrFlow) flow = dd_ivr_flow_new ("Wszystko – всё");
    g_autoptr(DdIvrFlow) again = NULL;
    g_autoptr(DdIvrFlow) different = NULL;
    g_autofree char *text = NULL;
    g_autoptr(GError) error = NULL;

    for (guint type = 0; type < DD_IVR_N_NODE_TYPES; type++)
      g_assert_nonnull (dd_ivr_flow_add_node (flow, type, NULL, type * 10.5, -3.25, &error));
    g_assert_no_error (error);
    g_assert_true (dd_ivr_flow_set_param_string (flow, "play-1", "text",
                                                 "Dzień dobry, {name}! Здравствуйте.", &error));
    g_assert_true (dd_ivr_flow_connect (flow, "play-1", "done", "menu-1", &error));
    g_assert_true (dd_ivr_flow_connect (flow, "menu-1", "#", "hang-up-1", &error));
    g_assert_true (dd_ivr_flow_connect (flow, "menu-1", "timeout", "play-1", &error));
    g_assert_no_error (error);

    text = dd_ivr_flow_to_data (flow, NULL);
    again = load (text);
    g_assert_true (dd_ivr_flow_equal (flow, again));
    g_assert_cmpstr (dd_ivr_flow_get_name (again), ==, "Wszystko – всё");
    g_assert_cmpfloat (dd_ivr_flow_get_node (again, "say-amount-1")->x, ==, 21.0);
    g_assert_cmpfloat (dd_ivr_flow_get_node (again, "say-amount-1")->y, ==, -3.25);
    g_assert_cmpstr (dd_ivr_flow_get_start (again), ==, "play-1");
    g_assert_cmpint (dd_ivr_node_get_int (dd_ivr_flow_get_node (again, "menu-1"), "timeout_ms",
                                          0), ==, 5000);

    /* Numbers json-glib could not write back readably are normalised on the way in. */
    {
      g_autoptr(DdIvrFlow) odd = load ("{\"format\": 1, \"nodes\": [{\"id\": \"a\", "
                                       "\"type\": \"play\", \"params\": {\"a\": 1e400, "
                                       "\"b\": [9e19, 1e-7, 0.5, -3e30]}}]}");
      g_autofree char *odd_text = dd_ivr_flow_to_data (odd, NULL);
      g_autoptr(DdIvrFlow) odd_again = load (odd_text);
      g_autoptr(JsonNode) huge = json_from_string ("1e300", NULL);

      g_assert_true (dd_ivr_flow_equal (odd, odd_again));
      g_assert_true (dd_ivr_flow_set_param (odd, "a", "c", huge, NULL));
      g_clear_pointer (&odd_text, g_free);
      odd_text = dd_ivr_flow_to_data (odd, NULL);
      g_clear_object (&odd_again);
      odd_again = load (odd_text);
      g_assert_true (dd_ivr_flow_equal (odd, odd_again));
    }

    /* Equality sees a difference. */
    different = load (text);
    g_assert_true (dd_ivr_flow_move_node (different, "menu-1", 1, 2, NULL));
    g_assert_false (dd_ivr_flow_equal (flow, different));
  }
}

static void
test_format (void)
{
  static const struct {
    const char     *json;
    DdIvrFlowError  code;
  } bad[] = {
    { "{\"format\": 2, \"name\": \"x\", \"start\": null, \"nodes\": []}",
      DD_IVR_FLOW_ERROR_FUTURE_FORMAT },
    { "{\"format\": 99, \"nodes\": \"whatever\"}", DD_IVR_FLOW_ERROR_FUTURE_FORMAT },
    { "{\"name\": \"x\", \"nodes\": []}", DD_IVR_FLOW_ERROR_INVALID },
    { "{\"format\": \"1\", \"nodes\": []}", DD_IVR_FLOW_ERROR_INVALID },
    { "{\"format\": 0, \"nodes\": []}", DD_IVR_FLOW_ERROR_INVALID },
    { "{\"format\": 1}", DD_IVR_FLOW_ERROR_INVALID },
    { "{\"format\": 1, \"nodes\": [{\"id\": \"a\", \"type\": \"teleport\"}]}",
      DD_IVR_FLOW_ERROR_INVALID },
    { "{\"format\": 1, \"nodes\": [{\"type\": \"play\"}]}", DD_IVR_FLOW_ERROR_INVALID },
    { "{\"format\": 1, \"nodes\": [{\"id\": \"a\", \"type\": \"play\"}, "
      "{\"id\": \"a\", \"type\": \"menu\"}]}", DD_IVR_FLOW_ERROR_INVALID },
    { "{\"format\": 1, \"nodes\": [{\"id\": \"a\", \"type\": \"play\", \"exits\": "
      "{\"done\": 3}}]}", DD_IVR_FLOW_ERROR_INVALID },
    { "{\"format\": 1, \"nodes\": [{\"id\": \"a\", \"type\": \"play\", \"position\": "
      "{\"x\": \"left\"}}]}", DD_IVR_FLOW_ERROR_INVALID },
    { "[1, 2]", DD_IVR_FLOW_ERROR_INVALID },
    { "{\"format\": 1, \"nodes\": [", DD_IVR_FLOW_ERROR_PARSE },
    { "", DD_IVR_FLOW_ERROR_PARSE },
    { "\xff\xfe", DD_IVR_FLOW_ERROR_PARSE },
  };
  g_autoptr(DdIvrFlow) flow = dd_ivr_flow_new_from_template ("payment-reminder", NULL);
  g_autofree char *before = dd_ivr_flow_to_data (flow, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;
      g_autofree char *escaped = g_strescape (bad[i].json, NULL);

      g_test_message ("%s", escaped);
      g_assert_false (dd_ivr_flow_load_from_data (flow, bad[i].json, -1, &error));
      g_assert_error (error, DD_IVR_FLOW_ERROR, (gint) bad[i].code);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));

      /* A failed load leaves the flow as it was. */
      after = dd_ivr_flow_to_data (flow, NULL);
      g_assert_cmpstr (before, ==, after);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DdIvrFlow) future = dd_ivr_flow_new_from_data ("{\"format\": 7, \"nodes\": []}",
                                                             -1, &error);

    g_assert_null (future);
    g_assert_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_FUTURE_FORMAT);
    g_assert_nonnull (strstr (error->message, "7"));
  }

  {
    /* Missing optional members are fine. */
    g_autoptr(DdIvrFlow) minimal = load ("{\"format\": 1, \"nodes\": [{\"id\": \"h\", "
                                         "\"type\": \"hang-up\"}]}");

    g_assert_null (dd_ivr_flow_get_start (minimal));
    g_assert_cmpstr (dd_ivr_flow_get_name (minimal), ==, "");
    g_assert_cmpuint (dd_ivr_flow_get_n_nodes (minimal), ==, 1);
  }
}

static void
test_node_types (void)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (DD_TYPE_IVR_NODE_TYPE);
  static const struct {
    DdIvrNodeType  type;
    const char    *name;
    const char    *exits;    /* space separated */
    const char    *required;
  } expected[] = {
    { DD_IVR_NODE_PLAY, "play", "done", "done" },
    { DD_IVR_NODE_MENU, "menu", "1 2 3 4 5 6 7 8 9 0 * # timeout invalid", "timeout invalid" },
    { DD_IVR_NODE_SAY_AMOUNT, "say-amount", "done", "done" },
    { DD_IVR_NODE_SAY_DATE, "say-date", "done", "done" },
    { DD_IVR_NODE_SAY_INVOICE, "say-invoice", "done", "done" },
    { DD_IVR_NODE_COLLECT_DIGITS, "collect-digits", "done timeout invalid",
      "done timeout invalid" },
    { DD_IVR_NODE_DECLARE_PAYMENT, "declare-payment", "done failed", "done failed" },
    { DD_IVR_NODE_TRANSFER, "transfer", "answered failed", "failed" },
    { DD_IVR_NODE_SEND_SMS, "send-sms", "done", "done" },
    { DD_IVR_NODE_TIME_SWITCH, "time-switch", "open closed", "open closed" },
    { DD_IVR_NODE_SET_STATUS, "set-status", "done", "done" },
    { DD_IVR_NODE_HANG_UP, "hang-up", "", "" },
  };

  g_assert_cmpuint (G_N_ELEMENTS (expected), ==, DD_IVR_N_NODE_TYPES);

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      DdIvrNodeType type = expected[i].type;
      DdIvrNodeType parsed = DD_IVR_NODE_HANG_UP;
      g_autofree char *exits = g_strjoinv (" ", (char **) dd_ivr_node_type_get_exits (type));
      g_autoptr(GString) required = g_string_new (NULL);
      GEnumValue *value = g_enum_get_value (enum_class, type);

      g_assert_cmpstr (dd_ivr_node_type_to_string (type), ==, expected[i].name);
      g_assert_true (dd_ivr_node_type_from_string (expected[i].name, &parsed));
      g_assert_cmpint (parsed, ==, type);
      g_assert_cmpstr (value->value_nick, ==, expected[i].name);
      g_assert_cmpstr (dd_ivr_node_type_get_display_name (type), !=, "");
      g_assert_cmpstr (exits, ==, expected[i].exits);

      for (const char * const *e = dd_ivr_node_type_get_exits (type); *e != NULL; e++)
        {
          g_assert_true (dd_ivr_node_type_has_exit (type, *e));
          g_assert_cmpstr (dd_ivr_exit_get_display_name (*e), !=, *e);
          if (dd_ivr_node_type_exit_is_required (type, *e))
            g_string_append_printf (required, "%s%s", required->len > 0 ? " " : "", *e);
        }
      g_assert_cmpstr (required->str, ==, expected[i].required);
      g_assert_false (dd_ivr_node_type_has_exit (type, "nowhere"));
    }

  g_assert_false (dd_ivr_node_type_from_string ("teleport", NULL));
  g_assert_cmpstr (dd_ivr_exit_get_display_name ("strange"), ==, "strange");

  g_assert_true (dd_ivr_placeholder_is_known ("payment_link"));
  g_assert_true (dd_ivr_placeholder_is_known ("agent_phone"));
  g_assert_false (dd_ivr_placeholder_is_known ("declared_amount"));
  g_assert_false (dd_ivr_placeholder_is_known ("foo"));
}

static void
on_changed (DdIvrFlow *flow,
            guint     *count)
{
  (*count)++;
}

static void
test_mutations (void)
{
  g_autoptr(DdIvrFlow) flow = dd_ivr_flow_new ("Edit");
  g_autoptr(GError) error = NULL;
  g_autoptr(DdIvrNode) saved = NULL;
  g_autoptr(GPtrArray) incoming = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *start = NULL;
  g_autoptr(JsonNode) old_prompt = NULL;
  const DdIvrNode *menu;
  guint changes = 0;

  g_signal_connect (flow, "changed", G_CALLBACK (on_changed), &changes);

  /* A load is one change. */
  g_assert_true (dd_ivr_flow_load_from_data (flow, "{\"format\": 1, \"nodes\": []}", -1,
                                             &error));
  g_assert_cmpuint (changes, ==, 1);
  changes = 0;

  g_assert_nonnull (dd_ivr_flow_add_node (flow, DD_IVR_NODE_PLAY, "hello", 0, 0, &error));
  g_assert_cmpstr (dd_ivr_flow_get_start (flow), ==, "hello");
  menu = dd_ivr_flow_add_node (flow, DD_IVR_NODE_MENU, NULL, 100, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (menu->id, ==, "menu-1");
  g_assert_nonnull (dd_ivr_flow_add_node (flow, DD_IVR_NODE_HANG_UP, "bye", 200, 0, &error));
  g_assert_cmpstr (dd_ivr_flow_get_start (flow), ==, "hello");
  g_assert_cmpuint (changes, ==, 3);

  g_assert_null (dd_ivr_flow_add_node (flow, DD_IVR_NODE_PLAY, "bye", 0, 0, &error));
  g_assert_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_true (dd_ivr_flow_connect (flow, "hello", "done", "menu-1", &error));
  g_assert_true (dd_ivr_flow_connect (flow, "menu-1", "1", "hello", &error));
  g_assert_true (dd_ivr_flow_connect (flow, "menu-1", "2", "menu-1", &error));
  g_assert_true (dd_ivr_flow_connect (flow, "menu-1", "timeout", "bye", &error));
  g_assert_true (dd_ivr_flow_connect (flow, "menu-1", "invalid", "bye", &error));
  g_assert_no_error (error);
  g_assert_false (dd_ivr_flow_connect (flow, "hello", "1", "bye", &error));
  g_assert_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_BAD_EXIT);
  g_clear_error (&error);
  g_assert_false (dd_ivr_flow_connect (flow, "hello", "done", "ghost", &error));
  g_assert_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpstr (dd_ivr_node_get_exit (dd_ivr_flow_get_node (flow, "hello"), "done"), ==,
                   "menu-1");

  /* Setting a parameter and undoing it. */
  old_prompt = json_node_copy (json_object_get_member (menu->params, "prompt"));
  g_assert_true (dd_ivr_flow_set_param_string (flow, "menu-1", "prompt", "Press 1.", NULL));
  g_assert_cmpstr (dd_ivr_node_get_string (menu, "prompt", NULL), ==, "Press 1.");
  g_assert_true (dd_ivr_flow_set_param (flow, "menu-1", "prompt", old_prompt, NULL));
  g_assert_null (dd_ivr_node_get_string (menu, "prompt", NULL));
  g_assert_true (dd_ivr_flow_set_param_int (flow, "menu-1", "max_retries", 4, NULL));
  g_assert_cmpint (dd_ivr_node_get_int (menu, "max_retries", 0), ==, 4);
  g_assert_true (dd_ivr_flow_set_param (flow, "menu-1", "max_retries", NULL, NULL));
  g_assert_cmpint (dd_ivr_node_get_int (menu, "max_retries", -1), ==, -1);

  g_assert_true (dd_ivr_flow_move_node (flow, "bye", 300.5, 40, NULL));
  g_assert_cmpfloat (dd_ivr_flow_get_node (flow, "bye")->x, ==, 300.5);
  g_assert_false (dd_ivr_flow_move_node (flow, "ghost", 1, 1, &error));
  g_assert_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Removing a node with incoming exits, then undoing it as the editor would. */
  before = dd_ivr_flow_to_data (flow, NULL);
  saved = dd_ivr_node_copy (dd_ivr_flow_get_node (flow, "hello"));
  incoming = dd_ivr_flow_get_incoming (flow, "hello");
  start = g_strdup (dd_ivr_flow_get_start (flow));
  g_assert_cmpuint (incoming->len, ==, 1);
  g_assert_cmpstr (((DdIvrEdge *) incoming->pdata[0])->from, ==, "menu-1");
  g_assert_cmpstr (((DdIvrEdge *) incoming->pdata[0])->outcome, ==, "1");

  changes = 0;
  g_assert_true (dd_ivr_flow_remove_node (flow, "hello", &error));
  g_assert_cmpuint (changes, ==, 1);
  g_assert_null (dd_ivr_flow_get_node (flow, "hello"));
  g_assert_null (dd_ivr_flow_get_start (flow));
  g_assert_null (dd_ivr_node_get_exit (menu, "1"));
  g_assert_cmpuint (dd_ivr_flow_get_n_nodes (flow), ==, 2);

  g_assert_true (dd_ivr_flow_insert_node (flow, saved, &error));
  for (guint i = 0; i < incoming->len; i++)
    {
      DdIvrEdge *edge = incoming->pdata[i];

      g_assert_true (dd_ivr_flow_connect (flow, edge->from, edge->outcome, edge->to, &error));
    }
  dd_ivr_flow_set_start (flow, start);
  g_assert_no_error (error);
  g_assert_false (dd_ivr_flow_insert_node (flow, saved, &error));
  g_assert_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_EXISTS);
  g_clear_error (&error);

  /* Same graph; the restored node is now last. */
  {
    g_autoptr(DdIvrFlow) a = load (before);
    g_autoptr(GPtrArray) issues_a = dd_ivr_flow_validate (a);
    g_autoptr(GPtrArray) issues_b = dd_ivr_flow_validate (flow);

    after = dd_ivr_flow_to_data (flow, NULL);
    g_assert_cmpuint (strlen (after), ==, strlen (before));
    g_assert_cmpuint (issues_a->len, ==, issues_b->len);
    g_assert_cmpstr (dd_ivr_node_get_exit (dd_ivr_flow_get_node (flow, "hello"), "done"), ==,
                     "menu-1");
    g_assert_cmpstr (dd_ivr_node_get_exit (menu, "1"), ==, "hello");
  }

  ids = dd_ivr_flow_get_node_ids (flow);
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpstr (ids->pdata[2], ==, "hello");

  /* Disconnecting twice is harmless. */
  changes = 0;
  g_assert_true (dd_ivr_flow_disconnect (flow, "menu-1", "2", NULL));
  g_assert_true (dd_ivr_flow_disconnect (flow, "menu-1", "2", NULL));
  g_assert_cmpuint (changes, ==, 1);
  g_assert_null (dd_ivr_node_get_exit (menu, "2"));

  /* Node ids are made up without clashing. */
  {
    g_autofree char *id = dd_ivr_flow_make_node_id (flow, DD_IVR_NODE_MENU);

    g_assert_cmpstr (id, ==, "menu-2");
  }
}

static void
test_validate_clean_and_start (void)
{
  g_autoptr(DdIvrFlow) flow = load (
    "{\"format\": 1, \"start\": \"a\", \"nodes\": ["
    "{\"id\": \"a\", \"type\": \"play\", \"params\": {\"text\": \"Hi {name}\"},"
    " \"exits\": {\"done\": \"h\"}},"
    "{\"id\": \"h\", \"type\": \"hang-up\"}]}");
  g_autoptr(GPtrArray) issues = dd_ivr_flow_validate (flow);

  g_assert_cmpuint (issues->len, ==, 0);
  g_assert_false (dd_ivr_flow_has_errors (issues));
  g_clear_pointer (&issues, g_ptr_array_unref);

  dd_ivr_flow_set_start (flow, NULL);
  issues = dd_ivr_flow_validate (flow);
  g_assert_nonnull (find_issue (issues, DD_IVR_ISSUE_NO_START, NULL));
  g_assert_true (dd_ivr_flow_has_errors (issues));
  /* Without a start, reachability is not reported node by node. */
  g_assert_cmpuint (count_issues (issues, DD_IVR_ISSUE_UNREACHABLE), ==, 0);
  g_clear_pointer (&issues, g_ptr_array_unref);

  dd_ivr_flow_set_start (flow, "ghost");
  issues = dd_ivr_flow_validate (flow);
  g_assert_nonnull (find_issue (issues, DD_IVR_ISSUE_NO_START, NULL));
  g_assert_nonnull (strstr (find_issue (issues, DD_IVR_ISSUE_NO_START, NULL)->message, "ghost"));
}

static void
test_validate_rules (void)
{
  g_autoptr(DdIvrFlow) flow = load (
    "{\"format\": 1, \"start\": \"start\", \"nodes\": ["
    /* dangling exit */
    "{\"id\": \"start\", \"type\": \"play\", \"params\": {\"text\": \"Hello {nmae}\"},"
    " \"exits\": {\"done\": \"menu\", \"7\": \"menu\"}},"
    /* menu without timeout, invalid; keys fine */
    "{\"id\": \"menu\", \"type\": \"menu\", \"params\": {\"prompt\": \"Pick\", \"timeout_ms\": 0},"
    " \"exits\": {\"1\": \"nowhere\", \"2\": \"loop-a\", \"3\": \"sms\"}},"
    /* a loop with no way out */
    "{\"id\": \"loop-a\", \"type\": \"play\", \"params\": {\"text\": \"A\"},"
    " \"exits\": {\"done\": \"loop-b\"}},"
    "{\"id\": \"loop-b\", \"type\": \"say-amount\", \"exits\": {\"done\": \"loop-a\"}},"
    /* missing exit, missing text */
    "{\"id\": \"sms\", \"type\": \"send-sms\", \"params\": {\"text\": \"\"}},"
    /* unreachable, no options, bad params */
    "{\"id\": \"orphan\", \"type\": \"menu\", \"params\": {\"prompt\": \"x\"},"
    " \"exits\": {\"timeout\": \"end\", \"invalid\": \"end\"}},"
    "{\"id\": \"queue\", \"type\": \"transfer\", \"exits\": {\"failed\": \"end\"}},"
    "{\"id\": \"hours\", \"type\": \"time-switch\", \"params\": {\"timezone\": \"Mars/Olympus\"},"
    " \"exits\": {\"open\": \"end\", \"closed\": \"end\"}},"
    "{\"id\": \"hours2\", \"type\": \"time-switch\", \"params\": {\"hours\": {\"mon\": "
    "[\"8-16\"]}}, \"exits\": {\"open\": \"end\", \"closed\": \"end\"}},"
    "{\"id\": \"declare\", \"type\": \"declare-payment\", \"params\": {\"confirm_prompt\": "
    "\"{declared_amount} on {declared_date}\", \"date_prompt\": \"{declared_date}\"},"
    " \"exits\": {\"done\": \"end\", \"failed\": \"end\"}},"
    "{\"id\": \"status\", \"type\": \"set-status\", \"exits\": {\"done\": \"end\"}},"
    "{\"id\": \"end\", \"type\": \"hang-up\"}]}");
  g_autoptr(GPtrArray) issues = dd_ivr_flow_validate (flow);
  const DdIvrIssue *issue;

  print_issues (issues);

  issue = find_issue (issues, DD_IVR_ISSUE_DANGLING_EXIT, "menu");
  g_assert_nonnull (issue);
  g_assert_cmpint (issue->severity, ==, DD_IVR_SEVERITY_ERROR);
  g_assert_cmpstr (issue->outcome, ==, "1");

  issue = find_issue (issues, DD_IVR_ISSUE_UNKNOWN_EXIT, "start");
  g_assert_nonnull (issue);
  g_assert_cmpstr (issue->outcome, ==, "7");

  g_assert_nonnull (find_issue (issues, DD_IVR_ISSUE_MENU_NO_TIMEOUT, "menu"));
  g_assert_nonnull (find_issue (issues, DD_IVR_ISSUE_MENU_NO_INVALID, "menu"));
  g_assert_null (find_issue (issues, DD_IVR_ISSUE_MENU_NO_OPTIONS, "menu"));
  g_assert_nonnull (find_issue (issues, DD_IVR_ISSUE_MENU_NO_OPTIONS, "orphan"));
  g_assert_nonnull (find_issue (issues, DD_IVR_ISSUE_BAD_PARAM, "menu"));  /* timeout 0 */

  g_assert_nonnull (find_issue (issues, DD_IVR_ISSUE_ENDLESS_LOOP, "loop-a"));
  g_assert_nonnull (find_issue (issues, DD_IVR_ISSUE_ENDLESS_LOOP, "loop-b"));
  g_assert_cmpuint (count_issues (issues, DD_IVR_ISSUE_ENDLESS_LOOP), ==, 2);

  issue = find_issue (issues, DD_IVR_ISSUE_MISSING_EXIT, "sms");
  g_assert_nonnull (issue);
  g_assert_cmpstr (issue->outcome, ==, "done");
  g_assert_nonnull (find_issue (issues, DD_IVR_ISSUE_BAD_PARAM, "sms"));

  issue = find_issue (issues, DD_IVR_ISSUE_UNREACHABLE, "orphan");
  g_assert_nonnull (issue);
  g_assert_cmpint (issue->severity, ==, DD_IVR_SEVERITY_WARNING);
  g_assert_nonnull (find_issue (issues, DD_IVR_ISSUE_UNREACHABLE, "queue"));
  g_assert_null (find_issue (issues, DD_IVR_ISSUE_UNREACHABLE, "loop-b"));

  g_assert_nonnull (find_issue (issues, DD_IVR_ISSUE_BAD_PARAM, "queue"));
  g_assert_null (find_issue (issues, DD_IVR_ISSUE_MISSING_EXIT, "queue"));  /* answered optional */
  issue = find_issue (issues, DD_IVR_ISSUE_BAD_PARAM, "hours");
  g_assert_nonnull (issue);
  g_assert_nonnull (strstr (issue->message, "Mars/Olympus"));
  g_assert_nonnull (find_issue (issues, DD_IVR_ISSUE_BAD_PARAM, "hours2"));
  g_assert_nonnull (find_issue (issues, DD_IVR_ISSUE_BAD_PARAM, "status"));

  issue = find_issue (issues, DD_IVR_ISSUE_UNKNOWN_PLACEHOLDER, "start");
  g_assert_nonnull (issue);
  g_assert_nonnull (strstr (issue->message, "{nmae}"));
  /* {declared_*} is known in a confirm prompt only. */
  g_assert_cmpuint (count_issues (issues, DD_IVR_ISSUE_UNKNOWN_PLACEHOLDER), ==, 2);
  g_assert_nonnull (find_issue (issues, DD_IVR_ISSUE_UNKNOWN_PLACEHOLDER, "declare"));

  g_assert_null (find_issue (issues, DD_IVR_ISSUE_NO_START, NULL));
  g_assert_true (dd_ivr_flow_has_errors (issues));
}

static void
test_validate_loops (void)
{
  /* A menu that loops on itself is fine as long as its timeout leads out; a cycle through a
   * time switch with both branches in the cycle is not. */
  g_autoptr(DdIvrFlow) flow = load (
    "{\"format\": 1, \"start\": \"m\", \"nodes\": ["
    "{\"id\": \"m\", \"type\": \"menu\", \"params\": {\"prompt\": \"x\"},"
    " \"exits\": {\"1\": \"m\", \"2\": \"t\", \"timeout\": \"end\", \"invalid\": \"m\"}},"
    "{\"id\": \"t\", \"type\": \"time-switch\", \"exits\": {\"open\": \"s\", \"closed\": \"s\"}},"
    "{\"id\": \"s\", \"type\": \"set-status\", \"params\": {\"status\": \"x\"},"
    " \"exits\": {\"done\": \"t\"}},"
    "{\"id\": \"end\", \"type\": \"hang-up\"}]}");
  g_autoptr(GPtrArray) issues = dd_ivr_flow_validate (flow);

  print_issues (issues);
  g_assert_null (find_issue (issues, DD_IVR_ISSUE_ENDLESS_LOOP, "m"));
  g_assert_nonnull (find_issue (issues, DD_IVR_ISSUE_ENDLESS_LOOP, "t"));
  g_assert_nonnull (find_issue (issues, DD_IVR_ISSUE_ENDLESS_LOOP, "s"));
  g_assert_cmpuint (issues->len, ==, 2);

  /* A way out through a transfer breaks the loop. */
  g_assert_nonnull (dd_ivr_flow_add_node (flow, DD_IVR_NODE_TRANSFER, "q", 0, 0, NULL));
  g_assert_true (dd_ivr_flow_set_param_string (flow, "q", "queue", "collections", NULL));
  g_assert_true (dd_ivr_flow_connect (flow, "q", "failed", "end", NULL));
  g_assert_true (dd_ivr_flow_connect (flow, "t", "closed", "q", NULL));
  g_clear_pointer (&issues, g_ptr_array_unref);
  issues = dd_ivr_flow_validate (flow);
  print_issues (issues);
  g_assert_cmpuint (issues->len, ==, 0);
}

static void
test_time_switch (void)
{
  g_autoptr(DdIvrFlow) flow = dd_ivr_flow_new_from_template ("inbound-hotline", NULL);
  const DdIvrNode *node = dd_ivr_flow_get_node (flow, "office-hours");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  static const struct {
    int      year, month, day, hour, minute;
    gboolean open;
  } cases[] = {
    /* Friday 27 March 2026, CET (UTC+1) */
    { 2026, 3, 27, 6, 59, FALSE },   /* 07:59 */
    { 2026, 3, 27, 7, 0, TRUE },     /* 08:00 */
    { 2026, 3, 27, 14, 59, TRUE },   /* 15:59 */
    { 2026, 3, 27, 15, 0, FALSE },   /* 16:00 */
    /* Saturday */
    { 2026, 3, 28, 10, 0, FALSE },
    /* Monday 30 March 2026, CEST (UTC+2) after the change on Sunday 29 March */
    { 2026, 3, 30, 5, 59, FALSE },   /* 07:59 */
    { 2026, 3, 30, 6, 0, TRUE },     /* 08:00 */
    { 2026, 3, 30, 13, 59, TRUE },   /* 15:59 */
    { 2026, 3, 30, 14, 0, FALSE },   /* 16:00 */
    /* Monday 26 October 2026, back to CET after Sunday 25 October */
    { 2026, 10, 26, 6, 30, FALSE },  /* 07:30 */
    { 2026, 10, 26, 7, 30, TRUE },   /* 08:30 */
    { 2026, 10, 26, 14, 30, TRUE },  /* 15:30 */
    { 2026, 10, 26, 15, 30, FALSE }, /* 16:30 */
    /* Friday 23 October 2026, still CEST */
    { 2026, 10, 23, 14, 30, FALSE }, /* 16:30 */
    { 2026, 10, 23, 6, 30, TRUE },   /* 08:30 */
    /* Sunday night UTC is Monday morning in Warsaw */
    { 2026, 3, 29, 23, 30, FALSE },  /* Monday 01:30 */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) now = g_date_time_new (utc, cases[i].year, cases[i].month,
                                                  cases[i].day, cases[i].hour,
                                                  cases[i].minute, 0);
      g_autoptr(GError) error = NULL;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_cmpint (dd_ivr_time_switch_is_open (node, now, &error), ==, cases[i].open);
      g_assert_no_error (error);
    }

  /* The node's own time zone counts, not the one of "now". */
  {
    g_autoptr(GDateTime) now = g_date_time_new (utc, 2026, 3, 30, 13, 30, 0);
    g_autoptr(GError) error = NULL;

    g_assert_true (dd_ivr_time_switch_is_open (node, now, NULL));      /* 15:30 Warsaw */
    g_assert_true (dd_ivr_flow_set_param_string (flow, "office-hours", "timezone",
                                                 "America/New_York", NULL));
    g_assert_true (dd_ivr_time_switch_is_open (node, now, NULL));      /* 09:30 New York */
    g_clear_pointer (&now, g_date_time_unref);
    now = g_date_time_new (utc, 2026, 3, 30, 11, 30, 0);              /* 07:30 New York */
    g_assert_false (dd_ivr_time_switch_is_open (node, now, NULL));
    g_assert_true (dd_ivr_flow_set_param_string (flow, "office-hours", "timezone", "Nowhere",
                                                 NULL));
    g_assert_false (dd_ivr_time_switch_is_open (node, now, &error));
    g_assert_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_INVALID);
  }
}

/* Issue 12, item 11: a flow carries its language: saved, loaded, checked; the templates come
 * in each language with the same graph. */
static void
test_language (void)
{
  const char * const languages[] = { "pl", "ru", "en" };
  g_autoptr(GError) error = NULL;
  g_autoptr(DdIvrFlow) english = dd_ivr_flow_new_from_template ("payment-reminder", &error);
  g_autoptr(DdIvrFlow) old = NULL;
  g_autoptr(DdIvrFlow) bad = NULL;
  g_autofree char *text = NULL;
  guint changes = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (dd_ivr_flow_get_language (english), ==, "en");

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (const char * const *name = dd_ivr_flow_get_template_names (); *name != NULL; name++)
      {
        g_autoptr(DdIvrFlow) flow = dd_ivr_flow_new_from_template_in (*name, languages[l],
                                                                      &error);
        g_autoptr(DdIvrFlow) reference = dd_ivr_flow_new_from_template (*name, NULL);
        g_autoptr(GPtrArray) issues = NULL;
        g_autoptr(GPtrArray) ids = NULL;
        g_autofree char *saved = NULL;
        g_autoptr(DdIvrFlow) again = NULL;

        g_assert_no_error (error);
        g_assert_cmpstr (dd_ivr_flow_get_language (flow), ==, languages[l]);
        /* the same steps and connections, other words */
        ids = dd_ivr_flow_get_node_ids (flow);
        g_assert_cmpuint (ids->len, ==, dd_ivr_flow_get_n_nodes (reference));
        for (guint i = 0; i < ids->len; i++)
          {
            const DdIvrNode *a = dd_ivr_flow_get_node (flow, ids->pdata[i]);
            const DdIvrNode *b = dd_ivr_flow_get_node (reference, ids->pdata[i]);

            g_assert_nonnull (b);
            g_assert_cmpint (a->type, ==, b->type);
            g_assert_cmpuint (g_hash_table_size (a->exits), ==, g_hash_table_size (b->exits));
          }
        if (strcmp (languages[l], "en") != 0 && dd_ivr_flow_get_n_nodes (flow) > 0)
          {
            g_assert_cmpstr (dd_ivr_flow_get_name (flow), !=, dd_ivr_flow_get_name (reference));
            g_assert_false (dd_ivr_flow_equal (flow, reference));
          }
        issues = dd_ivr_flow_validate (flow);
        print_issues (issues);
        if (dd_ivr_flow_get_n_nodes (flow) > 0)
          g_assert_cmpuint (issues->len, ==, 0);

        /* saved and loaded with it */
        saved = dd_ivr_flow_to_data (flow, NULL);
        again = load (saved);
        g_assert_cmpstr (dd_ivr_flow_get_language (again), ==, languages[l]);
        g_assert_true (dd_ivr_flow_equal (flow, again));
      }

  /* an unknown or mistyped language is refused */
  bad = dd_ivr_flow_new_from_data ("{\"format\": 1, \"language\": \"de\", \"nodes\": []}", -1,
                                   &error);
  g_assert_null (bad);
  g_assert_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_INVALID);
  g_clear_error (&error);
  bad = dd_ivr_flow_new_from_data ("{\"format\": 1, \"language\": 1, \"nodes\": []}", -1,
                                   &error);
  g_assert_null (bad);
  g_assert_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_INVALID);
  g_clear_error (&error);

  /* a flow saved before flows had a language has none, and writes none */
  old = load ("{\"format\": 1, \"name\": \"Old\", \"nodes\": []}");
  g_assert_null (dd_ivr_flow_get_language (old));
  text = dd_ivr_flow_to_data (old, NULL);
  g_assert_null (strstr (text, "language"));

  /* setting it is a change; an unknown one is none */
  g_signal_connect (old, "changed", G_CALLBACK (on_changed), &changes);
  dd_ivr_flow_set_language (old, "ru");
  dd_ivr_flow_set_language (old, "ru");
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpstr (dd_ivr_flow_get_language (old), ==, "ru");
  dd_ivr_flow_set_language (old, "xx");
  g_assert_null (dd_ivr_flow_get_language (old));
  g_assert_cmpuint (changes, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/ivr-flow/templates", test_templates);
  g_test_add_func ("/dd/ivr-flow/round-trip", test_round_trip);
  g_test_add_func ("/dd/ivr-flow/language", test_language);
  g_test_add_func ("/dd/ivr-flow/format", test_format);
  g_test_add_func ("/dd/ivr-flow/node-types", test_node_types);
  g_test_add_func ("/dd/ivr-flow/mutations", test_mutations);
  g_test_add_func ("/dd/ivr-flow/validate-start", test_validate_clean_and_start);
  g_test_add_func ("/dd/ivr-flow/validate-rules", test_validate_rules);
  g_test_add_func ("/dd/ivr-flow/validate-loops", test_validate_loops);
  g_test_add_func ("/dd/ivr-flow/time-switch", test_time_switch);

  return g_test_run ();
}
