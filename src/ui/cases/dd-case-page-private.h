/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-case-page.h"
#include "dd-case-store.h"
#include "dd-context.h"

G_BEGIN_DECLS

/* The action paths of the page's buttons (after their dialogs), for the cases view and
 * the tests. On success the page refreshes, shows a toast and emits "case-changed"; on
 * failure it shows the error as a toast and returns FALSE. */
gboolean   _dd_case_page_add_note         (DdCasePage           *self,
                                           const char           *text,
                                           GError              **error);
/* Record Payment…: @paid_on YYYY-MM-DD; the case's currency. */
gboolean   _dd_case_page_record_payment   (DdCasePage           *self,
                                           gint64                amount_minor,
                                           const char           *paid_on,
                                           const char           *note,
                                           GError              **error);
gboolean   _dd_case_page_set_status       (DdCasePage           *self,
                                           const DdStatusChange *change,
                                           GError              **error);
gboolean   _dd_case_page_close            (DdCasePage           *self,
                                           const char           *note,
                                           GError              **error);
gboolean   _dd_case_page_assign           (DdCasePage           *self,
                                           gint64                assignee_id,
                                           GError              **error);
gboolean   _dd_case_page_set_next_contact (DdCasePage           *self,
                                           const char           *at,
                                           GError              **error);
/* The debtor's time zone (NULL: the office's), as the Change… dialog sets it. */
gboolean   _dd_case_page_set_time_zone    (DdCasePage           *self,
                                           const char           *zone,
                                           GError              **error);
GtkWidget *_dd_case_page_get_close_button (DdCasePage           *self);
/* Demand Letter… saves to @file (NULL: asks with a file chooser again) instead of asking. */
void       _dd_case_page_set_letter_file  (GFile                *file);
/* Whether a letter is being made (built or written in its thread), and what the last one came
 * to (the toast's text). */
gboolean   _dd_case_page_is_making_letter (DdCasePage           *self);
const char *_dd_case_page_get_letter_message (DdCasePage        *self);
const char *_dd_case_page_get_debtor_name (DdCasePage           *self);

/* Helpers shared with the cases view. */

/* Shows @text as a toast in the AdwToastOverlay around @widget. */
void       _dd_show_toast                 (GtkWidget            *widget,
                                           const char           *text);
/* Shows @text as a toast with an Undo button that puts the cases of @undo (taken over) back
 * as the agent at the desk, then announces the change on @context. */
void       _dd_show_undo_toast            (GtkWidget            *widget,
                                           const char           *text,
                                           DdContext            *context,
                                           DdCaseUndo           *undo);
/* "2026-11-23T08:00:00Z" → "2026-11-23 09:00" in local time; NULL → "". */
char      *_dd_format_timestamp           (const char           *iso);
/* "YYYY-MM-DD HH:MM" in local time → UTC ISO 8601, or NULL with DD_CASE_STORE_ERROR_INVALID. */
char      *_dd_parse_local_time           (const char           *text,
                                           GError              **error);
/* The active agents for an assign drop-down: names (first "Nobody") and their ids (first 0). */
GtkStringList *_dd_agent_model_new        (DdDatabase           *database,
                                           GArray              **out_ids,
                                           GError              **error);

/* A form for a status change (status drop-down; date and time for "Call later"; amount and
 * date for "Payment declaration") of @case_ids, whose currency is @currency. It checks the
 * input with @store's rules as it is typed and shows what is wrong under the entry. */
GtkWidget *_dd_status_form_new            (DdCaseStore          *store,
                                           const gint64         *case_ids,
                                           guint                 n_case_ids,
                                           const char           *currency);
/* The form enables @dialog's "ok" response only while its input is right. */
void       _dd_status_form_attach         (GtkWidget            *form,
                                           AdwMessageDialog     *dialog);
/* Fills @change from the form; the strings it points to are returned in @out_call_at and
 * @out_promised_on (free them after use). */
gboolean   _dd_status_form_read           (GtkWidget            *form,
                                           DdStatusChange       *change,
                                           char                **out_call_at,
                                           char                **out_promised_on,
                                           GError              **error);
/* A case store for @context, with the office's rules (declaration-max-days). */
DdCaseStore *_dd_case_store_for_context   (DdContext            *context);

G_END_DECLS
