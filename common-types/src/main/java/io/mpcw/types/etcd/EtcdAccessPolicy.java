package io.mpcw.types.etcd;

import io.mpcw.types.cluster.NodeIdentities;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Who may touch which etcd keys: one etcd user per cluster identity (the CN of its certificate,
 * which etcd takes as the user name when a client authenticates with a certificate), each with one
 * role of the same name. A node reads the whole cluster prefix and writes only under its own {@link
 * EtcdKeys#nodeRecords}; the orchestrator reads everything and writes only under {@link
 * EtcdKeys#orchestratorRecords}. etcd's write permission includes delete, so confining each
 * identity to its own range is what keeps it from deleting anyone else's records; deleting its own
 * is possible, which is why a node also keeps its own durable record of what it signed. Only the
 * operator ({@code root}) has access beyond this.
 */
public final class EtcdAccessPolicy {
  /** The orchestrator's identity (certificate CN, etcd user and role). */
  public static final String ORCHESTRATOR = "orchestrator";

  /**
   * Identities that are never nodes, whatever their certificate says (one list for the cluster).
   */
  public static final Set<String> SERVICE_IDENTITIES = NodeIdentities.SERVICE_NAMES;

  private EtcdAccessPolicy() {}

  public enum Permission {
    READ,
    WRITE,
    READWRITE
  }

  /** Access to the keys in [{@code key}, {@code rangeEnd}). */
  public record Grant(String key, String rangeEnd, Permission permission) {
    static Grant prefix(String keyPrefix, Permission permission) {
      return new Grant(keyPrefix, EtcdKeys.rangeEnd(keyPrefix), permission);
    }

    public boolean covers(String key) {
      return key.compareTo(this.key) >= 0 && key.compareTo(rangeEnd) < 0;
    }
  }

  /** An etcd role, and the user of the same name that holds it. */
  public record Role(String name, List<Grant> grants) {
    public Role {
      grants = List.copyOf(grants);
    }

    public boolean mayWrite(String key) {
      return grants.stream().anyMatch(g -> g.permission() != Permission.READ && g.covers(key));
    }

    public boolean mayRead(String key) {
      return grants.stream().anyMatch(g -> g.permission() != Permission.WRITE && g.covers(key));
    }
  }

  /** The roles of a cluster with these nodes. */
  public static List<Role> roles(EtcdKeys keys, Collection<String> nodeIds) {
    List<Role> roles = new ArrayList<>();
    roles.add(
        new Role(
            ORCHESTRATOR,
            List.of(
                Grant.prefix(keys.all(), Permission.READ),
                Grant.prefix(keys.orchestratorRecords(), Permission.READWRITE))));
    for (String node : nodeIds) {
      if (SERVICE_IDENTITIES.contains(node) || !EtcdKeys.isNodeId(node)) {
        throw new IllegalArgumentException("not a node identity: " + node);
      }
      roles.add(
          new Role(
              node,
              List.of(
                  Grant.prefix(keys.all(), Permission.READ),
                  Grant.prefix(keys.nodeRecords(node), Permission.READWRITE))));
    }
    return List.copyOf(roles);
  }
}
