#!/usr/bin/env bash
# Installs jsorm to a prefix, builds the example schema module, the sqlfile adapter and the
# adapter skeleton out of tree with find_package(jsorm) (the snippets in docs/packaging.md
# and docs/adapters.md), moves the prefix elsewhere and migrates from there; checks a
# stripped install and the .deb too.
#   package_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
# Checks below pipe a command into `grep >/dev/null`, never `grep -q`: -q exits at the first
# match, the writer then dies of SIGPIPE, and pipefail turns a found line into a failure.
src="$1"
build="$2"
work="$(mktemp -d /tmp/jsorm-package-XXXXXX)"
trap 'rm -rf "$work"' EXIT
unset LD_LIBRARY_PATH JSORM_ADAPTER_PATH DATABASE_URL

step() { echo "== $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }
expect() {  # expect WHAT ACTUAL EXPECTED
  [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

step "install to a prefix"
cmake --install "$build" --prefix "$work/prefix" >/dev/null

step "build the example schema module out of tree, with no Boost flags"
! grep -i boost "$work/prefix/lib/cmake/jsorm/"*.cmake || fail "the installed package still drags Boost into its consumers"
cmake -S "$src/examples/roles_users" -B "$work/example" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
cmake --build "$work/example" -j2 >/dev/null
! grep -i boost "$work/example/compile_commands.json" || fail "a schema module is compiled with Boost flags"

step "the README's schema module compiles against the installed package and lists its source"
mkdir -p "$work/readme"
# The first C++ block after "## A schema module", as a user would copy it.
awk '/^## A schema module/ { section = 1 } section && /^```cpp/ { copying = 1; next }
     copying && /^```/ { exit } copying { print }' "$src/README.md" >"$work/readme/schema.cpp"
grep >/dev/null "JSORM_EXPORT_SOURCE(ormSource)" "$work/readme/schema.cpp" || fail "no schema module snippet in README.md"
cat >"$work/readme/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(readme_schema LANGUAGES CXX)
find_package(jsorm 0.3 REQUIRED)
jsorm_add_schema_module(readme_schema SOURCES schema.cpp)
CMAKE
cmake -S "$work/readme" -B "$work/readme/build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/readme/build" -j2 >/dev/null || fail "the README's schema module does not compile"
"$work/prefix/bin/jsorm" inspect "$work/readme/build/libreadme_schema.so" | grep >/dev/null ormSource \
  || fail "the README's schema module does not export ormSource"

step "each source is a dynamic symbol of the module, found even when stripped"
nm -D --defined-only "$work/example/libroles_users.so" | grep >/dev/null -w ormSource || fail "nm -D lacks ormSource"
nm -D --defined-only "$work/example/libroles_users.so" | grep >/dev/null -w generateSource \
  || fail "nm -D lacks generateSource"
step "build the sqlfile adapter out of tree"
cmake -S "$src/examples/sqlfile_adapter" -B "$work/sqlfile" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/sqlfile" -j2 >/dev/null
step "build the adapter skeleton out of tree"
cmake -S "$src/examples/adapter_skeleton" -B "$work/skeleton" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/skeleton" -j2 >/dev/null

step "move the prefix: it must run from anywhere without LD_LIBRARY_PATH"
mkdir -p "$work/elsewhere"
mv "$work/prefix" "$work/elsewhere/jsorm"
jsorm="$work/elsewhere/jsorm/bin/jsorm"
"$jsorm" --version | grep >/dev/null "jsorm 0.3.0 (plugin ABI 5)" || fail "jsorm --version from the moved prefix"
module="$work/example/libroles_users.so"
"$jsorm" migrate "$module" ormSource --url "sqlite:$work/app.db"
expect "applied migrations" "$(sqlite3 "$work/app.db" 'SELECT COUNT(*) FROM jsorm_migrations')" 2
expect "users.timezone" "$(sqlite3 "$work/app.db" "SELECT COUNT(*) FROM pragma_table_info('users') WHERE name = 'timezone'")" 1
"$jsorm" adapters | grep >/dev/null "$work/elsewhere/jsorm/lib/jsorm/adapters/libjsorm_adapter_sqlite.so" \
  || fail "the moved prefix's own adapters are not found"

step "the out-of-tree sqlfile adapter writes a script that SQLite runs"
"$jsorm" migrate "$module" ormSource --adapter-path "$work/sqlfile" --url "sqlfile:$work/deploy.sql?dialect=sqlite"
grep -q 'CREATE TABLE "users"' "$work/deploy.sql" || fail "deploy.sql lacks CREATE TABLE users"
sqlite3 "$work/from-script.db" < "$work/deploy.sql"
expect "tracking rows from the script" "$(sqlite3 "$work/from-script.db" 'SELECT COUNT(*) FROM jsorm_migrations')" 2
"$jsorm" migrate:status "$module" ormSource --url "sqlite:$work/from-script.db" >/dev/null \
  || fail "a database built from the script is not up to date for jsorm"
JSORM_ADAPTER_PATH="$work/skeleton" "$jsorm" adapters | grep >/dev/null "mydb" || fail "the skeleton adapter is not listed"

step "stripped install and stripped module still load and list"
cmake --install "$build" --prefix "$work/stripped" --strip >/dev/null
cp "$module" "$work/stripped-module.so"
strip "$work/stripped-module.so"
"$work/stripped/bin/jsorm" inspect "$work/stripped-module.so" | grep >/dev/null "ormSource" || fail "inspect of a stripped module"
"$work/stripped/bin/jsorm" migrate "$work/stripped-module.so" ormSource --url "sqlite:$work/stripped.db" >/dev/null
expect "applied by the stripped install" "$(sqlite3 "$work/stripped.db" 'SELECT COUNT(*) FROM jsorm_migrations')" 2

step "the installed jsorm_add_schema_module records the build provenance, and strip keeps it"
# The example's sources are in the jsorm checkout; the README's module is in $work, outside any.
"$work/stripped/bin/jsorm" inspect "$work/stripped-module.so" | grep >/dev/null -E "provenance: revision ([0-9a-f]{40}(-dirty)?|unknown), built " \
  || fail "the stripped example module shows no provenance"
"$jsorm" inspect "$work/readme/build/libreadme_schema.so" | grep >/dev/null "provenance: revision unknown, built " \
  || fail "a module built outside a git checkout does not say its revision is unknown"

step "the Debian package unpacks and runs"
(cd "$build" && cpack -G DEB -B "$work/deb" >/dev/null)
deb="$(ls "$work"/deb/*.deb)"
dpkg-deb --field "$deb" Depends | grep >/dev/null libpq5 || fail "the .deb does not depend on libpq5"
dpkg -x "$deb" "$work/root"
"$work/root/usr/bin/jsorm" --version | grep >/dev/null "plugin ABI 5" || fail "jsorm --version from the unpacked .deb"
"$work/root/usr/bin/jsorm" migrate "$module" ormSource --url "sqlite:$work/deb.db" >/dev/null
expect "applied by the .deb's jsorm" "$(sqlite3 "$work/deb.db" 'SELECT COUNT(*) FROM jsorm_migrations')" 2

echo "1 passed, 0 failed"
