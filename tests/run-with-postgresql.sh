#!/bin/sh
# Runs a test against a throw-away PostgreSQL cluster: initdb in a temporary folder, the
# server on a Unix socket in it (no TCP, no system service), DD_TEST_POSTGRESQL set to its
# address for the test, everything removed afterwards.
#   run-with-postgresql.sh COMMAND [ARGS…]
# Skips (exit 77) where PostgreSQL's server programs are not installed.
set -u
bin=""
for d in /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && bin="$d"
done
if [ -z "$bin" ]; then
  echo "# PostgreSQL server programs not installed (package postgresql)"
  exit 77
fi

dir="$(mktemp -d /tmp/dd-pg-XXXXXX)"
run_as=""
user="$(id -un)"
# initdb refuses to run as root: the cluster then belongs to the postgres user.
if [ "$(id -u)" = 0 ]; then
  user=postgres
  chown "$user" "$dir"
  run_as="runuser -u $user --"
fi
cleanup() {
  $run_as "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

$run_as "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust -E UTF8 --locale=C.UTF-8 \
  >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log"; exit 1; }
options="-k $dir -c listen_addresses='' -c fsync=off -c max_connections=60"
$run_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$options" start \
  >/dev/null || { cat "$dir/server.log"; exit 1; }

# For the tests of a lost connection: "$DD_TEST_POSTGRESQL_CTL stop|start" stops the server
# (fast: connections are cut) and starts it again on the same socket.
cat >"$dir/ctl.sh" <<EOF
#!/bin/sh
case "\$1" in
  stop) exec $run_as "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null ;;
  start) exec $run_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \\
           -o "$options" start >/dev/null ;;
esac
exit 2
EOF
chmod +x "$dir/ctl.sh"
export DD_TEST_POSTGRESQL_CTL="$dir/ctl.sh"

export DD_TEST_POSTGRESQL="postgresql:///postgres?host=$dir&user=$user"
"$@"
status=$?
[ $status -ne 0 ] && tail -n 20 "$dir/server.log" >&2
exit $status
