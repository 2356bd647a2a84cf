/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * DdPhoneKind:
 * @DD_PHONE_KIND_UNKNOWN: a valid number whose kind the numbering plan does not tell (the
 *   "fixed line or mobile" numbers of the USA and Canada, for instance): do not assume it can
 *   take a text message
 * @DD_PHONE_KIND_MOBILE: a mobile phone
 * @DD_PHONE_KIND_LANDLINE: a fixed line
 * @DD_PHONE_KIND_OTHER: a service number: toll free, premium rate, shared cost, VoIP,
 *   personal number, pager, UAN, voicemail
 *
 * What kind of line a number reaches. The values are stored in the database through
 * dd_phone_kind_to_string(); do not renumber them.
 */
typedef enum
{
  DD_PHONE_KIND_UNKNOWN,
  DD_PHONE_KIND_MOBILE,
  DD_PHONE_KIND_LANDLINE,
  DD_PHONE_KIND_OTHER,
} DdPhoneKind;

#define DD_PHONE_ERROR (dd_phone_error_quark ())

/**
 * DdPhoneError:
 * @DD_PHONE_ERROR_EMPTY: nothing but white space
 * @DD_PHONE_ERROR_NOT_A_NUMBER: no phone number in the text at all
 * @DD_PHONE_ERROR_TOO_SHORT: too few digits (also: a local number without its area code)
 * @DD_PHONE_ERROR_TOO_LONG: too many digits
 * @DD_PHONE_ERROR_INVALID: the digits do not form a number of the numbering plan, or the
 *   country calling code does not exist
 * @DD_PHONE_ERROR_UNKNOWN_REGION: the number has no "+" country code and the default region
 *   is missing or unknown
 */
typedef enum
{
  DD_PHONE_ERROR_EMPTY,
  DD_PHONE_ERROR_NOT_A_NUMBER,
  DD_PHONE_ERROR_TOO_SHORT,
  DD_PHONE_ERROR_TOO_LONG,
  DD_PHONE_ERROR_INVALID,
  DD_PHONE_ERROR_UNKNOWN_REGION,
} DdPhoneError;

GQuark       dd_phone_error_quark                 (void);

const char  *dd_phone_kind_to_string              (DdPhoneKind   kind);
gboolean     dd_phone_kind_from_string            (const char   *text,
                                                   DdPhoneKind  *out_kind);

gboolean     dd_phone_normalize                   (const char   *text,
                                                   const char   *default_region,
                                                   char        **out_e164,
                                                   DdPhoneKind  *out_kind,
                                                   GError      **error);
gboolean     dd_phone_normalize_with_extension    (const char   *text,
                                                   const char   *default_region,
                                                   char        **out_e164,
                                                   char        **out_extension,
                                                   DdPhoneKind  *out_kind,
                                                   GError      **error);
gboolean     dd_phone_region_is_supported         (const char   *region);
char        *dd_phone_format_international        (const char   *e164);

G_END_DECLS
