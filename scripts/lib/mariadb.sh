# shellcheck shell=bash
# Helpers shared by scripts/mariadb-test-server.sh and scripts/galera-test-cluster.sh;
# sourced, not run. The caller sets TOOL (the prefix of its messages) and MARKER (the file
# that marks a directory as made by it) before calling any of them.
#
# A "node directory" ND holds one server: ND/data (its datadir), ND/sock, ND/pid and
# ND/server.log. Servers run without systemd and without any my.cnf (--no-defaults), on
# 127.0.0.1 only. Run as root, the server runs as the `mysql` system user (mariadbd
# refuses root); run as anyone else, it runs as that user.
#
# Administration goes through the Unix socket with unix_socket authentication as the
# calling OS user (root@localhost, or $USER@localhost): no account without a password is
# reachable over TCP, and DIR (socket, logs, env with the password) is closed to other
# users (mode 700).

: "${TOOL:?set TOOL before sourcing lib/mariadb.sh}" "${MARKER:?set MARKER before sourcing lib/mariadb.sh}"

readonly MARIADB_SUPERUSER=jsorm
readonly MARIADB_DATABASE=jsorm_test
# Settings for a test server: durability traded for speed (the data is thrown away),
# many connections (tests race many processes), no DNS, the charset Debian's packaged
# configuration also sets. Used for mariadb-install-db's bootstrap run too.
readonly MARIADB_TEST_OPTIONS=(
  --skip-log-bin --skip-name-resolve --max-connections=500
  --innodb-buffer-pool-size=64M --innodb-log-file-size=16M
  --innodb-flush-log-at-trx-commit=2 --innodb-doublewrite=0
  --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci
)
ADMIN_USER=$(id -un)
# Node directories initialised, and servers launched (pid:node directory), by this run:
# for cleanup after a failed start.
# shellcheck source=scripts/lib/loopback.sh
. "$(dirname "${BASH_SOURCE[0]}")/loopback.sh"

NODES=()
LAUNCHED=()
START_DIR=""
START_OK=yes

die() {
  echo "$TOOL: $*" >&2
  exit 1
}

env_value() {
  local dir=$1 key=$2
  [[ -f "$dir/env" ]] || die "nothing started in $dir (no $dir/env); start it with: $0 start $dir"
  sed -n "s/^$key=//p" "$dir/env" | tr -d "'"
}

# The password from variable $1, else 32 random hex digits: never a word that can occur in
# a path or a message by chance (scripts/test.sh searches all output for it). It goes into
# URLs and SQL unescaped, so only URL-safe characters are accepted.
test_password() {
  local name=$1 value=${!1:-}
  if [[ -z "$value" ]]; then
    od -An -N16 -tx1 /dev/urandom | tr -d ' \n'
    return 0
  fi
  [[ "$value" =~ ^[A-Za-z0-9._~-]+$ ]] ||
    die "$name may hold only letters, digits and . _ ~ - (it goes into a URL unescaped)"
  echo "$value"
}

mariadb_check_installed() {
  local tool
  for tool in mariadbd mariadb mariadb-install-db; do
    command -v "$tool" >/dev/null 2>&1 || [[ -x "/usr/sbin/$tool" ]] ||
      die "MariaDB is not installed ($tool is missing); run scripts/install-deps.sh"
  done
  if [[ $EUID -eq 0 ]] && ! id mysql >/dev/null 2>&1; then
    die "no 'mysql' system user to run the server as; run scripts/install-deps.sh (it installs mariadb-server)"
  fi
}

# Whether process $1 runs. An exited server counts as gone even before it is reaped: one
# whose starter has exited waits for the init process, which may reap only once a second.
alive() {
  local stat
  stat=$(cat 2>/dev/null "/proc/$1/stat") || return 1
  stat=${stat##*) }
  [[ "${stat:0:1}" != Z ]]
}

# The pid of the mariadbd serving node directory $1, or nothing. The pid file is checked
# against the process's command line (a stale file may name someone else's process); a
# server that has not written its pid file yet is found by its --datadir.
server_pid() {
  local nd=$1 pid cmdline
  if [[ -f "$nd/pid" ]]; then
    pid=$(<"$nd/pid")
    if [[ "$pid" =~ ^[0-9]+$ ]] && cmdline=$(tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline") &&
        grep -qxF -- "--datadir=$nd/data" <<<"$cmdline"; then
      echo "$pid"
      return 0
    fi
  fi
  for pid in "${LAUNCHED[@]%%:*}"; do
    if [[ -n "$pid" ]] && cmdline=$(tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline") &&
        grep -qxF -- "--datadir=$nd/data" <<<"$cmdline"; then
      echo "$pid"
      return 0
    fi
  done
}

# Stops the server of node directory $1, if one runs, and waits until it has exited.
stop_server() {
  local nd=$1 pid
  pid=$(server_pid "$nd")
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 600); do
    alive "$pid" || return 0
    sleep 0.1
  done
  echo "$TOOL: the server in $nd (pid $pid) did not stop within 60 s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    alive "$pid" || return 0
    sleep 0.1
  done
  die "cannot stop the server in $nd (pid $pid)"
}

# Checks directory $1 for `start` and makes it ours: it must not exist, or be empty. Sets
# DIR to its absolute path. $2: the longest path under DIR a Unix socket gets. The caller
# defines find_running DIR, which describes what still runs in DIR (else prints nothing).
claim_dir() {
  local dir=$1 socket_suffix=$2 running
  if [[ -e "$dir" ]]; then
    if [[ -f "$dir/$MARKER" ]]; then
      running=$(find_running "$(cd -- "$dir" && pwd -P)")
      if [[ -n "$running" ]]; then
        die "already running in $dir ($running); stop it first: $0 stop $dir"
      fi
      die "$dir holds a stopped or failed start; remove it first: $0 stop $dir"
    fi
    [[ -d "$dir" && -z "$(ls -A -- "$dir")" ]] || die "$dir exists and is not an empty directory; pick a new one"
  fi
  DIR=$(realpath -m -- "$dir")
  # sun_path holds at most 107 bytes.
  (( ${#DIR} + ${#socket_suffix} <= 107 )) ||
    die "$DIR is too long for a Unix socket path; use a shorter directory (e.g. under /tmp)"
  DIR=$(absolute "$dir")
  touch "$DIR/$MARKER"
  chmod 700 "$DIR"
  cd "$DIR" || die "cannot enter $DIR"  # the server user may not be able to read the caller's working directory
  if [[ $EUID -eq 0 ]]; then
    chown mysql: "$DIR"
    runuser -u mysql -- test -w "$DIR" ||
      die "the mysql user cannot reach $DIR (a parent directory is not searchable); use a directory under /tmp"
  fi

  # On any failure after this, leave nothing running and no half-made server behind; the
  # marker and the server logs stay, so `stop DIR` removes the rest.
  START_DIR=$DIR
  START_OK=""
  trap cleanup_failed_start EXIT
}

cleanup_failed_start() {
  [[ -z "$START_OK" ]] || return 0
  local i nd
  for (( i = ${#LAUNCHED[@]} - 1; i >= 0; i-- )); do
    stop_server "${LAUNCHED[i]#*:}" || true
  done
  for nd in "${NODES[@]}"; do
    rm -rf -- "$nd/data" "$nd/sock" "$nd/pid"
  done
  rm -f -- "$START_DIR/env"
}

# Checks that `stop` may remove directory $1 and sets DIR to its absolute path.
release_dir() {
  local dir=$1
  [[ -d "$dir" ]] || die "nothing to stop in $dir (it does not exist)"
  [[ -f "$dir/$MARKER" ]] || die "$dir was not made by $0 start; not touching it"
  DIR=$(cd -- "$dir" && pwd -P)
  cd /
}

# Makes node directory $1 with an empty datadir, for the server user.
make_node() {
  local nd=$1
  # Its own temporary folder: the server's implicit temporary tables (information_schema
  # queries) must not share /tmp with whatever else cleans it.
  mkdir -p -- "$nd/data" "$nd/tmp"
  NODES+=("$nd")
  [[ $EUID -ne 0 ]] || chown -R mysql: "$nd"
}

# Makes node directory $1 with an initialised datadir, for the server user.
init_node() {
  local nd=$1 user_option=() log
  make_node "$nd"
  [[ $EUID -ne 0 ]] || user_option=(--user=mysql)
  log="$nd/install.log"
  if ! mariadb-install-db --no-defaults --datadir="$nd/data" "${user_option[@]}" \
      --auth-root-authentication-method=socket --auth-root-socket-user="$ADMIN_USER" --skip-test-db \
      "${MARIADB_TEST_OPTIONS[@]}" >"$log" 2>&1; then
    die "mariadb-install-db failed; see $log: $(grep -i error "$log" | tail -n 3 | tr '\n' ' ')"
  fi
  rm -f -- "$log"
}

# Starts mariadbd for node directory $1 on SQL port $2 in the background; further
# arguments go to mariadbd. Its output goes to ND/server.log.
launch_server() {
  local nd=$1 port=$2 user_option=()
  shift 2
  touch "$nd/server.log"
  [[ $EUID -ne 0 ]] || { chown mysql: "$nd" "$nd/server.log"; user_option=(--user=mysql); }
  mariadbd --no-defaults --datadir="$nd/data" "${user_option[@]}" --port="$port" --bind-address=127.0.0.1 \
    --socket="$nd/sock" --pid-file="$nd/pid" --log-error="$nd/server.log" --tmpdir="$nd/tmp" \
    "${MARIADB_TEST_OPTIONS[@]}" "$@" </dev/null >>"$nd/server.log" 2>&1 &
  LAUNCHED+=("$!:$nd")
}

# Runs SQL $2 (else standard input: keeps a password off command lines) on node directory
# $1's server as the administrator; prints the result rows.
admin_sql() {
  mariadb --no-defaults --user="$ADMIN_USER" --socket="$1/sock" --batch --skip-column-names ${2:+-e "$2"}
}

# Waits until the server of node directory $1 answers on its socket, at most $2 seconds.
# Returns 1 at once when the server has exited, 2 on timeout.
wait_server() {
  local nd=$1 seconds=$2 pid=${LAUNCHED[-1]%%:*}
  for _ in $(seq 1 $((seconds * 20))); do
    admin_sql "$nd" 'SELECT 1' >/dev/null 2>&1 && return 0
    alive "$pid" || return 1
    sleep 0.05
  done
  return 2
}

# The last lines of node directory $1's log that say what went wrong, on one line.
log_errors() {
  local lines
  lines=$(grep -E '\[ERROR\]|Address already in use' "$1/server.log" 2>/dev/null | tail -n 3)
  [[ -n "$lines" ]] || lines=$(tail -n 3 "$1/server.log" 2>/dev/null)
  tr '\n' ' ' <<<"$lines" | sed 's/ *$//'
}

# Creates the test user with password $2 (all privileges: tests create databases) and the
# test database, on the server of node directory $1.
create_user_and_database() {
  local nd=$1 password=$2 out
  if ! out=$(admin_sql "$nd" 2>&1 <<EOF
CREATE USER '$MARIADB_SUPERUSER'@'%' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO '$MARIADB_SUPERUSER'@'%' WITH GRANT OPTION;
CREATE DATABASE \`$MARIADB_DATABASE\`;
EOF
  ); then
    die "cannot create user $MARIADB_SUPERUSER and database $MARIADB_DATABASE: $(sql_error "$out")"
  fi
}

# Runs SQL $3 as the test user with password $2 over TCP on 127.0.0.1, port $1.
user_sql() {
  MYSQL_PWD=$2 mariadb --no-defaults --protocol=TCP --host=127.0.0.1 --port="$1" --user="$MARIADB_SUPERUSER" \
    --batch --skip-column-names -e "$3"
}

# The client's error output $1 on one line: its ERROR lines (the batch client also echoes
# the failing statement), else all of it.
sql_error() {
  local lines
  lines=$(grep '^ERROR' <<<"$1" || true)
  tr '\n' ' ' <<<"${lines:-$1}" | sed 's/ *$//'
}

make_url() {
  echo "mysql://$MARIADB_SUPERUSER:$1@127.0.0.1:$2/$MARIADB_DATABASE"
}
