package io.mpcw.crypto.bench;

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
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-signer FROST-secp256k1-SHA256-TR-v1 costs, measured like ZF's frost benches: round 1 and
 * round 2 for one signer, aggregation for the coordinator with all t shares.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class FrostSigningBenchmark {
  @Param({"2-of-3", "3-of-5", "7-of-10"})
  public String config;

  private final Frost frost = Frost.taproot();
  private final SecureRandom random = new SecureRandom();
  private final byte[] message = new byte[32];
  private KeyPackage firstSigner;
  private List<SigningCommitments> otherCommitments;
  private PublicKeyPackage publicKeys;
  private SigningPackage signingPackage;
  private List<SignatureShare> shares;

  private SigningNonces freshNonces;
  private SigningPackage freshPackage;

  @Setup(Level.Trial)
  public void dealKeysAndPrepareOneSession() {
    String[] parts = config.split("-of-");
    int t = Integer.parseInt(parts[0]);
    int n = Integer.parseInt(parts[1]);
    TrustedDealer.DealtKeys dealt =
        TrustedDealer.generate(Secp256k1Sha256Taproot.INSTANCE, n, t, random);
    SortedMap<Identifier, KeyPackage> keys = dealt.keyPackages();
    publicKeys = dealt.publicKeyPackage();
    random.nextBytes(message);

    List<SigningNonces> nonces = new ArrayList<>();
    for (int i = 1; i <= t; i++) {
      nonces.add(frost.commit(keys.get(Identifier.of(i)), random));
    }
    signingPackage =
        new SigningPackage(message, nonces.stream().map(SigningNonces::commitments).toList());
    shares = new ArrayList<>();
    for (SigningNonces nonce : nonces) {
      shares.add(frost.sign(signingPackage, nonce, keys.get(nonce.identifier())));
    }
    firstSigner = keys.get(Identifier.of(1));
    otherCommitments = new ArrayList<>();
    for (int i = 2; i <= t; i++) {
      otherCommitments.add(frost.commit(keys.get(Identifier.of(i)), random).commitments());
    }
  }

  /** Nonces are single-use, so round 2 needs a fresh pair and package per call. */
  @Setup(Level.Invocation)
  public void freshNoncesForRoundTwo() {
    freshNonces = frost.commit(firstSigner, random);
    List<SigningCommitments> all = new ArrayList<>(otherCommitments);
    all.add(freshNonces.commitments());
    freshPackage = new SigningPackage(message, all);
  }

  @Benchmark
  public SigningNonces round1Commit() {
    return frost.commit(firstSigner, random);
  }

  @Benchmark
  public SignatureShare round2Sign() {
    return frost.sign(freshPackage, freshNonces, firstSigner);
  }

  @Benchmark
  public byte[] aggregate() {
    return frost.aggregate(signingPackage, shares, publicKeys);
  }
}
