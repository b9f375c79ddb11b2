#!/usr/bin/env bash
# migrate:generate end to end, out of tree against an installed jsorm:
#   models v1 -> generate -> build -> migrate -> rows -> models v2 -> generate (refused:
#   dangerous, exit 12) -> generate --allow-dangerous -> build -> status (1 pending) ->
#   migrate -> the data survived the rename -> the migrated schema equals the schema that
#   createTable() of the v2 models makes in a fresh database.
#
#   roundtrip_test.sh SOURCE_DIR BUILD_DIR sqlite|pg|mysql
#
# pg takes the server from $JSORM_TEST_PG_URL (scripts/pg-test-cluster.sh), mysql from
# $JSORM_TEST_MYSQL_URL (scripts/mariadb-test-server.sh); each fails when its variable is
# unset, and creates and drops two scratch databases on that server.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 SOURCE_DIR BUILD_DIR sqlite|pg|mysql" >&2; exit 2; }
src="$1"
build="$2"
db="$3"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
unset LD_LIBRARY_PATH JSORM_ADAPTER_PATH DATABASE_URL JSORM_ENV

. "$here/lib.sh"
scratch_prefix=jsorm_rt
require_database || { echo "usage: $0 SOURCE_DIR BUILD_DIR sqlite|pg|mysql" >&2; exit 2; }
make_workdir roundtrip

# --- the database under test ----------------------------------------------------------

# SQL for column $1 as text: MySQL casts to CHAR, it has no TEXT type in CAST.
as_text() { if [ "$db" = mysql ]; then echo "CAST($1 AS CHAR)"; else echo "CAST($1 AS TEXT)"; fi; }

# The schema of a database as sorted lines, tracking tables left out:
#   table|T   column|T|name|type|notnull|default   index|T|name
schema_of() {  # schema_of URL
  local url="$1" table
  if [ "$db" = sqlite ]; then
    local tables
    tables="$(sql "$url" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN
      ('jsorm_migrations', 'fresh_migrations', 'sqlite_sequence') ORDER BY name")"
    for table in $tables; do
      echo "table|$table"
      sql "$url" "SELECT 'column|$table|' || name || '|' || type || '|' || \"notnull\" || '|' || IFNULL(dflt_value, '<none>')
                  FROM pragma_table_info('$table')"
      sql "$url" "SELECT 'index|$table|' || name FROM pragma_index_list('$table')"
    done | LC_ALL=C sort
  elif [ "$db" = mysql ]; then
    local tracking="'jsorm_migrations', 'jsorm_migrations_steps', 'jsorm_migrations_lock', 'fresh_migrations',
                    'fresh_migrations_steps', 'fresh_migrations_lock'"
    {
      sql "$url" "SELECT 'table|' || table_name FROM information_schema.tables
                  WHERE table_schema = DATABASE() AND table_name NOT IN ($tracking)"
      sql "$url" "SELECT 'column|' || table_name || '|' || column_name || '|' || column_type || '|' ||
                         IF(is_nullable = 'NO', '1', '0') || '|' || COALESCE(column_default, '<none>') || '|' || extra
                  FROM information_schema.columns
                  WHERE table_schema = DATABASE() AND table_name NOT IN ($tracking)"
      sql "$url" "SELECT 'index|' || table_name || '|' || index_name || '|' || IF(non_unique = 0, 'unique', 'non-unique') ||
                         '|' || GROUP_CONCAT(column_name ORDER BY seq_in_index)
                  FROM information_schema.statistics
                  WHERE table_schema = DATABASE() AND table_name NOT IN ($tracking)
                  GROUP BY table_name, index_name, non_unique"
      sql "$url" "SELECT 'foreign-key|' || table_name || '|' || column_name || '|' || referenced_table_name || '.' ||
                         referenced_column_name
                  FROM information_schema.key_column_usage
                  WHERE table_schema = DATABASE() AND referenced_table_name IS NOT NULL AND table_name NOT IN ($tracking)"
    } | LC_ALL=C sort
  else
    {
      sql "$url" "SELECT 'table|' || table_name FROM information_schema.tables
                  WHERE table_schema = 'public' AND table_name NOT IN ('jsorm_migrations', 'fresh_migrations')"
      sql "$url" "SELECT 'column|' || table_name || '|' || column_name || '|' || data_type || '(' ||
                         COALESCE(character_maximum_length::text, '') || ',' || COALESCE(numeric_precision::text, '') || ',' ||
                         COALESCE(numeric_scale::text, '') || ')|' || CASE is_nullable WHEN 'NO' THEN '1' ELSE '0' END ||
                         '|' || COALESCE(column_default, '<none>') || '|identity=' || is_identity
                  FROM information_schema.columns
                  WHERE table_schema = 'public' AND table_name NOT IN ('jsorm_migrations', 'fresh_migrations')"
      sql "$url" "SELECT 'index|' || tablename || '|' || indexname FROM pg_indexes
                  WHERE schemaname = 'public' AND tablename NOT IN ('jsorm_migrations', 'fresh_migrations')"
    } | LC_ALL=C sort
  fi
}

# --- jsorm and the project ---------------------------------------------------------------

install_jsorm "$build"

step "create the project (models v1)"
app="$work/app"
mkdir -p "$app"
cat >"$app/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.25)
project(roundtrip_app LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
find_package(jsorm 0.3 REQUIRED)
jsorm_add_schema_module(app SOURCES schema.cpp MIGRATIONS_DIR migrations)
EOF
cat >"$app/schema.cpp" <<'EOF'
// The generated migrations (migrations/*.cpp, registered with JSORM_MIGRATION) as ormSource;
// the current models created from scratch as freshSource, the reference schema.
#include <jsorm/jsorm.hpp>

#include "models.hpp"

using namespace jsorm;

JSORM_EXPORT_SOURCE(ormSource) {
  return defineMigrationSource({
      .adapter = sqliteAdapter({.name = "main", .path = "app.db"}),
      .migrations = registeredMigrations(),
  });
}

JSORM_EXPORT_SOURCE(freshSource) {
  return defineMigrationSource({
      .adapter = sqliteAdapter({.name = "main", .path = "fresh.db"}),
      .migrations = {defineMigration({
          .name = "create-every-model",
          .up = [](Builder& t) {
            Steps steps;
            for (const Model& model : app::models()) steps.push_back(t.createTable(model));
            return steps;
          },
      })},
      .migrationTable = "fresh_migrations",
  });
}

JSORM_EXPORT_GENERATE_SOURCE(generateSource) {
  return defineMigrationGenerateSource({.models = app::models(), .snapshotPath = "schema.json"});
}
EOF
use_models() {  # use_models v1|v2
  cp "$here/models_$1.hpp" "$app/models.hpp"
  touch "$app/models.hpp"
}
use_models v1

configure_app
build_app "v1 models, no migrations yet"
module="$app/build/libapp.so"
[ -f "$module" ] || fail "no $module"

# Runs jsorm from the project folder; sets $rc, $out (stdout and stderr together).
run() {
  set +e
  out="$(cd "$app" && "$jsorm" "$@" 2>&1)"
  rc=$?
  set -e
}
migration_files() { (cd "$app" && ls migrations/*.cpp 2>/dev/null | wc -l); }

step "migrate:generate for v1: every table"
run migrate:generate "$module" generateSource
echo "$out"
expect "migrate:generate (v1) exit code" "$rc" 0
[ -f "$app/schema.json" ] || fail "migrate:generate wrote no schema.json in the project folder"
expect "migration files after v1" "$(migration_files)" 1
run migrate:generate "$module" generateSource --check
expect "migrate:generate --check right after generating (v1)" "$rc" 0

step "build and migrate v1"
build_app "with the v1 migration"
new_database app
url="$new_url"
run migrate "$module" ormSource --url "$url"
[ "$rc" = 0 ] || { echo "$out" >&2; fail "migrate (v1) exited $rc"; }
run migrate:status "$module" ormSource --url "$url"
[ "$rc" = 0 ] || { echo "$out" >&2; fail "migrate:status after v1 exited $rc"; }

step "rows written under v1"
sql "$url" "INSERT INTO authors (fullname, email) VALUES ('Ada Lovelace', 'ada@example.org')" >/dev/null
sql "$url" "INSERT INTO posts (title, author_id, legacy_code) VALUES ('Notes on the Engine', 1, 'X-1')" >/dev/null
sql "$url" "INSERT INTO tags (label) VALUES ('maths')" >/dev/null
sql "$url" "INSERT INTO drafts (body, author_id) VALUES ('unfinished', 1)" >/dev/null

step "models v2: migrate:generate refuses the dangerous drops without --allow-dangerous"
use_models v2
build_app "v2 models, v1 migration"
snapshot_v1="$(cat "$app/schema.json")"
run migrate:generate "$module" generateSource --check
expect "migrate:generate --check with v2 models" "$rc" 11
run migrate:generate "$module" generateSource
echo "$out"
expect "migrate:generate (v2, no --allow-dangerous) exit code" "$rc" 12
expect "migration files after the refused run" "$(migration_files)" 1
expect "review files after the refused run" "$(cd "$app" && ls migrations/*.cpp.review 2>/dev/null | wc -l)" 1
[ "$(cat "$app/schema.json")" = "$snapshot_v1" ] || fail "the refused run changed schema.json"
echo "$out" | grep >/dev/null "posts_tags" || fail "migrate:generate did not report the pivot table posts_tags"

step "migrate:generate --allow-dangerous"
run migrate:generate "$module" generateSource --allow-dangerous
echo "$out"
expect "migrate:generate --allow-dangerous exit code" "$rc" 0
expect "migration files after v2" "$(migration_files)" 2
[ "$(cat "$app/schema.json")" != "$snapshot_v1" ] || fail "schema.json was not updated"
run migrate:generate "$module" generateSource --check
expect "migrate:generate --check right after generating (v2)" "$rc" 0
latest="$(cd "$app" && ls migrations/*.cpp | LC_ALL=C sort | tail -n 1)"
echo "--- $latest"
cat "$app/$latest"
echo "---"

step "rebuild: the new migration is pending"
build_app "with the v2 migration"
run migrate:status "$module" ormSource --url "$url"
echo "$out"
expect "migrate:status with the v2 migration pending, exit code" "$rc" 10
echo "$out" | grep >/dev/null "2 migrations on .*: 1 applied, 1 pending, 0 changed, 0 missing" ||
  fail "migrate:status does not show 1 applied and 1 pending"

step "migrate v2"
run migrate "$module" ormSource --url "$url"
[ "$rc" = 0 ] || { echo "$out" >&2; fail "migrate (v2) exited $rc"; }
run migrate:status "$module" ormSource --url "$url"
[ "$rc" = 0 ] || { echo "$out" >&2; fail "migrate:status after v2 exited $rc"; }

step "the data survived"
expect "authors.name of the v1 author (renamed from fullname)" "$(sql "$url" "SELECT name FROM authors WHERE id = 1")" \
  "Ada Lovelace"
expect "authors.email" "$(sql "$url" "SELECT email FROM authors WHERE id = 1")" "ada@example.org"
active="$(sql "$url" "SELECT active FROM authors WHERE id = 1")"
case "$active" in 1 | t | true | TRUE) ;; *) fail "authors.active of an existing row: got '$active', expected true" ;; esac
expect "the v1 post and its author" "$(sql "$url" "SELECT title || '/' || author_id FROM posts")" "Notes on the Engine/1"
expect "posts.editor_id of the v1 post" "$(sql "$url" "SELECT COALESCE($(as_text editor_id), 'null') FROM posts")" "null"
expect "tags kept" "$(sql "$url" "SELECT label FROM tags")" "maths"
sql "$url" "INSERT INTO posts_tags (posts_id, tags_id) VALUES (1, 1)" >/dev/null

step "compare with the schema createTable() makes from the v2 models"
new_database fresh
fresh="$new_url"
run migrate "$module" freshSource --url "$fresh"
[ "$rc" = 0 ] || { echo "$out" >&2; fail "migrate freshSource exited $rc"; }
schema_of "$url" >"$work/migrated.schema"
schema_of "$fresh" >"$work/fresh.schema"
[ -s "$work/fresh.schema" ] || fail "the fresh database has no schema"
grep -q "^table|posts_tags$" "$work/fresh.schema" || fail "the fresh schema lacks posts_tags"
if ! diff -u --label "createTable(v2 models)" --label "migrated v1 -> v2" "$work/fresh.schema" "$work/migrated.schema" >"$work/schema.diff"; then
  cat "$work/schema.diff"
  fail "the migrated schema differs from the schema the v2 models create (lines above: - fresh, + migrated)"
fi
echo "--- the schema both databases have"
cat "$work/fresh.schema"
echo "schema: $(grep -c '^table' "$work/fresh.schema") tables, $(grep -c '^column' "$work/fresh.schema") columns, $(grep -c '^index' "$work/fresh.schema") indexes, identical"

echo "1 passed, 0 failed"
