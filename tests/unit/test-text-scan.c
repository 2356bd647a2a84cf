/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "dd-text-scan.h"

#include <string.h>

static void
test_blank_len (void)
{
  g_assert_cmpuint (dd_text_blank_len (" 1"), ==, 1);
  g_assert_cmpuint (dd_text_blank_len ("\t"), ==, 1);
  g_assert_cmpuint (dd_text_blank_len ("\u00a01"), ==, 2);    /* no-break space */
  g_assert_cmpuint (dd_text_blank_len ("\u20091"), ==, 3);    /* thin space */
  g_assert_cmpuint (dd_text_blank_len ("\u202f1"), ==, 3);    /* narrow no-break space */
  g_assert_cmpuint (dd_text_blank_len ("\u200b"), ==, 0);     /* zero width: not a blank */
  g_assert_cmpuint (dd_text_blank_len ("1 "), ==, 0);
  g_assert_cmpuint (dd_text_blank_len (""), ==, 0);
  g_assert_cmpuint (dd_text_blank_len ("\xc2"), ==, 0);       /* a cut sequence */
}

static void
test_trim (void)
{
  const char *text = " \u00a01\u202f234,56\u2009 ";
  const char *start = text;
  const char *end = text + strlen (text);

  dd_text_trim_blanks (&start, &end);
  g_assert_cmpint (end - start, ==, (gssize) strlen ("1\u202f234,56"));
  g_assert_true (strncmp (start, "1\u202f234,56", end - start) == 0);

  g_assert_cmpstr (dd_text_skip_blanks ("\u00a0 x"), ==, "x");

  start = "   ";
  end = start + 3;
  dd_text_trim_blanks (&start, &end);
  g_assert_true (start == end);
}

static void
test_dash_len (void)
{
  g_assert_cmpuint (dd_text_dash_len ("\u2013"), ==, 3);    /* en dash */
  g_assert_cmpuint (dd_text_dash_len ("\u2212"), ==, 3);    /* minus sign */
  g_assert_cmpuint (dd_text_dash_len ("-"), ==, 0);
  g_assert_cmpuint (dd_text_dash_len ("\u2016"), ==, 0);    /* double vertical line */
}

static void
test_fold_words (void)
{
  g_auto(GStrv) stop = dd_text_fold_words ("  STOP! please");
  g_auto(GStrv) name = dd_text_fold_words ("ŻÓŁKIEWSKI,Łukasz");
  g_auto(GStrv) none = dd_text_fold_words (" -- ");
  const char * const want_stop[] = { "stop", "please", NULL };
  const char * const want_name[] = { "żółkiewski", "łukasz", NULL };

  g_assert_true (g_strv_equal ((const char * const *) stop, want_stop));
  g_assert_true (g_strv_equal ((const char * const *) name, want_name));
  g_assert_null (none[0]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dd/text-scan/blank-len", test_blank_len);
  g_test_add_func ("/dd/text-scan/trim", test_trim);
  g_test_add_func ("/dd/text-scan/dash-len", test_dash_len);
  g_test_add_func ("/dd/text-scan/fold-words", test_fold_words);
  return g_test_run ();
}
