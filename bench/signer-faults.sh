#!/usr/bin/env bash
# Signing with one faulty signer: for each mode, one participant of the default wallet (node-5) is
# restarted in that signing fault, payments are sent open loop at the rate for the seconds, and the
# node is restarted honest again (see ./mpcw bench --faulty-signer). Prints, per mode, POST→signed
# percentiles, failures and the signing sessions per payment. The same command before and after a
# change of the signing coordination gives comparable tables (docs/benchmarks.md, "Signer faults").
# Start the cluster first, with the throughput profile:  MPCW_JVM_PROFILE=throughput ./mpcw up
# usage: bench/signer-faults.sh [rate=5] [seconds=30] [modes...=none silent slow bad-share]
set -euo pipefail
cd "$(dirname "$0")/.."
home="${MPCW_HOME:-$PWD/.mpcw}"
[ -f "$home/run/orchestrator.pid" ] || { echo "start the cluster first: ./mpcw up (no cluster in $home)" >&2; exit 1; }
rate="${1:-5}"
seconds="${2:-30}"
shift 2 || shift $# || true
modes=("${@:-none silent slow bad-share}")
for mode in ${modes[*]}; do
  echo "== faulty signer: $mode ($rate payments/s for $seconds s); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  ./mpcw bench --rate "$rate" --seconds "$seconds" --until signed --faulty-signer "$mode"
done
