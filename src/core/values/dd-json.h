/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * The JSON the office writes (CLI output, flow parameters, audit refs, summaries): one call
 * for a member of an object being built, and value nodes made from C values.
 */

void      dd_json_add_int      (JsonBuilder *builder,
                                const char  *member,
                                gint64       value);
void      dd_json_add_string   (JsonBuilder *builder,
                                const char  *member,
                                const char  *value);
void      dd_json_add_boolean  (JsonBuilder *builder,
                                const char  *member,
                                gboolean     value);
void      dd_json_add_double   (JsonBuilder *builder,
                                const char  *member,
                                double       value);

/* Starts the object or array that is the value of @member. */
void      dd_json_begin_object_member (JsonBuilder *builder,
                                       const char  *member);
void      dd_json_begin_array_member  (JsonBuilder *builder,
                                       const char  *member);

/* A string value node; NULL for a NULL @value. */
JsonNode *dd_json_string_node  (const char  *value);
JsonNode *dd_json_int_node     (gint64       value);

/* The string value of @object's member @name; NULL when it is missing or not a string. */
const char *dd_json_get_string (JsonObject  *object,
                                const char  *name);

G_END_DECLS
