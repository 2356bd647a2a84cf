/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * Demand letters: what a letter says (the parties with their tax ids, the invoices, the
 * amounts, the interest to the letter's date with its calculation, the new deadline, the bank
 * account, the consequence), per case or per debtor covering all their open cases in one
 * currency, and the record of a letter sent (table letter and a timeline activity).
 *
 * The language is the debtor's (pl, ru, en; else by the currency: PLN pl, RUB ru, others en).
 * The texts are legal templates of each jurisdiction, not translations of one text, so they
 * are kept here per language and do not follow the language of the desktop:
 *   pl  wezwanie do zapłaty: statutory interest, or for a business debtor (a NIP) interest in
 *       commercial transactions and the flat compensation of art. 10 of the Act of 8 March 2013
 *   ru  претензия: interest of art. 395 of the Civil Code; the deadline is at least the 30 days
 *       of the pre-trial procedure (part 5 of art. 4 of the Arbitrazh Procedure Code)
 *   en  final demand
 */

#include <glib.h>
#include <json-glib/json-glib.h>

#include "dd-database.h"
#include "dd-interest.h"

G_BEGIN_DECLS

#define DD_LETTER_ERROR (dd_letter_error_quark ())

typedef enum
{
  DD_LETTER_ERROR_NOT_FOUND,   /* no such case, or nothing owed */
} DdLetterError;

GQuark dd_letter_error_quark (void);

/* The office that sends the letters (settings office-name, office-address, office-tax-id,
 * office-bank-account). */
typedef struct
{
  const char *name;
  const char *address;
  const char *tax_id;
  const char *bank_account;
} DdLetterOffice;

typedef struct
{
  char *name;
  char *address;
  char *tax_id;
  char *tax_id_kind;   /* "nip", "pesel", "inn-legal"…, or NULL */
} DdLetterParty;

typedef struct
{
  gint64             case_id;
  char              *invoice_no;
  char              *due_on;           /* ISO, or NULL */
  gint64             amount_minor;     /* the invoice's amount */
  gint64             outstanding_minor;
  gint64             compensation_minor; /* PLN flat compensation, 0 where none */
  DdInterestResult  *interest;
} DdLetterInvoice;

typedef enum
{
  DD_LETTER_TITLE,
  DD_LETTER_PLACE_DATE,      /* %s: the date */
  DD_LETTER_CREDITOR,
  DD_LETTER_DEBTOR,
  DD_LETTER_TAX_ID,          /* the tax id label for the letter's country */
  DD_LETTER_ON_BEHALF,       /* %1$s office, %2$s creditor */
  DD_LETTER_INTRO,           /* %s: the creditor */
  DD_LETTER_COL_INVOICE,
  DD_LETTER_COL_DUE,
  DD_LETTER_COL_AMOUNT,
  DD_LETTER_COL_OUTSTANDING,
  DD_LETTER_COL_INTEREST,
  DD_LETTER_PRINCIPAL,
  DD_LETTER_INTEREST_TOTAL,  /* %s: the date interest runs to */
  DD_LETTER_COMPENSATION,
  DD_LETTER_TOTAL,
  DD_LETTER_CALCULATION,     /* %s: the kind of interest */
  DD_LETTER_CALC_LINE,       /* %1$s invoice, %2$s from, %3$s to, %4$u days, %5$s principal,
                              * %6$s rate, %7$u year days, %8$s interest */
  DD_LETTER_DEMAND,          /* %1$s total, %2$s deadline, %3$u days */
  DD_LETTER_ACCOUNT,         /* %s: the bank account */
  DD_LETTER_CONSEQUENCE,
  DD_LETTER_CLOSING,
  DD_LETTER_KIND_NAME,       /* the name of the letter's kind of interest */
  DD_N_LETTER_TEXTS
} DdLetterText;

typedef struct
{
  char           *language;          /* "pl", "ru", "en" */
  DdInterestKind  kind;
  GDate           date;
  GDate           deadline;
  guint           days;
  gint64          debtor_id;
  DdLetterParty   creditor;
  DdLetterParty   debtor;
  char           *office_name;
  char           *office_address;
  char           *office_tax_id;
  char           *bank_account;
  char           *currency;
  GArray         *case_ids;          /* of gint64 */
  GPtrArray      *invoices;          /* of DdLetterInvoice */
  gint64          principal_minor;   /* outstanding */
  gint64          interest_minor;
  gint64          compensation_minor;
  gint64          total_minor;
  char           *reference;         /* the letter's number: date / first case */
  char           *signature;         /* who signs (setting letter-signature), or NULL; set by
                                      * the caller */
} DdLetter;

void        dd_letter_free            (DdLetter        *letter);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DdLetter, dd_letter_free)

/* The letters for @case_ids (a GArray of gint64): one per case, or with @per_debtor one per
 * debtor and currency covering all of the cases given (when these are owed to several
 * creditors, the office is named as the creditor). Cases with nothing outstanding make no
 * letter. Interest at the office's rates (dd_rate_table_new_for_database()). */
GPtrArray  *dd_letter_build           (DdDatabase           *database,
                                       const DdLetterOffice *office,
                                       GArray               *case_ids,
                                       gboolean              per_debtor,
                                       const GDate          *date,
                                       guint                 days,
                                       GError              **error);

/* A text of the letter's template in its language (printf formats with positional
 * parameters where it has parameters). */
const char *dd_letter_text            (const DdLetter       *letter,
                                       DdLetterText          text);
/* A date as the letter's language writes it ("06.12.2026", "6 December 2026"). */
char       *dd_letter_format_date     (const DdLetter       *letter,
                                       const GDate          *date);
char       *dd_letter_format_money    (const DdLetter       *letter,
                                       gint64                minor);

/* {"reference", "language", "kind", "date", "deadline", "cases", "creditor", "debtor",
 * "currency", "principal", "interest", "compensation", "total", "invoices": [{"invoice",
 * "due", "amount", "outstanding", "compensation", "interest": {the calculation}}]} */
JsonNode   *dd_letter_to_json         (const DdLetter       *letter);

/* Records the letter sent: a row of letter per case (the calculation as JSON, @pdf_path) and
 * an activity "letter" on each case's timeline. */
gboolean    dd_letter_record          (DdDatabase           *database,
                                       const DdLetter       *letter,
                                       const char           *pdf_path,
                                       GError              **error);

/* The posting list for registered mail, CSV for a spreadsheet (UTF-8 with a byte order mark,
 * CRLF; "," and a decimal point, or for a Polish or Russian reader ";" and a decimal comma):
 * no, recipient, address, reference, cases, language, page (of the letter in the PDF, from
 * @pages when given), total (two decimals), currency. */
char       *dd_letter_posting_list_csv (GPtrArray           *letters,
                                        GArray              *pages);

G_END_DECLS
