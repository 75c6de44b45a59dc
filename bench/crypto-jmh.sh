#!/usr/bin/env bash
# Builds mpc-crypto's test classes and runs its JMH benchmarks (FROST TR signing, DKG, BIP-340,
# libsecp256k1 vs BouncyCastle side by side, P-256 vote signatures).
# Extra arguments go to JMH, e.g. `bench/crypto-jmh.sh FrostSigning` or `-p config=2-of-3`.
# Set MVN_OFFLINE=-o to keep Maven off the network. No cluster needed.
set -euo pipefail
cd "$(dirname "$0")/.."

# -am: build from this checkout what mpc-crypto needs (a fresh clone has nothing installed)
./mvnw -B -q ${MVN_OFFLINE:-} -pl mpc-crypto -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath -Dspotless.check.skip=true
# Run from a private copy of the classes: a concurrent build of the module must not pull them
# away from under a running benchmark.
snapshot="$(mktemp -d)"
trap 'rm -rf "$snapshot"' EXIT
cp -r mpc-crypto/target/classes "$snapshot/classes"
cp -r mpc-crypto/target/test-classes "$snapshot/test-classes"
cp="$snapshot/test-classes:$snapshot/classes:$(cat mpc-crypto/target/jmh.classpath)"

jmh_args=(-f 1 -wi 3 -i 5 -w 1s -r 1s -tu us)
echo "== conditions"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "cpus:    $(nproc) (nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min)"
echo "jdk:     $(java -version 2>&1 | head -2 | tr '\n' ' ')"
echo "command: java -cp <test classpath> org.openjdk.jmh.Main ${jmh_args[*]} ${*:-io.mpcw.crypto.bench}"
echo "== results"
java -cp "$cp" org.openjdk.jmh.Main "${jmh_args[@]}" "${@:-io.mpcw.crypto.bench}"
echo "== thread CPU time per operation (same operations, io.mpcw.crypto.bench.CpuTimeReport)"
java -cp "$cp" io.mpcw.crypto.bench.CpuTimeReport
