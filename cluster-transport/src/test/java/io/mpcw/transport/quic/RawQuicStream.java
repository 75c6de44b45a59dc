package io.mpcw.transport.quic;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportMetrics;
import io.mpcw.transport.fuzz.RawQuicConnection;
import io.mpcw.transport.pki.IdentityCredentials;
import io.netty.incubator.codec.quic.QuicSslContext;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A test client that writes arbitrary bytes onto a stream, bypassing the frame encoder: the fuzz
 * package's {@link RawQuicConnection}, made from a test identity or a TLS context of the test's
 * making.
 */
final class RawQuicStream implements AutoCloseable {
  private final RawQuicConnection connection;

  RawQuicStream(IdentityCredentials self, X509Certificate ca, Endpoint server) throws Exception {
    this(
        QuicTls.clientContext(
            self, ca, new TransportMetrics(new SimpleMeterRegistry()), Clock.systemUTC()),
        server);
  }

  /** A client with a TLS context of the test's making: another certificate, or none at all. */
  RawQuicStream(QuicSslContext ssl, Endpoint server) throws Exception {
    connection = new RawQuicConnection(ssl, server.socketAddress(), Duration.ofSeconds(5));
  }

  /**
   * Writes {@code bytes}, sends FIN, and returns every byte the server sends back before its FIN.
   */
  CompletableFuture<byte[]> exchange(byte[] bytes) {
    return connection.exchange(bytes, true);
  }

  /**
   * Writes {@code bytes}, with FIN only if {@code finish}, and returns every byte the server sends
   * back before its FIN (or before the stream ends).
   */
  CompletableFuture<byte[]> exchange(byte[] bytes, boolean finish) {
    return connection.exchange(bytes, finish);
  }

  /** True while the QUIC connection is open. */
  boolean isOpen() {
    return connection.isOpen();
  }

  @Override
  public void close() {
    connection.close();
  }
}
