#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Finds translatable strings that xgettext cannot see, so that they would stay English:
#  - a gettext call (_ N_ C_ NC_ ngettext g_dngettext …) inside a #define: the strings are the
#    macro's arguments, never the call's;
#  - a plural call (ngettext, g_dngettext) whose message is not a string literal;
#  - a literal glued to a macro inside a call (_("Total: %" G_GINT64_FORMAT)): xgettext knows
#    only the <inttypes.h> PRI… macros.
#   check-gettext-calls.sh [SOURCE-ROOT]
set -u

root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2

find src -type f \( -name '*.c' -o -name '*.h' -o -name '*.cpp' \) | LC_ALL=C sort | xargs perl -0777 -ne '
  my $file = $ARGV;
  my $text = $_;
  my $calls = qr/(?<![A-Za-z0-9_])(?:N_|C_|NC_|Q_|_|ngettext|g_dngettext|g_dpgettext2?|dngettext)\s*\(/;
  my $bad = 0;

  # 1. #define bodies (with their continuation lines)
  while ($text =~ /^[ \t]*#[ \t]*define(?:[^\\\n]|\\[^\n]|\\\n)*/mg) {
    my $define = $&;
    my $start = $-[0];
    next if $define =~ /^[ \t]*#[ \t]*define[ \t]+(?:_|N_|C_|NC_|Q_|GETTEXT_PACKAGE)\b/;
    if ($define =~ $calls) {
      my $line = 1 + (() = substr($text, 0, $start) =~ /\n/g);
      print "$file:$line: a gettext call inside a macro: xgettext does not see its strings\n";
      $bad = 1;
    }
  }
  # 2. plurals whose message is not a literal
  while ($text =~ /(?<![A-Za-z0-9_])(ngettext|g_dngettext|dngettext)\s*\(\s*(?:(?:GETTEXT_PACKAGE|NULL)\s*,\s*)?(?!(?:GETTEXT_PACKAGE|NULL)\s*,)([^\s"])/g) {
    my ($call, $start) = ($1, $-[0]);
    my $line = 1 + (() = substr($text, 0, $start) =~ /\n/g);
    print "$file:$line: $call with a message that is not a string literal\n";
    $bad = 1;
  }
  # 3. a literal glued to a macro other than PRI…
  while ($text =~ /(?<![A-Za-z0-9_])(?:N_|C_|NC_|_|ngettext|g_dngettext)\s*\((?:\s*(?:GETTEXT_PACKAGE|"[^"\n]*")\s*,)?\s*"(?:[^"\\\n]|\\.)*"\s*([A-Z][A-Za-z0-9_]*)/g) {
    my ($macro, $start) = ($1, $-[0]);
    next if $macro =~ /^PRI[diouxX](?:8|16|32|64|MAX|PTR|LEAST\d+|FAST\d+)$/;
    my $line = 1 + (() = substr($text, 0, $start) =~ /\n/g);
    print "$file:$line: a translatable literal glued to the macro $macro\n";
    $bad = 1;
  }
  $status = 1 if $bad;
  END { exit($status // 0) }
' || exit 1
