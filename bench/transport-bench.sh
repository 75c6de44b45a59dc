#!/usr/bin/env bash
# QUIC request/response throughput and latency on loopback (cluster-transport).
# Usage: bench/transport-bench.sh [warmupSeconds=4] [measureSeconds=8] [payloadBytes=64] [concurrency... = 1 64]
# The defaults stay under 30 s of load; the run itself is capped at 60 s. No cluster needed.
# Set MVN_OFFLINE=-o to keep Maven off the network.
set -euo pipefail
cd "$(dirname "$0")/.."
# -am builds common-types from this checkout too (a fresh clone has nothing installed)
./mvnw -B -q ${MVN_OFFLINE:-} -pl cluster-transport -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath -Dspotless.check.skip=true >/dev/null
classpath="cluster-transport/target/classes:cluster-transport/target/test-classes:$(cat cluster-transport/target/bench.classpath)"
exec timeout 60 java -Xms256m -Xmx256m -cp "$classpath" io.mpcw.transport.bench.QuicLoadDriver "$@"
