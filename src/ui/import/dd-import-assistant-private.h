/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-column-map.h"
#include "dd-import-assistant.h"
#include "dd-import-summary.h"

G_BEGIN_DECLS

/* For the UI tests: the drop-down of a field on the columns page, and the summaries. */
AdwComboRow           *_dd_import_assistant_get_field_row     (DdImportAssistant *self,
                                                               DdImportField      field);
const DdImportSummary *_dd_import_assistant_get_check_summary (DdImportAssistant *self);
const DdImportSummary *_dd_import_assistant_get_summary       (DdImportAssistant *self);

G_END_DECLS
