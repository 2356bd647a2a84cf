/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "dd-ivr-flow"

#include "config.h"

#include "dd-ivr-flow.h"
#include "dd-core-resources.h"
#include "dd-json.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include <math.h>
#include <string.h>

#define TEMPLATE_PATH "/io/github/dunningdesk/DunningDesk/ivr/"

/* Positions are kept inside this square, whatever a file says. */
#define MAX_COORDINATE 1.0e6

struct _DdIvrFlow
{
  GObject     parent_instance;

  char       *name;
  char       *language;    /* "pl", "ru", "en" or NULL (a flow saved before flows had one) */
  char       *start;
  GPtrArray  *nodes;       /* DdIvrNode*, in the order they were added */
  GHashTable *by_id;       /* id → DdIvrNode* (owned by @nodes) */
};

G_DEFINE_TYPE (DdIvrFlow, dd_ivr_flow, G_TYPE_OBJECT)

G_DEFINE_QUARK (dd-ivr-flow-error-quark, dd_ivr_flow_error)

G_DEFINE_ENUM_TYPE (DdIvrNodeType, dd_ivr_node_type,
  G_DEFINE_ENUM_VALUE (DD_IVR_NODE_PLAY, "play"),
  G_DEFINE_ENUM_VALUE (DD_IVR_NODE_MENU, "menu"),
  G_DEFINE_ENUM_VALUE (DD_IVR_NODE_SAY_AMOUNT, "say-amount"),
  G_DEFINE_ENUM_VALUE (DD_IVR_NODE_SAY_DATE, "say-date"),
  G_DEFINE_ENUM_VALUE (DD_IVR_NODE_SAY_INVOICE, "say-invoice"),
  G_DEFINE_ENUM_VALUE (DD_IVR_NODE_COLLECT_DIGITS, "collect-digits"),
  G_DEFINE_ENUM_VALUE (DD_IVR_NODE_DECLARE_PAYMENT, "declare-payment"),
  G_DEFINE_ENUM_VALUE (DD_IVR_NODE_TRANSFER, "transfer"),
  G_DEFINE_ENUM_VALUE (DD_IVR_NODE_SEND_SMS, "send-sms"),
  G_DEFINE_ENUM_VALUE (DD_IVR_NODE_TIME_SWITCH, "time-switch"),
  G_DEFINE_ENUM_VALUE (DD_IVR_NODE_SET_STATUS, "set-status"),
  G_DEFINE_ENUM_VALUE (DD_IVR_NODE_HANG_UP, "hang-up"))

G_DEFINE_BOXED_TYPE (DdIvrNode, dd_ivr_node, dd_ivr_node_copy, dd_ivr_node_free)
G_DEFINE_BOXED_TYPE (DdIvrIssue, dd_ivr_issue, dd_ivr_issue_copy, dd_ivr_issue_free)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  const char         *name;
  const char         *display_name;
  const char * const *exits;
  const char * const *required;
} NodeTypeInfo;

static const char * const exits_done[] = { "done", NULL };
static const char * const exits_menu[] = {
  "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "*", "#", "timeout", "invalid", NULL,
};
static const char * const exits_menu_required[] = { "timeout", "invalid", NULL };
static const char * const exits_collect[] = { "done", "timeout", "invalid", NULL };
static const char * const exits_declare[] = { "done", "failed", NULL };
static const char * const exits_transfer[] = { "answered", "failed", NULL };
static const char * const exits_transfer_required[] = { "failed", NULL };
static const char * const exits_time_switch[] = { "open", "closed", NULL };
static const char * const exits_none[] = { NULL };

static const NodeTypeInfo node_types[DD_IVR_N_NODE_TYPES] = {
  [DD_IVR_NODE_PLAY] = { "play", N_("Play Message"), exits_done, exits_done },
  [DD_IVR_NODE_MENU] = { "menu", N_("Menu"), exits_menu, exits_menu_required },
  [DD_IVR_NODE_SAY_AMOUNT] = { "say-amount", N_("Say Amount"), exits_done, exits_done },
  [DD_IVR_NODE_SAY_DATE] = { "say-date", N_("Say Date"), exits_done, exits_done },
  [DD_IVR_NODE_SAY_INVOICE] = { "say-invoice", N_("Say Invoice Details"), exits_done,
                                exits_done },
  [DD_IVR_NODE_COLLECT_DIGITS] = { "collect-digits", N_("Collect Digits"), exits_collect,
                                   exits_collect },
  [DD_IVR_NODE_DECLARE_PAYMENT] = { "declare-payment", N_("Declare Payment"), exits_declare,
                                    exits_declare },
  [DD_IVR_NODE_TRANSFER] = { "transfer", N_("Transfer to Consultant"), exits_transfer,
                             exits_transfer_required },
  [DD_IVR_NODE_SEND_SMS] = { "send-sms", N_("Send SMS"), exits_done, exits_done },
  [DD_IVR_NODE_TIME_SWITCH] = { "time-switch", N_("Office Hours"), exits_time_switch,
                                exits_time_switch },
  [DD_IVR_NODE_SET_STATUS] = { "set-status", N_("Set Case Status"), exits_done, exits_done },
  [DD_IVR_NODE_HANG_UP] = { "hang-up", N_("Hang Up"), exits_none, exits_none },
};

static const char * const known_placeholders[] = {
  "name", "amount", "due_date", "invoice", "creditor", "payment_link", "agent_phone",
  "balance", NULL,
};

/* Parameters that hold text to speak or send, checked for placeholders. */
static const char * const text_params[] = {
  "text", "prompt", "invalid_prompt", "timeout_prompt", "prefix", "date_prompt",
  "amount_prompt", "confirm_prompt", NULL,
};

static const char * const template_names[] = {
  "payment-reminder", "inbound-hotline", "empty", NULL,
};

/* The languages a flow can speak (dd-speech says amounts and dates in these). */
static const char * const languages[] = { "pl", "ru", "en", NULL };

/* Indexed by g_date_time_get_day_of_week(); NULL-terminated from index 1. */
static const char * const weekday_keys[9] = {
  NULL, "mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL,
};

/* Positions are finite, inside the square of MAX_COORDINATE and either 0 or at least 1e-4
 * away from it, so that they are written in fixed notation, which reads back exactly. */
static double
coordinate (double d)
{
  if (!isfinite (d) || fabs (d) < 1.0e-4)
    return 0;

  return CLAMP (d, -MAX_COORDINATE, MAX_COORDINATE);
}

/* Nodes */

static JsonNode *
deep_copy (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *copy = json_object_new ();
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        json_object_set_member (copy, name, deep_copy (member));

      return json_node_init_object (json_node_alloc (), copy);
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      JsonArray *copy = json_array_sized_new (json_array_get_length (array));

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (copy, deep_copy (json_array_get_element (array, i)));

      return json_node_init_array (json_node_alloc (), copy);
    }

  return json_node_copy (node);
}

/* json-glib 1.6 writes some doubles so that it cannot read them back ("9e+19.0", "inf"):
 * keep only doubles it writes with a decimal point, for lossless round trips. */
static void
normalize_numbers (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        normalize_numbers (member);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        normalize_numbers (json_array_get_element (array, i));
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      if (!isfinite (d))
        json_node_init_null (node);
      else if (strchr (g_ascii_dtostr (buffer, sizeof buffer, d), '.') == NULL)
        {
          /* Exponent without a fraction: huge or tiny. */
          if (fabs (d) >= 1.0)
            json_node_set_int (node, d > 0 ? G_GINT64_CONSTANT (9000000000000000)
                                           : -G_GINT64_CONSTANT (9000000000000000));
          else
            json_node_set_double (node, 0.0);
        }
    }
}

static JsonObject *
copy_object (JsonObject *object)
{
  g_autoptr(JsonNode) wrapper = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonNode) copy = deep_copy (wrapper);

  return json_node_dup_object (copy);
}

static DdIvrNode *
node_new_empty (const char    *id,
                DdIvrNodeType  type)
{
  DdIvrNode *node = g_new0 (DdIvrNode, 1);

  node->id = g_strdup (id);
  node->type = type;
  node->params = json_object_new ();
  node->exits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return node;
}

/**
 * dd_ivr_node_new:
 * @id: the node id
 * @type: the node type
 *
 * Makes a node with the default parameters of its type (a menu waits 5 seconds and repeats
 * twice, office hours are Monday to Friday 8:00-16:00 in Europe/Warsaw...) and no exits.
 *
 * Returns: (transfer full): the node
 */
DdIvrNode *
dd_ivr_node_new (const char    *id,
                 DdIvrNodeType  type)
{
  DdIvrNode *node;

  g_return_val_if_fail (id != NULL && id[0] != '\0', NULL);
  g_return_val_if_fail (type < DD_IVR_N_NODE_TYPES, NULL);

  node = node_new_empty (id, type);

  switch (type)
    {
    case DD_IVR_NODE_PLAY:
    case DD_IVR_NODE_SEND_SMS:
      json_object_set_string_member (node->params, "text", "");
      break;

    case DD_IVR_NODE_MENU:
      json_object_set_string_member (node->params, "prompt", "");
      json_object_set_int_member (node->params, "timeout_ms", 5000);
      json_object_set_int_member (node->params, "max_retries", 2);
      break;

    case DD_IVR_NODE_COLLECT_DIGITS:
      json_object_set_string_member (node->params, "prompt", "");
      json_object_set_int_member (node->params, "min_digits", 1);
      json_object_set_int_member (node->params, "max_digits", 16);
      json_object_set_string_member (node->params, "terminator", "#");
      json_object_set_int_member (node->params, "timeout_ms", 5000);
      break;

    case DD_IVR_NODE_DECLARE_PAYMENT:
      json_object_set_int_member (node->params, "timeout_ms", 7000);
      json_object_set_int_member (node->params, "max_retries", 2);
      break;

    case DD_IVR_NODE_TRANSFER:
      json_object_set_string_member (node->params, "queue", "");
      break;

    case DD_IVR_NODE_TIME_SWITCH:
      {
        JsonObject *hours = json_object_new ();

        for (guint day = 1; day <= 5; day++)
          {
            JsonArray *ranges = json_array_new ();

            json_array_add_string_element (ranges, "08:00-16:00");
            json_object_set_array_member (hours, weekday_keys[day], ranges);
          }
        json_object_set_string_member (node->params, "timezone", "Europe/Warsaw");
        json_object_set_object_member (node->params, "hours", hours);
        json_object_set_array_member (node->params, "holidays", json_array_new ());
      }
      break;

    case DD_IVR_NODE_SET_STATUS:
      json_object_set_string_member (node->params, "status", "");
      break;

    case DD_IVR_NODE_SAY_AMOUNT:
    case DD_IVR_NODE_SAY_DATE:
    case DD_IVR_NODE_SAY_INVOICE:
    case DD_IVR_NODE_HANG_UP:
    default:
      break;
    }

  return node;
}

/**
 * dd_ivr_node_copy:
 * @node: a node
 *
 * Returns: (transfer full): a deep copy, belonging to no flow
 */
DdIvrNode *
dd_ivr_node_copy (const DdIvrNode *node)
{
  DdIvrNode *copy;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (node != NULL, NULL);

  copy = node_new_empty (node->id, node->type);
  copy->x = node->x;
  copy->y = node->y;

  json_object_unref (copy->params);
  copy->params = copy_object (node->params);

  g_hash_table_iter_init (&iter, node->exits);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->exits, g_strdup (key), g_strdup (value));

  return copy;
}

void
dd_ivr_node_free (DdIvrNode *node)
{
  if (node == NULL)
    return;

  g_free (node->id);
  g_clear_pointer (&node->params, json_object_unref);
  g_clear_pointer (&node->exits, g_hash_table_unref);
  g_free (node);
}

/**
 * dd_ivr_node_get_exit:
 * @node: a node
 * @outcome: an exit
 *
 * Returns: (nullable): the id of the node the exit leads to
 */
const char *
dd_ivr_node_get_exit (const DdIvrNode *node,
                      const char      *outcome)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (outcome != NULL, NULL);

  return g_hash_table_lookup (node->exits, outcome);
}

/**
 * dd_ivr_node_get_string:
 * @node: a node
 * @param: a parameter name
 * @default_value: (nullable): what to return when the parameter is missing, not a string
 *   or empty
 *
 * Returns: (nullable): the parameter
 */
const char *
dd_ivr_node_get_string (const DdIvrNode *node,
                        const char      *param,
                        const char      *default_value)
{
  JsonNode *value;
  const char *text;

  g_return_val_if_fail (node != NULL, default_value);

  value = json_object_get_member (node->params, param);
  if (value == NULL || json_node_get_value_type (value) != G_TYPE_STRING)
    return default_value;

  text = json_node_get_string (value);

  return text != NULL && text[0] != '\0' ? text : default_value;
}

/**
 * dd_ivr_node_get_int:
 * @node: a node
 * @param: a parameter name
 * @default_value: what to return when the parameter is missing or not a number
 *
 * Returns: the parameter; a fractional number is truncated, a huge one clamped
 */
gint64
dd_ivr_node_get_int (const DdIvrNode *node,
                     const char      *param,
                     gint64           default_value)
{
  JsonNode *value;
  GType type;

  g_return_val_if_fail (node != NULL, default_value);

  value = json_object_get_member (node->params, param);
  if (value == NULL || JSON_NODE_TYPE (value) != JSON_NODE_VALUE)
    return default_value;

  type = json_node_get_value_type (value);
  if (type == G_TYPE_INT64)
    return json_node_get_int (value);
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (value);

      if (isnan (d))
        return default_value;
      if (d >= 9.0e18)
        return G_GINT64_CONSTANT (9000000000000000000);
      if (d <= -9.0e18)
        return -G_GINT64_CONSTANT (9000000000000000000);
      return (gint64) d;
    }

  return default_value;
}

/* Node types */

/**
 * dd_ivr_node_type_to_string:
 * @type: a node type
 *
 * Returns: the name used in the JSON form ("play", "say-amount"...)
 */
const char *
dd_ivr_node_type_to_string (DdIvrNodeType type)
{
  g_return_val_if_fail (type < DD_IVR_N_NODE_TYPES, NULL);

  return node_types[type].name;
}

/**
 * dd_ivr_node_type_from_string:
 * @name: a name of the JSON form
 * @out_type: (out): the type
 *
 * Returns: whether @name is a node type
 */
gboolean
dd_ivr_node_type_from_string (const char    *name,
                              DdIvrNodeType *out_type)
{
  for (guint i = 0; name != NULL && i < DD_IVR_N_NODE_TYPES; i++)
    {
      if (strcmp (node_types[i].name, name) == 0)
        {
          if (out_type != NULL)
            *out_type = i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * dd_ivr_node_type_get_display_name:
 * @type: a node type
 *
 * Returns: the translated name for the palette ("Play Message", "Menu"...)
 */
const char *
dd_ivr_node_type_get_display_name (DdIvrNodeType type)
{
  g_return_val_if_fail (type < DD_IVR_N_NODE_TYPES, NULL);

  return _(node_types[type].display_name);
}

/**
 * dd_ivr_node_type_get_exits:
 * @type: a node type
 *
 * All exits a node of @type can have, in the order the editor should show its ports. A menu
 * has "1"-"9", "0", "*", "#", "timeout" and "invalid"; a hang-up has none.
 *
 * Returns: (transfer none) (array zero-terminated=1): the outcomes
 */
const char * const *
dd_ivr_node_type_get_exits (DdIvrNodeType type)
{
  g_return_val_if_fail (type < DD_IVR_N_NODE_TYPES, exits_none);

  return node_types[type].exits;
}

/**
 * dd_ivr_node_type_has_exit:
 * @type: a node type
 * @outcome: an exit
 *
 * Returns: whether nodes of @type have the exit @outcome
 */
gboolean
dd_ivr_node_type_has_exit (DdIvrNodeType  type,
                           const char    *outcome)
{
  g_return_val_if_fail (type < DD_IVR_N_NODE_TYPES, FALSE);

  return outcome != NULL && g_strv_contains ((const char * const *) node_types[type].exits,
                                             outcome);
}

/**
 * dd_ivr_node_type_exit_is_required:
 * @type: a node type
 * @outcome: an exit
 *
 * Whether a valid flow must connect the exit. The keys of a menu are not required (but one
 * of them is), nor is "answered" of a transfer.
 *
 * Returns: %TRUE if @outcome must be connected
 */
gboolean
dd_ivr_node_type_exit_is_required (DdIvrNodeType  type,
                                   const char    *outcome)
{
  g_return_val_if_fail (type < DD_IVR_N_NODE_TYPES, FALSE);

  return outcome != NULL && g_strv_contains (node_types[type].required, outcome);
}

/**
 * dd_ivr_exit_get_display_name:
 * @outcome: an exit
 *
 * Returns: a translated label for the exit's port ("Key 1", "Timeout"...); an unknown
 *   outcome is returned as it is
 */
const char *
dd_ivr_exit_get_display_name (const char *outcome)
{
  static const struct {
    const char *outcome;
    const char *label;
  } labels[] = {
    { "done", N_("Next") },
    { "timeout", N_("No Input") },
    { "invalid", N_("Wrong Input") },
    { "failed", N_("Failed") },
    { "answered", N_("Answered") },
    { "open", N_("Open") },
    { "closed", N_("Closed") },
    { "1", N_("Key 1") }, { "2", N_("Key 2") }, { "3", N_("Key 3") },
    { "4", N_("Key 4") }, { "5", N_("Key 5") }, { "6", N_("Key 6") },
    { "7", N_("Key 7") }, { "8", N_("Key 8") }, { "9", N_("Key 9") },
    { "0", N_("Key 0") }, { "*", N_("Key *") }, { "#", N_("Key #") },
  };

  g_return_val_if_fail (outcome != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      if (strcmp (labels[i].outcome, outcome) == 0)
        return _(labels[i].label);
    }

  return outcome;
}

/**
 * dd_ivr_placeholder_is_known:
 * @name: a placeholder without braces ("amount")
 *
 * Returns: whether texts of every node may use {@name}
 */
gboolean
dd_ivr_placeholder_is_known (const char *name)
{
  return name != NULL && g_strv_contains (known_placeholders, name);
}

/* Issues and edges */

DdIvrIssue *
dd_ivr_issue_copy (const DdIvrIssue *issue)
{
  DdIvrIssue *copy = g_new0 (DdIvrIssue, 1);

  copy->severity = issue->severity;
  copy->kind = issue->kind;
  copy->node_id = g_strdup (issue->node_id);
  copy->outcome = g_strdup (issue->outcome);
  copy->message = g_strdup (issue->message);

  return copy;
}

void
dd_ivr_issue_free (DdIvrIssue *issue)
{
  if (issue == NULL)
    return;

  g_free (issue->node_id);
  g_free (issue->outcome);
  g_free (issue->message);
  g_free (issue);
}

void
dd_ivr_edge_free (DdIvrEdge *edge)
{
  if (edge == NULL)
    return;

  g_free (edge->from);
  g_free (edge->outcome);
  g_free (edge->to);
  g_free (edge);
}

/* GObject */

static void
dd_ivr_flow_finalize (GObject *object)
{
  DdIvrFlow *self = DD_IVR_FLOW (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->start, g_free);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->nodes, g_ptr_array_unref);

  G_OBJECT_CLASS (dd_ivr_flow_parent_class)->finalize (object);
}

static void
dd_ivr_flow_class_init (DdIvrFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dd_ivr_flow_finalize;

  /**
   * DdIvrFlow::changed:
   *
   * Emitted after every change: name, language, start, nodes, positions, exits, parameters, a load.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
dd_ivr_flow_init (DdIvrFlow *self)
{
  self->name = g_strdup ("");
  self->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_ivr_node_free);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

static void
emit_changed (DdIvrFlow *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * dd_ivr_flow_new:
 * @name: (nullable): the flow's name
 *
 * Returns: (transfer full): an empty flow
 */
DdIvrFlow *
dd_ivr_flow_new (const char *name)
{
  DdIvrFlow *self = g_object_new (DD_TYPE_IVR_FLOW, NULL);

  dd_ivr_flow_set_name (self, name);

  return self;
}

/**
 * dd_ivr_flow_new_from_data:
 * @data: the JSON text
 * @length: its length, or -1 if it ends with a NUL
 * @error: return location for a #DdIvrFlowError
 *
 * Returns: (transfer full) (nullable): the flow, or %NULL with @error set
 */
DdIvrFlow *
dd_ivr_flow_new_from_data (const char  *data,
                           gssize       length,
                           GError     **error)
{
  g_autoptr(DdIvrFlow) self = g_object_new (DD_TYPE_IVR_FLOW, NULL);

  if (!dd_ivr_flow_load_from_data (self, data, length, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * dd_ivr_flow_get_template_names:
 *
 * Returns: (transfer none): the names dd_ivr_flow_new_from_template() accepts:
 *   "payment-reminder", "inbound-hotline", "empty"
 */
const char * const *
dd_ivr_flow_get_template_names (void)
{
  return template_names;
}

/**
 * dd_ivr_flow_new_from_template:
 * @template_name: "payment-reminder", "inbound-hotline" or "empty"
 * @error: return location for a #DdIvrFlowError
 *
 * Loads one of the flows shipped with the program in English: see
 * dd_ivr_flow_new_from_template_in().
 *
 * Returns: (transfer full) (nullable): a new flow, or %NULL with @error set
 */
DdIvrFlow *
dd_ivr_flow_new_from_template (const char  *template_name,
                               GError     **error)
{
  return dd_ivr_flow_new_from_template_in (template_name, "en", error);
}

/**
 * dd_ivr_flow_new_from_template_in:
 * @template_name: "payment-reminder", "inbound-hotline" or "empty"
 * @language: (nullable): "pl", "ru" or "en" (%NULL or another language: English)
 * @error: return location for a #DdIvrFlowError
 *
 * Loads one of the flows shipped with the program (data/ivr/ in the sources) in @language:
 * its prompts are written in that language and the flow speaks it.
 *
 * Returns: (transfer full) (nullable): a new flow, or %NULL with @error set
 */
DdIvrFlow *
dd_ivr_flow_new_from_template_in (const char  *template_name,
                                  const char  *language,
                                  GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(DdIvrFlow) flow = NULL;
  gsize length;
  const char *data;

  g_return_val_if_fail (template_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_strv_contains (template_names, template_name))
    {
      g_set_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_UNKNOWN_TEMPLATE,
                   _("There is no call flow template called “%s”."), template_name);
      return NULL;
    }
  if (!dd_ivr_flow_language_is_known (language))
    language = "en";

  /* the English texts in name.json, the others in name.LANGUAGE.json */
  if (strcmp (language, "en") == 0)
    path = g_strconcat (TEMPLATE_PATH, template_name, ".json", NULL);
  else
    path = g_strconcat (TEMPLATE_PATH, template_name, ".", language, ".json", NULL);
  bytes = g_resource_lookup_data (dd_core_get_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    {
      g_set_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_UNKNOWN_TEMPLATE,
                   _("There is no call flow template called “%s”."), template_name);
      return NULL;
    }

  data = g_bytes_get_data (bytes, &length);
  flow = dd_ivr_flow_new_from_data (data, (gssize) length, error);
  if (flow == NULL)
    return NULL;
  /* the file says it too; the empty flow is the same in every language */
  dd_ivr_flow_set_language (flow, language);

  return g_steal_pointer (&flow);
}

/* Loading */

static gboolean
invalid (GError     **error,
         const char  *what)
{
  g_set_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_INVALID,
               _("This is not a valid call flow: %s."), what);
  return FALSE;
}

static gboolean
get_number (JsonNode *value,
            double   *out)
{
  GType type;
  double d;

  if (value == NULL || JSON_NODE_TYPE (value) != JSON_NODE_VALUE)
    return FALSE;

  type = json_node_get_value_type (value);
  if (type == G_TYPE_INT64)
    d = (double) json_node_get_int (value);
  else if (type == G_TYPE_DOUBLE)
    d = json_node_get_double (value);
  else
    return FALSE;

  *out = coordinate (d);

  return TRUE;
}

static gboolean
is_string (JsonNode *value)
{
  return value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
         json_node_get_value_type (value) == G_TYPE_STRING;
}

static DdIvrNode *
node_from_json (JsonNode  *json,
                GError   **error)
{
  g_autoptr(DdIvrNode) node = NULL;
  JsonObject *object;
  JsonNode *member;
  DdIvrNodeType type;
  const char *id;

  if (!JSON_NODE_HOLDS_OBJECT (json))
    {
      invalid (error, _("a node is not an object"));
      return NULL;
    }
  object = json_node_get_object (json);

  member = json_object_get_member (object, "id");
  if (!is_string (member) || json_node_get_string (member)[0] == '\0')
    {
      invalid (error, _("a node has no id"));
      return NULL;
    }
  id = json_node_get_string (member);

  member = json_object_get_member (object, "type");
  if (!is_string (member) || !dd_ivr_node_type_from_string (json_node_get_string (member),
                                                            &type))
    {
      g_autofree char *what = g_strdup_printf (_("the node “%s” has an unknown type"), id);

      invalid (error, what);
      return NULL;
    }

  node = node_new_empty (id, type);

  member = json_object_get_member (object, "params");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!JSON_NODE_HOLDS_OBJECT (member))
        {
          invalid (error, _("node parameters are not an object"));
          return NULL;
        }
      /* The parser is mutable and dropped after the load: the object becomes ours. */
      normalize_numbers (member);
      json_object_unref (node->params);
      node->params = json_node_dup_object (member);
    }

  member = json_object_get_member (object, "position");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      JsonObject *position;

      if (!JSON_NODE_HOLDS_OBJECT (member))
        {
          invalid (error, _("a node position is not an object"));
          return NULL;
        }
      position = json_node_get_object (member);
      if (!get_number (json_object_get_member (position, "x"), &node->x) ||
          !get_number (json_object_get_member (position, "y"), &node->y))
        {
          invalid (error, _("a node position has no x and y"));
          return NULL;
        }
    }

  member = json_object_get_member (object, "exits");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      JsonObjectIter iter;
      const char *outcome;
      JsonNode *target;

      if (!JSON_NODE_HOLDS_OBJECT (member))
        {
          invalid (error, _("node exits are not an object"));
          return NULL;
        }

      json_object_iter_init (&iter, json_node_get_object (member));
      while (json_object_iter_next (&iter, &outcome, &target))
        {
          if (JSON_NODE_HOLDS_NULL (target))
            continue;
          if (!is_string (target) || outcome[0] == '\0')
            {
              invalid (error, _("a node exit does not name a node"));
              return NULL;
            }
          g_hash_table_replace (node->exits, g_strdup (outcome),
                                g_strdup (json_node_get_string (target)));
        }
    }

  return g_steal_pointer (&node);
}

/**
 * dd_ivr_flow_load_from_data:
 * @self: a flow
 * @data: the JSON text
 * @length: its length, or -1 if it ends with a NUL
 * @error: return location for a #DdIvrFlowError
 *
 * Replaces the whole flow with the one in @data. A flow of a newer format than
 * %DD_IVR_FLOW_FORMAT is refused with %DD_IVR_FLOW_ERROR_FUTURE_FORMAT. The flow need not be
 * valid (see dd_ivr_flow_validate()), only well-formed. On failure @self is unchanged.
 *
 * Returns: %TRUE on success
 */
gboolean
dd_ivr_flow_load_from_data (DdIvrFlow   *self,
                            const char  *data,
                            gssize       length,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GHashTable) by_id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *language = NULL;
  g_autofree char *start = NULL;
  JsonObject *root;
  JsonNode *member;
  JsonArray *array;
  gint64 format;

  g_return_val_if_fail (DD_IS_IVR_FLOW (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (length < 0)
    length = (gssize) strlen (data);

  if (length == 0 || !g_utf8_validate (data, length, NULL) ||
      !json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_PARSE,
                   _("This is not a call flow file: %s"),
                   local_error != NULL ? local_error->message : _("not UTF-8 JSON text"));
      return FALSE;
    }

  /* a blank document parses, with no root */
  if (json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return invalid (error, _("the document is not an object"));
  root = json_node_get_object (json_parser_get_root (parser));

  member = json_object_get_member (root, "format");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_INT64)
    return invalid (error, _("it has no format number"));
  format = json_node_get_int (member);
  if (format > DD_IVR_FLOW_FORMAT)
    {
      g_set_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_FUTURE_FORMAT,
                   _("This call flow was saved by a newer version of Dunning Desk (format "
                     "%" PRId64 "); this version reads format %d and older. "
                     "Update Dunning Desk to open it."),
                   format, DD_IVR_FLOW_FORMAT);
      return FALSE;
    }
  if (format < 1)
    return invalid (error, _("the format number is wrong"));

  member = json_object_get_member (root, "name");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!is_string (member))
        return invalid (error, _("the name is not a text"));
      name = g_strdup (json_node_get_string (member));
    }

  member = json_object_get_member (root, "language");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!is_string (member) || !dd_ivr_flow_language_is_known (json_node_get_string (member)))
        return invalid (error, _("its language is not one of pl, ru and en"));
      language = g_strdup (json_node_get_string (member));
    }

  member = json_object_get_member (root, "start");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!is_string (member))
        return invalid (error, _("the start is not a node id"));
      if (json_node_get_string (member)[0] != '\0')
        start = g_strdup (json_node_get_string (member));
    }

  member = json_object_get_member (root, "nodes");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    return invalid (error, _("it has no list of nodes"));
  array = json_node_get_array (member);

  nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_ivr_node_free);
  by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      DdIvrNode *node = node_from_json (json_array_get_element (array, i), error);

      if (node == NULL)
        return FALSE;
      if (g_hash_table_contains (by_id, node->id))
        {
          g_autofree char *what = g_strdup_printf (_("two nodes have the id “%s”"), node->id);

          dd_ivr_node_free (node);
          return invalid (error, what);
        }
      g_hash_table_insert (by_id, node->id, node);
      g_ptr_array_add (nodes, node);
    }

  g_free (self->name);
  self->name = name != NULL ? g_steal_pointer (&name) : g_strdup ("");
  g_free (self->language);
  self->language = g_steal_pointer (&language);
  g_free (self->start);
  self->start = g_steal_pointer (&start);
  g_ptr_array_unref (self->nodes);
  self->nodes = g_steal_pointer (&nodes);
  g_hash_table_unref (self->by_id);
  self->by_id = g_steal_pointer (&by_id);

  emit_changed (self);

  return TRUE;
}

/* Saving */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
sorted_exits (const DdIvrNode *node)
{
  GPtrArray *outcomes = g_ptr_array_new ();
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  for (const char * const *e = node_types[node->type].exits; *e != NULL; e++)
    {
      if (g_hash_table_contains (node->exits, *e))
        g_ptr_array_add (outcomes, (gpointer) *e);
    }

  g_hash_table_iter_init (&iter, node->exits);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (!dd_ivr_node_type_has_exit (node->type, key))
        g_ptr_array_add (others, key);
    }
  g_ptr_array_sort (others, compare_strings);
  g_ptr_array_extend (outcomes, others, NULL, NULL);

  return outcomes;
}

/**
 * dd_ivr_flow_to_data:
 * @self: a flow
 * @length: (out) (optional): the length of the text
 *
 * Writes the flow in the JSON form of format %DD_IVR_FLOW_FORMAT, indented; nodes in their
 * order, exits in the order of dd_ivr_node_type_get_exits(). The same flow always gives the
 * same text.
 *
 * Returns: (transfer full): the JSON text
 */
char *
dd_ivr_flow_to_data (DdIvrFlow *self,
                     gsize     *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (DD_IS_IVR_FLOW (self), NULL);

  json_builder_begin_object (builder);
  dd_json_add_int (builder, "format", DD_IVR_FLOW_FORMAT);
  dd_json_add_string (builder, "name", self->name);
  if (self->language != NULL)
    dd_json_add_string (builder, "language", self->language);
  json_builder_set_member_name (builder, "start");
  if (self->start != NULL)
    json_builder_add_string_value (builder, self->start);
  else
    json_builder_add_null_value (builder);

  dd_json_begin_array_member (builder, "nodes");
  for (guint i = 0; i < self->nodes->len; i++)
    {
      const DdIvrNode *node = g_ptr_array_index (self->nodes, i);
      g_autoptr(GPtrArray) outcomes = sorted_exits (node);
      g_autoptr(JsonNode) params = json_node_init_object (json_node_alloc (), node->params);

      json_builder_begin_object (builder);
      dd_json_add_string (builder, "id", node->id);
      dd_json_add_string (builder, "type", node_types[node->type].name);
      json_builder_set_member_name (builder, "params");
      json_builder_add_value (builder, json_node_copy (params));
      dd_json_begin_object_member (builder, "position");
      dd_json_add_double (builder, "x", node->x);
      dd_json_add_double (builder, "y", node->y);
      json_builder_end_object (builder);
      dd_json_begin_object_member (builder, "exits");
      for (guint j = 0; j < outcomes->len; j++)
        {
          const char *outcome = g_ptr_array_index (outcomes, j);

          dd_json_add_string (builder, outcome, g_hash_table_lookup (node->exits, outcome));
        }
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);

  return json_generator_to_data (generator, length);
}

/**
 * dd_ivr_flow_equal:
 * @a: a flow
 * @b: another flow
 *
 * Returns: whether the two flows have the same name, language, start, nodes (in the same order) with
 *   the same types, parameters, positions and exits
 */
gboolean
dd_ivr_flow_equal (DdIvrFlow *a,
                   DdIvrFlow *b)
{
  g_autofree char *text_a = NULL;
  g_autofree char *text_b = NULL;

  g_return_val_if_fail (DD_IS_IVR_FLOW (a), FALSE);
  g_return_val_if_fail (DD_IS_IVR_FLOW (b), FALSE);

  text_a = dd_ivr_flow_to_data (a, NULL);
  text_b = dd_ivr_flow_to_data (b, NULL);

  return strcmp (text_a, text_b) == 0;
}

/* Accessors and mutations */

const char *
dd_ivr_flow_get_name (DdIvrFlow *self)
{
  g_return_val_if_fail (DD_IS_IVR_FLOW (self), NULL);

  return self->name;
}

void
dd_ivr_flow_set_name (DdIvrFlow  *self,
                      const char *name)
{
  g_return_if_fail (DD_IS_IVR_FLOW (self));

  if (name == NULL)
    name = "";
  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  emit_changed (self);
}

/**
 * dd_ivr_flow_language_is_known:
 * @language: (nullable): a language code
 *
 * Returns: whether a flow can speak @language: "pl", "ru" or "en"
 */
gboolean
dd_ivr_flow_language_is_known (const char *language)
{
  return language != NULL && g_strv_contains (languages, language);
}

/**
 * dd_ivr_flow_get_language:
 * @self: a flow
 *
 * Returns: (nullable): the language the flow speaks ("pl", "ru", "en": its prompts are
 *   written in it, and amounts, dates and invoice numbers are said in it), %NULL for a flow
 *   saved before flows had a language
 */
const char *
dd_ivr_flow_get_language (DdIvrFlow *self)
{
  g_return_val_if_fail (DD_IS_IVR_FLOW (self), NULL);

  return self->language;
}

/**
 * dd_ivr_flow_set_language:
 * @self: a flow
 * @language: (nullable): "pl", "ru" or "en"; %NULL or another value: none
 */
void
dd_ivr_flow_set_language (DdIvrFlow  *self,
                          const char *language)
{
  g_return_if_fail (DD_IS_IVR_FLOW (self));

  if (!dd_ivr_flow_language_is_known (language))
    language = NULL;
  if (g_strcmp0 (self->language, language) == 0)
    return;

  g_free (self->language);
  self->language = g_strdup (language);
  emit_changed (self);
}

/**
 * dd_ivr_flow_get_start:
 * @self: a flow
 *
 * Returns: (nullable): the id of the node calls start at
 */
const char *
dd_ivr_flow_get_start (DdIvrFlow *self)
{
  g_return_val_if_fail (DD_IS_IVR_FLOW (self), NULL);

  return self->start;
}

/**
 * dd_ivr_flow_set_start:
 * @self: a flow
 * @node_id: (nullable): a node id, or %NULL for none
 *
 * Sets the start node. An id that names no node is kept (validation reports it).
 */
void
dd_ivr_flow_set_start (DdIvrFlow  *self,
                       const char *node_id)
{
  g_return_if_fail (DD_IS_IVR_FLOW (self));

  if (node_id != NULL && node_id[0] == '\0')
    node_id = NULL;
  if (g_strcmp0 (self->start, node_id) == 0)
    return;

  g_free (self->start);
  self->start = g_strdup (node_id);
  emit_changed (self);
}

guint
dd_ivr_flow_get_n_nodes (DdIvrFlow *self)
{
  g_return_val_if_fail (DD_IS_IVR_FLOW (self), 0);

  return self->nodes->len;
}

/**
 * dd_ivr_flow_get_node_ids:
 * @self: a flow
 *
 * Returns: (transfer container) (element-type utf8): the node ids in their order, owned by
 *   the flow: valid until the next change
 */
GPtrArray *
dd_ivr_flow_get_node_ids (DdIvrFlow *self)
{
  GPtrArray *ids;

  g_return_val_if_fail (DD_IS_IVR_FLOW (self), NULL);

  ids = g_ptr_array_sized_new (self->nodes->len);
  for (guint i = 0; i < self->nodes->len; i++)
    g_ptr_array_add (ids, ((DdIvrNode *) g_ptr_array_index (self->nodes, i))->id);

  return ids;
}

/**
 * dd_ivr_flow_get_node:
 * @self: a flow
 * @node_id: a node id
 *
 * Returns: (nullable) (transfer none): the node, valid until it is removed or the flow is
 *   loaded again; read-only
 */
const DdIvrNode *
dd_ivr_flow_get_node (DdIvrFlow  *self,
                      const char *node_id)
{
  g_return_val_if_fail (DD_IS_IVR_FLOW (self), NULL);

  if (node_id == NULL)
    return NULL;

  return g_hash_table_lookup (self->by_id, node_id);
}

static DdIvrNode *
lookup (DdIvrFlow   *self,
        const char  *node_id,
        GError     **error)
{
  DdIvrNode *node = node_id != NULL ? g_hash_table_lookup (self->by_id, node_id) : NULL;

  if (node == NULL)
    g_set_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_NOT_FOUND,
                 _("The call flow has no node “%s”."), node_id != NULL ? node_id : "");

  return node;
}

/**
 * dd_ivr_flow_make_node_id:
 * @self: a flow
 * @type: a node type
 *
 * Returns: (transfer full): an id no node has yet: the type's name and a number ("menu-3")
 */
char *
dd_ivr_flow_make_node_id (DdIvrFlow     *self,
                          DdIvrNodeType  type)
{
  g_return_val_if_fail (DD_IS_IVR_FLOW (self), NULL);
  g_return_val_if_fail (type < DD_IVR_N_NODE_TYPES, NULL);

  for (guint n = 1; ; n++)
    {
      g_autofree char *id = g_strdup_printf ("%s-%u", node_types[type].name, n);

      if (!g_hash_table_contains (self->by_id, id))
        return g_steal_pointer (&id);
    }
}

static void
add_node_owned (DdIvrFlow *self,
                DdIvrNode *node)
{
  g_ptr_array_add (self->nodes, node);
  g_hash_table_insert (self->by_id, node->id, node);
  if (self->start == NULL)
    self->start = g_strdup (node->id);
}

/**
 * dd_ivr_flow_add_node:
 * @self: a flow
 * @type: the node type
 * @node_id: (nullable): an id, or %NULL to make one up
 * @x: position
 * @y: position
 * @error: return location for %DD_IVR_FLOW_ERROR_EXISTS
 *
 * Adds a node with the default parameters of its type (see dd_ivr_node_new()) at the end.
 * When the flow has no start, the new node becomes the start. Undo: dd_ivr_flow_remove_node().
 *
 * Returns: (transfer none) (nullable): the new node
 */
const DdIvrNode *
dd_ivr_flow_add_node (DdIvrFlow      *self,
                      DdIvrNodeType   type,
                      const char     *node_id,
                      double          x,
                      double          y,
                      GError        **error)
{
  g_autofree char *id = NULL;
  DdIvrNode *node;

  g_return_val_if_fail (DD_IS_IVR_FLOW (self), NULL);
  g_return_val_if_fail (type < DD_IVR_N_NODE_TYPES, NULL);

  if (node_id == NULL || node_id[0] == '\0')
    id = dd_ivr_flow_make_node_id (self, type);
  else if (g_hash_table_contains (self->by_id, node_id))
    {
      g_set_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_EXISTS,
                   _("The call flow already has a node “%s”."), node_id);
      return NULL;
    }
  else
    id = g_strdup (node_id);

  node = dd_ivr_node_new (id, type);
  node->x = coordinate (x);
  node->y = coordinate (y);
  add_node_owned (self, node);
  emit_changed (self);

  return node;
}

/**
 * dd_ivr_flow_insert_node:
 * @self: a flow
 * @node: a node (copied) whose id the flow does not have yet
 * @error: return location for %DD_IVR_FLOW_ERROR_EXISTS
 *
 * Adds a copy of @node with its parameters, position and exits, at the end. When the flow
 * has no start, the node becomes the start. This is how a removal is undone and how nodes are
 * pasted.
 *
 * Returns: %TRUE on success
 */
gboolean
dd_ivr_flow_insert_node (DdIvrFlow        *self,
                         const DdIvrNode  *node,
                         GError          **error)
{
  g_return_val_if_fail (DD_IS_IVR_FLOW (self), FALSE);
  g_return_val_if_fail (node != NULL && node->id != NULL && node->id[0] != '\0', FALSE);
  g_return_val_if_fail (node->type < DD_IVR_N_NODE_TYPES, FALSE);

  if (g_hash_table_contains (self->by_id, node->id))
    {
      g_set_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_EXISTS,
                   _("The call flow already has a node “%s”."), node->id);
      return FALSE;
    }

  add_node_owned (self, dd_ivr_node_copy (node));
  emit_changed (self);

  return TRUE;
}

/**
 * dd_ivr_flow_get_incoming:
 * @self: a flow
 * @node_id: a node id
 *
 * Returns: (transfer full) (element-type DdIvrEdge): the exits of all nodes that lead to
 *   @node_id, in node order
 */
GPtrArray *
dd_ivr_flow_get_incoming (DdIvrFlow  *self,
                          const char *node_id)
{
  GPtrArray *edges;

  g_return_val_if_fail (DD_IS_IVR_FLOW (self), NULL);
  g_return_val_if_fail (node_id != NULL, NULL);

  edges = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_ivr_edge_free);
  for (guint i = 0; i < self->nodes->len; i++)
    {
      const DdIvrNode *node = g_ptr_array_index (self->nodes, i);
      g_autoptr(GPtrArray) outcomes = sorted_exits (node);

      for (guint j = 0; j < outcomes->len; j++)
        {
          const char *outcome = g_ptr_array_index (outcomes, j);

          if (strcmp (g_hash_table_lookup (node->exits, outcome), node_id) == 0)
            {
              DdIvrEdge *edge = g_new0 (DdIvrEdge, 1);

              edge->from = g_strdup (node->id);
              edge->outcome = g_strdup (outcome);
              edge->to = g_strdup (node_id);
              g_ptr_array_add (edges, edge);
            }
        }
    }

  return edges;
}

/**
 * dd_ivr_flow_remove_node:
 * @self: a flow
 * @node_id: a node id
 * @error: return location for %DD_IVR_FLOW_ERROR_NOT_FOUND
 *
 * Removes the node, disconnects every exit that led to it and, if it was the start, leaves
 * the flow without a start. To undo, keep before the call a dd_ivr_node_copy() of the node,
 * dd_ivr_flow_get_incoming() and dd_ivr_flow_get_start(); then dd_ivr_flow_insert_node(),
 * dd_ivr_flow_connect() each incoming edge and dd_ivr_flow_set_start().
 *
 * Returns: %TRUE on success
 */
gboolean
dd_ivr_flow_remove_node (DdIvrFlow   *self,
                         const char  *node_id,
                         GError     **error)
{
  DdIvrNode *node;

  g_return_val_if_fail (DD_IS_IVR_FLOW (self), FALSE);

  node = lookup (self, node_id, error);
  if (node == NULL)
    return FALSE;

  for (guint i = 0; i < self->nodes->len; i++)
    {
      DdIvrNode *other = g_ptr_array_index (self->nodes, i);
      GHashTableIter iter;
      gpointer target;

      g_hash_table_iter_init (&iter, other->exits);
      while (g_hash_table_iter_next (&iter, NULL, &target))
        {
          if (strcmp (target, node->id) == 0)
            g_hash_table_iter_remove (&iter);
        }
    }

  if (g_strcmp0 (self->start, node->id) == 0)
    g_clear_pointer (&self->start, g_free);

  g_hash_table_remove (self->by_id, node->id);
  g_ptr_array_remove (self->nodes, node);
  emit_changed (self);

  return TRUE;
}

/**
 * dd_ivr_flow_move_node:
 * @self: a flow
 * @node_id: a node id
 * @x: the new position
 * @y: the new position
 * @error: return location for %DD_IVR_FLOW_ERROR_NOT_FOUND
 *
 * Undo: move it back to the old node->x, node->y.
 *
 * Returns: %TRUE on success
 */
gboolean
dd_ivr_flow_move_node (DdIvrFlow   *self,
                       const char  *node_id,
                       double       x,
                       double       y,
                       GError     **error)
{
  DdIvrNode *node;

  g_return_val_if_fail (DD_IS_IVR_FLOW (self), FALSE);

  node = lookup (self, node_id, error);
  if (node == NULL)
    return FALSE;

  node->x = coordinate (x);
  node->y = coordinate (y);
  emit_changed (self);

  return TRUE;
}

/**
 * dd_ivr_flow_connect:
 * @self: a flow
 * @from_id: the node whose exit to connect
 * @outcome: the exit, one of dd_ivr_node_type_get_exits()
 * @to_id: the target node
 * @error: return location for %DD_IVR_FLOW_ERROR_NOT_FOUND or %DD_IVR_FLOW_ERROR_BAD_EXIT
 *
 * Connects the exit, replacing its previous target. Undo: dd_ivr_flow_connect() to the old
 * target (dd_ivr_node_get_exit()), or dd_ivr_flow_disconnect() if it had none.
 *
 * Returns: %TRUE on success
 */
gboolean
dd_ivr_flow_connect (DdIvrFlow   *self,
                     const char  *from_id,
                     const char  *outcome,
                     const char  *to_id,
                     GError     **error)
{
  DdIvrNode *from;

  g_return_val_if_fail (DD_IS_IVR_FLOW (self), FALSE);
  g_return_val_if_fail (outcome != NULL, FALSE);

  from = lookup (self, from_id, error);
  if (from == NULL || lookup (self, to_id, error) == NULL)
    return FALSE;

  if (!dd_ivr_node_type_has_exit (from->type, outcome))
    {
      g_set_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_BAD_EXIT,
                   _("A node of the kind “%s” has no exit “%s”."),
                   dd_ivr_node_type_get_display_name (from->type), outcome);
      return FALSE;
    }

  g_hash_table_replace (from->exits, g_strdup (outcome), g_strdup (to_id));
  emit_changed (self);

  return TRUE;
}

/**
 * dd_ivr_flow_disconnect:
 * @self: a flow
 * @from_id: a node id
 * @outcome: the exit
 * @error: return location for %DD_IVR_FLOW_ERROR_NOT_FOUND
 *
 * Disconnects the exit; nothing happens if it was not connected.
 *
 * Returns: %TRUE on success
 */
gboolean
dd_ivr_flow_disconnect (DdIvrFlow   *self,
                        const char  *from_id,
                        const char  *outcome,
                        GError     **error)
{
  DdIvrNode *from;

  g_return_val_if_fail (DD_IS_IVR_FLOW (self), FALSE);
  g_return_val_if_fail (outcome != NULL, FALSE);

  from = lookup (self, from_id, error);
  if (from == NULL)
    return FALSE;

  if (g_hash_table_remove (from->exits, outcome))
    emit_changed (self);

  return TRUE;
}

/**
 * dd_ivr_flow_set_param:
 * @self: a flow
 * @node_id: a node id
 * @param: the parameter name
 * @value: (nullable) (transfer none): the new value (copied), or %NULL to remove it
 * @error: return location for %DD_IVR_FLOW_ERROR_NOT_FOUND
 *
 * Undo: set the old value, a copy of json_object_get_member (node->params, param) (%NULL if
 * it was missing).
 *
 * Returns: %TRUE on success
 */
gboolean
dd_ivr_flow_set_param (DdIvrFlow   *self,
                       const char  *node_id,
                       const char  *param,
                       JsonNode    *value,
                       GError     **error)
{
  DdIvrNode *node;

  g_return_val_if_fail (DD_IS_IVR_FLOW (self), FALSE);
  g_return_val_if_fail (param != NULL, FALSE);

  node = lookup (self, node_id, error);
  if (node == NULL)
    return FALSE;

  if (value == NULL)
    json_object_remove_member (node->params, param);
  else
    {
      JsonNode *copy = deep_copy (value);

      normalize_numbers (copy);
      json_object_set_member (node->params, param, copy);
    }
  emit_changed (self);

  return TRUE;
}

gboolean
dd_ivr_flow_set_param_string (DdIvrFlow   *self,
                              const char  *node_id,
                              const char  *param,
                              const char  *value,
                              GError     **error)
{
  g_autoptr(JsonNode) node = dd_json_string_node (value);

  return dd_ivr_flow_set_param (self, node_id, param, node, error);
}

gboolean
dd_ivr_flow_set_param_int (DdIvrFlow   *self,
                           const char  *node_id,
                           const char  *param,
                           gint64       value,
                           GError     **error)
{
  g_autoptr(JsonNode) node = dd_json_int_node (value);

  return dd_ivr_flow_set_param (self, node_id, param, node, error);
}

/* Time switches */

static gboolean
parse_clock (const char *text,
             guint      *out_minutes)
{
  if (!g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) || text[2] != ':' ||
      !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    return FALSE;

  *out_minutes = ((guint) (text[0] - '0') * 10 + (guint) (text[1] - '0')) * 60 +
                 (guint) (text[3] - '0') * 10 + (guint) (text[4] - '0');

  return (text[3] - '0') < 6 && *out_minutes <= 24 * 60;
}

/* "08:00-16:00" → [480, 960). */
static gboolean
parse_range (const char *text,
             guint      *out_from,
             guint      *out_to)
{
  if (strlen (text) != 11 || text[5] != '-')
    return FALSE;

  return parse_clock (text, out_from) && parse_clock (text + 6, out_to) && *out_from < *out_to;
}

/* Checks the parameters of a time switch; the first problem goes to @error. */
static GTimeZone *
check_time_switch (const DdIvrNode  *node,
                   GError          **error)
{
  const char *zone_name = dd_ivr_node_get_string (node, "timezone", "Europe/Warsaw");
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (zone_name);
  JsonNode *member;

  if (zone == NULL)
    {
      g_set_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_INVALID,
                   _("Unknown time zone “%s”."), zone_name);
      return NULL;
    }

  member = json_object_get_member (node->params, "hours");
  if (member != NULL && !JSON_NODE_HOLDS_OBJECT (member))
    {
      g_set_error_literal (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_INVALID,
                           _("The office hours are not a list per day of the week."));
      return NULL;
    }
  if (member != NULL)
    {
      JsonObjectIter iter;
      const char *day;
      JsonNode *ranges;

      json_object_iter_init (&iter, json_node_get_object (member));
      while (json_object_iter_next (&iter, &day, &ranges))
        {
          if (!g_strv_contains (weekday_keys + 1, day) || !JSON_NODE_HOLDS_ARRAY (ranges))
            {
              g_set_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_INVALID,
                           _("“%s” is not a day of the week (mon, tue, wed, thu, fri, sat, "
                             "sun) with a list of hours."), day);
              return NULL;
            }
          for (guint i = 0; i < json_array_get_length (json_node_get_array (ranges)); i++)
            {
              JsonNode *range = json_array_get_element (json_node_get_array (ranges), i);
              guint from, to;

              if (!is_string (range) ||
                  !parse_range (json_node_get_string (range), &from, &to))
                {
                  g_set_error (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_INVALID,
                               _("Office hours on “%s” are not in the form HH:MM-HH:MM."),
                               day);
                  return NULL;
                }
            }
        }
    }

  member = json_object_get_member (node->params, "holidays");
  if (member != NULL && !JSON_NODE_HOLDS_ARRAY (member))
    {
      g_set_error_literal (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_INVALID,
                           _("The holidays are not a list of dates."));
      return NULL;
    }
  for (guint i = 0; member != NULL && i < json_array_get_length (json_node_get_array (member));
       i++)
    {
      JsonNode *holiday = json_array_get_element (json_node_get_array (member), i);
      GDate date;

      g_date_clear (&date, 1);
      if (is_string (holiday) && strlen (json_node_get_string (holiday)) == 10)
        g_date_set_parse (&date, json_node_get_string (holiday));
      if (!g_date_valid (&date))
        {
          g_set_error_literal (error, DD_IVR_FLOW_ERROR, DD_IVR_FLOW_ERROR_INVALID,
                               _("A holiday is not a date in the form YYYY-MM-DD."));
          return NULL;
        }
    }

  return g_steal_pointer (&zone);
}

/**
 * dd_ivr_time_switch_is_open:
 * @node: a time-switch node
 * @now: the time
 * @error: return location for %DD_IVR_FLOW_ERROR_INVALID (bad time zone, hours, holidays)
 *
 * Whether the office is open at @now: @now converted to the node's time zone falls in one
 * of the ranges of its weekday and its date is not a holiday.
 *
 * Returns: %TRUE if open; %FALSE if closed or on error
 */
gboolean
dd_ivr_time_switch_is_open (const DdIvrNode  *node,
                            GDateTime        *now,
                            GError          **error)
{
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *today = NULL;
  JsonNode *member;
  guint minutes;

  g_return_val_if_fail (node != NULL && node->type == DD_IVR_NODE_TIME_SWITCH, FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  zone = check_time_switch (node, error);
  if (zone == NULL)
    return FALSE;

  local = g_date_time_to_timezone (now, zone);
  today = g_date_time_format (local, "%Y-%m-%d");
  minutes = (guint) (g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local));

  member = json_object_get_member (node->params, "holidays");
  for (guint i = 0; member != NULL && i < json_array_get_length (json_node_get_array (member));
       i++)
    {
      GDate a, b;

      g_date_clear (&a, 1);
      g_date_clear (&b, 1);
      g_date_set_parse (&a, json_array_get_string_element (json_node_get_array (member), i));
      g_date_set_dmy (&b, (GDateDay) g_date_time_get_day_of_month (local),
                      (GDateMonth) g_date_time_get_month (local),
                      (GDateYear) g_date_time_get_year (local));
      if (g_date_valid (&a) && g_date_compare (&a, &b) == 0)
        return FALSE;
    }

  member = json_object_get_member (node->params, "hours");
  if (member != NULL)
    {
      JsonObject *hours = json_node_get_object (member);
      const char *key = weekday_keys[g_date_time_get_day_of_week (local)];
      JsonArray *ranges = json_object_has_member (hours, key)
                          ? json_object_get_array_member (hours, key) : NULL;

      for (guint i = 0; ranges != NULL && i < json_array_get_length (ranges); i++)
        {
          guint from, to;

          if (parse_range (json_array_get_string_element (ranges, i), &from, &to) &&
              minutes >= from && minutes < to)
            return TRUE;
        }
    }

  return FALSE;
}

/* Validation */

static void
add_issue (GPtrArray      *issues,
           DdIvrSeverity   severity,
           DdIvrIssueKind  kind,
           const char     *node_id,
           const char     *outcome,
           char           *message)
{
  DdIvrIssue *issue = g_new0 (DdIvrIssue, 1);

  issue->severity = severity;
  issue->kind = kind;
  issue->node_id = g_strdup (node_id);
  issue->outcome = g_strdup (outcome);
  issue->message = message;
  g_ptr_array_add (issues, issue);
}

static void
check_placeholders (const DdIvrNode *node,
                    GPtrArray       *issues)
{
  for (const char * const *param = text_params; *param != NULL; param++)
    {
      const char *text = dd_ivr_node_get_string (node, *param, NULL);

      for (const char *p = text != NULL ? strchr (text, '{') : NULL; p != NULL;
           p = strchr (p + 1, '{'))
        {
          const char *end = p + 1;
          g_autofree char *name = NULL;

          while (g_ascii_isalnum (*end) || *end == '_')
            end++;
          if (*end != '}' || end == p + 1)
            continue;

          name = g_strndup (p + 1, end - p - 1);
          if (dd_ivr_placeholder_is_known (name))
            continue;
          if (node->type == DD_IVR_NODE_DECLARE_PAYMENT &&
              strcmp (*param, "confirm_prompt") == 0 &&
              (strcmp (name, "declared_date") == 0 || strcmp (name, "declared_amount") == 0))
            continue;

          add_issue (issues, DD_IVR_SEVERITY_ERROR, DD_IVR_ISSUE_UNKNOWN_PLACEHOLDER, node->id,
                     NULL, g_strdup_printf (_("The text uses an unknown placeholder “{%s}”."),
                                            name));
        }
    }
}

static void
bad_param (GPtrArray       *issues,
           const DdIvrNode *node,
           char            *message)
{
  add_issue (issues, DD_IVR_SEVERITY_ERROR, DD_IVR_ISSUE_BAD_PARAM, node->id, NULL, message);
}

/* Flags @node unless its "source" is @fallback (its default) or @other. */
static void
check_source (GPtrArray       *issues,
              const DdIvrNode *node,
              const char      *fallback,
              const char      *other,
              const char      *message)
{
  const char *source = dd_ivr_node_get_string (node, "source", fallback);

  if (g_strcmp0 (source, fallback) != 0 && g_strcmp0 (source, other) != 0)
    bad_param (issues, node, g_strdup (message));
}

/* Flags @node (a node that waits for keys) unless its "timeout_ms" (@fallback_ms when not
 * set) is above zero. */
static void
check_timeout (GPtrArray       *issues,
               const DdIvrNode *node,
               gint64           fallback_ms)
{
  if (dd_ivr_node_get_int (node, "timeout_ms", fallback_ms) <= 0)
    bad_param (issues, node, g_strdup (_("The time to wait for a key must be longer than "
                                         "zero.")));
}

/* Flags @node unless its "max_retries" (2 when not set) is 0 to 10. */
static void
check_retries (GPtrArray       *issues,
               const DdIvrNode *node)
{
  gint64 retries = dd_ivr_node_get_int (node, "max_retries", 2);

  if (retries < 0 || retries > 10)
    bad_param (issues, node, g_strdup (_("The number of repetitions must be between 0 "
                                         "and 10.")));
}

static void
check_params (const DdIvrNode *node,
              GPtrArray       *issues)
{
  switch (node->type)
    {
    case DD_IVR_NODE_PLAY:
      if (dd_ivr_node_get_string (node, "text", NULL) == NULL &&
          dd_ivr_node_get_string (node, "file", NULL) == NULL)
        bad_param (issues, node, g_strdup (_("Nothing to play: enter a text or choose an "
                                             "audio file.")));
      break;

    case DD_IVR_NODE_MENU:
      if (dd_ivr_node_get_string (node, "prompt", NULL) == NULL)
        add_issue (issues, DD_IVR_SEVERITY_WARNING, DD_IVR_ISSUE_BAD_PARAM, node->id, NULL,
                   g_strdup (_("The menu says nothing before it waits for a key.")));
      check_timeout (issues, node, 5000);
      check_retries (issues, node);
      break;

    case DD_IVR_NODE_SAY_AMOUNT:
      check_source (issues, node, "amount", "balance",
                    _("The amount to say must be the amount due or the balance."));
      break;

    case DD_IVR_NODE_SAY_DATE:
      check_source (issues, node, "due_date", "today",
                    _("The date to say must be the due date or today."));
      break;

    case DD_IVR_NODE_COLLECT_DIGITS:
      {
        gint64 min = dd_ivr_node_get_int (node, "min_digits", 1);
        gint64 max = dd_ivr_node_get_int (node, "max_digits", 16);
        const char *terminator = dd_ivr_node_get_string (node, "terminator", "#");

        if (min < 0 || max < 1 || max > 64 || min > max)
          bad_param (issues, node, g_strdup (_("The number of digits must be between 1 and "
                                               "64, the smallest not above the largest.")));
        check_timeout (issues, node, 5000);
        if (strcmp (terminator, "#") != 0 && strcmp (terminator, "*") != 0)
          bad_param (issues, node, g_strdup (_("The key that ends the input must be # or *.")));
      }
      break;

    case DD_IVR_NODE_DECLARE_PAYMENT:
      check_timeout (issues, node, 7000);
      check_retries (issues, node);
      break;

    case DD_IVR_NODE_TRANSFER:
      if (dd_ivr_node_get_string (node, "queue", NULL) == NULL)
        bad_param (issues, node, g_strdup (_("Choose the queue of consultants to transfer "
                                             "the call to.")));
      break;

    case DD_IVR_NODE_SEND_SMS:
      if (dd_ivr_node_get_string (node, "text", NULL) == NULL)
        bad_param (issues, node, g_strdup (_("The SMS has no text.")));
      break;

    case DD_IVR_NODE_TIME_SWITCH:
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(GTimeZone) zone = check_time_switch (node, &error);

        if (zone == NULL)
          bad_param (issues, node, g_strdup (error->message));
      }
      break;

    case DD_IVR_NODE_SET_STATUS:
      if (dd_ivr_node_get_string (node, "status", NULL) == NULL)
        bad_param (issues, node, g_strdup (_("Choose the case status to set.")));
      break;

    case DD_IVR_NODE_SAY_INVOICE:
    case DD_IVR_NODE_HANG_UP:
    default:
      break;
    }
}

static void
check_exits (DdIvrFlow       *self,
             const DdIvrNode *node,
             GPtrArray       *issues)
{
  g_autoptr(GPtrArray) outcomes = sorted_exits (node);
  gboolean has_option = FALSE;

  for (guint i = 0; i < outcomes->len; i++)
    {
      const char *outcome = g_ptr_array_index (outcomes, i);
      const char *target = g_hash_table_lookup (node->exits, outcome);

      if (!dd_ivr_node_type_has_exit (node->type, outcome))
        {
          add_issue (issues, DD_IVR_SEVERITY_ERROR, DD_IVR_ISSUE_UNKNOWN_EXIT, node->id,
                     outcome, g_strdup_printf (_("A node of this kind has no exit “%s”."),
                                               outcome));
          continue;
        }
      if (!g_hash_table_contains (self->by_id, target))
        add_issue (issues, DD_IVR_SEVERITY_ERROR, DD_IVR_ISSUE_DANGLING_EXIT, node->id,
                   outcome, g_strdup_printf (_("The exit “%s” leads to a node that does not "
                                               "exist (“%s”)."),
                                             dd_ivr_exit_get_display_name (outcome), target));
      if (node->type == DD_IVR_NODE_MENU && strlen (outcome) == 1)
        has_option = TRUE;
    }

  for (const char * const *e = node_types[node->type].required; *e != NULL; e++)
    {
      if (g_hash_table_contains (node->exits, *e))
        continue;

      if (node->type == DD_IVR_NODE_MENU && strcmp (*e, "timeout") == 0)
        add_issue (issues, DD_IVR_SEVERITY_ERROR, DD_IVR_ISSUE_MENU_NO_TIMEOUT, node->id, *e,
                   g_strdup (_("The menu has no path for callers who press no key.")));
      else if (node->type == DD_IVR_NODE_MENU && strcmp (*e, "invalid") == 0)
        add_issue (issues, DD_IVR_SEVERITY_ERROR, DD_IVR_ISSUE_MENU_NO_INVALID, node->id, *e,
                   g_strdup (_("The menu has no path for callers who keep pressing a wrong "
                               "key.")));
      else
        add_issue (issues, DD_IVR_SEVERITY_ERROR, DD_IVR_ISSUE_MISSING_EXIT, node->id, *e,
                   g_strdup_printf (_("The exit “%s” is not connected."),
                                    dd_ivr_exit_get_display_name (*e)));
    }

  if (node->type == DD_IVR_NODE_MENU && !has_option)
    add_issue (issues, DD_IVR_SEVERITY_ERROR, DD_IVR_ISSUE_MENU_NO_OPTIONS, node->id, NULL,
               g_strdup (_("The menu has no options: connect at least one key.")));
}

/* Whether a call at @node ends here: a hang-up, a transfer, or a required exit that leads
 * nowhere (the interpreter hangs up there). */
static gboolean
ends_call (DdIvrFlow       *self,
           const DdIvrNode *node)
{
  if (node->type == DD_IVR_NODE_HANG_UP || node->type == DD_IVR_NODE_TRANSFER)
    return TRUE;

  for (const char * const *e = node_types[node->type].required; *e != NULL; e++)
    {
      const char *target = g_hash_table_lookup (node->exits, *e);

      if (target == NULL || !g_hash_table_contains (self->by_id, target))
        return TRUE;
    }

  return FALSE;
}

static void
check_reachability (DdIvrFlow *self,
                    GPtrArray *issues)
{
  g_autoptr(GHashTable) reached = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) can_end = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) incoming = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                          (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GQueue) queue = g_queue_new ();
  const DdIvrNode *start = dd_ivr_flow_get_node (self, self->start);

  /* Forwards from the start. */
  if (start != NULL)
    {
      g_hash_table_add (reached, start->id);
      g_queue_push_tail (queue, (gpointer) start);
    }
  while (!g_queue_is_empty (queue))
    {
      const DdIvrNode *node = g_queue_pop_head (queue);
      GHashTableIter iter;
      gpointer outcome, target;

      g_hash_table_iter_init (&iter, node->exits);
      while (g_hash_table_iter_next (&iter, &outcome, &target))
        {
          const DdIvrNode *next = g_hash_table_lookup (self->by_id, target);

          if (next != NULL && dd_ivr_node_type_has_exit (node->type, outcome) &&
              !g_hash_table_contains (reached, next->id))
            {
              g_hash_table_add (reached, next->id);
              g_queue_push_tail (queue, (gpointer) next);
            }
        }
    }

  /* Backwards from where calls end. */
  for (guint i = 0; i < self->nodes->len; i++)
    {
      const DdIvrNode *node = g_ptr_array_index (self->nodes, i);
      GHashTableIter iter;
      gpointer outcome, target;

      g_hash_table_iter_init (&iter, node->exits);
      while (g_hash_table_iter_next (&iter, &outcome, &target))
        {
          GPtrArray *sources;

          if (!dd_ivr_node_type_has_exit (node->type, outcome))
            continue;
          sources = g_hash_table_lookup (incoming, target);
          if (sources == NULL)
            {
              sources = g_ptr_array_new ();
              g_hash_table_insert (incoming, target, sources);
            }
          g_ptr_array_add (sources, (gpointer) node);
        }

      if (ends_call (self, node))
        {
          g_hash_table_add (can_end, node->id);
          g_queue_push_tail (queue, (gpointer) node);
        }
    }
  while (!g_queue_is_empty (queue))
    {
      const DdIvrNode *node = g_queue_pop_head (queue);
      GPtrArray *sources = g_hash_table_lookup (incoming, node->id);

      for (guint i = 0; sources != NULL && i < sources->len; i++)
        {
          const DdIvrNode *source = g_ptr_array_index (sources, i);

          if (!g_hash_table_contains (can_end, source->id))
            {
              g_hash_table_add (can_end, source->id);
              g_queue_push_tail (queue, (gpointer) source);
            }
        }
    }

  for (guint i = 0; i < self->nodes->len; i++)
    {
      const DdIvrNode *node = g_ptr_array_index (self->nodes, i);

      if (start != NULL && !g_hash_table_contains (reached, node->id))
        add_issue (issues, DD_IVR_SEVERITY_WARNING, DD_IVR_ISSUE_UNREACHABLE, node->id, NULL,
                   g_strdup (_("No path from the start leads to this node.")));
      if (!g_hash_table_contains (can_end, node->id))
        add_issue (issues, DD_IVR_SEVERITY_ERROR, DD_IVR_ISSUE_ENDLESS_LOOP, node->id, NULL,
                   g_strdup (_("Calls that come here go round in a loop for ever: no path "
                               "leads on to a hang-up or a transfer.")));
    }
}

/**
 * dd_ivr_flow_validate:
 * @self: a flow
 *
 * Checks the flow: a start node; every node reachable from it (warnings); exits that lead to
 * existing nodes, are exits of the node's type and are connected where required; menus with
 * a timeout path, an invalid-input path and at least one option; no loop without a way out
 * (a node from which no hang-up, transfer or end of the call can be reached); known
 * placeholders in texts; parameters (a text to play, a queue, a status, a valid time zone and
 * office hours...).
 *
 * Returns: (transfer full) (element-type DdIvrIssue): the issues (the start first, then the
 *   checks of each node in node order, then reachability and loops); empty if the flow is fine
 */
GPtrArray *
dd_ivr_flow_validate (DdIvrFlow *self)
{
  GPtrArray *issues;

  g_return_val_if_fail (DD_IS_IVR_FLOW (self), NULL);

  issues = g_ptr_array_new_with_free_func ((GDestroyNotify) dd_ivr_issue_free);

  if (self->start == NULL)
    add_issue (issues, DD_IVR_SEVERITY_ERROR, DD_IVR_ISSUE_NO_START, NULL, NULL,
               g_strdup (_("The call flow has no start node.")));
  else if (!g_hash_table_contains (self->by_id, self->start))
    add_issue (issues, DD_IVR_SEVERITY_ERROR, DD_IVR_ISSUE_NO_START, NULL, NULL,
               g_strdup_printf (_("The start node “%s” does not exist."), self->start));

  for (guint i = 0; i < self->nodes->len; i++)
    {
      const DdIvrNode *node = g_ptr_array_index (self->nodes, i);

      check_exits (self, node, issues);
      check_params (node, issues);
      check_placeholders (node, issues);
    }

  check_reachability (self, issues);

  return issues;
}

/**
 * dd_ivr_flow_has_errors:
 * @issues: (element-type DdIvrIssue): what dd_ivr_flow_validate() returned
 *
 * Returns: whether one of @issues is an error (not just a warning)
 */
gboolean
dd_ivr_flow_has_errors (GPtrArray *issues)
{
  for (guint i = 0; issues != NULL && i < issues->len; i++)
    {
      if (((DdIvrIssue *) g_ptr_array_index (issues, i))->severity == DD_IVR_SEVERITY_ERROR)
        return TRUE;
    }

  return FALSE;
}
