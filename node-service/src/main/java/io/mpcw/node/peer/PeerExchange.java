package io.mpcw.node.peer;

import io.mpcw.node.quic.QuicAddress;
import io.mpcw.node.registry.ClusterMembership;
import io.mpcw.node.registry.ClusterMembership.Member;
import io.mpcw.node.request.RequestPath;
import io.mpcw.node.request.StrictPayload;
import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.RequestHandler;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.TransportException;
import io.mpcw.transport.frame.Envelopes;
import io.mpcw.transport.frame.proto.Envelope;
import io.mpcw.transport.pki.PeerIdentity;
import io.mpcw.types.cluster.NodeStatus;
import io.mpcw.types.cluster.PeerExchangeReply;
import io.mpcw.types.cluster.PeerExchangeRequest;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Peer mode's two halves. Outbound: every {@code exchange-interval} while in peer mode, this node
 * sends its list to every other known node and merges what each answers; the exchange is the health
 * check, so a peer that stops answering ages to suspect, then dead. Inbound: it serves {@code
 * peers.exchange.v1} in front of the protocol router, to nodes (whose list it merges while in peer
 * mode) and to the orchestrator (read only).
 *
 * <p>Nothing here blocks: replies and requests are handled on one private thread, which keeps the
 * transport's event loop free and the membership changes in order.
 */
public final class PeerExchange implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(PeerExchange.class);

  private final String self;
  private final Supplier<Optional<String>> selfAddress;
  private final String selfCertificatePem;
  private final String orchestratorIdentity;
  private final ClusterMembership membership;
  private final PeerEntries entries;
  private final PeerTable table;
  private final TransportClient client;
  private final PeerProperties properties;
  private final PeerMetrics metrics;
  private final Clock clock;

  /** Peers whose last exchange has not ended: a dead peer is not asked again meanwhile. */
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  private final ScheduledThreadPoolExecutor executor;
  private volatile boolean running;

  PeerExchange(
      String self,
      Supplier<Optional<String>> selfAddress,
      String selfCertificatePem,
      String orchestratorIdentity,
      ClusterMembership membership,
      PeerEntries entries,
      TransportClient client,
      PeerProperties properties,
      PeerMetrics metrics,
      Clock clock) {
    this.self = self;
    this.selfAddress = selfAddress;
    this.selfCertificatePem = selfCertificatePem;
    this.orchestratorIdentity = orchestratorIdentity;
    this.membership = membership;
    this.entries = entries;
    this.table = new PeerTable(self, properties.suspectAfter(), properties.deadAfter());
    this.client = client;
    this.properties = properties;
    this.metrics = metrics;
    this.clock = clock;
    this.executor =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "peer-exchange");
              thread.setDaemon(true);
              return thread;
            });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** {@code delegate} with {@code peers.exchange.v1} served here first. */
  public RequestHandler serving(RequestHandler delegate) {
    Set<String> types =
        Stream.concat(Stream.of(PeerExchangeRequest.TYPE), delegate.types().stream())
            .collect(Collectors.toUnmodifiableSet());
    return new RequestHandler() {
      @Override
      public CompletableFuture<Envelope> handle(PeerIdentity peer, Envelope request) {
        return PeerExchangeRequest.TYPE.equals(request.getType())
            ? serve(peer, request)
            : delegate.handle(peer, request);
      }

      @Override
      public Set<String> types() {
        return types;
      }
    };
  }

  /** One outbound round; a no-op in registry mode. */
  void exchangeRound() {
    if (membership.mode() != ClusterMembership.Mode.PEER) {
      return;
    }
    Instant now = clock.instant();
    membership.updatePeers(m -> table.refresh(m, selfMember(now), now));
    byte[] payload =
        ProtocolMessages.encode(
            new PeerExchangeRequest(PeerEntries.toEntries(membership.members().values())));
    for (Member peer : membership.members().values()) {
      if (peer.nodeId().equals(self) || !inFlight.add(peer.nodeId())) {
        continue;
      }
      Optional<Endpoint> endpoint = endpoint(peer);
      if (endpoint.isEmpty()) {
        inFlight.remove(peer.nodeId());
        continue;
      }
      client
          .request(endpoint.get(), PeerExchangeRequest.TYPE, payload, properties.requestDeadline())
          .whenCompleteAsync(
              (reply, failure) -> {
                inFlight.remove(peer.nodeId());
                answered(peer.nodeId(), reply, failure);
              },
              executor);
    }
  }

  private void answered(String peer, Envelope reply, Throwable failure) {
    if (failure != null) {
      Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
      String outcome =
          cause instanceof TransportException te ? te.kind().tag() : "unexpected_failure";
      metrics.exchange(PeerMetrics.OUT, outcome);
      log.debug("no peer list from {}: {}", peer, cause.toString());
      return;
    }
    PeerExchangeReply answer;
    try {
      answer = ProtocolMessages.decode(reply.getPayload().toByteArray(), PeerExchangeReply.class);
    } catch (IllegalArgumentException e) {
      metrics.exchange(PeerMetrics.OUT, "malformed_reply");
      log.info("{} answered the peer exchange with a malformed list", peer);
      return;
    }
    if (!answer.nodeId().equals(peer) || answer.peers().size() > properties.maxEntries()) {
      metrics.exchange(PeerMetrics.OUT, "malformed_reply");
      if (answer.peers().size() > properties.maxEntries()) {
        entries.refuseList(peer, PeerEntries.TOO_MANY_ENTRIES);
      }
      return;
    }
    Instant now = clock.instant();
    List<Member> reports = entries.accept(peer, answer.peers(), now);
    membership.updatePeers(
        m ->
            table.refresh(
                table.merge(table.heard(m, peer, now), reports, now), selfMember(now), now));
    metrics.exchange(PeerMetrics.OUT, "ok");
  }

  private CompletableFuture<Envelope> serve(PeerIdentity caller, Envelope request) {
    try {
      return CompletableFuture.supplyAsync(() -> answer(caller, request), executor);
    } catch (RejectedExecutionException e) {
      metrics.exchange(PeerMetrics.IN, "closed");
      return CompletableFuture.completedFuture(
          Envelopes.error(request, ProtocolErrors.OVERLOADED, "peer exchange stopped"));
    }
  }

  private Envelope answer(PeerIdentity caller, Envelope request) {
    boolean orchestrator = caller.name().equals(orchestratorIdentity);
    if (!orchestrator && !membership.nodes().contains(caller.name())) {
      metrics.exchange(PeerMetrics.IN, "forbidden");
      return Envelopes.error(request, RequestPath.FORBIDDEN, "not an admitted cluster node");
    }
    PeerExchangeRequest exchange;
    try {
      exchange =
          StrictPayload.decode(
              request.getPayload().toByteArray(),
              PeerExchangeRequest.class,
              PeerExchangeRequest.TYPE,
              ProtocolMessages::decode);
    } catch (IllegalArgumentException e) {
      metrics.exchange(PeerMetrics.IN, "malformed_request");
      return Envelopes.error(request, ProtocolErrors.MALFORMED_REQUEST, "not a peer list");
    }
    if (exchange.peers().size() > properties.maxEntries()) {
      entries.refuseList(caller.name(), PeerEntries.TOO_MANY_ENTRIES);
      metrics.exchange(PeerMetrics.IN, "malformed_request");
      return Envelopes.error(
          request,
          ProtocolErrors.MALFORMED_REQUEST,
          "more than " + properties.maxEntries() + " entries");
    }
    Instant now = clock.instant();
    // the registry is the authority in registry mode, and the orchestrator only reads
    if (!orchestrator && membership.mode() == ClusterMembership.Mode.PEER) {
      List<Member> reports = entries.accept(caller.name(), exchange.peers(), now);
      membership.updatePeers(
          m ->
              table.refresh(
                  table.merge(table.heard(m, caller.name(), now), reports, now),
                  selfMember(now),
                  now));
    }
    metrics.exchange(PeerMetrics.IN, "ok");
    return Envelopes.reply(
        request,
        PeerExchangeReply.TYPE,
        ProtocolMessages.encode(
            new PeerExchangeReply(
                self, membership.mode().tag(), PeerEntries.toEntries(view(now)))));
  }

  /** What this node reports: the membership, with itself alive now. */
  private Collection<Member> view(Instant now) {
    Map<String, Member> members = new HashMap<>(membership.members());
    members.put(self, selfMember(now));
    return members.values();
  }

  private Member selfMember(Instant now) {
    return new Member(
        self, selfAddress.get(), Optional.of(selfCertificatePem), NodeStatus.ACTIVE, now);
  }

  private static Optional<Endpoint> endpoint(Member peer) {
    try {
      return peer.quicAddress()
          .map(QuicAddress::parse)
          .filter(a -> a.getPort() > 0)
          .map((InetSocketAddress a) -> Endpoint.of(a, peer.nodeId()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public void start() {
    running = true;
    long interval = properties.exchangeInterval().toMillis();
    executor.scheduleWithFixedDelay(this::safeRound, interval, interval, TimeUnit.MILLISECONDS);
  }

  private void safeRound() {
    try {
      exchangeRound();
    } catch (RuntimeException e) {
      // one failed round must not end peer mode's health checks for good
      log.error("peer exchange round failed", e);
    }
  }

  @Override
  public void stop() {
    running = false;
    executor.shutdownNow();
    client.close();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
