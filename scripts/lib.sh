# shellcheck shell=bash
# Shared set-up for scripts/test.sh, scripts/demo.sh and bench/run.sh:
#   socroi_deps           install the Debian packages the project needs
#   socroi_build_install  build (with -Werror) and install the extension
#   socroi_cluster_start  start a throwaway PostgreSQL cluster (Unix socket
#                         only, in a temp dir); stopped and removed on exit
#   socroi_cluster_tcp    let that cluster listen on 127.0.0.1 too, on a free
#                         port (JDBC and ODBC clients); PGPORT follows
#   socroi_load_demo DB   (re)create database DB with socroi and the demo
#                         warehouse of scripts/demo/warehouse/
#
# Environment:
#   SOCROI_PRIVATE_PG=1   install the extension into a private copy of the
#                         PostgreSQL installation instead of the system one
#                         (lets several checkouts test side by side)
#   SOCROI_USE_INSTALLED=1  do not build or install: test the installed
#                         extension (scripts/package.sh, after the .deb)
#   SOCROI_KEEP=1         leave the throwaway cluster's directory for inspection

set -euo pipefail

SOCROI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_MAJOR=15
SYS_BINDIR=/usr/lib/postgresql/$PG_MAJOR/bin
SOCROI_PACKAGES=(make gcc libc6-dev
    "postgresql-$PG_MAJOR" "postgresql-server-dev-$PG_MAJOR"
    "postgresql-$PG_MAJOR-pgtap" libtap-parser-sourcehandler-pgtap-perl
    python3 python3-psycopg2)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

socroi_deps() {
    local missing=() p
    for p in "${SOCROI_PACKAGES[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
            || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing Debian packages: ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends "${missing[@]}" >/dev/null
    fi
    # Debian's postgresql-common creates (and starts) a default cluster; we
    # never use it, our clusters are private and socket-only.
}

socroi_build_install() {
    local jobs
    if [ "${SOCROI_USE_INSTALLED:-0}" = 1 ]; then
        # test what is installed (e.g. the Debian package); only generate
        # the files pg_regress needs from the tree
        say "using the installed socroi (SOCROI_USE_INSTALLED=1)"
        SOCROI_BINDIR=$SYS_BINDIR
        export SOCROI_BINDIR
        return 0
    fi
    jobs=$(nproc 2>/dev/null || echo 2)
    say "building socroi (-Werror)"
    make -C "$SOCROI_ROOT" -s -j"$jobs" SOCROI_WERROR=1 >/dev/null
    if [ "${SOCROI_PRIVATE_PG:-0}" = 1 ]; then
        # A relocatable copy of the server: PostgreSQL finds its share and
        # lib directories relative to the postgres binary.
        SOCROI_PGROOT=${SOCROI_PGROOT:-$SOCROI_ROOT/.build/pgroot}
        if [ ! -x "$SOCROI_PGROOT$SYS_BINDIR/postgres" ]; then
            say "copying the PostgreSQL installation to $SOCROI_PGROOT"
            mkdir -p "$SOCROI_PGROOT/usr/lib/postgresql" "$SOCROI_PGROOT/usr/share/postgresql"
            cp -a "/usr/lib/postgresql/$PG_MAJOR" "$SOCROI_PGROOT/usr/lib/postgresql/"
            cp -a "/usr/share/postgresql/$PG_MAJOR" "$SOCROI_PGROOT/usr/share/postgresql/"
            chmod -R a+rX "$SOCROI_PGROOT"
            chmod a+x "$SOCROI_ROOT/.build"
        fi
        say "installing socroi into $SOCROI_PGROOT"
        make -C "$SOCROI_ROOT" -s install DESTDIR="$SOCROI_PGROOT" >/dev/null
        SOCROI_BINDIR=$SOCROI_PGROOT$SYS_BINDIR
    else
        say "installing socroi"
        as_root make -C "$SOCROI_ROOT" -s install >/dev/null
        SOCROI_BINDIR=$SYS_BINDIR
    fi
    export SOCROI_BINDIR
}

# run a server-side command as the cluster owner
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

socroi_cluster_stop() {
    local rc=$?
    if [ -n "${SOCROI_TMP:-}" ] && [ -d "$SOCROI_TMP" ]; then
        if [ -f "$SOCROI_TMP/data/postmaster.pid" ]; then
            as_pg "$SOCROI_BINDIR/pg_ctl" -D "$SOCROI_TMP/data" -m fast -w stop >/dev/null 2>&1 \
                || as_pg "$SOCROI_BINDIR/pg_ctl" -D "$SOCROI_TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
        fi
        if [ "${SOCROI_KEEP:-0}" = 1 ]; then
            say "cluster directory kept: $SOCROI_TMP"
        else
            rm -rf "$SOCROI_TMP"
        fi
    fi
    return $rc
}

socroi_cluster_start() {
    SOCROI_TMP=$(mktemp -d "${TMPDIR:-/tmp}/socroi.XXXXXX")
    trap socroi_cluster_stop EXIT
    trap 'exit 130' INT TERM
    if [ "$(id -u)" = 0 ]; then chown postgres: "$SOCROI_TMP"; fi
    chmod 755 "$SOCROI_TMP"
    say "starting a throwaway cluster in $SOCROI_TMP (Unix socket only)"
    as_pg "$SOCROI_BINDIR/initdb" -D "$SOCROI_TMP/data" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C >"$SOCROI_TMP/initdb.log" 2>&1 \
        || { cat "$SOCROI_TMP/initdb.log" >&2; return 1; }
    cat >>"$SOCROI_TMP/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$SOCROI_TMP'
port = 5432
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = '256MB'
work_mem = '64MB'
max_worker_processes = 8
max_parallel_workers = 4
max_parallel_workers_per_gather = 2
log_min_messages = warning
lc_messages = 'C'
EOF
    as_pg "$SOCROI_BINDIR/pg_ctl" -D "$SOCROI_TMP/data" -l "$SOCROI_TMP/server.log" -w start >/dev/null \
        || { cat "$SOCROI_TMP/server.log" >&2; return 1; }
    export PGHOST=$SOCROI_TMP PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
    SOCROI_SERVER_LOG=$SOCROI_TMP/server.log
    SOCROI_POSTMASTER_START=$(psql -XAtqc 'SELECT pg_postmaster_start_time()')
    export SOCROI_SERVER_LOG SOCROI_POSTMASTER_START
}

# Fails when a backend crashed since the cluster started: a crash makes the
# postmaster reinitialize (start time unchanged, but the log says so).
socroi_check_no_crash() {
    if grep -E 'terminated by signal|was terminated by exception|server process .* exited abnormally' \
        "$SOCROI_SERVER_LOG" >&2; then
        say "FAIL: a backend crashed (see above)"
        return 1
    fi
    local now
    now=$(psql -XAtqc 'SELECT pg_postmaster_start_time()')
    if [ "$now" != "$SOCROI_POSTMASTER_START" ]; then
        say "FAIL: the postmaster restarted during the run"
        return 1
    fi
    say "no backend crashed (postmaster up since $SOCROI_POSTMASTER_START)"
}

# After socroi_cluster_start: listen on 127.0.0.1 as well, on a free port,
# for clients that speak TCP only (JDBC; the BI tools).  One restart; the
# Unix socket moves to the same port number, and PGPORT with it.
socroi_cluster_tcp() {
    local port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    psql -XAtq -d postgres -c "ALTER SYSTEM SET listen_addresses = '127.0.0.1'" \
        -c "ALTER SYSTEM SET port = $port" >/dev/null
    as_pg "$SOCROI_BINDIR/pg_ctl" -D "$SOCROI_TMP/data" -l "$SOCROI_TMP/server.log" -w restart >/dev/null \
        || { cat "$SOCROI_TMP/server.log" >&2; return 1; }
    say "the cluster listens on 127.0.0.1:$port too"
    export PGPORT=$port SOCROI_TCP_PORT=$port
    SOCROI_POSTMASTER_START=$(psql -XAtqc 'SELECT pg_postmaster_start_time()')
    export SOCROI_POSTMASTER_START
}

# (Re)create database $1 with socroi and the demo warehouse.
socroi_load_demo() {
    local db=$1 f
    psql -XAtq -d postgres -c 'SET client_min_messages = warning' \
        -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
    psql -XAtq -d "$db" -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION socroi' >/dev/null
    for f in "$SOCROI_ROOT"/scripts/demo/warehouse/*.sql; do
        psql -Xq -d "$db" -v ON_ERROR_STOP=1 -f "$f" >/dev/null
    done
}
