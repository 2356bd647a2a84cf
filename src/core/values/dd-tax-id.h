/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * DdTaxIdKind:
 * @DD_TAX_ID_UNKNOWN: not a tax ID of a known scheme
 * @DD_TAX_ID_NIP: Polish tax identification number (NIP), 10 digits
 * @DD_TAX_ID_PESEL: Polish personal identification number (PESEL), 11 digits
 * @DD_TAX_ID_INN_LEGAL: Russian INN of an organisation, 10 digits
 * @DD_TAX_ID_INN_PERSON: Russian INN of a person or a sole trader (ИП), 12 digits
 *
 * The schemes of tax IDs the importer checks. Do not renumber.
 */
typedef enum
{
  DD_TAX_ID_UNKNOWN,
  DD_TAX_ID_NIP,
  DD_TAX_ID_PESEL,
  DD_TAX_ID_INN_LEGAL,
  DD_TAX_ID_INN_PERSON,
} DdTaxIdKind;

#define DD_TAX_ID_ERROR (dd_tax_id_error_quark ())

/**
 * DdTaxIdError:
 * @DD_TAX_ID_ERROR_FORMAT: empty, letters or signs where digits belong, a number of digits
 *   no scheme has, only zeros, or a label of the other country ("ИНН" in a Polish office)
 * @DD_TAX_ID_ERROR_CHECKSUM: the digits fit a scheme but the check digit does not match
 *   (a typing error, most likely)
 * @DD_TAX_ID_ERROR_BIRTH_DATE: a PESEL whose date of birth does not exist
 */
typedef enum
{
  DD_TAX_ID_ERROR_FORMAT,
  DD_TAX_ID_ERROR_CHECKSUM,
  DD_TAX_ID_ERROR_BIRTH_DATE,
} DdTaxIdError;

GQuark       dd_tax_id_error_quark        (void);

const char  *dd_tax_id_kind_to_string     (DdTaxIdKind   kind);
const char  *dd_tax_id_kind_get_country   (DdTaxIdKind   kind);

char        *dd_tax_id_normalize          (const char   *text,
                                           const char   *country,
                                           DdTaxIdKind  *out_kind,
                                           GError      **error);
gboolean     dd_tax_id_is_valid           (const char   *digits,
                                           DdTaxIdKind   kind);
char        *dd_tax_id_format             (const char   *digits,
                                           DdTaxIdKind   kind);

gboolean     dd_tax_id_pesel_decode       (const char   *digits,
                                           GDate        *out_birth,
                                           gboolean     *out_female);

gboolean     dd_tax_id_complete           (char         *digits,
                                           DdTaxIdKind   kind);
char        *dd_tax_id_generate           (DdTaxIdKind   kind,
                                           GRand        *rand);
char        *dd_tax_id_generate_pesel     (const GDate  *birth,
                                           gboolean      female,
                                           GRand        *rand);

G_END_DECLS
