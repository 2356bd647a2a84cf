/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-store"

#include "config.h"

#include "dd-store.h"

typedef struct
{
  DdDatabase *database;
} DdStorePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (DdStore, dd_store, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_DATABASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dd_store_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  DdStorePrivate *priv = dd_store_get_instance_private (DD_STORE (object));

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_value_set_object (value, priv->database);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_store_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  DdStorePrivate *priv = dd_store_get_instance_private (DD_STORE (object));

  switch (prop_id)
    {
    case PROP_DATABASE:
      priv->database = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dd_store_finalize (GObject *object)
{
  DdStorePrivate *priv = dd_store_get_instance_private (DD_STORE (object));

  g_clear_object (&priv->database);

  G_OBJECT_CLASS (dd_store_parent_class)->finalize (object);
}

static void
dd_store_class_init (DdStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = dd_store_get_property;
  object_class->set_property = dd_store_set_property;
  object_class->finalize = dd_store_finalize;

  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL, DD_TYPE_DATABASE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dd_store_init (DdStore *self)
{
}

gpointer
dd_store_new (GType       type,
              DdDatabase *database)
{
  g_return_val_if_fail (g_type_is_a (type, DD_TYPE_STORE), NULL);
  g_return_val_if_fail (DD_IS_DATABASE (database), NULL);

  return g_object_new (type, "database", database, NULL);
}

DdDatabase *
dd_store_get_database (DdStore *self)
{
  g_return_val_if_fail (DD_IS_STORE (self), NULL);

  return dd_store_db (self);
}

DdDatabase *
dd_store_db (gpointer store)
{
  DdStorePrivate *priv = dd_store_get_instance_private (store);

  return priv->database;
}
