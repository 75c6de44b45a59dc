package io.mpcw.transport;

import io.mpcw.transport.frame.Frames;
import java.time.Duration;

/**
 * Limits shared by both transports. The last three bound what a connected but hostile peer can hold
 * on a server: time, memory and connections.
 *
 * @param maxFrameBytes largest envelope accepted or sent, length prefix excluded
 * @param maxInFlightPerEndpoint requests a client keeps open towards one endpoint; more are refused
 *     as OVERLOADED rather than queued without bound
 * @param maxServerStreams concurrent streams a server allows each connection (QUIC stream credit)
 * @param maxDeadline cap on a request's deadline, also applied by the server to requests without
 *     one
 * @param idleTimeout a connection with no traffic for this long is closed (and reopened on demand)
 * @param connectTimeout time allowed for the QUIC + TLS handshake
 * @param requestArrivalTimeout time a server waits for a stream's whole request (its frame and FIN)
 *     before refusing it; a well-behaved client sends both in one write
 * @param maxBufferedBytesPerConnection request bytes a server holds for one connection across its
 *     unfinished streams; a stream that would exceed it is refused
 * @param maxConnectionsPerPeer connections a server keeps open per peer identity (certificate CN);
 *     one more is closed right after its handshake
 */
public record TransportSettings(
    int maxFrameBytes,
    int maxInFlightPerEndpoint,
    int maxServerStreams,
    Duration maxDeadline,
    Duration idleTimeout,
    Duration connectTimeout,
    Duration requestArrivalTimeout,
    long maxBufferedBytesPerConnection,
    int maxConnectionsPerPeer) {

  public TransportSettings {
    if (maxFrameBytes < 64 || maxInFlightPerEndpoint < 1 || maxServerStreams < 1) {
      throw new IllegalArgumentException("limits must be positive (maxFrameBytes >= 64)");
    }
    if (requestArrivalTimeout.isNegative() || requestArrivalTimeout.isZero()) {
      throw new IllegalArgumentException("requestArrivalTimeout must be positive");
    }
    if (maxBufferedBytesPerConnection < (long) maxFrameBytes + Frames.LENGTH_PREFIX_BYTES) {
      throw new IllegalArgumentException(
          "maxBufferedBytesPerConnection must hold at least one whole frame");
    }
    if (maxConnectionsPerPeer < 1) {
      throw new IllegalArgumentException("maxConnectionsPerPeer must be positive");
    }
  }

  public static TransportSettings defaults() {
    return new TransportSettings(
        Frames.DEFAULT_MAX_FRAME_BYTES,
        256,
        1024,
        Duration.ofSeconds(60),
        Duration.ofSeconds(60),
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        4L << 20,
        8);
  }

  public TransportSettings withMaxFrameBytes(int bytes) {
    return new TransportSettings(
        bytes,
        maxInFlightPerEndpoint,
        maxServerStreams,
        maxDeadline,
        idleTimeout,
        connectTimeout,
        requestArrivalTimeout,
        Math.max(maxBufferedBytesPerConnection, (long) bytes + Frames.LENGTH_PREFIX_BYTES),
        maxConnectionsPerPeer);
  }

  public TransportSettings withMaxInFlightPerEndpoint(int requests) {
    return new TransportSettings(
        maxFrameBytes,
        requests,
        maxServerStreams,
        maxDeadline,
        idleTimeout,
        connectTimeout,
        requestArrivalTimeout,
        maxBufferedBytesPerConnection,
        maxConnectionsPerPeer);
  }

  public TransportSettings withMaxServerStreams(int streams) {
    return new TransportSettings(
        maxFrameBytes,
        maxInFlightPerEndpoint,
        streams,
        maxDeadline,
        idleTimeout,
        connectTimeout,
        requestArrivalTimeout,
        maxBufferedBytesPerConnection,
        maxConnectionsPerPeer);
  }

  public TransportSettings withIdleTimeout(Duration timeout) {
    return new TransportSettings(
        maxFrameBytes,
        maxInFlightPerEndpoint,
        maxServerStreams,
        maxDeadline,
        timeout,
        connectTimeout,
        requestArrivalTimeout,
        maxBufferedBytesPerConnection,
        maxConnectionsPerPeer);
  }

  public TransportSettings withConnectTimeout(Duration timeout) {
    return new TransportSettings(
        maxFrameBytes,
        maxInFlightPerEndpoint,
        maxServerStreams,
        maxDeadline,
        idleTimeout,
        timeout,
        requestArrivalTimeout,
        maxBufferedBytesPerConnection,
        maxConnectionsPerPeer);
  }

  public TransportSettings withRequestArrivalTimeout(Duration timeout) {
    return new TransportSettings(
        maxFrameBytes,
        maxInFlightPerEndpoint,
        maxServerStreams,
        maxDeadline,
        idleTimeout,
        connectTimeout,
        timeout,
        maxBufferedBytesPerConnection,
        maxConnectionsPerPeer);
  }

  public TransportSettings withMaxBufferedBytesPerConnection(long bytes) {
    return new TransportSettings(
        maxFrameBytes,
        maxInFlightPerEndpoint,
        maxServerStreams,
        maxDeadline,
        idleTimeout,
        connectTimeout,
        requestArrivalTimeout,
        bytes,
        maxConnectionsPerPeer);
  }

  public TransportSettings withMaxConnectionsPerPeer(int connections) {
    return new TransportSettings(
        maxFrameBytes,
        maxInFlightPerEndpoint,
        maxServerStreams,
        maxDeadline,
        idleTimeout,
        connectTimeout,
        requestArrivalTimeout,
        maxBufferedBytesPerConnection,
        connections);
  }
}
