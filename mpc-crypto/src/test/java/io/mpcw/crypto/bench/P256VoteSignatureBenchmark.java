package io.mpcw.crypto.bench;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One vote/approval signature as the cluster makes them (cluster-transport's {@code IdentityKeys}:
 * {@code SHA256withECDSA} with the node's P-256 certificate key, JDK SunEC, a fresh {@code
 * Signature} per call), for the "each approval verified once per process" plan. The payload is
 * about the size of a signed vote.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class P256VoteSignatureBenchmark {
  private static final String ALGORITHM = "SHA256withECDSA";

  private final byte[] payload = new byte[300];
  private KeyPair keyPair;
  private byte[] signature;

  @Setup
  public void keyAndSignature() throws GeneralSecurityException {
    SecureRandom random = new SecureRandom();
    random.nextBytes(payload);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), random);
    keyPair = generator.generateKeyPair();
    signature = sign();
  }

  @Benchmark
  public byte[] sign() throws GeneralSecurityException {
    Signature s = Signature.getInstance(ALGORITHM);
    s.initSign(keyPair.getPrivate());
    s.update(payload);
    return s.sign();
  }

  @Benchmark
  public boolean verify() throws GeneralSecurityException {
    Signature s = Signature.getInstance(ALGORITHM);
    s.initVerify(keyPair.getPublic());
    s.update(payload);
    return s.verify(signature);
  }
}
