/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dd-payment-statement.h"

G_BEGIN_DECLS

/* A CSV of payments (from the accounting system or a bank's CSV export), read with the
 * receivables import's CSV reader and sniffer: one payment per row, columns mapped to these
 * fields. Rows with a negative amount (outgoing) are skipped. */
typedef enum
{
  DD_PAYMENT_FIELD_DATE,
  DD_PAYMENT_FIELD_AMOUNT,
  DD_PAYMENT_FIELD_CURRENCY,
  DD_PAYMENT_FIELD_TITLE,
  DD_PAYMENT_FIELD_PAYER_NAME,
  DD_PAYMENT_FIELD_PAYER_ACCOUNT,
  DD_PAYMENT_FIELD_TAX_ID,
  DD_PAYMENT_FIELD_REFERENCE,
  DD_N_PAYMENT_FIELDS
} DdPaymentField;

typedef struct
{
  int columns[DD_N_PAYMENT_FIELDS];   /* column index of each field, -1: not in the file */
} DdPaymentCsvMap;

const char *dd_payment_field_to_key   (DdPaymentField field);     /* "payer-account" */
const char *dd_payment_field_to_label (DdPaymentField field);     /* translated */

/* Guesses the map from a header row (Polish, Russian, English names). FALSE without the
 * date and amount columns. */
gboolean    dd_payment_csv_map_guess  (const char * const *header,
                                       guint               n_header,
                                       DdPaymentCsvMap    *out_map);

/* @map NULL: guessed from the header row. @default_currency for rows without a currency
 * column or symbol. @encoding NULL: sniffed. Errors name the line (nothing is returned). */
DdPaymentStatement *dd_payment_csv_parse (const guint8           *data,
                                          gsize                   len,
                                          const DdPaymentCsvMap  *map,
                                          const char             *default_currency,
                                          const char             *encoding,
                                          GError                **error);

G_END_DECLS
