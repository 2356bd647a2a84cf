/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dd-ladder-letters"

#include "config.h"

#include "dd-ladder-letters.h"

#include "dd-demand-letters.h"
#include "dd-ladder-store.h"
#include "dd-letter-pdf.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

void
dd_ladder_letter_batch_free (DdLadderLetterBatch *batch)
{
  if (batch == NULL)
    return;
  g_free (batch->day);
  g_free (batch->combined_pdf);
  g_free (batch->posting_list);
  g_clear_pointer (&batch->letter_pdfs, g_ptr_array_unref);
  g_free (batch);
}

GArray *
dd_ladder_letters_pending (DdDatabase  *database,
                           const char  *day,
                           GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *pattern = g_strdup_printf ("%%\"ladder_day\": \"%s\"%%", day);

  if (!dd_database_fetch_ids (database, ids, error,
                              "SELECT c.id FROM debt_case c WHERE c.status <> 'closed'"
                              " AND c.balance_minor > 0 AND EXISTS"
                              " (SELECT 1 FROM activity a WHERE a.case_id = c.id"
                              "  AND a.kind = 'task' AND a.channel = 'demand-letter'"
                              "  AND a.refs LIKE ?)"
                              " AND NOT EXISTS (SELECT 1 FROM letter l WHERE l.case_id = c.id"
                              "  AND l.letter_date = ?)"
                              " ORDER BY c.debtor_id, c.id",
                              DD_TEXT (pattern), DD_TEXT (day), DD_END))
    return NULL;
  return g_steal_pointer (&ids);
}

static void
add_pending_day (DdStatement *stmt,
                 gpointer     user_data)
{
  GPtrArray *days = user_data;
  const char *refs = dd_statement_get_text (stmt, 0);
  const char *at = refs != NULL ? strstr (refs, "\"ladder_day\": \"") : NULL;
  g_autofree char *day = NULL;

  if (at == NULL || strlen (at) < 15 + 10)
    return;
  day = g_strndup (at + 15, 10);
  if (dd_ladder_day_from_iso (day) == 0)
    return;
  for (guint i = 0; i < days->len; i++)
    if (g_str_equal (g_ptr_array_index (days, i), day))
      return;
  g_ptr_array_add (days, g_steal_pointer (&day));
}

static int
compare_days (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GPtrArray *
dd_ladder_letters_pending_days (DdDatabase  *database,
                                const char  *day,
                                GError     **error)
{
  g_autoptr(GPtrArray) days = g_ptr_array_new_with_free_func (g_free);

  /* demand-letter tasks of open cases with no letter made since */
  if (!dd_database_query_each (database, add_pending_day, days, error,
                               "SELECT a.refs FROM activity a JOIN debt_case c ON c.id = a.case_id"
                               " WHERE a.kind = 'task' AND a.channel = 'demand-letter'"
                               " AND c.status <> 'closed' AND c.balance_minor > 0"
                               " AND NOT EXISTS (SELECT 1 FROM letter l WHERE l.case_id = a.case_id"
                               "  AND l.created_at >= a.created_at)", DD_END))
    return NULL;
  for (guint i = days->len; i > 0; i--)
    if (strcmp (g_ptr_array_index (days, i - 1), day) >= 0)
      g_ptr_array_remove_index_fast (days, i - 1);
  g_ptr_array_sort (days, compare_days);
  return g_steal_pointer (&days);
}

/* A file name's part of a letter's reference ("2026/12/07/15" → "2026-12-07-15"). */
static char *
file_part (const char *reference)
{
  char *part = g_strdup (reference != NULL ? reference : "letter");

  for (char *p = part; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      *p = '-';
  return part;
}

DdLadderLetterBatch *
dd_ladder_letters_make (DdDatabase           *database,
                        const DdLetterOffice *office,
                        const char           *day,
                        guint                 deadline_days,
                        const char           *signature,
                        const char           *folder,
                        GError              **error)
{
  g_autoptr(DdLadderLetterBatch) batch = g_new0 (DdLadderLetterBatch, 1);
  g_autoptr(GArray) case_ids = NULL;
  g_autoptr(GPtrArray) letters = NULL;
  g_autoptr(GArray) pages = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *csv = NULL;
  GDate date;
  int y, m, d;
  gboolean ok = TRUE;

  batch->day = g_strdup (day);
  batch->letter_pdfs = g_ptr_array_new_with_free_func (g_free);
  if (day == NULL || sscanf (day, "%d-%d-%d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "bad ladder day “%s”",
                   day != NULL ? day : "");
      return NULL;
    }
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);

  case_ids = dd_ladder_letters_pending (database, day, error);
  if (case_ids == NULL)
    return NULL;
  if (case_ids->len == 0)
    return g_steal_pointer (&batch);
  /* without the office's name (DD_DEMAND_LETTERS_ERROR_NO_OFFICE) the step's letters wait:
   * they are made at the next run */
  letters = dd_demand_letters_build (database, office, case_ids, TRUE, &date, deadline_days,
                                     signature, error);
  if (letters == NULL)
    return NULL;
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", folder,
                   g_strerror (saved));
      return NULL;
    }

  /* one PDF per letter, then all of them for printing, then the posting list */
  for (guint i = 0; i < letters->len; i++)
    {
      DdLetter *letter = g_ptr_array_index (letters, i);
      g_autoptr(GPtrArray) one = g_ptr_array_new ();
      g_autofree char *part = file_part (letter->reference);
      g_autofree char *name = g_strdup_printf ("letter-%s.pdf", part);
      char *path = g_build_filename (folder, name, NULL);

      g_ptr_array_add (batch->letter_pdfs, path);
      g_ptr_array_add (one, letter);
      if (!dd_letter_pdf_write (one, path, NULL, error))
        return NULL;
    }
  {
    g_autofree char *name = g_strdup_printf ("letters-%s.pdf", day);
    g_autofree char *list = g_strdup_printf ("posting-list-%s.csv", day);

    batch->combined_pdf = g_build_filename (folder, name, NULL);
    batch->posting_list = g_build_filename (folder, list, NULL);
  }
  if (!dd_letter_pdf_write (letters, batch->combined_pdf, pages, error))
    return NULL;
  csv = dd_letter_posting_list_csv (letters, pages);
  if (!g_file_set_contents (batch->posting_list, csv, -1, error))
    return NULL;

  /* recorded together: the batch is on the cases, or (to be made again) not at all */
  if (!dd_database_begin (database, error))
    return NULL;
  for (guint i = 0; ok && i < letters->len; i++)
    {
      DdLetter *letter = g_ptr_array_index (letters, i);

      ok = dd_letter_record (database, letter, g_ptr_array_index (batch->letter_pdfs, i), error);
      batch->n_cases += letter->case_ids->len;
    }
  if (!dd_database_finish (database, ok, error))
    return NULL;
  batch->n_letters = letters->len;
  return g_steal_pointer (&batch);
}
