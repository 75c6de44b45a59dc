package io.mpcw.protocol.signing;

/**
 * A node's own limits on what it co-signs, on top of the approved payment.
 *
 * @param maxFeeSats the largest absolute fee this node signs
 */
public record SpendLimits(long maxFeeSats) {
  public SpendLimits {
    if (maxFeeSats < 0) {
      throw new IllegalArgumentException("max fee must not be negative");
    }
  }
}
