#!/usr/bin/env bash
# Runs moto's server (PyPI `moto[server]`) on loopback for the snapshot-parity tests.
#
#   moto-server.sh start [PORT]   install moto if missing, start it on 127.0.0.1:PORT (default
#                                 5123), wait until it answers, print its URL on stdout
#   moto-server.sh stop [PORT]    stop the server this script started on PORT
#   moto-server.sh bin            install moto if missing and print the moto_server path
#
# Environment:
#   SNAPSHOT_MOTO_SERVER   an existing moto_server executable to use
#   SNAPSHOT_MOTO_VENV     where to install moto when it is missing
#                          (default: ~/.cache/snapshot-parity/moto-venv)
#   MOTO_VERSION           the version to install (default: the one the recordings were made with)
#
# Everything but the URL / path goes to stderr, so `URL=$(moto-server.sh start)` works.
set -euo pipefail

MOTO_VERSION="${MOTO_VERSION:-5.2.1}"
VENV="${SNAPSHOT_MOTO_VENV:-${HOME:-/tmp}/.cache/snapshot-parity/moto-venv}"
STATE_DIR="${TMPDIR:-/tmp}"

say() { echo "moto-server.sh: $*" >&2; }
die() { say "$*"; exit 1; }

python_bin() {
  command -v python3 || command -v python || die "python3 is needed to install and run moto"
}

# Prints the path of a working moto_server, installing moto into a venv (or --user) if needed.
ensure_moto() {
  if [[ -n "${SNAPSHOT_MOTO_SERVER:-}" ]]; then
    [[ -x "$SNAPSHOT_MOTO_SERVER" ]] || die "SNAPSHOT_MOTO_SERVER=$SNAPSHOT_MOTO_SERVER is not executable"
    echo "$SNAPSHOT_MOTO_SERVER"; return
  fi
  if [[ -x "$VENV/bin/moto_server" ]]; then
    echo "$VENV/bin/moto_server"; return
  fi
  local found
  if found="$(command -v moto_server 2>/dev/null)" && "$found" --help >/dev/null 2>&1; then
    echo "$found"; return
  fi
  local py; py="$(python_bin)"
  say "moto_server not found; installing moto[server]==$MOTO_VERSION into $VENV"
  if "$py" -m venv "$VENV" >&2 2>&1; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2 \
      || die "pip could not install moto[server]==$MOTO_VERSION into $VENV"
    echo "$VENV/bin/moto_server"; return
  fi
  say "python venv unavailable; installing with pip --user"
  "$py" -m pip install --quiet --user --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2 \
    || die "pip could not install moto[server]==$MOTO_VERSION"
  local user_bin; user_bin="$("$py" -m site --user-base)/bin/moto_server"
  [[ -x "$user_bin" ]] || die "moto installed but $user_bin is missing"
  echo "$user_bin"
}

# True when an HTTP server answers on 127.0.0.1:$1.
answers() {
  "$(python_bin)" - "$1" <<'EOF' >/dev/null 2>&1
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/moto-api/", timeout=2)
except urllib.error.HTTPError:
    pass  # any HTTP answer means the server is up
EOF
}

start() {
  local port="${1:-5123}" bin pid log pidfile
  pidfile="$STATE_DIR/snapshot-parity-moto-$port.pid"
  log="$STATE_DIR/snapshot-parity-moto-$port.log"
  if answers "$port"; then
    die "something already answers on 127.0.0.1:$port; stop it or choose another port"
  fi
  bin="$(ensure_moto)"
  say "starting $bin on 127.0.0.1:$port, log $log"
  nohup "$bin" -H 127.0.0.1 -p "$port" </dev/null >"$log" 2>&1 &
  pid=$!
  echo "$pid" >"$pidfile"
  for _ in $(seq 1 300); do
    if answers "$port"; then
      echo "http://127.0.0.1:$port"
      return
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$pidfile"
      tail -n 20 "$log" >&2 || true
      die "moto_server exited before answering"
    fi
    sleep 0.2
  done
  kill "$pid" 2>/dev/null || true
  rm -f "$pidfile"
  tail -n 20 "$log" >&2 || true
  die "moto_server did not answer on 127.0.0.1:$port within 60s"
}

stop() {
  local port="${1:-5123}" pidfile pid
  pidfile="$STATE_DIR/snapshot-parity-moto-$port.pid"
  [[ -f "$pidfile" ]] || { say "no server started by this script on port $port"; return 0; }
  pid="$(cat "$pidfile")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  rm -f "$pidfile"
  say "stopped moto_server (pid $pid) on port $port"
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  bin) ensure_moto ;;
  *) die "usage: moto-server.sh start [PORT] | stop [PORT] | bin" ;;
esac
