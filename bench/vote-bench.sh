#!/usr/bin/env bash
# The whole vote path against a running local cluster, beside raw etcd transactions at the same
# concurrency. Start the cluster first: ./mpcw up. Loopback only; about 2 × (warm-up + measured) s.
# usage: bench/vote-bench.sh [concurrency=32] [warmup_s=10] [measure_s=20]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .mpcw/run/orchestrator.pid ] || { echo "start the cluster first: ./mpcw up" >&2; exit 1; }
./mvnw -B -q -o -pl orchestrator-service test-compile -Dspotless.check.skip=true
./mvnw -B -q -o -pl orchestrator-service dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.classpath
cp="orchestrator-service/target/test-classes:orchestrator-service/target/classes:$(cat orchestrator-service/target/bench.classpath)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); jdk: $(java -version 2>&1 | head -1)"
java -cp "$cp" io.mpcw.orchestrator.bench.VoteBench . 5 "${1:-32}" "${2:-10}" "${3:-20}"
