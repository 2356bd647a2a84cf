#!/bin/sh
# make check: the whole test suite, headless.
#  1. a debug build with AddressSanitizer + UndefinedBehaviorSanitizer and -Werror, all suites
#     but bench, under Xvfb and a private D-Bus session;
#  2. a clang build of the libFuzzer targets, run briefly (suite fuzz).
# Ends with one line "N passed, N failed".
set -u
CHECKDIR="$1"
FUZZDIR="$2"
SRC="$(cd "$(dirname "$0")/.." && pwd)"
cd "$SRC"

status=0
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ ! -f "$CHECKDIR/build.ninja" ]; then
  meson setup "$CHECKDIR" --buildtype=debug -Dwerror=true \
    -Db_sanitize=address,undefined -Db_lundef=false || exit 1
fi
ninja -C "$CHECKDIR" || exit 1

# Headless hygiene: private HOME and XDG dirs, no real session bus.
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
       XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/runtime" GTK_A11Y=none NO_AT_BRIDGE=1
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
  meson test -C "$CHECKDIR" --no-suite bench --no-suite fuzz-long --print-errorlogs \
  --num-processes 2 || status=1

if command -v clang >/dev/null 2>&1; then
  if [ ! -f "$FUZZDIR/build.ninja" ]; then
    CC=clang CXX=clang++ meson setup "$FUZZDIR" --buildtype=debugoptimized -Dfuzzing=true \
      -Dui=false || exit 1
  fi
  # only the fuzz targets (they compile the code under test into themselves): the rest of a
  # second build would only cost CI time
  ninja -C "$FUZZDIR" tests/fuzz/fuzz-csv-reader tests/fuzz/fuzz-ivr-flow || exit 1
  meson test -C "$FUZZDIR" --suite fuzz --no-rebuild --print-errorlogs || status=1
fi

python3 - "$CHECKDIR" "$FUZZDIR" <<'PY'
import json, os, sys
passed = failed = skipped = 0
for d in sys.argv[1:]:
    log = os.path.join(d, "meson-logs", "testlog.json")
    if not os.path.exists(log):
        continue
    for line in open(log):
        r = json.loads(line)["result"]
        if r in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif r == "SKIP":
            skipped += 1
        else:
            failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
