package io.mpcw.crypto.address;

/**
 * An address (or Bech32 string) that cannot be accepted. The message says what is wrong in words a
 * payer can act on; {@link #reason()} lets callers map it to an error code.
 */
public final class AddressFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Why the string was refused. */
  public enum Reason {
    /** Empty, shorter than the minimum or longer than 90 characters. */
    INVALID_LENGTH,
    /** Both upper and lower case letters. */
    MIXED_CASE,
    /** A character outside the Bech32 charset (data part) or printable ASCII (HRP). */
    INVALID_CHARACTER,
    /** No '1' separator, an empty HRP or a checksum shorter than six characters. */
    INVALID_STRUCTURE,
    /** The checksum matches neither Bech32 nor Bech32m. */
    INVALID_CHECKSUM,
    /** A valid checksum of the wrong variant for the witness version (BIP-350). */
    WRONG_CHECKSUM_VARIANT,
    /** The HRP is not the one of the expected network. */
    WRONG_NETWORK,
    /** No witness version, or one above 16. */
    INVALID_WITNESS_VERSION,
    /** Program length outside 2..40 bytes, or not 20/32 bytes for version 0. */
    INVALID_PROGRAM_LENGTH,
    /** Leftover bits of the 5-to-8 bit conversion that are non-zero or too many. */
    INVALID_PADDING
  }

  private final Reason reason;

  public AddressFormatException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
