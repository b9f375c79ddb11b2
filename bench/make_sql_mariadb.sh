#!/usr/bin/env bash
# Writes the scripts the `mariadb` client runs as jsorm's lower bound on MariaDB: every
# statement jsorm's own session sent, captured from the server's general query log.
#
#   bench/make_sql_mariadb.sh JSORM MODULE N OUTDIR CLIENT_CNF URL
#
#   OUTDIR/mariadb_N.sql           what `jsorm migrate` sent to an empty database
#   OUTDIR/mariadb_rollback_N.sql  what `jsorm db:rollback --force` sent to the migrated one
#   OUTDIR/mariadb_status_N.sql    what `jsorm migrate:status` sent to the migrated one
#
# Why the general log and not `--dry-run`: on MySQL/MariaDB jsorm journals each statement
# inside a compound statement (`BEGIN NOT ATOMIC <ddl>; INSERT INTO ..._steps ...; END`)
# with a per-step checksum, and a rollback ends each migration with a journal DELETE; the
# dry-run listing shows the DDL only. The log has the exact text of every round trip,
# including the lock, the table probes and the tracking/journal reads, so the client
# replays jsorm's session statement for statement.
#
# Each file starts with `delimiter //` and ends each statement with ` //`: the client then
# sends a compound statement (which holds `;`) as one query, as jsorm does.
# URL is jsorm's mysql:// URL of database `bench` (used for the capture and left empty);
# CLIENT_CNF is a client option file ([client] user, password, host, port) for the same
# server, used with --defaults-file so no ~/.my.cnf is read. The server must let that user
# SET GLOBAL general_log (scripts/mariadb-test-server.sh's user has ALL on *.*).
#
# Checked: after the client runs mariadb_N.sql, `jsorm migrate:status` must find every
# migration applied and unchanged; after mariadb_rollback_N.sql no bench_% table and no
# tracking or journal row may be left.
set -euo pipefail
here=$(cd -- "$(dirname -- "$0")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

[[ $# -eq 6 ]] || {
  echo "usage: $0 JSORM MODULE N OUTDIR CLIENT_CNF URL" >&2
  exit 2
}
jsorm=$1
module=$2
n=$3
out=$4
cnf=$5
url=$6
db=${url##*/}
mkdir -p -- "$out"

client() { mariadb --defaults-file="$cnf" --batch "$@"; }

# capture FILE CMD...: runs CMD with the general log on and writes the queries of the
# connections that ran jsorm's first query (SELECT @@GLOBAL.wsrep_on) to FILE.
capture() {
  local file=$1
  shift
  client -e "SET GLOBAL general_log = OFF; SET GLOBAL log_output = 'TABLE'; TRUNCATE mysql.general_log;
             SET GLOBAL general_log = ON"
  local rc=0
  "$@" >/dev/null || rc=$?
  client -e "SET GLOBAL general_log = OFF"
  # 10 is migrate:status's "not current": only the rollback capture may leave that behind.
  [[ $rc -eq 0 ]] || bench_die "capturing $file: $* exited $rc"
  # The CSV table keeps insertion order, which is the order the server ran them in.
  {
    echo 'delimiter //'
    client -N --raw -e "SELECT CONCAT(argument, ' //') FROM mysql.general_log WHERE command_type = 'Query' AND
      thread_id IN (SELECT thread_id FROM mysql.general_log WHERE argument = 'SELECT @@GLOBAL.wsrep_on')"
  } >"$file"
  client -e "TRUNCATE mysql.general_log"
}

statements() { grep -c ' //$' "$1"; }
count_where() { client -N -e "$1" "$db"; }

fresh() { client -e "DROP DATABASE IF EXISTS \`$db\`; CREATE DATABASE \`$db\`"; }

# --- migrate --------------------------------------------------------------------------
fresh
capture "$out/mariadb_$n.sql" "$jsorm" migrate "$module" benchSource --url "$url" --quiet
got=$(statements "$out/mariadb_$n.sql")
# Per migration: 2 journaled units, START TRANSACTION, tracking INSERT, journal DELETE, COMMIT.
((got >= 6 * n)) || bench_die "mariadb_$n.sql has $got statements, expected at least $((6 * n))"
[[ $(grep -c '^BEGIN NOT ATOMIC .*INSERT INTO `jsorm_migrations_steps`.* END //$' "$out/mariadb_$n.sql") -eq $((2 * n)) ]] ||
  bench_die "mariadb_$n.sql does not hold $((2 * n)) journaled units"
fresh
client "$db" <"$out/mariadb_$n.sql" >/dev/null
rc=0
"$jsorm" migrate:status "$module" benchSource --url "$url" --quiet >/dev/null || rc=$?
[[ $rc -eq 0 ]] || bench_die "after the client ran mariadb_$n.sql, jsorm migrate:status exited $rc (expected 0: all applied, unchanged)"

# --- status (read-only, on the migrated database) --------------------------------------
capture "$out/mariadb_status_$n.sql" "$jsorm" migrate:status "$module" benchSource --url "$url"

# --- rollback -------------------------------------------------------------------------
capture "$out/mariadb_rollback_$n.sql" "$jsorm" db:rollback "$module" benchSource --url "$url" --force --quiet
got=$(statements "$out/mariadb_rollback_$n.sql")
((got >= 8 * n)) || bench_die "mariadb_rollback_$n.sql has $got statements, expected at least $((8 * n))"
fresh
client "$db" <"$out/mariadb_$n.sql" >/dev/null
client "$db" <"$out/mariadb_rollback_$n.sql" >/dev/null
left=$(count_where "SELECT (SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 'bench\\_%')
  + (SELECT count(*) FROM jsorm_migrations) + (SELECT count(*) FROM jsorm_migrations_steps)")
[[ $left -eq 0 ]] || bench_die "mariadb_rollback_$n.sql left $left tables or rows behind"
fresh
echo "$out: mariadb_$n.sql mariadb_rollback_$n.sql mariadb_status_$n.sql"
