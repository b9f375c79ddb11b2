#!/usr/bin/env bash
# Where the time goes, for the figures bench/run.sh reports. Run after run.sh (it uses the
# same build); it starts and stops its own throwaway PostgreSQL.
#
#   bench/profile.sh [--n N] [--status-n M] [--compile-n C] [--only LIST] [--build-dir DIR] [--out DIR]
#
#   roundtrips  strace -c of jsorm migrate N and of psql -f pg_N.sql: sendto/recvfrom/poll
#               counts (one sendto per statement = one network round trip)
#   async       migrate N, jsorm vs psql, with synchronous_commit=off (PGOPTIONS): the
#               ratio without the per-COMMIT WAL flush, i.e. the client + protocol share
#   perf        perf stat + perf record of jsorm migrate N and migrate:status N / M
#   timeline    strace -tt of one migrate:status N: start-up, module load, adapter load,
#               connect + authentication, queries, output
#   version     jsorm --version: libraries loaded, relocation time (LD_DEBUG=statistics)
#   disk        pg_test_fsync on the work folder's disk: the cost of one WAL flush (COMMIT)
#   rss         valgrind massif: jsorm's heap peak while migrating N and in status of M
#   compile     the generated module at -O2 with -ftime-report (N=C, default 100), the same
#               at other -O levels, and with headers in which Step, Field and Model have
#               out-of-line copy/move/destructor (a copy of core/include, patched in the
#               work folder; compile only, never linked)
# Everything is written to OUT (default bench/results/profile); summary.txt collects it.
set -euo pipefail
here=$(cd -- "$(dirname -- "$0")" && pwd)
root=$(cd -- "$here/.." && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

n=1000
status_n=10000
only="roundtrips,async,perf,timeline,version,disk,rss,compile"
build_dir=$root/build-bench
out=$here/results/profile
compile_n=100
while [[ $# -gt 0 ]]; do
  case "$1" in
    --n) n=$2; shift 2 ;;
    --status-n) status_n=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --compile-n) compile_n=$2; shift 2 ;;
    --build-dir) build_dir=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "profile.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
wants() { [[ ",$only," == *",$1,"* ]]; }
mkdir -p -- "$out"
out=$(cd -- "$out" && pwd)
summary=$out/summary.txt
: >"$summary"
say() { echo "$*" | tee -a "$summary"; }
log() { printf '[%s load %s] %s\n' "$(date +%T)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$*" >&2; }

jsorm=$build_dir/bin/jsorm
module=$build_dir/lib/libbench_$n.so
module_big=$build_dir/lib/libbench_loop_$status_n.so
[[ -x $jsorm && -f $module ]] || bench_die "build first: bench/run.sh builds $jsorm and $module"

work=$(mktemp -d /tmp/jsorm-profile.XXXXXX)
pg_dir=""
cleanup() {
  if [[ -n "$pg_dir" && -f "$pg_dir/env" ]]; then "$root/scripts/pg-test-cluster.sh" stop "$pg_dir" || true; fi
  rm -rf -- "$work"
}
trap cleanup EXIT

say "profile $(date -Is), load average $(cut -d' ' -f1-3 /proc/loadavg), N=$n, status N=$status_n"

need_pg=""
for s in roundtrips async perf timeline rss; do wants $s && need_pg=yes; done
if [[ -n $need_pg ]]; then
  pg_dir=$(mktemp -d /tmp/jsorm-bench-pg.XXXXXX)
  rmdir -- "$pg_dir"
  "$root/scripts/pg-test-cluster.sh" start "$pg_dir" >/dev/null
  admin_url=$(sed -n 's/^JSORM_TEST_PG_URL=//p' "$pg_dir/env")
  url=$(url_for_db "$admin_url" bench)
  log "deriving the baseline SQL"
  "$here/make_sql.sh" "$jsorm" "$module" "$n" "$work/sql" "$admin_url" >/dev/null
fi
sql=$work/sql

# --- round trips ------------------------------------------------------------------------
if wants roundtrips; then
  log "strace -c: migrate $n"
  pg_fresh "$admin_url" bench
  strace -f -qq -c -e trace=sendto,recvfrom,poll,ppoll,connect -o "$out/strace_migrate_jsorm.txt" \
    "$jsorm" migrate "$module" benchSource --url "$url" --quiet
  pg_fresh "$admin_url" bench
  strace -f -qq -c -e trace=sendto,recvfrom,poll,ppoll,connect -o "$out/strace_migrate_psql.txt" \
    "$PSQL" -X -q -v ON_ERROR_STOP=1 -f "$sql/pg_$n.sql" "$url"
  log "strace -c: migrate:status $n"
  strace -f -qq -c -e trace=sendto,recvfrom,poll,ppoll,connect -o "$out/strace_status_jsorm.txt" \
    "$jsorm" migrate:status "$module" benchSource --url "$url" >/dev/null
  strace -f -qq -c -o "$out/strace_status_jsorm_all.txt" \
    "$jsorm" migrate:status "$module" benchSource --url "$url" >/dev/null
  strace -f -qq -c -o "$out/strace_version_jsorm_all.txt" "$jsorm" --version >/dev/null
  calls() { awk -v s="$2" '$NF == s { print $4 }' "$1"; }
  say ""
  say "== network calls (strace -c), migrate $n on PostgreSQL"
  say "   jsorm: sendto $(calls "$out/strace_migrate_jsorm.txt" sendto), recvfrom $(calls "$out/strace_migrate_jsorm.txt" recvfrom), poll $(calls "$out/strace_migrate_jsorm.txt" poll)"
  say "   psql:  sendto $(calls "$out/strace_migrate_psql.txt" sendto), recvfrom $(calls "$out/strace_migrate_psql.txt" recvfrom), poll $(calls "$out/strace_migrate_psql.txt" poll)"
  say "   statements in pg_$n.sql: $(grep -c . "$sql/pg_$n.sql")"
  say "   jsorm migrate:status $n: sendto $(calls "$out/strace_status_jsorm.txt" sendto), recvfrom $(calls "$out/strace_status_jsorm.txt" recvfrom);" \
    "all syscalls $(awk '$NF == "total" { print $4 }' "$out/strace_status_jsorm_all.txt")"
  say "   jsorm --version: all syscalls $(awk '$NF == "total" { print $4 }' "$out/strace_version_jsorm_all.txt")"
fi

# --- without the WAL flush per COMMIT -----------------------------------------------------
if wants async; then
  log "migrate $n with synchronous_commit=off, 5 pairs"
  declare -a aj=() ap=()
  for r in 1 2 3 4 5; do
    for who in jsorm psql; do
      pg_fresh "$admin_url" bench
      t0=$EPOCHREALTIME
      if [[ $who == jsorm ]]; then
        PGOPTIONS="-c synchronous_commit=off" "$jsorm" migrate "$module" benchSource --url "$url" --quiet
      else
        PGOPTIONS="-c synchronous_commit=off" "$PSQL" -X -q -v ON_ERROR_STOP=1 -f "$sql/pg_$n.sql" "$url"
      fi
      t1=$EPOCHREALTIME
      if [[ $who == jsorm ]]; then aj+=("$(elapsed_ms "$t0" "$t1")"); else ap+=("$(elapsed_ms "$t0" "$t1")"); fi
    done
  done
  say ""
  say "== migrate $n, synchronous_commit=off (no WAL flush wait per COMMIT), wall ms"
  say "   jsorm: ${aj[*]}"
  say "   psql:  ${ap[*]}"
  say "   per-pair ratios: $(for i in 0 1 2 3 4; do awk -v a="${aj[$i]}" -v b="${ap[$i]}" 'BEGIN { printf "%.3f ", a / b }'; done)"
fi

# --- perf ---------------------------------------------------------------------------------
perf_top() {  # perf_top DATA TITLE
  local report=$work/perf_report.txt
  say ""
  say "== $2: top symbols by self time (perf report --no-children)"
  perf report -i "$1" -g none --no-children --sort dso,symbol --stdio >"$report" 2>/dev/null || true
  grep -E '^ +[0-9]' "$report" | sed -E 's/ +$//; s/ {2,}/  /g' | cut -c1-160 >"$report.top" || true
  head -n 25 "$report.top" | sed 's/^/   /' | tee -a "$summary" >/dev/null
  say "-- by dso"
  perf report -i "$1" -g none --no-children --sort dso --stdio >"$report" 2>/dev/null || true
  grep -E '^ +[0-9]' "$report" | sed -E 's/ +$//' >"$report.top" || true
  head -n 10 "$report.top" | sed 's/^/   /' | tee -a "$summary" >/dev/null
}
# Inclusive CPU share of jsorm's phases (needs --call-graph dwarf: the build has no frame pointers).
phases() {
  local report=$work/perf_children.txt
  perf report -i "$1" --comm jsorm -g none --children --sort symbol --stdio >"$report" 2>/dev/null || true
  say "-- inclusive share of jsorm's phases (perf report --children, jsorm process only)"
  grep -E '^ +[0-9]' "$report" | sed -E 's/ +$//; s/ {2,}/  /g' | cut -c1-140 |
    grep -E '\] (jsorm::cli::runStatus|jsorm::cli::openMigrationSource|jsorm::cli::openConnection|jsorm::v1::validate|jsorm::v1::Runner::Runner|jsorm::v1::Runner::status|jsorm::v1::Runner::statusOf|jsorm::v1::checksum.*|jsorm::v1::MigrationBody::build|jsorm::v1::\(anonymous namespace\)::Canonical::steps|jsorm::v1::Runner::readApplied|PQconnectdbParams|HMAC_Init_ex|_dl_open|fmt::v9::vformat.*|jsorm::cli::Output::result|jsorm::v1::Step::describe.*|jsorm::v1::defineModel|jsorm::v1::resolveTable) ' \
    >"$report.top" || true
  sed 's/^/   /' "$report.top" | tee -a "$summary" >/dev/null
}
if wants perf && command -v perf >/dev/null; then
  log "perf: migrate $n"
  pg_fresh "$admin_url" bench
  perf stat -o "$out/perf_stat_migrate.txt" -e task-clock,context-switches,cpu-migrations,page-faults \
    "$jsorm" migrate "$module" benchSource --url "$url" --quiet
  say ""
  say "== perf stat, jsorm migrate $n (client process only)"
  grep -E 'task-clock|context-switches|page-faults|elapsed|user|sys' "$out/perf_stat_migrate.txt" | sed 's/^/   /' | tee -a "$summary" >/dev/null
  pg_fresh "$admin_url" bench
  perf record -q -F 4999 -g -o "$work/perf_migrate.data" "$jsorm" migrate "$module" benchSource --url "$url" --quiet 2>/dev/null
  perf_top "$work/perf_migrate.data" "jsorm migrate $n"

  log "perf: migrate:status $n"
  perf stat -r 10 -o "$out/perf_stat_status.txt" -e task-clock,page-faults \
    "$jsorm" migrate:status "$module" benchSource --url "$url" >/dev/null
  say ""
  say "== perf stat -r 10, jsorm migrate:status $n"
  grep -E 'task-clock|page-faults|elapsed' "$out/perf_stat_status.txt" | sed 's/^/   /' | tee -a "$summary" >/dev/null
  perf record -q -F 2999 --call-graph dwarf,16384 -o "$work/perf_status.data" -- bash -c \
    "for i in 1 2 3 4 5; do '$jsorm' migrate:status '$module' benchSource --url '$url' >/dev/null; done" 2>/dev/null
  perf_top "$work/perf_status.data" "jsorm migrate:status $n (5 runs)"
  phases "$work/perf_status.data"

  if [[ -f $module_big ]]; then
    log "perf: migrate:status $status_n"
    big_url=$(url_for_db "$admin_url" bench_big)
    pg_fresh "$admin_url" bench_big
    "$jsorm" migrate "$module_big" benchSource --url "$big_url" --dry-run --no-color | dry_run_statements >"$work/big.sql"
    pg_load "$big_url" "$work/big.sql"
    bench_psql "$big_url" -c "VACUUM ANALYZE" >/dev/null
    perf stat -r 10 -o "$out/perf_stat_status_big.txt" -e task-clock,page-faults \
      "$jsorm" migrate:status "$module_big" benchSource --url "$big_url" >/dev/null
    say ""
    say "== perf stat -r 10, jsorm migrate:status $status_n"
    grep -E 'task-clock|page-faults|elapsed' "$out/perf_stat_status_big.txt" | sed 's/^/   /' | tee -a "$summary" >/dev/null
    perf record -q -F 1999 --call-graph dwarf,16384 -o "$work/perf_status_big.data" "$jsorm" migrate:status \
      "$module_big" benchSource --url "$big_url" >/dev/null 2>&1
    perf_top "$work/perf_status_big.data" "jsorm migrate:status $status_n"
    phases "$work/perf_status_big.data"
    # Same query from psql on the same database, for scale.
    t0=$EPOCHREALTIME
    "$PSQL" -X -q -A -t -c "$(cat "$sql/status.sql")" "$big_url" >/dev/null
    t1=$EPOCHREALTIME
    say "   psql -c of the tracking query on $status_n rows: $(elapsed_ms "$t0" "$t1") ms"
  fi
fi

# --- timeline of one status run -------------------------------------------------------------
if wants timeline; then
  log "strace timeline: migrate:status $n"
  pg_fresh "$admin_url" bench
  "$jsorm" migrate "$module" benchSource --url "$url" --quiet
  trace=$work/strace_status_timeline.txt
  strace -f -qq -ttt -e trace=execve,openat,connect,sendto,recvfrom,write,exit_group -o "$trace" \
    "$jsorm" migrate:status "$module" benchSource --url "$url" >/dev/null
  awk '
    function at(label, t) { if (!(label in seen)) { seen[label] = t; order[++k] = label } }
    { t = $2 }
    NR == 1 { t0 = t }
    /openat\(.*libjsorm_runtime/ && !rt { at("runtime library opened", t); rt = 1 }
    /openat\(.*libbench_/ { at("schema module opened", t) }
    /openat\(.*libjsorm_adapter_pg/ { at("pg adapter opened", t) }
    /openat\(.*libpq/ { at("libpq opened", t) }
    / connect\(/ { at("TCP connect", t) }
    / sendto\(/ { at("first sendto (startup packet)", t); lastsend = t; sends++ }
    / recvfrom\(/ { lastrecv = t }
    / write\(1,/ { at("first line written", t); lastwrite = t }
    /exit_group/ { at("exit", t) }
    END {
      for (i = 1; i <= k; i++) printf "   %8.2f ms  %s\n", (seen[order[i]] - t0) * 1000, order[i]
      printf "   %8.2f ms  last sendto (%d sendto calls)\n", (lastsend - t0) * 1000, sends
      printf "   %8.2f ms  last recvfrom\n", (lastrecv - t0) * 1000
      printf "   %8.2f ms  last write to stdout\n", (lastwrite - t0) * 1000
    }' "$trace" >"$out/status_timeline.txt"
  say ""
  say "== timeline of one jsorm migrate:status $n (strace -ttt; strace slows every syscall)"
  tee -a "$summary" <"$out/status_timeline.txt" >/dev/null
  grep -E 'sendto\(' "$trace" | sed -E 's/^[0-9]+ +[0-9.]+ sendto\([0-9]+, "(.{0,110}).*/   \1/' | head -n 12 >"$out/status_queries.txt" || true
  say "-- what is sent (first bytes of each sendto)"
  tee -a "$summary" <"$out/status_queries.txt" >/dev/null
fi

# --- --version ------------------------------------------------------------------------------
if wants version; then
  log "--version"
  say ""
  say "== jsorm --version"
  say "   shared libraries (ldd): $(ldd "$jsorm" | wc -l)"
  LD_DEBUG=statistics "$jsorm" --version 2>"$out/ld_statistics.txt" >/dev/null || true
  grep -E 'total startup time|time needed for relocation|number of relocations:|number of relocations from cache' \
    "$out/ld_statistics.txt" | sed 's/^ *[0-9]*: */   /' | tee -a "$summary" >/dev/null
  perf stat -r 50 -o "$out/perf_stat_version.txt" -e task-clock,page-faults "$jsorm" --version >/dev/null 2>&1 || true
  grep -E 'task-clock|page-faults|elapsed' "$out/perf_stat_version.txt" | sed 's/^/   /' | tee -a "$summary" >/dev/null
  perf stat -r 50 -o "$out/perf_stat_version_psql.txt" -e task-clock,page-faults "$PSQL" --version >/dev/null 2>&1 || true
  say "   psql --version: $(grep -E 'elapsed' "$out/perf_stat_version_psql.txt" | sed 's/^ *//')"
fi

# --- disk -------------------------------------------------------------------------------------
if wants disk; then
  log "pg_test_fsync"
  /usr/lib/postgresql/15/bin/pg_test_fsync -s 3 -f "$work/fsync.tmp" >"$out/pg_test_fsync.txt" 2>&1 || true
  say ""
  say "== pg_test_fsync -s 3 on $(df -T "$work" | awk 'NR == 2 { print $1, $2 }') (one 8 kB write + flush, the WAL flush of a COMMIT)"
  awk '/Compare file sync methods using one 8kB write/ { on = 1 } on && /fdatasync|open_datasync/ { print "   " $0 } /Compare file sync methods using two/ { on = 0 }' \
    "$out/pg_test_fsync.txt" | tee -a "$summary" >/dev/null
fi

# --- heap ------------------------------------------------------------------------------------
if wants rss && command -v valgrind >/dev/null; then
  log "massif: migrate $n"
  pg_fresh "$admin_url" bench
  valgrind -q --tool=massif --massif-out-file="$work/massif_migrate.out" \
    "$jsorm" migrate "$module" benchSource --url "$url" --quiet
  pg_fresh "$admin_url" bench
  /usr/bin/time -f '%M' -o "$work/rss.txt" "$jsorm" migrate "$module" benchSource --url "$url" --quiet
  rss_migrate=$(cat "$work/rss.txt")
  /usr/bin/time -f '%M' -o "$work/rss.txt" "$jsorm" migrate:status "$module" benchSource --url "$url" >/dev/null
  rss_status=$(cat "$work/rss.txt")
  /usr/bin/time -f '%M' -o "$work/rss.txt" "$jsorm" inspect "$module" >/dev/null
  rss_inspect=$(cat "$work/rss.txt")
  /usr/bin/time -f '%M' -o "$work/rss.txt" "$jsorm" --version >/dev/null
  rss_version=$(cat "$work/rss.txt")
  peak() { awk -F= '/^mem_heap_B=/ { h = $2 } /^mem_heap_extra_B=/ { x = $2; if (h + x > m) m = h + x } END { printf "%.1f MB", m / 1048576 }' "$1"; }
  say ""
  say "== memory of jsorm migrate $n (PostgreSQL)"
  say "   peak RSS (/usr/bin/time): migrate $((rss_migrate / 1024)) MB, migrate:status $((rss_status / 1024)) MB," \
    "inspect MODULE (module loaded, no adapter) $((rss_inspect / 1024)) MB, --version $((rss_version / 1024)) MB"
  say "   heap peak (massif, incl. allocator overhead): $(peak "$work/massif_migrate.out")"
  # What the resident pages are: /proc/PID/smaps sampled every 0.2 s during a migrate run,
  # keeping the sample with the largest Rss.
  pg_fresh "$admin_url" bench
  "$jsorm" migrate "$module" benchSource --url "$url" --quiet &
  mpid=$!
  best=0
  while kill -0 "$mpid" 2>/dev/null; do
    cur=$(awk '/^Rss:/ { print $2 }' "/proc/$mpid/smaps_rollup" 2>/dev/null || true)
    if [[ -n $cur && $cur -gt $best ]]; then
      best=$cur
      grep -E '^(Rss|Pss|Shared_Clean|Private_Clean|Private_Dirty|Anonymous):' "/proc/$mpid/smaps_rollup" \
        >"$out/smaps_rollup_migrate.txt" 2>/dev/null || true
      awk '/^[0-9a-f]+-[0-9a-f]+ / { name = ($6 == "" ? "[anonymous]" : $6) } /^Rss:/ { rss[name] += $2 }
        END { for (n in rss) printf "%6d kB  %s\n", rss[n], n }' "/proc/$mpid/smaps" 2>/dev/null |
        sort -rn >"$out/smaps_migrate.txt" || true
    fi
    sleep 0.2
  done
  wait "$mpid" || true
  if [[ -s $out/smaps_rollup_migrate.txt ]]; then
    say "   resident pages at the largest sampled Rss of migrate $n (/proc/PID/smaps_rollup): $(tr -s ' \n' ' ' <"$out/smaps_rollup_migrate.txt")"
    say "   largest mappings by RSS:"
    head -n 14 "$out/smaps_migrate.txt" | sed 's/^/     /' | tee -a "$summary" >/dev/null
  fi

  ms_print "$work/massif_migrate.out" >"$work/massif_migrate.txt" 2>/dev/null || true
  head -n 60 "$work/massif_migrate.txt" >"$out/massif_migrate.txt"
  if [[ -n ${big_url:-} && -f $module_big ]]; then
    log "massif: migrate:status $status_n"
    valgrind -q --tool=massif --massif-out-file="$work/massif_status_big.out" \
      "$jsorm" migrate:status "$module_big" benchSource --url "$big_url" >/dev/null
    say "   heap peak of migrate:status $status_n (massif): $(peak "$work/massif_status_big.out")"
    ms_print "$work/massif_status_big.out" >"$work/massif_status_big.txt" 2>/dev/null || true
    head -n 60 "$work/massif_status_big.txt" >"$out/massif_status_big.txt"
  fi
  say "   largest heap allocation sites at the peak of migrate $n (ms_print):"
  grep -E '^(->|\| ->)[0-9.]+%' "$work/massif_migrate.txt" | head -n 12 | cut -c1-200 | sed 's/^/   /' | tee -a "$summary" >/dev/null || true
fi

# --- compile --------------------------------------------------------------------------------
if wants compile; then
  ccj=$build_dir/compile_commands.json
  cmd=$(grep -o "\"command\": \"[^\"]*migrations_$n\\.cpp\"" "$ccj" | head -n1 | sed 's/^"command": "//; s/"$//' || true)
  [[ -n $cmd ]] || bench_die "no compile command for migrations_$n.cpp in $ccj"
  "$here/generate_module.sh" "$compile_n" "$work/gen" >/dev/null
  "$here/generate_module.sh" 1 "$work/gen" >/dev/null
  # The patched copy of the public headers: Step, Field and Model get declared (not inline)
  # copy/move constructors, assignments and destructors, as if core defined them out of line.
  cp -r "$root/core/include" "$work/include-outline"
  python_free_patch() {
    local f=$work/include-outline/jsorm/step.hpp
    sed -i 's|^  const Operation& operation() const noexcept { return op_; }|  ~Step();\n  Step(const Step\&);\n  Step(Step\&\&) noexcept;\n  Step\& operator=(const Step\&);\n  Step\& operator=(Step\&\&) noexcept;\n\n&|' "$f"
    grep -q '~Step();' "$f" || bench_die "could not patch $f"
    f=$work/include-outline/jsorm/model.hpp
    sed -i 's|^  explicit Field(FieldSpec spec) : spec_(std::move(spec)) {}|&\n  ~Field();\n  Field(const Field\&);\n  Field(Field\&\&) noexcept;\n  Field\& operator=(const Field\&);\n  Field\& operator=(Field\&\&) noexcept;|' "$f"
    grep -q '~Field();' "$f" || bench_die "could not patch $f"
    sed -i 's|^  explicit Model(std::shared_ptr<const ModelData> data);|&\n  ~Model();\n  Model(const Model\&);\n  Model(Model\&\&) noexcept;\n  Model\& operator=(const Model\&);\n  Model\& operator=(Model\&\&) noexcept;|' "$f"
    grep -q '~Model();' "$f" || bench_die "could not patch $f"
  }
  python_free_patch
  # compile_one LABEL SRC EXTRA_SED: the build's line with the -O level and includes replaced
  compile_one() {
    local label=$1 src=$2 opt=$3 include=$4 extra=${5:-}
    local line
    line=$(sed -E "s# -O[0-3sg]( |\$)# $opt #; s# -o [^ ]+ -c [^ ]+\$# -o $work/$label.o -c $src#; s#-I$root/core/include#-I$include#" <<<"$cmd")
    read -r -a argv <<<"$line $extra"
    /usr/bin/time -f '%e %U %S %M' -o "$work/$label.time" "${argv[@]}" >"$out/compile_$label.log" 2>&1 ||
      { echo "   $label: compile failed (see compile_$label.log)"; return 0; }
    read -r wall user sys rss <"$work/$label.time"
    printf '   %-28s wall %6.2f s  cpu %6.2f s  peak RSS %5.0f MB  .text %s\n' "$label" "$wall" \
      "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$(awk -v r="$rss" 'BEGIN { print r / 1024 }')" \
      "$(size "$work/$label.o" | awk 'NR == 2 { print $1 }')"
  }
  inc=$root/core/include
  log "compile experiments (N=$compile_n and N=1)"
  say ""
  say "== compile cost, one TU (c++ $(c++ -dumpversion)); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  {
    compile_one "N1_O2" "$work/gen/migrations_1.cpp" -O2 "$inc"
    compile_one "N${compile_n}_O2" "$work/gen/migrations_$compile_n.cpp" -O2 "$inc"
    compile_one "N${compile_n}_O2_timereport" "$work/gen/migrations_$compile_n.cpp" -O2 "$inc" "-ftime-report"
    compile_one "N${compile_n}_O0" "$work/gen/migrations_$compile_n.cpp" -O0 "$inc"
    compile_one "N${compile_n}_O1" "$work/gen/migrations_$compile_n.cpp" -O1 "$inc"
    compile_one "N${compile_n}_Os" "$work/gen/migrations_$compile_n.cpp" -Os "$inc"
    compile_one "N${compile_n}_O2_noinline" "$work/gen/migrations_$compile_n.cpp" -O2 "$inc" "-fno-inline-functions -fno-inline-small-functions"
    compile_one "N1_O2_outline" "$work/gen/migrations_1.cpp" -O2 "$work/include-outline"
    compile_one "N${compile_n}_Og" "$work/gen/migrations_$compile_n.cpp" -Og "$inc"
    compile_one "N${compile_n}_O2_outline" "$work/gen/migrations_$compile_n.cpp" -O2 "$work/include-outline"
    compile_one "N${compile_n}_O1_outline" "$work/gen/migrations_$compile_n.cpp" -O1 "$work/include-outline"
    compile_one "N${compile_n}_O0_outline" "$work/gen/migrations_$compile_n.cpp" -O0 "$work/include-outline"
  } | tee -a "$summary"
  say "-- -ftime-report, N=$compile_n at -O2 (phases and the largest passes)"
  grep -E '^ phase|TOTAL' "$out/compile_N${compile_n}_O2_timereport.log" | sed 's/^/   /' | tee -a "$summary" >/dev/null
  grep -E '^ [a-zA-Z]' "$out/compile_N${compile_n}_O2_timereport.log" | grep -v -E '^ phase|TOTAL' | sort -t: -k2 -rn |
    head -n 8 | sed 's/^/   /' | tee -a "$summary" >/dev/null
fi
log "done: $summary"
