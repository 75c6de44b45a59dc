# Stand-in for gcr.io/etcd-development/etcd (docker/offline-images.sh): Debian's etcd 3.4, the
# version the tests and ./mpcw up run on these hosts. Configured by ETCD_* variables as the
# official image is; etcdctl on PATH for the health check.
ARG BASE=local/mpcw-debian:bookworm
FROM ${BASE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
         etcd-server etcd-client \
    && rm -rf /var/lib/apt/lists/*
ENV ETCDCTL_API=3
EXPOSE 2379 2380
CMD ["/usr/bin/etcd"]
