package io.mpcw.orchestrator.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mpcw.orchestrator.trust.ClusterTrust;
import io.mpcw.protocol.ProtocolMessages;
import io.mpcw.transport.Endpoint;
import io.mpcw.transport.TransportClient;
import io.mpcw.transport.TransportException;
import io.mpcw.transport.pki.PeerIdentity;
import io.mpcw.transport.pki.PemFiles;
import io.mpcw.transport.pki.PkiException;
import io.mpcw.types.cluster.NodeStatus;
import io.mpcw.types.cluster.PeerEntry;
import io.mpcw.types.cluster.PeerExchangeReply;
import io.mpcw.types.cluster.PeerExchangeRequest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The node list as the nodes themselves report it, for when the registry is down: asks a few known
 * nodes over QUIC ({@code peers.exchange.v1} with an empty list, so the request only reads) and
 * merges their answers, newest last-seen per node winning. A reported node is kept only with a
 * certificate the cluster CA issued to that node id, exactly as {@link NodeDirectory} requires; a
 * node cannot vouch for another. Answers (and silence) are reused for {@code
 * peer-refresh-interval}, so a busy pipeline does not ask on every read.
 */
@Component
public class PeerMembership {
  private static final Logger log = LoggerFactory.getLogger(PeerMembership.class);
  private static final byte[] READ_ONLY =
      ProtocolMessages.encode(new PeerExchangeRequest(List.of()));

  private final TransportClient transport;
  private final ClusterTrust trust;
  private final ObjectMapper json;
  private final MembershipProperties properties;
  private final MembershipMetrics metrics;
  private final Clock clock = Clock.systemUTC();
  private Cached cached = new Cached("", Instant.EPOCH, Optional.empty());

  private record Cached(String seeds, Instant at, Optional<ObjectNode> document) {}

  public PeerMembership(
      TransportClient transport,
      ClusterTrust trust,
      ObjectMapper json,
      MembershipProperties properties,
      MembershipMetrics metrics) {
    this.transport = transport;
    this.trust = trust;
    this.json = json;
    this.properties = properties;
    this.metrics = metrics;
  }

  /**
   * A node list document ({@code {"nodes": [...]}}) from the nodes of {@code known} (a node list
   * document too), or empty when none of those asked answered.
   */
  public synchronized Optional<ObjectNode> ask(JsonNode known) {
    List<Endpoint> asked = choose(known);
    String seeds = asked.toString();
    Instant now = clock.instant();
    if (cached.seeds().equals(seeds)
        && now.isBefore(cached.at().plus(properties.peerRefreshInterval()))) {
      return cached.document();
    }
    Optional<ObjectNode> document = query(asked, cpuLoads(known));
    cached = new Cached(seeds, clock.instant(), document);
    return document;
  }

  /** Active nodes first, then the others, at most {@code ask-nodes} of them. */
  private List<Endpoint> choose(JsonNode known) {
    List<JsonNode> nodes = new ArrayList<>();
    known.path("nodes").forEach(nodes::add);
    nodes.sort(
        Comparator.comparing((JsonNode n) -> !"active".equals(n.path("status").asText()))
            .thenComparing(n -> n.path("node_id").asText()));
    List<Endpoint> endpoints = new ArrayList<>();
    for (JsonNode node : nodes) {
      endpoint(node.path("node_id").asText(), node.path("quic_address").asText(null))
          .ifPresent(endpoints::add);
      if (endpoints.size() == properties.askNodes()) {
        break;
      }
    }
    return endpoints;
  }

  private Optional<ObjectNode> query(List<Endpoint> asked, Map<String, Double> cpuLoads) {
    if (asked.isEmpty()) {
      return Optional.empty();
    }
    List<CompletableFuture<Optional<PeerExchangeReply>>> calls =
        asked.stream().map(this::askOne).toList();
    Map<String, PeerEntry> newest = new HashMap<>();
    boolean answered = false;
    for (int i = 0; i < calls.size(); i++) {
      Optional<PeerExchangeReply> reply = calls.get(i).join();
      if (reply.isEmpty()) {
        continue;
      }
      answered = true;
      String responder = asked.get(i).identity();
      for (PeerEntry entry : reply.get().peers()) {
        if (!acceptable(responder, entry)) {
          continue;
        }
        PeerEntry first = entry;
        if (entry.nodeId().equals(responder)) {
          // it just answered: alive now, whatever it wrote about itself
          first =
              new PeerEntry(
                  entry.nodeId(),
                  entry.quicAddress(),
                  entry.certificate(),
                  NodeStatus.ACTIVE,
                  Math.max(entry.lastSeenUnixMs(), clock.millis()));
        }
        newest.merge(
            first.nodeId(), first, (a, b) -> b.lastSeenUnixMs() > a.lastSeenUnixMs() ? b : a);
      }
    }
    if (!answered) {
      return Optional.empty();
    }
    ObjectNode document = json.createObjectNode();
    ArrayNode list = document.putArray("nodes");
    newest.values().stream()
        .sorted(Comparator.comparing(PeerEntry::nodeId))
        .forEach(
            entry -> {
              ObjectNode node = list.addObject();
              node.put("node_id", entry.nodeId());
              node.put("quic_address", entry.quicAddress());
              node.put("status", entry.status().wireName());
              node.put("cpu_load", cpuLoads.getOrDefault(entry.nodeId(), 0.0));
              node.put("last_heartbeat", Instant.ofEpochMilli(entry.lastSeenUnixMs()).toString());
              node.put("certificate", entry.certificate());
            });
    return Optional.of(document);
  }

  private CompletableFuture<Optional<PeerExchangeReply>> askOne(Endpoint endpoint) {
    return transport
        .request(endpoint, PeerExchangeRequest.TYPE, READ_ONLY, properties.peerDeadline())
        .thenApply(
            reply -> {
              PeerExchangeReply answer;
              try {
                answer =
                    ProtocolMessages.decode(
                        reply.getPayload().toByteArray(), PeerExchangeReply.class);
              } catch (IllegalArgumentException e) {
                metrics.peerQuery("malformed_reply");
                log.info("{} answered with a malformed peer list: {}", endpoint, e.getMessage());
                return Optional.<PeerExchangeReply>empty();
              }
              if (!answer.nodeId().equals(endpoint.identity())) {
                metrics.peerQuery("malformed_reply");
                log.info("{} answered with the peer list of another node", endpoint);
                return Optional.<PeerExchangeReply>empty();
              }
              metrics.peerQuery("ok");
              return Optional.of(answer);
            })
        .exceptionally(
            failure -> {
              Throwable cause =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              metrics.peerQuery(
                  cause instanceof TransportException te ? te.kind().tag() : "bad_reply");
              log.debug("no peer list from {}: {}", endpoint.identity(), cause.toString());
              return Optional.empty();
            });
  }

  private boolean acceptable(String responder, PeerEntry entry) {
    Optional<String> refusal = refusal(entry);
    refusal.ifPresent(
        reason -> {
          metrics.refused(reason);
          log.warn("{} reported a node the orchestrator does not accept ({})", responder, reason);
        });
    return refusal.isEmpty();
  }

  private Optional<String> refusal(PeerEntry entry) {
    if (entry.nodeId().equals(trust.identity().name())
        || !entry.nodeId().matches("[a-z0-9][a-z0-9-]{0,62}")) {
      return Optional.of("not_a_node");
    }
    if (endpoint(entry.nodeId(), entry.quicAddress()).isEmpty()) {
      return Optional.of("bad_address");
    }
    if (entry.certificate() == null || entry.certificate().isBlank()) {
      return Optional.of("missing_certificate");
    }
    X509Certificate certificate;
    try {
      certificate = PemFiles.parseCertificate(entry.certificate());
    } catch (PkiException e) {
      return Optional.of("unreadable_certificate");
    }
    try {
      String proven = PeerIdentity.fromCertificate(certificate, trust.ca(), clock.instant()).name();
      return proven.equals(entry.nodeId()) ? Optional.empty() : Optional.of("name_mismatch");
    } catch (PeerIdentity.UntrustedPeerException e) {
      return Optional.of(e.reason().tag());
    }
  }

  private static Map<String, Double> cpuLoads(JsonNode known) {
    Map<String, Double> loads = new HashMap<>();
    known
        .path("nodes")
        .forEach(n -> loads.put(n.path("node_id").asText(), n.path("cpu_load").asDouble(0)));
    return loads;
  }

  static Optional<Endpoint> endpoint(String nodeId, String address) {
    if (address == null || nodeId == null || nodeId.isBlank()) {
      return Optional.empty();
    }
    int colon = address.lastIndexOf(':');
    try {
      String host = address.substring(0, colon).replace("[", "").replace("]", "");
      int port = Integer.parseInt(address.substring(colon + 1));
      return host.isEmpty() || port <= 0
          ? Optional.empty()
          : Optional.of(new Endpoint(host, port, nodeId));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
