package io.mpcw.orchestrator.dkg;

import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.taproot.TapTweak;
import io.mpcw.crypto.util.Hex;
import io.mpcw.protocol.dkg.DkgPart3Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The key a DKG produced, accepted only when every participant reports the same public key package,
 * group key and output key, and those fit together (the tweak, the threshold, one verifying share
 * per participant). Apart from {@link DkgCoordinator} because this is the check that decides
 * whether a wallet gets a key at all; the rounds only relay.
 */
final class DkgKeyAgreement {
  private DkgKeyAgreement() {}

  /** Round 3 ends after shares may be stored: every failure here says so. */
  static DkgResult agreed(
      UUID walletId,
      List<String> participants,
      int threshold,
      Map<String, DkgPart3Response> round3) {
    Map<List<String>, List<String>> reports = new LinkedHashMap<>();
    round3.forEach(
        (node, reply) -> {
          expect(reply.walletId().equals(walletId), node, "answered part3 for another wallet");
          expect(reply.nodeId().equals(node), node, "answered part3 as " + reply.nodeId());
          List<String> keys =
              List.of(
                  reply.publicKeyPackage().toLowerCase(),
                  reply.groupPublicKey().toLowerCase(),
                  reply.outputKey().toLowerCase());
          reports.computeIfAbsent(keys, k -> new ArrayList<>()).add(node);
        });
    if (reports.size() != 1) {
      // a lone dissenter against an agreeing rest is the one to suspect
      Optional<String> culprit =
          reports.size() == 2
              ? reports.values().stream()
                  .filter(nodes -> nodes.size() == 1)
                  .findFirst()
                  .filter(nodes -> participants.size() > 2)
                  .map(nodes -> nodes.get(0))
              : Optional.empty();
      throw fail("participants reported different keys: " + reports.values(), culprit);
    }
    List<String> keys = reports.keySet().iterator().next();
    try {
      PublicKeyPackage publicKeys = PublicKeyPackage.decode(Hex.decode(keys.get(0)));
      byte[] groupKey = Hex.decode(keys.get(1));
      byte[] outputKey = Hex.decode(keys.get(2));
      byte[] tweaked =
          TapTweak.outputKey(Point.decodeCompressed(groupKey), new byte[0])
              .outputKey()
              .encodeXOnly();
      if (!Arrays.equals(tweaked, outputKey)
          || !Arrays.equals(publicKeys.verifyingKey().encodeXOnly(), outputKey)
          || publicKeys.minSigners() != threshold
          || publicKeys.verifyingShares().size() != participants.size()) {
        throw fail(
            "the reported keys do not fit together (output key, tweak, threshold or shares)",
            Optional.empty());
      }
      return new DkgResult(publicKeys, groupKey, outputKey);
    } catch (RuntimeException e) {
      if (e instanceof DkgException dkg) {
        throw dkg;
      }
      throw fail("the reported keys cannot be decoded: " + e.getMessage(), Optional.empty());
    }
  }

  private static void expect(boolean condition, String node, String what) {
    if (!condition) {
      throw fail(node + " " + what, Optional.of(node));
    }
  }

  private static DkgException fail(String reason, Optional<String> culprit) {
    return new DkgException(DkgException.Kind.FAILED, reason, culprit, true);
  }
}
