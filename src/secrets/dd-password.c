/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-password"

#include "config.h"

#include "dd-password.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include <crypt.h>
#include <errno.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

G_DEFINE_QUARK (dd-password-error-quark, dd_password_error)

/* yescrypt with libxcrypt's default cost */
#define PREFIX "$y$"

char *
dd_password_hash (const char  *password,
                  GError     **error)
{
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  g_autofree struct crypt_data *data = NULL;
  char *result;

  g_return_val_if_fail (password != NULL, NULL);

  if (*password == '\0')
    {
      g_set_error_literal (error, DD_PASSWORD_ERROR, DD_PASSWORD_ERROR_EMPTY,
                           _("The password is empty."));
      return NULL;
    }

  /* a NULL random source: libxcrypt takes the salt from the system's random generator */
  if (crypt_gensalt_rn (PREFIX, 0, NULL, 0, salt, sizeof salt) == NULL)
    {
      int saved = errno;

      g_set_error (error, DD_PASSWORD_ERROR, DD_PASSWORD_ERROR_FAILED,
                   _("Could not protect the password: %s"), g_strerror (saved));
      return NULL;
    }

  data = g_new0 (struct crypt_data, 1);
  result = crypt_r (password, salt, data);
  if (result == NULL || result[0] == '*' || !g_str_has_prefix (result, PREFIX))
    {
      g_set_error_literal (error, DD_PASSWORD_ERROR, DD_PASSWORD_ERROR_FAILED,
                           _("Could not protect the password: the system cannot hash with yescrypt."));
      explicit_bzero (data, sizeof *data);
      return NULL;
    }
  result = g_strdup (result);
  explicit_bzero (data, sizeof *data);
  return result;
}

gboolean
dd_password_verify (const char *password,
                    const char *hash)
{
  g_autofree struct crypt_data *data = NULL;
  const char *result;
  gsize length;
  guchar difference = 0;

  if (password == NULL || hash == NULL || !g_str_has_prefix (hash, "$"))
    return FALSE;

  data = g_new0 (struct crypt_data, 1);
  result = crypt_r (password, hash, data);
  if (result == NULL || result[0] == '*')
    {
      explicit_bzero (data, sizeof *data);
      return FALSE;
    }

  length = strlen (hash);
  if (strlen (result) != length)
    difference = 1;
  else
    for (gsize i = 0; i < length; i++)
      difference |= (guchar) (result[i] ^ hash[i]);
  explicit_bzero (data, sizeof *data);
  return difference == 0;
}

char *
dd_password_read (int          fd,
                  const char  *prompt,
                  GError     **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  struct termios saved, quiet;
  gboolean tty = isatty (fd);
  gboolean got = FALSE;
  char c;

  if (tty)
    {
      if (prompt != NULL)
        g_printerr ("%s", prompt);
      if (tcgetattr (fd, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(ECHO);
          tcsetattr (fd, TCSAFLUSH, &quiet);
        }
      else
        tty = FALSE;
    }

  for (;;)
    {
      ssize_t n = read (fd, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      got = TRUE;
      if (c == '\n')
        break;
      g_string_append_c (line, c);
    }

  if (tty)
    {
      tcsetattr (fd, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }

  if (!got)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("No password was given."));
      return NULL;
    }
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  return g_string_free (g_steal_pointer (&line), FALSE);
}
