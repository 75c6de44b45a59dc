package io.mpcw.crypto.frost;

/**
 * A protocol run that cannot complete with well-formed input: missing or inconsistent packages, a
 * group commitment at the identity, a final signature that does not verify.
 */
public class FrostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FrostException(String message) {
    super(message);
  }
}
