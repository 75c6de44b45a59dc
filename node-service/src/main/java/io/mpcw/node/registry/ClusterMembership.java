package io.mpcw.node.registry;

import io.mpcw.types.cluster.NodeStatus;
import io.mpcw.types.cluster.NodeView;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The cluster's nodes as this node knows them, with the certificate and QUIC address of each, and
 * where that knowledge comes from. In {@link Mode#REGISTRY} it is the registry's last list (kept
 * while the registry cannot be reached) and every listed node is admitted. In {@link Mode#PEER}
 * (the registry has been unreachable for a while) the peer exchange maintains it, and only nodes
 * not declared dead are admitted.
 *
 * <p>Reads take one immutable snapshot; changes are serialised on this object, so a peer merge can
 * never undo a registry list that arrived meanwhile.
 */
public final class ClusterMembership {

  /** Where the membership comes from. */
  public enum Mode {
    REGISTRY,
    PEER;

    /** The lower-case name used in metrics, JSON and the peer exchange. */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One node.
   *
   * @param certificatePem the certificate as reported, not yet checked (see {@link
   *     PeerCertificates}); in peer mode only entries whose certificate passed are ever added
   * @param lastSeen when this node was last heard from directly, by the registry or a peer
   */
  public record Member(
      String nodeId,
      Optional<String> quicAddress,
      Optional<String> certificatePem,
      NodeStatus status,
      Instant lastSeen) {

    public Member withStatus(NodeStatus next) {
      return new Member(nodeId, quicAddress, certificatePem, next, lastSeen);
    }
  }

  private record State(Mode mode, Map<String, Member> members, Set<String> admitted) {
    static State of(Mode mode, Map<String, Member> members) {
      Set<String> admitted =
          mode == Mode.REGISTRY
              ? Set.copyOf(members.keySet())
              : members.values().stream()
                  .filter(m -> m.status() != NodeStatus.DEAD)
                  .map(Member::nodeId)
                  .collect(Collectors.toUnmodifiableSet());
      return new State(mode, Map.copyOf(members), admitted);
    }
  }

  private final Clock clock;
  private volatile State state = State.of(Mode.REGISTRY, Map.of());

  public ClusterMembership(Clock clock) {
    this.clock = clock;
  }

  public ClusterMembership() {
    this(Clock.systemUTC());
  }

  /** The node ids admitted as peers now. */
  public Set<String> nodes() {
    return state.admitted();
  }

  public Mode mode() {
    return state.mode();
  }

  /** Every known node, dead ones included, by node id. */
  public Map<String, Member> members() {
    return state.members();
  }

  /** How many known nodes have each status (every status present, zero when none). */
  public Map<NodeStatus, Integer> countByStatus() {
    Map<NodeStatus, Integer> counts = new EnumMap<>(NodeStatus.class);
    for (NodeStatus status : NodeStatus.values()) {
      counts.put(status, 0);
    }
    state.members().values().forEach(m -> counts.merge(m.status(), 1, Integer::sum));
    return counts;
  }

  /**
   * The PEM certificate {@code nodeId} is known with, dead or alive (its earlier votes still need
   * checking); not yet checked against the cluster CA (see {@link PeerCertificates}).
   */
  public Optional<String> certificatePem(String nodeId) {
    Member member = state.members().get(nodeId);
    return member == null ? Optional.empty() : member.certificatePem();
  }

  /** A fresh list from the registry: it replaces whatever the peers said, in registry mode. */
  public synchronized void update(Collection<NodeView> registered) {
    Instant now = clock.instant();
    Map<String, Member> next = new HashMap<>();
    for (NodeView node : registered) {
      next.put(
          node.nodeId(),
          new Member(
              node.nodeId(),
              nonBlank(node.quicAddress()),
              nonBlank(node.certificate()),
              node.status() == null ? NodeStatus.ACTIVE : node.status(),
              lastSeen(node, now)));
    }
    state = State.of(Mode.REGISTRY, next);
  }

  /**
   * Hands the membership to the peer exchange, starting from the registry's last list. Returns
   * false when already in peer mode.
   */
  public synchronized boolean enterPeerMode() {
    if (state.mode() == Mode.PEER) {
      return false;
    }
    state = State.of(Mode.PEER, state.members());
    return true;
  }

  /**
   * Applies a peer-exchange change, only while in peer mode (a registry list that arrived first
   * wins). Returns whether it was applied.
   */
  public synchronized boolean updatePeers(UnaryOperator<Map<String, Member>> change) {
    if (state.mode() != Mode.PEER) {
      return false;
    }
    state = State.of(Mode.PEER, change.apply(new HashMap<>(state.members())));
    return true;
  }

  /** When the registry last heard from {@code node}, on the registry's word. */
  private static Instant lastSeen(NodeView node, Instant now) {
    if (node.lastHeartbeat() != null) {
      return node.lastHeartbeat();
    }
    return now.minusSeconds(Math.max(0, node.secondsSinceHeartbeat()));
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }
}
