#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests: loopback only, on a free port, password
# (SCRAM) authentication, superuser jsorm owning database jsorm_test. The password is
# $JSORM_TEST_PG_PASSWORD, else 32 random hex digits: never a word that can occur in a
# path or a message by chance (scripts/test.sh searches all output for it).
#
#   scripts/pg-test-cluster.sh start DIR          prints the URL; also writes DIR/env
#   scripts/pg-test-cluster.sh createdb DIR NAME  another database, e.g. one per test
#   scripts/pg-test-cluster.sh stop DIR           stops the server and removes DIR
#
# Run as root, the server runs as the `postgres` system user (PostgreSQL refuses root);
# run as anyone else, it runs as that user.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
readonly PG_SUPERUSER=jsorm
readonly PG_DATABASE=jsorm_test
# Marks a directory as ours, so `stop` never removes a directory it did not create.
readonly MARKER=.jsorm-pg-test-cluster
START_DIR=""
START_OK=yes

# shellcheck source=scripts/lib/loopback.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/loopback.sh"

die() {
  echo "pg-test-cluster: $*" >&2
  exit 1
}

usage() {
  echo "usage: $0 start DIR | stop DIR | createdb DIR NAME" >&2
  exit 2
}

# Runs a server-side command as the cluster's owner.
as_owner() {
  if [[ $EUID -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

env_value() {
  local dir=$1 key=$2
  [[ -f "$dir/env" ]] || die "no cluster in $dir (no $dir/env); start one with: $0 start $dir"
  sed -n "s/^$key=//p" "$dir/env"
}

cleanup_failed_start() {
  [[ -z "$START_OK" ]] || return 0
  if [[ -f "$START_DIR/data/postmaster.pid" ]]; then
    as_owner "$PG_BIN/pg_ctl" stop -D "$START_DIR/data" -m immediate >/dev/null 2>&1 || true
  fi
  rm -rf -- "$START_DIR/data" "$START_DIR/pwfile" "$START_DIR/env"
}

cmd_start() {
  local dir=$1
  for tool in initdb pg_ctl pg_isready createdb; do
    [[ -x "$PG_BIN/$tool" ]] ||
      die "PostgreSQL 15 is not installed ($PG_BIN/$tool is missing); run scripts/install-deps.sh"
  done
  if [[ $EUID -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    die "no 'postgres' system user to run the server as; run scripts/install-deps.sh (it installs postgresql)"
  fi

  if [[ -e "$dir" ]]; then
    if [[ -f "$dir/$MARKER" ]]; then
      if [[ -f "$dir/data/PG_VERSION" ]] && as_owner "$PG_BIN/pg_ctl" status -D "$dir/data" >/dev/null 2>&1; then
        die "a test cluster is already running in $dir (port $(env_value "$dir" JSORM_TEST_PG_PORT)); stop it first: $0 stop $dir"
      fi
      die "$dir holds a stopped or failed test cluster; remove it first: $0 stop $dir"
    fi
    [[ -d "$dir" && -z "$(ls -A -- "$dir")" ]] || die "$dir exists and is not an empty directory; pick a new one"
  fi
  dir=$(absolute "$dir")
  # The server's Unix socket lives in DIR; sun_path holds at most 107 bytes.
  (( ${#dir} + 18 <= 107 )) || die "$dir is too long for a Unix socket path; use a shorter directory (e.g. under /tmp)"
  touch "$dir/$MARKER"
  cd "$dir"  # the server user may not be able to read the caller's working directory

  if [[ $EUID -eq 0 ]]; then
    chown postgres: "$dir"
    runuser -u postgres -- test -w "$dir" ||
      die "the postgres user cannot reach $dir (a parent directory is not searchable); use a directory under /tmp"
  fi

  # On any failure below, leave nothing running and no half-made cluster behind; the
  # marker and the server log stay, so `stop DIR` removes the rest.
  START_DIR=$dir
  START_OK=""
  trap cleanup_failed_start EXIT

  PG_PASSWORD=${JSORM_TEST_PG_PASSWORD:-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}
  (umask 077 && printf '%s\n' "$PG_PASSWORD" >"$dir/pwfile")
  [[ $EUID -ne 0 ]] || chown postgres: "$dir/pwfile"
  if ! as_owner "$PG_BIN/initdb" -D "$dir/data" --username="$PG_SUPERUSER" --pwfile="$dir/pwfile" \
      --auth=scram-sha-256 --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1; then
    die "initdb failed; see $dir/initdb.log: $(tail -n 3 "$dir/initdb.log" | tr '\n' ' ')"
  fi
  rm -f -- "$dir/pwfile" "$dir/initdb.log"

  cat >"$dir/data/pg_hba.conf" <<EOF
local all all scram-sha-256
host  all all 127.0.0.1/32 scram-sha-256
EOF
  cat >>"$dir/data/postgresql.conf" <<EOF

# pg-test-cluster.sh
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
EOF

  # Another process may take the port between the probe and the bind: try a few.
  local port attempt out
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    if out=$(as_owner "$PG_BIN/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "-p $port" 2>&1); then
      break
    fi
    if ! grep -q "could not bind\|could not create listen socket" "$dir/server.log" 2>/dev/null || [[ $attempt -eq 5 ]]; then
      [[ ! -s "$dir/server.log" ]] || out=$(tail -n 3 "$dir/server.log")
      die "the server did not start (see $dir/server.log): $(tr '\n' ' ' <<<"$out")"
    fi
  done

  local waited
  for waited in $(seq 1 60); do
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" && break
    if [[ $waited -eq 60 ]]; then
      die "the server on port $port did not accept connections within 30 s; see $dir/server.log"
    fi
    sleep 0.5
  done

  local out
  if ! out=$(PGPASSWORD=$PG_PASSWORD "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U "$PG_SUPERUSER" \
      -O "$PG_SUPERUSER" "$PG_DATABASE" 2>&1); then
    die "cannot create database $PG_DATABASE: $out"
  fi

  local url="postgres://$PG_SUPERUSER:$PG_PASSWORD@127.0.0.1:$port/$PG_DATABASE"
  (umask 077 && printf 'JSORM_TEST_PG_URL=%s\nJSORM_TEST_PG_PORT=%s\nJSORM_TEST_PG_PASSWORD=%s\n' "$url" "$port" \
    "$PG_PASSWORD" >"$dir/env")
  START_OK=yes
  echo "$url"
}

cmd_createdb() {
  local dir=$1 name=$2 port out
  port=$(env_value "$dir" JSORM_TEST_PG_PORT)
  [[ -n "$port" ]] || die "$dir/env has no JSORM_TEST_PG_PORT"
  PG_PASSWORD=$(env_value "$dir" JSORM_TEST_PG_PASSWORD)
  if ! out=$(PGPASSWORD=$PG_PASSWORD "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U "$PG_SUPERUSER" \
      -O "$PG_SUPERUSER" -- "$name" 2>&1); then
    die "cannot create database $name: $out"
  fi
}

cmd_stop() {
  local dir=$1
  [[ -d "$dir" ]] || die "no test cluster in $dir (it does not exist)"
  [[ -f "$dir/$MARKER" ]] || die "$dir was not made by $0 start; not touching it"
  dir=$(absolute "$dir")
  cd /
  if [[ -f "$dir/data/PG_VERSION" ]] && as_owner "$PG_BIN/pg_ctl" status -D "$dir/data" >/dev/null 2>&1; then
    local out
    out=$(as_owner "$PG_BIN/pg_ctl" stop -D "$dir/data" -m fast -w -t 60 2>&1) ||
      die "cannot stop the server in $dir: $out"
  fi
  rm -rf -- "$dir"
}

[[ $# -ge 1 ]] || usage
case "$1" in
  start) [[ $# -eq 2 ]] || usage; cmd_start "$2" ;;
  stop) [[ $# -eq 2 ]] || usage; cmd_stop "$2" ;;
  createdb) [[ $# -eq 3 ]] || usage; cmd_createdb "$2" "$3" ;;
  *) usage ;;
esac
