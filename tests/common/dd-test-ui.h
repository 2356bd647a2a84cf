/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "dd-test-util.h"

G_BEGIN_DECLS

/* Real windows under Xvfb: wait until one is on screen; destroy one and wait until it is gone. */
void dd_test_wait_until_mapped (GtkWidget *widget);
void dd_test_destroy_window    (GtkWindow *window);

G_END_DECLS
