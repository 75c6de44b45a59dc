package io.mpcw.node.peer;

import io.mpcw.node.quic.QuicAddress;
import io.mpcw.node.registry.ClusterMembership.Member;
import io.mpcw.node.registry.PeerCertificates;
import io.mpcw.types.cluster.NodeStatus;
import io.mpcw.types.cluster.PeerEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns membership into peer-list entries and back. An entry received is taken only if it names a
 * cluster node ({@code nodeIdentityPattern}), gives a usable QUIC address and a certificate the
 * cluster CA issued to exactly that node id ({@link PeerCertificates#check}); anything else is
 * refused and counted by reason. A peer cannot vouch for a node the CA did not.
 */
final class PeerEntries {
  /** The node id is not a cluster node's (e.g. the orchestrator's or the registry's). */
  static final String NOT_A_NODE = "not_a_node";

  /** The QUIC address is missing or not {@code host:port} with a port. */
  static final String BAD_ADDRESS = "bad_address";

  /** The whole list is longer than {@code mpcw.node.peer.max-entries}. */
  static final String TOO_MANY_ENTRIES = "too_many_entries";

  private static final Logger log = LoggerFactory.getLogger(PeerEntries.class);
  private static final int MAX_LOGGED = 1024;

  private final String self;
  private final Pattern nodeIds;
  private final PeerCertificates certificates;
  private final PeerMetrics metrics;

  /** Refusals already logged at WARN: the same bad entry arrives every few seconds. */
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  PeerEntries(
      String self, String nodeIdentityPattern, PeerCertificates certificates, PeerMetrics metrics) {
    this.self = self;
    this.nodeIds = Pattern.compile(nodeIdentityPattern);
    this.certificates = certificates;
    this.metrics = metrics;
  }

  /** The members a peer could accept: those known with an address and a certificate. */
  static List<PeerEntry> toEntries(Collection<Member> members) {
    return members.stream()
        .filter(m -> m.quicAddress().isPresent() && m.certificatePem().isPresent())
        .sorted(java.util.Comparator.comparing(Member::nodeId))
        .map(
            m ->
                new PeerEntry(
                    m.nodeId(),
                    m.quicAddress().orElse(null),
                    m.certificatePem().orElse(null),
                    m.status(),
                    m.lastSeen().toEpochMilli()))
        .toList();
  }

  /**
   * The entries of {@code from}'s list that may be merged, last-seen capped at {@code now}; entries
   * about this node are skipped without counting.
   */
  List<Member> accept(String from, List<PeerEntry> entries, Instant now) {
    List<Member> accepted = new ArrayList<>();
    for (PeerEntry entry : entries) {
      if (entry.nodeId().equals(self)) {
        continue;
      }
      Optional<String> refusal = refusal(entry);
      if (refusal.isPresent()) {
        refuse(from, entry.nodeId(), refusal.get());
        continue;
      }
      Instant seen = Instant.ofEpochMilli(entry.lastSeenUnixMs());
      accepted.add(
          new Member(
              entry.nodeId(),
              Optional.of(entry.quicAddress()),
              Optional.of(entry.certificate()),
              NodeStatus.ACTIVE,
              seen.isAfter(now) ? now : seen));
    }
    return accepted;
  }

  /** A whole list refused (too long): counted once, by reason. */
  void refuseList(String from, String reason) {
    refuse(from, "*", reason);
  }

  private Optional<String> refusal(PeerEntry entry) {
    if (!nodeIds.matcher(entry.nodeId()).matches()) {
      return Optional.of(NOT_A_NODE);
    }
    if (!usableAddress(entry.quicAddress())) {
      return Optional.of(BAD_ADDRESS);
    }
    if (certificates.check(entry.nodeId(), entry.certificate())
        instanceof PeerCertificates.Verdict.Refused refused) {
      return Optional.of(refused.reason());
    }
    return Optional.empty();
  }

  /** A peer-supplied id as it may appear in the log: no line breaks, bounded. */
  private static String printable(String id) {
    String clean = id.replaceAll("[^A-Za-z0-9._*-]", "?");
    return clean.length() > 64 ? clean.substring(0, 64) + "…" : clean;
  }

  private static boolean usableAddress(String address) {
    if (address == null) {
      return false;
    }
    try {
      return QuicAddress.parse(address).getPort() > 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private void refuse(String from, String reportedId, String reason) {
    metrics.refused(reason);
    String nodeId = printable(reportedId);
    String key = from + "/" + nodeId + "/" + reason;
    if (logged.size() < MAX_LOGGED && logged.add(key)) {
      log.warn("peer list of {}: entry for {} refused ({})", from, nodeId, reason);
    } else {
      log.debug("peer list of {}: entry for {} refused ({})", from, nodeId, reason);
    }
  }
}
