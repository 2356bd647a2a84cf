/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-demand-letters"

#include "config.h"

#include "dd-demand-letters.h"

#include "dd-letter-pdf.h"

#include <glib/gi18n-lib.h>

G_DEFINE_QUARK (dd-demand-letters-error-quark, dd_demand_letters_error)

GPtrArray *
dd_demand_letters_build (DdDatabase           *database,
                         const DdLetterOffice *office,
                         GArray               *case_ids,
                         gboolean              per_debtor,
                         const GDate          *date,
                         guint                 days,
                         const char           *signature,
                         GError              **error)
{
  g_autofree char *name = office != NULL ? g_strstrip (g_strdup (office->name != NULL
                                                                 ? office->name : ""))
                                         : g_strdup ("");
  GPtrArray *letters;

  g_return_val_if_fail (case_ids != NULL, NULL);

  /* a letter without its sender names no creditor for the office's own claims ("Creditor:"
   * left blank) and no return address: no letter until the office has a name */
  if (*name == '\0')
    {
      g_set_error_literal (error, DD_DEMAND_LETTERS_ERROR, DD_DEMAND_LETTERS_ERROR_NO_OFFICE,
                           _("The letters need the office’s name and address: enter them in "
                             "Preferences › General › Office"));
      return NULL;
    }
  letters = dd_letter_build (database, office, case_ids, per_debtor, date, days, error);
  for (guint i = 0; letters != NULL && signature != NULL && *signature != '\0'
                    && i < letters->len; i++)
    {
      DdLetter *letter = g_ptr_array_index (letters, i);

      g_free (letter->signature);
      letter->signature = g_strdup (signature);
    }
  return letters;
}

gboolean
dd_demand_letters_write (DdDatabase  *database,
                         GPtrArray   *letters,
                         const char  *pdf_path,
                         const char  *posting_list,
                         gboolean     record,
                         GArray      *out_pages,
                         char       **out_pdf_path,
                         GError     **error)
{
  g_autoptr(GArray) pages = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *absolute = NULL;

  g_return_val_if_fail (letters != NULL && pdf_path != NULL, FALSE);

  if (!dd_letter_pdf_write (letters, pdf_path, pages, error))
    return FALSE;
  if (posting_list != NULL)
    {
      g_autofree char *csv = dd_letter_posting_list_csv (letters, pages);

      if (!g_file_set_contents (posting_list, csv, -1, error))
        return FALSE;
    }
  absolute = g_canonicalize_filename (pdf_path, NULL);
  for (guint i = 0; record && i < letters->len; i++)
    if (!dd_letter_record (database, letters->pdata[i], absolute, error))
      return FALSE;
  if (out_pages != NULL)
    g_array_append_vals (out_pages, pages->data, pages->len);
  if (out_pdf_path != NULL)
    *out_pdf_path = g_steal_pointer (&absolute);
  return TRUE;
}
