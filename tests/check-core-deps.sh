#!/bin/sh
# The core is the part every test drives headless: it must not link GTK, libadwaita,
# libsoup or libre/librem (DESIGN.md §2). Checks the static library's undefined symbols
# and the shared libraries a core-only executable loads.
#   check-core-deps.sh LIBDD_CORE_A CORE_ONLY_EXECUTABLE
set -eu
lib="$1"
exe="$2"
fail=0

echo "1..2"
bad_symbols=$(nm -u "$lib" 2>/dev/null | awk '{print $2}' |
  grep -E '^(gtk_|gdk_|adw_|soup_|sip_|sipsess_|rtp_|re_main|libre_init|mqueue_|aufile_|gst_)' |
  sort -u || true)
if [ -n "$bad_symbols" ]; then
  echo "not ok 1 - dd-core references UI/network/SIP symbols:"
  echo "$bad_symbols" | sed 's/^/# /'
  fail=1
else
  echo "ok 1 - dd-core references no GTK, libsoup, libre or GStreamer symbol"
fi

bad_libs=$(ldd "$exe" | grep -E 'libgtk|libadwaita|libsoup|libre\.so|librem\.so|libgst' || true)
if [ -n "$bad_libs" ]; then
  echo "not ok 2 - a core-only program loads:"
  echo "$bad_libs" | sed 's/^/# /'
  fail=1
else
  echo "ok 2 - a core-only program loads no GTK, libsoup, libre or GStreamer library"
fi
exit $fail
