# Stand-in for eclipse-temurin:17-jdk (docker/offline-images.sh): Debian's OpenJDK 17 with javac,
# for the Maven build stage of docker/Dockerfile.
ARG BASE=local/mpcw-debian:bookworm
FROM ${BASE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
         openjdk-17-jdk-headless ca-certificates \
    && rm -rf /var/lib/apt/lists/*
