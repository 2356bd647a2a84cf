/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * Demand letters as one PDF (cairo-pdf + pango; outside core, which stays free of cairo).
 *
 * A4 pages laid out for a DL window envelope folded in three: the address field of DIN 5008
 * form B (20 mm from the left edge, 45 mm from the top, 85 × 45 mm, the sender's line at its
 * top), folding marks at 105 and 210 mm and the punch mark at 148.5 mm; folded this way the
 * field shows through the window of a DL envelope of DIN 680 / ISO 269 (window 90 × 45 mm,
 * 20 mm from the left, 15 mm from the bottom). Each letter starts on a new page.
 */

#include <glib.h>

#include "dd-letter.h"

G_BEGIN_DECLS

#define DD_LETTER_PDF_ERROR (dd_letter_pdf_error_quark ())

typedef enum
{
  DD_LETTER_PDF_ERROR_WRITE,
} DdLetterPdfError;

GQuark   dd_letter_pdf_error_quark (void);

/* Writes @letters (DdLetter) to @path; @out_pages (optional) gets the page of each letter's
 * start (guint, 1-based) appended. */
gboolean dd_letter_pdf_write       (GPtrArray   *letters,
                                    const char  *path,
                                    GArray      *out_pages,
                                    GError     **error);

G_END_DECLS
