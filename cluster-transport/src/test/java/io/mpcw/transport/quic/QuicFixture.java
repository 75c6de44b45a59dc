package io.mpcw.transport.quic;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.IdentityPolicy;
import io.mpcw.transport.RequestHandler;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.pki.IdentityCredentials;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Servers and clients on loopback with test-time certificates; closes all it made. */
final class QuicFixture implements AutoCloseable {

  static final IdentityPolicy NODES_AND_ORCHESTRATOR =
      IdentityPolicy.anyOf(Set.of("orchestrator", "node-1", "node-2"));
  static final RequestHandler ECHO =
      (peer, request) ->
          CompletableFuture.completedFuture(Envelopes.reply(request, "echo", request.getPayload()));

  final TestPki pki = new TestPki();
  final MeterRegistry serverRegistry = new SimpleMeterRegistry();
  final MeterRegistry clientRegistry = new SimpleMeterRegistry();
  private final List<AutoCloseable> opened = new ArrayList<>();

  Endpoint echoServer(String identity) {
    return server(pki.identity(identity), TransportSettings.defaults()).start(ECHO);
  }

  QuicTransportServer server(IdentityCredentials identity, TransportSettings settings) {
    return track(
        new QuicTransportServer(
            identity,
            pki.ca.certificate(),
            NODES_AND_ORCHESTRATOR,
            new InetSocketAddress("127.0.0.1", 0),
            settings,
            serverRegistry,
            Clock.systemUTC()));
  }

  QuicTransportClient client(IdentityCredentials identity) {
    return client(identity, TransportSettings.defaults());
  }

  QuicTransportClient client(IdentityCredentials identity, TransportSettings settings) {
    return track(
        new QuicTransportClient(
            identity, pki.ca.certificate(), settings, clientRegistry, Clock.systemUTC()));
  }

  <T extends AutoCloseable> T track(T closeable) {
    opened.add(closeable);
    return closeable;
  }

  double count(MeterRegistry registry, String name, String tag, String value) {
    var counter = registry.find(name).tag(tag, value).counter();
    return counter == null ? 0 : counter.count();
  }

  @Override
  public void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }
}
