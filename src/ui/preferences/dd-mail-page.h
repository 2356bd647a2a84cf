/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-context.h"

G_BEGIN_DECLS

/*
 * Preferences › E-mail: the SMTP server of the report summaries (server, security, port, user,
 * password in the keyring), the sender and the recipients, when summaries are sent, and
 * "Send a Test E-mail" with the server's answer shown under it. Bad input and the server's
 * refusals are shown at the rows they concern.
 */
#define DD_TYPE_MAIL_PAGE (dd_mail_page_get_type ())
G_DECLARE_FINAL_TYPE (DdMailPage, dd_mail_page, DD, MAIL_PAGE, AdwPreferencesPage)

GtkWidget *dd_mail_page_new (DdContext *context);

/* For tests: the row of @name ("server", "user", "password", "from", "recipients", "test"),
 * the label of the test's result, and whether a test is running. */
GtkWidget *_dd_mail_page_get_row          (DdMailPage *self,
                                           const char *name);
GtkLabel  *_dd_mail_page_get_test_result  (DdMailPage *self);
gboolean   _dd_mail_page_is_testing       (DdMailPage *self);

G_END_DECLS
