package io.mpcw.transport.frame;

import com.google.protobuf.ByteString;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.frame.proto.Error;
import java.time.Duration;
import java.time.Instant;

/** Builds the envelopes of requests and replies so version and correlation are never forgotten. */
public final class Envelopes {

  private Envelopes() {}

  /**
   * A request with {@code timeout} to answer, counted from {@code now} on the sender's clock; the
   * receiver counts it from arrival on its own ({@link #onArrival}).
   */
  public static Envelope request(
      String type, long requestId, Instant now, Duration timeout, byte[] payload) {
    return request(type, requestId, now.plus(timeout), payload).toBuilder()
        .setTimeoutMs(Math.max(1, timeout.toMillis()))
        .build();
  }

  /**
   * A request with only an absolute deadline on the sender's clock (what senders from before {@code
   * timeout_ms} sent; the receiver then depends on the two clocks agreeing).
   */
  public static Envelope request(String type, long requestId, Instant deadline, byte[] payload) {
    return Envelope.newBuilder()
        .setVersion(Frames.VERSION)
        .setType(type)
        .setRequestId(requestId)
        .setDeadlineUnixMs(deadline.toEpochMilli())
        .setPayload(ByteString.copyFrom(payload))
        .build();
  }

  /**
   * The request as the receiver handles it: a relative timeout becomes a deadline on the receiver's
   * clock ({@code nowMillis}), so every handler compares deadlines with its own clock and a sender
   * whose clock is off neither has its requests refused as expired nor held longer than it waits. A
   * request without a timeout keeps its absolute deadline.
   */
  public static Envelope onArrival(Envelope request, long nowMillis) {
    if (request.getTimeoutMs() == 0) {
      return request;
    }
    return request.toBuilder().setDeadlineUnixMs(nowMillis + request.getTimeoutMs()).build();
  }

  /** A successful reply to {@code request}. */
  public static Envelope reply(Envelope request, String type, byte[] payload) {
    return reply(request, type, ByteString.copyFrom(payload));
  }

  public static Envelope reply(Envelope request, String type, ByteString payload) {
    return Envelope.newBuilder()
        .setVersion(Frames.VERSION)
        .setType(type)
        .setRequestId(request.getRequestId())
        .setPayload(payload)
        .build();
  }

  /** An error reply; {@code message} reaches the peer, so it must not carry internals. */
  public static Envelope error(Envelope request, String code, String message) {
    return error(request.getRequestId(), request.getType(), code, message);
  }

  public static Envelope error(long requestId, String type, String code, String message) {
    return Envelope.newBuilder()
        .setVersion(Frames.VERSION)
        .setType(type)
        .setRequestId(requestId)
        .setError(Error.newBuilder().setCode(code).setMessage(message))
        .build();
  }

  /** Stamps the transport-owned fields on whatever a handler returned. */
  public static Envelope asReplyTo(Envelope request, Envelope handlerReply) {
    return handlerReply.toBuilder()
        .setVersion(Frames.VERSION)
        .setRequestId(request.getRequestId())
        .setDeadlineUnixMs(0)
        .build();
  }
}
