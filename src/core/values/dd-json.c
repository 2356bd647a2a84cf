/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "dd-json"

#include "config.h"

#include "dd-json.h"

void
dd_json_add_int (JsonBuilder *builder,
                 const char  *member,
                 gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

void
dd_json_add_string (JsonBuilder *builder,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

void
dd_json_add_boolean (JsonBuilder *builder,
                     const char  *member,
                     gboolean     value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_boolean_value (builder, value);
}

void
dd_json_add_double (JsonBuilder *builder,
                    const char  *member,
                    double       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_double_value (builder, value);
}

void
dd_json_begin_object_member (JsonBuilder *builder,
                             const char  *member)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
}

void
dd_json_begin_array_member (JsonBuilder *builder,
                            const char  *member)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
}

JsonNode *
dd_json_string_node (const char *value)
{
  JsonNode *node;

  if (value == NULL)
    return NULL;
  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, value);
  return node;
}

JsonNode *
dd_json_int_node (gint64 value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_int (node, value);
  return node;
}

const char *
dd_json_get_string (JsonObject *object,
                    const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}
