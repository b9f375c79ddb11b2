# Shared helpers for bench/make_sql.sh, bench/run.sh and bench/profile.sh (sourced, not run).

bench_die() {
  echo "bench: $*" >&2
  exit 1
}

# url_for_db URL NAME: the same server and credentials, another database.
url_for_db() {
  local url=$1 name=$2
  echo "${url%/*}/$name"
}

# The psql binary itself: /usr/bin/psql on Debian is pg_wrapper, a Perl script that adds
# 50-80 ms of start-up to every call and would flatter jsorm in every comparison.
PSQL=${PSQL:-/usr/lib/postgresql/15/bin/psql}
[[ -x $PSQL ]] || PSQL=psql

# Quiet psql for setup work: no psqlrc, stop on the first error, no NOTICEs.
bench_psql() {
  PGOPTIONS="-c client_min_messages=warning ${PGOPTIONS:-}" "$PSQL" -X -q -v ON_ERROR_STOP=1 "$@"
}

# pg_fresh ADMIN_URL NAME: drops and re-creates database NAME, then checkpoints so that the
# previous repetition's dirty pages are not written during the next timed run.
pg_fresh() {
  local admin=$1 name=$2
  bench_psql "$admin" -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" -c "CREATE DATABASE \"$name\"" \
    -c "CHECKPOINT" >/dev/null
}

# pg_load URL FILE: untimed setup; applies a script without waiting for WAL flushes
# (synchronous_commit=off), which changes nothing but how long the setup takes.
pg_load() {
  PGOPTIONS="-c synchronous_commit=off" bench_psql -f "$2" "$1" >/dev/null
}

pg_checkpoint() {
  bench_psql "$1" -c "CHECKPOINT" >/dev/null
}

# Keeps only the SQL statements of a `jsorm ... --dry-run` listing (one per line there),
# dropping the progress and summary lines.
dry_run_statements() {
  grep -E '^(BEGIN|COMMIT|CREATE|ALTER|INSERT|DELETE|UPDATE|DROP)( |;)'
}

# Milliseconds between two $EPOCHREALTIME readings.
elapsed_ms() {
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) * 1000 }'
}

# Hides the password of every URL in a command line shown in an error message.
redact_urls() {
  sed -E 's#(://[^:/@ ]*):[^@ ]*@#\1:***@#g' <<<"$1"
}
