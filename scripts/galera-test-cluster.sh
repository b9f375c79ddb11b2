#!/usr/bin/env bash
# A throwaway 3-node MariaDB Galera cluster (MariaDB 10.11, galera-4) for tests, without
# systemd or any my.cnf: every node on loopback only, each on free ports (SQL, group
# communication, IST, rsync SST), user jsorm (all privileges on *.*) with password
# authentication, database jsorm_test; both made on node 1 and replicated. The password is
# $JSORM_TEST_GALERA_PASSWORD, else 32 random hex digits: never a word that can occur in a
# path or a message by chance (scripts/test.sh searches all output for it).
#
#   scripts/galera-test-cluster.sh start DIR   prints the three URLs; also writes DIR/env
#   scripts/galera-test-cluster.sh stop DIR    stops the nodes (3, 2, 1) and removes DIR
#
# DIR/env: JSORM_TEST_GALERA_URLS (three mysql://jsorm:PASSWORD@127.0.0.1:PORT/jsorm_test
# URLs separated by spaces, node 1 first), JSORM_TEST_GALERA_PORTS (their SQL ports, same
# order), JSORM_TEST_GALERA_PASSWORD. Node i lives in DIR/ni (its server.log is there).
#
# The nodes start one after the other: node 1 bootstraps the cluster (--wsrep-new-cluster),
# nodes 2 and 3 join it and receive a copy of node 1's data by rsync (SST), so only node 1
# runs mariadb-install-db. Each node is waited on until it reports wsrep_ready ON and the
# cluster size has grown to include it.
#
# Measured on a 2-core machine: start takes 8-9 s when the machine is otherwise idle (node
# 1 about 1 s; each joiner 3-4 s, about 1 s of it joining the group and 2-3 s the rsync
# SST) and 13-15 s while a C++ build runs alongside; stop takes 0.4 s (2 s under load).
#
# Run as root, the servers run as the `mysql` system user; run as anyone else, they run as
# that user.
set -euo pipefail

TOOL=galera-test-cluster
# Marks a directory as ours, so `stop` never removes a directory it did not create.
MARKER=.jsorm-galera-test-cluster
# shellcheck source=scripts/lib/mariadb.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/mariadb.sh"

readonly NODES_IN_CLUSTER=3
readonly GALERA_PROVIDER=/usr/lib/galera/libgalera_smm.so
# Seconds a node may take to join (an SST included) before the start is given up.
readonly JOIN_TIMEOUT=120

usage() {
  echo "usage: $0 start DIR | stop DIR" >&2
  exit 2
}

find_running() {
  local i running=()
  for i in $(seq 1 $NODES_IN_CLUSTER); do
    [[ -z "$(server_pid "$1/n$i")" ]] || running+=("n$i")
  done
  [[ ${#running[@]} -eq 0 ]] || echo "nodes ${running[*]}; SQL ports $(env_value "$1" JSORM_TEST_GALERA_PORTS 2>/dev/null || true)"
}

# The value of status variable $2 on node directory $1's server, or nothing.
node_status() {
  admin_sql "$1" "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | cut -f2
}

# Waits until node $1 of the cluster (node directory $2) is ready and sees $1 nodes.
wait_node() {
  local i=$1 nd=$2 status ready size
  status=0
  wait_server "$nd" "$JOIN_TIMEOUT" || status=$?
  [[ $status -ne 1 ]] || die "node $i did not start; see $nd/server.log: $(log_errors "$nd")"
  [[ $status -ne 2 ]] || die "node $i did not answer within $JOIN_TIMEOUT s; see $nd/server.log: $(log_errors "$nd")"
  for _ in $(seq 1 $((JOIN_TIMEOUT * 10))); do
    ready=$(node_status "$nd" wsrep_ready)
    size=$(node_status "$nd" wsrep_cluster_size)
    [[ "$ready" != ON || "${size:-0}" -lt "$i" ]] || return 0
    [[ -n "$(server_pid "$nd")" ]] || die "node $i stopped while joining; see $nd/server.log: $(log_errors "$nd")"
    sleep 0.1
  done
  die "node $i is not ready after $JOIN_TIMEOUT s (wsrep_ready ${ready:-?}, cluster size ${size:-?}); see $nd/server.log: $(log_errors "$nd")"
}

cmd_start() {
  mariadb_check_installed
  [[ -f "$GALERA_PROVIDER" ]] || die "Galera is not installed ($GALERA_PROVIDER is missing); run scripts/install-deps.sh"
  command -v rsync >/dev/null 2>&1 || die "rsync is not installed (nodes copy data with it); run scripts/install-deps.sh"
  local password
  password=$(test_password JSORM_TEST_GALERA_PASSWORD)
  claim_dir "$1" /n$NODES_IN_CLUSTER/sock

  # Per node: SQL port, group communication (gcomm) port, IST port, SST (rsync) port; all
  # distinct. Galera binds them only when a node starts, so a port taken in between fails
  # the start (with the reason in that node's server.log) rather than being retried.
  local i picked=() sql=() gcomm=() ist=() sst=() members=()
  for i in $(seq 1 $NODES_IN_CLUSTER); do
    sql[i]=$(free_port "${picked[@]}"); picked+=("${sql[i]}")
    gcomm[i]=$(free_port "${picked[@]}"); picked+=("${gcomm[i]}")
    ist[i]=$(free_port "${picked[@]}"); picked+=("${ist[i]}")
    sst[i]=$(free_port "${picked[@]}"); picked+=("${sst[i]}")
    members+=("127.0.0.1:${gcomm[i]}")
  done
  local cluster_address
  cluster_address="gcomm://$(IFS=,; echo "${members[*]}")"
  # A name of its own, so that nodes of two clusters never take each other for peers.
  local cluster_name
  cluster_name="jsorm-test-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"

  # Provider options: each node's own group communication and IST addresses; a 32 MB write
  # set cache instead of 128 MB preallocated per node; and JOIN messages resent every 0.2 s
  # instead of every second while the membership forms, which makes each join about 1 s
  # faster (only the traffic while nodes join or leave grows, over loopback).
  local provider_options nd bootstrap
  for i in $(seq 1 $NODES_IN_CLUSTER); do
    nd="$DIR/n$i"
    bootstrap=()
    if [[ $i -eq 1 ]]; then
      init_node "$nd"
      bootstrap=(--wsrep-new-cluster)
    else
      # A joiner's datadir is replaced by node 1's (SST) before the server uses it.
      make_node "$nd"
    fi
    provider_options="gmcast.listen_addr=tcp://127.0.0.1:${gcomm[i]};ist.recv_addr=127.0.0.1:${ist[i]}"
    provider_options+=";gcache.size=32M;evs.join_retrans_period=PT0.2S"
    launch_server "$nd" "${sql[i]}" \
      --binlog-format=ROW --innodb-autoinc-lock-mode=2 \
      --wsrep-on=ON --wsrep-provider="$GALERA_PROVIDER" --wsrep-cluster-name="$cluster_name" \
      --wsrep-cluster-address="$cluster_address" --wsrep-node-name="n$i" \
      --wsrep-node-address="127.0.0.1:${gcomm[i]}" --wsrep-node-incoming-address="127.0.0.1:${sql[i]}" \
      --wsrep-provider-options="$provider_options" \
      --wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:${sst[i]}" \
      "${bootstrap[@]}"
    wait_node "$i" "$nd"
  done

  create_user_and_database "$DIR/n1" "$password"
  # Every node must let the user in and have the database (replication is synchronous, but
  # a node applies what it received a moment later).
  local out urls=() ports=()
  for i in $(seq 1 $NODES_IN_CLUSTER); do
    for _ in $(seq 1 100); do
      out=$(user_sql "${sql[i]}" "$password" \
        "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '$MARIADB_DATABASE'" 2>&1) || true
      [[ "$out" != 1 ]] || break
      sleep 0.1
    done
    [[ "$out" == 1 ]] ||
      die "node $i does not have user $MARIADB_SUPERUSER and database $MARIADB_DATABASE from node 1: $(sql_error "$out")"
    urls+=("$(make_url "$password" "${sql[i]}")")
    ports+=("${sql[i]}")
  done

  (umask 077 && printf "JSORM_TEST_GALERA_URLS='%s'\nJSORM_TEST_GALERA_PORTS='%s'\nJSORM_TEST_GALERA_PASSWORD=%s\n" \
    "${urls[*]}" "${ports[*]}" "$password" >"$DIR/env")
  START_OK=yes
  echo "${urls[*]}"
}

cmd_stop() {
  release_dir "$1"
  local i
  for i in $(seq $NODES_IN_CLUSTER -1 1); do
    stop_server "$DIR/n$i"
  done
  rm -rf -- "$DIR"
}

[[ $# -ge 1 ]] || usage
case "$1" in
  start) [[ $# -eq 2 ]] || usage; cmd_start "$2" ;;
  stop) [[ $# -eq 2 ]] || usage; cmd_stop "$2" ;;
  *) usage ;;
esac
