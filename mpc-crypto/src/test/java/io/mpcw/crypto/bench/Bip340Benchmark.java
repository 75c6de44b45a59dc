package io.mpcw.crypto.bench;

import io.mpcw.crypto.schnorr.Bip340;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Single-key BIP-340 (sign includes the verify-before-release the BIP recommends). */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class Bip340Benchmark {
  private final byte[] message = new byte[32];
  private final byte[] secretKey = new byte[32];
  private final byte[] aux = new byte[32];
  private byte[] publicKey;
  private byte[] signature;

  @Setup
  public void keys() {
    SecureRandom random = new SecureRandom();
    random.nextBytes(message);
    random.nextBytes(aux);
    random.nextBytes(secretKey);
    secretKey[0] &= 0x7f;
    publicKey = Bip340.publicKey(secretKey);
    signature = Bip340.sign(message, secretKey, aux);
  }

  @Benchmark
  public byte[] sign() {
    return Bip340.sign(message, secretKey, aux);
  }

  @Benchmark
  public boolean verify() {
    return Bip340.verify(message, publicKey, signature);
  }
}
