#!/usr/bin/env bash
# End-to-end payment benchmark on the running local cluster, open loop: for each rate, POSTs
# payments at exactly that many per second for the given seconds (whatever the answers), waits for
# them to be signed, and prints offered vs achieved rate, POST→signed/confirmed percentiles,
# failures by reason and CPU seconds per payment per process (see ./mpcw bench).
# Start the cluster first, with the throughput JVM profile for figures worth comparing:
#   MPCW_JVM_PROFILE=throughput ./mpcw up
# Loopback only; each rate takes its seconds plus the wait for the last payments (≤ 120 s).
# usage: bench/payment-bench.sh [seconds=30] [rates...=2 5 10]
set -euo pipefail
cd "$(dirname "$0")/.."
home="${MPCW_HOME:-$PWD/.mpcw}"
[ -f "$home/run/orchestrator.pid" ] || { echo "start the cluster first: ./mpcw up (no cluster in $home)" >&2; exit 1; }
seconds="${1:-30}"
shift || true
rates=("${@:-2 5 10}")
for rate in ${rates[*]}; do
  echo "== open loop, $rate payments/s for $seconds s"
  ./mpcw bench --rate "$rate" --seconds "$seconds" --until signed
done
