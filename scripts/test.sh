#!/usr/bin/env bash
# The whole test suite: installs dependencies, builds everything with tests, starts a
# throwaway PostgreSQL on loopback, runs CTest (unit, integration on SQLite and
# PostgreSQL, CLI process tests), and stops the server again. Extra arguments go to ctest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${JSORM_BUILD_DIR:-$root/build}"

"$root/scripts/install-deps.sh"
echo "== build ($build)"
"$root/scripts/build.sh" -DJSORM_BUILD_TESTS=ON -DJSORM_BUILD_EXAMPLES=ON

cluster="$(mktemp -d /tmp/jsorm-pg-XXXXXX)"
cleanup() { "$root/scripts/pg-test-cluster.sh" stop "$cluster" >/dev/null 2>&1 || true; }
trap cleanup EXIT
echo "== PostgreSQL (throwaway cluster in $cluster)"
"$root/scripts/pg-test-cluster.sh" start "$cluster" >/dev/null
set -a
# shellcheck disable=SC1091
. "$cluster/env"
set +a
export JSORM_TEST_PG_CLUSTER="$cluster"

echo "== tests"
ctest --test-dir "$build" --output-on-failure -j"${JOBS:-2}" "$@"
