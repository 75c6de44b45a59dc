package io.mpcw.orchestrator.signing;

import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.FrostException;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.frost.SignatureShare;
import io.mpcw.crypto.frost.SigningCommitments;
import io.mpcw.crypto.frost.SigningPackage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The cryptography of settling one input: the signers' recorded shares → signature or culprits.
 * Binding factors are computed once, the aggregate verified once; single shares are verified (once
 * each) only when the aggregate fails, to name the culprits.
 */
final class InputAggregation {
  private final Frost frost;

  InputAggregation(Frost frost) {
    this.frost = frost;
  }

  sealed interface Outcome {
    /** The input's BIP-340 signature, verified under the wallet's output key. */
    record Signed(byte[] signature) implements Outcome {}

    /** These signers' shares do not verify. */
    record Culprits(List<String> nodes) implements Outcome {}

    /** No signature although no share could be blamed. */
    record Invalid(String why) implements Outcome {}
  }

  /**
   * @param signers in session order; {@code commitments} and {@code shares} hold one entry each
   */
  Outcome aggregate(
      byte[] message,
      List<String> signers,
      Map<String, SigningCommitments> commitments,
      Map<String, SignatureShare> shares,
      PublicKeyPackage keys,
      byte[] outputKey) {
    List<SigningCommitments> forInput = new ArrayList<>();
    List<SignatureShare> sharesForInput = new ArrayList<>();
    for (String node : signers) {
      forInput.add(commitments.get(node));
      sharesForInput.add(shares.get(node));
    }
    SigningPackage pkg = new SigningPackage(message, forInput);
    Frost.Aggregate result;
    try {
      result = frost.aggregateOrBlame(pkg, sharesForInput, keys);
    } catch (FrostException e) {
      return new Outcome.Invalid("aggregation failed");
    }
    if (!result.culprits().isEmpty()) {
      List<String> culprits = new ArrayList<>();
      for (String node : signers) {
        if (result.culprits().contains(shares.get(node).identifier())) {
          culprits.add(node);
        }
      }
      return new Outcome.Culprits(culprits);
    }
    byte[] signature = result.signature().orElseThrow();
    // aggregateOrBlame verified it under the key package's group key: the wallet's output key
    // must be that key, compared rather than verified a second time
    if (!Arrays.equals(outputKey, keys.verifyingKey().encodeXOnly())) {
      return new Outcome.Invalid("signature did not verify");
    }
    return new Outcome.Signed(signature);
  }
}
