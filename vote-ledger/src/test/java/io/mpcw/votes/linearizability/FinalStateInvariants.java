package io.mpcw.votes.linearizability;

import io.mpcw.votes.linearizability.History.Op;
import io.mpcw.votes.linearizability.LedgerModel.Cast;
import io.mpcw.votes.linearizability.LedgerModel.Counted;
import io.mpcw.votes.linearizability.LedgerModel.Decide;
import io.mpcw.votes.linearizability.LedgerModel.Duplicate;
import io.mpcw.votes.linearizability.LedgerModel.Late;
import io.mpcw.votes.linearizability.LedgerModel.Stands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Direct checks of etcd's final state of one transaction, with create revisions, against itself and
 * against what clients were told: one vote key per node, every acknowledged vote stored exactly
 * once, every duplicate answer naming the stored vote, nothing recorded after the decision, at most
 * one decision.
 */
final class FinalStateInvariants {
  private FinalStateInvariants() {}

  /** A vote key: the node in its key, the record's digest and identity, its create revision. */
  record StoredVote(String node, String digest, String recordId, long createRevision) {}

  /** The decision key: value, create revision and version (1 = written once, never replaced). */
  record StoredDecision(String value, long createRevision, long version) {}

  /** Everything etcd holds for one transaction, read at one revision. */
  record StoredTx(
      UUID tx, List<StoredVote> votes, Optional<StoredDecision> decision, List<String> malformed) {}

  /** Every broken invariant, one line each; empty when all hold. */
  static List<String> violations(StoredTx stored, List<Op> history) {
    List<String> broken = new ArrayList<>();
    String tx = "tx " + stored.tx() + ": ";
    stored.malformed().forEach(k -> broken.add(tx + "unreadable key " + k));

    Map<String, StoredVote> byNode = new HashMap<>();
    Map<String, Integer> copiesOfRecord = new HashMap<>();
    for (StoredVote vote : stored.votes()) {
      copiesOfRecord.merge(vote.recordId(), 1, Integer::sum);
      if (byNode.put(vote.node(), vote) != null) {
        broken.add(tx + "two vote keys for node " + vote.node());
      }
    }

    Set<String> winners = new HashSet<>();
    boolean sawLate = false;
    for (Op op : history) {
      if (op.call() instanceof Cast cast) {
        if (op.outcome() instanceof Counted) {
          StoredVote at = byNode.get(cast.node());
          int copies = copiesOfRecord.getOrDefault(cast.recordId(), 0);
          if (at == null || !at.recordId().equals(cast.recordId()) || copies != 1) {
            broken.add(
                tx
                    + "acknowledged vote "
                    + cast.recordId()
                    + " of "
                    + cast.node()
                    + " is stored "
                    + copies
                    + " times"
                    + (at == null ? " and the node has no vote key" : ""));
          }
        } else if (op.outcome() instanceof Duplicate duplicate) {
          StoredVote at = byNode.get(cast.node());
          if (at == null || !at.recordId().equals(duplicate.existingRecordId())) {
            broken.add(
                tx
                    + "duplicate of "
                    + cast.node()
                    + " named record "
                    + duplicate.existingRecordId()
                    + " which is not the node's stored vote");
          }
        } else if (op.outcome() instanceof Late) {
          sawLate = true;
        }
      } else if (op.call() instanceof Decide decide && op.outcome() instanceof Stands stands) {
        if (stands.decision().equals(decide.decision())) {
          winners.add(decide.decision());
        }
        if (stored.decision().map(d -> !d.value().equals(stands.decision())).orElse(true)) {
          broken.add(
              tx
                  + "decide was told "
                  + stands.decision()
                  + " stands but etcd holds "
                  + stored.decision().map(StoredDecision::value).orElse("no decision"));
        }
      }
    }
    if (winners.size() > 1) {
      broken.add(tx + "more than one decide won: " + winners);
    }
    if (stored.decision().isEmpty()) {
      if (sawLate) {
        broken.add(tx + "a vote was refused as late but no decision exists");
      }
      return broken;
    }
    StoredDecision decision = stored.decision().get();
    if (decision.version() != 1) {
      broken.add(tx + "the decision key was written " + decision.version() + " times");
    }
    for (StoredVote vote : stored.votes()) {
      if (vote.createRevision() > decision.createRevision()) {
        broken.add(
            tx
                + "vote of "
                + vote.node()
                + " created at revision "
                + vote.createRevision()
                + " after the decision (revision "
                + decision.createRevision()
                + ")");
      }
    }
    return broken;
  }
}
