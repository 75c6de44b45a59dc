package io.mpcw.orchestrator.wallet;

import io.mpcw.crypto.frost.PublicKeyPackage;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Public key packages decoded once per distinct encoding. A wallet row is read on every stage of
 * every payment, and decoding its package decompresses n + 1 points (a modular square root each, in
 * pure Java): under load that was a few per cent of the orchestrator's CPU for the same bytes. The
 * package is immutable, so the decoded object is shared; a new epoch has new bytes.
 */
final class DecodedKeyPackages {
  /** Bounds the memory: far more wallets than this are decoded again, not remembered. */
  static final int MAX_REMEMBERED = 1_024;

  private static final Map<ByteBuffer, PublicKeyPackage> DECODED = new ConcurrentHashMap<>();

  private DecodedKeyPackages() {}

  static PublicKeyPackage decode(byte[] encoded) {
    ByteBuffer key = ByteBuffer.wrap(encoded.clone());
    PublicKeyPackage known = DECODED.get(key);
    if (known != null) {
      return known;
    }
    // decoded outside the map: a malformed package throws and is never remembered
    PublicKeyPackage decoded = PublicKeyPackage.decode(encoded);
    if (DECODED.size() >= MAX_REMEMBERED) {
      DECODED.clear();
    }
    DECODED.putIfAbsent(key, decoded);
    return decoded;
  }

  static int remembered() {
    return DECODED.size();
  }
}
