# shellcheck shell=bash
# Shared set-up for scripts/test.sh, scripts/demo.sh, bench/run.sh and the
# other scripts:
#   socroi_deps           install the Debian packages the project needs
#   socroi_build_install  build (with -Werror) and install the extension
#   socroi_cluster_start  start a throwaway PostgreSQL cluster (Unix socket
#                         only, in a temp dir); stopped and removed on exit;
#                         refuses to go on when the server is not the version
#                         of the selected pg_config
#   socroi_cluster_tcp    let that cluster listen on 127.0.0.1 too, on a free
#                         port (JDBC and ODBC clients); PGPORT follows
#   socroi_load_demo DB   (re)create database DB with socroi and the demo
#                         warehouse of scripts/demo/warehouse/
#
# Environment:
#   PG_CONFIG=<path>      the PostgreSQL installation to build for and test
#                         against (its pg_config): its bin/ (initdb, pg_ctl,
#                         postgres, psql, pg_regress), its pgTAP, its server.
#                         Without it: Debian's PostgreSQL 15.
#   SOCROI_PRIVATE_PG=1   install the extension into a private copy of the
#                         PostgreSQL installation (under .build/pgroot)
#                         instead of the installation itself (lets several
#                         checkouts test side by side)
#   SOCROI_USE_INSTALLED=1  do not build or install: test the installed
#                         extension (scripts/package.sh, after the .deb)
#   SOCROI_KEEP=1         leave the throwaway cluster's directory for inspection

set -euo pipefail

SOCROI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Debian 12's own PostgreSQL: the default installation
SOCROI_DEBIAN_MAJOR=15
# the oldest major socroi supports (13 and 14 are out of upstream support)
SOCROI_MIN_MAJOR=15

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Which installation: PG_CONFIG (made absolute: make runs elsewhere, sudo
# drops the environment, so it is always passed on make's command line), or
# Debian's 15.
if [ -n "${PG_CONFIG:-}" ]; then
    SOCROI_PG_DEFAULT=0
    _p=$(command -v -- "$PG_CONFIG" 2>/dev/null) || die "PG_CONFIG=$PG_CONFIG: no such program"
    [ -x "$_p" ] || die "PG_CONFIG=$PG_CONFIG is not executable"
    PG_CONFIG=$(cd "$(dirname "$_p")" && pwd)/$(basename "$_p")
    unset _p
else
    SOCROI_PG_DEFAULT=1
    PG_CONFIG=/usr/lib/postgresql/$SOCROI_DEBIAN_MAJOR/bin/pg_config
fi
export PG_CONFIG

SOCROI_PACKAGES=(make gcc libc6-dev libtap-parser-sourcehandler-pgtap-perl python3 python3-psycopg2)
if [ $SOCROI_PG_DEFAULT = 1 ]; then
    _pg_apt_major=$SOCROI_DEBIAN_MAJOR
elif [[ $PG_CONFIG =~ ^/usr/lib/postgresql/([0-9]+)/bin/pg_config$ ]]; then
    # a packaged installation (Debian or apt.postgresql.org): its packages
    _pg_apt_major=${BASH_REMATCH[1]}
else
    _pg_apt_major=   # a source build: it brings its own server, headers, pgTAP
fi
if [ -n "$_pg_apt_major" ]; then
    SOCROI_PACKAGES+=("postgresql-$_pg_apt_major" "postgresql-server-dev-$_pg_apt_major"
                      "postgresql-$_pg_apt_major-pgtap")
fi
unset _pg_apt_major

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

# Reads the selected installation (after socroi_deps: Debian's pg_config
# comes with postgresql-server-dev-15) and puts the binaries the scripts run
# first on PATH, so psql, pg_prove's psql, pg_dump, pg_isready ... are the
# installation's own, never Debian's pg_wrapper.  Sets SOCROI_PG_VERSION
# ("PostgreSQL 16.14"), SOCROI_PG_MAJOR, SOCROI_PG_BINDIR (the installation's)
# and SOCROI_BINDIR (what runs: the private copy's with SOCROI_PRIVATE_PG=1).
socroi_pg_select() {
    [ -x "$PG_CONFIG" ] || die "no pg_config at $PG_CONFIG"
    SOCROI_PG_VERSION=$("$PG_CONFIG" --version)
    SOCROI_PG_MAJOR=$(sed -n 's/^PostgreSQL \([0-9][0-9]*\).*/\1/p' <<<"$SOCROI_PG_VERSION")
    [ -n "$SOCROI_PG_MAJOR" ] || die "$PG_CONFIG --version says '$SOCROI_PG_VERSION'"
    if [ "$SOCROI_PG_MAJOR" -lt "$SOCROI_MIN_MAJOR" ]; then
        die "$SOCROI_PG_VERSION is not supported (socroi needs PostgreSQL $SOCROI_MIN_MAJOR or later; 13 and 14 are out of upstream support)"
    fi
    SOCROI_PG_BINDIR=$("$PG_CONFIG" --bindir)
    if [ "${SOCROI_USE_INSTALLED:-0}" != 1 ] && [ "${SOCROI_PRIVATE_PG:-0}" = 1 ]; then
        SOCROI_PGROOT=${SOCROI_PGROOT:-$SOCROI_ROOT/.build/pgroot}
        SOCROI_BINDIR=$SOCROI_PGROOT$SOCROI_PG_BINDIR
    else
        SOCROI_BINDIR=$SOCROI_PG_BINDIR
    fi
    case ":$PATH:" in
        "$SOCROI_BINDIR:"*) ;;
        *) PATH=$SOCROI_BINDIR:$PATH ;;
    esac
    export PATH SOCROI_BINDIR SOCROI_PG_VERSION SOCROI_PG_MAJOR SOCROI_PG_BINDIR
}

# A private copy of an installation under $SOCROI_PGROOT, at the same absolute
# paths (PostgreSQL finds its share and lib directories relative to the
# postgres binary; source builds find their libraries through $ORIGIN): the
# directory above bindir (Debian: /usr/lib/postgresql/NN; a source build: its
# prefix), plus sharedir and pkglibdir when they lie elsewhere.
# The copy is made again when the installation was updated since (a minor
# release: the copy's server would no longer be pg_config's version).
socroi_private_copy() {
    local prefix d dirs=()
    prefix=$(dirname "$SOCROI_PG_BINDIR")
    for d in "$prefix" "$("$PG_CONFIG" --sharedir)" "$("$PG_CONFIG" --pkglibdir)"; do
        case "$d/" in "$prefix"/?*) continue ;; esac     # inside the prefix: copied with it
        dirs+=("$d")
    done
    if [ -x "$SOCROI_BINDIR/postgres" ]; then
        [ "$("$SOCROI_BINDIR/postgres" --version)" = "postgres (${SOCROI_PG_VERSION/ /) }" ] && return 0
        say "the private copy in $SOCROI_PGROOT is not $SOCROI_PG_VERSION: copying again"
        for d in "${dirs[@]}"; do rm -rf "${SOCROI_PGROOT:?}$d"; done
    fi
    say "copying the PostgreSQL installation ($SOCROI_PG_VERSION) to $SOCROI_PGROOT"
    for d in "${dirs[@]}"; do
        mkdir -p "$SOCROI_PGROOT$(dirname "$d")"
        cp -a "$d" "$SOCROI_PGROOT$(dirname "$d")/"
    done
    chmod -R a+rX "$SOCROI_PGROOT"
    chmod a+x "$SOCROI_ROOT/.build"
}

socroi_build_install() {
    local jobs stamp t0
    socroi_pg_select
    if [ "${SOCROI_USE_INSTALLED:-0}" = 1 ]; then
        # test what is installed (e.g. the Debian package); only generate
        # the files pg_regress needs from the tree
        say "using the installed socroi (SOCROI_USE_INSTALLED=1) of $SOCROI_PG_VERSION"
        return 0
    fi
    # The objects in the tree are built for one server version: rebuild from
    # scratch when the installation changes (a 15 object file linked into a
    # 16 library would load and misbehave).
    mkdir -p "$SOCROI_ROOT/.build"
    stamp="$PG_CONFIG $SOCROI_PG_VERSION"
    if [ "$(cat "$SOCROI_ROOT/.build/built-for" 2>/dev/null)" != "$stamp" ]; then
        make -C "$SOCROI_ROOT" -s clean PG_CONFIG="$PG_CONFIG" >/dev/null
        echo "$stamp" >"$SOCROI_ROOT/.build/built-for"
    fi
    jobs=$(nproc 2>/dev/null || echo 2)
    say "building socroi (-Werror) for $SOCROI_PG_VERSION ($PG_CONFIG)"
    t0=$SECONDS
    make -C "$SOCROI_ROOT" -s -j"$jobs" SOCROI_WERROR=1 PG_CONFIG="$PG_CONFIG" >/dev/null
    say "  build: $((SECONDS - t0)) s"
    if [ "${SOCROI_PRIVATE_PG:-0}" = 1 ]; then
        socroi_private_copy
        say "installing socroi into $SOCROI_PGROOT"
        make -C "$SOCROI_ROOT" -s install DESTDIR="$SOCROI_PGROOT" PG_CONFIG="$PG_CONFIG" >/dev/null
    else
        say "installing socroi into $("$PG_CONFIG" --pkglibdir)"
        if [ -w "$("$PG_CONFIG" --pkglibdir)" ] && [ -w "$("$PG_CONFIG" --sharedir)/extension" ]; then
            make -C "$SOCROI_ROOT" -s install PG_CONFIG="$PG_CONFIG" >/dev/null   # the user's own build
        else
            as_root make -C "$SOCROI_ROOT" -s install PG_CONFIG="$PG_CONFIG" >/dev/null
        fi
    fi
}

# run a server-side command as the cluster owner
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The server in PGHOST/PGPORT must be the selected installation's: logs its
# version() and refuses to go on when it is another version (a green run
# that tested the wrong server is worse than a red one).
socroi_check_server_version() {
    local server want
    server=$(psql -XAtqc 'SHOW server_version') || die "cannot ask the server its version"
    want=${SOCROI_PG_VERSION#PostgreSQL }
    if [ "$server" != "$want" ]; then
        die "the server is PostgreSQL $server but $PG_CONFIG is $SOCROI_PG_VERSION: refusing to test the wrong server"
    fi
    say "testing against: $(psql -XAtqc 'SELECT version()')"
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
    socroi_pg_select    # the selected installation's binaries (also in suites that start their own)
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
    socroi_check_server_version
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
