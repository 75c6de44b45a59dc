package io.mpcw.crypto.bench;

import io.mpcw.crypto.ec.Point;
import io.mpcw.crypto.ec.Scalar;
import io.mpcw.crypto.ec.Secp256k1Backend;
import io.mpcw.crypto.ec.Secp256k1Backends;
import io.mpcw.crypto.frost.Frost;
import io.mpcw.crypto.frost.Identifier;
import io.mpcw.crypto.frost.KeyPackage;
import io.mpcw.crypto.frost.PublicKeyPackage;
import io.mpcw.crypto.frost.Secp256k1Sha256Taproot;
import io.mpcw.crypto.frost.SignatureShare;
import io.mpcw.crypto.frost.SigningNonces;
import io.mpcw.crypto.frost.SigningPackage;
import io.mpcw.crypto.frost.TrustedDealer;
import io.mpcw.crypto.schnorr.Bip340;
import io.mpcw.crypto.taproot.TapTweak;
import io.mpcw.crypto.taproot.TweakedKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The same operations on both secp256k1 backends, side by side in one run ({@code backend}
 * parameter): BIP-340, the TapTweak, the point multiplications FROST uses, and a 3-of-5 FROST
 * coordinator settling one input the way the orchestrator did before "verify each share once"
 * (every share checked, aggregate, a second BIP-340 verify) and the way it does now.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class BackendComparisonBenchmark {
  @Param({"libsecp256k1", "bouncycastle"})
  public String backend;

  private final SecureRandom random = new SecureRandom();
  private final Frost frost = Frost.taproot();
  private final byte[] message = new byte[32];
  private final byte[] aux = new byte[32];
  private byte[] secretKey;
  private byte[] publicKey;
  private byte[] signature;
  private Scalar a;
  private Scalar b;
  private Scalar c;
  private Point q;
  private Point q2;
  private Point q3;
  private PublicKeyPackage keys;
  private SigningPackage signingPackage;
  private List<SignatureShare> shares;
  private Secp256k1Backend previous;

  @Setup
  public void chooseBackendAndPrepare() {
    Secp256k1Backend chosen =
        backend.equals("bouncycastle")
            ? Secp256k1Backends.bouncyCastle()
            : Secp256k1Backends.libsecp256k1().orElseThrow();
    previous = Secp256k1Backends.replaceForTesting(chosen);
    random.nextBytes(message);
    random.nextBytes(aux);
    secretKey = Scalar.random(random).encode();
    publicKey = Bip340.publicKey(secretKey);
    signature = Bip340.sign(message, secretKey, aux);
    a = Scalar.random(random);
    b = Scalar.random(random);
    c = Scalar.random(random);
    q = Point.multiplyGenerator(Scalar.random(random));
    q2 = Point.multiplyGenerator(Scalar.random(random));
    q3 = Point.multiplyGenerator(Scalar.random(random));

    TrustedDealer.DealtKeys dealt =
        TrustedDealer.generate(Secp256k1Sha256Taproot.INSTANCE, 5, 3, random);
    SortedMap<Identifier, KeyPackage> keyPackages = dealt.keyPackages();
    keys = dealt.publicKeyPackage();
    List<SigningNonces> nonces = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      nonces.add(frost.commit(keyPackages.get(Identifier.of(i)), random));
    }
    signingPackage =
        new SigningPackage(message, nonces.stream().map(SigningNonces::commitments).toList());
    shares = new ArrayList<>();
    for (SigningNonces n : nonces) {
      shares.add(frost.sign(signingPackage, n, keyPackages.get(n.identifier())));
    }
  }

  @TearDown
  public void restoreBackend() {
    Secp256k1Backends.replaceForTesting(previous);
  }

  @Benchmark
  public boolean bip340Verify() {
    return Bip340.verify(message, publicKey, signature);
  }

  /** Includes the verify-before-release. */
  @Benchmark
  public byte[] bip340Sign() {
    return Bip340.sign(message, secretKey, aux);
  }

  @Benchmark
  public TweakedKey tapTweakOutputKey() {
    return TapTweak.outputKey(publicKey, new byte[0]);
  }

  @Benchmark
  public Point multiplyGenerator() {
    return Point.multiplyGenerator(a);
  }

  @Benchmark
  public Point sumOfTwoMultiplies() {
    return Point.sumOfTwoMultiplies(a, q, b);
  }

  /** The FROST group commitment's sum over the binding commitments of a 3-signer package. */
  @Benchmark
  public Point sumOfMultiplies3() {
    return Point.sumOfMultiplies(List.of(q, q2, q3), List.of(a, b, c));
  }

  /** One signer's share checked by the coordinator (binding factors included, as the API does). */
  @Benchmark
  public SignatureShare frostShareVerify() {
    frost.verifyShare(shares.get(0), signingPackage, keys);
    return shares.get(0);
  }

  /** {@code Frost.aggregate}: binding factors, sum, one BIP-340 verification. */
  @Benchmark
  public byte[] frostAggregate() {
    return frost.aggregate(signingPackage, shares, keys);
  }

  /** The orchestrator's settlement of one input before: t share checks, aggregate, verify again. */
  @Benchmark
  public boolean frostSettleInputBefore() {
    for (SignatureShare s : shares) {
      frost.verifyShare(s, signingPackage, keys);
    }
    byte[] sig = frost.aggregate(signingPackage, shares, keys);
    return Bip340.verify(message, keys.verifyingKey().encodeXOnly(), sig);
  }

  /** ... and now: {@code aggregateOrBlame}, whose single verification is the only one. */
  @Benchmark
  public Frost.Aggregate frostSettleInputNow() {
    return frost.aggregateOrBlame(signingPackage, shares, keys);
  }
}
