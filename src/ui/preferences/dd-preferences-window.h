/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-context.h"

G_BEGIN_DECLS

/*
 * DdPreferencesWindow: the office's settings (name, country, currency, time zone, bound to
 * GSettings) and its users. Only a manager may add users, rename them or change their
 * roles; a consultant sees the users read-only.
 */
#define DD_TYPE_PREFERENCES_WINDOW (dd_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (DdPreferencesWindow, dd_preferences_window, DD, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

DdPreferencesWindow *dd_preferences_window_new         (GtkWindow           *parent,
                                                        DdContext           *context);
DdContext           *dd_preferences_window_get_context (DdPreferencesWindow *self);

/* Fills @country_row and @currency_row with the countries and currencies Preferences offers
 * and binds them to @settings' default-country and default-currency (the first start
 * assistant's rows); insensitive without settings. */
void                 dd_preferences_bind_region_rows   (AdwComboRow         *country_row,
                                                        AdwComboRow         *currency_row,
                                                        GSettings           *settings);

G_END_DECLS
