#!/usr/bin/env bash
# The BI dashboard (dashboard/, Evidence) over the demo warehouse, built and
# checked in a real browser:
#   - installs what is missing (Debian: Node.js and npm if there is no node,
#     chromium, python3-pil; the dashboard's npm packages from its lock file),
#   - builds and installs socroi, starts a throwaway cluster (Unix socket
#     only) and loads the demo warehouse,
#   - runs the dashboard's source queries (plain SQL calling socroi) and
#     builds the dashboard to static HTML (dashboard/build/),
#   - serves it on 127.0.0.1 only, opens every page in headless Chromium and
#     takes a screenshot of each (dashboard/screenshots/*.png),
#   - fails when a page shows an Evidence error block, a chart draws nothing,
#     a screenshot is blank, or a key number of a page (dashboard/checks.sql)
#     differs from the same SQL run directly; and proves the checker catches
#     deliberately wrong SQL (dashboard/check/wrong_checks.sql),
#   - always stops the web server and the cluster it started.
#
#   scripts/dashboard.sh           build and check
#   scripts/dashboard.sh --serve   then keep serving the build on 127.0.0.1
#                                  until Ctrl-C (SOCROI_DASHBOARD_PORT, default
#                                  a free port)
source "$(dirname "$0")/lib.sh"

serve=0
[ "${1:-}" = --serve ] && serve=1
t_start=$SECONDS
timing=()
lap() { timing+=("$1 $(( SECONDS - t_lap )) s"); t_lap=$SECONDS; }
t_lap=$SECONDS

socroi_deps chromium python3-pil
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    socroi_deps nodejs npm
fi
node -e 'const [a, b] = process.versions.node.split(".").map(Number);
         if (a < 18 || (a === 18 && b < 13)) { console.error("Node.js >= 18.13 needed, found " + process.version); process.exit(1); }'
lap "Debian packages"

socroi_build_install
lap "socroi build"

DASH=$SOCROI_ROOT/dashboard
cd "$DASH"
# node_modules/.package-lock.json is npm's record of what it installed
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "npm ci (the dashboard's packages, pinned by package-lock.json)"
    npm ci --no-audit --no-fund --loglevel=error
    lap "npm ci"
fi

socroi_cluster_start
say "loading the demo warehouse"
socroi_load_demo socroi_demo
export PGDATABASE=socroi_demo
lap "cluster and demo warehouse"

# Evidence's postgres connector takes the socket directory as host
export EVIDENCE_SOURCE__socroi__host=$PGHOST EVIDENCE_SOURCE__socroi__port=$PGPORT \
    EVIDENCE_SOURCE__socroi__database=socroi_demo EVIDENCE_SOURCE__socroi__user=postgres \
    EVIDENCE_SOURCE__socroi__password=''
# Evidence reports a failing source query without PostgreSQL's message and
# then does not exit (its connection pool stays open): run each one through
# psql first, and Evidence under a time limit
say "the source queries, through psql"
for f in sources/socroi/*.sql; do
    psql -Xq -v ON_ERROR_STOP=1 -o /dev/null -f "$f" \
        || { say "FAIL: dashboard/$f does not run"; exit 1; }
done
say "evidence sources (the source queries' results, for the pages)"
timeout 900 npx evidence sources 2>&1 | tee "$SOCROI_TMP/evidence-sources.log" || true
if grep -q '✖' "$SOCROI_TMP/evidence-sources.log" || ! grep -q 'Done!' "$SOCROI_TMP/evidence-sources.log"; then
    say "FAIL: evidence sources did not finish cleanly"
    exit 1
fi
lap "evidence sources"
say "evidence build:strict (static HTML in dashboard/build/)"
npx evidence build:strict > "$SOCROI_TMP/evidence-build.log" 2>&1 \
    || { tail -60 "$SOCROI_TMP/evidence-build.log" >&2; say "FAIL: the dashboard did not build"; exit 1; }
lap "evidence build"

port=${SOCROI_DASHBOARD_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$DASH/build" >"$SOCROI_TMP/http.log" 2>&1 &
http_pid=$!
dashboard_stop() {
    local rc=$?
    kill "$http_pid" 2>/dev/null || true
    wait "$http_pid" 2>/dev/null || true
    (exit $rc)
    socroi_cluster_stop
}
trap dashboard_stop EXIT
python3 - "$port" <<'PY'
import sys, time, urllib.request
for _ in range(100):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/", timeout=2)
        break
    except OSError:
        time.sleep(0.1)
PY

# every page of dashboard/pages: index.md is the home page ('')
pages=()
for f in pages/*.md; do
    b=$(basename "$f" .md)
    [ "$b" = index ] && pages+=("") || pages+=("$b")
done
say "rendering ${#pages[@]} pages in headless Chromium (screenshots in dashboard/screenshots/)"
rm -rf screenshots
failed=0
node check/render.mjs "http://127.0.0.1:$port" screenshots "$SOCROI_TMP/rendered.json" "${pages[@]}" || failed=1
lap "render and screenshots"

say "checking the pages and their key numbers against the SQL"
/usr/bin/python3 check/check.py "$SOCROI_TMP/rendered.json" checks.sql || failed=1
say "the checker's self-test: deliberately wrong SQL must be caught"
/usr/bin/python3 check/check.py "$SOCROI_TMP/rendered.json" check/wrong_checks.sql --expect-mismatch || failed=1
socroi_check_no_crash || failed=1
lap "checks"

say "timings: ${timing[*]/%/,} total $(( SECONDS - t_start )) s"
if [ $failed != 0 ]; then
    say "FAILED"
    exit 1
fi
say "dashboard built and checked: $DASH/build (screenshots in $DASH/screenshots/)"
if [ $serve = 1 ]; then
    say "serving the dashboard on http://127.0.0.1:$port/ (Ctrl-C stops it)"
    wait "$http_pid"
fi
