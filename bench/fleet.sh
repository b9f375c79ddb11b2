#!/usr/bin/env bash
# The fleet benchmark: one `jsorm migrate --targets` over T PostgreSQL databases of N
# migrations each, at several --parallel levels, against the sum of T single-target runs
# (one `jsorm migrate --url` process per database, one after the other: the shell loop a
# fleet replaces).
#
#   bench/fleet.sh [--targets T] [--n N] [--parallel LIST] [--reps K] [--build-dir DIR]
#                  [--out DIR] [--no-build]
#   bench/run.sh fleet [the same options]
#
#   --targets T      databases (default 200)
#   --n N            migrations per database (default 20; the --loop module of generate_module.sh)
#   --parallel LIST  comma-separated --parallel levels (default 1,2,4,8)
#   --reps K         repetitions of each measurement (default 1); the median is reported
#   --build-dir DIR  the build whose jsorm and libjsorm_core are used (default: build in the source tree);
#                    jsorm and the pg adapter are built there first unless --no-build
#   --out DIR        results (default bench/results/fleet): summary.md, samples.tsv, machine.txt
#
# PGOPTIONS reaches every connection, e.g. PGOPTIONS="-c synchronous_commit=off" takes the
# per-COMMIT WAL flush (the shared disk) out of the measurement.
#
# Every measurement starts from T freshly created, empty databases (one psql session drops
# and creates them all, then CHECKPOINT), on a throwaway PostgreSQL 15 stopped at exit.
set -euo pipefail
here=$(cd -- "$(dirname -- "$0")" && pwd)
root=$(cd -- "$here/.." && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

targets=200
n=20
levels=1,2,4,8
reps=1
build_dir=$root/build
out=$here/results/fleet
do_build=yes
while [[ $# -gt 0 ]]; do
  case "$1" in
    --targets) targets=$2; shift 2 ;;
    --n) n=$2; shift 2 ;;
    --parallel) levels=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --build-dir) build_dir=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-build) do_build=""; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) bench_die "fleet.sh: unknown argument $1 (see --help)" ;;
  esac
done
for v in "$targets" "$n" "$reps" ${levels//,/ }; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || bench_die "--targets, --n, --reps and --parallel take positive numbers"
done
mkdir -p -- "$out"
out=$(cd -- "$out" && pwd)
work=$(mktemp -d /tmp/jsorm-bench-fleet.XXXXXX)
pg_dir=""
cleanup() {
  if [[ -n "$pg_dir" && -f "$pg_dir/env" ]]; then "$root/scripts/pg-test-cluster.sh" stop "$pg_dir" >/dev/null || true; fi
  rm -rf -- "$work"
}
trap cleanup EXIT
log() { echo "fleet bench: $*" >&2; }

if [[ -n $do_build ]]; then
  log "building jsorm and the PostgreSQL adapter in $build_dir"
  flock /tmp/jsorm-build.lock cmake --build "$build_dir" -j2 --target jsorm jsorm_adapter_pg >/dev/null
fi
# A snapshot of the build: others rebuilding the shared build folder must not swap the
# binary or a library halfway through a measurement.
mkdir -p "$work/bin" "$work/lib/jsorm/adapters"
cp -- "$build_dir/bin/jsorm" "$work/bin/"
cp -a -- "$build_dir"/lib/libjsorm*.so* "$work/lib/"
cp -- "$build_dir"/lib/jsorm/adapters/libjsorm_adapter_pg.so "$work/lib/jsorm/adapters/"
jsorm=$work/bin/jsorm
export JSORM_ADAPTER_PATH=$work/lib/jsorm/adapters

# The module: N migrations of the main benchmark's shape, compiled as jsorm_add_schema_module
# would (the same flags), against the build's libjsorm_core.
"$here/generate_module.sh" --loop "$n" "$work" >/dev/null
module=$work/libbench_fleet_$n.so
c++ -std=c++20 -O2 -fPIC -shared -fvisibility=hidden -fvisibility-inlines-hidden -DBOOST_DLL_USE_STD_FS \
  -I"$root/core/include" -I"$build_dir/core/include" "$work/migrations_loop_$n.cpp" -o "$module" \
  -Wl,-rpath,"$work/lib" "$work/lib/libjsorm_core.so"

pg_dir=$(mktemp -d /tmp/jsorm-bench-pg.XXXXXX)
rmdir -- "$pg_dir"
"$root/scripts/pg-test-cluster.sh" start "$pg_dir" >/dev/null
admin_url=$(sed -n 's/^JSORM_TEST_PG_URL=//p' "$pg_dir/env")
for ((i = 0; i < targets; i++)); do url_for_db "$admin_url" "fleet_$i"; done >"$work/targets.txt"

fresh_databases() {
  for ((i = 0; i < targets; i++)); do
    echo "DROP DATABASE IF EXISTS fleet_$i WITH (FORCE);"
    echo "CREATE DATABASE fleet_$i;"
  done >"$work/fresh.sql"
  echo "CHECKPOINT;" >>"$work/fresh.sql"
  bench_psql "$admin_url" -f "$work/fresh.sql" >/dev/null
}

# Every database must hold exactly the N migrations after a run.
check_all_migrated() {
  local bad
  bad=$(for ((i = 0; i < targets; i++)); do
    bench_psql -A -t "$(url_for_db "$admin_url" "fleet_$i")" -c "SELECT count(*) FROM jsorm_migrations"
  done | grep -cvx "$n" || true)
  [[ $bad == 0 ]] || bench_die "$bad databases do not hold the $n migrations after $1"
}

{
  echo "date: $(date -u +%FT%TZ)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
  echo "memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "kernel: $(uname -r)"
  echo "jsorm: $("$jsorm" --version) ($(grep CMAKE_BUILD_TYPE: "$build_dir/CMakeCache.txt" | cut -d= -f2))"
  echo "postgres: $(/usr/lib/postgresql/15/bin/postgres --version)"
  bench_psql -A -t "$admin_url" -c "SELECT 'postgres settings: fsync=' || current_setting('fsync') ||
    ' synchronous_commit=' || current_setting('synchronous_commit') || ' max_connections=' ||
    current_setting('max_connections')"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  [[ -z ${PGOPTIONS:-} ]] || echo "PGOPTIONS: $PGOPTIONS"
  echo "workload: $targets databases x $n migrations"
} >"$out/machine.txt"

samples=$out/samples.tsv
printf 'label\trep\twall_ms\tuser_s\tsys_s\tload1\n' >"$samples"
# measure LABEL REP COMMAND...: wall time (and CPU of the whole process tree) of COMMAND.
measure() {
  local label=$1 rep=$2 start end
  shift 2
  fresh_databases
  start=$EPOCHREALTIME
  /usr/bin/time -f '%U %S' -o "$work/cpu" "$@" >/dev/null
  end=$EPOCHREALTIME
  check_all_migrated "$label"
  read -r user sys <"$work/cpu"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$rep" "$(elapsed_ms "$start" "$end")" "$user" "$sys" \
    "$(cut -d' ' -f1 /proc/loadavg)" >>"$samples"
  log "$label rep $rep: $(elapsed_ms "$start" "$end") ms"
}
single_runs() {
  while read -r url; do "$jsorm" migrate "$module" benchSource --url "$url" -q >/dev/null || return 1; done <"$work/targets.txt"
}
export -f single_runs
export jsorm module work

for ((rep = 1; rep <= reps; rep++)); do
  measure single "$rep" bash -c single_runs
  for p in ${levels//,/ }; do
    measure "parallel_$p" "$rep" "$jsorm" migrate "$module" benchSource --targets "$work/targets.txt" --parallel "$p" -q
  done
done

# The table: the median of each label, and its speed-up over the single-target loop.
awk -F'\t' 'NR > 1 { n[$1]++; v[$1, n[$1]] = $3; u[$1] += $4; s[$1] += $5; if (!($1 in order)) { order[$1] = ++k; name[k] = $1 } }
  function median(l,   i, j, t, a) { for (i = 1; i <= n[l]; i++) a[i] = v[l, i]
    for (i = 1; i <= n[l]; i++) for (j = i + 1; j <= n[l]; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n[l] % 2 ? a[(n[l] + 1) / 2] : (a[n[l] / 2] + a[n[l] / 2 + 1]) / 2 }
  END { base = median("single")
    print "| run | wall (median, min-max) | speed-up over the single-target loop | jsorm CPU user+sys (mean) |"
    print "|---|---|---|---|"
    for (i = 1; i <= k; i++) { l = name[i]; m = median(l); lo = hi = v[l, 1]
      for (j = 2; j <= n[l]; j++) { if (v[l, j] < lo) lo = v[l, j]; if (v[l, j] > hi) hi = v[l, j] }
      printf "| %s | %.0f ms (%.0f-%.0f) | %.2fx | %.1f s |\n", l, m, lo, hi, base / m, (u[l] + s[l]) / n[l] } }' "$samples" >"$out/summary.md"
cat "$out/summary.md"
