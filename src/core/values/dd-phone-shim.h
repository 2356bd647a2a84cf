/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Private to dd-phone.c: a small C ABI over libphonenumber (C++).
 *
 * Only plain C types cross this boundary; nothing here allocates memory that the caller must
 * free, and no C++ exception escapes. Every function is safe to call from several threads at
 * once (libphonenumber's PhoneNumberUtil is a thread-safe singleton).
 */

#pragma once

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longest national significant number libphonenumber accepts, and the longest country code. */
#define DD_PHONE_SHIM_MAX_NATIONAL      17
#define DD_PHONE_SHIM_MAX_COUNTRY_CODE  3
#define DD_PHONE_SHIM_MAX_EXTENSION     20

/* Mirrors PhoneNumberUtil::PhoneNumberType, value for value. */
typedef enum
{
  DD_PHONE_SHIM_TYPE_FIXED_LINE,
  DD_PHONE_SHIM_TYPE_MOBILE,
  DD_PHONE_SHIM_TYPE_FIXED_LINE_OR_MOBILE,
  DD_PHONE_SHIM_TYPE_TOLL_FREE,
  DD_PHONE_SHIM_TYPE_PREMIUM_RATE,
  DD_PHONE_SHIM_TYPE_SHARED_COST,
  DD_PHONE_SHIM_TYPE_VOIP,
  DD_PHONE_SHIM_TYPE_PERSONAL_NUMBER,
  DD_PHONE_SHIM_TYPE_PAGER,
  DD_PHONE_SHIM_TYPE_UAN,
  DD_PHONE_SHIM_TYPE_VOICEMAIL,
  DD_PHONE_SHIM_TYPE_UNKNOWN,
} DdPhoneShimType;

typedef enum
{
  DD_PHONE_SHIM_OK,
  DD_PHONE_SHIM_NOT_A_NUMBER,
  DD_PHONE_SHIM_INVALID_COUNTRY_CODE,   /* unknown "+CC", or no "+" and an unknown region */
  DD_PHONE_SHIM_TOO_SHORT,
  DD_PHONE_SHIM_TOO_LONG,
  DD_PHONE_SHIM_LOCAL_ONLY,             /* possible only when dialled locally (no area code) */
  DD_PHONE_SHIM_INVALID_LENGTH,
  DD_PHONE_SHIM_INVALID,                /* right length, but no such number in the plan */
  DD_PHONE_SHIM_FAILED,                 /* libphonenumber threw (out of memory) */
} DdPhoneShimStatus;

typedef struct
{
  int             country_code;
  char            national[DD_PHONE_SHIM_MAX_NATIONAL + 1];   /* digits, NUL-terminated */
  char            extension[DD_PHONE_SHIM_MAX_EXTENSION + 1]; /* "" when none */
  DdPhoneShimType type;
} DdPhoneShimNumber;

/* Calling code of an upper-case ISO 3166 region such as "PL", or 0 when libphonenumber does
 * not know the region. */
int               dd_phone_shim_country_code_for_region (const char *region);

/* TRUE when @country_code is assigned (libphonenumber has metadata for it). */
int               dd_phone_shim_is_country_code         (int country_code);

/* National (trunk) prefix of a region, such as "8" for "RU"; "" when it has none. */
void              dd_phone_shim_national_prefix         (const char *region,
                                                         char       *buf,
                                                         size_t      buf_size);

/* libphonenumber's GetNumberType() for a number already split into its country code and
 * national significant number (@len ASCII digits, leading zeros kept). The expensive step. */
DdPhoneShimType   dd_phone_shim_number_type             (int         country_code,
                                                         const char *national,
                                                         size_t      len);

/* The full libphonenumber path: Parse(), then the length check, then GetNumberType().
 * @region may be NULL. On DD_PHONE_SHIM_OK, @out holds a valid number. On the length and
 * validity errors, @out still holds what was parsed. */
DdPhoneShimStatus dd_phone_shim_parse                   (const char        *text,
                                                         const char        *region,
                                                         DdPhoneShimNumber *out);

/* libphonenumber's INTERNATIONAL format ("+48 601 234 567") written to @buf. Returns FALSE
 * when it does not fit. */
int               dd_phone_shim_format_international    (int         country_code,
                                                         const char *national,
                                                         size_t      len,
                                                         char       *buf,
                                                         size_t      buf_size);

/* Not part of the shim: implemented in dd-phone.c for the unit tests, which check its table
 * of fast-path countries against libphonenumber's metadata. FALSE past the last one. */
int               _dd_phone_get_fast_country            (unsigned int  i,
                                                         const char  **region,
                                                         const char  **trunk_prefix);

#ifdef __cplusplus
}
#endif
