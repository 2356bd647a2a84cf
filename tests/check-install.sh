#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `meson install` into a temporary directory works and the installed app starts:
#   check-install.sh BUILD-DIR SOURCE-DIR APPLICATION-ID
# Installs with --destdir, checks that the desktop file, metainfo, icons, schema, translations
# (pl, ru), help and man page land where a desktop expects them, runs the installed
# dunning-desk-cli (--version, a demo office) and the installed GUI for a few seconds in the X
# server of the test run (or its own Xvfb), and checks that its window appeared and that it
# stayed up.
set -eu

build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
app_id=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dd-install.XXXXXX")
cleanup () {
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

fail () {
  echo "FAIL: $*" >&2
  exit 1
}

meson install -C "$build" --no-rebuild --quiet --destdir "$tmp/dest" > "$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log" >&2; fail "meson install --destdir failed"; }

prefix=$(meson introspect "$build" --buildoptions |
         python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
root="$tmp/dest$prefix"
share="$root/share"
echo "# installed into $root"

expect () {
  [ -s "$root/$1" ] || fail "$1 is not installed"
  echo "ok - $1"
}

expect bin/dunning-desk
expect bin/dunning-desk-cli
expect "share/applications/$app_id.desktop"
expect "share/metainfo/$app_id.metainfo.xml"
expect "share/icons/hicolor/scalable/apps/$app_id.svg"
expect "share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
expect "share/glib-2.0/schemas/$app_id.gschema.xml"
expect share/man/man1/dunning-desk-cli.1
expect share/help/C/dunning-desk/index.page
for lang in pl ru; do
  expect "share/locale/$lang/LC_MESSAGES/dunning-desk.mo"
  grep -q "^Keywords\[$lang\]=" "$share/applications/$app_id.desktop" ||
    fail "the installed desktop file has no Keywords[$lang]"
done
for lang in $(grep -v '^#' "$src/help/LINGUAS" || true); do
  expect "share/help/$lang/dunning-desk/index.page"
done
# the help as HTML, for a computer without a help viewer (the app opens it in the browser)
if command -v yelp-build >/dev/null 2>&1; then
  for lang in C $(grep -v '^#' "$src/help/LINGUAS" || true); do
    expect "share/dunning-desk/help/$lang/index.html"
    expect "share/dunning-desk/help/$lang/payments.html"
  done
fi

if command -v desktop-file-validate >/dev/null 2>&1; then
  desktop-file-validate "$share/applications/$app_id.desktop" || fail "desktop file invalid"
fi
if command -v appstreamcli >/dev/null 2>&1; then
  appstreamcli validate --no-net "$share/metainfo/$app_id.metainfo.xml" > "$tmp/as.log" 2>&1 ||
    { cat "$tmp/as.log" >&2; fail "installed metainfo invalid"; }
fi
if command -v man >/dev/null 2>&1; then
  MANWIDTH=80 man -l "$root/share/man/man1/dunning-desk-cli.1" 2>"$tmp/man.err" |
    grep -q "dunning-desk-cli" || fail "the man page does not render"
  [ ! -s "$tmp/man.err" ] || { cat "$tmp/man.err" >&2; fail "man warns about the man page"; }
fi

# The man page names every command the installed CLI offers (in its COMMANDS section, where
# each entry starts at the tag indentation of man's output).
if command -v man >/dev/null 2>&1; then
  MANWIDTH=200 man -l "$root/share/man/man1/dunning-desk-cli.1" 2>/dev/null |
    sed -n '/^COMMANDS/,/^[A-Z]/p' > "$tmp/man-commands.txt"
  LC_ALL=C.UTF-8 "$root/bin/dunning-desk-cli" --help |
    sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p' > "$tmp/commands.txt"
  [ -s "$tmp/commands.txt" ] || fail "dunning-desk-cli --help lists no commands"
  while read -r command; do
    grep -Eq "^ {7}$command( |\$)" "$tmp/man-commands.txt" ||
      fail "the man page (data/dunning-desk-cli.1) does not describe the command '$command'"
  done < "$tmp/commands.txt"
  echo "ok - the man page describes all $(wc -l < "$tmp/commands.txt") commands"
fi

# The installed CLI runs.
version=$("$root/bin/dunning-desk-cli" --version)
[ "$version" = "dunning-desk-cli $(meson introspect "$build" --projectinfo |
                python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')" ] ||
  fail "unexpected --version: $version"
echo "ok - $version"
"$root/bin/dunning-desk-cli" demo-office --debtors 12 --database "$tmp/office.db" \
  > "$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log" >&2; fail "installed CLI: demo-office failed"; }
echo "ok - installed CLI created a demo office"

# The installed GUI starts with the installed schema and data, and stays up.
mkdir -p "$tmp/schemas" "$tmp/home" "$tmp/config" "$tmp/cache" "$tmp/runtime"
chmod 700 "$tmp/runtime"
glib-compile-schemas --targetdir="$tmp/schemas" "$share/glib-2.0/schemas"
cat > "$tmp/run-gui.sh" <<'GUI'
#!/bin/sh
# $1 = installed binary, $2 = database, $3 = seconds to stay up, $4 = pid file
"$1" --database "$2" > "$TMPDIR_GUI/gui.log" 2>&1 &
pid=$!
echo "$pid" > "$4"
found=
i=0
while [ $i -lt 60 ]; do
  kill -0 "$pid" 2>/dev/null || { echo "FAIL: the installed app exited" >&2; exit 1; }
  if xdotool search --onlyvisible --pid "$pid" >/dev/null 2>&1 ||
     xdotool search --onlyvisible --name "Dunning Desk" >/dev/null 2>&1; then
    found=1
    break
  fi
  sleep 0.5
  i=$((i + 1))
done
[ -n "$found" ] || { echo "FAIL: no window of the installed app appeared" >&2; kill "$pid"; exit 1; }
echo "ok - the installed app shows its window"
sleep "$3"
kill -0 "$pid" 2>/dev/null || { echo "FAIL: the installed app did not stay up" >&2; exit 1; }
kill "$pid"
wait "$pid" 2>/dev/null || true
echo "ok - the installed app stayed up for $3 s"
GUI
chmod +x "$tmp/run-gui.sh"

export TMPDIR_GUI="$tmp"
export GSETTINGS_SCHEMA_DIR="$tmp/schemas" GSETTINGS_BACKEND=memory
export XDG_DATA_DIRS="$share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/home/data" \
       XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/runtime"
export GDK_BACKEND=x11 GDK_DEBUG=gl-disable GSK_RENDERER=cairo GTK_A11Y=none NO_AT_BRIDGE=1 \
       ADW_DISABLE_PORTAL=1
# the app is killed after the check: LeakSanitizer has nothing to say about that
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
status=0
if [ -n "${DISPLAY:-}" ]; then
  "$tmp/run-gui.sh" "$root/bin/dunning-desk" "$tmp/office.db" 3 "$tmp/gui.pid" || status=$?
else
  xvfb-run -a -s "-screen 0 1280x800x24" \
    "$tmp/run-gui.sh" "$root/bin/dunning-desk" "$tmp/office.db" 3 "$tmp/gui.pid" || status=$?
fi
if [ "$status" -ne 0 ]; then
  cat "$tmp/gui.log" >&2
  exit 1
fi
echo "PASS: installed into a temporary prefix; the installed CLI and GUI run"
