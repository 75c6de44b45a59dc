package io.mpcw.crypto.frost;

/**
 * A specific participant sent something provably wrong (a signature share that fails verification,
 * a bad DKG proof of knowledge, a DKG share inconsistent with its commitment). Services should
 * treat {@link #culprit()} as Byzantine evidence.
 */
public class CulpritException extends FrostException {
  private static final long serialVersionUID = 1L;

  private final transient Identifier culprit;

  public CulpritException(Identifier culprit, String message) {
    super(message + " (participant " + culprit + ")");
    this.culprit = culprit;
  }

  public Identifier culprit() {
    return culprit;
  }
}
