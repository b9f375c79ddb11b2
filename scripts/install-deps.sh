#!/usr/bin/env bash
# Installs the Debian packages jsorm needs to build, test and run. Does nothing when they
# are all present, so every other script calls it first.
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  libboost-dev libboost-program-options-dev
  libpq-dev libsqlite3-dev libspdlog-dev libfmt-dev
  libtomlplusplus-dev nlohmann-json3-dev catch2
  postgresql sqlite3
  # the MySQL adapter and its test servers (scripts/mariadb-test-server.sh,
  # scripts/galera-test-cluster.sh)
  mariadb-server mariadb-client libmariadb-dev galera-4 rsync
  # scripts/fuzz.sh: clang and its libFuzzer/ASan runtimes (libclang_rt.fuzzer-x86_64.a)
  clang-14 libclang-rt-14-dev
  # models:diagram --format svg (Graphviz's dot), and the test that keeps docs/er-example.svg current
  graphviz
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
