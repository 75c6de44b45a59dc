package io.mpcw.crypto.bench;

import io.mpcw.crypto.ec.Secp256k1Backends;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.GeneralSecurityException;
import java.util.Locale;

/**
 * The same operations as the JMH benchmarks, timed in thread CPU time rather than wall time. On a
 * shared, overloaded machine wall time mostly measures the scheduler; CPU time per operation stays
 * comparable between runs and with other machines' single-core figures.
 */
public final class CpuTimeReport {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  private static final int WARMUP = 400;
  private static final int MEASURED = 400;

  private CpuTimeReport() {}

  public static void main(String[] args) {
    System.out.printf(
        Locale.ROOT, "%-34s %12s %12s%n", "operation (thread CPU time)", "config", "us/op");
    System.out.println("active secp256k1 backend: " + Secp256k1Backends.active().name());
    Bip340Benchmark bip = new Bip340Benchmark();
    bip.keys();
    report("Bip340.sign", "", WARMUP, MEASURED, () -> {}, () -> bip.sign());
    report("Bip340.verify", "", WARMUP, MEASURED, () -> {}, () -> bip.verify());
    for (String config : new String[] {"2-of-3", "3-of-5", "7-of-10"}) {
      FrostSigningBenchmark frost = new FrostSigningBenchmark();
      frost.config = config;
      frost.dealKeysAndPrepareOneSession();
      report(
          "FROST-TR round1Commit", config, WARMUP, MEASURED, () -> {}, () -> frost.round1Commit());
      report(
          "FROST-TR round2Sign",
          config,
          WARMUP,
          MEASURED,
          frost::freshNoncesForRoundTwo,
          () -> frost.round2Sign());
      report("FROST-TR aggregate", config, WARMUP, MEASURED, () -> {}, () -> frost.aggregate());
    }
    for (String backend : new String[] {"libsecp256k1", "bouncycastle"}) {
      BackendComparisonBenchmark b = new BackendComparisonBenchmark();
      b.backend = backend;
      b.chooseBackendAndPrepare();
      try {
        report("bip340Verify", backend, WARMUP, MEASURED, () -> {}, b::bip340Verify);
        report("bip340Sign", backend, WARMUP, MEASURED, () -> {}, b::bip340Sign);
        report("tapTweakOutputKey", backend, WARMUP, MEASURED, () -> {}, b::tapTweakOutputKey);
        report("multiplyGenerator", backend, WARMUP, MEASURED, () -> {}, b::multiplyGenerator);
        report("sumOfTwoMultiplies", backend, WARMUP, MEASURED, () -> {}, b::sumOfTwoMultiplies);
        report(
            "sumOfMultiplies (3 terms)", backend, WARMUP, MEASURED, () -> {}, b::sumOfMultiplies3);
        report("frostShareVerify 3-of-5", backend, WARMUP, MEASURED, () -> {}, b::frostShareVerify);
        report("frostAggregate 3-of-5", backend, WARMUP, MEASURED, () -> {}, b::frostAggregate);
        report(
            "frostSettleInputBefore 3-of-5",
            backend,
            WARMUP,
            MEASURED,
            () -> {},
            b::frostSettleInputBefore);
        report(
            "frostSettleInputNow 3-of-5",
            backend,
            WARMUP,
            MEASURED,
            () -> {},
            b::frostSettleInputNow);
      } finally {
        b.restoreBackend();
      }
    }
    P256VoteSignatureBenchmark p256 = new P256VoteSignatureBenchmark();
    try {
      p256.keyAndSignature();
      report("P-256 ECDSA verify (SunEC)", "", WARMUP, MEASURED, () -> {}, () -> verify(p256));
      report("P-256 ECDSA sign (SunEC)", "", WARMUP, MEASURED, () -> {}, () -> sign(p256));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    DkgBenchmark dkg = new DkgBenchmark();
    report("DKG-TR all parties", "3-of-5", 20, 30, () -> {}, () -> dkg.dkg3of5AllParties());
  }

  private static void verify(P256VoteSignatureBenchmark b) {
    try {
      b.verify();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sign(P256VoteSignatureBenchmark b) {
    try {
      b.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void report(
      String name, String config, int warmup, int measured, Runnable untimed, Runnable timed) {
    for (int i = 0; i < warmup; i++) {
      untimed.run();
      timed.run();
    }
    long total = 0;
    for (int i = 0; i < measured; i++) {
      untimed.run();
      long start = MX.getCurrentThreadCpuTime();
      timed.run();
      total += MX.getCurrentThreadCpuTime() - start;
    }
    System.out.printf(Locale.ROOT, "%-34s %12s %12.1f%n", name, config, total / 1000.0 / measured);
  }
}
