/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * The demand letters of the ladder's demand-letter step, as one batch per ladder day: one
 * letter per debtor (covering the cases whose step it was), each in a PDF of its own, all of
 * them in one combined PDF to print, and the posting list (CSV) for registered mail, in a
 * folder; each letter is recorded on its cases (table letter, a timeline activity with its
 * PDF). The batch is found again in the database (the step's task activities of the day with
 * no letter of that date yet), so making it again after a failure or a crash writes only the
 * letters still missing.
 */

#include "dd-database.h"
#include "dd-interest.h"
#include "dd-letter.h"

G_BEGIN_DECLS

typedef struct
{
  char      *day;            /* "YYYY-MM-DD" */
  char      *combined_pdf;   /* NULL when there were no letters */
  char      *posting_list;
  GPtrArray *letter_pdfs;    /* char *, one per letter */
  guint      n_letters;
  guint      n_cases;
} DdLadderLetterBatch;

void      dd_ladder_letter_batch_free (DdLadderLetterBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdLadderLetterBatch, dd_ladder_letter_batch_free)

/* The cases whose demand-letter step the ladder carried out on @day and that have no letter of
 * that date yet (a GArray of gint64, by debtor). */
GArray   *dd_ladder_letters_pending   (DdDatabase           *database,
                                       const char           *day,
                                       GError              **error);

/* The ladder days before @day whose demand letters are still to make (a run killed or failing
 * after its steps were done): a GPtrArray of "YYYY-MM-DD", oldest first. */
GPtrArray *dd_ladder_letters_pending_days (DdDatabase         *database,
                                          const char         *day,
                                          GError            **error);

/* Writes and records the batch of @day into @folder (made when missing), with interest at the
 * office's rates; @signature (or NULL or "") signs the letters. A day without pending letters
 * gives an empty batch. */
DdLadderLetterBatch *dd_ladder_letters_make (DdDatabase           *database,
                                             const DdLetterOffice *office,
                                             const char           *day,
                                             guint                 deadline_days,
                                             const char           *signature,
                                             const char           *folder,
                                             GError              **error);

G_END_DECLS
