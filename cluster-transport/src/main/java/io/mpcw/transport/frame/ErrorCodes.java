package io.mpcw.transport.frame;

/** Values of {@code Envelope.error.code} the transport itself produces. */
public final class ErrorCodes {

  public static final String FRAME_TOO_LARGE = "FRAME_TOO_LARGE";
  public static final String MALFORMED_FRAME = "MALFORMED_FRAME";
  public static final String UNSUPPORTED_VERSION = "UNSUPPORTED_VERSION";
  public static final String DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED";

  /** The request's frame and FIN did not arrive within the server's arrival timeout. */
  public static final String REQUEST_INCOMPLETE = "REQUEST_INCOMPLETE";

  /** The server holds too many unfinished request bytes for this connection; retry later. */
  public static final String OVERLOADED = "TRANSPORT_OVERLOADED";

  /** The handler failed; details stay in the server's log, never in the reply. */
  public static final String INTERNAL = "INTERNAL";

  private ErrorCodes() {}
}
