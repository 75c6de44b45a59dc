#!/usr/bin/env bash
# The part of the official postgres image's entrypoint that docker-compose.yml relies on: on an
# empty data directory, initdb with POSTGRES_USER / POSTGRES_PASSWORD (password auth over TCP),
# the *.sql and *.sh files of /docker-entrypoint-initdb.d run against a server listening on the
# socket only, then the server on all addresses of the container.
set -euo pipefail
: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"

if [[ ${1:-postgres} != postgres ]]; then
  exec "$@"
fi
shift || true

if [[ ! -s $PGDATA/PG_VERSION ]]; then
  initdb -D "$PGDATA" -U "$POSTGRES_USER" -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 \
    --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") >/dev/null
  printf 'host all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -w -o "-c listen_addresses='' -k /var/run/postgresql" start >/dev/null
  for file in /docker-entrypoint-initdb.d/*; do
    case $file in
      *.sql) echo "docker-entrypoint: running $file"
             psql -v ON_ERROR_STOP=1 -h /var/run/postgresql -U "$POSTGRES_USER" -d postgres -f "$file" ;;
      *.sh) echo "docker-entrypoint: sourcing $file"; . "$file" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "docker-entrypoint: database initialised"
fi

exec postgres -D "$PGDATA" -c listen_addresses='*' -k /var/run/postgresql "$@"
