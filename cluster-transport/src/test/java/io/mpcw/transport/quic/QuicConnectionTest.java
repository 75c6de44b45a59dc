package io.mpcw.transport.quic;

import static io.mpcw.transport.TransportAssertions.assertKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportException;
import io.mpcw.transport.TransportException.Kind;
import io.mpcw.transport.TransportSettings;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QuicConnectionTest {

  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private final QuicFixture fx = new QuicFixture();

  @AfterEach
  void close() throws Exception {
    fx.close();
  }

  @Test
  void reusesOneConnectionForSuccessiveRequests() throws Exception {
    Endpoint server = fx.echoServer("node-1");
    var client = fx.client(fx.pki.identity("orchestrator"));

    client.request(server, "a", new byte[0], DEADLINE).get(5, TimeUnit.SECONDS);
    client.request(server, "b", new byte[0], DEADLINE).get(5, TimeUnit.SECONDS);

    assertThat(fx.count(fx.clientRegistry, "transport_connections_total", "role", "client"))
        .isEqualTo(1);
    assertThat(fx.count(fx.serverRegistry, "transport_connections_total", "role", "server"))
        .isEqualTo(1);
  }

  @Test
  void reconnectsAfterTheConnectionIdledOut() throws Exception {
    TransportSettings shortIdle =
        TransportSettings.defaults().withIdleTimeout(Duration.ofMillis(300));
    Endpoint server = fx.server(fx.pki.identity("node-1"), shortIdle).start(QuicFixture.ECHO);
    var client = fx.client(fx.pki.identity("orchestrator"), shortIdle);

    client.request(server, "a", new byte[0], DEADLINE).get(5, TimeUnit.SECONDS);
    Thread.sleep(1_000);
    client.request(server, "b", new byte[0], DEADLINE).get(5, TimeUnit.SECONDS);

    assertThat(fx.count(fx.clientRegistry, "transport_connections_total", "role", "client"))
        .isEqualTo(2);
  }

  @Test
  void aPeerKilledAndRestartedOnTheSameAddressIsReachedAgainAfterOneUnansweredRequest()
      throws Exception {
    QuicTransportServer first = fx.server(fx.pki.identity("node-1"), TransportSettings.defaults());
    Endpoint endpoint = first.start(QuicFixture.ECHO);
    var client = fx.client(fx.pki.identity("orchestrator"));
    client.request(endpoint, "a", new byte[0], DEADLINE).get(5, TimeUnit.SECONDS);

    first.abort(); // killed: no CONNECTION_CLOSE reaches the client
    QuicTransportServer second =
        fx.track(
            new QuicTransportServer(
                fx.pki.identity("node-1"),
                fx.pki.ca.certificate(),
                QuicFixture.NODES_AND_ORCHESTRATOR,
                endpoint.socketAddress(),
                TransportSettings.defaults(),
                fx.serverRegistry,
                java.time.Clock.systemUTC()));
    second.start(QuicFixture.ECHO);

    // the restarted process does not know the old connection: that request goes unanswered
    assertThatThrownBy(
            () ->
                client
                    .request(endpoint, "b", new byte[0], Duration.ofMillis(500))
                    .get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TransportException.class);
    // and the next one connects again instead of waiting for the 60 s idle timeout
    client.request(endpoint, "c", new byte[0], DEADLINE).get(5, TimeUnit.SECONDS);

    assertThat(fx.count(fx.clientRegistry, "transport_connections_total", "role", "client"))
        .isEqualTo(2);
  }

  @Test
  void aPeerStoppedAndRestartedOnTheSameAddressIsReachedAtOnce() throws Exception {
    QuicTransportServer first = fx.server(fx.pki.identity("node-1"), TransportSettings.defaults());
    Endpoint endpoint = first.start(QuicFixture.ECHO);
    var client = fx.client(fx.pki.identity("orchestrator"));
    client.request(endpoint, "a", new byte[0], DEADLINE).get(5, TimeUnit.SECONDS);

    first.close(); // tells its clients
    fx.track(
            new QuicTransportServer(
                fx.pki.identity("node-1"),
                fx.pki.ca.certificate(),
                QuicFixture.NODES_AND_ORCHESTRATOR,
                endpoint.socketAddress(),
                TransportSettings.defaults(),
                fx.serverRegistry,
                java.time.Clock.systemUTC()))
        .start(QuicFixture.ECHO);

    // a request racing the CONNECTION_CLOSE may still leave on the old connection: it fails as
    // UNREACHABLE (retryable, never REFUSED), and the close means the next one connects afresh
    try {
      client.request(endpoint, "b", new byte[0], Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS);
    } catch (ExecutionException raced) {
      assertThat(raced.getCause())
          .isInstanceOfSatisfying(
              TransportException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE));
      client.request(endpoint, "c", new byte[0], Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void refusesRequestsBeyondTheInFlightLimitAsOverloaded() throws Exception {
    Endpoint server =
        fx.server(fx.pki.identity("node-1"), TransportSettings.defaults())
            .start((peer, request) -> new CompletableFuture<>());
    var client =
        fx.client(
            fx.pki.identity("orchestrator"),
            TransportSettings.defaults().withMaxInFlightPerEndpoint(2));

    var first = client.request(server, "hang", new byte[0], DEADLINE);
    var second = client.request(server, "hang", new byte[0], DEADLINE);

    assertKind(client.request(server, "hang", new byte[0], DEADLINE), Kind.OVERLOADED);
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();
  }

  @Test
  void failsAsUnreachableWhenNothingListens() throws Exception {
    int freePort;
    try (DatagramChannel probe = DatagramChannel.open()) {
      probe.bind(new InetSocketAddress("127.0.0.1", 0));
      freePort = ((InetSocketAddress) probe.getLocalAddress()).getPort();
    }
    var client =
        fx.client(
            fx.pki.identity("orchestrator"),
            TransportSettings.defaults().withConnectTimeout(Duration.ofMillis(500)));

    var reply =
        client.request(
            new Endpoint("127.0.0.1", freePort, "node-1"), "ping", new byte[0], DEADLINE);

    assertKind(reply, Kind.UNREACHABLE);
  }

  @Test
  void closeStopsEventLoopsAndFreesThePort() throws Exception {
    QuicTransportServer server =
        new QuicTransportServer(
            fx.pki.identity("node-1"),
            fx.pki.ca.certificate(),
            QuicFixture.NODES_AND_ORCHESTRATOR,
            new InetSocketAddress("127.0.0.1", 0),
            fx.serverRegistry);
    Endpoint endpoint = server.start(QuicFixture.ECHO);
    QuicTransportClient client =
        new QuicTransportClient(
            fx.pki.identity("orchestrator"), fx.pki.ca.certificate(), fx.clientRegistry);
    client.request(endpoint, "ping", new byte[0], DEADLINE).get(5, TimeUnit.SECONDS);

    client.close();
    server.close();

    // close() waits for the event loops to terminate; their threads exit a moment after that
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (quicThreadAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.isAlive() && t.getName().startsWith("mpcw-quic"));
    try (DatagramChannel rebind = DatagramChannel.open()) {
      rebind.bind(endpoint.socketAddress());
    }
  }

  @Test
  void closingTheClientFailsItsOpenRequestsAsClosed() throws Exception {
    Endpoint server =
        fx.server(fx.pki.identity("node-1"), TransportSettings.defaults())
            .start((peer, request) -> new CompletableFuture<>());
    var client = fx.client(fx.pki.identity("orchestrator"));
    warmUp(client, server);
    var open = client.request(server, "hang", new byte[0], DEADLINE);

    client.close();

    assertKind(open, Kind.CLOSED);
    assertKind(client.request(server, "late", new byte[0], DEADLINE), Kind.CLOSED);
  }

  private static void warmUp(QuicTransportClient client, Endpoint server) {
    client
        .request(server, "warm-up", new byte[0], Duration.ofMillis(200))
        .handle((r, e) -> r)
        .join();
  }

  private static boolean quicThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().startsWith("mpcw-quic"));
  }
}
