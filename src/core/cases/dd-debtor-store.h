/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-database.h"
#include "dd-store.h"
#include "dd-types.h"

G_BEGIN_DECLS

typedef struct
{
  const char *dedup_key;     /* tax id digits, or "name:<casefolded name>|<phone>" */
  const char *name;
  const char *tax_id;        /* NULL when unknown */
  const char *tax_id_kind;   /* "nip", "pesel", "inn", NULL */
  const char *email;
  const char *address;
  const char *birthday;      /* YYYY-MM-DD or NULL */
} DdDebtorRecord;

#define DD_TYPE_DEBTOR_STORE (dd_debtor_store_get_type ())
DD_DECLARE_STORE (DdDebtorStore, dd_debtor_store, DEBTOR_STORE)

/* Inserts the debtor or updates the one with the same dedup key (non-empty values win;
 * empty ones never erase what is known). @run_id marks it as seen by an import run. */
gboolean       dd_debtor_store_upsert        (DdDebtorStore         *self,
                                              const DdDebtorRecord  *record,
                                              gint64                 run_id,
                                              gint64                *out_id,
                                              DdUpsertResult        *out_result,
                                              GError               **error);
/* Adds @e164 to the debtor's phones unless present; @out_added tells which. */
gboolean       dd_debtor_store_add_phone     (DdDebtorStore         *self,
                                              gint64                 debtor_id,
                                              const char            *e164,
                                              const char            *kind,
                                              guint                  position,
                                              gboolean              *out_added,
                                              GError               **error);
/* The id of another debtor (not @debtor_id) who has the phone @e164, or 0. */
gboolean       dd_debtor_store_phone_owner   (DdDebtorStore         *self,
                                              const char            *e164,
                                              gint64                 debtor_id,
                                              gint64                *out_other_id,
                                              GError               **error);
gboolean       dd_debtor_store_count         (DdDebtorStore         *self,
                                              gint64                *out_debtors,
                                              gint64                *out_phones,
                                              GError               **error);

G_END_DECLS
