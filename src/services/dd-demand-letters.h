/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * Demand letters with interest for chosen cases, as one PDF, recorded on the cases: what the
 * command line's `letters` and the case page's "Demand Letter…" both do. Building the letters
 * (reading the cases, computing interest) and writing them (the PDF, the posting list, the
 * record on the cases: table letter and a timeline activity with the PDF) are two steps, so
 * that the window can say "nothing is owed" before it asks where to save.
 */

#include "dd-database.h"
#include "dd-letter.h"

G_BEGIN_DECLS

#define DD_DEMAND_LETTERS_ERROR (dd_demand_letters_error_quark ())

typedef enum
{
  DD_DEMAND_LETTERS_ERROR_NO_OFFICE,   /* the office's name is not entered yet */
} DdDemandLettersError;

GQuark     dd_demand_letters_error_quark (void);

/* The letters (DdLetter) of @case_ids dated @date with @days to pay, signed with @signature
 * (NULL or "": unsigned). Fails with DD_DEMAND_LETTERS_ERROR_NO_OFFICE while the office has no
 * name; an empty array when nothing is owed on the cases. */
GPtrArray *dd_demand_letters_build       (DdDatabase           *database,
                                          const DdLetterOffice *office,
                                          GArray               *case_ids,
                                          gboolean              per_debtor,
                                          const GDate          *date,
                                          guint                 days,
                                          const char           *signature,
                                          GError              **error);

/* Writes @letters to the PDF @pdf_path, the posting list to @posting_list (NULL: none) and,
 * if @record, records each letter on its cases with the PDF's absolute path (returned in
 * @out_pdf_path, optional). @out_pages (optional) gets each letter's first page. */
gboolean   dd_demand_letters_write       (DdDatabase           *database,
                                          GPtrArray            *letters,
                                          const char           *pdf_path,
                                          const char           *posting_list,
                                          gboolean              record,
                                          GArray               *out_pages,
                                          char                **out_pdf_path,
                                          GError              **error);

G_END_DECLS
