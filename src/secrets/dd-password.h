/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The users' passwords: hashed with yescrypt by the system's crypt library (libxcrypt), with
 * a random salt; only the hash ("$y$…") is kept, in the agent table. Verifying compares in
 * constant time.
 */

#define DD_PASSWORD_ERROR (dd_password_error_quark ())

typedef enum
{
  DD_PASSWORD_ERROR_EMPTY,     /* an empty password */
  DD_PASSWORD_ERROR_FAILED,    /* the crypt library refused (no entropy, no yescrypt) */
} DdPasswordError;

GQuark    dd_password_error_quark (void);

/* The yescrypt hash of @password (a new random salt each time), or NULL with @error. */
char     *dd_password_hash        (const char  *password,
                                   GError     **error);
/* Whether @password is the one @hash was made from; FALSE for a NULL, empty or broken hash. */
gboolean  dd_password_verify      (const char  *password,
                                   const char  *hash);
/* Reads a password from @fd: without echo when it is a terminal (after showing @prompt on
 * stderr), else one line; the line end is dropped. NULL with @error at the end of input. */
char     *dd_password_read        (int          fd,
                                   const char  *prompt,
                                   GError     **error);

G_END_DECLS
