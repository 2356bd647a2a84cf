/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * An IVR call flow (DESIGN.md §6): a directed graph of nodes. Each node has a string id, a
 * type, parameters (a JSON object), a position on the editor's canvas and exits: a map from an
 * outcome ("done", "1", "timeout"...) to the id of the next node.
 *
 * The JSON form, format 1:
 *
 *   {
 *     "format": 1,
 *     "name": "Payment reminder",
 *     "language": "en",
 *     "start": "greeting",
 *     "nodes": [
 *       { "id": "greeting", "type": "play",
 *         "params": { "text": "Hello {name}." },
 *         "position": { "x": 40, "y": 80 },
 *         "exits": { "done": "details" } },
 *       ...
 *     ]
 *   }
 *
 * "language" ("pl", "ru" or "en"; optional: flows saved before it existed have none) is the
 * language the flow speaks: its prompts are written in it, and the interpreter says amounts,
 * dates and invoice numbers in it.
 *
 * Node types, their parameters (all optional unless said) and exits:
 *
 *   play             text (TTS, with placeholders) or file (an audio file path);
 *                    exit: done
 *   menu             prompt, timeout_ms (default 5000), max_retries (default 2),
 *                    invalid_prompt, timeout_prompt; exits: the keys "0"-"9", "*", "#"
 *                    (a key is an option when its exit is connected), timeout, invalid
 *                    (taken when max_retries repetitions are used up)
 *   say-amount       prefix (text said first), source: "amount" (default) or "balance";
 *                    exit: done
 *   say-date         prefix, source: "due_date" (default) or "today"; exit: done
 *   say-invoice      text (default: a built-in sentence in the flow's language with the
 *                    invoice number, amount and due date); exit: done
 *   collect-digits   prompt, min_digits (1), max_digits (16), terminator ("#"; "" for none),
 *                    timeout_ms (5000), variable ("digits"); exits: done, timeout, invalid
 *   declare-payment  date_prompt, amount_prompt, confirm_prompt (may use {declared_date} and
 *                    {declared_amount}), invalid_prompt, timeout_ms (7000), max_retries (2),
 *                    currency (default: the case's); exits: done, failed
 *   transfer         queue (required); exits: answered (optional: leaving it unconnected
 *                    ends the flow with the call in the consultant's hands), failed
 *   send-sms         text (required, with placeholders); exit: done
 *   time-switch      timezone (IANA, default "Europe/Warsaw"), hours: an object from "mon",
 *                    "tue" ... "sun" to an array of "HH:MM-HH:MM" ranges, holidays: an array
 *                    of "YYYY-MM-DD" dates (in that time zone); exits: open, closed
 *   set-status       status (required: a case status such as "payment-declaration");
 *                    exit: done
 *   hang-up          no exits
 *
 * Placeholders known in texts: {name} {amount} {due_date} {invoice} {creditor} {payment_link}
 * {agent_phone} {balance}; a declare-payment confirm_prompt also knows {declared_date} and
 * {declared_amount}.
 *
 * Mutations are small and symmetric so that the editor can build undo on top of them: every
 * change has an inverse made of the public functions (see dd_ivr_flow_remove_node()). Each
 * mutation emits the "changed" signal once.
 */

#define DD_IVR_FLOW_FORMAT 1

#define DD_IVR_FLOW_ERROR (dd_ivr_flow_error_quark ())

/**
 * DdIvrFlowError:
 * @DD_IVR_FLOW_ERROR_PARSE: not JSON
 * @DD_IVR_FLOW_ERROR_INVALID: JSON, but not a flow (missing or mistyped member, duplicate or
 *   empty node id, unknown node type)
 * @DD_IVR_FLOW_ERROR_FUTURE_FORMAT: a flow written by a newer version of the program
 * @DD_IVR_FLOW_ERROR_UNKNOWN_TEMPLATE: no template of that name
 * @DD_IVR_FLOW_ERROR_NOT_FOUND: no node with that id
 * @DD_IVR_FLOW_ERROR_EXISTS: a node with that id already exists
 * @DD_IVR_FLOW_ERROR_BAD_EXIT: the node type has no such exit
 */
typedef enum
{
  DD_IVR_FLOW_ERROR_PARSE,
  DD_IVR_FLOW_ERROR_INVALID,
  DD_IVR_FLOW_ERROR_FUTURE_FORMAT,
  DD_IVR_FLOW_ERROR_UNKNOWN_TEMPLATE,
  DD_IVR_FLOW_ERROR_NOT_FOUND,
  DD_IVR_FLOW_ERROR_EXISTS,
  DD_IVR_FLOW_ERROR_BAD_EXIT,
} DdIvrFlowError;

/**
 * DdIvrNodeType:
 *
 * The kinds of node. The GEnumValue nicks are the "type" strings of the JSON form.
 */
typedef enum
{
  DD_IVR_NODE_PLAY,
  DD_IVR_NODE_MENU,
  DD_IVR_NODE_SAY_AMOUNT,
  DD_IVR_NODE_SAY_DATE,
  DD_IVR_NODE_SAY_INVOICE,
  DD_IVR_NODE_COLLECT_DIGITS,
  DD_IVR_NODE_DECLARE_PAYMENT,
  DD_IVR_NODE_TRANSFER,
  DD_IVR_NODE_SEND_SMS,
  DD_IVR_NODE_TIME_SWITCH,
  DD_IVR_NODE_SET_STATUS,
  DD_IVR_NODE_HANG_UP,
} DdIvrNodeType;

#define DD_IVR_N_NODE_TYPES (DD_IVR_NODE_HANG_UP + 1)

#define DD_TYPE_IVR_NODE_TYPE (dd_ivr_node_type_get_type ())
GType dd_ivr_node_type_get_type (void);

/**
 * DdIvrNode:
 * @id: unique within the flow, not empty
 * @type: the node type
 * @params: the parameters; never %NULL
 * @x: position on the canvas
 * @y: position on the canvas
 * @exits: outcome (char *) → target node id (char *)
 *
 * One node. Nodes that belong to a flow are read-only: change them through the flow's
 * functions. A copy (dd_ivr_node_copy()) is independent of any flow.
 */
typedef struct
{
  char          *id;
  DdIvrNodeType  type;
  JsonObject    *params;
  double         x;
  double         y;
  GHashTable    *exits;
} DdIvrNode;

#define DD_TYPE_IVR_NODE (dd_ivr_node_get_type ())
GType        dd_ivr_node_get_type        (void);
DdIvrNode   *dd_ivr_node_new             (const char     *id,
                                          DdIvrNodeType   type);
DdIvrNode   *dd_ivr_node_copy            (const DdIvrNode *node);
void         dd_ivr_node_free            (DdIvrNode      *node);
const char  *dd_ivr_node_get_exit        (const DdIvrNode *node,
                                          const char     *outcome);
const char  *dd_ivr_node_get_string      (const DdIvrNode *node,
                                          const char     *param,
                                          const char     *default_value);
gint64       dd_ivr_node_get_int         (const DdIvrNode *node,
                                          const char     *param,
                                          gint64          default_value);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdIvrNode, dd_ivr_node_free)

/* Node types: names, palette labels, exits. */
const char          *dd_ivr_node_type_to_string        (DdIvrNodeType  type);
gboolean             dd_ivr_node_type_from_string      (const char    *name,
                                                        DdIvrNodeType *out_type);
const char          *dd_ivr_node_type_get_display_name (DdIvrNodeType  type);
const char * const  *dd_ivr_node_type_get_exits        (DdIvrNodeType  type);
gboolean             dd_ivr_node_type_has_exit         (DdIvrNodeType  type,
                                                        const char    *outcome);
gboolean             dd_ivr_node_type_exit_is_required (DdIvrNodeType  type,
                                                        const char    *outcome);
const char          *dd_ivr_exit_get_display_name      (const char    *outcome);
gboolean             dd_ivr_placeholder_is_known       (const char    *name);

/**
 * DdIvrSeverity:
 * @DD_IVR_SEVERITY_WARNING: the flow runs, but probably not as meant
 * @DD_IVR_SEVERITY_ERROR: the flow must not be used for calls
 */
typedef enum
{
  DD_IVR_SEVERITY_WARNING,
  DD_IVR_SEVERITY_ERROR,
} DdIvrSeverity;

/**
 * DdIvrIssueKind:
 * @DD_IVR_ISSUE_NO_START: no start node, or the start names no node
 * @DD_IVR_ISSUE_UNREACHABLE: no path from the start leads to the node (warning)
 * @DD_IVR_ISSUE_DANGLING_EXIT: an exit points to a node that does not exist
 * @DD_IVR_ISSUE_MISSING_EXIT: a required exit is not connected
 * @DD_IVR_ISSUE_UNKNOWN_EXIT: an exit the node's type does not have
 * @DD_IVR_ISSUE_MENU_NO_TIMEOUT: a menu without a timeout exit
 * @DD_IVR_ISSUE_MENU_NO_INVALID: a menu without an invalid-input exit
 * @DD_IVR_ISSUE_MENU_NO_OPTIONS: a menu with no key connected
 * @DD_IVR_ISSUE_ENDLESS_LOOP: no path from the node reaches a hang-up, a transfer or the end
 * @DD_IVR_ISSUE_UNKNOWN_PLACEHOLDER: a text uses a placeholder nobody fills in
 * @DD_IVR_ISSUE_BAD_PARAM: a parameter is missing or wrong (no text, bad time zone...)
 */
typedef enum
{
  DD_IVR_ISSUE_NO_START,
  DD_IVR_ISSUE_UNREACHABLE,
  DD_IVR_ISSUE_DANGLING_EXIT,
  DD_IVR_ISSUE_MISSING_EXIT,
  DD_IVR_ISSUE_UNKNOWN_EXIT,
  DD_IVR_ISSUE_MENU_NO_TIMEOUT,
  DD_IVR_ISSUE_MENU_NO_INVALID,
  DD_IVR_ISSUE_MENU_NO_OPTIONS,
  DD_IVR_ISSUE_ENDLESS_LOOP,
  DD_IVR_ISSUE_UNKNOWN_PLACEHOLDER,
  DD_IVR_ISSUE_BAD_PARAM,
} DdIvrIssueKind;

/**
 * DdIvrIssue:
 * @severity: error or warning
 * @kind: which rule found it
 * @node_id: (nullable): the node concerned
 * @outcome: (nullable): the exit concerned
 * @message: a translated sentence for the user
 */
typedef struct
{
  DdIvrSeverity   severity;
  DdIvrIssueKind  kind;
  char           *node_id;
  char           *outcome;
  char           *message;
} DdIvrIssue;

#define DD_TYPE_IVR_ISSUE (dd_ivr_issue_get_type ())
GType        dd_ivr_issue_get_type (void);
DdIvrIssue  *dd_ivr_issue_copy     (const DdIvrIssue *issue);
void         dd_ivr_issue_free     (DdIvrIssue       *issue);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdIvrIssue, dd_ivr_issue_free)

/**
 * DdIvrEdge:
 * @from: the node the exit belongs to
 * @outcome: the exit
 * @to: the target
 */
typedef struct
{
  char *from;
  char *outcome;
  char *to;
} DdIvrEdge;

void dd_ivr_edge_free (DdIvrEdge *edge);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdIvrEdge, dd_ivr_edge_free)

#define DD_TYPE_IVR_FLOW (dd_ivr_flow_get_type ())
G_DECLARE_FINAL_TYPE (DdIvrFlow, dd_ivr_flow, DD, IVR_FLOW, GObject)

GQuark            dd_ivr_flow_error_quark        (void);

DdIvrFlow        *dd_ivr_flow_new                (const char      *name);
DdIvrFlow        *dd_ivr_flow_new_from_data      (const char      *data,
                                                  gssize           length,
                                                  GError         **error);
DdIvrFlow        *dd_ivr_flow_new_from_template  (const char      *template_name,
                                                  GError         **error);
DdIvrFlow        *dd_ivr_flow_new_from_template_in (const char    *template_name,
                                                  const char      *language,
                                                  GError         **error);
const char * const *dd_ivr_flow_get_template_names (void);

gboolean          dd_ivr_flow_load_from_data     (DdIvrFlow       *self,
                                                  const char      *data,
                                                  gssize           length,
                                                  GError         **error);
char             *dd_ivr_flow_to_data            (DdIvrFlow       *self,
                                                  gsize           *length);
gboolean          dd_ivr_flow_equal              (DdIvrFlow       *a,
                                                  DdIvrFlow       *b);

const char       *dd_ivr_flow_get_name           (DdIvrFlow       *self);
void              dd_ivr_flow_set_name           (DdIvrFlow       *self,
                                                  const char      *name);
gboolean          dd_ivr_flow_language_is_known  (const char      *language);
const char       *dd_ivr_flow_get_language       (DdIvrFlow       *self);
void              dd_ivr_flow_set_language       (DdIvrFlow       *self,
                                                  const char      *language);
const char       *dd_ivr_flow_get_start          (DdIvrFlow       *self);
void              dd_ivr_flow_set_start          (DdIvrFlow       *self,
                                                  const char      *node_id);

guint             dd_ivr_flow_get_n_nodes        (DdIvrFlow       *self);
GPtrArray        *dd_ivr_flow_get_node_ids       (DdIvrFlow       *self);
const DdIvrNode  *dd_ivr_flow_get_node           (DdIvrFlow       *self,
                                                  const char      *node_id);
char             *dd_ivr_flow_make_node_id       (DdIvrFlow       *self,
                                                  DdIvrNodeType    type);
const DdIvrNode  *dd_ivr_flow_add_node           (DdIvrFlow       *self,
                                                  DdIvrNodeType    type,
                                                  const char      *node_id,
                                                  double           x,
                                                  double           y,
                                                  GError         **error);
gboolean          dd_ivr_flow_insert_node        (DdIvrFlow       *self,
                                                  const DdIvrNode *node,
                                                  GError         **error);
gboolean          dd_ivr_flow_remove_node        (DdIvrFlow       *self,
                                                  const char      *node_id,
                                                  GError         **error);
gboolean          dd_ivr_flow_move_node          (DdIvrFlow       *self,
                                                  const char      *node_id,
                                                  double           x,
                                                  double           y,
                                                  GError         **error);
gboolean          dd_ivr_flow_connect            (DdIvrFlow       *self,
                                                  const char      *from_id,
                                                  const char      *outcome,
                                                  const char      *to_id,
                                                  GError         **error);
gboolean          dd_ivr_flow_disconnect         (DdIvrFlow       *self,
                                                  const char      *from_id,
                                                  const char      *outcome,
                                                  GError         **error);
gboolean          dd_ivr_flow_set_param          (DdIvrFlow       *self,
                                                  const char      *node_id,
                                                  const char      *param,
                                                  JsonNode        *value,
                                                  GError         **error);
gboolean          dd_ivr_flow_set_param_string   (DdIvrFlow       *self,
                                                  const char      *node_id,
                                                  const char      *param,
                                                  const char      *value,
                                                  GError         **error);
gboolean          dd_ivr_flow_set_param_int      (DdIvrFlow       *self,
                                                  const char      *node_id,
                                                  const char      *param,
                                                  gint64           value,
                                                  GError         **error);
GPtrArray        *dd_ivr_flow_get_incoming       (DdIvrFlow       *self,
                                                  const char      *node_id);

GPtrArray        *dd_ivr_flow_validate           (DdIvrFlow       *self);
gboolean          dd_ivr_time_switch_is_open     (const DdIvrNode *node,
                                                  GDateTime       *now,
                                                  GError         **error);
gboolean          dd_ivr_flow_has_errors         (GPtrArray       *issues);

G_END_DECLS
