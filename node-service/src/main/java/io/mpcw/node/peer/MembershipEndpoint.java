package io.mpcw.node.peer;

import io.mpcw.node.registry.ClusterMembership;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code GET /actuator/membership}, for scripts and operators: {@code {"mode":"peer",
 * "peers":{"active":4,"suspect":0,"dead":1}, "nodes":[{"node_id", "status", "quic_address",
 * "last_seen"}]}}. Counts include this node. No certificate or key material.
 */
@Endpoint(id = "membership")
public class MembershipEndpoint {
  private final ClusterMembership membership;

  public MembershipEndpoint(ClusterMembership membership) {
    this.membership = membership;
  }

  @ReadOperation
  public Map<String, Object> membership() {
    Map<String, Object> peers = new LinkedHashMap<>();
    membership.countByStatus().forEach((status, count) -> peers.put(status.wireName(), count));
    List<Map<String, Object>> nodes =
        membership.members().values().stream()
            .sorted(Comparator.comparing(ClusterMembership.Member::nodeId))
            .map(
                m -> {
                  Map<String, Object> node = new LinkedHashMap<>();
                  node.put("node_id", m.nodeId());
                  node.put("status", m.status().wireName());
                  node.put("quic_address", m.quicAddress().orElse(null));
                  node.put("last_seen", m.lastSeen().toString());
                  node.put("admitted", membership.nodes().contains(m.nodeId()));
                  return node;
                })
            .toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("mode", membership.mode().tag());
    body.put("peers", peers);
    body.put("nodes", nodes);
    return body;
  }
}
