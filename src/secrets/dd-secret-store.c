/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-secret-store"

#include "config.h"

#include "dd-secret-store.h"

#include <libsecret/secret.h>
#include <string.h>

#define TEXT SECRET_SCHEMA_ATTRIBUTE_STRING

/* One schema a kind. The names and attributes are those the keyring already holds: do not
 * change them. */
static const SecretSchema schemas[] = {
  [DD_SECRET_SMS_PROVIDER] = {
    .name = APPLICATION_ID ".SmsProvider",
    .attributes = { { "provider", TEXT }, { "url", TEXT }, { "username", TEXT } },
  },
  [DD_SECRET_SIP_ACCOUNT] = {
    .name = APPLICATION_ID ".SipAccount",
    .attributes = { { "account", TEXT }, { "aor", TEXT } },
  },
  [DD_SECRET_MAIL_ACCOUNT] = {
    .name = APPLICATION_ID ".MailAccount",
    .attributes = { { "server", TEXT }, { "user", TEXT } },
  },
  [DD_SECRET_SHARED_DATABASE] = {
    .name = APPLICATION_ID ".SharedDatabase",
    .attributes = { { "uri", TEXT } },
  },
};

#undef TEXT

static const SecretSchema *
schema_for (DdSecretKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (schemas), NULL);

  return &schemas[kind];
}

/* The attributes as libsecret takes them (copies: libsecret keeps the table, not its strings,
 * until the request is done); a NULL value is stored as "". */
static GHashTable *
attribute_table (const char * const *attributes)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; attributes != NULL && attributes[i] != NULL; i += 2)
    g_hash_table_insert (table, g_strdup (attributes[i]),
                         g_strdup (attributes[i + 1] != NULL ? attributes[i + 1] : ""));
  return table;
}

/* A request for libsecret: its task (tagged @tag) and the attribute table in @table. */
static GTask *
request_new (const char * const   *attributes,
             GHashTable          **table,
             GCancellable         *cancellable,
             GAsyncReadyCallback   callback,
             gpointer              user_data,
             gpointer              tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, tag);
  *table = attribute_table (attributes);
  return task;
}

/* Ends a store or a clear: TRUE, or libsecret's @error (taken). Takes @task. */
static void
return_changed (GTask  *task,
                GError *error)
{
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError *error = NULL;

  secret_password_store_finish (result, &error);
  return_changed (user_data, error);
}

static void
on_cleared (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  return_changed (user_data, error);
}

void
dd_secret_store (DdSecretKind         kind,
                 const char * const  *attributes,
                 const char          *label,
                 const char          *secret,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GHashTable) table = NULL;
  GTask *task = request_new (attributes, &table, cancellable, callback, user_data,
                             dd_secret_store);

  /* @cancellable stays the task's (it answers CANCELLED): libsecret shares its connection to
   * the secret service between requests, and cancelling one request while that connection is
   * being made cancels every request waiting for it */
  if (secret == NULL || *secret == '\0')
    secret_password_clearv (schema_for (kind), table, NULL, on_cleared, task);
  else
    secret_password_storev (schema_for (kind), table, SECRET_COLLECTION_DEFAULT, label, secret,
                            NULL, on_stored, task);
}

gboolean
dd_secret_store_finish (GAsyncResult  *result,
                        GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_looked_up (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    {
      g_task_return_pointer (task, g_strdup (secret), (GDestroyNotify) dd_secret_free);
      secret_password_free (secret);
    }
}

void
dd_secret_lookup (DdSecretKind         kind,
                  const char * const  *attributes,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GHashTable) table = NULL;
  GTask *task = request_new (attributes, &table, cancellable, callback, user_data,
                             dd_secret_lookup);

  /* not @cancellable: see dd_secret_store() */
  secret_password_lookupv (schema_for (kind), table, NULL, on_looked_up, task);
}

char *
dd_secret_lookup_finish (GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dd_secret_free (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}
