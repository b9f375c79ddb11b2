#!/usr/bin/env bash
# Runs jsorm against its lower bounds, alternating the two, on a fresh database each
# repetition, and writes the results table.
#
#   bench/run.sh [--reps K] [--n N] [--status-n M] [--compile-reps C] [--only LIST]
#                [--gen-sizes LIST] [--gen-cols C] [--gen-reps G] [--gen-compare JSORM]
#                [--build-dir DIR] [--out DIR] [--no-build] [--keep-work]
#   bench/run.sh fleet [options]     the fleet benchmark (bench/fleet.sh --help)
#   bench/run.sh mariadb [options]   the MariaDB benchmarks only (mariadb_migrate,
#                     mariadb_rollback, mariadb_status), results in bench/results/mariadb
#                     unless --out says otherwise; builds only jsorm, jsorm_adapter_mysql
#                     and bench_N
#
#   --reps K          repetitions of each timed pair (default 5); the short read-only
#                     commands (status, --version) run 6*K pairs
#   --n N             migrations in the main workload (default 1000)
#   --status-n M      migrations for the absolute status benchmark (default 10000)
#   --compile-reps C  compiles of the N-migration module, as built and at -O2 (default 2 each)
#   --only LIST       comma-separated subset of: migrate,rollback,status,status_big,version,
#                     sqlite,compile,generate (default: all of these), and the opt-in
#                     mariadb_migrate,mariadb_rollback,mariadb_status (need MariaDB 10.11:
#                     mariadbd, mariadb-install-db and the mariadb client). RSS comes with
#                     the write benchmarks.
#   --gen-sizes LIST  model counts for the generate benchmark (default 500,1000,2000,4000)
#   --gen-cols C      columns per model (default 20)
#   --gen-reps G      runs of migrate:generate per size (default 6*K)
#   --gen-compare JSORM  also time this other jsorm binary (e.g. a build of an earlier
#                     commit) on the same modules, alternating with this build's in each
#                     repetition; reported as generate_S_compare
#   --build-dir DIR   default: build-bench in the source tree (configured and built unless --no-build)
#   --out DIR         results folder (default bench/results/latest): summary.md, samples.tsv,
#                     machine.txt, compile logs
#   --keep-work       keep the SQL scripts and database files (in a temporary folder)
#   --mariadb-in DIR  parent folder of the throwaway MariaDB's data (default /tmp); /dev/shm
#                     (tmpfs) takes the disk's fsyncs out of both sides, leaving the
#                     client-side cost and the server's CPU, as --pg-options does for PG
#   --pg-options STR  PGOPTIONS for the timed jsorm and psql commands alike, e.g.
#                     "-c synchronous_commit=off" to take the per-COMMIT WAL flush (disk
#                     latency, the noisiest part on a shared machine) out of both sides
#
# What is compared (lower bound in brackets), each pair alternating which runs first:
#   migrate   jsorm migrate on a fresh PostgreSQL database       [psql -f pg_N.sql]
#   rollback  jsorm db:rollback --force of all N                  [psql -f pg_rollback_N.sql]
#   status    jsorm migrate:status, N applied                     [psql -c the tracking query]
#             and, in pairs of their own, [status_floor.c: a libpq program sending status's
#             two statements, the table check included, and printing the rows]
#   status_big jsorm migrate:status, M applied (absolute target)  [the same two]
#   version   jsorm --version                                     [psql --version]
#   mariadb_migrate   jsorm migrate on a fresh MariaDB database [mariadb < mariadb_N.sql]
#   mariadb_rollback  jsorm db:rollback --force of all N        [mariadb < mariadb_rollback_N.sql]
#   mariadb_status    jsorm migrate:status, N applied            [mariadb < mariadb_status_N.sql]
#             The MariaDB scripts are jsorm's own session, captured from the server's general
#             log (bench/make_sql_mariadb.sh): the same statements, journal and tracking rows
#             included, so the ratio is jsorm's cost over the client's for identical round trips.
#   sqlite    jsorm migrate on a new SQLite file                  [sqlite3 FILE < sqlite_N.sql]
#   compile   c++ of the generated N-migration module as built (-Og) and at -O2, /usr/bin/time -v
#   generate  jsorm migrate:generate of S models x C columns against the snapshot of the same
#             models before every tenth table gained a column, for each size S (no lower
#             bound: absolute target 0.3 s and 50 MB at S = 2000, growing linearly)
# The PostgreSQL cluster is a throwaway one (scripts/pg-test-cluster.sh), stopped at exit; so
# is the MariaDB server (scripts/mariadb-test-server.sh).
set -euo pipefail
here=$(cd -- "$(dirname -- "$0")" && pwd)
root=$(cd -- "$here/.." && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

reps=5
n=1000
status_n=10000
compile_reps=2
only="migrate,rollback,status,status_big,version,sqlite,compile,generate"
gen_sizes="500,1000,2000,4000"
gen_cols=20
gen_reps=""
gen_compare=""
build_dir=$root/build-bench
out=""
do_build=yes
keep_work=""
pg_options=""
maria_parent=/tmp

while [[ $# -gt 0 ]]; do
  case "$1" in
    mariadb) only=mariadb_migrate,mariadb_rollback,mariadb_status; out=${out:-$here/results/mariadb}; shift ;;
    fleet) shift; exec "$here/fleet.sh" "$@" ;;  # one migrate over many databases: bench/fleet.sh --help
    --reps) reps=$2; shift 2 ;;
    --n) n=$2; shift 2 ;;
    --status-n) status_n=$2; shift 2 ;;
    --compile-reps) compile_reps=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --gen-sizes) gen_sizes=$2; shift 2 ;;
    --gen-cols) gen_cols=$2; shift 2 ;;
    --gen-reps) gen_reps=$2; shift 2 ;;
    --gen-compare) gen_compare=$2; shift 2 ;;
    --build-dir) build_dir=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-build) do_build=""; shift ;;
    --keep-work) keep_work=yes; shift ;;
    --pg-options) pg_options=$2; shift 2 ;;
    --mariadb-in) maria_parent=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
out=${out:-$here/results/latest}
short_reps=$((6 * reps))
gen_reps=${gen_reps:-$short_reps}
for v in "$reps" "$n" "$status_n" "$compile_reps" "$gen_cols" "$gen_reps" ${gen_sizes//,/ }; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || bench_die "--reps, --n, --status-n, --compile-reps and the --gen-* options take positive numbers"
done
wants() { [[ ",$only," == *",$1,"* ]]; }
read -r -a gen_list <<<"${gen_sizes//,/ }"
mkdir -p -- "$out"
out=$(cd -- "$out" && pwd)
work=$(mktemp -d /tmp/jsorm-bench.XXXXXX)
pg_dir=""
maria_dir=""
cleanup() {
  if [[ -n "$pg_dir" && -f "$pg_dir/env" ]]; then "$root/scripts/pg-test-cluster.sh" stop "$pg_dir" || true; fi
  if [[ -n "$maria_dir" && -d "$maria_dir" ]]; then "$root/scripts/mariadb-test-server.sh" stop "$maria_dir" || true; fi
  if [[ -z "$keep_work" ]]; then rm -rf -- "$work"; else echo "work files kept in $work" >&2; fi
}
trap cleanup EXIT

# migrate:status remembers checksums between runs (plugins/src/checksum_cache.hpp): in the
# work folder, so every benchmark starts without them; each status benchmark's warm-up run
# (rep 0) writes them, and one run with the cache off is recorded beside it.
export JSORM_CACHE_DIR=${JSORM_CACHE_DIR:-$work/checksum-cache}

log() { printf '[%s load %s] %s\n' "$(date +%T)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$*" >&2; }

# --- build ----------------------------------------------------------------------------
jsorm=$build_dir/bin/jsorm
module=$build_dir/lib/libbench_$n.so
module_big=$build_dir/lib/libbench_loop_$status_n.so
if [[ -n $do_build ]]; then
  log "building into $build_dir"
  cmake -S "$root" -B "$build_dir" -DJSORM_BUILD_TESTS=OFF -DJSORM_BUILD_BENCH=ON -DCMAKE_BUILD_TYPE=Release \
    -DJSORM_BENCH_SIZES="$n" -DJSORM_BENCH_LOOP_SIZES="$n;$status_n" -DJSORM_BENCH_MODEL_SIZES="${gen_sizes//,/;}" \
    -DJSORM_BENCH_MODEL_COLUMNS="$gen_cols" >"$work/cmake.log" 2>&1 || {
    keep_work=yes
    bench_die "cmake configure failed; see $work/cmake.log"
  }
  # Only what the chosen benchmarks run. The build takes /tmp/jsorm-build.lock (when flock is
  # there), the lock every build on a shared machine takes, so two builds never compete.
  targets=(jsorm "bench_$n")
  for s in migrate rollback status status_big; do wants $s && targets+=(jsorm_adapter_pg); done
  wants sqlite && targets+=(jsorm_adapter_sqlite)
  wants status_big && targets+=("bench_loop_$status_n")
  wants generate && targets+=("${gen_list[@]/#/bench_models_loop_}")
  for s in mariadb_migrate mariadb_rollback mariadb_status; do wants $s && targets+=(jsorm_adapter_mysql); done
  read -r -a targets <<<"$(printf '%s\n' "${targets[@]}" | awk '!seen[$0]++' | tr '\n' ' ')"
  build_lock=()
  command -v flock >/dev/null && build_lock=(flock "${JSORM_BUILD_LOCK:-/tmp/jsorm-build.lock}")
  "${build_lock[@]}" cmake --build "$build_dir" -j2 --target "${targets[@]}" >"$work/build.log" 2>&1 || {
    keep_work=yes
    bench_die "build failed; see $work/build.log"
  }
fi
[[ -x $jsorm ]] || bench_die "$jsorm is missing; build first (or drop --no-build)"
[[ -f $module ]] || bench_die "$module is missing; build target bench_$n"

# --- machine --------------------------------------------------------------------------
{
  echo "date: $(date -Is)"
  echo "nproc: $(nproc)"
  echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
  echo "ram: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "kernel: $(uname -r)"
  echo "os: $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "compiler: $(c++ --version | head -n1)"
  echo "postgres: $(/usr/lib/postgresql/15/bin/postgres --version)"
  echo "psql: $PSQL ($("$PSQL" --version))"
  echo "sqlite3: $(sqlite3 --version | cut -d' ' -f1), defaults for a new file: journal_mode=$(sqlite3 "$work/probe.db" 'PRAGMA journal_mode') synchronous=$(sqlite3 "$work/probe.db" 'PRAGMA synchronous') (2 = FULL)"
  rm -f -- "$work/probe.db"
  echo "filesystem of the work folder: $(df -T "$work" | awk 'NR == 2 { print $1, $2 }')"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  [[ -z $pg_options ]] || echo "PGOPTIONS of the timed commands: $pg_options"
  if [[ ",$only," == *,mariadb_* ]]; then
    echo "mariadb server: $(mariadbd --version 2>/dev/null || /usr/sbin/mariadbd --version)"
    echo "mariadb client: $(command -v mariadb) ($(mariadb --version))"
  fi
} >"$out/machine.txt"

samples=$out/samples.tsv
printf 'label\trep\twall_ms\tmaxrss_kb\tuser_s\tsys_s\tload1\n' >"$samples"

# record LABEL REP WALL_MS RSS_KB USER SYS
record() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$(cut -d' ' -f1 /proc/loadavg)" >>"$samples"
}

# timed LABEL REP [--stdin FILE] CMD...: one run under /usr/bin/time (peak RSS, CPU time);
# wall time from $EPOCHREALTIME around it. Output goes to the work folder; a failure stops
# the benchmark with the command's output.
timed() {
  local label=$1 rep=$2 stdin=/dev/null
  shift 2
  if [[ $1 == --stdin ]]; then
    stdin=$2
    shift 2
  fi
  local tf=$work/time.txt logf=$work/$label.log t0 t1 rc=0
  t0=$EPOCHREALTIME
  PGOPTIONS=$pg_options /usr/bin/time -f '%M %U %S' -o "$tf" "$@" <"$stdin" >"$logf" 2>&1 || rc=$?
  t1=$EPOCHREALTIME
  if [[ $rc -ne 0 ]]; then
    keep_work=yes
    tail -n 5 "$logf" >&2
    bench_die "$label (rep $rep) exited $rc: $(redact_urls "$*")"
  fi
  local rss user sys
  read -r rss user sys <"$tf"
  record "$label" "$rep" "$(elapsed_ms "$t0" "$t1")" "$rss" "$user" "$sys"
}

# quick LABEL REP CMD...: a short read-only command, timed without /usr/bin/time in the way
# (its fork and exec cost ~1 ms, which matters at these durations); RSS is not recorded.
quick() {
  local label=$1 rep=$2 t0 t1 rc=0
  shift 2
  t0=$EPOCHREALTIME
  PGOPTIONS=$pg_options "$@" >/dev/null 2>"$work/$label.err" || rc=$?
  t1=$EPOCHREALTIME
  [[ $rc -eq 0 ]] || bench_die "$label (rep $rep) exited $rc: $(redact_urls "$*") ($(head -c 300 "$work/$label.err"))"
  record "$label" "$rep" "$(elapsed_ms "$t0" "$t1")" "" "" ""
}

# pair REP FIRST_FN SECOND_FN: odd repetitions run jsorm first, even ones the baseline.
pair() {
  if (($1 % 2)); then "$2" "$1"; "$3" "$1"; else "$3" "$1"; "$2" "$1"; fi
}

# --- PostgreSQL cluster and SQL scripts -------------------------------------------------
need_pg=""
for s in migrate rollback status status_big; do wants $s && need_pg=yes; done
if [[ -n $need_pg ]] || wants sqlite; then
  pg_dir=$(mktemp -d /tmp/jsorm-bench-pg.XXXXXX)
  rmdir -- "$pg_dir"
  log "starting a throwaway PostgreSQL in $pg_dir"
  "$root/scripts/pg-test-cluster.sh" start "$pg_dir" >/dev/null
  admin_url=$(sed -n 's/^JSORM_TEST_PG_URL=//p' "$pg_dir/env")
  bench_psql -A -t "$admin_url" -c "SELECT 'fsync=' || current_setting('fsync') || ' synchronous_commit=' ||
    current_setting('synchronous_commit') || ' wal_sync_method=' || current_setting('wal_sync_method') ||
    ' shared_buffers=' || current_setting('shared_buffers')" | sed 's/^/postgres settings: /' >>"$out/machine.txt"
  # status's second lower bound: a libpq client sending status's two statements
  cc -O2 -o "$work/status_floor" "$here/status_floor.c" $(pkg-config --cflags --libs libpq) ||
    bench_die "cannot compile bench/status_floor.c (libpq-dev, pkg-config)"
  log "deriving the baseline SQL from jsorm --dry-run (N=$n)"
  "$here/make_sql.sh" "$jsorm" "$module" "$n" "$work/sql" "$admin_url" >/dev/null
  url=$(url_for_db "$admin_url" bench)
fi
sql=$work/sql

# --- (a)+(f) migrate N on PostgreSQL -----------------------------------------------------
if wants migrate; then
  log "migrate $n on PostgreSQL: $reps pairs"
  migrate_jsorm() { pg_fresh "$admin_url" bench; timed pg_migrate_jsorm "$1" "$jsorm" migrate "$module" benchSource --url "$url" --quiet; }
  migrate_psql() { pg_fresh "$admin_url" bench; timed pg_migrate_psql "$1" "$PSQL" -X -q -v ON_ERROR_STOP=1 -f "$sql/pg_$n.sql" "$url"; }
  for ((r = 1; r <= reps; r++)); do pair "$r" migrate_jsorm migrate_psql; done
fi

# --- (b) roll back all N on PostgreSQL ---------------------------------------------------
if wants rollback; then
  log "rollback of $n on PostgreSQL: $reps pairs"
  migrated_db() { pg_fresh "$admin_url" bench; pg_load "$url" "$sql/pg_$n.sql"; pg_checkpoint "$url"; }
  rollback_jsorm() { migrated_db; timed pg_rollback_jsorm "$1" "$jsorm" db:rollback "$module" benchSource --url "$url" --force --quiet; }
  rollback_psql() { migrated_db; timed pg_rollback_psql "$1" "$PSQL" -X -q -v ON_ERROR_STOP=1 -f "$sql/pg_rollback_$n.sql" "$url"; }
  for ((r = 1; r <= reps; r++)); do pair "$r" rollback_jsorm rollback_psql; done
fi

# --- (c) status with N applied ----------------------------------------------------------
status_query=$(cat "$sql/status.sql" 2>/dev/null || true)
if wants status; then
  log "status of $n on PostgreSQL: $short_reps pairs (read-only: one migrated database)"
  pg_fresh "$admin_url" bench
  "$jsorm" migrate "$module" benchSource --url "$url" --quiet
  pg_checkpoint "$url"
  status_jsorm() { quick pg_status_jsorm "$1" "$jsorm" migrate:status "$module" benchSource --url "$url"; }
  status_jsorm_f() { quick pg_status_jsorm_f "$1" "$jsorm" migrate:status "$module" benchSource --url "$url"; }
  status_psql() { quick pg_status_psql "$1" "$PSQL" -X -q -A -t -c "$status_query" "$url"; }
  status_floor() { quick pg_status_floor "$1" "$work/status_floor" "$url" jsorm_migrations; }
  status_jsorm 0; status_psql 0; status_floor 0  # warm-up (rep 0, left out of the statistics)
  for ((r = 1; r <= short_reps; r++)); do pair "$r" status_jsorm status_psql; pair "$r" status_floor status_jsorm_f; done
  timed pg_status_jsorm_rss 1 "$jsorm" migrate:status "$module" benchSource --url "$url"
  timed pg_status_jsorm_nocache 1 env JSORM_CACHE_DIR=off "$jsorm" migrate:status "$module" benchSource --url "$url"
fi

# --- (d) status with M applied ----------------------------------------------------------
if wants status_big; then
  [[ -f $module_big ]] || bench_die "$module_big is missing; build target bench_loop_$status_n"
  log "status of $status_n on PostgreSQL: preparing (jsorm migrate --dry-run, psql)"
  pg_fresh "$admin_url" bench_big
  big_url=$(url_for_db "$admin_url" bench_big)
  "$jsorm" migrate "$module_big" benchSource --url "$big_url" --dry-run --no-color | dry_run_statements \
    >"$work/pg_big.sql"
  pg_load "$big_url" "$work/pg_big.sql"
  bench_psql "$big_url" -c "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null
  log "status of $status_n on PostgreSQL: $short_reps pairs"
  big_jsorm() { quick pg_status_big_jsorm "$1" "$jsorm" migrate:status "$module_big" benchSource --url "$big_url"; }
  big_psql() { quick pg_status_big_psql "$1" "$PSQL" -X -q -A -t -c "$status_query" "$big_url"; }
  big_jsorm_f() { quick pg_status_big_jsorm_f "$1" "$jsorm" migrate:status "$module_big" benchSource --url "$big_url"; }
  big_floor() { quick pg_status_big_floor "$1" "$work/status_floor" "$big_url" jsorm_migrations; }
  big_jsorm 0; big_psql 0; big_floor 0
  for ((r = 1; r <= short_reps; r++)); do pair "$r" big_jsorm big_psql; pair "$r" big_floor big_jsorm_f; done
  timed pg_status_big_jsorm_rss 1 "$jsorm" migrate:status "$module_big" benchSource --url "$big_url"
  timed pg_status_big_jsorm_nocache 1 env JSORM_CACHE_DIR=off "$jsorm" migrate:status "$module_big" benchSource \
    --url "$big_url"
  bench_psql "$admin_url" -c "DROP DATABASE bench_big WITH (FORCE)" >/dev/null
fi

# --- (e) --version ----------------------------------------------------------------------
if wants version; then
  log "--version: $((short_reps * 2)) pairs, then hyperfine"
  version_jsorm() { quick version_jsorm "$1" "$jsorm" --version; }
  version_psql() { quick version_psql "$1" "$PSQL" --version; }
  version_jsorm 0; version_psql 0
  for ((r = 1; r <= short_reps * 2; r++)); do pair "$r" version_jsorm version_psql; done
  timed version_jsorm_rss 1 "$jsorm" --version
  if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 5 --runs 100 --style basic "$jsorm --version" "$PSQL --version" \
      --export-markdown "$out/hyperfine_version.md" >"$out/hyperfine_version.txt" 2>&1 || true
  fi
fi

# --- (g) SQLite file, migrate N ---------------------------------------------------------
if wants sqlite; then
  log "migrate $n on a SQLite file: $reps pairs"
  db=$work/bench.db
  fresh_file() { rm -f -- "$db" "$db-journal" "$db-wal" "$db-shm" "$db-jsorm-lock"; sync; }
  sqlite_jsorm() { fresh_file; timed sqlite_migrate_jsorm "$1" "$jsorm" migrate "$module" benchSource --url "sqlite:$db" --quiet; }
  sqlite_cli() { fresh_file; timed sqlite_migrate_sqlite3 "$1" --stdin "$sql/sqlite_$n.sql" sqlite3 -bail "$db"; }
  for ((r = 1; r <= reps; r++)); do pair "$r" sqlite_jsorm sqlite_cli; done
fi

# --- (j) MariaDB: migrate, rollback and status of N ------------------------------------
# One throwaway server (scripts/mariadb-test-server.sh: loopback TCP, its test settings,
# e.g. innodb_flush_log_at_trx_commit=2). The client's scripts are jsorm's own session,
# captured from the general log, so both sides make the same round trips.
need_maria=""
for s in mariadb_migrate mariadb_rollback mariadb_status; do wants $s && need_maria=yes; done
if [[ -n $need_maria ]]; then
  command -v mariadb >/dev/null || bench_die "the mariadb client is missing (apt-get install -y mariadb-server mariadb-client)"
  maria_dir=$(mktemp -d "$maria_parent/jsorm-bench-maria.XXXXXX")
  rmdir -- "$maria_dir"
  log "starting a throwaway MariaDB in $maria_dir"
  "$root/scripts/mariadb-test-server.sh" start "$maria_dir" >/dev/null
  maria_url=$(sed -n 's/^JSORM_TEST_MYSQL_URL=//p' "$maria_dir/env")
  maria_url=$(url_for_db "$maria_url" bench)
  # The client reads its credentials from a file of ours only (--defaults-file: no ~/.my.cnf),
  # so the password is on no command line.
  maria_cnf=$work/mariadb-client.cnf
  (umask 077 && printf '[client]\nuser=jsorm\npassword=%s\nhost=127.0.0.1\nport=%s\nprotocol=tcp\n' \
    "$(sed -n 's/^JSORM_TEST_MYSQL_PASSWORD=//p' "$maria_dir/env")" \
    "$(sed -n 's/^JSORM_TEST_MYSQL_PORT=//p' "$maria_dir/env")" >"$maria_cnf")
  maria() { mariadb --defaults-file="$maria_cnf" --batch "$@"; }
  maria -N -e "SELECT CONCAT('mariadb settings: innodb_flush_log_at_trx_commit=', @@innodb_flush_log_at_trx_commit,
    ' innodb_doublewrite=', @@innodb_doublewrite, ' innodb_buffer_pool_size=', @@innodb_buffer_pool_size,
    ' log_bin=', @@log_bin, ' sync_binlog=', @@sync_binlog, ' version=', VERSION())" >>"$out/machine.txt"
  echo "mariadb data folder: $maria_dir on $(df -T "$maria_dir" | awk 'NR == 2 { print $1, $2 }')" >>"$out/machine.txt"
  log "capturing jsorm's MariaDB session from the general log (N=$n)"
  "$here/make_sql_mariadb.sh" "$jsorm" "$module" "$n" "$sql" "$maria_cnf" "$maria_url" >/dev/null
  maria_fresh() { maria -e "DROP DATABASE IF EXISTS bench; CREATE DATABASE bench"; }
  maria_client() {  # maria_client LABEL REP SCRIPT
    timed "$1" "$2" --stdin "$3" mariadb --defaults-file="$maria_cnf" --batch bench
  }
  if wants mariadb_migrate; then
    log "migrate $n on MariaDB: $reps pairs"
    mm_jsorm() { maria_fresh; timed mariadb_migrate_jsorm "$1" "$jsorm" migrate "$module" benchSource --url "$maria_url" --quiet; }
    mm_client() { maria_fresh; maria_client mariadb_migrate_client "$1" "$sql/mariadb_$n.sql"; }
    for ((r = 1; r <= reps; r++)); do pair "$r" mm_jsorm mm_client; done
  fi
  if wants mariadb_rollback; then
    log "rollback of $n on MariaDB: $reps pairs"
    maria_migrated() { maria_fresh; maria bench <"$sql/mariadb_$n.sql" >/dev/null; }
    mr_jsorm() { maria_migrated; timed mariadb_rollback_jsorm "$1" "$jsorm" db:rollback "$module" benchSource --url "$maria_url" --force --quiet; }
    mr_client() { maria_migrated; maria_client mariadb_rollback_client "$1" "$sql/mariadb_rollback_$n.sql"; }
    for ((r = 1; r <= reps; r++)); do pair "$r" mr_jsorm mr_client; done
  fi
  if wants mariadb_status; then
    log "status of $n on MariaDB: $short_reps pairs (read-only: one migrated database)"
    maria_fresh
    maria bench <"$sql/mariadb_$n.sql" >/dev/null
    ms_jsorm() { quick mariadb_status_jsorm "$1" "$jsorm" migrate:status "$module" benchSource --url "$maria_url"; }
    ms_client() { quick mariadb_status_client "$1" mariadb --defaults-file="$maria_cnf" --batch bench -e "source $sql/mariadb_status_$n.sql"; }
    ms_jsorm 0; ms_client 0  # warm-up (rep 0, left out of the statistics)
    for ((r = 1; r <= short_reps; r++)); do pair "$r" ms_jsorm ms_client; done
    timed mariadb_status_jsorm_rss 1 "$jsorm" migrate:status "$module" benchSource --url "$maria_url"
  fi
fi

# --- (h) compile the N-migration module: as jsorm_add_schema_module builds it, and at -O2 --
if wants compile; then
  ccj=$build_dir/compile_commands.json
  [[ -f $ccj ]] || bench_die "$ccj is missing (the bench targets export their compile commands)"
  cmd=$(grep -o "\"command\": \"[^\"]*migrations_$n\\.cpp\"" "$ccj" | head -n1 | sed 's/^"command": "//; s/"$//' || true)
  [[ -n $cmd ]] || bench_die "no compile command for migrations_$n.cpp in $ccj"
  dir=$(grep -B1 -F "$cmd" "$ccj" | sed -n 's/.*"directory": "\(.*\)",/\1/p' | head -n1 || true)
  # compile_at LABEL FLAG: the build's own line with every -O flag replaced by FLAG.
  compile_at() {
    local label=$1 flag=$2 r t0 t1 rss user sys
    read -r -a argv <<<"$(sed -E "s/ -O[0-3sg]( |$)/ /g; s/ -c / $flag -c /; s/ -o [^ ]+ / -o __OUT__ /" <<<"$cmd")"
    for i in "${!argv[@]}"; do [[ ${argv[$i]} != __OUT__ ]] || argv[$i]=$work/migrations_$n.o; done
    echo "${argv[*]}" >"$out/compile_command_$label.txt"
    log "compiling the $n-migration module at $flag: $compile_reps runs"
    for ((r = 1; r <= compile_reps; r++)); do
      t0=$EPOCHREALTIME
      (cd -- "${dir:-$build_dir}" && /usr/bin/time -v "${argv[@]}") >"$out/compile_${label}_$r.log" 2>&1 ||
        bench_die "compile failed; see $out/compile_${label}_$r.log"
      t1=$EPOCHREALTIME
      rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/compile_${label}_$r.log")
      user=$(sed -n 's/.*User time (seconds): //p' "$out/compile_${label}_$r.log")
      sys=$(sed -n 's/.*System time (seconds): //p' "$out/compile_${label}_$r.log")
      record "compile_$label" "$r" "$(elapsed_ms "$t0" "$t1")" "$rss" "$user" "$sys"
    done
  }
  module_flag=$(grep -oE -- ' -O[0-3sg]' <<<"$cmd" | tail -n1 | tr -d ' ')
  compile_at default "${module_flag:--O2}"
  compile_at O2 -O2
  # Linking the object into the module, for completeness (the target is about compiling).
  link=$(cat "$build_dir/bench/CMakeFiles/bench_$n.dir/link.txt" 2>/dev/null || true)
  if [[ -n $link ]]; then
    read -r -a largv <<<"$(sed -E "s# [^ ]*migrations_$n\\.cpp\\.o# $work/migrations_$n.o#; s# -o [^ ]+# -o $work/libbench_$n.so#" <<<"$link")"
    t0=$EPOCHREALTIME
    (cd -- "$build_dir/bench" && /usr/bin/time -f '%M %U %S' -o "$work/link_time.txt" "${largv[@]}") >"$work/link.log" 2>&1 &&
      { t1=$EPOCHREALTIME; read -r rss user sys <"$work/link_time.txt"; record link "1" "$(elapsed_ms "$t0" "$t1")" "$rss" "$user" "$sys"; } ||
      log "link step failed (not part of the target); see $work/link.log"
  fi
fi
# --- (i) migrate:generate: S models, every tenth table gains a column ---------------------
# Each size has a folder holding the snapshot of the unchanged models (generateBefore,
# written once, untimed). Each repetition restores it, then times generateAfter writing
# the migration and the updated snapshot there. The sizes take turns within a repetition,
# so load drift on the shared machine spreads over all of them.
if wants generate; then
  gen_lib() { echo "$build_dir/lib/libbench_models_loop_$1.so"; }
  gen_fail() {
    keep_work=yes
    bench_die "generate $1: $2 (work files kept in $work/gen_$1)"
  }
  gen_prepare() {
    local s=$1 dir=$work/gen_$1 lib created
    lib=$(gen_lib "$s")
    [[ -f $lib ]] || bench_die "$lib is missing; build target bench_models_loop_$s"
    rm -rf -- "$dir"
    mkdir -p -- "$dir"
    (cd -- "$dir" && "$jsorm" migrate:generate "$lib" generateBefore --name initial --out "$dir/initial" --no-color) \
      >"$dir/initial.log" 2>&1 || gen_fail "$s" "the initial migrate:generate failed; see $dir/initial.log"
    created=$(grep -cE '^  safe +create table bench_[0-9]+$' "$dir/initial.log" || true)
    [[ $created -eq $s ]] || gen_fail "$s" "the initial run created $created tables, not $s"
    mv -- "$dir/schema.json" "$dir/schema.before.json"
  }
  # gen_check S LOG: the run printed exactly S/10 changes, each a new nullable `extra`
  # column; wrote one migration whose up adds and whose down drops exactly those; and
  # wrote a snapshot with S/10 `extra` columns more than before.
  gen_check() {
    local s=$1 log=$2 dir=$work/gen_$1 want=$(($1 / 10)) files changes adds up down steps before after
    files=("$dir"/out/*.cpp)
    [[ ${#files[@]} -eq 1 && -f ${files[0]} ]] || gen_fail "$s" "expected one migration in $dir/out, found ${#files[@]}"
    changes=$(grep -cE '^  (safe|review_required|dangerous) ' "$log" || true)
    adds=$(grep -cE '^  safe +add column bench_[0-9]+\.extra \(nullable\)$' "$log" || true)
    up=$(grep -cE '^ +t\.addColumn\("bench_[0-9]+", "extra", t\.string\(\)\.optional\(\)\),$' "${files[0]}" || true)
    down=$(grep -cE '^ +t\.dropColumn\("bench_[0-9]+", "extra"\),$' "${files[0]}" || true)
    steps=$(grep -cE '^ +t\.' "${files[0]}" || true)
    before=$(grep -c '"name": "extra"' "$dir/schema.before.json" || true)
    after=$(grep -c '"name": "extra"' "$dir/schema.json" || true)
    [[ $changes -eq $want && $adds -eq $want ]] || gen_fail "$s" "printed $changes changes ($adds new extra columns), expected $want"
    [[ $up -eq $want && $down -eq $want && $steps -eq $((2 * want)) ]] ||
      gen_fail "$s" "the migration has $up addColumn, $down dropColumn, $steps steps; expected $want, $want, $((2 * want))"
    [[ $((after - before)) -eq $want ]] || gen_fail "$s" "the snapshot gained $((after - before)) extra columns, expected $want"
  }
  gen_run() {  # gen_run S REP [compare]
    local s=$1 dir=$work/gen_$1 label=generate_$1 bin=$jsorm
    if [[ ${3:-} == compare ]]; then
      label=generate_${s}_compare
      bin=$gen_compare
    fi
    cp -- "$dir/schema.before.json" "$dir/schema.json"
    rm -rf -- "$dir/out"
    cd -- "$dir"
    timed "$label" "$2" "$bin" migrate:generate "$(gen_lib "$s")" generateAfter --out "$dir/out" --no-color
    cd -- "$root"
    gen_check "$s" "$work/$label.log"
  }
  [[ -z $gen_compare || -x $gen_compare ]] || bench_die "--gen-compare $gen_compare is not an executable"
  for s in "${gen_list[@]}"; do
    log "migrate:generate, $s models x $gen_cols columns: writing the snapshot of the unchanged models"
    gen_prepare "$s"
    gen_run "$s" 0  # warm-up (rep 0, left out of the statistics)
    [[ -z $gen_compare ]] || gen_run "$s" 0 compare
    # The snapshot it wrote must match the models: a second run finds no changes.
    (cd -- "$work/gen_$s" && "$jsorm" migrate:generate "$(gen_lib "$s")" generateAfter --out "$work/gen_$s/again" --no-color) \
      >"$work/gen_$s/again.log" 2>&1 || gen_fail "$s" "the run against the updated snapshot failed"
    grep -q '^No changes' "$work/gen_$s/again.log" || gen_fail "$s" "the run against the updated snapshot found changes"
  done
  log "migrate:generate: $gen_reps repetitions of each size (${gen_list[*]}), taking turns"
  for ((r = 1; r <= gen_reps; r++)); do
    for ((i = 0; i < ${#gen_list[@]}; i++)); do
      size=${gen_list[$(((i + r) % ${#gen_list[@]}))]}
      if [[ -z $gen_compare ]]; then
        gen_run "$size" "$r"
      elif ((r % 2)); then
        gen_run "$size" "$r"; gen_run "$size" "$r" compare
      else
        gen_run "$size" "$r" compare; gen_run "$size" "$r"
      fi
    done
  done
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/machine.txt"

# --- summary ----------------------------------------------------------------------------
# The analysis (medians, paired ratios, the table) is bench/report.py.
"$here/report.py" "$out" --n "$n" --status-n "$status_n" --gen-cols "$gen_cols" --gen-compare "$gen_compare" \
  >"$out/summary.md"
cat "$out/summary.md"
