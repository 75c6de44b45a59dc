package io.mpcw.crypto.lifecycle;

import io.mpcw.crypto.dkg.Dkg;
import io.mpcw.crypto.dkg.Round1Package;
import io.mpcw.crypto.dkg.Round2Package;
import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.KeyGenerationResult;
import io.mpcw.crypto.frost.KeyPackage;
import io.mpcw.crypto.frost.PublicKeyPackage;
import java.security.SecureRandom;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Taproot wallet keys from a whole DKG run in one process, as the nodes would hold them. */
record LifecycleKeys(SortedMap<Identifier, KeyPackage> keys, PublicKeyPackage publicKeys) {

  static LifecycleKeys dkg(int n, int t, SecureRandom random) {
    Dkg dkg = new Dkg(Frost.taproot().ciphersuite());
    Map<Identifier, Dkg.Part1Result> part1 = new TreeMap<>();
    for (int i = 1; i <= n; i++) {
      part1.put(Identifier.of(i), dkg.part1(Identifier.of(i), n, t, random));
    }
    Map<Identifier, Dkg.Part2Result> part2 = new TreeMap<>();
    part1.forEach((id, r) -> part2.put(id, dkg.part2(r.secretPackage(), others(part1, id))));
    SortedMap<Identifier, KeyPackage> keys = new TreeMap<>();
    PublicKeyPackage publicKeys = null;
    for (Identifier id : part1.keySet()) {
      Map<Identifier, Round2Package> received = new TreeMap<>();
      part2.forEach(
          (sender, r) -> {
            if (!sender.equals(id)) {
              received.put(sender, r.packages().get(id));
            }
          });
      KeyGenerationResult out =
          dkg.part3(part2.get(id).secretPackage(), others(part1, id), received);
      keys.put(id, out.keyPackage());
      publicKeys = out.publicKeyPackage();
    }
    return new LifecycleKeys(keys, publicKeys);
  }

  private static Map<Identifier, Round1Package> others(
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
