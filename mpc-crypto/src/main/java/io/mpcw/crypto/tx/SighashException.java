package io.mpcw.crypto.tx;

/** A signature hash that cannot be computed: undefined hash type, SINGLE without its output... */
public final class SighashException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public SighashException(String message) {
    super(message);
  }
}
