package io.mpcw.transport;

import io.mpcw.transport.frame.ErrorCodes;
import io.mpcw.transport.frame.proto.Envelope;
import java.util.Locale;
import java.util.Optional;

/** Why a request did not produce a successful reply. */
public final class TransportException extends RuntimeException {

  /** The kinds callers branch on; {@link #retryable()} says whether trying again may help. */
  public enum Kind {
    /** The deadline passed, locally or on the server. */
    TIMEOUT(true),
    /** The peer refused the connection or the request (certificate, identity policy, protocol). */
    REFUSED(false),
    /** The server proved an identity other than the endpoint's. */
    PEER_IDENTITY_MISMATCH(false),
    /** No connection could be made or kept. */
    UNREACHABLE(true),
    /** The server replied with an error. */
    REMOTE_ERROR(false),
    /** The request, or the reply, is larger than the frame limit. */
    FRAME_TOO_LARGE(false),
    /** Too many requests in flight towards one endpoint. */
    OVERLOADED(true),
    /** This client or server is closed. */
    CLOSED(false);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }

    /** The {@code outcome} tag of {@code transport_requests_total}. */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Kind kind;
  private final Optional<String> remoteCode;

  public TransportException(Kind kind, String message) {
    this(kind, message, Optional.empty(), null);
  }

  public TransportException(Kind kind, String message, Throwable cause) {
    this(kind, message, Optional.empty(), cause);
  }

  private TransportException(
      Kind kind, String message, Optional<String> remoteCode, Throwable cause) {
    super(kind + ": " + message, cause);
    this.kind = kind;
    this.remoteCode = remoteCode;
  }

  /** The exception an error reply stands for. */
  public static TransportException fromErrorReply(Envelope reply) {
    return remote(reply.getError().getCode(), reply.getError().getMessage());
  }

  /**
   * The exception a peer's error {@code code} and {@code message} stand for, as {@link
   * #fromErrorReply} makes it: also for one answer of a batch the peer answered per item.
   */
  public static TransportException remote(String code, String message) {
    Kind kind =
        switch (code) {
          case ErrorCodes.DEADLINE_EXCEEDED, ErrorCodes.REQUEST_INCOMPLETE -> Kind.TIMEOUT;
          case ErrorCodes.OVERLOADED -> Kind.OVERLOADED;
          case ErrorCodes.FRAME_TOO_LARGE -> Kind.FRAME_TOO_LARGE;
          case ErrorCodes.MALFORMED_FRAME, ErrorCodes.UNSUPPORTED_VERSION -> Kind.REFUSED;
          default -> Kind.REMOTE_ERROR;
        };
    return new TransportException(kind, code + " " + message, Optional.of(code), null);
  }

  public Kind kind() {
    return kind;
  }

  public boolean retryable() {
    return kind.retryable();
  }

  /** The server's error code when the server replied with an error. */
  public Optional<String> remoteCode() {
    return remoteCode;
  }
}
