#!/usr/bin/env bash
# The whole vote path against a running local cluster, beside raw etcd transactions at the same
# concurrency, for several concurrency levels in one run, then a table side by side with ratios.
# Start the cluster first: ./mpcw up (the same MPCW_HOME / MPCW_PORT_OFFSET as here).
# Loopback only; about (levels × 2 × (warm-up + measured)) s, 120 s with the defaults.
# usage: bench/vote-bench.sh [concurrency levels=1,5,32] [warmup_s=5] [measure_s=15]
# Set MVN_OFFLINE=-o to keep Maven off the network.
set -euo pipefail
cd "$(dirname "$0")/.."
home="${MPCW_HOME:-$PWD/.mpcw}"
offset="${MPCW_PORT_OFFSET:-0}"
[ -f "$home/run/orchestrator.pid" ] || { echo "start the cluster first: ./mpcw up (no cluster in $home)" >&2; exit 1; }
nodes=$(find "$home/run" -name 'node-*.pid' | wc -l)

# -am builds the modules the benchmark needs from this checkout (a fresh clone has none of them
# installed, and installed snapshots may be another checkout's code)
./mvnw -B -q ${MVN_OFFLINE:-} -pl orchestrator-service -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath -Dspotless.check.skip=true
cp="orchestrator-service/target/test-classes:orchestrator-service/target/classes:$(cat orchestrator-service/target/bench.classpath)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit: $(git describe --always --dirty 2>/dev/null || echo unknown); jdk: $(java -version 2>&1 | head -1)"
exec timeout 900 java -cp "$cp" io.mpcw.orchestrator.bench.VoteBench "$home" "$nodes" "$offset" \
  "${1:-1,5,32}" "${2:-5}" "${3:-15}"
