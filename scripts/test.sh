#!/usr/bin/env bash
# The whole test suite: installs dependencies, builds everything with tests, starts
# throwaway database servers on loopback (PostgreSQL, MariaDB, and a 3-node MariaDB Galera
# cluster; once, shared by both runs below), runs CTest (unit, integration on SQLite and
# the servers, CLI process tests, reliability suites), checks that no test password
# appears in any output, builds everything again under AddressSanitizer + UBSan and runs
# the suite there, runs each fuzzer briefly, and stops the servers again. Extra arguments
# go to ctest (both runs).
#
# The tests find the servers in JSORM_TEST_PG_URL, JSORM_TEST_MYSQL_URL and
# JSORM_TEST_GALERA_URLS (three URLs separated by spaces, one per node), and their
# directories (for `createdb`) in JSORM_TEST_PG_CLUSTER, JSORM_TEST_MYSQL_SERVER and
# JSORM_TEST_GALERA_CLUSTER.
#
#   JSORM_BUILD_DIR=DIR        the normal build (default build/)
#   JSORM_ASAN_BUILD_DIR=DIR   the sanitizer build (default build-asan/)
#   JSORM_SANITIZE_SUITE=0     skip the sanitizer build and run (local use; CI runs them)
#   JSORM_SKIP_FUZZ=1          skip the fuzzers (local use; CI runs them)
#   JSORM_FUZZ_SECONDS=N       seconds per fuzzer (default 20)
#   JSORM_KILL_TRIALS=N        kill -9 trials per database (default 20)
#   JSORM_RACE_TRIALS=N        racing-runner rounds per database (default 10)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${JSORM_BUILD_DIR:-$root/build}"
asan_build="${JSORM_ASAN_BUILD_DIR:-$root/build-asan}"
started=$SECONDS
filtered=$#  # with a ctest filter, some suites (and their process output) may not run

"$root/scripts/install-deps.sh"
echo "== build ($build)"
"$root/scripts/build.sh" -DJSORM_BUILD_TESTS=ON -DJSORM_BUILD_EXAMPLES=ON

# Every password the tests hand to jsorm (the test server's, and the ones the CLI tests put
# in URLs and configs to check they are never printed) contains this run's secret: 32
# random hex digits, which no path, port or message holds by chance. tests/support's
# testSecret() builds them from it.
JSORM_TEST_SECRET=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
export JSORM_TEST_SECRET
export JSORM_TEST_PG_PASSWORD="pg-$JSORM_TEST_SECRET"
export JSORM_TEST_MYSQL_PASSWORD="my-$JSORM_TEST_SECRET"
export JSORM_TEST_GALERA_PASSWORD="gl-$JSORM_TEST_SECRET"

# The servers' directories, and the scripts that started them, in start order; stopped in
# reverse order on exit. A directory a start left empty (it failed before making it its
# own, so `stop` refuses it) is removed too.
servers=()
cleanup() {
  local i script dir
  for ((i = ${#servers[@]} - 1; i >= 0; i--)); do
    script=${servers[i]%%:*}
    dir=${servers[i]#*:}
    "$root/scripts/$script" stop "$dir" >/dev/null 2>&1 || true
    rmdir "$dir" 2>/dev/null || true
  done
}
trap cleanup EXIT

# Starts a throwaway server with scripts/$1 in a new directory under /tmp (prefix $2; $3
# names it), loads its DIR/env into the environment and sets `server_dir`.
start_server() {
  local script=$1 prefix=$2 what=$3 phase_started=$SECONDS
  server_dir="$(mktemp -d "/tmp/jsorm-$prefix-XXXXXX")"
  servers+=("$script:$server_dir")
  echo "== $what (throwaway, in $server_dir)"
  "$root/scripts/$script" start "$server_dir" >/dev/null
  echo "== $what started in $((SECONDS - phase_started))s"
  set -a
  # shellcheck disable=SC1091
  . "$server_dir/env"
  set +a
}

start_server pg-test-cluster.sh pg "PostgreSQL"
export JSORM_TEST_PG_CLUSTER="$server_dir"
start_server mariadb-test-server.sh my "MariaDB"
export JSORM_TEST_MYSQL_SERVER="$server_dir"
start_server galera-test-cluster.sh gl "MariaDB Galera, 3 nodes"
export JSORM_TEST_GALERA_CLUSTER="$server_dir"

for url in "$JSORM_TEST_PG_URL" "$JSORM_TEST_MYSQL_URL" $JSORM_TEST_GALERA_URLS; do
  [[ "$url" == *"$JSORM_TEST_SECRET"@* ]] ||
    { echo "test: a test server's password does not hold this run's secret (${url%%://*} URL)" >&2; exit 1; }
done

# Runs ctest in build dir $1 (further arguments go to ctest), keeping its console output,
# CTest's own log of every test's output, and everything the jsorm processes printed
# (JSORM_TEST_PROCESS_LOG, written by tests/support/process.cpp); then searches all three
# for this run's secret, printing each line that holds it (the secret itself masked). A
# leak fails the run even when every test passed.
# Whether every test that failed in the last ctest run of build $1 failed only because
# LeakSanitizer's stop-the-world tracer crashed at exit ("Tracer caught signal 11") after
# the test body had passed. That is a known, unfixed flake of the sanitizer runtime under
# load, not a finding: such tests, and only such, are run a second time.
only_tracer_crashes() {
  local temporary="$1/Testing/Temporary" name found=0
  [ -s "$temporary/LastTestsFailed.log" ] || return 1
  while IFS= read -r name; do
    name=${name#*:}
    awk -v header="Test: $name" '
      index($0, header) && substr($0, index($0, header)) == header { inside = 1; next }
      inside && /^Test time/ { exit }
      inside && /Tracer caught signal/ { tracer = 1 }
      inside && /All tests passed/ { passed = 1 }
      END { exit !(tracer && passed) }' "$temporary/LastTest.log" || return 1
    found=1
  done <"$temporary/LastTestsFailed.log"
  [ $found -eq 1 ]
}

run_suite() {
  local dir=$1
  shift
  local console="$dir/Testing/ctest-console.log" processes="$dir/Testing/process-output.log"
  local first_log="$dir/Testing/Temporary/LastTest-first-run.log"
  mkdir -p "$dir/Testing"
  rm -f "$console" "$processes" "$first_log"
  local rc=0
  JSORM_TEST_PROCESS_LOG="$processes" ctest --test-dir "$dir" --output-on-failure -j"${JOBS:-2}" "$@" 2>&1 |
    tee "$console" || rc=$?
  if [ $rc -ne 0 ] && only_tracer_crashes "$dir"; then
    echo "== LeakSanitizer's tracer crashed after these tests passed; running them once more:"
    sed 's/^/   /' "$dir/Testing/Temporary/LastTestsFailed.log"
    cp "$dir/Testing/Temporary/LastTest.log" "$first_log"
    rc=0
    JSORM_TEST_PROCESS_LOG="$processes" ctest --test-dir "$dir" --output-on-failure --rerun-failed 2>&1 |
      tee -a "$console" || rc=$?
  fi
  # The process log must exist, or the search below would pass without looking at anything.
  if [ "$filtered" -eq 0 ] && [ ! -s "$processes" ]; then
    echo "test: no process output was logged to $processes" >&2
    rc=1
  fi
  local leaked=0 hits
  hits=$(grep -F -n -- "$JSORM_TEST_SECRET" "$console" "$dir/Testing/Temporary/LastTest.log" "$first_log" \
    "$processes" 2>/dev/null || true)
  if [ -n "$hits" ]; then
    echo "test: a test password appears in the output (secret shown as <secret>):" >&2
    printf '%s\n' "${hits//$JSORM_TEST_SECRET/<secret>}" | head -n 20 >&2
    leaked=1
  fi
  [ $leaked -eq 0 ] && echo "== secrets: no test password in any output of $dir"
  [ $rc -eq 0 ] && [ $leaked -eq 0 ]
}

echo "== tests"
suite_started=$SECONDS
run_suite "$build" "$@"
echo "== tests took $((SECONDS - suite_started))s"

if [ "${JSORM_SANITIZE_SUITE:-1}" != 0 ]; then
  echo "== sanitizer build ($asan_build)"
  phase_started=$SECONDS
  # ASan needs the frame pointers and one runtime: the host `jsorm` and the test programs
  # carry it, and the plugins and schema modules they dlopen use theirs. -O0 -g1 (line
  # tables for the reports, no optimiser) builds in about half the time of -O2 -g, which
  # keeps CI within its budget; the tests wait on databases and processes, not on CPU.
  JSORM_BUILD_DIR="$asan_build" "$root/scripts/build.sh" -DJSORM_SANITIZE=ON -DJSORM_BUILD_TESTS=ON \
    -DJSORM_BUILD_EXAMPLES=ON -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g1"
  echo "== sanitizer tests"
  # - detect_leaks: on; a leak is a finding like any other. Sanitizer builds keep plugins
  #   and modules mapped until exit (JSORM_KEEP_SHARED_OBJECTS_LOADED), so a report names
  #   its frames and the state libpq keeps in its globals is not taken for a leak.
  # - Allocation stacks use the frame-pointer unwinder (the default): the slow one
  #   (fast_unwind_on_malloc=0) made each jsorm run ten times as expensive in CPU.
  # - halt_on_error for UBSan: a report fails the test instead of scrolling by.
  # - The package test is excluded: it installs the tree and builds consumers with plain
  #   g++, which cannot link libraries that need the ASan runtime; it runs in the normal build.
  # - Kill trials are fewer (16: 4 for each rarer kind), as are racing rounds: ASan makes
  #   each run ~3x slower and the normal run already covers the trial count; the sanitizer
  #   run is about memory errors on those paths.
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}" \
  UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
  JSORM_KILL_TRIALS="${JSORM_ASAN_KILL_TRIALS:-16}" JSORM_RACE_TRIALS="${JSORM_ASAN_RACE_TRIALS:-2}" \
    run_suite "$asan_build" -E "^package:" "$@"
  echo "== sanitizers took $((SECONDS - phase_started))s"
fi

if [ "${JSORM_SKIP_FUZZ:-0}" != 1 ]; then
  phase_started=$SECONDS
  "$root/scripts/fuzz.sh"
  echo "== fuzzing took $((SECONDS - phase_started))s"
fi
echo "== all done in $((SECONDS - started))s"
