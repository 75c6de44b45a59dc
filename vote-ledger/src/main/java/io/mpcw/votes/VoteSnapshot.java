package io.mpcw.votes;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything etcd holds about one transaction's vote among a set of nodes, read in one etcd
 * transaction (so at one revision).
 *
 * @param malformed nodes whose vote key holds something that is not a readable vote record of this
 *     node on this transaction
 * @param revision the etcd revision the snapshot was read at
 * @param recordRevisions the mod revision of every vote key found, readable or not, by node: what
 *     {@link EtcdVoteLedger#decide(java.util.UUID, String, VoteSnapshot)} requires unchanged
 */
public record VoteSnapshot(
    List<VoteRecord> votes,
    List<String> malformed,
    Optional<String> decision,
    long revision,
    Map<String, Long> recordRevisions) {

  public VoteSnapshot {
    votes = List.copyOf(votes);
    malformed = List.copyOf(malformed);
    recordRevisions = Map.copyOf(recordRevisions);
  }

  /** A snapshot that carries no record revisions (one that no decision is fenced on). */
  public VoteSnapshot(
      List<VoteRecord> votes, List<String> malformed, Optional<String> decision, long revision) {
    this(votes, malformed, decision, revision, Map.of());
  }

  /**
   * Readable records by digest. Computed from the records themselves, so a count can neither be
   * lost nor doubled: one node has one vote key, and each key is counted once.
   */
  public Map<String, Long> counts() {
    Map<String, Long> counts = new TreeMap<>();
    votes.forEach(v -> counts.merge(v.digest(), 1L, Long::sum));
    return counts;
  }
}
