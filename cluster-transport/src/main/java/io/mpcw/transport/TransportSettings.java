package io.mpcw.transport;

import io.mpcw.transport.frame.Frames;
import java.time.Duration;

/**
 * Limits shared by both transports.
 *
 * @param maxFrameBytes largest envelope accepted or sent, length prefix excluded
 * @param maxInFlightPerEndpoint requests a client keeps open towards one endpoint; more are refused
 *     as OVERLOADED rather than queued without bound
 * @param maxServerStreams concurrent streams a server allows each connection (QUIC stream credit)
 * @param maxDeadline cap on a request's deadline, also applied by the server to requests without
 *     one
 * @param idleTimeout a connection with no traffic for this long is closed (and reopened on demand)
 * @param connectTimeout time allowed for the QUIC + TLS handshake
 */
public record TransportSettings(
    int maxFrameBytes,
    int maxInFlightPerEndpoint,
    int maxServerStreams,
    Duration maxDeadline,
    Duration idleTimeout,
    Duration connectTimeout) {

  public TransportSettings {
    if (maxFrameBytes < 64 || maxInFlightPerEndpoint < 1 || maxServerStreams < 1) {
      throw new IllegalArgumentException("limits must be positive (maxFrameBytes >= 64)");
    }
  }

  public static TransportSettings defaults() {
    return new TransportSettings(
        Frames.DEFAULT_MAX_FRAME_BYTES,
        256,
        1024,
        Duration.ofSeconds(60),
        Duration.ofSeconds(60),
        Duration.ofSeconds(5));
  }

  public TransportSettings withMaxFrameBytes(int bytes) {
    return new TransportSettings(
        bytes, maxInFlightPerEndpoint, maxServerStreams, maxDeadline, idleTimeout, connectTimeout);
  }

  public TransportSettings withMaxInFlightPerEndpoint(int requests) {
    return new TransportSettings(
        maxFrameBytes, requests, maxServerStreams, maxDeadline, idleTimeout, connectTimeout);
  }

  public TransportSettings withIdleTimeout(Duration timeout) {
    return new TransportSettings(
        maxFrameBytes,
        maxInFlightPerEndpoint,
        maxServerStreams,
        maxDeadline,
        timeout,
        connectTimeout);
  }

  public TransportSettings withConnectTimeout(Duration timeout) {
    return new TransportSettings(
        maxFrameBytes, maxInFlightPerEndpoint, maxServerStreams, maxDeadline, idleTimeout, timeout);
  }
}
