/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-database.h"

G_BEGIN_DECLS

/*
 * The Reports section's "Queues" report (issue 18): per inbound queue and per hour of the day,
 * the calls offered, the service level (answered within DD_INBOUND_SERVICE_LEVEL_S seconds),
 * the abandoned calls and the average wait, from DdInboundStore's figures. GTK-free: it runs
 * in the reports view's worker thread on its own connection.
 */

/* The tables (GPtrArray of DdReportTable: "queues", then "queue-hours") of the calls that
 * arrived from @from to @to ("YYYY-MM-DD", inclusive, local time; NULL: open); *@out_calls
 * is how many calls were offered to the queues. */
GPtrArray *dd_queues_report_tables (DdDatabase  *database,
                                    const char  *from,
                                    const char  *to,
                                    guint       *out_calls,
                                    GError     **error);

G_END_DECLS
