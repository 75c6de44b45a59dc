package io.mpcw.node.vote;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.node.identity.NodeIdentity;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.IdentityPolicy;
import io.mpcw.transport.RequestHandler;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.memory.InMemoryNetwork;
import io.mpcw.transport.pki.PeerIdentity;
import org.junit.jupiter.api.AfterAll;

class InMemoryVoteProtocolTest extends VoteProtocolSuite {

  private static final InMemoryNetwork NETWORK = new InMemoryNetwork();

  @AfterAll
  static void closeNetwork() {
    NETWORK.close();
  }

  @Override
  Endpoint serve(NodeIdentity identity, IdentityPolicy policy, RequestHandler handler) {
    return track(NETWORK.server(identity.nodeId(), policy, new SimpleMeterRegistry()))
        .start(handler);
  }

  @Override
  TransportClient client(String identity) {
    return track(NETWORK.client(PeerIdentity.of(identity), new SimpleMeterRegistry()));
  }
}
