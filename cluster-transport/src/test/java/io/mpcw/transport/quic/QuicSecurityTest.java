package io.mpcw.transport.quic;

import static io.mpcw.transport.TransportAssertions.assertKind;
import static org.assertj.core.api.Assertions.assertThat;

import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportException.Kind;
import io.mpcw.transport.TransportSettings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Admission on both sides. With TLS 1.3 a refused client's handshake completes on its side first,
 * so refusal shows on the request, not on connect.
 */
class QuicSecurityTest {

  private static final Duration DEADLINE = Duration.ofSeconds(3);
  private final QuicFixture fx = new QuicFixture();

  @AfterEach
  void close() throws Exception {
    fx.close();
  }

  @Test
  void refusesClientCertificateFromAnotherCa() {
    Endpoint server = fx.echoServer("node-1");
    var client = fx.client(fx.pki.fromAnotherCa("orchestrator"));

    assertKind(client.request(server, "ping", new byte[0], DEADLINE), Kind.REFUSED);
    assertThat(
            fx.count(
                fx.serverRegistry,
                "transport_handshakes_refused_total",
                "reason",
                "untrusted_issuer"))
        .isEqualTo(1);
  }

  @Test
  void refusesExpiredClientCertificate() {
    Endpoint server = fx.echoServer("node-1");
    var client = fx.client(fx.pki.expired("orchestrator"));

    assertKind(client.request(server, "ping", new byte[0], DEADLINE), Kind.REFUSED);
    assertThat(
            fx.count(fx.serverRegistry, "transport_handshakes_refused_total", "reason", "expired"))
        .isEqualTo(1);
  }

  @Test
  void refusesClientWhoseIdentityThePolicyRejects() {
    Endpoint server = fx.echoServer("node-1");
    var client = fx.client(fx.pki.identity("node-9"));

    assertKind(client.request(server, "ping", new byte[0], DEADLINE), Kind.REFUSED);
    assertThat(
            fx.count(
                fx.serverRegistry,
                "transport_handshakes_refused_total",
                "reason",
                "identity_rejected"))
        .isEqualTo(1);
  }

  @Test
  void failsWithPeerIdentityMismatchWhenServerIsNotTheExpectedIdentity() {
    Endpoint node2 = fx.echoServer("node-2");
    Endpoint claimedNode1 = new Endpoint(node2.host(), node2.port(), "node-1");
    var client = fx.client(fx.pki.identity("orchestrator"));

    assertKind(
        client.request(claimedNode1, "ping", new byte[0], DEADLINE), Kind.PEER_IDENTITY_MISMATCH);
  }

  @Test
  void clientRefusesServerCertificateFromAnotherCa() {
    Endpoint impostor =
        fx.server(fx.pki.fromAnotherCa("node-1"), TransportSettings.defaults())
            .start(QuicFixture.ECHO);
    var client = fx.client(fx.pki.identity("orchestrator"));

    assertKind(client.request(impostor, "ping", new byte[0], DEADLINE), Kind.REFUSED);
    assertThat(
            fx.count(
                fx.clientRegistry,
                "transport_handshakes_refused_total",
                "reason",
                "untrusted_issuer"))
        .isEqualTo(1);
  }

  @Test
  void admittedClientStillServedAfterARefusedOne() throws Exception {
    Endpoint server = fx.echoServer("node-1");
    var refused = fx.client(fx.pki.identity("node-9"));
    var admitted = fx.client(fx.pki.identity("orchestrator"));

    assertKind(refused.request(server, "ping", new byte[0], DEADLINE), Kind.REFUSED);

    assertThat(
            admitted
                .request(server, "ping", new byte[0], DEADLINE)
                .get(5, TimeUnit.SECONDS)
                .getType())
        .isEqualTo("echo");
  }
}
