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

G_END_DECLS
