package io.mpcw.orchestrator.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.crypto.ec.CountingBackend;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.ec.Secp256k1Backend;
import io.mpcw.crypto.ec.Secp256k1Backends;
import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.KeyPackage;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.frost.Secp256k1Sha256Taproot;
import io.mpcw.crypto.frost.SignatureShare;
import io.mpcw.crypto.frost.SigningCommitments;
import io.mpcw.crypto.frost.SigningNonces;
import io.mpcw.crypto.frost.SigningPackage;
import io.mpcw.crypto.frost.TrustedDealer;
import io.mpcw.crypto.schnorr.Bip340;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "Verify each FROST share once; aggregate once": counts, through a counting secp256k1 backend, the
 * BIP-340 verifications and share checks (one {@code a·G + b·Q} each) settling one input costs.
 */
class InputAggregationTest {
  private static final byte[] SIGHASH = new byte[32];
  private static final List<String> SIGNERS = List.of("node-1", "node-3", "node-5");

  private final Frost frost = Frost.taproot();
  private final SecureRandom random = new SecureRandom();
  private final Map<String, KeyPackage> keyOf = new LinkedHashMap<>();
  private PublicKeyPackage keys;
  private Secp256k1Backend original;
  private CountingBackend counting;

  @BeforeEach
  void dealKeysAndCount() {
    TrustedDealer.DealtKeys dealt =
        TrustedDealer.generate(Secp256k1Sha256Taproot.INSTANCE, 5, 3, random);
    keys = dealt.publicKeyPackage();
    for (String node : SIGNERS) {
      Identifier id = Identifier.of(Integer.parseInt(node.substring(5)));
      keyOf.put(node, dealt.keyPackages().get(id));
    }
    counting = new CountingBackend(Secp256k1Backends.active());
    original = Secp256k1Backends.replaceForTesting(counting);
  }

  @AfterEach
  void restoreBackend() {
    Secp256k1Backends.replaceForTesting(original);
  }

  private record Round(
      Map<String, SigningCommitments> commitments, Map<String, SignatureShare> shares) {}

  private Round signRound() {
    Map<String, SigningNonces> nonces = new LinkedHashMap<>();
    Map<String, SigningCommitments> commitments = new LinkedHashMap<>();
    for (String node : SIGNERS) {
      SigningNonces n = frost.commit(keyOf.get(node), random);
      nonces.put(node, n);
      commitments.put(node, n.commitments());
    }
    SigningPackage pkg = new SigningPackage(SIGHASH, commitments.values());
    Map<String, SignatureShare> shares = new LinkedHashMap<>();
    for (String node : SIGNERS) {
      try (SigningNonces n = nonces.get(node)) {
        shares.put(node, frost.sign(pkg, n, keyOf.get(node)));
      }
    }
    return new Round(commitments, shares);
  }

  private InputAggregation.Outcome aggregate(Round round, byte[] outputKey) {
    long verificationsBefore = counting.schnorrVerifications();
    long shareChecksBefore = counting.twoTermMultiplications();
    InputAggregation.Outcome outcome =
        new InputAggregation(frost)
            .aggregate(SIGHASH, SIGNERS, round.commitments(), round.shares(), keys, outputKey);
    verifications = counting.schnorrVerifications() - verificationsBefore;
    shareChecks = counting.twoTermMultiplications() - shareChecksBefore;
    return outcome;
  }

  private long verifications;
  private long shareChecks;

  private static SignatureShare corrupt(SignatureShare s) {
    return new SignatureShare(s.identifier(), s.share().add(Scalar.ONE));
  }

  @Test
  void validSharesAreAggregatedOnceAndTheSignatureVerifiedOnce() {
    Round round = signRound();
    byte[] outputKey = keys.verifyingKey().encodeXOnly();

    InputAggregation.Outcome outcome = aggregate(round, outputKey);

    assertThat(outcome).isInstanceOf(InputAggregation.Outcome.Signed.class);
    byte[] signature = ((InputAggregation.Outcome.Signed) outcome).signature();
    assertThat(Bip340.verify(SIGHASH, outputKey, signature)).isTrue();
    assertThat(verifications).as("BIP-340 verifications of the aggregate").isEqualTo(1);
    // a valid aggregate proves the shares' sum; single shares are checked only to blame
    assertThat(shareChecks).as("share verifications").isZero();
  }

  @Test
  void invalidSharesNameEverySignerAtFaultAndEachShareIsVerifiedOnce() {
    Round round = signRound();
    round.shares().put("node-1", corrupt(round.shares().get("node-1")));
    round.shares().put("node-5", corrupt(round.shares().get("node-5")));

    InputAggregation.Outcome outcome = aggregate(round, keys.verifyingKey().encodeXOnly());

    assertThat(outcome)
        .isEqualTo(new InputAggregation.Outcome.Culprits(List.of("node-1", "node-5")));
    assertThat(shareChecks).as("share verifications").isEqualTo(SIGNERS.size());
    assertThat(verifications).as("BIP-340 verifications of the aggregate").isEqualTo(1);
  }

  @Test
  void signatureIsRefusedWhenTheWalletsOutputKeyIsNotItsKeyPackagesKey() {
    Round round = signRound();
    byte[] otherKey = Bip340.publicKey(Scalar.of(42).encode());

    InputAggregation.Outcome outcome = aggregate(round, otherKey);

    assertThat(outcome).isEqualTo(new InputAggregation.Outcome.Invalid("signature did not verify"));
  }
}
