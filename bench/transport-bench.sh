#!/usr/bin/env bash
# QUIC request/response throughput and latency on loopback (cluster-transport).
# Usage: bench/transport-bench.sh [warmupSeconds=4] [measureSeconds=8] [payloadBytes=64] [concurrency... = 1 64]
# The defaults stay under 30 s of load; the whole run is capped at 60 s.
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file="cluster-transport/target/bench.classpath"
./mvnw -B -q -o -pl cluster-transport test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp_file" >/dev/null
classpath="cluster-transport/target/classes:cluster-transport/target/test-classes:$(cat "$cp_file")"
exec timeout 60 java -Xms256m -Xmx256m -cp "$classpath" io.mpcw.transport.bench.QuicLoadDriver "$@"
