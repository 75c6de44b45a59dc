package io.mpcw.crypto.ec;

/**
 * Thrown for every malformed cryptographic input: wrong length, out-of-range scalar, point not on
 * the curve, identity where a real point is required, truncated or trailing bytes.
 *
 * <p>Unchecked, because such input is a caller bug or an attack, never a condition to recover from
 * locally; it extends {@link IllegalArgumentException} so generic argument validation catches it.
 * The message never contains secret material.
 */
public class CryptoFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public CryptoFormatException(String message) {
    super(message);
  }

  public CryptoFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
