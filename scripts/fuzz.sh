#!/usr/bin/env bash
# Builds the libFuzzer targets with clang into build-fuzz/ (or $JSORM_FUZZ_BUILD_DIR) and
# runs each over its seed corpus in fuzz/corpus/<target>/ for JSORM_FUZZ_SECONDS seconds
# (default 20, what CI runs; raise it for a longer hunt). New inputs go to a scratch corpus,
# so the repository's seeds change only when someone copies a finding in on purpose.
# A crash leaves its input as build-fuzz/artifacts/<target>/crash-*; reproduce it with
#   build-fuzz/bin/fuzz_<target> build-fuzz/artifacts/<target>/crash-...
# Usage: scripts/fuzz.sh [TARGET...]   (config, snapshot, url; default all)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${JSORM_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${JSORM_FUZZ_SECONDS:-20}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(config snapshot url)

"$root/scripts/install-deps.sh"
echo "== fuzz build ($build)"
# Only the fuzz targets and what they link are built: the rest of the tree is not needed.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DJSORM_BUILD_FUZZERS=ON -DJSORM_BUILD_TESTS=OFF -DJSORM_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" -j"${JOBS:-2}" --target "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
for target in "${targets[@]}"; do
  scratch="$build/corpus/$target"
  artifacts="$build/artifacts/$target"
  mkdir -p "$scratch" "$artifacts"
  echo "== fuzz_$target for ${seconds}s (seeds: fuzz/corpus/$target)"
  "$build/bin/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$scratch" "$root/fuzz/corpus/$target" 2>"$build/fuzz_$target.log" || {
    tail -n 40 "$build/fuzz_$target.log" >&2
    echo "fuzz: fuzz_$target failed; the input is in $artifacts" >&2
    exit 1
  }
  grep -E "^stat::number_of_executed_units|^stat::new_units_added" "$build/fuzz_$target.log" | tr '\n' ' '
  echo
done
