package io.mpcw.transport.quic;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.Frames;
import io.mpcw.transport.pki.IdentityCredentials;
import io.netty.incubator.codec.quic.QuicSslContext;
import io.netty.incubator.codec.quic.QuicSslContextBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Handshakes that fail before the trust manager is asked are still refused, counted with a reason
 * and logged (rate-limited); those the trust manager refuses are counted once, not twice.
 */
class QuicHandshakeRefusalTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private final QuicFixture fx = new QuicFixture();

  @AfterEach
  void close() throws Exception {
    fx.close();
  }

  @Test
  void clientWithoutCertificateIsRefusedAndCountedAsNoCertificate() throws Exception {
    Endpoint server = fx.echoServer("node-1");
    QuicSslContext anonymous =
        QuicSslContextBuilder.forClient()
            .trustManager(fx.pki.ca.certificate())
            .applicationProtocols(QuicTls.ALPN)
            .build();

    assertRefused(anonymous, server);

    awaitRefusals(1);
    assertThat(refusals("no_certificate")).isEqualTo(1);
  }

  @Test
  void selfSignedClientCertificateIsRefusedAndCounted() throws Exception {
    Endpoint server = fx.echoServer("node-1");
    IdentityCredentials self = fx.pki.selfSigned("orchestrator");
    QuicSslContext selfSigned =
        QuicSslContextBuilder.forClient()
            .trustManager(fx.pki.ca.certificate())
            .keyManager(self.privateKey(), null, self.certificate())
            .applicationProtocols(QuicTls.ALPN)
            .build();

    assertRefused(selfSigned, server);

    awaitRefusals(1);
    // the client's TLS stack offers no certificate the server's CA did not issue
    assertThat(refusals("no_certificate")).isEqualTo(1);
  }

  @Test
  void certificateTheTrustManagerRefusesIsCountedOnce() throws Exception {
    Endpoint server = fx.echoServer("node-1");
    var client = fx.client(fx.pki.fromAnotherCa("orchestrator"));

    client
        .request(server, "ping", new byte[0], Duration.ofSeconds(3))
        .handle((reply, failure) -> null)
        .get(5, TimeUnit.SECONDS);
    Thread.sleep(200); // the server's side of the failed handshake may end after the client's

    assertThat(refusals("untrusted_issuer")).isEqualTo(1);
    assertThat(totalRefusals()).isEqualTo(1);
  }

  private void assertRefused(QuicSslContext ssl, Endpoint server) throws Exception {
    try (RawQuicStream raw = new RawQuicStream(ssl, server)) {
      byte[] answer =
          raw.exchange(
                  Frames.encode(
                      Envelopes.request("ping", 1, Instant.now().plusSeconds(5), new byte[] {1})))
              .handle((bytes, failure) -> bytes == null ? new byte[0] : bytes)
              .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(answer).isEmpty();
    } catch (java.util.concurrent.ExecutionException refusedAtConnect) {
      // the refusal may also end the client's connect: either way no reply comes
    }
  }

  private void awaitRefusals(double expected) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (totalRefusals() < expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  private double refusals(String reason) {
    return fx.count(fx.serverRegistry, "transport_handshakes_refused_total", "reason", reason);
  }

  private double totalRefusals() {
    return fx.serverRegistry.find("transport_handshakes_refused_total").counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }
}
