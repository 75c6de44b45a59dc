package io.mpcw.orchestrator.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mpcw.orchestrator.config.RegistryProperties;
import io.mpcw.orchestrator.trust.ClusterTrust;
import io.mpcw.transport.pki.SignedRequests;
import io.mpcw.types.cluster.NodeIdentities;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.ClientHttpRequestFactorySettings;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Reads the node list from the registry. A registry outage does not stop the pipeline: the list
 * then comes from the nodes (asked over QUIC, {@link PeerMembership}), else from the last good list
 * stored in PostgreSQL, which survives an orchestrator restart, else from memory; callers can tell
 * it is stale. Every good list (registry or nodes) is stored.
 */
@Component
public class RegistryClient {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(RegistryClient.class);
  private final RestClient http;
  private final ObjectMapper json;
  private final MembershipStore store;
  private final PeerMembership peers;
  private final MembershipMetrics metrics;
  private final NodeIdentities nodeIds;
  private final AtomicReference<Optional<JsonNode>> lastKnown =
      new AtomicReference<>(Optional.empty());
  private final long nodeListTtlNanos;
  private final AtomicReference<FreshList> fresh = new AtomicReference<>();
  private final AtomicBoolean reading = new AtomicBoolean();

  /** The registry's last answer, its parsed nodes, and when it was read. */
  private record FreshList(NodeList list, List<ClusterNode> nodes, long readAtNanos) {}

  /**
   * @param trust every call is signed with the orchestrator's cluster certificate (mpcw-sig-v1):
   *     the registry answers only cluster identities
   */
  public RegistryClient(
      RegistryProperties properties,
      ObjectMapper json,
      ClusterTrust trust,
      MembershipStore store,
      PeerMembership peers,
      MembershipMetrics metrics) {
    var settings =
        ClientHttpRequestFactorySettings.defaults()
            .withConnectTimeout(properties.timeout())
            .withReadTimeout(properties.timeout());
    RestClient.Builder builder =
        RestClient.builder()
            .baseUrl(properties.url().toString())
            .requestFactory(ClientHttpRequestFactoryBuilder.jdk().build(settings));
    builder.requestInterceptor(
        (request, body, execution) -> {
          SignedRequests.headers(
                  trust.identity(),
                  request.getMethod().name(),
                  request.getURI(),
                  body,
                  Instant.now())
              .forEach(request.getHeaders()::set);
          return execution.execute(request, body);
        });
    this.http = builder.build();
    this.json = json;
    this.store = store;
    this.peers = peers;
    this.metrics = metrics;
    this.nodeListTtlNanos = properties.nodeListTtl().toNanos();
    // the orchestrator has no node-id pattern of its own; what it must never take for a node is
    // a service identity, its own above all (the nodes and the registry check the pattern)
    this.nodeIds = NodeIdentities.of("[a-z0-9][a-z0-9-]{0,62}", Set.of(trust.identity().name()));
  }

  /**
   * The registry's node list document, read at most {@code mpcw.registry.node-list-ttl} ago; while
   * the registry cannot be reached, the nodes' report or the last good list, marked stale.
   */
  public NodeList nodes() {
    try {
      return freshOrRead().list();
    } catch (RegistryUnanswered e) {
      return fallback(e.getMessage());
    }
  }

  /** The registry did not give a usable list; the message says how. */
  private static final class RegistryUnanswered extends Exception {
    RegistryUnanswered(String problem) {
      super(problem, null, false, false);
    }
  }

  private FreshList freshOrRead() throws RegistryUnanswered {
    FreshList cached = fresh.get();
    if (cached != null) {
      long age = System.nanoTime() - cached.readAtNanos();
      // one caller reads when the list expires; the others keep the list just read (within two
      // lifetimes) instead of each sending the same signed request (an ECDSA signature here, two
      // verifications and a PostgreSQL write in the registry): under load every pipeline worker
      // found it expired at once
      if (age < nodeListTtlNanos
          || (age < 2 * nodeListTtlNanos && !reading.compareAndSet(false, true))) {
        return cached;
      }
    }
    try {
      return read();
    } finally {
      reading.set(false);
    }
  }

  private FreshList read() throws RegistryUnanswered {
    JsonNode body;
    try {
      body = http.get().uri("/api/v1/cluster/nodes").retrieve().body(JsonNode.class);
    } catch (RestClientException e) {
      throw new RegistryUnanswered("the registry cannot be reached: " + e);
    }
    if (body == null || !body.path("nodes").isArray()) {
      throw new RegistryUnanswered("the registry answered without a node list");
    }
    lastKnown.set(Optional.of(body));
    metrics.source(MembershipSource.REGISTRY);
    store.save(body, MembershipSource.REGISTRY);
    NodeList list = new NodeList(body, false, MembershipSource.REGISTRY);
    FreshList read = new FreshList(list, parse(body), System.nanoTime());
    fresh.set(read);
    return read;
  }

  /** Nodes first (they know who is alive now), then the stored list, then memory. */
  private NodeList fallback(String problem) {
    Optional<ObjectNode> stored = store.load();
    Optional<JsonNode> known = stored.<JsonNode>map(s -> s).or(lastKnown::get);
    if (known.isEmpty()) {
      throw new RegistryUnavailableException(problem);
    }
    Optional<ObjectNode> reported = peers.ask(known.get());
    if (reported.isPresent()) {
      lastKnown.set(Optional.of(reported.get()));
      store.save(reported.get(), MembershipSource.PEERS);
      metrics.source(MembershipSource.PEERS);
      return new NodeList(reported.get(), true, MembershipSource.PEERS);
    }
    metrics.source(MembershipSource.STORED);
    return new NodeList(known.get(), true, MembershipSource.STORED);
  }

  public List<ClusterNode> activeNodes() {
    return allNodes().stream().filter(ClusterNode::isActive).toList();
  }

  /**
   * Every node the registry knows, whatever its liveness. A service identity listed as a node is
   * left out: it must never be asked to vote, chosen to sign or made a DKG participant.
   */
  public List<ClusterNode> allNodes() {
    try {
      return freshOrRead().nodes();
    } catch (RegistryUnanswered e) {
      return parse(fallback(e.getMessage()).document());
    }
  }

  private List<ClusterNode> parse(JsonNode document) {
    List<ClusterNode> all = new ArrayList<>();
    for (JsonNode node : document.path("nodes")) {
      ClusterNode listed = json.convertValue(node, ClusterNode.class);
      if (nodeIds.isNode(listed.nodeId())) {
        all.add(listed);
      } else {
        log.warn("the node list names {}, which is not a node id: ignored", listed.nodeId());
      }
    }
    return List.copyOf(all);
  }

  /**
   * @param document the registry's JSON ({@code {"nodes": [...]}}), or a document of that shape
   * @param stale true when the registry could not be reached and this is not its answer
   * @param source where the list came from
   */
  public record NodeList(JsonNode document, boolean stale, MembershipSource source) {}
}
