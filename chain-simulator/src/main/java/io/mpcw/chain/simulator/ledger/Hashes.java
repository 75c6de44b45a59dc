package io.mpcw.chain.simulator.ledger;

import io.mpcw.crypto.hash.Sha256;
import io.mpcw.crypto.util.Hex;

/** Double SHA-256 and the reversed ("display") hex order bitcoind shows hashes in. */
final class Hashes {
  private Hashes() {}

  static byte[] sha256d(byte[] data) {
    return Sha256.of(Sha256.of(data));
  }

  static String toDisplayHex(byte[] internalOrder) {
    return Hex.encode(reverse(internalOrder));
  }

  static byte[] fromDisplayHex(String displayHex) {
    return reverse(Hex.decode(displayHex));
  }

  private static byte[] reverse(byte[] bytes) {
    byte[] out = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[bytes.length - 1 - i];
    }
    return out;
  }
}
