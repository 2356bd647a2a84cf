/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-context.h"

G_BEGIN_DECLS

/*
 * DdDialerSettings: the dialer's office settings (mode, abandoned-call cap and its window,
 * wrap-up, the number an abandoned call hears) and a simulator that shows what a dial level
 * would do with N consultants and the campaigns' answer rate (dd-dialer-sim). Where each
 * consultant takes calls is set in Preferences › Consultants.
 */
#define DD_TYPE_DIALER_SETTINGS (dd_dialer_settings_get_type ())
G_DECLARE_FINAL_TYPE (DdDialerSettings, dd_dialer_settings, DD, DIALER_SETTINGS,
                      AdwPreferencesWindow)

GtkWidget *dd_dialer_settings_new            (DdContext        *context);
/* The simulator's inputs, for tests (answer rate and cap in %). */
void       dd_dialer_settings_simulate       (DdDialerSettings *self,
                                              guint             consultants,
                                              double            answer_rate_percent,
                                              double            level);
/* The words of its result row. */
const char *dd_dialer_settings_get_result    (DdDialerSettings *self);

G_END_DECLS
