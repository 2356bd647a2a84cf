/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-bank-account"

#include "config.h"

#include "dd-bank-account.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_QUARK (dd-bank-account-error-quark, dd_bank_account_error)

/* The remainder mod 97 of the IBAN moved (its first four characters to the end) and with
 * letters as numbers (A = 10 … Z = 35). */
static guint
iban_remainder (const char *iban)
{
  gsize n = strlen (iban);
  guint rest = 0;

  for (gsize k = 0; k < n; k++)
    {
      char c = iban[(k + 4) % n];

      if (g_ascii_isdigit (c))
        rest = (rest * 10 + (guint) (c - '0')) % 97;
      else
        rest = (rest * 100 + (guint) (c - 'A' + 10)) % 97;
    }
  return rest;
}

char *
dd_bank_account_normalize (const char  *text,
                           GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean digits_only = TRUE;

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '-' || *p == '\t')
        continue;
      if (!g_ascii_isalnum (*p))
        {
          g_set_error (error, DD_BANK_ACCOUNT_ERROR, DD_BANK_ACCOUNT_ERROR_FORMAT,
                       _("A bank account has only letters and digits"));
          return NULL;
        }
      if (!g_ascii_isdigit (*p))
        digits_only = FALSE;
      g_string_append_c (out, g_ascii_toupper (*p));
    }
  if (digits_only && out->len == 20)
    return g_string_free (g_steal_pointer (&out), FALSE);   /* a Russian account */
  if (digits_only && out->len == 26)
    g_string_prepend (out, "PL");                           /* a Polish NRB */
  if (out->len < 15 || out->len > 34 || !g_ascii_isalpha (out->str[0]) ||
      !g_ascii_isalpha (out->str[1]) || !g_ascii_isdigit (out->str[2]) ||
      !g_ascii_isdigit (out->str[3]))
    {
      g_set_error (error, DD_BANK_ACCOUNT_ERROR, DD_BANK_ACCOUNT_ERROR_FORMAT,
                   _("Not a bank account number: give an IBAN (e.g. PL61 1090 1014 0000 0712 "
                     "1981 2874) or a Russian account of 20 digits"));
      return NULL;
    }
  if (iban_remainder (out->str) != 1)
    {
      g_set_error (error, DD_BANK_ACCOUNT_ERROR, DD_BANK_ACCOUNT_ERROR_CHECKSUM,
                   _("The check digits of this IBAN do not match: a digit is mistyped"));
      return NULL;
    }
  if (digits_only)
    g_string_erase (out, 0, 2);   /* the NRB as it was typed */
  return g_string_free (g_steal_pointer (&out), FALSE);
}
