# Shared by the out-of-tree generator tests (roundtrip_test.sh, authoring_test.sh): their
# checks and messages, the database under test ($db: sqlite, pg or mysql) and its scratch
# databases, and the installed jsorm with the test project built against it.
# A test sets $db and $scratch_prefix, then calls require_database and make_workdir.

step() { echo "== $*"; }
fail() {
  echo "FAILED: $*" >&2
  echo "0 passed, 1 failed"
  exit 1
}
expect() {  # expect WHAT ACTUAL EXPECTED
  [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

# Fails unless the server and client that $db needs are there; for mysql, splits the URL
# into the parts the mariadb client takes separately.
require_database() {
  case "$db" in
    sqlite) command -v sqlite3 >/dev/null || fail "sqlite3 is not installed" ;;
    pg)
      [ -n "${JSORM_TEST_PG_URL:-}" ] ||
        fail "JSORM_TEST_PG_URL is not set; start a server with scripts/pg-test-cluster.sh start DIR and source DIR/env (or run scripts/test.sh)"
      command -v psql >/dev/null || fail "psql is not installed"
      ;;
    mysql)
      [ -n "${JSORM_TEST_MYSQL_URL:-}" ] ||
        fail "JSORM_TEST_MYSQL_URL is not set; start a server with scripts/mariadb-test-server.sh start DIR and source DIR/env (or run scripts/test.sh)"
      command -v mariadb >/dev/null || fail "the mariadb client is not installed"
      # mysql://USER:PASSWORD@HOST:PORT/DB
      local rest userinfo hostport
      rest="${JSORM_TEST_MYSQL_URL#*://}"
      userinfo="${rest%%@*}"
      my_user="${userinfo%%:*}"
      my_password="${userinfo#*:}"
      hostport="${rest#*@}"
      hostport="${hostport%%/*}"
      my_host="${hostport%:*}"
      my_port="${hostport##*:}"
      [ "$my_port" != "$hostport" ] || my_port=3306
      ;;
    *) return 1 ;;
  esac
}

# $work, removed on exit with every scratch database made on the server.
make_workdir() {  # make_workdir NAME
  work="$(mktemp -d "/tmp/jsorm-$1-XXXXXX")"
  server_databases=()
  trap drop_workdir EXIT
}
drop_workdir() {
  local name
  for name in "${server_databases[@]}"; do
    if [ "$db" = pg ]; then
      psql "$JSORM_TEST_PG_URL" -X -q -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null 2>&1 || true
    else
      mariadb_run "" "DROP DATABASE IF EXISTS \`$name\`" >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$work"
}

# The mariadb client on the test server, database $1 (empty: none), running SQL $2; the
# password goes through the environment, never the command line. || concatenates, as in
# the checks written for SQLite and PostgreSQL.
mariadb_run() {  # mariadb_run DATABASE STATEMENT
  MYSQL_PWD="$my_password" mariadb --no-defaults --protocol=TCP --host="$my_host" --port="$my_port" \
    --user="$my_user" --batch --skip-column-names \
    --init-command="SET SESSION sql_mode = CONCAT(@@sql_mode, ',PIPES_AS_CONCAT')" ${1:+--database="$1"} -e "$2"
}

# The server URL (postgres://… or mysql://user:pw@host:port/DB?params) with DB replaced by $1.
server_url_for() {
  local url query="" base rest
  if [ "$db" = pg ]; then url="$JSORM_TEST_PG_URL"; else url="$JSORM_TEST_MYSQL_URL"; fi
  if [[ "$url" == *\?* ]]; then
    query="?${url#*\?}"
    url="${url%%\?*}"
  fi
  rest="${url#*://}"
  if [[ "$rest" == */* ]]; then base="${url%/*}"; else base="$url"; fi
  echo "$base/$1$query"
}

# A new, empty database; sets $new_url, the URL jsorm connects to. (Not in a subshell:
# the cleanup needs to know the databases made.)
new_database() {  # new_database NAME
  if [ "$db" = sqlite ]; then
    new_url="sqlite:$work/$1.db"
    return
  fi
  local name
  name="${scratch_prefix}_$(basename "$work" | tr -dc 'a-zA-Z0-9' | tr 'A-Z' 'a-z')_$1"
  if [ "$db" = pg ]; then
    psql "$JSORM_TEST_PG_URL" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$name\"" >/dev/null ||
      fail "cannot create the scratch database $name"
  else
    mariadb_run "" "CREATE DATABASE \`$name\`" >/dev/null || fail "cannot create the scratch database $name"
  fi
  server_databases+=("$name")
  new_url="$(server_url_for "$name")"
}

# Runs SQL against a database URL; rows as `a|b|c` lines.
sql() {  # sql URL STATEMENT
  if [ "$db" = sqlite ]; then
    sqlite3 -batch -noheader -separator '|' "${1#sqlite:}" "$2"
  elif [ "$db" = mysql ]; then
    local name="${1##*/}"
    mariadb_run "${name%%\?*}" "$2"
  else
    psql "$1" -X -q -A -t -F '|' -v ON_ERROR_STOP=1 -c "$2"
  fi
}

# Installs the build under test to $work/prefix; sets $jsorm.
install_jsorm() {  # install_jsorm BUILD_DIR
  step "install jsorm to a prefix"
  cmake --install "$1" --prefix "$work/prefix" >/dev/null
  jsorm="$work/prefix/bin/jsorm"
  [ -x "$jsorm" ] || fail "no jsorm in the installed prefix"
}

# Configures the project in $app against the installed jsorm (find_package).
configure_app() {
  cmake -S "$app" -B "$app/build" -DCMAKE_PREFIX_PATH="$work/prefix" >"$work/configure.log" 2>&1 || {
    cat "$work/configure.log" >&2
    fail "configuring the project with find_package(jsorm) failed"
  }
}
build_app() {  # build_app WHAT
  cmake --build "$app/build" -j2 >"$work/build.log" 2>&1 || {
    cat "$work/build.log" >&2
    fail "building the schema module failed ($1)"
  }
}
