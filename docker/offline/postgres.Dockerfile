# Stand-in for postgres:17 (docker/offline-images.sh). Debian bookworm ships PostgreSQL 15 only;
# the server here is PostgreSQL 17 from the embedded binaries the tests and ./mpcw up run (Maven
# Central, io.zonky.test.postgres, self-contained: their libraries come with them), so the data
# volume has the same format as with the official image. psql is Debian's client (15), enough for
# the health check and the init scripts. The entrypoint keeps the part of the official image's
# contract that docker-compose.yml uses (docker-entrypoint.sh).
ARG BASE=local/mpcw-debian:bookworm
FROM ${BASE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
         postgresql-client-15 xz-utils \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 999 postgres \
    && useradd --system --uid 999 --gid postgres --home-dir /var/lib/postgresql --shell /bin/bash postgres \
    && install -d -o postgres -g postgres -m 0755 /var/lib/postgresql /var/run/postgresql \
    && install -d -o postgres -g postgres -m 0700 /var/lib/postgresql/data \
    && install -d -m 0755 /docker-entrypoint-initdb.d /usr/lib/postgresql/17
COPY postgres-linux-x86_64.txz /tmp/
RUN tar -xJf /tmp/postgres-linux-x86_64.txz -C /usr/lib/postgresql/17 \
    && rm /tmp/postgres-linux-x86_64.txz \
    && /usr/lib/postgresql/17/bin/postgres --version
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN chmod 0755 /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/17/bin:$PATH PGDATA=/var/lib/postgresql/data
USER postgres
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]
