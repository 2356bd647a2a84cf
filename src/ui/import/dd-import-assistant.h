/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-context.h"
#include "dd-import-flow.h"

G_BEGIN_DECLS

#define DD_TYPE_IMPORT_ASSISTANT (dd_import_assistant_get_type ())
G_DECLARE_FINAL_TYPE (DdImportAssistant, dd_import_assistant, DD, IMPORT_ASSISTANT, AdwWindow)

/* A modal assistant that imports a CSV file of overdue invoices into the context's
 * database. Without @file it starts with "Choose a File". */
DdImportAssistant *dd_import_assistant_new      (GtkWindow         *parent,
                                                 DdContext         *context,
                                                 GFile             *file);

DdContext         *dd_import_assistant_get_context (DdImportAssistant *self);
DdImportStep       dd_import_assistant_get_step    (DdImportAssistant *self);
/* Opens @file as if it had been chosen or dropped; FALSE while a run does not allow it. */
gboolean           dd_import_assistant_open_file   (DdImportAssistant *self,
                                                    GFile             *file);
/* Copies the rejected and doubtful rows found by the last check to @destination (CSV). */
gboolean           dd_import_assistant_export_problems (DdImportAssistant  *self,
                                                        GFile              *destination,
                                                        GError            **error);

G_END_DECLS
