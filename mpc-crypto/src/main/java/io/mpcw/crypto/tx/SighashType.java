package io.mpcw.crypto.tx;

/** The BIP-341 hash types: which parts of the transaction a Taproot signature commits to. */
public enum SighashType {
  /** Like ALL, but the signature stays 64 bytes (no hash type byte appended). */
  DEFAULT(0x00),
  ALL(0x01),
  NONE(0x02),
  SINGLE(0x03),
  ALL_ANYONECANPAY(0x81),
  NONE_ANYONECANPAY(0x82),
  SINGLE_ANYONECANPAY(0x83);

  private static final int ANYONECANPAY_FLAG = 0x80;
  private static final int OUTPUT_MASK = 0x03;

  private final int value;

  SighashType(int value) {
    this.value = value;
  }

  /** The byte committed to in the message and appended to non-default signatures. */
  public int value() {
    return value;
  }

  /**
   * The type with byte {@code value}.
   *
   * @throws SighashException for any byte BIP-341 does not define (e.g. 0x04 or 0x80)
   */
  public static SighashType fromByte(int value) {
    for (SighashType type : values()) {
      if (type.value == value) {
        return type;
      }
    }
    throw new SighashException(
        String.format(
            "hash type 0x%02x is not valid for Taproot; use 0x00-0x03 or 0x81-0x83", value));
  }

  /** Whether only the input being signed is committed to, so others may be added. */
  public boolean anyoneCanPay() {
    return (value & ANYONECANPAY_FLAG) != 0;
  }

  /** Whether no output is committed to. */
  public boolean signsNoOutput() {
    return (value & OUTPUT_MASK) == NONE.value;
  }

  /** Whether only the output at the input's own index is committed to. */
  public boolean signsSingleOutput() {
    return (value & OUTPUT_MASK) == SINGLE.value;
  }

  /** Whether all outputs are committed to (DEFAULT and ALL, with or without ANYONECANPAY). */
  public boolean signsAllOutputs() {
    return !signsNoOutput() && !signsSingleOutput();
  }
}
