package io.mpcw.crypto.frost;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Runs whole signing sessions in one process for the tests. */
public final class FrostSessions {
  private FrostSessions() {}

  /** A SecureRandom whose output depends only on the seed, so failures can be replayed. */
  public static SecureRandom seeded(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code count} distinct identifiers drawn from {@code from}. */
  public static List<Identifier> choose(Collection<Identifier> from, int count, SecureRandom r) {
    List<Identifier> all = new ArrayList<>(from);
    Collections.shuffle(all, r);
    return all.subList(0, count);
  }

  /** Round 1, round 2 and aggregation by the given signers. */
  public static byte[] sign(
      Frost frost,
      Map<Identifier, KeyPackage> keys,
      PublicKeyPackage publicKeys,
      Collection<Identifier> signers,
      byte[] message,
      SecureRandom random) {
    SigningPackage sp = null;
    List<SigningNonces> nonces = new ArrayList<>();
    List<SigningCommitments> commitments = new ArrayList<>();
    for (Identifier id : signers) {
      SigningNonces n = frost.commit(keys.get(id), random);
      nonces.add(n);
      commitments.add(n.commitments());
    }
    sp = new SigningPackage(message, commitments);
    List<SignatureShare> shares = new ArrayList<>();
    for (SigningNonces n : nonces) {
      try (n) {
        shares.add(frost.sign(sp, n, keys.get(n.identifier())));
      }
    }
    return frost.aggregate(sp, shares, publicKeys);
  }
}
