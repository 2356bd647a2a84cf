/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The only C++ in dd-core: a thin layer over libphonenumber that dd-phone.c calls through the
 * C ABI of dd-phone-shim.h. It keeps no state of its own; PhoneNumberUtil is a thread-safe
 * singleton, so every function may run in several threads at once. */

#include "config.h"

#include "dd-phone-shim.h"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <cstring>
#include <string>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

static const PhoneNumberUtil &
util (void)
{
  static const PhoneNumberUtil *instance = PhoneNumberUtil::GetInstance ();

  return *instance;
}

static bool
copy_string (const std::string &value,
             char              *buf,
             size_t             buf_size)
{
  if (value.size () >= buf_size)
    return false;

  memcpy (buf, value.data (), value.size ());
  buf[value.size ()] = '\0';
  return true;
}

/* Builds the PhoneNumber that Parse() would have built for these digits, leading zeros of the
 * national number (Italy, Côte d'Ivoire...) included. */
static bool
build_number (int          country_code,
              const char  *national,
              size_t       len,
              PhoneNumber *number)
{
  google::protobuf::uint64 value = 0;
  size_t zeros = 0;

  if (len == 0 || len > DD_PHONE_SHIM_MAX_NATIONAL)
    return false;

  for (size_t i = 0; i < len; i++)
    {
      if (national[i] < '0' || national[i] > '9')
        return false;
      value = value * 10 + (google::protobuf::uint64) (national[i] - '0');
    }

  number->set_country_code (country_code);
  number->set_national_number (value);

  if (len > 1 && national[0] == '0')
    {
      number->set_italian_leading_zero (true);
      while (zeros < len - 1 && national[zeros] == '0')
        zeros++;
      if (zeros > 1)
        number->set_number_of_leading_zeros ((int) zeros);
    }

  return true;
}

static DdPhoneShimStatus
status_from_parse_error (PhoneNumberUtil::ErrorType error)
{
  switch (error)
    {
    case PhoneNumberUtil::NO_PARSING_ERROR:
      return DD_PHONE_SHIM_OK;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      return DD_PHONE_SHIM_INVALID_COUNTRY_CODE;
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
      return DD_PHONE_SHIM_TOO_SHORT;
    case PhoneNumberUtil::TOO_LONG_NSN:
      return DD_PHONE_SHIM_TOO_LONG;
    case PhoneNumberUtil::NOT_A_NUMBER:
    default:
      return DD_PHONE_SHIM_NOT_A_NUMBER;
    }
}

static DdPhoneShimStatus
status_from_validation (PhoneNumberUtil::ValidationResult result)
{
  switch (result)
    {
    case PhoneNumberUtil::IS_POSSIBLE:
      return DD_PHONE_SHIM_OK;
    case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
      return DD_PHONE_SHIM_LOCAL_ONLY;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE:
      return DD_PHONE_SHIM_INVALID_COUNTRY_CODE;
    case PhoneNumberUtil::TOO_SHORT:
      return DD_PHONE_SHIM_TOO_SHORT;
    case PhoneNumberUtil::TOO_LONG:
      return DD_PHONE_SHIM_TOO_LONG;
    case PhoneNumberUtil::INVALID_LENGTH:
    default:
      return DD_PHONE_SHIM_INVALID_LENGTH;
    }
}

extern "C" int
dd_phone_shim_country_code_for_region (const char *region)
{
  try
    {
      if (region == NULL)
        return 0;
      return util ().GetCountryCodeForRegion (region);
    }
  catch (...)
    {
      return 0;
    }
}

extern "C" int
dd_phone_shim_is_country_code (int country_code)
{
  try
    {
      std::string region;

      util ().GetRegionCodeForCountryCode (country_code, &region);
      /* "ZZ" is libphonenumber's unknown region; "001" marks non-geographic codes such as
       * +800, which are real calling codes too. */
      return region != "ZZ";
    }
  catch (...)
    {
      return 0;
    }
}

extern "C" void
dd_phone_shim_national_prefix (const char *region,
                               char       *buf,
                               size_t      buf_size)
{
  if (buf_size == 0)
    return;
  buf[0] = '\0';

  try
    {
      std::string prefix;

      if (region == NULL)
        return;
      util ().GetNddPrefixForRegion (region, true, &prefix);
      if (!copy_string (prefix, buf, buf_size))
        buf[0] = '\0';
    }
  catch (...)
    {
      buf[0] = '\0';
    }
}

extern "C" DdPhoneShimType
dd_phone_shim_number_type (int         country_code,
                           const char *national,
                           size_t      len)
{
  try
    {
      PhoneNumber number;

      if (!build_number (country_code, national, len, &number))
        return DD_PHONE_SHIM_TYPE_UNKNOWN;

      return (DdPhoneShimType) util ().GetNumberType (number);
    }
  catch (...)
    {
      return DD_PHONE_SHIM_TYPE_UNKNOWN;
    }
}

extern "C" DdPhoneShimStatus
dd_phone_shim_parse (const char        *text,
                     const char        *region,
                     DdPhoneShimNumber *out)
{
  memset (out, 0, sizeof *out);
  out->type = DD_PHONE_SHIM_TYPE_UNKNOWN;

  try
    {
      const PhoneNumberUtil &u = util ();
      PhoneNumber number;
      std::string national;
      DdPhoneShimStatus status;

      status = status_from_parse_error (u.Parse (text, region != NULL ? region : "ZZ", &number));
      if (status != DD_PHONE_SHIM_OK)
        return status;

      out->country_code = number.country_code ();
      u.GetNationalSignificantNumber (number, &national);
      if (!copy_string (national, out->national, sizeof out->national))
        return DD_PHONE_SHIM_TOO_LONG;
      if (number.has_extension ()
          && !copy_string (number.extension (), out->extension, sizeof out->extension))
        out->extension[0] = '\0';

      status = status_from_validation (u.IsPossibleNumberWithReason (number));
      if (status != DD_PHONE_SHIM_OK)
        return status;

      out->type = (DdPhoneShimType) u.GetNumberType (number);
      if (out->type == DD_PHONE_SHIM_TYPE_UNKNOWN)
        return DD_PHONE_SHIM_INVALID;

      return DD_PHONE_SHIM_OK;
    }
  catch (...)
    {
      return DD_PHONE_SHIM_FAILED;
    }
}

extern "C" int
dd_phone_shim_format_international (int         country_code,
                                    const char *national,
                                    size_t      len,
                                    char       *buf,
                                    size_t      buf_size)
{
  try
    {
      PhoneNumber number;
      std::string formatted;

      if (!build_number (country_code, national, len, &number))
        return 0;

      util ().Format (number, PhoneNumberUtil::INTERNATIONAL, &formatted);
      return copy_string (formatted, buf, buf_size);
    }
  catch (...)
    {
      return 0;
    }
}
