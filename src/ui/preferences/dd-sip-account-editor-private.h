/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-sip-account-editor.h"

G_BEGIN_DECLS

/* For the tests: the field rows by name ("name", "aor", "display-name", "registrar", "proxy",
 * "auth-user", "password"), Save and Remove (confirmed) as the buttons do them. */
GtkWidget *_dd_sip_account_editor_get_row (DdSipAccountEditor *self,
                                           const char         *field);
void       _dd_sip_account_editor_save    (DdSipAccountEditor *self);
void       _dd_sip_account_editor_remove  (DdSipAccountEditor *self);

/* Try the Line: calls @number as the Call button does; the result line shown (NULL before);
 * whether the test call is still on. */
void        _dd_sip_account_editor_try            (DdSipAccountEditor *self,
                                                   const char         *number);
const char *_dd_sip_account_editor_get_try_result (DdSipAccountEditor *self);
gboolean    _dd_sip_account_editor_is_calling     (DdSipAccountEditor *self);

G_END_DECLS
