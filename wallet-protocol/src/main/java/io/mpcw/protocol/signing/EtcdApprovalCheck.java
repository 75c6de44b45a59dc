package io.mpcw.protocol.signing;

import io.mpcw.protocol.ProtocolErrors;
import io.mpcw.protocol.ProtocolException;
import io.mpcw.types.cluster.NodeIdentities;
import io.mpcw.votes.EtcdVoteLedger;
import io.mpcw.votes.VoteLedgerException;
import io.mpcw.votes.VoteSnapshot;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The approval check on its own: the vote records read from etcd in one transaction of gets, then
 * counted by {@link ApprovalQuorum} (the node's own count, never the orchestrator's word). A signer
 * in round 2 reads the votes together with the signing locks instead ({@link EtcdRoundTwo}); this
 * class serves callers that need the check alone.
 */
public final class EtcdApprovalCheck implements ApprovalCheck {

  /**
   * Which vote records this node wrote itself: {@code true} only for the exact signed bytes
   * (signing payload and signature) it recorded durably for {@code txId}.
   */
  @FunctionalInterface
  public interface OwnVotes {
    boolean signedHere(String nodeId, UUID txId, byte[] signingPayload, byte[] signature);

    /** Nothing is taken as the node's own: every record is verified. */
    static OwnVotes none() {
      return (nodeId, txId, signingPayload, signature) -> false;
    }
  }

  private final EtcdVoteLedger ledger;
  private final ApprovalQuorum quorum;

  /** With the default node ids ({@link NodeIdentities#defaults()}). */
  public EtcdApprovalCheck(
      EtcdVoteLedger ledger,
      int minApprovals,
      Function<String, Optional<X509Certificate>> nodeCertificates,
      X509Certificate clusterCa) {
    this(ledger, minApprovals, nodeCertificates, clusterCa, NodeIdentities.defaults());
  }

  /** Verifying every record it counts, its own node's too. */
  public EtcdApprovalCheck(
      EtcdVoteLedger ledger,
      int minApprovals,
      Function<String, Optional<X509Certificate>> nodeCertificates,
      X509Certificate clusterCa,
      NodeIdentities nodes) {
    this(ledger, minApprovals, nodeCertificates, clusterCa, nodes, OwnVotes.none());
  }

  /**
   * @param nodes the ids that may vote: a service (the orchestrator, the registry) holds a
   *     certificate of the same CA whose CN is its name, and must never count as a voter
   * @param ownVotes the records this node wrote itself, counted without verifying their signature
   */
  public EtcdApprovalCheck(
      EtcdVoteLedger ledger,
      int minApprovals,
      Function<String, Optional<X509Certificate>> nodeCertificates,
      X509Certificate clusterCa,
      NodeIdentities nodes,
      OwnVotes ownVotes) {
    this(ledger, new ApprovalQuorum(minApprovals, nodeCertificates, clusterCa, nodes, ownVotes));
  }

  /** Reading the votes with {@code ledger}, counting them with {@code quorum}. */
  public EtcdApprovalCheck(EtcdVoteLedger ledger, ApprovalQuorum quorum) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.quorum = Objects.requireNonNull(quorum, "quorum");
  }

  @Override
  public void requireApproved(
      UUID txId, UUID walletId, String recipient, long amountSats, Collection<String> voters) {
    VoteSnapshot snapshot;
    try {
      snapshot = ledger.snapshot(txId, voters);
    } catch (VoteLedgerException e) {
      throw new ProtocolException(
          ProtocolErrors.ETCD_UNAVAILABLE, "cannot read the votes: " + e.getMessage(), e);
    }
    quorum.requireApproved(snapshot, txId, walletId, recipient, amountSats);
  }
}
