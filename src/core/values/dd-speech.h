/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Text for a speech synthesiser: numbers, amounts of money and dates written out as words in
 * the language of the listener (the debtor), which need not be the language of the user
 * interface. Languages: "pl", "ru" and "en" (a longer tag such as "pl_PL.UTF-8" or "ru-RU" is
 * reduced to its first two letters); anything else is spoken in English.
 *
 * The functions keep no state and are thread-safe. They return newly allocated UTF-8 text.
 */

/**
 * DdSpeechGender:
 * @DD_SPEECH_MASCULINE: "jeden", "dwa" / "один", "два"
 * @DD_SPEECH_FEMININE: "jedna", "dwie" / "одна", "две"
 * @DD_SPEECH_NEUTER: "jedno", "dwa" / "одно", "два"
 *
 * The grammatical gender of the counted noun, which changes the words for 1 and 2 in Polish
 * and Russian. English ignores it.
 */
typedef enum
{
  DD_SPEECH_MASCULINE,
  DD_SPEECH_FEMININE,
  DD_SPEECH_NEUTER,
} DdSpeechGender;

/* Amounts are spoken up to this many major units (inclusive), in either sign. */
#define DD_SPEECH_MAX_NUMBER G_GINT64_CONSTANT (999999999999)

char        *dd_speech_cardinal       (gint64          number,
                                       const char     *language,
                                       DdSpeechGender  gender);
char        *dd_speech_amount         (gint64          minor,
                                       const char     *currency,
                                       const char     *language);
char        *dd_speech_date           (const GDate    *date,
                                       const char     *language);
char        *dd_speech_characters     (const char     *text,
                                       const char     *language);
const char  *dd_speech_normalize_language (const char *language);

G_END_DECLS
