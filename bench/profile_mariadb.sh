#!/usr/bin/env bash
# Where the time of `jsorm migrate` / `db:rollback` of N migrations goes on MariaDB, next to
# the `mariadb` client replaying the same session (bench/make_sql_mariadb.sh):
#
#   bench/profile_mariadb.sh [--n N] [--build-dir DIR] [--out DIR] [--mariadb-in DIR]
#
#   OUT/round_trips.txt   statements (= round trips) of each script, by kind, per migration
#   OUT/gaps.txt          for jsorm and for the client, migrate and rollback: the time from one
#                         statement's arrival at the server to the next one's, summed by kind
#                         of statement (server work + reply + the client's turnaround), from
#                         the general log's microsecond timestamps; the log's own cost is in
#                         both sides alike
#   OUT/strace_*.txt      strace -c -f of each side (system calls: the network round trips
#                         and what the process does besides)
#   OUT/cpu.txt           user + sys CPU of each side (/usr/bin/time)
#
# Run after bench/run.sh has built DIR (default: build-bench in the source tree); needs strace.
set -euo pipefail
here=$(cd -- "$(dirname -- "$0")" && pwd)
root=$(cd -- "$here/.." && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

n=1000
build_dir=$root/build-bench
out=$here/results/mariadb/profile
parent=/tmp
while [[ $# -gt 0 ]]; do
  case "$1" in
    --n) n=$2; shift 2 ;;
    --build-dir) build_dir=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --mariadb-in) parent=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "profile_mariadb.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
jsorm=$build_dir/bin/jsorm
module=$build_dir/lib/libbench_$n.so
[[ -x $jsorm && -f $module ]] || bench_die "build jsorm, jsorm_adapter_mysql and bench_$n into $build_dir first (bench/run.sh mariadb)"
command -v strace >/dev/null || bench_die "strace is missing (apt-get install -y strace)"
mkdir -p -- "$out"
out=$(cd -- "$out" && pwd)
work=$(mktemp -d /tmp/jsorm-profile-maria.XXXXXX)
dir=$(mktemp -d "$parent/jsorm-profile-maria.XXXXXX")
rmdir -- "$dir"
cleanup() {
  [[ ! -d $dir ]] || "$root/scripts/mariadb-test-server.sh" stop "$dir" || true
  rm -rf -- "$work"
}
trap cleanup EXIT

"$root/scripts/mariadb-test-server.sh" start "$dir" >/dev/null
url=$(url_for_db "$(sed -n 's/^JSORM_TEST_MYSQL_URL=//p' "$dir/env")" bench)
cnf=$work/client.cnf
(umask 077 && printf '[client]\nuser=jsorm\npassword=%s\nhost=127.0.0.1\nport=%s\nprotocol=tcp\n' \
  "$(sed -n 's/^JSORM_TEST_MYSQL_PASSWORD=//p' "$dir/env")" "$(sed -n 's/^JSORM_TEST_MYSQL_PORT=//p' "$dir/env")" >"$cnf")
client() { mariadb --defaults-file="$cnf" --batch "$@"; }
fresh() { client -e "DROP DATABASE IF EXISTS bench; CREATE DATABASE bench"; }
migrated() { fresh; client bench <"$work/mariadb_$n.sql" >/dev/null; }

"$here/make_sql_mariadb.sh" "$jsorm" "$module" "$n" "$work" "$cnf" "$url" >/dev/null

# The kind of a statement, by its text.
kind_sql="CASE
  WHEN argument LIKE 'BEGIN NOT ATOMIC CREATE TABLE%' THEN 'unit: CREATE TABLE + journal INSERT'
  WHEN argument LIKE 'BEGIN NOT ATOMIC CREATE INDEX%' THEN 'unit: CREATE INDEX + journal INSERT'
  WHEN argument LIKE 'BEGIN NOT ATOMIC DROP INDEX%' THEN 'unit: DROP INDEX + journal DELETE'
  WHEN argument LIKE 'BEGIN NOT ATOMIC DROP TABLE%' THEN 'unit: DROP TABLE + journal DELETE'
  WHEN argument = 'START TRANSACTION' THEN 'START TRANSACTION'
  WHEN argument = 'COMMIT' THEN 'COMMIT'
  WHEN argument LIKE 'INSERT INTO \`jsorm_migrations\` %' THEN 'tracking INSERT'
  WHEN argument LIKE 'DELETE FROM \`jsorm_migrations\` %' THEN 'tracking DELETE'
  WHEN argument LIKE 'INSERT INTO \`jsorm_migrations_steps\` %' THEN 'journal INSERT'
  WHEN argument LIKE 'DELETE FROM \`jsorm_migrations_steps\` %' THEN 'journal DELETE'
  ELSE 'once per run: lock, probes, reads, tracking-table DDL' END"

# --- round trips ----------------------------------------------------------------------
{
  for f in "mariadb_$n.sql" "mariadb_rollback_$n.sql" "mariadb_status_$n.sql"; do
    echo "== $f: $(grep -c ' //$' "$work/$f") statements for $n migrations"
    sed '1d; s/ \/\/$//' "$work/$f" | awk -v n="$n" '
      /^BEGIN NOT ATOMIC (CREATE|DROP) (TABLE|INDEX)/ { k = "unit: " $4 " " $5 " + journal " ($0 ~ /INSERT INTO `jsorm_migrations_steps`/ ? "INSERT" : "DELETE") }
      /^START TRANSACTION$/ { k = "START TRANSACTION" }
      /^COMMIT$/ { k = "COMMIT" }
      /^INSERT INTO `jsorm_migrations` / { k = "tracking INSERT" }
      /^DELETE FROM `jsorm_migrations` / { k = "tracking DELETE" }
      /^INSERT INTO `jsorm_migrations_steps` / { k = "journal INSERT" }
      /^DELETE FROM `jsorm_migrations_steps` / { k = "journal DELETE" }
      { if (k == "") k = "once per run: lock, probes, reads, tracking-table DDL"; c[k]++; k = "" }
      END { for (k in c) printf "  %6d  %5.2f per migration  %s\n", c[k], c[k] / n, k }' | sort -k3,3 -r
  done
} >"$out/round_trips.txt"

# --- gaps by kind of statement, from the general log ------------------------------------
# gaps LABEL CMD...: runs CMD with the general log on, then sums the gaps by kind.
gaps() {
  local label=$1
  shift
  client -e "SET GLOBAL general_log = OFF; SET GLOBAL log_output = 'TABLE'; TRUNCATE mysql.general_log; SET GLOBAL general_log = ON"
  local t0 t1
  t0=$EPOCHREALTIME
  "$@" >/dev/null
  t1=$EPOCHREALTIME
  client -e "SET GLOBAL general_log = OFF"
  echo "== $label: wall $(elapsed_ms "$t0" "$t1") ms (general log on)"
  client -N -e "SELECT thread_id INTO @t FROM mysql.general_log WHERE command_type = 'Query' AND argument NOT LIKE 'SET GLOBAL%' GROUP BY thread_id ORDER BY count(*) DESC LIMIT 1;
    SELECT LPAD(count(*), 6), LPAD(ROUND(sum(gap) / 1000), 7), 'ms total', LPAD(ROUND(avg(gap)), 6), 'µs mean', LPAD(ROUND(min(gap)), 5), 'µs min', kind
    FROM (SELECT $kind_sql AS kind,
                 TIMESTAMPDIFF(MICROSECOND, event_time, LEAD(event_time) OVER (ORDER BY event_time)) AS gap
          FROM mysql.general_log WHERE thread_id = @t AND command_type = 'Query') g
    WHERE gap IS NOT NULL GROUP BY kind ORDER BY sum(gap) DESC" | tr '\t' ' '
  client -e "TRUNCATE mysql.general_log"
}
{
  fresh
  gaps "jsorm migrate" "$jsorm" migrate "$module" benchSource --url "$url" --quiet
  fresh
  gaps "mariadb < mariadb_$n.sql" client bench <"$work/mariadb_$n.sql"
  migrated
  gaps "jsorm db:rollback --force" "$jsorm" db:rollback "$module" benchSource --url "$url" --force --quiet
  migrated
  gaps "mariadb < mariadb_rollback_$n.sql" client bench <"$work/mariadb_rollback_$n.sql"
} >"$out/gaps.txt"

# --- system calls and CPU ---------------------------------------------------------------
: >"$out/cpu.txt"
side() {  # side LABEL CMD...: strace -c, then one run under /usr/bin/time
  local label=$1
  shift
  strace -c -f -o "$out/strace_$label.txt" "$@" >/dev/null
  [[ $label == *rollback* ]] && migrated || fresh
  /usr/bin/time -f "$label: wall %e s, user %U s, sys %S s, peak RSS %M kB" -a -o "$out/cpu.txt" "$@" >/dev/null
}
fresh
side jsorm_migrate "$jsorm" migrate "$module" benchSource --url "$url" --quiet
fresh
side client_migrate sh -c 'exec mariadb --defaults-file="$1" --batch bench <"$2"' sh "$cnf" "$work/mariadb_$n.sql"
migrated
side jsorm_rollback "$jsorm" db:rollback "$module" benchSource --url "$url" --force --quiet
migrated
side client_rollback sh -c 'exec mariadb --defaults-file="$1" --batch bench <"$2"' sh "$cnf" "$work/mariadb_rollback_$n.sql"
echo "$out: round_trips.txt gaps.txt strace_*.txt cpu.txt"
