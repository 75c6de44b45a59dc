package io.mpcw.transport.quic;

import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.transport.IdentityPolicy;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.TransportProtocolSuite;
import io.mpcw.transport.TransportServer;
import io.mpcw.transport.TransportSettings;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Set;

class QuicTransportTest extends TransportProtocolSuite {

  private static final TestPki PKI = new TestPki();

  @Override
  protected TransportServer newServer(String identity, MeterRegistry registry) {
    return new QuicTransportServer(
        PKI.identity(identity),
        PKI.ca.certificate(),
        IdentityPolicy.anyOf(Set.of("orchestrator", "node-1", "node-2")),
        new InetSocketAddress("127.0.0.1", 0),
        TransportSettings.defaults(),
        registry,
        Clock.systemUTC());
  }

  @Override
  protected TransportClient newClient(String identity, MeterRegistry registry) {
    return new QuicTransportClient(
        PKI.identity(identity),
        PKI.ca.certificate(),
        TransportSettings.defaults(),
        registry,
        Clock.systemUTC());
  }
}
