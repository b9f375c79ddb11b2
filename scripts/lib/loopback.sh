# shellcheck shell=bash
# What every throwaway test server script needs: absolute directories and free loopback
# ports. Sourced, not run; the caller defines die() before calling free_port.

absolute() {
  mkdir -p -- "$1"
  (cd -- "$1" && pwd -P)
}

port_in_use() {
  if command -v ss >/dev/null 2>&1 && [[ -n "$(ss -Htan "( sport = :$1 )" 2>/dev/null)" ]]; then
    return 0
  fi
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A free TCP port in 20000-40000 that is none of the arguments (ports already picked).
# shellcheck disable=SC2120
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 20001))
    if [[ " $* " != *" $port "* ]] && ! port_in_use "$port"; then
      echo "$port"
      return 0
    fi
  done
  die "no free TCP port found in 20000-40000"
}
