package io.mpcw.crypto.dkg;

import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.frost.Ciphersuite;
import io.mpcw.crypto.frost.CulpritException;
import io.mpcw.crypto.frost.FrostException;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.KeyGenerationResult;
import io.mpcw.crypto.frost.KeyPackage;
import io.mpcw.crypto.frost.Polynomial;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.frost.SchnorrSignature;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Pedersen DKG with proofs of knowledge (FROST paper, Figure 1), in the three calls of the ZF frost
 * crates: {@link #part1} (broadcast commitment + proof), {@link #part2} (verify proofs, send each
 * peer its share), {@link #part3} (verify shares, derive keys). No participant ever learns the
 * group secret. The output goes through the ciphersuite's post-processing, so with the Taproot
 * suite the verifying key is the BIP-86-tweaked output key.
 */
public final class Dkg {
  private final Ciphersuite suite;

  public Dkg(Ciphersuite suite) {
    this.suite = suite;
  }

  /** Part-1 output: state to keep private, and the package to broadcast. */
  public record Part1Result(Round1SecretPackage secretPackage, Round1Package package1) {}

  /** Part-2 output: state to keep private, and one package for each peer. */
  public record Part2Result(
      Round2SecretPackage secretPackage, SortedMap<Identifier, Round2Package> packages) {}

  /** Part 1 with a fresh random polynomial and proof nonce. */
  public Part1Result part1(
      Identifier identifier, int maxSigners, int minSigners, SecureRandom random) {
    checkParameters(maxSigners, minSigners);
    Polynomial f = Polynomial.random(Scalar.random(random), minSigners, random);
    return part1(identifier, maxSigners, f, Scalar.random(random));
  }

  /**
   * Part 1 from a given polynomial and proof nonce (test vectors, deterministic benchmarks). For a
   * BIP-340 suite the proof's R must have even y: a nonce k whose k·G has odd y is used as −k, as
   * BIP-340 signing does, so the proof's R is then (−k)·G, not k·G.
   */
  public Part1Result part1(Identifier identifier, int maxSigners, Polynomial f, Scalar pokNonce) {
    checkParameters(maxSigners, f.size());
    List<Point> commitment = f.commitment();
    SchnorrSignature pok = proveKnowledge(identifier, f.secret(), commitment.get(0), pokNonce);
    return new Part1Result(
        new Round1SecretPackage(identifier, f, commitment, f.size(), maxSigners),
        new Round1Package(commitment, pok));
  }

  /**
   * Part 2: verifies every peer's proof of knowledge and commitment length, then evaluates this
   * participant's polynomial at each peer.
   *
   * @throws CulpritException naming a peer whose round-1 package is invalid
   */
  public Part2Result part2(Round1SecretPackage secret, Map<Identifier, Round1Package> received) {
    checkPeers(secret.identifier(), secret.maxSigners(), received.keySet());
    received.forEach((peer, pkg) -> verifyRound1(peer, pkg, secret.minSigners()));
    SortedMap<Identifier, Round2Package> out = new TreeMap<>();
    for (Identifier peer : received.keySet()) {
      out.put(peer, new Round2Package(secret.polynomial().evaluate(peer)));
    }
    Scalar own = secret.polynomial().evaluate(secret.identifier());
    return new Part2Result(
        new Round2SecretPackage(
            secret.identifier(),
            secret.commitment(),
            own,
            secret.minSigners(),
            secret.maxSigners()),
        out);
  }

  /**
   * Part 3: checks each received share against its sender's commitment and derives the key package
   * and the group's public key package.
   *
   * @throws CulpritException naming the sender of an invalid share or round-1 package
   */
  public KeyGenerationResult part3(
      Round2SecretPackage secret,
      Map<Identifier, Round1Package> round1Packages,
      Map<Identifier, Round2Package> round2Packages) {
    checkPeers(secret.identifier(), secret.maxSigners(), round1Packages.keySet());
    if (!round1Packages.keySet().equals(round2Packages.keySet())) {
      throw new FrostException("round-1 and round-2 packages come from different participants");
    }
    Identifier self = secret.identifier();
    Scalar signingShare = secret.ownShare();
    for (Map.Entry<Identifier, Round2Package> e : round2Packages.entrySet()) {
      Identifier sender = e.getKey();
      List<Point> senderCommitment = round1Packages.get(sender).commitment();
      if (senderCommitment.size() != secret.minSigners()) {
        throw new CulpritException(sender, "commitment has the wrong length");
      }
      Scalar share = e.getValue().signingShare();
      if (!Point.multiplyGenerator(share)
          .equals(Polynomial.evaluateCommitment(senderCommitment, self))) {
        throw new CulpritException(sender, "DKG share does not match the sender's commitment");
      }
      signingShare = signingShare.add(share);
    }

    List<Point> groupCommitment = new ArrayList<>(secret.commitment());
    for (Round1Package pkg : round1Packages.values()) {
      for (int k = 0; k < groupCommitment.size(); k++) {
        groupCommitment.set(k, groupCommitment.get(k).add(pkg.commitment().get(k)));
      }
    }
    Point verifyingKey = groupCommitment.get(0);
    if (verifyingKey.isIdentity()) {
      throw new FrostException("group key is the identity");
    }
    SortedMap<Identifier, Point> verifyingShares = new TreeMap<>();
    verifyingShares.put(self, Polynomial.evaluateCommitment(groupCommitment, self));
    for (Identifier peer : round1Packages.keySet()) {
      verifyingShares.put(peer, Polynomial.evaluateCommitment(groupCommitment, peer));
    }
    Point ownVerifyingShare = Point.multiplyGenerator(signingShare);
    if (!ownVerifyingShare.equals(verifyingShares.get(self))) {
      throw new FrostException("derived share does not match the group commitment");
    }
    KeyPackage keyPackage =
        new KeyPackage(self, signingShare, ownVerifyingShare, verifyingKey, secret.minSigners());
    PublicKeyPackage publicKeyPackage =
        new PublicKeyPackage(verifyingShares, verifyingKey, secret.minSigners());
    return suite.postDkg(keyPackage, publicKeyPackage);
  }

  /** Verifies one peer's round-1 package; public so a coordinator can pre-screen broadcasts. */
  public void verifyRound1(Identifier sender, Round1Package pkg, int minSigners) {
    if (pkg.commitment().size() != minSigners) {
      throw new CulpritException(sender, "commitment has the wrong length");
    }
    if (!verifyKnowledge(sender, pkg.commitment().get(0), pkg.proofOfKnowledge())) {
      throw new CulpritException(sender, "invalid proof of knowledge");
    }
  }

  /**
   * The proof (R, μ = k + a_0·c) with c = HDKG(id || a_0·G || R). BIP-340 suites need R with even
   * y, since their encoding keeps only x(R).
   */
  private SchnorrSignature proveKnowledge(
      Identifier id, Scalar secret, Point secretCommitment, Scalar nonce) {
    Scalar k = nonce;
    Point r = Point.multiplyGenerator(k);
    if (suite.requiresEvenGroupCommitment() && !r.hasEvenY()) {
      k = k.negate();
      r = r.negate();
    }
    Scalar c = pokChallenge(id, secretCommitment, r);
    return new SchnorrSignature(r, k.add(secret.multiply(c)));
  }

  /** Checks μ·G − c·(a_0·G) = R. */
  public boolean verifyKnowledge(Identifier id, Point secretCommitment, SchnorrSignature proof) {
    Scalar c = pokChallenge(id, secretCommitment, proof.r());
    return Point.sumOfTwoMultiplies(proof.z(), secretCommitment, c.negate()).equals(proof.r());
  }

  private Scalar pokChallenge(Identifier id, Point secretCommitment, Point r) {
    byte[] idBytes = id.encode();
    byte[] a0 = secretCommitment.encodeCompressed();
    byte[] rBytes = r.encodeCompressed();
    byte[] preimage = new byte[idBytes.length + a0.length + rBytes.length];
    System.arraycopy(idBytes, 0, preimage, 0, idBytes.length);
    System.arraycopy(a0, 0, preimage, idBytes.length, a0.length);
    System.arraycopy(rBytes, 0, preimage, idBytes.length + a0.length, rBytes.length);
    return suite.hdkg(preimage);
  }

  private static void checkParameters(int maxSigners, int minSigners) {
    if (minSigners < 2 || minSigners > maxSigners || maxSigners > 0xffff) {
      throw new IllegalArgumentException("need 2 <= minSigners <= maxSigners <= 65535");
    }
  }

  private static void checkPeers(Identifier self, int maxSigners, Set<Identifier> peers) {
    if (peers.contains(self)) {
      throw new FrostException("a participant's own package must not be among its peers'");
    }
    if (peers.size() != maxSigners - 1) {
      throw new FrostException(
          "expected packages from " + (maxSigners - 1) + " peers, got " + peers.size());
    }
  }
}
