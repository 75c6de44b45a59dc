package io.mpcw.node.share;

import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.Secp256k1Sha256Taproot;
import io.mpcw.crypto.frost.TrustedDealer;
import io.mpcw.protocol.share.WalletShare;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** Shares and keys made for a test run (a dealer suffices: the store does not care how). */
final class TestShares {

  static final List<String> PARTICIPANTS = List.of("node-1", "node-2", "node-3");
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestShares() {}

  static WalletShare share(String nodeId) {
    TrustedDealer.DealtKeys keys =
        TrustedDealer.generate(Secp256k1Sha256Taproot.INSTANCE, 3, 2, RANDOM);
    int identifier = PARTICIPANTS.indexOf(nodeId) + 1;
    return new WalletShare(
        UUID.randomUUID(),
        nodeId,
        identifier,
        2,
        PARTICIPANTS,
        keys.keyPackages().get(Identifier.of(identifier)),
        keys.publicKeyPackage(),
        keys.publicKeyPackage().verifyingKey().encodeCompressed());
  }

  static String base64Key() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  static SecretKey key(String base64) {
    return new SecretKeySpec(Base64.getDecoder().decode(base64), "AES");
  }
}
