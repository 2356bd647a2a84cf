/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DD_DATE_ERROR (dd_date_error_quark ())

/**
 * DdDateError:
 * @DD_DATE_ERROR_EMPTY: nothing but white space
 * @DD_DATE_ERROR_INVALID: not a date in any of the accepted forms
 * @DD_DATE_ERROR_TWO_DIGIT_YEAR: "01.05.24": the century cannot be guessed safely
 * @DD_DATE_ERROR_IMPOSSIBLE: a form we know, but no such day: "31.02.2024", "2024-13-01"
 */
typedef enum
{
  DD_DATE_ERROR_EMPTY,
  DD_DATE_ERROR_INVALID,
  DD_DATE_ERROR_TWO_DIGIT_YEAR,
  DD_DATE_ERROR_IMPOSSIBLE,
} DdDateError;

GQuark    dd_date_error_quark (void);

gboolean  dd_date_parse       (const char   *text,
                               GDate        *out_date,
                               GError      **error);
char     *dd_date_to_iso      (const GDate  *date);
gboolean  dd_date_from_iso    (const char   *iso,
                               GDate        *out_date);

G_END_DECLS
