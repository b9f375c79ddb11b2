#!/usr/bin/env bash
# The authoring workflow end to end (docs/writing-migrations.md), out of tree against an
# installed jsorm, on SQLite or PostgreSQL:
#   a hand-written migration creates tables from live models, another seeds a row with a
#   data step -> migrate an existing database -> the models change (a field added, another
#   renamed) -> migrate refuses, naming the migration and migrate:freeze -> freeze it and
#   paste the output -> rebuild: status is current again -> migrate:generate (no snapshot:
#   it replays the history) proposes only the change -> migrate:make a data step -> rebuild
#   -> migrate the existing database and a fresh one: both current, identical, and the
#   renamed column kept its data.
#
#   authoring_test.sh SOURCE_DIR BUILD_DIR sqlite|pg
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 SOURCE_DIR BUILD_DIR sqlite|pg" >&2; exit 2; }
build="$2"
db="$3"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
unset LD_LIBRARY_PATH JSORM_ADAPTER_PATH DATABASE_URL JSORM_ENV JSORM_CONFIG

. "$here/lib.sh"
scratch_prefix=jsorm_au
case "$db" in sqlite | pg) require_database ;; *) echo "usage: $0 SOURCE_DIR BUILD_DIR sqlite|pg" >&2; exit 2 ;; esac
make_workdir authoring

# The schema as sorted lines (the tracking table left out): tables, columns with type,
# NOT NULL and default, indexes, foreign keys.
schema_of() {  # schema_of URL
  local url="$1" table
  if [ "$db" = sqlite ]; then
    for table in $(sql "$url" "SELECT name FROM sqlite_master WHERE type = 'table'
                               AND name NOT IN ('jsorm_migrations', 'sqlite_sequence') ORDER BY name"); do
      echo "table|$table"
      sql "$url" "SELECT 'column|$table|' || name || '|' || type || '|' || \"notnull\" || '|' || IFNULL(dflt_value, '<none>')
                  FROM pragma_table_info('$table')"
      sql "$url" "SELECT 'index|$table|' || name || '|' || \"unique\" FROM pragma_index_list('$table')"
      sql "$url" "SELECT 'foreign-key|$table|' || \"from\" || '|' || \"table\" || '.' || \"to\" FROM pragma_foreign_key_list('$table')"
    done | LC_ALL=C sort
  else
    {
      sql "$url" "SELECT 'table|' || table_name FROM information_schema.tables
                  WHERE table_schema = 'public' AND table_name <> 'jsorm_migrations'"
      sql "$url" "SELECT 'column|' || table_name || '|' || column_name || '|' || data_type || '(' ||
                         COALESCE(character_maximum_length::text, '') || ')|' || is_nullable || '|' ||
                         COALESCE(column_default, '<none>') || '|identity=' || is_identity
                  FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'jsorm_migrations'"
      sql "$url" "SELECT 'index|' || tablename || '|' || indexname || '|' || indexdef FROM pg_indexes
                  WHERE schemaname = 'public' AND tablename <> 'jsorm_migrations'"
      sql "$url" "SELECT 'foreign-key|' || conrelid::regclass || '|' || pg_get_constraintdef(oid) FROM pg_constraint
                  WHERE contype = 'f' AND connamespace = 'public'::regnamespace"
    } | LC_ALL=C sort
  fi
}

install_jsorm "$build"

step "the blog project: live models in a hand-written migration, a data step, models v1"
app="$work/app"
mkdir -p "$app"
cp "$here/authoring/CMakeLists.txt" "$here/authoring/jsorm.toml" "$here/authoring/history.hpp" \
  "$here/authoring/schema.cpp" "$here/authoring/create_blog.cpp" "$here/authoring/seed_authors.cpp" "$app/"
use_models() { cp "$here/authoring/models_$1.hpp" "$app/models.hpp"; }
use_models v1
configure_app
build_app "v1"

# Runs jsorm in the project folder against $BLOG_DB_URL; sets $rc, $out (stdout), $err.
run() {
  set +e
  out="$(cd "$app" && "$jsorm" "$@" 2>"$work/stderr")"
  rc=$?
  err="$(cat "$work/stderr")"
  set -e
}

step "migrate the existing database"
new_database existing
existing="$new_url"
export BLOG_DB_URL="$existing"
run migrate
[ "$rc" = 0 ] || fail "migrate (v1) exited $rc: $out $err"
expect "the author the data step wrote" "$(sql "$existing" "SELECT name || '|' || email FROM authors")" "Ada|ada@example.org"
sql "$existing" "INSERT INTO posts (title, author_id, body) VALUES ('Hello', 1, 'first post')" >/dev/null

step "models v2 (authors.bio added, posts.title renamed to headline): migrate refuses and names the fix"
use_models v2
build_app "v2 models, live create-blog"
run migrate
echo "$err"
expect "migrate with a changed live model, exit code" "$rc" 7
case "$err" in
  *"'create-blog' creates tables from the live models of tables 'authors', 'posts', which changed since it was applied; run \`jsorm migrate:freeze create-blog\`"*) ;;
  *) fail "migrate did not name create-blog, its models and migrate:freeze: $err" ;;
esac

step "migrate:freeze create-blog, pasted in place of the live migration"
run migrate:freeze create-blog
echo "$out"
echo "$err"
expect "migrate:freeze exit code" "$rc" 0
case "$out" in *"// Verified: its checksum is the one jsorm_migrations recorded"*) ;; *) fail "freeze did not verify" ;; esac
case "$out" in *bio* | *headline*) fail "the frozen migration holds the v2 fields" ;; esac
{
  echo '#include "history.hpp"'
  echo
  echo 'using namespace jsorm;'
  echo
  echo "$out"
} >"$app/create_blog.cpp"
build_app "frozen create-blog"
run migrate:status
[ "$rc" = 0 ] || fail "migrate:status after freezing exited $rc (the frozen checksum must be the applied one): $out $err"

step "migrate:generate without a snapshot replays the history and proposes only the change"
run migrate:generate
echo "$out"
expect "migrate:generate exit code" "$rc" 0
case "$out" in *"compared with the schema [migrationSources.main]'s 2 migrations build"*) ;; *) fail "no note of the replayed history" ;; esac
case "$out" in *"create table"*) fail "migrate:generate proposed creating the tables again" ;; esac
case "$out" in *"add column authors.bio"*) ;; *) fail "migrate:generate did not add authors.bio" ;; esac
case "$out" in *"rename column posts.title"*) ;; *) fail "migrate:generate did not rename posts.title" ;; esac
[ -f "$app/.migrations/schema.json" ] || fail "migrate:generate wrote no snapshot"
generated="$(ls "$app"/migrations/*.cpp)"
grep -q 'renameColumn("posts", "title", "headline")' "$generated" || fail "the generated file does not rename: $(cat "$generated")"

step "migrate:make a hand-written data step after it"
sleep 1  # names sort by their timestamp: this one must come after the generated one
run migrate:make fill_bios
expect "migrate:make exit code" "$rc" 0
made="${out%%$'\n'*}"
case "$made" in "$app/migrations/"*_fill_bios.cpp) ;; *) fail "migrate:make printed '$made'" ;; esac
sed -i -e 's|#include <jsorm/jsorm.hpp>|#include <jsorm/jsorm.hpp>\n\n#include "../models.hpp"|' \
  -e 's|          // t.addColumn("posts", "slug", t.string().optional()),|          t.data("fill bios", [](Database\& db) { db.update(blog::Author, {{"set", {{"bio", "(none yet)"}}}, {"where", {{"bio", {{"isNull", true}}}}}}); }),|' \
  "$made"
grep -q 't.data("fill bios"' "$made" || fail "could not fill in the skeleton: $(cat "$made")"
build_app "generated and made migrations"

step "migrate the existing database and a fresh one"
run migrate:status
expect "migrate:status with two pending migrations" "$rc" 10
run migrate
[ "$rc" = 0 ] || fail "migrate (existing) exited $rc: $out $err"
new_database fresh
fresh="$new_url"
BLOG_DB_URL="$fresh" run migrate
[ "$rc" = 0 ] || fail "migrate (fresh) exited $rc: $out $err"
for url in "$existing" "$fresh"; do
  BLOG_DB_URL="$url" run migrate:status
  [ "$rc" = 0 ] || fail "migrate:status on $url exited $rc: $out"
done

step "the renamed column kept its data; both databases hold the same schema"
expect "posts.headline of the existing post" "$(sql "$existing" "SELECT headline || '|' || body FROM posts")" "Hello|first post"
expect "authors after the data steps (existing)" "$(sql "$existing" "SELECT name || '|' || bio FROM authors")" "Ada|(none yet)"
expect "authors after the data steps (fresh)" "$(sql "$fresh" "SELECT name || '|' || bio FROM authors")" "Ada|(none yet)"
schema_of "$existing" >"$work/existing.schema"
schema_of "$fresh" >"$work/fresh.schema"
grep -q '^column|posts|headline|' "$work/fresh.schema" || fail "the fresh schema has no posts.headline"
grep -q '^column|authors|bio|' "$work/fresh.schema" || fail "the fresh schema has no authors.bio"
if ! diff -u --label fresh --label existing "$work/fresh.schema" "$work/existing.schema"; then
  fail "the existing database's schema differs from the fresh one's"
fi
cat "$work/fresh.schema"
run migrate:generate --check
expect "migrate:generate --check after generating" "$rc" 0

echo "1 passed, 0 failed"
