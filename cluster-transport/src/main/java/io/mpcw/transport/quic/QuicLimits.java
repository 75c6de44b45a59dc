package io.mpcw.transport.quic;

import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.frame.Frames;

/** QUIC flow-control windows derived from the frame limit. */
final class QuicLimits {

  private QuicLimits() {}

  /** A whole frame fits in one stream's initial window, so a request never waits for credit. */
  static long streamWindow(TransportSettings settings) {
    return (long) settings.maxFrameBytes() + Frames.LENGTH_PREFIX_BYTES;
  }

  /** Room for several maximal frames at once on a connection, and at least 16 MiB. */
  static long connectionWindow(TransportSettings settings) {
    return Math.max(16L << 20, 8 * streamWindow(settings));
  }
}
