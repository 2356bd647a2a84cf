/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DD_MONEY_ERROR (dd_money_error_quark ())

/**
 * DdMoneyError:
 * @DD_MONEY_ERROR_EMPTY: nothing but white space
 * @DD_MONEY_ERROR_INVALID: not an amount ("12 34", "abc", "1,2,3", "12.")
 * @DD_MONEY_ERROR_TOO_MANY_DECIMALS: more digits after the decimal separator than the
 *   currency has ("12,345 zł")
 * @DD_MONEY_ERROR_OVERFLOW: the amount does not fit a #gint64 of minor units
 * @DD_MONEY_ERROR_UNKNOWN_CURRENCY: a currency code or symbol this program does not know
 * @DD_MONEY_ERROR_NO_CURRENCY: the text names no currency and there is no default
 * @DD_MONEY_ERROR_CURRENCY_MISMATCH: two different currencies ("PLN 12,00 €")
 */
typedef enum
{
  DD_MONEY_ERROR_EMPTY,
  DD_MONEY_ERROR_INVALID,
  DD_MONEY_ERROR_TOO_MANY_DECIMALS,
  DD_MONEY_ERROR_OVERFLOW,
  DD_MONEY_ERROR_UNKNOWN_CURRENCY,
  DD_MONEY_ERROR_NO_CURRENCY,
  DD_MONEY_ERROR_CURRENCY_MISMATCH,
} DdMoneyError;

/**
 * DdMoneyParseFlags:
 * @DD_MONEY_PARSE_OK: nothing to report
 * @DD_MONEY_PARSE_AMBIGUOUS: a lone "." or "," followed by exactly three digits ("1.234",
 *   "12,345"), decided by the rule of dd_money_parse(); worth a warning
 * @DD_MONEY_PARSE_DEFAULT_CURRENCY: the text named no currency: the default was used
 */
typedef enum
{
  DD_MONEY_PARSE_OK                = 0,
  DD_MONEY_PARSE_AMBIGUOUS         = 1 << 0,
  DD_MONEY_PARSE_DEFAULT_CURRENCY  = 1 << 1,
} DdMoneyParseFlags;

GQuark    dd_money_error_quark        (void);

gboolean  dd_money_parse              (const char         *text,
                                       const char         *default_currency,
                                       gint64             *out_minor,
                                       char                out_currency[4],
                                       DdMoneyParseFlags  *out_flags,
                                       GError            **error);
char     *dd_money_format             (gint64              minor,
                                       const char         *currency,
                                       const char         *language);
guint     dd_money_currency_digits    (const char         *currency);
gboolean  dd_money_currency_is_known  (const char         *currency);

G_END_DECLS
