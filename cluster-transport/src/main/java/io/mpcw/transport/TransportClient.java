package io.mpcw.transport;

import io.mpcw.transport.frame.proto.Envelope;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Sends requests to servers, one connection per endpoint. */
public interface TransportClient extends AutoCloseable {

  /**
   * Sends one request and completes with the reply, or exceptionally with a {@link
   * TransportException} (an error reply becomes {@link TransportException.Kind#REMOTE_ERROR}, or
   * {@code TIMEOUT} / {@code FRAME_TOO_LARGE} when the server says so). Never completes later than
   * {@code deadline} from now.
   */
  CompletableFuture<Envelope> request(
      Endpoint endpoint, String type, byte[] payload, Duration deadline);

  @Override
  void close();
}
