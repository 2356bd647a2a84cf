#!/bin/sh
# Installs the Debian packages listed in $1 (one per line, # comments) that are missing.
set -eu
list="$1"
missing=""
for pkg in $(grep -v '^\s*#' "$list" | tr -s ' \n' ' '); do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $pkg"
  fi
done
[ -z "$missing" ] && exit 0
echo "Installing missing packages:$missing"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
