/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-database.h"

G_BEGIN_DECLS

/*
 * DdStore is the base of the stores: each keeps the rows of one kind of thing (cases, debtors,
 * users, campaigns, the outbox…) in the office database, which the base holds (the
 * construct-only "database" property).
 */

#define DD_TYPE_STORE (dd_store_get_type ())
G_DECLARE_DERIVABLE_TYPE (DdStore, dd_store, DD, STORE, GObject)

struct _DdStoreClass
{
  GObjectClass parent_class;

  gpointer padding[4];
};

DdDatabase *dd_store_get_database (DdStore  *self);

/* For the stores' own code, on their hot paths: the database of @store (a DdStore), without
 * a type check. */
DdDatabase *dd_store_db           (gpointer  store);

G_END_DECLS
