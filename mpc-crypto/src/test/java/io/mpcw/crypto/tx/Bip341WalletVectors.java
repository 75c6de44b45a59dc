package io.mpcw.crypto.tx;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcw.crypto.vectors.TestVectors;

/** BIP-341's {@code wallet-test-vectors.json}, parsed once per test JVM. */
public final class Bip341WalletVectors {
  private static JsonNode root;

  private Bip341WalletVectors() {}

  public static synchronized JsonNode load() {
    if (root == null) {
      root = TestVectors.json("bip341/wallet-test-vectors.json");
    }
    return root;
  }
}
