# Stand-in for eclipse-temurin:17-jre (docker/offline-images.sh): Debian's OpenJDK 17 runtime.
ARG BASE=local/mpcw-debian:bookworm
FROM ${BASE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
         openjdk-17-jre-headless ca-certificates \
    && rm -rf /var/lib/apt/lists/*
