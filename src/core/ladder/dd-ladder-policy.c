/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-ladder-policy"

#include "config.h"

#include "dd-ladder-policy.h"
#include "dd-json.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

G_DEFINE_QUARK (dd-ladder-policy-error-quark, dd_ladder_policy_error)

static const char *const channel_names[DD_LADDER_N_CHANNELS] = {
  "sms", "voice", "consultant-call", "demand-letter", "hand-over",
};

DD_DEFINE_ENUM_NAMES (DdLadderChannel, dd_ladder_channel, channel_names)

const char *
dd_ladder_channel_to_label (DdLadderChannel channel)
{
  switch (channel)
    {
    case DD_LADDER_SMS:
      return _("SMS");
    case DD_LADDER_VOICE:
      return _("Voice call");
    case DD_LADDER_CONSULTANT_CALL:
      return _("Consultant call task");
    case DD_LADDER_DEMAND_LETTER:
      return _("Demand letter task");
    case DD_LADDER_HAND_OVER:
      return _("Hand-over list");
    case DD_LADDER_N_CHANNELS:
    default:
      break;
    }
  g_return_val_if_reached (NULL);
}

gboolean
dd_ladder_channel_is_contact (DdLadderChannel channel)
{
  return channel == DD_LADDER_SMS || channel == DD_LADDER_VOICE;
}

const char *
dd_ladder_step_default_text (DdLadderChannel channel,
                             gint            offset_days)
{
  switch (channel)
    {
    case DD_LADDER_SMS:
      if (offset_days < 0)
        return _("{name}, a reminder: {balance} for {creditor} is due on {due_date}.");
      return _("{name}, {balance} for {creditor} was due on {due_date}. Please pay today.");
    case DD_LADDER_VOICE:
      return NULL;
    case DD_LADDER_CONSULTANT_CALL:
      return _("Call the debtor: the reminders and calls brought no payment.");
    case DD_LADDER_DEMAND_LETTER:
      return _("Send a demand letter.");
    case DD_LADDER_HAND_OVER:
      return _("Hand the case over (legal action or a collection agency).");
    case DD_LADDER_N_CHANNELS:
    default:
      break;
    }
  g_return_val_if_reached (NULL);
}

static void
step_clear (gpointer data)
{
  DdLadderStep *step = data;

  g_clear_pointer (&step->text, g_free);
  g_clear_pointer (&step->flow, g_free);
}

DdLadderPolicy *
dd_ladder_policy_new (const char *name)
{
  DdLadderPolicy *self = g_new0 (DdLadderPolicy, 1);

  self->name = g_strdup (name);
  self->steps = g_array_new (FALSE, TRUE, sizeof (DdLadderStep));
  g_array_set_clear_func (self->steps, step_clear);
  return self;
}

DdLadderPolicy *
dd_ladder_policy_new_default (void)
{
  DdLadderPolicy *self = dd_ladder_policy_new (_("Default ladder"));

  dd_ladder_policy_add_step (self, -3, DD_LADDER_SMS, NULL, NULL);
  dd_ladder_policy_add_step (self, 0, DD_LADDER_SMS, NULL, NULL);
  dd_ladder_policy_add_step (self, 3, DD_LADDER_VOICE, NULL, "payment-reminder");
  dd_ladder_policy_add_step (self, 7, DD_LADDER_VOICE, NULL, "payment-reminder");
  dd_ladder_policy_add_step (self, 10, DD_LADDER_CONSULTANT_CALL, NULL, NULL);
  dd_ladder_policy_add_step (self, 14, DD_LADDER_DEMAND_LETTER, NULL, NULL);
  dd_ladder_policy_add_step (self, 30, DD_LADDER_HAND_OVER, NULL, NULL);
  return self;
}

DdLadderPolicy *
dd_ladder_policy_copy (const DdLadderPolicy *self)
{
  DdLadderPolicy *copy = dd_ladder_policy_new (self->name);

  copy->id = self->id;
  copy->creditor_id = self->creditor_id;
  for (guint i = 0; i < self->steps->len; i++)
    {
      const DdLadderStep *s = &g_array_index (self->steps, DdLadderStep, i);

      dd_ladder_policy_add_step (copy, s->offset_days, s->channel, s->text, s->flow);
    }
  return copy;
}

void
dd_ladder_policy_free (DdLadderPolicy *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_array_unref (self->steps);
  g_free (self);
}

void
dd_ladder_policy_add_step (DdLadderPolicy  *self,
                           gint             offset_days,
                           DdLadderChannel  channel,
                           const char      *text,
                           const char      *flow)
{
  DdLadderStep step = {
    .offset_days = offset_days,
    .channel = channel,
    .text = g_strdup (text != NULL && *text != '\0' ? text : NULL),
    .flow = g_strdup (flow != NULL && *flow != '\0' ? flow : NULL),
  };
  guint at = self->steps->len;

  while (at > 0 && g_array_index (self->steps, DdLadderStep, at - 1).offset_days > offset_days)
    at--;
  g_array_insert_val (self->steps, at, step);
}

const DdLadderStep *
dd_ladder_policy_get_step (const DdLadderPolicy *self,
                           guint                 index)
{
  g_return_val_if_fail (index < self->steps->len, NULL);
  return &g_array_index (self->steps, DdLadderStep, index);
}

guint
dd_ladder_policy_get_n_steps (const DdLadderPolicy *self)
{
  return self->steps->len;
}

gboolean
dd_ladder_policy_validate (const DdLadderPolicy  *self,
                           GError               **error)
{
  if (self->steps->len == 0)
    {
      g_set_error_literal (error, DD_LADDER_POLICY_ERROR, DD_LADDER_POLICY_ERROR_INVALID,
                           _("A ladder needs at least one step."));
      return FALSE;
    }
  for (guint i = 0; i < self->steps->len; i++)
    {
      const DdLadderStep *s = &g_array_index (self->steps, DdLadderStep, i);

      if (s->offset_days < -365 || s->offset_days > 3650)
        {
          g_set_error (error, DD_LADDER_POLICY_ERROR, DD_LADDER_POLICY_ERROR_INVALID,
                       _("Step %u: the day must lie between −365 and 3650."), i + 1);
          return FALSE;
        }
      if (i > 0 && g_array_index (self->steps, DdLadderStep, i - 1).offset_days == s->offset_days)
        {
          g_set_error (error, DD_LADDER_POLICY_ERROR, DD_LADDER_POLICY_ERROR_INVALID,
                       _("Two steps on day %d: a debtor is contacted once a day."),
                       s->offset_days);
          return FALSE;
        }
      if (s->channel == DD_LADDER_VOICE && s->flow == NULL)
        {
          g_set_error (error, DD_LADDER_POLICY_ERROR, DD_LADDER_POLICY_ERROR_INVALID,
                       _("Step %u: a voice call needs a call flow."), i + 1);
          return FALSE;
        }
    }
  return TRUE;
}

char *
dd_ladder_policy_to_json (const DdLadderPolicy *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  dd_json_add_string (builder, "name", self->name);
  dd_json_begin_array_member (builder, "steps");
  for (guint i = 0; i < self->steps->len; i++)
    {
      const DdLadderStep *s = &g_array_index (self->steps, DdLadderStep, i);

      json_builder_begin_object (builder);
      dd_json_add_int (builder, "day", s->offset_days);
      dd_json_add_string (builder, "channel", channel_names[s->channel]);
      if (s->text != NULL)
        dd_json_add_string (builder, "text", s->text);
      if (s->flow != NULL)
        dd_json_add_string (builder, "flow", s->flow);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, TRUE);
}

DdLadderPolicy *
dd_ladder_policy_from_json (const char  *json,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(DdLadderPolicy) self = NULL;
  JsonObject *object;
  JsonArray *steps;

  if (!json_parser_load_from_data (parser, json, -1, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto bad;
  object = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (object, "steps") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "steps")))
    goto bad;
  self = dd_ladder_policy_new (json_object_get_string_member_with_default (object, "name",
                                                                           _("Ladder")));
  steps = json_object_get_array_member (object, "steps");
  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonNode *node = json_array_get_element (steps, i);
      JsonObject *step;
      DdLadderChannel channel;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        goto bad;
      step = json_node_get_object (node);
      if (!json_object_has_member (step, "day") ||
          !dd_ladder_channel_from_string (json_object_get_string_member_with_default (step,
                                                                                     "channel",
                                                                                     NULL),
                                          &channel))
        {
          g_set_error (error, DD_LADDER_POLICY_ERROR, DD_LADDER_POLICY_ERROR_PARSE,
                       _("Step %u needs a day and one of the channels sms, voice, "
                         "consultant-call, demand-letter, hand-over."), i + 1);
          return NULL;
        }
      dd_ladder_policy_add_step (self, (gint) json_object_get_int_member (step, "day"), channel,
                                 json_object_get_string_member_with_default (step, "text", NULL),
                                 json_object_get_string_member_with_default (step, "flow", NULL));
    }
  return g_steal_pointer (&self);

bad:
  g_set_error_literal (error, DD_LADDER_POLICY_ERROR, DD_LADDER_POLICY_ERROR_PARSE,
                       _("A ladder policy is an object with a list of steps."));
  return NULL;
}
