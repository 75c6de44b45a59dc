package io.mpcw.registry.node;

import io.mpcw.registry.RegistryProperties;
import io.mpcw.registry.metrics.RegistryMetrics;
import io.mpcw.types.cluster.Heartbeat;
import io.mpcw.types.cluster.NodeIdentities;
import io.mpcw.types.cluster.NodeList;
import io.mpcw.types.cluster.NodeRegistration;
import io.mpcw.types.cluster.NodeStatus;
import io.mpcw.types.cluster.NodeView;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Registration, heartbeats, deregistration and discovery of nodes. */
@Service
public class NodeService {
  private static final Logger log = LoggerFactory.getLogger(NodeService.class);

  private final NodeRepository nodes;
  private final RegistryMetrics metrics;
  private final Clock clock;
  private final NodeIdentities nodeIdentities;

  NodeService(
      NodeRepository nodes, RegistryMetrics metrics, Clock clock, RegistryProperties properties) {
    this.nodes = nodes;
    this.metrics = metrics;
    this.clock = clock;
    this.nodeIdentities = properties.nodeIdentities();
  }

  /** The registered node, and whether this call created it (false: it re-registered). */
  public record Registration(NodeView node, boolean created) {}

  /**
   * Registers the node with the certificate it proved it holds (it signed the request), so peers
   * can verify what it signs. Only node ids register: a service identity (orchestrator, registry)
   * has a certificate of the same CA with CN == its name, and listed as a node it could vote.
   */
  public Registration register(
      NodeRegistration registration, String caller, String certificatePem) {
    RequestValidationException.throwIfAny(
        NodeRequestValidator.registration(registration, nodeIdentities));
    requireSelf(caller, registration.nodeId());
    Instant now = now();
    NodeRepository.Registered result = nodes.upsert(registration, certificatePem, now);
    if (result.created()) {
      log.info(
          "node {} registered at {} (version {})",
          registration.nodeId(),
          registration.quicAddress(),
          registration.version());
    } else {
      log.debug("node {} re-registered", registration.nodeId());
    }
    return new Registration(result.node().toView(now), result.created());
  }

  public NodeView heartbeat(String nodeId, Heartbeat beat, String caller) {
    RequestValidationException.throwIfAny(NodeRequestValidator.nodeId(nodeId));
    RequestValidationException.throwIfAny(NodeRequestValidator.heartbeat(beat));
    requireSelf(caller, nodeId);
    Instant now = now();
    Optional<NodeRecord> node = nodes.heartbeat(nodeId, beat, now);
    metrics.heartbeat(node.isPresent());
    return node.orElseThrow(() -> new NodeNotFoundException(nodeId)).toView(now);
  }

  /** Removes the node; removing an unknown node is not an error, so retries are harmless. */
  public void deregister(String nodeId, String caller) {
    RequestValidationException.throwIfAny(NodeRequestValidator.nodeId(nodeId));
    requireSelf(caller, nodeId);
    if (nodes.delete(nodeId)) {
      log.info("node {} deregistered", nodeId);
    }
  }

  /** Only the holder of a node's certificate (its CN) may speak for that node. */
  private static void requireSelf(String caller, String nodeId) {
    if (!caller.equals(nodeId)) {
      throw new NotThisNodeException(caller, nodeId);
    }
  }

  public NodeList list(Optional<NodeStatus> status) {
    Instant now = now();
    return new NodeList(nodes.findAll(status).stream().map(n -> n.toView(now)).toList());
  }

  // PostgreSQL keeps microseconds; truncating here makes what we return equal what we stored
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
