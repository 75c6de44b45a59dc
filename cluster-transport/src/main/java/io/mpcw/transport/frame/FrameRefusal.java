package io.mpcw.transport.frame;

import java.util.Locale;

/** Why an incoming frame was not accepted. */
public enum FrameRefusal {
  TOO_LARGE(ErrorCodes.FRAME_TOO_LARGE),
  TRUNCATED(ErrorCodes.MALFORMED_FRAME),
  UNPARSABLE(ErrorCodes.MALFORMED_FRAME),
  UNSUPPORTED_VERSION(ErrorCodes.UNSUPPORTED_VERSION),
  /** The frame and FIN did not arrive within the server's request arrival timeout. */
  TIMED_OUT(ErrorCodes.REQUEST_INCOMPLETE),
  /** The connection already holds its maximum of unfinished request bytes. */
  OVER_BUDGET(ErrorCodes.OVERLOADED);

  private final String errorCode;

  FrameRefusal(String errorCode) {
    this.errorCode = errorCode;
  }

  /** The {@code reason} tag of {@code transport_frames_refused_total}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The error code sent back to the peer. */
  public String errorCode() {
    return errorCode;
  }
}
