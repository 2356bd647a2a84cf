/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * What a bank statement (MT940, 1CClientBankExchange) or a payments CSV says was paid to the
 * office: the incoming (credit) lines only, decoded to UTF-8. Parsers are pure: no database.
 */

#define DD_PAYMENT_ERROR (dd_payment_error_quark ())

typedef enum
{
  DD_PAYMENT_ERROR_ENCODING,     /* bytes not valid in the file's (or the chosen) encoding */
  DD_PAYMENT_ERROR_TRUNCATED,    /* the file ends inside a statement or a document */
  DD_PAYMENT_ERROR_AMOUNT,       /* an amount that is not a number */
  DD_PAYMENT_ERROR_DATE,         /* a date that is not a date */
  DD_PAYMENT_ERROR_FORMAT,       /* not the format, or a field in the wrong shape */
  DD_PAYMENT_ERROR_NOT_FOUND,    /* payment or case not found (store) */
  DD_PAYMENT_ERROR_STATE,        /* payment not in a state that allows it (store) */
  DD_PAYMENT_ERROR_INVALID,      /* wrong input to the store (amount, date) */
} DdPaymentError;

GQuark dd_payment_error_quark (void);

typedef enum
{
  DD_PAYMENT_FORMAT_AUTO,
  DD_PAYMENT_FORMAT_MT940,
  DD_PAYMENT_FORMAT_1C,
  DD_PAYMENT_FORMAT_CSV,
} DdPaymentFormat;

const char *dd_payment_format_to_string   (DdPaymentFormat  format);   /* "mt940", "1c", "csv" */
gboolean    dd_payment_format_from_string (const char      *text,
                                           DdPaymentFormat *out_format);
/* The format the first bytes of a file look like (CSV when neither statement format). */
DdPaymentFormat dd_payment_format_guess   (const guint8    *data,
                                           gsize            len);

typedef struct
{
  guint   line_no;         /* line of the file where the entry starts (1-based) */
  char   *reference;       /* the bank's reference of the entry, or NULL */
  char   *account;         /* the office's account the money came to */
  char   *value_date;      /* YYYY-MM-DD */
  gint64  amount_minor;    /* > 0 */
  char   *currency;        /* ISO 4217 */
  char   *title;           /* transfer title (details of payment) */
  char   *payer_name;
  char   *payer_account;   /* as written, spaces removed */
  char   *payer_tax_id;    /* as written */
  char   *raw;             /* the entry's text as in the file (decoded) */
  char   *key;             /* the import key: reference + account + date + amount (unique) */
} DdPaymentLine;

typedef struct
{
  DdPaymentFormat format;
  char           *encoding;      /* "UTF-8", "WINDOWS-1250", "WINDOWS-1251", "CP866" */
  GPtrArray      *lines;         /* of DdPaymentLine: the credits, in file order */
  guint           n_debits;      /* outgoing entries, skipped */
} DdPaymentStatement;

void                dd_payment_line_free        (DdPaymentLine      *line);
DdPaymentStatement *dd_payment_statement_new    (DdPaymentFormat     format,
                                                 const char         *encoding);
void                dd_payment_statement_free   (DdPaymentStatement *statement);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdPaymentStatement, dd_payment_statement_free)

/* Adds @line (taken) to @statement and gives it its key; a key that repeats within the file
 * (two identical entries) gets "#2", "#3"… so that both are kept, and again on a re-import. */
void                dd_payment_statement_add    (DdPaymentStatement *statement,
                                                 DdPaymentLine      *line,
                                                 GHashTable         *seen_keys);

/* Parses a statement file of @format (AUTO: guessed). @encoding: NULL to detect, else
 * "UTF-8", "WINDOWS-1250", "WINDOWS-1251" or "CP866". CSV needs dd_payment_csv_parse(). */
/* The parser of one bank statement format (dd_mt940_parse(), dd_1c_exchange_parse()): the
 * statement @data (@len bytes) holds, in @encoding (NULL: as the format finds it), or NULL
 * with @error. */
typedef DdPaymentStatement *DdPaymentParser     (const guint8       *data,
                                                 gsize               len,
                                                 const char         *encoding,
                                                 GError            **error);

DdPaymentStatement *dd_payment_statement_parse  (const guint8       *data,
                                                 gsize               len,
                                                 DdPaymentFormat     format,
                                                 const char         *encoding,
                                                 GError            **error);

/* Helpers for the parsers. */

/* Decodes @data to UTF-8 in @encoding (NULL: detected by the CSV sniffer, with @fallback for
 * single-byte text it cannot tell); *@out_encoding the one used. Errors name the line. */
char     *_dd_payment_decode        (const guint8  *data,
                                     gsize          len,
                                     const char    *encoding,
                                     const char    *fallback,
                                     char         **out_encoding,
                                     GError       **error);
/* "1234,56" / "1234.56" / "1 234,56" with @decimal as the separator ('\0': either) into minor
 * units of a two-digit currency. FALSE for anything else. */
gboolean  _dd_payment_parse_amount  (const char    *text,
                                     char           decimal,
                                     gint64        *out_minor);
/* Cuts @text into its lines in place ('\n' becomes '\0'), in linear time; the array (NULL
 * terminated, pointers into @text) is the caller's. */
GPtrArray *_dd_payment_split_lines  (char          *text);
/* Removes spaces, dashes, slashes and quotes (ING's '…' that keeps spreadsheets from
 * mangling the number); upper case. */
char     *_dd_payment_normalize_account (const char *account);

G_END_DECLS
