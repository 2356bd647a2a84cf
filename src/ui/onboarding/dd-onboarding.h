/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-context.h"

G_BEGIN_DECLS

/*
 * DdOnboarding: the assistant of the first start. An office with no cases whose settings do
 * not say it was done opens it: the office's name, country, currency and language (prefilled
 * from the desktop's locale), the creditors (the office's own under its name, and those it
 * collects for), the manager's name and password, then the receivables (the import assistant, or a demo office of
 * its own), the SMS provider and a phone line (the editors of Preferences). Every step can be
 * skipped; finishing or closing it sets "onboarding-done", so it is not shown again.
 *
 * Signals: "demo-created" (a path): a demo office database was made, for the application to
 * open in a window of its own.
 */
#define DD_TYPE_ONBOARDING (dd_onboarding_get_type ())
G_DECLARE_FINAL_TYPE (DdOnboarding, dd_onboarding, DD, ONBOARDING, AdwWindow)

/* Whether a window on @context's office should open the assistant. */
gboolean      dd_onboarding_is_needed   (DdContext    *context);
DdOnboarding *dd_onboarding_new         (GtkWindow    *parent,
                                         DdContext    *context);
/* The name of the step shown: "office", "creditors", "manager", "receivables", "sms", "phone", "done". */
const char   *dd_onboarding_get_step    (DdOnboarding *self);
/* Where "Try the Demo Office" makes its database (tests set another one). */
void          dd_onboarding_set_demo_path (DdOnboarding *self,
                                           const char   *path);

G_END_DECLS
