#!/bin/sh
# The core is the part every test drives headless: it must not link GTK, libadwaita,
# libsoup or libre/librem (DESIGN.md §2). Checks the static library's undefined symbols
# and the shared libraries a core-only executable loads.
#   check-core-deps.sh LIBDD_CORE_A CORE_ONLY_EXECUTABLE
# With --gtk-only, checks only for GTK and libadwaita: the views' step logic (dd-ui-logic) uses
# the gateways and telephony, but no widget.
#   check-core-deps.sh --gtk-only LIBDD_UI_LOGIC_A LOGIC_ONLY_EXECUTABLE
set -eu
symbols='^(gtk_|gdk_|adw_|soup_|sip_|sipsess_|rtp_|re_main|libre_init|mqueue_|aufile_|gst_)'
libs='libgtk|libadwaita|libsoup|libre\.so|librem\.so|libgst'
what="GTK, libsoup, libre or GStreamer"
if [ "${1:-}" = "--gtk-only" ]; then
  shift
  symbols='^(gtk_|gdk_|adw_)'
  libs='libgtk|libadwaita'
  what="GTK or libadwaita"
fi
lib="$1"
exe="$2"
name=$(basename "$lib" .a | sed 's/^lib//')
fail=0

echo "1..2"
bad_symbols=$(nm -u "$lib" 2>/dev/null | awk '{print $2}' |
  grep -E "$symbols" |
  sort -u || true)
if [ -n "$bad_symbols" ]; then
  echo "not ok 1 - $name references symbols it may not use:"
  echo "$bad_symbols" | sed 's/^/# /'
  fail=1
else
  echo "ok 1 - $name references no $what symbol"
fi

bad_libs=$(ldd "$exe" | grep -E "$libs" || true)
if [ -n "$bad_libs" ]; then
  echo "not ok 2 - a program of $name only loads:"
  echo "$bad_libs" | sed 's/^/# /'
  fail=1
else
  echo "ok 2 - a program of $name only loads no $what library"
fi
exit $fail
