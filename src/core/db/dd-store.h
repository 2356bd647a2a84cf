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

/* A new store of @type (a DdStore subclass) on @database. */
gpointer    dd_store_new          (GType        type,
                                   DdDatabase  *database);
DdDatabase *dd_store_get_database (DdStore  *self);

/* For the stores' own code, on their hot paths: the database of @store (a DdStore), without
 * a type check. */
DdDatabase *dd_store_db           (gpointer  store);

/* In a store's header: its final type, derived from DdStore, and @type_name_new (database). */
#define DD_DECLARE_STORE(TypeName, type_name, TYPE_NAME) \
  G_DECLARE_FINAL_TYPE (TypeName, type_name, DD, TYPE_NAME, DdStore) \
  TypeName *type_name##_new (DdDatabase *database);

/* In the source of a store that holds nothing but the base's database: the type and its
 * constructor @type_name_new (database). */
#define DD_DEFINE_STORE(TypeName, type_name) \
  struct _##TypeName \
  { \
    DdStore parent_instance; \
  }; \
  \
  G_DEFINE_FINAL_TYPE (TypeName, type_name, DD_TYPE_STORE) \
  \
  static void \
  type_name##_class_init (TypeName##Class *klass) \
  { \
  } \
  \
  static void \
  type_name##_init (TypeName *self) \
  { \
  } \
  \
  TypeName * \
  type_name##_new (DdDatabase *database) \
  { \
    return dd_store_new (type_name##_get_type (), database); \
  }

G_END_DECLS
