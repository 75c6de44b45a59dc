package io.mpcw.node.quic;

import io.micrometer.core.instrument.MeterRegistry;
import io.mpcw.node.identity.NodeIdentity;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.IdentityPolicy;
import io.mpcw.transport.RequestHandler;
import io.mpcw.transport.TransportServer;
import io.mpcw.transport.TransportSettings;
import io.mpcw.transport.quic.QuicTransportServer;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * This node's one QUIC + mTLS server (votes, DKG, signing, lifecycle and the peer exchange), bound
 * while the Spring context runs. It serves whatever handler it is given and knows no feature. It
 * starts after the beans it serves with and stops before them, so no request reaches a closed etcd
 * client.
 */
public final class NodeQuicServer implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(NodeQuicServer.class);

  private final NodeIdentity identity;
  private final IdentityPolicy policy;
  private final InetSocketAddress bindAddress;
  private final RequestHandler handler;
  private final TransportSettings settings;
  private final MeterRegistry meters;
  private Optional<TransportServer> server = Optional.empty();
  private Optional<Endpoint> endpoint = Optional.empty();

  public NodeQuicServer(
      NodeIdentity identity,
      IdentityPolicy policy,
      InetSocketAddress bindAddress,
      RequestHandler handler,
      MeterRegistry meters) {
    this(identity, policy, bindAddress, handler, TransportSettings.defaults(), meters);
  }

  public NodeQuicServer(
      NodeIdentity identity,
      IdentityPolicy policy,
      InetSocketAddress bindAddress,
      RequestHandler handler,
      TransportSettings settings,
      MeterRegistry meters) {
    this.identity = identity;
    this.policy = policy;
    this.bindAddress = bindAddress;
    this.handler = handler;
    this.settings = settings;
    this.meters = meters;
  }

  @Override
  public synchronized void start() {
    if (server.isPresent()) {
      return;
    }
    QuicTransportServer quic =
        new QuicTransportServer(
            identity.credentials(),
            identity.clusterCa(),
            policy,
            bindAddress,
            settings,
            meters,
            Clock.systemUTC());
    Endpoint bound = quic.start(handler);
    server = Optional.of(quic);
    endpoint = Optional.of(bound);
    log.info("QUIC server listening on {} (mTLS with the cluster CA)", bound);
  }

  @Override
  public synchronized void stop() {
    server.ifPresent(TransportServer::close);
    server = Optional.empty();
    endpoint.ifPresent(e -> log.info("QUIC server on {} stopped", e));
    endpoint = Optional.empty();
  }

  @Override
  public synchronized boolean isRunning() {
    return server.isPresent();
  }

  /** The message types served: every other type is labelled {@code unknown} in metrics. */
  public Set<String> handlerTypes() {
    return handler.types();
  }

  /** Where the server listens, with the port actually bound; empty while stopped. */
  public synchronized Optional<Endpoint> endpoint() {
    return endpoint;
  }
}
