package io.mpcw.crypto.ec;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A backend that counts the calls it passes on to another: BIP-340 verifications and two-term
 * multiplications (one per FROST signature-share check). For tests that check a protocol step
 * verifies each thing once, and for diagnostics; install it with {@link
 * Secp256k1Backends#replaceForTesting}.
 */
public final class CountingBackend implements Secp256k1Backend {
  private final Secp256k1Backend delegate;
  private final LongAdder schnorrVerifications = new LongAdder();
  private final LongAdder twoTermMultiplications = new LongAdder();

  public CountingBackend(Secp256k1Backend delegate) {
    this.delegate = delegate;
  }

  public long schnorrVerifications() {
    return schnorrVerifications.sum();
  }

  /** Calls of {@code a·G + b·Q}: each FROST share verification makes exactly one. */
  public long twoTermMultiplications() {
    return twoTermMultiplications.sum();
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public boolean verifySchnorr(byte[] msg, byte[] xOnlyPub32, byte[] sig64) {
    schnorrVerifications.increment();
    return delegate.verifySchnorr(msg, xOnlyPub32, sig64);
  }

  @Override
  public byte[] signSchnorr(byte[] msg, byte[] seckey32, byte[] aux32) {
    return delegate.signSchnorr(msg, seckey32, aux32);
  }

  @Override
  public Point multiplyGenerator(Scalar k) {
    return delegate.multiplyGenerator(k);
  }

  @Override
  public Point multiplyPublic(Point p, Scalar k) {
    return delegate.multiplyPublic(p, k);
  }

  @Override
  public Point sumOfTwoMultiplies(Scalar a, Point q, Scalar b) {
    twoTermMultiplications.increment();
    return delegate.sumOfTwoMultiplies(a, q, b);
  }

  @Override
  public Point sumOfMultiplies(List<Point> points, List<Scalar> scalars) {
    return delegate.sumOfMultiplies(points, scalars);
  }

  @Override
  public Point addMultipleOfGenerator(Point p, Scalar t) {
    return delegate.addMultipleOfGenerator(p, t);
  }

  @Override
  public Point sum(List<Point> points) {
    return delegate.sum(points);
  }

  @Override
  public Point liftCompressed(byte[] compressed) {
    return delegate.liftCompressed(compressed);
  }
}
