#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a UI test in a private headless X server with its own session bus and throw-away
# HOME and XDG directories, so that nothing is read from or written to the real home.
#   run-under-xvfb.sh TEST-EXECUTABLE [ARGS...]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dd-ui-test.XXXXXX")

cleanup () {
  # a document portal started on the private bus may have mounted itself here
  if command -v fusermount >/dev/null 2>&1; then
    fusermount -u -z "$tmp/runtime/doc" >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

export HOME="$tmp/home"
export XDG_CONFIG_HOME="$tmp/config"
export XDG_DATA_HOME="$tmp/data"
export XDG_CACHE_HOME="$tmp/cache"
export XDG_STATE_HOME="$tmp/state"
export XDG_RUNTIME_DIR="$tmp/runtime"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" \
         "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

export GDK_BACKEND=x11
# no OpenGL: the tests draw with cairo. Mesa's EGL, probed when GTK opens the display, leaves
# an allocation behind in its software driver (seen with Debian 12's mesa 22.3), which
# LeakSanitizer reports as a leak in every UI test.
export GDK_DEBUG=gl-disable
export GSK_RENDERER=cairo
export GTK_A11Y=none
export NO_AT_BRIDGE=1
export ADW_DISABLE_PORTAL=1
export GSETTINGS_BACKEND=memory
# caches of the libraries below GTK that live until exit (AddressSanitizer builds)
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$here/lsan-ui.supp:print_suppressions=0"

run () {
  status=0
  # a throw-away GNOME keyring on the private bus, for what the app keeps in it (libsecret)
  dbus-run-session -- sh -c '
    if command -v gnome-keyring-daemon >/dev/null 2>&1; then
      eval "$(printf test | env -u MALLOC_CHECK_ -u MALLOC_PERTURB_ -u G_DEBUG \
              gnome-keyring-daemon --unlock --components=secrets)" || true
    fi
    xvfb-run -a -s "-screen 0 1280x800x24" "$@"
    status=$?
    [ -n "${GNOME_KEYRING_PID:-}" ] && kill "$GNOME_KEYRING_PID" 2>/dev/null
    exit $status' sh "$@" \
    > "$tmp/stdout" 2> "$tmp/stderr" || status=$?
}

run "$@"
# LeakSanitizer's own tracer sometimes crashes while it stops the threads at exit ("Tracer
# caught signal 11 … LeakSanitizer has encountered a fatal error"), after every test passed:
# a failure of the tool, not of the test, so that case alone is run once more.
if [ "$status" -ne 0 ] && grep -q "LeakSanitizer has encountered a fatal error" "$tmp/stderr"; then
  echo "# LeakSanitizer's tracer failed; running the test once more" >&2
  cat "$tmp/stderr" >&2
  run "$@"
fi
cat "$tmp/stdout"
cat "$tmp/stderr" >&2
exit $status
