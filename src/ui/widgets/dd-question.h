/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/*
 * A question to the user in a dialog over @widget's window, with two answers: "cancel"
 * ("_Cancel", also what closing the dialog answers) and @answer (@answer_label, shown with
 * @appearance). Enter answers @answer when @answer_is_default, "cancel" otherwise. The caller
 * adds what else it needs (a body, an extra child, data), connects to "response" and presents
 * the dialog.
 */
AdwMessageDialog *dd_question_new (GtkWidget             *widget,
                                   const char            *heading,
                                   const char            *body,
                                   const char            *answer,
                                   const char            *answer_label,
                                   AdwResponseAppearance  appearance,
                                   gboolean               answer_is_default);

/*
 * A notice over @widget's window: @heading, @body and one answer, "close" ("_Close"), which
 * closing the dialog answers too. The dialog is presented and returned (not owned by the caller).
 */
AdwMessageDialog *dd_notice_show  (GtkWidget             *widget,
                                   const char            *heading,
                                   const char            *body);

G_END_DECLS
