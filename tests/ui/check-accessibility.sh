#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The accessibility test (check-accessibility.py) in its own headless X server and session bus,
# with the accessibility bridge on: the other UI tests (and build-aux/check.sh) turn it off
# with GTK_A11Y=none NO_AT_BRIDGE=1.
#   check-accessibility.sh APP CLI
set -eu

here=$(cd "$(dirname "$0")" && pwd)
app=$1
cli=$2

py=
for candidate in /usr/bin/python3 python3; do
  if "$candidate" -c 'import pyatspi' >/dev/null 2>&1; then
    py=$candidate
    break
  fi
done
if [ -z "$py" ] || [ ! -x /usr/libexec/at-spi-bus-launcher ] || ! command -v xdotool >/dev/null; then
  echo "1..0 # SKIP python3-pyatspi, at-spi2-core or xdotool is not installed"
  exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dd-a11y-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" \
       XDG_CACHE_HOME="$tmp/cache" XDG_STATE_HOME="$tmp/state" XDG_RUNTIME_DIR="$tmp/runtime"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" \
         "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset GTK_A11Y NO_AT_BRIDGE
export GDK_BACKEND=x11 GDK_DEBUG=gl-disable GSK_RENDERER=cairo ADW_DISABLE_PORTAL=1
export GSETTINGS_BACKEND=memory
# warnings stay fatal for the app, not for python's AT-SPI client (its "dbind" warnings)
export DD_APP_G_DEBUG="${G_DEBUG:-}"
unset G_DEBUG
# the app is ended with SIGTERM at the end: no leak report of a process killed mid-way
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

"$cli" demo-office --debtors 40 --locale pl --database "$tmp/office.db" > /dev/null

exec xvfb-run -a -s "-screen 0 1280x800x24" \
  dbus-run-session -- "$py" "$here/check-accessibility.py" "$app" "$tmp/office.db"
