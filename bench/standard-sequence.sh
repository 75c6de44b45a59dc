#!/usr/bin/env bash
# The payments benchmark's standard sequence (docs/benchmarks.md, from the ninth round on), on a
# fresh cluster of its own: ./mpcw up --fresh with the throughput profile, 15/s × 40 s twice and
# 50/s × 30 s three times to warm up, then the measured runs 10/s × 30 s twice, 50/s × 30 s and 100/s × 60 s,
# then ./mpcw down. Each run's full report goes to <out>/runN.log, a summary to <out>/runs.log.
# Compare builds or settings by running it once per column, one after the other, on one machine.
# It deletes the cluster home it uses (MPCW_HOME, default <out>/home) and uses ports offset by
# MPCW_PORT_OFFSET (default 6000), so a cluster started by `./mpcw up` on the defaults is untouched.
# usage: bench/standard-sequence.sh <out> [NAME=value ...]   e.g. MPCW_NODES=10
set -euo pipefail
out="$(mkdir -p "$1" && cd "$1" && pwd)"
shift
for kv in "$@"; do export "${kv?}"; done
cd "$(dirname "$0")/.."
export MPCW_HOME="${MPCW_HOME:-$out/home}" MPCW_PORT_OFFSET="${MPCW_PORT_OFFSET:-6000}"
export MPCW_JVM_PROFILE=throughput
./mpcw up --fresh >"$out/up.log" 2>&1 || { echo "up failed: $out/up.log" >&2; exit 1; }
i=0
for run in 15:40 15:40 50:30 50:30 50:30 10:30 10:30 50:30 100:60; do
  i=$((i + 1))
  rate="${run%:*}" seconds="${run#*:}"
  echo "== run$i rate $rate seconds $seconds $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/runs.log"
  ./mpcw bench --rate "$rate" --seconds "$seconds" --drain 300 >"$out/run$i.log" 2>&1 || true
  grep -E "reached signed|whole window|POST→signed|^none" "$out/run$i.log" >>"$out/runs.log" || true
done
./mpcw down >"$out/down.log" 2>&1
echo "done; the measured runs are run6 to run9" >>"$out/runs.log"
tail -n 12 "$out/runs.log"
