#!/usr/bin/env bash
# End-to-end payment benchmark on a running local cluster: funds the default wallet (one coin per
# payment), runs 1 client then 16 concurrent clients, each submitting payments and following them
# to `confirmed`; prints payments/s to signed and to confirmed, p50/p99 of the time in every state,
# and the DKG time of new 3-of-n wallets. Start the cluster first: ./mpcw up. Loopback only.
# usage: bench/payment-bench.sh [payments_single=20] [payments_concurrent=160] [dkg_wallets=10]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .mpcw/run/orchestrator.pid ] || { echo "start the cluster first: ./mpcw up" >&2; exit 1; }
echo "== 1 client"
./mpcw bench --clients 1 --payments "${1:-20}" --dkg 0
echo "== 16 concurrent clients"
./mpcw bench --clients 16 --payments "${2:-160}" --dkg "${3:-10}"
