package io.mpcw.crypto.bench;

import io.mpcw.crypto.dkg.Dkg;
import io.mpcw.crypto.dkg.Round1Package;
import io.mpcw.crypto.dkg.Round2Package;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.KeyGenerationResult;
import io.mpcw.crypto.frost.Secp256k1Sha256Taproot;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** A whole 3-of-5 Taproot DKG, all five parties' three parts, in one thread. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class DkgBenchmark {
  private static final int N = 5;
  private static final int T = 3;
  private final Dkg dkg = new Dkg(Secp256k1Sha256Taproot.INSTANCE);
  private final SecureRandom random = new SecureRandom();

  @Benchmark
  public List<KeyGenerationResult> dkg3of5AllParties() {
    SortedMap<Identifier, Dkg.Part1Result> part1 = new TreeMap<>();
    for (int i = 1; i <= N; i++) {
      part1.put(Identifier.of(i), dkg.part1(Identifier.of(i), N, T, random));
    }
    SortedMap<Identifier, Dkg.Part2Result> part2 = new TreeMap<>();
    part1.forEach((id, r) -> part2.put(id, dkg.part2(r.secretPackage(), round1For(part1, id))));
    List<KeyGenerationResult> out = new ArrayList<>();
    for (Identifier self : part1.keySet()) {
      Map<Identifier, Round2Package> received = new TreeMap<>();
      part2.forEach(
          (sender, r) -> {
            if (!sender.equals(self)) {
              received.put(sender, r.packages().get(self));
            }
          });
      out.add(dkg.part3(part2.get(self).secretPackage(), round1For(part1, self), received));
    }
    return out;
  }

  private static Map<Identifier, Round1Package> round1For(
      Map<Identifier, Dkg.Part1Result> part1, Identifier self) {
    Map<Identifier, Round1Package> m = new TreeMap<>();
    part1.forEach(
        (id, r) -> {
          if (!id.equals(self)) {
            m.put(id, r.package1());
          }
        });
    return m;
  }
}
