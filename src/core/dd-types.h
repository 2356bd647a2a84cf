/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What an upsert did to the row it was given. */
typedef enum
{
  DD_UPSERT_NEW,        /* created now */
  DD_UPSERT_UPDATED,    /* existed before this import run, changed or confirmed now */
  DD_UPSERT_UNCHANGED,  /* existed before this run and nothing changed */
  DD_UPSERT_SEEN,       /* already touched earlier in this same run */
} DdUpsertResult;

/* For enums stored by name: the index of @text in @names (@n_names of them); FALSE, with
 * *@out_index untouched, when @text (or NULL) is none of them. */
static inline gboolean
dd_name_index (const char * const *names,
               guint               n_names,
               const char         *text,
               guint              *out_index)
{
  for (guint i = 0; text != NULL && i < n_names; i++)
    if (g_strcmp0 (text, names[i]) == 0)
      {
        *out_index = i;
        return TRUE;
      }
  return FALSE;
}

/* Declares @prefix_to_string() and @prefix_from_string() of an enum stored by name, which
 * DD_DEFINE_ENUM_NAMES() defines (or the module by hand, with the same contract). */
#define DD_DECLARE_ENUM_NAMES(EnumType, prefix) \
  const char *prefix##_to_string   (EnumType    value); \
  gboolean    prefix##_from_string (const char *text, \
                                    EnumType   *out_value)

/* Defines @prefix_to_string() and @prefix_from_string() of an enum stored by name, its values
 * 0…n−1 named in order by the array @names: to_string is NULL (a programmer's mistake) for a
 * value out of range; from_string is FALSE, *out_value untouched, for any other text or NULL
 * (@out_value may be NULL: only whether @text is a name). */
#define DD_DEFINE_ENUM_NAMES(EnumType, prefix, names) \
  const char * \
  prefix##_to_string (EnumType value) \
  { \
    g_return_val_if_fail ((guint) value < G_N_ELEMENTS (names), NULL); \
    return names[value]; \
  } \
  \
  gboolean \
  prefix##_from_string (const char *text, \
                        EnumType   *out_value) \
  { \
    guint index; \
    \
    if (!dd_name_index (names, G_N_ELEMENTS (names), text, &index)) \
      return FALSE; \
    if (out_value != NULL) \
      *out_value = (EnumType) index; \
    return TRUE; \
  }

G_END_DECLS
