package io.mpcw.transport.memory;

import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.transport.IdentityPolicy;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.TransportProtocolSuite;
import io.mpcw.transport.TransportServer;
import io.mpcw.transport.pki.PeerIdentity;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;

class InMemoryTransportTest extends TransportProtocolSuite {

  private final InMemoryNetwork network = new InMemoryNetwork();

  @AfterEach
  void closeNetwork() {
    network.close();
  }

  @Override
  protected TransportServer newServer(String identity, MeterRegistry registry) {
    return network.server(
        identity, IdentityPolicy.anyOf(Set.of("orchestrator", "node-1", "node-2")), registry);
  }

  @Override
  protected TransportClient newClient(String identity, MeterRegistry registry) {
    return network.client(PeerIdentity.of(identity), registry);
  }
}
