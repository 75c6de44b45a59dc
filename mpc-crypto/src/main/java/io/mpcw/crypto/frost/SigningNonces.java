package io.mpcw.crypto.frost;

import io.mpcw.crypto.ec.Scalar;
import java.util.Arrays;

/**
 * A signer's secret round-1 nonces (d_i, e_i), usable for exactly one signature share. Reusing them
 * with a different signing package would reveal the key share, so the first {@code sign} consumes
 * them and any later use throws {@link IllegalStateException}; {@link #close()} erases them. Keep
 * them in memory only and close them in a try-with-resources.
 *
 * <p>The nonces are held as byte arrays so they can be overwritten; the transient {@code
 * BigInteger}s made while computing the share cannot be, and live until garbage collected.
 */
public final class SigningNonces implements AutoCloseable {
  private final byte[] hiding;
  private final byte[] binding;
  private final SigningCommitments commitments;
  private boolean consumed;

  SigningNonces(Scalar hiding, Scalar binding, SigningCommitments commitments) {
    this.hiding = hiding.encode();
    this.binding = binding.encode();
    this.commitments = commitments;
  }

  /** The public commitments to send to the coordinator. */
  public SigningCommitments commitments() {
    return commitments;
  }

  public Identifier identifier() {
    return commitments.identifier();
  }

  public synchronized boolean isUsable() {
    return !consumed;
  }

  /** Hands out (hiding, binding) once and erases them. */
  synchronized Scalar[] consume() {
    if (consumed) {
      throw new IllegalStateException("signing nonces were already used or closed");
    }
    Scalar[] nonces = {Scalar.decode(hiding), Scalar.decode(binding)};
    erase();
    return nonces;
  }

  @Override
  public synchronized void close() {
    erase();
  }

  private void erase() {
    Arrays.fill(hiding, (byte) 0);
    Arrays.fill(binding, (byte) 0);
    consumed = true;
  }

  @Override
  public String toString() {
    return "SigningNonces[id=" + identifier() + ", used=" + consumed + ", nonces=redacted]";
  }
}
