package io.mpcw.votes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides a vote from etcd's vote records, each signature checked against its node's certificate,
 * and from what the nodes answered directly. A pure function: the orchestrator uses it to decide, a
 * node uses it to check a quorum before it signs.
 *
 * <ul>
 *   <li>approved: valid approvals of the expected digest ≥ t;
 *   <li>aborted_byzantine: evidence concerns more than f nodes;
 *   <li>rejected: approval became impossible (rejections + nodes with evidence > n − t);
 *   <li>otherwise undecided (the caller fails it at the voting timeout).
 * </ul>
 */
public final class VoteTally {
  private VoteTally() {}

  public static Tally tally(
      VotingRules rules,
      VotePayload expected,
      VoteSnapshot snapshot,
      Map<String, VoteRecord> responses,
      List<String> malformedNodes,
      VoteSignatureVerifier verifier) {
    String approveDigest = expected.digest(Decision.APPROVE);
    String rejectDigest = expected.digest(Decision.REJECT);
    Map<String, List<Evidence>> evidence = new TreeMap<>();
    Map<String, VoteRecord> valid = new TreeMap<>();
    for (String node : malformedNodes) {
      add(evidence, new Evidence(node, Evidence.Kind.MALFORMED_RECORD, "unreadable vote record"));
    }
    for (VoteRecord record : snapshot.votes()) {
      checkRecord(rules, expected, record, approveDigest, rejectDigest, verifier)
          .ifPresentOrElse(e -> add(evidence, e), () -> valid.put(record.nodeId(), record));
    }
    responses.forEach(
        (node, answered) -> {
          VoteRecord recorded = valid.get(node);
          if (recorded == null || recorded.equals(answered)) {
            return;
          }
          byte[] signature = answered.signatureBytes().orElse(new byte[0]);
          if (verifier.verify(node, answered.signingPayload(), signature)
              == VoteSignatureVerifier.Result.VALID) {
            add(
                evidence,
                new Evidence(
                    node,
                    Evidence.Kind.EQUIVOCATION,
                    "signed "
                        + answered.decision().wireName()
                        + " in its answer but "
                        + recorded.decision().wireName()
                        + " in etcd"));
          }
        });
    evidence.keySet().forEach(valid::remove);

    Set<String> approvals = new TreeSet<>();
    Map<String, String> rejections = new TreeMap<>();
    valid.forEach(
        (node, record) -> {
          if (record.decision() == Decision.APPROVE) {
            approvals.add(node);
          } else {
            rejections.put(node, record.reason());
          }
        });

    int faulty = evidence.size();
    int t = rules.threshold();
    int n = rules.totalNodes();
    int f = rules.byzantineTolerance();
    Tally.Outcome outcome;
    String reason;
    if (faulty > f) {
      outcome = Tally.Outcome.ABORTED_BYZANTINE;
      reason = "evidence against " + faulty + " nodes " + evidence.keySet() + " exceeds f=" + f;
    } else if (approvals.size() >= t) {
      outcome = Tally.Outcome.APPROVED;
      reason = approvals.size() + " of " + n + " approved (threshold " + t + ")";
    } else if (rejections.size() + faulty > n - t) {
      outcome = Tally.Outcome.REJECTED;
      reason =
          rejections.size()
              + " rejected"
              + (faulty > 0 ? " and " + faulty + " faulty" : "")
              + " of "
              + n
              + ": approval by "
              + t
              + " is impossible";
    } else {
      outcome = Tally.Outcome.UNDECIDED;
      reason = approvals.size() + " approvals, " + rejections.size() + " rejections so far";
    }
    return new Tally(outcome, reason, approvals, rejections, evidence, valid);
  }

  private static Optional<Evidence> checkRecord(
      VotingRules rules,
      VotePayload expected,
      VoteRecord record,
      String approveDigest,
      String rejectDigest,
      VoteSignatureVerifier verifier) {
    String node = record.nodeId();
    if (!rules.eligible().contains(node) || !record.txId().equals(expected.txId())) {
      return Optional.of(
          new Evidence(node, Evidence.Kind.UNKNOWN_NODE, "not a member of this round"));
    }
    byte[] signature = record.signatureBytes().orElse(new byte[0]);
    VoteSignatureVerifier.Result verified =
        verifier.verify(node, record.signingPayload(), signature);
    if (verified == VoteSignatureVerifier.Result.UNKNOWN_NODE) {
      return Optional.of(
          new Evidence(node, Evidence.Kind.UNKNOWN_NODE, "no certificate for this node"));
    }
    if (verified != VoteSignatureVerifier.Result.VALID) {
      return Optional.of(
          new Evidence(node, Evidence.Kind.BAD_SIGNATURE, "signature does not verify"));
    }
    String wanted = record.decision() == Decision.APPROVE ? approveDigest : rejectDigest;
    if (!wanted.equals(record.digest())) {
      return Optional.of(
          new Evidence(
              node,
              Evidence.Kind.DIGEST_MISMATCH,
              record.decision().wireName()
                  + " of digest "
                  + record.digest().substring(0, 12)
                  + "… which is not this payment's"));
    }
    return Optional.empty();
  }

  private static void add(Map<String, List<Evidence>> evidence, Evidence e) {
    evidence.computeIfAbsent(e.nodeId(), k -> new ArrayList<>()).add(e);
  }
}
