#!/usr/bin/env bash
# Where the CPU goes in every service JVM of a running local cluster, under open-loop load:
# async-profiler (tools.profiler:async-profiler from Maven Central, Linux x64) attached to each
# JVM with jcmd, sampling CPU time (itimer), while `./mpcw bench` offers the load; then a summary
# per service (bench/ProfileSummary.java) and the collapsed stacks for flame graphs.
# CPU time, not JFR: on two cores at load 20-30, JFR's execution samples follow wall time spent in
# Java (a preempted thread is still sampled), which inflates long loops (docs/benchmarks.md).
# Start and warm the cluster first (./mpcw up, a few ./mpcw bench runs). etcd is profiled too (Go's
# pprof, the run's first <seconds>) when it was started with ETCD_ENABLE_PPROF=true.
# usage: bench/profile.sh [rate=40] [seconds=60]     MVN_OFFLINE=-o keeps Maven off the network
set -euo pipefail
cd "$(dirname "$0")/.."
home="${MPCW_HOME:-$PWD/.mpcw}"
[ -f "$home/run/orchestrator.pid" ] || { echo "start the cluster first: ./mpcw up (no cluster in $home)" >&2; exit 1; }
rate="${1:-40}"
seconds="${2:-60}"
version=4.1
out="$PWD/target/profile-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out" target/async-profiler
lib="$PWD/target/async-profiler/linux-x64/libasyncProfiler.so"
if [ ! -f "$lib" ]; then
  ./mvnw -B -q ${MVN_OFFLINE:-} dependency:copy \
    -Dartifact="tools.profiler:async-profiler:$version:jar:linux-x64" \
    -DoutputDirectory="$PWD/target/async-profiler"
  (cd target/async-profiler && jar xf "async-profiler-$version-linux-x64.jar" linux-x64/libasyncProfiler.so)
fi

declare -A jvms
for f in "$home"/run/*.pid; do
  pid=$(cat "$f")
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- '-jar'; then
    jvms[$(basename "$f" .pid)]=$pid
  fi
done
[ ${#jvms[@]} -gt 0 ] || { echo "no service JVM found under $home/run" >&2; exit 1; }

# jcmd passes the agent's options as one argument only when quoted inside the argument
for name in "${!jvms[@]}"; do
  jcmd "${jvms[$name]}" JVMTI.agent_load "$lib" '"start,event=itimer,interval=1ms"' >/dev/null
done
stop() {
  for name in "${!jvms[@]}"; do
    jcmd "${jvms[$name]}" JVMTI.agent_load "$lib" "\"stop,file=$out/$name.collapsed\"" >/dev/null 2>&1 || true
  done
}
trap stop EXIT
# etcd too, when it serves Go's profiler (start the cluster with ETCD_ENABLE_PPROF=true ./mpcw up:
# etcd reads its flags from ETCD_* variables; the endpoint needs a client certificate of the CA)
etcd_url=$(sed -n 's/^etcd=//p' "$home/run/infra.ready" 2>/dev/null | cut -d, -f1)
etcd_tls=(--cacert "$home/pki/ca.crt" --cert "$home/pki/root.crt" --key "$home/pki/root.key")
etcd_profiled=
if [ -n "$etcd_url" ] && curl -sf "${etcd_tls[@]}" "$etcd_url/debug/pprof/" >/dev/null 2>&1; then
  etcd_profiled=etcd
  curl -sf "${etcd_tls[@]}" "$etcd_url/debug/pprof/profile?seconds=$seconds" -o "$out/etcd.pb.gz" &
  etcd_pid=$!
fi
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit: $(git describe --always --dirty 2>/dev/null || echo unknown); profiling: ${!jvms[*]} ${etcd_profiled:-(etcd: start it with ETCD_ENABLE_PPROF=true to profile it too)}"
./mpcw bench --rate "$rate" --seconds "$seconds" --drain 300 | tee "$out/bench.txt"
stop
trap - EXIT
if [ -n "$etcd_profiled" ] && wait "$etcd_pid"; then
  java bench/PprofCollapse.java "$out/etcd.pb.gz" >"$out/etcd.collapsed"
fi
java bench/ProfileSummary.java "$out"/*.collapsed | tee "$out/summary.txt"
echo "collapsed stacks and this summary: $out"
