package io.mpcw.crypto.tx;

/** Input sequence numbers (nSequence) with a meaning the wallet relies on. */
public final class Sequence {
  /** Final: no replace-by-fee signal, no relative lock time. */
  public static final long FINAL = 0xffffffffL;

  /**
   * The highest value that signals replaceability (BIP-125) while leaving relative lock times
   * (BIP-68) disabled and nLockTime enforced: what wallets use to allow fee bumping.
   */
  public static final long RBF = 0xfffffffdL;

  private Sequence() {}

  /** Whether an input with this sequence opts the transaction in to replacement (BIP-125). */
  public static boolean signalsRbf(long sequence) {
    return sequence < 0xfffffffeL;
  }
}
