#!/usr/bin/env bash
# Run a command (default: the whole test suite) against a throw-away PostgreSQL 15 cluster.
#
#   tools/pg_test.sh                       # pytest on PostgreSQL
#   tools/pg_test.sh pytest tests/core -x  # any command; TEST_DATABASE_URL points at the cluster
#
# Installs Debian's `postgresql` when no server binaries are found (sudo when not root), creates a
# cluster in a temp dir that listens on a unix socket only (no TCP), runs the command with
# TEST_DATABASE_URL set, then stops the cluster and removes it — also when the command fails.
# Root cannot run postgres: as root the cluster belongs to the `postgres` user (runuser).
set -euo pipefail
cd "$(dirname "$0")/.."

PG_PORT="${PG_PORT:-55432}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

pg_bindir() {
  local dir
  for dir in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

if ! BIN="$(pg_bindir)"; then
  echo "pg_test: installing Debian postgresql" >&2
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
  BIN="$(pg_bindir)"
fi

WORK="$(mktemp -d /tmp/xingcun-pg.XXXXXX)"
RUN=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  chown postgres: "$WORK"
  RUN=(runuser -u postgres --)
fi
PGDATA="$WORK/data"

cleanup() {
  local rc=$?
  "${RUN[@]}" "$BIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT INT TERM

"${RUN[@]}" "$BIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 \
  || { cat "$WORK/initdb.log" >&2; exit 1; }
# A test cluster: durability off (it is deleted afterwards), enough connections for the app's pools.
"${RUN[@]}" "$BIN/pg_ctl" -D "$PGDATA" -l "$WORK/server.log" -w -t 60 start -o \
  "-p $PG_PORT -k $WORK -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
   -c max_connections=200 -c shared_buffers=128MB -c timezone=Asia/Shanghai" >/dev/null \
  || { cat "$WORK/server.log" >&2; exit 1; }

export TEST_DATABASE_URL="postgresql+psycopg://postgres@/postgres?host=$WORK&port=$PG_PORT"
echo "pg_test: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') at $WORK (port $PG_PORT)" >&2

if [ "$#" -eq 0 ]; then
  set -- .venv/bin/python -m pytest
fi
"$@"
