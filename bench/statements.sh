#!/usr/bin/env bash
# PostgreSQL statements per payment on a running local cluster, counted by pg_stat_statements:
# the orchestrator database's statements (and their execution time) over one `./mpcw bench` run,
# divided by the payments it confirmed; the bench's own final read of each payment is included
# (6 reads: the payment, its round, votes, attempts, sessions and history).
# The first time it preloads pg_stat_statements (ALTER SYSTEM) and restarts the cluster (./mpcw down
# and ./mpcw up, not --fresh); it installs Debian's postgresql-client for psql when that is missing.
# Start the cluster first (./mpcw up, with the MPCW_HOME / MPCW_PORT_OFFSET of that cluster).
# usage: bench/statements.sh [rate=20] [seconds=30]
set -euo pipefail
cd "$(dirname "$0")/.."
home="${MPCW_HOME:-$PWD/.mpcw}"
[ -f "$home/run/infra.ready" ] || { echo "start the cluster first: ./mpcw up (no cluster in $home)" >&2; exit 1; }
rate="${1:-20}"
seconds="${2:-30}"
if ! command -v psql >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || { echo "psql is needed: sudo apt-get install -y postgresql-client" >&2; exit 1; }
  echo "psql not found: installing Debian's postgresql-client ..." >&2
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null
fi
pg() {
  local url port
  url=$(sed -n 's/^postgres=//p' "$home/run/infra.ready")
  port=$(echo "$url" | sed -E 's#.*:([0-9]+)/.*#\1#')
  psql -h 127.0.0.1 -p "$port" -U postgres -X -At "$@"
}
if [ "$(pg -c 'SHOW shared_preload_libraries')" != "pg_stat_statements" ]; then
  echo "preloading pg_stat_statements: restarting the cluster ..." >&2
  pg -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'" >/dev/null
  ./mpcw down >/dev/null 2>&1
  ./mpcw up >/dev/null
fi
pg -d orchestrator -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
echo "warm-up: ./mpcw bench --rate 15 --seconds 20 --until confirmed" >&2
./mpcw bench --rate 15 --seconds 20 --until confirmed --drain 300 >/dev/null 2>&1
pg -d orchestrator -c "SELECT pg_stat_statements_reset()" >/dev/null
report=$(./mpcw bench --rate "$rate" --seconds "$seconds" --until confirmed --drain 300 2>&1)
echo "$report" | grep -E "^(date|commit|cluster|load):|reached confirmed"
paid=$(echo "$report" | sed -nE 's/^reached confirmed: ([0-9]+) of.*/\1/p')
[ -n "$paid" ] && [ "$paid" -gt 0 ] || { echo "no payment confirmed; the bench said:" >&2; echo "$report" >&2; exit 1; }
db="dbid = (SELECT oid FROM pg_database WHERE datname = 'orchestrator')"
echo "== per payment ($paid payments): statements, of which BEGIN, execution ms"
pg -d orchestrator -F ' | ' -c "SELECT round(sum(calls) / $paid.0, 1),
  round(sum(calls) FILTER (WHERE query = 'BEGIN') / $paid.0, 1),
  round((sum(total_exec_time) / $paid)::numeric, 2) FROM pg_stat_statements WHERE $db"
echo "== the statements, most frequent first: calls per payment | ms per payment | rows per call | statement"
echo "   (pg_stat_statements leaves constants out of a statement's identity: the claim statements of"
echo "   every state, which differ only in the state written into them, are one line, shown with the"
echo "   state of the first one it saw)"
pg -d orchestrator -F ' | ' -c "SELECT round(calls / $paid.0, 2), round((total_exec_time / $paid)::numeric, 3),
  round(rows::numeric / greatest(calls, 1), 2),
  left(regexp_replace(query, '\s+', ' ', 'g'), 150) FROM pg_stat_statements WHERE $db
  ORDER BY calls DESC, total_exec_time DESC LIMIT 40"
