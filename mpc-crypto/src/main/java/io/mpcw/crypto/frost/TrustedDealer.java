package io.mpcw.crypto.frost;

import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Trusted-dealer key generation (RFC 9591 Appendix C). The production path is the DKG, where no one
 * ever holds the key; this exists for tests, the vectors and key import.
 */
public final class TrustedDealer {
  private TrustedDealer() {}

  /** The dealt shares: one key package per participant and the group's public key package. */
  public record DealtKeys(
      SortedMap<Identifier, KeyPackage> keyPackages, PublicKeyPackage publicKeyPackage) {}

  /**
   * Splits a fresh random key among participants 1..maxSigners, finished as the ciphersuite's DKG
   * finishes its keys ({@link Ciphersuite#postDkg}): for the Taproot suite the shares are of the
   * BIP-86 tweaked output key, exactly what a DKG would give.
   */
  public static DealtKeys generate(
      Ciphersuite suite, int maxSigners, int minSigners, SecureRandom random) {
    return split(
        suite,
        Polynomial.random(Scalar.random(random), minSigners, random),
        identifiers(maxSigners));
  }

  /** Shares f(id) of the polynomial f, finished as the ciphersuite's DKG finishes its keys. */
  public static DealtKeys split(Ciphersuite suite, Polynomial f, List<Identifier> participants) {
    DealtKeys raw = splitUnprocessed(f, participants);
    SortedMap<Identifier, KeyPackage> keys = new TreeMap<>();
    PublicKeyPackage publicKeys = null;
    for (KeyPackage key : raw.keyPackages().values()) {
      KeyGenerationResult done = suite.postDkg(key, raw.publicKeyPackage());
      keys.put(key.identifier(), done.keyPackage());
      publicKeys = done.publicKeyPackage();
    }
    return new DealtKeys(keys, publicKeys);
  }

  /**
   * Shares f(id) of the polynomial f as they are, before any ciphersuite post-processing: the
   * dealer output that test vectors list (their Taproot signing applies its tweak itself).
   */
  public static DealtKeys splitUnprocessed(Polynomial f, List<Identifier> participants) {
    if (f.size() < 1 || f.size() > participants.size()) {
      throw new IllegalArgumentException("threshold must be between 1 and the participant count");
    }
    Point groupKey = Point.multiplyGenerator(f.secret());
    SortedMap<Identifier, KeyPackage> keys = new TreeMap<>();
    SortedMap<Identifier, Point> verifyingShares = new TreeMap<>();
    for (Identifier id : participants) {
      Scalar share = f.evaluate(id);
      Point verifyingShare = Point.multiplyGenerator(share);
      if (keys.put(id, new KeyPackage(id, share, verifyingShare, groupKey, f.size())) != null) {
        throw new IllegalArgumentException("duplicate participant " + id);
      }
      verifyingShares.put(id, verifyingShare);
    }
    return new DealtKeys(keys, new PublicKeyPackage(verifyingShares, groupKey, f.size()));
  }

  static List<Identifier> identifiers(int n) {
    List<Identifier> ids = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      ids.add(Identifier.of(i));
    }
    return ids;
  }
}
