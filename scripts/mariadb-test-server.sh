#!/usr/bin/env bash
# A throwaway MariaDB 10.11 server for tests, without systemd or any my.cnf: loopback
# only, on a free port, user jsorm (all privileges on *.*: tests create databases) with
# password authentication, database jsorm_test. The password is
# $JSORM_TEST_MYSQL_PASSWORD, else 32 random hex digits: never a word that can occur in a
# path or a message by chance (scripts/test.sh searches all output for it).
#
#   scripts/mariadb-test-server.sh start DIR          prints the URL; also writes DIR/env
#   scripts/mariadb-test-server.sh createdb DIR NAME  another database, e.g. one per test
#   scripts/mariadb-test-server.sh stop DIR           stops the server and removes DIR
#
# DIR/env: JSORM_TEST_MYSQL_URL (mysql://jsorm:PASSWORD@127.0.0.1:PORT/jsorm_test),
# JSORM_TEST_MYSQL_PORT, JSORM_TEST_MYSQL_SOCKET, JSORM_TEST_MYSQL_PASSWORD.
#
# Run as root, the server runs as the `mysql` system user; run as anyone else, it runs as
# that user.
#
# Measured on a 2-core machine: start takes 0.7-0.9 s when the machine is otherwise idle
# (0.6 s of it mariadb-install-db; the server answers 0.2 s after its launch), 1.8 s with
# cold caches, 4-5 s while a C++ build runs alongside; stop takes 0.15 s.
set -euo pipefail

TOOL=mariadb-test-server
# Marks a directory as ours, so `stop` never removes a directory it did not create.
MARKER=.jsorm-mariadb-test-server
# shellcheck source=scripts/lib/mariadb.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/mariadb.sh"

usage() {
  echo "usage: $0 start DIR | stop DIR | createdb DIR NAME" >&2
  exit 2
}

find_running() {
  if [[ -n "$(server_pid "$1")" ]]; then
    echo "port $(env_value "$1" JSORM_TEST_MYSQL_PORT 2>/dev/null || true)"
  fi
}

cmd_start() {
  mariadb_check_installed
  local password
  password=$(test_password JSORM_TEST_MYSQL_PASSWORD)
  claim_dir "$1" /sock
  init_node "$DIR"

  # Another process may take the port between the probe and the bind: try a few.
  local port attempt logged status
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    logged=0
    [[ ! -f "$DIR/server.log" ]] || logged=$(wc -l <"$DIR/server.log")
    launch_server "$DIR" "$port"
    status=0
    wait_server "$DIR" 60 || status=$?
    [[ $status -ne 0 ]] || break
    if [[ $status -eq 2 ]]; then
      die "the server did not answer within 60 s; see $DIR/server.log: $(log_errors "$DIR")"
    fi
    if ! tail -n +$((logged + 1)) "$DIR/server.log" | grep -q 'Address already in use' || [[ $attempt -eq 5 ]]; then
      die "the server did not start; see $DIR/server.log: $(log_errors "$DIR")"
    fi
  done

  create_user_and_database "$DIR" "$password"
  local out
  out=$(user_sql "$port" "$password" 'SELECT 1' 2>&1) ||
    die "user $MARIADB_SUPERUSER cannot log in over TCP: $(sql_error "$out")"

  local url
  url=$(make_url "$password" "$port")
  (umask 077 && printf 'JSORM_TEST_MYSQL_URL=%s\nJSORM_TEST_MYSQL_PORT=%s\nJSORM_TEST_MYSQL_SOCKET=%s\nJSORM_TEST_MYSQL_PASSWORD=%s\n' \
    "$url" "$port" "$DIR/sock" "$password" >"$DIR/env")
  START_OK=yes
  echo "$url"
}

cmd_createdb() {
  local dir=$1 name=$2 port password out
  port=$(env_value "$dir" JSORM_TEST_MYSQL_PORT)
  [[ -n "$port" ]] || die "$dir/env has no JSORM_TEST_MYSQL_PORT"
  password=$(env_value "$dir" JSORM_TEST_MYSQL_PASSWORD)
  if ! out=$(user_sql "$port" "$password" "CREATE DATABASE \`${name//\`/\`\`}\`" 2>&1); then
    die "cannot create database $name: $(sql_error "$out")"
  fi
}

cmd_stop() {
  release_dir "$1"
  stop_server "$DIR"
  rm -rf -- "$DIR"
}

[[ $# -ge 1 ]] || usage
case "$1" in
  start) [[ $# -eq 2 ]] || usage; cmd_start "$2" ;;
  stop) [[ $# -eq 2 ]] || usage; cmd_stop "$2" ;;
  createdb) [[ $# -eq 3 ]] || usage; cmd_createdb "$2" "$3" ;;
  *) usage ;;
esac
