#!/usr/bin/env bash
# The payments benchmark's standard sequence (docs/benchmarks.md, from the ninth round on), on a
# fresh cluster of its own: ./mpcw up --fresh with the throughput profile, 15/s × 40 s twice and
# 50/s × 30 s three times to warm up, then the measured runs 10/s × 30 s twice, 50/s × 30 s and 100/s × 60 s,
# then ./mpcw down. Each run's full report goes to <out>/runN.log, a summary to <out>/runs.log, and
# a table of the measured runs (offered → achieved, POST→signed p50 / p99, CPU per payment) to
# <out>/table.md. MEASURED="10:30 25:30 50:30 100:60 150:60" measures other rate:seconds instead
# (the rate ladder of docs/benchmarks.md's summary).
# Compare builds or settings by running it once per column, one after the other, on one machine.
# WARM_UNTIL_JIT_MS=x keeps warming at 50/s × 30 s after that until a run's JIT compilation is at
# most x ms per payment (at most WARM_MAX_RUNS=20 more runs): a service keeps compiling for
# thousands of payments after the fixed warm-up (docs/benchmarks.md, twenty-second round), so the
# fixed warm-up measures a cluster that is still warming and this one a cluster past most of it.
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
run() { # <log name> <rate> <seconds>
  echo "== $1 rate $2 seconds $3 $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/runs.log"
  ./mpcw bench --rate "$2" --seconds "$3" --drain 300 >"$out/$1.log" 2>&1 || true
  grep -E "reached signed|whole window|POST→signed|JIT compilation|^none" "$out/$1.log" >>"$out/runs.log" || true
}
for warm in 15:40 15:40 50:30 50:30 50:30; do
  i=$((i + 1))
  run "run$i" "${warm%:*}" "${warm#*:}"
done
if [ -n "${WARM_UNTIL_JIT_MS:-}" ]; then
  last="$out/run$i.log"
  for extra in $(seq 1 "${WARM_MAX_RUNS:-20}"); do
    jit=$(sed -nE 's/^JIT compilation: ([0-9.]+) ms per payment.*/\1/p' "$last")
    if [ -n "$jit" ] && awk -v j="$jit" -v t="$WARM_UNTIL_JIT_MS" 'BEGIN { exit !(j <= t) }'; then
      break
    fi
    run "warm$extra" 50 30
    last="$out/warm$extra.log"
  done
fi
first=$((i + 1))
for measured in ${MEASURED:-10:30 10:30 50:30 100:60}; do
  i=$((i + 1))
  run "run$i" "${measured%:*}" "${measured#*:}"
done
./mpcw down >"$out/down.log" 2>&1
echo "done; the measured runs are run$first to run$i" >>"$out/runs.log"
{
  echo "| offered | accepted (429) | reached signed, rate | POST→signed p50 / p99 | CPU per payment, whole window | not signed | load average after (1 min) |"
  echo "|---|---|---|---|---|---|---|"
  for n in $(seq "$first" "$i"); do
    awk '
      /^load:/ { match($0, /[0-9.]+ payments\/s for [0-9]+ s/); offered = substr($0, RSTART, RLENGTH) }
      /^accepted:/ { accepted = $2 }
      /^429:/ { refused = $2; sub(/,$/, "", refused) }
      /^reached signed:/ { signed = $3; rate = $7 }
      /^POST→signed:/ { p = $3 " / " $9 " s" }
      /^whole window:/ { cpu = $3 " ms" }
      /^load average after:/ { load = $4 }
      END {
        printf "| %s | %s (%s) | %s, %s | %s | %s | %d | %s |\n",
          offered, accepted, refused, signed, rate, p, cpu, accepted - signed, load
      }
    ' "$out/run$n.log"
  done
} >"$out/table.md"
tail -n 12 "$out/runs.log"
cat "$out/table.md"
