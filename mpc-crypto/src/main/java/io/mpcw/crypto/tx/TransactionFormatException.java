package io.mpcw.crypto.tx;

/** Bytes that are not a well-formed transaction: truncated, trailing data, absurd counts... */
public final class TransactionFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public TransactionFormatException(String message) {
    super(message);
  }

  public TransactionFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
