package io.mpcw.node.vote;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mpcw.node.identity.NodeIdentity;
import io.mpcw.node.quic.NodeQuicServer;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.IdentityPolicy;
import io.mpcw.transport.RequestHandler;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.quic.QuicTransportClient;
import java.net.InetSocketAddress;
import java.time.Clock;

/** The protocol over real QUIC + mTLS on loopback, with certificates made for this run. */
class QuicVoteProtocolTest extends VoteProtocolSuite {

  @Override
  Endpoint serve(NodeIdentity identity, IdentityPolicy policy, RequestHandler handler) {
    NodeQuicServer server =
        new NodeQuicServer(
            identity,
            policy,
            new InetSocketAddress("127.0.0.1", 0),
            handler,
            new SimpleMeterRegistry());
    server.start();
    track(server::stop);
    return server.endpoint().orElseThrow();
  }

  @Override
  TransportClient client(String identity) {
    return track(
        new QuicTransportClient(
            pki.credentials(identity),
            pki.ca(),
            TransportSettings.defaults(),
            new SimpleMeterRegistry(),
            Clock.systemUTC()));
  }
}
