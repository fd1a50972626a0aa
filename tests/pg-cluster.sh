#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pg-cluster.sh: a throw-away PostgreSQL 15 cluster for the tests.
#
#   pg-cluster.sh start DIR    initdb in DIR/data, start on a free loopback
#                              port, create database "frontera"; prints the
#                              connection URI and writes it to DIR/uri
#                              (PG_CLUSTER_OPTS: more -c settings, for a benchmark)
#   pg-cluster.sh stop DIR     stop the server (fast) and remove DIR
#   pg-cluster.sh standby PRIMARY DIR   a synchronous hot standby of PRIMARY
#   pg-cluster.sh crash DIR    immediate shutdown (as a crash); promote DIR
#   pg-cluster.sh ctest-start DIR   as start, replacing a cluster left in DIR;
#                              without binaries (and no $CI) does nothing
#   pg-cluster.sh check        exit 0 when the binaries exist; else 77 (skip),
#                              or 1 when $CI is set (in CI they must exist)
#
# PostgreSQL refuses to run as root: when run as root the cluster belongs to
# the 'postgres' system user (created by the Debian package) and DIR is
# handed to it. Binaries: $PG_BIN, else /usr/lib/postgresql/15/bin.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

have_pg() { [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] && [ -x "$PG_BIN/postgres" ]; }

check() {
    if have_pg; then return 0; fi
    if [ -n "${CI:-}" ]; then
        echo "pg-cluster: PostgreSQL 15 binaries are missing in $PG_BIN (CI is set: they must be installed)" >&2
        exit 1
    fi
    echo "SKIP: PostgreSQL 15 binaries are missing in $PG_BIN (apt-get install postgresql-15)" >&2
    exit 77
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

start() {
    local dir=$1
    check
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; chmod 700 "$dir"; fi
    as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    local port tries=0
    while :; do
        port=$(free_port)
        # fsync stays on: the failover tests rely on durability
        if as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir \
                -c max_connections=200 -c shared_buffers=64MB -c wal_level=replica \
                -c max_wal_senders=5 -c logging_collector=off ${PG_CLUSTER_OPTS:-}" start >/dev/null 2>&1; then
            break
        fi
        tries=$((tries + 1))
        if [ $tries -ge 3 ]; then cat "$dir/server.log" >&2; exit 1; fi
    done
    as_owner "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres frontera
    echo "$port" >"$dir/port"
    echo "postgresql://postgres@127.0.0.1:$port/frontera" | tee "$dir/uri"
}

# A hot standby of the cluster in PRIMARY (streaming replication, made
# synchronous: a commit on the primary waits for the standby).
standby() {
    local primary=$1 dir=$2
    local pport; pport=$(cat "$primary/port")
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; chmod 700 "$dir"; fi
    as_owner "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$pport" -U postgres -D "$dir/data" -R \
        -X stream -d "application_name=standby1" >"$dir/basebackup.log" 2>&1 ||
        { cat "$dir/basebackup.log" >&2; exit 1; }
    local port; port=$(free_port)
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir \
            -c hot_standby=on -c max_connections=200 -c max_wal_senders=5" start >/dev/null 2>&1 || { cat "$dir/server.log" >&2; exit 1; }
    psql -q "postgresql://postgres@127.0.0.1:$pport/postgres" \
        -c "ALTER SYSTEM SET synchronous_standby_names = 'FIRST 1 (standby1)'" -c "SELECT pg_reload_conf()" >/dev/null
    # the walsender takes the new setting a moment later (longer on a loaded machine)
    local tries=0
    until [ "$(psql -tAq "postgresql://postgres@127.0.0.1:$pport/postgres" \
        -c "SELECT sync_state FROM pg_stat_replication" 2>/dev/null)" = sync ]; do
        tries=$((tries + 1))
        [ $tries -ge 300 ] && break
        sleep 0.1
    done
    echo "$port" >"$dir/port"
    echo "postgresql://postgres@127.0.0.1:$port/frontera" | tee "$dir/uri"
}

# Crash the cluster in DIR (immediate shutdown: no checkpoint, as a power cut
# of the database server) / promote a standby.
crash() { as_owner "$PG_BIN/pg_ctl" -D "$1/data" -m immediate -w stop >/dev/null 2>&1 || true; }
promote() { as_owner "$PG_BIN/pg_ctl" -D "$1/data" -w promote >/dev/null; }
# Restart the cluster in DIR (its clients' connections are cut), same options.
restart() { as_owner "$PG_BIN/pg_ctl" -D "$1/data" -m fast -w -l "$1/server.log" restart >/dev/null; }
# halt DIR: stop the server and keep its files (restart starts it again)
halt() { as_owner "$PG_BIN/pg_ctl" -D "$1/data" -m fast -w stop >/dev/null; }

stop() {
    local dir=$1
    if [ -d "$dir/data" ]; then
        as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
ctest-start)
    # for ctest's fixture: no binaries outside CI is not a failure (the tests
    # that need the cluster then report SKIP themselves)
    rc=0; (check) || rc=$?
    if [ $rc = 77 ]; then exit 0; fi
    [ $rc = 0 ] || exit $rc
    stop "${2:?directory}"
    start "$2" ;;
start) start "${2:?directory}" ;;
stop) stop "${2:?directory}" ;;
standby) standby "${2:?primary directory}" "${3:?directory}" ;;
crash) crash "${2:?directory}" ;;
promote) promote "${2:?directory}" ;;
restart) restart "${2:?directory}" ;;
halt) halt "${2:?directory}" ;;
check) check ;;
*) echo "usage: pg-cluster.sh start|stop|crash|promote|restart|halt DIR | standby PRIMARY DIR | check" >&2; exit 2 ;;
esac
