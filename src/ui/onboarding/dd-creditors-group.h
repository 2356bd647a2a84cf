/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-context.h"

G_BEGIN_DECLS

/*
 * DdCreditorsGroup: whose receivables the office collects, in the first start assistant and
 * in Preferences › General. The office's own receivables (stored under
 * DD_CREDITOR_OWN_RECEIVABLES, shown under the office's name) have a switch; the creditors
 * the office collects for are added by name and removed while they have no cases. Changes
 * are written at once.
 */
#define DD_TYPE_CREDITORS_GROUP (dd_creditors_group_get_type ())
G_DECLARE_FINAL_TYPE (DdCreditorsGroup, dd_creditors_group, DD, CREDITORS_GROUP,
                      AdwPreferencesGroup)

GtkWidget *dd_creditors_group_new          (DdContext         *context);
/* The assistant's prefill: the own receivables' switch is on while the office has no
 * creditor yet, written by dd_creditors_group_apply() (a skipped step writes nothing). */
void       dd_creditors_group_prefill_own  (DdCreditorsGroup  *self);
/* Writes what is shown and not yet written: the prefilled own receivables, a name typed in
 * the add row. FALSE with the error shown in the group (and in @error). */
gboolean   dd_creditors_group_apply        (DdCreditorsGroup  *self,
                                            GError           **error);
/* Reads the creditors again. */
void       dd_creditors_group_reload       (DdCreditorsGroup  *self);

G_END_DECLS
