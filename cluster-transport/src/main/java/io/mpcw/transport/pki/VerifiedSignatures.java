package io.mpcw.transport.pki;

import io.mpcw.crypto.hash.Sha256;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Signatures this process has already found valid. One payment's vote signatures are checked by
 * every voting pass, by the settlement and by each signer, and the same node certificates on every
 * stage: each is an ECDSA P-256 verification of about a millisecond. Verification is deterministic,
 * so a triple (public key, data, signature) found valid once stays valid; only valid results are
 * remembered, so a forged signature is checked in full every time it is offered.
 *
 * <p>Entries are SHA-256 digests over the kind of check and the length-prefixed triple: a hit
 * proves the very same bytes were verified before. The set is bounded; when full it is emptied,
 * which costs only re-verifications: 50,000 entries (a few MB) hold the signatures of thousands of
 * payments, while the reuse they serve happens within the seconds one payment takes.
 */
public final class VerifiedSignatures {

  private static final VerifiedSignatures SHARED = new VerifiedSignatures(50_000);

  private final int capacity;
  private final ConcurrentHashMap<ByteBuffer, Boolean> valid = new ConcurrentHashMap<>();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  VerifiedSignatures(int capacity) {
    this.capacity = capacity;
  }

  /** The process-wide set used by {@link IdentityKeys#verify} and {@link PeerIdentity}. */
  public static VerifiedSignatures shared() {
    return SHARED;
  }

  /** What a remembered verification was: the two are never taken for one another. */
  enum Kind {
    DATA_SIGNATURE,
    CERTIFICATE_ISSUED_BY
  }

  /** The digest naming one (kind, key, data, signature) verification. */
  static ByteBuffer entry(Kind kind, byte[] key, byte[] data, byte[] signature) {
    MessageDigest sha = Sha256.newDigest();
    sha.update((byte) kind.ordinal());
    for (byte[] part : new byte[][] {key, data, signature}) {
      sha.update(ByteBuffer.allocate(4).putInt(part.length).array());
      sha.update(part);
    }
    return ByteBuffer.wrap(sha.digest());
  }

  boolean known(ByteBuffer entry) {
    boolean known = valid.containsKey(entry);
    (known ? hits : misses).incrementAndGet();
    return known;
  }

  void remember(ByteBuffer entry) {
    if (valid.size() >= capacity) {
      valid.clear();
    }
    valid.put(entry, Boolean.TRUE);
  }

  /** Verifications answered from memory since start. */
  public long hits() {
    return hits.get();
  }

  /** Verifications that had to be done in full since start. */
  public long misses() {
    return misses.get();
  }

  int size() {
    return valid.size();
  }
}
