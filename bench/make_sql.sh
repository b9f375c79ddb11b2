#!/usr/bin/env bash
# Writes the SQL the baselines run, derived from what jsorm itself would execute:
#
#   bench/make_sql.sh JSORM MODULE N OUTDIR PG_URL
#
#   OUTDIR/pg_N.sql              tracking table + per migration BEGIN; CREATE TABLE;
#                                CREATE INDEX; INSERT INTO jsorm_migrations ...; COMMIT;
#   OUTDIR/pg_rollback_N.sql     per migration, newest first: BEGIN; DROP INDEX; DROP TABLE;
#                                DELETE FROM jsorm_migrations WHERE name = ...; COMMIT;
#   OUTDIR/sqlite_N.sql          as pg_N.sql in SQLite's dialect (BEGIN IMMEDIATE, as the
#                                SQLite adapter begins its transactions)
#   OUTDIR/sqlite_rollback_N.sql
#   OUTDIR/status.sql            the tracking-table query of migrate:status
#
# The statements are `jsorm migrate --dry-run` against an empty database (and
# `jsorm db:rollback --dry-run` against a migrated one), so text, checksums and order are
# jsorm's own. PG_URL names any database on a server we may create databases on; a scratch
# database `bench_make_sql` is created there and dropped again. The result is checked:
# after psql runs pg_N.sql, `jsorm migrate:status` must find every migration applied and
# unchanged (same names, same checksums).
set -euo pipefail
here=$(cd -- "$(dirname -- "$0")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

[[ $# -eq 5 ]] || {
  echo "usage: $0 JSORM MODULE N OUTDIR PG_URL" >&2
  exit 2
}
jsorm=$1
module=$2
n=$3
out=$4
pg_url=$5
mkdir -p -- "$out"
scratch=bench_make_sql
scratch_url=$(url_for_db "$pg_url" "$scratch")

check_count() {
  local file=$1 want=$2 got
  got=$(grep -c . "$file")
  [[ $got -eq $want ]] || bench_die "$file has $got statements, expected $want"
}

# --- PostgreSQL -----------------------------------------------------------------------
pg_fresh "$pg_url" "$scratch"
"$jsorm" migrate "$module" benchSource --url "$scratch_url" --dry-run --no-color | dry_run_statements \
  >"$out/pg_$n.sql"
check_count "$out/pg_$n.sql" $((1 + 5 * n))
pg_load "$scratch_url" "$out/pg_$n.sql"
rc=0
"$jsorm" migrate:status "$module" benchSource --url "$scratch_url" --quiet >/dev/null || rc=$?
[[ $rc -eq 0 ]] || bench_die "after psql ran pg_$n.sql, jsorm migrate:status exited $rc (expected 0: all applied, unchanged)"
"$jsorm" db:rollback "$module" benchSource --url "$scratch_url" --force --dry-run --no-color | dry_run_statements \
  >"$out/pg_rollback_$n.sql"
check_count "$out/pg_rollback_$n.sql" $((5 * n))
pg_load "$scratch_url" "$out/pg_rollback_$n.sql"
left=$(bench_psql -A -t "$scratch_url" -c "SELECT count(*) FROM pg_class WHERE relname LIKE 'bench\_%'")
[[ $left -eq 0 ]] || bench_die "pg_rollback_$n.sql left $left bench relations behind"
bench_psql "$pg_url" -c "DROP DATABASE \"$scratch\" WITH (FORCE)" >/dev/null

# --- SQLite ---------------------------------------------------------------------------
db="$out/make_sql_scratch.db"
rm -f -- "$db" "$db-journal" "$db-jsorm-lock"
"$jsorm" migrate "$module" benchSource --url "sqlite:$db" --dry-run --no-color | dry_run_statements |
  sed 's/^BEGIN;$/BEGIN IMMEDIATE;/' >"$out/sqlite_$n.sql"
check_count "$out/sqlite_$n.sql" $((1 + 5 * n))
rm -f -- "$db" "$db-journal" "$db-jsorm-lock"
sqlite3 -bail "$db" <"$out/sqlite_$n.sql"
rc=0
"$jsorm" migrate:status "$module" benchSource --url "sqlite:$db" --quiet >/dev/null || rc=$?
[[ $rc -eq 0 ]] || bench_die "after sqlite3 ran sqlite_$n.sql, jsorm migrate:status exited $rc (expected 0)"
"$jsorm" db:rollback "$module" benchSource --url "sqlite:$db" --force --dry-run --no-color | dry_run_statements |
  sed 's/^BEGIN;$/BEGIN IMMEDIATE;/' >"$out/sqlite_rollback_$n.sql"
check_count "$out/sqlite_rollback_$n.sql" $((5 * n))
rm -f -- "$db" "$db-journal" "$db-jsorm-lock"

# The query migrate:status runs (core/src/tracking_table.cpp), the issue's "single query".
echo 'SELECT "id", "name", "batch", CAST("applied_at" AS TEXT), "checksum", "execution_ms" FROM "jsorm_migrations" ORDER BY "id";' \
  >"$out/status.sql"
echo "$out: pg_$n.sql pg_rollback_$n.sql sqlite_$n.sql sqlite_rollback_$n.sql status.sql"
