/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-database.h"
#include "dd-store.h"

G_BEGIN_DECLS

/*
 * The people who work at the desk (table agent): consultants work cases, managers also
 * close them, run campaigns and manage the users. The app always runs as one of them, so
 * at least one active manager must remain.
 */

#define DD_AGENT_STORE_ERROR (dd_agent_store_error_quark ())

typedef enum
{
  DD_AGENT_STORE_ERROR_NOT_FOUND,
  DD_AGENT_STORE_ERROR_EXISTS,        /* another user has that name */
  DD_AGENT_STORE_ERROR_INVALID_NAME,  /* empty */
  DD_AGENT_STORE_ERROR_LAST_MANAGER,  /* the change would leave no active manager */
} DdAgentStoreError;

GQuark dd_agent_store_error_quark (void);

typedef enum
{
  DD_AGENT_ROLE_CONSULTANT,
  DD_AGENT_ROLE_MANAGER,
} DdAgentRole;

/* "consultant" / "manager", as stored */
DD_DECLARE_ENUM_NAMES (DdAgentRole, dd_agent_role);
/* The translated name of the role ("Consultant", "Manager") */
const char *dd_agent_role_get_label   (DdAgentRole  role);

typedef struct
{
  gint64       id;
  char        *name;
  DdAgentRole  role;
  char        *phone;   /* nullable */
  gboolean     active;
  gboolean     has_password;
} DdAgent;

DdAgent *dd_agent_copy (const DdAgent *agent);
void     dd_agent_free (DdAgent       *agent);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdAgent, dd_agent_free)

#define DD_TYPE_AGENT_STORE (dd_agent_store_get_type ())
DD_DECLARE_STORE (DdAgentStore, dd_agent_store, AGENT_STORE)
/* The users by name (GPtrArray of DdAgent); inactive ones only with @include_inactive. */
GPtrArray    *dd_agent_store_list           (DdAgentStore  *self,
                                             gboolean       include_inactive,
                                             GError       **error);
DdAgent      *dd_agent_store_get            (DdAgentStore  *self,
                                             gint64         id,
                                             GError       **error);
/* Adds an active user named @name (leading/trailing spaces dropped). */
gboolean      dd_agent_store_add            (DdAgentStore  *self,
                                             const char    *name,
                                             DdAgentRole    role,
                                             gint64        *out_id,
                                             GError       **error);
gboolean      dd_agent_store_rename         (DdAgentStore  *self,
                                             gint64         id,
                                             const char    *name,
                                             GError       **error);
/* Fails with DD_AGENT_STORE_ERROR_LAST_MANAGER when @id is the last active manager. */
gboolean      dd_agent_store_set_role       (DdAgentStore  *self,
                                             gint64         id,
                                             DdAgentRole    role,
                                             GError       **error);
/* Deactivates (never deletes: cases and activities keep naming the user) or reactivates;
 * fails with DD_AGENT_STORE_ERROR_LAST_MANAGER when @id is the last active manager. */
gboolean      dd_agent_store_set_active     (DdAgentStore  *self,
                                             gint64         id,
                                             gboolean       active,
                                             GError       **error);
gint64        dd_agent_store_count_managers (DdAgentStore  *self,
                                             GError       **error);
/* On the first run (no users at all) creates a manager named @name (the system user's real
 * name when NULL), so that the app can be used at once. Gives the id of the user created,
 * or 0 when there were users already. */
gboolean      dd_agent_store_ensure_first   (DdAgentStore  *self,
                                             const char    *name,
                                             gint64        *out_id,
                                             GError       **error);

/* The user named @name (exactly, after dropping leading/trailing spaces), active or not. */
DdAgent      *dd_agent_store_find_by_name   (DdAgentStore  *self,
                                             const char    *name,
                                             GError       **error);
/* The hash of @id's password (the caller hashes: dd-password in the secrets layer), NULL to
 * remove it. */
gboolean      dd_agent_store_set_password_hash (DdAgentStore *self,
                                                gint64        id,
                                                const char   *hash,
                                                GError      **error);
/* The hash of @id's password, or NULL (without @error) when the user has none. */
char         *dd_agent_store_dup_password_hash (DdAgentStore *self,
                                                gint64        id,
                                                GError      **error);
/* Whether some active user has a password: then the app asks who signs in. */
gboolean      dd_agent_store_has_passwords  (DdAgentStore  *self,
                                             gboolean      *out_any,
                                             GError       **error);

G_END_DECLS
