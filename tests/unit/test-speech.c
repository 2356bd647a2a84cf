/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-speech"

#include "config.h"

#include "dd-speech.h"

#include <glib.h>

typedef struct
{
  gint64      minor;
  const char *currency;
  const char *words;
} AmountCase;

static void
check_amounts (const char       *language,
               const AmountCase *cases,
               gsize             n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autofree char *words = dd_speech_amount (cases[i].minor, cases[i].currency, language);

      g_test_message ("%s %" G_GINT64_FORMAT " %s", language, cases[i].minor,
                      cases[i].currency);
      g_assert_cmpstr (words, ==, cases[i].words);
    }
}

static void
test_amount_pl (void)
{
  static const AmountCase cases[] = {
    { 123456, "PLN", "tysiąc dwieście trzydzieści cztery złote pięćdziesiąt sześć groszy" },
    { 100, "PLN", "jeden złoty zero groszy" },
    { 200, "PLN", "dwa złote zero groszy" },
    { 500, "PLN", "pięć złotych zero groszy" },
    { 1100, "PLN", "jedenaście złotych zero groszy" },
    { 1200, "PLN", "dwanaście złotych zero groszy" },
    { 1400, "PLN", "czternaście złotych zero groszy" },
    { 2100, "PLN", "dwadzieścia jeden złotych zero groszy" },
    { 2200, "PLN", "dwadzieścia dwa złote zero groszy" },
    { 2500, "PLN", "dwadzieścia pięć złotych zero groszy" },
    { 10100, "PLN", "sto jeden złotych zero groszy" },
    { 11200, "PLN", "sto dwanaście złotych zero groszy" },
    { 100000, "PLN", "tysiąc złotych zero groszy" },
    { 200000, "PLN", "dwa tysiące złotych zero groszy" },
    { 500000, "PLN", "pięć tysięcy złotych zero groszy" },
    { 1200000, "PLN", "dwanaście tysięcy złotych zero groszy" },
    { 2200000, "PLN", "dwadzieścia dwa tysiące złotych zero groszy" },
    { 100000000, "PLN", "milion złotych zero groszy" },
    { 300000000, "PLN", "trzy miliony złotych zero groszy" },
    { 1, "PLN", "zero złotych jeden grosz" },
    { 2, "PLN", "zero złotych dwa grosze" },
    { 5, "PLN", "zero złotych pięć groszy" },
    { 12, "PLN", "zero złotych dwanaście groszy" },
    { 21, "PLN", "zero złotych dwadzieścia jeden groszy" },
    { 22, "PLN", "zero złotych dwadzieścia dwa grosze" },
    { 0, "PLN", "zero złotych zero groszy" },
    { -150, "PLN", "minus jeden złoty pięćdziesiąt groszy" },
    { 99999999999, "PLN", "dziewięćset dziewięćdziesiąt dziewięć milionów dziewięćset "
      "dziewięćdziesiąt dziewięć tysięcy dziewięćset dziewięćdziesiąt dziewięć złotych "
      "dziewięćdziesiąt dziewięć groszy" },
    { 102, "RUB", "jeden rubel dwie kopiejki" },
    { 522, "RUB", "pięć rubli dwadzieścia dwie kopiejki" },
    { 101, "EUR", "jedno euro jeden cent" },
    { 123456, "USD", "tysiąc dwieście trzydzieści cztery dolary pięćdziesiąt sześć centów" },
  };

  check_amounts ("pl", cases, G_N_ELEMENTS (cases));
  /* Longer language tags are reduced. */
  check_amounts ("pl_PL.UTF-8", cases, 1);
}

static void
test_amount_ru (void)
{
  static const AmountCase cases[] = {
    { 123456, "RUB", "одна тысяча двести тридцать четыре рубля пятьдесят шесть копеек" },
    { 100, "RUB", "один рубль ноль копеек" },
    { 200, "RUB", "два рубля ноль копеек" },
    { 500, "RUB", "пять рублей ноль копеек" },
    { 1100, "RUB", "одиннадцать рублей ноль копеек" },
    { 1200, "RUB", "двенадцать рублей ноль копеек" },
    { 2100, "RUB", "двадцать один рубль ноль копеек" },
    { 2200, "RUB", "двадцать два рубля ноль копеек" },
    { 2500, "RUB", "двадцать пять рублей ноль копеек" },
    { 10100, "RUB", "сто один рубль ноль копеек" },
    { 100000, "RUB", "одна тысяча рублей ноль копеек" },
    { 200000, "RUB", "две тысячи рублей ноль копеек" },
    { 500000, "RUB", "пять тысяч рублей ноль копеек" },
    { 1100000, "RUB", "одиннадцать тысяч рублей ноль копеек" },
    { 2100000, "RUB", "двадцать одна тысяча рублей ноль копеек" },
    { 100000000, "RUB", "один миллион рублей ноль копеек" },
    { 200000000, "RUB", "два миллиона рублей ноль копеек" },
    { 1, "RUB", "ноль рублей одна копейка" },
    { 2, "RUB", "ноль рублей две копейки" },
    { 5, "RUB", "ноль рублей пять копеек" },
    { 11, "RUB", "ноль рублей одиннадцать копеек" },
    { 21, "RUB", "ноль рублей двадцать одна копейка" },
    { 22, "RUB", "ноль рублей двадцать две копейки" },
    { 25, "RUB", "ноль рублей двадцать пять копеек" },
    { 100, "PLN", "один злотый ноль грошей" },
    { 200, "PLN", "два злотых ноль грошей" },
    { 123456, "PLN", "одна тысяча двести тридцать четыре злотых пятьдесят шесть грошей" },
    { 2102, "USD", "двадцать один доллар два цента" },
    { 500, "EUR", "пять евро ноль центов" },
  };

  check_amounts ("ru", cases, G_N_ELEMENTS (cases));
}

static void
test_amount_en (void)
{
  static const AmountCase cases[] = {
    { 123456, "PLN", "one thousand two hundred thirty-four zlotys and fifty-six groszy" },
    { 100, "PLN", "one zloty and zero groszy" },
    { 1, "PLN", "zero zlotys and one grosz" },
    { 2, "PLN", "zero zlotys and two groszy" },
    { 123456, "USD", "one thousand two hundred thirty-four dollars and fifty-six cents" },
    { 101, "EUR", "one euro and one cent" },
    { 250000, "EUR", "two thousand five hundred euros and zero cents" },
    { 1100, "USD", "eleven dollars and zero cents" },
    { 2100, "USD", "twenty-one dollars and zero cents" },
    { 10100, "USD", "one hundred one dollars and zero cents" },
    { 100000000, "USD", "one million dollars and zero cents" },
    { 12345, "RUB", "one hundred twenty-three rubles and forty-five kopecks" },
    { 1234, "JPY", "one thousand two hundred thirty-four JPY" },
    { 1250, "CZK", "twelve CZK and fifty" },
  };

  check_amounts ("en", cases, G_N_ELEMENTS (cases));
  /* Unknown languages are spoken in English. */
  check_amounts ("de", cases, 1);
  check_amounts (NULL, cases, 1);
}

static void
test_cardinal (void)
{
  static const struct {
    gint64          number;
    const char     *language;
    DdSpeechGender  gender;
    const char     *words;
  } cases[] = {
    { 0, "pl", DD_SPEECH_MASCULINE, "zero" },
    { 1, "pl", DD_SPEECH_FEMININE, "jedna" },
    { 2, "pl", DD_SPEECH_FEMININE, "dwie" },
    { 1, "ru", DD_SPEECH_NEUTER, "одно" },
    { 1000, "pl", DD_SPEECH_MASCULINE, "tysiąc" },
    { 1001, "pl", DD_SPEECH_MASCULINE, "tysiąc jeden" },
    { 2000, "ru", DD_SPEECH_MASCULINE, "две тысячи" },
    { 5000, "en", DD_SPEECH_MASCULINE, "five thousand" },
    { 1000000, "en", DD_SPEECH_MASCULINE, "one million" },
    { 1000000, "pl", DD_SPEECH_MASCULINE, "milion" },
    { 1000001000, "pl", DD_SPEECH_MASCULINE, "miliard tysiąc" },
    { 999999999, "en", DD_SPEECH_MASCULINE,
      "nine hundred ninety-nine million nine hundred ninety-nine thousand nine hundred "
      "ninety-nine" },
    { -42, "en", DD_SPEECH_MASCULINE, "minus forty-two" },
    { G_GINT64_CONSTANT (1000000000000), "en", DD_SPEECH_MASCULINE,
      "one zero zero zero zero zero zero zero zero zero zero zero zero" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *words = dd_speech_cardinal (cases[i].number, cases[i].language,
                                                   cases[i].gender);

      g_assert_cmpstr (words, ==, cases[i].words);
    }
}

static void
test_date (void)
{
  static const struct {
    guint       day;
    guint       month;
    guint       year;
    const char *language;
    const char *words;
  } cases[] = {
    { 15, 3, 2026, "pl", "piętnastego marca dwa tysiące dwudziestego szóstego roku" },
    { 15, 3, 2026, "ru", "пятнадцатого марта две тысячи двадцать шестого года" },
    { 15, 3, 2026, "en", "March fifteenth, twenty twenty-six" },
    { 1, 1, 2000, "pl", "pierwszego stycznia dwutysięcznego roku" },
    { 1, 1, 2000, "ru", "первого января двухтысячного года" },
    { 1, 1, 2000, "en", "January first, two thousand" },
    { 31, 12, 1999, "pl", "trzydziestego pierwszego grudnia tysiąc dziewięćset "
      "dziewięćdziesiątego dziewiątego roku" },
    { 31, 12, 1999, "ru", "тридцать первого декабря тысяча девятьсот девяносто девятого года" },
    { 31, 12, 1999, "en", "December thirty-first, nineteen ninety-nine" },
    { 22, 2, 2005, "pl", "dwudziestego drugiego lutego dwa tysiące piątego roku" },
    { 22, 2, 2005, "ru", "двадцать второго февраля две тысячи пятого года" },
    { 22, 2, 2005, "en", "February twenty-second, two thousand five" },
    { 20, 10, 2010, "pl", "dwudziestego października dwa tysiące dziesiątego roku" },
    { 20, 10, 2010, "ru", "двадцатого октября две тысячи десятого года" },
    { 10, 10, 2010, "en", "October tenth, twenty ten" },
    { 4, 7, 1905, "en", "July fourth, nineteen oh five" },
    { 12, 5, 2100, "pl", "dwunastego maja dwa tysiące setnego roku" },
    { 12, 5, 2100, "ru", "двенадцатого мая две тысячи сотого года" },
    { 12, 5, 2100, "en", "May twelfth, twenty-one hundred" },
    { 3, 9, 2040, "pl", "trzeciego września dwa tysiące czterdziestego roku" },
    { 3, 9, 2040, "ru", "третьего сентября две тысячи сорокового года" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDate) date = g_date_new_dmy ((GDateDay) cases[i].day,
                                              (GDateMonth) cases[i].month,
                                              (GDateYear) cases[i].year);
      g_autofree char *words = dd_speech_date (date, cases[i].language);

      g_assert_cmpstr (words, ==, cases[i].words);
    }

  {
    GDate invalid;

    g_date_clear (&invalid, 1);
    g_assert_null (dd_speech_date (&invalid, "pl"));
  }
}

static void
test_characters (void)
{
  g_autofree char *pl = dd_speech_characters ("FV/2026/03-1", "pl");
  g_autofree char *ru = dd_speech_characters ("СЧ-12", "ru");
  g_autofree char *en = dd_speech_characters ("+48 601 2.0", "en");

  g_assert_cmpstr (pl, ==, "FV łamane przez dwa zero dwa sześć łamane przez zero trzy "
                           "myślnik jeden");
  g_assert_cmpstr (ru, ==, "СЧ дефис один два");
  g_assert_cmpstr (en, ==, "plus four eight six zero one two dot zero");
}

static void
test_language (void)
{
  g_assert_cmpstr (dd_speech_normalize_language ("ru_RU"), ==, "ru");
  g_assert_cmpstr (dd_speech_normalize_language ("PL"), ==, "pl");
  g_assert_cmpstr (dd_speech_normalize_language ("en_GB"), ==, "en");
  g_assert_cmpstr (dd_speech_normalize_language ("uk"), ==, "en");
  g_assert_cmpstr (dd_speech_normalize_language (NULL), ==, "en");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dd/speech/amount-pl", test_amount_pl);
  g_test_add_func ("/dd/speech/amount-ru", test_amount_ru);
  g_test_add_func ("/dd/speech/amount-en", test_amount_en);
  g_test_add_func ("/dd/speech/cardinal", test_cardinal);
  g_test_add_func ("/dd/speech/date", test_date);
  g_test_add_func ("/dd/speech/characters", test_characters);
  g_test_add_func ("/dd/speech/language", test_language);

  return g_test_run ();
}
