#!/usr/bin/env bash
# The main job: builds jsorm and the roles/users example, migrates the example into a
# SQLite file (roles_users.db, or the path given), and shows the resulting status.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${JSORM_BUILD_DIR:-$root/build}"
database="${1:-$root/roles_users.db}"

echo "Building jsorm and the example into $build ..."
"$root/scripts/build.sh" -DJSORM_BUILD_EXAMPLES=ON -DJSORM_BUILD_TESTS=OFF >/dev/null
echo "== jsorm migrate"
"$build/bin/jsorm" migrate "$build/lib/libroles_users.so" ormSource --url "sqlite:$database"
echo
echo "== jsorm migrate:status"
"$build/bin/jsorm" migrate:status "$build/lib/libroles_users.so" ormSource --url "sqlite:$database"
