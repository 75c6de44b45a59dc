package io.mpcw.crypto.psbt;

/** Bytes that are not a valid BIP-174 (version 0) PSBT, with the reason in the message. */
public final class PsbtFormatException extends RuntimeException {
  public PsbtFormatException(String message) {
    super(message);
  }

  public PsbtFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
