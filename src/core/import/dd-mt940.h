/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-payment-statement.h"

G_BEGIN_DECLS

/* SWIFT MT940 as Polish banks export it: :20: :25: :28C: :60F:, per entry :61: (value date,
 * entry date, C/D, amount with a decimal comma, type, references) and :86: (free text, or
 * subfields ~00 ~20–~25 title ~27–~29 or ~32–~33 payer ~30/~31 or ~38 account, with '~', '<'
 * or '^' as the marker), :62F:. Several statements may follow each other. Credits only.
 * @encoding: NULL to detect (UTF-8, else Windows-1250 or Windows-1251). Errors name the line;
 * on error nothing is returned. */
DdPaymentParser dd_mt940_parse;

G_END_DECLS
