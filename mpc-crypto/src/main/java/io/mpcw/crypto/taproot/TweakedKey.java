package io.mpcw.crypto.taproot;

import io.mpcw.crypto.ec.Point;

/**
 * A BIP-341 output key Q and whether its y is odd (the parity bit of a script-path control block).
 */
public record TweakedKey(Point outputKey, boolean oddY) {
  /** The 32-byte x-only key that goes into the witness program. */
  public byte[] xOnly() {
    return outputKey.encodeXOnly();
  }
}
