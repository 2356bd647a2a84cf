/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dd-text-scan.h"

GStrv
dd_text_fold_words (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_autoptr(GStrvBuilder) words = g_strv_builder_new ();
  g_autoptr(GString) word = g_string_new (NULL);

  for (const char *p = folded; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_isalnum (c))
        g_string_append_unichar (word, c);
      else if (word->len > 0)
        {
          g_strv_builder_add (words, word->str);
          g_string_truncate (word, 0);
        }
      if (c == 0)
        break;
    }
  return g_strv_builder_end (words);
}
