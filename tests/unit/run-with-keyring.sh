#!/bin/sh
# Runs a test with a private D-Bus session and an unlocked GNOME keyring in a temporary
# data directory, so that libsecret stores into a throw-away keyring.
set -eu
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT INT TERM
export XDG_DATA_HOME="$dir/data" XDG_RUNTIME_DIR="$dir/run" HOME="$dir/home"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" "$HOME"
chmod 700 "$XDG_RUNTIME_DIR"
exec dbus-run-session -- sh -c '
  # the daemon is not ours to check: without the test environment'"'"'s malloc debugging
  eval "$(printf test | env -u MALLOC_CHECK_ -u MALLOC_PERTURB_ -u G_DEBUG \
          gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  "$@"
  status=$?
  kill "$GNOME_KEYRING_PID" 2>/dev/null || true
  exit $status' sh "$@"
