/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "dd-context.h"
#include "dd-number-checks.h"

G_BEGIN_DECLS

/* The end of a look-up: its outcome, or (outcome NULL) why it failed. Not called when the
 * look-up was cancelled: the owner is going away. */
typedef void (*DdNumbersLookedUp) (GtkWidget                  *owner,
                                   const DdNumberChecksResult *outcome,
                                   const GError               *error);

/*
 * The phone-number look-up a page runs from a "check the numbers" button. The page fills in
 * the button, the progress bar (or NULL) and what to do at the end, and keeps the struct
 * (running is the look-up on its way, NULL when there is none).
 */
typedef struct
{
  GtkWidget         *button;     /* insensitive while a look-up runs */
  GtkProgressBar    *progress;   /* shown while a look-up runs, with how far it is */
  DdNumbersLookedUp  done;
  GCancellable      *running;
} DdNumberLookUp;

/* Looks @numbers (NULL-terminated) up for @owner, which @look_up lives in. FALSE, and nothing
 * started, when the SMS provider in use cannot look numbers up (@error says why). */
gboolean dd_number_look_up_start  (DdNumberLookUp     *look_up,
                                   GtkWidget          *owner,
                                   DdContext          *context,
                                   const char * const *numbers,
                                   GError            **error);
/* Cancels the look-up on its way, if any (the owner goes away): @done is not called. */
void     dd_number_look_up_cancel (DdNumberLookUp     *look_up);

G_END_DECLS
