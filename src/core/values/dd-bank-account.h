/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Bank account numbers for demand letters: an IBAN (ISO 13616: country, two check digits,
 * the national number; checked with mod 97) or a Polish NRB (26 digits, the IBAN without
 * "PL"), or a Russian settlement account (расчётный счёт, 20 digits; its check needs the
 * bank's BIC, so only the length is checked).
 */

#define DD_BANK_ACCOUNT_ERROR (dd_bank_account_error_quark ())

typedef enum
{
  DD_BANK_ACCOUNT_ERROR_FORMAT,
  DD_BANK_ACCOUNT_ERROR_CHECKSUM,
} DdBankAccountError;

GQuark    dd_bank_account_error_quark (void);

/* The account without spaces and with capitals ("PL61 1090…" → "PL611090…"), or NULL with
 * the reason in @error. */
char     *dd_bank_account_normalize   (const char  *text,
                                       GError     **error);

G_END_DECLS
