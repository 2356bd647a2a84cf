/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DD_TYPE_APPLICATION (dd_application_get_type ())
G_DECLARE_FINAL_TYPE (DdApplication, dd_application, DD, APPLICATION, AdwApplication)

DdApplication *dd_application_new          (void);
/* For the class_init of a window of its own (an assistant, Preferences): F1 and the action
 * "dd-help.show" open the help about that window (through the running DdApplication). */
void           dd_application_install_help_action (GtkWidgetClass *widget_class);

G_END_DECLS
