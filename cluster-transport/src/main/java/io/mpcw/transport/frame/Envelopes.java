package io.mpcw.transport.frame;

import com.google.protobuf.ByteString;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.frame.proto.Error;
import java.time.Instant;

/** Builds the envelopes of requests and replies so version and correlation are never forgotten. */
public final class Envelopes {

  private Envelopes() {}

  public static Envelope request(String type, long requestId, Instant deadline, byte[] payload) {
    return Envelope.newBuilder()
        .setVersion(Frames.VERSION)
        .setType(type)
        .setRequestId(requestId)
        .setDeadlineUnixMs(deadline.toEpochMilli())
        .setPayload(ByteString.copyFrom(payload))
        .build();
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
