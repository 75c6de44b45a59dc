#!/usr/bin/env bash
# What approved → signing costs as the wallet grows: the orchestrator's real BuildTransactionStage
# on a real embedded PostgreSQL 17 (its own, started and stopped here; no cluster needed), one
# wallet per size with that many confirmed coins, the sizes measured in interleaved rounds in one
# run, then a table of wall time (p50/p99) and CPU per build (JVM process + PostgreSQL processes)
# with the ratios to the smallest wallet, and the query plans at each size.
# About 1–3 minutes with the defaults (loading 100,000 coins takes a few seconds).
# Then a few payments per size for more than the wallet holds (approved → failed, insufficient funds).
# usage: bench/build-cost.sh [coins list=10,10000,100000] [payments per size=300] [warm-up per size=100]
#                            [payments per size the wallet cannot pay=5]
# Set MVN_OFFLINE=-o to keep Maven off the network.
set -euo pipefail
cd "$(dirname "$0")/.."

# -am builds the modules the benchmark needs from this checkout (a fresh clone has none of them
# installed, and installed snapshots may be another checkout's code)
./mvnw -B -q ${MVN_OFFLINE:-} -pl orchestrator-service -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath -Dspotless.check.skip=true
cp="orchestrator-service/target/test-classes:orchestrator-service/target/classes:$(cat orchestrator-service/target/bench.classpath)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit: $(git describe --always --dirty 2>/dev/null || echo unknown); jdk: $(java -version 2>&1 | head -1)"
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "conditions: one JVM, default JIT tiers, one build at a time, embedded PostgreSQL 17 (fsync on)"
status=0
timeout 1800 java -cp "$cp" io.mpcw.orchestrator.bench.BuildCostBench \
  "${1:-10,10000,100000}" "${2:-300}" "${3:-100}" "${4:-5}" || status=$?
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
