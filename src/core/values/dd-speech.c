/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "dd-speech"

#include "config.h"

#include "dd-speech.h"
#include "dd-money.h"

#include <string.h>

/*
 * Numbers are spoken in groups of three digits (units, thousands, millions, billions). Polish
 * and Russian choose one of three noun forms after a number:
 *   form 0: "1 złoty" / "1 рубль", "21 рубль" (Russian only: 21, 31, ... but not 11)
 *   form 1: "2-4 złote" / "2-4 рубля", also 22-24, 32-34... but not 12-14
 *   form 2: everything else: "5 złotych", "12 złotych", "0 groszy" / "5 рублей", "11 рублей"
 * English uses form 0 for exactly one and form 2 otherwise.
 *
 * Dates use ordinal numerals in the genitive in Polish and Russian ("piętnastego marca",
 * "пятнадцатого марта"); Polish makes every word of a compound ordinal ordinal ("dwudziestego
 * szóstego"), Russian only the last one ("двадцать шестого").
 */

typedef enum
{
  LANG_EN,
  LANG_PL,
  LANG_RU,
} Lang;

/* Words of one language. */
typedef struct
{
  const char *zero;
  const char *units[10];          /* masculine */
  const char *one[3];             /* 1 by gender */
  const char *two[3];             /* 2 by gender */
  const char *teens[10];
  const char *tens[10];
  const char *hundreds[10];       /* "sto", "dwieście"...; English: NULL */
  const char *scale[4][3];        /* "", thousand, million, billion by form */
  DdSpeechGender scale_gender[4];
  gboolean    scale_one_bare;     /* "tysiąc" rather than "jeden tysiąc" */
  const char *minus;
} Words;

static const Words words_pl = {
  "zero",
  { "", "jeden", "dwa", "trzy", "cztery", "pięć", "sześć", "siedem", "osiem", "dziewięć" },
  { "jeden", "jedna", "jedno" },
  { "dwa", "dwie", "dwa" },
  { "dziesięć", "jedenaście", "dwanaście", "trzynaście", "czternaście", "piętnaście",
    "szesnaście", "siedemnaście", "osiemnaście", "dziewiętnaście" },
  { "", "", "dwadzieścia", "trzydzieści", "czterdzieści", "pięćdziesiąt", "sześćdziesiąt",
    "siedemdziesiąt", "osiemdziesiąt", "dziewięćdziesiąt" },
  { "", "sto", "dwieście", "trzysta", "czterysta", "pięćset", "sześćset", "siedemset",
    "osiemset", "dziewięćset" },
  {
    { "", "", "" },
    { "tysiąc", "tysiące", "tysięcy" },
    { "milion", "miliony", "milionów" },
    { "miliard", "miliardy", "miliardów" },
  },
  { DD_SPEECH_MASCULINE, DD_SPEECH_MASCULINE, DD_SPEECH_MASCULINE, DD_SPEECH_MASCULINE },
  TRUE,
  "minus",
};

static const Words words_ru = {
  "ноль",
  { "", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять" },
  { "один", "одна", "одно" },
  { "два", "две", "два" },
  { "десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать",
    "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать" },
  { "", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят",
    "восемьдесят", "девяносто" },
  { "", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот",
    "восемьсот", "девятьсот" },
  {
    { "", "", "" },
    { "тысяча", "тысячи", "тысяч" },
    { "миллион", "миллиона", "миллионов" },
    { "миллиард", "миллиарда", "миллиардов" },
  },
  { DD_SPEECH_MASCULINE, DD_SPEECH_FEMININE, DD_SPEECH_MASCULINE, DD_SPEECH_MASCULINE },
  FALSE,
  "минус",
};

static const Words words_en = {
  "zero",
  { "", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine" },
  { "one", "one", "one" },
  { "two", "two", "two" },
  { "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen" },
  { "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety" },
  { NULL },
  {
    { "", "", "" },
    { "thousand", "thousand", "thousand" },
    { "million", "million", "million" },
    { "billion", "billion", "billion" },
  },
  { DD_SPEECH_MASCULINE, DD_SPEECH_MASCULINE, DD_SPEECH_MASCULINE, DD_SPEECH_MASCULINE },
  FALSE,
  "minus",
};

typedef struct
{
  const char     *code;
  DdSpeechGender  major_gender;
  const char     *major[3];
  DdSpeechGender  minor_gender;
  const char     *minor[3];
} CurrencyWords;

static const CurrencyWords currencies_pl[] = {
  { "PLN", DD_SPEECH_MASCULINE, { "złoty", "złote", "złotych" },
    DD_SPEECH_MASCULINE, { "grosz", "grosze", "groszy" } },
  { "EUR", DD_SPEECH_NEUTER, { "euro", "euro", "euro" },
    DD_SPEECH_MASCULINE, { "cent", "centy", "centów" } },
  { "USD", DD_SPEECH_MASCULINE, { "dolar", "dolary", "dolarów" },
    DD_SPEECH_MASCULINE, { "cent", "centy", "centów" } },
  { "RUB", DD_SPEECH_MASCULINE, { "rubel", "ruble", "rubli" },
    DD_SPEECH_FEMININE, { "kopiejka", "kopiejki", "kopiejek" } },
};

static const CurrencyWords currencies_ru[] = {
  { "PLN", DD_SPEECH_MASCULINE, { "злотый", "злотых", "злотых" },
    DD_SPEECH_MASCULINE, { "грош", "гроша", "грошей" } },
  { "EUR", DD_SPEECH_NEUTER, { "евро", "евро", "евро" },
    DD_SPEECH_MASCULINE, { "цент", "цента", "центов" } },
  { "USD", DD_SPEECH_MASCULINE, { "доллар", "доллара", "долларов" },
    DD_SPEECH_MASCULINE, { "цент", "цента", "центов" } },
  { "RUB", DD_SPEECH_MASCULINE, { "рубль", "рубля", "рублей" },
    DD_SPEECH_FEMININE, { "копейка", "копейки", "копеек" } },
};

static const CurrencyWords currencies_en[] = {
  { "PLN", DD_SPEECH_MASCULINE, { "zloty", "zlotys", "zlotys" },
    DD_SPEECH_MASCULINE, { "grosz", "groszy", "groszy" } },
  { "EUR", DD_SPEECH_MASCULINE, { "euro", "euros", "euros" },
    DD_SPEECH_MASCULINE, { "cent", "cents", "cents" } },
  { "USD", DD_SPEECH_MASCULINE, { "dollar", "dollars", "dollars" },
    DD_SPEECH_MASCULINE, { "cent", "cents", "cents" } },
  { "RUB", DD_SPEECH_MASCULINE, { "ruble", "rubles", "rubles" },
    DD_SPEECH_MASCULINE, { "kopeck", "kopecks", "kopecks" } },
};

/* Ordinals in the genitive (masculine/neuter), 1-19, then the tens, then the hundreds. */
static const char * const ordinal_pl[20] = {
  "", "pierwszego", "drugiego", "trzeciego", "czwartego", "piątego", "szóstego", "siódmego",
  "ósmego", "dziewiątego", "dziesiątego", "jedenastego", "dwunastego", "trzynastego",
  "czternastego", "piętnastego", "szesnastego", "siedemnastego", "osiemnastego",
  "dziewiętnastego",
};
static const char * const ordinal_tens_pl[10] = {
  "", "", "dwudziestego", "trzydziestego", "czterdziestego", "pięćdziesiątego",
  "sześćdziesiątego", "siedemdziesiątego", "osiemdziesiątego", "dziewięćdziesiątego",
};
static const char * const ordinal_hundreds_pl[10] = {
  "", "setnego", "dwusetnego", "trzechsetnego", "czterechsetnego", "pięćsetnego",
  "sześćsetnego", "siedemsetnego", "osiemsetnego", "dziewięćsetnego",
};
static const char * const ordinal_thousands_pl[10] = {
  "", "tysięcznego", "dwutysięcznego", "trzytysięcznego", "czterotysięcznego",
  "pięciotysięcznego", "sześciotysięcznego", "siedmiotysięcznego", "ośmiotysięcznego",
  "dziewięciotysięcznego",
};

static const char * const ordinal_ru[20] = {
  "", "первого", "второго", "третьего", "четвёртого", "пятого", "шестого", "седьмого",
  "восьмого", "девятого", "десятого", "одиннадцатого", "двенадцатого", "тринадцатого",
  "четырнадцатого", "пятнадцатого", "шестнадцатого", "семнадцатого", "восемнадцатого",
  "девятнадцатого",
};
static const char * const ordinal_tens_ru[10] = {
  "", "", "двадцатого", "тридцатого", "сорокового", "пятидесятого", "шестидесятого",
  "семидесятого", "восьмидесятого", "девяностого",
};
static const char * const ordinal_hundreds_ru[10] = {
  "", "сотого", "двухсотого", "трёхсотого", "четырёхсотого", "пятисотого", "шестисотого",
  "семисотого", "восьмисотого", "девятисотого",
};
static const char * const ordinal_thousands_ru[10] = {
  "", "тысячного", "двухтысячного", "трёхтысячного", "четырёхтысячного", "пятитысячного",
  "шеститысячного", "семитысячного", "восьмитысячного", "девятитысячного",
};

static const char * const ordinal_en[32] = {
  "", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
  "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
  "seventeenth", "eighteenth", "nineteenth", "twentieth", "twenty-first", "twenty-second",
  "twenty-third", "twenty-fourth", "twenty-fifth", "twenty-sixth", "twenty-seventh",
  "twenty-eighth", "twenty-ninth", "thirtieth", "thirty-first",
};

static const char * const months_pl[13] = {
  "", "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
  "września", "października", "listopada", "grudnia",
};
static const char * const months_ru[13] = {
  "", "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
  "октября", "ноября", "декабря",
};
static const char * const months_en[13] = {
  "", "January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December",
};

static Lang
lang_from_string (const char *language)
{
  if (language != NULL && g_ascii_strncasecmp (language, "pl", 2) == 0)
    return LANG_PL;
  if (language != NULL && g_ascii_strncasecmp (language, "ru", 2) == 0)
    return LANG_RU;

  return LANG_EN;
}

static const Words *
words_for (Lang lang)
{
  switch (lang)
    {
    case LANG_PL:
      return &words_pl;
    case LANG_RU:
      return &words_ru;
    case LANG_EN:
    default:
      return &words_en;
    }
}

/* Which of the three noun forms follows @n. */
static guint
plural_form (Lang   lang,
             guint64 n)
{
  guint64 last = n % 10;
  guint64 last_two = n % 100;

  if (lang == LANG_EN)
    return n == 1 ? 0 : 2;

  if (lang == LANG_PL ? n == 1 : (last == 1 && last_two != 11))
    return 0;
  if (last >= 2 && last <= 4 && (last_two < 12 || last_two > 14))
    return 1;

  return 2;
}

static void
append_word (GString    *out,
             const char *word)
{
  if (word == NULL || word[0] == '\0')
    return;
  if (out->len > 0 && out->str[out->len - 1] != ' ' && out->str[out->len - 1] != '-')
    g_string_append_c (out, ' ');
  g_string_append (out, word);
}

/* Speaks 1 ≤ @group ≤ 999. */
static void
append_group (GString        *out,
              Lang            lang,
              guint           group,
              DdSpeechGender  gender)
{
  const Words *w = words_for (lang);
  guint hundreds = group / 100;
  guint rest = group % 100;
  guint tens = rest / 10;
  guint units = rest % 10;

  if (hundreds > 0)
    {
      if (lang == LANG_EN)
        {
          append_word (out, w->units[hundreds]);
          append_word (out, "hundred");
        }
      else
        append_word (out, w->hundreds[hundreds]);
    }

  if (rest >= 10 && rest < 20)
    {
      append_word (out, w->teens[rest - 10]);
      return;
    }

  if (tens >= 2)
    {
      append_word (out, w->tens[tens]);
      if (lang == LANG_EN && units > 0)
        {
          g_string_append_c (out, '-');
          g_string_append (out, w->units[units]);
          return;
        }
    }

  if (units == 1)
    {
      /* Polish compounds keep "jeden" whatever the gender: "dwadzieścia jeden złotych". */
      if (lang == LANG_PL && group != 1)
        append_word (out, w->units[1]);
      else
        append_word (out, w->one[gender]);
    }
  else if (units == 2)
    append_word (out, w->two[gender]);
  else if (units > 0)
    append_word (out, w->units[units]);
}

static void
append_cardinal (GString        *out,
                 Lang            lang,
                 guint64         number,
                 DdSpeechGender  gender)
{
  const Words *w = words_for (lang);
  guint groups[4];

  if (number == 0)
    {
      append_word (out, w->zero);
      return;
    }

  for (guint i = 0; i < 4; i++)
    {
      groups[i] = (guint) (number % 1000);
      number /= 1000;
    }

  for (int i = 3; i >= 1; i--)
    {
      if (groups[i] == 0)
        continue;
      if (groups[i] == 1 && w->scale_one_bare)
        append_word (out, w->scale[i][0]);
      else
        {
          append_group (out, lang, groups[i], w->scale_gender[i]);
          append_word (out, w->scale[i][plural_form (lang, groups[i])]);
        }
    }

  if (groups[0] > 0)
    append_group (out, lang, groups[0], gender);
}

static void
append_digits (GString    *out,
               Lang        lang,
               const char *digits)
{
  for (const char *p = digits; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (*p == '0')
            append_word (out, words_for (lang)->zero);
          else
            append_word (out, words_for (lang)->units[*p - '0']);
        }
      else if (*p == '-')
        append_word (out, words_for (lang)->minus);
    }
}

/**
 * dd_speech_normalize_language:
 * @language: (nullable): a language tag
 *
 * Returns: "pl", "ru" or "en": the language the other functions will speak for @language.
 */
const char *
dd_speech_normalize_language (const char *language)
{
  switch (lang_from_string (language))
    {
    case LANG_PL:
      return "pl";
    case LANG_RU:
      return "ru";
    case LANG_EN:
    default:
      return "en";
    }
}

/**
 * dd_speech_cardinal:
 * @number: the number
 * @language: (nullable): the language
 * @gender: the gender of the counted noun (for 1 and 2 in Polish and Russian)
 *
 * Writes out @number: "tysiąc dwieście trzydzieści cztery", "одна тысяча двести тридцать
 * четыре", "one thousand two hundred thirty-four". Numbers beyond ±%DD_SPEECH_MAX_NUMBER are
 * spoken digit by digit.
 *
 * Returns: (transfer full): the words
 */
char *
dd_speech_cardinal (gint64          number,
                    const char     *language,
                    DdSpeechGender  gender)
{
  Lang lang = lang_from_string (language);
  GString *out = g_string_new (NULL);

  if (number > DD_SPEECH_MAX_NUMBER || number < -DD_SPEECH_MAX_NUMBER)
    {
      g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, number);

      append_digits (out, lang, digits);
      return g_string_free (out, FALSE);
    }

  if (number < 0)
    {
      append_word (out, words_for (lang)->minus);
      number = -number;
    }
  append_cardinal (out, lang, (guint64) number, gender);

  return g_string_free (out, FALSE);
}

static const CurrencyWords *
find_currency (Lang        lang,
               const char *currency)
{
  const CurrencyWords *table;
  gsize n;

  switch (lang)
    {
    case LANG_PL:
      table = currencies_pl;
      n = G_N_ELEMENTS (currencies_pl);
      break;
    case LANG_RU:
      table = currencies_ru;
      n = G_N_ELEMENTS (currencies_ru);
      break;
    case LANG_EN:
    default:
      table = currencies_en;
      n = G_N_ELEMENTS (currencies_en);
      break;
    }

  for (gsize i = 0; currency != NULL && i < n; i++)
    {
      if (g_ascii_strcasecmp (table[i].code, currency) == 0)
        return &table[i];
    }

  return NULL;
}

/**
 * dd_speech_amount:
 * @minor: the amount in minor units (grosze, kopecks, cents)
 * @currency: (nullable): an ISO 4217 code
 * @language: (nullable): the language
 *
 * Writes out an amount of money with the currency words in the right plural forms:
 * 123456 PLN in Polish is "tysiąc dwieście trzydzieści cztery złote pięćdziesiąt sześć
 * groszy", in Russian "одна тысяча двести тридцать четыре злотых пятьдесят шесть грошей", in
 * English "one thousand two hundred thirty-four zlotys and fifty-six groszy". The minor part
 * is always spoken, also when it is zero ("sto złotych zero groszy"), as amounts are read out
 * in accounting. PLN, RUB, EUR and USD have their own words; another currency is named by its
 * code after each part. Currencies without minor units (JPY) have no minor part.
 *
 * Returns: (transfer full): the words
 */
char *
dd_speech_amount (gint64      minor,
                  const char *currency,
                  const char *language)
{
  Lang lang = lang_from_string (language);
  const CurrencyWords *cw = find_currency (lang, currency);
  guint digits = currency != NULL && dd_money_currency_is_known (currency)
                 ? dd_money_currency_digits (currency) : 2;
  GString *out = g_string_new (NULL);
  guint64 scale = 1;
  guint64 magnitude;
  guint64 major;
  guint64 minor_part;

  for (guint i = 0; i < digits; i++)
    scale *= 10;

  if (minor < 0)
    append_word (out, words_for (lang)->minus);
  magnitude = minor < 0 ? (guint64) -(minor + 1) + 1 : (guint64) minor;
  major = magnitude / scale;
  minor_part = magnitude % scale;

  if (major > (guint64) DD_SPEECH_MAX_NUMBER)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, major);

      append_digits (out, lang, text);
    }
  else
    append_cardinal (out, lang, major, cw != NULL ? cw->major_gender : DD_SPEECH_MASCULINE);

  if (cw != NULL)
    append_word (out, cw->major[plural_form (lang, major)]);
  else if (currency != NULL)
    append_word (out, currency);

  if (digits == 0)
    return g_string_free (out, FALSE);

  if (lang == LANG_EN)
    append_word (out, "and");
  append_cardinal (out, lang, minor_part, cw != NULL ? cw->minor_gender : DD_SPEECH_MASCULINE);
  if (cw != NULL)
    append_word (out, cw->minor[plural_form (lang, minor_part)]);

  return g_string_free (out, FALSE);
}

/* Speaks 1 ≤ @n ≤ 999 as an ordinal in the genitive (Polish, Russian). */
static void
append_ordinal_genitive (GString *out,
                         Lang     lang,
                         guint    n)
{
  const Words *w = words_for (lang);
  const char * const *ordinal = lang == LANG_PL ? ordinal_pl : ordinal_ru;
  const char * const *ordinal_tens = lang == LANG_PL ? ordinal_tens_pl : ordinal_tens_ru;
  const char * const *ordinal_hundreds = lang == LANG_PL ? ordinal_hundreds_pl
                                                          : ordinal_hundreds_ru;
  guint hundreds = n / 100;
  guint rest = n % 100;

  if (rest == 0)
    {
      append_word (out, ordinal_hundreds[hundreds]);
      return;
    }
  if (hundreds > 0)
    append_word (out, w->hundreds[hundreds]);

  if (rest < 20)
    append_word (out, ordinal[rest]);
  else if (rest % 10 == 0)
    append_word (out, ordinal_tens[rest / 10]);
  else
    {
      /* Polish: "dwudziestego szóstego"; Russian: "двадцать шестого". */
      append_word (out, lang == LANG_PL ? ordinal_tens[rest / 10] : w->tens[rest / 10]);
      append_word (out, ordinal[rest % 10]);
    }
}

static void
append_year_slavic (GString *out,
                    Lang     lang,
                    guint    year)
{
  const Words *w = words_for (lang);
  guint thousands = year / 1000;
  guint rest = year % 1000;

  if (thousands > 0 && rest == 0)
    {
      append_word (out, lang == LANG_PL ? ordinal_thousands_pl[thousands]
                                        : ordinal_thousands_ru[thousands]);
      return;
    }

  if (thousands == 1)
    append_word (out, w->scale[1][0]);
  else if (thousands > 1)
    {
      append_group (out, lang, thousands, w->scale_gender[1]);
      append_word (out, w->scale[1][plural_form (lang, thousands)]);
    }
  append_ordinal_genitive (out, lang, rest);
}

static void
append_year_en (GString *out,
                guint    year)
{
  guint high = year / 100;
  guint low = year % 100;

  if (year < 1000 || (high % 10 == 0 && low < 10))
    {
      /* "two thousand", "two thousand five", "nine hundred ninety-nine" */
      append_cardinal (out, LANG_EN, year, DD_SPEECH_MASCULINE);
      return;
    }

  append_cardinal (out, LANG_EN, high, DD_SPEECH_MASCULINE);
  if (low == 0)
    append_word (out, "hundred");
  else if (low < 10)
    {
      append_word (out, "oh");
      append_cardinal (out, LANG_EN, low, DD_SPEECH_MASCULINE);
    }
  else
    append_cardinal (out, LANG_EN, low, DD_SPEECH_MASCULINE);
}

/**
 * dd_speech_date:
 * @date: a valid date with a year from 1 to 9999
 * @language: (nullable): the language
 *
 * Writes out a date as it is said: "piętnastego marca dwa tysiące dwudziestego szóstego roku",
 * "пятнадцатого марта две тысячи двадцать шестого года", "March fifteenth, twenty
 * twenty-six".
 *
 * Returns: (transfer full): the words, or %NULL if @date is not valid
 */
char *
dd_speech_date (const GDate *date,
                const char  *language)
{
  Lang lang = lang_from_string (language);
  GString *out;
  guint day;
  guint month;
  guint year;

  g_return_val_if_fail (date != NULL, NULL);

  if (!g_date_valid (date))
    return NULL;

  day = g_date_get_day (date);
  month = g_date_get_month (date);
  year = g_date_get_year (date);
  out = g_string_new (NULL);

  switch (lang)
    {
    case LANG_PL:
    case LANG_RU:
      append_ordinal_genitive (out, lang, day);
      append_word (out, lang == LANG_PL ? months_pl[month] : months_ru[month]);
      append_year_slavic (out, lang, year);
      append_word (out, lang == LANG_PL ? "roku" : "года");
      break;

    case LANG_EN:
    default:
      append_word (out, months_en[month]);
      append_word (out, ordinal_en[day]);
      g_string_append_c (out, ',');
      append_year_en (out, year);
      break;
    }

  return g_string_free (out, FALSE);
}

/**
 * dd_speech_characters:
 * @text: an invoice number, a phone number...
 * @language: (nullable): the language
 *
 * Reads out a reference one character at a time: every digit as a word, runs of letters as
 * they are, "/" "-" "." "+" as words ("FV/12" in Polish: "FV łamane przez jeden dwa"). Other
 * characters (spaces, brackets) are skipped.
 *
 * Returns: (transfer full): the words
 */
char *
dd_speech_characters (const char *text,
                      const char *language)
{
  Lang lang = lang_from_string (language);
  const Words *w = words_for (lang);
  GString *out = g_string_new (NULL);
  gboolean in_letters = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);
      const char *word = NULL;

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;

      if (g_unichar_isalpha (c))
        {
          if (!in_letters && out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
          g_string_append_unichar (out, c);
          in_letters = TRUE;
          continue;
        }
      in_letters = FALSE;

      if (c >= '0' && c <= '9')
        word = c == '0' ? w->zero : w->units[c - '0'];
      else if (c == '/')
        word = lang == LANG_PL ? "łamane przez" : lang == LANG_RU ? "дробь" : "slash";
      else if (c == '-')
        word = lang == LANG_PL ? "myślnik" : lang == LANG_RU ? "дефис" : "dash";
      else if (c == '.')
        word = lang == LANG_PL ? "kropka" : lang == LANG_RU ? "точка" : "dot";
      else if (c == '+')
        word = lang == LANG_RU ? "плюс" : "plus";

      append_word (out, word);
    }

  return g_string_free (out, FALSE);
}
