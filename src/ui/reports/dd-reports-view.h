/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "dd-context.h"

G_BEGIN_DECLS

/*
 * DdReportsView: the "Reports" section — pick a report (campaign results, effect on payments
 * against the hold-out group, promises, ageing, work per consultant), the period, the creditor
 * and the campaign; the figures are added up in a worker thread on a connection of its own,
 * then shown as a bar chart and as tables (amounts per currency, never summed across
 * currencies). Print… (with the print dialog's preview), Export PDF…, Export CSV….
 * When a report has nothing to show, a status page says what to do.
 */
#define DD_TYPE_REPORTS_VIEW (dd_reports_view_get_type ())
G_DECLARE_FINAL_TYPE (DdReportsView, dd_reports_view, DD, REPORTS_VIEW, AdwBin)

typedef enum
{
  DD_REPORTS_VIEW_CAMPAIGNS,
  DD_REPORTS_VIEW_EFFECT,
  DD_REPORTS_VIEW_PROMISES,
  DD_REPORTS_VIEW_AGEING,
  DD_REPORTS_VIEW_WORK,
  DD_REPORTS_VIEW_QUEUES,  /* the inbound queues (dd-queues-report.h) */
} DdReportsViewReport;

GtkWidget *dd_reports_view_new        (DdContext           *context);
void       dd_reports_view_set_report (DdReportsView       *self,
                                       DdReportsViewReport  report);
/* Adds the report up again (in a worker thread); "report-shown" is emitted when it is. The
 * view makes its report by itself when it is first shown and when a filter changes. */
void       dd_reports_view_reload     (DdReportsView       *self);

G_END_DECLS
