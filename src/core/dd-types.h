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

G_END_DECLS
