package io.mpcw.crypto.frost;

import io.mpcw.crypto.ec.CryptoFormatException;
import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * FROST two-round threshold Schnorr signing (RFC 9591 §5) for one {@link Ciphersuite}: round 1
 * {@link #commit}, round 2 {@link #sign}, coordinator {@link #aggregate}. Stateless and
 * thread-safe.
 */
public final class Frost {
  private static final int NONCE_RANDOMNESS_BYTES = 32;

  private final Ciphersuite suite;

  public Frost(Ciphersuite suite) {
    this.suite = suite;
  }

  public static Frost taproot() {
    return new Frost(Secp256k1Sha256Taproot.INSTANCE);
  }

  public static Frost rfc9591() {
    return new Frost(Secp256k1Sha256.INSTANCE);
  }

  public Ciphersuite ciphersuite() {
    return suite;
  }

  /** Round 1: fresh nonces from {@code random} (RFC 9591 §4.1 hedges them with the share). */
  public SigningNonces commit(KeyPackage keyPackage, SecureRandom random) {
    byte[] hidingRandomness = new byte[NONCE_RANDOMNESS_BYTES];
    byte[] bindingRandomness = new byte[NONCE_RANDOMNESS_BYTES];
    random.nextBytes(hidingRandomness);
    random.nextBytes(bindingRandomness);
    try {
      return commitFromRandomness(keyPackage, hidingRandomness, bindingRandomness);
    } finally {
      Arrays.fill(hidingRandomness, (byte) 0);
      Arrays.fill(bindingRandomness, (byte) 0);
    }
  }

  /**
   * Round 1 from given randomness, for test vectors only: the same randomness twice would give the
   * same nonces, which leaks the key share if two different messages are signed.
   */
  public SigningNonces commitFromRandomness(
      KeyPackage keyPackage, byte[] hidingRandomness, byte[] bindingRandomness) {
    return commitWithNonces(
        keyPackage,
        nonce(hidingRandomness, keyPackage.signingShare()),
        nonce(bindingRandomness, keyPackage.signingShare()));
  }

  /**
   * Round 1 with given nonces, for test vectors that list the nonces themselves and for
   * interoperability tests: a nonce pair used for two different messages leaks the key share.
   */
  public SigningNonces commitWithNonces(KeyPackage keyPackage, Scalar hiding, Scalar binding) {
    if (hiding.isZero() || binding.isZero()) {
      throw new CryptoFormatException("nonces must not be zero");
    }
    SigningCommitments commitments =
        new SigningCommitments(
            keyPackage.identifier(),
            Point.multiplyGenerator(hiding),
            Point.multiplyGenerator(binding));
    return new SigningNonces(hiding, binding, commitments);
  }

  /** RFC 9591 nonce_generate: H3(random_bytes || SerializeScalar(secret)). */
  public Scalar nonce(byte[] randomness, Scalar secret) {
    if (randomness == null || randomness.length != NONCE_RANDOMNESS_BYTES) {
      throw new CryptoFormatException("nonce randomness is 32 bytes");
    }
    return suite.h3(Bytes.concat(randomness, secret.encode()));
  }

  /**
   * The binding factors and group commitment of a signing package for a group, under the group key
   * as the signers use it (the suite's normalisation applied: even y for BIP-340 suites).
   */
  public BindingFactors bindingFactors(
      SigningPackage signingPackage, PublicKeyPackage publicKeyPackage) {
    return bindingFactors(signingPackage, suite.preAggregate(publicKeyPackage).verifyingKey());
  }

  /** The binding factors under a group key that is already normalised for this suite. */
  private BindingFactors bindingFactors(SigningPackage signingPackage, Point groupKey) {
    byte[] prefix =
        Bytes.concat(
            groupKey.encodeCompressed(),
            suite.h4(signingPackage.message()),
            suite.h5(signingPackage.encodedCommitmentList()));
    Map<Identifier, byte[]> inputs = new HashMap<>();
    Map<Identifier, Scalar> factors = new HashMap<>();
    List<Point> bindingCommitments = new ArrayList<>();
    List<Scalar> rhos = new ArrayList<>();
    List<Point> terms = new ArrayList<>();
    for (SigningCommitments c : signingPackage.commitments().values()) {
      byte[] input = Bytes.concat(prefix, c.identifier().encode());
      Scalar rho = suite.h1(input);
      inputs.put(c.identifier(), input);
      factors.put(c.identifier(), rho);
      bindingCommitments.add(c.binding());
      rhos.add(rho);
      terms.add(c.hiding());
    }
    // R = Σ D_i + Σ ρ_i·E_i; the ρ_i are public, so one interleaved multiplication is safe; the
    // sum in one go, not one normalisation (a field inversion) per signer
    terms.add(Point.sumOfMultiplies(bindingCommitments, rhos));
    Point r = Point.sum(terms);
    if (r.isIdentity()) {
      throw new FrostException("group commitment is the identity");
    }
    return new BindingFactors(inputs, factors, r);
  }

  /**
   * Round 2: this signer's share z_i = d_i + e_i·ρ_i + λ_i·s_i·c. Consumes {@code nonces}.
   *
   * @throws FrostException when the package lacks this signer, carries other commitments than these
   *     nonces', or has fewer signers than the threshold (the nonces stay unused then)
   * @throws IllegalStateException when the nonces were already used or closed
   */
  public SignatureShare sign(
      SigningPackage signingPackage, SigningNonces nonces, KeyPackage keyPackage) {
    Identifier id = keyPackage.identifier();
    SigningCommitments mine = signingPackage.commitments().get(id);
    if (mine == null) {
      throw new FrostException("signing package does not include participant " + id);
    }
    if (!mine.equals(nonces.commitments())) {
      throw new FrostException("signing package carries other commitments than these nonces");
    }
    if (signingPackage.signers().size() < keyPackage.minSigners()) {
      throw new FrostException("fewer signers than the threshold " + keyPackage.minSigners());
    }
    if (!nonces.isUsable()) {
      throw new IllegalStateException("signing nonces were already used or closed");
    }
    KeyPackage key = suite.preSign(keyPackage);
    BindingFactors bf = bindingFactors(signingPackage, key.verifyingKey());
    Point r = bf.groupCommitment();
    Scalar c = suite.challenge(r, key.verifyingKey(), signingPackage.message());
    Scalar lambda = Lagrange.coefficient(id, signingPackage.signers());
    Scalar[] dAndE = nonces.consume();
    Scalar d = dAndE[0];
    Scalar e = dAndE[1];
    if (suite.requiresEvenGroupCommitment() && !r.hasEvenY()) {
      d = d.negate();
      e = e.negate();
    }
    Scalar z =
        d.add(e.multiply(bf.factor(id).orElseThrow()))
            .add(lambda.multiply(key.signingShare()).multiply(c));
    return new SignatureShare(id, z);
  }

  /**
   * Checks one signature share against the signer's verifying share.
   *
   * @throws CulpritException naming the signer when the share is invalid
   */
  public void verifyShare(
      SignatureShare share, SigningPackage signingPackage, PublicKeyPackage publicKeyPackage) {
    shareCheck(signingPackage, publicKeyPackage).verify(share);
  }

  /**
   * Coordinator: checks the shares of one signing package one at a time, as they arrive. The
   * binding factors, the group commitment (one multiplication per signer) and the challenge are
   * computed here, once for all the package's shares, instead of once per share.
   */
  public ShareCheck shareCheck(SigningPackage signingPackage, PublicKeyPackage publicKeyPackage) {
    PublicKeyPackage keys = suite.preAggregate(publicKeyPackage);
    BindingFactors bf = bindingFactors(signingPackage, keys.verifyingKey());
    Scalar c = suite.challenge(bf.groupCommitment(), keys.verifyingKey(), signingPackage.message());
    return share -> verifyShare(share, signingPackage, keys, bf, c);
  }

  /** One signing package's share check ({@link #shareCheck}). */
  @FunctionalInterface
  public interface ShareCheck {
    /**
     * @throws CulpritException naming the share's signer when the share is invalid
     * @throws FrostException when the package has no commitments of the share's signer, or the key
     *     package no verifying share
     */
    void verify(SignatureShare share);
  }

  private void verifyShare(
      SignatureShare share,
      SigningPackage signingPackage,
      PublicKeyPackage keys,
      BindingFactors bf,
      Scalar c) {
    Identifier id = share.identifier();
    SigningCommitments commitments = signingPackage.commitments().get(id);
    if (commitments == null) {
      throw new FrostException("no commitments for participant " + id);
    }
    Point verifyingShare =
        keys.verifyingShare(id).orElseThrow(() -> new FrostException("unknown participant " + id));
    Point commitmentShare = bf.commitmentShare(commitments);
    if (suite.requiresEvenGroupCommitment() && !bf.groupCommitment().hasEvenY()) {
      commitmentShare = commitmentShare.negate();
    }
    Scalar lambda = Lagrange.coefficient(id, signingPackage.signers());
    Point expected =
        Point.sumOfTwoMultiplies(share.share(), verifyingShare, c.multiply(lambda).negate());
    if (!expected.equals(commitmentShare)) {
      throw new CulpritException(id, "invalid signature share");
    }
  }

  /**
   * Coordinator: sums the shares into the group signature and verifies it before returning it.
   *
   * @throws CryptoFormatException when an identifier is repeated among the shares
   * @throws FrostException when the shares do not match the package's signers or are too few
   * @throws CulpritException naming the first signer whose share is invalid
   */
  public byte[] aggregate(
      SigningPackage signingPackage,
      Collection<SignatureShare> shares,
      PublicKeyPackage publicKeyPackage) {
    Aggregate result = aggregateOrBlame(signingPackage, shares, publicKeyPackage);
    if (!result.culprits().isEmpty()) {
      throw new CulpritException(result.culprits().get(0), "invalid signature share");
    }
    return result.signature().orElseThrow();
  }

  /**
   * The group signature, or every signer whose share is invalid. Costs one binding-factor
   * computation and one signature verification when the shares are good; only when the aggregate
   * does not verify is each share verified, once, to find who is at fault (as the ZF crates do: a
   * valid aggregate proves the sum, and single shares matter only for blame).
   *
   * @throws CryptoFormatException when an identifier is repeated among the shares
   * @throws FrostException when the shares do not match the package's signers or are too few, or
   *     when the aggregate does not verify although every share does
   */
  public Aggregate aggregateOrBlame(
      SigningPackage signingPackage,
      Collection<SignatureShare> shares,
      PublicKeyPackage publicKeyPackage) {
    SortedMap<Identifier, SignatureShare> byId = new TreeMap<>();
    for (SignatureShare s : shares) {
      if (byId.put(s.identifier(), s) != null) {
        throw new CryptoFormatException("identifier " + s.identifier() + " sent two shares");
      }
    }
    if (!byId.keySet().equals(signingPackage.signers())) {
      throw new FrostException("signature shares do not match the signing package's signers");
    }
    if (byId.size() < publicKeyPackage.minSigners()) {
      throw new FrostException("fewer signers than the threshold " + publicKeyPackage.minSigners());
    }
    PublicKeyPackage keys = suite.preAggregate(publicKeyPackage);
    BindingFactors bf = bindingFactors(signingPackage, keys.verifyingKey());
    Scalar z = Scalar.ZERO;
    for (SignatureShare s : byId.values()) {
      z = z.add(s.share());
    }
    byte[] signature = suite.encodeSignature(bf.groupCommitment(), z);
    if (suite.verify(signingPackage.message(), signature, keys.verifyingKey())) {
      return new Aggregate(Optional.of(signature), List.of());
    }
    Scalar c = suite.challenge(bf.groupCommitment(), keys.verifyingKey(), signingPackage.message());
    List<Identifier> culprits = new ArrayList<>();
    for (SignatureShare s : byId.values()) {
      try {
        verifyShare(s, signingPackage, keys, bf, c);
      } catch (CulpritException e) {
        culprits.add(s.identifier());
      }
    }
    if (culprits.isEmpty()) {
      throw new FrostException("aggregate signature does not verify although every share does");
    }
    return new Aggregate(Optional.empty(), List.copyOf(culprits));
  }

  /**
   * What {@link #aggregateOrBlame} found: a verified signature, or the signers (in identifier
   * order) whose shares are invalid.
   */
  public record Aggregate(Optional<byte[]> signature, List<Identifier> culprits) {}

  /** Verifies a group signature as any verifier of this ciphersuite would. */
  public boolean verify(byte[] message, byte[] signature, Point groupKey) {
    return suite.verify(message, signature, groupKey);
  }
}
